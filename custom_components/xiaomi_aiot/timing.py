"""How long the integration waits for devices on the LAN, one setting per Home Assistant.

The defaults are what a home network needs. A Home Assistant instance can have its own,
`hass.data[DATA_TIMING] = Timing(...)` before the integration is set up: the test suite does
that, since its simulated devices answer on loopback within milliseconds, and the suite would
otherwise sit through every timeout of a device that is meant not to answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .miot.lan import DEFAULT_TIMEOUT


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds to wait for a device before giving up on one attempt (there are retries)."""

    account_lan: float = 1.5
    """An account's device on the LAN, before the cloud is asked instead."""
    local_device: float = DEFAULT_TIMEOUT
    """A device added by address and token, at each poll."""
    probe: float = DEFAULT_TIMEOUT
    """A device the config flow checks by address and token."""


DATA_TIMING: HassKey[Timing] = HassKey(f"{DOMAIN}_timing")
DEFAULT_TIMING = Timing()


def timing(hass: HomeAssistant) -> Timing:
    """This Home Assistant's timing: its own if it has one, else the defaults."""
    return hass.data.get(DATA_TIMING, DEFAULT_TIMING)
