"""mijiaAPI 5.0.0, untouched, signs in to the simulated cloud by QR code and drives its devices.

mijiaAPI is the second independent client of Xiaomi's real protocol (after micloud): the QR
sign-in with ``sid=mijia`` and RC4-signed calls to ``api.mijia.tech/app``. It needs newer
pillow and requests than Home Assistant pins, so it lives in .mijia-venv (built by
`script/setup`) and runs `harness/mijia_driver.py` there as a subprocess; the test plays the phone.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from harness.homes import MICLOUD_HOME
from harness.xiaomi_hosts import XiaomiHostsAdapter, blocking, serving_cloud
from simulator import xiaomi_crypto as crypto
from simulator.cloud import CloudServer

REPO = Path(__file__).resolve().parents[2]
MIJIA_PYTHON = REPO / ".mijia-venv" / "bin" / "python"
DRIVER = REPO / "harness" / "mijia_driver.py"
DRIVER_TIMEOUT = 240.0

# micloud's home (a lamp in the hall, a car in the garage) and a speaker whose play-text
# action takes an argument.
HOME: dict[str, Any] = {
    **MICLOUD_HOME,
    "devices": [
        *MICLOUD_HOME["devices"],
        {"id": "speaker", "kind": "speaker", "name": "Speaker", "room": "Hall"},
    ],
}

pytestmark = [
    pytest.mark.timeout(DRIVER_TIMEOUT + 60),
    pytest.mark.skipif(
        not os.access(MIJIA_PYTHON, os.X_OK),
        reason=f"{MIJIA_PYTHON.relative_to(REPO)} is missing or does not run here: "
        "script/setup builds it (mijiaAPI 5.0.0 needs its own pillow and requests)",
    ),
]


@pytest.fixture
async def cloud(start_simulator: Callable[..., Any]) -> AsyncIterator[CloudServer]:
    """The home's cloud, listening on loopback."""
    async with serving_cloud(await start_simulator(HOME)) as server:
        yield server


def scan(port: int, login_url: str, user: str, password: str) -> dict[str, Any]:
    """The phone confirms the QR code: ``user`` and ``hash`` posted to its ``loginUrl``."""
    with requests.Session() as phone:
        phone.mount("https://", XiaomiHostsAdapter(port))
        form = {"user": user, "hash": crypto.password_hash(password)}
        response = phone.post(login_url, data=form, timeout=60)
    body: dict[str, Any] = json.loads(response.text.removeprefix("&&&START&&&"))
    return body


async def run_driver(
    cloud: CloudServer, auth_dir: Path, plan: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the driver, confirm its QR code while its long poll waits: the QR code, the result."""
    process = await asyncio.create_subprocess_exec(
        str(MIJIA_PYTHON),
        str(DRIVER),
        str(cloud.port),
        str(auth_dir),
        json.dumps(plan),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        first = await asyncio.wait_for(process.stdout.readline(), DRIVER_TIMEOUT)
        assert first, (await process.communicate())[1].decode()
        qr = json.loads(first)
        account = cloud.simulator.home.account
        scanned = await blocking(
            lambda: scan(cloud.port or 0, qr["loginUrl"], account.username, account.password)
        )
        assert scanned["code"] == 0, scanned
        out, err = await asyncio.wait_for(process.communicate(), DRIVER_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out.decode().splitlines()[-1])["result"]
    return qr, result


async def test_mijia_api_signs_in_by_qr_code_and_drives_devices(
    cloud: CloudServer, tmp_path: Path
) -> None:
    """QR sign-in, homes, devices, two reads, a write and an action; the devices change."""
    sim = cloud.simulator
    lamp, car, speaker = (str(sim.devices[name].did) for name in ("lamp", "car", "speaker"))
    sim.devices["lamp"].set(2, 1, True)
    plan = {
        "read": [{"did": car, "siid": 2, "piid": 1}, {"did": lamp, "siid": 2, "piid": 1}],
        "write": {"did": lamp, "siid": 2, "piid": 1, "value": False},
        "action": {"did": speaker, "siid": 5, "aiid": 1, "value": ["晚上好"]},
    }

    qr, got = await run_driver(cloud, tmp_path, plan)

    assert parse_qs(urlsplit(qr["loginUrl"]).query)["sid"] == ["mijia"]

    user_id = cloud.xiaomi.user_id
    assert got["auth"] == {"userId": user_id, "cUserId": f"c{user_id}"}
    assert got["service_token"] is True
    assert got["available"] is True
    assert got["hosts"] == [
        "account.xiaomi.com",
        "api.mijia.tech",
        "lp.account.xiaomi.com",
        "sts.api.io.mi.com",
    ]
    (home,) = got["homes"]
    assert (home["id"], home["name"]) == (cloud.home_id, "Cloud Home")
    assert {room["name"]: sorted(room["dids"]) for room in home["roomlist"]} == {
        "Hall": sorted([lamp, speaker]),
        "Garage": [car],
    }
    assert {d["did"]: (d["model"], d["home_id"]) for d in got["devices"]} == {
        str(device.did): (device.model, cloud.home_id) for device in sim.devices.values()
    }
    assert got["read"] == [
        {"did": car, "siid": 2, "piid": 1, "code": 0, "value": 80},
        {"did": lamp, "siid": 2, "piid": 1, "code": 0, "value": True},
    ]
    assert got["written"] == {"did": lamp, "siid": 2, "piid": 1, "code": 0, "message": "成功"}
    assert (got["action"]["code"], got["action"]["message"]) == (0, "成功")
    assert sim.devices["lamp"].get(2, 1) is False
    assert sim.devices["speaker"].get(5, 1) == "晚上好"
    (action,) = cloud.describe()["actions"]
    assert (action["id"], action["name"], action["in"]) == ("speaker", "play-text", ["晚上好"])
