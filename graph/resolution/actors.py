"""The rules that decide when actors of different articles are one: name folding, blocking, clustering.

Used by both the one-shot resolver (merge.py) and the incremental index (index.py). Each rule is
conservative: a wrong merge is worse than a duplicate (see merge.py for the rules in words)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Jaro
from rapidfuzz.fuzz import ratio

from ..keys import entity_key
from ..records import Entity

MIN_GIVEN_JARO = 0.8


MIN_NAME_RATIO = 92.0


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


_LEGAL_FORMS = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "ag",
                          "sa", "gmbh", "nv", "bv", "the"})


_TRANSLIT = (("kh", "h"), ("ph", "f"), ("qu", "kv"), ("q", "k"), ("w", "v"), ("x", "ks"), ("ck", "k"),
             ("tch", "ch"), ("dzh", "j"), ("zh", "j"))


_ENDINGS = re.compile(r"(iy|yy|ij|ii|yi|ey|y)$")


_VOWELS = re.compile(r"[aeiouy]")


_DOUBLE = re.compile(r"(.)\1+")


_NON_NAME = re.compile(r"[^a-z0-9\- ]+")


ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,7}$")


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


@dataclass
class Unit:
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
        return max(self.labels.items(), key=lambda kv: (kv[1], len(kv[0]), neg_key(kv[0])))[0]


def neg_key(s: str) -> tuple[int, ...]:
    """A sort key that orders strings in reverse, so ``max`` picks the alphabetically first on ties."""
    return tuple(-ord(c) for c in s)


@dataclass(frozen=True, slots=True)
class Person:
    given: tuple[str, ...]  # folded given names (possibly initials)
    last: str  # folded surname
    skeleton: str

    @property
    def full(self) -> bool:
        return bool(self.given) and len(self.given[0]) > 1


def parse_person(label: str) -> Person | None:
    toks = [t for t in fold(label).replace("-", " ").split() if t not in _NAME_SUFFIXES]
    if not toks:
        return None
    return Person(tuple(toks[:-1]), toks[-1], _skeleton(toks[-1]))


def _person_conflict(a: Person, b: Person) -> bool:
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


def org_name(label: str) -> str:
    return " ".join(t for t in fold(label).split() if t not in _LEGAL_FORMS)


def initials(label: str) -> str:
    return "".join(w[0] for w in fold(label).split() if w not in ("of", "the", "and", "for"))


class Clusters:
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


def _cluster_people(units: list[Unit]) -> list[list[int]]:
    people = [parse_person(u.label) for u in units]
    variants = [{p for lab in u.labels if (p := parse_person(lab)) is not None} for u in units]

    def conflict(i: int, j: int) -> bool:
        return any(_person_conflict(a, b) for a in variants[i] for b in variants[j])

    cl = Clusters([u.articles for u in units], conflict)
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


def _cluster_named(units: list[Unit], kind: str) -> list[list[int]]:
    """Organisations, places, countries, other actors: code, normalised name, near spelling, aliases."""
    cl = Clusters([u.articles for u in units])
    if kind == "Country":
        by_code: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(units):
            for code in sorted(u.codes):
                by_code[code].append(i)
        for members in by_code.values():
            for i in members[1:]:
                cl.union(members[0], i)
    names = [org_name(u.label) for u in units]
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
            initials_of[initials(u.label)].add(i)
    for i in sorted(range(len(units)), key=lambda i: units[i].key):
        label = units[i].label
        found = set(alias_of.get(fold(label), ()))
        if ACRONYM.match(label):
            found |= initials_of.get(fold(label).replace(" ", ""), set())
        targets = {cl.find(t) for t in found} - {cl.find(i)}
        if len(targets) == 1:
            cl.union(targets.pop(), i)
    return cl.groups()


def _canonical_label(units: list[Unit], person: bool) -> str:
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(u.labels)
    full = {lab: n for lab, n in counts.items() if not person or ((p := parse_person(lab)) is not None and p.full)}
    pool = full or counts
    return max(pool.items(), key=lambda kv: (kv[1], len(kv[0]), neg_key(kv[0])))[0]


def add_entity(units: dict[str, Unit], e: Entity, aid: str) -> None:
    """Count one article's entity row into its unit."""
    u = units.get(e.key)
    if u is None:
        u = units[e.key] = Unit(e.key, e.type)
    u.labels[e.label] += 1
    u.aliases.update(e.aliases)
    u.roles.update(e.roles)
    u.articles.update(e.articles or (aid,))
    if e.code:
        u.codes.add(e.code)


def merge_units(old: Unit, new: Unit) -> Unit:
    """``old`` with the rows counted into ``new`` added, as if :func:`add_entity` had counted them into it."""
    old.labels.update(new.labels)
    old.aliases |= new.aliases
    old.roles |= new.roles
    old.articles |= new.articles
    old.codes |= new.codes
    return old


def cluster_units(typ: str, group: list[Unit]) -> list[list[int]]:
    """Clusters (indices into ``group``, which is sorted by key) of one type's units."""
    return _cluster_people(group) if typ == "Person" else _cluster_named(group, typ)


def merged_entity(typ: str, us: list[Unit]) -> Entity:
    """The merged node of one cluster of units."""
    label = _canonical_label(us, typ == "Person")
    key = entity_key(typ, label)
    names = {lab for u in us for lab in u.labels} | {a for u in us for a in u.aliases}
    return Entity(
        key=key, type=typ, label=label, aliases=tuple(sorted(n for n in names if n and n != label)),
        roles=tuple(sorted({r for u in us for r in u.roles})),
        articles=tuple(sorted({a for u in us for a in u.articles})),
        code=min((c for u in us for c in u.codes), default=None))


def unit_blocks(u: Unit) -> tuple:
    """The blocks a unit is compared within (see _cluster_people and _cluster_named): the index's blocking."""
    typ = u.type
    label = u.label
    if typ == "Person":
        p = parse_person(label)
        return ((typ, "p", p.skeleton),) if p is not None else ()
    out = set()
    if typ == "Country":
        out |= {(typ, "code", c) for c in u.codes}
    name = org_name(label)
    out.add((typ, "name", name))
    if typ != "Country" and len(name) >= 6:
        out.add((typ, "near", len(name.split()), "".join(w[0] for w in name.split())))
    out.add((typ, "alias", fold(label)))
    out |= {(typ, "alias", fold(a)) for a in u.aliases}
    if typ == "Organization" and len(label.split()) >= 2:
        out.add((typ, "ini", initials(label)))
    if ACRONYM.match(label):
        out.add((typ, "ini", fold(label).replace(" ", "")))
    return tuple(sorted(out))
