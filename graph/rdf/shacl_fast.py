"""The core shapes of ontology/shapes.ttl evaluated in Python over one parse of the graph: the build's fast path.

Why: the build validates every article graph it writes, and pyrudof spent some 5 ms of CPU an article on
it (staging the data, then its native engine), more than mapping the graph; this takes 2. The shapes use a small part of
SHACL Core: class, subject and object targets; one-predicate paths; minCount, maxCount, datatype, minLength,
minInclusive, maxInclusive, lessThanOrEquals, nodeKind, class and or. Over a dict of each subject's
values that is a few lookups per focus node. The shapes are read from the shapes graph, not written
here: :func:`compile_shapes` refuses (``Unsupported``) a shape with anything else, and the caller then
validates with pyrudof as before. The SPARQL-targeted shapes are not part of this: Oxigraph runs them.

The results are what pySHACL reports (shape, focus node, path, value), so messages read the same;
tests/test_shacl_fast.py checks on damaged graphs that pySHACL in full mode finds the same violations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["CompiledShapes", "Unsupported", "compile_shapes", "well_formed_date"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Result = dict[str, Term]


class Unsupported(ValueError):
    """The shapes use SHACL this fast path does not evaluate: validate with the full engine."""



#: What a shape may say besides its constraints; anything else is Unsupported.
_IGNORED = {RDF.type, SH.name, SH.message, SH.description, RDFS.comment, RDFS.label}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
_CONSTRAINTS = {SH.minCount, SH.maxCount, SH.datatype, SH.minLength, SH.minInclusive, SH.maxInclusive,
                SH.lessThanOrEquals, SH.nodeKind, SH["class"], SH["or"]}

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(-?(?:[1-9]\d{3,}|0\d{3}))"
_LEXICAL = {
    str(XSD.string): None,  # any lexical form
    str(XSD.integer): _INTEGER,
    str(XSD.decimal): _DECIMAL,
    str(XSD.date): re.compile(rf"{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]){_TZ}"),
    str(XSD.gYearMonth): re.compile(rf"{_YEAR}-(0[1-9]|1[0-2]){_TZ}"),
    str(XSD.gYear): re.compile(rf"{_YEAR}{_TZ}"),
}
_NUMERIC = {str(XSD.integer), str(XSD.decimal)}


@dataclass
class _Shape:
    """One shape: where it looks (targets, path) and what it requires (constraints, in the shapes' order)."""

    node: Node
    path: str | None = None  # IRIs as "<iri>", as the data holds them (see Node_)
    classes: list[str] = field(default_factory=list)
    subjects_of: list[str] = field(default_factory=list)
    objects_of: list[str] = field(default_factory=list)
    constraints: list[tuple[str, Any]] = field(default_factory=list)
    source: ox.NamedNode | None = None  # what its results name as sh:sourceShape (a named top-level shape)


def _iri(node: Node, what: str) -> str:
    if not isinstance(node, URIRef):
        raise Unsupported(f"{what} must be an IRI, got {node!r}")
    return f"<{node}>"


def _compile(shapes: Graph, node: Node, *, top: bool) -> _Shape:
    shape = _Shape(node, source=ox.NamedNode(str(node)) if top and isinstance(node, URIRef) else None)
    targets = {SH.targetClass: shape.classes, SH.targetSubjectsOf: shape.subjects_of,
               SH.targetObjectsOf: shape.objects_of}
    for p, o in sorted(shapes.predicate_objects(node)):
        if p in _IGNORED:
            continue
        if p == SH.path:
            shape.path = _iri(o, "sh:path")  # a predicate path; sequence, inverse ... paths are not handled
        elif p in _TARGETS and top:
            targets[p].append(_iri(o, str(p)))
        elif p == SH["or"]:
            shape.constraints.append(_compile_or([_compile(shapes, m, top=False) for m in Collection(shapes, o)]))
        elif p in (SH.minCount, SH.maxCount, SH.minLength):
            shape.constraints.append((str(p).removeprefix(str(SH)), int(o)))  # type: ignore[arg-type]
        elif p in (SH.minInclusive, SH.maxInclusive):
            if not isinstance(o, Literal) or str(o.datatype) not in _NUMERIC:
                raise Unsupported(f"{p} needs a number here, got {o!r}")
            shape.constraints.append((str(p).removeprefix(str(SH)), Decimal(str(o))))
        elif p == SH.datatype:
            if str(o) not in _LEXICAL or not isinstance(o, URIRef):
                raise Unsupported(f"sh:datatype {o} is not checked here")
            shape.constraints.append(("datatype", str(o)))
        elif p == SH.nodeKind:
            if o != SH.IRI:
                raise Unsupported(f"sh:nodeKind {o} is not checked here")
            shape.constraints.append(("nodeKind", "IRI"))
        elif p == SH["class"]:
            shape.constraints.append(("class", frozenset([_iri(o, str(p))])))
        elif p == SH.lessThanOrEquals:
            shape.constraints.append(("lessThanOrEquals", _iri(o, str(p))))
        else:
            raise Unsupported(f"{p} on shape {node} is not evaluated by the fast path")
    if shape.path is None and any(k in ("minCount", "maxCount", "lessThanOrEquals") for k, _ in shape.constraints):
        raise Unsupported(f"shape {node}: a count or a comparison needs a path")
    return shape


def _compile_or(members: list[_Shape]) -> tuple[str, Any]:
    """sh:or; "any of these classes" or "any of these datatypes" when every member is one such constraint
    on the node itself (the same test, without trying the members one by one)."""
    single = [m.constraints[0] for m in members if m.path is None and len(m.constraints) == 1]
    if len(single) == len(members) and {k for k, _ in single} == {"class"}:
        return ("class", frozenset().union(*(a for _, a in single)))
    if len(single) == len(members) and {k for k, _ in single} == {"datatype"}:
        return ("datatype_any", frozenset(a for _, a in single))
    return ("or", members)


#: A term as the fast path holds it: an IRI as "<iri>", a blank node as "_:label" (both plain strings, whose
#: hashes Python caches), a literal as (lexical form, datatype IRI, language or "").
Node_ = str | tuple[str, str, str]

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return _ESCAPE.sub(lambda m: _SIMPLE_ESCAPES.get(m[1]) or chr(int(m[1][1:], 16)), raw)


_LANG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")


def _bare(raw: str) -> bool:
    """No unescaped quote inside: ``raw`` is one literal's content, not a line's tail."""
    return '"' not in raw.replace("\\\\", "").replace('\\"', "")


def _object(o: str) -> Node_ | None:
    """The object token of a line written ``s p o .`` as a term; None when it is not plainly one token."""
    if o[0] == "<" or o[0] == "_":
        if " " in o or "\t" in o or (o[0] == "<" and o[-1] != ">"):
            return None
        return o if o[0] == "_" or "\\" not in o else "<" + _unescape(o[1:-1]) + ">"
    if o[0] != '"':
        return None
    if o[-1] == '"':
        raw, datatype, language = o[1:-1], _XSD_STRING, ""
    elif o[-1] == ">" and (i := o.rfind('"^^<')) > 0 and " " not in o[i:]:
        raw, datatype, language = o[1:i], _unescape(o[i + 4:-1]), ""
    elif (i := o.rfind('"@')) > 0 and _LANG.fullmatch(o, i + 2):
        raw, datatype, language = o[1:i], _LANG_STRING, o[i + 2:].lower()
    else:
        return None
    return (_unescape(raw), datatype, language) if _bare(raw) else None


def _from_ox(t: Term) -> Node_:
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return (t.value, t.datatype.value, t.language or "")


def to_term(t: Node_) -> Term:
    """A fast-path term as a pyoxigraph one (for the results)."""
    if isinstance(t, tuple):
        lexical, datatype, language = t
        return ox.Literal(lexical, language=language) if language else ox.Literal(
            lexical, datatype=ox.NamedNode(datatype))
    return ox.NamedNode(t[1:-1]) if t[0] == "<" else ox.BlankNode(t[2:])


def _triples(text: str) -> Iterable[tuple[str, str, Node_]]:
    """(subject, predicate, object) of each line of N-Triples ``text`` (valid: the caller's parser checked it).

    Lines as N-Triples writers write them (``s p o .``, one space apart) are cut with string methods; any
    other spelling the grammar allows (tabs, no spaces, a comment, escapes in an IRI) goes through
    pyoxigraph's parser.
    """
    for line in text.split("\n"):
        if not line:
            continue
        parts = line.split(" ", 2)
        if len(parts) == 3 and line.endswith(" .") and len(parts[2]) > 2:
            subject, predicate, rest = parts
            if subject and predicate and subject[0] in "<_" and predicate[0] == "<" and predicate[-1] == ">" and (
                    subject[0] == "_" or subject[-1] == ">") and "\\" not in subject and "\\" not in predicate:
                o = _object(rest[:-2])
                if o is not None:
                    yield subject, predicate, o
                    continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for t in ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
            yield _from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)  # type: ignore[misc]


class _Data:
    """The graph as the shapes read it: each subject's values by predicate, the typed nodes by class."""

    def __init__(self, text: str, shapes: CompiledShapes) -> None:
        values: dict[str, dict[str, list[Node_]]] = {}
        self.subjects: dict[str, list[str]] = defaultdict(list)
        self.objects: dict[str, list[Node_]] = defaultdict(list)
        wanted = shapes.wanted
        for s, p, o in _triples(text):
            d = values.get(s)
            if d is None:
                values[s] = {p: [o]}
            elif (seen := d.get(p)) is None:
                d[p] = [o]
            else:
                seen.append(o)
            if p in wanted:
                self.subjects[p].append(s)
                self.objects[p].append(o)
        self.values = values
        self.ancestors = shapes.ancestors
        if _SUBCLASS in self.subjects:  # the data's own rdfs:subClassOf triples count as well
            supers = {k: set(v) for k, v in shapes.supers.items()}
            for c, sup in zip(self.subjects[_SUBCLASS], self.objects[_SUBCLASS], strict=True):
                if isinstance(sup, str) and c[0] == "<" and sup[0] == "<":
                    supers.setdefault(c, set()).add(sup)
            self.ancestors = _closure(supers)
        self.instances: dict[str, list[str]] = defaultdict(list)
        for node in dict.fromkeys(self.subjects.get(_RDF_TYPE, ())):  # each typed node once
            for c in self.classes(node):
                self.instances[c].append(node)

    def classes(self, node: Node_) -> set[str]:
        """The node's types and every class above them."""
        d = self.values.get(node) if isinstance(node, str) else None
        types = d.get(_RDF_TYPE, ()) if d is not None else ()
        return {a for t in types if isinstance(t, str) and t[0] == "<" for a in self.ancestors.get(t, (t,))}

    def path(self, node: Node_, predicate: str) -> list[Node_]:
        d = self.values.get(node) if isinstance(node, str) else None
        found = d.get(predicate) if d is not None else None
        if not found:
            return []
        return found if len(found) == 1 else list(dict.fromkeys(found))  # value nodes are distinct


_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"


def _closure(supers: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """class -> itself and every class above it through rdfs:subClassOf."""
    out = {}
    for c in supers:
        seen, todo = {c}, [c]
        while todo:
            for s in supers.get(todo.pop(), ()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        out[c] = frozenset(seen)
    return out


def _number(t: Node_) -> Decimal | None:
    if not isinstance(t, tuple) or t[1] not in _NUMERIC or not _LEXICAL[t[1]].fullmatch(t[0]):  # type: ignore[union-attr]
        return None
    try:
        return Decimal(t[0])
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def well_formed_date(kind: str, lexical: str) -> bool:
    """Is ``lexical`` a valid xsd:date / gYearMonth / gYear (``kind``: the datatype's IRI)? By the XSD 1.1 grammar."""
    m = _LEXICAL[kind].fullmatch(lexical)  # type: ignore[union-attr]
    if m is None:
        return False
    if kind != str(XSD.date):
        return True
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _has_datatype(t: Node_, datatypes: Iterable[str]) -> bool:
    if not isinstance(t, tuple) or (datatype := t[1]) not in datatypes:
        return False
    lexical = _LEXICAL[datatype]
    if lexical is None:
        return True
    if datatype in _NUMERIC:
        return lexical.fullmatch(t[0]) is not None
    return well_formed_date(datatype, t[0])


class CompiledShapes:
    """The top-level shapes, ready to run over graphs; :meth:`results` gives pySHACL's results for one graph."""

    def __init__(self, shapes: list[_Shape], supers: dict[str, set[str]]) -> None:
        self.shapes, self.supers = shapes, supers
        self.ancestors = _closure(supers)
        self.wanted = {_RDF_TYPE, _SUBCLASS, *(p for s in shapes for p in (*s.subjects_of, *s.objects_of))}

    def results(self, text: str) -> list[Result]:
        """The violations in N-Triples ``text`` (already parsed once, so known to be valid), one result each:
        a dict of sourceShape, focusNode, resultPath and value (when there is one), as pySHACL reports them."""
        data = _Data(text, self)
        out: list[Result] = []
        for shape in self.shapes:
            for focus in self._focus_nodes(shape, data):
                for value in self._failures(shape, focus, data, first=False):
                    r: Result = {"focusNode": to_term(focus)}
                    if shape.source is not None:
                        r["sourceShape"] = shape.source
                    if shape.path is not None:
                        r["resultPath"] = to_term(shape.path)
                    if value is not None:
                        r["value"] = to_term(value)
                    out.append(r)
        return out

    @staticmethod
    def _focus_nodes(shape: _Shape, data: _Data) -> Iterable[Node_]:
        groups = ([n for c in shape.classes for n in data.instances.get(c, ())],
                  [n for p in shape.subjects_of for n in data.subjects.get(p, ())],
                  [n for p in shape.objects_of for n in data.objects.get(p, ())])
        return dict.fromkeys(n for g in groups for n in g)

    def _failures(self, shape: _Shape, focus: Node_, data: _Data, *, first: bool) -> list[Node_ | None]:
        """The value nodes that fail a constraint (None for a count); with ``first``, stop at the first."""
        values = data.path(focus, shape.path) if shape.path is not None else [focus]
        out: list[Node_ | None] = []
        for kind, arg in shape.constraints:
            if kind == "minCount":
                if len(values) < arg:
                    out.append(None)
            elif kind == "maxCount":
                if len(values) > arg:
                    out.append(None)
            elif kind == "lessThanOrEquals":
                others = [_number(w) for w in data.path(focus, arg)]
                for v in values:
                    a = _number(v)
                    if any(a is None or b is None or a > b for b in others):  # not comparable: a violation
                        out.append(v)
            else:
                out += [v for v in values if not self._value_ok(kind, arg, v, data)]
            if first and out:
                break
        return out

    def _value_ok(self, kind: str, arg: Any, v: Node_, data: _Data) -> bool:
        if kind == "class":
            return not isinstance(v, tuple) and not arg.isdisjoint(data.classes(v))
        if kind == "datatype":
            return _has_datatype(v, (arg,))
        if kind == "datatype_any":
            return _has_datatype(v, arg)
        if kind == "minLength":  # of an IRI's text or a literal's lexical form; a blank node has none
            if isinstance(v, tuple):
                return len(v[0]) >= arg
            return v[0] == "<" and len(v) - 2 >= arg
        if kind in ("minInclusive", "maxInclusive"):
            n = _number(v)
            return n is not None and (n >= arg if kind == "minInclusive" else n <= arg)
        if kind == "nodeKind":
            return isinstance(v, str) and v[0] == "<"
        if kind == "or":
            return any(not self._failures(m, v, data, first=True) for m in arg)
        raise AssertionError(kind)


def compile_shapes(shapes: Graph, hierarchy: Graph, skip: Iterable[str] = ()) -> CompiledShapes:
    """The shapes of ``shapes`` (but ``skip``, the SPARQL-targeted ones) for the fast path; Unsupported if one
    uses SHACL it does not evaluate (then nothing is compiled: all or none, so no shape goes unchecked)."""
    skipped = set(skip)
    tops = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)} - {URIRef(s) for s in skipped})
    for s in shapes.subjects(SH.target, None):
        if str(s) not in skipped:
            raise Unsupported(f"shape {s}: sh:target is evaluated only for the SPARQL-targeted shapes")
    for p in (SH.deactivated, SH.severity, SH.targetNode, SH.node, SH["and"], SH["not"], SH.xone,
              SH.qualifiedValueShape, SH.closed):
        if next(shapes.subject_objects(p), None) is not None:
            raise Unsupported(f"{p} is not evaluated by the fast path")
    compiled = []
    for s in tops:
        if not isinstance(s, URIRef):
            raise Unsupported(f"a top-level shape must be named, got {s!r}")
        compiled.append(_compile(shapes, s, top=True))
    supers: dict[str, set[str]] = {}
    for c, sup in hierarchy.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(sup, URIRef):
            supers.setdefault(f"<{c}>", set()).add(f"<{sup}>")
    return CompiledShapes(compiled, supers)
