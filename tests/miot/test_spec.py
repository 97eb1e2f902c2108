"""The MIoT spec model: parsing, lookup and value validation."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.xiaomi_aiot.miot.bundle import bundled_models, load_bundled_spec
from custom_components.xiaomi_aiot.miot.errors import MiotSpecError, MiotValueError
from custom_components.xiaomi_aiot.miot.spec import MiotSpec, urn_name


def test_every_bundled_spec_parses() -> None:
    """Each shipped spec file is a valid spec named after its model.

    Xiaomi's URNs name a model by vendor and last part (``yeelink-ct2`` for
    ``yeelink.light.ct2``); our modelled ones spell the whole model.
    """
    assert {"yeelink.light.color1", "xiaomi.aircondition.mc4", "loock.lock.v6"} <= (
        bundled_models()
    )
    for model in bundled_models():
        spec = load_bundled_spec(model)
        vendor, *_, last = model.split(".")
        assert spec.type.split(":")[5] in (f"{vendor}-{last}", model.replace(".", "-"))


def test_properties_are_found_by_service_and_name() -> None:
    """Properties are addressed by spec names, not only by numbers."""
    spec = load_bundled_spec("xiaomi.aircondition.mc4")
    target = spec.find("air-conditioner", "target-temperature")
    assert target is not None
    assert (target.siid, target.piid, target.unit, target.format) == (2, 4, "celsius", "float")
    assert spec.find("indicator-light", "on") == spec.property(6, 1)
    assert spec.find("air-conditioner", "nothing") is None
    assert spec.device_type == "air-conditioner"


def test_value_lists_give_named_choices() -> None:
    """A value list maps numbers to descriptions with identifier-like names."""
    mode = load_bundled_spec("xiaomi.aircondition.mc4").property(2, 2)
    choice = mode.choice(2)
    assert choice is not None
    assert (choice.description, choice.name) == ("Cool", "cool")
    assert mode.choice(99) is None


def test_actions_and_events_name_their_properties() -> None:
    """Actions list inputs, events list arguments, all as property ids of their service."""
    spec = load_bundled_spec("loock.lock.v6")
    assert spec.event(2, 1).arguments == (1, 2, 4)
    assert spec.event(5, 1).arguments == (2, 3)
    assert list(spec.actions()) == []  # a real Xiaomi door lock cannot be locked or unlocked
    speaker = load_bundled_spec("xiaomi.wifispeaker.lx06")
    assert speaker.validate_action_inputs(5, 5, ["开灯", True]) == ["开灯", True]
    assert len(list(speaker.actions())) == 10
    assert len(list(spec.events())) == 5


@pytest.mark.parametrize(
    ("siid", "piid", "value", "expected"),
    [
        (2, 1, True, True),
        (2, 1, 0, False),
        (2, 4, 26, 26),
        (2, 4, 26.5, 26.5),
        (2, 2, 3, 3),
        (2, 2, 3.0, 3),
        (4, 7, -12.3, -12.3),
    ],
)
def test_valid_values_are_returned_in_canonical_form(
    siid: int, piid: int, value: Any, expected: Any
) -> None:
    """Values that fit come back typed as the spec's format."""
    prop = load_bundled_spec("xiaomi.aircondition.mc4").property(siid, piid)
    result = prop.validate(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("siid", "piid", "value"),
    [
        (2, 1, "on"),
        (2, 1, 2),
        (2, 4, 15.5),
        (2, 4, 31.5),
        (2, 4, 26.3),
        (2, 4, "26"),
        (2, 4, True),
        (2, 4, float("nan")),
        (2, 2, 9),
        (2, 2, 1.5),
        (1, 1, 5),
    ],
)
def test_invalid_values_are_refused_before_sending(siid: int, piid: int, value: Any) -> None:
    """Wrong types, out-of-range or off-step numbers and unlisted values are refused."""
    prop = load_bundled_spec("xiaomi.aircondition.mc4").property(siid, piid)
    with pytest.raises(MiotValueError):
        prop.validate(value)


def test_integer_formats_are_bounded() -> None:
    """An integer must fit its format even without a value range."""
    spec = MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:x:0:m:1",
            "services": [
                {
                    "iid": 2,
                    "type": "urn:miot-spec-v2:service:s:0:m:1",
                    "properties": [
                        {"iid": 1, "type": "urn:miot-spec-v2:property:p:0:m:1", "format": "int8"}
                    ],
                }
            ],
        }
    )
    prop = spec.property(2, 1)
    assert prop.validate(-128) == -128
    with pytest.raises(MiotValueError):
        prop.validate(128)
    assert not prop.readable
    assert not prop.writable


def _ranged(fmt: str, value_range: list[float]) -> Any:
    """A property of a one-property spec with this format and value range."""
    prop = {
        "iid": 1,
        "type": "urn:miot-spec-v2:property:p:0:m:1",
        "format": fmt,
        "access": ["read", "write"],
        "value-range": value_range,
    }
    service = {"iid": 2, "type": "urn:miot-spec-v2:service:s:0:m:1", "properties": [prop]}
    document = {"type": "urn:miot-spec-v2:device:x:0:m:1", "services": [service]}
    return MiotSpec.from_dict(document).property(2, 1)


@pytest.mark.parametrize(
    ("fmt", "value_range", "value", "snapped"),
    [
        ("uint8", [6, 99, 3], 50, 51),  # a real speaker's volume (xiaomi.wifispeaker.l06a)
        ("uint8", [6, 99, 3], 49.5, 48),
        ("uint8", [6, 99, 3], 6, 6),
        ("uint8", [6, 99, 3], 99, 99),
        ("uint8", [0, 100, 3], 100, 99),  # the last step within the range, not 102
        ("float", [16, 31, 0.5], 24.3, 24.5),
        ("float", [0, 1, 0.1], 0.29, 0.3),
        ("uint8", [6, 99, 3], 200, 201),  # outside stays outside, for validate to refuse
        ("uint8", [1, 100, 0], 37, 37),
    ],
)
def test_numbers_snap_to_the_nearest_step(
    fmt: str, value_range: list[float], value: float, snapped: float
) -> None:
    """A number written through an entity goes on its nearest valid step, in its own type."""
    prop = _ranged(fmt, value_range)
    result = prop.snap(value)
    assert result == snapped
    assert type(result) is type(snapped)


def test_only_numbers_snap() -> None:
    """Booleans and strings are left for validation to judge."""
    prop = _ranged("uint8", [6, 99, 3])
    assert prop.snap(True) is True
    assert prop.snap("50") == "50"


@pytest.mark.parametrize(
    ("siid", "aiid", "values"),
    [(5, 1, []), (5, 1, [5]), (5, 5, ["x"])],
)
def test_action_inputs_are_checked(siid: int, aiid: int, values: list[Any]) -> None:
    """Actions take exactly their inputs, each valid for its property."""
    with pytest.raises(MiotValueError):
        load_bundled_spec("xiaomi.wifispeaker.lx06").validate_action_inputs(siid, aiid, values)


def test_unknown_ids_are_spec_errors() -> None:
    """Asking for something the spec does not define raises a spec error."""
    spec = load_bundled_spec("yeelink.light.mono1")
    for lookup in (
        lambda: spec.property(9, 1),
        lambda: spec.action(2, 9),
        lambda: spec.event(2, 1),
    ):
        with pytest.raises(MiotSpecError):
            lookup()
    with pytest.raises(MiotSpecError):
        load_bundled_spec("no.such.model")


PROPERTY = {"iid": 1, "type": "urn:miot-spec-v2:property:on:0:m:1", "format": "bool"}


@pytest.mark.parametrize(
    "document",
    [
        [],
        {},
        {"type": "urn:miot-spec-v2:device:x:0:m:1"},
        {"type": "bad", "services": []},
        {"type": 5, "services": []},
        {"type": "urn:a:device:x", "services": {}},
    ],
)
def test_documents_that_are_not_specs_are_spec_errors(document: Any) -> None:
    """Only a document that is not a spec at all is refused."""
    with pytest.raises(MiotSpecError):
        MiotSpec.from_dict(document)


def _service(**parts: Any) -> dict[str, Any]:
    return {"type": "urn:a:device:x", "services": [{"iid": 2, "type": "urn:a:service:s", **parts}]}


GOOD = {**PROPERTY, "iid": 9}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (_service(properties=[{**PROPERTY, "iid": 0}, GOOD]), "iid 0"),
        (_service(properties=[{**PROPERTY, "iid": True}, GOOD]), "iid True"),
        (_service(properties=[{**PROPERTY, "format": "x"}, GOOD]), "unknown format"),
        (_service(properties=[{**PROPERTY, "type": "bad"}, GOOD]), "not a MIoT type"),
        (_service(properties=[GOOD, GOOD]), "used twice"),
        (
            _service(properties=[GOOD], actions=[{"iid": 1, "type": "urn:a:action:go", "in": [7]}]),
            "undefined properties [7]",
        ),
        (
            _service(
                properties=[GOOD], events=[{"iid": 1, "type": "urn:a:event:e", "arguments": 3}]
            ),
            "not a list of ids",
        ),
    ],
)
def test_an_unusable_element_is_left_out_and_the_rest_kept(
    document: dict[str, Any], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    """One odd element never rejects a device: it is skipped, noted, and logged once at debug."""
    document = {**document, "services": [*document["services"], {"iid": 0, "type": "urn:a:s:t"}]}
    with caplog.at_level(logging.DEBUG, "custom_components.xiaomi_aiot.miot.spec"):
        spec = MiotSpec.from_dict(document)
    assert spec.property(2, 9).name == "on"
    assert not list(spec.actions())
    assert not list(spec.events())
    assert any(reason in note for note in spec.skipped)
    assert any("services[1]: iid 0" in note for note in spec.skipped)
    assert len([r for r in caplog.records if "left out" in r.getMessage()]) == 1


def test_quirks_with_an_obvious_meaning_are_normalised() -> None:
    """`out: null`, unknown access words, swapped bounds and "none" units are read as meant."""
    spec = MiotSpec.from_dict(
        _service(
            properties=[
                {
                    **PROPERTY,
                    "format": "uint8",
                    "access": ["read", "fly"],
                    "value-range": [10, 1, 0.5],
                    "unit": "none",
                },
            ],
            actions=[{"iid": 1, "type": "urn:a:action:go", "in": [], "out": None}],
        )
    )
    prop = spec.property(2, 1)
    assert prop.access == {"read"}
    assert prop.value_range is not None
    assert (prop.value_range.min, prop.value_range.max, prop.value_range.step) == (1, 10, 0.5)
    assert prop.unit is None
    assert spec.action(2, 1).outputs == ()


def test_value_lists_with_empty_or_repeated_descriptions_get_unique_names() -> None:
    """Every choice has a stable name of its own, whatever the document's descriptions."""
    values = [
        {"value": 0, "description": ""},
        {"value": 1, "description": "Idle"},
        {"value": 2, "description": "Idle"},
        {"value": 2, "description": "again"},
        {"value": "x", "description": "bad"},
        {"value": 3.0, "description": "Go Charging"},
    ]
    spec = MiotSpec.from_dict(
        _service(properties=[{**PROPERTY, "format": "uint8", "value-list": values}])
    )
    names = [(c.value, c.name) for c in spec.property(2, 1).value_list]
    assert names == [(0, "value_0"), (1, "idle"), (2, "idle_2"), (3, "go_charging")]
    assert len(spec.skipped) == 2


def test_urn_names() -> None:
    """The name is the fourth field of a type URN."""
    assert urn_name("urn:miot-spec-v2:property:color-temperature:0000000F:yeelink-ct2:1") == (
        "color-temperature"
    )
    with pytest.raises(MiotSpecError):
        urn_name("urn:miot-spec-v2:property")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "iid",
                    "services",
                    "properties",
                    "format",
                    "access",
                    "value-range",
                    "value-list",
                    "value",
                    "description",
                    "actions",
                    "events",
                    "in",
                    "out",
                    "arguments",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@given(JSON)
def test_spec_parser_only_raises_spec_errors(document: Any) -> None:
    """Any JSON document either parses or raises a spec error."""
    with contextlib.suppress(MiotSpecError):
        MiotSpec.from_dict(document)
