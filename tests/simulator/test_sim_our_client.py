"""Our own sign-in and app client against the simulator's Xiaomi hosts, routed with ``via``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot.mi_account import MiAccount, MiWrongPasswordError
from custom_components.xiaomi_aiot.miot.mi_api import MiAppClient
from harness import xiaomi_hosts
from harness.homes import MICLOUD_HOME as HOME
from simulator.cloud import CloudServer


@pytest.fixture
async def cloud(start_simulator: Callable[..., Any]) -> AsyncIterator[CloudServer]:
    """The home's cloud, listening on loopback."""
    async with xiaomi_hosts.serving_cloud(await start_simulator(HOME)) as server:
        yield server


async def test_signs_in_and_lists_the_devices_through_via(cloud: CloudServer) -> None:
    account = cloud.simulator.home.account
    async with aiohttp.ClientSession() as session:
        mi = MiAccount(session, via=cloud.url)
        with pytest.raises(MiWrongPasswordError):
            await mi.sign_in(account.username, account.password + "x")
        tokens = await mi.sign_in(account.username, account.password)
        api = MiAppClient(session, tokens, "cn", via=cloud.url)
        homes = await api.get_homes()
        devices = await api.get_devices()
        assert homes
        assert {d.did for d in devices} == {str(d.did) for d in cloud.simulator.devices.values()}
        renewed = await mi.renew(tokens)
        assert renewed.service_token != tokens.service_token


async def test_only_the_account_s_country_lists_its_homes_and_devices(
    start_simulator: Callable[..., Any],
) -> None:
    """account.country: de holds the account; cn and the rest answer empty lists."""
    home = {**HOME, "account": {**HOME["account"], "country": "de"}}
    async with (
        xiaomi_hosts.serving_cloud(await start_simulator(home)) as server,
        aiohttp.ClientSession() as session,
    ):
        account = server.simulator.home.account
        tokens = await MiAccount(session, via=server.url).sign_in(
            account.username, account.password
        )
        listed = {}
        for country in ("cn", "de", "us"):
            api = MiAppClient(session, tokens, country, via=server.url)
            listed[country] = (len(await api.get_homes()), len(await api.get_devices()))

    assert listed["de"] == (1, len(server.simulator.devices))
    assert listed["cn"] == listed["us"] == (0, 0)
