"""The simulated cloud's contract: the app API's views of the home, its faults, its admin routes.

The app API is driven through Xiaomi's host names with our own client (`MiAppClient`, routed to
the loopback port with ``via``); its RC4 signing is checked against micloud elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot import MiotDeviceError, MiotDeviceOfflineError
from custom_components.xiaomi_aiot.miot.codes import MiotCode
from custom_components.xiaomi_aiot.miot.mi_account import MiAccount
from custom_components.xiaomi_aiot.miot.mi_api import MiAppClient
from custom_components.xiaomi_aiot.miot.packet import HELLO, read_header
from harness.homes import CLOUD_HOME as HOME
from harness.net import first_address
from harness.simulator_process import run_simulator
from simulator import HomeFileError, Simulator, load_home
from simulator.__main__ import main
from simulator.admin import AdminServer
from simulator.cloud import CloudServer

type StartSimulator = Callable[..., Awaitable[Simulator]]

ACCOUNT_HOST = "account.xiaomi.com"


class Http:
    """JSON over HTTP to one server (the admin API, or the cloud's port under a host name)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to `url`."""
        self.session, self.url = session, url

    async def call(
        self, method: str, path: str, body: Any = None, *, host: str | None = None, **kwargs: Any
    ) -> Any:
        """Status and body (JSON when it is) of a request; `host` goes in ``Host``."""
        if body is not None:
            kwargs["json"] = body
        headers = {"Host": host} if host else {}
        async with self.session.request(
            method, self.url + path, headers=headers, **kwargs
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST: status and JSON."""
        return await self.call("POST", path, body, **kwargs)


@pytest.fixture
async def sim(start_simulator: StartSimulator) -> Simulator:
    """The home above, running."""
    return await start_simulator(HOME)


@pytest.fixture
async def cloud_server(sim: Simulator) -> AsyncIterator[CloudServer]:
    """The cloud of the home, with its admin routes on an admin server."""
    server = CloudServer(sim)
    port = await server.start(port=0)
    assert server.url == f"http://127.0.0.1:{port}"
    yield server
    await server.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def cloud(cloud_server: CloudServer, session: aiohttp.ClientSession) -> Http:
    """Raw HTTP to the cloud's port."""
    return Http(session, cloud_server.url)


@pytest.fixture
async def app(cloud_server: CloudServer, session: aiohttp.ClientSession) -> MiAppClient:
    """The app API of the home's account, signed in through Xiaomi's hosts."""
    tokens = await MiAccount(session, via=cloud_server.url).sign_in("bob", "hunter2")
    return MiAppClient(session, tokens, "cn", via=cloud_server.url)


@pytest.fixture
async def admin(
    sim: Simulator, cloud_server: CloudServer, session: aiohttp.ClientSession
) -> AsyncIterator[Http]:
    """A client of the admin API, which has the cloud's routes."""
    server = AdminServer(sim)
    cloud_server.add_admin_routes(server.app)
    await server.start(port=0)
    yield Http(session, server.url)
    await server.stop()


def did(sim: Simulator, device_id: str) -> str:
    """A device's did as the cloud writes it."""
    return str(sim.devices[device_id].did)


async def device_list(app: MiAppClient) -> list[dict[str, Any]]:
    """Every device of the account as the list answers it."""
    devices: list[dict[str, Any]] = (await app.request("/home/device_list", {}))["list"]
    return devices


async def test_homes_rooms_and_device_pages(
    app: MiAppClient, sim: Simulator, cloud_server: CloudServer
) -> None:
    """One home named by the home file; rooms with dids; the device list in pages."""
    (home,) = (await app.request("/v2/homeroom/gethome", {}))["homelist"]
    assert (home["id"], home["name"]) == (cloud_server.home_id, "Cloud Home")
    assert [(r["name"], r["dids"]) for r in home["roomlist"]] == [
        ("Hall", [did(sim, "lamp")]),
        ("Garage", [did(sim, "car")]),
    ]
    assert home["dids"] == [did(sim, "phone")]
    page = await app.request("/v2/home/device_list_page", {"limit": 2, "start_did": ""})
    assert [d["did"] for d in page["list"]] == [did(sim, "lamp"), did(sim, "car")]
    assert (page["has_more"], page["next_start_did"]) == (True, did(sim, "phone"))
    lamp, car = page["list"]
    assert lamp["localip"] == sim.devices["lamp"].address
    assert lamp["token"] == sim.devices["lamp"].token
    assert (lamp["model"], lamp["isOnline"]) == ("yeelink.light.mono1", True)
    assert car["spec_type"].startswith("urn:miot-spec-v2:device:vehicle:")
    assert car["localip"] == ""
    assert "home_id" not in car
    assert "room_id" not in car
    last = await app.request(
        "/v2/home/device_list_page", {"limit": 2, "start_did": page["next_start_did"]}
    )
    assert ([d["did"] for d in last["list"]], last["has_more"]) == ([did(sim, "phone")], False)
    with pytest.raises(MiotDeviceError) as caught:
        await app.request("/v2/home/device_list_page", {"limit": 2, "start_did": "1"})
    assert caught.value.code == -2
    with pytest.raises(MiotDeviceError) as caught:
        await app.request("/v2/home/device_list_page", {"limit": 0})
    assert caught.value.code == 400


async def test_properties_and_actions_share_the_lan_state(
    app: MiAppClient, sim: Simulator, udp: Any
) -> None:
    """A cloud write reaches the LAN endpoint; an action changes the car; codes per item."""
    lamp, car = did(sim, "lamp"), did(sim, "car")
    written = await app.request(
        "/miotspec/prop/set", {"params": [{"did": lamp, "siid": 2, "piid": 1, "value": False}]}
    )
    assert written == [{"did": lamp, "siid": 2, "piid": 1, "code": 0}]
    reply = await udp.call(sim.devices["lamp"], "get_properties", [{"siid": 2, "piid": 1}])
    assert reply["result"][0]["value"] is False
    read = await app.request(
        "/miotspec/prop/get",
        {"params": [{"did": car, "siid": 2, "piid": 1}, {"did": "7", "siid": 2, "piid": 1}]},
    )
    assert read == [
        {"did": car, "siid": 2, "piid": 1, "code": 0, "value": 80},
        {"did": "7", "siid": 2, "piid": 1, "code": -4003},
    ]
    result = await app.request(
        "/miotspec/action", {"params": {"did": car, "siid": 6, "aiid": 2, "in": []}}
    )
    assert result == {"did": car, "siid": 6, "aiid": 2, "code": 0, "out": []}
    assert sim.devices["car"].get(6, 1) == 1
    missing = await app.request(
        "/miotspec/action", {"params": {"did": "7", "siid": 6, "aiid": 2, "in": []}}
    )
    assert missing == {"did": "7", "siid": 6, "aiid": 2, "code": -4003}


@pytest.mark.parametrize(
    ("path", "data", "code"),
    [
        ("/miotspec/prop/get", {"params": [{"did": "1", "siid": 2, "piid": 1}] * 151}, -1),
        ("/miotspec/prop/get", {"params": [{"siid": 2, "piid": 1}]}, 400),
        ("/miotspec/prop/get", {"params": {}}, 400),
        ("/miotspec/prop/set", {}, 400),
        ("/miotspec/action", {"params": {"did": "1"}}, 400),
        ("/miotspec/action", [1], -1),
    ],
)
async def test_request_limits_and_shapes(app: MiAppClient, path: str, data: Any, code: int) -> None:
    """More than 150 items: code -1; params not in the route's shape: code 400."""
    with pytest.raises(MiotDeviceError) as caught:
        await app.request(path, data)
    assert caught.value.code == code


async def test_a_device_batch_limit_answers_each_item_its_code(
    app: MiAppClient, sim: Simulator
) -> None:
    """The car takes one property at a time: two of its items answer its code, the lamp's not."""
    sim.devices["car"].apply_faults({"batch_limit": 1})
    car, lamp = did(sim, "car"), did(sim, "lamp")
    read = await app.request(
        "/miotspec/prop/get",
        {
            "params": [
                {"did": car, "siid": 2, "piid": 1},
                {"did": lamp, "siid": 2, "piid": 1},
                {"did": car, "siid": 4, "piid": 4},
            ]
        },
    )
    assert [item["code"] for item in read] == [
        MiotCode.TOO_MANY_PROPERTIES,
        0,
        MiotCode.TOO_MANY_PROPERTIES,
    ]


async def test_a_port_in_use_is_an_os_error(sim: Simulator, cloud_server: CloudServer) -> None:
    """A second cloud on the first one's port fails to start and listens nowhere."""
    other = CloudServer(sim)
    with pytest.raises(OSError, match="address already in use"):
        await other.start(port=cloud_server.port or 0)
    assert other.port is None
    await other.stop()


async def test_offline_devices(app: MiAppClient, sim: Simulator, admin: Http) -> None:
    """Offline for the cloud: its own code, isOnline false; LAN-offline devices too."""
    status, answer = await admin.post("/cloud/faults", {"offline_devices": ["car"]})
    assert (status, answer["faults"]["offline_devices"]) == (200, ["car"])
    car, lamp = did(sim, "car"), did(sim, "lamp")
    with pytest.raises(MiotDeviceOfflineError):
        await app.request("/miotspec/action", {"params": {"did": car, "siid": 6, "aiid": 1}})
    mixed = await app.request(
        "/miotspec/prop/get",
        {"params": [{"did": car, "siid": 2, "piid": 1}, {"did": lamp, "siid": 2, "piid": 1}]},
    )
    assert [item["code"] for item in mixed] == [MiotCode.DEVICE_OFFLINE, 0]
    sim.devices["lamp"].apply_faults({"offline": True})
    assert [d["isOnline"] for d in await device_list(app)] == [False, False, True]


async def test_timeout_holds_requests_until_it_is_cleared(cloud: Http, admin: Http) -> None:
    """timeout: a request to a Xiaomi host gets no answer until the fault is cleared (then 503)."""
    await admin.post("/cloud/faults", {"timeout": True})
    held = asyncio.create_task(cloud.call("GET", "/pass/serviceLogin", host=ACCOUNT_HOST))
    await asyncio.sleep(0.2)
    assert not held.done()
    status, answer = await admin.post("/cloud/faults", {"timeout": None})
    assert answer["faults"]["timeout"] is False
    assert (await held)[0] == 503
    status, text = await cloud.call("GET", "/pass/serviceLogin", host=ACCOUNT_HOST)
    assert status == 200
    assert text.startswith("&&&START&&&")


@pytest.mark.parametrize("path", ["/app/v2/homeroom/gethome", "/oauth2/token", "/"])
async def test_other_hosts_have_no_cloud_api(cloud: Http, path: str) -> None:
    """The loopback name itself serves only the spec server: the app API needs Xiaomi's hosts."""
    assert (await cloud.post(path, {}))[0] == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error_rate": 2}, "error_rate: 2 is outside 0..1"),
        ({"error_rate": "x"}, "error_rate: 'x' is not a number"),
        ({"timeout": 1}, "timeout: 1 is not true or false"),
        ({"offline_devices": ["nope"]}, "offline_devices[0]: no device 'nope'"),
        ({"offline_devices": "car"}, "offline_devices: expected a list"),
        ({"page_limit": 0}, "page_limit: 0 is not a positive integer"),
        ({"lag": 1}, "lag: unknown cloud fault"),
        ({"refuse_refresh": True}, "refuse_refresh: unknown cloud fault"),
        ([], "cloud faults: expected an object"),
    ],
)
async def test_bad_cloud_faults_answer_400(admin: Http, body: Any, message: str) -> None:
    """Bad settings are refused, naming the key."""
    status, answer = await admin.post("/cloud/faults", body)
    assert status == 400
    assert answer["error"].startswith(message), answer


async def test_cloud_summary(admin: Http, app: MiAppClient, cloud_server: CloudServer) -> None:
    """GET /cloud: URL, home, account name (no password), token lifetime, faults, actions."""
    status, answer = await admin.call("GET", "/cloud")
    assert status == 200
    assert answer["url"] == cloud_server.url
    assert answer["home"] == {"id": cloud_server.home_id, "name": "Cloud Home"}
    assert answer["username"] == "bob"
    assert "hunter2" not in json.dumps(answer)
    assert (answer["token_lifetime"], answer["actions"]) == (3600, [])
    assert answer["xiaomi"]["service_tokens"] == 1
    assert answer["faults"]["error_rate"] == 0
    assert "refuse_refresh" not in answer["faults"]


async def test_devices_join_and_leave_at_run_time(
    admin: Http, app: MiAppClient, sim: Simulator, udp: Any
) -> None:
    """POST /devices adds a device (a LAN one gets the next address); DELETE removes it."""
    lamp_address = sim.devices["lamp"].address
    assert lamp_address is not None
    new = {"id": "desk", "kind": "light", "name": "Desk", "room": "Hall", "features": []}
    status, added = await admin.post("/devices", new)
    assert status == 201, added
    assert added["address"] == str(ipaddress.IPv4Address(lamp_address) + 1)
    udp.send(sim.devices["desk"], HELLO)
    assert read_header(await udp.receive()).did == added["did"]
    watch_definition = {"id": "w", "kind": "wearable", "name": "W", "person": "Bob"}
    status, watch = await admin.post("/devices", watch_definition)
    assert (status, watch["address"], watch["model"]) == (201, None, "xiaomi.watch.w1")
    assert [d["name"] for d in await device_list(app)] == ["Lamp", "SU7", "Phone", "Desk", "W"]
    status, answer = await admin.post("/devices", new)
    assert (status, answer["error"]) == (400, "device.id: duplicate id 'desk'")
    assert (await admin.post("/devices", data="{not json"))[0] == 400
    status, answer = await admin.post("/devices", {**new, "id": "x", "room": "Attic"})
    assert status == 400
    assert answer["error"].startswith("device.room: 'Attic' is not one of the rooms")
    status, removed = await admin.call("DELETE", "/devices/desk")
    assert (status, removed["id"], removed["online"]) == (200, "desk", False)
    assert (await admin.call("DELETE", "/devices/desk"))[0] == 404
    assert (await admin.call("GET", "/devices/desk"))[0] == 404
    assert "Desk" not in [d["name"] for d in await device_list(app)]
    assert "desk" not in sim.devices


def test_home_file_account_and_name() -> None:
    """account and home_name are optional; the default account is demo/demo."""
    home = load_home(HOME)
    assert (home.name, home.account.username, home.account.password) == (
        "Cloud Home",
        "bob",
        "hunter2",
    )
    assert "hunter2" not in repr(home.account)
    default = load_home({"devices": []})
    assert (default.name, default.account.username, default.account.password) == (
        "My Home",
        "demo",
        "demo",
    )
    for document, message in (
        ({"account": {"username": "x"}, "devices": []}, "account.password: required"),
        ({"account": {"user": "x"}, "devices": []}, "account.user: unknown key"),
        ({"account": "x", "devices": []}, "account: expected a mapping"),
        ({"home_name": 3, "devices": []}, "home.home_name: 3 is not a non-empty string"),
        (
            {"devices": [{"id": "c", "kind": "vehicle", "name": "C", "model": "xiaomi.phone.p1"}]},
            "devices[0].model: 'xiaomi.phone.p1' is a phone, not a vehicle",
        ),
    ):
        with pytest.raises(HomeFileError) as caught:
            load_home(document)
        assert str(caught.value).startswith(message), caught.value


def test_command_line_starts_the_cloud(tmp_path: Path) -> None:
    """The ready line gives the cloud's URL, which answers Xiaomi's sign-in; tokens last 60 s."""
    home = tmp_path / "home.yaml"
    home.write_text(
        "account: {username: u, password: p}\ndevices:\n  - {id: car, kind: vehicle, name: Car}\n"
    )
    address = first_address()
    args = ("--home", str(home), "--admin-port", "0", "--token-lifetime", "60")
    with run_simulator(*args, "--first-address", address) as run:
        line = run.line.split()
        assert line[0] == "ready"
        assert line[1].startswith("admin=http://127.0.0.1:")
        assert line[2].startswith("cloud=http://127.0.0.1:")
        assert line[3] == "devices=0"
        admin_url, url = line[1].removeprefix("admin="), line[2].removeprefix("cloud=")
        with urllib.request.urlopen(f"{admin_url}/cloud") as response:
            assert json.load(response)["token_lifetime"] == 60
        request = urllib.request.Request(
            f"{url}/pass/serviceLogin?sid=xiaomiio&_json=true", headers={"Host": ACCOUNT_HOST}
        )
        with urllib.request.urlopen(request) as response:
            assert response.read().startswith(b"&&&START&&&")
    assert run.returncode == 0, run.stderr


def test_bad_token_lifetime_is_a_usage_error(tmp_path: Path) -> None:
    """A lifetime that is not positive: status 2 on the command line, ValueError in process."""
    home = tmp_path / "home.yaml"
    home.write_text("devices: []\n")
    assert main(["--home", str(home), "--token-lifetime", "0"]) == 2
    with pytest.raises(ValueError, match="not positive"):
        CloudServer(Simulator(load_home({"devices": []})), token_lifetime=0)
