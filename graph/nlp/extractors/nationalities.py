"""memberOf a country from a demonym or a possessive on a state title: "Chilean Foreign Minister Ana Ruiz",
"his Argentine counterpart, Diana Mondo", "the Israeli ambassador, Dan Avrahami", "Peru's labour minister X".

Only titles of people who act for a state count (STATE_TITLE_HEADS): "French President X" belongs to
France, but "a French journalist X" says where the journalist is from, not whom they act for.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_ROLE
from ..countries import demonym_country
from ..document import DocIndex
from ..titles import appositions
from .arguments import norp


def _demonym_before(tok: Token) -> str | None:
    """The country of a demonym that modifies ``tok`` or stands just before it ("Chilean Foreign Minister")."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ == "NORP" and c.i < tok.i:
            return demonym_country(norp(c))
    i = tok.i - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod") and doc[i].ent_type_ != "NORP" and tok.i - i <= 3:
        i -= 1  # "Chilean Foreign Minister": past the title's other words
    if i >= 0 and doc[i].ent_type_ == "NORP" and doc[i].pos_ in ("ADJ", "PROPN", "NOUN"):
        return demonym_country(norp(doc[i]))
    return None


def _possessor_country(ix: DocIndex, tok: Token) -> str | None:
    """The country named as the possessor of a title: "Peru's labour minister", "Chile's government spokeswoman"."""
    for t in (tok, *(c for c in tok.children if c.dep_ == "compound")):
        for c in t.children:
            if c.dep_ == "poss":
                countries = [k for k, _ in ix.actors(c, conj=False) if ix.types.get(k) == "Country"]
                if len(countries) == 1:
                    return countries[0]
    return None


def _state_title(tok: Token) -> bool:
    return tok.lower_ in lx.STATE_TITLE_HEADS or tok.lemma_.lower() in lx.STATE_TITLE_HEADS


def demonym_titles(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """People whose state title carries a demonym belong to that country."""
    doc = ix.doc
    for m in ix.mentions:
        if m.type != "Person":
            continue
        heads = [doc[i] for i in m.role_tokens if _state_title(doc[i])]  # "Chilean Foreign Minister X"
        name = doc[m.end - 1]
        heads += [r for r in appositions(name) if _state_title(r)]  # "the Israeli ambassador, X"
        if name.dep_ == "appos" and _state_title(name.head):  # "his Argentine counterpart, X"
            heads.append(name.head)
        heads += [c for c in name.children if c.dep_ == "compound" and _state_title(c)]  # "spokeswoman X"
        if m.start > 0 and _state_title(doc[m.start - 1]) and doc[m.start - 1].i not in m.role_tokens:
            heads.append(doc[m.start - 1])  # "his Argentine counterpart X": the title the parse left out
        for head in heads:
            if (country := _demonym_before(head)) is not None:
                yield Relation(m.key, "memberOf", ix.country(country), ix.provenance(head, CONF_ROLE))
                break
            if (key := _possessor_country(ix, head)) is not None:
                yield Relation(m.key, "memberOf", key, ix.provenance(head, CONF_ROLE))
                break
