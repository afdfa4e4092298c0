"""Relations between actors and agreements, each with its evidence: the extractors, deduplicated.

Each construction is its own module in graph/nlp/extractors/ (listed in order in
``extractors.EXTRACTORS``); confidences are in graph/nlp/confidence.py. What someone only *said*
happened (the complement of "said", "claimed", "according to") is kept with modality "reported" and its
reporter (``Relation.reported_by``, ``ng:reportedBy``): "The ministry said A and B had agreed to a truce"
is exported, as news reports most agreements that way; a stance said inside quotation marks stays below
the default export threshold, so a quote never becomes a fact by itself (extractors.grammar.report_confidence).
"""

from __future__ import annotations

from ..records import Relation
from .document import DocIndex
from .extractors import run_extractors
from .extractors.arguments import subjects

__all__ = ["extract_relations", "subjects"]


def extract_relations(ix: DocIndex) -> list[Relation]:
    """All relations of one article, deduplicated on (subject, predicate, object, sentence)."""
    best: dict[tuple, Relation] = {}
    for r in run_extractors(ix):
        if r.subject == r.object:
            continue
        k = (r.subject, r.predicate, r.object, r.provenance.start)
        if k not in best or r.provenance.confidence > best[k].provenance.confidence:
            best[k] = r
    return list(best.values())
