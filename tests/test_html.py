"""The HTML view and the subgraph helpers, without a browser.

The story is invented: at a climate summit in Port Halcyon, Ventoria and Glasmark sign the
Halcyon Climate Pact and Ventoria's environment minister Ilse Marrow is quoted; a week later
Glasmark proposes a carbon levy that a hostile-named organisation opposes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from graph.errors import UsageError
from graph.explore.cuts import article_subgraph, neighbourhood
from graph.exporters.html import render_html, write_html
from graph.model import KnowledgeGraph
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement

A1 = "a1f0c9e2d4b6"  # the summit report
A2 = "a1f7d3b8c0e5"  # the levy report, a week later; shares the prefix "a1f"
HOSTILE = '<img src=x onerror="window.__xss=1">'
QUOTE = "We will not look back</script><script>window.__xss=2</script> & that is final \u2028"

VEN, GLA, MAR, PORT, BAD = ("country/ventoria", "country/glasmark", "person/ilse-marrow", "place/port-halcyon",
                            "organization/img-src-x-onerror-window-xss-1")
PACT, SUMMIT, LEVY = (f"agreement/{A1}/halcyon-climate-pact", f"agreement/{A1}/port-halcyon-summit",
                      f"agreement/{A2}/carbon-levy")
Q1, Q2 = f"statement/{A1}/q1", f"statement/{A2}/q2"


def _prov(article: str, sentence: str, start: int = 0, confidence: float = 0.9) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence),
                      confidence=confidence)


def story_graph() -> KnowledgeGraph:
    """Ten nodes (two of them quotes), ten relations, eleven drawn edges, two articles."""
    s1 = "Ventoria and Glasmark signed the Halcyon Climate Pact at the Port Halcyon summit."
    s2 = "Ilse Marrow, Ventoria's environment minister, said: " + QUOTE
    s3 = "Glasmark proposed a carbon levy, which " + HOSTILE + " opposes."
    s4 = "Ventoria has signed the pact, Marrow spoke with " + HOSTILE + "."
    art1 = Article(id=A1, text=s1 + " " + s2, path="news/summit.txt", title="Pact signed at Halcyon summit",
                   published="2031-03-14")
    art2 = Article(id=A2, text=s3 + " " + s4, path="news/levy.txt", title=None, published="2031-03-20")
    ex1 = Extraction(
        article=art1,
        entities=[
            Entity(VEN, "Country", "Ventoria", aliases=("Republic of Ventoria",), articles=(A1,)),
            Entity(GLA, "Country", "Glasmark", articles=(A1,)),
            Entity(MAR, "Person", "Ilse Marrow", aliases=("Marrow",), roles=("environment minister",),
                   articles=(A1,)),
            Entity(PORT, "Place", "Port Halcyon", articles=(A1,)),
        ],
        agreements=[
            Agreement(PACT, "Pact", "Halcyon Climate Pact", status="signed", articles=(A1,)),
            Agreement(SUMMIT, "Summit", "Port Halcyon summit", place=PORT, articles=(A1,)),
        ],
        relations=[
            Relation(VEN, "signed", PACT, _prov(A1, s1)),
            Relation(GLA, "signed", PACT, _prov(A1, s1)),
            Relation(VEN, "participatesIn", SUMMIT, _prov(A1, s1, confidence=0.7)),
            Relation(GLA, "participatesIn", SUMMIT, _prov(A1, s1, confidence=0.7)),
            Relation(SUMMIT, "locatedIn", PORT, _prov(A1, s1)),
            Relation(MAR, "memberOf", VEN, _prov(A1, s2, start=len(s1) + 1, confidence=0.6)),
        ],
        statements=[Statement(Q1, (MAR,), QUOTE, "said", "quote", _prov(A1, s2, start=len(s1) + 1))],
    )
    ex2 = Extraction(
        article=art2,
        entities=[
            Entity(VEN, "Country", "Ventoria", articles=(A2,)),
            Entity(GLA, "Country", "Glasmark", articles=(A2,)),
            Entity(MAR, "Person", "Ilse Marrow", articles=(A2,)),
            Entity(BAD, "Organization", HOSTILE, articles=(A2,)),
        ],
        agreements=[Agreement(LEVY, "Deal", "carbon levy", status="proposed", articles=(A2,))],
        relations=[
            Relation(GLA, "proposed", LEVY, _prov(A2, s3)),
            Relation(BAD, "opposes", LEVY, _prov(A2, s3, confidence=0.8)),
            Relation(VEN, "signed", PACT, _prov(A2, s4, start=len(s3) + 1)),
            Relation(BAD, "spokeWith", MAR, _prov(A2, s4, start=len(s3) + 1)),
        ],
        statements=[Statement(Q2, (BAD,), "the levy would hurt farmers", "claimed", "claim", _prov(A2, s3))],
    )
    return KnowledgeGraph.from_extractions([ex1, ex2])


ALL_NODES = {VEN, GLA, MAR, PORT, BAD, PACT, SUMMIT, LEVY, Q1, Q2}
ALL_EDGES = {
    (VEN, "signed", PACT), (GLA, "signed", PACT), (VEN, "participatesIn", SUMMIT),
    (GLA, "participatesIn", SUMMIT), (SUMMIT, "locatedIn", PORT), (MAR, "memberOf", VEN),
    (GLA, "proposed", LEVY), (BAD, "opposes", LEVY), (BAD, "spokeWith", MAR),
    (MAR, "said", Q1), (BAD, "claimed", Q2),
}


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL)
    assert m, "data block missing"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return story_graph()


@pytest.fixture(scope="module")
def page(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    write_html(kg, path, title="Halcyon <summit> & pact")
    return path.read_text(encoding="utf-8")


def test_page_is_self_contained(page: str) -> None:
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.IGNORECASE)
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page  # vis-network itself is inlined


def test_csp_allows_exactly_the_page_scripts(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_data_round_trips_every_node_and_edge(page: str) -> None:
    data = page_data(page)
    assert {n["id"] for n in data["nodes"]} == ALL_NODES
    assert {(e["from"], e["predicate"], e["to"]) for e in data["edges"]} == ALL_EDGES
    assert len({e["id"] for e in data["edges"]}) == len(ALL_EDGES)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[BAD]["name"] == HOSTILE and nodes[Q1]["name"] == QUOTE
    assert nodes[MAR]["aliases"] == ["Marrow"] and nodes[MAR]["roles"] == ["environment minister"]
    assert nodes[MAR]["quotes"] == [Q1] and nodes[MAR]["articles"] == [A1, A2]
    assert set(data["articles"]) == {A1, A2}
    edges = {(e["from"], e["predicate"], e["to"]): e for e in data["edges"]}
    signed = edges[(VEN, "signed", PACT)]
    assert [(ev["article"], ev["confidence"]) for ev in signed["evidence"]] == [(A1, 0.9), (A2, 0.9)]
    assert signed["articles"] == [A1, A2]
    assert edges[(BAD, "spokeWith", MAR)]["arrow"] is False and signed["arrow"] is True
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) and n["size"] >= 10 for n in data["nodes"])
    assert nodes[VEN]["size"] > nodes[PORT]["size"]  # sized by degree: 5 links against 1


def test_groups_colour_by_class_and_status(page: str) -> None:
    data = page_data(page)
    group = {n["id"]: n["group"] for n in data["nodes"]}
    assert group == {VEN: "Country", GLA: "Country", MAR: "Person", PORT: "Place", BAD: "Organization",
                     PACT: "agreement-agreed", SUMMIT: "event", LEVY: "agreement-proposed",
                     Q1: "statement", Q2: "statement"}
    hidden = {g["id"] for g in data["groups"] if g["hidden"]}
    assert hidden == {"statement"}
    assert len({(g["shape"], g["color"]) for g in data["groups"]}) == len(data["groups"])


def test_data_cannot_break_out_as_markup(page: str) -> None:
    assert page.count("</script>") == 3  # the data block, vis-network, the app
    assert HOSTILE not in page and "<img" not in page
    assert "<script>window.__xss" not in page
    assert "\\u003c/script\\u003e" in page and "\u2028" not in page
    assert "<title>Halcyon &lt;summit&gt; &amp; pact</title>" in page


def test_summary_line(page: str) -> None:
    summary = page_data(page)["summary"]
    assert summary.startswith("2 articles · 10 nodes (2 quotes, hidden by default) · 11 edges from 10 relations")
    assert summary.endswith("published 2031-03-14 to 2031-03-20")


def test_byte_identical_and_atomic(kg: KnowledgeGraph, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "out" / "b.html"
    write_html(kg, a)
    write_html(story_graph(), b)
    write_html(kg, b)  # overwrite in place
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.html", "b.html"]


def test_empty_graph_renders(tmp_path: Path) -> None:
    page = render_html(KnowledgeGraph())
    data = page_data(page)
    assert data["nodes"] == [] and data["edges"] == [] and "no publication dates" in data["summary"]


def test_large_graph_layout_is_seeded_and_spread() -> None:
    n = 600  # above the size where networkx would need scipy
    art = Article(id="big", text="x", published="2031-01-01")
    ents = [Entity(f"person/p{i:04d}", "Person", f"P {i}", articles=("big",)) for i in range(n)]
    rels = [Relation(f"person/p{i:04d}", "supports", f"person/p{(i * 7 + 1) % n:04d}", _prov("big", "s", start=i))
            for i in range(n)]
    big = KnowledgeGraph.from_extractions([Extraction(art, entities=ents, relations=rels)])
    first, second = render_html(big), render_html(big)
    assert first == second
    nodes = page_data(first)["nodes"]
    xy = {(n_["x"], n_["y"]) for n_ in nodes}
    assert len(xy) == n
    span = max(abs(c) for p in xy for c in p)
    assert 1000 < span < 4000  # about 140 px per node, packed in a square


def test_exporter_registry_entry_point(kg: KnowledgeGraph, tmp_path: Path) -> None:
    from graph.exporters import get_exporter

    get_exporter("html").write(kg, tmp_path / "graph.html", base="https://example.org/")
    assert (tmp_path / "graph.html").read_bytes() == render_html(kg).encode("utf-8")


# --- view.py ---------------------------------------------------------------------------------


def _keys(sub: KnowledgeGraph) -> set[str]:
    return set(sub.entities) | set(sub.agreements) | set(sub.statements)


def test_neighbourhood_depth_one(kg: KnowledgeGraph) -> None:
    sub = neighbourhood(kg, "ilse marrow", depth=1)
    assert _keys(sub) == {MAR, VEN, BAD, Q1}
    assert [(r.subject, r.predicate, r.object) for r in sub.relations] == [(BAD, "spokeWith", MAR),
                                                                           (MAR, "memberOf", VEN)]
    assert set(sub.articles) == {A1, A2}


def test_neighbourhood_depth_two(kg: KnowledgeGraph) -> None:
    sub = neighbourhood(kg, "Marrow")  # an alias, exact
    assert _keys(sub) == {MAR, VEN, BAD, Q1, PACT, SUMMIT, LEVY, Q2}
    assert {(r.subject, r.predicate, r.object) for r in sub.relations} == {
        (BAD, "spokeWith", MAR), (MAR, "memberOf", VEN), (VEN, "signed", PACT),
        (VEN, "participatesIn", SUMMIT), (BAD, "opposes", LEVY)}
    assert len(sub.relations) == 6  # "Ventoria signed" is backed twice
    assert list(sub.entities) == sorted(sub.entities) and sub.relations == sorted(
        sub.relations, key=lambda r: (r.subject, r.predicate, r.object, r.provenance.article, r.provenance.start))
    assert kg.counts()["relations"] == 10  # the original is untouched


def test_neighbourhood_matching(kg: KnowledgeGraph) -> None:
    assert _keys(neighbourhood(kg, "REPUBLIC OF VENTORIA", depth=0)) == {VEN}
    assert _keys(neighbourhood(kg, "glas", depth=0)) == {GLA}
    assert _keys(neighbourhood(kg, "halcyon", depth=0)) == {PORT}  # shortest of three substring hits
    assert _keys(neighbourhood(kg, "onerror", depth=0)) == {BAD}
    with pytest.raises(UsageError, match="Ventoria"):
        neighbourhood(kg, "Ventora")
    with pytest.raises(UsageError):
        neighbourhood(kg, "  ")


def test_article_subgraph(kg: KnowledgeGraph) -> None:
    sub = article_subgraph(kg, "a1f7")  # unique prefix of A2
    assert list(sub.articles) == [A2]
    assert _keys(sub) == {VEN, PACT, GLA, LEVY, BAD, MAR, Q2}
    assert {(r.subject, r.predicate, r.object) for r in sub.relations} == {
        (GLA, "proposed", LEVY), (BAD, "opposes", LEVY), (VEN, "signed", PACT), (BAD, "spokeWith", MAR)}
    assert all(r.provenance.article == A2 for r in sub.relations)
    first = article_subgraph(kg, A1)
    assert _keys(first) == {VEN, GLA, MAR, PORT, PACT, SUMMIT, Q1}
    assert len(first.relations) == 6
    with pytest.raises(UsageError, match="ambiguous"):
        article_subgraph(kg, "a1f")
    with pytest.raises(UsageError, match="no article"):
        article_subgraph(kg, "zzz")


def test_subgraphs_render(kg: KnowledgeGraph) -> None:
    data = page_data(render_html(article_subgraph(kg, A2)))
    assert {n["id"] for n in data["nodes"]} == {VEN, PACT, GLA, LEVY, BAD, MAR, Q2}
    assert "1 article ·" in data["summary"]


def test_big_graph_is_drawn_as_its_best_connected_nodes() -> None:
    from graph.explore.cuts import overview

    art = Article(id="a", text="x", published="2031-01-01")
    ents = [Entity(f"person/{k}", "Person", k.upper(), articles=("a",)) for k in ("hub", "l1", "l2", "l3", "l4")]
    pairs = [("hub", "l1"), ("hub", "l2"), ("hub", "l3"), ("hub", "l4"), ("l1", "l2")]
    rels = [Relation(f"person/{s}", "supports", f"person/{o}", _prov("a", f"{s} {o}", start=i))
            for i, (s, o) in enumerate(pairs)]
    kg = KnowledgeGraph.from_extractions([Extraction(art, entities=ents, relations=rels)])
    small = overview(kg, 3)  # hub has 4 links, l1 and l2 two each, l3 and l4 one
    assert set(small.entities) == {"person/hub", "person/l1", "person/l2"}
    assert {(r.subject, r.object) for r in small.relations} == {
        ("person/hub", "person/l1"), ("person/hub", "person/l2"), ("person/l1", "person/l2")}
    assert overview(kg, 5) is kg and overview(kg, 0) is kg
    data = page_data(render_html(kg, max_nodes=3))
    assert [n["id"] for n in data["nodes"]] == ["person/hub", "person/l1", "person/l2"]
    assert "the 3 best-connected of 5 nodes" in data["summary"]
    assert "best-connected" not in page_data(render_html(kg))["summary"]
