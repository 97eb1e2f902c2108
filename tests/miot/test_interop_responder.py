"""Our client against a device whose packets are made by python-miio's own codec.

python-miio is an independent implementation of the miIO protocol: if our encoder and decoder
shared a symmetric bug, its `Message` codec would not understand us, nor we it.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import struct
from collections.abc import AsyncIterator
from typing import Any

import construct
import pytest
from miio.protocol import Message

from custom_components.xiaomi_aiot.miot import MiotAuthenticationError, load_bundled_spec
from custom_components.xiaomi_aiot.miot.device import MiotDevice
from custom_components.xiaomi_aiot.miot.lan import DeviceSession

pytestmark = pytest.mark.interop

TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
DID = 0x0BADCAFE
BOOT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class MiioResponder(asyncio.DatagramProtocol):
    """A minimal device: python-miio's `Message` parses requests and builds replies."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.state: dict[tuple[int, int], Any] = {(2, 1): True, (2, 2): 42}
        self.requests: list[dict[str, Any]] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        assert self.transport is not None
        stamp = int((datetime.datetime.now(datetime.UTC) - BOOT).total_seconds())
        if len(data) == 32:
            # The hello reply is a bare header; python-miio only ever parses those.
            hello = struct.pack(">HHIII", 0x2131, 32, 0, DID, stamp) + b"\xff" * 16
            self.transport.sendto(hello, addr)
            return
        try:
            request = Message.parse(data, token=bytes.fromhex(TOKEN)).data.value
        except (construct.ChecksumError, ValueError):
            # Like a real device, answer a request made with another token with an error
            # that only its own token verifies. (python-miio decrypts before it checks the
            # checksum: with another key the padding may happen to hold and the text then
            # fails to decode, a ValueError.)
            reply: dict[str, Any] = {"id": 0, "error": {"code": -30001, "message": "checksum"}}
        else:
            self.requests.append(request)
            reply = {"id": request["id"], "result": self._answer(request)}
        header = {"length": 0, "unknown": 0, "device_id": DID.to_bytes(4, "big"), "ts": BOOT}
        packet = Message.build(
            {"data": {"value": reply}, "header": {"value": header}, "checksum": 0},
            token=bytes.fromhex(TOKEN),
        )
        self.transport.sendto(packet, addr)

    def _answer(self, request: dict[str, Any]) -> Any:
        if request["method"] == "miIO.info":
            # Real devices put their token in this answer too.
            return {
                "model": "yeelink.light.mono1",
                "fw_ver": "2.0.6",
                "mac": "AA:BB:CC:DD:EE:FF",
                "token": TOKEN,
            }
        if request["method"] == "set_properties":
            for item in request["params"]:
                self.state[(item["siid"], item["piid"])] = item["value"]
            return [{**item, "code": 0} for item in request["params"]]
        return [
            {**item, "code": 0, "value": self.state[(item["siid"], item["piid"])]}
            for item in request["params"]
        ]


@pytest.fixture
async def responder() -> AsyncIterator[tuple[MiioResponder, int]]:
    """A python-miio device on a loopback port."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        MiioResponder, local_addr=("127.0.0.1", 0)
    )
    yield protocol, transport.get_extra_info("sockname")[1]
    transport.close()


async def test_our_client_reads_and_writes_a_python_miio_device(
    responder: tuple[MiioResponder, int], caplog: pytest.LogCaptureFixture
) -> None:
    """Handshake, miIO.info, a read and a write all round-trip through python-miio's codec."""
    device_protocol, port = responder
    caplog.set_level(logging.DEBUG, logger="custom_components.xiaomi_aiot.miot")
    session = DeviceSession("127.0.0.1", TOKEN, port=port, timeout=1)
    device = MiotDevice(session, load_bundled_spec("yeelink.light.mono1"))
    try:
        assert await session.handshake() == DID
        info = await device.info()
        assert (info.model, info.firmware, info.mac) == (
            "yeelink.light.mono1",
            "2.0.6",
            "AA:BB:CC:DD:EE:FF",
        )
        await device.write_property(2, 2, 55)
        assert device_protocol.state[(2, 2)] == 55
        results = await device.read_properties([(2, 1), (2, 2)])
        assert {key: r.value for key, r in results.items()} == {(2, 1): True, (2, 2): 55}
        # The debug log shows the traffic, never the token or the MAC address.
        assert "miIO.info" in caplog.text
        assert TOKEN not in caplog.text
        assert "AA:BB:CC:DD:EE:FF" not in caplog.text
        assert [r["method"] for r in device_protocol.requests] == [
            "miIO.info",
            "set_properties",
            "get_properties",
        ]
    finally:
        session.close()


async def test_a_python_miio_device_with_another_token_is_an_authentication_error(
    responder: tuple[MiioResponder, int],
) -> None:
    """python-miio's codec rejects our packet; its error reply does not verify with our token."""
    device_protocol, port = responder
    session = DeviceSession("127.0.0.1", "00" * 16, port=port, timeout=1, retries=1)
    try:
        with pytest.raises(MiotAuthenticationError):
            await session.send("miIO.info")
        assert device_protocol.requests == []
    finally:
        session.close()
