"""A real curtain (lumi.curtain.hagl05) as a cover: motor control, position, and its entities.

The simulator is the real model, its document from the shared folder; the curtain is driven by
its write-only motor-control property (2.2), which is never read, and shows its position from
current-position (2.3); a position asked for goes to target-position (2.7).
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.cover import (
    ATTR_CURRENT_POSITION,
    ATTR_POSITION,
    CoverEntityFeature,
    CoverState,
)
from homeassistant.components.cover import DOMAIN as COVER_DOMAIN
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    Platform,
)
from homeassistant.core import HomeAssistant

from harness.platforms import MatchPlatform, set_up_real
from simulator import VirtualDevice
from simulator.cloud import CloudServer

CURTAIN = "lumi.curtain.hagl05"
MOTOR_CONTROL, CURRENT_POSITION, TARGET_POSITION = (2, 2), (2, 3), (2, 7)
PAUSE, OPEN, CLOSE = 0, 1, 2
"""The motor-control values of the real document."""

pytestmark = pytest.mark.parametrize("real_device", [CURTAIN], indirect=True)


async def curtain(hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]) -> str:
    """Add the simulated curtain; its cover's entity id."""
    _, entity = await set_up_real(hass, real_device, COVER_DOMAIN, "cover-2")
    return entity


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a cover service and wait for it."""
    await hass.services.async_call(
        COVER_DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


@pytest.mark.parametrize(
    "platform", [Platform.COVER, Platform.SENSOR, Platform.SELECT, Platform.BUTTON]
)
@pytest.mark.usefixtures("all_entities_enabled")
async def test_a_real_curtains_entities_match_their_snapshots(
    real_platform_matches_snapshots: MatchPlatform, platform: Platform
) -> None:
    """A curtain cover named after the device, with its fault and settings beside it."""
    await real_platform_matches_snapshots(platform)


async def test_a_curtain_offers_what_its_motor_control_and_target_can_do(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Open, close and stop from the motor control's values; a position from the target."""
    entity = await curtain(hass, real_device)
    state = hass.states.get(entity)

    assert state.attributes[ATTR_DEVICE_CLASS] == "curtain"
    assert state.attributes[ATTR_SUPPORTED_FEATURES] == (
        CoverEntityFeature.OPEN
        | CoverEntityFeature.CLOSE
        | CoverEntityFeature.STOP
        | CoverEntityFeature.SET_POSITION
    )


@pytest.mark.parametrize(
    ("service", "outcome"),
    [
        ("open_cover", (OPEN, 100, CoverState.OPEN)),
        ("close_cover", (CLOSE, 0, CoverState.CLOSED)),
    ],
)
async def test_a_curtain_opens_and_closes_through_its_motor_control(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    service: str,
    outcome: tuple[int, int, CoverState],
) -> None:
    """The command's value reaches the write-only property; the curtain moves, and shows it."""
    device, _ = real_device
    command, position, shown = outcome
    entity = await curtain(hass, real_device)

    await call(hass, service, entity)

    assert device.get(*MOTOR_CONTROL) == command
    assert device.get(*CURRENT_POSITION) == position
    state = hass.states.get(entity)
    assert state.state == shown
    assert state.attributes[ATTR_CURRENT_POSITION] == position


async def test_a_curtain_stops_where_it_is(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Stop is the motor control's pause."""
    device, _ = real_device
    entity = await curtain(hass, real_device)
    await call(hass, "set_cover_position", entity, **{ATTR_POSITION: 40})

    await call(hass, "stop_cover", entity)

    assert device.get(*MOTOR_CONTROL) == PAUSE
    assert hass.states.get(entity).attributes[ATTR_CURRENT_POSITION] == 40


async def test_a_curtain_goes_to_a_position_through_its_target(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A position is written to target-position; the curtain gets there."""
    device, _ = real_device
    entity = await curtain(hass, real_device)

    await call(hass, "set_cover_position", entity, **{ATTR_POSITION: 30})

    assert device.get(*TARGET_POSITION) == 30
    assert device.get(*CURRENT_POSITION) == 30
    state = hass.states.get(entity)
    assert state.state == CoverState.OPEN
    assert state.attributes[ATTR_CURRENT_POSITION] == 30


async def test_the_write_only_motor_control_is_never_polled(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A poll asks only for what the curtain can answer."""
    device, _ = real_device
    await curtain(hass, real_device)
    (entry,) = hass.config_entries.async_entries("xiaomi_aiot")
    (coordinator,) = entry.runtime_data.coordinators.values()

    assert CURRENT_POSITION in coordinator.polled
    assert MOTOR_CONTROL not in coordinator.polled
    assert all(device.property(*key).readable for key in coordinator.polled)
