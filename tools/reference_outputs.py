"""Write the outputs of a checkout's code on the tiny models, for tests/test_same_outputs.py.

Speed work must not change a single byte of output for the same input and settings: the test
compares today's code with outputs recorded from an earlier commit. To record them from the
commit you want to keep (run from the repository root, with this repository's venv; the copy of
this script beside that commit's code reads that commit's samples and models.toml too)::

    mkdir /tmp/ref-src && git archive COMMIT | tar -x -C /tmp/ref-src
    cp tools/reference_outputs.py /tmp/ref-src/tools/
    PYTHONPATH=/tmp/ref-src .venv/bin/python /tmp/ref-src/tools/reference_outputs.py \\
        tests/data/reference-outputs.json

The tiny models are built from their fixed seeds (summarize/devmodels/), so every machine
builds the same weights; the file also records their digests, and the test says so when the
tiny models have changed since (then record again from the commit you trust).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

#: the configurations recorded: name -> (Engine keywords, short outputs, how many samples).
#: The reference path (transformers fp32) takes minutes on the shipped output lengths: it is
#: recorded on the shortest sample with short ones (see short_registry).
CONFIGS: dict[str, tuple[dict[str, str], bool, int]] = {
    "default": ({}, False, 5),
    "reference": ({"backend": "transformers", "precision": "fp32"}, True, 1),
}


def short_registry(folder: Path) -> Path:
    """The shipped registry with short outputs (12 summary tokens, 16 per sentence), in FOLDER."""
    repo = Path(__file__).resolve().parent.parent
    text = (repo / "models.toml").read_text(encoding="utf-8")
    text = text.replace("max_new_tokens = 84", "max_new_tokens = 12")
    text = text.replace("max_new_tokens = 512", "max_new_tokens = 16")
    path = folder / "models.toml"
    path.write_text(text, encoding="utf-8")
    return path


def model_digest(directory: Path) -> str:
    """A digest of a model folder's files (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def line_digest(text: str) -> str:
    """A short digest of one output line (the file stays small; a test names the line)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def outputs(result: Any) -> dict[str, Any]:
    """What the models wrote in a result (its documented JSON shape), line by line, as
    digests: the title's English, each summary line's Arabic and English, each translated
    sentence's English."""
    data = result.to_dict()
    out: dict[str, Any] = {"title": line_digest(data["title"]["en"]) if data["title"] else None}
    if "summary" in data:
        out["summary"] = [[line_digest(x["ar"]), line_digest(x["en"])] for x in data["summary"]]
    if "translation" in data:
        out["translation"] = [line_digest(x["en"]) for x in data["translation"]]
    return out


def record(samples: list[Path], marian: Path, mt5: Path, work: Path) -> dict[str, Any]:
    """Each configuration's outputs: every chosen sample's brief and translation, each on an
    engine of its own (as one command runs it)."""
    from summarize import Engine, read_article

    by_size = sorted(samples, key=lambda p: p.stat().st_size)
    recorded: dict[str, Any] = {}
    for name, (keywords, short, count) in CONFIGS.items():
        registry = short_registry(work) if short else None
        recorded[name] = {}
        for path in sorted(by_size[:count]):
            article = read_article(str(path))
            recorded[name][path.name] = {}
            for task in ("brief", "translate"):
                engine = Engine(summarizer=str(mt5), translator=str(marian), registry=registry,
                                **keywords)  # type: ignore[arg-type]  # fmt: skip
                result = getattr(engine, task)(article, source=path.name)
                recorded[name][path.name][task] = outputs(result)
    return recorded


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = Path(sys.argv[1])
    repo = Path(__file__).resolve().parent.parent
    samples = sorted((repo / "samples").glob("*.txt"))
    with tempfile.TemporaryDirectory() as work:
        os.environ.update(HF_HOME=str(Path(work) / "hf"), HF_HUB_OFFLINE="1")
        from summarize import devmodels

        marian = devmodels.build_marian(Path(work) / "marian")
        mt5 = devmodels.build_mt5(Path(work) / "mt5")
        data = {
            "models": {"marian": model_digest(marian), "mt5": model_digest(mt5)},
            "outputs": record(samples, marian, mt5, Path(work)),
        }
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
