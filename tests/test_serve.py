"""The SPARQL endpoint, over real HTTP on a free loopback port: protocol, formats, read-only, limits."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib

from graph.ask.formats import negotiate
from graph.ask.serve import ServeConfig, SparqlServer, make_server
from graph.vocab import DEFAULT_BASE
from tests.test_query import IVAN, S7, write_output

TIMEOUT = 3.0
LIMIT = 5
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
IVAN_IRI = DEFAULT_BASE + IVAN
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    out = write_output(tmp_path_factory.mktemp("served"))
    config = ServeConfig(out=out, port=0, timeout=TIMEOUT, limit=LIMIT, cors=("*",), workers=2, max_body=200_000,
                         max_query=10_000, quiet=True)
    srv = make_server(config)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


def request(srv: SparqlServer, method: str = "GET", query: str | None = None, *, accept: str | None = None,
            body: bytes | None = None, ctype: str | None = None) -> tuple[int, Any, bytes]:
    url = srv.url + ("?" + urllib.parse.urlencode({"query": query}) if query is not None else "")
    req = urllib.request.Request(url, data=body, method=method)
    if accept:
        req.add_header("Accept", accept)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def count(srv: SparqlServer) -> int:
    status, _, body = request(srv, query=COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("fmt", ["default", "json", "xml", "n3", "turtle", "json-ld", "rdf+xml"])
def test_sparqlwrapper(server: SparqlServer, fmt: str) -> None:
    """SPARQLWrapper as people use it: every query form, its own default settings and its format names."""
    sw = pytest.importorskip("SPARQLWrapper")
    client = sw.SPARQLWrapper(server.url)
    if fmt != "default":
        client.setReturnFormat(fmt)
    ng = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
    if fmt in ("default", "json", "xml"):
        client.setQuery(ng + "SELECT ?s ?o WHERE { ?s ng:signed ?o }")
        res = client.query()
        data = res.convert()
        if fmt == "json":
            [row] = data["results"]["bindings"]
            assert row["s"]["value"].endswith(IVAN)
        else:  # a DOM of SPARQL XML
            uris = [u.firstChild.data for u in data.getElementsByTagName("uri")]
            assert any(u.endswith(IVAN) for u in uris)
        client.setQuery(ng + "ASK { ?s ng:metWith ?o }")
        answer = client.queryAndConvert()
        if fmt == "json":
            assert answer["boolean"] is True
        else:
            assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    for q in (ng + "CONSTRUCT { ?s ng:signed ?o } WHERE { ?s ng:signed ?o }", f"DESCRIBE <{IVAN_IRI}>"):
        client.setQuery(q)
        res = client.query()
        assert res.response.status == 200
        data = res.convert()
        g = data if isinstance(data, rdflib.Graph) else rdflib.Graph().parse(
            data=data.decode() if isinstance(data, bytes) else data,
            format="json-ld" if fmt in ("json", "json-ld") else "turtle")
        assert any(str(s).endswith(IVAN) for s in g.subjects()), (fmt, q)


def test_format_names(server: SparqlServer) -> None:
    construct = "CONSTRUCT { ?s ng:signed ?o } WHERE { ?s ng:signed ?o }"
    select = "SELECT ?o WHERE { ?s ng:signed ?o }"
    expect = {(construct, "json-ld"): "application/ld+json", (construct, "rdf+xml"): "application/rdf+xml",
              (construct, "xml"): "application/rdf+xml", (construct, "n3"): "text/turtle",
              (construct, "turtle"): "text/turtle", (construct, "json"): "application/ld+json",
              (select, "json"): "application/sparql-results+json", (select, "xml"): "application/sparql-results+xml",
              (select, "csv"): "text/csv", (select, "tsv"): "text/tab-separated-values"}
    for (q, name), media in expect.items():
        for key in ("format", "output"):
            url = server.url + "?" + urllib.parse.urlencode({"query": q, key: name})
            with urllib.request.urlopen(url, timeout=30) as resp:
                assert resp.headers["Content-Type"].split(";")[0] == media, (name, key)
                body = resp.read()
            if media == "application/rdf+xml":
                assert len(rdflib.Graph().parse(data=body, format="xml")) == 1
    url = server.url + "?" + urllib.parse.urlencode({"query": construct, "format": "csv"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 406


def test_service_description(server: SparqlServer) -> None:
    status, headers, body = request(server)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body.decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    [service] = list(g.subjects(rdflib.RDF.type, sd.Service))
    assert str(g.value(service, sd.endpoint)) == server.url
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.feature, sd.BasicFederatedQuery) not in g
    status, headers, body = request(server, accept="application/rdf+xml")
    assert headers["Content-Type"].startswith("application/rdf+xml")
    assert len(rdflib.Graph().parse(data=body, format="xml")) == len(g)


def test_dataset_parameters(server: SparqlServer) -> None:
    """default-graph-uri / named-graph-uri replace the dataset (here: the graph.ttl's default graph only)."""
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = server.url + "?" + urllib.parse.urlencode([("query", q), ("default-graph-uri", "http://nowhere.example/g")])
    with urllib.request.urlopen(url, timeout=30) as resp:
        assert json.loads(resp.read())["results"]["bindings"][0]["n"]["value"] == "0"
    assert count(server) > 0


def test_negotiated_formats(server: SparqlServer) -> None:
    q = "SELECT ?sentence WHERE { ?ev rdf:predicate ng:signed ; ng:sentence ?sentence }"
    status, headers, body = request(server, query=q)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["sentence"]["value"] == S7
    status, headers, body = request(server, query=q, accept="application/sparql-results+xml")
    assert status == 200 and "xml" in headers["Content-Type"] and S7.encode() in body and b"<sparql" in body
    status, headers, body = request(server, query=q, accept="text/csv")
    assert headers["Content-Type"].startswith("text/csv") and body.decode().splitlines() == ["sentence", S7]
    status, headers, body = request(server, query=q, accept="text/tab-separated-values;q=0.9, text/csv;q=0.1")
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?sentence"
    construct = "CONSTRUCT { ?s ng:signed ?o } WHERE { ?s ng:signed ?o }"
    status, headers, body = request(server, query=construct, accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert len(g) == 1
    status, headers, body = request(server, query=construct, accept="application/n-triples")
    assert status == 200 and body.count(b" .\n") == 1
    status, _, body = request(server, query=construct, accept="application/sparql-results+json")
    assert status == 406 and b"offered" in body


def test_post_forms(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": "ASK { ?s ng:signed ?o }"}).encode()
    status, _, body = request(server, "POST", body=form, ctype="application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = request(server, "POST", body=b"ASK { ?s ng:attacked ?o }", ctype="application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is False
    status, _, _ = request(server, "POST", body=b"ASK {}", ctype="text/plain")
    assert status == 415


def test_updates_are_refused_and_nothing_changes(server: SparqlServer) -> None:
    before = count(server)
    ttl = server.config.out / "graph.ttl"
    ttl_bytes = ttl.read_bytes()
    insert = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    status, _, body = request(server, "POST", body=insert.encode(), ctype="application/sparql-update")
    assert status == 403 and b"read-only" in body
    status, _, _ = request(server, "POST", body=urllib.parse.urlencode({"update": insert}).encode(),
                           ctype="application/x-www-form-urlencoded")
    assert status == 403
    status, _, _ = request(server, query="DELETE WHERE { ?s ?p ?o }")
    assert status == 403
    status, _, _ = request(server, "POST", body=b"DROP ALL", ctype="application/sparql-query")
    assert status == 403
    status, headers, _ = request(server, "PUT", body=b"<http://e/a> <http://e/b> <http://e/c> .", ctype="text/turtle")
    assert status == 405 and "GET" in headers["Allow"]
    status, _, _ = request(server, "DELETE")
    assert status == 405
    assert count(server) == before
    assert ttl.read_bytes() == ttl_bytes


def test_bad_queries(server: SparqlServer) -> None:
    status, _, body = request(server, query="SELECT ?s WHERE {\n ?s ?p }")
    assert status == 400 and b"line 2, column" in body
    status, _, _ = request(server, query="   ")
    assert status == 400


def test_size_limits(server: SparqlServer) -> None:
    conn = http.client.HTTPConnection(*server.socket.getsockname()[:2], timeout=30)
    try:  # announce a body over the limit: refused before it is read
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Content-Length", str(server.config.max_body + 1))
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status == 413 and b"limit" in resp.read()
    finally:
        conn.close()
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * server.config.max_query
    status, _, body = request(server, "POST", body=long_query.encode(), ctype="application/sparql-query")
    assert status == 413 and b"characters" in body


def test_result_limit(server: SparqlServer) -> None:
    status, headers, body = request(server, query="SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-Result-Truncated"] == str(LIMIT)
    assert len(json.loads(body)["results"]["bindings"]) == LIMIT
    status, headers, _ = request(server, query="SELECT ?o WHERE { ?s ng:signed ?o }")
    assert "X-Result-Truncated" not in headers


def test_cors_and_help(server: SparqlServer) -> None:
    req = urllib.request.Request(server.url, method="OPTIONS", headers={
        "Origin": "https://any.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Access-Control-Allow-Origin"] == "*" and "POST" in resp.headers[
            "Access-Control-Allow-Methods"]
    req = urllib.request.Request(server.url + "?query=ASK%7B%7D", headers={"Origin": "https://any.example"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    with urllib.request.urlopen(server.url.rsplit("/", 1)[0] + "/", timeout=10) as resp:
        assert b"read-only" in resp.read()


def test_runaway_query_is_stopped(server: SparqlServer) -> None:
    started = time.monotonic()
    status, _, body = request(server, query=RUNAWAY)
    took = time.monotonic() - started
    assert status == 504 and b"stopped" in body
    assert TIMEOUT <= took < TIMEOUT + 2.5
    # the endpoint keeps answering (the other worker, then the restarted one)
    for _ in range(3):
        assert count(server) > 0


def test_negotiate() -> None:
    assert negotiate(None, "solutions") == "json"
    assert negotiate("*/*", "triples") == "turtle"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "solutions") == "xml"
    assert negotiate("text/*", "solutions") == "csv"
    assert negotiate("application/ld+json", "triples") == "jsonld"
    assert negotiate("image/png", "solutions") is None
    assert negotiate("text/csv;q=0", "solutions") is None
    assert negotiate("image/png", "solutions", "tsv") == "tsv"
    assert negotiate(None, "triples", "text/turtle") == "turtle"


def test_config_defaults_bind_loopback(tmp_path: Path) -> None:
    cfg = ServeConfig(out=tmp_path)
    assert (cfg.host, cfg.port, cfg.timeout, cfg.limit, cfg.cors) == ("127.0.0.1", 7878, 10.0, 10_000, ())
    assert not cfg.allow_service and cfg.memory_mib > 0
