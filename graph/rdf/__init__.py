"""The RDF face of a KnowledgeGraph: IRIs, mapping, byte-stable serialisation, SHACL validation, and back.

    iris.py       node and named-graph IRIs, prefixes
    mapping.py    KnowledgeGraph -> N-Triples / rdflib graph (canonical literals)
    serialize.py  byte-stable Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads
    shacl.py      validation against ontology/shapes.ttl
    reverse.py    RDF -> KnowledgeGraph
"""

from __future__ import annotations

from .iris import article_graph_iri, base_namespaces, graph_iri, node_iri
from .mapping import to_ntriples, to_rdf
from .reverse import from_rdf, guess_base
from .serialize import ntriples_to_turtle, serialize
from .shacl import validate, validate_ntriples, warm_up

__all__ = ["article_graph_iri", "base_namespaces", "from_rdf", "graph_iri", "guess_base", "node_iri",
           "ntriples_to_turtle", "serialize", "to_ntriples", "to_rdf", "validate", "validate_ntriples", "warm_up"]
