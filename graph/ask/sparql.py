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

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError
from ..rdf import formats as rdf_formats
from ..rdf.iris import MERGED
from ..store.output import GRAPH_FILES
from ..store.oxigraph import STORE_DIR, merged_graph, open_store
from ..vocab import DEFAULT_BASE, NG_URI
from .guard import check_query, strip_comments_and_strings
from .saved import QUERIES_DIR, QueryParam, SavedQuery, bind_params, get_saved_query, saved_queries, sparql_literal

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
#: graph.store's name of the merged graph under ``<base>graph/`` (graph.store.MERGED).
MERGED_GRAPH_NAME = MERGED

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
#: First words of SPARQL updates: refused everywhere (the graph is read-only to queries).
UPDATE_VERBS = frozenset({"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"})
_KEYWORD = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                      re.I)


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
    if (path / STORE_DIR).is_dir():
        return open_store(path, read_only=True)
    for name in GRAPH_FILES:
        if (path / name).is_file():
            return _load_file(path / name)
    raise UsageError(f"{path}: found neither store/ nor {' / '.join(GRAPH_FILES)}; run `newsgraph build` first")


def _load_file(path: Path) -> ox.Store:
    fmt = rdf_formats.by_suffix(path)
    if fmt is None:
        known = ", ".join(s for f in rdf_formats.FORMATS for s in f.suffixes)
        raise UsageError(f"{path}: not an RDF file I can read (use {known})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt.oxigraph)
    except SyntaxError as exc:
        raise UsageError(f"{path}: not valid {fmt.name}: {exc}") from None
    return store


def query_kind(sparql: str) -> str:
    """The query form (select/construct/describe/ask) or update verb, read past the prologue and comments."""
    stripped = strip_comments_and_strings(sparql)
    m = _KEYWORD.search(stripped)
    return m.group(1).lower() if m else ""


def dataset_options(store: ox.Store) -> dict[str, object]:
    """``Store.query`` keywords: the merged graph as the default graph if there is one, else the union."""
    merged = merged_graph(store)
    if merged is not None:
        return {"default_graph": merged}
    return {"use_default_graph_as_union": True}


def run_query(store: ox.Store, sparql: str, *, params: Mapping[str, str] | None = None,
              dataset: Mapping[str, object] | None = None, allow_service: bool = False,
              max_chars: int | None = None, base_iri: str | None = None) -> QueryResults:
    """Run a SPARQL query over the merged graph (else the union of all graphs), ``params`` bound as literals.

    The result is pyoxigraph's: solutions, a boolean or triples, each read once. The usual prefixes
    (rdf, rdfs, xsd, skos, schema, prov, ng, ...) need no declaration. ``dataset`` replaces the default
    dataset with ``Store.query`` keywords (``default_graph``, ``named_graphs``: the protocol's
    default-graph-uri and named-graph-uri). A syntax error is a UsageError naming the line and column; so
    is a query :func:`graph.ask.guard.check_query` refuses (SERVICE without ``allow_service``, too deep,
    too long) and an update (INSERT, DELETE ...): this is a query command. ``base_iri`` resolves relative
    IRIs (the endpoint gives its own URL, as the protocol suggests).
    """
    text = bind_params(sparql, params or {})
    check_query(text, allow_service=allow_service, max_chars=max_chars)
    options = dict(dataset) if dataset is not None else dataset_options(store)
    try:
        return store.query(text, prefixes=PREFIXES, base_iri=base_iri, **options)  # type: ignore[arg-type]
    except SyntaxError as exc:
        if query_kind(text) in UPDATE_VERBS:
            raise UsageError("this is a SPARQL update; the graph is read-only here, only queries run") from None
        raise UsageError(syntax_message(text, str(exc))) from None


def syntax_message(sparql: str, message: str) -> str:
    """pyoxigraph's ``error at L:C: ...`` as ``line L, column C`` plus the offending line and a caret.

    The parser names only the last alternative it tried ("expected CONSTRUCT" for ``SELEC ...``), so a
    query that does not start with a query form says what may start it, pointing at the word found.
    """
    m = _ERROR_AT.search(message)
    if m is None:
        return f"SPARQL syntax error: {message}"
    line, col, detail = int(m[1]), int(m[2]), " ".join(m[3].split())
    if "Prefix not found" in detail:
        detail = "unknown prefix (declare it with PREFIX)"
    elif detail == "expected CONSTRUCT" and (at := _form_word(sparql)) is not None:
        (line, col), word = at
        detail = f"a query starts with SELECT, CONSTRUCT, DESCRIBE or ASK (after PREFIX/BASE), not {word!r}"
    elif detail in ("expected OPTIONAL", "expected one of LATERAL, SERVICE, [_]"):
        detail = "cannot read this group pattern (a triple pattern, FILTER, OPTIONAL, BIND ... is expected)"
    elif len(detail) > 160:
        detail = detail[:157] + "..."
    lines = sparql.splitlines()
    text = f"SPARQL syntax error at line {line}, column {col}: {detail}"
    if 1 <= line <= len(lines):
        src = lines[line - 1]
        text += f"\n  {src}\n  {' ' * max(col - 1, 0)}^"
    return text


_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)*", re.I)


def _form_word(sparql: str) -> tuple[tuple[int, int], str] | None:
    """((line, column), word) of the first word after the prologue and comments, when it is not a query form."""
    prologue = _PROLOGUE.match(sparql)
    start = prologue.end() if prologue else 0
    word = re.match(r"\S{1,40}", sparql[start:])
    if word is None or word.group().upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
        return None
    before = sparql[:start]
    return (before.count("\n") + 1, start - (before.rfind("\n") + 1) + 1), word.group()


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
