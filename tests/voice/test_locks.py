"""Unlocking the car by voice when its lock is not there."""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import CONF_ALLOW_UNLOCK_BY_VOICE
from harness.hass import AGENT, entity_id

CAR_LOCK = "lock.xiaomi_su7_door_lock"


@pytest.mark.parametrize(
    ("language", "query", "answer"),
    [("zh-Hans", "解锁车", "没有找到车"), ("en", "unlock the car", "I couldn't find a car")],
)
async def test_unlocking_a_car_whose_lock_is_gone_says_there_is_no_car(
    hass: HomeAssistant, home: MockConfigEntry, language: str, query: str, answer: str
) -> None:
    """The agent's own answer in the user's language, not an English error's text."""
    hass.config_entries.async_update_entry(
        home, options={**home.options, CONF_ALLOW_UNLOCK_BY_VOICE: True}
    )
    await hass.async_block_till_done()
    hass.states.async_remove(entity_id(hass, CAR_LOCK))
    result = await conversation.async_converse(
        hass, query, None, Context(), language, agent_id=AGENT
    )
    assert result.response.speech["plain"]["speech"] == answer
