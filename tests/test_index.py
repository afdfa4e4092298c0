"""The resolution index: updated article by article (and persisted between builds) it must give exactly what
resolving every article at once gives, and a newer article must not make it revisit older clusters.

Hand-made records (see tests/test_merge.py); every name is invented.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph.records import Extraction
from graph.resolution.index import ResolutionIndex
from graph.resolution.merge import resolve

from .test_merge import agr, article, ent, rel


def corpus() -> list[Extraction]:
    """Twelve articles: spelling variants, a surname-only mention, two people with one surname, acronyms,
    and three agreements reported several times with differently worded labels and overlapping parties."""
    out = []
    given = ["Aleksandr", "Oleksandr", "Aleksandr", "Maria", "Oleksandr", "Aleksandr"]
    for i in range(12):
        aid = f"a{i:02d}"
        day = f"2025-03-{1 + (i * 7) % 28:02d}"
        kov = ent(f"{given[i % 6]} Kovalenko" if i % 4 else "Kovalenko", aid, roles=("President",) if i % 3 else ())
        lind = ent("Johan Lindqvist" if i % 2 else "Johan Lindquist", aid)
        veloria = ent("Veloria", aid, "Country", code="VL")
        norhaven = ent("Norhaven" if i % 3 else "Republic of Norhaven", aid, "Country", code="NH")
        agency = ent("Northstar Energy Agency" if i % 2 else "NEA", aid, "Organization",
                     aliases=("NEA",) if i % 5 == 0 else ())
        label = ["ceasefire on energy targets", "energy ceasefire", "30-day energy ceasefire"][i % 3]
        truce = agr(label, aid, status="agreed" if i % 2 else "proposed")
        deal = agr("grain deal" if i % 2 else "grain export deal", aid, "Deal")
        talks = agr("talks in Arlen", aid, "Talks")
        relations = [rel(kov.key, "agreedTo", truce.key, aid), rel(veloria.key, "agreedTo", truce.key, aid, 20),
                     rel(norhaven.key, "signed", deal.key, aid, 40),
                     rel(lind.key, "participatesIn", talks.key, aid, 60)]
        if i % 4 == 1:
            relations.append(rel(norhaven.key, "agreedTo", truce.key, aid, 80))  # some reports name a second party
        out.append(article(aid, kov, lind, veloria, norhaven, agency, agreements=(truce, deal, talks),
                           relations=tuple(relations), published=None if i == 11 else day))
    return out


def same(index: ResolutionIndex, exs: list[Extraction]) -> None:
    expected = resolve(exs)
    got = index.resolution()
    assert dict(got.graph.entities.items()) == expected.graph.entities
    assert dict(got.graph.agreements.items()) == expected.graph.agreements
    local = {e.key for ex in exs for e in ex.entities} | {a.key for ex in exs for a in ex.agreements}
    assert {k: got.remap(k) for k in local} == {k: expected.remap(k) for k in local}
    assert (index.n_entities, index.n_agreements) == (len(expected.graph.entities), len(expected.graph.agreements))


def test_the_corpus_is_not_trivial():
    res = resolve(corpus())
    kov = {e.label: e for e in res.graph.entities.values() if e.label.endswith("Kovalenko")}
    # Aleksandr/Oleksandr is one person, Maria another, and a bare "Kovalenko" could be either
    assert set(kov) == {"Aleksandr Kovalenko", "Maria Kovalenko", "Kovalenko"}
    assert "Oleksandr Kovalenko" in kov["Aleksandr Kovalenko"].aliases
    assert len([a for a in res.graph.agreements.values() if a.type == "Ceasefire"]) < 12


@pytest.mark.parametrize("seed", range(6))
def test_any_order_of_additions_and_removals_gives_what_resolving_everything_gives(seed):
    exs = corpus()
    rng = random.Random(seed)
    order = exs[:]
    rng.shuffle(order)
    index = ResolutionIndex()
    for n in range(0, len(order), 1 + seed % 3):  # one, two or three articles at a time
        index.update(order[n:n + 1 + seed % 3])
        same(index, order[:n + 1 + seed % 3])
    gone = [ex.article.id for ex in rng.sample(order, 4)]
    index.update(removed=gone)
    same(index, [ex for ex in exs if ex.article.id not in gone])


def test_a_newer_article_is_placed_without_revisiting_older_clusters(monkeypatch):
    exs = sorted(corpus()[:11], key=lambda ex: ex.article.published or "")
    index = ResolutionIndex()
    index.update(exs[:-1])

    def revisit(*args: object) -> None:
        raise AssertionError("the newest article made the index cluster a component again")

    monkeypatch.setattr(ResolutionIndex, "_closure_reports", revisit)
    index.update(exs[-1:])
    same(index, exs)


def test_an_older_article_reclusters_what_it_touches(monkeypatch):
    exs = sorted(corpus()[:11], key=lambda ex: ex.article.published or "")
    index = ResolutionIndex()
    index.update(exs[1:])
    calls = []
    original = ResolutionIndex._closure_reports

    def counted(self: ResolutionIndex, seeds: set[str]) -> set[str]:
        calls.append(seeds)
        return original(self, seeds)

    monkeypatch.setattr(ResolutionIndex, "_closure_reports", counted)
    index.update(exs[:1])
    assert calls
    same(index, exs)


def test_saved_and_reopened_it_goes_on_from_where_it_was(tmp_path: Path):
    exs = corpus()
    path = tmp_path / "index.sqlite"
    index = ResolutionIndex.open(path, "fp")
    index.update(exs[:6])
    index.save()
    index.close()
    for ex in exs[6:]:
        index = ResolutionIndex.open(path, "fp")
        index.update([ex])
        index.save()
        index.close()
    index = ResolutionIndex.open(path, "fp")
    assert index.articles == {ex.article.id for ex in exs}
    same(index, exs)
    index.update(removed=["a03"])
    same(index, [ex for ex in exs if ex.article.id != "a03"])
    index.close()


def test_an_index_of_other_code_or_a_broken_file_starts_empty(tmp_path: Path):
    path = tmp_path / "index.sqlite"
    index = ResolutionIndex.open(path, "fp")
    index.update(corpus()[:3])
    index.save()
    index.close()
    other = ResolutionIndex.open(path, "another fingerprint")
    assert other.articles == set() and len(other.entities) == 0
    other.close()
    path.write_bytes(b"not a database at all")
    broken = ResolutionIndex.open(path, "fp")
    assert broken.articles == set()
    broken.update(corpus()[:2])
    same(broken, corpus()[:2])
    broken.close()


def test_an_index_saved_by_one_process_is_read_alike_by_another(tmp_path: Path):
    """Keys holding sets are stored in sorted order, not in the hash order that changes between processes."""
    import os
    import subprocess
    import sys

    step = """
import sys
from pathlib import Path
from graph.resolution.index import ResolutionIndex
from graph.resolution.merge import resolve
from tests.test_index import corpus
exs, path, part = corpus(), Path(sys.argv[1]), sys.argv[2]
index = ResolutionIndex.open(path, "fp")
if part == "first":
    index.update(exs[:8])
else:
    index.update(exs[8:], removed=["a02", "a05"])  # older articles and removals: the index's slow path
    rest = [ex for ex in exs if ex.article.id not in ("a02", "a05")]
    expected = resolve(rest)
    assert dict(index.agreements.items()) == expected.graph.agreements
    assert dict(index.entities.items()) == expected.graph.entities
index.save()
"""
    root = Path(__file__).resolve().parent.parent
    for part, seed in (("first", "1"), ("then", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        done = subprocess.run([sys.executable, "-c", step, str(tmp_path / "index.sqlite"), part], env=env,
                              capture_output=True, text=True, cwd=root)
        assert done.returncode == 0, done.stderr


def deal_report(aid: str, label: str, published: str) -> Extraction:
    country = ent("Aldoria", aid, "Country", code="AL")
    deal = agr(label, aid, "Deal")
    return article(aid, country, agreements=(deal,), relations=(rel(country.key, "agreedTo", deal.key, aid),),
                   published=published)


def test_an_article_placed_while_others_are_removed_still_counts_as_the_newest():
    """Y fits X and fits Z better, but Z cannot join X: in publication order X, Y, Z, Y joins X. After a removal
    made the index place Z on its slow path, Y (older than Z) must still be placed as coming before Z."""
    x = deal_report("x1", "grain export deal quota", "2025-01-01")
    y = deal_report("y2", "grain deal", "2025-01-02")
    z = deal_report("z3", "grain deal corridor", "2025-01-03")
    w = deal_report("w0", "fisheries accord", "2024-12-31")
    index = ResolutionIndex()
    index.update([w, x])
    index.update([z], removed=["w0"])
    index.update([y])
    same(index, [x, y, z])
    [joined] = [a for a in index.agreements.values() if len(a.articles) == 2]
    assert joined.articles == ("x1", "y2")


@pytest.mark.parametrize("split", [0, 6])
def test_writing_its_tables_out_as_it_goes_changes_nothing(tmp_path: Path, split: int):
    """A large update checkpoints while it reads articles, counts units and places reports (memory stays
    flat); what it gives is what one pass in memory gives, for new units and for units that gain articles."""
    exs = corpus()
    index = ResolutionIndex.open(tmp_path / "index.sqlite", "fp")
    calls = []
    real = index.checkpoint
    index.checkpoint = lambda: (calls.append(1), real())[1]  # type: ignore[method-assign]
    if split:
        index.update(exs[:split], checkpoint_every=1)
    index.update(exs[split:], checkpoint_every=1)
    assert len(calls) > len(exs) - split  # beyond the one per article read
    same(index, exs)
    index.save()
    index.close()
    again = ResolutionIndex.open(tmp_path / "index.sqlite", "fp")
    same(again, exs)
    again.close()
