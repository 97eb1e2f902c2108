"""Pressing a device's button by its translated name: 播放音乐, "flash lights"."""

from __future__ import annotations

from typing import Final

from homeassistant.helpers import intent

from .ask import devices_asked
from .handling import Act, call, slot
from .responses import Responses
from .targets import is_exposed


async def _press(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    key = str(slot(intent_obj, "button"))
    for device in devices_asked(intent_obj):
        entity_id = device.entity(key)
        state = hass.states.get(entity_id) if entity_id else None
        if state is not None and state.domain == "button" and is_exposed(hass, state.entity_id):
            await call(hass, "button", "press", [state])
            return responses.render("pressed", name=device.name, value=slot_words(intent_obj))
    return responses.render("no_target")


def slot_words(intent_obj: intent.Intent) -> str:
    """The button's name as it was said."""
    value = intent_obj.slots.get("button") or {}
    return str(value.get("text") or value.get("value") or "")


HANDLERS: Final[dict[str, Act]] = {"XiaomiAiotPress": _press}
