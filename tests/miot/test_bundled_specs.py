"""The bundled specs of real home models agree, element by element, with Xiaomi's documents.

A real device gets commands at the ids of its bundled spec when the spec server cannot be
reached, so every service, property, action and event must be where Xiaomi's published
document puts it. The documents, as Xiaomi publishes them, are kept in the shared folder
``../shared/real_specs/specs/<model>.json`` beside the repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.xiaomi_aiot.miot.bundle import bundled_models, load_bundled_spec

REAL_SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "real_specs" / "specs"
BUNDLED = Path(__file__).resolve().parents[2] / "custom_components/xiaomi_aiot/miot/specs"

MODELLED: frozenset[str] = frozenset({"xiaomi.vehicle.su7", "xiaomi.phone.p1", "xiaomi.watch.w1"})
"""Models without a public document: our own definitions in MIoT form."""

REAL_MODELS = (
    "yeelink.light.color1",
    "yeelink.light.ct2",
    "yeelink.light.mono1",
    "xiaomi.aircondition.mc4",
    "xiaomi.tv.v1",
    "xiaomi.wifispeaker.lx06",
    "loock.lock.v6",
)

PROPERTY_FACTS = ("type", "format", "access", "unit", "value-range", "value-list")


def _by_iid(items: list[dict[str, Any]], what: str) -> dict[int, dict[str, Any]]:
    found = {item["iid"]: item for item in items}
    assert len(found) == len(items), f"repeated iids among {what}"
    return found


def _value_list(prop: dict[str, Any]) -> list[tuple[int, str]] | None:
    raw = prop.get("value-list")
    return None if raw is None else [(entry["value"], entry["description"]) for entry in raw]


def _fact(prop: dict[str, Any], name: str) -> Any:
    if name == "value-list":
        return _value_list(prop)
    if name == "value-range":
        raw = prop.get(name)
        return None if raw is None else [float(bound) for bound in raw]
    if name == "access":
        return sorted(prop.get(name, []))
    return prop.get(name)


def _compare_service(ours: dict[str, Any], real: dict[str, Any]) -> None:
    siid = real["iid"]
    assert ours["type"] == real["type"], f"service {siid}"
    for kind in ("properties", "actions", "events"):
        mine = _by_iid(ours.get(kind, []), f"{kind} of service {siid}")
        theirs = _by_iid(real.get(kind, []), f"{kind} of service {siid}")
        assert sorted(mine) == sorted(theirs), f"{kind} iids of service {siid}"
        for iid, element in theirs.items():
            where = f"{kind} {siid}.{iid}"
            if kind == "properties":
                for fact in PROPERTY_FACTS:
                    assert _fact(mine[iid], fact) == _fact(element, fact), f"{where}: {fact}"
            elif kind == "actions":
                assert mine[iid]["type"] == element["type"], f"{where}: type"
                assert mine[iid]["in"] == element["in"], f"{where}: in"
                assert mine[iid]["out"] == element["out"], f"{where}: out"
            else:
                assert mine[iid]["type"] == element["type"], f"{where}: type"
                assert mine[iid]["arguments"] == element["arguments"], f"{where}: arguments"


def test_every_bundled_model_is_real_or_modelled() -> None:
    """No bundled spec is invented for a model with a published document."""
    assert bundled_models() == frozenset(REAL_MODELS) | MODELLED


@pytest.mark.parametrize("model", REAL_MODELS)
def test_bundled_spec_agrees_with_the_real_document(model: str) -> None:
    """Every service, property, action and event is where, and what, Xiaomi says it is."""
    real_path = REAL_SPECS / f"{model}.json"
    if not real_path.is_file():
        pytest.skip(f"the real spec documents are not beside the repository ({REAL_SPECS})")
    real = json.loads(real_path.read_text("utf-8"))
    ours = json.loads((BUNDLED / f"{model}.json").read_text("utf-8"))
    assert ours["type"] == real["type"], "device type"
    mine = _by_iid(ours["services"], "services")
    theirs = _by_iid(real["services"], "services")
    assert sorted(mine) == sorted(theirs), "service iids"
    for siid, service in theirs.items():
        _compare_service(mine[siid], service)
    # The library reads it the same way.
    assert load_bundled_spec(model).type == real["type"]


@pytest.mark.parametrize("model", REAL_MODELS)
def test_bundled_spec_is_written_in_our_layout(model: str) -> None:
    """The files are ours: two-space indented JSON, not a copy of the published bytes."""
    path = BUNDLED / f"{model}.json"
    text = path.read_text("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
