"""The part of hassfest's validation of a custom integration that can run here, offline.

hassfest lives in Home Assistant's source repository (`script/hassfest`): neither the
`homeassistant` wheel nor its sdist ships it, no package on PyPI named for it does, and its
usual runner for custom integrations is a container image. So it cannot run from the package
index. These tests check what it checks, written from its rules: the JSON files parse; the
strings' structure and texts (keys, whitespace, HTML, URLs, quoted placeholders, field
descriptions of real fields); services.yaml's structure (its selectors are validated by Home
Assistant in test_quality.py); the icons' sections; and that every Home Assistant integration
the code imports is declared or always there. The manifest is checked in test_packaging.py,
the keys the code uses and services.yaml against the strings in test_quality.py. README.md
says what is not checked.
"""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.const import Platform

ROOT = Path(__file__).parents[1]
COMPONENT = ROOT / "custom_components" / "xiaomi_aiot"
LANGUAGE_FILES = ("strings.json", "translations/en.json", "translations/zh-Hans.json")

TRANSLATION_KEY = re.compile(r"^(?![_-])(?!.*[_-]{2})[a-z0-9_-]+(?<![_-])$")
"""hassfest's rule for entity, state, selector-option and similar keys."""
SLUG = re.compile(r"^[a-z0-9_]+$")
REFUSED_IN_TEXTS = {
    "leading or trailing whitespace": re.compile(r"^\s|\s$"),
    "HTML": re.compile(r"<[a-z][\s\S]*>", re.IGNORECASE),
    "a URL (a description placeholder should carry it)": re.compile(
        r"(?:(?:https?|ftps?|mqtts?)://|www\.)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}",
        re.IGNORECASE,
    ),
    "a placeholder in single quotes": re.compile(r"'\{\w+\}'"),
}
"""What hassfest refuses in a translated text. A scheme alone ("http:// or https://") is no
URL: it names no host."""

SECTIONS = {
    "title",
    "config",
    "config_subentries",
    "options",
    "entity",
    "entity_component",
    "exceptions",
    "services",
    "selector",
    "issues",
    "device_automation",
    "system_health",
    "conditions",
    "triggers",
}
"""The top-level sections of a strings file."""
FLOW_KEYS = {"flow_title", "step", "error", "abort", "progress", "create_entry", "initiate_flow"}
STEP_KEYS = {
    "title",
    "description",
    "data",
    "data_description",
    "menu_options",
    "menu_option_descriptions",
    "submit",
    "sections",
}
ENTITY_KEYS = {"name", "state", "state_attributes", "unit_of_measurement"}
SERVICE_KEYS = {"name", "description", "fields", "sections"}
FIELD_KEYS = {"name", "description", "example"}
ICON_SECTIONS = {"entity", "entity_component", "services", "issues", "conditions", "triggers"}

ALWAYS_THERE = {"conversation", "device_automation", "homeassistant", "zone"}
"""Integrations Home Assistant sets up whatever the manifest says, that the code imports."""


@cache
def load(name: str) -> dict[str, Any]:
    """A JSON file of the integration."""
    data: dict[str, Any] = json.loads((COMPONENT / name).read_text("utf-8"))
    return data


def texts(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every text of a strings tree, with its key path."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from texts(value, (*path, key))
    else:
        yield "::".join(path), tree


def text_problem(text: Any) -> str | None:
    """What hassfest would refuse in a translated text."""
    if not isinstance(text, str) or not text:
        return "not a text"
    for problem, pattern in REFUSED_IN_TEXTS.items():
        if pattern.search(text):
            return problem
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f]
    except ValueError as err:
        return f"unparsable braces: {err}"
    if not all(f.isidentifier() for f in fields):
        return "a placeholder that is not an identifier"
    return None


def flow_problems(section: str, flow: dict[str, Any]) -> list[str]:
    """A config or options flow's keys, and field descriptions only of real fields."""
    problems = [f"{section}.{k}" for k in set(flow) - FLOW_KEYS]
    for step, texts_ in flow.get("step", {}).items():
        problems += [f"{section}.step.{step}.{k}" for k in set(texts_) - STEP_KEYS]
        stray = set(texts_.get("data_description", {})) - set(texts_.get("data", {}))
        problems += [f"{section}.step.{step}.data_description.{k}" for k in sorted(stray)]
    return problems


# --- json -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(COMPONENT.rglob("*.json")), ids=lambda p: str(p.relative_to(COMPONENT))
)
def test_every_json_file_is_an_object(path: Path) -> None:
    """hassfest's json check: each file parses, to an object."""
    assert isinstance(json.loads(path.read_text("utf-8")), dict)


# --- translations ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_text_is_one_hassfest_accepts(name: str) -> None:
    """No stray whitespace, HTML, URL, quoted placeholder or odd placeholder name."""
    problems = [f"{path}: {p}" for path, text in texts(load(name)) if (p := text_problem(text))]
    assert problems == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_the_strings_have_hassfests_structure(name: str) -> None:
    """Known sections and keys in each; field descriptions belong to fields."""
    strings = load(name)
    problems = sorted(set(strings) - SECTIONS)
    assert "title" not in strings.get("config", {}), "config.title was moved to the top"
    for section in ("config", "options"):
        problems += flow_problems(section, strings.get(section, {}))
    for platform, keys in strings.get("entity", {}).items():
        problems += [] if platform in {p.value for p in Platform} else [f"entity.{platform}"]
        for key, entry in keys.items():
            problems += [f"entity.{platform}.{key}.{k}" for k in set(entry) - ENTITY_KEYS]
            for attribute in entry.get("state_attributes", {}).values():
                problems += [f"entity.{platform}.{key}: {k}" for k in set(attribute) - ENTITY_KEYS]
    for key, entry in strings.get("exceptions", {}).items():
        problems += [] if set(entry) == {"message"} else [f"exceptions.{key}"]
    for key, entry in strings.get("issues", {}).items():
        fixable = "fix_flow" in entry
        if "title" not in entry or fixable == ("description" in entry):
            problems.append(f"issues.{key}: a title and a description or a fix flow")
        if fixable:
            problems += flow_problems(f"issues.{key}.fix_flow", entry["fix_flow"])
    for key, entry in strings.get("services", {}).items():
        problems += [f"services.{key}.{k}" for k in set(entry) - SERVICE_KEYS]
        for field, texts_ in entry.get("fields", {}).items():
            problems += [f"services.{key}.{field}.{k}" for k in set(texts_) - FIELD_KEYS]
    for key, entry in strings.get("selector", {}).items():
        problems += [f"selector.{key}.{k}" for k in set(entry) - {"options", "choices", "fields"}]
    assert problems == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_keys_are_translation_keys(name: str) -> None:
    """Entity, state, exception, issue, selector and service keys as hassfest allows them."""
    strings = load(name)
    keys: list[str] = []
    for platform in strings.get("entity", {}).values():
        for key, entry in platform.items():
            keys.append(key)
            keys += list(entry.get("state", {}))
            for attribute, values in entry.get("state_attributes", {}).items():
                keys += [attribute, *values.get("state", {})]
    for selector in strings.get("selector", {}).values():
        keys += list(selector.get("options", {}))
    keys += list(strings.get("issues", {}))
    assert [k for k in keys if not TRANSLATION_KEY.match(k)] == []
    slugs = [*strings.get("exceptions", {}), *strings.get("services", {})]
    assert [k for k in slugs if not SLUG.match(k)] == []


def test_the_text_checks_refuse_what_hassfest_refuses() -> None:
    """Guard the checker itself."""
    assert text_problem("Open {name}") is None
    assert text_problem(" padded") is not None
    assert text_problem("see <b>this</b>") is not None
    assert text_problem("see https://example.com") is not None
    assert text_problem("see www.example.com/x") is not None
    assert text_problem("must start with http:// or https://") is None
    assert text_problem("named '{name}'") is not None
    assert text_problem("{0} devices") is not None
    assert TRANSLATION_KEY.match("door_status")
    assert not TRANSLATION_KEY.match("door__status")
    assert not TRANSLATION_KEY.match("Door")


# --- services -------------------------------------------------------------------------------


SERVICE_FIELDS = {"target", "fields", "name", "description"}
FIELD_OPTIONS = {"example", "default", "required", "advanced", "selector", "name", "description"}
SECTION_OPTIONS = {"collapsed", "fields", "name", "description"}


def service_problems(name: str, definition: Any) -> list[str]:
    """What hassfest's schema for a custom integration's services.yaml refuses in one action."""
    if definition is None:
        return []
    problems = [] if SLUG.match(name) else [f"{name}: not a slug"]
    problems += [f"{name}.{k}" for k in set(definition) - SERVICE_FIELDS]
    options = FIELD_OPTIONS | ({"filter"} if "target" in definition else set())
    seen: list[str] = []
    for key, field in (definition.get("fields") or {}).items():
        if "fields" in field:
            problems += [f"{name}.{key}.{k}" for k in set(field) - SECTION_OPTIONS]
            members = field["fields"]
        else:
            members = {key: field}
        for field_name, spec in members.items():
            seen.append(field_name)
            problems += [f"{name}.{field_name}.{k}" for k in set(spec) - options]
            problems += [
                f"{name}.{field_name}.{k}: empty"
                for k in ("example", "default")
                if k in spec and spec[k] is None
            ]
            problems += [
                f"{name}.{field_name}.{k}: not a flag"
                for k in ("required", "advanced")
                if k in spec and not isinstance(spec[k], bool)
            ]
            key_of_options = (spec.get("selector") or {}).get("select", {}) or {}
            if "translation_key" in key_of_options and key_of_options[
                "translation_key"
            ] not in load("translations/en.json").get("selector", {}):
                problems.append(f"{name}.{field_name}: an untranslated select")
    problems += [f"{name}: {f} twice" for f in sorted(set(seen)) if seen.count(f) > 1]
    return problems


def test_services_yaml_has_hassfests_structure() -> None:
    """Known keys of actions, fields and sections, each field once; selectors are checked
    by Home Assistant's own validator in test_quality.py."""
    described = yaml.safe_load((COMPONENT / "services.yaml").read_text("utf-8"))
    assert [p for name, d in described.items() for p in service_problems(name, d)] == []


def test_the_services_check_refuses_what_hassfest_refuses() -> None:
    """Guard the checker itself."""
    assert service_problems("speak", {"fields": {"text": {"required": True}}}) == []
    assert service_problems("speak", {"fields": {"text": {"requird": True}}}) != []
    assert service_problems("speak", {"fields": {"text": {"required": "yes"}}}) != []
    assert service_problems("speak", {"fields": {"text": {"filter": {}}}}) != []
    assert service_problems("Speak", {}) != []
    twice = {"fields": {"a": {}, "s": {"fields": {"a": {}}}}}
    assert service_problems("speak", twice) != []


# --- icons ----------------------------------------------------------------------------------


def test_icons_have_hassfests_sections() -> None:
    """Known sections; a service's icon is a name, or a mapping with its `service` icon."""
    icons = load("icons.json")
    assert set(icons) <= ICON_SECTIONS
    for name, icon in icons.get("services", {}).items():
        assert isinstance(icon, str) or "service" in icon, name
    for platform in icons.get("entity", {}):
        assert platform in {p.value for p in Platform}, platform


# --- dependencies ---------------------------------------------------------------------------


def imported_integrations() -> dict[str, set[str]]:
    """The Home Assistant integrations each module imports, outside TYPE_CHECKING blocks."""
    found: dict[str, set[str]] = {}
    for path in sorted(COMPONENT.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "homeassistant.components":
                    names |= {a.name for a in node.names}
                elif node.module.startswith("homeassistant.components."):
                    names.add(node.module.split(".")[2])
            elif isinstance(node, ast.Import):
                names |= {
                    a.name.split(".")[2]
                    for a in node.names
                    if a.name.startswith("homeassistant.components.")
                }
        found[str(path.relative_to(COMPONENT))] = names
    return found


def test_every_integration_the_code_imports_is_declared_or_always_there() -> None:
    """hassfest's dependencies check: in the manifest, an entity platform, a platform
    module of ours, a discovery source the manifest uses, or set up by Home Assistant."""
    manifest = load("manifest.json")
    allowed = {p.value for p in Platform} | ALWAYS_THERE
    allowed |= {*manifest.get("dependencies", []), *manifest.get("after_dependencies", [])}
    allowed |= {key for key in ("zeroconf", "dhcp", "ssdp", "mqtt", "usb") if key in manifest}
    allowed |= {p.stem for p in COMPONENT.glob("*.py")}
    undeclared = {
        f"{module}: {name}"
        for module, names in imported_integrations().items()
        for name in names - allowed
    }
    assert sorted(undeclared) == []
    assert "diagnostics" in {n for names in imported_integrations().values() for n in names}
