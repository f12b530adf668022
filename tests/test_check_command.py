"""`summarize check`: translations and summaries made by anything, checked by the engine of
`brief` and `translate`; one result per record, error records for bad lines, rates on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarize.audit import audit_records, flag_rates
from summarize.cli import app
from summarize.pipeline.checking import check_translation_record
from summarize.trust import check_translation_line

runner = CliRunner()

ARTICLE = (
    "قال الرئيس الفرنسي إيمانويل ماكرون إن 27 دولة وافقت على الخطة في باريس يوم الاثنين.\n"
    "وأضاف أن الخطة ستبدأ في يناير المقبل بتمويل قدره 3.5 مليار يورو."
)
RECORDS = [
    {"id": "t1", "ar": "ارتفع العجز بنسبة 15% في أبريل.", "en": "The deficit rose 15 in May."},
    {"id": "t2", "ar": "وصل 3 آلاف زائر.", "en": "3,000 visitors came."},
    {
        "id": "s1",
        "text": ARTICLE,
        "summary": "قال ماكرون إن 28 دولة وافقت في برلين.\nستبدأ الخطة في يناير.",
    },
]


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def jsonl(records: list[object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_one_result_per_record_with_its_checks() -> None:
    code, out, err = run("check", "-", "-f", "jsonl", input=jsonl(RECORDS))
    assert code == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["t1", "t2", "s1"]
    t1, t2, s1 = (r["checks"] for r in results)
    assert {"kind": "lost_in_translation", "value": "15%"} in t1
    assert {"kind": "lost_in_translation", "value": "أبريل"} in t1
    assert {"kind": "added_in_translation", "value": "May"} in t1
    assert t2 == []
    assert {"kind": "unsupported_number", "value": "28", "line": 1} in s1
    assert {"kind": "unsupported_name", "value": "برلين", "line": 1} in s1
    assert all(c["line"] == 1 for c in s1)  # the second summary line is the article's
    assert "translation: 1 of 2 flagged (50.0%)" in err
    assert "summary: 1 of 1 unsupported name (100.0%)" in err


def test_the_same_engine_as_translate() -> None:
    for record in RECORDS[:2]:
        ours = [(c.kind, c.value) for c in check_translation_record(record["ar"], record["en"])]
        assert ours == [
            (c.kind, c.value) for c in check_translation_line(record["ar"], record["en"])
        ]


def test_bad_lines_become_error_records_and_exit_11() -> None:
    lines = (
        jsonl(RECORDS[:1])
        + "not json\n"
        + jsonl([{"id": 9, "foo": 1}, {"id": "x", "ar": 3, "en": "y"}])
    )
    lines += jsonl([{"id": "e", "text": "Hello world, no Arabic here at all.", "summary": "مرحبا"}])
    code, out, err = run("check", "-f", "jsonl", input=lines)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 11, err
    assert [r["id"] for r in results] == ["t1", 2, 9, "x", "e"]
    assert [r.get("exit_code") for r in results] == [None, 2, 2, 2, 6]
    assert "expected" in results[2]["error"] and "Traceback" not in err
    assert "4 of 5 records could not be checked" in err


def test_strict_exits_13_after_the_whole_output() -> None:
    code, out, err = run("check", "--strict", "-f", "jsonl", input=jsonl(RECORDS))
    assert code == 13
    assert len(out.splitlines()) == 3
    assert "2 of 3 records failed their checks (--strict): t1, s1" in err
    code, _, _ = run("check", "--strict", "-f", "jsonl", input=jsonl(RECORDS[1:2]))
    assert code == 0


def test_aligned_files_as_eval_reads_them(tmp_path: Path) -> None:
    (tmp_path / "ar.txt").write_text("ثلاثة أيام\nفي عام 2020\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("three days\nin 2021\n", encoding="utf-8")
    code, out, _ = run(
        "check",
        "--source",
        str(tmp_path / "ar.txt"),
        "--reference",
        str(tmp_path / "en.txt"),
        "-f",
        "jsonl",
    )
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"id": 1, "checks": []},
        {
            "id": 2,
            "checks": [
                {"kind": "lost_in_translation", "value": "2020"},
                {"kind": "added_in_translation", "value": "2021"},
            ],
        },
    ]
    (tmp_path / "short.txt").write_text("three days\n", encoding="utf-8")
    code, _, err = run(
        "check", "--source", str(tmp_path / "ar.txt"), "--reference", str(tmp_path / "short.txt")
    )
    assert code == 2 and "aligned" in err


def test_markdown_escapes_what_the_input_names() -> None:
    records = [{"id": "a|b*", "ar": "في 2020", "en": "in 2021 | *x*"}]
    code, out, _ = run("check", "-f", "markdown", input=jsonl(records))
    assert code == 0
    assert out.splitlines()[:2] == ["| id | checks |", "|---|---|"]
    assert "a\\|b\\*" in out and "⚠ lost in translation: 2020" in out


def test_empty_and_missing_inputs_are_one_line_errors(tmp_path: Path) -> None:
    code, _, err = run("check", input="\n\n")
    assert code == 4 and err.strip().endswith("no records to check")
    code, _, err = run("check", str(tmp_path / "nope.jsonl"))
    assert code == 3 and "no such file" in err


def test_flag_rates_count_records_not_checks() -> None:
    results = list(audit_records(jsonl(RECORDS).splitlines(keepends=True)))
    rates = {(r.task, r.kind): (r.flagged, r.checked) for r in flag_rates(results)}
    assert rates[("translation", "any")] == (1, 2)
    assert rates[("translation", "lost_in_translation")] == (1, 2)
    assert rates[("summary", "unsupported_number")] == (1, 1)
