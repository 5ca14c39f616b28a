"""The house rules of `duo_zaak/` (README "Layout"), read from the source with `ast`.

Fails on: an import cycle between modules, a package importing one above it, anything outside `web/` importing
`web/` (the factory excepted), SQL in `web/`, a rule importing Flask/SQLAlchemy/HTTP, a module over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "duo_zaak"
MAX_LINES = 400
CORE = "core"

# What each part may import inside duo_zaak (itself always). Lower layers never import higher ones.
ALLOWED: dict[str, set[str]] = {
    "rules": set(),
    CORE: {"rules"},
    "accounts": {CORE, "rules"},
    "tasks": {CORE, "rules", "accounts"},
    "figures": {CORE, "rules", "accounts", "tasks"},
    "sync": {CORE, "rules", "tasks"},
    "notify": {CORE, "rules", "accounts", "figures"},
    "commands": {CORE, "rules", "accounts", "tasks", "figures", "sync", "notify"},
    "web": {CORE, "rules", "accounts", "tasks", "figures", "sync", "notify"},
    "factory": {CORE, "rules", "accounts", "tasks", "figures", "sync", "notify", "commands", "web"},
}
# Outside duo_zaak, the pure rules may only use the duration value type.
RULES_MAY_IMPORT = {"connectors.zgw.durations"}
FORBIDDEN_IN_RULES = ("flask", "flask_sqlalchemy", "sqlalchemy", "requests", "urllib3", "wtforms", "flask_wtf",
                      "connectors", "duo_zaak")
FORBIDDEN_IN_WEB = ("sqlalchemy", "flask_sqlalchemy", "duo_zaak.sync")
# The web may hand the worker work (a notification to process, a run to start), never write the mirror itself.
WEB_MAY_IMPORT_FROM_SYNC = {"duo_zaak.sync.queue", "duo_zaak.sync.requests"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    """The layer a duo_zaak module belongs to: its subpackage, the factory, or the core modules."""
    parts = module.split(".")
    if module == "duo_zaak":
        return "factory"
    if parts[1] == "models":  # the tables are core, split by part
        return CORE
    if len(parts) > 2 or (ROOT / Path(*parts) / "__init__.py").exists():
        return parts[1]
    return CORE


def _imports(path: Path) -> set[str]:
    """Every module this file imports (at any depth), resolved to absolute names."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                absolute = ".".join(base + ([node.module] if node.module else []))
            else:
                absolute = node.module or ""
            names = [f"{absolute}.{alias.name}" for alias in node.names]
            modules = [name for name in names if _exists(name)]  # `from . import deadlines` imports a module
            found.update(modules)
            if len(modules) < len(names):
                found.add(absolute)
    return found


def _exists(module: str) -> bool:
    path = ROOT / Path(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: {i for i in _imports(path) if i in MODULES and i != name} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    return result


def test_the_checker_sees_the_packages() -> None:
    """Guards the test itself: it must find the modules and their imports, or every check passes vacuously."""
    assert {"duo_zaak.rules.deadlines", "duo_zaak.sync.run", "duo_zaak.web.archief"} <= set(MODULES)
    assert "duo_zaak.rules.workdays" in GRAPH["duo_zaak.rules.deadlines"]
    assert _part("duo_zaak.models") == CORE and _part("duo_zaak.figures.scope") == "figures"


def test_no_import_cycles() -> None:
    assert _cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module: str) -> None:
    part = _part(module)
    allowed = ALLOWED[part] | {part}
    wrong = sorted(i for i in GRAPH[module] if _part(i) not in allowed)
    assert wrong == [], f"{module} ({part}) may not import {wrong}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) == "rules"))
def test_rules_are_pure(module: str) -> None:
    imported = _imports(MODULES[module])
    bad = sorted(i for i in imported if i.split(".")[0] in FORBIDDEN_IN_RULES and i not in RULES_MAY_IMPORT
                 and not i.startswith("duo_zaak.rules"))
    assert bad == [], f"{module} imports {bad}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) == "web"))
def test_web_holds_no_sql(module: str) -> None:
    path = MODULES[module]
    imported = _imports(path)
    bad = sorted(i for i in imported if i.startswith(FORBIDDEN_IN_WEB) and i not in WEB_MAY_IMPORT_FROM_SYNC
                 and i != "duo_zaak.sync")
    assert bad == [], f"{module} imports {bad}"
    tree = ast.parse(path.read_text())
    handles = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and any(alias.name == "db" for alias in node.names)]
    assert handles == [], f"{module} imports the database handle (line {handles})"
    assert "db.session" not in path.read_text()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module}: {lines} lines"
