"""The reports a subscribed device sends of itself, decoded into typed values.

A device reports changed properties as ``properties_changed``, a list of ``{"siid", "piid",
"value"}``, and an event as ``event_occured`` (Xiaomi's spelling), ``{"siid", "eiid",
"arguments": [{"piid", "value"}]}``. Items of the wrong shape are left out; a report with
nothing left, or of another method, decodes to None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from .device import PropertyKey


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertiesChanged:
    """Properties that changed on the device, with their new values."""

    values: Mapping[PropertyKey, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventOccurred:
    """An event of the device, with its arguments by property id."""

    siid: int
    eiid: int
    arguments: Mapping[int, Any]


type Report = PropertiesChanged | EventOccurred
type ReportHandler = Callable[[Report], None]


def decode_report(method: str, params: Any) -> Report | None:
    """The report a device's own message carries, or None if it carries none we understand."""
    if method == "properties_changed" and isinstance(params, list):
        values = {
            key: item["value"]
            for item in params
            if isinstance(item, Mapping) and "value" in item and (key := _key(item, "piid"))
        }
        return PropertiesChanged(values=values) if values else None
    if method == "event_occured" and isinstance(params, Mapping):
        key = _key(params, "eiid")
        arguments = params.get("arguments", [])
        if key is None or not isinstance(arguments, list):
            return None
        return EventOccurred(
            siid=key[0],
            eiid=key[1],
            arguments={
                item["piid"]: item["value"]
                for item in arguments
                if isinstance(item, Mapping) and _is_int(item.get("piid")) and "value" in item
            },
        )
    return None


def _is_int(value: object) -> TypeGuard[int]:
    """An int, not a bool (which JSON's true and false decode to)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _key(item: Mapping[str, Any], second: str) -> tuple[int, int] | None:
    siid, iid = item.get("siid"), item.get(second)
    if _is_int(siid) and _is_int(iid):
        return (siid, iid)
    return None
