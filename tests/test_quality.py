"""What hassfest checks for core integrations and does not run on custom ones.

Manifest order, PARALLEL_UPDATES, translations that cover every key the code uses (with the
same placeholders in every language), an up-to-date en.json, icons for real translation keys,
and services.yaml agreeing with the services' strings. test_quality_scale.py checks
quality_scale.yaml against the code.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant import const as ha_const
from homeassistant.const import Platform
from homeassistant.helpers import selector

from custom_components.xiaomi_aiot.errors import FORM_ERRORS, UNKNOWN
from custom_components.xiaomi_aiot.integration import PLATFORMS
from custom_components.xiaomi_aiot.mapping import ROLES, TRAITS, DevicePlan, plan_device
from custom_components.xiaomi_aiot.miot import bundled_models, load_bundled_spec

ROOT = Path(__file__).parents[1]
COMPONENT = ROOT / "custom_components" / "xiaomi_aiot"
LANGUAGE_FILES = ("strings.json", "translations/en.json", "translations/zh-Hans.json")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
REFERENCE = re.compile(r"\[%key:[a-z0-9_:]+%\]")

type KeyPath = tuple[str, ...]

DEVELOPMENT_HA = "2025.4.4"
"""The Home Assistant release the project is developed against."""


@cache
def load_json(name: str) -> dict[str, Any]:
    """A JSON file of the integration."""
    data: dict[str, Any] = json.loads((COMPONENT / name).read_text("utf-8"))
    return data


@cache
def services_yaml() -> dict[str, Any]:
    """services.yaml."""
    data: dict[str, Any] = yaml.safe_load((COMPONENT / "services.yaml").read_text("utf-8"))
    return data


def lookup(tree: Any, path: KeyPath) -> Any:
    """The node at a key path; KeyError naming the path if it is missing."""
    node = tree
    for part in path:
        if not isinstance(node, dict) or part not in node:
            raise KeyError("::".join(path))
        node = node[part]
    return node


def leaves(tree: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string of a translation tree, with its key path."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from leaves(value, (*path, key))
    else:
        yield path, tree


def placeholders(text: str) -> set[str]:
    """The placeholder names in a translated string."""
    return set(PLACEHOLDER.findall(REFERENCE.sub("", text)))


def parse(path: Path) -> ast.Module:
    """A module's syntax tree."""
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def plans() -> Iterator[DevicePlan]:
    """The entity plan of every bundled model."""
    for model in bundled_models():
        yield plan_device(load_bundled_spec(model))


# --- what the code uses ---------------------------------------------------------------------


def code_entity_keys() -> set[tuple[str, str]]:
    """(platform, key) of every literal `_attr_translation_key` in a platform module."""
    found = set()
    for platform in Platform:
        path = COMPONENT / f"{platform.value}.py"
        if not path.exists():
            continue
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {
                    t.id if isinstance(t, ast.Name) else getattr(t, "attr", "") for t in targets
                }
                if "_attr_translation_key" in names:
                    found.update(
                        (platform.value, c.value)
                        for c in ast.walk(node.value)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    )
    return found


def traits_entity_keys() -> set[tuple[str, str]]:
    """(platform, key) of every translated entity the mapping makes for a bundled model."""
    found = set()
    for plan in plans():
        for item in plan.properties:
            if item.traits.translation_key:
                found.add((item.platform.value, item.traits.translation_key))
        for button in plan.buttons:
            if button.traits.translation_key:
                found.add((Platform.BUTTON.value, button.traits.translation_key))
        for event in plan.events:
            if event.traits.translation_key:
                found.add((Platform.EVENT.value, event.traits.translation_key))
    return found


def role_entity_keys() -> set[tuple[str, str]]:
    """(platform, key) of every role's entity."""
    return {(role.platform.value, role.translation_key) for role in ROLES}


def role_part_keys() -> set[tuple[str, str]]:
    """(platform, key) of role entities that are part of a bundled model, so named by their key."""
    return {
        (item.role.platform.value, item.role.translation_key)
        for plan in plans()
        for item in plan.roles
        if not item.main
    }


def translation_calls() -> Iterator[tuple[Path, ast.Call, str]]:
    """Calls that pass a literal `translation_key` along with a `translation_domain`."""
    for path in sorted(COMPONENT.glob("*.py")):
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            key = keywords.get("translation_key")
            if (
                "translation_domain" in keywords
                and isinstance(key, ast.Constant)
                and isinstance(key.value, str)
            ):
                yield path, node, key.value


def placeholder_names(call: ast.Call) -> set[str] | None:
    """The literal keys of a call's `translation_placeholders`; None when not a literal."""
    for keyword in call.keywords:
        if keyword.arg == "translation_placeholders":
            if not isinstance(keyword.value, ast.Dict):
                return None
            return {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
    return set()


def config_flow_keys() -> set[KeyPath]:
    """Steps, errors and aborts of the config and options flows."""
    found: set[KeyPath] = set()

    def visit(node: ast.AST, section: str, method: str) -> None:
        for child in ast.walk(node):
            if isinstance(child, ast.Assign):
                for target in child.targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "errors"
                        and isinstance(child.value, ast.Constant)
                    ):
                        found.add((section, "error", child.value.value))
            if not isinstance(child, ast.Call) or not isinstance(child.func, ast.Attribute):
                continue
            called = child.func.attr
            kwargs = {
                k.arg: k.value.value for k in child.keywords if isinstance(k.value, ast.Constant)
            }
            if called in {"async_show_form", "async_show_menu"}:
                found.add((section, "step", kwargs["step_id"]))
            elif called in {"async_abort", "_abort_if_unique_id_mismatch"}:
                if "reason" not in kwargs and any(k.arg == "reason" for k in child.keywords):
                    continue  # a reason computed at run time: the flow tests check it
                found.add((section, "abort", kwargs.get("reason", "unique_id_mismatch")))
            elif called == "_abort_if_unique_id_configured":
                found.add((section, "abort", "already_configured"))
            elif called == "async_update_reload_and_abort" and "reason" not in kwargs:
                source = "reauth" if "reauth" in method else "reconfigure"
                found.add((section, "abort", f"{source}_successful"))

    for module in ("config_flow.py", "options_flow.py"):
        for node in parse(COMPONENT / module).body:
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", "") for b in node.bases}
                section = "options" if "OptionsFlow" in bases else "config"
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        visit(item, section, item.name)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(node, "config", node.name)
    found |= {("config", "error", key) for *_, key in FORM_ERRORS} | {("config", "error", UNKNOWN)}
    return found


def required_keys() -> dict[KeyPath, set[str] | None]:
    """Every key path the code needs, with the placeholders it passes (None: not known)."""
    needed: dict[KeyPath, set[str] | None] = {}
    for platform, key in code_entity_keys() | role_entity_keys():
        needed[("entity", platform, key)] = None
    for platform, key in role_part_keys():
        needed[("entity", platform, key, "name")] = set()
    for platform, key in traits_entity_keys():
        needed[("entity", platform, key, "name")] = set()
    for _, call, key in translation_calls():
        needed[("exceptions", key, "message")] = placeholder_names(call)
    for path in config_flow_keys():
        needed[path] = None
    return needed


# --- platforms and manifest -----------------------------------------------------------------


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_platform_sets_parallel_updates(platform: Platform) -> None:
    """hassfest's parallel-updates rule: a module-level integer."""
    tree = parse(COMPONENT / f"{platform.value}.py")
    values = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "PARALLEL_UPDATES" for t in node.targets)
        and isinstance(node.value, ast.Constant)
    ]
    assert len(values) == 1
    assert isinstance(values[0], int)
    assert not isinstance(values[0], bool)


def test_every_platform_module_is_set_up() -> None:
    """A platform module that __init__ does not forward to would be dead code."""
    modules = {p.value for p in Platform if (COMPONENT / f"{p.value}.py").exists()}
    assert modules == {p.value for p in PLATFORMS}


def test_manifest_has_the_required_keys_in_hassfest_order() -> None:
    """domain, name, then the rest alphabetically."""
    manifest = load_json("manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    required = {
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "requirements",
        "version",
    }
    assert required - set(manifest) == set()
    assert manifest["domain"] == COMPONENT.name


# --- translations ---------------------------------------------------------------------------


def test_the_scan_finds_what_the_code_uses() -> None:
    """Guard the scanners themselves: keys known to be used must be found."""
    assert ("climate", "air_conditioner") in role_entity_keys()
    assert ("media_player", "television") in role_entity_keys()
    assert ("climate", "cabin_climate") in role_part_keys()
    assert ("switch", "eco") in traits_entity_keys()
    assert ("sensor", "lock_status") in traits_entity_keys()
    assert ("event", "lock_opened") in traits_entity_keys()
    exceptions = {key for _, _, key in translation_calls()}
    assert {"cannot_connect", "unknown_property", "device_not_found"} <= exceptions
    flows = config_flow_keys()
    assert {
        ("config", "step", "user"),
        ("config", "error", "invalid_token"),
        ("config", "abort", "already_configured"),
        ("config", "abort", "reauth_successful"),
        ("options", "step", "init"),
    } <= flows


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_key_the_code_uses_is_translated(name: str) -> None:
    """Entity names, exception messages and flow texts exist, with the placeholders passed."""
    strings = load_json(name)
    missing, wrong = [], []
    for path, passed in required_keys().items():
        try:
            node = lookup(strings, path)
        except KeyError:
            missing.append("::".join(path))
            continue
        checkable = passed is not None and isinstance(node, str) and not REFERENCE.search(node)
        if checkable and placeholders(node) != passed:
            wrong.append(f"{'::'.join(path)}: {sorted(placeholders(node))} != {sorted(passed)}")
    assert missing == []
    assert wrong == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_translated_traits_key_has_an_entity_name(name: str) -> None:
    """Also table entries no bundled model uses yet: some platform must name them."""
    entity = load_json(name)["entity"]
    keys = {traits.translation_key for traits in TRAITS.values() if traits.translation_key}
    named = {
        key for section in entity.values() for key, value in section.items() if "name" in value
    }
    assert keys - named == set()


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_translated_value_lists_have_translated_states(name: str) -> None:
    """Enum sensors and selects with a translation key show each value-list entry's name."""
    entity = load_json(name)["entity"]
    missing = []
    for plan in plans():
        for item in plan.properties:
            key = item.traits.translation_key
            if key and item.prop.value_list and item.platform in (Platform.SENSOR, Platform.SELECT):
                states = entity[item.platform.value][key].get("state", {})
                missing += [
                    f"{item.platform}.{key}: {choice.name}"
                    for choice in item.prop.value_list
                    if choice.name not in states
                ]
    assert missing == []


ROLE_STATE_ATTRIBUTES = {
    (Platform.CLIMATE, "air_conditioner", "fan-level"): "fan_mode",
    (Platform.LIGHT, "light", "mode"): "effect",
}
"""Role properties whose value-list names are a state attribute of the role's entity."""


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_role_entities_translate_the_values_they_show(name: str) -> None:
    """Fan modes and light effects are value-list names: each has a translated state."""
    entity = load_json(name)["entity"]
    missing = []
    for plan in plans():
        for role in plan.roles:
            for (platform, key, prop_name), attribute in ROLE_STATE_ATTRIBUTES.items():
                prop = role.prop(prop_name)
                if role.role.platform != platform or prop is None:
                    continue
                states = entity[platform.value][key]["state_attributes"][attribute]["state"]
                missing += [c.name for c in prop.value_list if c.name not in states]
    assert missing == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_translated_events_name_every_value_of_their_arguments(name: str) -> None:
    """Each listed value of an event's arguments is a translated event type or attribute."""
    entity = load_json(name)["entity"]
    missing = []
    for plan in plans():
        for item in plan.events:
            key = item.traits.translation_key
            if not key:
                continue
            attributes = entity["event"][key].get("state_attributes", {})
            translated = {s for a in attributes.values() for s in a.get("state", {})}
            missing += [
                f"{key}: {c.name}"
                for p in item.arguments
                for c in p.value_list
                if c.name not in translated
            ]
    assert missing == []


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    """A translation may not drop a string, add one, or change a placeholder."""
    english = dict(leaves(load_json("translations/en.json")))
    chinese = dict(leaves(load_json("translations/zh-Hans.json")))
    assert sorted(set(english) ^ set(chinese)) == []
    differ = [
        "::".join(path)
        for path, text in english.items()
        if placeholders(text) != placeholders(chinese[path])
    ]
    assert differ == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_brace_is_a_placeholder(name: str) -> None:
    """The frontend reads strings as ICU messages: a stray brace breaks the whole string."""
    stray = [
        "::".join(path)
        for path, text in leaves(load_json(name))
        if re.search(r"[{}]", PLACEHOLDER.sub("", text))
    ]
    assert stray == []


@pytest.mark.parametrize("name", LANGUAGE_FILES[1:])
def test_shipped_translations_have_no_references(name: str) -> None:
    """Home Assistant resolves `[%key:...%]` only for its own integrations."""
    assert [
        "::".join(path) for path, text in leaves(load_json(name)) if REFERENCE.search(text)
    ] == []


@pytest.mark.skipif(
    ha_const.__version__ != DEVELOPMENT_HA,
    reason="en.json is built with the common strings of the development target's Home Assistant",
)
def test_english_translation_is_built_from_the_current_strings() -> None:
    """translations/en.json is what script/translations.py makes of strings.json."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "script" / "translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- icons ----------------------------------------------------------------------------------


def test_entity_icons_belong_to_translated_entities() -> None:
    """Each icon is for a translation key, and each state icon for a state it can have."""
    icons = load_json("icons.json")["entity"]
    entity = load_json("strings.json")["entity"]
    stray = []
    for platform, keys in icons.items():
        for key, icon in keys.items():
            if key not in entity.get(platform, {}):
                stray.append(f"{platform}.{key}")
                continue
            known = set(entity[platform][key].get("state", {}))
            if platform in (Platform.SWITCH, Platform.BINARY_SENSOR):
                known |= {"on", "off"}
            stray += [f"{platform}.{key}: {s}" for s in icon.get("state", {}) if s not in known]
    assert stray == []


def test_icons_are_material_design_icons() -> None:
    """Every icon is an `mdi:` name, and each entity icon has a default."""
    icons = load_json("icons.json")
    for _, value in leaves(icons):
        assert re.fullmatch(r"mdi:[a-z0-9]+(-[a-z0-9]+)*", value), value
    for keys in icons["entity"].values():
        for icon in keys.values():
            assert "default" in icon


def test_every_service_has_an_icon() -> None:
    """And no icon is for a service that does not exist."""
    assert set(load_json("icons.json")["services"]) == set(services_yaml())


# --- services -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_services_yaml_and_the_services_strings_agree(name: str) -> None:
    """Same services and fields; each has a name and a description."""
    described = services_yaml()
    strings = load_json(name)["services"]
    assert set(strings) == set(described)
    for service, definition in described.items():
        texts = strings[service]
        assert texts["name"]
        assert texts["description"]
        assert set(texts["fields"]) == set(definition["fields"]), service
        for field in texts["fields"].values():
            assert field["name"]
            assert field["description"]


def test_services_yaml_selectors_are_valid() -> None:
    """Every field has a selector Home Assistant accepts; devices are ours only."""
    for service, definition in services_yaml().items():
        for field, spec in definition["fields"].items():
            assert "selector" in spec, f"{service}.{field}"
            selector.validate_selector(spec["selector"])
            if "device" in spec["selector"]:
                assert spec["selector"]["device"]["integration"] == COMPONENT.name
