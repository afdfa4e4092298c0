"""participatesIn from "involved in": "the unit involved in the coup, the Regiment of ...", "X was involved
in the talks", "X took a leading role in the negotiations".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Relation
from ..confidence import CONF_NOMINAL
from ..document import DocIndex
from ..time import date_of
from ..tokens import token_table
from .arguments import subjects
from .grammar import negated, pobjs

#: Participles that put their noun (or passive subject) in an event: "involved in", "engaged in".
INVOLVED = frozenset({"involve", "engage", "embroil", "implicate"})


def involvement(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"the unit involved in the coup", "Arland was involved in the talks": the doer takes part in it."""
    for tok in token_table(ix.doc).with_lemma(INVOLVED):
        if tok.tag_ != "VBN" or negated(tok):
            continue
        events = [k for p in tok.children if p.dep_ == "prep" and p.lower_ == "in" for o in pobjs(p)
                  if (k := ix.agreement(o))]
        if not events:
            continue
        if tok.dep_ == "acl":
            doers = ix.actors(tok.head)  # "the unit involved in the coup, the Regiment of ..." (its apposition)
        else:
            passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            doers = ix.actors(passive) if passive is not None else subjects(ix, tok)
        date = date_of(tok, ix.article.published)
        for s, r in doers:
            for k in events:
                yield Relation(s, "participatesIn", k, ix.provenance(tok, CONF_NOMINAL, resolved=r), "asserted", date)
