"""The simulated account.xiaomi.com: captcha, 2-step verification, passToken renewal, QR code.

Driven with plain `requests` through `XiaomiHostsAdapter`, step by step as Xiaomi's sign-in goes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import requests

from harness import xiaomi_hosts
from harness.homes import MICLOUD_HOME as HOME
from harness.xiaomi_hosts import blocking
from simulator import HomeFileError, Simulator, load_home
from simulator.admin import AdminServer
from simulator.cloud import CloudServer

ACCOUNT = "https://account.xiaomi.com"
LOGIN = {
    "sid": "xiaomiio",
    "hash": hashlib.md5(b"hunter2").hexdigest().upper(),
    "callback": "https://sts.api.io.mi.com/sts",
    "qs": "%3Fsid%3Dxiaomiio%26_json%3Dtrue",
    "user": "bob@example.com",
    "_json": "true",
}


@pytest.fixture
async def cloud(start_simulator: Callable[..., Any]) -> AsyncIterator[CloudServer]:
    """The home's cloud, listening on loopback."""
    async with xiaomi_hosts.serving_cloud(await start_simulator(HOME)) as server:
        yield server


def session(cloud: CloudServer) -> requests.Session:
    """A `requests` session whose Xiaomi traffic goes to the cloud."""
    client = requests.Session()
    client.mount("https://", xiaomi_hosts.XiaomiHostsAdapter(cloud.port or 0))
    return client


def answer(response: requests.Response) -> dict[str, Any]:
    """The JSON after ``&&&START&&&``."""
    assert response.text.startswith("&&&START&&&"), response.text
    body: dict[str, Any] = json.loads(response.text.removeprefix("&&&START&&&"))
    return body


def service_token(client: requests.Session, location: str) -> str:
    """Follow the sign-in's location to the STS: the serviceToken cookie."""
    response = client.get(location)
    assert (response.status_code, response.text) == (200, "ok")
    return str(response.cookies["serviceToken"])


async def test_captcha_then_password(cloud: CloudServer) -> None:
    """captcha on: 70016 and a captchaUrl (87001 for a wrong answer); the image's code with its
    ick cookie signs in."""
    cloud.apply_faults({"captcha": True})

    def sign_in() -> list[Any]:
        client = session(cloud)
        first = answer(client.post(f"{ACCOUNT}/pass/serviceLoginAuth2", data=LOGIN))
        image = client.get(ACCOUNT + first["captchaUrl"])
        code = cloud.xiaomi.describe()["captcha_code"]
        wrong = answer(
            client.post(f"{ACCOUNT}/pass/serviceLoginAuth2", data={**LOGIN, "captCode": "zzzz"})
        )
        client.get(ACCOUNT + wrong["captchaUrl"])
        code = cloud.xiaomi.describe()["captcha_code"]
        right = answer(
            client.post(f"{ACCOUNT}/pass/serviceLoginAuth2", data={**LOGIN, "captCode": code})
        )
        return [first, image, wrong, right, service_token(client, right["location"])]

    first, image, wrong, right, token = await blocking(sign_in)
    assert (first["code"], first["result"]) == (70016, "error")
    assert first["captchaUrl"].startswith("/pass/getCode?")
    assert (image.headers["Content-Type"], image.content[:4]) == ("image/png", b"\x89PNG")
    assert wrong["code"] == 87001
    assert (right["code"], right["result"]) == (0, "ok")
    assert token
    assert cloud.xiaomi.refusals["captcha"] == 2


@pytest.mark.parametrize("way", ["Phone", "Email"])
async def test_two_step_verification(cloud: CloudServer, way: str) -> None:
    """two_step on: notificationUrl, identity list, a code sent, a wrong then right code."""
    cloud.apply_faults({"two_step": True})

    def sign_in() -> list[Any]:
        client = session(cloud)
        first = answer(client.post(f"{ACCOUNT}/pass/serviceLoginAuth2", data=LOGIN))
        assert client.get(first["notificationUrl"]).status_code == 200
        listed = answer(
            client.get(
                first["notificationUrl"].replace("/fe/service/identity/authStart", "/identity/list")
            )
        )
        flag = {"Phone": 4, "Email": 8}[way]
        verify = f"{ACCOUNT}/identity/auth/verify{way}"
        masked = answer(client.get(verify, params={"_flag": flag, "_json": "true"}))
        sent = answer(
            client.post(
                f"{ACCOUNT}/identity/auth/send{way}Ticket",
                data={"_json": "true", "icode": "", "retry": "0"},
            )
        )
        code = cloud.xiaomi.describe()["verification_code"]
        form = {"_flag": flag, "trust": "false", "_json": "true"}
        wrong = answer(client.post(verify, data={**form, "ticket": "000000x"}))
        right = answer(client.post(verify, data={**form, "ticket": code}))
        done = client.get(right["location"])
        again = answer(
            client.get(f"{ACCOUNT}/pass/serviceLogin", params={"sid": "xiaomiio", "_json": "true"})
        )
        return [first, listed, masked, sent, code, wrong, done, again]

    first, listed, masked, sent, code, wrong, done, again = await blocking(sign_in)
    assert (first["code"], first["location"], first["securityStatus"]) == (0, "", 16)
    assert "/fe/service/identity/authStart?" in first["notificationUrl"]
    assert "ssecurity" not in first
    assert (listed["code"], listed["options"], sent["code"]) == (0, [4, 8], 0)
    assert masked["masked" + way]
    assert len(code) == 6
    assert wrong["code"] == 70014
    # The verified location sets passToken, sends ssecurity in Extension-Pragma and ends at
    # the STS, which sets the service token.
    (check,) = done.history
    assert json.loads(check.headers["Extension-Pragma"])["ssecurity"]
    assert check.cookies["passToken"]
    assert done.cookies["serviceToken"]
    assert (again["code"], again["userId"], bool(again["ssecurity"])) == (
        0,
        int(cloud.xiaomi.user_id),
        True,
    )


@pytest.mark.parametrize("refused", [False, True])
async def test_pass_token_renews_the_service_token(cloud: CloudServer, refused: bool) -> None:
    """serviceLogin with passToken and userId: code 0 and a new location, unless refused."""

    def renew() -> tuple[dict[str, Any], str | None]:
        client = session(cloud)
        signed = answer(client.post(f"{ACCOUNT}/pass/serviceLoginAuth2", data=LOGIN))
        old = service_token(client, signed["location"])
        cloud.apply_faults({"expire_tokens": True, "refuse_pass_token": refused})
        fresh = session(cloud)
        cookies = {"passToken": signed["passToken"], "userId": str(signed["userId"])}
        again = answer(
            fresh.get(
                f"{ACCOUNT}/pass/serviceLogin",
                params={"sid": "xiaomiio", "_json": "true"},
                cookies=cookies,
            )
        )
        token = service_token(fresh, again["location"]) if again["code"] == 0 else None
        assert token != old
        return again, token

    again, token = await blocking(renew)
    if refused:
        assert (again["code"], again["result"], token) == (70016, "error", None)
        assert "_sign" in again
    else:
        assert (again["code"], again["result"]) == (0, "ok")
        assert token


@pytest.mark.parametrize("scan", ["phone", "admin", "wrong-password", "expired"])
async def test_qr_sign_in(cloud: CloudServer, scan: str) -> None:
    """loginUrl gives the QR code and its long poll; a confirmation answers the poll."""
    if scan in ("wrong-password", "expired"):
        cloud.xiaomi.qr_lifetime = 0.3

    def start() -> dict[str, Any]:
        return answer(
            session(cloud).get(f"{ACCOUNT}/longPolling/loginUrl", params={"sid": "xiaomiio"})
        )

    def poll(url: str) -> tuple[dict[str, Any], str | None]:
        client = session(cloud)
        polled = answer(client.get(url, timeout=xiaomi_hosts.TIMEOUT))
        return polled, service_token(client, polled["location"]) if polled["code"] == 0 else None

    def phone(url: str, password: str) -> dict[str, Any]:
        digest = hashlib.md5(password.encode()).hexdigest().upper()
        form = {"user": "bob@example.com", "hash": digest}
        return answer(session(cloud).post(url, data=form))

    code = await blocking(start)
    assert (code["code"], code["result"]) == (0, "ok")
    image = await blocking(lambda: session(cloud).get(code["qr"]))
    assert image.content[:4] == b"\x89PNG"
    waiting = asyncio.ensure_future(blocking(lambda: poll(code["lp"])))
    await asyncio.sleep(0.1)
    if scan == "phone":
        assert (await blocking(lambda: phone(code["loginUrl"], "hunter2")))["code"] == 0
    elif scan == "admin":
        assert cloud.xiaomi.confirm_qr() is True
    elif scan == "wrong-password":
        assert (await blocking(lambda: phone(code["loginUrl"], "nope")))["code"] == 70016
    polled, token = await waiting
    if scan in ("phone", "admin"):
        assert (polled["code"], str(polled["userId"])) == (0, cloud.xiaomi.user_id)
        assert polled["ssecurity"]
        assert polled["passToken"]
        assert token
    else:
        assert (polled["code"], token) == (700, None)
        assert cloud.xiaomi.confirm_qr() is False


async def test_admin_switches_and_qr(cloud: CloudServer) -> None:
    """POST /cloud/faults sets the account's switches; POST /cloud/qr confirms a QR code."""
    admin = AdminServer(cloud.simulator)
    cloud.add_admin_routes(admin.app)
    await admin.start(port=0)
    try:
        async with aiohttp.ClientSession() as client:
            change = {"captcha": True, "two_step": True, "refuse_pass_token": True}
            async with client.post(f"{admin.url}/cloud/faults", json=change) as response:
                described = await response.json()
            assert {key: described["faults"][key] for key in change} == change
            assert described["xiaomi"]["captcha_code"] is None
            async with client.post(f"{admin.url}/cloud/faults", json={"captcha": 1}) as response:
                assert response.status == 400
            async with client.post(f"{admin.url}/cloud/qr") as response:
                assert response.status == 404
            await blocking(lambda: session(cloud).get(f"{ACCOUNT}/longPolling/loginUrl"))
            async with client.post(f"{admin.url}/cloud/qr", json={"ticket": 5}) as response:
                assert response.status == 400
            async with client.post(f"{admin.url}/cloud/qr") as response:
                assert response.status == 200
    finally:
        await admin.stop()


@pytest.mark.parametrize(
    ("account", "faults"),
    [
        ({}, (False, False)),
        ({"captcha": True}, (True, False)),
        ({"two_step": True, "captcha": False}, (False, True)),
        ({"captcha": "yes"}, "account.captcha: 'yes' is not true or false"),
        ({"two_step": "phone"}, (False, "phone")),
        ({"two_step": 1}, "account.two_step: 1 is not true, false, phone or email"),
        ({"country": "xx"}, "account.country: 'xx' is not one of cn, de"),
    ],
)
def test_account_switches_in_the_home_file(account: dict[str, Any], faults: Any) -> None:
    """The home file's account sets captcha and two_step as the cloud's starting switches."""
    home = {**HOME, "account": {**HOME["account"], **account}}
    if isinstance(faults, str):
        with pytest.raises(HomeFileError, match=faults):
            load_home(home)
        return
    server = CloudServer(Simulator(load_home(home)))
    assert (server.faults.captcha, server.faults.two_step) == faults


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", f"{ACCOUNT}/pass/serviceLogin", 503),
        ("POST", "https://de.api.io.mi.com/app/home/device_list", 503),
        ("GET", f"{ACCOUNT}/pass/nothing", 404),
    ],
)
async def test_cloud_faults_reach_xiaomi_hosts(
    cloud: CloudServer, method: str, url: str, status: int
) -> None:
    """error_rate 1: every Xiaomi host answers HTTP 503; an unknown route answers 404."""
    if status == 503:
        cloud.apply_faults({"error_rate": 1.0})
    response = await blocking(lambda: session(cloud).request(method, url))
    assert response.status_code == status


@pytest.mark.parametrize("sid", ["xiaomiio", "mijia"])
async def test_service_login_without_a_session(cloud: CloudServer, sid: str) -> None:
    """No passToken: 70016 with _sign, qs, callback and a location holding serviceParam."""

    def ask() -> dict[str, Any]:
        with xiaomi_hosts.routed_sessions(cloud.port or 0):
            url = f"{ACCOUNT}/pass/serviceLogin?_json=true&sid={sid}"
            return answer(requests.get(url, timeout=xiaomi_hosts.TIMEOUT))

    got = await blocking(ask)
    assert (got["code"], got["sid"], got["result"]) == (70016, sid, "error")
    assert got["_sign"]
    assert got["callback"] == "https://sts.api.io.mi.com/sts"
    query = parse_qs(urlsplit(got["location"]).query)
    assert (query["sid"], query["_sign"]) == ([sid], [got["_sign"]])
    assert json.loads(query["serviceParam"][0])["checkSafePhone"] is False


async def test_qr_sign_in_keeps_the_sid_and_callback_asked_for(cloud: CloudServer) -> None:
    """loginUrl names the sid asked for; the long poll's location goes to the callback asked for.

    Xiaomi's answer for ``sid=micoapi`` carries ``sid=micoapi`` in ``loginUrl`` and ``qr``;
    that service's callback is ``https://api2.mina.mi.com/sts`` (a QR sign-in documented in
    public code).
    """
    callback = "https://api2.mina.mi.com/sts"

    def start() -> dict[str, Any]:
        query = {"sid": "micoapi", "callback": callback, "_json": "true"}
        return answer(session(cloud).get(f"{ACCOUNT}/longPolling/loginUrl", params=query))

    code = await blocking(start)
    assert parse_qs(urlsplit(code["loginUrl"]).query)["sid"] == ["micoapi"]
    assert parse_qs(urlsplit(code["qr"]).query)["sid"] == ["micoapi"]
    waiting = asyncio.ensure_future(
        blocking(lambda: answer(session(cloud).get(code["lp"], timeout=xiaomi_hosts.TIMEOUT)))
    )
    await asyncio.sleep(0.1)
    assert cloud.xiaomi.confirm_qr() is True
    polled = await waiting
    assert polled["code"] == 0
    assert polled["location"].startswith(f"{callback}?")
