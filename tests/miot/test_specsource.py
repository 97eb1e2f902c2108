"""The spec server client over real loopback HTTP: hosts in turn, back-off, untrusted answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.xiaomi_aiot.miot import MiotConnectionError, MiotSpecError
from custom_components.xiaomi_aiot.miot.errors import MiotSpecNotFoundError
from custom_components.xiaomi_aiot.miot.specsource import (
    SpecServer,
    SpecVersion,
    parse_instances,
    parse_translations,
    pick_urn,
    translation_key,
)

URN = "urn:miot-spec-v2:device:outlet:0000A002:chuangmi-m3:1"
DOCUMENT = {
    "type": URN,
    "description": "Outlet",
    "services": [
        {
            "iid": 2,
            "type": "urn:miot-spec-v2:service:switch:0000780C:chuangmi-m3:1",
            "properties": [
                {
                    "iid": 1,
                    "type": "urn:miot-spec-v2:property:on:00000006:chuangmi-m3:1",
                    "format": "bool",
                    "access": ["read", "write", "notify"],
                }
            ],
        }
    ],
}
INSTANCES = {
    "instances": [
        {"status": "released", "model": "chuangmi.plug.m3", "version": 1, "type": URN},
        {"status": "debug", "model": "chuangmi.plug.m3", "version": 2, "type": URN[:-1] + "2"},
        {"status": "debug", "model": "x.y.z", "version": 3, "type": "urn:a:device:z:0:x-z:3"},
        {"status": "preview", "model": "x.y.z", "version": 1, "type": "urn:a:device:z:0:x-z:1"},
        "garbage",
        {"model": 5},
    ]
}

type Handler = Callable[[web.Request], Any]


async def no_wait(seconds: float) -> None:
    """A back-off that takes no time."""


@asynccontextmanager
async def host(handler: Handler) -> AsyncIterator[str]:
    """A spec server on a loopback port answering every request with `handler`."""
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def real_answers(request: web.Request) -> web.StreamResponse:
    """The three requests as miot-spec.org answers them."""
    if request.path == "/miot-spec-v2/instances" and request.query.get("status") == "all":
        return web.json_response(INSTANCES)
    if request.path == "/miot-spec-v2/instance":
        if request.query.get("type") == URN:
            return web.json_response(DOCUMENT)
        return web.json_response({"error": "not found"}, status=404)
    if request.path == "/instance/v2/multiLanguage" and request.query.get("urn") == URN:
        return web.json_response(
            {"data": {"zh_cn": {"service:002:property:001": "开关", "service:002": " "}}}
        )
    return web.Response(status=500)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session of its own."""
    async with aiohttp.ClientSession() as client:
        yield client


def test_the_highest_released_version_is_picked_else_the_highest_other() -> None:
    """A model's type URN follows the instances list's statuses."""
    versions = parse_instances(INSTANCES)
    assert len(versions) == 4
    assert pick_urn(versions, "chuangmi.plug.m3") == URN
    assert pick_urn(versions, "x.y.z") == "urn:a:device:z:0:x-z:3"
    assert pick_urn(versions, "nobody.has.this") is None
    assert pick_urn([SpecVersion("m", "u", 1, "released")], "m") == "u"


def test_translation_keys_are_those_of_the_multi_language_document() -> None:
    """Keys are zero-padded to three digits, as the spec server writes them."""
    assert translation_key(2) == "service:002"
    assert translation_key(2, "property", 1) == "service:002:property:001"
    assert translation_key(2, "property", 1, 0) == "service:002:property:001:valuelist:000"
    assert translation_key(12, "action", 3) == "service:012:action:003"


@pytest.mark.parametrize("answer", [None, [], {"data": []}, {"instances": {}}, "x"])
def test_answers_of_the_wrong_shape_are_spec_errors(answer: Any) -> None:
    """The instances list and the translations are checked before use."""
    with pytest.raises(MiotSpecError):
        parse_translations(answer)
    with pytest.raises(MiotSpecError):
        parse_instances(answer)


async def test_a_model_its_document_and_its_names_come_from_the_server(
    session: aiohttp.ClientSession,
) -> None:
    """The three requests, as Xiaomi's server answers them."""
    async with host(real_answers) as url:
        server = SpecServer(session, base_urls=[url])
        assert await server.urn_for("chuangmi.plug.m3") == URN
        assert await server.document(URN) == DOCUMENT
        names = await server.translations(URN)
        assert names == {"zh_cn": {"service:002:property:001": "开关"}}
        with pytest.raises(MiotSpecNotFoundError):
            await server.document(URN + "9")
        with pytest.raises(MiotSpecNotFoundError):
            await server.urn_for("nobody.has.this")


async def test_the_second_host_answers_when_the_first_is_down(
    session: aiohttp.ClientSession,
) -> None:
    """miot-spec.org and its mirror are asked in turn."""

    async def down(request: web.Request) -> web.Response:
        return web.Response(status=503)

    async with host(down) as first, host(real_answers) as second:
        server = SpecServer(session, base_urls=[first, second], sleep=no_wait)
        assert await server.document(URN) == DOCUMENT


async def test_rounds_over_the_hosts_are_spaced_by_a_growing_back_off(
    session: aiohttp.ClientSession,
) -> None:
    """A few tries, waiting longer each time, then a connection error naming the request."""
    waits: list[float] = []
    answers = iter([503, 503, 200])

    async def flaky(request: web.Request) -> web.Response:
        status = next(answers)
        if status == 200:
            return web.json_response(DOCUMENT)
        return web.Response(status=status)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with host(flaky) as url:
        server = SpecServer(session, base_urls=[url], tries=3, backoff=1.0, sleep=sleep)
        assert await server.document(URN) == DOCUMENT
        assert waits == [1.0, 2.0]
        with pytest.raises(MiotConnectionError, match="instance"):
            await SpecServer(session, base_urls=[url], tries=2, sleep=sleep).document(URN)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>maintenance</html>", MiotConnectionError),
        (200, b'{"services": "nope", "type": 5}', MiotSpecError),
        (200, b"[]", MiotSpecNotFoundError),
        (502, b"", MiotConnectionError),
    ],
)
async def test_untrusted_answers_become_typed_errors(
    session: aiohttp.ClientSession, status: int, body: bytes, error: type[Exception]
) -> None:
    """HTML, a wrong shape or a 5xx never crash the client."""

    async def answer(request: web.Request) -> web.Response:
        return web.Response(status=status, body=body, content_type="application/json")

    async with host(answer) as url:
        with pytest.raises(error):
            await SpecServer(session, base_urls=[url], sleep=no_wait).document(URN)


async def test_a_host_nobody_listens_on_is_a_connection_error_at_once(
    session: aiohttp.ClientSession,
) -> None:
    """Nothing listening, or a name that does not resolve: the host did not answer, and is
    not asked again after a back-off (it is not busy, it is not there)."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    server = SpecServer(session, base_urls=["http://127.0.0.1:9", "http://nowhere.invalid"])
    server = SpecServer(session, base_urls=server.base_urls, sleep=sleep)
    with pytest.raises(MiotConnectionError):
        await server.instances()
    assert waits == []
