"""Decoding what a subscribed device reports of itself: typed values, or nothing.

The payloads are those a device sends over the LAN (the simulator's README shows the same):
``properties_changed`` with a list of changes, ``event_occured`` with its arguments.
"""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.reports import (
    EventOccurred,
    PropertiesChanged,
    decode_report,
)

DID = "937539826"


def test_changed_properties_come_back_by_siid_and_piid() -> None:
    """Every change of the list, keyed by (siid, piid); the did and other fields are ignored."""
    params = [
        {"did": DID, "siid": 2, "piid": 1, "value": True},
        {"did": DID, "siid": 2, "piid": 2, "value": 30},
        {"did": DID, "siid": 3, "piid": 1, "value": "sunny", "code": 0},
    ]
    assert decode_report("properties_changed", params) == PropertiesChanged(
        values={(2, 1): True, (2, 2): 30, (3, 1): "sunny"}
    )


def test_an_event_comes_back_with_its_arguments_by_piid() -> None:
    """A lock opened by fingerprint: siid 2, eiid 1, and three arguments."""
    params = {
        "did": DID,
        "siid": 2,
        "eiid": 1,
        "tid": 1234,
        "arguments": [{"piid": 1, "value": 2}, {"piid": 2, "value": 4}, {"piid": 4, "value": ""}],
    }
    assert decode_report("event_occured", params) == EventOccurred(
        siid=2, eiid=1, arguments={1: 2, 2: 4, 4: ""}
    )


def test_an_event_without_arguments_has_none() -> None:
    """A button press carries no arguments at all, or an empty list."""
    expected = EventOccurred(siid=3, eiid=1, arguments={})
    assert decode_report("event_occured", {"did": DID, "siid": 3, "eiid": 1}) == expected
    assert decode_report("event_occured", {"siid": 3, "eiid": 1, "arguments": []}) == expected


def test_a_change_of_the_wrong_shape_is_left_out_and_the_rest_kept() -> None:
    """Text ids, booleans (JSON's true is not 1), no value, not an object: skipped."""
    params = [
        {"siid": "2", "piid": 1, "value": 1},
        {"siid": True, "piid": 1, "value": False},
        {"siid": 2, "piid": 2},
        "x",
        None,
        {"siid": 2, "piid": 3, "value": None},
    ]
    assert decode_report("properties_changed", params) == PropertiesChanged(values={(2, 3): None})


def test_an_argument_of_the_wrong_shape_is_left_out_and_the_rest_kept() -> None:
    """The event stands; only its unreadable arguments are dropped."""
    params = {
        "siid": 2,
        "eiid": 1,
        "arguments": [{"piid": "1", "value": 2}, {"piid": False, "value": 1}, {"value": 3}, 7],
    }
    assert decode_report("event_occured", params) == EventOccurred(siid=2, eiid=1, arguments={})


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("properties_changed", {"siid": 2, "piid": 1, "value": 1}),
        ("properties_changed", []),
        ("properties_changed", [{"siid": 2}, "x"]),
        ("properties_changed", None),
        ("event_occured", [{"siid": 2, "eiid": 1}]),
        ("event_occured", {"siid": 2, "eiid": "1", "arguments": []}),
        ("event_occured", {"siid": 2, "arguments": []}),
        ("event_occured", {"siid": 2, "eiid": 1, "arguments": {}}),
        ("event_occured", "siid=2"),
        ("props", [{"siid": 2, "piid": 1, "value": 1}]),
        ("event_occurred", {"siid": 2, "eiid": 1}),
    ],
)
def test_a_report_with_nothing_readable_decodes_to_none(method: str, params: Any) -> None:
    """The wrong shape, nothing left once the wrong items are out, or another method."""
    assert decode_report(method, params) is None
