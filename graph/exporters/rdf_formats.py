"""RDF serialisations of the graph, byte-identical across runs: Turtle, N-Triples, JSON-LD, N-Quads, TriG.

Turtle, N-Triples and JSON-LD (compacted with ontology/context.jsonld) hold the graph of :func:`to_rdf`
as it is, through :func:`graph.rdf.serialize`.

N-Quads and TriG are datasets:

* the **default graph** holds the whole graph, exactly the triples of the Turtle export, so a store or
  tool that ignores graph names (or ``graph.load``) sees everything;
* one **named graph per article**, ``<base>graph/article/<article id>``, holds what that article says:
  the article node, its relations with their reifications, its quotes and claims, and the nodes these
  touch or the article mentions, with their types and labels (their ``ng:mentions`` limited to this
  article). ``GRAPH ?g { ... }`` thus answers "which article says so", and dropping one graph removes one
  source.

N-Quads lines are sorted. TriG is written here rather than by rdflib (whose dataset order follows
hashes): one prefix block, then the default graph and each named graph, in IRI order, as the
deterministic Turtle of :func:`serialize`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib import Graph, URIRef

from ..atomic import atomic_write_text
from ..model import KnowledgeGraph
from ..rdf import base_namespaces, node_iri, ntriples_to_turtle, serialize, to_rdf

__all__ = ["article_graph_iri", "article_kg", "named_graphs", "ntriples_from_ntriples", "render_nquads",
           "render_trig", "turtle_from_ntriples", "write", "write_jsonld", "write_nquads", "write_ntriples",
           "write_trig"]


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """Turtle with every relation reified for provenance (registry entry ``turtle``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "turtle"))


def write_ntriples(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """N-Triples, one sorted line per triple (registry entry ``ntriples``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "nt"))


def turtle_from_ntriples(nt: str, path: Path, *, base: str) -> None:
    """What ``write`` writes, from the graph's sorted N-Triples (a build's fast path)."""
    atomic_write_text(path, ntriples_to_turtle(nt, base_namespaces(base), key_root=str(node_iri("", base))))


def ntriples_from_ntriples(nt: str, path: Path, *, base: str) -> None:
    """What ``write_ntriples`` writes: the sorted lines themselves."""
    del base
    atomic_write_text(path, nt)


def write_jsonld(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """JSON-LD compacted with the project's @context (registry entry ``jsonld``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "json-ld"))


def write_nquads(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """N-Quads: default graph plus one named graph per article (registry entry ``nquads``)."""
    atomic_write_text(path, render_nquads(kg, base=base))


def write_trig(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """TriG: default graph plus one named graph per article (registry entry ``trig``)."""
    atomic_write_text(path, render_trig(kg, base=base))


def article_graph_iri(article_id: str, base: str) -> URIRef:
    return node_iri(f"graph/article/{article_id}", base)


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


def named_graphs(kg: KnowledgeGraph, *, base: str) -> list[tuple[URIRef, Graph]]:
    """(graph IRI, graph) per article with facts, sorted by IRI; articles named only in provenance count too."""
    ids = set(kg.articles) | {r.provenance.article for r in kg.relations}
    ids |= {st.provenance.article for st in kg.statements.values()}
    graphs = [(article_graph_iri(aid, base), to_rdf(article_kg(kg, aid), base=base)) for aid in ids]
    return sorted(graphs, key=lambda x: str(x[0]))


def render_nquads(kg: KnowledgeGraph, *, base: str) -> str:
    lines = [x for x in serialize(to_rdf(kg, base=base), "nt").split("\n") if x]
    for name, g in named_graphs(kg, base=base):
        suffix = f" {name.n3()} ."
        lines += [line[: -len(" .")] + suffix for line in serialize(g, "nt").split("\n") if line]
    lines.sort()
    return "\n".join(lines) + "\n" if lines else ""


def _split_turtle(ttl: str) -> tuple[list[str], str]:
    """(prefix lines, body) of rdflib's Turtle; only the leading lines can be prefixes, never literal text."""
    lines = ttl.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("@prefix "):
        i += 1
    return lines[:i], "\n".join(lines[i:]).strip("\n")


def render_trig(kg: KnowledgeGraph, *, base: str) -> str:
    full = to_rdf(kg, base=base)
    namespaces = list(full.namespaces())
    prefixes, body = _split_turtle(serialize(full, "turtle"))
    blocks = [body] if body else []
    for name, g in named_graphs(kg, base=base):
        sub = Graph(bind_namespaces="none")
        for prefix, ns in namespaces:  # the same prefix map everywhere, declared once at the top
            sub.bind(prefix, ns, override=True, replace=True)
        for triple in g:
            sub.add(triple)
        more, sub_body = _split_turtle(serialize(sub, "turtle"))
        prefixes += [p for p in more if p not in prefixes]
        blocks.append(f"{name.n3()} {{\n{sub_body}\n}}")
    head = "\n".join(sorted(set(prefixes)))
    return (head + "\n\n" if head else "") + "\n\n".join(blocks) + "\n"
