"""The package's shape: no import cycle (lazy imports included), nothing heavy at import time,
and a public API that is what `__all__` says."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import summarize

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "summarize"
# "summarize.x.y:function" strings: imports made by name (the backend registry's lazy entries);
# a string that is exactly a module's name counts too (the lazy exports of summarize/__init__).
LAZY_TARGET = re.compile(r"^(summarize(?:\.\w+)+):\w+$")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports, at the top or inside functions.

    ``from a.b import c`` counts as importing ``a.b.c`` when that is a module, else ``a.b``.
    The implicit import of a parent package is not an edge (every checker treats it so).
    """
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
                ]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = LAZY_TARGET.match(node.value)  # "module:function"
                named = [node.value] if node.value.startswith("summarize.") else []
                targets = [match[1]] if match else named  # or a module named by string
            for target in targets:
                if target in known and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_anywhere_lazy_imports_included() -> None:
    graph = import_graph()
    assert sum(len(v) for v in graph.values()) > 50, "the graph walker found too few imports"
    assert "summarize.backends.transformers" in graph["summarize.backends"], "lazy edges seen"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_import_summarize_and_the_cli_load_nothing_heavy() -> None:
    probe = (
        "import sys, summarize, summarize.cli\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'rich', 'trafilatura') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_all_is_the_public_api_and_every_name_resolves() -> None:
    for name in summarize.__all__:
        assert getattr(summarize, name) is not None, name
    assert {"Engine", "brief", "translate", "sentences", "Result", "SummarizeError"} <= set(
        summarize.__all__
    )


# The layers, bottom first: a module may import its own layer and those below, never above.
# A new top-level module or package must be given a layer here (the test says so).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "errors",
            "terminal",
            "progress",
            "threads",
            "cpus",
            "tasks",
            "version",
            "fileio",
            "caches",
            "guarded",
        ),
    ),
    ("pure text and model data", ("text", "chunking", "trust", "registry", "vmap", "devmodels")),
    ("an article in, a result's shape out", ("articles", "results")),
    ("running models", ("backends",)),
    ("the pipeline", ("pipeline",)),
    ("evaluation", ("evaluation",)),
    ("checking and showing results", ("render", "streams", "audit")),
    ("the user's settings and model cache", ("config", "configfile", "modelcache")),
    ("folders of articles", ("batch",)),
    ("a day's news as stories", ("stories",)),
    ("the API: summarize/__init__.py re-exports every layer's public names", ("",)),
    ("the command line", ("cli", "__main__")),
]
# A module placed below its package: a result's shape that the renderers read.
MODULE_LAYERS = {"summarize.stories.result": "an article in, a result's shape out"}


def component(module: str) -> str:
    """summarize.batch.ray.cluster -> "batch"; summarize -> ""."""
    return module.split(".")[1] if "." in module else ""


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    names = [name for name, _ in LAYERS]
    layer = {c: i for i, (_, components) in enumerate(LAYERS) for c in components}
    unplaced = sorted({component(m) for m in graph} - set(layer))
    assert not unplaced, f"give these a layer in tests/test_architecture.py: {unplaced}"

    def of(module: str) -> int:
        placed = MODULE_LAYERS.get(module)
        return names.index(placed) if placed else layer[component(module)]

    return [
        f"{a} ({names[of(a)]}) imports {b} ({names[of(b)]})"
        for a, targets in sorted(graph.items())
        for b in sorted(targets)
        if of(a) < of(b)
    ]


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = upward_imports(import_graph())
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_the_layer_rule_finds_upward_imports() -> None:
    graph = {
        "summarize.text.normalize": {"summarize.errors"},
        "summarize.pipeline.engine": {"summarize.text.normalize", "summarize.cli.common"},
        "summarize.cli.common": set(),
        "summarize.errors": set(),
    }
    assert upward_imports(graph) == [
        "summarize.pipeline.engine (the pipeline) imports summarize.cli.common (the command line)"
    ]


# Over the limit, with the work that splits it; an entry that is no longer over fails too.
OVER_500_PENDING: dict[str, str] = {}


def test_no_module_is_over_500_lines() -> None:
    """A module per job: split one by job before it reaches 500 lines (~400 is the signal)."""
    long = {
        p.relative_to(REPO).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert set(long) - set(OVER_500_PENDING) == set(), f"modules over 500 lines: {long}"
    done = set(OVER_500_PENDING) - set(long)
    assert not done, f"no longer over 500 lines: remove from OVER_500_PENDING: {done}"
