"""The admin API: JSON over HTTP on loopback, to inspect and steer the virtual home.

Routes (see README.md): ``GET /devices``, ``GET /devices/{id}``,
``POST /devices/{id}/properties``, ``POST /devices/{id}/events`` and
``POST /devices/{id}/faults``. Errors are
``{"error": "message"}`` with status 400 (bad input) or 404 (unknown device or route).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from aiohttp import web

from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from custom_components.xiaomi_aiot.miot.spec import MiotProperty, Value

from .device import VirtualDevice
from .faults import FaultError
from .listening import listen, port_of
from .simulator import Simulator
from .state import StateError, coerce_value

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_dumps = partial(json.dumps, ensure_ascii=False)


class BadRequestError(Exception):
    """The request body is not acceptable; the message says why."""


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


@web.middleware
async def _errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every error with a JSON body."""
    try:
        return await handler(request)
    except BadRequestError as err:
        return _json({"error": str(err)}, status=400)
    except web.HTTPException as err:
        if err.status < 400:
            raise
        return _json({"error": err.reason}, status=err.status)


class AdminServer:
    """Serves the admin API of a simulator on a loopback port."""

    def __init__(self, simulator: Simulator, host: str = "127.0.0.1") -> None:
        """Prepare the routes (nothing listens until `start`)."""
        self.simulator = simulator
        self.host = host
        self.port: int | None = None
        self.app = web.Application(middlewares=[_errors_as_json])
        self.app.add_routes(
            [
                web.get("/", self._index),
                web.get("/devices", self._devices),
                web.get("/devices/{id}", self._device),
                web.post("/devices/{id}/properties", self._set_properties),
                web.post("/devices/{id}/events", self._emit_event),
                web.post("/devices/{id}/faults", self._set_faults),
            ]
        )
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The base URL, once started."""
        return f"http://{self.host}:{self.port}"

    async def start(self, port: int = 0) -> int:
        """Listen on `port` (0: any free port) and return the port."""
        self._runner = await listen(self.app, self.host, port, handle_signals=False)
        self.port = port_of(self._runner)
        return self.port

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # --- handlers --------------------------------------------------------------------------

    def _lookup(self, request: web.Request) -> VirtualDevice:
        device_id = request.match_info["id"]
        device = self.simulator.devices.get(device_id)
        if device is None:
            raise web.HTTPNotFound(reason=f"no device {device_id!r}")
        return device

    async def _index(self, request: web.Request) -> web.Response:
        del request
        sim = self.simulator
        return _json(
            {
                "devices": len(sim.devices),
                "endpoints": len(sim.lan_devices()),
                "first_address": sim.first_address,
                "port": sim.port,
                "running": sim.running,
            }
        )

    async def _devices(self, request: web.Request) -> web.Response:
        del request
        return _json([device.describe() for device in self.simulator.devices.values()])

    async def _device(self, request: web.Request) -> web.Response:
        return _json(self._lookup(request).describe())

    async def _set_properties(self, request: web.Request) -> web.Response:
        device = self._lookup(request)
        body = await _body(request)
        if isinstance(body, Mapping):
            body = [body]
        if not isinstance(body, list):
            raise BadRequestError('expected a list like [{"siid": 2, "piid": 1, "value": true}]')
        changes = [_property_change(device, item, f"[{i}]") for i, item in enumerate(body)]
        for prop, value in changes:
            device.store(prop, value)
        return _json(device.describe())

    async def _emit_event(self, request: web.Request) -> web.Response:
        device = self._lookup(request)
        body = await _body(request)
        if not isinstance(body, Mapping):
            raise BadRequestError(
                'expected an object like {"event": "lock-event", "arguments": {...}}'
            )
        unknown = set(body) - {"event", "arguments"}
        if unknown:
            raise BadRequestError(f"{sorted(unknown)[0]}: unknown key")
        if "event" not in body:
            raise BadRequestError("event: required")
        arguments = body.get("arguments", {})
        if not isinstance(arguments, Mapping):
            raise BadRequestError("arguments: expected an object of argument names to values")
        try:
            device.emit_event(body["event"], arguments)
        except StateError as err:
            path = "event" if err.key is None else f"arguments.{err.key}"
            raise BadRequestError(f"{path}: {err}") from err
        return _json(device.describe())

    async def _set_faults(self, request: web.Request) -> web.Response:
        device = self._lookup(request)
        body = await _body(request)
        try:
            device.apply_faults(body)
        except FaultError as err:
            raise BadRequestError(str(err)) from err
        return _json(device.describe())


async def _body(request: web.Request) -> Any:
    try:
        return await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequestError(f"the body is not valid JSON ({err})") from err


def _property_change(device: VirtualDevice, item: Any, path: str) -> tuple[MiotProperty, Value]:
    """Validate one ``{"siid", "piid", "value"}`` (or ``{"name", "value"}``) item."""
    if not isinstance(item, Mapping):
        raise BadRequestError(f"{path}: expected an object with siid, piid and value")
    unknown = set(item) - {"siid", "piid", "name", "value"}
    if unknown:
        raise BadRequestError(f"{path}.{sorted(unknown)[0]}: unknown key")
    if "value" not in item:
        raise BadRequestError(f"{path}.value: required")
    try:
        if "name" in item and "siid" not in item:
            if not isinstance(item["name"], str):
                raise BadRequestError(f"{path}.name: {item['name']!r} is not a property name")
            prop = device.resolve(item["name"])
        else:
            siid, piid = item.get("siid"), item.get("piid")
            for key, number in (("siid", siid), ("piid", piid)):
                if isinstance(number, bool) or not isinstance(number, int):
                    raise BadRequestError(f"{path}.{key}: {number!r} is not an integer")
            assert isinstance(siid, int)
            assert isinstance(piid, int)
            prop = device.property(siid, piid)
    except (MiotSpecError, StateError) as err:
        raise BadRequestError(f"{path}: {err}") from err
    try:
        return prop, coerce_value(prop, item["value"])
    except StateError as err:
        raise BadRequestError(f"{path}.value: {err}") from err
