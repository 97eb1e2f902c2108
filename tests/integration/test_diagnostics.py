"""Diagnostics: enough to debug a device from, nothing that would let anyone control it."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from harness.hass import SetUpDevice
from simulator import Simulator


async def test_diagnostics_show_the_device_and_its_last_poll(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    sim: Simulator,
    set_up_device: SetUpDevice,
    snapshot: SnapshotAssertion,
) -> None:
    """Model, firmware, spec, each property's code and value, and the batch limit learnt."""
    device = sim.devices["living-room-ac"]
    device.apply_faults({"batch_limit": 4, "property_errors": {"8.1": -4004}})
    entry = await set_up_device("living-room-ac")

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics == snapshot
    (shown,) = diagnostics["devices"]
    assert shown["batch_limit"] <= 4
    assert shown["properties"]["8.1"] == {
        "service": "electricity",
        "name": "electricity",
        "code": -4004,
        "value": None,
    }


async def test_diagnostics_never_show_the_token_mac_or_address(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    sim: Simulator,
    set_up_device: SetUpDevice,
) -> None:
    """The token controls the device; the MAC and address identify the home network."""
    entry = await set_up_device("front-door-lock")
    device = sim.devices["front-door-lock"]
    mac = device.info()["mac"]
    assert device.address is not None
    secrets = {device.token, device.token.upper(), mac, mac.lower(), device.address}

    text = json.dumps(await get_diagnostics_for_config_entry(hass, hass_client, entry))

    assert [secret for secret in secrets if secret in text] == []
    assert "**REDACTED**" in text
