"""The integration's strings, and the check that a flow shows only translated keys."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from homeassistant.data_entry_flow import FlowResultType

from custom_components.xiaomi_aiot.const import DOMAIN

TRANSLATED = Path(__file__).resolve().parents[1] / "custom_components" / DOMAIN
STRINGS = json.loads((TRANSLATED / "strings.json").read_text("utf-8"))
ZH_HANS = json.loads((TRANSLATED / "translations" / "zh-Hans.json").read_text("utf-8"))


def translation_problems(
    category: str, result: Mapping[str, Any], strings: Mapping[str, Any] | None = None
) -> list[str]:
    """Keys a flow result uses that strings.json (or `strings`) lacks, and placeholders left
    unfilled."""

    def text_at(path: tuple[str, ...]) -> Any:
        node: Any = (strings or STRINGS)[category]
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    used: list[tuple[str, ...]] = []
    shown: list[tuple[str, ...]] = []
    if result["type"] is FlowResultType.FORM:
        step = ("step", result["step_id"])
        fields = result["data_schema"].schema if result["data_schema"] else {}
        errors = [("error", error) for error in (result["errors"] or {}).values()]
        used = [step, *((*step, "data", str(field)) for field in fields), *errors]
        shown = [(*step, "title"), (*step, "description"), *errors]
    elif result["type"] is FlowResultType.ABORT:
        used = shown = [("abort", result["reason"])]
    elif result["type"] is FlowResultType.MENU:
        step = ("step", result["step_id"])
        used = [(*step, "menu_options", option) for option in result["menu_options"]]
        shown = [(*step, "title"), (*step, "description")]
    elif result["type"] is FlowResultType.SHOW_PROGRESS:
        step = ("step", result["step_id"])
        progress = ("progress", result["progress_action"])
        used = [step, progress]
        shown = [(*step, "title"), progress]

    given = set(result.get("description_placeholders") or {})
    problems = [f"{category}.{'.'.join(path)} is missing" for path in used if not text_at(path)]
    for path in shown:
        if isinstance(text := text_at(path), str):
            needed = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            problems += [f"{category}.{'.'.join(path)} needs {{{name}}}" for name in needed - given]
    return problems


ROUTES_STEP = "options.step.routes.data."
"""The routes form's fields are the devices' names, shown as they are: no translation."""
