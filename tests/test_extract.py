"""Extraction on small texts written for the test, one construction at a time, on many topics.

These depend on the statistical model, so they assert that the expected facts are *among* the
output (and that a few wrong ones are not), never that the output equals a frozen dump.
"""

from __future__ import annotations

import pytest

from .conftest import facts, labels

# --- entities and resolution --------------------------------------------------------------------


def test_titles_are_roles_and_surnames_resolve(extract_text):
    ex = extract_text(
        "Foreign Minister Ingrid Halvorsen met with Chancellor Otto Brandt in Oslo. "
        "Halvorsen said the talks were useful. Brandt's office declined to comment."
    )
    people = {e.label: e for e in ex.entities if e.type == "Person"}
    assert set(people) >= {"Ingrid Halvorsen", "Otto Brandt"}
    assert not {"Halvorsen", "Brandt", "Foreign Minister Ingrid Halvorsen"} & set(people)
    assert "Foreign Minister" in people["Ingrid Halvorsen"].roles
    assert "Chancellor" in people["Otto Brandt"].roles
    assert ("Ingrid Halvorsen", "metWith", "Otto Brandt") in facts(ex) or (
        "Otto Brandt", "metWith", "Ingrid Halvorsen") in facts(ex)


def test_countries_are_typed_and_normalised_demonyms_are_not_entities(extract_text):
    ex = extract_text("The U.S. and Vietnam agreed to a new trade deal. American farmers welcomed it, "
                      "and Vietnamese exporters in Hanoi were pleased.")
    by_label = {e.label: e for e in ex.entities}
    assert by_label["United States"].type == "Country"
    assert by_label["United States"].code == "US"
    assert by_label["Vietnam"].type == "Country"
    assert by_label["Hanoi"].type == "Place"
    assert not {"American", "Vietnamese"} & set(by_label)


def test_organisation_short_forms_merge(extract_text):
    ex = extract_text("The Federal Aviation Administration grounded the jets on Friday. "
                      "FAA inspectors will visit Corvid Aerospace next week. Corvid said it would cooperate.")
    orgs = {e.label: e for e in ex.entities if e.type == "Organization"}
    assert "Federal Aviation Administration" in orgs
    assert "FAA" in orgs["Federal Aviation Administration"].aliases
    assert "FAA" not in orgs


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_phrases_keep_modifiers_and_link_anaphora(extract_text):
    ex = extract_text(
        "Armenia and Azerbaijan agreed to a 60-day truce along the northern border on Monday. "
        "This truce is the first since the spring. Both sides said the truce would be monitored."
    )
    truces = [a for a in ex.agreements if a.type == "Ceasefire"]
    assert len(truces) == 1
    assert truces[0].label == "60-day truce along the northern border" or "60-day truce" in truces[0].label
    assert truces[0].duration == "60-day"
    assert truces[0].status == "agreed"
    assert ("Armenia", "agreedTo", truces[0].label) in facts(ex)
    assert ("Azerbaijan", "agreedTo", truces[0].label) in facts(ex)


def test_hoped_for_agreement_is_not_agreed(extract_text):
    ex = extract_text("Mediators said the meetings could lead to a permanent ceasefire within weeks.")
    perm = [a for a in ex.agreements if "permanent" in a.label]
    assert perm and perm[0].status == "hoped for"
    assert not any(r.predicate == "agreedTo" for r in ex.relations)


def test_relative_clause_and_coordination(extract_text):
    ex = extract_text("Critics attacked the pension reform plan that the government and the unions proposed "
                      "in May. Nordland and Sudmark rejected the plan the two governors drafted.")
    got = facts(ex)
    plans = [a.label for a in ex.agreements if a.type == "Proposal"]
    assert plans
    assert ("Nordland", "rejected", plans[-1]) in got or any(
        s == "Nordland" and p == "rejected" for s, p, _ in got)


def test_reduced_relative_without_that(extract_text):
    ex = extract_text("Officials described the prisoner swap Colonel Mara Voss negotiated last month as a success.")
    swap = next(a for a in ex.agreements if a.type == "Exchange")
    assert ("Mara Voss", "negotiated", swap.label) in facts(ex)


def test_passive_agent_and_between(extract_text):
    ex = extract_text("The accord was signed by Ghana and Togo in Lomé. "
                      "A separate deal, hammered out between Mali and Niger, was announced later.")
    got = facts(ex)
    accord = next(a.label for a in ex.agreements if "accord" in a.label.lower() or a.type == "Agreement")
    assert ("Ghana", "signed", accord) in got
    assert ("Togo", "signed", accord) in got
    assert any(s == "Mali" and p == "negotiated" for s, p, _ in got)
    assert any(s == "Niger" and p == "negotiated" for s, p, _ in got)


def test_acquisition_from_verb(extract_text):
    ex = extract_text("Orbital Foods Inc. agreed on Tuesday to acquire Green Basket for $2 billion. "
                      "The deal still needs approval from regulators.", published="2026-04-09")
    acq = [a for a in ex.agreements if a.type == "Acquisition"]
    assert len(acq) == 1
    assert "Green Basket" in acq[0].label
    assert ("Orbital Foods Inc.", "agreedTo", acq[0].label) in facts(ex)
    assert acq[0].date == "2026-04-07"


def test_offer_from_a_proposer_is_a_proposal(extract_text):
    ex = extract_text("Tessaro rejected an offer from Vireo Capital in January.")
    offer = next(a for a in ex.agreements if a.type == "Proposal")
    got = facts(ex)
    assert ("Vireo Capital", "proposed", offer.label) in got
    assert ("Tessaro", "rejected", offer.label) in got


def test_negation_is_not_an_edge(extract_text):
    ex = extract_text("Peru did not sign the fisheries treaty. Chile signed the fisheries treaty.")
    got = facts(ex)
    assert ("Chile", "signed", "fisheries treaty") in got
    assert ("Peru", "signed", "fisheries treaty") not in got


def test_refused_to_sign_is_a_rejection(extract_text):
    ex = extract_text("Hungary refused to sign the migration pact on Thursday.")
    assert ("Hungary", "rejected", "migration pact") in facts(ex)


def test_future_participation_is_kept_and_marked(extract_text):
    ex = extract_text("Ukraine will participate in the upcoming energy talks in Geneva.")
    rel = [r for r in ex.relations if r.predicate == "participatesIn"]
    assert rel and rel[0].modality == "future"
    talks = next(a for a in ex.agreements if a.type == "Talks")
    assert ("energy talks" in talks.label) and ("upcoming" not in talks.label)
    assert (talks.label, "locatedIn", "Geneva") in facts(ex)


# --- contacts, attacks, memberships, places ----------------------------------------------------------


def test_nominal_call_and_meeting(extract_text):
    ex = extract_text("Prime Minister Ana Ruiz agreed to the plan in a call with President Tomas Lind. "
                      "Lind later praised the idea during a meeting with Ruiz in Madrid.")
    got = facts(ex)
    assert ("Ana Ruiz", "spokeWith", "Tomas Lind") in got or ("Tomas Lind", "spokeWith", "Ana Ruiz") in got
    assert ("Ana Ruiz", "metWith", "Tomas Lind") in got or ("Tomas Lind", "metWith", "Ana Ruiz") in got


def test_possessive_pronoun_call(extract_text):
    ex = extract_text("Officials said strikes paused after President Ilse Novak finished her call with "
                      "Chancellor Pieter Vos.")
    got = facts(ex)
    assert ("Ilse Novak", "spokeWith", "Pieter Vos") in got or ("Pieter Vos", "spokeWith", "Ilse Novak") in got


def test_attack_verb_and_noun(extract_text):
    ex = extract_text("Eastland attacked Westria on Sunday. Two days later Westria launched strikes on Eastland.")
    got = facts(ex)
    assert ("Eastland", "attacked", "Westria") in got
    assert ("Westria", "attacked", "Eastland") in got


def test_membership_from_title_and_copula(extract_text):
    ex = extract_text("Brightline Bank spokesperson Hana Ito confirmed the sale. "
                      "Omar Qureshi is a Daily Ledger reporter.")
    got = facts(ex)
    assert ("Hana Ito", "memberOf", "Brightline Bank") in got
    assert ("Omar Qureshi", "memberOf", "Daily Ledger") in got
    roles = {e.label: e.roles for e in ex.entities}
    assert "spokesperson" in roles["Hana Ito"]
    assert "reporter" in roles["Omar Qureshi"]


def test_region_of_country_is_located_in(extract_text):
    ex = extract_text("Fighting continued in the Donetsk region of Ukraine on Friday.")
    assert ("Donetsk region", "locatedIn", "Ukraine") in facts(ex)


# --- quotes and claims ---------------------------------------------------------------------------


def test_quote_speakers_after_before_and_continued(extract_text):
    ex = extract_text(
        "“We will not sign a deal that hurts our farmers,” Senator Lucia Ferro said on Monday. "
        "“Our answer is no.”\n"
        "Ferro's colleague, Senator Dan Pike, said: “The vote is next week and we have the numbers.”"
    )
    by_text = {s.text: s for s in ex.statements if s.kind == "quote"}
    first = next(s for t, s in by_text.items() if t.startswith("We will not sign"))
    assert first.speakers == ("person/lucia-ferro",)
    assert first.cue == "said"
    cont = next(s for t, s in by_text.items() if t.startswith("Our answer"))
    assert cont.speakers == ("person/lucia-ferro",)
    third = next(s for t, s in by_text.items() if t.startswith("The vote"))
    assert third.speakers == ("person/dan-pike",)


def test_they_said_resolves_to_coordinated_speakers(extract_text):
    ex = extract_text("The plan was announced in a statement by Minister Eva Lund and Minister Karl Berg. "
                      "“This is the fairest plan we could find,” they said.")
    quote = next(s for s in ex.statements if s.kind == "quote")
    assert set(quote.speakers) == {"person/eva-lund", "person/karl-berg"}
    assert quote.provenance.resolved


def test_reported_agreement_is_an_edge_marked_reported(extract_text):
    # issue 18 revises the earlier rule: the narrator's report of a stance is how news reports agreements,
    # so it is exported, marked reported (a stance inside quotation marks stays a quote: test_events_reported)
    ex = extract_text("Officials in Quito said Ecuador agreed to the mining deal.")
    assert ("Ecuador", "agreedTo", "mining deal") in facts(ex)
    got = [r for r in ex.relations if r.predicate == "agreedTo"]
    assert got and all(r.modality == "reported" for r in got)


def test_indirect_claim_is_a_statement(extract_text):
    ex = extract_text("Moldavia claimed that the border crossings had been reopened by its soldiers.")
    claims = [s for s in ex.statements if s.kind == "claim"]
    speaker = next(e.key for e in ex.entities if e.label == "Moldavia")
    assert len(claims) == 1
    assert claims[0].speakers == (speaker,)
    assert claims[0].cue == "claimed"
    assert claims[0].text.startswith("the border crossings had been reopened")


def test_scare_quotes_are_not_statements(extract_text):
    ex = extract_text("The so-called “technical” talks will resume in “weeks,” diplomats said.")
    assert not [s for s in ex.statements if s.kind == "quote" and len(s.text.split()) < 3]


# --- provenance and time ------------------------------------------------------------------------------


def test_every_relation_has_exact_sentence_offsets(extract_text):
    text = ("Pakistan and India agreed to a prisoner exchange on Wednesday.\n"
            "Pakistan later proposed new talks in Doha.")
    ex = extract_text(text, published="2026-03-12")
    assert ex.relations
    for r in ex.relations:
        p = r.provenance
        assert text[p.start:p.end] == p.sentence
        assert 0 < p.confidence <= 1
    exchange = next(a for a in ex.agreements if a.type == "Exchange")
    assert exchange.date == "2026-03-11"


@pytest.mark.parametrize("text,label", [
    ("The ceasefire deal was welcomed by Qatar.", "ceasefire deal"),
    ("The climate accord on methane was signed in Baku.", "climate accord on methane"),
    ("Kenya and Norway proposed a moratorium on deep-sea mining.", "moratorium on deep-sea mining"),
])
def test_agreement_labels(extract_text, text, label):
    ex = extract_text(text)
    assert label in {a.label for a in ex.agreements}
    assert labels(ex)


def test_names_the_ner_gets_wrong_are_repaired(extract_text):
    ex = extract_text("Armenia and Azerbaijan exchanged 32 prisoners near the Armenian town of Ijevan. "
                      "Officials discussed the future of the Zaporizhzhia nuclear power plant.")
    by_label = {e.label: e.type for e in ex.entities}
    assert by_label.get("Armenia") == "Country"
    assert by_label.get("Ijevan") == "Place"
    assert "Zaporizhzhia" not in by_label or by_label["Zaporizhzhia"] != "Person"
    got = facts(ex)
    assert ("Ijevan", "locatedIn", "Armenia") in got
    swap = next(a.label for a in ex.agreements if a.type == "Exchange")
    assert ("Armenia", "participatesIn", swap) in got and ("Azerbaijan", "participatesIn", swap) in got


def test_memberships_from_appositions_and_possessives(extract_text):
    ex = extract_text("The union signed the deal. Its general secretary, Dev Sharma, welcomed it. "
                      "Corvid Aerospace, whose chief executive, Lena Holm, spoke first, backed the plan.")
    got = facts(ex)
    assert ("Lena Holm", "memberOf", "Corvid Aerospace") in got
