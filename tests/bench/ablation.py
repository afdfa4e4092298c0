"""What each extraction component adds: switch one off at a time and score the annotated corpus.

    python tests/bench/ablation.py            # the eval corpus in tests/data/eval plus the sample article
    python tests/bench/ablation.py --gold ../shared/eval/dev   # any folder of NAME.txt + NAME.gold.json

Prints micro entity / agreement / relation F1 with everything on, then with each component off,
and the difference. Components are switched off by replacing one function for the run, so the
table measures the shipped code, not a copy of it.
"""

from __future__ import annotations

import contextlib
import importlib
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graph.nlp import agreements, coref, document, extract, names, place_names, titles  # noqa: E402
from graph.nlp import entities as resolve  # noqa: E402
from graph.nlp.extractors import EXTRACTORS, disabled  # noqa: E402
from graph.quality.corpus import run_eval  # noqa: E402

#: The module, not the function of the same name the package exports.
frames = importlib.import_module("graph.nlp.extractors.frames")


def _none(*_args: object, **_kwargs: object) -> None:
    return None


def _separate(doc: object, ms: list) -> list[list]:
    for n, m in enumerate(ms):
        m.cluster = n
    return [[m] for m in ms]


#: name -> (module, attribute, replacement): the stages around the relation extractors. Every relation
#: extractor (graph.nlp.extractors.EXTRACTORS) gets a row of its own as well.
COMPONENTS: dict[str, tuple[object, str, Callable]] = {
    "coreference (pronouns, descriptions)": (coref.Coref, "resolve", lambda self, tok: []),
    "name repairs (surnames, missed names)": (names, "retype_surnames", _none),
    "titles split off as roles": (titles, "attach_title", _none),
    "roles from 'as' phrases and 'become'": (titles, "as_roles", lambda *a: []),
    "people the model typed otherwise (particles, titles, 'said he')": (names, "people_from_evidence", _none),
    "adjacent person names joined": (names, "join_adjacent_people", lambda doc, ms: ms),
    "party members' names as the party": (names, "party_type", _none),
    "names typed as nationalities are people": (names, "norp_person", _none),
    "places the parse shows (town of X, an enclave in)": (place_names, "places_from_evidence", _none),
    "untyped names the parse shows are places": (place_names, "unlabelled_places", _none),
    "a country that is also a surname stays the country": (names, "country_surname", lambda *a: False),
    "bracketed party qualifiers in the name": (names, "bracket_end", lambda doc, end: end),
    "bracketed abbreviations one node": (names, "bracket_aliases", _none),
    "NER spans cut at 'of' repaired": (names, "cut_spans", lambda doc: {}),
    "credit lines are not actors": (names, "without_footers", lambda doc, ms: ms),
    "formal country names ('Republic of X')": (resolve, "_formal_states", _none),
    "demonym proxies ('Arlandian officials')": (document.DocIndex, "_demonym_countries", lambda self, t: []),
    "agreement anaphora linking": (extract, "link_mentions", _separate),
    "events said with a verb": (agreements, "_verbal_events", lambda *a: []),
    "reported speech kept apart": (frames, "reporting_verb", _none),
    "capitals as their countries": (document.DocIndex, "agents", lambda self, found: found),
}


@contextlib.contextmanager
def switched_off(target: object, attr: str, replacement: Callable) -> Iterator[None]:
    old = getattr(target, attr)
    setattr(target, attr, replacement)
    try:
        yield
    finally:
        setattr(target, attr, old)


def corpus_dir() -> Path:
    """The annotated corpus plus the sample article (its gold is kept among the eval fixtures)."""
    tmp = Path(tempfile.mkdtemp(prefix="ablation-"))
    for f in (ROOT / "tests" / "data" / "eval").glob("*.*"):
        shutil.copy(f, tmp / f.name)
    seed_gold = ROOT / "tests" / "data" / "eval" / "fixtures" / "seed_gold.json"
    if seed_gold.is_file():
        for f in (ROOT / "seeds").glob("000_89ad01d58e3d4ec4*"):
            shutil.copy(f, tmp / f.name)
        shutil.copy(seed_gold, tmp / "000_89ad01d58e3d4ec4.json")
    return tmp


def gold_copy(folder: Path) -> Path:
    """A folder of NAME.txt + NAME.gold.json (the shared dev set's layout) as the eval layout (NAME.json)."""
    tmp = Path(tempfile.mkdtemp(prefix="ablation-"))
    for f in folder.glob("*.txt"):
        gold = f.with_name(f.stem + ".gold.json")
        if gold.is_file():
            shutil.copy(f, tmp / f.name)
            shutil.copy(gold, tmp / f"{f.stem}.json")
            meta = f.with_name(f.stem + ".meta.json")
            if meta.is_file():
                shutil.copy(meta, tmp / meta.name)
    return tmp


def scores(gold_dir: Path) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as out:
        micro = run_eval(gold_dir, Path(out))["micro"]
    return micro["entities"]["f1"], micro["agreements"]["f1"], micro["relations"]["f1"], micro["roles"]["r"]


def main() -> None:
    gold_dir = gold_copy(Path(sys.argv[sys.argv.index("--gold") + 1])) if "--gold" in sys.argv else corpus_dir()
    base = scores(gold_dir)
    print(f"{'component switched off':60s} {'entities':>9s} {'agreements':>11s} {'relations':>10s} {'roles':>7s}")
    print(f"{'(none: the full pipeline)':60s} {base[0]:9.3f} {base[1]:11.3f} {base[2]:10.3f} {base[3]:7.3f}")
    runs: list[tuple[str, contextlib.AbstractContextManager]] = [
        (name, switched_off(target, attr, repl)) for name, (target, attr, repl) in COMPONENTS.items()]
    runs += [(f"extractor: {name}", disabled(name)) for name in EXTRACTORS]
    for name, switch in runs:
        with switch:
            got = scores(gold_dir)
        print(f"{name:60s} " + " ".join(f"{g - b:+{w}.3f}" for g, b, w in zip(got, base, (9, 11, 10, 7), strict=True)))
    shutil.rmtree(gold_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
