"""The graph as tables, rankings and sub-graphs: what notebooks and quick analyses need, in one import.

    from graph.explore import analysis
    frames = analysis.to_frames(kg)                  # entities, agreements, relations, statements, articles
    analysis.query("out/", "agreements", actor="Russia")
    analysis.centrality(kg).head()                   # who holds the graph together

Everything is derived from a KnowledgeGraph (or a build's RDF store) and is deterministic: the same graph
gives the same rows in the same order, so notebook outputs can be compared from run to run. The network
measures read the *actor graph*: actors and agreements/events as nodes, one undirected edge per pair that
any relation links. Quotes are left out, because a quote is what one actor said, not a tie between two.
pandas is imported inside the functions that return frames, so ``import graph`` does not pay for it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import UsageError
from ..model import KnowledgeGraph
from .cuts import find_node

if TYPE_CHECKING:
    import pandas as pd
    import pyoxigraph as ox

__all__ = [
    "STANCE",
    "actor_graph",
    "bipartite",
    "centrality",
    "communities",
    "ego",
    "find_node",
    "pagerank",
    "query",
    "timeline",
    "to_frames",
]

#: How an actor -> agreement predicate reads in the bipartite view: backing it, against it, or involved.
STANCE: dict[str, str] = {
    "agreedTo": "for",
    "signed": "for",
    "proposed": "for",
    "supports": "for",
    "rejected": "against",
    "opposes": "against",
    "attacked": "against",
    "negotiated": "involved",
    "participatesIn": "involved",
}

_SAVED_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(_XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_FLOAT_TYPES = frozenset(_XSD + t for t in ("decimal", "double", "float"))


def _pandas() -> Any:
    import pandas as pd

    return pd


def _frame(rows: list[dict[str, Any]], columns: list[str], sort: list[str]) -> pd.DataFrame:
    """A frame with ``columns`` even when empty, sorted stably by ``sort`` (missing values last)."""
    pd = _pandas()
    df = pd.DataFrame(rows, columns=columns)
    if len(df):
        df = df.sort_values(sort, kind="stable", na_position="last").reset_index(drop=True)
    return df


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


# --- tables -------------------------------------------------------------------------------------------


def to_frames(kg: KnowledgeGraph) -> dict[str, pd.DataFrame]:
    """Entities, agreements, relations, statements and articles as tidy tables, node keys resolved to labels.

    One row per record (per speaker for statements, so a quote of two speakers is two rows, as in the
    ``quotes`` saved query); keys stay in ``*_key`` columns for joins. Sorted for reading: entities by
    type and label, agreements by date then label, relations by subject/predicate/object labels.
    """
    label = kg.node_label
    entities = _frame(
        [{"label": e.label, "type": e.type, "aliases": _join(e.aliases), "roles": _join(e.roles), "code": e.code,
          "articles": len(e.articles), "key": e.key} for e in kg.entities.values()],
        ["label", "type", "aliases", "roles", "code", "articles", "key"], ["type", "label", "key"])
    agreements = _frame(
        [{"label": a.label, "type": a.type, "status": a.status, "date": a.date,
          "place": label(a.place) if a.place else None, "scope": a.scope, "duration": a.duration,
          "aliases": _join(a.aliases), "articles": len(a.articles), "key": a.key} for a in kg.agreements.values()],
        ["label", "type", "status", "date", "place", "scope", "duration", "aliases", "articles", "key"],
        ["date", "label", "key"])
    relations = _frame(
        [{"subject": label(r.subject), "predicate": r.predicate, "object": label(r.object), "modality": r.modality,
          "date": r.date, "confidence": r.provenance.confidence, "sentence": r.provenance.sentence,
          "article": r.provenance.article, "start": r.provenance.start, "end": r.provenance.end,
          "subject_key": r.subject, "object_key": r.object} for r in kg.relations],
        ["subject", "predicate", "object", "modality", "date", "confidence", "sentence", "article", "start", "end",
         "subject_key", "object_key"],
        ["subject", "predicate", "object", "article", "start"])
    statements = _frame(
        [{"speaker": label(sp) if sp else None, "kind": s.kind, "cue": s.cue, "text": s.text,
          "sentence": s.provenance.sentence, "article": s.provenance.article, "start": s.provenance.start,
          "confidence": s.provenance.confidence, "speaker_key": sp, "key": s.key}
         for s in kg.statements.values() for sp in (s.speakers or (None,))],
        ["speaker", "kind", "cue", "text", "sentence", "article", "start", "confidence", "speaker_key", "key"],
        ["speaker", "article", "start", "key"])
    articles = _frame(
        [{"id": a.id, "title": a.title, "published": a.published, "source": a.source, "author": a.author,
          "url": a.url, "path": a.path} for a in kg.articles.values()],
        ["id", "title", "published", "source", "author", "url", "path"], ["published", "id"])
    return {"entities": entities, "agreements": agreements, "relations": relations, "statements": statements,
            "articles": articles}


# --- SPARQL -------------------------------------------------------------------------------------------


def query(out_or_store: str | Path | ox.Store | KnowledgeGraph, name_or_sparql: str, **params: str) -> pd.DataFrame:
    """A saved query (by name, e.g. ``"agreements"``) or raw SPARQL as a DataFrame of plain Python values.

    ``out_or_store`` is a build output folder or RDF file (opened with :func:`graph.ask.sparql.load_store`), an
    open pyoxigraph Store (reuse one for many queries), or a KnowledgeGraph (put in a fresh in-memory store).
    ``params`` bind the ``$name`` placeholders as string literals. Literals become str, int, float or bool
    by their datatype (dates stay ISO strings), IRIs their full text, unbound values None. An ASK query
    gives one ``result`` column, CONSTRUCT/DESCRIBE a subject/predicate/object table.
    """
    import pyoxigraph as ox

    from ..ask.labels import label_index
    from ..ask.sparql import dataset_options, get_saved_query, load_store, run_query, saved_queries

    labels = None
    if isinstance(out_or_store, ox.Store):
        store = out_or_store
    elif isinstance(out_or_store, KnowledgeGraph):
        store = _memory_store(out_or_store)
    else:
        store = load_store(out_or_store)
        labels = label_index(out_or_store, store, dataset_options(store))
    saved = saved_queries()
    text = name_or_sparql.strip()
    if text in saved or _SAVED_NAME.match(text):
        result = run_query(store, get_saved_query(text).bind(params, labels=labels))
    else:
        result = run_query(store, name_or_sparql, params=params)
    pd = _pandas()
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"result": [bool(result)]})
    if isinstance(result, ox.QueryTriples):
        return pd.DataFrame([[_value(t.subject), _value(t.predicate), _value(t.object)] for t in result],
                            columns=["subject", "predicate", "object"])
    columns = [v.value for v in result.variables]
    return pd.DataFrame([[_value(row[c]) for c in columns] for row in result], columns=columns)


def _memory_store(kg: KnowledgeGraph) -> ox.Store:
    import pyoxigraph as ox

    from ..rdf import to_rdf

    store = ox.Store()
    data = to_rdf(kg).serialize(format="nt", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def _value(term: object) -> str | int | float | bool | None:
    """A query term as a plain Python value: typed literals by datatype, the rest as text."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:  # an ill-typed literal: keep what was written
            return term.value
        if dt == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


# --- the actor graph ----------------------------------------------------------------------------------


def actor_graph(kg: KnowledgeGraph) -> nx.Graph:
    """Actors and agreements/events as an undirected simple graph, quotes excluded.

    Direction and multiplicity are dropped on purpose: "A met B" and "B met A" are one tie, and ten
    sentences saying so do not make it ten ties. Each edge keeps ``predicates`` (sorted tuple) and
    ``weight`` (how many relations back it); nodes keep ``kind``, ``type`` and ``label``. Self-loops and
    relations to nodes the graph does not hold are left out.
    """
    g = nx.Graph()
    for key, ent in kg.entities.items():
        g.add_node(key, kind="entity", type=ent.type, label=ent.label)
    for key, agr in kg.agreements.items():
        g.add_node(key, kind="agreement", type=agr.type, label=agr.label, status=agr.status or "")
    for rel in kg.relations:
        s, o = rel.subject, rel.object
        if s == o or s not in g or o not in g:
            continue
        if g.has_edge(s, o):
            data = g.edges[s, o]
            data["weight"] += 1
            data["predicates"] = tuple(sorted({*data["predicates"], rel.predicate}))
        else:
            g.add_edge(s, o, weight=1, predicates=(rel.predicate,))
    return g


def pagerank(g: nx.Graph, *, alpha: float = 0.85, tol: float = 1e-12, max_iter: int = 1000) -> dict[Any, float]:
    """PageRank of an unweighted undirected graph by power iteration (numpy; networkx's own needs scipy).

    Same definition as ``networkx.pagerank``: a walker follows a random edge with probability ``alpha``
    and jumps to a random node otherwise; a node without edges sends its walker anywhere. Values sum to 1.
    """
    import numpy as np

    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in g.edges()]
    src = np.array([a for a, _ in pairs] + [b for _, b in pairs], dtype=np.int64)  # each edge both ways
    dst = np.array([b for _, b in pairs] + [a for a, _ in pairs], dtype=np.int64)
    deg = np.bincount(src, minlength=n).astype(float)
    dangling = deg == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.divide(x, deg, out=np.zeros(n), where=~dangling)
        new = alpha * np.bincount(dst, weights=share[src], minlength=n)
        new += (alpha * x[dangling].sum() + 1.0 - alpha) / n
        done = np.abs(new - x).sum() < n * tol
        x = new
        if done:
            break
    x /= x.sum()
    return {v: float(x[i]) for v, i in index.items()}


def centrality(kg: KnowledgeGraph, *, actors_only: bool = False, betweenness_sample: int | None = None
               ) -> pd.DataFrame:
    """Who holds the graph together: degree, betweenness and PageRank on :func:`actor_graph`.

    ``degree`` counts distinct neighbours (how many others a node is tied to at all); ``betweenness``
    (normalised) is the share of shortest paths between other nodes that pass through it, so brokers
    between otherwise separate groups score high; ``pagerank`` rewards ties to well-tied nodes. Agreements
    are nodes too (an agreement many actors took a stand on is central); ``actors_only`` keeps only actors
    in the table, the measures still being computed on the whole graph. ``betweenness_sample`` estimates
    betweenness from that many source nodes (seeded) for large graphs. Rows are sorted by degree, then
    betweenness, PageRank and label: degree first because it is the measure a reader can check by hand.
    """
    g = actor_graph(kg)
    k = betweenness_sample if betweenness_sample is not None and betweenness_sample < len(g) else None
    between = nx.betweenness_centrality(g, k=k, normalized=True, seed=0 if k else None)
    ranks = pagerank(g)
    rows = [{"label": d["label"], "kind": d["kind"], "type": d["type"], "degree": g.degree(v),
             "betweenness": between.get(v, 0.0), "pagerank": ranks.get(v, 0.0), "key": v,
             "_pr": -round(ranks.get(v, 0.0), 12), "_bt": -round(between.get(v, 0.0), 12)}
            for v, d in g.nodes(data=True) if not actors_only or d["kind"] == "entity"]
    rows.sort(key=lambda r: (-r["degree"], r["_bt"], r["_pr"], r["label"], r["key"]))
    cols = ["label", "kind", "type", "degree", "betweenness", "pagerank", "key"]
    pd = _pandas()
    return pd.DataFrame([{c: r[c] for c in cols} for r in rows], columns=cols)


def communities(kg: KnowledgeGraph, *, method: str = "greedy", seed: int = 0, resolution: float = 1.0,
                include_isolated: bool = False) -> pd.DataFrame:
    """Groups of actors and agreements more tied to each other than to the rest, one row per member.

    ``method`` is ``"greedy"`` (Clauset-Newman-Moore greedy modularity, deterministic) or ``"louvain"``
    (seeded with ``seed``). Communities are numbered from 0 by size, largest first (ties by their first
    label). Nodes without any tie form no community and are left out unless ``include_isolated``.
    """
    g = actor_graph(kg)
    isolated = [v for v in g if g.degree(v) == 0]
    core = g.subgraph(v for v in g if g.degree(v) > 0)
    groups: list[set[Any]] = []
    if core.number_of_edges():
        if method == "greedy":
            groups = [set(c) for c in nx.community.greedy_modularity_communities(core, resolution=resolution)]
        elif method == "louvain":
            groups = [set(c) for c in nx.community.louvain_communities(core, seed=seed, resolution=resolution)]
        else:
            raise UsageError(f"unknown community method {method!r}; use 'greedy' or 'louvain'")
    if include_isolated:
        groups.extend({v} for v in isolated)
    label = nx.get_node_attributes(g, "label")
    groups.sort(key=lambda c: (-len(c), min(label[v] for v in c)))
    rows = [{"community": i, "size": len(c), "label": label[v], "kind": g.nodes[v]["kind"],
             "type": g.nodes[v]["type"], "degree": g.degree(v), "key": v}
            for i, c in enumerate(groups) for v in c]
    return _frame(rows, ["community", "size", "label", "kind", "type", "degree", "key"],
                  ["community", "label", "key"])


def ego(kg: KnowledgeGraph, label: str, radius: int = 1) -> nx.Graph:
    """The neighbourhood of one actor or agreement: every node within ``radius`` ties, and the ties among them.

    ``label`` is a label, an alias or a key (see :func:`find_node`). The result is a sub-graph of
    :func:`actor_graph`, so edges carry ``predicates`` and nodes ``kind``/``type``/``label``; the graph's
    ``center`` attribute is the key that was found.
    """
    key = find_node(kg, label)
    sub = nx.ego_graph(actor_graph(kg), key, radius=radius)
    sub.graph["center"] = key
    return sub


def bipartite(kg: KnowledgeGraph) -> pd.DataFrame:
    """Who backs, proposes, rejects or takes part in which agreement or event: one row per distinct edge.

    Only actor -> agreement relations count. ``stance`` reads the predicate (see :data:`STANCE`: ``for``,
    ``against``, ``involved``); ``evidence`` is how many sentences say it and ``confidence`` the best of
    them. Sorted by agreement, then stance and actor.
    """
    found: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for rel in kg.relations:
        if rel.subject in kg.entities and rel.object in kg.agreements:
            found[(rel.subject, rel.predicate, rel.object)].append(rel.provenance.confidence)
    rows = []
    for (s, p, o), confs in found.items():
        ent, agr = kg.entities[s], kg.agreements[o]
        rows.append({"actor": ent.label, "predicate": p, "stance": STANCE.get(p, "involved"), "agreement": agr.label,
                     "actor_type": ent.type, "agreement_type": agr.type, "status": agr.status,
                     "evidence": len(confs), "confidence": max(confs), "actor_key": s, "agreement_key": o})
    cols = ["actor", "predicate", "stance", "agreement", "actor_type", "agreement_type", "status", "evidence",
            "confidence", "actor_key", "agreement_key"]
    return _frame(rows, cols, ["agreement", "stance", "actor", "predicate", "agreement_key", "actor_key"])


def timeline(kg: KnowledgeGraph, *, article_dates: bool = True) -> pd.DataFrame:
    """Agreements, events and dated relations on one time axis, undated ones left out.

    A happening is dated by its own date, else by the earliest dated relation about it, else (with
    ``article_dates``) by the earliest publication date of the articles that mention it, as the
    ``timeline`` saved query does; ``dated_by`` says which. Relations appear only with a date of their
    own. ``date`` is a pandas Timestamp (partial ISO dates such as 2025-03 read as the first day); ``actors``
    lists who took part and how. Sorted by date, then kind and label.
    """
    from ..records import EVENT_TYPES

    pd = _pandas()
    published = {a.id: a.published for a in kg.articles.values() if a.published}
    involved: dict[str, list[str]] = defaultdict(list)
    rel_dates: dict[str, list[str]] = defaultdict(list)
    rows: list[dict[str, Any]] = []
    for rel in kg.relations:
        if rel.object in kg.agreements:
            who = f"{kg.node_label(rel.subject)} ({rel.predicate})"
            if who not in involved[rel.object]:
                involved[rel.object].append(who)
            if rel.date:
                rel_dates[rel.object].append(rel.date)
        if rel.date:
            rows.append({"date": rel.date, "kind": "relation", "label": _relation_text(kg, rel.subject,
                         rel.predicate, rel.object), "type": rel.predicate, "status": None,
                         "actors": kg.node_label(rel.subject), "dated_by": "relation",
                         "key": f"{rel.subject} {rel.predicate} {rel.object}"})
    for key, agr in kg.agreements.items():
        date, dated_by = agr.date, "own date"
        if not date and rel_dates.get(key):
            date, dated_by = min(rel_dates[key]), "relation"
        if not date and article_dates:
            dates = sorted(published[a] for a in agr.articles if a in published)
            date, dated_by = (dates[0], "article") if dates else (None, "")
        if not date:
            continue
        rows.append({"date": date, "kind": "event" if agr.type in EVENT_TYPES else "agreement", "label": agr.label,
                     "type": agr.type, "status": agr.status, "actors": _join(sorted(involved.get(key, ()))),
                     "dated_by": dated_by, "key": key})
    df = pd.DataFrame(rows, columns=["date", "kind", "label", "type", "status", "actors", "dated_by", "key"])
    df["date"] = pd.to_datetime(df["date"], format="ISO8601", errors="coerce")
    df = df.dropna(subset=["date"])
    order = {"agreement": 0, "event": 1, "relation": 2}
    df = df.sort_values(["date", "kind", "label", "key"], key=lambda s: s.map(order) if s.name == "kind" else s,
                        kind="stable")
    return df.reset_index(drop=True)


def _relation_text(kg: KnowledgeGraph, subject: str, predicate: str, obj: str) -> str:
    return f"{kg.node_label(subject)} {predicate} {kg.node_label(obj)}"
