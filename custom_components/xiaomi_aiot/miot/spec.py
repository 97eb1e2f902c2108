"""The MIoT spec model: services with properties, actions and events, parsed from spec JSON.

A spec instance (as published on miot-spec.org) describes one model. Each element has an `iid`
and a `type` URN such as ``urn:miot-spec-v2:property:brightness:0000000D:yeelink-color1:1``;
the fourth field (``brightness``) is the element's name, stable across vendors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import MiotSpecError, MiotValueError

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


@dataclass(frozen=True, slots=True)
class ValueChoice:
    """One entry of a property's value list."""

    value: int
    description: str

    @property
    def name(self) -> str:
        """A lowercase identifier for the choice, usable as a translation key."""
        return "_".join(self.description.lower().replace("-", " ").split())


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
        """Parse a spec instance document; any defect raises `MiotSpecError`."""
        try:
            return _parse_spec(data)
        except MiotSpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise MiotSpecError(f"malformed spec: {err!r}") from err


def _iid(item: Mapping[str, Any]) -> int:
    iid = item["iid"]
    if isinstance(iid, bool) or not isinstance(iid, int) or iid < 1:
        raise MiotSpecError(f"bad iid {iid!r}")
    return iid


def _iids(values: Any) -> tuple[int, ...]:
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise MiotSpecError(f"bad id list {values!r}")
    return tuple(values)


def _parse_property(siid: int, service: str, item: Mapping[str, Any]) -> MiotProperty:
    fmt = item["format"]
    if fmt not in FORMATS:
        raise MiotSpecError(f"unknown format {fmt!r}")
    access = item.get("access", [])
    if not isinstance(access, list) or not ACCESS.issuperset(access):
        raise MiotSpecError(f"bad access {access!r}")
    value_range = None
    if (raw_range := item.get("value-range")) is not None:
        low, high, step = (float(v) for v in raw_range[:3])
        if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(step)) or low > high:
            raise MiotSpecError(f"bad value-range {raw_range!r}")
        value_range = ValueRange(low, high, step)
    value_list = tuple(
        ValueChoice(int(choice["value"]), str(choice["description"]))
        for choice in item.get("value-list", ())
    )
    unit = item.get("unit")
    return MiotProperty(
        siid=siid,
        piid=_iid(item),
        type=item["type"],
        name=urn_name(item["type"]),
        service=service,
        description=str(item.get("description", "")),
        format=fmt,
        access=frozenset(access),
        unit=None if unit in (None, "none") else str(unit),
        value_range=value_range,
        value_list=value_list,
    )


def _parse_service(item: Mapping[str, Any]) -> MiotService:
    siid = _iid(item)
    name = urn_name(item["type"])
    properties = {
        prop.piid: prop
        for prop in (_parse_property(siid, name, p) for p in item.get("properties", ()))
    }
    actions = {
        a.aiid: a
        for a in (
            MiotAction(
                siid,
                _iid(raw),
                raw["type"],
                urn_name(raw["type"]),
                name,
                str(raw.get("description", "")),
                _iids(raw.get("in", [])),
                _iids(raw.get("out", [])),
            )
            for raw in item.get("actions", ())
        )
    }
    events = {
        e.eiid: e
        for e in (
            MiotEvent(
                siid,
                _iid(raw),
                raw["type"],
                urn_name(raw["type"]),
                name,
                str(raw.get("description", "")),
                _iids(raw.get("arguments", [])),
            )
            for raw in item.get("events", ())
        )
    }
    for piid in (
        *(p for a in actions.values() for p in (*a.inputs, *a.outputs)),
        *(p for e in events.values() for p in e.arguments),
    ):
        if piid not in properties:
            raise MiotSpecError(f"service {name} refers to undefined property {piid}")
    return MiotService(
        siid, item["type"], name, str(item.get("description", "")), properties, actions, events
    )


def _parse_spec(data: Any) -> MiotSpec:
    if not isinstance(data, Mapping):
        raise MiotSpecError("a spec is a JSON object")
    urn_name(data["type"])
    services = {s.siid: s for s in (_parse_service(raw) for raw in data["services"])}
    return MiotSpec(data["type"], str(data.get("description", "")), services)
