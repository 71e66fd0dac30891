"""The alias table resolution uses: kg's one gazetteer plus any user alias files.

There is no separate resolver alias list: the shipped table is the NLP gazetteer
(``kg/nlp/data/gazetteer.jsonl``, found through the package's import spec), so a name added
there is both found in text and resolved. Users add entries with files in the same JSON Lines
format (``{"name": ..., "class": ..., "aliases": [...]}`` per line), passed as
:attr:`kg.resolve.ResolverConfig.extra_alias_files`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.resolve.names import nlp_data_text, normalise

__all__ = ["AliasTable", "load_alias_table", "read_alias_lines"]


@dataclass(frozen=True)
class AliasEntry:
    """One canonical name of a class and the other names it goes by."""

    name: str
    cls: str
    aliases: tuple[str, ...]


def read_alias_lines(text: str, source: str) -> list[AliasEntry]:
    """Parse alias JSON Lines; blank lines and ``#`` comments are skipped."""
    out: list[AliasEntry] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            row = json.loads(line)
            name, cls = row["name"], row["class"]
            aliases = row.get("aliases", [])
            if not isinstance(name, str) or not isinstance(cls, str) or not name.strip():
                raise ValueError("'name' and 'class' must be non-empty strings")
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError("'aliases' must be a list of strings")
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{source}, line {n}: {exc}: {line[:80]}") from exc
        out.append(AliasEntry(name.strip(), cls.strip(), tuple(a.strip() for a in aliases)))
    return out


@dataclass(frozen=True)
class AliasTable:
    """Lookup from (class, normalised name or alias) to the canonical name.

    A key claimed by two different canonical names of one class is ambiguous and left out
    (see :attr:`ambiguous`), so the table never merges two entities on its own.
    """

    index: dict[tuple[str, str], str]
    ambiguous: frozenset[tuple[str, str]]

    def canonical(self, cls: str, name: str) -> str | None:
        """The canonical name ``name`` stands for in class ``cls``, if the table knows it."""
        key = normalise(name, cls)
        return self.index.get((cls, key)) if key else None


def _build(entries: list[AliasEntry]) -> AliasTable:
    # Entries with the same class and canonical name are one entry (user files extend them).
    claims: dict[tuple[str, str], set[str]] = {}
    canon_of: dict[tuple[str, str], str] = {}
    for entry in entries:
        canon_key = (entry.cls, normalise(entry.name, entry.cls))
        canonical = canon_of.setdefault(canon_key, entry.name)
        for name in (entry.name, *entry.aliases):
            key = normalise(name, entry.cls)
            if key:
                claims.setdefault((entry.cls, key), set()).add(canonical)
    index = {k: next(iter(v)) for k, v in claims.items() if len(v) == 1}
    ambiguous = frozenset(k for k, v in claims.items() if len(v) > 1)
    return AliasTable(index=index, ambiguous=ambiguous)


def load_alias_table(extra_files: tuple[str, ...] = ()) -> AliasTable:
    """The gazetteer shipped with :mod:`kg.nlp` plus ``extra_files`` (JSON Lines).

    Cached per list of files; a user file edited since (another modification time) is read
    again.
    """
    stamps = []
    for path in extra_files:
        try:
            stamps.append(Path(path).stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)  # reported by _load_alias_table
    return _load_alias_table(tuple(extra_files), tuple(stamps))


@lru_cache(maxsize=8)
def _load_alias_table(extra_files: tuple[str, ...], _stamps: tuple[int, ...]) -> AliasTable:
    entries = read_alias_lines(nlp_data_text("gazetteer.jsonl"), "kg/nlp/data/gazetteer.jsonl")
    for path in extra_files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read alias file {path}: {exc}") from exc
        entries.extend(read_alias_lines(text, str(path)))
    return _build(entries)
