"""Xiaomi's real spec documents, read at test time from ``../shared/real_specs`` beside the
repository (they are never copied into it); tests that need them skip when the folder is absent.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from harness.real_specs import ABSENT, REAL_SPECS, real_document
from harness.real_specs import REAL_SPEC_FILES as DOCUMENTS

INSTANCES = REAL_SPECS / "instances_status_all.json"

type RawProperty = dict[str, Any]


def real_models() -> list[str]:
    """The models of the real documents, sorted; none when the folder is absent."""
    if not DOCUMENTS.is_dir():
        return []
    paths = DOCUMENTS.glob("*.json")
    return sorted(path.stem for path in paths if not path.name.endswith(".i18n.json"))


def require_documents() -> Path:
    """The folder of real documents; skips the test when it is absent."""
    if not DOCUMENTS.is_dir():
        pytest.skip(ABSENT)
    return DOCUMENTS


def document(model: str) -> dict[str, Any]:
    """A real document, as published."""
    data: dict[str, Any] = real_document(model)
    return data


def properties(doc: dict[str, Any]) -> list[tuple[int, RawProperty]]:
    """Every property of a document that a device can be asked about, with its siid.

    Elements with iid 0 (a few gateways have them) are not addressable and are left out.
    """
    return [
        (service["iid"], prop)
        for service in doc["services"]
        if service.get("iid", 0) > 0
        for prop in service.get("properties") or []
        if prop.get("iid", 0) > 0
    ]


def fits(prop: RawProperty, value: Any) -> bool:
    """Whether a value is valid for a property as the document itself defines it."""
    fmt = prop["format"]
    if fmt == "bool":
        return isinstance(value, bool)
    if fmt in ("string", "hex"):
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if fmt != "float" and not float(value).is_integer():
        return False
    if (value_list := prop.get("value-list")) and value not in [c["value"] for c in value_list]:
        return False
    return _in_range(prop.get("value-range"), value)


def _in_range(value_range: list[float] | None, value: float) -> bool:
    if value_range is None:
        return True
    low, high, step = value_range[:3]
    if not low <= value <= high:
        return False
    steps = (value - low) / step if step else 0
    return math.isclose(steps, round(steps), abs_tol=1e-6)


def valid_values(prop: RawProperty) -> list[Any]:
    """A few values the document allows for a property, most telling first."""
    fmt = prop["format"]
    if fmt == "bool":
        return [True, False]
    if fmt in ("string", "hex"):
        return ["0a1b", ""]
    if value_list := prop.get("value-list"):
        return [choice["value"] for choice in reversed(value_list)]
    if (value_range := prop.get("value-range")) is not None:
        low, _high, step = value_range[:3]
        values = [low + step, low] if step else [low]
    else:
        values = [1, 0]
    return [float(v) if fmt == "float" else round(v) for v in values]
