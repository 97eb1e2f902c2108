"""The corpus through the Xiao Ai agent against the simulator."""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import CONF_ALLOW_UNLOCK_BY_VOICE
from harness.hass import AGENT, entity_id
from simulator import Simulator

from .corpus import load_corpus, run_case

TARGET = 0.97
LANGUAGES = {"zh-Hans": "zh-cn", "en": "en"}
"""The corpus's languages and the language each is spoken in to the agents."""


@pytest.mark.parametrize("language", list(LANGUAGES))
async def test_the_corpus_is_understood_and_done(
    hass: HomeAssistant, sim: Simulator, home: MockConfigEntry, language: str
) -> None:
    """At least 97% of a language's corpus changes the right device or answers the right value."""
    cases = [case for case in load_corpus() if case["language"] == language]
    assert len(cases) >= (150 if language == "zh-Hans" else 50)
    await conversation.async_prepare_agent(hass, AGENT, LANGUAGES[language])
    ours = [await run_case(hass, sim, case, AGENT) for case in cases]
    misses = [o for o in ours if not o.passed]
    for miss in misses:
        print(f"MISS [{language}] {miss.case['text']!r}: {miss.why} ({miss.speech!r})")
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
