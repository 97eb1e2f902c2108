"""Xiaomi's real sign-in and app API, served on the cloud's port and told apart by ``Host``.

``account.xiaomi.com`` signs in (``/pass/serviceLogin``, ``/pass/serviceLoginAuth2``),
``sts.api.io.mi.com`` turns the sign-in's ``location`` into the ``serviceToken`` cookie, and
``api.io.mi.com``, ``<region>.api.io.mi.com`` and ``api.mijia.tech`` answer the app API under
``/app`` over the home's devices (results built by `CloudServer`). See README.md.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import secrets
import struct
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from aiohttp import web

from custom_components.xiaomi_aiot.miot.codes import CloudCode

from . import rpc
from . import xiaomi_crypto as crypto
from .home import default_did

if TYPE_CHECKING:
    from .cloud import CloudServer

ACCOUNT_HOST = "account.xiaomi.com"
STS_HOST = "sts.api.io.mi.com"
LP_HOST = "lp.account.xiaomi.com"
QR_LIFETIME = 300.0
SERVICE_PARAM = '{"checkSafePhone":false,"checkSafeAddress":false}'
API_HOSTS = ("api.io.mi.com", "api.mijia.tech")
START = "&&&START&&&"
SID = "xiaomiio"
QS = "%3Fsid%3Dxiaomiio%26_json%3Dtrue"
STS_URL = f"https://{STS_HOST}/sts"
LOGIN_FAILED = 70016
CAPTCHA_WRONG = 87001
WRONG_CODE = 70014
REACH_LIMIT = 70022
"""``RESULT_CODE_ERROR_REACH_LIMIT`` (0x11186) of Xiaomi's account SDK."""
QR_EXPIRED = 700
MASKED_PHONE = "+86 138******00"
MASKED_EMAIL = "d***o@example.com"
_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))

type Route = Callable[[web.Request], Awaitable[web.Response]]


def host_of(request: web.Request) -> str:
    """The request's ``Host`` without a port, lower case."""
    host = (request.headers.get("Host") or "").lower()
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() else host


def is_xiaomi_host(host: str) -> bool:
    """Whether a host name is one of Xiaomi's that this module serves."""
    return host in (ACCOUNT_HOST, LP_HOST, *API_HOSTS) or host.endswith(".api.io.mi.com")


@dataclass(slots=True)
class Grant:
    """What one sign-in gave: the account's user id, the session's ssecurity and tokens."""

    user_id: str
    ssecurity: str
    pass_token: str
    nonce: int
    expires: float = 0.0


class XiaomiSide:
    """The Xiaomi hosts of one simulated cloud."""

    def __init__(self, cloud: CloudServer) -> None:
        """Serve `cloud`'s home and devices; sessions last its token lifetime."""
        self.cloud = cloud
        account = cloud.simulator.home.account
        self.user_id = str(default_did(f"user:{account.username}"))
        self._signs: set[str] = set()
        self._tickets: dict[str, Grant] = {}
        self._pass_tokens: dict[str, Grant] = {}
        self._service_tokens: dict[str, Grant] = {}
        self.refusals: dict[str, int] = {
            "password": 0,
            "signature": 0,
            "token": 0,
            "captcha": 0,
            "code": 0,
        }
        self.api_calls: Counter[str] = Counter()
        """App API requests received, by path (``/app/miotspec/prop/get``…)."""
        self.captcha_code: str | None = None
        self.verification_code: str | None = None
        self._icks: dict[str, str] = {}
        self._contexts: dict[str, Grant | None] = {}
        self.qr_lifetime = QR_LIFETIME
        self._qr: dict[str, tuple[asyncio.Event, list[Grant]]] = {}
        self._qr_callbacks: dict[str, str] = {}
        self._routes: dict[tuple[str, str, str], Route] = {
            (ACCOUNT_HOST, "GET", "/pass/serviceLogin"): self._service_login,
            (ACCOUNT_HOST, "POST", "/pass/serviceLoginAuth2"): self._service_login_auth,
            (ACCOUNT_HOST, "GET", "/pass/getCode"): self._captcha_image,
            (ACCOUNT_HOST, "GET", "/fe/service/identity/authStart"): self._identity_start,
            (ACCOUNT_HOST, "GET", "/identity/list"): self._identity_list,
            (ACCOUNT_HOST, "GET", "/identity/auth/verifyPhone"): self._masked_target,
            (ACCOUNT_HOST, "GET", "/identity/auth/verifyEmail"): self._masked_target,
            (ACCOUNT_HOST, "POST", "/identity/auth/sendPhoneTicket"): self._send_code,
            (ACCOUNT_HOST, "POST", "/identity/auth/sendEmailTicket"): self._send_code,
            (ACCOUNT_HOST, "POST", "/identity/auth/verifyPhone"): self._verify_code,
            (ACCOUNT_HOST, "POST", "/identity/auth/verifyEmail"): self._verify_code,
            (ACCOUNT_HOST, "GET", "/identity/result/check"): self._identity_done,
            (ACCOUNT_HOST, "GET", "/longPolling/loginUrl"): self._qr_login_url,
            (ACCOUNT_HOST, "GET", "/longPolling/qr"): self._qr_image,
            (ACCOUNT_HOST, "POST", "/longPolling/login"): self._qr_scan,
            (LP_HOST, "GET", "/lp/s"): self._qr_poll,
            (STS_HOST, "GET", "/sts"): self._sts,
            ("api", "POST", "/app/v2/homeroom/gethome"): self._homes,
            ("api", "POST", "/app/homeroom/gethome"): self._homes,
            ("api", "POST", "/app/v2/homeroom/gethome_merged"): self._homes,
            ("api", "POST", "/app/home/home_device_list"): self._home_devices,
            ("api", "POST", "/app/v2/message/v2/check_new_msg"): self._messages,
            ("api", "POST", "/app/home/device_list"): self._device_list,
            ("api", "POST", "/app/v2/home/device_list_page"): self._device_page,
            ("api", "POST", "/app/miotspec/prop/get"): self._get_properties,
            ("api", "POST", "/app/miotspec/prop/set"): self._set_properties,
            ("api", "POST", "/app/miotspec/action"): self._action,
        }

    # --- state ------------------------------------------------------------------------------

    def expire_all(self) -> None:
        """Every service token issued so far stops working (pass tokens still renew)."""
        self._service_tokens.clear()

    def describe(self) -> dict[str, Any]:
        """The Xiaomi side as the admin API shows it."""
        return {
            "user_id": self.user_id,
            "service_tokens": len(self._live_tokens()),
            "pass_tokens": len(self._pass_tokens),
            "refusals": dict(self.refusals),
            "api_calls": dict(self.api_calls),
            "captcha_code": self.captcha_code,
            "verification_code": self.verification_code,
        }

    def close(self) -> None:
        """Let every long poll still waiting go (it answers that the QR code expired)."""
        for event, _ in self._qr.values():
            event.set()

    def confirm_qr(self, ticket: str | None = None) -> bool:
        """The phone's part of a QR sign-in: confirm `ticket` (None: the newest); False if none."""
        if ticket is None and self._qr:
            ticket = next(reversed(self._qr))
        entry = self._qr.get(ticket or "")
        if entry is None or entry[0].is_set():
            return False
        entry[1].append(self._grant())
        entry[0].set()
        return True

    def _live_tokens(self) -> list[Grant]:
        now = self.cloud.clock()
        return [grant for grant in self._service_tokens.values() if grant.expires > now]

    def _grant(self) -> Grant:
        nonce = secrets.randbelow(2**62)
        ssecurity = base64.b64encode(secrets.token_bytes(16)).decode()
        grant = Grant(self.user_id, ssecurity, "V1:" + _b64_token(32), nonce)
        self._pass_tokens[grant.pass_token] = grant
        return grant

    # --- dispatch ---------------------------------------------------------------------------

    async def handle(self, request: web.Request, host: str) -> web.Response:
        """Answer a request sent to one of Xiaomi's hosts."""
        kind = host if host in (ACCOUNT_HOST, LP_HOST, STS_HOST) else "api"
        route = self._routes.get((kind, request.method, request.path))
        if route is None:
            raise web.HTTPNotFound
        if kind == "api":
            self.api_calls[request.path] += 1
        return await route(request)

    # --- sign-in ----------------------------------------------------------------------------

    async def _service_login(self, request: web.Request) -> web.Response:
        grant = self._pass_tokens.get(request.cookies.get("passToken", ""))
        if self.cloud.faults.refuse_pass_token and grant is not None:
            self.refusals["token"] += 1
        elif grant is not None and request.cookies.get("userId") == grant.user_id:
            return self._signed_in(grant)
        return self._login_failed(
            request.query.get("callback", STS_URL), sid=request.query.get("sid", SID)
        )

    async def _service_login_auth(self, request: web.Request) -> web.Response:
        form = await request.post()
        callback = str(form.get("callback") or STS_URL)
        if self.cloud.faults.rate_limit:
            self.refusals["password"] += 1
            return _account_answer(
                {
                    "code": REACH_LIMIT,
                    "result": "error",
                    "description": "操作过于频繁",
                    "desc": "操作过于频繁",
                }
            )
        if self.cloud.faults.captcha:
            expected = self._icks.pop(request.cookies.get("ick", ""), None)
            if expected is None or str(form.get("captCode", "")).lower() != expected:
                self.refusals["captcha"] += 1
                # hass-xiaomi-miot's core/xiaomi_cloud.py: 70016 with a captchaUrl when a
                # captcha is wanted, 87001 when the one sent (captCode) is wrong.
                return self._login_failed(callback, captcha=True, wrong="captCode" in form)
        if not self._password_right(form):
            self.refusals["password"] += 1
            return self._login_failed(callback)
        if self.cloud.faults.two_step:
            return self._two_step()
        return self._signed_in(self._grant(), callback)

    def _password_right(self, form: Mapping[str, Any]) -> bool:
        account = self.cloud.simulator.home.account
        user, digest = str(form.get("user", "")), str(form.get("hash", ""))
        return user in (account.username, self.user_id) and digest == crypto.password_hash(
            account.password
        )

    async def _captcha_image(self, request: web.Request) -> web.Response:
        """A new captcha: its code (readable in the admin API) and the ``ick`` cookie."""
        del request
        self.captcha_code = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(4))
        ick = _b64_token(16)
        self._icks[ick] = self.captcha_code
        response = web.Response(body=_png(), content_type="image/png")
        response.set_cookie("ick", ick, path="/")
        return response

    # --- QR code ----------------------------------------------------------------------------

    async def _qr_login_url(self, request: web.Request) -> web.Response:
        """A new QR code: the URL it holds, its image and the long poll that waits for it.

        As Xiaomi's answer, ``loginUrl`` and ``qr`` name the ``sid`` asked for (``mijia`` for
        mijiaAPI), and the sign-in the long poll ends with goes to the ``callback`` asked for.
        """
        ticket = _b64_token(16)
        self._qr[ticket] = (asyncio.Event(), [])
        self._qr_callbacks[ticket] = request.query.get("callback") or STS_URL
        query = urlencode({"ticket": ticket, "sid": request.query.get("sid") or SID})
        return _account_answer(
            {
                "code": 0,
                "result": "ok",
                "desc": "成功",
                "description": "成功",
                "loginUrl": f"https://{ACCOUNT_HOST}/longPolling/login?{query}",
                "qr": f"https://{ACCOUNT_HOST}/longPolling/qr?{query}",
                "lp": f"https://{LP_HOST}/lp/s?{urlencode({'a': ticket})}",
                "timeout": int(self.qr_lifetime),
                "timeInterval": int(self.qr_lifetime),
            }
        )

    async def _qr_image(self, request: web.Request) -> web.Response:
        if request.query.get("ticket", "") not in self._qr:
            raise web.HTTPNotFound
        return web.Response(body=_png(), content_type="image/png")

    async def _qr_scan(self, request: web.Request) -> web.Response:
        """The phone confirms: ``user`` and ``hash`` as in the password sign-in."""
        form = await request.post()
        if not self._password_right(form):
            self.refusals["password"] += 1
            return _account_answer(
                {"code": LOGIN_FAILED, "result": "error", "desc": "登录验证失败"}
            )
        if not self.confirm_qr(request.query.get("ticket", "")):
            return _account_answer({"code": QR_EXPIRED, "result": "error", "desc": "二维码已过期"})
        return _account_answer({"code": 0, "result": "ok", "desc": "成功"})

    async def _qr_poll(self, request: web.Request) -> web.Response:
        """Held until the code is confirmed (then the sign-in's tokens) or expires."""
        ticket = request.query.get("a", "")
        entry = self._qr.get(ticket)
        if entry is None:
            return _account_answer({"code": QR_EXPIRED, "result": "error", "desc": "二维码已过期"})
        event, grants = entry
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), self.qr_lifetime)
        self._qr.pop(ticket, None)
        callback = self._qr_callbacks.pop(ticket, STS_URL)
        if not grants:
            return _account_answer({"code": QR_EXPIRED, "result": "error", "desc": "二维码已过期"})
        return self._signed_in(grants[0], callback)

    # --- 2-step verification ----------------------------------------------------------------

    def _two_step(self) -> web.Response:
        context = _b64_token(16)
        self._contexts[context] = None
        query = urlencode({"sid": SID, "context": context, "_locale": "en_US"})
        return _account_answer(
            {
                "qs": QS,
                "code": 0,
                "description": "成功",
                "securityStatus": 16,
                "result": "ok",
                "captchaUrl": None,
                "location": "",
                "notificationUrl": f"https://{ACCOUNT_HOST}/fe/service/identity/authStart?{query}",
                "pwd": 1,
                "child": 0,
                "desc": "成功",
            }
        )

    def _context(self, request: web.Request) -> str | None:
        context = request.query.get("context") or request.cookies.get("identity_session", "")
        return context if context in self._contexts else None

    async def _identity_start(self, request: web.Request) -> web.Response:
        context = self._context(request)
        if context is None:
            raise web.HTTPNotFound
        response = web.Response(text="<html><body>verify your identity</body></html>")
        response.content_type = "text/html"
        response.set_cookie("identity_session", context, path="/")
        return response

    async def _identity_list(self, request: web.Request) -> web.Response:
        context = self._context(request)
        if context is None:
            return _account_answer({"code": WRONG_CODE, "tips": "no identity session"})
        only = {"phone": [4], "email": [8]}.get(str(self.cloud.faults.two_step), [4, 8])
        response = _account_answer({"code": 0, "flag": only[0], "options": only})
        response.set_cookie("identity_session", context, path="/")
        return response

    async def _masked_target(self, request: web.Request) -> web.Response:
        """Where a code would go: ``maskedPhone`` or ``maskedEmail`` (go2rtc reads them)."""
        if self._context(request) is None:
            return _account_answer({"code": WRONG_CODE, "tips": "no identity session"})
        if request.path.endswith("Phone"):
            return _account_answer({"code": 0, "maskedPhone": MASKED_PHONE})
        return _account_answer({"code": 0, "maskedEmail": MASKED_EMAIL})

    async def _send_code(self, request: web.Request) -> web.Response:
        if self._context(request) is None:
            return _account_answer({"code": WRONG_CODE, "tips": "no identity session"})
        self.verification_code = f"{secrets.randbelow(10**6):06d}"
        return _account_answer({"code": 0})

    async def _verify_code(self, request: web.Request) -> web.Response:
        """The code as form field ``ticket`` (hass-xiaomi-miot) or in the query (go2rtc)."""
        form = await request.post()
        context = self._context(request)
        ticket = str(form.get("ticket") or request.query.get("ticket", ""))
        if context is None or self.verification_code is None or ticket != self.verification_code:
            self.refusals["code"] += 1
            return _account_answer({"code": WRONG_CODE, "tips": "验证码错误"})
        self.verification_code = None
        self._contexts[context] = self._grant()
        query = urlencode({"sid": SID, "context": context})
        return _account_answer(
            {"code": 0, "location": f"https://{ACCOUNT_HOST}/identity/result/check?{query}"}
        )

    async def _identity_done(self, request: web.Request) -> web.Response:
        """The verified session: passToken, userId and cUserId cookies, the session's
        ``ssecurity`` in ``Extension-Pragma``, and a redirect to the STS (as go2rtc's
        ``pkg/xiaomi/cloud.go`` reads a verified sign-in)."""
        context = request.query.get("context", "")
        grant = self._contexts.pop(context, None)
        if grant is None:
            raise web.HTTPNotFound
        ticket = _b64_token(24)
        self._tickets[ticket] = grant
        query = urlencode({"d": "simulator", "ticket": "0", "pwd": "1", "auth": ticket})
        response = web.HTTPFound(f"{STS_URL}?{query}&nonce={quote(str(grant.nonce))}")
        response.headers["Extension-Pragma"] = _dumps(
            {"nonce": grant.nonce, "ssecurity": grant.ssecurity, "psecurity": _b64_token(16)}
        )
        response.set_cookie("passToken", grant.pass_token, path="/")
        response.set_cookie("userId", grant.user_id, path="/")
        response.set_cookie("cUserId", "c" + grant.user_id, path="/")
        raise response

    def _login_failed(
        self, callback: str, *, captcha: bool = False, wrong: bool = False, sid: str = SID
    ) -> web.Response:
        sign = _b64_token(20)
        self._signs.add(sign)
        location = f"https://{ACCOUNT_HOST}/fe/service/login?" + urlencode(
            {
                "_json": "true",
                "sid": sid,
                "qs": QS,
                "callback": callback,
                "_sign": sign,
                "serviceParam": SERVICE_PARAM,
                "showActiveX": "false",
                "theme": "",
                "needTheme": "false",
                "bizDeviceType": "",
            }
        )
        return _account_answer(
            {
                "serviceParam": SERVICE_PARAM,
                "qs": QS,
                "code": CAPTCHA_WRONG if wrong else LOGIN_FAILED,
                "description": "登录验证失败",
                "securityStatus": 0,
                "_sign": sign,
                "sid": sid,
                "result": "error",
                "captchaUrl": f"/pass/getCode?icodeType=login&_={_b64_token(6)}"
                if captcha
                else None,
                "callback": callback,
                "location": location,
                "pwd": 0,
                "child": 0,
                "desc": "登录验证失败",
            }
        )

    def _signed_in(self, grant: Grant, callback: str = STS_URL) -> web.Response:
        ticket = _b64_token(24)
        self._tickets[ticket] = grant
        query = {"d": "simulator", "ticket": "0", "pwd": "1", "auth": ticket, "m": "1"}
        location = f"{callback}?{urlencode(query)}&nonce={quote(str(grant.nonce))}"
        response = _account_answer(
            {
                "qs": QS,
                "ssecurity": grant.ssecurity,
                "code": 0,
                "passToken": grant.pass_token,
                "description": "成功",
                "securityStatus": 0,
                "nonce": grant.nonce,
                "userId": int(grant.user_id),
                "cUserId": "c" + grant.user_id,
                "result": "ok",
                "psecurity": _b64_token(16),
                "captchaUrl": None,
                "location": location,
                "pwd": 1,
                "child": 0,
                "desc": "成功",
            }
        )
        response.set_cookie("passToken", grant.pass_token, path="/")
        response.set_cookie("userId", grant.user_id, path="/")
        return response

    async def _sts(self, request: web.Request) -> web.Response:
        grant = self._tickets.pop(request.query.get("auth", ""), None)
        sign = request.query.get("clientSign")
        if grant is None or (
            sign is not None and sign != crypto.client_sign(str(grant.nonce), grant.ssecurity)
        ):
            self.refusals["token"] += 1
            return web.Response(status=401, text="error")
        token = _b64_token(48)
        self._service_tokens[token] = Grant(
            grant.user_id,
            grant.ssecurity,
            grant.pass_token,
            grant.nonce,
            self.cloud.clock() + self.cloud.token_lifetime,
        )
        response = web.Response(text="ok")
        response.set_cookie("serviceToken", token, path="/")
        response.set_cookie("userId", grant.user_id, path="/")
        return response

    # --- the app API ------------------------------------------------------------------------

    async def _call(
        self, request: web.Request, answer: Callable[[Mapping[str, Any]], Any]
    ) -> web.Response:
        """Check the session and signature, decrypt the request, and encrypt the answer."""
        grant = self._service_tokens.get(request.cookies.get("serviceToken", ""))
        if grant is None or grant.expires <= self.cloud.clock():
            self.refusals["token"] += 1
            return _refusal("auth err")
        form = await request.post()
        fields = [(key, str(value)) for key, value in form.items()]
        nonce = str(form.get("_nonce", ""))
        path = request.path.removeprefix("/app")
        try:
            signed = crypto.signed_nonce(grant.ssecurity, nonce)
        except ValueError:
            return self._bad_signature()
        if "rc4_hash__" in form:
            data = self._rc4_data(request.method, path, fields, signed)
        else:
            data = self._plain_data(path, fields, signed, nonce)
        if data is None:
            return self._bad_signature()
        try:
            body = json.loads(data) if data else {}
        except ValueError:
            body = None
        if not isinstance(body, Mapping):
            result = {"code": -1, "message": "data is not a JSON object"}
        else:
            from .cloud import RefusalError  # noqa: PLC0415 - cloud imports this module

            try:
                result = {"code": 0, "message": "ok", "result": answer(body)}
            except RefusalError as err:
                result = {"code": err.code, "message": err.message}
        text = _dumps(result)
        if "rc4_hash__" in form:
            return web.Response(text=crypto.encrypt(signed, text), content_type="text/plain")
        return web.Response(text=text, content_type="application/json")

    def _rc4_data(
        self, method: str, path: str, fields: list[tuple[str, str]], signed: str
    ) -> str | None:
        """The decrypted ``data`` of an RC4 request, or None if a signature does not hold."""
        signature = dict(fields).get("signature", "")
        encrypted = [(k, v) for k, v in fields if k not in ("signature", "ssecurity", "_nonce")]
        if signature != crypto.rc4_signature(method, path, encrypted, signed):
            return None
        try:
            plain = [(k, crypto.decrypt(signed, v).decode()) for k, v in encrypted]
        except ValueError:
            return None
        values = dict(plain)
        rest = [(k, v) for k, v in plain if k != "rc4_hash__"]
        if values.get("rc4_hash__") != crypto.rc4_signature(method, path, rest, signed):
            return None
        return values.get("data", "")

    def _plain_data(
        self, path: str, fields: list[tuple[str, str]], signed: str, nonce: str
    ) -> str | None:
        """The ``data`` of a plain (HMAC-signed) request, or None if its signature does not hold."""
        values = dict(fields)
        signed_fields = [(k, v) for k, v in fields if k not in ("signature", "_nonce", "ssecurity")]
        if values.get("signature") != crypto.hmac_signature(path, signed, nonce, signed_fields):
            return None
        return values.get("data", "")

    def _bad_signature(self) -> web.Response:
        self.refusals["signature"] += 1
        return _refusal("invalid signature")

    def _elsewhere(self, request: web.Request) -> bool:
        """Whether the request came to another country's API than the account's: there the
        account has no homes and no devices, as Xiaomi answers for a country not used."""
        host = host_of(request)
        country = host.removesuffix(".api.io.mi.com") if host.endswith(".api.io.mi.com") else "cn"
        return country != self.cloud.simulator.home.account.country

    async def _homes(self, request: web.Request) -> web.Response:
        elsewhere = self._elsewhere(request)

        def answer(body: Mapping[str, Any]) -> Any:
            del body
            if elsewhere:
                return {"homelist": [], "has_more": False, "max_id": ""}
            result = self.cloud.homes_result()
            for home in result["homelist"]:
                home["uid"] = int(self.user_id)
            return {**result, "has_more": False, "max_id": ""}

        return await self._call(request, answer)

    async def _device_list(self, request: web.Request) -> web.Response:
        elsewhere = self._elsewhere(request)

        def answer(body: Mapping[str, Any]) -> Any:
            del body
            devices = [] if elsewhere else self.cloud.simulator.devices.values()
            return {"list": [self._device(d) for d in devices]}

        return await self._call(request, answer)

    def _page(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A page of the device list, each device as this API shows it."""
        page = self.cloud.device_page_result(body)
        by_did = {str(d.did): d for d in self.cloud.simulator.devices.values()}
        page["list"] = [self._device(by_did[item["did"]]) for item in page["list"]]
        return page

    async def _device_page(self, request: web.Request) -> web.Response:
        if self._elsewhere(request):
            empty = {"list": [], "has_more": False, "next_start_did": ""}
            return await self._call(request, lambda body: empty)
        return await self._call(request, self._page)

    async def _home_devices(self, request: web.Request) -> web.Response:
        """One home's devices by pages: ``device_info``, ``has_more``, ``max_did``."""

        elsewhere = self._elsewhere(request)

        def answer(body: Mapping[str, Any]) -> Any:
            if elsewhere or str(body.get("home_id", "")) != self.cloud.home_id:
                return {"device_info": [], "has_more": False, "max_did": ""}
            page = self._page(body)
            return {
                "device_info": page["list"],
                "has_more": page["has_more"],
                "max_did": page["next_start_did"],
            }

        return await self._call(request, answer)

    async def _messages(self, request: web.Request) -> web.Response:
        """No new messages (clients call it to see that a session still works)."""
        return await self._call(request, lambda body: {"new_msg": False})

    def _device(self, device: Any) -> dict[str, Any]:
        entry = self.cloud.device_json(device)
        entry.update(uid=int(self.user_id), mac="", pid="0", parent_id="", permitLevel=16)
        return entry

    async def _get_properties(self, request: web.Request) -> web.Response:
        def answer(body: Mapping[str, Any]) -> Any:
            return self.cloud.properties_result(body.get("params"), rpc.get_properties)

        return await self._call(request, answer)

    async def _set_properties(self, request: web.Request) -> web.Response:
        def answer(body: Mapping[str, Any]) -> Any:
            return self.cloud.properties_result(body.get("params"), rpc.set_properties)

        return await self._call(request, answer)

    async def _action(self, request: web.Request) -> web.Response:
        """One action; its inputs are ``in`` or, as mijiaAPI sends them, ``value``.

        mijiaAPI 5.0.0 (``mijiaDevice.run_action``, ``mijiaAPI.run_action``) puts an action's
        arguments in ``value``, e.g. ``{"did", "siid": 2, "aiid": 1, "value": [2]}`` to feed a
        pet feeder two portions.
        """

        def answer(body: Mapping[str, Any]) -> Any:
            params = body.get("params")
            if isinstance(params, Mapping) and "in" not in params and "value" in params:
                params = {**params, "in": params["value"]}
            return self.cloud.action_result(params)

        return await self._call(request, answer)


def _png() -> bytes:
    """A small grey PNG: the captcha's image (its code is read from the admin API)."""
    width, height = 40, 16
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _b64_token(size: int) -> str:
    return secrets.token_urlsafe(size)


def _account_answer(body: Mapping[str, Any]) -> web.Response:
    return web.Response(text=START + _dumps(body), content_type="application/json")


def _refusal(message: str) -> web.Response:
    """A refused session or signature: HTTP 401 and plain JSON, as Xiaomi answers."""
    body = _dumps({"code": CloudCode.AUTH_ERROR, "message": message})
    return web.Response(status=401, text=body, content_type="application/json")
