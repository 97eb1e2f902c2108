"""The cloud client against the simulated Xiaomi cloud over real loopback HTTP.

`MiotCloud` signs in at ``account.xiaomi.com`` and calls ``api.io.mi.com``; ``via`` sends both
to the simulator's port with the host name kept in ``Host``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.xiaomi_aiot.miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotError,
    MiotProtocolError,
    MiotValueError,
    load_bundled_spec,
)
from custom_components.xiaomi_aiot.miot.cloud import (
    BATCH_LIMIT,
    LARGE_ACCOUNT,
    CloudTransport,
    MiotCloud,
)
from custom_components.xiaomi_aiot.miot.cloud_models import (
    AccessTokenExpiredError,
    parse_action,
    parse_device_page,
    parse_envelope,
    parse_homes,
    parse_properties,
)
from custom_components.xiaomi_aiot.miot.codes import CloudCode, MiotCode
from custom_components.xiaomi_aiot.miot.device import MiotDevice
from custom_components.xiaomi_aiot.miot.lan import DeviceSession
from custom_components.xiaomi_aiot.miot.mi_account import (
    MiPassTokenRefusedError,
    MiTokens,
    MiWrongPasswordError,
)
from harness.html_server import serving_html
from harness.simulated import simulated_home
from simulator import Simulator
from simulator.cloud import CloudServer

USERNAME, PASSWORD = "alice@example.com", "correct horse"
HOME: dict[str, Any] = {
    "home_name": "Test Home",
    "account": {"username": USERNAME, "password": PASSWORD},
    "rooms": ["Living Room", "Garage"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Living Room"},
        {"id": "ac", "kind": "air_conditioner", "name": "AC", "room": "Living Room"},
        {"id": "car", "kind": "vehicle", "name": "SU7", "room": "Garage"},
        {"id": "phone", "kind": "phone", "name": "Phone", "person": "Alice"},
        {"id": "watch", "kind": "wearable", "name": "Watch", "person": "Alice"},
    ],
}
FLEET: dict[str, Any] = {
    "account": {"username": USERNAME, "password": PASSWORD},
    "rooms": ["Depot"],
    "devices": [
        {"id": f"car{i}", "kind": "vehicle", "name": f"Car {i}", "room": "Depot"}
        for i in range(LARGE_ACCOUNT)
    ],
}
SIGN_IN = ["/pass/serviceLogin", "/pass/serviceLoginAuth2", "/sts"]
RENEWAL = ["/pass/serviceLogin", "/sts"]
HOMES = "/app/v2/homeroom/gethome"


class Env:
    """A running simulator and cloud, an HTTP session, and the requests made (host, path)."""

    def __init__(self, sim: Simulator, server: CloudServer, session: aiohttp.ClientSession):
        """Keep everything together."""
        self.sim, self.server, self.session = sim, server, session
        self.requests: list[tuple[str, str]] = []
        self.updates: list[MiTokens] = []

    @property
    def paths(self) -> list[str]:
        """The paths requested so far."""
        return [path for _, path in self.requests]

    def cloud(self, **kwargs: Any) -> MiotCloud:
        """A client of the simulated cloud, not signed in."""
        kwargs.setdefault("timeout", 5.0)
        kwargs.setdefault("on_tokens_updated", self.updates.append)
        return MiotCloud(self.session, via=self.server.url, **kwargs)

    async def signed_in(self, **kwargs: Any) -> MiotCloud:
        """A signed-in client."""
        cloud = self.cloud(**kwargs)
        await cloud.sign_in(USERNAME, PASSWORD)
        return cloud

    def did(self, device_id: str) -> str:
        """A device's did as the cloud writes it."""
        return str(self.sim.devices[device_id].did)


@asynccontextmanager
async def start_env(home: dict[str, Any], **server_options: Any) -> AsyncIterator[Env]:
    """Start a home, its cloud and a session that records every request's host and path."""
    trace = aiohttp.TraceConfig()
    requests: list[tuple[str, str]] = []

    async def on_start(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        requests.append((params.headers.get("Host", ""), params.url.path))

    trace.on_request_start.append(on_start)  # type: ignore[arg-type]  # aiohttp 3.11 stubs
    async with (
        simulated_home(home, seed=5, **server_options) as (sim, server),
        aiohttp.ClientSession(trace_configs=[trace]) as session,
    ):
        env = Env(sim, server, session)
        env.requests = requests
        yield env


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    """The test home with its cloud."""
    async with start_env(HOME) as value:
        yield value


@pytest.fixture
async def fleet() -> AsyncIterator[Env]:
    """A large account: as many cars as make the device list go page by page."""
    async with start_env(FLEET) as value:
        yield value


async def test_an_unknown_country_is_refused(env: Env) -> None:
    """Only the countries Xiaomi serves are accepted, before anything is sent."""
    with pytest.raises(ValueError, match="country"):
        env.cloud(country="eu")
    assert env.requests == []


async def test_sign_in_gives_tokens_and_tells_the_listener(env: Env) -> None:
    """A password sign-in goes through the account server and the STS, and is reported."""
    cloud = env.cloud()
    assert cloud.tokens is None
    tokens = await cloud.sign_in(USERNAME, PASSWORD)
    assert cloud.tokens is tokens
    assert env.updates == [tokens]
    assert tokens.user_id == env.server.xiaomi.user_id
    assert env.requests == [
        ("account.xiaomi.com", "/pass/serviceLogin"),
        ("account.xiaomi.com", "/pass/serviceLoginAuth2"),
        ("sts.api.io.mi.com", "/sts"),
    ]
    for secret in (tokens.pass_token, tokens.ssecurity, tokens.service_token):
        assert secret
        assert secret not in repr(tokens)


async def test_wrong_password_is_an_authentication_error(env: Env) -> None:
    """A refused sign-in raises, and leaves the client without tokens."""
    cloud = env.cloud()
    with pytest.raises(MiWrongPasswordError) as caught:
        await cloud.sign_in(USERNAME, "wrong")
    assert isinstance(caught.value, MiotAuthenticationError)
    assert (cloud.tokens, env.updates) == (None, [])
    with pytest.raises(MiotAuthenticationError, match="not signed in"):
        await cloud.get_homes()
    with pytest.raises(MiotAuthenticationError, match="not signed in"):
        await cloud.renew()


async def test_saved_tokens_work_without_a_password(env: Env) -> None:
    """Tokens saved by the integration are accepted by a new client."""
    first = await env.signed_in()
    second = env.cloud(tokens=first.tokens)
    env.requests.clear()
    assert [home.name for home in await second.get_homes()] == ["Test Home"]
    assert env.requests == [("api.io.mi.com", HOMES)]


@pytest.mark.parametrize(("country", "host"), [("cn", "api.io.mi.com"), ("de", "de.api.io.mi.com")])
async def test_each_country_has_its_own_api_host(env: Env, country: str, host: str) -> None:
    """cn is api.io.mi.com; the others are prefixed with the country. Only the account's own
    country (the simulator's default, cn) lists its home."""
    cloud = await env.signed_in(country=country)
    env.requests.clear()
    assert len(await cloud.get_homes()) == (1 if country == "cn" else 0)
    assert env.requests == [(host, HOMES)]


async def test_homes_have_rooms_and_devices(env: Env) -> None:
    """One home; devices sit in their rooms, phones and watches in no room."""
    cloud = await env.signed_in()
    (home,) = await cloud.get_homes()
    assert home.name == "Test Home"
    rooms = {room.name: room for room in home.rooms}
    assert list(rooms) == ["Living Room", "Garage"]
    assert rooms["Living Room"].dids == (env.did("lamp"), env.did("ac"))
    assert rooms["Garage"].dids == (env.did("car"),)
    assert home.dids == (env.did("phone"), env.did("watch"))


async def test_devices_are_placed_in_the_homes_rooms(env: Env) -> None:
    """The device list says nothing of where a device is: the homes' rooms place it."""
    cloud = await env.signed_in()
    env.requests.clear()
    devices = await cloud.get_devices()
    assert env.paths == [HOMES, "/app/home/device_list"]
    assert [d.did for d in devices] == [env.did(i) for i in ("lamp", "ac", "car", "phone", "watch")]
    lamp, _ac, car, phone, _watch = devices
    sim_lamp = env.sim.devices["lamp"]
    assert (lamp.name, lamp.model, lamp.token) == ("Lamp", sim_lamp.model, sim_lamp.token)
    assert lamp.local_ip == sim_lamp.address
    assert lamp.spec_type == load_bundled_spec("yeelink.light.color1").type
    assert lamp.online
    (home,) = await cloud.get_homes()
    assert (lamp.home_id, lamp.room_id) == (home.id, home.rooms[0].id)
    assert (car.model, car.local_ip, car.room_id) == ("xiaomi.vehicle.su7", None, home.rooms[1].id)
    assert (phone.model, phone.home_id, phone.room_id) == ("xiaomi.phone.p1", home.id, None)
    assert len(await cloud.get_devices(home_ids=[home.id])) == 5
    assert await cloud.get_devices(home_ids=["elsewhere"]) == []
    assert (await cloud.get_device(env.did("car"))).name == "SU7"


async def test_a_large_account_is_listed_page_by_page(fleet: Env) -> None:
    """An account of LARGE_ACCOUNT devices is listed again by pages, which are all followed."""
    fleet.server.apply_faults({"page_limit": 60})
    cloud = await fleet.signed_in()
    fleet.requests.clear()
    devices = await cloud.get_devices()
    pages = -(-LARGE_ACCOUNT // 60)
    assert fleet.paths == [
        HOMES,
        "/app/home/device_list",
        *["/app/v2/home/device_list_page"] * pages,
    ]
    assert [d.did for d in devices] == [fleet.did(car) for car in fleet.sim.devices]
    assert {d.room_id for d in devices} == {fleet.server.room_id("Depot")}


async def test_properties_are_read_in_batches_of_150(fleet: Env) -> None:
    """1,800 reads take 12 requests; every value is the device's."""
    cloud = await fleet.signed_in()
    spec = load_bundled_spec("xiaomi.vehicle.su7")
    cars = list(fleet.sim.devices)[:60]
    keys = [(fleet.did(car), *p.key) for car in cars for p in spec.properties()]
    fleet.requests.clear()
    results = await cloud.get_properties(keys)
    assert fleet.paths.count("/app/miotspec/prop/get") == -(-len(keys) // BATCH_LIMIT) == 12
    assert [(r.did, r.siid, r.piid) for r in results] == keys
    by_did = {str(d.did): d for d in fleet.sim.devices.values()}
    assert all(r.ok and r.value == by_did[r.did].get(r.siid, r.piid) for r in results)


async def test_properties_are_written_in_batches_of_150(fleet: Env) -> None:
    """180 writes take 2 requests and change every car."""
    cloud = await fleet.signed_in()
    cars = [fleet.sim.devices[car] for car in list(fleet.sim.devices)[:60]]
    values = [
        (str(car.did), *key, value)
        for car in cars
        for key, value in (((4, 4), 75), ((7, 1), True), ((7, 2), 21.5))
    ]
    fleet.requests.clear()
    results = await cloud.set_properties(values)
    assert fleet.paths.count("/app/miotspec/prop/set") == 2
    assert len(results) == 180
    assert all(r.code == 0 for r in results)
    assert all(car.get(4, 4) == 75 and car.get(7, 2) == 21.5 for car in cars)


async def test_per_property_codes_come_back(env: Env) -> None:
    """Read-only, unknown and invalid items answer their own codes."""
    cloud = await env.signed_in()
    car = env.did("car")
    written = await cloud.set_properties([(car, 2, 1, 50), (car, 4, 4, 10), (car, 4, 4, 60)])
    assert [r.code for r in written] == [-4002, -4005, 0]
    read = await cloud.get_properties([(car, 99, 1), ("123", 2, 1), (car, 4, 4)])
    assert [(r.code, r.value) for r in read] == [(-4003, None), (-4003, None), (0, 60)]


async def test_actions_run_on_the_device(env: Env) -> None:
    """Unlock and lock the car; find it; an unknown action or device is a device error."""
    cloud = await env.signed_in()
    car, sim_car = env.did("car"), env.sim.devices["car"]
    assert sim_car.get(6, 1) == 0  # Locked
    assert await cloud.action(car, 6, 2) == []
    assert sim_car.get(6, 1) == 1  # Unlocked
    await cloud.action(car, 6, 1)
    assert sim_car.get(6, 1) == 0
    await cloud.action(car, 3, 2)  # find-car
    assert [a["name"] for a in env.server.actions] == ["unlock", "lock", "find-car"]
    for did, aiid in ((car, 9), ("123", 1)):
        with pytest.raises(MiotDeviceError) as caught:
            await cloud.action(did, 3, aiid)
        assert caught.value.code == -4003


async def test_offline_device_is_a_typed_error(env: Env) -> None:
    """An offline device raises for itself alone, and answers its code within a batch."""
    cloud = await env.signed_in()
    car, lamp = env.did("car"), env.did("lamp")
    env.server.apply_faults({"offline_devices": ["car"]})
    with pytest.raises(MiotDeviceOfflineError):
        await cloud.action(car, 3, 1)
    with pytest.raises(MiotDeviceOfflineError):
        await cloud.get_properties([(car, 2, 1)])
    mixed = await cloud.get_properties([(car, 2, 1), (lamp, 2, 1)])
    assert [r.code for r in mixed] == [MiotCode.DEVICE_OFFLINE, 0]
    online = {d.did: d.online for d in await cloud.get_devices()}
    assert (online[car], online[lamp]) == (False, True)
    env.sim.devices["lamp"].apply_faults({"offline": True})  # off on the LAN: off in the cloud
    with pytest.raises(MiotConnectionError):
        await cloud.set_properties([(lamp, 2, 1, True)])


async def test_a_refused_service_token_is_renewed_once_and_the_call_repeated(env: Env) -> None:
    """Every service token expires: the next call is refused, renewed, and repeated."""
    cloud = await env.signed_in()
    before = cloud.tokens
    assert before is not None
    env.server.apply_faults({"expire_tokens": True})
    env.requests.clear()
    assert len(await cloud.get_homes()) == 1
    assert env.paths == [HOMES, *RENEWAL, HOMES]
    after = cloud.tokens
    assert after is not None
    assert after.service_token != before.service_token
    assert (after.user_id, after.pass_token) == (before.user_id, before.pass_token)
    assert env.updates == [before, after]


async def test_a_refused_pass_token_asks_for_a_new_sign_in(env: Env) -> None:
    """Service token expired and passToken refused: `MiPassTokenRefusedError`, an auth error."""
    cloud = await env.signed_in()
    env.server.apply_faults({"expire_tokens": True, "refuse_pass_token": True})
    with pytest.raises(MiPassTokenRefusedError) as caught:
        await cloud.get_devices()
    assert isinstance(caught.value, MiotAuthenticationError)
    with pytest.raises(MiPassTokenRefusedError):
        await cloud.renew()
    assert len(env.updates) == 1
    env.server.apply_faults({"refuse_pass_token": False})
    await cloud.renew()
    assert len(await cloud.get_homes()) == 1


async def test_a_renewed_token_refused_again_is_an_authentication_error() -> None:
    """Service tokens that expire at once: one renewal, one repeat, then an authentication error."""
    async with start_env(HOME, token_lifetime=1e-9) as env:
        cloud = await env.signed_in()
        env.requests.clear()
        with pytest.raises(MiotAuthenticationError, match="renewed") as caught:
            await cloud.get_homes()
        assert not isinstance(caught.value, AccessTokenExpiredError)
        assert env.paths == [HOMES, *RENEWAL, HOMES]


async def test_concurrent_refused_calls_renew_once(env: Env) -> None:
    """Five calls refused at once: the service token is renewed once, and all five succeed."""
    cloud = await env.signed_in()
    env.server.apply_faults({"expire_tokens": True})
    env.requests.clear()
    homes = await asyncio.gather(*(cloud.get_homes() for _ in range(5)))
    assert all(len(found) == 1 for found in homes)
    assert env.paths.count("/sts") == 1
    assert env.paths.count(HOMES) == 10
    assert len(env.updates) == 2


async def test_a_failing_listener_is_logged_not_raised(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """The integration's callback raising is logged; sign-in and renewal still take the tokens."""

    def broken(tokens: MiTokens) -> None:
        raise RuntimeError("disk full")

    cloud = env.cloud(on_tokens_updated=broken)
    tokens = await cloud.sign_in(USERNAME, PASSWORD)
    assert cloud.tokens is tokens
    assert caplog.text.count("on_tokens_updated failed") == 1
    renewed = await cloud.renew()
    assert cloud.tokens is renewed
    assert caplog.text.count("on_tokens_updated failed") == 2


async def test_tokens_and_password_never_reach_the_logs(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """Debug logs of a sign-in, a refusal, a renewal and calls hold no secret."""
    caplog.set_level(logging.DEBUG)
    cloud = await env.signed_in()
    first = cloud.tokens
    env.server.apply_faults({"expire_tokens": True})
    await cloud.get_devices()
    await cloud.action(env.did("car"), 3, 2)
    assert first is not None
    assert cloud.tokens is not None
    assert "renewed" in caplog.text
    secrets = {PASSWORD, first.pass_token, first.ssecurity, first.service_token}
    secrets |= {cloud.tokens.ssecurity, cloud.tokens.service_token}
    assert not [secret for secret in secrets if secret in caplog.text]


async def test_server_errors_are_connection_errors(env: Env) -> None:
    """HTTP 5xx on sign-in or on a call is a connection error; it recovers."""
    cloud = await env.signed_in()
    env.server.apply_faults({"error_rate": 1})
    with pytest.raises(MiotConnectionError, match="HTTP 503"):
        await cloud.get_homes()
    with pytest.raises(MiotConnectionError):
        await env.cloud().sign_in(USERNAME, PASSWORD)
    env.server.apply_faults({"error_rate": None})
    assert len(await cloud.get_homes()) == 1


async def test_no_answer_is_a_connection_error(env: Env) -> None:
    """A cloud that does not answer in time is a connection error."""
    cloud = await env.signed_in(timeout=0.3)
    env.server.apply_faults({"timeout": True})
    with pytest.raises(MiotConnectionError):
        await cloud.get_devices()
    env.server.apply_faults({"timeout": False})
    assert len(await cloud.get_devices()) == 5


async def test_unreachable_cloud_is_a_connection_error(env: Env) -> None:
    """Nothing listening: a connection error, not an aiohttp one, for sign-in and calls."""
    cloud = await env.signed_in()
    gone = MiotCloud(env.session, via="http://127.0.0.1:9", tokens=cloud.tokens, timeout=2)
    with pytest.raises(MiotConnectionError, match="could not be reached"):
        await gone.sign_in(USERNAME, PASSWORD)
    with pytest.raises(MiotConnectionError, match="could not be reached"):
        await gone.get_homes()


@pytest.mark.parametrize(
    ("status", "error"), [(200, MiotProtocolError), (502, MiotConnectionError)]
)
async def test_garbage_answers_are_typed_errors(
    env: Env, status: int, error: type[MiotError]
) -> None:
    """A server in Xiaomi's place answering HTML: protocol errors (5xx: connection errors)."""
    cloud = await env.signed_in()
    async with serving_html(status) as url:
        elsewhere = MiotCloud(env.session, via=url, tokens=cloud.tokens, timeout=5)
        with pytest.raises(error):
            await elsewhere.sign_in(USERNAME, PASSWORD)
        with pytest.raises(error):
            await elsewhere.get_homes()
        with pytest.raises(error):
            await elsewhere.get_properties([(env.did("car"), 2, 1)])


async def test_car_through_cloud_transport_reads_writes_and_acts(env: Env) -> None:
    """MiotDevice over the cloud works as over the LAN, validation included."""
    cloud = await env.signed_in()
    car_id = env.did("car")
    spec = load_bundled_spec("xiaomi.vehicle.su7")
    car = MiotDevice(CloudTransport(cloud, car_id), spec, did=car_id)
    values = await car.read_properties(p.key for p in spec.properties() if p.readable)
    battery = spec.find("battery", "battery-level")
    latitude = spec.find("location", "latitude")
    assert battery is not None
    assert latitude is not None
    assert values[battery.key].value == 80
    assert values[latitude.key].value == pytest.approx(39.990419)
    assert all(result.ok for result in values.values())
    limit = spec.find("charging", "charge-limit")
    assert limit is not None
    await car.write_property(*limit.key, 85)
    assert env.sim.devices["car"].get(*limit.key) == 85
    with pytest.raises(MiotValueError):
        await car.write_property(*limit.key, 40)
    await car.call_action(6, 2)  # unlock
    assert env.sim.devices["car"].get(6, 1) == 1
    info = await car.info()
    assert info.model == "xiaomi.vehicle.su7"
    env.server.apply_faults({"offline_devices": ["car"]})
    with pytest.raises(MiotDeviceOfflineError):
        await car.read_properties([battery.key])


async def test_lan_device_through_the_cloud_shares_its_state_with_the_lan(env: Env) -> None:
    """A write through the cloud reads back over UDP, and the other way round."""
    cloud = await env.signed_in()
    spec = load_bundled_spec("xiaomi.aircondition.mc4")
    sim_ac = env.sim.devices["ac"]
    assert sim_ac.address is not None
    assert sim_ac.port is not None
    by_cloud = MiotDevice(CloudTransport(cloud, env.did("ac")), spec, did=env.did("ac"))
    session = DeviceSession(sim_ac.address, sim_ac.token, port=sim_ac.port, timeout=1)
    by_lan = MiotDevice(session, spec)
    try:
        await by_cloud.write_property(2, 4, 19.5)
        assert (await by_lan.read_properties([(2, 4)]))[2, 4].value == 19.5
        await by_lan.write_property(2, 1, True)
        assert (await by_cloud.read_properties([(2, 1)]))[2, 1].value is True
        assert (await by_cloud.info()).model == "xiaomi.aircondition.mc4"
    finally:
        session.close()


async def test_transport_refuses_what_the_cloud_cannot_carry(env: Env) -> None:
    """Methods other than the four, and malformed params, are errors before any request."""
    transport = CloudTransport(await env.signed_in(), env.did("car"))
    env.requests.clear()
    with pytest.raises(MiotDeviceError):
        await transport.send("set_power", ["on"])
    with pytest.raises(MiotProtocolError):
        await transport.send("get_properties", {"siid": 2})
    with pytest.raises(MiotProtocolError):
        await transport.send("action", [1, 2])
    assert env.paths == []


async def test_unknown_device_info_is_a_device_error(env: Env) -> None:
    """miIO.info of a did that is not on the account."""
    transport = CloudTransport(await env.signed_in(), "42")
    with pytest.raises(MiotDeviceError, match="not on the account"):
        await transport.send("miIO.info")


# --- the parsers, on their own ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, {"code": MiotCode.DEVICE_OFFLINE, "message": "offline"}, MiotDeviceOfflineError),
        (200, {"code": MiotCode.DEVICE_TIMEOUT}, MiotConnectionError),
        (200, {"code": CloudCode.AUTH_ERROR, "message": "auth err"}, AccessTokenExpiredError),
        (401, {}, AccessTokenExpiredError),
        (403, {}, MiotAuthenticationError),
        (500, {}, MiotConnectionError),
        (503, "not even JSON", MiotConnectionError),
        (404, {}, MiotProtocolError),
        (200, "not even JSON", MiotProtocolError),
        (200, {"code": "0"}, MiotProtocolError),
        (200, [0], MiotProtocolError),
    ],
)
def test_answers_become_typed_errors(status: int, body: Any, error: type[Exception]) -> None:
    """Each HTTP status and cloud code has its error; a timeout is not an offline device."""
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    with pytest.raises(error) as caught:
        parse_envelope(status, raw)
    assert type(caught.value) is error


def test_other_codes_are_device_errors_with_code_and_message() -> None:
    """An unknown code keeps the cloud's code and message."""
    with pytest.raises(MiotDeviceError) as caught:
        parse_envelope(200, b'{"code": -8, "message": "nope"}')
    assert (caught.value.code, caught.value.message) == (-8, "nope")
    assert parse_envelope(200, b'{"code": 0, "message": "ok", "result": [1]}') == [1]


DEVICE = {"did": "1", "name": "Lamp", "model": "yeelink.light.mono1"}


@pytest.mark.parametrize(
    ("parse", "result"),
    [
        (parse_homes, {"homelist": [{"id": "1", "name": "Home", "roomlist": [{"id": 2}]}]}),
        (parse_homes, {"homelist": {}}),
        (parse_device_page, {"list": [{**DEVICE, "isOnline": "yes"}]}),
        (parse_device_page, {"list": [{**DEVICE, "did": ""}]}),
        (parse_device_page, {"list": [], "has_more": "no"}),
        (parse_device_page, {"list": [], "has_more": True}),
        (parse_properties, [{"did": "1", "siid": 2, "piid": 1, "value": [1]}]),
        (parse_properties, [{"did": "1", "siid": "2", "piid": 1}]),
        (parse_action, {"code": "0"}),
        (parse_action, {"code": 0, "out": [{"v": 1}]}),
        (parse_action, [0]),
    ],
)
def test_malformed_results_are_protocol_errors(parse: Any, result: Any) -> None:
    """Each parser refuses a result of the wrong shape with a protocol error."""
    with pytest.raises(MiotProtocolError):
        parse(result)


def test_an_action_without_outputs_has_none() -> None:
    """``out`` missing or null: no outputs."""
    assert parse_action({"code": 0, "out": None}) == parse_action({}) == (0, [])


KEYS = st.sampled_from(
    [
        *("code", "message", "result", "homelist", "roomlist", "id", "name", "dids", "list"),
        *("has_more", "next_start_did", "did", "siid", "piid", "value", "out", "isOnline"),
        *("model", "token", "localip", "roomlist", "uid", "max_id"),
    ]
) | st.text(max_size=4)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=40,
)
PARSERS = (parse_homes, parse_device_page, parse_properties, parse_action)


@given(status=st.sampled_from([200, 200, 200, 400, 401, 403, 404, 500, 503]), data=JSON)
def test_random_answers_parse_or_raise_miot_errors(status: int, data: Any) -> None:
    """Whatever JSON the cloud sends, the parsers answer or raise a MiotError, nothing else."""
    body = json.dumps(data).encode()
    try:
        result = parse_envelope(status, body)
    except MiotError:
        result = data
    for parse in PARSERS:
        with suppress(MiotError):
            parse(result)


@given(body=st.binary(max_size=64))
def test_random_bytes_are_protocol_errors(body: bytes) -> None:
    """Bytes that are not a JSON object are a protocol error."""
    with suppress(MiotError):
        parse_envelope(200, body)


@given(
    result=st.fixed_dictionaries(
        {"list": st.lists(st.dictionaries(KEYS, SCALARS, max_size=10), max_size=3)},
        optional={"has_more": SCALARS, "next_start_did": SCALARS},
    )
)
def test_random_device_pages_parse_or_raise_miot_errors(result: dict[str, Any]) -> None:
    """Device pages with odd fields: parsed or refused, never a crash."""
    try:
        page = parse_device_page(result)
    except MiotError:
        return
    assert all(isinstance(device.did, str) for device in page.devices)


async def test_transport_puts_the_real_did_on_every_item(env: Env) -> None:
    """A MiotDevice made without a did still reaches the right device through the cloud."""
    cloud = await env.signed_in()
    phone = MiotDevice(
        CloudTransport(cloud, env.did("phone")), load_bundled_spec("xiaomi.phone.p1")
    )
    assert (await phone.read_properties([(2, 1)]))[2, 1].value == 76
    assert await phone.write_properties({}) == {}
    await phone.call_action(4, 1)  # ring-phone
    assert env.server.actions[-1]["name"] == "ring-phone"


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("get_properties", [1]),
        ("get_properties", [{"siid": 2}]),
        ("set_properties", [{"siid": 2, "piid": 1}]),
        ("action", {"siid": 2, "aiid": "1"}),
    ],
)
async def test_transport_refuses_malformed_items(env: Env, method: str, params: Any) -> None:
    """Items the device would not understand are refused before any request."""
    transport = CloudTransport(await env.signed_in(), env.did("car"))
    env.requests.clear()
    with pytest.raises(MiotProtocolError):
        await transport.send(method, params)
    assert env.paths == []


async def test_transport_takes_an_action_as_a_one_item_list(env: Env) -> None:
    """As the LAN does, an action's params may come wrapped in a list."""
    transport = CloudTransport(await env.signed_in(), env.did("car"))
    reply = await transport.send("action", [{"siid": 3, "aiid": 1, "in": []}])
    assert reply == {"did": env.did("car"), "siid": 3, "aiid": 1, "code": 0, "out": []}
