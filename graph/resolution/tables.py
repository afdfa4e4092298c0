"""The resolution index's storage: SQLite key-value tables read lazily, and records packed as plain tuples.

One table holds everything (``kv``: table name, key, value); a :class:`Table` is a dict over one table
name that fetches rows on demand and writes back only what changed, so a build touches the rows of
its change and never loads the whole index."""

from __future__ import annotations

import gc
import pickle
import sqlite3
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, Protocol

from ..records import Agreement, Entity, Provenance

#: The index's tables: attribute name -> what a missing entry becomes on ``table[key]`` (None: KeyError).
TABLES: dict[str, Callable[[], Any] | None] = {
    "ents": None, "unit_articles": set, "units": None, "unit_blocks": None, "blocks": set, "ent_map": None,
    "entities": None, "ent_members": None, "rows": None, "sigs": None, "buckets": set, "sig_reports": set,
    "party_reports": set,
    "cluster_of": None, "agreements": None,
    "c_keys": None, "c_anchor": None, "c_articles": None, "c_sigs": None, "c_by_bucket": None,
    "node_lines": None,
}


#: Tables that hold the ReportClusters' state, and its attribute names.
CLUSTER_TABLES = {"c_keys": "keys", "c_anchor": "anchor", "c_articles": "articles", "c_sigs": "sigs",
                  "c_by_bucket": "by_bucket"}


SCHEMA = "CREATE TABLE IF NOT EXISTS kv (t TEXT, k TEXT, kb BLOB, v BLOB, PRIMARY KEY (t, k)) WITHOUT ROWID"


def pack_entity(e: Entity) -> tuple:
    return (e.type, e.label, e.aliases, e.roles, e.code)


def unpack_entity(key: str, aid: str, t: tuple) -> Entity:
    return Entity(key=key, type=t[0], label=t[1], aliases=t[2], roles=t[3], articles=(aid,), code=t[4])


def pack_agreement(a: Agreement) -> tuple:
    """``astuple(a)``, without its deep copy of every field: provenance, the last field, becomes a tuple too."""
    *head, prov = (getattr(a, name) for name in _AGREEMENT_FIELDS)
    return (*head, None if prov is None else tuple(getattr(prov, name) for name in _PROVENANCE_FIELDS))


_AGREEMENT_FIELDS = tuple(f.name for f in fields(Agreement))


_PROVENANCE_FIELDS = tuple(f.name for f in fields(Provenance))


def unpack_agreement(t: tuple) -> Agreement:
    *head, prov = t
    return Agreement(*head, provenance=Provenance(*prov) if prov is not None else None)


def article_of(report_key: str) -> str:
    return report_key.split("/")[1]  # agreement/<article id>/<slug> (graph.keys.agreement_key)


def row_actors(row: tuple) -> tuple[str, ...]:
    """The per-article actor keys a report row (packed agreement, published, parties) depends on: its
    parties and its place."""
    place = row[0][7]  # Agreement.place
    return (*row[2], place) if place else row[2]


@contextmanager
def no_gc() -> Iterator[None]:
    """Unpickling many small containers triggers the cyclic collector over and over; it finds nothing here."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Table(MutableMapping):
    """A dict whose entries live in one SQLite table and are read on first use.

    An entry read (or created) is kept and written back by :meth:`ResolutionIndex.save`, because the index
    changes the sets and lists it reads in place. ``factory`` makes a missing entry on ``table[key]``
    (as ``defaultdict`` does); ``get`` and ``in`` never create one.
    """

    _MISSING = object()

    def __init__(self, db: sqlite3.Connection | None, name: str, factory: Callable[[], Any] | None = None) -> None:
        self.db, self.name, self.factory = db, name, factory
        self.cache: dict[Any, Any] = {}
        self.deleted: set[Any] = set()
        self.complete = db is None

    def _fetch(self, key: Any) -> Any:
        if key in self.cache:
            return self.cache[key]
        if self.complete or key in self.deleted:
            return self._MISSING
        row = self.db.execute("SELECT v FROM kv WHERE t = ? AND k = ?", (self.name, table_key(key))).fetchone()  # type: ignore[union-attr]
        if row is None:
            return self._MISSING
        with no_gc():
            value = self.cache[key] = pickle.loads(row[0])
        return value

    def __getitem__(self, key: Any) -> Any:
        value = self._fetch(key)
        if value is self._MISSING:
            if self.factory is None:
                raise KeyError(key)
            value = self[key] = self.factory()
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._fetch(key)
        return default if value is self._MISSING else value

    def __contains__(self, key: object) -> bool:
        return self._fetch(key) is not self._MISSING

    def __setitem__(self, key: Any, value: Any) -> None:
        self.cache[key] = value
        self.deleted.discard(key)

    def __delitem__(self, key: Any) -> None:
        if self._fetch(key) is self._MISSING:
            raise KeyError(key)
        del self.cache[key]
        self.deleted.add(key)

    def load_all(self) -> None:
        if self.complete:
            return
        with no_gc():
            for kb, vb in self.db.execute("SELECT kb, v FROM kv WHERE t = ?", (self.name,)):  # type: ignore[union-attr]
                key = pickle.loads(kb)
                if key not in self.cache and key not in self.deleted:
                    self.cache[key] = pickle.loads(vb)
        self.complete = True

    def key_set(self) -> set[Any]:
        """Every key, without reading the values."""
        if self.complete:
            return set(self.cache)
        with no_gc():
            keys = {pickle.loads(kb) for (kb,) in self.db.execute("SELECT kb FROM kv WHERE t = ?", (self.name,))}  # type: ignore[union-attr]
        return (keys - self.deleted) | set(self.cache)

    def evict(self) -> None:
        """Forget what was read (after :meth:`flush`): the next use reads it from the database again."""
        if self.db is not None:
            self.cache.clear()
            self.complete = False

    def __iter__(self) -> Iterator[Any]:
        self.load_all()
        return iter(list(self.cache))

    def __len__(self) -> int:
        self.load_all()
        return len(self.cache)

    def flush(self, db: sqlite3.Connection) -> None:
        db.executemany("DELETE FROM kv WHERE t = ? AND k = ?", [(self.name, table_key(k)) for k in self.deleted])
        db.executemany("INSERT OR REPLACE INTO kv (t, k, kb, v) VALUES (?, ?, ?, ?)",
                       [(self.name, table_key(k), pickle.dumps(k, 5), pickle.dumps(v, 5))
                        for k, v in self.cache.items()])
        self.deleted.clear()


def table_key(key: Any) -> str:
    """The text a key is stored under: the same in every process (sets in sorted order, not hash order)."""
    return key if isinstance(key, str) else repr(canonical(key))


def canonical(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(canonical(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set", *sorted(value))
    return value


class _Clusters(Protocol):
    keys: MutableMapping[int, list[str]]


class _Lookups(Protocol):
    """What the lazy lookups read of the index (its tables), so that this module does not import it."""

    ent_map: MutableMapping[str, str]
    ent_members: MutableMapping[str, set[str]]
    cluster_of: MutableMapping[str, int]
    clusters: _Clusters


class Parties(Mapping):
    """Per-article actor key -> its party name: the first per-article key of its merged actor."""

    def __init__(self, index: _Lookups) -> None:
        self.index = index

    def __getitem__(self, key: str) -> str:
        m = self.index.ent_map.get(key)
        if m is None:
            raise KeyError(key)
        return min(self.index.ent_members[m])

    def __iter__(self) -> Iterator[str]:
        return iter(self.index.ent_map)

    def __len__(self) -> int:
        return len(self.index.ent_map)


class KeyMap(Mapping):
    """Per-article key -> merged key, looked up in the index (actors, then agreement clusters)."""

    def __init__(self, index: _Lookups) -> None:
        self.index = index

    def __getitem__(self, key: str) -> str:
        ix = self.index
        if (m := ix.ent_map.get(key)) is not None:
            return m
        if (c := ix.cluster_of.get(key)) is not None:
            return ix.clusters.keys[c][0]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield from self.index.ent_map
        yield from self.index.cluster_of

    def __len__(self) -> int:
        return len(self.index.ent_map) + len(self.index.cluster_of)
