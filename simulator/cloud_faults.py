"""Fault settings of the simulated cloud, and the validation of a change to them.

A change is a JSON object; each key is optional and ``null`` puts a setting back to its default.
``expire_tokens`` is a one-off action (every service token issued so far expires now).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .faults import FaultError

CLOUD_FAULT_KEYS = (
    "error_rate",
    "timeout",
    "expire_tokens",
    "offline_devices",
    "page_limit",
    "spec_server",
    "captcha",
    "two_step",
    "refuse_pass_token",
    "rate_limit",
)
SPEC_SERVER_FAULTS = ("down", "error", "slow", "garbage")


@dataclass(frozen=True, slots=True)
class CloudFaults:
    """The persistent fault settings of the cloud (all off by default)."""

    error_rate: float = 0.0
    timeout: bool = False
    offline_devices: frozenset[str] = field(default_factory=frozenset)
    page_limit: int | None = None
    spec_server: str | None = None
    captcha: bool = False
    two_step: bool | str = False
    """2-step verification: off, on (a code by text or e-mail), or ``phone`` / ``email`` only."""
    refuse_pass_token: bool = False
    rate_limit: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The settings as JSON."""
        return {
            "error_rate": self.error_rate,
            "timeout": self.timeout,
            "offline_devices": sorted(self.offline_devices),
            "page_limit": self.page_limit,
            "spec_server": self.spec_server,
            "captcha": self.captcha,
            "two_step": self.two_step,
            "refuse_pass_token": self.refuse_pass_token,
            "rate_limit": self.rate_limit,
        }


@dataclass(frozen=True, slots=True)
class CloudFaultChange:
    """A validated change: new settings, plus the one-off ``expire_tokens``."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    expire_tokens: bool = False

    def apply_to(self, faults: CloudFaults) -> CloudFaults:
        """The settings after this change."""
        return replace(faults, **self.settings)


def parse_cloud_fault_change(data: Any, device_ids: Collection[str]) -> CloudFaultChange:
    """Validate a change; `device_ids` are the ids ``offline_devices`` may name."""
    if not isinstance(data, Mapping):
        raise FaultError("cloud faults: expected an object of fault settings")
    settings: dict[str, Any] = {}
    expire = False
    defaults = CloudFaults()
    for key, value in data.items():
        if key not in CLOUD_FAULT_KEYS:
            raise FaultError(f"{key}: unknown cloud fault (known: {', '.join(CLOUD_FAULT_KEYS)})")
        if key == "expire_tokens":
            expire = value is not None and _boolean(key, value)
        elif value is None:
            settings[key] = getattr(defaults, key)
        else:
            settings[key] = _setting(key, value, device_ids)
    return CloudFaultChange(settings, expire)


TWO_STEP_ONLY = ("phone", "email")


def two_step_setting(where: str, value: Any) -> bool | str:
    """A valid ``two_step`` setting: true, false, ``phone`` or ``email``."""
    if isinstance(value, bool) or value in TWO_STEP_ONLY:
        return value  # type: ignore[no-any-return]
    raise FaultError(f"{where}: {value!r} is not true, false, phone or email")


def _setting(key: str, value: Any, device_ids: Collection[str]) -> Any:
    """A setting's validated value (not null)."""
    if key == "error_rate":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FaultError(f"{key}: {value!r} is not a number")
        if not math.isfinite(value) or not 0 <= value <= 1:
            raise FaultError(f"{key}: {value!r} is outside 0..1")
        return float(value)
    if key in ("timeout", "captcha", "refuse_pass_token", "rate_limit"):
        return _boolean(key, value)
    if key == "two_step":
        return two_step_setting(key, value)
    if key == "offline_devices":
        return _device_ids(value, device_ids)
    if key == "spec_server":
        if value not in SPEC_SERVER_FAULTS:
            raise FaultError(f"{key}: {value!r} is not one of {', '.join(SPEC_SERVER_FAULTS)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FaultError(f"{key}: {value!r} is not a positive integer (or null)")
    return value


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise FaultError(f"{key}: {value!r} is not true or false")
    return value


def _device_ids(value: Any, known: Collection[str]) -> frozenset[str]:
    if not isinstance(value, list):
        raise FaultError('offline_devices: expected a list of device ids, like ["su7"]')
    for index, device_id in enumerate(value):
        if not isinstance(device_id, str) or device_id not in known:
            raise FaultError(f"offline_devices[{index}]: no device {device_id!r}")
    return frozenset(value)
