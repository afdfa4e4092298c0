"""Build benchmark: words/s of ``newsgraph build`` against bare ``nlp.pipe``, memory, store size, incremental costs.

    python tests/bench/bench_build.py                     # 250 articles, about two minutes on 2 cores
    python tests/bench/bench_build.py --articles 1000 --repeat 2   # each measurement twice, the fastest kept
    python tests/bench/bench_build.py --articles 10000 --jobs 2   # about 20 minutes on 2 cores

The corpus is made here: recombined sentence templates with invented people, countries and organisations
(150-400 words per article), where people recur across articles under spelling variants ("Aleksandr" /
"Oleksandr"), as surname-only mentions and with titles, so the cross-article merge has real work to do.
The same ``--seed`` gives the same corpus.

Each build runs in a child process through ``graph.builder.build`` with the arguments ``newsgraph build``
passes (the CLI adds only the progress bar); its peak memory is the peak RSS of the child and all its
workers, sampled with psutil. Printed in one table:

* words/s of a fresh build with ``--jobs 1`` and ``--jobs 2``, and of bare ``nlp.pipe`` over the same texts
  with the same model (as installed) and process count, and their ratio; and, to show how much of the
  difference is the NLP, ``nlp.pipe`` on the model as the build loads it (``graph.nlp.pipeline.load_model``:
  paragraph breaks end sentences, the attribute ruler's matches found by lookup) and the build's ratio to that;
* where the build spends its time (parse = NLP + extraction; merge; validate = article graphs + SHACL;
  store = graph.nq + Oxigraph; export = the exporters);
* peak RSS, store size on disk, the time to add one article to the full store (the newest article, as a
  growing folder gets them, and one dated in the middle of the corpus, which makes the resolution index
  cluster again the agreements it connects to), and of a no-change re-run.

Needs psutil (``pip install psutil``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.builder import DEFAULT_EXPORT_LIMIT

# --- the corpus ---------------------------------------------------------------------------------------------

_FIRST = ("Aleksandr/Oleksandr", "Mikhail/Mykhailo", "Dmitri/Dmytro", "Yuri/Yuriy", "Sergei/Serhiy",
          "Andrei/Andriy", "Maria", "Johan", "Ingrid", "Otto", "Lena", "Tomas", "Ilse", "Rafael", "Nadia",
          "Kasimir", "Elin", "Pavel/Pavlo", "Vera", "Anton", "Greta", "Matteo", "Sofia", "Henrik", "Amara",
          "Leila", "Jonas", "Petra", "Emil", "Ruth", "Oskar", "Mirela", "Teodor", "Zofia", "Luca", "Hana")
_ONSET = ("Kov", "Lind", "Bar", "Hal", "Dra", "Mor", "Vel", "Sten", "Tor", "Gal", "Bren", "Kas", "Ost",
          "Pel", "Rud", "Sav", "Tam", "Ul", "Var", "Zel", "Fen", "Grom", "Hor", "Jar", "Lev", "Nor")
_MIDDLE = ("a", "o", "e", "i", "u", "ar", "en", "ov", "il", "an")
_CODA = ("renko/renko", "qvist/quist", "sky/skiy", "vic/vich", "berg/berg", "son/son", "mann/man",
         "ski/sky", "dorf/dorf", "ova/ova", "lenko/lenko", "nen/nen", "lund/lund", "ez/es")
_COUNTRIES = ("Veloria", "Norhaven", "Ostrelia", "Kastovia", "Lumeria", "Tarsenia", "Balvador", "Drovnia",
              "Estmark", "Galavia", "Irvania", "Moldrava", "Pallas", "Quenya", "Rostavia", "Selvania",
              "Trevania", "Uskaria", "Varnia", "Zembla")
_CITIES = ("Arlen", "Brask", "Corvo", "Dunmere", "Eskar", "Falkor", "Gresh", "Holm", "Istra", "Jorvik",
           "Kelso", "Lorne", "Marlow", "Nesk", "Orvo", "Pryor", "Quill", "Rask", "Selby", "Tarn")
_ORG_HEAD = ("Corvid", "Halvard", "Meridian", "Northstar", "Pelican", "Quarry", "Redfern", "Silvane",
             "Tamarind", "Umber", "Vantage", "Westmark", "Yarrow", "Zephyr", "Aldine", "Bramble")
_ORG_TAIL = ("Energy", "Aerospace", "Holdings", "Bank", "Institute", "Group", "Capital", "Foundation")
_ROLES = ("President", "Prime Minister", "Foreign Minister", "Defence Minister", "Trade Minister",
          "Special Envoy", "Chancellor", "Ambassador")
_TOPICS = ("grain", "energy", "gas", "minerals", "trade", "water", "fisheries", "rail", "port", "steel")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUOTES = ("We will not accept any deal that ignores our people", "This is a step toward lasting peace",
           "The talks were difficult but useful", "Our patience is not unlimited",
           "Nobody should expect miracles from one meeting", "We are ready to sign tomorrow",
           "The other side keeps moving the goalposts", "Every day without fighting saves lives")

_TEMPLATES = (
    "{role} {p1} met {role2} {p2} in {city} on {day} to discuss the {topic} deal.",
    "{c1} and {c2} agreed to a {n}-day ceasefire along their shared border.",
    "\"{quote},\" {s1} told reporters in {city}.",
    "{org} proposed a {topic} agreement with {c1} last week.",
    "{s2} rejected the proposal, saying it ignored the concerns of {c2}.",
    "Officials in {c1} said the talks in {city} would resume next month.",
    "{p1}, the {role_l} of {c1}, spoke with {p2} by phone on {day}.",
    "The {topic} deal was signed by {s1} and {s2} in {city} on {day}.",
    "{org} signed a {topic} deal with {org2} worth {n} million dollars.",
    "Analysts at {org} warned that the ceasefire could collapse within weeks.",
    "{c2} accused {c1} of violating the ceasefire near {city}.",
    "{s1} said the ceasefire was holding, although both sides reported shelling near {city}.",
    "The talks come after months of tension over {topic} supplies between {c1} and {c2}.",
    "Residents of {city} described long queues at fuel stations and shuttered shops.",
    "{p2} visited {city} on {day} and met local officials.",
    "{s2} said {c2} supports the ceasefire but wants guarantees from {org}.",
    "Markets in {c1} rose on {day} after the announcement, and the currency gained two percent.",
    "{c1} hosted a summit on {topic} security in {city} that {p1} attended.",
    "Critics in {c2} condemned the {topic} deal, calling it a giveaway to {org}.",
    "Under the plan, both sides would exchange prisoners and open a humanitarian corridor.",
)


def _variants(spec: str) -> tuple[str, str]:
    a, _, b = spec.partition("/")
    return a, b or a


def _people(n: int, rng: random.Random) -> list[dict[str, object]]:
    people, seen = [], set()
    while len(people) < n:
        first = _variants(rng.choice(_FIRST))
        coda = _variants(rng.choice(_CODA))
        stem = rng.choice(_ONSET) + rng.choice(_MIDDLE)
        last = (stem + coda[0], stem + coda[1])
        if (first[0], last[0]) in seen:
            continue
        seen.add((first[0], last[0]))
        people.append({"first": first, "last": last, "role": rng.choice(_ROLES)})
    return people


def _full(p: dict[str, object], spelling: int) -> str:
    first, last = p["first"], p["last"]
    return f"{first[spelling]} {last[spelling]}"  # type: ignore[index]


def _sur(p: dict[str, object], spelling: int) -> str:
    return p["last"][spelling]  # type: ignore[index]


def make_corpus(n: int, *, seed: int = 7) -> list[tuple[str, str, dict[str, str]]]:
    """``n`` articles as (file stem, text, sidecar metadata); 150-400 words each."""
    rng = random.Random(seed)
    pool = _people(max(40, int(20 * math.sqrt(n))), rng)
    orgs = [f"{h} {t}" for h in _ORG_HEAD for t in _ORG_TAIL]
    out = []
    for i in range(n):
        spelling = rng.randrange(2)  # transliteration variant used by this "publisher"
        a, b = rng.sample(pool, 2)

        c1, c2 = rng.sample(_COUNTRIES, 2)
        org, org2 = rng.sample(orgs, 2)
        target = rng.randint(150, 400)
        sentences, words = [], 0
        first_use = {id(a): True, id(b): True}
        while words < target:
            tpl = rng.choice(_TEMPLATES)
            fill = {
                "role": a["role"], "role2": b["role"], "role_l": str(a["role"]).lower(), "city": rng.choice(_CITIES),
                "day": rng.choice(_DAYS), "topic": rng.choice(_TOPICS), "c1": c1, "c2": c2, "org": org,
                "org2": org2, "n": str(rng.choice((3, 7, 10, 30, 60, 90))), "quote": rng.choice(_QUOTES),
                "p1": _full(a, spelling), "p2": _full(b, spelling),
                "s1": _full(a, spelling) if first_use[id(a)] else _sur(a, spelling),
                "s2": _full(b, spelling) if first_use[id(b)] else _sur(b, spelling),
            }
            if "{p1}" in tpl or "{s1}" in tpl:
                first_use[id(a)] = False
            if "{p2}" in tpl or "{s2}" in tpl:
                first_use[id(b)] = False
            sentence = tpl.format(**fill)
            sentences.append(sentence)
            words += len(sentence.split())
            if rng.random() < 0.25:
                sentences.append("\n")
        text = " ".join(sentences).replace(" \n ", "\n\n").strip()
        meta = {"title": f"{c1} and {c2}: report {i}", "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "source": "Synthetic Wire"}
        out.append((f"{i:06d}", text, meta))
    return out


def write_corpus(folder: Path, corpus: list[tuple[str, str, dict[str, str]]]) -> int:
    """Write the articles (.txt with .meta.json sidecars) into ``folder``; returns the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for stem, text, meta in corpus:
        (folder / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
        (folder / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        words += len(text.split())
    return words


# --- measuring ----------------------------------------------------------------------------------------------

_RUNNER = """
import json, sys, time
from graph.builder import build
args = json.loads(sys.argv[1])
t = time.perf_counter()
r = build([args["src"]], args["out"], formats=args["formats"], n_process=args["jobs"], export_limit=args["limit"])
print(json.dumps({"seconds": time.perf_counter() - t, "timings": r.timings, "parsed": len(r.parsed),
                  "changed": r.changed, "counts": r.counts}))
"""

_PIPE = """
import json, sys, time
from pathlib import Path
from graph.nlp.pipeline import load_installed_model, load_model
args = json.loads(sys.argv[1])
texts = [p.read_text(encoding="utf-8").strip() for p in sorted(Path(args["src"]).glob("*.txt"))]
nlp = load_model() if args["pipeline"] == "newsgraph" else load_installed_model()
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16, n_process=args["jobs"]):
    pass
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


def _run(code: str, args: dict[str, object]) -> tuple[dict[str, object], float, float]:
    """Run ``code`` in a child process; its JSON result, wall seconds and peak RSS (MiB) of its process tree."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(args)], stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = parent.memory_info().rss + sum(c.memory_info().rss for c in parent.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode:
        raise SystemExit(f"benchmark step failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), time.perf_counter() - started, peak / 2**20


def _du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000,
                    help="corpus size; below about 1,000 articles fixed costs (loading the model, writing the "
                         "whole-graph files) weigh on the build's ratio (see README)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--formats", nargs="+", default=["turtle", "html"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--export-limit", type=int, default=DEFAULT_EXPORT_LIMIT,
                    help="as newsgraph build --export-limit (0: write the whole-graph files at any size)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--throughput-only", action="store_true",
                    help="measure the builds and their baselines only, not the incremental costs")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each measurement this many times, interleaved, and keep the fastest of each "
                         "(other load on the machine only ever slows a run down)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    src = work / "corpus"
    shutil.rmtree(src, ignore_errors=True)
    corpus = make_corpus(a.articles + 1, seed=a.seed)
    extra = corpus.pop()
    words = write_corpus(src, corpus)
    print(f"corpus: {a.articles} articles, {words} words ({words / a.articles:.0f} per article) in {src}", flush=True)
    rows = []
    timings: dict[int, dict[str, float]] = {}
    peaks = []
    def fastest(runs: list[tuple[dict[str, object], float, float]]) -> tuple[dict[str, object], float, float]:
        result = min(runs, key=lambda r: float(r[0]["seconds"]))  # type: ignore[arg-type]
        return result[0], result[1], max(r[2] for r in runs)  # the highest peak memory of all runs

    for jobs in a.jobs:
        out = work / f"out-j{jobs}"
        pipes, owns, builds = [], [], []
        for _ in range(max(1, a.repeat)):
            pipes.append(_run(_PIPE, {"src": str(src), "jobs": jobs, "pipeline": "installed"}))
            owns.append(_run(_PIPE, {"src": str(src), "jobs": jobs, "pipeline": "newsgraph"}))
            shutil.rmtree(out, ignore_errors=True)
            builds.append(_run(_RUNNER, {"src": str(src), "out": str(out), "formats": a.formats, "jobs": jobs,
                                         "limit": a.export_limit}))
        (pipe, _, pipe_peak), (own, _, _), (res, _wall, peak) = fastest(pipes), fastest(owns), fastest(builds)
        bare = words / float(pipe["seconds"])  # type: ignore[arg-type]
        built = words / float(res["seconds"])  # type: ignore[arg-type]
        parsed = words / float(res["timings"]["parse"])  # type: ignore[index]
        tuned = words / float(own["seconds"])  # type: ignore[arg-type]
        rows.append((jobs, bare, built, parsed, float(res["seconds"]), tuned))
        timings[jobs] = res["timings"]  # type: ignore[assignment]
        peaks.append((f"build --jobs {jobs}", peak))
        peaks.append((f"nlp.pipe n_process={jobs}", pipe_peak))
        print(f"  jobs {jobs}: nlp.pipe {bare:,.0f} words/s, build {built:,.0f} words/s", flush=True)
    out = work / f"out-j{a.jobs[0]}"
    store_mb = _du(out / "store")
    if a.throughput_only:
        _table(a, words, rows, timings, peaks)
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
        return
    # The usual addition is the newest article; one dated in the middle of the corpus makes the index cluster
    # again the agreements it touches (see graph.resolution.index), so both are measured.
    stem, text, meta = extra
    args = {"src": str(src), "out": str(out), "formats": a.formats, "jobs": 1, "limit": a.export_limit}
    adds = {}
    for kind, published in (("newest", "2026-01-15"), ("back-dated", "2025-06-15")):
        (src / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
        (src / f"{stem}.meta.json").write_text(json.dumps({**meta, "published": published}), encoding="utf-8")
        adds[kind] = _run(_RUNNER, args)
        assert adds[kind][0]["parsed"] == 1, adds[kind]
        for p in (src / f"{stem}.txt", src / f"{stem}.meta.json"):
            p.unlink()
        _run(_RUNNER, args)  # and remove it again
    (src / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
    (src / f"{stem}.meta.json").write_text(json.dumps({**meta, "published": "2026-01-15"}), encoding="utf-8")
    _run(_RUNNER, args)
    same, same_wall, _ = _run(_RUNNER, args)
    assert same["parsed"] == 0 and not same["changed"], same

    _table(a, words, rows, timings, peaks)
    nq = out / "graph.nq"
    files = f"graph.nq {nq.stat().st_size / 2**20:,.1f} MiB" if nq.exists() else "whole-graph files past --export-limit"
    print(f"store size on disk: {store_mb:,.1f} MiB ({files}; {same['counts']['articles']} article graphs, "  # type: ignore[index]
          f"nodes and merged; merged graph {same['counts'].get('triples', 0):,} triples)")  # type: ignore[union-attr]
    stages = ("scan", "parse", "merge", "validate", "store", "export", "manifest")
    for kind, (add, add_wall, _) in adds.items():
        t = add["timings"]
        print(f"add one article ({kind}) to the full store: {add['seconds']:.2f} s (process {add_wall:.1f} s; "  # type: ignore[str-format]
              + " ".join(f"{s} {t.get(s, 0.0):.2f}" for s in stages) + ")")  # type: ignore[union-attr]
    print(f"no-change re-run: {same['seconds']:.2f} s (process {same_wall:.1f} s, including interpreter start)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def _table(a: argparse.Namespace, words: int, rows: list, timings: dict, peaks: list) -> None:
    """The throughput table: words/s of each build against its baselines, time by stage, peak memory."""
    print()
    print(f"newsgraph build benchmark: {a.articles} articles, {words:,} words, {os.cpu_count()} cores, "
          f"formats {' '.join(a.formats)}" + (f", fastest of {a.repeat} runs each" if a.repeat > 1 else ""))
    print(f"{'jobs':>4} | {'nlp.pipe words/s':>16} | {'build words/s':>13} | {'ratio':>5} | {'build s':>7} | "
          f"{'parse stage words/s':>19} | {'ratio':>5} | {'newsgraph pipeline words/s':>26} | {'ratio':>5}")
    for jobs, bare, built, parsed, secs, tuned in rows:
        print(f"{jobs:>4} | {bare:>16,.0f} | {built:>13,.0f} | {built / bare:>5.2f} | {secs:>7.1f} | "
              f"{parsed:>19,.0f} | {parsed / bare:>5.2f} | {tuned:>26,.0f} | {built / tuned:>5.2f}")
    print("(nlp.pipe = the model as installed; build = the whole newsgraph build; parse stage = reading, NLP,\n"
          " extraction and caching only; newsgraph pipeline = nlp.pipe on the model as the build loads it (paragraph\n"
          " breaks end sentences, attribute rules matched by lookup, entities decoded with the GIL held) and the\n"
          " build's ratio to it)")
    stages = ("scan", "parse", "merge", "validate", "store", "export", "manifest")
    print("time by stage (s): " + "; ".join(
        f"jobs {j}: " + " ".join(f"{s} {timings[j].get(s, 0.0):.1f}" for s in stages) for j in timings))
    for name, peak in peaks:
        print(f"peak RSS, {name}: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
