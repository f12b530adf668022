"""The screenshots in the docs: the batch index and a brief, at 400 and 1,200 px, in Chromium.

No model runs and nothing is downloaded: the summaries are the built-in extractive summarizer's
(sentences of the article itself), and the English is a placeholder that says which Arabic it
stands for (``[English of: qal alwzyr an… (2024)]``: its first words in rough Latin letters and
its figures), because no real-weight translator has been run where these pictures are made and
we do not show invented model output. The layout around
them is the real thing. Usage, from the repository root, with Playwright and a Chromium::

    python tools/screenshots.py docs/images

Each picture is the window as a reader first sees it (not the whole page); where ImageMagick's
``convert`` is on the PATH, it is reduced to 64 colours, which keeps text sharp at a fraction
of the size.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOTS = {  # name: (page, width, height)
    "index-1200": ("index.html", 1200, 620),
    "index-400": ("index.html", 400, 820),
    "brief-1200": ("tokayev-sco-interview-with-lang-switcher.txt.html", 1200, 760),
    "brief-400": ("tokayev-sco-interview-with-lang-switcher.txt.html", 400, 820),
}


LATIN = str.maketrans(
    {**dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ", [
        "a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z",
        "'", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "a", "a", "'", "a", "i", "a", "'",
        "'"], strict=True)), "\u0640": ""}
)  # fmt: skip


def romanized(word: str) -> str:
    """WORD in rough Latin letters: enough to see which Arabic a placeholder stands for."""
    return "".join(
        ch for ch in word.translate(LATIN) if ch.isascii() and (ch.isalnum() or ch == "'")
    )


def placeholder(text: str) -> str:
    """The English shown for TEXT: what it stands for, never a translation."""
    words = [romanized(w) for w in text.split()[:3]]
    figures = re.findall(r"\d+(?:[.,/]\d+)*", text)
    said = f" ({', '.join(figures)})" if figures else ""
    return f"[English of: {' '.join(words)}…{said}]"


def batch_folder(work: Path) -> Path:
    """A batch of the sample articles, and two inputs that fail, as HTML."""
    import summarize
    from summarize.batch import BatchOptions, run_batch
    from summarize.tasks import Task

    src = work / "news"
    src.mkdir()
    for path in sorted((REPO / "samples").glob("*.txt")):
        shutil.copy(path, src / path.name)
    (src / "empty-page.txt").write_text("\n", encoding="utf-8")
    (src / "english-wire.txt").write_text("Only English here, no Arabic at all.", encoding="utf-8")
    sys.path.insert(0, str(REPO))
    from tests.fakes import FakeModel  # the tests' fake translator, with our English

    summarize.register_backend(
        "placeholder", lambda spec, options: FakeModel(spec, english=placeholder)
    )
    engine = summarize.Engine(summarizer="extractive", backend="placeholder", sentences=3)
    out = work / "briefs"
    options = BatchOptions(in_dir=src, out_dir=out, task=Task.brief, fmt="html")
    run_batch(engine, options)
    return out


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    target = Path(argv[0] if argv else "docs/images")
    target.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = batch_folder(Path(tmp))
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, (page_name, width, height) in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((out / page_name).as_uri())
            png = target / f"{name}.png"
            page.screenshot(path=str(png))
            page.close()
            if shutil.which("pngquant"):
                subprocess.run(["pngquant", "--force", "--ext", ".png", "64", str(png)], check=True)
            print(f"{png}: {png.stat().st_size / 1000:.0f} KB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
