"""A folder of CSV files for Neo4j: ``neo4j-admin database import full`` or ``LOAD CSV`` on a running server.

One node file per primary label (``Person.csv`` ... ``Article.csv``) with ``id:ID``, ``:LABEL`` and typed
columns (``aliases:string[]``, ``date:date``, ``confidence:double``), one relationship file per type
(``AGREED_TO.csv`` ...) with ``:START_ID``, ``:END_ID``, ``:TYPE`` and the evidence; plus ``import.cypher``
(constraints, then LOAD CSV ... MERGE) and a README with both commands. The property graph is the one of
:mod:`.property_graph`, so it matches the Cypher exports node for node.

Values are kept exactly, a leading ``=`` included (it is data here, and Neo4j never evaluates it); the
README written with the files says not to open them in a spreadsheet (the ``csv`` export escapes such
cells). CSV is written by the csv module (RFC 4180 quoting, ``\\n`` line ends; fields with newlines need
neo4j-admin's ``--multiline-fields=true``, which the README passes). Arrays are joined with ``;``; when a
list member itself holds a ``;``, another delimiter is chosen for the whole export and the README and
import.cypher use it, so no alias is ever split in two.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import KnowledgeGraph
from .cypher import cypher_string, name
from .property_graph import Column, PropertyGraph, edge_columns, node_columns, project, write_folder

#: Array delimiters tried in turn; the first that no list member contains wins.
DELIMITERS = (";", "|", "¦", "\x1f")
_SUFFIX = {"string": "", "string[]": ":string[]", "long": ":long", "double": ":double", "boolean": ":boolean",
           "date": ":date"}
_CONVERT = {"string": "{v}", "string[]": "split({v}, {d})", "long": "toInteger({v})", "double": "toFloat({v})",
            "boolean": "toBoolean({v})", "date": "date({v})"}


def header(column: Column) -> str:
    """``aliases:string[]``: the column name with its neo4j-admin type."""
    return column.name + _SUFFIX[column.kind]


def choose_delimiter(pg: PropertyGraph) -> str:
    """The first of :data:`DELIMITERS` that appears in no list member (labels never contain one)."""
    members = {v for item in (*pg.nodes, *pg.edges) for value in item.props.values()
               if isinstance(value, tuple) for v in value}
    for d in DELIMITERS:
        if not any(d in m for m in members):
            return d
    for code in range(0xE000, 0xF900):  # private-use characters: some is always free
        if not any(chr(code) in m for m in members):
            return chr(code)
    raise ValueError("no free array delimiter")  # pragma: no cover - needs 6400 distinct private-use characters


def _cell(value: object, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind == "string[]":
        return delimiter.join(value)  # type: ignore[arg-type]
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    return str(value)


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)  # RFC 4180 CRLF: a bare \r is quoted
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def csv_files(pg: PropertyGraph, delimiter: str) -> dict[str, bytes]:
    """``{"Person.csv": ..., "AGREED_TO.csv": ...}``; a label or type without rows gets no file."""
    files = {}
    for label in pg.labels():
        cols = node_columns(label)
        rows = [["id:ID", ":LABEL", *(header(c) for c in cols)]]
        for n in pg.nodes_of(label):
            cells = [_cell(n.props.get(c.name), c.kind, delimiter) for c in cols]
            rows.append([n.id, delimiter.join(n.labels), *cells])
        files[f"{label}.csv"] = _csv(rows)
    for type_ in pg.types():
        cols = edge_columns(type_)
        rows = [[":START_ID", ":END_ID", ":TYPE", *(header(c) for c in cols)]]
        for e in pg.edges_of(type_):
            rows.append([e.start, e.end, e.type, *(_cell(e.props.get(c.name), c.kind, delimiter) for c in cols)])
        files[f"{type_}.csv"] = _csv(rows)
    return files


def _value(column: Column, delimiter: str) -> str:
    """A LOAD CSV expression for one column: null when the field is empty, else converted to its type."""
    v = f"row.`{header(column)}`"
    conv = _CONVERT[column.kind].format(v=v, d=cypher_string(delimiter))
    return f"CASE coalesce({v}, '') WHEN '' THEN null ELSE {conv} END"


def _endpoint(var: str, field: str, labels: list[str]) -> list[str]:
    if len(labels) == 1:
        return [f"MATCH ({var}:{name(labels[0])} {{id: row.`{field}`}})"]
    lines = [f"OPTIONAL MATCH ({var}{i}:{name(x)} {{id: row.`{field}`}})" for i, x in enumerate(labels)]
    return lines


def import_cypher(pg: PropertyGraph, delimiter: str) -> str:
    """Constraints, then one LOAD CSV ... MERGE per file: loads the folder into a running Neo4j 5 server.

    Relationship ends are found through their labels (index-backed by the constraints): one MATCH when a
    type connects a single label, else an OPTIONAL MATCH per label, coalesced.
    """
    d = cypher_string(delimiter)
    out = ["// Load the CSV files of this folder into a running Neo4j (5.x) server: copy them into its import",
           "// folder, then run: cypher-shell -u neo4j -p <password> -f import.cypher",
           "// Constraints first: they make every MERGE and MATCH on id an index lookup.", ""]
    for label in pg.labels():
        out.append(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{name(label)}) REQUIRE n.id IS UNIQUE;")
    for label in pg.labels():
        extra = sorted({x for n in pg.nodes_of(label) for x in n.extra})
        sets = [f"n.{name(c.name)} = {_value(c, delimiter)}" for c in node_columns(label)]
        out += ["", f"LOAD CSV WITH HEADERS FROM 'file:///{label}.csv' AS row",
                f"MERGE (n:{name(label)} {{id: row.`id:ID`}})", "SET " + ",\n    ".join(sets)]
        out += [f"FOREACH (_ IN CASE WHEN {cypher_string(x)} IN split(row.`:LABEL`, {d}) THEN [1] ELSE [] END | "
                f"SET n:{name(x)})" for x in extra]
        out[-1] += ";"
    for type_ in pg.types():
        pairs = pg.endpoint_labels(type_)
        starts, ends = sorted({a for a, _ in pairs}), sorted({b for _, b in pairs})
        cols = edge_columns(type_)
        out += ["", f"LOAD CSV WITH HEADERS FROM 'file:///{type_}.csv' AS row"]
        out += _endpoint("a", ":START_ID", starts) + _endpoint("b", ":END_ID", ends)
        if len(starts) > 1 or len(ends) > 1:
            a = f"coalesce({', '.join(f'a{i}' for i in range(len(starts)))})" if len(starts) > 1 else "a"
            b = f"coalesce({', '.join(f'b{i}' for i in range(len(ends)))})" if len(ends) > 1 else "b"
            out += [f"WITH row, {a} AS a, {b} AS b", "WHERE a IS NOT NULL AND b IS NOT NULL"]
        key = " {id: row.id}" if any(c.name == "id" for c in cols) else ""
        out.append(f"MERGE (a)-[r:{name(type_)}{key}]->(b)")
        sets = [f"r.{name(c.name)} = {_value(c, delimiter)}" for c in cols if c.name != "id"]
        if sets:
            out.append("SET " + ",\n    ".join(sets))
        out[-1] += ";"
    return "\n".join(out) + "\n"


def _shell_char(delimiter: str) -> str:
    return f"'{delimiter}'" if delimiter.isprintable() and delimiter != "'" else f"U+{ord(delimiter):04X}"


def readme(pg: PropertyGraph, files: list[str], delimiter: str) -> str:
    nodes = [f for f in files if f[:-4] in pg.labels()]
    rels = [f for f in files if f[:-4] in pg.types()]
    counts = ", ".join(f"{len(pg.nodes_of(x))} {x}" for x in pg.labels())
    rel_counts = ", ".join(f"{len(pg.edges_of(t))} {t}" for t in pg.types())
    cmd = " \\\n    ".join([
        "neo4j-admin database import full", "--overwrite-destination", "--multiline-fields=true",
        f"--array-delimiter={_shell_char(delimiter)}",
        *(f"--nodes={f}" for f in nodes), *(f"--relationships={f}" for f in rels), "neo4j"])
    shown = delimiter if delimiter.isprintable() else _shell_char(delimiter)
    return f"""# newsgraph export for Neo4j

Nodes: {counts}.
Relationships: {rel_counts}.

Node ids are the newsgraph keys (`person/jane-roe`), `iri` is the node's IRI in the RDF exports.
Relationships of relations carry their evidence: `evidence` (the sentence), `article`, `start_char`,
`end_char`, `confidence`, `modality`, `date`; their `id` is the RDF reification's key.
Array properties (`aliases`, `roles`, `articles`, `speakers`) are joined with `{shown}`.

These CSVs are for Neo4j, not for spreadsheets: every value is kept exactly as in the articles, so a
cell may start with `=`, `+`, `-` or `@`, which neo4j-admin and LOAD CSV read as text but a spreadsheet
would run as a formula. To look at the graph in a spreadsheet, use `newsgraph export -f csv` (its cells
are escaped), or open these files with formulas disabled.

## Into a new database (offline, fastest)

Stop the server, run from this folder (Neo4j 5; the database must not be running):

```sh
{cmd}
```

then start Neo4j (the `neo4j` database now holds the graph; `CREATE DATABASE` another name in Enterprise)
and run the `CREATE CONSTRAINT` lines at the top of `import.cypher` once, so lookups by `id` use an index.

## Into a running server

Copy the `.csv` files into the server's import folder (`$NEO4J_HOME/import`, or `/var/lib/neo4j/import`),
then:

```sh
cypher-shell -u neo4j -p <password> -f import.cypher
```

`import.cypher` creates a uniqueness constraint per label and MERGEs on `id`, so running it again updates
instead of duplicating.
"""


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """The folder ``path`` (registry entry ``neo4j``): node/relationship CSVs, import.cypher, README.md."""
    pg = project(kg, base=base)
    delimiter = choose_delimiter(pg)
    files = csv_files(pg, delimiter)
    names = sorted(files)
    files["import.cypher"] = import_cypher(pg, delimiter).encode("utf-8")
    files["README.md"] = readme(pg, names, delimiter).encode("utf-8")
    write_folder(Path(path), files)
