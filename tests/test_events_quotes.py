"""Issue 18 quotes: documents as speakers, non-speech verbs, colons, descriptions, short quotes that end a sentence."""

from __future__ import annotations

import pytest


def _quotes(ex):
    names = {e.key: e.label for e in ex.entities}
    return {s.text: tuple(names.get(k, k) for k in s.speakers) for s in ex.statements if s.kind == "quote"}


def _speaker_of(quotes, start):
    return next((sp for text, sp in quotes.items() if text.startswith(start)), None)


@pytest.mark.parametrize(("text", "start", "speaker"), [
    ('Following the summit, Ilse Kahn, the Foreign Minister of Latvia, said that "we are very close, we have a '
     'text, but not the final text."', "we are very close", "Ilse Kahn"),
    ('The deal, according to Secretary of State Otto Brandt who arrived in Riga on Thursday, is a "very good deal."',
     "very good deal", "Otto Brandt"),
    ("Ilse Kahn, Latvia's envoy to the UN, spoke on Monday. \"If the accord is enforced, we solve the problem,\" "
     "said the Latvian envoy.", "If the accord", "Ilse Kahn"),
    ('The President of Latvia, Karl Odum said to reporters: "Europe was blocked and we found the way forward."',
     "Europe was blocked", "Karl Odum"),
    ('Karl Odum opened the terminal, stating the airport represents a “bridge to the north” (in reference to his '
     'plan).', "bridge to the north", "Karl Odum"),
    ("Karl Odum spoke in Riga. He was quoted as saying he was representing the “silent majority.”",
     "silent majority", "Karl Odum"),
    ('Mira Tanaba praised Karl Odum for "a brave and patient approach to the talks".', "a brave and patient",
     "Mira Tanaba"),
    ('Karl Odum welcomed the deal, writing: "This is the day we waited for."', "This is the day", "Karl Odum"),
    ("Latvia's state news agency issued a statement saying the talks would resume because the conditions were met: "
     '"The other side clarified its stand and will hold talks within the framework."', "The other side", "Latvia"),
])
def test_quote_speakers(extract_text, text, start, speaker):
    quotes = _quotes(extract_text(text))
    assert speaker in (_speaker_of(quotes, start) or ())


def test_quote_running_on_into_the_next_paragraph(extract_text):
    ex = extract_text('Carla Rojas rejected the accord on Monday. "We will not accept an agreement that ignores our '
                      'rights," she said. "The accord is a betrayal of everything we fought for.\n\n'
                      '"Our people will not forget this day," Rojas added.')
    quotes = _quotes(ex)
    assert _speaker_of(quotes, "The accord is a betrayal") == ("Carla Rojas",)
    assert _speaker_of(quotes, "Our people will not forget") == ("Carla Rojas",)
    assert not any("\n" in text for text in quotes)
