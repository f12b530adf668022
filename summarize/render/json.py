"""JSON (one indented object) and JSON Lines (the same object on one line)."""

from __future__ import annotations

import json
from typing import Any

from summarize.results import Result

__all__ = ["json_line", "to_json", "to_jsonl"]

# Characters that are valid raw inside a JSON string but that many line readers take for a
# line break (Python's str.splitlines, JavaScript before ES2019): escaped, so a JSON Lines
# record stays one line for every reader. A file named "a\u2028b.txt" split its manifest line.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def json_line(data: Any) -> str:
    """DATA as one JSON Lines record, newline included: UTF-8 where it can be, with \\u escapes
    for the line-breaking characters above and, when a string holds a lone surrogate (which
    UTF-8 cannot encode), for everything that is not ASCII."""
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data) + "\n"
    for raw, escaped in _LINE_BREAKS.items():
        if raw in line:
            line = line.replace(raw, escaped)
    return line + "\n"


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_jsonl(result: Result, extra: dict[str, Any] | None = None) -> str:
    return json_line({**(extra or {}), **result.to_dict()})
