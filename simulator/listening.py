"""An aiohttp application listening on a loopback port: the admin API, the cloud, test servers."""

from __future__ import annotations

from typing import Any

from aiohttp import web


async def listen(app: web.Application, host: str, port: int = 0, **options: Any) -> web.AppRunner:
    """Serve `app` on `host`:`port` (0: any free port); the runner, whose cleanup stops it.

    `options` go to the runner (`handle_signals`, `shutdown_timeout`); nothing is left open
    when the port cannot be listened on.
    """
    runner = web.AppRunner(app, access_log=None, **options)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def port_of(runner: web.AppRunner) -> int:
    """The port a runner listens on."""
    return int(runner.addresses[0][1])
