"""The Dask executor: a two-worker LocalCluster builds the same bytes as the local executor.

Part of the default run (about 20 s: two worker processes each load the model); deselect with ``-m "not dask"``.
"""

from __future__ import annotations

import pytest

from graph.builder import build
from graph.builder.executors import make_executor
from graph.errors import UsageError

from .test_merge import ARTICLES, write_articles

distributed = pytest.importorskip("dask.distributed")

MORE = {
    "a4.txt": "Prime Minister Maria Lindqvist met President Aleksandr Kovalenko in Stockholm on Friday.",
    "a5.txt": "Sweden and Moldova signed a grain deal in Chisinau on Thursday, the foreign ministry said.",
}


@pytest.mark.dask
@pytest.mark.slow
def test_a_local_cluster_builds_the_same_graph_as_the_local_executor(tmp_path, nlp):
    src = write_articles(tmp_path / "src", {**ARTICLES, **MORE})
    local = build([src], tmp_path / "local", formats=("turtle",))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        remote = build([src], tmp_path / "dask", formats=("turtle",), executor="dask",
                       scheduler=cluster.scheduler_address, batch_size=2)
    assert sorted(remote.parsed) == sorted(local.parsed) and len(local.parsed) == 5
    for name in ("graph.ttl", "graph.nq"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


@pytest.mark.slow
def test_the_local_executor_in_two_processes_gives_the_same_extractions_in_order(tmp_path, nlp):
    """Worker processes parse and extract; batches come back in the order the articles went in."""
    from dataclasses import replace

    from graph.sources import read_articles

    src = write_articles(tmp_path / "src", {**ARTICLES, **MORE})
    articles = list(read_articles([src]))
    one = make_executor("local", jobs=1)
    two = make_executor("local", jobs=2, batch_size=2)
    try:
        want = list(one.extract(articles))
        got = list(two.extract(iter(articles)))
    finally:
        one.close()
        two.close()
    assert [e.article.id for e in want] == [a.id for a in articles] and len(want) == 5
    assert got == [replace(e, article=replace(e.article, text="")) for e in want]  # the cached form: no text


def test_unknown_executor_and_stray_scheduler_are_usage_errors():
    with pytest.raises(UsageError):
        make_executor("spark")
    with pytest.raises(UsageError):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
