"""Modes, presets and effects by their translated names; fans' speeds."""

from __future__ import annotations

from typing import Final

from homeassistant.helpers import intent

from .handling import Act, call, names, number, slot, slot_text, stepped, targets
from .responses import Responses

FAN_STEP: Final = 20
"""Percent of a fan's speed that 一点 / "a bit" means."""
MODE_SERVICES: Final = {
    "preset_mode": {
        "fan": "set_preset_mode",
        "climate": "set_preset_mode",
        "water_heater": "set_operation_mode",
    },
    "effect": {"light": "turn_on"},
    "mode": {"humidifier": "set_mode"},
    "fan_mode": {"climate": "set_fan_mode"},
}
"""The service that sets a mode attribute, by domain."""


async def _preset(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Set the named entity's mode, preset or effect to the one spoken."""
    attribute, _, value = str(slot(intent_obj, "preset")).partition(":")
    by_domain = MODE_SERVICES.get(attribute, {})
    states = targets(intent_obj, list(by_domain))
    for state in states:
        offered = {
            str(v)
            for key in (f"{attribute}s", f"{attribute}_list", f"available_{attribute}s")
            for v in state.attributes.get(key) or ()
        }
        if value in offered:
            await call(
                intent_obj.hass,
                state.domain,
                by_domain[state.domain],
                [state],
                **{attribute: value},
            )
            return responses.render(
                "preset", name=state.name, value=slot_text(intent_obj, "preset") or value
            )
    return responses.render("not_supported", name=names(states))


async def _fan_percentage(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["fan"])
    level = float(slot(intent_obj, "percent"))
    await call(intent_obj.hass, "fan", "set_percentage", states, percentage=level)
    return responses.render("fan_percentage", name=names(states), value=level)


async def _fan_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["fan"])
    sign = 1 if slot(intent_obj, "direction") == "up" else -1
    level = 0
    for state in states:
        current = (number(state, "percentage") or 0.0) if state.state == "on" else 0.0
        level = stepped(current, sign, FAN_STEP)
        await call(intent_obj.hass, "fan", "set_percentage", [state], percentage=level)
    return responses.render("fan_percentage", name=names(states), value=level)


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotPreset": _preset,
    "XiaomiAiotFanPercentage": _fan_percentage,
    "XiaomiAiotFanStep": _fan_step,
}
