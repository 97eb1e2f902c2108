"""Validation of fault changes."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.bundle import load_bundled_spec
from simulator.faults import FaultError, Faults, parse_fault_change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ([], "faults: expected an object"),
        ({"lag": 1}, "lag: unknown fault"),
        ({"loss": 1.5}, "loss: 1.5 is outside 0..1"),
        ({"loss": -0.1}, "loss: -0.1 is outside 0..1"),
        ({"duplicate": True}, "duplicate: True is not a number"),
        ({"corrupt": "0.5"}, "corrupt: '0.5' is not a number"),
        ({"garbage": float("nan")}, "garbage: nan is not a number"),
        ({"delay": -1}, "delay: -1 is outside 0..600"),
        ({"offline": 1}, "offline: 1 is not true or false"),
        ({"reboot": "yes"}, "reboot: 'yes' is not true or false"),
        ({"token": "xyz"}, "token: 'xyz' is not 32 hexadecimal"),
        ({"token": None}, "token: None is not 32 hexadecimal"),
        ({"batch_limit": 0}, "batch_limit: 0 is not a positive integer"),
        ({"batch_limit": 2.5}, "batch_limit: 2.5 is not a positive integer"),
        ({"property_errors": [1]}, "property_errors: expected an object"),
        ({"property_errors": {"2": -4004}}, "property_errors.2: a key is"),
        ({"property_errors": {2.1: -4004}}, "property_errors.2.1: a key is"),
        ({"property_errors": {"2.1": 0}}, "property_errors.2.1: 0 is not a non-zero"),
        ({"property_errors": {"2.1": "x"}}, "property_errors.2.1: 'x' is not"),
        ({"property_errors": {"4.1": -4004}}, "property_errors.4.1: no property 4.1"),
    ],
)
def test_errors(change: Any, message: str) -> None:
    """Each bad setting names its key."""
    spec = load_bundled_spec("yeelink.light.mono1")
    with pytest.raises(FaultError) as err:
        parse_fault_change(change, spec)
    assert str(err.value).startswith(message), str(err.value)


def test_change() -> None:
    """Settings are canonical; reboot and token are one-off actions; null resets."""
    change = parse_fault_change(
        {
            "loss": 1,
            "delay": 0.25,
            "offline": False,
            "batch_limit": 5,
            "property_errors": {"2.1": -4001},
            "reboot": True,
            "token": "AB" * 16,
        }
    )
    assert change.reboot
    assert change.token == "ab" * 16
    faults = change.apply_to(Faults(duplicate=0.5))
    assert faults == Faults(
        loss=1.0,
        delay=0.25,
        duplicate=0.5,
        batch_limit=5,
        property_errors={(2, 1): -4001},
    )
    reset = parse_fault_change({"loss": None, "batch_limit": None, "property_errors": None})
    assert reset.apply_to(faults) == Faults(delay=0.25, duplicate=0.5)
    assert parse_fault_change({"reboot": None}).reboot is False
