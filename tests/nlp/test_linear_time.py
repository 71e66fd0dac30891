"""kg's components take time linear in the length of a document (a benchmark assertion).

One long document is built from the example articles, each copy with names of its own (so the
number of entities grows with the length, as in a long real document), at two lengths eight
times apart. The whole pipeline runs on each, twice, and each kg component is timed (the best
of the two runs). Time linear in the length gives
a ratio of about 8; one quadratic step gives 64. The assertion is on the ratio, never on
wall-clock time, with room for a machine shared with other work.
"""

from __future__ import annotations

import re
import string
import time
from pathlib import Path

from kg.nlp.pipeline import KG_COMPONENTS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL, FACTOR = 6, 8
#: the largest ratio accepted for a length ratio of FACTOR (quadratic would give FACTOR ** 2)
LIMIT = FACTOR * 3
_CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,})\b")
_KEEP = {"The", "She", "His", "Her", "They", "Their", "And", "But", "After", "When", "Who"}


def _articles() -> list[str]:
    texts = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        texts.append(f"{first.split(' ', 3)[-1] if first.startswith(' date') else first}\n{rest}")
    return texts


def _copy(text: str, n: int) -> str:
    """``text`` with a suffix of its own on every capitalised word: copy ``n`` has other names."""
    letters = string.ascii_lowercase
    suffix = letters[n % 26] + letters[n // 26 % 26]
    return _CAPITALISED.sub(lambda m: m.group(1) if m.group(1) in _KEEP else m.group(1) + suffix, text)


def _document(copies: int) -> str:
    articles = _articles()
    return "\n\n".join(_copy(articles[i % len(articles)], i) for i in range(copies))


def _component_seconds(nlp, text: str) -> dict[str, float]:  # noqa: ANN001
    """Seconds of each kg component on ``text``, in the pipeline's order (the statistical
    components run too, untimed), the best of two runs."""
    best: dict[str, float] = {}
    for _ in range(2):
        doc = nlp.make_doc(text)
        for name, component in nlp.pipeline:
            started = time.perf_counter()
            doc = component(doc)
            seconds = time.perf_counter() - started
            if name in KG_COMPONENTS:
                best[name] = min(best.get(name, seconds), seconds)
    return best


def test_kg_components_take_time_linear_in_the_document_length(nlp) -> None:  # noqa: ANN001
    small = _component_seconds(nlp, _document(SMALL))
    large = _component_seconds(nlp, _document(SMALL * FACTOR))
    ratios = {name: large[name] / max(small[name], 1e-4) for name in small}
    slow = {name: round(ratio, 1) for name, ratio in ratios.items() if ratio > LIMIT}
    assert not slow, f"time grows faster than the length (x{FACTOR}): {slow}; all: {ratios}"
