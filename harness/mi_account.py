"""Look-alike Xiaomi account servers' answers."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from custom_components.xiaomi_aiot.miot.mi_account import START


def start(answer: dict[str, Any]) -> web.Response:
    return web.Response(text=START + json.dumps(answer), content_type="application/json")
