"""Keep in a hashed lock every extra that a locked package asks for, as a pinned line of its own.

pip-compile writes ``lxml==6.1.3`` for a dependency that justext asks for as
``lxml[html_clean]>=4.4.2``. pip 23.3 and newer accept that under ``--require-hashes``; pip 23.2
and older (the pip that ``python3 -m venv`` bundles with Python 3.11) refuse it: "all
requirements must have their versions pinned with ==". They accept it when the lock also pins
the extra, spelled the way the requester spells it, with the same hashes::

    lxml[html_clean]==6.1.3 \\
        --hash=sha256:...

This script adds those lines (idempotently). It reads each locked package's own requirements
from pip's installation report, so nothing is hard-coded. Usage:
``python tools/lock_extras.py LOCK [LOCK ...]`` with a pip >= 22.2 on the PATH of this Python.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

MARK = "    # extra kept as its own pin (tools/lock_extras.py): pip < 23.3 needs it\n"
BLOCK = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?==(?P<version>\S+) \\\n(?P<hashes>(?:    --hash=\S+(?: \\)?\n)+)(?P<notes>(?:    #.*\n)*)",
    re.M,
)


def blocks(text: str) -> list[re.Match[str]]:
    return list(BLOCK.finditer(text))


def _strip(text: str) -> str:
    """The lock as pip-compile wrote it: the lines this script added before are taken out."""
    out, pos = [], 0
    for m in blocks(text):
        out.append(text[pos : m.start()])
        if not (m["extras"] and MARK in m["notes"]):
            out.append(m[0])
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def report(lock: Path) -> list[dict[str, object]]:
    """pip's installation report of the lock's packages (metadata only, nothing installed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--dry-run",
                "--no-deps",
                "--ignore-installed",
                "--report",
                str(out),
                "-r",
                str(lock),
            ],
            check=True,
        )
        return list(json.loads(out.read_text(encoding="utf-8"))["install"])


def needed_extras(items: list[dict[str, object]], locked: set[str]) -> dict[str, set[str]]:
    """canonical name -> the extras spellings (``[html_clean]``) some locked package asks for.

    A package's requirements count when their marker holds for this platform with no extra,
    or with an extra that some other locked package asks of it (a fixpoint over the lock)."""
    wanted: dict[str, set[str]] = {}
    asked: dict[str, set[str]] = {}  # name -> extras asked of it (for its own markers)
    changed = True
    while changed:
        changed = False
        for item in items:
            meta = item["metadata"]
            assert isinstance(meta, dict)
            name = canonicalize_name(str(meta["name"]))
            for spec in meta.get("requires_dist") or []:
                req = Requirement(spec)
                target = canonicalize_name(req.name)
                if not req.extras or target not in locked:
                    continue
                if req.marker and not _holds(req.marker, asked.get(name, set())):
                    continue
                spelling = "[" + ",".join(sorted(req.extras)) + "]"
                if spelling not in wanted.setdefault(target, set()):
                    wanted[target].add(spelling)
                    asked.setdefault(target, set()).update(req.extras)
                    changed = True
    return wanted


def _holds(marker: Marker, extras: set[str]) -> bool:
    return any(marker.evaluate({"extra": extra}) for extra in ({""} | extras))


def keep_extras(lock: Path) -> list[str]:
    text = _strip(lock.read_text(encoding="utf-8"))
    lock.write_text(text, encoding="utf-8")
    found = {canonicalize_name(m["name"]): m for m in blocks(text)}
    wanted = needed_extras(report(lock), set(found))
    added: list[str] = []
    out, pos = [], 0
    for m in blocks(text):
        out.append(text[pos : m.end()])
        pos = m.end()
        name = canonicalize_name(m["name"])
        for spelling in sorted(wanted.get(name, ())):
            out.append(f"{m['name']}{spelling}=={m['version']} \\\n{m['hashes']}{MARK}")
            added.append(f"{m['name']}{spelling}=={m['version']}")
    out.append(text[pos:])
    lock.write_text("".join(out), encoding="utf-8")
    return added


def main(argv: list[str]) -> int:
    for name in argv:
        for line in keep_extras(Path(name)):
            print(f"{name}: kept {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
