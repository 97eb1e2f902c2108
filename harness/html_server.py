"""A server in Xiaomi's place that answers every request with an HTML page, for error tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from simulator.listening import listen, port_of


@asynccontextmanager
async def serving_html(status: int = 200) -> AsyncIterator[str]:
    """Answer every request with `status` and an HTML page until the block ends; the URL."""

    async def answer(request: web.Request) -> web.Response:
        del request
        return web.Response(
            status=status, text="<html>maintenance</html>", content_type="text/html"
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = await listen(app, "127.0.0.1")
    try:
        yield f"http://127.0.0.1:{port_of(runner)}"
    finally:
        await runner.cleanup()
