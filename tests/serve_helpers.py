"""Helpers for the endpoint's tests and benchmark: a `newsgraph serve` subprocess on a free loopback port,
raw HTTP over sockets (so framing can be broken on purpose), and small stores written for the tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
EX = "http://example.org/"


def write_store(out: Path, n: int, *, graph: str = EX + "g") -> Path:
    """``out/store`` holding ``n`` triples ``<EX s{i}> <EX p> i`` in ``graph``; returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(out / "store"))
    lines = "".join(f"<{EX}s{i}> <{EX}p> \"{i}\"^^<http://www.w3.org/2001/XMLSchema#integer> <{graph}> .\n"
                    for i in range(n))
    store.bulk_load(lines.encode(), ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return out


class Served:
    """A running ``newsgraph serve`` subprocess (its own process group) and where it listens."""

    def __init__(self, proc: subprocess.Popen, url: str, lines: list[str]) -> None:
        self.proc, self.url, self.stderr_lines = proc, url, lines
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port or 80, parts.path

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    def rss_mib(self) -> float:
        """Resident memory of the server process itself (not its workers)."""
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20


@contextmanager
def served(out: Path, *args: str, start_timeout: float = 90.0) -> Iterator[Served]:
    """Run ``newsgraph serve OUT --port 0 ARGS`` until the block ends (SIGINT, then SIGKILL if need be)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", str(out), "--port", "0", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    lines: list[str] = []
    ready = threading.Event()
    url: list[str] = []

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "SPARQL endpoint at " in line and not url:
                url.append(line.split("SPARQL endpoint at ", 1)[1].split()[0])
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        if not ready.wait(start_timeout) or not url:
            raise RuntimeError(f"the server did not start: {''.join(lines)}")
        yield Served(proc, url[0], lines)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def raw(host: str, port: int, data: bytes, *, timeout: float = 10.0, read_until_close: bool = True) -> bytes:
    """Send bytes as they are and return everything the server sends back before it closes (or times out)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        chunks, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if not read_until_close and b"\r\n\r\n" in b"".join(chunks):
                break
        return b"".join(chunks)


def get_request(path: str, query: str, host: str = "127.0.0.1", extra: str = "") -> bytes:
    return (f"GET {path}?query={quote(query)} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n").encode()


def statuses(response: bytes) -> list[int]:
    """The status codes of every HTTP response in a byte stream."""
    out = []
    for line in response.split(b"\r\n"):
        if line.startswith(b"HTTP/1.1 ") and line[9:12].isdigit():
            out.append(int(line[9:12]))
    return out
