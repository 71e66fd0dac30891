"""kg's packages form layers: each imports only from the layers below it, and no module imports
another that (directly or not) imports it back. Imports inside functions count too: a lazy
import is still a dependency, only a late one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg

ROOT = Path(kg.__file__).parent

#: Lowest first. A module may import from its own top-level package and from any lower layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg.namespace", "kg.ontology"),                 # vocabulary: the ontology and its terms
    ("kg.schema",),                                  # the relation schema, read from the ontology
    ("kg.records", "kg.sparql"),                     # record types; query results, Oxigraph terms
    ("kg.ingest", "kg.nlp"),
    ("kg.extract", "kg.resolve"),
    ("kg.graph",),
    ("kg.export", "kg.query", "kg.distributed"),
    ("kg.driver",),                                  # extract -> resolve -> graph, for build and store
    ("kg.store",),
    ("kg.viz", "kg.serve", "kg.push"),
    ("kg._build",),                                  # kg.build(): the whole run in one call
    ("kg",),                                         # the curated public API
    ("kg.cli",),
    ("kg.__main__",),
)
_RANK = {package: rank for rank, names in enumerate(LAYERS) for package in names}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """``(module, line)`` for every kg module ``path`` imports, at any depth of the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from kg.x import y`` imports kg.x.y when that is a module, else kg.x
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES
                     else node.module for alias in node.names]
        else:
            continue
        for name in names:
            while name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES:
                yield name, node.lineno


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _edges() -> dict[str, set[str]]:
    return {module: {target for target, _ in _imports(path) if target != module}
            for module, path in MODULES.items()}


def test_every_package_has_a_layer() -> None:
    assert {_package(module) for module in MODULES} <= set(_RANK)


def test_no_module_imports_a_higher_or_a_sibling_layer() -> None:
    wrong = []
    for module, path in sorted(MODULES.items()):
        source = _package(module)
        for target, line in _imports(path):
            if _package(target) != source and _RANK[_package(target)] >= _RANK[source]:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line}: {module} imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("above", ["kg.query", "kg.store", "kg.viz", "kg.serve", "kg.driver",
                                   "kg._build", "kg.cli"])
def test_the_graph_stage_imports_nothing_above_it(above: str) -> None:
    found = [f"{module} imports {target}" for module, path in MODULES.items()
             if module.startswith("kg.graph") for target, _ in _imports(path)
             if target == above or target.startswith(above + ".")]
    assert not found


def test_no_import_cycle() -> None:
    edges = _edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert not cycles, f"modules that import each other: {cycles}"


def test_the_check_sees_a_lazy_upward_import(tmp_path: Path) -> None:
    """The walk finds an import inside a function, as the graph stage's used to be."""
    source = tmp_path / "lazy.py"
    source.write_text("def f():\n    from kg.query import run_named\n    return run_named\n")
    assert [name for name, _ in _imports(source)] == ["kg.query"]
