"""The words for device types, properties and actions: the integration's translations first.

An entity's translated name (translations/<language>.json, `entity.<platform>.<key>.name`) is
what it is called: 电视, 空调, 续航里程, 播放音乐. Device classes (电量 for a battery) and a few
attributes (设定温度, a climate entity's target) have their words in responses/<language>.yaml,
as do the other names people use for a type (电视机, 灯光).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from .responses import RESPONSES
from .targets import ROLE_TYPES

TRANSLATIONS: Final = Path(__file__).parents[1] / "translations"
KEY: Final = "key:"
DEVICE_CLASS: Final = "class:"
ATTRIBUTE: Final = "attr:"
READABLE: Final = ("sensor", "binary_sensor", "number", "select", "switch")
MODE_ATTRIBUTES: Final = ("preset_mode", "effect", "mode", "fan_mode")
"""Attributes whose values are modes a user names: a fan's preset, a light's effect."""
"""Platforms whose entities answer a question about a property."""


def offered_modes(attributes: Mapping[str, Any], attribute: str) -> set[str]:
    """The values an entity offers for a mode attribute (preset_modes, effect_list, ...)."""
    keys = (f"{attribute}s", f"{attribute}_list", f"available_{attribute}s")
    return {str(value) for key in keys for value in attributes.get(key) or ()}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One language's words for types, properties and actions."""

    entity_names: dict[tuple[str, str], str]
    type_words: dict[str, list[str]]
    property_words: dict[str, list[str]]
    modes: dict[tuple[str, str], dict[str, dict[str, str]]]
    """Translated names of modes, presets and effects: (platform, key) -> attribute -> value."""

    @classmethod
    def load(cls, language: str) -> Vocabulary:
        """Read a language's translations and word lists (blocking: run in the executor)."""
        translations = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
        names: dict[tuple[str, str], str] = {}
        modes: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        for platform, keys in translations.get("entity", {}).items():
            for key, entry in keys.items():
                for attribute, values in (entry.get("state_attributes") or {}).items():
                    if attribute in MODE_ATTRIBUTES and isinstance(values.get("state"), dict):
                        modes.setdefault((platform, key), {})[attribute] = values["state"]
                name = entry.get("name") if isinstance(entry, dict) else None
                if isinstance(name, str) and "{" not in name:
                    names[(platform, key)] = name
        templates: dict[str, Any] = yaml.safe_load(
            (RESPONSES / f"{language}.yaml").read_text("utf-8")
        )
        types: dict[str, list[str]] = {}
        for kind, platform in ROLE_TYPES.items():
            if (name := names.get((platform, kind))) is not None:
                types.setdefault(kind, []).append(name)
        for kind, words in (templates.get("type_words") or {}).items():
            types.setdefault(kind, []).extend(words)
        properties = {
            str(key): list(words) for key, words in (templates.get("property_words") or {}).items()
        }
        return cls(names, types, properties, modes)

    def mode_names(self, platform: str, key: str) -> dict[str, dict[str, str]]:
        """An entity's translated modes by attribute, by its platform and translation key."""
        return self.modes.get((platform, key), {})

    def entity_name(self, platform: str, key: str) -> str | None:
        """An entity's translated name by its platform and translation key."""
        return self.entity_names.get((platform, key))

    def type_name(self, kind: str) -> str:
        """What a type is called: the first of its words."""
        words = self.type_words.get(kind)
        return words[0] if words else kind.replace("_", " ")

    def property_name(self, prop: str, platform: str | None = None) -> str:
        """What a property (key:…, class:… or attr:…) is called."""
        if prop.startswith(KEY):
            for (entity_platform, key), name in self.entity_names.items():
                if key == prop[len(KEY) :] and platform in (None, entity_platform):
                    return name
        words = self.property_words.get(prop)
        return words[0] if words else prop.partition(":")[2].replace("_", " ")
