"""The spec server on the cloud's port: instances, instance, multiLanguage, and its fault."""

from __future__ import annotations

import asyncio
import json
import shutil
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot.errors import MiotConnectionError, MiotSpecNotFoundError
from custom_components.xiaomi_aiot.miot.specsource import SpecServer
from harness.net import first_address
from harness.real_documents import INSTANCES, document, require_documents
from harness.simulator_process import run_simulator
from simulator import Simulator, load_home
from simulator.admin import AdminServer
from simulator.cloud import CloudServer
from simulator.specs import BUNDLED_FOLDER

type StartSimulator = Callable[..., Awaitable[Simulator]]
type Serve = Callable[[Path | None], Awaitable[Spec]]

PURIFIER = "zhimi.airp.mb5"
TRANSLATIONS = {
    "data": {
        "zh_cn": {"service:002": "灯", "service:002:property:001": "开关"},
        "en": {"service:002:property:001:valuelist:000": "Off"},
    }
}


class Spec:
    """A client of one cloud server's spec routes, and of its admin API."""

    def __init__(self, session: aiohttp.ClientSession, cloud: CloudServer, admin: str) -> None:
        """Talk to `cloud` (spec routes) and `admin` (the admin API's URL)."""
        self.session, self.cloud, self.admin = session, cloud, admin

    async def get(self, path: str, **params: str) -> tuple[int, str, bytes]:
        """Status, content type and body of a GET."""
        async with self.session.get(self.cloud.url + path, params=params) as response:
            return response.status, response.content_type, await response.read()

    async def instance(self, urn: str) -> tuple[int, str, bytes]:
        """GET /miot-spec-v2/instance?type=urn."""
        return await self.get("/miot-spec-v2/instance", type=urn)

    async def fault(self, value: Any) -> tuple[int, Any]:
        """POST /cloud/faults {"spec_server": value} through the admin API."""
        body = {"spec_server": value}
        async with self.session.post(self.admin + "/cloud/faults", json=body) as response:
            return response.status, await response.json()


@pytest.fixture
async def serve(start_simulator: StartSimulator) -> AsyncIterator[Serve]:
    """Start a home (one device of the bundle) with a spec folder, its cloud and admin API."""
    servers: list[CloudServer | AdminServer] = []
    async with aiohttp.ClientSession() as session:

        async def start(folder: Path | None) -> Spec:
            lamp = {"id": "lamp", "kind": "light", "name": "Lamp", "features": ["brightness"]}
            sim = await start_simulator(load_home({"devices": [lamp]}, specs=folder))
            cloud = CloudServer(sim)
            admin = AdminServer(sim)
            cloud.add_admin_routes(admin.app)
            await cloud.start(port=0)
            await admin.start(port=0)
            servers.extend((admin, cloud))
            return Spec(session, cloud, admin.url)

        yield start
        for server in servers:
            await server.stop()


def _copy(folder: Path, *models: str) -> Path:
    folder.mkdir(exist_ok=True)
    for model in models:
        shutil.copy(BUNDLED_FOLDER / f"{model}.json", folder / f"{model}.json")
    return folder


async def test_real_folder_serves_xiaomis_list_and_documents(serve: Serve) -> None:
    """Xiaomi's list byte for byte; each document byte for byte, by its URN."""
    folder = require_documents()
    spec = await serve(folder)
    status, kind, body = await spec.get("/miot-spec-v2/instances", status="all")
    assert (status, kind) == (200, "application/json")
    assert body == INSTANCES.read_bytes()
    status, _, body = await spec.get("/miot-spec-v2/instances", status="released")
    released = json.loads(body)["instances"]
    assert status == 200
    assert released
    assert {entry["status"] for entry in released} == {"released"}
    urn = document(PURIFIER)["type"]
    assert await spec.instance(urn) == (
        200,
        "application/json",
        (folder / f"{PURIFIER}.json").read_bytes(),
    )


async def test_unknown_types_are_not_found(serve: Serve) -> None:
    """An unknown URN answers 404 with a JSON body; a client can tell it from a document."""
    spec = await serve(None)
    status, kind, body = await spec.instance("urn:miot-spec-v2:device:light:0000A001:acme-x:1")
    assert (status, kind) == (404, "application/json")
    assert json.loads(body)["code"] == 404
    status, _, _ = await spec.get("/miot-spec-v2/instance")
    assert status == 404


async def test_bundled_specs_without_a_folder(serve: Serve) -> None:
    """Without a folder the list is made from the bundled documents, which are served."""
    spec = await serve(None)
    status, _, body = await spec.get("/miot-spec-v2/instances", status="all")
    assert status == 200
    entries = {entry["model"]: entry for entry in json.loads(body)["instances"]}
    bundled = {path.stem for path in BUNDLED_FOLDER.glob("*.json")}
    assert set(entries) == bundled
    ct2 = json.loads((BUNDLED_FOLDER / "yeelink.light.ct2.json").read_bytes())
    assert entries["yeelink.light.ct2"]["type"] == ct2["type"]
    assert entries["yeelink.light.ct2"]["version"] == int(ct2["type"].split(":")[6])
    assert entries["yeelink.light.ct2"]["status"] == "released"
    assert isinstance(entries["yeelink.light.ct2"]["ts"], int)
    _, _, body = await spec.instance(ct2["type"])
    assert body == (BUNDLED_FOLDER / "yeelink.light.ct2.json").read_bytes()


async def test_a_folder_without_a_list_gets_one_made(serve: Serve, tmp_path: Path) -> None:
    """A folder's documents and the bundled ones are listed; the folder's win."""
    folder = _copy(tmp_path / "specs", "yeelink.light.ct2")
    (folder / "acme.light.x1.json").write_text(
        json.dumps({"type": "urn:miot-spec-v2:device:light:0000A001:acme-x1:3", "services": []})
    )
    spec = await serve(folder)
    _, _, body = await spec.get("/miot-spec-v2/instances", status="all")
    entries = {entry["model"]: entry for entry in json.loads(body)["instances"]}
    assert entries["acme.light.x1"]["version"] == 3
    assert "xiaomi.vehicle.su7" in entries
    _, _, body = await spec.get("/miot-spec-v2/instances", status="debug")
    assert json.loads(body) == {"instances": []}


async def test_multi_language_answers(serve: Serve, tmp_path: Path) -> None:
    """A model's .i18n.json as it is; an empty but valid answer otherwise."""
    folder = _copy(tmp_path / "specs", "yeelink.light.ct2", "yeelink.light.mono1")
    text = json.dumps(TRANSLATIONS, ensure_ascii=False)
    (folder / "yeelink.light.ct2.i18n.json").write_text(text, "utf-8")
    spec = await serve(folder)
    urn = json.loads((folder / "yeelink.light.ct2.json").read_bytes())["type"]
    status, kind, body = await spec.get("/instance/v2/multiLanguage", urn=urn)
    assert (status, kind, body.decode("utf-8")) == (200, "application/json", text)
    mono = json.loads((folder / "yeelink.light.mono1.json").read_bytes())["type"]
    for other in (mono, "urn:miot-spec-v2:device:light:0000A001:acme-x:1"):
        status, _, body = await spec.get("/instance/v2/multiLanguage", urn=other)
        assert (status, json.loads(body)) == (200, {"data": {}})
    _, _, body = await spec.get("/miot-spec-v2/instances", status="all")
    assert "yeelink.light.ct2.i18n" not in {e["model"] for e in json.loads(body)["instances"]}


async def test_the_spec_server_fails_when_told(serve: Serve) -> None:
    """down drops the connection, error answers 503, garbage half a document, slow holds."""
    spec = await serve(None)
    urn = json.loads((BUNDLED_FOLDER / "yeelink.light.mono1.json").read_bytes())["type"]
    assert (await spec.fault("down"))[0] == 200
    with pytest.raises(aiohttp.ClientError):
        await spec.instance(urn)
    await spec.fault("error")
    assert (await spec.instance(urn))[0] == 503
    await spec.fault("garbage")
    status, _, body = await spec.instance(urn)
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    await spec.fault("slow")
    held = asyncio.ensure_future(spec.instance(urn))
    await asyncio.sleep(0.3)
    assert not held.done()
    status, answer = await spec.fault(None)
    assert (status, answer["faults"]["spec_server"]) == (200, None)
    assert (await asyncio.wait_for(held, 30))[0] == 200
    # the client may try a dropped request again
    assert answer["spec_requests"]["instance"] >= 4
    assert (answer["spec_requests"]["instances"], answer["spec_requests"]["multiLanguage"]) == (
        0,
        0,
    )


async def test_cloud_faults_leave_the_spec_server_alone(serve: Serve) -> None:
    """It is another server: the cloud's error rate does not reach it; a bad value is refused."""
    spec = await serve(None)
    async with spec.session.post(spec.admin + "/cloud/faults", json={"error_rate": 1}) as reply:
        assert reply.status == 200
    assert (await spec.get("/miot-spec-v2/instances"))[0] == 200
    status, answer = await spec.fault("broken")
    assert status == 400
    assert answer["error"].startswith("spec_server: 'broken' is not one of down, error, slow")


def test_command_line_serves_the_folder(tmp_path: Path) -> None:
    """--specs: a real device on the LAN, its document from the cloud's port."""
    folder = require_documents()
    home = tmp_path / "home.yaml"
    home.write_text(f"devices:\n  - {{id: p, kind: device, name: P, model: {PURIFIER}}}\n")
    address = first_address()
    args = ("--home", str(home), "--specs", str(folder), "--admin-port", "0")
    with run_simulator(*args, "--first-address", address) as run:
        admin, cloud = (part.split("=", 1)[1] for part in run.line.split()[1:3])
        with urllib.request.urlopen(f"{admin}/devices/p") as response:
            described = json.load(response)
        assert (described["kind"], described["model"]) == ("device", PURIFIER)
        urn = document(PURIFIER)["type"]
        with urllib.request.urlopen(f"{cloud}/miot-spec-v2/instance?type={urn}") as response:
            assert response.read() == (folder / f"{PURIFIER}.json").read_bytes()
    assert run.returncode == 0, run.stderr


async def test_the_integrations_client_reads_it(serve: Serve) -> None:
    """miot.specsource, pointed at the cloud's URL, finds a model's URN, document and names."""
    folder = require_documents()
    spec = await serve(folder)
    client = SpecServer(spec.session, base_urls=[spec.cloud.url], timeout=30)
    urn = await client.urn_for(PURIFIER)
    assert urn == document(PURIFIER)["type"]
    assert await client.document(urn) == document(PURIFIER)
    assert await client.translations(urn) == {}
    with pytest.raises(MiotSpecNotFoundError):
        await client.document("urn:miot-spec-v2:device:light:0000A001:acme-x:1")
    await spec.fault("error")
    with pytest.raises(MiotConnectionError):
        await client.document(urn)


async def test_a_real_device_joins_at_run_time(serve: Serve) -> None:
    """POST /devices takes a model of the home's spec folder; its URN is on the spec server."""
    folder = require_documents()
    spec = await serve(folder)
    body = {"id": "p", "kind": "device", "name": "P", "model": PURIFIER}
    async with spec.session.post(spec.admin + "/devices", json=body) as reply:
        assert reply.status == 201, await reply.text()
        joined = await reply.json()
    assert (joined["kind"], joined["model"]) == ("device", PURIFIER)
    assert joined["address"] is not None
    status, _, _ = await spec.instance(document(PURIFIER)["type"])
    assert status == 200
