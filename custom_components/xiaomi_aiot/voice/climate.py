"""Air conditioners and rooms: set points, steps, modes, fan speeds; a room's temperature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from homeassistant.core import State
from homeassistant.helpers import intent

from .handling import Act, call, names, number, slot, slot_text, targets
from .responses import Responses

TEMPERATURE_STEP: Final = 1.0
RELATIVE_FAN_LEVELS: Final = {"low": 0.0, "medium": 0.5, "high": 1.0}
"""Where a spoken fan speed lies among a unit's numbered levels, from lowest to highest."""


async def _to_set_point(
    intent_obj: intent.Intent, responses: Responses, value_for: Callable[[State], float]
) -> str:
    """Set the named (or running) unit's target to `value_for(its state)`, within its range."""
    states = targets(intent_obj, ["climate"])[:1]
    state = states[0]
    low = number(state, "min_temp") or 16.0
    high = number(state, "max_temp") or 32.0
    value = max(low, min(high, value_for(state)))
    await call(intent_obj.hass, "climate", "set_temperature", states, temperature=value)
    return responses.render("set_temperature", name=names(states), value=value)


async def _set_temperature(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    value = float(slot(intent_obj, "temperature"))
    return await _to_set_point(intent_obj, responses, lambda _: value)


async def _temperature_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    step = float(slot(intent_obj, "degrees") or TEMPERATURE_STEP)
    sign = 1 if slot(intent_obj, "direction") == "up" else -1
    return await _to_set_point(
        intent_obj, responses, lambda state: (number(state, "temperature") or 24.0) + sign * step
    )


async def _temperature_extreme(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """The set point to the unit's highest or lowest."""
    highest = slot(intent_obj, "level") == "max"
    return await _to_set_point(intent_obj, responses, lambda _: 1000.0 if highest else -1000.0)


async def _climate_mode(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["climate"])[:1]
    mode = str(slot(intent_obj, "hvac_mode"))
    await call(intent_obj.hass, "climate", "set_hvac_mode", states, hvac_mode=mode)
    return responses.render("climate_mode", name=names(states), value=responses.state(mode))


async def _fan_speed(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["climate"])[:1]
    mode = _fan_mode_of(states[0], str(slot(intent_obj, "fan_mode")))
    await call(intent_obj.hass, "climate", "set_fan_mode", states, fan_mode=mode)
    return responses.render("fan_speed", name=names(states), value=responses.state(mode))


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
    return slot_text(intent_obj, "area") or slot_text(intent_obj, "name") or states[0].name


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
        name=slot(intent_obj, "name"),
        area_name=slot(intent_obj, "area"),
        domains=["sensor", "climate"],
        device_classes=None,
        assistant=intent_obj.assistant,
    )
    result = intent.async_match_targets(hass, constraints)
    states = [s for s in result.states if s.attributes.get("device_class") == device_class]
    if not states:
        states = [s for s in result.states if s.domain == "climate"]
        states = [s for s in states if number(s, attribute) is not None]
        value = number(states[0], attribute) if states else None
    else:
        value = number(states[0])
    if not states or value is None:
        if not result.is_match:
            raise intent.MatchFailedError(result=result, constraints=constraints)
        return responses.render("no_value", name=_area_label(intent_obj, result.states))
    return responses.render(key, area=_area_label(intent_obj, states), value=value)


def _room_reading(device_class: str, attribute: str) -> Act:
    """The question for a room's reading: its sensors of the device class, else the climate
    entities' `attribute`; answered with the template named after the device class."""

    async def ask(
        intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
    ) -> str:
        return await _room_value(
            intent_obj,
            responses,
            response,
            device_class=device_class,
            attribute=attribute,
            key=device_class,
        )

    return ask


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotSetTemperature": _set_temperature,
    "XiaomiAiotTemperatureStep": _temperature_step,
    "XiaomiAiotTemperatureExtreme": _temperature_extreme,
    "XiaomiAiotClimateMode": _climate_mode,
    "XiaomiAiotFanSpeed": _fan_speed,
    "XiaomiAiotTemperature": _room_reading("temperature", "current_temperature"),
    "XiaomiAiotHumidity": _room_reading("humidity", "current_humidity"),
}
