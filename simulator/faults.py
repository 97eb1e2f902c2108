"""Fault settings of a virtual device, and the validation of a fault change.

A change is a JSON/YAML object; each key is optional and ``null`` puts a setting back to its
default. ``reboot`` and ``token`` are one-off actions rather than settings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from custom_components.xiaomi_aiot.miot.spec import MiotSpec

PROBABILITIES = ("loss", "duplicate", "corrupt", "garbage", "malformed")
FAULT_KEYS = (
    *PROBABILITIES,
    "delay",
    "offline",
    "no_push",
    "legacy",
    "busy",
    "batch_limit",
    "property_errors",
    "reboot",
    "token",
)
MAX_DELAY = 600.0
_TOKEN = re.compile(r"^[0-9a-fA-F]{32}$")
_PROPERTY_KEY = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*)$")


class FaultError(ValueError):
    """A fault change is not acceptable; the message starts with the offending key."""


@dataclass(frozen=True, slots=True)
class Faults:
    """The persistent fault settings of one device (all off by default)."""

    loss: float = 0.0
    delay: float = 0.0
    duplicate: float = 0.0
    corrupt: float = 0.0
    garbage: float = 0.0
    malformed: float = 0.0
    offline: bool = False
    no_push: bool = False
    legacy: bool = False
    busy: bool = False
    batch_limit: int | None = None
    property_errors: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The settings as JSON (property error keys as ``"siid.piid"``)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["property_errors"] = {
            f"{siid}.{piid}": code for (siid, piid), code in sorted(self.property_errors.items())
        }
        return data


@dataclass(frozen=True, slots=True)
class FaultChange:
    """A validated change: new settings, plus the one-off reboot and token actions."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    reboot: bool = False
    token: str | None = None

    def apply_to(self, faults: Faults) -> Faults:
        """The settings after this change."""
        return replace(faults, **self.settings)


def parse_fault_change(data: Any, spec: MiotSpec | None = None) -> FaultChange:
    """Validate a fault change; `spec`, when given, checks ``property_errors`` keys."""
    if not isinstance(data, Mapping):
        raise FaultError("faults: expected an object of fault settings")
    settings: dict[str, Any] = {}
    reboot = False
    token: str | None = None
    defaults = Faults()
    for key, value in data.items():
        if key not in FAULT_KEYS:
            known = ", ".join(FAULT_KEYS)
            raise FaultError(f"{key}: unknown fault (known: {known})")
        if key == "reboot":
            reboot = _boolean(key, value, allow_null=True)
        elif key == "token":
            token = _token(value)
        elif value is None:
            settings[key] = getattr(defaults, key)
        elif key in PROBABILITIES:
            settings[key] = _number(key, value, 0.0, 1.0)
        elif key == "delay":
            settings[key] = _number(key, value, 0.0, MAX_DELAY)
        elif key in ("offline", "no_push", "legacy", "busy"):
            settings[key] = _boolean(key, value)
        elif key == "batch_limit":
            settings[key] = _batch_limit(value)
        else:
            settings[key] = _property_errors(value, spec)
    return FaultChange(settings, reboot, token)


def _number(key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FaultError(f"{key}: {value!r} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise FaultError(f"{key}: {value!r} is not a number")
    if not low <= value <= high:
        raise FaultError(f"{key}: {value!r} is outside {low:g}..{high:g}")
    return float(value)


def _boolean(key: str, value: Any, *, allow_null: bool = False) -> bool:
    if value is None and allow_null:
        return False
    if not isinstance(value, bool):
        raise FaultError(f"{key}: {value!r} is not true or false")
    return value


def _token(value: Any) -> str:
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise FaultError(f"token: {value!r} is not 32 hexadecimal characters")
    return value.lower()


def _batch_limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FaultError(f"batch_limit: {value!r} is not a positive integer (or null)")
    return value


def _property_errors(value: Any, spec: MiotSpec | None) -> dict[tuple[int, int], int]:
    if not isinstance(value, Mapping):
        raise FaultError('property_errors: expected an object like {"2.1": -4001}')
    errors: dict[tuple[int, int], int] = {}
    for raw_key, code in value.items():
        match = _PROPERTY_KEY.match(str(raw_key)) if isinstance(raw_key, str) else None
        if match is None:
            raise FaultError(
                f'property_errors.{raw_key}: a key is "siid.piid" as a string, like "2.1"'
            )
        siid, piid = int(match[1]), int(match[2])
        if spec is not None and piid not in getattr(spec.services.get(siid), "properties", {}):
            raise FaultError(f"property_errors.{raw_key}: no property {siid}.{piid} in the spec")
        if isinstance(code, bool) or not isinstance(code, int) or code == 0:
            raise FaultError(f"property_errors.{raw_key}: {code!r} is not a non-zero error code")
        errors[siid, piid] = code
    return errors
