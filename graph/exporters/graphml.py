"""GraphML for Gephi, yEd and Cytoscape: actors, agreements and quotes as nodes, relations as edges.

A networkx MultiDiGraph (one edge per piece of evidence, keyed by its evidence id) written with
``networkx.write_graphml`` (the lxml writer, which keeps ``\\r`` as ``&#13;``). Articles are not nodes
(they would be hubs that pull every layout together); each node lists them in ``articles``.

Node attributes: ``label``, ``kind`` (entity / agreement / event / statement), ``type`` (ontology class),
``aliases``, ``roles``, ``articles`` (lists joined with `` | ``; for exact lists use the csv, neo4j or RDF
exports), ``status``, ``date``, ``code``, ``cue``, ``iri``. Edge attributes: ``predicate`` (ontology name,
also as ``label``), ``sentence``, ``article``, ``start``, ``end`` (ints), ``confidence`` (double),
``modality``, ``date``.

XML 1.0 cannot hold most control characters at all (not even escaped): every character outside
``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`` is replaced by U+FFFD (the
replacement character), so the file always parses; everything else survives byte for byte.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import networkx as nx

from ..atomic import atomic_write_bytes
from ..model import KnowledgeGraph
from ..rdf import node_iri
from ..records import EVENT_TYPES
from .property_graph import evidence_key

#: Characters XML 1.0 forbids; replaced by U+FFFD.
XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"
LIST_SEPARATOR = " | "


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub(REPLACEMENT, text)


def _attrs(**values: object) -> dict[str, object]:
    """Drop missing values (GraphML has no null); make strings XML-safe."""
    out: dict[str, object] = {}
    for k, v in values.items():
        if isinstance(v, (tuple, list)):
            v = LIST_SEPARATOR.join(v)
        if v is None or v == "":
            continue
        out[k] = xml_safe(v) if isinstance(v, str) else v
    return out


def to_graph(kg: KnowledgeGraph, *, base: str) -> nx.MultiDiGraph:
    """The graph that is written, with nodes and edges in sorted order (GraphML keeps insertion order)."""
    g = nx.MultiDiGraph()
    nodes: dict[str, dict[str, object]] = {}
    for key, ent in kg.entities.items():
        nodes[key] = _attrs(label=ent.label, kind="entity", type=ent.type, aliases=ent.aliases,
                            roles=tuple(sorted(set(ent.roles))), articles=ent.articles, code=ent.code)
    for key, agr in kg.agreements.items():
        nodes.setdefault(key, _attrs(
            label=agr.label, kind="event" if agr.type in EVENT_TYPES else "agreement", type=agr.type,
            aliases=agr.aliases, status=agr.status, date=agr.date, articles=agr.articles))
    for key, st in kg.statements.items():
        nodes.setdefault(key, _attrs(label=st.text, kind="statement", type="Claim" if st.kind == "claim" else
                                     "Statement", cue=st.cue, articles=(st.provenance.article,)))
    edges: list[tuple[str, str, str, dict[str, object]]] = []
    for key, agr in kg.agreements.items():
        if agr.place:
            edges.append((key, agr.place, f"place:{key}", _attrs(predicate="place", label="place")))
    for key, st in kg.statements.items():
        pred = "claimed" if st.kind == "claim" else "said"
        pv = st.provenance
        for sp in sorted(set(st.speakers)):
            edges.append((sp, key, f"{pred}:{sp}:{key}", _attrs(
                predicate=pred, label=pred, sentence=pv.sentence, article=pv.article, start=int(pv.start),
                end=int(pv.end), confidence=float(pv.confidence))))
    for rel in kg.relations:
        pv = rel.provenance
        edges.append((rel.subject, rel.object, evidence_key(rel.subject, rel.predicate, rel.object, pv), _attrs(
            predicate=rel.predicate, label=rel.predicate, sentence=pv.sentence, article=pv.article,
            start=int(pv.start), end=int(pv.end), confidence=float(pv.confidence), modality=rel.modality,
            date=rel.date)))
    for s, o, _, _ in edges:  # a relation end that is no known node still gets a labelled node
        for key in (s, o):
            nodes.setdefault(key, _attrs(label=key, kind="resource"))
    for key in sorted(nodes):
        g.add_node(xml_safe(key), **nodes[key], iri=str(node_iri(key, base)))
    for s, o, k, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        g.add_edge(xml_safe(s), xml_safe(o), key=xml_safe(k), **data)
    return g


def render(kg: KnowledgeGraph, *, base: str) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml_lxml(to_graph(kg, base=base), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """GraphML (registry entry ``graphml``), byte-identical for the same graph."""
    atomic_write_bytes(path, render(kg, base=base))
