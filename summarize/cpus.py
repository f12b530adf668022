"""What this CPU is, and the settings measured fastest on its kind (``cpus.toml``).

The machines this project runs on are not always the same CPU: on an Intel Xeon with AVX-512,
VNNI and AMX, CTranslate2 runs its int8 GEMMs with Intel MKL; on an AMD EPYC with oneDNN (MKL's
integer GEMMs are 10-15x slower there, and its int16 is only reachable by forcing MKL). So the
compute type CTranslate2 is given, and how a brief's translator uses the cores, are looked up
by the CPU's *kind*: its vendor and the instruction sets that decide which kernels run
(AMX, AVX-512 with VNNI, AVX-512, AVX2). A kind nobody has measured gets today's defaults.

``bench/run.py --record`` measures the arms on the CPU it runs on and writes that kind's row
into ``cpus.toml``: a run on another CPU fills its own row. Nothing here imports a library.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "COMPUTE_TYPES",
    "CpuInfo",
    "CpuSettings",
    "cpu_settings",
    "read_settings",
    "this_cpu",
]

#: CTranslate2 compute types that run an int8 conversion on the CPU; ``int16`` needs Intel MKL.
COMPUTE_TYPES = ("int8", "int8_float32", "int16")
#: how a brief's translator uses the cores: its few lines come one call at a time
BriefThreads = Literal["one-worker", "workers"]
#: the flags that decide a kind, most capable first (Linux /proc/cpuinfo names)
_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("amx", ("amx_int8", "amx_bf16", "amx_tile")),
    ("avx512-vnni", ("avx512_vnni", "avx512vnni")),
    ("avx512", ("avx512f",)),
    ("avx2", ("avx2",)),
)
#: flags worth recording beside a timing (they change which kernels CTranslate2 and torch run)
NOTABLE = ("avx2", "avx512f", "avx512_vnni", "avx512vnni", "avx512_bf16", "avx_vnni",
           "amx_tile", "amx_int8", "amx_bf16", "amx_fp16")  # fmt: skip


@dataclass(frozen=True)
class CpuInfo:
    """The CPU as /proc/cpuinfo describes its first processor."""

    vendor: str  # "intel", "amd" or "other"
    model: str
    flags: frozenset[str]

    @property
    def level(self) -> str:
        """The most capable instruction-set level the CPU has: amx, avx512-vnni, avx512,
        avx2 or base."""
        for name, needs in _LEVELS:
            if any(flag in self.flags for flag in needs):
                return name
        return "base"

    @property
    def kind(self) -> str:
        """The key of this CPU's row in cpus.toml, e.g. ``amd-avx512-vnni``, ``intel-amx``."""
        return f"{self.vendor}-{self.level}"

    def notable_flags(self) -> list[str]:
        """The flags that matter for speed, for a benchmark's record."""
        return [f for f in NOTABLE if f in self.flags]


def parse_cpuinfo(text: str) -> CpuInfo:
    """The vendor, model name and flags of the first processor in /proc/cpuinfo's TEXT."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if found:
                break  # the first processor's block is enough
            continue
        key, _, value = line.partition(":")
        found.setdefault(key.strip(), value.strip())
    vendor_id = found.get("vendor_id", "")
    vendor = {"GenuineIntel": "intel", "AuthenticAMD": "amd"}.get(vendor_id, "other")
    return CpuInfo(
        vendor=vendor,
        model=found.get("model name", "unknown"),
        flags=frozenset(found.get("flags", "").split()),
    )


@functools.cache
def this_cpu() -> CpuInfo:
    """This machine's CPU (``other-base`` where /proc/cpuinfo cannot be read)."""
    try:
        return parse_cpuinfo(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return CpuInfo(vendor="other", model="unknown", flags=frozenset())


@dataclass(frozen=True)
class CpuSettings:
    """The settings of one kind of CPU. The defaults are what runs where nothing was measured.

    ``compute_type``: what CTranslate2 runs an int8 model with on the CPU (``--precision int8``,
    and ``auto`` on the CPU). ``brief_translator``: a brief translates a few summary lines per
    call, one article at a time; ``one-worker`` gives that call every thread in one worker,
    ``workers`` single-thread workers, no more than such a call has batches (two), with the
    threads left over inside them (a whole article's many batches get up to four workers).
    ``measured`` says where the row's figures come from (empty: not measured).
    """

    compute_type: str = "int8"
    brief_translator: BriefThreads = "workers"
    measured: str = ""


def read_settings(text: str) -> dict[str, CpuSettings]:
    """The rows of a cpus.toml TEXT, by kind; unknown keys and values are refused."""
    data = tomllib.loads(text)
    rows: dict[str, CpuSettings] = {}
    names = {f.name for f in fields(CpuSettings)}
    for kind, row in data.get("kinds", {}).items():
        values: dict[str, Any] = {k: v for k, v in row.items() if k in names}
        unknown = sorted(set(row) - names - {"figures"})
        if unknown:
            raise ValueError(f"cpus.toml [{kind}]: unknown key(s) {', '.join(unknown)}")
        settings = CpuSettings(**values)
        if settings.compute_type not in COMPUTE_TYPES:
            raise ValueError(
                f"cpus.toml [{kind}]: compute_type {settings.compute_type!r}; "
                f"known: {', '.join(COMPUTE_TYPES)}"
            )
        if settings.brief_translator not in ("one-worker", "workers"):
            raise ValueError(f"cpus.toml [{kind}]: brief_translator must be one-worker or workers")
        rows[kind] = settings
    return rows


@functools.cache
def _shipped() -> dict[str, CpuSettings]:
    return read_settings(resources.files("summarize").joinpath("cpus.toml").read_text("utf-8"))


def cpu_settings(cpu: CpuInfo | None = None) -> CpuSettings:
    """The measured settings for CPU's kind (default: this machine), else the defaults."""
    return _shipped().get((cpu or this_cpu()).kind, CpuSettings())
