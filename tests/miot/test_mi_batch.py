"""PropertyBatcher merges the reads of many devices into few requests, and keeps them apart."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence

import pytest

from custom_components.xiaomi_aiot.miot.cloud_models import CloudProperty
from custom_components.xiaomi_aiot.miot.device import NO_ANSWER
from custom_components.xiaomi_aiot.miot.errors import (
    MiotConnectionError,
    MiotDeviceOfflineError,
    MiotProtocolError,
)
from custom_components.xiaomi_aiot.miot.mi_batch import BATCH_LIMIT, CloudKey, PropertyBatcher

TIMEOUT = 30.0


class FakeCloud:
    """A read function that answers every key with a value made from it, and counts requests.

    ``failing`` dids make a request that names them fail with ``error``; ``left_out`` keys are
    missing from answers; answers come back in reverse order; while ``gate`` is set, requests
    wait for it.
    """

    def __init__(self) -> None:
        self.requests: list[list[CloudKey]] = []
        self.failing: set[str] = set()
        self.error: Exception = MiotConnectionError("the app API could not be reached")
        self.left_out: set[CloudKey] = set()
        self.gate: asyncio.Event | None = None
        self.finished = 0
        self.sent = asyncio.Event()

    async def read(self, keys: Sequence[CloudKey]) -> list[CloudProperty]:
        self.requests.append(list(keys))
        self.sent.set()
        if self.gate is not None:
            await self.gate.wait()
        if any(did in self.failing for did, _, _ in keys):
            raise self.error
        self.finished += 1
        return [
            CloudProperty(did, siid, piid, 0, value(did, siid, piid))
            for did, siid, piid in reversed(keys)
            if (did, siid, piid) not in self.left_out
        ]


def value(did: str, siid: int, piid: int) -> str:
    """The value the fake cloud gives a property."""
    return f"{did}/{siid}.{piid}"


def device_keys(count: int) -> list[tuple[int, int]]:
    """``count`` keys of one device, not in spec order."""
    return [(2 + n % 3, 10 - n // 3) for n in range(count)]


def expected(did: str, keys: Sequence[tuple[int, int]]) -> list[CloudProperty]:
    """What a caller should get back for its keys."""
    return [CloudProperty(did, s, p, 0, value(did, s, p)) for s, p in keys]


async def read_all(
    batcher: PropertyBatcher, devices: dict[str, list[tuple[int, int]]]
) -> list[list[CloudProperty] | BaseException]:
    """Every device's read, started in the same loop turn, with their outcomes."""
    async with asyncio.timeout(TIMEOUT):
        return await asyncio.gather(
            *(batcher.get(did, keys) for did, keys in devices.items()), return_exceptions=True
        )


async def test_devices_polled_together_cost_one_request_per_limit_of_properties() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, limit=50)
    devices = {f"10{n:02d}": device_keys(7) for n in range(30)}

    results = await read_all(batcher, devices)

    assert len(cloud.requests) == math.ceil(30 * 7 / 50) == 5
    assert [len(request) for request in cloud.requests] == [50, 50, 50, 50, 10]
    assert results == [expected(did, keys) for did, keys in devices.items()]


async def test_each_caller_gets_its_own_results_in_its_own_order() -> None:
    cloud = FakeCloud()  # answers in reverse order
    batcher = PropertyBatcher(cloud.read)
    devices = {"1": [(3, 1), (2, 2), (2, 1)], "2": [(2, 1), (5, 9)], "3": [(7, 7)]}

    results = await read_all(batcher, devices)

    assert len(cloud.requests) == 1
    assert results == [expected(did, keys) for did, keys in devices.items()]


async def test_the_default_limit_is_xiaomis_and_a_full_request_is_not_exceeded() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read)
    devices = {f"d{n}": device_keys(20) for n in range(16)}  # 320 properties

    results = await read_all(batcher, devices)

    assert batcher.limit == BATCH_LIMIT == 150
    assert [len(request) for request in cloud.requests] == [150, 150, 20]
    assert results == [expected(did, keys) for did, keys in devices.items()]


async def test_one_device_over_the_limit_is_split_and_put_back_together() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, limit=4)
    keys = [(s, p) for s in range(2, 5) for p in range(1, 4)]  # 9 properties

    async with asyncio.timeout(TIMEOUT):
        result = await batcher.get("42", keys)

    assert [len(request) for request in cloud.requests] == [4, 4, 1]
    assert result == expected("42", keys)


async def test_a_failed_request_fails_only_its_callers_with_its_own_error() -> None:
    cloud = FakeCloud()
    cloud.failing = {"b"}
    cloud.error = MiotDeviceOfflineError("the device is offline (-704042011)")
    batcher = PropertyBatcher(cloud.read, limit=10)
    # a, b in the first request; c, d in the second.
    devices = {did: device_keys(5) for did in "abcd"}

    results = await read_all(batcher, devices)

    assert len(cloud.requests) == 2
    assert results[0] is cloud.error
    assert results[1] is cloud.error
    assert results[2:] == [expected(did, devices[did]) for did in "cd"]


async def test_a_caller_split_over_two_requests_fails_when_either_does() -> None:
    cloud = FakeCloud()
    cloud.failing = {"c"}
    batcher = PropertyBatcher(cloud.read, limit=4)
    # a: 3 keys, b: 3 keys (one in the first request, two in the second), c: 2 keys.
    devices = {"a": device_keys(3), "b": device_keys(3), "c": device_keys(2)}

    results = await read_all(batcher, devices)

    assert [len(request) for request in cloud.requests] == [4, 4]
    assert results[0] == expected("a", devices["a"])
    assert isinstance(results[1], MiotConnectionError)
    assert isinstance(results[2], MiotConnectionError)


async def test_no_device_is_lost_after_a_failed_round() -> None:
    cloud = FakeCloud()
    cloud.failing = {"a"}
    cloud.error = MiotProtocolError("the app API answer is not base64 text")
    batcher = PropertyBatcher(cloud.read, limit=6)
    devices = {did: device_keys(3) for did in "abcd"}

    first = await read_all(batcher, devices)
    cloud.failing = set()
    second = await read_all(batcher, devices)

    assert first[:2] == [cloud.error, cloud.error]
    assert first[2:] == [expected(did, devices[did]) for did in "cd"]
    assert second == [expected(did, keys) for did, keys in devices.items()]
    assert len(cloud.requests) == 4


async def test_a_key_left_out_of_the_answer_comes_back_with_an_error_code() -> None:
    cloud = FakeCloud()
    cloud.left_out = {("1", 2, 2)}
    batcher = PropertyBatcher(cloud.read)

    results = await read_all(batcher, {"1": [(2, 1), (2, 2)], "2": [(2, 2)]})

    assert results == [
        [CloudProperty("1", 2, 1, 0, value("1", 2, 1)), CloudProperty("1", 2, 2, NO_ANSWER)],
        expected("2", [(2, 2)]),
    ]


async def test_a_cancelled_caller_does_not_cancel_the_others_request() -> None:
    cloud = FakeCloud()
    cloud.gate = asyncio.Event()
    batcher = PropertyBatcher(cloud.read)
    devices = {did: device_keys(2) for did in "abc"}
    tasks = {did: asyncio.create_task(batcher.get(did, keys)) for did, keys in devices.items()}
    async with asyncio.timeout(TIMEOUT):
        await cloud.sent.wait()

    tasks["b"].cancel()
    cloud.gate.set()
    async with asyncio.timeout(TIMEOUT):
        results = await asyncio.gather(*tasks.values(), return_exceptions=True)

    assert isinstance(results[1], asyncio.CancelledError)
    assert results[0] == expected("a", devices["a"])
    assert results[2] == expected("c", devices["c"])
    assert len(cloud.requests) == 1
    assert cloud.finished == 1


async def test_a_caller_cancelled_before_the_request_leaves_is_not_sent() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, window=2.0)
    a = asyncio.create_task(batcher.get("a", [(2, 1)]))
    b = asyncio.create_task(batcher.get("b", [(2, 1), (2, 2)]))
    await asyncio.sleep(0)

    b.cancel()
    async with asyncio.timeout(TIMEOUT):
        result = await a
    with pytest.raises(asyncio.CancelledError):
        await b

    assert result == expected("a", [(2, 1)])
    assert cloud.requests == [[("a", 2, 1)]]


async def test_a_window_collects_reads_that_arrive_apart() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, window=2.0)

    async def poll(did: str, delay: float) -> list[CloudProperty]:
        await asyncio.sleep(delay)
        return await batcher.get(did, [(2, 1)])

    async with asyncio.timeout(TIMEOUT):
        results = await asyncio.gather(poll("a", 0), poll("b", 0.05), poll("c", 0.1))

    assert len(cloud.requests) == 1
    assert results == [expected(did, [(2, 1)]) for did in "abc"]


async def test_a_round_leaves_once_every_poller_has_asked() -> None:
    """With the pollers known, the last one's read sends the round: no waiting out the window."""
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, window=600.0)
    batcher.pollers |= {"a", "b"}

    async def poll(did: str, delay: float) -> list[CloudProperty]:
        await asyncio.sleep(delay)
        return await batcher.get(did, [(2, 1)])

    async with asyncio.timeout(TIMEOUT):
        results = await asyncio.gather(poll("a", 0), poll("b", 0.05))

    assert cloud.requests == [[("a", 2, 1), ("b", 2, 1)]]
    assert results == [expected(did, [(2, 1)]) for did in "ab"]


async def test_a_read_of_a_device_that_does_not_poll_does_not_end_the_round() -> None:
    """Only the pollers complete a round: another device's read waits for them (or the
    window), then goes with them."""
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, window=600.0)
    batcher.pollers.add("a")
    other = asyncio.ensure_future(batcher.get("x", [(2, 1)]))
    await asyncio.sleep(0.05)
    assert cloud.requests == []
    async with asyncio.timeout(TIMEOUT):
        assert await batcher.get("a", [(2, 1)]) == expected("a", [(2, 1)])
        assert await other == expected("x", [(2, 1)])
    assert cloud.requests == [[("x", 2, 1), ("a", 2, 1)]]


async def test_without_a_window_only_reads_of_the_same_loop_turn_are_merged() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read)

    async def poll(did: str, delay: float) -> list[CloudProperty]:
        await asyncio.sleep(delay)
        return await batcher.get(did, [(2, 1)])

    async with asyncio.timeout(TIMEOUT):
        await asyncio.gather(poll("a", 0), poll("b", 0), poll("c", 0.2))

    assert cloud.requests == [[("a", 2, 1), ("b", 2, 1)], [("c", 2, 1)]]


async def test_a_full_request_leaves_without_waiting_for_the_window() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read, limit=4, window=600.0)

    async with asyncio.timeout(TIMEOUT):
        result = await batcher.get("a", device_keys(4))

    assert result == expected("a", device_keys(4))
    assert len(cloud.requests) == 1


async def test_closing_fails_the_reads_still_waiting() -> None:
    cloud = FakeCloud()
    cloud.gate = asyncio.Event()
    batcher = PropertyBatcher(cloud.read, window=600.0)
    waiting = asyncio.create_task(batcher.get("a", [(2, 1)]))
    sent = asyncio.create_task(batcher.get("b", device_keys(BATCH_LIMIT)))
    async with asyncio.timeout(TIMEOUT):
        await cloud.sent.wait()

    await batcher.close()

    for task in (waiting, sent):
        with pytest.raises(MiotConnectionError):
            await task
    with pytest.raises(MiotConnectionError):
        await batcher.get("c", [(2, 1)])


async def test_no_keys_need_no_request() -> None:
    cloud = FakeCloud()
    batcher = PropertyBatcher(cloud.read)

    assert await batcher.get("a", []) == []
    assert cloud.requests == []


@pytest.mark.parametrize(("limit", "window"), [(0, 0.0), (1, -0.1)])
def test_a_limit_below_one_or_a_negative_window_is_refused(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match=r"limit|window"):
        PropertyBatcher(FakeCloud().read, limit=limit, window=window)
