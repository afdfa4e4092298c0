"""Dates in the text resolved against the article's publication date ("Wednesday" -> 2025-03-19)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from spacy.tokens import Token

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR_ONLY = re.compile(r"^(in )?\d{4}$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"^(?:in )?((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?),? (\d{4})$")
_VAGUE = re.compile(r"\b(weeks?|months?|years?|decades?|days?|hours?|minutes?|time|recent|coming)\b", re.I)


@lru_cache(maxsize=4096)
def resolve_date(text: str, published: str | None, future: bool = False) -> str | None:
    """ISO date for a date phrase, or None when it is vague ("weeks") or cannot be anchored.

    A bare weekday means the latest such day on or before publication, as news style uses it (the
    next one on or after it when ``future``: "will sign on Friday"); everything else goes to dateparser
    with the publication date as the base, preferring the past (or the future).
    """
    phrase = " ".join(text.lower().replace("on ", "").split())
    base = dt.date.fromisoformat(published) if published else None
    if phrase in _WEEKDAYS or phrase.rstrip("s") in _WEEKDAYS:
        if base is None:
            return None
        day = _WEEKDAYS.index(phrase.rstrip("s") if phrase not in _WEEKDAYS else phrase)
        if future:
            return (base + dt.timedelta(days=(day - base.weekday()) % 7)).isoformat()
        back = (base.weekday() - day) % 7
        return (base - dt.timedelta(days=back)).isoformat()
    if phrase in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return base.isoformat() if base else None
    if phrase in ("yesterday", "last night"):
        return (base - dt.timedelta(days=1)).isoformat() if base else None
    if _YEAR_ONLY.match(phrase):
        return phrase[-4:]  # "in 2019" is a year, not a day of it
    if m := _MONTH_YEAR.match(phrase):
        return f"{m[2]}-{_MONTHS.index(m[1][:3]) + 1:02d}"  # "June 2021" -> 2021-06
    has_year = bool(re.search(r"\b\d{4}\b", phrase))
    if not has_year and (base is None or (_VAGUE.search(phrase) and "last" not in phrase and "ago" not in phrase)):
        return None
    if not has_year and any(w in phrase for w in ("week", "month", "year", "decade")):
        return None  # "last week" is a span, not a day (asked before dateparser, which takes milliseconds)
    import dateparser  # imported here: it costs ~0.3 s and most articles need it once or never

    settings = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "STRICT_PARSING": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed is not None else None


def _entity_text(tok: Token) -> str:
    """The text of the entity ``tok`` is in, found from its IOB tags (``doc.ents`` is rebuilt at every call)."""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    if not tok.ent_iob_ or tok.ent_iob_ == "O":
        return tok.text
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text


def date_of(tok: Token, published: str | None, *, future: bool = False) -> str | None:
    """The date a verb or event noun carries: "agreed ... Wednesday", "on Tuesday", "the March 3 summit"."""
    for child in tok.children:
        cand = None
        if child.ent_type_ == "DATE" and child.dep_ in ("npadvmod", "tmod", "compound", "nmod", "obl"):
            cand = child
        elif child.dep_ == "prep" and child.lower_ in ("on", "in"):
            cand = next((c for c in child.children if c.ent_type_ == "DATE"), None)
        if cand is not None:
            text = _entity_text(cand)
            iso = resolve_date(text, published, future)
            if iso:
                return iso
    return None
