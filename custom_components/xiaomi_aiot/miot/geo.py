"""GCJ-02 ("Mars coordinates") to WGS-84, for positions reported by devices sold in China.

Maps and devices in mainland China report positions in GCJ-02: WGS-84 shifted by a published,
deliberately non-linear offset of a few hundred metres. The forward transform below is the
widely published "China offset" algorithm (Krasovsky 1940 ellipsoid, a = 6378245.0 m,
e² = 0.00669342162296594323). It has no closed-form inverse, so `gcj02_to_wgs84` inverts it by
fixed-point iteration, to well under a centimetre. Points outside the rough bounding box of
China are not offset, and are returned unchanged.
"""

from __future__ import annotations

import math
from typing import Final

AXIS: Final = 6378245.0
ECCENTRICITY_SQUARED: Final = 0.00669342162296594323
EARTH_RADIUS: Final = 6371008.8
"""Mean Earth radius in metres (IUGG), for `distance`."""

_TOLERANCE: Final = 1e-10  # degrees, about 0.01 mm
_MAX_ROUNDS: Final = 30


def outside_china(latitude: float, longitude: float) -> bool:
    """Whether a point lies outside the box where the GCJ-02 offset applies."""
    return not (72.004 <= longitude <= 137.8347 and 0.8293 <= latitude <= 55.8271)


def _shift_latitude(x: float, y: float) -> float:
    shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    shift += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    shift += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y / 30.0 * math.pi)) * 2 / 3
    return shift


def _shift_longitude(x: float, y: float) -> float:
    shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    shift += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    shift += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return shift


def _offset(latitude: float, longitude: float) -> tuple[float, float]:
    """The GCJ-02 offset (degrees of latitude, degrees of longitude) at a WGS-84 point."""
    x, y = longitude - 105.0, latitude - 35.0
    radians = math.radians(latitude)
    magic = 1.0 - ECCENTRICITY_SQUARED * math.sin(radians) ** 2
    root = math.sqrt(magic)
    d_lat = _shift_latitude(x, y) * 180.0 / (AXIS * (1.0 - ECCENTRICITY_SQUARED) / (magic * root))
    d_lng = _shift_longitude(x, y) * 180.0 / (AXIS / root * math.cos(radians))
    return d_lat / math.pi, d_lng / math.pi


def wgs84_to_gcj02(latitude: float, longitude: float) -> tuple[float, float]:
    """A WGS-84 point in GCJ-02 (unchanged outside China)."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    d_lat, d_lng = _offset(latitude, longitude)
    return latitude + d_lat, longitude + d_lng


def gcj02_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """A GCJ-02 point in WGS-84 (unchanged outside China), by iterating the forward offset."""
    if outside_china(latitude, longitude):
        return latitude, longitude
    wgs_lat, wgs_lng = latitude, longitude
    for _ in range(_MAX_ROUNDS):
        d_lat, d_lng = _offset(wgs_lat, wgs_lng)
        error_lat, error_lng = wgs_lat + d_lat - latitude, wgs_lng + d_lng - longitude
        wgs_lat, wgs_lng = wgs_lat - error_lat, wgs_lng - error_lng
        if abs(error_lat) < _TOLERANCE and abs(error_lng) < _TOLERANCE:
            break
    return wgs_lat, wgs_lng


def distance(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance in metres between two points (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2.0 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(h)))
