"""Verb frames and nominal forms -> relations between actors and agreements, each with its evidence.

Each rule reads one construction of English news prose; the comment above it names the construction.
What someone only *said* happened (the complement of "said", "claimed") is kept with modality
"reported"; a stance (agreed, rejected ...) reported in someone's words gets a confidence below the default
export threshold, so a quote never becomes a fact by itself (see _report_confidence).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ..records import Relation
from . import lexicon as lx
from .countries import demonym_country
from .document import DocIndex
from .time import date_of

#: Confidence by the kind of evidence; a coreference-resolved endpoint multiplies it by 0.8.
CONF_VERB = 0.9
CONF_RELATIVE = 0.85
CONF_NOMINAL = 0.75
CONF_ROLE = 0.85
CONF_LOCATION = 0.8
CONF_HYPOTHETICAL = 0.4
CONF_REPORTED = 0.45
#: Reported events (a call, a meeting, an attack) stay in the graph: "X met Y, her office said" is how news
#: sources a plain event. Reported stances (who agreed to or rejected what) are claims and stay below it.
CONF_REPORTED_EVENT = 0.55
CONF_ATTRIBUTED = 0.75
#: Verbs of leading an organisation: its leader is a member ("led by X", "X heads the union").
LEADING_VERBS = frozenset({"lead", "head", "chair", "run", "found", "co-found", "direct", "manage"})
#: Verbs whose negation is a rejection: "did not accept", "would not agree to".
NEGATED_REJECTS = frozenset({"accept", "agree", "approve", "endorse", "back", "support"})
CONF_NEGATED = 0.7
STANCES = frozenset({"agreedTo", "signed", "proposed", "rejected", "negotiated", "supports", "opposes"})

_SPEECH_COMPLEMENTS = frozenset({"ccomp", "parataxis"})
#: Prepositions that put a call or meeting on the verb's subject: "agreed ... in a call with X".
CONTACT_PREPS = frozenset({"in", "during", "at", "after", "before", "following", "on", "over", "ahead"})


@dataclass(frozen=True, slots=True)
class Frame:
    """A verb's reading: who did it, to what, with which relation, how sure."""

    verb: Token
    predicate: str
    modality: str
    confidence: float


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in lx.NEGATIONS for c in verb.children):
        return True
    head = verb.head
    # "did not agree" can hang the negation on the auxiliary's head in coordination
    return verb.dep_ in ("xcomp",) and any(c.dep_ == "neg" for c in head.children)


def _modality(verb: Token) -> tuple[str, float]:
    """asserted / future / hypothetical, from auxiliaries and the verbs above ("expected to sign")."""
    cur = verb
    for _ in range(3):
        auxes = {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass")}
        if auxes & lx.HYPOTHETICAL_AUX:
            return "hypothetical", CONF_HYPOTHETICAL
        if auxes & lx.FUTURE_AUX:
            return "future", CONF_VERB
        if cur.dep_ == "xcomp" and cur.head.pos_ in ("VERB", "AUX", "ADJ"):
            lem = _lemma(cur.head)
            if lem in ("expect", "plan", "set", "schedule", "due", "prepare", "intend"):
                return "future", CONF_VERB * 0.9
            if lem in lx.IRREALIS_VERBS:
                return "hypothetical", CONF_HYPOTHETICAL
            cur = cur.head
            continue
        break
    return "asserted", CONF_VERB


def _reporting_verb(verb: Token) -> Token | None:
    """The speech verb whose complement the verb heads ("X said Y agreed" -> said), if any."""
    cur = verb
    while cur.dep_ == "conj":
        cur = cur.head
    if cur.dep_ in _SPEECH_COMPLEMENTS and _lemma(cur.head) in lx.SPEECH_VERBS and cur.head.i != cur.i:
        return cur.head
    return None


def _report_confidence(verb: Token, speech: Token, predicate: str, quoted: bool, self_report: bool = False) -> float:
    """How far a reported fact is kept.

    News sources its plain facts by attribution after them ("Israel and Hamas agreed to a truce,
    officials said"): kept, a little less sure. A stance announced as someone's report ("The White
    House said both countries agreed") or said inside quotation marks is that speaker's claim: kept
    below the export threshold, unless the speaker reports their own stance.
    """
    if quoted:
        return CONF_REPORTED
    if speech.i > verb.i or self_report:
        return CONF_ATTRIBUTED  # "X said it would support the text" is X's own stance, stated
    return CONF_REPORTED if predicate in STANCES else CONF_REPORTED_EVENT


def subjects(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """Who does the verb: its subject, a passive agent, or the subject it shares with a verb above."""
    return ix.agents(_subjects(ix, verb))


def _subjects(ix: DocIndex, verb: Token, *, depth: int = 0, via: str = "") -> list[tuple[str, bool]]:
    """Who does ``verb``: its subject, a passive agent, or the subject it shares with the verb above.

    ``via`` is the dependency of the verb below when climbing: the passive subject of "X is expected /
    was asked to approve" does the approving.
    """
    for c in verb.children:
        # active subject: "Russia rejected ..."; a relative pronoun stands for the noun the clause modifies
        if c.dep_ == "nsubj":
            if c.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return ix.actors(verb.head)
            if c.i in ix.tok2agr:
                break  # an agreement cannot act: "the ceasefire, hashed out between X and Y" (see below)
            return _left_conjuncts(ix, c) + ix.actors(c)
    for c in verb.children:
        # passive agent: "the deal was signed by X and Y"; also "hashed out between X and Y"
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "between", "among")):
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                found = ix.actors(objs[0])
                if found:
                    return found
        # "was brokered with help from Australia", "with the mediation of Qatar"
        if c.dep_ == "prep" and c.lower_ == "with" and any(c2.dep_ == "auxpass" for c2 in verb.children):
            for o in _pobjs(c):
                if o.lemma_.lower() in lx.HELP_NOUNS:
                    found = [a for p in o.children if p.dep_ == "prep" and p.lower_ in ("from", "of")
                             for x in _pobjs(p) for a in ix.actors(x)]
                    if found:
                        return found
    doc = ix.doc
    if verb.dep_ == "conj" and verb.i >= 2 and doc[verb.i - 1].text == "," and doc[verb.i - 2].dep_ == "appos":
        # "Australia, whose trade minister, Liam Doyle, attended the talks": the parser hangs the verb on
        # the main clause; the person just named in the relative clause is its subject
        m = ix.tok2actor.get(verb.i - 2)
        if m is not None and m.type == "Person" and any(t.lower_ == "whose" for t in doc[max(0, m.start - 5):m.start]):
            return [(m.key, False)]
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and via == "xcomp" and passive.i not in ix.tok2agr:
        return _left_conjuncts(ix, passive) + ix.actors(passive)
    if passive is not None:
        return []  # the clause has a subject of its own: "..., while the EU is expected to approve it"
    # shared subject: "agreed to meet", "later softening ... and ultimately agreeing", "signed and ratified"
    if depth < 4 and verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(ix, verb.head, depth=depth + 1, via=verb.dep_)
    # a participle on a noun: "the leaders meeting in Riyadh"
    if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBG",):
        return ix.actors(verb.head)
    return []


def _left_conjuncts(ix: DocIndex, subj: Token) -> list[tuple[str, bool]]:
    """"Israel and Hamas have agreed" parsed with Israel cut loose: actors left of "and" that hang nowhere."""
    out: list[tuple[str, bool]] = []
    i = subj.left_edge.i - 1
    while i >= 1 and ix.doc[i].lower_ in ("and", ","):
        prev = ix.doc[i - 1]
        m = ix.tok2actor.get(prev.i)
        if m is None or prev.dep_ not in ("ROOT", "dep", "npadvmod", "appos") or prev.head.i == subj.head.i:
            break
        out.insert(0, (m.key, False))
        i = m.start - 1
    return out


def _pobjs(prep: Token) -> list[Token]:
    return [o for o in prep.children if o.dep_ in ("pobj", "pcomp")]


def _agreement_objects(ix: DocIndex, verb: Token, preps: frozenset[str]) -> list[str]:
    out: list[str] = []
    for c in verb.children:
        targets: list[Token] = []
        # direct object: "proposed a 30-day ceasefire"; passive subject: "the deal was signed"
        if c.dep_ in ("dobj", "nsubjpass") and _lemma(verb) not in lx.PREP_ONLY:
            targets = [c, *c.conjuncts]
        # prepositional object: "agreed to a ceasefire", "balked at that agreement", "participate in talks"
        elif c.dep_ == "prep" and c.lower_ in preps:
            for o in _pobjs(c):
                targets.extend([o, *o.conjuncts])
        elif c.dep_ == "prep" and c.lower_ in ("out", "away"):  # "pulled out of the deal"
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("of", "from"):
                    targets.extend(t for o in _pobjs(p) for t in (o, *o.conjuncts))
        # an agreement as active subject is the thing acted on: "this ceasefire, hashed out between ..."
        elif c.dep_ == "nsubj" and c.i in ix.tok2agr and _lemma(verb) not in lx.SPEECH_VERBS:
            targets = [c]
        # "suspended its participation in the grain deal": the part taken stands for the agreement
        targets += [o for t in targets if t.lemma_.lower() in lx.PART_NOUNS and t.i not in ix.tok2agr
                    for p in t.children if p.dep_ == "prep" and p.lower_ in ("in", "of") for o in _pobjs(p)]
        for t in targets:
            key = ix.agreement(t) or ix.agreement_pronoun(t)
            if key and key not in out:
                out.append(key)
    # "agreed to extend the truce", "refused to renew the deal": the verb's stance is towards the object of
    # a verb that keeps an agreement going
    if not out:
        for x in verb.children:
            if x.dep_ == "xcomp" and _lemma(x) in lx.CARRY_VERBS:
                for c in x.children:
                    if c.dep_ == "dobj":
                        out.extend(k for t in (c, *c.conjuncts) if (k := ix.agreement(t)) and k not in out)
    # relative clause on the agreement: "the deal that the US proposed", "the truce, brokered by Qatar"
    if not out and verb.dep_ in ("relcl", "acl") and verb.head.i in ix.tok2agr:
        if not any(c.dep_ == "dobj" for c in verb.children):
            key = ix.agreement(verb.head)
            if key:
                out.append(key)
    return out


def _partners(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """The "with" side of an agreement verb or of its object: "signed a pact with X", "a deal with X"."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
    preps += [p for c in verb.children if c.dep_ == "dobj" for p in c.children
              if p.dep_ == "prep" and p.lower_ == "with"]
    return [a for p in preps for o in _pobjs(p) for a in ix.actors(o)]


def _actor_objects(ix: DocIndex, verb: Token, preps: frozenset[str], *, direct: bool = True) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for c in verb.children:
        # direct object: "met Halvorsen", "attacked Ukraine" (not "calling it a win": a pronoun object
        # with a predicate after it names, it does not phone)
        if c.dep_ == "dobj" and direct:
            if c.pos_ == "PRON" and any(x.dep_ in ("oprd", "xcomp", "ccomp") for x in verb.children):
                continue
            if c.pos_ == "PRON" and _predicate(verb)[0] and ix.agreement_pronoun(c):
                continue  # "praised it" after a deal: the deal, read as the agreement object
            out.extend(ix.actors(c))
        # prepositional object: "spoke with Modi", "met with the two leaders"
        elif c.dep_ == "prep" and c.lower_ in preps:
            for o in _pobjs(c):
                found = ix.actors(o)
                if not found and o.pos_ == "NOUN":
                    # "fired missiles at cities across Ukraine", "strikes on Ukraine's power grid"
                    found = [a for x in o.children if x.dep_ == "poss" for a in ix.actors(x)]
                    found += [a for p in o.children if p.dep_ == "prep" and p.lower_ in ("across", "in", "of")
                              for x in _pobjs(p) for a in ix.actors(x)]
                out.extend(found)
    return out


def _predicate(verb: Token) -> tuple[str | None, str | None, frozenset[str]]:
    """(relation for an agreement object, relation for an actor object, prepositions) of a verb."""
    lem = _lemma(verb)
    # a particle, or one the parser took for a preposition: "pulled [out] of the deal"
    prt = next((c.lower_ for c in verb.children if c.dep_ == "prt" or (
        c.dep_ == "prep" and c.lower_ in ("out", "away") and any(g.dep_ == "prep" for g in c.children))), None)
    if prt and (lem, prt) in lx.PARTICLE_VERBS:
        rel = lx.PARTICLE_VERBS[(lem, prt)]
        return rel, None, lx.VERB_PREPS.get(lem, frozenset()) | {"on", "in", "to", "of", "from"}
    # "take part in": the object noun "part" carries the meaning
    if lem == "take" and any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children):
        return "participatesIn", None, frozenset({"in"})
    if lem in lx.PARTICLE_ONLY:
        return None, None, frozenset()
    return lx.AGREEMENT_VERBS.get(lem), lx.ACTOR_VERBS.get(lem), lx.VERB_PREPS.get(lem, frozenset())


def _event_relation(ix: DocIndex, verb: Token) -> str:
    """What the subject did to an event said with a verb: the verb above decides ("proposed to halt")."""
    own = next((a.verb_relation for a in ix.agreements if a.head == verb.i and a.verb_relation), "agreedTo")
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "VERB":
        lem = _lemma(head)
        if lem in ("refuse", "decline") or (_negated(head) and lem in NEGATED_REJECTS):
            return "rejected"
        if lem in lx.AGREEMENT_VERBS and lx.AGREEMENT_VERBS[lem] in ("agreedTo", "proposed", "rejected", "signed"):
            return lx.AGREEMENT_VERBS[lem]
    return own


def _frames(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    published = ix.article.published
    for verb in ix.doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in consumed:
            continue
        agr_rel, actor_rel, preps = _predicate(verb)
        event = ix.tok2agr.get(verb.i)  # a verb that is itself an event: "agreed to acquire Beta Labs"
        if event is not None:
            agr_rel, actor_rel = _event_relation(ix, verb), None
        if agr_rel is None and actor_rel is None:
            continue
        modality, conf = _modality(verb)
        if _negated(verb):
            # "did not accept a complete ceasefire": refusing what was on the table is a rejection;
            # "did not sign" or "did not meet" asserts nothing
            if _lemma(verb) not in NEGATED_REJECTS:
                continue
            agr_rel, actor_rel, conf = "rejected", None, CONF_NEGATED
        # "refused to agree to the deal", "declined to back the truce": a rejection
        if verb.dep_ == "xcomp" and _lemma(verb.head) in ("refuse", "decline") and agr_rel in (
                "agreedTo", "signed", "supports"):
            agr_rel, actor_rel, modality, conf = "rejected", None, "asserted", CONF_VERB
        if verb.dep_ == "xcomp" and _lemma(verb.head) == "fail":
            continue
        speech = _reporting_verb(verb)
        quoted = ix.in_quote(verb)
        if speech is not None or quoted:
            modality = "reported"
        subs = subjects(ix, verb)
        if not subs:
            continue
        self_report = speech is not None and bool({k for k, _ in subs} & {k for k, _ in subjects(ix, speech)})
        date = date_of(verb, published) or (date_of(verb.head, published) if verb.dep_ == "xcomp" else None)
        if agr_rel:
            objects = [ix.agreement_keys[event]] if event is not None else _agreement_objects(ix, verb, preps)
            if not objects and _lemma(verb) in lx.OBJECTLESS_ATTEND and not any(
                    c.dep_ in ("dobj", "prep", "xcomp", "ccomp") and c.lower_ not in ("as", "in")
                    for c in verb.children):
                # "China, which attended as an observer": the meeting the text was just about
                latest = ix.latest_event(verb)
                objects = [latest] if latest else []
            if modality == "reported":
                conf = _report_confidence(verb, speech or verb, agr_rel, quoted, self_report)
            for obj in objects:
                for s, resolved in subs:
                    yield Relation(s, agr_rel, obj, ix.provenance(verb, conf, resolved=resolved), modality, date)
            if agr_rel in ("agreedTo", "signed", "negotiated") and objects:
                # "signed a defence pact with Australia", "reached a deal with GM": the partner did as well
                keys = {k for k, _ in subs}
                for o, ro in _partners(ix, verb):
                    if o not in keys:
                        for obj in objects:
                            yield Relation(o, agr_rel, obj, ix.provenance(verb, conf, resolved=ro), modality, date)
            if agr_rel == "participatesIn" and objects:
                # "X held talks with Y": Y takes part too, and X met Y
                # ("discussed Ukraine during a visit": a topic, not a partner, unless the verb is one of taking part)
                for o, ro in _actor_objects(ix, verb, frozenset({"with"}),
                                            direct=lx.AGREEMENT_VERBS.get(_lemma(verb)) == "participatesIn"):
                    for obj in objects:
                        yield Relation(o, "participatesIn", obj, ix.provenance(verb, conf, resolved=ro), modality,
                                       date)
                    for s, rs in subs:
                        if s != o:
                            yield Relation(s, "metWith", o, ix.provenance(verb, conf, resolved=rs or ro), modality,
                                           date)
        if actor_rel:
            if modality == "reported":
                conf = _report_confidence(verb, speech or verb, actor_rel, quoted, self_report)
            objs = _actor_objects(ix, verb, lx.ACTOR_VERB_PREPS if actor_rel in ("spokeWith", "metWith") else
                                  frozenset({"against", "on", "at", "into"}) if actor_rel == "attacked"
                                  else frozenset(), direct=_lemma(verb) not in lx.ACTOR_PREP_ONLY)
            if actor_rel == "memberOf":
                objs = [(k, r) for k, r in objs if ix.types.get(k) == "Organization"]
            if not objs and actor_rel in ("spokeWith", "metWith") and len(subs) >= 2:
                # "Modi and Xi spoke", "the two leaders met": each with each
                for i, (a, ra) in enumerate(subs):
                    for b, rb in subs[i + 1:]:
                        yield Relation(a, actor_rel, b, ix.provenance(verb, conf * 0.9, resolved=ra or rb),
                                       modality, date)
            for s, rs in subs:
                for o, ro in objs:
                    if s != o:
                        yield Relation(s, actor_rel, o, ix.provenance(verb, conf, resolved=rs or ro), modality, date)


def _reduced_relatives(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
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
        if verb is None or verb.pos_ != "VERB" or _negated(verb):
            continue
        rel, _, _ = _predicate(verb)
        if rel is None or any(c.dep_ == "dobj" for c in verb.children):
            continue
        consumed.add(verb.i)
        key = ix.agreement_keys[a.cluster]
        modality, conf = _modality(verb)
        date = date_of(verb, ix.article.published)
        for s, _r in actors:
            yield Relation(s, rel, key, ix.provenance(verb, min(conf, CONF_RELATIVE)), modality, date)


def _participants(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Who holds a call or meeting: its possessor ("his call"), or the subject of the verb it hangs on."""
    for c in noun.children:
        if c.dep_ == "poss":
            return ix.actors(c)
    if noun.dep_ == "dobj":
        return subjects(ix, noun.head)
    if noun.dep_ != "pobj" or noun.head.lower_ not in CONTACT_PREPS:
        return []  # "the time between the calls with X" says nothing of who called
    cur = noun
    for _ in range(6):
        head = cur.head
        if head.pos_ in ("VERB", "AUX"):
            return subjects(ix, head)
        if head.i == cur.i:
            break
        cur = head
    return []


def _nominal(ix: DocIndex) -> Iterator[Relation]:
    """"in a call with X", "his meeting with X", "talks between X and Y", "launched attacks on X"."""
    published = ix.article.published
    for noun in ix.doc:
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        lem = _lemma(noun)
        rel = lx.CONTACT_NOUNS.get(lem)
        if rel is not None:
            others: list[tuple[str, bool]] = []
            between: list[tuple[str, bool]] = []
            for prep in noun.children:
                if prep.dep_ != "prep":
                    continue
                if prep.lower_ == "with":
                    for o in _pobjs(prep):
                        others.extend(ix.actors(o))
                elif prep.lower_ in ("between", "among"):
                    for o in _pobjs(prep):
                        between.extend(ix.actors(o))
            if not others and noun.dep_ == "dobj":
                # "finishing his call with Modi": the parser hangs "with" on the verb
                for prep in noun.head.children:
                    if prep.dep_ == "prep" and prep.lower_ == "with" and prep.i > noun.i:
                        for o in _pobjs(prep):
                            others.extend(ix.actors(o))
            if not others and not between and noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":
                # "X told Y in a call", "X assured Y during a meeting": the verb's object is the other side
                verb = noun.head.head
                others = [a for c in verb.children if c.dep_ in ("dobj", "dative")
                          and (c.i in ix.tok2actor or c.pos_ == "PRON")  # not "discussed trade and Ukraine"
                          for a in ix.actors(c)]
            named = [c for c in noun.lefts if c.dep_ in ("compound", "nmod", "amod") and c.i in ix.tok2actor]
            if len(named) >= 2 or (len(named) == 1 and any(c.dep_ == "conj" for c in named[0].children)):
                # "the Modi-Xi call", "a Modi and Xi meeting"
                between = [a for c in named for a in ix.actors(c)]
            if not others and not between and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "at"):
                # "the two leaders discussed trade during a state visit": the meeting's own participants
                parts = _participants(ix, noun)
                if len(parts) >= 2:
                    between = parts
            date = date_of(noun, published)
            if others:
                for s, rs in _participants(ix, noun):
                    for o, ro in others:
                        if s != o:
                            yield Relation(s, rel, o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro),
                                           "asserted", date)
            for i, (a, ra) in enumerate(between):
                for b, rb in between[i + 1:]:
                    yield Relation(a, rel, b, ix.provenance(noun, CONF_NOMINAL, resolved=ra or rb), "asserted", date)
            # the actors of a meeting node take part in it: "talks between X and Y", "X's meeting with Y"
            agr = ix.agreement(noun)
            if agr and (others or between):
                parts = between or [*(_participants(ix, noun)), *others]
                for s, rs in parts:
                    yield Relation(s, "participatesIn", agr, ix.provenance(noun, CONF_NOMINAL, resolved=rs),
                                   "asserted", date)
        elif lem in lx.ATTACK_NOUNS and noun.head.pos_ == "VERB" and noun.dep_ == "dobj":
            targets = [o for p in noun.children if p.dep_ == "prep" and p.lower_ in ("on", "against")
                       for o in _pobjs(p)]
            victims = [v for t in targets for v in ix.actors(t)]
            if victims and not _negated(noun.head):
                for s, rs in subjects(ix, noun.head):
                    for o, ro in victims:
                        if s != o:
                            yield Relation(s, "attacked", o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro))


def _brokered(ix: DocIndex) -> Iterator[Relation]:
    """"a U.S.-brokered ceasefire", "the Qatar-mediated deal", "Modi's peace plan" (a proposal's owner)."""
    doc = ix.doc
    for a in ix.agreements:
        head = doc[a.head]
        key = ix.agreement_keys[a.cluster]
        for t in a.tokens:
            tok = doc[t]
            rel = lx.AGREEMENT_VERBS.get(_lemma(tok)) if tok.tag_ == "VBN" and tok.dep_ == "amod" else None
            if rel:
                for c in tok.children:
                    if c.i in ix.tok2actor:
                        yield Relation(ix.tok2actor[c.i].key, rel, key, ix.provenance(head, CONF_NOMINAL))
        if a.type == "Acquisition":
            # "Google's acquisition of Wiz": the possessor is the buyer
            for c in head.children:
                if c.dep_ == "poss":
                    for s, r in ix.actors(c):
                        yield Relation(s, "agreedTo", key, ix.provenance(head, CONF_NOMINAL, resolved=r))
        if a.type == "Proposal":
            # "Modi's peace plan", "a US proposal", "an offer from Halcyon Partners"
            owners = [c for c in head.children if (c.dep_ in ("poss", "compound", "nmod") and c.i in ix.tok2actor)
                      or c.dep_ == "poss"]
            owners += [o for p in head.rights if p.dep_ == "prep" and p.lower_ in ("from", "by") for o in _pobjs(p)]
            for c in owners:
                for s, r in ix.actors(c):
                    yield Relation(s, "proposed", key, ix.provenance(head, CONF_NOMINAL, resolved=r))
        if a.type not in lx.EVENT_TYPES:
            # "a merger between FreshWay and Harvest Market": the two sides take part in it
            for p in head.rights:
                if p.dep_ == "prep" and p.lower_ in ("between", "among"):
                    for o in _pobjs(p):
                        for s, r in ix.actors(o):
                            yield Relation(s, "participatesIn", key, ix.provenance(head, CONF_NOMINAL, resolved=r))


def _locations(ix: DocIndex) -> Iterator[Relation]:
    """"the Kherson region of Ukraine", "Kyiv in Ukraine", "talks in Saudi Arabia", "Acme, based in Ohio"."""
    doc = ix.doc
    places = ("Place", "Country")
    for m in ix.mentions:
        if m.type != "Place":
            continue
        head = doc[m.end - 1]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                for o in _pobjs(prep):
                    for k, r in ix.actors(o, conj=False):
                        if ix.types.get(k) in places and k != m.key:
                            yield Relation(m.key, "locatedIn", k, ix.provenance(head, CONF_LOCATION, resolved=r))
    for a in ix.agreements:
        if a.type not in lx.EVENT_TYPES:
            continue
        head = doc[a.head]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                for o in _pobjs(prep):
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
                        for o in _pobjs(prep):
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
                for o in _pobjs(c):
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
                        for o in _pobjs(prep):
                            for k, _r in ix.actors(o, conj=False):
                                if ix.types.get(k) in places:
                                    yield Relation(m.key, "locatedIn", k, ix.provenance(acl, CONF_LOCATION))


def _organisations(ix: DocIndex, tok: Token) -> list[tuple[str, bool]]:
    return [(k, r) for k, r in ix.actors(tok, conj=False) if ix.types.get(k) == "Organization"]


def _memberships(ix: DocIndex) -> Iterator[Relation]:
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
        roles = [c for c in head.children if c.dep_ == "appos" and c.lower_ in lx.ROLE_HEADS]
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
                objs = [c] if c.dep_ == "poss" else _pobjs(c) if c.dep_ == "prep" and c.lower_ in ("of", "at") else []
                for o in objs:
                    for k, r in _organisations(ix, o):
                        yield Relation(m.key, "memberOf", k, ix.provenance(role, CONF_ROLE, resolved=r))
        # "Ana Leota of the Pacific Youth Climate Network"
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "from"):
                for o in _pobjs(prep):
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
                        for o in _pobjs(agent):
                            for k, r in ix.actors(o):
                                if ix.types.get(k) == "Person":
                                    yield Relation(k, "memberOf", m.key, ix.provenance(acl, CONF_ROLE, resolved=r))
    # "X leads the party", "X, who chairs the committee"
    for verb in doc:
        if verb.pos_ == "VERB" and verb.lemma_.lower() in LEADING_VERBS and not _negated(verb):
            orgs = [k for c in verb.children if c.dep_ == "dobj" for k, _ in _organisations(ix, c)]
            if orgs:
                for s, r in subjects(ix, verb):
                    if ix.types.get(s) == "Person":
                        for k in orgs:
                            yield Relation(s, "memberOf", k, ix.provenance(verb, CONF_ROLE, resolved=r))


def extract_relations(ix: DocIndex) -> list[Relation]:
    """All relations of one article, deduplicated on (subject, predicate, object, sentence)."""
    consumed: set[int] = set()
    rels = [*_reduced_relatives(ix, consumed), *_frames(ix, consumed), *_nominal(ix), *_brokered(ix),
            *_locations(ix), *_memberships(ix)]
    best: dict[tuple, Relation] = {}
    for r in rels:
        if r.subject == r.object:
            continue
        k = (r.subject, r.predicate, r.object, r.provenance.start)
        if k not in best or r.provenance.confidence > best[k].provenance.confidence:
            best[k] = r
    return list(best.values())
