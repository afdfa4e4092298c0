"""A read-only SPARQL 1.1 Protocol endpoint over a build's output: ``newsgraph serve OUT``.

Why this design: a query must be stoppable. pyoxigraph has no timeout or cancel for a query, and a
thread cannot be killed, so every query runs in a worker *process* that holds the store open; when a
query overruns ``--timeout`` the worker is killed (SIGKILL) and a fresh one is started, and the client
gets 504. Workers are plain ``python -m graph.ask.serve --worker`` subprocesses talking over two pipes.
The HTTP side is the standard library's ThreadingHTTPServer: no extra dependency, and it lets the
endpoint enforce what the options promise (row limit, body and query size, CORS, read-only).

Evaluated and not chosen: ``oxigraph serve-read-only`` (the ``oxigraph`` 0.5.13 CLI from PyPI). It has
``--timeout-s``, ``--cors`` and ``--union-default-graph``, but no result-row limit, no configurable
request or query size limit, it needs an on-disk store (a build with only graph.ttl would first need
converting), it can only choose between the store's default graph and the union of all graphs (with
graph.store's layout, per-article graphs plus the merged graph, the union holds most triples twice,
so counts double and joins multiply), and it is one more binary to install and supervise.

Protocol: ``GET /sparql?query=...``, ``POST /sparql`` with ``application/x-www-form-urlencoded``
(``query=...``) or ``application/sparql-query`` (the query as the body). Results follow the Accept
header (or a ``format`` parameter): SPARQL JSON (default), XML, CSV or TSV for SELECT and ASK;
Turtle (default), N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE; 406 when none fits.
Read-only: updates (``update=``, ``application/sparql-update`` or an update sent as a query) get 403,
PUT/DELETE/PATCH (Graph Store Protocol writes) 405; workers open the store read-only, so nothing can
change it. Limits: at most ``limit`` rows (more are cut off and ``X-Result-Truncated`` says so), request
bodies and queries over their size limits get 413, a query still running after ``timeout`` seconds
504, and no free worker within ``timeout`` 503. The server binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["DEFAULT_PORT", "ServeConfig", "SparqlServer", "WorkerPool", "make_server", "negotiate", "serve"]

DEFAULT_PORT = 7878
ENDPOINT = "/sparql"
_UPDATE_VERBS = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}

#: Accepted media types by result kind, first one the default; ``format=`` names map the same way.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/xml": "xml",
}
TRIPLE_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
}


@dataclass(frozen=True)
class ServeConfig:
    """What ``newsgraph serve`` was asked for; the defaults are the CLI's."""

    out: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout: float = 10.0
    limit: int = 10_000
    cors: bool = False
    workers: int = 2
    max_body: int = 1_048_576  # bytes of a POST body
    max_query: int = 100_000  # characters of a query
    quiet: bool = False


# --- content negotiation ------------------------------------------------------------------------------


def negotiate(accept: str | None, kind: str, fmt: str | None = None) -> str | None:
    """The result format name for an Accept header (q-values honoured) and a result kind.

    ``kind`` is "solutions" (SELECT, ASK) or "triples" (CONSTRUCT, DESCRIBE); an explicit ``fmt`` (the
    ``format`` parameter: a name such as json, or a media type) wins. None means 406 Not Acceptable.
    """
    table = SOLUTION_TYPES if kind == "solutions" else TRIPLE_TYPES
    names = set(table.values())
    if fmt:
        f = fmt.strip().lower()
        if f in names:
            return f
        return table.get(f.split(";")[0].strip())
    default = next(iter(table.values()))
    if not accept or not accept.strip():
        return default
    ranges = []
    for i, part in enumerate(accept.split(",")):
        fields = [x.strip() for x in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media))
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            for m, name in table.items():
                if m.startswith(major):
                    return name
    return None


# --- worker processes ---------------------------------------------------------------------------------


def _worker_main(out: str, rfd: int, wfd: int) -> None:
    """Hold the store open and answer (query, accept, format, limit) messages until told to stop."""
    inbox, outbox = Connection(rfd, writable=False), Connection(wfd, readable=False)
    try:
        from .sparql import load_store

        store = load_store(Path(out))
    except Exception as exc:  # report, then die: the pool shows it to the operator
        outbox.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    outbox.send(("ready", None))
    while True:
        try:
            msg = inbox.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        outbox.send(_answer(store, *msg))


def _answer(store: Any, sparql: str, accept: str | None, fmt: str | None, limit: int) -> tuple:
    """(status, content type, body, extra headers) for one query; never raises."""
    import pyoxigraph as ox

    from ..errors import UsageError
    from .sparql import query_kind, run_query, serialize_result

    if query_kind(sparql) in _UPDATE_VERBS:
        return _text(403, "this endpoint is read-only: SPARQL updates are refused")
    try:
        result = run_query(store, sparql)
        kind = "triples" if isinstance(result, ox.QueryTriples) else "solutions"
        name = negotiate(accept, kind, fmt)
        if name is None:
            offered = ", ".join(SOLUTION_TYPES if kind == "solutions" else TRIPLE_TYPES)
            return _text(406, f"cannot give these results as {fmt or accept!r}; offered: {offered}")
        out = serialize_result(result, name, limit=limit)
    except UsageError as exc:
        return _text(400, str(exc))
    except SyntaxError as exc:  # e.g. a malformed literal met during evaluation
        return _text(400, f"SPARQL error: {exc}")
    except Exception as exc:  # an evaluation error must not kill the worker
        return _text(500, f"query failed: {type(exc).__name__}: {exc}")
    headers = {"X-Result-Truncated": str(limit)} if out.truncated else {}
    media = out.media_type if "charset" in out.media_type or "json" in out.media_type \
        else out.media_type + "; charset=utf-8"
    return 200, media, out.data, headers


def _text(status: int, message: str) -> tuple:
    return status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), {}


class _Worker:
    """One ``python -m graph.ask.serve --worker`` process and the two pipes to it.

    A plain subprocess rather than multiprocessing: spawn would re-import the caller's ``__main__``
    (fragile for scripts and test runners), fork would copy the server's threads and store handles.
    """

    def __init__(self, out: Path) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "graph.ask.serve", "--worker", str(out), str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.outbox = Connection(to_child_w, readable=False)
        self.inbox = Connection(from_child_r, writable=False)

    def wait_ready(self, timeout: float) -> None:
        if not self.inbox.poll(timeout):
            self.kill()
            raise RuntimeError(f"query worker did not start within {timeout:.0f} s")
        try:
            status, detail = self.inbox.recv()
        except (EOFError, OSError):
            status, detail = "failed", f"it exited with code {self.proc.wait()}"
        if status != "ready":
            self.kill()
            raise RuntimeError(f"query worker could not open the store: {detail}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            pass
        self.inbox.close()
        self.outbox.close()


class WorkerPool:
    """Worker processes that each hold the store; a worker that overruns is killed and replaced."""

    def __init__(self, out: Path, size: int = 2, start_timeout: float = 120.0) -> None:
        self.out, self.size, self.start_timeout = Path(out), max(1, size), start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for w in workers:
                w.wait_ready(self.start_timeout)
                self._idle.put(w)
        except Exception:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        w = _Worker(self.out)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        dead.kill()
        with self._lock:
            self._all.discard(dead)
            if self._closed:
                return
        try:
            w = self._spawn()
            w.wait_ready(self.start_timeout)
        except Exception as exc:
            print(f"newsgraph serve: could not restart a query worker: {exc}", file=sys.stderr)
            return
        if self._closed:
            w.kill()
        else:
            self._idle.put(w)

    def execute(self, sparql: str, accept: str | None, fmt: str | None, limit: int, timeout: float) -> tuple:
        """Run one query in an idle worker: (status, content type, body, headers); 503/504 on time-outs."""
        started = time.monotonic()
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _text(503, f"all query workers are busy; try again (waited {timeout:g} s)")
        try:
            w.outbox.send((sparql, accept, fmt, limit))
            left = max(0.0, timeout - (time.monotonic() - started))
            if w.inbox.poll(left):
                reply = w.inbox.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError):
            pass
        threading.Thread(target=self._replace, args=(w,), daemon=True).start()
        return _text(504, f"the query did not finish within {timeout:g} s and was stopped")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.outbox.send(None)
            except (OSError, ValueError):
                pass
            w.kill()


# --- HTTP ---------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "newsgraph-sparql"

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.config.quiet:
            super().log_message(format, *args)

    # ---- methods

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/", ""):
            self._send(200, "text/plain; charset=utf-8", self._help().encode("utf-8"))
            return
        if url.path != ENDPOINT:
            self._error(404, f"no such resource; the SPARQL endpoint is {ENDPOINT}")
            return
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        if "query" not in params:
            self._error(400, "missing the query parameter: GET /sparql?query=SELECT ...")
            return
        self._query(params["query"][0], _first(params, "format"))

    def do_HEAD(self) -> None:
        self._send(200 if urlsplit(self.path).path in ("/", "", ENDPOINT) else 404, "text/plain; charset=utf-8", b"",
                   head=True)

    def do_POST(self) -> None:
        if urlsplit(self.path).path != ENDPOINT:
            self._refuse_write()
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            self._discard_body()
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        body = self._read_body()
        if body is None:
            return
        fmt = _first(parse_qs(urlsplit(self.path).query), "format")
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                self._error(403, "this endpoint is read-only: SPARQL updates are refused")
                return
            if "query" not in form:
                self._error(400, "missing the query field in the form")
                return
            self._query(form["query"][0], _first(form, "format") or fmt)
        elif ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                self._error(400, "the query is not UTF-8")
                return
            self._query(text, fmt)
        else:
            self._error(415, "send the query as application/sparql-query or application/x-www-form-urlencoded")

    def _refuse_write(self) -> None:
        self._discard_body()
        self._error(405, f"this endpoint is read-only: the graph cannot be changed over HTTP (queries: {ENDPOINT})",
                    {"Allow": "GET, POST, HEAD, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _refuse_write

    def do_OPTIONS(self) -> None:
        self._send(204, None, b"", extra={"Allow": "GET, POST, HEAD, OPTIONS"})

    # ---- helpers

    def _query(self, text: str, fmt: str | None) -> None:
        cfg = self.server.config
        if len(text) > cfg.max_query:
            self._error(413, f"the query is {len(text):,} characters; the limit is {cfg.max_query:,}")
            return
        if not text.strip():
            self._error(400, "the query is empty")
            return
        status, ctype, body, headers = self.server.pool.execute(text, self.headers.get("Accept"), fmt, cfg.limit,
                                                                cfg.timeout)
        self._send(status, ctype, body, extra=headers)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            self._error(411, "a POST needs a Content-Length")
            return None
        try:
            n = int(length)
        except ValueError:
            self._error(400, "bad Content-Length")
            return None
        if n > self.server.config.max_body:
            self.close_connection = True  # the unread body must not be taken for the next request
            self._error(413, f"the request body is {n:,} bytes; the limit is {self.server.config.max_body:,}")
            return None
        return self.rfile.read(n)

    def _discard_body(self) -> None:
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = 0
        if 0 < n <= self.server.config.max_body:
            self.rfile.read(n)
        elif n:
            self.close_connection = True

    def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), extra=extra)

    def _send(self, status: int, ctype: str | None, body: bytes, *, extra: dict[str, str] | None = None,
              head: bool = False) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.server.config.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Expose-Headers", "X-Result-Truncated")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _help(self) -> str:
        cfg = self.server.config
        return (f"newsgraph SPARQL endpoint (read-only) over {cfg.out}\n\n"
                f"  GET  {ENDPOINT}?query=SELECT ...\n"
                f"  POST {ENDPOINT}   application/sparql-query, or a form with query=...\n\n"
                f"Results: SPARQL JSON/XML/CSV/TSV or Turtle/N-Triples/JSON-LD/RDF-XML by Accept.\n"
                f"Limits: {cfg.limit:,} rows, {cfg.timeout:g} s per query, {cfg.max_query:,} characters per query.\n")


def _first(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[0] if values else None


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its worker pool; ``url`` is the endpoint's address."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: ServeConfig, pool: WorkerPool) -> None:
        self.config = config
        self.pool = pool
        super().__init__((config.host, config.port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{ENDPOINT}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(config: ServeConfig) -> SparqlServer:
    """Start the workers (each opens the store, so a broken output fails here) and bind the socket.

    Run it with ``serve_forever()``; ``shutdown()`` then ``server_close()`` stop it and the workers.
    Port 0 picks a free port (see ``url``).
    """
    from ..errors import UsageError
    from .sparql import load_store

    load_store(config.out)  # fail fast, in this process, with a readable UsageError/StoreError
    if config.timeout <= 0 or config.limit <= 0:
        raise UsageError("--timeout and --limit must be positive")
    pool = WorkerPool(config.out, config.workers)
    try:
        return SparqlServer(config, pool)
    except OSError:
        pool.close()
        raise


def serve(config: ServeConfig, *, on_ready: Any = None) -> None:
    """Serve until interrupted (Ctrl-C), then stop the workers."""
    server = make_server(config)
    if on_ready is not None:
        on_ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":  # the worker process: python -m graph.ask.serve --worker OUT READ_FD WRITE_FD
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        _worker_main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("usage: newsgraph serve OUT (this module runs query workers for it)")
