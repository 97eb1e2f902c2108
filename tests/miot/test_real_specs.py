"""Every real MIoT spec document parses, with its odd elements left out one by one."""

from __future__ import annotations

import pytest

from custom_components.xiaomi_aiot.miot.spec import MiotSpec
from harness.real_specs import real_document, real_models


@pytest.mark.parametrize("model", real_models())
def test_real_document_parses_with_every_usable_element(model: str) -> None:
    """The device is kept whole but for the elements that cannot be used, each noted."""
    document = real_document(model)
    spec = MiotSpec.from_dict(document)
    assert spec.type == document["type"]
    raw_properties = [
        (service["iid"], prop["iid"])
        for service in document["services"]
        for prop in service.get("properties", ())
    ]
    kept = {prop.key for prop in spec.properties()}
    left_out = [key for key in raw_properties if key not in kept]
    assert len(left_out) <= len(spec.skipped)
    assert all(piid == 0 for _, piid in left_out)
    for prop in spec.properties():
        names = [choice.name for choice in prop.value_list]
        assert all(names)
        assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("model", "skipped"),
    [
        (
            "lumi.gateway.v3",
            ["services[1].properties[0]: iid 0", "services[3].properties[0]: iid 0"],
        ),
        ("roidmi.vacuum.v60", []),
    ],
)
def test_documents_once_refused_whole_now_set_up(model: str, skipped: list[str]) -> None:
    """An iid 0 property is left out; ``"out": null`` is an action without outputs."""
    try:
        document = real_document(model)
    except FileNotFoundError:
        pytest.skip(f"{model}'s real document is not in the shared folder")
    spec = MiotSpec.from_dict(document)
    assert list(spec.skipped) == skipped
    if model == "roidmi.vacuum.v60":
        assert any(action.outputs == () for action in spec.actions())
