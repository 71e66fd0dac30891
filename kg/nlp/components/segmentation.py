"""Tokenizer and sentence boundaries for news text.

The tokenizer keeps hyphenated words whole (``ex-husband``, ``Lucy-Jo``, ``40-year-old``)
because kg's rules read them as one word. Sentences end at ``. ! ?`` (with closing quotes and
brackets) before a capitalised word or an opening quote, and at every line break: headlines and
photo captions have no full stop.
"""

from __future__ import annotations

from typing import Callable

import numpy

from spacy.lang.en import English
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, registry

_HYPHEN_INFIX_MARK = "(?:-|–|—|--|---|——|~)"
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "rev", "revd", "no", "vs", "jr", "sr", "mt",
                  "lt", "col", "gen", "sgt", "capt", "ft", "inc", "ltd", "co", "etc"}
_CLOSERS = {"”", "’", '"', "'", ")", "]"}
_OPENERS = {"“", "‘", '"', "'", "(", "["}
_ENDERS = {".", "!", "?", "…", "...", "?!", "!!", "!!!"}


@registry.tokenizers("kg.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """English tokenizer that does not split hyphenated words."""

    def make(nlp: Language) -> Tokenizer:
        infixes = [p for p in English.Defaults.infixes if _HYPHEN_INFIX_MARK not in p]
        tok = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        tok.infix_finditer = compile_infix_regex(infixes).finditer
        # "Ex-Strictly pro": split a leading ex- off a capitalised name
        prefixes = [r"[Ee]x-(?=[A-Z])", *English.Defaults.prefixes]
        tok.prefix_search = compile_prefix_regex(prefixes).search
        return tok

    return make


@Language.component("kg_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts (registered as ``kg_sentences``).

    Reads each token's text once into lists and writes every boundary in one
    ``Doc.from_array`` call: setting ``Token.is_sent_start`` one token at a time rescans the
    whole doc on each assignment (quadratic in the document's length).
    """
    n = len(doc)
    if n == 0:
        return doc
    texts = [tok.text for tok in doc]
    spaces = [tok.whitespace_ for tok in doc]
    starts = [False] * n
    starts[0] = True
    for i, text in enumerate(texts):
        if "\n" in spaces[i] or "\n" in text:
            nxt = i + 1
            while nxt < n and texts[nxt].isspace():
                nxt += 1
            if nxt < n:
                starts[nxt] = True
            continue
        if text not in _ENDERS:
            continue
        if text == "." and i > 0 and (texts[i - 1].lower() in _ABBREVIATIONS
                                      or (len(texts[i - 1]) == 1 and doc[i - 1].is_upper)):
            continue
        j = i + 1
        while j < n and texts[j] in _CLOSERS and not spaces[j - 1]:
            j += 1
        if j >= n or not spaces[j - 1]:
            continue
        nxt_text = texts[j]
        if nxt_text[:1].isupper() or nxt_text in _OPENERS or nxt_text[:1].isdigit():
            starts[j] = True
    values = numpy.fromiter((1 if start else -1 for start in starts), dtype=numpy.int64, count=n)
    doc.from_array([SENT_START], values.astype(numpy.uint64).reshape(n, 1))
    return doc
