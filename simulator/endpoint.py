"""The miIO UDP endpoint of one virtual device, with its wire-level faults.

What a real device does with a packet, in order: ignore it when offline (or lost); answer a
hello with its did and clock; drop garbage and packets for another did; answer a packet whose
checksum does not match its token with an error encrypted with its own token; drop packets
whose stamp is more than two minutes from its clock; take a subscriber's acknowledgement of a
push report (a message with a result or error and no method) without answering it; drop
replays of a recent message id; otherwise answer the request. Push reports (`simulator.push`)
go out through the same wire faults as replies, and the ``loss`` fault drops them too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from typing import Any, cast

from custom_components.xiaomi_aiot.miot.codes import MiotCode
from custom_components.xiaomi_aiot.miot.errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotProtocolError,
)
from custom_components.xiaomi_aiot.miot.packet import HEADER, HEADER_SIZE, MAGIC, read_header

from . import rpc
from .device import VirtualDevice
from .push import REPORT_RETRIES, REPORT_RETRY_INTERVAL, Reporter, encode_json
from .subscriptions import Address

_LOGGER = logging.getLogger(__name__)

ANY_DID = 0xFFFFFFFF
STAMP_WINDOW = 120
CHECKSUM_ERROR = b'{"id":0,"error":{"code":%d,"message":"checksum error"}}' % (
    MiotCode.CHECKSUM_ERROR
)


def parse_message(payload: bytes) -> dict[str, Any] | None:
    """The message object of a payload, or None when it is not one (no integer id)."""
    try:
        message = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(message, dict):
        return None
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return None
    return message


def is_acknowledgement(message: dict[str, Any]) -> bool:
    """Whether a message answers something (a push report) rather than asks."""
    return "method" not in message and ("result" in message or "error" in message)


class DeviceEndpoint(asyncio.DatagramProtocol):
    """Answers miIO packets for one device on its own address."""

    def __init__(
        self,
        device: VirtualDevice,
        rng: random.Random,
        *,
        retry_interval: float = REPORT_RETRY_INTERVAL,
        retries: int = REPORT_RETRIES,
    ) -> None:
        """Serve `device`, drawing fault decisions from `rng`.

        `retry_interval` and `retries` say how push reports are retried (see `Reporter`).
        """
        self.device = device
        self.transport: asyncio.DatagramTransport | None = None
        self._rng = rng
        self._timers: set[asyncio.TimerHandle] = set()
        self.reporter = Reporter(
            device, self._report, rng, retry_interval=retry_interval, retries=retries
        )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport and start reporting to subscribers."""
        self.transport = cast(asyncio.DatagramTransport, transport)
        self.reporter.start(asyncio.get_running_loop())

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the transport, delayed replies and reports in flight."""
        self.reporter.stop()
        self._cancel_timers()
        self.transport = None

    def error_received(self, exc: Exception) -> None:
        """ICMP errors (a client went away) are not the device's problem."""
        _LOGGER.debug("%s: %s", self.device.id, exc)

    def close(self) -> None:
        """Stop answering and reporting: cancel delayed replies and close the socket."""
        self.reporter.stop()
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
        message = parse_message(payload)
        if message is None:
            return
        if is_acknowledgement(message):
            # Report ids are the device's own: an ack is neither answered nor remembered.
            self.reporter.acknowledge(message["id"])
            return
        if not self.device.remember(message["id"]):
            return
        method, params = message.get("method"), message.get("params", [])
        body = rpc.handle(self.device, method, params, sender=addr)
        reply: dict[str, Any] = {"id": message["id"], **body}
        if "result" in body:
            reply["exe_time"] = 0
        self._reply(encode_json(reply), addr)

    def _report(self, payload: bytes, addr: Address) -> None:
        """Send a push report: like a reply, but lost with the ``loss`` probability."""
        if not self._chance(self.device.faults.loss):
            self._reply(payload, addr)

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
