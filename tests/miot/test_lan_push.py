"""A session's side of push: miIO.sub, the device's own messages, acknowledgements.

A small device written here (not the simulator) sends exactly the packets each test needs:
repeats, reports in the middle of a request, reports without ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest

from custom_components.xiaomi_aiot.miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
)
from custom_components.xiaomi_aiot.miot.lan import DeviceSession
from custom_components.xiaomi_aiot.miot.packet import HEADER, HEADER_SIZE, MAGIC, FrameCodec
from custom_components.xiaomi_aiot.miot.reports import PropertiesChanged, Report
from custom_components.xiaomi_aiot.miot.udp import LanSocket
from harness.net import lone_address

TOKEN = "00112233445566778899aabbccddeeff"
DID = 0x01020304


class Device(asyncio.DatagramProtocol):
    """Answers hellos and requests; records what it receives; sends reports on demand."""

    def __init__(self) -> None:
        self.codec = FrameCodec(TOKEN)
        self.transport: asyncio.DatagramTransport | None = None
        self.requests: list[dict[str, Any]] = []
        self.acks: list[dict[str, Any]] = []
        self.subscriber: tuple[str, int] | None = None
        self.sub_result: Any = {"code": 0}
        self.before_reply: list[bytes] = []
        self.stamp = 5_000
        self.mute = False
        self.noise = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        assert self.transport is not None
        if len(data) == HEADER_SIZE:
            self.transport.sendto(
                HEADER.pack(MAGIC, HEADER_SIZE, 0, DID, self.stamp, b"\xff" * 16), addr
            )
            return
        frame = self.codec.decode(data)
        assert frame.did == DID
        message = json.loads(frame.payload)
        if "method" not in message:
            self.acks.append(message)
            return
        self.requests.append(message)
        if self.mute:
            if self.noise:
                self.transport.sendto(self.noise, addr)
            return
        result: Any = ["ok"]
        if message["method"] == "miIO.sub":
            self.subscriber = addr
            result = self.sub_result
        for packet in self.before_reply:
            self.transport.sendto(packet, addr)
        self.before_reply.clear()
        self.transport.sendto(self.packet({"id": message["id"], "result": result}), addr)

    def packet(self, message: dict[str, Any]) -> bytes:
        return self.codec.encode(DID, self.stamp, json.dumps(message).encode())

    def report(self, message: dict[str, Any]) -> None:
        assert self.transport is not None
        assert self.subscriber is not None
        self.transport.sendto(self.packet(message), self.subscriber)


def changed(message_id: int, value: Any = True) -> dict[str, Any]:
    """A properties_changed message."""
    params = [{"did": str(DID), "siid": 2, "piid": 1, "value": value}]
    return {"id": message_id, "method": "properties_changed", "params": params}


async def until(condition: Any) -> None:
    """Wait (up to 2 s) until `condition()` is true: datagrams take a few loop turns."""
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not met in 2 s")


@pytest.fixture
async def device() -> AsyncIterator[Device]:
    """A device on a random loopback address."""
    host = lone_address()
    transport, protocol = await asyncio.get_running_loop().create_datagram_endpoint(
        Device, local_addr=(host, 0)
    )
    yield protocol
    transport.close()


@pytest.fixture(params=["own socket", "shared socket"])
async def session(device: Device, request: pytest.FixtureRequest) -> AsyncIterator[DeviceSession]:
    """A session to the device, with its own socket or a shared one, recording messages."""
    assert device.transport is not None
    host, port = device.transport.get_extra_info("sockname")
    shared = LanSocket() if request.param == "shared socket" else None
    received: list[Report] = []
    session = DeviceSession(
        host,
        TOKEN,
        port=port,
        timeout=0.3,
        socket=shared,
        on_report=received.append,
    )
    session.received = received  # type: ignore[attr-defined]
    yield session
    session.close()
    if shared is not None:
        shared.close()


def received(session: DeviceSession) -> list[Report]:
    """What the session handed on."""
    return cast(list[Report], session.received)  # type: ignore[attr-defined]


async def test_subscribe_says_who_we_are(device: Device, session: DeviceSession) -> None:
    """miIO.sub carries the subscriber id, the time and the wildcard method."""
    await session.subscribe("4242")
    sub = device.requests[-1]
    assert sub["method"] == "miIO.sub"
    assert sub["params"]["did"] == "4242"
    assert sub["params"]["sub_method"] == "."
    assert sub["params"]["version"] == "2.0"
    assert isinstance(sub["params"]["update_ts"], int)
    assert session.handshakes == 1


@pytest.mark.parametrize("answer", [{"code": -1}, ["error"], None])
async def test_a_refused_subscription_is_a_device_error(
    device: Device, session: DeviceSession, answer: Any
) -> None:
    """Anything but {"code": 0} (or the older ["ok"]) is a refusal."""
    device.sub_result = answer
    with pytest.raises(MiotDeviceError):
        await session.subscribe("1")


async def test_an_older_device_may_accept_with_ok(device: Device, session: DeviceSession) -> None:
    """Older miIO devices answer ["ok"]."""
    device.sub_result = ["ok"]
    await session.subscribe("1")


async def test_a_report_is_acknowledged_and_handed_on(
    device: Device, session: DeviceSession
) -> None:
    """The ack carries the report's id and code 0; the handler gets the decoded report."""
    await session.subscribe("1")
    device.report(changed(77))
    await until(lambda: device.acks)
    assert device.acks == [{"id": 77, "result": {"code": 0}}]
    assert received(session) == [PropertiesChanged(values={(2, 1): True})]


async def test_a_repeated_report_is_acknowledged_again_but_handed_on_once(
    device: Device, session: DeviceSession
) -> None:
    """A device repeats a report whose ack it lost: ack it, do not apply it twice."""
    await session.subscribe("1")
    for _ in range(3):
        device.report(changed(78))
    device.report(changed(79, False))
    await until(lambda: len(device.acks) == 4)
    assert received(session) == [
        PropertiesChanged(values={(2, 1): True}),
        PropertiesChanged(values={(2, 1): False}),
    ]


async def test_a_report_during_a_request_does_not_disturb_it(
    device: Device, session: DeviceSession
) -> None:
    """A report that arrives before the reply is handled; the request still gets its reply."""
    await session.subscribe("1")
    device.before_reply.append(device.packet(changed(80)))
    assert await session.send("get_properties", []) == ["ok"]
    assert received(session) == [PropertiesChanged(values={(2, 1): True})]
    await until(lambda: device.acks)


async def test_a_message_without_an_id_is_dropped(device: Device, session: DeviceSession) -> None:
    """No id: nothing to acknowledge, nothing handed on."""
    await session.subscribe("1")
    device.report({"method": "properties_changed", "params": []})
    device.report({"id": True, "method": "properties_changed", "params": []})
    device.report(changed(81))
    await until(lambda: device.acks)
    assert device.acks == [{"id": 81, "result": {"code": 0}}]
    assert len(received(session)) == 1


async def test_a_report_it_cannot_read_is_acknowledged_logged_and_not_handed_on(
    device: Device, session: DeviceSession, caplog: pytest.LogCaptureFixture
) -> None:
    """The device is told it arrived (or it would send it again); the next report still counts."""
    await session.subscribe("1")
    with caplog.at_level(logging.DEBUG, logger="custom_components.xiaomi_aiot.miot.lan"):
        device.report({"id": 90, "method": "properties_changed", "params": {"siid": 2}})
        device.report({"id": 91, "method": "event_occured", "params": [1, 2]})
        device.report({"id": 92, "method": 7, "params": []})
        device.report(changed(93))
        await until(lambda: len(device.acks) == 4)
    assert [ack["id"] for ack in device.acks] == [90, 91, 92, 93]
    assert received(session) == [PropertiesChanged(values={(2, 1): True})]
    assert caplog.text.count("ignored a device message it could not read") == 3


async def test_a_failing_handler_is_logged_and_the_session_goes_on(
    device: Device, session: DeviceSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler's exception stays in the log; the report is still acknowledged."""

    def broken(report: Report) -> None:
        raise RuntimeError("handler bug")

    session.on_report = broken
    await session.subscribe("1")
    with caplog.at_level(logging.ERROR):
        device.report(changed(82))
        await until(lambda: device.acks)
    assert "handling properties_changed failed" in caplog.text
    assert await session.send("get_properties", []) == ["ok"]


async def test_a_report_of_another_device_is_dropped(
    device: Device, session: DeviceSession
) -> None:
    """A report whose header names another did (same token) is not ours."""
    await session.subscribe("1")
    assert device.transport is not None
    assert device.subscriber is not None
    other = device.codec.encode(DID + 1, device.stamp, json.dumps(changed(83)).encode())
    device.transport.sendto(other, device.subscriber)
    device.report(changed(84))
    await until(lambda: device.acks)
    assert device.acks == [{"id": 84, "result": {"code": 0}}]


async def test_sessions_sharing_a_socket_get_their_own_reports() -> None:
    """Two devices, one shared socket: each report reaches its own device's session."""
    loop = asyncio.get_running_loop()
    shared = LanSocket()
    devices: list[Device] = []
    transports = []
    for index in range(2):
        transport, device = await loop.create_datagram_endpoint(
            Device, local_addr=(f"127.77.{random.randint(0, 255)}.{index + 2}", 0)
        )
        devices.append(device)
        transports.append(transport)
    heard: list[list[Report]] = [[], []]
    sessions = [
        DeviceSession(
            t.get_extra_info("sockname")[0],
            TOKEN,
            port=t.get_extra_info("sockname")[1],
            timeout=0.3,
            socket=shared,
            on_report=heard[index].append,
        )
        for index, t in enumerate(transports)
    ]
    try:
        for session in sessions:
            await session.subscribe("1")
        assert devices[0].subscriber == devices[1].subscriber  # the same local port
        assert shared.sessions == 2
        devices[0].report(changed(1, "first"))
        devices[1].report(changed(1, "second"))
        await until(lambda: heard[0] and heard[1])
        assert heard == [
            [PropertiesChanged(values={(2, 1): "first"})],
            [PropertiesChanged(values={(2, 1): "second"})],
        ]
    finally:
        for session in sessions:
            session.close()
        for transport in transports:
            transport.close()
        assert shared.sessions == 0
        shared.close()


async def test_a_shared_socket_that_closes_fails_the_request_and_reopens(
    device: Device,
) -> None:
    """Closing the shared socket fails what waits; the next request opens a new one."""
    assert device.transport is not None
    host, port = device.transport.get_extra_info("sockname")
    shared = LanSocket()
    session = DeviceSession(host, TOKEN, port=port, timeout=5, retries=0, socket=shared)
    await session.handshake()
    device.mute = True
    request = asyncio.create_task(session.send("miIO.info"))
    await until(lambda: device.requests)
    first = shared.local_address
    shared.close()
    with pytest.raises(MiotConnectionError):
        await request
    device.mute = False
    assert await session.send("get_properties", []) == ["ok"]
    assert shared.local_address is not None
    assert shared.local_address != first
    session.close()
    shared.close()


async def test_a_host_name_is_resolved_for_a_shared_socket(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name is resolved once to the address replies come from; one that does not resolve is
    a connection error. (Name lookups are answered here, as tests may not use DNS.)"""
    assert device.transport is not None
    host, port = device.transport.get_extra_info("sockname")
    loop = asyncio.get_running_loop()

    async def lookup(name: str, *args: Any, **kwargs: Any) -> list[Any]:
        if name != "lock.home.arpa":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_DGRAM, 17, "", (host, 0))]

    monkeypatch.setattr(loop, "getaddrinfo", lookup)
    shared = LanSocket()
    named = DeviceSession("lock.home.arpa", TOKEN, port=port, timeout=0.3, socket=shared)
    assert await named.send("get_properties", []) == ["ok"]
    named.close()
    unknown = DeviceSession("no-such-host.invalid", TOKEN, port=port, timeout=0.2, socket=shared)
    with pytest.raises(MiotConnectionError, match="did not answer") as failure:
        await unknown.send("miIO.info")
    assert "cannot resolve" in str(failure.value.__cause__)
    unknown.close()
    shared.close()


async def test_noise_before_the_reply_is_not_taken_for_a_wrong_token(
    device: Device, session: DeviceSession
) -> None:
    """A datagram that fails the checksum or is not JSON, then the real reply: the reply wins."""
    bad_checksum = bytearray(device.packet({"id": 1, "result": []}))
    bad_checksum[20] ^= 0xFF
    not_json = device.codec.encode(DID, device.stamp, b"{not json")
    device.before_reply.extend([bytes(bad_checksum), not_json])
    assert await session.send("get_properties", []) == ["ok"]


async def test_only_noise_is_what_the_request_fails_with(
    device: Device, session: DeviceSession
) -> None:
    """Nothing but datagrams that do not verify, at every attempt: a wrong token."""
    await session.handshake()
    bad = bytearray(device.packet({"id": 1, "result": []}))
    bad[20] ^= 0xFF
    device.mute = True
    device.noise = bytes(bad)
    session.retries = 1
    with pytest.raises(MiotAuthenticationError):
        await session.send("miIO.info")
    assert len(device.requests) == 2
