"""Pressing a device's button by its translated name: 播放音乐, "flash lights"."""

from __future__ import annotations

from typing import Final

from homeassistant.helpers import intent

from .ask import devices_asked
from .handling import Act, call, slot
from .responses import Responses
from .targets import exposed


async def _press(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    key = str(slot(intent_obj, "button"))
    found = [
        (device, state)
        for device in devices_asked(intent_obj)
        if (entity_id := device.entity(key))
        and (state := hass.states.get(entity_id)) is not None
        and state.domain == "button"
    ]
    if not found:
        return responses.render("no_target")
    device, state = exposed(hass, found, found[0][1].name, lambda pair: pair[1])[0]
    await call(hass, "button", "press", [state])
    return responses.render("pressed", name=device.name, value=slot_words(intent_obj))


def slot_words(intent_obj: intent.Intent) -> str:
    """The button's name as it was said."""
    value = intent_obj.slots.get("button") or {}
    return str(value.get("text") or value.get("value") or "")


HANDLERS: Final[dict[str, Act]] = {"XiaomiAiotPress": _press}
