"""Mentions -> entities within one article: one node per real actor, with a stable key.

"President Ingrid Halvorsen", "Halvorsen" and "Halvorsen's" become one Person; "the U.S." and
"United States" one Country. Keys depend on the canonical name only, so the same actor gets the same
key (and IRI) in every article and every run.
"""

from __future__ import annotations

from collections import defaultdict

from ..keys import entity_key
from ..records import Entity
from . import lexicon as lx
from .countries import country_code, country_name, demonym_country, formal_country
from .mentions import ActorMention, short_org_name


def _norm(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    if t.lower().startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    return t


def _same_person(short: list[str], full: list[str]) -> bool:
    """"Qureshi" or "Omar Qureshi" names "Omar K. Qureshi": same surname, every other token found in the full name."""
    if short[-1].lower() != full[-1].lower():
        return False
    rest = {t.lower().rstrip(".") for t in full[:-1]}
    return all(t.lower().rstrip(".") in rest for t in short[:-1])


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper() and w.lower() not in ("of", "the", "and", "for"))


def _qualified(name: str) -> tuple[str, str]:
    """"Unity Party (Reform)" -> ("Unity Party", " (Reform)"): a name and its bracketed qualifier."""
    if name.endswith(")") and " (" in name:
        i = name.rindex(" (")
        return name[:i], name[i:]
    return name, ""


def _short_org(name: str, orgs: list[str]) -> str | None:
    """The full name a short form stands for: "FTC" -> "Federal Trade Commission", "Acme" -> "Acme Corp";
    "UP (Reform)" -> "Unity Party (Reform)" (the same qualifier on both); "Liberal Democrat" -> "Liberal
    Democrats" (a party by its members' name, singular or plural)."""
    if f"{name}s" in orgs:
        return f"{name}s"
    base, qual = _qualified(name)
    if qual:
        hits = [o for o in orgs if o.endswith(qual) and o != name]
        full = _short_org(base, [o[: -len(qual)] for o in hits])
        return full + qual if full else None
    bare = name.replace(".", "")
    if bare.isupper() and 2 <= len(bare) <= 6:
        hits = [o for o in orgs if _initials(o) == bare]
        if len(hits) == 1:
            return hits[0]
    toks = name.split()
    hits = [o for o in orgs if o.split()[:len(toks)] == toks and len(o.split()) > len(toks)
            and (all(w.lower() in lx.ORG_SUFFIXES for w in o.split()[len(toks):])
                 or (len(toks) == 1 and short_org_name(o.split()) == name)
                 or o.split()[len(toks)] == "of")]  # "House" for "House of Representatives"
    if not hits and len(toks) == 1 and name[:1].isupper() and name.lower() not in lx.GENERIC_NAME_WORDS \
            and not country_name(name) and name not in lx.CAPITALS:
        # "Kestrel" for "Kestrel Rail": the one two-word organisation the article names with that first word
        hits = [o for o in orgs if len(o.split()) == 2 and o.split()[0] == name and o.split()[1][:1].isupper()]
    if not hits:
        # "Senate" for "U.S. Senate": the same name with its country in front
        hits = [o for o in orgs if o.endswith(" " + name) and (
            country_name(lead := o[: -len(name) - 1]) or demonym_country(lead))]
    return hits[0] if len(hits) == 1 else None


def _merge_organisations(mentions: list[ActorMention], persons: list[list[str]]) -> None:
    """Short forms of an organisation named in full in the article take the full name (in place)."""
    orgs = sorted({_norm(m.text) for m in mentions if m.type == "Organization" and len(m.text.split()) >= 2})
    person_names = {" ".join(p) for p in persons} | {p[-1] for p in persons}
    for m in mentions:
        name = _norm(m.text)
        if m.type == "Organization" or (m.type == "Person" and name not in person_names):
            full = _short_org(name, orgs)
        elif m.type == "Person" and " " in name:
            # "Aurora Grid" beside "Aurora Grid Oy": a company's name without its legal form, whatever the NER said
            full = next((o for o in orgs if o.startswith(name + " ") and all(
                w.lower() in lx.ORG_SUFFIXES for w in o[len(name) + 1:].split())), None)
        else:
            full = None
        if full:
            m.type, m.text = "Organization", full


def _formal_states(mentions: list[ActorMention]) -> None:
    """"Republic of Arland" / "the Borvian Federation" beside "Arland" / "Borvia": one country (in place).

    The short name takes the Country type too: the article has called it a state.
    """
    known = {_norm(m.text) for m in mentions if " " not in _norm(m.text) and m.type != "Person"}
    states: set[str] = set()
    for m in mentions:
        if m.type in ("Organization", "Place", "Country") and " " in m.text:
            short = formal_country(_norm(m.text), known)
            if short:
                m.type, m.text = "Country", short
                states.add(short)
    for m in mentions:
        if _norm(m.text) in states and m.type in ("Organization", "Place"):
            m.type = "Country"


def _one_type_per_name(mentions: list[ActorMention], persons: list[list[str]]) -> None:
    """One type for a name the NER typed two ways in one article.

    A one-word name called a person in one sentence and an organisation or place in another ("Benfica
    rejected two offers" / "Benfica president Rui Costa") is not a person, unless it is part of a person's
    full name in the article; a name called a place no more often than an organisation (or a person,
    which no place is) is an organisation, unless it is a capital.
    """
    in_names = {t.lower() for p in persons for t in p}
    other: dict[str, list[str]] = defaultdict(list)
    persons_named: dict[str, int] = defaultdict(int)
    for m in mentions:
        if m.type != "Person":
            other[_norm(m.text)].append(m.type)
        else:
            persons_named[_norm(m.text)] += 1
    for m in mentions:
        name = _norm(m.text)
        if m.type == "Person" and " " not in name and name in other and name.lower() not in in_names:
            types = other[name]
            m.type = max(sorted(set(types)), key=types.count)
        elif m.type == "Place" and name not in lx.CAPITALS and other[name].count("Organization") + \
                persons_named[name] >= other[name].count("Place"):
            m.type = "Organization"  # a company the NER took for a place as often (or for a person: no place)


def resolve_mentions(mentions: list[ActorMention], article_id: str) -> list[Entity]:
    """Give every mention its entity key (in place) and return the entities of the article, sorted by key."""
    persons: list[list[str]] = []  # full names seen, longest first
    for m in mentions:
        if m.type == "Person":
            toks = _norm(m.text).split()
            if len(toks) >= 2 and not any(_same_person(toks, p) and len(p) >= len(toks) for p in persons):
                persons = [p for p in persons if not _same_person(p, toks)]
                persons.append(toks)
    surface = {id(m): m.text for m in mentions}
    _formal_states(mentions)
    _merge_organisations(mentions, persons)
    _one_type_per_name(mentions, persons)
    still = {_norm(m.text) for m in mentions if m.type == "Person"}
    persons = [p for p in persons if " ".join(p) in still]  # "Aurora Grid" turned out to be a company
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, list[str]] = defaultdict(list)
    types: dict[str, str] = {}
    last_seen: dict[str, int] = {}
    for m in mentions:
        name = _norm(m.text)
        typ = m.type
        if typ == "Person":
            toks = name.split()
            candidates = [p for p in persons if _same_person(toks, p)]
            if not candidates and len(toks) == 1:
                # "Xi" after "Xi Jinping": a family name written first (Chinese, Korean, Hungarian order)
                # or a first name, when exactly one full name starts with it and none ends with it
                candidates = [p for p in persons if p[0].lower() == toks[0].lower()]
                if len(candidates) > 1 or any(p[-1].lower() == toks[0].lower() for p in persons):
                    candidates = []
            if len(candidates) > 1:  # two people share the surname: the one named most recently before
                keyed = [(last_seen.get(entity_key("Person", " ".join(p)), -1), i) for i, p in enumerate(candidates)]
                candidates = [candidates[max(keyed)[1]]]
            label = " ".join(candidates[0]) if candidates else name
        elif typ == "Country":
            label = country_name(name) or name
        else:
            label = name
        key = entity_key(typ, label)
        m.key = key
        last_seen[key] = m.start
        if key not in labels or (labels[key].isupper() and len(labels[key]) > 4 and not label.isupper()):
            labels[key] = label  # a dateline's "DOHA" gives way to "Doha"
        types.setdefault(key, typ)
        for text in (m.text, surface[id(m)], m.alias):
            if text != label:
                aliases[key].add(_norm(text))
        for r in m.roles:
            if r.lower() not in (x.lower() for x in roles[key]):
                roles[key].append(r)
    out = []
    for key in sorted(labels):
        label = labels[key]
        out.append(Entity(
            key=key, type=types[key], label=label,
            aliases=tuple(sorted(a for a in aliases[key] if a and a != label)),
            roles=tuple(sorted(roles[key])), articles=(article_id,),
            code=country_code(label) if types[key] == "Country" else None,
        ))
    return out
