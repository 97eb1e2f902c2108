"""Door locks and the car's lock: locking, unlocking (refused unless allowed), asking."""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import intent

from ..mapping import KEY_DOOR_LOCK_STATE, KEY_LOCK, KEY_LOCK_STATUS  # noqa: TID252
from .handling import Act, call, names, slot, targets, unlock_allowed
from .responses import Responses
from .targets import LOCK, Device, area_id_of, car_of, exposed, home_devices

UNLOCKED_STATUS: Final = frozenset({"open", "unlocked", "opened"})
"""Status values of locks without a lock entity that mean the door is not locked."""


def lock_targets(intent_obj: intent.Intent) -> list[State]:
    """The lock the intent names: the car's, or a door's lock entity (none for a BLE lock)."""
    if (device_id := slot(intent_obj, "device_id")) is not None:
        device = next((d for d in home_devices(intent_obj.hass) if d.device_id == device_id), None)
        entity_id = device.entity(KEY_LOCK) if device else None
        state = intent_obj.hass.states.get(entity_id) if entity_id else None
        if state is None or state.domain != "lock":
            return []
        return exposed(intent_obj.hass, [state], device.name if device else state.name)
    if slot(intent_obj, "target") == "car":
        car = car_of(intent_obj.hass)
        entity_id = car.entity(KEY_LOCK) if car else None
        state = intent_obj.hass.states.get(entity_id) if entity_id else None
        return [] if state is None else exposed(intent_obj.hass, [state], state.name)
    return targets(intent_obj, ["lock"], car_fallback=False, prefer_on=False)[:1]


def _no_lock(intent_obj: intent.Intent) -> str:
    """The answer when there is nothing to lock: no car (or car lock), or no door lock."""
    return "no_car" if slot(intent_obj, "target") == "car" else "no_door_lock"


async def _lock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = lock_targets(intent_obj)
    if not states:
        return responses.render(_no_lock(intent_obj))
    await call(intent_obj.hass, "lock", "lock", states)
    return responses.render("locked", name=names(states))


async def _unlock(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    if not unlock_allowed(intent_obj.hass):
        return responses.render("unlock_refused")
    states = lock_targets(intent_obj)
    if not states:
        return responses.render(_no_lock(intent_obj))
    await call(intent_obj.hass, "lock", "unlock", states)
    return responses.render("unlocked", name=names(states))


def _door_locks(hass: HomeAssistant, name: str | None, area: str | None) -> list[Device]:
    """The door locks (never the car) a question names, by device or entity name, or area."""
    found = []
    for device in home_devices(hass):
        if LOCK not in device.types:
            continue
        entity_names = {
            state.name.casefold()
            for entity_id in device.entity_ids
            if (state := hass.states.get(entity_id)) is not None
        }
        if name is not None and name.casefold() not in {device.name.casefold(), *entity_names}:
            continue
        if area is not None and not _in_area(hass, device, area):
            continue
        found.append(device)
    return found


def _in_area(hass: HomeAssistant, device: Device, area: str) -> bool:
    return device.area_id is not None and device.area_id == area_id_of(hass, area)


def lock_reading(hass: HomeAssistant, device: Device) -> State | None:
    """The state that says whether a door lock is locked: its lock entity, else its lock
    sensor, lock state or status."""
    for key in (KEY_LOCK, "binary_sensor:lock", KEY_DOOR_LOCK_STATE, KEY_LOCK_STATUS):
        entity_id = device.entity(key)
        state = hass.states.get(entity_id) if entity_id else None
        if state is not None and state.state not in ("unknown", "unavailable"):
            return state
    return None


def is_locked(state: State | None) -> bool | None:
    """Whether a lock reading says locked."""
    if state is None:
        return None
    if state.domain == "lock":
        return state.state == "locked"
    if state.domain == "binary_sensor":  # device class lock: on means unlocked
        return state.state == "off"
    return state.state not in UNLOCKED_STATUS


async def _lock_state(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Whether the named door lock (or the home's door lock) is locked."""
    hass = intent_obj.hass
    response.response_type = intent.IntentResponseType.QUERY_ANSWER
    devices = [
        d
        for d in _door_locks(hass, slot(intent_obj, "name"), slot(intent_obj, "area"))
        if slot(intent_obj, "device_id") in (None, d.device_id)
    ]
    if not devices:
        return responses.render("no_target")
    readings = [(device, lock_reading(hass, device)) for device in devices]
    answers = []
    for device, state in exposed(hass, readings, devices[0].name, lambda pair: pair[1]):
        locked = is_locked(state)
        key = "state_unknown" if locked is None else "lock_locked" if locked else "lock_unlocked"
        answers.append(responses.render(key, name=device.name))
    return responses.render("joined", value=responses.join(answers[:3]))


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotLock": _lock,
    "XiaomiAiotUnlock": _unlock,
    "XiaomiAiotLockState": _lock_state,
}
