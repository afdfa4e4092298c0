"""The W3C SPARQL 1.1 Protocol test suite (rdf-tests, sparql11/protocol) against `newsgraph serve`.

The manifest and its data files are read from ``<repo>/../shared/w3c-sparql-protocol`` (skipped when it is
not there). The store holds each ``ut:graphData`` file as the named graph its label names, as the suite
expects of the service. Every query and bad-request test must pass as written; the endpoint is read-only,
so each update test must have its update refused with a 4xx (its follow-up ASK is not run).
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET

import pytest

from tests.serve_helpers import REPO, served

SUITE = REPO.parent / "shared" / "w3c-sparql-protocol"
pytestmark = pytest.mark.skipif(not (SUITE / "manifest.ttl").is_file(), reason=f"no W3C suite at {SUITE}")

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TABULAR = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
           "text/tab-separated-values")
BOOLEAN = ("application/sparql-results+xml", "application/sparql-results+json")
RDF = ("application/rdf+xml", "text/turtle", "application/n-triples")


def _tests() -> list[dict]:
    """The manifest's tests in order: name and requests (method, path, headers, body, expectations)."""
    import rdflib
    from rdflib.collection import Collection

    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    u = rdflib.URIRef
    manifest = next(g.subjects(rdflib.RDF.type, u(MF + "Manifest")))
    tests = []
    for entry in Collection(g, g.value(manifest, u(MF + "entries"))):
        requests = []
        for r in Collection(g, g.value(g.value(entry, u(MF + "action")), u(HT + "requests"))):
            hnode = g.value(r, u(HT + "headers"))
            headers = {str(g.value(h, u(HT + "fieldName"))): str(g.value(h, u(HT + "fieldValue")))
                       for h in (Collection(g, hnode) if hnode is not None else [])}
            body = g.value(r, u(HT + "body"))
            data = None
            if body is not None:
                data = str(g.value(body, u(CNT + "chars"))).encode(str(g.value(body, u(CNT + "characterEncoding"))))
            resp = g.value(r, u(HT + "resp"))
            expected = {str(o).rsplit("#", 1)[1][10:11] for o in g.objects(resp, u(MF + "expectedStatus"))}
            boolean = g.value(resp, u(MF + "expectedBoolean"))
            fmt = g.value(resp, u(MF + "expectedFormat"))
            requests.append({"method": str(g.value(r, u(HT + "methodName"))),
                             "path": str(g.value(r, u(HT + "absolutePath"))), "headers": headers, "body": data,
                             "status": expected, "boolean": None if boolean is None else boolean.toPython(),
                             "format": None if fmt is None else str(fmt)})
        graphs = {str(g.value(d, u(RDFS + "label"))): str(g.value(d, u(UT + "graph")))
                  for d in g.objects(entry, u(UT + "graphData"))}
        tests.append({"name": str(entry).rsplit("#", 1)[1], "requests": requests, "graphs": graphs})
    return tests


TESTS = _tests() if (SUITE / "manifest.ttl").is_file() else []


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    import pyoxigraph as ox

    out = tmp_path_factory.mktemp("w3c")
    store = ox.Store(str(out / "store"))
    for i in (1, 2, 3):  # data1.nt ... as <http://kasei.us/2009/09/sparql/data/dataN.rdf>, as the tests label them
        store.bulk_load(path=str(SUITE / f"data{i}.nt"), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.NamedNode(f"http://kasei.us/2009/09/sparql/data/data{i}.rdf"))
    store.flush()
    del store
    with served(out) as s:
        yield s


def _send(s, req: dict) -> tuple[int, str, bytes]:
    path = s.path + req["path"][len("/sparql"):]  # the manifest's /sparql/ prefix, mapped onto the endpoint
    conn = http.client.HTTPConnection(s.host, s.port, timeout=30)
    try:
        conn.request(req["method"], path, body=req["body"], headers=req["headers"])
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type") or "", resp.read()
    finally:
        conn.close()


def _boolean(ctype: str, body: bytes) -> bool:
    if "json" in ctype:
        return json.loads(body)["boolean"]
    node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None
    return node.text == "true"


def _check(req: dict, status: int, ctype: str, body: bytes) -> None:
    assert str(status)[0] in req["status"], (status, body[:200])
    media = ctype.split(";")[0].strip()
    if req["format"] == "boolean":
        assert media in BOOLEAN, media
    elif req["format"] == "tabular":
        assert media in TABULAR, media
    elif req["format"] == "RDF":
        assert media in RDF, media
    if req["boolean"] is not None:
        assert _boolean(ctype, body) is req["boolean"]


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_w3c_protocol(endpoint, test: dict) -> None:
    if test["name"].startswith("update_"):  # read-only: the update must be refused, and says so
        status, _, body = _send(endpoint, test["requests"][0])
        assert 400 <= status < 500 and b"read-only" in body
        return
    for req in test["requests"]:
        _check(req, *_send(endpoint, req))


def test_suite_is_complete() -> None:
    names = [t["name"] for t in TESTS]
    assert len(names) == 34 and sum(n.startswith("bad_") for n in names) == 14
    assert sum(n.startswith("query_") for n in names) == 13
