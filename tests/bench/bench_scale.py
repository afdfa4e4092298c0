"""Scale benchmark: one fresh build of a year of news (100,000 generated articles), its memory as it grows, its store.

    python tests/bench/bench_scale.py                            # 100,000 articles, --jobs 2: about two hours here
    python tests/bench/bench_scale.py --articles 10000 --keep /tmp/scale   # about 12 minutes

The corpus is bench_build's generator (150-400 words an article, people recurring under spelling variants).
The build runs in a child process through ``graph.builder.build`` with ``newsgraph build``'s defaults; the
parent samples the resident memory of the child and all its workers every 0.2 s, and the child reports its
progress, so the table shows the memory when 10,000, 30,000 and 100,000 articles were parsed and the peak of
every later stage: a build that holds more as the corpus grows shows it here.

The baseline is measured in the same run: ``nlp.pipe`` on the model as the build loads it (the physical limit
of a build, which must parse every article) with as many processes, over an even sample of the corpus
(``--sample`` articles; parsing costs the same per word at any corpus size). Then the time to add one
article to the full store and a no-change re-run, each in a new process as a user runs them.

Needs psutil.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import _PIPE, _du, make_corpus, write_corpus

_RUNNER = """
import json, sys, time
from graph.builder import build
args = json.loads(sys.argv[1])
last = [None, -1]
def progress(stage, done, total):
    if stage != last[0] or done - last[1] >= 1000 or done == total:
        last[0], last[1] = stage, done
        print("progress", stage, done, flush=True)
t = time.perf_counter()
r = build([args["src"]], args["out"], n_process=args["jobs"], executor=args["executor"], on_progress=progress)
print(json.dumps({"seconds": time.perf_counter() - t, "timings": r.timings, "parsed": len(r.parsed),
                  "changed": r.changed, "counts": r.counts, "failures": len(r.failures)}), flush=True)
"""


class _Sampler:
    """Peak RSS (MiB) of a process tree, overall, per build stage and at given parse counts."""

    def __init__(self, pid: int, marks: list[int]) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.marks = sorted(marks)
        self.stage, self.done = "start", 0
        self.peak = 0.0
        self.by_stage: dict[str, float] = {}
        self.at: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> float:
        import psutil

        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            now = self.rss()
            self.peak = max(self.peak, now)
            self.by_stage[self.stage] = max(self.by_stage.get(self.stage, 0.0), now)
            self._stop.wait(0.2)

    def progress(self, stage: str, done: int) -> None:
        self.stage, self.done = stage, done
        if stage == "parse":
            for m in self.marks:
                if done >= m and m not in self.at:  # the highest sample so far: one sample is a moment's noise
                    self.at[m] = max(self.rss(), self.by_stage.get("parse", 0.0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _build(args: dict[str, object], marks: list[int], echo: bool) -> tuple[dict[str, object], float, _Sampler]:
    """Run one build in a child process; its result, wall seconds (interpreter start included) and memory."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _RUNNER, json.dumps(args)], stdout=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid, marks)
    result: dict[str, object] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("progress "):
            _, stage, done = line.split()
            sampler.progress(stage, int(done))
            if echo and (stage != "parse" or int(done) % 10_000 == 0):
                print(f"    {time.perf_counter() - started:7.0f} s  {stage} {done}  RSS {sampler.rss():,.0f} MiB",
                      flush=True)
        elif line.startswith("{"):
            result = json.loads(line)
    proc.wait()
    sampler.stop()
    if proc.returncode or not result:
        raise SystemExit(f"build failed ({proc.returncode})")
    return result, time.perf_counter() - started, sampler


def _pipe(src: Path, jobs: int) -> float:
    out = subprocess.run([sys.executable, "-c", _PIPE, json.dumps({"src": str(src), "jobs": jobs,
                                                                    "pipeline": "newsgraph"})],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return float(json.loads(out.strip().splitlines()[-1])["seconds"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--executor", default="local", choices=("local", "dask"))
    ap.add_argument("--marks", type=int, nargs="+", default=[10_000, 30_000, 100_000],
                    help="parse counts at which the memory is printed")
    ap.add_argument("--sample", type=int, default=2000, help="articles the nlp.pipe baseline parses")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsgraph-scale-"))
    src, out, sample = work / "corpus", work / "out", work / "sample"
    for p in (src, out, sample):
        shutil.rmtree(p, ignore_errors=True)
    corpus = make_corpus(a.articles + 1, seed=a.seed)
    extra = corpus.pop()
    words = write_corpus(src, corpus)
    step = max(1, len(corpus) // max(1, a.sample))
    sample_words = write_corpus(sample, corpus[::step][:a.sample])
    del corpus
    print(f"corpus: {a.articles:,} articles, {words:,} words in {src}", flush=True)

    pipe_s = _pipe(sample, a.jobs)
    pipe_wps = sample_words / pipe_s
    print(f"  nlp.pipe (newsgraph pipeline, n_process={a.jobs}) on {a.sample:,} articles: {pipe_wps:,.0f} words/s",
          flush=True)
    marks = [m for m in a.marks if m <= a.articles]
    args = {"src": str(src), "out": str(out), "jobs": a.jobs, "executor": a.executor}
    res, _wall, mem = _build(args, marks, echo=True)
    assert res["parsed"] == a.articles and not res["failures"], res
    store_mb, out_mb = _du(out / "store"), _du(out)

    stem, text, meta = extra
    (src / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")
    (src / f"{stem}.meta.json").write_text(json.dumps({**meta, "published": "2026-01-15"}), encoding="utf-8")
    add, add_wall, add_mem = _build({**args, "jobs": 1, "executor": "local"}, [], echo=False)
    assert add["parsed"] == 1, add
    same, same_wall, same_mem = _build({**args, "jobs": 1, "executor": "local"}, [], echo=False)
    assert same["parsed"] == 0 and not same["changed"], same

    built_wps = words / float(res["seconds"])  # type: ignore[arg-type]
    print()
    print(f"newsgraph scale benchmark: {a.articles:,} articles, {words:,} words, {os.cpu_count()} cores, "
          f"--jobs {a.jobs}, --executor {a.executor}")
    print(f"build: {float(res['seconds']):,.0f} s ({float(res['seconds']) / 60:,.1f} min), {built_wps:,.0f} words/s; "  # type: ignore[arg-type]
          f"nlp.pipe on the newsgraph pipeline {pipe_wps:,.0f} words/s; ratio {built_wps / pipe_wps:.2f}")
    t = res["timings"]
    print("time by stage (s): " + " ".join(f"{k} {v:,.1f}" for k, v in t.items()))  # type: ignore[union-attr]
    print("peak RSS of the build and its workers until N articles were parsed: "
          + ", ".join(f"{m:,}: {mem.at.get(m, 0):,.0f} MiB" for m in marks))
    print("peak RSS by stage: " + ", ".join(f"{k} {v:,.0f} MiB" for k, v in mem.by_stage.items())
          + f"; overall {mem.peak:,.0f} MiB")
    counts = res["counts"]
    print(f"store: {store_mb:,.0f} MiB on disk ({counts.get('triples', 0):,} triples in the merged graph, "  # type: ignore[union-attr]
          f"{counts.get('entities', 0):,} actors, {counts.get('agreements', 0):,} agreements and events, "  # type: ignore[union-attr]
          f"{counts.get('relations', 0):,} relations); the whole output folder {out_mb:,.0f} MiB")  # type: ignore[union-attr]
    print(f"add one article (the newest) to the full store: {float(add['seconds']):.2f} s in build(), "  # type: ignore[arg-type]
          f"{add_wall:.1f} s as a process; peak RSS {add_mem.peak:,.0f} MiB")
    print(f"no-change re-run: {float(same['seconds']):.2f} s in build(), {same_wall:.1f} s as a process; "  # type: ignore[arg-type]
          f"peak RSS {same_mem.peak:,.0f} MiB")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
