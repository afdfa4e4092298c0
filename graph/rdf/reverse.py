"""Back from RDF: the KnowledgeGraph a graph written by the mapping holds, so every command can work from a file."""

from __future__ import annotations

from urllib.parse import unquote

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ..model import KnowledgeGraph
from ..records import ENTITY_TYPES, Agreement, Article, Entity, Provenance, Relation, Statement
from ..vocab import (
    AGREEMENT_TYPES,
    DEFAULT_BASE,
    EVENT_TYPES,
    NG,
    PROV,
    SCHEMA,
)
from .iris import node_iri


def guess_base(g: Graph) -> str:
    """The base IRI a graph was written with, read off its article nodes (``base + "article/" + id``)."""
    for a in sorted(g.subjects(RDF.type, NG.NewsArticle)):
        aid = g.value(a, NG.articleId)
        suffix = "article/" + str(aid) if aid is not None else None
        if suffix and str(a).endswith(suffix):
            return str(a)[: -len(suffix)]
    return DEFAULT_BASE


def from_rdf(g: Graph, *, base: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph a graph written by :func:`to_rdf` holds; ``to_rdf(from_rdf(g))`` equals ``g``.

    Lets every command work from ``out/graph.ttl`` alone (view, export, notebooks), whatever built it.
    Article texts are not in the graph, so loaded articles have an empty ``text``.
    """
    root = str(node_iri("", base or guess_base(g)))

    def key(node: Node) -> str:
        s = str(node)
        return unquote(s[len(root):]) if s.startswith(root) else s

    def text(node: Node, p: URIRef) -> str | None:
        v = g.value(node, p)
        return str(v) if v is not None else None

    def texts(node: Node, p: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in g.objects(node, p)))

    def provenance(node: Node) -> Provenance:
        conf = g.value(node, NG.confidence)
        return Provenance(
            article=key(g.value(node, PROV.wasDerivedFrom))[len("article/"):],
            sentence=text(node, NG.sentence) or "", start=int(g.value(node, NG.startChar) or 0),
            end=int(g.value(node, NG.endChar) or 0), confidence=float(conf) if conf is not None else 0.0,
            resolved=bool(g.value(node, NG.resolvedMention)))

    def mentioned_in(node: Node) -> tuple[str, ...]:
        return tuple(sorted(key(a)[len("article/"):] for a in g.subjects(NG.mentions, node)))

    kg = KnowledgeGraph()
    for a in g.subjects(RDF.type, NG.NewsArticle):
        aid = text(a, NG.articleId) or key(a)[len("article/"):]
        title = text(a, SCHEMA.headline)
        label = text(a, RDFS.label)
        kg.articles[aid] = Article(
            id=aid, text="", path=label if label not in (None, title, aid) else "", title=title,
            published=text(a, SCHEMA.datePublished), source=text(a, SCHEMA.publisher),
            author=text(a, SCHEMA.author), url=text(a, SCHEMA.url), language=text(a, SCHEMA.inLanguage))
    for typ in ENTITY_TYPES:
        for n in g.subjects(RDF.type, NG[typ]):
            kg.entities[key(n)] = Entity(
                key=key(n), type=typ, label=text(n, RDFS.label) or key(n), aliases=texts(n, SKOS.altLabel),
                roles=texts(n, NG.holdsRole), articles=mentioned_in(n), code=text(n, NG.isoCode))
    for typ in AGREEMENT_TYPES + EVENT_TYPES:
        for n in g.subjects(RDF.type, NG[typ]):
            place = g.value(n, NG.place)
            kg.agreements[key(n)] = Agreement(
                key=key(n), type=typ, label=text(n, RDFS.label) or key(n), aliases=texts(n, SKOS.altLabel),
                status=text(n, NG.status), scope=text(n, NG.scope), duration=text(n, NG.duration),
                place=key(place) if place is not None else None, date=text(n, NG.date),
                articles=mentioned_in(n))
    for n in g.subjects(RDF.type, NG.Statement):
        kg.statements[key(n)] = Statement(
            key=key(n), speakers=tuple(sorted(key(s) for s in g.objects(n, NG.speaker))),
            text=text(n, NG.quote) or "", cue=text(n, NG.cue) or "",
            kind="claim" if (n, RDF.type, NG.Claim) in g else "quote", provenance=provenance(n))
    for ev in g.subjects(RDF.type, RDF.Statement):
        pred = g.value(ev, RDF.predicate)
        if pred is None or not str(pred).startswith(str(NG)):
            continue
        kg.relations.append(Relation(
            subject=key(g.value(ev, RDF.subject)), predicate=str(pred)[len(str(NG)):],
            object=key(g.value(ev, RDF.object)), provenance=provenance(ev),
            modality=text(ev, NG.modality) or "asserted", date=text(ev, NG.date)))
    kg._sort()
    return kg
