"""The endpoint tried as an attacker and a busy user would: a real `newsgraph serve` process on a loopback
port, raw sockets for broken framing. Every loop is bounded and every socket has a time-out."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.serve_helpers import EX, REPO, get_request, raw, served, statuses, write_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
N = 300


def fetch(url: str, query: str | None = None, *, headers: dict[str, str] | None = None, timeout: float = 30,
          ) -> tuple[int, dict[str, str], bytes]:
    full = url + ("?" + urllib.parse.urlencode({"query": query}) if query is not None else "")
    req = urllib.request.Request(full, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("attacked"), N)


@pytest.fixture(scope="module")
def srv(out: Path):
    with served(out, "--idle-timeout", "2", "--workers", "2", "--timeout", "5", "--memory", "700",
                "--allowed-host", "proxy.example", "--cors", "https://ok.example") as s:
        yield s


class _Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def test_service_makes_no_request(srv) -> None:
    listener = _Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/admin?token=secret"
        for q in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                  f"select * {{ # comment\n sErViCe silent <{target}> {{ ?s ?p ?o }} }}",
                  f"SELECT * {{ BIND(<{target}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}"):
            status, _, body = fetch(srv.url, q)
            assert status == 400 and b"SERVICE" in body and b"--allow-service" in body
        time.sleep(0.5)
        assert listener.accepted == 0
        # the word in a literal or an IRI is no clause
        status, _, _ = fetch(srv.url, 'SELECT * { ?s <http://x/SERVICE> "SERVICE" }')
        assert status == 200
    finally:
        listener.close()


def test_allow_service_does_reach_the_network(out: Path) -> None:
    """The refusal above is the guard's doing: with --allow-service the engine does call the listener."""
    listener = _Listener()
    try:
        with served(out, "--allow-service", "--timeout", "5") as s:
            fetch(s.url, f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}")
        assert listener.accepted >= 1
    finally:
        listener.close()


def test_host_header_is_checked(srv) -> None:
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example", "[::2]"):
        reply = raw(srv.host, srv.port, get_request(srv.path, "ASK {}", host=host))
        assert statuses(reply) == [421], host
    for host in (f"127.0.0.1:{srv.port}", f"localhost:{srv.port}", "proxy.example", "PROXY.example:443"):
        reply = raw(srv.host, srv.port, get_request(srv.path, "ASK {}", host=host, extra="Connection: close\r\n"))
        assert statuses(reply) == [200], host


def test_cors_names_origins(srv) -> None:
    _, headers, _ = fetch(srv.url, "ASK {}", headers={"Origin": "https://ok.example"})
    assert headers.get("access-control-allow-origin") == "https://ok.example"
    _, headers, _ = fetch(srv.url, "ASK {}", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in headers


def test_content_length_abuse_is_bounded(srv) -> None:
    before = srv.rss_mib()
    head = (f"POST {srv.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            "Content-Length: -1\r\n\r\n").encode()
    with socket.create_connection((srv.host, srv.port), timeout=10) as s:
        s.sendall(head)
        sent = 0
        try:  # 50 MB that no limit would count: the server must stop reading and close
            while sent < 50 * 2**20:
                s.sendall(b"x" * 2**20)
                sent += 2**20
        except OSError:
            pass
        reply = b""
        try:
            while chunk := s.recv(65536):
                reply += chunk
        except OSError:
            pass
    assert statuses(reply) == [400]
    # a body announced over the limit is refused before it is read
    reply = raw(srv.host, srv.port, (f"POST {srv.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                     f"application/sparql-query\r\nContent-Length: {200 * 2**20}\r\n\r\nASK {{}}")
                .encode())
    assert statuses(reply) == [413]
    assert srv.rss_mib() - before < 40


def _chunked(path: str, body: str, extra: str = "Connection: close\r\n") -> bytes:
    chunks = "".join(f"{len(part):x}\r\n{part}\r\n" for part in (body[:20], body[20:])) + "0\r\n\r\n"
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Transfer-Encoding: chunked\r\n{extra}\r\n{chunks}").encode()


def test_chunked_bodies_are_read_not_smuggled(srv) -> None:
    reply = raw(srv.host, srv.port, _chunked(srv.path, COUNT))
    assert statuses(reply) == [200] and count_of(reply.split(b"\r\n\r\n", 1)[1]) == N
    smuggled = get_request(srv.path, "ASK {}").decode()
    reply = raw(srv.host, srv.port, _chunked(srv.path, smuggled))
    assert statuses(reply) == [400] and b"SPARQL syntax error" in reply  # one answer: the body, read as a query
    chunks = _chunked(srv.path, COUNT, "").split(b"\r\n\r\n", 1)[1].decode()
    # both framings at once: refused, not guessed
    both = (f"POST {srv.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}{smuggled}").encode()
    assert statuses(raw(srv.host, srv.port, both)) == [400]
    # a chunked body over the limit (1 MiB)
    big = "".join(f"{2**16:x}\r\n{'#' * 2**16}\r\n" for _ in range(20)) + "0\r\n\r\n"
    req = (f"POST {srv.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
           f"Transfer-Encoding: chunked\r\n\r\n{big}").encode()
    assert statuses(raw(srv.host, srv.port, req)) == [413]


def test_idle_sockets_are_closed_and_cost_little(srv) -> None:
    before = srv.rss_mib()
    socks = []
    try:
        for _ in range(500):
            s = socket.create_connection((srv.host, srv.port), timeout=10)
            socks.append(s)
        slow = socks[0]
        slow.sendall(b"GET /sparql HTTP/1.1\r\n")  # a slowloris: a head that never ends
        status, _, body = fetch(srv.url, COUNT, timeout=10)  # the endpoint answers meanwhile
        assert status == 200 and count_of(body) == N
        grown = srv.rss_mib() - before
        deadline, closed = time.monotonic() + 15, 0
        for s in socks:  # --idle-timeout 2: the server closes them all
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                closed += s.recv(1024) == b""
            except (TimeoutError, ConnectionResetError):
                closed += 0
    finally:
        for s in socks:
            s.close()
    print(f"500 idle sockets: server RSS grew {grown:.1f} MiB; {closed} closed by the server")
    assert closed == 500
    assert grown < 40


def test_200_concurrent_clients(srv) -> None:
    def one(_: int) -> tuple[int, float]:
        t = time.perf_counter()
        status, _, body = fetch(srv.url, COUNT, timeout=60)
        return (status if status != 200 or count_of(body) == N else -1), time.perf_counter() - t

    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(one, range(400)))
    codes = [c for c, _ in results]
    times = sorted(t for _, t in results)
    print(f"200 clients: p50 {times[len(times) // 2]:.3f} s, p95 {times[int(len(times) * 0.95)]:.3f} s")
    assert codes.count(200) == len(codes)


def test_memory_cap_and_timeout_keep_the_server(srv) -> None:
    status, _, body = fetch(srv.url, "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?x ?y ?z")
    assert status == 503 and b"memory cap" in body
    status, _, body = fetch(srv.url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?e ?f }")
    assert status == 504 and b"stopped" in body
    for _ in range(4):
        status, _, body = fetch(srv.url, COUNT)
        assert status == 200 and count_of(body) == N


def test_engine_crashers_are_400(srv) -> None:
    for q in ("SELECT * WHERE " + "{" * 5000 + "}" * 5000,
              "SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }",
              "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(5000)) + " }"):
        data = urllib.parse.urlencode({"query": q}).encode()
        req = urllib.request.Request(srv.url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        assert status in (400, 413) and (b"limit" in body), body[:200]
    status, _, _ = fetch(srv.url, COUNT)
    assert status == 200


def _publish(out: Path, n: int) -> None:
    """Rebuild ``out``'s store the way ``newsgraph build`` swaps one in (graph.store's loader and markers)."""
    from graph.store import Manifest, StoreLoader, clear_pending, mark_pending

    loader = StoreLoader(out)
    loader.add(f"<{EX}s{i}> <{EX}p> \"{i}\" <{EX}g> ." for i in range(n))
    mark_pending(out)
    loader.commit()
    Manifest(extractor=f"test-{n}", counts={"triples": n}).save(out)
    clear_pending(out)


def test_rebuild_while_serving(tmp_path: Path) -> None:
    out = write_store(tmp_path / "out", 10)
    with served(out, "--workers", "2") as s:
        status, headers, body = fetch(s.url, COUNT)
        assert status == 200 and count_of(body) == 10
        first = headers["x-store-version"]
        _publish(out, 25)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, headers, body = fetch(s.url, COUNT)
            if headers["x-store-version"] != first:
                break
            assert count_of(body) == 10  # the old version, whole, until the switch
            time.sleep(0.1)
        assert count_of(body) == 25
        with ThreadPoolExecutor(8) as pool:
            after = list(pool.map(lambda _: fetch(s.url, COUNT), range(40)))
        assert {count_of(b) for _, _, b in after} == {25}
        assert {h["x-store-version"] for _, h, _ in after} == {headers["x-store-version"]}
        assert "Traceback" not in s.stderr


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def test_serve_usage_errors(out: Path, tmp_path: Path) -> None:
    r = run_cli("serve", str(out), "--port", "99999")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "65535" in r.stderr
    r = run_cli("serve", str(tmp_path / "nothing"), "--port", "0")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        r = run_cli("serve", str(out), "--port", str(port))
    assert r.returncode == 1 and f"127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr


def test_ctrl_c_stops_cleanly(out: Path) -> None:
    with served(out) as s:
        assert fetch(s.url, COUNT)[0] == 200
        os.killpg(s.proc.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
        code = s.proc.wait(timeout=20)
        time.sleep(0.2)
    assert code == 0
    assert "Traceback" not in s.stderr and "KeyboardInterrupt" not in s.stderr
