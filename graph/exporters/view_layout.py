"""Seeded node positions for the HTML views, in page pixels, with room for every label.

Each connected component is laid out on its own (force-directed: an agreement with its parties becomes a
star around it) and then spread until no two label boxes overlap at zoom 1; the components are packed in
rows, largest first. Unconnected actors are not laid out at all: the page lists them in a tray.
Positions are rounded so that the same graph always gives the same bytes.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

LABEL_PX = 14  # the label font size on screen; the page keeps it constant while zooming
_CHAR_PX = 7.4  # mean glyph width of the sans-serif face at LABEL_PX
_LARGE = 500  # from here on networkx's spring_layout needs scipy; use the numpy layout instead
_SPREAD_MAX = 600  # nodes of a component up to which label boxes are spread apart (O(n²) per pass)
_GAP = 24.0  # pixels between packed components
_ASPECT = 1.5  # width / height of the graph's canvas on a 1400 x 900 page
_DENSE = 2500  # nodes up to which repulsion is computed between all pairs
_SAMPLE = 48  # others sampled per node and step above that


def label_box(label: str, size: float) -> tuple[float, float]:
    """Width and height of a node with its label drawn below it, in pixels at zoom 1."""
    return max(2 * size, _CHAR_PX * len(label)) + 10, 2 * size + LABEL_PX * 1.3 + 8


def layout(order: list[str], pairs: list[tuple[str, str]], boxes: dict[str, tuple[float, float]],
           late: frozenset[str] = frozenset()) -> dict[str, tuple[float, float]]:
    """Positions of ``order`` centred on 0; ``boxes`` gives each node's (width, height) with its label.

    ``late`` nodes (hidden until asked for: quotes, actors known only for them) do not take room in the
    first picture: each is put on a ring around the drawn nodes it links to, and those linked to none are
    laid out on their own below.
    """
    early = [k for k in order if k not in late]
    pos = _layout(early, [(a, b) for a, b in pairs if a not in late and b not in late], boxes)
    rest = [k for k in order if k in late]
    if not rest:
        return pos
    links: dict[str, list[str]] = {k: [] for k in rest}
    for a, b in sorted(pairs):
        if a in links and b in pos:
            links[a].append(b)
        if b in links and a in pos:
            links[b].append(a)
    around: dict[str, int] = {}
    alone = []
    for key in rest:
        if not links[key]:
            alone.append(key)
            continue
        anchor = links[key][0]
        i = around[anchor] = around.get(anchor, -1) + 1
        angle = 2.4 * i + 0.8  # golden-angle steps: no two on one spot
        r = 70.0 + 18 * i
        ax, ay = pos[anchor]
        pos[key] = (round(ax + r * math.cos(angle), 1), round(ay + r * math.sin(angle), 1))
    if alone:
        below = _layout(alone, [(a, b) for a, b in pairs if a in links and b in links and not links[a]
                                and not links[b]], boxes)
        top = max((p[1] for p in pos.values()), default=0.0) + 120.0
        low = min(p[1] for p in below.values())
        pos.update({k: (x, round(y - low + top, 1)) for k, (x, y) in below.items()})
    return pos


def _layout(order: list[str], pairs: list[tuple[str, str]],
            boxes: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Positions of ``order``, component by component, packed to the canvas shape and centred on 0."""
    if not order:
        return {}
    g = nx.Graph()
    g.add_nodes_from(order)
    g.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in pairs if a != b))
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    blocks = []
    for comp in comps:
        size = np.array([boxes[k] for k in comp], dtype=float)
        arr = _component_layout(g, comp, size)
        if len(comp) <= _SPREAD_MAX:
            arr = _spread(arr, size)
        lo = (arr - size / 2).min(axis=0)
        hi = (arr + size / 2).max(axis=0)
        blocks.append((comp, arr - lo, hi - lo))
    width = _best_width(blocks)
    pos: dict[str, tuple[float, float]] = {}
    for comp, arr, origin in _shelves(blocks, width):
        for key, (px, py) in zip(comp, arr, strict=True):
            pos[key] = (origin[0] + float(px), origin[1] + float(py))
    if pos:
        cx = (min(p[0] for p in pos.values()) + max(p[0] for p in pos.values())) / 2
        cy = (min(p[1] for p in pos.values()) + max(p[1] for p in pos.values())) / 2
        pos = {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in pos.items()}
    return pos


def _shelves(blocks: list, width: float) -> list[tuple[list[str], np.ndarray, tuple[float, float]]]:
    """Shelf packing: blocks left to right in rows of ``width``, top to bottom; each block's origin."""
    placed = []
    x = y = row_height = 0.0
    for comp, arr, (w, h) in blocks:
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        placed.append((comp, arr, (x, y)))
        x += float(w) + _GAP
        row_height = max(row_height, float(h))
    return placed


def _best_width(blocks: list) -> float:
    """The row width whose packing fills a canvas of _ASPECT best (the largest zoom that shows it all)."""
    widest = max(float(ext[0]) for _, _, ext in blocks)
    total = sum(float(ext[0]) + _GAP for _, _, ext in blocks)
    best, best_zoom = widest, 0.0
    for i in range(25):
        width = widest + (total - widest) * i / 24
        right = bottom = 0.0
        for (_, _, (x, y)), (_, _, (w, h)) in zip(_shelves(blocks, width), blocks, strict=True):
            right, bottom = max(right, x + float(w)), max(bottom, y + float(h))
        zoom = min(_ASPECT / right, 1.0 / bottom)
        if zoom > best_zoom:
            best, best_zoom = width, zoom
    return best


def _component_layout(g: nx.Graph, comp: list[str], size: np.ndarray) -> np.ndarray:
    """Positions of one component, centred on 0, scaled so that its nodes have about their box of room."""
    n = len(comp)
    if n == 1:
        return np.zeros((1, 2))
    if n < _LARGE:
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted(g.subgraph(comp).edges()))
        raw = nx.spring_layout(sub, seed=42, k=1.5 / math.sqrt(n), iterations=100)
        arr = np.array([raw[k] for k in comp], dtype=float)
    else:
        index = {k: i for i, k in enumerate(comp)}
        links = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in g.subgraph(comp).edges())
        arr = fruchterman_reingold(n, np.array(links, dtype=np.intp).reshape(-1, 2))
    arr = arr - arr.mean(axis=0)
    extent = float(np.sqrt((arr**2).sum(axis=1)).max()) or 1.0
    radius = 0.45 * math.sqrt(float((size[:, 0] * size[:, 1]).sum()))  # the disc about holds the boxes
    return arr * (radius / extent)


def _spread(arr: np.ndarray, size: np.ndarray, passes: int = 150) -> np.ndarray:
    """Push overlapping boxes apart along the axis where they overlap least, until none overlap."""
    pos = arr.copy()
    n = len(pos)
    if n < 2:
        return pos
    half = size * np.array([0.66, 0.6])  # a third to spare: the page zooms out to fit a larger graph
    jitter = np.random.default_rng(7).normal(0, 0.5, size=(n, 2))
    pos += jitter
    iu = np.triu_indices(n, 1)
    for _ in range(passes):
        dx = pos[:, None, 0] - pos[None, :, 0]
        dy = pos[:, None, 1] - pos[None, :, 1]
        ox = (half[:, None, 0] + half[None, :, 0]) - np.abs(dx)
        oy = (half[:, None, 1] + half[None, :, 1]) - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        hit[np.diag_indices(n)] = False
        if not hit[iu].any():
            break
        along_x = hit & (ox / np.maximum(half[:, None, 0] + half[None, :, 0], 1) <=
                         oy / np.maximum(half[:, None, 1] + half[None, :, 1], 1))
        along_y = hit & ~along_x
        push_x = np.where(along_x, np.sign(dx + 1e-9) * (ox / 2 + 1), 0.0).sum(axis=1)
        push_y = np.where(along_y, np.sign(dy + 1e-9) * (oy / 2 + 1), 0.0).sum(axis=1)
        pos[:, 0] += np.clip(push_x, -200, 200)
        pos[:, 1] += np.clip(push_y, -200, 200)
    return pos


def fruchterman_reingold(n: int, links: np.ndarray, iterations: int = 50, seed: int = 42) -> np.ndarray:
    """Fruchterman-Reingold in numpy, no scipy: dense repulsion (O(n²), ~2 s for 2,000 nodes) up to
    _DENSE nodes, above that each node is pushed by a fresh random sample of others at every step."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    u, v = links[:, 0], links[:, 1]
    k = np.float32(math.sqrt(1.0 / n))
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        if n <= _DENSE:
            dx = x[:, None] - x[None, :]
            dy = y[:, None] - y[None, :]
            scale = np.float32(1.0)
        else:
            other = rng.integers(0, n, size=(n, _SAMPLE))
            dx = x[:, None] - x[other]
            dy = y[:, None] - y[other]
            scale = np.float32(n / _SAMPLE)  # the sample stands for all n
        d2 = dx * dx + dy * dy
        np.maximum(d2, np.float32(1e-6), out=d2)
        rep = (k * k) / d2 * scale  # repulsion k²/d along the unit vector delta/d
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
