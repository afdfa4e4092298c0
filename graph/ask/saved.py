"""Saved queries (``ontology/queries/*.rq``) and binding their parameters safely; no engine needed.

Parameters are bound by rewriting the query text, token by token: every placeholder ``$name`` outside
strings, IRIs and comments becomes an escaped string literal, so a value can never end the literal or
add syntax, and the bound text runs unchanged on any SPARQL engine. See graph.ask.sparql for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..vocab import ONTOLOGY_DIR
from .guard import string_end
from .labels import LabelIndex, narrow

__all__ = ["QUERIES_DIR", "QueryParam", "SavedQuery", "bind_params", "get_saved_query", "saved_queries",
           "sparql_literal"]

#: Where the saved queries live (the project is installed editable, so the folder is on disk).
QUERIES_DIR = ONTOLOGY_DIR / "queries"

_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D"
                      r"\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]+")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_HEADER = re.compile(r"^#\s*(name|description|param)\s*:\s*(.*?)\s*$")
_PARAM_DOC = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((required|optional)\))?\s*(?:-+|:|–|—)?\s*(.*)$")


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

    def bind(self, params: Mapping[str, str] | None = None, *, labels: LabelIndex | None = None) -> str:
        """The query text with ``params`` bound; unknown or missing required parameters are a UsageError.

        Declared optional parameters that are not given are bound to ``""`` ("any"), so no placeholder is
        ever left unbound by accident. With ``labels`` (the build's :class:`~graph.ask.labels.LabelIndex`),
        a name parameter also lists the nodes it names, so the engine need not read every label.
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
        return bind_params(narrow(self.sparql, values, labels), values)


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
            j = string_end(sparql, i)
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
