"""Push reports to subscribers, as a raw subscriber sees them on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from simulator import Simulator, VirtualDevice

# The clients come from conftest.py: `udp` and `open_udp` give raw clients, `new_subscriber`
# a PushClient (subscribe, report, ack, unsubscribe, silence) on a socket of its own.
type StartSimulator = Callable[..., Awaitable[Simulator]]
type OpenClient = Callable[[], Awaitable[Any]]
type NewSubscriber = Callable[[VirtualDevice], Awaitable[Any]]
INTERVAL = 0.15
HOME: dict[str, Any] = {
    "rooms": ["Hall"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall", "state": {"on": True}},
        {"id": "lock", "kind": "lock", "name": "Front Door", "room": "Hall"},
    ],
}
SUB_PARAMS = {"version": "2.0", "did": "ha", "update_ts": 1, "sub_method": "."}


@pytest.fixture
async def sim(start_simulator: StartSimulator) -> Simulator:
    """A lamp and a lock whose reports are retried every `INTERVAL` seconds."""
    return await start_simulator(HOME, report_retry_interval=INTERVAL)


@pytest.fixture
def lamp(sim: Simulator) -> VirtualDevice:
    """The running lamp."""
    return sim.devices["lamp"]


@pytest.fixture
async def subscriber(lamp: VirtualDevice, new_subscriber: NewSubscriber) -> Any:
    """A subscriber of the lamp."""
    push = await new_subscriber(lamp)
    assert (await push.subscribe())["result"] == {"code": 0}
    return push


def changed(device: VirtualDevice, *items: tuple[int, int, Any]) -> list[dict[str, Any]]:
    """The params of a properties_changed."""
    did = str(device.did)
    return [{"did": did, "siid": s, "piid": p, "value": v} for s, p, v in items]


async def test_subscribe_is_answered_and_listed(
    lamp: VirtualDevice, new_subscriber: NewSubscriber
) -> None:
    """miIO.sub answers code 0; the device lists the subscriber's address, did and update_ts."""
    push = await new_subscriber(lamp)
    reply = await push.subscribe(did="ha-1", update_ts=1_763_769_600)
    assert reply["result"] == {"code": 0}
    assert lamp.describe()["subscribers"] == [
        {"address": push.address, "did": "ha-1", "update_ts": 1_763_769_600}
    ]
    await push.subscribe(did="ha-2", update_ts=1_763_769_700)
    assert lamp.describe()["subscribers"] == [
        {"address": push.address, "did": "ha-2", "update_ts": 1_763_769_700}
    ]


async def test_a_change_over_the_lan_reaches_the_subscriber(
    lamp: VirtualDevice, subscriber: Any, open_udp: OpenClient
) -> None:
    """A set_properties from another socket is reported to the subscriber, not to the sender."""
    other = await open_udp()
    reply = await other.call(lamp, "set_properties", [{"siid": 2, "piid": 2, "value": 5}])
    assert reply["result"][0]["code"] == 0
    report = await subscriber.report()
    assert report["method"] == "properties_changed"
    assert report["params"] == changed(lamp, (2, 2, 5))
    assert 1 <= report["id"] <= 9999
    await other.silence(0.1)


async def test_changes_in_one_turn_come_as_one_report(lamp: VirtualDevice, subscriber: Any) -> None:
    """Changes made together are coalesced; the last value of each property wins."""
    lamp.set(2, 2, 10)
    lamp.set(2, 1, False)
    lamp.set(2, 2, 20)
    report = await subscriber.report()
    assert report["params"] == changed(lamp, (2, 2, 20), (2, 1, False))
    subscriber.ack(report["id"])
    await subscriber.silence()
    lamp.set(2, 2, 30)
    await asyncio.sleep(0)
    lamp.set(2, 2, 40)
    first, second = await subscriber.report(), await subscriber.report()
    assert [first["params"], second["params"]] == [
        changed(lamp, (2, 2, 30)),
        changed(lamp, (2, 2, 40)),
    ]
    assert second["id"] == first["id"] + 1


async def test_a_lock_opened_at_the_door_reports_its_changes_then_the_event(
    sim: Simulator, new_subscriber: NewSubscriber, open_udp: OpenClient
) -> None:
    """Opened by fingerprint: properties_changed, then event_occured; the real lock has no
    unlock action, so one asked over the LAN does not exist."""
    lock = sim.devices["lock"]
    push = await new_subscriber(lock)
    await push.subscribe()
    phone = await open_udp()
    reply = await phone.call(lock, "action", {"siid": 2, "aiid": 2, "in": []})
    assert reply["result"]["code"] == -4003
    lock.emit_event("lock-opened", {"operation-method": "Fingerprint", "operation-id": 4})
    changes, event = await push.report(), await push.report()
    assert changes["method"] == "properties_changed"
    assert changes["params"] == changed(lock, (2, 1, 2), (2, 2, 4))
    assert event == {
        "id": event["id"],
        "method": "event_occured",
        "params": {
            "did": str(lock.did),
            "siid": 2,
            "eiid": 1,
            "arguments": [
                {"piid": 1, "value": 2},
                {"piid": 2, "value": 4},
                {"piid": 4, "value": ""},
            ],
        },
    }


async def test_an_unacknowledged_report_is_sent_four_times(
    lamp: VirtualDevice, subscriber: Any
) -> None:
    """The same id and payload come back every interval, four times in all, then stop."""
    began = time.monotonic()
    lamp.set(2, 2, 7)
    copies = [await subscriber.report() for _ in range(4)]
    assert time.monotonic() - began >= 3 * INTERVAL * 0.9
    assert all(copy == copies[0] for copy in copies)
    await subscriber.silence(2 * INTERVAL)
    assert lamp.describe()["reports"] == {
        "sent": 1,
        "retried": 3,
        "acknowledged": 0,
        "given_up": 1,
    }
    assert lamp.describe()["subscribers"] != []


async def test_an_acknowledged_report_is_not_sent_again(
    lamp: VirtualDevice, subscriber: Any
) -> None:
    """An ack stops the retries, and is not answered."""
    lamp.set(2, 2, 7)
    report = await subscriber.report()
    subscriber.ack(report["id"])
    await subscriber.silence(3 * INTERVAL)
    assert lamp.describe()["reports"]["acknowledged"] == 1
    assert lamp.describe()["reports"]["retried"] == 0


async def test_three_unacknowledged_reports_in_a_row_drop_the_subscriber(
    start_simulator: StartSimulator, new_subscriber: NewSubscriber
) -> None:
    """An acknowledged report restarts the count; the third give-up in a row ends it."""
    interval = 0.05
    sim = await start_simulator(HOME, report_retry_interval=interval)
    lamp = sim.devices["lamp"]
    subscriber = await new_subscriber(lamp)
    await subscriber.subscribe()

    async def give_up(*brightness: int) -> None:
        for value in brightness:
            lamp.set(2, 2, value)
            await asyncio.sleep(0)
        await asyncio.sleep(6 * interval)

    await give_up(11, 12)
    assert lamp.describe()["reports"]["given_up"] == 2
    lamp.set(2, 2, 13)
    while (report := await subscriber.report())["params"][0]["value"] != 13:
        pass
    subscriber.ack(report["id"])
    await give_up(14, 15)
    assert len(lamp.subscriptions) == 1
    await give_up(16)
    assert lamp.describe()["subscribers"] == []
    assert lamp.describe()["reports"]["given_up"] == 5
    subscriber.drain()
    lamp.set(2, 2, 17)
    await subscriber.silence(0.1)


async def test_unsubscribe_stops_reports(lamp: VirtualDevice, subscriber: Any) -> None:
    """miIO.unsub answers code 0 and drops the subscription of that address."""
    assert (await subscriber.unsubscribe())["result"] == {"code": 0}
    assert lamp.describe()["subscribers"] == []
    lamp.set(2, 2, 3)
    await subscriber.silence()


async def test_a_fifth_subscriber_evicts_the_oldest(
    lamp: VirtualDevice, new_subscriber: NewSubscriber
) -> None:
    """At most four subscribers: the oldest makes room, and gets no more reports."""
    clients = [await new_subscriber(lamp) for _ in range(5)]
    for number, client in enumerate(clients):
        await client.subscribe(did=f"ha-{number}")
    assert [s["address"] for s in lamp.describe()["subscribers"]] == [
        client.address for client in clients[1:]
    ]
    lamp.set(2, 2, 9)
    for client in clients[1:]:
        assert (await client.report())["params"] == changed(lamp, (2, 2, 9))
    await clients[0].silence(0.1)


async def test_a_reboot_forgets_subscribers_and_reports_in_flight(
    lamp: VirtualDevice, subscriber: Any
) -> None:
    """After a reboot nothing more is sent, not even the retries of an earlier report."""
    lamp.set(2, 2, 4)
    await subscriber.report()
    lamp.apply_faults({"reboot": True})
    assert lamp.describe()["subscribers"] == []
    lamp.set(2, 2, 5)
    await subscriber.silence(2 * INTERVAL)
    await subscriber.subscribe()
    lamp.reboot()
    lamp.set(2, 2, 6)
    await subscriber.silence(0.1)


async def test_an_offline_device_sends_nothing_and_keeps_its_subscribers(
    lamp: VirtualDevice, subscriber: Any
) -> None:
    """Changes made while offline are not reported, not even once the device is back."""
    lamp.apply_faults({"offline": True})
    lamp.set(2, 2, 8)
    await subscriber.silence()
    lamp.set(2, 2, 7)
    lamp.apply_faults({"offline": False})
    await subscriber.silence(0.1)
    lamp.set(2, 2, 6)
    lamp.apply_faults({"offline": True})
    await subscriber.silence(0.1)
    lamp.apply_faults({"offline": False})
    assert lamp.describe()["reports"] == {
        "sent": 0,
        "retried": 0,
        "acknowledged": 0,
        "given_up": 0,
    }
    assert len(lamp.describe()["subscribers"]) == 1
    lamp.set(2, 2, 9)
    assert (await subscriber.report())["params"] == changed(lamp, (2, 2, 9))


async def test_going_offline_gives_up_reports_without_dropping_the_subscriber(
    lamp: VirtualDevice, subscriber: Any
) -> None:
    """Reports in flight stop when the Wi-Fi drops; they do not count against the subscriber."""
    for brightness in (21, 22, 23):
        lamp.set(2, 2, brightness)
        await asyncio.sleep(0)
    for _ in range(3):
        await subscriber.report()
    lamp.apply_faults({"offline": True})
    await subscriber.silence(2 * INTERVAL)
    lamp.apply_faults({"offline": False})
    assert lamp.describe()["reports"]["given_up"] == 3
    assert len(lamp.subscriptions) == 1


async def test_an_ack_is_not_answered_and_is_not_a_replay(
    lamp: VirtualDevice, subscriber: Any, open_udp: OpenClient
) -> None:
    """An ack whose id a request used is still an ack; a request may then reuse the id."""
    lamp.set(2, 2, 6)
    report = await subscriber.report()
    other = await open_udp()
    assert (await other.call(lamp, "miIO.info", msg_id=report["id"]))["id"] == report["id"]
    subscriber.ack(report["id"])
    await subscriber.silence(2 * INTERVAL)
    assert lamp.describe()["reports"]["acknowledged"] == 1
    lamp.set(2, 2, 7)
    report = await subscriber.report()
    subscriber.ack(report["id"])
    await subscriber.silence(0.1)
    reply = await subscriber.client.call(lamp, "miIO.info", msg_id=report["id"])
    assert reply["id"] == report["id"]
    assert "result" in reply


@pytest.mark.parametrize("method", ["miIO.sub", "miIO.unsub"])
@pytest.mark.parametrize(
    "params",
    [
        [],
        "ha",
        {},
        {**SUB_PARAMS, "did": 5},
        {key: value for key, value in SUB_PARAMS.items() if key != "did"},
        {key: value for key, value in SUB_PARAMS.items() if key != "sub_method"},
        {**SUB_PARAMS, "sub_method": None},
        {**SUB_PARAMS, "update_ts": "now"},
    ],
)
async def test_invalid_subscription_params(
    lamp: VirtualDevice, udp: Any, method: str, params: Any
) -> None:
    """Params that are not a subscription are refused, and subscribe nobody."""
    reply = await udp.call(lamp, method, params)
    assert reply["error"] == {"code": -32602, "message": "Invalid params"}
    assert lamp.describe()["subscribers"] == []


async def test_reports_go_through_the_wire_faults(lamp: VirtualDevice, subscriber: Any) -> None:
    """Lost reports are retried; duplicated ones come twice with the same id."""
    lamp.apply_faults({"loss": 1})
    lamp.set(2, 2, 50)
    await subscriber.silence(5 * INTERVAL)
    assert lamp.describe()["reports"]["given_up"] == 1
    lamp.apply_faults({"loss": None, "duplicate": 1})
    lamp.set(2, 2, 51)
    first, second = await subscriber.report(), await subscriber.report()
    assert first == second
    subscriber.ack(first["id"])
    subscriber.ack(second["id"])
    await subscriber.silence(2 * INTERVAL)
    assert lamp.describe()["reports"]["acknowledged"] == 1


async def test_a_restarted_simulator_reports_once(
    sim: Simulator, lamp: VirtualDevice, new_subscriber: NewSubscriber
) -> None:
    """Stopping an endpoint detaches its reporter: a restart does not report twice."""
    await sim.stop()
    await sim.start()
    assert len(lamp.listeners) == 1
    assert len(lamp.event_listeners) == 1
    push = await new_subscriber(lamp)
    await push.subscribe()
    lamp.set(2, 2, 60)
    report = await push.report()
    push.ack(report["id"])
    await push.silence(2 * INTERVAL)


async def test_a_device_without_push_refuses_to_subscribe(
    lamp: VirtualDevice, new_subscriber: NewSubscriber
) -> None:
    """The no_push fault: miIO.sub is an unknown method, as on older firmware."""
    lamp.apply_faults({"no_push": True})
    push = await new_subscriber(lamp)
    reply = await push.subscribe()
    assert reply["error"] == {"code": -32601, "message": "Method not found"}
    assert lamp.describe()["subscribers"] == []
    lamp.apply_faults({"no_push": False})
    assert (await push.subscribe())["result"] == {"code": 0}
