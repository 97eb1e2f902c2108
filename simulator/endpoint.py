"""The miIO UDP endpoint of one virtual device, with its wire-level faults.

What a real device does with a packet, in order: ignore it when offline (or lost); answer a
hello with its did and clock; drop garbage and packets for another did; answer a packet whose
checksum does not match its token with an error encrypted with its own token; drop packets
whose stamp is more than two minutes from its clock, and replays of a recent message id;
otherwise answer the request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from typing import Any, cast

from custom_components.xiaomi_aiot.miot.errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotProtocolError,
)
from custom_components.xiaomi_aiot.miot.packet import HEADER, HEADER_SIZE, MAGIC, read_header

from . import rpc
from .device import VirtualDevice

_LOGGER = logging.getLogger(__name__)

type Address = tuple[str, int]

ANY_DID = 0xFFFFFFFF
STAMP_WINDOW = 120
CHECKSUM_ERROR = b'{"id":0,"error":{"code":-30001,"message":"checksum error"}}'


def encode_json(message: dict[str, Any]) -> bytes:
    """Compact JSON, as devices send it."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def parse_request(payload: bytes) -> dict[str, Any] | None:
    """The request object of a payload, or None when it is not one (no integer id)."""
    try:
        request = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(request, dict):
        return None
    message_id = request.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return None
    return request


class DeviceEndpoint(asyncio.DatagramProtocol):
    """Answers miIO packets for one device on its own address."""

    def __init__(self, device: VirtualDevice, rng: random.Random) -> None:
        """Serve `device`, drawing fault decisions from `rng`."""
        self.device = device
        self.transport: asyncio.DatagramTransport | None = None
        self._rng = rng
        self._timers: set[asyncio.TimerHandle] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport."""
        self.transport = cast(asyncio.DatagramTransport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the transport and any delayed replies."""
        self._cancel_timers()
        self.transport = None

    def error_received(self, exc: Exception) -> None:
        """ICMP errors (a client went away) are not the device's problem."""
        _LOGGER.debug("%s: %s", self.device.id, exc)

    def close(self) -> None:
        """Stop answering: cancel delayed replies and close the socket."""
        self._cancel_timers()
        if self.transport is not None:
            self.transport.close()

    def _cancel_timers(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    def datagram_received(self, data: bytes, addr: Address) -> None:
        """Handle one packet; nothing a client sends can make this raise."""
        try:
            self._receive(data, addr)
        except Exception:
            _LOGGER.exception("%s: could not handle a packet from %s", self.device.id, addr)

    def _chance(self, probability: float) -> bool:
        return probability > 0 and self._rng.random() < probability

    def _receive(self, data: bytes, addr: Address) -> None:
        device = self.device
        if not device.online or self._chance(device.faults.loss):
            return
        try:
            header = read_header(data)
        except MiotProtocolError:
            return
        if HEADER.unpack_from(data)[1] == HEADER_SIZE:
            if header.did in (ANY_DID, device.did):
                self._reply(None, addr)
            return
        if header.did != device.did:
            return
        try:
            frame = device.codec.decode(data)
        except MiotChecksumError:
            self._reply(CHECKSUM_ERROR, addr)
            return
        except (MiotAuthenticationError, MiotProtocolError):
            return
        if abs(frame.stamp - device.stamp()) <= STAMP_WINDOW:
            self._answer(frame.payload, addr)

    def _answer(self, payload: bytes, addr: Address) -> None:
        """Answer a verified request, unless it is not one or replays a recent id."""
        request = parse_request(payload)
        if request is None or not self.device.remember(request["id"]):
            return
        body = rpc.handle(self.device, request.get("method"), request.get("params", []))
        reply: dict[str, Any] = {"id": request["id"], **body}
        if "result" in body:
            reply["exe_time"] = 0
        self._reply(encode_json(reply), addr)

    def _reply(self, payload: bytes | None, addr: Address) -> None:
        """Send a reply (None: a hello reply), through the device's wire faults."""
        faults = self.device.faults
        garbage = self._chance(faults.garbage)
        duplicate = self._chance(faults.duplicate)
        corrupt = payload is not None and self._chance(faults.corrupt)
        if payload is not None and self._chance(faults.malformed):
            payload = payload[: max(1, len(payload) // 2)]

        def send() -> None:
            if not self.device.online:
                return
            packet = self._packet(payload, corrupt=corrupt)
            if garbage:
                self._send(self._garbage(), addr)
            self._send(packet, addr)
            if duplicate:
                self._send(packet, addr)

        if faults.delay > 0:
            self._later(faults.delay, send)
        else:
            send()

    def _later(self, delay: float, callback: Callable[[], None]) -> None:
        def fire() -> None:
            self._timers.discard(timer)
            try:
                callback()
            except Exception:
                _LOGGER.exception("%s: delayed reply failed", self.device.id)

        timer = asyncio.get_running_loop().call_later(delay, fire)
        self._timers.add(timer)

    def _packet(self, payload: bytes | None, *, corrupt: bool) -> bytes:
        device = self.device
        if payload is None:
            return HEADER.pack(MAGIC, HEADER_SIZE, 0, device.did, device.stamp(), b"\xff" * 16)
        packet = device.codec.encode(device.did, device.stamp(), payload)
        if corrupt:
            flipped = bytes(b ^ 0xFF for b in packet[16:HEADER_SIZE])
            packet = packet[:16] + flipped + packet[HEADER_SIZE:]
        return packet

    def _garbage(self) -> bytes:
        """Random bytes, or a header-shaped packet with a random body."""
        if self._rng.random() < 0.5:
            return self._rng.randbytes(self._rng.randint(1, 96))
        body = self._rng.randbytes(16 * self._rng.randint(1, 4))
        prefix = HEADER.pack(
            MAGIC, HEADER_SIZE + len(body), 0, self.device.did, self.device.stamp(), b"\0" * 16
        )
        return prefix[:16] + self._rng.randbytes(16) + body

    def _send(self, packet: bytes, addr: Address) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        try:
            self.transport.sendto(packet, addr)
        except OSError as err:
            _LOGGER.debug("%s: cannot send to %s: %s", self.device.id, addr, err)
