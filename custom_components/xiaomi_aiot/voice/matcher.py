"""Hassil sentence templates, loaded once per language; a thin adapter over hassil's API."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from hassil.expression import TextChunk
from hassil.intents import Intents, SlotList, TextSlotList, TextSlotValue
from hassil.recognize import recognize_all
from hassil.util import normalize_text, remove_punctuation, remove_skip_words

SENTENCES: Final = Path(__file__).parent / "sentences"


@dataclass(frozen=True, slots=True)
class Recognized:
    """An intent recognised in a sentence, with its slots as (value, spoken text)."""

    intent: str
    slots: dict[str, tuple[Any, str]]


def load_sentences(language: str) -> Intents:
    """Read and merge every sentence file of a language (blocking: run in the executor)."""
    merged: dict[str, Any] = {"language": language, "intents": {}, "lists": {}}
    merged["expansion_rules"] = {}
    for path in sorted((SENTENCES / language).glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged["lists"].update(content.get("lists", {}))
        merged["expansion_rules"].update(content.get("expansion_rules", {}))
        for name, intent in content.get("intents", {}).items():
            merged["intents"].setdefault(name, {"data": []})["data"].extend(intent["data"])
    intents = Intents.from_dict(merged)
    for name, slot_list in intents.slot_lists.items():
        if isinstance(slot_list, TextSlotList):
            intents.slot_lists[name] = LetteredList(slot_list.name, slot_list.values)
    return intents


def letters(text: str) -> str:
    """Lower-case letters and digits only (any script): what matching a text cannot skip."""
    return "".join(char for char in text.lower() if char.isalnum())


@dataclass
class LetteredList(TextSlotList):
    """A text slot list that knows each value's letters, to keep only those a text holds.

    hassil tries every value of a list wherever the list occurs in a template; a value matches
    only where its text occurs in the sentence (case, spaces, "-" and "_" aside), so one whose
    letters the sentence's letters do not hold cannot match, and is left out before matching.
    A value spoken as a template (alternatives, optional words) is always kept.
    """

    value_letters: tuple[str | None, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        """Each value's letters; None for a template value."""
        self.value_letters = tuple(
            letters(value.text_in.text) if isinstance(value.text_in, TextChunk) else None
            for value in self.values
        )

    def held_by(self, sentence: str) -> TextSlotList:
        """The values whose letters occur in a sentence's letters."""
        kept: list[TextSlotValue] = [
            value
            for value, spelled in zip(self.values, self.value_letters, strict=True)
            if spelled is None or spelled in sentence
        ]
        return TextSlotList(self.name, kept)


def text_slot_list(pairs: Iterable[tuple[str, Any]]) -> SlotList:
    """A slot list of spoken texts and the values they stand for."""
    full = TextSlotList.from_tuples(list(pairs), allow_template=False)
    return LetteredList(full.name, full.values)


def _lists_for(
    text: str, intents: Intents, slot_lists: Mapping[str, SlotList]
) -> dict[str, SlotList]:
    """Every slot list (the sentences' own and ours) with only the values the text can hold."""
    heard = normalize_text(remove_punctuation(text)).strip()
    if intents.skip_words:  # as hassil reads the text
        heard = remove_skip_words(heard, intents.skip_words, intents.settings.ignore_whitespace)
    sentence = letters(heard)
    merged = {**intents.slot_lists, **slot_lists}
    return {
        name: slot_list.held_by(sentence) if isinstance(slot_list, LetteredList) else slot_list
        for name, slot_list in merged.items()
    }


def recognize(
    text: str,
    intents: Intents,
    slot_lists: Mapping[str, SlotList],
    accept: Callable[[Recognized], bool] = lambda _: True,
) -> Recognized | None:
    """The most specific intent the text matches that `accept` takes, or None."""
    ranked = recognize_ranked(text, intents, slot_lists, accept)
    return ranked[0] if ranked else None


def recognize_ranked(
    text: str,
    intents: Intents,
    slot_lists: Mapping[str, SlotList],
    accept: Callable[[Recognized], bool] = lambda _: True,
) -> list[Recognized]:
    """Every reading of the text that `accept` takes, the most specific (most slots) first."""
    found: list[Recognized] = []
    for result in recognize_all(text, intents, slot_lists=_lists_for(text, intents, slot_lists)):
        slots = {
            name: (entity.value, str(entity.text or entity.value))
            for name, entity in result.entities.items()
        }
        if getattr(result, "intent_data", None) is not None:
            for name, value in (result.intent_data.slots or {}).items():
                slots.setdefault(name, (value, str(value)))
        reading = Recognized(result.intent.name, slots)
        if accept(reading) and reading not in found:
            found.append(reading)
    return sorted(found, key=lambda reading: -len(reading.slots))
