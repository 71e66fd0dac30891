"""Features that kg's learned extraction reads from a parsed, clustered ``Doc``.

Two kinds of example come out of a doc:

* one :class:`ClusterExample` per entity cluster (for the entity typer): the rule components'
  class votes, the base NER's kinds, the name's shape and the words and dependency relations
  around every mention;
* one :class:`PairExample` per pair of clusters mentioned in one sentence (for the relation
  classifier): the shortest dependency path between the two mentions with its lemmas and
  labels, the words between them, trigger words around them, the two clusters' classes,
  possessive, appositive and list structure, and which of kg's rules fired on the pair.

Features are plain ``{name: value}`` dicts (string features have value 1.0), so any linear
model reads them. Everything here reads the parse; no word list of any one article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.nlp.doc_model import Cluster

#: dependency relations that hold lists together (coordination, apposition, flat names)
_LIST_DEPS = frozenset({"conj", "appos", "cc", "punct"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "they", "them", "their",
                       "theirs", "i", "me", "my", "we", "us", "our", "you", "your", "it", "its"})
MAX_PATH = 8  # longer dependency paths are summarised by their ends


@dataclass(frozen=True)
class ClusterExample:
    """One entity cluster of a doc and its typing features."""

    cluster: int
    features: dict[str, float]


@dataclass(frozen=True)
class PairExample:
    """Two clusters mentioned in one sentence, ``first`` before ``second`` in the text.

    ``first_token``/``second_token`` are the mentions the path features were read between;
    ``sent`` is the sentence's (start, end) character offsets.
    """

    first: int
    second: int
    sent: tuple[int, int]
    first_token: int
    second_token: int
    features: dict[str, float] = field(hash=False, compare=False)


def _shape(text: str) -> str:
    out = []
    for ch in text:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


def _model_kinds(doc: Doc) -> dict[int, str]:
    """Token index -> the base NER's kind (person/place/organization/work) covering it."""
    out: dict[int, str] = {}
    for start, end, kind in doc._.kg_model_ents or ():
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for tok in span:
                out.setdefault(tok.i, kind)
    return out


def token_refs(doc: Doc) -> tuple[list[int | None], list[tuple[int, ...] | None]]:
    """Every token's ``kg_ref`` and ``kg_group``, read once per doc and kept on it
    (the features would otherwise read each custom attribute many times)."""
    cached = doc.user_data.get(_REFS_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    refs: list[int | None] = [t._.kg_ref for t in doc]
    groups: list[tuple[int, ...] | None] = [tuple(g) if (g := t._.kg_group) else None for t in doc]
    doc.user_data[_REFS_KEY] = (refs, groups)
    return refs, groups


_REFS_KEY = "kg_extract_refs"
_TABLE_KEY = "kg_extract_tokens"


@dataclass(frozen=True)
class _Tokens:
    """Per-token strings and flags, read once per doc (Token attribute access is slow)."""

    lower: list[str]
    lemma: list[str]
    text: list[str]
    punct: list[bool]


def _tokens(doc: Doc) -> _Tokens:
    cached = doc.user_data.get(_TABLE_KEY)
    if cached is not None and len(cached.lower) == len(doc):
        return cached
    table = _Tokens([t.lower_ for t in doc], [t.lemma_.lower() for t in doc], [t.text for t in doc],
                    [t.is_punct for t in doc])
    doc.user_data[_TABLE_KEY] = table
    return table


@dataclass(frozen=True)
class _Sentence:
    """What the pair features read of a whole sentence, computed once per sentence."""

    content_lemmas: tuple[str, ...]
    negated: bool
    root: str | None


def _sentence_info(doc: Doc, sent: Span) -> _Sentence:
    content = tuple(t.lemma_.lower() for t in sent if t.pos_ in ("NOUN", "VERB", "ADJ") and not t.is_stop)
    negated = any(t.lower_ in ("not", "n't", "never") for t in sent)
    return _Sentence(content, negated, sent.root.lemma_.lower() if parsed(doc) else None)


def _mention_tokens(doc: Doc) -> dict[int, list[int]]:
    """Cluster id -> indices of every token that refers to it (names and resolved pronouns)."""
    out: dict[int, list[int]] = defaultdict(list)
    for i, ref in enumerate(token_refs(doc)[0]):
        if ref is not None:
            out[ref].append(i)
    return out


def _context(tok: Token, prefix: str, feats: dict[str, float]) -> None:
    """Words and relations around one mention token."""
    doc = tok.doc
    if parsed(doc):
        head = tok.head
        feats[f"{prefix}dep={tok.dep_}"] = 1.0
        feats[f"{prefix}head={head.lemma_.lower()}"] = 1.0
        feats[f"{prefix}dep_head={tok.dep_}|{head.lemma_.lower()}"] = 1.0
        if tok.dep_ in ("appos", "compound", "flat", "conj") and head.i != tok.i:
            feats[f"{prefix}head_head={head.head.lemma_.lower()}"] = 1.0
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "nmod", "det", "nmod:poss", "appos", "case"):
                feats[f"{prefix}child={child.dep_}|{child.lemma_.lower()}"] = 1.0
    if tok.i > 0:
        prev = doc[tok.i - 1]
        feats[f"{prefix}prev={prev.lower_}"] = 1.0
        if tok.i > 1:
            feats[f"{prefix}prev2={doc[tok.i - 2].lower_}|{prev.lower_}"] = 1.0
    if tok.i + 1 < len(doc):
        nxt = doc[tok.i + 1]
        feats[f"{prefix}next={nxt.lower_}"] = 1.0
        if tok.i + 2 < len(doc):
            feats[f"{prefix}next2={nxt.lower_}|{doc[tok.i + 2].lower_}"] = 1.0
    if tok.i > 0 and doc[tok.i - 1].text in ("'", "\u2018", '"', "\u201c"):
        feats[f"{prefix}quoted"] = 1.0


def cluster_examples(doc: Doc) -> list[ClusterExample]:
    """Typing features of every cluster of ``doc`` (in cluster order)."""
    clusters: list[Cluster] = doc._.kg_clusters or []
    kinds = _model_kinds(doc)
    refs = _mention_tokens(doc)
    sent_cache: dict[int, set[str]] = {}
    n_chars = sum(1 for c in clusters if c.cls == "Character")
    doc_kind = f"doc_characters={min(n_chars, 4)}"
    roles: dict[int, set[str]] = defaultdict(set)
    for r in doc._.kg_relations or ():
        roles[r.subject].add(f"rule_role={r.predicate}:s")
        roles[r.object].add(f"rule_role={r.predicate}:o")
    out = []
    for c in clusters:
        feats: dict[str, float] = {"bias": 1.0, f"rule_cls={c.cls}": 1.0}
        total = sum(c.votes.values()) or 1.0
        for cls, weight in c.votes.items():
            feats[f"vote={cls}"] = weight / total
        if c.fixed:
            feats[f"gazetteer={c.cls}"] = 1.0
        if c.broadcaster:
            feats["broadcaster"] = 1.0
        if c.genre:
            feats[f"genre={c.genre}"] = 1.0
        if c.network:
            feats["has_network"] = 1.0
        if c.gender and not c.gender_from_name:
            feats["gender_from_text"] = 1.0
        if c.gender_from_name:
            feats["given_name"] = 1.0
        words = c.name.split()
        feats[f"n_words={min(len(words), 4)}"] = 1.0
        feats[f"shape={_shape(c.name)}"] = 1.0
        feats[f"first_word={words[0].lower() if words else ''}"] = 1.0
        feats[f"last_word={words[-1].lower() if words else ''}"] = 1.0
        if c.name.isupper() and len(c.name) > 1:
            feats["all_caps"] = 1.0
        if len(c.aliases) > 1:
            feats["has_alias"] = 1.0
        n_names = len(c.mentions)
        toks = refs.get(c.id, [])
        n_pron = sum(1 for i in toks if doc[i].lower_ in _PRONOUNS)
        feats[f"mentions={min(n_names, 5)}"] = 1.0
        if n_pron:
            feats["pronoun_refs"] = 1.0
            for i in toks:
                if doc[i].lower_ in _PRONOUNS:
                    feats[f"pronoun={doc[i].lower_}"] = 1.0
        ctx: dict[str, float] = {}
        for start, end in c.mentions:
            if start >= len(doc):
                continue
            tok = doc[start]
            kind = kinds.get(start)
            if kind:
                feats[f"ner={kind}"] = feats.get(f"ner={kind}", 0.0) + 1.0 / max(n_names, 1)
            _context(tok, "m_", ctx)
            for w in doc[max(0, start - 4): start]:
                ctx[f"m_win_before={w.lemma_.lower()}"] = 1.0
            for w in doc[start + 1: min(len(doc), start + 5)]:
                ctx[f"m_win_after={w.lemma_.lower()}"] = 1.0
            if start > 0 and doc[start - 1].text == "(":
                ctx["m_in_parens"] = 1.0
                if start > 1 and token_refs(doc)[0][start - 2] is not None:
                    ctx["m_parens_after_name"] = 1.0
            if start + 2 < len(doc) and doc[start + 1].text == "(" and token_refs(doc)[0][start + 2] is not None:
                ctx["m_name_in_parens_after"] = 1.0
        feats.update(ctx)
        feats[doc_kind] = 1.0
        sent_words: set[str] = set()
        for start, _ in c.mentions[:6]:
            if start < len(doc):
                sent = doc[start].sent
                if sent.start not in sent_cache:
                    sent_cache[sent.start] = {w.lemma_.lower() for w in sent
                                              if w.pos_ in ("NOUN", "VERB") and not w.is_stop}
                sent_words |= sent_cache[sent.start]
        for w in sent_words:
            feats[f"s_word={w}"] = 1.0
        for role in roles.get(c.id, ()):
            feats[role] = 1.0
        out.append(ClusterExample(c.id, feats))
    return out


# -- pairs -------------------------------------------------------------------------------


def parsed(doc: Doc) -> bool:
    """Whether the doc has a dependency parse (a blank pipeline gives none: no parse features)."""
    return doc.has_annotation("DEP")


def _path(a: Token, b: Token) -> tuple[list[str], Token | None]:
    """The dependency path from ``a`` to ``b`` as steps (``nsubj^``, ``<play>``, ``obj>``…);
    no steps without a parse."""
    if not parsed(a.doc):
        return [], None
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i:
        up_a.append(up_a[-1].head)
    index_a = {t.i: n for n, t in enumerate(up_a)}
    up_b = [b]
    while up_b[-1].i not in index_a and up_b[-1].head.i != up_b[-1].i:
        up_b.append(up_b[-1].head)
    if up_b[-1].i not in index_a:
        return [], None
    lca = up_b[-1]
    left = up_a[: index_a[lca.i]]
    right = up_b[:-1]
    steps = [f"{t.dep_}^" for t in left]
    steps.append(f"<{lca.lemma_.lower()}>" if lca.i not in (a.i, b.i) else "<>")
    steps += [f"{t.dep_}>" for t in reversed(right)]
    return steps, lca


def _path_lemmas(a: Token, b: Token, lca: Token | None) -> list[str]:
    out = []
    for start in (a, b):
        t = start.head
        while lca is not None and t.i != lca.i and t.head.i != t.i:
            out.append(t.lemma_.lower())
            t = t.head
    if lca is not None and lca.i not in (a.i, b.i):
        out.append(lca.lemma_.lower())
    return out


def _pair_features(doc: Doc, sent: Span, a: Token, b: Token, ca: Cluster, cb: Cluster,
                   types: dict[int, str], rule_hits: dict[tuple[int, int], set[str]],
                   mention_of: dict[int, int], sinfo: _Sentence | None = None) -> dict[str, float]:
    sinfo = sinfo or _sentence_info(doc, sent)
    tk = _tokens(doc)
    ta, tb = types.get(ca.id, ca.cls), types.get(cb.id, cb.cls)
    f: dict[str, float] = {"bias": 1.0, f"types={ta}|{tb}": 1.0, f"t1={ta}": 1.0, f"t2={tb}": 1.0}
    pa, pb = a.lower_ in _PRONOUNS, b.lower_ in _PRONOUNS
    if pa:
        f[f"pron1={a.lower_}"] = 1.0
    if pb:
        f[f"pron2={b.lower_}"] = 1.0
    steps, lca = _path(a, b)
    if steps:
        path = " ".join(steps)
        if len(steps) <= MAX_PATH:
            f[f"path={path}"] = 1.0
            f[f"path_t={ta}|{path}|{tb}"] = 1.0
        f[f"path_len={min(len(steps), 9)}"] = 1.0
        deps_only = " ".join("<>" if st.startswith("<") else st for st in steps)
        if len(steps) <= MAX_PATH:
            f[f"path_deps={ta}|{deps_only}|{tb}"] = 1.0
        f[f"path_ends={steps[0]}..{steps[-1]}"] = 1.0
        lemmas = _path_lemmas(a, b, lca)
        for lemma in lemmas:
            f[f"path_lemma={lemma}"] = 1.0
            f[f"path_lemma_t={ta}|{lemma}|{tb}"] = 1.0
        if lca is not None:
            f[f"lca={lca.lemma_.lower()}"] = 1.0
            f[f"lca_pos={lca.pos_}"] = 1.0
    else:
        f["no_path"] = 1.0
    between = range(a.i + 1, b.i)
    n_between = len(between)
    f[f"n_between={min(n_between, 10) if n_between < 10 else ('10+' if n_between < 20 else '20+')}"] = 1.0
    others = {mention_of[i] for i in between if i in mention_of} - {ca.id, cb.id}
    f[f"ents_between={min(len(others), 3)}"] = 1.0
    if n_between <= 12:
        for i in between:
            if not tk.punct[i]:
                f[f"btw={tk.lemma[i]}"] = 1.0
            elif tk.text[i] in (",", "(", "-", ":", "&"):
                f[f"btw_punct={tk.text[i]}"] = 1.0
        if n_between <= 4:
            f[f"btw_seq={' '.join(tk.lower[i] for i in between)}"] = 1.0
    if n_between == 0:
        f["adjacent"] = 1.0
    for i in range(max(sent.start, a.i - 3), a.i):
        f[f"before1={tk.lemma[i]}"] = 1.0
    for i in range(b.i + 1, min(sent.end, b.i + 4)):
        f[f"after2={tk.lemma[i]}"] = 1.0
    # possessive, appositive, list structure
    if a.dep_ == "nmod:poss" or a.tag_ == "PRP$" or (a.i + 1 < len(doc) and doc[a.i + 1].tag_ == "POS"):
        f["poss1"] = 1.0
        f[f"poss1_of={a.head.lemma_.lower()}"] = 1.0
    if b.dep_ == "nmod:poss" or b.tag_ == "PRP$" or (b.i + 1 < len(doc) and doc[b.i + 1].tag_ == "POS"):
        f["poss2"] = 1.0
        f[f"poss2_of={b.head.lemma_.lower()}"] = 1.0
    if b.dep_ == "appos" and b.head.i == a.i:
        f["appos_ab"] = 1.0
    if b.dep_ == "conj" and b.head.i == a.i or a.head.i == b.head.i and b.dep_ == "conj":
        f["conj"] = 1.0
    if b.head.dep_ == "appos" and b.head.head.i == a.i:
        f["appos_head"] = 1.0
    for key in (rule_hits.get((ca.id, cb.id), ())):
        f[f"rule={key}"] = 1.0
        f[f"rule_t={key}|{ta}|{tb}"] = 1.0
    for key in (rule_hits.get((cb.id, ca.id), ())):
        f[f"rule_rev={key}"] = 1.0
        f[f"rule_rev_t={key}|{ta}|{tb}"] = 1.0
    f[f"deps={a.dep_}|{b.dep_}"] = 1.0
    for lemma in sinfo.content_lemmas:
        f[f"sw={ta}|{tb}|{lemma}"] = 1.0
    for i in range(max(sent.start, a.i - 5), a.i):
        f[f"win1={tk.lemma[i]}"] = 1.0
    for i in range(b.i + 1, min(sent.end, b.i + 6)):
        f[f"win2={tk.lemma[i]}"] = 1.0
    # the sentence's main verb
    if sinfo.root is not None:
        f[f"root={sinfo.root}"] = 1.0
    if sinfo.negated:
        f["negated_sentence"] = 1.0
    return f


def _rule_hits(doc: Doc) -> dict[tuple[int, int, int], set[str]]:
    """(sentence start, subject, object) -> the rule predicates and rule families that fired."""
    hits: dict[tuple[int, int, int], set[str]] = defaultdict(set)
    for r in doc._.kg_relations or ():
        family = r.rule.split(".")[0]
        hits[(r.sent_start, r.subject, r.object)].update({r.predicate, f"{r.predicate}/{family}"})
    return hits


def _mentions_by_token(doc: Doc, n_clusters: int) -> dict[int, tuple[int, ...]]:
    """Token index -> the clusters it refers to: a name or pronoun one, "the couple" several."""
    out: dict[int, tuple[int, ...]] = {}
    refs, groups = token_refs(doc)
    for i, ref in enumerate(refs):
        if ref is not None and ref < n_clusters:
            out[i] = (ref,)
        elif groups[i]:
            out[i] = tuple(c for c in groups[i] if c < n_clusters)  # type: ignore[union-attr]
    return out


def _main_show(clusters: list[Cluster], types: dict[int, str],
               refs: dict[int, list[int]]) -> int | None:
    """The show the article talks about most, if one stands out."""
    shows = sorted(((len(refs.get(c.id, ())), -c.id) for c in clusters
                    if types.get(c.id, c.cls) == "Show"), reverse=True)
    if not shows or (len(shows) > 1 and shows[0][0] == shows[1][0]):
        return None
    return -shows[0][1]


def pair_examples(doc: Doc, types: dict[int, str] | None = None,
                  keep: set[int] | None = None) -> list[PairExample]:
    """Every pair of distinct clusters mentioned in one sentence of ``doc``.

    ``types`` overrides the clusters' classes (the typer's predictions); ``keep`` limits the
    pairs to those clusters. The closest pair of mentions represents a pair in a sentence.
    A person or character in a sentence that names no show is also paired with the article's
    main show (``cross_sentence`` feature): "the soap" and "the show" are rarely resolved.
    """
    clusters: list[Cluster] = doc._.kg_clusters or []
    types = types or {}
    hits = _rule_hits(doc)
    refers = _mentions_by_token(doc, len(clusters))
    mention_of = {i: cs[0] for i, cs in refers.items() if len(cs) == 1}
    groups = {i for i, cs in refers.items() if len(cs) > 1}
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for i, cs in refers.items():
        for c in cs:
            by_cluster[c].append(i)
    main = _main_show(clusters, types, by_cluster)
    if keep is not None and main not in keep:
        main = None
    out = []
    for sent in doc.sents:
        in_sent: dict[int, list[int]] = defaultdict(list)
        for t in sent:
            for ref in refers.get(t.i, ()):
                if keep is None or ref in keep:
                    in_sent[ref].append(t.i)
        if not in_sent:
            continue
        start_char = sent.start_char
        end_char = sent.end_char
        sent_hits: dict[tuple[int, int], set[str]] = {}
        for (s0, sub, obj), preds in hits.items():
            if start_char <= s0 < end_char:
                sent_hits.setdefault((sub, obj), set()).update(preds)
        ids = sorted(in_sent, key=lambda c: (in_sent[c][0], c))
        sinfo = _sentence_info(doc, sent) if len(ids) > 1 else None
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                c1, c2 = ids[x], ids[y]
                pair = _closest(in_sent[c1], in_sent[c2])
                if pair is None:
                    continue
                i1, i2 = pair
                if i1 > i2:  # keep text order inside the example
                    c1, c2, i1, i2 = c2, c1, i2, i1
                feats = _pair_features(doc, sent, doc[i1], doc[i2], clusters[c1], clusters[c2],
                                       types, sent_hits, mention_of, sinfo)
                if i1 in groups:
                    feats["group1"] = 1.0
                if i2 in groups:
                    feats["group2"] = 1.0
                out.append(PairExample(c1, c2, (start_char, end_char), i1, i2, feats))
        if main is None or main in in_sent:
            continue
        for c in ids:
            if types.get(c, clusters[c].cls) not in ("Person", "Character"):
                continue
            tok = doc[in_sent[c][0]]
            feats = _cross_features(tok, clusters[c], types, sent)
            out.append(PairExample(c, main, (start_char, end_char), tok.i, tok.i, feats))
    return out


def _cross_features(tok: Token, cluster: Cluster, types: dict[int, str], sent: Span) -> dict[str, float]:
    """A mention paired with the article's main show, which its sentence does not name."""
    t = types.get(cluster.id, cluster.cls)
    f: dict[str, float] = {"bias": 1.0, "cross_sentence": 1.0, f"x_type={t}": 1.0}
    ctx: dict[str, float] = {}
    _context(tok, "x_", ctx)
    for name in ctx:
        f[name] = 1.0
        f[f"{t}|{name}"] = 1.0
    for w in sent:
        if w.pos_ in ("NOUN", "VERB") and w.i != tok.i:
            f[f"x_sent={w.lemma_.lower()}"] = 1.0
    if parsed(tok.doc):
        f[f"x_root={sent.root.lemma_.lower()}"] = 1.0
    return f


def _closest(xs: list[int], ys: list[int]) -> tuple[int, int] | None:
    """The nearest two distinct tokens, one from each list (None if they share every token)."""
    best: tuple[int, int] | None = None
    for x in xs:
        for y in ys:
            if x != y and (best is None or abs(x - y) < abs(best[0] - best[1])):
                best = (x, y)
    return best

