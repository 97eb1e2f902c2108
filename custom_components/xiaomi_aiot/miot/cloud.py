"""The Xiaomi cloud account: sign-in, homes, devices, properties and actions over HTTPS.

Modelled on the shapes of Xiaomi's cloud API for Home Assistant: every call is a JSON POST
answered with ``{"code", "message", "result"}`` (see `cloud_models`).

Sign-in is OAuth2-like. ``POST {server}/oauth2/token`` (form-encoded) with
``grant_type=password`` and ``username``, ``password``, ``client_id`` answers
``{"access_token", "refresh_token", "expires_in", "token_type": "Bearer"}``;
``grant_type=refresh_token`` with ``refresh_token`` and ``client_id`` answers new tokens.
API calls carry ``Authorization: Bearer <access token>``. The client refreshes the access token
when less than `REFRESH_MARGIN` seconds (or half its lifetime, if shorter) are left, and once
when a call is refused as expired (HTTP 401, or `EXPIRED_TOKEN_CODE`), then repeats the call.
Tokens and passwords are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import aiohttp

from . import jsonio
from .cloud_models import (
    OFFLINE_CODE,
    AccessTokenExpiredError,
    CloudDevice,
    CloudHome,
    CloudProperty,
    CloudTokens,
    parse_action,
    parse_device_page,
    parse_envelope,
    parse_homes,
    parse_properties,
    parse_tokens,
)
from .errors import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotProtocolError,
)
from .spec import Value

_LOGGER = logging.getLogger(__name__)

REGIONS: Final = ("cn", "de", "i2", "ru", "sg", "us")
BATCH_LIMIT: Final = 150
"""The most properties the cloud reads or writes in one request."""
PAGE_SIZE: Final = 200
REFRESH_MARGIN: Final = 300.0
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_CLIENT_ID: Final = "xiaomi-aiot"
NO_SUCH_DEVICE: Final = -4003

SIGN_IN_PATH: Final = "/oauth2/token"
HOMES_PATH: Final = "/app/v2/homeroom/gethome"
DEVICES_PATH: Final = "/app/v2/home/device_list_page"
PROP_GET_PATH: Final = "/app/v2/miotspec/prop/get"
PROP_SET_PATH: Final = "/app/v2/miotspec/prop/set"
ACTION_PATH: Final = "/app/v2/miotspec/action"

type TokensListener = Callable[[CloudTokens], None]


def region_url(region: str) -> str:
    """The API server of a region: ``https://ha.api.io.mi.com`` for cn, else prefixed."""
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r} (known: {', '.join(REGIONS)})")
    prefix = "" if region == "cn" else f"{region}."
    return f"https://{prefix}ha.api.io.mi.com"


class MiotCloud:
    """A client of one Xiaomi account, on an injected `aiohttp.ClientSession`.

    Give `tokens` saved earlier to resume without a password; `on_tokens_updated` is called
    with every new token pair (after `login` and each refresh) so that they can be saved.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        region: str = "cn",
        server_url: str | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        tokens: CloudTokens | None = None,
        on_tokens_updated: TokensListener | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        refresh_margin: float = REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Prepare the client; `server_url` (a proxy, the simulator) overrides `region`."""
        self.server_url = (server_url or region_url(region)).rstrip("/")
        self.client_id = client_id
        self.timeout = timeout
        self.refresh_margin = refresh_margin
        self.on_tokens_updated = on_tokens_updated
        self._session = session
        self._tokens = tokens
        self._margin = refresh_margin
        self._clock = clock
        self._refresh_lock = asyncio.Lock()

    @property
    def tokens(self) -> CloudTokens | None:
        """The current tokens, to be saved; None before sign-in."""
        return self._tokens

    # --- sign-in ----------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> CloudTokens:
        """Sign in with a password; a refusal raises `MiotAuthenticationError`."""
        form = {"grant_type": "password", "username": username, "password": password}
        return await self._obtain_tokens(form)

    async def refresh_tokens(self) -> CloudTokens:
        """Trade the refresh token for new tokens; a refusal raises `MiotAuthenticationError`."""
        async with self._refresh_lock:
            return await self._refresh_locked()

    async def _refresh_locked(self) -> CloudTokens:
        if self._tokens is None:
            raise MiotAuthenticationError("not signed in")
        form = {"grant_type": "refresh_token", "refresh_token": self._tokens.refresh_token}
        return await self._obtain_tokens(form)

    async def _obtain_tokens(self, form: dict[str, str]) -> CloudTokens:
        form["client_id"] = self.client_id
        status, body = await self._post(SIGN_IN_PATH, form=form)
        now = self._clock()
        tokens = parse_tokens(status, body, now)
        _LOGGER.debug("%s grant accepted", form["grant_type"])
        # a short-lived token (a test server) is refreshed at half-life, not before every call
        self._margin = min(self.refresh_margin, (tokens.expires_at - now) / 2)
        self._tokens = tokens
        if self.on_tokens_updated is not None:
            try:
                self.on_tokens_updated(tokens)
            except Exception:
                _LOGGER.exception("on_tokens_updated failed")
        return tokens

    async def _access_token(self) -> CloudTokens:
        """Tokens good for a call, refreshed first when they are about to expire."""
        tokens = self._tokens
        if tokens is None:
            raise MiotAuthenticationError("not signed in")
        if tokens.expires_at - self._clock() >= self._margin:
            return tokens
        async with self._refresh_lock:
            if self._tokens is tokens:  # not refreshed meanwhile by another call
                _LOGGER.debug("access token expires soon: refreshing")
                return await self._refresh_locked()
            assert self._tokens is not None
            return self._tokens

    async def _refresh_after_refusal(self, refused: CloudTokens) -> None:
        async with self._refresh_lock:
            if self._tokens is refused:
                _LOGGER.debug("access token refused: refreshing")
                await self._refresh_locked()

    # --- the API ----------------------------------------------------------------------------

    async def _call(self, path: str, payload: Any) -> Any:
        """POST a JSON payload to the API; refresh and repeat once if the token is refused."""
        tokens = await self._access_token()
        try:
            return parse_envelope(*await self._post(path, json=payload, tokens=tokens))
        except AccessTokenExpiredError:
            await self._refresh_after_refusal(tokens)
        tokens = await self._access_token()
        try:
            return parse_envelope(*await self._post(path, json=payload, tokens=tokens))
        except AccessTokenExpiredError as err:
            raise MiotAuthenticationError("the cloud refused a fresh access token") from err

    async def _post(
        self,
        path: str,
        *,
        json: Any = None,
        form: dict[str, str] | None = None,
        tokens: CloudTokens | None = None,
    ) -> tuple[int, bytes]:
        headers = {"X-Client-Id": self.client_id}
        if tokens is not None:
            headers["Authorization"] = f"Bearer {tokens.access_token}"
        data: Any = form
        if json is not None:
            headers["Content-Type"] = "application/json"
            data = jsonio.dumps(json)
        try:
            async with asyncio.timeout(self.timeout):
                async with self._session.post(
                    self.server_url + path, data=data, headers=headers
                ) as response:
                    body = await response.read()
                    status = response.status
        except TimeoutError as err:
            raise MiotConnectionError(f"no answer from the cloud within {self.timeout} s") from err
        except aiohttp.ClientError as err:
            raise MiotConnectionError(
                f"cannot reach the cloud: {err or type(err).__name__}"
            ) from err
        _LOGGER.debug("POST %s: HTTP %d, %d bytes", path, status, len(body))
        return status, body

    async def get_homes(self) -> list[CloudHome]:
        """The account's homes with their rooms."""
        return parse_homes(await self._call(HOMES_PATH, {"fetch_share": True}))

    async def get_devices(
        self, home_ids: Iterable[str] | None = None, *, page_size: int = PAGE_SIZE
    ) -> list[CloudDevice]:
        """Every device of the account (following all pages), or of the homes named."""
        wanted = None if home_ids is None else set(home_ids)
        devices: list[CloudDevice] = []
        start: str | None = None
        seen: set[str | None] = set()
        while True:
            seen.add(start)
            page = parse_device_page(
                await self._call(DEVICES_PATH, {"limit": page_size, "start_did": start or ""})
            )
            devices.extend(page.devices)
            if not page.has_more:
                break
            if page.next_start_did in seen:
                raise MiotProtocolError("the device list pages loop")
            start = page.next_start_did
        if wanted is not None:
            devices = [d for d in devices if d.home_id in wanted]
        return devices

    async def get_device(self, did: str) -> CloudDevice:
        """One device of the account; `MiotDeviceError` if it is not there."""
        for device in await self.get_devices():
            if device.did == did:
                return device
        raise MiotDeviceError(NO_SUCH_DEVICE, f"device {did} is not on the account")

    async def get_properties(self, keys: Iterable[tuple[str, int, int]]) -> list[CloudProperty]:
        """Read properties ``(did, siid, piid)``, `BATCH_LIMIT` per request."""
        params = [{"did": did, "siid": siid, "piid": piid} for did, siid, piid in keys]
        return await self._batched(PROP_GET_PATH, params)

    async def set_properties(
        self, values: Iterable[tuple[str, int, int, Value]]
    ) -> list[CloudProperty]:
        """Write properties ``(did, siid, piid, value)``; each result has the device's code."""
        params = [
            {"did": did, "siid": siid, "piid": piid, "value": value}
            for did, siid, piid, value in values
        ]
        return await self._batched(PROP_SET_PATH, params)

    async def _batched(self, path: str, params: list[dict[str, Any]]) -> list[CloudProperty]:
        results: list[CloudProperty] = []
        for start in range(0, len(params), BATCH_LIMIT):
            batch = params[start : start + BATCH_LIMIT]
            results.extend(parse_properties(await self._call(path, {"params": batch})))
        return results

    async def action(
        self, did: str, siid: int, aiid: int, inputs: Sequence[Value] = ()
    ) -> list[Value]:
        """Call an action; return its outputs. A device's refusal raises `MiotDeviceError`."""
        params = {"did": did, "siid": siid, "aiid": aiid, "in": list(inputs)}
        code, out = parse_action(await self._call(ACTION_PATH, {"params": params}))
        if code == OFFLINE_CODE:
            raise MiotDeviceOfflineError(f"device {did} is offline")
        if code != 0:
            raise MiotDeviceError(code, f"action {siid}.{aiid} failed")
        return out


class CloudTransport:
    """A `Transport` for `MiotDevice` that goes through the cloud instead of the LAN.

    ``MiotDevice(CloudTransport(cloud, did), spec, did=did)`` then reads, writes and calls
    actions as it would over the LAN; each item's ``did`` is the device's real did.
    """

    def __init__(self, cloud: MiotCloud, did: str) -> None:
        """Carry commands for one device of the account."""
        self.cloud = cloud
        self.did = did

    async def send(self, method: str, params: Any = None) -> Any:
        """Translate a miIO command into cloud calls and answer as the device would."""
        if method == "get_properties":
            keys = [(self.did, siid, piid) for siid, piid, _ in _items(params, value=False)]
            return self._answer(await self.cloud.get_properties(keys), with_value=True)
        if method == "set_properties":
            values = [(self.did, s, p, v) for s, p, v in _items(params, value=True)]
            return self._answer(await self.cloud.set_properties(values), with_value=False)
        if method == "action":
            return await self._action(params)
        if method == "miIO.info":
            device = await self.cloud.get_device(self.did)
            return {"model": device.model, "netif": {"localIp": device.local_ip}}
        raise MiotDeviceError(-32601, f"{method} is not available through the cloud")

    def _answer(self, results: list[CloudProperty], *, with_value: bool) -> list[dict[str, Any]]:
        if results and all(r.code == OFFLINE_CODE for r in results):
            raise MiotDeviceOfflineError(f"device {self.did} is offline")
        answer: list[dict[str, Any]] = []
        for result in results:
            item: dict[str, Any] = {
                "did": self.did,
                "siid": result.siid,
                "piid": result.piid,
                "code": result.code,
            }
            if with_value and result.ok:
                item["value"] = result.value
            answer.append(item)
        return answer

    async def _action(self, params: Any) -> dict[str, Any]:
        if isinstance(params, list) and len(params) == 1:
            params = params[0]
        if not isinstance(params, dict):
            raise MiotProtocolError("action params are not an object")
        siid, aiid, inputs = params.get("siid"), params.get("aiid"), params.get("in", [])
        if not isinstance(siid, int) or not isinstance(aiid, int) or not isinstance(inputs, list):
            raise MiotProtocolError("action params lack siid, aiid or inputs")
        out = await self.cloud.action(self.did, siid, aiid, inputs)
        return {"did": self.did, "siid": siid, "aiid": aiid, "code": 0, "out": out}


def _items(params: Any, *, value: bool) -> list[tuple[int, int, Any]]:
    """``(siid, piid, value)`` of each item of a get/set_properties request."""
    if not isinstance(params, list):
        raise MiotProtocolError("property params are not a list")
    items: list[tuple[int, int, Any]] = []
    for item in params:
        if not isinstance(item, dict):
            raise MiotProtocolError("a property item is not an object")
        siid, piid = item.get("siid"), item.get("piid")
        if not isinstance(siid, int) or not isinstance(piid, int):
            raise MiotProtocolError("a property item lacks siid or piid")
        if value and "value" not in item:
            raise MiotProtocolError("a property item to set lacks its value")
        items.append((siid, piid, item.get("value")))
    return items
