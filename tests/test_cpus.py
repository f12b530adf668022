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


def test_the_benchmark_writes_a_row_that_reads_back_and_keeps_the_others(tmp_path: Any) -> None:
    """bench/run.py --record: (h) and (i) choose, record_row writes this kind's row."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import percpu

    table = tmp_path / "cpus.toml"
    table.write_text('# header\n\n[kinds.amd-avx2]\ncompute_type = "int8"\nmeasured = "x"\n\n'
                     '[kinds.intel-amx]\ncompute_type = "int8"\nmeasured = "old"\n')  # fmt: skip
    machine = {"cpu_kind": "intel-amx", "cpu": "Xeon", "cpu_flags": ["amx_int8"], "cores": 2,
               "load_at_start": 0.1}  # fmt: skip
    compute = {"rows": [
        {"arm": "CTranslate2 int8", "translate_s": 2.0, "summarize_s": 4.0,
         "translate_ratio": 1.0, "summarize_ratio": 1.0},
        {"arm": "CTranslate2 int16", "translate_s": 1.5, "summarize_s": 3.0,
         "translate_ratio": 1.33, "summarize_ratio": 1.33},
        {"arm": "transformers (torch) bf16, batched", "translate_s": 0.5, "summarize_s": 1.0,
         "translate_ratio": 4.0, "summarize_ratio": 4.0},
    ]}  # fmt: skip
    stage = {"articles": [{"ratio": 1.4}, {"ratio": 1.3}, {"ratio": 0.9}]}
    percpu.record_row(machine, compute, stage, table)
    rows = read_settings(table.read_text())
    assert rows["intel-amx"].compute_type == "int16"  # torch is not a compute type
    assert rows["intel-amx"].brief_translator == "one-worker"
    assert "Xeon" in rows["intel-amx"].measured and rows["amd-avx2"].measured == "x"
    assert table.read_text().startswith("# header") and table.read_text().count("[kinds.") == 2
    alias = {"rows": [
        {"arm": "CTranslate2 int8", "translate_s": 2.0, "summarize_s": 4.0,
         "translate_ratio": 1.0, "summarize_ratio": 1.0, "resolved": "int8_float32"},
        {"arm": "CTranslate2 int8_float32", "translate_s": 1.0, "summarize_s": 2.0,
         "translate_ratio": 2.0, "summarize_ratio": 2.0, "resolved": "int8_float32"},
    ]}  # fmt: skip
    assert percpu.choose_compute_type(alias) == "int8"  # the same type: its lead is noise
    slow = {"articles": [{"ratio": 1.02}]}  # within the noise margin: keep the default
    percpu.record_row(machine, None, slow, table)
    rows = read_settings(table.read_text())
    assert rows["intel-amx"].brief_translator == "workers"
    assert rows["intel-amx"].compute_type == "int16"  # not measured this time: kept


def test_the_benchmark_writes_its_cpus_row_into_the_docs_table_and_keeps_the_others(
    tmp_path: Any,
) -> None:
    """bench/run.py --record: this kind's row of docs/performance.md's per-CPU table is
    replaced (the Intel row that says it was not measured stays until a run on Intel)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import report

    docs = tmp_path / "performance.md"
    docs.write_text(f"# P\n\n{report.DOCS_START}\n| kind | cpu |\n|---|---|\n"
                    "| `intel-amx` | not measured here |\n| `amd-avx512-vnni` | old |\n"
                    f"{report.DOCS_END}\n\nafter\n")  # fmt: skip
    run = {"machine": {"cpu_kind": "amd-avx512-vnni", "cpu": "AMD EPYC", "cores": 2,
                       "cpu_flags": ["avx512f"], "ct2_gemm": "oneDNN", "load_at_start": 0.2},
           "load_average": {"whole run": {"min": 0.2, "max": 2.0}}, "quiet": True,
           "argv": ["--record"],
           "brief_stage": {"threads": {"workers": "2x1", "one-worker": "1x2"},
                           "articles": [{"ratio": 0.8}, {"ratio": 0.7}]},
           "translate_longest": {"paths": {"default": {"ratio": 15.4}}},
           "brief": [{"ratio": 12.5}, {"ratio": 13.0}]}  # fmt: skip
    row = report.record_docs_row(run, docs)
    text = docs.read_text()
    assert row in text and "| old |" not in text and "not measured here" in text
    assert "**workers**" in row and "15.4x" in row and "12.5-13.0x" in row
    assert "| not run |" in row  # (h) and the uneven arm were not run
    assert text.startswith("# P\n") and text.endswith("after\n")
    assert text.index("`amd-avx512-vnni`") < text.index("`intel-amx`")
    report.record_docs_row(run, docs)
    assert docs.read_text() == text  # a second run replaces its row, never adds one
