"""SHACL validation against ontology/shapes.ttl: the core shapes by the fast path (shacl_fast.py; pyrudof when the
shapes use SHACL it does not evaluate), the SPARQL-targeted ones by Oxigraph."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

import pyoxigraph as ox
import pyrudof
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import ShapeViolation
from ..vocab import (
    ONTOLOGY_FILE,
    SHAPES_FILE,
)
from .iris import base_namespaces, dir_names
from .shacl_fast import CompiledShapes, Unsupported, compile_shapes, well_formed_date

#: Violations spelled out in ShapeViolation's message; the rest are counted.
MAX_REPORTED = 10


def validate(g: Graph) -> None:
    """Check ``g`` against ontology/shapes.ttl; raise ShapeViolation naming shapes and nodes.

    Writes ``g`` as N-Triples and runs :func:`validate_ntriples`, so there is one validator; messages
    shorten IRIs with ``g``'s own prefixes. ``g`` is not changed.
    """
    _validate_text(g.serialize(format="nt"), _shortener(g.namespaces()))


def validate_ntriples(text: str, *, namespaces: Mapping[str, str] | None = None) -> None:
    """Check N-Triples ``text`` against ontology/shapes.ttl; raise ShapeViolation naming shapes and nodes.

    The core shapes run in the fast path over one parse of ``text`` (:mod:`graph.rdf.shacl_fast`; in
    pyrudof's native engine when the shapes use more of SHACL), with the ontology's class hierarchy mixed
    in so a Ceasefire counts as an Agreement; the two SPARQL-targeted shapes run as one query each in
    Oxigraph. Violations read as pySHACL's did:
    the shape's own sh:message, then the path and value. ``namespaces`` (prefix -> IRI) shorten IRIs in
    the message; by default the prefixes :func:`to_rdf` binds for the default base. Raises SyntaxError
    when ``text`` is not N-Triples.
    """
    _validate_text(text, _shortener(namespaces.items()) if namespaces is not None else None)


def _validate_text(text: str, short: Callable[[str], str] | None) -> None:
    store = ox.Store()  # parsed first: a syntax error then comes from one parser whichever engine follows
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    found = set(_sparql_target_violations(store))
    fast = _fast_path()
    results = (fast.results(text) or None) if fast is not None else _core_results(text)
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


def warm_up() -> None:
    """Read the shapes and ready the validators now, so that the first check does not wait."""
    if _fast_path() is None:
        _rudof()
    _sparql_target_shapes()


@lru_cache(maxsize=1)
def _fast_path() -> CompiledShapes | None:
    """The core shapes compiled for the fast path; None when they use SHACL it does not evaluate (then pyrudof)."""
    try:
        return compile_shapes(_shapes(), _class_hierarchy(), skip=[iri for iri, *_ in _sparql_target_shapes()])
    except Unsupported:
        return None


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
        if not well_formed_date(str(XSD) + m[1], lexical):
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
    namespaces.update((d, root + d + "/") for d in dir_names(iris, root, set(namespaces)))
    return _shortener(namespaces.items())


def _summary(violations: list[tuple[str, str, str]], short: Callable[[str], str]) -> str:
    n = len(violations)
    lines = [f"graph violates the SHACL shapes ({n} violation{'s' if n != 1 else ''}):"]
    lines += [f"  {shape} on {short(focus)}: {msg}" for shape, focus, msg in violations[:MAX_REPORTED]]
    if n > MAX_REPORTED:
        lines.append(f"  ... and {n - MAX_REPORTED} more")
    return "\n".join(lines)
