"""Ages and dates, normalised against the article's date (``doc._.kg_date``).

Ages: "Kym, 44,", "Kym (44)", "the 40-year-old actress", "nine-year-old Polly", "aged 40",
"at the age of 71", "Cherry was eight-years-old". Each age holds for the article's date.

Dates: "February 11, 2009", "11 February 2009", "on 31 December", "18.2.2020", "yesterday",
"today", "this morning", "on Wednesday" (the last one before the article's date). A date in a
sentence about a birth or a death becomes ``birthDate`` / ``deathDate`` of the person the
sentence is about; "moments later" / "shortly after" carry the last such date forward;
"24.1.24 / 17.4.18" after a death is read as a lifespan.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.doc_model import FactCandidate
from kg.nlp.lexicon import Lexicon, load_lexicon

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
#: "40-year-old", "nine-years-old": an age written as one word
AGE_WORD = re.compile(r"^(?P<n>[0-9]{1,3}|[a-z]+(?:-[a-z]+)?)-years?-old$", re.I)
_MONTHS = ("january february march april may june july august september october november december")
_MONTH = r"(?:" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in _MONTHS.split()) + r")\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<mn>\d{1,2})\.(?P<y>\d{2}|\d{4})\b"),
    re.compile(rf"\bon\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\b(?!\s+\d)", re.I),
    re.compile(rf"\bon\s+(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})", re.I),
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_CARRY = ("moments later", "shortly after", "hours later", "minutes later", "later that day", "soon after",
          "just after", "shortly afterwards")


def number_value(word: str) -> int | None:
    """``"nine"`` → 9, ``"twenty-three"`` → 23, ``"44"`` → 44."""
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if w in _TENS:
        return _TENS[w]
    if "-" in w:
        a, _, b = w.partition("-")
        if a in _TENS and b in _NUMBER_WORDS and 0 < _NUMBER_WORDS[b] < 10:
            return _TENS[a] + _NUMBER_WORDS[b]
    return None


@Language.factory("kg_temporal", default_config={"extra_gazetteers": []})
def make_temporal(nlp: Language, name: str, extra_gazetteers: list[str]) -> "Temporal":
    """Build the ages-and-dates component (registered as ``kg_temporal``)."""
    return Temporal(load_lexicon(tuple(extra_gazetteers)))


class Temporal:
    """Finds ages and birth/death dates of the doc's people."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.death = tuple(lexicon.words["death_words"])
        self.birth = tuple(lexicon.words["birth_words"])

    def __call__(self, doc: Doc) -> Doc:
        facts: list[FactCandidate] = []
        today: dt.date | None = doc._.kg_date
        last_event: dt.date | None = None
        for sent in doc.sents:
            if today is not None:
                facts.extend(self._ages(doc, sent, today))
            found, last_event = self._dates(doc, sent, today, last_event)
            facts.extend(found)
        doc._.kg_facts = facts
        return doc

    # -- ages ------------------------------------------------------------------------------
    def _person(self, tok: Token | None) -> int | None:
        if tok is None or tok._.kg_ref is None:
            return None
        cls = tok.doc._.kg_clusters[tok._.kg_ref].cls
        return tok._.kg_ref if cls in {"Person", "Character"} else None

    def _fact(self, ref: int, attr: str, value: int | dt.date, sent: Span, rule: str, conf: float,
              as_of: dt.date | None, tok: Token) -> FactCandidate:
        chain = (tok._.kg_chain,) if tok._.kg_chain else ()
        return FactCandidate(ref, attr, value, sent.start_char, sent.end_char, rule, conf, as_of, chain)

    def _ages(self, doc: Doc, sent: Span, today: dt.date) -> list[FactCandidate]:
        out = []
        for tok in sent:
            i = tok.i
            # "Kym, 44," / "Kym (44)"
            if self._person(tok) is not None and i + 2 < len(doc) and doc[i + 1].text in {",", "("}:
                n = number_value(doc[i + 2].text)
                after = doc[i + 3].text if i + 3 < len(doc) else ""
                if n is not None and 0 < n < 120 and doc[i + 2].text.isdigit() and \
                        after in {",", ")", "and", ".", "-", "–", "—", "", "who", "has", "is", "was", "said"} and \
                        not (after == "," and i + 4 < len(doc) and doc[i + 4].text.isdigit()):
                    out.append(self._fact(tok._.kg_ref, "age", n, sent, "age.apposition", 0.9, today, tok))
                elif n is not None and 0 < n < 20 and doc[i + 2].is_alpha and after in {",", ")", "and", "."}:
                    out.append(self._fact(tok._.kg_ref, "age", n, sent, "age.apposition_word", 0.8, today, tok))
            m = AGE_WORD.match(tok.text)
            if m:
                n = number_value(m.group("n"))
                if n is None:
                    continue
                # "the 40-year-old actress", "nine-year-old Polly"
                target = None
                if tok._.kg_ref is not None and i > sent.start and doc[i - 1].lower_ == "the":
                    target = tok  # "The 47-year-old plays Felix": coref resolved the description
                for k in range(i + 1, min(sent.end, i + 4) if target is None else i):
                    if self._person(doc[k]) is not None:
                        target = doc[k]
                        break
                    if doc[k].is_punct:
                        break
                if target is None and i > sent.start and doc[i - 1].lower_ in {"was", "is", "turned", "aged"}:
                    target = self._subject(doc, sent, i)
                if target is None and i > sent.start and doc[i - 1].lower_ == "the" and \
                        (i + 1 >= sent.end or not doc[i + 1].is_alpha or doc[i + 1].lower_ in {"has", "is", "was", "plays"}):
                    target = tok if tok._.kg_ref is not None else None
                if target is not None and self._person(target) is not None:
                    out.append(self._fact(target._.kg_ref, "age", n, sent, "age.year_old", 0.85, today, target))
            # "aged 40", "at the age of 71", "turned 50"
            if tok.lower_ in {"aged", "turned", "turns"} and i + 1 < sent.end:
                n = number_value(doc[i + 1].text)
                target = self._subject(doc, sent, i)
                if n is not None and 0 < n < 120 and target is not None:
                    out.append(self._fact(target._.kg_ref, "age", n, sent, "age.aged", 0.8, today, target))
            if tok.lower_ == "age" and i + 2 < sent.end and doc[i + 1].lower_ == "of" and i >= 2 and \
                    doc[i - 1].lower_ == "the" and doc[i - 2].lower_ == "at":
                n = number_value(doc[i + 2].text)
                target = self._subject(doc, sent, i)
                if n is not None and target is not None:
                    out.append(self._fact(target._.kg_ref, "age", n, sent, "age.at_the_age_of", 0.8, today, target))
        return out

    def _subject(self, doc: Doc, sent: Span, i: int) -> Token | None:
        """The nearest person before ``i``; an unresolved "she"/"he" in between means someone unnamed."""
        for k in range(i - 1, sent.start - 1, -1):
            w = doc[k]
            if w.lower_ in {"she", "he"} and w._.kg_ref is None:
                return None
            if self._person(w) is not None and not (w.lower_ in {"her", "his", "their"} or (
                    k + 1 < len(doc) and doc[k + 1].lower_ in {"’s", "'s"})):
                return w
        return None

    # -- dates -----------------------------------------------------------------------------
    def _dates(self, doc: Doc, sent: Span, today: dt.date | None,
               last_event: dt.date | None) -> tuple[list[FactCandidate], dt.date | None]:
        text = sent.text
        low = text.lower()
        is_death = any(w in low for w in self.death) and "death of" not in low or "death of" in low
        is_birth = any(re.search(rf"\b{re.escape(w)}\b", low) for w in self.birth)
        if not (is_death or is_birth):
            return [], last_event
        dates = self._explicit_dates(text, today)
        if not dates and today is not None:
            rel = self._relative_date(low, today)
            if rel is not None:
                dates = [rel]
        carried = False
        if not dates and last_event is not None and any(c in low for c in _CARRY):
            dates, carried = [last_event], True
        if not dates:
            return [], last_event
        out = []
        subject = self._event_subject(doc, sent, is_birth and not is_death)
        if subject is None:
            return [], last_event
        ref = subject._.kg_ref
        if len(dates) == 2 and is_death and not is_birth and re.search(r"\d\s*[/–-]\s*\d", text):
            out.append(self._fact(ref, "birthDate", dates[0], sent, "date.lifespan", 0.7, None, subject))
            out.append(self._fact(ref, "deathDate", dates[1], sent, "date.lifespan", 0.7, None, subject))
            return out, dates[1]
        date = dates[0]
        if is_birth and not (is_death and not re.search(r"\bborn\b", low)):
            if not carried:
                out.append(self._fact(ref, "birthDate", date, sent, "date.birth", 0.8, None, subject))
        if is_death and (not is_birth or re.search(r"\b(died|passed away)\b", low)):
            out.append(self._fact(ref, "deathDate", date, sent, "date.death", 0.8 if not carried else 0.6,
                                  None, subject))
        return out, date

    def _event_subject(self, doc: Doc, sent: Span, birth: bool) -> Token | None:
        """The person a birth or death sentence is about."""
        for tok in sent:
            if tok.lower_ == "of" and tok.i > sent.start and doc[tok.i - 1].lower_ in {"death", "birth", "arrival"}:
                for k in range(tok.i + 1, min(sent.end, tok.i + 4)):
                    if self._person(doc[k]) is not None:
                        return doc[k]
        for tok in sent:
            if tok.lower_ in {"born", "died", "passed", "dies", "death"}:
                if birth and tok.lower_ == "born":
                    for k in range(tok.i - 1, sent.start - 1, -1):
                        if self._person(doc[k]) is not None:
                            return doc[k]
                return self._subject(doc, sent, tok.i) or next(
                    (doc[k] for k in range(tok.i + 1, sent.end) if self._person(doc[k]) is not None), None)
        return None

    def _explicit_dates(self, text: str, today: dt.date | None) -> list[dt.date]:
        found: list[tuple[int, dt.date]] = []
        for pat in _DATE_PATTERNS:
            for m in pat.finditer(text):
                try:
                    if "mn" in m.groupdict():
                        y = int(m.group("y"))
                        if y < 100:
                            century = (today.year // 100) * 100 if today else 2000
                            y = century + y if century + y <= (today.year if today else 2099) else century - 100 + y
                        d = dt.date(y, int(m.group("mn")), int(m.group("d")))
                    else:
                        default = dt.datetime(today.year if today else 2000, 1, 1)
                        d = date_parser.parse(m.group(0).replace("on ", ""), default=default, dayfirst=True).date()
                        if "y" not in m.groupdict() and today is not None and d > today:
                            d = d.replace(year=d.year - 1)
                except (ValueError, OverflowError):
                    continue
                found.append((m.start(), d))
        found.sort()
        uniq: list[dt.date] = []
        seen_pos: list[int] = []
        for pos, d in found:
            if any(abs(pos - p) < 4 for p in seen_pos):
                continue
            seen_pos.append(pos)
            uniq.append(d)
        return uniq

    def _relative_date(self, low: str, today: dt.date) -> dt.date | None:
        """The date a relative phrase ("yesterday", "last Tuesday") names, or None.

        None too where the date would fall outside the calendar (an article dated 0001-01-01
        that says "yesterday"): that phrase gives no date, the article still counts.
        """
        try:
            return self._relative(low, today)
        except (OverflowError, ValueError):
            return None

    def _relative(self, low: str, today: dt.date) -> dt.date | None:
        if re.search(r"\byesterday\b", low):
            return today - dt.timedelta(days=1)
        if re.search(r"\b(today|this morning|this afternoon|this evening|tonight|earlier today)\b", low):
            return today
        m = re.search(r"\b(?:on|last)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", low)
        if m:
            target = _WEEKDAYS.index(m.group(1))
            delta = (today.weekday() - target) % 7 or 7
            return today - dt.timedelta(days=delta)
        m = re.search(r"\b(\w+) (?:days?) ago\b", low)
        if m and number_value(m.group(1)) is not None:
            return today - relativedelta(days=number_value(m.group(1)))
        return None
