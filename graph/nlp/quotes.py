"""Direct quotes and reported claims, each with its speakers and cue verb.

A quote's speaker is the subject of the nearest speech verb that governs it ("X said", "saying",
"according to a statement by X and Y"); a quote that fills a sentence of its own with no speech verb
continues the previous speaker. Reported speech without quote marks ("Russia claimed that ...")
becomes a claim. Short scare quotes ("technical team") are not statements.
"""

from __future__ import annotations

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
            if (_lemma(anc) in lx.SPEECH_VERBS or _lemma(anc) in lx.NAMING_VERBS) and anc.pos_ in ("VERB", "AUX"):
                return anc  # "said ...", or "called the fund "the first promise ..."": words put on it
    return None


def _sentence_speech_verb(sent: Span, inside: set[int]) -> Token | None:
    """A speech verb of the sentence outside the quote: "“...,” Bruce said."."""
    for tok in sent:
        if tok.i not in inside and _lemma(tok) in lx.SPEECH_VERBS and tok.pos_ == "VERB" and tok.dep_ == "ROOT":
            return tok
    return None


def extract_quotes(ix: DocIndex) -> Iterator[Statement]:
    """Direct quotes with speakers, then indirect claims, in text order."""
    doc = ix.doc
    last: tuple[tuple[str, ...], str, int] | None = None  # speakers, cue, sentence index of previous quote
    quoted_sents: set[int] = set()
    for match in QUOTED.finditer(doc_text(doc)):
        start, end = match.start(1), match.end(1)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        text = match.group(1).strip().rstrip(",").strip()
        tokens = [t for t in span if not t.is_space]
        words = [t for t in tokens if not t.is_punct]
        sent = ix.sents[ix.sent_of[span[0].i]]
        inside = {t.i for t in span}
        verb = _speech_verb(tokens) or _sentence_speech_verb(sent, inside)
        speakers: list[tuple[str, bool]] = []
        cue = ""
        conf = CONF_QUOTE
        if verb is not None:
            speakers = _main_subject(ix, verb)
            cue = verb.text.lower()
        if not speakers:
            speakers = _according_to(ix, sent)
            cue = cue or "according to"
        whole = span[0].i <= sent.start + 1 and span[-1].i >= sent.end - 3
        if not speakers and whole and last is not None and ix.sent_of[span[0].i] - last[2] <= 1:
            speakers = [(k, True) for k in last[0]]
            cue, conf = last[1], CONF_CONTINUED
        if not speakers or len(words) < MIN_SPOKEN or (len(words) < MIN_WORDS and verb is None):
            continue
        keys = tuple(dict.fromkeys(k for k, _ in speakers))
        resolved = any(r for _, r in speakers)
        last = (keys, cue, ix.sent_of[span[0].i])
        quoted_sents.add(ix.sent_of[span[0].i])
        prov = ix.provenance(span[0], conf, resolved=resolved)
        yield Statement(statement_key(ix.article.id, start, text), keys, text, cue, "quote", prov)
    yield from _claims(ix, quoted_sents)


def _claims(ix: DocIndex, quoted_sents: set[int]) -> Iterator[Statement]:
    """"Russia claimed that further strikes were stalled", "Bruce said senior staff will attend"."""
    for verb in ix.doc:
        if _lemma(verb) not in lx.SPEECH_VERBS or verb.pos_ != "VERB" or ix.sent_of[verb.i] in quoted_sents:
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
