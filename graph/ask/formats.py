"""Which result format an HTTP client gets: the Accept header, or the names clients put in ``format=``.

Light on purpose (no pyoxigraph): the worker processes and the HTTP side both use it. Clients name
formats in many ways: SPARQLWrapper sends ``format=xml`` (and ``output=xml``) with its default settings,
``json-ld``, ``rdf+xml`` or ``n3`` for CONSTRUCT; YASGUI and curl users send media types. A name means the
natural format of the result kind: ``xml`` is SPARQL XML for a SELECT and RDF/XML for a CONSTRUCT, ``json``
SPARQL JSON or JSON-LD; ``n3`` is answered with Turtle (every Turtle document is N3).
"""

from __future__ import annotations

__all__ = ["FORMAT_NAMES", "SOLUTION_TYPES", "TRIPLE_TYPES", "negotiate", "offered"]

#: Accepted media types by result kind, the first one the default.
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/xml": "xml",
}
TRIPLE_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
}
#: ``format=`` / ``output=`` names by result kind.
FORMAT_NAMES = {
    "solutions": {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"},
    "triples": {"turtle": "turtle", "ttl": "turtle", "n3": "turtle", "ntriples": "ntriples", "nt": "ntriples",
                "n-triples": "ntriples", "json-ld": "jsonld", "jsonld": "jsonld", "json": "jsonld",
                "rdf+xml": "rdfxml", "rdfxml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml"},
}


def offered(kind: str) -> str:
    """The media types a result kind is offered in, for a 406 message."""
    return ", ".join(dict.fromkeys(SOLUTION_TYPES if kind == "solutions" else TRIPLE_TYPES))


def negotiate(accept: str | None, kind: str, fmt: str | None = None) -> str | None:
    """The result format name for a result kind ("solutions" or "triples"), or None (406 Not Acceptable).

    An explicit ``fmt`` (a name as above, or a media type) wins; otherwise the Accept header, q-values
    honoured, ties in the client's order; no Accept (or ``*/*``) gives the kind's default.
    """
    table = SOLUTION_TYPES if kind == "solutions" else TRIPLE_TYPES
    if fmt and fmt.strip():
        f = fmt.strip().lower()
        return FORMAT_NAMES[kind].get(f) or table.get(f.split(";")[0].strip())
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
