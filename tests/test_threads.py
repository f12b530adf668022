"""Thread defaults (summarize/threads.py): sleeping OpenMP threads, and workers x threads."""

from __future__ import annotations

from summarize.threads import ThreadPlan, available_cores, plan_threads, quiet_openmp


def test_quiet_openmp_sets_passive_unless_the_user_chose() -> None:
    env: dict[str, str] = {}
    assert quiet_openmp(env) is True
    assert env == {"OMP_WAIT_POLICY": "PASSIVE"}
    mine = {"OMP_WAIT_POLICY": "ACTIVE"}
    assert quiet_openmp(mine) is False and mine == {"OMP_WAIT_POLICY": "ACTIVE"}
    spin = {"GOMP_SPINCOUNT": "10000"}
    assert quiet_openmp(spin) is False and "OMP_WAIT_POLICY" not in spin


def test_many_batches_get_single_thread_workers() -> None:
    assert plan_threads(None, one_batch=False, cores=2) == ThreadPlan(inter=2, intra=1, torch=2)
    assert plan_threads(8, one_batch=False, cores=2) == ThreadPlan(inter=4, intra=2, torch=8)
    assert plan_threads(1, one_batch=False, cores=16) == ThreadPlan(inter=1, intra=1, torch=1)


def test_one_batch_gets_one_worker_with_every_thread() -> None:
    assert plan_threads(None, one_batch=True, cores=2) == ThreadPlan(inter=1, intra=2, torch=2)
    assert plan_threads(3, one_batch=True, cores=2) == ThreadPlan(inter=1, intra=3, torch=3)


def test_available_cores_is_positive() -> None:
    assert available_cores() >= 1


def test_workers_are_chosen_by_the_size_of_the_calls() -> None:
    """No more workers than a call has batches: the threads the others would leave idle go
    inside them (a brief's headline and lines, about two batches); one batch, one worker."""
    assert plan_threads(None, one_batch=False, cores=8, call_batches=2) == ThreadPlan(2, 4, 8)
    assert plan_threads(None, one_batch=False, cores=2, call_batches=2) == ThreadPlan(2, 1, 2)
    assert plan_threads(None, one_batch=False, cores=8, call_batches=1) == ThreadPlan(1, 8, 8)
    assert plan_threads(None, one_batch=False, cores=8, call_batches=30) == ThreadPlan(4, 2, 8)
    assert plan_threads(None, one_batch=False, cores=8) == ThreadPlan(4, 2, 8)  # many batches
