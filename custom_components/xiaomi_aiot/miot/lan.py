"""miIO over UDP: one session per device, sharing the caller's event loop.

A session learns the device id and clock with a "hello", then sends JSON commands stamped with
the device's clock. Replies are matched by message id; strays (late duplicates, garbage) are
dropped. A failed attempt is retried after a fresh handshake, so a rebooted device (its clock
reset) or a lost packet costs one retry, not an error.

After `subscribe` (``miIO.sub``) the device sends its own messages when its state changes
(``properties_changed``, ``event_occured``). Each is acknowledged with ``{"id": m, "result":
{"code": 0}}``, a repeat of a message already seen is acknowledged again but not handed on, and
the rest are decoded (`reports`) and handed to `on_report`.

A session sends from its own connected socket, or from a `LanSocket` shared by many sessions.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Final

from . import jsonio
from .errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotConnectionError,
    MiotDeviceError,
    MiotError,
    MiotProtocolError,
)
from .packet import HEADER_SIZE, HELLO, Frame, FrameCodec, read_header
from .reports import ReportHandler, decode_report

if TYPE_CHECKING:
    from .udp import LanSocket

_LOGGER = logging.getLogger(__name__)

PORT: Final = 54321
DEFAULT_TIMEOUT: Final = 2.0
DEFAULT_RETRIES: Final = 2
MAX_MESSAGE_ID: Final = 9999
ID_JUMP: Final = 1000
_HELLO: Final = -1
SEEN_REPORTS: Final = 64
"""Message ids of the device's own messages remembered, to hand each on once."""

_SECRET = re.compile(rb'"(token|password|key|mac)"\s*:\s*"[^"]*"')


def _redacted(payload: bytes) -> bytes:
    """A message for the debug log: some devices put their token (and MAC) in miIO.info."""
    return _SECRET.sub(rb'"\1":"**REDACTED**"', payload)


class _Endpoint(asyncio.DatagramProtocol):
    """Hands datagrams and socket errors to the session."""

    def __init__(self, session: DeviceSession) -> None:
        self._session = session

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._session._datagram_received(data)

    def error_received(self, exc: Exception) -> None:
        self._session._fail_pending(MiotConnectionError(f"socket error: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self._session._connection_lost()


class DeviceSession:
    """A miIO conversation with one device: handshake, clock, message ids, retries."""

    def __init__(
        self,
        host: str,
        token: str | bytes,
        *,
        port: int = PORT,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        socket: LanSocket | None = None,
        on_report: ReportHandler | None = None,
    ) -> None:
        """Prepare a session; the socket opens on the first request.

        `socket` is a shared socket to send from (the session opens its own otherwise);
        `on_report` receives the device's own reports, decoded.
        """
        self.host = host
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.on_report = on_report
        self.handshakes = 0
        """Hellos answered: a change after `subscribe` means the device may have rebooted."""
        self._shared = socket
        self._address: tuple[str, int] | None = None
        self._seen_reports: deque[int] = deque(maxlen=SEEN_REPORTS)
        self._codec = FrameCodec(token)
        self._did: int | None = None
        self._clock_offset: float | None = None
        self._next_id = random.randint(1, MAX_MESSAGE_ID)
        self._lock = asyncio.Lock()
        self._transport: asyncio.DatagramTransport | None = None
        self._pending: tuple[int, asyncio.Future[Any]] | None = None
        self._noise: MiotError | None = None
        """What was wrong with a datagram the waiting exchange could not use, if any."""

    @property
    def did(self) -> int | None:
        """The device id learned in the handshake."""
        return self._did

    def device_clock(self) -> int:
        """The device's clock now, as last learned from its replies."""
        if self._clock_offset is None:
            raise MiotConnectionError("no handshake yet")
        return int(asyncio.get_running_loop().time() + self._clock_offset)

    async def send(self, method: str, params: Any = None) -> Any:
        """Send a command and return its `result`; retried, with a fresh handshake after silence."""
        async with self._lock:
            failures: list[MiotError] = []
            handshaken = False
            for _attempt in range(self.retries + 1):
                try:
                    if self._clock_offset is None:
                        await self._exchange(_HELLO, HELLO)
                        handshaken = True
                    return await self._request(method, params)
                except MiotConnectionError as err:
                    _LOGGER.debug("%s: %s failed: %s", self.host, method, err)
                    failures.append(err)
                    # Silence may mean a reboot (the device drops our stale stamps): learn
                    # its clock again, unless this call already did. It may also mean the
                    # device saw our message ids before (from an earlier run): jump ahead.
                    if not handshaken:
                        self._clock_offset = None
                    self._next_id = (self._next_id + ID_JUMP) % MAX_MESSAGE_ID + 1
                except (MiotProtocolError, MiotAuthenticationError) as err:
                    _LOGGER.debug("%s: %s failed: %s", self.host, method, err)
                    failures.append(err)
            if all(isinstance(f, MiotChecksumError | MiotAuthenticationError) for f in failures):
                raise MiotAuthenticationError(
                    f"{self.host} answers, but its replies do not verify with this token"
                ) from failures[-1]
            raise MiotConnectionError(
                f"{self.host} did not answer {method} ({len(failures)} attempts)"
            ) from failures[-1]

    async def subscribe(self, subscriber: str) -> None:
        """Ask the device to send its state changes to this session (``miIO.sub``).

        `subscriber` identifies us to the device. A device that refuses raises
        `MiotDeviceError`; one that does not answer, `MiotConnectionError`.
        """
        params = {"version": "2.0", "did": subscriber, "update_ts": int(time.time())}
        result = await self.send("miIO.sub", {**params, "sub_method": "."})
        if not _accepted(result):
            raise MiotDeviceError(-1, f"{self.host} refused the subscription: {result!r}")

    async def handshake(self) -> int:
        """Say hello and learn the device id and clock; return the device id.

        A lost hello is said again, up to `retries` times.
        """
        async with self._lock:
            for attempt in range(self.retries + 1):
                try:
                    await self._exchange(_HELLO, HELLO)
                    break
                except MiotConnectionError:
                    if attempt == self.retries:
                        raise
        assert self._did is not None
        return self._did

    def close(self) -> None:
        """Close the socket (or leave the shared one); a later request opens it again."""
        if self._shared is not None:
            if self._address is not None:
                self._shared.detach(self._address, self)
                self._address = None
            return
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def _request(self, method: str, params: Any) -> Any:
        assert self._did is not None
        message_id = self._next_id
        self._next_id = message_id % MAX_MESSAGE_ID + 1
        message: dict[str, Any] = {"id": message_id, "method": method}
        message["params"] = [] if params is None else params
        payload = jsonio.dumps(message)
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("%s <- %s", self.host, _redacted(payload))
        packet = self._codec.encode(self._did, self.device_clock(), payload)
        reply = await self._exchange(message_id, packet)
        if "error" in reply:
            error = reply["error"]
            if isinstance(error, dict):
                raise MiotDeviceError(int(error.get("code", -1)), str(error.get("message", "")))
            raise MiotDeviceError(-1, str(error))
        if "result" not in reply:
            raise MiotProtocolError("reply has neither result nor error")
        return reply["result"]

    async def _exchange(self, message_id: int, packet: bytes) -> Any:
        """Send one packet and wait for the reply with this id (or the hello reply)."""
        if self._shared is None:
            return await self._exchange_now(message_id, packet)
        async with self._shared.slots:
            return await self._exchange_now(message_id, packet)

    async def _exchange_now(self, message_id: int, packet: bytes) -> Any:
        await self._open()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._pending = (message_id, future)
        self._noise = None
        timer = loop.call_later(self.timeout, self._time_out, future)
        try:
            self._sendto(packet)
            return await future
        finally:
            timer.cancel()
            self._pending = None

    def _time_out(self, future: asyncio.Future[Any]) -> None:
        """No usable reply in time: what came instead (a wrong token shows here), or silence."""
        if not future.done():
            silence = MiotConnectionError(f"{self.host} did not answer in {self.timeout} s")
            future.set_exception(self._noise or silence)

    def _sendto(self, packet: bytes) -> None:
        if self._shared is not None:
            assert self._address is not None
            self._shared.sendto(packet, self._address)
        elif self._transport is not None and not self._transport.is_closing():
            self._transport.sendto(packet)

    async def _open(self) -> None:
        if self._shared is not None:
            if self._address is None or self._shared.local_address is None:
                self._address = await self._shared.attach(self, self.host, self.port)
            return
        if self._transport is None or self._transport.is_closing():
            loop = asyncio.get_running_loop()
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: _Endpoint(self), remote_addr=(self.host, self.port)
                )
            except OSError as err:
                raise MiotConnectionError(f"cannot reach {self.host}: {err}") from err
            self._transport = transport

    def _waiting(self) -> tuple[int, asyncio.Future[Any]] | None:
        if self._pending is None or self._pending[1].done():
            return None
        return self._pending

    def _datagram_received(self, data: bytes) -> None:
        pending = self._waiting()
        if len(data) == HEADER_SIZE:
            if pending is None or pending[0] != _HELLO:
                _LOGGER.debug("%s: dropped a hello reply nobody waits for", self.host)
                return
            try:
                self._hello_received(read_header(data), pending[1])
            except MiotError as err:
                _LOGGER.debug("%s: dropped a malformed datagram: %s", self.host, err)
            return
        # A datagram that does not verify or parse may be noise on the network, with the real
        # reply still to come: it is remembered, and only if nothing better comes in time is
        # it the answer (a device with another token answers only such datagrams).
        try:
            frame = self._codec.decode(data)
        except MiotChecksumError as err:
            self._noted(pending, err)
            return
        except MiotError as err:
            _LOGGER.debug("%s: dropped a malformed datagram: %s", self.host, err)
            return
        try:
            message = jsonio.loads(frame.payload)
        except ValueError:
            self._noted(pending, MiotProtocolError("reply is not JSON"))
            return
        if isinstance(message, dict) and "method" in message:
            self._report_received(frame, message)
        elif pending is not None and pending[0] != _HELLO:
            self._reply_received(frame, message, *pending)
        else:
            _LOGGER.debug("%s: dropped a datagram nobody waits for", self.host)

    def _noted(self, pending: tuple[int, asyncio.Future[Any]] | None, error: MiotError) -> None:
        _LOGGER.debug("%s: dropped a datagram: %s", self.host, error)
        if pending is not None and pending[0] != _HELLO:
            self._noise = error

    def _hello_received(self, frame: Frame, future: asyncio.Future[Any]) -> None:
        self._did = frame.did
        self._clock_offset = frame.stamp - asyncio.get_running_loop().time()
        self.handshakes += 1
        future.set_result(frame)

    def _reply_received(
        self, frame: Frame, reply: Any, expected: int, future: asyncio.Future[Any]
    ) -> None:
        if not isinstance(reply, dict) or reply.get("id") != expected:
            _LOGGER.debug("%s: dropped a stray reply", self.host)
            return
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("%s -> %s", self.host, _redacted(frame.payload))
        self._clock_offset = frame.stamp - asyncio.get_running_loop().time()
        future.set_result(reply)

    def _report_received(self, frame: Frame, message: dict[str, Any]) -> None:
        """A message the device sent of itself: acknowledge it, hand it on once."""
        message_id = message.get("id")
        method = message.get("method")
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            _LOGGER.debug("%s: dropped a device message without an id", self.host)
            return
        if self._did is not None and frame.did != self._did:
            _LOGGER.debug("%s: dropped a message of another device", self.host)
            return
        ack = jsonio.dumps({"id": message_id, "result": {"code": 0}})
        self._sendto(self._codec.encode(frame.did, frame.stamp, ack))
        if message_id in self._seen_reports:
            return
        self._seen_reports.append(message_id)
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("%s => %s", self.host, _redacted(frame.payload))
        if self.on_report is None:
            return
        report = decode_report(method, message.get("params")) if isinstance(method, str) else None
        if report is None:
            _LOGGER.debug("%s: ignored a device message it could not read (%s)", self.host, method)
            return
        try:
            self.on_report(report)
        except Exception:
            _LOGGER.exception("%s: handling %s failed", self.host, method)

    def _fail_pending(self, error: MiotError) -> None:
        if self._pending is not None and not self._pending[1].done():
            self._pending[1].set_exception(error)

    def _connection_lost(self) -> None:
        self._transport = None
        self._address = None
        self._fail_pending(MiotConnectionError("socket closed"))


def _accepted(result: Any) -> bool:
    """Whether a reply says yes: ``{"code": 0}`` (MIoT) or ``["ok"]`` (older miIO)."""
    if isinstance(result, dict):
        return bool(result.get("code") == 0)
    return bool(result == ["ok"])
