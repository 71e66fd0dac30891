"""kg's records as JSON and back, so a store can keep every article's extraction on disk.

The codec follows the dataclasses' own type hints (:mod:`kg.records`), so a field added to a
record is stored without a change here, and a stored file that lacks a newer field gets its
default. Dates are ISO strings; tuples are lists; a ``Union`` is decoded by trying its members
in the order written (``Union[int, dt.date]`` takes ``17`` as an int, ``"2020-01-02"`` as a date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from typing import Any, TypeVar

from kg.records import ArticleExtraction

__all__ = ["CodecError", "decode", "dumps_extraction", "encode", "loads_extraction"]

T = TypeVar("T")


class CodecError(ValueError):
    """A stored record does not match the record's type."""


def encode(value: Any) -> Any:
    """A JSON-ready form of a record (or any value a record holds)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def decode(hint: Any, data: Any) -> Any:
    """Rebuild a value of type ``hint`` from its :func:`encode` form."""
    if hint is Any:
        return data
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _decode_union(typing.get_args(hint), data)
    if origin is typing.Literal:
        if data not in typing.get_args(hint):
            raise CodecError(f"{data!r} is not one of {typing.get_args(hint)}")
        return data
    if origin in (tuple, list):
        args = typing.get_args(hint)
        if not isinstance(data, list):
            raise CodecError(f"expected a list, got {data!r}")
        if origin is list:
            return [decode(args[0] if args else Any, item) for item in data]
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], item) for item in data)
        if args and len(args) != len(data):
            raise CodecError(f"expected {len(args)} items, got {data!r}")
        return tuple(decode(arg, item) for arg, item in zip(args, data)) if args else tuple(data)
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint) or (Any, Any)
        if not isinstance(data, dict):
            raise CodecError(f"expected an object, got {data!r}")
        return {decode(key_hint, k): decode(value_hint, v) for k, v in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decode_record(hint, data)
    if hint is dt.date:
        if not isinstance(data, str):
            raise CodecError(f"expected an ISO date, got {data!r}")
        try:
            return dt.date.fromisoformat(data)
        except ValueError as error:
            raise CodecError(str(error)) from error
    if hint is type(None):
        if data is not None:
            raise CodecError(f"expected null, got {data!r}")
        return None
    if hint is bool:
        if not isinstance(data, bool):
            raise CodecError(f"expected true or false, got {data!r}")
        return data
    if hint is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise CodecError(f"expected an integer, got {data!r}")
        return data
    if hint is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise CodecError(f"expected a number, got {data!r}")
        return float(data)
    if hint is str:
        if not isinstance(data, str):
            raise CodecError(f"expected a string, got {data!r}")
        return data
    raise CodecError(f"cannot decode values of type {hint!r}")


def _decode_union(members: tuple[Any, ...], data: Any) -> Any:
    if data is None and type(None) in members:
        return None
    problems = []
    for member in members:
        if member is type(None):
            continue
        try:
            return decode(member, data)
        except CodecError as error:
            problems.append(str(error))
    raise CodecError(f"{data!r} matches none of {members}: {'; '.join(problems)}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode_record(cls: type[T], data: Any) -> T:
    if not isinstance(data, dict):
        raise CodecError(f"expected a {cls.__name__} object, got {data!r}")
    hints = _hints(cls)
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in data:
            try:
                values[field.name] = decode(hints[field.name], data[field.name])
            except CodecError as error:
                raise CodecError(f"{cls.__name__}.{field.name}: {error}") from error
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise CodecError(f"{cls.__name__}: missing field {field.name!r}")
    return cls(**values)


def dumps_extraction(extraction: ArticleExtraction) -> str:
    """One extraction as deterministic JSON text (sorted keys, no floats reformatted)."""
    return json.dumps(encode(extraction), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def loads_extraction(text: str) -> ArticleExtraction:
    """The extraction :func:`dumps_extraction` wrote; :class:`CodecError` if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CodecError(f"not JSON: {error}") from error
    return _decode_record(ArticleExtraction, data)
