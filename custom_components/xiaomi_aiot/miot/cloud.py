"""A Xiaomi account in the cloud: homes, devices, properties and actions, signed in for good.

`MiotCloud` joins the two halves of Xiaomi's protocol: `MiAccount` (the account server:
password or QR sign-in, passToken renewal) and `MiAppClient` (the RC4-signed app API of the
account's country). It keeps the account's `MiTokens`; when the app API refuses the service
token (HTTP 401, as Xiaomi answers an expired session) the token is renewed once with the
passToken and the call repeated. A refused passToken is a `MiPassTokenRefusedError`, which the
integration turns into a reauthentication. Tokens and passwords are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, Final

import aiohttp

from .cloud_models import (
    AccessTokenExpiredError,
    CloudDevice,
    CloudHome,
    CloudProperty,
)
from .codes import MiotCode
from .errors import (
    MiotAuthenticationError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotProtocolError,
)
from .mi_account import ACCOUNT_URL, CaptchaAnswer, MiAccount, MiTokens
from .mi_api import API_URL_TEMPLATE, COUNTRIES, MiAppClient
from .mi_batch import BATCH_LIMIT, CloudKey, PropertyBatcher
from .spec import Value

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT: Final = 10.0
LARGE_ACCOUNT: Final = 200
"""An account with at least this many devices is listed page by page."""

type TokensListener = Callable[[MiTokens], None]


class MiotCloud:
    """A client of one Xiaomi account in one country, on an injected `aiohttp.ClientSession`.

    Give `tokens` saved earlier to resume without a password; `on_tokens_updated` is called
    with every new set of tokens (after `sign_in` and each renewal) so that they can be saved.
    ``via`` sends every Xiaomi host to one server instead (the simulator, a proxy).
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        country: str = "cn",
        via: str | None = None,
        tokens: MiTokens | None = None,
        on_tokens_updated: TokensListener | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        account_url: str = ACCOUNT_URL,
        api_url_template: str = API_URL_TEMPLATE,
        read_window: float = 0.0,
    ) -> None:
        """Prepare the client; nothing is sent until the first call.

        Devices' reads (`read`) arriving within ``read_window`` seconds of each other are
        merged into ⌈properties / `BATCH_LIMIT`⌉ requests (see `PropertyBatcher`).
        """
        if country not in COUNTRIES:
            raise ValueError(f"unknown country {country!r} (known: {', '.join(COUNTRIES)})")
        self.country = country
        self.on_tokens_updated = on_tokens_updated
        self.account = MiAccount(session, account_url=account_url, timeout=timeout, via=via)
        self._session = session
        self._via = via
        self._timeout = timeout
        self._template = api_url_template
        self._tokens = tokens
        self._api: MiAppClient | None = None
        self._renew_lock = asyncio.Lock()
        self._batcher = PropertyBatcher(self._read_batch, window=read_window)

    async def close(self) -> None:
        """Stop: reads still waiting to be sent fail with `MiotConnectionError`."""
        await self._batcher.close()

    @property
    def tokens(self) -> MiTokens | None:
        """The current tokens, to be saved; None before sign-in."""
        return self._tokens

    # --- sign-in ----------------------------------------------------------------------------

    async def sign_in(
        self, username: str, password: str, *, captcha: CaptchaAnswer | None = None
    ) -> MiTokens:
        """Sign in with a password; the refusals are `MiAccount.sign_in`'s typed errors."""
        self._set_tokens(await self.account.sign_in(username, password, captcha=captcha))
        assert self._tokens is not None
        return self._tokens

    def _set_tokens(self, tokens: MiTokens) -> None:
        self._tokens = tokens
        if self._api is not None:
            self._api.tokens = tokens
        if self.on_tokens_updated is not None:
            try:
                self.on_tokens_updated(tokens)
            except Exception:
                _LOGGER.exception("on_tokens_updated failed")

    async def renew(self) -> MiTokens:
        """A new service token from the passToken (`MiPassTokenRefusedError` if refused)."""
        async with self._renew_lock:
            return await self._renew_locked()

    async def _renew_locked(self) -> MiTokens:
        if self._tokens is None:
            raise MiotAuthenticationError("not signed in")
        renewed = await self.account.renew(self._tokens)
        if not renewed.c_user_id and self._tokens.c_user_id:
            renewed = replace(renewed, c_user_id=self._tokens.c_user_id)
        _LOGGER.debug("service token renewed with the passToken")
        self._set_tokens(renewed)
        return renewed

    async def _renew_after_refusal(self, refused: MiTokens) -> None:
        async with self._renew_lock:
            if self._tokens is refused:  # not renewed meanwhile by another call
                _LOGGER.debug("service token refused: renewing it")
                await self._renew_locked()

    def _client(self) -> tuple[MiAppClient, MiTokens]:
        tokens = self._tokens
        if tokens is None:
            raise MiotAuthenticationError("not signed in")
        if self._api is None:
            self._api = MiAppClient(
                self._session,
                tokens,
                self.country,
                api_url_template=self._template,
                timeout=self._timeout,
                via=self._via,
            )
        return self._api, tokens

    async def _call[T](self, call: Callable[[MiAppClient], Awaitable[T]]) -> T:
        """Make an app API call; renew the service token and repeat once if it is refused."""
        api, tokens = self._client()
        try:
            return await call(api)
        except AccessTokenExpiredError:
            await self._renew_after_refusal(tokens)
        api, _ = self._client()
        try:
            return await call(api)
        except AccessTokenExpiredError as err:
            raise MiotAuthenticationError("the cloud refused a renewed service token") from err

    # --- the API ----------------------------------------------------------------------------

    async def get_homes(self) -> list[CloudHome]:
        """The account's homes with their rooms."""
        return await self._call(MiAppClient.get_homes)

    async def get_devices(self, home_ids: Iterable[str] | None = None) -> list[CloudDevice]:
        """Every device of the account (of the homes named), each with its home and room.

        Xiaomi's device list does not say where a device is: the homes' rooms do.
        """
        homes = await self.get_homes()
        devices = await self._call(MiAppClient.get_devices)
        if len(devices) >= LARGE_ACCOUNT:
            devices = await self._call(MiAppClient.get_devices_paged)
        placed = [_placed(device, homes) for device in devices]
        if home_ids is not None:
            wanted = set(home_ids)
            placed = [device for device in placed if device.home_id in wanted]
        return placed

    async def get_device(self, did: str) -> CloudDevice:
        """One device of the account; `MiotDeviceError` if it is not there."""
        for device in await self._call(MiAppClient.get_devices):
            if device.did == did:
                return device
        raise MiotDeviceError(MiotCode.DOES_NOT_EXIST, f"device {did} is not on the account")

    async def get_properties(self, keys: Iterable[tuple[str, int, int]]) -> list[CloudProperty]:
        """Read properties ``(did, siid, piid)``, `BATCH_LIMIT` per request."""
        return await self._batched(MiAppClient.get_properties, list(keys))

    def polls(self, did: str, *, every_round: bool = True) -> None:
        """Say whether a device reads at every poll round of the account's cloud devices
        (a round is sent once all of them have asked, without waiting out the window)."""
        if every_round:
            self._batcher.pollers.add(did)
        else:
            self._batcher.pollers.discard(did)

    async def read(self, did: str, keys: Iterable[tuple[int, int]]) -> list[CloudProperty]:
        """Read ``(siid, piid)`` properties of one device, batched with other devices' reads."""
        return await self._batcher.get(did, keys)

    async def _read_batch(self, keys: Sequence[CloudKey]) -> list[CloudProperty]:
        return await self._call(partial(_with_items, MiAppClient.get_properties, keys))

    async def set_properties(
        self, values: Iterable[tuple[str, int, int, Value]]
    ) -> list[CloudProperty]:
        """Write properties ``(did, siid, piid, value)``; each result has the device's code."""
        return await self._batched(MiAppClient.set_properties, list(values))

    async def _batched[K](
        self,
        method: Callable[[MiAppClient, Sequence[K]], Awaitable[list[CloudProperty]]],
        items: list[K],
    ) -> list[CloudProperty]:
        results: list[CloudProperty] = []
        for start in range(0, len(items), BATCH_LIMIT):
            batch = items[start : start + BATCH_LIMIT]
            results.extend(await self._call(partial(_with_items, method, batch)))
        return results

    async def action(
        self, did: str, siid: int, aiid: int, inputs: Sequence[Value] = ()
    ) -> list[Value]:
        """Call an action; return its outputs. A device's refusal raises `MiotDeviceError`."""
        code, out = await self._call(lambda api: api.action(did, siid, aiid, inputs))
        if code == MiotCode.DEVICE_OFFLINE:
            raise MiotDeviceOfflineError(f"device {did} is offline")
        if code != 0:
            raise MiotDeviceError(code, f"action {siid}.{aiid} failed")
        return out


async def _with_items[K](
    method: Callable[[MiAppClient, Sequence[K]], Awaitable[list[CloudProperty]]],
    items: Sequence[K],
    api: MiAppClient,
) -> list[CloudProperty]:
    return await method(api, items)


def _placed(device: CloudDevice, homes: Sequence[CloudHome]) -> CloudDevice:
    """The device with the home and room the homes put it in, where the list did not say."""
    for home in homes:
        for room in home.rooms:
            if device.did in room.dids:
                return replace(
                    device, home_id=device.home_id or home.id, room_id=device.room_id or room.id
                )
        if device.did in home.dids:
            return replace(device, home_id=device.home_id or home.id)
    return device


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
            keys = [(siid, piid) for siid, piid, _ in _items(params, value=False)]
            return self._answer(await self.cloud.read(self.did, keys), with_value=True)
        if method == "set_properties":
            values = [(self.did, s, p, v) for s, p, v in _items(params, value=True)]
            return self._answer(await self.cloud.set_properties(values), with_value=False)
        if method == "action":
            return await self._action(params)
        if method == "miIO.info":
            device = await self.cloud.get_device(self.did)
            return {"model": device.model, "netif": {"localIp": device.local_ip}}
        raise MiotDeviceError(
            MiotCode.METHOD_NOT_FOUND, f"{method} is not available through the cloud"
        )

    def _answer(self, results: list[CloudProperty], *, with_value: bool) -> list[dict[str, Any]]:
        if results and all(r.code == MiotCode.DEVICE_OFFLINE for r in results):
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
