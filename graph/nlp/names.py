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
from .spans import ActorMention
from .titles import appositions
from .tokens import token_table


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
    doc = ent.doc
    prev = doc[ent.start - 1] if ent.start > 0 else None
    named_before = prev is not None and prev.is_title and prev.is_alpha and not prev.is_sent_start and \
        not demonym_country(prev.text) and prev.ent_type_ in ("", "ORG")
    if len(words) == 1 and not named_before and (
            words[0].pos_ == "ADJ" or words[0].tag_ == "JJ" or not last.endswith("s")):
        return None  # "Maoist rebels": a modifier; "the Maoists": the party; "Liberal Democrat": see party_start
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
           or t.lower_ in lx.GROUP_WORDS for t in ent):
        return None
    if ent[-1].dep_ == "compound" and ent[-1].head.pos_ != "PROPN":
        return None  # "the Sunni Arab tribes"
    return "Person"


def party_start(doc: Doc, start: int) -> int:
    """"the Liberal Democrats" where the NER typed only "Democrats": the capitalised compound words before it."""
    while start > 0 and doc[start - 1].pos_ in ("PROPN", "ADJ") and doc[start - 1].dep_ in ("compound", "amod") \
            and doc[start - 1].is_title and doc[start - 1].ent_type_ in ("", "ORG") \
            and not doc[start - 1].is_sent_start:
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
    """"Velkar, leader of the rebel faction", "Tanaba, the bloc's chairman": a role only a person holds."""
    for c in appositions(head):
        if c.lower_ not in lx.ROLE_HEADS:
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
    ner_person = {m.text for m in mentions if m.type == "Person"}
    person_heads = {m.end - 1 for m in mentions if m.type == "Person"}
    for m in mentions:
        if m.type not in ("Organization", "Place"):
            continue
        head = doc[m.end - 1]
        if m.text in ner_person and m.end - m.start == 1 and (
                (head.dep_ == "conj" and head.head.i in person_heads)
                or any(c.dep_ == "conj" and c.i in person_heads for c in head.children)):
            # a name the model typed as a person once, coordinated with a person elsewhere (a club that
            # "said" something is no evidence: clubs speak too)
            people.add(m.text)
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


def bracket_end(doc: Doc, end: int) -> int:
    """"the Communist Party of Arland (Maoist)": a bracketed qualifier of capitalised words is part of the name.

    Not an abbreviation ("(UP)", all capitals) nor a translation (it names an organisation itself: "(Party of
    Unity)"): those are other names of the same party, see :func:`bracket_aliases`.
    """
    if end + 2 >= len(doc) or doc[end].text != "(":
        return end
    j = end + 1
    while j < len(doc) and j - end <= 5 and doc[j].text != ")" and (
            doc[j].is_title or doc[j].text in ("-", "–") or (doc[j].is_lower and doc[j].lower_ in ("of", "and"))):
        j += 1
    if j >= len(doc) or doc[j].text != ")" or j == end + 1:
        return end
    inner = doc[end + 1:j]
    if any(t.lower_ in lx.ORG_SUFFIXES for t in inner) or all(t.is_upper for t in inner if t.is_alpha):
        return end
    initials = "".join(t.text[0] for t in doc[:end][-6:] if t.is_title and t.lower_ not in ("of", "the")).lower()
    word = inner[0].lower_
    if len(inner) == 1 and (word == initials or any(
            word.startswith(initials[k:]) for k in range(len(initials)) if len(initials) - k >= 3)):
        return end  # "Northern Monitoring Force (Normof)": an abbreviation, not a qualifier
    if any(t.ent_type_ in ("GPE", "PERSON", "DATE") for t in inner):
        return end  # "Orbis (Borvia)": where it is, not what it is called
    return j + 1


def bracket_aliases(doc: Doc, mentions: list) -> None:
    """"the Unity Party (UP)", "Partido da Unidade (Unity Party)": the bracketed name is the same organisation.

    Every mention of the bracketed name takes the full name's text (in place), keeping its own as an alias,
    so resolution files both under one node.
    """
    by_start = {m.start: m for m in mentions}
    aliases: dict[str, object] = {}
    for m in mentions:
        if m.type != "Organization" or m.end + 2 >= len(doc) or doc[m.end].text != "(":
            continue
        inner = by_start.get(m.end + 1)
        if inner is None or inner.type != "Organization" or inner.end >= len(doc) or doc[inner.end].text != ")":
            continue
        if inner.text != m.text:
            aliases[inner.text] = m
    for m in mentions:
        named = aliases.get(m.text)
        if named is not None and not m.alias:
            m.alias, m.text, m.type = m.text, named.text, named.type  # type: ignore[attr-defined]


def party_end(doc: Doc, end: int) -> int:
    """"a Liberal Democrat leader" typed "Liberal" (ORG) + "Democrat" (NORP): the member word ends the name."""
    if end < len(doc) and doc[end].ent_type_ == "NORP" and doc[end].is_title and \
            doc[end].lower_.removesuffix("s") in lx.PARTY_MEMBER_WORDS and doc[end - 1].whitespace_ == " ":
        return end + 1
    return end


def known_as(doc: Doc, mentions: list[ActorMention]) -> None:
    """"Mohamed Hamdan Dagalo, known as Hemedti": the second name is the first one's alias (in place).

    The alias mention takes the named actor's text and type, so resolution files it under that actor
    and keeps the alias; the NER often types such nicknames as places or organisations.
    """
    by_head = {m.end - 1: m for m in mentions}
    aliases: dict[str, ActorMention] = {}
    for m in mentions:
        head = doc[m.end - 1]
        verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "as" else None
        if verb is None or verb.lemma_.lower() not in lx.ALIAS_VERBS or verb.dep_ not in ("acl", "relcl"):
            continue
        named = by_head.get(verb.head.i)
        if named is not None and named is not m and named.type == "Person":
            aliases[m.text] = named
    for m in mentions:  # the nickname wherever the article uses it
        named = aliases.get(m.text)
        if named is not None:
            m.alias, m.text, m.type = m.text, named.text, named.type


def particle_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A person's name across lower-case particles: "Ursula von der [Leyen]", "[von der] Leyen said".

    The small model ends a name at "von der" and often calls the rest a place; a particle run is part
    of the name when a capitalised word follows it.
    """
    j = end
    while j < len(doc) and doc[j].lower_ in lx.NAME_PARTICLES and doc[j].is_lower:
        j += 1
    if j < len(doc) and (j > end or doc[end - 1].lower_ in lx.NAME_PARTICLES) and doc[j].is_title \
            and doc[j].is_alpha and "\n" not in doc[j - 1].whitespace_:
        end = j + 1
    i = start
    while i > 0 and doc[i - 1].lower_ in lx.NAME_PARTICLES and doc[i - 1].is_lower:
        i -= 1
    if i < start and (i == 0 or not doc[i - 1].is_title or doc[i - 1].is_sent_start):
        start = i  # "von der Leyen told reporters" (after a first name it was caught above)
    return start, end


def retype_surnames(doc: Doc, mentions: list[ActorMention], taken: set[int], sent_of: list[int]) -> None:
    """A lone surname of a person named in full elsewhere in the article is that person, whatever NER said.

    Also finds surnames the NER missed entirely (a bare PROPN token "Modi" with no entity label).
    """
    # a name typed as an organisation that the text also calls "Ms Saar" / "Saar said" is a person
    lone = {m.text for m in mentions if m.type == "Person" and len(m.text.split()) == 1}
    lone |= {tok.nbor().text for tok in token_table(doc).with_lower(lx.HONORIFICS) if tok.i < len(doc) - 1}
    for m in mentions:
        words = m.text.split()
        if m.type == "Organization" and 2 <= len(words) <= 3 and words[-1] in lone and \
                words[-1].lower() not in lx.ORG_SUFFIXES and all(w[:1].isupper() for w in words):
            m.type = "Person"
    surnames = {m.text.split()[-1] for m in mentions if m.type == "Person" and len(m.text.split()) >= 2}
    full = {m.text for m in mentions if m.type == "Person" and len(m.text.split()) >= 2}
    for m in mentions:
        if m.type != "Person" and (m.text in surnames or m.text in full) and \
                not country_surname(doc, m.start, m.text):
            m.type = "Person"
    for tok in token_table(doc).with_pos("PROPN"):
        if tok.i in taken or tok.text not in surnames or \
                country_surname(doc, tok.i, tok.text):
            continue
        # part of a larger proper name ("Halvorsen Tower") is not the person
        if tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.head.i not in taken:
            continue
        mentions.append(ActorMention(tok.i, tok.i + 1, tok.text, "Person", sent_of[tok.i]))
        taken.add(tok.i)


def _footer(sent: Span) -> bool:
    """A credit line opening its own paragraph: "Reporting by X; Editing by Y", "Additional reporting by X".

    An author footer ("X is a reporter for Y.") stays: the project's gold for its seed article counts the
    author and the publication as actors (see the session report; the issue asks for the opposite).
    """
    doc = sent.doc
    if not (sent.start == 0 or "\n" in doc[sent.start - 1].whitespace_ or "\n" in doc[sent.start - 1].text):
        return False
    return sent[0].lower_ in lx.CREDIT_WORDS and any(t.lower_ == "by" for t in sent[:4])


def without_footers(doc: Doc, mentions: list) -> list:
    """Drop the actors of a credit line (the last paragraphs) that the story never names."""
    sents = list(doc.sents)
    footer = [s for s in sents[-3:] if _footer(s)]
    if not footer:
        return mentions
    inside = {i for s in footer for i in range(s.start, s.end)}
    elsewhere = {m.text for m in mentions if m.start not in inside}
    return [m for m in mentions if m.start not in inside or m.text in elsewhere]


_CUT_ENDS = frozenset({"of", "the", "and", "for", "&"})


def cut_spans(doc: Doc) -> dict[int, tuple[int, int, str | None]]:
    """Entity spans the NER cut short, repaired: entity start -> (start, end, type or None to keep it).

    "[Office of the President of] [Borvia Ana Roe]": an organisation's name ending in "of" takes the
    country that opens the next span, and the rest of that span is a person's name; an organisation
    whose name ends in a function word with nothing to take is no entity (end == start).
    """
    out: dict[int, tuple[int, int, str | None]] = {}
    ents = list(doc.ents)
    for n, ent in enumerate(ents):
        if ent.label_ != "ORG" or ent[-1].lower_ not in _CUT_ENDS or len(ent) < 2:
            continue
        nxt = ents[n + 1] if n + 1 < len(ents) else None
        if nxt is None or nxt.start != ent.end:
            out[ent.start] = (ent.start, ent.start, None)  # "Office of the President of": cut short, no name
            continue
        took = 0
        for k in (2, 1):
            if len(nxt) > k and country_name(nxt[:k].text):
                took = k
                break
        if took and _name_shaped(doc, nxt.start + took, nxt.end) and nxt.end - nxt.start - took >= 2:
            out[ent.start] = (ent.start, nxt.start + took, "Organization")
            out[nxt.start] = (nxt.start + took, nxt.end, "Person")
        elif nxt.label_ in ("GPE", "ORG") and country_name(nxt.text):
            out[ent.start] = (ent.start, nxt.end, "Organization")  # "Office of the President of" + "Borvia"
            out[nxt.start] = (nxt.start, nxt.start, None)
    return out


_ROMAN = frozenset({"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"})


def titled_person(ent: Span) -> str | None:
    """"Queen Mira II" typed as a work of art, "King Ivo" as an organisation: a person-only title, then a
    name (capitalised words, a regnal number) is a person."""
    if ent.label_ == "PERSON" or len(ent) < 2:
        return None
    first = ent[0] if ent[0].lower_ != "the" else (ent[1] if len(ent) > 2 else None)
    if first is None or first.lower_ not in lx.ROLE_HEADS or first.lower_ in lx.SHARED_ROLE_HEADS or \
            not first.is_title:
        return None
    rest = [t for t in ent if t.i > first.i]
    if not rest or not rest[0].is_title or rest[0].lower_ in lx.ROLE_HEADS or rest[0].lower_ in lx.ROLE_MODIFIERS:
        return None  # "President Office", "Chief Executive"
    if not all((t.is_title and t.is_alpha and t.lower_ not in lx.ORG_SUFFIXES) or t.text in _ROMAN for t in rest):
        return None
    if country_name(" ".join(t.text for t in rest)):
        return None
    return "Person"


def unlabelled_people(doc: Doc, mentions: list, taken: set[int], sent_of: list[int]) -> None:
    """"the Mogho Naba, the traditional king of the Mossi": capitalised words the NER left untyped, in
    apposition with a definite person-only role, are a person's name (added as Person mentions)."""
    for tok in token_table(doc).with_pos("PROPN"):
        if tok.i in taken or tok.ent_type_ or not tok.is_title or tok.dep_ == "compound":
            continue
        if not any(c.dep_ == "appos" and c.lower_ in lx.ROLE_HEADS and c.lower_ not in lx.SHARED_ROLE_HEADS
                   and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children) for c in tok.children):
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN" and \
                doc[start - 1].is_title and start - 1 not in taken and not doc[start - 1].ent_type_:
            start -= 1
        if country_name(doc[start:tok.i + 1].text) or doc[start:tok.i + 1].text in lx.CAPITALS:
            continue
        mentions.append(ActorMention(start, tok.i + 1, " ".join(t.text for t in doc[start:tok.i + 1]), "Person",
                                     sent_of[start]))
        taken.update(range(start, tok.i + 1))


def hyphen_start(doc: Doc, start: int, end: int) -> int:
    """"the [Cameroon-Nigeria] Mixed Commission": a hyphenated pair of names right before an organisation's
    name (ending in a company or body word) is part of it; the NER often starts the name after it."""
    if start < 3 or doc[end - 1].lower_ not in lx.ORG_SUFFIXES:
        return start
    a, dash, b = doc[start - 3], doc[start - 2], doc[start - 1]
    if dash.text in ("-", "–") and not a.whitespace_ and not dash.whitespace_ and b.whitespace_ == " " and \
            a.is_title and b.is_title and a.is_alpha and b.is_alpha:
        return start - 3
    return start


def join_coordinated_names(doc: Doc, mentions: list) -> list:
    """"The [Labour] and Justice leader" for an article that names the "Labour and Justice Party": an
    organisation's name followed by "and" and words that together begin a longer name the article uses is
    that beginning (resolution then files it under the full name)."""
    names = sorted({m.text for m in mentions if m.type == "Organization"}, key=len, reverse=True)
    starts = {m.start for m in mentions}
    for m in mentions:
        if m.type != "Organization" or m.end >= len(doc) or doc[m.end].lower_ not in ("and", "&"):
            continue
        for n in names:
            if not n.startswith(m.text + " " + doc[m.end].text + " "):
                continue
            more = n[len(m.text):].split()
            j = m.end
            while j < len(doc) and j - m.end < len(more) - 1 and doc[j].text == more[j - m.end] and \
                    (j == m.end or j not in starts):
                j += 1
            if j > m.end + 1:
                m.end, m.text = j, " ".join(t.text for t in doc[m.start:j])
                break
    return _drop_inside(mentions)


def _drop_inside(mentions: list) -> list:
    kept: list = []
    for m in sorted(mentions, key=lambda x: (x.start, -(x.end - x.start))):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept
