"""Thread defaults that hold up when the cores are shared.

torch's CPU wheel and CTranslate2's wheel both run their math on GNU OpenMP (libgomp, one copy
each). By default an idle libgomp thread *spins* for a while before it sleeps, which is free
on an idle machine and ruinous on a busy one: a spinning thread burns the time slice its
partner needs to reach the same barrier, and every barrier can cost a scheduler tick. On a
2-core machine beside one CPU-bound process, transformers with 2 threads took 97-160 s for what
takes 9-12 s alone (bench/threads.py). With ``OMP_WAIT_POLICY=PASSIVE`` (threads sleep at
once) the same run took 17 s, and cost nothing measurable alone.

CTranslate2 gets threads two ways: ``inter_threads`` workers, each taking whole batches, and
``intra_threads`` OpenMP threads inside each. Workers that take whole batches never wait on
each other, so many small batches (translation) go best on one-thread workers; one large
batch (a summarizer's map round) can only use one worker, so it needs its threads inside.

Nothing here imports torch or ctranslate2; ``quiet_openmp`` must run before either is imported.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import dataclass

#: The OpenMP setting that keeps waiting threads from spinning (GNU and LLVM/Intel runtimes).
WAIT_POLICY = "OMP_WAIT_POLICY"
#: The most threads a setting may ask for: more than any CPU has, fewer than makes a backend
#: fail to start (99999999999999999999999 made every command convert again and fail).
MAX_THREADS = 1024


def quiet_openmp(environ: MutableMapping[str, str] | None = None) -> bool:
    """Make idle OpenMP threads sleep instead of spin, unless the user chose a policy.

    Returns whether it set anything. OpenMP reads the variable when its runtime starts, so
    call this before torch or ctranslate2 is imported (the CLI's first lines, say).
    """
    env = os.environ if environ is None else environ
    if any(k in env for k in (WAIT_POLICY, "GOMP_SPINCOUNT")):
        return False
    env[WAIT_POLICY] = "PASSIVE"
    return True


def available_cores() -> int:
    """The cores this process may run on (its affinity mask), not the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ThreadPlan:
    """Threads for one model: CTranslate2 workers x threads each, and torch's intra-op count."""

    inter: int
    intra: int
    torch: int


def plan_threads(
    requested: int | None,
    *,
    one_batch: bool,
    cores: int | None = None,
    call_batches: int | None = None,
) -> ThreadPlan:
    """The threads for a model given ``--threads`` (None: all available cores), chosen by the
    size of the calls it will get.

    ONE_BATCH says the model's work usually arrives as a single batch (a summarizer's map
    round): then CTranslate2 gets one worker with every thread inside it, since a second
    worker would have nothing to take. Otherwise (sentences to translate, in many batches)
    it gets one single-threaded worker per thread, which never wait on each other, up to 4.
    CALL_BATCHES, when known, is how many batches one call usually makes (a brief's headline
    and summary lines make about 2): no more workers than that, and each worker gets the
    threads the others would have left idle (2 batches on 8 cores: 2 workers of 4 threads).
    """
    total = requested if requested and requested > 0 else (cores or available_cores())
    if one_batch or call_batches == 1:
        return ThreadPlan(inter=1, intra=total, torch=total)
    workers = max(1, min(4, total, call_batches or total))
    return ThreadPlan(inter=workers, intra=max(1, total // workers), torch=total)
