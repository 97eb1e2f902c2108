"""Diagnostics: what a device is and what it last said, without its token, MAC or address."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_TOKEN, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .const import CONF_CLOUD_TOKENS, CONF_MAC, CONF_SKILL_SECRET
from .coordinator import MiotCoordinator
from .runtime import XiaomiConfigEntry

TO_REDACT: Final = {
    CONF_TOKEN,
    CONF_MAC,
    CONF_HOST,
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_CLOUD_TOKENS,
    CONF_SKILL_SECRET,
    # Xiaomi's sign-in, wherever it may show up
    "user_id",
    "c_user_id",
    "pass_token",
    "ssecurity",
    "service_token",
}
PRIVATE_PROPERTIES: Final = {"latitude", "longitude"}
"""Where a car or a phone is: not for a diagnostics file shared in an issue."""


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: XiaomiConfigEntry
) -> dict[str, Any]:
    """The entry's settings, redacted, and each of its devices' last poll."""
    return {
        "entry": {
            "data": async_redact_data(entry.data, TO_REDACT),
            "options": async_redact_data(entry.options, TO_REDACT),
        },
        "devices": [
            _device(coordinator) for coordinator in entry.runtime_data.coordinators.values()
        ],
    }


def _device(coordinator: MiotCoordinator) -> dict[str, Any]:
    spec = coordinator.spec
    info = asdict(coordinator.info) if coordinator.info else None
    push = coordinator.push
    properties: dict[str, dict[str, Any]] = {}
    for (siid, piid), result in (coordinator.data or {}).items():
        prop = spec.property(siid, piid)
        properties[f"{siid}.{piid}"] = {
            "service": prop.service,
            "name": prop.name,
            "code": result.code,
            "value": "**REDACTED**" if prop.name in PRIVATE_PROPERTIES else result.value,
        }
    return {
        "info": None if info is None else async_redact_data(info, TO_REDACT),
        "spec": {"type": spec.type, "description": spec.description, "skipped": spec.skipped},
        "last_update_success": coordinator.last_update_success,
        "update_interval": coordinator.interval.total_seconds(),
        "push": None if push is None else {"subscribed": push.healthy, "reports": push.reports},
        "batch_limit": coordinator.device.batch_limit,
        "properties": properties,
    }
