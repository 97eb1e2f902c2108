"""A real robot vacuum (roborock.vacuum.a15): commands, suction, activity, and its entities.

The simulator is the real model, its document from the shared folder. Its status (2.1) lists
Roborock's fifteen states by names such as "Sweeping" and "Go Charging"; its suction is its
mode (2.4, values 101..106); it goes home by the battery service's start-charge (3.1) and says
where it is by identify (6.1).
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.vacuum import (
    ATTR_FAN_SPEED,
    ATTR_FAN_SPEED_LIST,
    VacuumEntityFeature,
)
from homeassistant.components.vacuum import DOMAIN as VACUUM_DOMAIN
from homeassistant.components.vacuum.const import VacuumActivity
from homeassistant.const import ATTR_ENTITY_ID, ATTR_SUPPORTED_FEATURES, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from harness.platforms import (
    MatchPlatform,
    set_up_real,
    spy_on_actions,
    translated_error,
)
from simulator import VirtualDevice
from simulator.cloud import CloudServer

VACUUM = "roborock.vacuum.a15"
STATUS, MODE = (2, 1), (2, 4)
SWEEPING, GO_CHARGING, IDLE = 5, 6, 1
"""The first status values of those names in the real document."""
IDENTIFY = (6, 1)

pytestmark = pytest.mark.parametrize("real_device", [VACUUM], indirect=True)


async def vacuum(hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]) -> str:
    """Add the simulated vacuum; its vacuum's entity id."""
    _, entity = await set_up_real(hass, real_device, VACUUM_DOMAIN, "vacuum-2")
    return entity


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a vacuum service and wait for it."""
    await hass.services.async_call(
        VACUUM_DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


@pytest.mark.parametrize("platform", [Platform.VACUUM, Platform.SENSOR, Platform.BUTTON])
@pytest.mark.usefixtures("all_entities_enabled")
async def test_a_real_vacuums_entities_match_their_snapshots(
    real_platform_matches_snapshots: MatchPlatform, platform: Platform
) -> None:
    """The vacuum named after the device; battery, consumables and its modes beside it."""
    await real_platform_matches_snapshots(platform)


async def test_a_vacuum_offers_what_its_spec_can_do(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Start, stop, return and locate from its actions; suction from its mode; no pause."""
    entity = await vacuum(hass, real_device)
    state = hass.states.get(entity)

    assert state.attributes[ATTR_SUPPORTED_FEATURES] == (
        VacuumEntityFeature.STATE
        | VacuumEntityFeature.START
        | VacuumEntityFeature.STOP
        | VacuumEntityFeature.RETURN_HOME
        | VacuumEntityFeature.LOCATE
        | VacuumEntityFeature.FAN_SPEED
    )
    assert state.attributes[ATTR_FAN_SPEED_LIST] == [
        "silent",
        "basic",
        "strong",
        "full_speed",
        "silent_105",
        "custom",
    ]


@pytest.mark.parametrize(
    ("service", "status", "activity"),
    [
        ("start", SWEEPING, VacuumActivity.CLEANING),
        ("return_to_base", GO_CHARGING, VacuumActivity.RETURNING),
        ("stop", IDLE, VacuumActivity.IDLE),
    ],
)
async def test_a_vacuum_obeys_and_shows_what_it_does(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    service: str,
    status: int,
    activity: VacuumActivity,
) -> None:
    """The command's action runs on the device; its status becomes the activity."""
    device, _ = real_device
    entity = await vacuum(hass, real_device)

    await call(hass, service, entity)

    assert device.get(*STATUS) == status
    assert hass.states.get(entity).state == activity


async def test_a_vacuum_says_where_it_is(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Locate is the identify service's action."""
    device, _ = real_device
    entity = await vacuum(hass, real_device)
    calls = spy_on_actions(device)

    await call(hass, "locate", entity)

    assert [(siid, aiid) for siid, aiid, _ in calls] == [IDENTIFY]


async def test_a_vacuums_suction_is_set_by_name(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A fan speed is the mode's value-list entry of that name."""
    device, _ = real_device
    entity = await vacuum(hass, real_device)

    await call(hass, "set_fan_speed", entity, **{ATTR_FAN_SPEED: "strong"})

    assert device.get(*MODE) == 103
    assert hass.states.get(entity).attributes[ATTR_FAN_SPEED] == "strong"


async def test_a_suction_the_vacuum_lacks_is_refused_with_a_translated_error(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """An unknown fan speed never reaches the device."""
    device, _ = real_device
    entity = await vacuum(hass, real_device)
    before = device.get(*MODE)

    error = await translated_error(
        call(hass, "set_fan_speed", entity, **{ATTR_FAN_SPEED: "turbo"}), ServiceValidationError
    )

    assert error.translation_key == "invalid_option"
    assert device.get(*MODE) == before
