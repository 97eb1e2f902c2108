"""Xiaomi's spec server (miot-spec.org), served from the spec library on the cloud's port.

``GET /miot-spec-v2/instances?status=all``, ``GET /miot-spec-v2/instance?type=<urn>`` and
``GET /instance/v2/multiLanguage?urn=<urn>`` (see README.md). The cloud's faults do not touch
it (it is another server); its own fault, ``spec_server``, makes it fail.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .cloud_faults import SPEC_SERVER_FAULTS
from .specs import SpecLibrary

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

INSTANCES_PATH = "/miot-spec-v2/instances"
INSTANCE_PATH = "/miot-spec-v2/instance"
TRANSLATIONS_PATH = "/instance/v2/multiLanguage"
PATHS = {INSTANCES_PATH: "instances", INSTANCE_PATH: "instance", TRANSLATIONS_PATH: "multiLanguage"}
_JSON = "application/json"


class SpecServer:
    """The spec server's routes and fault, on the cloud's application."""

    def __init__(self, library: SpecLibrary) -> None:
        """Serve `library`; every request is counted by route in `requests`."""
        self.library = library
        self.fault: str | None = None
        self.requests = dict.fromkeys(PATHS.values(), 0)
        self._release = asyncio.Event()

    def routes(self) -> list[web.RouteDef]:
        """The routes to add to the cloud's application."""
        return [
            web.get(INSTANCES_PATH, self._instances),
            web.get(INSTANCE_PATH, self._instance),
            web.get(TRANSLATIONS_PATH, self._translations),
        ]

    def set_fault(self, fault: str | None) -> None:
        """Change the fault (see `SPEC_SERVER_FAULTS`, or None); requests held by ``slow`` go on."""
        assert fault is None or fault in SPEC_SERVER_FAULTS
        self.fault = fault
        if fault != "slow":
            self.release()

    def release(self) -> None:
        """Let requests held by ``slow`` go on."""
        self._release.set()
        self._release = asyncio.Event()

    async def answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer a spec-server request through its fault."""
        route = PATHS.get(request.path)
        if route is not None:
            self.requests[route] += 1
        while self.fault == "slow":
            await self._release.wait()
        if self.fault == "down":
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # nothing is answered on a dropped connection
        if self.fault == "error":
            return web.Response(status=503, text="503 Service Temporarily Unavailable")
        response = await handler(request)
        if self.fault == "garbage" and isinstance(response, web.Response) and response.body:
            body = bytes(response.body)  # type: ignore[arg-type]
            return web.Response(body=body[: len(body) // 2], content_type=_JSON)
        return response

    async def _instances(self, request: web.Request) -> web.Response:
        status = request.query.get("status")
        body = await _off_loop(self.library.instances, status)
        return web.Response(body=body, content_type=_JSON)

    async def _instance(self, request: web.Request) -> web.Response:
        urn = request.query.get("type", "")
        body = await _off_loop(self.library.document, urn)
        if body is None:
            return _not_found(f"no instance of type {urn!r}")
        return web.Response(body=body, content_type=_JSON)

    async def _translations(self, request: web.Request) -> web.Response:
        urn = request.query.get("urn", "")
        body = await _off_loop(self.library.translations, urn)
        return web.Response(body=body, content_type=_JSON)


def is_spec_path(path: str) -> bool:
    """Whether a request path is the spec server's."""
    return path in PATHS


async def _off_loop[T](function: Callable[..., T], *args: Any) -> T:
    """Run a blocking read of the library off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def _not_found(message: str) -> web.Response:
    body = json.dumps({"code": 404, "message": message}, ensure_ascii=False)
    return web.Response(status=404, text=body, content_type=_JSON)
