"""Device trackers: where a car or a phone is, from its location service, in WGS-84."""

from __future__ import annotations

from typing import Final

from homeassistant.components.device_tracker import SourceType, TrackerEntity
from homeassistant.const import Platform
from homeassistant.core import callback

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, set_up_roles
from .mapping import DATUMS, Datum, RoleItem
from .miot.geo import gcj02_to_wgs84
from .miot.spec import Value

PARALLEL_UPDATES = 0

DECIMALS: Final = 6
"""Degrees are shown to a micro-degree (about 0.1 m), the precision devices report them in."""


def wgs84_position(
    latitude: Value | None, longitude: Value | None, datum: Datum
) -> tuple[float, float] | None:
    """A reported position in WGS-84, the datum Home Assistant's zones and maps use."""
    if not isinstance(latitude, int | float) or not isinstance(longitude, int | float):
        return None
    position = (float(latitude), float(longitude))
    if datum is Datum.GCJ02:
        position = gcj02_to_wgs84(*position)
    return round(position[0], DECIMALS), round(position[1], DECIMALS)


class XiaomiTracker(XiaomiRoleEntity, TrackerEntity):
    """A GPS position; home, away or a zone's name come from Home Assistant's zones."""

    _attr_source_type = SourceType.GPS

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Take the datum of the device type's positions from the mapping."""
        super().__init__(coordinator, item)
        self._datum = DATUMS.get(coordinator.spec.device_type, Datum.WGS84)
        self._update_position()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Convert the new position once, not on every read of it."""
        self._update_position()
        super()._handle_coordinator_update()

    def _update_position(self) -> None:
        position = wgs84_position(self.value("latitude"), self.value("longitude"), self._datum)
        self._attr_latitude, self._attr_longitude = position or (None, None)
        accuracy = self.value("accuracy")
        self._attr_location_accuracy = (
            round(accuracy) if isinstance(accuracy, int | float) and position else 0
        )


async_setup_entry = set_up_roles(Platform.DEVICE_TRACKER, XiaomiTracker)
"""Add a device tracker for each location service."""
