"""Tokens, passwords and MAC addresses stay out of logs, diagnostics and entity attributes."""

from __future__ import annotations

import json
import logging

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import CONF_CLOUD_TOKENS
from custom_components.xiaomi_aiot.diagnostics import async_get_config_entry_diagnostics
from harness.hass import entity_id, later, sign_in
from simulator import Simulator
from simulator.cloud import CloudServer


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything the integration logs, down to its debug traffic."""
    caplog.set_level(logging.DEBUG, logger="custom_components.xiaomi_aiot")
    return caplog


async def test_a_full_run_shows_no_secret(
    hass: HomeAssistant,
    sim: Simulator,
    cloud: CloudServer,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Sign in, poll, write, refresh tokens, fail over, read diagnostics: no secret anywhere."""
    result = await sign_in(hass, cloud)
    entry: MockConfigEntry = result["result"]
    lamp = entity_id(hass, "light.desk_lamp")
    await hass.services.async_call("light", "turn_off", {"entity_id": lamp}, blocking=True)
    cloud.apply_faults({"expire_tokens": True})
    sim.devices["study-lamp"].apply_faults({"loss": 1.0})  # to the cloud and back
    await later(hass)
    sim.devices["study-lamp"].apply_faults({"loss": 0.0})
    await later(hass)
    diagnostics = json.dumps(await async_get_config_entry_diagnostics(hass, entry))
    attributes = json.dumps(
        [dict(state.attributes) for state in hass.states.async_all()], default=str
    )
    ours = "\n".join(
        record.getMessage()
        for record in debug_logs.records
        if record.name.startswith("custom_components.xiaomi_aiot")
    )
    assert "->" in ours  # the traffic was logged, so the check below means something

    secrets = {device.token for device in sim.devices.values()}
    secrets |= {device.info()["mac"] for device in sim.devices.values() if device.address}
    tokens = entry.data[CONF_CLOUD_TOKENS]
    secrets |= {tokens[key] for key in ("pass_token", "ssecurity", "service_token")}
    for where, text in {"logs": ours, "diagnostics": diagnostics, "attributes": attributes}.items():
        found = [secret for secret in secrets if secret.lower() in text.lower()]
        assert found == [], f"{where} show {len(found)} secrets"
    assert "demo" not in json.loads(diagnostics)["entry"]["data"].values()  # the user name
