"""Typed records that flow one way through the pipeline.

Every stage takes records and returns records; nothing here touches the disk. The records
are frozen so a later stage cannot quietly change what an earlier one produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Actor classes the graph knows; mentions of other NER labels are not actors.
ENTITY_TYPES = ("Person", "Organization", "Country", "Place")

#: Relation local names shared with the ontology and the scorer.
RELATION_TYPES = (
    "agreedTo",
    "proposed",
    "rejected",
    "negotiated",
    "signed",
    "spokeWith",
    "metWith",
    "participatesIn",
    "attacked",
    "supports",
    "opposes",
    "locatedIn",
    "memberOf",
)

#: Relations that hold both ways; stored once, in sorted key order.
SYMMETRIC = frozenset({"spokeWith", "metWith"})


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from disk.

    ``id`` is derived from the text alone, so the same article read from two paths or on two
    machines gets the same id (and the same IRIs downstream).
    """

    id: str
    text: str
    path: str = ""
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact comes from: the sentence, its character span in the article, how sure we are."""

    article: str  # Article.id
    sentence: str
    start: int  # character offset of the sentence in Article.text
    end: int
    confidence: float
    resolved: bool = False  # True when the fact rests on a coreference-resolved mention


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text naming an actor, with its type and any role words found beside it."""

    text: str  # the cleaned name (titles stripped)
    type: str  # one of ENTITY_TYPES
    start: int  # character offsets of the cleaned name in the article
    end: int
    sent: int  # sentence index in the document
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved actor: one node per real-world person, organization, country or place."""

    key: str  # stable key, e.g. "person/volodymyr-zelenskyy"
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    code: str | None = None  # ISO 3166 alpha-2 for countries


@dataclass(frozen=True, slots=True)
class Agreement:
    """An agreement or event (ceasefire, deal, exchange, meeting ...) as a node of its own."""

    key: str
    type: str  # ontology class local name: Ceasefire, Deal, Exchange, Meeting, ...
    label: str
    aliases: tuple[str, ...] = ()
    status: str | None = None  # proposed / agreed / rejected / signed / in force / hoped for
    scope: str | None = None
    duration: str | None = None
    place: str | None = None  # entity key
    date: str | None = None  # ISO date
    articles: tuple[str, ...] = ()
    provenance: Provenance | None = None  # first mention


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed edge between two node keys, backed by the sentence it came from."""

    subject: str
    predicate: str  # one of RELATION_TYPES
    object: str
    provenance: Provenance
    modality: str = "asserted"  # asserted / future / hypothetical / reported
    date: str | None = None
    #: Who the narrator says reported it ("The ministry said A and B had agreed"): actor keys, sorted.
    reported_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Statement:
    """A quote or an indirect claim, with its speakers; never turned into a fact by itself."""

    key: str
    speakers: tuple[str, ...]  # entity keys
    text: str
    cue: str  # the verb that introduces it: said, claimed, warned ...
    kind: str  # "quote" or "claim"
    provenance: Provenance


@dataclass(slots=True)
class Extraction:
    """What the extractors found in one article, before the model merges articles."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
