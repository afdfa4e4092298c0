"""Shared readings of a verb: its lemma, negation, modality, reporting verb and what relation it names.

Every extractor asks the same questions of a verb ("is it negated?", "who reports it?"); the answers
live here so that a construction module holds only its construction.
"""

from __future__ import annotations

from spacy.tokens import Token

from .. import lexicon as lx
from ..confidence import (
    CONF_ATTRIBUTED,
    CONF_HYPOTHETICAL,
    CONF_REPORTED,
    CONF_REPORTED_EVENT,
    CONF_REPORTED_STANCE,
    CONF_VERB,
)

#: Verbs whose negation is a rejection: "did not accept", "would not agree to".
NEGATED_REJECTS = frozenset({"accept", "agree", "approve", "endorse", "back", "support"})
#: Relations that are a stance towards an agreement: reported in someone else's words they are a claim.
STANCES = frozenset({"agreedTo", "signed", "proposed", "rejected", "negotiated", "supports", "opposes"})
#: Dependencies of the clause a speech verb reports: "X said [Y agreed]".
SPEECH_COMPLEMENTS = frozenset({"ccomp", "parataxis"})
#: Verbs above an infinitive that make it a plan: "expected to sign".
PLAN_VERBS = frozenset({"expect", "plan", "set", "schedule", "due", "prepare", "intend"})


def lemma(tok: Token) -> str:
    """The lower-cased lemma, the key of every word list."""
    return tok.lemma_.lower()


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition (nouns or clauses)."""
    return [o for o in prep.children if o.dep_ in ("pobj", "pcomp")]


def negated(verb: Token) -> bool:
    """"did not sign": a negation on the verb, or on the verb above an infinitive."""
    if any(c.dep_ == "neg" or c.lower_ in lx.NEGATIONS for c in verb.children):
        return True
    head = verb.head
    # "did not agree" can hang the negation on the auxiliary's head in coordination
    return verb.dep_ in ("xcomp",) and any(c.dep_ == "neg" for c in head.children)


def modality(verb: Token) -> tuple[str, float]:
    """asserted / future / hypothetical, from auxiliaries and the verbs above ("expected to sign")."""
    cur = verb
    for _ in range(3):
        auxes = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
        if auxes & lx.HYPOTHETICAL_AUX:
            return "hypothetical", CONF_HYPOTHETICAL
        if auxes & lx.FUTURE_AUX:
            return "future", CONF_VERB
        if cur.dep_ == "xcomp" and cur.head.pos_ in ("VERB", "AUX", "ADJ"):
            lem = lemma(cur.head)
            if lem in PLAN_VERBS:
                return "future", CONF_VERB * 0.9
            if lem in lx.IRREALIS_VERBS:
                return "hypothetical", CONF_HYPOTHETICAL
            cur = cur.head
            continue
        break
    return "asserted", CONF_VERB


def reporting_verb(verb: Token) -> Token | None:
    """The speech verb whose complement the verb heads ("X said Y agreed" -> said), if any."""
    cur = verb
    while cur.dep_ == "conj":
        cur = cur.head
    if cur.dep_ in SPEECH_COMPLEMENTS and lemma(cur.head) in lx.SPEECH_VERBS and cur.head.i != cur.i:
        return cur.head
    return None


def report_confidence(verb: Token, speech: Token, predicate: str, quoted: bool, self_report: bool = False) -> float:
    """How far a reported fact is kept.

    News sources its plain facts by attribution after them ("Israel and Hamas agreed to a truce,
    officials said"): kept, a little less sure. A stance announced as someone's report ("The White
    House said both countries agreed") is how news reports most agreements: kept in the export, marked
    reported, with its reporter. Said inside quotation marks it is the speaker's words: below the threshold.
    """
    if quoted:
        return CONF_REPORTED
    if speech.i > verb.i or self_report:
        return CONF_ATTRIBUTED  # "X said it would support the text" is X's own stance, stated
    return CONF_REPORTED_STANCE if predicate in STANCES else CONF_REPORTED_EVENT


def particle(verb: Token) -> str | None:
    """The verb's particle, or one the parser took for a preposition: "pulled [out] of the deal"."""
    return next((c.lower_ for c in verb.children if c.dep_ == "prt" or (
        c.dep_ == "prep" and c.lower_ in ("out", "away") and any(g.dep_ == "prep" for g in c.children))), None)


def noun_idiom(verb: Token) -> tuple[str, frozenset[str]] | None:
    """"shook hands (with X)": a verb and object noun that together mean a relation between actors."""
    lem = lemma(verb)
    for c in verb.children:
        if c.dep_ == "dobj" and (lem, c.lower_) in lx.NOUN_IDIOMS:
            return lx.NOUN_IDIOMS[(lem, c.lower_)]
    return None


def prep_sense(verb: Token) -> tuple[str, str] | None:
    """(relation, preposition) of a verb whose preposition decides it: "voted against the treaty"."""
    lem = lemma(verb)
    for c in verb.children:
        if c.dep_ == "prep" and (lem, c.lower_) in lx.PREP_SENSES:
            return lx.PREP_SENSES[(lem, c.lower_)], c.lower_
    return None


def predicate(verb: Token) -> tuple[str | None, str | None, frozenset[str]]:
    """(relation for an agreement object, relation for an actor object, prepositions) of a verb."""
    lem = lemma(verb)
    prt = particle(verb)
    if prt and (lem, prt) in lx.PARTICLE_VERBS:
        rel = lx.PARTICLE_VERBS[(lem, prt)]
        actor = lx.PARTICLE_ACTOR_VERBS.get((lem, prt))
        return rel, actor[0] if actor else None, lx.VERB_PREPS.get(lem, frozenset()) | {"on", "in", "to", "of", "from"}
    # "take part in": the object noun "part" carries the meaning
    if lem == "take" and any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children):
        return "participatesIn", None, frozenset({"in"})
    if (idiom := noun_idiom(verb)) is not None:
        return None, idiom[0], frozenset()
    if (sense := prep_sense(verb)) is not None:
        rel, prep = sense
        return rel, rel if rel in ("supports", "opposes") else None, frozenset({prep})
    if lem in lx.PARTICLE_ONLY:
        return None, None, frozenset()
    return lx.AGREEMENT_VERBS.get(lem), lx.ACTOR_VERBS.get(lem), lx.VERB_PREPS.get(lem, frozenset())


def actor_preps(verb: Token, rel: str) -> tuple[frozenset[str], bool]:
    """(prepositions, whether a direct object counts) through which a verb reaches the actor it acts on."""
    lem = lemma(verb)
    prt = particle(verb)
    if prt and (lem, prt) in lx.PARTICLE_ACTOR_VERBS:
        return lx.PARTICLE_ACTOR_VERBS[(lem, prt)][1], False  # "lashed out at Borvia"
    if (idiom := noun_idiom(verb)) is not None:
        return idiom[1], False  # "shook hands with Roe"
    if (sense := prep_sense(verb)) is not None:
        return frozenset({sense[1]}), False  # "sided with Roe"
    preps = (lx.ACTOR_VERB_PREPS if rel in ("spokeWith", "metWith") else
             frozenset({"against", "on", "at", "into"}) if rel == "attacked" else
             lx.VERB_PREPS.get(lem, frozenset()) if rel in ("supports", "opposes") and lem in lx.PREP_ONLY
             else frozenset())
    return preps, lem not in lx.ACTOR_PREP_ONLY and lem not in lx.PREP_ONLY
