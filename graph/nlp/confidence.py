"""Every confidence the extraction rules give, and the export threshold they are measured against.

The numbers only matter relative to each other and to :data:`DEFAULT_MIN_CONFIDENCE`; the ordering the
rules rely on (asserted by tests/test_confidence.py) is

    hypothetical < quoted stance < threshold < reported stance = reported event < negated
        < nominal = attributed < location < relative = role < verb

so a hypothetical or a stance inside someone's quoted words is kept in the graph but left out of the
default export, while a stance or event the narrator sources to someone ("The ministry said A and B had
agreed to a truce", "X met Y, her office said") stays in it, marked reported, with its reporter.
A coreference-resolved endpoint multiplies a confidence by 0.8 (graph.nlp.document.DocIndex.provenance):
a resolved nominal (0.6) stays above the threshold, a resolved reported event (0.44) falls below it.
"""

from __future__ import annotations

#: Relations below this confidence are left out of an export unless asked for (``--min-confidence``).
DEFAULT_MIN_CONFIDENCE = 0.5

#: A verb frame with its arguments in place: "Arland signed the accord".
CONF_VERB = 0.9
#: A reduced relative clause read from surface order: "the deal Arland proposed".
CONF_RELATIVE = 0.85
#: A relation said with a noun: "in a call with Vell", "talks between A and B".
CONF_NOMINAL = 0.75
#: A person in an organisation from a title, apposition or "of" phrase.
CONF_ROLE = 0.85
#: A place in a place, an event in a place, an organisation based somewhere.
CONF_LOCATION = 0.8
#: Irrealis: "could sign", "hopes to agree".
CONF_HYPOTHETICAL = 0.4
#: A stance (who agreed to, rejected ... what) said inside quotation marks: the speaker's words, not a fact.
CONF_REPORTED = 0.45
#: A stance the narrator reports from someone ("The ministry said A and B had agreed to a truce"): how news
#: reports most agreements, so kept in the default export with modality "reported" and ng:reportedBy.
CONF_REPORTED_STANCE = 0.55
#: Reported events (a call, a meeting, an attack) stay in the graph: "X met Y, her office said" is how news
#: sources a plain event. Reported stances (who agreed to or rejected what) are claims and stay below it.
CONF_REPORTED_EVENT = 0.55
#: A fact with its attribution after it ("A and B agreed to a truce, officials said"), or a speaker's own stance.
CONF_ATTRIBUTED = 0.75
#: A negated acceptance read as a rejection: "did not accept the plan".
CONF_NEGATED = 0.7

#: A direct quote under its speech verb.
CONF_QUOTE = 0.9
#: A quote filling a sentence of its own, given to the previous quote's speaker.
CONF_CONTINUED = 0.75
