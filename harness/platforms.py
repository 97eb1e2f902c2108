"""What the platform tests share: polls, snapshots, errors, and a device of a test-only model.

The demo specs make no number, select or binary sensor. `humidifier_device` runs one device of
a hand-written spec (`HUMIDIFIER_SPEC`) in the simulator, and serves the same spec to Home
Assistant as if it were bundled, so those platforms are tested over UDP like the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.miot import MiotSpec, bundled_models, load_bundled_spec
from harness.hass import VersionedSnapshotExtension, add_by_hand, entity_of, entry_for, later
from harness.net import first_address
from simulator import DeviceConfig, Home, Simulator, VirtualDevice
from simulator.cloud import CloudServer
from simulator.state import initial_state, parse_state


async def next_poll(hass: HomeAssistant) -> None:
    """Let the next poll happen (and any refresh a write scheduled), and wait for it."""
    await later(hass)


async def pushed(hass: HomeAssistant) -> None:
    """Give a device's reports time to arrive (real UDP), and Home Assistant to handle them."""
    await asyncio.sleep(0.2)
    await hass.async_block_till_done()


async def assert_entities_match_snapshots(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    entries: Iterable[MockConfigEntry],
) -> None:
    """Every entity of the entries, registry entry and state, against `snapshots/`."""
    extended = snapshot.use_extension(VersionedSnapshotExtension)
    for entry in entries:
        await snapshot_platform(hass, entity_registry, extended, entry.entry_id)


type MatchSnapshots = Callable[..., Awaitable[None]]
"""Set up the demo devices of these ids; their entities against `snapshots/`."""


type MatchPlatform = Callable[[Platform], Awaitable[None]]
"""Check one platform's entities against `snapshots/`."""


def assert_every_platform_matches_snapshots(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    entry_id: str,
) -> None:
    """Every entity of an entry, of all its platforms: registry entry, and state if enabled.

    `snapshot_platform` takes one platform at a time; a real model's device spans several.
    """
    entries = sorted(
        er.async_entries_for_config_entry(entity_registry, entry_id), key=lambda e: e.entity_id
    )
    assert entries
    for entry in entries:
        assert entry == snapshot(name=f"{entry.entity_id}-entry")
        if entry.disabled_by is None:
            assert hass.states.get(entry.entity_id) == snapshot(name=f"{entry.entity_id}-state")


async def translated_error(
    call: Awaitable[Any], error: type[HomeAssistantError] = HomeAssistantError
) -> HomeAssistantError:
    """The error a service call raises: ours, with its message found in the translations.

    Home Assistant falls back to the bare key when a translation is missing.
    """
    with pytest.raises(error) as caught:
        await call
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key
    message = str(caught.value)
    assert message
    assert message != caught.value.translation_key
    assert "{" not in message, f"placeholder left unfilled: {message}"
    return caught.value


async def assert_a_refused_write_is_translated(
    device: VirtualDevice, key: str, call: Awaitable[Any], code: int = -4004
) -> None:
    """The device answers `code` for property `key` ("2.2"): the call raises a translated device
    error that names the code. The device's errors are cleared afterwards."""
    device.apply_faults({"property_errors": {key: code}})
    error = await translated_error(call)
    assert error.translation_key == "device_error"
    assert str(code) in str(error)
    device.apply_faults({"property_errors": {}})


async def assert_a_refused_power_on_is_translated(
    hass: HomeAssistant, device: VirtualDevice, domain: str, entity_id: str
) -> None:
    """The device refuses its main service's on property: turn_on fails with our words."""
    assert device.spec is not None
    on = device.resolve(f"{device.spec.device_type}.on")
    device.apply_faults({"property_errors": {f"{on.siid}.{on.piid}": -4004}})
    await translated_error(
        hass.services.async_call(domain, "turn_on", {"entity_id": entity_id}, blocking=True)
    )


async def changed_by_hand(
    hass: HomeAssistant, device: VirtualDevice, values: dict[tuple[int, int], Any]
) -> None:
    """Properties changed at the device, by (siid, piid), and the poll that shows them."""
    for (siid, piid), value in values.items():
        device.set(siid, piid, value)
    await later(hass)


def spy_on_actions(device: VirtualDevice) -> list[tuple[int, int, list[Any]]]:
    """Every action the simulated device runs from now on: (siid, aiid, inputs).

    The simulator keeps no log of actions without effects (next track, wake up), so the
    test listens where the device runs them; the action still runs.
    """
    run_action = device.run_action
    calls: list[tuple[int, int, list[Any]]] = []

    def recording(siid: int, aiid: int, inputs: list[Any]) -> Any:
        calls.append((siid, aiid, inputs))
        return run_action(siid, aiid, inputs)

    device.run_action = recording  # type: ignore[method-assign]
    return calls


HUMIDIFIER_MODEL = "test.humidifier.v1"


def _urn(kind: str, name: str) -> str:
    return f"urn:miot-spec-v2:{kind}:{name}:00000000:test-humidifier:1"


def _prop(iid: int, name: str, description: str, fmt: str, access: list[str], **extra: Any) -> Any:
    return {
        "iid": iid,
        "type": _urn("property", name),
        "description": description,
        "format": fmt,
        "access": access,
        **extra,
    }


RW = ["read", "write", "notify"]
RO = ["read", "notify"]
HUMIDIFIER_SPEC_DATA: dict[str, Any] = {
    "type": _urn("device", "humidifier"),
    "description": "Humidifier",
    "services": [
        {
            "iid": 1,
            "type": _urn("service", "device-information"),
            "description": "Device Information",
            "properties": [
                _prop(1, "manufacturer", "Device Manufacturer", "string", ["read"]),
                _prop(2, "model", "Device Model", "string", ["read"]),
                _prop(3, "serial-number", "Device ID", "string", ["read"]),
                _prop(4, "firmware-revision", "Current Firmware Version", "string", ["read"]),
            ],
        },
        {
            "iid": 2,
            # A service type no role or trait knows, so every property is a generic entity.
            "type": _urn("service", "mist-maker"),
            "description": "Humidifier",
            "properties": [
                _prop(1, "on", "Switch Status", "bool", RW),
                _prop(
                    2,
                    "fan-level",
                    "Fan Level",
                    "uint8",
                    RW,
                    **{
                        "value-list": [
                            {"value": 0, "description": "Auto"},
                            {"value": 1, "description": "Level1"},
                            {"value": 2, "description": "Level2"},
                            {"value": 3, "description": "Level3"},
                        ]
                    },
                ),
                _prop(
                    3,
                    "target-humidity",
                    "Target Humidity",
                    "uint8",
                    RW,
                    unit="percentage",
                    **{"value-range": [30, 80, 10]},
                ),
                _prop(4, "water-shortage", "Water Shortage", "bool", RO),
                _prop(5, "water-level", "Water Level", "uint8", RO, **{"value-range": [0, 127, 1]}),
                _prop(6, "text-display", "Display Text", "string", ["write"]),
            ],
            "actions": [
                {"iid": 1, "type": _urn("action", "toggle"), "description": "Toggle", "in": []},
            ],
        },
        {
            "iid": 3,
            "type": _urn("service", "environment"),
            "description": "Environment",
            "properties": [
                _prop(
                    1,
                    "relative-humidity",
                    "Relative Humidity",
                    "uint8",
                    RO,
                    unit="percentage",
                    **{"value-range": [0, 100, 1]},
                ),
            ],
        },
    ],
}
"""A humidifier of a service type no table knows, whose spec makes a select (fan level), a
number (target humidity, step 10), a binary sensor (water shortage), sensors, a switch and a
button (toggle); its write-only property makes nothing."""
HUMIDIFIER_SPEC = MiotSpec.from_dict(HUMIDIFIER_SPEC_DATA)


@dataclass(frozen=True, slots=True)
class _HumidifierConfig(DeviceConfig):
    """A simulated device whose spec is `HUMIDIFIER_SPEC` instead of a bundled one."""

    @property
    def spec(self) -> MiotSpec | None:
        """The test spec."""
        return HUMIDIFIER_SPEC


def _spec_as_if_bundled(model: str) -> MiotSpec:
    return HUMIDIFIER_SPEC if model == HUMIDIFIER_MODEL else load_bundled_spec(model)


@asynccontextmanager
async def humidifier_device(
    hass: HomeAssistant, **state: Any
) -> AsyncIterator[tuple[VirtualDevice, MockConfigEntry]]:
    """A simulated humidifier on loopback, set up in Home Assistant; `state` by property name."""
    did = 424242
    config = _HumidifierConfig(
        id="humidifier",
        # The simulator has no humidifier kind; any LAN kind makes a miIO endpoint.
        kind="air_conditioner",
        name="Bedroom Humidifier",
        did=did,
        token="00112233445566778899aabbccddee01",
        model=HUMIDIFIER_MODEL,
        state={
            **initial_state(HUMIDIFIER_SPEC, HUMIDIFIER_MODEL, did),
            **parse_state(state, HUMIDIFIER_SPEC),
        },
    )
    sim = Simulator(Home(rooms=(), devices=(config,)), first_address=first_address(), seed=1)
    await sim.start()
    device = sim.devices["humidifier"]
    try:
        with (
            patch(
                "custom_components.xiaomi_aiot.spec_library.load_bundled_spec",
                side_effect=_spec_as_if_bundled,
            ),
            patch(
                "custom_components.xiaomi_aiot.spec_library.bundled_models",
                return_value=bundled_models() | {HUMIDIFIER_MODEL},
            ),
        ):
            entry = entry_for(device)
            entry.add_to_hass(hass)
            await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            yield device, entry
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    finally:
        await sim.stop()


async def call_service(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    """Call an entity service and wait for it."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def set_up_real(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    domain: str,
    key: str | None = None,
) -> tuple[VirtualDevice, str]:
    """A real model (the `real_device` fixture) added by hand; the entity id of its entity
    of `domain` with this unique-id key, or of its only one."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    if key is not None:
        return device, entity_of(hass, device, domain, key)
    (entity,) = [
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.domain == domain and entry.unique_id.startswith(f"{device.did}-")
    ]
    return device, entity
