"""Admin routes of the cloud, added to the admin API's application (see README.md).

``GET /cloud``, ``POST /cloud/faults``, ``POST /cloud/qr`` (the phone confirms a QR sign-in),
``POST /devices`` (a device joins the home) and
``DELETE /devices/{id}`` (a device leaves it). Errors answer like the rest of the admin API:
``{"error": "message"}`` with status 400 or 404.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .admin import BadRequestError
from .faults import FaultError
from .home import HomeFileError

if TYPE_CHECKING:
    from .cloud import CloudServer

_dumps = partial(json.dumps, ensure_ascii=False)


def add_cloud_routes(app: web.Application, cloud: CloudServer) -> None:
    """Add the cloud's routes to an admin application (before it starts)."""

    async def describe(request: web.Request) -> web.Response:
        del request
        return web.json_response(cloud.describe(), dumps=_dumps)

    async def set_faults(request: web.Request) -> web.Response:
        try:
            cloud.apply_faults(await _body(request))
        except FaultError as err:
            raise BadRequestError(str(err)) from err
        return web.json_response(cloud.describe(), dumps=_dumps)

    async def confirm_qr(request: web.Request) -> web.Response:
        body = await _body(request) if request.can_read_body else {}
        ticket = body.get("ticket") if isinstance(body, dict) else None
        if ticket is not None and not isinstance(ticket, str):
            raise BadRequestError("ticket: expected a string")
        if not cloud.xiaomi.confirm_qr(ticket):
            raise web.HTTPNotFound(reason="no QR code waiting")
        return web.json_response(cloud.describe(), dumps=_dumps)

    async def add_device(request: web.Request) -> web.Response:
        try:
            device = await cloud.membership.add(await _body(request))
        except HomeFileError as err:
            raise BadRequestError(str(err)) from err
        except OSError as err:
            raise BadRequestError(f"device: cannot listen ({err.strerror or err})") from err
        return web.json_response(device.describe(), status=201, dumps=_dumps)

    async def remove_device(request: web.Request) -> web.Response:
        device_id = request.match_info["id"]
        device = cloud.membership.remove(device_id)
        if device is None:
            raise web.HTTPNotFound(reason=f"no device {device_id!r}")
        return web.json_response(device.describe(), dumps=_dumps)

    app.add_routes(
        [
            web.get("/cloud", describe),
            web.post("/cloud/faults", set_faults),
            web.post("/cloud/qr", confirm_qr),
            web.post("/devices", add_device),
            web.delete("/devices/{id}", remove_device),
        ]
    )


async def _body(request: web.Request) -> Any:
    try:
        return await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadRequestError(f"the body is not valid JSON ({err})") from err
