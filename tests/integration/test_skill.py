"""The Xiao Ai skill endpoint over real HTTP: signed requests act, everything else is refused."""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import formatdate
from types import SimpleNamespace

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.voice import skill
from harness.hass import SetUpDevice
from harness.skill import KEY_ID, SECRET, encode, signed_headers, skill_request
from simulator import Simulator

LIGHT = "light.living_room_ceiling_light"

type Post = Callable[..., Awaitable[ClientResponse]]


@pytest.fixture(autouse=True)
async def core(hass: HomeAssistant) -> None:
    """Home Assistant's core integration, which the conversation agents rely on."""
    assert await async_setup_component(hass, "homeassistant", {})


@pytest.fixture
async def post(client: TestClient, skill_entry: MockConfigEntry) -> Post:
    """Post a body to the skill_entry's skill endpoint; signed unless headers are given."""

    async def send(
        body: bytes,
        headers: dict[str, str] | None = None,
        *,
        path: str | None = None,
    ) -> ClientResponse:
        path = path or f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
        return await client.post(
            path, data=body, headers=signed_headers(path, body) if headers is None else headers
        )

    return send


def light_state(hass: HomeAssistant) -> str:
    """The living-room light entity's state."""
    state = hass.states.get(LIGHT)
    assert state is not None
    return state.state


async def test_a_signed_request_acts_and_answers_in_the_skill_format(
    hass: HomeAssistant, sim: Simulator, post: Post
) -> None:
    """The query goes to the agent: the light turns off and the answer is Xiao Ai's to say."""
    assert sim.devices["living-room-light"].get(2, 1) is True

    response = await post(encode(skill_request("turn off the living room ceiling light")))
    await hass.async_block_till_done()

    assert response.status == 200
    answer = await response.json()
    assert answer["version"] == "1.0"
    assert answer["is_session_end"] is True
    assert answer["response"]["open_mic"] is False
    assert answer["response"]["to_speak"]["type"] == 0
    assert answer["response"]["to_speak"]["text"]
    assert sim.devices["living-room-light"].get(2, 1) is False
    assert light_state(hass) == STATE_OFF


async def test_the_end_of_a_session_is_answered_without_acting(
    hass: HomeAssistant, sim: Simulator, post: Post
) -> None:
    """Xiao Ai's session-end request (type 2) closes the session; nothing is run."""
    response = await post(encode(skill_request("turn off the living room ceiling light", kind=2)))
    assert response.status == 200
    assert await response.json() == {
        "version": "1.0",
        "is_session_end": True,
        "response": {"open_mic": False},
    }
    assert sim.devices["living-room-light"].get(2, 1) is True


async def refused(response: ClientResponse, status: int, error: str) -> None:
    """The request was refused with this status and JSON error."""
    assert response.status == status
    assert await response.json() == {"error": error}


BODY = encode(skill_request("turn off the living room ceiling light"))
GUESSED = base64.b64encode(b"a guessed secret").decode()


def minutes_from_now(minutes: float) -> str:
    """A request date that far from the time of the request (not of the test's collection)."""
    return formatdate(time.time() + minutes * 60, usegmt=True)


def without(name: str) -> Callable[[str], dict[str, str]]:
    """Signed headers missing one."""
    return lambda path: {k: v for k, v in signed_headers(path, BODY).items() if k != name}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda path: {}, id="unsigned"),
        pytest.param(lambda path: {"Authorization": "Bearer a-token"}, id="another-scheme"),
        pytest.param(without("Authorization"), id="no-authorization"),
        pytest.param(without("X-Xiaomi-Date"), id="no-date"),
        pytest.param(without("Content-MD5"), id="no-content-md5"),
        pytest.param(lambda path: signed_headers(path, BODY, secret=GUESSED), id="forged"),
        pytest.param(lambda path: signed_headers(path, BODY, key_id="other"), id="other-key-id"),
        pytest.param(lambda path: signed_headers("/api/other", BODY), id="other-path"),
        pytest.param(
            lambda path: signed_headers(path, encode(skill_request("unlock the door"))),
            id="signed-for-another-body",
        ),
        pytest.param(
            lambda path: signed_headers(path, BODY, date=minutes_from_now(-10)), id="stale"
        ),
        pytest.param(
            lambda path: signed_headers(path, BODY, date=minutes_from_now(10)), id="from-the-future"
        ),
        pytest.param(lambda path: signed_headers(path, BODY, date="yesterday"), id="not-a-date"),
    ],
)
async def test_unsigned_forged_and_stale_requests_are_refused_and_change_nothing(
    hass: HomeAssistant,
    sim: Simulator,
    post: Post,
    skill_entry: MockConfigEntry,
    headers: Callable[[str], dict[str, str]],
) -> None:
    """401 with a JSON error, and the light stays on."""
    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
    await refused(await post(BODY, headers(path)), 401, "unauthorized")
    await hass.async_block_till_done()
    assert sim.devices["living-room-light"].get(2, 1) is True
    assert light_state(hass) == STATE_ON


async def test_a_replayed_request_is_refused(
    hass: HomeAssistant, sim: Simulator, post: Post, skill_entry: MockConfigEntry
) -> None:
    """The same signed request again, or its request id re-signed later, does nothing."""
    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
    headers = signed_headers(path, BODY)
    assert (await post(BODY, headers)).status == 200
    await hass.async_block_till_done()
    sim.devices["living-room-light"].set(2, 1, True)

    await refused(await post(BODY, headers), 401, "unauthorized")
    resigned = signed_headers(path, BODY, date=formatdate(time.time() + 5, usegmt=True))
    await refused(await post(BODY, resigned), 401, "unauthorized")
    await hass.async_block_till_done()
    assert sim.devices["living-room-light"].get(2, 1) is True


async def test_a_request_is_remembered_while_its_date_would_pass(
    hass: HomeAssistant,
    sim: Simulator,
    post: Post,
    skill_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dated ahead of now, a request stays fresh longer than the window: so does its memory."""
    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
    headers = signed_headers(path, BODY, date=formatdate(time.time() + 250, usegmt=True))
    assert (await post(BODY, headers)).status == 200
    await hass.async_block_till_done()
    sim.devices["living-room-light"].set(2, 1, True)

    later = time.time() + 400
    monkeypatch.setattr(skill, "time", SimpleNamespace(time=lambda: later))
    await refused(await post(BODY, headers), 401, "unauthorized")
    await hass.async_block_till_done()
    assert sim.devices["living-room-light"].get(2, 1) is True


async def test_an_oversized_body_is_refused_unread(
    hass: HomeAssistant,
    sim: Simulator,
    client: TestClient,
    skill_entry: MockConfigEntry,
    post: Post,
) -> None:
    """413 whether the size is announced or the body just keeps coming (chunked)."""
    request = skill_request("turn off the living room ceiling light")
    request["padding"] = "x" * 70_000
    body = encode(request)
    await refused(await post(body), 413, "too_large")

    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    response = await client.post(path, data=chunks(), headers=signed_headers(path, body))
    await refused(response, 413, "too_large")
    await hass.async_block_till_done()
    assert sim.devices["living-room-light"].get(2, 1) is True


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[1, 2]", encode({"query": "turn off the light"})],
    ids=["broken", "not-utf8", "a-list", "no-request"],
)
async def test_a_signed_body_that_is_not_a_skill_request_is_a_bad_request(
    hass: HomeAssistant, sim: Simulator, post: Post, body: bytes
) -> None:
    """400, and nothing happens."""
    response = await post(body)
    assert response.status == 400
    assert "error" in await response.json()
    assert sim.devices["living-room-light"].get(2, 1) is True


async def test_without_a_configured_secret_everything_is_refused(
    hass: HomeAssistant, sim: Simulator, client: TestClient, set_up_device: SetUpDevice
) -> None:
    """An entry without the skill's key, or no entry at all: 401 even when signed."""
    bare = await set_up_device("living-room-light")
    for entry_id in (bare.entry_id, "no-such-entry"):
        path = f"/api/xiaomi_aiot/xiaoai/{entry_id}"
        response = await client.post(path, data=BODY, headers=signed_headers(path, BODY))
        await refused(response, 401, "unauthorized")
    assert sim.devices["living-room-light"].get(2, 1) is True


async def test_the_endpoint_needs_no_home_assistant_token(
    client: TestClient, skill_entry: MockConfigEntry
) -> None:
    """Xiao Ai's servers carry none: a GET is simply not allowed, not unauthorised."""
    response = await client.get(f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}")
    assert response.status == 405


async def test_the_skill_key_is_set_and_cleared_in_the_options(
    hass: HomeAssistant, sim: Simulator, client: TestClient, set_up_device: SetUpDevice
) -> None:
    """Signed requests are answered once the key is in the options, refused once it is gone."""
    entry = await set_up_device("living-room-light")
    path = f"/api/xiaomi_aiot/xiaoai/{entry.entry_id}"

    result = await hass.config_entries.options.async_init(entry.entry_id)
    await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"scan_interval": 30, "skill_key_id": KEY_ID, "skill_secret": SECRET},
    )
    await hass.async_block_till_done()
    assert entry.options == {"scan_interval": 30, "skill_key_id": KEY_ID, "skill_secret": SECRET}
    response = await client.post(path, data=BODY, headers=signed_headers(path, BODY))
    assert response.status == 200

    result = await hass.config_entries.options.async_init(entry.entry_id)
    await hass.config_entries.options.async_configure(result["flow_id"], {"scan_interval": 30})
    await hass.async_block_till_done()
    assert entry.options == {"scan_interval": 30}
    body = encode(skill_request("turn on the living room ceiling light", request_id="req-2"))
    response = await client.post(path, data=body, headers=signed_headers(path, body))
    await refused(response, 401, "unauthorized")
    assert sim.devices["living-room-light"].get(2, 1) is False
