"""``newsgraph serve``: the graph as a read-only SPARQL 1.1 Protocol endpoint."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import NewsgraphError, UsageError
from .common import add_command
from .common import fail as _fail


def serve(
    out: Annotated[Path, typer.Argument(help="Build output folder (out/store or out/graph.ttl) or an RDF file.")],
    host: Annotated[str, typer.Option(help="Address to listen on; keep it on loopback unless you mean it.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).", min=0, max=65535)] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before it is stopped (504).")] = 10.0,
    limit: Annotated[int, typer.Option(help="Most result rows (or triples) returned per query.")] = 10_000,
    cors: Annotated[list[str] | None, typer.Option(
        "--cors", help="Let web pages from this origin read answers (repeatable; '*' for any).")] = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Also answer requests whose Host is this name, e.g. behind a proxy (repeatable).")]
    = None,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Run SERVICE clauses (federated queries): lets callers make this machine send "
                                "requests anywhere.")] = False,
    workers: Annotated[int, typer.Option(help="Query worker processes (queries run at the same time).")] = 2,
    memory: Annotated[int, typer.Option(help="Memory cap of each worker in MiB (503 past it; 0: none).")] = 2048,
    idle_timeout: Annotated[float, typer.Option(help="Seconds a connection may stay idle or send a request "
                                                     "head before it is closed.")] = 10.0,
) -> None:
    """Serve the graph as a read-only SPARQL endpoint at http://HOST:PORT/sparql."""
    from ..ask.serve import ServeConfig
    from ..ask.serve import serve as run_serve

    err = Console(stderr=True)
    if not _is_loopback(host):
        err.print(f"[yellow]warning:[/] listening on {host}: the endpoint is reachable from other machines",
                  highlight=False)
    config = ServeConfig(out=out, host=host, port=port, timeout=timeout, limit=limit, cors=tuple(cors or ()),
                         workers=workers, allowed_hosts=tuple(allowed_host or ()), allow_service=allow_service,
                         memory_mib=memory, idle_timeout=idle_timeout, quiet=False)

    def ready(server: object) -> None:
        err.print(f"SPARQL endpoint at {server.url} (read-only; {timeout:g} s per query, {limit:,} rows); "  # type: ignore[attr-defined]
                  "Ctrl-C stops it", highlight=False)

    try:
        run_serve(config, on_ready=ready)
    except UsageError as exc:
        raise _fail(str(exc), 2) from None
    except (NewsgraphError, OSError, RuntimeError) as exc:
        raise _fail(exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc), 1) from None
    err.print("stopped", highlight=False)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``newsgraph`` app."""
    add_command(app, "serve", serve)
