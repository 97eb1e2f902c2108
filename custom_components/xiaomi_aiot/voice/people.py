"""People: steps, heart rate, sleep, whether they are home, their phone's battery and ring."""

from __future__ import annotations

from typing import Final

from homeassistant.const import STATE_HOME
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import intent

from ..mapping import KEY_HEART_RATE, KEY_RING_PHONE, KEY_SLEEP_DURATION, KEY_STEPS  # noqa: TID252
from .handling import Act, call, number, slot
from .responses import Responses
from .targets import Device, belongings, exposed

PERSON_FIELDS: Final = {
    "steps": KEY_STEPS,
    "heart_rate": KEY_HEART_RATE,
    "sleep": KEY_SLEEP_DURATION,
    "phone_battery": "sensor:battery",
}


def parts(hass: HomeAssistant, devices: list[Device], key: str) -> list[State]:
    """The states of the devices' entities with this key (translation key, class or domain)."""
    return [
        state
        for own in devices
        if (entity_id := own.entity(key)) and (state := hass.states.get(entity_id))
    ]


async def _person_state(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    person = str(slot(intent_obj, "person"))
    wanted = str(slot(intent_obj, "field"))
    devices = belongings(hass, person)
    if wanted == "home":
        for state in hass.states.async_all("person"):
            if state.name.casefold() == person.casefold():
                exposed(hass, [state], state.name)
                return responses.render(
                    "person_home" if state.state == STATE_HOME else "person_away", person=person
                )
        trackers = exposed(hass, parts(hass, devices, "device_tracker"), person)
        if not trackers:
            return responses.render("no_person", person=person)
        home = any(tracker.state == STATE_HOME for tracker in trackers)
        return responses.render("person_home" if home else "person_away", person=person)
    key = PERSON_FIELDS[wanted]
    if wanted == "phone_battery":
        devices = [own for own in devices if own.entity(KEY_RING_PHONE)]
    states = parts(hass, devices, key)
    first = states[0].name if states else person
    value = next(
        (found for state in exposed(hass, states, first) if (found := number(state)) is not None),
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
    person = slot(intent_obj, "person")
    phones = [
        (own, state)
        for own in belongings(hass, person)
        if (entity_id := own.entity(KEY_RING_PHONE)) and (state := hass.states.get(entity_id))
    ]
    if not phones:
        return responses.render("no_person", person=person or "")
    phones = exposed(hass, phones, phones[0][1].name, lambda pair: pair[1])
    await call(hass, "button", "press", [state for _, state in phones])
    return responses.render(KEY_RING_PHONE, name="、".join(own.name for own, _ in phones))


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotPersonState": _person_state,
    "XiaomiAiotRingPhone": _ring_phone,
}
