"""Long articles are parsed and extracted in windows (graph.nlp.windows): the text and every offset stay exact,
and an article of self-contained paragraphs gives the same facts as when it is read whole."""

from __future__ import annotations

import pytest

from graph.nlp.extract import extract_doc
from graph.nlp.windows import extract_article, extract_articles, parse, windows
from graph.records import Article
from graph.sources import article_id

PARAS = [
    "Kenya and Uganda signed a water-sharing treaty on Lake Victoria on Monday.",
    "Kenyan Foreign Minister Amina Odhiambo met with Ugandan Foreign Minister Peter Okello in Nairobi.",
    "France and Germany signed a defence treaty in Paris on Wednesday.",
    "“We will not accept this deal,” Amina Odhiambo said.",
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
def test_a_windowed_parse_keeps_the_text_and_every_token_offset(nlp):
    text = "\n\n".join(PARAS * 3)
    whole, windowed = nlp(text), parse(nlp, text, size=200)
    assert windowed.text == text
    assert [(t.idx, t.text) for t in windowed] == [(t.idx, t.text) for t in whole]
    assert [(e.start_char, e.text) for e in windowed.ents if e.label_ == "GPE"][:2] == [
        (0, "Kenya"), (text.index("Uganda"), "Uganda")]


def _facts(ex):
    return ({e.key for e in ex.entities}, {a.key for a in ex.agreements},
            sorted((r.subject, r.predicate, r.object, r.provenance.start, r.provenance.end) for r in ex.relations),
            sorted((s.key, s.text, s.provenance.start) for s in ex.statements))


@pytest.mark.slow
def test_windowed_extraction_of_self_contained_paragraphs_equals_the_whole(nlp):
    text = "\n\n".join(PARAS)
    art = Article(id=article_id(text), text=text, path="in/long.txt", published="2025-03-17")
    whole = extract_doc(art, nlp(text))
    windowed = extract_article(nlp, art, size=120)
    assert windowed.article == art
    assert _facts(windowed) == _facts(whole)
    assert whole.statements and whole.relations  # the comparison has something in it
    for r in windowed.relations:
        assert text[r.provenance.start:r.provenance.end] == r.provenance.sentence
    for s in windowed.statements:
        assert text[s.provenance.start:s.provenance.end] == s.provenance.sentence


@pytest.mark.slow
def test_extract_articles_keeps_order_of_short_and_long_articles(nlp):
    texts = [PARAS[0], "\n\n".join(PARAS * 2), PARAS[2]]
    arts = [Article(id=article_id(t), text=t) for t in texts]
    out = list(extract_articles(nlp, arts, batch_size=2, size=150))
    assert [a for a, _ in out] == arts and all(ex.article == a for a, ex in out)
