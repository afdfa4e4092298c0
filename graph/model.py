"""The KnowledgeGraph: articles, actors, agreements, relations and statements, merged.

It is the single in-memory model that the RDF mapping and every exporter read. Collections
are kept sorted by key so that everything derived from it is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .records import Agreement, Article, Entity, Extraction, Relation, Statement

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class KnowledgeGraph:
    """All facts of a build. Build it with :meth:`from_extractions`; treat it as read-only."""

    articles: dict[str, Article] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    statements: dict[str, Statement] = field(default_factory=dict)

    @classmethod
    def from_extractions(cls, extractions: Iterable[Extraction]) -> KnowledgeGraph:
        """Merge per-article extractions: same key means same node; aliases, roles and articles unite."""
        kg = cls()
        for ex in extractions:
            kg.articles[ex.article.id] = ex.article
            for ent in ex.entities:
                kg.entities[ent.key] = _merge_entity(kg.entities.get(ent.key), ent)
            for agr in ex.agreements:
                kg.agreements[agr.key] = _merge_agreement(kg.agreements.get(agr.key), agr)
            kg.relations.extend(ex.relations)
            for st in ex.statements:
                kg.statements[st.key] = st
        kg._sort()
        return kg

    def _sort(self) -> None:
        self.articles = dict(sorted(self.articles.items()))
        self.entities = dict(sorted(self.entities.items()))
        self.agreements = dict(sorted(self.agreements.items()))
        self.statements = dict(sorted(self.statements.items()))
        seen: dict[tuple, Relation] = {}
        for rel in self.relations:
            k = _relation_sort_key(rel)
            if k not in seen:
                seen[k] = rel
        self.relations = [seen[k] for k in sorted(seen)]

    def filter_confidence(self, minimum: float) -> KnowledgeGraph:
        """A copy without the relations below ``minimum`` confidence (nodes are kept)."""
        kg = replace(self, relations=[r for r in self.relations if r.provenance.confidence >= minimum])
        return kg

    def node_label(self, key: str) -> str:
        """The display label of any node key (entity, agreement, statement or article)."""
        if key in self.entities:
            return self.entities[key].label
        if key in self.agreements:
            return self.agreements[key].label
        if key in self.statements:
            return self.statements[key].text
        if key in self.articles:
            art = self.articles[key]
            return art.title or art.path or art.id
        return key

    def counts(self) -> dict[str, int]:
        """Numbers for the build summary."""
        return {
            "articles": len(self.articles),
            "entities": len(self.entities),
            "agreements": len(self.agreements),
            "relations": len(self.relations),
            "statements": len(self.statements),
        }

    def to_networkx(self) -> nx.MultiDiGraph:
        """Actors and agreements as nodes, relations and ``said`` links as keyed edges.

        Node attributes: ``kind`` (entity/agreement/statement), ``type`` (class local name),
        ``label``; edge attributes: ``predicate``, ``sentence``, ``article``, ``confidence``.
        """
        import networkx as nx  # here, not at import: `newsgraph --help` and the build need no networkx

        g = nx.MultiDiGraph()
        for key, ent in self.entities.items():
            g.add_node(key, kind="entity", type=ent.type, label=ent.label,
                       aliases="|".join(ent.aliases), roles="|".join(ent.roles))
        for key, agr in self.agreements.items():
            g.add_node(key, kind="agreement", type=agr.type, label=agr.label,
                       aliases="|".join(agr.aliases), status=agr.status or "")
        for key, st in self.statements.items():
            g.add_node(key, kind="statement", type="Statement", label=st.text, cue=st.cue)
            for sp in st.speakers:
                g.add_edge(sp, key, key=f"{st.kind}:{sp}", predicate="said" if st.kind == "quote" else "claimed",
                           sentence=st.provenance.sentence, article=st.provenance.article,
                           confidence=st.provenance.confidence)
        for rel in self.relations:
            p = rel.provenance
            g.add_edge(rel.subject, rel.object, key=f"{rel.predicate}:{p.article}:{p.start}",
                       predicate=rel.predicate, sentence=p.sentence, article=p.article,
                       confidence=p.confidence, start=p.start, end=p.end)
        return g


def _relation_sort_key(rel: Relation) -> tuple:
    p = rel.provenance
    return (rel.subject, rel.predicate, rel.object, p.article, p.start, p.end)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(a) | set(b)))


def _merge_entity(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    label = min((old.label, new.label), key=lambda s: (-len(s.split()), s))
    aliases = tuple(a for a in _union(old.aliases, (*new.aliases, old.label, new.label)) if a != label)
    return replace(old, label=label, aliases=aliases, roles=_union(old.roles, new.roles),
                   articles=_union(old.articles, new.articles), code=old.code or new.code)


def _merge_agreement(old: Agreement | None, new: Agreement) -> Agreement:
    if old is None:
        return new
    aliases = tuple(a for a in _union(old.aliases, (*new.aliases, new.label)) if a != old.label)
    return replace(old, aliases=aliases, articles=_union(old.articles, new.articles),
                   status=old.status or new.status, scope=old.scope or new.scope,
                   duration=old.duration or new.duration, place=old.place or new.place,
                   date=old.date or new.date)
