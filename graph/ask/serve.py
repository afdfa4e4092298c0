"""A read-only SPARQL 1.1 Protocol endpoint over a build's output: ``newsgraph serve OUT``.

The HTTP layer is uvicorn (with its h11 parser) running a Starlette app (graph.ask.protocol). Chosen over
the standard library's http.server, which this replaced: that one trusted ``Content-Length: -1``, took a
chunked body's bytes for a second request, listened with a backlog of 5 and kept a thread per idle
socket forever. uvicorn is the most used and most actively released ASGI server, h11 rejects malformed
framing (a negative or doubled Content-Length, a bad chunk) with 400 and reads chunked bodies, asyncio
keeps thousands of idle sockets at a few KiB each, and the backlog, keep-alive time-out and connection
limit are settings. What it lacks is closing a connection that never completes a request head (a fresh
idle socket, a slowloris): :class:`_Protocol` adds that deadline. Also looked at: waitress (WSGI, so a
thread per in-flight query, and its idle time-out is reset by every byte a slow client trickles) and
hypercorn (fewer releases and users). ``oxigraph serve-read-only`` has no row limit, no size limits and
no choice of default graph beyond the store's or the union (see graph.ask.sparql); the benchmark
(tests/bench/bench_serve.py) runs it beside this server on the same store.

Queries run in worker processes (graph.ask.workers), killed at ``timeout`` (504) and capped in memory
(503), all of one pool on one snapshot of the store (graph.ask.versions). A watcher notices a finished
rebuild, starts a pool on a snapshot of it and switches every new query to it at once; the old pool
finishes what it was doing and is stopped. SERVICE clauses are refused unless ``allow_service``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import socket
import sys
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .protocol import ENDPOINT
from .workers import Reply, WorkerPool, WorkerSettings

__all__ = ["DEFAULT_PORT", "ENDPOINT", "ServeConfig", "SparqlServer", "make_server", "serve"]

DEFAULT_PORT = 7878


@dataclass(frozen=True)
class ServeConfig:
    """What ``newsgraph serve`` was asked for; the defaults are the CLI's."""

    out: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout: float = 10.0
    limit: int = 10_000
    cors: tuple[str, ...] = ()  # allowed origins ("*" for any)
    workers: int = 2
    allowed_hosts: tuple[str, ...] = ()
    allow_service: bool = False
    memory_mib: int = 2048  # per worker
    max_body: int = 1_048_576  # bytes of a POST body
    max_query: int = 100_000  # characters of a query
    idle_timeout: float = 10.0  # seconds a connection may sit without completing a request (head or keep-alive)
    body_timeout: float = 30.0  # seconds a request body may take to arrive
    backlog: int = 2048
    max_connections: int = 4096  # beyond this, requests get 503
    watch: float = 1.0  # seconds between looks at the build folder for a new version; 0 = never
    quiet: bool = True


def allowed_hosts(cfg: ServeConfig) -> set[str]:
    """Host header names this server answers to: the bound address, its loopback names, --allowed-host."""
    names = {cfg.host, *cfg.allowed_hosts}
    try:
        ip = ipaddress.ip_address(cfg.host)
        loopback, wildcard = ip.is_loopback, ip.is_unspecified
    except ValueError:
        loopback, wildcard = cfg.host == "localhost", False
    if loopback or wildcard:
        names |= {"localhost", "127.0.0.1", "::1"}
    return names


class _Endpoint:
    """The current pool and version; the watcher that swaps them when a build has finished."""

    def __init__(self, cfg: ServeConfig) -> None:
        from .versions import Snapshots

        self.cfg = cfg
        self.settings = WorkerSettings(size=cfg.workers, memory_mib=cfg.memory_mib, allow_service=cfg.allow_service,
                                       max_query=cfg.max_query)
        self.snapshots = Snapshots(cfg.out)
        try:
            version = self._first_version()
            self.pool = WorkerPool(version.path, self.settings, version.id)
        except BaseException:
            self.snapshots.close()
            raise
        self.version = version
        self._retiring: set[asyncio.Task] = set()

    def _first_version(self) -> Any:
        import time

        for _ in range(300):  # a build may be swapping its store in right now: wait for it (up to a minute)
            version = self.snapshots.take()
            if version is not None:
                return version
            time.sleep(0.2)
        raise UsageError(f"{self.cfg.out}: a build is writing the store; serve it when the build has finished")

    async def execute(self, msg: dict[str, Any]) -> Reply:
        pool = self.pool
        status, ctype, body, headers = await pool.execute(msg, self.cfg.timeout)
        return status, ctype, body, {**headers, "X-Store-Version": pool.version}

    async def watch(self) -> None:
        """Look for a finished build every ``cfg.watch`` seconds; swap every worker to it together."""
        from .versions import version_key

        while True:
            await asyncio.sleep(self.cfg.watch)
            key = await asyncio.to_thread(version_key, self.cfg.out)
            if key is None or key == self.version.key:
                continue
            try:
                version = await asyncio.to_thread(self.snapshots.take)
                if version is None or version.key == self.version.key:
                    continue
                pool = await asyncio.to_thread(WorkerPool, version.path, self.settings, version.id)
            except Exception as exc:  # keep serving the old version; try again at the next look
                print(f"newsgraph serve: could not switch to the new build: {exc}", file=sys.stderr)
                continue
            old_pool, old_version = self.pool, self.version
            self.pool, self.version = pool, version
            if not self.cfg.quiet:
                print(f"newsgraph serve: now answering from the new build ({version.id})", file=sys.stderr)
            task = asyncio.get_running_loop().create_task(self._retire(old_pool, old_version))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)

    async def _retire(self, pool: WorkerPool, version: Any) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.cfg.timeout + 5
        while pool.busy and loop.time() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.to_thread(pool.close)
        self.snapshots.drop(version)

    def close(self) -> None:
        self.pool.close()
        self.snapshots.close()


def _protocol_class(head_timeout: float) -> type:
    """uvicorn's h11 protocol, closing a connection that does not complete a request head in time."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class _Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            cycle = self.cycle
            self._head_timer = self.loop.call_later(head_timeout, self._expire, cycle)

        def _expire(self, cycle: Any) -> None:
            if self.cycle is cycle and not self.transport.is_closing():  # no new request head since armed
                self.transport.close()

    return _Protocol


def _bind(host: str, port: int, backlog: int) -> socket.socket:
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {port}")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host, port), family=family, backlog=backlog)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host}:{port}: unknown host ({exc.strerror})") from None
    except OSError as exc:
        why = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {why}") from None
    # accepted sockets inherit it; asyncio sets it only on sockets made with proto IPPROTO_TCP, which these are not,
    # and without it every answer written in two parts waits ~40 ms for the client's delayed ACK
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    return sock


class SparqlServer:
    """A bound, ready endpoint: ``serve_forever()`` runs it, ``shutdown()`` (any thread) stops it."""

    def __init__(self, config: ServeConfig, sock: socket.socket, endpoint: _Endpoint) -> None:
        import uvicorn

        from .protocol import build_app

        self.config, self.socket, self.endpoint = config, sock, endpoint
        self._running, self._stopped = threading.Event(), threading.Event()

        @contextlib.asynccontextmanager
        async def lifespan(app: Any) -> AsyncIterator[None]:
            task = asyncio.get_running_loop().create_task(endpoint.watch()) if config.watch > 0 else None
            try:
                yield
            finally:
                if task is not None:
                    task.cancel()

        app = build_app(endpoint.execute, config, allowed_hosts(config))
        app.router.lifespan_context = lifespan
        self._server = uvicorn.Server(uvicorn.Config(
            app, http=_protocol_class(config.idle_timeout), lifespan="on", backlog=config.backlog,
            timeout_keep_alive=int(max(1, config.idle_timeout)), limit_concurrency=config.max_connections,
            log_level="warning", access_log=False, server_header=False, timeout_graceful_shutdown=5,
            h11_max_incomplete_event_size=16 * 1024))

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{ENDPOINT}"

    def serve_forever(self) -> None:
        self._running.set()
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._server.should_exit = True

    def server_close(self) -> None:
        """Stop the workers and drop the snapshots (after serve_forever has returned, if it ran)."""
        if self._running.is_set():
            self._stopped.wait(timeout=30)
        self.socket.close()
        self.endpoint.close()


def make_server(config: ServeConfig) -> SparqlServer:
    """Bind the socket (a busy port is an OSError naming host:port), snapshot the store, start the workers.

    Port 0 picks a free port (see ``url``).
    """
    if config.timeout <= 0 or config.limit <= 0 or config.workers <= 0:
        raise UsageError("--timeout, --limit and --workers must be positive")
    if config.memory_mib < 0:
        raise UsageError("--memory must be 0 (no cap) or a number of MiB")
    sock = _bind(config.host, config.port, config.backlog)
    try:
        endpoint = _Endpoint(config)
    except BaseException:
        sock.close()
        raise
    return SparqlServer(config, sock, endpoint)


def serve(config: ServeConfig, *, on_ready: Callable[[SparqlServer], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM), then stop the workers."""
    server = make_server(config)
    if on_ready is not None:
        on_ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # uvicorn re-raises the SIGINT it handled once it has stopped
        pass
    finally:
        server.server_close()

