"""What a loaded config entry holds, and the signal that tells its platforms of a new device.

This module sits above the coordinators and below everything that reads an entry's devices
(set-up, platforms, services, diagnostics): it imports the coordinators, and they do not
import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform

from .account import AccountCoordinator
from .const import DOMAIN
from .coordinator import MiotCoordinator
from .miot.udp import LanSocket


@dataclass(kw_only=True)
class XiaomiRuntimeData:
    """What a config entry holds while it is loaded: its devices' coordinators by did."""

    coordinators: dict[str, MiotCoordinator]
    account: AccountCoordinator | None = None
    options: dict[str, Any] = field(default_factory=dict)
    """The options the entry was set up with: another change of options reloads it."""
    platforms: list[Platform] = field(default_factory=list)
    """The platforms set up for the entry, the ones to unload (Assist may come later)."""
    lan_socket: LanSocket | None = None
    """The UDP socket an account's devices share on the LAN."""


type XiaomiConfigEntry = ConfigEntry[XiaomiRuntimeData]


def new_device_signal(entry_id: str) -> str:
    """The dispatcher signal sent with the coordinator of a device added to a loaded entry."""
    return f"{DOMAIN}_{entry_id}_new_device"
