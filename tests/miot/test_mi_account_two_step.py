"""2-step verification of `MiAccount` against the simulator's identity pages, routed with via."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from custom_components.xiaomi_aiot.miot import MiotConnectionError, MiotProtocolError
from custom_components.xiaomi_aiot.miot.mi_account import (
    MiAccount,
    MiRateLimitedError,
    MiSignInError,
    MiTwoStepRequiredError,
    MiWrongCodeError,
)
from custom_components.xiaomi_aiot.miot.mi_api import MiAppClient
from harness.homes import MICLOUD_HOME as HOME
from harness.mi_account import start
from harness.simulated import simulated_home
from simulator.cloud import CloudServer
from simulator.xiaomi import MASKED_EMAIL, MASKED_PHONE


@pytest.fixture
async def cloud() -> AsyncIterator[CloudServer]:
    """The home's cloud with 2-step verification on, listening on loopback."""
    async with simulated_home(HOME, seed=1) as (_, server):
        server.apply_faults({"two_step": True})
        yield server


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


class IdentityPages:
    """A look-alike of the identity pages that answers as told (``mode``)."""

    def __init__(self) -> None:
        """Answer well until told otherwise."""
        self.mode = "ok"

    def app(self) -> web.Application:
        """The routes of the identity pages, and serviceLogin for the verified session."""
        app = web.Application()
        app.router.add_get("/identity/list", self.identity_list)
        app.router.add_get("/identity/auth/verifyPhone", self.masked)
        app.router.add_post("/identity/auth/sendPhoneTicket", self.send)
        app.router.add_post("/identity/auth/verifyPhone", self.verify)
        app.router.add_get("/identity/result/check", self.check)
        app.router.add_get("/pass/serviceLogin", self.service_login)
        return app

    async def identity_list(self, request: web.Request) -> web.Response:
        options = [16] if self.mode == "no-known-way" else [4]
        answer = {"code": 0, "flag": options[0], "options": options}
        if self.mode == "flag-only":
            del answer["options"]
        if self.mode == "list-refused":
            answer["code"] = 70014
        response = start(answer)
        response.set_cookie("identity_session", "session-1")
        return response

    async def masked(self, request: web.Request) -> web.Response:
        assert request.cookies["identity_session"] == "session-1"
        return start({"code": 0, "maskedPhone": 138})  # not a string: no target shown

    async def send(self, request: web.Request) -> web.Response:
        form = await request.post()
        assert (form["_json"], form["retry"]) == ("true", "0")
        codes = {"send-limited": 70022, "send-refused": 12345}
        return start({"code": codes.get(self.mode, 0)})

    async def verify(self, request: web.Request) -> web.Response:
        form = await request.post()
        assert (form["_flag"], form["trust"], form["_json"]) == ("4", "false", "true")
        if self.mode == "no-location":
            return start({"code": 0})
        if self.mode in ("refused", "verify-limited"):
            return start({"code": 12345 if self.mode == "refused" else 70022})
        return start({"code": 0, "location": "/identity/result/check?context=1"})

    async def check(self, request: web.Request) -> web.Response:
        if self.mode == "check-fails":
            return web.Response(status=502, text="bad gateway")
        response = web.Response(text="ok")
        if self.mode == "flag-only":  # a verified session that serviceLogin then refuses
            response.set_cookie("passToken", "V1:pass")
            response.set_cookie("userId", "1")
        return response

    async def service_login(self, request: web.Request) -> web.Response:
        assert request.cookies["passToken"] == "V1:pass"
        return start({"code": 70016})


@pytest.fixture
async def pages() -> AsyncIterator[tuple[IdentityPages, MiAccount, str]]:
    """The look-alike pages on loopback, and an account client pointed at them."""
    fake = IdentityPages()
    runner = web.AppRunner(fake.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    async with aiohttp.ClientSession() as session:
        yield fake, MiAccount(session, account_url=base), base
    await runner.cleanup()


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("no-known-way", MiotProtocolError),
        ("send-limited", MiRateLimitedError),
        ("no-location", MiotProtocolError),
        ("refused", MiSignInError),
        ("no-pass-token", MiotProtocolError),
        ("list-refused", MiSignInError),
        ("send-refused", MiSignInError),
        ("verify-limited", MiRateLimitedError),
        ("check-fails", MiotConnectionError),
        ("flag-only", MiSignInError),
    ],
)
async def test_untrusted_identity_answers_are_typed_errors(
    pages: tuple[IdentityPages, MiAccount, str], mode: str, error: type[Exception]
) -> None:
    fake, mi, base = pages
    fake.mode = mode
    with pytest.raises(error):
        await verify_by_phone(mi, f"{base}/fe/service/identity/authStart?context=1")


async def verify_by_phone(mi: MiAccount, notification_url: str) -> None:
    """The whole 2-step verification by text message, with the code 123456."""
    verification = await mi.start_two_step(notification_url)
    (method,) = verification.methods
    assert method.target == ""
    await mi.send_code(verification, method)
    await mi.verify_code(verification, method, "123456")
