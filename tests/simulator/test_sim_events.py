"""Spec events: emitted in process or through the admin API, and reported to subscribers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot.spec import MiotSpec
from simulator import Simulator, StateError, VirtualDevice
from simulator.admin import AdminServer
from simulator.state import resolve_event

type StartSimulator = Callable[..., Awaitable[Simulator]]
type NewSubscriber = Callable[[VirtualDevice], Awaitable[Any]]
type Post = Callable[[str, Any], Awaitable[tuple[int, Any]]]

HOME: dict[str, Any] = {
    "rooms": ["Hall"],
    "devices": [
        {"id": "lock", "kind": "lock", "name": "Front Door", "room": "Hall"},
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall"},
    ],
}
FINGERPRINT = {"operation-method": "Fingerprint", "operation-id": 3, "current-time": "08:00"}


@pytest.fixture
async def sim(start_simulator: StartSimulator) -> Simulator:
    """A lock and a lamp."""
    return await start_simulator(HOME)


@pytest.fixture
def lock(sim: Simulator) -> VirtualDevice:
    """The running lock."""
    return sim.devices["lock"]


@pytest.fixture
async def post(sim: Simulator) -> AsyncIterator[Post]:
    """POST JSON to the admin API: status and JSON."""
    server = AdminServer(sim)
    await server.start(port=0)
    async with aiohttp.ClientSession() as session:

        async def send(path: str, body: Any) -> tuple[int, Any]:
            async with session.post(server.url + path, json=body) as response:
                assert response.content_type == "application/json"
                return response.status, await response.json()

        yield send
    await server.stop()


def test_an_event_stores_its_arguments_and_tells_the_listeners(lock: VirtualDevice) -> None:
    """Arguments are stored first (listeners hear them), then the event goes out and is logged."""
    heard: list[tuple[Any, ...]] = []
    lock.listeners.append(lambda *change: heard.append(("change", *change)))
    lock.event_listeners.append(lambda *event: heard.append(("event", *event)))
    record = lock.emit_event("lock-opened", FINGERPRINT)
    assert heard == [
        ("change", 2, 1, 2),
        ("change", 2, 2, 3),
        ("change", 2, 4, "08:00"),
        ("event", 2, 1, [(1, 2), (2, 3), (4, "08:00")]),
    ]
    assert lock.describe()["events"] == [record]
    assert record["name"] == "lock-opened"
    assert [(a["name"], a["value"]) for a in record["arguments"]] == [
        ("operation-method", 2),
        ("operation-id", 3),
        ("current-time", "08:00"),
    ]


@pytest.mark.parametrize(
    ("event", "eiid"), [(3, 3), ("lock-opened", 1), ("lock.lock-opened", 1), ("back-locking", 3)]
)
def test_an_event_is_found_by_eiid_or_service_and_name(
    lock: VirtualDevice, event: Any, eiid: int
) -> None:
    """Arguments not given keep their values."""
    lock.set(2, 4, "08:00")
    record = lock.emit_event(event, {})
    assert (record["siid"], record["eiid"]) == (2, eiid)
    assert record["arguments"][-1]["value"] == "08:00"


@pytest.mark.parametrize(
    ("event", "arguments", "message", "key"),
    [
        ("unlocked", {}, "no event 'unlocked' (known: lock.lock-opened (1)", None),
        ("door.lock-opened", {}, "no event 'door.lock-opened'", None),
        (2, {}, "no event 2", None),
        (1, {}, "ambiguous: name the service", None),
        (True, {}, "True is not an event name or eiid", None),
        ("lock-opened", {"status": 1}, "not an argument of lock-opened", "status"),
        (
            "lock-opened",
            {"operation-id": 5, "operation-method": "Thumb"},
            "'Thumb'",
            "operation-method",
        ),
    ],
)
def test_a_bad_event_changes_nothing(
    lock: VirtualDevice, event: Any, arguments: Any, message: str, key: str | None
) -> None:
    """Unknown events and bad arguments raise StateError; nothing is stored or logged."""
    heard: list[tuple[Any, ...]] = []
    lock.listeners.append(lambda *change: heard.append(change))
    with pytest.raises(StateError, match=re.escape(message)) as err:
        lock.emit_event(event, arguments)
    assert err.value.key == key
    assert heard == []
    assert lock.get(2, 2) == 0
    assert lock.describe()["events"] == []


def test_an_ambiguous_event_needs_its_service() -> None:
    """A name or eiid two services share is refused; ``service.name`` picks one."""

    def service(iid: int, name: str) -> dict[str, Any]:
        prefix = f"urn:miot-spec-v2:{{}}:{{}}:0000{iid}:test:1"
        return {
            "iid": iid,
            "type": prefix.format("service", name),
            "properties": [
                {"iid": 1, "type": prefix.format("property", "code"), "format": "uint8"}
            ],
            "events": [{"iid": 1, "type": prefix.format("event", "alarm"), "arguments": [1]}],
        }

    spec = MiotSpec.from_dict(
        {
            "type": "urn:miot-spec-v2:device:sensor:0000A000:test:1",
            "services": [service(2, "smoke"), service(3, "gas")],
        }
    )
    for key in ("alarm", 1):
        with pytest.raises(StateError, match="ambiguous: name the service"):
            resolve_event(spec, key)
    assert resolve_event(spec, "gas.alarm").siid == 3


async def test_the_admin_api_reports_a_fingerprint_unlock(
    lock: VirtualDevice, post: Post, new_subscriber: NewSubscriber
) -> None:
    """POST /devices/{id}/events stores the arguments, emits the event and answers the device."""
    subscriber = await new_subscriber(lock)
    await subscriber.subscribe(did="ha", update_ts=1_763_769_600)
    status, device = await post(
        "/devices/lock/events", {"event": "lock-opened", "arguments": FINGERPRINT}
    )
    assert status == 200
    assert device["events"][-1]["name"] == "lock-opened"
    assert device["subscribers"] == [
        {"address": subscriber.address, "did": "ha", "update_ts": 1_763_769_600}
    ]
    changes, event = await subscriber.report(), await subscriber.report()
    did = str(lock.did)
    assert changes["method"] == "properties_changed"
    assert changes["params"] == [
        {"did": did, "siid": 2, "piid": 1, "value": 2},
        {"did": did, "siid": 2, "piid": 2, "value": 3},
        {"did": did, "siid": 2, "piid": 4, "value": "08:00"},
    ]
    assert event["method"] == "event_occured"
    assert event["params"] == {
        "did": did,
        "siid": 2,
        "eiid": 1,
        "arguments": [
            {"piid": 1, "value": 2},
            {"piid": 2, "value": 3},
            {"piid": 4, "value": "08:00"},
        ],
    }
    subscriber.ack(changes["id"])
    subscriber.ack(event["id"])
    await subscriber.silence(0.1)
    assert lock.describe()["reports"] == {
        "sent": 2,
        "retried": 0,
        "acknowledged": 2,
        "given_up": 0,
    }


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/devices/nope/events", {"event": "lock-opened"}, (404, "no device 'nope'")),
        ("/devices/lock/events", [], (400, "expected an object like")),
        ("/devices/lock/events", {}, (400, "event: required")),
        ("/devices/lock/events", {"event": "x", "when": 1}, (400, "when: unknown key")),
        ("/devices/lock/events", {"event": "unlocked"}, (400, "event: no event 'unlocked'")),
        ("/devices/lamp/events", {"event": "x"}, (400, "event: no event 'x' (known: none)")),
        (
            "/devices/lock/events",
            {"event": "lock-opened", "arguments": [1]},
            (400, "arguments: expected an object"),
        ),
        (
            "/devices/lock/events",
            {"event": "lock-opened", "arguments": {"operation-id": 1, "operation-method": 9}},
            (400, "arguments.operation-method: 9 is not one of 0 (BLE Outdoor)"),
        ),
        (
            "/devices/lock/events",
            {"event": "lock-opened", "arguments": {"status": "Open"}},
            (400, "arguments.status: not an argument of lock-opened"),
        ),
    ],
)
async def test_admin_event_errors(
    lock: VirtualDevice, post: Post, path: str, body: Any, expected: tuple[int, str]
) -> None:
    """Bad requests answer JSON errors and change nothing."""
    status, answer = await post(path, body)
    assert status == expected[0]
    assert expected[1] in answer["error"]
    assert lock.get(2, 2) == 0
    assert lock.describe()["events"] == []
