"""How fast are the saved queries on a big graph? Run: ``python tests/bench/bench_query.py``.

Generates a seeded graph of about 1,000,000 triples in the project's own shape (records ->
KnowledgeGraph -> the triples ``graph.rdf.to_rdf`` would write; checked against ``to_rdf`` on a small
sample, then mapped straight to pyoxigraph terms because rdflib would take minutes at this size),
loads it into an on-disk pyoxigraph store and into rdflib's in-memory Graph, runs each saved query with
typical parameters several times and prints the median latency on both and their ratio. Target: every
saved query under 100 ms median on Oxigraph. rdflib runs in a worker process with a time budget per
query (a runaway query there would stall the run for hours); a query over budget is shown as ``> N s``.

``--layout named`` loads the triples the way ``graph.store`` keeps them, every triple in a merged
named graph and each article's own triples again in that article's graph, so the union default graph
sees most triples twice. Not a pytest test: the file name keeps it out of collection. Exits 1 when a
saved query misses the target.

``--store OUT`` measures a real build folder instead (``newsgraph build``'s output, with ``OUT/store/``).
Parameters are picked from the store with SPARQL: the 10th most mentioned Person with a full name (and
its most frequent relation for ``evidence``), the first article's id prefix, the most mentioned agreement,
the week from the median publication date. Per saved query it prints the rows, the median latency through
newsgraph's own path (``load_store`` + ``run_query`` in-process on the opened read-only store, as
``newsgraph query OUT --name NAME`` runs it), the median of the same text on ``oxigraph serve-read-only``
over HTTP, their ratio, and the wall time of the CLI process ``newsgraph query`` to its first row (median
of 3). The baseline is the same engine on the same on-disk store, so the ratio is what newsgraph's path
(Python bindings, term objects) costs over Oxigraph's own server, the reference a reader could deploy
instead. The server is asked for the merged graph as its default graph (``default-graph-uri``; the
store's own default graph is empty), which is what newsgraph's path queries, and the row counts are
checked to agree. Exits 1 when a saved query's newsgraph median misses the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from graph.ask.labels import LabelIndex, label_index
from graph.ask.sparql import (
    dataset_options,
    get_saved_query,
    load_store,
    merged_graph,
    run_query,
    saved_queries,
    sparql_literal,
)
from graph.keys import agreement_key, article_key, digest, entity_key, statement_key
from graph.model import KnowledgeGraph
from graph.rdf import node_iri, to_rdf
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement
from graph.store import MERGED, STORE_DIR, graph_iri
from graph.vocab import DEFAULT_BASE, NG_URI

TARGET_MS = 100.0
TRIPLES_PER_ARTICLE = 330  # measured by the sample check below; sets how many articles make the target size

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"

FIRST = ("Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hassan", "Irina", "Jonas", "Karim",
         "Lena", "Marco", "Nadia", "Oleg", "Priya", "Rafael", "Sofia", "Tomas", "Ursula", "Viktor", "Wei",
         "Yasmin", "Zoran")
LAST = ("Abramov", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
        "Urban", "Volkov", "Weber", "Xu", "Yilmaz", "Zhukov")
ORG_KIND = ("Ministry of Energy", "Foreign Ministry", "Institute", "Council", "Bank", "Alliance", "Agency",
            "Party", "Times", "Group")
ROLES = ("President", "Prime Minister", "foreign minister", "spokesperson", "Special Envoy", "CEO", "reporter",
         "defense minister", "ambassador", "general")
AGR = (("Ceasefire", "{a} ceasefire"), ("Deal", "{a} minerals deal"), ("Treaty", "{a} treaty"),
       ("Exchange", "{a} prisoner exchange"), ("Proposal", "{a} peace plan"), ("Acquisition", "{a} takeover"),
       ("Meeting", "{a} meeting"), ("Talks", "{a} talks"), ("Summit", "{a} summit"), ("Call", "{a} call"),
       ("Attack", "{a} strike"))
ADJ = ("partial", "30-day", "energy", "Black Sea", "grain", "border", "maritime", "full", "interim", "regional",
       "trade", "security", "technical", "emergency", "humanitarian")
STATUSES = ("agreed", "proposed", "rejected", "signed", "in force", "hoped for", None)
PUBLISHERS = tuple(f"Wire {c}" for c in "ABCDEFGHIJKLMNOPQRST")
CUES = ("said", "told", "warned", "added", "claimed", "stated")
#: Relation mix of one article, roughly the seed article's.
ACTOR_TO_HAPPENING = ("agreedTo",) * 3 + ("proposed",) * 2 + ("rejected", "signed") + ("negotiated",) * 2 \
    + ("participatesIn",) * 4
ACTOR_TO_ACTOR = ("spokeWith",) * 2 + ("metWith", "attacked", "supports", "opposes") + ("memberOf",) * 3
SYMMETRIC = {"spokeWith", "metWith"}


# --- the synthetic graph ------------------------------------------------------------------------------


def synthetic_kg(n_articles: int, *, seed: int = 7) -> KnowledgeGraph:
    """A seeded news graph: a pool of actors drawn Zipf-like (a few in every other article, most rarely),
    six happenings, about twenty relations and nine quotes per article, all with provenance."""
    rng = random.Random(seed)
    pool = _actor_pool(rng, max(200, n_articles * 2))
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(pool))]
    extractions = []
    for i in range(n_articles):
        aid = digest(f"article {i}")
        published = f"20{24 + i % 2}-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}"
        art = Article(id=aid, text=f"(synthetic article {i})", path=f"news/{i:05d}.txt",
                      title=f"Synthetic story {i}", published=published, source=rng.choice(PUBLISHERS),
                      author=f"{rng.choice(FIRST)} {rng.choice(LAST)}", language="en")
        ex = Extraction(article=art)
        chosen: dict[str, tuple[str, str, tuple[str, ...], str | None]] = {}
        while len(chosen) < 18:
            key, typ, label, roles, code = rng.choices(pool, weights)[0]
            chosen[key] = (typ, label, roles, code)
        actors = list(chosen)
        for key, (typ, label, roles, code) in chosen.items():
            ex.entities.append(Entity(key, typ, label, aliases=(label.split()[-1],) if typ == "Person" else (),
                                      roles=roles, articles=(aid,), code=code))
        sentence_no = 0

        def pv(conf: float, aid: str = aid) -> Provenance:
            nonlocal sentence_no
            sentence_no += 1
            start = sentence_no * 120
            text = f"Sentence {sentence_no} of article {aid} reports what happened, in about a hundred characters."
            return Provenance(article=aid, sentence=text, start=start, end=start + len(text), confidence=conf,
                              resolved=rng.random() < 0.1)

        happenings = []
        for j in range(6):
            typ, pattern = rng.choice(AGR)
            label = pattern.format(a=rng.choice(ADJ)) + (f" {j}" if rng.random() < 0.3 else "")
            key = agreement_key(aid, label)
            happenings.append(key)
            dated = rng.random() < 0.4
            ex.agreements.append(Agreement(
                key, typ, label, status=rng.choice(STATUSES), scope="energy targets" if rng.random() < 0.2 else None,
                duration="30 days" if rng.random() < 0.1 else None,
                place=rng.choice(actors) if rng.random() < 0.2 else None,
                date=published if dated else None, articles=(aid,), provenance=pv(0.9)))
        for _ in range(12):
            pred = rng.choice(ACTOR_TO_HAPPENING)
            ex.relations.append(Relation(rng.choice(actors), pred, rng.choice(happenings), pv(rng.choice(_CONF)),
                                         modality="future" if rng.random() < 0.05 else "asserted",
                                         date=published if rng.random() < 0.2 else None))
        for _ in range(8):
            pred = rng.choice(ACTOR_TO_ACTOR)
            a, b = rng.sample(actors, 2)
            if pred in SYMMETRIC:
                a, b = sorted((a, b))
            ex.relations.append(Relation(a, pred, b, pv(rng.choice(_CONF))))
        for _ in range(9):
            speakers = tuple(rng.sample(actors, 2 if rng.random() < 0.1 else 1))
            p = pv(rng.choice(_CONF))
            quote = f"we will keep talking about item {rng.randrange(10**6)} until there is an answer"
            ex.statements.append(Statement(statement_key(aid, p.start, quote), speakers, quote, rng.choice(CUES),
                                           "claim" if rng.random() < 0.3 else "quote", p))
        extractions.append(ex)
    return KnowledgeGraph.from_extractions(extractions)


_CONF = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _actor_pool(rng: random.Random, size: int) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    import pycountry

    pool: dict[str, tuple[str, str, str, tuple[str, ...], str | None]] = {}
    for c in list(pycountry.countries)[:200]:
        name = getattr(c, "common_name", None) or c.name
        pool[entity_key("Country", name)] = (entity_key("Country", name), "Country", name, (), c.alpha_2)
    n = 0
    while len(pool) < size:
        n += 1
        r = rng.random()
        if r < 0.55:
            typ, label = "Person", f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f" {n}" if n > 500 else "")
            roles = tuple(sorted(set(rng.sample(ROLES, rng.randint(0, 2)))))
        elif r < 0.85:
            typ, label, roles = "Organization", f"{rng.choice(LAST)} {rng.choice(ORG_KIND)} {n}", ()
        else:
            typ, label, roles = "Place", f"{rng.choice(LAST)}grad {n}", ()
        key = entity_key(typ, label)
        pool.setdefault(key, (key, typ, label, roles, None))
    items = list(pool.values())
    rng.shuffle(items)
    return items


# --- the same triples as graph.rdf.to_rdf, fast -------------------------------------------------------


def kg_triples(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[tuple[ox.Triple, str | None]]:
    """(triple, article id it belongs to or None) for every triple ``to_rdf(kg, base=base)`` would give."""
    nn = ox.NamedNode
    cache: dict[str, ox.NamedNode] = {}

    def iri(key: str) -> ox.NamedNode:
        n = cache.get(key)
        if n is None:
            n = cache[key] = nn(str(node_iri(key, base)))
        return n

    def t(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(s, nn(p), o)

    def lit(value: str) -> ox.Literal:
        return ox.Literal(value)

    def date(value: str) -> ox.Literal:
        return ox.Literal(value, datatype=nn(XSD + ("date" if len(value) == 10 else "gYearMonth")))

    a_type, label = RDF + "type", RDFS + "label"
    for aid, art in kg.articles.items():
        a = iri(article_key(aid))
        yield t(a, a_type, nn(NG_URI + "NewsArticle")), aid
        yield t(a, label, lit(art.title or art.path or art.id)), aid
        yield t(a, NG_URI + "articleId", lit(art.id)), aid
        for p, v in ((SCHEMA + "headline", art.title), (SCHEMA + "author", art.author),
                     (SCHEMA + "publisher", art.source), (SCHEMA + "inLanguage", art.language)):
            if v:
                yield t(a, p, lit(v)), aid
        if art.published:
            yield t(a, SCHEMA + "datePublished", date(art.published)), aid
    for key, ent in kg.entities.items():
        n = iri(key)
        yield t(n, a_type, nn(NG_URI + ent.type)), None
        yield t(n, label, lit(ent.label)), None
        for alias in sorted(set(ent.aliases)):
            if alias != ent.label:
                yield t(n, SKOS + "altLabel", lit(alias)), None
        for role in sorted(set(ent.roles)):
            yield t(n, NG_URI + "holdsRole", lit(role)), None
        if ent.code:
            yield t(n, NG_URI + "isoCode", lit(ent.code)), None
        for aid in ent.articles:
            yield t(iri(article_key(aid)), NG_URI + "mentions", n), aid
    for key, agr in kg.agreements.items():
        n = iri(key)
        home = agr.articles[0] if len(agr.articles) == 1 else None
        yield t(n, a_type, nn(NG_URI + agr.type)), home
        yield t(n, label, lit(agr.label)), home
        for alias in sorted(set(agr.aliases)):
            if alias != agr.label:
                yield t(n, SKOS + "altLabel", lit(alias)), home
        for p, v in ((NG_URI + "status", agr.status), (NG_URI + "scope", agr.scope),
                     (NG_URI + "duration", agr.duration)):
            if v:
                yield t(n, p, lit(v)), home
        if agr.place:
            yield t(n, NG_URI + "place", iri(agr.place)), home
        if agr.date:
            yield t(n, NG_URI + "date", date(agr.date)), home
        for aid in agr.articles:
            yield t(iri(article_key(aid)), NG_URI + "mentions", n), aid
    for key, st in kg.statements.items():
        n, aid = iri(key), st.provenance.article
        claim = st.kind == "claim"
        yield t(n, a_type, nn(NG_URI + "Statement")), aid
        if claim:
            yield t(n, a_type, nn(NG_URI + "Claim")), aid
        yield t(n, NG_URI + "quote", lit(st.text)), aid
        if st.cue:
            yield t(n, NG_URI + "cue", lit(st.cue)), aid
        for sp in st.speakers:
            yield t(n, NG_URI + "speaker", iri(sp)), aid
            yield t(iri(sp), NG_URI + ("claimed" if claim else "said"), n), aid
        yield from ((tr, aid) for tr in _provenance(n, st.provenance, iri))
    for rel in kg.relations:
        pv = rel.provenance
        s, p, o = iri(rel.subject), nn(NG_URI + rel.predicate), iri(rel.object)
        ev = iri("evidence/" + digest(rel.subject, rel.predicate, rel.object, pv.article, str(pv.start), str(pv.end)))
        aid = pv.article
        yield ox.Triple(s, p, o), aid
        yield t(ev, a_type, nn(RDF + "Statement")), aid
        yield t(ev, RDF + "subject", s), aid
        yield t(ev, RDF + "predicate", p), aid
        yield t(ev, RDF + "object", o), aid
        yield from ((tr, aid) for tr in _provenance(ev, pv, iri))
        if rel.modality and rel.modality != "asserted":
            yield t(ev, NG_URI + "modality", lit(rel.modality)), aid
        if rel.date:
            yield t(ev, NG_URI + "date", date(rel.date)), aid


def _provenance(n: ox.NamedNode, pv: Provenance, iri) -> Iterator[ox.Triple]:
    nn = ox.NamedNode
    yield ox.Triple(n, nn(PROV + "wasDerivedFrom"), iri(article_key(pv.article)))
    yield ox.Triple(n, nn(NG_URI + "sentence"), ox.Literal(pv.sentence))
    yield ox.Triple(n, nn(NG_URI + "startChar"), ox.Literal(str(int(pv.start)), datatype=nn(XSD + "integer")))
    yield ox.Triple(n, nn(NG_URI + "endChar"), ox.Literal(str(int(pv.end)), datatype=nn(XSD + "integer")))
    confidence = format(Decimal(f"{pv.confidence:.3f}").normalize(), "f")  # canonical, as graph.rdf writes it
    yield ox.Triple(n, nn(NG_URI + "confidence"), ox.Literal(confidence, datatype=nn(XSD + "decimal")))
    if pv.resolved:
        yield ox.Triple(n, nn(NG_URI + "resolvedMention"), ox.Literal("true", datatype=nn(XSD + "boolean")))


def check_shape() -> float:
    """The fast mapping gives exactly ``to_rdf``'s triples on a small sample; returns triples per article."""
    import rdflib
    from rdflib.compare import isomorphic

    kg = synthetic_kg(12, seed=3)
    fast = rdflib.Graph()
    nt = ox.serialize((tr for tr, _ in kg_triples(kg)), format=ox.RdfFormat.N_TRIPLES)
    fast.parse(data=nt.decode("utf-8"), format="nt")
    slow = to_rdf(kg)
    if not isomorphic(fast, slow):
        only_fast = sorted(str(t) for t in set(fast) - set(slow))[:5]
        only_slow = sorted(str(t) for t in set(slow) - set(fast))[:5]
        raise SystemExit(f"the fast mapping differs from to_rdf:\n  only fast: {only_fast}\n  only to_rdf: {only_slow}")
    return len(slow) / len(kg.articles)


# --- loading ------------------------------------------------------------------------------------------


def build_store(kg: KnowledgeGraph, folder: Path, layout: str) -> tuple[Path, int, Path]:
    """The on-disk Oxigraph store and an N-Triples dump (for rdflib); returns (store dir, triples, nt file)."""
    triples = list(kg_triples(kg))
    nt = folder / "graph.nt"
    ox.serialize((tr for tr, _ in triples), nt, format=ox.RdfFormat.N_TRIPLES)
    store_dir = folder / f"store-{layout}"
    store = ox.Store(str(store_dir))
    if layout == "named":
        merged = ox.NamedNode(graph_iri(MERGED))
        quads = [ox.Quad(tr.subject, tr.predicate, tr.object, merged) for tr, _ in triples]
        quads += [ox.Quad(tr.subject, tr.predicate, tr.object, ox.NamedNode(graph_iri(aid)))
                  for tr, aid in triples if aid is not None]
    else:
        quads = [ox.Quad(tr.subject, tr.predicate, tr.object) for tr, _ in triples]
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store
    return store_dir, len(triples), nt


# --- timing -------------------------------------------------------------------------------------------


def typical_params(kg: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Parameters a reader would type: a well-known actor (the 10th most mentioned), one article, a month."""
    mentions = sorted(kg.entities.values(), key=lambda e: (-len(e.articles), e.key))
    person = next(e for e in mentions[9:] if e.type == "Person")
    aid = next(iter(kg.articles))
    kinds = {"Ceasefire", "Deal", "Treaty", "Exchange", "Proposal", "Acquisition"}
    agreement = next(a.label for a in kg.agreements.values() if a.type in kinds)
    word = person.label
    return {
        "agreements": {"actor": word},
        "contacts": {"actor": word},
        "quotes": {"actor": word},
        "agreement-parties": {"agreement": agreement},
        "evidence": {"subject": word, "predicate": "agreedTo"},
        "roles": {"actor": word},
        "timeline": {"from": "2025-03-01", "to": "2025-03-07"},
        "co-occurrence": {"actor": word},
        "article": {"article": aid[:8]},
    }


def time_oxigraph(store: ox.Store, text: str, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = sum(1 for _ in run_query(store, text))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), rows


def _rdflib_worker(nt: str, conn) -> None:
    import rdflib

    g = rdflib.Graph()
    g.parse(nt, format="nt")
    conn.send(("ready", len(g)))
    while True:
        msg = conn.recv()
        if msg is None:
            return
        text, repeat, budget = msg
        times, rows = [], 0
        while len(times) < repeat and sum(times) < budget * 1000 / 2:  # slow queries run fewer times
            t0 = time.perf_counter()
            rows = sum(1 for _ in g.query(text))
            times.append((time.perf_counter() - t0) * 1000)
        conn.send((statistics.median(times), rows))


class RdflibRunner:
    """rdflib in a worker process, so a query over its budget can be abandoned (the worker is restarted)."""

    def __init__(self, nt: Path, load_timeout: float = 1800) -> None:
        self.nt, self.load_timeout = str(nt), load_timeout
        self.proc = None
        self.loaded = 0
        self.load_seconds = 0.0

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_rdflib_worker, args=(self.nt, child), daemon=True)
        t0 = time.perf_counter()
        self.proc.start()
        if not self.conn.poll(self.load_timeout):
            raise SystemExit("rdflib did not load the graph in time")
        _, self.loaded = self.conn.recv()
        self.load_seconds = time.perf_counter() - t0

    def run(self, text: str, repeat: int, budget: float) -> tuple[float | None, int]:
        if self.proc is None:
            self._start()
        self.conn.send((text, repeat, budget))
        if self.conn.poll(budget):
            return self.conn.recv()
        self.close()
        return None, 0

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
            self.proc = None


# --- a real build folder (--store OUT) ----------------------------------------------------------------

def _values(store: ox.Store, sparql: str) -> list[str]:
    """The first column of a query run through newsgraph's path (its usual prefixes need no PREFIX), as text."""
    result = run_query(store, sparql)
    column = result.variables[0].value
    return [row[column].value for row in result if row[column] is not None]


def store_params(store: ox.Store) -> dict[str, dict[str, str]]:
    """What a reader would type, found in the store itself: the synthetic mode's choices, made on real data."""
    persons = _values(store, """
        SELECT ?label (COUNT(DISTINCT ?art) AS ?n) WHERE { ?p a ng:Person ; rdfs:label ?label . ?art ng:mentions ?p }
        GROUP BY ?p ?label ORDER BY DESC(?n) ?label""")
    # a full name: the most mentioned "Persons" of a real build may be one-word places the extractor mistyped
    full = [label for label in persons if " " in label.strip()] or persons
    articles = _values(store, "SELECT ?id WHERE { ?a ng:articleId ?id } ORDER BY ?id LIMIT 1")
    agreements = _values(store, """
        SELECT ?label (COUNT(DISTINCT ?art) AS ?n) WHERE {
          ?g a ?cls ; rdfs:label ?label . ?art ng:mentions ?g .
          FILTER(?cls IN (ng:Ceasefire, ng:Deal, ng:Treaty, ng:Exchange, ng:Proposal, ng:Acquisition))
        } GROUP BY ?g ?label ORDER BY DESC(?n) ?label LIMIT 1""")
    dates = _values(store, """
        SELECT ?d WHERE { ?a schema:datePublished ?date . BIND(STR(?date) AS ?d) FILTER(STRLEN(?d) = 10) }
        ORDER BY ?d""")
    word = full[min(9, len(full) - 1)] if full else ""
    # the relation that actor has most evidence for, so the evidence query has rows to show
    predicates = _values(store, f"""
        SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?a rdfs:label {sparql_literal(word)} . ?ev rdf:subject ?a ;
          rdf:predicate ?rel . BIND(STRAFTER(STR(?rel), "#") AS ?p) }} GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1""")
    params: dict[str, dict[str, str]] = {
        "agreements": {"actor": word},
        "contacts": {"actor": word},
        "quotes": {"actor": word},
        "agreement-parties": {"agreement": agreements[0] if agreements else ""},
        "evidence": {"subject": word, "predicate": predicates[0] if predicates else "agreedTo"},
        "roles": {"actor": word},
        "co-occurrence": {"actor": word},
        "article": {"article": articles[0][:8] if articles else "0"},
    }
    if dates:
        start = dt.date.fromisoformat(dates[len(dates) // 2])
        params["timeline"] = {"from": start.isoformat(), "to": (start + dt.timedelta(days=6)).isoformat()}
    return params


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _venv_command(name: str) -> str:
    """A console script of this interpreter's environment (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        raise SystemExit(f"cannot find the `{name}` command (pip install it into this environment)")
    return found


class OxigraphServer:
    """``oxigraph serve-read-only`` on the build's store, on a free loopback port, for the HTTP baseline.

    ``default_graph`` is the graph newsgraph's path takes as default (the merged one); None asks for the union.
    """

    def __init__(self, store_dir: Path, default_graph: str | None, *, start_timeout: float = 60) -> None:
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [_venv_command("oxigraph"), "serve-read-only", "--location", str(store_dir),
             "--bind", f"127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        # the protocol's dataset: the merged graph as default graph, else (no merged graph) the union
        query = {"default-graph-uri": default_graph} if default_graph else {"union-default-graph": ""}
        self.url = f"http://127.0.0.1:{self.port}/query?" + urllib.parse.urlencode(query)
        self._wait(start_timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"oxigraph serve-read-only exited ({self.proc.returncode}): "
                                 f"{self.log.read().decode('utf-8', 'replace').strip()}")
            try:
                self.query("ASK {}")
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise SystemExit("oxigraph serve-read-only did not answer in time") from None
                time.sleep(0.1)

    def query(self, text: str) -> bytes:
        """POST the query and read the whole SPARQL JSON response (an HTTP error raises)."""
        req = urllib.request.Request(self.url, data=text.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=600) as resp:
            return resp.read()

    def close(self) -> None:
        """Stop the server (it holds the store open) and wait for it."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def time_http(server: OxigraphServer, text: str, repeat: int) -> tuple[float, int]:
    """Median ms of request plus complete read of the response; rows counted afterwards, outside the timing."""
    times, body = [], b""
    for _ in range(repeat):
        t0 = time.perf_counter()
        body = server.query(text)
        times.append((time.perf_counter() - t0) * 1000)
    data = json.loads(body)
    rows = len(data["results"]["bindings"]) if "results" in data else 1  # ASK: one boolean
    return statistics.median(times), rows


def time_cli(out: Path, name: str, params: dict[str, str], runs: int) -> tuple[float, int, int]:
    """Median wall ms of ``newsgraph query OUT --name NAME -f tsv`` from start to its first row on stdout
    (the TSV header is skipped; with no rows, to the end of the output), with the rows and exit code of the
    last run: the CLI's own start-up (imports, opening the store) on top of the query."""
    cmd = [_venv_command("newsgraph"), "query", str(out), "--name", name, "--format", "tsv"]
    for key, value in params.items():
        cmd += ["--param", f"{key}={value}"]
    times, rows, code = [], 0, 0
    for _ in range(runs):
        t0 = time.perf_counter()
        first = None
        with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
            assert proc.stdout is not None
            lines = 0
            for _line in proc.stdout:
                lines += 1
                if lines == 2:
                    first = time.perf_counter()
            code = proc.wait()
        times.append(((first or time.perf_counter()) - t0) * 1000)
        rows = max(lines - 1, 0)
    return statistics.median(times), rows, code


@dataclass
class StoreResult:
    """One saved query measured on a build folder."""

    name: str
    params: dict[str, str]
    rows: int
    ng_ms: float
    http_ms: float
    http_rows: int
    plain_ms: float  # the saved query as written (no label index) on the server: what plain Oxigraph gives
    plain_rows: int
    cli_ms: float
    cli_rows: int
    cli_code: int

    @property
    def warning(self) -> str:
        notes = []
        if self.http_rows != self.rows:
            notes.append(f"server rows {self.http_rows}")
        if self.plain_rows != self.rows:
            notes.append(f"plain query rows {self.plain_rows}")
        if self.cli_code != 0:
            notes.append(f"CLI exit {self.cli_code}")
        elif self.cli_rows != self.rows:
            notes.append(f"CLI rows {self.cli_rows}")
        return "; ".join(notes)


def store_main(out: Path, *, repeat: int = 7, cli_runs: int = 3) -> int:
    """Time every saved query on a build folder: newsgraph's path, the oxigraph server, the CLI start-up."""
    store = load_store(out)  # what `newsgraph query OUT` opens: OUT/store read-only
    merged = merged_graph(store)
    store_dir = out / STORE_DIR
    if not store_dir.is_dir():
        raise SystemExit(f"{out}: no store/ folder; run `newsgraph build ... --out {out}` first")
    params = store_params(store)
    print(f"{out}: {len(store):,} quads, default graph "
          f"{'<' + merged.value + '>' if merged else 'the union of all graphs'}", flush=True)
    (out / "cache" / "_labels.tsv").unlink(missing_ok=True)
    t0 = time.perf_counter()
    labels = label_index(out, store, dataset_options(store))  # what the first query after a build makes
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    labels = LabelIndex.load((out / "cache" / "_labels.tsv").read_text(encoding="utf-8").partition("\n")[2]) \
        if (out / "cache" / "_labels.tsv").is_file() else labels
    print(f"label index: {len(labels.iris) if labels else 0:,} labels, made in {made:.2f} s, read back in "
          f"{time.perf_counter() - t0:.2f} s", flush=True)
    server = OxigraphServer(store_dir, merged.value if merged else None)
    results: list[StoreResult] = []
    try:
        print(f"{'query':18} {'params':40} {'rows':>6} {'newsgraph':>10} {'server':>10} {'ratio':>6} "
              f"{'plain':>10} {'CLI 1st row':>12}", flush=True)
        for name in saved_queries():
            p = params.get(name, {})
            text = get_saved_query(name).bind(p, labels=labels)  # as `newsgraph query --name` runs it
            plain = get_saved_query(name).bind(p)
            ng_ms, rows = time_oxigraph(store, text, repeat)
            http_ms, http_rows = time_http(server, text, repeat)
            plain_ms, plain_rows = time_http(server, plain, repeat)
            cli_ms, cli_rows, cli_code = time_cli(out, name, p, cli_runs)
            r = StoreResult(name, p, rows, ng_ms, http_ms, http_rows, plain_ms, plain_rows, cli_ms, cli_rows,
                            cli_code)
            results.append(r)
            print(f"  {name:18} {_fmt_params(p):40.40} {rows:6d} {ng_ms:8.1f}ms {http_ms:8.1f}ms "
                  f"{ng_ms / http_ms:5.2f}x {plain_ms:8.1f}ms {cli_ms:10.0f}ms  {r.warning}", flush=True)
    finally:
        server.close()
        del store
    print(f"\nnewsgraph: run_query on the opened read-only store with the label index, rows iterated, median of "
          f"{repeat}; server: oxigraph serve-read-only over HTTP, the same query text, SPARQL JSON read whole, median "
          f"of {repeat}; ratio newsgraph / server; plain: the saved query as written (no label index) on the server; "
          f"CLI: `newsgraph query OUT --name NAME --format tsv` to its first row, median of {cli_runs}.")
    print("\n| query | params | rows | newsgraph median ms | oxigraph server, same text, ms | newsgraph / server "
          "| server, saved query as written, ms | CLI to first row ms | warning |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        print(f"| {r.name} | {_fmt_params(r.params)} | {r.rows} | {r.ng_ms:.1f} | {r.http_ms:.1f} | "
              f"{r.ng_ms / r.http_ms:.2f}x | {r.plain_ms:.1f} | {r.cli_ms:.0f} | {r.warning} |")
    slow = [r.name for r in results if r.ng_ms >= TARGET_MS]
    if slow:
        print(f"\nmissed the {TARGET_MS:.0f} ms target: {', '.join(slow)}")
        return 1
    print(f"\nevery saved query with typical parameters is under {TARGET_MS:.0f} ms through newsgraph's path")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about how many triples to generate")
    ap.add_argument("--repeat", type=int, default=7, help="runs per query on Oxigraph (median reported)")
    ap.add_argument("--rdflib-repeat", type=int, default=3, help="runs per query on rdflib")
    ap.add_argument("--rdflib-budget", type=float, default=60.0, help="seconds per query on rdflib before giving up")
    ap.add_argument("--no-rdflib", action="store_true", help="time Oxigraph only")
    ap.add_argument("--layout", choices=("default", "named"), default="named",
                    help="triples in the default graph, or per-article graphs plus a merged graph (graph.store)")
    ap.add_argument("--no-params", action="store_true", help="also time every query without parameters")
    ap.add_argument("--workdir", type=Path, help="where to put the store (default: a temporary folder)")
    ap.add_argument("--store", type=Path, metavar="OUT",
                    help="measure the saved queries on this build folder (newsgraph build's output) instead")
    ap.add_argument("--cli-runs", type=int, default=3, help="with --store: runs of `newsgraph query` per query")
    args = ap.parse_args(argv)
    if args.store is not None:
        return store_main(args.store, repeat=args.repeat, cli_runs=args.cli_runs)

    per_article = check_shape()
    n_articles = max(1, round(args.triples / per_article))
    t0 = time.perf_counter()
    kg = synthetic_kg(n_articles)
    with tempfile.TemporaryDirectory(prefix="bench-query-", dir=args.workdir) as tmp:
        store_dir, n_triples, nt = build_store(kg, Path(tmp), args.layout)
        print(f"{n_triples:,} triples from {n_articles:,} articles ({per_article:.0f} per article; "
              f"{len(kg.entities):,} actors, {len(kg.agreements):,} happenings, {len(kg.relations):,} relations, "
              f"{len(kg.statements):,} quotes), layout {args.layout}, built in {time.perf_counter() - t0:.0f} s",
              flush=True)
        store = ox.Store.read_only(str(store_dir))
        rdf = None if args.no_rdflib else RdflibRunner(nt)
        params = typical_params(kg)
        cases = [(name, params.get(name, {})) for name in saved_queries()]
        if args.no_params:
            cases += [(name, {}) for name, q in saved_queries().items() if not any(p.required for p in q.params)]
        results = []
        print(f"{'query':18} {'params':40} {'rows':>11}  Oxigraph median, rdflib median", flush=True)
        for name, p in cases:
            text = get_saved_query(name).bind(p)
            ox_ms, rows = time_oxigraph(store, text, args.repeat)
            rd_ms = None
            if rdf is not None:
                rd_ms, _ = rdf.run(text, args.rdflib_repeat, args.rdflib_budget)
            results.append((name, p, rows, ox_ms, rd_ms))
            _print_row(results[-1], args.rdflib_budget, rdf is not None)
        if rdf is not None:
            print(f"(rdflib loaded {rdf.loaded:,} triples in {rdf.load_seconds:.0f} s)")
            rdf.close()
        del store
    slow = [r for r in results if r[3] >= TARGET_MS and r[1] == params.get(r[0], {})]
    print("\n| query | params | rows | Oxigraph median ms | rdflib median ms | rdflib / Oxigraph |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(_md_row(r, args.rdflib_budget, not args.no_rdflib))
    if slow:
        print(f"\nmissed the {TARGET_MS:.0f} ms target: {', '.join(r[0] for r in slow)}")
        return 1
    print(f"\nevery saved query with typical parameters is under {TARGET_MS:.0f} ms on Oxigraph")
    return 0


def _fmt_params(p: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in p.items()) or "(none)"


def _print_row(r: tuple, budget: float, with_rdflib: bool) -> None:
    name, p, rows, ox_ms, rd_ms = r
    rd = "-" if not with_rdflib else (f"> {budget:.0f} s" if rd_ms is None else f"{rd_ms:.1f} ms")
    print(f"  {name:18} {_fmt_params(p):40.40} rows {rows:6d}  oxigraph {ox_ms:8.1f} ms  rdflib {rd}", flush=True)


def _md_row(r: tuple, budget: float, with_rdflib: bool = True) -> str:
    name, p, rows, ox_ms, rd_ms = r
    if not with_rdflib:
        rd, ratio = "-", "-"
    elif rd_ms is None:
        rd, ratio = f"> {budget * 1000:.0f}", f"> {budget * 1000 / ox_ms:.0f}x"
    else:
        rd, ratio = f"{rd_ms:.1f}", f"{rd_ms / ox_ms:.0f}x"
    return f"| {name} | {_fmt_params(p)} | {rows} | {ox_ms:.1f} | {rd} | {ratio} |"


if __name__ == "__main__":
    sys.exit(main())
