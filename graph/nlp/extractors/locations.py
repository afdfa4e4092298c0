"""locatedIn: places in places, events where they happen, organisations where they are based.

Moved here unchanged from graph/nlp/relations.py; owned with the actor work (mentions, places).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_LOCATION
from ..countries import demonym_country
from ..document import DocIndex
from .grammar import pobjs


def locations(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"the Kherson region of Ukraine", "Kyiv in Ukraine", "talks in Saudi Arabia", "Acme, based in Ohio"."""
    doc = ix.doc
    places = ("Place", "Country")
    for m in ix.mentions:
        if m.type != "Place":
            continue
        head = doc[m.end - 1]
        heads = [head]
        if head.dep_ == "compound" and head.head.i == m.end and head.head.lower_ in lx.PLACE_NOUNS:
            heads.append(head.head)  # "the Ferghana Valley region of X": the place noun after the name
        for prep in (c for h in heads for c in h.children):
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                for o in pobjs(prep):
                    for k, r in ix.actors(o, conj=False):
                        if ix.types.get(k) in places and k != m.key:
                            yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION, resolved=r))
    for a in ix.agreements:
        if a.type not in lx.EVENT_TYPES:
            continue
        head = doc[a.head]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                for o in pobjs(prep):
                    for k, r in ix.actors(o, conj=False):
                        if ix.types.get(k) in places:
                            yield Relation(ix.agreement_keys[a.cluster], "locatedIn", k,
                                           ix.provenance(head, CONF_LOCATION, resolved=r))
    for m in ix.mentions:
        if m.type != "Place":
            continue
        head = doc[m.end - 1]
        # "the Armenian town of Ijevan": the demonym on the place noun names the country
        if head.dep_ == "pobj" and head.head.lower_ == "of" and \
                head.head.head.lower_ in lx.PLACE_NOUNS | lx.SETTLEMENT_NOUNS:
            noun = head.head.head
            for c in noun.children:
                if c.dep_ == "amod" and c.ent_type_ == "NORP" and (name := demonym_country(c.text)):
                    yield Relation(m.key, "locatedIn", ix.country(name), ix.provenance(head, CONF_LOCATION))
    for a in ix.agreements:
        # "delegates gathered in Nairobi for the summit": the event is where its verb happens
        head = doc[a.head]
        if a.type in lx.EVENT_TYPES and head.dep_ == "pobj" and head.head.lower_ in ("for", "at", "to"):
            verb = head.head.head
            if verb.pos_ == "VERB" and not any(r for r in head.children if r.dep_ == "prep" and r.lower_ == "in"):
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ == "in":
                        for o in pobjs(prep):
                            for k, r in ix.actors(o, conj=False):
                                if ix.types.get(k) in places:
                                    yield Relation(ix.agreement_keys[a.cluster], "locatedIn", k,
                                                   ix.provenance(head, CONF_LOCATION * 0.9, resolved=r))
    for m in ix.mentions:
        if m.type != "Organization":
            continue
        head = doc[m.end - 1]
        for c in head.children:
            # "Kestrel Energy Storage AB of Sweden"
            if c.dep_ == "prep" and c.lower_ in ("of", "in"):
                for o in pobjs(c):
                    for k, _r in ix.actors(o, conj=False):
                        if ix.types.get(k) in places:
                            yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION * 0.9))
            # "the Dubai-based Almaz Sports Group"
            if c.dep_ == "amod" and c.lemma_.lower() in ("base", "based", "headquartered"):
                for o in c.children:
                    for k, _r in ix.actors(o, conj=False):
                        if ix.types.get(k) in places:
                            yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION))
        for acl in head.children:
            if acl.dep_ == "acl" and acl.lemma_ in ("base", "headquarter"):
                for prep in acl.children:
                    if prep.dep_ == "prep" and prep.lower_ == "in":
                        for o in pobjs(prep):
                            for k, _r in ix.actors(o, conj=False):
                                if ix.types.get(k) in places:
                                    yield Relation(m.key, "locatedIn", k, ix.provenance(acl, CONF_LOCATION))

