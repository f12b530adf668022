"""`batch --executor ray` past one node: a cluster of three nodes on this machine (Ray's own
``ray.cluster_utils.Cluster``), and a whole node killed in the middle of a run.

What the executor is for must hold there too: nothing lost, every output and manifest record
(timings aside) the local executor's, byte for byte. The head has no CPU, so the work runs on
the two worker nodes; the node killed is one that holds files in the middle of a batch, so its
actor dies with work in hand and Ray restarts it on the other node. (tests/test_batch_ray.py
covers one node; this module needs its own cluster, so it runs after that one is shut down.)
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'summarize[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install 'ray[data]'")

from summarize.batch.ray import RayExecutor, RayOptions  # noqa: E402
from summarize.progress import Progress  # noqa: E402
from tests.fakes import FakeModels  # noqa: E402
from tests.ray_support import fake_processor  # noqa: E402
from tests.test_batch_ray import assert_same_batch, batch, folder, job_spec, records  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DELAY = 0.4  # seconds per actor call: the run lasts long enough to kill a node in its middle


@pytest.fixture(scope="module")
def nodes() -> Iterator[Any]:
    """A head without CPUs and two worker nodes of 3 logical CPUs (2 actors and the read tasks
    fit on one, once the other is gone). Node deaths are seen within about 2 s."""
    from ray.cluster_utils import Cluster

    assert not ray.is_initialized(), "another module left this process connected to Ray"
    with pytest.MonkeyPatch.context() as mp:
        # Ray workers inherit this environment at start-up: they can import tests.*
        mp.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        mp.delenv("RAY_ADDRESS", raising=False)
        cluster = Cluster(
            initialize_head=True,
            head_node_args={
                "num_cpus": 0,
                "include_dashboard": False,
                "_system_config": {
                    "health_check_initial_delay_ms": 0,
                    "health_check_period_ms": 500,
                    "health_check_failure_threshold": 4,
                },
            },
        )
        try:
            for _ in range(2):
                cluster.add_node(num_cpus=3)
            cluster.wait_for_nodes()
            yield cluster
        finally:
            if ray.is_initialized():
                ray.shutdown()
            cluster.shutdown()


def _raylet_pid(node: Any) -> int:
    return int(node.all_processes["raylet"][0].process.pid)


def _node_of(pid: int, workers: list[Any]) -> Any | None:
    """The worker node whose raylet started process PID (a Ray worker is its child)."""
    try:
        parents = {p.pid for p in psutil.Process(pid).parents()}
    except psutil.NoSuchProcess:
        return None
    return next((n for n in workers if _raylet_pid(n) in parents), None)


@pytest.mark.slow
def test_a_node_killed_mid_run_loses_nothing_and_changes_no_byte(
    nodes: Any, tmp_path: Path, fake_models: FakeModels
) -> None:
    src, logs = folder(tmp_path), tmp_path / "logs"
    logs.mkdir()
    workers = list(nodes.worker_nodes)
    assert len(workers) == 2
    factory = functools.partial(fake_processor, log_dir=str(logs), delay=DELAY)
    options = RayOptions(address=nodes.address, min_workers=2, max_workers=2, batch_files=2)
    executor = RayExecutor(options, job_spec(), factory)  # type: ignore[arg-type]
    killed: dict[str, Any] = {}

    def kill_a_busy_node(event: Progress) -> None:
        """Once files come back: kill the node of a worker that holds files in mid-batch."""
        if event.stage != "files" or event.item is None or killed:
            return
        for busy in sorted(logs.glob("worker-*.busy")):
            pid = int(busy.stem.removeprefix("worker-"))
            try:
                in_hand = busy.read_text(encoding="utf-8").split()
            except FileNotFoundError:
                continue  # that call just ended
            node = _node_of(pid, workers)
            if in_hand and node is not None:
                killed.update(pid=pid, files=in_hand)
                nodes.remove_node(node, allow_graceful=False)  # raylet and its workers: SIGKILL
                return

    started = time.monotonic()
    remote = batch(src, tmp_path / "ray", executor, kill_a_busy_node)
    assert killed, "no node held files in the middle of a batch: the test proved nothing"
    others = [log for log in logs.glob("worker-*.log") if log.stem != f"worker-{killed['pid']}"]
    redone = {line for log in others for line in log.read_text(encoding="utf-8").splitlines()}
    assert set(killed["files"]) <= redone, "the files in hand on the dead node were redone"
    local = batch(src, tmp_path / "local")
    assert (remote.ok, remote.failed) == (local.ok, local.failed) and remote.ok > 10
    # The files in hand end as the local run ends them: most ok; one that fails anyway (the
    # folder holds empty, binary and English-only files) fails the same way, not as a crash.
    rows, local_rows = records(tmp_path / "ray"), records(tmp_path / "local")
    in_hand = {f: (rows[f]["status"], local_rows[f]["status"]) for f in killed["files"]}
    assert all(ray_ == here for ray_, here in in_hand.values()), in_hand
    assert_same_batch(tmp_path / "local", tmp_path / "ray")
    print(
        f"3-node cluster, node killed with {killed['files']} in hand; run took "
        f"{time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
