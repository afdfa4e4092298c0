"""The confidences keep the order the rules rely on around the export threshold."""

from __future__ import annotations

from graph import builder
from graph.nlp import confidence as c

RESOLVED = 0.8  # a coreference-resolved endpoint (DocIndex.provenance)


def test_ordering() -> None:
    assert c.CONF_REPORTED_STANCE == c.CONF_REPORTED_EVENT
    ladder = [c.CONF_HYPOTHETICAL, c.CONF_REPORTED, c.DEFAULT_MIN_CONFIDENCE, c.CONF_REPORTED_EVENT,
              c.CONF_NEGATED, c.CONF_NOMINAL, c.CONF_LOCATION, c.CONF_RELATIVE, c.CONF_VERB]
    assert ladder == sorted(ladder) and len(set(ladder)) == len(ladder)
    assert c.CONF_ATTRIBUTED == c.CONF_NOMINAL and c.CONF_ROLE == c.CONF_RELATIVE


def test_threshold_cuts() -> None:
    # a hypothetical or reported stance stays out of the default export; a resolved nominal stays in
    assert c.CONF_REPORTED < c.DEFAULT_MIN_CONFIDENCE < c.CONF_NOMINAL * RESOLVED
    assert c.CONF_CONTINUED * RESOLVED > c.DEFAULT_MIN_CONFIDENCE
    assert builder.DEFAULT_MIN_CONFIDENCE == c.DEFAULT_MIN_CONFIDENCE
