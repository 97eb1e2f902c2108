"""The held-out corpus: its cases, and how one is said to an agent and checked.

A corpus file (`corpus_zh.yaml`, `corpus_en.yaml`) names its home (a file in
`simulator/homes/`) and its language, then lists cases:

```yaml
home: real_zh
language: zh-Hans
cases:
  - text: 把客厅吸顶灯调亮一点
    source: xiaoai            # where the phrasing comes from: xiaoai or assist
    expect:                   # one check, or a list of checks that must all hold
      device: 客厅吸顶灯      # a device by its name in the home
      property: brightness    # a spec property of it after the command...
      change: up              # ...higher than before (or down, or `value: 50`)
```

The checks:

- `entity` (a Home Assistant entity by its friendly name) with `state`, with `attribute` and
  `value` / `change`, or with `hue` (a light's hue within 20 degrees of this).
- `device` (by its name in the home) with `property` and `value` / `change` (a value-list
  property is compared by its description: `mode: Cool`), with `action` (the device ran that
  spec action, e.g. `pause`), or with `spoken` (text the speaker was given to say).
- `answer`: words the answer must contain, each a string or a list of alternatives, as whole
  words. A number also matches with thousands separators and, in Chinese, in Chinese
  numerals. An error response is no answer.
- `refused: true`: the agent understood the command (no "no intent" or "no such target"
  error) and did not do it: the `entity`'s state is unchanged (put in its `state` first, when
  one is given), the `device` ran no action.

So that no case passes by doing nothing, before it is said an entity in the on/off,
open/closed or locked state it asks for is put in the other one with a Home Assistant action,
and a device property already at the value asked for (or at the end of its range that a change
asks to go past) is moved off it on the simulated device, as if by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.helpers.intent import IntentResponseErrorCode, IntentResponseType

from custom_components.xiaomi_aiot.miot.spec import MiotProperty, Value
from simulator import Simulator, VirtualDevice

HERE = Path(__file__).parent
CORPORA = {"real_zh": HERE / "corpus_zh.yaml", "real_en": HERE / "corpus_en.yaml"}
"""Each home's corpus file."""

SOURCES = frozenset({"xiaoai", "assist"})
CHECK_KEYS = frozenset(
    {"entity", "state", "attribute", "value", "change", "hue", "device", "property", "action"}
    | {"spoken", "answer", "refused"}
)

STATE_SERVICE: dict[str, tuple[str, str]] = {
    "on": ("homeassistant", "turn_on"),
    "off": ("homeassistant", "turn_off"),
    "open": ("cover", "open_cover"),
    "closed": ("cover", "close_cover"),
    "locked": ("lock", "lock"),
    "unlocked": ("lock", "unlock"),
}
"""The Home Assistant action that puts an entity in a state, before a case is said."""

OPPOSITE = {"on": "off", "off": "on", "open": "closed", "closed": "open"} | {
    "locked": "unlocked",
    "unlocked": "locked",
}
HUE_TOLERANCE = 20.0
"""Degrees a light's hue may be from the colour named (shades of a colour name differ)."""

NOT_UNDERSTOOD = frozenset(
    {IntentResponseErrorCode.NO_INTENT_MATCH, IntentResponseErrorCode.NO_VALID_TARGETS}
)
"""Errors that say the command was not understood, so not refused either."""

DIGITS = "零一二三四五六七八九"


class CorpusError(ValueError):
    """A corpus file that does not say what it should."""


@dataclass(frozen=True, slots=True)
class Case:
    """One utterance, where its phrasing comes from, and what must follow."""

    text: str
    source: str
    checks: tuple[dict[str, Any], ...]
    home: str
    language: str


@dataclass(frozen=True, slots=True)
class Result:
    """What the agent made of one case."""

    case: Case
    passed: bool
    speech: str
    why: str


@dataclass(slots=True)
class ActionLog:
    """Every action the home's devices ran, as (device id, action name)."""

    ran: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, sim: Simulator) -> None:
        """Record the actions of every device of the simulator from now on."""
        for device in sim.devices.values():
            device.run_action = self._recording(device)  # type: ignore[method-assign,assignment]

    def _recording(self, device: VirtualDevice) -> Callable[[int, int, list[Any]], list[Any]]:
        run = device.run_action

        def recording(siid: int, aiid: int, inputs: list[Any]) -> list[Any]:
            outputs = run(siid, aiid, inputs)
            assert device.spec is not None
            self.ran.append((device.id, device.spec.action(siid, aiid).name))
            return outputs

        return recording


def load_cases(home: str) -> list[Case]:
    """Every case of a home's corpus, checked for shape."""
    data = yaml.safe_load(CORPORA[home].read_text(encoding="utf-8"))
    if data.get("home") != home:
        raise CorpusError(f"{CORPORA[home].name}: home is not {home}")
    cases = []
    for index, raw in enumerate(data["cases"]):
        where = f"{CORPORA[home].name} cases[{index}]"
        if raw.get("source") not in SOURCES:
            raise CorpusError(f"{where}: source must be one of {sorted(SOURCES)}")
        expect = raw.get("expect")
        checks = tuple(expect) if isinstance(expect, list) else (expect,)
        for check in checks:
            if not isinstance(check, dict) or not check or set(check) - CHECK_KEYS:
                raise CorpusError(f"{where}: bad expect {check!r}")
        cases.append(
            Case(
                text=str(raw["text"]),
                source=raw["source"],
                checks=checks,
                home=raw.get("home", home),
                language=raw.get("language", data["language"]),
            )
        )
    return cases


def entity_state(hass: HomeAssistant, name: str) -> State:
    """The state of the entity whose friendly name this is; CorpusError if none or several."""
    found = [state for state in hass.states.async_all() if state.name == name]
    if len(found) != 1:
        raise CorpusError(f"{len(found)} entities are named {name!r}")
    return found[0]


def device_named(sim: Simulator, name: str) -> VirtualDevice:
    """The simulated device of this name in the home; CorpusError if none."""
    for device in sim.devices.values():
        if device.name == name:
            return device
    raise CorpusError(f"no device is named {name!r}")


def references(hass: HomeAssistant, sim: Simulator, case: Case) -> None:
    """Raise CorpusError unless every entity, device and property the case names exists."""
    for check in case.checks:
        if "entity" in check:
            entity_state(hass, check["entity"])
        if "device" in check:
            device = device_named(sim, check["device"])
            if "property" in check:
                device.resolve(check["property"])


def _chinese(number: int) -> str:
    """A whole number below 100,000 as it is read in Chinese (8421: 八千四百二十一)."""
    if number < 10:
        return DIGITS[number]
    text, zero = "", False
    for unit, size in (("万", 10000), ("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, number = divmod(number, size)
        if digit:
            if zero and text:
                text += "零"
            text += DIGITS[digit] + unit
            zero = False
        else:
            zero = bool(text)
    return text[1:] if text.startswith("一十") else text


def _alternatives(word: str, language: str) -> Iterator[str]:
    yield word
    if re.fullmatch(r"\d+", word) and language.startswith("zh") and int(word) < 100000:
        yield _chinese(int(word))


def said(speech: str, word: str | list[str], language: str) -> bool:
    """Whether the speech contains the word, or one of its alternatives, as a whole word
    (15 is not found in 150, nor no in not)."""
    plain = re.sub(r"(?<=\d)[,\s](?=\d{3}\b)", "", speech)
    words = word if isinstance(word, list) else [word]
    return any(
        re.search(_whole(alternative), plain, re.IGNORECASE)
        for each in words
        for alternative in _alternatives(str(each), language)
    )


def _whole(word: str) -> str:
    """A pattern for the word standing alone; a decimal also begins a longer one (39.98 is in
    39.9891, a position said to more places)."""
    end = "" if re.fullmatch(r"\d+\.\d+", word) else "(?![A-Za-z0-9])"
    return rf"(?<![A-Za-z0-9]){re.escape(word)}{end}"


def _observe(hass: HomeAssistant, sim: Simulator, check: dict[str, Any], actions: ActionLog) -> Any:
    """The value a check looks at, before or after the command.

    A speaker's check looks at what it was given to say, an action's at the device's actions:
    both as everything so far, so that what came after is what the command did.
    """
    seen: Any = None
    if "entity" in check:
        state = entity_state(hass, check["entity"])
        if "attribute" in check:
            seen = state.attributes.get(check["attribute"])
        elif "hue" in check:
            hs_color = state.attributes.get("hs_color")
            seen = None if hs_color is None else float(hs_color[0])
        else:
            seen = state.state
    elif "device" in check:
        device = device_named(sim, check["device"])
        if "property" in check:
            prop = device.resolve(check["property"])
            seen = device.get(prop.siid, prop.piid)
            choice = prop.choice(seen) if isinstance(seen, int) and prop.value_list else None
            if choice is not None and "change" not in check:
                seen = choice.description
        elif "spoken" in check:
            seen = tuple(device.spoken)
        else:
            seen = tuple(name for device_id, name in actions.ran if device_id == device.id)
    return seen


def _compare(want: Any, got: Any) -> bool:
    if not isinstance(want, bool) and not isinstance(got, bool):
        try:
            return abs(float(got) - float(want)) < 0.01
        except (TypeError, ValueError):
            pass
    return str(got).lower() == str(want).lower()


def _judge(check: dict[str, Any], before: Any, after: Any, speech: str, language: str) -> str:
    """Why a check failed, or "" when it held."""
    what = check.get("entity") or check.get("device")
    if check.get("refused"):
        ok, why = before == after, f"{what}: {before!r} -> {after!r}, not refused"
    elif "answer" in check:
        missing = [word for word in check["answer"] if not said(speech, word, language)]
        ok, why = not missing, f"answer lacks {missing}"
    elif "change" in check:
        try:
            ok = after > before if check["change"] == "up" else after < before
        except TypeError:
            ok = False
        why = f"{what}: {before!r} -> {after!r}, wanted {check['change']}"
    elif "hue" in check:
        off = None if after is None else abs(after - float(check["hue"])) % 360
        ok = off is not None and min(off, 360 - off) <= HUE_TOLERANCE
        why = f"{what}: hue {after}, wanted {check['hue']}"
    elif "value" in check or "state" in check:
        want = check.get("value", check.get("state"))
        ok, why = _compare(want, after), f"{what}: {after!r}, wanted {want!r}"
    elif "spoken" in check:
        new = after[len(before) :] if len(after) > len(before) else after[-1:]
        ok = any(check["spoken"] in text for text in new) and after != before
        why = f"{what} said {list(new) if after != before else []!r}, wanted {check['spoken']!r}"
    elif "action" in check:
        new = after[len(before) :]
        ok, why = check["action"] in new, f"{what} ran {list(new)!r}, wanted {check['action']}"
    else:
        raise CorpusError(f"a check that checks nothing: {check!r}")
    return "" if ok else why


def _other_value(prop: MiotProperty, value: Value) -> Value | None:
    """A valid value of the property other than this one, or None."""
    if isinstance(value, bool):
        return not value
    if prop.value_list:
        return next((c.value for c in prop.value_list if c.value != value), None)
    rng = prop.value_range
    if rng is None or not isinstance(value, int | float):
        return None
    middle = prop.snap((rng.min + rng.max) / 2)
    return middle if middle != value else prop.snap(rng.min)


def _unsettle(sim: Simulator, check: dict[str, Any]) -> None:
    """Move a device's property, as if by hand, off the value a case asks for, or off the end
    of its range that a case asks to go past, so that the case cannot pass by doing nothing."""
    if "device" not in check or "property" not in check:
        return
    device = device_named(sim, check["device"])
    prop = device.resolve(check["property"])
    value = device.get(prop.siid, prop.piid)
    if "value" in check:
        choice = prop.choice(value) if isinstance(value, int) and prop.value_list else None
        if not _compare(check["value"], value if choice is None else choice.description):
            return
    elif "change" in check and prop.value_range and isinstance(value, int | float):
        end = prop.value_range.max if check["change"] == "up" else prop.value_range.min
        if value != end:
            return
    else:
        return
    other = _other_value(prop, value)
    if other is not None:
        device.set(prop.siid, prop.piid, other)


async def _prepare(hass: HomeAssistant, sim: Simulator, check: dict[str, Any]) -> None:
    """Put the entity or device where the case can show it acted: out of the state or value it
    asks for, or (for a command to refuse) in the state it must stay in."""
    _unsettle(sim, check)
    if "entity" not in check or "state" not in check:
        return
    state = entity_state(hass, check["entity"])
    want = str(check["state"])
    domain = state.entity_id.partition(".")[0]
    if check.get("refused"):
        if state.state == want or want not in STATE_SERVICE:
            return
        service = STATE_SERVICE[want]
    elif state.state != want:
        return
    elif domain == "climate":
        service = ("climate", "turn_on") if want == "off" else ("climate", "turn_off")
    elif want in OPPOSITE:
        service = STATE_SERVICE[OPPOSITE[want]]
    else:
        return
    await hass.services.async_call(
        *service, {"entity_id": state.entity_id}, blocking=True, context=Context()
    )
    await hass.async_block_till_done()


async def run_case(
    hass: HomeAssistant, sim: Simulator, case: Case, agent_id: str, actions: ActionLog
) -> Result:
    """Say the case's text to the agent; check what it did or said."""
    for check in case.checks:
        await _prepare(hass, sim, check)
    before = [_observe(hass, sim, check, actions) for check in case.checks]
    result = await conversation.async_converse(
        hass, case.text, None, Context(), case.language, agent_id=agent_id
    )
    await hass.async_block_till_done()
    response = result.response
    speech = str(response.speech.get("plain", {}).get("speech", ""))
    failed = response.response_type is IntentResponseType.ERROR
    lost = failed and response.error_code in NOT_UNDERSTOOD
    whys = []
    for check, was in zip(case.checks, before, strict=True):
        if (check.get("refused") and lost) or ("answer" in check and failed):
            whys.append(f"error {response.error_code}")
            continue
        now = _observe(hass, sim, check, actions)
        why = _judge(check, was, now, speech, case.language)
        if why:
            whys.append(why)
    return Result(case, not whys, speech, "; ".join(whys))
