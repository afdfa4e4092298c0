"""How fast does a large graph page become usable? Run: ``python tests/bench/bench_view.py``.

Generates a seeded graph of 2,000 nodes and about 4,000 edges, writes the HTML view, opens it in
Debian's headless chromium (``apt-get install chromium chromium-driver``; selenium from the test
extra) and measures the time until vis-network has drawn the graph, against a 5 s target. Not a
pytest test: the file name keeps it out of collection. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from graph.exporters.html import write_html
from graph.model import KnowledgeGraph
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement

TARGET_S = 5.0
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PREDICATES = ("agreedTo", "proposed", "rejected", "negotiated", "signed", "spokeWith", "metWith",
              "participatesIn", "attacked", "supports", "opposes", "locatedIn", "memberOf")
AGREEMENT_TYPES = ("Ceasefire", "Deal", "Exchange", "Pact", "Meeting", "Talks", "Summit", "Call", "Attack")
STATUSES = ("proposed", "agreed", "signed", "rejected", "hoped for", None)


def synthetic_graph(nodes: int = 2000, edges: int = 4000, articles: int = 60, seed: int = 42) -> KnowledgeGraph:
    """A seeded random graph shaped like a news build: 60% actors, 25% agreements, 15% quotes."""
    rng = random.Random(seed)
    arts = [Article(id=f"art{i:03d}", text=f"article {i}", path=f"news/{i:03d}.txt", title=f"Story number {i}",
                    published=f"2031-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(articles)]
    n_actor, n_agr = int(nodes * 0.60), int(nodes * 0.25)
    n_quote = nodes - n_actor - n_agr
    types = ("Person", "Organization", "Country", "Place")
    actors = [f"{types[i % 4].lower()}/actor-{i:04d}" for i in range(n_actor)]
    by_article: dict[str, Extraction] = {a.id: Extraction(article=a) for a in arts}

    def prov(aid: str, n: int) -> Provenance:
        return Provenance(article=aid, sentence=f"Sentence {n} of {aid} says something.", start=n * 40,
                          end=n * 40 + 38, confidence=round(0.5 + rng.random() / 2, 2))

    for i, key in enumerate(actors):
        aid = rng.choice(arts).id
        by_article[aid].entities.append(Entity(key, types[i % 4], f"Actor {i} {rng.choice('ABCDEFGH')}",
                                               aliases=(f"A{i}",), roles=("minister",) if i % 4 == 0 else (),
                                               articles=(aid,)))
    agreements = []
    for i in range(n_agr):
        aid = rng.choice(arts).id
        key = f"agreement/{aid}/deal-{i:04d}"
        agreements.append(key)
        by_article[aid].agreements.append(Agreement(key, rng.choice(AGREEMENT_TYPES), f"Agreement {i}",
                                                    status=rng.choice(STATUSES), articles=(aid,)))
    for i in range(n_quote):
        aid = rng.choice(arts).id
        by_article[aid].statements.append(Statement(f"statement/{aid}/q{i:04d}", (rng.choice(actors),),
                                                    f"Quote {i}: we will see.", "said", "quote", prov(aid, i)))
    targets = actors + agreements
    for i in range(edges - n_quote):
        aid = rng.choice(arts).id
        by_article[aid].relations.append(Relation(rng.choice(actors), rng.choice(PREDICATES), rng.choice(targets),
                                                   prov(aid, 1000 + i)))
    return KnowledgeGraph.from_extractions(by_article.values())


def open_page(path: Path) -> dict[str, float]:
    """Load the page in headless chromium; seconds until drawn, and how long a filter and a search take."""
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900",
                    f"--user-data-dir={profile}"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            start = time.perf_counter()
            driver.get(path.as_uri())
            while not driver.execute_script("return !!(window.newsgraph && window.newsgraph.ready);"):
                if time.perf_counter() - start > 60:
                    raise TimeoutError("the page did not draw within 60 s")
                time.sleep(0.01)
            wall = time.perf_counter() - start
            in_page = driver.execute_script("return window.newsgraph.readyAt;") / 1000
            drawn = driver.execute_script("var d = window.newsgraph.network.body.data; return d.nodes.length;")
            filter_ms = driver.execute_script(
                "var t = performance.now(); document.getElementById('show-quotes').click();"
                "return performance.now() - t;")
            search_ms = driver.execute_script(
                "var t = performance.now(); var hits = window.newsgraph.search('actor 1000 ');"
                "window.newsgraph.focusNode(hits[0].id); return performance.now() - t;")
            return {"wall": wall, "in_page": in_page, "filter_ms": filter_ms, "search_ms": search_ms, "drawn": drawn}
        finally:
            driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=4000)
    parser.add_argument("--keep", type=Path, help="also copy the page here")
    args = parser.parse_args()
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        print("needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver", file=sys.stderr)
        return 2

    t = time.perf_counter()
    kg = synthetic_graph(args.nodes, args.edges)
    build_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "graph.html"
        t = time.perf_counter()
        write_html(kg, page, title="newsgraph benchmark")
        write_s = time.perf_counter() - t
        size = page.stat().st_size
        if args.keep:
            args.keep.write_bytes(page.read_bytes())
        result = open_page(page)

    n_nodes = len(kg.entities) + len(kg.agreements) + len(kg.statements)
    n_edges = len({(r.subject, r.predicate, r.object) for r in kg.relations}) + sum(
        len(s.speakers) for s in kg.statements.values())
    ok = result["wall"] <= TARGET_S
    rows = [
        ("nodes (drawn at start)", f"{n_nodes} ({result['drawn']})"),
        ("edges (relations)", f"{n_edges} ({len(kg.relations)})"),
        ("file size", f"{size / 1e6:.2f} MB"),
        ("graph build", f"{build_s:.2f} s"),
        ("write_html (layout incl.)", f"{write_s:.2f} s"),
        ("time to interactive, wall", f"{result['wall']:.2f} s  (target {TARGET_S:.0f} s: {'OK' if ok else 'MISSED'})"),
        ("  of which in page", f"{result['in_page']:.2f} s  (navigation start to first draw)"),
        ("toggle quotes filter", f"{result['filter_ms']:.0f} ms"),
        ("search + focus", f"{result['search_ms']:.0f} ms"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
