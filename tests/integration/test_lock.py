"""Door locks: lock and unlock through the spec's actions; state from the lock status."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.components.lock import LockState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    SERVICE_LOCK,
    SERVICE_UNLOCK,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator

from .conftest import SetUpDevice
from .platform_kit import assert_entities_match_snapshots, next_poll, translated_error

LOCK = "lock.front_door_lock"
STATUS, METHOD, ACTION = (2, 4), (2, 1), (2, 2)
LOCKED, UNLOCKED = 0, 1


@pytest.fixture(autouse=True)
def only_locks() -> Iterator[None]:
    """Set up the lock platform only."""
    with patch("custom_components.xiaomi_aiot.PLATFORMS", [Platform.LOCK]):
        yield


async def call(hass: HomeAssistant, service: str) -> None:
    """Call a lock service on the front door and wait for it."""
    await hass.services.async_call(LOCK_DOMAIN, service, {ATTR_ENTITY_ID: LOCK}, blocking=True)


async def test_lock_matches_its_snapshot(
    hass: HomeAssistant,
    set_up_device: SetUpDevice,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One lock, named after the device, locked."""
    entry = await set_up_device("front-door-lock")
    await assert_entities_match_snapshots(hass, entity_registry, snapshot, [entry])
    assert hass.states.get(LOCK).attributes[ATTR_FRIENDLY_NAME] == "Front Door Lock"


async def test_lock_unlocks_and_locks_again(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Unlock and lock run the lock's actions; the device's status follows, and HA's."""
    await set_up_device("front-door-lock")
    device = sim.devices["front-door-lock"]
    assert hass.states.get(LOCK).state == LockState.LOCKED

    await call(hass, SERVICE_UNLOCK)
    assert device.get(*STATUS) == UNLOCKED
    assert device.get(*ACTION) == 1  # the device records an unlock
    assert hass.states.get(LOCK).state == LockState.UNLOCKED

    await call(hass, SERVICE_LOCK)
    assert device.get(*STATUS) == LOCKED
    assert hass.states.get(LOCK).state == LockState.LOCKED


async def test_a_lock_opened_by_key_shows_unlocked_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Unlocked at the door: HA sees it at its next poll."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].set(*STATUS, UNLOCKED)
    assert hass.states.get(LOCK).state == LockState.LOCKED
    await next_poll(hass)

    assert hass.states.get(LOCK).state == LockState.UNLOCKED


async def test_a_status_the_lock_cannot_read_is_unknown(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A lock status that answers an error is unknown, not guessed."""
    await set_up_device("front-door-lock")

    sim.devices["front-door-lock"].apply_faults({"property_errors": {"2.4": -4004}})
    await next_poll(hass)

    assert hass.states.get(LOCK).state == STATE_UNKNOWN


async def test_an_offline_lock_cannot_be_unlocked(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A lock out of reach gives the translated connection error and stays locked."""
    await set_up_device("front-door-lock")
    device = sim.devices["front-door-lock"]
    device.apply_faults({"offline": True})

    error = await translated_error(call(hass, SERVICE_UNLOCK))

    assert error.translation_key == "cannot_connect"
    assert device.get(*STATUS) == LOCKED
    assert hass.states.get(LOCK).state == LockState.LOCKED
