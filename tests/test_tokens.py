"""The token table (graph/nlp/tokens.py): the rules' filters over it pick exactly what walking the Doc picks."""

from __future__ import annotations

from graph.nlp.tokens import token_table

TEXT = ("The Harbour Council signed a water-sharing treaty with Estmark on Tuesday. Its chair, Lena Vos, said "
        "talks had been difficult, and the ministers met again in Brask to discuss the rail deal.")


def test_filters_pick_what_walking_the_doc_picks(nlp) -> None:
    doc = nlp(TEXT)
    table = token_table(doc)
    assert [t.i for t in table.tokens] == [t.i for t in doc]
    for pos in (("VERB",), ("NOUN", "PROPN"), ("VERB", "AUX")):
        assert [t.i for t in table.with_pos(*pos)] == [t.i for t in doc if t.pos_ in pos]
    lemmas = {"sign", "meet", "say", "discuss"}
    assert [t.i for t in table.with_lemma(lemmas, "VERB")] == [
        t.i for t in doc if t.lemma_.lower() in lemmas and t.pos_ == "VERB"]
    assert [t.i for t in table.with_lemma(lemmas)] == [t.i for t in doc if t.lemma_.lower() in lemmas]
    assert len(table.with_lemma(lemmas, "VERB")) >= 3
    words = {"treaty", "deal", "chair"}
    assert [t.text for t in table.with_lower(words)] == ["treaty", "chair", "deal"]


def test_one_table_per_doc(nlp) -> None:
    a, b = nlp(TEXT), nlp("Brask and Estmark agreed.")
    first = token_table(a)
    assert token_table(a) is first  # kept while the rules read the same article
    other = token_table(b)
    assert other is not first and [t.text for t in other.tokens] == [t.text for t in b]
    assert token_table(a) is not first and token_table(a).doc is a  # made again for the first Doc
