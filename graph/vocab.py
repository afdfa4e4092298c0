"""Namespaces and ontology terms used by the RDF mapping.

``NG`` is a closed namespace: ``NG.agreedTo`` works, ``NG.agredTo`` raises ``AttributeError``, so a
typo cannot silently mint a term the ontology (and the scorer) does not know. The term list must
match ``ontology/newsgraph.ttl``; a test checks both directions.
"""

# No ``from __future__ import annotations`` here: rdflib's DefinedNamespace reads the class annotations
# at run time (``NG.as_jsonld_context``), and string annotations would break it.

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import PROV, DefinedNamespace, Namespace

__all__ = [
    "AGREEMENT_TYPES",
    "CONTEXT_FILE",
    "DEFAULT_BASE",
    "EVENT_TYPES",
    "NG",
    "NGSH",
    "NG_URI",
    "ONTOLOGY_DIR",
    "ONTOLOGY_FILE",
    "PROV",
    "SCHEMA",
    "SHAPES_FILE",
]

NG_URI = "https://w3id.org/newsgraph/ontology#"
SCHEMA = Namespace("https://schema.org/")
NGSH = Namespace("https://w3id.org/newsgraph/shapes#")

#: Where node IRIs live unless the caller picks another base: ``DEFAULT_BASE + key``.
DEFAULT_BASE = "https://w3id.org/newsgraph/id/"

#: The ontology folder beside the package (the project is installed editable, so it is on disk).
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "newsgraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

#: Agreement classes of the ontology (``Agreement.type`` values); all are subclasses of ng:Agreement.
AGREEMENT_TYPES = ("Agreement", "Ceasefire", "Deal", "Treaty", "Exchange", "Proposal", "Acquisition")
#: Event classes of the ontology; all are subclasses of ng:Event (Summit through Meeting).
EVENT_TYPES = ("Event", "Meeting", "Talks", "Summit", "Call", "Attack")


class NG(DefinedNamespace):
    """The newsgraph ontology, closed: only the terms declared in ``ontology/newsgraph.ttl``."""

    _NS = Namespace(NG_URI)
    _fail = True

    # classes: actors
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Place: URIRef
    # classes: agreements and events
    Happening: URIRef
    Agreement: URIRef
    Ceasefire: URIRef
    Deal: URIRef
    Treaty: URIRef
    Exchange: URIRef
    Proposal: URIRef
    Acquisition: URIRef
    Event: URIRef
    Meeting: URIRef
    Talks: URIRef
    Summit: URIRef
    Call: URIRef
    Attack: URIRef
    # classes: statements and articles
    Statement: URIRef
    Claim: URIRef
    NewsArticle: URIRef
    # relations
    agreedTo: URIRef
    proposed: URIRef
    rejected: URIRef
    negotiated: URIRef
    signed: URIRef
    spokeWith: URIRef
    metWith: URIRef
    participatesIn: URIRef
    attacked: URIRef
    supports: URIRef
    opposes: URIRef
    locatedIn: URIRef
    memberOf: URIRef
    # other object properties
    said: URIRef
    claimed: URIRef
    speaker: URIRef
    mentions: URIRef
    place: URIRef
    party: URIRef
    reportedBy: URIRef
    # datatype properties
    holdsRole: URIRef
    isoCode: URIRef
    quote: URIRef
    cue: URIRef
    status: URIRef
    scope: URIRef
    duration: URIRef
    date: URIRef
    confidence: URIRef
    sentence: URIRef
    startChar: URIRef
    endChar: URIRef
    resolvedMention: URIRef
    modality: URIRef
    articleId: URIRef
    # PLOVER concept scheme and concepts
    plover: URIRef
    AGREE: URIRef
    CONSULT: URIRef
    SUPPORT: URIRef
    CONCEDE: URIRef
    COOPERATE: URIRef
    AID: URIRef
    RETREAT: URIRef
    REQUEST: URIRef
    ACCUSE: URIRef
    REJECT: URIRef
    THREATEN: URIRef
    PROTEST: URIRef
    SANCTION: URIRef
    MOBILIZE: URIRef
    COERCE: URIRef
    ASSAULT: URIRef
