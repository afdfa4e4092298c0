"""Coreference by rules over the parse: pronouns and definite descriptions to the actors they stand for.

No English coreference model installs offline, so this stage resolves what news prose leans on most:
"he/his" to the nearest person before, "they" to the nearest coordinated pair, "it/its" to the nearest
organisation or country, "the two leaders" to the last two people named, "the country" / "the company"
to the nearest actor of that type, "the president" to the nearest person holding that role. Every rule
looks only backwards and only a few sentences back; a fact that rests on it is marked ``resolved``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from . import lexicon as lx
from .mentions import ActorMention

#: Gender said by a form of address or a pronoun; used only to rule an antecedent out.
_HONORIFIC_GENDER = {"ms": "f", "mrs": "f", "miss": "f", "madam": "f", "dame": "f", "lady": "f",
                     "mr": "m", "sir": "m", "lord": "m"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
#: How many sentences back an antecedent may be.
WINDOW = 3
_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """An actor named at a token, with its type and whether it stood in a coordination ("X and Y")."""

    token: int
    sent: int
    key: str
    type: str
    group: tuple[str, ...]  # keys of the whole coordination it belongs to, or ()
    roles: tuple[str, ...]
    subject: bool = False  # the grammatical subject of its clause


class Coref:
    """Answers "who is this token?" for pronouns and definite descriptions, looking back from it."""

    def __init__(self, doc: Doc, mentions: list[ActorMention], sent_of: list[int]) -> None:
        self.doc = doc
        self.sent_of = sent_of
        self.gender: dict[str, str] = {}  # person key -> "f" / "m", from "Ms Saar", "Mr Kask"
        head_of = {m.end - 1: m for m in mentions}
        occ: list[Occurrence] = []
        for m in sorted(mentions, key=lambda x: x.start):
            head = doc[m.end - 1]
            group: tuple[str, ...] = ()
            conj = [c for c in (head, *head.conjuncts) if c.i in head_of]
            if len(conj) >= 2:
                group = tuple(dict.fromkeys(head_of[c.i].key for c in sorted(conj, key=lambda t: t.i)))
            # the subject, one of coordinated subjects, or the name in apposition to the subject ("The party
            # leader, Mart Kask, will serve ...")
            subj = head.dep_ in ("nsubj", "nsubjpass") or (
                head.dep_ in ("conj", "appos") and head.head.dep_ in ("nsubj", "nsubjpass"))
            occ.append(Occurrence(m.start, m.sent, m.key, m.type, group if len(group) >= 2 else (),
                                  tuple(r.lower() for r in m.roles), subj))
            if m.type == "Person" and m.start > 0:
                gender = _HONORIFIC_GENDER.get(doc[m.start - 1].lower_.rstrip("."))
                if gender:
                    self.gender.setdefault(m.key, gender)
        self.occurrences = occ

    def _before(self, tok: Token) -> list[Occurrence]:
        sent = self.sent_of[tok.i]
        return [o for o in reversed(self.occurrences) if o.token < tok.i and sent - o.sent <= WINDOW]

    def resolve(self, tok: Token) -> list[str]:
        """Entity keys the token stands for, or [] when it is not an anaphor or nothing fits."""
        low = tok.lower_
        if low in lx.PERSON_PRONOUNS:
            return self._nearest(tok, {"Person"})
        if low in lx.NEUTER_PRONOUNS:
            return self._nearest(tok, {"Organization", "Country"})
        if low in lx.PLURAL_PRONOUNS:
            for o in self._before(tok):
                # "talks in Madrid, Spain and Porto ... criticised them": a list of places is no "they"
                if o.group and not any(self._type_of(k) == "Place" for k in o.group):
                    return list(o.group)
            return []
        if tok.pos_ == "NOUN":
            return self._description(tok)
        return []

    def _nearest(self, tok: Token, types: set[str]) -> list[str]:
        """The nearest actor of a type before ``tok``; a subject pronoun opening its clause prefers a subject.

        "A told B he would halt strikes. He refused ..." -> A: a subject pronoun continues the topic,
        the last subject, not the last name (the classic subject preference).
        """
        cands = [o for o in self._before(tok) if o.type in types]
        pronoun = _PRONOUN_GENDER.get(tok.lower_)
        if pronoun:  # "he" is not the person the text called "Ms Saar"
            cands = [o for o in cands if self.gender.get(o.key, pronoun) == pronoun]
        if not cands:
            return []
        if tok.dep_ in ("nsubj", "nsubjpass"):
            subj = [o for o in cands if o.subject]
            if subj:
                return [subj[0].key]
        return [cands[0].key]

    def _type_of(self, key: str) -> str:
        return next((o.type for o in self.occurrences if o.key == key), "")

    def _roles(self, key: str) -> set[str]:
        return {r for o in self.occurrences if o.key == key for r in o.roles}

    def _clause_subject(self, o: Occurrence, tok: Token) -> bool:
        """``o`` is the subject of a verb that governs ``tok``: "A rejected a proposal from the union" - the
        union is not A."""
        if not o.subject or self.sent_of[o.token] != self.sent_of[tok.i]:
            return False
        head = self.doc[o.token]
        while head.dep_ == "compound" or (head.dep_ in ("flat", "appos") and head.head.i > head.i):
            head = head.head
        verb = head.head
        return verb.i != tok.i and verb in tok.ancestors

    def _description(self, tok: Token) -> list[str]:
        """"the country", "the two leaders", "both companies", "the president"."""
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "predet", "preconj")}
        lemma = tok.lemma_.lower()
        typ = lx.TYPE_NOUNS.get(lemma)
        types = {"Country", "Organization"} if typ == "Side" else {typ}
        if typ is None or not dets & {"the", "both", "two", "three", "four", "this", "that", "these", "those"}:
            return []
        count = max((_NUMBERS.get(d, 1) for d in dets), default=1)
        if tok.tag_ == "NNS" and count == 1:
            count = 2
        found: list[str] = []
        before = self._before(tok)
        if count == 1 and typ in ("Organization", "Place"):
            # "the commission" is the Federal Trade Commission before it is just the nearest organisation,
            # however far back the article named it
            named = [o for o in reversed(self.occurrences) if o.token < tok.i and o.type in types
                     and o.key.rsplit("-", 1)[-1] == lemma and not self._clause_subject(o, tok)]
            if named:
                return [named[0].key]
        if count >= 2:
            # "the two leaders" after "A and B announced ...": a pair named together, even a little further
            # back, before the last two names
            sent = self.sent_of[tok.i]
            for o in reversed(self.occurrences):
                if o.token < tok.i and sent - o.sent <= 2 * WINDOW and len(o.group) == count and all(
                        self._type_of(k) in types for k in o.group) and (typ != "Person" or lemma in (
                        "leader", "official", "man", "woman") or all(any(lemma in r for r in self._roles(k))
                                                                    for k in o.group)):
                    return list(o.group)
        for o in before:
            if o.type not in types or o.key in found:
                continue
            if typ == "Person" and lemma not in ("leader", "official", "man", "woman") and not any(
                    lemma in r for r in o.roles):
                continue  # "the president" is the person who holds that role
            found.append(o.key)
            if len(found) == count:
                return found
        return found if count == 1 else []
