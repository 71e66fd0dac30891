"""kg's word lists and gazetteers, loaded once from the data files in ``kg/nlp/data``.

Everything a rule reads (trigger words, names of well-known shows and broadcasters, given
names, titles) lives in data files so that it can be extended without touching code. A user
gazetteer (same JSON Lines format as ``data/gazetteer.jsonl``) can be added through the
pipeline config.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GazetteerEntry:
    """A well-known show, organisation or place with its aliases."""

    name: str
    cls: str
    aliases: tuple[str, ...] = ()
    broadcaster: bool = False
    genre: str | None = None
    network: str | None = None  # a show's usual broadcaster, used to tell "the ITV soap" from "the BBC soap"


@dataclass(frozen=True)
class Lexicon:
    """All word lists kg's rules use (see ``kg/nlp/data``)."""

    words: dict[str, Any]
    gazetteer: tuple[GazetteerEntry, ...]
    first_names: dict[str, str]
    common_words: frozenset[str]
    titles: frozenset[str]

    def __hash__(self) -> int:  # one lexicon per (file set); identity is enough
        return id(self)

    def list(self, key: str) -> frozenset[str]:
        """A word list from lexicon.json as a set."""
        return frozenset(self.words[key])

    def kin(self, word: str) -> tuple[str, str, str | None, bool] | None:
        """Read a kin or peer noun: ``(predicate, direction, gender, former)``.

        ``then-husband``, ``now ex-wife`` and ``former-partner`` are understood as exes.
        """
        w = word.lower()
        former = False
        for prefix in ("then-", "now-", "former-", "late-", "long-term-", "longtime-", "real-life-"):
            if w.startswith(prefix) and w[len(prefix):] in self.words["kin_nouns"]:
                former = prefix in ("then-", "former-")
                w = w[len(prefix):]
                break
        sense = self.words["kin_nouns"].get(w)
        if sense is None:
            return None
        pred, direction, gender = sense
        if former and pred in ("spouse", "partner"):
            pred = "exPartner"
        return pred, direction, gender, former or pred == "exPartner"

    def gender_of(self, first: str) -> str | None:
        """``"f"``/``"m"`` for a gendered given name, ``None`` otherwise."""
        g = self.first_names.get(first) or self.first_names.get(first.split("-")[0])
        return g if g in ("f", "m") else None

    def is_first_name(self, word: str) -> bool:
        """A known given name; "Lucy-Jo" counts through its first part."""
        return word in self.first_names or ("-" in word and word.split("-")[0] in self.first_names)


def _data_text(name: str) -> str:
    return resources.files("kg.nlp").joinpath("data", name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def read_gazetteer(text: str) -> list[GazetteerEntry]:
    """Parse gazetteer JSON Lines: ``{"name", "class", "aliases", "broadcaster", "genre", "network"}``."""
    out = []
    for n, line in enumerate(_lines(text), 1):
        try:
            row = json.loads(line)
            out.append(GazetteerEntry(row["name"], row["class"], tuple(row.get("aliases", ())),
                                      bool(row.get("broadcaster", False)), row.get("genre"),
                                      row.get("network")))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"gazetteer line {n}: {exc}: {line[:80]}") from exc
    return out


@lru_cache(maxsize=8)
def load_lexicon(extra_gazetteers: tuple[str, ...] = ()) -> Lexicon:
    """Load the shipped lexicon, plus any user gazetteer files (JSON Lines)."""
    gaz = read_gazetteer(_data_text("gazetteer.jsonl"))
    for path in extra_gazetteers:
        gaz.extend(read_gazetteer(Path(path).read_text(encoding="utf-8")))
    names = {}
    for source in ("first_names.tsv", "first_names_uk.tsv"):  # the curated UK list wins
        for line in _lines(_data_text(source)):
            name, _, gender = line.partition("\t")
            names[name] = gender or "-"
    return Lexicon(
        words=json.loads(_data_text("lexicon.json")),
        gazetteer=tuple(gaz),
        first_names=names,
        common_words=frozenset(_lines(_data_text("common_words.txt"))),
        titles=frozenset(_lines(_data_text("titles.txt"))),
    )
