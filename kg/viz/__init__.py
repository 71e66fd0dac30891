"""Interactive, offline HTML views of a kg graph.

``to_networkx`` reads entities, relations and their evidence into a networkx multigraph;
``render_html``/``write_html`` turn a graph into one self-contained explorer page. Names are
imported on first use, so reading a graph into networkx does not load pyvis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.viz.html import render_html, write_html
    from kg.viz.network import to_networkx

_EXPORTS: dict[str, str] = {
    "render_html": "kg.viz.html",
    "to_networkx": "kg.viz.network",
    "write_html": "kg.viz.html",
}

__all__ = ["render_html", "to_networkx", "write_html"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
