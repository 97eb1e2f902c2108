"""The generated corpus (parts.py), one case per test, over the real-named homes.

Each case starts its home afresh, says its sentence through the Xiao Ai agent as the user
linked to 妈妈 / Mom (heard by a satellite in a room when the case says so), and checks the
simulated device's property and the answer's words.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.core import HomeAssistant

from harness.hass import AGENT, device_of
from harness.homes import start_home

from .parts import all_cases

CASES = all_cases()


def _value(home: Any, spec: dict[str, Any]) -> Any:
    device = home.sim.devices[spec["id"]]
    prop = device.resolve(spec["property"])
    return device.get(prop.siid, prop.piid)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
async def test_the_sentence_does_what_it_says(hass: HomeAssistant, case: dict[str, Any]) -> None:
    """The device changes as asked, or the answer holds the words it must."""
    async for home in start_home(hass, case["language"]):
        expect = case["expect"]
        before = _value(home, expect["device"]) if "device" in expect else None
        device_id = None
        if heard_by := case.get("heard_by"):
            satellite = device_of(hass, home.sim.devices[heard_by].did)
            assert satellite is not None
            device_id = satellite.id
        result = await conversation.async_converse(
            hass,
            case["text"],
            None,
            home.context,
            case["language"],
            agent_id=AGENT,
            device_id=device_id,
        )
        await hass.async_block_till_done()
        speech = str(result.response.speech.get("plain", {}).get("speech", ""))
        if "device" in expect:
            spec = expect["device"]
            after = _value(home, spec)
            if "change" in spec:
                changed = after > before if spec["change"] == "up" else after < before
                assert changed, f"{spec}: {before!r} -> {after!r} ({speech!r})"
            else:
                assert after == spec["value"], f"{spec}: {before!r} -> {after!r} ({speech!r})"
        for words in expect.get("answer", ()):
            assert words in speech, f"{words!r} not in {speech!r}"
