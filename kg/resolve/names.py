"""Name normalisation and comparison for entity resolution.

Everything here is pure and deterministic: the same string always normalises to the same key.

* :func:`normalise` folds case, diacritics, curly quotes, apostrophes and punctuation, ``&`` to
  ``and`` and, for people and characters, a leading honorific (``Reverend Kate Bottley`` ->
  ``kate bottley``) or, for other classes, a leading ``The`` (``The Syndicate`` -> ``syndicate``).
* :func:`slugify` makes the tail of a stable entity id (``Kym Marsh`` -> ``kym-marsh``).
* :func:`first_name_similarity` scores two normalised first names (``emily`` / ``emilie``).
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from rapidfuzz import fuzz, process

__all__ = [
    "PERSONAL_CLASSES",
    "first_name_similarity",
    "fold",
    "has_title",
    "is_full_name",
    "is_prefix_variant",
    "name_tokens",
    "nlp_data_text",
    "normalise",
    "similar_name_pairs",
    "slugify",
    "tokens",
]

#: Classes whose names are personal names (titles stripped, first/last name rules apply).
PERSONAL_CLASSES: frozenset[str] = frozenset({"Person", "Character"})

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00df": "ss", "\u00e6": "ae", "\u00c6": "ae", "\u0153": "oe", "\u0152": "oe",
    "\u00f8": "o", "\u00d8": "o", "\u0142": "l", "\u0141": "l", "\u0111": "d", "\u0110": "d",
    "\u00fe": "th", "\u00de": "th", "\u00f0": "d", "\u00d0": "d",
})
_NON_WORD = re.compile(r"[\W_]+")  # Unicode-aware: non-Latin letters are kept

_FALLBACK_TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "lord",
    "lady", "rev", "reverend", "revd",
)


def nlp_data_text(name: str) -> str:
    """The text of ``kg/nlp/data/{name}``, the NLP stage's data files (one copy for all).

    The file is found from the package's import spec, so reading it does not import
    :mod:`kg.nlp` (and spaCy with it); ``importlib.resources`` is the fallback for packages
    that do not live in a folder.
    """
    spec = importlib.util.find_spec("kg.nlp")
    for location in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(location) / "data" / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return (files("kg.nlp") / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    """Honorifics (folded), read from the NLP word list so there is one list to extend."""
    try:
        text = nlp_data_text("titles.txt")
    except (OSError, ModuleNotFoundError):  # pragma: no cover - the data file ships with kg
        return frozenset(_FALLBACK_TITLES)
    words = {
        fold(line.strip()).strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return frozenset(w for w in words if w and " " not in w)


def fold(text: str) -> str:
    """Case, diacritics, quotes, apostrophes and punctuation folded; words separated by spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("+", " plus ")
    text = text.replace("'", "")  # o'brien -> obrien, dragons' den -> dragons den
    return " ".join(_NON_WORD.sub(" ", text).split())


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    return tuple(fold(text).split())


def _strip_title(words: tuple[str, ...]) -> tuple[str, ...]:
    titles = _titles()
    # Only strip while a full name (two words) remains: "Reverend Kate Bottley" -> "kate
    # bottley", but "Lady Gaga" and "Dr Ranj" keep their title.
    while len(words) > 2 and words[0] in titles:
        words = words[1:]
    return words


def has_title(name: str, cls: str) -> bool:
    """Whether ``name`` starts with an honorific that :func:`normalise` strips."""
    words = tokens(name)
    return cls in PERSONAL_CLASSES and _strip_title(words) != words


@lru_cache(maxsize=262144)
def name_tokens(name: str, cls: str) -> tuple[str, ...]:
    """The words of a name as resolution compares them (see :func:`normalise`)."""
    words = tokens(name)
    if cls in PERSONAL_CLASSES:
        return _strip_title(words)
    if len(words) > 1 and words[0] == "the":
        return words[1:]
    return words


#: Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): one
#: token there can be a whole name.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                       r"\u4e00-\u9fff\uf900-\ufaff]")


def is_full_name(words: tuple[str, ...]) -> bool:
    """Whether folded name words make a full name (``kym marsh``), not a bare first name or
    surname (``kym``): two or more words, or one in a script that does not space words."""
    return len(words) > 1 or (len(words) == 1 and _UNSPACED.search(words[0]) is not None)


def normalise(name: str, cls: str) -> str:
    """The comparison key of a name of an entity of class ``cls`` ('' if nothing is left)."""
    return " ".join(name_tokens(name, cls))


def slugify(name: str) -> str:
    """``Kym Marsh`` -> ``kym-marsh``; ``entity`` when nothing usable is left."""
    slug = "-".join(tokens(name))
    return slug or "entity"


def is_prefix_variant(a: str, b: str, min_len: int = 3) -> bool:
    """One folded first name is a prefix of the other (``alex`` / ``alexandra``)."""
    short, long_ = sorted((a, b), key=len)
    return len(short) >= min_len and long_.startswith(short)


@lru_cache(maxsize=65536)
def first_name_similarity(a: str, b: str) -> float:
    """0-100 similarity of two folded first names: the best of rapidfuzz's ratio and, when
    both are at least four letters long, its partial ratio; 100 for a prefix variant."""
    if not a or not b:
        return 0.0
    if a == b or is_prefix_variant(a, b):
        return 100.0
    score = fuzz.ratio(a, b)
    if min(len(a), len(b)) >= 4:
        score = max(score, fuzz.partial_ratio(a, b))
    return float(score)


#: Up to this many names are compared pair by pair in Python; more go through rapidfuzz's
#: vectorised ``cdist``.
_PAIRWISE_LIMIT = 64


def similar_name_pairs(names: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i <= j``, of distinct folded first names whose
    :func:`first_name_similarity` is at least ``threshold`` (``(i, i)`` always included).

    Small lists are compared pair by pair; long ones (a parent with hundreds of "children" is
    an extraction error, but must not make resolution quadratic in Python) are pre-filtered
    with :func:`rapidfuzz.process.cdist` and a sorted scan for prefixes, then checked exactly.
    """
    n = len(names)
    out = [(i, i) for i in range(n)]
    if n <= _PAIRWISE_LIMIT:
        out += [(i, j) for i in range(n) for j in range(i + 1, n)
                if first_name_similarity(names[i], names[j]) >= threshold]
        return sorted(out)
    candidates: set[tuple[int, int]] = set()
    ratio = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=threshold)
    for i, j in zip(*ratio.nonzero()):
        candidates.add((min(int(i), int(j)), max(int(i), int(j))))
    long_ = [k for k in range(n) if len(names[k]) >= 4]
    if long_:
        words = [names[k] for k in long_]
        partial = process.cdist(words, words, scorer=fuzz.partial_ratio, score_cutoff=threshold)
        for i, j in zip(*partial.nonzero()):
            a, b = long_[int(i)], long_[int(j)]
            candidates.add((min(a, b), max(a, b)))
    order = sorted(range(n), key=lambda k: names[k])
    for x, a in enumerate(order):  # names with a as prefix follow it in sorted order
        for b in order[x + 1:]:
            if not names[b].startswith(names[a]):
                break
            candidates.add((min(a, b), max(a, b)))
    out += [(i, j) for i, j in candidates
            if i != j and first_name_similarity(names[i], names[j]) >= threshold]
    return sorted(out)
