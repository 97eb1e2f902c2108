"""Running a text through the Xiao Ai agent (or another): for the skill endpoint and services."""

from __future__ import annotations

import re
from typing import Final

from homeassistant.components import conversation
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

# The integration is loaded as custom_components.xiaomi_aiot: only a relative import finds it.
from ..const import DOMAIN  # noqa: TID252

CHINESE: Final = re.compile(r"[\u3400-\u9fff]")
AGENT_UNIQUE_ID: Final = "xiao_ai"
"""The one Xiao Ai agent of a Home Assistant, whichever entry holds it."""


class UnknownAgentError(LookupError):
    """No conversation agent has the id asked for."""


def text_language(hass: HomeAssistant, text: str) -> str:
    """Simplified Chinese for a text with Chinese characters, else Home Assistant's language."""
    return "zh-Hans" if CHINESE.search(text) else hass.config.language


def xiaoai_agent_id(hass: HomeAssistant) -> str | None:
    """The Xiao Ai agent's entity id, if it is running (an entry of ours loaded)."""
    entity_id = er.async_get(hass).async_get_entity_id(conversation.DOMAIN, DOMAIN, AGENT_UNIQUE_ID)
    state = hass.states.get(entity_id) if entity_id else None
    return entity_id if state is not None and state.state != STATE_UNAVAILABLE else None


async def async_ask_agent(
    hass: HomeAssistant,
    text: str,
    *,
    context: Context,
    language: str | None = None,
    agent_id: str | None = None,
    conversation_id: str | None = None,
) -> conversation.ConversationResult:
    """Run a text through a conversation agent (Home Assistant's default agent when None)."""
    if conversation.DOMAIN not in hass.config.components:
        await async_setup_component(hass, conversation.DOMAIN, {})
    agent_id = agent_id or conversation.HOME_ASSISTANT_AGENT
    if conversation.async_get_agent_info(hass, agent_id) is None:
        raise UnknownAgentError(agent_id)
    return await conversation.async_converse(
        hass,
        text,
        conversation_id,
        context,
        language or text_language(hass, text),
        agent_id=agent_id,
    )


def spoken_answer(result: conversation.ConversationResult) -> str:
    """The plain text an agent answered."""
    speech: str = result.response.speech.get("plain", {}).get("speech", "")
    return speech
