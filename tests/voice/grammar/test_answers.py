"""Answers a person would give: the zone by its own name, who "I" is, the named lock only."""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from harness.hass import AGENT
from harness.homes import start_home

CAR_PLACE = {"latitude": 39.989146, "longitude": 116.305503}
"""Where the simulated car is (WGS-84, as Home Assistant has it)."""


async def _say(hass: HomeAssistant, text: str, language: str, context: Context) -> str:
    result = await conversation.async_converse(hass, text, None, context, language, agent_id=AGENT)
    await hass.async_block_till_done()
    return str(result.response.speech["plain"]["speech"])


@pytest.mark.parametrize(
    ("language", "zone", "text"),
    [("zh-Hans", "公司", "车在哪"), ("en", "Office Park", "where is the car")],
)
async def test_the_car_is_in_a_zone_named_as_the_user_named_it(
    hass: HomeAssistant, language: str, zone: str, text: str
) -> None:
    """A zone named in Chinese is said by its name, never as coordinates."""
    zones = [{"name": zone, "radius": 500, **CAR_PLACE}]
    async for home in start_home(hass, language, zones=zones):
        speech = await _say(hass, text, language, home.context)
        assert zone in speech
        assert "39.9" not in speech


@pytest.mark.parametrize(
    ("language", "text", "named", "not_named"),
    [
        ("zh-Hans", "大门锁好了吗", "大门", "SU7"),
        ("zh-Hans", "门锁了吗", "大门", "SU7"),
        ("en", "is the front door locked", "Front door", "SU7"),
        ("en", "is the lock locked", "Front door", "SU7"),
    ],
)
async def test_a_lock_question_answers_for_the_named_lock_only(
    hass: HomeAssistant, language: str, text: str, named: str, not_named: str
) -> None:
    """Asked about the front door, the answer names it and not the car's lock."""
    async for home in start_home(hass, language):
        speech = await _say(hass, text, language, home.context)
        assert named in speech
        assert not_named not in speech


@pytest.mark.parametrize(
    ("language", "text"), [("zh-Hans", "我今天走了多少步"), ("en", "what's my heart rate")]
)
async def test_i_is_asked_back_when_no_person_is_linked_to_the_user(
    hass: HomeAssistant, language: str, text: str
) -> None:
    """A user linked to no person, in a home of several people: who "I" is is asked back."""
    async for _home in start_home(hass, language):
        stranger = await hass.auth.async_create_user("Guest")
        speech = await _say(hass, text, language, Context(user_id=stranger.id))
        assert "8421" not in speech
        assert "76" not in speech
        assert ("你是谁" in speech) or ("who you are" in speech)


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("en", "set the ac to 26 degrees", "Living Room AC"),
        ("en", "turn off the living room tv", "Living Room TV"),
    ],
)
async def test_english_answers_keep_names_as_the_user_wrote_them(
    hass: HomeAssistant, language: str, text: str, words: str
) -> None:
    """Names in answers keep the user's capitals."""
    async for home in start_home(hass, language):
        assert words in await _say(hass, text, language, home.context)


@pytest.mark.parametrize(
    ("language", "ask", "answer", "chosen"),
    [
        ("zh-Hans", "空调调到24度", "主卧的", "主卧空调"),
        ("zh-Hans", "空调调到24度", "第一个", None),
        ("en", "set the ac to 24 degrees", "the bedroom one", "Bedroom AC"),
        ("en", "set the ac to 24 degrees", "Living Room AC", "Living Room AC"),
    ],
)
async def test_the_answer_to_which_one_carries_out_what_was_asked(
    hass: HomeAssistant, language: str, ask: str, answer: str, chosen: str | None
) -> None:
    """Both air conditioners on: "which one?", kept open; the answer picks one, only it changes.

    `chosen` None: the first one named in the question.
    """
    async for home in start_home(hass, language):
        acs = hass.states.async_all("climate")
        ids = [s.entity_id for s in acs if "SU7" not in s.name]
        await hass.services.async_call(
            "climate", "set_hvac_mode", {"entity_id": ids, "hvac_mode": "cool"}, blocking=True
        )
        await hass.async_block_till_done()
        before = {i: hass.states.get(i).attributes.get("temperature") for i in ids}
        first = await conversation.async_converse(
            hass, ask, None, home.context, language, agent_id=AGENT
        )
        question = str(first.response.speech["plain"]["speech"])
        assert first.continue_conversation, question
        named = [hass.states.get(i).name for i in ids if hass.states.get(i).name in question]
        assert len(named) == 2, question
        second = await conversation.async_converse(
            hass, answer, first.conversation_id, home.context, language, agent_id=AGENT
        )
        await hass.async_block_till_done()
        speech = str(second.response.speech["plain"]["speech"])
        target = chosen or min(named, key=question.index)
        changed = {
            hass.states.get(i).name
            for i in ids
            if hass.states.get(i).attributes.get("temperature") != before[i]
        }
        assert changed == {target}, speech
        assert not second.continue_conversation


async def test_a_sentence_that_answers_no_question_is_a_new_command(
    hass: HomeAssistant,
) -> None:
    """After "which one?", a new command is carried out as itself."""
    async for home in start_home(hass, "zh-Hans"):
        first = await conversation.async_converse(
            hass, "空调现在设定几度", None, home.context, "zh-Hans", agent_id=AGENT
        )
        assert first.continue_conversation
        second = await conversation.async_converse(
            hass, "打开床头灯", first.conversation_id, home.context, "zh-Hans", agent_id=AGENT
        )
        await hass.async_block_till_done()
        assert "床头灯" in str(second.response.speech["plain"]["speech"])
        lamp = next(s for s in hass.states.async_all("light") if s.name == "床头灯")
        assert lamp.state == "on"
