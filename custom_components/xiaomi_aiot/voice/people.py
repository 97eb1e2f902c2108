"""People: steps, heart rate, sleep, whether they are home, their phone's battery and ring."""

from __future__ import annotations

from typing import Final

from homeassistant.const import ATTR_ENTITY_ID, STATE_HOME
from homeassistant.helpers import intent

from ..mapping import KEY_HEART_RATE, KEY_RING_PHONE, KEY_SLEEP_DURATION, KEY_STEPS  # noqa: TID252
from .car import state_of
from .handling import Act, number, slot
from .responses import Responses
from .targets import belongings

PERSON_FIELDS: Final = {
    "steps": KEY_STEPS,
    "heart_rate": KEY_HEART_RATE,
    "sleep": KEY_SLEEP_DURATION,
    "phone_battery": "sensor:battery",
}


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
                return responses.render(
                    "person_home" if state.state == STATE_HOME else "person_away", person=person
                )
        trackers = [state_of(hass, own, "device_tracker") for own in devices]
        home = any(tracker and tracker.state == STATE_HOME for tracker in trackers)
        if not any(trackers):
            return responses.render("no_person", person=person)
        return responses.render("person_home" if home else "person_away", person=person)
    key = PERSON_FIELDS[wanted]
    if wanted == "phone_battery":
        devices = [own for own in devices if own.entity(KEY_RING_PHONE)]
    value = next(
        (found for own in devices if (found := number(state_of(hass, own, key))) is not None),
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
    phones = [own for own in belongings(hass, person) if own.entity(KEY_RING_PHONE)]
    if not phones:
        return responses.render("no_person", person=person or "")
    await hass.services.async_call(
        "button",
        "press",
        {ATTR_ENTITY_ID: [own.entity(KEY_RING_PHONE) for own in phones]},
        blocking=True,
    )
    return responses.render(KEY_RING_PHONE, name="、".join(own.name for own in phones))


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotPersonState": _person_state,
    "XiaomiAiotRingPhone": _ring_phone,
}
