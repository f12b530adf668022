"""`summarize models`: the registry as a table, Markdown or JSON."""

from __future__ import annotations

import json
from typing import Any

from summarize.fileio import human_size
from summarize.render.markdown import md_cell
from summarize.terminal import safe_text

__all__ = ["models_json", "models_jsonl", "models_markdown", "print_models_table"]

COLUMNS = (
    "alias",
    "role",
    "hub id",
    "revision",
    "licence",
    "cached",
    "size",
    "converted",
    "runs with",
)


def _conversion(c: dict[str, Any]) -> str:
    """A conversion's precision, and why it will be converted again when it will be."""
    status = c.get("status", "ready")
    return str(c["quantization"]) + ("" if status == "ready" else f" ({status})")


def _runs_with(row: dict[str, Any]) -> str:
    """What a plain command runs the model with, and whether its conversion is ready."""
    runs = row.get("runs_with") or {}
    if not runs or runs.get("backend") == "built-in":
        return ""
    text = f"{runs['backend']} {runs['precision']}"
    if runs.get("converted") is False:
        text += " (converts on first use or pull)"
    return text


def _cells(row: dict[str, Any], default_mark: str) -> list[str]:
    mark = default_mark if row["default"] else ""
    return [
        f"{row['alias']}{mark}",
        row["role"],
        row["hub_id"] or "",
        row["revision"] or "",
        row["license"],
        row["cached"],
        human_size(row["size_bytes"]) if row["size_bytes"] else "",
        ", ".join(_conversion(c) for c in row["conversions"]),
        _runs_with(row),
    ]


def models_json(
    registry_path: str, rows: list[dict[str, Any]], defaults: dict[str, Any] | None = None
) -> str:
    data: dict[str, Any] = {"registry": registry_path, "models": rows}
    if defaults is not None:
        data["defaults"] = defaults
    return json.dumps(data, indent=2) + "\n"


def models_jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def models_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(md_cell(c) for c in _cells(row, " (default)")) + " |")
    return "\n".join(lines) + "\n"


def print_models_table(
    registry_path: str,
    rows: list[dict[str, Any]],
    console: Any,
    defaults: dict[str, Any] | None = None,
) -> None:
    from rich.table import Table

    table = Table(title=safe_text(f"Models ({registry_path})"), title_justify="left")
    for column in COLUMNS:
        table.add_column(column)
    for row in rows:
        cells = _cells(row, " *")
        cells[3] = cells[3][:12]
        table.add_row(*(safe_text(c) for c in cells))
    console.print(table)
    for role, chosen in (defaults or {}).items():
        if not any(row["default"] and row["role"] == role for row in rows):
            console.print(safe_text(f"{role} in effect: {chosen['name']} ({chosen['source']})"))
    console.print(
        "* default for its role (summarize config set summarizer|translator NAME). "
        "Pull: summarize models pull ALIAS…; free the space: summarize models remove ALIAS…",
        markup=False,
    )
