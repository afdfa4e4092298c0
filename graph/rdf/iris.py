"""IRIs: of nodes (``base + key``), of the named graphs (one scheme for the store and every file), of prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, URIRef
from rdflib.namespace import SKOS

from ..vocab import (
    DEFAULT_BASE,
    NG,
    PROV,
    SCHEMA,
)

_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@lru_cache(maxsize=1 << 16)
def node_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """``base + key``, percent-encoding anything outside unreserved characters and ``/``.

    Keys are slugs already; the guard makes even a hand-made key (spaces, ``#``, non-ASCII) a valid
    IRI. A base without a trailing ``/``, ``#`` or ``:`` gets a ``/`` so keys do not glue onto it.
    Cached: every article graph names the same few thousand nodes, and rdflib checks each IRI it makes.
    """
    if base and base[-1] not in "/#:":
        base += "/"
    return URIRef(base + quote(key, safe="/"))


#: The named graphs, one scheme for the store, graph.nq, TriG and every export: ``<base>graph/article/<id>``
#: holds what one article says, ``<base>graph/nodes`` every merged node's description, and the merged graph
#: (their union) is ``<base>graph/merged`` in the store and the default graph in files.
MERGED = "merged"
NODES = "nodes"


def graph_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """``<base>graph/<name>``: the graph :data:`MERGED` or :data:`NODES`."""
    return str(node_iri(f"graph/{name}", base))


def article_graph_iri(article_id: str, base: str = DEFAULT_BASE) -> str:
    """``<base>graph/article/<id>``: the named graph of one article."""
    return graph_iri(f"article/{article_id}", base)


def base_namespaces(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes :func:`to_rdf` binds whatever the graph holds (key directories come on top)."""
    return {**{prefix: str(ns) for prefix, ns in STANDARD_PREFIXES}, "id": str(node_iri("", base))}


STANDARD_PREFIXES = (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD), ("skos", SKOS), ("schema", SCHEMA),
             ("prov", PROV), ("ng", NG))


def dir_names(iris: Iterable[str], root: str, taken: set[str]) -> list[str]:
    """Key directories (``person``, ``evidence`` ...) under ``root`` that can be prefix names, sorted."""
    dirs = set()
    for t in iris:
        if t.startswith(root):
            head, sep, _rest = t[len(root):].partition("/")
            if sep and _PREFIX_NAME.match(head) and head not in taken:
                dirs.add(head)
    return sorted(dirs)
