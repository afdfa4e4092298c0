"""Score built graphs against hand-written gold facts, so extraction quality is tracked in our own CI.

This is the team's external scorer (``eval/score.py`` in the shared eval kit) as library code: the
same gold format and the same matching rules, so the numbers agree with it to the digit
(``tests/test_eval.py`` checks this against results recorded from the shared scorer). Keep the
logic equivalent when editing; improve the extraction, never the yardstick.

The graph is read by the *local names* of classes and properties, in any namespace, and
``rdfs:subClassOf`` is followed through the graph and the ontology folder:

* entity nodes: ``Person``, ``Organization``, ``Country``, ``Place`` (or a subclass);
* agreement/event nodes: ``Agreement``, ``Event`` (or a subclass), but never a ``Statement``;
* relations between those nodes: :data:`RELATIONS`; ``spokeWith``/``metWith`` are symmetric;
* ``holdsRole`` for roles, ``said``/``claimed`` to a node with ``quote``/``text`` for statements,
  and RDF reification (``rdf:Statement``) for provenance.

Gold items listed as optional are neither rewarded nor punished; a second node for a gold entity
already found counts as a wrong guess, so entity resolution is part of the score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

__all__ = [
    "HEADS",
    "RELATIONS",
    "SYMMETRIC",
    "GoldIndex",
    "check_bounds",
    "content_words",
    "load_graph",
    "metric",
    "norm",
    "prf",
    "score_corpus",
    "score_graph",
]

#: Local class name -> gold entity type.
ENTITY_CLASSES = {
    "Person": "Person",
    "Organization": "Organization", "Organisation": "Organization",
    "Country": "Country", "GPE": "Country", "Nation": "Country",
    "Place": "Place", "Location": "Place",
}
#: A node typed as several actor kinds counts as the first of these.
TYPE_PRIORITY = ["Person", "Country", "Organization", "Place"]
EVENT_CLASSES = frozenset({"Agreement", "Event"})
#: Classes (or their subclasses) that are never agreements or events, even below ``Event``.
NOT_EVENTS = frozenset({"Statement", "Claim", "Quote", "Document", "Article", "Sentence", "Mention"})
RELATIONS = frozenset({"agreedTo", "proposed", "rejected", "negotiated", "signed", "spokeWith", "metWith",
                       "participatesIn", "attacked", "supports", "opposes", "locatedIn", "memberOf"})
SYMMETRIC = frozenset({"spokeWith", "metWith"})
ROLE_PROPERTIES = frozenset({"holdsRole", "role", "roleTitle", "jobTitle"})
SPEECH_PROPERTIES = frozenset({"said", "claimed", "stated"})
QUOTE_PROPERTIES = frozenset({"quote", "text", "content"})
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, URIRef("https://schema.org/name"),
                    URIRef("http://schema.org/name"), URIRef("http://xmlns.com/foaf/0.1/name"))
STOP = frozenset({"a", "an", "the", "this", "that", "those", "these", "its", "his", "her", "their", "of", "on",
                  "for", "to", "in", "and", "with", "at", "by", "upcoming"})
#: Agreement head words folded to one class word, so "minerals deal" meets "minerals agreement".
HEADS = {
    "deal": "agreement", "agreement": "agreement", "agreements": "agreement", "accord": "agreement",
    "pact": "agreement", "treaty": "agreement", "deals": "agreement",
    "ceasefire": "ceasefire", "truce": "ceasefire", "halt": "ceasefire", "pause": "ceasefire",
    "moratorium": "ceasefire", "ban": "ceasefire",
    "acquisition": "acquisition", "takeover": "acquisition", "purchase": "acquisition", "buy": "acquisition",
    "merger": "acquisition",
    "talks": "meeting", "meeting": "meeting", "meetings": "meeting", "summit": "meeting", "conference": "meeting",
    "negotiations": "meeting",
    "exchange": "exchange", "swap": "exchange",
    "proposal": "proposal", "plan": "proposal", "roadmap": "proposal",
}
HEAD_CLASSES = frozenset(HEADS.values())
#: Words that may stand before a person's surname and still name that person ("Senator Smith").
TITLES = frozenset({
    "president", "vice", "prime", "minister", "secretary", "state", "foreign", "defense", "defence", "envoy",
    "special", "spokesperson", "spokesman", "spokeswoman", "chancellor", "king", "queen", "premier", "sir",
    "dame", "lord", "mr", "ms", "mrs", "dr", "sen", "senator", "rep", "gov", "governor", "general", "gen",
    "ceo", "chief", "executive", "chairman", "chair", "director", "advisor", "adviser", "national", "security",
    "leader", "former", "u.s", "us", "treasury", "commerce", "trade", "deputy", "head", "ambassador", "judge",
    "justice", "mayor", "pope", "prince", "princess", "sheikh", "crown", "officer", "founder", "cofounder"})
RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
               ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".n3": "n3"}

Result = dict[str, Any]


# --- text normalisation ---------------------------------------------------------------------------------------


def local_name(term: object) -> str:
    """The part of an IRI after the last ``#``, ``/`` or ``:``: the scorer ignores namespaces."""
    return re.split(r"[#/:]", str(term))[-1]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def norm(text: str) -> str:
    """Lower-case ASCII words without possessives or inner dots/hyphens: ``U.S.`` and ``US`` compare equal."""
    text = _fold(text.replace("’", "'").replace("‘", "'")).lower().replace('"', "")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(?<=\w)[.-](?=\w)", "", text)  # U.S. -> us, cease-fire -> ceasefire, 30-day -> 30day
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    return re.sub(r"^the ", "", text)


def content_words(text: str) -> set[str]:
    """The words that identify an agreement, with head words folded (``deal`` -> ``agreement``)."""
    return {HEADS.get(t, t) for t in norm(text).split() if t not in STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


# --- gold ---------------------------------------------------------------------------------------------------


class GoldIndex:
    """A gold file's entities and agreements with the matching rules for node labels."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.entities: dict[str, dict[str, Any]] = {e["name"]: e for e in data.get("entities", [])}
        self.agreements: dict[str, dict[str, Any]] = {a["name"]: a for a in data.get("agreements", [])}
        self.optional = [norm(x) for x in [*data.get("optional_entities", []), *data.get("optional_agreements", [])]]

    @staticmethod
    def names(item: Mapping[str, Any]) -> list[str]:
        return [item["name"], *item.get("aliases", [])]

    def match_entity(self, label: str) -> str | None:
        """The gold entity a label names: a name or alias, or a person's surname with given names/titles."""
        n = norm(label)
        for name, e in self.entities.items():
            if n in (norm(x) for x in self.names(e)):
                return name
        toks = n.split()
        for name, e in self.entities.items():  # "President Jane Doe" or "Doe" alone
            if e["type"] != "Person" or not toks:
                continue
            for variant in self.names(e):
                full = norm(variant).split()
                if full and toks[-1] == full[-1] and set(toks[:-1]) <= set(full) | TITLES:
                    return name
        return None

    def match_agreement(self, label: str) -> str | None:
        """The gold agreement whose content words a label shares best (at least half), heads agreeing."""
        c = content_words(label)
        best, score = None, 0.0
        for name, a in self.agreements.items():
            for alias in self.names(a):
                ca = content_words(alias)
                heads = ca & HEAD_CLASSES
                if heads and not heads & c and norm(alias) != norm(label):
                    continue  # "attacks on energy facilities" is not the "ban on attacks on energy facilities"
                if norm(alias) == norm(label):
                    s = 1.0
                elif len(c) == 1 or len(ca) == 1:  # one word decides nothing, but "COP30 summit" is "COP30"
                    s = 0.8 if len(ca) == 1 and ca < c and len(c) == 2 and not ca & HEAD_CLASSES else 0.0
                else:
                    s = _jaccard(c, ca)
                    if c <= ca:
                        s = max(s, 0.9)  # label inside the alias: "energy ceasefire"
                    if ca <= c and len(c - ca) <= 1:
                        s = max(s, 0.8)  # alias plus one word
                if s > score:
                    best, score = name, s
        return best if score >= 0.5 else None

    def is_optional(self, label: str) -> bool:
        n, c = norm(label), content_words(label)
        return any(n == o or (c and _jaccard(c, content_words(o)) > 0.5) for o in self.optional)


# --- graph --------------------------------------------------------------------------------------------------


def load_graph(path: str | Path, ontology_dir: str | Path | None = None) -> Graph:
    """Parse an RDF file (format from its suffix; quads are flattened) and mix in ``ontology_dir/**/*.ttl``.

    The ontology is needed so that subclasses (``Ceasefire rdfs:subClassOf Agreement``) count.
    """
    path = Path(path)
    g = Graph()
    fmt = RDF_FORMATS.get(path.suffix)
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(path, format=fmt)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
    else:
        g.parse(path, format=fmt)
    if ontology_dir is not None:
        for f in sorted(Path(ontology_dir).rglob("*.ttl")):
            g.parse(f, format="turtle")
    return g


def _superclasses(g: Graph, cls: Node) -> set[Node]:
    seen: set[Node] = set()
    todo = [cls]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo.extend(g.objects(c, RDFS.subClassOf))
    return seen


def _labels(g: Graph, node: Node) -> list[str]:
    out: list[str] = []
    for p in LABEL_PREDICATES:
        out.extend(str(o) for o in g.objects(node, p) if isinstance(o, Literal))
    return out


def _node_kinds(g: Graph) -> dict[Node, tuple[str, str | None]]:
    """node -> ("entity", gold type) or ("event", None), by the local names of its (super)classes."""
    kinds: dict[Node, tuple[str, str | None]] = {}
    for node, cls in g.subject_objects(RDF.type):
        names = {local_name(c) for c in _superclasses(g, cls)}
        if names & NOT_EVENTS:
            continue
        ent = [ENTITY_CLASSES[n] for n in names if n in ENTITY_CLASSES]
        if ent:
            best = min(ent, key=TYPE_PRIORITY.index)
            prev = kinds.get(node)
            if not prev or prev[0] != "entity" or TYPE_PRIORITY.index(best) < TYPE_PRIORITY.index(prev[1] or ""):
                kinds[node] = ("entity", best)
        elif names & EVENT_CLASSES and node not in kinds:
            kinds[node] = ("event", None)
    return kinds


# --- scoring ------------------------------------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 (3 decimals); nothing to find and nothing claimed is a perfect 1.0."""
    if tp + fp + fn == 0:
        return {"tp": 0, "fp": 0, "fn": 0, "p": 1.0, "r": 1.0, "f1": 1.0}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _rel_key(s: str, p: str, o: str) -> tuple[str, ...]:
    return (p, *sorted((s, o))) if p in SYMMETRIC else (s, p, o)


def _score(g: Graph, gold: GoldIndex) -> tuple[Result, int]:
    """The result dict and the number of matched entities typed right (for micro-averaging)."""
    kinds = _node_kinds(g)

    # nodes -> gold names ("" for optional items)
    mapping: dict[Node, str] = {}
    ent_tp: set[str] = set()
    ev_tp: set[str] = set()
    ent_fp = ev_fp = type_ok = 0
    unmatched: dict[str, list[str]] = {"entities": [], "agreements": []}
    for node, (kind, typ) in sorted(kinds.items(), key=lambda kv: str(kv[0])):
        labs = _labels(g, node)
        hit = None
        for lab in labs:
            hit = gold.match_entity(lab) if kind == "entity" else gold.match_agreement(lab)
            if hit is None and kind == "entity" and content_words(lab) & HEAD_CLASSES:
                hit = gold.match_agreement(lab)  # typed as an actor but names an agreement
            if hit is None and kind == "event":
                hit = gold.match_entity(lab)
            if hit:
                break
        if hit:
            mapping[node] = hit
            if hit in gold.entities:
                if hit in ent_tp:
                    ent_fp += 1  # a second node for an entity already found
                else:
                    ent_tp.add(hit)
                    type_ok += gold.entities[hit]["type"] == typ
            elif hit in ev_tp:
                ev_fp += 1
            else:
                ev_tp.add(hit)
        elif any(gold.is_optional(lab) for lab in labs):
            mapping[node] = ""
        else:
            if kind == "entity":
                ent_fp += 1
            else:
                ev_fp += 1
            unmatched["entities" if kind == "entity" else "agreements"].append(labs[0] if labs else str(node))

    # relations
    gold_rel = {_rel_key(r["s"], r["p"], r["o"]) for r in gold.data.get("relations", [])}
    optional_rel = {_rel_key(r["s"], r["p"], r["o"]) for r in gold.data.get("optional_relations", [])}
    pred_rel: set[tuple[str, ...]] = set()
    rel_fp_list: list[tuple[str, str, str]] = []
    for s, p, o in g:
        name = local_name(p)
        if name not in RELATIONS or s not in kinds or o not in kinds:
            continue
        ms, mo = mapping.get(s), mapping.get(o)
        if ms == "" or mo == "":
            continue
        if ms is None or mo is None:
            rel_fp_list.append(((_labels(g, s) or [str(s)])[0], name, (_labels(g, o) or [str(o)])[0]))
            continue
        pred_rel.add(_rel_key(ms, name, mo))
    rel_tp = pred_rel & gold_rel
    rel_fp = len(pred_rel - gold_rel - optional_rel) + len(set(rel_fp_list))

    # roles
    role_texts: dict[str, list[str]] = {}
    for s, p, o in g:
        if local_name(p) in ROLE_PROPERTIES and s in mapping:
            texts = [str(o)] if isinstance(o, Literal) else _labels(g, o)
            role_texts.setdefault(mapping[s], []).extend(texts)
    roles_found = sum(
        1 for r in gold.data.get("roles", [])
        if any(content_words(r["role"]) <= content_words(t) for t in role_texts.get(r["s"], [])))

    # quotes
    spoken: list[tuple[str, str]] = []
    for s, p, st in g:
        if local_name(p) in SPEECH_PROPERTIES and s in mapping:
            for q, txt in g.predicate_objects(st):
                if isinstance(txt, Literal) and local_name(q) in QUOTE_PROPERTIES:
                    spoken.append((mapping[s], str(txt)))
    st_found = 0
    for stmt in gold.data.get("statements", []):
        want = content_words(stmt["quote"])
        if any(sp in stmt["speakers"] and len(want & content_words(t)) >= 0.6 * len(want) for sp, t in spoken):
            st_found += 1

    # provenance: reified relation triples against asserted ones
    reified = 0
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        if s is not None and p is not None and (s, p, o) in g and local_name(p) in RELATIONS:
            reified += 1
    asserted = sum(1 for s, p, o in g if local_name(p) in RELATIONS and s in kinds and o in kinds)

    n_roles, n_st = len(gold.data.get("roles", [])), len(gold.data.get("statements", []))
    result: Result = {
        "entities": prf(len(ent_tp), ent_fp, len(gold.entities) - len(ent_tp)),
        "entity_types": round(type_ok / len(ent_tp), 3) if ent_tp else 0.0,
        "agreements": prf(len(ev_tp), ev_fp, len(gold.agreements) - len(ev_tp)),
        "relations": prf(len(rel_tp), rel_fp, len(gold_rel) - len(rel_tp)),
        "roles": {"found": roles_found, "of": n_roles, "r": round(roles_found / n_roles, 3) if n_roles else 1.0},
        "statements": {"found": st_found, "of": n_st, "r": round(st_found / n_st, 3) if n_st else 1.0},
        "provenance": {"reified": reified, "asserted": asserted,
                       "share": round(min(reified, asserted) / asserted, 3) if asserted else 0.0},
        "missed": {
            "entities": sorted(set(gold.entities) - ent_tp),
            "agreements": sorted(set(gold.agreements) - ev_tp),
            "relations": sorted(" ".join(k) for k in gold_rel - pred_rel),
        },
        "wrong": {
            "entities": sorted(set(unmatched["entities"])),
            "agreements": sorted(set(unmatched["agreements"])),
            "relations": sorted({" ".join(k) for k in pred_rel - gold_rel - optional_rel}
                                | {" ".join(t) for t in rel_fp_list}),
        },
    }
    return result, type_ok


def score_graph(g: Graph, gold: Mapping[str, Any]) -> Result:
    """Score one article's graph against its gold dict; the same result (keys and numbers) as the shared scorer."""
    return _score(g, GoldIndex(gold))[0]


def _document_name(gold: Mapping[str, Any], index: int) -> str:
    doc = gold.get("document")
    return Path(doc).stem if doc else f"doc{index}"


def score_corpus(pairs: Mapping[str, tuple[Graph, Mapping[str, Any]]] | Iterable[tuple[Graph, Mapping[str, Any]]],
                 ) -> Result:
    """Per-document results and their micro average (summed tp/fp/fn), so long articles weigh more.

    ``pairs`` maps document names to ``(graph, gold)``, or is a sequence of ``(graph, gold)`` named
    after the gold's ``document``.
    """
    items = (pairs.items() if isinstance(pairs, Mapping)
             else ((_document_name(gold, i), (g, gold)) for i, (g, gold) in enumerate(pairs)))
    documents: dict[str, Result] = {}
    totals = {k: [0, 0, 0] for k in ("entities", "agreements", "relations")}
    counts = dict.fromkeys(("typed", "roles", "roles_of", "st", "st_of", "reified", "asserted"), 0)
    for name, (g, gold) in items:
        result, typed = _score(g, GoldIndex(gold))
        documents[name] = result
        for k, acc in totals.items():
            acc[0] += result[k]["tp"]
            acc[1] += result[k]["fp"]
            acc[2] += result[k]["fn"]
        counts["typed"] += typed
        counts["roles"] += result["roles"]["found"]
        counts["roles_of"] += result["roles"]["of"]
        counts["st"] += result["statements"]["found"]
        counts["st_of"] += result["statements"]["of"]
        counts["reified"] += result["provenance"]["reified"]
        counts["asserted"] += result["provenance"]["asserted"]
    ent_tp = totals["entities"][0]
    micro: Result = {k: prf(*acc) for k, acc in totals.items()}
    micro["entity_types"] = round(counts["typed"] / ent_tp, 3) if ent_tp else 0.0
    micro["roles"] = {"found": counts["roles"], "of": counts["roles_of"],
                      "r": round(counts["roles"] / counts["roles_of"], 3) if counts["roles_of"] else 1.0}
    micro["statements"] = {"found": counts["st"], "of": counts["st_of"],
                           "r": round(counts["st"] / counts["st_of"], 3) if counts["st_of"] else 1.0}
    # per document the share is capped at 1, as the shared scorer does
    capped = sum(min(r["provenance"]["reified"], r["provenance"]["asserted"]) for r in documents.values())
    micro["provenance"] = {"reified": counts["reified"], "asserted": counts["asserted"],
                           "share": round(capped / counts["asserted"], 3) if counts["asserted"] else 0.0}
    return {"documents": documents, "micro": micro}


# --- bounds -------------------------------------------------------------------------------------------------


def metric(result: Mapping[str, Any], dotted: str) -> float:
    """A number of a result by its dotted key, e.g. ``relations.f1``; KeyError names an unknown key."""
    cur: Any = result
    for part in dotted.split("."):
        cur = cur[part]
    return float(cur)


def check_bounds(result: Mapping[str, Any], bounds: Iterable[str]) -> list[str]:
    """The ``KEY=VALUE`` lower bounds that ``result`` does not meet, as messages; ValueError if malformed."""
    failed = []
    for bound in bounds:
        key, sep, value = bound.partition("=")
        if not sep:
            raise ValueError(f"bound {bound!r} is not KEY=VALUE")
        try:
            floor = float(value)
            got = metric(result, key.strip())
        except (KeyError, TypeError) as e:
            raise ValueError(f"bound {bound!r}: unknown key {key.strip()!r}") from e
        except ValueError as e:
            raise ValueError(f"bound {bound!r}: {value!r} is not a number") from e
        if got < floor:
            failed.append(f"{key.strip()} = {got:.3f} < {floor}")
    return failed
