"""The integration's import graph: no cycle, and the arrows point from entities to data.

Every module of the package is read with `ast`, so every import counts: at the top, inside a
function, and under `TYPE_CHECKING`. A relative import names the module it reads from;
``from . import name`` names the submodule `name` where there is one. A package's
`__init__` is an edge only where it is named (Python importing a package before its
submodules is not an arrow of ours).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping, Set
from pathlib import Path

import pytest
from homeassistant.const import Platform

PACKAGE = "custom_components.xiaomi_aiot"
ROOT = Path(__file__).parents[1] / "custom_components" / "xiaomi_aiot"

DATA_LAYER = ("miot", "miot.*", "const", "coordinator", "account", "push", "runtime")
"""The data layer: the library, and the modules that fetch, merge and hold a device's state
and an account's device list. Nothing in it knows there are entities."""

ENTITY_LAYER = ("entity", "voice", "voice.*", *sorted(platform.value for platform in Platform))
"""The entity layer: the entity base, the voice agent built on entities, and every module named
after one of Home Assistant's entity platforms (a platform added later is in it at once)."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _resolve(importer: str, level: int, target: str | None, modules: dict[str, Path]) -> str:
    """The package-relative name that a relative import (or an absolute one of ours) reads."""
    base = importer.split(".") if importer else []
    if not _is_package(importer, modules):
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *(target.split(".") if target else [])])


def _edges(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of the package that `name` imports anywhere in its text."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        candidates: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve(name, node.level, node.module, modules)
            elif node.module and (node.module + ".").startswith(PACKAGE + "."):
                base = node.module.removeprefix(PACKAGE).lstrip(".")
            else:
                continue
            candidates = [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
            candidates = [c for c in candidates if c in modules] or [base]
        elif isinstance(node, ast.Import):
            candidates = [
                alias.name.removeprefix(PACKAGE).lstrip(".")
                for alias in node.names
                if (alias.name + ".").startswith(PACKAGE + ".")
            ]
        found.update(c for c in candidates if c in modules and c != name)
    return found


@functools.cache
def _graph() -> dict[str, frozenset[str]]:
    """Each module of the package, and the modules of the package it imports."""
    modules = {_module_name(path): path for path in ROOT.rglob("*.py")}
    return {name: frozenset(_edges(name, path, modules)) for name, path in modules.items()}


def _in(name: str, layer: tuple[str, ...]) -> bool:
    return any(
        name == pattern or (pattern.endswith(".*") and name.startswith(pattern[:-1]))
        for pattern in layer
    )


def _cycle(graph: Mapping[str, Set[str]]) -> list[str] | None:
    """A cycle of the graph as the path around it (first module repeated last), if any."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target in on_stack:
                return [*stack[stack.index(target) :], target]
            if target not in done and (found := visit(target)) is not None:
                return found
        stack.pop()
        on_stack.remove(node)
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done and (found := visit(node)) is not None:
            return found
    return None


def _display(name: str) -> str:
    return name or "__init__"


def test_the_graph_is_read_from_every_module_and_every_kind_of_import() -> None:
    """The walk sees imports at the top, in functions and under TYPE_CHECKING."""
    graph = _graph()
    assert {"", "integration", "coordinator", "account", "runtime", "miot", "miot.lan"} <= set(
        graph
    )
    assert "integration" in graph[""]  # imported inside the hooks of __init__
    assert "runtime" in graph[""]  # under TYPE_CHECKING
    assert "miot.udp" in graph["miot.lan"]  # under TYPE_CHECKING
    assert "miot.errors" in graph["miot"]
    assert "runtime" in graph["entity"]
    assert len(graph) > 60
    assert {"light", "lock", "water_heater"} <= {m for m in graph if _in(m, ENTITY_LAYER)}


def test_the_cycle_finder_reports_the_path_around_a_cycle() -> None:
    """A made-up graph with a cycle: the path is given in order."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_of_the_integration_imports_itself_in_a_circle() -> None:
    """Every arrow points one way, type-checking imports included."""
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(map(_display, cycle or []))


@pytest.mark.parametrize("module", sorted(m for m in _graph() if _in(m, DATA_LAYER)))
def test_the_data_layer_imports_no_entity_module(module: str) -> None:
    """The library, the coordinators and the runtime data know nothing of entities."""
    entity_imports = sorted(m for m in _graph()[module] if _in(m, ENTITY_LAYER))
    assert entity_imports == [], f"{module} imports {entity_imports}"


@pytest.mark.parametrize("module", sorted(m for m in _graph() if _in(m, ("miot", "miot.*"))))
def test_the_library_imports_nothing_outside_itself(module: str) -> None:
    """`miot` stands alone: none of its modules reads the integration around it."""
    outside = sorted(m for m in _graph()[module] if not _in(m, ("miot", "miot.*")))
    assert outside == [], f"{module} imports {outside}"
