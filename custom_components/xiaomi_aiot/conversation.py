"""Xiao Ai: a conversation agent for short Chinese (and English) home commands.

Sentences are hassil templates (voice/sentences/<language>/*.yaml) over slots: a target (a name,
an area, a device-type word, a person, "all" and their combinations), capabilities and property
words, all built from what is exposed (voice/resolution.py). After a sentence is recognised, a
type word is resolved to the device it means and "I" to the speaking user's person; the actions
are Home Assistant intents, built-in where they fit and ours (voice/intents.py) for the rest.
What it does not understand goes to Home Assistant's default agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from hassil.intents import Intents, SlotList
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .voice.agent import AGENT_UNIQUE_ID
from .voice.ask import DATA_VOCABULARY
from .voice.followup import Questions, pick
from .voice.handling import DATA_RESPONSES, responses_for, unlock_allowed
from .voice.intents import async_register_intents
from .voice.matcher import Recognized, load_sentences, recognize_ranked, text_slot_list
from .voice.resolution import Resolver, spoken_slot_lists
from .voice.responses import Responses
from .voice.targets import ASSISTANT, LOCK, NotExposedError, UnresolvedTargetError
from .voice.text import EN, LANGUAGES, ZH, canonical_language, normalize
from .voice.vocabulary import Vocabulary

PARALLEL_UPDATES = 0
"""The agent polls nothing; sentences are handled as they come."""
FALLBACK_LANGUAGE: Final = {ZH: "zh-cn", EN: "en"}
"""How Home Assistant's default agent spells our languages."""
UNLOCK_WORDS: Final = {
    ZH: re.compile(r"开锁|解锁|开门|门打开|打开门|把门开"),
    EN: re.compile(r"\bunlock\b|\bopen (the )?(front )?door\b"),
}
"""Unlocking asked in any words: refused here rather than passed to the default agent."""
LOCK_INTENTS: Final = frozenset({"XiaomiAiotLock", "XiaomiAiotUnlock"})
DATA_AGENT: Final = f"{DOMAIN}_agent"


@dataclass(slots=True)
class _AgentHolder:
    """Which loaded entry holds the one agent, and how each loaded entry adds entities."""

    adders: dict[str, AddConfigEntryEntitiesCallback] = field(default_factory=dict)
    entry_id: str | None = None


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One Xiao Ai agent per Home Assistant, however the devices were added.

    The first loaded entry of ours holds it; when that one unloads, the next loaded entry
    takes it over under the same entity id.
    """
    _migrate_agent(hass, entry)
    holder: _AgentHolder = hass.data.setdefault(DATA_AGENT, _AgentHolder())
    holder.adders[entry.entry_id] = async_add_entities
    if holder.entry_id is None:
        holder.entry_id = entry.entry_id
        async_add_entities([XiaoAiConversationEntity()])

    @callback
    def _hand_over() -> None:
        holder.adders.pop(entry.entry_id, None)
        if holder.entry_id != entry.entry_id:
            return
        holder.entry_id = next(iter(holder.adders), None)
        if holder.entry_id is not None:
            holder.adders[holder.entry_id]([XiaoAiConversationEntity()])

    entry.async_on_unload(_hand_over)


def _migrate_agent(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """An account's agent of earlier releases (one per account) becomes the one agent."""
    registry = er.async_get(hass)
    old_id = registry.async_get_entity_id(
        conversation.DOMAIN, DOMAIN, f"{entry.entry_id}-conversation"
    )
    if old_id is None:
        return
    if registry.async_get_entity_id(conversation.DOMAIN, DOMAIN, AGENT_UNIQUE_ID) is None:
        registry.async_update_entity(old_id, new_unique_id=AGENT_UNIQUE_ID)
    else:
        registry.async_remove(old_id)


@dataclass(slots=True)
class _SlotCache:
    """Slot lists of one language, and which names belong to locks."""

    lists: dict[str, SlotList]
    lock_names: set[str]

    def accepts(self, found: Recognized) -> bool:
        """Locking and unlocking only a lock: by a lock's name or the lock type word."""
        if found.intent in LOCK_INTENTS:
            if "type" in found.slots:
                return bool(found.slots["type"][0] == LOCK)
            if "name" in found.slots:
                return _name(found) in self.lock_names
        return True


class XiaoAiConversationEntity(conversation.ConversationEntity):
    """The Xiao Ai agent."""

    _attr_has_entity_name = True
    _attr_translation_key = "xiao_ai"
    _attr_supported_features = conversation.ConversationEntityFeature.CONTROL

    _attr_unique_id = AGENT_UNIQUE_ID

    def __init__(self) -> None:
        """The agent, with nothing loaded yet."""
        self._intents: dict[str, Intents] = {}
        self._slots: dict[str, _SlotCache] = {}
        self._questions = Questions()

    @property
    def supported_languages(self) -> list[str] | Literal["*"]:
        """Simplified Chinese (however spelt) and English."""
        return [ZH, "zh-cn", "zh-CN", "zh", EN]

    async def async_added_to_hass(self) -> None:
        """Register our intents; forget slot lists when areas, names or exposure change."""
        await super().async_added_to_hass()
        async_register_intents(self.hass)
        for event_type in (
            ar.EVENT_AREA_REGISTRY_UPDATED,
            er.EVENT_ENTITY_REGISTRY_UPDATED,
            dr.EVENT_DEVICE_REGISTRY_UPDATED,
        ):
            self.async_on_remove(self.hass.bus.async_listen(event_type, self._forget_slots))
        self.async_on_remove(
            self.hass.bus.async_listen(
                EVENT_STATE_CHANGED, self._forget_slots, event_filter=_entity_came_or_went
            )
        )
        try:
            from homeassistant.components.homeassistant.exposed_entities import (  # noqa: PLC0415
                async_listen_entity_updates,
            )

            self.async_on_remove(
                async_listen_entity_updates(self.hass, ASSISTANT, self._forget_slots_now)
            )
        except ImportError:  # pragma: no cover - older or newer Home Assistant
            pass

    @callback
    def _forget_slots(self, event: Event[Any] | None = None) -> None:
        self._slots.clear()

    @callback
    def _forget_slots_now(self) -> None:
        self._slots.clear()

    async def async_prepare(self, language: str | None = None) -> None:
        """Load and compile the sentences and answers of a language, once."""
        lang = canonical_language(language or self.hass.config.language)
        for name in [lang] if lang else list(LANGUAGES):
            await self._async_load(name)

    async def _async_load(self, language: str) -> Intents:
        if (loaded := self._intents.get(language)) is not None:
            return loaded
        table: dict[str, Responses] = self.hass.data.setdefault(DATA_RESPONSES, {})
        if language not in table:
            table[language] = await self.hass.async_add_executor_job(Responses.load, language)
        words: dict[str, Vocabulary] = self.hass.data.setdefault(DATA_VOCABULARY, {})
        if language not in words:
            words[language] = await self.hass.async_add_executor_job(Vocabulary.load, language)
        intents = await self.hass.async_add_executor_job(load_sentences, language)
        self._intents[language] = intents
        return intents

    async def _async_handle_message(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
    ) -> conversation.ConversationResult:
        """Understand a sentence and act on it, or pass it to the default agent."""
        language = canonical_language(user_input.language) or EN
        intents = await self._async_load(language)
        text = normalize(user_input.text, language)
        resolver = Resolver(self.hass, user_input.context, user_input.device_id)
        if (question := self._questions.take(chat_log.conversation_id)) is not None and (
            chosen := pick(self.hass, text, language, question)
        ) is not None:
            found = resolver.choose(question.reading, question.kind, chosen)
            response = await self._async_act(user_input, language, found)
            return self._result(user_input, chat_log, response)
        slots = self._slot_cache(language)
        readings = recognize_ranked(text, intents, slots.lists, slots.accepts)
        if not readings:
            if UNLOCK_WORDS[language].search(text) and not unlock_allowed(self.hass):
                response = self._speech(
                    user_input, responses_for(self.hass, language), "unlock_refused"
                )
                return self._result(user_input, chat_log, response)
            return await self._async_fall_back(user_input, language)
        responses = responses_for(self.hass, language)
        try:
            found = resolver.first(readings)
        except UnresolvedTargetError as err:
            names = [thing.name for thing in err.candidates[:4]]
            speech = responses.render(err.key, value=responses.join(names))
            response = intent.IntentResponse(language=user_input.language)
            response.async_set_speech(speech)
            asking = False
            if err.key == "which_one" and err.reading is not None and err.kind is not None:
                self._questions.ask(
                    chat_log.conversation_id, err.reading, err.kind, err.candidates[:4]
                )
                asking = True
            return self._result(user_input, chat_log, response, asking=asking)
        if found.intent == "HassTurnOff" and _name(found) in slots.lock_names:
            found = Recognized("XiaomiAiotUnlock", found.slots)
        response = await self._async_act(user_input, language, found)
        return self._result(user_input, chat_log, response)

    def _result(
        self,
        user_input: conversation.ConversationInput,
        chat_log: conversation.ChatLog,
        response: intent.IntentResponse,
        *,
        asking: bool = False,
    ) -> conversation.ConversationResult:
        """The answer, into the chat log; `asking`: a question back that waits for an answer."""
        speech = response.speech.get("plain", {}).get("speech", "")
        chat_log.async_add_assistant_content_without_tools(
            conversation.AssistantContent(agent_id=user_input.agent_id, content=speech)
        )
        return conversation.ConversationResult(
            response=response,
            conversation_id=chat_log.conversation_id,
            continue_conversation=asking,
        )

    def _speech(
        self, user_input: conversation.ConversationInput, responses: Responses, key: str
    ) -> intent.IntentResponse:
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_speech(responses.render(key))
        return response

    async def _async_fall_back(
        self, user_input: conversation.ConversationInput, language: str
    ) -> conversation.ConversationResult:
        """Home Assistant's default agent's answer, as it gave it."""
        return await conversation.async_converse(
            self.hass,
            user_input.text,
            None,
            user_input.context,
            FALLBACK_LANGUAGE[language],
            agent_id=conversation.HOME_ASSISTANT_AGENT,
            device_id=user_input.device_id,
        )

    async def _async_act(
        self, user_input: conversation.ConversationInput, language: str, found: Recognized
    ) -> intent.IntentResponse:
        """Handle the intent; answer from our templates in the user's language."""
        responses = responses_for(self.hass, language)
        slots = {
            name: {"value": value, "text": text} for name, (value, text) in found.slots.items()
        }
        try:
            response = await intent.async_handle(
                self.hass,
                DOMAIN,
                found.intent,
                slots,
                user_input.text,
                user_input.context,
                user_input.language,
                assistant=ASSISTANT,
                device_id=user_input.device_id,
            )
        except NotExposedError as err:
            return self._error(user_input, responses.render("not_exposed", name=err.name))
        except intent.MatchFailedError as err:
            if err.result.no_match_reason is intent.MatchFailedReason.ASSISTANT:
                target = _name(found) or found.slots.get("area", ("", ""))[0]
                return self._error(user_input, responses.render("not_exposed", name=target))
            return self._error(user_input, responses.render("no_target"))
        except (intent.IntentError, HomeAssistantError) as err:
            return self._error(user_input, responses.render("failed", value=str(err)))
        if not response.speech:
            response.async_set_speech(_built_in_answer(responses, found, response))
        return response

    def _error(
        self, user_input: conversation.ConversationInput, speech: str
    ) -> intent.IntentResponse:
        response = intent.IntentResponse(language=user_input.language)
        response.async_set_error(intent.IntentResponseErrorCode.NO_VALID_TARGETS, speech)
        return response

    def _slot_cache(self, language: str) -> _SlotCache:
        """Names, areas, people, type and property words of what is exposed: once per change."""
        if (cached := self._slots.get(language)) is not None:
            return cached
        words: dict[str, Vocabulary] = self.hass.data[DATA_VOCABULARY]
        lists, lock_names = spoken_slot_lists(self.hass, language, words[language])
        cache = _SlotCache(
            lists={name: text_slot_list(pairs) for name, pairs in lists.items()},
            lock_names=lock_names,
        )
        self._slots[language] = cache
        return cache


def _name(found: Recognized) -> str | None:
    name = found.slots.get("name")
    return None if name is None else str(name[0])


def _built_in_answer(
    responses: Responses, found: Recognized, response: intent.IntentResponse
) -> str:
    """An answer for a built-in intent, naming the target as the user did."""
    slots = found.slots
    if found.intent == "HassGetState":
        states = response.matched_states + response.unmatched_states
        if not states:
            return responses.render("no_target")
        state = states[0]
        key = f"state_{state.state}"
        if not responses.has(key):
            key = "state_other"
        return responses.render(
            key,
            name=_spoken_target(responses, slots, state.name),
            value=responses.state(state.state),
        )
    default = response.matched_states[0].name if response.matched_states else ""
    if response.success_results and not default:
        default = response.success_results[0].name or ""
    value: Any = next(
        (
            slots[key][0]
            for key in ("temperature", "volume_level", "brightness", "color", "position")
            if key in slots
        ),
        "",
    )
    if isinstance(value, str):
        value = responses.state(value)
    return responses.render(
        found.intent, name=_spoken_target(responses, slots, default), value=value
    )


def _spoken_target(responses: Responses, slots: dict[str, tuple[Any, str]], default: str) -> str:
    # Names as the user wrote them in Home Assistant, not as they were heard (lower case).
    if "name" in slots:
        return str(slots["name"][0])
    domain = slots.get("domain", (None, ""))[0]
    noun = responses.domain_noun(str(domain)) if domain else None
    if noun and "area" in slots:
        return responses.render("target_area_domain", area=slots["area"][0], noun=noun)
    if noun:
        return responses.render("target_domain", noun=noun)
    if "area" in slots:
        return str(slots["area"][0])
    return default


@callback
def _entity_came_or_went(event_data: Any) -> bool:
    return event_data.get("old_state") is None or event_data.get("new_state") is None
