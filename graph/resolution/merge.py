"""Many articles, one graph: the same actor or agreement reported by several articles becomes one node.

Within an article, :mod:`graph.nlp.entities` already turned "President Aleksandr Kovalenko", "Kovalenko" and
"Kovalenko's" into one Person with a full name. Across articles the same person may be spelled
"Oleksandr Kovalenko" or "Aleksandr Kovalenko", and one ceasefire is reported by every outlet. This
module decides which per-article nodes are the same real thing and re-keys everything onto the merged
nodes. It is pure: records in, records out, and the result does not depend on the order of the articles.

Rules, in short (each is conservative: a wrong merge is worse than a duplicate):

* Two nodes are never merged when one article reported both: the article, with far more context,
  already decided they are different (two Lindqvists in one story stay two).
* People: same surname after folding transliteration variants ("Halvorsson", "Halvorssen" ->
  "zelensky"; "Lindquist" -> "lindkvist"), and compatible given names: equal, an initial, a spelling
  variant (Jaro similarity), or one missing. Full names cluster by complete linkage, so "M. Lindqvist"
  can never chain "Maria" and "Mikael Lindqvist" together. A surname-only or initial-only form joins
  a cluster only when exactly one cluster fits it.
* Countries: same ISO 3166 code. Organisations and places: the same name once legal-form suffixes and
  articles are dropped, a near-identical spelling, or a short form that another article gave as an
  alias of exactly one node ("FAA").
* Agreements and events: same family (agreement / event) and compatible class, content words of the
  labels overlapping (Jaccard >= 0.5; dates and weekdays are not content), and at least one shared
  party (an actor that agreed to, signed, proposed, rejected, negotiated or takes part in both). Two
  reports naming two different pairs of countries ("A-B" and "A-C ceasefire") stay apart. Reports are
  taken in publication order, each joining the cluster it fits best (complete linkage, see
  ReportClusters), so the newest article of a growing folder never reshuffles older clusters.

Candidates are blocked (by folded surname, normalised name, or party and content word), so the work
grows with the number of nodes, not with its square.

The rules themselves live in actors.py and agreements.py, shared with the incremental index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..model import KnowledgeGraph
from ..records import SYMMETRIC, Agreement, Article, Entity, Extraction, Relation, Statement
from .actors import Unit, add_entity, cluster_units, merged_entity
from .agreements import Report, cluster_reports, make_report, merged_agreement, party_names, report_parties

__all__ = ["Resolution", "article_view", "merge_extractions", "resolve"]


def _merge_entities(extractions: list[Extraction]) -> tuple[dict[str, Entity], dict[str, str]]:
    units: dict[str, Unit] = {}
    for ex in extractions:
        for e in ex.entities:
            add_entity(units, e, ex.article.id)
    by_type: dict[str, list[Unit]] = defaultdict(list)
    for key in sorted(units):
        by_type[units[key].type].append(units[key])
    entities: dict[str, Entity] = {}
    key_map: dict[str, str] = {}
    for typ, group in sorted(by_type.items()):
        for members in cluster_units(typ, group):
            us = [group[i] for i in members]
            ent = merged_entity(typ, us)
            entities[ent.key] = ent
            for u in us:
                key_map[u.key] = ent.key
    return entities, key_map


def _agreement_reports(extractions: list[Extraction], key_map: dict[str, str]) -> list[Report]:
    reports = []
    party_of = party_names(key_map)
    for ex in extractions:
        parties = report_parties(ex)
        for a in ex.agreements:
            reports.append(make_report(a, ex.article.id, ex.article.published, parties.get(a.key, ()), party_of))
    reports.sort(key=lambda r: r.order)
    return reports


def _merge_agreements(extractions: list[Extraction], key_map: dict[str, str]) -> dict[str, Agreement]:
    reports = _agreement_reports(extractions, key_map)
    merged: dict[str, Agreement] = {}
    for members in cluster_reports(reports):
        rs = [reports[i] for i in members]
        merged[rs[0].agreement.key] = merged_agreement(rs, key_map)
        for r in rs:
            key_map[r.agreement.key] = rs[0].agreement.key
    return merged


@dataclass
class Resolution:
    """The merged graph, and where every per-article key went (``key_map[local] = merged``)."""

    graph: KnowledgeGraph
    key_map: dict[str, str]

    def remap(self, key: str) -> str:
        return self.key_map.get(key, key)


def _remap_relation(r: Relation, m: Callable[[str], str]) -> Relation:
    s, o = m(r.subject), m(r.object)
    if r.predicate in SYMMETRIC and o < s:
        s, o = o, s
    reporters = tuple(sorted({m(k) for k in r.reported_by}))
    if s == r.subject and o == r.object and reporters == r.reported_by:
        return r
    return replace(r, subject=s, object=o, reported_by=reporters)


def _remap_statement(st: Statement, m: Callable[[str], str]) -> Statement:
    speakers = tuple(dict.fromkeys(m(s) for s in st.speakers))
    return st if speakers == st.speakers else replace(st, speakers=speakers)


def _relations_sorted(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, article, span), sorted: as KnowledgeGraph keeps them."""
    seen: dict[tuple, Relation] = {}
    for r in relations:
        p = r.provenance
        seen.setdefault((r.subject, r.predicate, r.object, p.article, p.start, p.end), r)
    return [seen[k] for k in sorted(seen)]


def _articles(extractions: list[Extraction]) -> dict[str, Article]:
    return {ex.article.id: ex.article for ex in sorted(extractions, key=lambda ex: ex.article.id)}


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Merge per-article extractions into one graph; see the module docstring for the rules."""
    exs = sorted(extractions, key=lambda ex: ex.article.id)
    entities, key_map = _merge_entities(exs)
    agreements = _merge_agreements(exs, key_map)
    m = key_map.get

    def remap(key: str) -> str:
        return m(key, key)

    relations = _relations_sorted(_remap_relation(r, remap) for ex in exs for r in ex.relations)
    statements = {st.key: _remap_statement(st, remap) for ex in exs for st in ex.statements}
    kg = KnowledgeGraph(articles=_articles(exs), entities=dict(sorted(entities.items())),
                        agreements=dict(sorted(agreements.items())), relations=relations,
                        statements=dict(sorted(statements.items())))
    return Resolution(kg, key_map)


def merge_extractions(extractions: Iterable[Extraction]) -> KnowledgeGraph:
    """One KnowledgeGraph from many articles' extractions, same actors and agreements merged."""
    return resolve(extractions).graph


def article_view(ex: Extraction, res: Resolution, *, min_confidence: float = 0.0) -> KnowledgeGraph:
    """What one article contributes to the merged graph, on the merged keys: its named graph in the store.

    Nodes carry their merged type and label plus this article's own names for them, so every triple
    of the view is also a triple of the merged graph; the merged node's full description (all aliases,
    roles, the agreed status) lives in the merged graph only. That keeps an article's view unchanged
    when other articles add aliases to the nodes it mentions.
    """
    m = res.remap
    g = res.graph
    aid = ex.article.id
    entities: dict[str, Entity] = {}
    for e in ex.entities:
        merged = g.entities[m(e.key)]
        own = ({e.label} | set(e.aliases)) - {merged.label}
        entities[merged.key] = Entity(key=merged.key, type=merged.type, label=merged.label,
                                      aliases=tuple(sorted(own)), roles=tuple(sorted(e.roles)), articles=(aid,),
                                      code=merged.code)
    agreements: dict[str, Agreement] = {}
    for a in ex.agreements:
        merged_a = g.agreements[m(a.key)]
        own = ({a.label} | set(a.aliases)) - {merged_a.label}
        agreements[merged_a.key] = Agreement(key=merged_a.key, type=merged_a.type, label=merged_a.label,
                                             aliases=tuple(sorted(own)), articles=(aid,))
    relations = _relations_sorted(_remap_relation(r, m) for r in ex.relations
                                  if r.provenance.confidence >= min_confidence)
    statements = {st.key: _remap_statement(st, m) for st in ex.statements}
    return KnowledgeGraph(articles={aid: ex.article}, entities=dict(sorted(entities.items())),
                          agreements=dict(sorted(agreements.items())), relations=relations,
                          statements=dict(sorted(statements.items())))
