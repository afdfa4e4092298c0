"""The per-article index every extractor reads: which token is which actor or agreement.

Built once per article after mentions, resolution and agreement linking; the relation, quote and
time extractors are then plain functions of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..keys import entity_key
from ..records import Article, Provenance
from . import lexicon as lx
from .agreements import AgreementMention
from .coref import Coref
from .countries import demonym_country
from .mentions import ActorMention, doc_text
from .spans import quote_spans


@dataclass
class DocIndex:
    """Token-level lookups over one parsed article."""

    doc: Doc
    article: Article
    sent_of: list[int]
    mentions: list[ActorMention]
    agreements: list[AgreementMention]
    agreement_keys: list[str]  # cluster index -> agreement key
    coref: Coref
    tok2actor: dict[int, ActorMention] = field(default_factory=dict)
    tok2agr: dict[int, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # entity key -> type
    #: Countries met only through their capitals ("Moscow rejected ..."): added to the entities.
    metonyms: dict[str, str] = field(default_factory=dict)  # country key -> country name

    def __post_init__(self) -> None:
        for m in self.mentions:
            for i in (*m.tokens, *m.role_tokens):
                self.tok2actor.setdefault(i, m)
            self.types[m.key] = m.type
        #: "met the Unity Party chairman Ivo Sark" parsed with the party as the object: an organisation
        #: inside a person's title stands for the person.
        self.title_orgs: dict[tuple[int, int], ActorMention] = {
            span: m for m in self.mentions if m.type == "Person" for span in m.orgs}
        for a in self.agreements:
            self.tok2agr[a.head] = a.cluster
        self.quote_spans = quote_spans(doc_text(self.doc))
        self.sents = list(self.doc.sents)
        self._evidence: dict[int, tuple[str, int]] = {}  # sentence -> (stripped text, start): see provenance
        self.capital_of = {m.key: lx.CAPITALS[m.text] for m in self.mentions
                           if m.type == "Place" and m.text in lx.CAPITALS}

    def actors(self, tok: Token, *, conj: bool = True) -> list[tuple[str, bool]]:
        """The actors a noun phrase head stands for: (key, resolved-by-coreference), coordination expanded."""
        out: list[tuple[str, bool]] = []
        for t in (tok, *tok.conjuncts) if conj else (tok,):
            m = self.tok2actor.get(t.i)
            if m is not None and m.type == "Organization" and (m.start, m.end) in self.title_orgs:
                m = self.title_orgs[(m.start, m.end)]
            if m is not None:
                # "FreshWay and Harvest Market" parsed as a modifier of "Market": the first name is a conjunct
                out += [(self.tok2actor[c.i].key, False) for c in t.lefts if conj and c.dep_ in ("nmod", "compound")
                        and c.i in self.tok2actor and self.tok2actor[c.i] is not m
                        and any(x.dep_ == "cc" for x in c.children)]
                out.append((m.key, False))
                continue
            if t.i in self.tok2agr:
                continue
            if t.lower_ == "whose":
                # "the ICRC, whose regional director ...": the noun the relative clause hangs on
                clause = next((a for a in t.ancestors if a.dep_ == "relcl"), None)
                if clause is not None:
                    out.extend(self.actors(clause.head, conj=False))
                elif t.i >= 2 and self.doc[t.i - 1].text == ",":
                    out.extend(self.actors(self.doc[t.i - 2], conj=False))  # parsed as a clause of its own
                continue
            # an apposition names the noun: "whose trade minister, Liam Doyle, attended"
            appos = [c for c in t.children if c.dep_ == "appos" and c.i in self.tok2actor]
            if not appos and t.lower_ in lx.ROLE_HEADS:
                # "The chair of the Supporters' Trust, Karen Whitlow, welcomed ...": the parser may hang the
                # name on the last noun of the title
                appos = [c for c in t.subtree if c.dep_ == "appos" and c.i in self.tok2actor
                         and self.tok2actor[c.i].type == "Person"][:1]
            if appos:
                out.extend(self.actors(appos[0]))
                continue
            holder = self._role_holder(t)
            if holder is not None:
                out.append((holder, True))
                continue
            # a proxy speaks for its possessor: "her office said", "Ukraine's government agreed",
            # "negotiators for Colombia's government", "officials from the ministry"
            lemma = t.lemma_.lower()
            if t.pos_ == "NOUN" and (lemma in lx.DEMONYM_PROXIES or lemma.rstrip("s") in lx.DEMONYM_PROXIES):
                named = self._demonym_countries(t)
                if named:
                    out.extend(named)
                    continue
            if lemma in lx.PROXY_NOUNS or (lemma == t.lower_ and lemma[:-1] in lx.PROXY_NOUNS and lemma[-1:] == "s"):
                # (a capitalised plural the lemmatiser left alone: "Negotiators for ...")
                for c in t.children:
                    if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("for", "from", "of")):
                        # "officials from Iran and Saudi Arabia": both (not the proxy's own conjuncts)
                        for o in (c,) if c.dep_ == "poss" else [x for x in c.children if x.dep_ == "pobj"]:
                            out.extend(self.actors(o, conj=c.dep_ == "prep"))
                continue
            out.extend((k, True) for k in self.coref.resolve(t))
        seen: set[str] = set()
        return [(k, r) for k, r in out if not (k in seen or seen.add(k))]

    def _role_holder(self, t: Token) -> str | None:
        """"the party's leader", "the company's chief executive": the one person named earlier with that role
        at that organisation ("Unity Party leader Ana Roe"); None when no one or more than one fits."""
        if t.lower_ not in lx.ROLE_HEADS or t.tag_ == "NNS":
            return None
        owners = {k for c in t.children if c.dep_ == "poss" for k, _r in self.actors(c, conj=False)}
        if not owners:
            return None
        spans = {(m.start, m.end): m.key for m in self.mentions}
        found = {m.key for m in self.mentions if m.type == "Person" and m.start < t.i
                 and any(t.lower_ in r.lower().split() for r in m.roles)
                 and owners & {spans.get(o) for o in m.orgs}}
        return found.pop() if len(found) == 1 else None

    def _demonym_countries(self, t: Token) -> list[tuple[str, bool]]:
        """"Arlandian officials", "Arlandian and Borvian negotiators", "the leaders of Arland and Borvia":
        the countries a proxy noun acts for (none when it has a possessor or names no country)."""
        if any(c.dep_ == "poss" for c in t.children):
            return []  # "Arland's officials": the possessor, read by the proxy rule below
        if t.tag_ != "NNS" and t.lemma_.lower() in lx.PERSON_PROXIES:
            return []  # "said the Latvian envoy": one person, for coreference
        out: list[tuple[str, bool]] = []
        for c in t.children:
            if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP":
                for d in (c, *c.conjuncts):
                    span = next((e for e in self.doc.ents if e.start <= d.i < e.end), None)
                    name = demonym_country(span.text if span is not None else d.text) if d.ent_type_ == "NORP" \
                        else None
                    key = entity_key("Country", name) if name else None
                    if key is not None and key in self.types:  # a country the article names itself
                        out.append((key, False))
        if not out and t.lemma_.lower() in ("leader", "leadership", "government", "representative"):
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for o in prep.children:
                        if o.dep_ == "pobj":
                            out += [(k, r) for k, r in self.actors(o) if self.types.get(k) == "Country"]
        return out

    def in_quote(self, tok: Token) -> bool:
        """Is the token inside quotation marks (someone's words, not the narrator's)?"""
        return any(a <= tok.idx < b for a, b in self.quote_spans)

    def country(self, name: str) -> str:
        """The key of a country the text names only indirectly ("the Armenian town of ..."), registered."""
        key = entity_key("Country", name)
        if key not in self.types:
            self.metonyms[key] = name
            self.types[key] = "Country"
        return key

    def agents(self, found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
        """Doers of an act: a capital city that acts stands for its country ("Moscow accused Kyiv")."""
        out = []
        for key, resolved in found:
            name = self.capital_of.get(key)
            if name is not None:
                key = self.country(name)
            out.append((key, resolved))
        return out

    def agreement(self, tok: Token) -> str | None:
        """The agreement key of a phrase head, looking through "the terms of the deal"."""
        if tok.i in self.tok2agr:
            return self.agreement_keys[self.tok2agr[tok.i]]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.i in self.tok2agr:
                        return self.agreement_keys[self.tok2agr[obj.i]]
        return None

    def agreement_pronoun(self, tok: Token) -> str | None:
        """"Japan declined it": a neuter pronoun object stands for the latest agreement of this or the last sentence."""
        if tok.lower_ not in ("it", "this", "that") or tok.pos_ != "PRON":
            return None
        sent = self.sent_of[tok.i]
        before = [a for a in self.agreements if a.head < tok.i and sent - a.sent <= 1]
        return self.agreement_keys[before[-1].cluster] if before else None

    def latest_event(self, tok: Token, window: int = 2) -> str | None:
        """The latest meeting, summit or talks before ``tok`` in its sentence or the ``window`` before it:
        what "X attended" (with no object) attended."""
        sent = self.sent_of[tok.i]
        before = [a for a in self.agreements if a.head < tok.i and sent - a.sent <= window and a.type in lx.EVENT_TYPES]
        return self.agreement_keys[before[-1].cluster] if before else None

    def provenance(self, tok: Token, confidence: float, *, resolved: bool = False) -> Provenance:
        """The evidence for a fact read at ``tok``: its sentence and character span in the article."""
        n = self.sent_of[tok.i]
        if (found := self._evidence.get(n)) is None:
            sent = self.sents[n]
            whole = sent.text
            text = whole.strip()
            found = self._evidence[n] = (text, sent.start_char + (len(whole) - len(whole.lstrip())))
        text, start = found
        conf = round(confidence * (0.8 if resolved else 1.0), 3)
        return Provenance(self.article.id, text, start, start + len(text), conf, resolved)
