"""Every real Xiaomi model in the shared folder, set up and commanded through Home Assistant.

Each case is one real document: the simulator becomes that model, the integration fetches
its spec from the simulated spec server and makes its entities. Then every entity is sent the
commands a user can give it, with arguments taken from what the entity itself offers. Any
error must be a translated Home Assistant error; on one device no two entities share a name,
and no select offers an empty or repeated option.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from harness.hass import add_by_hand, later
from harness.real_specs import ABSENT, REAL_SPEC_FILES, real_models
from simulator import VirtualDevice
from simulator.cloud import CloudServer

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)

type Call = tuple[str, dict[str, Any]]


def _pick(values: list[Any] | None) -> list[Any]:
    """The first and the last of what an entity offers (a list may be long)."""
    if not values:
        return []
    return list(dict.fromkeys([values[0], values[-1]]))


def _middle(state: State, low: str, high: str, default: tuple[float, float]) -> float:
    lowest = float(state.attributes.get(low, default[0]))
    highest = float(state.attributes.get(high, default[1]))
    return (lowest + highest) / 2


def _power(_: State) -> Iterator[Call]:
    yield "turn_on", {}
    yield "turn_off", {}


def _switch(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "toggle", {}


def _light(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "turn_on", {"brightness_pct": 40}
    modes = set(state.attributes.get("supported_color_modes") or [])
    if "color_temp" in modes:
        yield "turn_on", {"color_temp_kelvin": 4000}
    if {"hs", "rgb", "xy"} & modes:
        yield "turn_on", {"hs_color": [120, 50]}
    for effect in _pick(state.attributes.get("effect_list")):
        yield "turn_on", {"effect": effect}


def _number(state: State) -> Iterator[Call]:
    yield "set_value", {"value": _middle(state, "min", "max", (0, 100))}
    yield "set_value", {"value": state.attributes.get("max", 100)}


def _select(state: State) -> Iterator[Call]:
    for option in _pick(state.attributes.get("options")):
        yield "select_option", {"option": option}


def _climate(state: State) -> Iterator[Call]:
    attrs = state.attributes
    for mode in attrs.get("hvac_modes", []):
        yield "set_hvac_mode", {"hvac_mode": mode}
    if "temperature" in attrs:
        yield "set_temperature", {"temperature": _middle(state, "min_temp", "max_temp", (16, 30))}
    for name, service, listed in (
        ("fan_mode", "set_fan_mode", "fan_modes"),
        ("swing_mode", "set_swing_mode", "swing_modes"),
        ("preset_mode", "set_preset_mode", "preset_modes"),
    ):
        for choice in _pick(attrs.get(listed)):
            yield service, {name: choice}


def _media_player(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "volume_set", {"volume_level": 0.5}
    yield "volume_mute", {"is_volume_muted": True}
    for service in ("media_play", "media_pause", "media_next_track"):
        yield service, {}
    for source in _pick(state.attributes.get("source_list")):
        yield "select_source", {"source": source}


def _fan(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "set_percentage", {"percentage": 50}
    for preset in _pick(state.attributes.get("preset_modes")):
        yield "set_preset_mode", {"preset_mode": preset}
    yield "oscillate", {"oscillating": True}
    yield "set_direction", {"direction": "reverse"}


def _cover(_: State) -> Iterator[Call]:
    for service in ("open_cover", "stop_cover", "close_cover"):
        yield service, {}
    yield "set_cover_position", {"position": 50}


def _vacuum(state: State) -> Iterator[Call]:
    for service in ("start", "pause", "stop", "return_to_base", "locate"):
        yield service, {}
    for speed in _pick(state.attributes.get("fan_speed_list")):
        yield "set_fan_speed", {"fan_speed": speed}


def _humidifier(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "set_humidity", {"humidity": _middle(state, "min_humidity", "max_humidity", (30, 80))}
    for mode in _pick(state.attributes.get("available_modes")):
        yield "set_mode", {"mode": mode}


def _water_heater(state: State) -> Iterator[Call]:
    yield from _power(state)
    yield "set_temperature", {"temperature": _middle(state, "min_temp", "max_temp", (30, 75))}
    for mode in _pick(state.attributes.get("operation_list")):
        yield "set_operation_mode", {"operation_mode": mode}


def _one(service: str) -> Callable[[State], Iterator[Call]]:
    def calls(_: State) -> Iterator[Call]:
        yield service, {}

    return calls


COMMANDS: dict[str, Callable[[State], Iterator[Call]]] = {
    "switch": _switch,
    "light": _light,
    "number": _number,
    "select": _select,
    "button": _one("press"),
    "climate": _climate,
    "media_player": _media_player,
    "lock": lambda state: iter([("lock", {}), ("unlock", {})]),
    "fan": _fan,
    "cover": _cover,
    "vacuum": _vacuum,
    "humidifier": _humidifier,
    "water_heater": _water_heater,
}
"""The commands a user can give an entity of each domain, with arguments from its state."""


def device_states(hass: HomeAssistant, entry_id: str) -> list[State]:
    """The states of every enabled entity of the entry's one device."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    states = [hass.states.get(entry.entity_id) for entry in entries if not entry.disabled]
    return [state for state in states if state is not None]


@pytest.mark.parametrize("real_device", real_models(), indirect=True)
async def test_every_command_of_a_real_model_is_obeyed_or_refused_in_words(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Each entity takes each of its commands, or refuses it with a translated error."""
    device, server = real_device
    entry_id = await add_by_hand(hass, device, server.url)
    states = device_states(hass, entry_id)
    assert states, "the device has no entity"

    refused: list[str] = []
    untranslated: list[str] = []
    for state in states:
        for service, data in COMMANDS.get(state.domain, lambda _: iter(()))(state):
            try:
                await hass.services.async_call(
                    state.domain, service, {"entity_id": state.entity_id, **data}, blocking=True
                )
            except HomeAssistantError as err:
                # Ours, or Home Assistant's own (an unsupported feature, a value out of range).
                seen = f"{state.entity_id} {service} {data}: {err!r}"
                (refused if err.translation_key else untranslated).append(seen)
    assert not untranslated
    await later(hass)

    unavailable = [s.entity_id for s in device_states(hass, entry_id) if s.state == "unavailable"]
    assert not unavailable, f"unavailable after its commands: {unavailable}; refused: {refused}"


@pytest.mark.parametrize("real_device", real_models(), indirect=True)
async def test_a_real_model_has_no_name_twice_and_no_bad_option(
    hass: HomeAssistant, real_device: tuple[VirtualDevice, CloudServer]
) -> None:
    """Names are unique on the device; select options are neither empty nor repeated."""
    device, server = real_device
    entry_id = await add_by_hand(hass, device, server.url)
    # Disabled entities too: enabling one must not make a second of a name. (No name is the
    # device's own: its main entity.)
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    names = Counter(entry.original_name for entry in entries)
    assert not [name for name, count in names.items() if count > 1], names

    for state in device_states(hass, entry_id):
        options = state.attributes.get("options") or []
        assert all(isinstance(o, str) and o.strip() for o in options), state.entity_id
        assert len(options) == len(set(options)), (state.entity_id, options)
