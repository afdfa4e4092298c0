"""The Dask executor: a two-worker LocalCluster builds the same bytes as the local executor.

Part of the default run (about 20 s: two worker processes each load the model); deselect with ``-m "not dask"``.
"""

from __future__ import annotations

import pytest

from graph.builder import build
from graph.errors import UsageError
from graph.executors import make_executor

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


def test_unknown_executor_and_stray_scheduler_are_usage_errors():
    with pytest.raises(UsageError):
        make_executor("spark")
    with pytest.raises(UsageError):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
