"""The SPARQL 1.1 Protocol over HTTP, as a Starlette app: requests in, query messages to the workers out.

``GET /sparql?query=...``, ``POST /sparql`` as ``application/x-www-form-urlencoded`` (``query=...``) or
``application/sparql-query`` (UTF-8 only: another charset is 415); ``default-graph-uri`` and
``named-graph-uri`` (repeatable) replace the dataset, as the protocol says (either one given, the dataset
is exactly what they name). ``GET /sparql`` without a query is the SPARQL Service Description. Updates
(``update=``, ``application/sparql-update``) get 403 and PUT/DELETE/PATCH 405: the endpoint is read-only.

Before anything else the Host header is checked (DNS rebinding: a page on ``evil.example`` resolving to
127.0.0.1 would otherwise reach the endpoint with the user's browser): a name that is not the bound
address, loopback when bound there, or one of ``--host`` / ``--allowed-host`` gets 421. Bodies are read
with a size limit (413 as soon as Content-Length or the chunks pass it) and a time limit (408); both
close the connection so no unread byte is taken for a next request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from .formats import negotiate
from .workers import Reply, text_reply

__all__ = ["ENDPOINT", "HostCheck", "build_app"]

ENDPOINT = "/sparql"
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"
_SD = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
  sd:endpoint <{url}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV, fmt:SPARQL_Results_TSV,
    fmt:Turtle, fmt:N-Triples, fmt:JSON-LD, fmt:RDF_XML ;{features}
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


class _Refused(Exception):
    """A request answered without a query: (status, message, extra headers)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class HostCheck:
    """ASGI middleware: 421 for a Host header naming no allowed host (a port in it is not compared), and 400
    for a request framed both by Content-Length and Transfer-Encoding (RFC 9112 6.1: a proxy in front may
    have read it the other way, so answering it could answer a smuggled request)."""

    def __init__(self, app: Any, allowed: set[str]) -> None:
        self.app, self.allowed = app, {h.lower().strip("[]").rstrip(".") for h in allowed}

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            names = [k for k, _ in scope["headers"]]
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
            if host is not None and _hostname(host) not in self.allowed:
                await _plain(send, 421, f"misdirected request: this endpoint does not answer for the host "
                                        f"{host[:100]!r} (serve it under that name with --allowed-host)")
                return
            if b"transfer-encoding" in names and b"content-length" in names:
                await _plain(send, 400, "a request may not have both Content-Length and Transfer-Encoding")
                return
        await self.app(scope, receive, send)


async def _plain(send: Callable, status: int, message: str) -> None:
    body = (message + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") == 1 else host.rstrip(".")


async def _read_body(request: Request, max_body: int, timeout: float) -> bytes:
    """The request body, at most ``max_body`` bytes, within ``timeout`` seconds (chunked or not)."""
    close = {"Connection": "close"}
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_body:
        raise _Refused(413, f"the request body is {int(length):,} bytes; the limit is {max_body:,}", close)

    async def read() -> bytes:
        parts, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise _Refused(413, f"the request body is over the limit of {max_body:,} bytes", close)
            parts.append(chunk)
        return b"".join(parts)

    try:
        return await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise _Refused(408, f"the request body did not arrive within {timeout:g} s", close) from None
    except ClientDisconnect:
        raise _Refused(400, "the client went away", close) from None


def _one(items: list[tuple[str, str]], key: str, what: str) -> str | None:
    values = [v for k, v in items if k == key]
    if len(values) > 1:
        raise _Refused(400, f"give one {key} {what}, not {len(values)}")
    return values[0] if values else None


async def _query_message(request: Request, cfg: Any) -> dict[str, Any] | None:
    """The worker message of a query request; None for GET/HEAD without a query (the service description)."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method in ("GET", "HEAD"):
        items = params
        if any(k == "update" for k, _ in items):
            raise _Refused(403, _READ_ONLY + " (and an update is never sent with GET)")
    else:
        media, _, rest = (request.headers.get("content-type") or "").partition(";")
        media = media.strip().lower()
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in rest.split(";")
                        if p.strip().lower().startswith("charset=")), "utf-8")
        body = await _read_body(request, cfg.max_body, cfg.body_timeout)
        if media == "application/sparql-update":
            raise _Refused(403, _READ_ONLY)
        if charset not in ("utf-8", "utf8"):
            raise _Refused(415, f"send the query as UTF-8, not {charset}")
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise _Refused(400, "the form is not UTF-8") from None
            if any(k == "update" for k, _ in form):
                raise _Refused(403, _READ_ONLY)
            items = params + form
            if _one(form, "query", "field") is None:
                raise _Refused(400, "missing the query field in the form")
        elif media == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise _Refused(400, "the query is not UTF-8") from None
            if any(k == "query" for k, _ in params):
                raise _Refused(400, "give the query either in the body or as the query parameter, not both")
            items = [*params, ("query", text)]
        else:
            raise _Refused(415, "send the query as application/sparql-query or application/x-www-form-urlencoded"
                           f"{f', not {media}' if media else ''}")
    query = _one(items, "query", "parameter")
    if query is None:
        return None
    if not query.strip():
        raise _Refused(400, "the query is empty")
    if len(query) > cfg.max_query:
        raise _Refused(413, f"the query is {len(query):,} characters; the limit is {cfg.max_query:,}")
    return {"query": query, "accept": request.headers.get("accept"),
            "format": next((v for k, v in items if k in ("format", "output") and v.strip()), None),
            "limit": cfg.limit, "base": _endpoint_url(request),
            "default_graphs": [v for k, v in items if k == "default-graph-uri"],
            "named_graphs": [v for k, v in items if k == "named-graph-uri"]}


def _response(reply: Reply, head: bool = False) -> Response:
    status, ctype, body, headers = reply
    r = Response(b"" if head else body, status_code=status, media_type=None, headers=headers)
    r.headers["content-type"] = ctype
    if head:
        r.headers["content-length"] = str(len(body))
    return r


def _endpoint_url(request: Request) -> str:
    url = str(request.url.replace(query=""))
    return url[:-1] if url.endswith("?") else url


def _service_description(request: Request, cfg: Any) -> Reply:
    url = _endpoint_url(request)
    features = "\n  sd:feature sd:BasicFederatedQuery ;" if cfg.allow_service else ""
    turtle = _SD.format(url=url.replace(">", "%3E"), features=features)
    name = negotiate(request.headers.get("accept"), "triples") or "turtle"
    if name == "turtle":
        return 200, "text/turtle; charset=utf-8", turtle.encode(), {}
    import pyoxigraph as ox

    from .sparql import FORMATS

    fmt = FORMATS[name][1]
    data = ox.serialize(ox.parse(turtle, ox.RdfFormat.TURTLE), format=fmt)  # type: ignore[arg-type]
    return 200, fmt.media_type, data or b"", {}  # type: ignore[union-attr]


def build_app(execute: Callable[[dict[str, Any]], Awaitable[Reply]], cfg: Any, allowed_hosts: set[str]) -> Any:
    """The ASGI app: ``execute`` runs a query message (the server's current pool); ``cfg`` is a ServeConfig."""

    async def sparql(request: Request) -> Response:
        head = request.method == "HEAD"
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, POST, HEAD, OPTIONS"})
        if request.method not in ("GET", "HEAD", "POST"):
            return _response(text_reply(405, f"this endpoint is read-only: the graph cannot be changed over HTTP "
                                        f"(queries: {ENDPOINT})", {"Allow": "GET, POST, HEAD, OPTIONS",
                                                                   "Connection": "close"}))
        try:
            msg = await _query_message(request, cfg)
        except _Refused as r:
            return _response(text_reply(r.status, r.message, r.headers), head)
        if msg is None:
            return _response(_service_description(request, cfg), head)
        return _response(await execute(msg), head)

    async def home(request: Request) -> Response:
        return _response(text_reply(200, (
            f"newsgraph SPARQL endpoint (read-only) over {cfg.out.name}\n\n"
            f"  GET  {ENDPOINT}?query=SELECT ...\n"
            f"  POST {ENDPOINT}   application/sparql-query, or a form with query=...\n"
            f"  GET  {ENDPOINT}   the service description\n\n"
            "Results: SPARQL JSON/XML/CSV/TSV or Turtle/N-Triples/JSON-LD/RDF-XML, by Accept or format=.\n"
            f"Limits: {cfg.limit:,} rows, {cfg.timeout:g} s per query, {cfg.max_query:,} characters per query.")),
            request.method == "HEAD")

    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = [Route(ENDPOINT, sparql, methods=methods), Route(ENDPOINT + "/", sparql, methods=methods),
              Route("/", home, methods=["GET", "HEAD"])]
    middleware = [Middleware(HostCheck, allowed=allowed_hosts)]  # type: ignore[arg-type]
    if cfg.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cfg.cors),  # type: ignore[arg-type]
                                     allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                                     allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["X-Result-Truncated", "X-Store-Version"], max_age=600))
    return Starlette(routes=routes, middleware=middleware)
