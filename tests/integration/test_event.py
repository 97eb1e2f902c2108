"""Events: a lock operation, a door opened or closed, an alarm the lock reports fires an event.

The real lock's event arguments cannot be read (access []): its events come only as the lock
reports them, never from a poll.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.const import (
    ATTR_FRIENDLY_NAME,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.xiaomi_aiot.mapping import EVENT_ATTRIBUTES, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from harness.hass import SetUpDevice
from harness.platforms import MatchSnapshots, next_poll, pushed
from harness.real_specs import real_document, real_models
from simulator import Simulator

LOCK_EVENT = "event.front_door_lock_lock_opened"
DOOR_EVENT = "event.front_door_lock_door_event"
LOW_BATTERY = "event.front_door_lock_low_battery"
METHODS = ["ble_outdoor", "password", "fingerprint", "one_time_password"]


@pytest.fixture(autouse=True)
def only_events() -> Iterator[None]:
    """Set up the event platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.EVENT]):
        yield


def fired(hass: HomeAssistant, entity_id: str = LOCK_EVENT) -> list[dict[str, object]]:
    """The attributes of every event an event entity fires from now on."""
    seen: list[dict[str, object]] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None and state.state != STATE_UNKNOWN:
            seen.append(dict(state.attributes))

    async_track_state_change_event(hass, entity_id, record)
    return seen


async def test_lock_events_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """One event entity per spec event: opened, back-locking, alarms, low battery, the door."""
    await devices_match_snapshots("front-door-lock")


async def test_event_types_are_how_the_lock_was_opened(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The types are the opening methods (translated in strings.json)."""
    await set_up_device("front-door-lock")

    state = hass.states.get(LOCK_EVENT)
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock Lock opened"
    assert state.attributes[ATTR_EVENT_TYPES] == METHODS
    assert state.state == STATE_UNKNOWN
    door = hass.states.get(DOOR_EVENT)
    assert door.attributes[ATTR_EVENT_TYPES] == [
        "open_door",
        "close_door",
        "open_over_time",
        "door_stuck",
    ]


async def test_a_fingerprint_at_the_door_fires_with_its_method_and_key(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The lock reports it was opened: fingerprint number 5, at the time it says."""
    await set_up_device("front-door-lock")
    events = fired(hass)
    device = sim.devices["front-door-lock"]

    device.emit_event(
        "lock-opened",
        {"operation-method": 2, "operation-id": 5, "current-time": "2026-12-03 08:00:00"},
    )
    await pushed(hass)

    assert events == [
        {
            ATTR_EVENT_TYPE: "fingerprint",
            ATTR_EVENT_TYPES: METHODS,
            "key_id": 5,
            "current_time": "2026-12-03 08:00:00",
            ATTR_FRIENDLY_NAME: "Front Door Lock Lock opened",
        }
    ]


async def test_each_reported_opening_fires_even_two_alike_and_a_poll_fires_nothing(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Two openings by password in a row fire twice; polls in between fire nothing."""
    await set_up_device("front-door-lock")
    events = fired(hass)
    device = sim.devices["front-door-lock"]

    await next_poll(hass)
    assert events == []

    for _ in range(2):
        device.emit_event("lock-opened", {"operation-method": 1, "operation-id": 3})
        await pushed(hass)
        await next_poll(hass)

    assert [(e[ATTR_EVENT_TYPE], e["key_id"]) for e in events] == [
        ("password", 3),
        ("password", 3),
    ]


async def test_the_door_reports_being_opened_and_closed(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The door service's events: opened, then closed."""
    await set_up_device("front-door-lock")
    events = fired(hass, DOOR_EVENT)
    device = sim.devices["front-door-lock"]

    device.emit_event("door.exception-occurred", {"abnormal-condition": 0})
    await pushed(hass)
    device.emit_event("door.exception-occurred", {"abnormal-condition": 1})
    await pushed(hass)

    assert [e[ATTR_EVENT_TYPE] for e in events] == ["open_door", "close_door"]


async def test_without_push_the_locks_operations_are_not_seen(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Older firmware without push: the arguments cannot be read, so a poll sees no opening;
    the battery running low is a battery level, not a low-battery event."""
    device = sim.devices["front-door-lock"]
    device.apply_faults({"no_push": True})
    entry = await set_up_device("front-door-lock")
    assert not next(iter(entry.runtime_data.coordinators.values())).push_healthy
    events, low_battery = fired(hass), fired(hass, LOW_BATTERY)

    device.emit_event("lock-opened", {"operation-method": 2, "operation-id": 5})
    device.set(*device.resolve("battery-level").key, 10)
    await next_poll(hass)

    assert events == []
    assert low_battery == []


LANGUAGES = ["strings.json", "translations/zh-Hans.json"]
COMPONENT = Path(__file__).parents[2] / "custom_components" / "xiaomi_aiot"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", [m for m in real_models() if m is None or ".lock." in m])
def test_a_real_locks_events_are_translated_to_their_last_value(model: str, language: str) -> None:
    """Every real lock's events: each type and each listed argument value has a name."""
    events = json.loads((COMPONENT / language).read_text("utf-8"))["entity"]["event"]
    plan = plan_device(MiotSpec.from_dict(real_document(model)))
    missing = []
    for item in plan.events:
        key = item.traits.translation_key
        assert key, f"{item.event.service}.{item.event.name} has no translation key"
        attributes = events[key]["state_attributes"]
        types = item.kind.value_list if item.kind else ()
        names = [c.name for c in types] or [item.event.name]
        missing += [f"{key}: {n}" for n in names if n not in attributes["event_type"]["state"]]
        for prop in item.arguments:
            if prop is item.kind:
                continue
            attribute = EVENT_ATTRIBUTES.get(prop.name, prop.name.replace("-", "_"))
            if attribute not in attributes:
                missing.append(f"{key}: {attribute}")
                continue
            states = attributes[attribute].get("state", {})
            missing += [
                f"{key}.{attribute}: {c.name}" for c in prop.value_list if c.name not in states
            ]
    assert missing == []
