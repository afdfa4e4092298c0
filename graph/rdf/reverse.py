"""Back from RDF: the KnowledgeGraph a graph written by the mapping holds, so every command can work from a file.

One reverse mapping over triples as Oxigraph parses them (a build's lines, a store's merged graph, a Turtle
file): Oxigraph's parser reads 100,000 triples in a fraction of what rdflib needs, and an rdflib graph goes
through the same function by way of its N-Triples. ``to_rdf(from_rdf(g))`` equals ``g``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pyoxigraph as ox

from ..model import KnowledgeGraph
from ..records import AGREEMENT_TYPES, ENTITY_TYPES, EVENT_TYPES, Agreement, Article, Entity, Provenance, Relation
from ..records import Statement as StatementRecord
from ..vocab import DEFAULT_BASE, NG_URI
from .iris import node_iri

if TYPE_CHECKING:
    from rdflib import Graph

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SCHEMA = "https://schema.org/"
_PROV = "http://www.w3.org/ns/prov#"
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = (_RDF + n for n in ("type", "subject", "predicate", "object"))
_LABEL, _ALT = _RDFS + "label", _SKOS + "altLabel"


class _Index:
    """subject -> predicate -> sorted object values, and the subjects of each class (what the mapping wrote)."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        props: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(
            lambda: defaultdict(list))
        self.of_type: dict[str, list[str]] = defaultdict(list)
        self.mentioned_in: dict[str, list[str]] = defaultdict(list)
        for t in triples:
            s, p = t.subject.value, t.predicate.value  # type: ignore[union-attr]
            props[s][p].append(t.object)  # type: ignore[arg-type]
            if p == _TYPE:
                self.of_type[t.object.value].append(s)  # type: ignore[union-attr]
            elif p == NG_URI + "mentions":
                self.mentioned_in[t.object.value].append(s)  # type: ignore[union-attr]
        self.props = props

    def value(self, s: str, p: str) -> str | None:
        values = self.props.get(s, {}).get(p)
        return min(v.value for v in values) if values else None

    def values(self, s: str, p: str) -> list[str]:
        return sorted(v.value for v in self.props.get(s, {}).get(p, ()))

    def has(self, s: str, p: str, o: str) -> bool:
        return o in self.values(s, p)

    def subjects(self, cls: str) -> list[str]:
        return sorted(set(self.of_type.get(cls, ())))


def guess_base(triples: Iterable[ox.Triple] | Graph) -> str:
    """The base IRI a graph was written with, read off its article nodes (``base + "article/" + id``)."""
    return _guess(_index(triples))


def _guess(ix: _Index) -> str:
    for a in ix.subjects(NG_URI + "NewsArticle"):
        aid = ix.value(a, NG_URI + "articleId")
        suffix = "article/" + aid if aid is not None else None
        if suffix and a.endswith(suffix):
            return a[: -len(suffix)]
    return DEFAULT_BASE


def _index(source: Iterable[ox.Triple] | Graph) -> _Index:
    if hasattr(source, "serialize"):  # an rdflib graph: through its N-Triples
        data = source.serialize(format="nt", encoding="utf-8")  # type: ignore[union-attr]
        source = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[assignment]
    return _Index(source)  # type: ignore[arg-type]


def from_rdf(source: Iterable[ox.Triple] | Graph, *, base: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph that triples written by :func:`graph.rdf.to_rdf` hold (Oxigraph triples or an rdflib graph).

    Lets every command work from ``out/graph.ttl`` or the store alone (view, export, notebooks), whatever
    built it. Article texts are not in the graph, so loaded articles have an empty ``text``.
    """
    ix = _index(source)
    root = str(node_iri("", base or _guess(ix)))
    ng = NG_URI.__add__

    def key(iri: str) -> str:
        return unquote(iri[len(root):]) if iri.startswith(root) else iri

    def article(iri: str | None) -> str:
        return key(iri or "")[len("article/"):]

    def provenance(n: str) -> Provenance:
        conf = ix.value(n, ng("confidence"))
        return Provenance(
            article=article(ix.value(n, _PROV + "wasDerivedFrom")), sentence=ix.value(n, ng("sentence")) or "",
            start=int(ix.value(n, ng("startChar")) or 0), end=int(ix.value(n, ng("endChar")) or 0),
            confidence=float(conf) if conf is not None else 0.0, resolved=ix.value(n, ng("resolvedMention")) == "true")

    def mentioned_in(n: str) -> tuple[str, ...]:
        return tuple(sorted(article(a) for a in ix.mentioned_in.get(n, ())))

    kg = KnowledgeGraph()
    for a in ix.subjects(ng("NewsArticle")):
        aid = ix.value(a, ng("articleId")) or article(a)
        title, label = ix.value(a, _SCHEMA + "headline"), ix.value(a, _LABEL)
        kg.articles[aid] = Article(
            id=aid, text="", path=label if label not in (None, title, aid) else "", title=title,
            published=ix.value(a, _SCHEMA + "datePublished"), source=ix.value(a, _SCHEMA + "publisher"),
            author=ix.value(a, _SCHEMA + "author"), url=ix.value(a, _SCHEMA + "url"),
            language=ix.value(a, _SCHEMA + "inLanguage"))
    for typ in ENTITY_TYPES:
        for n in ix.subjects(ng(typ)):
            kg.entities[key(n)] = Entity(
                key=key(n), type=typ, label=ix.value(n, _LABEL) or key(n), aliases=tuple(ix.values(n, _ALT)),
                roles=tuple(ix.values(n, ng("holdsRole"))), articles=mentioned_in(n), code=ix.value(n, ng("isoCode")))
    for typ in AGREEMENT_TYPES + EVENT_TYPES:
        for n in ix.subjects(ng(typ)):
            place = ix.value(n, ng("place"))
            kg.agreements[key(n)] = Agreement(
                key=key(n), type=typ, label=ix.value(n, _LABEL) or key(n), aliases=tuple(ix.values(n, _ALT)),
                status=ix.value(n, ng("status")), scope=ix.value(n, ng("scope")),
                duration=ix.value(n, ng("duration")), place=key(place) if place is not None else None,
                date=ix.value(n, ng("date")), articles=mentioned_in(n))
    for n in ix.subjects(ng("Statement")):
        kg.statements[key(n)] = StatementRecord(
            key=key(n), speakers=tuple(sorted(key(s) for s in ix.values(n, ng("speaker")))),
            text=ix.value(n, ng("quote")) or "", cue=ix.value(n, ng("cue")) or "",
            kind="claim" if ix.has(n, _TYPE, ng("Claim")) else "quote", provenance=provenance(n))
    for ev in ix.subjects(_RDF + "Statement"):
        pred = ix.value(ev, _PREDICATE)
        if pred is None or not pred.startswith(NG_URI):
            continue
        kg.relations.append(Relation(
            subject=key(ix.value(ev, _SUBJECT) or ""), predicate=pred[len(NG_URI):],
            object=key(ix.value(ev, _OBJECT) or ""), provenance=provenance(ev),
            modality=ix.value(ev, ng("modality")) or "asserted", date=ix.value(ev, ng("date")),
            reported_by=tuple(sorted(key(r) for r in ix.values(ev, ng("reportedBy"))))))
    kg._sort()
    return kg


def from_ntriples(lines: Iterable[str], *, base: str | None = None) -> KnowledgeGraph:
    """:func:`from_rdf` of N-Triples lines (a build's or a store's), parsed by Oxigraph."""
    data = "\n".join(lines).encode("utf-8")
    return from_rdf(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), base=base)
