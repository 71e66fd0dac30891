"""Coreference and typing: which mentions are the same entity, and what kind of entity it is.

1. Name mentions are clustered: "Kym Marsh", "Kym" and "Marsh" are one cluster; a lone first
   name joins the most recent full name it begins (so two Kates stay apart).
2. Each cluster's class is voted by the contexts of all its mentions (``plays X`` → Character,
   ``star of X`` → Show, ``X, 44,`` → Person …), so one odd sentence does not flip a type.
3. Quotes get a speaker; first-person words inside a quote refer to the speaker.
4. Pronouns and descriptions ("the actress", "the ITV soap", "the character") point at the
   cluster they most plausibly mean; ``token._.kg_ref`` holds the cluster id and
   ``token._.kg_chain`` the explanation kept in provenance.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg import schema
from kg.nlp.doc_model import Cluster
from kg.nlp.components.temporal import AGE_WORD
from kg.nlp.lexicon import Lexicon, load_lexicon

PERSONISH = {"Person", "Character", "Name"}
#: a person seen in a show (actsIn, presents, appearsIn), from the ontology
APPEARANCE = schema.family_members("appearance")
_PRONOUNS = {
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "he": "m", "him": "m", "his": "m", "himself": "m",
}
_FIRST_PERSON = {"i", "me", "my", "mine", "myself"}
_NUMBER = re.compile(r"^\d{1,3}$")
_QUOTE_PAIRS = {"“": "”", "‘": "’", '"': '"'}
_SURNAME_PARTICLES = {"le", "la", "de", "du", "van", "von", "der", "den", "di", "da", "del", "mac", "mc", "st", "o"}
_QUOTE_MARKS = {"“", "”", "‘", "’", '"', "'"}


@dataclass(frozen=True)
class Quote:
    """A quoted stretch of text (token indices, end exclusive) and who says it."""

    start: int
    end: int
    speaker: int | None


@Language.factory("kg_coref", default_config={"extra_gazetteers": []})
def make_coref(nlp: Language, name: str, extra_gazetteers: list[str]) -> "Coref":
    """Build the coreference and typing component (registered as ``kg_coref``)."""
    return Coref(load_lexicon(tuple(extra_gazetteers)))


class Coref:
    """Clusters names, types them by context and resolves pronouns and descriptions."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        w = lexicon.words
        self.kin = w["kin_nouns"]
        self.on_screen = frozenset(w["on_screen_modifiers"])
        self.play_verbs = frozenset(w["play_verbs"])
        self.speech = frozenset(w["speech_verbs"])
        self.person_desc: dict[str, str | None] = w["person_descriptions"]
        self.roles = w["roles"]
        self.genres = frozenset(w["show_genres"])
        self.char_desc = frozenset(w["character_descriptions"])
        self.group_desc = frozenset(w["group_descriptions"])
        self.appearance = w["appearance_verbs"]
        self.gazetteer = {e.name: e for e in lexicon.gazetteer}
        self.generic_genres = {"show", "series", "programme", "program", "franchise", "format"}
        self.nickname_verbs = frozenset(w["nickname_verbs"])
        self.parent_nouns = frozenset(w["parent_nouns"])
        self.couple_words = frozenset(("married", "engaged", "wed", "dating"))
        self.locatives = frozenset(("born", "based", "lives", "live", "living", "lived", "raised", "home",
                                    "house", "flat", "castle", "ceremony", "wedding", "holiday", "hospital",
                                    "hospice", "village", "town", "city", "up"))
        self.sign_off_words = frozenset(w["sign_off_words"])
        self.as_triggers = self.play_verbs | {"cast", "star", "stars", "starring", "starred", "fame", "role",
                                              "returns", "returned", "joins", "joined", "debut", "back",
                                              "screen", "known"}

    def __call__(self, doc: Doc) -> Doc:
        clusters = self._cluster_names(doc)
        doc._.kg_clusters = clusters
        self._nicknames(doc, clusters)
        self._vote(doc, clusters)
        self._decide(clusters)
        self._genres(doc, clusters)
        quotes = self._quotes(doc)
        doc._.kg_quotes = quotes
        self._sign_offs(doc, clusters, quotes)
        self._resolve(doc, clusters, quotes)
        self._vote_from_references(doc, clusters)
        self._decide(clusters)
        return doc

    # -- 1. clusters of names -----------------------------------------------------------
    def _cluster_names(self, doc: Doc) -> list[Cluster]:
        clusters: list[Cluster] = []
        by_key: dict[str, int] = {}
        last_seen: dict[int, int] = {}
        self._names = _NameIndex()
        for ent in doc.ents:
            tok = doc[ent.start]
            text = _strip_possessive(ent.text)
            if ent.label_ != "Name" and not ent.kb_id_:
                # a class read off the name's last word ("… Hospital") is a vote, not a verdict:
                # one per name, however often it is mentioned ("Harbour Lane" can be a soap)
                cl = self._attach_name(clusters, by_key, last_seen, text)
                if cl.votes.get(ent.label_, 0.0) < 1.5:
                    cl.vote(ent.label_, 1.5)
            elif ent.label_ != "Name":
                key = f"{ent.label_}|{ent.kb_id_ or text}"
                if key not in by_key:
                    cid = len(clusters)
                    by_key[key] = cid
                    entry = self.gazetteer.get(ent.kb_id_)
                    clusters.append(Cluster(cid, ent.label_, ent.kb_id_ or text, fixed=True,
                                            broadcaster=bool(entry and entry.broadcaster),
                                            genre=entry.genre if entry else None,
                                            network=entry.network if entry else None))
                    self._names.add(clusters[cid])
                cl = clusters[by_key[key]]
            else:
                cl = self._attach_name(clusters, by_key, last_seen, text)
            cl.aliases.add(text)
            if len(ent) == 1 and ent.start > 0 and doc[ent.start - 1].text.rstrip(".") in self.lex.titles \
                    and cl.cls in PERSONISH | {"Name"}:
                cl.aliases.add(f"{doc[ent.start - 1].text} {text}")  # "Mrs Crabtree"
            cl.mentions.append((ent.start, ent.end))
            last_seen[cl.id] = ent.start
            tok._.kg_ref = cl.id
            for t in ent:
                t._.kg_ref = cl.id
        for cl in clusters:
            if cl.gender is None and cl.cls in PERSONISH:
                cl.gender = self.lex.gender_of(cl.name.split()[0])
                cl.gender_from_name = cl.gender is not None
        return clusters

    def _nicknames(self, doc: Doc, clusters: list[Cluster]) -> None:
        """"Edward, whom they've nicknamed Teddy": the nickname is another name of the same entity."""
        for tok in doc:
            if tok.lower_ not in self.nickname_verbs:
                continue
            head = None
            for k in range(tok.i - 1, max(-1, tok.i - 7), -1):
                w = doc[k]
                if w.ent_type_ and w._.kg_ref is not None:
                    head = w
                    break
                if not (w.is_lower or w.text in {",", "’ve", "'ve", "’s", "'s"}):
                    break
            nick = None
            for k in range(tok.i + 1, min(len(doc), tok.i + 3)):
                if doc[k].ent_type_ and doc[k]._.kg_ref is not None:
                    nick = doc[k]
                    break
                if doc[k].text not in _QUOTE_MARKS:
                    break
            if head is None or nick is None or head._.kg_ref == nick._.kg_ref:
                continue
            if not any(doc[x].lower_ in {"who", "whom", ","} for x in range(head.i + 1, tok.i)) and \
                    head.i + 1 != tok.i:
                continue
            _merge_into(doc, clusters[head._.kg_ref], clusters[nick._.kg_ref])

    def _sign_offs(self, doc: Doc, clusters: list[Cluster], quotes: list[Quote]) -> None:
        """A quote signed "Love and respect always, Tish." is signed by its speaker: Tish is her name too."""
        for q in quotes:
            if q.speaker is None:
                continue
            end = q.end - 1
            while end > q.start and (doc[end].is_punct or doc[end].is_space):
                end -= 1
            name = doc[end]
            if not name.ent_type_ or name._.kg_ref is None or name._.kg_ref == q.speaker or \
                    _word(doc, end - 1) != "," or not any(
                        _word(doc, k) in self.sign_off_words for k in range(end - 4, end - 1)):
                continue
            gone = clusters[name._.kg_ref]
            if gone.cls in PERSONISH and all(doc[s]._.kg_speaker == q.speaker for s, _ in gone.mentions):
                _merge_into(doc, clusters[q.speaker], gone)

    def _attach_name(self, clusters: list[Cluster], by_key: dict[str, int],
                     last_seen: dict[int, int], text: str) -> Cluster:
        words = text.split()
        key = f"Name|{text}"
        if key in by_key:
            return clusters[by_key[key]]
        if f"Name|The {text}" in by_key:
            return clusters[by_key[f"Name|The {text}"]]  # "Hollow Men" after "The Hollow Men"
        names = self._names  # the clusters by the words of their names, not a scan of them all
        if len(words) == 2 and words[0].lower() in _SURNAME_PARTICLES:
            # "Le Vell" after "Michael Le Vell": a surname with its particle
            fulls = names.clusters(clusters, names.by_last_two.get((words[0], words[1])))
            if fulls:
                return max(fulls, key=lambda c: (len(c.mentions), last_seen.get(c.id, -1)))
        if len(words) >= 2:
            # a full name after its first name or surname alone: upgrade that cluster
            singles = names.clusters(clusters, names.by_single.get(words[0], set())
                                     | names.by_single.get(words[-1], set()))
            if len(singles) == 1:
                cl = singles[0]
                cl.aliases.add(cl.name)
                names.remove(cl)
                cl.name = text
                names.add(cl)
                by_key[key] = cl.id
                return cl
        else:
            fulls = names.clusters(clusters, names.by_part.get(text))
            if fulls:
                # "Britton" after Fern and Tony Britton: the one the article is about (the most
                # mentioned, then the first introduced: a relative named later is not the subject)
                return max(fulls, key=lambda c: (len(c.mentions), -c.id))
            short = [c for c in names.clusters(clusters, names.by_prefix.get(text)) if len(text) >= 3
                     and c.name.split()[0] != text]
            if len(short) == 1 and not names.count.get(text):
                return short[0]  # "Dom" after "Dominic Hale", "Gav" after "Gavin Thorley"
        cid = len(clusters)
        clusters.append(Cluster(cid, "Name", text))
        names.add(clusters[cid])
        by_key[key] = cid
        return clusters[cid]

    # -- 2. typing by context -------------------------------------------------------------
    def _vote(self, doc: Doc, clusters: list[Cluster]) -> None:
        for cl in clusters:
            if cl.fixed:
                continue
            words = cl.name.split()
            if self.lex.is_first_name(words[0]):
                cl.vote("Person", 1.0)
            elif 2 <= len(words) <= 3 and words[0] != "The" and all(w[:1].isupper() for w in words) \
                    and not cl.votes:
                cl.vote("Person", 0.5)  # most two- or three-word names in the news are people
            for start, _ in cl.mentions:
                self._vote_mention(doc, doc[start], cl)

    def _vote_mention(self, doc: Doc, tok: Token, cl: Cluster) -> None:
        back = [w for w in (_word(doc, tok.i - k) for k in range(1, 7)) if w not in _QUOTE_MARKS]
        p1, p2, p3 = (back + ["", "", ""])[:3]
        n1, n2 = _word(doc, tok.i + 1), _word(doc, tok.i + 2)
        n3 = _word(doc, tok.i + 3)
        before = {_word(doc, tok.i - k) for k in range(1, 6)}
        lead = self._lead_in(doc, tok)
        if p1 in self.play_verbs or (p1 in self.kin and p2 in self.play_verbs) or lead in self.play_verbs:
            cl.vote("Character", 3)
        if (p1 == "as" or lead == "as") and before & self.as_triggers | {
                _word(doc, k) for k in range(tok.i - 10, tok.i)} & self.as_triggers:
            cl.vote("Character", 2)
        if p1 in self.char_desc or (p1 in {"named", "called"} and p2 in self.char_desc | {"character"}):
            cl.vote("Character", 3)
        if (n1 in {"is", "was", "-", "–", ",", "—"} and n2 in {"played", "portrayed", "voiced"}) or \
                (n1 == "," and n2 in {"is", "was"} and n3 in {"played", "portrayed", "voiced"}) or \
                (n1 in {"played", "portrayed"} and n2 == "by") or \
                (n1 in {"is", "was", "will", "has"} and n2 in {"be", "been"} and n3 in {"played", "portrayed"}):
            cl.vote("Character", 3)
        if p1 == "(" and n1 == ")" and tok.i >= 2 and doc[tok.i - 2]._.kg_ref is not None:
            other = doc._.kg_clusters[doc[tok.i - 2]._.kg_ref]
            if not other.fixed and other.id != cl.id:
                cl.vote("Character", 2)
                other.vote("Person", 1)
        if self.lex.kin(p1) and p2 in self.on_screen:
            cl.vote("Character", 2)
        # shows
        triggers = set(self.appearance) | self.play_verbs | set(self.roles)
        if p1 in {"on", "in"} and n1 not in {"’s", "'s"} and (
                p2 in triggers or p3 in triggers and p2 in {"the", "a", "hit", "new", "popular"}
                or (p2 not in {"begins", "began", "starts", "started", "filmed", "based", "set", "lives", "live"}
                    and before & triggers)):
            cl.vote("Show", 1.5)
        if n1 == "," and n2 in {"a", "an"} and any(
                _word(doc, tok.i + k) in self.genres and _word(doc, tok.i + k + 1) not in {"’", "'", "’s", "'s"}
                for k in range(3, 7)):
            cl.vote("Show", 2)  # "Saltwater Lane, a six-part series set in …"
        if p1 == "of" and p2 in {"star", "series", "episode", "episodes", "cast", "host", "presenter",
                                  "creator", "fans", "set", "season", "finale", "spin-off", "viewers"}:
            cl.vote("Show", 2)
        if n1 in self.roles and self.roles[n1] in APPEARANCE and \
                tok.i + 2 < len(doc) and doc[tok.i + 2]._.kg_ref is not None:
            cl.vote("Show", 2)
        if p1 == "," and p2 in self.genres or p1 in self.genres and p2 not in {"the", "a", "an"}:
            cl.vote("Show", 2)
        elif p1 in self.genres and p2 in {"the", "a"} and (p3 in triggers or p3 in {"in", "on"}):
            cl.vote("Show", 2)  # "starred in the sitcom Mabel's Kitchen", "joined the soap Kings Row"
        if n1 in {"airs", "aired", "returns", "viewers", "fans", "bosses", "producers"}:
            cl.vote("Show", 1.5)
        if n1 in self.roles and self.roles[n1] in APPEARANCE and \
                p1 in {"the", "a", "an", "former", "ex", "fellow", "several", "other", "many"}:
            cl.vote("Show", 2)  # "the Dockside actor, 31,", "several Dockside cast members"
        if p1 in {"’s", "'s"} and tok.i >= 2 and doc[tok.i - 2]._.kg_ref is not None and \
                doc._.kg_clusters[doc[tok.i - 2]._.kg_ref].broadcaster:
            cl.vote("Show", 2)  # "Channel 4's Night Porters"
        if n1 in {"magazine", "newspaper", "podcast"} or p1 in {"group", "band", "label", "magazine", "newspaper"}:
            cl.vote("Organization", 2)  # "told Sunday Living magazine", "girl group Sugar Rush"
        if p1 == "in" and (p2 in self.locatives or "born" in before or re.match(r"^\d{4}$", p2)):
            cl.vote("Place", 2)  # "grew up in Bradford", "a castle in Northumberland"
        if p1 in {"fronted", "hosted", "presented", "co-hosted", "co-presented", "fronting", "hosting",
                  "presenting", "co-hosting", "co-presenting"}:
            cl.vote("Show", 2)  # "he fronted Pot Luck for two decades"
        if p1 in {"a", "an"} and tok.i > 0 and doc[tok.i - 1].is_lower:
            cl.vote("Person", -2)  # "a West End musical"
        # people
        if n1 == "," and _NUMBER.match(n2) and int(n2) < 120 or (n1 == "(" and _NUMBER.match(n2)):
            cl.vote("Person", 2)
        if AGE_WORD.match(p1):
            cl.vote("Person", 2)
        if n1 in self.speech or (p1 in self.speech and n1 in {".", ",", ":", ""}):
            cl.vote("Person", 1.5)
        if self.lex.kin(p1) and p2 not in self.on_screen:
            cl.vote("Person", 1.5)
        elif self._listed_after_kin(doc, tok):
            cl.vote("Person", 1.5)  # "her son, Oscar", "two daughters, Isla and Maeve"
        if p1 in self.person_desc or p1 in self.roles:
            cl.vote("Person", 1.5)
        if n1 == "," and n2 in {"who", "whose"} or n1 in {"who", "whose"}:
            cl.vote("Person", 1)
        if n1 in {"’s", "'s", "’", "'"} and self.lex.kin(n2):
            cl.vote("Person", 1)
        if n1 in {"was", "is", "were"} and n2 == "born":
            cl.vote("Person", 1)
        if p1 == "by" and p2 in {"played", "portrayed", "voiced"}:
            cl.vote("Person", 3)
        if p1 == "the" and not doc[tok.i - 1].text[:1].isupper():
            cl.vote("Person", -2)
        if cl.name.startswith("The "):
            cl.vote("Person", -3)

    def _listed_child(self, doc: Doc, tok: Token) -> bool:
        """A name listed as someone's child ("mum to Finn, 9, and Posy", "sons, Ed and Kit")."""
        k = tok.i - 1
        while k >= 0 and tok.i - k <= 14:
            w = doc[k]
            if w.lower_ == "to" and _word(doc, k - 1) in self.parent_nouns or w.lower_ in {"share", "shares", "shared"}:
                return True
            sense = self.lex.kin(w.lower_)
            if sense is not None:
                return sense[1] == "down"
            if not (w.text in {",", "and", "&"} or w.ent_type_ or _NUMBER.match(w.text) or AGE_WORD.match(w.text)
                    or w.lower_ in {"nearly", "almost", "aged"}):
                return False
            k -= 1
        return False

    def _listed_after_kin(self, doc: Doc, tok: Token) -> bool:
        """A name in a list or apposition right after a kin noun ("sons, Ed and Kit")."""
        k = tok.i - 1
        while k >= 0 and tok.i - k <= 12:
            w = doc[k]
            if self.lex.kin(w.lower_):
                sense = self.lex.kin(w.lower_)
                return sense is not None and _word(doc, k - 1) not in self.on_screen
            if not (w.text in {",", "and", "&"} or w.ent_type_ or _NUMBER.match(w.text) or AGE_WORD.match(w.text)
                    or w.lower_ in {"nearly", "almost", "aged"}):
                return False
            k -= 1
        return False

    def _lead_in(self, doc: Doc, tok: Token) -> str:
        """The word before a name's modifiers: "played (his screen wife) Angie", "as (villainous 'Dirty') Den".

        Skips possessives, on-screen and kin nouns, lower-case adjectives and quoted nicknames.
        """
        k = tok.i - 1
        quoted = False
        while k >= 0 and tok.i - k <= 6:
            w = doc[k]
            low = w.lower_
            if w.text in _QUOTE_MARKS:
                quoted = not quoted
            elif not (quoted or low in {"his", "her", "their", "new", "the"} or low in self.on_screen
                      or w.text.rstrip(".") in self.lex.titles
                      or self.lex.kin(low) or (w.is_lower and w.is_alpha and w._.kg_ref is None
                                               and low not in self.play_verbs and low != "as")):
                return low
            k -= 1
        return ""

    def _vote_from_references(self, doc: Doc, clusters: list[Cluster]) -> None:
        """Second round: kin of a character is a character ("her then-husband X" of a character)."""
        for tok in doc:
            if tok.ent_type_:  # the cheap test first
                continue
            ref = tok._.kg_ref
            if ref is None:
                continue
            if clusters[ref].cls != "Character":
                continue
            # possessor is a character: the kin noun's name is on-screen family
            j = tok.i + 1
            while j < len(doc) and j <= tok.i + 3 and doc[j]._.kg_ref is None:
                j += 1
            if j < len(doc) and doc[j]._.kg_ref is not None and any(
                    self.lex.kin(_word(doc, k)) for k in range(tok.i + 1, j)):
                target = clusters[doc[j]._.kg_ref]
                if not target.fixed:
                    target.vote("Character", 3)

    def _decide(self, clusters: list[Cluster]) -> None:
        for cl in clusters:
            if cl.fixed:
                continue
            scores = {k: v for k, v in cl.votes.items() if v > 0}
            if not scores:
                cl.cls = "Name"
                continue
            best = max(sorted(scores), key=lambda k: (scores[k], k == "Person"))
            cl.cls = best

    # -- 3. quotes and speakers -----------------------------------------------------------
    def _quotes(self, doc: Doc) -> list[Quote]:
        quotes: list[Quote] = []
        i, n = 0, len(doc)
        paragraphs, count = [], 0  # paragraph number of each token
        for t in doc:
            paragraphs.append(count)
            count += (t.text + t.whitespace_).count("\n\n")
        prev_speaker: int | None = None
        prev_end_para = -1
        while i < n:
            t = doc[i].text
            if t in _QUOTE_PAIRS and (t != "‘" or i + 1 < n):
                close = _QUOTE_PAIRS[t]
                j = i + 1
                while j < n and doc[j].text != close and "\n" not in doc[j - 1].whitespace_ and \
                        not (doc[j].is_space and "\n" in doc[j].text):
                    j += 1
                # a quote left open at the end of a paragraph stops there, before the next one opens
                end = j + 1 if j < n and doc[j].text == close else j
                speaker = self._speaker_after(doc, end) or self._speaker_before(doc, i)
                para = paragraphs[i] if speaker is None else 0
                if speaker is None and prev_speaker is not None and para - prev_end_para <= 2:
                    speaker = prev_speaker
                quotes.append(Quote(i, end, speaker))
                for k in range(i, end):
                    doc[k]._.kg_speaker = speaker
                prev_speaker = speaker
                prev_end_para = paragraphs[end] if end < n else count
                i = end
            else:
                i += 1
        return quotes

    def _speaker_after(self, doc: Doc, j: int) -> int | None:
        window = [doc[k] for k in range(j, min(j + 4, len(doc)))]
        words = [t.lower_ for t in window]
        for k, tok in enumerate(window):
            if tok.text in {".", "\n", "“"} or tok.is_sent_start and k > 0:
                break
            if tok._.kg_ref is not None and self._personish(doc, tok) and (
                    (k + 1 < len(words) and words[k + 1] in self.speech) or (k > 0 and words[k - 1] in self.speech)):
                return tok._.kg_ref
        return None

    def _speaker_before(self, doc: Doc, i: int) -> int | None:
        k = i - 1
        if k < 0 or doc[k].text not in {":", ","} and doc[k].lower_ not in self.speech:
            return None
        start = doc[i].sent.start if doc[i].sent.start < i else max(0, i - 12)
        has_speech = any(doc[x].lower_ in self.speech for x in range(start, i))
        if not has_speech:
            return None
        for x in range(start, i):
            if doc[x]._.kg_ref is not None and self._personish(doc, doc[x]):
                return doc[x]._.kg_ref
        return None

    def _personish(self, doc: Doc, tok: Token) -> bool:
        return doc._.kg_clusters[tok._.kg_ref].cls in {"Person", "Name"}

    # -- 4. pronouns and descriptions -------------------------------------------------------
    def _resolve(self, doc: Doc, clusters: list[Cluster], quotes: list[Quote]) -> None:
        counts: dict[int, int] = {}
        self._counts = counts
        sents = list(doc.sents)
        sent_of = {}
        for si, s in enumerate(sents):
            for t in s:
                sent_of[t.i] = si
        # inside[i]: token i lies strictly inside a quote (one pass, not one scan per token)
        inside = [False] * len(doc)
        for q in quotes:
            inside[q.start + 1:q.end] = [True] * max(0, q.end - q.start - 1)
        # The searches below only look back, at tokens this loop has passed: their references
        # are kept in arrays as it goes (a reference is only ever set on the token at hand, and
        # before this loop only entity tokens have one), so a search skips the tokens without.
        self._refs: list[int | None] = [None] * len(doc)
        self._ref_positions: list[int] = []
        self._pronoun_refs: set[int] = set()  # referents of pronouns passed (not entity tokens)
        for tok in doc:
            si = sent_of[tok.i]
            if tok.ent_type_:  # the cheap test first: most tokens are no entity
                ref = tok._.kg_ref
                if ref is not None:
                    counts[ref] = counts.get(ref, 0) + 1
                    self._refs[tok.i] = ref
                    self._ref_positions.append(tok.i)
                    continue
            low = tok.lower_
            target: int | None = None
            speaker = tok._.kg_speaker if low in _FIRST_PERSON else None
            if speaker is not None:  # a first-person word with a speaker is in a quote
                target = speaker
            elif low in _PRONOUNS and not (tok.text == "I"):
                in_quote = inside[tok.i] or tok._.kg_speaker is not None
                target = self._pronoun(doc, tok, _PRONOUNS[low], sents, si, in_quote)
            elif (low in self.person_desc or low.split("-of-")[0] in self.parent_nouns and "-of-" in low) \
                    and self._is_description(doc, tok):
                target = self._appositive_head(doc, tok)
                desc_gender = self.person_desc.get(low, self.person_desc.get(low.split("-of-")[0]))
                if target is None:
                    target = self._description(doc, tok, desc_gender, sents, si, counts)
            elif AGE_WORD.match(tok.text) and _word(doc, tok.i - 1) == "the" and (
                    tok.i + 1 >= len(doc) or not doc[tok.i + 1].is_alpha or doc[tok.i + 1].lower_ in
                    {"has", "is", "was", "plays", "who", "said", "added", "had", "will", "and", ","}):
                target = self._description(doc, tok, None, sents, si, counts)  # "The 37-year-old, who …"
            elif low in self.genres and self._is_description(doc, tok):
                target = self._recent_show(doc, tok, low)
            elif low in self.char_desc and self._is_description(doc, tok):
                target = self._recent(doc, tok, {"Character"})
            elif low in self.group_desc and self._is_description(doc, tok):
                tok._.kg_group = self._recent_group(doc, tok)
            if low in {"their", "they", "them"}:
                tok._.kg_group = self._recent_group(doc, tok)
            if target is not None:
                if low in _PRONOUNS and clusters[target].cls == "Name":
                    clusters[target].vote("Person", 1.0)
                tok._.kg_ref = target
                self._refs[tok.i] = target
                self._ref_positions.append(tok.i)
                if low in _PRONOUNS and not tok.ent_type_:
                    self._pronoun_refs.add(target)
                counts[target] = counts.get(target, 0) + 1
                tok._.kg_chain = f"{tok.text} -> {clusters[target].name}"
                g = self.person_desc.get(low, self.person_desc.get(low.split("-of-")[0]))
                if g and clusters[target].gender is None and not g.endswith("?"):
                    clusters[target].gender = g

    def _is_description(self, doc: Doc, tok: Token) -> bool:
        """``the (modifiers) NOUN``: a definite description, not a role before a name."""
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.ent_type_ or nxt.text[:1].isupper() and nxt._.kg_ref is not None
                                or nxt.lower_ == "of"):
            return False
        k = tok.i - 1
        while k >= 0 and k > tok.i - 6:
            w = doc[k]
            if w.lower_ in {"the", "this", "that"}:
                return True
            if w.lower_ in {"a", "an", "her", "his", "their", "my", "your", "our", "its"} or w.is_punct \
                    or w.lower_ in {"and", "or", "with", "of"} and not w.ent_type_:
                return False
            k -= 1
        return False

    def _candidates(self, doc: Doc, lo: int, hi: int, gender: str | None, classes: set[str],
                    weak: bool = False) -> list[Token]:
        """Mentions in ``[lo, hi)`` of these classes whose gender fits (``weak``: or is only a name's guess)."""
        out = []
        clusters, refs, positions = doc._.kg_clusters, self._refs, self._ref_positions
        for index in range(bisect_left(positions, lo), bisect_left(positions, hi)):
            k = positions[index]
            cl = clusters[refs[k]]
            if cl.cls not in classes:
                continue
            if gender and cl.gender and cl.gender != gender and not (weak and cl.gender_from_name):
                continue
            out.append(doc[k])
        return out

    def _pronoun(self, doc: Doc, tok: Token, gender: str, sents: list, si: int, in_quote: bool) -> int | None:
        target = self._pronoun_search(doc, tok, gender, sents, si, in_quote, weak=False)
        if target is None:
            target = self._pronoun_search(doc, tok, gender, sents, si, in_quote, weak=True)
            if target is not None:
                self._correct_gender(doc._.kg_clusters[target], gender)
        return target

    def _correct_gender(self, cl: Cluster, gender: str) -> None:
        """Text says "she" of "Alex": the text wins over the name's usual gender."""
        if cl.gender_from_name and cl.gender != gender:
            cl.gender, cl.gender_from_name = gender, False

    def _pronoun_search(self, doc: Doc, tok: Token, gender: str, sents: list, si: int, in_quote: bool,
                        weak: bool) -> int | None:
        people = {"Person", "Name"}
        sent = sents[si]
        lo = sent.start
        if in_quote:
            q = _quote_at(doc._.kg_quotes, tok.i)
            if q is not None:
                lo = max(lo, q.start)
        for x in range(tok.i - 1, lo, -1):  # a new clause ", and Hayley is …" starts the search again
            if doc[x].lower_ in {"and", "but", "while"} and doc[x - 1].text in {",", ";"} and any(
                    doc[y].ent_type_ or doc[y].lower_ in {"he", "she", "they", "i", "we"}
                    for y in range(x + 1, min(tok.i, x + 4))):
                lo = x
                break
        bound = self._coordinated_owner(doc, tok)
        if bound is not None:
            return bound
        same = [t for t in self._candidates(doc, lo, tok.i, gender, people | {"Character"}, weak)
                if not (in_quote and t._.kg_ref == tok._.kg_speaker)
                and (in_quote or t._.kg_speaker is None)]
        if same and tok.lower_ in {"she", "he"} and self._unnamed_kin_between(doc, same[-1].i, tok.i, gender):
            return None  # "paid tribute to her mother after she died": not the named person
        if same:
            if same[-1]._.kg_chain and not same[-1].lower_ in _PRONOUNS:  # "the character and her …"
                return same[-1]._.kg_ref
            # a relative clause ("Ronan who welcomed … his") belongs to its head
            for t in reversed(same):
                if _word(doc, t.i + 1) in {"who", "whose"} or (
                        _word(doc, t.i + 1) == "," and _word(doc, t.i + 2) in {"who", "whose"}):
                    if all(x.i <= t.i for x in same if x.ent_type_ or x._.kg_ref != t._.kg_ref):
                        return t._.kg_ref
            persons = [t for t in same if doc._.kg_clusters[t._.kg_ref].cls in people
                       and not self._in_fronted_phrase(doc, t)
                       and not (tok.lower_ in {"her", "his"} and self._listed_child(doc, t))]
            if persons:
                return persons[0]._.kg_ref
        if tok.lower_ in {"she", "he"} and si >= 1 and "born" in {_word(doc, tok.i + 1), _word(doc, tok.i + 2)}:
            # "… named their daughter Ivy. She was born on …": births are about the newest person
            pool = [t for t in self._candidates(doc, sents[si - 1].start, sents[si - 1].end, gender, people, weak)
                    if t._.kg_speaker is None and t.ent_type_]
            if pool:
                return pool[-1]._.kg_ref
        if tok.lower_ in {"she", "he"} and si >= 2 and (tok.i == sents[si].start or not any(
                doc[x].is_alpha for x in range(sents[si].start, tok.i))):
            # a sentence-initial "She": the subject of the last sentence when it is a named person of
            # this gender ("Irene was born in 1936. She is survived by …"), else the most talked-about
            # fitting person of the last two sentences
            prev = sents[si - 1]
            head = next((t for t in prev[:2] if t.ent_type_ and t._.kg_ref is not None), None)
            if head is not None and _fits_gender(doc, head, gender) and head._.kg_speaker is None and \
                    not in_quote and _word(doc, head.i + 1) in {"was", "is", "had", "has", "worked", "grew"}:
                return head._.kg_ref
            pool = [t for t in self._candidates(doc, sents[si - 2].start, sents[si - 1].end, gender, people, weak)
                    if (t._.kg_ref != tok._.kg_speaker if in_quote else t._.kg_speaker is None)
                    and doc._.kg_clusters[t._.kg_ref].gender == gender]
            if pool:
                return max(pool, key=lambda t: (self._counts.get(t._.kg_ref, 0), t.i))._.kg_ref
        fallback: list[Token] = []
        for back in range(si - 1, max(-1, si - 4), -1):
            s = sents[back]
            cands = self._candidates(doc, s.start, s.end, gender, people, weak)
            if in_quote:
                cands = [t for t in cands if t._.kg_ref != tok._.kg_speaker]
            else:
                cands = [t for t in cands if t._.kg_speaker is None]
            exact = [t for t in cands if doc._.kg_clusters[t._.kg_ref].gender == gender]
            if exact or (cands and back == si - 1 and any(
                    doc._.kg_clusters[t._.kg_ref].cls == "Person" for t in cands)):
                # the most talked-about fitting person, then the earliest (the sentence's subject)
                pool = exact or cands
                return max(pool, key=lambda t: (self._counts.get(t._.kg_ref, 0), -t.i))._.kg_ref
            fallback = fallback or cands
        if fallback:
            # only names of unknown gender and kind: "her" is more likely someone further back
            return max(fallback, key=lambda t: (self._counts.get(t._.kg_ref, 0), -t.i))._.kg_ref
        return None

    def _unnamed_kin_between(self, doc: Doc, lo: int, hi: int, gender: str) -> bool:
        """A kin noun of this gender with no name after it ("her mother") between ``lo`` and ``hi``."""
        for k in range(lo + 1, hi):
            sense = self.lex.kin(doc[k].lower_)
            if sense is not None and sense[2] == gender and not (
                    k + 1 < len(doc) and (doc[k + 1].ent_type_ or doc[k + 1].text == ",")):
                return True
        return False

    def _in_fronted_phrase(self, doc: Doc, tok: Token) -> bool:
        """"Alongside Gatwa, Millie …": a name in a sentence-initial prepositional phrase is not the subject."""
        start = tok.sent.start
        return tok.i - start <= 4 and doc[start].lower_ in {"alongside", "with", "like", "unlike", "besides",
                                                             "after", "before", "joining"} and \
            any(doc[x].text == "," for x in range(tok.i + 1, min(len(doc), tok.i + 3)))

    def _coordinated_owner(self, doc: Doc, tok: Token) -> int | None:
        """"Alex and her husband", "Lee and his brother": the possessive owns the name before "and".

        The coordination outweighs a gender guessed from a first name, which it then corrects.
        """
        if tok.lower_ not in {"her", "his"} or _word(doc, tok.i - 1) not in {"and", "&"} or tok.i < 2:
            return None
        head = doc[tok.i - 2]
        ref = head._.kg_ref
        if ref is None or not head.ent_type_ or doc._.kg_clusters[ref].cls not in PERSONISH:
            return None
        parallel = self._possessor_of_kin(doc, head)
        if parallel is not None:
            return parallel  # "Britton's mother Ruth and her father": the same possessor
        cl = doc._.kg_clusters[ref]
        gender = _PRONOUNS[tok.lower_]
        if cl.gender != gender and ref not in self._pronoun_refs:  # no pronoun before points at it
            cl.gender = gender
        return ref if cl.gender == gender else None

    def _appositive_head(self, doc: Doc, tok: Token) -> int | None:
        """"James Jordan, the former Strictly professional": the description is the name before it."""
        k = tok.i - 1
        while k > 0 and doc[k].lower_ != "the" and tok.i - k < 6:
            k -= 1
        if k >= 2 and doc[k].lower_ == "the" and doc[k - 1].text == "," and doc[k - 2].ent_type_:
            ref = doc[k - 2]._.kg_ref
            if ref is not None and doc._.kg_clusters[ref].cls in {"Person", "Name"}:
                return ref
        return None

    def _owner_of_described_kin(self, doc: Doc, head: Token) -> int | None:
        """The owner in "his wife, the cellist Harriet Kemble": a peer kin noun, then a description."""
        k = head.i - 1
        while k >= 0 and head.i - k <= 6 and doc[k].is_lower and doc[k].is_alpha and not self.lex.kin(doc[k].lower_):
            k -= 1
        if k >= 0 and doc[k].text == ",":
            k -= 1
        sense = self.lex.kin(doc[k].lower_) if k >= 0 else None
        if sense is None or sense[0] not in {"spouse", "partner"} or k < 1:
            return None
        owner = doc[k - 1]
        if owner.lower_ in {"her", "his"} and owner._.kg_ref is not None:
            return owner._.kg_ref
        return None

    def _possessor_of_kin(self, doc: Doc, head: Token) -> int | None:
        """The owner in "Britton's mother Ruth" / "her mother Ruth" for the name ``head``."""
        k = head.i - 1
        if k < 0 or not self.lex.kin(doc[k].lower_):
            return None
        while k >= 0 and (self.lex.kin(doc[k].lower_) or doc[k].is_lower and doc[k].is_alpha
                          and doc[k].lower_ not in {"and", "the", "a", "her", "his"}):
            k -= 1
        if k >= 1 and doc[k].lower_ in {"’s", "'s"} and doc[k - 1]._.kg_ref is not None:
            return doc[k - 1]._.kg_ref
        if k >= 0 and doc[k].lower_ in {"her", "his"} and doc[k]._.kg_ref is not None:
            return doc[k]._.kg_ref
        return None

    def _description(self, doc: Doc, tok: Token, gender: str | None, sents: list, si: int,
                     counts: dict[int, int]) -> int | None:
        soft = gender is not None and gender.endswith("?")
        hard = None if soft else gender
        lo = sents[max(0, si - 3)].start
        cands = self._candidates(doc, lo, tok.i, hard, {"Person", "Name"})
        if not cands:
            cands = self._candidates(doc, 0, tok.i, hard, {"Person", "Name"})
        if not cands and hard:
            cands = self._candidates(doc, lo, tok.i, hard, {"Person", "Name"}, weak=True)
            if cands:
                best = max(cands, key=lambda t: (counts.get(t._.kg_ref, 0), t.i))
                self._correct_gender(doc._.kg_clusters[best._.kg_ref], hard)
                return best._.kg_ref
        if not cands:
            return None
        want = gender.rstrip("?") if soft else None
        topic = next((t._.kg_ref for t in doc if t.ent_type_ and t._.kg_ref is not None
                      and doc._.kg_clusters[t._.kg_ref].cls in {"Person", "Name"}), None)
        best = max(cands, key=lambda t: (want is not None and doc._.kg_clusters[t._.kg_ref].gender == want,
                                         counts.get(t._.kg_ref, 0) + (t._.kg_ref == topic), t.i))
        return best._.kg_ref

    def _recent(self, doc: Doc, tok: Token, classes: set[str]) -> int | None:
        clusters = doc._.kg_clusters
        for ref in self._refs_before(tok.i):
            if clusters[ref].cls in classes:
                return ref
        return None

    def _refs_before(self, i: int) -> Iterator[int]:
        """The references of the tokens before ``i`` that have one, nearest first (in
        :meth:`_resolve`, whose loop has passed them)."""
        refs, positions = self._refs, self._ref_positions
        for index in range(bisect_left(positions, i) - 1, -1, -1):
            yield refs[positions[index]]  # type: ignore[misc]

    def _genres(self, doc: Doc, clusters: list[Cluster]) -> None:
        """"BBC drama, The Syndicate", "ITV soap Coronation Street": remember a show's genre."""
        for tok in doc:
            if not tok.ent_type_:
                continue
            ref = tok._.kg_ref
            if ref is None or clusters[ref].cls != "Show":
                continue
            k = tok.i - 1
            if k >= 0 and doc[k].text == ",":
                k -= 1
            if k >= 0 and doc[k].lower_ in self.genres and doc[k].lower_ not in self.generic_genres:
                clusters[ref].genre = clusters[ref].genre or doc[k].lower_

    def _recent_show(self, doc: Doc, tok: Token, genre: str) -> int | None:
        """The last show before ``tok`` whose genre fits ("the soap" is not the new drama).

        A broadcaster before the genre word ("the Channel 4 soap") rules out shows known to air
        elsewhere.
        """
        fallback = None
        channel = self._channel_before(doc, tok)
        for ref in self._refs_before(tok.i):
            if doc._.kg_clusters[ref].cls != "Show":
                continue
            network = doc._.kg_clusters[ref].network
            if channel and network and not _same_channel(channel, network):
                continue
            g = doc._.kg_clusters[ref].genre
            if genre in self.generic_genres or g == genre:
                return ref
            if g is None and fallback is None:
                fallback = ref
        return fallback

    def _recent_group(self, doc: Doc, tok: Token) -> tuple[int, ...] | None:
        """The last "A and B" of people before ``tok`` (within two sentences), or "A is married to B"."""
        couple = self._couple_before(doc, tok)
        if couple is not None:
            return couple
        if tok.i >= 2 and doc[tok.i - 1].lower_ in {"and", "&"}:
            # "with his wife, the cellist Harriet Kemble, and their sons": the wife and her owner
            x = tok.i - 2
            while x > 0 and doc[x].text == ",":
                x -= 1
            left = doc[x]
            owner = self._owner_of_described_kin(doc, left) if left.ent_type_ else None
            if owner is not None and left._.kg_ref is not None and owner != left._.kg_ref:
                return (owner, left._.kg_ref)
        limit = max(0, tok.sent.start - 60)
        for k in range(tok.i - 1, limit, -1):
            if doc[k].lower_ not in {"and", "&"}:
                continue
            left_i = k - 1
            while left_i > limit and (doc[left_i].text == "," or _NUMBER.match(doc[left_i].text)):
                left_i -= 1  # "Darcey, 13, and Bill"
            left = doc[left_i] if k else None
            right = None
            for x in range(k + 1, min(len(doc), k + 9)):  # "Kym and co-star Simon", "Alex and her husband, chef Tom"
                if x >= tok.i:
                    break  # the "and" that coordinates the phrase of "their" itself
                if doc[x].ent_type_:
                    right = doc[x]
                    break
                if not (doc[x].is_lower or doc[x].lower_ in {"her", "his"} or doc[x].text == ",") or \
                        doc[x].is_punct and doc[x].text != ",":
                    break
            if left is None or right is None:
                continue
            a, b = left._.kg_ref, right._.kg_ref
            clusters = doc._.kg_clusters
            # "she and her on-screen partner Steve" pairs an actress with a character: no group
            if a is not None and b is not None and a != b and \
                    clusters[a].cls in PERSONISH and clusters[b].cls in PERSONISH and \
                    not any(doc[x].lower_ in self.on_screen for x in range(k + 1, right.i)):
                return (a, b)
        return None


    def _couple_before(self, doc: Doc, tok: Token) -> tuple[int, int] | None:
        """"She is married to Phil and they have …": the couple earlier in the same sentence."""
        for k in range(tok.i - 1, tok.sent.start, -1):
            if doc[k].lower_ not in self.couple_words:
                continue
            left = next((doc[x]._.kg_ref for x in range(k - 1, max(tok.sent.start - 1, k - 4), -1)
                         if doc[x]._.kg_ref is not None), None)
            right = next((doc[x]._.kg_ref for x in range(k + 1, min(tok.i, k + 7))
                          if doc[x]._.kg_ref is not None and doc[x].ent_type_), None)
            clusters = doc._.kg_clusters
            if left is not None and right is not None and left != right and \
                    clusters[left].cls in PERSONISH and clusters[right].cls in PERSONISH:
                return (left, right)
        return None


    def _channel_before(self, doc: Doc, tok: Token) -> str | None:
        """The broadcaster named in "the Channel 4 soap", "ITV's drama", if any."""
        for k in range(tok.i - 1, max(-1, tok.i - 4), -1):
            w = doc[k]
            if w.lower_ in {"the", "a", "an"}:
                return None
            ref = w._.kg_ref
            if ref is not None and w.ent_type_ and doc._.kg_clusters[ref].cls == "Organization":
                return doc._.kg_clusters[ref].name
        return None


def _same_channel(a: str, b: str) -> bool:
    """"BBC" and "BBC One" are one broadcaster; "Channel 4" and "Channel 5" are two."""
    x, y = (re.sub(r"[^a-z0-9]", "", v.lower()).replace("one", "1") for v in (a, b))
    return x.startswith(y) or y.startswith(x)


def _quote_at(quotes: list[Quote], i: int) -> Quote | None:
    """The quote holding token ``i`` (quotes are in order and do not overlap)."""
    index = bisect_right(quotes, i, key=lambda q: q.start) - 1
    if index >= 0 and i < quotes[index].end:
        return quotes[index]
    return None


class _NameIndex:
    """The clusters of one doc by the words of their names, while names are clustered.

    Answers the questions :meth:`Coref._attach_name` asks of every name without a scan of all
    clusters (which made clustering quadratic in the length of a doc): which clusters, not
    from a gazetteer, have this one-word name (``by_single``), end in these two words
    (``by_last_two``, names of three words or more), have this first word, last word or
    first part of a hyphenated first word (``by_part``), or a first word beginning with
    these three letters or more (``by_prefix``), all names of two words or more; and how many
    clusters of any kind have a name (``count``). Every new cluster and every rename goes
    through :meth:`add` (after :meth:`remove` for a rename).
    """

    def __init__(self) -> None:
        self.by_single: dict[str, set[int]] = {}
        self.by_last_two: dict[tuple[str, str], set[int]] = {}
        self.by_part: dict[str, set[int]] = {}
        self.by_prefix: dict[str, set[int]] = {}
        self.count: dict[str, int] = {}

    def _keys(self, cl: Cluster) -> list[tuple[dict[Any, set[int]], Any]]:
        if cl.fixed:
            return []
        words = cl.name.split()
        if not words:
            return []
        if len(words) == 1:
            return [(self.by_single, cl.name)]
        first = words[0]
        keys: list[tuple[dict[Any, set[int]], Any]] = [
            (self.by_part, part) for part in {first, words[-1], first.split("-")[0]}]
        keys += [(self.by_prefix, first[:n]) for n in range(3, len(first) + 1)]
        if len(words) >= 3:
            keys.append((self.by_last_two, (words[-2], words[-1])))
        return keys

    def add(self, cl: Cluster) -> None:
        self.count[cl.name] = self.count.get(cl.name, 0) + 1
        for index, key in self._keys(cl):
            index.setdefault(key, set()).add(cl.id)

    def remove(self, cl: Cluster) -> None:
        self.count[cl.name] -= 1
        for index, key in self._keys(cl):
            index[key].discard(cl.id)

    @staticmethod
    def clusters(clusters: list[Cluster], ids: set[int] | None) -> list[Cluster]:
        """The clusters of ``ids`` in the order of ``clusters``."""
        return [clusters[i] for i in sorted(ids)] if ids else []


def _merge_into(doc: Doc, keep: Cluster, gone: Cluster) -> None:
    """Move every mention of ``gone`` to ``keep``; ``gone`` stays empty and yields no entity."""
    if keep.fixed or gone.fixed or keep.id == gone.id:
        return
    for start, end in gone.mentions:
        for t in doc[start:end]:
            t._.kg_ref = keep.id
    keep.mentions.extend(gone.mentions)
    keep.aliases |= gone.aliases | {gone.name}
    gone.mentions, gone.aliases, gone.votes = [], set(), {}
    gone.cls, gone.fixed = "Name", True


def _fits_gender(doc: Doc, tok: Token, gender: str) -> bool:
    """A person mention whose known gender is ``gender``."""
    cl = doc._.kg_clusters[tok._.kg_ref]
    return cl.cls in {"Person", "Name"} and cl.gender == gender


def _word(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _strip_possessive(text: str) -> str:
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text.rstrip("’'") if text.endswith(("s’", "s'")) else text
