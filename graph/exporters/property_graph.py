"""The KnowledgeGraph as a labelled property graph, shared by the Neo4j, Cypher, GraphML and CSV exporters.

Property-graph databases want what RDF spreads over many triples on one node or edge: a label, typed
properties and one relationship per piece of evidence. The mapping is made once here, so a node has the
same label, id and properties whichever of those formats it is written in:

* node ``id`` is the KnowledgeGraph key (``person/jane-roe``; articles ``article/<id>``), ``iri`` the RDF
  IRI under ``base``; the primary label is Person, Organization, Country, Place (Actor for other entity
  types), Agreement or Event (the ontology class, e.g. Ceasefire, as extra label), Statement (Claim as
  extra label) or Article; a key that is only referenced becomes a bare ``Resource`` node.
* relationship types are the ontology property names in UPPER_SNAKE_CASE (``agreedTo`` -> AGREED_TO), plus
  MENTIONS (article -> node), SAID / CLAIMED (speaker -> statement) and AT_PLACE (agreement -> place;
  not PLACE, which Kùzu, whose names are case-insensitive, would confuse with the Place label). A
  relation's relationship carries its evidence and has the id of its RDF reification (``evidence/<digest>``).

Empty values are left out rather than written as empty strings, lists or NaN.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_folder
from ..errors import UsageError
from ..keys import article_key, digest
from ..model import KnowledgeGraph
from ..rdf import node_iri
from ..records import AGREEMENT_TYPES, ENTITY_TYPES, EVENT_TYPES, Provenance

#: Property value kinds; the Neo4j CSV header suffix, Cypher literal and Kùzu column type follow from them.
KINDS = ("string", "string[]", "long", "double", "boolean", "date")

Value = str | int | float | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """One property: its name and value kind (one of :data:`KINDS`)."""

    name: str
    kind: str = "string"


def _cols(*spec: str) -> tuple[Column, ...]:
    return tuple(Column(*s.split(":")) if ":" in s else Column(s) for s in spec)


_ENTITY = _cols("iri", "name", "type", "aliases:string[]", "roles:string[]", "code", "articles:string[]")
_AGREEMENT = _cols("iri", "name", "type", "aliases:string[]", "status", "scope", "duration", "date:date",
                   "date_text", "articles:string[]")
_STATEMENT = _cols("iri", "text", "kind", "cue", "speakers:string[]", "article", "sentence", "start_char:long",
                   "end_char:long", "confidence:double", "resolved:boolean")
_ARTICLE = _cols("iri", "article_id", "name", "title", "path", "published:date", "published_text", "source",
                 "author", "url", "language")

#: Properties of the nodes of each primary label, in column order (``id`` comes first and is not listed).
NODE_COLUMNS: dict[str, tuple[Column, ...]] = {
    **dict.fromkeys((*ENTITY_TYPES, "Actor"), _ENTITY),
    "Agreement": _AGREEMENT,
    "Event": _AGREEMENT,
    "Statement": _STATEMENT,
    "Article": _ARTICLE,
    "Resource": _cols("iri"),
}

#: Properties of a relation's relationship: its evidence, as in the RDF reification.
RELATION_COLUMNS = _cols("id", "iri", "evidence", "article", "start_char:long", "end_char:long", "confidence:double",
                         "resolved:boolean", "modality", "date:date", "date_text")
#: Relationship types that are links, not evidence-backed relations: no properties.
LINK_TYPES = ("MENTIONS", "SAID", "CLAIMED", "AT_PLACE")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")


def rel_type(predicate: str) -> str:
    """``agreedTo`` -> ``AGREED_TO``: Neo4j's convention for relationship types."""
    return _CAMEL.sub("_", predicate).upper()


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str  # primary label: the node file / table it goes to
    extra: tuple[str, ...] = ()  # further labels (ontology subclass), for databases with multi-label nodes
    props: Mapping[str, Value] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.extra)


@dataclass(frozen=True, slots=True)
class Edge:
    type: str
    start: str
    end: str
    props: Mapping[str, Value] = field(default_factory=dict)


@dataclass
class PropertyGraph:
    """Nodes sorted by (label, id), edges by (type, start, end, id): every writer iterates in this order."""

    nodes: list[Node]
    edges: list[Edge]

    def __post_init__(self) -> None:
        self._label = {n.id: n.label for n in self.nodes}

    def label_of(self, node_id: str) -> str:
        return self._label[node_id]

    def labels(self) -> list[str]:
        """The primary labels in use, sorted."""
        return sorted({n.label for n in self.nodes})

    def types(self) -> list[str]:
        """The relationship types in use, sorted."""
        return sorted({e.type for e in self.edges})

    def nodes_of(self, label: str) -> list[Node]:
        return [n for n in self.nodes if n.label == label]

    def edges_of(self, type_: str) -> list[Edge]:
        return [e for e in self.edges if e.type == type_]

    def endpoint_labels(self, type_: str) -> list[tuple[str, str]]:
        """The (start label, end label) pairs a relationship type connects, sorted (Kùzu's FROM/TO pairs)."""
        return sorted({(self._label[e.start], self._label[e.end]) for e in self.edges if e.type == type_})


def node_columns(label: str) -> tuple[Column, ...]:
    return NODE_COLUMNS.get(label, NODE_COLUMNS["Resource"])


def edge_columns(type_: str) -> tuple[Column, ...]:
    return () if type_ in LINK_TYPES else RELATION_COLUMNS


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` when ``value`` is a real calendar date (a time part is dropped), else None."""
    if not value:
        return None
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return value.strip()[:10]


def evidence_key(subject: str, predicate: str, obj: str, pv: Provenance) -> str:
    """The key of a relation's RDF reification node, so both worlds name a piece of evidence alike."""
    return "evidence/" + digest(subject, predicate, obj, pv.article, str(pv.start), str(pv.end))


def _props(**values: object) -> dict[str, Value]:
    """Drop empty values: None, "", (), NaN/inf; lists lose empty members."""
    out: dict[str, Value] = {}
    for k, v in values.items():
        if isinstance(v, (list, tuple)):
            v = tuple(str(x) for x in v if x)
        if v is None or v == "" or v == () or (isinstance(v, float) and not math.isfinite(v)):
            continue
        out[k] = v  # type: ignore[assignment]
    return out


def _dated(name: str, value: str | None) -> dict[str, str | None]:
    """``date`` as a real date when it is one; anything else (``2024-05``, ``spring``) kept as ``date_text``."""
    d = iso_date(value)
    return {name: d, f"{name}_text": None if d else value}


def _provenance(pv: Provenance) -> dict[str, object]:
    return {"article": pv.article, "start_char": int(pv.start), "end_char": int(pv.end),
            "confidence": float(pv.confidence), "resolved": bool(pv.resolved)}


def project(kg: KnowledgeGraph, *, base: str) -> PropertyGraph:
    """The property graph of ``kg``; node and evidence IRIs are minted under ``base`` as in :func:`to_rdf`."""
    nodes: dict[str, Node] = {}

    def iri(key: str) -> str:
        return str(node_iri(key, base))

    for aid, art in kg.articles.items():
        key = article_key(aid)
        nodes[key] = Node(key, "Article", (), _props(
            iri=iri(key), article_id=art.id, name=art.title or art.path or art.id, title=art.title, path=art.path,
            **_dated("published", art.published), source=art.source, author=art.author, url=art.url,
            language=art.language))
    for key, ent in kg.entities.items():
        nodes[key] = Node(key, ent.type if ent.type in ENTITY_TYPES else "Actor", (), _props(
            iri=iri(key), name=ent.label, type=ent.type, aliases=ent.aliases, roles=sorted(set(ent.roles)),
            code=ent.code, articles=ent.articles))
    for key, agr in kg.agreements.items():
        if key in nodes:
            continue
        label = "Event" if agr.type in EVENT_TYPES else "Agreement"
        known = agr.type in AGREEMENT_TYPES + EVENT_TYPES and agr.type != label
        nodes[key] = Node(key, label, (agr.type,) if known else (), _props(
            iri=iri(key), name=agr.label, type=agr.type, aliases=agr.aliases, status=agr.status, scope=agr.scope,
            duration=agr.duration, **_dated("date", agr.date), articles=agr.articles))
    for key, st in kg.statements.items():
        if key in nodes:
            continue
        nodes[key] = Node(key, "Statement", ("Claim",) if st.kind == "claim" else (), _props(
            iri=iri(key), text=st.text, kind=st.kind, cue=st.cue, speakers=st.speakers,
            sentence=st.provenance.sentence, **_provenance(st.provenance)))

    edges: list[Edge] = []
    for key, node in list(nodes.items()):
        for aid in sorted(set(node.props.get("articles", ()))):  # type: ignore[arg-type]
            edges.append(Edge("MENTIONS", article_key(aid), key))
    for key, agr in kg.agreements.items():
        if agr.place:
            edges.append(Edge("AT_PLACE", key, agr.place))
    for key, st in kg.statements.items():
        for sp in sorted(set(st.speakers)):
            edges.append(Edge("CLAIMED" if st.kind == "claim" else "SAID", sp, key))
    for rel in kg.relations:
        pv = rel.provenance
        ev = evidence_key(rel.subject, rel.predicate, rel.object, pv)
        edges.append(Edge(rel_type(rel.predicate), rel.subject, rel.object, _props(
            id=ev, iri=iri(ev), evidence=pv.sentence, **_provenance(pv), modality=rel.modality or "asserted",
            **_dated("date", rel.date))))
    for e in edges:  # keys only referenced (a mention of an unknown article, a dangling relation end)
        for key in (e.start, e.end):
            if key not in nodes:
                is_article = key.startswith("article/")
                nodes[key] = Node(key, "Article" if is_article else "Resource", (), _props(
                    iri=iri(key), article_id=key[len("article/"):] if is_article else None))
    edges.sort(key=lambda e: (e.type, e.start, e.end, str(e.props.get("id", ""))))
    return PropertyGraph(sorted(nodes.values(), key=lambda n: (n.label, n.id)), edges)


# --- folders of files -------------------------------------------------------------------------------------


def write_folder(path: Path, files: Mapping[str, bytes], *,
                 allowed: tuple[str, ...] = (".csv", ".cypher", ".md")) -> None:
    """Replace the folder ``path`` by one holding exactly ``files`` (graph.atomic.atomic_folder), so files of an
    earlier export (a relationship type that is gone) do not linger. An existing folder is only replaced when
    it holds nothing but files with the ``allowed`` suffixes: pointing ``--to`` at a build folder must not
    delete it.
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{path} is a file; this format writes a folder")
        foreign = sorted(p.name for p in path.iterdir() if not (p.is_file() and p.suffix in allowed))
        if foreign:
            raise UsageError(f"refusing to replace {path}: it holds other things than an export "
                             f"({', '.join(foreign[:5])}); choose another --to")
    atomic_folder(path, files)
