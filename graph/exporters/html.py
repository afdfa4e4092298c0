"""The interactive HTML view: one self-contained, offline, deterministic page per graph.

The page inlines vis-network (taken from the installed pyvis package, so no CDN is needed) and an
app script from ``html_template.html``. Graph data travels as escaped JSON in a
``<script type="application/json">`` block and is only ever put into the DOM as text, because
article text is untrusted. Node positions are computed here with a seeded layout and physics is
off in the browser, so the same graph always looks the same and large graphs draw at once.
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

import networkx as nx
import numpy as np

from ..atomic import atomic_write_text
from ..explore.cuts import OVERVIEW_NODES, overview
from ..model import KnowledgeGraph
from ..records import EVENT_TYPES, SYMMETRIC

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

_AGREED = frozenset({"agreed", "signed", "in force", "in-force", "entered into force"})
_LABEL_MAX = 48
_QUOTE_MAX = 32  # quotes are long; the side panel shows them whole
_LARGE = 500  # from here on networkx's spring_layout needs scipy; use the numpy layout instead
_SPACING = 140.0  # page pixels between neighbouring nodes, roughly: room for a label
_TEMPLATE = Path(__file__).with_name("html_template.html")
_VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"
_SLOT = re.compile(r"@@(TITLE|SUMMARY|VIS_JS|DATA)@@")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """Exporter-registry entry point (``EXPORTERS["html"]``); the RDF base IRI plays no part in the view.

    A graph of more than OVERVIEW_NODES nodes is drawn as its overview (graph.explore.cuts.overview).
    """
    del base
    write_html(kg, path, max_nodes=OVERVIEW_NODES)


def write_html(kg: KnowledgeGraph, path: Path, *, title: str = "newsgraph", max_nodes: int = 0) -> None:
    """Write the page to ``path`` atomically; the same graph and title always give the same bytes.

    With ``max_nodes`` > 0 a bigger graph is cut to its best-connected nodes and the page says so.
    """
    atomic_write_text(Path(path), render_html(kg, title=title, max_nodes=max_nodes))


def render_html(kg: KnowledgeGraph, *, title: str = "newsgraph", max_nodes: int = 0) -> str:
    """The page as a string (what :func:`write_html` writes)."""
    total = len(kg.entities) + len(kg.agreements) + len(kg.statements)
    shown = overview(kg, max_nodes)
    data = _page_data(shown, title)
    if shown is not kg:
        data["summary"] += (f" · the {max_nodes:,} best-connected of {total:,} nodes; "
                            "newsgraph view OUT --focus NAME draws any actor's neighbourhood")
    parts = {
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(data["summary"]),
        "VIS_JS": _vis_js(),
        "DATA": _script_json(data),
    }
    # One pass, so text inserted for one slot is never scanned for another.
    page = _SLOT.sub(lambda m: parts[m.group(1)], _TEMPLATE.read_text(encoding="utf-8"))
    # Only the page's own scripts may run: an injected inline script or handler is refused by the browser.
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in _INLINE_SCRIPT.findall(page)
    )
    csp = (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    return page.replace("@@CSP@@", csp, 1)


def _vis_js() -> str:
    js = resources.files("pyvis").joinpath(_VIS_JS).read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE).rstrip() + "\n"
    if "</script" in js.lower() or "<!--" in js:  # would end the inline <script> early
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


def _page_data(kg: KnowledgeGraph, title: str) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    for key, ent in kg.entities.items():
        group = ent.type if ent.type in ("Person", "Organization", "Country", "Place") else "other"
        nodes[key] = {"kind": "entity", "type": ent.type, "group": group, "name": ent.label,
                      "aliases": list(ent.aliases), "roles": list(ent.roles), "articles": list(ent.articles),
                      "code": ent.code}
    for key, agr in kg.agreements.items():
        articles = set(agr.articles) | ({agr.provenance.article} if agr.provenance else set())
        nodes[key] = {"kind": "event" if agr.type in EVENT_TYPES else "agreement", "type": agr.type,
                      "group": _group_of_agreement(agr.type, agr.status), "name": agr.label,
                      "aliases": list(agr.aliases), "articles": sorted(articles), "status": agr.status,
                      "scope": agr.scope, "duration": agr.duration, "date": agr.date,
                      "place": kg.node_label(agr.place) if agr.place else None}
    for key, st in kg.statements.items():
        nodes[key] = {"kind": "statement", "type": "Quote" if st.kind == "quote" else "Claim", "group": "statement",
                      "name": st.text, "articles": [st.provenance.article], "cue": st.cue,
                      "speakers": list(st.speakers), "sentence": st.provenance.sentence,
                      "confidence": round(st.provenance.confidence, 3)}
    quotes: dict[str, list[str]] = defaultdict(list)
    for key, st in kg.statements.items():
        for sp in st.speakers:
            quotes[sp].append(key)

    # One drawn edge per (subject, predicate, object); each backing sentence is one piece of evidence.
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in kg.relations:
        p = rel.provenance
        grouped[(rel.subject, rel.predicate, rel.object)].append(
            {"sentence": p.sentence, "article": p.article, "confidence": round(p.confidence, 3),
             "modality": rel.modality, "date": rel.date, "resolved": p.resolved})
    for key, st in kg.statements.items():
        p = st.provenance
        for sp in st.speakers:
            grouped[(sp, "said" if st.kind == "quote" else "claimed", key)].append(
                {"sentence": p.sentence, "article": p.article, "confidence": round(p.confidence, 3),
                 "modality": "asserted", "date": None, "resolved": p.resolved})
    for subj, _, obj in grouped:
        for k in (subj, obj):
            if k not in nodes:  # a relation to a key the graph has no record for: still draw it
                nodes[k] = {"kind": "other", "type": "Other", "group": "other", "name": kg.node_label(k),
                            "articles": []}

    edges: list[dict[str, Any]] = []
    for i, ((subj, pred, obj), evidence) in enumerate(sorted(grouped.items())):
        evidence.sort(key=lambda e: (e["article"], e["sentence"], -e["confidence"]))
        edges.append({"id": f"e{i}", "from": subj, "to": obj, "predicate": pred, "evidence": evidence,
                      "articles": sorted({e["article"] for e in evidence}),
                      "arrow": pred not in SYMMETRIC})
    _bend_parallel_edges(edges)

    g = kg.to_networkx()
    order = sorted(nodes)
    pos = _layout(order, [(e["from"], e["to"]) for e in edges])
    node_list = []
    for key in order:
        n = nodes[key]
        deg = g.degree(key) if key in g else 0
        limit = _QUOTE_MAX if n["kind"] == "statement" else _LABEL_MAX
        n.update(id=key, label=_short(n["name"], limit), degree=deg, size=round(min(45.0, 10 + 4 * math.sqrt(deg)), 1),
                 x=pos[key][0], y=pos[key][1], quotes=quotes.get(key, []))
        node_list.append(n)

    articles = {aid: {"title": a.title, "path": a.path, "published": a.published, "source": a.source,
                      "url": a.url} for aid, a in kg.articles.items()}
    dates = sorted(a.published for a in kg.articles.values() if a.published)
    n_quotes = len(kg.statements)
    summary = (f"{len(articles)} article{'s' if len(articles) != 1 else ''} · {len(node_list)} nodes"
               + (f" ({n_quotes} quotes, hidden by default)" if n_quotes else "")
               + f" · {len(edges)} edges from {len(kg.relations)} relations"
               + (f" · published {dates[0]} to {dates[-1]}" if dates else " · no publication dates"))
    counts: dict[str, int] = defaultdict(int)
    for n in node_list:
        counts[n["group"]] += 1
    groups = [{"id": gid, "name": name, "shape": shape, "color": color, "count": counts[gid],
               "hidden": gid == "statement"} for gid, name, shape, color in GROUPS]
    return {"title": title, "summary": summary, "dateFrom": dates[0] if dates else None,
            "dateTo": dates[-1] if dates else None, "groups": groups, "articles": articles,
            "predicates": sorted({e["predicate"] for e in edges}), "nodes": node_list, "edges": edges}


def _bend_parallel_edges(edges: list[dict[str, Any]]) -> None:
    """Curve the 2nd, 3rd ... edge between the same two nodes so that parallel edges stay readable."""
    seen: dict[frozenset[str], int] = defaultdict(int)
    for e in edges:
        pair = frozenset((e["from"], e["to"]))
        i = seen[pair]
        seen[pair] += 1
        e["bend"] = round(0.25 * ((i + 1) // 2) * (1 if i % 2 else -1), 2) if i else 0


def _layout(order: list[str], pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions in page pixels, rounded so that the output is byte-stable.

    Each connected component is laid out on its own and the components are then packed in rows,
    largest first: laid out together, unconnected nodes would fly to a far ring and squash the rest.
    """
    g = nx.Graph()
    g.add_nodes_from(order)
    g.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in pairs if a != b))
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    blocks = [(comp, _component_layout(g, comp)) for comp in comps]
    # Shelf packing: fill rows of a roughly square area, left to right, top to bottom.
    gap = _SPACING / 2
    width = max([2 * r for _, (_, r) in blocks] + [math.sqrt(sum((2 * r + gap) ** 2 for _, (_, r) in blocks))])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, (arr, r) in blocks:
        if x > 0 and x + 2 * r > width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for key, (px, py) in zip(comp, arr, strict=True):
            pos[key] = (x + r + float(px), y + r + float(py))
        x += 2 * r + gap
        row_height = max(row_height, 2 * r)
    if pos:
        cx = (min(p[0] for p in pos.values()) + max(p[0] for p in pos.values())) / 2
        cy = (min(p[1] for p in pos.values()) + max(p[1] for p in pos.values())) / 2
        pos = {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in pos.items()}
    return pos


def _component_layout(g: nx.Graph, comp: list[str]) -> tuple[np.ndarray, float]:
    """Positions of one connected component, centred on 0, and the radius of the disc they fill."""
    n = len(comp)
    if n == 1:
        return np.zeros((1, 2)), _SPACING / 2
    if n < _LARGE:
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted(g.subgraph(comp).edges()))
        raw = nx.spring_layout(sub, seed=42)
        arr = np.array([raw[k] for k in comp], dtype=float)
    else:
        index = {k: i for i, k in enumerate(comp)}
        links = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in g.subgraph(comp).edges())
        arr = _fruchterman_reingold(n, np.array(links, dtype=np.intp).reshape(-1, 2))
    arr = arr - arr.mean(axis=0)
    extent = float(np.sqrt((arr**2).sum(axis=1)).max()) or 1.0
    radius = _SPACING * 0.6 * math.sqrt(n)  # the disc holds about one node per _SPACING² of area
    return arr * (radius / extent), radius


def _fruchterman_reingold(n: int, links: np.ndarray, iterations: int = 50, seed: int = 42) -> np.ndarray:
    """Fruchterman-Reingold with dense numpy repulsion: O(n²) per step but ~2 s for 2,000 nodes, no scipy."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    u, v = links[:, 0], links[:, 1]
    k = np.float32(math.sqrt(1.0 / n))
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.maximum(d2, np.float32(1e-6), out=d2)
        rep = (k * k) / d2  # repulsion k²/d along the unit vector delta/d
        fx = np.einsum("ij,ij->i", dx, rep)
        fy = np.einsum("ij,ij->i", dy, rep)
        if len(links):
            ex, ey = x[u] - x[v], y[u] - y[v]
            pull = np.sqrt(ex * ex + ey * ey) / k  # attraction d²/k along the unit vector
            fx -= np.bincount(u, ex * pull, n) - np.bincount(v, ex * pull, n)
            fy -= np.bincount(u, ey * pull, n) - np.bincount(v, ey * pull, n)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        step = np.minimum(length, t) / length
        pos[:, 0] += (fx * step).astype(np.float32)
        pos[:, 1] += (fy * step).astype(np.float32)
        t -= dt
    return pos.astype(float)
