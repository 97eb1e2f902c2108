"""Xiaomi's real MIoT spec documents, read from the shared folder beside the repository.

`../shared/real_specs/specs/<model>.json` holds documents exactly as miot-spec.org publishes
them (see its SOURCES.md). They are not part of the project: tests over them are skipped, with
the reason, where the folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REAL_SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "real_specs"
REAL_SPEC_FILES = REAL_SPECS / "specs"
ABSENT = f"Xiaomi's real spec documents are not here ({REAL_SPEC_FILES} is absent)"


def real_models() -> list[Any]:
    """One pytest parameter per real document's model; a single skipped one without the folder."""
    if not REAL_SPEC_FILES.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="absent")]
    return sorted(path.stem for path in REAL_SPEC_FILES.glob("*.json"))


def real_document(model: str) -> Any:
    """The real document of a model, as published."""
    return json.loads((REAL_SPEC_FILES / f"{model}.json").read_text("utf-8"))


def models_of(types: tuple[str, ...]) -> list[Any]:
    """The real models whose device type is one of these."""
    if not REAL_SPEC_FILES.is_dir():
        return real_models()
    return [model for model in real_models() if real_document(model)["type"].split(":")[3] in types]
