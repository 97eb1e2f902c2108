"""Spoken answers, from the templates in responses/<language>.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import yaml

from .numbers import format_number

RESPONSES: Final = Path(__file__).parent / "responses"


class Responses:
    """The answer templates of one language."""

    def __init__(self, templates: dict[str, Any], language: str = "") -> None:
        """Keep the templates; `state_names` translates states and modes, `units` units."""
        self._templates = templates
        self._state_names: dict[str, str] = templates.get("state_names", {})
        self._units: dict[str, str] = templates.get("units", {})
        self.language = language

    @classmethod
    def load(cls, language: str) -> Responses:
        """Read a language's templates (blocking: run in the executor)."""
        path = RESPONSES / f"{language}.yaml"
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")), language)

    def unit(self, unit: Any) -> str:
        """A unit as it is spoken: °C -> 度."""
        if not unit:
            return ""
        return self._units.get(str(unit), str(unit))

    def quantity(self, value: float, unit: str) -> str:
        """A number with its spoken unit."""
        return self.render("quantity", value=value, unit=unit).strip()

    def join(self, parts: list[str]) -> str:
        """Several answers or names as one sentence part."""
        separator = str(self._templates.get("separator", ", "))
        if len(parts) < 2:
            return "".join(parts)
        last = str(self._templates.get("last_separator", separator))
        return separator.join(parts[:-1]) + last + parts[-1]

    def has(self, key: str) -> bool:
        """Whether there is an answer for this key."""
        return key in self._templates

    def state(self, state: str) -> str:
        """A state or mode in words."""
        return self._state_names.get(state, state.replace("_", " "))

    def domain_noun(self, domain: str) -> str | None:
        """What a domain's devices are called: light -> 灯."""
        nouns: dict[str, str] = self._templates.get("domain_names", {})
        return nouns.get(domain)

    def render(self, key: str, **values: Any) -> str:
        """The answer for a key, numbers written without a trailing .0."""
        shown = {
            name: format_number(value) if isinstance(value, float) else value
            for name, value in values.items()
        }
        return str(self._templates[key]).format_map(_Missing(shown))


class _Missing(dict[str, Any]):
    """Placeholders without a value are left empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
