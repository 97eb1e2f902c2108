"""Our own intents (XiaomiAiot…): what Home Assistant's built-in intents do not cover.

Each handler acts through Home Assistant services, so it works for any exposed entity, not only
ours; the car and people are found through our integration's entities by translation key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import ATTR_ENTITY_ID, STATE_HOME, STATE_NOT_HOME
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from ..const import CONF_ALLOW_UNLOCK_BY_VOICE, DOMAIN, SERVICE_SPEAK  # noqa: TID252
from .responses import Responses
from .text import EN, canonical_language

DATA_RESPONSES: Final = f"{DOMAIN}_voice_responses"
ASSISTANT: Final = "conversation"
LIGHT_STEP: Final = 20
"""Percent of brightness that 一点 / "a bit" means."""
COLOR_TEMP_STEP: Final = 500
VOLUME_STEP: Final = 0.1
TEMPERATURE_STEP: Final = 1.0
RELATIVE_FAN_LEVELS: Final = {"low": 0.0, "medium": 0.5, "high": 1.0}
"""Where a spoken fan speed lies among a unit's numbered levels, from lowest to highest."""
CAR_KEY: Final = "driving_range"
"""A translation key only a car has: its device is the car."""
PERSON_KEYS: Final = frozenset({"steps", "heart_rate", "sleep_duration", "ring_phone"})
_OWNER: Final = re.compile(r"^(.+?)(?:'s|\u2019s|的)\s*\S.*$")


def responses_for(hass: HomeAssistant, language: str) -> Responses:
    """The answer templates of a language, loaded by the agent."""
    table: dict[str, Responses] = hass.data[DATA_RESPONSES]
    return table[canonical_language(language) or EN]


def unlock_allowed(hass: HomeAssistant) -> bool:
    """Whether a loaded entry of ours allows unlocking by voice."""
    return any(
        entry.options.get(CONF_ALLOW_UNLOCK_BY_VOICE, False)
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
    )


def owner_of(device_name: str) -> str | None:
    """Whose a device is, by its name: Alice's Phone -> Alice, 妈妈的手表 -> 妈妈."""
    match = _OWNER.match(device_name)
    return match.group(1).strip() if match else None


@dataclass(slots=True)
class OwnEntities:
    """Our integration's entities on one device, by translation key or device class."""

    device_id: str
    name: str
    by_key: dict[str, str] = field(default_factory=dict)

    def entity(self, key: str) -> str | None:
        """The entity id for a translation key (or `<domain>:<device class>`)."""
        return self.by_key.get(key)


@callback
def own_devices(hass: HomeAssistant) -> list[OwnEntities]:
    """Every device of ours with its entities keyed by translation key."""
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    found: dict[str, OwnEntities] = {}
    for entry in entities.entities.values():
        if entry.platform != DOMAIN or entry.device_id is None or entry.disabled:
            continue
        own = found.get(entry.device_id)
        if own is None:
            device = devices.async_get(entry.device_id)
            if device is None:
                continue
            name = device.name_by_user or device.name or ""
            own = found[entry.device_id] = OwnEntities(entry.device_id, name)
        if entry.translation_key:
            own.by_key.setdefault(entry.translation_key, entry.entity_id)
        device_class = entry.device_class or entry.original_device_class
        own.by_key.setdefault(f"{entry.domain}:{device_class}", entry.entity_id)
        own.by_key.setdefault(entry.domain, entry.entity_id)
    return list(found.values())


@callback
def people(hass: HomeAssistant) -> list[str]:
    """People known by their phones and watches, and Home Assistant's persons."""
    names = [state.name for state in hass.states.async_all("person")]
    names.extend(
        owner
        for own in own_devices(hass)
        if PERSON_KEYS & own.by_key.keys() and (owner := owner_of(own.name))
    )
    return list(dict.fromkeys(names))


def _slot(intent_obj: intent.Intent, name: str) -> Any:
    value = intent_obj.slots.get(name)
    return None if value is None else value.get("value")


def _slot_text(intent_obj: intent.Intent, name: str) -> str | None:
    value = intent_obj.slots.get(name)
    return None if value is None else str(value.get("text") or value.get("value"))


def _number(state: State | None, attribute: str | None = None) -> float | None:
    if state is None:
        return None
    raw: Any = state.state if attribute is None else state.attributes.get(attribute)
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


class XiaomiIntentHandler(intent.IntentHandler):
    """A handler that answers in the user's language from the response templates."""

    def __init__(self, intent_type: str, act: Callable[..., Any]) -> None:
        """Handle `intent_type` with `act(handler, intent_obj, responses) -> speech`."""
        self.intent_type = intent_type
        self._act = act

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Act, then answer."""
        responses = responses_for(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        speech = await self._act(intent_obj, responses, response)
        response.async_set_speech(speech)
        return response


def _targets(
    intent_obj: intent.Intent,
    domains: Iterable[str],
    *,
    exclude_car: bool = True,
    car_fallback: bool = True,
    prefer_on: bool = True,
) -> list[State]:
    """Exposed entities the intent names (by name or area), or all of the domains.

    Unnamed, the car's entities are left out, unless they are all there is and
    `car_fallback` allows them (never for locks: "lock the door" is not the car's door).
    """
    hass = intent_obj.hass
    name = _slot(intent_obj, "name")
    area = _slot(intent_obj, "area")
    constraints = intent.MatchTargetsConstraints(
        name=name, area_name=area, domains=list(domains), assistant=intent_obj.assistant
    )
    result = intent.async_match_targets(hass, constraints)
    if not result.is_match:
        raise intent.MatchFailedError(result=result, constraints=constraints)
    states = list(result.states)
    if name is None and exclude_car:
        car = {
            entity_id
            for own in own_devices(hass)
            if own.entity(CAR_KEY)
            for entity_id in own.by_key.values()
        }
        others = [state for state in states if state.entity_id not in car]
        states = others or (states if car_fallback else [])
    if name is None and area is None and prefer_on and len(states) > 1:
        states = [state for state in states if state.state not in ("off", "unavailable")] or states
    return states


def _names(states: list[State]) -> str:
    return "、".join(state.name for state in states[:3])


async def _call(
    hass: HomeAssistant, domain: str, service: str, states: list[State], **data: Any
) -> None:
    await hass.services.async_call(
        domain,
        service,
        {ATTR_ENTITY_ID: [state.entity_id for state in states], **data},
        blocking=True,
    )


# --- lights -----------------------------------------------------------------------------------


async def _light_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["light"])
    step = float(_slot(intent_obj, "percent") or LIGHT_STEP)
    sign = 1 if _slot(intent_obj, "direction") == "up" else -1
    levels = []
    for state in states:
        current = (state.attributes.get("brightness") or 0) * 100 / 255
        if state.state != "on":
            current = 0
        level = max(1, min(100, round(current + sign * step)))
        levels.append(level)
        await _call(intent_obj.hass, "light", "turn_on", [state], brightness_pct=level)
    return responses.render("light_step", name=_names(states), value=levels[0])


async def _light_extreme(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["light"])
    level = 100 if _slot(intent_obj, "level") == "max" else 1
    await _call(intent_obj.hass, "light", "turn_on", states, brightness_pct=level)
    return responses.render("light_extreme", name=_names(states), value=level)


async def _color_temp_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["light"])
    sign = -1 if _slot(intent_obj, "direction") == "warm" else 1
    kelvin = 0
    for state in states:
        low = state.attributes.get("min_color_temp_kelvin") or 2700
        high = state.attributes.get("max_color_temp_kelvin") or 6500
        current = state.attributes.get("color_temp_kelvin") or (low + high) // 2
        kelvin = max(low, min(high, current + sign * COLOR_TEMP_STEP))
        await _call(intent_obj.hass, "light", "turn_on", [state], color_temp_kelvin=kelvin)
    return responses.render("color_temp_step", name=_names(states), value=kelvin)


# --- climate ----------------------------------------------------------------------------------


async def _set_temperature(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["climate"])[:1]
    value = float(_slot(intent_obj, "temperature"))
    await _call(intent_obj.hass, "climate", "set_temperature", states, temperature=value)
    return responses.render("set_temperature", name=_names(states), value=value)


async def _temperature_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["climate"])[:1]
    step = float(_slot(intent_obj, "degrees") or TEMPERATURE_STEP)
    sign = 1 if _slot(intent_obj, "direction") == "up" else -1
    current = _number(states[0], "temperature") or 24.0
    value = current + sign * step
    await _call(intent_obj.hass, "climate", "set_temperature", states, temperature=value)
    return responses.render("set_temperature", name=_names(states), value=value)


async def _climate_mode(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["climate"])[:1]
    mode = str(_slot(intent_obj, "hvac_mode"))
    await _call(intent_obj.hass, "climate", "set_hvac_mode", states, hvac_mode=mode)
    return responses.render("climate_mode", name=_names(states), value=responses.state(mode))


async def _fan_speed(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _targets(intent_obj, ["climate"])[:1]
    mode = _fan_mode_of(states[0], str(_slot(intent_obj, "fan_mode")))
    await _call(intent_obj.hass, "climate", "set_fan_mode", states, fan_mode=mode)
    return responses.render("fan_speed", name=_names(states), value=responses.state(mode))


def _fan_mode_of(state: State, spoken: str) -> str:
    """The entity's fan mode for a spoken one: "high" is the top of numbered levels.

    A unit whose spec names its levels low / medium / high takes the words as they are; one
    with numbered levels (Level1..Level7) takes low, medium and high as its lowest, middle
    and highest level.
    """
    modes = [str(mode) for mode in state.attributes.get("fan_modes") or ()]
    levels = [mode for mode in modes if mode != "auto"]
    if spoken in modes or spoken not in RELATIVE_FAN_LEVELS or not levels:
        return spoken
    return levels[round(RELATIVE_FAN_LEVELS[spoken] * (len(levels) - 1))]


def _area_label(intent_obj: intent.Intent, states: list[State]) -> str:
    return _slot_text(intent_obj, "area") or _slot_text(intent_obj, "name") or states[0].name


async def _room_value(
    intent_obj: intent.Intent,
    responses: Responses,
    response: intent.IntentResponse,
    *,
    device_class: str,
    attribute: str,
    key: str,
) -> str:
    """A room's temperature or humidity: a sensor there, else a climate entity's reading."""
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    constraints = intent.MatchTargetsConstraints(
        name=_slot(intent_obj, "name"),
        area_name=_slot(intent_obj, "area"),
        domains=["sensor", "climate"],
        device_classes=None,
        assistant=intent_obj.assistant,
    )
    result = intent.async_match_targets(hass, constraints)
    states = [s for s in result.states if s.attributes.get("device_class") == device_class]
    if not states:
        states = [s for s in result.states if s.domain == "climate"]
        states = [s for s in states if _number(s, attribute) is not None]
        value = _number(states[0], attribute) if states else None
    else:
        value = _number(states[0])
    if not states or value is None:
        if not result.is_match:
            raise intent.MatchFailedError(result=result, constraints=constraints)
        return responses.render("no_value", name=_area_label(intent_obj, result.states))
    return responses.render(key, area=_area_label(intent_obj, states), value=value)


async def _temperature(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    return await _room_value(
        intent_obj,
        responses,
        response,
        device_class="temperature",
        attribute="current_temperature",
        key="temperature",
    )


async def _humidity(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    return await _room_value(
        intent_obj,
        responses,
        response,
        device_class="humidity",
        attribute="current_humidity",
        key="humidity",
    )


# --- media ------------------------------------------------------------------------------------


def _media_targets(intent_obj: intent.Intent) -> list[State]:
    states = _targets(intent_obj, ["media_player"])
    if _slot(intent_obj, "name") is None and _slot(intent_obj, "area") is None:
        playing = [s for s in states if s.state in ("on", "playing")]
        states = playing[:1] or states[:1]
    return states


async def _set_volume(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _media_targets(intent_obj)
    level = float(_slot(intent_obj, "volume"))
    await _call(intent_obj.hass, "media_player", "volume_set", states, volume_level=level / 100)
    return responses.render("volume", name=_names(states), value=level)


async def _volume_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _media_targets(intent_obj)
    sign = 1 if _slot(intent_obj, "direction") == "up" else -1
    level = 0.0
    for state in states:
        current = _number(state, "volume_level") or 0.0
        level = round(max(0.0, min(1.0, current + sign * VOLUME_STEP)), 2)
        await _call(intent_obj.hass, "media_player", "volume_set", [state], volume_level=level)
    return responses.render("volume", name=_names(states), value=round(level * 100))


async def _speak(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Make a Xiao Ai speaker say a sentence: the speak action finds its spec's play-text."""
    hass = intent_obj.hass
    states = _targets(intent_obj, ["media_player"])[:1]
    message = str(_slot_text(intent_obj, "message") or "").strip()
    entry = er.async_get(hass).async_get(states[0].entity_id)
    if entry is None or entry.device_id is None or entry.platform != DOMAIN:
        return responses.render("no_target")
    await hass.services.async_call(
        DOMAIN, SERVICE_SPEAK, {"device_id": entry.device_id, "text": message}, blocking=True
    )
    return responses.render("speak", name=states[0].name, value=message)


# --- locks ------------------------------------------------------------------------------------


def _lock_targets(intent_obj: intent.Intent) -> list[State]:
    if _slot(intent_obj, "target") == "car":
        car = _car(intent_obj.hass)
        entity_id = car.entity(CAR_LOCK) if car else None
        state = intent_obj.hass.states.get(entity_id) if entity_id else None
        if state is None:
            raise intent.IntentHandleError("no car lock")
        return [state]
    return _targets(intent_obj, ["lock"], car_fallback=False, prefer_on=False)[:1]


async def _lock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = _lock_targets(intent_obj)
    if not states:
        return responses.render("no_door_lock")
    await _call(intent_obj.hass, "lock", "lock", states)
    return responses.render("locked", name=_names(states))


async def _unlock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    if not unlock_allowed(intent_obj.hass):
        return responses.render("unlock_refused")
    states = _lock_targets(intent_obj)
    if not states:
        return responses.render("no_door_lock")
    await _call(intent_obj.hass, "lock", "unlock", states)
    return responses.render("unlocked", name=_names(states))


# --- the car ----------------------------------------------------------------------------------

CAR_LOCK: Final = "lock"
CAR_FIELDS: Final = {
    "battery": "sensor:battery",
    "range": "driving_range",
    "odometer": "odometer",
    "cabin_temperature": "cabin_temperature",
}


def _car(hass: HomeAssistant) -> OwnEntities | None:
    return next((own for own in own_devices(hass) if own.entity(CAR_KEY)), None)


def _state_of(hass: HomeAssistant, own: OwnEntities, key: str) -> State | None:
    entity_id = own.entity(key)
    return hass.states.get(entity_id) if entity_id else None


def _place(hass: HomeAssistant, state: State | None, responses: Responses) -> str | None:
    if state is None:
        return None
    if state.state == STATE_HOME:
        return responses.state(STATE_HOME)
    if state.state != STATE_NOT_HOME and (zone := hass.states.get(f"zone.{state.state}")):
        return zone.name
    latitude, longitude = state.attributes.get("latitude"), state.attributes.get("longitude")
    if latitude is None or longitude is None:
        return None
    return responses.render(
        "car_location_coordinates", latitude=f"{latitude:.4f}", longitude=f"{longitude:.4f}"
    )


async def _car_state(  # noqa: PLR0911 - one answer per question
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    car = _car(hass)
    if car is None:
        return responses.render("no_car")
    wanted = str(_slot(intent_obj, "field"))
    if wanted in CAR_FIELDS:
        value = _number(_state_of(hass, car, CAR_FIELDS[wanted]))
        if value is None:
            return responses.render("no_value", name=car.name)
        return responses.render(f"car_{wanted}", value=value)
    if wanted == "location":
        place = _place(hass, _state_of(hass, car, "location"), responses)
        if place is None:
            return responses.render("no_value", name=car.name)
        return responses.render("car_location", value=place)
    if wanted == "locked":
        lock = _state_of(hass, car, CAR_LOCK)
        locked = lock is not None and lock.state == "locked"
        return responses.render("car_locked" if locked else "car_unlocked")
    charging = _state_of(hass, car, "charging_state")
    battery = _number(_state_of(hass, car, "sensor:battery"))
    state = charging.state if charging else "not_charging"
    key = {"charging": "car_charging", "fully_charged": "car_fully_charged"}.get(
        state, "car_not_charging"
    )
    return responses.render(key, value=battery)


async def _car_lock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    car = _car(intent_obj.hass)
    lock = _state_of(intent_obj.hass, car, CAR_LOCK) if car else None
    if lock is None:
        return responses.render("no_car")
    await _call(intent_obj.hass, "lock", "lock", [lock])
    return responses.render("locked", name=lock.name)


async def _car_climate(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    car = _car(intent_obj.hass)
    climate = _state_of(intent_obj.hass, car, "cabin_climate") if car else None
    if climate is None:
        return responses.render("no_car")
    on = _slot(intent_obj, "state") == "on"
    await _call(intent_obj.hass, "climate", "turn_on" if on else "turn_off", [climate])
    return responses.render("car_climate_on" if on else "car_climate_off")


async def _car_climate_temperature(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    car = _car(intent_obj.hass)
    climate = _state_of(intent_obj.hass, car, "cabin_climate") if car else None
    if climate is None:
        return responses.render("no_car")
    value = float(_slot(intent_obj, "temperature"))
    await _call(intent_obj.hass, "climate", "set_temperature", [climate], temperature=value)
    return responses.render("car_climate_temperature", value=value)


# --- people -----------------------------------------------------------------------------------

PERSON_FIELDS: Final = {
    "steps": "steps",
    "heart_rate": "heart_rate",
    "sleep": "sleep_duration",
    "phone_battery": "sensor:battery",
}


def _belongings(hass: HomeAssistant, person: str | None) -> list[OwnEntities]:
    wanted = (person or "").casefold()
    return [
        own
        for own in own_devices(hass)
        if PERSON_KEYS & own.by_key.keys()
        and (person is None or (owner_of(own.name) or "").casefold() == wanted)
    ]


async def _person_state(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    person = str(_slot(intent_obj, "person"))
    wanted = str(_slot(intent_obj, "field"))
    devices = _belongings(hass, person)
    if wanted == "home":
        for state in hass.states.async_all("person"):
            if state.name.casefold() == person.casefold():
                return responses.render(
                    "person_home" if state.state == STATE_HOME else "person_away", person=person
                )
        trackers = [_state_of(hass, own, "device_tracker") for own in devices]
        home = any(tracker and tracker.state == STATE_HOME for tracker in trackers)
        if not any(trackers):
            return responses.render("no_person", person=person)
        return responses.render("person_home" if home else "person_away", person=person)
    key = PERSON_FIELDS[wanted]
    if wanted == "phone_battery":
        devices = [own for own in devices if own.entity("ring_phone")]
    value = next(
        (number for own in devices if (number := _number(_state_of(hass, own, key))) is not None),
        None,
    )
    if value is None:
        return responses.render("no_person", person=person)
    if wanted == "sleep":
        hours, minutes = divmod(int(value), 60)
        return responses.render("person_sleep", person=person, hours=hours, minutes=minutes)
    return responses.render(f"person_{wanted}", person=person, value=value)


async def _ring_phone(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    person = _slot(intent_obj, "person")
    phones = [own for own in _belongings(hass, person) if own.entity("ring_phone")]
    if not phones:
        return responses.render("no_person", person=person or "")
    await hass.services.async_call(
        "button",
        "press",
        {ATTR_ENTITY_ID: [own.entity("ring_phone") for own in phones]},
        blocking=True,
    )
    return responses.render("ring_phone", name="、".join(own.name for own in phones))


HANDLERS: Final = {
    "XiaomiAiotLightStep": _light_step,
    "XiaomiAiotLightExtreme": _light_extreme,
    "XiaomiAiotColorTempStep": _color_temp_step,
    "XiaomiAiotSetTemperature": _set_temperature,
    "XiaomiAiotTemperatureStep": _temperature_step,
    "XiaomiAiotClimateMode": _climate_mode,
    "XiaomiAiotFanSpeed": _fan_speed,
    "XiaomiAiotTemperature": _temperature,
    "XiaomiAiotHumidity": _humidity,
    "XiaomiAiotSetVolume": _set_volume,
    "XiaomiAiotVolumeStep": _volume_step,
    "XiaomiAiotSpeak": _speak,
    "XiaomiAiotLock": _lock,
    "XiaomiAiotUnlock": _unlock,
    "XiaomiAiotCarState": _car_state,
    "XiaomiAiotCarLock": _car_lock,
    "XiaomiAiotCarClimate": _car_climate,
    "XiaomiAiotCarClimateTemperature": _car_climate_temperature,
    "XiaomiAiotPersonState": _person_state,
    "XiaomiAiotRingPhone": _ring_phone,
}


@callback
def async_register_intents(hass: HomeAssistant) -> None:
    """Register our intents with Home Assistant (again is harmless)."""
    for intent_type, act in HANDLERS.items():
        intent.async_register(hass, XiaomiIntentHandler(intent_type, act))


def is_exposed(hass: HomeAssistant, entity_id: str) -> bool:
    """Whether the user lets voice assistants see this entity."""
    return bool(async_should_expose(hass, ASSISTANT, entity_id))
