"""What every handler of our intents shares: slots, targets, service calls, the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import intent

from ..const import CONF_ALLOW_UNLOCK_BY_VOICE, DOMAIN  # noqa: TID252
from .responses import Responses
from .targets import car_of
from .text import EN, canonical_language

DATA_RESPONSES: Final = f"{DOMAIN}_voice_responses"

type Act = Callable[[intent.Intent, Responses, intent.IntentResponse], Awaitable[str]]
"""A handler's work: act on the intent, return what to say."""


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


def slot(intent_obj: intent.Intent, name: str) -> Any:
    """A slot's value, or None."""
    value = intent_obj.slots.get(name)
    return None if value is None else value.get("value")


def slot_text(intent_obj: intent.Intent, name: str) -> str | None:
    """A slot's words as spoken, or None."""
    value = intent_obj.slots.get(name)
    return None if value is None else str(value.get("text") or value.get("value"))


def number(state: State | None, attribute: str | None = None) -> float | None:
    """A state's (or attribute's) value as a number, or None."""
    if state is None:
        return None
    raw: Any = state.state if attribute is None else state.attributes.get(attribute)
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


class XiaomiIntentHandler(intent.IntentHandler):
    """A handler that answers in the user's language from the response templates."""

    def __init__(self, intent_type: str, act: Act) -> None:
        """Handle `intent_type` with `act(intent_obj, responses, response) -> speech`."""
        self.intent_type = intent_type
        self._act = act

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Act, then answer."""
        responses = responses_for(intent_obj.hass, intent_obj.language)
        response = intent_obj.create_response()
        speech = await self._act(intent_obj, responses, response)
        response.async_set_speech(speech)
        return response


def targets(
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
    name = slot(intent_obj, "name")
    area = slot(intent_obj, "area")
    constraints = intent.MatchTargetsConstraints(
        name=name, area_name=area, domains=list(domains), assistant=intent_obj.assistant
    )
    result = intent.async_match_targets(hass, constraints)
    if not result.is_match:
        raise intent.MatchFailedError(result=result, constraints=constraints)
    states = list(result.states)
    if name is None and exclude_car and (car := car_of(hass)) is not None:
        others = [state for state in states if state.entity_id not in car.entity_ids]
        states = others or (states if car_fallback else [])
    if name is None and area is None and prefer_on and len(states) > 1:
        states = [state for state in states if state.state not in ("off", "unavailable")] or states
    return states


def names(states: list[State]) -> str:
    """Up to three entities' names, as one phrase."""
    return "、".join(state.name for state in states[:3])


async def call(
    hass: HomeAssistant, domain: str, service: str, states: list[State], **data: Any
) -> None:
    """Call a service on the entities and wait for it."""
    await hass.services.async_call(
        domain,
        service,
        {ATTR_ENTITY_ID: [state.entity_id for state in states], **data},
        blocking=True,
    )


def stepped(current: float, sign: int, step: float, low: float = 1, high: float = 100) -> int:
    """A level moved by a step up or down, kept within its range."""
    return int(max(low, min(high, round(current + sign * step))))
