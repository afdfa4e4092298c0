"""Saved queries, parameter binding, result formats and the query command, on a hand-made graph.

The graph is two invented articles built from records (no NLP model), so every expected row below is
worked out by hand from the story in :func:`story_kg`, not copied from output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import typer
from typer.testing import CliRunner

from graph.ask.sparql import (
    FORMATS,
    MERGED_GRAPH_NAME,
    bind_params,
    get_saved_query,
    load_store,
    merged_graph,
    result_table,
    run_query,
    saved_queries,
    serialize_result,
    sparql_literal,
)
from graph.cli.query import register
from graph.cli.serve import register as register_serve
from graph.errors import UsageError
from graph.model import KnowledgeGraph
from graph.rdf import serialize, to_rdf
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement
from graph.vocab import DEFAULT_BASE

A1 = "aaaa000011112222"
A2 = "bbbb000011112222"
IVAN, ANNA = "person/ivan-petrov", "person/anna-berg"
RURI, FREE, COUNCIL = "country/ruritania", "country/freedonia", "organization/grand-council"
DEAL, TRUCE, TALKS = f"agreement/{A1}/grain-deal", f"agreement/{A1}/30-day-truce", f"agreement/{A1}/border-talks"

S1 = "Ruritania agreed to the grain deal that Ivan Petrov negotiated on Tuesday."
S2 = "Freedonia proposed a 30-day truce."
S3 = "Ruritania rejected the 30-day truce."
S4 = "Ivan Petrov spoke with Anna Berg as Freedonia joined the border talks."
S5 = "Anna Berg of the Grand Council said the truce was never serious."
S6 = 'Ivan Petrov said: "We will feed the region."'
S7 = "Ivan Petrov signed the grain deal after he met Anna Berg."
S8 = 'Ivan Petrov said: "The deal is signed."'


def _pv(article: str, sentence: str, start: int, conf: float) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence), confidence=conf)


def story_kg() -> KnowledgeGraph:
    art1 = Article(id=A1, text="(invented)", path="a1.txt", title="Grain deal agreed", published="2025-03-19",
                   source="Test Wire")
    art2 = Article(id=A2, text="(invented)", path="a2.txt", title="Grain deal signed", published="2025-04-02",
                   source="Other Wire")
    ex1 = Extraction(article=art1)
    ex1.entities += [
        Entity(IVAN, "Person", "Ivan Petrov", aliases=("Petrov",), roles=("President",), articles=(A1,)),
        Entity(ANNA, "Person", "Anna Berg", roles=("foreign minister",), articles=(A1,)),
        Entity(RURI, "Country", "Ruritania", code="RU", articles=(A1,)),
        Entity(FREE, "Country", "Freedonia", code="FR", articles=(A1,)),
        Entity(COUNCIL, "Organization", "Grand Council", articles=(A1,)),
    ]
    ex1.agreements += [
        Agreement(DEAL, "Deal", "grain deal", status="agreed", date="2025-03-18", articles=(A1,)),
        Agreement(TRUCE, "Ceasefire", "30-day truce", status="rejected", duration="30 days", articles=(A1,)),
        Agreement(TALKS, "Talks", "border talks", articles=(A1,)),
    ]
    ex1.relations += [
        Relation(RURI, "agreedTo", DEAL, _pv(A1, S1, 0, 0.9), date="2025-03-18"),
        Relation(IVAN, "negotiated", DEAL, _pv(A1, S1, 0, 0.85)),
        Relation(FREE, "proposed", TRUCE, _pv(A1, S2, 80, 0.85)),
        Relation(RURI, "rejected", TRUCE, _pv(A1, S3, 120, 0.9)),
        Relation(ANNA, "spokeWith", IVAN, _pv(A1, S4, 160, 0.75)),
        Relation(FREE, "participatesIn", TALKS, _pv(A1, S4, 160, 0.8)),
        Relation(ANNA, "memberOf", COUNCIL, _pv(A1, S5, 240, 0.85)),
    ]
    ex1.statements += [
        Statement(f"statement/{A1}/q1", (IVAN,), "We will feed the region.", "said", "quote", _pv(A1, S6, 320, 0.9)),
        Statement(f"statement/{A1}/c1", (ANNA,), "the truce was never serious", "said", "claim",
                  _pv(A1, S5, 240, 0.8)),
    ]
    ex2 = Extraction(article=art2)
    ex2.entities += [
        Entity(IVAN, "Person", "Ivan Petrov", articles=(A2,)),
        Entity(ANNA, "Person", "Anna Berg", articles=(A2,)),
        Entity(RURI, "Country", "Ruritania", code="RU", articles=(A2,)),
    ]
    ex2.agreements += [Agreement(DEAL, "Deal", "grain deal", status="signed", articles=(A2,))]
    ex2.relations += [
        Relation(IVAN, "signed", DEAL, _pv(A2, S7, 0, 0.9)),
        Relation(ANNA, "metWith", IVAN, _pv(A2, S7, 0, 0.7)),
    ]
    ex2.statements += [
        Statement(f"statement/{A2}/q2", (IVAN,), "The deal is signed.", "said", "quote", _pv(A2, S8, 60, 0.9)),
    ]
    return KnowledgeGraph.from_extractions([ex1, ex2])



def write_output(folder: Path) -> Path:
    """``folder/graph.ttl`` as ``newsgraph build`` writes it; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.ttl").write_text(serialize(to_rdf(story_kg()), "turtle"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_output(tmp_path_factory.mktemp("story"))


@pytest.fixture(scope="module")
def store(out: Path) -> ox.Store:
    return load_store(out)


def rows(store: ox.Store, name: str, cols: tuple[str, ...] | None = None, **params: str) -> list[tuple[str, ...]]:
    """The saved query's rows as text, limited to ``cols`` when given."""
    columns, table = result_table(run_query(store, get_saved_query(name).bind(params)))
    idx = [columns.index(c) for c in cols] if cols else list(range(len(columns)))
    return [tuple(r[i] for i in idx) for r in table]


# --- saved queries, row by row ------------------------------------------------------------------------


def test_saved_queries_are_documented() -> None:
    qs = saved_queries()
    assert set(qs) == {"agreements", "contacts", "quotes", "agreement-parties", "evidence", "roles", "timeline",
                       "co-occurrence", "article"}
    for q in qs.values():
        assert q.description and q.path.suffix == ".rq"
        q.bind({p.name: "x" for p in q.params if p.required})  # every declared placeholder is used
    assert [(p.name, p.required) for p in qs["article"].params] == [("article", True)]
    assert [p.name for p in qs["evidence"].params] == ["subject", "predicate", "object"]
    assert "case-insensitive" in qs["quotes"].params[0].description


def test_agreements(store: ox.Store) -> None:
    cols = ("actor", "relation", "agreement", "type", "status", "date", "sentence", "article", "source", "published")
    assert rows(store, "agreements", cols) == [
        ("Freedonia", "proposed", "30-day truce", "Ceasefire", "rejected", "", S2, A1, "Test Wire", "2025-03-19"),
        ("Ruritania", "rejected", "30-day truce", "Ceasefire", "rejected", "", S3, A1, "Test Wire", "2025-03-19"),
        ("Ruritania", "agreedTo", "grain deal", "Deal", "agreed", "2025-03-18", S1, A1, "Test Wire", "2025-03-19"),
        ("Ivan Petrov", "negotiated", "grain deal", "Deal", "agreed", "2025-03-18", S1, A1, "Test Wire",
         "2025-03-19"),
        ("Ivan Petrov", "signed", "grain deal", "Deal", "agreed", "2025-03-18", S7, A2, "Other Wire", "2025-04-02"),
    ]
    assert rows(store, "agreements", ("actor", "relation"), actor="PETROV") == [
        ("Ivan Petrov", "negotiated"), ("Ivan Petrov", "signed")]
    assert rows(store, "agreements", ("actor", "relation"), agreement="truce") == [
        ("Freedonia", "proposed"), ("Ruritania", "rejected")]
    assert rows(store, "agreements", ("confidence",), actor="ruritania", agreement="grain") == [("0.9",)]


def test_contacts(store: ox.Store) -> None:
    expected = [("Anna Berg", "spokeWith", "Ivan Petrov", "2025-03-19", S4, A1, "Test Wire"),
                ("Anna Berg", "metWith", "Ivan Petrov", "2025-04-02", S7, A2, "Other Wire")]
    cols = ("actor1", "relation", "actor2", "date", "sentence", "article", "source")
    assert rows(store, "contacts", cols) == expected
    assert rows(store, "contacts", cols, actor="ivan") == expected  # the actor on the object side
    assert rows(store, "contacts", cols, actor="freedonia") == []


def test_quotes(store: ox.Store) -> None:
    cols = ("speaker", "kind", "cue", "quote", "sentence", "article")
    assert rows(store, "quotes", cols) == [
        ("Anna Berg", "claim", "said", "the truce was never serious", S5, A1),
        ("Ivan Petrov", "quote", "said", "We will feed the region.", S6, A1),
        ("Ivan Petrov", "quote", "said", "The deal is signed.", S8, A2),
    ]
    assert [r[3] for r in rows(store, "quotes", cols, actor="Ivan")] == ["We will feed the region.",
                                                                         "The deal is signed."]


def test_agreement_parties(store: ox.Store) -> None:
    got = {r[0]: (r[1], r[2], r[3], set(filter(None, r[4].split("; "))), set(filter(None, r[5].split("; "))))
           for r in rows(store, "agreement-parties")}
    assert got == {
        "30-day truce": ("Ceasefire", "rejected", "", set(), {"Freedonia (proposed)", "Ruritania (rejected)"}),
        "grain deal": ("Deal", "agreed", "2025-03-18", {"Ruritania", "Ivan Petrov"}, {"Ivan Petrov (negotiated)"}),
    }  # the border talks are an event, not an agreement
    assert [r[0] for r in rows(store, "agreement-parties", status="REJECTED")] == ["30-day truce"]
    assert [r[0] for r in rows(store, "agreement-parties", agreement="grain")] == ["grain deal"]


def test_evidence(store: ox.Store) -> None:
    cols = ("subject", "predicate", "object", "sentence", "start", "end", "confidence", "article")
    assert rows(store, "evidence", cols, subject="anna") == [
        ("Anna Berg", "claimed", "the truce was never serious", S5, "240", str(240 + len(S5)), "0.8", A1),
        ("Anna Berg", "memberOf", "Grand Council", S5, "240", str(240 + len(S5)), "0.85", A1),
        ("Anna Berg", "metWith", "Ivan Petrov", S7, "0", str(len(S7)), "0.7", A2),
        ("Anna Berg", "spokeWith", "Ivan Petrov", S4, "160", str(160 + len(S4)), "0.75", A1),
    ]
    assert rows(store, "evidence", ("subject", "predicate", "object", "date"), predicate="AGREEDTO") == [
        ("Ruritania", "agreedTo", "grain deal", "2025-03-18")]
    assert rows(store, "evidence", ("subject", "predicate"), object="truce") == [
        ("Anna Berg", "claimed"), ("Freedonia", "proposed"), ("Ruritania", "rejected")]
    assert len(rows(store, "evidence")) == 9 + 3  # nine relations, three speaker links


def test_roles(store: ox.Store) -> None:
    assert rows(store, "roles") == [
        ("Anna Berg", "Person", "member of", "Grand Council", S5, A1),
        ("Anna Berg", "Person", "role", "foreign minister", "", ""),
        ("Ivan Petrov", "Person", "role", "President", "", ""),
    ]
    assert [r[3] for r in rows(store, "roles", actor="ivan")] == ["President"]


def test_timeline(store: ox.Store) -> None:
    got = [(d, h, t, s, by, set(filter(None, a.split("; ")))) for d, h, t, s, by, a in rows(store, "timeline")]
    assert got == [
        ("2025-03-18", "grain deal", "Deal", "agreed", "happening",
         {"Ruritania (agreedTo)", "Ivan Petrov (negotiated)", "Ivan Petrov (signed)"}),
        ("2025-03-19", "30-day truce", "Ceasefire", "rejected", "article",
         {"Freedonia (proposed)", "Ruritania (rejected)"}),
        ("2025-03-19", "border talks", "Talks", "", "article", {"Freedonia (participatesIn)"}),
    ]
    assert [r[1] for r in rows(store, "timeline", **{"from": "2025-03-19"})] == ["30-day truce", "border talks"]
    assert [r[1] for r in rows(store, "timeline", to="2025-03-18")] == ["grain deal"]
    assert len(rows(store, "timeline", to="2025-03")) == 3  # a month prefix includes the whole month
    assert [r[1] for r in rows(store, "timeline", actor="freedonia")] == ["30-day truce", "border talks"]


def test_co_occurrence(store: ox.Store) -> None:
    # by default a pair must share two articles; min=1 adds the pairs seen in one article only
    assert rows(store, "co-occurrence", actor="petrov") == [
        ("Ivan Petrov", "Anna Berg", "2"), ("Ivan Petrov", "Ruritania", "2")]
    assert rows(store, "co-occurrence", actor="petrov", min="1") == [
        ("Ivan Petrov", "Anna Berg", "2"), ("Ivan Petrov", "Ruritania", "2"),
        ("Ivan Petrov", "Freedonia", "1"), ("Ivan Petrov", "Grand Council", "1")]
    pairs = {frozenset((a, b)): int(n) for a, b, n in rows(store, "co-occurrence", min="1")}
    assert len(pairs) == 10  # five actors, every pair once
    assert {frozenset((a, b)) for a, b, _ in rows(store, "co-occurrence")} == {
        p for p, n in pairs.items() if n == 2}
    assert {p for p, n in pairs.items() if n == 2} == {
        frozenset({"Anna Berg", "Ivan Petrov"}), frozenset({"Anna Berg", "Ruritania"}),
        frozenset({"Ivan Petrov", "Ruritania"})}


def test_article(store: ox.Store) -> None:
    cols = ("article", "kind", "subject", "predicate", "object", "sentence")
    assert rows(store, "article", cols, article="bbbb") == [
        (A2, "node", "Anna Berg", "a", "Person", ""),
        (A2, "node", "Ivan Petrov", "a", "Person", ""),
        (A2, "node", "Ruritania", "a", "Country", ""),
        (A2, "node", "grain deal", "a", "Deal", ""),
        (A2, "quote", "Ivan Petrov", "said", "The deal is signed.", S8),
        (A2, "relation", "Anna Berg", "metWith", "Ivan Petrov", S7),
        (A2, "relation", "Ivan Petrov", "signed", "grain deal", S7),
    ]
    with pytest.raises(UsageError, match="needs --param article"):
        get_saved_query("article").bind({})


@pytest.mark.parametrize("merged", [True, False])
def test_named_graph_layouts_give_the_same_rows(store: ox.Store, merged: bool) -> None:
    """graph.store's layout (per-article graphs plus a merged one) and a bare union of overlapping graphs."""
    triples = list(store.quads_for_pattern(None, None, None))
    layered = ox.Store()
    names = [f"{DEFAULT_BASE}graph/{A1}", f"{DEFAULT_BASE}graph/{A2}"]
    if merged:
        names.append(f"{DEFAULT_BASE}graph/{MERGED_GRAPH_NAME}")
    for g in names:
        layered.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(g)) for q in triples)
    assert (merged_graph(layered) is not None) is merged
    for name, q in saved_queries().items():
        params = {"article": "aaaa"} if name == "article" else {}
        text = q.bind(params)
        assert _sorted_lists(run_query(layered, text)) == _sorted_lists(run_query(store, text)), name


def _sorted_lists(result: object) -> tuple[list[str], list[list[str]]]:
    """Table rows with "; "-joined lists sorted: GROUP_CONCAT's order is the engine's choice."""
    columns, table = result_table(result)  # type: ignore[arg-type]
    return columns, [["; ".join(sorted(c.split("; "))) for c in r] for r in table]


def test_merged_graph_name_matches_the_store_module() -> None:
    from graph.store import MERGED, graph_iri

    assert MERGED == MERGED_GRAPH_NAME
    assert graph_iri(MERGED) == f"{DEFAULT_BASE}graph/{MERGED_GRAPH_NAME}"


# --- parameters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    'plain', 'quo"te', "back\\slash", "new\nline\r\ttab", "\\u0022 unicode escape", '"} ; DROP ALL #',
    "'single' \"\"\"long\"\"\"", "emoji 🚀 and ü", "\\U0001F680", "",
])
def test_parameters_bind_as_exact_literals(value: str) -> None:
    text = bind_params("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": value})
    [row] = list(ox.Store().query(text))
    assert row["v"] == ox.Literal(value)


def test_parameters_skip_strings_iris_and_comments() -> None:
    q = 'SELECT * WHERE { ?s <http://e/$x> "$x" . # $x\n FILTER(?o = $x) } # $x'
    assert bind_params(q, {"x": "v"}) == 'SELECT * WHERE { ?s <http://e/$x> "$x" . # $x\n FILTER(?o = "v") } # $x'
    assert bind_params("SELECT ?x WHERE { ?x ?p $x }", {"x": "v"}) == 'SELECT ?x WHERE { ?x ?p "v" }'


def test_parameter_errors() -> None:
    with pytest.raises(UsageError, match=r"no placeholder \$y"):
        bind_params("SELECT * { ?s ?p $x }", {"y": "1"})
    with pytest.raises(UsageError, match="bad parameter name"):
        bind_params("SELECT * { ?s ?p $x }", {"x y": "1"})
    with pytest.raises(UsageError, match="has no parameter nope"):
        get_saved_query("quotes").bind({"nope": "1"})
    with pytest.raises(UsageError, match="saved queries: agreement-parties, agreements"):
        get_saved_query("nope")
    assert sparql_literal('a"b') == '"a\\"b"'


def test_syntax_error_names_line_and_column(store: ox.Store) -> None:
    with pytest.raises(UsageError, match=r"line 2, column \d+") as err:
        run_query(store, "SELECT ?s WHERE {\n  ?s ?p }")
    assert "?s ?p }" in str(err.value)
    with pytest.raises(UsageError, match="unknown prefix"):
        run_query(store, "SELECT * WHERE { ?s nope:x ?o }")
    with pytest.raises(UsageError, match="read-only"):
        run_query(store, "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")


def test_load_store_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such output"):
        load_store(tmp_path / "missing")
    with pytest.raises(UsageError, match="run `newsgraph build` first"):
        load_store(tmp_path)
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid"):
        load_store(tmp_path / "bad.ttl")


# --- formats ------------------------------------------------------------------------------------------


def test_formats(store: ox.Store) -> None:
    select = "SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l"
    data = json.loads(serialize_result(run_query(store, select), "json").data)
    labels = [b["l"]["value"] for b in data["results"]["bindings"]]
    assert labels[:3] == ["30-day truce", "Anna Berg", "Freedonia"]
    assert serialize_result(run_query(store, select), "csv").data.decode().splitlines()[:2] == ["l", "30-day truce"]
    assert serialize_result(run_query(store, select), "tsv").data.decode().splitlines()[:2] == ['?l', '"30-day truce"']
    assert b"<sparql" in serialize_result(run_query(store, select), "xml").data
    construct = "CONSTRUCT { ?s ng:signed ?o } WHERE { ?s ng:signed ?o }"
    nt = serialize_result(run_query(store, construct), "ntriples").data.decode()
    assert nt == f"<{DEFAULT_BASE}{IVAN}> <https://w3id.org/newsgraph/ontology#signed> <{DEFAULT_BASE}{DEAL}> .\n"
    ttl = serialize_result(run_query(store, construct), "turtle").data.decode()
    assert "ng:signed" in ttl
    with pytest.raises(UsageError, match="gives triples"):
        serialize_result(run_query(store, construct), "csv")
    with pytest.raises(UsageError, match="gives solutions"):
        serialize_result(run_query(store, select), "turtle")
    assert serialize_result(run_query(store, "ASK { ?s ng:signed ?o }"), "json").data == b'{"head":{},"boolean":true}'
    assert set(FORMATS) >= {"json", "xml", "csv", "tsv", "turtle", "ntriples"}


def test_limit_truncates_and_keeps_terms_exact() -> None:
    s = ox.Store()
    tricky = [ox.Literal("tab\there"), ox.Literal('quote " and \\'), ox.Literal("line\nbreak", language="en"),
              ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
              ox.NamedNode("http://e/x"), ox.BlankNode("b1")]
    for i, t in enumerate(tricky):
        s.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), t))
    q = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?s"
    for fmt in ("json", "xml", "csv", "tsv"):
        whole = serialize_result(s.query(q), fmt)
        same = serialize_result(s.query(q), fmt, limit=100)
        assert (same.data, same.truncated, same.rows) == (whole.data, False, 6)
    cut = serialize_result(s.query(q), "json", limit=2)
    assert cut.truncated and cut.rows == 2
    assert [b["o"]["value"] for b in json.loads(cut.data)["results"]["bindings"]] == ["tab\there", 'quote " and \\']


# --- the CLI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _root() -> None:
        """test app"""

    for add in (register, register_serve, register):  # registering twice adds nothing
        add(app)
    assert sorted(c.name for c in app.registered_commands) == ["query", "serve"]
    return app


def test_cli_saved_query_csv(cli: typer.Typer, out: Path) -> None:
    res = CliRunner().invoke(cli, ["query", str(out), "--name", "quotes", "--param", "actor=ivan", "-f", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "speaker,kind,cue,quote,sentence,article,source,published"
    assert len(lines) == 3 and lines[1].startswith("Ivan Petrov,quote,said,We will feed the region.")


def test_cli_table_file_and_list(cli: typer.Typer, out: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["query", str(out), "SELECT ?l WHERE { ?s ng:isoCode ?l } ORDER BY ?l"])
    assert res.exit_code == 0 and "FR" in res.stdout and "RU" in res.stdout and "2 rows" in res.stdout
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, $w)) }", encoding="utf-8")
    res = CliRunner().invoke(cli, ["query", str(out), "--file", str(rq), "-p", "w=Berg", "-f", "tsv"])
    assert res.exit_code == 0 and res.stdout.splitlines() == ["?l", '"Anna Berg"']
    res = CliRunner().invoke(cli, ["query", "--list"])
    assert res.exit_code == 0 and "co-occurrence" in res.stdout and "actor" in res.stdout


def test_cli_errors_exit_2(cli: typer.Typer, out: Path) -> None:
    res = CliRunner().invoke(cli, ["query", str(out), "SELECT ?s WHERE {\n ?s ?p }"])
    assert res.exit_code == 2 and "line 2, column" in res.output
    res = CliRunner().invoke(cli, ["query", str(out), "--name", "nope"])
    assert res.exit_code == 2 and "agreements" in res.output and "timeline" in res.output
    res = CliRunner().invoke(cli, ["query", str(out), "--name", "article"])
    assert res.exit_code == 2 and "--param article" in res.output
    res = CliRunner().invoke(cli, ["query", str(out), "SELECT * WHERE { ?s ?p ?o }", "-f", "turtle"])
    assert res.exit_code == 2
    res = CliRunner().invoke(cli, ["query", str(out / "nowhere"), "ASK {}"])
    assert res.exit_code == 2


@pytest.mark.slow
def test_seed_agreements(tmp_path: Path) -> None:
    """On the seed article the agreements query lists the three agreements with their evidence."""
    from graph.builder import build

    root = Path(__file__).resolve().parent.parent
    build([root / "seeds"], tmp_path, formats=("turtle",))
    got = rows(load_store(tmp_path), "agreements", ("actor", "relation", "agreement", "sentence"))
    facts = {(a, r, g) for a, r, g, _ in got}
    assert {("Volodymyr Zelenskyy", "agreedTo", "partial ceasefire on energy targets"),
            ("Russia", "agreedTo", "partial ceasefire on energy targets"),
            ("United States", "proposed", "30-day ceasefire"), ("Ukraine", "proposed", "30-day ceasefire"),
            ("Russia", "rejected", "30-day ceasefire"), ("Vladimir Putin", "agreedTo", "prisoner exchange")} <= facts
    sentence = {(a, r, g): s for a, r, g, s in got}
    assert sentence[("Vladimir Putin", "agreedTo", "prisoner exchange")].endswith("agreed to on Tuesday.")
    assert "Zelenskyy agreed to a partial ceasefire" in sentence[
        ("Volodymyr Zelenskyy", "agreedTo", "partial ceasefire on energy targets")]
