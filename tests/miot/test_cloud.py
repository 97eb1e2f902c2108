"""The cloud client against the simulated cloud over real loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
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
    CloudTransport,
    MiotCloud,
    region_url,
)
from custom_components.xiaomi_aiot.miot.cloud_models import (
    EXPIRED_TOKEN_CODE,
    OFFLINE_CODE,
    TIMEOUT_CODE,
    AccessTokenExpiredError,
    CloudTokens,
    parse_action,
    parse_device_page,
    parse_envelope,
    parse_homes,
    parse_properties,
    parse_tokens,
)
from custom_components.xiaomi_aiot.miot.device import MiotDevice
from custom_components.xiaomi_aiot.miot.lan import DeviceSession
from simulator import Simulator, load_home
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
    "devices": [{"id": f"car{i}", "kind": "vehicle", "name": f"Car {i}"} for i in range(60)],
}

type Connect = Callable[..., Awaitable[MiotCloud]]


class Clock:
    """Wall-clock time, shifted at will."""

    def __init__(self) -> None:
        """No shift."""
        self.shift = 0.0

    def __call__(self) -> float:
        """The shifted time."""
        return time.time() + self.shift


class Env:
    """A running simulator and cloud, an HTTP session, and the paths requested."""

    def __init__(self, sim: Simulator, server: CloudServer, session: aiohttp.ClientSession):
        """Keep everything together."""
        self.sim, self.server, self.session = sim, server, session
        self.paths: list[str] = []
        self.updates: list[CloudTokens] = []

    def cloud(self, **kwargs: Any) -> MiotCloud:
        """A client of the simulated cloud, not signed in."""
        kwargs.setdefault("timeout", 2.0)
        kwargs.setdefault("on_tokens_updated", self.updates.append)
        return MiotCloud(self.session, server_url=self.server.url, **kwargs)

    async def signed_in(self, **kwargs: Any) -> MiotCloud:
        """A signed-in client."""
        cloud = self.cloud(**kwargs)
        await cloud.login(USERNAME, PASSWORD)
        return cloud

    def did(self, device_id: str) -> str:
        """A device's did as the cloud writes it."""
        return str(self.sim.devices[device_id].did)


@asynccontextmanager
async def start_env(home: dict[str, Any], **server_options: Any) -> AsyncIterator[Env]:
    """Start a home, its cloud and a session that records every request's path."""
    base = f"127.{random.randint(100, 254)}.{random.randint(0, 255)}.2"
    sim = Simulator(load_home(home), first_address=base, seed=5)
    await sim.start()
    server = CloudServer(sim, **server_options)
    await server.start(port=0)
    trace = aiohttp.TraceConfig()
    paths: list[str] = []

    async def on_start(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        paths.append(params.url.path)

    trace.on_request_start.append(on_start)  # type: ignore[arg-type]  # aiohttp 3.11 stubs
    try:
        async with aiohttp.ClientSession(trace_configs=[trace]) as session:
            env = Env(sim, server, session)
            env.paths = paths
            yield env
    finally:
        await server.stop()
        await sim.stop()


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    """The test home with its cloud."""
    async with start_env(HOME) as value:
        yield value


@pytest.fixture
async def fleet() -> AsyncIterator[Env]:
    """Sixty cars on one account, for batching."""
    async with start_env(FLEET) as value:
        yield value


def test_regions_have_their_own_servers() -> None:
    """cn has no prefix; the others are prefixed; an unknown region is refused."""
    assert region_url("cn") == "https://ha.api.io.mi.com"
    assert region_url("de") == "https://de.ha.api.io.mi.com"
    assert region_url("sg") == "https://sg.ha.api.io.mi.com"
    with pytest.raises(ValueError, match="region"):
        region_url("eu")


async def test_sign_in_gives_tokens_and_tells_the_listener(env: Env) -> None:
    """A password sign-in gives a token pair that lasts the server's lifetime."""
    cloud = env.cloud()
    before = cloud.tokens
    tokens = await cloud.login(USERNAME, PASSWORD)
    assert before is None
    assert cloud.tokens is tokens
    assert env.updates == [tokens]
    assert tokens.expires_at == pytest.approx(time.time() + 3600, abs=5)
    assert tokens.access_token not in repr(tokens)
    assert tokens.refresh_token not in repr(tokens)
    assert env.paths == ["/oauth2/token"]


async def test_wrong_password_is_an_authentication_error(env: Env) -> None:
    """A refused sign-in raises, and leaves the client without tokens."""
    cloud = env.cloud()
    with pytest.raises(MiotAuthenticationError, match="invalid_grant"):
        await cloud.login(USERNAME, "wrong")
    assert cloud.tokens is None
    with pytest.raises(MiotAuthenticationError, match="not signed in"):
        await cloud.get_homes()


async def test_saved_tokens_work_without_a_password(env: Env) -> None:
    """Tokens saved by the integration are accepted by a new client."""
    first = await env.signed_in()
    second = env.cloud(tokens=first.tokens)
    assert [home.name for home in await second.get_homes()] == ["Test Home"]


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


async def test_device_list_follows_every_page(env: Env) -> None:
    """Small pages are followed to the end; each device has its model, token and address."""
    cloud = await env.signed_in()
    devices = await cloud.get_devices(page_size=2)
    assert env.paths.count("/app/v2/home/device_list_page") == 3
    assert [d.did for d in devices] == [env.did(i) for i in ("lamp", "ac", "car", "phone", "watch")]
    lamp, _ac, car, phone, _watch = devices
    sim_lamp = env.sim.devices["lamp"]
    assert (lamp.name, lamp.model, lamp.token) == ("Lamp", sim_lamp.model, sim_lamp.token)
    assert lamp.local_ip == sim_lamp.address
    assert lamp.spec_type == load_bundled_spec("yeelink.light.color1").type
    assert lamp.online
    (home,) = await cloud.get_homes()
    assert lamp.home_id == home.id
    assert lamp.room_id == home.rooms[0].id
    assert (car.model, car.local_ip, car.room_id) == ("xiaomi.vehicle.su7", None, home.rooms[1].id)
    assert (phone.model, phone.room_id) == ("xiaomi.phone.p1", None)
    assert len(await cloud.get_devices(home_ids=[home.id])) == 5
    assert await cloud.get_devices(home_ids=["elsewhere"]) == []


async def test_server_page_limit_is_followed_too(env: Env) -> None:
    """A server that gives fewer devices than asked for is followed page by page."""
    env.server.apply_faults({"page_limit": 1})
    cloud = await env.signed_in()
    assert len(await cloud.get_devices()) == 5
    assert env.paths.count("/app/v2/home/device_list_page") == 5


async def test_properties_are_read_in_batches_of_150(fleet: Env) -> None:
    """1,800 reads take 12 requests; every value is the device's."""
    cloud = await fleet.signed_in()
    spec = load_bundled_spec("xiaomi.vehicle.su7")
    keys = [(fleet.did(car), *p.key) for car in fleet.sim.devices for p in spec.properties()]
    results = await cloud.get_properties(keys)
    assert fleet.paths.count("/app/v2/miotspec/prop/get") == -(-len(keys) // BATCH_LIMIT) == 12
    assert [(r.did, r.siid, r.piid) for r in results] == keys
    by_did = {str(d.did): d for d in fleet.sim.devices.values()}
    assert all(r.ok and r.value == by_did[r.did].get(r.siid, r.piid) for r in results)


async def test_properties_are_written_in_batches_of_150(fleet: Env) -> None:
    """180 writes take 2 requests and change every car."""
    cloud = await fleet.signed_in()
    values = [
        (fleet.did(car), *key, value)
        for car in fleet.sim.devices
        for key, value in (((4, 4), 75), ((7, 1), True), ((7, 2), 21.5))
    ]
    results = await cloud.set_properties(values)
    assert fleet.paths.count("/app/v2/miotspec/prop/set") == 2
    assert len(results) == 180
    assert all(r.code == 0 for r in results)
    assert all(car.get(4, 4) == 75 and car.get(7, 2) == 21.5 for car in fleet.sim.devices.values())


async def test_per_property_codes_come_back(env: Env) -> None:
    """Read-only, unknown and invalid items answer their own codes."""
    cloud = await env.signed_in()
    car = env.did("car")
    written = await cloud.set_properties([(car, 2, 1, 50), (car, 4, 4, 10), (car, 4, 4, 60)])
    assert [r.code for r in written] == [-4002, -4005, 0]
    read = await cloud.get_properties([(car, 99, 1), ("123", 2, 1), (car, 4, 4)])
    assert [(r.code, r.value) for r in read] == [(-4003, None), (-4003, None), (0, 60)]


async def test_actions_run_on_the_device(env: Env) -> None:
    """Unlock and lock the car; find it; an unknown action is a device error."""
    cloud = await env.signed_in()
    car, sim_car = env.did("car"), env.sim.devices["car"]
    assert sim_car.get(6, 1) == 0  # Locked
    assert await cloud.action(car, 6, 2) == []
    assert sim_car.get(6, 1) == 1  # Unlocked
    await cloud.action(car, 6, 1)
    assert sim_car.get(6, 1) == 0
    await cloud.action(car, 3, 2)  # find-car
    assert [a["name"] for a in env.server.actions] == ["unlock", "lock", "find-car"]
    with pytest.raises(MiotDeviceError) as caught:
        await cloud.action(car, 3, 9)
    assert caught.value.code == -4003


async def test_expired_token_is_refreshed_and_the_call_repeated(env: Env) -> None:
    """Every access token expires: the next call refreshes once and succeeds."""
    cloud = await env.signed_in()
    before = cloud.tokens
    env.server.apply_faults({"expire_tokens": True})
    env.paths.clear()
    assert len(await cloud.get_homes()) == 1
    assert env.paths == ["/app/v2/homeroom/gethome", "/oauth2/token", "/app/v2/homeroom/gethome"]
    assert cloud.tokens is not None
    assert before is not None
    assert cloud.tokens.access_token != before.access_token
    assert env.updates[-1] is cloud.tokens
    assert len(env.updates) == 2


async def test_token_about_to_expire_is_refreshed_first() -> None:
    """Less than five minutes left: the client refreshes before the call, not after a refusal."""
    clock = Clock()
    async with start_env(HOME) as env:
        cloud = await env.signed_in(clock=clock)
        clock.shift = 3400
        env.paths.clear()
        await asyncio.gather(cloud.get_homes(), cloud.get_homes())
        assert env.paths == ["/oauth2/token", *["/app/v2/homeroom/gethome"] * 2]


async def test_short_lived_tokens_are_refreshed_at_half_life() -> None:
    """A one-minute token is not refreshed before every call, only after thirty seconds."""
    clock = Clock()
    async with start_env(HOME, token_lifetime=60) as env:
        cloud = await env.signed_in(clock=clock)
        env.paths.clear()
        await cloud.get_homes()
        await cloud.get_homes()
        assert "/oauth2/token" not in env.paths
        clock.shift = 31
        await cloud.get_homes()
        assert env.paths.count("/oauth2/token") == 1


async def test_refused_refresh_is_an_authentication_error(env: Env) -> None:
    """Expired access, refused refresh: the user must sign in again."""
    cloud = await env.signed_in()
    env.server.apply_faults({"expire_tokens": True, "refuse_refresh": True})
    with pytest.raises(MiotAuthenticationError, match="refused"):
        await cloud.get_devices()
    with pytest.raises(MiotAuthenticationError):
        await cloud.refresh_tokens()


async def test_a_refreshed_token_refused_again_is_an_authentication_error() -> None:
    """Tokens that expire at once: one refresh, one retry, then an authentication error."""
    async with start_env(HOME, token_lifetime=1e-9) as env:
        cloud = await env.signed_in(refresh_margin=0)
        env.paths.clear()
        with pytest.raises(MiotAuthenticationError, match="fresh"):
            await cloud.get_homes()
        assert env.paths.count("/app/v2/homeroom/gethome") == 2


async def test_server_errors_are_connection_errors(env: Env) -> None:
    """HTTP 5xx on sign-in or on a call is a connection error; it recovers."""
    cloud = await env.signed_in()
    env.server.apply_faults({"error_rate": 1})
    with pytest.raises(MiotConnectionError, match="HTTP 503"):
        await cloud.get_homes()
    with pytest.raises(MiotConnectionError):
        await env.cloud().login(USERNAME, PASSWORD)
    env.server.apply_faults({"error_rate": None})
    assert len(await cloud.get_homes()) == 1


async def test_no_answer_is_a_connection_error(env: Env) -> None:
    """A cloud that does not answer in time is a connection error."""
    cloud = await env.signed_in(timeout=0.3)
    env.server.apply_faults({"timeout": True})
    with pytest.raises(MiotConnectionError, match=r"within 0\.3 s"):
        await cloud.get_devices()
    env.server.apply_faults({"timeout": False})
    assert len(await cloud.get_devices()) == 5


async def test_unreachable_cloud_is_a_connection_error(env: Env) -> None:
    """Nothing listening: a connection error, not an aiohttp one."""
    cloud = MiotCloud(env.session, server_url="http://127.0.0.1:9", timeout=1)
    with pytest.raises(MiotConnectionError, match="cannot reach"):
        await cloud.login(USERNAME, PASSWORD)


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
    assert [r.code for r in mixed] == [OFFLINE_CODE, 0]
    online = {d.did: d.online for d in await cloud.get_devices()}
    assert (online[car], online[lamp]) == (False, True)
    env.sim.devices["lamp"].apply_faults({"offline": True})  # off on the LAN: off in the cloud
    with pytest.raises(MiotConnectionError):
        await cloud.set_properties([(lamp, 2, 1, True)])


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
    env.paths.clear()
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
        (200, {"code": OFFLINE_CODE, "message": "offline"}, MiotDeviceOfflineError),
        (200, {"code": TIMEOUT_CODE}, MiotConnectionError),
        (200, {"code": EXPIRED_TOKEN_CODE}, AccessTokenExpiredError),
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


def test_token_answers() -> None:
    """Tokens need both strings and a positive lifetime; refusals name the OAuth error."""
    good = {"access_token": "a", "refresh_token": "r", "expires_in": 60}
    assert parse_tokens(200, json.dumps(good).encode(), 1000.0) == CloudTokens("a", "r", 1060.0)
    with pytest.raises(MiotAuthenticationError, match="invalid_client"):
        parse_tokens(401, b'{"error": "invalid_client"}', 0)
    with pytest.raises(MiotConnectionError):
        parse_tokens(502, b"", 0)
    for broken in ({**good, "expires_in": 0}, {**good, "access_token": ""}, {"expires_in": 5}):
        with pytest.raises(MiotProtocolError):
            parse_tokens(200, json.dumps(broken).encode(), 0)


KEYS = st.sampled_from(
    [
        *("code", "message", "result", "homelist", "roomlist", "id", "name", "dids", "list"),
        *("has_more", "next_start_did", "did", "siid", "piid", "value", "out", "isOnline"),
        *("model", "token", "localip", "access_token", "refresh_token", "expires_in", "error"),
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
    with suppress(MiotError):
        parse_tokens(status, body, 0.0)


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


async def test_concurrent_calls_share_one_refresh(env: Env) -> None:
    """Five calls refused at once: the token is refreshed once, and all five succeed."""
    cloud = await env.signed_in()
    env.server.apply_faults({"expire_tokens": True})
    env.paths.clear()
    homes = await asyncio.gather(*(cloud.get_homes() for _ in range(5)))
    assert all(len(found) == 1 for found in homes)
    assert env.paths.count("/oauth2/token") == 1


async def test_a_failing_listener_does_not_fail_the_sign_in(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """The integration's callback raising is logged; the tokens are still taken."""

    def broken(tokens: CloudTokens) -> None:
        raise RuntimeError("disk full")

    cloud = env.cloud(on_tokens_updated=broken)
    tokens = await cloud.login(USERNAME, PASSWORD)
    assert cloud.tokens is tokens
    assert "on_tokens_updated failed" in caplog.text
    assert tokens.access_token not in caplog.text
    with pytest.raises(MiotAuthenticationError, match="not signed in"):
        await env.cloud().refresh_tokens()


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
    env.paths.clear()
    with pytest.raises(MiotProtocolError):
        await transport.send(method, params)
    assert env.paths == []


async def test_transport_takes_an_action_as_a_one_item_list(env: Env) -> None:
    """As the LAN does, an action's params may come wrapped in a list."""
    transport = CloudTransport(await env.signed_in(), env.did("car"))
    reply = await transport.send("action", [{"siid": 3, "aiid": 1, "in": []}])
    assert reply == {"did": env.did("car"), "siid": 3, "aiid": 1, "code": 0, "out": []}
