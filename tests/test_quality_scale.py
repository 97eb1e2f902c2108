"""quality_scale.yaml against the code: each rule marked `done` keeps its evidence.

A rule that can be checked from the source (or by importing the integration) has a checker
here that lists what breaks it; a rule only behaviour can show names the test that shows it;
a documentation rule names the README sections that hold it. Marking a rule `done` without
one of the three fails, and so does losing the evidence of a rule marked `done`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from homeassistant import config_entries
from homeassistant.const import Platform
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import intent
from homeassistant.helpers.entity import Entity

from custom_components.xiaomi_aiot.const import (
    CONF_CLOUD_TOKENS,
    CONF_MAC,
    CONF_SKILL_SECRET,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from custom_components.xiaomi_aiot.integration import PLATFORMS
from custom_components.xiaomi_aiot.voice.targets import NotExposedError

ROOT = Path(__file__).parents[1]
COMPONENT = ROOT / "custom_components" / "xiaomi_aiot"
PACKAGE = "custom_components.xiaomi_aiot"

QUALITY_RULES = {
    "bronze": (
        "action-setup appropriate-polling brands common-modules config-flow-test-coverage "
        "config-flow dependency-transparency docs-actions docs-high-level-description "
        "docs-installation-instructions docs-removal-instructions entity-event-setup "
        "entity-unique-id has-entity-name runtime-data test-before-configure "
        "test-before-setup unique-config-entry"
    ),
    "silver": (
        "action-exceptions config-entry-unloading docs-configuration-parameters "
        "docs-installation-parameters entity-unavailable integration-owner "
        "log-when-unavailable parallel-updates reauthentication-flow test-coverage"
    ),
    "gold": (
        "devices diagnostics discovery-update-info discovery docs-data-update docs-examples "
        "docs-known-limitations docs-supported-devices docs-supported-functions "
        "docs-troubleshooting docs-use-cases dynamic-devices entity-category "
        "entity-device-class entity-disabled-by-default entity-translations "
        "exception-translations icon-translations reconfiguration-flow repair-issues "
        "stale-devices"
    ),
    "platinum": "async-dependency inject-websession strict-typing",
}
"""Home Assistant's integration quality scale (as of the development target), tier by tier."""

SUBSCRIPTIONS = {
    "async_add_event_listener",
    "async_add_listener",
    "async_dispatcher_connect",
    "async_listen",
    "async_listen_entity_updates",
    "async_track_state_change_event",
}
"""Calls that subscribe to events and return the function that unsubscribes."""

UNTRANSLATED_ERRORS: dict[type[Exception], str] = {
    intent.MatchFailedError: "the agent catches it and answers from its own response templates",
    NotExposedError: "the agent catches it and answers from its own response templates",
}
"""Home Assistant errors raised without a translation key, and why no user sees their text."""


@cache
def rules() -> dict[str, dict[str, str]]:
    """Each rule's status and comment."""
    raw = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text("utf-8"))["rules"]
    return {
        rule: {"status": value, "comment": ""} if isinstance(value, str) else value
        for rule, value in raw.items()
    }


def done(rule: str) -> bool:
    """Whether quality_scale.yaml marks a rule done."""
    return rules()[rule]["status"] == "done"


@cache
def strings() -> dict[str, Any]:
    """strings.json."""
    data: dict[str, Any] = json.loads((COMPONENT / "strings.json").read_text("utf-8"))
    return data


def source_files() -> list[Path]:
    """The integration's modules that use Home Assistant (the miot library does not)."""
    return sorted(
        p for p in COMPONENT.rglob("*.py") if "miot" not in p.relative_to(COMPONENT).parts
    )


def module_of(path: Path) -> ModuleType:
    """The imported module of a source file."""
    parts = path.relative_to(COMPONENT).with_suffix("").parts
    name = ".".join((PACKAGE, *parts)) if parts != ("__init__",) else PACKAGE
    return importlib.import_module(name.removesuffix(".__init__"))


def parse(path: Path) -> ast.Module:
    """A module's syntax tree."""
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def resolve(module: ModuleType, node: ast.expr) -> Any:
    """What a name or dotted name means at a module's top level; None when unknown."""
    if isinstance(node, ast.Name):
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute):
        base = resolve(module, node.value)
        return None if base is None else getattr(base, node.attr, None)
    return None


def where(path: Path, node: ast.AST) -> str:
    """path:line of a node."""
    return f"{path.relative_to(COMPONENT)}:{getattr(node, 'lineno', 0)}"


def error_calls() -> Iterator[tuple[Path, ast.Call, type[HomeAssistantError]]]:
    """Every construction of a Home Assistant error in the integration."""
    for path in source_files():
        module = module_of(path)
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Call):
                called = resolve(module, node.func)
                if isinstance(called, type) and issubclass(called, HomeAssistantError):
                    yield path, node, called


def entity_classes() -> list[type[Entity]]:
    """Every entity class the integration defines."""
    found = []
    for path in source_files():
        module = module_of(path)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Entity) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def concrete_entity_classes() -> list[type[Entity]]:
    """The entity classes a platform creates: those not subclassed by another of ours."""
    classes = entity_classes()
    return [c for c in classes if not any(o is not c and issubclass(o, c) for o in classes)]


def sets_in_init(cls: type, attribute: str) -> bool:
    """Whether the class or one of ours it derives from assigns `self.<attribute>`."""
    for base in cls.__mro__:
        if not base.__module__.startswith(PACKAGE):
            continue
        if attribute in vars(base):
            return True
        for node in ast.walk(ast.parse(inspect.getsource(base).strip())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and node.attr == attribute
            ):
                return True
    return False


def functions(path: Path) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's top-level functions and the methods of its classes, by name."""
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in parse(path).body:
        items = node.body if isinstance(node, ast.ClassDef) else [node]
        for item in items:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                found[item.name] = item
    return found


def called_names(node: ast.AST) -> set[str]:
    """The names of the functions and methods a piece of code calls."""
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


# --- the checkers: each returns what breaks its rule --------------------------------------


def exception_translations() -> list[str]:
    """Every Home Assistant error carries our domain and a translation key strings.json has."""
    messages = strings()["exceptions"]
    aborts = strings()["config"]["abort"]
    problems = []
    for path, call, error in error_calls():
        if error in UNTRANSLATED_ERRORS:
            continue
        if issubclass(error, AbortFlow):
            reason = call.args[0] if call.args else None
            if not (isinstance(reason, ast.Constant) and reason.value in aborts):
                problems.append(f"{where(path, call)}: {error.__name__} without a known reason")
            continue
        keywords = {k.arg: k.value for k in call.keywords}
        domain, key = keywords.get("translation_domain"), keywords.get("translation_key")
        if not (isinstance(domain, ast.Name) and domain.id == "DOMAIN"):
            problems.append(f"{where(path, call)}: {error.__name__} without translation_domain")
        elif isinstance(key, ast.Constant):
            if key.value not in messages:
                problems.append(f"{where(path, call)}: no exceptions.{key.value}")
        elif not isinstance(key, ast.IfExp):
            problems.append(f"{where(path, call)}: {error.__name__} without translation_key")
        else:
            problems += [
                f"{where(path, call)}: an unknown translation key"
                for branch in (key.body, key.orelse)
                if not (isinstance(branch, ast.Constant) and branch.value in messages)
            ]
    return problems


def entity_event_setup() -> list[str]:
    """Entities subscribe in async_added_to_hass and hand the unsubscribe to async_on_remove."""
    problems = []
    for path in source_files():
        module = module_of(path)
        for node in parse(path).body:
            cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            if not (isinstance(cls, type) and issubclass(cls, Entity)):
                continue
            assert isinstance(node, ast.ClassDef)
            for method in node.body:
                if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                handed = {
                    id(arg)
                    for call in ast.walk(method)
                    if isinstance(call, ast.Call)
                    and getattr(call.func, "attr", "") == "async_on_remove"
                    for arg in call.args
                }
                for call in ast.walk(method):
                    if not isinstance(call, ast.Call):
                        continue
                    name = getattr(call.func, "attr", getattr(call.func, "id", ""))
                    if name not in SUBSCRIPTIONS:
                        continue
                    if method.name != "async_added_to_hass":
                        problems.append(f"{where(path, call)}: {name} in {method.name}")
                    elif id(call) not in handed:
                        problems.append(f"{where(path, call)}: {name} not given to async_on_remove")
    return problems


def class_constant(cls: type, attribute: str) -> Any:
    """The literal a class of ours (or one it derives from) assigns to a class attribute.

    Read from the source: Home Assistant's entity metaclass turns `_attr_` attributes into
    cached properties, so the class no longer holds the value.
    """
    for base in cls.__mro__:
        if not base.__module__.startswith(PACKAGE):
            continue
        for node in ast.parse(inspect.getsource(base).strip()).body[0].body:  # type: ignore[attr-defined]
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
                value = getattr(node, "value", None)
                return value.value if isinstance(value, ast.Constant) else ...
    return None


def has_entity_name() -> list[str]:
    """Every entity is named as part of its device."""
    return [
        c.__name__
        for c in concrete_entity_classes()
        if class_constant(c, "_attr_has_entity_name") is not True
    ]


def entity_unique_id() -> list[str]:
    """Every entity has a unique id."""
    return [c.__name__ for c in concrete_entity_classes() if not sets_in_init(c, "_attr_unique_id")]


def devices() -> list[str]:
    """Every entity of a device belongs to it (the agent is the account's, not a device's)."""
    return [
        c.__name__
        for c in concrete_entity_classes()
        if not sets_in_init(c, "_attr_device_info") and c.__name__ != "XiaoAiConversationEntity"
    ]


def entity_category() -> list[str]:
    """Entities of spec properties, actions and events take their category and default
    enabling from the mapping table; what a device is stays uncategorised and enabled."""
    role = importlib.import_module(f"{PACKAGE}.entity").XiaomiRoleEntity
    return [
        f"{c.__name__}: {attribute}"
        for c in concrete_entity_classes()
        if not issubclass(c, role) and c.__name__ not in PRIMARY_ENTITIES
        for attribute in ("_attr_entity_category", "_attr_entity_registry_enabled_default")
        if not sets_in_init(c, attribute)
    ]


PRIMARY_ENTITIES = {
    "XiaomiLockState": "a door lock's locked or not, told by its events",
    "XiaomiEventBinarySensor": "what a leak or motion sensor senses",
    "XiaomiCommandValueButton": "a fan's turn left / right",
    "XiaoAiConversationEntity": "the account's Xiao Ai agent",
}
"""Entities besides the role entities (a device's light, climate...) that are what their
device is for: no category, always enabled."""


def icon_translations() -> list[str]:
    """Icons come from icons.json, never from code."""
    problems = []
    for path in source_files():
        for node in ast.walk(parse(path)):
            stored = getattr(node, "attr", getattr(node, "id", None))
            if stored == "_attr_icon" and isinstance(getattr(node, "ctx", None), ast.Store):
                problems.append(where(path, node))
            if isinstance(node, ast.FunctionDef) and node.name == "icon":
                problems.append(where(path, node))
    if not (COMPONENT / "icons.json").is_file():
        problems.append("no icons.json")
    return problems


def runtime_data() -> list[str]:
    """Nothing is kept in hass.data under the domain; entries keep theirs in runtime_data."""
    problems = [
        where(path, node)
        for path in source_files()
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Subscript)
        and getattr(node.value, "attr", "") == "data"
        and isinstance(node.slice, ast.Name)
        and node.slice.id == "DOMAIN"
    ]
    if not any(
        isinstance(n, ast.Attribute) and n.attr == "runtime_data" and isinstance(n.ctx, ast.Store)
        for n in ast.walk(parse(COMPONENT / "integration.py"))
    ):
        problems.append("integration.py never sets entry.runtime_data")
    return problems


def action_setup() -> list[str]:
    """Actions are registered once in async_setup, not per entry."""
    problems = []
    setup = functions(COMPONENT / "integration.py")
    if "async_setup_services" not in called_names(setup["async_setup"]):
        problems.append("async_setup does not register the actions")
    for path in source_files():
        for name, function in functions(path).items():
            registers = any(
                isinstance(c, ast.Call)
                and getattr(c.func, "attr", "") == "async_register"
                and getattr(getattr(c.func, "value", None), "attr", "") == "services"
                for c in ast.walk(function)
            )
            if registers and (path.name, name) != ("services.py", "async_setup_services"):
                problems.append(f"{path.name}: {name} registers an action")
    return problems


def action_exceptions() -> list[str]:
    """Actions raise Home Assistant's errors (translated: exception-translations)."""
    raised = {error.__name__ for path, _, error in error_calls() if path.name == "services.py"}
    return [] if {"ServiceValidationError"} <= raised else ["services.py raises no errors"]


def config_entry_unloading() -> list[str]:
    """An entry unloads its platforms."""
    unload = functions(COMPONENT / "integration.py").get("async_unload_entry")
    if unload is None:
        return ["no async_unload_entry"]
    return [] if "async_unload_platforms" in called_names(unload) else ["platforms stay loaded"]


def flow() -> type[config_entries.ConfigFlow]:
    """The integration's config flow, as Home Assistant registers it."""
    importlib.import_module(f"{PACKAGE}.config_flow")
    handler: type[config_entries.ConfigFlow] = config_entries.HANDLERS[DOMAIN]
    return handler


def config_flow() -> list[str]:
    """A config flow, declared in the manifest, every field of every step described."""
    problems = []
    manifest = json.loads((COMPONENT / "manifest.json").read_text("utf-8"))
    if manifest.get("config_flow") is not True:
        problems.append("manifest: config_flow is not true")
    if not hasattr(flow(), "async_step_user"):
        problems.append("no user step")
    for section in ("config", "options"):
        for step, texts in strings()[section]["step"].items():
            missing = set(texts.get("data", {})) - set(texts.get("data_description", {}))
            problems += [f"{section}.step.{step}.data_description.{k}" for k in sorted(missing)]
    return problems


def reauthentication_flow() -> list[str]:
    """Refused credentials are asked for again."""
    return [] if hasattr(flow(), "async_step_reauth") else ["no reauth step"]


def reconfiguration_flow() -> list[str]:
    """An entry can be moved (a device's address, an account's region)."""
    return [] if hasattr(flow(), "async_step_reconfigure") else ["no reconfigure step"]


def discovery_update_info() -> list[str]:
    """A known device announcing a new address gets it."""
    step = functions(COMPONENT / "config_flow.py").get("async_step_zeroconf")
    if step is None:
        return ["no zeroconf step"]
    for call in ast.walk(step):
        if (
            isinstance(call, ast.Call)
            and getattr(call.func, "attr", "") == "_abort_if_unique_id_configured"
            and any(k.arg == "updates" for k in call.keywords)
        ):
            return []
    return ["the zeroconf step does not update a known entry"]


def diagnostics() -> list[str]:
    """Diagnostics exist and redact every secret the entries keep."""
    module = importlib.import_module(f"{PACKAGE}.diagnostics")
    problems = []
    if not hasattr(module, "async_get_config_entry_diagnostics"):
        problems.append("no config entry diagnostics")
    secrets = {"token", "password", "username", "host", CONF_MAC, CONF_CLOUD_TOKENS}
    secrets |= {CONF_SKILL_SECRET, "pass_token", "ssecurity", "service_token", "user_id"}
    problems += [f"not redacted: {k}" for k in sorted(secrets - set(module.TO_REDACT))]
    return problems


def appropriate_polling() -> list[str]:
    """30 s by default, an option between 5 s and 10 min."""
    if (DEFAULT_SCAN_INTERVAL.total_seconds(), MIN_SCAN_INTERVAL, MAX_SCAN_INTERVAL) == (
        30,
        5,
        600,
    ):
        return []
    return ["the poll interval is not what the rule's comment says"]


def parallel_updates() -> list[str]:
    """Every platform module sets PARALLEL_UPDATES to an integer."""
    problems = []
    for platform in PLATFORMS:
        value = getattr(
            importlib.import_module(f"{PACKAGE}.{platform.value}"), "PARALLEL_UPDATES", None
        )
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(platform.value)
    return problems


def common_modules() -> list[str]:
    """The coordinator in coordinator.py, the base entity in entity.py."""
    problems = []
    if not hasattr(importlib.import_module(f"{PACKAGE}.coordinator"), "MiotCoordinator"):
        problems.append("coordinator.py has no coordinator")
    if not hasattr(importlib.import_module(f"{PACKAGE}.entity"), "XiaomiEntity"):
        problems.append("entity.py has no base entity")
    return problems


def integration_owner() -> list[str]:
    """The manifest names code owners."""
    manifest = json.loads((COMPONENT / "manifest.json").read_text("utf-8"))
    return [] if manifest.get("codeowners") else ["no codeowners"]


def inject_websession() -> list[str]:
    """Nothing makes an aiohttp session of its own; the cloud client takes Home Assistant's."""
    problems = [
        where(path, node)
        for path in sorted(COMPONENT.rglob("*.py"))
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) == "ClientSession"
    ]
    uses = {
        path.name
        for path in source_files()
        if "async_get_clientsession" in called_names(parse(path))
    }
    return problems if uses else [*problems, "Home Assistant's session is never taken"]


BLOCKING_IMPORTS = {"requests", "urllib.request", "http.client", "socketserver"}


def async_dependency() -> list[str]:
    """No blocking client library, no sleeping."""
    problems = []
    for path in sorted(COMPONENT.rglob("*.py")):
        for node in ast.walk(parse(path)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            problems += [f"{where(path, node)}: {n}" for n in names if n in BLOCKING_IMPORTS]
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "time.sleep":
                problems.append(f"{where(path, node)}: time.sleep")
    return problems


def strict_typing() -> list[str]:
    """mypy runs strict on the integration (script/test runs it)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]
    problems = [] if config.get("strict") is True else ["mypy is not strict"]
    files = config.get("files", [])
    files = [files] if isinstance(files, str) else files
    if not any(f.rstrip("/") == "custom_components/xiaomi_aiot" for f in files):
        problems.append("mypy does not check the integration")
    if "mypy" not in (ROOT / "script" / "test").read_text("utf-8"):
        problems.append("script/test does not run mypy")
    return problems


EVIDENCE: dict[str, Callable[[], list[str]]] = {
    "action-exceptions": action_exceptions,
    "action-setup": action_setup,
    "appropriate-polling": appropriate_polling,
    "async-dependency": async_dependency,
    "common-modules": common_modules,
    "config-entry-unloading": config_entry_unloading,
    "config-flow": config_flow,
    "devices": devices,
    "diagnostics": diagnostics,
    "discovery-update-info": discovery_update_info,
    "entity-category": entity_category,
    "entity-disabled-by-default": entity_category,
    "entity-event-setup": entity_event_setup,
    "entity-unique-id": entity_unique_id,
    "exception-translations": exception_translations,
    "has-entity-name": has_entity_name,
    "icon-translations": icon_translations,
    "inject-websession": inject_websession,
    "integration-owner": integration_owner,
    "parallel-updates": parallel_updates,
    "reauthentication-flow": reauthentication_flow,
    "reconfiguration-flow": reconfiguration_flow,
    "runtime-data": runtime_data,
    "strict-typing": strict_typing,
}
"""Rules the source shows, each with what checks it."""

BEHAVIOUR: dict[str, tuple[str, ...]] = {
    "config-flow-test-coverage": (
        "integration/test_config_flow.py::test_a_failed_attempt_says_why_then_the_right_one_adds_the_device",
        "integration/test_account_flow.py",
    ),
    "dynamic-devices": (
        "integration/test_account.py::test_new_devices_appear_and_removed_ones_go_without_a_restart",
    ),
    "entity-unavailable": (
        "integration/test_init.py::test_a_device_going_offline_is_unavailable_then_back",
    ),
    "log-when-unavailable": (
        "integration/test_init.py::test_a_device_going_offline_is_unavailable_then_back",
    ),
    "repair-issues": (
        "integration/test_account.py::test_a_device_the_cloud_no_longer_knows_raises_a_repair_until_it_is_gone",
    ),
    "stale-devices": (
        "integration/test_account.py::test_new_devices_appear_and_removed_ones_go_without_a_restart",
        "integration/test_account_flow.py::test_only_a_device_the_account_no_longer_has_can_be_removed_by_hand",
    ),
    "test-before-configure": (
        "integration/test_config_flow.py::test_a_failed_attempt_says_why_then_the_right_one_adds_the_device",
        "integration/test_account.py::test_a_wrong_password_is_refused_then_the_right_one_signs_in",
    ),
    "test-before-setup": (
        "integration/test_init.py::test_an_unreachable_device_is_retried_later",
        "integration/test_init.py::test_a_wrong_token_at_start_asks_for_a_new_one",
    ),
}
"""Rules only running Home Assistant shows, with the tests that show them."""

README_SECTION = re.compile(r'"([^"]+)"')


def readme_headings() -> set[str]:
    """The README's section titles."""
    text = (ROOT / "README.md").read_text("utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^#+ (.+)$", text, re.MULTILINE)}


# --- the tests ----------------------------------------------------------------------------


def test_quality_scale_lists_every_rule_with_a_status() -> None:
    """Each rule is done, todo, or exempt; each that is not plainly done says why."""
    expected = {rule for tier in QUALITY_RULES.values() for rule in tier.split()}
    assert sorted(set(rules()) ^ expected) == []
    for rule, value in rules().items():
        assert value["status"] in {"done", "todo", "exempt"}, rule
        if value["status"] != "done":
            assert value["comment"].strip(), rule


def test_every_done_rule_has_evidence() -> None:
    """Checked from the source, shown by a named test, or (the docs rules) in the README."""
    unchecked = [
        rule
        for rule in rules()
        if done(rule)
        and rule not in EVIDENCE
        and rule not in BEHAVIOUR
        and not rule.startswith("docs-")
    ]
    assert unchecked == []


@pytest.mark.parametrize("rule", sorted(EVIDENCE))
def test_a_done_rule_holds_in_the_source(rule: str) -> None:
    """The rule is marked done and nothing in the code breaks it."""
    assert done(rule)
    assert EVIDENCE[rule]() == []


@pytest.mark.parametrize("rule", sorted(BEHAVIOUR))
def test_a_done_rule_has_its_behaviour_test(rule: str) -> None:
    """The tests that show the rule exist."""
    assert done(rule)
    for test in BEHAVIOUR[rule]:
        path, _, name = test.partition("::")
        source = (ROOT / "tests" / path).read_text("utf-8")
        assert not name or re.search(rf"^(async )?def {name}\(", source, re.MULTILINE), test


@pytest.mark.parametrize("rule", sorted(r for r in rules() if r.startswith("docs-") and done(r)))
def test_a_done_docs_rule_names_the_readme_sections_that_hold_it(rule: str) -> None:
    """Every section its comment names in quotes is a README heading."""
    named = [" ".join(n.split()) for n in README_SECTION.findall(rules()[rule]["comment"])]
    assert named, f"{rule}: the comment names no README section"
    assert sorted(set(named) - readme_headings()) == []


def test_the_manifest_says_devices_push_over_the_lan() -> None:
    """Devices on the LAN report their changes (miIO.sub); polls are a slower safety net."""
    manifest = json.loads((COMPONENT / "manifest.json").read_text("utf-8"))
    assert manifest["iot_class"] == "local_push"
    push = (COMPONENT / "push.py").read_text("utf-8")
    assert "subscribe" in push


# --- the checkers find what they look for -------------------------------------------------


def test_the_error_scan_finds_the_errors_the_code_raises() -> None:
    """Errors raised directly, built by a helper, and through a module alias are all seen."""
    found = {(path.name, error.__name__) for path, _, error in error_calls()}
    assert {
        ("services.py", "ServiceValidationError"),
        ("errors.py", "HomeAssistantError"),
        ("errors.py", "ConfigEntryNotReady"),
        ("errors.py", "ConfigEntryAuthFailed"),
        ("errors.py", "UpdateFailed"),
        ("device_trigger.py", "InvalidDeviceAutomationConfig"),
        ("config_flow.py", "AbortFlow"),
        ("climate.py", "MatchFailedError"),
    } <= found


def test_the_event_scan_finds_the_entities_that_subscribe() -> None:
    """The event entity, the event-driven binary sensors and the agent subscribe."""
    subscribing = {
        path.name
        for path in source_files()
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in SUBSCRIPTIONS
    }
    assert {"event.py", "binary_sensor.py", "conversation.py"} <= subscribing
    assert len(concrete_entity_classes()) >= len(PLATFORMS)
    assert {Platform.EVENT, Platform.BINARY_SENSOR} <= set(PLATFORMS)
