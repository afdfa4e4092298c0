"""Verb frames: "Arland signed the accord", "agreed to a truce with Borvia", "Vell met Roe".

A verb from the lexicon names a relation to an agreement (AGREEMENT_VERBS) or to an actor
(ACTOR_VERBS); its subjects and objects are read by graph.nlp.extractors.arguments. Negation,
"refused to", auxiliaries and the speech verb above decide modality and confidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_NEGATED, CONF_VERB
from ..document import DocIndex
from ..time import date_of
from ..tokens import token_table
from .arguments import (
    according_to,
    actor_objects,
    agreement_objects,
    between_parties,
    event_relation,
    partners,
    subjects,
)
from .grammar import (
    NEGATED_REJECTS,
    actor_preps,
    lemma,
    modality,
    negated,
    predicate,
    report_confidence,
    reporting_verb,
)


@dataclass(slots=True)
class Reading:
    """One verb's reading: the relations it names, how sure, who does it, and when."""

    verb: Token
    agr_rel: str | None
    actor_rel: str | None
    preps: frozenset[str]
    event: int | None
    modality: str
    conf: float
    speech: Token | None
    quoted: bool
    subs: list[tuple[str, bool]]
    self_report: bool
    date: str | None
    reporters: tuple[str, ...] = ()  # who the narrator says reported it: "The ministry said ..."


def read_verb(ix: DocIndex, verb: Token) -> Reading | None:
    """A verb's relations, modality and subjects, or None when it names nothing this module reads."""
    agr_rel, actor_rel, preps = predicate(verb)
    event = ix.tok2agr.get(verb.i)  # a verb that is itself an event: "agreed to acquire Beta Labs"
    if event is not None:
        agr_rel, actor_rel = event_relation(ix, verb), None
    if agr_rel is None and actor_rel is None:
        return None
    mod, conf = modality(verb)
    if negated(verb):
        # "did not accept a complete ceasefire": refusing what was on the table is a rejection;
        # "did not sign" or "did not meet" asserts nothing
        if lemma(verb) not in NEGATED_REJECTS:
            return None
        agr_rel, actor_rel, conf = "rejected", None, CONF_NEGATED
    # "refused to agree to the deal", "declined to back the truce": a rejection
    if verb.dep_ == "xcomp" and lemma(verb.head) in ("refuse", "decline") and agr_rel in (
            "agreedTo", "signed", "supports"):
        agr_rel, actor_rel, mod, conf = "rejected", None, "asserted", CONF_VERB
    if verb.dep_ == "xcomp" and lemma(verb.head) == "fail":
        return None
    speech = reporting_verb(verb)
    quoted = ix.in_quote(verb)
    if (speech is not None or quoted) and mod != "hypothetical":
        mod = "reported"  # "the ministry said A could agree" stays a hypothetical, below the threshold
    subs = subjects(ix, verb)
    if not subs and agr_rel in ("negotiated", "agreedTo", "signed"):
        subs = between_parties(ix, verb)  # "discussions aiming to negotiate an agreement between A and B"
    if not subs:
        return None
    speakers = {k for k, _ in subjects(ix, speech)} if speech is not None else set()
    if speech is None and not quoted and (sourced := according_to(ix, verb)):
        # "A and B agreed to a truce, according to a statement by X": X reports it
        speech, speakers = verb, {k for k, _ in sourced}
        mod = mod if mod == "hypothetical" else "reported"
    self_report = bool({k for k, _ in subs} & speakers)
    reporters = tuple(sorted(speakers - {k for k, _ in subs}))
    published, ahead = ix.article.published, mod == "future"  # "will sign on Friday": the coming Friday
    date = date_of(verb, published, future=ahead) or (
        date_of(verb.head, published, future=ahead) if verb.dep_ == "xcomp" else None)
    return Reading(verb, agr_rel, actor_rel, preps, event, mod, conf, speech, quoted, subs, self_report, date,
                   reporters)


def _agreement_relations(ix: DocIndex, rd: Reading) -> Iterator[Relation]:
    """The subjects' relation to the agreements the verb acts on, and its partners' ("signed ... with X")."""
    verb, rel, subs, mod, date = rd.verb, rd.agr_rel, rd.subs, rd.modality, rd.date
    assert rel is not None
    objects = [ix.agreement_keys[rd.event]] if rd.event is not None else agreement_objects(ix, verb, rd.preps)
    if not objects and lemma(verb) in lx.OBJECTLESS_ATTEND and not any(
            c.dep_ in ("dobj", "prep", "xcomp", "ccomp") and c.lower_ not in ("as", "in")
            for c in verb.children):
        # "China, which attended as an observer": the meeting the text was just about
        latest = ix.latest_event(verb)
        objects = [latest] if latest else []
    if lemma(verb) in lx.AGREEMENT_ONLY_VERBS:
        events = {ix.agreement_keys[a.cluster] for a in ix.agreements if a.type in lx.EVENT_TYPES}
        objects = [o for o in objects if o not in events]  # "announced the talks" agrees to nothing
    conf = rd.conf
    if mod == "reported":
        conf = report_confidence(verb, rd.speech or verb, rel, rd.quoted, rd.self_report)
    proposals = {ix.agreement_keys[a.cluster] for a in ix.agreements if a.type == "Proposal"} \
        if lemma(verb) in lx.UNVEILING_VERBS else set()
    for obj in objects:
        # "the company announced plans to cut jobs": announcing a plan puts it forward, it agrees to nothing
        obj_rel = "proposed" if obj in proposals and rel == "agreedTo" else rel
        for s, resolved in subs:
            yield Relation(s, obj_rel, obj, ix.provenance(verb, conf, resolved=resolved), mod, date, rd.reporters)
    if rel in ("agreedTo", "signed", "negotiated") and objects:
        # "signed a defence pact with Australia", "reached a deal with GM": the partner did as well
        keys = {k for k, _ in subs}
        for o, ro in partners(ix, verb):
            if o not in keys:
                for obj in objects:
                    yield Relation(o, rel, obj, ix.provenance(verb, conf, resolved=ro), mod, date, rd.reporters)
    if rel == "participatesIn" and objects:
        # "X held talks with Y": Y takes part too, and X met Y
        # ("discussed Ukraine during a visit": a topic, not a partner, unless the verb is one of taking part)
        for o, ro in actor_objects(ix, verb, frozenset({"with"}),
                                   direct=lx.AGREEMENT_VERBS.get(lemma(verb)) == "participatesIn"):
            for obj in objects:
                yield Relation(o, "participatesIn", obj, ix.provenance(verb, conf, resolved=ro), mod, date,
                               rd.reporters)
            for s, rs in subs:
                if s != o:
                    yield Relation(s, "metWith", o, ix.provenance(verb, conf, resolved=rs or ro), mod, date,
                                   rd.reporters)


def _actor_relations(ix: DocIndex, rd: Reading) -> Iterator[Relation]:
    """The subjects' relation to the actors the verb acts on: "met Roe", "attacked Borvia"."""
    verb, rel, subs, mod, date = rd.verb, rd.actor_rel, rd.subs, rd.modality, rd.date
    assert rel is not None
    conf = rd.conf
    if mod == "reported":
        conf = report_confidence(verb, rd.speech or verb, rel, rd.quoted, rd.self_report)
    preps, direct = actor_preps(verb, rel)
    objs = actor_objects(ix, verb, preps, direct=direct, owners=rel == "attacked")
    if rel == "memberOf":
        objs = [(k, r) for k, r in objs if ix.types.get(k) == "Organization"]
    if not objs and rel in ("spokeWith", "metWith") and len(subs) >= 2:
        # "Modi and Xi spoke", "the two leaders met": each with each
        for i, (a, ra) in enumerate(subs):
            for b, rb in subs[i + 1:]:
                yield Relation(a, rel, b, ix.provenance(verb, conf * 0.9, resolved=ra or rb), mod, date,
                               rd.reporters)
    for s, rs in subs:
        for o, ro in objs:
            if s != o:
                yield Relation(s, rel, o, ix.provenance(verb, conf, resolved=rs or ro), mod, date, rd.reporters)


def frames(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """Every verb of the lexicon not already read by an earlier extractor, with its arguments."""
    for verb in token_table(ix.doc).with_pos("VERB", "AUX"):
        if verb.i in consumed:
            continue
        rd = read_verb(ix, verb)
        if rd is None:
            continue
        if rd.agr_rel:
            yield from _agreement_relations(ix, rd)
        if rd.actor_rel:
            yield from _actor_relations(ix, rd)
