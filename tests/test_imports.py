"""Data flows one way through policylab: no module imports, even lazily, one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "policylab"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, at the top or inside functions."""
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from . import sources` imports the submodule sources; `from .x import f` imports x
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_inside_policylab():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("lazy", [False, True])
def test_the_check_finds_a_cycle_and_names_it(tmp_path, lazy):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "low.py").write_text("from .sub import high\n")
    (root / "sub" / "__init__.py").write_text("")
    back = "def f():\n    from .. import low\n" if lazy else "from ..low import x\n"
    (root / "sub" / "high.py").write_text(back)
    graph = import_graph(root)
    assert graph["pkg.low"] == {"pkg.sub.high"} and graph["pkg.sub.high"] == {"pkg.low"}
    assert find_cycle(graph) == ["pkg.low", "pkg.sub.high", "pkg.low"]


# The rooms data flows through, lowest first; a module may import its own room or lower ones.
ROOMS = [
    {"errors", "datafiles", "units", "readquality", "themes", "resampling", "reliability"},
    {"sources"},
    {"parse"},
    {"fetching", "fetch", "userplans"},
    {"coded", "loaders"},
    {"tagging", "features", "supervised", "model", "coding", "validation"},
    {"review"},
    {"ppi", "rates", "comparing", "compare", "kwic"},
    {"plotting", "prose", "simulation"},
    {"export", "figures", "report", "notebook", "cli", ""},
]


def room_of(module: str) -> int | None:
    short = module.removeprefix("policylab").lstrip(".").split(".")[0]
    return next((i for i, room in enumerate(ROOMS) if short in room), None)


def test_every_module_imports_only_its_own_room_or_lower_ones():
    homeless = sorted(m for m in import_graph() if room_of(m) is None)
    assert not homeless, f"modules with no room in ROOMS (add them where they belong): {', '.join(homeless)}"
    upward = sorted(f"{a} imports {b}" for a, targets in import_graph().items() for b in targets
                    if room_of(b) > room_of(a))
    assert not upward, "imports against the flow of data: " + "; ".join(upward)
