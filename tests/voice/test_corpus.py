"""The corpus through the Xiao Ai agent against the simulator, and through HA's default agent."""

from __future__ import annotations

import json
import os
from pathlib import Path

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import CONF_ALLOW_UNLOCK_BY_VOICE
from simulator import Simulator

from .conftest import AGENT, entity_id
from .corpus import Outcome, load_corpus, percentile, run_case

TARGET = 0.97
REPORT = "XIAOMI_AIOT_VOICE_REPORT"
"""Where bench/voice.py wants the figures, as JSON."""


def _figures(outcomes: list[Outcome], language: str) -> dict[str, float]:
    mine = [o for o in outcomes if o.case["language"] == language]
    times = [o.seconds * 1000 for o in mine]
    return {
        "cases": len(mine),
        "correct": sum(o.passed for o in mine) / len(mine),
        "understood": sum(o.understood for o in mine) / len(mine),
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
    }


async def test_the_corpus_is_understood_and_done(
    hass: HomeAssistant, sim: Simulator, home: MockConfigEntry
) -> None:
    """At least 97% of the corpus changes the right device or answers the right value."""
    cases = load_corpus()
    assert sum(c["language"] == "zh-Hans" for c in cases) >= 150
    assert sum(c["language"] == "en" for c in cases) >= 50
    for agent in (AGENT, conversation.HOME_ASSISTANT_AGENT):
        for language in ("zh-cn", "en"):
            await conversation.async_prepare_agent(hass, agent, language)
    ours = [await run_case(hass, sim, case, AGENT) for case in cases]
    theirs = [await run_case(hass, sim, case, conversation.HOME_ASSISTANT_AGENT) for case in cases]
    misses = [o for o in ours if not o.passed]
    for miss in misses:
        print(f"MISS [{miss.case['language']}] {miss.case['text']!r}: {miss.why} ({miss.speech!r})")
    figures = {
        agent: {language: _figures(outcomes, language) for language in ("zh-Hans", "en")}
        for agent, outcomes in (("xiao_ai", ours), ("default", theirs))
    }
    print(json.dumps(figures, indent=2))
    if path := os.environ.get(REPORT):
        report = {
            "figures": figures,
            "misses": [
                {
                    "text": o.case["text"],
                    "language": o.case["language"],
                    "why": o.why,
                    "speech": o.speech,
                }
                for o in misses
            ],
        }
        text = json.dumps(report, ensure_ascii=False, indent=2)
        await hass.async_add_executor_job(Path(path).write_text, text, "utf-8")
    assert len(misses) <= (1 - TARGET) * len(cases), [o.case["text"] for o in misses]


async def test_unlocking_by_voice_is_refused_unless_allowed(
    hass: HomeAssistant, sim: Simulator, home: MockConfigEntry
) -> None:
    """By default nothing is unlocked and the answer says why; allowed, the door still is not.

    The front door's lock has no unlock action (no lock entity): "open the door" never falls
    back on the car's lock, and says the door lock works at the door only.
    """
    car_lock = entity_id(hass, "lock.xiaomi_su7_door_lock")
    result = await conversation.async_converse(
        hass, "小爱同学, 把门打开!", None, Context(), "zh-Hans", agent_id=AGENT
    )
    assert "安全" in result.response.speech["plain"]["speech"]
    result = await conversation.async_converse(
        hass, "unlock the car", None, Context(), "en", agent_id=AGENT
    )
    assert "safety" in result.response.speech["plain"]["speech"]
    assert hass.states.get(car_lock).state == "locked"

    hass.config_entries.async_update_entry(
        home, options={**home.options, CONF_ALLOW_UNLOCK_BY_VOICE: True}
    )
    await hass.async_block_till_done()
    for text, language, said in (
        ("把门打开", "zh-Hans", "门锁"),
        ("unlock the door", "en", "door"),
    ):
        result = await conversation.async_converse(
            hass, text, None, Context(), language, agent_id=AGENT
        )
        await hass.async_block_till_done()
        assert said in result.response.speech["plain"]["speech"]
        assert hass.states.get(car_lock).state == "locked"
    await conversation.async_converse(hass, "unlock the car", None, Context(), "en", agent_id=AGENT)
    await hass.async_block_till_done()
    assert hass.states.get(car_lock).state == "unlocked"
