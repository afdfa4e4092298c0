"""Smaller views of a KnowledgeGraph: the neighbourhood of one actor, or what one article says.

A graph of many articles is too big to read at once; these cut it down before it is drawn or
exported. They never touch the disk and return new KnowledgeGraph instances, in the same sorted
order as the original, so every exporter works on them unchanged.
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import replace

from ..errors import UsageError
from ..model import KnowledgeGraph

#: The build's graph.html draws at most this many nodes: a page of many thousands is neither laid out
#: quickly nor readable (``newsgraph view --max-nodes`` chooses another limit).
OVERVIEW_NODES = 1500


def neighbourhood(kg: KnowledgeGraph, focus: str, depth: int = 2) -> KnowledgeGraph:
    """The subgraph within ``depth`` hops of the actor or agreement named ``focus``.

    ``focus`` matches a label or alias, case-insensitively: an exact match wins, else a
    substring (the shortest, then best-connected, label among several). Hops follow relations
    in either direction and the speaker-quote links. No match raises a UsageError naming the
    closest labels.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    start = _find_node(kg, focus)
    adjacent = _adjacency(kg)
    seen = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if seen[key] == depth:
            continue
        for other in sorted(adjacent[key]):
            if other not in seen:
                seen[other] = seen[key] + 1
                queue.append(other)
    return _induced(kg, set(seen))


def article_subgraph(kg: KnowledgeGraph, article_id: str) -> KnowledgeGraph:
    """Only what one article says: its relations and statements and the nodes they touch.

    ``article_id`` may be a unique prefix of an id (ids are long hashes) or the file the article
    was read from; an unknown or ambiguous one raises a UsageError.
    """
    aid = _find_article(kg, article_id)
    relations = [r for r in kg.relations if r.provenance.article == aid]
    statements = {k: st for k, st in kg.statements.items() if st.provenance.article == aid}
    keep = {r.subject for r in relations} | {r.object for r in relations}
    for key, st in statements.items():
        keep.add(key)
        keep.update(st.speakers)
    return _subgraph(kg, keep, relations, statements, articles={aid})


def overview(kg: KnowledgeGraph, max_nodes: int) -> KnowledgeGraph:
    """At most ``max_nodes`` actors, agreements and quotes: the best-connected ones, with the relations among them.

    A page of tens of thousands of nodes neither lays out nor reads; the hubs (most relations and quotes,
    then most articles, then key order for ties) are what an overview of a big corpus should show.
    """
    nodes = len(kg.entities) + len(kg.agreements) + len(kg.statements)
    if max_nodes <= 0 or nodes <= max_nodes:
        return kg
    adjacent = _adjacency(kg)
    articles = {k: len(n.articles) for k, n in (*kg.entities.items(), *kg.agreements.items())}
    ranked = sorted((*kg.entities, *kg.agreements, *kg.statements),
                    key=lambda k: (-len(adjacent.get(k, ())), -articles.get(k, 0), k))
    return _induced(kg, set(ranked[:max_nodes]))


def _induced(kg: KnowledgeGraph, keep: set[str]) -> KnowledgeGraph:
    """The nodes in ``keep`` with the relations among them; quotes keep only their kept speakers."""
    relations = [r for r in kg.relations if r.subject in keep and r.object in keep]
    statements = {
        k: replace(st, speakers=tuple(s for s in st.speakers if s in keep))
        for k, st in kg.statements.items()
        if k in keep
    }
    return _subgraph(kg, keep, relations, statements, articles=None)


def _subgraph(kg: KnowledgeGraph, keep: set[str], relations: list, statements: dict,
              articles: set[str] | None) -> KnowledgeGraph:
    """Filter ``kg`` to ``keep``; the kept dicts and lists stay in the original (sorted) order."""
    entities = {k: e for k, e in kg.entities.items() if k in keep}
    agreements = {k: a for k, a in kg.agreements.items() if k in keep}
    if articles is None:
        articles = {r.provenance.article for r in relations} | {s.provenance.article for s in statements.values()}
        for node in (*entities.values(), *agreements.values()):
            articles.update(node.articles)
    return KnowledgeGraph(
        articles={k: a for k, a in kg.articles.items() if k in articles},
        entities=entities,
        agreements=agreements,
        relations=list(relations),
        statements=dict(statements),
    )


def _adjacency(kg: KnowledgeGraph) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for rel in kg.relations:
        adjacent[rel.subject].add(rel.object)
        adjacent[rel.object].add(rel.subject)
    for key, st in kg.statements.items():
        for sp in st.speakers:
            adjacent[sp].add(key)
            adjacent[key].add(sp)
    return adjacent


def _find_node(kg: KnowledgeGraph, focus: str) -> str:
    """The key of the entity or agreement that ``focus`` names (see :func:`neighbourhood`)."""
    query = focus.strip().casefold()
    if not query:
        raise UsageError("focus must name an actor or agreement, not be empty")
    names: list[tuple[str, str, str]] = []  # (key, label, name) for every label and alias
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        names.extend((key, node.label, name) for name in (node.label, *node.aliases))
    exact = sorted({(label, key) for key, label, name in names if name.casefold() == query})
    if exact:
        return exact[0][1]
    partial = {key: label for key, label, name in names if query in name.casefold()}
    if partial:
        degree: dict[str, int] = defaultdict(int)
        for rel in kg.relations:
            degree[rel.subject] += 1
            degree[rel.object] += 1
        return min(partial, key=lambda k: (len(partial[k]), -degree[k], k))
    close = _close_matches(focus, (label for _, label, _ in names))
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise UsageError(f"no actor or agreement matches {focus!r}{hint}")


def _find_article(kg: KnowledgeGraph, article_id: str) -> str:
    wanted = article_id.strip()
    if wanted in kg.articles:
        return wanted
    hits = [aid for aid in kg.articles if wanted and aid.startswith(wanted)]
    if not hits:  # the file the article came from: "seeds/000_x.txt", "000_x.txt" or "000_x"
        hits = [aid for aid, art in kg.articles.items() if art.path and wanted in (
            art.path, art.path.rsplit("/", 1)[-1], art.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"article id prefix {article_id!r} is ambiguous: {', '.join(hits[:5])}"
                         + (" ..." if len(hits) > 5 else ""))
    close = _close_matches(wanted, kg.articles)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise UsageError(f"no article with id {article_id!r}{hint}")


def _close_matches(word: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` candidates that look like ``word``, compared case-insensitively."""
    by_fold: dict[str, str] = {}
    for c in sorted(set(candidates)):
        by_fold.setdefault(c.casefold(), c)
    return [by_fold[m] for m in difflib.get_close_matches(word.casefold(), list(by_fold), n=n, cutoff=0.5)]
