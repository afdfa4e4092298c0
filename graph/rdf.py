"""The RDF face of a KnowledgeGraph: mapping, byte-stable serialization, SHACL validation.

Every relation is written twice, on purpose: as a direct triple (so SPARQL and the scorer can follow
it) and as an ``rdf:Statement`` reification carrying its evidence (article, sentence, offsets,
confidence). No blank nodes are minted, so the same KnowledgeGraph always gives the same triples.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox
import pyrudof
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from .errors import ShapeViolation, UsageError
from .keys import article_key, digest
from .model import KnowledgeGraph
from .records import ENTITY_TYPES, RELATION_TYPES, Agreement, Article, Entity, Provenance, Relation, Statement
from .vocab import (
    AGREEMENT_TYPES,
    CONTEXT_FILE,
    DEFAULT_BASE,
    EVENT_TYPES,
    NG,
    ONTOLOGY_FILE,
    PROV,
    SCHEMA,
    SHAPES_FILE,
)

__all__ = ["base_namespaces", "from_rdf", "guess_base", "node_iri", "ntriples_to_turtle", "serialize", "to_rdf",
           "validate", "validate_ntriples"]

#: Violations spelled out in ShapeViolation's message; the rest are counted.
MAX_REPORTED = 10

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")
_FORMATS = {"ttl": "turtle", "turtle": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
            "xml": "xml", "rdf": "xml", "rdf/xml": "xml", "jsonld": "json-ld", "json-ld": "json-ld"}


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


def to_rdf(kg: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> Graph:
    """Map the KnowledgeGraph to triples in the newsgraph ontology (see ontology/newsgraph.ttl).

    Node IRIs are ``base + key``; evidence nodes are ``base + "evidence/" + digest``. Types come from
    the records: an agreement type the ontology does not know becomes ng:Agreement, an unknown entity
    type ng:Actor. Dates that are not ISO dates are left out rather than written ill-typed. The triples
    are those of :func:`to_ntriples`, read into an rdflib graph with the prefixes bound.
    """
    g = Graph(bind_namespaces="none")
    _bind(g, base)
    text = to_ntriples(kg, base=base)
    if text:
        g.parse(data=text, format="nt")
    _bind_dirs(g, base)
    return g


def to_ntriples(kg: KnowledgeGraph, *, base: str = DEFAULT_BASE) -> str:
    """The triples of :func:`to_rdf` as sorted N-Triples lines, written as rdflib's serializer writes them.

    Terms are formatted as text rather than built as rdflib objects: the build maps every article this
    way, and building rdflib terms (each IRI checked, each literal normalised) cost more than validating.
    """
    lines: set[str] = set()
    _map(kg, base, lines)
    return "".join(sorted(lines))


def _map(kg: KnowledgeGraph, base: str, out: set[str]) -> None:
    """The N-Triples lines of ``kg``, added to ``out``."""

    def add(s: str, p: str, o: str | None) -> None:
        if o is not None:
            out.add(f"{s} {p} {o} .\n")

    def add_opt(s: str, p: str, value: str | None) -> None:
        if value is not None and value.strip():
            out.add(f"{s} {p} {_plain(value)} .\n")

    def iri(key: str) -> str:
        return _node_term(key, base)

    for aid, art in kg.articles.items():
        a = iri(article_key(aid))
        add(a, _T.type, _T.NewsArticle)
        add(a, _T.label, _plain(art.title or art.path or art.id))
        add(a, _T.articleId, _plain(art.id))
        add_opt(a, _T.headline, art.title)
        add(a, _T.datePublished, _date_literal(art.published))
        add_opt(a, _T.author, art.author)
        add_opt(a, _T.publisher, art.source)
        add_opt(a, _T.inLanguage, art.language)
        if art.url:
            add(a, _T.url, _url_term(art.url))

    for key, ent in kg.entities.items():
        n = iri(key)
        add(n, _T.type, _ng(ent.type if ent.type in ENTITY_TYPES else "Actor"))
        _add_labels(add, n, ent.label, ent.aliases)
        for role in sorted(set(ent.roles)):
            add_opt(n, _T.holdsRole, role)
        add_opt(n, _T.isoCode, ent.code)
        for aid in ent.articles:
            add(iri(article_key(aid)), _T.mentions, n)

    for key, agr in kg.agreements.items():
        n = iri(key)
        add(n, _T.type, _ng(agr.type if agr.type in AGREEMENT_TYPES + EVENT_TYPES else "Agreement"))
        _add_labels(add, n, agr.label, agr.aliases)
        add_opt(n, _T.status, agr.status)
        add_opt(n, _T.scope, agr.scope)
        add_opt(n, _T.duration, agr.duration)
        if agr.place:
            add(n, _T.place, iri(agr.place))
        add(n, _T.date, _date_literal(agr.date))
        for aid in agr.articles:
            add(iri(article_key(aid)), _T.mentions, n)

    for key, st in kg.statements.items():
        n = iri(key)
        claim = st.kind == "claim"
        add(n, _T.type, _T.Statement)
        if claim:
            add(n, _T.type, _T.Claim)
        add(n, _T.quote, _plain(st.text))
        add_opt(n, _T.cue, st.cue)
        for sp in st.speakers:
            add(n, _T.speaker, iri(sp))
            add(iri(sp), _T.claimed if claim else _T.said, n)
        _add_provenance(add, n, st.provenance, base)

    for rel in kg.relations:
        if rel.predicate not in RELATION_TYPES:
            raise ValueError(f"relation predicate {rel.predicate!r} is not one of RELATION_TYPES")
        s, p, o = iri(rel.subject), _ng(rel.predicate), iri(rel.object)
        pv = rel.provenance
        ev = iri("evidence/" + digest(rel.subject, rel.predicate, rel.object, pv.article, str(pv.start), str(pv.end)))
        add(s, p, o)
        add(ev, _T.type, _T.rdfStatement)
        add(ev, _T.subject, s)
        add(ev, _T.predicate, p)
        add(ev, _T.object, o)
        _add_provenance(add, ev, pv, base)
        if rel.modality and rel.modality != "asserted":
            add(ev, _T.modality, _plain(rel.modality))
        for reporter in rel.reported_by:
            add(ev, _T.reportedBy, iri(reporter))
        add(ev, _T.date, _date_literal(rel.date))


def serialize(g: Graph, fmt: str = "turtle") -> str:
    """Serialize so that the same graph gives the same bytes in every run and process.

    rdflib's serializers follow store or hash order, which changes with PYTHONHASHSEED. So N-Triples
    lines are sorted (Turtle is written from them, see ntriples_to_turtle), the triples go into a fresh
    graph in sorted order for the other formats, and JSON-LD nodes and RDF/XML blocks are sorted after
    the fact. Blank nodes, which to_rdf never makes, are relabelled canonically. JSON-LD is compacted
    with ontology/context.jsonld.
    """
    name = _FORMATS.get(fmt.lower())
    if name is None:
        raise UsageError(f"unknown RDF format {fmt!r}; choose one of {', '.join(sorted(set(_FORMATS.values())))}")
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
        lines = sorted(line for line in nt.serialize(format="nt").split("\n") if line.strip())
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
        namespaces.update((d, key_root + d + "/") for d in _dir_names(iris, key_root, set(namespaces)))
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


def base_namespaces(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes :func:`to_rdf` binds whatever the graph holds (key directories come on top)."""
    return {**{prefix: str(ns) for prefix, ns in _STANDARD}, "id": str(node_iri("", base))}


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


def validate(g: Graph) -> None:
    """Check ``g`` against ontology/shapes.ttl; raise ShapeViolation naming shapes and nodes.

    Writes ``g`` as N-Triples and runs :func:`validate_ntriples`, so there is one validator; messages
    shorten IRIs with ``g``'s own prefixes. ``g`` is not changed.
    """
    _validate_text(g.serialize(format="nt"), _shortener(g.namespaces()))


def validate_ntriples(text: str, *, namespaces: Mapping[str, str] | None = None) -> None:
    """Check N-Triples ``text`` against ontology/shapes.ttl; raise ShapeViolation naming shapes and nodes.

    The core shapes run in pyrudof's native SHACL engine (three to four times faster than pySHACL on
    article graphs), with the ontology's class hierarchy mixed in so a Ceasefire counts as an Agreement;
    the two SPARQL-targeted shapes run as one query each in Oxigraph. Violations read as pySHACL's did:
    the shape's own sh:message, then the path and value. ``namespaces`` (prefix -> IRI) shorten IRIs in
    the message; by default the prefixes :func:`to_rdf` binds for the default base. Raises SyntaxError
    when ``text`` is not N-Triples.
    """
    _validate_text(text, _shortener(namespaces.items()) if namespaces is not None else None)


def _validate_text(text: str, short: Callable[[str], str] | None) -> None:
    store = ox.Store()  # parsed first: a syntax error then comes from one parser whichever engine follows
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    found = set(_sparql_target_violations(store))
    results = _core_results(text)
    if not found and results is None:
        return
    if short is None:
        iris = {t.value for r in results or () for t in r.values() if isinstance(t, ox.NamedNode)}
        short = _default_shortener(iris | {focus for _, focus, _ in found})
    violations = sorted(found | set(_violations(results or [], short)))
    raise ShapeViolation(_summary(violations, short), violations=violations)


#: Sessions of pyrudof, one per thread, with the shapes and the class hierarchy loaded (see _rudof).
_SESSIONS = threading.local()

#: The process in which pyrudof validated first, starting its Rust thread pool (rayon). A process forked from
#: it inherits the pool's state but not its threads, so pyrudof would wait for them forever there.
_POOL_PID: int | None = None

#: Date literals whose lexical form is not valid get a datatype of this prefix + the XSD one (see _mark_ill_formed).
_ILL_FORMED = "urn:x-newsgraph:ill-formed:"
_LAX_DATATYPES = re.compile(r'"\^\^<http://www\.w3\.org/2001/XMLSchema#(date|gYearMonth|gYear)>')
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR_LEX = r"(-?(?:[1-9]\d{3,}|0\d{3}))"
_DATE_LEX = {"date": re.compile(rf"{_YEAR_LEX}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]){_TZ}"),
             "gYearMonth": re.compile(rf"{_YEAR_LEX}-(0[1-9]|1[0-2]){_TZ}"),
             "gYear": re.compile(rf"{_YEAR_LEX}{_TZ}")}


def warm_up() -> None:
    """Read the shapes and open this thread's validation session now, so that the first check does not wait."""
    _rudof()
    _sparql_target_shapes()


def _rudof() -> pyrudof.Rudof:
    """This thread's pyrudof session: shapes parsed once, the class hierarchy loaded as base data.

    Each check stages its data on top of the hierarchy and rolls it back (see _core_results): after a
    ``reset_data()`` the next ``read_data()`` costs some 40 ms whatever its size, ten times the
    validation of an article graph. A process forked with a session builds its own (one forked after
    pyrudof validated cannot use pyrudof at all, see _POOL_PID).
    """
    session = getattr(_SESSIONS, "rudof", None)
    if session is None or _SESSIONS.pid != os.getpid():
        session = pyrudof.Rudof()
        session.read_shacl(SHAPES_FILE.read_text(encoding="utf-8"), pyrudof.ShaclFormat.Turtle)
        session.read_data(_class_hierarchy().serialize(format="nt"), pyrudof.RDFFormat.NTriples,
                          reader_mode=pyrudof.ReaderMode.Strict)
        _SESSIONS.rudof, _SESSIONS.pid = session, os.getpid()
    return session


def _core_results(text: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] | None:
    """The core shapes' results (sourceShape, focusNode, resultPath, value ...), None when ``text`` conforms.

    By pyrudof; by pySHACL in a process forked after pyrudof validated in its parent (see _POOL_PID).
    """
    global _POOL_PID
    if not text:  # pyrudof refuses empty input; the hierarchy alone conforms
        return None
    if _POOL_PID not in (None, os.getpid()):
        return _pyshacl_results(text)
    session = _rudof()
    session.begin_staging()
    try:
        session.read_data(_mark_ill_formed(text), pyrudof.RDFFormat.NTriples, merge=True,
                          reader_mode=pyrudof.ReaderMode.Strict)
        _POOL_PID = os.getpid()
        report = session.validate_shacl(pyrudof.ShaclValidationMode.Native)
        report_nt = None if report.conforms else session.serialize_shacl_validation_results(
            pyrudof.ResultShaclValidationFormat.NTriples)
    finally:
        try:
            session.rollback_staging()
        except pyrudof.RudofError:
            _SESSIONS.rudof = None  # its data is in doubt: the next check starts a new session
            raise
    if report_nt is None:
        return None
    by_node: dict[object, dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    top = []  # the report's own results; those of the shapes inside an sh:or hang below them as details
    for t in ox.parse(report_nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        by_node.setdefault(t.subject, {})[t.predicate.value.removeprefix(str(SH))] = t.object  # type: ignore[arg-type]
        if t.predicate.value == str(SH.result):
            top.append(t.object)
    sparql_shapes = {iri for iri, *_ in _sparql_target_shapes()}
    return [r for node in top if (r := by_node.get(node, {})).get("focusNode") is not None
            and (shape := r.get("sourceShape")) is not None and shape.value not in sparql_shapes]


def _pyshacl_results(text: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] | None:
    """The core shapes' results by pySHACL, as :func:`_core_results` gives them, for a process forked after
    pyrudof validated in its parent (see _POOL_PID): slower, but the same violations rather than a hang.
    """
    import pyshacl

    conforms, results, _text = pyshacl.validate(
        Graph().parse(data=text, format="nt"), shacl_graph=_shapes(), ont_graph=_class_hierarchy(),
        inference="none", advanced=False, abort_on_first=False, allow_warnings=False, inplace=True)
    if conforms:
        return None
    keys = ("sourceShape", "focusNode", "resultPath", "value", "resultMessage")
    return [{k: _ox_term(v) for k in keys if (v := results.value(r, SH[k])) is not None}
            for r in results.objects(None, SH.result)]


def _ox_term(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {t!r}")


def _mark_ill_formed(text: str) -> str:
    """``text`` with each ill-formed xsd:date / gYearMonth / gYear literal given a datatype no shape allows.

    pyrudof checks the lexical form of numbers but takes any string as a date, where sh:datatype wants a
    valid one (pySHACL rejected "2024-02-30"^^xsd:date). So such a literal's datatype becomes
    ``<urn:x-newsgraph:ill-formed:...#date>``, which fails sh:datatype like an ill-formed value should;
    messages show the original datatype. Dates are checked by the XSD 1.1 grammar.
    """
    cuts: list[tuple[int, int, str]] = []
    for m in _LAX_DATATYPES.finditer(text):
        end = m.start()
        if _escaped(text, end):  # a quote inside a literal, not the end of one
            continue
        start = text.rfind('"', 0, end)
        while start > 0 and _escaped(text, start):
            start = text.rfind('"', 0, start)
        lexical = text[start + 1: end]
        if "\\" in lexical:  # escapes: let a parser read the one line
            eol = text.find("\n", end)
            line = text[text.rfind("\n", 0, start) + 1: eol if eol >= 0 else len(text)]
            obj = next(iter(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))).object
            lexical = obj.value
        if not _well_formed_date(m[1], lexical):
            cuts.append((m.start() + 4, m.end() - 1, _ILL_FORMED + str(XSD) + m[1]))
    if not cuts:
        return text
    parts, at = [], 0
    for a, b, iri in cuts:
        parts += [text[at:a], iri]
        at = b
    return "".join([*parts, text[at:]])


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n > 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


@lru_cache(maxsize=4096)
def _well_formed_date(kind: str, lexical: str) -> bool:
    m = _DATE_LEX[kind].fullmatch(lexical)
    if m is None:
        return False
    if kind != "date":
        return True
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


@lru_cache(maxsize=1)
def _sparql_target_shapes() -> tuple[tuple[str, str, str, str, dict[str, str]], ...]:
    """(IRI, name, SELECT, message, prefixes) of each shape whose targets a SPARQL query selects (SHACL-AF).

    pyrudof skips them and pySHACL evaluates them one rdflib SPARQL query per focus node; Oxigraph runs
    the constraint's own SELECT once over the whole graph (``$this`` is then an ordinary variable) in a
    fraction of the time.
    """
    shapes = _shapes()
    found = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = [t for t in shapes.objects(shape, SH.target) if (t, RDF.type, SH.SPARQLTarget) in shapes]
        for constraint in shapes.objects(shape, SH.sparql) if targets else ():
            prefixes: dict[str, str] = {}
            for src in shapes.objects(constraint, SH.prefixes):
                for decl in shapes.objects(src, SH.declare):
                    prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
            found.append((str(shape), _shape_name(shape), str(shapes.value(constraint, SH.select)),
                          str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)), prefixes))
    return tuple(found)


def _sparql_target_violations(store: ox.Store) -> list[tuple[str, str, str]]:
    """(shape, focus node, message) of the SPARQL-targeted shapes, evaluated by Oxigraph."""
    found = []
    for _iri, name, select, message, prefixes in _sparql_target_shapes():
        solutions = store.query(select, prefixes=prefixes)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for row in solutions:
            values = {n: row[n].value for n in names if row[n] is not None}
            text = re.sub(r"\{[?$](\w+)\}", lambda m, v=values: v.get(m[1], m[0]), message)
            found.append((name, values["this"], text))
    return found


# --- mapping helpers ----------------------------------------------------------------------------------


_STANDARD = (("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD), ("skos", SKOS), ("schema", SCHEMA),
             ("prov", PROV), ("ng", NG))


def _bind(g: Graph, base: str) -> None:
    for prefix, ns in _STANDARD:
        g.bind(prefix, str(ns), override=True, replace=True)
    id_ns = str(node_iri("", base))
    if id_ns not in {str(ns) for _, ns in g.namespaces()}:
        g.bind("id", id_ns, override=True, replace=True)


def _bind_dirs(g: Graph, base: str) -> None:
    """Bind ``person:``, ``evidence:`` ... to the key directories used, so Turtle stays readable."""
    root = str(node_iri("", base))
    iris = {str(t) for s, _, o in g for t in (s, o) if isinstance(t, URIRef)}
    for d in _dir_names(iris, root, {p for p, _ in g.namespaces()}):
        g.bind(d, root + d + "/", override=True, replace=True)


def _dir_names(iris: Iterable[str], root: str, taken: set[str]) -> list[str]:
    """Key directories (``person``, ``evidence`` ...) under ``root`` that can be prefix names, sorted."""
    dirs = set()
    for t in iris:
        if t.startswith(root):
            head, sep, _rest = t[len(root):].partition("/")
            if sep and _PREFIX_NAME.match(head) and head not in taken:
                dirs.add(head)
    return sorted(dirs)


class _T:
    """The vocabulary's IRIs as N-Triples terms."""

    type, label, altLabel = RDF.type.n3(), RDFS.label.n3(), SKOS.altLabel.n3()
    rdfStatement, subject, predicate, object = (RDF.Statement.n3(), RDF.subject.n3(), RDF.predicate.n3(),
                                                 RDF.object.n3())
    headline, datePublished, author, publisher, inLanguage, url = (
        SCHEMA.headline.n3(), SCHEMA.datePublished.n3(), SCHEMA.author.n3(), SCHEMA.publisher.n3(),
        SCHEMA.inLanguage.n3(), SCHEMA.url.n3())
    wasDerivedFrom = PROV.wasDerivedFrom.n3()
    NewsArticle, Statement, Claim = NG.NewsArticle.n3(), NG.Statement.n3(), NG.Claim.n3()
    articleId, holdsRole, isoCode, mentions, status, scope, duration, place, date = (
        NG.articleId.n3(), NG.holdsRole.n3(), NG.isoCode.n3(), NG.mentions.n3(), NG.status.n3(), NG.scope.n3(),
        NG.duration.n3(), NG.place.n3(), NG.date.n3())
    quote, cue, speaker, claimed, said, modality = (NG.quote.n3(), NG.cue.n3(), NG.speaker.n3(), NG.claimed.n3(),
                                                    NG.said.n3(), NG.modality.n3())
    sentence, startChar, endChar, confidence, resolvedMention = (
        NG.sentence.n3(), NG.startChar.n3(), NG.endChar.n3(), NG.confidence.n3(), NG.resolvedMention.n3())
    reportedBy = NG.reportedBy.n3()
    true = Literal(True).n3()


@lru_cache(maxsize=256)
def _ng(name: str) -> str:
    return NG[name].n3()


@lru_cache(maxsize=1 << 16)
def _node_term(key: str, base: str) -> str:
    return node_iri(key, base).n3()


def _plain(value: str) -> str:
    """A plain literal as rdflib writes it in N-Triples (only backslash, quote, CR and LF escaped)."""
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def _typed(lexical: str, datatype: URIRef) -> str:
    return f'"{lexical}"^^<{datatype}>'


def _add_labels(add: Callable[[str, str, str], None], n: str, label: str, aliases: tuple[str, ...]) -> None:
    add(n, _T.label, _plain(label))
    for alias in sorted(set(aliases)):
        if alias != label and alias.strip():
            add(n, _T.altLabel, _plain(alias))


def _add_provenance(add: Callable[[str, str, str], None], n: str, pv: Provenance, base: str) -> None:
    add(n, _T.wasDerivedFrom, _node_term(article_key(pv.article), base))
    add(n, _T.sentence, _plain(pv.sentence))
    add(n, _T.startChar, _typed(str(int(pv.start)), XSD.integer))
    add(n, _T.endChar, _typed(str(int(pv.end)), XSD.integer))
    add(n, _T.confidence, _decimal(pv.confidence))
    if pv.resolved:
        add(n, _T.resolvedMention, _T.true)


def _decimal(value: float) -> str:
    """xsd:decimal with exactly three places, spelled out so it serializes the same everywhere."""
    try:
        d = Decimal(repr(float(value))).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # nan / inf: keep it visible, the shapes reject it
        return Literal(str(value), datatype=XSD.decimal).n3()
    if d.is_zero():
        d = Decimal("0.000")
    return _typed(format(d, "f"), XSD.decimal)


def _date_literal(value: str | None) -> str | None:
    """An ISO date as xsd:date (or gYearMonth / gYear when partial); None when it is not a date."""
    if not value:
        return None
    v = value.strip()
    if m := _DATE.match(v):
        try:
            dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return _typed(v[:10], XSD.date)
    if (m := _YEAR_MONTH.match(v)) and 1 <= int(m[2]) <= 12:
        return _typed(v, XSD.gYearMonth)
    if _YEAR.match(v):
        return _typed(v, XSD.gYear)
    return None


def _url_term(url: str) -> str:
    """An IRI for an absolute http(s) URL that is a valid IRI, else a literal (never a broken IRI)."""
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return _plain(url)
    if parts.scheme in ("http", "https") and parts.netloc and not _IRI_UNSAFE.search(u):
        return URIRef(u).n3()
    return _plain(url)


@lru_cache(maxsize=1)
def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


# --- validation helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def _class_hierarchy() -> Graph:
    """Only the named-class subClassOf axioms: what sh:class needs, and cheap to mix in per call."""
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    g = Graph()
    for c, sup in onto.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(sup, URIRef):
            g.add((c, RDFS.subClassOf, sup))
            g.add((c, RDF.type, OWL.Class))
    return g


def _violations(results: Iterable[Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]],
                short: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(shape, focus node, message) per result, sorted and without duplicates, worded as pySHACL's were.

    The message is the shape's own sh:message (pyrudof words sh:or and sh:lessThanOrEquals results its
    own way), then the path and the value unless the value is the focus node itself.
    """
    messages = _shape_messages()
    found = set()
    for r in results:
        shape, focus = r["sourceShape"], r["focusNode"]
        fallback = r.get("resultMessage")
        message = messages.get(shape.value) or (fallback.value if fallback is not None else "violates the shape")
        path, value = r.get("resultPath"), r.get("value")
        if isinstance(path, ox.NamedNode):
            message += f" [path {short(path.value)}]"
        if value is not None and value != focus:
            text = _show(value, short)
            message += f" [value {text if len(text) <= 60 else text[:57] + '...'}]"
        found.add((_shape_name(URIRef(shape.value) if isinstance(shape, ox.NamedNode) else None),
                   focus.value, message))
    return sorted(found)


def _show(value: ox.NamedNode | ox.BlankNode | ox.Literal, short: Callable[[str], str]) -> str:
    """A value as Turtle would write it, an ill-formed date (see _mark_ill_formed) with its own datatype."""
    if not isinstance(value, ox.Literal):
        return short(value.value)
    text = Literal(value.value, lang=value.language).n3()
    datatype = value.datatype.value.removeprefix(_ILL_FORMED)
    return text if value.language or datatype == str(XSD.string) else text + f"^^{short(datatype)}"


@lru_cache(maxsize=1)
def _shape_messages() -> dict[str, str]:
    """Shape IRI -> its sh:message, what every result of the shape says."""
    shapes = _shapes()
    return {str(s): str(m) for s, m in shapes.subject_objects(SH.message) if isinstance(s, URIRef)}


def _shape_name(shape: Node | None) -> str:
    if isinstance(shape, URIRef):
        return re.split(r"[#/]", str(shape))[-1]
    name = _shapes().value(shape, SH.name) if shape is not None else None
    return str(name) if name is not None else "unnamed shape"


def _shortener(namespaces: Iterable[tuple[str, object]]) -> Callable[[str], str]:
    """IRI -> ``prefix:rest`` with the given (prefix, namespace) pairs, for messages a person reads."""
    prefixes = sorted(((str(ns), p) for p, ns in namespaces), key=lambda x: (-len(x[0]), x[1]))

    def short(iri: str) -> str:
        for ns, p in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns):]}"
        return iri

    return short


def _default_shortener(iris: Iterable[str]) -> Callable[[str], str]:
    """The prefixes :func:`to_rdf` binds for the default base, key directories among ``iris`` included."""
    namespaces = base_namespaces()
    root = namespaces["id"]
    namespaces.update((d, root + d + "/") for d in _dir_names(iris, root, set(namespaces)))
    return _shortener(namespaces.items())


def _summary(violations: list[tuple[str, str, str]], short: Callable[[str], str]) -> str:
    n = len(violations)
    lines = [f"graph violates the SHACL shapes ({n} violation{'s' if n != 1 else ''}):"]
    lines += [f"  {shape} on {short(focus)}: {msg}" for shape, focus, msg in violations[:MAX_REPORTED]]
    if n > MAX_REPORTED:
        lines.append(f"  ... and {n - MAX_REPORTED} more")
    return "\n".join(lines)


# --- back from RDF ------------------------------------------------------------------------------------


def guess_base(g: Graph) -> str:
    """The base IRI a graph was written with, read off its article nodes (``base + "article/" + id``)."""
    for a in sorted(g.subjects(RDF.type, NG.NewsArticle)):
        aid = g.value(a, NG.articleId)
        suffix = "article/" + str(aid) if aid is not None else None
        if suffix and str(a).endswith(suffix):
            return str(a)[: -len(suffix)]
    return DEFAULT_BASE


def from_rdf(g: Graph, *, base: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph a graph written by :func:`to_rdf` holds; ``to_rdf(from_rdf(g))`` equals ``g``.

    Lets every command work from ``out/graph.ttl`` alone (view, export, notebooks), whatever built it.
    Article texts are not in the graph, so loaded articles have an empty ``text``.
    """
    root = str(node_iri("", base or guess_base(g)))

    def key(node: Node) -> str:
        s = str(node)
        return unquote(s[len(root):]) if s.startswith(root) else s

    def text(node: Node, p: URIRef) -> str | None:
        v = g.value(node, p)
        return str(v) if v is not None else None

    def texts(node: Node, p: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in g.objects(node, p)))

    def provenance(node: Node) -> Provenance:
        conf = g.value(node, NG.confidence)
        return Provenance(
            article=key(g.value(node, PROV.wasDerivedFrom))[len("article/"):],
            sentence=text(node, NG.sentence) or "", start=int(g.value(node, NG.startChar) or 0),
            end=int(g.value(node, NG.endChar) or 0), confidence=float(conf) if conf is not None else 0.0,
            resolved=bool(g.value(node, NG.resolvedMention)))

    def mentioned_in(node: Node) -> tuple[str, ...]:
        return tuple(sorted(key(a)[len("article/"):] for a in g.subjects(NG.mentions, node)))

    kg = KnowledgeGraph()
    for a in g.subjects(RDF.type, NG.NewsArticle):
        aid = text(a, NG.articleId) or key(a)[len("article/"):]
        title = text(a, SCHEMA.headline)
        label = text(a, RDFS.label)
        kg.articles[aid] = Article(
            id=aid, text="", path=label if label not in (None, title, aid) else "", title=title,
            published=text(a, SCHEMA.datePublished), source=text(a, SCHEMA.publisher),
            author=text(a, SCHEMA.author), url=text(a, SCHEMA.url), language=text(a, SCHEMA.inLanguage))
    for typ in ENTITY_TYPES:
        for n in g.subjects(RDF.type, NG[typ]):
            kg.entities[key(n)] = Entity(
                key=key(n), type=typ, label=text(n, RDFS.label) or key(n), aliases=texts(n, SKOS.altLabel),
                roles=texts(n, NG.holdsRole), articles=mentioned_in(n), code=text(n, NG.isoCode))
    for typ in AGREEMENT_TYPES + EVENT_TYPES:
        for n in g.subjects(RDF.type, NG[typ]):
            place = g.value(n, NG.place)
            kg.agreements[key(n)] = Agreement(
                key=key(n), type=typ, label=text(n, RDFS.label) or key(n), aliases=texts(n, SKOS.altLabel),
                status=text(n, NG.status), scope=text(n, NG.scope), duration=text(n, NG.duration),
                place=key(place) if place is not None else None, date=text(n, NG.date),
                articles=mentioned_in(n))
    for n in g.subjects(RDF.type, NG.Statement):
        kg.statements[key(n)] = Statement(
            key=key(n), speakers=tuple(sorted(key(s) for s in g.objects(n, NG.speaker))),
            text=text(n, NG.quote) or "", cue=text(n, NG.cue) or "",
            kind="claim" if (n, RDF.type, NG.Claim) in g else "quote", provenance=provenance(n))
    for ev in g.subjects(RDF.type, RDF.Statement):
        pred = g.value(ev, RDF.predicate)
        if pred is None or not str(pred).startswith(str(NG)):
            continue
        kg.relations.append(Relation(
            subject=key(g.value(ev, RDF.subject)), predicate=str(pred)[len(str(NG)):],
            object=key(g.value(ev, RDF.object)), provenance=provenance(ev),
            modality=text(ev, NG.modality) or "asserted", date=text(ev, NG.date),
            reported_by=tuple(sorted(key(r) for r in g.objects(ev, NG.reportedBy)))))
    kg._sort()
    return kg
