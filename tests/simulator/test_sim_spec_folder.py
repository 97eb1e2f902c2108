"""The spec folder: ``--specs DIR`` and the home file's ``specs:``, the ``device`` kind, and
the existing kinds taking real models."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from custom_components.xiaomi_aiot.miot.spec import MiotProperty, MiotSpec
from harness.real_documents import document, require_documents, valid_values
from simulator import HomeFileError, Simulator, load_home
from simulator.__main__ import main
from simulator.admin import AdminServer
from simulator.plausible import plausible_value, valid_value
from simulator.specs import BUNDLED_FOLDER, SpecLibrary, urn_version

type StartSimulator = Callable[..., Awaitable[Simulator]]

LOCK = "loock.lock.t1"


def _device(**keys: Any) -> dict[str, Any]:
    return {"devices": [{"id": "d", "name": "D", **keys}]}


def _folder(tmp_path: Path, *models: str) -> Path:
    """A spec folder holding copies of bundled documents."""
    folder = tmp_path / "specs"
    folder.mkdir()
    for model in models:
        shutil.copy(BUNDLED_FOLDER / f"{model}.json", folder / f"{model}.json")
    return folder


def test_a_device_of_any_real_model() -> None:
    """`kind: device` takes any model of the folder; its type comes from the document."""
    folder = require_documents()
    (purifier,) = load_home(_device(kind="device", model="zhimi.airp.mb5"), folder).devices
    assert purifier.lan
    assert purifier.spec is not None
    assert purifier.spec.device_type == "air-purifier"
    assert purifier.specs == folder.resolve()


def test_existing_kinds_take_real_models_of_their_type() -> None:
    """A light can be any real light; a lock cannot be an air purifier."""
    folder = require_documents()
    (bulb,) = load_home(_device(kind="light", model="philips.light.bulb"), folder).devices
    assert bulb.spec is not None
    assert bulb.spec.type.startswith("urn:miot-spec-v2:device:light:")
    with pytest.raises(HomeFileError, match=r"^devices\[0\]\.model: 'zhimi.airp.mb5' is a air"):
        load_home(_device(kind="lock", model="zhimi.airp.mb5"), folder)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"kind": "device"}, "devices[0].model: required for a device"),
        (
            {"kind": "device", "model": "acme.thing.v1"},
            "devices[0].model: 'acme.thing.v1' has no spec in ",
        ),
    ],
)
def test_unknown_models_are_refused(tmp_path: Path, keys: dict[str, Any], message: str) -> None:
    """Errors name the key path."""
    with pytest.raises(HomeFileError) as caught:
        load_home(_device(**keys), _folder(tmp_path))
    assert str(caught.value).startswith(message)


def test_without_a_folder_only_bundled_models() -> None:
    """Without a folder the bundled models are the only ones, as before."""
    with pytest.raises(HomeFileError, match="has no bundled spec"):
        load_home(_device(kind="device", model="zhimi.airp.mb5"))
    (lamp,) = load_home(_device(kind="device", model="yeelink.light.mono1")).devices
    assert lamp.specs is None


def test_the_home_file_names_its_folder_relative_to_itself(tmp_path: Path) -> None:
    """`specs:` is relative to the home file's folder; `--specs` wins over it."""
    _folder(tmp_path, "yeelink.light.ct2")
    home = tmp_path / "home.yaml"
    home.write_text("specs: specs\ndevices:\n  - {id: d, kind: device, name: D, model: x.y.z}\n")
    (tmp_path / "specs" / "x.y.z.json").write_bytes(
        (BUNDLED_FOLDER / "yeelink.light.ct2.json").read_bytes()
    )
    loaded = load_home(home)
    assert loaded.specs == (tmp_path / "specs").resolve()
    assert loaded.devices[0].model == "x.y.z"
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(HomeFileError, match=r"'x\.y\.z' has no spec in"):
        load_home(home, other)


@pytest.mark.parametrize(
    ("specs", "message"),
    [(3, "specs: 3 is not a folder name"), ("nowhere", "specs: '")],
)
def test_a_bad_folder_is_refused(tmp_path: Path, specs: Any, message: str) -> None:
    """The key is named, and a missing folder is not a folder."""
    with pytest.raises(HomeFileError) as caught:
        load_home({"specs": specs, "devices": []})
    assert str(caught.value).startswith(message)


def test_the_command_line_refuses_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad --specs: status 2, naming the option."""
    home = tmp_path / "home.yaml"
    home.write_text("devices: []\n")
    assert main(["--home", str(home), "--specs", str(tmp_path / "none")]) == 2
    assert "error: --specs: " in capsys.readouterr().err


def test_urn_versions() -> None:
    """The version is the URN's 7th field, also with a trailing one."""
    assert urn_version("urn:miot-spec-v2:device:light:0000A001:yeelink-ct2:1") == 1
    assert urn_version("urn:miot-spec-v2:device:curtain:0000A00C:babai-190812:1:0000C805") == 1
    assert urn_version("urn:miot-spec-v2:device:light") == 0


def test_the_folder_wins_over_the_bundle(tmp_path: Path) -> None:
    """A model in both is the folder's; the others stay bundled."""
    folder = _folder(tmp_path, "yeelink.light.ct2")
    library = SpecLibrary(folder)
    assert library.real("yeelink.light.ct2")
    assert not library.real("xiaomi.vehicle.su7")
    assert "xiaomi.vehicle.su7" in library
    assert not library.real("acme.none")


def test_values_that_fit_odd_properties() -> None:
    """Ranges that start off the integers, lists, and numbers without either."""
    one, two, three, four, five, six = _properties(
        _prop(1, "uint8", **{"value-range": [0.5, 10, 0.5]}),
        _prop(2, "int8", **{"value-range": [-5, 200, 1]}),
        _prop(3, "float", unit="celsius", **{"value-range": [-40, 125, 0.1]}),
        _prop(4, "uint8", **{"value-list": [{"value": 3, "description": ""}]}),
        _prop(5, "uint16"),
        _prop(6, "bool"),
    )
    assert valid_value(one) == 1
    assert valid_value(two) == -5
    assert plausible_value(three, -40.0) == 24
    assert plausible_value(four, 0) == 3
    assert valid_value(five) == 0
    assert valid_value(six) is False
    narrow, unsigned = _properties(
        _prop(1, "uint8", **{"value-range": [0.2, 0.8, 0.5]}),
        _prop(2, "uint8", **{"value-range": [-3, 5, 1]}),
    )
    with pytest.raises(ValueError, match="no value fits"):
        valid_value(narrow)
    assert valid_value(unsigned) == 0


def test_a_document_that_does_not_read_is_refused(tmp_path: Path) -> None:
    """A file that is not JSON is a model whose spec cannot be had; the spec server skips it."""
    folder = _folder(tmp_path)
    (folder / "acme.broken.v1.json").write_text("{not json")
    library = SpecLibrary(folder)
    assert "acme.broken.v1" in library
    assert "acme.broken.v1" not in library.instances().decode()
    with pytest.raises(HomeFileError, match=r"^devices\[0\]\.model: cannot read acme"):
        load_home(_device(kind="device", model="acme.broken.v1"), folder)
    with pytest.raises(MiotSpecError, match=r"no spec for model 'acme\.none'"):
        library.spec("acme.none")


def _properties(*props: dict[str, Any]) -> list[MiotProperty]:
    """The properties of a one-service spec."""
    service = {"iid": 2, "type": "urn:miot-spec-v2:service:thing:00007800:acme-t:1"}
    spec = MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:thing:0000A000:acme-t:1",
            "services": [{**service, "properties": list(props)}],
        }
    )
    return list(spec.properties())


def _prop(iid: int, fmt: str, **keys: Any) -> dict[str, Any]:
    return {
        "iid": iid,
        "type": f"urn:miot-spec-v2:property:p{iid}:00000001:acme-t:1",
        "format": fmt,
        "access": ["read"],
        **keys,
    }


async def test_a_real_lock_reports_its_events_through_the_admin_api(
    start_simulator: StartSimulator,
) -> None:
    """POST /devices/{id}/events emits a real document's event, arguments checked by it."""
    folder = require_documents()
    doc = document(LOCK)
    lock_service = next(s for s in doc["services"] if ":service:lock:" in s["type"])
    event = next(e for e in lock_service["events"] if ":event:lock-opened:" in e["type"])
    raw = {p["iid"]: p for p in lock_service["properties"]}
    arguments = {_name(raw[piid]): valid_values(raw[piid])[0] for piid in event["arguments"]}
    home = load_home({"rooms": ["Hall"], **_device(kind="lock", model=LOCK, room="Hall")}, folder)
    sim = await start_simulator(home)
    admin = AdminServer(sim)
    await admin.start(port=0)
    try:
        async with aiohttp.ClientSession() as session:
            body = {"event": "lock.lock-opened", "arguments": arguments}
            async with session.post(f"{admin.url}/devices/d/events", json=body) as reply:
                assert reply.status == 200, await reply.text()
                (recorded,) = (await reply.json())["events"]
            body = {"event": "lock.lock-opened", "arguments": {"nothing-of-it": 1}}
            async with session.post(f"{admin.url}/devices/d/events", json=body) as reply:
                assert reply.status == 400
    finally:
        await admin.stop()
    assert (recorded["siid"], recorded["eiid"]) == (lock_service["iid"], event["iid"])
    assert {a["name"]: a["value"] for a in recorded["arguments"]} == arguments


def _name(prop: dict[str, Any]) -> str:
    name: str = prop["type"].split(":")[3]
    return name
