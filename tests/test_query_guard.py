"""What `newsgraph query` and the endpoint refuse before the engine runs, and what the table shows of hostile
text. The crashing queries below were measured to kill pyoxigraph 0.5.13 with SIGSEGV when handed over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.ask.guard import MAX_DEPTH, check_query, uses_service
from graph.ask.sparql import saved_queries, syntax_message
from graph.errors import UsageError
from tests.serve_helpers import REPO
from tests.test_serve_attacks import _Listener

CRASHERS = {
    "braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "negations": "SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }",
    "binds": "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(5000)) + " }",
    "unions": "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 10000) + " }",
}


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An N-Triples file whose literal carries terminal escapes, a bidi override and rich markup."""
    path = tmp_path_factory.mktemp("hostile") / "graph.nt"
    text = r"red \u001B[31mALERT\u001B]0;owned\u0007 \u202Eexe.txt [bold]x[/bold]"
    path.write_text(f'<http://e.example/a> <http://e.example/b> "{text}" .\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_engine_crashers_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="limit"):
        check_query(CRASHERS[name])


def test_ordinary_queries_pass() -> None:
    for q in saved_queries().values():
        check_query(q.sparql)
    check_query("SELECT * WHERE { ?s ?p ?o FILTER(?o > -1 && !(?o = - -2)) } # SERVICE <http://x/>")
    check_query("SELECT * WHERE " + "{" * (MAX_DEPTH - 1) + "}" * (MAX_DEPTH - 1))


def test_service_is_found_as_a_keyword_only() -> None:
    assert uses_service("select * { service <http://x/> { ?s ?p ?o } }")
    assert uses_service("SELECT * { SERVICE SILENT ?u { ?s ?p ?o } }")
    assert not uses_service('SELECT * { ?s <http://x/SERVICE> "SERVICE" . ?service ex:service-x ?o }')
    assert not uses_service("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}")
    with pytest.raises(UsageError, match="--allow-service"):
        check_query("SELECT * { SERVICE <http://x/> {} }")
    check_query("SELECT * { SERVICE <http://x/> {} }", allow_service=True)


def test_syntax_message_for_a_misspelt_form() -> None:
    message = syntax_message("SELEC * WHERE {}", "error at 1:10: expected CONSTRUCT")
    assert "SELECT, CONSTRUCT, DESCRIBE or ASK" in message and "'SELEC'" in message
    assert "line 1, column 1" in message
    message = syntax_message("PREFIX ex: <http://x/>\nselct ?s {}", "error at 2:10: expected CONSTRUCT")
    assert "line 2, column 1" in message and "'selct'" in message


def test_cli_refuses_service_and_sends_nothing(hostile: Path) -> None:
    listener = _Listener()
    try:
        r = run_cli("query", str(hostile), f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
        assert r.returncode == 2 and "SERVICE" in r.stderr and "--allow-service" in r.stderr
        assert listener.accepted == 0
    finally:
        listener.close()


def test_cli_says_why_a_crasher_is_refused(hostile: Path, tmp_path: Path) -> None:
    rq = tmp_path / "deep.rq"
    rq.write_text(CRASHERS["braces"], encoding="utf-8")
    r = run_cli("query", str(hostile), "--file", str(rq))
    assert r.returncode == 2 and "nested 5000 levels deep" in r.stderr


def test_cli_table_escapes_control_characters(hostile: Path) -> None:
    r = run_cli("query", str(hostile), "SELECT ?o WHERE { ?s ?p ?o }")
    assert r.returncode == 0
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout
    assert "\\x1b[31mALERT" in r.stdout and "\\u202e" in r.stdout
    assert "[bold]x[/bold]" in r.stdout  # shown as written, not taken for markup


def test_cli_no_build_and_misspelt_form_exit_2(hostile: Path, tmp_path: Path) -> None:
    r = run_cli("query", str(tmp_path), "ASK {}")
    assert r.returncode == 2 and "newsgraph build" in r.stderr
    r = run_cli("query", str(hostile), "SELEC * WHERE { ?s ?p ?o }")
    assert r.returncode == 2 and "SELECT, CONSTRUCT, DESCRIBE or ASK" in r.stderr and "Traceback" not in r.stderr
