"""Sign-in and the app API against a small Xiaomi look-alike on loopback.

The server side here checks and answers with micloud 0.6's own functions (`miutils`), so the
client is judged by an independent implementation of the signing, not by itself.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from micloud import miutils

from custom_components.xiaomi_aiot.miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotProtocolError,
)
from custom_components.xiaomi_aiot.miot.cloud_models import AccessTokenExpiredError, CloudProperty
from custom_components.xiaomi_aiot.miot.mi_account import (
    START,
    CaptchaAnswer,
    MiAccount,
    MiCaptchaRequiredError,
    MiPassTokenRefusedError,
    MiQrExpiredError,
    MiRateLimitedError,
    MiSignInError,
    MiTokens,
    MiTwoStepRequiredError,
    MiWrongPasswordError,
    parse_start_json,
)
from custom_components.xiaomi_aiot.miot.mi_api import MiAppClient, api_url
from harness.mi_account import start

USER, PASSWORD, USER_ID = "alice@example.com", "correct horse", "1812345678"
SSECURITY = base64.b64encode(b"sixteen byte key").decode()
PASS_TOKEN, SERVICE_TOKEN, NONCE = "pass-token-1", "service-token-1", "5312345"
CAPTCHA = "x7k2"


@dataclass
class Xiaomi:
    """What the look-alike account and API servers are told to do, and what they saw."""

    auth2: str = "ok"
    lp: str = "ok"
    api: str = "ok"
    service_tokens: list[str] = field(default_factory=lambda: [SERVICE_TOKEN])
    seen: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""

    def tokens_answer(self) -> dict[str, Any]:
        return {
            "code": 0,
            "result": "ok",
            "userId": int(USER_ID),
            "cUserId": "c-user",
            "ssecurity": SSECURITY,
            "passToken": PASS_TOKEN,
            "nonce": int(NONCE),
            "location": f"{self.base}/sts?d=1",
        }

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/pass/serviceLogin", self.service_login)
        app.router.add_post("/pass/serviceLoginAuth2", self.service_login_auth2)
        app.router.add_get("/sts", self.sts)
        app.router.add_get("/sts/redirect", self.sts_redirect)
        app.router.add_get("/pass/getCode", self.captcha)
        app.router.add_get("/longPolling/loginUrl", self.qr)
        app.router.add_get("/lp", self.long_poll)
        app.router.add_post("/{country}/app/{path:.*}", self.api_call)
        self.fleet = [
            {"did": str(n), "name": f"Plug {n}", "model": "cuco.plug.v3", "isOnline": n % 2 == 0}
            for n in range(1, 6)
        ]
        return app

    async def service_login(self, request: web.Request) -> web.Response:
        assert request.query["sid"] == "xiaomiio"
        assert request.query["_json"] == "true"
        if request.cookies.get("passToken") == PASS_TOKEN:
            assert request.cookies["userId"] == USER_ID
            return start(self.tokens_answer())
        return start(
            {
                "code": 70016,
                "_sign": "sign/Xyz=",
                "qs": "%3Fsid%3Dxiaomiio%26_json%3Dtrue",
                "callback": "https://sts.api.io.mi.com/sts",
            }
        )

    async def service_login_auth2(self, request: web.Request) -> web.Response:
        form = {k: v[0] for k, v in parse_qs(await request.text()).items()}
        self.seen.append(form)
        assert form["sid"] == "xiaomiio"
        assert form["_json"] == "true"
        assert form["_sign"] == "sign/Xyz="
        assert form["qs"] == "%3Fsid%3Dxiaomiio%26_json%3Dtrue"
        assert form["callback"] == "https://sts.api.io.mi.com/sts"
        right = form["user"] == USER and form["hash"] == (
            hashlib.md5(PASSWORD.encode()).hexdigest().upper()
        )
        mode = self.auth2
        if mode == "captcha":
            if form.get("captCode") == CAPTCHA and request.cookies.get("ick") == "ick-1":
                mode = "ok"
            else:
                code = 87001 if "captCode" in form else 70016
                return start({"code": code, "captchaUrl": "/pass/getCode?icodeType=login"})
        if mode == "ok" and not right:
            return start({"code": 70016, "desc": "wrong", "result": "error"})
        answers: dict[str, web.Response] = {
            "ok": start(self.tokens_answer()),
            "twostep": start({"code": 0, "notificationUrl": "/identity/authStart?sid=xiaomiio"}),
            "locked": start({"code": 70022, "desc": "too many"}),
            "429": web.Response(status=429, text="slow down"),
            "html": web.Response(text="<html>maintenance</html>", content_type="text/html"),
            "nostart": web.Response(text=json.dumps(self.tokens_answer())),
            "badjson": web.Response(text=START + "{not json"),
            "notobject": web.Response(text=START + "[1, 2]"),
            "nolocation": start({**self.tokens_answer(), "location": ""}),
            "500": web.Response(status=502, text="bad gateway"),
            "unknown": start({"code": 12345}),
        }
        if mode == "timeout":
            await asyncio.sleep(5)
        return answers[mode]

    async def sts(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(
            hashlib.sha1(f"nonce={NONCE}&{SSECURITY}".encode()).digest()
        ).decode()
        assert request.query["clientSign"] == expected
        response = web.Response(text="ok")
        response.set_cookie("serviceToken", self.service_tokens.pop(0))
        return response

    async def sts_redirect(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/sts?" + request.query_string)

    async def captcha(self, request: web.Request) -> web.Response:
        response = web.Response(body=b"\xff\xd8jpeg", content_type="image/jpeg")
        response.set_cookie("ick", "ick-1")
        return response

    async def qr(self, request: web.Request) -> web.Response:
        assert request.query["sid"] == "xiaomiio"
        return start(
            {
                "code": 0,
                "loginUrl": f"{self.base}/login/qr?ticket=1",
                "qr": f"{self.base}/qr.png",
                "lp": f"{self.base}/lp",
                "timeout": 0.5 if self.lp == "hang" else 30,
            }
        )

    async def long_poll(self, request: web.Request) -> web.Response:
        if self.lp == "hang":
            await asyncio.sleep(5)
        if self.lp == "expired":
            return start({"code": 700, "desc": "expired"})
        return start(self.tokens_answer())

    async def api_call(self, request: web.Request) -> web.Response:
        url = f"https://{request.match_info['country']}.api.io.mi.com/app/"
        url += request.match_info["path"]
        form = {k: v[0] for k, v in parse_qs(await request.text()).items()}
        assert request.headers["MIOT-ENCRYPT-ALGORITHM"] == "ENCRYPT-RC4"
        assert request.headers["x-xiaomi-protocal-flag-cli"] == "PROTOCAL-HTTP2"
        cookies = request.cookies
        if cookies.get("serviceToken") != SERVICE_TOKEN or self.api == "401":
            return web.Response(status=401, text='{"code":3,"message":"auth err"}')
        assert cookies["yetAnotherServiceToken"] == SERVICE_TOKEN
        assert cookies["userId"] == USER_ID
        assert cookies["locale"] == "en_GB"
        assert cookies["timezone"].startswith("GMT")
        signed = miutils.signed_nonce(SSECURITY, form["_nonce"])
        fields = {k: form[k] for k in ("data", "rc4_hash__")}
        if miutils.gen_enc_signature(url, "POST", signed, fields) != form["signature"]:
            return web.Response(status=403, text='{"code":-1,"message":"bad signature"}')
        data = json.loads(miutils.decrypt_rc4(signed, form["data"]))
        rc4_hash = miutils.decrypt_rc4(signed, form["rc4_hash__"]).decode()
        plain = {"data": json.dumps(data, separators=(",", ":"))}
        assert miutils.gen_enc_signature(url, "POST", signed, plain) == rc4_hash
        self.seen.append({"path": "/" + request.match_info["path"], "data": data})
        answer = self.result(request.match_info["path"], data)
        if self.api == "timeout":
            await asyncio.sleep(5)
        malformed: dict[str, web.Response] = {
            "html": web.Response(text="<html>busy</html>", content_type="text/html"),
            "badbase64": web.Response(text="@@@@not base64@@@@"),
            "wrongkey": web.Response(text=miutils.encrypt_rc4(SSECURITY, json.dumps(answer))),
            "empty": web.Response(text=""),
            "500": web.Response(status=503, text="<html>unavailable</html>"),
            "403": web.Response(status=403, text="forbidden"),
            "binary": web.Response(body=b"\xff\xfe\x00"),
            "plainerror": web.Response(text='{"code":-8,"message":"data type not valid"}'),
            "offline": web.Response(
                text=miutils.encrypt_rc4(
                    signed, json.dumps({"code": -704042011, "message": "offline"})
                )
            ),
        }
        if self.api in malformed:
            return malformed[self.api]
        return web.Response(text=miutils.encrypt_rc4(signed, json.dumps(answer)))

    def result(self, path: str, data: Any) -> dict[str, Any]:
        results: dict[str, Any] = {
            "v2/homeroom/gethome": {
                "homelist": [
                    {
                        "id": 100,
                        "name": "Home",
                        "dids": ["1"],
                        "roomlist": [{"id": 200, "name": "Hall", "dids": ["2"]}],
                    }
                ]
            },
            "home/device_list": {
                "list": [
                    {
                        "did": "1",
                        "name": "Lamp",
                        "model": "yeelink.light.color1",
                        "token": "00" * 16,
                        "localip": "192.168.1.5",
                        "isOnline": True,
                        "spec_type": "urn:miot-spec-v2:device:light:0000A001:yeelink-color1:1",
                    }
                ]
            },
            "miotspec/action": {"code": 0, "out": [1]},
        }
        if path == "v2/home/device_list_page":
            first = next(i for i, d in enumerate(self.fleet) if d["did"] >= data["start_did"])
            page = self.fleet[first : first + data["limit"]]
            more = first + data["limit"] < len(self.fleet)
            next_did = self.fleet[first + data["limit"]]["did"] if more else ""
            results[path] = {"list": page, "has_more": more, "next_start_did": next_did}
        if path == "miotspec/prop/get":
            results[path] = [{**p, "code": 0, "value": True} for p in data["params"]]
        if path == "miotspec/prop/set":
            results[path] = [{k: p[k] for k in ("did", "siid", "piid")} for p in data["params"]]
        return {"code": 0, "message": "ok", "result": results[path]}


@pytest.fixture
async def xiaomi() -> AsyncIterator[tuple[Xiaomi, MiAccount, aiohttp.ClientSession]]:
    state = Xiaomi()
    server = TestServer(state.app(), host="127.0.0.1")
    await server.start_server()
    state.base = str(server.make_url("")).rstrip("/")
    async with aiohttp.ClientSession() as session:
        yield state, MiAccount(session, account_url=state.base, timeout=2.0), session
    await server.close()


def tokens() -> MiTokens:
    return MiTokens(USER_ID, PASS_TOKEN, SSECURITY, SERVICE_TOKEN, "c-user")


async def test_password_sign_in_gives_the_tokens_and_the_service_token(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    got = await account.sign_in(USER, PASSWORD)
    assert got == tokens()
    assert PASSWORD not in str(state.seen)
    assert "pass-token" not in repr(got)
    assert "service-token" not in repr(got)


async def test_location_redirects_are_followed_to_the_service_token(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    answer = {**state.tokens_answer(), "location": f"{state.base}/sts/redirect?d=1"}
    got = await account._finish(answer)
    assert got.service_token == SERVICE_TOKEN


async def test_wrong_password_then_right(xiaomi: Any) -> None:
    _, account, _ = xiaomi
    with pytest.raises(MiWrongPasswordError):
        await account.sign_in(USER, "wrong")
    assert (await account.sign_in(USER, PASSWORD)).user_id == USER_ID


async def test_captcha_is_shown_answered_and_sent_back_with_its_cookie(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    state.auth2 = "captcha"
    with pytest.raises(MiCaptchaRequiredError) as asked:
        await account.sign_in(USER, PASSWORD)
    assert asked.value.captcha_url == f"{state.base}/pass/getCode?icodeType=login"
    assert not asked.value.wrong
    image = await account.fetch_captcha(asked.value.captcha_url)
    assert image.image.startswith(b"\xff\xd8")
    with pytest.raises(MiCaptchaRequiredError) as wrong:
        await account.sign_in(USER, PASSWORD, captcha=CaptchaAnswer("nope", image.ick))
    assert wrong.value.wrong
    got = await account.sign_in(USER, PASSWORD, captcha=CaptchaAnswer(CAPTCHA, image.ick))
    assert got.service_token == SERVICE_TOKEN


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        pytest.param("twostep", MiTwoStepRequiredError, id="2-step"),
        pytest.param("locked", MiRateLimitedError, id="locked"),
        pytest.param("429", MiRateLimitedError, id="http-429"),
        pytest.param("unknown", MiSignInError, id="unknown-code"),
        pytest.param("html", MiotProtocolError, id="html"),
        pytest.param("nostart", MiotProtocolError, id="no-start-marker"),
        pytest.param("badjson", MiotProtocolError, id="bad-json"),
        pytest.param("notobject", MiotProtocolError, id="not-an-object"),
        pytest.param("nolocation", MiotProtocolError, id="no-location"),
        pytest.param("500", MiotConnectionError, id="5xx"),
        pytest.param("timeout", MiotConnectionError, id="timeout"),
    ],
)
async def test_each_refusal_and_malformed_answer_is_typed(
    xiaomi: Any, mode: str, error: type[Exception]
) -> None:
    state, account, _ = xiaomi
    state.auth2 = mode
    with pytest.raises(error):
        await account.sign_in(USER, PASSWORD)


async def test_two_step_names_the_identity_pages(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    state.auth2 = "twostep"
    with pytest.raises(MiTwoStepRequiredError) as asked:
        await account.sign_in(USER, PASSWORD)
    assert asked.value.notification_url == f"{state.base}/identity/authStart?sid=xiaomiio"


async def test_pass_token_renews_the_service_token(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    state.service_tokens = ["service-token-2"]
    renewed = await account.renew(tokens())
    assert renewed.service_token == "service-token-2"
    assert renewed.pass_token == PASS_TOKEN


async def test_refused_pass_token_is_its_own_error(xiaomi: Any) -> None:
    _, account, _ = xiaomi
    stale = MiTokens(USER_ID, "stale", SSECURITY, SERVICE_TOKEN)
    with pytest.raises(MiPassTokenRefusedError):
        await account.renew(stale)


async def test_qr_sign_in_waits_for_the_phone_then_gives_tokens(xiaomi: Any) -> None:
    state, account, _ = xiaomi
    qr = await account.start_qr()
    assert qr.qr_url == f"{state.base}/qr.png"
    assert qr.login_url.startswith(f"{state.base}/login/qr")
    assert await account.wait_qr(qr) == tokens()


@pytest.mark.parametrize("mode", ["hang", "expired"])
async def test_qr_code_not_confirmed_expires(xiaomi: Any, mode: str) -> None:
    state, account, _ = xiaomi
    state.lp = mode
    with pytest.raises(MiQrExpiredError):
        await account.wait_qr(await account.start_qr())


@pytest.mark.parametrize("text", ["", "{}", START, START + "null", "<html></html>", START + '"x"'])
def test_start_json_is_strict(text: str) -> None:
    with pytest.raises(MiotProtocolError):
        parse_start_json(text)


def test_api_hosts_are_xiaomis() -> None:
    assert api_url("cn") == "https://api.io.mi.com/app"
    assert api_url("de") == "https://de.api.io.mi.com/app"
    assert api_url("i2") == "https://i2.api.io.mi.com/app"
    with pytest.raises(ValueError, match="unknown country"):
        api_url("xx")


def client(state: Xiaomi, session: aiohttp.ClientSession, **kwargs: Any) -> MiAppClient:
    template = state.base + "/{country}/app"
    return MiAppClient(session, tokens(), "de", api_url_template=template, timeout=2.0, **kwargs)


async def test_app_api_lists_homes_devices_and_reads_writes_acts(xiaomi: Any) -> None:
    state, _, session = xiaomi
    api = client(state, session)
    homes = await api.get_homes()
    assert [(h.id, h.name, h.rooms[0].name) for h in homes] == [("100", "Home", "Hall")]
    devices = await api.get_devices()
    assert [(d.did, d.model, d.local_ip, d.online) for d in devices] == [
        ("1", "yeelink.light.color1", "192.168.1.5", True)
    ]
    assert await api.get_properties([("1", 2, 1), ("2", 2, 1)]) == [
        CloudProperty("1", 2, 1, 0, True),
        CloudProperty("2", 2, 1, 0, True),
    ]
    assert await api.set_properties([("1", 2, 1, False)]) == [CloudProperty("1", 2, 1, 0, None)]
    assert await api.action("1", 5, 1, [3]) == (0, [1])
    assert [s["path"] for s in state.seen] == [
        "/v2/homeroom/gethome",
        "/home/device_list",
        "/miotspec/prop/get",
        "/miotspec/prop/set",
        "/miotspec/action",
    ]
    assert state.seen[3]["data"] == {"params": [{"did": "1", "siid": 2, "piid": 1, "value": False}]}
    assert state.seen[4]["data"] == {"params": {"did": "1", "siid": 5, "aiid": 1, "in": [3]}}


@pytest.mark.parametrize("page_size", [1, 2, 5, 200])
async def test_a_large_account_is_listed_page_by_page(xiaomi: Any, page_size: int) -> None:
    state, _, session = xiaomi
    devices = await client(state, session).get_devices_paged(page_size)
    assert [d.did for d in devices] == ["1", "2", "3", "4", "5"]
    assert [d.online for d in devices] == [False, True, False, True, False]
    assert len(state.seen) == -(-5 // page_size)


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        pytest.param("html", MiotProtocolError, id="html"),
        pytest.param("badbase64", MiotProtocolError, id="bad-base64"),
        pytest.param("wrongkey", MiotProtocolError, id="undecryptable"),
        pytest.param("empty", MiotProtocolError, id="empty"),
        pytest.param("binary", MiotProtocolError, id="binary"),
        pytest.param("500", MiotConnectionError, id="5xx"),
        pytest.param("timeout", MiotConnectionError, id="timeout"),
        pytest.param("401", AccessTokenExpiredError, id="expired-401"),
        pytest.param("403", MiotAuthenticationError, id="refused-403"),
        pytest.param("plainerror", MiotDeviceError, id="plain-error"),
        pytest.param("offline", MiotDeviceOfflineError, id="offline"),
    ],
)
async def test_every_bad_app_api_answer_is_a_typed_error(
    xiaomi: Any, mode: str, error: type[Exception]
) -> None:
    state, _, session = xiaomi
    state.api = mode
    with pytest.raises(error):
        await client(state, session).get_homes()


async def test_a_wrong_ssecurity_is_refused_like_a_bad_signature(xiaomi: Any) -> None:
    state, _, session = xiaomi
    api = client(state, session)
    api.tokens = MiTokens(USER_ID, PASS_TOKEN, base64.b64encode(b"other").decode(), SERVICE_TOKEN)
    with pytest.raises(MiotAuthenticationError):
        await api.get_homes()
    assert state.seen == []


async def test_an_unreachable_api_is_a_connection_error() -> None:
    async with aiohttp.ClientSession() as session:
        api = MiAppClient(
            session, tokens(), "de", api_url_template="http://127.0.0.1:9/{country}/app"
        )
        with pytest.raises(MiotConnectionError):
            await api.get_homes()
