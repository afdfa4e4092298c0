"""Quotation marks: where someone's own words are, as character spans of the article."""

from __future__ import annotations

import re

#: Text between a pair of quotation marks, straight or curly, at least two characters long.
QUOTED = re.compile(r"[“\"]([^“”\"]{2,}?)[”\"]", re.S)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside quotation marks."""
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(text)]
