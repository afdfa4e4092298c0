"""KnowledgeGraph -> triples in the newsgraph ontology, as sorted N-Triples text (the build) or an rdflib graph.

Every relation is written twice, on purpose: as a direct triple (so SPARQL and the scorer can follow
it) and as an ``rdf:Statement`` reification carrying its evidence (article, sentence, offsets,
confidence). No blank nodes are minted, so the same KnowledgeGraph always gives the same triples.
Literals are written in their canonical form (as Oxigraph stores them), so the build's lines and the
store's compare equal as text and nothing is parsed again to normalise them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..keys import article_key, digest
from ..model import KnowledgeGraph
from ..records import ENTITY_TYPES, RELATION_TYPES, Provenance
from ..vocab import (
    AGREEMENT_TYPES,
    DEFAULT_BASE,
    EVENT_TYPES,
    NG,
    PROV,
    SCHEMA,
)
from .iris import STANDARD_PREFIXES, dir_names, node_iri

__all__ = ["to_ntriples", "to_rdf"]


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


_YEAR = re.compile(r"^\d{4}$")


_IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")


def to_rdf(kg: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> Graph:
    """Map the KnowledgeGraph to triples in the newsgraph ontology (see ontology/newsgraph.ttl).

    Node IRIs are ``base + key``; evidence nodes are ``base + "evidence/" + digest``. Types come from
    the records: an agreement type the ontology does not know becomes ng:Agreement, an unknown entity
    type ng:Actor. Dates that are not ISO dates are left out rather than written ill-typed. The triples
    are those of :func:`to_ntriples`, read into an rdflib graph with the prefixes bound.
    """
    g = Graph(bind_namespaces="none")
    _bind(g, base)
    text = to_ntriples(kg, base=base)
    if text:
        g.parse(data=text, format="nt")
    _bind_dirs(g, base)
    return g


def to_ntriples(kg: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> str:
    """The triples of :func:`to_rdf` as sorted N-Triples lines, written as rdflib's serializer writes them.

    Terms are formatted as text rather than built as rdflib objects: the build maps every article this
    way, and building rdflib terms (each IRI checked, each literal normalised) cost more than validating.
    """
    lines: set[str] = set()
    _map(kg, base, lines)
    return "".join(sorted(lines))


def _map(kg: KnowledgeGraph, base: str, out: set[str]) -> None:
    """The N-Triples lines of ``kg``, added to ``out``."""

    def add(s: str, p: str, o: str | None) -> None:
        if o is not None:
            out.add(f"{s} {p} {o} .\n")

    def add_opt(s: str, p: str, value: str | None) -> None:
        if value is not None and value.strip():
            out.add(f"{s} {p} {_plain(value)} .\n")

    def iri(key: str) -> str:
        return _node_term(key, base)

    for aid, art in kg.articles.items():
        a = iri(article_key(aid))
        add(a, _T.type, _T.NewsArticle)
        add(a, _T.label, _plain(art.title or art.path or art.id))
        add(a, _T.articleId, _plain(art.id))
        add_opt(a, _T.headline, art.title)
        add(a, _T.datePublished, _date_literal(art.published))
        add_opt(a, _T.author, art.author)
        add_opt(a, _T.publisher, art.source)
        add_opt(a, _T.inLanguage, art.language)
        if art.url:
            add(a, _T.url, _url_term(art.url))

    for key, ent in kg.entities.items():
        n = iri(key)
        add(n, _T.type, _ng(ent.type if ent.type in ENTITY_TYPES else "Actor"))
        _add_labels(add, n, ent.label, ent.aliases)
        for role in sorted(set(ent.roles)):
            add_opt(n, _T.holdsRole, role)
        add_opt(n, _T.isoCode, ent.code)
        for aid in ent.articles:
            add(iri(article_key(aid)), _T.mentions, n)

    for key, agr in kg.agreements.items():
        n = iri(key)
        add(n, _T.type, _ng(agr.type if agr.type in AGREEMENT_TYPES + EVENT_TYPES else "Agreement"))
        _add_labels(add, n, agr.label, agr.aliases)
        add_opt(n, _T.status, agr.status)
        add_opt(n, _T.scope, agr.scope)
        add_opt(n, _T.duration, agr.duration)
        if agr.place:
            add(n, _T.place, iri(agr.place))
        add(n, _T.date, _date_literal(agr.date))
        for aid in agr.articles:
            add(iri(article_key(aid)), _T.mentions, n)

    for key, st in kg.statements.items():
        n = iri(key)
        claim = st.kind == "claim"
        add(n, _T.type, _T.Statement)
        if claim:
            add(n, _T.type, _T.Claim)
        add(n, _T.quote, _plain(st.text))
        add_opt(n, _T.cue, st.cue)
        for sp in st.speakers:
            add(n, _T.speaker, iri(sp))
            add(iri(sp), _T.claimed if claim else _T.said, n)
        _add_provenance(add, n, st.provenance, base)

    for rel in kg.relations:
        if rel.predicate not in RELATION_TYPES:
            raise ValueError(f"relation predicate {rel.predicate!r} is not one of RELATION_TYPES")
        s, p, o = iri(rel.subject), _ng(rel.predicate), iri(rel.object)
        pv = rel.provenance
        ev = iri("evidence/" + digest(rel.subject, rel.predicate, rel.object, pv.article, str(pv.start), str(pv.end)))
        add(s, p, o)
        add(ev, _T.type, _T.rdfStatement)
        add(ev, _T.subject, s)
        add(ev, _T.predicate, p)
        add(ev, _T.object, o)
        _add_provenance(add, ev, pv, base)
        if rel.modality and rel.modality != "asserted":
            add(ev, _T.modality, _plain(rel.modality))
        for reporter in rel.reported_by:
            add(ev, _T.reportedBy, iri(reporter))
        add(ev, _T.date, _date_literal(rel.date))


def _bind(g: Graph, base: str) -> None:
    for prefix, ns in STANDARD_PREFIXES:
        g.bind(prefix, str(ns), override=True, replace=True)
    id_ns = str(node_iri("", base))
    if id_ns not in {str(ns) for _, ns in g.namespaces()}:
        g.bind("id", id_ns, override=True, replace=True)


def _bind_dirs(g: Graph, base: str) -> None:
    """Bind ``person:``, ``evidence:`` ... to the key directories used, so Turtle stays readable."""
    root = str(node_iri("", base))
    iris = {str(t) for s, _, o in g for t in (s, o) if isinstance(t, URIRef)}
    for d in dir_names(iris, root, {p for p, _ in g.namespaces()}):
        g.bind(d, root + d + "/", override=True, replace=True)


class _T:
    """The vocabulary's IRIs as N-Triples terms."""

    type, label, altLabel = RDF.type.n3(), RDFS.label.n3(), SKOS.altLabel.n3()
    rdfStatement, subject, predicate, object = (RDF.Statement.n3(), RDF.subject.n3(), RDF.predicate.n3(),
                                                 RDF.object.n3())
    headline, datePublished, author, publisher, inLanguage, url = (
        SCHEMA.headline.n3(), SCHEMA.datePublished.n3(), SCHEMA.author.n3(), SCHEMA.publisher.n3(),
        SCHEMA.inLanguage.n3(), SCHEMA.url.n3())
    wasDerivedFrom = PROV.wasDerivedFrom.n3()
    NewsArticle, Statement, Claim = NG.NewsArticle.n3(), NG.Statement.n3(), NG.Claim.n3()
    articleId, holdsRole, isoCode, mentions, status, scope, duration, place, date = (
        NG.articleId.n3(), NG.holdsRole.n3(), NG.isoCode.n3(), NG.mentions.n3(), NG.status.n3(), NG.scope.n3(),
        NG.duration.n3(), NG.place.n3(), NG.date.n3())
    quote, cue, speaker, claimed, said, modality = (NG.quote.n3(), NG.cue.n3(), NG.speaker.n3(), NG.claimed.n3(),
                                                    NG.said.n3(), NG.modality.n3())
    sentence, startChar, endChar, confidence, resolvedMention = (
        NG.sentence.n3(), NG.startChar.n3(), NG.endChar.n3(), NG.confidence.n3(), NG.resolvedMention.n3())
    reportedBy = NG.reportedBy.n3()
    true = Literal(True).n3()


@lru_cache(maxsize=256)
def _ng(name: str) -> str:
    return NG[name].n3()


@lru_cache(maxsize=1 << 16)
def _node_term(key: str, base: str) -> str:
    return node_iri(key, base).n3()


#: How a string is escaped in canonical N-Triples, as Oxigraph writes (and stores) it: the five ECHARs, quote and
#: backslash, and every other control character (and the two non-characters) as \\uXXXX.
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})


def _plain(value: str) -> str:
    """A plain literal in canonical N-Triples: the store gives back the same text, so lines compare as text."""
    return '"' + value.translate(_ESCAPES) + '"'


def _typed(lexical: str, datatype: URIRef) -> str:
    return f'"{lexical}"^^<{datatype}>'


def _add_labels(add: Callable[[str, str, str], None], n: str, label: str, aliases: tuple[str, ...]) -> None:
    add(n, _T.label, _plain(label))
    for alias in sorted(set(aliases)):
        if alias != label and alias.strip():
            add(n, _T.altLabel, _plain(alias))


def _add_provenance(add: Callable[[str, str, str], None], n: str, pv: Provenance, base: str) -> None:
    add(n, _T.wasDerivedFrom, _node_term(article_key(pv.article), base))
    add(n, _T.sentence, _plain(pv.sentence))
    add(n, _T.startChar, _typed(str(int(pv.start)), XSD.integer))
    add(n, _T.endChar, _typed(str(int(pv.end)), XSD.integer))
    add(n, _T.confidence, _decimal(pv.confidence))
    if pv.resolved:
        add(n, _T.resolvedMention, _T.true)


def _decimal(value: float) -> str:
    """xsd:decimal rounded to three places, in its canonical form ("0.9", "1", "0"), as the store keeps it."""
    try:
        d = Decimal(repr(float(value))).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # nan / inf: keep it visible, the shapes reject it
        return Literal(str(value), datatype=XSD.decimal).n3()
    return _typed(format(d.normalize() if not d.is_zero() else Decimal(0), "f"), XSD.decimal)


def _date_literal(value: str | None) -> str | None:
    """An ISO date as xsd:date (or gYearMonth / gYear when partial); None when it is not a date."""
    if not value:
        return None
    v = value.strip()
    if m := _DATE.match(v):
        try:
            dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return _typed(v[:10], XSD.date)
    if (m := _YEAR_MONTH.match(v)) and 1 <= int(m[2]) <= 12:
        return _typed(v, XSD.gYearMonth)
    if _YEAR.match(v):
        return _typed(v, XSD.gYear)
    return None


def _url_term(url: str) -> str:
    """An IRI for an absolute http(s) URL that is a valid IRI, else a literal (never a broken IRI)."""
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return _plain(url)
    if parts.scheme in ("http", "https") and parts.netloc and not _IRI_UNSAFE.search(u):
        return URIRef(u).n3()
    return _plain(url)
