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


#: The terminal table's columns (the model's name first); -v shows every field, model by model.
TABLE_COLUMNS = ("licence", "cached", "runs with")
#: Below this width the table becomes a list, one model a paragraph, as with -v.
MIN_TABLE_WIDTH = 60


def _cached(row: dict[str, Any]) -> str:
    """Whether the model is in the cache, with its size when it takes room."""
    size = human_size(row["size_bytes"]) if row["size_bytes"] else ""
    return f"{row['cached']}, {size}" if size and row["cached"] != "no" else row["cached"]


def _terminal_cells(row: dict[str, Any], verbose: bool) -> dict[str, str]:
    """The terminal's fields of ROW. "runs with" says a conversion is still to come only where
    the model is there to convert (a pull converts it anyway)."""
    runs = _runs_with(row)
    later = " (converts on first use)" if row["cached"] == "yes" else ""
    cells = {
        "licence": row["license"],
        "cached": _cached(row),
        "runs with": runs.replace(" (converts on first use or pull)", later),
    }
    if verbose:
        revision = f"@{row['revision']}" if row["revision"] else ""
        cells |= {
            "hub id": f"{row['hub_id']}{revision}" if row["hub_id"] else "",
            "converted": ", ".join(_conversion(c) for c in row["conversions"]),
            "about": row.get("description") or "",
        }
    return cells


def _groups(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    by_role = [
        (role, [r for r in rows if r["role"] == role]) for role in ("summarizer", "translator")
    ]
    return [(role, members) for role, members in by_role if members]


def _alias(row: dict[str, Any]) -> str:
    return str(row["alias"]) + (" *" if row["default"] else "")


def _print_table(rows: list[dict[str, Any]], console: Any) -> None:
    from rich import box
    from rich.table import Table

    widest = max(len(_alias(row)) for row in rows)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("model", no_wrap=True, min_width=max(widest, 11))
    for name in TABLE_COLUMNS:
        table.add_column(name, overflow="fold")
    for role, members in _groups(rows):
        if table.row_count:
            table.add_section()
        table.add_row(safe_text(f"{role}s", "bold"))
        for row in members:
            cells = _terminal_cells(row, False)
            table.add_row(safe_text(_alias(row)), *(safe_text(cells[n]) for n in TABLE_COLUMNS))
    console.print(table)


def _print_list(rows: list[dict[str, Any]], console: Any, verbose: bool) -> None:
    """Model by model: the alias whole on its line, then each field, its value folded under
    itself."""
    from rich.table import Table

    for role, members in _groups(rows):
        console.print(safe_text(f"{role}s", "bold"))
        for row in members:
            console.print(safe_text(f"  {_alias(row)}"), overflow="fold")
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=4)
            grid.add_column(no_wrap=True, min_width=len("runs with"))
            grid.add_column(overflow="fold")
            for name, value in _terminal_cells(row, verbose).items():
                if value:
                    grid.add_row("", safe_text(name, "dim"), safe_text(value))
            console.print(grid)


def print_models_table(
    registry_path: str,
    rows: list[dict[str, Any]],
    console: Any,
    defaults: dict[str, Any] | None = None,
    *,
    verbose: bool = False,
) -> None:
    """The models by role: a table of name, licence, cache and what runs them; with VERBOSE
    (or on a terminal too narrow for the table) model by model with every field: hub id and
    revision, conversions, the registry's description. A name is never cut: it is what a
    command takes."""
    console.print(safe_text(f"Models ({registry_path})"), overflow="fold")
    if rows and not verbose and console.width >= MIN_TABLE_WIDTH:
        _print_table(rows, console)
    else:
        _print_list(rows, console, verbose)
    for role, chosen in (defaults or {}).items():
        if not any(row["default"] and row["role"] == role for row in rows):
            console.print(safe_text(f"{role} in effect: {chosen['name']} ({chosen['source']})"))
    hints = [
        "* the default of its role: summarize config set summarizer|translator NAME",
        "download: summarize models pull NAME…   free: summarize models remove NAME…",
    ]
    if not verbose:
        hints.append("every field (hub id, revision, conversions, about): summarize models -v")
    for hint in hints:
        console.print(safe_text(hint, "dim"), overflow="fold")
