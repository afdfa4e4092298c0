"""Reduced relative clauses: "the hostage exchange Vell agreed to", "the deal Arland and Borvia proposed".

Runs before the verb frames: the verb it reads is claimed (added to ``consumed``) so the frames do
not read it again with the parser's wrong attachment.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Relation
from ..confidence import CONF_RELATIVE
from ..document import DocIndex
from ..time import date_of
from .grammar import modality, negated, predicate


def reduced_relatives(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"the hostage exchange Xi agreed to", "the deal the United States and Ukraine proposed".

    A relative clause with no "that": agreement noun, then its actors, then the verb. The small parser
    often attaches the verb elsewhere, so this reads the surface order and claims the verb.
    """
    doc = ix.doc
    for a in ix.agreements:
        i = a.head + 1
        if i < len(doc) and doc[i].dep_ == "det":
            i += 1
        actors: list[tuple[str, bool]] = []
        j = i
        while j < len(doc) and (j in ix.tok2actor or doc[j].lower_ in ("and", ",") or doc[j].ent_type_ == "NORP"):
            if j in ix.tok2actor:
                key = ix.tok2actor[j].key
                if (key, False) not in actors:
                    actors.append((key, False))
            j += 1
        if not actors or j >= len(doc):
            continue
        if doc[j].pos_ == "ADV":
            j += 1
        verb = doc[j] if j < len(doc) else None
        if verb is None or verb.pos_ != "VERB" or negated(verb):
            continue
        rel, _, _ = predicate(verb)
        if rel is None or any(c.dep_ == "dobj" for c in verb.children):
            continue
        consumed.add(verb.i)
        key = ix.agreement_keys[a.cluster]
        mod, conf = modality(verb)
        date = date_of(verb, ix.article.published)
        for s, _r in actors:
            yield Relation(s, rel, key, ix.provenance(verb, min(conf, CONF_RELATIVE)), mod, date)

