"""Device state from a spec: property lookup by name, value coercion and defaults.

The home file and the admin API name properties the way people do: ``brightness`` (the first
service that has it) or ``indicator-light.on`` (explicit service). Value-list properties also
accept their description (``mode: Cool``, case-insensitive).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from custom_components.xiaomi_aiot.miot.errors import MiotValueError
from custom_components.xiaomi_aiot.miot.spec import MiotEvent, MiotProperty, MiotSpec, Value

type StateKey = tuple[int, int]

# Defaults by property name, used when they fit the property; everything else falls back to
# false / the first listed value / the bottom of the range / 0 / "".
_NAMED_DEFAULTS: dict[str, Value] = {
    "brightness": 100,
    "color-temperature": 4000,
    "color": 0xFFFFFF,
    "temperature": 26,
    "target-temperature": 26,
    "relative-humidity": 50,
    "battery-level": 100,
    "volume": 30,
}


class StateError(ValueError):
    """A property name or value is not acceptable; the message is meant for people.

    `key` is the state key at fault, when the error is about one.
    """

    def __init__(self, message: str, key: object = None) -> None:
        """Keep the message and the key."""
        super().__init__(message)
        self.key = key


def resolve_property(spec: MiotSpec, key: str) -> MiotProperty:
    """The property named ``name`` (first service with it) or ``service.name``."""
    service, dot, name = key.partition(".")
    if dot:
        prop = spec.find(service, name)
        if prop is None:
            raise StateError(f"no property {name!r} in service {service!r}")
        return prop
    for prop in spec.properties():
        if prop.name == key:
            return prop
    raise StateError(f"no property named {key!r}")


def resolve_event(spec: MiotSpec, key: str | int) -> MiotEvent:
    """The event named ``name`` or ``service.name``, or with eiid `key` (unique across services).

    A bare name or eiid that more than one service has is ambiguous: name the service.
    """
    if isinstance(key, bool) or not isinstance(key, str | int):
        raise StateError(f"{key!r} is not an event name or eiid")
    service, dot, name = key.partition(".") if isinstance(key, str) else ("", "", "")
    if dot:
        found = [e for e in spec.events() if e.service == service and e.name == name]
    else:
        found = [e for e in spec.events() if key in (e.name, e.eiid)]
    if not found:
        raise StateError(f"no event {key!r} (known: {_event_names(spec)})")
    if len(found) > 1:
        choices = ", ".join(f"{e.service}.{e.name}" for e in found)
        raise StateError(f"{key!r} is ambiguous: name the service ({choices})")
    return found[0]


def _event_names(spec: MiotSpec) -> str:
    return ", ".join(f"{e.service}.{e.name} ({e.eiid})" for e in spec.events()) or "none"


def _fmt(number: float) -> str:
    """A number without a pointless ``.0``."""
    return str(int(number)) if float(number).is_integer() else str(number)


def coerce_value(prop: MiotProperty, value: Any) -> Value:
    """Validate a value for a property and return its canonical form.

    A value-list property also takes a choice's description. Raises `StateError` with a
    message such as ``300 is outside 1..100``.
    """
    if isinstance(value, str) and prop.value_list and prop.format not in ("string", "hex"):
        wanted = _normalise(value)
        for choice in prop.value_list:
            if wanted in (_normalise(choice.description), _normalise(choice.name)):
                return choice.value
        choices = ", ".join(f"{c.value} ({c.description})" for c in prop.value_list)
        raise StateError(f"{value!r} is not one of {choices}")
    try:
        return prop.validate(value)
    except MiotValueError as err:
        raise StateError(_explain(prop, value, err)) from None


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _explain(prop: MiotProperty, value: Any, err: MiotValueError) -> str:
    """A message without the property-name prefix the spec model puts in front."""
    message = str(err).removeprefix(f"{prop.name}: ")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or (isinstance(value, float) and not math.isfinite(value)):
        return message
    if "not an integer" in message:
        return message
    if (rng := prop.value_range) is not None:
        if not rng.min <= value <= rng.max:
            return f"{value!r} is outside {_fmt(rng.min)}..{_fmt(rng.max)}"
        if "outside" in message:
            return f"{value!r} is not a multiple of {_fmt(rng.step)} from {_fmt(rng.min)}"
    if prop.value_list and "listed values" in message:
        choices = ", ".join(f"{c.value} ({c.description})" for c in prop.value_list)
        return f"{value!r} is not one of {choices}"
    return message


def default_value(prop: MiotProperty, model: str, did: int) -> Value:
    """A sensible starting value for a property of a device."""
    if prop.service == "device-information":
        info: dict[str, str] = {
            "manufacturer": model.split(".", 1)[0],
            "model": model,
            "serial-number": f"{did:09d}",
            "firmware-revision": "2.1.9_0041",
        }
        if prop.name in info and prop.format == "string":
            return info[prop.name]
    named = _NAMED_DEFAULTS.get(prop.name)
    if named is not None:
        try:
            return prop.validate(named)
        except MiotValueError:
            pass
    return _fallback(prop)


def _fallback(prop: MiotProperty) -> Value:
    if prop.format == "bool":
        return False
    if prop.format in ("string", "hex"):
        return ""
    if prop.value_list:
        return prop.value_list[0].value
    if prop.value_range is not None:
        low = prop.value_range.min
        return int(low) if prop.format != "float" else float(low)
    return 0.0 if prop.format == "float" else 0


def initial_state(spec: MiotSpec, model: str, did: int) -> dict[StateKey, Value]:
    """Every property of a spec at its default value."""
    return {prop.key: default_value(prop, model, did) for prop in spec.properties()}


def parse_state(raw: Any, spec: MiotSpec) -> dict[StateKey, Value]:
    """Validate a home file's ``state:`` mapping of property names to values."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise StateError("expected a mapping of property names to values")
    values: dict[StateKey, Value] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            hint = " (quote it: YAML 1.1 reads on/off/yes/no as booleans)" if key in (0, 1) else ""
            raise StateError(f"a property name is a string{hint}", key)
        try:
            prop = resolve_property(spec, key)
            values[prop.key] = coerce_value(prop, value)
        except StateError as err:
            raise StateError(str(err), key) from None
    return values


def parse_cloud_state(raw: Any) -> dict[str, Any]:
    """Cloud-only kinds have no spec yet: keep their state as given (plain values only)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise StateError("expected a mapping of names to values")
    for key, value in raw.items():
        if not isinstance(key, str):
            raise StateError("a name is a string", key)
        if value is not None and not isinstance(value, bool | int | float | str):
            raise StateError(f"{value!r} is not a plain value", key)
    return dict(raw)
