"""2-step verification of `MiAccount` against the simulator's identity pages, routed with via."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.xiaomi_aiot.miot import MiotProtocolError
from custom_components.xiaomi_aiot.miot.mi_account import (
    MiAccount,
    MiTwoStepRequiredError,
    MiWrongCodeError,
)
from custom_components.xiaomi_aiot.miot.mi_api import MiAppClient
from simulator import Simulator, load_home
from simulator.cloud import CloudServer
from simulator.xiaomi import MASKED_EMAIL, MASKED_PHONE
from tests.simulator import xiaomi_hosts
from tests.simulator.conftest import random_base
from tests.simulator.test_sim_micloud import HOME


@pytest.fixture
async def cloud() -> AsyncIterator[CloudServer]:
    """The home's cloud with 2-step verification on, listening on loopback."""
    sim = Simulator(load_home(HOME), first_address=random_base(), seed=1)
    await sim.start()
    try:
        async with xiaomi_hosts.serving_cloud(sim) as server:
            server.apply_faults({"two_step": True})
            yield server
    finally:
        await sim.stop()


@pytest.mark.parametrize("kind", ["phone", "email"])
async def test_a_wrong_code_is_refused_and_the_right_one_signs_in(
    cloud: CloudServer, kind: str
) -> None:
    account = cloud.simulator.home.account
    async with aiohttp.ClientSession() as session:
        mi = MiAccount(session, via=cloud.url)
        with pytest.raises(MiTwoStepRequiredError) as asked:
            await mi.sign_in(account.username, account.password)
        verification = await mi.start_two_step(asked.value.notification_url)
        methods = {m.kind: m for m in verification.methods}
        assert {k: m.target for k, m in methods.items()} == {
            "phone": MASKED_PHONE,
            "email": MASKED_EMAIL,
        }
        await mi.send_code(verification, methods[kind])
        code = cloud.xiaomi.verification_code
        assert code is not None
        with pytest.raises(MiWrongCodeError):
            await mi.verify_code(verification, methods[kind], "x" + code)
        tokens = await mi.verify_code(verification, methods[kind], f" {code} ")

        assert tokens.user_id == cloud.xiaomi.user_id
        assert tokens.pass_token
        devices = await MiAppClient(session, tokens, "cn", via=cloud.url).get_devices()
        assert {d.did for d in devices} == {str(d.did) for d in cloud.simulator.devices.values()}
        assert (await mi.renew(tokens)).service_token != tokens.service_token


async def test_a_notification_url_that_is_not_an_identity_page_is_refused(
    cloud: CloudServer,
) -> None:
    async with aiohttp.ClientSession() as session:
        mi = MiAccount(session, via=cloud.url)
        with pytest.raises(MiotProtocolError):
            await mi.start_two_step("https://account.xiaomi.com/pass/serviceLogin")
        with pytest.raises(MiotProtocolError):  # no identity session for an unknown context
            await mi.start_two_step(
                "https://account.xiaomi.com/fe/service/identity/authStart?context=nope"
            )
