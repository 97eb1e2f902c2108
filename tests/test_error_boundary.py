"""One boundary: library errors become Home Assistant errors in `errors.py` only, and the MIoT
result codes are defined once, in the library's `codes.py`.

What is checked, by reading the source (AST) of every module of the integration outside
`miot/` and `errors.py`, with each name resolved in the module's own namespace:

- no ``except`` handler that catches a library error (a `MiotError` subclass: the library's,
  `SpecUnavailableError`, the flow's probe errors) names a Home Assistant error class
  (`HomeAssistantError` and its subclasses: `ServiceValidationError`, `UpdateFailed`,
  `ConfigEntryAuthFailed`, `ConfigEntryNotReady`, ...) or sets a string literal as a form error
  (``errors[...] = "..."``);
- `UpdateFailed`, `ConfigEntryAuthFailed` and `ConfigEntryNotReady` are constructed nowhere.

And in the simulator, the library and the integration (outside `miot/codes.py`), no integer
literal is the value of a `MiotCode`.
"""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from custom_components.xiaomi_aiot.errors import FORM_ERRORS, UNKNOWN
from custom_components.xiaomi_aiot.miot import MiotError
from custom_components.xiaomi_aiot.miot.codes import CloudCode, MiotCode
from custom_components.xiaomi_aiot.miot.mi_account import MiWrongCodeError

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "custom_components" / "xiaomi_aiot"
BOUNDARY = PACKAGE / "errors.py"
CODES = PACKAGE / "miot" / "codes.py"
SETUP_FAILURES = (UpdateFailed, ConfigEntryAuthFailed, ConfigEntryNotReady)


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """The object a name or dotted name refers to in a module, or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _is_class(obj: Any, base: type | tuple[type, ...]) -> bool:
    return isinstance(obj, type) and issubclass(obj, base)


def _classes(node: ast.expr) -> list[ast.expr]:
    """The classes of an ``except`` clause or of ``isinstance``: ``A``, ``(A, B)``, ``A | B``."""
    if isinstance(node, ast.Tuple):
        return [c for element in node.elts for c in _classes(element)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _classes(node.left) + _classes(node.right)
    return [node]


def boundary_violations(source: str, namespace: dict[str, Any]) -> list[str]:
    """Where a module turns library errors into Home Assistant errors itself."""

    def library_error(node: ast.expr) -> bool:
        return any(_is_class(_resolve(c, namespace), MiotError) for c in _classes(node))

    def home_assistant_error(node: ast.AST) -> bool:
        return isinstance(node, ast.Name | ast.Attribute) and _is_class(
            _resolve(node, namespace), HomeAssistantError
        )

    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_class(_resolve(node.func, namespace), SETUP_FAILURES):
            found.append(f"line {node.lineno}: constructs {ast.unparse(node.func)}")
        if isinstance(node, ast.ExceptHandler) and node.type and library_error(node.type):
            for inner in (n for statement in node.body for n in ast.walk(statement)):
                if home_assistant_error(inner):
                    found.append(f"line {inner.lineno}: {ast.unparse(inner)} for a library error")
                if (
                    isinstance(inner, ast.Assign)
                    and isinstance(inner.value, ast.Constant)
                    and isinstance(inner.value.value, str)
                    and any(
                        isinstance(t, ast.Subscript) and ast.unparse(t.value) == "errors"
                        for t in inner.targets
                    )
                ):
                    found.append(f"line {inner.lineno}: form error {inner.value.value!r} set here")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # A function that tells library errors apart and names a Home Assistant error or
            # answers a string (a translation key) is a translation table of its own.
            body = list(ast.walk(node))
            told_apart = any(
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id == "isinstance"
                and len(n.args) == 2
                and library_error(n.args[1])
                for n in body
            )
            translates = any(home_assistant_error(n) for n in body) or any(
                isinstance(n, ast.Return)
                and isinstance(n.value, ast.Constant)
                and isinstance(n.value.value, str)
                for n in body
            )
            if told_apart and translates:
                found.append(f"line {node.lineno}: {node.name} translates library errors")
    return found


def _integration_modules() -> list[tuple[Path, ModuleType]]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[2] == "miot" or path == BOUNDARY:
            continue
        name = ".".join(relative.with_suffix("").parts)
        modules.append((path, importlib.import_module(name)))
    return modules


def test_only_the_errors_module_turns_library_errors_into_home_assistant_errors() -> None:
    modules = _integration_modules()
    assert len(modules) > 30  # every platform, the flows, the coordinators, voice/
    violations = [
        f"{path.relative_to(ROOT)} {violation}"
        for path, module in modules
        for violation in boundary_violations(path.read_text(encoding="utf-8"), vars(module))
    ]
    assert violations == []


def test_the_boundary_check_sees_a_translation_made_elsewhere() -> None:
    assert boundary_violations(
        "try:\n    pass\nexcept MiotError as err:\n    raise HomeAssistantError('x') from err\n",
        {"MiotError": MiotError, "HomeAssistantError": HomeAssistantError},
    ) == ["line 4: HomeAssistantError for a library error"]
    assert boundary_violations(
        "try:\n    pass\nexcept MiWrongCodeError:\n    errors['code'] = 'wrong_code'\n",
        {"MiWrongCodeError": MiWrongCodeError},
    ) == ["line 4: form error 'wrong_code' set here"]
    assert boundary_violations(
        "def poll():\n    return update_coordinator.UpdateFailed('x')\n",
        {"update_coordinator": importlib.import_module(UpdateFailed.__module__)},
    ) == ["line 2: constructs update_coordinator.UpdateFailed"]
    assert (
        boundary_violations(
            "try:\n    pass\nexcept ValueError:\n    raise HomeAssistantError('x')\n",
            {"HomeAssistantError": HomeAssistantError},
        )
        == []
    )


def test_the_boundary_check_sees_a_translation_function_made_elsewhere() -> None:
    namespace = {"MiotError": MiotError, "HomeAssistantError": HomeAssistantError}
    assert boundary_violations(
        "def key(err):\n    if isinstance(err, MiotError):\n        return 'unknown'\n",
        namespace,
    ) == ["line 1: key translates library errors"]
    assert boundary_violations(
        "def error(err):\n    if isinstance(err, (ValueError, MiotError)):\n"
        "        return HomeAssistantError('x')\n",
        namespace,
    ) == ["line 1: error translates library errors"]


def test_the_errors_module_raises_what_the_coordinators_need() -> None:
    source = BOUNDARY.read_text(encoding="utf-8")
    errors = importlib.import_module("custom_components.xiaomi_aiot.errors")
    constructed = {
        ast.unparse(node.func)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and _is_class(_resolve(node.func, vars(errors)), HomeAssistantError)
    }
    assert constructed == {
        "UpdateFailed",
        "ConfigEntryAuthFailed",
        "ConfigEntryNotReady",
        "HomeAssistantError",
        "ServiceValidationError",
    }


@pytest.mark.parametrize(
    "path", ["strings.json", "translations/en.json", "translations/zh-Hans.json"]
)
def test_every_form_error_of_the_table_is_translated(path: str) -> None:
    translated = json.loads((PACKAGE / path).read_text(encoding="utf-8"))["config"]["error"]
    keys = {key for _, _, _, key in FORM_ERRORS} | {UNKNOWN}
    assert keys - set(translated) == set()


@pytest.mark.parametrize("codes", [MiotCode, CloudCode])
def test_every_result_code_has_one_name(codes: type[MiotCode] | type[CloudCode]) -> None:
    # An alias (a second name for a value) would be in __members__ but not in the iteration.
    assert len(codes.__members__) == len(list(codes))
    assert len({int(code) for code in codes}) == len(codes.__members__)


def _code_literals(path: Path) -> list[str]:
    """The integer literals in a file that are MIoT result codes (``-4003``, ``-704042011``)."""
    codes = {int(code) for code in MiotCode if code != MiotCode.OK}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = node.operand
            if isinstance(operand, ast.Constant) and type(operand.value) is int:
                value = -operand.value
        if value in codes:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value}")
    return found


def test_the_simulator_and_the_library_name_result_codes_from_the_enum() -> None:
    files = sorted((ROOT / "simulator").rglob("*.py")) + sorted(PACKAGE.rglob("*.py"))
    assert ROOT / "simulator" / "rpc.py" in files
    assert [found for path in files if path != CODES for found in _code_literals(path)] == []
    assert _code_literals(CODES)  # the check reads the literals where they are defined
