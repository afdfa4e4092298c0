"""The newsgraph command end to end, through typer's runner: exit codes, outputs, messages."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import graph
from graph.cli import app

runner = CliRunner()

STORY = ("Foreign Minister Ana Costa of Lusitania met with Foreign Minister Pavel Dvorak in Geneva on Monday. "
         "Lusitania and Bohemia signed a water-sharing treaty on the Danube after the talks.\n"
         "“This treaty protects our farmers,” Costa said.")


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / "in" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_build_writes_turtle_and_html_and_summarises(tmp_path):
    _write(tmp_path, "story.txt", STORY)
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "graph.ttl").stat().st_size > 0
    assert (out / "graph.html").stat().st_size > 0
    assert "articles read" in res.output and "relations" in res.output
    kg = graph.load(out)
    assert len(kg.articles) == 1
    labels = {e.label for e in kg.entities.values()}
    assert {"Ana Costa", "Pavel Dvorak", "Geneva"} <= labels


def test_bad_input_is_named_and_the_rest_is_built(tmp_path):
    _write(tmp_path, "story.txt", STORY)
    _write(tmp_path, "empty.txt", "   \n")
    _write(tmp_path, "binary.txt", b"\x00\x01\x02PK\x03\x04" * 50)
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out), "--quiet"])
    assert res.exit_code == 1
    assert "empty.txt" in res.output and "empty article" in res.output
    assert "binary.txt" in res.output
    assert len(graph.load(out).articles) == 1


def test_usage_errors_exit_2(tmp_path):
    _write(tmp_path, "story.txt", STORY)
    res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--format", "pdf"])
    assert res.exit_code == 2
    assert "unknown format 'pdf'" in res.output and "turtle" in res.output
    res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--model", "no_such_model"])
    assert res.exit_code == 2
    assert "pip install" in res.output


def test_view_focus_and_article(tmp_path):
    _write(tmp_path, "story.txt", STORY)
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out), "-q"]).exit_code == 0
    page = tmp_path / "costa.html"
    res = runner.invoke(app, ["view", str(out), "--focus", "costa", "--depth", "1", "--to", str(page)])
    assert res.exit_code == 0, res.output
    assert page.read_text(encoding="utf-8").count("Ana Costa") >= 1
    res = runner.invoke(app, ["view", str(out), "--article", "story", "--to", str(tmp_path / "a.html")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["view", str(out), "--focus", "Nobody Atall"])
    assert res.exit_code == 2


def test_load_round_trips_the_written_graph(tmp_path):
    from graph.rdf import serialize, to_rdf

    _write(tmp_path, "story.txt", STORY)
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out), "-q", "-f", "turtle"]).exit_code == 0
    written = (out / "graph.ttl").read_text(encoding="utf-8")
    assert serialize(to_rdf(graph.load(out)), "turtle") == written


def test_a_second_build_into_the_same_folder_refuses(tmp_path):
    """While one build holds OUT, another one into OUT stops with a clear message (exit 1)."""
    import fcntl

    _write(tmp_path, "story.txt", STORY)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # stands in for a running build
        res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert res.exit_code == 1
    assert "another newsgraph build is writing here" in res.output
    assert not (out / "graph.ttl").exists()
    assert runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(out), "-q"]).exit_code == 0


def test_past_the_export_limit_only_the_store_is_kept_and_export_writes_files_from_it(tmp_path):
    """A graph larger than --export-limit: no stale whole-graph file is left, the store answers queries, and
    `newsgraph export` (and graph.load) read the merged graph from the store; a no-change re-run keeps them."""
    _write(tmp_path, "story.txt", STORY)
    small, big = tmp_path / "small", tmp_path / "big"
    assert runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(small), "-q"]).exit_code == 0
    res = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(big), "--export-limit", "5"])
    assert res.exit_code == 0, res.output
    assert "--export-limit" in res.output and "newsgraph export" in res.output
    assert not any((big / name).exists() for name in ("graph.ttl", "graph.nq", "graph.html"))
    rows = runner.invoke(app, ["query", str(big), "SELECT ?s WHERE { ?s ng:signed ?o }", "--format", "csv"])
    assert rows.exit_code == 0 and "bohemia" in rows.output
    assert graph.load(big).counts() == graph.load(small).counts()

    assert runner.invoke(app, ["export", str(big), "-f", "turtle"]).exit_code == 0
    assert (big / "graph.ttl").read_bytes() == (small / "graph.ttl").read_bytes()
    again = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(big), "--export-limit", "5"])
    assert again.exit_code == 0 and (big / "graph.ttl").exists()  # nothing changed: the exported file stays

    _write(tmp_path, "more.txt", "Bohemia rejected the Lusitania fisheries proposal on Tuesday.")
    grown = runner.invoke(app, ["build", str(tmp_path / "in"), "--out", str(big), "--export-limit", "5", "-q"])
    assert grown.exit_code == 0 and not (big / "graph.ttl").exists()  # the store changed: it would be stale
