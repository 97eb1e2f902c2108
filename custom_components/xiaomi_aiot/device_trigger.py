"""Device triggers: a lock's operations, a door's events, a button's presses.

Which spec events are triggers, and their types, is the mapping's `TRIGGERS` table; a device
offers the triggers of the events its spec has. The event entity of each fires
`xiaomi_aiot_event` on the bus (see event.py), which the trigger listens for; an optional
event type narrows it (a lock opened by fingerprint only).
"""

from __future__ import annotations

from typing import Any, Final

import voluptuous as vol
from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.event import ATTR_EVENT_TYPE
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .const import DEVICE_EVENT, DOMAIN
from .coordinator import MiotCoordinator
from .mapping import TRIGGERS
from .runtime import XiaomiConfigEntry

TRIGGER_SCHEMA: Final = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(set(TRIGGERS.values())),
        vol.Optional(ATTR_EVENT_TYPE): str,
    }
)


def _coordinator(hass: HomeAssistant, device_id: str) -> MiotCoordinator | None:
    """The coordinator of a registry device; None while its entry is not loaded."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    dids = [identifier for domain, identifier in device.identifiers if domain == DOMAIN]
    for entry_id in device.config_entries:
        entry: XiaomiConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
            continue
        for did in dids:
            if (coordinator := entry.runtime_data.coordinators.get(did)) is not None:
                return coordinator
    return None


def _event_types(coordinator: MiotCoordinator) -> dict[str, list[str]]:
    """The device's trigger types, each with the event types its events can have."""
    found: dict[str, list[str]] = {}
    for item in coordinator.plan.events:
        if item.trigger is None:
            continue
        names = [c.name for c in item.kind.value_list] if item.kind else [item.event.name]
        known = found.setdefault(item.trigger, [])
        known.extend(name for name in names if name not in known)
    return found


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:
    """Check the trigger against the device's spec where the device is loaded."""
    config = TRIGGER_SCHEMA(config)
    coordinator = _coordinator(hass, config[CONF_DEVICE_ID])
    if coordinator is None:
        return config
    types = _event_types(coordinator)
    event_type = config.get(ATTR_EVENT_TYPE)
    if config[CONF_TYPE] not in types or (
        event_type is not None and event_type not in types[config[CONF_TYPE]]
    ):
        raise InvalidDeviceAutomationConfig(
            translation_domain=DOMAIN,
            translation_key="invalid_trigger",
            translation_placeholders={"trigger": config[CONF_TYPE]},
        )
    return config


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """The triggers of a device's spec events."""
    coordinator = _coordinator(hass, device_id)
    if coordinator is None:
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger,
        }
        for trigger in _event_types(coordinator)
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """An optional event type, from the event's value list, where it has more than one."""
    coordinator = _coordinator(hass, config[CONF_DEVICE_ID])
    names = _event_types(coordinator).get(config[CONF_TYPE], []) if coordinator else []
    if len(names) < 2:
        return {}
    return {"extra_fields": vol.Schema({vol.Optional(ATTR_EVENT_TYPE): vol.In(names)})}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the device's event of the trigger's type."""
    event_data = {CONF_DEVICE_ID: config[CONF_DEVICE_ID], CONF_TYPE: config[CONF_TYPE]}
    if ATTR_EVENT_TYPE in config:
        event_data[ATTR_EVENT_TYPE] = config[ATTR_EVENT_TYPE]
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: DEVICE_EVENT,
            CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
