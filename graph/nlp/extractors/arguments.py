"""Who and what a verb or noun is about: its subjects, agreement objects, actor objects and partners.

These are the argument readers every construction shares; they know the small parser's habits
(subjects cut loose from "and", "with" hung on the verb, relative pronouns) so the extractors need not.
"""

from __future__ import annotations

from spacy.tokens import Token

from .. import lexicon as lx
from ..countries import demonym_country
from ..document import DocIndex
from .grammar import NEGATED_REJECTS, lemma, negated, pobjs, predicate

#: Prepositions that put a call or meeting on the verb's subject: "agreed ... in a call with X".
CONTACT_PREPS = frozenset({"in", "during", "at", "after", "before", "following", "on", "over", "ahead"})


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
            return left_conjuncts(ix, c) + (_unique(ix.actors(c) + body_actors(ix, c)) or represented(ix, c))
    for c in verb.children:
        # passive agent: "the deal was signed by X and Y"; also "hashed out between X and Y"
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "between", "among")):
            objs = [o for o in c.children if o.dep_ == "pobj"]
            if objs:
                found = _unique(ix.actors(objs[0]) + demonym_actors(ix, objs[0]))
                if found:
                    return found
        # "was brokered with help from Australia", "with the mediation of Qatar"
        if c.dep_ == "prep" and c.lower_ == "with" and any(c2.dep_ == "auxpass" for c2 in verb.children):
            for o in pobjs(c):
                if o.lemma_.lower() in lx.HELP_NOUNS:
                    found = [a for p in o.children if p.dep_ == "prep" and p.lower_ in ("from", "of")
                             for x in pobjs(p) for a in ix.actors(x)]
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
        return left_conjuncts(ix, passive) + ix.actors(passive)
    if passive is not None:
        return []  # the clause has a subject of its own: "..., while the EU is expected to approve it"
    # shared subject: "agreed to meet", "later softening ... and ultimately agreeing", "signed and ratified"
    if depth < 4 and verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl") and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(ix, verb.head, depth=depth + 1, via=verb.dep_)
    # a participle on a noun: "the leaders meeting in Riyadh"
    if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBG",):
        return ix.actors(verb.head)
    return []


def _unique(found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    seen: set[str] = set()
    return [(k, r) for k, r in found if not (k in seen or seen.add(k))]


def between_parties(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """"talks aiming to negotiate an agreement between A and B": the sides of the verb's agreement object."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    objs += [o for c in verb.children if c.dep_ == "prep" for o in pobjs(c)]
    return _unique([a for o in objs if o.i in ix.tok2agr for p in o.children
                    if p.dep_ == "prep" and p.lower_ in ("between", "among")
                    for x in pobjs(p) for a in ix.actors(x) + demonym_actors(ix, x)])


def body_actors(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """A country's body as doer: "the Latvian government" (demonym), "Sudan's army" (possessor), each conjunct."""
    out = demonym_actors(ix, noun)
    for t in (noun, *noun.conjuncts):
        if t.i not in ix.tok2actor and (t.lemma_.lower() in lx.DEMONYM_BODIES or t.lower_ in lx.DEMONYM_BODIES):
            out += [a for c in t.children if c.dep_ == "poss" for a in ix.actors(c, conj=False)]
    return _unique(out)


def owned_by(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Whose a thing is: "Hezbollah positions", "Borvia's grid", "a convoy of the Malian army"."""
    found = [a for x in noun.children if x.dep_ in ("poss", "compound") for a in ix.actors(x, conj=False)]
    found += [a for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
              for x in pobjs(p) for a in ix.actors(x) + body_actors(ix, x)]
    return _unique(found)


def according_to(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """"..., according to a joint statement by X and Y" / "according to X": who the clause is sourced to."""
    for c in verb.children:
        if c.lower_ != "according":
            continue
        for to in c.children:
            for o in pobjs(to):
                found = ix.actors(o)
                if not found and o.lemma_.lower() in lx.SPEECH_NOUNS:
                    found = [a for p in o.children if p.dep_ == "prep" and p.lower_ in ("by", "from", "of")
                             for x in pobjs(p) for a in ix.actors(x)]
                    found += [a for x in o.children if x.dep_ in ("poss", "compound") for a in ix.actors(x)]
                if found:
                    return found
    return []


def demonym_actors(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """"the Israeli military", "Latvian officials and Estonian diplomats": a country's body named by its demonym
    stands for the country as a doer (the country is registered when the text names it only so)."""
    out: list[tuple[str, bool]] = []
    for t in (noun, *noun.conjuncts):
        if t.i in ix.tok2actor or (t.lemma_.lower() not in lx.DEMONYM_BODIES and t.lower_ not in lx.DEMONYM_BODIES):
            continue
        for c in t.children:
            if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP" and (name := demonym_country(norp(c))):
                out.append((ix.country(name), False))
                # "the Latvian and US governments", "Latvian and Estonian officials"
                for x in c.conjuncts:
                    if x.i in ix.tok2actor:
                        out.append((ix.tok2actor[x.i].key, False))
                    elif x.ent_type_ == "NORP" and (other := demonym_country(norp(x))):
                        out.append((ix.country(other), False))
    return out


def norp(tok: Token) -> str:
    """The whole demonym a token is part of: "North Korean", not "Korean"."""
    span = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return span.text if span is not None else tok.text


def represented(ix: DocIndex, noun: Token, depth: int = 0) -> list[tuple[str, bool]]:
    """"The leaders of Arland and Borvia signed": the actors a representative noun stands for as doer.

    Only nouns of representing ("leaders", "the delegation", "member states"), through "of"/"from";
    "leaders from the nations of the bloc" climbs one more such noun.
    """
    if noun.lemma_.lower() not in lx.REPRESENTATIVE_NOUNS and noun.lower_ not in lx.REPRESENTATIVE_NOUNS:
        return []
    out: list[tuple[str, bool]] = []
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            for o in pobjs(prep):
                found = ix.actors(o)
                if not found and depth < 1:
                    found = represented(ix, o, depth + 1)
                out.extend(found)
    return out


def left_conjuncts(ix: DocIndex, subj: Token) -> list[tuple[str, bool]]:
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


def agreement_objects(ix: DocIndex, verb: Token, preps: frozenset[str]) -> list[str]:
    """The agreements a verb acts on: its object, prepositional object, or the noun its clause modifies."""
    out: list[str] = []
    for c in verb.children:
        targets: list[Token] = []
        # direct object: "proposed a 30-day ceasefire"; passive subject: "the deal was signed"
        if c.dep_ in ("dobj", "nsubjpass") and lemma(verb) not in lx.PREP_ONLY:
            targets = [c, *c.conjuncts]
        # prepositional object: "agreed to a ceasefire", "balked at that agreement", "participate in talks"
        elif c.dep_ == "prep" and c.lower_ in preps:
            for o in pobjs(c):
                targets.extend([o, *o.conjuncts])
        elif c.dep_ == "prep" and c.lower_ in ("out", "away"):  # "pulled out of the deal"
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("of", "from"):
                    targets.extend(t for o in pobjs(p) for t in (o, *o.conjuncts))
        # an agreement as active subject is the thing acted on: "this ceasefire, hashed out between ..."
        elif c.dep_ == "nsubj" and c.i in ix.tok2agr and lemma(verb) not in lx.SPEECH_VERBS:
            targets = [c]
        # "suspended its participation in the grain deal": the part taken stands for the agreement
        targets += [o for t in targets if t.lemma_.lower() in lx.PART_NOUNS and t.i not in ix.tok2agr
                    for p in t.children if p.dep_ == "prep" and p.lower_ in ("in", "of") for o in pobjs(p)]
        for t in targets:
            key = ix.agreement(t) or ix.agreement_pronoun(t)
            if key and key not in out:
                out.append(key)
    # "agreed to extend the truce", "refused to renew the deal": the verb's stance is towards the object of
    # a verb that keeps an agreement going; "agreed to a truce and to enforce a ban": an infinitive joined to
    # the verb's object is governed by the verb as well
    for x in verb.children:
        infinitive = x.dep_ == "conj" and any(a.dep_ == "aux" and a.lower_ == "to" for a in x.children)
        if ((x.dep_ == "xcomp" and not out) or infinitive) and lemma(x) in lx.CARRY_VERBS:
            for c in x.children:
                if c.dep_ == "dobj":
                    out.extend(k for t in (c, *c.conjuncts) if (k := ix.agreement(t)) and k not in out)
    # "the deal is expected to be signed by X", "the deal has to be signed": the passive infinitive's
    # object is the subject of the verb above
    if not out and verb.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in verb.children) and not any(
            c.dep_ == "nsubjpass" for c in verb.children):
        for c in verb.head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and (key := ix.agreement(c)):
                out.append(key)
    # relative clause on the agreement: "the deal that the US proposed", "the truce, brokered by Qatar"
    if not out and verb.dep_ in ("relcl", "acl") and verb.head.i in ix.tok2agr:
        if not any(c.dep_ == "dobj" for c in verb.children):
            key = ix.agreement(verb.head)
            if key:
                out.append(key)
    return out


def partners(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """The "with" side of an agreement verb or of its object: "signed a pact with X", "a deal with X"."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
    preps += [p for c in verb.children if c.dep_ == "dobj" for p in c.children
              if p.dep_ == "prep" and p.lower_ == "with"]
    return [a for p in preps for o in pobjs(p) for a in ix.actors(o)]


def actor_objects(ix: DocIndex, verb: Token, preps: frozenset[str], *, direct: bool = True,
                  owners: bool = False) -> list[tuple[str, bool]]:
    """The actors a verb acts on: "met Halvorsen", "spoke with Modi", "strikes on Ukraine's grid"; with
    ``owners`` a thing's owner stands for it ("attacked a convoy of the Malian army", "Hezbollah positions")."""
    out: list[tuple[str, bool]] = []
    for c in verb.children:
        # direct object: "met Halvorsen", "attacked Ukraine" (not "calling it a win": a pronoun object
        # with a predicate after it names, it does not phone)
        if c.dep_ == "dobj" and direct:
            if c.pos_ == "PRON" and any(x.dep_ in ("oprd", "xcomp", "ccomp") for x in verb.children):
                continue
            if c.pos_ == "PRON" and predicate(verb)[0] and ix.agreement_pronoun(c):
                continue  # "praised it" after a deal: the deal, read as the agreement object
            found = ix.actors(c)
            if not found and owners and c.pos_ == "NOUN":
                found = owned_by(ix, c)
            out.extend(found)
        # prepositional object: "spoke with Modi", "met with the two leaders"
        elif c.dep_ == "prep" and c.lower_ in preps:
            for o in pobjs(c):
                found = ix.actors(o)
                if not found and o.pos_ == "NOUN":
                    # "fired missiles at cities across Ukraine", "strikes on Ukraine's power grid"
                    found = [a for x in o.children if x.dep_ == "poss" for a in ix.actors(x)]
                    found += [a for p in o.children if p.dep_ == "prep" and p.lower_ in ("across", "in", "of")
                              for x in pobjs(p) for a in ix.actors(x)]
                out.extend(found)
    return out


def event_relation(ix: DocIndex, verb: Token) -> str:
    """What the subject did to an event said with a verb: the verb above decides ("proposed to halt")."""
    own = next((a.verb_relation for a in ix.agreements if a.head == verb.i and a.verb_relation), "agreedTo")
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "VERB":
        lem = lemma(head)
        if lem in ("refuse", "decline") or (negated(head) and lem in NEGATED_REJECTS):
            return "rejected"
        if lem in lx.AGREEMENT_VERBS and lx.AGREEMENT_VERBS[lem] in ("agreedTo", "proposed", "rejected", "signed"):
            return lx.AGREEMENT_VERBS[lem]
    return own


def participants(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
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

