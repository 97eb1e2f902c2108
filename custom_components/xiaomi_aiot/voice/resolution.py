"""From what was heard to what is meant: the slot lists of a home, and resolving the slots.

The slot lists hold what can be named: entities and devices, areas, people (and 我 / I / my),
device-type words, property words, sources and action names. What is not exposed to Assist is
named too, so that the answer can say so: the handlers act on and read only exposed entities
(targets.exposed). After a sentence is recognised, a type word becomes the device it means
(targets.resolve_type) and the first person becomes the speaking user's person; the intent then
sees plain names.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from ..const import DOMAIN  # noqa: TID252
from .ask import answerable
from .matcher import Recognized
from .targets import (
    LOCK,
    ME,
    Device,
    Thing,
    UnresolvedTargetError,
    belongings,
    home_devices,
    is_exposed,
    people,
    resolve_type,
    satellite_area,
    speaking_person,
)
from .text import EN, ZH, normalize_name
from .vocabulary import ATTRIBUTE, DEVICE_CLASS, KEY, READABLE, Vocabulary, offered_modes

ASK: Final = "XiaomiAiotAsk"
FIRST_PERSON: Final = {ZH: ("我", "我自己"), EN: ("i", "me", "my", "myself")}
GROUP_TYPES: Final = frozenset({"light"})
"""Types spoken of in the plural: 客厅的灯 is every light in the living room."""
ASKING: Final = frozenset(
    {"XiaomiAiotAsk", "XiaomiAiotLockState", "HassGetState", "HassTurnOn", "XiaomiAiotSpeak"}
)
"""Intents for which "the one that is on" is no hint of which device is meant."""
NAMED_BY_DEVICE: Final = frozenset({"XiaomiAiotAsk", "XiaomiAiotLockState", "XiaomiAiotPress"})
"""Intents that take a device's name; the others take an entity's."""

INTENT_DOMAINS: Final = {
    "HassLightSet": ("light",),
    "XiaomiAiotLightStep": ("light",),
    "XiaomiAiotLightExtreme": ("light",),
    "XiaomiAiotColorTempStep": ("light",),
    "XiaomiAiotColorTempSet": ("light",),
    "HassClimateSetTemperature": ("climate",),
    "XiaomiAiotSetTemperature": ("climate",),
    "XiaomiAiotTemperatureStep": ("climate",),
    "XiaomiAiotTemperatureExtreme": ("climate",),
    "XiaomiAiotClimateMode": ("climate",),
    "XiaomiAiotFanSpeed": ("climate",),
    "XiaomiAiotSetVolume": ("media_player",),
    "XiaomiAiotVolumeStep": ("media_player",),
    "XiaomiAiotPlayback": ("media_player",),
    "XiaomiAiotMute": ("media_player",),
    "XiaomiAiotSource": ("media_player",),
    "XiaomiAiotSpeak": ("media_player",),
    "XiaomiAiotFanPercentage": ("fan",),
    "XiaomiAiotFanStep": ("fan",),
    "HassSetPosition": ("cover",),
    "HassTurnOn": (
        "light",
        "climate",
        "media_player",
        "fan",
        "switch",
        "cover",
        "humidifier",
        "vacuum",
        "water_heater",
        "lock",
    ),
}
INTENT_DOMAINS["HassTurnOff"] = INTENT_DOMAINS["HassTurnOn"]
"""The domains an intent acts on: a type word means a device with an entity of one."""
VOICE_DOMAINS: Final = frozenset(
    {*INTENT_DOMAINS["HassTurnOn"], "sensor", "binary_sensor", "button", "device_tracker"}
)
"""Domains whose entities are named in the slot lists even when not exposed."""
LOCK_INTENTS: Final = {
    # Opening a lock and turning it off both unlock it: the lock intents decide if they may.
    "HassTurnOn": "XiaomiAiotUnlock",
    "HassTurnOff": "XiaomiAiotUnlock",
    "HassGetState": "XiaomiAiotLockState",
}

TARGETS: Final = frozenset({"name", "area", "type", "person", "device_id"})
"""The slots that say what a sentence speaks of."""

type Pairs = list[tuple[str, Any]]


def spoken_slot_lists(  # noqa: PLR0912 - one list per slot
    hass: HomeAssistant, language: str, vocabulary: Vocabulary
) -> tuple[dict[str, Pairs], set[str]]:
    """(spoken text, value) pairs for every slot list, and the names that are locks'."""
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    names: Pairs = []
    lock_names: set[str] = set()
    properties: Pairs = []
    sources: Pairs = []
    buttons: Pairs = []
    presets: Pairs = []
    hidden: Pairs = []
    for state in hass.states.async_all():
        shown = is_exposed(hass, state.entity_id)
        if not shown and state.domain not in VOICE_DOMAINS:
            continue
        spoken: list[tuple[Any, str]] = [(state.name, state.name)]
        entry = entities.async_get(state.entity_id)
        if entry is not None:
            spoken.extend((alias, alias) for alias in entry.aliases)
            # A device's main entity answers to the device's name too: newer releases
            # name it after its area and device ("Bedroom Bedside Lamp").
            if entry.device_id and entry.original_name is None and entry.name is None:
                device = devices.async_get(entry.device_id)
                if device is not None:
                    spoken.append((device.name_by_user or device.name, state.name))
            if entry.platform == DOMAIN and entry.translation_key:
                word = vocabulary.entity_name(entry.domain, entry.translation_key)
                if word and entry.domain == "button":
                    buttons.append((word, entry.translation_key))
                for attribute, values in vocabulary.mode_names(
                    entry.domain, entry.translation_key
                ).items():
                    offered = offered_modes(state.attributes, attribute)
                    presets.extend(
                        (word, f"{attribute}:{value}")
                        for value, word in values.items()
                        if value in offered
                    )
        for text, value in spoken:
            # Newer releases put a marker for "the entity's own name" among the aliases.
            if isinstance(text, str) and text.strip():
                target = value.strip() if value is not text else text.strip()
                (names if shown else hidden).append((text, target))
                if state.domain == "lock":
                    lock_names.add(target)
        sources.extend((str(s), str(s)) for s in state.attributes.get("source_list") or ())
    # What is not exposed is heard too, so that the answer can say it is not exposed; where
    # an exposed entity has the same name, that one is meant.
    known = {value for _, value in names}
    names.extend(pair for pair in hidden if pair[1] not in known)
    voiced = home_devices(hass)
    names.extend(_device_names(voiced, {value for _, value in names}))
    lock_names.update(d.name for d in voiced if LOCK in d.types)
    properties.extend(_device_properties(hass, voiced, vocabulary))
    areas: Pairs = [
        (text, text.strip())
        for area in ar.async_get(hass).async_list_areas()
        for text in (area.name, *area.aliases)
        if isinstance(text, str) and text.strip()
    ]
    persons: Pairs = [(name, name) for name in people(hass)]
    persons.extend((word, ME) for word in FIRST_PERSON.get(language, ()))
    present = {kind for d in voiced for kind in d.types}
    types: Pairs = [
        (word, kind)
        for kind, words in vocabulary.type_words.items()
        if kind in present
        for word in words
    ]
    for prop, words in vocabulary.property_words.items():
        if prop.startswith((DEVICE_CLASS, ATTRIBUTE, KEY)):
            properties.extend((word, prop) for word in words)
    lists = {
        "name": names,
        "area": areas,
        "person": persons,
        "type": types,
        "property": properties,
        "source": sources,
        "button": buttons,
        "preset": presets,
    }
    normalized = {
        slot: list(dict.fromkeys((normalize_name(text, language), value) for text, value in pairs))
        for slot, pairs in lists.items()
    }
    return normalized, lock_names


def _device_names(devices: list[Device], known: set[str]) -> Pairs:
    """Devices by their own names, where no entity has that name."""
    return [(d.name, d.name) for d in devices if d.name and d.name not in known]


def _device_properties(hass: HomeAssistant, devices: list[Device], vocabulary: Vocabulary) -> Pairs:
    """The translated names of the devices' readable entities, as property words."""
    entities = er.async_get(hass)
    found: Pairs = []
    for device in devices:
        for entity_id in device.entity_ids:
            entry = entities.async_get(entity_id)
            if entry is None or entry.platform != DOMAIN or not entry.translation_key:
                continue
            if entry.domain in READABLE and (
                word := vocabulary.entity_name(entry.domain, entry.translation_key)
            ):
                found.append((word, f"{KEY}{entry.translation_key}"))
    return found


class Resolver:
    """Turns type words and the first person into the devices and people they mean."""

    def __init__(self, hass: HomeAssistant, context: Context | None, device_id: str | None) -> None:
        """For a sentence heard by `device_id` (a satellite, if any), said by `context`'s user."""
        self._hass = hass
        self._context = context
        self._satellite = device_id

    def first(self, readings: list[Recognized]) -> Recognized:
        """The first reading whose targets resolve to devices that can do what it asks.

        Once a type word fitted several devices, a reading that names no target is not meant:
        "空调调到24度" with two air conditioners on asks which one, rather than pick one.
        """
        failure: UnresolvedTargetError | None = None
        unanswerable: Recognized | None = None
        for reading in readings:
            if (
                failure is not None
                and failure.key == "which_one"
                and not TARGETS & reading.slots.keys()
            ):
                continue
            try:
                resolved = self.resolve(reading)
            except UnresolvedTargetError as err:
                if failure is None or (failure.key == "no_type_target" and err.candidates):
                    failure = err
                    failure.reading = reading
                continue
            if resolved.intent == ASK and not answerable(
                self._hass, {key: value for key, (value, _) in resolved.slots.items()}
            ):
                # 电量 is a battery's charge and an AC's energy: the one the device has.
                unanswerable = unanswerable or resolved
                continue
            return resolved
        if unanswerable is not None:
            return unanswerable
        assert failure is not None
        raise failure

    def resolve(self, found: Recognized) -> Recognized:
        """The recognised intent with plain names; `UnresolvedTargetError` for a question back."""
        slots = dict(found.slots)
        if slots.get("person", (None, ""))[0] == ME:
            person = speaking_person(self._hass, self._context)
            if person is None:
                raise UnresolvedTargetError("who_is_me", [])
            slots["person"] = (person, person)
        intent_type = found.intent
        if "type" in slots:
            intent_type = self._resolve_type(found.intent, slots)
        elif "name" in slots:
            intent_type = self._resolve_device_name(intent_type, slots)
        return replace(found, intent=intent_type, slots=slots)

    def _resolve_device_name(self, intent_type: str, slots: dict[str, tuple[Any, str]]) -> str:
        """A device's own name (no entity has it) means the device's entity for the intent."""
        name = str(slots["name"][0])
        if any(state.name == name for state in self._hass.states.async_all()):
            return intent_type
        device = next((d for d in home_devices(self._hass) if d.name == name), None)
        if device is None:
            return intent_type
        slots["device_id"] = (device.device_id, device.name)
        if LOCK in device.types:
            return LOCK_INTENTS.get(intent_type, intent_type)
        if intent_type in NAMED_BY_DEVICE:
            return intent_type
        for domain in INTENT_DOMAINS.get(intent_type, ()):
            if (entity_id := device.entity(domain)) and (state := self._hass.states.get(entity_id)):
                slots["name"] = (state.name, state.name)
                break
        return intent_type

    def _resolve_type(self, intent_type: str, slots: dict[str, tuple[Any, str]]) -> str:
        """Put the device a type word means into the slots; the intent to handle."""
        kind = str(slots.pop("type")[0])
        if "person" in slots:
            # 我的手环, Dad's phone: the person's device of that type.
            person = str(slots.pop("person")[0])
            owned = [d for d in belongings(self._hass, person) if kind in d.types]
            if len(owned) != 1:
                raise UnresolvedTargetError("no_type_target", [])
            slots["name"] = (owned[0].name, owned[0].name)
            slots["device_id"] = (owned[0].device_id, owned[0].name)
            return intent_type
        area = slots.get("area", (None, ""))[0]
        satellite = satellite_area(self._hass, self._satellite)
        if kind in GROUP_TYPES:
            if area is None and satellite is not None:
                area_entry = ar.async_get(self._hass).async_get_area(satellite)
                area = area_entry.name if area_entry else None
            if area is not None:
                slots["area"] = (area, area)
                slots["domain"] = (kind, kind)
                return intent_type
        domains = None if kind == LOCK else INTENT_DOMAINS.get(intent_type)
        try:
            things = resolve_type(
                self._hass,
                kind,
                area=None if area is None else str(area),
                satellite=satellite,
                acting=intent_type not in ASKING,
                domains=domains,
            )
        except UnresolvedTargetError as err:
            err.kind = kind
            raise
        return self._named(intent_type, slots, kind, things[0])

    def choose(self, found: Recognized, kind: str, thing: Thing) -> Recognized:
        """The reading that asked back "which one?", with the device the user chose."""
        slots = dict(found.slots)
        slots.pop("type", None)
        intent_type = self._named(found.intent, slots, kind, thing)
        return replace(found, intent=intent_type, slots=slots)

    def _named(
        self, intent_type: str, slots: dict[str, tuple[Any, str]], kind: str, thing: Thing
    ) -> str:
        """Name the device a type word stands for in the slots; the intent to handle."""
        domains = None if kind == LOCK else INTENT_DOMAINS.get(intent_type)
        slots.pop("area", None)
        if kind == LOCK:
            intent_type = LOCK_INTENTS.get(intent_type, intent_type)
        if (intent_type in NAMED_BY_DEVICE or kind == LOCK) and thing.device is not None:
            slots["name"] = (thing.device.name, thing.device.name)
            slots["device_id"] = (thing.device.device_id, thing.device.name)
        else:
            entity_id = thing.entity_id
            if domains and thing.device is not None:
                entity_id = next(
                    (e for d in domains if (e := thing.device.entity(d)) is not None), entity_id
                )
            state = self._hass.states.get(entity_id)
            name = state.name if state else thing.name
            slots["name"] = (name, name)
        return intent_type
