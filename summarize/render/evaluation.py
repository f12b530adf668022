"""`summarize eval`: one table, systems side by side, then the signatures; or the JSON.

Scores print as the ``sacrebleu`` command prints them (one decimal, 0-100). Only an
:class:`~summarize.evaluation.Evaluation` is read here.
"""

from __future__ import annotations

import json
from typing import Any

from summarize.evaluation.runner import Evaluation
from summarize.render.markdown import md_cell
from summarize.tasks import Task
from summarize.terminal import printable, safe_text

__all__ = ["evaluation_json", "print_evaluation_table", "render_markdown", "render_text"]

_COUNTS = ("generated", "reused", "seconds")


def _table(ev: Evaluation) -> tuple[list[str], list[list[str]], list[tuple[str, str]]]:
    """Header, rows and (metric, signature) pairs."""
    keys = list(ev.systems[0].scores) if ev.systems else []
    names = [ev.systems[0].scores[k].name for k in keys] if ev.systems else []
    header = ["system", *names, *_COUNTS]
    rows = [
        [
            printable(s.system),  # names a model folder: controls shown as escapes
            *(s.scores[k].formatted() for k in keys),
            str(s.generated),
            str(s.reused),
            f"{s.seconds:.1f}",
        ]
        for s in ev.systems
    ]
    signatures: list[tuple[str, str]] = []
    for s in ev.systems:
        for score in s.scores.values():
            if (score.name, score.signature) not in signatures:
                signatures.append((score.name, score.signature))
    return header, rows, signatures


def _title(ev: Evaluation) -> str:
    what = "translation" if ev.task is Task.translate else "summaries"
    source = f" from {printable(ev.references)}" if ev.references else ""  # a file name
    return f"Evaluation of {what}: {ev.segments} segments{source}"


def render_markdown(ev: Evaluation) -> str:
    """A Markdown table, one row per system, scores on a 0-100 scale."""
    header, rows, signatures = _table(ev)
    lines = [f"# {md_cell(_title(ev))}", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|:--|" + "--:|" * (len(header) - 1))
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    lines += ["", "Signatures:", ""]
    lines += [f"- {name}: `{sig}`" for name, sig in signatures]
    return "\n".join(lines) + "\n"


def render_text(ev: Evaluation) -> str:
    """The same table as plain aligned columns, for logs."""
    header, rows, signatures = _table(ev)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [_title(ev), "", line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out += [""] + [f"{name}: {sig}" for name, sig in signatures]
    return "\n".join(out) + "\n"


def evaluation_json(ev: Evaluation) -> str:
    """``Evaluation.to_dict()`` as indented JSON (per-segment results go to ``--segments``)."""
    return json.dumps(ev.to_dict(), ensure_ascii=False, indent=2) + "\n"


def print_evaluation_table(ev: Evaluation, console: Any) -> None:
    """The table on a terminal, with rich."""
    from rich.table import Table

    header, rows, signatures = _table(ev)
    table = Table(title=safe_text(_title(ev)), title_justify="left")
    table.add_column(header[0])
    for name in header[1:]:
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(*(safe_text(c) for c in row))
    console.print(table)
    for name, sig in signatures:
        console.print(safe_text(f"{name}: {sig}"))
