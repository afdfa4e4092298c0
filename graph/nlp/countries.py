"""Country names to one display name and an ISO 3166 code, via pycountry plus common English names."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from . import lexicon as lx


@lru_cache(maxsize=4096)
def country_name(text: str) -> str | None:
    """"the U.S." -> "United States", "Ukraine" -> "Ukraine", "Kyiv" -> None."""
    key = " ".join(text.replace("’", "'").split()).lower()
    key = re.sub(r"'s$", "", key)
    if key in lx.COUNTRY_ALIASES:
        return lx.COUNTRY_ALIASES[key]
    bare = key[4:] if key.startswith("the ") else key
    if bare in lx.COUNTRY_ALIASES:
        return lx.COUNTRY_ALIASES[bare]
    if not bare or not bare[0].isalpha() or len(bare) < 4:
        return None  # two- and three-letter codes are too often something else ("IT", "CAN")
    try:
        country = pycountry.countries.lookup(bare)
    except LookupError:
        return None
    name = getattr(country, "common_name", None) or country.name
    return name.split(",")[0]


@lru_cache(maxsize=1024)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a display name returned by :func:`country_name`."""
    if name in lx.COUNTRY_CODES:
        return lx.COUNTRY_CODES[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


#: Demonyms whose country cannot be found by trimming the word.
_DEMONYMS = {
    "french": "France", "british": "United Kingdom", "english": "United Kingdom", "scottish": "United Kingdom",
    "welsh": "United Kingdom", "spanish": "Spain", "dutch": "Netherlands", "swiss": "Switzerland",
    "greek": "Greece", "turkish": "Turkey", "polish": "Poland", "danish": "Denmark", "swedish": "Sweden",
    "finnish": "Finland", "irish": "Ireland", "filipino": "Philippines", "thai": "Thailand", "czech": "Czechia",
    "slovak": "Slovakia", "emirati": "United Arab Emirates", "saudi": "Saudi Arabia", "afghan": "Afghanistan",
    "norwegian": "Norway", "belgian": "Belgium", "argentine": "Argentina", "argentinian": "Argentina",
    "peruvian": "Peru", "lebanese": "Lebanon", "portuguese": "Portugal", "american": "United States",
    "icelandic": "Iceland", "malagasy": "Madagascar", "congolese": "DR Congo", "burmese": "Myanmar",
    "kyrgyz": "Kyrgyzstan", "tajik": "Tajikistan", "uzbek": "Uzbekistan", "kazakh": "Kazakhstan",
}


@lru_cache(maxsize=1024)
def demonym_country(word: str) -> str | None:
    """"Armenian" -> "Armenia", "Ukrainian" -> "Ukraine", "French" -> "France"; None when unsure."""
    low = word.lower()
    if low in _DEMONYMS:
        return _DEMONYMS[low]
    if " " in low:  # "North Korean", "South African": the country is the last word's with the rest in front
        rest, last = low.rsplit(" ", 1)
        if not rest.replace(" ", "").isalpha():
            return None
        for stem in (last[:-1], last[:-2], last + "a", last[:-3] + "a"):
            if len(stem) >= 4 and (name := country_name(f"{rest} {stem}")):
                return name
        return None
    if not low.isalpha() or len(low) < 5:
        return None
    stems = (low[:-1], low[:-2], low[:-3], low + "a", low[:-3] + "a", low[:-3] + "e", low[:-2] + "a", low[:-2] + "o",
             low[:-3] + "y", low + "y", low[:-4])
    for stem in stems:
        if len(stem) >= 4 and (name := country_name(stem.capitalize())):
            return name
    return None


def formal_country(name: str, known: set[str] | frozenset[str] = frozenset()) -> str | None:
    """A state's formal name to its short one: "Republic of Arland" -> "Arland", "the Borvian Federation" ->
    "Borvia", "Russian Federation" -> "Russia". ``known`` holds the short names the article uses, so a
    country the lookup does not know is found too; None when the name is no such form."""
    words = name.replace("’", "'").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if len(words) < 2:
        return None
    low = [w.lower() for w in words]

    def short(text: str) -> str | None:
        return country_name(text) or (text if text in known else None)

    if "of" in low and low.index("of") >= 1 and all(w in lx.STATE_FORM_WORDS or w[:1].isupper() or w in (
            "people's", "islamic", "democratic", "federal", "socialist", "united", "arab")
            for w in low[:low.index("of")]) and low[low.index("of") - 1] in lx.STATE_FORM_WORDS:
        rest = words[low.index("of") + 1:]
        if rest and rest[0].lower() == "the":
            rest = rest[1:]
        return short(" ".join(rest)) if rest else None
    if len(words) == 2 and low[1] in lx.DEMONYM_STATE_WORDS and words[0][:1].isupper():
        found = demonym_country(words[0])
        if found:
            return found
        stem = low[0]
        for cut in (stem[:-1], stem[:-2], stem[:-3] + "a", stem[:-2] + "a"):
            hit = next((k for k in known if k.lower() == cut), None)
            if hit:
                return hit
    return None
