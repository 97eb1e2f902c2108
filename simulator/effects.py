"""What actions do to a device's state: a small table, keyed by spec service and action names.

The table is generic across models: any model whose spec has a ``play-control`` service with a
``play`` action gets the same effect. Effects that name a property or event the model lacks are
skipped. Before the effects run, an action's input values are stored in their properties.
"""

from __future__ import annotations

from dataclasses import dataclass

from custom_components.xiaomi_aiot.miot.spec import Value


@dataclass(frozen=True, slots=True)
class SetTo:
    """Set a property of the action's service (a value-list description is accepted)."""

    prop: str
    value: Value


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
    # A bath heater stops heating, blowing and ventilating, and goes idle.
    ("ptc-bath-heater", "stop-working"): (
        SetTo("mode", "Idle"),
        SetTo("heating", False),
        SetTo("blow", False),
        SetTo("ventilation", False),
    ),
}


def effects_of(service: str, action: str) -> tuple[Effect, ...]:
    """The effects of an action (none for actions the table does not know)."""
    return ACTION_EFFECTS.get((service, action), ())
