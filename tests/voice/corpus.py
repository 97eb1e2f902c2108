"""The voice corpus and how one case is run and checked, for the test and the benchmark."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers.intent import IntentResponseType

from harness.hass import entity_id
from simulator import Simulator

CORPUS = Path(__file__).with_name("corpus.yaml")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an agent made of one case."""

    case: dict[str, Any]
    passed: bool
    understood: bool
    seconds: float
    speech: str
    why: str


def load_corpus() -> list[dict[str, Any]]:
    """Every case, in order."""
    cases: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return cases


def _device_value(sim: Simulator, spec: dict[str, Any]) -> Any:
    device = sim.devices[spec["id"]]
    prop = device.resolve(spec["property"])
    return device.get(prop.siid, prop.piid)


async def run_case(
    hass: HomeAssistant, sim: Simulator, case: dict[str, Any], agent_id: str
) -> Outcome:
    """Say the case's text to an agent; check the device, the state or the answer."""
    expect = case["expect"]
    before = _device_value(sim, expect["device"]) if "device" in expect else None
    start = time.perf_counter()
    result = await conversation.async_converse(
        hass, case["text"], None, Context(), case["language"], agent_id=agent_id
    )
    seconds = time.perf_counter() - start
    await hass.async_block_till_done()
    response = result.response
    speech = str(response.speech.get("plain", {}).get("speech", ""))
    understood = response.response_type is not IntentResponseType.ERROR
    why = ""
    if "device" in expect:
        spec = expect["device"]
        after = _device_value(sim, spec)
        if "change" in spec:
            ok = after > before if spec["change"] == "up" else after < before
        else:
            want = spec["value"]
            ok = abs(after - want) < 0.01 if isinstance(want, float) else after == want
        if not ok:
            why = f"{spec['id']} {spec['property']}: {before!r} -> {after!r}, wanted {spec}"
    if "state" in expect and not why:
        spec = expect["state"]
        state = hass.states.get(entity_id(hass, spec["entity_id"]))
        got = (
            None
            if state is None
            else (state.attributes.get(spec["attribute"]) if "attribute" in spec else state.state)
        )
        want = spec.get("value", spec.get("state"))
        if str(got) != str(want):
            why = f"{spec['entity_id']}: {got!r}, wanted {want!r}"
    if "answer_contains" in expect and not why and expect["answer_contains"] not in speech:
        why = f"answer lacks {expect['answer_contains']!r}"
    return Outcome(case, not why, understood, seconds, speech, why)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]
