"""The simulated Xiaomi cloud: one account's homes and devices over HTTP on loopback.

Every device of the home is on the account, one home per home file. Xiaomi's hosts (sign-in,
STS, the app API; `simulator.xiaomi`) are told apart by ``Host``; the results they answer with
are built here. Properties and actions go to the same `VirtualDevice` as the LAN endpoint, so a
change made through the cloud shows on the LAN and the other way round. The same server answers
as Xiaomi's spec server (`simulator.spec_server`). See README.md.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from custom_components.xiaomi_aiot.miot.codes import MiotCode

from . import rpc
from .cloud_admin import add_cloud_routes
from .cloud_faults import CloudFaults, parse_cloud_fault_change
from .device import VirtualDevice
from .home import default_did
from .listening import listen, port_of
from .membership import Membership
from .simulator import Simulator
from .spec_server import SpecServer, is_spec_path
from .specs import spec_library
from .xiaomi import XiaomiSide, host_of, is_xiaomi_host

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_LIFETIME = 3600.0
"""Seconds a service token lasts, unless told otherwise."""
BATCH_LIMIT = 150
PAGE_LIMIT = 200
TOO_MANY_ITEMS = -1
UNKNOWN_START = -2
LOG_SIZE = 50


class RefusalError(Exception):
    """An answer other than success: the app API answers ``{code, message}`` instead."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class CloudServer:
    """Serves the cloud of a simulator's home on a loopback port.

    `token_lifetime` is how many seconds a service token lasts; `clock` (Unix time) ends them.
    """

    def __init__(
        self,
        simulator: Simulator,
        host: str = "127.0.0.1",
        *,
        token_lifetime: float = DEFAULT_LIFETIME,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        """Prepare the routes (nothing listens until `start`)."""
        self.simulator = simulator
        self.host = host
        self.port: int | None = None
        if not token_lifetime > 0:
            raise ValueError(f"token lifetime {token_lifetime} is not positive")
        self.token_lifetime = token_lifetime
        self.clock = clock
        account = simulator.home.account
        self.faults = CloudFaults(captcha=account.captcha, two_step=account.two_step)
        self.actions: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self.home_id = str(default_did(f"home:{simulator.home.name}"))
        self.membership = Membership(simulator)
        self.xiaomi = XiaomiSide(self)
        self._rng = rng if rng is not None else simulator.rng
        self._release = asyncio.Event()
        self.spec_server = SpecServer(spec_library(simulator.home.specs))
        self.app = web.Application(middlewares=[self._faults_and_hosts])
        self.app.add_routes(self.spec_server.routes())
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The base URL, once started."""
        return f"http://{self.host}:{self.port}"

    async def start(self, port: int = 0) -> int:
        """Listen on `port` (0: any free port) and return the port."""
        self._runner = await listen(self.app, self.host, port, shutdown_timeout=1.0)
        self.port = port_of(self._runner)
        return self.port

    async def stop(self) -> None:
        """Stop listening, and close the endpoints of devices added at run time.

        Requests held by the ``timeout`` fault are let go first.
        """
        self._release.set()
        self.spec_server.release()
        self.membership.close()
        self.xiaomi.close()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def add_admin_routes(self, app: web.Application) -> None:
        """Add the cloud's admin routes to the admin API's application, before it starts.

        ``GET /cloud``, ``POST /cloud/faults``, ``POST /devices``, ``DELETE /devices/{id}``.
        """
        add_cloud_routes(app, self)

    # --- state ------------------------------------------------------------------------------

    def room_id(self, room: str) -> str:
        """A room's id: stable, derived from its name."""
        return str(default_did(f"room:{room}"))

    def offline(self, device: VirtualDevice) -> bool:
        """Whether the cloud sees a device as offline (its own fault, or the cloud's)."""
        return not device.online or device.id in self.faults.offline_devices

    def apply_faults(self, settings: Mapping[str, Any]) -> None:
        """Validate and apply cloud fault settings (raises `FaultError`)."""
        change = parse_cloud_fault_change(settings, self.simulator.devices)
        self.faults = change.apply_to(self.faults)
        if change.expire_tokens:
            self.xiaomi.expire_all()
        self.spec_server.set_fault(self.faults.spec_server)
        if not self.faults.timeout:
            self._release.set()
            self._release = asyncio.Event()

    def describe(self) -> dict[str, Any]:
        """The cloud as the admin API shows it."""
        home = self.simulator.home
        return {
            "url": self.url if self.port else None,
            "home": {"id": self.home_id, "name": home.name},
            "username": home.account.username,
            "token_lifetime": self.token_lifetime,
            "faults": self.faults.as_dict(),
            "actions": list(self.actions),
            "spec_requests": dict(self.spec_server.requests),
            "xiaomi": self.xiaomi.describe(),
        }

    def device_json(self, device: VirtualDevice) -> dict[str, Any]:
        """A device as the device list shows it: where it is, only the homes' rooms say."""
        return {
            "did": str(device.did),
            "name": device.name,
            "model": device.model,
            "spec_type": device.spec.type if device.spec is not None else None,
            "token": device.token,
            "localip": device.address or "",
            "isOnline": not self.offline(device),
        }

    # --- middleware -------------------------------------------------------------------------

    @web.middleware
    async def _faults_and_hosts(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_spec_path(request.path):
            return await self.spec_server.answer(request, handler)
        if self.faults.timeout:
            await self._release.wait()
            return web.json_response({"code": 503, "message": "released"}, status=503)
        if self.faults.error_rate and self._rng.random() < self.faults.error_rate:
            return web.json_response({"code": 503, "message": "service unavailable"}, status=503)
        host = host_of(request)
        if is_xiaomi_host(host):
            return await self.xiaomi.handle(request, host)
        return await handler(request)

    # --- what the app API answers (`simulator.xiaomi` serves it) ----------------------------

    def homes_result(self) -> dict[str, Any]:
        """The result of a homes request: the one home, its rooms and their devices."""
        devices = list(self.simulator.devices.values())
        rooms = [
            {
                "id": self.room_id(room),
                "name": room,
                "dids": [str(d.did) for d in devices if d.room == room],
            }
            for room in self.simulator.home.rooms
        ]
        home = {
            "id": self.home_id,
            "name": self.simulator.home.name,
            "roomlist": rooms,
            "dids": [str(d.did) for d in devices if d.room is None],
        }
        return {"homelist": [home]}

    def device_page_result(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """The result of a device page request (raises `RefusalError`)."""
        limit, start = body.get("limit", PAGE_LIMIT), body.get("start_did") or ""
        if not _is_int(limit) or limit < 1 or not isinstance(start, str):
            raise RefusalError(400, "limit is a positive integer, start_did a string")
        limit = min(limit, self.faults.page_limit or PAGE_LIMIT)
        devices = list(self.simulator.devices.values())
        first = 0
        if start:
            first = next((i for i, d in enumerate(devices) if str(d.did) == start), -1)
            if first < 0:
                raise RefusalError(UNKNOWN_START, f"unknown start_did {start}")
        page = devices[first : first + limit]
        rest = devices[first + limit :]
        return {
            "list": [self.device_json(d) for d in page],
            "has_more": bool(rest),
            "next_start_did": str(rest[0].did) if rest else "",
        }

    def properties_result(
        self, params: Any, method: Callable[[VirtualDevice, Any], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """The result of reading or writing properties (raises `RefusalError`)."""
        if not isinstance(params, list) or not all(
            isinstance(item, Mapping)
            and isinstance(item.get("did"), str)
            and _is_int(item.get("siid"))
            and _is_int(item.get("piid"))
            for item in params
        ):
            raise RefusalError(400, "params: a list of {did, siid, piid}")
        if len(params) > BATCH_LIMIT:
            raise RefusalError(TOO_MANY_ITEMS, f"more than {BATCH_LIMIT} items")
        by_did = {str(d.did): d for d in self.simulator.devices.values()}
        named = [by_did[item["did"]] for item in params if item["did"] in by_did]
        if named and len(named) == len(params) and all(self.offline(d) for d in named):
            raise RefusalError(MiotCode.DEVICE_OFFLINE, "device offline")
        answers: dict[int, dict[str, Any]] = {}
        groups: dict[str, list[int]] = {}
        for index, item in enumerate(params):
            groups.setdefault(item["did"], []).append(index)
        for did, indexes in groups.items():
            device = by_did.get(did)
            code = MiotCode.DOES_NOT_EXIST if device is None else None
            if device is not None and self.offline(device):
                code = MiotCode.DEVICE_OFFLINE
            if code is None and device is not None:
                try:
                    entries = method(device, [params[i] for i in indexes])
                except rpc.RpcError as err:
                    code = err.code
                else:
                    answers.update(zip(indexes, entries, strict=True))
                    continue
            for i in indexes:
                item = params[i]
                answers[i] = {"did": did, "siid": item["siid"], "piid": item["piid"], "code": code}
        return [answers[i] for i in range(len(params))]

    def action_result(self, params: Any) -> dict[str, Any]:
        """The result of an action (raises `RefusalError`)."""
        if (
            not isinstance(params, Mapping)
            or not isinstance(params.get("did"), str)
            or not _is_int(params.get("siid"))
            or not _is_int(params.get("aiid"))
            or not isinstance(params.get("in", []), list)
        ):
            raise RefusalError(400, "params: {did, siid, aiid, in}")
        device = next(
            (d for d in self.simulator.devices.values() if str(d.did) == params["did"]), None
        )
        if device is None:
            keys = ("did", "siid", "aiid")
            return {**{key: params[key] for key in keys}, "code": MiotCode.DOES_NOT_EXIST}
        if self.offline(device):
            raise RefusalError(MiotCode.DEVICE_OFFLINE, "device offline")
        result = rpc.action(device, params)
        self._log_action(device, params, result)
        return result

    def _log_action(
        self, device: VirtualDevice, params: Mapping[str, Any], result: Mapping[str, Any]
    ) -> None:
        entry: dict[str, Any] = {
            "id": device.id,
            "siid": params["siid"],
            "aiid": params["aiid"],
            "in": list(params.get("in", [])),
            "code": result.get("code"),
            "time": round(time.time(), 3),
        }
        if device.spec is not None and result.get("code") == 0:
            action = device.spec.action(params["siid"], params["aiid"])
            entry.update(service=action.service, name=action.name)
        self.actions.append(entry)
