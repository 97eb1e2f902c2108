"""mijiaAPI 5.0.0, untouched, signs in to the simulated cloud by QR code and drives devices.

Run by .mijia-venv's Python (mijiaAPI needs newer pillow and requests than Home Assistant
pins), never imported by the tests::

    .mijia-venv/bin/python harness/mijia_driver.py PORT AUTH_DIR PLAN

Every `requests` session mounts `xiaomi_adapter.XiaomiHostsAdapter`, so Xiaomi's hosts reach
the cloud on ``127.0.0.1:PORT``. `PLAN` is JSON: ``read`` (a list of ``{did, siid, piid}``),
``write`` (``{did, siid, piid, value}``) and ``action`` (``{did, siid, aiid, value}``).

The sign-in is split as mijiaAPI's own MCP server splits it (``_get_qr_login_data``, then
``_complete_qr_login``): the first stdout line is ``{"loginUrl": ...}``, the QR code's content,
for the phone (the test) to confirm while the long poll waits. The last line is the result.
Whatever mijiaAPI prints itself goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from mijiaAPI import mijiaAPI
from xiaomi_adapter import routed_sessions


def emit(line: dict[str, Any]) -> None:
    """One JSON line on the real stdout."""
    sys.__stdout__.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.__stdout__.flush()


def drive(port: int, auth_dir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Sign in, list homes and devices, read, write and act; what mijiaAPI returned."""
    with routed_sessions(port) as adapters, contextlib.redirect_stdout(sys.stderr):
        api = mijiaAPI(str(auth_dir))
        # the split mijiaAPI's MCP server makes: the QR code first, then its long poll
        login = api._get_qr_login_data()
        emit({"loginUrl": login["loginUrl"], "qr": login["qr"], "lp": login["lp"]})
        auth = api._complete_qr_login(login)
        got: dict[str, Any] = {
            "auth": {key: auth.get(key) for key in ("userId", "cUserId")},
            "service_token": bool(auth.get("serviceToken")),
            "available": api.available,
            "homes": api.get_homes_list(),
            "devices": api.get_devices_list(),
            "read": api.get_devices_prop(plan["read"]),
            "written": api.set_devices_prop(plan["write"]),
            "action": api.run_action(plan["action"]),
        }
        got["hosts"] = sorted({host for adapter in adapters for host in adapter.hosts})
    return got


def main() -> None:
    """Run the plan given on the command line; print the result as one JSON line."""
    port, auth_dir, plan = int(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    emit({"result": drive(port, auth_dir, plan)})


if __name__ == "__main__":
    main()
