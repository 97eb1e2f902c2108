"""What a sentence speaks of, found as a person would: by name, area, device-type word, person.

A device-type word (电视, 空调, "the TV") stands for the one device of that type, or the one in
the named area, or in the area of the satellite that heard it; more than one gets a question
that names them. 我 / "I" / "my" is the person of the Home Assistant user who speaks, else the
home's only person.

Types come from the integration's own tables: a device is of the type its main entity's
translation key says (`mapping.ROLES`), or of the type a translation key only that kind of
device has (the car's range, a phone's ring action, a watch's heart rate). Entities of other
integrations are typed by their domain and device class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import ATTR_DEVICE_CLASS
from homeassistant.core import Context, Event, HomeAssistant, State, callback
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN  # noqa: TID252
from ..mapping import (  # noqa: TID252
    KEY_CABIN_CLIMATE,
    KEY_DOOR_LOCK_STATE,
    KEY_DRIVING_RANGE,
    KEY_HEART_RATE,
    KEY_LOCATION,
    KEY_LOCK_STATUS,
    KEY_RING_PHONE,
    KEY_SLEEP_DURATION,
    KEY_STEPS,
    ROLES,
)
from .matcher import Recognized

ASSISTANT: Final = "conversation"
ME: Final = "__me__"
"""The person slot's value for 我 / "I" / "my": the speaking user's person."""
CAR: Final = "car"
PHONE: Final = "phone"
WATCH: Final = "watch"
LOCK: Final = "lock"
ROLE_TYPES: Final = {
    role.translation_key: role.platform.value
    for role in ROLES
    if role.translation_key not in (KEY_LOCATION, KEY_CABIN_CLIMATE)
}
"""A main entity's translation key is its device's type; the platform holds its translation.
A tracker and a car's climate are parts of a device, not what it is."""
MARKERS: Final = {
    KEY_DRIVING_RANGE: CAR,
    KEY_RING_PHONE: PHONE,
    KEY_HEART_RATE: WATCH,
    KEY_STEPS: WATCH,
    KEY_SLEEP_DURATION: WATCH,
    KEY_LOCK_STATUS: LOCK,
    KEY_DOOR_LOCK_STATE: LOCK,
}
"""Translation keys only one kind of device has: a device with one is of that type."""
OWN_TYPES: Final = frozenset({CAR, PHONE, WATCH})
"""Types whose parts carry no type of their own: the car's lock is not a door lock."""
PERSONAL: Final = frozenset({PHONE, WATCH})
FOREIGN_TYPES: Final = {
    "light": "light",
    "climate": "air_conditioner",
    "lock": LOCK,
    "media_player:tv": "television",
    "media_player:speaker": "speaker",
    "media_player:receiver": "speaker",
    "fan": "fan",
    "vacuum": "vacuum",
    "cover:curtain": "curtain",
    "cover:shade": "curtain",
    "humidifier:humidifier": "humidifier",
    "humidifier:dehumidifier": "dehumidifier",
    "water_heater": "water_heater",
}
"""Types of other integrations' entities, by `domain:device class` or domain."""
_OWNER: Final = re.compile(r"^(.+?)(?:'s|\u2019s|的)\s*\S.*$")


def is_exposed(hass: HomeAssistant, entity_id: str) -> bool:
    """Whether the user lets voice assistants see this entity."""
    return bool(async_should_expose(hass, ASSISTANT, entity_id))


class NotExposedError(intent.IntentError):
    """What a sentence named is there but not exposed to Assist: said so, nothing done."""

    def __init__(self, name: str) -> None:
        """`name`: the target as the answer names it."""
        super().__init__(name)
        self.name = name


def exposed[T](
    hass: HomeAssistant,
    found: Iterable[T],
    name: str,
    entity_of: Callable[[T], str | State | None] = lambda item: item,  # type: ignore[assignment,return-value]
) -> list[T]:
    """The gate every handler passes: the exposed ones of what it found, or `NotExposedError`
    naming `name` when it found some and none is exposed.

    `entity_of` gives an item's entity (a state or an id); an item without one (None) is kept,
    there being nothing of it to hide, and does not count for the error.
    """
    entities = [(item, entity_of(item)) for item in found]
    hidden = {
        id(item)
        for item, entity in entities
        if entity is not None
        and not is_exposed(hass, entity.entity_id if isinstance(entity, State) else entity)
    }
    if hidden and len(hidden) == sum(entity is not None for _, entity in entities):
        raise NotExposedError(name)
    return [item for item, _ in entities if id(item) not in hidden]


def owner_of(device_name: str) -> str | None:
    """Whose a device is, by its name: Alice's Phone -> Alice, 妈妈的手表 -> 妈妈."""
    match = _OWNER.match(device_name)
    return match.group(1).strip() if match else None


@dataclass(slots=True)
class Device:
    """A device as voice sees it: its name, area, type and entities by translation key."""

    device_id: str
    name: str
    area_id: str | None
    types: set[str] = field(default_factory=set)
    by_key: dict[str, str] = field(default_factory=dict)
    entity_ids: list[str] = field(default_factory=list)
    main: dict[str, str] = field(default_factory=dict)
    """The entity that carries each of the device's types."""

    def entity(self, key: str) -> str | None:
        """The entity id for a translation key, `<domain>:<device class>` or a domain."""
        return self.by_key.get(key)


@dataclass(frozen=True, slots=True)
class Thing:
    """One target a type word or name resolved to: an entity, on a device or not."""

    entity_id: str
    name: str
    device: Device | None


DATA_HOME_DEVICES: HassKey[list[list[Device]]] = HassKey(f"{DOMAIN}_voice_devices")
"""The devices `home_devices` found, until the entity or device registry next changes."""


@callback
def home_devices(hass: HomeAssistant) -> list[Device]:
    """Every device with entities, typed, and its entities keyed by translation key.

    Walked once per change of the registries (the walk reads nothing else); read-only.
    """
    cache = hass.data.get(DATA_HOME_DEVICES)
    if cache is None:
        cache = hass.data[DATA_HOME_DEVICES] = []

        @callback
        def forget(_event: Event[Any]) -> None:
            cache.clear()

        for event_type in (er.EVENT_ENTITY_REGISTRY_UPDATED, dr.EVENT_DEVICE_REGISTRY_UPDATED):
            hass.bus.async_listen(event_type, forget)
    if not cache:
        cache.append(_walk_devices(hass))
    return list(cache[0])


def _walk_devices(hass: HomeAssistant) -> list[Device]:
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    found: dict[str, Device] = {}
    for entry in entities.entities.values():
        if entry.device_id is None or entry.disabled:
            continue
        device = found.get(entry.device_id)
        if device is None:
            registered = devices.async_get(entry.device_id)
            if registered is None:
                continue
            name = registered.name_by_user or registered.name or ""
            device = found[entry.device_id] = Device(entry.device_id, name, registered.area_id)
        device.entity_ids.append(entry.entity_id)
        device_class = entry.device_class or entry.original_device_class
        if entry.platform == DOMAIN and entry.translation_key:
            device.by_key.setdefault(entry.translation_key, entry.entity_id)
        device.by_key.setdefault(f"{entry.domain}:{device_class}", entry.entity_id)
        device.by_key.setdefault(entry.domain, entry.entity_id)
        for kind in _types_of(entry, device_class):
            device.types.add(kind)
            device.main.setdefault(kind, entry.entity_id)
    for device in found.values():
        if own := device.types & OWN_TYPES:
            device.types = set(own)
    return list(found.values())


def _types_of(entry: er.RegistryEntry, device_class: str | None) -> Iterable[str]:
    key = entry.translation_key if entry.platform == DOMAIN else None
    if key in MARKERS:
        yield MARKERS[key]
    elif key in ROLE_TYPES and ROLE_TYPES[key] == entry.domain:
        yield key
    elif entry.platform != DOMAIN:
        kind = FOREIGN_TYPES.get(f"{entry.domain}:{device_class}") or FOREIGN_TYPES.get(
            entry.domain
        )
        if kind:
            yield kind


@callback
def car_of(hass: HomeAssistant) -> Device | None:
    """The home's car, if it has one."""
    return next((d for d in home_devices(hass) if CAR in d.types), None)


@callback
def people(hass: HomeAssistant) -> list[str]:
    """People known by Home Assistant's persons and by their phones' and watches' names."""
    names = [state.name for state in hass.states.async_all("person")]
    names.extend(
        owner
        for device in home_devices(hass)
        if device.types & PERSONAL and (owner := owner_of(device.name))
    )
    return list(dict.fromkeys(names))


@callback
def belongings(hass: HomeAssistant, person: str | None) -> list[Device]:
    """A person's phones and watches: named after them, or tracked for their person entity."""
    wanted = (person or "").casefold()
    trackers: set[str] = set()
    for state in hass.states.async_all("person"):
        if person is None or state.name.casefold() == wanted:
            trackers.update(state.attributes.get("device_trackers") or ())
    return [
        device
        for device in home_devices(hass)
        if device.types & PERSONAL
        and (
            person is None
            or (owner_of(device.name) or "").casefold() == wanted
            or trackers & set(device.entity_ids)
        )
    ]


@callback
def speaking_person(hass: HomeAssistant, context: Context | None) -> str | None:
    """The person of the user who speaks; else the home's only person; else None.

    The home's people are its persons and the owners its phones and watches are named after.
    """
    user_id = context.user_id if context else None
    if user_id:
        for state in hass.states.async_all("person"):
            if state.attributes.get("user_id") == user_id:
                return state.name
    known = people(hass)
    return known[0] if len(known) == 1 else None


@callback
def satellite_area(hass: HomeAssistant, device_id: str | None) -> str | None:
    """The area of the device (a voice satellite) that heard the sentence."""
    if device_id is None:
        return None
    device = dr.async_get(hass).async_get(device_id)
    return device.area_id if device else None


def area_id_of(hass: HomeAssistant, area_name: str | None) -> str | None:
    """The area id for a spoken area name or alias."""
    if not area_name:
        return None
    registry = ar.async_get(hass)
    area = registry.async_get_area_by_name(area_name)
    if area is None:
        wanted = area_name.casefold()
        area = next(
            (
                a
                for a in registry.async_list_areas()
                if wanted in {alias.casefold() for alias in a.aliases}
            ),
            None,
        )
    return area.id if area else None


def entity_area(hass: HomeAssistant, entity_id: str, device: Device | None) -> str | None:
    """An entity's own area, else its device's."""
    entry = er.async_get(hass).async_get(entity_id)
    if entry is not None and entry.area_id:
        return entry.area_id
    return device.area_id if device else None


class UnresolvedTargetError(Exception):
    """A type word that matched no device, or more than one: the question to ask back."""

    def __init__(self, key: str, candidates: list[Thing]) -> None:
        """`key` is the answer's template: no_type_target or which_one."""
        super().__init__(key)
        self.key = key
        self.candidates = candidates
        self.kind: str | None = None
        """The type word's type, once the resolver knows it."""
        self.reading: Recognized | None = None
        """The reading that asked, once the resolver knows it."""


@callback
def of_type(hass: HomeAssistant, kind: str) -> list[Thing]:
    """The devices of a type with an exposed entity, each as its main entity if that one is
    exposed; when none has one, every device of the type (its handler then says which is not
    exposed, rather than that there is no such device)."""
    found: list[Thing] = []
    hidden: list[Thing] = []
    for device in home_devices(hass):
        if kind not in device.types or hass.states.get(device.main[kind]) is None:
            continue
        shown = [
            entity_id
            for entity_id in (device.main[kind], *device.entity_ids)
            if hass.states.get(entity_id) is not None and is_exposed(hass, entity_id)
        ]
        if shown:
            found.append(Thing(shown[0], device.name, device))
        else:
            hidden.append(Thing(device.main[kind], device.name, device))
    return found or hidden


@callback
def resolve_type(
    hass: HomeAssistant,
    kind: str,
    *,
    area: str | None,
    satellite: str | None,
    acting: bool,
    domains: tuple[str, ...] | None = None,
) -> list[Thing]:
    """The device a type word means, as a person would find it; `UnresolvedTargetError` when unsure.

    `acting` (a change rather than a question or turning on): among several, the one that is
    on is meant. `domains`: only devices with an entity of one of them can do what is asked.
    """
    candidates = of_type(hass, kind)
    if domains:
        candidates = [
            t for t in candidates if t.device is None or any(t.device.entity(d) for d in domains)
        ]
    if area is not None:
        wanted = area_id_of(hass, area)
        candidates = [t for t in candidates if entity_area(hass, t.entity_id, t.device) == wanted]
    if not candidates:
        raise UnresolvedTargetError("no_type_target", [])
    if len(candidates) > 1 and area is None and satellite is not None:
        here = [t for t in candidates if entity_area(hass, t.entity_id, t.device) == satellite]
        candidates = here or candidates
    if len(candidates) > 1 and acting:
        on = [t for t in candidates if _is_on(hass.states.get(t.entity_id))]
        candidates = on if len(on) == 1 else candidates
    if len(candidates) > 1:
        raise UnresolvedTargetError("which_one", candidates)
    return candidates


def _is_on(state: State | None) -> bool:
    return state is not None and state.state not in ("off", "unavailable", "unknown", "standby")


def device_class_of(state: State) -> str | None:
    """A state's device class attribute."""
    value = state.attributes.get(ATTR_DEVICE_CLASS)
    return str(value) if value else None
