"""Temporaries a killed build leaves in its output folder are removed by the next one (remove_stale_temporaries)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from graph.atomic import atomic_write_text
from graph.store.output import remove_stale_temporaries


def test_stale_temporaries_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "cache").mkdir(parents=True)
    # made the way the writers make them (tempfile, prefix ".NAME.", suffix ".tmp"), then "killed" before rename
    _, nq = tempfile.mkstemp(prefix=".graph.nq.", suffix=".tmp", dir=out)
    _, entry = tempfile.mkstemp(prefix=".0123456789abcdef.json.", suffix=".tmp", dir=out / "cache")
    folder = Path(tempfile.mkdtemp(prefix=".neo4j.", suffix=".tmp", dir=out))
    (folder / "Person.csv").write_text("id:ID\n")
    keep = ["graph.ttl", ".lock", "notes.tmp", ".graph.nq.tmp", "cache/0123456789abcdef.json"]
    for name in keep:
        atomic_write_text(out / name, "x")
    removed = remove_stale_temporaries(out)
    assert removed == sorted([Path(nq).name, folder.name, f"cache/{Path(entry).name}"])
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert left == sorted([*keep, "cache"])


def test_missing_folder_is_nothing_to_remove(tmp_path: Path) -> None:
    assert remove_stale_temporaries(tmp_path / "nowhere") == []


def test_a_build_removes_what_a_killed_one_left_and_refuses_a_missing_input(tmp_path: Path, nlp) -> None:
    import pytest

    from graph.builder import build
    from graph.errors import UsageError

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("Arland and Borvia signed a trade pact on Monday.", encoding="utf-8")
    out.mkdir()
    _, nq = tempfile.mkstemp(prefix=".graph.nq.", suffix=".tmp", dir=out)  # as a killed build leaves it
    assert build([src], out, formats=("turtle",)).ok
    assert not Path(nq).exists() and (out / "graph.nq").is_file()
    with pytest.raises(UsageError, match="no such file"):
        build([src / "typo.txt"], tmp_path / "never", formats=("turtle",))
    assert not (tmp_path / "never").exists()  # no empty output folder
