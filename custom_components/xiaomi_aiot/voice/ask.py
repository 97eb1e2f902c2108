"""Questions about any property: a reading, a set point, a battery, named by its words.

The property slot holds `key:<translation key>`, `class:<device class>` or
`attr:<attribute>` (see vocabulary.py); the target is the device the agent resolved (by name,
area, type word or person), else the one device that has the property.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from .handling import Act, slot
from .responses import Responses
from .targets import Device, area_id_of, belongings, exposed, home_devices
from .vocabulary import ATTRIBUTE, DEVICE_CLASS, KEY, READABLE

DATA_VOCABULARY: Final = "xiaomi_aiot_voice_vocabulary"
UNKNOWN: Final = frozenset({"unknown", "unavailable", ""})


def devices_asked(intent_obj: intent.Intent) -> list[Device]:
    """The devices the question is about."""
    values = {key: slot(intent_obj, key) for key in ("device_id", "name", "person", "area")}
    return devices_named(intent_obj.hass, values)


def devices_named(hass: HomeAssistant, values: Mapping[str, Any]) -> list[Device]:
    """The devices a device id, a name, a person or an area (in that order) stand for."""
    devices = home_devices(hass)
    if (device_id := values.get("device_id")) is not None:
        return [d for d in devices if d.device_id == device_id]
    if (name := values.get("name")) is not None:
        entity_ids = {
            state.entity_id for state in hass.states.async_all() if state.name == str(name)
        }
        return [d for d in devices if d.name == str(name) or entity_ids & set(d.entity_ids)]
    if (person := values.get("person")) is not None:
        return belongings(hass, str(person))
    if (area := values.get("area")) is not None:
        wanted = area_id_of(hass, str(area))
        return [d for d in devices if d.area_id == wanted]
    return devices


def answerable(hass: HomeAssistant, values: Mapping[str, Any]) -> bool:
    """Whether a device the question names has the property asked about."""
    prop = str(values.get("property"))
    return any(reading(hass, device, prop) for device in devices_named(hass, values))


def reading(hass: HomeAssistant, device: Device, prop: str) -> tuple[State, str | None] | None:
    """The state that holds a device's property, and the attribute (if it is one)."""
    kind, _, name = prop.partition(":")
    kind += ":"
    candidates: list[tuple[str, str | None]] = []
    if kind == KEY:
        if entity_id := device.entity(name):
            candidates.append((entity_id, None))
    elif kind == DEVICE_CLASS:
        candidates.extend(
            (entity_id, None)
            for platform in READABLE
            if (entity_id := device.entity(f"{platform}:{name}"))
        )
    elif kind == ATTRIBUTE:
        candidates.extend((entity_id, name) for entity_id in device.entity_ids)
    for entity_id, attribute in candidates:
        state = hass.states.get(entity_id)
        if state is None:
            continue
        if attribute is not None and state.attributes.get(attribute) is None:
            continue
        if attribute is None and state.state in UNKNOWN:
            continue
        return state, attribute
    return None


def _spoken(responses: Responses, state: State, attribute: str | None) -> str:
    if attribute is not None:
        raw = state.attributes[attribute]
        unit = responses.unit(state.attributes.get("temperature_unit", "°C"))
        if attribute in {"volume_level", "brightness"}:
            scale = 100 if attribute == "volume_level" else 100 / 255
            return f"{round(float(raw) * scale)}%"
        if isinstance(raw, (int, float)):
            return responses.quantity(float(raw), unit if "temp" in attribute else "")
        return responses.state(str(raw))
    try:
        value = float(state.state)
    except ValueError:
        return responses.state(state.state)
    return responses.quantity(value, responses.unit(state.attributes.get("unit_of_measurement")))


async def _ask(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    prop = str(slot(intent_obj, "property"))
    found = [
        (device, got)
        for device in devices_asked(intent_obj)
        if (got := reading(hass, device, prop))
    ]
    vocabulary = hass.data[DATA_VOCABULARY][responses.language]
    if not found:
        about = slot(intent_obj, "name") or slot(intent_obj, "area") or slot(intent_obj, "person")
        key = "no_property_of" if about else "no_property"
        return responses.render(key, name=about, property=vocabulary.property_name(prop))
    first = responses.render(
        "property_of", name=found[0][0].name, property=vocabulary.property_name(prop)
    )
    found = exposed(hass, found, first, lambda pair: pair[1][0])
    if len(found) > 1 and slot(intent_obj, "area") is None and slot(intent_obj, "person") is None:
        return responses.render(
            "which_one", value=responses.join([device.name for device, _ in found[:4]])
        )
    answers = []
    for device, (state, attribute) in found[:3]:
        entry = er.async_get(hass).async_get(state.entity_id)
        platform = entry.domain if entry else None
        answers.append(
            responses.render(
                "property_value",
                name=device.name,
                property=vocabulary.property_name(prop, platform),
                value=_spoken(responses, state, attribute),
            )
        )
    return responses.render("joined", value=responses.join(answers))


HANDLERS: Final[dict[str, Act]] = {"XiaomiAiotAsk": _ask}
