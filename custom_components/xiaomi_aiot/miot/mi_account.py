"""Signing in to a Xiaomi account as the Mi Home app does, on an injected aiohttp session.

The password method (the facts micloud 0.6, python-miio and hass-xiaomi-miot agree on):

1. ``GET {account}/pass/serviceLogin?sid=xiaomiio&_json=true`` answers ``&&&START&&&`` + JSON
   with ``_sign``, ``qs`` and ``callback``;
2. ``POST {account}/pass/serviceLoginAuth2`` with ``user``, ``hash`` (`password_hash`),
   ``_sign``, ``sid``, ``callback``, ``qs`` and ``_json=true`` answers ``userId``,
   ``ssecurity``, ``passToken``, ``nonce`` and ``location``, or says why not: code
   `WRONG_PASSWORD_CODE`, a ``captchaUrl`` (answer it with the image's ``ick`` cookie and
   ``captCode``), a ``notificationUrl`` (2-step verification), or a lock / rate limit;
3. ``GET location`` (plus ``clientSign``) sets the ``serviceToken`` cookie.

Renewal: ``serviceLogin`` sent with the ``passToken`` and ``userId`` cookies answers code 0 and
a new ``location`` straight away; anything else means the passToken was refused.

2-step verification (the facts go2rtc's ``pkg/xiaomi/cloud.go`` and hass-xiaomi-miot's
``core/xiaomi_cloud.py`` agree on): the ``notificationUrl`` is
``{account}/fe/service/identity/authStart?…``; the same URL with ``/identity/list`` in place of
that path answers ``flag`` and ``options`` (4 a text message, 8 an e-mail) and sets the
``identity_session`` cookie, sent with every later step. ``GET /identity/auth/verifyPhone``
(or ``verifyEmail``) with ``_flag`` and ``_json`` names where the code goes (``maskedPhone`` /
``maskedEmail``); ``POST /identity/auth/sendPhoneTicket`` (``sendEmailTicket``) with ``_json``,
``icode`` and ``retry`` sends it; ``POST /identity/auth/verifyPhone`` with ``_flag``, ``ticket``,
``trust`` and ``_json`` answers code 0 and a ``location`` (or `WRONG_CODE_CODE`). That location
sets the ``passToken`` and ``userId`` cookies; ``serviceLogin`` with them then signs in as a
renewal does.

The QR method: ``GET {account}/longPolling/loginUrl`` answers ``loginUrl``, ``qr`` (the image)
and ``lp``; ``GET lp`` hangs until the Mi Home app has confirmed it and then answers the same
fields as step 2.

Cookies are sent and read per request, never through the session's jar, so one account's
cookies cannot leak into another. Every answer is untrusted: anything malformed is a typed error.
Tokens and passwords are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final
from urllib.parse import urljoin

import aiohttp
from yarl import URL

from . import jsonio
from .errors import MiotAuthenticationError, MiotConnectionError, MiotProtocolError
from .mi_hosts import XiaomiHosts
from .mi_sign import client_sign, password_hash

_LOGGER = logging.getLogger(__name__)

ACCOUNT_URL: Final = "https://account.xiaomi.com"
STS_CALLBACK: Final = "https://sts.api.io.mi.com/sts"
SID: Final = "xiaomiio"
START: Final = "&&&START&&&"
USER_AGENT: Final = (
    "Android-7.1.1-1.0.0-ONEPLUS A3010-136-AIOTHOMEASSIST APP/xiaomi.smarthome APPV/62830"
)
SDK_VERSION: Final = "3.8.6"
DEFAULT_TIMEOUT: Final = 15.0
QR_TIMEOUT: Final = 300.0
"""How long a QR code is waited for when the account server does not say."""
MAX_REDIRECTS: Final = 5

WRONG_PASSWORD_CODE: Final = 70016
"""``RESULT_CODE_AUTHENTICATE_FAILED`` (0x11180) of Xiaomi's account SDK."""
WRONG_CAPTCHA_CODE: Final = 87001
WRONG_CODE_CODE: Final = 70014
"""``RESULT_CODE_ERROR_VERIFY_CODE`` (0x1117e) of Xiaomi's account SDK."""
IDENTITY_START_PATH: Final = "/fe/service/identity/authStart"
IDENTITY_LIST_PATH: Final = "/identity/list"
PHONE_FLAG: Final = 4
EMAIL_FLAG: Final = 8
RATE_LIMIT_CODES: Final = frozenset({70022})
"""``RESULT_CODE_ERROR_REACH_LIMIT`` (0x11186) of Xiaomi's account SDK; HTTP 429 counts too."""


class MiSignInError(MiotAuthenticationError):
    """The account server refused the sign-in (the base of every refusal below)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        """Keep the server's code, if it gave one."""
        super().__init__(message)
        self.code = code


class MiWrongPasswordError(MiSignInError):
    """The user name or password is wrong."""


class MiCaptchaRequiredError(MiSignInError):
    """The server wants a captcha answered (or the one sent was wrong)."""

    def __init__(self, captcha_url: str, *, wrong: bool = False) -> None:
        """Keep the absolute address of the captcha image."""
        super().__init__("wrong captcha" if wrong else "captcha required")
        self.captcha_url = captcha_url
        self.wrong = wrong


class MiTwoStepRequiredError(MiSignInError):
    """The account has 2-step verification: the identity pages at ``notification_url``."""

    def __init__(self, notification_url: str) -> None:
        """Keep the address of the identity pages."""
        super().__init__("2-step verification required")
        self.notification_url = notification_url


class MiWrongCodeError(MiSignInError):
    """The 2-step verification code is wrong (or expired): send or type it again."""


class MiRateLimitedError(MiSignInError):
    """The account is locked or too many attempts were made; try later."""


class MiPassTokenRefusedError(MiSignInError):
    """The stored passToken no longer signs in: the user must sign in again."""


class MiQrExpiredError(MiSignInError):
    """The QR code was not confirmed in time (or the server gave up on it)."""


@dataclass(frozen=True, slots=True)
class MiTokens:
    """What a sign-in gives and what the integration keeps (never the password)."""

    user_id: str
    pass_token: str = field(repr=False)
    ssecurity: str = field(repr=False)
    service_token: str = field(repr=False)
    c_user_id: str = ""


@dataclass(frozen=True, slots=True)
class CaptchaImage:
    """A captcha image and the ``ick`` cookie that must come back with its answer."""

    image: bytes
    content_type: str
    ick: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CaptchaAnswer:
    """The user's reading of a captcha."""

    code: str
    ick: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TwoStepMethod:
    """One way the 2-step code can be sent: ``phone`` or ``email``, and the masked target."""

    kind: str
    flag: int
    target: str = ""


@dataclass(frozen=True, slots=True)
class TwoStepVerification:
    """A 2-step verification under way: its identity session and the ways offered."""

    notification_url: str
    identity_session: str = field(repr=False)
    methods: tuple[TwoStepMethod, ...]


_METHOD_KINDS: Final = {PHONE_FLAG: "phone", EMAIL_FLAG: "email"}
_METHOD_NAMES: Final = {PHONE_FLAG: "Phone", EMAIL_FLAG: "Email"}
_MASKED_FIELDS: Final = {PHONE_FLAG: "maskedPhone", EMAIL_FLAG: "maskedEmail"}


@dataclass(frozen=True, slots=True)
class QrLogin:
    """A QR sign-in under way: show ``qr_url``'s image, then wait on ``lp_url``."""

    login_url: str
    qr_url: str
    lp_url: str
    timeout: float


def _image_type(reply: _Reply) -> str:
    """An image answer's content type; JPEG when it does not say (as Xiaomi's captcha is)."""
    return reply.content_type if reply.content_type.startswith("image/") else "image/jpeg"


def _now_ms() -> int:
    return int(time.time() * 1000)


def _cookie_header(cookies: Mapping[str, str]) -> str:
    return "; ".join(f"{key}={value}" for key, value in cookies.items())


def parse_start_json(text: str) -> dict[str, Any]:
    """The JSON object after ``&&&START&&&``; `MiotProtocolError` if the answer is not one."""
    stripped = text.lstrip()
    if not stripped.startswith(START):
        raise MiotProtocolError("account answer does not start with &&&START&&&")
    try:
        answer = jsonio.loads(stripped[len(START) :])
    except ValueError as err:
        raise MiotProtocolError("account answer is not JSON") from err
    if not isinstance(answer, dict):
        raise MiotProtocolError("account answer is not a JSON object")
    return answer


def _text_field(answer: Mapping[str, Any], key: str) -> str:
    value = answer.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise MiotProtocolError(f"account answer lacks {key}")
    return value


def _code(answer: Mapping[str, Any]) -> int | None:
    code = answer.get("code")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    cookies: dict[str, str]
    location: str | None
    body: bytes
    content_type: str = ""


class MiAccount:
    """The account server of Xiaomi, spoken to as the Mi Home app does."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        account_url: str = ACCOUNT_URL,
        device_id: str = "aiotha0000000000",
        timeout: float = DEFAULT_TIMEOUT,
        via: str | None = None,
    ) -> None:
        """Use ``session`` for every request; ``account_url`` replaces account.xiaomi.com.

        ``via`` sends every Xiaomi host to one server instead (see `XiaomiHosts`).
        """
        self._session = session
        self._hosts = XiaomiHosts(via)
        self._account_url = account_url.rstrip("/")
        self._device_id = device_id
        self._timeout = timeout

    async def sign_in(
        self, username: str, password: str, *, captcha: CaptchaAnswer | None = None
    ) -> MiTokens:
        """Sign in with a password (and the captcha's answer, when the server asked for one)."""
        start = await self._service_login({"userId": username})
        if _code(start) == 0 and "location" in start and "ssecurity" in start:
            return await self._finish(start)  # still signed in from an earlier time
        form = {
            "sid": SID,
            "hash": password_hash(password),
            "callback": str(start.get("callback") or STS_CALLBACK),
            "qs": str(start.get("qs") or "%3Fsid%3Dxiaomiio%26_json%3Dtrue"),
            "user": username,
            "_json": "true",
        }
        if isinstance(sign := start.get("_sign"), str) and sign:
            form["_sign"] = sign
        cookies = {"sdkVersion": SDK_VERSION, "deviceId": self._device_id}
        if captcha is not None:
            form["captCode"] = captcha.code
            cookies["ick"] = captcha.ick
        answer = self._answer(
            await self._request(
                "POST", f"{self._account_url}/pass/serviceLoginAuth2", cookies, form=form
            )
        )
        self._raise_refusal(answer)
        return await self._finish(answer)

    async def renew(self, tokens: MiTokens) -> MiTokens:
        """A new service token from the passToken; `MiPassTokenRefusedError` when refused."""
        answer = await self._service_login(
            {"userId": tokens.user_id, "passToken": tokens.pass_token}
        )
        if _code(answer) != 0 or not answer.get("location"):
            raise MiPassTokenRefusedError("the passToken was refused", _code(answer))
        renewed = await self._finish(answer)
        if not renewed.pass_token:
            return MiTokens(
                renewed.user_id,
                tokens.pass_token,
                renewed.ssecurity,
                renewed.service_token,
                renewed.c_user_id,
            )
        return renewed

    async def fetch_captcha(self, captcha_url: str) -> CaptchaImage:
        """The captcha image of a `MiCaptchaRequiredError` and its ``ick`` cookie."""
        reply = await self._request("GET", captcha_url, {})
        if reply.status != 200 or not reply.body:
            raise MiotProtocolError(f"captcha image not served (HTTP {reply.status})")
        ick = reply.cookies.get("ick")
        if not ick:
            raise MiotProtocolError("captcha image came without its ick cookie")
        return CaptchaImage(reply.body, _image_type(reply), ick)

    async def fetch_qr_image(self, qr: QrLogin) -> tuple[bytes, str]:
        """The QR code's image and its content type (fetched, so that ``via`` routes it)."""
        reply = await self._request("GET", qr.qr_url, {"deviceId": self._device_id})
        if reply.status != 200 or not reply.body:
            raise MiotProtocolError(f"QR image not served (HTTP {reply.status})")
        return reply.body, _image_type(reply)

    async def start_qr(self) -> QrLogin:
        """Ask for a QR code to be confirmed in the Mi Home app."""
        query = {
            "_qrsize": "240",
            "qs": "%3Fsid%3Dxiaomiio%26_json%3Dtrue",
            "callback": STS_CALLBACK,
            "_hasLogo": "false",
            "sid": SID,
            "serviceParam": "",
            "_locale": "en_GB",
            "_dc": str(int(time.time() * 1000)),
        }
        url = str(URL(f"{self._account_url}/longPolling/loginUrl").with_query(query))
        answer = self._answer(await self._request("GET", url, {"deviceId": self._device_id}))
        if _code(answer) != 0:
            raise MiSignInError("the account server gave no QR code", _code(answer))
        timeout = answer.get("timeout")
        return QrLogin(
            login_url=_text_field(answer, "loginUrl"),
            qr_url=_text_field(answer, "qr"),
            lp_url=_text_field(answer, "lp"),
            timeout=float(timeout)
            if isinstance(timeout, int | float) and 0 < timeout < 3600
            else QR_TIMEOUT,
        )

    async def wait_qr(self, qr: QrLogin) -> MiTokens:
        """Wait until the QR code is confirmed; `MiQrExpiredError` when it never is."""
        try:
            reply = await self._request(
                "GET", qr.lp_url, {"deviceId": self._device_id}, wait=qr.timeout
            )
        except MiotConnectionError as err:
            if isinstance(err.__cause__, TimeoutError):
                raise MiQrExpiredError("the QR code was not confirmed in time") from err
            raise
        answer = self._answer(reply)
        if _code(answer) != 0:
            raise MiQrExpiredError("the QR code expired", _code(answer))
        return await self._finish(answer)

    async def start_two_step(self, notification_url: str) -> TwoStepVerification:
        """Open the identity pages of a `MiTwoStepRequiredError`: the ways a code can go."""
        url = URL(notification_url)
        if url.path != IDENTITY_START_PATH:
            raise MiotProtocolError("the notification URL is not an identity page")
        reply = await self._request(
            "GET",
            str(url.with_path(IDENTITY_LIST_PATH).with_query(url.query)),
            {"deviceId": self._device_id},
        )
        answer = self._answer(reply)
        session = reply.cookies.get("identity_session")
        if not session:
            raise MiotProtocolError("the identity list came without its identity_session")
        if _code(answer) not in (0, None):
            raise MiSignInError("the identity pages refused the session", _code(answer))
        offered = answer.get("options")
        if not isinstance(offered, list) or not offered:
            offered = [answer.get("flag", PHONE_FLAG)]
        flags = [f for f in offered if isinstance(f, int) and f in _METHOD_KINDS]
        if not flags:
            raise MiotProtocolError("the identity pages offer no code by text or e-mail")
        methods = []
        for flag in dict.fromkeys(flags):
            masked = self._answer(
                await self._request(
                    "GET",
                    self._identity_url(f"verify{_METHOD_NAMES[flag]}", _flag=flag, _json="true"),
                    {"identity_session": session},
                )
            ).get(_MASKED_FIELDS[flag])
            target = masked if isinstance(masked, str) else ""
            methods.append(TwoStepMethod(_METHOD_KINDS[flag], flag, target))
        return TwoStepVerification(notification_url, session, tuple(methods))

    async def send_code(self, verification: TwoStepVerification, method: TwoStepMethod) -> None:
        """Have the code sent by ``method`` (one of ``verification.methods``)."""
        answer = self._answer(
            await self._request(
                "POST",
                self._identity_url(f"send{_METHOD_NAMES[method.flag]}Ticket", _dc=_now_ms()),
                {"identity_session": verification.identity_session},
                form={"_json": "true", "icode": "", "retry": "0"},
            )
        )
        code = _code(answer)
        if code in RATE_LIMIT_CODES:
            raise MiRateLimitedError("too many codes were asked for", code)
        if code != 0:
            raise MiSignInError(f"the code was not sent (code {code})", code)

    async def verify_code(
        self, verification: TwoStepVerification, method: TwoStepMethod, code: str
    ) -> MiTokens:
        """Check the user's code; `MiWrongCodeError` when it is wrong, else the tokens."""
        answer = self._answer(
            await self._request(
                "POST",
                self._identity_url(f"verify{_METHOD_NAMES[method.flag]}", _dc=_now_ms()),
                {"identity_session": verification.identity_session},
                form={
                    "_flag": str(method.flag),
                    "ticket": code.strip(),
                    "trust": "false",
                    "_json": "true",
                },
            )
        )
        result = _code(answer)
        if result == WRONG_CODE_CODE:
            raise MiWrongCodeError("wrong verification code", result)
        if result in RATE_LIMIT_CODES:
            raise MiRateLimitedError("too many wrong codes", result)
        if result != 0:
            raise MiSignInError(f"verification refused (code {result})", result)
        cookies = await self._collect(
            urljoin(self._account_url + "/", _text_field(answer, "location"))
        )
        user_id, pass_token = cookies.get("userId"), cookies.get("passToken")
        if not user_id or not pass_token:
            raise MiotProtocolError("the verified session set no passToken")
        signed = await self._service_login({"userId": user_id, "passToken": pass_token})
        if _code(signed) != 0:
            raise MiSignInError("the verified session does not sign in", _code(signed))
        tokens = await self._finish(signed)
        return tokens if tokens.pass_token else replace(tokens, pass_token=pass_token)

    def _identity_url(self, page: str, **query: str | int) -> str:
        url = URL(f"{self._account_url}/identity/auth/{page}")
        return str(url.with_query({key: str(value) for key, value in query.items()}))

    async def _collect(self, location: str) -> dict[str, str]:
        """Follow ``location`` and its redirects; every cookie they set."""
        cookies: dict[str, str] = {}
        url = location
        for _ in range(MAX_REDIRECTS):
            reply = await self._request("GET", url, {"deviceId": self._device_id})
            cookies.update(reply.cookies)
            if reply.status >= 500:
                raise MiotConnectionError(f"the account server failed (HTTP {reply.status})")
            if reply.status not in (301, 302, 303, 307, 308) or not reply.location:
                break
            url = urljoin(url, reply.location)
        return cookies

    async def _service_login(self, cookies: Mapping[str, str]) -> dict[str, Any]:
        url = f"{self._account_url}/pass/serviceLogin?sid={SID}&_json=true"
        sent = {"sdkVersion": SDK_VERSION, "deviceId": self._device_id, **cookies}
        return self._answer(await self._request("GET", url, sent))

    def _answer(self, reply: _Reply) -> dict[str, Any]:
        status = reply.status
        if status == 429:
            raise MiRateLimitedError("too many sign-in attempts (HTTP 429)")
        if status >= 500:
            raise MiotConnectionError(f"the account server failed (HTTP {status})")
        if status != 200:
            raise MiotProtocolError(f"unexpected HTTP status {status} from the account server")
        return parse_start_json(reply.body.decode(errors="replace"))

    def _raise_refusal(self, answer: Mapping[str, Any]) -> None:
        code = _code(answer)
        captcha = answer.get("captchaUrl")
        if isinstance(captcha, str) and captcha:
            url = urljoin(self._account_url + "/", captcha)
            raise MiCaptchaRequiredError(url, wrong=code == WRONG_CAPTCHA_CODE)
        if code == WRONG_PASSWORD_CODE:
            raise MiWrongPasswordError("wrong user name or password", code)
        if code in RATE_LIMIT_CODES:
            raise MiRateLimitedError("the account is locked or rate-limited", code)
        notification = answer.get("notificationUrl")
        if isinstance(notification, str) and notification:
            raise MiTwoStepRequiredError(urljoin(self._account_url + "/", notification))
        if code != 0:
            raise MiSignInError(f"sign-in refused (code {code})", code)

    async def _finish(self, answer: Mapping[str, Any]) -> MiTokens:
        user_id = _text_field(answer, "userId")
        ssecurity = _text_field(answer, "ssecurity")
        location = _text_field(answer, "location")
        pass_token = answer.get("passToken")
        c_user_id = answer.get("cUserId")
        nonce = answer.get("nonce")
        if isinstance(nonce, int | str) and not isinstance(nonce, bool) and str(nonce):
            location = str(
                URL(location).update_query(clientSign=client_sign(str(nonce), ssecurity))
            )
        service_token = await self._follow(location)
        return MiTokens(
            user_id=user_id,
            pass_token=pass_token if isinstance(pass_token, str) else "",
            ssecurity=ssecurity,
            service_token=service_token,
            c_user_id=c_user_id if isinstance(c_user_id, str) else "",
        )

    async def _follow(self, location: str) -> str:
        """Follow ``location`` (and its redirects) until the ``serviceToken`` cookie is set."""
        url = location
        for _ in range(MAX_REDIRECTS):
            reply = await self._request("GET", url, {"deviceId": self._device_id})
            status = reply.status
            if token := reply.cookies.get("serviceToken"):
                return token
            if status in (401, 403):
                raise MiotAuthenticationError(f"the service token was refused (HTTP {status})")
            if status >= 500:
                raise MiotConnectionError(f"the token service failed (HTTP {status})")
            if status not in (301, 302, 303, 307, 308) or not reply.location:
                break
            url = urljoin(url, reply.location)
        raise MiotProtocolError("the sign-in location set no serviceToken")

    def _headers(self, cookies: Mapping[str, str]) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT}
        if cookies:
            headers["Cookie"] = _cookie_header(cookies)
        return headers

    async def _request(
        self,
        method: str,
        url: str,
        cookies: Mapping[str, str],
        *,
        form: Mapping[str, str] | None = None,
        wait: float | None = None,
    ) -> _Reply:
        """One request, redirects not followed; the cookies it set read from its own headers."""
        _LOGGER.debug("account %s %s", method, URL(url).with_query(None))
        # A form is URL-encoded by aiohttp, as requests does it for micloud.
        data = None if form is None else dict(form)
        target, host = self._hosts.route(url)
        try:
            async with asyncio.timeout(self._timeout if wait is None else wait):
                async with self._session.request(
                    method,
                    target,
                    data=data,
                    headers={**self._headers(cookies), **host},
                    allow_redirects=False,
                ) as response:
                    body = await response.read()
                    received = {key: morsel.value for key, morsel in response.cookies.items()}
                    return _Reply(
                        response.status,
                        received,
                        response.headers.get("Location"),
                        body,
                        response.content_type,
                    )
        except (TimeoutError, aiohttp.ClientError) as err:
            raise MiotConnectionError(f"the account server could not be reached: {err}") from err
