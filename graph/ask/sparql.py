"""Ask the graph: run SPARQL over a build's output, bind parameters safely, format the answers.

The store is Oxigraph (pyoxigraph): ``load_store`` opens ``out/store/`` read-only through
``graph.store.open_store`` when there is one, else loads ``out/graph.ttl`` (or any RDF file) into memory.

Which graph a query sees by default: the store keeps each article's triples in its own named graph and
all of them again in the merged graph ``<base>graph/merged``. When that merged graph is there it is the
default graph (every named graph stays reachable with ``GRAPH``); otherwise the default graph is the
union of all graphs. The union of per-article graphs plus the merged one holds most triples twice, and
a join of k patterns then yields up to 2^k copies of each row before DISTINCT: on a 100,000-triple store
the agreements query ran for over 20 minutes that way. The saved queries still use DISTINCT, so they
give the same rows on any layout.

Parameters are bound by rewriting the query text, token by token: every placeholder ``$name`` outside
strings, IRIs and comments becomes an escaped string literal. A value can never end the literal or add
syntax, and the bound text runs unchanged on any SPARQL engine (the benchmark runs it on rdflib too).
Only the ``$`` spelling is a placeholder, so a query can filter on ``$actor`` and still name a result
column ``?actor``; every parameter is bound before a query runs, so the two never meet as one variable.
pyoxigraph's own ``substitutions`` would avoid the rewrite but only binds projected variables.

Saved queries live in ``ontology/queries/*.rq``; their comment header documents them::

    # name: quotes
    # description: every quote or claim of an actor
    # param: actor - an actor's label (case-insensitive substring)
    # param: article (required) - the article id or a prefix of it

An optional parameter that is left out is bound to ``""``, which the saved queries read as "any".

Writing queries for Oxigraph (0.5), learnt from its ``--explain`` plans on a 1,000,000-triple graph:
the patterns of one basic graph pattern are joined row by row through the indexes, starting from the
most selective one, so a saved query starts from the parameter's pattern (a label test) in one BGP with
its FILTERs. VALUES, sub-queries and UNIONs are hash-joined with what follows them, which evaluates
that part over the whole graph: use ``FILTER(?p IN (...))`` instead of VALUES and repeat the selective
pattern inside each UNION branch. An OPTIONAL of one pattern is looked up row by row; one of several
patterns usually is not, unless its FILTER names an outer variable (``FILTER(BOUND(?h) && ...)``).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError
from ..vocab import DEFAULT_BASE, NG_URI, ONTOLOGY_DIR

__all__ = [
    "FORMATS",
    "PREFIXES",
    "QUERIES_DIR",
    "QueryParam",
    "QueryResults",
    "SavedQuery",
    "SerializedResult",
    "bind_params",
    "dataset_options",
    "get_saved_query",
    "load_store",
    "merged_graph",
    "query_kind",
    "result_table",
    "run_query",
    "saved_queries",
    "serialize_result",
    "short_term",
    "sparql_literal",
]

#: Where the saved queries live (the project is installed editable, so the folder is on disk).
QUERIES_DIR = ONTOLOGY_DIR / "queries"

#: Prefixes every query may use without declaring them; also used to shorten IRIs in tables and Turtle.
PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "ng": NG_URI,
    "id": DEFAULT_BASE,
    "article": DEFAULT_BASE + "article/",
    "person": DEFAULT_BASE + "person/",
    "organization": DEFAULT_BASE + "organization/",
    "country": DEFAULT_BASE + "country/",
    "place": DEFAULT_BASE + "place/",
    "agreement": DEFAULT_BASE + "agreement/",
    "statement": DEFAULT_BASE + "statement/",
    "evidence": DEFAULT_BASE + "evidence/",
}

#: Result formats: name -> (what the query must give, pyoxigraph format). "table" is the CLI's own.
FORMATS: dict[str, tuple[str, ox.QueryResultsFormat | ox.RdfFormat]] = {
    "json": ("solutions", ox.QueryResultsFormat.JSON),
    "xml": ("solutions", ox.QueryResultsFormat.XML),
    "csv": ("solutions", ox.QueryResultsFormat.CSV),
    "tsv": ("solutions", ox.QueryResultsFormat.TSV),
    "turtle": ("triples", ox.RdfFormat.TURTLE),
    "ntriples": ("triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("triples", ox.RdfFormat.JSON_LD),
    "rdfxml": ("triples", ox.RdfFormat.RDF_XML),
}

#: RDF files ``load_store`` reads when there is no on-disk store, by suffix.
_RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                 ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
                 ".jsonld": ox.RdfFormat.JSON_LD}
_GRAPH_FILES = ("graph.ttl", "graph.nq", "graph.trig", "graph.nt")
#: graph.store's name of the merged graph under ``<base>graph/`` (graph.store.MERGED).
MERGED_GRAPH_NAME = "merged"

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D"
                      r"\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]+")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM_DOC = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((required|optional)\))?\s*(?:-+|:|–|—)?\s*(.*)$")
_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_KEYWORD = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                      re.I)


# --- saved queries ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A documented parameter of a saved query; bound as a string literal to the variable ``$name``."""

    name: str
    description: str = ""
    required: bool = False


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A ``.rq`` file of ``ontology/queries`` with what its header says about it."""

    name: str
    path: Path
    description: str
    params: tuple[QueryParam, ...] = ()

    @property
    def sparql(self) -> str:
        """The query text as written, placeholders unbound."""
        return self.path.read_text(encoding="utf-8")

    def bind(self, params: Mapping[str, str] | None = None) -> str:
        """The query text with ``params`` bound; unknown or missing required parameters are a UsageError.

        Declared optional parameters that are not given are bound to ``""`` ("any"), so no placeholder is
        ever left unbound by accident.
        """
        given = dict(params or {})
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise UsageError(f"query {self.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
        missing = [p.name for p in self.params if p.required and not given.get(p.name)]
        if missing:
            raise UsageError(f"query {self.name!r} needs --param {missing[0]}=VALUE "
                             f"({declared[missing[0]].description or 'required'})")
        values = {name: given.get(name, "") for name in declared}
        return bind_params(self.sparql, values)


def saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every ``*.rq`` of ``directory`` (default ``ontology/queries``) by name, sorted by name.

    The name comes from the ``# name:`` header, else from the file name; only the leading comment block
    is read as the header, so comments further down stay free-form.
    """
    folder = QUERIES_DIR if directory is None else Path(directory)
    found: dict[str, SavedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        q = _read_header(path)
        if q.name in found:
            raise UsageError(f"two saved queries are named {q.name!r}: {found[q.name].path} and {path}")
        found[q.name] = q
    return dict(sorted(found.items()))


def get_saved_query(name: str, directory: Path | None = None) -> SavedQuery:
    """The saved query ``name``; a UsageError lists the names there are."""
    queries = saved_queries(directory)
    if name not in queries:
        raise UsageError(f"no saved query named {name!r}; saved queries: {', '.join(queries) or 'none'}")
    return queries[name]


def _read_header(path: Path) -> SavedQuery:
    name, description, params = path.stem, [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m is None:
            if description and not params and line.lstrip("#").strip():  # a continued description line
                description.append(line.lstrip("#").strip())
            continue
        key, value = m[1], m[2]
        if key == "name":
            name = value
        elif key == "description":
            description = [value]
        else:
            pm = _PARAM_DOC.match(value)
            if pm is None:
                raise UsageError(f"{path}: cannot read the parameter line {raw.strip()!r}")
            params.append(QueryParam(pm[1], pm[3], pm[2] == "required"))
    return SavedQuery(name, path, " ".join(description), tuple(params))


# --- parameters ---------------------------------------------------------------------------------------


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL string literal that means exactly ``value``, whatever characters it holds.

    Backslash, quote and line breaks are escaped; ``\\u``/``\\U`` after a backslash is spelled so that an
    engine that expands codepoint escapes before parsing (SPARQL 1.1, section 19.2) still reads the
    backslash and the letter, not an escape.
    """
    out = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
           .replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f"))
    out = out.replace("\\\\u", "\\\\\\u0075").replace("\\\\U", "\\\\\\u0055")
    return f'"{out}"'


def bind_params(sparql: str, params: Mapping[str, str]) -> str:
    """Replace each placeholder ``$name`` of ``params`` by the escaped literal of its value.

    Strings, IRIs and comments are skipped, so a ``$name`` inside them is left alone; ``?name`` is an
    ordinary variable. A parameter whose placeholder does not occur in the query is a UsageError: a
    misspelt name must not silently match everything.
    """
    for name in params:
        if not _PARAM_NAME.match(name):
            raise UsageError(f"bad parameter name {name!r}: use letters, digits and _")
    if not params:
        return sparql
    out: list[str] = []
    used: set[str] = set()
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = _string_end(sparql, i)
        elif c == "<" and (m := _IRIREF.match(sparql, i)):
            j = m.end()
        elif c in "?$" and (m := _VARNAME.match(sparql, i + 1)):
            j = m.end()
            name = m.group()
            if c == "$" and name in params:
                out.append(sparql_literal(str(params[name])))
                used.add(name)
                i = j
                continue
        else:
            j = i + 1
        out.append(sparql[i:j])
        i = j
    unused = sorted(set(params) - used)
    if unused:
        raise UsageError(f"the query has no placeholder ${unused[0]} for the parameter {unused[0]!r}")
    return "".join(out)


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal starting at ``i`` (long or short form); end of text if open."""
    q = text[i]
    long_q = q * 3
    if text.startswith(long_q, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
            elif text.startswith(long_q, j):
                return j + 3
            else:
                j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == q or text[j] == "\n":
            return j + 1
        else:
            j += 1
    return len(text)


# --- running ------------------------------------------------------------------------------------------


def load_store(out: Path | str) -> ox.Store:
    """The store of a build output: ``out/store`` read-only if there is one, else ``out/graph.ttl`` in memory.

    ``out`` may also be an RDF file (.ttl, .nt, .nq, .trig, .rdf, .jsonld). A missing output is a
    UsageError that says what was looked for.
    """
    path = Path(out)
    if path.is_file():
        return _load_file(path)
    if not path.is_dir():
        raise UsageError(f"{path}: no such output folder or RDF file")
    if (path / "store").is_dir() and importlib.util.find_spec("graph.store") is not None:
        from ..store import open_store  # type: ignore[import-not-found,unused-ignore]

        return open_store(path, read_only=True)
    for name in _GRAPH_FILES:
        if (path / name).is_file():
            return _load_file(path / name)
    raise UsageError(f"{path}: found neither store/ nor {' / '.join(_GRAPH_FILES)}; run `newsgraph build` first")


def _load_file(path: Path) -> ox.Store:
    fmt = _RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: not an RDF file I can read (use {', '.join(sorted(_RDF_SUFFIXES))})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise UsageError(f"{path}: not valid {fmt.name}: {exc}") from None
    return store


def query_kind(sparql: str) -> str:
    """The query form (select/construct/describe/ask) or update verb, read past the prologue and comments."""
    stripped = _strip_comments_and_strings(sparql)
    m = _KEYWORD.search(stripped)
    return m.group(1).lower() if m else ""


def _strip_comments_and_strings(sparql: str) -> str:
    out, i, n = [], 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            i = _string_end(sparql, i)
            out.append('""')
            continue
        if c == "<" and (m := _IRIREF.match(sparql, i)):
            out.append("<>")
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


def merged_graph(store: ox.Store) -> ox.NamedNode | None:
    """The store's merged named graph (``<base>graph/merged``, see graph.store), or None if it has none.

    The default base is tried first (one lookup); another base is found by scanning the graph names.
    """
    default = ox.NamedNode(DEFAULT_BASE + "graph/" + MERGED_GRAPH_NAME)
    if store.contains_named_graph(default):
        return default
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.endswith("/graph/" + MERGED_GRAPH_NAME):
            return g
    return None


def dataset_options(store: ox.Store) -> dict[str, object]:
    """``Store.query`` keywords: the merged graph as the default graph if there is one, else the union."""
    merged = merged_graph(store)
    if merged is not None:
        return {"default_graph": merged}
    return {"use_default_graph_as_union": True}


def run_query(store: ox.Store, sparql: str, *, params: Mapping[str, str] | None = None) -> QueryResults:
    """Run a SPARQL query over the merged graph (else the union of all graphs), ``params`` bound as literals.

    The result is pyoxigraph's: solutions, a boolean or triples, each read once. The usual prefixes
    (rdf, rdfs, xsd, skos, schema, prov, ng, ...) need no declaration. A syntax error is a UsageError
    naming the line and column; an update (INSERT, DELETE ...) is refused: this is a query command.
    """
    text = bind_params(sparql, params or {})
    try:
        return store.query(text, prefixes=PREFIXES, **dataset_options(store))
    except SyntaxError as exc:
        if query_kind(text) in {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add",
                                "with"}:
            raise UsageError("this is a SPARQL update; the graph is read-only here, only queries run") from None
        raise UsageError(syntax_message(text, str(exc))) from None


def syntax_message(sparql: str, message: str) -> str:
    """pyoxigraph's ``error at L:C: ...`` as ``line L, column C`` plus the offending line and a caret."""
    m = _ERROR_AT.search(message)
    if m is None:
        return f"SPARQL syntax error: {message}"
    line, col, detail = int(m[1]), int(m[2]), " ".join(m[3].split())
    if "Prefix not found" in detail:
        detail = "unknown prefix (declare it with PREFIX)"
    elif len(detail) > 160:
        detail = detail[:157] + "..."
    lines = sparql.splitlines()
    text = f"SPARQL syntax error at line {line}, column {col}: {detail}"
    if 1 <= line <= len(lines):
        src = lines[line - 1]
        text += f"\n  {src}\n  {' ' * max(col - 1, 0)}^"
    return text


# --- formatting ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SerializedResult:
    """Serialized query results and what a reader should know about them."""

    data: bytes
    media_type: str
    rows: int | None  # solutions or triples written; None when streamed without counting
    truncated: bool = False


def serialize_result(result: QueryResults, fmt: str, *, limit: int | None = None) -> SerializedResult:
    """Serialize with pyoxigraph's own writers: SPARQL JSON/XML/CSV/TSV for solutions and booleans,
    Turtle/N-Triples/JSON-LD/RDF-XML for triples.

    With ``limit``, at most that many solutions or triples are written and ``truncated`` says whether
    more were left; the rows are then re-read through TSV so the same pyoxigraph writers apply.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise UsageError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}")
    kind, rfmt = spec
    if isinstance(result, ox.QueryTriples):
        if kind != "triples":
            raise UsageError(f"a CONSTRUCT or DESCRIBE query gives triples: use {_names('triples')}, not {fmt}")
        assert isinstance(rfmt, ox.RdfFormat)
        triples, truncated = _take(result, limit)
        data = ox.serialize(triples, format=rfmt, prefixes=PREFIXES if rfmt is ox.RdfFormat.TURTLE else None)
        return SerializedResult(data or b"", rfmt.media_type, len(triples), truncated)
    if kind != "solutions":
        raise UsageError(f"a SELECT or ASK query gives solutions: use {_names('solutions')}, not {fmt}")
    assert isinstance(rfmt, ox.QueryResultsFormat)
    if isinstance(result, ox.QueryBoolean):
        return SerializedResult(result.serialize(format=rfmt) or b"", rfmt.media_type, 1)
    if limit is None:
        return SerializedResult(result.serialize(format=rfmt) or b"", rfmt.media_type, None)
    variables = [v.value for v in result.variables]
    rows, truncated = _take(result, limit)
    tsv = _to_tsv(variables, rows)
    data = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=rfmt) or b""
    return SerializedResult(data, rfmt.media_type, len(rows), truncated)


def _names(kind: str) -> str:
    return ", ".join(name for name, (k, _) in FORMATS.items() if k == kind)


def _take(items: Iterable, limit: int | None) -> tuple[list, bool]:
    out = []
    for item in items:
        if limit is not None and len(out) >= limit:
            return out, True
        out.append(item)
    return out, False


def _to_tsv(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    """SPARQL TSV: pyoxigraph terms print in their N-Triples/Turtle form, which TSV cells are."""
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        cells = []
        for v in variables:
            term = row[v]
            cells.append("" if term is None else str(term))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def short_term(term: object) -> str:
    """A term as a person reads it: literals by their text, IRIs as ``prefix:name`` where one fits."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        iri = term.value
        best = ""
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def result_table(result: QueryResults) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of text for a table: solutions as they are, triples as subject/predicate/object,
    a boolean as one cell."""
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [["true" if bool(result) else "false"]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [
            [short_term(t.subject), short_term(t.predicate), short_term(t.object)] for t in result]
    variables = [v.value for v in result.variables]
    return variables, [[short_term(row[v]) for v in variables] for row in result]
