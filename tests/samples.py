"""The sample articles every test reads, in one place.

A test that loops over the samples must fail, not pass vacuously, when the folder is empty or
missing: ``SAMPLES`` refuses to be short (an import error fails every module that uses it), and
``empty_parameter_set_mark = fail_at_collect`` (pyproject.toml) fails a parametrization that
ends up with no cases.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO / "samples"
#: how many sample articles the repository ships (README: "five real Arabic news articles")
EXPECTED = 5


def sample_paths(folder: Path = SAMPLES_DIR) -> list[Path]:
    """The sample articles, sorted; an error when there are fewer than EXPECTED."""
    paths = sorted(folder.glob("*.txt"))
    if len(paths) < EXPECTED:
        raise RuntimeError(
            f"{folder}: {len(paths)} sample article(s), expected {EXPECTED}: the tests that "
            "loop over the samples would prove nothing"
        )
    return paths


def sample(name: str) -> Path:
    """One sample article by file name; an error when it is not there."""
    path = SAMPLES_DIR / name
    if not path.is_file():
        raise RuntimeError(f"{path}: no such sample article")
    return path


SAMPLES = sample_paths()
