"""Cross-article resolution: exact tests of the rules on hand-made records, then three small articles end to end.

Every name here is invented for the test.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from graph.builder import build_graph
from graph.keys import agreement_key, entity_key
from graph.model import KnowledgeGraph
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement
from graph.resolution.actors import given_compatible, surname_key
from graph.resolution.agreements import content_words
from graph.resolution.merge import article_view, merge_extractions, resolve

# --- helpers ------------------------------------------------------------------------------------------------


def ent(name: str, aid: str, type_: str = "Person", *, aliases: tuple[str, ...] = (), code: str | None = None,
        roles: tuple[str, ...] = ()) -> Entity:
    return Entity(key=entity_key(type_, name), type=type_, label=name, aliases=aliases, roles=roles, articles=(aid,),
                  code=code)


def agr(label: str, aid: str, type_: str = "Ceasefire", status: str | None = None) -> Agreement:
    return Agreement(key=agreement_key(aid, label), type=type_, label=label, status=status, articles=(aid,),
                     provenance=Provenance(aid, f"About the {label}.", 0, 10, 1.0))


def rel(s: str, p: str, o: str, aid: str, start: int = 0) -> Relation:
    return Relation(s, p, o, Provenance(aid, "A sentence.", start, start + 11, 0.9))


def article(aid: str, *entities: Entity, agreements: tuple[Agreement, ...] = (),
            relations: tuple[Relation, ...] = (), published: str | None = None) -> Extraction:
    return Extraction(article=Article(id=aid, text="", path=f"{aid}.txt", published=published),
                      entities=list(entities), agreements=list(agreements), relations=list(relations))


def people(kg: KnowledgeGraph) -> dict[str, Entity]:
    return {e.label: e for e in kg.entities.values() if e.type == "Person"}


# --- name rules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("a,b", [("zelenskiy", "zelenskyy"), ("zelensky", "zelenskyy"), ("lindqvist", "lindquist"),
                                 ("shevchenko", "shevtchenko")])
def test_transliteration_variants_share_a_surname_key(a, b):
    assert surname_key(a) == surname_key(b)


@pytest.mark.parametrize("a,b", [("kovalenko", "kovarenko"), ("lindqvist", "lindgren"), ("ivanov", "petrov")])
def test_different_surnames_keep_different_keys(a, b):
    assert surname_key(a) != surname_key(b)


@pytest.mark.parametrize("a,b,same", [
    ("aleksandr", "oleksandr", True), ("maria", "m", True), ("maria", "maria", True),
    ("maria", "johan", False), ("maria", "mario", False), ("m", "j", False), ("mikhail", "mykhailo", True),
])
def test_given_names(a, b, same):
    assert given_compatible(a, b) is same


def test_content_words_ignore_articles_dates_and_plurals():
    assert content_words("the 30-day ceasefire on Monday") == {"30day", "ceasefire"}
    assert content_words("ceasefire on energy targets") == {"ceasefire", "energy", "target"}


# --- people -------------------------------------------------------------------------------------------------


def test_spelling_variants_and_surname_mentions_become_one_person_with_every_alias():
    kg = merge_extractions([
        article("a1", ent("Aleksandr Kovalenko", "a1", aliases=("Kovalenko",), roles=("President",))),
        article("a2", ent("Oleksandr Kovalenko", "a2")),
        article("a3", ent("Kovalenko", "a3")),
        article("a4", ent("Aleksandr Kovalenko", "a4")),
    ])
    [person] = people(kg).values()
    assert person.label == "Aleksandr Kovalenko"  # the most frequent full form (2 articles of 4)
    assert person.key == entity_key("Person", "Aleksandr Kovalenko")
    assert set(person.aliases) == {"Kovalenko", "Oleksandr Kovalenko"}
    assert person.articles == ("a1", "a2", "a3", "a4")
    assert person.roles == ("President",)


def test_two_people_sharing_a_surname_stay_two():
    kg = merge_extractions([article("a1", ent("Maria Lindqvist", "a1")), article("a2", ent("Johan Lindqvist", "a2"))])
    assert set(people(kg)) == {"Maria Lindqvist", "Johan Lindqvist"}


def test_a_lone_surname_joins_only_an_unambiguous_person():
    alone = merge_extractions([article("a1", ent("Maria Lindqvist", "a1")), article("a2", ent("Lindqvist", "a2"))])
    assert set(people(alone)) == {"Maria Lindqvist"}
    ambiguous = merge_extractions([article("a1", ent("Maria Lindqvist", "a1")),
                                   article("a2", ent("Johan Lindqvist", "a2")), article("a3", ent("Lindqvist", "a3"))])
    assert set(people(ambiguous)) == {"Maria Lindqvist", "Johan Lindqvist", "Lindqvist"}


def test_an_initial_cannot_chain_two_people_together():
    kg = merge_extractions([article("a1", ent("Maria Lindqvist", "a1")), article("a2", ent("Mikael Lindqvist", "a2")),
                            article("a3", ent("M. Lindqvist", "a3"))])
    assert {"Maria Lindqvist", "Mikael Lindqvist"} <= set(people(kg))
    assert len(people(kg)) == 3


def test_names_one_article_kept_apart_are_never_merged():
    kg = merge_extractions([article("a1", ent("Aleksandr Kovalenko", "a1"), ent("Oleksandr Kovalenko", "a1"))])
    assert len(people(kg)) == 2


def test_first_names_that_differ_keep_people_apart_despite_similar_spelling():
    kg = merge_extractions([article("a1", ent("Maria Lindqvist", "a1")), article("a2", ent("Mario Lindquist", "a2"))])
    assert len(people(kg)) == 2


def test_the_result_does_not_depend_on_article_order():
    exs = [
        article("a1", ent("Aleksandr Kovalenko", "a1"), ent("Moldova", "a1", "Country", code="MD")),
        article("a2", ent("Oleksandr Kovalenko", "a2"), ent("Republic of Moldova", "a2", "Country", code="MD")),
        article("a3", ent("Oleksandr Kovalenko", "a3"), ent("Kovalenko", "a3")),
    ]
    results = {repr(merge_extractions(list(p))) for p in itertools.permutations(exs)}
    assert len(results) == 1


def test_tie_between_full_forms_goes_to_the_longest_then_alphabetical():
    kg = merge_extractions([article("a1", ent("Oleksandr Kovalenko", "a1")), article("a2", ent("Aleksandr Kovalenko",
                                                                                               "a2"))])
    assert list(people(kg)) == ["Aleksandr Kovalenko"]


# --- other actors -------------------------------------------------------------------------------------------


def test_countries_merge_by_iso_code_and_keep_it():
    kg = merge_extractions([article("a1", ent("Moldova", "a1", "Country", code="MD")),
                            article("a2", ent("Republic of Moldova", "a2", "Country", code="MD")),
                            article("a3", ent("Moldova", "a3", "Country", code="MD"))])
    [country] = kg.entities.values()
    assert (country.label, country.code, country.aliases) == ("Moldova", "MD", ("Republic of Moldova",))


def test_an_acronym_given_as_an_alias_elsewhere_merges():
    kg = merge_extractions([
        article("a1", ent("Harbour Safety Authority", "a1", "Organization", aliases=("HSA",))),
        article("a2", ent("HSA", "a2", "Organization")),
        article("a3", ent("Harbour Safety Authority Ltd", "a3", "Organization")),
        article("a4", ent("Harbour Safety Authority", "a4", "Organization")),
    ])
    [org] = kg.entities.values()
    assert org.label == "Harbour Safety Authority"
    assert set(org.aliases) == {"HSA", "Harbour Safety Authority Ltd"}


def test_different_types_never_merge():
    kg = merge_extractions([article("a1", ent("Kovalenko", "a1", "Organization")),
                            article("a2", ent("Kovalenko", "a2"))])
    assert len(kg.entities) == 2


# --- agreements ---------------------------------------------------------------------------------------------


def _ceasefire_reports(party_of: dict[str, str], labels: dict[str, str]) -> list[Extraction]:
    exs = []
    for aid, label in labels.items():
        person = ent(party_of[aid], aid)
        a = agr(label, aid, status="agreed" if aid == "a2" else None)
        exs.append(article(aid, person, agreements=(a,), relations=(rel(person.key, "agreedTo", a.key, aid),),
                           published=f"2025-03-0{aid[-1]}"))
    return exs


def test_one_ceasefire_reported_three_times_is_one_node_with_three_articles():
    exs = _ceasefire_reports({"a1": "Aleksandr Kovalenko", "a2": "Oleksandr Kovalenko", "a3": "Kovalenko"},
                             {"a1": "30-day ceasefire", "a2": "ceasefire", "a3": "ceasefire"})
    res = resolve(exs)
    [ceasefire] = res.graph.agreements.values()
    assert ceasefire.articles == ("a1", "a2", "a3")
    assert ceasefire.label == "ceasefire" and ceasefire.aliases == ("30-day ceasefire",)
    assert ceasefire.key == agreement_key("a1", "30-day ceasefire")  # the first report's key: stable as more arrive
    assert ceasefire.status == "agreed"
    person = entity_key("Person", "Aleksandr Kovalenko")
    assert {(r.subject, r.object) for r in res.graph.relations} == {(person, ceasefire.key)}
    assert {r.provenance.article for r in res.graph.relations} == {"a1", "a2", "a3"}


def test_ceasefires_without_a_shared_party_stay_apart():
    exs = _ceasefire_reports({"a1": "Aleksandr Kovalenko", "a2": "Maria Lindqvist", "a3": "Johan Lindqvist"},
                             {"a1": "ceasefire", "a2": "ceasefire", "a3": "ceasefire"})
    assert len(merge_extractions(exs).agreements) == 3


def test_agreements_with_different_words_or_families_stay_apart():
    exs = _ceasefire_reports({"a1": "Maria Lindqvist", "a2": "Maria Lindqvist", "a3": "Maria Lindqvist"},
                             {"a1": "grain deal", "a2": "energy ceasefire", "a3": "prisoner exchange"})
    assert len(merge_extractions(exs).agreements) == 3
    meeting = _ceasefire_reports({"a1": "Maria Lindqvist", "a2": "Maria Lindqvist"}, {"a1": "talks", "a2": "talks"})
    meeting[1] = article("a2", *meeting[1].entities, agreements=(agr("talks", "a2", "Ceasefire"),),
                         relations=meeting[1].relations)
    meeting[0] = article("a1", *meeting[0].entities, agreements=(agr("talks", "a1", "Talks"),),
                         relations=meeting[0].relations)
    assert len(merge_extractions(meeting).agreements) == 2


def test_two_different_pairs_of_countries_keep_their_ceasefires_apart():
    def report(aid: str, *countries: str) -> Extraction:
        cs = [ent(c, aid, "Country", code=c[:2].upper()) for c in countries]
        a = agr("ceasefire", aid)
        return article(aid, *cs, agreements=(a,), relations=tuple(rel(c.key, "agreedTo", a.key, aid, i)
                                                                  for i, c in enumerate(cs)))

    apart = merge_extractions([report("a1", "Moldova", "Sweden"), report("a2", "Moldova", "Norway")])
    assert len(apart.agreements) == 2
    together = merge_extractions([report("a1", "Moldova", "Sweden"), report("a2", "Moldova")])
    assert len(together.agreements) == 1


def test_endpoints_of_relations_statements_and_places_follow_the_merge():
    a1 = ent("Aleksandr Kovalenko", "a1")
    a2, city = ent("Oleksandr Kovalenko", "a2"), ent("Chisinau", "a2", "Place")
    talks = agr("talks", "a2", "Talks")
    talks = Agreement(**{**{f: getattr(talks, f) for f in talks.__slots__}, "place": city.key})
    st = Statement("statement/a2/x", (a2.key,), "We are ready.", "said", "quote", Provenance("a2", "s", 0, 5, 1.0))
    ex2 = article("a2", a2, city, agreements=(talks,), relations=(rel(a2.key, "participatesIn", talks.key, "a2"),))
    ex2.statements.append(st)
    res = resolve([article("a1", a1), ex2])
    merged = entity_key("Person", "Aleksandr Kovalenko")
    assert res.graph.statements["statement/a2/x"].speakers == (merged,)
    assert [r.subject for r in res.graph.relations] == [merged]
    assert res.graph.agreements[talks.key].place == city.key
    view = article_view(ex2, res)
    assert set(view.entities) == {merged, city.key}
    assert view.entities[merged].aliases == ("Oleksandr Kovalenko",)  # this article's own name for the node
    assert view.entities[merged].articles == ("a2",)


# --- end to end: three small articles -------------------------------------------------------------------------

ARTICLES = {
    "a1.txt": "President Aleksandr Kovalenko of Moldova and Prime Minister Maria Lindqvist of Sweden agreed to a "
              "30-day ceasefire on Monday. Kovalenko said the ceasefire would begin at midnight. Lindqvist praised "
              "the ceasefire.",
    "a2.txt": "President Oleksandr Kovalenko signed the ceasefire with Sweden on Tuesday in Chisinau. The opposition "
              "leader Johan Lindqvist criticized the ceasefire and said it would not last.",
    "a3.txt": "The ceasefire between Moldova and Sweden held on Wednesday. President Kovalenko said the ceasefire "
              "was a victory for common sense. Kovalenko agreed to the ceasefire last week.",
}


def write_articles(folder: Path, articles: dict[str, str] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_three_articles_build_one_node_per_person_and_one_ceasefire(tmp_path, nlp):
    kg = build_graph([write_articles(tmp_path / "src")])
    assert len(kg.articles) == 3
    persons = people(kg)
    assert set(persons) == {"Aleksandr Kovalenko", "Maria Lindqvist", "Johan Lindqvist"}
    kovalenko = persons["Aleksandr Kovalenko"]
    assert {"Oleksandr Kovalenko", "Kovalenko"} <= set(kovalenko.aliases)
    assert len(kovalenko.articles) == 3
    ceasefires = [a for a in kg.agreements.values() if a.type == "Ceasefire"]
    assert len(ceasefires) == 1
    assert len(ceasefires[0].articles) == 3
    assert {c.code for c in kg.entities.values() if c.type == "Country"} == {"MD", "SE"}


@pytest.mark.slow
def test_merging_leaves_a_one_article_graph_as_it_was(nlp):
    from graph.nlp.extract import extract_doc
    from graph.sources import read_articles

    from .conftest import SEED

    [art] = read_articles([SEED])
    ex = extract_doc(art, nlp(art.text))
    merged, plain = merge_extractions([ex]), KnowledgeGraph.from_extractions([ex])
    assert merged.entities == plain.entities
    assert merged.agreements == plain.agreements
    assert merged.relations == plain.relations
    assert merged.statements == plain.statements
