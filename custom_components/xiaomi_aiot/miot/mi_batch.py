"""One account's property reads of many devices, merged into few ``/miotspec/prop/get`` calls.

The app API reads the properties of several devices in one request (``{"params": [{"did",
"siid", "piid"}, ...]}``), up to `BATCH_LIMIT` items. Each device's poller asks `PropertyBatcher`
for its own keys; requests that arrive within a short window go out together, cut into
⌈properties / limit⌉ requests, and each poller gets back its own results.

`BATCH_LIMIT` is Xiaomi's own integration's: XiaoMi/ha_xiaomi_home,
``custom_components/xiaomi_home/miot/miot_cloud.py``, ``MIoTHttpClient.GET_PROP_MAX_REQ_COUNT =
150`` (the most items ``__get_prop_handler`` puts in one ``/app/v2/miotspec/prop/get``), and
``miot_client.py``, ``MIoTClient.__refresh_props_from_cloud(patch_len=150)``. Neither
al-one/hass-xiaomi-miot (``core/xiaomi_cloud.py`` sends one device's mapping per request; its
``chunk_properties`` of 15 is for the LAN) nor micloud 0.6 (no ``prop/get`` helper) sets one.
No client caps ``prop/set``: ha_xiaomi_home's ``set_prop_async`` sends one property a call.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from .cloud_models import CloudProperty
from .device import NO_ANSWER
from .errors import MiotConnectionError

_LOGGER = logging.getLogger(__name__)

BATCH_LIMIT: Final = 150
"""The most items of one ``/miotspec/prop/get`` (ha_xiaomi_home's ``GET_PROP_MAX_REQ_COUNT``)."""

COORDINATOR_WINDOW: Final = 0.5
"""A window that collects every same-interval `DataUpdateCoordinator` of one second.

Home Assistant schedules each coordinator's refresh at ``int(loop.time()) + interval`` plus a
random offset of its own between ``RANDOM_MICROSECOND_MIN`` and ``RANDOM_MICROSECOND_MAX``
(0.05 and 0.50 s; ``helpers/update_coordinator.py``, ``helpers/event.py``), so polls due in the
same second arrive at most 0.45 s apart. ha_xiaomi_home waits 0.2 s
(``GET_PROP_AGGREGATE_INTERVAL``) for the same purpose.
"""

type CloudKey = tuple[str, int, int]
"""``(did, siid, piid)``."""
type ReadProperties = Callable[[Sequence[CloudKey]], Awaitable[list[CloudProperty]]]
"""Reads properties of any devices in one request (`MiAppClient.get_properties`)."""


@dataclass(eq=False, slots=True)
class _Caller:
    """One `PropertyBatcher.get` call: its keys, what has come back, and its future."""

    did: str
    keys: tuple[tuple[int, int], ...]
    future: asyncio.Future[list[CloudProperty]]
    unsent: int = 0
    in_flight: int = 0
    found: dict[tuple[int, int], CloudProperty] = field(default_factory=dict)

    def answer(self) -> None:
        """Resolve with every key's result, in the caller's order, once all have come."""
        if self.unsent == 0 and self.in_flight == 0 and not self.future.done():
            self.future.set_result([self.found[key] for key in self.keys])

    def fail(self, error: BaseException) -> None:
        """Fail with the error of a request that carried some of this caller's keys."""
        if not self.future.done():
            self.future.set_exception(error)


@dataclass(frozen=True, slots=True)
class _Item:
    """One key waiting to be sent, and whose it is."""

    caller: _Caller
    siid: int
    piid: int


class PropertyBatcher:
    """Merges concurrent property reads of one account's devices into few requests.

    Reads that arrive within ``window`` seconds of the first (0: in the same turn of the event
    loop) go out together, `limit` items a request; a full request goes at once. A request that
    fails fails only the callers with keys in it, each with the request's own error; a key the
    answer leaves out comes back with code `NO_ANSWER`. A cancelled caller's unsent keys are
    dropped; requests already sent go on for the others.

    A device that is offline answers its items with ``MiotCode.DEVICE_OFFLINE``; when every
    device of a request is offline the cloud refuses the whole request, so its callers get
    `MiotDeviceOfflineError` instead.
    """

    def __init__(
        self, read: ReadProperties, *, limit: int = BATCH_LIMIT, window: float = 0.0
    ) -> None:
        """Send through ``read``; ``limit`` items a request, after ``window`` seconds."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if window < 0:
            raise ValueError(f"window must not be negative, not {window}")
        self._read = read
        self._limit = limit
        self._window = window
        self._pending: deque[_Item] = deque()
        self._timer: asyncio.Handle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._round: set[str] = set()
        self.pollers: set[str] = set()
        """The devices that read at every poll round: once each of them is waiting, the
        window is over (a round does not wait longer than its last device)."""

    @property
    def limit(self) -> int:
        """The most items of one request."""
        return self._limit

    @property
    def window(self) -> float:
        """How long reads are collected before they are sent, in seconds."""
        return self._window

    async def get(self, did: str, keys: Iterable[tuple[int, int]]) -> list[CloudProperty]:
        """Read ``(siid, piid)`` keys of one device: a result for each, in the same order."""
        if self._closed:
            raise MiotConnectionError("the property batcher is closed")
        loop = asyncio.get_running_loop()
        caller = _Caller(did, tuple(keys), loop.create_future())
        if not caller.keys:
            return []
        caller.unsent = len(caller.keys)
        self._round.add(did)
        self._pending.extend(_Item(caller, siid, piid) for siid, piid in caller.keys)
        while len(self._pending) >= self._limit:
            self._send(loop, self._limit)
        if self._pending and self._window and self._round_complete():
            self._cancel_timer()
            self._flush(loop)
        elif self._pending and self._timer is None:
            if self._window:
                self._timer = loop.call_later(self._window, self._flush, loop)
            else:
                self._timer = loop.call_soon(self._flush, loop)
        try:
            return await caller.future
        except asyncio.CancelledError:
            self._drop(caller)
            raise

    def _round_complete(self) -> bool:
        """Whether every poller has a read waiting."""
        if not self.pollers:
            return False
        return self.pollers <= self._round

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def close(self) -> None:
        """Stop: reads waiting or under way fail with `MiotConnectionError`."""
        self._closed = True
        self._cancel_timer()
        closed = MiotConnectionError("the property batcher is closed")
        while self._pending:
            self._pending.popleft().caller.fail(closed)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        self._round.clear()
        while self._pending:
            self._send(loop, min(self._limit, len(self._pending)))

    def _send(self, loop: asyncio.AbstractEventLoop, count: int) -> None:
        items = [self._pending.popleft() for _ in range(count)]
        callers = list(dict.fromkeys(item.caller for item in items))
        for item in items:
            item.caller.unsent -= 1
        for caller in callers:
            caller.in_flight += 1
        task = loop.create_task(self._request(items, callers))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _request(self, items: list[_Item], callers: list[_Caller]) -> None:
        keys = [(item.caller.did, item.siid, item.piid) for item in items]
        _LOGGER.debug("reading %d properties of %d devices", len(keys), len(callers))
        try:
            answer = await self._read(keys)
        except asyncio.CancelledError:
            self._fail(callers, MiotConnectionError("the property batcher is closed"))
            raise
        except Exception as err:  # each caller gets the request's own error
            self._fail(callers, err)
            return
        found = {(result.did, result.siid, result.piid): result for result in answer}
        for item, key in zip(items, keys, strict=True):
            result = found.get(key)
            item.caller.found[item.siid, item.piid] = (
                result if result is not None else CloudProperty(*key, NO_ANSWER)
            )
        for caller in callers:
            caller.in_flight -= 1
            caller.answer()

    def _fail(self, callers: list[_Caller], error: BaseException) -> None:
        for caller in callers:
            caller.fail(error)
            self._drop(caller)

    def _drop(self, caller: _Caller) -> None:
        """Forget a caller's keys that are not sent yet."""
        if caller.unsent:
            self._pending = deque(item for item in self._pending if item.caller is not caller)
            caller.unsent = 0
