"""notebooks/explore.ipynb is a tutorial read on the repository page: saved outputs, small,
no test code, pandas tables, and the topics it promises. (The test suite also executes it with
nbmake, since pytest's testpaths include notebooks/.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _code() -> list[str]:
    return ["".join(cell["source"]) for cell in _cells() if cell["cell_type"] == "code"]


def test_every_code_cell_has_its_output_saved_and_they_are_small() -> None:
    code_cells = [cell for cell in _cells() if cell["cell_type"] == "code"]
    assert code_cells
    for cell in code_cells:
        assert cell["outputs"], "".join(cell["source"])[:80]
        assert not any(output["output_type"] == "error" for output in cell["outputs"])
    assert NOTEBOOK.stat().st_size < 200_000
    outputs = json.dumps([cell["outputs"] for cell in code_cells])
    assert "/tmp/" not in outputs  # no machine-specific paths in what readers see


def test_no_test_asserts_or_fallback_code() -> None:
    for source in _code():
        assert not re.search(r"^\s*assert\b", source, re.MULTILINE), source[:80]
        assert "if not " not in source and "except" not in source, source[:80]


def test_tables_are_pandas_and_the_topics_are_covered() -> None:
    sources = "\n".join(_code())
    text = "\n".join("".join(cell["source"]) for cell in _cells())
    assert sources.count(".to_df()") >= 5
    html_tables = [output for cell in _cells() if cell["cell_type"] == "code"
                   for output in cell["outputs"] if "text/html" in output.get("data", {})]
    assert len(html_tables) >= 5  # DataFrames render as tables on the repository page
    assert "kg:sentenceText" in sources                      # the evidence for a fact
    assert '"contradictions"' in sources                     # a contradiction
    assert '"merges"' in sources and "reason" in sources     # why names were merged
    assert "!kg add archive" in sources and "--store" in sources
    assert "validate_graph" in sources and "Validation Report" in json.dumps(_cells())
    assert "kg[notebook]" in text or ".[notebook]" in text
