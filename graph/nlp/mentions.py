"""Actor mentions from NER and the parse: cleaned names, types, and the role words beside them.

Yields :class:`ActorMention` records that :mod:`graph.nlp.entities` clusters into entities. The NER of a
small model mislabels lone surnames ("Halvorsen" as ORG) and glues titles to names; the rules here
repair both from what the rest of the same article says, never from a list of known names.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Doc, Span, Token

from . import lexicon as lx
from . import names, place_names, titles
from .countries import country_name
from .spans import ActorMention, clean_span, doc_text, raw_text, span_text
from .titles import is_title_word as _is_title_word
from .tokens import token_table

__all__ = ["ActorMention", "clean_span", "doc_text", "find_mentions", "raw_text", "sentence_index", "short_org_name",
           "span_text"]

#: NER label -> actor class; GPE is split into Country and Place by a country lookup.
NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place"}
#: Countries that are also common first names: a lone one typed PERSON stays a person.
_NAME_LIKE_COUNTRIES = frozenset({"Jordan", "Georgia", "Chad", "India", "Israel", "Kenya", "Paris"})


def _title_only(doc: Doc, start: int, end: int) -> bool:
    """An ORG/GPE span that is part of a title: "State" in "Secretary of State", "National Security" Advisor."""
    if not all(doc[i].lower_ in lx.ROLE_MODIFIERS or doc[i].lower_ in lx.ROLE_HEADS for i in range(start, end)):
        return False
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start > 0 else None
    before2 = doc[start - 2] if start > 1 else None
    return bool(
        (after is not None and after.lower_ in lx.ROLE_HEADS)
        or (before is not None and before.lower_ == "of" and before2 is not None and before2.lower_ in lx.ROLE_HEADS)
    )


def _place_with_noun(doc: Doc, start: int, end: int) -> int:
    """Extend "Donetsk" to "Donetsk region" when a place noun follows the proper name."""
    if end < len(doc) and doc[end].lower_ in lx.PLACE_NOUNS and doc[end].pos_ == "NOUN" and \
            doc[end - 1].lower_ not in lx.PLACE_NOUNS | lx.PLACE_SUFFIXES:
        return end + 1  # ("the Ferghana Valley region": the name has its place noun already)
    return end


def sentence_index(doc: Doc) -> list[int]:
    """Token index -> sentence number, for stages that compare sentences of mentions."""
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


def is_named_event(ent: Span) -> bool:
    """"the Global Oceans Summit", "the Paris Agreement": a proper name that names an event or agreement."""
    return ent.label_ in ("ORG", "EVENT", "LAW", "FAC", "WORK_OF_ART", "PRODUCT") and (
        ent[-1].lower_ in lx.NAMED_EVENT_HEADS or ent[-1].lemma_.lower() in lx.NAMED_EVENT_HEADS)


def _typed(doc: Doc, ent: Span) -> str | None:
    if is_named_event(ent):
        return None
    name = span_text(doc, *clean_span(doc, ent.start, ent.end))
    if name in lx.CAPITALS:
        return "Place"  # "Kyiv" tagged as a person by a small model
    actor = NER_TYPES.get(ent.label_)
    last = ent[-1].lower_
    if actor is not None and len(ent) > 1:
        if last in lx.ORG_SUFFIXES and last not in lx.PLACE_SUFFIXES:
            return "Organization"  # "Larkspur Labs" read as a person's name, "Southern Bloc" as a place
        if last in lx.PLACE_SUFFIXES and actor == "Person":
            return "Place"  # "Mill Lane"
    if actor == "Person" and len(ent) == 1 and ent.text not in _NAME_LIKE_COUNTRIES and country_name(ent.text):
        return "Country"  # "Azerbaijan" read as a person
    if actor in ("Place", "Organization") and country_name(name):
        return "Country"
    return actor


def find_mentions(doc: Doc) -> list[ActorMention]:
    """All actor mentions of the document in text order, with titles split off as roles."""
    sent_of = sentence_index(doc)
    raw: list[ActorMention] = []
    taken: set[int] = set()
    repaired = names.cut_spans(doc)
    for ent in doc.ents:
        if (m := _ner_mention(doc, ent, repaired, sent_of)) is not None:
            raw.append(m)
            taken.update(range(ent.start, ent.end))
    raw = names.join_adjacent_people(doc, _without_overlaps(raw))
    _unlabelled(doc, raw, taken, sent_of)
    surnames = {m.text.split()[-1] for m in raw if m.type == "Person" and len(m.text.split()) > 1}
    raw[:] = [m for m in raw if not _modifier_not_person(doc, m, surnames)]
    _retype_by_context(doc, raw)
    names.people_from_evidence(doc, raw)
    place_names.places_from_evidence(doc, raw)
    place_names.unlabelled_places(doc, raw, taken, sent_of)
    names.unlabelled_people(doc, raw, taken, sent_of)
    names.retype_surnames(doc, raw, taken, sent_of)
    _propagate_names(doc, raw, taken, sent_of)
    raw = names.join_coordinated_names(doc, _without_overlaps(raw))  # the repairs above may have grown names
    raw = names.without_footers(doc, raw)
    names.known_as(doc, raw)
    names.bracket_aliases(doc, raw)
    for m in raw:
        if m.type == "Person":
            titles.attach_title(doc, m, raw)
    titles.attach_predicate_roles(doc, raw)
    titles.description_roles(doc, raw, sent_of)
    return raw


def _ner_mention(doc: Doc, ent: Span, repaired: dict, sent_of: list[int]) -> ActorMention | None:
    """The actor mention one NER span gives, its edges and type repaired; None when it is no actor."""
    typ = names.titled_person(ent) or _typed(doc, ent) or names.party_type(ent) or names.norp_person(ent)
    start, end = clean_span(doc, ent.start, ent.end)
    if ent.start in repaired:
        start, end, forced = repaired[ent.start]
        typ = forced or typ
        start = clean_span(doc, start, end)[0]
    if start >= end:
        return None
    if ent.label_ == "NORP" and typ == "Organization":
        start = names.party_start(doc, start)
    elif typ == "Organization":
        end = names.party_end(doc, end)
    if end - start == 1 and (doc[start].pos_ == "ADJ" or doc[start].tag_ == "JJ"):
        return None  # a demonym the NER took for a place: "Ukrainian energy production"
    text = raw_text(doc, start, end)
    if sum(c.isalpha() for c in text) < 2:
        return None  # "X." from "a post on X.": one letter is not a name
    if typ == "Person" and any(c.isdigit() for c in text):
        return None  # "COP29" is not a person
    if typ == "Organization" and start > 0 and doc[start - 1].lower_ in lx.ROLE_HEADS and \
            doc[start - 1].is_lower and end - start <= 3:
        typ = "Person"  # "India's delegate Chandni Raina": a role word names a person after it
    if typ is None and is_named_event(ent):
        return None
    if typ is None:
        # a proper name the NER typed oddly (PRODUCT, WORK_OF_ART) followed by "region": a place
        new_end = _place_with_noun(doc, start, end)
        if new_end == end or not doc[start].pos_ == "PROPN":
            return None
        typ, end = "Place", new_end
    elif typ in ("Place", "Organization") and ent.label_ != "FAC":
        new_end = _place_with_noun(doc, start, end)
        if new_end != end:
            typ, end = "Place", new_end  # "the Krasnodar region", whatever the NER called Krasnodar
    if typ != "Person" and _title_only(doc, start, end):
        return None
    if typ == "Organization":
        start = names.hyphen_start(doc, _and_name(doc, start, end), end)
        end = names.bracket_end(doc, end)
    if typ == "Person" and end - start >= 2 and _is_title_word(doc[end - 1]) and end < len(doc) and \
            doc[end].ent_type_ == "PERSON":
        # "[OpenAI CEO] Sam Altman": a name and a title before a person; the name is the employer
        cut = end
        while cut > start + 1 and _is_title_word(doc[cut - 1]):
            cut -= 1
        if not _is_title_word(doc[start]):
            typ, end = "Organization", cut
    if typ == "Person":
        # a PERSON span that starts with title words: "President Halvorsen"
        while start < end - 1 and (_is_title_word(doc[start]) or doc[start].lower_ in lx.HONORIFICS):
            start += 1
        # and one the NER cut short: "Mohammed bin Abdulrahman [Al Thani]"
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end - 1].dep_ == "compound" \
                and doc[end - 1].head.i >= end and not doc[end].ent_type_ and not _is_title_word(doc[end]):
            end += 1
        start, end = names.particle_name(doc, start, end)
    return ActorMention(start, end, span_text(doc, start, end), typ, sent_of[start])


def _retype_by_context(doc: Doc, raw: list[ActorMention]) -> None:
    """Types the words around a name decide: companies are bought, a lone name after "town of" is a place."""
    for m in raw:
        head = doc[m.end - 1]
        if m.type == "Person" and _bought(head) and not any(
                o.type == "Person" and o.text != m.text and o.text.split()[-1] == m.text.split()[-1] for o in raw):
            m.type = "Organization"  # "the acquisition of Activision Blizzard": companies are bought, not people
        if m.type == "Person" and m.end - m.start == 1 and head.dep_ == "pobj" and head.head.lower_ == "of" \
                and head.head.head.lower_ in lx.SETTLEMENT_NOUNS:
            m.type = "Place"


def _and_name(doc: Doc, start: int, end: int) -> int:
    """Start of an organisation's name with "and" inside that the NER cut after the "and": "[International
    Longshore and] Warehouse Union". Only capitalised words the NER left untyped and the parse joins to the
    name; "Amazon and Whole Foods Market" are two names (Amazon has a type of its own)."""
    if start < 2 or doc[start - 1].lower_ not in ("and", "&"):
        return start
    left = doc[start - 2]
    if not (left.is_title and left.is_alpha) or left.ent_type_ not in ("", "ORG") or "\n" in left.whitespace_:
        return start
    inside = range(start, end)
    # "the Labour and Justice Party": the word modifies the name's head (even if the NER typed it apart);
    # "International Longshore and Warehouse Union": an organisation's name is coordinated to two or more
    # untyped capitalised words ("Walmart and Target Stores" stays two names)
    coordinated = not left.ent_type_ and doc[end - 1].lower_ in lx.ORG_SUFFIXES and doc[start - 3].is_title \
        and not doc[start - 3].ent_type_ and any(t.head.i == left.i and t.dep_ == "conj" for t in doc[start:end])
    if not (left.head.i in inside or coordinated):
        return start
    i = start - 2
    while i > 0 and doc[i - 1].is_title and doc[i - 1].is_alpha and not doc[i - 1].ent_type_ \
            and not doc[i - 1].is_sent_start and doc[i - 1].head.i in (*inside, *range(i, start)):
        i -= 1
    return i


def _without_overlaps(mentions: list[ActorMention]) -> list[ActorMention]:
    """Drop a mention inside another one's tokens (a name part the NER typed on its own), keeping the longer."""
    kept: list[ActorMention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _proper_run(doc: Doc, head: Token, taken: set[int]) -> tuple[int, int] | None:
    """The proper-noun tokens of ``head``'s phrase ending at it: "Green Basket", "Donetsk"."""
    toks = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    if head.pos_ == "PROPN":
        toks.append(head)
    if not toks:
        return None
    start, end = min(t.i for t in toks), max(t.i for t in toks) + 1
    if any(i in taken for i in range(start, end)):
        return None
    return start, end


def _modifier_not_person(doc: Doc, m: ActorMention, surnames: set[str]) -> bool:
    """"the Zaporizhzhia nuclear power plant": a lone name modifying a thing is not a person.

    A name known as someone's surname, or modifying what people own or lead ("the Biden administration",
    "Okafor's team"), stays a person.
    """
    if m.type != "Person" or m.end - m.start != 1 or m.text in surnames:
        return False
    tok = doc[m.start]
    head = tok.head
    return tok.dep_ in ("compound", "nmod") and head.pos_ == "NOUN" and head.lemma_.lower() not in (
        lx.ROLE_HEADS | lx.PROXY_NOUNS | {"administration", "family", "era", "presidency", "plan", "camp"})


def _paragraph_start(doc: Doc, i: int) -> bool:
    return i == 0 or "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_


def _described_organisations(doc: Doc, mentions: list[ActorMention], taken: set[int], sent_of: list[int]) -> None:
    """"the streaming service Lumen Play": capitalised words right after an organisation noun name one.

    Fills in names the NER missed (or typed as a work of art) and retypes ones it called a person.
    """
    by_start = {m.start: m for m in mentions}
    named: set[str] = set()
    for tok in token_table(doc).with_lemma(lx.ORG_CLASS_NOUNS, "NOUN"):
        if tok.i == len(doc) - 1 or tok.tag_ == "NNS":
            continue
        if tok.whitespace_ == "" or "\n" in tok.whitespace_:
            continue
        end = tok.i + 1
        while end < len(doc) and _name_word(doc[end]) and end - tok.i <= 4 and doc[end].whitespace_ != "":
            end += 1
        if end < len(doc) and _name_word(doc[end]) and doc[end].whitespace_ == "" and doc[end].pos_ == "PROPN":
            end += 1  # the name's last word, followed by punctuation: "... Lumen Play,"
        start = tok.i + 1
        if end == start:
            continue
        m = by_start.get(start)
        if m is not None:
            if m.type == "Person" and m.end == end:
                named.add(m.text)  # "the music rights body Chorus Collective"
            continue
        if any(i in taken for i in range(start, end)) or country_name(span_text(doc, start, end)):
            continue
        named.add(span_text(doc, start, end))
        mentions.append(ActorMention(start, end, span_text(doc, start, end), "Organization", sent_of[start]))
        taken.update(range(start, end))
    for m in mentions:  # the same name elsewhere in the article, which the NER also called a person
        if m.type == "Person" and m.text in named:
            m.type = "Organization"


def _name_word(tok: Token) -> bool:
    """A capitalised word that can be part of a name (not "Thursday", "March", "Canadian")."""
    return tok.is_alpha and (tok.is_title or tok.is_upper) and tok.pos_ in ("PROPN", "NOUN") and \
        tok.ent_type_ not in ("DATE", "TIME", "NORP", "GPE", "LOC", "CARDINAL", "ORDINAL", "MONEY")


def _bought(tok: Token) -> bool:
    """``tok`` heads what is bought: the object of "acquire" / "buy", or "of" after "acquisition"/"takeover"."""
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in lx.ACQUISITION_VERBS:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in lx.ACQUISITION_NOUNS


def _dateline_place(doc: Doc, tok: Token) -> int:
    """End of the upper-case words opening a paragraph before a comma, a credit or a dash ("LOS ANGELES,
    June 12 -", "BRUSSELS (AP) -"): the place of a dateline; 0 when ``tok`` starts none."""
    if not (tok.is_upper and tok.is_alpha and len(tok.text) >= 3) or not _paragraph_start(doc, tok.i):
        return 0
    end = tok.i + 1
    while end < len(doc) and end - tok.i < 6 and ((doc[end].is_upper and doc[end].is_alpha) or (
            doc[end].text == "/" and end + 1 < len(doc) and doc[end + 1].is_upper)):
        end += 1  # "LOS ANGELES", "DOHA/JERUSALEM"
    if end < len(doc) and (doc[end].text in (",", "(") or (doc[end].text in _DASHES and doc[end].is_sent_end)):
        return end
    return 0


_DASHES = frozenset({"-", "—", "–", "--"})


def _front_matter(doc: Doc, m: ActorMention, sents: list[Span], sent_of: list[int]) -> bool:
    """A mention in a dateline's credit ("(Reuters)") or a byline ("By Jane Roe"): the reporting, not the story."""
    sent = sents[sent_of[m.start]]
    if not _paragraph_start(doc, sent.start):
        return False
    if sent[0].lower_ == "by" and len(sent) <= 12 and not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return True
    if sent[-1].text in _DASHES and _dateline_place(doc, sent[0]):
        before = [t.text for t in doc[sent.start:m.start]]
        return "(" in before and ")" not in before
    return False


def _unlabelled(doc: Doc, mentions: list[ActorMention], taken: set[int], sent_of: list[int]) -> None:
    """Names the NER left out but the parse makes plain.

    - "SUVA, July 2 -": a dateline's place;
    - "Kyiv", "Moscow": a capital city is a place (as a doer it stands for its country, see DocIndex);
    - "the Donetsk region": a proper noun compound on a place noun is a place;
    - "agreed to acquire Green Basket": the proper-noun object of acquire/buy is a company.
    """
    sents = list(doc.sents)
    mentions[:] = [m for m in mentions if not _front_matter(doc, m, sents, sent_of)]
    _described_organisations(doc, mentions, taken, sent_of)
    table = token_table(doc)
    for tok, pos in zip(table.tokens, table.pos, strict=True):
        if end := _dateline_place(doc, tok):
            # "SUVA, July 2 (Wire) -": the dateline names the place of the story ("DOHA/JERUSALEM": two)
            mentions[:] = [m for m in mentions if not tok.i <= m.start < end]
            cuts = [tok.i - 1] + [i for i in range(tok.i, end) if doc[i].text == "/"] + [end]
            for a, b in itertools.pairwise(cuts):
                name = span_text(doc, a + 1, b).title()
                mentions.append(ActorMention(a + 1, b, name, "Country" if country_name(name) else "Place",
                                             sent_of[tok.i]))
            taken.update(range(tok.i, end))
        elif pos == "PROPN" and tok.i not in taken and tok.text not in _NAME_LIKE_COUNTRIES and \
                tok.text[:1].isupper() and not (tok.dep_ == "compound" and tok.head.pos_ == "PROPN") and \
                (name := country_name(tok.text)) is not None:
            # "Armenia and Azerbaijan exchanged ...": a country name the NER left unlabelled
            mentions.append(ActorMention(tok.i, tok.i + 1, name, "Country", sent_of[tok.i]))
            taken.add(tok.i)
        elif pos == "PROPN" and tok.i not in taken and tok.dep_ == "pobj" and tok.head.lower_ == "of" \
                and tok.head.head.lower_ in lx.SETTLEMENT_NOUNS and tok.head.head.i < tok.i:
            # "the Armenian town of Ijevan": the name after "town of" is a place
            run = _proper_run(doc, tok, taken) or (tok.i, tok.i + 1)
            mentions.append(ActorMention(run[0], run[1], span_text(doc, *run), "Place", sent_of[run[0]]))
            taken.update(range(*run))
        elif pos == "PROPN" and tok.i not in taken and tok.lower_ in lx.ORG_SUFFIXES and \
                (tok.is_title or tok.is_upper) and (run := _proper_run(doc, tok, taken)) is not None and \
                run[1] - run[0] >= 2:
            # "Aurora Grid Oy, a Nordic operator ...": a name ending in a company word the NER left untyped
            mentions.append(ActorMention(run[0], run[1], span_text(doc, *run), "Organization", sent_of[run[0]]))
            taken.update(range(*run))
        elif pos == "PROPN" and tok.text in lx.CAPITALS and tok.i not in taken:
            mentions.append(ActorMention(tok.i, tok.i + 1, tok.text, "Place", sent_of[tok.i]))
            taken.add(tok.i)
        elif pos == "NOUN" and tok.lower_ in lx.PLACE_NOUNS:
            run = _proper_run(doc, tok, taken)
            if run is not None and run[1] == tok.i:
                mentions.append(ActorMention(run[0], tok.i + 1, span_text(doc, run[0], tok.i + 1), "Place",
                                             sent_of[run[0]]))
                taken.update(range(run[0], tok.i + 1))
        elif pos == "VERB" and tok.lemma_.lower() in lx.ACQUISITION_VERBS:
            for obj in tok.children:
                if obj.dep_ != "dobj":
                    continue
                target = obj if obj.pos_ == "PROPN" else next(
                    (c for c in obj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
                run = _proper_run(doc, target, set()) if target is not None else None
                if run is None:
                    continue
                ent_tokens = [i for i in range(*run) if doc[i].ent_type_ in ("PERSON", "ORG", "GPE")]
                if ent_tokens:
                    continue  # the NER typed it already
                for i in range(*run):
                    taken.add(i)
                mentions[:] = [m for m in mentions if not (run[0] <= m.start < run[1])]
                mentions.append(ActorMention(run[0], run[1], span_text(doc, *run), "Organization", sent_of[run[0]]))


_COMPANY_WORDS = frozenset(w.rstrip(".") for w in lx.ORG_SUFFIXES)


def short_org_name(words: list[str] | tuple[str, ...]) -> str | None:
    """The first word a company is also called by: "Larkspur" for "Larkspur Labs", "Kestrel" for "Kestrel
    Energy Storage AB" (capitalised words ending in a company word); None when that word is too generic."""
    if len(words) < 2 or words[-1].lower().rstrip(".") not in _COMPANY_WORDS:
        return None
    first = words[0]
    if not (first[:1].isupper() and first.isalpha() and len(first) >= 3) or first.lower() in lx.GENERIC_NAME_WORDS \
            or first.lower() in lx.ORG_SUFFIXES or country_name(first) or first in lx.CAPITALS:
        return None
    if not all(w[:1].isupper() for w in words[1:]):
        return None
    return first


def _propagate_names(doc: Doc, mentions: list[ActorMention], taken: set[int], sent_of: list[int]) -> None:
    """A name the NER found once is the same actor where the NER missed it: "Harvest Market's chief executive",
    and "Larkspur co-founder ..." for an article that named "Larkspur Labs"."""
    texts = [t.text for t in token_table(doc).tokens]
    known: dict[tuple[str, ...], str] = {}
    for m in mentions:
        words = tuple(texts[m.start:m.end])
        if len(words) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
            known.setdefault(words, m.type)
    for words, typ in list(known.items()):
        if typ == "Organization" and (short := short_org_name(words)) is not None:
            known.setdefault((short,), typ)
    if not known:
        return
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(known, key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
    i = 0
    while i < len(doc):
        for words in by_first.get(texts[i], ()):
            j = i + len(words)
            if len(words) == 1 and (doc[i].pos_ != "PROPN" or doc[i].ent_type_):
                continue  # a lone short name only where the tagger too reads a name the NER left untyped
            if j <= len(doc) and not any(k in taken for k in range(i, j)) and \
                    tuple(texts[i:j]) == words:
                mentions.append(ActorMention(i, j, span_text(doc, i, j), known[words], sent_of[i]))
                taken.update(range(i, j))
                i = j - 1
                break
        i += 1
