"""One article -> its Extraction: the NLP stages run in order over one spaCy Doc.

    Doc -> actor mentions -> entities (keys) -> agreement phrases -> agreements (linked)
        -> coreference index -> relations, quotes and claims

Pure: no disk, no global state besides the loaded model passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from .errors import ExtractionError
from .keys import agreement_key
from .nlp import lexicon as lx
from .nlp.agreement_links import link_mentions
from .nlp.agreements import TYPE_ORDER, AgreementMention, find_agreements
from .nlp.confidence import DEFAULT_MIN_CONFIDENCE
from .nlp.coref import Coref
from .nlp.countries import country_code
from .nlp.document import DocIndex
from .nlp.mentions import find_mentions, sentence_index
from .nlp.quotes import extract_quotes
from .nlp.relations import extract_relations
from .nlp.time import date_of
from .records import SYMMETRIC, Agreement, Article, Entity, Extraction, Relation
from .resolve import resolve_mentions

#: Relation -> the status it gives the agreement; earlier entries win.
STATUS_BY_RELATION = (("signed", "signed"), ("agreedTo", "agreed"), ("rejected", "rejected"),
                      ("proposed", "proposed"), ("negotiated", "negotiated"))


def _cluster_label(cluster: list[AgreementMention], doc: Doc) -> str:
    def specific(m: AgreementMention) -> bool:
        return doc[m.head].lemma_.lower() not in lx.GENERIC_HEADS

    def nominal(m: AgreementMention) -> bool:
        return m.determiner != "verb"

    for test in (lambda m: nominal(m) and specific(m) and m.modifiers, lambda m: bool(m.modifiers),
                 lambda m: specific(m)):
        for m in cluster:
            if test(m):
                return m.label
    return cluster[0].label


def _agreement_keys(article: Article, clusters: list[list[AgreementMention]], doc: Doc) -> list[str]:
    keys: list[str] = []
    for cluster in clusters:
        key = agreement_key(article.id, _cluster_label(cluster, doc))
        n, base = 2, key
        while key in keys:
            key, n = f"{base}-{n}", n + 1
        keys.append(key)
    return keys


def _agreements(ix: DocIndex, clusters: list[list[AgreementMention]], relations: list[Relation]) -> list[Agreement]:
    doc, article = ix.doc, ix.article
    out = []
    for key, cluster in zip(ix.agreement_keys, clusters, strict=True):
        label = _cluster_label(cluster, doc)
        preds = {r.predicate for r in relations if r.object == key and (r.modality in ("asserted", "future") or (
            r.modality == "reported" and r.provenance.confidence >= DEFAULT_MIN_CONFIDENCE))}
        status = next((s for p, s in STATUS_BY_RELATION if p in preds), None)
        if status is None and all(m.irrealis for m in cluster):
            status = "hoped for"
        typ = min((m.type for m in cluster), key=TYPE_ORDER.index)
        aliases = sorted({m.label for m in cluster if m.label != label and (m.modifiers or m.inner is not None)})
        place = next((r.object for r in relations if r.subject == key and r.predicate == "locatedIn"), None)
        date = next((r.date for r in relations if r.object == key and r.date), None)
        date = date or next((d for m in cluster if (d := date_of(doc[m.head], article.published))), None)
        # "the coup ended on Wednesday", "the truce took effect on Friday": the event's own verb dates it
        date = date or next((d for m in cluster if doc[m.head].dep_ in ("nsubj", "nsubjpass")
                             and (d := date_of(doc[m.head].head, article.published))), None)
        first = cluster[0]
        out.append(Agreement(
            key=key, type=typ, label=label, aliases=tuple(aliases), status=status,
            scope=next((m.scope for m in cluster if m.scope), None),
            duration=next((m.duration for m in cluster if m.duration), None), place=place, date=date,
            articles=(article.id,), provenance=ix.provenance(doc[first.head], 1.0),
        ))
    return out


def _normalise(relations: list[Relation]) -> list[Relation]:
    """Symmetric relations once, in sorted key order; one relation per triple and sentence."""
    out: dict[tuple, Relation] = {}
    for r in relations:
        if r.predicate in SYMMETRIC and r.object < r.subject:
            r = replace(r, subject=r.object, object=r.subject)
        k = (r.subject, r.predicate, r.object, r.provenance.start)
        if k not in out or r.provenance.confidence > out[k].provenance.confidence:
            out[k] = r
    return sorted(out.values(), key=lambda r: (r.subject, r.predicate, r.object, r.provenance.start))


def extract_doc(article: Article, doc: Doc) -> Extraction:
    """Everything one parsed article says, as records.

    A failure inside the rules is an ExtractionError naming the article, never a bare traceback: one
    odd article must not cost a build of thousands.
    """
    try:
        return _extract_doc(article, doc)
    except Exception as exc:  # any bug in a rule is this article's failure, reported by name
        raise ExtractionError(article.path or article.id, f"extraction failed ({type(exc).__name__}: {exc})",
                              article.id) from exc


def _extract_doc(article: Article, doc: Doc) -> Extraction:
    sent_of = sentence_index(doc)
    mentions = find_mentions(doc)
    entities = resolve_mentions(mentions, article.id)
    agreement_mentions = find_agreements(doc, sent_of, mentions)
    clusters = link_mentions(doc, agreement_mentions)
    agreement_mentions = [m for m in agreement_mentions if m.cluster >= 0]
    ix = DocIndex(doc=doc, article=article, sent_of=sent_of, mentions=mentions, agreements=agreement_mentions,
                  agreement_keys=[], coref=Coref(doc, mentions, sent_of))
    ix.agreement_keys = _agreement_keys(article, clusters, doc)
    relations = _normalise(extract_relations(ix))
    statements = sorted(extract_quotes(ix), key=lambda s: s.key)
    agreements = _agreements(ix, clusters, relations)
    known = {e.key for e in entities}
    # a country met only through a capital or a demonym is a node when some fact or quote uses it
    used = {k for r in relations for k in (r.subject, r.object, *r.reported_by)}
    used |= {k for st in statements for k in st.speakers}
    entities += [Entity(key=k, type="Country", label=name, articles=(article.id,), code=country_code(name))
                 for k, name in sorted(ix.metonyms.items()) if k not in known and k in used]
    entities.sort(key=lambda e: e.key)
    return Extraction(article=article, entities=entities, agreements=agreements, relations=relations,
                      statements=statements)


def extract(articles: Iterable[Article], nlp: Language, *, batch_size: int = 16, n_process: int = 1,
            on_error: Callable[[ExtractionError], None] | None = None) -> Iterator[Extraction]:
    """Stream articles through the model (``nlp.pipe``) and the extractors, one Extraction per article.

    With ``on_error`` an article whose extraction fails is reported and skipped; without it, raised.
    """
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        try:
            yield extract_doc(article, doc)
        except ExtractionError as err:
            if on_error is None:
                raise
            on_error(err)
