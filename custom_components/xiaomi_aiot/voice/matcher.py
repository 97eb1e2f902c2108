"""Hassil sentence templates, loaded once per language; a thin adapter over hassil's API."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml
from hassil.intents import Intents, SlotList, TextSlotList
from hassil.recognize import recognize_all

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
    return Intents.from_dict(merged)


def text_slot_list(pairs: Iterable[tuple[str, Any]]) -> SlotList:
    """A slot list of spoken texts and the values they stand for."""
    return TextSlotList.from_tuples(list(pairs), allow_template=False)


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
    for result in recognize_all(text, intents, slot_lists=dict(slot_lists)):
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
