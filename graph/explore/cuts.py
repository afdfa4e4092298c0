"""Smaller views of a KnowledgeGraph: the neighbourhood of one actor, what one article says, an overview.

A graph of many articles is too big to read at once; these cut it down before it is drawn or
exported. They never touch the disk and return new KnowledgeGraph instances, in the same sorted
order as the original, so every exporter works on them unchanged. :func:`find_node` is the one way
a name typed by a person (``--focus``, a notebook's ``ego``) becomes a node key.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import replace

from ..errors import UsageError
from ..model import KnowledgeGraph

#: The build's graph.html draws at most this many actors and agreements (quotes, hidden at first, do not
#: count): sigma.js keeps 20,000 interactive, not many more (``newsgraph view --max-nodes`` chooses another limit).
OVERVIEW_NODES = 20_000
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_NGRAM = 6  # longest name, in words, that a quote is searched for


def find_node(kg: KnowledgeGraph, name: str) -> str:
    """The key of the actor or agreement that ``name`` names: its key, label or alias, any case.

    An exact label wins over an exact alias, an actor over an agreement at the same tier; several nodes at
    the winning tier are a UsageError (pass a key). Failing that, a substring of a label or alias: the
    shortest, then best-connected label. Nothing at all is a UsageError naming the closest labels.
    """
    if name in kg.entities or name in kg.agreements:
        return name
    want = name.strip().casefold()
    if not want:
        raise UsageError("a name of an actor or agreement is needed, not an empty one")
    tiers: list[list[str]] = [[], [], [], []]  # actor label, agreement label, actor alias, agreement alias
    for offset, records in ((0, kg.entities.values()), (1, kg.agreements.values())):
        for rec in records:
            if rec.label.casefold() == want:
                tiers[offset].append(rec.key)
            elif any(a.casefold() == want for a in rec.aliases):
                tiers[offset + 2].append(rec.key)
    for keys in tiers:
        if len(keys) == 1:
            return keys[0]
        if keys:
            raise UsageError(f"{name!r} names several nodes: {', '.join(sorted(keys))}; pass a key instead")
    partial = {rec.key: rec.label for rec in (*kg.entities.values(), *kg.agreements.values())
               if any(want in n.casefold() for n in (rec.label, *rec.aliases))}
    if partial:
        degree = _degrees(kg)
        return min(partial, key=lambda k: (len(partial[k]), -degree[k], k))
    labels = [rec.label for rec in (*kg.entities.values(), *kg.agreements.values())]
    close = _close_matches(name, labels)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise UsageError(f"no actor or agreement matches {name!r}{hint}")


def neighbourhood(kg: KnowledgeGraph, focus: str, depth: int = 2) -> KnowledgeGraph:
    """The subgraph within ``depth`` hops of the actor or agreement ``focus`` names (see :func:`find_node`).

    Hops follow relations in either direction, a speaker to its quotes and claims, and a quote to the actors
    and agreements it names (:func:`mentions`): someone known only for what they said still has a view.
    """
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    start = find_node(kg, focus)
    adjacent = _adjacency(kg, with_mentions=True)
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


def article_subgraph(kg: KnowledgeGraph, article: str) -> KnowledgeGraph:
    """Only what one article says: its relations and statements and the nodes they touch.

    ``article`` is matched by :func:`find_article`.
    """
    aid = find_article(kg, article)
    relations = [r for r in kg.relations if r.provenance.article == aid]
    statements = {k: st for k, st in kg.statements.items() if st.provenance.article == aid}
    keep = {r.subject for r in relations} | {r.object for r in relations}
    for key, st in statements.items():
        keep.add(key)
        keep.update(st.speakers)
    keep.update(k for k, n in (*kg.entities.items(), *kg.agreements.items()) if aid in n.articles)
    return _subgraph(kg, keep, relations, statements, articles={aid})


def find_article(kg: KnowledgeGraph, wanted: str) -> str:
    """The id of the article ``wanted`` names: an id, a unique id prefix, its title or the file it came from.

    The title matches any case, whole or as a unique part; the file as "seeds/000_x.txt", "000_x.txt" or
    "000_x". An unknown or ambiguous name is a UsageError listing candidates.
    """
    text = wanted.strip()
    low = text.casefold()
    if text in kg.articles:
        return text
    for test in (
        lambda aid, art: bool(text) and aid.startswith(text),
        lambda aid, art: bool(art.path) and text in _file_names(art.path),
        lambda aid, art: (art.title or "").casefold() == low,
        lambda aid, art: bool(low) and low in (art.title or "").casefold(),
    ):
        hits = [aid for aid, art in kg.articles.items() if test(aid, art)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            names = [kg.articles[h].title or h for h in hits[:5]]
            raise UsageError(f"article {wanted!r} is ambiguous: {'; '.join(names)}" + (" ..." if len(hits) > 5 else ""))
    names = [*kg.articles, *(a.title for a in kg.articles.values() if a.title)]
    close = _close_matches(text, names)
    hint = f"; did you mean: {'; '.join(close)}?" if close else ""
    raise UsageError(f"no article with id, title or file name {wanted!r}{hint}")


def overview(kg: KnowledgeGraph, max_nodes: int) -> KnowledgeGraph:
    """At most ``max_nodes`` actors and agreements: whole neighbourhoods of the best-connected ones.

    Hubs are taken by relation count (then article count, then key); each brings all its neighbours, or is
    skipped when they do not fit, so what is drawn is a set of complete stars, not a scatter of the nodes
    with the most quotes. Quotes and claims of the kept speakers come along and do not count: the page hides
    them until asked. If not even the first hub's neighbourhood fits, it is cut to its best-connected members.
    """
    drawable = [*kg.entities, *kg.agreements]
    if max_nodes <= 0 or len(drawable) <= max_nodes:
        return kg
    adjacent = _adjacency(kg, with_statements=False)
    articles = {k: len(n.articles) for k, n in (*kg.entities.items(), *kg.agreements.items())}

    def rank(k: str) -> tuple[int, int, str]:
        return (-len(adjacent.get(k, ())), -articles.get(k, 0), k)

    ranked = sorted(drawable, key=rank)
    keep: set[str] = set()
    skipped: set[str] = set()  # hubs whose neighbourhood did not fit: no part of it comes in by a side door
    for hub in ranked:
        if not adjacent.get(hub) or len(keep) >= max_nodes:
            break
        new = ({hub} | adjacent[hub]) - keep
        if (adjacent[hub] | {hub}) & skipped:
            continue
        if len(keep) + len(new) <= max_nodes:
            keep |= new
        elif not keep:
            keep = {hub, *sorted(adjacent[hub], key=rank)[: max_nodes - 1]}
        else:
            skipped.add(hub)
    keep.update(k for k, st in kg.statements.items() if any(s in keep for s in st.speakers))
    return _induced(kg, keep)


def mentions(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Statement key -> the actors and agreements its text names by label or alias (its speakers left out).

    Only nodes of the statement's own article count: a quote's "the agreement" is not every agreement of
    the corpus. Names are looked up by word n-grams, so the cost grows with the text, not with the number
    of names.
    """
    names: dict[str, set[str]] = defaultdict(set)
    seen_in = {k: set(n.articles) for k, n in (*kg.entities.items(), *kg.agreements.items())}
    for k, agr in kg.agreements.items():
        if agr.provenance:
            seen_in[k].add(agr.provenance.article)
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        for name in (node.label, *node.aliases):
            words = tuple(w.casefold() for w in _WORD.findall(name))
            if words and len(words) <= _NGRAM and len(" ".join(words)) >= 3:
                names[" ".join(words)].add(key)
    found: dict[str, list[str]] = {}
    for key, st in kg.statements.items():
        words = [w.casefold() for w in _WORD.findall(st.text)]
        hits: set[str] = set()
        for i in range(len(words)):
            for j in range(i + 1, min(i + _NGRAM, len(words)) + 1):
                hits.update(names.get(" ".join(words[i:j]), ()))
        hits = {h for h in hits if st.provenance.article in seen_in[h]} - set(st.speakers)
        if hits:
            found[key] = sorted(hits)
    return found


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


def _adjacency(kg: KnowledgeGraph, *, with_statements: bool = True,
               with_mentions: bool = False) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for rel in kg.relations:
        if rel.subject != rel.object:
            adjacent[rel.subject].add(rel.object)
            adjacent[rel.object].add(rel.subject)
    if with_statements:
        for key, st in kg.statements.items():
            for sp in st.speakers:
                adjacent[sp].add(key)
                adjacent[key].add(sp)
    if with_mentions:
        for key, named in mentions(kg).items():
            for other in named:
                adjacent[key].add(other)
                adjacent[other].add(key)
    return adjacent


def _degrees(kg: KnowledgeGraph) -> dict[str, int]:
    degree: dict[str, int] = defaultdict(int)
    for rel in kg.relations:
        degree[rel.subject] += 1
        degree[rel.object] += 1
    return degree


def _file_names(path: str) -> tuple[str, str, str]:
    name = path.rsplit("/", 1)[-1]
    return path, name, name.rsplit(".", 1)[0]


def _close_matches(word: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` candidates that look like ``word``, compared case-insensitively."""
    by_fold: dict[str, str] = {}
    for c in sorted(set(candidates)):
        by_fold.setdefault(c.casefold(), c)
    return [by_fold[m] for m in difflib.get_close_matches(word.casefold(), list(by_fold), n=n, cutoff=0.5)]
