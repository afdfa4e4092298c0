"""Cypher scripts of the graph: plain openCypher (Neo4j, Memgraph, ...) and the Kùzu/LadybugDB dialect.

Both scripts hold one statement per line, each ending in ``;``: every string is written as an escaped
Cypher literal, so no value can break a line, end a string or start a comment, and a loader may split
on lines. Statements MERGE on ``id`` (relations on their evidence id), so running a script twice adds
nothing.

* ``cypher`` (graph.cypher): nodes, relationships, then a section adding the extra labels (``Ceasefire``,
  ``Claim``) with ``SET n:Label``. Uniqueness constraints are DDL no two databases spell alike; the
  Neo4j ones are in the header as comments.
* ``kuzu`` (graph.kuzu.cypher): Kùzu-family databases (LadybugDB, Kùzu >= 0.9) need typed tables before
  any CREATE or MERGE, and have one label per node. The script starts with ``CREATE NODE TABLE`` /
  ``CREATE REL TABLE`` for the labels and types in the data, followed by the same node and relationship
  statements as the openCypher script, without the extra-label section (the class is in ``type``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..atomic import atomic_write_text
from ..model import KnowledgeGraph
from .property_graph import Column, Edge, Node, PropertyGraph, Value, edge_columns, node_columns, project

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Words that are safer backquoted when used as a name (keywords or type names in some dialect).
_RESERVED = frozenset({"date", "end", "order", "type", "path", "count", "case", "match", "where", "return",
                       "node", "rel", "group", "limit", "skip", "set", "in", "is", "not", "and", "or"})
_KUZU_TYPES = {"string": "STRING", "string[]": "STRING[]", "long": "INT64", "double": "DOUBLE",
               "boolean": "BOOLEAN", "date": "DATE"}


def cypher_string(value: str) -> str:
    """A single-quoted Cypher string literal that reads back as exactly ``value``.

    Backslash and both quotes are escaped, newline, carriage return and tab become ``\\n \\r \\t``, and
    every other non-printable character (controls, format marks such as RLM U+200F, unassigned code
    points) becomes ``\\uXXXX`` or ``\\UXXXXXXXX``; printable text, emoji and right-to-left scripts stay as
    they are. Neo4j, Memgraph and Kùzu read these escapes alike.
    """
    out = ["'"]
    for ch in value:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    out.append("'")
    return "".join(out)


def name(identifier: str) -> str:
    """A label, type or property name, backquoted when it is not a plain identifier or may be a keyword."""
    if _IDENT.match(identifier) and identifier.lower() not in _RESERVED:
        return identifier
    return "`" + identifier.replace("`", "``") + "`"


def literal(value: Value, kind: str) -> str:
    """The Cypher literal of a property value of the given kind."""
    if kind == "string[]":
        return "[" + ", ".join(cypher_string(v) for v in value) + "]"  # type: ignore[union-attr]
    if kind == "date":
        return f"date({cypher_string(str(value))})"
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "long":
        return str(int(value))  # type: ignore[arg-type]
    if kind == "double":
        return float_literal(float(value))  # type: ignore[arg-type]
    return cypher_string(str(value))


def float_literal(value: float) -> str:
    """The shortest round-tripping decimal, never in exponent form (``1e-05`` -> ``0.00001``), always with a dot."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def _sets(var: str, columns: tuple[Column, ...], props: dict, skip: str = "id") -> str:
    parts = [f"{var}.{name(c.name)} = {literal(props[c.name], c.kind)}"
             for c in columns if c.name != skip and c.name in props]
    return " SET " + ", ".join(parts) if parts else ""


def node_statement(node: Node) -> str:
    sets = _sets("n", node_columns(node.label), dict(node.props))
    return f"MERGE (n:{name(node.label)} {{id: {cypher_string(node.id)}}}){sets};"


def edge_statement(pg: PropertyGraph, edge: Edge) -> str:
    start, end = name(pg.label_of(edge.start)), name(pg.label_of(edge.end))
    head = (f"MATCH (a:{start} {{id: {cypher_string(edge.start)}}}), (b:{end} {{id: {cypher_string(edge.end)}}}) "
            f"MERGE (a)-[r:{name(edge.type)}")
    props = dict(edge.props)
    if "id" in props:
        head += f" {{id: {cypher_string(str(props['id']))}}}"
    return f"{head}]->(b){_sets('r', edge_columns(edge.type), props)};"


def label_statement(node: Node) -> str:
    labels = "".join(":" + name(x) for x in node.extra)
    return f"MATCH (n:{name(node.label)} {{id: {cypher_string(node.id)}}}) SET n{labels};"


def schema(pg: PropertyGraph) -> list[str]:
    """Kùzu/LadybugDB DDL: a node table per label, a rel table per type with its FROM/TO pairs."""
    lines = []
    for label in pg.labels():
        cols = ", ".join(f"{name(c.name)} {_KUZU_TYPES[c.kind]}" for c in node_columns(label))
        lines.append(f"CREATE NODE TABLE IF NOT EXISTS {name(label)}(id STRING PRIMARY KEY, {cols});")
    for type_ in pg.types():
        pairs = [f"FROM {name(a)} TO {name(b)}" for a, b in pg.endpoint_labels(type_)]
        cols = [f"{name(c.name)} {_KUZU_TYPES[c.kind]}" for c in edge_columns(type_)]
        lines.append(f"CREATE REL TABLE IF NOT EXISTS {name(type_)}({', '.join(pairs + cols)});")
    return lines


def render(kg: KnowledgeGraph, *, base: str, dialect: str = "opencypher") -> str:
    """The whole script as text; ``dialect`` is ``opencypher`` or ``kuzu``."""
    if dialect not in ("opencypher", "kuzu"):
        raise ValueError(f"unknown Cypher dialect {dialect!r}")
    pg = project(kg, base=base)
    extra = [n for n in pg.nodes if n.extra]
    lines = [f"// newsgraph: {len(pg.nodes)} nodes, {len(pg.edges)} relationships; one statement per line,"
             " idempotent (MERGE on id)."]
    if dialect == "kuzu":
        lines += ["// Dialect: Kùzu / LadybugDB (typed tables first; the class of a node is its `type`).",
                  "// Schema", *schema(pg)]
    else:
        lines += ["// Dialect: openCypher (Neo4j, Memgraph, ...). In Neo4j, create these first for speed:"]
        lines += [f"//   CREATE CONSTRAINT IF NOT EXISTS FOR (n:{name(x)}) REQUIRE n.id IS UNIQUE;"
                  for x in pg.labels()]
    lines.append("// Nodes")
    lines += [node_statement(n) for n in pg.nodes]
    lines.append("// Relationships")
    lines += [edge_statement(pg, e) for e in pg.edges]
    if dialect == "opencypher" and extra:
        lines.append("// Extra labels: the ontology class of agreements and events, Claim for claims")
        lines += [label_statement(n) for n in extra]
    return "\n".join(lines) + "\n"


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """The openCypher script (registry entry ``cypher``)."""
    atomic_write_text(path, render(kg, base=base, dialect="opencypher"))


def write_kuzu(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """The Kùzu/LadybugDB script with its schema (registry entry ``kuzu``)."""
    atomic_write_text(path, render(kg, base=base, dialect="kuzu"))
