"""An interrupted build leaves OUT readable, and the next run finishes the same graph as an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import graph

NAMES = ["Aino Virta", "Pavel Dvorak", "Lena Ostrova", "Karl Hahn", "Ana Costa", "Jonas Lehto", "Mara Voss",
         "Ivo Sand", "Greta Wolff", "Tom Reyes"]
PLACES = ["Geneva", "Oslo", "Lisbon", "Vienna", "Nairobi", "Hanoi"]


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        a, b = NAMES[i % len(NAMES)], NAMES[(i * 3 + 1) % len(NAMES)]
        place = PLACES[i % len(PLACES)]
        text = (f"Foreign Minister {a} met with Foreign Minister {b} in {place} on Monday. "
                f"The two ministers agreed to a water-sharing pact number {i} after talks in {place}. "
                f"“This pact protects our farmers,” {a.split()[-1]} said.\n") * 3
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")


def _build(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(src), "--out", str(out), "-q",
                             "-f", "turtle"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_build_then_rerun_equals_uninterrupted(tmp_path):
    src = tmp_path / "src"
    _corpus(src, 60)
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    assert _build(src, whole).wait(timeout=300) == 0

    proc = _build(src, broken)
    deadline = time.time() + 120
    cache = broken / "cache"
    while time.time() < deadline and proc.poll() is None:
        if cache.is_dir() and len(list(cache.glob("*.json"))) >= 10:  # part-way through parsing
            break
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert _build(src, broken).wait(timeout=300) == 0
    assert (broken / "graph.ttl").read_bytes() == (whole / "graph.ttl").read_bytes()
    assert len(graph.load(broken).articles) == 60
