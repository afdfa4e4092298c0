"""Two flat tables, ``nodes.csv`` and ``edges.csv``, for spreadsheets, pandas, R or Gephi's CSV import.

Nodes are actors, agreements, events and quotes (articles are listed per node, as in GraphML); edges
are relations (one row per piece of evidence), ``said`` / ``claimed`` links and agreement ``place``. List
cells (aliases, roles, articles) hold a JSON array (``["Acme", "ACME Corp"]``), empty when there is
nothing: unlike a joined string it survives any member, commas and semicolons included. Written with
the csv module (RFC 4180 quoting, ``\\r\\n`` line ends, UTF-8), rows sorted.

These files are meant to be opened in spreadsheets, which run a cell starting with ``=``, ``+``, ``-``
or ``@`` (some also a tab or carriage return) as a formula: ``=cmd|' /C calc'!A0`` in an article
would run when the file is opened. As OWASP advises against CSV injection, such a text cell gets a
leading ``'`` (:func:`spreadsheet_safe`), which spreadsheets show as text; :func:`spreadsheet_value`
takes it off again, so pandas or R users get every value back exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from ..model import KnowledgeGraph
from ..records import EVENT_TYPES
from .property_graph import write_folder

NODE_HEADER = ("id", "kind", "type", "label", "aliases", "roles", "status", "date", "articles")
EDGE_HEADER = ("source", "target", "predicate", "sentence", "article", "start", "end", "confidence", "modality",
               "date")


#: A text cell a spreadsheet would evaluate, after any apostrophes (so the escape can be undone exactly).
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a ``'`` in front when a spreadsheet would run it as a formula (OWASP: CSV injection).

    Cells already starting with apostrophes before such a character get one more, so that
    :func:`spreadsheet_value` gives back every text exactly.
    """
    return "'" + cell if _FORMULA.match(cell) else cell


def spreadsheet_value(cell: str) -> str:
    """The text :func:`spreadsheet_safe` was given."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def _list(values: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else ""


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)  # RFC 4180 CRLF: a bare \r is quoted
    writer.writerow(header)
    writer.writerows(["" if v is None else spreadsheet_safe(v) if isinstance(v, str) else v for v in row]
                     for row in sorted(rows, key=lambda r: tuple(map(str, r))))
    return buf.getvalue().encode("utf-8")


def tables(kg: KnowledgeGraph) -> dict[str, bytes]:
    """``{"nodes.csv": ..., "edges.csv": ...}``."""
    nodes: dict[str, tuple[object, ...]] = {}
    for key, ent in kg.entities.items():
        nodes[key] = (key, "entity", ent.type, ent.label, _list(ent.aliases), _list(sorted(set(ent.roles))), None,
                      None, _list(ent.articles))
    for key, agr in kg.agreements.items():
        nodes.setdefault(key, (key, "event" if agr.type in EVENT_TYPES else "agreement", agr.type, agr.label,
                               _list(agr.aliases), None, agr.status, agr.date, _list(agr.articles)))
    for key, st in kg.statements.items():
        nodes.setdefault(key, (key, "statement", "Claim" if st.kind == "claim" else "Statement", st.text, None,
                               None, None, None, _list([st.provenance.article])))
    edges: list[tuple[object, ...]] = []
    for key, agr in kg.agreements.items():
        if agr.place:
            edges.append((key, agr.place, "place", None, None, None, None, None, None, None))
    for key, st in kg.statements.items():
        pv = st.provenance
        for sp in sorted(set(st.speakers)):
            edges.append((sp, key, "claimed" if st.kind == "claim" else "said", pv.sentence, pv.article, pv.start,
                          pv.end, repr(float(pv.confidence)), None, None))
    for rel in kg.relations:
        pv = rel.provenance
        edges.append((rel.subject, rel.object, rel.predicate, pv.sentence, pv.article, pv.start, pv.end,
                       repr(float(pv.confidence)), rel.modality, rel.date))
    return {"nodes.csv": _table(NODE_HEADER, list(nodes.values())), "edges.csv": _table(EDGE_HEADER, edges)}


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """The folder ``path`` with nodes.csv and edges.csv (registry entry ``csv``); the base IRI plays no part."""
    del base
    write_folder(Path(path), tables(kg))
