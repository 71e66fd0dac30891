"""Convert the open corpora in ``../shared/datasets`` into spaCy ``.spacy`` files.

    python training/convert.py --datasets ../shared/datasets --out training/work/corpus [--limit N]

Writes (deterministically):
- ``{train,dev,test}/ewt.spacy``: UD English-EWT v2.9 (tags, morphs, lemmas, trees) with the
  UniversalNER PER/ORG/LOC entities (``NE=`` in MISC), 10 sentences per doc.
- ``{train,dev,test}/gum.spacy``: GUM CC BY genres, trees plus the entity mentions headed by a
  proper noun (person->PER, place->LOC, organization->ORG). Mentions of those types that are
  too long to be names (clauses, appositions) are marked *missing*, not ``O``.
- ``{train,dev,test}/wnut.spacy``: WNUT 2017 NER only (person->PER, location->LOC,
  group/corporation->ORG; product and creative-work marked missing). No tags or trees:
  those stay unannotated so they do not teach the tagger or parser anything.

``--limit N`` keeps only the first N sentences of every file (used by the recipe test).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

SENTS_PER_DOC = 10
GUM_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG"}
WNUT_TYPES = {"person": "PER", "location": "LOC", "group": "ORG", "corporation": "ORG"}
# dependents that make a mention a description rather than a name
NAME_ADPOSITIONS = {"of", "de", "for", "on", "upon", "del", "da", "di", "van", "von", "la", "le"}
PERSON_TITLES = {
    "president", "prime", "minister", "general", "major", "congresswoman", "congressman",
    "senator", "governor", "king", "queen", "prince", "princess", "lord", "sir", "dr", "mr",
    "mrs", "ms", "saint", "st", "pope", "captain", "colonel", "lieutenant", "sergeant", "judge",
    "justice", "professor", "prof", "rev", "reverend", "chancellor", "secretary", "mayor",
    "chief", "emperor", "duke", "lady", "admiral", "bishop", "cardinal", "coach", "director",
}
CLAUSAL = {"acl", "acl:relcl", "appos", "parataxis", "conj", "cc", "advcl", "ccomp", "csubj"}


@dataclass
class Token:
    """One syntactic word of a CoNLL-U sentence (multiword-token surface forms merged)."""

    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int  # 0-based index in the sentence, -1 for the root
    deprel: str
    space: bool
    misc: dict[str, str] = field(default_factory=dict)


@dataclass
class Sentence:
    """A CoNLL-U sentence: its words and the document it opens, if any."""

    tokens: list[Token]
    newdoc: bool


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Yield sentences. A multiword token whose words spell its surface form keeps its words
    (spaCy's tokenizer splits "Warhol's" the same way); any other becomes one word, like
    ``spacy convert --merge-subtokens``: the word heading the group gives head and deprel."""
    lines: list[str] = []
    newdoc = False
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        if raw.startswith("# newdoc"):
            newdoc = True
        if raw.strip():
            lines.append(raw)
            continue
        rows = [r.split("\t") for r in lines if not r.startswith("#")]
        lines = []
        if not rows:
            continue
        yield Sentence(_words(rows), newdoc)
        newdoc = False


def _misc(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split("|") if text != "_" else []:
        key, _, value = part.partition("=")
        out[key] = value
    return out


def _words(rows: list[list[str]]) -> list[Token]:
    words = [r for r in rows if r[0].isdigit()]
    ids = [r[0] for r in words]
    index = {wid: i for i, wid in enumerate(ids)}
    # multiword ranges "3-4": merged into their first word
    ranges: dict[int, tuple[int, str, dict[str, str]]] = {}
    for r in rows:
        if "-" in r[0]:
            a, b = (int(x) for x in r[0].split("-"))
            ranges[index[str(a)]] = (index[str(b)], r[1], _misc(r[9]))
    tokens: list[Token] = []
    mapping: dict[int, int] = {}
    i = 0
    while i < len(words):
        r = words[i]
        misc = _misc(r[9])
        if i in ranges and "".join(w[1] for w in words[i : ranges[i][0] + 1]) == ranges[i][1]:
            # the words spell the surface form ("Warhol" + "'s"): keep them, as spaCy's tokenizer does
            end, _, rmisc = ranges[i]
            for j in range(i, end + 1):
                w = words[j]
                mapping[j] = len(tokens)
                tokens.append(Token(w[1], w[2], w[3], w[4], w[5], -2 if w[6] == "0" else index[w[6]],
                                    w[7], j == end and rmisc.get("SpaceAfter") != "No", _misc(w[9])))
            i = end + 1
            continue
        if i in ranges:
            end, form, rmisc = ranges[i]
            group = words[i : end + 1]
            for j in range(i, end + 1):
                mapping[j] = len(tokens)
            head = next((g for g in group if not (g[6] != "0" and index[g[6]] in range(i, end + 1))), group[0])
            merged = {**misc, **rmisc}
            for g in group:  # keep entity brackets of every part
                gm = _misc(g[9])
                if "Entity" in gm and g is not r:
                    merged["Entity"] = merged.get("Entity", "") + gm["Entity"]
            tokens.append(Token(form, "".join(g[2] for g in group), head[3],
                                "_".join(g[4] for g in group), head[5],
                                -2 if head[6] == "0" else index[head[6]],
                                head[7], rmisc.get("SpaceAfter") != "No", merged))
            i = end + 1
            continue
        mapping[i] = len(tokens)
        tokens.append(Token(r[1], r[2], r[3], r[4], r[5], -2 if r[6] == "0" else index[r[6]],
                            r[7], misc.get("SpaceAfter") != "No", misc))
        i += 1
    for t in tokens:
        t.head = -1 if t.head == -2 else mapping[t.head]
    return tokens


def _doc(vocab: Vocab, sents: list[Sentence], syntax: bool = True) -> Doc:
    toks = [t for s in sents for t in s.tokens]
    offsets, heads, starts = [], [], []
    for s in sents:
        base = len(offsets)
        for k, t in enumerate(s.tokens):
            offsets.append(base)
            heads.append(base + (k if t.head == -1 else t.head))
            starts.append(k == 0)
    kwargs: dict[str, object]
    if syntax:
        kwargs = dict(
            tags=[t.xpos for t in toks], pos=[t.upos for t in toks],
            morphs=[t.feats if t.feats != "_" else "" for t in toks],
            lemmas=[t.lemma for t in toks], heads=heads,
            deps=[t.deprel if t.head != -1 else "ROOT" for t in toks],
        )
    else:
        kwargs = dict(sent_starts=starts)
    return Doc(vocab, words=[t.form for t in toks], spaces=[t.space for t in toks], **kwargs)


def _chunks(sents: Iterator[Sentence], limit: int | None, by_newdoc: bool) -> Iterator[list[Sentence]]:
    chunk: list[Sentence] = []
    for n, s in enumerate(sents):
        if limit is not None and n >= limit:
            break
        if chunk and (len(chunk) >= SENTS_PER_DOC or (by_newdoc and s.newdoc)):
            yield chunk
            chunk = []
        chunk.append(s)
    if chunk:
        yield chunk


def ewt_docs(path: Path, vocab: Vocab, limit: int | None) -> Iterator[Doc]:
    """UD-EWT + UniversalNER: ``NE=B-PER`` BIO tags in MISC."""
    for chunk in _chunks(read_conllu(path), limit, by_newdoc=False):
        doc = _doc(vocab, chunk)
        tags = [t.misc.get("NE", "O") for s in chunk for t in s.tokens]
        doc.ents = _bio_spans(doc, tags)
        yield doc


def _bio_spans(doc: Doc, tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not tag.startswith("I-"):
            spans.append(Span(doc, start, i, label=label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


def gum_mentions(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """All (start, end, etype) mentions of a GUM sentence, from its ``Entity=`` brackets."""
    open_: dict[str, list[tuple[int, str]]] = {}
    out: list[tuple[int, int, str]] = []
    for i, t in enumerate(tokens):
        ent = t.misc.get("Entity", "")
        for m in re.finditer(r"\((\d+)-([a-z]+)[^()]*\)?|(\d+)\)", ent):
            if m.group(1):
                if m.group(0).endswith(")"):
                    out.append((i, i + 1, m.group(2)))
                else:
                    open_.setdefault(m.group(1), []).append((i, m.group(2)))
            elif open_.get(m.group(3)):
                start, etype = open_[m.group(3)].pop()
                out.append((start, i + 1, etype))
    return out


def _name_span(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The name inside a proper-noun-headed mention, or None when it is not a plain name."""
    inside = range(start, end)
    heads = [i for i in inside if tokens[i].head not in inside]
    if len(heads) != 1 or tokens[heads[0]].upos != "PROPN":
        return None
    while start < end and (tokens[start].upos in {"DET", "PUNCT"}):
        start += 1
    while end > start and (tokens[end - 1].upos == "PUNCT" or tokens[end - 1].xpos == "POS"):
        end -= 1
    if start >= end:
        return None
    words = range(start, end)
    if any(tokens[i].deprel in CLAUSAL or tokens[i].upos in {"VERB", "PRON"} for i in words):
        return None
    if any(tokens[i].form in {",", ";", "(", ")"} for i in words):
        return None  # "Basel, in Switzerland": the nested names are annotated on their own
    if any(tokens[i].upos == "ADP" and tokens[i].lemma.lower() not in NAME_ADPOSITIONS for i in words):
        return None
    return start, end


def _strip_titles(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """"Indian Prime Minister Jawaharlal Nehru" -> "Jawaharlal Nehru" (UniversalNER leaves
    titles and nationality adjectives outside PER)."""
    while end - start > 1 and (tokens[start].upos == "ADJ"
                               or tokens[start].form.lower().rstrip(".") in PERSON_TITLES):
        start += 1
    return None if tokens[start].form.lower().rstrip(".") in PERSON_TITLES else (start, end)


def gum_docs(path: Path, vocab: Vocab, limit: int | None) -> Iterator[Doc]:
    """GUM: proper-noun-headed person/place/organization mentions as PER/LOC/ORG."""
    for chunk in _chunks(read_conllu(path), limit, by_newdoc=True):
        doc = _doc(vocab, chunk)
        ents: list[tuple[int, int, str]] = []
        missing: list[tuple[int, int]] = []
        base = 0
        for s in chunk:
            for start, end, etype in gum_mentions(s.tokens):
                label = GUM_TYPES.get(etype)
                inside = range(start, end)
                heads = [i for i in inside if s.tokens[i].head not in inside]
                if label is None or len(heads) != 1 or s.tokens[heads[0]].upos != "PROPN":
                    continue
                name = _name_span(s.tokens, start, end)
                if name is not None and label == "PER":
                    name = _strip_titles(s.tokens, *name)
                if name is None or (label == "PER" and s.tokens[heads[0]].xpos == "NNPS"):
                    # descriptions, and plural demonyms ("Americans"), are left unannotated
                    missing.append((base + start, base + end))
                else:
                    ents.append((base + name[0], base + name[1], label))
            base += len(s.tokens)
        yield _set_ents(doc, ents, missing)


def _set_ents(doc: Doc, ents: list[tuple[int, int, str]], missing: list[tuple[int, int]]) -> Doc:
    # outermost names win; overlapping ones are dropped
    chosen: list[Span] = []
    taken: set[int] = set()
    for start, end, label in sorted(ents, key=lambda e: (e[0] - e[1], e[0])):
        if taken.isdisjoint(range(start, end)):
            chosen.append(Span(doc, start, end, label=label))
            taken.update(range(start, end))
    gaps: list[Span] = []
    for start, end in sorted(missing):
        free = [i for i in range(start, end) if i not in taken]
        for i in free:
            gaps.append(Span(doc, i, i + 1))
            taken.add(i)
    doc.set_ents(sorted(chosen, key=lambda s: s.start), missing=gaps, default="outside")
    return doc


def wnut_docs(path: Path, vocab: Vocab, limit: int | None) -> Iterator[Doc]:
    """WNUT17: ``token<TAB>tag``; NER only."""
    text = path.read_text(encoding="utf-8-sig")
    sents: list[list[tuple[str, str]]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        word, _, tag = line.partition("\t")
        word = word.replace("\ufeff", "").strip()
        if word:
            sents[-1].append((word, tag.strip() or "O"))
    sents = [s for s in sents if s][: limit if limit is not None else None]
    for k in range(0, len(sents), SENTS_PER_DOC):
        group = sents[k : k + SENTS_PER_DOC]
        words = [w for s in group for w, _ in s]
        starts = [j == 0 for s in group for j in range(len(s))]
        doc = Doc(vocab, words=words, sent_starts=starts)
        ents: list[tuple[int, int, str]] = []
        missing: list[tuple[int, int]] = []
        for start_end_label in _bio_triples([t for s in group for _, t in s]):
            start, end, label = start_end_label
            if label in WNUT_TYPES:
                ents.append((start, end, WNUT_TYPES[label]))
            else:
                missing.append((start, end))
        yield _set_ents(doc, ents, missing)


def _bio_triples(tags: list[str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    start, label = None, ""
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == label):
            out.append((start, i, label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return out


SOURCES = {
    "ewt": (ewt_docs, "ud-ewt-uner", "ewt-uner-{split}.conllu", ("train", "dev", "test")),
    "gum": (gum_docs, "gum", "gum-ccby-{split}.conllu", ("train", "dev", "test")),
    "wnut": (wnut_docs, "wnut17", "{split}.conll", ("train", "dev", "test")),
}


def convert(datasets: Path, out: Path, limit: int | None = None) -> dict[str, int]:
    """Write every ``<split>/<source>.spacy`` file under ``out``; return the doc counts.

    ``out/train`` then holds every training file (spaCy reads a folder as one corpus)."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (reader, folder, pattern, splits) in SOURCES.items():
        for split in splits:
            src = datasets / folder / pattern.format(split=split)
            if not src.is_file():
                raise FileNotFoundError(f"corpus file not found: {src}")
            vocab = Vocab()
            docs = list(reader(src, vocab, limit))
            (out / split).mkdir(exist_ok=True)
            DocBin(docs=docs, store_user_data=False).to_disk(out / split / f"{name}.spacy")
            counts[f"{name}-{split}"] = len(docs)
    return counts


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("training/work/corpus"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    for key, n in convert(args.datasets, args.out, args.limit).items():
        print(f"{key}: {n} docs")


if __name__ == "__main__":
    main()
