"""The resolution index: cross-article resolution that costs what the change costs, not what the corpus costs.

:func:`graph.resolution.merge.resolve` clusters every article's actors and agreements at once. A build that adds one
article to ten thousand cannot afford that, so the index keeps, between builds, what each article
contributed to the merge (its actor rows and agreement reports, no text, no relations), the blocks the
merge compares within, and the current clusters. When articles come or go, only the connected components
they touch are clustered again, by the same functions, in the same order.

Why that gives exactly what :func:`~graph.resolution.merge.resolve` gives over all articles (a test checks it): the
merge only ever joins two actor units that share a block (a surname skeleton for people; a code, a
normalised name, a near-spelling block, an alias or initials for the rest), and only two agreement
reports that are compatible (same family, overlapping words, a shared party). So a component of the
"shares a block" graph, or of the "compatible" graph, is clustered the same whether it is clustered alone
or with everything else. A change's components are found from the changed rows, the blocks they were in
before and are in now, and the clusters they belonged to."""

from __future__ import annotations

import pickle
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model import KnowledgeGraph
from ..records import Agreement, Entity, Extraction
from .actors import Unit, add_entity, cluster_units, merge_units, merged_entity, unit_blocks
from .agreements import (
    UNDATED,
    Report,
    ReportClusters,
    make_report,
    merged_agreement,
    report_parties,
    sig_buckets,
    signature,
)
from .merge import Resolution
from .tables import (
    CLUSTER_TABLES,
    SCHEMA,
    TABLES,
    KeyMap,
    Parties,
    Table,
    article_of,
    no_gc,
    pack_agreement,
    pack_entity,
    row_actors,
    unpack_agreement,
    unpack_entity,
)

__all__ = ["Change", "ResolutionIndex"]


#: Bump when the stored layout changes: an index of another version is rebuilt from the cache.
INDEX_VERSION = 3


_LAST: tuple[str, str, str] = ("", "", "")



@dataclass
class Change:
    """What an update changed: merged nodes new or different, nodes gone, articles whose view may differ."""

    nodes: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


#: About as many units or reports as an article adds: counting units and placing reports write the tables out
_ROWS_PER_ARTICLE = 20  # after ``checkpoint_every`` times this many, so memory stays flat


class ResolutionIndex:
    """Per-article merge inputs, blocks and clusters, updated by :meth:`update` and kept in one file.

    Everything in it is plain data (tuples, strings, sets, dicts), because loading it is on the path of
    every incremental build.
    """

    def __init__(self, db: sqlite3.Connection | None = None, fingerprint: str = "") -> None:
        self.db, self.fingerprint = db, fingerprint
        self.articles: set[str] = set()
        self.last: tuple[str, str, str] = _LAST  # the latest report order placed so far (see _update_agreements)
        self.n_entities = self.n_agreements = 0
        self.clusters = ReportClusters()
        self._tables = [Table(db, name, factory) for name, factory in TABLES.items()]
        for table in self._tables:
            name = table.name
            setattr(self.clusters if name in CLUSTER_TABLES else self, CLUSTER_TABLES.get(name, name), table)
        # actors: per-article rows, units (one per per-article key), their blocks, their clusters
        self.ents: MutableMapping[str, dict[str, tuple]]
        self.unit_articles: MutableMapping[str, set[str]]
        self.units: MutableMapping[str, Unit]
        self.unit_blocks: MutableMapping[str, tuple]
        self.blocks: MutableMapping[tuple, set[str]]
        self.ent_map: MutableMapping[str, str]
        self.entities: MutableMapping[str, Entity]
        self.ent_members: MutableMapping[str, set[str]]
        # agreements: per-article rows, each report's signature and order, buckets, clusters
        self.rows: MutableMapping[str, dict[str, tuple]]  # article -> report key -> (agreement, published, parties)
        self.sigs: MutableMapping[str, tuple]  # report key -> (signature, order)
        self.buckets: MutableMapping[tuple, set[tuple]]  # bucket -> signatures filed under it
        self.sig_reports: MutableMapping[tuple, set[str]]  # signature -> the reports that have it
        self.party_reports: MutableMapping[str, set[str]]  # actor key -> reports it is party to or place of
        self.cluster_of: MutableMapping[str, int]
        self.agreements: MutableMapping[str, Agreement]
        # for the builder: per merged node, a digest of its record and its lines in the nodes graph
        self.node_lines: MutableMapping[str, tuple[str, list[str]]]

    # --- persistence ------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, fingerprint: str) -> ResolutionIndex:
        """The index kept in the SQLite file ``path``: empty when missing, unreadable or made by other code."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = None
        try:
            db = sqlite3.connect(path)
            db.execute(SCHEMA)
            row = db.execute("SELECT v FROM kv WHERE t = 'meta' AND k = 'meta'").fetchone()
            meta = pickle.loads(row[0]) if row is not None else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            path.unlink(missing_ok=True)
            db = sqlite3.connect(path)
            db.execute(SCHEMA)
        if not isinstance(meta, dict) or meta.get("version") != INDEX_VERSION or meta.get("fingerprint") != fingerprint:
            with db:
                db.execute("DELETE FROM kv")
            meta = {}
        index = cls(db, fingerprint)
        index.articles = set(meta.get("articles", ()))
        index.last = meta.get("last", _LAST)
        index.clusters.size = meta.get("size", 0)
        index.n_entities, index.n_agreements = meta.get("counts", (0, 0))
        return index

    def save(self) -> None:
        """Write back every entry read or changed, and the article list, in one transaction."""
        db = self.db
        if db is None:
            raise ValueError("an index made without a file cannot be saved")
        meta = {"version": INDEX_VERSION, "fingerprint": self.fingerprint, "articles": sorted(self.articles),
                "last": self.last, "size": self.clusters.size, "counts": (self.n_entities, self.n_agreements)}
        with db:
            for table in self._tables:
                table.flush(db)
            db.execute("INSERT OR REPLACE INTO kv (t, k, kb, v) VALUES ('meta', 'meta', ?, ?)",
                       (pickle.dumps("meta"), pickle.dumps(meta, 5)))

    def checkpoint(self) -> None:
        """Write what was read or changed into the open transaction and forget it, so memory holds one step;
        nothing is committed (:meth:`save` commits, and closing without it leaves the file as it was)."""
        if self.db is None:
            return
        for table in self._tables:
            table.flush(self.db)
            table.evict()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # --- the result ---------------------------------------------------------------------------------------

    def resolution(self) -> Resolution:
        """The merged actors and agreements and the key map, as :func:`graph.resolution.merge.resolve` gives them.

        The graph holds nodes only (no articles, relations or statements): what ``article_view`` reads.
        """
        kg = KnowledgeGraph(entities=self.entities, agreements=self.agreements)  # type: ignore[arg-type]
        return Resolution(kg, KeyMap(self))  # type: ignore[arg-type]

    def nodes(self, keys: Iterable[str]) -> dict[str, Entity | Agreement]:
        """The merged records of ``keys`` (actors or agreements) that exist, by key."""
        out: dict[str, Entity | Agreement] = {}
        for k in keys:
            rec = self.entities.get(k) or self.agreements.get(k)
            if rec is not None:
                out[k] = rec
        return out

    # --- updates ------------------------------------------------------------------------------------------

    @no_gc()  # millions of small objects made and dropped, none in a cycle: a quarter of the time went collecting
    def update(self, added: Iterable[Extraction] = (), removed: Iterable[str] = (), *,
               checkpoint_every: int = 0) -> Change:
        """Remove the articles ``removed``, add (or replace) the ``added`` ones, re-cluster what they touch.

        ``added`` may be a stream read once; with ``checkpoint_every`` the index writes what it holds to its
        open transaction after that many articles, so memory does not grow with the stream. Give every new
        article in one call: actors are then clustered once, and agreements placed once in publication order.
        """
        change = Change()
        lost: set[str] = set()  # units that lost an article: counted again from their articles
        gained: dict[str, Unit | None] = {}  # a known unit's new rows, counted as they come (None: a new unit)
        touched: set[str] = set()  # reports that went away
        new_reports: list[tuple[str, str, str]] = []  # the order of each new report (see Report.order)
        removed = set(removed)

        def drop(aid: str) -> None:
            self.articles.discard(aid)
            for key in self.ents.pop(aid):
                self.unit_articles[key].discard(aid)
                lost.add(key)
            for key, row in self.rows.pop(aid).items():
                touched.add(key)
                for p in row_actors(row):
                    self.party_reports[p].discard(key)

        for aid in sorted(removed & self.articles):
            drop(aid)
        added_ids = set()
        for n, ex in enumerate(added, 1):
            aid = ex.article.id
            if aid in self.articles:
                drop(aid)  # replaced
            self.articles.add(aid)
            added_ids.add(aid)
            self.ents[aid] = {e.key: pack_entity(e) for e in ex.entities}
            for e in ex.entities:
                self.unit_articles[e.key].add(aid)
                if e.key not in gained:
                    gained[e.key] = Unit(e.key, e.type) if e.key in self.units else None
                if (delta := gained[e.key]) is not None:
                    add_entity({e.key: delta}, e, aid)
            parties = report_parties(ex)
            rows = self.rows[aid] = {}
            for a in ex.agreements:
                row = rows[a.key] = (pack_agreement(a), ex.article.published, tuple(sorted(parties.get(a.key, ()))))
                new_reports.append((ex.article.published or UNDATED, aid, a.key))
                for p in row_actors(row):
                    self.party_reports[p].add(a.key)
            if checkpoint_every and n % checkpoint_every == 0:
                self.checkpoint()
        moved, regrouped = self._update_actors(lost, gained, change, checkpoint_every)
        new_reports.sort()
        self._update_agreements(touched, new_reports, moved, regrouped, change, checkpoint_every)
        change.articles |= added_ids
        change.articles -= removed - added_ids
        return change

    # --- actors -------------------------------------------------------------------------------------------

    def _update_actors(self, lost: set[str], gained: dict[str, Unit | None], change: Change,
                       checkpoint_every: int = 0) -> tuple[set[str], set[str]]:
        """Re-cluster the actor components the change touches.

        Returns the units whose merged node looks different (key, type, label or code) and those whose
        merged actor has other members now (their party name changed, see graph.resolution.merge.make_report).
        """
        dirty = lost | set(gained)
        old_nodes = {m for u in dirty if (m := self.ent_map.get(u)) is not None}
        seeds = set(dirty)
        for u in dirty:
            for b in self.unit_blocks.get(u, ()):
                seeds |= self.blocks[b]
        for m in old_nodes:
            seeds |= self.ent_members.get(m, set())
        for n, u in enumerate(sorted(dirty), 1):
            self._refresh_unit(u, None if u in lost else gained[u])
            if checkpoint_every and n % (_ROWS_PER_ARTICLE * checkpoint_every) == 0:
                self.checkpoint()  # the articles' rows read to count new units need not stay in memory
        moved, regrouped = self._recluster_units(self._closure_units(seeds), old_nodes, change)
        for u in moved:
            change.articles |= self.unit_articles.get(u, set())
        return moved, regrouped

    def _refresh_unit(self, key: str, new_rows: Unit | None) -> None:
        """Count a unit again, and file it under its blocks again.

        With ``new_rows`` (the unit only gained articles: their rows, counted) they are added to its counts;
        without, it is counted from every article that mentions it (a unit mentioned by thousands of articles
        costs as many reads, so that is kept for removals).
        """
        for b in self.unit_blocks.pop(key, ()):
            members = self.blocks[b]
            members.discard(key)
            if not members:
                del self.blocks[b]
        arts = self.unit_articles.get(key)
        if not arts:
            self.unit_articles.pop(key, None)
            self.units.pop(key, None)
            return
        units: dict[str, Unit] = {}
        if new_rows is not None and (old := self.units.get(key)) is not None:
            units[key] = merge_units(old, new_rows)
        else:
            for aid in sorted(arts):
                add_entity(units, unpack_entity(key, aid, self.ents[aid][key]), aid)
        u = self.units[key] = units[key]
        blocks = self.unit_blocks[key] = unit_blocks(u)
        for b in blocks:
            self.blocks[b].add(key)

    def _closure_units(self, seeds: set[str]) -> set[str]:
        seen = {u for u in seeds if u in self.units}
        todo = list(seen)
        while todo:
            u = todo.pop()
            nxt = [v for b in self.unit_blocks.get(u, ()) for v in self.blocks[b]]
            if (m := self.ent_map.get(u)) is not None:
                nxt += [v for v in self.ent_members.get(m, ()) if v in self.units]
            for v in nxt:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return seen

    def _recluster_units(self, component: set[str], old_nodes: set[str],
                         change: Change) -> tuple[set[str], set[str]]:
        """Cluster ``component`` again (see :meth:`_update_actors` for what it returns).

        ``old_nodes`` are the merged nodes of units that lost articles (a unit may be gone altogether).
        """
        old_nodes = old_nodes | {m for u in component if (m := self.ent_map.get(u)) is not None}
        old_map = {u: m for m in old_nodes for u in self.ent_members.get(m, ())}
        old_party = {u: min(self.ent_members[m]) for u, m in old_map.items()}
        old_records = {m: self.entities.pop(m) for m in old_nodes if m in self.entities}
        for m in old_nodes:
            for u in self.ent_members.pop(m, set()):
                self.ent_map.pop(u, None)
        by_type: dict[str, list[Unit]] = defaultdict(list)
        for key in sorted(component):
            by_type[self.units[key].type].append(self.units[key])
        moved: set[str] = set()
        new_nodes: set[str] = set()
        for typ, group in sorted(by_type.items()):
            for members in cluster_units(typ, group):
                us = [group[i] for i in members]
                ent = merged_entity(typ, us)
                self.entities[ent.key] = ent
                self.ent_members.setdefault(ent.key, set()).update(u.key for u in us)
                new_nodes.add(ent.key)
                for u in us:
                    self.ent_map[u.key] = ent.key
        for m in new_nodes:
            old = old_records.get(m)
            if old is None or _node_view(old) != _node_view(self.entities[m]):
                moved |= self.ent_members[m]
            if old != self.entities[m]:
                change.nodes.add(m)
        moved |= {u for u, m in old_map.items() if self.ent_map.get(u) != m}
        change.gone |= old_nodes - new_nodes
        self.n_entities += len(new_nodes) - len(old_records)
        parties = Parties(self)
        regrouped = {u for u, p in old_party.items() if parties.get(u) != p}  # a new unit's reports are new too
        return moved, regrouped

    # --- agreements ---------------------------------------------------------------------------------------

    def _update_agreements(self, touched: set[str], new_reports: list[tuple[str, str, str]], moved: set[str],
                           regrouped: set[str], change: Change, checkpoint_every: int = 0) -> None:
        """Place the new reports; re-cluster around those gone (``touched``) or whose parties were regrouped."""
        touched = set(touched)
        for u in regrouped:
            touched |= self.party_reports.get(u, set())
        # reports whose party or place was only renamed: the clusters stand, their records may change
        renamed = {k for u in moved for k in self.party_reports.get(u, ())} - touched
        step = _ROWS_PER_ARTICLE * checkpoint_every
        if not touched and (not new_reports or new_reports[0] > self.last):
            # the common case, a newer article: each report placed as a from-scratch run would, one at a time
            hit = set()
            size = self.clusters.size
            for n, (*_, key) in enumerate(new_reports, 1):
                r = self._report(key)
                self._file(r)
                hit.add(self.cluster_of.setdefault(key, self.clusters.add(r)))
                if step and n % step == 0:
                    self.checkpoint()
            self.n_agreements += self.clusters.size - size
            self.last = max(self.last, new_reports[-1]) if new_reports else self.last
            hit |= {self.cluster_of[k] for k in renamed if k in self.cluster_of}
            for n, c in enumerate(sorted(hit), 1):
                self._refresh_cluster(c, None, change)
                if step and n % step == 0:
                    self.checkpoint()
            return
        new = [self._report(key) for *_, key in new_reports]
        # otherwise (a removal, an older article, parties that now merge differently): the components the
        # change touches are clustered again from scratch (``last`` never goes down: an upper bound will do)
        seeds = {signature(r) for r in new}
        if new:
            self.last = max(self.last, new[-1].order)
        for key in sorted(touched):
            if key in self.sigs:
                sig = self.sigs[key][0]
                seeds.add(sig)
                seeds |= self._neighbours(sig)  # its cluster-mates among them: compatible reports share a bucket
                self._unfile(key)
        for r in new:
            self._file(r)
        for key in sorted(touched):
            if (row := self._row(key)) is not None:
                r = self._report(key, row)
                self._file(r)
                seeds.add(signature(r))
        component = self._closure_reports(seeds)
        old: dict[str, Agreement] = {}
        for c in sorted({c for k in component | touched if (c := self.cluster_of.get(k)) is not None}):
            keys = self.clusters.drop(c)
            if keys and keys[0] in self.agreements:
                old[keys[0]] = self.agreements.pop(keys[0])
            for k in keys:
                self.cluster_of.pop(k, None)
        hit = set()
        for r in sorted((self._report(k) for k in component), key=lambda r: r.order):
            hit.add(self.cluster_of.setdefault(r.agreement.key, self.clusters.add(r)))
        self.n_agreements += len(hit) - len(old)
        for c in sorted(hit):
            self._refresh_cluster(c, old, change)
        for c in sorted({self.cluster_of[k] for k in renamed if k in self.cluster_of} - hit):
            self._refresh_cluster(c, None, change)
        for anchor, rec in old.items():
            if anchor not in self.agreements:
                change.gone.add(anchor)
                change.articles |= set(rec.articles)

    def _row(self, key: str) -> tuple | None:
        return self.rows.get(article_of(key), {}).get(key)

    def _report(self, key: str, row: tuple | None = None) -> Report:
        row = row if row is not None else self._row(key)
        assert row is not None, key
        packed, published, parties = row
        return make_report(unpack_agreement(packed), article_of(key), published, parties, Parties(self))

    def _file(self, r: Report) -> None:
        key = r.agreement.key
        sig = signature(r)
        self.sigs[key] = (sig, r.order)
        reports = self.sig_reports[sig]
        if not reports and sig[2]:
            for b in sig_buckets(sig):
                self.buckets[b].add(sig)
        reports.add(key)

    def _unfile(self, key: str) -> None:
        sig, _ = self.sigs.pop(key)
        reports = self.sig_reports[sig]
        reports.discard(key)
        if reports:
            return
        del self.sig_reports[sig]
        for b in sig_buckets(sig) if sig[2] else ():
            members = self.buckets[b]
            members.discard(sig)
            if not members:
                del self.buckets[b]

    def _neighbours(self, sig: tuple) -> set[tuple]:
        """The signatures of the reports the merge could join with one of ``sig``: a shared bucket, compatible.

        Reports with equal signatures compare alike, so the search runs over signatures, far fewer than reports.
        """
        if not sig[2]:
            return set()
        conflict = self.clusters._conflict
        found = set()
        for b in sig_buckets(sig):
            for t in self.buckets.get(b, ()):
                if t not in found and not conflict(sig, t):
                    found.add(t)
        return found

    def _closure_reports(self, seeds: set[tuple]) -> set[str]:
        """The reports whose signatures the compatible ones connect to ``seeds``: what must be clustered again."""
        seen = {t for t in seeds if t in self.sig_reports}
        todo = list(seen)
        while todo:
            for t in self._neighbours(todo.pop()) - seen:
                seen.add(t)
                todo.append(t)
        return {k for t in seen for k in self.sig_reports[t]}

    def _refresh_cluster(self, c: int, old: dict[str, Agreement] | None, change: Change) -> None:
        """Recompute cluster ``c``'s merged record; note what changed (``old``: records before, by anchor)."""
        keys = self.clusters.keys[c]
        anchor = keys[0]
        before = old.get(anchor) if old is not None else self.agreements.get(anchor)
        rec = self.agreements[anchor] = merged_agreement([self._report(k) for k in keys], self.ent_map)
        if before is None or _node_view(before) != _node_view(rec):
            change.articles |= {article_of(k) for k in keys}
        if before != rec:
            change.nodes.add(anchor)


def _node_view(node: Entity | Agreement) -> tuple:
    """What an article's view shows of a merged node (see graph.resolution.merge.article_view)."""
    return (node.key, node.type, node.label, getattr(node, "code", None))

