"""kg's records as JSON and back, so a store can keep every article's extraction on disk.

pydantic (which spaCy already depends on) does the work from the dataclasses' own type hints
(:mod:`kg.records`): a field added to a record is stored without a change here, and a stored
file that lacks a newer field gets its default. Dates are ISO strings; tuples are lists; a
``Union`` is decoded strictly (``Union[int, dt.date]`` takes ``17`` as an int,
``"2020-01-02"`` as a date, and ``"forty"`` as neither). This module adds what pydantic does not
decide for kg: the deterministic text (sorted keys, one-space indent) whose hash names the file,
and :class:`CodecError` with the path of the field that is wrong.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kg.records import ArticleExtraction

__all__ = ["CodecError", "dumps_extraction", "encode", "loads_extraction"]


class CodecError(ValueError):
    """A stored record does not match the record's type."""


@functools.cache
def _adapter(cls: type) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def encode(value: Any) -> Any:
    """A JSON-ready form of a record (dicts, lists, strings, numbers, ``None``)."""
    return _adapter(type(value)).dump_python(value, mode="json")


def dumps_extraction(extraction: ArticleExtraction) -> str:
    """One extraction as deterministic JSON text (sorted keys, no floats reformatted)."""
    return json.dumps(encode(extraction), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def loads_extraction(text: str) -> ArticleExtraction:
    """The extraction :func:`dumps_extraction` wrote; :class:`CodecError` if it is not one,
    naming the field (``facts.0.value: …``)."""
    try:
        return _adapter(ArticleExtraction).validate_json(text, strict=True)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise CodecError(f"not JSON: {error.errors()[0]['msg']}") from error
        raise CodecError(f"not an ArticleExtraction: {_describe(error)}") from error


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)
