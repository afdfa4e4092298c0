"""Issue 18 constructions, one short invented text each (model-dependent: the facts are among the output)."""

from __future__ import annotations

from .conftest import facts


def test_representatives_of_countries_sign(extract_text):
    ex = extract_text("The leaders of Armenia and Georgia signed a peace accord at the palace on Friday.")
    got = facts(ex)
    assert ("Armenia", "signed", "peace accord") in got
    assert ("Georgia", "signed", "peace accord") in got


def test_new_stance_verbs(extract_text):
    ex = extract_text("Armenia and Georgia announced a trade pact on Monday. Jonas Vell hailed the pact, "
                      "while Mira Tanaba was railing against the pact.")
    got = facts(ex)
    assert ("Armenia", "agreedTo", "trade pact") in got
    assert ("Jonas Vell", "supports", "trade pact") in got
    assert ("Mira Tanaba", "opposes", "trade pact") in got


def test_championed_by_is_support(extract_text):
    ex = extract_text("The fisheries accord, championed by Jonas Vell, passed the assembly.")
    assert ("Jonas Vell", "supports", "fisheries accord") in facts(ex)


def test_lashed_out_at_an_actor(extract_text):
    ex = extract_text("Foreign Minister Jonas Vell lashed out at Georgia on Tuesday.")
    assert ("Jonas Vell", "opposes", "Georgia") in facts(ex)


def test_shook_hands_is_a_meeting(extract_text):
    ex = extract_text("Jonas Vell and Mira Tanaba shook hands outside the embassy.")
    got = facts(ex)
    assert ("Jonas Vell", "metWith", "Mira Tanaba") in got or ("Mira Tanaba", "metWith", "Jonas Vell") in got


def test_invasion_and_strikes_are_attacks(extract_text):
    ex = extract_text("Russia launched an invasion of Georgia. Estonia carried out a strike on a base of Latvia.")
    got = facts(ex)
    assert ("Russia", "attacked", "Georgia") in got
    assert ("Estonia", "attacked", "Latvia") in got


def test_possessive_invasion(extract_text):
    ex = extract_text("Russia's invasion of Georgia began in the spring.")
    assert ("Russia", "attacked", "Georgia") in facts(ex)


def test_coordinated_infinitive_is_agreed_too(extract_text):
    ex = extract_text("Armenia agreed to a truce and to enforce a ban on arms sales.")
    got = facts(ex)
    assert ("Armenia", "agreedTo", "truce") in got
    assert any(s == "Armenia" and p == "agreedTo" and "ban" in o for s, p, o in got)


def test_agreed_to_halt_but_refused(extract_text):
    ex = extract_text("Georgia agreed to halt air strikes but refused a full ceasefire.")
    got = facts(ex)
    assert ("Georgia", "rejected", "full ceasefire") in got
    assert any(s == "Georgia" and p == "agreedTo" for s, p, _ in got)


def test_light_verb_and_event_noun(extract_text):
    ex = extract_text("Armenia and Azerbaijan agreed to conduct a prisoner swap next week.")
    got = facts(ex)
    assert ("Armenia", "agreedTo", "prisoner swap") in got
    assert ("Azerbaijan", "agreedTo", "prisoner swap") in got


def test_signing_between_two_sides(extract_text):
    ex = extract_text("The conflict ended with the signing of a historic accord between Prime Minister "
                      "Jonas Vell and rebel leader Mira Tanaba.")
    got = facts(ex)
    assert any(s == "Jonas Vell" and p == "signed" for s, p, _ in got)
    assert any(s == "Mira Tanaba" and p == "signed" for s, p, _ in got)


def test_stance_nouns(extract_text):
    ex = extract_text("Latvia and Estonia reached a fisheries accord on Monday. President Otto Brandt is in "
                      "support of the accord. Ilse Kahn has been a strong critic of the accord. "
                      "Georgia voiced support for the accord.")
    got = facts(ex)
    assert ("Otto Brandt", "supports", "fisheries accord") in got
    assert ("Ilse Kahn", "opposes", "fisheries accord") in got
    assert ("Georgia", "supports", "fisheries accord") in got


def test_one_agreement_under_several_heads(extract_text):
    ex = extract_text("Jonas Vell and Mira Tanaba signed a historic accord on Tuesday. The deal was signed "
                      "in the capital. Vell said the peace agreement would end the war.")
    plain = [a for a in ex.agreements if a.type in ("Deal", "Agreement")]
    assert len(plain) == 1
    assert plain[0].label == "peace agreement"


def test_demonym_bodies_act_for_their_country(extract_text):
    ex = extract_text("Estonia will free 300 prisoners under a prisoner exchange deal struck between the "
                      "Latvian government and Hamas.")
    got = facts(ex)
    assert ("Latvia", "agreedTo", "prisoner exchange deal") in got
    assert ("Hamas", "agreedTo", "prisoner exchange deal") in got


def test_demonym_attacker_and_where_the_strikes_fell(extract_text):
    ex = extract_text("Several Israeli strikes were reported across the Gaza Strip.")
    assert ("Israel", "attacked", "Gaza Strip") in facts(ex)


def test_a_demonym_alone_is_no_node(extract_text):
    ex = extract_text("Palestinian officials spoke to reporters in Cairo on Monday.")
    assert "Palestine" not in {e.label for e in ex.entities}


def test_in_favour_of(extract_text):
    ex = extract_text("Latvia and Estonia signed a tuition deal. The Liberal Party is in favour of the tuition deal.")
    assert ("Liberal Party", "supports", "tuition deal") in facts(ex)


def test_package_prepared_by_is_proposed(extract_text):
    ex = extract_text("The leaders discussed the political package prepared by the Orange Movement.")
    assert ("Orange Movement", "proposed", "political package") in facts(ex)


def test_involved_in_the_coup(extract_text):
    ex = extract_text("The guard unit involved in the coup, the Regiment of Presidential Security, "
                      "would be dissolved.")
    assert ("Regiment of Presidential Security", "participatesIn", "coup") in facts(ex)


def test_brokered_written_apart_and_ceasefire_sides(extract_text):
    ex = extract_text("Latvia agreed to the plan in the UN brokered Riga Agreement. "
                      "A 72 hour ceasefire between the Israeli military and Hamas began.")
    got = facts(ex)
    assert ("UN", "negotiated", "Riga Agreement") in got
    assert ("Israel", "participatesIn", "72 hour ceasefire") in got
    assert ("Hamas", "participatesIn", "72 hour ceasefire") in got


def test_conference_call_is_no_summit(extract_text):
    ex = extract_text("Jonas Vell joined a conference call with Karl Odum on Monday.")
    assert not any(a.type == "Summit" for a in ex.agreements)


def test_talks_between_two_leaders_are_a_meeting(extract_text):
    ex = extract_text("The talks between President Karl Odum and opposition leader Ilse Kahn were mediated "
                      "by Mira Tanaba.")
    got = facts(ex)
    assert ("Ilse Kahn", "metWith", "Karl Odum") in got or ("Karl Odum", "metWith", "Ilse Kahn") in got
    assert ("Mira Tanaba", "negotiated", "talks") in got


def test_descriptions_cast_a_stance(extract_text):
    ex = extract_text('Latvia and Estonia signed a trade pact. Jonas Vell cast the pact as essential for growth. '
                      'The African Union described the pact as "null and void". Ilse Kahn called the pact a '
                      'betrayal. Mira Tanaba described the pact as not a victory.')
    got = facts(ex)
    assert ("Jonas Vell", "supports", "trade pact") in got
    assert ("African Union", "opposes", "trade pact") in got
    assert ("Ilse Kahn", "opposes", "trade pact") in got
    assert not any(s == "Mira Tanaba" for s, _, _ in got)


def test_owned_targets_and_possessed_bodies(extract_text):
    ex = extract_text("The Azawad Front attacked a convoy of the Malian army near the border. The Israeli army "
                      "carried out air strikes against Hezbollah positions overnight.")
    got = facts(ex)
    assert ("Azawad Front", "attacked", "Mali") in got
    assert ("Israel", "attacked", "Hezbollah") in got


def test_according_to_a_statement_reports_the_stance(extract_text):
    ex = extract_text("Sudan's army and the Rapid Support Forces agreed to a week-long truce on Saturday, "
                      "according to a joint statement by Saudi Arabia and the United States.")
    names = {e.key: e.label for e in ex.entities}
    got = [r for r in ex.relations if r.predicate == "agreedTo" and r.provenance.confidence >= 0.5]
    assert {names.get(r.subject) for r in got} >= {"Sudan", "Rapid Support Forces"}
    assert all(r.modality == "reported" and {names[k] for k in r.reported_by} == {"Saudi Arabia", "United States"}
               for r in got)
