"""One module per construction of English news prose; :data:`EXTRACTORS` runs them in order.

Each extractor is ``fn(ix, consumed) -> Iterator[Relation]`` over one article's DocIndex; ``consumed``
holds the tokens an earlier extractor has read for good (a reduced relative claims its verb so the
verb frames do not read it again). To add a construction: write a module with one generator, give it
its own test text in tests/, and list it here where it belongs in the order. An ablation switches one
off by name (:func:`disabled`; tests/bench/ablation.py prints one row per extractor).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from ...records import Relation
from ..document import DocIndex
from .affiliations import bracketed_parties, parent_companies, units
from .brokered import brokered
from .descriptions import descriptions, evaluations
from .frames import frames
from .involvement import involvement
from .locations import locations
from .memberships import memberships
from .nationalities import demonym_titles
from .nominal import attack_nouns, contact_nouns
from .places import capitals, comma_places, described_places, headquarters, owned_places
from .relatives import reduced_relatives
from .stance_nouns import stance_nouns

Extractor = Callable[[DocIndex, set[int]], Iterator[Relation]]

#: name -> extractor, in the order they run (earlier ones may claim tokens for good).
EXTRACTORS: dict[str, Extractor] = {
    "reduced relative clauses": reduced_relatives,
    "verb frames": frames,
    "nominal forms (call with, talks between)": contact_nouns,
    "attack nouns (strikes on)": attack_nouns,
    "brokered, proposals, acquisitions": brokered,
    "stance nouns (signing of, support for, critic of)": stance_nouns,
    "involved in (participatesIn)": involvement,
    "descriptions (cast the deal as essential)": descriptions,
    "evaluations (X said the deal was a betrayal)": evaluations,
    "locations": locations,
    "places with their country (Keral, Borvia)": comma_places,
    "capitals (Borvia's capital, Keral)": capitals,
    "described places (an enclave in Arland)": described_places,
    "headquarters (its headquarters in Lisra)": headquarters,
    "owned places (its Nesk region)": owned_places,
    "memberships": memberships,
    "bracketed parties (X (Unity Party))": bracketed_parties,
    "parent companies (Orbis's parent company, Zentra)": parent_companies,
    "units (runs the cloud unit at Orbis)": units,
    "demonym titles (French President X)": demonym_titles,
}

#: Names switched off for the current run (ablations only).
DISABLED: set[str] = set()


@contextlib.contextmanager
def disabled(*names: str) -> Iterator[None]:
    """Run without the named extractors: ``with disabled("verb frames"): ...`` (ablations)."""
    unknown = set(names) - set(EXTRACTORS)
    if unknown:
        raise KeyError(f"no extractor named {sorted(unknown)}")
    before = set(DISABLED)
    DISABLED.update(names)
    try:
        yield
    finally:
        DISABLED.clear()
        DISABLED.update(before)


def run_extractors(ix: DocIndex) -> Iterator[Relation]:
    """Every enabled extractor's relations, in registry order."""
    consumed: set[int] = set()
    for name, fn in EXTRACTORS.items():
        if name not in DISABLED:
            yield from fn(ix, consumed)
