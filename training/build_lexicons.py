"""Regenerate kg's word lists from open data (run from the repository root).

    python training/build_lexicons.py [--datasets ../shared/datasets]

Writes, deterministically:
- ``kg/nlp/data/first_names.tsv``: given names with a gender hint (``f``, ``m`` or ``-``), from
  the US Census 1990 given-name lists (public domain, shipped in the ``names`` package on PyPI)
  plus the first tokens of PERSON mentions in UD English-EWT/UniversalNER, GUM (CC BY genres)
  and Re-DocRED.
- ``kg/nlp/data/common_words.txt``: words that are written in lower case more often than
  capitalised in running text (EWT + GUM), so a capitalised one at a sentence start is not
  taken for a name.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kg" / "nlp" / "data"
WORD = re.compile(r"^[A-Za-z][a-z]+(?:-[A-Za-z][a-z]+)?$")


def census_names() -> dict[str, str]:
    import names  # noqa: PLC0415  (a build-time dependency only)

    root = Path(names.__file__).parent
    freq: dict[str, dict[str, float]] = {}
    for fname, g in (("dist.female.first", "f"), ("dist.male.first", "m")):
        for line in (root / fname).read_text().splitlines():
            parts = line.split()
            if parts:
                freq.setdefault(parts[0].title(), {"f": 0.0, "m": 0.0})[g] += float(parts[1])
    gender: dict[str, str] = {}
    for name, by in freq.items():
        # a name is gendered when one sex uses it at least five times as often
        gender[name] = ("f" if by["f"] >= 5 * by["m"] else "m" if by["m"] >= 5 * by["f"] else "-")
    return gender


def conllu_rows(path: Path):
    sent: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if sent:
                yield sent
            sent = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                sent.append(cols)
    if sent:
        yield sent


def corpus_first_names(datasets: Path) -> Counter[str]:
    firsts: Counter[str] = Counter()
    for path in sorted((datasets / "ud-ewt-uner").glob("*train.conllu")):
        for sent in conllu_rows(path):
            for cols in sent:
                if "NE=B-PER" in cols[9] and WORD.match(cols[1]):
                    # only names of two or more tokens tell a given name from a surname
                    nxt = int(cols[0])
                    if nxt < len(sent) and "NE=I-PER" in sent[nxt][9]:
                        firsts[cols[1]] += 1
    for path in sorted((datasets / "gum").glob("*train.conllu")):
        for sent in conllu_rows(path):
            for i, cols in enumerate(sent[:-1]):
                if ("(" in cols[9] and "person" in cols[9] and cols[3] == "PROPN"
                        and sent[i + 1][3] == "PROPN" and WORD.match(cols[1])):
                    firsts[cols[1]] += 1
    for path in sorted((datasets / "re-docred").glob("*.json")):
        if path.name == "relations.json":
            continue
        for doc in json.loads(path.read_text(encoding="utf-8")):
            for vertex in doc["vertexSet"]:
                for m in vertex:
                    toks = m["name"].split()
                    if m["type"] == "PER" and len(toks) >= 2 and WORD.match(toks[0]):
                        firsts[toks[0]] += 1
    return firsts


def common_words(datasets: Path) -> list[str]:
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for path in sorted(list((datasets / "ud-ewt-uner").glob("*train.conllu"))
                       + list((datasets / "gum").glob("*train.conllu"))):
        for sent in conllu_rows(path):
            for i, cols in enumerate(sent):
                form = cols[1]
                if not form.isalpha():
                    continue
                if form.islower():
                    lower[form] += 1
                elif i > 0 and form[0].isupper() and form[1:].islower():
                    capital[form.lower()] += 1
    return sorted(w for w, n in lower.items() if n >= 3 and n > 2 * capital[w])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    from spacy.lang.en.stop_words import STOP_WORDS  # noqa: PLC0415

    gender = {n: g for n, g in census_names().items() if n.lower() not in STOP_WORDS}
    common = set(common_words(args.datasets))
    for name, n in corpus_first_names(args.datasets).items():
        if n >= 2 and name not in gender and name.lower() not in common:
            gender[name] = "-"
    lines = ["# name\tgender (f, m or - for either/unknown); see training/build_lexicons.py"]
    lines += [f"{n}\t{g}" for n, g in sorted(gender.items())]
    (OUT / "first_names.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "common_words.txt").write_text(
        "# lower-case words of running English (EWT + GUM); see training/build_lexicons.py\n"
        + "\n".join(sorted(common)) + "\n", encoding="utf-8")
    print(f"{len(gender)} first names, {len(common)} common words -> {OUT}")


if __name__ == "__main__":
    main()
