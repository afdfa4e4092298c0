"""Checks a query must pass before the engine sees it: no network access, nothing the engine cannot take.

Why here and not in the engine: pyoxigraph evaluates ``SERVICE <iri> {...}`` by sending the query to that
address, with no option to turn it off, so any text that reaches it can make this machine send requests
(to 127.0.0.1, to the LAN) on the caller's behalf. And its parser and evaluator recurse: a query nested
~3,000 levels deep, or a group of ~5,000 BIND/MINUS clauses (a left-deep algebra tree), overflows the
stack and kills the process with SIGSEGV (measured with pyoxigraph 0.5.13 on an 8 MiB stack; OPTIONAL
and property-path sequences of ~1,000 only get slow, which the time-out handles). The limits below stay
far under those figures and far over any query a person writes.

The scan works on tokens: strings, IRIs and comments are skipped, so ``"SERVICE"`` in a literal or
``<http://x/SERVICE>`` is not a SERVICE clause, while the keyword in any letter case is. Oxigraph does not
expand ``\\uXXXX`` escapes outside strings (SPARQL 1.1 section 19.2 allows it), so an escaped keyword is a
syntax error there, not a hidden clause.
"""

from __future__ import annotations

import re

from ..errors import UsageError

__all__ = ["MAX_DEPTH", "MAX_OPERATORS", "check_query", "string_end", "strip_comments_and_strings", "uses_service"]

#: Deepest nesting of ( { [ plus chained unary operators (! - + ^) accepted.
MAX_DEPTH = 128
#: Most clause keywords and binary operators in one query (each adds a level to the engine's trees).
MAX_OPERATORS = 1000

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w\-.:\u00B7\u00C0-\uFFFF]*|[?$][\w\u00B7\u00C0-\uFFFF]+|@[A-Za-z][\w-]*"
                   r"|[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?|_:[\w\-.]+")
_CLAUSES = {"optional", "minus", "union", "bind", "filter", "graph", "values", "service", "exists"}
_BINARY = ("||", "&&", "!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "|")
_UNARY = set("!-+^")


def string_end(text: str, i: int) -> int:
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


def strip_comments_and_strings(sparql: str) -> str:
    """The query with comments removed and every string and IRI replaced by an empty one."""
    out, i, n = [], 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            i = string_end(sparql, i)
            out.append('""')
            continue
        if c == "<" and (m := _IRIREF.match(sparql, i)):
            out.append("<>")
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _measure(stripped: str) -> tuple[bool, int, int]:
    """(has a SERVICE keyword, deepest nesting, clause keywords + binary operators) of a stripped query."""
    service, depth, deepest, operators, run = False, 0, 0, 0, 0
    i, n = 0, len(stripped)
    while i < n:
        c = stripped[i]
        if c.isspace():
            i += 1
            continue
        if stripped.startswith("<>", i):  # an IRI, emptied
            run = 0
            i += 2
            continue
        m = _WORD.match(stripped, i)
        if m is not None:
            word = m.group().lower()
            if word == "service":
                service = True
            if word in _CLAUSES:
                operators += 1
            run = 0
            i = m.end()
            continue
        if c in "({[":
            depth += 1
            deepest = max(deepest, depth + run)
            run = 0
        elif c in ")}]":
            depth = max(0, depth - 1)
            run = 0
        elif c in _UNARY and (run or _after_operator(stripped, i)):
            run += 1
            deepest = max(deepest, depth + run)
        elif stripped.startswith(_BINARY, i):
            operators += 1
            run = 1 if c in _UNARY else 0
        else:
            run = 0
        i += 1
    return service, deepest, operators


def _after_operator(text: str, i: int) -> bool:
    """Whether the character at ``i`` follows an operator or an opening bracket (so it is unary)."""
    j = i - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j < 0 or text[j] in "(!=<>&|,+-*/^{["


def uses_service(sparql: str) -> bool:
    """Whether the query has a SERVICE clause (a keyword outside strings, IRIs and comments)."""
    return _measure(strip_comments_and_strings(sparql))[0]


def check_query(sparql: str, *, allow_service: bool = False, max_chars: int | None = None) -> None:
    """Raise a UsageError saying why when the query may not be handed to the engine.

    Refused: a SERVICE clause unless ``allow_service`` (it makes this machine send the query to another
    address), more than ``max_chars`` characters, nesting deeper than MAX_DEPTH or more than
    MAX_OPERATORS clauses and operators (the engine would crash on its stack).
    """
    if max_chars is not None and len(sparql) > max_chars:
        raise UsageError(f"the query is {len(sparql):,} characters; the limit is {max_chars:,}")
    service, depth, operators = _measure(strip_comments_and_strings(sparql))
    if service and not allow_service:
        raise UsageError("SERVICE clauses are refused: they would make this machine send requests to other "
                         "addresses (federated queries need --allow-service)")
    if depth > MAX_DEPTH:
        raise UsageError(f"the query is nested {depth} levels deep; the limit is {MAX_DEPTH} "
                         "(deeper queries crash the query engine)")
    if operators > MAX_OPERATORS:
        raise UsageError(f"the query has {operators:,} clauses and operators; the limit is {MAX_OPERATORS:,} "
                         "(more crash the query engine)")
