"""Query worker processes: each holds one store version open and answers one query at a time.

Why processes: pyoxigraph has no time-out or cancel for a query and a thread cannot be killed, so a query
runs in a worker *process*; one that overruns is killed (SIGKILL) and replaced, and the client gets 504.
Each worker has an address-space cap (RLIMIT_AS, ``memory`` MiB): a query that needs more fails its
allocation, the worker dies (or answers 503 when Python saw a MemoryError) and is replaced, and the
server and the other workers go on. Workers are plain ``python -m graph.ask.workers`` subprocesses (spawn
would re-import the caller's ``__main__``, fork would copy the server's threads) in a session of their
own, so Ctrl-C in the terminal reaches only the server, which stops them; they also die with it
(PR_SET_PDEATHSIG) and when their pipe closes.

A pool serves one store version (a snapshot, see graph.ask.versions): a replacement worker opens the same
snapshot, so every answer of a pool comes from the same data.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

__all__ = ["Reply", "WorkerPool", "WorkerSettings", "text_reply"]

#: (status, content type, body, extra headers)
Reply = tuple[int, str, bytes, dict[str, str]]


@dataclass(frozen=True)
class WorkerSettings:
    """What every worker of a pool is started with."""

    size: int = 2
    memory_mib: int = 2048  # RLIMIT_AS of each worker; 0 = no cap
    allow_service: bool = False
    max_query: int = 100_000
    start_timeout: float = 120.0


def text_reply(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    """A plain-text answer (errors, refusals)."""
    return status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), dict(headers or {})


# --- inside the worker --------------------------------------------------------------------------------


def _limit_self(memory_mib: int) -> None:
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # die with the server even if it is killed (Linux)
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if memory_mib > 0:
        cap = memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _open(snapshot: Path) -> Any:
    import pyoxigraph as ox

    from .sparql import _load_file

    if snapshot.is_file():
        return _load_file(snapshot)
    return ox.Store.read_only(str(snapshot))


def _worker_main(snapshot: str, rfd: int, wfd: int, memory_mib: int, allow_service: bool, max_query: int) -> None:
    """Open the snapshot and answer query messages until told to stop (None) or the pipe closes."""
    inbox, outbox = Connection(rfd, writable=False), Connection(wfd, readable=False)
    _limit_self(memory_mib)
    try:
        from .sparql import dataset_options

        store = _open(Path(snapshot))
        default = dataset_options(store)
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
        try:
            reply = _answer(store, msg, default, allow_service, max_query)
        except MemoryError:
            reply = text_reply(503, f"the query needed more than this worker's {memory_mib} MiB and was stopped")
        outbox.send(reply)


def _dataset(msg: dict[str, Any], default: dict[str, object]) -> dict[str, object]:
    """Store.query keywords for the protocol's default-graph-uri / named-graph-uri (either replaces the dataset)."""
    import pyoxigraph as ox

    dg, ng = msg.get("default_graphs"), msg.get("named_graphs")
    if not dg and not ng:
        return default
    return {"default_graph": [ox.NamedNode(g) for g in dg or []], "named_graphs": [ox.NamedNode(g) for g in ng or []]}


def _answer(store: Any, msg: dict[str, Any], default: dict[str, object], allow_service: bool,
            max_query: int) -> Reply:
    """The reply for one query message; never raises but MemoryError."""
    import pyoxigraph as ox

    from ..errors import UsageError
    from .formats import negotiate, offered
    from .sparql import UPDATE_VERBS, query_kind, run_query, serialize_result

    sparql = msg["query"]
    if query_kind(sparql) in UPDATE_VERBS:
        return text_reply(403, "this endpoint is read-only: SPARQL updates are refused")
    try:
        result = run_query(store, sparql, dataset=_dataset(msg, default), allow_service=allow_service,
                           max_chars=max_query, base_iri=msg.get("base"))
        kind = "triples" if isinstance(result, ox.QueryTriples) else "solutions"
        name = negotiate(msg.get("accept"), kind, msg.get("format"))
        if name is None:
            asked = msg.get("format") or msg.get("accept")
            return text_reply(406, f"cannot give these results as {asked!r}; offered: {offered(kind)}")
        out = serialize_result(result, name, limit=msg["limit"])
    except UsageError as exc:
        return text_reply(400, str(exc))
    except (SyntaxError, ValueError) as exc:  # e.g. a malformed IRI in the dataset, a bad literal met late
        return text_reply(400, f"SPARQL error: {exc}")
    except MemoryError:
        raise
    except Exception as exc:  # an evaluation error must not kill the worker
        return text_reply(500, f"query failed: {type(exc).__name__}: {exc}")
    headers = {"X-Result-Truncated": str(msg["limit"])} if out.truncated else {}
    media = out.media_type if "charset" in out.media_type or "json" in out.media_type \
        else out.media_type + "; charset=utf-8"
    return 200, media, out.data, headers


# --- in the server ------------------------------------------------------------------------------------


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, snapshot: Path, settings: WorkerSettings) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ, MALLOC_ARENA_MAX="2", RUST_BACKTRACE="0")  # few arenas: the cap goes to data
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "graph.ask.workers", str(snapshot), str(to_child_r), str(from_child_w),
                 str(settings.memory_mib), "1" if settings.allow_service else "0", str(settings.max_query)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                start_new_session=True, env=env)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self.outbox = Connection(to_child_w, readable=False)
        self.inbox = Connection(from_child_r, writable=False)

    def wait_ready(self, timeout: float) -> None:
        if not self.inbox.poll(timeout):
            self.kill()
            raise RuntimeError(f"a query worker did not start within {timeout:.0f} s")
        try:
            status, detail = self.inbox.recv()
        except (EOFError, OSError):
            status, detail = "failed", f"it exited with code {self.proc.wait()}"
        if status != "ready":
            self.kill()
            raise RuntimeError(f"a query worker could not open the store: {detail}")

    async def readable(self, timeout: float) -> bool:
        """Whether the worker answered (or died) within ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.inbox.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
        try:
            await asyncio.wait_for(ready, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(fd)

    def death(self) -> str:
        """Why the worker ended, for the client."""
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "its pipe broke"
        if code < 0:
            return f"it was ended by signal {signal.Signals(-code).name}"
        return f"it exited with code {code}"

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
    """``settings.size`` workers over one snapshot; a worker that overruns or dies is killed and replaced.

    Created (blocking, in a thread if need be) before use; :meth:`execute` runs in the server's event loop.
    """

    def __init__(self, snapshot: Path, settings: WorkerSettings, version: str = "") -> None:
        self.snapshot, self.settings, self.version = Path(snapshot), settings, version
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closed = False
        self._tasks: set[asyncio.Task] = set()  # replacements under way (a reference keeps them alive)
        self.busy = 0
        workers = [self._spawn() for _ in range(max(1, settings.size))]
        try:
            for w in workers:
                w.wait_ready(settings.start_timeout)
                self._idle.put_nowait(w)
        except Exception:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        w = _Worker(self.snapshot, self.settings)
        self._all.add(w)
        return w

    async def _replace(self, dead: _Worker) -> None:
        await asyncio.to_thread(dead.kill)
        self._all.discard(dead)
        if self._closed:
            return
        try:
            w = self._spawn()
            await asyncio.to_thread(w.wait_ready, self.settings.start_timeout)
        except Exception as exc:
            print(f"newsgraph serve: could not restart a query worker: {exc}", file=sys.stderr)
            return
        if self._closed:
            w.kill()
        else:
            self._idle.put_nowait(w)

    async def execute(self, msg: dict[str, Any], timeout: float) -> Reply:
        """Run one query message in an idle worker; 503 when none is free in time or it died, 504 on time-out.

        ``busy`` counts the queries waiting for a worker too, so a retiring pool is closed only after them.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self.busy += 1
        try:
            try:
                w = await asyncio.wait_for(self._idle.get(), timeout)
            except TimeoutError:
                return text_reply(503, f"all query workers are busy; try again (waited {timeout:g} s)",
                                  {"Retry-After": "1"})
            try:
                w.outbox.send(msg)
                if await w.readable(max(0.0, deadline - loop.time())):
                    reply = await asyncio.to_thread(w.inbox.recv)
                    self._idle.put_nowait(w)
                    return reply
                status, message = 504, f"the query did not finish within {timeout:g} s and was stopped"
            except (EOFError, OSError):
                cap = self.settings.memory_mib
                status, message = 503, (f"the query was stopped: its worker ended ({w.death()}), most likely on "
                                        f"reaching its {cap} MiB memory cap; the server goes on" if cap else
                                        f"the query was stopped: its worker ended ({w.death()})")
        finally:
            self.busy -= 1
        task = loop.create_task(self._replace(w))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return text_reply(status, message)

    def close(self) -> None:
        """Stop every worker (blocking)."""
        self._closed = True
        workers = list(self._all)
        self._all.clear()
        for w in workers:
            try:
                w.outbox.send(None)
            except (OSError, ValueError):
                pass
            w.kill()


if __name__ == "__main__":  # python -m graph.ask.workers SNAPSHOT READ_FD WRITE_FD MEMORY_MIB SERVICE MAX_QUERY
    if len(sys.argv) == 7:
        _worker_main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1",
                     int(sys.argv[6]))
    else:
        sys.exit("usage: newsgraph serve OUT (this module runs its query workers)")
