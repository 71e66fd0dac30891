"""Tokenizer and sentence boundaries for news text.

The tokenizer keeps hyphenated words whole (``ex-husband``, ``Lucy-Jo``, ``40-year-old``)
because kg's rules read them as one word. Sentences end at ``. ! ?`` (with closing quotes and
brackets) before a capitalised word or an opening quote, and at every line break: headlines and
photo captions have no full stop.
"""

from __future__ import annotations

from typing import Callable

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, registry

_HYPHEN_INFIX_MARK = "(?:-|–|—|--|---|——|~)"
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "rev", "revd", "no", "vs", "jr", "sr", "mt",
                  "lt", "col", "gen", "sgt", "capt", "ft", "inc", "ltd", "co", "etc"}
_CLOSERS = {"”", "’", '"', "'", ")", "]"}
_OPENERS = {"“", "‘", '"', "'", "(", "["}


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
    """Mark sentence starts (registered as ``kg_sentences``)."""
    n = len(doc)
    if n == 0:
        return doc
    starts = [False] * n
    starts[0] = True
    for i, tok in enumerate(doc):
        if "\n" in tok.text_with_ws[len(tok.text):] or "\n" in tok.text:
            nxt = i + 1
            while nxt < n and doc[nxt].is_space:
                nxt += 1
            if nxt < n:
                starts[nxt] = True
            continue
        if tok.text not in {".", "!", "?", "…", "...", "?!", "!!", "!!!"}:
            continue
        if tok.text == "." and i > 0 and (doc[i - 1].lower_ in _ABBREVIATIONS
                                          or (len(doc[i - 1].text) == 1 and doc[i - 1].is_upper)):
            continue
        j = i + 1
        while j < n and doc[j].text in _CLOSERS and not doc[j - 1].whitespace_:
            j += 1
        if j >= n or not doc[j - 1].whitespace_:
            continue
        nxt = doc[j]
        if nxt.text[:1].isupper() or nxt.text in _OPENERS or nxt.text[:1].isdigit():
            starts[j] = True
    for i, tok in enumerate(doc):
        tok.is_sent_start = starts[i]
    return doc
