"""The integration's entity plans without Home Assistant or a device."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, MagicMock

from homeassistant.const import Platform

from custom_components.xiaomi_aiot.mapping import DevicePlan, RoleItem
from custom_components.xiaomi_aiot.miot import MiotSpec


def role(plan: DevicePlan, platform: Platform) -> RoleItem:
    """The plan's only role entity of a platform."""
    (item,) = plan.role_items(platform)
    return item


def fake_coordinator(spec: MiotSpec, values: dict[tuple[int, int], Any]) -> MagicMock:
    """A coordinator without Home Assistant or a device: the spec, values, and a write spy."""
    coordinator = MagicMock(info=None, did="1", values=values)
    coordinator.spec = coordinator.device.spec = spec
    coordinator.value.side_effect = values.get
    coordinator.async_write = AsyncMock()
    return coordinator
