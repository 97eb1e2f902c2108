"""Push: devices on the LAN report their changes; Home Assistant shows them without a poll.

Reports travel over real UDP from the simulator, so these tests wait (briefly) in real time
for them; polls are driven by moving Home Assistant's clock.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.coordinator import FLAP_CHANGES, MiotCoordinator
from custom_components.xiaomi_aiot.miot.reports import EventOccurred, PropertiesChanged
from custom_components.xiaomi_aiot.push import RENEW_AFTER, push_interval
from harness.hass import SetUpDevice, entity_id, later, until
from simulator import Simulator, VirtualDevice

LAMP = "living-room-light"
LOCK = "front-door-lock"
LOCK_EVENT = "event.front_door_lock_lock_opened"
FINGERPRINT = {"operation-method": "Fingerprint", "operation-id": 5}


def coordinator_of(entry: MockConfigEntry) -> MiotCoordinator:
    """The one coordinator of a local device's entry."""
    return next(iter(entry.runtime_data.coordinators.values()))


def state(hass: HomeAssistant, entity: str) -> str | None:
    """An entity's state, or None when it has none."""
    current = hass.states.get(entity)
    return None if current is None else current.state


def fired(hass: HomeAssistant, entity: str) -> list[dict[str, Any]]:
    """The attributes of every event `entity` fires from now on."""
    seen: list[dict[str, Any]] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if (new := event.data["new_state"]) is not None and new.state != STATE_UNKNOWN:
            seen.append(dict(new.attributes))

    async_track_state_change_event(hass, entity, record)
    return seen


def subscribed(device: VirtualDevice) -> bool:
    """Whether the simulated device has anyone to report to."""
    return bool(device.describe()["subscribers"])


async def test_a_device_subscribes_and_polls_less_often(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """After set-up the device reports to us; polls then come every 150 s, not 30 s."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    assert subscribed(sim.devices[LAMP])
    assert coordinator.push_healthy
    await later(hass)
    assert coordinator.update_interval == push_interval(timedelta(seconds=30))
    assert coordinator.update_interval == timedelta(seconds=150)


async def test_a_change_at_the_device_shows_without_a_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Switched by hand at the lamp: Home Assistant shows it at once, no clock moved."""
    await set_up_device(LAMP)
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    before = state(hass, lamp)
    sim.devices[LAMP].set(2, 1, before != STATE_ON)
    await until(hass, lambda: state(hass, lamp) != before)
    sim.devices[LAMP].set(2, 1, True)
    sim.devices[LAMP].set(2, 2, 1)  # brightness, in percent at the device
    await until(hass, lambda: hass.states.get(lamp).attributes.get("brightness") == 3)


async def test_every_lock_operation_fires_even_two_alike(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Two fingerprint openings in a row are two events (a poll sees none: it cannot read them)."""
    await set_up_device(LOCK)
    events = fired(hass, LOCK_EVENT)
    lock = sim.devices[LOCK]
    lock.emit_event("lock-opened", FINGERPRINT)
    await until(hass, lambda: len(events) == 1)
    lock.emit_event("lock-opened", FINGERPRINT)
    await until(hass, lambda: len(events) == 2)
    await later(hass)  # the poll sees nothing new
    assert [(e[ATTR_EVENT_TYPE], e["key_id"]) for e in events] == [
        ("fingerprint", 5),
        ("fingerprint", 5),
    ]


async def test_a_repeated_report_fires_once(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A device that sends every report twice (the duplicate fault) still fires once."""
    await set_up_device(LOCK)
    events = fired(hass, LOCK_EVENT)
    lock = sim.devices[LOCK]
    lock.apply_faults({"duplicate": 1.0})
    lock.emit_event("lock-opened", FINGERPRINT)
    await until(hass, lambda: events)
    await asyncio.sleep(0.2)
    await hass.async_block_till_done()
    assert len(events) == 1


async def test_a_rebooted_device_is_subscribed_again_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A reboot forgets subscribers; the next poll's new handshake subscribes again."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    device = sim.devices[LAMP]
    device.reboot()
    assert not subscribed(device)
    await later(hass)
    assert subscribed(device)
    assert coordinator.push_healthy
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    before = state(hass, lamp)
    device.set(2, 1, before != STATE_ON)
    await until(hass, lambda: state(hass, lamp) != before)


async def test_after_an_outage_polls_return_to_the_interval_and_push_resumes(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Offline: unavailable at the next poll, then polled every 30 s; back within one."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    coordinator.device.transport.timeout = 0.1  # type: ignore[attr-defined]
    device = sim.devices[LAMP]
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    device.apply_faults({"offline": True})
    await later(hass)
    assert state(hass, lamp) == STATE_UNAVAILABLE
    assert not coordinator.push_healthy
    assert coordinator.update_interval == timedelta(seconds=30)
    device.apply_faults({"offline": False})
    await later(hass, timedelta(seconds=31))
    assert state(hass, lamp) != STATE_UNAVAILABLE
    assert coordinator.push_healthy
    device.set(2, 1, state(hass, lamp) != STATE_ON)
    before = state(hass, lamp)
    await until(hass, lambda: state(hass, lamp) != before)


async def test_account_devices_on_the_lan_push_through_one_shared_socket(
    hass: HomeAssistant, sim: Simulator, account: MockConfigEntry
) -> None:
    """Every LAN device of the account reports to the same local port."""
    lan = [d for d in sim.devices.values() if d.address is not None]
    subscribers = {s["address"] for d in lan for s in d.describe()["subscribers"]}
    assert len(subscribers) == 1
    lan_socket = account.runtime_data.lan_socket
    assert lan_socket is not None
    assert lan_socket.sessions == len(lan)
    lamp = entity_id(hass, "light.desk_lamp")
    before = state(hass, lamp)
    sim.devices["study-lamp"].set(2, 1, before != STATE_ON)
    await until(hass, lambda: state(hass, lamp) not in (before, None))


async def test_polls_of_many_devices_spread_over_the_interval(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """The first poll after set-up falls at a different point of the interval per LAN device;
    the cloud-only devices (car, phones, watch) poll together, so their reads are batched."""
    coordinators = account.runtime_data.coordinators.values()
    lan = [c.update_interval for c in coordinators if c.device.transport.lan is not None]  # type: ignore[attr-defined]
    cloud = {c.update_interval for c in coordinators if c.device.transport.lan is None}  # type: ignore[attr-defined]
    assert all(interval is not None for interval in lan)
    assert len(set(lan)) == len(lan) > 5
    assert len(cloud) == 1
    for coordinator in account.runtime_data.coordinators.values():
        assert coordinator.update_interval is not None
        base = (
            push_interval(coordinator.interval)
            if coordinator.push_healthy
            else (coordinator.interval)
        )
        assert base <= coordinator.update_interval < base + coordinator.interval


async def test_a_flapping_device_does_not_flood_the_log(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Off and on line at every poll: a few lines, one saying so, then quiet."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    coordinator.device.transport.timeout = 0.1  # type: ignore[attr-defined]
    device = sim.devices[LAMP]
    caplog.set_level(logging.INFO, logger="custom_components.xiaomi_aiot")
    for _ in range(FLAP_CHANGES):
        device.apply_faults({"offline": True})
        await later(hass)
        device.apply_faults({"offline": False})
        await later(hass)
    lines = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components.xiaomi_aiot") and r.levelno >= logging.INFO
    ]
    assert len(lines) == FLAP_CHANGES
    assert "goes off and on line often" in lines[-1].getMessage()
    assert state(hass, entity_id(hass, "light.living_room_ceiling_light")) in (STATE_ON, STATE_OFF)


async def test_a_device_without_push_is_polled_at_the_interval(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Older firmware refuses miIO.sub: polls stay every 30 s and show its changes."""
    device = sim.devices[LAMP]
    device.apply_faults({"no_push": True})
    coordinator = coordinator_of(await set_up_device(LAMP))
    await later(hass)
    assert not coordinator.push_healthy
    assert coordinator.update_interval == timedelta(seconds=30)
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    before = state(hass, lamp)
    device.set(2, 1, before != STATE_ON)
    await later(hass, timedelta(seconds=31))
    assert state(hass, lamp) != before


async def test_a_subscription_the_device_forgot_silently_is_renewed(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Nothing tells us a device dropped us; the subscription is renewed every 10 minutes."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    assert coordinator.push is not None
    device = sim.devices[LAMP]
    device.subscriptions.clear()
    await later(hass)
    assert not subscribed(device)  # not due yet
    now = coordinator.push._clock()
    coordinator.push._clock = lambda: now + RENEW_AFTER
    await later(hass)
    assert subscribed(device)


async def test_reports_of_what_the_device_lacks_change_nothing(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """A property or an event the lamp does not have is counted as a report and dropped.

    Reports the library cannot read never get here (tests/miot/test_reports.py).
    """
    coordinator = coordinator_of(await set_up_device(LAMP))
    assert coordinator.push is not None
    handle = coordinator.push.session.on_report
    assert handle is not None
    before = dict(coordinator.data)
    handle(PropertiesChanged(values={(99, 1): 1}))
    handle(EventOccurred(siid=99, eiid=1, arguments={1: 2}))
    await hass.async_block_till_done()
    assert coordinator.data == before
    assert coordinator.push.reports == 2


async def test_reports_do_not_put_off_the_safety_net_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A report updates the state but keeps the next poll where it was: a device that reports
    all the time is still polled (and its subscription renewed)."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    await later(hass)
    scheduled = coordinator._unsub_refresh
    assert scheduled is not None
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    for value in (False, True, False):
        sim.devices[LAMP].set(2, 1, value)
        await until(
            hass, lambda value=value: state(hass, lamp) == (STATE_ON if value else STATE_OFF)
        )
    assert coordinator._unsub_refresh is scheduled


async def test_a_command_to_a_pushing_device_is_confirmed_by_its_report(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """No poll after a command while the device reports: its report confirms the value."""
    coordinator = coordinator_of(await set_up_device(LAMP))
    polls = 0
    read = coordinator.device.read_properties

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal polls
        polls += 1
        return await read(*args, **kwargs)

    coordinator.device.read_properties = counted  # type: ignore[method-assign]
    lamp = entity_id(hass, "light.living_room_ceiling_light")
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": lamp, "brightness_pct": 20}, blocking=True
    )
    assert sim.devices[LAMP].get(2, 2) == 20
    await until(hass, lambda: coordinator.push is not None and coordinator.push.reports > 0)
    assert polls == 0
    assert hass.states.get(lamp).attributes["brightness"] == 51


async def test_a_device_without_push_is_asked_again_only_after_a_reboot_or_a_while(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A refusal is remembered: no miIO.sub at every poll, but again after a reboot."""
    device = sim.devices[LAMP]
    device.apply_faults({"no_push": True})
    coordinator = coordinator_of(await set_up_device(LAMP))
    assert coordinator.push is not None
    asked: list[str] = []
    subscribe = coordinator.push.session.subscribe

    async def counted(subscriber: str) -> None:
        asked.append(subscriber)
        await subscribe(subscriber)

    coordinator.push.session.subscribe = counted  # type: ignore[method-assign]
    await later(hass)
    await later(hass)
    assert asked == []
    device.apply_faults({"no_push": False, "reboot": True})
    await later(hass)
    assert len(asked) == 1
    assert coordinator.push_healthy
