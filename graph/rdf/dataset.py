"""The graph as a dataset, the one layout of graph.nq, TriG and the store (graph.rdf.iris names the graphs).

* the **default graph** holds the merged graph, so a plain query in any store or tool answers, and a tool
  that ignores graph names sees everything;
* ``<base>graph/article/<id>`` holds what one article says (its relations with their reifications, its quotes
  and claims, the nodes it mentions with their types and labels), so ``GRAPH ?g`` answers "which article
  says so" and dropping a graph removes one source;
* ``<base>graph/nodes`` describes every merged node (labels, aliases, roles, status).

A :class:`Dataset` is what a build already holds (sorted N-Triples lines) or what a store holds; both are
written by the same functions, so ``newsgraph build`` and ``newsgraph export -f nquads`` write the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from ..atomic import AtomicLines
from ..model import KnowledgeGraph
from .iris import NODES, article_graph_iri, base_namespaces, graph_iri, node_iri
from .mapping import to_ntriples
from .serialize import ntriples_to_turtle

NamedGraphs = Callable[[], Iterator[tuple[str, list[str]]]]


@dataclass(frozen=True)
class Dataset:
    """The merged graph's sorted N-Triples lines, and a way to read the named graphs (IRI order, sorted lines).

    Named graphs are read on demand, one at a time, so a large build never holds them all at once.
    """

    base: str
    merged: list[str]
    named: NamedGraphs

    def graphs(self) -> Iterator[tuple[str | None, list[str]]]:
        """(graph IRI, lines): the default graph (None) first, then the named graphs."""
        yield None, self.merged
        yield from self.named()


def from_knowledge_graph(kg: KnowledgeGraph, *, base: str) -> Dataset:
    """The dataset of a KnowledgeGraph read from a file (no build folder): article graphs cut from it."""
    merged = _lines(to_ntriples(kg, base=base))

    def named() -> Iterator[tuple[str, list[str]]]:
        graphs = {article_graph_iri(aid, base): _lines(to_ntriples(article_kg(kg, aid), base=base))
                  for aid in _article_ids(kg)}
        graphs[graph_iri(NODES, base)] = _lines(to_ntriples(nodes_kg(kg), base=base))
        yield from sorted(graphs.items())

    return Dataset(base, merged, named)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def _article_ids(kg: KnowledgeGraph) -> set[str]:
    ids = set(kg.articles) | {r.provenance.article for r in kg.relations}
    return ids | {st.provenance.article for st in kg.statements.values()}


def article_kg(kg: KnowledgeGraph, article_id: str) -> KnowledgeGraph:
    """What one article says (see the module docstring), as a KnowledgeGraph of its own."""
    relations = [r for r in kg.relations if r.provenance.article == article_id]
    statements = {k: st for k, st in kg.statements.items() if st.provenance.article == article_id}
    keep = {r.subject for r in relations} | {r.object for r in relations} | set(statements)
    keep.update(sp for st in statements.values() for sp in st.speakers)
    keep.update(k for k, n in (*kg.entities.items(), *kg.agreements.items()) if article_id in n.articles)
    keep.update(a.place for k, a in kg.agreements.items() if k in keep and a.place)
    here = (article_id,)
    return KnowledgeGraph(
        articles={k: a for k, a in kg.articles.items() if k == article_id},
        entities={k: replace(e, articles=here if article_id in e.articles else ())
                  for k, e in kg.entities.items() if k in keep},
        agreements={k: replace(a, articles=here if article_id in a.articles else ())
                    for k, a in kg.agreements.items() if k in keep},
        relations=relations,
        statements=statements,
    )


def nodes_kg(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Every actor and agreement described without the articles that mention it (the nodes graph)."""
    return KnowledgeGraph(entities={k: replace(e, articles=()) for k, e in kg.entities.items()},
                          agreements={k: replace(a, articles=()) for k, a in kg.agreements.items()})


def quads(lines: Iterable[str], graph: str | None) -> Iterator[str]:
    """N-Triples lines as N-Quads lines of ``graph`` (None: the default graph, the lines themselves)."""
    if graph is None:
        yield from lines
        return
    suffix = f" <{graph}> ."
    for line in lines:
        yield line[:-2] + suffix  # "s p o ." -> "s p o <g> ."


def write_nquads(ds: Dataset, path: Path) -> None:
    """N-Quads: the default graph's lines, then each named graph's, written atomically."""
    with AtomicLines(path) as out:
        for graph, lines in ds.graphs():
            out.write(quads(lines, graph))


def write_trig(ds: Dataset, path: Path) -> None:
    """TriG: one prefix block, the default graph, then each named graph as Turtle in braces."""
    namespaces = base_namespaces(ds.base)
    root = str(node_iri("", ds.base))
    prefixes: set[str] = set()
    blocks = []
    for graph, lines in ds.graphs():
        ttl = ntriples_to_turtle("\n".join(lines) + "\n" if lines else "", namespaces, key_root=root)
        head = [line for line in ttl.split("\n") if line.startswith("@prefix")]
        body = "\n".join(line for line in ttl.split("\n") if not line.startswith("@prefix")).strip("\n")
        prefixes.update(head)
        if graph is None:
            if body:
                blocks.append(body)
        else:
            indented = "\n".join("    " + line if line else "" for line in body.split("\n"))
            blocks.append(f"<{graph}> {{\n{indented}\n}}")
    with AtomicLines(path) as out:
        out.write(sorted(prefixes))
        out.write(["", "\n\n".join(blocks)] if blocks else [])


def store_dataset(store: ox.Store, base: str, merged: str) -> Dataset:
    """The dataset a build's store holds: ``merged`` (its merged graph's IRI) as the default graph."""
    lines = _graph_lines(store, merged)

    def named() -> Iterator[tuple[str, list[str]]]:
        names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value != merged)
        for name in names:
            yield name, _graph_lines(store, name)

    return Dataset(base, lines, named)


def _graph_lines(store: ox.Store, graph: str) -> list[str]:
    return sorted(f"{q.subject} {q.predicate} {q.object} ." for q in
                  store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
