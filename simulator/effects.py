"""What actions do to a device's state: a small table, keyed by spec service and action names.

The table is generic across models: any model whose spec has a ``play-control`` service with a
``play`` action gets the same effect. Effects that name a property or event the model lacks are
skipped. Before the effects run, an action's input values are stored in their properties.
Writes have effects too (`WRITE_EFFECTS`): a curtain told to open by its motor control opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from custom_components.xiaomi_aiot.miot.spec import Value


@dataclass(frozen=True, slots=True)
class SetTo:
    """Set a property of the action's service, or of `service` (a value-list description is
    accepted)."""

    prop: str
    value: Value
    service: str | None = None


@dataclass(frozen=True, slots=True)
class SetToEnd:
    """Set every numeric property of this name in the service to the top or bottom of its
    range (an airer has two current positions)."""

    prop: str
    top: bool


@dataclass(frozen=True, slots=True)
class Follow:
    """Set every property of this name in the service to the value just written, where it
    fits (a curtain reaches its target at once)."""

    prop: str


@dataclass(frozen=True, slots=True)
class Toggle:
    """Flip a boolean property of the action's service."""

    prop: str


@dataclass(frozen=True, slots=True)
class Speak:
    """Append a property's text to the device's ``spoken`` log."""

    prop: str


@dataclass(frozen=True, slots=True)
class Emit:
    """Record an event of the action's service, with its arguments' current values."""

    event: str


type Effect = SetTo | Toggle | Speak | Emit
type WriteEffect = SetToEnd | Follow


def _lock_effects(action: str, status: str) -> tuple[Effect, ...]:
    return (
        SetTo("operation-method", "Mobile"),
        SetTo("lock-action", action),
        SetTo("operation-id", 0),
        SetTo("status", status),
        Emit("lock-event"),
    )


ACTION_EFFECTS: dict[tuple[str, str], tuple[Effect, ...]] = {
    ("light", "toggle"): (Toggle("on"),),
    ("fan", "toggle"): (Toggle("on"),),
    ("air-purifier", "toggle"): (Toggle("on"),),
    ("humidifier", "toggle"): (Toggle("on"),),
    ("filter", "reset-filter-life"): (
        SetTo("filter-life-level", 100),
        SetTo("filter-used-time", 0),
    ),
    ("television", "turn-off"): (SetTo("on", False),),
    ("television", "turn-on"): (SetTo("on", True),),
    ("play-control", "play"): (SetTo("playing-state", "Playing"),),
    ("play-control", "pause"): (SetTo("playing-state", "Pause"),),
    ("play-control", "stop"): (SetTo("playing-state", "Stop"),),
    ("lock", "lock"): _lock_effects("Lock", "Locked"),
    ("lock", "unlock"): _lock_effects("Unlock", "Unlocked"),
    ("intelligent-speaker", "play-text"): (Speak("text-content"),),
    ("intelligent-speaker", "execute-text-directive"): (Speak("text-content"),),
    # Robot vacuums: their status is in the vacuum service whichever service the action is in.
    ("vacuum", "start-sweep"): (SetTo("status", "Sweeping"),),
    ("vacuum", "stop-sweeping"): (SetTo("status", "Idle"),),
    ("vacuum", "pause-sweeping"): (SetTo("status", "Paused"),),
    ("custom", "pause"): (SetTo("status", "Paused", "vacuum"),),
    ("vacuum", "start-charge"): (SetTo("status", "Go Charging"),),
    ("battery", "start-charge"): (SetTo("status", "Go Charging", "vacuum"),),
    ("go-charging", "start-charging"): (SetTo("status", "Go Charging", "vacuum"),),
    # A bath heater stops heating, blowing and ventilating, and goes idle.
    ("ptc-bath-heater", "stop-working"): (
        SetTo("mode", "Idle"),
        SetTo("heating", False),
        SetTo("blow", False),
        SetTo("ventilation", False),
    ),
}

_OPENED: Final = (SetToEnd("current-position", top=True), SetToEnd("target-position", top=True))
_CLOSED: Final = (SetToEnd("current-position", top=False), SetToEnd("target-position", top=False))

WRITE_EFFECTS: dict[tuple[str, str, str | None], tuple[WriteEffect, ...]] = {
    **{
        (service, "motor-control", name): effects
        for service in ("curtain", "airer")
        for names, effects in ((("open", "up"), _OPENED), (("close", "down"), _CLOSED))
        for name in names
    },
    ("curtain", "target-position", None): (Follow("current-position"),),
    ("airer", "target-position", None): (Follow("current-position"),),
}
"""What writing a property does, by (service, property, value-list name of the value written,
or None for any value). A curtain told to stop stays where it is."""


def effects_of(service: str, action: str) -> tuple[Effect, ...]:
    """The effects of an action (none for actions the table does not know)."""
    return ACTION_EFFECTS.get((service, action), ())


def write_effects_of(service: str, prop: str, choice: str | None) -> tuple[WriteEffect, ...]:
    """The effects of writing a property: those of the value written, then of any value."""
    named = WRITE_EFFECTS.get((service, prop, choice), ()) if choice else ()
    return named + WRITE_EFFECTS.get((service, prop, None), ())
