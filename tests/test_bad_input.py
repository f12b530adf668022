"""Bad bytes to every command: each gets one line and its exit code (tests/test_cli.py covers
`brief`'s basic cases).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.errors import (
    EmptyInput,
    InputNotFound,
    NotArabic,
    UndecodableInput,
)
from tests.cli_support import (
    ARTICLE,
    PNG,
    invoke,
    one_line_error,
)
from tests.fakes import FakeModels

# -- bad bytes, every command ------------------------------------------------------------

BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "whitespace": " \n\t\n\u00a0 \r\n".encode(),
    "png": PNG,
    "english": b"The minister said the plan is ready. Work continues as planned.",
    "digits": "123 456\n\n2024 ٣٤٥ 7.5\n0\n133".encode(),
    "invalid-utf8": ARTICLE[:150].encode() + b"\xff\xc3\x28" + ARTICLE[150:450].encode(),
    "cesu-surrogates": b"\xed\xa0\x80 " + ARTICLE.encode()[:400],
}
# (case, command) -> exit code; `brief` on empty/whitespace/png/english is in test_cli.py.
EXPECTED: dict[tuple[str, str], int] = {
    ("empty", "translate"): EmptyInput.exit_code,
    ("empty", "sentences"): EmptyInput.exit_code,
    ("whitespace", "translate"): EmptyInput.exit_code,
    ("whitespace", "sentences"): EmptyInput.exit_code,
    ("png", "translate"): UndecodableInput.exit_code,
    ("png", "sentences"): UndecodableInput.exit_code,
    ("english", "translate"): NotArabic.exit_code,
    ("english", "sentences"): 0,  # sentences splits any text; it needs no Arabic
    ("digits", "brief"): EmptyInput.exit_code,  # counters and numbers are page furniture
    ("digits", "translate"): EmptyInput.exit_code,
    ("digits", "sentences"): EmptyInput.exit_code,  # nothing left after furniture
    ("invalid-utf8", "brief"): UndecodableInput.exit_code,
    ("invalid-utf8", "translate"): UndecodableInput.exit_code,
    ("invalid-utf8", "sentences"): UndecodableInput.exit_code,
    ("cesu-surrogates", "brief"): UndecodableInput.exit_code,
    ("cesu-surrogates", "sentences"): UndecodableInput.exit_code,
}


@pytest.mark.parametrize(("case", "command"), list(EXPECTED), ids=lambda v: str(v))
def test_bad_bytes_get_their_exit_code_and_one_line(
    case: str, command: str, tmp_path: Path, fake_models: FakeModels
) -> None:
    path = tmp_path / f"{case}.txt"
    path.write_bytes(BAD_FILES[case])
    code, out, err = invoke(command, str(path))
    assert code == EXPECTED[case, command], err
    if code:
        assert out == "" and one_line_error(err), err
    if case == "invalid-utf8":
        assert f"not valid UTF-8 (bad byte at offset {len(ARTICLE[:150].encode())})" in err
    if (case, command) == ("english", "sentences"):
        assert out.splitlines() == [
            "The minister said the plan is ready.",
            "Work continues as planned.",
        ]
    assert fake_models.loaded == {}, "a model was loaded for input that was refused"


@pytest.mark.parametrize("command", ["translate", "sentences"])
def test_directory_as_file(command: str, tmp_path: Path, fake_models: FakeModels) -> None:
    code, _, err = invoke(command, str(tmp_path))
    assert code == InputNotFound.exit_code and one_line_error(err)
    assert "is a directory; use `summarize batch" in err
