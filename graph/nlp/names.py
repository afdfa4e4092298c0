"""Repairs to the names the small model finds: who is a person, which parts are one name, what a party is.

The small model types many non-English full names as organisations or places ("Rui Souza do Vale"),
splits a long name in two ("Ana Maria" + "Costa Lima") and types a party's members as a nationality
("the Liberal Democrats"). Each repair here reads evidence inside the same article only — titles, speech
verbs with a pronoun, name particles, the parse — never a list of known names.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from . import lexicon as lx
from .countries import country_name, demonym_country


def party_type(ent: Span) -> str | None:
    """"the Liberal Democrats", "the Maoists", "a Liberal Democrat": a NORP name for a party's members is the party.

    Only capitalised names ending in a word for a party's members ("democrat", "maoist"), never a demonym
    of a country ("Ukrainians") or an adjective before a noun ("Maoist rebels" keeps its noun).
    """
    if ent.label_ != "NORP":
        return None
    words = [t for t in ent if not (t.is_punct or t.lower_ == "the")]
    if not words or not all(t.text[:1].isupper() for t in words):
        return None
    last = words[-1].lower_
    stem = last[:-1] if last.endswith("s") else last
    if stem not in lx.PARTY_MEMBER_WORDS:
        return None
    if any(demonym_country(t.text) or country_name(t.text) for t in words):
        return None
    if len(words) == 1 and (words[0].pos_ == "ADJ" or words[0].tag_ == "JJ" or not last.endswith("s")):
        return None  # "Maoist rebels": a modifier; "the Maoists": the party
    return "Organization"


def norp_person(ent: Span) -> str | None:
    """"Prabhu Narayan Chaudhari" typed as a nationality: two or more singular proper nouns, none a demonym,
    a country or a party word, and not followed by a noun they qualify, are a person's name."""
    if ent.label_ != "NORP":
        return None
    doc = ent.doc
    if len(ent) < 2 and not (ent.end < len(doc) and doc[ent.end].ent_iob_ == "B"
                             and doc[ent.end].ent_type_ in ("PERSON", "NORP") and doc[ent.end].tag_ == "NNP"
                             and ent[0].whitespace_ == " "):
        return None  # one word alone; "Prabhu" + "Narayan Chaudhari" typed as two spans is one name
    if not all(t.tag_ == "NNP" and t.is_title and t.is_alpha for t in ent):
        return None
    if any(demonym_country(t.text) or country_name(t.text) or t.lower_.rstrip("s") in lx.PARTY_MEMBER_WORDS
           for t in ent):
        return None
    if ent[-1].dep_ == "compound" and ent[-1].head.pos_ != "PROPN":
        return None  # "the Sunni Arab tribes"
    return "Person"


def party_start(doc: Doc, start: int) -> int:
    """"the Liberal Democrats" where the NER typed only "Democrats": the capitalised compound words before it."""
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" \
            and doc[start - 1].is_title and not doc[start - 1].ent_type_ and not doc[start - 1].is_sent_start:
        start -= 1
    return start


def join_adjacent_people(doc: Doc, mentions: list) -> list:
    """"Ali Musa" + "Hamid Taha" typed as two people side by side: one long name ("Ali Musa Hamid Taha").

    Two person names never stand next to each other with only a space between in English prose: a list
    takes commas or "and".
    """
    out: list = []
    for m in sorted(mentions, key=lambda x: x.start):
        prev = out[-1] if out else None
        if prev is not None and prev.type == "Person" and m.type == "Person" and prev.end == m.start \
                and prev.sent == m.sent and doc[prev.end - 1].whitespace_ == " " and doc[m.start].is_title \
                and not doc[prev.end - 1].is_punct:
            prev.end = m.end
            prev.text = " ".join(t.text for t in doc[prev.start:prev.end])
            continue
        out.append(m)
    return out


def _name_shaped(doc: Doc, start: int, end: int) -> bool:
    """Two to five words, capitalised or lower-case name particles, none a company or place word."""
    words = list(doc[start:end])
    if not 1 <= len(words) <= 5:
        return False
    caps = [t for t in words if t.text[:1].isupper()]
    if not caps or not all(t.text[:1].isupper() or t.lower_ in lx.NAME_PARTICLES or t.text in ("-",)
                           for t in words):
        return False
    if any(t.lower_.rstrip(".") in lx.ORG_SUFFIXES or t.lower_ in lx.PLACE_SUFFIXES
           or t.lower_ in lx.PLACE_NOUNS for t in words):
        return False
    text = " ".join(t.text for t in words)
    return not (country_name(text) or text in lx.CAPITALS or any(t.is_upper and len(t) > 1 for t in words))


def _particle_inside(doc: Doc, start: int, end: int) -> bool:
    """"Rui Souza do Vale", "Omar al-Rashid": a lower-case name particle between capitalised words."""
    for i in range(start + 1, end):
        tok = doc[i]
        low = tok.lower_
        if low in lx.NAME_PARTICLES and tok.is_lower and i + 1 < end and doc[i + 1].text[:1].isupper():
            return True
        if low.startswith(("al-", "el-", "bin-")) and len(low) > 4 and tok.text[3:4].isupper():
            return True
    return False


def _person_role_appos(head: Token) -> bool:
    """"Prachanda, leader of the rebel faction", "Tanaba, the bloc's chairman": a role only a person holds."""
    for c in head.children:
        if c.dep_ != "appos" or c.lower_ not in lx.ROLE_HEADS:
            continue
        if any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in c.children):
            continue  # "Orbis, a leader in batteries"
        if c.lower_ not in lx.SHARED_ROLE_HEADS or any(p.dep_ == "prep" and p.lower_ == "of" for p in c.children):
            return True
    return False


def _speaks_of_self(head: Token) -> bool:
    """"Tanaba said he would sign": the subject of a speech verb taken up by he/she in what it said."""
    if head.dep_ != "nsubj" or head.head.lemma_.lower() not in lx.SPEECH_VERBS:
        return False
    verb = head.head
    for comp in verb.children:
        if comp.dep_ in ("ccomp", "xcomp"):
            if any(s.dep_ in ("nsubj", "nsubjpass") and s.lower_ in ("he", "she") for s in comp.children):
                return True
    return False


def _titled(doc: Doc, start: int) -> bool:
    """"Chairman Tanaba", "Borvian envoy Mira Tanaba": a role word that only a person holds right before."""
    if start == 0:
        return False
    prev = doc[start - 1]
    return prev.lower_ in lx.ROLE_HEADS and prev.lower_ not in lx.SHARED_ROLE_HEADS and prev.pos_ in ("NOUN", "PROPN")


def people_from_evidence(doc: Doc, mentions: list) -> None:
    """Retype (in place) names the model called organisations or places that the article shows are people.

    Evidence, any one of: a lower-case name particle inside ("do", "van", "bin", "al-"); a person-only
    title right before; an apposition with a person-only role ("X, leader of ..."); "X said he ...". The
    evidence at one mention retypes the same name everywhere in the article.
    """
    people: set[str] = set()
    for m in mentions:
        if m.type not in ("Organization", "Place"):
            continue
        lead = m.start
        while lead < m.end - 2 and doc[lead].lower_ in lx.ROLE_HEADS and doc[lead].lower_ not in lx.SHARED_ROLE_HEADS:
            lead += 1
        if lead > m.start and _name_shaped(doc, lead, m.end):
            # "General Ivo Sark" typed as one organisation: a person-only title, then a name of two words or more
            m.start, m.text, m.type = lead, " ".join(t.text for t in doc[lead:m.end]), "Person"
            people.add(m.text)
            continue
        if not _name_shaped(doc, m.start, m.end):
            continue
        head = doc[m.end - 1]
        if (_particle_inside(doc, m.start, m.end) or _titled(doc, m.start) or _person_role_appos(head)
                or _speaks_of_self(head)):
            people.add(m.text)
    for m in mentions:
        if m.text in people and m.type in ("Organization", "Place"):
            m.type = "Person"


def country_surname(doc: Doc, m_start: int, text: str) -> bool:
    """A lone country name that is also someone's surname ("Nepal" beside "Madhav Kumar Nepal") stays the
    country unless a form of address or the rest of the name is right before it ("Mr Nepal")."""
    if not country_name(text):
        return False
    prev = doc[m_start - 1] if m_start > 0 else None
    return not (prev is not None and (prev.lower_ in lx.HONORIFICS or (prev.is_title and prev.pos_ == "PROPN")))


def _place_evidence(head: Token) -> bool:
    """The parse says the name is a place: "the town of X", "Borvia's capital, X", "X, an enclave in Arland",
    "X is a port city", "its headquarters in X"."""
    up = head.head
    if head.dep_ == "pobj" and up.lower_ == "of" and up.head.lower_ in lx.SETTLEMENT_NOUNS and up.head.i < head.i:
        return True
    if head.dep_ == "pobj" and up.lower_ == "in" and up.head.lower_ in lx.SEAT_NOUNS:
        return True
    if head.dep_ == "appos" and up.lower_ in lx.SETTLEMENT_NOUNS:
        return True
    if any(c.dep_ == "appos" and c.lower_ in lx.PLACE_DESCRIPTIONS and c.tag_ != "NNS" for c in head.children):
        return True
    return head.dep_ == "nsubj" and up.lemma_ == "be" and any(
        c.dep_ == "attr" and c.lower_ in lx.PLACE_DESCRIPTIONS for c in up.children)


def places_from_evidence(doc: Doc, mentions: list) -> None:
    """Retype (in place) one-word names the model called organisations or people that the parse shows
    are places; the same name elsewhere in the article follows, unless it is someone's surname there."""
    found: set[str] = set()
    for m in mentions:
        if m.type in ("Organization", "Person") and m.end - m.start <= 2 and \
                all(t.text[:1].isupper() for t in doc[m.start:m.end]) and _place_evidence(doc[m.end - 1]):
            found.add(m.text)
    surnames = {m.text.split()[-1] for m in mentions if m.type == "Person" and " " in m.text}
    for m in mentions:
        if m.text in found and m.type in ("Organization", "Person") and m.text not in surnames:
            m.type = "Place"
