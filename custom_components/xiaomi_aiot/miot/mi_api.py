"""Xiaomi's app API (``https://{country}.api.io.mi.com/app``), RC4-signed as Mi Home sends it.

Each call is a form POST of one ``data`` field (JSON) in the RC4 form of `mi_sign`, with the
headers and cookies micloud 0.6 sends (``userId``, ``serviceToken``, ``yetAnotherServiceToken``,
``locale``, ``timezone``…). The answer is base64 RC4 text of ``{"code", "message", "result"}``;
an error may come back as plain JSON. HTTP 401 means the service token expired (renew it with
`MiAccount.renew`), 403 that access is refused. Every answer is untrusted: HTML, bad base64, an
answer that does not decrypt, a 5xx or a timeout is a typed error, never a crash.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

import aiohttp

from . import jsonio
from .cloud_models import (
    CloudDevice,
    CloudHome,
    CloudProperty,
    parse_action,
    parse_device_page,
    parse_envelope,
    parse_homes,
    parse_properties,
)
from .errors import MiotConnectionError, MiotProtocolError
from .mi_account import SDK_VERSION, USER_AGENT, MiTokens
from .mi_hosts import XiaomiHosts
from .mi_sign import decrypt_answer, encrypt_params, make_nonce
from .spec import Value

_LOGGER = logging.getLogger(__name__)

API_URL_TEMPLATE: Final = "https://{prefix}api.io.mi.com/app"
"""``{prefix}`` is empty for cn and ``"<country>."`` elsewhere; ``{country}`` is also given."""
COUNTRIES: Final = ("cn", "de", "us", "ru", "tw", "sg", "in", "i2")
DEFAULT_TIMEOUT: Final = 10.0

HOMES_PATH: Final = "/v2/homeroom/gethome"
DEVICES_PATH: Final = "/home/device_list"
DEVICE_PAGES_PATH: Final = "/v2/home/device_list_page"
PAGE_SIZE: Final = 200
PROP_GET_PATH: Final = "/miotspec/prop/get"
PROP_SET_PATH: Final = "/miotspec/prop/set"
ACTION_PATH: Final = "/miotspec/action"


def api_url(country: str, template: str = API_URL_TEMPLATE) -> str:
    """The app API of a country: ``https://api.io.mi.com/app`` for cn, else prefixed."""
    if country not in COUNTRIES:
        raise ValueError(f"unknown country {country!r} (known: {', '.join(COUNTRIES)})")
    prefix = "" if country == "cn" else f"{country}."
    return template.format(prefix=prefix, country=country).rstrip("/")


def _timezone() -> str:
    offset = -time.altzone if time.daylight and time.localtime().tm_isdst else -time.timezone
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"GMT{sign}{hours:02d}:{minutes:02d}"


class MiAppClient:
    """One account's calls to the app API of one country, on an injected aiohttp session."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: MiTokens,
        country: str,
        *,
        api_url_template: str = API_URL_TEMPLATE,
        locale: str = "en_GB",
        device_id: str = "aiotha0000000000",
        timeout: float = DEFAULT_TIMEOUT,
        via: str | None = None,
    ) -> None:
        """Sign with ``tokens``; ``api_url_template`` replaces Xiaomi's host.

        ``via`` sends Xiaomi's hosts to one server instead (see `XiaomiHosts`).
        """
        self._session = session
        self._hosts = XiaomiHosts(via)
        self._tokens = tokens
        self._base = api_url(country, api_url_template)
        self._locale = locale
        self._device_id = device_id
        self._timeout = timeout

    @property
    def tokens(self) -> MiTokens:
        """The tokens requests are signed with."""
        return self._tokens

    @tokens.setter
    def tokens(self, tokens: MiTokens) -> None:
        self._tokens = tokens

    async def request(self, path: str, data: Any) -> Any:
        """POST ``data`` (as JSON) to ``path`` (after ``/app``); the answer's ``result``."""
        nonce = make_nonce()
        ssecurity = self._tokens.ssecurity
        fields = encrypt_params(
            "POST", path, ssecurity, {"data": jsonio.dumps(data).decode()}, nonce
        )
        _LOGGER.debug("app API POST %s", path)
        target, host = self._hosts.route(self._base + path)
        try:
            async with asyncio.timeout(self._timeout):
                async with self._session.post(
                    target, data=fields, headers={**self._headers(), **host}
                ) as response:
                    status, payload = response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError) as err:
            raise MiotConnectionError(f"the app API could not be reached: {err}") from err
        if status != 200:
            return parse_envelope(status, payload)
        return parse_envelope(200, self._plain(ssecurity, nonce, payload))

    @staticmethod
    def _plain(ssecurity: str, nonce: str, payload: bytes) -> bytes:
        try:
            text = payload.decode("ascii").strip()
        except UnicodeDecodeError as err:
            raise MiotProtocolError("the app API answer is not base64 text") from err
        if text.startswith("{"):
            return text.encode()  # errors may come back unencrypted
        if not text:
            raise MiotProtocolError("the app API answered nothing")
        return decrypt_answer(ssecurity, nonce, text).encode()

    def _headers(self) -> dict[str, str]:
        token = self._tokens.service_token
        cookies = {
            "userId": self._tokens.user_id,
            "yetAnotherServiceToken": token,
            "serviceToken": token,
            "locale": self._locale,
            "timezone": _timezone(),
            "is_daylight": str(time.daylight),
            "dst_offset": str(time.localtime().tm_isdst * 60 * 60 * 1000),
            "channel": "MI_APP_STORE",
            "sdkVersion": SDK_VERSION,
            "deviceId": self._device_id,
        }
        return {
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
            "x-xiaomi-protocal-flag-cli": "PROTOCAL-HTTP2",
            "MIOT-ENCRYPT-ALGORITHM": "ENCRYPT-RC4",
            "Cookie": "; ".join(f"{key}={value}" for key, value in cookies.items()),
        }

    async def get_homes(self) -> list[CloudHome]:
        """The account's homes and their rooms."""
        result = await self.request(
            HOMES_PATH, {"fg": True, "fetch_share": True, "fetch_share_dev": True, "limit": 300}
        )
        return parse_homes(result)

    async def get_devices(self) -> list[CloudDevice]:
        """Every device of the account in this country."""
        result = await self.request(
            DEVICES_PATH,
            {
                "getVirtualModel": True,
                "getHuamiDevices": 1,
                "get_split_device": False,
                "support_smart_home": True,
            },
        )
        return list(parse_device_page(result).devices)

    async def get_devices_paged(self, page_size: int = PAGE_SIZE) -> list[CloudDevice]:
        """Every device of a large account, page by page (``start_did`` / ``next_start_did``)."""
        devices: list[CloudDevice] = []
        start, seen = "", set[str]()
        while True:
            page = parse_device_page(
                await self.request(
                    DEVICE_PAGES_PATH,
                    {"limit": page_size, "get_split_device": True, "start_did": start},
                )
            )
            devices.extend(page.devices)
            if not page.has_more or page.next_start_did is None:
                return devices
            if page.next_start_did in seen:
                raise MiotProtocolError("the device list pages loop")
            seen.add(start := page.next_start_did)

    async def get_properties(
        self, properties: Sequence[tuple[str, int, int]]
    ) -> list[CloudProperty]:
        """Read ``(did, siid, piid)`` properties, of one device or several."""
        params = [{"did": did, "siid": siid, "piid": piid} for did, siid, piid in properties]
        return parse_properties(await self.request(PROP_GET_PATH, {"params": params}))

    async def set_properties(
        self, values: Sequence[tuple[str, int, int, Value]]
    ) -> list[CloudProperty]:
        """Write ``(did, siid, piid, value)``; each item's own code says whether it took."""
        params = [
            {"did": did, "siid": siid, "piid": piid, "value": value}
            for did, siid, piid, value in values
        ]
        return parse_properties(await self.request(PROP_SET_PATH, {"params": params}))

    async def action(
        self, did: str, siid: int, aiid: int, inputs: Sequence[Value] = ()
    ) -> tuple[int, list[Value]]:
        """Call an action; its code and outputs."""
        params: Mapping[str, Any] = {"did": did, "siid": siid, "aiid": aiid, "in": list(inputs)}
        return parse_action(await self.request(ACTION_PATH, {"params": params}))
