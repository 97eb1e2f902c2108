"""Fuzzing the Xiao Ai skill endpoint: whatever arrives, the answer is a status, never a crash.

Hypothesis draws the examples first (a sync ``@given`` function that only collects them), then
one Home Assistant instance per test sends them all. Each request carries its own query string,
which the signature covers, so no two signatures are alike and none is refused as a replay.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import logging
import time
from email.utils import formatdate
from typing import Any

import pytest
from aiohttp.http_exceptions import BadHttpMessage
from aiohttp.test_utils import TestClient
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.json import json_loads
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.voice.skill import MAX_BODY_SIZE
from harness.skill import HOST, KEY_ID, SECRET, encode, skill_request

WATCHED_LOGGERS = ("custom_components.xiaomi_aiot", "aiohttp.server", "homeassistant.components")
NONCE = itertools.count()


def examples[T](strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """`count` examples of a strategy (fewer when it has fewer distinct values)."""
    found: list[T] = []

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        found.append(value)

    collect()
    return found


def sign(path: str, query: str, date: bytes, content_md5: bytes) -> bytes:
    """The MIAI-HmacSHA256-V1 signature (hex) over these exact header bytes."""
    pairs = "&".join(sorted(part for part in query.split("&") if part)).encode()
    text = b"\n".join(
        [b"POST", path.encode(), pairs, date, HOST.encode(), b"application/json", content_md5, b""]
    )
    return hmac.new(base64.b64decode(SECRET), text, hashlib.sha256).hexdigest().encode()


def signed_headers(path: str, query: str, body: bytes) -> dict[str, str]:
    """Correct headers for a body, dated now."""
    date = formatdate(usegmt=True)
    content_md5 = hashlib.md5(body).hexdigest()
    digest = sign(path, query, date.encode(), content_md5.encode()).decode()
    return {
        "Authorization": f"MIAI-HmacSHA256-V1 {KEY_ID}::{digest}",
        "X-Xiaomi-Date": date,
        "Host": HOST,
        "Content-Type": "application/json",
        "Content-MD5": content_md5,
    }


def crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors the server or the integration logged (an unhandled exception is one).

    aiohttp itself logs, at ERROR, the HTTP messages its parser refuses with 400 (a control
    byte in a header value): those never reach Home Assistant, so they are not crashes.
    """
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR
        and record.name.startswith(WATCHED_LOGGERS)
        and not (record.exc_info and isinstance(record.exc_info[1], BadHttpMessage))
    ]


def expected_status(body: bytes, seen: set[str]) -> int:
    """413 over the limit; 400 unless the endpoint's own JSON parser finds a skill request;
    401 for a request id answered before (`seen`, updated); else 200."""
    if len(body) > MAX_BODY_SIZE:
        return 413
    try:
        payload = json_loads(body)
    except ValueError:
        return 400
    if not isinstance(payload, dict) or not isinstance(payload.get("request"), dict):
        return 400
    request_id = str(payload["request"].get("request_id") or "")
    if request_id in seen:
        return 401
    if request_id:
        seen.add(request_id)
    return 200


@pytest.fixture(autouse=True)
async def core(hass: HomeAssistant) -> None:
    """Home Assistant's core integration, which the conversation agents rely on."""
    assert await async_setup_component(hass, "homeassistant", {})


async def post_signed(client: TestClient, skill_entry: MockConfigEntry, body: bytes) -> int:
    """Post a correctly signed body under a fresh query string; the status."""
    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
    query = f"nonce={next(NONCE)}"
    response = await client.post(
        f"{path}?{query}", data=body, headers=signed_headers(path, query, body)
    )
    await response.read()
    return response.status


# --- (a) arbitrary bodies, correctly signed ------------------------------------------------

JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["关灯", "turn off the living room ceiling light", "", " "])
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)

BODIES = st.one_of(
    st.binary(max_size=512),
    st.binary(min_size=MAX_BODY_SIZE - 2, max_size=MAX_BODY_SIZE + 2),
    JSON.map(encode),
    st.builds(
        lambda prefix, value, suffix: prefix + encode({"request": value}) + suffix,
        st.sampled_from([b"", b" ", b"\xef\xbb\xbf", b"[", b"{"]),
        JSON,
        st.sampled_from([b"", b" ", b"\n", b"}", b"\x00", b"\xff"]),
    ),
    st.sampled_from([b"NaN", b"Infinity", b"1e999", b"[" * 2000, b'{"request": {}}' * 2]),
)


async def test_signed_arbitrary_bodies_are_answered_refused_or_too_large(
    hass: HomeAssistant,
    client: TestClient,
    skill_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """200 for a skill request's shape, 413 over the limit, 400 for anything else; no crash."""
    bodies = examples(BODIES, 250)
    seen: set[str] = set()
    for body in bodies:
        status = await post_signed(client, skill_entry, body)
        expected = expected_status(body, seen)
        assert status == expected, f"{status} for {body[:200]!r} ({len(body)} bytes)"
        assert not crashes(caplog), f"{crashes(caplog)} for {body[:200]!r}"
    assert len(bodies) > 100


# --- (b) JSON objects of the skill request's keys ------------------------------------------

SKILL_KEYS = st.sampled_from(
    [
        "version",
        "query",
        "session",
        "session_id",
        "application",
        "user",
        "new",
        "request",
        "type",
        "request_id",
        "timestamp",
        "intent",
        "slot_info",
        "slots",
        "is_user_login",
    ]
)
PLAUSIBLE = st.sampled_from(
    [0, 1, 2, 3, -1, "关灯", "turn off the living room ceiling light", "", "what time is it"]
)
SKILL_JSON = st.recursive(
    JSON_LEAVES | PLAUSIBLE,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SKILL_KEYS, inner, max_size=6),
    max_leaves=30,
)


def mutated_request(fields: dict[str, Any], request: dict[str, Any] | None) -> dict[str, Any]:
    """A valid skill request with random fields on top, and maybe a random `request`."""
    payload = skill_request("turn off the living room ceiling light") | fields
    if request is not None:
        payload["request"] = request
    return payload


SKILL_PAYLOADS = st.one_of(
    st.dictionaries(SKILL_KEYS, SKILL_JSON, max_size=8),
    st.builds(
        mutated_request,
        st.dictionaries(SKILL_KEYS, SKILL_JSON, max_size=4),
        st.none() | st.dictionaries(SKILL_KEYS, SKILL_JSON, max_size=6),
    ),
)


async def test_skill_shaped_json_is_answered_or_a_bad_request(
    hass: HomeAssistant,
    client: TestClient,
    skill_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Random values under the skill request's keys: 200 or 400 (401 only for a replayed id)."""
    payloads = examples(SKILL_PAYLOADS, 250)
    seen: set[str] = set()
    for payload in payloads:
        body = encode(payload)
        status = await post_signed(client, skill_entry, body)
        expected = expected_status(body, seen)
        assert status == expected, f"{status} for {payload!r}"
        assert not crashes(caplog), f"{crashes(caplog)} for {payload!r}"
    await hass.async_block_till_done()
    assert len(payloads) > 100


async def test_two_requests_without_a_request_id_are_both_answered(
    client: TestClient, skill_entry: MockConfigEntry
) -> None:
    """A missing request id is not an id seen before: only the signature guards the replay."""
    for query in ("what time is it", "turn off the living room ceiling light"):
        request = skill_request(query)
        del request["request"]["request_id"]
        assert await post_signed(client, skill_entry, encode(request)) == 200


# --- (c) random signature headers, as raw bytes --------------------------------------------

HEADER_BYTES = st.binary(max_size=80).map(
    lambda value: value.replace(b"\r", b"").replace(b"\n", b"").strip(b" \t")
)
SIGNED = b"<signed>"


def fmt(seconds: float) -> bytes:
    """An RFC 1123 date."""
    return formatdate(seconds, usegmt=True).encode()


DATES = st.one_of(
    HEADER_BYTES,
    st.just(b"<now>"),
    st.integers(min_value=0).map(lambda n: str(n).encode()),
    st.floats(min_value=0, max_value=2**33).map(fmt),
    st.text("0123456789\u00b2\u00b3\u00b9\u0663\u06f5\u07c2\u0a6a", min_size=1, max_size=12).map(
        str.encode
    ),
    st.sampled_from(
        [b"yesterday", b"Tue, 08 Dec 99999 03:26:17 GMT", b"Tue, 31 Feb 2020", b"9" * 400]
    ),
)
MD5S = st.one_of(HEADER_BYTES, st.sampled_from([b"<hex>", b"<base64>", b"<HEX>"]))
AUTHORIZATIONS = st.one_of(
    HEADER_BYTES,
    st.just(SIGNED),
    HEADER_BYTES.map(lambda value: b"MIAI-HmacSHA256-V1 " + value),
    HEADER_BYTES.map(lambda value: f"MIAI-HmacSHA256-V1 {KEY_ID}::".encode() + value),
)
HEADERS = st.tuples(AUTHORIZATIONS, DATES, MD5S)


async def raw_post(
    client: TestClient, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes
) -> int:
    """Send a request byte for byte (header values need not be UTF-8); the status."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    lines = [b"POST " + target + b" HTTP/1.1", *(name + b": " + value for name, value in headers)]
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])


async def test_random_signature_headers_are_refused(
    hass: HomeAssistant,
    client: TestClient,
    skill_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Random Authorization, X-Xiaomi-Date and Content-MD5 bytes, some of them signed: 401/400."""
    path = f"/api/xiaomi_aiot/xiaoai/{skill_entry.entry_id}"
    cases = examples(HEADERS, 250)
    for drawn_authorization, drawn_date, drawn_md5 in cases:
        nonce = next(NONCE)
        body = encode(skill_request("what time is it", request_id=f"fuzz-{nonce}"))
        digest = hashlib.md5(body).digest()
        md5_values = {
            b"<hex>": digest.hex().encode(),
            b"<HEX>": digest.hex().upper().encode(),
            b"<base64>": base64.b64encode(digest),
        }
        valid_date = drawn_date == b"<now>"
        date = fmt(time.time()) if valid_date else drawn_date
        valid_md5 = drawn_md5 in md5_values
        content_md5 = md5_values.get(drawn_md5, drawn_md5)
        query = f"nonce={nonce}"
        signed = drawn_authorization == SIGNED
        authorization = drawn_authorization
        if signed:
            authorization = f"MIAI-HmacSHA256-V1 {KEY_ID}::".encode() + sign(
                path, query, date, content_md5
            )
        headers = [
            (b"Host", HOST.encode()),
            (b"Content-Type", b"application/json"),
            (b"Content-Length", str(len(body)).encode()),
            (b"Connection", b"close"),
            (b"Authorization", authorization),
            (b"X-Xiaomi-Date", date),
            (b"Content-MD5", content_md5),
        ]
        status = await raw_post(client, f"{path}?{query}".encode(), headers, body)
        allowed = {200} if signed and valid_date and valid_md5 else {400, 401}
        case = (authorization, date, content_md5)
        assert status in allowed, f"{status} for {case!r}"
        assert not crashes(caplog), f"{crashes(caplog)} for {case!r}"
    await hass.async_block_till_done()
    assert len(cases) > 100
