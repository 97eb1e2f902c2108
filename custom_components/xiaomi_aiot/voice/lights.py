"""Lights: brightness and colour temperature by steps, and to their ends."""

from __future__ import annotations

from typing import Final

from homeassistant.helpers import intent

from .handling import Act, call, names, slot, stepped, targets
from .responses import Responses

LIGHT_STEP: Final = 20
"""Percent of brightness that 一点 / "a bit" means."""
COLOR_TEMP_STEP: Final = 500


async def _light_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["light"])
    step = float(slot(intent_obj, "percent") or LIGHT_STEP)
    sign = 1 if slot(intent_obj, "direction") == "up" else -1
    levels = []
    for state in states:
        on = state.state == "on"
        current = (state.attributes.get("brightness") or 0) * 100 / 255 if on else 0
        level = stepped(current, sign, step)
        levels.append(level)
        await call(intent_obj.hass, "light", "turn_on", [state], brightness_pct=level)
    return responses.render("light_step", name=names(states), value=levels[0])


async def _light_extreme(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["light"])
    level = 100 if slot(intent_obj, "level") == "max" else 1
    await call(intent_obj.hass, "light", "turn_on", states, brightness_pct=level)
    return responses.render("light_extreme", name=names(states), value=level)


async def _color_temp_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = targets(intent_obj, ["light"])
    sign = -1 if slot(intent_obj, "direction") == "warm" else 1
    kelvin = 0
    for state in states:
        low = state.attributes.get("min_color_temp_kelvin") or 2700
        high = state.attributes.get("max_color_temp_kelvin") or 6500
        current = state.attributes.get("color_temp_kelvin") or (low + high) // 2
        kelvin = max(low, min(high, current + sign * COLOR_TEMP_STEP))
        await call(intent_obj.hass, "light", "turn_on", [state], color_temp_kelvin=kelvin)
    return responses.render("color_temp_step", name=names(states), value=kelvin)


async def _color_temp_set(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Colour temperature in kelvin, or the light's warmest or coolest."""
    states = targets(intent_obj, ["light"])
    kelvin = 0
    for state in states:
        low = state.attributes.get("min_color_temp_kelvin") or 2700
        high = state.attributes.get("max_color_temp_kelvin") or 6500
        level = slot(intent_obj, "level")
        wanted = high if level == "max" else low if level == "min" else slot(intent_obj, "kelvin")
        kelvin = int(max(low, min(high, float(wanted))))
        await call(intent_obj.hass, "light", "turn_on", [state], color_temp_kelvin=kelvin)
    return responses.render("color_temp_step", name=names(states), value=kelvin)


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotColorTempSet": _color_temp_set,
    "XiaomiAiotLightStep": _light_step,
    "XiaomiAiotLightExtreme": _light_extreme,
    "XiaomiAiotColorTempStep": _color_temp_step,
}
