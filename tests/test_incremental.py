"""Incremental, idempotent builds: only new or changed articles are parsed, and a re-run changes no byte.

Re-parsing is counted through the build's ``on_article`` hook and ``report.parsed``, never by timing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from graph.builder import build
from graph.errors import ShapeViolation
from graph.sources import article_id

from .test_merge import ARTICLES, write_articles

pytestmark = pytest.mark.slow

OUTPUTS = ("graph.ttl", "graph.nq", "graph.html", "manifest.json")


@pytest.fixture(autouse=True, params=["patch", "reload"])
def store_update(request, monkeypatch) -> str:
    """Every test runs twice: the store patched in place (one update) and loaded again whole."""
    monkeypatch.setattr("graph.builder.run.RELOAD_SHARE", 2.0 if request.param == "patch" else 0.0)
    return request.param


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def run(src: Path, out: Path, **kw) -> tuple[object, list[str]]:
    seen: list[str] = []
    report = build([src], out, on_article=lambda a: seen.append(a.id), **kw)
    assert report.ok, report.failures
    return report, seen


def aid(text: str) -> str:
    return article_id(text + "\n")


def test_rerun_changes_nothing_and_parses_nothing(tmp_path, nlp):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    first, seen = run(src, out)
    assert sorted(seen) == sorted(first.parsed) == sorted(aid(t) for t in ARTICLES.values())
    before = snapshot(out)
    again, seen = run(src, out)
    assert seen == [] and again.parsed == [] and not again.changed
    assert snapshot(out) == before
    assert again.counts == first.counts
    assert again.graph.counts() == first.graph.counts()  # loaded from the cache on demand

    # A touched file (new mtime, same bytes) is hashed, not parsed; the outputs stay as they were.
    f = src / "a1.txt"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    touched, seen = run(src, out)
    assert seen == [] and touched.parsed == []
    assert {k: v for k, v in snapshot(out).items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"}


def test_change_delete_add_touch_only_what_changed(tmp_path, nlp):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    run(src, out)

    # change one file: only it is parsed; its old facts are gone, its new ones are in
    old_text = ARTICLES["a2.txt"]
    new_text = old_text.replace("Johan Lindqvist", "Erik Sandberg")
    (src / "a2.txt").write_text(new_text + "\n", encoding="utf-8")
    changed, seen = run(src, out)
    assert seen == changed.parsed == [aid(new_text)]
    assert changed.removed == [aid(old_text)]
    ttl, nq = (out / "graph.ttl").read_text(), (out / "graph.nq").read_text()
    assert "Johan Lindqvist" not in ttl and "Johan Lindqvist" not in nq
    assert "Erik Sandberg" in ttl
    assert aid(old_text) not in nq and aid(new_text) in nq
    assert not (out / "cache" / f"{aid(old_text)}.json").exists()

    # delete one: nothing is parsed, its facts are gone
    gone = ARTICLES["a3.txt"]
    (src / "a3.txt").unlink()
    deleted, seen = run(src, out)
    assert seen == [] and deleted.parsed == []
    assert deleted.removed == [aid(gone)]
    assert aid(gone) not in (out / "graph.nq").read_text()
    assert len(deleted.graph.articles) == 2

    # add one: only it is parsed
    extra = "Prime Minister Maria Lindqvist met President Aleksandr Kovalenko in Stockholm on Friday."
    (src / "a4.txt").write_text(extra + "\n", encoding="utf-8")
    added, seen = run(src, out)
    assert seen == added.parsed == [aid(extra)]
    assert len(added.graph.articles) == 3
    assert aid(extra) in (out / "graph.nq").read_text()

    # the incremental result is byte for byte what a fresh build of the same files gives
    fresh = tmp_path / "fresh"
    run(src, fresh)
    assert snapshot(fresh)["graph.ttl"] == snapshot(out)["graph.ttl"]
    assert snapshot(fresh)["graph.nq"] == snapshot(out)["graph.nq"]
    assert snapshot(fresh)["graph.html"] == snapshot(out)["graph.html"]


ARTICLES_O1 = "President Oleksandr Kovalenko visited Stockholm on Monday."


def test_a_new_article_can_rename_a_node_in_the_graphs_of_old_ones(tmp_path, nlp):
    """"Oleksandr" is the usual spelling until two more reports say "Aleksandr" (tie: alphabetical first)."""
    src, out = tmp_path / "src", tmp_path / "out"
    write_articles(src, {"o1.txt": ARTICLES_O1,
                         "o2.txt": "President Oleksandr Kovalenko met farmers in Chisinau on Tuesday."})
    run(src, out, formats=("turtle",))
    assert "person/oleksandr-kovalenko" in (out / "graph.nq").read_text()
    write_articles(src, {"a1.txt": "President Aleksandr Kovalenko spoke in Balti on Friday.",
                         "a2.txt": "President Aleksandr Kovalenko opened a school in Orhei on Saturday."})
    _, seen = run(src, out, formats=("turtle",))
    assert len(seen) == 2
    nq = (out / "graph.nq").read_text()
    assert "person/oleksandr-kovalenko" not in nq  # the old articles' graphs were re-keyed too
    old_graph = [line for line in nq.splitlines() if line.endswith(f"/graph/article/{aid(ARTICLES_O1)}> .")]
    assert any("person/aleksandr-kovalenko" in line for line in old_graph)
    fresh = tmp_path / "fresh"
    run(src, fresh, formats=("turtle",))
    assert (fresh / "graph.nq").read_bytes() == (out / "graph.nq").read_bytes()
    assert (fresh / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


def test_renamed_file_is_read_but_not_parsed(tmp_path, nlp):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    run(src, out, formats=("turtle",))
    shutil.move(src / "a1.txt", src / "first.txt")
    report, seen = run(src, out, formats=("turtle",))
    assert seen == [] and report.parsed == [] and report.reused == 1
    assert "src/first.txt" in (out / "graph.ttl").read_text()


def test_one_changed_jsonl_line_is_the_only_one_parsed(tmp_path, nlp):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    lines = [json.dumps({"text": t}) for t in ARTICLES.values()]
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, _ = run(src, out, formats=("turtle",))
    assert len(first.parsed) == 3
    new = "President Aleksandr Kovalenko visited Stockholm on Friday."
    (src / "feed.jsonl").write_text("\n".join([*lines[:2], json.dumps({"text": new})]) + "\n", encoding="utf-8")
    report, seen = run(src, out, formats=("turtle",))
    assert seen == report.parsed == [article_id(new)]
    assert report.reused == 2 and len(report.removed) == 1


def test_a_sidecar_change_updates_metadata_and_reparses_only_for_a_new_date(tmp_path, nlp):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    run(src, out, formats=("turtle",))
    (src / "a1.meta.json").write_text(json.dumps({"title": "Ceasefire agreed"}), encoding="utf-8")
    titled, seen = run(src, out, formats=("turtle",))
    assert seen == [] and titled.reused == 1
    assert "Ceasefire agreed" in (out / "graph.ttl").read_text()
    (src / "a1.meta.json").write_text(json.dumps({"title": "Ceasefire agreed", "published": "2025-03-03"}),
                                      encoding="utf-8")
    _, seen = run(src, out, formats=("turtle",))
    assert seen == [aid(ARTICLES["a1.txt"])]  # relative dates depend on the publication date


def test_a_shape_violation_leaves_every_output_as_it_was(tmp_path, nlp, monkeypatch):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    run(src, out)
    before = snapshot(out)
    store_files = {p.relative_to(out): p.read_bytes() for p in (out / "store").rglob("*") if p.is_file()}
    (src / "a4.txt").write_text("President Aleksandr Kovalenko visited Stockholm on Friday.\n", encoding="utf-8")

    def reject(g, **_options):
        raise ShapeViolation("graph violates the SHACL shapes (1 violation)")

    monkeypatch.setattr("graph.rdf.validate", reject)
    monkeypatch.setattr("graph.rdf.validate_ntriples", reject)
    with pytest.raises(ShapeViolation):
        build([src], out)
    assert snapshot(out) == before
    assert {p.relative_to(out): p.read_bytes() for p in (out / "store").rglob("*") if p.is_file()} == store_files
    monkeypatch.undo()
    report, seen = run(src, out)
    assert seen == []  # parsed during the failed build, kept in the cache
    assert len(report.graph.articles) == 4


def test_new_settings_rebuild_without_parsing(tmp_path, nlp):
    src, out = write_articles(tmp_path / "src"), tmp_path / "out"
    run(src, out, formats=("turtle",))
    report, seen = run(src, out, formats=("turtle",), base="https://example.org/news/")
    assert seen == [] and report.changed
    assert "<https://example.org/news/graph/nodes> .\n" in (out / "graph.nq").read_text()
    assert "w3id.org/newsgraph/id/" not in (out / "graph.nq").read_text()
