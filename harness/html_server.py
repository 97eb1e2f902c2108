"""A server in Xiaomi's place that answers every request with an HTML page, for error tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web


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
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
