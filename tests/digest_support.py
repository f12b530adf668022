"""The day the digest tests read: three outlet copies of one story and unrelated articles.

``tests/data/digest`` holds one story written for these tests (not from any corpus) in three
copies, as outlets carry agency copy: ``verdict.txt`` (the report), ``wire-reprint.txt`` (the
same text under another headline, with the agency tag «الرياض (واس)») and ``shortened.txt``
(a reprint without the first paragraph, with one figure changed: 1200 sessions became 1020).
The repository's five samples are the unrelated articles.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.samples import sample_paths

DATA = Path(__file__).resolve().parent / "data" / "digest"
COPIES = {
    "okaz": "verdict.txt",
    "alriyadh": "wire-reprint.txt",
    "sabq": "shortened.txt",
}
STORY = {f"{outlet}/{name}" for outlet, name in COPIES.items()}
CHANGED = {"okaz/verdict.txt": "1200", "alriyadh/wire-reprint.txt": "1200", "sabq/shortened.txt": "1020"}  # fmt: skip


def day_folder(root: Path) -> Path:
    """ROOT/day: the three copies filed by outlet, and the samples under other/."""
    day = root / "day"
    for outlet, name in COPIES.items():
        (day / outlet).mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / name, day / outlet / name)
    (day / "other").mkdir(parents=True, exist_ok=True)
    for path in sample_paths():
        shutil.copy(path, day / "other" / path.name)
    return day


def unrelated() -> set[str]:
    return {f"other/{p.name}" for p in sample_paths()}
