"""spaCy's entity recognizer, decoded with the GIL held: the same entities in about 60 % of its time.

spaCy 3.8's greedy decoder (``Parser.greedy_parse``) runs its transition loop with the GIL released,
but the state accessors it calls to check which of the recognizer's moves (74 in the small model) are
valid, at every token, take the GIL back to look for a Python error: a mutex round trip per call, which
``perf`` shows as a third of the recognizer's time. spaCy's beam search, run with a beam of one, takes
the same decision at each step (the best-scoring valid move), scores with the same weights, and runs
with the GIL held, so the accessors cost nothing extra. :class:`StepwiseEntityRecognizer` routes the
recognizer's decoding through it; everything else (labels, scoring, serialisation) is the wrapped
component's.

The entities are spaCy's own, token for token: tests compare it with the stock component on whole
articles, texts with entities set before the recognizer runs, and empty documents. The dependency
parser is left alone: it takes twice the steps, and its beam of one measured slower than its greedy loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy import util
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

__all__ = ["StepwiseEntityRecognizer", "speed_up_entities"]


class StepwiseEntityRecognizer:
    """Stands in for an ``EntityRecognizer`` in the pipeline; decodes with a beam of one (see module doc)."""

    def __init__(self, ner: EntityRecognizer) -> None:
        self.ner = ner

    def __getattr__(self, name: str) -> Any:
        if name == "ner":  # not set yet (as during unpickling): no recursion through self.ner
            raise AttributeError(name)
        return getattr(self.ner, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (StepwiseEntityRecognizer, (self.ner,))

    def predict(self, docs: Iterable[Doc]) -> list[Any]:
        """The final states for ``docs``, as ``EntityRecognizer.predict`` returns them."""
        docs = [docs] if isinstance(docs, Doc) else list(docs)
        if not any(len(doc) for doc in docs):
            return self.ner.moves.init_batch(docs)
        return self.ner.beam_parse(docs, drop=0.0, beam_width=1)

    def __call__(self, doc: Doc) -> Doc:
        try:
            self.ner.set_annotations([doc], self.predict([doc]))
            return doc
        except Exception as e:  # spaCy's error handler decides, as in the stock component
            self.ner.get_error_handler()(self.ner.name, self.ner, [doc], e)
            return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        """As ``Parser.pipe``: batches in order, decoded shortest first in sub-batches of half a batch.

        spaCy's sub-batches are a quarter of a batch; here a step costs Python overhead per sub-batch,
        so fewer, larger ones are faster (a sub-batch decodes as many steps as its longest text).
        """
        error_handler = self.ner.get_error_handler()
        for batch in util.minibatch(docs, size=batch_size):
            in_order = list(batch)
            try:
                for sub in util.minibatch(sorted(in_order, key=len), size=max(batch_size // 2, 2)):
                    sub = list(sub)
                    self.ner.set_annotations(sub, self.predict(sub))
                yield from in_order
            except Exception as e:
                error_handler(self.ner.name, self.ner, in_order, e)


def speed_up_entities(nlp: Language) -> list[str]:
    """Put every greedy ``EntityRecognizer`` of ``nlp`` behind a :class:`StepwiseEntityRecognizer`; their names.

    spaCy offers no public way to swap a loaded component for another object under the same name;
    this writes the pipeline's component list as ``Language.rename_pipe`` does. Components set up for
    a beam search of their own (``beam_width`` > 1) are left as they are.
    """
    changed = []
    for i, (name, proc) in enumerate(nlp._components):  # private: see the docstring
        if type(proc) is EntityRecognizer and proc.cfg.get("beam_width", 1) == 1:
            nlp._components[i] = (name, StepwiseEntityRecognizer(proc))
            changed.append(name)
    return changed
