"""Long-article benchmark: is the cost of one article linear in its length? (issue 20)

    python tests/bench/bench_long.py                      # 100,000 and 1,000,000 characters
    python tests/bench/bench_long.py --sizes 100000,200000,400000 --modes windows,whole,build

One article per size, made here from news sentences with invented people, countries and organisations
(a paragraph break every six sentences; ``--one-paragraph`` for none), the same text for every mode.
Each measurement runs in a child process of its own, so its peak RSS is its own. Modes:

* ``build``: ``graph.builder.build`` on a folder holding the one article (what ``newsgraph build`` does);
* ``windows``: :func:`graph.nlp.windows.extract_article`: parse and extraction rules window by window
  (WINDOW_CHARS), joined into one Extraction;
* ``whole``: ``nlp(text)`` on the whole text and then the extraction rules (what windows replace).

The table gives seconds, characters per second and peak RSS, each size against the first (the baseline,
measured in the same run): linear means the time ratio is about the size ratio. The owner's check is a
1,000,000-character article in under 10 times the time of a 100,000-character one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIRST = ("Amina", "Peter", "José", "Marta", "Sean", "Anne", "Li", "Omar", "Olga", "Ahmed", "Ngozi", "Søren")
LAST = ("Odhiambo", "Okello", "Müller", "Silva", "Brien", "Dubois", "Wei", "Haddad", "Ivanova", "Sayed", "Eze")
PLACES = ("Kenya", "Uganda", "Russia", "Ukraine", "France", "Germany", "Geneva", "Nairobi", "Paris", "Brazil")
ORGS = ("the Port Authority", "the Harbour Workers Union", "Acme Corp", "the United Nations", "NATO")
TEMPLATES = (
    "{p} and {q} signed a water-sharing treaty in {pl} on Monday.",
    "{a} met with {b} in {pl} on Tuesday.",
    "“We will not accept this deal,” {a} said.",
    "{a}, the foreign minister of {p}, spoke with {b} by phone.",
    "{p} rejected the 30-day ceasefire proposed by {q}.",
    "{o} agreed to acquire {o2} for $5 billion.",
    "According to {a}, the talks will resume next week.",
    "{a} said {p} supports the agreement, but {q} opposes it.",
    "The two leaders agreed to a prisoner exchange.",
    "{o} and {o2} negotiated a wage deal after a two-week strike.",
    "{a} warned that the ceasefire could collapse.",
)


def article(size: int, *, paragraphs: bool = True, seed: int = 1) -> str:
    """Up to ``size`` characters of news sentences (within a sentence of it)."""
    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while True:
        def person() -> str:
            return f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        sentence = rnd.choice(TEMPLATES).format(
            a=person(), b=person(), p=rnd.choice(PLACES), q=rnd.choice(PLACES), pl=rnd.choice(PLACES),
            o=rnd.choice(ORGS).capitalize(), o2=rnd.choice(ORGS))
        sep = "\n\n" if paragraphs and len(parts) % 6 == 5 else " "
        if total + len(sentence) > size:  # never past ``size``: 1,000,000 is the longest article read
            return "".join(parts).strip()
        parts.append(sentence + sep)
        total += len(sentence) + len(sep)


CHILD = r"""
import json, sys, time
from pathlib import Path
mode, path, out = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
text = path.read_text(encoding="utf-8")
if mode == "build":
    from graph.builder import build
    from graph.nlp.pipeline import load_model
    load_model()  # loaded before the clock starts, as for the other modes
    t0 = time.perf_counter()
    report = build([path.parent], out, formats=("turtle",))
    seconds = time.perf_counter() - t0
    assert not report.failures, report.failures
    facts = report.counts.get("relations", 0)
    stages = report.timings
else:
    from graph.nlp.extract import extract_doc
    from graph.nlp.pipeline import load_model
    from graph.nlp.windows import extract_article
    from graph.records import Article
    from graph.sources import article_id
    nlp = load_model()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    art = Article(id=article_id(text), text=text)
    t0 = time.perf_counter()
    ex = extract_article(nlp, art) if mode == "windows" else extract_doc(art, nlp(text))
    seconds = time.perf_counter() - t0
    facts = len(ex.relations)
    stages = {}
print(json.dumps({"seconds": seconds, "facts": facts, "stages": stages}))
"""


def measure(mode: str, text: str) -> dict[str, float]:
    """Seconds, facts and peak RSS (MB) of one mode on one text, in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / "long.txt"
        src.parent.mkdir()
        src.write_text(text, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-c", CHILD, mode, str(src), str(Path(tmp) / "out")],
                                stdout=subprocess.PIPE, env=env, text=True)
        assert proc.stdout is not None
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"{mode} failed on {len(text):,} characters")
    result = json.loads(output.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000", help="article sizes in characters; the first is the baseline")
    ap.add_argument("--modes", default="windows,build", help="any of windows, whole, build")
    ap.add_argument("--one-paragraph", action="store_true", help="no paragraph breaks at all")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    print(f"{'mode':<6} {'characters':>11} {'seconds':>9} {'chars/s':>9} {'× time':>7} {'× size':>7} "
          f"{'facts':>7} {'peak RSS MB':>12}")
    for mode in modes:
        base: float | None = None
        for size in sizes:
            text = article(size, paragraphs=not args.one_paragraph)
            started = time.perf_counter()
            r = measure(mode, text)
            base = base or r["seconds"]
            print(f"{mode:<6} {len(text):>11,} {r['seconds']:>9.1f} {len(text) / r['seconds']:>9,.0f} "
                  f"{r['seconds'] / base:>7.1f} {size / sizes[0]:>7.1f} {r['facts']:>7} {r['rss_mb']:>12,.0f}"
                  f"   (wall {time.perf_counter() - started:.0f} s"
                  + "".join(f"; {k} {v:.1f}" for k, v in r["stages"].items() if v >= 0.05) + ")", flush=True)


if __name__ == "__main__":
    main()
