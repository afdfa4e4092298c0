"""Byte-stable serialisation of rdflib graphs and of sorted N-Triples text, in every RDF format newsgraph writes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.compare import to_canonical_graph

from ..errors import UsageError
from ..vocab import (
    CONTEXT_FILE,
)
from .formats import by_name
from .iris import dir_names

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")





def serialize(g: Graph, fmt: str = "turtle") -> str:
    """Serialize so that the same graph gives the same bytes in every run and process.

    rdflib's serializers follow store or hash order, which changes with PYTHONHASHSEED. So N-Triples
    lines are sorted (Turtle is written from them, see ntriples_to_turtle), the triples go into a fresh
    graph in sorted order for the other formats, and JSON-LD nodes and RDF/XML blocks are sorted after
    the fact. Blank nodes, which to_rdf never makes, are relabelled canonically. JSON-LD is compacted
    with ontology/context.jsonld.
    """
    name = by_name(fmt).rdflib
    if name in ("nquads", "trig"):
        raise UsageError(f"{fmt} holds named graphs: write it with graph.rdf.dataset, not serialize()")
    namespaces = sorted(g.namespaces())
    triples = list(g)
    plain = type(g) is Graph  # a plain graph with no blank nodes can be written as it is
    if any(isinstance(t, BNode) for triple in triples for t in triple):
        triples = list(to_canonical_graph(g))
        plain = False
    if name in ("nt", "turtle"):
        nt = g
        if not plain:
            nt = Graph(bind_namespaces="none")
            for triple in triples:
                nt.add(triple)
        # rdflib escapes fewer characters than canonical N-Triples: lines as Oxigraph (and the mapping) write them
        parsed = ox.parse(nt.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        lines = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in parsed)
        text = "\n".join(lines) + "\n" if lines else ""
        return text if name == "nt" else ntriples_to_turtle(text, {p: str(ns) for p, ns in namespaces})
    out = Graph(bind_namespaces="none")
    for prefix, ns in namespaces:
        out.bind(prefix, ns, override=True, replace=True)
    for triple in sorted(triples, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    if name == "json-ld":  # rdflib orders JSON-LD nodes by hash: sort them by @id
        doc = json.loads(out.serialize(format="json-ld", context=_context()))
        if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
            doc["@graph"].sort(key=lambda node: json.dumps(node, sort_keys=True, ensure_ascii=False))
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if name == "xml":  # XML 1.0 cannot hold most control characters: they become U+FFFD, as in GraphML
        safe = Graph(bind_namespaces="none")
        for prefix, ns in namespaces:
            safe.bind(prefix, ns, override=True, replace=True)
        for s_, p_, o_ in sorted(triples, key=lambda t: tuple(x.n3() for x in t)):
            if isinstance(o_, Literal) and _XML_ILLEGAL.search(str(o_)):
                o_ = Literal(_XML_ILLEGAL.sub("\ufffd", str(o_)), lang=o_.language, datatype=o_.datatype)
            safe.add((s_, p_, o_))
        return _sort_xml_blocks(safe.serialize(format="xml"))
    return out.serialize(format=name)


def ntriples_to_turtle(nt: str, namespaces: Mapping[str, str], *, key_root: str | None = None) -> str:
    """Turtle of N-Triples text by Oxigraph's writer, keeping the line order (sorted lines: sorted subjects).

    rdflib's Turtle writer costs seconds per 100,000 triples; this one milliseconds, so a build can
    write graph.ttl straight from the sorted lines it already has. A prefix is declared when some IRI
    (or datatype) lies in its namespace; prefixes in name order, a blank line between subjects. With
    ``key_root`` (``node_iri("")``), the key directories under it get prefixes as :func:`to_rdf` binds them.
    """
    data = nt.encode("utf-8")
    iris = _iris(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))  # parsed twice rather than held
    namespaces = {p: str(ns) for p, ns in namespaces.items()}
    if key_root is not None:
        namespaces.update((d, key_root + d + "/") for d in dir_names(iris, key_root, set(namespaces)))
    by_ns = {ns: prefix for prefix, ns in namespaces.items()}
    used: dict[str, str] = {}
    for iri in iris:
        for i, c in enumerate(iri):
            if c in "/#:" and (prefix := by_ns.get(iri[: i + 1])) is not None:
                used[prefix] = iri[: i + 1]
    prefixes = {p: used[p] for p in sorted(used)}
    body = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes).decode("utf-8")
    del data
    # Oxigraph escapes newlines in literals, so every line is a prefix, a new subject or a tab-indented
    # continuation; spacing it like rdflib's output keeps the file easy to read.
    head: list[str] = []
    out: list[str] = []
    for line in body.split("\n"):
        if line.startswith("\t"):
            out.append("    " + line[1:])
        elif line.startswith("@prefix"):
            head.append(line)  # the writer's prefix order is its hash map's: sort them
        elif line:
            out += ["", line]
    return "\n".join(sorted(head) + out) + "\n" if out or head else ""


def _iris(triples: Iterable[ox.Triple]) -> set[str]:
    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return iris


def _sort_xml_blocks(xml: str) -> str:
    """rdflib's RDF/XML lists subjects in hash order; sort the top-level rdf:Description blocks.

    Property elements inside a block keep the (sorted) insertion order. Markup inside literals is
    escaped, so a line starting a block can only be a real block start.
    """
    lines = xml.split("\n")
    start = lines.index(">") + 1
    end = len(lines) - 1 - lines[::-1].index("</rdf:RDF>")
    blocks: list[list[str]] = []
    for line in lines[start:end]:
        if line.startswith("  <rdf:Description "):
            blocks.append([line])
        else:
            blocks[-1].append(line)
    body = ["\n".join(b) for b in sorted(blocks, key=lambda b: "\n".join(b))]
    return "\n".join([*lines[:start], *body, *lines[end:]])


@lru_cache(maxsize=1)
def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
