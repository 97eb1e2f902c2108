"""The MIoT spec model: services with properties, actions and events, parsed from spec JSON.

A spec instance (as published on miot-spec.org) describes one model. Each element has an `iid`
and a `type` URN such as ``urn:miot-spec-v2:property:brightness:0000000D:yeelink-color1:1``;
the fourth field (``brightness``) is the element's name, stable across vendors.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import MiotSpecError, MiotValueError

_LOGGER = logging.getLogger(__name__)

type Value = bool | int | float | str

INTEGER_BOUNDS: dict[str, tuple[int, int]] = {
    "uint8": (0, 0xFF),
    "uint16": (0, 0xFFFF),
    "uint32": (0, 0xFFFFFFFF),
    "uint64": (0, 0xFFFFFFFFFFFFFFFF),
    "int8": (-0x80, 0x7F),
    "int16": (-0x8000, 0x7FFF),
    "int32": (-0x80000000, 0x7FFFFFFF),
    "int64": (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF),
}
FORMATS = frozenset({"bool", "float", "string", "hex", *INTEGER_BOUNDS})
ACCESS = frozenset({"read", "write", "notify"})


def urn_name(urn: str) -> str:
    """The element name inside a MIoT type URN."""
    parts = urn.split(":")
    if len(parts) < 4 or not parts[3]:
        raise MiotSpecError(f"not a MIoT type: {urn!r}")
    return parts[3]


@dataclass(frozen=True, slots=True)
class ValueRange:
    """Inclusive bounds and step of a numeric property."""

    min: float
    max: float
    step: float

    def contains(self, value: float) -> bool:
        """Whether the value is within bounds and on a step."""
        if not self.min <= value <= self.max:
            return False
        if self.step <= 0:
            return True
        steps = (value - self.min) / self.step
        return math.isclose(steps, round(steps), abs_tol=1e-6)

    def snap(self, value: float) -> float:
        """The value on its nearest step, counted from the lowest; bounds are not applied,
        except that a step past the highest is taken back to the last one within it."""
        if self.step <= 0 or not math.isfinite(value):
            return value
        snapped = self.min + round((value - self.min) / self.step) * self.step
        if snapped > self.max >= value:
            snapped -= self.step
        # Whole steps of a fractional step (0.5, 0.1) drift in binary: keep the step's digits.
        return round(snapped, 9)


@dataclass(frozen=True, slots=True)
class ValueChoice:
    """One entry of a property's value list.

    `name` is a lowercase identifier usable as a translation key; the parser makes it unique
    within the list even where descriptions are empty or repeated (as in real documents).
    """

    value: int
    description: str
    name: str = ""

    def __post_init__(self) -> None:
        """Derive the name from the description when none is given."""
        if not self.name:
            object.__setattr__(self, "name", choice_slug(self.description) or f"value_{self.value}")


def choice_slug(description: str) -> str:
    """The identifier a value-list description gives: lowercase words joined by underscores."""
    return "_".join(description.lower().replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class MiotProperty:
    """A property of a service."""

    siid: int
    piid: int
    type: str
    name: str
    service: str
    description: str
    format: str
    access: frozenset[str]
    unit: str | None = None
    value_range: ValueRange | None = None
    value_list: tuple[ValueChoice, ...] = ()

    @property
    def key(self) -> tuple[int, int]:
        """(siid, piid)."""
        return (self.siid, self.piid)

    @property
    def readable(self) -> bool:
        """Whether the property can be read."""
        return "read" in self.access

    @property
    def writable(self) -> bool:
        """Whether the property can be written."""
        return "write" in self.access

    @property
    def notifies(self) -> bool:
        """Whether the device reports changes of this property."""
        return "notify" in self.access

    def choice(self, value: int) -> ValueChoice | None:
        """The value-list entry for a value."""
        return next((c for c in self.value_list if c.value == value), None)

    def snap(self, value: Value) -> Value:
        """A number put on the property's nearest valid step (volume 50 on a 6..99 step 3
        speaker is 51); any other value unchanged, for `validate` to judge."""
        rng = self.value_range
        if rng is None or isinstance(value, bool) or not isinstance(value, int | float):
            return value
        snapped = rng.snap(value)
        if self.format in INTEGER_BOUNDS and snapped.is_integer():
            return int(snapped)
        return snapped

    def validate(self, value: Any) -> Value:
        """Check a value against format, range and list; return it in its canonical type."""
        fmt = self.format
        if fmt == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise MiotValueError(f"{self.name}: {value!r} is not a boolean")
        if fmt in ("string", "hex"):
            if not isinstance(value, str):
                raise MiotValueError(f"{self.name}: {value!r} is not a string")
            return value
        return self._validate_number(value)

    def _validate_number(self, value: Any) -> int | float:
        fmt = self.format
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise MiotValueError(f"{self.name}: {value!r} is not a number")
        number: int | float = value
        if fmt in INTEGER_BOUNDS:
            if isinstance(number, float):
                if not number.is_integer():
                    raise MiotValueError(f"{self.name}: {value!r} is not an integer")
                number = int(number)
            low, high = INTEGER_BOUNDS[fmt]
            if not low <= number <= high:
                raise MiotValueError(f"{self.name}: {value!r} does not fit {fmt}")
        elif isinstance(number, float) and not math.isfinite(number):
            raise MiotValueError(f"{self.name}: {value!r} is not a finite number")
        if self.value_range is not None and not self.value_range.contains(number):
            rng = self.value_range
            raise MiotValueError(
                f"{self.name}: {value!r} is outside {rng.min}..{rng.max} (step {rng.step})"
            )
        if self.value_list and self.choice(int(number)) is None:
            raise MiotValueError(f"{self.name}: {value!r} is not one of the listed values")
        return number


@dataclass(frozen=True, slots=True)
class MiotAction:
    """An action of a service, with the properties it takes and returns."""

    siid: int
    aiid: int
    type: str
    name: str
    service: str
    description: str
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MiotEvent:
    """An event of a service, with the properties it carries."""

    siid: int
    eiid: int
    type: str
    name: str
    service: str
    description: str
    arguments: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MiotService:
    """A service: a group of properties, actions and events."""

    siid: int
    type: str
    name: str
    description: str
    properties: Mapping[int, MiotProperty]
    actions: Mapping[int, MiotAction]
    events: Mapping[int, MiotEvent]


@dataclass(frozen=True, slots=True)
class MiotSpec:
    """A model's whole spec."""

    type: str
    description: str
    services: Mapping[int, MiotService]
    skipped: tuple[str, ...] = ()
    """The document's elements left out because they could not be used, each with why."""
    _by_name: dict[tuple[str, str], MiotProperty] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        """Index properties by their service and property names (first one wins)."""
        for prop in self.properties():
            self._by_name.setdefault((prop.service, prop.name), prop)

    @property
    def device_type(self) -> str:
        """The device type name, e.g. ``light``."""
        return urn_name(self.type)

    def properties(self) -> Iterable[MiotProperty]:
        """Every property, service by service."""
        for service in self.services.values():
            yield from service.properties.values()

    def actions(self) -> Iterable[MiotAction]:
        """Every action, service by service."""
        for service in self.services.values():
            yield from service.actions.values()

    def events(self) -> Iterable[MiotEvent]:
        """Every event, service by service."""
        for service in self.services.values():
            yield from service.events.values()

    def property(self, siid: int, piid: int) -> MiotProperty:
        """The property at (siid, piid)."""
        try:
            return self.services[siid].properties[piid]
        except KeyError:
            raise MiotSpecError(f"no property {siid}.{piid}") from None

    def action(self, siid: int, aiid: int) -> MiotAction:
        """The action at (siid, aiid)."""
        try:
            return self.services[siid].actions[aiid]
        except KeyError:
            raise MiotSpecError(f"no action {siid}.{aiid}") from None

    def event(self, siid: int, eiid: int) -> MiotEvent:
        """The event at (siid, eiid)."""
        try:
            return self.services[siid].events[eiid]
        except KeyError:
            raise MiotSpecError(f"no event {siid}.{eiid}") from None

    def find(self, service: str, name: str) -> MiotProperty | None:
        """The first property named `name` in a service named `service`."""
        return self._by_name.get((service, name))

    def validate_action_inputs(self, siid: int, aiid: int, values: Sequence[Any]) -> list[Value]:
        """Check an action's input values against the properties it takes."""
        action = self.action(siid, aiid)
        if len(values) != len(action.inputs):
            raise MiotValueError(
                f"{action.name} takes {len(action.inputs)} inputs, not {len(values)}"
            )
        return [
            self.property(siid, piid).validate(value)
            for piid, value in zip(action.inputs, values, strict=True)
        ]

    @classmethod
    def from_dict(cls, data: Any) -> MiotSpec:
        """Parse a spec instance document.

        Only a document that is not a spec at all raises `MiotSpecError`. An element that cannot
        be used (an iid 0, an unknown format, an action taking an undefined property…) is left
        out, the rest of the device kept, and the reason listed in `skipped` and logged once at
        debug; a quirk that has an obvious meaning (``"out": null``, an unknown access word, a
        value range whose bounds are swapped) is normalised.
        """
        try:
            return _parse_spec(data)
        except MiotSpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise MiotSpecError(f"malformed spec: {err!r}") from err


class _UnusableError(Exception):
    """An element of a document that cannot be used; it is left out, the rest kept."""


class _Notes(list[str]):
    """What a parse left out or normalised, each as ``where: why``."""

    def add(self, where: str, why: object) -> None:
        self.append(f"{where}: {why}")


def _element_iid(item: Any) -> int:
    if not isinstance(item, Mapping):
        raise _UnusableError("not an object")
    iid = item.get("iid")
    if isinstance(iid, bool) or not isinstance(iid, int) or iid < 1:
        raise _UnusableError(f"iid {iid!r}")
    return iid


def _element_type(item: Mapping[str, Any]) -> str:
    urn = item.get("type")
    if not isinstance(urn, str):
        raise _UnusableError(f"type {urn!r}")
    try:
        urn_name(urn)
    except MiotSpecError as err:
        raise _UnusableError(err) from None
    return urn


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _items(item: Mapping[str, Any], key: str, where: str, notes: _Notes) -> list[Any]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        notes.add(f"{where}.{key}", f"{value!r} is not a list")
        return []
    return value


def _id_list(value: Any, what: str) -> tuple[int, ...]:
    if value is None:  # real documents have "out": null
        return ()
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise _UnusableError(f"{what} {value!r} is not a list of ids")
    return tuple(value)


def _value_range(raw: Any, where: str, notes: _Notes) -> ValueRange | None:
    if raw is None:
        return None
    try:
        if not isinstance(raw, list) or len(raw) < 3:
            raise ValueError("not [min, max, step]")
        low, high, step = (float(v) for v in raw[:3])
        if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(step)):
            raise ValueError("not finite")
    except (TypeError, ValueError, OverflowError) as err:
        notes.add(f"{where}.value-range", f"{raw!r} left out ({err})")
        return None
    if low > high:
        notes.add(f"{where}.value-range", f"{raw!r} has its bounds swapped")
        low, high = high, low
    return ValueRange(low, high, abs(step))


def _value_list(raw: list[Any], where: str, notes: _Notes) -> tuple[ValueChoice, ...]:
    choices: dict[int, str] = {}
    for index, entry in enumerate(raw):
        value = entry.get("value") if isinstance(entry, Mapping) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            notes.add(f"{where}.value-list[{index}]", f"value {value!r} is not an integer")
            continue
        if value in choices:
            notes.add(f"{where}.value-list[{index}]", f"value {value} is listed twice")
            continue
        choices[value] = _text_of(entry.get("description"))
    taken: set[str] = set()
    result: list[ValueChoice] = []
    for value, description in choices.items():
        name = choice_slug(description) or f"value_{value}"
        if name in taken:  # repeated descriptions, e.g. two "Auto"s
            name = f"{name}_{value}"
        taken.add(name)
        result.append(ValueChoice(value, description, name))
    return tuple(result)


def _parse_property(siid: int, service: str, item: Any, where: str, notes: _Notes) -> MiotProperty:
    piid = _element_iid(item)
    urn = _element_type(item)
    fmt = item.get("format")
    if fmt not in FORMATS:
        raise _UnusableError(f"unknown format {fmt!r}")
    access: list[str] = []
    for word in _items(item, "access", where, notes):
        if word in ACCESS:
            access.append(word)
        else:
            notes.add(f"{where}.access", f"unknown access {word!r} ignored")
    unit = item.get("unit")
    return MiotProperty(
        siid=siid,
        piid=piid,
        type=urn,
        name=urn_name(urn),
        service=service,
        description=_text_of(item.get("description")),
        format=fmt,
        access=frozenset(access),
        unit=str(unit) if isinstance(unit, str) and unit not in ("", "none") else None,
        value_range=_value_range(item.get("value-range"), where, notes),
        value_list=_value_list(_items(item, "value-list", where, notes), where, notes),
    )


def _parse_action(
    siid: int, service: str, item: Any, properties: Mapping[int, MiotProperty]
) -> MiotAction:
    aiid = _element_iid(item)
    urn = _element_type(item)
    inputs = _id_list(item.get("in"), "in")
    outputs = _id_list(item.get("out"), "out")
    if missing := [piid for piid in (*inputs, *outputs) if piid not in properties]:
        raise _UnusableError(f"refers to undefined properties {missing}")
    description = _text_of(item.get("description"))
    return MiotAction(siid, aiid, urn, urn_name(urn), service, description, inputs, outputs)


def _parse_event(
    siid: int, service: str, item: Any, properties: Mapping[int, MiotProperty]
) -> MiotEvent:
    eiid = _element_iid(item)
    urn = _element_type(item)
    arguments = _id_list(item.get("arguments"), "arguments")
    if missing := [piid for piid in arguments if piid not in properties]:
        raise _UnusableError(f"refers to undefined properties {missing}")
    description = _text_of(item.get("description"))
    return MiotEvent(siid, eiid, urn, urn_name(urn), service, description, arguments)


def _collect[T](
    raws: list[Any],
    where: str,
    parse: Callable[[Any, str], T],
    iid_of: Callable[[T], int],
    notes: _Notes,
) -> dict[int, T]:
    """Parse a list of elements by iid; unusable ones and repeated iids are noted, not kept."""
    found: dict[int, T] = {}
    for index, raw in enumerate(raws):
        at = f"{where}[{index}]"
        try:
            element = parse(raw, at)
        except _UnusableError as err:
            notes.add(at, err)
            continue
        if (iid := iid_of(element)) in found:
            notes.add(at, f"iid {iid} is used twice")
            continue
        found[iid] = element
    return found


def _parse_service(item: Any, where: str, notes: _Notes) -> MiotService:
    siid = _element_iid(item)
    urn = _element_type(item)
    name = urn_name(urn)
    properties = _collect(
        _items(item, "properties", where, notes),
        f"{where}.properties",
        lambda raw, at: _parse_property(siid, name, raw, at, notes),
        lambda prop: prop.piid,
        notes,
    )
    actions = _collect(
        _items(item, "actions", where, notes),
        f"{where}.actions",
        lambda raw, _: _parse_action(siid, name, raw, properties),
        lambda action: action.aiid,
        notes,
    )
    events = _collect(
        _items(item, "events", where, notes),
        f"{where}.events",
        lambda raw, _: _parse_event(siid, name, raw, properties),
        lambda event: event.eiid,
        notes,
    )
    return MiotService(
        siid, urn, name, _text_of(item.get("description")), properties, actions, events
    )


def _parse_spec(data: Any) -> MiotSpec:
    if not isinstance(data, Mapping):
        raise MiotSpecError("a spec is a JSON object")
    urn = data.get("type")
    if not isinstance(urn, str):
        raise MiotSpecError(f"a spec's type is a URN, not {urn!r}")
    urn_name(urn)
    raw_services = data.get("services")
    if not isinstance(raw_services, list):
        raise MiotSpecError("a spec has a list of services")
    notes = _Notes()
    services = _collect(
        raw_services,
        "services",
        lambda raw, at: _parse_service(raw, at, notes),
        lambda service: service.siid,
        notes,
    )
    if notes:
        _LOGGER.debug("%s: %d element(s) left out or normalised: %s", urn, len(notes), notes)
    return MiotSpec(urn, _text_of(data.get("description")), services, tuple(notes))
