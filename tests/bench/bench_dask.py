"""Distributed benchmark: the same corpus built with the local executor and on a Dask cluster over TCP.

    python tests/bench/bench_dask.py                       # 10,000 articles, 2 workers: about 20 minutes here
    python tests/bench/bench_dask.py --articles 1000       # a quick look

The Dask side is a ``distributed.LocalCluster`` of separate single-threaded worker processes that talk to
their scheduler over TCP on loopback, started beside the build; the build reaches it with ``--executor dask
--scheduler tcp://HOST:PORT``, the way it reaches a real cluster (README, "On a cluster"). Both builds run in
child processes with ``newsgraph build``'s defaults and the same number of processes (``--jobs``), so the
table shows what Dask's scheduling and serialisation cost against ``nlp.pipe``'s own worker processes, and
the two output folders are compared file by file (every cached extraction and article graph): the cluster
must give the same bytes.

Needs psutil and ``pip install -e '.[dask]'``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import make_corpus, write_corpus
from bench_scale import _Sampler

_BUILD = """
import json, sys, time
from graph.builder import build
args = json.loads(sys.argv[1])
cluster = None
if args["executor"] == "dask":
    from distributed import LocalCluster
    t = time.perf_counter()
    cluster = LocalCluster(n_workers=args["jobs"], threads_per_worker=1, processes=True, protocol="tcp://",
                           host="127.0.0.1", dashboard_address=None)
    print(json.dumps({"scheduler": cluster.scheduler_address, "start": time.perf_counter() - t}), flush=True)
t = time.perf_counter()
r = build([args["src"]], args["out"], n_process=args["jobs"], executor=args["executor"],
          scheduler=cluster.scheduler_address if cluster else None)
print(json.dumps({"seconds": time.perf_counter() - t, "timings": r.timings, "parsed": len(r.parsed),
                  "failures": len(r.failures)}), flush=True)
if cluster is not None:
    cluster.close()
"""


def _run(args: dict[str, object]) -> tuple[list[dict[str, object]], float]:
    """One build in a child process: its JSON lines and the peak RSS (MiB) of it and all its processes."""
    proc = subprocess.Popen([sys.executable, "-c", _BUILD, json.dumps(args)], stdout=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid, [])
    assert proc.stdout is not None
    lines = [json.loads(line) for line in proc.stdout if line.startswith("{")]
    proc.wait()
    sampler.stop()
    if proc.returncode:
        raise SystemExit(f"{args['executor']} build failed ({proc.returncode})")
    return lines, sampler.peak


def _differences(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.glob("*") if p.suffix in (".json", ".nt"))
    others = sorted(p.name for p in b.glob("*") if p.suffix in (".json", ".nt"))
    if names != others:
        return sorted(set(names) ^ set(others))
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return mismatch + errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2, help="spaCy processes (local) and Dask workers")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="newsgraph-dask-"))
    src = work / "corpus"
    shutil.rmtree(src, ignore_errors=True)
    words = write_corpus(src, make_corpus(a.articles, seed=a.seed))
    print(f"corpus: {a.articles:,} articles, {words:,} words", flush=True)
    rows = {}
    for executor in ("local", "dask"):
        out = work / f"out-{executor}"
        shutil.rmtree(out, ignore_errors=True)
        lines, peak = _run({"src": str(src), "out": str(out), "jobs": a.jobs, "executor": executor})
        result = lines[-1]
        assert result["parsed"] == a.articles and not result["failures"], result
        rows[executor] = (result, peak, lines[0] if executor == "dask" else None)
        print(f"  {executor}: {words / float(result['seconds']):,.0f} words/s", flush=True)  # type: ignore[arg-type]
    diff = _differences(work / "out-local" / "cache", work / "out-dask" / "cache")

    print()
    print(f"newsgraph distributed benchmark: {a.articles:,} articles, {words:,} words, {os.cpu_count()} cores, "
          f"{a.jobs} processes each")
    print(f"{'executor':>8} | {'build s':>7} | {'words/s':>8} | {'parse s':>7} | {'peak RSS':>9} | note")
    for executor, (result, peak, started) in rows.items():
        secs = float(result["seconds"])  # type: ignore[arg-type]
        note = (f"scheduler {started['scheduler']} (cluster started in {float(started['start']):.1f} s, not counted)"
                if started else "nlp.pipe worker processes")
        print(f"{executor:>8} | {secs:>7.1f} | {words / secs:>8,.0f} | {float(result['timings']['parse']):>7.1f} | "  # type: ignore[index]
              f"{peak:>5,.0f} MiB | {note}")
    local, dask = (words / float(rows[k][0]["seconds"]) for k in ("local", "dask"))  # type: ignore[arg-type]
    print(f"dask / local words/s: {dask / local:.2f}")
    print("outputs: " + ("the same bytes (every cached extraction and article graph)" if not diff
                         else f"{len(diff)} files differ, e.g. {diff[:3]}"))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    if diff:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
