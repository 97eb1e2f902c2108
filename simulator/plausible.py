"""Plausible starting values for a real device's properties, whatever its model.

Every value fits its property as the document defines it (format, range and step, value list),
so a device answers each readable property with code 0. On top of the simulator's usual
defaults (`simulator.state.default_value`), a few readings start where a device in a lived-in
home would be: a new filter, clean air, a room at 24 °C.
"""

from __future__ import annotations

import math

from custom_components.xiaomi_aiot.miot.errors import MiotValueError
from custom_components.xiaomi_aiot.miot.spec import MiotProperty, MiotSpec, Value

from .state import StateKey, default_value, initial_state

# By property name; each applies only where it fits the property.
_READINGS: dict[str, Value] = {
    "filter-life-level": 100,
    "filter-left-time": 180,
    "pm2.5-density": 12,
    "pm10-density": 20,
    "co2-density": 450,
    "tvoc-density": 0.1,
    "illumination": 300,
    "indoor-temperature": 24,
    "target-humidity": 50,
    "air-quality": 1,
}
# By unit, for numbers no name above covers and the usual defaults leave at the bottom.
_BY_UNIT: dict[str, Value] = {"celsius": 24, "percentage": 50}
_MAX_STEPS = 10_000


def plausible_state(spec: MiotSpec, model: str, did: int) -> dict[StateKey, Value]:
    """A starting value for every property of a spec, each one valid for its property."""
    state = initial_state(spec, model, did)
    for prop in spec.properties():
        state[prop.key] = plausible_value(prop, state[prop.key])
    return state


def plausible_value(prop: MiotProperty, usual: Value) -> Value:
    """A reading in place of the usual default where one fits, else a valid usual value."""
    wanted = _READINGS.get(prop.name)
    if wanted is None and prop.unit in _BY_UNIT and not prop.value_list:
        bottom = prop.value_range.min if prop.value_range is not None else 0
        if usual == bottom:
            wanted = _BY_UNIT[prop.unit]
    for candidate in (wanted, usual):
        if candidate is None:
            continue
        try:
            return prop.validate(candidate)
        except MiotValueError:
            continue
    return valid_value(prop)


def valid_value(prop: MiotProperty) -> Value:
    """Some value the property accepts (the first listed, the first step that fits...)."""
    if prop.value_list:
        return prop.validate(prop.value_list[0].value)
    rng = prop.value_range
    if rng is None or prop.format in ("bool", "string", "hex"):
        return default_value(prop, "", 0)
    step = rng.step if rng.step > 0 else 1.0
    for index in range(_MAX_STEPS):
        number = rng.min + index * step
        if number > rng.max:
            break
        candidate: float | int = number
        if prop.format != "float":
            if not math.isclose(number, round(number), abs_tol=1e-9):
                continue
            candidate = round(number)
        try:
            return prop.validate(candidate)
        except MiotValueError:
            continue
    raise MiotValueError(f"{prop.name}: no value fits {rng.min}..{rng.max} (step {rng.step})")
