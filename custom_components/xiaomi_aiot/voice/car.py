"""The car: its battery, range, place, lock, charging, cabin climate."""

from __future__ import annotations

from typing import Final

from homeassistant.components.zone import async_active_zone
from homeassistant.const import STATE_HOME, STATE_NOT_HOME
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import intent

from ..mapping import (  # noqa: TID252
    KEY_CABIN_CLIMATE,
    KEY_CABIN_TEMPERATURE,
    KEY_CHARGING_STATE,
    KEY_DRIVING_RANGE,
    KEY_LOCATION,
    KEY_LOCK,
    KEY_ODOMETER,
)
from .handling import Act, call, number, slot
from .responses import Responses
from .targets import Device, car_of, exposed

CAR_FIELDS: Final = {
    "battery": "sensor:battery",
    "range": KEY_DRIVING_RANGE,
    "odometer": KEY_ODOMETER,
    "cabin_temperature": KEY_CABIN_TEMPERATURE,
}


def state_of(hass: HomeAssistant, device: Device, key: str) -> State | None:
    """The exposed state of a device's entity by translation key, `<domain>:<class>` or
    domain; None when it has none; `NotExposedError` when it is not exposed."""
    entity_id = device.entity(key)
    state = hass.states.get(entity_id) if entity_id else None
    if state is None:
        return None
    return exposed(hass, [state], state.name)[0]


def place(hass: HomeAssistant, state: State | None, responses: Responses) -> str | None:
    """Where a tracker is: home, a zone by the zone's own name, else its coordinates."""
    if state is None:
        return None
    if state.state == STATE_HOME:
        return responses.state(STATE_HOME)
    latitude, longitude = state.attributes.get("latitude"), state.attributes.get("longitude")
    if state.state != STATE_NOT_HOME:
        # A tracker's state is its zone's name, which need not slugify to the zone's id.
        for zone in hass.states.async_all("zone"):
            if state.state in (zone.name, zone.object_id):
                return zone.name
    if latitude is None or longitude is None:
        return None
    active = async_active_zone(hass, latitude, longitude, state.attributes.get("gps_accuracy", 0))
    if active is not None:
        return responses.state(STATE_HOME) if active.entity_id == "zone.home" else active.name
    return responses.render(
        "car_location_coordinates", latitude=f"{latitude:.4f}", longitude=f"{longitude:.4f}"
    )


async def _car_state(  # noqa: PLR0911 - one answer per question
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    car = car_of(hass)
    if car is None:
        return responses.render("no_car")
    wanted = str(slot(intent_obj, "field"))
    if wanted in CAR_FIELDS:
        value = number(state_of(hass, car, CAR_FIELDS[wanted]))
        if value is None:
            return responses.render("no_value", name=car.name)
        return responses.render(f"car_{wanted}", value=value)
    if wanted == "location":
        where = place(hass, state_of(hass, car, KEY_LOCATION), responses)
        if where is None:
            return responses.render("no_value", name=car.name)
        return responses.render("car_location", value=where)
    if wanted == "locked":
        lock = state_of(hass, car, KEY_LOCK)
        locked = lock is not None and lock.state == "locked"
        return responses.render("car_locked" if locked else "car_unlocked")
    charging = state_of(hass, car, KEY_CHARGING_STATE)
    battery = number(state_of(hass, car, "sensor:battery"))
    state = charging.state if charging else "not_charging"
    key = {"charging": "car_charging", "fully_charged": "car_fully_charged"}.get(
        state, "car_not_charging"
    )
    return responses.render(key, value=battery)


def _car_part(hass: HomeAssistant, key: str) -> State | None:
    """The state of the car's entity with this translation key, if there is a car."""
    car = car_of(hass)
    return state_of(hass, car, key) if car else None


async def _car_lock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    lock = _car_part(intent_obj.hass, KEY_LOCK)
    if lock is None:
        return responses.render("no_car")
    await call(intent_obj.hass, "lock", "lock", [lock])
    return responses.render("locked", name=lock.name)


async def _car_climate(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    climate = _car_part(intent_obj.hass, KEY_CABIN_CLIMATE)
    if climate is None:
        return responses.render("no_car")
    on = slot(intent_obj, "state") == "on"
    await call(intent_obj.hass, "climate", "turn_on" if on else "turn_off", [climate])
    return responses.render("car_climate_on" if on else "car_climate_off")


async def _car_climate_temperature(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    climate = _car_part(intent_obj.hass, KEY_CABIN_CLIMATE)
    if climate is None:
        return responses.render("no_car")
    value = float(slot(intent_obj, "temperature"))
    await call(intent_obj.hass, "climate", "set_temperature", [climate], temperature=value)
    return responses.render("car_climate_temperature", value=value)


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotCarState": _car_state,
    "XiaomiAiotCarLock": _car_lock,
    "XiaomiAiotCarClimate": _car_climate,
    "XiaomiAiotCarClimateTemperature": _car_climate_temperature,
}
