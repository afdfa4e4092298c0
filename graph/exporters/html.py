"""The interactive HTML view: one self-contained, offline, deterministic page per graph.

The page inlines its renderer and an app script from ``html_template.html``: vis-network (from the
installed pyvis package) for story-sized graphs, sigma.js in WebGL (from the installed ipysigma
package, see :mod:`.view_sigma`) above SIGMA_FROM nodes; both get the same search, filters, timeline,
tray of unconnected actors and evidence panel. Graph data travels as escaped JSON in a
``<script type="application/json">`` block and is only ever put into the DOM as text, because
article text is untrusted. Positions are computed here (:mod:`.view_layout`), so the same graph
always looks the same and large graphs draw at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_text
from ..errors import UsageError
from ..explore.cuts import OVERVIEW_NODES, mentions, overview
from ..model import KnowledgeGraph
from ..records import EVENT_TYPES, SYMMETRIC
from .view_layout import label_box, layout

#: Legend order, display name, vis-network shape and colour of every node group.
GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("Person", "Person", "dot", "#4e79a7"),
    ("Organization", "Organization", "square", "#f28e2b"),
    ("Country", "Country", "hexagon", "#76b7b2"),
    ("Place", "Place", "triangle", "#9c755f"),
    ("agreement-agreed", "Agreement: agreed / signed / in force", "diamond", "#59a14f"),
    ("agreement-proposed", "Agreement: proposed", "diamond", "#edc948"),
    ("agreement-rejected", "Agreement: rejected", "diamond", "#e15759"),
    ("agreement-other", "Agreement: hoped for / other", "diamond", "#bab0ac"),
    ("event", "Event: meeting, talks, summit, call, attack", "star", "#b07aa1"),
    ("statement", "Quote / claim", "triangleDown", "#ff9da7"),
    ("other", "Other", "dot", "#999999"),
)
#: Edge colour by what a relation says about its subject's stance (as graph.explore.analysis.STANCE reads it).
RELATION_COLOURS: dict[str, str] = {
    "agreedTo": "#2e8b3e", "signed": "#2e8b3e", "proposed": "#2e8b3e", "supports": "#2e8b3e",
    "rejected": "#c8423b", "opposes": "#c8423b", "attacked": "#c8423b",
    "negotiated": "#8a5fb0", "participatesIn": "#8a5fb0",
    "said": "#d9779a", "claimed": "#d9779a", "mentions": "#c3c8d0",
}
_OTHER_RELATION = "#7a8699"
#: From this many drawn nodes on the page uses sigma.js (WebGL): vis-network's canvas stalls near a thousand.
SIGMA_FROM = 2500

_AGREED = frozenset({"agreed", "signed", "in force", "in-force", "entered into force"})
_LABEL_MAX = 40
_QUOTE_MAX = 32  # quotes are long; the side panel shows them whole
_TEMPLATE = Path(__file__).with_name("html_template.html")
_VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"
_SLOT = re.compile(r"@@(TITLE|SUMMARY|NOTICE|RENDERER_JS|DATA)@@")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """Exporter-registry entry point (``EXPORTERS["html"]``); the RDF base IRI plays no part in the view.

    A graph of more than OVERVIEW_NODES actors and agreements is drawn as its overview (graph.explore.cuts).
    """
    del base
    write_html(kg, path, max_nodes=OVERVIEW_NODES)


def write_html(kg: KnowledgeGraph, path: Path, *, title: str = "newsgraph", max_nodes: int = 0,
               renderer: str = "auto", focus: str | None = None, notice: str | None = None) -> dict[str, Any]:
    """Write the page to ``path`` atomically; the same arguments always give the same bytes.

    Returns what the page draws (see :func:`render_page`), for the caller to report.
    """
    page, stats = render_page(kg, title=title, max_nodes=max_nodes, renderer=renderer, focus=focus, notice=notice)
    atomic_write_text(Path(path), page)
    return stats


def render_html(kg: KnowledgeGraph, *, title: str = "newsgraph", max_nodes: int = 0, renderer: str = "auto",
                focus: str | None = None, notice: str | None = None) -> str:
    """The page as a string (what :func:`write_html` writes)."""
    return render_page(kg, title=title, max_nodes=max_nodes, renderer=renderer, focus=focus, notice=notice)[0]


def render_page(kg: KnowledgeGraph, *, title: str = "newsgraph", max_nodes: int = 0, renderer: str = "auto",
                focus: str | None = None, notice: str | None = None) -> tuple[str, dict[str, Any]]:
    """The page and its figures: ``nodes`` (actors and agreements drawn or in the tray), ``quotes``, ``edges``,
    ``renderer`` and ``left_out`` (actors and agreements the node cap dropped).

    ``focus`` is a node key to select and centre when the page opens (its quotes are then shown too);
    ``notice`` a sentence the page shows above the graph (why a view is empty, say).
    """
    shown = overview(kg, max_nodes)
    data = page_data(shown, title, focus=focus)
    left = _left_out(kg, shown)
    if left["nodes"]:
        data["summary"] += f" · {left['text']}"
    data["notice"] = notice or ""
    drawn = sum(1 for n in data["nodes"] if n["kind"] != "statement")
    if renderer == "auto":
        renderer = "sigma" if drawn > SIGMA_FROM else "vis"
    if renderer not in ("vis", "sigma"):
        raise UsageError(f"renderer must be 'auto', 'vis' or 'sigma', not {renderer!r}")
    data["renderer"] = renderer
    if renderer == "sigma":
        from .view_sigma import sigma_js, sigma_state

        data["sigma"] = sigma_state(data)
        library = sigma_js()
    else:
        library = _vis_js()
    parts = {
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(data["summary"]),
        "NOTICE": html.escape(data["notice"]),
        "RENDERER_JS": library,
        "DATA": _script_json(data),
    }
    # One pass, so text inserted for one slot is never scanned for another.
    page = _SLOT.sub(lambda m: parts[m.group(1)], _TEMPLATE.read_text(encoding="utf-8"))
    # Only the page's own scripts may run: an injected inline script or handler is refused by the browser.
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in _INLINE_SCRIPT.findall(page)
    )
    # sigma.js runs its layouts in workers made from blobs of its own (hashed) script; vis-network needs none.
    workers = "; worker-src blob:" if renderer == "sigma" else ""
    csp = (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
           f"connect-src 'none'; form-action 'none'; base-uri 'none'{workers}")
    stats = {"nodes": drawn, "quotes": len(data["nodes"]) - drawn, "edges": len(data["edges"]),
             "tray": sum(1 for n in data["nodes"] if n.get("tray")), "renderer": renderer, "left_out": left["nodes"]}
    return page.replace("@@CSP@@", csp, 1), stats


def _left_out(kg: KnowledgeGraph, shown: KnowledgeGraph) -> dict[str, Any]:
    """What the node cap dropped, in words for the page."""
    if shown is kg:
        return {"nodes": 0, "text": ""}
    actors = len(kg.entities) - len(shown.entities)
    agreements = len(kg.agreements) - len(shown.agreements)
    quotes = len(kg.statements) - len(shown.statements)
    relations = len(kg.relations) - len(shown.relations)
    s = "" if agreements == 1 else "s"
    words = [f"{actors:,} actor{'s' if actors != 1 else ''}", f"{agreements:,} agreement{s} or event{s}",
             f"{relations:,} relations", f"{quotes:,} quotes"]
    text = ("left out, to keep the page readable: " + ", ".join(words)
            + " (the whole neighbourhoods of the best-connected agreements and actors are drawn; "
              "newsgraph view OUT --focus NAME or --article NAME draws any part)")
    return {"nodes": actors + agreements, "text": text}


def _vis_js() -> str:
    js = resources.files("pyvis").joinpath(_VIS_JS).read_text(encoding="utf-8")
    return script_safe(re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE).rstrip() + "\n")


def script_safe(js: str) -> str:
    """JavaScript that cannot end the inline ``<script>`` holding it early."""
    if "</script" in js.lower() or "<!--" in js:
        js = js.replace("</", "<\\/").replace("<!--", "<\\!--")
    return js


def _script_json(data: dict[str, Any]) -> str:
    """JSON that cannot end its ``<script>`` element or be read as markup (``<`` etc. become escapes)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _group_of_agreement(type_: str, status: str | None) -> str:
    if type_ in EVENT_TYPES:
        return "event"
    s = (status or "").strip().lower()
    if s in _AGREED:
        return "agreement-agreed"
    if s in ("proposed", "rejected"):
        return f"agreement-{s}"
    return "agreement-other"


def _short(text: str, limit: int = _LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _nodes(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    published = {a.id: a.published for a in kg.articles.values() if a.published}
    nodes: dict[str, dict[str, Any]] = {}
    for key, ent in kg.entities.items():
        group = ent.type if ent.type in ("Person", "Organization", "Country", "Place") else "other"
        nodes[key] = {"kind": "entity", "type": ent.type, "group": group, "name": ent.label,
                      "aliases": list(ent.aliases), "roles": list(ent.roles), "articles": list(ent.articles),
                      "code": ent.code}
    for key, agr in kg.agreements.items():
        articles = sorted(set(agr.articles) | ({agr.provenance.article} if agr.provenance else set()))
        dates = sorted(published[a] for a in articles if a in published)
        when, dated_by = (agr.date, "own date") if agr.date else ((dates[0], "article") if dates else (None, None))
        nodes[key] = {"kind": "event" if agr.type in EVENT_TYPES else "agreement", "type": agr.type,
                      "group": _group_of_agreement(agr.type, agr.status), "name": agr.label,
                      "aliases": list(agr.aliases), "articles": articles, "status": agr.status,
                      "scope": agr.scope, "duration": agr.duration, "date": agr.date, "when": when,
                      "datedBy": dated_by, "place": kg.node_label(agr.place) if agr.place else None}
    for key, st in kg.statements.items():
        nodes[key] = {"kind": "statement", "type": "Quote" if st.kind == "quote" else "Claim", "group": "statement",
                      "name": st.text, "articles": [st.provenance.article], "cue": st.cue,
                      "speakers": list(st.speakers), "sentence": st.provenance.sentence,
                      "confidence": round(st.provenance.confidence, 3)}
    return nodes


def _evidence(p: Any, modality: str, date: str | None) -> dict[str, Any]:
    return {"sentence": p.sentence, "article": p.article, "confidence": round(p.confidence, 3),
            "modality": modality, "date": date, "resolved": p.resolved}


def _edges(kg: KnowledgeGraph, nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One drawn edge per (subject, predicate, object); each backing sentence is one piece of evidence."""
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in kg.relations:
        grouped[(rel.subject, rel.predicate, rel.object)].append(_evidence(rel.provenance, rel.modality, rel.date))
    for key, st in kg.statements.items():
        for sp in st.speakers:
            grouped[(sp, "said" if st.kind == "quote" else "claimed", key)].append(
                _evidence(st.provenance, "asserted", None))
    for key, named in mentions(kg).items():  # a quote links to the actors and agreements it names
        for other in named:
            grouped[(key, "mentions", other)].append(_evidence(kg.statements[key].provenance, "asserted", None))
    for subj, _, obj in grouped:
        for k in (subj, obj):
            if k not in nodes:  # a relation to a key the graph has no record for: still draw it
                nodes[k] = {"kind": "other", "type": "Other", "group": "other", "name": kg.node_label(k),
                            "articles": []}
    edges: list[dict[str, Any]] = []
    for i, ((subj, pred, obj), evidence) in enumerate(sorted(grouped.items())):
        evidence.sort(key=lambda e: (e["article"], e["sentence"], -e["confidence"]))
        edges.append({"id": f"e{i}", "from": subj, "to": obj, "predicate": pred, "evidence": evidence,
                      "articles": sorted({e["article"] for e in evidence}), "arrow": pred not in SYMMETRIC,
                      "color": RELATION_COLOURS.get(pred, _OTHER_RELATION)})
    _bend_parallel_edges(edges)
    return edges


def page_data(kg: KnowledgeGraph, title: str, *, focus: str | None = None) -> dict[str, Any]:
    """Everything the page's script draws, as plain JSON-ready values (also what the notebooks embed)."""
    nodes = _nodes(kg)
    edges = _edges(kg, nodes)
    degree: dict[str, int] = defaultdict(int)
    related: set[str] = set()  # in a relation, not only in quotes (in a focus view: in any edge)
    linked: set[str] = set()
    weight: dict[str, int] = defaultdict(int)  # sizes nodes: relations only, or 20 quotes outweigh a treaty
    for e in edges:
        degree[e["from"]] += len(e["evidence"])
        degree[e["to"]] += len(e["evidence"])
        linked.update((e["from"], e["to"]))
        quote_link = e["predicate"] in ("said", "claimed", "mentions")
        if not quote_link:
            weight[e["from"]] += len(e["evidence"])
            weight[e["to"]] += len(e["evidence"])
        if focus or not quote_link:
            related.update((e["from"], e["to"]))
    quotes: dict[str, list[str]] = defaultdict(list)
    for key, st in kg.statements.items():
        for sp in st.speakers:
            quotes[sp].append(key)
    order = sorted(nodes)
    for key in order:
        n = nodes[key]
        limit = _QUOTE_MAX if n["kind"] == "statement" else _LABEL_MAX
        hub = n["kind"] in ("agreement", "event")
        n.update(id=key, label=_short(n["name"], limit), degree=degree[key], quotes=quotes.get(key, []),
                 size=round(min(40.0, (14 if hub else 9) + 3 * math.sqrt(weight[key] or min(degree[key], 1))), 1),
                 tray=n["kind"] != "statement" and key not in related and key != focus)
    # Laid out: whatever has an edge (an actor known only for its quotes is drawn once quotes are shown).
    placed = [k for k in order if not nodes[k]["tray"] or k in linked]
    boxes = {k: label_box(nodes[k]["label"], nodes[k]["size"]) for k in placed}
    late = frozenset(k for k in placed if nodes[k]["tray"] or (nodes[k]["kind"] == "statement" and not focus))
    pos = layout(placed, [(e["from"], e["to"]) for e in edges if e["from"] in boxes and e["to"] in boxes], boxes,
                 late)
    for key in order:
        nodes[key]["x"], nodes[key]["y"] = pos.get(key, (0.0, 0.0))
    node_list = [nodes[k] for k in order]
    articles = {aid: {"title": a.title, "path": a.path, "published": a.published, "source": a.source,
                      "url": a.url} for aid, a in kg.articles.items()}
    dates = sorted({a.published for a in kg.articles.values() if a.published}
                   | {n["when"] for n in node_list if n.get("when")})
    n_quotes = len(kg.statements)
    n_tray = sum(1 for n in node_list if n["tray"])
    summary = (f"{len(articles)} article{'s' if len(articles) != 1 else ''} · {_actors(len(node_list) - n_quotes)}"
               + (f" ({n_tray} with no relation, listed apart)" if n_tray else "")
               + (f" · {n_quotes} quotes{'' if focus else ', hidden by default'}" if n_quotes else "")
               + f" · {len(edges)} edges from {len(kg.relations)} relations"
               + (f" · published {min(a['published'] for a in articles.values() if a['published'])} to "
                  f"{max(a['published'] for a in articles.values() if a['published'])}"
                  if any(a["published"] for a in articles.values()) else " · no publication dates"))
    counts: dict[str, int] = defaultdict(int)
    for n in node_list:
        counts[n["group"]] += 1
    groups = [{"id": gid, "name": name, "shape": shape, "color": color, "count": counts[gid],
               "hidden": gid == "statement" and not focus} for gid, name, shape, color in GROUPS]
    predicates = sorted({e["predicate"] for e in edges})
    return {"title": title, "summary": summary, "dateFrom": dates[0] if dates else None,
            "dateTo": dates[-1] if dates else None, "groups": groups, "articles": articles, "focus": focus,
            "predicates": predicates, "colors": {p: RELATION_COLOURS.get(p, _OTHER_RELATION) for p in predicates},
            "nodes": node_list, "edges": edges}


def _actors(n: int) -> str:
    return f"{n:,} actor or agreement" if n == 1 else f"{n:,} actors and agreements"


def _bend_parallel_edges(edges: list[dict[str, Any]]) -> None:
    """Curve the 2nd, 3rd ... edge between the same two nodes so that parallel edges stay readable."""
    seen: dict[frozenset[str], int] = defaultdict(int)
    for e in edges:
        pair = frozenset((e["from"], e["to"]))
        i = seen[pair]
        seen[pair] += 1
        e["bend"] = round(0.25 * ((i + 1) // 2) * (1 if i % 2 else -1), 2) if i else 0
