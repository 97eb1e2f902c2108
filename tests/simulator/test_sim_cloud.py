"""The simulated cloud's contract over raw HTTP: sign-in, the API, its faults, its admin routes."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import random
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot.cloud_models import EXPIRED_TOKEN_CODE, OFFLINE_CODE
from custom_components.xiaomi_aiot.miot.packet import HELLO, read_header
from simulator import HomeFileError, Simulator, load_home
from simulator.__main__ import main
from simulator.admin import AdminServer
from simulator.cloud import CloudServer
from tests.simulator.running import run_simulator

type StartSimulator = Callable[..., Awaitable[Simulator]]

HOME: dict[str, Any] = {
    "home_name": "Cloud Home",
    "account": {"username": "bob", "password": "hunter2"},
    "rooms": ["Hall", "Garage"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall", "features": []},
        {"id": "car", "kind": "vehicle", "name": "SU7", "room": "Garage", "person": "Bob"},
        {"id": "phone", "kind": "phone", "name": "Phone", "person": "Bob"},
    ],
}
LOGIN = {"grant_type": "password", "username": "bob", "password": "hunter2", "client_id": "t"}


class Http:
    """JSON over HTTP to one server."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to `url`; `token` is sent as a bearer token once set."""
        self.session, self.url = session, url
        self.token: str | None = None

    async def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        """Status and JSON body of a request."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if body is not None:
            kwargs["json"] = body
        async with self.session.request(
            method, self.url + path, headers=headers, **kwargs
        ) as response:
            return response.status, await response.json()

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST: status and JSON."""
        return await self.call("POST", path, body, **kwargs)

    async def result(self, path: str, body: Any) -> Any:
        """The result of a successful API call."""
        status, answer = await self.post(path, body)
        assert (status, answer["code"], answer["message"]) == (200, 0, "ok"), answer
        return answer["result"]

    async def sign_in(self) -> dict[str, Any]:
        """Sign in with a form, as the client does; keep the access token."""
        status, answer = await self.post("/oauth2/token", data=LOGIN)
        assert status == 200, answer
        self.token = answer["access_token"]
        return dict(answer)


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
    """A client of the cloud, not signed in."""
    return Http(session, cloud_server.url)


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


async def test_sign_in_with_a_form_or_json(cloud: Http) -> None:
    """The password grant answers an OAuth2 token pair, whatever the body's encoding."""
    answer = await cloud.sign_in()
    assert set(answer) == {"access_token", "refresh_token", "expires_in", "token_type"}
    assert (answer["expires_in"], answer["token_type"]) == (3600, "Bearer")
    status, answer = await cloud.post("/oauth2/token", LOGIN)
    assert status == 200


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"password": "wrong"}, 400, "invalid_grant"),
        ({"username": "alice"}, 400, "invalid_grant"),
        ({"client_id": ""}, 401, "invalid_client"),
        ({"grant_type": "magic"}, 400, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "refresh_token": "never issued"}, 400, "invalid_grant"),
    ],
)
async def test_sign_in_refusals(
    cloud: Http, change: dict[str, str], status: int, error: str
) -> None:
    """Wrong credentials, no client id, unknown grants and refresh tokens are refused."""
    answer = await cloud.post("/oauth2/token", data={**LOGIN, **change})
    assert answer[0] == status
    assert answer[1]["error"] == error


async def test_refresh_tokens_are_used_once(cloud: Http) -> None:
    """A refresh gives a new pair; the old refresh token is then refused."""
    first = await cloud.sign_in()
    form = {
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "client_id": "t",
    }
    status, second = await cloud.post("/oauth2/token", data=form)
    assert status == 200
    assert second["access_token"] != first["access_token"]
    assert (await cloud.post("/oauth2/token", data=form))[0] == 400


async def test_api_needs_a_valid_access_token(cloud: Http, cloud_server: CloudServer) -> None:
    """No token, an unknown one, an expired one: 401 with the expired-token code."""
    status, answer = await cloud.post("/app/v2/homeroom/gethome", {})
    assert (status, answer["code"]) == (401, EXPIRED_TOKEN_CODE)
    cloud.token = "made-up"
    assert (await cloud.post("/app/v2/homeroom/gethome", {}))[0] == 401
    await cloud.sign_in()
    assert (await cloud.post("/app/v2/homeroom/gethome", {}))[0] == 200
    cloud_server.apply_faults({"expire_tokens": True})
    status, answer = await cloud.post("/app/v2/homeroom/gethome", {})
    assert (status, answer["message"]) == (401, "access token expired")
    await cloud.sign_in()
    assert (await cloud.post("/app/v2/homeroom/gethome", {}))[0] == 200


async def test_homes_rooms_and_device_pages(
    cloud: Http, sim: Simulator, cloud_server: CloudServer
) -> None:
    """One home named by the home file; rooms with dids; the device list in pages."""
    await cloud.sign_in()
    (home,) = (await cloud.result("/app/v2/homeroom/gethome", {}))["homelist"]
    assert (home["id"], home["name"]) == (cloud_server.home_id, "Cloud Home")
    assert [(r["name"], r["dids"]) for r in home["roomlist"]] == [
        ("Hall", [did(sim, "lamp")]),
        ("Garage", [did(sim, "car")]),
    ]
    assert home["dids"] == [did(sim, "phone")]
    page = await cloud.result("/app/v2/home/device_list_page", {"limit": 2, "start_did": ""})
    assert [d["did"] for d in page["list"]] == [did(sim, "lamp"), did(sim, "car")]
    assert (page["has_more"], page["next_start_did"]) == (True, did(sim, "phone"))
    lamp, car = page["list"]
    assert lamp["localip"] == sim.devices["lamp"].address
    assert lamp["token"] == sim.devices["lamp"].token
    assert (lamp["model"], lamp["isOnline"]) == ("yeelink.light.mono1", True)
    assert car["spec_type"].startswith("urn:miot-spec-v2:device:vehicle:")
    assert (car["localip"], car["home_id"]) == ("", home["id"])
    assert car["room_id"] == home["roomlist"][1]["id"]
    last = await cloud.result(
        "/app/v2/home/device_list_page", {"limit": 2, "start_did": page["next_start_did"]}
    )
    assert ([d["did"] for d in last["list"]], last["has_more"]) == ([did(sim, "phone")], False)
    status, answer = await cloud.post(
        "/app/v2/home/device_list_page", {"limit": 2, "start_did": "1"}
    )
    assert (status, answer["code"]) == (200, -2)
    assert (await cloud.post("/app/v2/home/device_list_page", {"limit": 0}))[0] == 400


async def test_properties_and_actions_share_the_lan_state(
    cloud: Http, sim: Simulator, udp: Any
) -> None:
    """A cloud write reaches the LAN endpoint; an action changes the car; codes per item."""
    await cloud.sign_in()
    lamp, car = did(sim, "lamp"), did(sim, "car")
    written = await cloud.result(
        "/app/v2/miotspec/prop/set",
        {"params": [{"did": lamp, "siid": 2, "piid": 1, "value": False}]},
    )
    assert written == [{"did": lamp, "siid": 2, "piid": 1, "code": 0}]
    reply = await udp.call(sim.devices["lamp"], "get_properties", [{"siid": 2, "piid": 1}])
    assert reply["result"][0]["value"] is False
    read = await cloud.result(
        "/app/v2/miotspec/prop/get",
        {"params": [{"did": car, "siid": 2, "piid": 1}, {"did": "7", "siid": 2, "piid": 1}]},
    )
    assert read == [
        {"did": car, "siid": 2, "piid": 1, "code": 0, "value": 80},
        {"did": "7", "siid": 2, "piid": 1, "code": -4003},
    ]
    result = await cloud.result(
        "/app/v2/miotspec/action", {"params": {"did": car, "siid": 6, "aiid": 2, "in": []}}
    )
    assert result == {"did": car, "siid": 6, "aiid": 2, "code": 0, "out": []}
    assert sim.devices["car"].get(6, 1) == 1
    missing = await cloud.result(
        "/app/v2/miotspec/action", {"params": {"did": "7", "siid": 6, "aiid": 2, "in": []}}
    )
    assert missing == {"did": "7", "siid": 6, "aiid": 2, "code": -4003}


async def test_request_limits_and_shapes(cloud: Http, sim: Simulator) -> None:
    """More than 150 items: code -1; malformed params: HTTP 400."""
    await cloud.sign_in()
    items = [{"did": did(sim, "car"), "siid": 2, "piid": 1}] * 151
    status, answer = await cloud.post("/app/v2/miotspec/prop/get", {"params": items})
    assert (status, answer["code"]) == (200, -1)
    bodies: list[Any] = [{"params": [{"siid": 2, "piid": 1}]}, {"params": {}}, [1]]
    for body in bodies:
        assert (await cloud.post("/app/v2/miotspec/prop/get", body))[0] == 400
    assert (await cloud.post("/app/v2/miotspec/action", {"params": {"did": "1"}}))[0] == 400
    assert (await cloud.post("/app/v2/miotspec/prop/set", data="{nope"))[0] == 400


async def test_offline_devices(cloud: Http, sim: Simulator, admin: Http) -> None:
    """Offline for the cloud: its own code, isOnline false; LAN-offline devices too."""
    await cloud.sign_in()
    status, answer = await admin.post("/cloud/faults", {"offline_devices": ["car"]})
    assert (status, answer["faults"]["offline_devices"]) == (200, ["car"])
    car, lamp = did(sim, "car"), did(sim, "lamp")
    status, answer = await cloud.post(
        "/app/v2/miotspec/action", {"params": {"did": car, "siid": 6, "aiid": 1}}
    )
    assert (status, answer["code"]) == (200, OFFLINE_CODE)
    mixed = await cloud.result(
        "/app/v2/miotspec/prop/get",
        {"params": [{"did": car, "siid": 2, "piid": 1}, {"did": lamp, "siid": 2, "piid": 1}]},
    )
    assert [item["code"] for item in mixed] == [OFFLINE_CODE, 0]
    sim.devices["lamp"].apply_faults({"offline": True})
    page = await cloud.result("/app/v2/home/device_list_page", {"limit": 10})
    assert [d["isOnline"] for d in page["list"]] == [False, False, True]


async def test_error_rate_and_timeout(cloud: Http, admin: Http) -> None:
    """error_rate 1: every request 503; timeout: held until the fault is cleared."""
    await admin.post("/cloud/faults", {"error_rate": 1})
    status, answer = await cloud.post("/oauth2/token", data=LOGIN)
    assert (status, answer["code"]) == (503, 503)
    await admin.post("/cloud/faults", {"error_rate": 0, "timeout": True})
    held = asyncio.create_task(cloud.post("/oauth2/token", data=LOGIN))
    await asyncio.sleep(0.2)
    assert not held.done()
    status, answer = await admin.post("/cloud/faults", {"timeout": None})
    assert answer["faults"]["timeout"] is False
    assert (await held)[0] == 503
    assert (await cloud.post("/oauth2/token", data=LOGIN))[0] == 200


async def test_refuse_refresh(cloud: Http, admin: Http) -> None:
    """refuse_refresh: a good refresh token is refused too."""
    tokens = await cloud.sign_in()
    await admin.post("/cloud/faults", {"refuse_refresh": True})
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": "t",
    }
    assert (await cloud.post("/oauth2/token", data=form))[0] == 400
    await admin.post("/cloud/faults", {"refuse_refresh": False})
    assert (await cloud.post("/oauth2/token", data=form))[0] == 200


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
        ([], "cloud faults: expected an object"),
    ],
)
async def test_bad_cloud_faults_answer_400(admin: Http, body: Any, message: str) -> None:
    """Bad settings are refused, naming the key."""
    status, answer = await admin.post("/cloud/faults", body)
    assert status == 400
    assert answer["error"].startswith(message), answer


async def test_cloud_summary(admin: Http, cloud: Http, cloud_server: CloudServer) -> None:
    """GET /cloud: URL, home, account name (no password), faults, actions."""
    await cloud.sign_in()
    status, answer = await admin.call("GET", "/cloud")
    assert status == 200
    assert answer["url"] == cloud_server.url
    assert answer["home"] == {"id": cloud_server.home_id, "name": "Cloud Home"}
    assert answer["username"] == "bob"
    assert "hunter2" not in json.dumps(answer)
    assert (answer["valid_tokens"], answer["actions"]) == (1, [])
    assert answer["faults"]["error_rate"] == 0


async def test_devices_join_and_leave_at_run_time(
    admin: Http, cloud: Http, sim: Simulator, udp: Any
) -> None:
    """POST /devices adds a device (a LAN one gets the next address); DELETE removes it."""
    await cloud.sign_in()
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
    page = await cloud.result("/app/v2/home/device_list_page", {"limit": 10})
    assert [d["name"] for d in page["list"]] == ["Lamp", "SU7", "Phone", "Desk", "W"]
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
    page = await cloud.result("/app/v2/home/device_list_page", {"limit": 10})
    assert "Desk" not in [d["name"] for d in page["list"]]
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
    """The ready line gives the cloud's URL, which signs in with the home file's account."""
    home = tmp_path / "home.yaml"
    home.write_text(
        "account: {username: u, password: p}\ndevices:\n  - {id: car, kind: vehicle, name: Car}\n"
    )
    address = f"127.{random.randint(100, 254)}.9.2"
    args = ("--home", str(home), "--admin-port", "0", "--token-lifetime", "60")
    with run_simulator(*args, "--first-address", address) as run:
        line = run.line.split()
        assert line[0] == "ready"
        assert line[1].startswith("admin=http://127.0.0.1:")
        assert line[2].startswith("cloud=http://127.0.0.1:")
        assert line[3] == "devices=0"
        url = line[2].removeprefix("cloud=")
        form = b"grant_type=password&username=u&password=p&client_id=t"
        with urllib.request.urlopen(f"{url}/oauth2/token", data=form) as response:
            assert json.load(response)["expires_in"] == 60
    assert run.returncode == 0, run.stderr


def test_bad_token_lifetime_is_a_usage_error(tmp_path: Path) -> None:
    """A lifetime that is not positive: status 2."""
    home = tmp_path / "home.yaml"
    home.write_text("devices: []\n")
    assert main(["--home", str(home), "--token-lifetime", "0"]) == 2
