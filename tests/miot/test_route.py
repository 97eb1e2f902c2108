"""Routing a device's commands between its LAN session and the cloud, against the simulator.

The LAN path is a real `DeviceSession` to a simulated lamp over UDP, the cloud path a real
`CloudTransport` to the simulated cloud over HTTP. Which path carried a command shows in the
simulator: the cloud logs every action it runs (`CloudServer.actions`), the LAN does not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
)
from custom_components.xiaomi_aiot.miot.cloud import CloudTransport, MiotCloud
from custom_components.xiaomi_aiot.miot.lan import DeviceSession
from custom_components.xiaomi_aiot.miot.route import Route, RoutedTransport
from harness.simulated import simulated_home
from simulator import VirtualDevice
from simulator.cloud import CloudServer

HOME: dict[str, Any] = {
    "rooms": ["Study"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Study", "state": {"on": True}}
    ],
}
TOGGLE = {"siid": 2, "aiid": 1, "in": []}
"""The lamp's light/toggle action: it flips `on` (2.1), and the cloud logs it."""
NEW_TOKEN = "0123456789abcdef0123456789abcdef"


class Clock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        """Start at zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """The time now."""
        return self.now


@dataclass
class Paths:
    """The simulated lamp, its cloud, and a LAN and a cloud transport to it."""

    lamp: VirtualDevice
    server: CloudServer
    lan: DeviceSession
    cloud: CloudTransport

    def routed(self, route: Route = Route.AUTO, **kwargs: Any) -> RoutedTransport:
        """Both paths, routed."""
        return RoutedTransport(self.lan, self.cloud, route, **kwargs)

    @property
    def on(self) -> bool:
        """Whether the lamp is on, as the simulator holds it."""
        return bool(self.lamp.get(2, 1))

    @property
    def cloud_actions(self) -> int:
        """How many actions went through the cloud."""
        return len(self.server.actions)


@pytest.fixture
async def paths() -> AsyncIterator[Paths]:
    """The home above on a random loopback range, its cloud, and a signed-in client."""
    async with simulated_home(HOME, seed=3) as (sim, server):
        lamp = sim.devices["lamp"]
        assert lamp.address is not None
        assert lamp.port is not None
        lan = DeviceSession(lamp.address, lamp.token, port=lamp.port, timeout=0.3, retries=0)
        try:
            async with aiohttp.ClientSession() as session:
                cloud = MiotCloud(session, via=server.url, timeout=2.0)
                await cloud.sign_in("demo", "demo")
                yield Paths(lamp, server, lan, CloudTransport(cloud, str(lamp.did)))
        finally:
            lan.close()


async def toggle(transport: RoutedTransport) -> None:
    """Flip the lamp through the routed transport."""
    reply = await transport.send("action", TOGGLE)
    assert reply["code"] == 0


async def test_auto_uses_the_lan_when_the_device_answers_there(paths: Paths) -> None:
    """The lamp answers on the LAN: the command goes there, and the cloud sees nothing."""
    routed = paths.routed()
    assert routed.active is Route.LAN

    await toggle(routed)

    assert paths.on is False
    assert paths.cloud_actions == 0
    assert routed.active is Route.LAN


async def test_auto_falls_back_to_the_cloud_when_the_lan_is_silent(paths: Paths) -> None:
    """Every packet lost on the LAN: the command still arrives, through the cloud."""
    routed = paths.routed()
    paths.lamp.apply_faults({"loss": 1.0})

    await toggle(routed)

    assert paths.on is False
    assert paths.cloud_actions == 1
    assert routed.active is Route.CLOUD


async def test_the_lan_is_tried_again_only_after_the_retry_interval(paths: Paths) -> None:
    """After a LAN failure the cloud is used until the interval is over, then the LAN again."""
    clock = Clock()
    routed = paths.routed(lan_retry_interval=60.0, clock=clock)
    paths.lamp.apply_faults({"loss": 1.0})
    await toggle(routed)
    assert paths.cloud_actions == 1

    # The lamp answers on the LAN again, but it is not asked there before the interval ends.
    paths.lamp.apply_faults({"loss": 0.0})
    clock.now = 59.9
    await toggle(routed)
    assert paths.cloud_actions == 2
    assert routed.active is Route.CLOUD

    clock.now = 60.0
    await toggle(routed)
    assert paths.cloud_actions == 2
    assert routed.active is Route.LAN
    assert paths.on is False  # three toggles, each done once


async def test_a_lan_still_silent_at_the_retry_waits_another_interval(paths: Paths) -> None:
    """A failed retry puts the next one a whole interval later."""
    clock = Clock()
    routed = paths.routed(lan_retry_interval=60.0, clock=clock)
    paths.lamp.apply_faults({"loss": 1.0})
    await toggle(routed)
    clock.now = 60.0
    await toggle(routed)  # the LAN is tried, stays silent: cloud again
    assert paths.cloud_actions == 2

    paths.lamp.apply_faults({"loss": 0.0})
    clock.now = 119.0
    await toggle(routed)
    assert paths.cloud_actions == 3
    clock.now = 120.0
    await toggle(routed)
    assert paths.cloud_actions == 3
    assert routed.active is Route.LAN


async def test_route_lan_never_falls_back_to_the_cloud(paths: Paths) -> None:
    """LAN only: a silent LAN is an error; the cloud is never asked; the LAN back, it works."""
    routed = paths.routed(Route.LAN)
    paths.lamp.apply_faults({"loss": 1.0})

    with pytest.raises(MiotConnectionError):
        await toggle(routed)
    with pytest.raises(MiotConnectionError):
        await toggle(routed)  # no retry interval: each command tries the LAN

    assert paths.cloud_actions == 0
    assert paths.on is True
    paths.lamp.apply_faults({"loss": 0.0})
    await toggle(routed)
    assert paths.on is False
    assert paths.cloud_actions == 0
    assert routed.active is Route.LAN


async def test_route_lan_does_not_fall_back_when_the_token_is_refused(paths: Paths) -> None:
    """LAN only: a refused token is raised as such."""
    routed = paths.routed(Route.LAN)
    paths.lamp.apply_faults({"token": NEW_TOKEN})

    with pytest.raises(MiotAuthenticationError):
        await toggle(routed)

    assert paths.cloud_actions == 0
    assert paths.on is True


async def test_route_cloud_never_touches_the_lan(paths: Paths) -> None:
    """Cloud only: the LAN answers, yet every command goes through the cloud."""
    routed = paths.routed(Route.CLOUD)
    assert routed.active is Route.CLOUD

    await toggle(routed)
    await toggle(routed)

    assert paths.cloud_actions == 2
    assert paths.on is True
    assert paths.lan.did is None  # never even said hello
    assert routed.active is Route.CLOUD


async def test_a_device_error_on_the_lan_is_raised_not_retried_on_the_cloud(
    paths: Paths,
) -> None:
    """The device answered and refused: asking the cloud would not change its answer."""
    routed = paths.routed()

    with pytest.raises(MiotDeviceError) as refused:
        await routed.send("action", "not an action")

    assert refused.value.code == -32602
    assert routed.active is Route.LAN
    assert paths.cloud_actions == 0
    await toggle(routed)
    assert paths.cloud_actions == 0
    assert paths.on is False


async def test_a_token_refused_on_the_lan_falls_back_to_the_cloud(paths: Paths) -> None:
    """The device was reset with a new token: auto keeps it working through the cloud."""
    routed = paths.routed()
    paths.lamp.apply_faults({"token": NEW_TOKEN})

    await toggle(routed)

    assert paths.on is False
    assert paths.cloud_actions == 1
    assert routed.active is Route.CLOUD


async def test_without_a_cloud_a_lan_failure_is_raised(paths: Paths) -> None:
    """Auto with the LAN alone has nothing to fall back to; the LAN back, it works."""
    routed = RoutedTransport(paths.lan, None)
    paths.lamp.apply_faults({"loss": 1.0})

    with pytest.raises(MiotConnectionError):
        await toggle(routed)

    paths.lamp.apply_faults({"loss": 0.0})
    await toggle(routed)
    assert paths.on is False
    assert routed.active is Route.LAN


async def test_without_a_lan_auto_uses_the_cloud(paths: Paths) -> None:
    """A device with no LAN address is reached through the cloud from the start."""
    routed = RoutedTransport(None, paths.cloud)
    assert routed.active is Route.CLOUD

    await toggle(routed)

    assert paths.cloud_actions == 1
    assert paths.on is False


@pytest.mark.parametrize(
    ("with_lan", "with_cloud", "route"),
    [
        (False, False, Route.AUTO),
        (False, True, Route.LAN),
        (True, False, Route.CLOUD),
    ],
    ids=["no-path", "lan-only-without-lan", "cloud-only-without-cloud"],
)
async def test_a_route_without_its_path_is_refused(
    paths: Paths, *, with_lan: bool, with_cloud: bool, route: Route
) -> None:
    """A route cannot be built without the path it names."""
    with pytest.raises(ValueError, match="path"):
        RoutedTransport(paths.lan if with_lan else None, paths.cloud if with_cloud else None, route)


async def test_an_older_miio_device_is_reached_through_the_cloud_for_good(paths: Paths) -> None:
    """A device that does not know MIoT's methods on the LAN: the cloud speaks them for it,
    and the LAN is not asked again (it would never know them)."""
    paths.lamp.apply_faults({"legacy": True})
    routed = paths.routed(lan_retry_interval=0.0)

    await toggle(routed)
    await toggle(routed)

    assert paths.cloud_actions == 2
    assert routed.lan_speaks_miot is False
    assert routed.active is Route.CLOUD
    info = await paths.lan.send("miIO.info")
    assert info["model"] == paths.lamp.model


async def test_route_lan_raises_for_an_older_miio_device(paths: Paths) -> None:
    """On the LAN only, the device's answer is the error: no cloud is asked."""
    paths.lamp.apply_faults({"legacy": True})
    routed = paths.routed(Route.LAN)

    with pytest.raises(MiotDeviceError) as refused:
        await toggle(routed)

    assert refused.value.unknown_method
    assert paths.cloud_actions == 0
