"""The rules that decide when agreements reported by different articles are one: reports, signatures, clusters.

Used by both the one-shot resolver (merge.py) and the incremental index (index.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace

from ..records import EVENT_TYPES, TYPE_ORDER, Agreement, Extraction
from .actors import fold, neg_key

#: Classes that say only "an agreement of some kind": compatible with any class of their family.
GENERIC_TYPES = frozenset({"Agreement", "Deal", "Proposal", "Event"})


#: When reports disagree on an agreement's status, the furthest along wins.
STATUS_ORDER = ("in force", "signed", "agreed", "rejected", "proposed", "negotiated", "hoped for")


#: Relations that make an actor a party to an agreement or event; supporters and critics are not parties.
PARTY_RELATIONS = frozenset({"agreedTo", "proposed", "rejected", "negotiated", "signed", "participatesIn"})


MIN_WORD_JACCARD = 0.5


_LABEL_STOP = frozenset({"a", "an", "the", "of", "on", "for", "over", "in", "to", "and", "with", "by", "at", "from",
                         "new", "latest", "upcoming", "possible", "potential", "proposed", "planned", "so-called",
                         "this", "that", "its", "their", "his", "her", "monday", "tuesday", "wednesday",
                         "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "week",
                         "weekend", "january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"})


def family(typ: str) -> str:
    return "event" if typ in EVENT_TYPES else "agreement"


def _types_compatible(a: str, b: str) -> bool:
    return family(a) == family(b) and (a == b or a in GENERIC_TYPES or b in GENERIC_TYPES)


def content_words(label: str) -> frozenset[str]:
    """Folded content words of an agreement label, plurals trimmed: "ceasefire on grain shipments"."""
    words = set()
    for w in fold(label).replace("-", "").split():
        if w in _LABEL_STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        words.add(w)
    return frozenset(words)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _parties_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """At least one shared party, and no two different pairs of countries (an A-B and an A-C ceasefire)."""
    if not a & b:
        return False
    ca = {p for p in a if p.startswith("country/")}
    cb = {p for p in b if p.startswith("country/")}
    return len(ca) < 2 or len(cb) < 2 or ca <= cb or cb <= ca


@dataclass(frozen=True, slots=True)
class Report:
    """One article's agreement node, with what the merge compares."""

    agreement: Agreement
    article: str
    published: str
    words: frozenset[str]
    parties: frozenset[str]

    @property
    def order(self) -> tuple[str, str, str]:
        return (self.published, self.article, self.agreement.key)


def report_parties(ex: Extraction) -> dict[str, set[str]]:
    """Per agreement key, the (per-article) keys of the actors that are parties to it in this article."""
    parties: dict[str, set[str]] = defaultdict(set)
    for r in ex.relations:
        if r.predicate in PARTY_RELATIONS:
            parties[r.object].add(r.subject)
    return parties


#: What an undated article's reports sort by: after every dated one.
UNDATED = "9999-99-99"

def make_report(a: Agreement, article: str, published: str | None, local_parties: Iterable[str],
                party_of: Mapping[str, str]) -> Report:
    """One article's agreement as the merge compares it, agreements left out of its parties.

    A party is named by ``party_of``: the first per-article key of the merged actor (see
    :func:`party_names`), not the merged key, which changes whenever another spelling becomes the most
    common; so the reports' comparison changes only when actors are merged or split.
    """
    parties = (party_of.get(p, p) for p in local_parties)
    return Report(a, article, published or UNDATED, content_words(a.label),
                   frozenset(p for p in parties if not p.startswith("agreement/")))


def party_names(key_map: Mapping[str, str]) -> dict[str, str]:
    """Per-article actor key -> the first per-article key of the merged actor it belongs to."""
    first: dict[str, str] = {}
    for local, merged in sorted(key_map.items()):
        first.setdefault(merged, local)
    return {local: first[merged] for local, merged in key_map.items()}


def signature(r: Report) -> tuple[str, frozenset[str], frozenset[str]]:
    """What comparing two reports reads (class, content words, parties): equal signatures compare equally."""
    return (r.agreement.type, r.words, r.parties)


def sig_buckets(sig: tuple[str, frozenset[str], frozenset[str]]) -> list[tuple[str, str, str]]:
    """The (family, party, content word) buckets a report is compared within."""
    typ, words, parties = sig
    fam = family(typ)
    return [(fam, p, w) for p in sorted(parties) for w in sorted(words)]


def _sig_conflict(a: tuple, b: tuple) -> bool:
    return not (_types_compatible(a[0], b[0]) and _jaccard(a[1], b[1]) >= MIN_WORD_JACCARD
                and _parties_compatible(a[2], b[2]))


#: Signature pairs :class:`ReportClusters` remembers the comparison of (each holds two signatures alive).
_MEMO_MAX = 200_000


class ReportClusters:
    """Reports taken one at a time in report order, each joining the best cluster it fits or starting one.

    A report fits a cluster when it is compatible with every member (complete linkage, so an A-B report
    and an A-C report are never chained together through a vague one) and no member comes from its
    article. Among the clusters it fits it joins the one holding its most similar report (word
    Jaccard), on a tie the one that began earliest. A report only looks at what came before it, so the
    newest article of a growing folder is placed by :meth:`add` without revisiting anything, and the
    result equals clustering everything again (see graph.resolution.index, which keeps this state in its tables).
    """

    def __init__(self) -> None:
        # per cluster index; dicts rather than lists so that graph.resolution.index can keep them on disk
        self.keys: MutableMapping[int, list[str]] = {}  # member report keys, in report order
        self.anchor: MutableMapping[int, tuple[str, str, str]] = {}  # report order of the first member
        self.articles: MutableMapping[int, set[str]] = {}
        self.sigs: MutableMapping[int, set[tuple]] = {}
        self.by_bucket: MutableMapping[tuple, set[int]] = {}
        self.size = 0
        self._memo: dict[tuple[tuple, tuple], bool] = {}

    def _conflict(self, a: tuple, b: tuple) -> bool:
        hit = self._memo.get((a, b))
        if hit is None:
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()  # a year of news compares millions of pairs: the memo must not keep them all
            hit = self._memo[(a, b)] = _sig_conflict(a, b)
        return hit

    def candidate(self, r: Report) -> int | None:
        """The cluster ``r`` joins, or None."""
        if not r.parties:
            return None  # no party, no evidence: never merged
        sig = signature(r)
        best: tuple[tuple[float, tuple[str, str, str]], int] | None = None
        for c in {c for b in sig_buckets(sig) for c in self.by_bucket.get(b, ())}:
            sigs = self.sigs[c]
            if r.article in self.articles[c] or any(self._conflict(sig, s) for s in sigs):
                continue
            rank = (-max(_jaccard(r.words, s[1]) for s in sigs), self.anchor[c])
            if best is None or rank < best[0]:
                best = (rank, c)
        return None if best is None else best[1]

    def add(self, r: Report) -> int:
        """Place ``r``, which comes after every report added so far; the index of its cluster."""
        c = self.candidate(r)
        if c is None:
            c = self.size
            self.size += 1
            self.keys[c], self.anchor[c], self.articles[c], self.sigs[c] = [], r.order, set(), set()
        self.keys[c].append(r.agreement.key)
        self.articles[c].add(r.article)
        sig = signature(r)
        if sig not in self.sigs[c]:
            self.sigs[c].add(sig)
            if r.parties:
                for b in sig_buckets(sig):
                    members = self.by_bucket.get(b)
                    if members is None:
                        members = self.by_bucket[b] = set()
                    members.add(c)
        return c

    def drop(self, c: int) -> list[str]:
        """Forget cluster ``c`` (its index is not used again); the keys it held."""
        for sig in self.sigs.pop(c):
            for b in sig_buckets(sig):
                if (members := self.by_bucket.get(b)) is not None:
                    members.discard(c)
                    if not members:
                        del self.by_bucket[b]
        del self.anchor[c], self.articles[c]
        return self.keys.pop(c)


def cluster_reports(reports: list[Report]) -> list[list[int]]:
    """Clusters (indices into ``reports``, which is in report order) of reports of one agreement or event."""
    rc = ReportClusters()
    out: list[list[int]] = []
    for i, r in enumerate(reports):
        c = rc.add(r)
        if c == len(out):
            out.append([])
        out[c].append(i)
    return out


def merged_agreement(rs: list[Report], key_map: dict[str, str]) -> Agreement:
    """The merged node of one cluster of reports (in report order: earliest publication first)."""
    anchor = rs[0].agreement
    labels = Counter(r.agreement.label for r in rs)
    label = max(labels.items(), key=lambda kv: (kv[1], len(kv[0]), neg_key(kv[0])))[0]
    types = [r.agreement.type for r in rs]
    specific = [t for t in types if t not in GENERIC_TYPES] or types
    typ = min(specific, key=lambda t: (TYPE_ORDER.index(t) if t in TYPE_ORDER else len(TYPE_ORDER), t))
    statuses = [r.agreement.status for r in rs if r.agreement.status]
    status = min(statuses, key=lambda s: (STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER), s),
                 default=None)
    names = {r.agreement.label for r in rs} | {a for r in rs for a in r.agreement.aliases}

    def first(attr: str) -> str | None:
        return next((v for r in rs if (v := getattr(r.agreement, attr))), None)

    place = first("place")
    return replace(
        anchor, type=typ, label=label, aliases=tuple(sorted(n for n in names if n and n != label)),
        status=status, scope=first("scope"), duration=first("duration"),
        place=key_map.get(place, place) if place else None, date=first("date"),
        articles=tuple(sorted({a for r in rs for a in (r.agreement.articles or (r.article,))})))
