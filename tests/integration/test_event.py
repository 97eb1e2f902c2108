"""Events: a lock operation the lock reports (or, without push, a poll sees) fires an event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    SERVICE_UNLOCK,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator

from .conftest import SetUpDevice
from .platform_kit import assert_entities_match_snapshots, next_poll

LOCK_EVENT = "event.front_door_lock_lock_operation"
METHOD, ACTION, KEY_ID = (2, 1), (2, 2), (2, 3)
LOCK, UNLOCK = 1, 2  # the lock service's actions


@pytest.fixture(autouse=True)
def only_events() -> Iterator[None]:
    """Set up the event platform only."""
    with patch("custom_components.xiaomi_aiot.PLATFORMS", [Platform.EVENT]):
        yield


def fired(hass: HomeAssistant) -> list[dict[str, object]]:
    """The attributes of every event the lock-event entity fires from now on."""
    seen: list[dict[str, object]] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None and state.state != STATE_UNKNOWN:
            seen.append(dict(state.attributes))

    async_track_state_change_event(hass, LOCK_EVENT, record)
    return seen


async def test_lock_event_matches_its_snapshot(
    hass: HomeAssistant,
    set_up_device: SetUpDevice,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One event entity for the lock's lock-event, not fired yet."""
    entry = await set_up_device("front-door-lock")
    await assert_entities_match_snapshots(hass, entity_registry, snapshot, [entry])


async def test_event_types_are_what_the_lock_did(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The types are the lock actions (translated in strings.json), not the methods."""
    await set_up_device("front-door-lock")

    state = hass.states.get(LOCK_EVENT)
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock Lock operation"
    assert state.attributes[ATTR_EVENT_TYPES] == [
        "lock",
        "unlock",
        "lock_from_inside",
        "unlock_from_inside",
    ]
    assert state.state == STATE_UNKNOWN


async def pushed(hass: HomeAssistant) -> None:
    """Give the device's reports time to arrive (real UDP), and Home Assistant to handle them."""
    await asyncio.sleep(0.2)
    await hass.async_block_till_done()


async def test_unlocking_from_the_app_fires_an_unlock_event_at_once(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The lock runs its unlock action (from the Mi Home app): method mobile, key 0."""
    await set_up_device("front-door-lock")
    events = fired(hass)

    sim.devices["front-door-lock"].run_action(2, UNLOCK, [])
    await pushed(hass)

    assert [e[ATTR_EVENT_TYPE] for e in events] == ["unlock"]
    assert events[0]["method"] == "mobile"
    assert events[0]["key_id"] == 0
    assert "action" not in events[0]


async def test_a_fingerprint_at_the_door_fires_with_its_method_and_key(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The lock-event properties changed at the door: fingerprint number 5 unlocked it."""
    await set_up_device("front-door-lock")
    events = fired(hass)
    device = sim.devices["front-door-lock"]

    device.emit_event("lock-event", {"operation-method": 2, "operation-id": 5, "lock-action": 1})
    await pushed(hass)

    assert events == [
        {
            ATTR_EVENT_TYPE: "unlock",
            ATTR_EVENT_TYPES: ["lock", "unlock", "lock_from_inside", "unlock_from_inside"],
            "method": "fingerprint",
            "key_id": 5,
            ATTR_FRIENDLY_NAME: "Front Door Lock Lock operation",
        }
    ]


async def test_each_new_operation_fires_once_and_a_quiet_poll_fires_nothing(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Unlock, a poll with nothing new, then locked by hand from inside: two events."""
    await set_up_device("front-door-lock")
    events = fired(hass)
    device = sim.devices["front-door-lock"]

    await next_poll(hass)
    assert events == []

    device.run_action(2, UNLOCK, [])
    await pushed(hass)
    await next_poll(hass)
    device.emit_event("lock-event", {"operation-method": 7, "lock-action": 2})
    await pushed(hass)
    await next_poll(hass)

    assert [(e[ATTR_EVENT_TYPE], e["method"]) for e in events] == [
        ("unlock", "mobile"),
        ("lock_from_inside", "manual"),
    ]


async def test_unlocking_in_home_assistant_fires_the_event(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The lock entity's unlock reaches the lock, and its event comes back to HA."""
    with patch("custom_components.xiaomi_aiot.PLATFORMS", [Platform.EVENT, Platform.LOCK]):
        await set_up_device("front-door-lock")
    events = fired(hass)

    await hass.services.async_call(
        LOCK_DOMAIN, SERVICE_UNLOCK, {ATTR_ENTITY_ID: "lock.front_door_lock"}, blocking=True
    )
    await pushed(hass)

    assert [(e[ATTR_EVENT_TYPE], e["method"]) for e in events] == [("unlock", "mobile")]


async def test_an_unreadable_operation_fires_nothing(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Without a readable lock action an operation has no type, so nothing fires."""
    await set_up_device("front-door-lock")
    events = fired(hass)
    device = sim.devices["front-door-lock"]
    device.apply_faults({"property_errors": {"2.2": -4004}})

    device.set(*KEY_ID, 9)
    await next_poll(hass)

    assert events == []


async def test_without_push_a_poll_sees_an_operation_in_the_changed_properties(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Older firmware without push: the lock-event properties changed at the door fire the
    event at the next poll; two operations alike between polls show as one."""
    device = sim.devices["front-door-lock"]
    device.apply_faults({"no_push": True})
    entry = await set_up_device("front-door-lock")
    assert not next(iter(entry.runtime_data.coordinators.values())).push_healthy
    events = fired(hass)

    device.set(*METHOD, 2)
    device.set(*KEY_ID, 5)
    device.set(*ACTION, 1)
    await next_poll(hass)
    assert [(e[ATTR_EVENT_TYPE], e["method"], e["key_id"]) for e in events] == [
        ("unlock", "fingerprint", 5)
    ]

    device.emit_event("lock-event", {"operation-method": 2, "operation-id": 5, "lock-action": 1})
    await next_poll(hass)
    assert len(events) == 1
    device.emit_event("lock-event", {"operation-method": 7, "lock-action": 2})
    await next_poll(hass)
    assert [(e[ATTR_EVENT_TYPE], e["method"]) for e in events][1:] == [
        ("lock_from_inside", "manual")
    ]
