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
from graph.exporters.html import render_html, render_page, write_html
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
    assert summary.startswith("2 articles · 8 actors and agreements · 2 quotes, hidden by default · "
                              "11 edges from 10 relations")
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


def _star_graph() -> KnowledgeGraph:
    """Two agreements with their parties (5 and 3), a loner, and 20 quotes by one party of the small one."""
    art = Article(id="a", text="x", published="2031-01-01")
    big = [f"person/b{i}" for i in range(5)]
    small = [f"person/s{i}" for i in range(3)]
    ents = [Entity(k, "Person", k.split("/")[1].upper(), articles=("a",)) for k in [*big, *small, "person/loner"]]
    agrs = [Agreement("agreement/a/big", "Deal", "Big deal", articles=("a",)),
            Agreement("agreement/a/small", "Deal", "Small deal", articles=("a",))]
    rels = [Relation(k, "signed", "agreement/a/big", _prov("a", f"{k} signed", start=i)) for i, k in enumerate(big)]
    rels += [Relation(k, "signed", "agreement/a/small", _prov("a", f"{k} signed", start=10 + i))
             for i, k in enumerate(small)]
    quotes = [Statement(f"statement/a/q{i:02d}", ("person/s0",), f"quote {i}", "said", "quote",
                        _prov("a", f"quote {i}", start=100 + i)) for i in range(20)]
    return KnowledgeGraph.from_extractions([Extraction(art, entities=ents, agreements=agrs, relations=rels,
                                                       statements=quotes)])


def test_overview_keeps_whole_neighbourhoods_and_quotes_do_not_count() -> None:
    from graph.explore.cuts import overview

    kg = _star_graph()  # 11 actors and agreements, 20 quotes
    six = overview(kg, 6)  # the big deal and its 5 parties fill it exactly
    assert set(six.entities) | set(six.agreements) == {"agreement/a/big", *(f"person/b{i}" for i in range(5))}
    assert not six.statements
    nine = overview(kg, 9)  # the small star (4) does not fit beside the big one (6): it is left out whole
    assert set(nine.agreements) == {"agreement/a/big"} and len(nine.entities) == 5
    ten = overview(kg, 10)  # now both stars fit; the 20 quotes of s0 come along uncounted
    assert set(ten.agreements) == {"agreement/a/big", "agreement/a/small"}
    assert len(ten.entities) == 8 and "person/loner" not in ten.entities and len(ten.statements) == 20
    assert overview(kg, 11) is kg and overview(kg, 0) is kg
    cut = overview(kg, 3)  # not even the first star fits: its hub and best-connected members
    assert len(cut.entities) + len(cut.agreements) == 3 and "agreement/a/big" in cut.agreements


def test_page_says_what_the_cap_left_out() -> None:
    page, stats = render_page(_star_graph(), max_nodes=6)
    assert stats["nodes"] == 6 and stats["left_out"] == 5 and stats["quotes"] == 0
    summary = page_data(page)["summary"]
    assert "left out, to keep the page readable: 4 actors, 1 agreement or event, 3 relations, 20 quotes" in summary
    assert "left out" not in page_data(render_html(_star_graph()))["summary"]


def test_cli_max_nodes_reports_what_it_draws(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.exporters import get_exporter

    src = tmp_path / "graph.ttl"
    get_exporter("turtle").write(_star_graph(), src, base="https://example.org/")
    result = CliRunner().invoke(app, ["view", str(src), "--max-nodes", "6", "--to", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert "(6 actors and agreements, 0 quotes" in " ".join(result.output.split())
    assert len([n for n in page_data((tmp_path / "v.html").read_text())["nodes"] if n["kind"] != "statement"]) == 6
    result = CliRunner().invoke(app, ["view", str(src), "--focus", "loner", "--to", str(tmp_path / "l.html")])
    assert result.exit_code == 0, result.output
    notice = page_data((tmp_path / "l.html").read_text())["notice"]
    assert notice.startswith("Nothing is connected to LONER in these 1 article(s)")


def test_tray_timeline_dates_and_relation_colours() -> None:
    data = page_data(render_html(_star_graph()))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert [k for k, n in nodes.items() if n["tray"]] == ["person/loner"]  # no relation: listed, not drawn
    assert nodes["agreement/a/big"]["when"] == "2031-01-01" and nodes["agreement/a/big"]["datedBy"] == "article"
    story = {n["id"]: n for n in page_data(render_html(story_graph()))["nodes"]}
    assert story[PACT]["when"] == "2031-03-14" and story[LEVY]["when"] == "2031-03-20"
    edges = page_data(render_html(story_graph()))["edges"]
    colour = {e["predicate"]: e["color"] for e in edges}
    assert colour["signed"] == colour["proposed"] != colour["opposes"] != colour["spokeWith"]


def test_layout_leaves_room_for_every_label() -> None:
    from graph.exporters.view_layout import label_box

    data = page_data(render_html(story_graph()))
    drawn = [n for n in data["nodes"] if n["kind"] != "statement" and not n["tray"]]
    boxes = []
    for n in drawn:
        w, h = label_box(n["label"], n["size"])
        boxes.append((n["x"] - w / 2, n["y"] - n["size"], n["x"] + w / 2, n["y"] - n["size"] + h))
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert clashes == []


def test_sigma_page_inlines_ipysigma_and_keeps_the_csp() -> None:
    page = render_html(story_graph(), renderer="sigma")
    data = page_data(page)
    assert data["renderer"] == "sigma" and "SigmaView" in page and "vis.Network(" not in page.split("<script>")[1]
    assert "data" not in data["sigma"] and "layout" not in data["sigma"]  # the page builds them: not twice
    assert data["sigma"]["visual_variables"]["nodeColor"] == {"type": "raw", "attribute": "color", "default": "#999"}
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "worker-src blob:" in csp and "connect-src 'none'" in csp
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2 and all(
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" in csp for b in scripts)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert HOSTILE not in page and "<img" not in page
    assert "worker-src" not in render_html(story_graph())
    assert page == render_html(story_graph(), renderer="sigma")  # deterministic like the vis page


# --- cuts --------------------------------------------------------------------------------------


def test_find_node_is_the_one_lookup(kg: KnowledgeGraph) -> None:
    from graph.explore.cuts import find_node

    assert find_node(kg, PACT) == PACT  # a key
    assert find_node(kg, "republic of ventoria") == VEN  # an alias, any case
    assert find_node(kg, "pact") == PACT  # a substring
    kg2 = story_graph()
    kg2.entities["person/x"] = Entity("person/x", "Person", "Glasmark")
    with pytest.raises(UsageError, match="several"):
        find_node(kg2, "glasmark")


def test_focus_follows_quotes_to_what_they_name() -> None:
    art = Article(id="a", text="x", published="2031-01-01")
    ents = [Entity("person/rubio", "Person", "Marco Rubio", aliases=("Rubio",), articles=("a",)),
            Entity("country/ukraine", "Country", "Ukraine", articles=("a",)),
            Entity("person/other", "Person", "Someone Else", articles=("a",))]
    agrs = [Agreement("agreement/a/truce", "Ceasefire", "energy truce", articles=("a",))]
    rels = [Relation("country/ukraine", "agreedTo", "agreement/a/truce", _prov("a", "Ukraine agreed."))]
    quote = Statement("statement/a/q1", ("person/rubio",), "Ukraine is ready for the energy truce", "said",
                      "quote", _prov("a", "Rubio said Ukraine is ready for the energy truce.", start=20))
    kg = KnowledgeGraph.from_extractions([Extraction(art, entities=ents, agreements=agrs, relations=rels,
                                                     statements=[quote])])
    from graph.explore.cuts import mentions

    assert mentions(kg) == {"statement/a/q1": ["agreement/a/truce", "country/ukraine"]}
    sub = neighbourhood(kg, "Rubio", depth=2)
    assert _keys(sub) == {"person/rubio", "statement/a/q1", "country/ukraine", "agreement/a/truce"}
    data = page_data(render_html(sub, focus="person/rubio"))
    assert {(e["from"], e["predicate"], e["to"]) for e in data["edges"]} >= {
        ("person/rubio", "said", "statement/a/q1"), ("statement/a/q1", "mentions", "agreement/a/truce")}
    assert not [g for g in data["groups"] if g["hidden"]] and data["focus"] == "person/rubio"
    assert not [n for n in data["nodes"] if n["tray"]]  # in a focus view the quote's links count


def test_article_by_title_or_file_name(kg: KnowledgeGraph) -> None:
    from graph.explore.cuts import find_article

    assert find_article(kg, "Pact signed at Halcyon summit") == A1  # a titled article
    assert find_article(kg, "halcyon summit") == A1  # part of a title, any case
    assert find_article(kg, "levy") == A2 and find_article(kg, "news/levy.txt") == A2  # file name, untitled
    assert find_article(kg, "summit.txt") == A1
    with pytest.raises(UsageError, match="no article"):
        find_article(kg, "weather")
