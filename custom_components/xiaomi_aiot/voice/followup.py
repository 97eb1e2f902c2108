"""The answer to "which one?": the device the user picks, by name, area or order.

When a type word fits several devices the agent names them and keeps the conversation open; the
next sentence of that conversation that names one of them (客厅的, 主卧空调, 第二个, "the bedroom
one", "the first") carries out what was asked with that device. Anything else is a new
sentence.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar

from .matcher import Recognized
from .targets import Thing, entity_area
from .text import EN, ZH, normalize_name

KEPT: Final = 32
"""Conversations whose question is remembered at once."""
WAIT: Final = 120.0
"""Seconds an answer to the question is waited for."""
ORDINALS: Final = {
    ZH: (("第一", "头一"), ("第二",), ("第三",), ("第四",)),
    EN: (("first", "1st"), ("second", "2nd"), ("third", "3rd"), ("fourth", "4th")),
}


@dataclass(frozen=True, slots=True)
class Question:
    """A "which one?" asked: what was asked, of which type, among which devices."""

    reading: Recognized
    kind: str
    candidates: list[Thing]
    asked_at: float


class Questions:
    """The open questions of the latest conversations."""

    def __init__(self) -> None:
        """None asked yet."""
        self._open: OrderedDict[str, Question] = OrderedDict()

    def ask(
        self, conversation_id: str, reading: Recognized, kind: str, things: list[Thing]
    ) -> None:
        """Remember the question asked in a conversation."""
        self._open[conversation_id] = Question(reading, kind, things, time.monotonic())
        self._open.move_to_end(conversation_id)
        while len(self._open) > KEPT:
            self._open.popitem(last=False)

    def take(self, conversation_id: str | None) -> Question | None:
        """The question open in a conversation, if it was asked lately; it is closed."""
        if conversation_id is None:
            return None
        question = self._open.pop(conversation_id, None)
        if question is None or time.monotonic() - question.asked_at > WAIT:
            return None
        return question


def pick(hass: HomeAssistant, text: str, language: str, question: Question) -> Thing | None:
    """The candidate an answer names: by its name, its area, else its place in the list."""
    heard = normalize_name(text, language)
    candidates = question.candidates
    by_name = [t for t in candidates if t.name and normalize_name(t.name, language) in heard]
    if len(by_name) == 1:
        return by_name[0]
    areas = ar.async_get(hass)
    by_area = []
    for thing in candidates:
        area = areas.async_get_area(entity_area(hass, thing.entity_id, thing.device) or "")
        words = (area.name, *area.aliases) if area else ()
        if any(normalize_name(word, language) in heard for word in words if word):
            by_area.append(thing)
    if len(by_area) == 1:
        return by_area[0]
    for index, words in enumerate(ORDINALS.get(language, ())):
        if index < len(candidates) and any(word in heard for word in words):
            return candidates[index]
    return None
