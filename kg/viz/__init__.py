"""Interactive, offline HTML views of a kg graph.

``to_networkx`` reads entities, relations and their evidence into a networkx multigraph;
``View``/``select`` narrow it (focus and depth, classes, relations, evidence since a date);
``render_html``/``write_html`` turn a graph into one self-contained explorer page. Names are
imported on first use, so reading a graph into networkx does not load pyvis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.viz.html import render_html, write_html
    from kg.viz.network import View, ViewError, select, to_networkx

_EXPORTS: dict[str, str] = {
    "View": "kg.viz.network",
    "ViewError": "kg.viz.network",
    "render_html": "kg.viz.html",
    "select": "kg.viz.network",
    "to_networkx": "kg.viz.network",
    "write_html": "kg.viz.html",
}

__all__ = ["View", "ViewError", "render_html", "select", "to_networkx", "write_html"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
