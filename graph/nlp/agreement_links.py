"""Agreement coreference within an article: which mentions name the same agreement or event.

One real agreement is one node, with every way the article names it: anaphora ("this ceasefire"),
definite restatements ("the peace agreement" after "a historic accord"), appositions ("an accord, a
deal promoted by X"), a named agreement's later forms ("the UN resolution" after "Resolution 1701").
Split out of graph/nlp/agreements.py, which finds the mentions.
"""

from __future__ import annotations

from spacy.tokens import Doc

from . import lexicon as lx
from .agreements import _DEMONSTRATIVES, AgreementMention, _head_lemma


def _family(typ: str) -> str:
    return "event" if typ in lx.EVENT_TYPES else "agreement"


def _compatible(m: AgreementMention, lemma: str, prev: AgreementMention) -> bool:
    if _family(m.type) != _family(prev.type):
        return False
    if lemma in lx.GENERIC_HEADS or m.type == prev.type:
        return True
    return prev.type in ("Deal", "Agreement", "Proposal") or m.type in ("Deal", "Agreement", "Proposal")


def link_mentions(doc: Doc, mentions: list[AgreementMention]) -> list[list[AgreementMention]]:
    """Chain the mentions of each agreement; returns the clusters in order of first mention.

    - a nested phrase is one agreement with its host ("that agreement for a 30-day ceasefire");
    - a demonstrative ("this ceasefire", "those meetings") continues the latest compatible agreement;
    - a definite or bare phrase with nothing new ("the ceasefire") does too, unless a relative clause
      picks out another one ("the deal the US proposed");
    - an indefinite phrase that shares a content word with an earlier one of the same class
      ("a pared-down ceasefire on energy infrastructure") continues it;
    - a hope ("a full ceasefire") is never the antecedent of a demonstrative about a real agreement.
    """
    clusters: list[list[AgreementMention]] = []
    hosts = {m.inner: m for m in mentions if m.inner is not None}
    by_token_cluster: dict[int, int] = {}
    for m in mentions:
        lemma = _head_lemma(doc[m.head])
        host = hosts.get(m.head)
        if host is not None and host.cluster >= 0:
            m.cluster = host.cluster
            clusters[m.cluster].append(m)
            continue
        target = None
        tok = doc[m.head]
        before = tok.left_edge.i - 2  # the word before the comma: "an accord, a deal promoted by X"
        if tok.dep_ in ("appos", "npadvmod") and before >= 0 and doc[before + 1].text == "," and \
                before in by_token_cluster and m.determiner not in _DEMONSTRATIVES:
            # a restatement in apposition is the same agreement (the parser may call it npadvmod)
            target = by_token_cluster[before]
        if target is None and not m.modifiers:
            # "exchanged 372 prisoners, in a swap mediated by ...": a bare mention in the sentence of one
            target = next((i for i, c in enumerate(clusters) if c[-1].sent == m.sent and c[-1].type == m.type),
                          None)
        if target is None and m.quoted:
            # "a landmark agreement," the minister said: words about an agreement already told, or nothing new
            target = _antecedent(doc, m, lemma, clusters, det="the")
            if target is None:
                continue
        if target is None and not m.restrictive:
            target = _antecedent(doc, m, lemma, clusters)
        if target is None and not m.restrictive:
            target = _sole_agreement(m, clusters)
        if target is None and not m.restrictive:
            target = _named_antecedent(doc, m, lemma, clusters)
        if target is None and m.weak and not m.restrictive:
            continue  # "the plan" with nothing before it to continue
        if target is None:
            m.cluster = len(clusters)
            clusters.append([m])
        else:
            m.cluster = target
            clusters[target].append(m)
        by_token_cluster.update(dict.fromkeys([m.head, *m.tokens], m.cluster))
    return clusters


#: Agreement classes one agreement is named by in turn: "a historic accord" ... "the peace deal".
_PLAIN_AGREEMENTS = frozenset({"Deal", "Agreement", "Treaty"})


def _sole_agreement(m: AgreementMention, clusters: list[list[AgreementMention]]) -> int | None:
    """"a historic accord" ... "the peace agreement": a definite agreement phrase with a new modifier
    continues the article's only agreement so far when that one was named with no content word at all.
    """
    if m.determiner not in ("the", "poss") or m.distinct or m.type not in _PLAIN_AGREEMENTS or m.irrealis:
        return None
    found = [i for i, c in enumerate(clusters) if {x.type for x in c} <= _PLAIN_AGREEMENTS
             and not any(x.irrealis for x in c)]
    if len(found) != 1:
        return None
    if set().union(*(x.modifiers for x in clusters[found[0]])):
        return None
    return found[0]


def _named_antecedent(doc: Doc, m: AgreementMention, lemma: str, clusters: list[list[AgreementMention]]) -> int | None:
    """"Resolution 1701" ... "the UN resolution": a definite phrase continues the only named agreement with its
    head noun (not when a number or "another" sets it apart: "the 1913 treaty")."""
    if m.determiner not in ("the", "poss") or m.distinct or any(t.like_num for t in doc[m.tokens[0]:m.head + 1]):
        return None
    found = [i for i, c in enumerate(clusters) if any(
        x.determiner == "name" and _head_lemma(doc[x.head]) == lemma for x in c)]
    return found[0] if len(found) == 1 else None


def _antecedent(doc: Doc, m: AgreementMention, lemma: str, clusters: list[list[AgreementMention]],
                det: str | None = None) -> int | None:
    det = det or m.determiner
    if m.distinct:
        return next((i for i, c in enumerate(clusters) if m.label.lower() in {x.label.lower() for x in c}), None)
    # same class first ("the purchase" continues the acquisition, not a later offer), then any compatible
    def same_class(members: list[AgreementMention]) -> bool:
        if lemma in lx.GENERIC_HEADS:
            return True  # "this agreement" may continue any agreement: recency alone decides
        return m.type in {x.type for x in members}

    def same_head(members: list[AgreementMention]) -> bool:
        return any(_head_lemma(doc[x.head]) == lemma for x in members)

    # then the same head noun ("the agreement" repeats "a tentative agreement" rather than "a proposal"),
    # then the most recent
    recent_first = sorted(range(len(clusters)), key=lambda i: (
        not same_class(clusters[i]), not same_head(clusters[i]), -clusters[i][-1].head))
    for idx in recent_first:
        members = clusters[idx]
        last = members[-1]
        if not _compatible(m, lemma, last):
            continue
        if m.type == "Event" and not same_head(members):
            continue  # "the coup" does not continue "the handover": plain events are told apart by their noun
        known = set().union(*(x.modifiers for x in members))
        labels = {x.label.lower() for x in members}
        if m.label.lower() in labels:
            return idx
        real = not all(x.irrealis for x in members)
        if det in _DEMONSTRATIVES:
            if real or m.irrealis:
                return idx
            continue
        if det in ("the", "poss", None) and m.modifiers <= known and (real or m.irrealis):
            return idx
        shared = m.modifiers & known
        if shared and real and (not m.irrealis or len(shared) >= 2) and not (
                m.duration and any(x.duration for x in members)):
            return idx
    return None
