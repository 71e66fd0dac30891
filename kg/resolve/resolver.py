"""Cross-article entity resolution: local entities -> canonical entities + merge ledger.

Every local entity ``(article id, key)`` is a node. Nodes are joined with a union-find, rule by
rule, and every join that brings distinct surface names together is written to the ledger:

1. ``resolve.exact_name`` - same class and same normalised name (case, punctuation, quotes,
   diacritics, honorifics and, outside people and characters, a leading "The" folded). A
   local entity's multi-word aliases count as its names; its one-word aliases do not (two
   Kates must not meet through an alias "Kate").
2. ``resolve.alias_table`` - names the alias table (the NLP gazetteer plus user files) lists
   for one canonical name of the class join, and the entity takes the canonical name.
3. ``resolve.partial_name`` - a group whose names are all one word ("Kym", "Marsh") joins the
   ONE group of the same class with a multi-word name whose first or last word it is. With
   two or more candidates it stays apart. Two multi-word names never meet this way.
4. ``resolve.name_variant_evidence`` - two groups of the same class with similar first names
   that are children of the same resolved parent and whose implied birth years agree.

Rules 3 and 4 are repeated until nothing changes, because a variant merge can make a partial
name unique and a partial merge can unite the parents that rule 4 compares. Rules 3 and 4 are
blocked by contradicting evidence: different genders, different alias-table entries, a
relation between the two, birth years further apart than the tolerance.

Canonical names: the alias table's name when there is one; otherwise a multi-word name
before a one-word one, a name without an honorific before one with, the name used most
often, the longest, then the alphabetically first. Every other surface name is an alias.
Ids are ``{class lower}/{slug}``; when two entities would share one, the one seen in most
articles keeps it and the others get ``-`` plus 6 hex digits of a hash of their earliest
(article id, local key), so an id never depends on the order articles arrive in.

Candidates are found through indexes (exact key, alias-table key, first/last name token,
parent), never by comparing all pairs, so resolution is close to linear in the number of
local entities. Everything is processed in sorted (article id, local key) order, so the result
depends only on the set of articles, not on the order they come in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.records import ArticleExtraction, Entity, LocalEntity, Merge, ResolvedCorpus
from kg.resolve.aliases import AliasTable, load_alias_table
from kg.resolve.names import (
    first_name_similarity,
    has_title,
    name_tokens,
    normalise,
    similar_name_pairs,
    slugify,
)

__all__ = ["ResolverConfig", "resolve"]

RULE_EXACT = "resolve.exact_name"
RULE_ALIAS = "resolve.alias_table"
RULE_PARTIAL = "resolve.partial_name"
RULE_VARIANT = "resolve.name_variant_evidence"

#: Upper bound on rounds of partial-name + evidence merges (each round is linear).
_MAX_ROUNDS = 50


@dataclass(frozen=True)
class ResolverConfig:
    """Settings of :func:`resolve`.

    ``variant_threshold``: the 0-100 first-name similarity (rapidfuzz) two children of one
    parent need to be taken as one person. ``birth_year_tolerance``: how many years their
    implied birth years may differ. ``extra_alias_files``: JSON Lines files in the gazetteer's
    format (``{"name", "class", "aliases"}``) added to the alias table.
    ``partial_name_classes``: the classes a one-word name may join a full name in (places and
    organisations are left out: "York" is not "New York", "Sky" is not "Sky News").
    """

    variant_threshold: float = 80.0
    birth_year_tolerance: int = 2
    extra_alias_files: tuple[str, ...] = ()
    partial_name_classes: tuple[str, ...] = ("Person", "Character")

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.variant_threshold) <= 100.0:
            raise ValueError(
                f"variant_threshold must be within 0-100, not {self.variant_threshold}"
            )
        if int(self.birth_year_tolerance) < 0:
            raise ValueError(f"birth_year_tolerance must be >= 0, not {self.birth_year_tolerance}")
        files = self.extra_alias_files
        files = (files,) if isinstance(files, str) else tuple(str(f) for f in files)
        object.__setattr__(self, "extra_alias_files", files)
        classes = self.partial_name_classes
        classes = (classes,) if isinstance(classes, str) else tuple(classes)
        object.__setattr__(self, "partial_name_classes", classes)


# --------------------------------------------------------------------------------------------
# nodes and groups


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
    singles: set[str] = field(default_factory=set)  # one-word names
    birth: tuple[int, int] | None = None
    parents: set[int] = field(default_factory=set)  # parent nodes
    related: set[int] = field(default_factory=set)  # nodes related to this group's nodes

    @property
    def multi(self) -> bool:
        return bool(self.firsts) or any(len(a.split()) > 1 for a in self.anchors)

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
        self.parents |= other.parents
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
    """A union worth a ledger line; the reason is rendered once entity ids are known."""

    rule: str
    nodes: tuple[int, ...]
    reason: Callable[[Callable[[int], str]], str]
    with_canonical: bool = False


class _Resolver:
    def __init__(self, extractions: list[ArticleExtraction], config: ResolverConfig,
                 table: AliasTable) -> None:
        self.config = config
        self.table = table
        self.extractions = extractions
        self.nodes: list[_Node] = []
        self.index: dict[tuple[str, str], int] = {}
        self.events: list[_Event] = []
        self._rejected: set[tuple[int, int, int, int]] = set()
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
                rng = _fact_birth(fact.attribute, fact.value, fact.as_of or ext.article.date)
                if rng is not None:
                    self.nodes[i].birth = _hull(self.nodes[i].birth, rng)

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
            birth=node.birth,
        )
        for k, surface in enumerate((node.name, *node.aliases)):
            words = name_tokens(surface, node.cls)
            if len(words) > 1:
                g.firsts.add(words[0])
                g.lasts.add(words[-1])
                g.tails.update(words[1:])
            elif len(words) == 1 and k == 0:
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
                if rel.predicate == "child":
                    self.groups[o].parents.add(s)

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

    # ---- rules --------------------------------------------------------------------------

    def exact_names(self) -> None:
        keys: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, node in enumerate(self.nodes):
            own = {normalise(node.name, node.cls)}
            own |= {normalise(a, node.cls) for a in node.aliases
                    if len(name_tokens(a, node.cls)) > 1}
            for key in sorted(own - {""}):
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

    def _compatible(self, ra: int, rb: int) -> tuple[bool, int | None]:
        """Whether nothing known contradicts groups ``ra`` and ``rb`` being one entity.

        Also returns the gap in years between their birth-year ranges when both have one.
        """
        a, b = self.groups[ra], self.groups[rb]
        if a.cls != b.cls:
            return False, None
        if len(a.genders | b.genders) > 1:
            return False, None
        if a.anchors and b.anchors and a.anchors != b.anchors:
            return False, None
        if _related(a, b):
            return False, None
        gap = None
        if a.birth is not None and b.birth is not None:
            gap = _gap(a.birth, b.birth)
            if gap > self.config.birth_year_tolerance:
                return False, gap
        return True, gap

    def partial_names(self) -> bool:
        classes = set(self.config.partial_name_classes)
        index: dict[tuple[str, str], set[int]] = defaultdict(set)
        for root, g in self.groups.items():
            if g.cls in classes and g.firsts:
                for word in g.firsts | g.lasts:
                    index[(g.cls, word)].add(root)
        changed = False
        singles = sorted(r for r, g in self.groups.items()
                         if g.cls in classes and not g.multi and not g.anchors and g.singles)
        for root in singles:
            root = self.find(root)
            g = self.groups[root]
            if g.multi:
                continue
            words = sorted(g.singles)
            candidates = {self.find(c) for w in words for c in index.get((g.cls, w), ())}
            candidates.discard(root)
            if len(candidates) != 1:
                continue
            target = next(iter(candidates))
            ok, _ = self._compatible(root, target)
            if not ok:
                continue
            t = self.groups[target]
            how = {w: " and ".join(p for p, s in (("first", t.firsts), ("last", t.lasts)) if w in s)
                   for w in words}
            single_nodes = sorted(g.nodes)
            # the evidence: every one-word mention, and the first article of each full name
            # it is part of (not every article that full name appears in)
            first_of: dict[str, int] = {}
            for j in sorted(t.nodes):
                if _ends_in(name_tokens(self.nodes[j].name, t.cls), g.singles):
                    first_of.setdefault(self.nodes[j].name, j)
            matching = list(first_of.values())
            cls = g.cls
            names = sorted({self.nodes[j].name for j in single_nodes})
            self.union(root, target)
            changed = True

            def reason(id_of: Callable[[int], str], names=names, how=how, cls=cls,
                       anchor=target) -> str:
                parts = []
                for n in names:
                    words_n = name_tokens(n, cls)
                    pos = how.get(words_n[0], "") if len(words_n) == 1 else ""
                    parts.append(f"'{n}' is the {pos or 'first or last'} name of exactly one "
                                 f"{cls} in the corpus, kgr {id_of(anchor)}")
                return "; ".join(parts)

            evidence = tuple(sorted(set(single_nodes) | set(matching)))
            self.events.append(_Event(RULE_PARTIAL, evidence, reason, with_canonical=True))
        return changed

    def name_variants(self) -> bool:
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
        ok, gap = self._compatible(ra, rb)
        if not ok:
            return None
        # Two full names with nothing after the first name in common are two people
        # ("Emily Mae" / "Emily Rose"), however alike the first names are.
        if a.tails and b.tails and not (a.tails & b.tails):
            return None
        # Two people named in one article were kept apart by extraction on purpose.
        if a.articles & b.articles:
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
        score, fa, fb = best
        names_a = sorted({self.nodes[j].name for j in a.nodes})
        names_b = sorted({self.nodes[j].name for j in b.nodes})
        parents_shared = sorted({self.find(p) for p in a.parents}
                                & {self.find(p) for p in b.parents})
        birth_a, birth_b = a.birth, b.birth
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

    # ---- output -------------------------------------------------------------------------

    def run(self) -> ResolvedCorpus:
        self.exact_names()
        self.alias_table()
        for _ in range(_MAX_ROUNDS):
            changed = self.partial_names()
            changed = self.name_variants() or changed
            if not changed:
                break
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

    def _output(self) -> ResolvedCorpus:
        roots = sorted(self.groups)
        named = {r: self._canonical(self.groups[r]) for r in roots}
        # ids: class/slug; when slugs collide the group seen in most articles keeps the plain
        # slug and the others get a short hash of their earliest (article id, local key).
        wanted: dict[str, list[int]] = defaultdict(list)
        for r in roots:
            g = self.groups[r]
            wanted[f"{g.cls.lower()}/{slugify(named[r][0])}"].append(r)
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

        def id_of(i: int) -> str:
            return ids[self.find(i)]

        entities = tuple(sorted(
            (Entity(ids[r], self.groups[r].cls, named[r][0], named[r][1]) for r in roots),
            key=lambda e: e.id,
        ))
        mapping = {(n.article, n.key): id_of(i) for i, n in enumerate(self.nodes)}

        ledger: dict[tuple[str, str], tuple[set[str], set[str], list[str]]] = {}
        for event in self.events:
            root = self.find(event.nodes[0])
            names = {self.nodes[j].name for j in event.nodes}
            if event.with_canonical:
                names.add(named[root][0])
            articles = {self.nodes[j].article for j in event.nodes}
            entry = ledger.setdefault((ids[root], event.rule), (set(), set(), []))
            entry[0].update(names)
            entry[1].update(articles)
            text = event.reason(id_of)
            if text not in entry[2]:
                entry[2].append(text)
        merges = tuple(
            Merge(entity=eid, names=tuple(sorted(names)), rule=rule,
                  reason="; ".join(reasons), articles=tuple(sorted(articles)))
            for (eid, rule), (names, articles, reasons) in sorted(ledger.items())
            if len(names) > 1
        )
        return ResolvedCorpus(
            extractions=tuple(self.extractions), entities=entities, mapping=mapping,
            merges=merges,
        )


def _related(a: _Group, b: _Group) -> bool:
    """Whether a relation links a node of ``a`` with a node of ``b`` (cost: the smaller side)."""
    for rel, nodes in ((a.related, b.nodes), (b.related, a.nodes)):
        small, big = (rel, nodes) if len(rel) <= len(nodes) else (nodes, rel)
        if any(x in big for x in small):
            return True
    return False


def _ends_in(words: tuple[str, ...], singles: set[str]) -> bool:
    return len(words) > 1 and (words[0] in singles or words[-1] in singles)


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
    (an article id given twice with different content is a ``ValueError``).
    """
    config = config or ResolverConfig()
    table = load_alias_table(config.extra_alias_files)
    return _Resolver(_dedupe(extractions), config, table).run()
