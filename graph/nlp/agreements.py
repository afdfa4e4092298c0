"""Agreement and event phrases: "a partial ceasefire on grain shipments", "the hostage exchange", "talks".

Each phrase becomes an :class:`AgreementMention`; :func:`link_mentions` then chains the mentions that
continue one agreement ("this limited ceasefire", "that agreement for a 30-day ceasefire") so that each
real agreement of an article is one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from . import lexicon as lx
from .mentions import ActorMention, doc_text, is_named_event, span_text
from .spans import quote_spans
from .tokens import token_table

_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})


@dataclass(slots=True)
class AgreementMention:
    """One phrase naming an agreement or event, with what its words say about it."""

    head: int
    tokens: list[int]
    label: str
    type: str
    sent: int
    determiner: str | None = None  # "the", "this", "a", a possessive ...
    restrictive: bool = False  # has a restrictive relative clause: "the deal the US proposed"
    modifiers: frozenset[str] = frozenset()  # content lemmas besides the head
    duration: str | None = None
    scope: str | None = None
    irrealis: bool = False  # "could lead to a full ceasefire", "on the way to a truce"
    inner: int | None = None  # head of a nested agreement phrase: "agreement for a 30-day ceasefire"
    weak: bool = False  # "the plan": kept only as an anaphor or with a relative clause
    verb_relation: str | None = None  # for an event read off a verb: what its subject did to it
    quoted: bool = False  # inside quotation marks: someone's words
    distinct: bool = False  # "an earlier offer", "two rival bids": says it is another one
    cluster: int = -1  # index of the agreement this mention belongs to (set by link_mentions)


def _head_lemma(tok: Token) -> str:
    low = tok.lower_
    if low == "fire" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "cease":
        return "ceasefire"  # "a cease fire" spelled apart
    return low if low in lx.AGREEMENT_HEADS else tok.lemma_.lower()


def named_event(tok: Token) -> Span | None:
    """The proper name ending at ``tok`` if it names an event or agreement ("the Paris Agreement", "COP29")."""
    if not tok.ent_type_:
        return None
    ends = tok.doc.user_data.get("newsgraph_ent_ends")
    if ends is None:  # built once per document: this is asked of every token
        ends = tok.doc.user_data["newsgraph_ent_ends"] = {e.end - 1: e for e in tok.doc.ents}
    ent = ends.get(tok.i)
    if ent is not None and (ent.label_ == "EVENT" or is_named_event(ent) or (
            ent.label_ in ("LAW", "ORG") and ent[-1].like_num and ent.root.lemma_.lower() in lx.NAMED_EVENT_HEADS)):
        return ent  # ... or "Resolution 1701" (a law named by its number)
    return None


def _inside_named(tok: Token) -> bool:
    """A word inside a named agreement that ends later ("Resolution" in "Resolution 1701"): the name is read once."""
    if not tok.ent_type_:
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and ent.end - 1 > tok.i and named_event(tok.doc[ent.end - 1]) is not None


def is_agreement_head(tok: Token) -> bool:
    """A noun that names an agreement or event ("ceasefire", "talks"), not a verb or part of a name."""
    if named_event(tok) is not None:
        return True
    if tok.pos_ not in ("NOUN", "PROPN") or _head_lemma(tok) not in lx.AGREEMENT_HEADS:
        return False
    if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and _head_lemma(tok.head) in lx.AGREEMENT_HEADS:
        return False  # "ceasefire" in "ceasefire deal" is part of the deal's name
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in lx.DESCRIBED_BY_EVENT:
        return False  # "a conference call" is a call
    if tok.pos_ == "PROPN" and tok.ent_type_ and tok.ent_type_ not in ("EVENT", "LAW"):
        return False  # "Exchange" in "New York Stock Exchange"
    if tok.head.lower_ == "in" and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
        return False  # "in exchange for", "in return for": an idiom, not an event
    return True


def _left_modifiers(head: Token) -> list[Token]:
    out: list[Token] = []
    for child in head.lefts:
        if child.dep_ in ("det", "poss", "predet", "case", "punct", "advmod", "cc", "preconj", "prep"):
            continue
        for t in child.subtree:
            if t.i >= head.i or t.dep_ in ("det", "poss", "case", "predet", "advmod", "cc"):
                continue
            if t.is_punct and t.text not in ("-",):
                continue
            if t.lower_ in lx.LABEL_STOP_ADJ or t.tag_ in ("JJS", "JJR") or t.ent_type_ in ("MONEY", "PERCENT"):
                continue  # "the largest deal", "a $32 billion acquisition": size is not identity
            out.append(t)
    return _whole_hyphenated(head, out)


def _whole_hyphenated(head: Token, tokens: list[Token]) -> list[Token]:
    """A hyphenated word kept in part is kept whole: "short-lived truce", "eight-and-a-half-year contract"
    (the parse hangs "short" and "and" where the filters above would drop them)."""
    doc = head.doc
    keep = {t.i for t in tokens}
    for t in tokens:
        i = t.i
        while i > 0 and not doc[i - 1].whitespace_ and "-" in (doc[i - 1].text, doc[i].text):
            i -= 1
        j = t.i
        while j + 1 < head.i and not doc[j].whitespace_ and "-" in (doc[j + 1].text, doc[j].text):
            j += 1
        keep.update(range(i, j + 1))
    return [doc[i] for i in sorted(keep) if i < head.i]


def _right_modifiers(head: Token) -> tuple[list[Token], Token | None]:
    """The "on grain shipments" of a ceasefire; returns its tokens and a nested agreement head, if any."""
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ not in lx.LABEL_PREPS:
            continue
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        if prep.lower_ != "of" and (obj.ent_type_ in ("GPE", "PERSON", "ORG", "NORP") or obj.pos_ == "PRON"):
            continue  # "negotiations for New Delhi" names a side, not what is negotiated
        if obj.ent_type_ in ("DATE", "TIME"):
            continue  # "a ceasefire on Saturday" is the ceasefire, dated (time.date_of), not its name
        nested = obj if is_agreement_head(obj) else None
        toks = [prep]
        cut = {d.i for c in obj.subtree if c.dep_ in ("relcl", "acl", "appos") for d in c.subtree}
        words = [t for t in obj.subtree if t.i not in cut]
        if len(words) > 8:  # a long phrase: keep only up to its first inner preposition
            inner_preps = [t.i for t in words if t.dep_ == "prep" and t.i > obj.i]
            if inner_preps:
                words = [t for t in words if t.i < inner_preps[0]]
        for t in words:
            if t.dep_ in ("det", "poss", "case") or t.lower_ in lx.LABEL_STOP_ADJ:
                continue
            if t.is_punct and t.text != "-":
                continue
            toks.append(t)
        return toks, nested
    return [], None


def _join(tokens: list[Token]) -> str:
    tokens = sorted(set(tokens), key=lambda t: t.i)
    out = ""
    for n, t in enumerate(tokens):
        out += t.text
        if n + 1 < len(tokens):
            nxt = tokens[n + 1]
            adjacent = nxt.i == t.i + 1
            out += t.whitespace_ if adjacent else " "
    out = re.sub(r"\s+", " ", out)
    return out.replace(" - ", "-").strip(" -")


def _irrealis(head: Token) -> bool:
    """Is the phrase a hope rather than a fact: under a modal verb, "lead to", "on the way to", "call for"?

    The subject of a modal clause is not hoped for: "the merger would raise prices" presupposes the merger.
    """
    if head.dep_ in ("nsubj", "nsubjpass"):
        return False
    for anc in head.ancestors:
        if anc.lemma_ in ("way", "hope", "prospect", "possibility", "path", "pathway"):
            return True
        if anc.pos_ in ("VERB", "AUX"):
            if anc.lemma_ in lx.IRREALIS_VERBS and (anc.lemma_ != "lead" or head.head.lower_ == "to"):
                return True  # "could lead to a truce" hopes; "led the negotiations" does not
            if any(c.dep_ == "aux" and c.lower_ in lx.HYPOTHETICAL_AUX for c in anc.children):
                return True
            return False
    return False


def _restrictive(doc: Doc, head: Token, actor_tokens: set[int]) -> bool:
    """A relative clause that picks the agreement out: "the deal [that] the US proposed" (no comma before it)."""
    for child in head.rights:
        if child.dep_ in ("relcl", "acl") and not any(doc[i].text == "," for i in range(head.i + 1, child.i)):
            if child.dep_ == "relcl" and child.left_edge.lower_ == "which" and not any(
                    t.i in actor_tokens for t in child.subtree):
                continue  # "the resolution which had been delayed": it describes, it does not pick out
            return True
    # reduced relative the parser missed: noun, then an actor, then a verb ("the exchange Xi agreed to")
    i = head.i + 1
    if i < len(doc) and doc[i].dep_ == "det":
        i += 1
    j = i
    while j < len(doc) and (j in actor_tokens or doc[j].lower_ in ("and", ",") or doc[j].ent_type_ == "NORP"):
        j += 1
    return any(k in actor_tokens for k in range(i, j)) and j < len(doc) and doc[j].pos_ == "VERB"


def _content(tokens: list[Token]) -> set[str]:
    """Words that tell one agreement from another; not numbers, sums of money or superlatives."""
    # spaCy's stop list holds content adjectives ("full", "whole"), so the test is by part of speech
    return {t.lemma_.lower() for t in tokens if t.is_alpha and t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB")
            and t.lower_ not in lx.LABEL_STOP_ADJ
            and t.ent_type_ not in ("MONEY", "CARDINAL", "PERCENT", "QUANTITY") and t.tag_ not in ("JJS", "JJR")}


def _purpose(tok: Token) -> list[Token]:
    """"an offer to join the government", "a demand to disarm": what is offered or demanded."""
    for child in tok.rights:
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            return [t for t in child.subtree if not t.is_punct and t.dep_ not in ("det", "poss")][:8]
    return []


def _object_of_agreement_verb(tok: Token) -> bool:
    """"had offered a settlement", "turned down a bid": the verb says the noun is an agreement."""
    head = tok.head
    if tok.dep_ == "pobj":
        head = head.head
    return tok.dep_ in ("dobj", "pobj", "nsubjpass") and head.pos_ == "VERB" and (
        head.lemma_.lower() in lx.AGREEMENT_VERBS or any(c.dep_ == "prt" for c in head.children))


def _proposer_phrase(tok: Token, actor_tokens: set[int]) -> list[Token]:
    """"an offer from Halcyon Partners": the proposer names the proposal."""
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
            for obj in prep.children:
                if obj.i in actor_tokens:
                    return [prep, *(t for t in obj.subtree if t.i in actor_tokens)]
    return []


def _named(doc: Doc, ent: Span, sent_of: list[int]) -> AgreementMention:
    start = ent.start + (1 if ent[0].lower_ == "the" else 0)
    label = span_text(doc, start, ent.end)
    # "Resolution 2231", "the Treaty of Lisbon": the head noun, not the number or place after it
    head = ent.root if _head_lemma(ent.root) in lx.AGREEMENT_HEADS else ent[-1]
    lemma = _head_lemma(head)
    typ = lx.AGREEMENT_HEADS.get(lemma, "Event")
    return AgreementMention(head=head.i, tokens=list(range(start, ent.end)), label=label, type=typ,
                            sent=sent_of[ent.start], determiner="name", restrictive=True,
                            modifiers=frozenset(t.lower_ for t in doc[start:ent.end] if t.is_alpha))


def _acquisitions(doc: Doc, sent_of: list[int], mentions: list[ActorMention]) -> list[AgreementMention]:
    """"Acme agreed to acquire Beta Labs": the verb makes an acquisition event of the company bought."""
    starts = {m.start: m for m in mentions if m.type == "Organization"}
    out = []
    for verb in token_table(doc).with_lemma(lx.ACQUISITION_VERBS, "VERB"):
        target = None
        for i in range(verb.i + 1, min(verb.i + 8, verb.sent.end)):
            if doc[i].is_punct and doc[i].text != "-":
                break
            if i in starts:
                target = starts[i]
                break
        if target is None:
            continue
        out.append(AgreementMention(
            head=verb.i, tokens=[verb.i], label=f"acquisition of {target.text}", type="Acquisition",
            sent=sent_of[verb.i], determiner="verb",
            modifiers=frozenset(w.lower() for w in target.text.split()) | {"acquisition"},
            verb_relation="agreedTo"))
    return out


def _phrase(tok: Token) -> str:
    """A noun phrase's words without its determiner: "strikes on energy infrastructure"."""
    toks = [t for t in tok.subtree if t.dep_ not in ("det", "poss", "case", "relcl", "appos", "punct")
            or t.text == "-"]
    return _join(toks)


def _verbal_events(doc: Doc, sent_of: list[int]) -> list[AgreementMention]:
    """Events said with a verb: "agreed to halt strikes on energy facilities", "swapped 175 prisoners".

    A stop to attacks is a ceasefire; an exchange of prisoners is an exchange. The verb's subject
    takes part in it; the verb above it (agree, propose, refuse) says how.
    """
    out = []
    for verb in token_table(doc).with_pos("VERB"):
        lem = verb.lemma_.lower()
        objs = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "pcomp") and c.i > verb.i]
        governed = verb.dep_ in ("xcomp", "acl", "relcl") and (
            verb.head.lemma_.lower() in lx.AGREEMENT_VERBS or verb.head.lemma_.lower() in lx.AGREEMENT_HEADS)
        if lem in lx.HALT_VERBS and governed:  # "agreed to halt strikes", "a proposal to pause attacks"
            for obj in objs:
                olem = obj.lemma_.lower()
                if olem in lx.FIGHTING_WORDS or olem in lx.ATTACK_NOUNS or (
                        obj.tag_ == "VBG" and olem in lx.ACTOR_VERBS and lx.ACTOR_VERBS[olem] == "attacked"):
                    label = f"halt on {_phrase(obj)}"
                    out.append(AgreementMention(
                        head=verb.i, tokens=[verb.i], label=label, type="Ceasefire", sent=sent_of[verb.i],
                        determiner="verb",
                        modifiers=frozenset(w.lower() for w in label.split()[2:] if w.isalpha()),
                        irrealis=_irrealis(verb), verb_relation="agreedTo"))
                    break
        elif lem == "settle" and (governed or (verb.dep_ in ("xcomp", "advcl") and verb.head.dep_ == "xcomp" and
                                                verb.head.head.lemma_.lower() in lx.AGREEMENT_VERBS)):
            # "agreed to settle the lawsuit", "agreed to pay $725 million to settle claims": a settlement
            what = next((o for o in objs if o.dep_ == "dobj"), None)
            if what is not None:
                out.append(AgreementMention(
                    head=verb.i, tokens=[verb.i], label="settlement", type="Agreement", sent=sent_of[verb.i],
                    determiner="verb", modifiers=frozenset(), irrealis=_irrealis(verb), verb_relation="agreedTo"))
        elif lem in lx.EXCHANGE_VERBS:
            for obj in objs:
                olem = obj.lemma_.lower()
                if obj.dep_ == "dobj" and olem in lx.EXCHANGED:
                    label = f"{olem} {'exchange' if lem == 'exchange' else 'swap'}"
                    out.append(AgreementMention(
                        head=verb.i, tokens=[verb.i], label=label, type="Exchange", sent=sent_of[verb.i],
                        determiner="verb", modifiers=frozenset({olem}),
                        irrealis=_irrealis(verb), verb_relation="participatesIn"))
                    break
    return out


def find_agreements(doc: Doc, sent_of: list[int], mentions: list[ActorMention]) -> list[AgreementMention]:
    """Every agreement/event phrase of the document, in text order."""
    actor_tokens = {i for m in mentions for i in (*m.tokens, *m.role_tokens)}
    out: list[AgreementMention] = _acquisitions(doc, sent_of, mentions) + _verbal_events(doc, sent_of)
    for tok in token_table(doc).tokens:
        if not is_agreement_head(tok) or _inside_named(tok):
            continue
        ent = named_event(tok)
        if ent is not None:
            out.append(_named(doc, ent, sent_of))
            continue
        lemma = _head_lemma(tok)
        left = _left_modifiers(tok)
        right, inner = _right_modifiers(tok)
        if not right and lemma in lx.PROPOSAL_HEADS:
            right = _purpose(tok) or _proposer_phrase(tok, actor_tokens)
        content = _content(left + right)
        det = next((c.lower_ for c in tok.lefts if c.dep_ == "det"), None)
        # "the union's demand", "the company's offer": a proposal with its owner named is worth a node
        owned = lemma in lx.PROPOSAL_HEADS and any(c.dep_ == "poss" and c.pos_ != "PRON" for c in tok.children)
        weak = lemma in lx.NEEDS_MODIFIER and not content and not owned
        if weak and det not in ("the", "this", "that", "these", "those") and not _restrictive(
                doc, tok, actor_tokens) and not _object_of_agreement_verb(tok):
            continue  # "a plan" says too little; "the plan", "a plan X rejected", "offered a settlement" do not
        typ = lx.AGREEMENT_HEADS[lemma]
        if lemma in lx.HALT_HEADS and {t.lemma_.lower() for t in left + right} & lx.FIGHTING_WORDS:
            typ = "Ceasefire"  # "a halt on strikes against grain ports"
        for t in left:  # "ceasefire proposal": the compound says what is proposed
            if _head_lemma(t) in lx.AGREEMENT_HEADS and typ in ("Proposal", "Deal", "Agreement"):
                typ = lx.AGREEMENT_HEADS[_head_lemma(t)]
        det = None
        for child in tok.lefts:
            if child.dep_ == "det":
                det = child.lower_
            elif child.dep_ == "poss":
                det = "poss"
        duration = None
        for t in left:
            if t.lemma_.lower() in lx.DURATION_UNITS:
                num = [c for c in t.subtree if c.like_num]
                if num:
                    duration = f"{num[0].text}-{t.lemma_.lower()}"
        scope = _join(right[1:]) if right and inner is None and right[0].lower_ in lx.LABEL_PREPS else None
        out.append(AgreementMention(
            head=tok.i, tokens=sorted({t.i for t in [*left, tok, *right]}), label=_join([*left, tok, *right]),
            type=typ, sent=sent_of[tok.i], determiner=det, restrictive=_restrictive(doc, tok, actor_tokens),
            modifiers=frozenset(content), duration=duration, scope=scope or None, irrealis=_irrealis(tok),
            inner=inner.i if inner is not None else None, weak=weak,
            distinct=any(c.lower_ in lx.DISTINCT_ADJ or (c.like_num and tok.tag_ == "NNS") for c in tok.lefts),
        ))
    out.sort(key=lambda m: m.head)
    spans = quote_spans(doc_text(doc))
    for m in out:
        m.quoted = any(a <= doc[m.head].idx < b for a, b in spans)
    by_head = {m.head: m for m in out}
    for m in out:
        # "a US proposal to pause attacks on energy infrastructure": the pause is what is proposed
        verb = doc[m.head]
        if m.determiner == "verb" and verb.dep_ in ("acl", "relcl") and verb.head.i in by_head:
            host = by_head[verb.head.i]
            if host.inner is None:
                host.inner = m.head
    return out
