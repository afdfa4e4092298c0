"""The nodes' labels, for the saved queries' name parameters: which nodes a case-insensitive substring names.

Why: every saved query finds its actor or agreement with ``?x rdfs:label ?l . FILTER(CONTAINS(LCASE(?l),
LCASE($actor)))``, which SPARQL engines answer by reading every label of the graph: 40 ms at 1,000
articles, seconds at 100,000. Here the labels are read once per build into one lower-cased string, a
substring is found with ``str.find``, and :func:`narrow` puts the few matching nodes in a ``VALUES``
before the label pattern, so the engine starts from them. The FILTER stays, so the answer is the same;
when a name matches too many nodes (or is not plain ASCII, where two lower-casings could differ) nothing
is added and the engine reads every label as before.

The index is kept in ``out/cache/_labels.tsv`` with the build's version key (graph.ask.versions), made
again by the first query after a build; an output folder that cannot be written keeps it in memory.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_write_text
from .versions import version_key

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["LabelIndex", "label_index", "narrow"]

#: More matching nodes than this and the query reads every label itself: a longer VALUES made Oxigraph slower
#: than the scan (a label shared by 420 agreements of the benchmark corpus: 270 ms against 90, at 1,000 articles).
MAX_CANDIDATES = 50

_FILE = "_labels.tsv"  # in out/cache, beside the cached extractions ("_": not an article)
_LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
_IDS = "SELECT ?a ?id WHERE { ?a <https://w3id.org/newsgraph/ontology#articleId> ?id }"


class LabelIndex:
    """(node IRI, label) pairs with the labels lower-cased into one searchable string; the articles by id."""

    def __init__(self, pairs: list[tuple[str, str]], ids: list[tuple[str, str]] | None = None, *,
                 complete: bool = True) -> None:
        self.complete = complete  # False: some labelled node is a blank node, which a VALUES cannot name
        self.ids = sorted((article_id, iri) for iri, article_id in ids or ())
        self.iris = [iri for iri, _ in pairs]
        labels = [label.lower().replace("\n", " ") for _, label in pairs]
        self._text = "\n".join(labels)
        self._starts: list[int] = []
        at = 0
        for label in labels:
            self._starts.append(at)
            at += len(label) + 1

    @classmethod
    def from_store(cls, store: ox.Store, dataset: dict[str, object]) -> LabelIndex:
        found: list[set[tuple[str, str]]] = [set(), set()]
        complete = True
        for query, pairs in zip((_LABELS, _IDS), found, strict=True):
            for row in store.query(query, **dataset):  # type: ignore[arg-type,union-attr]
                node, value = row[0], row[1]  # type: ignore[index]
                if type(node).__name__ != "NamedNode":
                    complete = False
                    continue
                pairs.add((node.value, value.value))
        return cls(sorted(found[0]), sorted(found[1]), complete=complete)

    def candidates(self, needle: str, limit: int = MAX_CANDIDATES) -> list[str] | None:
        """IRIs of the nodes a label of which contains ``needle`` (any case), sorted; None when more than
        ``limit`` match or ``needle`` is not plain ASCII (the query then reads every label itself)."""
        if not self.complete or not needle or not needle.isascii() or "\n" in needle:
            return None
        low, found, at = needle.lower(), set(), 0
        while (at := self._text.find(low, at)) >= 0:
            found.add(self.iris[bisect.bisect_right(self._starts, at) - 1])
            if len(found) > limit:
                return None
            at += 1
        return sorted(found)

    def articles(self, prefix: str, limit: int = MAX_CANDIDATES) -> list[str] | None:
        """IRIs of the articles whose id starts with ``prefix`` (as STRSTARTS: case and all); None past ``limit``."""
        if not self.complete or not prefix:
            return None
        found = []
        for article_id, iri in self.ids[bisect.bisect_left(self.ids, (prefix, "")):]:
            if not article_id.startswith(prefix):
                break
            found.append(iri)
            if len(found) > limit:
                return None
        return sorted(found)

    def dump(self) -> str:
        """The index as text (:meth:`load` reads it): a line per label, ``iri<TAB>lower-cased label``."""
        if not self.complete:
            return ""
        labels = "".join(f"L\t{iri}\t{label}\n" for iri, label in zip(self.iris, self._text.split("\n"), strict=True))
        return labels + "".join(f"A\t{iri}\t{article_id}\n" for article_id, iri in self.ids)

    @classmethod
    def load(cls, text: str) -> LabelIndex:
        rows = [line.split("\t", 2) for line in text.split("\n") if line]
        # labels are already lower-cased: lowering them again changes nothing
        return cls([(r[1], r[2]) for r in rows if r[0] == "L"], [(r[1], r[2]) for r in rows if r[0] == "A"])


_MEMORY: dict[str, LabelIndex] = {}  # version key -> index, for outputs whose cache folder cannot be written


def label_index(out: Path | str, store: ox.Store, dataset: dict[str, object]) -> LabelIndex | None:
    """The label index of the build in ``out`` (made and kept on first use); None for an output being built."""
    out = Path(out)
    key = version_key(out)
    if key is None:
        return None
    if key in _MEMORY:
        return _MEMORY[key]
    path = out / "cache" / _FILE
    try:
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        if head == f"# {key}":
            index = _MEMORY[key] = LabelIndex.load(body)
            return index
    except OSError:
        pass
    index = LabelIndex.from_store(store, dataset)
    try:
        if path.parent.is_dir() and index.complete:
            atomic_write_text(path, f"# {key}\n" + index.dump())
    except OSError:
        pass  # a read-only output: the index lives in memory for this process
    _MEMORY.clear()
    _MEMORY[key] = index
    return index


def narrow(sparql: str, values: dict[str, str], labels: LabelIndex | None) -> str:
    """``sparql`` with a ``VALUES ?x { ... }`` before each ``?x rdfs:label ?l . FILTER($p = "" || CONTAINS(
    LCASE(?l), LCASE($p)))`` whose parameter is given: the nodes the index says the value names; and so for
    ``?a ng:articleId ?id . FILTER(STRSTARTS(?id, $p))``, the articles whose id starts so."""
    if labels is None:
        return sparql
    for name, value in values.items():
        cands = labels.candidates(value) if value else None
        p = re.escape(name)
        if cands is not None:
            pattern = re.compile(r"(\?\w+)(\s+rdfs:label\s+(\?\w+)\s*\.\s*FILTER\(\s*\$" + p
                                 + r'\s*=\s*""\s*\|\|\s*CONTAINS\(LCASE\(\3\),\s*LCASE\(\$' + p + r"\)\)\s*\))")
            sparql = _values(pattern, cands, sparql)
        if (arts := labels.articles(value) if value else None) is not None:
            pattern = re.compile(r"(\?\w+)(\s+ng:articleId\s+(\?\w+)\s*\.\s*FILTER\(\s*STRSTARTS\(\3,\s*\$" + p
                                 + r"\s*\)\s*\))")
            sparql = _values(pattern, arts, sparql)
    return sparql


def _values(pattern: re.Pattern[str], iris: list[str], sparql: str) -> str:
    """``sparql`` with ``VALUES ?x { <iri> ... }`` before each match of ``pattern`` (group 1: ``?x``)."""
    listed = " ".join(f"<{iri}>" for iri in iris)
    return pattern.sub(lambda m: f"VALUES {m[1]} {{ {listed} }}\n    {m[1]}{m[2]}", sparql)
