"""Names the small model types as organisations or people, or leaves untyped, that the parse shows are places.

"the border town of Marrak", "Borvia's capital, Keral", "Nesk, an enclave in Arland", "its headquarters in
Lisra", "in the Oval Office" (a room where no one acts), "held at Tolvar in Borvia".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from . import lexicon as lx
from .countries import country_name
from .spans import ActorMention
from .tokens import token_table


def _place_evidence(head: Token) -> bool:
    """The parse says the name is a place: "the town of X", "Borvia's capital, X", "X, an enclave in Arland",
    "X is a port city", "its headquarters in X"."""
    up = head.head
    if head.dep_ == "pobj" and up.lower_ == "of" and up.head.lower_ in lx.SETTLEMENT_NOUNS and up.head.i < head.i:
        return True
    if head.dep_ == "pobj" and up.lower_ == "in" and up.head.lower_ in lx.SEAT_NOUNS:
        return True
    if head.dep_ == "appos" and up.lower_ in lx.SETTLEMENT_NOUNS:
        return True
    if any(c.dep_ == "appos" and c.lower_ in lx.PLACE_DESCRIPTIONS and c.tag_ != "NNS" for c in head.children):
        return True
    return head.dep_ == "nsubj" and up.lemma_ == "be" and any(
        c.dep_ == "attr" and c.lower_ in lx.PLACE_DESCRIPTIONS for c in up.children)


def _in_a_country(tok: Token) -> bool:
    """"held at Baluwatar in Nepal": a name after "at"/"in" with "in" and a country after it."""
    if not (tok.dep_ == "pobj" and tok.head.lower_ in ("at", "in")):
        return False
    preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "in"]
    if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "in" and tok.doc[tok.i + 1].head.i == tok.head.head.i:
        preps.append(tok.doc[tok.i + 1])  # "in Nepal" hung on the verb, right after the name
    return any(o.dep_ == "pobj" and country_name(o.text) for p in preps for o in p.children)


def places_from_evidence(doc: Doc, mentions: list) -> None:
    """Retype (in place) one-word names the model called organisations or people that the parse shows
    are places; the same name elsewhere in the article follows, unless it is someone's surname there."""
    found: set[str] = set()
    for m in mentions:
        if m.type in ("Organization", "Person") and m.end - m.start <= 2 and \
                all(t.text[:1].isupper() for t in doc[m.start:m.end]) and _place_evidence(doc[m.end - 1]):
            found.add(m.text)
    acting = {m.text for m in mentions if doc[m.end - 1].dep_ in ("nsubj", "nsubjpass", "poss", "agent")}
    for m in mentions:
        head = doc[m.end - 1]
        if m.type == "Organization" and head.lower_ in lx.ROOM_WORDS and m.end - m.start >= 2 and \
                head.dep_ == "pobj" and head.head.lower_ in ("in", "inside", "into") and m.text not in acting:
            found.add(m.text)  # "a meeting in the Oval Office": a room, where no one acts
    surnames = {m.text.split()[-1] for m in mentions if m.type == "Person" and " " in m.text}
    for m in mentions:
        if m.text in found and m.type in ("Organization", "Person") and m.text not in surnames:
            m.type = "Place"


def unlabelled_places(doc: Doc, mentions: list, taken: set[int], sent_of: list[int]) -> None:
    """A proper name the NER left untyped that the parse shows is a place: "Nesk is an enclave in Arland",
    "the border town of Marrak" (added as Place mentions)."""
    for tok in token_table(doc).with_pos("PROPN"):
        if tok.i in taken or not tok.is_title or not tok.is_alpha:
            continue
        if tok.ent_type_ not in ("", "EVENT", "PRODUCT", "WORK_OF_ART") or tok.dep_ == "compound":
            continue
        if not (_place_evidence(tok) or _in_a_country(tok)):
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN" and \
                doc[start - 1].is_title and doc[start - 1].i not in taken and not doc[start - 1].ent_type_:
            start -= 1
        mentions.append(ActorMention(start, tok.i + 1, " ".join(t.text for t in doc[start:tok.i + 1]), "Place",
                                     sent_of[start]))
        taken.update(range(start, tok.i + 1))
