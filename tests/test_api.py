"""The public API in ``kg/__init__.py``: a curated ``__all__``, every name a plain attribute of a
plain module, none of them shadowed by a submodule of the same name."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import types

import kg


def test_kg_is_a_plain_module() -> None:
    assert type(kg) is types.ModuleType


def test_every_public_name_resolves() -> None:
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name
    assert set(kg.__all__) <= set(dir(kg))


def test_build_is_the_function_whatever_was_imported_first() -> None:
    # importing every stage used to be able to turn kg.build into a module
    for module in ("kg._build", "kg.resolve.resolver", "kg.graph.builder", "kg.driver", "kg.cli"):
        importlib.import_module(module)
    assert inspect.isfunction(kg.build)
    assert kg.build is importlib.import_module("kg._build").build
    assert "outdir" in inspect.signature(kg.build).parameters


def test_resolve_is_the_stage_package_and_its_function_has_a_name_of_its_own() -> None:
    import kg.resolve

    assert isinstance(kg.resolve, types.ModuleType)
    assert kg.resolve_entities is kg.resolve.resolve


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        kg.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("kg.no_such_thing resolved")


def test_import_kg_loads_no_stage() -> None:
    code = ("import sys, kg; heavy = [m for m in ('spacy', 'pyshacl', 'kg._build', 'kg.nlp') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
