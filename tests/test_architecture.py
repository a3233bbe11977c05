"""The layering of docs/architecture.md, checked on the code: the import graph, built with `ast`.

Every import counts, at module level, inside a function or under `if TYPE_CHECKING:` alike: a
function-level import is still a dependency, only a later one. The graph covers the project's
packages (ikc, ingest, assistant, evals, ui, bench), not tests/ or scripts/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ikc", "ingest", "assistant", "evals", "ui", "bench")
# What each package may import, bottom to top (docs/architecture.md). ikc.cli is the CLI root.
MAY_IMPORT = {
    "ikc": {"ikc"},
    "ingest": {"ikc", "ingest"},
    "assistant": {"ikc", "ingest", "assistant"},
    "evals": {"ikc", "ingest", "assistant", "evals"},
    "ui": {"ikc", "ingest", "assistant", "evals", "ui"},
    "bench": set(PACKAGES),
}
CLI_ROOT = {"ikc.cli", "ikc.__main__"}
BOTTOM = {"ikc.text", "ikc.records"}


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → file, for every .py file of the project's packages."""
    out = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported dotted name refers to (the longest known prefix), or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules that `module` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package holding this module
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            # `from pkg import sub` imports the submodule pkg.sub when there is one.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(target)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_the_projects_imports(graph):
    """A check of the parser on the real tree: known edges of each kind are found."""
    assert {"ikc", "ui.tabs", "ui.tabs.chat", "bench.run", "ikc.text"} <= graph.keys()
    assert "ikc.text" in graph["ingest.chunking"]  # module level
    assert "ingest.pipeline" in graph["ingest.cli"]  # inside a function
    assert "assistant.core" in graph["evals.runner"]  # inside a method
    assert "ui.render" in graph["ui.tabs.chat"]  # `from ui import render`: the submodule


def test_the_parser_counts_every_kind_of_import(tmp_path):
    files = {
        "ikc/__init__.py": "import os\n",
        "ikc/text.py": "",
        "ikc/records.py": "from .text import fold\n",
        "ikc/index.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ingest.pdf import Page\n"
                         "def f():\n    import assistant.core\n    from . import records\n"),
        "ingest/__init__.py": "", "ingest/pdf.py": "import ikc.text as t\nfrom ikc import text, nothing_here\n",
        "assistant/__init__.py": "", "assistant/core.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
    graph = import_graph(tmp_path)
    assert graph["ikc.records"] == {"ikc.text"}
    assert graph["ikc.index"] == {"ingest.pdf", "assistant.core", "ikc.records"}
    assert graph["ingest.pdf"] == {"ikc.text", "ikc"}
    assert graph["ikc"] == set()


def test_the_cycle_finder_finds_cycles():
    toy = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert find_cycles(toy) == [["a", "b", "c"]]


def test_no_import_cycles(graph):
    assert find_cycles(graph) == []


def test_packages_import_only_downward(graph):
    wrong = []
    for module, targets in graph.items():
        if module in CLI_ROOT:
            continue
        allowed = MAY_IMPORT[module.split(".")[0]]
        wrong += [f"{module} -> {t}" for t in sorted(targets) if t.split(".")[0] not in allowed]
    assert wrong == []


def test_only_the_entry_point_imports_the_cli_root(graph):
    """Command groups live in their own packages' cli modules; the root only assembles them."""
    assert sorted(m for m, targets in graph.items() if "ikc.cli" in targets) == ["ikc.__main__"]


def test_bottom_layer_imports_nothing_of_the_project(graph):
    assert {m: sorted(graph[m]) for m in BOTTOM} == {m: [] for m in BOTTOM}


def test_ikc_core_does_not_reach_up(graph):
    """Apart from the CLI root, ikc imports none of ingest, assistant, evals, ui, bench."""
    up = {m: sorted(t for t in targets if not t.startswith("ikc"))
          for m, targets in graph.items() if m.split(".")[0] == "ikc" and m not in CLI_ROOT}
    assert {m: t for m, t in up.items() if t} == {}
