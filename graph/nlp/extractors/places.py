"""locatedIn from the ordinary ways news writes where a place is.

- "Keral, Borvia" / "KERAL, Borvia (Wire) -": a place, a comma, the country (or region) it is in;
- "Borvia's capital, Keral", "the capital of Borvia, Keral", "Keral, the capital of Borvia", "Borvia's
  capital of Keral": a settlement noun with its country and its name;
- "its headquarters in Lisra", "Orbis's headquarters in Lisra": an organisation's seat;
- "Borvia's Nesk region", "its autonomous Nesk region", "an enclave in Arland": a place its country owns.
Each is its own generator so an ablation can switch it off by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_LOCATION
from ..document import DocIndex
from ..mentions import ActorMention
from ..tokens import token_table
from .grammar import pobjs

_PLACES = ("Place", "Country")


def _containers(ix: DocIndex, tok: Token) -> list[tuple[str, bool]]:
    return [(k, r) for k, r in ix.actors(tok, conj=False) if ix.types.get(k) in _PLACES]


def comma_places(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Nairobi, Kenya", "the city of Keral, Borvia", a dateline's "KERAL, Borvia (Wire)".

    The second name must be a country, or a place followed by no further list item; neither may be a
    list ("Keral, Lisra and Nesk") nor the second the subject of a clause ("In Keral, Borvia said ...").
    """
    doc = ix.doc
    by_start = {m.start: m for m in ix.mentions}
    for m in ix.mentions:
        if m.type != "Place" or m.end + 1 >= len(doc) or doc[m.end].text != ",":
            continue
        nxt: ActorMention | None = by_start.get(m.end + 1)
        if nxt is None or nxt.type not in _PLACES or nxt.key == m.key or nxt.sent != m.sent:
            continue
        after = doc[nxt.end] if nxt.end < len(doc) else None
        before = doc[m.start - 1] if m.start > 0 else None
        if after is not None and (after.lower_ in ("and", "or", "'s", "’s") or after.tag_ == "POS"):
            continue
        if before is not None and before.text == "," and nxt.type != "Country":
            continue  # "Lisra, Keral, Nesk": a list of places
        if nxt.type == "Place" and after is not None and after.text == "," and not doc[nxt.end - 1].is_sent_end:
            nn = by_start.get(nxt.end + 1)
            if nn is not None and nn.type in _PLACES:
                continue  # "Keral, Lisra, Nesk"
        opener = ix.sents[m.sent][0]
        if doc[nxt.end - 1].dep_ in ("nsubj", "nsubjpass") and opener.pos_ in ("ADP", "SCONJ") and \
                opener.i < m.start:
            continue  # "In Keral, Borvia said ...": the comma closes an opening phrase
        yield Relation(m.key, "locatedIn", nxt.key, ix.provenance(doc[m.end - 1], CONF_LOCATION))


def _settlement_owner(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """The country of "Borvia's capital", "the capital of Borvia", "the Borvian capital"."""
    out: list[tuple[str, bool]] = []
    for c in noun.children:
        if c.dep_ == "poss":
            out += _containers(ix, c)
        elif c.dep_ == "prep" and c.lower_ == "of" and noun.lower_ == "capital":  # "the town of X" names X
            for o in pobjs(c):
                if o.lower_ not in lx.SETTLEMENT_NOUNS:
                    out += _containers(ix, o)
    return out


def capitals(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Borvia's capital, Keral", "Keral, the capital of Borvia", "Kenya's capital of Nairobi"."""
    doc = ix.doc
    for m in ix.mentions:
        if m.type != "Place":
            continue
        head = doc[m.end - 1]
        nouns: list[Token] = []
        if head.dep_ == "appos" and head.head.lower_ in lx.SETTLEMENT_NOUNS:
            nouns.append(head.head)  # "Borvia's capital, Keral"
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in lx.SETTLEMENT_NOUNS:
            nouns.append(head.head.head)  # "Borvia's capital of Keral"
        nouns += [c for c in head.children if c.dep_ == "appos" and c.lower_ in lx.SETTLEMENT_NOUNS]
        for noun in nouns:
            for k, r in _settlement_owner(ix, noun):
                if k != m.key:
                    yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION, resolved=r))


def headquarters(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"its headquarters in Lisra", "Orbis's headquarters in Lisra", "Orbis, whose headquarters are in Lisra"."""
    doc = ix.doc
    for noun in token_table(doc).with_lower(lx.SEAT_NOUNS):
        owners = [k for c in noun.children if c.dep_ == "poss" for k, _r in ix.actors(c, conj=False)
                  if ix.types.get(k) == "Organization"]
        if not owners:
            continue
        places: list[tuple[str, bool]] = []
        preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "in"]
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_ == "be":
            preps += [c for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "in"]
        for prep in preps:
            for o in pobjs(prep):
                places += _containers(ix, o)
        for org in owners:
            for k, r in places:
                yield Relation(org, "locatedIn", k, ix.provenance(noun, CONF_LOCATION, resolved=r))


def owned_places(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Borvia's Nesk region", "Arland and its autonomous Nesk region": a place its country's possessive names.

    Only a place whose name ends in a place noun ("region", "enclave"): "Borvia's Keral" alone may be
    anything the country has.
    """
    doc = ix.doc
    for m in ix.mentions:
        if m.type != "Place" or doc[m.end - 1].lower_ not in lx.PLACE_NOUNS:
            continue
        head = doc[m.end - 1]
        for c in head.children:
            if c.dep_ == "poss":
                for k, r in _containers(ix, c):
                    if ix.types.get(k) == "Country" and k != m.key:
                        yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION, resolved=r))


def described_places(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Nesk, an enclave in Arland", "Keral is a town in Borvia", "Keral, a port city of Borvia"."""
    doc = ix.doc
    for m in ix.mentions:
        if m.type != "Place":
            continue
        head = doc[m.end - 1]
        nouns = [c for c in head.children if c.dep_ == "appos" and c.lower_ in lx.PLACE_DESCRIPTIONS]
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
            nouns += [c for c in head.head.children if c.dep_ == "attr" and c.lower_ in lx.PLACE_DESCRIPTIONS]
        for noun in nouns:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "of"):
                    for o in pobjs(prep):
                        for k, r in _containers(ix, o):
                            # "the town of Keral" names the town: "of" gives a country only
                            if k != m.key and (prep.lower_ == "in" or ix.types.get(k) == "Country"):
                                yield Relation(m.key, "locatedIn", k, ix.provenance(noun, CONF_LOCATION, resolved=r))
