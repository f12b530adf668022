"""The install is complete: every import the package makes is declared, and every code path a
user can reach imports what it needs (so a missing distribution fails here, not for a user).

A dependency that stops providing a module (lxml 6.1 moved ``lxml.html.clean`` out into
``lxml_html_clean``, which trafilatura's justext imports) breaks only the code path that uses
it; the runtime tests below walk each such path.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "summarize"
# Top-level modules whose distribution has another name, for when the module is not installed.
KNOWN_DISTRIBUTIONS = {
    "bidi": "python-bidi",
    "arabic_reshaper": "arabic-reshaper",
    "ray": "ray",
    "charset_normalizer": "charset-normalizer",
    "google": "protobuf",
    "yaml": "pyyaml",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, spec
    return _norm(match[1])


def declared() -> dict[str, set[str]]:
    """Distribution names declared in pyproject.toml: core, and each extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = {"core": {_requirement_name(s) for s in project["dependencies"]}}
    for extra, specs in project.get("optional-dependencies", {}).items():
        out[extra] = {_requirement_name(s) for s in specs}
    return out


def imported_modules() -> dict[str, list[str]]:
    """Top-level modules imported anywhere in the package (lazy imports included) -> files."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                if node.args and isinstance(node.args[0], ast.Constant):
                    names = [str(node.args[0].value)]
            for name in names:
                top = name.split(".")[0]
                if top != "summarize" and top not in sys.stdlib_module_names:
                    found.setdefault(top, []).append(str(path.relative_to(REPO)))
    return found


def test_every_third_party_import_is_a_declared_distribution() -> None:
    every = set().union(*declared().values())
    distributions = metadata.packages_distributions()
    missing = []
    for module, files in sorted(imported_modules().items()):
        candidates = {_norm(d) for d in distributions.get(module, [])}
        if module in KNOWN_DISTRIBUTIONS:
            candidates.add(_norm(KNOWN_DISTRIBUTIONS[module]))
        if not candidates:
            missing.append(f"{module} (imported in {files[0]}): not installed and not mapped")
        elif not candidates & every:
            missing.append(f"{module} (imported in {files[0]}) comes from {sorted(candidates)}")
    assert not missing, "undeclared imports:\n" + "\n".join(missing)


def test_every_declared_dependency_is_installed_at_a_version_pyproject_allows() -> None:
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    problems = []
    for spec in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement.name}: not installed")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name} {version} is outside {requirement.specifier}")
    assert not problems, problems


def _lock_pins(lock: Path) -> dict[str, set[str]]:
    """name -> the extras spellings pinned for it in LOCK ("" for the plain line)."""
    pins: dict[str, set[str]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==\S+ \\$", line)
        if match:
            pins.setdefault(_norm(match[1]), set()).add(match[2] or "")
    return pins


@pytest.mark.parametrize("lock", ["main.lock", "dev.lock"])
def test_the_locks_pin_every_extra_a_locked_package_asks_for(lock: str) -> None:
    """pip before 23.3 (what `python3 -m venv` bundles with Python 3.11) refuses a hashed lock
    in which a package asks for ``lxml[html_clean]`` and only ``lxml==…`` is pinned: every such
    extra must be a pinned line of its own, spelled as the asking package spells it
    (tools/lock_extras.py writes them)."""
    from packaging.requirements import Requirement

    pins = _lock_pins(REPO / "requirements" / lock)
    assert pins.get("lxml") and "[html_clean]" in pins["lxml"], "justext's lxml[html_clean]"
    missing = []
    for name in pins:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # in the lock for another platform or extra; the dry runs in .ci/run cover it
        for spec in requires:
            req = Requirement(spec)
            if not req.extras or _norm(req.name) not in pins:
                continue
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            spelling = "[" + ",".join(sorted(req.extras)) + "]"
            if spelling not in pins[_norm(req.name)]:
                missing.append(f"{name} asks for {req.name}{spelling}")
    assert not missing, f"{lock}: run tools/lock (or tools/lock_extras.py): {missing}"


# -- each code path a user can reach, run for real --------------------------------------

PAGE = """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>خبر</title>
<script>var tracking = 1;</script></head><body><nav><a href="/">الرئيسية</a></nav>
<article><h1>وزير الخارجية يزور العاصمة</h1>
<p>وصل وزير الخارجية إلى العاصمة صباح اليوم في زيارة رسمية تستمر يومين.</p>
<p>وقال الوزير إن المحادثات ستتناول التعاون الاقتصادي والتجاري بين البلدين.</p>
<p>ومن المقرر أن يلتقي الوزير رئيس الوزراء وعددا من المسؤولين.</p></article>
<footer>جميع الحقوق محفوظة</footer></body></html>"""


def test_html_extraction_imports_everything_it_needs() -> None:
    # justext (under trafilatura) imports lxml.html.clean: the distribution lxml_html_clean.
    import lxml.html.clean  # noqa: F401

    from summarize.articles import article_from_text

    article = article_from_text(PAGE, "page.html")
    assert article.kind == "html"
    assert "المحادثات" in article.text and "tracking" not in article.text


def test_encoding_detection_imports_everything_it_needs() -> None:
    from summarize.articles import decode_bytes

    text = "وصل وزير الخارجية إلى العاصمة صباح اليوم في زيارة رسمية تستمر يومين. " * 3
    decoded, encoding = decode_bytes(text.encode("cp1256"), "x.txt")
    assert decoded == text and encoding == "cp1256"


def test_fast_backend_imports() -> None:
    import ctranslate2

    assert ctranslate2.__version__


def test_tokenizer_libraries_import() -> None:
    import google.protobuf  # noqa: F401  (transformers reads spiece.model through it)
    import sentencepiece  # noqa: F401
    import tokenizers  # noqa: F401


def test_terminal_extras_when_installed() -> None:
    pytest.importorskip("arabic_reshaper", reason="the [terminal] extra is not installed")
    pytest.importorskip("bidi", reason="the [terminal] extra is not installed")
    from summarize.render import visual_arabic

    shown = visual_arabic("مرحبا بالعالم", 40)
    assert shown and shown != "مرحبا بالعالم"
