"""The Xiaomi AIoT integration: Xiaomi's home devices, car and people in Home Assistant.

This module imports nothing of Home Assistant, so that `miot`, the library inside the
integration, can be imported without it (by the simulator, the benchmarks and its tests).
The integration itself is in `integration`, which Home Assistant's hooks below import on first
use, in Home Assistant's import executor; Home Assistant has imported this module, and its
`config_flow` platform, there already.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import device_registry as dr
    from homeassistant.helpers.typing import ConfigType

    from .runtime import XiaomiConfigEntry

_INTEGRATION = f"{__name__}.integration"


async def _async_import(hass: HomeAssistant) -> None:
    """Import the integration without blocking the event loop."""
    if _INTEGRATION not in sys.modules:
        await hass.async_add_import_executor_job(importlib.import_module, _INTEGRATION)


def CONFIG_SCHEMA(config: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - Home Assistant's name
    """Configured in the UI only: a YAML entry is reported and ignored."""
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415 - see the top

    from .const import DOMAIN  # noqa: PLC0415 - importing the library loads this module only

    return cv.config_entry_only_config_schema(DOMAIN)(config)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's services and the Xiao Ai skill endpoint, once for all entries."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    return await integration.async_setup(hass, config)


async def async_setup_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Set up a local device, or every device of a Xiaomi account."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    return await integration.async_setup_entry(hass, entry)


async def async_migrate_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Bring an entry of an earlier version up to date; a newer one is refused."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    return await integration.async_migrate_entry(hass, entry)


async def async_remove_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> None:
    """A removed account leaves no repair issue behind."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    await integration.async_remove_entry(hass, entry)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: XiaomiConfigEntry, device: dr.DeviceEntry
) -> bool:
    """A device may be removed by hand once its account no longer has it, or the cloud says so."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    return await integration.async_remove_config_entry_device(hass, entry, device)


async def async_unload_entry(hass: HomeAssistant, entry: XiaomiConfigEntry) -> bool:
    """Unload the entities; the session closes with the entry."""
    await _async_import(hass)
    from . import integration  # noqa: PLC0415 - imported above, off the event loop

    return await integration.async_unload_entry(hass, entry)
