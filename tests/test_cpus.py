"""Settings per kind of CPU (summarize/cpus.py and cpus.toml): the kind read from /proc/cpuinfo,
the rows checked, the defaults where nothing was measured, and CTranslate2's compute type."""

from __future__ import annotations

from typing import Any

import pytest

from summarize import cpus
from summarize.backends import ctranslate2 as ct2_backend
from summarize.cpus import CpuSettings, cpu_settings, parse_cpuinfo, read_settings

XEON = """processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags		: fpu sse2 avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8

processor	: 1
vendor_id	: SomethingElse
"""
EPYC = """processor	: 0
vendor_id	: AuthenticAMD
model name	: AMD EPYC 9B14
flags		: fpu sse2 avx2 avx512f avx512_vnni avx512_bf16
"""


def test_the_kind_is_the_vendor_and_the_most_capable_level() -> None:
    xeon, epyc = parse_cpuinfo(XEON), parse_cpuinfo(EPYC)
    assert (xeon.kind, xeon.model) == ("intel-amx", "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz")
    assert epyc.kind == "amd-avx512-vnni"
    assert "amx_int8" in xeon.notable_flags() and "fpu" not in xeon.notable_flags()
    assert parse_cpuinfo("vendor_id : GenuineIntel\nflags : sse2 avx2\n").kind == "intel-avx2"
    assert parse_cpuinfo("").kind == "other-base"


def test_rows_are_checked_and_unknown_kinds_get_the_defaults() -> None:
    rows = read_settings('[kinds.intel-amx]\ncompute_type = "int16"\nfigures = {int8 = 1.0}\n')
    assert rows["intel-amx"] == CpuSettings(compute_type="int16")
    with pytest.raises(ValueError, match="compute_type 'bfloat16'"):
        read_settings('[kinds.x]\ncompute_type = "bfloat16"\n')
    with pytest.raises(ValueError, match="unknown key"):
        read_settings('[kinds.x]\ncompute_typ = "int8"\n')
    with pytest.raises(ValueError, match="brief_translator"):
        read_settings('[kinds.x]\nbrief_translator = "all"\n')
    assert cpu_settings(parse_cpuinfo("vendor_id : Other\n")) == CpuSettings()


def test_the_shipped_table_reads_and_names_where_its_figures_come_from() -> None:
    rows = cpus._shipped()
    assert rows and all(row.measured for row in rows.values())
    assert cpu_settings() in [*rows.values(), CpuSettings()]


class FakeCT2:
    def __init__(self, supported: set[str]) -> None:
        self.supported = supported

    def get_supported_compute_types(self, device: str) -> set[str]:
        return self.supported


def test_a_compute_type_this_build_lacks_falls_back_to_int8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ct2_backend, "cpu_settings", lambda: CpuSettings(compute_type="int16"))
    fake: Any = FakeCT2({"int8", "int8_float32", "float32"})  # oneDNN only: no MKL int16
    assert ct2_backend.cpu_compute_type(fake) == "int8"
    fake = FakeCT2({"int8", "int16", "float32"})
    assert ct2_backend.cpu_compute_type(fake) == "int16"
