"""Packaging: compatible ranges in pyproject.toml, exact versions in constraints.txt (CI's lock)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCK = ROOT / "constraints.txt"


def _requirements() -> list[Requirement]:
    found = [Requirement(text) for text in PYPROJECT["dependencies"]]
    for extra in PYPROJECT["optional-dependencies"].values():
        found.extend(Requirement(text) for text in extra)
    return found


def _locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"constraints.txt line {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_pyproject_has_ranges_not_pins() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "==" not in text
    for requirement in _requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, f"{requirement} has no lower bound"
        calendar = requirement.name in ("dask", "distributed")  # calendar versions: no major
        assert calendar or "<" in operators, f"{requirement} has no upper bound"


def test_lock_pins_every_dependency_inside_its_range() -> None:
    pins = _locked()
    for requirement in _requirements():
        if requirement.name in ("jupyterlab",):  # the notebook extra is not installed by CI
            continue
        version = pins.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in constraints.txt"
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


@pytest.mark.parametrize(("package", "other_minor"), [("rich", "14.1.0"), ("networkx", "3.4.2"),
                                                      ("rdflib", "7.2.1")])
def test_another_minor_version_of_a_dependency_is_accepted(package: str, other_minor: str) -> None:
    requirement = next(r for r in _requirements() if r.name == package)
    assert requirement.specifier.contains(other_minor)


def test_scikit_learn_and_pandas_where_expected() -> None:
    names = {Requirement(text).name for text in PYPROJECT["dependencies"]}
    assert "scikit-learn" in names
    assert "pandas" not in names  # optional: the pandas and notebook extras
    extras = PYPROJECT["optional-dependencies"]
    assert any(Requirement(text).name == "pandas" for text in extras["pandas"])
    assert any(Requirement(text).name.startswith("jupyter") for text in extras["notebook"])


def test_ci_installs_from_the_lock_file() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"pip install -c constraints\.txt -e '\.\[test\]'", script)


def test_installed_metadata_matches_pyproject() -> None:
    """The installed kg (pip install -e) declares the ranges, not old pins."""
    import importlib.metadata

    declared = importlib.metadata.distribution("kg").requires or []
    pinned = [text for text in declared
              if any(spec.operator == "==" for spec in Requirement(text).specifier)]
    assert not pinned


def test_python_dash_m_kg_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kg ")


def test_readme_says_what_the_browser_tests_need() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Browser tests.**"):][:900]
    for needed in ("/usr/bin/chromium", ".ci/run", "skipped", "playwright", "not browser"):
        assert needed in section, needed


def test_browser_tests_without_chromium_are_skipped_and_say_why(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "KG_CHROMIUM": str(tmp_path / "no-chromium")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "tests/viz/test_viz_browser.py::test_an_empty_graph_loads_too"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout
    assert "the browser tests need Chromium" in done.stdout


def test_every_subpackage_and_the_shipped_models_are_packaged() -> None:
    """Regression: kg.sparql was missing from the package list, so a non-editable install lacked
    it; the extraction model must ship as package data."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert on_disk <= set(setuptools["packages"])
    data = setuptools["package-data"]
    assert any(pattern.startswith("models/") for pattern in data["kg.extract"])
