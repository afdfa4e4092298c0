"""Direct quotes and reported claims, each with its speakers and cue verb.

A quote's speaker is the subject of the nearest speech verb that governs it ("X said", "saying",
"according to a statement by X and Y"); a quote that fills a sentence of its own with no speech verb
continues the previous speaker. Reported speech without quote marks ("Russia claimed that ...")
becomes a claim. Short scare quotes ("technical team") are not statements.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from spacy.tokens import Span, Token

from ..keys import statement_key
from ..records import Statement
from . import lexicon as lx
from .confidence import CONF_CONTINUED, CONF_QUOTE
from .document import DocIndex
from .mentions import doc_text, raw_text
from .relations import subjects
from .spans import QUOTED
from .tokens import token_table

#: Fewer words than this, with no speech verb governing them, are scare quotes, not statements.
MIN_WORDS = 4
#: Fewer words than this are scare quotes even under a speech verb: claimed a call “ten minutes” after.
MIN_SPOKEN = 3


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _main_subject(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """A participle's subject is the main clause's: "Modi suggested that X could ..., saying ..." -> Modi."""
    found = subjects(ix, verb)
    if found and any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children):
        return found
    cur = verb
    while cur.dep_ not in ("ROOT",) and cur.head.i != cur.i:
        cur = cur.head
        if cur.dep_ in ("ROOT",) or (cur.dep_ == "conj" and cur.head.dep_ == "ROOT"):
            break
    return subjects(ix, cur) or found


def _according_to(ix: DocIndex, sent: Span) -> list[tuple[str, bool]]:
    """"according to X", "according to a statement by X and Y"."""
    for tok in sent:
        if tok.lower_ != "according":
            continue
        for to in tok.children:
            for obj in to.children:
                if obj.dep_ != "pobj":
                    continue
                found = ix.actors(obj)
                if found:
                    return found
                for prep in obj.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
                        for o in prep.children:
                            found = ix.actors(o)
                            if found:
                                return found
    return []


def _speech_verb(tokens: list[Token]) -> Token | None:
    """The nearest speech verb above the quote's tokens, outside the quote."""
    inside = {t.i for t in tokens}
    for tok in tokens:
        for anc in tok.ancestors:
            if anc.i in inside:
                continue
            lem = _lemma(anc)
            if (lem in lx.SPEECH_VERBS or lem in lx.NAMING_VERBS or lem in lx.QUOTE_CARRYING_VERBS) \
                    and anc.pos_ in ("VERB", "AUX"):
                return anc  # "said ...", "called the fund "the first promise ..."", "praised Roe for "...""
    return None


def _sentence_speech_verb(sent: Span, inside: set[int]) -> Token | None:
    """A speech verb of the sentence outside the quote: "“...,” Bruce said.", or, failing a main one, the
    nearest before the quote ("..., stating the airport represents a “bridge to the north”")."""
    first = min(inside)
    before: Token | None = None
    for tok in sent:
        if tok.i in inside or _lemma(tok) not in lx.SPEECH_VERBS or tok.pos_ != "VERB":
            continue
        if tok.dep_ == "ROOT":
            return tok
        if tok.i < first:
            before = tok
    return before


def _document_speakers(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Who speaks through a document: "the ministry's statement", "a statement by X", "X issued a statement"."""
    found = [a for c in noun.children if c.dep_ in ("poss", "compound", "nmod") for a in ix.actors(c)]
    found += [a for p in noun.children if p.dep_ == "prep" and p.lower_ in ("by", "from", "of")
              for o in p.children if o.dep_ == "pobj" for a in ix.actors(o)]
    if not found and noun.dep_ == "dobj" and _lemma(noun.head) in lx.ISSUING_VERBS:
        found = subjects(ix, noun.head)
    if not found and noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head.pos_ == "VERB":
        found = subjects(ix, noun.head.head)  # "X endorsed it in a statement"
    if not found and any(c.lower_ in ("the", "this", "that") for c in noun.children):
        # "the statement said": the same document named earlier ("... in a statement on Saturday")
        sent = ix.sent_of[noun.i]
        for prev in reversed(ix.doc[max(0, ix.sents[max(0, sent - 2)].start):noun.i]):
            if prev.lemma_.lower() == noun.lemma_.lower() and prev.pos_ == "NOUN":
                return _document_speakers(ix, prev)
    return found


def _speakers(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """The speakers of a speech verb, with the fallbacks the small parser needs.

    - "issued a statement saying ...", "the joint statement says": the document's issuer;
    - "said the Latvian envoy": a description coreference resolves;
    - "X, the foreign minister of Y, said" with the subject misparsed: the person named just before.
    """
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in lx.SPEECH_NOUNS:
        found = _document_speakers(ix, verb.head)
        if found:
            return found
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lemma_.lower() in lx.SPEECH_NOUNS:
        found = _document_speakers(ix, subj)
        if found:
            return found
    found = _main_subject(ix, verb)
    person = _person_before(ix, verb)
    if person and (not found or all(ix.types.get(k) != "Person" for k, _ in found)):
        return person
    if not found and subj is not None:
        found = [(k, True) for k in ix.coref.resolve(subj)]
    if not found:
        # "He was quoted as saying ...", "she was heard saying": the passive subject of the verb above
        for anc in verb.ancestors:
            passive = next((c for c in anc.children if c.dep_ == "nsubjpass"), None)
            if passive is not None and _lemma(anc) in ("quote", "report", "cite", "hear", "record"):
                return ix.actors(passive)
    return found


def _person_before(ix: DocIndex, verb: Token) -> list[tuple[str, bool]]:
    """"Ilse Kahn, the Foreign Minister of Latvia, said", "The President of Latvia, Karl Odum said": the
    person named right before the verb, or right before an apposition that ends there."""
    doc = ix.doc
    i = verb.i - 1
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX", "PART"):
        i -= 1
    if i >= 0 and doc[i].text == ",":
        j = i - 1
        while j > max(i - 15, ix.sents[ix.sent_of[verb.i]].start) and doc[j].text != ",":
            j -= 1
        i = j - 1 if doc[j].text == "," else -1
    m = ix.tok2actor.get(i) if i >= 0 else None
    if m is not None and m.type == "Person" and m.end - 1 == i:
        return [(m.key, False)]
    return []


_PARAGRAPH = re.compile(r"\n\s*\n")


def quote_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each quote, paragraph by paragraph.

    News style leaves a quote that runs on into the next paragraph unclosed at the paragraph's end and
    opens the next one with a quotation mark again; such a quote ends with its paragraph, and a pair of
    marks never spans two paragraphs.
    """
    out: list[tuple[int, int, str]] = []
    bounds = [0, *(m.end() for m in _PARAGRAPH.finditer(text)), len(text)]
    for a, b in itertools.pairwise(bounds):
        para = text[a:b]
        last = 0
        for m in QUOTED.finditer(para):
            out.append((a + m.start(1), a + m.end(1), m.group(1)))
            last = m.end()
        rest = para[last:]
        opening = next((i for i, ch in enumerate(rest) if ch in "“\""), None)
        if opening is not None and not any(ch in "”\"" for ch in rest[opening + 1:]):
            body = rest[opening + 1:].rstrip()
            if len(body.split()) >= MIN_WORDS:
                start = a + last + opening + 1
                out.append((start, start + len(body), body))
    return out


def extract_quotes(ix: DocIndex) -> Iterator[Statement]:
    """Direct quotes with speakers, then indirect claims, in text order."""
    doc = ix.doc
    last: tuple[tuple[str, ...], str, int] | None = None  # speakers, cue, sentence index of previous quote
    quoted_sents: set[int] = set()
    for start, end, raw in quote_matches(doc_text(doc)):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        text = raw.strip().rstrip(",").strip()
        tokens = [t for t in span if not t.is_space]
        words = [t for t in tokens if not t.is_punct]
        sent = ix.sents[ix.sent_of[span[0].i]]
        inside = {t.i for t in span}
        verb = _speech_verb(tokens) or _sentence_speech_verb(sent, inside)
        speakers: list[tuple[str, bool]] = []
        cue = ""
        conf = CONF_QUOTE
        if verb is not None:
            speakers = _speakers(ix, verb)
            cue = verb.text.lower()
        if not speakers:
            speakers = _according_to(ix, sent)
            cue = cue or "according to"
            spoken = bool(speakers)  # "according to X, it is a "very good deal"": X's words
        else:
            spoken = True
        whole = span[0].i <= sent.start + 1 and span[-1].i >= sent.end - 3
        if not speakers and whole:
            # 'X issued a statement saying ...: "..."': a quote after a colon is the previous sentence's speaker's
            speakers, cue = _introduced(ix, span[0])
            spoken = bool(speakers)
        if not speakers and whole and last is not None and ix.sent_of[span[0].i] - last[2] <= 1:
            speakers = [(k, True) for k in last[0]]
            cue, conf = last[1], CONF_CONTINUED
        # a quote that ends its sentence is said words even when short: quoted as saying he was the "silent majority."
        least = MIN_SPOKEN - 1 if span[-1].i >= sent.end - 3 and verb is not None else MIN_SPOKEN
        if not speakers or len(words) < least or (len(words) < MIN_WORDS and not spoken):
            continue
        keys = tuple(dict.fromkeys(k for k, _ in speakers))
        resolved = any(r for _, r in speakers)
        last = (keys, cue, ix.sent_of[span[0].i])
        quoted_sents.add(ix.sent_of[span[0].i])
        prov = ix.provenance(span[0], conf, resolved=resolved)
        yield Statement(statement_key(ix.article.id, start, text), keys, text, cue, "quote", prov)
    yield from _claims(ix, quoted_sents)


def _introduced(ix: DocIndex, first: Token) -> tuple[list[tuple[str, bool]], str]:
    """(speakers, cue) of a quote introduced by a colon ending the sentence before: "..., saying: "...""."""
    doc = ix.doc
    i = first.i - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in ("\"", "“")):
        i -= 1
    if i < 0 or doc[i].text != ":":
        return [], ""
    sent = ix.sents[ix.sent_of[i]]
    verbs = [t for t in sent if t.i < i and t.pos_ == "VERB" and _lemma(t) in lx.SPEECH_VERBS | lx.QUOTE_CARRYING_VERBS]
    for verb in reversed(verbs):
        found = _speakers(ix, verb)
        if found:
            return found, verb.text.lower()
    return [], ""


def _claims(ix: DocIndex, quoted_sents: set[int]) -> Iterator[Statement]:
    """"Russia claimed that further strikes were stalled", "Bruce said senior staff will attend"."""
    for verb in token_table(ix.doc).with_lemma(lx.SPEECH_VERBS, "VERB"):
        if ix.sent_of[verb.i] in quoted_sents:
            continue
        comps = [c for c in verb.children if c.dep_ == "ccomp"]
        if not comps:
            continue
        speakers = subjects(ix, verb)
        if not speakers:
            continue
        comp = comps[0]
        toks = [t for t in comp.subtree if t.dep_ != "mark" or t.i != comp.left_edge.i]
        text = raw_text(ix.doc, toks[0].i, toks[-1].i + 1).strip() if toks else ""
        if len(text.split()) < MIN_WORDS:
            continue
        keys = tuple(dict.fromkeys(k for k, _ in speakers))
        resolved = any(r for _, r in speakers)
        kind = "claim"
        start = ix.doc[toks[0].i].idx
        yield Statement(statement_key(ix.article.id, start, text), keys, text, verb.text.lower(), kind,
                        ix.provenance(verb, CONF_QUOTE * 0.9, resolved=resolved))
