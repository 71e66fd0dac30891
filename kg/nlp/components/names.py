"""Find the names in a doc: well-known shows and organisations from the gazetteer, and
capitalised word sequences, cleaned of sentence-initial words, titles and role words.

Sets ``doc.ents`` with the labels ``Show``, ``Organization``, ``Place``, ``Event`` (from the
gazetteer or a name's last word, e.g. "… Hospital") or ``Name`` (not typed yet: the coref
component types it from context), then merges every entity into one token so that later rules
read "Kym Marsh" as one word. ``Span.kb_id_`` holds the canonical gazetteer name.
"""

from __future__ import annotations

import re
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.nlp.labels import entity_kind
from kg.nlp.lexicon import Lexicon, load_lexicon

_PARTICLES = {"de", "van", "von", "da", "di", "le", "la", "du", "der", "del", "bin", "al", "st"}
_OPEN_QUOTES = {"“", "‘", '"', "'", "(", "[", "—", "–", "-", ":"}
_INITIAL = re.compile(r"^[A-Z]\.?$")


@Language.factory("kg_names", default_config={"extra_gazetteers": [], "merge": True,
                                               "model_labels": {}, "model_names": False})
def make_name_finder(nlp: Language, name: str, extra_gazetteers: list[str], merge: bool,
                     model_labels: dict[str, str], model_names: bool) -> "NameFinder":
    """Build the name finder (registered as ``kg_names``)."""
    return NameFinder(nlp, load_lexicon(tuple(extra_gazetteers)), merge=merge,
                      model_labels=model_labels, model_names=model_names)


class NameFinder:
    """Gazetteer matches plus capitalised sequences, as typed entity spans.

    When a statistical NER ran before (the base pipeline), its entities are one more signal:
    ``model_labels`` maps an entity kind (:func:`kg.nlp.labels.entity_kind`) to the label a
    capitalised name gets when the model's entity covers exactly that name (for example
    ``{"place": "Place"}``); with ``model_names`` a person the model finds that the
    capitalisation rules left out is added as an untyped ``Name``.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon, *, merge: bool = True,
                 model_labels: dict[str, str] | None = None, model_names: bool = False) -> None:
        self.lex = lexicon
        self.merge = merge
        self.model_labels = dict(model_labels or {})
        self.model_names = model_names
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, tuple[str, str, bool]] = {}
        for entry in lexicon.gazetteer:
            forms = {entry.name, *entry.aliases}
            forms |= {f.replace("'", "’") for f in forms} | {f.replace("’", "'") for f in forms}
            key = f"{entry.cls}|{entry.name}"
            self.entries[key] = (entry.cls, entry.name, entry.broadcaster)
            self.matcher.add(key, [nlp.make_doc(f) for f in sorted(forms)])
        w = lexicon.words
        self.non_names = frozenset(w["non_names"]) | frozenset(w["calendar_words"])
        self.calendar = frozenset(w["calendar_words"])
        self.place_suffixes = frozenset(w["place_suffixes"])
        self.org_suffixes = frozenset(w["org_suffixes"])
        self.event_suffixes = frozenset(w["event_suffixes"])
        self.roles = frozenset(w["roles"]) | frozenset(w["person_descriptions"])
        self.genres = frozenset(w["show_genres"])
        self.demonyms = frozenset(w["demonyms"])
        self.place_prefixes = frozenset(w["place_prefixes"])

    def __call__(self, doc: Doc) -> Doc:
        model = {(e.start, e.end): kind for e in doc.ents if (kind := entity_kind(e.label_))}
        # the base NER's kinds by character span, for the learned extraction's features
        doc._.kg_model_ents = tuple(sorted((e.start_char, e.end_char, kind) for e in doc.ents
                                           if (kind := entity_kind(e.label_))))
        gaz = self._gazetteer_spans(doc)
        taken = {i for s in gaz for i in range(s.start, s.end)}
        spans = list(gaz)
        for start, end in self._capitalised_runs(doc, taken):
            span = self._clean(doc, start, end)
            if span is not None:
                spans.append(self._typed(span, model))
        if self.model_names:
            spans.extend(self._model_only_names(doc, spans, model))
        doc.ents = filter_spans(spans)
        if self.merge:
            with doc.retokenize() as retok:
                for ent in doc.ents:
                    if len(ent) > 1:
                        retok.merge(ent)
        return doc

    # -- the base pipeline's entities ----------------------------------------------------
    def _typed(self, span: Span, model: dict[tuple[int, int], str]) -> Span:
        """An untyped name the model labels exactly, with a class from ``model_labels``."""
        label = self.model_labels.get(model.get((span.start, span.end), ""))
        if span.label_ != "Name" or label is None:
            return span
        if len(span) > 1 and self.lex.is_first_name(span[0].text):
            return span  # "Imran Adams" looks like a person whatever the model says
        return Span(span.doc, span.start, span.end, label=label)

    def _model_only_names(self, doc: Doc, spans: list[Span],
                          model: dict[tuple[int, int], str]) -> list[Span]:
        """People the model finds where the capitalisation rules found nothing."""
        taken = {i for s in spans for i in range(s.start, s.end)}
        out = []
        for (start, end), kind in model.items():
            words = doc[start:end]
            if kind != "person" or not taken.isdisjoint(range(start, end)):
                continue
            if all(self._is_cap(t) or t.lower_ in _PARTICLES for t in words) and self._is_cap(words[-1]):
                out.append(Span(doc, start, end, label="Name"))
        return out

    # -- gazetteer -------------------------------------------------------------------
    def _gazetteer_spans(self, doc: Doc) -> list[Span]:
        out = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            cls, canonical, _ = self.entries[key]
            if end - start == 1 and self._ambiguous_single(doc[start]):
                continue
            if end - start == 1 and doc[start].text != canonical and end < len(doc) \
                    and self._is_cap(doc[end]) and not doc[end].is_sent_start:
                continue  # "Sun Villa": a one-word alias inside a longer name
            out.append(Span(doc, start, end, label=cls, kb_id=canonical))
        return filter_spans(out)

    def _ambiguous_single(self, tok: Token) -> bool:
        """A one-word alias that is also an ordinary word needs to be mid-sentence."""
        return tok.lower_ in self.lex.common_words and self._is_initial(tok)

    # -- capitalised sequences -------------------------------------------------------------
    def _is_cap(self, tok: Token) -> bool:
        t = tok.text
        if not t[:1].isalpha() or not t[:1].isupper() or t.endswith("-"):
            return False  # "Ex-" split off "Ex-Strictly pro" is a prefix, not a name
        if t in self.non_names:
            return False
        if t.isupper() and len(t) > 1 and t.lower() in self.lex.common_words:
            return False  # SHOUTED WORDS, not acronyms
        return True

    def _calendar_name(self, doc: Doc, i: int) -> bool:
        """"June Brown": a month that is also a given name, before a surname."""
        tok = doc[i]
        return (tok.text in self.calendar and self.lex.is_first_name(tok.text) and i + 1 < len(doc)
                and self._is_cap(doc[i + 1]) and doc[i + 1].text not in self.calendar)

    def _is_initial(self, tok: Token) -> bool:
        if tok.is_sent_start:
            return True
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return prev is not None and prev.text in _OPEN_QUOTES

    def _capitalised_runs(self, doc: Doc, taken: set[int]) -> Iterable[tuple[int, int]]:
        i, n = 0, len(doc)
        while i < n:
            if i in taken or not (self._is_cap(doc[i]) or self._calendar_name(doc, i)):
                i += 1
                continue
            j = i + 1
            while j < n and j not in taken and not doc[j - 1].text.endswith("’s"):
                tok = doc[j]
                if self._is_cap(tok) and not doc[j].is_sent_start:
                    j += 1
                elif tok.text in {"Today", "Tonight"} and not tok.is_sent_start:
                    j += 1  # "Sunrise Today": a title's last word, not the adverb
                elif tok.text in {"'s", "’s"} and j + 1 < n and (j + 1) not in taken and \
                        self._is_cap(doc[j + 1]) and self._titled(doc, i) and \
                        not self.lex.is_first_name(doc[j + 1].text):
                    j += 2  # "The Nag's Head", "the cookery show Olly's Kitchen": a title with a possessive
                elif (tok.text in self.calendar and self.lex.is_first_name(doc[j - 1].text)
                      and j - 1 == i):
                    j += 1  # "Ruby Sunday": a calendar word as a surname
                elif (tok.lower_ in _PARTICLES or tok.lower_ == "of") and j + 1 < n \
                        and self._is_cap(doc[j + 1]) and (j + 1) not in taken:
                    j += 2
                elif tok.lower_ == "the" and doc[j - 1].lower_ == "of" and j + 1 < n \
                        and self._is_cap(doc[j + 1]):
                    j += 2
                else:
                    break
            yield i, j
            i = j

    def _titled(self, doc: Doc, i: int) -> bool:
        """A name starting at ``i`` reads as a title: it begins with "The", or a genre word is before it."""
        if doc[i].text == "The":
            return True
        k = i - 1
        if k >= 0 and doc[k].text == ",":
            k -= 1
        return k >= 0 and doc[k].lower_ in self.genres

    def _clean(self, doc: Doc, start: int, end: int) -> Span | None:
        lex = self.lex
        # sentence-initial ordinary words, titles and role words are not part of a name
        while start < end:
            tok = doc[start]
            word = tok.text
            rest = end - start - 1
            if self._is_initial(tok) and tok.lower_ in lex.common_words and not (
                    lex.is_first_name(word) and rest >= 1):
                start += 1
            elif word.rstrip(".") in lex.titles and rest >= 1:
                start += 1
            elif tok.lower_ in self.roles and rest >= 1 and not lex.is_first_name(word):
                start += 1
            else:
                break
        while end > start and doc[end - 1].lower_ in (_PARTICLES | {"of", "the"}):
            end -= 1
        if start >= end:
            return None
        words = [t.text for t in doc[start:end]]
        if len(words) == 1:
            w = words[0]
            if w in self.non_names or w.rstrip(".") in lex.titles or _INITIAL.match(w):
                return None
            if w.split("-")[0] in self.demonyms or (w.lower() in self.genres | self.roles
                                                     and not lex.is_first_name(w)):
                return None  # "the Swedish actor", a sentence-initial "Soap heartthrob …"
            if w.lower() in lex.common_words and not lex.is_first_name(w) and not w.isupper():
                return None
            if self._is_initial(doc[start]) and (w.lower() in lex.common_words or (
                    w.endswith("ing") and not lex.is_first_name(w))):
                return None
        label = "Name"
        last = words[-1]
        if any(last.endswith(s) for s in self.place_suffixes if s.startswith("-")) or last in self.place_suffixes:
            label = "Place"
        elif last in self.org_suffixes:
            label = "Organization"
        elif last in self.event_suffixes and len(words) > 1:
            label = "Event"
        elif words[0] in self.place_prefixes and len(words) > 1:
            label = "Place"  # "Lake Como", "Mount Snowdon"
        return Span(doc, start, end, label=label)
