"""Showing untrusted text to people, on a terminal or a page: the one way every command does it.

File and folder names, model names, registry fields, article text and model output can hold
escape sequences (``\\x1b]0;title\\x07``, ``\\x1b[31m``, OSC 8 hyperlinks) that a terminal would
obey, and rich reads ``[...]`` in a plain string as markup (``[/x]`` raises, ``[link=…]`` forges
a link, ``[reverse blink]`` restyles) and ``:name:`` as an emoji. So text from outside is never
given to rich as a string: it goes through :func:`printable` (every control character shown as
an escape) into a :class:`rich.text.Text`, which rich never parses. Names shown on an HTML page
(the batch index, a brief's footer) go through :func:`html_text`: the same escapes, then HTML's.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["html_text", "one_line", "printable", "safe_text"]

# Characters a terminal may act on: C0 and C1 controls, and the format characters that reorder
# or hide text (bidi overrides and isolates, zero-width characters); line and paragraph
# separators; surrogates and unassigned code points, which no terminal should be sent.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """TEXT with every character a terminal could act on shown as a Python-style escape
    (``\\x1b``, ``\\u202e``); printable characters, Arabic included, stay as they are.
    KEEP_NEWLINES: leave ``\\n`` alone (multi-line cells)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == " " or unicodedata.category(ch) not in _UNSAFE:
            out.append(ch)
        else:
            out.append(ascii(ch)[1:-1])
    return "".join(out)


def one_line(message: str) -> str:
    """MESSAGE on one line: line breaks folded to spaces, other controls shown as escapes."""
    return printable(" ".join(message.split("\n")))


def html_text(text: str) -> str:
    """TEXT for an HTML page (element text or a quoted attribute): what :func:`printable`
    shows, HTML-escaped. A file name holding U+202E or a zero-width character would otherwise
    pose as another name on the page (``invoice\u202etxt.exe``), as it would on a terminal."""
    import html

    return html.escape(printable(text), quote=True)


def safe_text(text: str, style: str = "", *, keep_newlines: bool = False) -> Text:
    """TEXT for rich, never read as markup or emoji codes, controls escaped."""
    from rich.text import Text

    return Text(printable(text, keep_newlines=keep_newlines), style=style)
