"""Which person an age belongs to: candidates and features for kg's learned age attacher.

An *age expression* is a number the sentence gives as someone's age: "Kym, 44,", "(44)",
"the 40-year-old", "nine-year-old Polly", "aged 40", "at the age of 71". Every person or
character mentioned in the same sentence (by name, pronoun or resolved description) is a
candidate owner; the classifier scores each (age, candidate) pair from the words and the
dependency path between them, and the best candidate above the threshold gets the age.
kg's age rules become a feature ("the rule gave this age to this candidate").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.features import _path, token_refs
from kg.nlp.components.temporal import AGE_WORD, number_value

_OPENERS = {",": "comma", "(": "paren"}
_CLOSERS = {",", ")", ".", "and", ";", "-", "\u2013", "\u2014", "who", "has", "is", "was", "said", "are"}
_LEAD_WORDS = {"aged": "aged", "turned": "turned", "turns": "turned", "turning": "turned"}


@dataclass(frozen=True)
class AgeExample:
    """One age expression of a sentence and one candidate owner."""

    value: int
    token: int  # the age expression's token
    cluster: int
    mention: int  # the candidate's mention token nearest the age
    sent: tuple[int, int]
    features: dict[str, float] = field(hash=False, compare=False)


def age_expressions(doc: Doc, sent: Span) -> list[tuple[int, int, str]]:
    """(token index, age, kind) of every age expression in ``sent``."""
    out = []
    for tok in sent:
        i = tok.i
        m = AGE_WORD.match(tok.text)
        if m:
            n = number_value(m.group("n"))
            if n is not None and 0 < n < 120:
                out.append((i, n, "year_old"))
            continue
        if i + 1 < len(doc) and doc[i + 1].lower_ in ("year-old", "years-old", "year", "years") and \
                tok.text.isdigit() and i + 2 < len(doc) and (doc[i + 1].lower_.endswith("old") or doc[i + 2].lower_ in ("old", "-old")):
            n = int(tok.text)
            if 0 < n < 120:
                out.append((i, n, "year_old"))
            continue
        n = number_value(tok.text)
        if n is None or not 0 < n < 120 or i == sent.start:
            continue
        prev = doc[i - 1].lower_
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if prev in _OPENERS and (nxt in _CLOSERS or i + 1 >= sent.end) and \
                (tok.text.isdigit() or n < 20):
            out.append((i, n, _OPENERS[prev]))
        elif prev in _LEAD_WORDS:
            out.append((i, n, _LEAD_WORDS[prev]))
        elif prev == "of" and i >= 2 and doc[i - 2].lower_ == "age":
            out.append((i, n, "age_of"))
    return out


def _candidates(doc: Doc, sent: Span, keep: set[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    refs = token_refs(doc)[0]
    for i in range(sent.start, sent.end):
        ref = refs[i]
        if ref is not None and ref in keep:
            out.setdefault(ref, []).append(i)
    return out


def age_examples(doc: Doc, people: set[int]) -> list[AgeExample]:
    """Every (age expression, person or character in its sentence) pair of ``doc``."""
    rule_ages = {(f.sent_start, f.subject, f.value) for f in doc._.kg_facts or () if f.attribute == "age"}
    out = []
    for sent in doc.sents:
        ages = age_expressions(doc, sent)
        if not ages:
            continue
        cands = _candidates(doc, sent, people)
        for i, n, kind in ages:
            tok = doc[i]
            ranked = sorted(cands, key=lambda c: min(abs(j - i) for j in cands[c]))
            for rank, c in enumerate(ranked):
                j = min(cands[c], key=lambda j: (abs(j - i), j))
                f = _features(doc, sent, tok, doc[j], kind, rank, len(ranked))
                if (sent.start_char, c, n) in rule_ages:
                    f["rule_age"] = 1.0
                    f[f"rule_age|{kind}"] = 1.0
                out.append(AgeExample(n, i, c, j, (sent.start_char, sent.end_char), f))
    return out


def _features(doc: Doc, sent: Span, age: Token, mention: Token, kind: str, rank: int,
              n_cands: int) -> dict[str, float]:
    d = mention.i - age.i
    side = "before" if d < 0 else "same" if d == 0 else "after"
    f: dict[str, float] = {"bias": 1.0, f"kind={kind}": 1.0, f"side={side}": 1.0,
                           f"kind_side={kind}|{side}": 1.0, f"rank={min(rank, 3)}": 1.0,
                           f"kind_rank={kind}|{min(rank, 3)}": 1.0, f"n_cands={min(n_cands, 4)}": 1.0}
    dist = abs(d)
    f[f"dist={dist if dist < 4 else '4-7' if dist < 8 else '8+'}"] = 1.0
    f[f"kind_dist={kind}|{min(dist, 5)}"] = 1.0
    if mention.lower_ in ("he", "she", "him", "her", "his", "they", "their", "i", "my"):
        f[f"pronoun={mention.lower_}"] = 1.0
    lo, hi = sorted((age.i, mention.i))
    between = doc[lo + 1: hi]
    if len(between) <= 3:
        f[f"btw_seq={kind}|{' '.join(t.lower_ for t in between)}|{side}"] = 1.0
    refs = token_refs(doc)[0]
    if any(refs[t.i] is not None for t in between):
        f["person_between"] = 1.0
    steps, lca = _path(mention, age)
    if steps and len(steps) <= 6:
        f[f"path={' '.join(steps)}"] = 1.0
    f[f"path_len={min(len(steps), 7)}"] = 1.0
    if mention.dep_.startswith("nsubj"):
        f["mention_subject"] = 1.0
    if age.i > 0 and doc[age.i - 1].lower_ == "the":
        f["the_age"] = 1.0
    return f
