"""The spec instances that ship with the library, one JSON file per model in `specs/`."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from .errors import MiotSpecError
from .spec import MiotSpec


@cache
def bundled_models() -> frozenset[str]:
    """The models whose spec ships with the library (blocking file I/O; cached)."""
    folder = resources.files(__package__).joinpath("specs")
    return frozenset(
        entry.name.removesuffix(".json")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    )


@cache
def load_bundled_spec(model: str) -> MiotSpec:
    """The bundled spec of a model (blocking file I/O; cached)."""
    if model not in bundled_models():
        raise MiotSpecError(f"no bundled spec for model {model!r}")
    text = resources.files(__package__).joinpath("specs", f"{model}.json").read_text("utf-8")
    return MiotSpec.from_dict(json.loads(text))
