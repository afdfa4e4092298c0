"""Many articles, one graph: the same actor or agreement reported by several articles becomes one node.

Within an article, :mod:`graph.resolve` already turned "President Aleksandr Kovalenko", "Kovalenko" and
"Kovalenko's" into one Person with a full name. Across articles the same person may be spelled
"Oleksandr Kovalenko" or "Aleksandr Kovalenko", and one ceasefire is reported by every outlet. This
module decides which per-article nodes are the same real thing and re-keys everything onto the merged
nodes. It is pure: records in, records out, and the result does not depend on the order of the articles.

Rules, in short (each is conservative: a wrong merge is worse than a duplicate):

* Two nodes are never merged when one article reported both: the article, with far more context,
  already decided they are different (two Lindqvists in one story stay two).
* People: same surname after folding transliteration variants ("Halvorsson", "Halvorssen" ->
  "zelensky"; "Lindquist" -> "lindkvist"), and compatible given names: equal, an initial, a spelling
  variant (Jaro similarity), or one missing. Full names cluster by complete linkage, so "M. Lindqvist"
  can never chain "Maria" and "Mikael Lindqvist" together. A surname-only or initial-only form joins
  a cluster only when exactly one cluster fits it.
* Countries: same ISO 3166 code. Organisations and places: the same name once legal-form suffixes and
  articles are dropped, a near-identical spelling, or a short form that another article gave as an
  alias of exactly one node ("FAA").
* Agreements and events: same family (agreement / event) and compatible class, content words of the
  labels overlapping (Jaccard >= 0.5; dates and weekdays are not content), and at least one shared
  party (an actor that agreed to, signed, proposed, rejected, negotiated or takes part in both). Two
  reports naming two different pairs of countries ("A-B" and "A-C ceasefire") stay apart. Reports are
  taken in publication order, each joining the cluster it fits best (complete linkage, see
  ReportClusters), so the newest article of a growing folder never reshuffles older clusters.

Candidates are blocked (by folded surname, normalised name, or party and content word), so the work
grows with the number of nodes, not with its square.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Jaro
from rapidfuzz.fuzz import ratio

from .keys import entity_key
from .model import KnowledgeGraph
from .records import SYMMETRIC, Agreement, Article, Entity, Extraction, Relation, Statement

__all__ = ["Resolution", "article_view", "merge_extractions", "resolve"]

#: Agreement classes most specific first (as graph.nlp.agreements.TYPE_ORDER); the merged node takes the first.
TYPE_ORDER = ("Ceasefire", "Treaty", "Exchange", "Acquisition", "Summit", "Meeting", "Talks", "Deal", "Agreement",
              "Proposal", "Event")
EVENT_TYPES = frozenset({"Meeting", "Talks", "Summit", "Event", "Attack", "Call"})
#: Classes that say only "an agreement of some kind": compatible with any class of their family.
GENERIC_TYPES = frozenset({"Agreement", "Deal", "Proposal", "Event"})
#: When reports disagree on an agreement's status, the furthest along wins.
STATUS_ORDER = ("in force", "signed", "agreed", "rejected", "proposed", "negotiated", "hoped for")
#: Relations that make an actor a party to an agreement or event; supporters and critics are not parties.
PARTY_RELATIONS = frozenset({"agreedTo", "proposed", "rejected", "negotiated", "signed", "participatesIn"})

MIN_WORD_JACCARD = 0.5
MIN_GIVEN_JARO = 0.8
MIN_NAME_RATIO = 92.0

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_LEGAL_FORMS = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "ag",
                          "sa", "gmbh", "nv", "bv", "the"})
_LABEL_STOP = frozenset({"a", "an", "the", "of", "on", "for", "over", "in", "to", "and", "with", "by", "at", "from",
                         "new", "latest", "upcoming", "possible", "potential", "proposed", "planned", "so-called",
                         "this", "that", "its", "their", "his", "her", "monday", "tuesday", "wednesday",
                         "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "week",
                         "weekend", "january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"})
_TRANSLIT = (("kh", "h"), ("ph", "f"), ("qu", "kv"), ("q", "k"), ("w", "v"), ("x", "ks"), ("ck", "k"),
             ("tch", "ch"), ("dzh", "j"), ("zh", "j"))
_ENDINGS = re.compile(r"(iy|yy|ij|ii|yi|ey|y)$")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")
_NON_NAME = re.compile(r"[^a-z0-9\- ]+")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,7}$")


def fold(text: str) -> str:
    """ASCII, lower case, apostrophes and dots removed: "Zelens'kyy" -> "zelenskyy"."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NON_NAME.sub(" ", ascii_.replace("'", "").replace(".", " ")).split())


def surname_key(token: str) -> str:
    """A surname with transliteration variants folded together: zelenskiy, zelenskyy, zelensky -> zelensky."""
    s = token
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    return _ENDINGS.sub("y", s) if len(s) > 3 else s


def _skeleton(token: str) -> str:
    return _VOWELS.sub("", surname_key(token))


def given_compatible(a: str, b: str) -> bool:
    """Given names that may be one person's: equal, an initial of the other, or a spelling variant."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    ska, skb = _skeleton(a), _skeleton(b)
    return ska == skb and len(ska) >= 3 and Jaro.normalized_similarity(a, b) >= MIN_GIVEN_JARO


# --- per-article units --------------------------------------------------------------------------------


@dataclass
class _Unit:
    """One per-article entity key with everything the articles said about it."""

    key: str
    type: str
    labels: Counter[str] = field(default_factory=Counter)  # label -> number of articles using it
    aliases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return max(self.labels.items(), key=lambda kv: (kv[1], len(kv[0]), _neg(kv[0])))[0]


def _neg(s: str) -> tuple[int, ...]:
    """A sort key that orders strings in reverse, so ``max`` picks the alphabetically first on ties."""
    return tuple(-ord(c) for c in s)


@dataclass(frozen=True, slots=True)
class _Person:
    given: tuple[str, ...]  # folded given names (possibly initials)
    last: str  # folded surname
    skeleton: str

    @property
    def full(self) -> bool:
        return bool(self.given) and len(self.given[0]) > 1


def _person(label: str) -> _Person | None:
    toks = [t for t in fold(label).replace("-", " ").split() if t not in _NAME_SUFFIXES]
    if not toks:
        return None
    return _Person(tuple(toks[:-1]), toks[-1], _skeleton(toks[-1]))


def _person_conflict(a: _Person, b: _Person) -> bool:
    """Positive evidence of two different people (not merely missing evidence of one)."""
    if surname_key(a.last) != surname_key(b.last):
        if a.skeleton != b.skeleton or Jaro.normalized_similarity(a.last, b.last) < 0.9:
            return True
    if a.given and b.given:
        if not given_compatible(a.given[0], b.given[0]):
            return True
        if len(a.given) > 1 and len(b.given) > 1 and not given_compatible(a.given[1], b.given[1]):
            return True
    return False


def _org_name(label: str) -> str:
    return " ".join(t for t in fold(label).split() if t not in _LEGAL_FORMS)


def _initials(label: str) -> str:
    return "".join(w[0] for w in fold(label).split() if w not in ("of", "the", "and", "for"))


# --- clustering -----------------------------------------------------------------------------------------


class _Clusters:
    """Union-find over unit indices that refuses merges across a shared article or a conflict."""

    def __init__(self, articles: list[set[str]], conflict: Callable[[int, int], bool] | None = None) -> None:
        self.parent = list(range(len(articles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(articles))}
        self.articles = [set(a) for a in articles]
        self.conflict = conflict

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        if not self.articles[ri].isdisjoint(self.articles[rj]):
            return False
        if self.conflict is not None:
            conflict = self.conflict
            return not any(conflict(a, b) for a in self.members[ri] for b in self.members[rj])
        return True

    def union(self, i: int, j: int) -> bool:
        if not self.can_union(i, j):
            return False
        ri, rj = self.find(i), self.find(j)
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.articles[ri] |= self.articles[rj]
        self.articles[rj] = set()
        return True

    def groups(self) -> list[list[int]]:
        return [sorted(m) for m in self.members.values()]


def _cluster_people(units: list[_Unit]) -> list[list[int]]:
    people = [_person(u.label) for u in units]
    variants = [{p for lab in u.labels if (p := _person(lab)) is not None} for u in units]

    def conflict(i: int, j: int) -> bool:
        return any(_person_conflict(a, b) for a in variants[i] for b in variants[j])

    cl = _Clusters([u.articles for u in units], conflict)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        if p is not None:
            blocks[p.skeleton].append(i)
    for members in blocks.values():
        full = [i for i in members if people[i].full]  # type: ignore[union-attr]
        pairs = []
        for n, i in enumerate(full):
            for j in full[n + 1:]:
                if not conflict(i, j):
                    score = Jaro.normalized_similarity(fold(units[i].label), fold(units[j].label))
                    pairs.append((-score, units[i].key, units[j].key, i, j))
        for *_, i, j in sorted(pairs):
            cl.union(i, j)
        # Partial forms ("Kovalenko", "A. Kovalenko") join the one cluster they fit, if exactly one fits.
        roots = sorted({cl.find(i) for i in full}, key=lambda r: units[r].key)
        partial = sorted((i for i in members if not people[i].full), key=lambda i: units[i].key)  # type: ignore[union-attr]
        for i in partial:
            fits = [r for r in roots if cl.can_union(r, i)]
            if len(fits) == 1:
                cl.union(fits[0], i)
    return cl.groups()


def _cluster_named(units: list[_Unit], kind: str) -> list[list[int]]:
    """Organisations, places, countries, other actors: code, normalised name, near spelling, aliases."""
    cl = _Clusters([u.articles for u in units])
    if kind == "Country":
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(units):
            for code in sorted(u.codes):
                by_code[code].append(i)
        for members in by_code.values():
            for i in members[1:]:
                cl.union(members[0], i)
    names = [_org_name(u.label) for u in units]
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(names):
        by_name[n].append(i)
    for members in by_name.values():
        for i in members[1:]:
            if not (kind == "Country" and units[i].codes and units[members[0]].codes
                    and units[i].codes != units[members[0]].codes):
                cl.union(members[0], i)
    if kind != "Country":  # near spellings: same words count, same first letters, ratio >= MIN_NAME_RATIO
        blocks: dict[tuple[int, str], list[int]] = defaultdict(list)
        for i, n in enumerate(names):
            if len(n) >= 6:
                blocks[(len(n.split()), "".join(w[0] for w in n.split()))].append(i)
        for members in blocks.values():
            pairs = sorted((-ratio(names[i], names[j]), units[i].key, units[j].key, i, j)
                           for n, i in enumerate(members) for j in members[n + 1:] if names[i] != names[j])
            for neg, *_, i, j in pairs:
                if -neg >= MIN_NAME_RATIO:
                    cl.union(i, j)
    # A short form that some node gives as its alias (or, for organisations, its initials) names that node,
    # if it names only one.
    alias_of: dict[str, set[int]] = defaultdict(set)
    initials_of: dict[str, set[int]] = defaultdict(set)
    for i, u in enumerate(units):
        for a in u.aliases:
            alias_of[fold(a)].add(i)
        if kind == "Organization" and len(u.label.split()) >= 2:
            initials_of[_initials(u.label)].add(i)
    for i in sorted(range(len(units)), key=lambda i: units[i].key):
        label = units[i].label
        found = set(alias_of.get(fold(label), ()))
        if _ACRONYM.match(label):
            found |= initials_of.get(fold(label).replace(" ", ""), set())
        targets = {cl.find(t) for t in found} - {cl.find(i)}
        if len(targets) == 1:
            cl.union(targets.pop(), i)
    return cl.groups()


def _canonical_label(units: list[_Unit], person: bool) -> str:
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(u.labels)
    full = {lab: n for lab, n in counts.items() if not person or ((p := _person(lab)) is not None and p.full)}
    pool = full or counts
    return max(pool.items(), key=lambda kv: (kv[1], len(kv[0]), _neg(kv[0])))[0]


def _add_entity(units: dict[str, _Unit], e: Entity, aid: str) -> None:
    """Count one article's entity row into its unit."""
    u = units.get(e.key)
    if u is None:
        u = units[e.key] = _Unit(e.key, e.type)
    u.labels[e.label] += 1
    u.aliases.update(e.aliases)
    u.roles.update(e.roles)
    u.articles.update(e.articles or (aid,))
    if e.code:
        u.codes.add(e.code)


def cluster_units(typ: str, group: list[_Unit]) -> list[list[int]]:
    """Clusters (indices into ``group``, which is sorted by key) of one type's units."""
    return _cluster_people(group) if typ == "Person" else _cluster_named(group, typ)


def merged_entity(typ: str, us: list[_Unit]) -> Entity:
    """The merged node of one cluster of units."""
    label = _canonical_label(us, typ == "Person")
    key = entity_key(typ, label)
    names = {lab for u in us for lab in u.labels} | {a for u in us for a in u.aliases}
    return Entity(
        key=key, type=typ, label=label, aliases=tuple(sorted(n for n in names if n and n != label)),
        roles=tuple(sorted({r for u in us for r in u.roles})),
        articles=tuple(sorted({a for u in us for a in u.articles})),
        code=min((c for u in us for c in u.codes), default=None))


def _merge_entities(extractions: list[Extraction]) -> tuple[dict[str, Entity], dict[str, str]]:
    units: dict[str, _Unit] = {}
    for ex in extractions:
        for e in ex.entities:
            _add_entity(units, e, ex.article.id)
    by_type: dict[str, list[_Unit]] = defaultdict(list)
    for key in sorted(units):
        by_type[units[key].type].append(units[key])
    entities: dict[str, Entity] = {}
    key_map: dict[str, str] = {}
    for typ, group in sorted(by_type.items()):
        for members in cluster_units(typ, group):
            us = [group[i] for i in members]
            ent = merged_entity(typ, us)
            entities[ent.key] = ent
            for u in us:
                key_map[u.key] = ent.key
    return entities, key_map


# --- agreements -----------------------------------------------------------------------------------------


def _family(typ: str) -> str:
    return "event" if typ in EVENT_TYPES else "agreement"


def _types_compatible(a: str, b: str) -> bool:
    return _family(a) == _family(b) and (a == b or a in GENERIC_TYPES or b in GENERIC_TYPES)


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


def make_report(a: Agreement, article: str, published: str | None, local_parties: Iterable[str],
                party_of: Mapping[str, str]) -> Report:
    """One article's agreement as the merge compares it, agreements left out of its parties.

    A party is named by ``party_of``: the first per-article key of the merged actor (see
    :func:`party_names`), not the merged key, which changes whenever another spelling becomes the most
    common; so the reports' comparison changes only when actors are merged or split.
    """
    parties = (party_of.get(p, p) for p in local_parties)
    return Report(a, article, published or "9999-99-99", content_words(a.label),
                   frozenset(p for p in parties if not p.startswith("agreement/")))


def party_names(key_map: Mapping[str, str]) -> dict[str, str]:
    """Per-article actor key -> the first per-article key of the merged actor it belongs to."""
    first: dict[str, str] = {}
    for local, merged in sorted(key_map.items()):
        first.setdefault(merged, local)
    return {local: first[merged] for local, merged in key_map.items()}


def _agreement_reports(extractions: list[Extraction], key_map: dict[str, str]) -> list[Report]:
    reports = []
    party_of = party_names(key_map)
    for ex in extractions:
        parties = report_parties(ex)
        for a in ex.agreements:
            reports.append(make_report(a, ex.article.id, ex.article.published, parties.get(a.key, ()), party_of))
    reports.sort(key=lambda r: r.order)
    return reports


def signature(r: Report) -> tuple[str, frozenset[str], frozenset[str]]:
    """What comparing two reports reads (class, content words, parties): equal signatures compare equally."""
    return (r.agreement.type, r.words, r.parties)


def sig_buckets(sig: tuple[str, frozenset[str], frozenset[str]]) -> list[tuple[str, str, str]]:
    """The (family, party, content word) buckets a report is compared within."""
    typ, words, parties = sig
    fam = _family(typ)
    return [(fam, p, w) for p in sorted(parties) for w in sorted(words)]


def _sig_conflict(a: tuple, b: tuple) -> bool:
    return not (_types_compatible(a[0], b[0]) and _jaccard(a[1], b[1]) >= MIN_WORD_JACCARD
                and _parties_compatible(a[2], b[2]))


class ReportClusters:
    """Reports taken one at a time in report order, each joining the best cluster it fits or starting one.

    A report fits a cluster when it is compatible with every member (complete linkage, so an A-B report
    and an A-C report are never chained together through a vague one) and no member comes from its
    article. Among the clusters it fits it joins the one holding its most similar report (word
    Jaccard), on a tie the one that began earliest. A report only looks at what came before it, so the
    newest article of a growing folder is placed by :meth:`add` without revisiting anything, and the
    result equals clustering everything again (see graph.index, which keeps this state in its tables).
    """

    def __init__(self) -> None:
        # per cluster index; dicts rather than lists so that graph.index can keep them on disk
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
    label = max(labels.items(), key=lambda kv: (kv[1], len(kv[0]), _neg(kv[0])))[0]
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


def _merge_agreements(extractions: list[Extraction], key_map: dict[str, str]) -> dict[str, Agreement]:
    reports = _agreement_reports(extractions, key_map)
    merged: dict[str, Agreement] = {}
    for members in cluster_reports(reports):
        rs = [reports[i] for i in members]
        merged[rs[0].agreement.key] = merged_agreement(rs, key_map)
        for r in rs:
            key_map[r.agreement.key] = rs[0].agreement.key
    return merged


# --- the result -------------------------------------------------------------------------------------------


@dataclass
class Resolution:
    """The merged graph, and where every per-article key went (``key_map[local] = merged``)."""

    graph: KnowledgeGraph
    key_map: dict[str, str]

    def remap(self, key: str) -> str:
        return self.key_map.get(key, key)


def _remap_relation(r: Relation, m: Callable[[str], str]) -> Relation:
    s, o = m(r.subject), m(r.object)
    if r.predicate in SYMMETRIC and o < s:
        s, o = o, s
    reporters = tuple(sorted({m(k) for k in r.reported_by}))
    if s == r.subject and o == r.object and reporters == r.reported_by:
        return r
    return replace(r, subject=s, object=o, reported_by=reporters)


def _remap_statement(st: Statement, m: Callable[[str], str]) -> Statement:
    speakers = tuple(dict.fromkeys(m(s) for s in st.speakers))
    return st if speakers == st.speakers else replace(st, speakers=speakers)


def _relations_sorted(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, article, span), sorted: as KnowledgeGraph keeps them."""
    seen: dict[tuple, Relation] = {}
    for r in relations:
        p = r.provenance
        seen.setdefault((r.subject, r.predicate, r.object, p.article, p.start, p.end), r)
    return [seen[k] for k in sorted(seen)]


def _articles(extractions: list[Extraction]) -> dict[str, Article]:
    return {ex.article.id: ex.article for ex in sorted(extractions, key=lambda ex: ex.article.id)}


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Merge per-article extractions into one graph; see the module docstring for the rules."""
    exs = sorted(extractions, key=lambda ex: ex.article.id)
    entities, key_map = _merge_entities(exs)
    agreements = _merge_agreements(exs, key_map)
    m = key_map.get

    def remap(key: str) -> str:
        return m(key, key)

    relations = _relations_sorted(_remap_relation(r, remap) for ex in exs for r in ex.relations)
    statements = {st.key: _remap_statement(st, remap) for ex in exs for st in ex.statements}
    kg = KnowledgeGraph(articles=_articles(exs), entities=dict(sorted(entities.items())),
                        agreements=dict(sorted(agreements.items())), relations=relations,
                        statements=dict(sorted(statements.items())))
    return Resolution(kg, key_map)


def merge_extractions(extractions: Iterable[Extraction]) -> KnowledgeGraph:
    """One KnowledgeGraph from many articles' extractions, same actors and agreements merged."""
    return resolve(extractions).graph


def article_view(ex: Extraction, res: Resolution, *, min_confidence: float = 0.0) -> KnowledgeGraph:
    """What one article contributes to the merged graph, on the merged keys: its named graph in the store.

    Nodes carry their merged type and label plus this article's own names for them, so every triple
    of the view is also a triple of the merged graph; the merged node's full description (all aliases,
    roles, the agreed status) lives in the merged graph only. That keeps an article's view unchanged
    when other articles add aliases to the nodes it mentions.
    """
    m = res.remap
    g = res.graph
    aid = ex.article.id
    entities: dict[str, Entity] = {}
    for e in ex.entities:
        merged = g.entities[m(e.key)]
        own = ({e.label} | set(e.aliases)) - {merged.label}
        entities[merged.key] = Entity(key=merged.key, type=merged.type, label=merged.label,
                                      aliases=tuple(sorted(own)), roles=tuple(sorted(e.roles)), articles=(aid,),
                                      code=merged.code)
    agreements: dict[str, Agreement] = {}
    for a in ex.agreements:
        merged_a = g.agreements[m(a.key)]
        own = ({a.label} | set(a.aliases)) - {merged_a.label}
        agreements[merged_a.key] = Agreement(key=merged_a.key, type=merged_a.type, label=merged_a.label,
                                             aliases=tuple(sorted(own)), articles=(aid,))
    relations = _relations_sorted(_remap_relation(r, m) for r in ex.relations
                                  if r.provenance.confidence >= min_confidence)
    statements = {st.key: _remap_statement(st, m) for st in ex.statements}
    return KnowledgeGraph(articles={aid: ex.article}, entities=dict(sorted(entities.items())),
                          agreements=dict(sorted(agreements.items())), relations=relations,
                          statements=dict(sorted(statements.items())))
