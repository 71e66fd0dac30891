"""Cross-article entity resolution: local entities -> canonical entities + merge ledger.

Every local entity ``(article id, key)`` is a node. Nodes are joined with a union-find, rule by
rule, and every join that brings distinct surface names together is written to the ledger:

1. ``resolve.exact_name`` - same class and same normalised name (case, punctuation, quotes,
   diacritics, honorifics and, outside people and characters, a leading "The" folded). For
   people and characters only multi-word names join this way: a bare first name ("Jack") or
   a surname alone is not an identity. A local entity's multi-word aliases count as its
   names; its one-word aliases do not.
2. ``resolve.alias_table`` - names the alias table (the NLP gazetteer plus user files) lists
   for one canonical name of the class join, and the entity takes the canonical name.
3. ``resolve.partial_name`` and ``resolve.shared_context`` - a *bare* group (a person or
   character known only by one-word names) joins a group whose first, last or one-word name
   it shares (the full-named one: partial name; another bare one: shared context) only when
   their contexts agree: both are linked by the same kind of relation, in the same direction,
   to the same *identifying* entity (a full-named person or character, or any show,
   organisation, place): the same parent, partner, sibling, child, character or show. The
   evidence is scored (:data:`CONTEXT_WEIGHTS`, plus one when both have birth years and they
   agree) and must reach :attr:`ResolverConfig.context_threshold`. A bare group with evidence
   for two different full-named groups joins neither.
4. ``resolve.name_variant_evidence`` - two groups of the same class with similar first names
   that are children of the same resolved parent and whose implied birth years agree.

Rules 3 and 4 repeat until nothing changes. Every merge they propose is checked against
constraints, and a refused one is written to the ledger as *blocked* (``Merge.blocked``, a
reason starting ``"not merged: "``): the two are named apart in one article, different
genders, different alias-table entries, a relation between them (one would become their own
parent or partner), birth years more than :attr:`ResolverConfig.birth_year_tolerance` apart
(``"not merged: aged 13 and 4 on 2023-11-23"``), or a child who would get more than
:attr:`ResolverConfig.max_parents` parents (a parent whose evidence says step- or adoptive
does not count). Bare groups with the same name that stay apart and that a constraint would
also have kept apart are recorded the same way (rule ``resolve.same_name``), so the ledger
says why the "Buster" aged 13 is not the one aged 4.

Canonical names: the alias table's name when there is one; otherwise a multi-word name
before a one-word one, a name without an honorific before one with, the name used most
often, the longest, then the alphabetically first. Every other surface name is an alias.
Ids are ``{class lower}/{slug}``; a bare person or character takes its context into its id,
``person/archie--kym-marsh`` (its parent first, then partner, sibling, child, character,
show; with none of those, the first article it is named in), so the id of one "Jack" does
not depend on how many other Jacks the archive holds.
When two entities would still share an id, the one seen in most articles keeps it and the
others get ``-`` plus 6 hex digits of a hash of their earliest (article id, local key), so an
id never depends on the order articles arrive in.

Candidates are found through indexes (exact key, alias-table key, name word together with a
context, parent), never by comparing all pairs, so resolution is close to linear in the number
of local entities. Everything is processed in sorted (article id, local key) order, so the
result depends only on the set of articles, not on the order they come in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.records import ArticleExtraction, Entity, LocalEntity, Merge, ResolvedCorpus
from kg.resolve.aliases import AliasTable, load_alias_table
from kg.resolve.names import (
    first_name_similarity,
    has_title,
    is_full_name,
    name_tokens,
    normalise,
    similar_name_pairs,
    slugify,
)

__all__ = ["CONTEXT_WEIGHTS", "ResolverConfig", "resolve"]

RULE_EXACT = "resolve.exact_name"
RULE_ALIAS = "resolve.alias_table"
RULE_PARTIAL = "resolve.partial_name"
RULE_CONTEXT = "resolve.shared_context"
RULE_VARIANT = "resolve.name_variant_evidence"
RULE_SAME_NAME = "resolve.same_name"

#: Upper bound on rounds of context + variant merges (each round is linear).
_MAX_ROUNDS = 50
#: Groups of one name and context compared pair by pair, at most; a bigger bucket (a very
#: common name in a very common context) compares each group with its first few only.
_PAIRWISE_LIMIT = 64
_STAR_SIZE = 8
#: Bare groups of one name compared pair by pair for the blocked-merge ledger, at most (a
#: name more common than that gets no same-name lines: the ledger stays readable).
_SAME_NAME_LIMIT = 16

#: Relation kinds, as (predicate family, direction) where direction is ``out`` (the group is
#: the subject), ``in`` or ``sym``, and how much sharing one with a candidate counts.
CONTEXT_WEIGHTS: dict[tuple[str, str], float] = {
    ("child", "in"): 2.0,  # the same parent
    ("child", "out"): 2.0,  # the same child
    ("partnership", "sym"): 2.0,
    ("sibling", "sym"): 2.0,
    ("plays", "out"): 2.0,  # plays the same character
    ("plays", "in"): 2.0,  # played by the same actor
    ("characterIn", "out"): 2.0,  # a character of the same show
    ("appearance", "out"): 1.0,  # acts in, presents or appears in the same show
    ("coStar", "sym"): 1.0,
    ("coHost", "sym"): 1.0,
    ("friend", "sym"): 1.0,
    ("createdBy", "in"): 1.0,
}
_FAMILY = {"spouse": "partnership", "partner": "partnership", "exPartner": "partnership",
           "actsIn": "appearance", "presents": "appearance", "appearsIn": "appearance"}
_SYMMETRIC = frozenset({"spouse", "partner", "exPartner", "sibling", "friend", "coStar", "coHost"})
#: The order in which a bare entity's context names it in its id.
_ID_CONTEXT_ORDER = (("child", "in"), ("partnership", "sym"), ("sibling", "sym"),
                     ("child", "out"), ("plays", "out"), ("plays", "in"),
                     ("characterIn", "out"), ("appearance", "out"))
_KIND_WORDS = {
    ("child", "in"): "children of", ("child", "out"): "parents of",
    ("partnership", "sym"): "partners of", ("sibling", "sym"): "siblings of",
    ("plays", "out"): "playing", ("plays", "in"): "played by",
    ("characterIn", "out"): "characters in", ("appearance", "out"): "appearing in",
    ("coStar", "sym"): "co-stars of", ("coHost", "sym"): "co-hosts of",
    ("friend", "sym"): "friends of", ("createdBy", "in"): "creators of",
}
#: Evidence of a parent-child relation that makes the parent a step- or adoptive parent.
_STEP = re.compile(r"\bstep|\badopt|\bfoster", re.IGNORECASE)


@dataclass(frozen=True)
class ResolverConfig:
    """Settings of :func:`resolve`.

    ``variant_threshold``: the 0-100 first-name similarity (rapidfuzz) two children of one
    parent need to be taken as one person. ``birth_year_tolerance``: how many years implied
    birth years may differ before two groups are kept apart. ``extra_alias_files``: JSON Lines
    files in the gazetteer's format (``{"name", "class", "aliases"}``) added to the alias
    table. ``partial_name_classes``: the classes whose one-word names are bare names that need
    context to join anything (places and organisations are left out: "York" is not "New York",
    "Sky" is not "Sky News"; their one-word names join by exact name). ``context_threshold``:
    the evidence score (:data:`CONTEXT_WEIGHTS`) a bare name needs to join. ``max_parents``:
    the most parents a merge may give a child.
    """

    variant_threshold: float = 80.0
    birth_year_tolerance: int = 1
    extra_alias_files: tuple[str, ...] = ()
    partial_name_classes: tuple[str, ...] = ("Person", "Character")
    context_threshold: float = 2.0
    max_parents: int = 2

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.variant_threshold) <= 100.0:
            raise ValueError(
                f"variant_threshold must be within 0-100, not {self.variant_threshold}"
            )
        if int(self.birth_year_tolerance) < 0:
            raise ValueError(f"birth_year_tolerance must be >= 0, not {self.birth_year_tolerance}")
        if float(self.context_threshold) <= 0:
            raise ValueError(f"context_threshold must be > 0, not {self.context_threshold}")
        if int(self.max_parents) < 1:
            raise ValueError(f"max_parents must be >= 1, not {self.max_parents}")
        files = self.extra_alias_files
        files = (files,) if isinstance(files, str) else tuple(str(f) for f in files)
        object.__setattr__(self, "extra_alias_files", files)
        classes = self.partial_name_classes
        classes = (classes,) if isinstance(classes, str) else tuple(classes)
        object.__setattr__(self, "partial_name_classes", classes)


# --------------------------------------------------------------------------------------------
# nodes and groups


@dataclass(frozen=True)
class _Age:
    """One age or birth date an article gives, as the birth years it implies."""

    birth: tuple[int, int]
    age: int | None
    as_of: dt.date | None
    article: str

    def describe(self) -> str:
        if self.age is None:
            return f"born in {_years(self.birth)}"
        return f"aged {self.age} on {self.as_of.isoformat() if self.as_of else '?'}"


@dataclass
class _Node:
    article: str
    key: str
    cls: str
    name: str
    aliases: tuple[str, ...]
    gender: str | None
    anchor: str | None = None  # canonical name in the alias table
    birth: tuple[int, int] | None = None  # implied birth-year range
    ages: list[_Age] = field(default_factory=list)
    #: (predicate family, direction, other node)
    edges: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class _Group:
    """Aggregated facts about one union-find class, kept up to date on every union."""

    cls: str
    nodes: set[int]
    articles: set[str]
    genders: set[str]
    anchors: set[str]
    firsts: set[str] = field(default_factory=set)  # first words of multi-word names
    lasts: set[str] = field(default_factory=set)  # last words of multi-word names
    tails: set[str] = field(default_factory=set)  # non-first words of multi-word names
    singles: set[str] = field(default_factory=set)  # one-word names (and one-word aliases)
    birth: tuple[int, int] | None = None
    ages: list[_Age] = field(default_factory=list)
    parents: set[int] = field(default_factory=set)  # parent nodes
    steps: set[int] = field(default_factory=set)  # parent nodes said to be step/adoptive
    related: set[int] = field(default_factory=set)  # nodes related to this group's nodes

    @property
    def multi(self) -> bool:
        return bool(self.firsts) or any(len(a.split()) > 1 for a in self.anchors)

    @property
    def keys(self) -> set[str]:
        """The name words a bare name may share with this group."""
        return self.firsts | self.lasts | self.singles

    def absorb(self, other: _Group) -> None:
        self.nodes |= other.nodes
        self.articles |= other.articles
        self.genders |= other.genders
        self.anchors |= other.anchors
        self.firsts |= other.firsts
        self.lasts |= other.lasts
        self.tails |= other.tails
        self.singles |= other.singles
        self.birth = _hull(self.birth, other.birth)
        self.ages += other.ages
        self.parents |= other.parents
        self.steps |= other.steps
        self.related |= other.related


def _hull(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]))


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Years between two year ranges (0 when they overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _years(r: tuple[int, int]) -> str:
    return str(r[0]) if r[0] == r[1] else f"{r[0]}-{r[1]}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_range(age: int, as_of: dt.date) -> tuple[int, int]:
    """The years someone aged ``age`` on ``as_of`` can have been born in."""
    latest = _years_before(as_of, age)
    earliest = _years_before(as_of, age + 1) + dt.timedelta(days=1)
    return (earliest.year, latest.year)


@dataclass(frozen=True)
class _Event:
    """A union (or a refused one) worth a ledger line; the reason is rendered once entity ids
    are known. A blocked event keeps one node of each side in ``apart``."""

    rule: str
    nodes: tuple[int, ...]
    reason: Callable[[Callable[[int], str]], str]
    with_canonical: bool = False
    apart: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Block:
    """Why two groups must not be merged: the constraint and its reason."""

    kind: str
    reason: Callable[[Callable[[int], str]], str]


#: Constraints that say two groups are two entities whatever the names (not merely that the
#: rule lacked evidence); only these are recorded for same-name bare groups.
_HARD = frozenset({"gender", "ages", "parents", "related"})


class _Resolver:
    def __init__(self, extractions: list[ArticleExtraction], config: ResolverConfig,
                 table: AliasTable) -> None:
        self.config = config
        self.table = table
        self.bare_classes = frozenset(config.partial_name_classes)
        self.extractions = extractions
        self.nodes: list[_Node] = []
        self.index: dict[tuple[str, str], int] = {}
        self.events: list[_Event] = []
        self._rejected: set[tuple[int, int, int, int]] = set()
        self._blocked_pairs: set[tuple[int, int]] = set()
        self._build_nodes()
        self.parent = list(range(len(self.nodes)))
        self.groups: dict[int, _Group] = {i: self._group_of(i) for i in range(len(self.nodes))}
        self._link_relations()

    # ---- setup --------------------------------------------------------------------------

    def _build_nodes(self) -> None:
        for ext in self.extractions:
            aid = ext.article.id
            for ent in sorted(ext.entities, key=lambda e: e.key):
                if (aid, ent.key) in self.index:
                    raise ValueError(f"article {aid}: local entity key {ent.key!r} used twice")
                self.index[(aid, ent.key)] = len(self.nodes)
                self.nodes.append(self._node(aid, ent))
        for ext in self.extractions:
            aid = ext.article.id
            for fact in ext.facts:
                i = self.index.get((aid, fact.subject))
                if i is None:
                    continue
                as_of = fact.as_of or ext.article.date
                rng = _fact_birth(fact.attribute, fact.value, as_of)
                if rng is not None:
                    node = self.nodes[i]
                    node.birth = _hull(node.birth, rng)
                    age = fact.value if fact.attribute == "age" else None
                    node.ages.append(_Age(rng, age, as_of if age is not None else None, aid))

    def _node(self, article: str, ent: LocalEntity) -> _Node:
        gender = ent.gender if ent.gender in ("f", "m") else None
        node = _Node(article, ent.key, ent.cls, ent.name, tuple(ent.aliases), gender)
        anchors = {self.table.canonical(ent.cls, ent.name)} - {None}
        if not anchors:
            anchors = {self.table.canonical(ent.cls, a) for a in ent.aliases} - {None}
        if len(anchors) == 1:
            node.anchor = next(iter(anchors))
        return node

    def _group_of(self, i: int) -> _Group:
        node = self.nodes[i]
        g = _Group(
            cls=node.cls, nodes={i}, articles={node.article},
            genders={node.gender} if node.gender else set(),
            anchors={node.anchor} if node.anchor else set(),
            birth=node.birth, ages=list(node.ages),
        )
        for surface in (node.name, *node.aliases):
            words = name_tokens(surface, node.cls)
            if is_full_name(words):
                g.firsts.add(words[0])
                g.lasts.add(words[-1])
                g.tails.update(words[1:])
            elif len(words) == 1:
                g.singles.add(words[0])
        return g

    def _link_relations(self) -> None:
        for ext in self.extractions:
            aid = ext.article.id
            for rel in ext.relations:
                s = self.index.get((aid, rel.subject))
                o = self.index.get((aid, rel.object))
                if s is None or o is None or s == o:
                    continue
                self.groups[s].related.add(o)
                self.groups[o].related.add(s)
                family = _FAMILY.get(rel.predicate, rel.predicate)
                if rel.predicate in _SYMMETRIC:
                    self.nodes[s].edges.append((family, "sym", o))
                    self.nodes[o].edges.append((family, "sym", s))
                else:
                    self.nodes[s].edges.append((family, "out", o))
                    self.nodes[o].edges.append((family, "in", s))
                if rel.predicate == "child":
                    self.groups[o].parents.add(s)
                    if _STEP.search(rel.evidence.sentence):
                        self.groups[o].steps.add(s)

    # ---- union-find ---------------------------------------------------------------------

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join two groups; the larger one (then the lower index) stays the root, so merging
        into a big group costs the size of the small one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if (-len(self.groups[rb].nodes), rb) < (-len(self.groups[ra].nodes), ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.groups[ra].absorb(self.groups.pop(rb))
        return True

    def group(self, i: int) -> _Group:
        return self.groups[self.find(i)]

    def _bare(self, g: _Group) -> bool:
        """Known only by one-word names, in a class where those need context to join."""
        return g.cls in self.bare_classes and not g.multi and not g.anchors

    def _identifying(self, g: _Group) -> bool:
        """Whether a link to ``g`` tells who someone is: a full name, or not a personal name."""
        return g.cls not in self.bare_classes or g.multi or bool(g.anchors)

    # ---- rules --------------------------------------------------------------------------

    def exact_names(self) -> None:
        keys: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, node in enumerate(self.nodes):
            bare_class = node.cls in self.bare_classes
            own = {normalise(node.name, node.cls)}
            own |= {normalise(a, node.cls) for a in node.aliases
                    if is_full_name(name_tokens(a, node.cls))}
            for key in sorted(own - {""}):
                if bare_class and not is_full_name(tuple(key.split())):
                    continue  # a first name or surname alone is not an identity
                keys[(node.cls, key)].append(i)
        for (_cls, key), members in sorted(keys.items()):
            if len(members) < 2:
                continue
            for j in members[1:]:
                self.union(members[0], j)
            if len({self.nodes[j].name for j in members}) > 1:
                self.events.append(_Event(
                    RULE_EXACT, tuple(members),
                    lambda _id, key=key: (
                        f"the names are the same once case, punctuation, quotes, diacritics, "
                        f"titles and a leading 'The' are folded ('{key}')"
                    ),
                ))

    def alias_table(self) -> None:
        anchored: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, node in enumerate(self.nodes):
            if node.anchor is not None:
                anchored[(node.cls, node.anchor)].append(i)
        for (_cls, canonical), members in sorted(anchored.items()):
            for j in members[1:]:
                self.union(members[0], j)
            others = sorted({self.nodes[j].name for j in members} - {canonical})
            if others:
                listed = ", ".join(f"'{n}'" for n in others)
                self.events.append(_Event(
                    RULE_ALIAS, tuple(members),
                    lambda _id, listed=listed, canonical=canonical: (
                        f"the alias table lists {listed} as a name of '{canonical}'"
                    ),
                    with_canonical=True,
                ))

    # ---- constraints --------------------------------------------------------------------

    def _block(self, ra: int, rb: int) -> _Block | None:
        """The first constraint that forbids groups ``ra`` and ``rb`` being one entity."""
        a, b = self.groups[ra], self.groups[rb]
        if a.cls != b.cls:
            return _Block("class", lambda _id: f"not merged: a {a.cls} and a {b.cls}")
        # a relation between the two is also within one article: test it first, to say so
        link = _relation_between(self, a, b)
        if link is not None:
            return _Block("related", lambda _id: (
                f"not merged: {link[1]} one would be their own {link[0]}"))
        shared = sorted(a.articles & b.articles)
        if shared:
            return _Block("article", lambda _id, art=shared[0]: (
                f"not merged: article {art} names both, as two entities"))
        if len(a.genders | b.genders) > 1:
            ga, gb = self._gender_example(a), self._gender_example(b)
            return _Block("gender", lambda _id: f"not merged: {ga} but {gb}")
        if a.anchors and b.anchors and a.anchors != b.anchors:
            names = " and ".join(f"'{n}'" for n in sorted(a.anchors | b.anchors))
            return _Block("anchor", lambda _id: (
                f"not merged: the alias table has {names} as two entries"))
        if a.birth is not None and b.birth is not None:
            gap = _gap(a.birth, b.birth)
            if gap > self.config.birth_year_tolerance:
                text = _age_clash(a.ages, b.ages)
                return _Block("ages", lambda _id: f"not merged: {text}")
        parents = self._parents(a) | self._parents(b)
        if len(parents) > self.config.max_parents:
            ordered = sorted(parents)
            return _Block("parents", lambda id_of: (
                f"not merged: that would give {len(ordered)} parents ("
                + ", ".join(sorted(f"kgr {id_of(p)}" for p in ordered)) + ")"))
        return None

    def _parents(self, g: _Group) -> set[int]:
        steps = {self.find(p) for p in g.steps}
        return {self.find(p) for p in g.parents} - steps

    def _gender_example(self, g: _Group) -> str:
        for j in sorted(g.nodes):
            node = self.nodes[j]
            if node.gender:
                word = {"f": "female", "m": "male"}[node.gender]
                return f"'{node.name}' is {word} in {node.article}"
        return "?"  # pragma: no cover - only called with a gender present

    def _record_block(self, rule: str, ra: int, rb: int, block: _Block) -> None:
        pair = (min(ra, rb), max(ra, rb))
        if pair in self._blocked_pairs:
            return
        self._blocked_pairs.add(pair)
        nodes = tuple(sorted(self.groups[ra].nodes | self.groups[rb].nodes))
        self.events.append(_Event(rule, nodes, block.reason, apart=pair))

    # ---- context --------------------------------------------------------------------------

    def _contexts(self) -> dict[int, dict[tuple[str, str, int], list[int]]]:
        """For each group with relations: (kind, direction, identifying group) -> the nodes
        whose relations say so."""
        out: dict[int, dict[tuple[str, str, int], list[int]]] = defaultdict(
            lambda: defaultdict(list))
        ident: dict[int, bool] = {}
        for i, node in enumerate(self.nodes):
            if not node.edges:
                continue
            root = self.find(i)
            for family, direction, j in node.edges:
                rj = self.find(j)
                if rj == root:
                    continue
                if rj not in ident:
                    ident[rj] = self._identifying(self.groups[rj])
                if ident[rj] and (family, direction) in CONTEXT_WEIGHTS:
                    out[root][(family, direction, rj)].append(i)
        return out

    def context_merges(self) -> bool:
        """Rule 3: bare names join what they share a name word and a context with."""
        contexts = self._contexts()
        index: dict[tuple[str, str, tuple[str, str, int]], list[int]] = defaultdict(list)
        for root in sorted(contexts):
            g = self.groups[root]
            if g.cls not in self.bare_classes:
                continue
            for word in sorted(g.keys):
                for ctx in contexts[root]:
                    index[(g.cls, word, ctx)].append(root)
        shared: dict[tuple[int, int], set[tuple[str, str, int]]] = defaultdict(set)
        for (_cls, _word, ctx), roots in index.items():
            heads = roots if len(roots) <= _PAIRWISE_LIMIT else roots[:_STAR_SIZE]
            for x, ra in enumerate(heads):
                for rb in roots[x + 1:]:
                    if self._bare(self.groups[ra]) or self._bare(self.groups[rb]):
                        shared[(min(ra, rb), max(ra, rb))].add(ctx)
        # score every pair; a bare group with evidence for two full-named groups joins neither
        scored: list[tuple[int, int, str, int, float, frozenset[tuple[str, str, int]]]] = []
        full_targets: dict[int, set[int]] = defaultdict(set)
        for (ra, rb), ctxs in sorted(shared.items()):
            score = self._score(ra, rb, ctxs)
            if score < self.config.context_threshold:
                continue
            a_bare, b_bare = self._bare(self.groups[ra]), self._bare(self.groups[rb])
            rule = RULE_CONTEXT if (a_bare and b_bare) else RULE_PARTIAL
            bare, other = (ra, rb) if a_bare else (rb, ra)
            if rule == RULE_PARTIAL:
                full_targets[bare].add(other)
            scored.append((ra, rb, rule, bare, score, frozenset(ctxs)))
        changed = False
        for ra, rb, rule, bare, score, ctxs in scored:
            if rule == RULE_PARTIAL and len(full_targets[bare]) > 1:
                self._record_ambiguous(bare, full_targets[bare])
                continue
            ra, rb = self.find(ra), self.find(rb)
            if ra == rb:
                continue
            block = self._block(ra, rb)
            if block is not None:
                self._record_block(rule, ra, rb, block)
                continue
            event = self._context_event(rule, ra, rb, score, ctxs)
            self.union(ra, rb)
            self.events.append(event)
            changed = True
        return changed

    def _score(self, ra: int, rb: int, ctxs: Iterable[tuple[str, str, int]]) -> float:
        """The evidence that two groups sharing a name word and ``ctxs`` are one entity."""
        score = sum(CONTEXT_WEIGHTS[(family, direction)] for family, direction, _ in ctxs)
        a, b = self.groups[ra], self.groups[rb]
        if a.birth is not None and b.birth is not None and (
                _gap(a.birth, b.birth) <= self.config.birth_year_tolerance):
            score += 1.0
        return score

    def _record_ambiguous(self, bare: int, targets: set[int]) -> None:
        key = (bare, -1)
        if key in self._blocked_pairs:
            return
        self._blocked_pairs.add(key)
        ordered = sorted(targets)
        g = self.groups[bare]
        names = sorted({self.nodes[j].name for j in g.nodes})
        nodes = tuple(sorted(set(g.nodes).union(*(self.groups[t].nodes for t in ordered))))
        self.events.append(_Event(
            RULE_PARTIAL, nodes,
            lambda id_of: (
                f"not merged: {' / '.join(repr(n) for n in names)} shares a name and a context "
                "with " + " and with ".join(f"kgr {id_of(t)}" for t in ordered)
                + ", so it could be either"),
            apart=(bare, *ordered),
        ))

    def _context_event(self, rule: str, ra: int, rb: int, score: float,
                       ctxs: frozenset[tuple[str, str, int]]) -> _Event:
        a, b = self.groups[ra], self.groups[rb]
        names_a = sorted({self.nodes[j].name for j in a.nodes})
        names_b = sorted({self.nodes[j].name for j in b.nodes})
        words = sorted(a.keys & b.keys)
        kinds = sorted(ctxs)
        births = (a.birth, b.birth)
        threshold = self.config.context_threshold

        def reason(id_of: Callable[[int], str]) -> str:
            parts = [f"{' / '.join(names_a)} and {' / '.join(names_b)} share the name "
                     + " and ".join(f"'{w}'" for w in words)]
            for family, direction, target in kinds:
                parts.append(f"both {_KIND_WORDS[(family, direction)]} kgr {id_of(target)}")
            if births[0] is not None and births[1] is not None:
                parts.append(f"birth years {_years(births[0])} and {_years(births[1])} agree")
            parts.append(f"evidence {score:g} >= {threshold:g}")
            return "; ".join(parts)

        return _Event(rule, tuple(sorted(a.nodes | b.nodes)), reason, with_canonical=True)

    def name_variants(self) -> bool:
        """Rule 4: children of one parent with similar first names and agreeing ages."""
        by_parent: dict[tuple[int, str], set[int]] = defaultdict(set)
        for root, g in self.groups.items():
            for p in g.parents:
                by_parent[(self.find(p), g.cls)].add(root)
        changed = False
        threshold = self.config.variant_threshold
        for (_parent, _cls), children in sorted(by_parent.items()):
            if len(children) < 2:
                continue
            # block on first names: only children whose first names are alike are compared
            by_name: dict[str, list[int]] = defaultdict(list)
            for root in sorted({self.find(c) for c in children}):
                g = self.groups[root]
                # the first names of its full names, or its one-word names if it has none
                for first in g.firsts or g.singles:
                    by_name[first].append(root)
            names = sorted(by_name)
            pairs: set[tuple[int, int]] = set()
            for i, j in similar_name_pairs(names, threshold):
                for ra in by_name[names[i]]:
                    for rb in by_name[names[j]]:
                        if ra != rb:
                            pairs.add((min(ra, rb), max(ra, rb)))
            for ra, rb in sorted(pairs):
                ra, rb = self.find(ra), self.find(rb)
                if ra == rb:
                    continue
                # a pair rejected before is rejected again unless either group changed (a
                # group only changes by growing)
                seen = (ra, len(self.groups[ra].nodes), rb, len(self.groups[rb].nodes))
                if seen in self._rejected:
                    continue
                event = self._variant(ra, rb)
                if event is None:
                    self._rejected.add(seen)
                    continue
                self.union(ra, rb)
                self.events.append(event)
                changed = True
        return changed

    def _variant(self, ra: int, rb: int) -> _Event | None:
        a, b = self.groups[ra], self.groups[rb]
        # Two full names with nothing after the first name in common are two people
        # ("Emily Mae" / "Emily Rose"), however alike the first names are.
        if a.tails and b.tails and not (a.tails & b.tails):
            return None
        best: tuple[float, str, str] | None = None
        # first names: of the full names, or the one-word names when there is no full name
        for fa in sorted(a.firsts or a.singles):
            for fb in sorted(b.firsts or b.singles):
                score = first_name_similarity(fa, fb)
                if best is None or score > best[0]:
                    best = (score, fa, fb)
        if best is None or best[0] < self.config.variant_threshold:
            return None
        block = self._block(ra, rb)
        if block is not None:
            if block.kind in _HARD:
                self._record_block(RULE_VARIANT, ra, rb, block)
            return None
        score, fa, fb = best
        names_a = sorted({self.nodes[j].name for j in a.nodes})
        names_b = sorted({self.nodes[j].name for j in b.nodes})
        parents_shared = sorted({self.find(p) for p in a.parents}
                                & {self.find(p) for p in b.parents})
        birth_a, birth_b = a.birth, b.birth
        gap = _gap(birth_a, birth_b) if birth_a is not None and birth_b is not None else None
        threshold = self.config.variant_threshold
        tolerance = self.config.birth_year_tolerance

        def reason(id_of: Callable[[int], str]) -> str:
            parts = [
                f"{' / '.join(names_a)} and {' / '.join(names_b)}: first names '{fa}' and "
                f"'{fb}' are alike (similarity {score:.0f} >= {threshold:.0f})",
                "both children of " + " and ".join(f"kgr {id_of(p)}" for p in parents_shared),
            ]
            if birth_a is not None and birth_b is not None:
                (ya, na), (yb, nb) = sorted([(birth_a, names_a[0]), (birth_b, names_b[0])])
                parts.append(f"implied birth years {_years(ya)} ({na}) and {_years(yb)} ({nb}),"
                             f" {gap} year(s) apart within the tolerance of {tolerance}")
            elif birth_a is not None or birth_b is not None:
                parts.append("birth year known for only one of them, no contradiction")
            else:
                parts.append("no ages to compare")
            return "; ".join(parts)

        return _Event(RULE_VARIANT, tuple(sorted(a.nodes | b.nodes)), reason)

    def same_names_kept_apart(self) -> None:
        """Ledger lines for bare groups of one name that stay apart and that a constraint
        keeps apart too (what merging by the name alone would have got wrong)."""
        by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        for root in sorted(self.groups):
            g = self.groups[root]
            if self._bare(g):
                for word in sorted(g.singles):
                    by_name[(g.cls, word)].append(root)
        for (_cls, _word), roots in sorted(by_name.items()):
            if len(roots) < 2 or len(roots) > _SAME_NAME_LIMIT:
                continue
            for x, ra in enumerate(roots):
                for rb in roots[x + 1:]:
                    block = self._block(ra, rb)
                    if block is not None and block.kind in _HARD:
                        self._record_block(RULE_SAME_NAME, ra, rb, block)

    # ---- output -------------------------------------------------------------------------

    def run(self) -> ResolvedCorpus:
        self.exact_names()
        self.alias_table()
        for _ in range(_MAX_ROUNDS):
            changed = self.context_merges()
            changed = self.name_variants() or changed
            if not changed:
                break
        self.same_names_kept_apart()
        return self._output()

    def _canonical(self, g: _Group) -> tuple[str, tuple[str, ...]]:
        surfaces: set[str] = set()
        name_count: Counter[str] = Counter()
        key_count: Counter[str] = Counter()
        alias_count: Counter[str] = Counter()
        for j in sorted(g.nodes):
            node = self.nodes[j]
            surfaces.add(node.name)
            name_count[node.name] += 1
            key_count[normalise(node.name, g.cls)] += 1
            for a in node.aliases:
                surfaces.add(a)
                alias_count[normalise(a, g.cls)] += 1
        surfaces = {s for s in surfaces if s.strip()}
        if len(g.anchors) >= 1:
            canonical = sorted(g.anchors)[0]
        elif surfaces:
            def rank(s: str) -> tuple:
                key = normalise(s, g.cls)
                words = len(key.split())
                return (
                    -(words > 1), has_title(s, g.cls), -key_count[key], -alias_count[key],
                    -name_count[s], -words, -len(s), s,
                )
            canonical = min(surfaces, key=rank)
        else:
            canonical = self.nodes[min(g.nodes)].name
        return canonical, tuple(sorted(surfaces - {canonical}))

    def _id_context(self, root: int, named: dict[int, tuple[str, tuple[str, ...]]]) -> str | None:
        """The name of the identifying entity a bare group's id is qualified with: its parent,
        partner, sibling, child, character or show, the one most articles link it to."""
        counts: Counter[tuple[int, str]] = Counter()
        order = {kind: n for n, kind in enumerate(_ID_CONTEXT_ORDER)}
        for i in self.groups[root].nodes:
            for family, direction, j in self.nodes[i].edges:
                rank = order.get((family, direction))
                rj = self.find(j)
                if rank is not None and rj != root and self._identifying(self.groups[rj]):
                    counts[(rank, named[rj][0])] += 1
        if not counts:
            return None
        (_rank, name), _n = min(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        return name

    def _ids(self, roots: list[int], named: dict[int, tuple[str, tuple[str, ...]]]) -> dict[int, str]:
        # ids: class/slug (bare people and characters: class/slug--context); when they
        # collide the group seen in most articles keeps the id and the others get a short
        # hash of their earliest (article id, local key).
        wanted: dict[str, list[int]] = defaultdict(list)
        for r in roots:
            g = self.groups[r]
            slug = slugify(named[r][0])
            if self._bare(g):
                # no identifying relative, character or show: the first article is the context
                context = self._id_context(r, named) or min(g.articles)
                slug = f"{slug}--{slugify(context)}"
            wanted[f"{g.cls.lower()}/{slug}"].append(r)
        ids: dict[int, str] = {}
        for base, members in sorted(wanted.items()):
            members.sort(key=lambda r: (-len(self.groups[r].articles), r))
            ids[members[0]] = base
            for r in members[1:]:
                first = self.nodes[min(self.groups[r].nodes)]
                digest = hashlib.sha1(f"{first.article}\x1f{first.key}".encode()).hexdigest()
                n = 6
                while f"{base}-{digest[:n]}" in wanted or f"{base}-{digest[:n]}" in ids.values():
                    n += 2
                ids[r] = f"{base}-{digest[:n]}"
        return ids

    def _output(self) -> ResolvedCorpus:
        roots = sorted(self.groups)
        named = {r: self._canonical(self.groups[r]) for r in roots}
        ids = self._ids(roots, named)

        def id_of(i: int) -> str:
            return ids[self.find(i)]

        entities = tuple(sorted(
            (Entity(ids[r], self.groups[r].cls, named[r][0], named[r][1]) for r in roots),
            key=lambda e: e.id,
        ))
        mapping = {(n.article, n.key): id_of(i) for i, n in enumerate(self.nodes)}

        # merges: one entry per (entity, rule); blocked merges: one per (entities, rule)
        ledger: dict[tuple[tuple[str, ...], str], tuple[set[str], set[str], list[str]]] = {}
        for event in self.events:
            if event.apart:
                apart = tuple(sorted({id_of(j) for j in event.apart}))
                if len(apart) < len(event.apart):
                    continue  # merged after all, through other evidence
                names = {self.nodes[j].name for j in event.nodes}
                names |= {named[self.find(j)][0] for j in event.apart}
            else:
                root = self.find(event.nodes[0])
                apart = (ids[root],)
                names = {self.nodes[j].name for j in event.nodes}
                if event.with_canonical:
                    names.add(named[root][0])
            articles = {self.nodes[j].article for j in event.nodes}
            entry = ledger.setdefault((apart, event.rule), (set(), set(), []))
            entry[0].update(names)
            entry[1].update(articles)
            text = event.reason(id_of)
            if text not in entry[2]:
                entry[2].append(text)
        merges = tuple(
            Merge(entity=apart[0], names=tuple(sorted(names)), rule=rule,
                  reason="; ".join(reasons), articles=tuple(sorted(articles)),
                  blocked=len(apart) > 1, apart=apart if len(apart) > 1 else ())
            for (apart, rule), (names, articles, reasons) in sorted(ledger.items())
            # a rule that joins by evidence is always recorded, even for identical names
            if len(names) > 1 or len(apart) > 1 or rule not in (RULE_EXACT, RULE_ALIAS)
        )
        return ResolvedCorpus(
            extractions=tuple(self.extractions), entities=entities, mapping=mapping,
            merges=merges,
        )


def _pairs_between(small: set[int], big: set[int]) -> bool:
    if len(small) > len(big):
        small, big = big, small
    return any(x in big for x in small)


def _relation_between(resolver: _Resolver, a: _Group, b: _Group) -> tuple[str, str] | None:
    """The relation that links a node of ``a`` with a node of ``b``, as (what one would be to
    themselves, where the text says so); ``None`` when there is none (cost: the smaller side).
    """
    if not (_pairs_between(a.related, b.nodes) or _pairs_between(b.related, a.nodes)):
        return None
    small, other = (a, b) if len(a.nodes) <= len(b.nodes) else (b, a)
    for i in sorted(small.nodes):
        for family, direction, j in resolver.nodes[i].edges:
            if j in other.nodes:
                what = {"child": "parent", "partnership": "partner"}.get(family, family)
                return what, f"article {resolver.nodes[i].article} relates them ({family}):"
    return "relative", "a text relates them:"  # pragma: no cover - related implies an edge


def _age_clash(a: list[_Age], b: list[_Age]) -> str:
    """The two ages (or birth dates), one of each side, whose birth years are furthest apart,
    in words: ``aged 13 and 4 on 2023-11-23``."""
    best = max(((_gap(x.birth, y.birth), x, y) for x in a for y in b),
               key=lambda t: (t[0], t[1].describe(), t[2].describe()))
    _gap_years, x, y = best
    if x.age is not None and y.age is not None and x.as_of == y.as_of:
        when = x.as_of.isoformat() if x.as_of else "?"
        return f"aged {max(x.age, y.age)} and {min(x.age, y.age)} on {when}"
    if (x.birth, x.describe()) > (y.birth, y.describe()):
        x, y = y, x  # the elder first
    return (f"{x.describe()} and {y.describe()} (born {_years(x.birth)} and "
            f"{_years(y.birth)})")


def _fact_birth(attribute: str, value: object, as_of: dt.date | None) -> tuple[int, int] | None:
    """The birth-year range an age or birth date implies (None for anything else)."""
    if attribute == "age" and isinstance(value, int) and not isinstance(value, bool):
        if as_of is None or not 0 <= value < 150:
            return None
        try:
            return _birth_range(value, as_of)
        except (ValueError, OverflowError):  # born before year 1: no birth year to compare
            return None
    if attribute == "birthDate" and isinstance(value, dt.date):
        return (value.year, value.year)
    return None


def _dedupe(extractions: Iterable[ArticleExtraction]) -> list[ArticleExtraction]:
    by_id: dict[str, ArticleExtraction] = {}
    for ext in extractions:
        aid = ext.article.id
        if aid in by_id and by_id[aid] != ext:
            raise ValueError(f"two different extractions for article {aid!r}")
        by_id[aid] = ext
    return [by_id[aid] for aid in sorted(by_id)]


def resolve(extractions: Iterable[ArticleExtraction],
            config: ResolverConfig | None = None) -> ResolvedCorpus:
    """Resolve the local entities of many articles into canonical entities.

    Deterministic and independent of the order of ``extractions``: articles are sorted by id
    (an article id given twice with different content is a ``ValueError``). The ledger
    (``ResolvedCorpus.merges``) holds the merges with their evidence and the merges a
    constraint blocked (``Merge.blocked``) with the reason.
    """
    config = config or ResolverConfig()
    table = load_alias_table(config.extra_alias_files)
    return _Resolver(_dedupe(extractions), config, table).run()
