"""The example notebooks and the graph.explore.analysis helpers they stand on.

The notebooks are executed top to bottom in a python3 kernel of this interpreter, as a reader would run
them from notebooks/; the committed files must carry no outputs. The analysis helpers are checked on a
small invented story whose numbers can be worked out by hand: the envoy Alice Hub spoke with Bob Stone,
met Ruritania's delegation, agreed to the Lakeside Pact (twice reported) and attended a summit meeting;
Bob Stone rejected the pact, Ruritania proposed it; far away, Acme Corp signed a trade deal and sits at
Lake Verde; Frank Alone is only mentioned.
"""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from nbclient import NotebookClient
from nbformat.notebooknode import NotebookNode

import graph
from graph.errors import UsageError
from graph.explore import analysis
from graph.model import KnowledgeGraph
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = ("01_quickstart.ipynb", "02_analysis.ipynb")
CELL_TIMEOUT = 120  # seconds per cell
NOTEBOOK_BUDGET = 60.0  # seconds per notebook, kernel start included

# --- the notebooks ------------------------------------------------------------------------------------


def _outputs(nb: NotebookNode) -> list[NotebookNode]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def _text(nb: NotebookNode) -> str:
    """Everything a reader sees as text: streams, plain-text and HTML results."""
    parts = []
    for out in _outputs(nb):
        if out.output_type == "stream":
            parts.append(out.text)
        for mime in ("text/plain", "text/html"):
            parts.append(out.get("data", {}).get(mime, ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed() -> dict[str, tuple[NotebookNode, float]]:
    """Each notebook run once in a fresh kernel from notebooks/, with how long it took."""
    pytest.importorskip("ipykernel", reason="the notebooks need ipykernel in this environment")
    runs: dict[str, tuple[NotebookNode, float]] = {}
    with pytest.MonkeyPatch.context() as mp:
        # this environment's kernel spec first, so "python3" is the interpreter running the tests
        mp.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(Path(sys.prefix) / "share" / "jupyter"),
                                                                os.environ.get("JUPYTER_PATH")])))
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        for name in NOTEBOOKS:
            nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
            client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                    resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
            start = time.perf_counter()
            client.execute()  # raises CellExecutionError naming the cell on the first error
            runs[name] = (nb, time.perf_counter() - start)
    return runs


def test_committed_notebooks_have_no_outputs() -> None:
    found = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))
    assert set(NOTEBOOKS) <= set(found)
    dirty = []
    for name in found:
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
                dirty.append(f"{name} cell {i}")
    assert not dirty, f"clear the outputs (python notebooks/make_notebooks.py): {', '.join(dirty)}"


def test_committed_notebooks_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_notebooks", NOTEBOOK_DIR / "make_notebooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in NOTEBOOKS:
        committed = (NOTEBOOK_DIR / name).read_text(encoding="utf-8")
        assert committed == module.render(name), f"{name} differs from make_notebooks.py; rerun it"
        nbformat.validate(nbformat.reads(committed, as_version=4))


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_cleanly_and_quickly(executed: dict[str, tuple[NotebookNode, float]], name: str) -> None:
    nb, seconds = executed[name]
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    warnings = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not warnings, f"{name} wrote to stderr: {warnings}"
    assert seconds < NOTEBOOK_BUDGET, f"{name} took {seconds:.1f} s"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None


@pytest.mark.slow
def test_quickstart_shows_tables_queries_and_the_view(executed: dict[str, tuple[NotebookNode, float]]) -> None:
    nb, _ = executed["01_quickstart.ipynb"]
    html = [o["data"]["text/html"] for o in _outputs(nb) if "text/html" in o.get("data", {})]
    assert sum("<table" in h for h in html) >= 6  # entities, agreements, query list, three queries
    frames = [h for h in html if "<iframe srcdoc=" in h]
    assert len(frames) == 1 and "&lt;script" in frames[0] and "<script" not in frames[0]
    text = _text(nb)
    for column in ("relation", "actor1", "speaker"):  # agreements, contacts, quotes
        assert column in text


@pytest.mark.slow
def test_analysis_notebook_draws_and_names_the_central_actors(
        executed: dict[str, tuple[NotebookNode, float]], tmp_path: Path) -> None:
    nb, _ = executed["02_analysis.ipynb"]
    pngs = [o for o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4  # rankings, ego network, bipartite view, timeline
    kg = graph.build([ROOT / "seeds"], tmp_path / "out").graph
    ranking = analysis.centrality(kg, actors_only=True)
    text = _text(nb)
    assert f"most central actor: {ranking.loc[0, 'label']}" in text
    assert "top 3 by degree" in text and "top 3 by betweenness" in text and "top 3 by pagerank" in text
    for label in ranking["label"].head(3):
        assert label in text
    markdown_before = [nb.cells[i - 1].cell_type for i, c in enumerate(nb.cells)
                       if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert markdown_before == ["markdown"] * len(markdown_before)


# --- graph.explore.analysis on a graph small enough to check by hand ------------------------------------------

ART1, ART2 = "a0c1d2e3f4a5", "b0c1d2e3f4a5"
ALICE, BOB, RUR, ACME, LAKE, FRANK = ("person/alice-hub", "person/bob-stone", "country/ruritania",
                                      "organization/acme-corp", "place/lake-verde", "person/frank-alone")
PACT, MEETING, DEAL, OLD = (f"agreement/{ART1}/lakeside-pact", f"agreement/{ART1}/summit-meeting",
                            f"agreement/{ART2}/trade-deal", f"agreement/{ART2}/old-treaty")
QUOTE = f"statement/{ART1}/q1"


def _prov(article: str, sentence: str, start: int = 0, confidence: float = 0.9) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence),
                      confidence=confidence)


def story() -> KnowledgeGraph:
    """Ten nodes in three pieces: Alice's five-node cluster, Acme-Lake-deal, and Frank and an old treaty alone."""
    s1 = "Alice Hub spoke with Bob Stone and met Ruritania, and agreed to the Lakeside Pact on 5 January."
    s2 = "Bob Stone rejected the pact that Ruritania proposed; Hub agreed to it and attended the summit meeting."
    s3 = "Acme Corp, based at Lake Verde, signed a trade deal on 6 January; an old treaty and Frank Alone were noted."
    art1 = Article(id=ART1, text=s1 + " " + s2, title="Pact at the lake", published="2030-01-07")
    art2 = Article(id=ART2, text=s3, title="Deal signed")
    p2 = len(s1) + 1
    ex1 = Extraction(
        article=art1,
        entities=[
            Entity(ALICE, "Person", "Alice Hub", aliases=("Hub",), roles=("envoy",), articles=(ART1,)),
            Entity(BOB, "Person", "Bob Stone", articles=(ART1,)),
            Entity(RUR, "Country", "Ruritania", code="RU", articles=(ART1,)),
        ],
        agreements=[
            Agreement(PACT, "Ceasefire", "Lakeside Pact", status="agreed", date="2030-01-05", place=LAKE,
                      articles=(ART1,)),
            Agreement(MEETING, "Meeting", "summit meeting", articles=(ART1,)),
        ],
        relations=[
            Relation(ALICE, "spokeWith", BOB, _prov(ART1, s1)),
            Relation(ALICE, "metWith", RUR, _prov(ART1, s1)),
            Relation(ALICE, "agreedTo", PACT, _prov(ART1, s1, confidence=0.7), date="2030-01-05"),
            Relation(ALICE, "agreedTo", PACT, _prov(ART1, s2, start=p2, confidence=0.95)),
            Relation(BOB, "rejected", PACT, _prov(ART1, s2, start=p2)),
            Relation(RUR, "proposed", PACT, _prov(ART1, s2, start=p2, confidence=0.8)),
            Relation(ALICE, "participatesIn", MEETING, _prov(ART1, s2, start=p2)),
        ],
        statements=[Statement(QUOTE, (ALICE, BOB), "the pact holds", "said", "quote", _prov(ART1, s2, start=p2))],
    )
    ex2 = Extraction(
        article=art2,
        entities=[
            Entity(ACME, "Organization", "Acme Corp", articles=(ART2,)),
            Entity(LAKE, "Place", "Lake Verde", articles=(ART2,)),
            Entity(FRANK, "Person", "Frank Alone", articles=(ART2,)),
        ],
        agreements=[
            Agreement(DEAL, "Deal", "trade deal", status="signed", articles=(ART2,)),
            Agreement(OLD, "Treaty", "old treaty", articles=(ART2,)),
        ],
        relations=[
            Relation(ACME, "signed", DEAL, _prov(ART2, s3), date="2030-01-06"),
            Relation(ACME, "locatedIn", LAKE, _prov(ART2, s3, confidence=0.8)),
        ],
    )
    return KnowledgeGraph.from_extractions([ex1, ex2])


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return story()


def test_import_graph_stays_light() -> None:
    code = ("import sys, graph, graph.explore.analysis; "
            "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_actor_graph_is_undirected_simple_and_leaves_quotes_out(kg: KnowledgeGraph) -> None:
    g = analysis.actor_graph(kg)
    assert isinstance(g, nx.Graph) and not g.is_directed() and not g.is_multigraph()
    assert set(g) == {ALICE, BOB, RUR, ACME, LAKE, FRANK, PACT, MEETING, DEAL, OLD}  # no statement
    assert g.number_of_edges() == 8  # nine relations, Alice agreedTo the pact twice
    assert g.edges[ALICE, PACT]["weight"] == 2 and g.edges[PACT, ALICE]["predicates"] == ("agreedTo",)
    assert g.nodes[PACT]["kind"] == "agreement" and g.nodes[ALICE]["label"] == "Alice Hub"


def test_to_frames_resolves_labels_and_sorts(kg: KnowledgeGraph) -> None:
    frames = analysis.to_frames(kg)
    assert set(frames) == {"entities", "agreements", "relations", "statements", "articles"}
    ents = frames["entities"]
    assert list(ents["type"]) == sorted(ents["type"])
    assert list(ents.loc[ents["type"] == "Person", "label"]) == ["Alice Hub", "Bob Stone", "Frank Alone"]
    alice = ents.set_index("key").loc[ALICE]
    assert alice["aliases"] == "Hub" and alice["roles"] == "envoy" and alice["articles"] == 1
    agrs = frames["agreements"]
    assert list(agrs["label"][:1]) == ["Lakeside Pact"]  # the only dated one comes first
    assert agrs.set_index("key").loc[PACT, "place"] == "Lake Verde"
    rels = frames["relations"]
    assert len(rels) == 9
    assert rels.iloc[0][["subject", "predicate", "object"]].tolist() == ["Acme Corp", "locatedIn", "Lake Verde"]
    assert ("Bob Stone", "rejected", "Lakeside Pact") in set(zip(rels["subject"], rels["predicate"], rels["object"],
                                                                strict=True))
    sts = frames["statements"]
    assert list(sts["speaker"]) == ["Alice Hub", "Bob Stone"] and set(sts["key"]) == {QUOTE}  # a row per speaker
    assert list(frames["articles"]["id"]) == [ART1, ART2]


def test_to_frames_of_an_empty_graph_has_the_columns() -> None:
    frames = analysis.to_frames(KnowledgeGraph())
    assert all(len(df) == 0 for df in frames.values())
    assert "label" in frames["entities"].columns and "predicate" in frames["relations"].columns


def test_centrality_by_hand(kg: KnowledgeGraph) -> None:
    cent = analysis.centrality(kg).set_index("key")
    # Alice is tied to Bob, Ruritania, the pact and the meeting; the second agreedTo adds no tie
    assert cent.loc[ALICE, "degree"] == 4
    assert cent.loc[PACT, "degree"] == 3 and cent.loc[BOB, "degree"] == 2 and cent.loc[FRANK, "degree"] == 0
    # Among Bob, Ruritania, pact, meeting Alice carries: Bob-meeting, Ruritania-meeting, pact-meeting (1 each) and
    # half of Bob-Ruritania (Bob-Alice-Ruritania or Bob-pact-Ruritania): 3.5 of the 9*8/2 pairs' shortest paths.
    n = 10
    assert cent.loc[ALICE, "betweenness"] == pytest.approx(3.5 / ((n - 1) * (n - 2) / 2))
    assert cent.loc[PACT, "betweenness"] == pytest.approx(0.5 / 36)
    assert cent.loc[ACME, "betweenness"] == pytest.approx(1 / 36)  # between the lake and the deal
    assert cent.loc[BOB, "betweenness"] == 0
    assert cent["pagerank"].sum() == pytest.approx(1.0)
    assert cent.loc[BOB, "pagerank"] == pytest.approx(cent.loc[RUR, "pagerank"])  # same position
    assert cent.loc[ALICE, "pagerank"] == cent["pagerank"].max()
    assert list(cent.index[:2]) == [ALICE, PACT]  # by degree first
    actors = analysis.centrality(kg, actors_only=True)
    assert set(actors["kind"]) == {"entity"} and actors.loc[0, "label"] == "Alice Hub"
    assert list(actors["label"][1:3]) == ["Acme Corp", "Bob Stone"]  # degree 2; Acme has the higher betweenness
    assert analysis.centrality(kg).equals(analysis.centrality(kg))


def test_pagerank_matches_the_closed_forms() -> None:
    # star with three leaves: hub h = (1-a)/4 + a*3l, leaf l = (1-a)/4 + a*h/3, h + 3l = 1
    a = 0.85
    hub = (1 - 3 * (1 - a) / 4) / (1 + a)  # h + 3((1-a)/4 + a h/3) = 1
    ranks = analysis.pagerank(nx.star_graph(3))
    assert ranks[0] == pytest.approx(hub) and ranks[1] == pytest.approx((1 - hub) / 3)
    # an edge and an isolated node: the isolated one gets (1-a)/3 plus its share of its own dangling walker
    g = nx.Graph([(1, 2)])
    g.add_node(3)
    ranks = analysis.pagerank(g)
    lone = ((1 - a) / 3) / (1 - a / 3)
    assert ranks[3] == pytest.approx(lone) and ranks[1] == pytest.approx((1 - lone) / 2)
    assert analysis.pagerank(nx.Graph()) == {}
    assert math.isclose(sum(analysis.pagerank(nx.path_graph(7)).values()), 1.0)


def test_communities(kg: KnowledgeGraph) -> None:
    comm = analysis.communities(kg)
    assert FRANK not in set(comm["key"]) and OLD not in set(comm["key"])  # no ties, no community
    by_key = comm.set_index("key")["community"]
    assert by_key[ACME] == by_key[LAKE] == by_key[DEAL]
    assert by_key[ACME] not in {by_key[ALICE], by_key[PACT]}
    assert list(comm["community"]) == sorted(comm["community"]) and list(comm["size"]) == sorted(comm["size"],
                                                                                                reverse=True)
    assert set(comm["key"]) == {ALICE, BOB, RUR, PACT, MEETING, ACME, LAKE, DEAL}
    louvain = analysis.communities(kg, method="louvain", seed=3)
    assert louvain.equals(analysis.communities(kg, method="louvain", seed=3))
    everyone = analysis.communities(kg, include_isolated=True)
    assert set(everyone.loc[everyone["size"] == 1, "key"]) == {FRANK, OLD}
    with pytest.raises(UsageError):
        analysis.communities(kg, method="leiden")


def test_ego_by_label_alias_or_key(kg: KnowledgeGraph) -> None:
    e = analysis.ego(kg, "hub")  # an alias, any case
    assert e.graph["center"] == ALICE
    assert set(e) == {ALICE, BOB, RUR, PACT, MEETING}
    assert e.has_edge(BOB, PACT)  # ties among the neighbours are kept
    assert set(analysis.ego(kg, "Bob Stone")) == {BOB, ALICE, PACT}
    assert set(analysis.ego(kg, BOB, radius=2)) == {BOB, ALICE, PACT, RUR, MEETING}
    assert set(analysis.ego(kg, "lakeside pact")) == {PACT, ALICE, BOB, RUR}
    with pytest.raises(UsageError, match="Alice Hub"):
        analysis.ego(kg, "Alice Hb")


def test_find_node_prefers_actors_and_refuses_ambiguity() -> None:
    kg = story()
    kg.agreements["agreement/x/hub"] = Agreement("agreement/x/hub", "Deal", "Hub")
    assert analysis.find_node(kg, "Hub") == "agreement/x/hub"  # an exact label beats an alias ...
    kg.entities["person/hub"] = Entity("person/hub", "Person", "Hub")
    assert analysis.find_node(kg, "hub") == "person/hub"  # ... and an actor beats an agreement
    kg.entities["person/hub-2"] = Entity("person/hub-2", "Person", "HUB")
    with pytest.raises(UsageError, match="several"):
        analysis.find_node(kg, "Hub")


def test_bipartite_who_backs_which_agreement(kg: KnowledgeGraph) -> None:
    bip = analysis.bipartite(kg)
    rows = list(zip(bip["agreement"], bip["stance"], bip["actor"], bip["predicate"], strict=True))
    assert rows == [
        ("Lakeside Pact", "against", "Bob Stone", "rejected"),
        ("Lakeside Pact", "for", "Alice Hub", "agreedTo"),
        ("Lakeside Pact", "for", "Ruritania", "proposed"),
        ("summit meeting", "involved", "Alice Hub", "participatesIn"),
        ("trade deal", "for", "Acme Corp", "signed"),
    ]
    alice = bip[(bip["actor"] == "Alice Hub") & (bip["predicate"] == "agreedTo")].iloc[0]
    assert alice["evidence"] == 2 and alice["confidence"] == pytest.approx(0.95)


def test_timeline_dates_and_their_sources(kg: KnowledgeGraph) -> None:
    tl = analysis.timeline(kg)
    rows = [(d.date().isoformat(), kind, label, by)
            for d, kind, label, by in zip(tl["date"], tl["kind"], tl["label"], tl["dated_by"], strict=True)]
    assert rows == [
        ("2030-01-05", "agreement", "Lakeside Pact", "own date"),
        ("2030-01-05", "relation", "Alice Hub agreedTo Lakeside Pact", "relation"),
        ("2030-01-06", "agreement", "trade deal", "relation"),
        ("2030-01-06", "relation", "Acme Corp signed trade deal", "relation"),
        ("2030-01-07", "event", "summit meeting", "article"),
    ]  # the old treaty has no date anywhere and is left out
    assert tl.loc[0, "actors"] == "Alice Hub (agreedTo); Bob Stone (rejected); Ruritania (proposed)"
    assert "summit meeting" not in set(analysis.timeline(kg, article_dates=False)["label"])


def test_query_saved_and_raw_sparql_as_plain_values(kg: KnowledgeGraph) -> None:
    rows = analysis.query(kg, "agreements")
    assert {"actor", "relation", "agreement", "confidence"} <= set(rows.columns)
    assert ("Bob Stone", "rejected", "Lakeside Pact") in set(zip(rows["actor"], rows["relation"], rows["agreement"],
                                                                strict=True))
    assert all(isinstance(c, float) for c in rows["confidence"])
    bob = analysis.query(kg, "agreements", actor="bob")
    assert list(bob["relation"]) == ["rejected"]
    count = analysis.query(kg, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ng:Person }")
    assert count.loc[0, "n"] == 3 and count["n"].dtype.kind == "i"
    named = analysis.query(kg, "SELECT ?p WHERE { ?p rdfs:label $name }", name="Alice Hub")
    assert list(named["p"]) == ["https://w3id.org/newsgraph/id/" + ALICE]
    assert bool(analysis.query(kg, "ASK { ?s ng:rejected ?o }").loc[0, "result"]) is True
    with pytest.raises(UsageError, match="agreements"):
        analysis.query(kg, "no-such-query")


def test_query_reads_a_written_output(kg: KnowledgeGraph, tmp_path: Path) -> None:
    ttl = tmp_path / "graph.ttl"
    graph.to_rdf(kg).serialize(ttl, format="turtle")
    rows = analysis.query(tmp_path, "contacts")
    assert {("Alice Hub", "spokeWith", "Bob Stone"), ("Alice Hub", "metWith", "Ruritania")} <= set(
        zip(rows["actor1"], rows["relation"], rows["actor2"], strict=True))
