"""Long articles are parsed in windows (graph.nlp.pipeline.parse): the text and every offset stay exact."""

from __future__ import annotations

import pytest

from graph.nlp.extract import extract_doc
from graph.nlp.pipeline import parse, parse_docs, windows
from graph.records import Article
from graph.sources import article_id

PARAS = [
    "Kenya and Uganda signed a water-sharing treaty on Lake Victoria on Monday.",
    "Kenyan Foreign Minister Amina Odhiambo met with Ugandan Foreign Minister Peter Okello in Nairobi.",
    "France and Germany signed a defence treaty in Paris on Wednesday.",
    "“We will not accept this deal,” Odhiambo said.",
]


def test_windows_cover_the_text_and_cut_at_paragraphs_first():
    text = "\n\n".join(PARAS)
    spans = windows(text, 120)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b - a <= 120 for a, b in spans)
    # every cut falls right after a paragraph break, and a window holds as many whole paragraphs as fit
    assert len(spans) > 1 and all(text[b - 2:b] == "\n\n" for _, b in spans[:-1])
    assert all(len(text[a:b]) + len(text[b:].split("\n\n")[0]) > 120 for a, b in spans[:-1])


def test_windows_fall_back_to_sentences_then_spaces():
    one_para = " ".join(PARAS)
    spans = windows(one_para, 120)
    assert "".join(one_para[a:b] for a, b in spans) == one_para
    assert len(spans) > 1 and all(one_para[b - 2] in ".”" for _, b in spans[:-1])  # cut after a sentence
    words = "word " * 100
    spans = windows(words, 23)
    assert "".join(words[a:b] for a, b in spans) == words and all(b - a <= 23 for a, b in spans)
    assert all(words[a:b].startswith("word") for a, b in spans)
    assert windows("x" * 50, 10) == [(0, 50)]  # nothing to cut at: one window, never a cut inside a word
    assert windows("", 10) == [(0, 0)]


@pytest.mark.slow
def test_a_windowed_parse_keeps_text_offsets_and_facts(nlp):
    text = "\n\n".join(PARAS * 3)
    whole, windowed = nlp(text), parse(nlp, text, size=200)
    assert windowed.text == text
    assert [(t.idx, t.text) for t in windowed] == [(t.idx, t.text) for t in whole]
    assert {(e.start_char, e.end_char, e.label_) for e in windowed.ents} >= {
        (text.index("Kenya"), text.index("Kenya") + 5, "GPE")}
    art = Article(id=article_id(text), text=text)
    ex = extract_doc(art, windowed)
    assert ex.relations, "no facts from the windowed parse"
    for r in ex.relations:
        assert text[r.provenance.start:r.provenance.end] == r.provenance.sentence
    assert {e.label for e in ex.entities} >= {"Kenya", "Uganda", "Amina Odhiambo", "Peter Okello"}


@pytest.mark.slow
def test_parse_docs_keeps_order_of_short_and_long_texts(nlp):
    texts = [PARAS[0], "\n\n".join(PARAS * 2), PARAS[2]]
    docs = list(parse_docs(nlp, texts, batch_size=2, size=150))
    assert [d.text for d in docs] == texts
