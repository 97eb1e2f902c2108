"""One UDP socket shared by many device sessions.

Devices answer from the address they were sent to, so datagrams are handed to the sessions
registered for their sender (usually one; each drops what is not its own). One socket serves
any number of devices: one file descriptor and one transport instead of one per device, and
the same port for every device's push messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from typing import Any, Protocol

from .errors import MiotConnectionError

_LOGGER = logging.getLogger(__name__)

type Address = tuple[str, int]


class DatagramSession(Protocol):
    """What the socket hands a device's datagrams to: `lan.DeviceSession`, which imports this
    module (so this one names it by what it does)."""

    def _datagram_received(self, data: bytes) -> None: ...

    def _connection_lost(self) -> None: ...


RECEIVE_BUFFER = 4 * 1024 * 1024
"""Bytes asked for the socket's receive buffer: replies of hundreds of devices arrive at once.
The kernel caps it (``net.core.rmem_max``)."""
IN_FLIGHT = 64
"""Requests waiting for a reply at once: bounds a burst of replies to what the receive buffer
holds even where the kernel keeps it at its default size (about 200 KiB)."""


class LanSocket(asyncio.DatagramProtocol):
    """A UDP socket bound to any local port, shared by the sessions registered on it."""

    def __init__(self, local_host: str = "0.0.0.0", *, in_flight: int = IN_FLIGHT) -> None:
        """Prepare the socket; it opens when the first session needs it.

        At most `in_flight` requests of all the sessions wait for their replies at once.
        """
        self.local_host = local_host
        self.slots = asyncio.Semaphore(in_flight)
        self._transport: asyncio.DatagramTransport | None = None
        self._opening: asyncio.Lock | None = None
        self._sessions: dict[Address, list[DatagramSession]] = {}

    @property
    def sessions(self) -> int:
        """How many sessions use the socket."""
        return sum(len(sessions) for sessions in self._sessions.values())

    @property
    def local_address(self) -> Address | None:
        """The address the socket is bound to, once open."""
        if self._transport is None:
            return None
        name = self._transport.get_extra_info("sockname")
        return (str(name[0]), int(name[1])) if name else None

    async def attach(self, session: DatagramSession, host: str, port: int) -> Address:
        """Open the socket if needed, resolve `host`, and hand its datagrams to `session`."""
        await self._ensure_open()
        address = (await _resolve(host), port)
        sessions = self._sessions.setdefault(address, [])
        if session not in sessions:
            sessions.append(session)
        return address

    def detach(self, address: Address, session: DatagramSession) -> None:
        """Stop handing datagrams from `address` to `session`."""
        sessions = self._sessions.get(address, [])
        if session in sessions:
            sessions.remove(session)
        if not sessions:
            self._sessions.pop(address, None)

    def sendto(self, packet: bytes, address: Address) -> None:
        """Send a datagram; nothing happens while the socket is closed (the caller times out)."""
        if self._transport is not None and not self._transport.is_closing():
            self._transport.sendto(packet, address)

    def close(self) -> None:
        """Close the socket; sessions open it again on their next request."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def _ensure_open(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            return
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._transport is not None and not self._transport.is_closing():
                return
            loop = asyncio.get_running_loop()
            try:
                transport, _ = await loop.create_datagram_endpoint(
                    lambda: self, local_addr=(self.local_host, 0), family=socket.AF_INET
                )
            except OSError as err:
                raise MiotConnectionError(f"cannot open a UDP socket: {err}") from err
            sock = transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            self._transport = transport

    # asyncio.DatagramProtocol

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        """Hand a datagram to the sessions of its sender; drop those of unknown senders."""
        sessions = self._sessions.get((addr[0], addr[1]))
        if not sessions:
            _LOGGER.debug("dropped a datagram from %s, no session for it", addr)
            return
        for session in tuple(sessions):
            session._datagram_received(data)

    def error_received(self, exc: Exception) -> None:
        """An unconnected socket sees few errors; each request times out on its own."""
        _LOGGER.debug("socket error: %s", exc)

    def connection_lost(self, exc: Exception | None) -> None:
        """Fail what the sessions wait for; the next request opens a new socket."""
        self._transport = None
        sessions = [session for group in self._sessions.values() for session in group]
        self._sessions.clear()
        for session in sessions:
            session._connection_lost()


async def _resolve(host: str) -> str:
    """The IPv4 address datagrams from `host` come from."""
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, family=socket.AF_INET, type=socket.SOCK_DGRAM)
    except OSError as err:
        raise MiotConnectionError(f"cannot resolve {host}: {err}") from err
    if not infos:
        raise MiotConnectionError(f"cannot resolve {host}")
    return str(infos[0][4][0])
