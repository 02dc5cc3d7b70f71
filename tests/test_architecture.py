"""The module graph of graders/: no import cycle, commands do not reach into each other.

Every import counts, also those inside functions (a cycle that only shows at run time is still a
cycle); imports under ``if TYPE_CHECKING:`` do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "graders"
# one module per ``graders`` command; only the CLI and the demo (which chains commands) compose them
COMMANDS = {"graders.autograde", "graders.validate", "graders.release", "graders.collect", "graders.status",
            "graders.feedback", "graders.report", "graders.returns", "graders.new", "graders.similar"}
COMPOSERS = {"graders.cli", "graders.demo"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(module: str, level: int, current: str) -> str:
    if not level:
        return module
    base = current.split(".") if _is_package(current) else current.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(imported graders module, names taken from it) for every import in module ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names if alias.name.split(".")[0] == "graders"]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module or "", node.level, name)
            if target.split(".")[0] != "graders":
                continue
            for alias in node.names:  # ``from . import x``: x is a submodule where one exists
                sub = f"{target}.{alias.name}"
                found.append((sub, ()) if sub in MODULES else (target, (alias.name,)))
    return [(module, names) for module, names in found if module in MODULES and module != name]


GRAPH = {name: imports(name) for name in MODULES}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, stack.append(node)
        for target, _names in GRAPH[node]:
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node], _ = 2, stack.pop()
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_was_read():
    assert len(MODULES) > 40
    assert ("graders.grading", ("Settings",)) in GRAPH["graders.autograde"] or \
           any(m == "graders.grading" for m, _ in GRAPH["graders.autograde"])


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, " -> ".join(cycle)


def test_a_planted_cycle_is_found(monkeypatch):
    monkeypatch.setitem(GRAPH, "graders.course", GRAPH["graders.course"] + [("graders.autograde", ())])
    assert _cycle() is not None


def test_commands_do_not_import_each_other():
    wrong = [f"{name} imports {target}" for name in COMMANDS for target, _ in GRAPH[name] if target in COMMANDS]
    assert not wrong, wrong


def test_no_private_name_of_a_command_is_imported():
    wrong = [f"{name} imports {target}.{n}" for name in GRAPH for target, names in GRAPH[name]
             if target in COMMANDS | COMPOSERS for n in names if n.startswith("_")]
    assert not wrong, wrong


def test_private_modules_of_a_subpackage_stay_inside_it():
    """``graders/<package>/_x.py`` is that package's own business (``graders/_x.py`` is shared)."""
    wrong = []
    for name in GRAPH:
        for target, _ in GRAPH[name]:
            owner, _, leaf = target.rpartition(".")
            if leaf.startswith("_") and owner != "graders" and not name.startswith(owner + ".") and name != owner:
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong


def test_product_code_does_not_read_the_test_tree():
    wrong = [str(path.relative_to(ROOT)) for path in MODULES.values()
             if '"tests"' in path.read_text(encoding="utf-8") or "tests/" in path.read_text(encoding="utf-8")]
    assert not wrong, wrong
