"""What the benchmark scripts share: paths, the children's environment, running a child with
its wall time and peak RSS, the machine's record and load, and the quiet-machine gate."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
sys.path.insert(0, str(ROOT))


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.update(
        HF_HOME=str(CACHE / "hf"),  # conversions are cached here, never in the user's cache
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PYTHONWARNINGS="ignore",
    )
    return e


def run_child(
    cmd: list[str], stdout_path: Path | None = None, extra_env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """Run CMD; return (wall seconds from start to exit, its peak RSS in MB, exit code)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=out, stderr=err, env={**env(), **(extra_env or {})}, cwd=ROOT
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        err.seek(0)
        sys.stderr.write(err.read().decode(errors="replace")[-3000:])
        raise SystemExit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024, proc.returncode


def spec_of(directory: Path, role: str, beams: int = 4) -> Any:
    from summarize.registry import load_registry, resolve

    return resolve(str(directory), role, load_registry())  # type: ignore[arg-type]


def log(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def cli(*args: str) -> list[str]:
    return [PY, "-m", "summarize", *args]


def machine() -> dict[str, Any]:
    """The machine a run measured: CPU model, kind (summarize/cpus.py) and the flags that
    decide which kernels run, cores, memory, library versions, CTranslate2's compute types."""
    import importlib.metadata as md

    from summarize.cpus import this_cpu
    from summarize.threads import available_cores

    cpu = this_cpu()
    mem = 0.0
    try:
        import psutil

        mem = psutil.virtual_memory().total / 2**30
    except ImportError:
        pass

    def version(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    try:
        import ctranslate2

        compute_types = sorted(ctranslate2.get_supported_compute_types("cpu"))
    except ImportError:
        compute_types = []
    return {
        "cpu": cpu.model,
        "cpu_kind": cpu.kind,
        "cpu_flags": cpu.notable_flags(),
        "cores": available_cores(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "torch": version("torch"),
        "transformers": version("transformers"),
        "ctranslate2": version("ctranslate2"),
        "ct2_compute_types": compute_types,
        # CTranslate2 runs its GEMMs with Intel MKL on Intel CPUs, oneDNN elsewhere
        "ct2_gemm": "MKL" if cpu.vendor == "intel" else "oneDNN",
        "load_at_start": load_average(),
    }


def load_average() -> float:
    """The 1-minute load average (0.0 where it cannot be read)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


#: A quiet machine: the benchmark measures ratios that a busy machine distorts (spinning
#: OpenMP threads of the naive loop slow down more than CTranslate2), so it starts only below.
QUIET_LOAD = 0.5


def check_quiet(allow_load: bool, limit: float = QUIET_LOAD) -> bool:
    """Whether the machine is quiet now (1-minute load average at most LIMIT). A busy one
    stops the run unless ALLOW_LOAD, which says so loudly instead (and marks the report)."""
    load = load_average()
    if load <= limit:
        return True
    message = (
        f"the 1-minute load average is {load:.2f}, above {limit}: other work shares the cores "
        "and distorts every ratio (a busy machine slows the naive loop's spinning threads more "
        "than CTranslate2)."
    )
    if not allow_load:
        raise SystemExit(
            f"bench: {message} Wait until the machine is quiet (`uptime`), or pass "
            "--allow-load to measure anyway (the report is then marked NOT QUIET)."
        )
    banner = "!" * 78
    log(
        f"{banner}\nNOT QUIET: {message}\nMeasuring anyway (--allow-load); the report says so.\n{banner}"
    )
    return False


class LoadSampler:
    """The machine's 1-minute load average every few seconds, in a thread, for the report."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._every = every
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))
            except (OSError, ValueError):
                pass
            if self._stop.wait(self._every):
                return

    def since(self, start: int) -> dict[str, float]:
        part = self.samples[start:] or self.samples[-1:] or [0.0]
        return {"min": min(part), "median": statistics.median(part), "max": max(part)}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
