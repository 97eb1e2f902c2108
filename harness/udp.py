"""Bare miIO clients over UDP: raw requests to a simulated device, and a push subscriber."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from custom_components.xiaomi_aiot.miot.packet import HELLO, Frame, FrameCodec, read_header
from simulator import Simulator, VirtualDevice

type StartSimulator = Callable[..., Awaitable[Simulator]]
type OpenClient = Callable[[], Awaitable[RawClient]]
type NewSubscriber = Callable[[VirtualDevice], Awaitable[PushClient]]


_CLIENT_ID_BASES = itertools.count(10_000, 10_000)


class RawClient(asyncio.DatagramProtocol):
    """A bare miIO client: sends what it is told and queues what comes back."""

    def __init__(self) -> None:
        """Start with an empty queue, and message ids no other client uses."""
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None
        # A device drops a repeated id whoever sends it: clients must not share ids.
        self._next_id = next(_CLIENT_ID_BASES)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport."""
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        """Queue a datagram."""
        self.queue.put_nowait(data)

    def send(self, device: VirtualDevice, data: bytes) -> None:
        """Send raw bytes to a device."""
        assert self.transport is not None
        assert device.address is not None
        self.transport.sendto(data, (device.address, device.port))

    async def receive(self, wait: float = 2.0) -> bytes:
        """The next datagram, within `wait` seconds."""
        async with asyncio.timeout(wait):
            return await self.queue.get()

    async def silence(self, wait: float = 0.3) -> None:
        """Assert that nothing arrives for a while."""
        await asyncio.sleep(wait)
        assert self.queue.empty(), f"unexpected datagram {self.queue.get_nowait()!r}"

    async def hello(self, device: VirtualDevice) -> Frame:
        """Send a hello and read the reply's header."""
        self.send(device, HELLO)
        return read_header(await self.receive())

    def new_id(self) -> int:
        """A fresh message id."""
        self._next_id += 1
        return self._next_id

    def packet(
        self,
        device: VirtualDevice,
        method: str,
        params: Any = None,
        *,
        msg_id: int | None = None,
        stamp: int | None = None,
        token: str | None = None,
        did: int | None = None,
    ) -> bytes:
        """An encrypted request; by default right for the device."""
        message = {"id": self.new_id() if msg_id is None else msg_id, "method": method}
        message["params"] = [] if params is None else params
        codec = FrameCodec(token or device.token)
        return codec.encode(
            device.did if did is None else did,
            device.stamp() if stamp is None else stamp,
            json.dumps(message).encode(),
        )

    async def call(
        self, device: VirtualDevice, method: str, params: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Send a request and decode the reply with the device's token."""
        self.send(device, self.packet(device, method, params, **kwargs))
        reply = FrameCodec(device.token).decode(await self.receive())
        decoded: dict[str, Any] = json.loads(reply.payload)
        return decoded


class PushClient:
    """A subscriber to one device's push reports: subscribes, reads reports, acknowledges them."""

    def __init__(self, client: RawClient, device: VirtualDevice) -> None:
        """Subscribe through `client`'s socket to `device`."""
        self.client = client
        self.device = device

    @property
    def address(self) -> str:
        """``host:port`` of the socket, as the admin API shows a subscriber."""
        assert self.client.transport is not None
        host, port = self.client.transport.get_extra_info("sockname")[:2]
        return f"{host}:{port}"

    async def subscribe(
        self, did: str = "home-assistant", update_ts: int = 1_763_769_600
    ) -> dict[str, Any]:
        """Send ``miIO.sub``; the reply."""
        params = {"version": "2.0", "did": did, "update_ts": update_ts, "sub_method": "."}
        return await self.client.call(self.device, "miIO.sub", params)

    async def unsubscribe(self, did: str = "home-assistant") -> dict[str, Any]:
        """Send ``miIO.unsub``; the reply."""
        params = {"version": "2.0", "did": did, "update_ts": 0, "sub_method": "."}
        return await self.client.call(self.device, "miIO.unsub", params)

    async def report(self, wait: float = 2.0) -> dict[str, Any]:
        """The next report, decrypted with the device's token, its header checked."""
        frame = FrameCodec(self.device.token).decode(await self.client.receive(wait))
        assert frame.did == self.device.did
        assert abs(frame.stamp - self.device.stamp()) <= 1
        message: dict[str, Any] = json.loads(frame.payload)
        return message

    def ack(self, message_id: int) -> None:
        """Acknowledge a report, as a subscriber does."""
        payload = json.dumps({"id": message_id, "result": {"code": 0}}).encode()
        packet = FrameCodec(self.device.token).encode(self.device.did, self.device.stamp(), payload)
        self.client.send(self.device, packet)

    async def silence(self, wait: float = 0.3) -> None:
        """Assert that nothing arrives for a while."""
        await self.client.silence(wait)

    def drain(self) -> None:
        """Forget what arrived so far."""
        while not self.client.queue.empty():
            self.client.queue.get_nowait()
