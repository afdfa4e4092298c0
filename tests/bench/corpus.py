"""A synthetic news corpus for the build benchmark: recombined sentence templates, invented actors.

Every name here is made up from syllables; people recur across articles under spelling variants
("Aleksandr Kovarenko" / "Oleksandr Kovarenko"), as surname-only mentions and with titles, so the
cross-article merge has real work to do. The same ``seed`` always gives the same corpus.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

_FIRST = ("Aleksandr/Oleksandr", "Mikhail/Mykhailo", "Dmitri/Dmytro", "Yuri/Yuriy", "Sergei/Serhiy",
          "Andrei/Andriy", "Maria", "Johan", "Ingrid", "Otto", "Lena", "Tomas", "Ilse", "Rafael", "Nadia",
          "Kasimir", "Elin", "Pavel/Pavlo", "Vera", "Anton", "Greta", "Matteo", "Sofia", "Henrik", "Amara",
          "Leila", "Jonas", "Petra", "Emil", "Ruth", "Oskar", "Mirela", "Teodor", "Zofia", "Luca", "Hana")
_ONSET = ("Kov", "Lind", "Bar", "Hal", "Dra", "Mor", "Vel", "Sten", "Tor", "Gal", "Bren", "Kas", "Ost",
          "Pel", "Rud", "Sav", "Tam", "Ul", "Var", "Zel", "Fen", "Grom", "Hor", "Jar", "Lev", "Nor")
_MIDDLE = ("a", "o", "e", "i", "u", "ar", "en", "ov", "il", "an")
_CODA = ("renko/renko", "qvist/quist", "sky/skiy", "vic/vich", "berg/berg", "son/son", "mann/man",
         "ski/sky", "dorf/dorf", "ova/ova", "lenko/lenko", "nen/nen", "lund/lund", "ez/es")
_COUNTRIES = ("Veloria", "Norhaven", "Ostrelia", "Kastovia", "Lumeria", "Tarsenia", "Balvador", "Drovnia",
              "Estmark", "Galavia", "Irvania", "Moldrava", "Pallas", "Quenya", "Rostavia", "Selvania",
              "Trevania", "Uskaria", "Varnia", "Zembla")
_CITIES = ("Arlen", "Brask", "Corvo", "Dunmere", "Eskar", "Falkor", "Gresh", "Holm", "Istra", "Jorvik",
           "Kelso", "Lorne", "Marlow", "Nesk", "Orvo", "Pryor", "Quill", "Rask", "Selby", "Tarn")
_ORG_HEAD = ("Corvid", "Halvard", "Meridian", "Northstar", "Pelican", "Quarry", "Redfern", "Silvane",
             "Tamarind", "Umber", "Vantage", "Westmark", "Yarrow", "Zephyr", "Aldine", "Bramble")
_ORG_TAIL = ("Energy", "Aerospace", "Holdings", "Bank", "Institute", "Group", "Capital", "Foundation")
_ROLES = ("President", "Prime Minister", "Foreign Minister", "Defence Minister", "Trade Minister",
          "Special Envoy", "Chancellor", "Ambassador")
_TOPICS = ("grain", "energy", "gas", "minerals", "trade", "water", "fisheries", "rail", "port", "steel")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUOTES = ("We will not accept any deal that ignores our people", "This is a step toward lasting peace",
           "The talks were difficult but useful", "Our patience is not unlimited",
           "Nobody should expect miracles from one meeting", "We are ready to sign tomorrow",
           "The other side keeps moving the goalposts", "Every day without fighting saves lives")

_TEMPLATES = (
    "{role} {p1} met {role2} {p2} in {city} on {day} to discuss the {topic} deal.",
    "{c1} and {c2} agreed to a {n}-day ceasefire along their shared border.",
    "\"{quote},\" {s1} told reporters in {city}.",
    "{org} proposed a {topic} agreement with {c1} last week.",
    "{s2} rejected the proposal, saying it ignored the concerns of {c2}.",
    "Officials in {c1} said the talks in {city} would resume next month.",
    "{p1}, the {role_l} of {c1}, spoke with {p2} by phone on {day}.",
    "The {topic} deal was signed by {s1} and {s2} in {city} on {day}.",
    "{org} signed a {topic} deal with {org2} worth {n} million dollars.",
    "Analysts at {org} warned that the ceasefire could collapse within weeks.",
    "{c2} accused {c1} of violating the ceasefire near {city}.",
    "{s1} said the ceasefire was holding, although both sides reported shelling near {city}.",
    "The talks come after months of tension over {topic} supplies between {c1} and {c2}.",
    "Residents of {city} described long queues at fuel stations and shuttered shops.",
    "{p2} visited {city} on {day} and met local officials.",
    "{s2} said {c2} supports the ceasefire but wants guarantees from {org}.",
    "Markets in {c1} rose on {day} after the announcement, and the currency gained two percent.",
    "{c1} hosted a summit on {topic} security in {city} that {p1} attended.",
    "Critics in {c2} condemned the {topic} deal, calling it a giveaway to {org}.",
    "Under the plan, both sides would exchange prisoners and open a humanitarian corridor.",
)


def _variants(spec: str, rng: random.Random) -> tuple[str, str]:
    a, _, b = spec.partition("/")
    return a, b or a


def _people(n: int, rng: random.Random) -> list[dict[str, object]]:
    people, seen = [], set()
    while len(people) < n:
        first = _variants(rng.choice(_FIRST), rng)
        coda = _variants(rng.choice(_CODA), rng)
        stem = rng.choice(_ONSET) + rng.choice(_MIDDLE)
        last = (stem + coda[0], stem + coda[1])
        if (first[0], last[0]) in seen:
            continue
        seen.add((first[0], last[0]))
        people.append({"first": first, "last": last, "role": rng.choice(_ROLES)})
    return people


def make_corpus(n: int, *, seed: int = 7) -> list[tuple[str, str, dict[str, str]]]:
    """``n`` articles as (file stem, text, sidecar metadata); 150-400 words each."""
    rng = random.Random(seed)
    pool = _people(max(40, int(20 * math.sqrt(n))), rng)
    orgs = [f"{h} {t}" for h in _ORG_HEAD for t in _ORG_TAIL]
    out = []
    for i in range(n):
        spelling = rng.randrange(2)  # transliteration variant used by this "publisher"
        a, b = rng.sample(pool, 2)

        def full(p: dict[str, object]) -> str:
            first, last = p["first"], p["last"]
            return f"{first[spelling]} {last[spelling]}"  # type: ignore[index]

        def sur(p: dict[str, object]) -> str:
            return p["last"][spelling]  # type: ignore[index]

        c1, c2 = rng.sample(_COUNTRIES, 2)
        org, org2 = rng.sample(orgs, 2)
        target = rng.randint(150, 400)
        sentences, words = [], 0
        first_use = {id(a): True, id(b): True}
        while words < target:
            tpl = rng.choice(_TEMPLATES)
            fill = {
                "role": a["role"], "role2": b["role"], "role_l": str(a["role"]).lower(), "city": rng.choice(_CITIES),
                "day": rng.choice(_DAYS), "topic": rng.choice(_TOPICS), "c1": c1, "c2": c2, "org": org,
                "org2": org2, "n": str(rng.choice((3, 7, 10, 30, 60, 90))), "quote": rng.choice(_QUOTES),
                "p1": full(a), "p2": full(b),
                "s1": full(a) if first_use[id(a)] else sur(a), "s2": full(b) if first_use[id(b)] else sur(b),
            }
            if "{p1}" in tpl or "{s1}" in tpl:
                first_use[id(a)] = False
            if "{p2}" in tpl or "{s2}" in tpl:
                first_use[id(b)] = False
            sentence = tpl.format(**fill)
            sentences.append(sentence)
            words += len(sentence.split())
            if rng.random() < 0.25:
                sentences.append("\n")
        text = " ".join(sentences).replace(" \n ", "\n\n").strip()
        meta = {"title": f"{c1} and {c2}: report {i}", "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "source": "Synthetic Wire"}
        out.append((f"{i:06d}", text, meta))
    return out


def write_corpus(folder: Path, n: int, *, seed: int = 7) -> int:
    """Write ``n`` articles (.txt with .meta.json sidecars) into ``folder``; returns the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for stem, text, meta in make_corpus(n, seed=seed):
        (folder / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
        (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        words += len(text.split())
    return words
