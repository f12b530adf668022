"""Batch mode: a folder of articles in, one output each out, resumable and nothing lost.

``discover`` lists the inputs, ``runner`` drives a run (manifest, atomic writes, lock, index),
``work`` is the unit of work wherever it runs, and ``local`` runs it in this process.
"""

from summarize.batch.discover import DEFAULT_GLOBS, REASONS, Shard, discover, find_inputs
from summarize.batch.outputs import safe_output_path
from summarize.batch.runner import BatchOptions, BatchReport, run_batch

__all__ = [
    "DEFAULT_GLOBS",
    "REASONS",
    "BatchOptions",
    "BatchReport",
    "Shard",
    "discover",
    "find_inputs",
    "run_batch",
    "safe_output_path",
]
