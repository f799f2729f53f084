"""The code's shape, kept: imports run one way (no cycle among the modules' own
imports, function-level and type-only imports aside), and no module grows past about
500 lines (data tables aside)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tutor"
MAX_LINES = 500
DATA_TABLES = ("dockercli/table_",)  # the docker command model's rows


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The tutor modules ``path`` imports when it is imported: not inside functions, not
    under ``if TYPE_CHECKING``."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {name for name in found if name in modules}


def graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(paths)
    edges = {name: top_level_imports(path, modules) - {name} for name, path in paths.items()}
    # Importing a.b.c imports a and a.b first.
    for name in list(edges):
        parts = name.split(".")
        edges[name] |= {".".join(parts[:i]) for i in range(1, len(parts))} & modules - {name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_the_modules_import_each_other_one_way():
    edges = graph()
    assert len(edges) > 100 and edges["tutor.repl.conversation"]  # the graph was read
    # A package's __init__ importing its own modules is the package, not a cycle.
    own = {name: {other for other in targets if not other.startswith(name + ".")}
           for name, targets in edges.items()}
    assert cycles(own) == []


def test_a_cycle_would_be_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_over_about_500_lines():
    long = {str(path.relative_to(PACKAGE)): lines for path in PACKAGE.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
            and not str(path.relative_to(PACKAGE)).startswith(DATA_TABLES)}
    assert long == {}


def test_what_a_step_does_is_asked_of_the_step_not_decided_by_its_class():
    """Outside tutor/steps no code picks behaviour by a step's class (CommandStep aside:
    practice is its own protocol): a new step type is one module and its test."""
    import re

    pattern = re.compile(r"isinstance\([^)]*\b(ChoiceStep|TextStep|SayStep|CleanupStep)\b")
    found = [f"{path.relative_to(PACKAGE)}:{number}"
             for path in PACKAGE.rglob("*.py") if "steps" not in path.relative_to(PACKAGE).parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def test_every_shipped_step_type_says_what_a_learner_reads_and_how_a_quiz_knows_it():
    from conftest import SHIPPED_LESSONS

    from tutor.lessonfile.loader import load_course
    from tutor.steps import STEP_TYPES

    steps = [step for lesson in load_course(SHIPPED_LESSONS).lessons for step in lesson.steps]
    for kind in STEP_TYPES:
        of_kind = [step for step in steps if step.kind == kind]
        assert of_kind and all(step.readings() for step in of_kind), kind
    # A quiz question is known by what makes it, not by the catch-all (its whole repr,
    # which a reworded hint would change).
    for step in steps:
        for mode in step.quiz:
            assert step.quiz_identity(mode) != (step.kind, repr(step)), step.id
