"""Our own intents (XiaomiAiot…): what Home Assistant's built-in intents do not cover.

Each handler acts through Home Assistant services, so it works for any exposed entity, not only
ours; the handlers live by domain (lights, climate, media, locks, car, people) and questions
about any property in ask.py.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent

from . import ask, car, climate, lights, locks, media, modes, people, press
from .handling import Act, XiaomiIntentHandler

HANDLERS: Final[dict[str, Act]] = {
    **lights.HANDLERS,
    **climate.HANDLERS,
    **media.HANDLERS,
    **locks.HANDLERS,
    **car.HANDLERS,
    **people.HANDLERS,
    **ask.HANDLERS,
    **press.HANDLERS,
    **modes.HANDLERS,
}


@callback
def async_register_intents(hass: HomeAssistant) -> None:
    """Register our intents with Home Assistant (again is harmless)."""
    for intent_type, act in HANDLERS.items():
        intent.async_register(hass, XiaomiIntentHandler(intent_type, act))
