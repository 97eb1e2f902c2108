"""Device triggers: a real lock's operations and a real gateway's button, from the device page.

The simulator is the real model; it reports the event as the device would, and the automation
made of the device's trigger runs.
"""

from __future__ import annotations

from typing import Any

import pytest
import voluptuous as vol
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    InvalidDeviceAutomationConfig,
    async_get_device_automations,
)
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.xiaomi_aiot import device_trigger
from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.mapping import TRIGGERS, plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from harness.hass import add_by_hand, device_of
from harness.platforms import pushed
from harness.real_specs import ABSENT, REAL_SPEC_FILES, real_document, real_models
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

LOCK = "lumi.lock.mcn01"
BUTTON = "lumi.gateway.mcn001"
TRIGGER_TYPES = {
    LOCK: ["lock_opened", "lock_locked", "back_locking", "lock_alarm", "door_event"],
    BUTTON: ["click", "double_click", "long_press"],
}


async def set_up(hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]) -> str:
    """Add the real device; its registry device's id."""
    device, server = real_device
    await add_by_hand(hass, device, server.url)
    entry = device_of(hass, device.did)
    assert entry is not None
    return entry.id


def trigger(device_id: str, trigger_type: str, **extra: str) -> dict[str, Any]:
    """A device trigger of ours, as the automation editor writes it."""
    return {
        CONF_PLATFORM: "device",
        CONF_DOMAIN: DOMAIN,
        CONF_DEVICE_ID: device_id,
        CONF_TYPE: trigger_type,
        **extra,
    }


async def automate(hass: HomeAssistant, *triggers: dict[str, Any]) -> list[ServiceCall]:
    """One automation per trigger, each calling `test.automation` with its trigger's id."""
    calls = async_mock_service(hass, "test", "automation")
    automations = [
        {
            "id": str(number),
            "triggers": [{**config, "id": str(number)}],
            "actions": {
                "action": "test.automation",
                "data": {
                    "automation": str(number),
                    "event_type": "{{ trigger.event.data.event_type }}",
                },
            },
        }
        for number, config in enumerate(triggers)
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()
    return calls


@pytest.mark.parametrize("real_device", list(TRIGGER_TYPES), indirect=True)
async def test_a_device_lists_the_triggers_of_its_spec_events(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """A lock's operations and door events, a button's presses: what its spec reports."""
    device_id = await set_up(hass, real_device)

    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device_id])

    ours = [t for t in triggers[device_id] if t[CONF_DOMAIN] == DOMAIN]
    assert ours == [
        {**trigger(device_id, name), "metadata": {}} for name in TRIGGER_TYPES[real_device[0].model]
    ]


@pytest.mark.parametrize("real_device", [LOCK], indirect=True)
async def test_a_fingerprint_at_the_lock_runs_the_automations_of_its_trigger(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Opened by fingerprint: the "lock opened" automation and the by-fingerprint one run;
    then by password: only the first; the lock locking runs neither."""
    device_id = await set_up(hass, real_device)
    calls = await automate(
        hass,
        trigger(device_id, "lock_opened"),
        trigger(device_id, "lock_opened", event_type="fingerprint"),
        trigger(device_id, "lock_locked"),
    )
    device = real_device[0]

    device.emit_event("lock-opened", {"operation-method": 2, "operation-id": 5})
    await pushed(hass)
    device.emit_event("lock-opened", {"operation-method": 1, "operation-id": 3})
    await pushed(hass)

    assert [(c.data["automation"], c.data["event_type"]) for c in calls] == [
        ("0", "fingerprint"),
        ("1", "fingerprint"),
        ("0", "password"),
    ]


@pytest.mark.parametrize("real_device", [LOCK], indirect=True)
async def test_the_door_left_open_runs_the_door_trigger(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """The door service's event is the door trigger's, with what happened as its type."""
    device_id = await set_up(hass, real_device)
    calls = await automate(hass, trigger(device_id, "door_event", event_type="open_over_time"))

    real_device[0].emit_event("door.exception-occurred", {"abnormal-condition": 0})
    await pushed(hass)
    real_device[0].emit_event("door.exception-occurred", {"abnormal-condition": 2})
    await pushed(hass)

    assert [c.data["event_type"] for c in calls] == ["open_over_time"]


@pytest.mark.parametrize(
    ("pressed", "expected"),
    [("click", "click"), ("double-click", "double_click"), ("long-press", "long_press")],
)
@pytest.mark.parametrize("real_device", [BUTTON], indirect=True)
async def test_a_button_press_runs_the_automation_of_its_kind_only(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    pressed: str,
    expected: str,
) -> None:
    """The gateway's button: a double click runs the double-click automation, no other."""
    device_id = await set_up(hass, real_device)
    kinds = TRIGGER_TYPES[BUTTON]
    calls = await automate(hass, *(trigger(device_id, kind) for kind in kinds))

    real_device[0].emit_event(f"switch-sensor.{pressed}", {})
    await pushed(hass)

    assert [c.data["automation"] for c in calls] == [str(kinds.index(expected))]


@pytest.mark.parametrize(
    ("trigger_type", "extra"),
    [("click", {}), ("lock_opened", {"event_type": "face"}), ("no_such_trigger", {})],
    ids=["not-this-device", "not-its-method", "unknown"],
)
@pytest.mark.parametrize("real_device", [LOCK], indirect=True)
async def test_a_trigger_the_device_does_not_have_is_refused(
    hass: HomeAssistant,
    real_device: tuple[VirtualDevice, CloudServer],
    trigger_type: str,
    extra: dict[str, str],
) -> None:
    """A lock has no button, and no face recognition: a trigger of them is invalid."""
    device_id = await set_up(hass, real_device)

    with pytest.raises((InvalidDeviceAutomationConfig, vol.Invalid)):
        await device_trigger.async_validate_trigger_config(
            hass, trigger(device_id, trigger_type, **extra)
        )


@pytest.mark.parametrize("real_device", [LOCK], indirect=True)
async def test_a_lock_trigger_can_be_narrowed_to_an_opening_method(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """The editor offers the lock's methods as the trigger's optional event type."""
    device_id = await set_up(hass, real_device)

    capabilities = await device_trigger.async_get_trigger_capabilities(
        hass, trigger(device_id, "lock_opened")
    )
    button = await device_trigger.async_get_trigger_capabilities(
        hass, trigger(device_id, "back_locking")
    )

    (field,) = capabilities["extra_fields"].schema
    assert str(field) == "event_type"
    assert capabilities["extra_fields"].schema[field].container == [
        "ble_outdoor",
        "password",
        "fingerprint",
        "key",
        "nfc",
        "one_time_password",
        "manual_outdoor",
        "manual_indoor",
    ]
    assert button == {}


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
async def test_every_trigger_type_has_a_translated_name(hass: HomeAssistant, language: str) -> None:
    """The automation editor names each trigger in the user's language."""
    translations = await async_get_translations(hass, language, "device_automation", [DOMAIN])

    prefix = f"component.{DOMAIN}.device_automation"
    missing = [
        name
        for name in set(TRIGGERS.values())
        if not translations.get(f"{prefix}.trigger_type.{name}")
    ]
    assert missing == []
    assert translations[f"{prefix}.extra_fields.event_type"]


TRIGGER_SERVICES = ("lock", "door", "doorbell", "magnet-sensor", "switch-sensor")
"""Services whose events are lock operations, door events and button presses."""


@pytest.mark.parametrize("model", real_models())
def test_every_real_lock_door_and_button_event_is_a_trigger(model: str) -> None:
    """Over every real document: none of these events is left without a trigger."""
    plan = plan_device(MiotSpec.from_dict(real_document(model)))

    left = [
        f"{item.event.service}.{item.event.name}"
        for item in plan.events
        if item.event.service in TRIGGER_SERVICES and item.trigger is None
    ]

    assert left == []
