"""memberOf: people in organisations, from titles, appositions, possessives and "of"/"led by" phrases.

Moved here unchanged from graph/nlp/relations.py; owned with the actor work (mentions, roles).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_ROLE
from ..document import DocIndex
from ..titles import appositions
from ..tokens import token_table
from .arguments import subjects
from .grammar import negated, pobjs

#: Verbs of leading an organisation: its leader is a member ("led by X", "X heads the union").
LEADING_VERBS = frozenset({"lead", "head", "chair", "run", "found", "co-found", "direct", "manage"})


def _organisations(ix: DocIndex, tok: Token) -> list[tuple[str, bool]]:
    return [(k, r) for k, r in ix.actors(tok, conj=False) if ix.types.get(k) == "Organization"]


def memberships(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """People in organisations, from titles, appositions, possessives and "of"/"led by" phrases."""
    doc = ix.doc
    by_span = {(m.start, m.end): m for m in ix.mentions}
    for m in ix.mentions:
        # a title with the organisation in it: "State Department spokesperson X", "X is a Daily Ledger reporter"
        for span in m.orgs:
            org = by_span.get(span)
            if org is not None and org.key != m.key:
                yield Relation(m.key, "memberOf", org.key, ix.provenance(doc[m.start], CONF_ROLE))
        if m.type != "Person":
            continue
        head = doc[m.end - 1]
        # the role noun next to the name: "Its chief executive, X", "X, the group's commander",
        # "the ICRC, whose regional director, X, said" (the possessor is resolved like any other)
        roles = [c for c in appositions(head) if c.lower_ in lx.ROLE_HEADS]
        if head.dep_ == "appos":
            # "Its special representative for the South Caucasus, X": the parser may hang X on the
            # last noun of the title; climb to the role noun
            cur = head.head
            for _ in range(3):
                if cur.lower_ in lx.ROLE_HEADS:
                    roles.append(cur)
                    break
                if cur.dep_ not in ("pobj", "prep") or cur.head.i == cur.i:
                    break
                cur = cur.head
        for role in roles:
            kids = list(role.children)
            if role.i >= 2 and doc[role.i - 1].text == "-":  # "Its co-leader": the parser splits the compound
                kids += list(doc[role.i - 2].children)
            for c in kids:
                # "Its chief executive, X", "the ICRC, whose regional director, X", "The chair of the Trust, X"
                objs = [c] if c.dep_ == "poss" else pobjs(c) if c.dep_ == "prep" and c.lower_ in ("of", "at") else []
                for o in objs:
                    for k, r in _organisations(ix, o):
                        yield Relation(m.key, "memberOf", k, ix.provenance(role, CONF_ROLE, resolved=r))
        # "Ana Leota of the Pacific Youth Climate Network"
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "from"):
                for o in pobjs(prep):
                    for k, r in _organisations(ix, o):
                        yield Relation(m.key, "memberOf", k, ix.provenance(head, CONF_ROLE * 0.9, resolved=r))
    for m in ix.mentions:
        if m.type != "Organization":
            continue
        head = doc[m.end - 1]
        # "Okafor's Blue Harbor Capital": an owner's company
        for c in head.children:
            if c.dep_ == "poss":
                for k, r in ix.actors(c, conj=False):
                    if ix.types.get(k) == "Person":
                        yield Relation(k, "memberOf", m.key, ix.provenance(head, CONF_ROLE * 0.9, resolved=r))
        # "the party, led by Kadri Saar"
        for acl in head.children:
            if acl.dep_ == "acl" and acl.lemma_.lower() in LEADING_VERBS:
                for agent in acl.children:
                    if agent.dep_ in ("agent", "prep") and agent.lower_ == "by":
                        for o in pobjs(agent):
                            for k, r in ix.actors(o):
                                if ix.types.get(k) == "Person":
                                    yield Relation(k, "memberOf", m.key, ix.provenance(acl, CONF_ROLE, resolved=r))
    # "X leads the party", "X, who chairs the committee"
    for verb in token_table(doc).with_lemma(LEADING_VERBS, "VERB"):
        if not negated(verb):
            orgs = [k for c in verb.children if c.dep_ == "dobj" for k, _ in _organisations(ix, c)]
            if orgs:
                for s, r in subjects(ix, verb):
                    if ix.types.get(s) == "Person":
                        for k in orgs:
                            yield Relation(s, "memberOf", k, ix.provenance(verb, CONF_ROLE, resolved=r))

