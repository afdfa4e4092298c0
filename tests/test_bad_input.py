"""Issue 9, hardening: a folder of good articles mixed with every kind of bad input, through ``newsgraph build``.

The contract under test (README, graph/cli.py): a bad input costs only itself. The good articles are built,
every bad one is named with its reason, warnings (guessed encodings, bad sidecar dates) name their file, the
exit status is 1, and a build that has nothing good to offer never destroys the outputs of an earlier build.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import graph
from graph.cli import app
from graph.sources import MAX_CHARS

runner = CliRunner()

PORT_STRIKE = (
    "Dockworkers at the port of Rotterdam ended a two-week strike on Tuesday after the Port Authority and the "
    "Harbour Workers Union signed a wage deal. Union leader Marta Silva said the agreement raises pay by eight "
    "percent."
)
WATER_TREATY = (
    "Kenya and Uganda signed a water-sharing treaty on Lake Victoria on Monday after talks in Nairobi. Kenyan "
    "Foreign Minister Amina Odhiambo met with Ugandan Foreign Minister Peter Okello before the signing."
)
DEFENCE_TREATY = "France and Germany signed a defence treaty in Paris on Wednesday."

# Legacy encodings: the title comes from the file's own "# heading", so it shows exactly how the bytes were read.
CP1252_TITLE = "José Müller signs the “Besançon” rail deal"  # curly quotes: cp1252 proper, not latin-1
CP1252_MD = (
    f"# {CP1252_TITLE}\n\nMayor José Müller of Besançon met with François Léger in Zürich on Thursday and signed "
    "a rail deal worth €5m. Müller said the deal would help commuters."
)
LATIN1_TITLE = "Zoë Ångström meets Søren Læssøe in Århus"
LATIN1_MD = (
    f"# {LATIN1_TITLE}\n\nZoë Ångström, the mayor of Malmö, met with Søren Læssøe in Århus on Friday. Ångström "
    "and Læssøe agreed to a ferry deal."
)
WESTERN_CODECS = r"(?:cp1252|windows-1252|latin[-_]?1|iso[-_]?8859[-_]1)"

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" * 20
SCRIPTS_ONLY_HTML = (
    "<!DOCTYPE html><html><head><title></title><script>var tracker = {};"
    + "tracker.push('pageview');" * 400
    + "</script></head><body><script src='app.js'></script><script>document.write('<div id=app></div>')</script>"
    "<noscript></noscript></body></html>"
)

#: (file or JSONL line, reason) of every bad input in the mixed folder; the reason is what the CLI prints
#: (None: any reason; what a symlink loop should say is pinned in its own test).
BAD: list[tuple[str, str | None]] = [
    ("empty.txt", "empty article"),
    ("blank.txt", "empty article"),
    ("image.txt", "not text (binary?)"),
    ("huge.txt", "article too long"),
    ("scripts.html", "no article text found in HTML"),
    ("batch.jsonl:1", "not valid JSON"),
    ("batch.jsonl:2", "no 'text' field"),
    ("loop.txt", None),
]


def _squash(text: str) -> str:
    """Text without any whitespace: rich wraps long lines at the console width, even inside a path."""
    return re.sub(r"\s+", "", text)


def _messages(output: str, kind: str) -> list[str]:
    """The squashed ``failed:`` (or ``warning:``) messages of the output, however rich wrapped them."""
    parts = re.split(r"(failed:|warning:|error:)", _squash(output))
    return [parts[i + 1] for i in range(len(parts) - 1) if parts[i] == kind]


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _good_folder(folder: Path) -> Path:
    _write(folder / "port.txt", PORT_STRIKE)
    _write(folder / "water.txt", WATER_TREATY)
    return folder


def _bad_only_folder(folder: Path) -> Path:
    _write(folder / "empty.txt", b"")
    _write(folder / "image.txt", PNG_BYTES)
    _write(folder / "scripts.html", SCRIPTS_ONLY_HTML)
    return folder


def _mixed_folder(folder: Path) -> Path:
    """Two good articles (plus a good JSONL line and two legacy-encoded ones) beside every kind of bad input."""
    _good_folder(folder)
    _write(folder / "water.meta.json", json.dumps({"title": "Water treaty", "published": "2025-13-45"}))
    _write(folder / "cp1252.md", CP1252_MD.encode("cp1252"))
    _write(folder / "latin1.md", LATIN1_MD.encode("latin-1"))
    _write(folder / "empty.txt", b"")
    _write(folder / "blank.txt", b"  \n\t\r\n  \n")
    _write(folder / "image.txt", PNG_BYTES)
    words = "harbour " * (MAX_CHARS // len("harbour ") + 2)  # a little over MAX_CHARS, in words
    assert len(words.strip()) > MAX_CHARS
    _write(folder / "huge.txt", words)
    _write(folder / "scripts.html", SCRIPTS_ONLY_HTML)
    _write(folder / "batch.jsonl", "\n".join([
        "{this line is not json",
        json.dumps({"title": "a line without text"}),
        json.dumps({"text": DEFENCE_TREATY}),
    ]) + "\n")
    os.symlink("loop.txt", folder / "loop.txt")  # a symlink to itself: ELOOP on stat
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "up", target_is_directory=True)  # a directory loop: must not hang
    (folder / "nested" / "empty" / "deeper").mkdir(parents=True)
    return folder


def _build(*args: str | Path) -> Result:
    return runner.invoke(app, ["build", *map(str, args)])


@dataclass
class MixedRun:
    folder: Path
    out: Path
    result: Result
    seconds: float


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> MixedRun:
    base = tmp_path_factory.mktemp("mixed")
    folder = _mixed_folder(base / "in")
    out = base / "out"
    started = time.perf_counter()
    result = _build(folder, "--out", out)
    return MixedRun(folder, out, result, time.perf_counter() - started)


# --- the mixed folder ---------------------------------------------------------------------------------------


def test_mixed_folder_exits_1(mixed: MixedRun) -> None:
    assert mixed.result.exit_code == 1, mixed.result.output
    assert mixed.result.exception is None or isinstance(mixed.result.exception, SystemExit), mixed.result.exception
    assert "Traceback" not in mixed.result.output


def test_mixed_folder_builds_every_good_article(mixed: MixedRun) -> None:
    kg = graph.load(mixed.out)
    titles = {a.title for a in kg.articles.values() if a.title}
    paths = {Path(a.path).name for a in kg.articles.values() if a.path}
    assert {"port.txt", "batch.jsonl:3"} <= paths
    assert {"Water treaty", CP1252_TITLE, LATIN1_TITLE} <= titles
    assert len(kg.articles) == 5, sorted(paths | titles)  # nothing bad slipped in, the loop added no duplicate
    labels = {e.label for e in kg.entities.values()}
    assert {"Kenya", "Uganda", "France", "Germany"} <= labels


def test_sidecar_with_malformed_date_keeps_article_without_date(mixed: MixedRun) -> None:
    kg = graph.load(mixed.out)
    water = [a for a in kg.articles.values() if a.title == "Water treaty"]
    assert len(water) == 1 and water[0].published is None
    squashed = _squash(mixed.result.output)
    assert _squash("water.meta.json: bad published date '2025-13-45'; article kept without a date") in squashed


@pytest.mark.parametrize(("name", "text"), [("cp1252.md", CP1252_MD), ("latin1.md", LATIN1_MD)])
def test_legacy_encoding_is_read_and_warned_about(mixed: MixedRun, name: str, text: str) -> None:
    squashed = _squash(mixed.result.output)
    assert re.search(re.escape(name) + r":notUTF-8;readas" + WESTERN_CODECS, squashed, re.IGNORECASE), (
        mixed.result.output)
    kg = graph.load(mixed.out)
    labels = {e.label for e in kg.entities.values()}
    if name == "cp1252.md":
        assert {"José Müller", "François Léger", "Zürich"} & labels, sorted(labels)
    else:
        assert {"Zoë Ångström", "Søren Læssøe", "Malmö", "Århus"} & labels, sorted(labels)
    assert not any("Ã" in label or "\ufffd" in label for label in labels), sorted(labels)  # no mojibake


@pytest.mark.parametrize(("name", "reason"), BAD, ids=[n for n, _ in BAD])
def test_each_bad_input_is_named_with_its_reason(mixed: MixedRun, name: str, reason: str | None) -> None:
    squashed = _squash(mixed.result.output)
    assert _squash(f"failed: {mixed.folder / name}: {reason or ''}") in squashed, mixed.result.output


def test_exactly_the_bad_inputs_are_reported(mixed: MixedRun) -> None:
    """No good article, sidecar, nested empty folder or directory loop is reported as failed."""
    failed = _messages(mixed.result.output, "failed:")
    assert len(failed) == len(BAD), mixed.result.output
    for innocent in ("port.txt", "water.txt", "water.meta.json", "cp1252.md", "latin1.md", "batch.jsonl:3",
                     "nested", "sub"):
        assert not [m for m in failed if m.startswith(_squash(f"{mixed.folder / innocent}:"))], innocent
    assert re.search(r"articlesfailed\W*8\b", _squash(mixed.result.output)), mixed.result.output


def test_each_failure_and_warning_is_one_line(mixed: MixedRun) -> None:
    """Not wrapped at the console width (80 columns in CI logs and pipes): grep and log tools see one message."""
    lines = mixed.result.output.splitlines()
    for name, reason in BAD:
        prefix = f"failed: {mixed.folder / name}: {reason or ''}"
        assert len([line for line in lines if line.startswith(prefix)]) == 1, (name, mixed.result.output)
    expected = [("cp1252.md", "not UTF-8; read as"), ("latin1.md", "not UTF-8; read as"),
                ("water.meta.json", "bad published date '2025-13-45'; article kept without a date")]
    for name, reason in expected:
        hits = [line for line in lines if line.startswith("warning: ") and f"{mixed.folder / name}: {reason}" in line]
        assert len(hits) == 1, (name, mixed.result.output)


def test_symlink_loop_file_is_reported_as_a_symlink_problem(mixed: MixedRun) -> None:
    failed = _messages(mixed.result.output, "failed:")
    loop = [m for m in failed if m.startswith(_squash(f"{mixed.folder / 'loop.txt'}:"))]
    assert len(loop) == 1, mixed.result.output
    assert re.search(r"symbolic ?link|symlink", loop[0], re.IGNORECASE), loop[0]


def test_symlink_loop_and_huge_file_do_not_stall_the_build(mixed: MixedRun) -> None:
    assert mixed.seconds < 120, f"the mixed build took {mixed.seconds:.0f} s"


# --- single cases -------------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads a chmod 000 file anyway, so there is no unreadable file to test as root")
def test_unreadable_file_is_named_and_the_rest_is_built(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path / "in")
    locked = _write(folder / "locked.txt", "Secret article text that cannot be read.")
    locked.chmod(0)
    try:
        res = _build(folder, "--out", tmp_path / "out", "--quiet")
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert res.exit_code == 1, res.output
    assert _squash(f"failed: {locked}: cannot read (Permission denied)") in _squash(res.output), res.output
    assert {Path(a.path).name for a in graph.load(tmp_path / "out").articles.values()} == {"port.txt", "water.txt"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO named like an article must be reported ('not a regular file'), never opened for reading.

    A watchdog thread stands in for a writer: if the build opens the pipe (which would block it forever), the
    watchdog's non-blocking open of the write end succeeds, is recorded and closed, and the build gets EOF.
    """
    folder = _good_folder(tmp_path / "in")
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    opened = threading.Event()
    done = threading.Event()

    def watchdog() -> None:
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # succeeds only while someone has it open to read
            except OSError:
                time.sleep(0.02)
                continue
            opened.set()
            os.close(fd)
            time.sleep(0.02)

    thread = threading.Thread(target=watchdog, daemon=True)
    thread.start()
    try:
        res = _build(folder, "--out", tmp_path / "out", "--quiet")
    finally:
        done.set()
        thread.join(5)
    assert res.exit_code == 1, res.output
    assert _squash(f"failed: {fifo}: not a regular file") in _squash(res.output), res.output
    assert {Path(a.path).name for a in graph.load(tmp_path / "out").articles.values()} == {"port.txt", "water.txt"}
    assert not opened.is_set(), "the build opened the named pipe for reading (it would block forever)"


def test_file_names_that_look_like_console_markup_are_printed_verbatim(tmp_path: Path) -> None:
    """rich would read ``[bold]`` as style and choke on a stray ``[/]``; a file name is text, never markup."""
    folder = _good_folder(tmp_path / "in")
    loud = _write(folder / "[bold]loud[/bold].txt", b"")
    stray = _write(folder / "[/]stray.txt", PNG_BYTES)
    res = _build(folder, "--out", tmp_path / "out", "--quiet")
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "MarkupError" not in res.output
    assert f"failed: {loud}: empty article" in res.output
    assert f"failed: {stray}: not text (binary?)" in res.output


def test_line_separator_in_a_title_is_kept(tmp_path: Path) -> None:
    """U+2028 is common in text copied from web pages and passes through JSON encoders as it is."""
    folder = tmp_path / "in"
    title = "Water\u2028treaty signed"
    _write(folder / "batch.jsonl", json.dumps({"text": WATER_TREATY, "title": title}, ensure_ascii=False) + "\n")
    res = _build(folder, "--out", tmp_path / "out", "--quiet")
    assert res.exit_code == 0, res.output
    assert [a.title for a in graph.load(tmp_path / "out").articles.values()] == [title]


# --- nothing lost -------------------------------------------------------------------------------------------

OUTPUTS = ("graph.ttl", "graph.html")


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def good_build(tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, bytes]]]:
    """(input folder, OUT, OUTPUTS' bytes) after a clean build of the two good articles."""
    folder = _good_folder(tmp_path / "good")
    out = tmp_path / "out"
    res = _build(folder, "--out", out, "--quiet")
    assert res.exit_code == 0, res.output
    before = _snapshot(out)
    assert len(graph.load(out).articles) == 2
    yield folder, out, before


def test_all_bad_build_into_same_out_keeps_previous_outputs(tmp_path: Path, good_build) -> None:
    _, out, before = good_build
    bad = _bad_only_folder(tmp_path / "bad")
    res = _build(bad, "--out", out, "--quiet")
    assert res.exit_code == 1, res.output
    squashed = _squash(res.output)
    for name in ("empty.txt", "image.txt", "scripts.html"):
        assert _squash(f"{bad / name}:") in squashed, (name, res.output)
    assert _snapshot(out) == before
    assert len(graph.load(out).articles) == 2


def test_same_sources_all_broken_keep_previous_outputs(good_build) -> None:
    folder, out, before = good_build
    _write(folder / "port.txt", b"")
    _write(folder / "water.txt", PNG_BYTES)
    res = _build(folder, "--out", out, "--quiet")
    assert res.exit_code == 1, res.output
    squashed = _squash(res.output)
    assert _squash(f"{folder / 'port.txt'}: empty article") in squashed, res.output
    assert _squash(f"{folder / 'water.txt'}: not text (binary?)") in squashed, res.output
    assert _snapshot(out) == before


def test_folder_without_articles_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    _write(folder / "notes.pdf", b"%PDF-1.4\n")
    _write(folder / "orphan.meta.json", "{}")
    _write(folder / ".hidden.txt", "A hidden draft is not an article.")
    (folder / "empty" / "deeper").mkdir(parents=True)
    res = _build(folder, "--out", tmp_path / "out", "--quiet")
    assert res.exit_code != 0, res.output
    assert _squash(f"{folder}: no articles (.txt, .md, .html, .jsonl) found") in _squash(res.output), res.output
    assert "Traceback" not in res.output


def test_strict_stops_at_the_first_failure(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write(folder / "a_port.txt", PORT_STRIKE)
    _write(folder / "b_empty.txt", b"")
    _write(folder / "c_image.txt", PNG_BYTES)
    _write(folder / "d_water.txt", WATER_TREATY)
    out = tmp_path / "out"
    res = _build(folder, "--out", out, "--strict", "--quiet")
    assert res.exit_code == 1, res.output
    squashed = _squash(res.output)
    assert _squash(f"{folder / 'b_empty.txt'}: empty article") in squashed, res.output
    assert "c_image.txt" not in squashed, res.output  # stopped before the second bad file
    assert not (out / "graph.ttl").exists()  # and before writing anything


def test_strict_keeps_previous_outputs(tmp_path: Path, good_build) -> None:
    folder, out, before = good_build
    _write(folder / "zz_empty.txt", b"")
    res = _build(folder, "--out", out, "--strict", "--quiet")
    assert res.exit_code == 1, res.output
    assert _squash(f"{folder / 'zz_empty.txt'}: empty article") in _squash(res.output), res.output
    assert _snapshot(out) == before


def _explode_on_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that fails on any article mentioning "Zorblat" (forked worker processes inherit the patch)."""
    import graph.nlp.extract as extract

    real = extract.extract_relations

    def failing(ix):
        if "Zorblat" in ix.doc.text:
            raise RuntimeError("rule broke")
        return real(ix)

    monkeypatch.setattr(extract, "extract_relations", failing)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rule_failing_on_one_article_costs_only_that_article(tmp_path: Path, monkeypatch, jobs: int) -> None:
    _explode_on_marker(monkeypatch)
    src = tmp_path / "src"
    src.mkdir()
    (src / "port.txt").write_text(PORT_STRIKE + "\n", encoding="utf-8")
    (src / "water.txt").write_text(WATER_TREATY + "\n", encoding="utf-8")
    (src / "odd.txt").write_text("The Zorblat council met in Paris on Monday.\n", encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # not cached: the failed article is tried (and reported) again on the next run
        report = graph.build([src], out, n_process=jobs, batch_size=1)
        assert [(Path(f.path).name, f.reason.split(" (")[0]) for f in report.failures] == [
            ("odd.txt", "extraction failed")]
        assert "rule broke" in str(report.failures[0])
        assert report.counts["articles"] == 2
        labels = {e.label for e in report.graph.entities.values()}
        assert {"Marta Silva", "Amina Odhiambo"} <= labels and "Zorblat" not in " ".join(labels)
    result = runner.invoke(app, ["build", str(src), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert re.search(r"failed: \S*odd\.txt: extraction failed \(RuntimeError: rule broke\)", result.output)
