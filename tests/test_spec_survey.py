"""The mapping over every real Xiaomi document: natural platforms, few entities, real names.

`script/spec_summary` prints the same survey as a table.
"""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.spec import urn_name
from harness.real_specs import ABSENT, REAL_SPEC_FILES, real_document, real_models
from harness.spec_survey import COMPACT_LIMIT, COMPACT_TYPES, GENERIC_TYPES, NATURAL, survey

RAW_NAME_LIMIT = 0.20
"""At most this share of all entity names over the folder are raw spec text."""


@pytest.mark.parametrize("model", real_models())
def test_a_real_device_is_on_its_natural_platform(model: str) -> None:
    """Its own service is the entity Home Assistant has for its type (cameras excepted)."""
    found = survey(model, real_document(model))
    if found.device_type in GENERIC_TYPES:
        pytest.skip(f"{found.device_type}: left on generic entities (README, limitations)")
    assert found.device_type in NATURAL, f"no natural platform is known for {found.device_type}"
    assert found.natural, f"{found.device_type} on {sorted(found.primary)}"


def compact_models() -> list[Any]:
    """The real purifiers, fans and humidifiers (one skipped parameter without the folder)."""
    models = real_models()
    if not REAL_SPEC_FILES.is_dir():
        return models
    return [m for m in models if urn_name(real_document(m)["type"]) in COMPACT_TYPES]


@pytest.mark.parametrize("model", compact_models())
def test_a_purifier_fan_or_humidifier_has_few_everyday_entities(model: str) -> None:
    """At most 15 entities outside the diagnostic category: the rest are diagnostics."""
    assert survey(model, real_document(model)).visible <= COMPACT_LIMIT


@pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)
def test_few_names_over_the_folder_are_raw_spec_text() -> None:
    """Translation keys and device classes name at least 80 % of all entities."""
    names = [survey(model, real_document(model)).names for model in real_models()]
    raw = sum(n["spec"] for n in names)
    total = sum(sum(n.values()) for n in names)
    assert raw / total <= RAW_NAME_LIMIT, f"{raw} of {total} names are raw spec text"
