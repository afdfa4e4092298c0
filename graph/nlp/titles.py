"""Roles read off the words around a person's name: titles before it, appositions, copulas, "as" phrases.

"State Department spokesperson Hana Ito", "Ana Roe, chief of defence staff", "X is a Daily Ledger reporter",
"installed X as head of state": the role words become the person's roles and the organisations named in
them the organisations the role is held at (memberOf, read by graph.nlp.extractors.memberships).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from . import lexicon as lx
from .tokens import token_table

if TYPE_CHECKING:
    from .mentions import ActorMention


def appositions(head: Token) -> list[Token]:
    """The appositions of a name, by surface order: "A and B, leader of C" parsed with the apposition on A
    gives it to B (the conjunct right before it), never to A."""
    own = [c for c in head.children if c.dep_ == "appos"
           and not any(j.dep_ == "conj" and head.i < j.i < c.i for j in head.children)]
    if head.dep_ == "conj":
        first = head.head
        later = [j for j in first.children if j.dep_ == "conj" and j.i > head.i]
        own += [c for c in first.children if c.dep_ == "appos" and c.i > head.i and not any(j.i < c.i for j in later)]
    return own


def is_title_word(tok: Token) -> bool:
    """A word that may stand in a title: a role noun or a title modifier other than a function word."""
    low = tok.lower_
    return low in lx.ROLE_HEADS or (low in lx.ROLE_MODIFIERS and low not in ("of", "and", "for", "to", "the"))


def _plural_role(tok: Token) -> str | None:
    """"ministers" -> "minister", "secretaries" -> "secretary", "chairmen" -> "chairman"; None for other words."""
    low = tok.lower_
    for stem in (low[:-1] if low.endswith("s") else "", low[:-3] + "y" if low.endswith("ies") else "",
                 low[:-3] + "man" if low.endswith("men") else ""):
        if stem and stem in lx.ROLE_HEADS:
            return stem
    return None


def attach_title(doc: Doc, m: ActorMention, mentions: list[ActorMention]) -> None:
    """Read the title words left of a person's name: "State Department spokesperson Hana Ito".

    Organisation mentions inside the title become the organisation the role is held at (memberOf);
    demonyms and countries ("Russian President") qualify the role and are left out of it. Coordinated
    titles are two roles ("Unity leader and Keral governor X"); a plural title before coordinated names
    gives each the role ("foreign ministers A and B").
    """
    i = m.start - 1
    if i >= 2 and doc[i].text == "," and doc[i - 1].is_title and doc[i - 1].lower_ in lx.ROLE_HEADS and \
            doc[i - 1].pos_ == "PROPN" and m.start + 1 < len(doc):
        i -= 1  # "the Unity Party General Secretary, Ana Roe": a capitalised title, a comma, the name
    while i >= 0 and doc[i].lower_ in lx.HONORIFICS:
        i -= 1  # "Rebel leader Dr. Omar Falu": the form of address between the title and the name
    plural = _plural_role(doc[i]) if i >= 0 else None
    if plural is not None:
        head = doc[m.end - 1]
        others = [x for x in mentions if x is not m and x.type == "Person" and doc[x.end - 1] in head.conjuncts]
        title, orgs, i = _read_title(doc, m, mentions, i - 1, [i])
        role = _role_text(doc, title)
        if role is not None:
            role = role[: -len(doc[title[-1]].text)] + plural
            for x in (m, *others):
                x.role_tokens.extend(title)
                x.roles.append(role)
                x.orgs.extend(orgs)
        return
    first = True
    while i >= 0:
        title, orgs, i = _read_title(doc, m, mentions, i, [])
        role = _role_text(doc, title)
        if role is None or (not first and not orgs and i >= 0 and doc[i].pos_ == "DET"):
            return  # "met the president and Foreign Minister X": "the president" is someone else
        m.role_tokens.extend(title)
        m.roles.append(role)
        m.orgs.extend(orgs)
        # "Unity leader and Keral governor X": the title before "and" is a second role
        if i < 1 or doc[i].lower_ != "and" or doc[i - 1].lower_ not in lx.ROLE_HEADS:
            return
        i, first = i - 1, False


def _read_title(doc: Doc, m: ActorMention, mentions: list[ActorMention], i: int,
                title: list[int]) -> tuple[list[int], list[tuple[int, int]], int]:
    """The title words ending at token ``i`` (read leftwards), the organisations in them, and where reading stopped."""
    by_end = {x.end: x for x in mentions if x is not m}
    orgs: list[tuple[int, int]] = []
    other = by_end.get(i + 1)
    if not title and other is not None and other.type == "Organization" and other.start >= 2:
        # "Head of the Office of the President of Borvia Ana Roe": a role "of" an organisation, before the name
        j = other.start - 1
        j -= doc[j].lower_ == "the"
        if j >= 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in lx.ROLE_HEADS:
            return list(range(j - 1, other.end)), [(other.start, other.end)], j - 2
    while i >= 0:
        tok = doc[i]
        if tok.lower_ == "of" and title and i > 0 and is_title_word(doc[i - 1]):
            title.insert(0, i)
            i -= 1
            continue
        other = by_end.get(i + 1)
        if other is not None and title and (other.type == "Organization" or (
                other.type == "Person" and other.end - other.start == 1 and not other.roles
                and any(x.text == other.text and x.type != "Person" for x in mentions)
                and not any(x.type == "Person" and x.text.split()[-1] == other.text and " " in x.text
                            for x in mentions))):  # "Halvorsen adviser X": a person's surname stays a person
            # "OpenAI CEO Sam Altman": a lone name before a title is the employer when the article names
            # it as something other than a person elsewhere
            other.type = "Organization"
            orgs.insert(0, (other.start, other.end))
            i = other.start - 1
            continue
        if is_title_word(tok) and not tok.is_punct:
            title.insert(0, i)
            i -= 1
            continue
        if tok.tag_ == "POS" and title and i > 0 and is_title_word(doc[i - 1]):
            title.insert(0, i)  # "the Secretary General's representative X": a title of a title holder
            i -= 1
            continue
        if tok.text == "-" and title and i > 0 and doc[i - 1].is_alpha:  # "co-founder"
            title.insert(0, i)
            i -= 1
            continue
        break
    return title, orgs, i


def _role_text(doc: Doc, title: list[int]) -> str | None:
    """The role the title tokens say (in place: the tokens are trimmed), or None when they say none."""
    if not any(doc[t].lower_ in lx.ROLE_HEADS or _plural_role(doc[t]) for t in title):
        return None
    while title and (doc[title[-1]].lower_ in ("of", "and") or doc[title[-1]].lower_ in lx.HONORIFICS):
        title.pop()
    while title and (doc[title[0]].lower_ in ("of", "and", "-")
                     or doc[title[0]].ent_type_ in ("GPE", "NORP")):
        title.pop(0)  # "U.S. President": the country qualifies the role, it is not part of it
    role = "".join(doc[t].text + (doc[t].whitespace_ if t != title[-1] else "") for t in title)
    return role if role and _role_ok(role) else None


def role_phrase(doc: Doc, noun: Token, mentions_by_tok: dict[int, ActorMention]) -> tuple[str, list]:
    """"a Daily Ledger reporter" -> ("reporter", [its span]); "chief executive of Acme" -> (role, [Acme])."""
    words = [noun]
    orgs: list[tuple[int, int]] = []
    for child in noun.lefts:
        men = mentions_by_tok.get(child.i)
        if men is not None and men.type == "Person" and men.end - men.start == 1 and child.dep_ == "compound" \
                and not _surname(men.text, mentions_by_tok):
            men.type = "Organization"  # "X, Orbis CEO": a lone name on a role noun is the employer
        if men is not None and men.type in ("Organization",):
            orgs.append((men.start, men.end))
        elif child.dep_ in ("compound", "amod") and is_title_word(child):
            words.extend(t for t in child.subtree if is_title_word(t))
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "for"):
            for obj in prep.children:
                men = mentions_by_tok.get(obj.i)
                if men is not None and men.type == "Organization":
                    orgs.append((men.start, men.end))
                elif prep.lower_ == "of" and men is None and obj.dep_ == "pobj" and _bare_title_object(obj):
                    # "chief of defence staff", "head of state": the "of" phrase is part of the title
                    words.extend((prep, *obj.subtree))
    i = noun.i  # "co-leader", "vice-president": the hyphenated word whole
    while i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_ \
            and doc[i - 2].is_alpha:
        words.extend((doc[i - 1], doc[i - 2]))
        i -= 2
    words.sort(key=lambda t: t.i)
    return "".join(t.text + (t.whitespace_ and " ") for t in words).strip(), orgs


def attach_predicate_roles(doc: Doc, mentions: list[ActorMention]) -> None:
    """Roles stated by copula or apposition: "X is a Daily Ledger reporter", "X, chief executive of Acme"."""
    by_tok = {i: m for m in mentions for i in m.tokens}
    for m in mentions:
        if m.type != "Person":
            continue
        head = doc[m.end - 1]
        nouns: list[Token] = []
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_ == "be":
            for attr in head.head.children:
                if attr.dep_ == "attr":
                    nouns.append(attr)
                    nouns.extend(c for c in attr.conjuncts if c.pos_ in ("NOUN", "PROPN"))
        nouns.extend(appositions(head))
        for rel in head.children:  # "Dana Roe, who is a member of the Green League"
            if rel.dep_ == "relcl" and rel.lemma_ == "be" and any(c.lower_ in ("who", "that") for c in rel.children):
                nouns.extend(c for c in rel.children if c.dep_ == "attr")
        if head.dep_ in ("nsubj", "nsubjpass") and m.start > 0 and doc[m.start - 1].text == ",":
            # "The President of Arland, Omar Teller said": the parser makes the title a second subject
            nouns.extend(c for c in head.head.children if c.dep_ == head.dep_ and c.i < m.start - 1
                         and c.lower_ in lx.ROLE_HEADS and c.i not in by_tok)
        if head.dep_ == "appos" and head.head.i not in by_tok:
            nouns.append(head.head)
        elif head.dep_ == "appos" and head.head.dep_ == "pobj" and head.head.head.head.lower_ in lx.ROLE_HEADS:
            # "The chair of the Supporters' Trust, Karen Whitlow": the parser hangs the name on the last noun
            nouns.append(head.head.head.head)
        for noun in nouns:
            if noun.lower_ not in lx.ROLE_HEADS or noun.i in by_tok:
                continue
            role, orgs = role_phrase(doc, noun, by_tok)
            m.orgs.extend(orgs)  # "X is a member of the Green League": no role, but the membership
            if _role_ok(role):
                m.roles.append(role)
    for m in mentions:
        if m.type == "Person":
            for noun in as_roles(doc[m.end - 1]):
                if noun.i in by_tok:
                    continue
                role, orgs = role_phrase(doc, noun, by_tok)
                if _role_ok(role) and role not in m.roles:
                    m.roles.append(role)
                    m.orgs.extend(orgs)


def _surname(text: str, mentions_by_tok: dict[int, ActorMention]) -> bool:
    """Is ``text`` the last word of a person's full name in the article?"""
    return any(m.type == "Person" and " " in m.text and m.text.split()[-1] == text for m in mentions_by_tok.values())


def _role_ok(role: str) -> bool:
    low = role.lower()
    return low not in lx.ROLE_STOP or low in lx.ROLE_ALONE


def _bare_title_object(obj: Token) -> bool:
    """"state" in "head of state", "defence staff" in "chief of defence staff": no determiner, no name, lower case."""
    sub = list(obj.subtree)
    return len(sub) <= 3 and all(t.is_lower and t.is_alpha and t.pos_ in ("NOUN", "ADJ") for t in sub)


def as_roles(head: Token) -> list[Token]:
    """The role nouns an "as" phrase or "become" gives a person: "installed X as head of state", "X served as
    envoy", "X, who resigned as leader of the party", "X became premier".

    A transitive verb gives its role to its object ("A appointed B as envoy": B), never to its subject.
    """
    if head.dep_ == "appos":
        head = head.head  # "their former commander, X, as head of state"
    verbs: list[tuple[Token, str]] = []
    if head.dep_ in ("nsubj", "nsubjpass", "dobj"):
        verbs.append((head.head, head.dep_))
    verbs += [(c, "nsubj") for c in head.children if c.dep_ in ("acl", "relcl")]
    out: list[Token] = []
    for verb, role in verbs:
        lemma = verb.lemma_.lower()
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        has_object = any(c.dep_ == "dobj" for c in verb.children)
        if lemma in lx.BECOME_VERBS and role != "dobj":
            out += [c for c in verb.children if c.dep_ in ("attr", "oprd") and c.lower_ in lx.ROLE_HEADS]
        # "X won, becoming premier"; "the deal sees X becoming premier" (the verb's subject is no person)
        subj_person = any(c.dep_ == "nsubj" and c.ent_type_ == "PERSON" for c in verb.children)
        if role != "dobj" or not subj_person:
            for become in verb.children:
                if become.dep_ in ("advcl", "xcomp") and become.lemma_.lower() in lx.BECOME_VERBS and \
                        not any(c.dep_ in ("nsubj", "nsubjpass") for c in become.children):
                    out += [c for c in become.children if c.dep_ in ("attr", "oprd") and c.lower_ in lx.ROLE_HEADS]
        if lemma not in lx.AS_ROLE_VERBS or (role == "nsubj" and has_object):
            continue
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "as":
                out += [o for o in prep.children if o.dep_ == "pobj" and o.lower_ in lx.ROLE_HEADS]
        if role == "dobj":  # "named X envoy": an object complement
            out += [c for c in verb.children if c.dep_ == "oprd" and c.lower_ in lx.ROLE_HEADS]
    return out


def description_roles(doc: Doc, mentions: list[ActorMention], sent_of: list[int]) -> None:
    """"Omar Teller welcomed the deal ... the Arlandian president's efforts": a definite role description with
    no name gives its role to the one person named in that sentence or the one before, if that person has
    no role yet (someone with another title is someone else)."""
    taken = {i for m in mentions for i in (*m.tokens, *m.role_tokens)}
    by_tok = {i: m for m in mentions for i in m.tokens}
    for tok in token_table(doc).with_lower(lx.ROLE_HEADS):
        if tok.tag_ != "NN" or tok.i in taken or tok.lower_ in lx.ROLE_STOP:
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.pos_ == "PROPN" or nxt.lower_ == "of"):
            continue  # a title before a name, or "the president of ..." someone else
        sent = sent_of[tok.i]
        before = [m for m in mentions if m.type == "Person" and m.end <= tok.i and sent - m.sent <= 1]
        if len({m.text.split()[-1] for m in before}) != 1:
            continue
        people = [m for m in mentions if m.type == "Person" and m.text.split()[-1] == before[-1].text.split()[-1]]
        if any(m.roles for m in people):
            continue
        role, _orgs = role_phrase(doc, tok, by_tok)
        if _role_ok(role):
            before[-1].roles.append(role)
