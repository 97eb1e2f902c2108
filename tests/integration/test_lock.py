"""Door locks: a lock entity only where the spec can lock or unlock; the status otherwise.

Xiaomi's door locks (loock.lock.v6, and every real lock in the shared documents) report their
status and their operations as events but have no lock or unlock action: they get no `lock`
entity, and their status is a sensor. The car's lock, which has both actions, is tested with
the car (`test_car_people.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import MagicMock, patch

import pytest
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.components.sensor import ATTR_OPTIONS
from homeassistant.const import (
    ATTR_FRIENDLY_NAME,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import mock_restore_cache

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.lock import XiaomiLock
from custom_components.xiaomi_aiot.mapping import ROLES, RoleItem, plan_device
from custom_components.xiaomi_aiot.miot import load_bundled_spec
from harness.hass import SetUpDevice, add_by_hand
from harness.platforms import MatchSnapshots, next_poll, pushed
from harness.real_specs import real_models
from simulator import Simulator, VirtualDevice
from simulator.cloud import CloudServer

STATUS_SENSOR = "sensor.front_door_lock_lock_status"
STATUS = (2, 5)
OPEN, OTHERS = 0, 255


@pytest.fixture(autouse=True)
def only_locks_and_sensors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Set up the lock and sensor platforms only; a real lock, every platform."""
    if "real_device" in request.fixturenames:
        yield
        return
    with patch(
        "custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.LOCK, Platform.SENSOR]
    ):
        yield


async def test_the_door_lock_has_no_lock_entity(
    hass: HomeAssistant, set_up_device: SetUpDevice, entity_registry: er.EntityRegistry
) -> None:
    """No action can lock or unlock it: no lock entity offers to; its status is a sensor."""
    entry = await set_up_device("front-door-lock")

    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert [entity.entity_id for entity in entities if entity.domain == LOCK_DOMAIN] == []
    assert hass.states.async_all(LOCK_DOMAIN) == []
    assert STATUS_SENSOR in {entity.entity_id for entity in entities}


async def test_lock_status_matches_its_snapshot(
    hass: HomeAssistant, devices_match_snapshots: MatchSnapshots
) -> None:
    """The status sensor, named by its translation key, and the battery."""
    await devices_match_snapshots("front-door-lock")
    status = hass.states.get(STATUS_SENSOR)
    assert status.attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock Lock status"
    assert status.attributes[ATTR_OPTIONS] == ["open", "others"]
    assert status.state == "others"


async def test_a_lock_opened_by_key_shows_open_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Opened at the door: HA sees the status at its next poll."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].set(*STATUS, OPEN)
    assert hass.states.get(STATUS_SENSOR).state == "others"
    await next_poll(hass)

    assert hass.states.get(STATUS_SENSOR).state == "open"


async def test_a_status_the_lock_cannot_read_is_unknown(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A lock status that answers an error is unknown, not guessed."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].apply_faults({"property_errors": {"2.5": -4004}})
    await next_poll(hass)

    assert hass.states.get(STATUS_SENSOR).state == STATE_UNKNOWN


async def test_an_offline_lock_shows_its_status_unavailable(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A lock out of reach is not shown as open or closed."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].apply_faults({"offline": True})
    await next_poll(hass)

    assert hass.states.get(STATUS_SENSOR).state == STATE_UNAVAILABLE


def test_only_a_lock_with_an_action_is_a_lock_entity() -> None:
    """The car can lock and unlock: a lock entity; the door lock cannot: none."""
    car = plan_device(load_bundled_spec("xiaomi.vehicle.su7"))
    door = plan_device(load_bundled_spec("loock.lock.v6"))
    assert [item.role.service for item in car.role_items(Platform.LOCK)] == ["lock"]
    assert door.role_items(Platform.LOCK) == []
    assert Platform.LOCK not in door.platforms


@pytest.mark.parametrize("method", ["async_lock", "async_unlock"])
async def test_a_lock_without_the_action_refuses_with_a_translated_error(method: str) -> None:
    """A lock whose spec lacks an action never sends it, and says so in the user's language."""
    role = next(role for role in ROLES if role.platform is Platform.LOCK)
    spec = load_bundled_spec("xiaomi.vehicle.su7")
    status = spec.find("lock", "status")
    assert status is not None
    item = RoleItem(role, status.siid, {"status": status}, {}, main=False)
    coordinator = MagicMock()
    coordinator.did = "1"
    lock = XiaomiLock(coordinator, item)

    with pytest.raises(HomeAssistantError) as caught:
        await getattr(lock, method)()

    assert caught.value.translation_key == "unknown_action"
    assert caught.value.translation_placeholders == {"action": method.removeprefix("async_")}
    coordinator.async_action.assert_not_called()


REAL_LOCKS = [model for model in real_models() if model is None or ".lock." in model]
"""Every real lock document: none has a lock or unlock action."""


async def real_lock(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> list[er.RegistryEntry]:
    """Add the real lock; its entities."""
    device, server = real_device
    entry_id = await add_by_hand(hass, device, server.url)
    return er.async_entries_for_config_entry(er.async_get(hass), entry_id)


@pytest.mark.parametrize("real_device", REAL_LOCKS, indirect=True)
async def test_a_real_lock_shows_what_it_reports_and_offers_no_lock(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """No lock entity; an event entity per spec event, its lock state, its battery where it
    can be read; every entity named by a translation key or its device class."""
    device = real_device[0]
    entities = await real_lock(hass, real_device)
    spec = device.spec
    assert spec is not None

    assert [e.entity_id for e in entities if e.domain == LOCK_DOMAIN] == []
    keys = {e.unique_id.removeprefix(f"{device.did}-") for e in entities}
    assert {f"e-{event.siid}-{event.eiid}" for event in spec.events()} <= keys
    assert "lock-state" in keys
    battery = spec.find("battery", "battery-level")
    assert battery is not None
    assert (f"p-{battery.siid}-{battery.piid}" in keys) == battery.readable
    unnamed = [
        e.entity_id for e in entities if not e.translation_key and not e.original_device_class
    ]
    assert unnamed == []
    unavailable = [
        e.entity_id for e in entities if hass.states.get(e.entity_id).state == STATE_UNAVAILABLE
    ]
    assert unavailable == []


def lock_state(hass: HomeAssistant, device: VirtualDevice) -> str:
    """The state of the lock's lock-state binary sensor."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "binary_sensor", DOMAIN, f"{device.did}-lock-state"
    )
    assert entity_id is not None
    return hass.states.get(entity_id).state


@pytest.mark.parametrize(
    ("real_device", "reports", "expected"),
    [
        pytest.param(
            "lumi.lock.mcn01",
            [("lock-opened", {}), ("lock-locked", {}), ("lock-opened", {}), ("back-locking", {})],
            [STATE_ON, STATE_OFF, STATE_ON, STATE_OFF],
            id="opened-locked-double-locked",
        ),
        pytest.param(
            "lumi.lock.mcn002",
            # Released from inside, the child lock turned on (the lock stays as it was), locked.
            [("lock-event", {"lock-action": action}) for action in (5, 6, 1)],
            [STATE_ON, STATE_ON, STATE_OFF],
            id="lock-actions",
        ),
    ],
    indirect=["real_device"],
)
async def test_a_real_lock_is_unlocked_or_locked_as_it_reports(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    reports: list[tuple[str, dict[str, int]]],
    expected: list[str],
) -> None:
    """Unknown until the lock says; then the state its last opening or locking left it in."""
    device = real_device[0]
    await real_lock(hass, real_device)
    seen = [lock_state(hass, device)]

    for event, arguments in reports:
        device.emit_event(event, arguments)
        await pushed(hass)
        seen.append(lock_state(hass, device))

    assert seen == [STATE_UNKNOWN, *expected]


@pytest.mark.parametrize("real_device", ["lumi.lock.mcn01"], indirect=True)
async def test_a_real_lock_keeps_its_state_across_a_restart(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Locked before Home Assistant restarted: still locked after."""
    device = real_device[0]
    registered = er.async_get(hass).async_get_or_create(
        "binary_sensor", DOMAIN, f"{device.did}-lock-state", suggested_object_id="front_door"
    )
    mock_restore_cache(hass, [State(registered.entity_id, STATE_OFF)])

    await real_lock(hass, real_device)

    assert lock_state(hass, device) == STATE_OFF
