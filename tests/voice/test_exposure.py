"""Assist's exposure, respected by every handler: an unexposed target is named, never acted on.

The real-named homes are loaded as they come, with Home Assistant's default exposure: locks,
the car's and people's sensors, trackers and buttons are not exposed; lights, climates, media
players and fans are, and the tests that speak to those un-expose them first, as a user would
in the voice assistant settings. Every case answers that the target is not exposed, in the
sentence's language, and leaves every state as it was.
"""

from __future__ import annotations

from typing import Final

import pytest
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import HomeAssistant

from harness.homes import start_home

AGENT: Final = "conversation.xiao_ai"
NOT_EXPOSED: Final = {"zh-Hans": "没有开放给语音助手", "en": "is not exposed"}
WATCHED: Final = ("light", "climate", "media_player", "lock", "button", "fan", "cover")
"""Domains whose states must not change: what the handlers would act on."""

CASES: Final = [
    # (kind, language, sentence, domain un-exposed first or None)
    # The Chinese home's door lock opens only at the door (no lock entity): the car's lock is
    # spoken to by its entity's name, {lock}.
    ("lock", "zh-Hans", "把{lock}锁上", None),
    ("lock", "en", "lock the front door", None),
    ("lock_state", "zh-Hans", "大门锁好了吗", None),
    ("lock_state", "en", "is the front door locked", None),
    ("car_state", "zh-Hans", "车还有多少电", None),
    ("car_state", "en", "how much battery does the car have", None),
    ("car_lock", "zh-Hans", "把车锁上", None),
    ("car_lock", "en", "lock the car", None),
    ("car_climate", "zh-Hans", "打开车里的空调", "climate"),
    ("car_climate", "en", "turn on the climate in the car", "climate"),
    ("person", "zh-Hans", "我今天走了多少步", None),
    ("person", "en", "how many steps did I take today", None),
    ("ring_phone", "zh-Hans", "找我的手机", None),
    ("ring_phone", "en", "find my phone", None),
    ("property", "zh-Hans", "大门电量多少", None),
    ("property", "en", "what's the front door's battery", None),
    ("turn_on", "zh-Hans", "打开床头灯", "light"),
    ("turn_on", "en", "turn on the bedside lamp", "light"),
    ("light_step", "zh-Hans", "床头灯调亮一点", "light"),
    ("light_step", "en", "make the bedside lamp a little brighter", "light"),
    ("climate", "zh-Hans", "客厅空调调到24度", "climate"),
    ("climate", "en", "set the living room ac to 24 degrees", "climate"),
    ("media", "zh-Hans", "电视声音小一点", "media_player"),
    ("media", "en", "turn the tv down", "media_player"),
    ("fan", "zh-Hans", "落地扇风速调到50%", "fan"),
    ("fan", "en", "set the kids room fan speed to 50%", "fan"),
]


def _watched(hass: HomeAssistant) -> dict[str, str]:
    return {s.entity_id: s.state for s in hass.states.async_all(WATCHED)}


@pytest.mark.parametrize(
    ("kind", "language", "text", "hidden"),
    CASES,
    ids=[f"{kind}-{language}" for kind, language, _, _ in CASES],
)
async def test_an_unexposed_target_is_named_and_left_alone(
    hass: HomeAssistant, kind: str, language: str, text: str, hidden: str | None
) -> None:
    """The answer says the target is not exposed; nothing changes."""
    async for home in start_home(hass, language, expose=False):
        if hidden is not None:
            for state in hass.states.async_all(hidden):
                async_expose_entity(hass, "conversation", state.entity_id, False)
        await hass.async_block_till_done()
        before = _watched(hass)
        text = text.format(lock=next(s.name for s in hass.states.async_all("lock")))
        result = await conversation.async_converse(
            hass, text, None, home.context, language, agent_id=AGENT
        )
        await hass.async_block_till_done()
        speech = str(result.response.speech["plain"]["speech"])
        assert NOT_EXPOSED[language] in speech, (kind, speech)
        assert _watched(hass) == before


@pytest.mark.parametrize(
    ("language", "text", "answer"),
    [("zh-Hans", "打开床头灯", "床头灯"), ("en", "turn on the bedside lamp", "Bedside lamp")],
)
async def test_what_is_exposed_by_default_is_acted_on(
    hass: HomeAssistant, language: str, text: str, answer: str
) -> None:
    """Lights are exposed by default: the same home turns one on."""
    async for home in start_home(hass, language, expose=False):
        result = await conversation.async_converse(
            hass, text, None, home.context, language, agent_id=AGENT
        )
        await hass.async_block_till_done()
        speech = str(result.response.speech["plain"]["speech"])
        assert answer in speech
        assert NOT_EXPOSED[language] not in speech
        lamp = next(s for s in hass.states.async_all("light") if answer in s.name)
        assert lamp.state == "on"
