"""GCJ-02 and WGS-84: the published offset, its inverse, and points outside China."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.xiaomi_aiot.miot.geo import (
    distance,
    gcj02_to_wgs84,
    outside_china,
    wgs84_to_gcj02,
)

# (WGS-84 latitude, longitude, GCJ-02 latitude, longitude)
EVILTRANSFORM_PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]
COORDTRANSFORM_PAIR = (39.915, 116.404, 39.91640428150164, 116.41024449916938)  # Tiananmen


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), EVILTRANSFORM_PAIRS)
def test_published_pairs_convert_both_ways(
    wgs_lat: float, wgs_lng: float, gcj_lat: float, gcj_lng: float
) -> None:
    """The reference pairs of googollee/eviltransform (go/transform_test.go, `tests`).

    Source: https://github.com/googollee/eviltransform/blob/master/go/transform_test.go —
    Shanghai, Shenzhen and Beijing, WGS-84 and GCJ-02 of each.
    """
    assert distance(*wgs84_to_gcj02(wgs_lat, wgs_lng), gcj_lat, gcj_lng) < 1.0
    assert distance(*gcj02_to_wgs84(gcj_lat, gcj_lng), wgs_lat, wgs_lng) < 1.0


def test_tiananmen_pair_converts_both_ways() -> None:
    """The example of wandergis/coordtransform's README: WGS-84 (39.915, 116.404), by Tiananmen.

    Source: https://github.com/wandergis/coordtransform (README and test/app.js:
    ``wgs84togcj02(116.404, 39.915)`` → ``[116.41024449916938, 39.91640428150164]``).
    """
    wgs_lat, wgs_lng, gcj_lat, gcj_lng = COORDTRANSFORM_PAIR
    assert distance(*wgs84_to_gcj02(wgs_lat, wgs_lng), gcj_lat, gcj_lng) < 1.0
    assert distance(*gcj02_to_wgs84(gcj_lat, gcj_lng), wgs_lat, wgs_lng) < 1.0


def test_the_offset_is_hundreds_of_metres_in_china() -> None:
    """Ignoring the offset would put a car in Beijing a few hundred metres off."""
    wgs_lat, wgs_lng, gcj_lat, gcj_lng = EVILTRANSFORM_PAIRS[2]
    assert 300 < distance(wgs_lat, wgs_lng, gcj_lat, gcj_lng) < 1000


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(48.8584, 2.2945), (40.6892, -74.0445), (35.6586, 139.7454), (-33.8568, 151.2153)],
)
def test_points_outside_china_are_unchanged(latitude: float, longitude: float) -> None:
    """Paris, New York, Tokyo and Sydney have no offset."""
    assert outside_china(latitude, longitude)
    assert wgs84_to_gcj02(latitude, longitude) == (latitude, longitude)
    assert gcj02_to_wgs84(latitude, longitude) == (latitude, longitude)


def test_distance_is_haversine() -> None:
    """One degree of latitude is about 111.2 km; the same point is 0 m away."""
    assert distance(39.9, 116.4, 39.9, 116.4) == 0
    assert distance(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_195, rel=1e-3)


@given(
    latitude=st.floats(min_value=18.0, max_value=53.5),
    longitude=st.floats(min_value=73.7, max_value=135.0),
)
def test_round_trip_inside_china(latitude: float, longitude: float) -> None:
    """gcj→wgs undoes wgs→gcj to well under half a metre anywhere in China."""
    gcj = wgs84_to_gcj02(latitude, longitude)
    assert distance(*gcj02_to_wgs84(*gcj), latitude, longitude) < 0.5
    wgs = gcj02_to_wgs84(latitude, longitude)
    assert distance(*wgs84_to_gcj02(*wgs), latitude, longitude) < 0.5
