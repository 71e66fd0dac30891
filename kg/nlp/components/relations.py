"""Relation extraction over the clustered, typed doc.

Every rule reads general English structure around trigger words from ``lexicon.json``:
possessive kin phrases ("her son, Archie", "his screen wife Angie"), parent-of lists with
co-parents ("mum to A, 22 and B, 18, with her former partner C"), casting ("X, who plays C in
the ITV soap", "C is played by X", "cast as C"), roles before names ("This Morning hosts A and
B", "Strictly star X"), appearances ("starring in S", "after leaving S"), creators, broadcasters
("ITV soap Coronation Street", "the BBC1 soap", "S airs on ORG"), engagements, marriages and
splits. Hedged sentences are kept with lower confidence; negated ones are dropped.

After the rules, on-screen families are typed as characters, class constraints are enforced
and two inferences run: actors of the same show in one article are co-stars, children of one
parent are siblings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg import schema
from kg.nlp.doc_model import Cluster, RelationCandidate
from kg.nlp.components.temporal import AGE_WORD
from kg.nlp.lexicon import Lexicon, load_lexicon

PERSON = {"Person"}
PEOPLE = {"Person", "Character"}
SHOW = {"Show"}
# The relation schema comes from the ontology (kg/schema.py): which classes a predicate links
# (schema.fits), and its families. KIN: family ties; PERSONAL: every relation between two
# beings (kin, friends, co-stars, co-hosts); APPEARANCE: a person in a show.
KIN = schema.family_members("familyRelation")
PERSONAL = KIN | schema.family_members("socialRelation")
APPEARANCE = schema.family_members("appearance")
_NUM = re.compile(r"^\d{1,3}$")
_KIN_FILLERS = {"former", "ex", "now", "then", "late", "first", "second", "third", "eldest", "youngest", "adult",
                "oldest", "little", "baby", "new", "adoptive", "estranged", "beloved", "two", "three", "four",
                "five", "younger", "older", "elder", "big", "long-term", "longtime", "real-life", "screen",
                "on-screen", "onscreen", "soap", "fictional", "insurance", "broker", "television", "tv",
                "chef", "actor", "actress", "star", "teenage", "grown-up", "step", "twin", "darling",
                "best", "lovely", "husband-to-be", "wife-to-be", "fellow", "real", "life", "dear", "good",
                "great", "close", "old", "dead", "then-", "childhood", "nearly", "almost"}
_LIST_GLUE = {",", "and", "&", "nearly", "almost", "(", ")"}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}


@Language.factory("kg_relations", default_config={"extra_gazetteers": [], "infer": True})
def make_relations(nlp: Language, name: str, extra_gazetteers: list[str], infer: bool) -> "RelationExtractor":
    """Build the relation extractor (registered as ``kg_relations``)."""
    return RelationExtractor(load_lexicon(tuple(extra_gazetteers)), infer=infer)


class RelationExtractor:
    """Reads relation candidates from a doc with clusters (see module docstring)."""

    def __init__(self, lexicon: Lexicon, *, infer: bool = True) -> None:
        self.lex = lexicon
        self.infer = infer
        w = lexicon.words
        self.on_screen = frozenset(w["on_screen_modifiers"])
        self.parent_nouns = frozenset(w["parent_nouns"])
        self.play_verbs = frozenset(w["play_verbs"])
        self.roles: dict[str, str] = w["roles"]
        self.appearance: dict[str, str] = w["appearance_verbs"]
        self.genres = frozenset(w["show_genres"])
        self.hedges = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in w["hedges"]) + r")\b")
        self.negations = frozenset(w["negations"])
        self.marriage = tuple(w["marriage_verbs"])
        self.engaged = frozenset(w["engagement_words"])
        self.split = frozenset(w["split_words"])
        self.broadcast_verbs = frozenset(w["broadcast_verbs"])
        self.create_phrases = tuple(tuple(p.split()) for p in w["create_verbs"])
        # the phrases by their first word, in lexicon order: most tokens start none of them
        self.create_phrases_by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.create_phrases:
            if phrase:
                self.create_phrases_by_first.setdefault(phrase[0], []).append(phrase)
        self.ex_mods = frozenset(m.rstrip("-") for m in w["ex_modifiers"])
        self.other_kin = frozenset(w["other_kin"])
        self.person_desc = frozenset(w["person_descriptions"])
        self.group_words = frozenset(w["group_descriptions"]) | {"they"}

    # ------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self.doc = doc
        self.clusters: list[Cluster] = doc._.kg_clusters or []
        self.out: list[RelationCandidate] = []
        self.plays_of: dict[int, int] = {}
        self.co_parent_links: list[tuple[int, int, Span, Token]] = []
        self.actors = self._speakers_and_subjects(doc)
        sents = list(doc.sents)
        # casting first: on-screen kin phrases need to know who plays whom
        for sent in sents:
            self._casting(sent)
        for sent in sents:
            self._kin(sent)
            self._kin_of(sent)
            self._parent_of(sent)
            self._shared_children(sent)
            self._births(sent, sents)
            self._roles(sent)
            self._appearances(sent)
            self._alongside(sent)
            self._co_hosting(sent)
            self._hosted_by(sent)
            self._creators(sent)
            self._broadcasters(sent)
            self._couples(sent)
            self._friendships(sent)
        self._children_of_co_parents()
        self._retype()
        rels = [r for r in self.out if self._fits(r)]
        if self.infer:
            rels += self._inferred(rels)
        doc._.kg_relations = _dedupe(rels)
        return doc

    # -- helpers -------------------------------------------------------------------------
    def _speakers_and_subjects(self, doc: Doc) -> set[int]:
        """Clusters that speak in quotes or are followed by a play verb: real people, not roles."""
        out: set[int] = {q.speaker for q in doc._.kg_quotes or () if q.speaker is not None}
        for ent in doc.ents:
            tok = ent[0]
            if tok._.kg_ref is not None and tok.i + 1 < len(doc) and \
                    doc[tok.i + 1].lower_ in self.play_verbs and doc[tok.i + 1].lower_ != "playing":
                out.add(tok._.kg_ref)
        return out


    def cls(self, ref: int | None) -> str | None:
        return self.clusters[ref].cls if ref is not None else None

    def ref(self, tok: Token, classes: set[str] | None = None) -> int | None:
        r = tok._.kg_ref
        if r is None:
            return None
        if classes is not None and self.clusters[r].cls not in classes and self.clusters[r].cls != "Name":
            return None
        return r

    def emit(self, s: int | None, pred: str, o: int | None, sent: Span, rule: str, conf: float,
             *toks: Token) -> None:
        if s is None or o is None or s == o:
            return
        text = sent.text.lower()
        hedged = self.hedges.search(text) is not None
        chain = tuple(sorted({t._.kg_chain for t in toks if t is not None and t._.kg_chain}))
        self.out.append(RelationCandidate(
            s, pred, o, sent.start_char, sent.end_char, rule,
            round(conf * (0.6 if hedged else 1.0), 3), hedged, chain))

    def negated(self, sent: Span, lo: int, hi: int) -> bool:
        return any(t.lower_ in self.negations for t in self.doc[max(sent.start, lo - 4):hi])

    def subject_before(self, sent: Span, i: int, classes: set[str] = PERSON,
                       skip: set[int] | None = None) -> Token | None:
        """The nearest mention before ``i`` in the sentence; else the first one after it."""
        skip = skip or set()
        closed = self._closed_relative_clauses(sent, i)
        for k in range(i - 1, sent.start - 1, -1):
            t = self.doc[k]
            if k in closed:
                continue  # "The actress, who plays Gina, is mum to …": Gina is not the subject
            if t._.kg_speaker is not None and self.doc[i]._.kg_speaker is None:
                continue
            if t.lower_ in {"me", "mine", "myself", "him", "them"}:
                continue
            if self.ref(t, classes) is not None and t._.kg_ref not in skip:
                return t
        for k in range(i + 1, sent.end):
            t = self.doc[k]
            if self.ref(t, classes) is not None and t._.kg_ref not in skip:
                return t
        return None

    def _closed_relative_clauses(self, sent: Span, i: int) -> set[int]:
        """Token indices of ", who … ," clauses that end before ``i``."""
        doc = self.doc
        out: set[int] = set()
        for k in range(sent.start + 1, i):
            if doc[k].lower_ in {"who", "which", "whose"} and doc[k - 1].text == ",":
                end = next((x for x in range(k + 1, i) if doc[x].text == ","), None)
                if end is not None:
                    out.update(range(k, end))
        return out

    def _premodifier(self, w: Token) -> bool:
        low = w.lower_
        return (low in _KIN_FILLERS or low in self.roles or self.lex.kin(low) is not None or low in self.person_desc
                or (low in {"her", "his"} and w.i > 0 and self.doc[w.i - 1].lower_ in {"and", "&"})
                or (w.is_lower and w.is_alpha and w.i + 1 < len(self.doc)
                    and self.lex.kin(self.doc[w.i + 1].lower_) is not None)
                or bool(AGE_WORD.match(w.text)) or (bool(w.ent_type_) and self.cls(w._.kg_ref) == "Show"))

    def group_of(self, tok: Token) -> list[int]:
        """The people coordinated with ``tok`` ("Kym and Alison", "A, B, and former Corrie pal C")."""
        if tok._.kg_group:
            return list(tok._.kg_group)
        refs = [tok._.kg_ref]
        doc = self.doc
        k = tok.i - 1
        while k > tok.sent.start and self._premodifier(doc[k]) and not doc[k].is_sent_start:
            k -= 1
        while k > tok.sent.start:
            if doc[k].lower_ not in {"and", "&", ","}:
                break
            while k > tok.sent.start and (doc[k].lower_ in {"and", "&", ","} or _NUM.match(doc[k].text)):
                k -= 1
            w = doc[k]
            if w._.kg_ref is not None and w.ent_type_ and self.cls(w._.kg_ref) in PEOPLE | {"Name"}:
                refs.insert(0, w._.kg_ref)
                k -= 1
                while k > tok.sent.start and self._premodifier(doc[k]):
                    k -= 1
                continue
            break
        return [r for r in dict.fromkeys(refs) if r is not None]

    def list_from(self, i: int, end: int, classes: set[str] = PEOPLE) -> tuple[list[Token], int]:
        """Coordinated mentions starting at token ``i``: "A, 22, B and nine-year-old C"."""
        items: list[Token] = []
        k = i
        while k < end:
            t = self.doc[k]
            if self.ref(t, classes) is not None and t.ent_type_:
                items.append(t)
                k += 1
                continue
            if t.lower_ in _LIST_GLUE or _NUM.match(t.text) or AGE_WORD.match(t.text) or t.lower_ in self.other_kin or \
                    t.lower_ in self.lex.words["kin_nouns"] or t.lower_ in {"aged", "both"} or (
                    items and t.lower_ in _NUMBER_WORDS and self.doc[k - 1].text == ","):
                k += 1
                continue
            if items and t.lower_ in {"who", "whom", "whose"} and self.doc[k - 1].text == ",":
                close = self._clause_end(k, end)  # "Edward, whom they nicknamed Teddy, and Kit"
                if close is not None:
                    k = close
                    continue
            break
        return items, k

    def _clause_end(self, k: int, end: int) -> int | None:
        """The comma closing a relative clause that starts at ``k``, if "and"/"," follows it."""
        for x in range(k + 1, min(end, k + 12)):
            if self.doc[x].text == "," and x + 1 < end and self.doc[x + 1].lower_ in {"and", "&"}:
                return x
            if self.doc[x].text in {".", ";", ":", "(", ")"}:
                return None
        return None

    def next_mention(self, i: int, end: int, classes: set[str], limit: int = 4,
                     allow: set[str] | None = None) -> Token | None:
        allow = allow or set()
        for k in range(i, min(end, i + limit)):
            t = self.doc[k]
            if self.ref(t, classes) is not None and (t.ent_type_ or k == i):
                return t
            if t.is_punct and t.text not in {",", "-", "–", "‘", "’", "“", "”", '"', "'"} or (
                    t.lower_ in {"who", "which", "that"}):
                return None
            if t._.kg_ref is not None and t.ent_type_ and t.lower_ not in allow:
                return None
        return None

    def character_of(self, ref: int) -> int:
        """A person's character in this doc (for "his screen wife"), or the ref itself."""
        return self.plays_of.get(ref, ref)

    # -- rules -----------------------------------------------------------------------------
    def _casting(self, sent: Span) -> None:
        doc = self.doc
        for tok in sent:
            low = tok.lower_
            role_of = low in {"role", "part"} and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "of"
            if low in self.play_verbs or role_of:  # "plays X", "takes the role of X"
                nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
                if nxt is not None and nxt.lower_ == "by":
                    self._played_by(sent, tok)
                    continue
                targets, k = self._object_list(tok.i + (2 if role_of else 1), sent.end)
                owned = self._owned_role(targets[0], sent.end) if len(targets) == 1 else None
                if owned is not None:
                    # "portray Garrow's estranged wife Helena", "the role of Keyes' sergeant, Nadia Fox"
                    kin = self._possessed_kin(targets[0], sent.end)
                    if kin is not None:
                        sense = next((self.lex.kin(doc[x].lower_) for x in range(targets[0].i + 1, kin.i)
                                      if self.lex.kin(doc[x].lower_)), None)
                        if sense is not None and sense[1] == "peer" and sense[0] in {"spouse", "partner",
                                                                                      "exPartner", "sibling"}:
                            former = any(doc[x].lower_ in self.ex_mods for x in range(targets[0].i, kin.i))
                            self.emit(targets[0]._.kg_ref, "exPartner" if former and sense[0] != "sibling"
                                      else sense[0], kin._.kg_ref, sent, "casting.screen_kin", 0.75, kin)
                    targets, k = [owned], owned.i + 1
                if not targets:
                    continue
                subj_tok = self.subject_before(sent, tok.i, PERSON, skip={t._.kg_ref for t in targets})
                if subj_tok is None or self.negated(sent, subj_tok.i, tok.i):
                    continue
                subjects = self.group_of(subj_tok)
                show_tok = self._show_after(k, sent.end)
                # "A and B, who play sisters X and Y (respectively)": one role each
                respectively = any(t.lower_ == "respectively" for t in doc[k:sent.end]) or (
                    len(subjects) > 1 and not low.endswith("s") and low not in {"played", "portrayed"})
                pairs = list(zip(subjects, targets)) if respectively and len(subjects) == len(targets) \
                    else [(s, t) for s in subjects[-1:] for t in targets]
                for s, t in pairs:
                    self._cast(s, t._.kg_ref, show_tok, sent, "casting.plays", 0.9, subj_tok, t)
                kin = [self.lex.kin(doc[x].lower_) for x in range(tok.i + 1, targets[0].i)]
                if len(targets) == 2 and any(k is not None and k[0] in {"sibling", "spouse", "partner"} for k in kin):
                    pred = next(k[0] for k in kin if k is not None)  # "who play sisters X and Y"
                    self.emit(targets[0]._.kg_ref, pred, targets[1]._.kg_ref, sent, "casting.screen_kin", 0.8,
                              *targets)
            elif low == "as" and tok.i > sent.start:
                before = {doc[k].lower_ for k in range(max(sent.start, tok.i - 6), tok.i)}
                if not before & {"cast", "star", "stars", "starring", "starred", "fame", "role", "joins",
                                 "joined", "returns", "returned", "debut", "plays", "playing", "appear",
                                 "appears", "back", "screen", "known"}:
                    continue
                target = self.next_mention(tok.i + 1, sent.end, {"Character"}, limit=5)
                described = target is None and self._couples_kin_role(tok.i + 1, sent.end) is not None
                if described:
                    target = self._couples_kin_role(tok.i + 1, sent.end)
                if target is not None and self._quoted(target):
                    # a quoted nickname before the name: "as scheming 'Slippery' Sid Moss"
                    target = self.next_mention(target.i + 2, sent.end, {"Character"}, limit=2) or target
                kin = self._possessed_kin(target, sent.end) if target is not None else None
                if kin is not None:
                    target = kin  # the possessor is a character, so its family is on screen too
                elif target is None or self.cls(target._.kg_ref) != "Character" and not described:
                    continue
                elif target.i + 1 < sent.end and doc[target.i + 1].lower_ in {"’s", "'s"}:
                    continue  # "cast as the Doctor's companion": the role is someone else's companion
                subj_tok = self.subject_before(sent, tok.i, PERSON)
                if subj_tok is not None:
                    show_tok = self._show_after(target.i + 1, sent.end)
                    self._cast(subj_tok._.kg_ref, target._.kg_ref, show_tok, sent, "casting.as", 0.8,
                               subj_tok, target)
            elif low == "(" and tok.i > sent.start and tok.i + 2 < sent.end and doc[tok.i + 2].text == ")":
                person, char = doc[tok.i - 1], doc[tok.i + 1]
                if self.cls(person._.kg_ref) in {"Person", "Name"} and self.cls(char._.kg_ref) == "Character":
                    self._cast(person._.kg_ref, char._.kg_ref, None, sent, "casting.parenthesis", 0.75,
                               person, char)

    def _owned_role(self, tok: Token, end: int) -> Token | None:
        """"Keyes' sergeant, Nadia Fox", "Garrow's estranged wife Helena": the role a possessive leads to."""
        doc = self.doc
        k = tok.i + 1
        if k >= end or doc[k].text not in {"’s", "'s", "’", "'"}:
            return None
        k += 1
        start = k
        while k < end and k - start < 4 and doc[k].is_alpha and doc[k].is_lower:
            k += 1
        if k < end and doc[k].text == ",":
            k += 1
        if k > start and k < end and doc[k].ent_type_ and self.ref(doc[k], PEOPLE) is not None:
            return doc[k]
        return None

    def _couples_kin_role(self, i: int, end: int) -> Token | None:
        """"cast as the couple's daughter, Isobel": the named kin of the couple just read."""
        doc = self.doc
        k = i
        if k < end and doc[k].lower_ in {"the", "their", "his", "her"}:
            k += 1
        if k + 1 < end and doc[k].lower_ in {"couple", "pair"} and doc[k + 1].lower_ in {"’s", "'s"}:
            k += 2
            kin = False
            while k < end and (doc[k].lower_ in _KIN_FILLERS or self.lex.kin(doc[k].lower_)) and not doc[k].ent_type_:
                kin = kin or self.lex.kin(doc[k].lower_) is not None
                k += 1
            if k < end and doc[k].text == ",":
                k += 1
            if kin and k < end and doc[k].ent_type_ and self.ref(doc[k], PEOPLE) is not None:
                return doc[k]
        return None

    def _quoted(self, tok: Token) -> bool:
        doc = self.doc
        return 0 < tok.i < len(doc) - 1 and doc[tok.i - 1].text in {"'", "‘", '"', "“"} and \
            doc[tok.i + 1].text in {"'", "’", '"', "”"}

    def _last_couple(self, tok: Token) -> list[int]:
        """"The couple's daughter": the last pair read as spouses or partners, for "couple", "pair"."""
        if tok.lower_ not in {"couple", "pair", "duo"}:
            return []
        for r in reversed(self.out):
            if r.predicate in {"spouse", "partner", "exPartner"} and r.sent_start <= tok.idx:
                return [r.subject, r.object]
        return []

    def _possessed_kin(self, tok: Token, end: int) -> Token | None:
        """"as Den and Angie's adoptive daughter Sharon": the kin named after a possessive."""
        doc = self.doc
        k = tok.i + 1
        if k + 1 < end and doc[k].lower_ in {"and", "&"} and doc[k + 1]._.kg_ref is not None:
            k += 2
        if k >= end or doc[k].lower_ not in {"’s", "'s", "’", "'"}:
            return None
        k += 1
        kin = False
        while k < end and (doc[k].lower_ in _KIN_FILLERS or self.lex.kin(doc[k].lower_)) and not doc[k].ent_type_:
            kin = kin or self.lex.kin(doc[k].lower_) is not None
            k += 1
        if kin and k < end and doc[k].ent_type_ and self.ref(doc[k], PEOPLE) is not None:
            return doc[k]
        return None

    def _object_list(self, i: int, end: int) -> tuple[list[Token], int]:
        """The character(s) after a play verb, skipping kin nouns ("play brothers A and B")."""
        k = i
        x = k
        while x < end and x - k < 5 and (self.doc[x].is_lower and self.doc[x].is_alpha and
                                         self.lex.kin(self.doc[x].lower_) is None
                                         and self.doc[x].lower_ not in {"his", "her", "their", "the"}
                                         or self.doc[x].text.rstrip(".") in self.lex.titles):
            x += 1
        if x > k and x < end and self.doc[x].ent_type_:
            k = x  # role words before the character: "plays barmaid Tanya", "played cheerful market trader Len"
        while k < end and (self.doc[k].lower_ in _KIN_FILLERS or self.lex.kin(self.doc[k].lower_)
                           or self.doc[k].lower_ in {"his", "her", "their", "the", "a", "character",
                                                     "role", "of", "named", "called", "new", "villainous"}):
            k += 1
        items, k2 = self.list_from(k, end, PEOPLE)
        items = [t for t in items if self.cls(t._.kg_ref) in {"Character", "Name"}
                 or (items and self.cls(items[0]._.kg_ref) == "Character")
                 or (self.cls(t._.kg_ref) == "Person" and t._.kg_ref not in self.actors)]
        return items, k2

    def _played_by(self, sent: Span, verb: Token) -> None:
        doc = self.doc
        chars: list[Token] = []
        k = verb.i - 1
        while k >= sent.start and doc[k].lower_ in {"is", "was", "will", "be", "been", "being", "-", "–", "—",
                                                    ",", "(", "are", "were"}:
            k -= 1
        if k >= sent.start and (self.cls(doc[k]._.kg_ref) == "Character" or (
                doc[k].ent_type_ and self.cls(doc[k]._.kg_ref) in {"Person", "Name"}
                and doc[k]._.kg_ref not in self.actors)):
            chars = [doc[x] for x in range(sent.start, k + 1)
                     if doc[x]._.kg_ref in set(self.group_of(doc[k])) and doc[x].ent_type_]
            chars = chars or [doc[k]]
        if not chars:
            return
        actors, _ = self.list_from(verb.i + 2, sent.end, PERSON)
        if not actors:
            t = self.next_mention(verb.i + 2, sent.end, PERSON, limit=8, allow=set())
            actors = [t] if t is not None else []
            if not actors:  # "played by actress, singer and Loose Women panellist Kelle Bryan"
                for x in range(verb.i + 2, min(sent.end, verb.i + 12)):
                    if self.cls(doc[x]._.kg_ref) == "Person" and doc[x].ent_type_:
                        actors = [doc[x]]
                        break
        pairs = list(zip(actors, chars)) if len(actors) == len(chars) else \
            [(a, c) for a in actors[:1] for c in chars]
        for a, c in pairs:
            self._cast(a._.kg_ref, c._.kg_ref, None, sent, "casting.played_by", 0.9, a, c)

    def _show_after(self, i: int, end: int) -> Token | None:
        doc = self.doc
        for k in range(i, min(end, i + 7)):
            t = doc[k]
            if t.lower_ in {"in", "on", "for"}:
                for m in range(k + 1, min(end, k + 6)):
                    u = doc[m]
                    if self.cls(u._.kg_ref) == "Show":
                        return u
                    if u.lower_ not in {"the", "a", "hit", "new", "popular", "long-running", "soap", "'s", "’s"} \
                            and not u.ent_type_ and u.lower_ not in self.genres:
                        break
        return None

    def _cast(self, person: int | None, char: int | None, show_tok: Token | None, sent: Span,
              rule: str, conf: float, *toks: Token) -> None:
        if person is None or char is None:
            return
        self.plays_of.setdefault(person, char)
        self.emit(person, "plays", char, sent, rule, conf, *toks)
        if show_tok is not None:
            show = show_tok._.kg_ref
            self.emit(char, "characterIn", show, sent, rule, conf, show_tok)
            self.emit(person, "actsIn", show, sent, rule, conf, show_tok, *toks)

    def _kin(self, sent: Span) -> None:
        doc = self.doc
        for tok in sent:
            sense = self.lex.kin(tok.lower_)
            if sense is None:
                continue
            if tok.i + 1 < sent.end and self.lex.kin(doc[tok.i + 1].lower_) is not None:
                continue  # "their twin sons": the second noun is the kin
            pred, direction, _, former = sense
            # the possessor: "her", "Kym's", "their", "Den and Angie's" — or the clause subject
            k = tok.i - 1
            mods: list[str] = []
            while k >= sent.start and (doc[k].lower_ in _KIN_FILLERS or doc[k].lower_ in self.on_screen
                                       or AGE_WORD.match(doc[k].text) or doc[k].lower_ in {"-"}) \
                    and doc[k]._.kg_ref is None:
                mods.append(doc[k].lower_)
                k -= 1
            k = self._past_free_modifiers(sent, k)
            poss_tok = doc[k] if k >= sent.start else None
            possessors: list[int] = []
            if poss_tok is not None and poss_tok.lower_ in {"’s", "'s", "’", "'"} and k - 1 >= sent.start:
                poss_tok = doc[k - 1]
                possessors = self.group_of(poss_tok) if poss_tok._.kg_ref is not None else \
                    list(poss_tok._.kg_group or ()) or self._last_couple(poss_tok)
            elif poss_tok is not None and poss_tok.lower_ in {"her", "his", "my", "their", "our"}:
                owner = self._named_parent_before(sent, poss_tok)
                if owner is not None:
                    possessors = [owner]  # "Kerry is Bev's only child with her first husband": Bev's
                elif poss_tok.lower_ in {"their", "our"} and poss_tok._.kg_group:
                    possessors = list(poss_tok._.kg_group)
                elif poss_tok._.kg_ref is not None:
                    possessors = [poss_tok._.kg_ref]
            elif poss_tok is not None and poss_tok.ent_type_ and pred in {"friend", "coStar", "coHost"} \
                    and self.cls(poss_tok._.kg_ref) == "Show" and not (
                        poss_tok.i - 1 >= sent.start and doc[poss_tok.i - 1].lower_ in {",", "and"} | self.ex_mods):
                # "Corrie pal Alison King": the pal of the clause's subject
                s = self.subject_before(sent, poss_tok.i, PERSON)
                possessors = [s._.kg_ref] if s is not None else []
                poss_tok = s
            if poss_tok is not None and poss_tok.lower_ == "whose" and k - 1 >= sent.start:
                head = doc[k - 2] if doc[k - 1].text == "," and k - 2 >= sent.start else doc[k - 1]
                if head._.kg_ref is not None and head.ent_type_:
                    possessors = [head._.kg_ref]  # "Sasha, whose father is the actor Lars"
                    poss_tok = head
            if poss_tok is not None and poss_tok.lower_ == "mutual":
                s = self.subject_before(sent, k, PERSON)
                if s is not None and s.i < k:
                    possessors = list(s._.kg_group or ()) or self.group_of(s)  # "introduced by mutual friend X"
                    poss_tok = s
            if poss_tok is not None and poss_tok.lower_ in {"a", "an"} and k - 1 >= sent.start and \
                    doc[k - 1].lower_ in {"has", "have", "had", "share", "shares", "welcomed"}:
                k -= 1  # "they have a daughter, Winnie"
                poss_tok = doc[k]
            if poss_tok is not None and not possessors and poss_tok.lower_ in {
                    "and", "from", "to", "of", "-", "–", ",", "has", "have", "share", "shares", "had", "with",
                    "welcomed"}:
                # "her marriage to ex-husband X": the nearby possessive owns the relation
                near = next((doc[x] for x in range(k - 1, max(sent.start - 1, k - 4), -1)
                             if doc[x].lower_ in {"her", "his", "their"} and
                             (doc[x]._.kg_ref is not None or doc[x]._.kg_group)), None)
                closed = self._closed_relative_clauses(sent, k)
                grouped = next((doc[x] for x in range(k - 1, sent.start - 1, -1)
                                if doc[x]._.kg_group and doc[x]._.kg_ref is None and x not in closed
                                and (k - x <= 3 or doc[x].lower_ in self.group_words)), None)
                if poss_tok.lower_ == "with" and near is None:
                    continue  # "Polly, with former partner X": the co-parent rule reads it
                if poss_tok.lower_ in {"to", "from", "of", "with"} and near is not None:
                    possessors = list(near._.kg_group or ()) if near.lower_ == "their" else [near._.kg_ref]
                    poss_tok = near
                elif poss_tok.lower_ in {"has", "have", "had", "share", "welcomed"} and grouped is not None:
                    possessors = list(grouped._.kg_group)
                    poss_tok = grouped
                elif poss_tok.lower_ in {"has", "have", "had", "share", "welcomed"}:
                    possessors = self._couple_word_before(sent, k)  # "The couple, who share a son, Luca"
                s = None if possessors else self.subject_before(sent, k + 1, PEOPLE)
                if s is not None:
                    possessors = self.group_of(s) if poss_tok.lower_ in {"share", "shares", "have", "had",
                                                                         "welcomed"} \
                        else [s._.kg_ref]
                    poss_tok = s
            if not possessors:
                continue
            if self._composed_co_parent(sent, tok, k, possessors):
                continue
            on_screen = bool(set(mods) & self.on_screen)
            former = former or bool(set(mods) & self.ex_mods and pred in {"spouse", "partner", "exPartner"})
            if former and pred in {"spouse", "partner"}:
                pred = "exPartner"
            # the kin: a name after the noun ("her son, Archie") or before ("Archie, who was her … child")
            start = self._after_kin_noun(tok.i + 1, sent.end)
            targets, k_end = self.list_from(start, sent.end)
            if not targets and start + 1 < sent.end and (doc[start].text == "," or doc[start].lower_ in {
                    "is", "was", "and"}):
                y = start + 1  # "her father, actor Tony Britton", "whose husband is the director X"
                while y < sent.end and y - start <= 6 and (doc[y].is_alpha and not doc[y].ent_type_ or (
                        doc[y].ent_type_ and self.cls(doc[y]._.kg_ref) in {"Show", "Organization"})):
                    y += 1
                if y > start + 1:
                    targets, k_end = self.list_from(y, sent.end)
                    targets = targets[:1]
            if not targets and start < sent.end and doc[start].text in {"—", "–", "-"}:
                targets, k_end = self.list_from(start + 1, sent.end)  # "four children — Bev, Carol and Paul —"
            targets = [t for t in targets if t._.kg_ref not in possessors]
            if not tok.lower_.endswith("s") and tok.lower_ not in {"children", "kids"}:
                targets = targets[:1]  # "her former partner Dave and five-year-old Polly": one partner
            if not targets and pred in {"coStar", "friend"} and tok.i + 2 < sent.end and \
                    doc[tok.i + 1].lower_ in {"with", "including", ","}:
                targets, k_end = self.list_from(tok.i + 2, sent.end)
            colon_list = False
            if not targets and tok.lower_ in {"children", "kids", "sons", "daughters"}:
                colon = next((x for x in range(tok.i + 1, min(sent.end, tok.i + 9)) if doc[x].text == ":"), None)
                if colon is not None:  # "shares three children with Chris: Stella, 13, and Eli, 6"
                    targets, k_end = self.list_from(colon + 1, sent.end)
                    colon_list = bool(targets)
            if not targets:
                back = self._relative_head(sent, k) or self._copular_subject(sent, poss_tok)
                if back is not None and back._.kg_ref not in possessors:
                    targets, k_end = [back], tok.i + 1
            if not targets:
                continue
            if self.negated(sent, (poss_tok.i if poss_tok is not None else tok.i) - 3, tok.i):
                continue
            rule = "family.possessive" if pred in KIN \
                else f"peer.{pred}"
            for p in possessors:
                owner = self.character_of(p) if on_screen or (
                    self.cls(p) == "Person" and p in self.plays_of
                    and any(self.cls(t._.kg_ref) == "Character" for t in targets)) else p
                for t in targets:
                    kin = t._.kg_ref
                    if direction == "down":
                        self.emit(owner, "child", kin, sent, rule, 0.85, poss_tok, t)
                    elif direction == "up":
                        self.emit(kin, "child", owner, sent, rule, 0.85, poss_tok, t)
                    else:
                        self.emit(owner, pred, kin, sent, rule, 0.85, poss_tok, t)
            if direction == "down":
                self._co_parents(sent, tok.i + 1 if colon_list else k_end, possessors, [t._.kg_ref for t in targets])

    def _after_kin_noun(self, i: int, end: int) -> int:
        """Past "of five years," and "named" after a kin noun: "his wife of 52 years, Margaret"."""
        doc = self.doc
        if i + 2 < end and doc[i].lower_ == "of" and (number_word(doc[i + 1].text) or doc[i + 1].lower_ in {
                "many", "several", "a", "ten", "twenty"}) and doc[i + 2].lower_.rstrip("s") in {
                "year", "month", "decade", "week"}:
            i += 3
        if i < end and doc[i].text == "," and i + 1 < end and doc[i + 1]._.kg_ref is not None \
                and doc[i + 1].ent_type_:
            i += 1
        if i < end and doc[i].lower_ in {"named", "called"}:
            i += 1
        return i

    def _copular_subject(self, sent: Span, poss_tok: Token | None) -> Token | None:
        """"Otis is Lucy's second child": the name before "is" when the kin has no name after it."""
        doc = self.doc
        if poss_tok is None:
            return None
        k = poss_tok.i - 1
        if k < sent.start or doc[k].lower_ not in {"is", "was"}:
            return None
        k -= 1
        while k > sent.start and (doc[k].text == "," or _NUM.match(doc[k].text) or doc[k].lower_ in {"also"}):
            k -= 1
        t = doc[k]
        return t if t.ent_type_ and self.ref(t, PEOPLE) is not None else None

    def _named_parent_before(self, sent: Span, poss: Token) -> int | None:
        """"X's only child with her husband": after "with", her/his is the parent named just before."""
        doc = self.doc
        if poss.lower_ not in {"her", "his"} or poss.i - 1 < sent.start or doc[poss.i - 1].lower_ != "with":
            return None
        for x in range(poss.i - 2, max(sent.start, poss.i - 6), -1):
            sense = self.lex.kin(doc[x].lower_)
            if sense is not None and sense[1] == "down":
                y = x - 1
                while y > sent.start and (doc[y].lower_ in _KIN_FILLERS or doc[y].lower_ in {"only", "second",
                                                                                            "third", "fourth"}):
                    y -= 1
                if doc[y].lower_ in {"’s", "'s"} and doc[y - 1].ent_type_ and \
                        self.ref(doc[y - 1], PEOPLE) is not None:
                    return doc[y - 1]._.kg_ref
                return None
        return None

    def _couple_word_before(self, sent: Span, k: int) -> list[int]:
        """"The couple, who share a son": the last couple read, for a couple word before ``k``."""
        for x in range(k - 1, max(sent.start - 1, k - 20), -1):
            if self.doc[x].lower_ in {"couple", "pair", "duo"}:
                group = self.doc[x]._.kg_group
                return self._last_couple(self.doc[x]) or (list(group) if group else [])
        return []

    def _kin_of(self, sent: Span) -> None:
        """"Danny is the son of actress Yvonne Okoro and musician Chidi Okoro", "the younger brother of X"."""
        doc = self.doc
        for tok in sent:
            sense = self.lex.kin(tok.lower_)
            if sense is None or sense[1] == "up" or tok.i + 2 >= sent.end or doc[tok.i + 1].lower_ != "of" \
                    or tok.i == sent.start or doc[tok.i - 1].lower_ in {"her", "his", "their", "’s", "'s"}:
                continue
            pred, direction = sense[0], sense[1]
            if pred not in {"child", "sibling", "spouse"}:
                continue
            kin: list[Token] = []
            y = tok.i + 2
            while y < sent.end and len(kin) < 2:
                t = doc[y]
                if t.ent_type_ and self.ref(t, PEOPLE) is not None:
                    kin.append(t)
                    y += 1
                    close = self._clause_end(y + 1, sent.end) if y + 1 < sent.end and \
                        doc[y].text == "," and doc[y + 1].lower_ in {"who", "whose"} else None
                    y = close if close is not None else y
                    if y < sent.end and doc[y].text == "," and y + 1 < sent.end and doc[y + 1].lower_ == "and":
                        y += 1
                    if y < sent.end and doc[y].lower_ in {"and", "&"} and pred == "child":
                        y += 1
                        continue
                    break
                if (t.is_alpha and t.is_lower and t.lower_ not in {"and", "who", "which"}) or t.lower_ in {"the", "a"} \
                        or (t.ent_type_ and self.cls(t._.kg_ref) in {"Show", "Organization"}):
                    y += 1
                    continue
                break
            if not kin:
                continue
            subj = self.subject_before(sent, tok.i, PEOPLE, skip={t._.kg_ref for t in kin})
            if subj is None or subj.i > tok.i or self.negated(sent, subj.i, tok.i):
                continue
            for t in kin:
                if direction == "down":  # "the son of X": X is the parent
                    self.emit(t._.kg_ref, "child", subj._.kg_ref, sent, "family.kin_of", 0.8, subj, t)
                else:
                    self.emit(subj._.kg_ref, pred, t._.kg_ref, sent, "family.kin_of", 0.8, subj, t)

    def _described_list(self, y: int, end: int) -> list[Token]:
        """People listed from ``y``, the last one possibly described: "A and former skater B", "A and his brother B"."""
        doc = self.doc
        people, _ = self.list_from(y, end, PERSON)
        if people:
            z = people[-1].i + 1
            if z < end and doc[z].lower_ in {"and", "&"}:
                z += 1
                while z < end and z - people[-1].i < 7 and not doc[z].ent_type_ and doc[z].is_alpha:
                    z += 1
                if z < end and doc[z].ent_type_ and self.ref(doc[z], PERSON) is not None:
                    people.append(doc[z])
        return people

    def _hosted_by(self, sent: Span) -> None:
        """"Villa Unlocked, hosted by comedian Darren Fitch", "which is fronted by A and B"."""
        doc = self.doc
        for tok in sent:
            if tok.lower_ not in {"hosted", "presented", "fronted", "co-hosted", "co-presented", "narrated"} \
                    or tok.i + 2 >= sent.end or doc[tok.i + 1].lower_ != "by":
                continue
            y = tok.i + 2
            while y < sent.end and y - tok.i < 7 and doc[y].is_alpha and doc[y].is_lower:
                y += 1
            more = self._described_list(y, sent.end)
            show = self.subject_before(sent, tok.i, SHOW)
            if show is None or self.cls(show._.kg_ref) != "Show" or show.i > tok.i:
                continue
            pred = "appearsIn" if tok.lower_ == "narrated" else "presents"
            for p in more:
                self.emit(p._.kg_ref, pred, show._.kg_ref, sent, "appearance.hosted_by", 0.8, p, show)

    def _composed_co_parent(self, sent: Span, tok: Token, k: int, possessors: list[int]) -> bool:
        """"mother of his children Martine", "Felix, the father of her children": the other parent.

        ``tok`` is the kin noun after "PARENT of POSSESSIVE"; the name after it (or the apposition
        head before "the PARENT") is the possessor's partner and a parent of the possessor's
        children, which are linked once every sentence has been read.
        """
        doc = self.doc
        if self.lex.kin(tok.lower_) is None or self.lex.kin(tok.lower_)[1] != "down":
            return False
        if k - 2 < sent.start or doc[k - 1].lower_ != "of" or doc[k - 2].lower_ not in self.parent_nouns:
            return False
        parent_noun = doc[k - 2]
        other: Token | None = None
        nxt = self.next_mention(tok.i + 1, sent.end, PEOPLE, limit=3)
        if nxt is not None:
            other = nxt
        else:
            x = parent_noun.i - 1
            if x >= sent.start and doc[x].lower_ == "the":
                x -= 1
            if x >= sent.start and doc[x].text == ",":
                x -= 1
            if x >= sent.start and doc[x].ent_type_ and self.ref(doc[x], PEOPLE) is not None:
                other = doc[x]
        if other is None:
            return True
        near = {w.lower_ for w in doc[max(sent.start, parent_noun.i - 4):parent_noun.i]}
        pred = "exPartner" if near & self.ex_mods else "partner"
        for p in possessors:
            if self.cls(p) == "Person" and p in self.plays_of and self.cls(other._.kg_ref) == "Character":
                p = self.character_of(p)
            if p != other._.kg_ref:
                self.emit(p, pred, other._.kg_ref, sent, "family.co_parent", 0.75, other)
                self.co_parent_links.append((p, other._.kg_ref, sent, other))
        return True

    def _children_of_co_parents(self) -> None:
        for parent, other, sent, tok in self.co_parent_links:
            kids = sorted({r.object for r in self.out if r.predicate == "child" and r.subject == parent})
            for kid in kids:
                self.emit(other, "child", kid, sent, "family.co_parent", 0.7, tok)

    def _past_free_modifiers(self, sent: Span, k: int) -> int:
        """"her dentist husband", "his long-suffering wife": up to three plain words back to a possessive."""
        doc = self.doc
        x = k
        while x >= sent.start and k - x < 3 and doc[x].is_lower and doc[x].is_alpha | ("-" in doc[x].text) \
                and doc[x]._.kg_ref is None and doc[x].lower_ not in {"and", "or", "with", "to", "of", "the", "a"}:
            x -= 1
        if x < k and x >= sent.start and (doc[x].lower_ in {"her", "his", "their", "my", "our"}
                                          or doc[x].lower_ in {"’s", "'s"}):
            return x
        return k

    def _relative_head(self, sent: Span, k: int) -> Token | None:
        """"Archie, who was her first child": the name a relative clause hangs on."""
        doc = self.doc
        for x in range(k, max(sent.start - 1, k - 5), -1):
            if doc[x].lower_ in {"who", "whom"}:
                head = doc[x - 1] if doc[x - 1].text != "," else doc[x - 2]
                if head._.kg_ref is not None and head.ent_type_:
                    return head
        return None

    def _co_parents(self, sent: Span, k: int, parents: list[int], children: list[int]) -> None:
        """"… with her former partner Dave Cunliffe": the other parent of these children."""
        doc = self.doc
        x = k
        while x < sent.end and doc[x].text in {",", "together", "—", "–"}:
            x += 1
        if x + 2 < sent.end and doc[x].lower_ == "from" and doc[x + 1].lower_ in {"her", "his", "their"}:
            # "from her previous marriage to X", "from his relationship with X"
            z = x + 2
            while z < sent.end and z - x < 5 and doc[z].lower_ not in {"marriage", "relationship", "romance"}:
                z += 1
            if z + 1 < sent.end and doc[z].lower_ in {"marriage", "relationship", "romance"} and \
                    doc[z + 1].lower_ in {"to", "with"}:
                y = z + 2
                ex = any(doc[w].lower_ in self.ex_mods | {"previous", "first", "earlier"} for w in range(x, z)) or \
                    any((self.lex.kin(doc[w].lower_) or ("", "", None, False))[0] == "exPartner"
                        for w in range(y, min(sent.end, y + 3)))
                while y < sent.end and not doc[y].ent_type_ and y - z < 6:
                    y += 1
                if y < sent.end and self.ref(doc[y], PEOPLE) is not None:
                    for c in children:
                        self.emit(doc[y]._.kg_ref, "child", c, sent, "family.co_parent", 0.8, doc[y])
                    for p in parents:
                        self.emit(p, "exPartner" if ex else "spouse", doc[y]._.kg_ref, sent,
                                  "family.co_parent", 0.8, doc[y])
            return
        if x >= sent.end or doc[x].lower_ != "with":
            return
        y = x + 1
        mods: list[str] = []
        while y < sent.end and (doc[y].lower_ in _KIN_FILLERS | {"her", "his", "their", "now", ",", "the"}
                                or self.lex.kin(doc[y].lower_) or doc[y].lower_ in self.on_screen
                                or doc[y].lower_ in self.roles
                                or (doc[y].is_lower and doc[y].is_alpha and y - x <= 8 and any(
                                    self.lex.kin(doc[z].lower_) for z in range(x, y)))
                                or (doc[y].ent_type_ and self.cls(doc[y]._.kg_ref) == "Show")) \
                and not (doc[y].ent_type_ and self.cls(doc[y]._.kg_ref) != "Show"):
            mods.append(doc[y].lower_)
            y += 1
        if y >= sent.end or self.ref(doc[y], PEOPLE) is None:
            return
        other = doc[y]._.kg_ref
        senses = [self.lex.kin(m) for m in mods if self.lex.kin(m)]
        for c in children:
            self.emit(other, "child", c, sent, "family.co_parent", 0.8, doc[y])
        if senses:
            pred = senses[0][0] if senses[0][0] in {"spouse", "partner", "exPartner"} else "partner"
            first_kin = next(i for i, m in enumerate(mods) if self.lex.kin(m))
            if set(mods[:first_kin]) & self.ex_mods or any(s[3] for s in senses):
                pred = "exPartner"
            for p in parents:
                self.emit(p, pred, other, sent, "family.co_parent", 0.8, doc[y])

    def _parent_of(self, sent: Span) -> None:
        """"mum to A, B and C", "parents to their two sons, A and B"."""
        doc = self.doc
        for tok in sent:
            base = tok.lower_.split("-of-")[0]
            if base not in self.parent_nouns or tok.i + 1 >= sent.end or doc[tok.i + 1].lower_ not in {"to", "of"}:
                continue
            if tok.i + 3 < sent.end and doc[tok.i + 2].lower_ in {"his", "her", "their"} and \
                    self.lex.kin(doc[tok.i + 3].lower_):
                continue
            children, k = self.list_from(tok.i + 2, sent.end)
            if not children:
                y = tok.i + 2
                while y < sent.end and (doc[y].lower_ in _KIN_FILLERS | {"their", "her", "his", ","}
                                        or self.lex.kin(doc[y].lower_)) and not doc[y].ent_type_:
                    y += 1
                children, k = self.list_from(y, sent.end)
            subj = self.subject_before(sent, tok.i, PEOPLE, skip={c._.kg_ref for c in children})
            couple = self._couple_word_before(sent, tok.i) if base in {"parents", "parent"} and \
                any(doc[x].lower_ in {"couple", "pair"} for x in range(sent.start, min(sent.start + 3, tok.i))) \
                else []
            if (subj is None and not couple) or not children:
                continue
            parents = couple or (self.group_of(subj) if base in {"parents", "parent"} else [subj._.kg_ref])
            segments = self._segments(sent, tok.i + 2, k, children)
            for seg_children, co_parent_at in segments:
                for p in parents:
                    for c in seg_children:
                        self.emit(p, "child", c._.kg_ref, sent, "family.parent_of", 0.9, subj, c)
                # "with her ex X" splits the list; "from her marriage to X" may follow its end
                self._co_parents(sent, co_parent_at if co_parent_at is not None else k, parents,
                                 [c._.kg_ref for c in seg_children])

    def _shared_children(self, sent: Span) -> None:
        """"shares Hattie, 27, and Harriet, 30, with her husband Tim": children named after "shares"."""
        doc = self.doc
        for tok in sent:
            if tok.lower_ not in {"share", "shares", "shared"}:
                continue
            children, k = self.list_from(tok.i + 1, sent.end, PEOPLE)
            x = k
            while x < sent.end and doc[x].text in {",", "together"}:
                x += 1
            if not children or x >= sent.end or doc[x].lower_ not in {"with", "from"} or not all(
                    AGE_WORD.match(doc[c.i - 1].text) or doc[c.i + 1].text == "," and c.i + 2 < sent.end
                    and (_NUM.match(doc[c.i + 2].text) or doc[c.i + 2].lower_ in _NUMBER_WORDS)
                    for c in children):
                continue  # only children given with their ages: "shares a stage with" is not this
            subj = self.subject_before(sent, tok.i, PEOPLE, skip={c._.kg_ref for c in children})
            if subj is None or subj.i > tok.i or self.negated(sent, subj.i, tok.i):
                continue
            parents = self.group_of(subj)
            for p in parents:
                for c in children:
                    self.emit(p, "child", c._.kg_ref, sent, "family.shares", 0.8, subj, c)
            self._co_parents(sent, k, parents, [c._.kg_ref for c in children])

    def _segments(self, sent: Span, start: int, k: int, first: list[Token]) -> list[tuple[list[Token], int | None]]:
        """Split "A and B, with X and C, with Y" into ([A, B] with X) and ([C] with Y)."""
        segments: list[tuple[list[Token], int | None]] = []
        current = list(first)
        x = k
        doc = self.doc
        while True:
            while x < sent.end and doc[x].text in {",", "together"}:
                x += 1
            if x < sent.end and doc[x].lower_ == "with":
                segments.append((current, x))
                y = x + 1
                while y < sent.end and not (doc[y].ent_type_ and self.ref(doc[y], PEOPLE) is not None):
                    y += 1
                y += 1
                if y < sent.end and doc[y].lower_ in {"and", ","}:
                    more, x2 = self.list_from(y + 1, sent.end)
                    if more:
                        current, x = more, x2
                        continue
                return segments
            segments.append((current, None))
            return segments

    def _births(self, sent: Span, sents: list[Span]) -> None:
        """"gave birth to X", and "their baby … X was born" across sentences."""
        doc = self.doc
        text = sent.text.lower()
        for tok in sent:
            if tok.lower_ == "birth" and tok.i >= 1 and doc[tok.i - 1].lower_ in {"gave", "give", "gives", "giving"} \
                    and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                y = tok.i + 2
                while y < sent.end and (doc[y].lower_ in _KIN_FILLERS | {"her", "their", "a", "his"}
                                        or self.lex.kin(doc[y].lower_)) and not doc[y].ent_type_:
                    y += 1
                kids, _ = self.list_from(y, sent.end)
                mother = self.subject_before(sent, tok.i - 1, PEOPLE, skip={c._.kg_ref for c in kids})
                for c in kids:
                    if mother is not None:
                        self.emit(mother._.kg_ref, "child", c._.kg_ref, sent, "family.birth", 0.85, mother, c)
        for tok in sent:  # "announce the arrival of Jack", "the birth of their son, Leo"
            if tok.lower_ in {"arrival", "birth"} and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "of":
                y = tok.i + 2
                while y < sent.end and (doc[y].lower_ in _KIN_FILLERS | {"her", "their", "his", "our", "a", ","}
                                        or self.lex.kin(doc[y].lower_)) and not doc[y].ent_type_:
                    y += 1
                if y < sent.end and doc[y].ent_type_ and self.ref(doc[y], PEOPLE) is not None:
                    parents = self._new_parents(sent, sents, tok)
                    for p in parents:
                        self.emit(p, "child", doc[y]._.kg_ref, sent, "family.arrival", 0.7, doc[y])
        if " was born" not in text and " were born" not in text:
            return
        for tok in sent:
            if tok.lower_ not in {"was", "were"} or tok.i + 1 >= sent.end or doc[tok.i + 1].lower_ != "born":
                continue
            if tok.i == sent.start or not doc[tok.i - 1].ent_type_:
                continue
            child = doc[tok.i - 1]._.kg_ref
            idx = sents.index(sent)
            for prev in reversed(sents[max(0, idx - 2):idx]):
                for t in prev:
                    sense = self.lex.kin(t.lower_)
                    if sense and sense[1] == "down" and t.i > prev.start and \
                            doc[t.i - 1].lower_ in {"their", "her", "his"} and \
                            (t.i + 1 >= prev.end or not doc[t.i + 1].ent_type_):
                        owner = doc[t.i - 1]
                        parents = list(owner._.kg_group or ()) or ([owner._.kg_ref] if owner._.kg_ref is not None else [])
                        for p in parents:
                            self.emit(p, "child", child, sent, "family.birth_bridge", 0.6, owner, doc[tok.i - 1])
                        if parents:
                            return

    def _new_parents(self, sent: Span, sents: list[Span], tok: Token) -> list[int]:
        """Who just had a baby: the subject of a nearby "have welcomed a baby boy", else the speaker."""
        doc = self.doc
        idx = sents.index(sent)
        for prev in reversed(sents[max(0, idx - 5):idx + 1]):
            for t in prev:
                if t.lower_ not in {"welcomed", "welcome", "welcomes", "had", "birth"}:
                    continue
                window = [doc[x] for x in range(t.i + 1, min(prev.end, t.i + 6))]
                if not any((self.lex.kin(w.lower_) or ("", ""))[1] == "down" for w in window) or \
                        any(w.ent_type_ for w in window):
                    continue
                subj = self.subject_before(prev, t.i, PEOPLE)
                if subj is not None and subj.i < t.i:
                    return list(subj._.kg_group or ()) or self.group_of(subj)
        speaker = tok._.kg_speaker
        if speaker is None:
            return []
        partners = [r.object if r.subject == speaker else r.subject for r in self.out
                    if r.predicate in {"spouse", "partner"} and speaker in (r.subject, r.object)]
        return [speaker] + sorted(set(partners))[:1]

    def _roles(self, sent: Span) -> None:
        """"Strictly star Joe Sugg", "This Morning hosts A and B", "the Loose Women star"."""
        doc = self.doc
        for tok in sent:
            pred = self.roles.get(tok.lower_)
            if pred is None or tok.i == sent.start:
                continue
            x = tok.i - 1
            while x > sent.start and tok.i - x <= 2 and (_NUM.match(doc[x].text) or re.match(r"^\d{4}$", doc[x].text)):
                x -= 1  # "Love Island's 2019 winner"
            show_tok = doc[x]
            if show_tok.lower_ in {"’s", "'s"} and x >= 1:
                show_tok = doc[x - 1]
            if self.cls(show_tok._.kg_ref) != "Show" or not show_tok.ent_type_:
                continue
            show = show_tok._.kg_ref
            if pred == "createdBy":
                target = self.next_mention(tok.i + 1, sent.end, PERSON)
                if target is not None:
                    self.emit(show, "createdBy", target._.kg_ref, sent, "role.creator", 0.85, target)
                continue
            people, _ = self.list_from(tok.i + 1, sent.end, PERSON)
            if not tok.lower_.endswith("s"):
                people = people[:1]  # "Strictly star Joe Sugg, Neil Morrissey …": the star is Joe
            if not people and tok._.kg_ref is not None:
                people = [tok]  # a description: "the Loose Women star"
            if not people and tok.i + 1 < sent.end and doc[tok.i + 1].text == ",":
                people = [t for t in [self.next_mention(tok.i + 2, sent.end, PERSON)] if t is not None]
            if not people:  # "Emmerdale stars Max Parker and Kris Mochrie" handled above; "X, the SHOW star"
                k = show_tok.i - 1
                while k >= sent.start and doc[k].lower_ in {"the", "former", "ex", "ex-", "a", "fellow"}:
                    k -= 1
                if k >= sent.start and doc[k].text == "," and k - 1 >= sent.start and \
                        self.cls(doc[k - 1]._.kg_ref) == "Person":
                    people = [doc[k - 1]]
            for p in people:
                self.emit(p._.kg_ref, pred, show, sent, "role.show_role", 0.85, p, show_tok)
            if people and show_tok.i > sent.start and doc[show_tok.i - 1].lower_ == "fellow":
                # "X is married to fellow Strictly professional Y": X is one too
                subj = self.subject_before(sent, show_tok.i - 1, PERSON, skip={p._.kg_ref for p in people})
                if subj is not None and subj.i < show_tok.i:
                    self.emit(subj._.kg_ref, pred, show, sent, "role.fellow", 0.75, subj, show_tok)
        # "star of SHOW", "host of SHOW", "a judge on SHOW", "a regular on the spin-off SHOW"
        for tok in sent:
            pred = self.roles.get(tok.lower_)
            if pred in APPEARANCE and tok.i + 2 < sent.end and \
                    doc[tok.i + 1].lower_ in {"of", "on"} and not tok.ent_type_:
                y = tok.i + 2
                while doc[tok.i + 1].lower_ == "on" and y < sent.end and y - tok.i < 6 and (
                        doc[y].is_lower and doc[y].is_alpha and self.cls(doc[y]._.kg_ref) != "Show"
                        or (doc[y].ent_type_ and self.cls(doc[y]._.kg_ref) == "Organization"
                            and y + 1 < sent.end and doc[y + 1].lower_ in {"’s", "'s"})
                        or doc[y].lower_ in {"’s", "'s"}):
                    y += 1  # "a newsreader on ITV's Sunrise Today", "a regular on the reality spin-off S"
                show_tok = self.next_mention(y, sent.end, SHOW, limit=3)
                if show_tok is None or self.cls(show_tok._.kg_ref) != "Show":
                    continue
                subj = tok if tok._.kg_ref is not None else self.subject_before(sent, tok.i, PERSON)
                if subj is not None:
                    self.emit(subj._.kg_ref, pred, show_tok._.kg_ref, sent, "role.of_show", 0.8, subj, show_tok)

    def _appearances(self, sent: Span) -> None:
        """"starring in S", "after leaving S", "signed up for the new series of S", "on S"."""
        doc = self.doc
        for tok in sent:
            pred = self.appearance.get(tok.lower_)
            if pred is None:
                continue
            show_tok = None
            if tok.lower_ in {"debut", "debuts"} and tok.i > sent.start and \
                    self.cls(doc[tok.i - 1]._.kg_ref) == "Show" and doc[tok.i - 1].ent_type_:
                show_tok = doc[tok.i - 1]  # "make her Doctor Who debut"
            for k in range(tok.i + 1, min(sent.end, tok.i + 12) if show_tok is None else tok.i):
                t = doc[k]
                if t.lower_ in {"alongside", "opposite", "with"}:
                    break  # "star alongside Doctor Who star X": the show belongs to X (see _alongside)
                if self.cls(t._.kg_ref) == "Show":
                    show_tok = t
                    break
                if t.ent_type_ and self.cls(t._.kg_ref) in PEOPLE | {"Name"} and \
                        not (k + 1 < sent.end and doc[k + 1].lower_ in {"’s", "'s"}) or t.text in {".", ";", "“", "\""}:
                    break  # but "on Gilbey's series of S" goes on
            if show_tok is None:
                continue
            subj = self.subject_before(sent, tok.i, PERSON)
            if tok.lower_.endswith("ing") and tok.i > sent.start and \
                    doc[tok.i - 1].lower_ in {"after", "before", "since", "while", "when", "despite", "following"}:
                # an adjunct's subject is the clause's subject: "The dancer married James after quitting S"
                first = next((t for t in sent if self.ref(t, PERSON) is not None
                              and (t.ent_type_ or t._.kg_chain)), None)
                subj = first or subj
            if subj is None or self.negated(sent, subj.i if subj.i < tok.i else tok.i - 2, tok.i):
                continue
            if subj.i > show_tok.i:
                # a participle clause's subject comes after it: "After leaving Corrie, Kym …"
                if not any(doc[x].text == "," for x in range(show_tok.i, subj.i)):
                    continue
            for who in (self.group_of(subj) if subj.i < tok.i else [subj._.kg_ref]):
                self.emit(who, pred, show_tok._.kg_ref, sent, "appearance.verb", 0.75, subj, show_tok)

    def _alongside(self, sent: Span) -> None:
        """"X appeared on S alongside his mother Y", "X, who appeared alongside Y in S": Y is on S too.

        The people alongside share the subject's appearance in the show and are its co-stars.
        """
        doc = self.doc
        for tok in sent:
            if tok.lower_ not in {"alongside", "opposite"}:
                continue
            y = tok.i + 1
            while y < sent.end and (doc[y].lower_ in {"his", "her", "their", "fellow"} | _KIN_FILLERS
                                    or doc[y].lower_ in self.other_kin or self.lex.kin(doc[y].lower_)
                                    or (doc[y].ent_type_ and y + 1 < sent.end and doc[y + 1].lower_ in self.roles
                                        and self.cls(doc[y]._.kg_ref) in {"Show", "Organization"})
                                    or (doc[y].lower_ in self.roles and y > tok.i + 1)):
                y += 1  # "alongside his mother X", "alongside Doctor Who star X"
            partners, end = self.list_from(y, sent.end, PERSON)
            partners = [p for p in partners if self.cls(p._.kg_ref) in {"Person", "Name"}]
            if tok.i == sent.start:  # "Alongside A and B, C …": the phrase ends at its comma
                comma = next((x for x in range(tok.i, end) if doc[x].text == ","), end)
                partners = [p for p in partners if p.i < comma]
            if not partners:
                continue
            subj = self.subject_before(sent, tok.i, PERSON, skip={p._.kg_ref for p in partners})
            if subj is None or self.negated(sent, min(subj.i, tok.i), max(subj.i, tok.i)):
                continue
            if subj.i > tok.i:  # "Alongside Gatwa, Millie will make her debut": the clause after
                if tok.i != sent.start or not any(doc[x].text == "," for x in range(tok.i, subj.i)):
                    continue
                clause = range(subj.i + 1, sent.end)
            else:
                clause = range(subj.i + 1, tok.i)
            verb = next((self.appearance[doc[x].lower_] for x in clause if doc[x].lower_ in self.appearance), None)
            shows: set[tuple[str, int]] = set()
            if verb is not None and subj.i < tok.i:  # "appeared alongside Y in S": the show after the list
                for k in range(end, min(sent.end, end + 8)):
                    if self.cls(doc[k]._.kg_ref) == "Show" and doc[k].ent_type_:
                        shows = {(verb, doc[k]._.kg_ref)}
                        self.emit(subj._.kg_ref, verb, doc[k]._.kg_ref, sent, "appearance.alongside", 0.75,
                                  subj, doc[k])
                        break
                    if doc[k].text in {".", ";"} or (doc[k].ent_type_ and self.ref(doc[k], PEOPLE) is not None):
                        break
            if not shows:  # "X appeared on S … alongside Y": what this sentence says X is on
                shows = {(r.predicate, r.object) for r in self.out if r.subject == subj._.kg_ref
                         and r.sent_start == sent.start_char and r.predicate in {"actsIn", "appearsIn", "presents"}}
            if not shows:
                if verb in {"actsIn", "appearsIn"}:  # "she will star alongside X": co-stars, show unsaid
                    for p in partners:
                        self.emit(subj._.kg_ref, "coStar", p._.kg_ref, sent, "peer.alongside", 0.65, subj, p)
                continue
            peer = "coHost" if all(pred == "presents" for pred, _ in shows) else "coStar"
            for p in partners:
                for pred, show in sorted(shows):
                    self.emit(p._.kg_ref, pred, show, sent, "appearance.alongside", 0.7, p)
                self.emit(subj._.kg_ref, peer, p._.kg_ref, sent, "peer.alongside", 0.7, subj, p)

    def _co_hosting(self, sent: Span) -> None:
        """"The One Show, which she co-hosted with Ronan Keating": co-hosts, both presenting the show."""
        doc = self.doc
        for tok in sent:
            if not tok.lower_.startswith(("co-host", "co-present", "cohost")) or tok.i + 2 >= sent.end:
                continue
            w = next((x for x in range(tok.i + 1, min(sent.end, tok.i + 9)) if doc[x].lower_ == "with"), None)
            if w is None or any(doc[x].is_punct and doc[x].text != "'s" for x in range(tok.i + 1, w)):
                continue
            between = next((doc[x] for x in range(tok.i + 1, w) if self.cls(doc[x]._.kg_ref) == "Show"), None)
            y = w + 1
            while y < sent.end and not doc[y].ent_type_ and y - w < 5 and (doc[y].is_lower or doc[y].lower_ in {
                    "his", "her"}):
                y += 1
            if y + 1 < sent.end and doc[y].ent_type_ and (self.cls(doc[y]._.kg_ref) in {"Show", "Organization"}
                                                       or doc[y + 1].lower_ in self.roles):
                y += 1  # "with Boyzone star Ronan Keating"
                while y < sent.end and doc[y].is_lower and y - w < 7:
                    y += 1
            while y < sent.end and y - w < 8 and (doc[y].text == "," or doc[y].is_lower and doc[y].is_alpha) and \
                    not doc[y].ent_type_:
                y += 1  # "with his fiancée, chef X"
            partners, _ = self.list_from(y, sent.end, PERSON)
            subj = self.subject_before(sent, tok.i, PERSON, skip={p._.kg_ref for p in partners})
            if subj is None or not partners or self.negated(sent, subj.i, tok.i):
                continue
            show = between._.kg_ref if between is not None else None
            if tok.i - 2 >= sent.start and doc[tok.i - 2].lower_ == "which" or doc[tok.i - 1].lower_ == "which":
                which = tok.i - 2 if doc[tok.i - 2].lower_ == "which" else tok.i - 1
                ante = doc[which - 1] if doc[which - 1].text != "," else doc[which - 2]
                if self.cls(ante._.kg_ref) == "Show":
                    show = ante._.kg_ref
            for p in partners:
                self.emit(subj._.kg_ref, "coHost", p._.kg_ref, sent, "peer.co_hosted_with", 0.8, subj, p)
                if show is not None:
                    self.emit(p._.kg_ref, "presents", show, sent, "peer.co_hosted_with", 0.75, p)
                    self.emit(subj._.kg_ref, "presents", show, sent, "peer.co_hosted_with", 0.75, subj)

    def _creators(self, sent: Span) -> None:
        doc = self.doc
        for tok in sent:
            low = tok.lower_
            if low in {"creator", "co-creator"} and tok.i + 1 < sent.end:
                person = self.next_mention(tok.i + 1, sent.end, PERSON, limit=2)
                if person is None and tok._.kg_ref is None:
                    continue
                show = None
                for k in range(tok.i - 1, max(-1, tok.i - 200), -1):
                    if self.cls(doc[k]._.kg_ref) == "Show":
                        show = doc[k]
                        break
                if person is not None and show is not None:
                    self.emit(show._.kg_ref, "createdBy", person._.kg_ref, sent, "creator.noun", 0.75, person, show)
            elif (phrase := self._create_phrase(tok, sent)) is not None:
                y = tok.i + phrase
                while y < sent.end and y - tok.i - phrase < 4 and doc[y].is_lower and doc[y].is_alpha:
                    y += 1  # "dreamed up by television producer X"
                people = self._described_list(y, sent.end)
                if not people:
                    people = [p for p in [self.next_mention(y, sent.end, PERSON, limit=3)] if p is not None]
                show = self.subject_before(sent, tok.i, SHOW)
                if show is not None and self.cls(show._.kg_ref) == "Show":
                    for person in people:
                        self.emit(show._.kg_ref, "createdBy", person._.kg_ref, sent, "creator.passive", 0.85,
                                  person, show)
            elif low in {"created", "devised", "co-created"}:
                y = tok.i + 1  # "who created the Saturday-night ITV talent show", "devised the hit quiz Brainbox"
                while y < sent.end and y - tok.i < 6 and self.cls(doc[y]._.kg_ref) != "Show" and (
                        doc[y].is_lower or doc[y].ent_type_ and self.cls(doc[y]._.kg_ref) == "Organization"):
                    y += 1
                show = doc[y] if y < sent.end and self.cls(doc[y]._.kg_ref) == "Show" else None
                person = self.subject_before(sent, tok.i, PERSON)
                if show is not None and person is not None and self.cls(show._.kg_ref) == "Show" \
                        and person.i < tok.i:
                    self.emit(show._.kg_ref, "createdBy", person._.kg_ref, sent, "creator.active", 0.8, person, show)

    def _create_phrase(self, tok: Token, sent: Span) -> int | None:
        """The length of a creation phrase from the lexicon starting at ``tok`` ("dreamed up by")."""
        phrases = self.create_phrases_by_first.get(tok.lower_)
        if phrases is None:
            return None
        doc = self.doc
        for phrase in phrases:
            n = len(phrase)
            if tok.i + n <= sent.end and all(doc[tok.i + k].lower_ == phrase[k] for k in range(1, n)):
                return n
        return None

    def _broadcasters(self, sent: Span) -> None:
        doc = self.doc
        for tok in sent:
            if not tok.ent_type_ or self.cls(tok._.kg_ref) != "Organization":
                continue
            org = tok._.kg_ref
            # "ITV soap Coronation Street", "BBC drama, The Syndicate", "the BBC1 soap", "BBC sci-fi series"
            k = tok.i + 1
            while k < sent.end and (doc[k].lower_ in self.genres or doc[k].lower_ in {"hit", "daytime", "new",
                                                                                          "popular", "flagship"}):
                k += 1
            if k == tok.i + 1 and self.clusters[org].broadcaster:
                # "the ITV breakfast show", "Channel 5 motoring magazine show Wheels Up"
                z = k
                while z < sent.end and z - k < 4 and doc[z].is_lower and doc[z].is_alpha and \
                        doc[z].lower_ not in self.genres:
                    z += 1
                if z > k and z < sent.end and doc[z].lower_ in self.genres:
                    k = z
                    while k < sent.end and doc[k].lower_ in self.genres:
                        k += 1
            if k == tok.i + 1:
                if tok.i + 2 < sent.end and doc[tok.i + 1].lower_ in {"’s", "'s"} and \
                        self.cls(doc[tok.i + 2]._.kg_ref) == "Show":
                    self.emit(doc[tok.i + 2]._.kg_ref, "broadcastBy", org, sent, "broadcast.possessive", 0.8,
                              doc[tok.i + 2])
                continue
            head = doc[k - 1]
            if head._.kg_ref is not None and self.cls(head._.kg_ref) == "Show":
                self.emit(head._.kg_ref, "broadcastBy", org, sent, "broadcast.description", 0.8, head)
                continue
            if k < sent.end and doc[k].text == ",":
                k += 1
            if k < sent.end and self.cls(doc[k]._.kg_ref) == "Show" and doc[k].ent_type_:
                self.emit(doc[k]._.kg_ref, "broadcastBy", org, sent, "broadcast.genre_apposition", 0.85, doc[k])
        # "Star Turn on ITV", "Olly's Kitchen, on BBC Two", "Blitz Extra following on BBC Two"
        for tok in sent:
            if self.cls(tok._.kg_ref) != "Show" or not tok.ent_type_:
                continue
            k = tok.i + 1
            while k < sent.end and k - tok.i <= 3 and (doc[k].text == "," or doc[k].lower_ in {
                    "together", "following", "only", "exclusively", "airing", "which", "airs", "now"}):
                k += 1
            org = doc[k + 1]._.kg_ref if k + 1 < sent.end and doc[k].lower_ == "on" and doc[k + 1].ent_type_ \
                else None
            if org is not None and self.clusters[org].broadcaster:
                self.emit(tok._.kg_ref, "broadcastBy", doc[k + 1]._.kg_ref, sent, "broadcast.on", 0.75, tok, doc[k + 1])
        # "S airs weeknights at 7pm on ITV", "broadcast on BBC One", "returns to ITV2"
        for tok in sent:
            if tok.lower_ not in self.broadcast_verbs:
                continue
            org_tok = None
            for k in range(tok.i + 1, min(sent.end, tok.i + 8)):
                if (doc[k].lower_ == "on" or doc[k].lower_ == "to" and k == tok.i + 1) and k + 1 < sent.end \
                        and self.cls(doc[k + 1]._.kg_ref) == "Organization":
                    org_tok = doc[k + 1]
                    break
            show = self.subject_before(sent, tok.i, SHOW)
            if org_tok is not None and show is not None and self.cls(show._.kg_ref) == "Show" and show.i < tok.i:
                self.emit(show._.kg_ref, "broadcastBy", org_tok._.kg_ref, sent, "broadcast.airs_on", 0.85,
                          show, org_tok)

    def _friendships(self, sent: Span) -> None:
        """"A and B became close friends", "A and B are best pals": a friendship within a group."""
        doc = self.doc
        for tok in sent:
            sense = self.lex.kin(tok.lower_)
            if sense is None or sense[0] != "friend" or not tok.lower_.endswith("s") or tok.i < 2:
                continue
            k = tok.i - 1
            while k > sent.start and doc[k].lower_ in {"close", "best", "good", "great", "firm", "fast", "firm"}:
                k -= 1
            if doc[k].lower_ not in {"became", "become", "becoming", "are", "were", "remain", "remained", "stayed"}:
                continue
            subj = self.subject_before(sent, k, PERSON)
            if subj is None or self.negated(sent, subj.i, tok.i):
                continue
            group = list(subj._.kg_group or ()) or self.group_of(subj)
            if len(group) == 2:
                self.emit(group[0], "friend", group[1], sent, "peer.became_friends", 0.75, subj)

    def _couples(self, sent: Span) -> None:
        """Engagements, marriages and splits: "X is engaged to Y", "X and Y were married"."""
        doc = self.doc
        for tok in sent:
            low = tok.lower_
            pred = None
            if low in self.engaged:
                pred = "partner"
            elif low in {"married", "wed", "marries", "weds"}:
                pred = "spouse"
            elif low in {"dating", "dates"}:
                pred = "partner"
            elif low == "dated":  # "X previously dated Y"
                pred = "exPartner"
            elif low == "relationship" and tok.i >= 2 and doc[tok.i - 1].lower_ == "a" and \
                    doc[tok.i - 2].lower_ == "in" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "with":
                pred = "partner"  # "is in a relationship with X"
            elif low == "marriage" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to" and \
                    tok.i > sent.start and doc[tok.i - 1].lower_ not in {"first", "previous", "former"}:
                pred = "spouse"  # "his whirlwind marriage to X"
            elif low in self.split or (low == "split" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "from"):
                pred = "exPartner"
            if pred is None:
                continue
            if pred in {"spouse", "partner"} and any(
                    doc[x].lower_ in {"previously", "formerly", "once", "former", "ex", "first"}
                    for x in range(max(sent.start, tok.i - 3), tok.i)):
                pred = "exPartner"  # "was previously married to X"
            couple = self._couple_word_before(sent, tok.i)
            if len(couple) == 2 and not any(doc[x]._.kg_ref is not None and doc[x].ent_type_
                                            for x in range(sent.start, tok.i)):
                self.emit(couple[0], pred, couple[1], sent, f"couple.{low}", 0.7)  # "The couple divorced"
                continue
            subj = self.subject_before(sent, tok.i, PERSON)
            if subj is None or subj.i > tok.i or self.negated(sent, subj.i, tok.i):
                continue
            group = self.group_of(subj)
            obj = None
            for k in range(tok.i + 1, min(sent.end, tok.i + 9)):
                t = doc[k]
                if t.lower_ in {"to", "from", "with"} or self.lex.kin(t.lower_) or t.lower_ in _KIN_FILLERS | {"her", "his"} \
                        or t.lower_ in self.person_desc or (t.is_lower and t.is_alpha and k - tok.i <= 5) \
                        or (t.ent_type_ and self.cls(t._.kg_ref) in {"Show", "Organization"}) \
                        or t.text.rstrip(".") in self.lex.titles:
                    continue  # "married to singer BC Jean", "married to fellow Strictly professional X"
                if self.ref(t, PERSON) is not None and t.ent_type_ and t._.kg_ref not in group:
                    obj = t
                break
            if obj is not None and low not in {"engagement"}:
                self.emit(subj._.kg_ref, pred, obj._.kg_ref, sent, f"couple.{low}", 0.8, subj, obj)
            elif len(group) == 2 and low in {"engaged", "married", "split", "divorced", "wed", "divorcing", "separated"}:
                self.emit(group[0], pred, group[1], sent, f"couple.{low}", 0.75, subj)
            elif subj._.kg_group and len(subj._.kg_group) == 2:
                a, b = subj._.kg_group
                self.emit(a, pred, b, sent, f"couple.{low}", 0.7, subj)
            elif obj is None and pred and subj.lower_ in {"they", "the", "couple", "pair"} and subj._.kg_group:
                a, b = subj._.kg_group[:2]
                self.emit(a, pred, b, sent, f"couple.{low}", 0.7, subj)
            for t in sent:
                if t.lower_ in {"they", "couple", "pair"} and t._.kg_group and len(t._.kg_group) == 2 and t.i < tok.i:
                    a, b = t._.kg_group
                    self.emit(a, pred, b, sent, f"couple.{low}", 0.7, t)
                    break

    # -- typing and constraints --------------------------------------------------------------
    def _retype(self) -> None:
        """Objects of ``plays`` are characters; on-screen family of a character is a character."""
        actors = {r.subject for r in self.out if r.predicate in APPEARANCE | {"plays"}}
        changed = True
        for r in self.out:
            if r.predicate == "plays":
                c = self.clusters[r.object]
                if not c.fixed and c.cls in {"Person", "Name"} and r.object not in actors:
                    c.cls = "Character"
        for r in self.out:  # an untyped name with kin is a person (or, next to a character, a character)
            if r.predicate in PERSONAL:
                a, b = self.clusters[r.subject], self.clusters[r.object]
                for x, y in ((a, b), (b, a)):
                    if x.cls == "Name" and not x.fixed and y.cls in PEOPLE:
                        x.cls = "Character" if y.cls == "Character" and r.predicate != "coStar" else "Person"
        while changed:
            changed = False
            for r in self.out:
                if r.predicate not in KIN:
                    continue
                a, b = self.clusters[r.subject], self.clusters[r.object]
                for x, y in ((a, b), (b, a)):
                    if x.cls == "Character" and y.cls in {"Person", "Name"} and not y.fixed and \
                            y.id not in actors and not any(z.predicate == "plays" and z.object == x.id
                                                           and z.subject == y.id for z in self.out):
                        y.cls = "Character"
                        changed = True

    def _fits(self, r: RelationCandidate) -> bool:
        return schema.fits(r.predicate, self.clusters[r.subject].cls, self.clusters[r.object].cls)

    def _character_shows(self, rels: list[RelationCandidate]) -> list[RelationCandidate]:
        """A character with no stated show is in its actor's show, or in the article's main show."""
        shows = [c for c in self.clusters if c.cls == "Show"]
        if not shows:
            return []
        main = max(shows, key=lambda c: (len(c.mentions), -c.id))
        runner_up = sorted((len(c.mentions) for c in shows), reverse=True)[1:2]
        dominant = main.id if not runner_up or len(main.mentions) > runner_up[0] else None
        placed = {r.subject for r in rels if r.predicate == "characterIn"}
        shows_of = {r.subject: r.object for r in rels if r.predicate == "characterIn"}
        kin_of: dict[int, set[int]] = defaultdict(set)
        for r in rels:
            if r.predicate in KIN and \
                    self.clusters[r.subject].cls == "Character" == self.clusters[r.object].cls:
                kin_of[r.subject].add(r.object)
                kin_of[r.object].add(r.subject)
        acts: dict[int, set[int]] = defaultdict(set)
        for r in rels:
            if r.predicate == "actsIn":
                acts[r.subject].add(r.object)
        out = []
        for r in rels:
            if r.predicate != "plays" or r.object in placed:
                continue
            own = acts.get(r.subject, set())
            # the show of its on-screen family, else the show the article is about, else the actor's
            # only show ("the former EastEnders star plays Felix" in an article about Hollyoaks)
            family = sorted({shows_of[k] for k in kin_of.get(r.object, ()) if k in shows_of})
            show = family[0] if len(family) == 1 else dominant if dominant is not None else \
                next(iter(own)) if len(own) == 1 else None
            if show is None:
                continue
            placed.add(r.object)
            out.append(RelationCandidate(r.object, "characterIn", show, r.sent_start, r.sent_end,
                                         "infer.character_show", round(r.confidence * 0.6, 3)))
            if show not in own:
                out.append(RelationCandidate(r.subject, "actsIn", show, r.sent_start, r.sent_end,
                                             "infer.character_show", round(r.confidence * 0.6, 3)))
        return out

    def _inferred(self, rels: list[RelationCandidate]) -> list[RelationCandidate]:
        out = self._character_shows(rels)
        cast: dict[int, list[RelationCandidate]] = defaultdict(list)
        for r in rels:  # only stated casting makes co-stars, not the inference above
            if r.predicate == "actsIn":
                cast[r.object].append(r)
        for show, rs in sorted(cast.items()):
            first: dict[int, RelationCandidate] = {}
            for r in rs:
                first.setdefault(r.subject, r)
            members = sorted(first)
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    ra, rb = first[a], first[b]
                    out.append(RelationCandidate(a, "coStar", b, rb.sent_start, rb.sent_end, "infer.same_cast",
                                                 round(min(ra.confidence, rb.confidence) * 0.6, 3)))
        parents: dict[int, list[RelationCandidate]] = defaultdict(list)
        for r in rels:
            if r.predicate == "child":
                parents[r.subject].append(r)
        for p, rs in sorted(parents.items()):
            first = {}
            for r in rs:
                first.setdefault(r.object, r)
            kids = sorted(first)
            for i, a in enumerate(kids):
                for b in kids[i + 1:]:
                    rb = first[b]
                    out.append(RelationCandidate(a, "sibling", b, rb.sent_start, rb.sent_end,
                                                 "infer.shared_parent", round(rb.confidence * 0.6, 3)))
        return out


def number_word(text: str) -> bool:
    """"52", "five", "twenty-one": a small number."""
    low = text.lower()
    return bool(_NUM.match(low)) or low in _NUMBER_WORDS or low.split("-")[0] in {
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def _dedupe(rels: Iterable[RelationCandidate]) -> list[RelationCandidate]:
    seen: dict[tuple, RelationCandidate] = {}
    for r in rels:
        key = (r.subject, r.predicate, r.object, r.sent_start)
        if key not in seen or seen[key].confidence < r.confidence:
            seen[key] = r
    return list(seen.values())
