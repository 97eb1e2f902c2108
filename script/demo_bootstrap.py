"""Connect the demo Home Assistant to the simulated home, then report (or check) its entities.

Run by `script/develop` once Home Assistant and the simulator are started:

1. waits for Home Assistant's HTTP server;
2. gets an access token: the long-lived one saved in `<config>/.demo-token` if it still works;
   otherwise onboards (creates the demo user through `/api/onboarding/users`, exchanges the
   auth code at `/auth/token`, finishes `core_config`, `analytics` and `integration`), or, when
   onboarding was already done, logs the demo user in through `/auth/login_flow`; then creates
   a long-lived token over the WebSocket API and saves it;
3. waits until Home Assistant is running, then runs the integration's real config flow
   (`/api/config/config_entries/flow`) with address, token and name for every LAN device of
   the simulator (its admin API) that has no config entry yet, and puts each new device in
   its room (an area);
4. waits until every device's enabled entities have a state other than `unavailable`
   (`/api/states`) and prints a summary. With `--check`, a device that is not ready by the
   deadline fails the run (exit status 1).

Only the standard library and aiohttp (a Home Assistant dependency) are used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

DOMAIN = "xiaomi_aiot"
DEMO_NAME = "Demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the demo's published login, like its device tokens
TOKEN_FILE = ".demo-token"  # noqa: S105 - a file name
CLIENT_NAME = "xiaomi_aiot demo (script/develop)"
UNAVAILABLE = "unavailable"
POLL = 0.5
ONBOARDING_EXTRAS = ("google_translate", "radio_browser")
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")


class BootstrapError(Exception):
    """Something the demo cannot go on without; the message says what."""


def log(message: str) -> None:
    """One progress line, in the style of the other scripts."""
    print(f"==> {message}", flush=True)


@dataclass(frozen=True)
class SimDevice:
    """A LAN device of the simulator, as its admin API describes it."""

    id: str
    did: str
    name: str
    model: str
    room: str | None
    address: str
    token: str

    @classmethod
    def from_admin(cls, item: dict[str, Any]) -> SimDevice:
        """From one item of `GET /devices`."""
        return cls(
            id=item["id"],
            did=str(item["did"]),
            name=item["name"],
            model=item["model"],
            room=item.get("room"),
            address=item["address"],
            token=item["token"],
        )


@dataclass
class DeviceReport:
    """How one device looks in Home Assistant."""

    device: SimDevice
    registered: bool = False
    entities: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # enabled, but no state yet
    unavailable: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Registered, with entities, every one of them with a state and available."""
        return self.registered and bool(self.entities) and not self.pending and not self.unavailable

    def problem(self) -> str:
        """What is wrong, for the summary."""
        if not self.registered:
            return "no device in Home Assistant"
        if not self.entities:
            return "no entities"
        parts = []
        if self.unavailable:
            parts.append(f"unavailable: {', '.join(self.unavailable)}")
        if self.pending:
            parts.append(f"no state yet: {', '.join(self.pending)}")
        return "; ".join(parts)


class HomeAssistantClient:
    """Home Assistant's REST and WebSocket APIs, as the demo needs them."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """`url` is the base URL, e.g. `http://127.0.0.1:8123`."""
        self.session = session
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"
        self.token: str | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ws_id = 0

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        auth: bool = True,
        expect: Sequence[int] = (200,),
    ) -> Any:
        """One call; its JSON answer (None when not JSON). Statuses not in `expect` raise."""
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        async with self.session.request(
            method, self.url + path, json=json_body, data=form, headers=headers
        ) as response:
            text = await response.text()
            if response.status not in expect:
                raise BootstrapError(f"{method} {path}: HTTP {response.status} {text[:300]}")
            if response.content_type != "application/json" or not text:
                return None
            return json.loads(text)

    async def status(self, path: str) -> int:
        """The HTTP status of a GET (with the token, if any)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        async with self.session.get(self.url + path, headers=headers) as response:
            await response.read()
            return response.status

    async def exchange_code(self, code: str) -> str:
        """An authorization code for an access token."""
        answer = await self.request(
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            auth=False,
        )
        return str(answer["access_token"])

    async def ws(self, command: dict[str, Any]) -> Any:
        """One WebSocket command (the connection is opened and authenticated on first use)."""
        if self._ws is None:
            ws = await self.session.ws_connect(
                self.url.replace("http", "ws", 1) + "/api/websocket", max_msg_size=0
            )
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            answer = await ws.receive_json()
            if answer.get("type") != "auth_ok":
                await ws.close()
                raise BootstrapError(f"WebSocket authentication failed: {answer}")
            self._ws = ws
        self._ws_id += 1
        await self._ws.send_json({"id": self._ws_id, **command})
        while True:
            answer = await self._ws.receive_json()
            if answer.get("id") == self._ws_id and answer.get("type") == "result":
                break
        if not answer.get("success"):
            raise BootstrapError(f"{command['type']}: {answer.get('error')}")
        return answer.get("result")

    async def close(self) -> None:
        """Close the WebSocket connection, if open."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None


class Deadline:
    """Seconds left until a point in time (`time.time()` based, shared with the shell)."""

    def __init__(self, started: float, timeout: float) -> None:
        """`started` is when `script/develop` started; `timeout` counts from there."""
        self.started = started
        self.at = started + timeout

    def left(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.time())

    def elapsed(self) -> float:
        """Seconds since `started`."""
        return time.time() - self.started


def process_alive(pid: int | None) -> bool:
    """False once the process is gone (None: not watched)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def wait_until_up(ha: HomeAssistantClient, deadline: Deadline, ha_pid: int | None) -> None:
    """Wait for the REST API (set up after the frontend and onboarding) to answer."""
    while True:
        if not process_alive(ha_pid):
            raise BootstrapError("Home Assistant exited while starting")
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            if await ha.status("/api/") in (200, 401):
                return
        if not deadline.left():
            raise BootstrapError(f"Home Assistant did not answer at {ha.url} in time")
        await asyncio.sleep(POLL)


async def onboarding_done(ha: HomeAssistantClient) -> set[str]:
    """The onboarding steps done (all of them once onboarding is over: its API is gone)."""
    steps = await ha.request("GET", "/api/onboarding", auth=False, expect=(200, 404))
    if not isinstance(steps, list):
        return set(ONBOARDING_STEPS)
    return {step["step"] for step in steps if step["done"]}


async def wait_until_running(ha: HomeAssistantClient, deadline: Deadline) -> None:
    """Wait until Home Assistant has finished starting (config entries set up)."""
    while True:
        config = await ha.request("GET", "/api/config")
        if config.get("state") == "RUNNING":
            return
        if not deadline.left():
            raise BootstrapError(f"Home Assistant still {config.get('state')} at the deadline")
        await asyncio.sleep(POLL)


async def token_works(ha: HomeAssistantClient, token: str) -> bool:
    """Whether Home Assistant accepts the token."""
    ha.token = token
    if await ha.status("/api/") == 200:
        return True
    ha.token = None
    return False


async def onboard_user(ha: HomeAssistantClient) -> str:
    """Create the demo user (first onboarding step); its access token."""
    answer = await ha.request(
        "POST",
        "/api/onboarding/users",
        json_body={
            "client_id": ha.client_id,
            "name": DEMO_NAME,
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
            "language": "en",
        },
        auth=False,
    )
    log(f"onboarding: created the user {DEMO_USERNAME!r}")
    return await ha.exchange_code(answer["auth_code"])


async def log_in(ha: HomeAssistantClient) -> str:
    """Log the demo user in with its password; an access token."""
    flow = await ha.request(
        "POST",
        "/auth/login_flow",
        json_body={
            "client_id": ha.client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{ha.client_id}?auth_callback=1",
        },
        auth=False,
    )
    answer = await ha.request(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        json_body={
            "client_id": ha.client_id,
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
        },
        auth=False,
    )
    if answer.get("type") != "create_entry":
        raise BootstrapError(
            f"Home Assistant was onboarded with another login than {DEMO_USERNAME}/"
            f"{DEMO_PASSWORD}: put a long-lived access token of an administrator in "
            f"{TOKEN_FILE} of the config directory, or remove its .storage to start afresh"
        )
    return await ha.exchange_code(answer["result"])


async def finish_onboarding(ha: HomeAssistantClient, done: set[str]) -> None:
    """The steps after the user: core_config, analytics, integration (as the UI does)."""
    steps: list[tuple[str, dict[str, str] | None]] = [
        ("core_config", None),
        ("analytics", None),
        (
            "integration",
            {"client_id": ha.client_id, "redirect_uri": f"{ha.client_id}?auth_callback=1"},
        ),
    ]
    for step, body in steps:
        if step in done:
            continue
        # 403: done meanwhile (another client); fine.
        await ha.request("POST", f"/api/onboarding/{step}", json_body=body, expect=(200, 403))
        log(f"onboarding: {step} done")


def read_token(path: Path) -> str | None:
    """The saved token, if any."""
    try:
        return path.read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def save_token(path: Path, token: str) -> None:
    """Save the token, readable by its owner only."""
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(token + "\n")


async def get_token(ha: HomeAssistantClient, token_file: Path) -> None:
    """Set `ha.token`: the saved long-lived token, or a new one after onboarding or login."""
    if saved := read_token(token_file):
        if await token_works(ha, saved):
            log(f"using the saved access token ({token_file})")
            await finish_onboarding(ha, await onboarding_done(ha))
            return
        log(f"the saved access token ({token_file}) is no longer accepted: getting a new one")
    done = await onboarding_done(ha)
    ha.token = await (log_in(ha) if "user" in done else onboard_user(ha))
    await finish_onboarding(ha, done)
    long_lived = await ha.ws(
        {
            "type": "auth/long_lived_access_token",
            "client_name": f"{CLIENT_NAME} {time.strftime('%Y-%m-%d %H:%M:%S')}",
            "lifespan": 3650,
        }
    )
    # The old connection is authenticated with the short-lived token: reconnect with the new one.
    await ha.close()
    ha.token = str(long_lived)
    save_token(token_file, ha.token)
    log(f"saved a long-lived access token in {token_file}")


async def simulated_devices(session: aiohttp.ClientSession, admin_url: str) -> list[SimDevice]:
    """The simulator's LAN devices (cloud-only ones have no address)."""
    async with session.get(admin_url.rstrip("/") + "/devices") as response:
        response.raise_for_status()
        items = await response.json()
    return [SimDevice.from_admin(item) for item in items if item.get("address")]


async def registered_dids(ha: HomeAssistantClient) -> dict[str, dict[str, Any]]:
    """The integration's devices in Home Assistant's device registry, by did."""
    devices = await ha.ws({"type": "config/device_registry/list"})
    found: dict[str, dict[str, Any]] = {}
    for device in devices:
        for domain, identifier in device.get("identifiers", []):
            if domain == DOMAIN:
                found[str(identifier)] = device
    return found


async def run_config_flow(ha: HomeAssistantClient, device: SimDevice) -> str | None:
    """The integration's "one device" path: "created", "already_configured", or None."""
    flow = await ha.request(
        "POST", "/api/config/config_entries/flow", json_body={"handler": DOMAIN}
    )
    if flow.get("type") == "menu":
        flow = await ha.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            json_body={"next_step_id": "local"},
        )
    if flow.get("type") != "form" or flow.get("step_id") != "local":
        raise BootstrapError(f"{device.name}: unexpected start of the config flow: {flow}")
    answer = await ha.request(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        json_body={"host": device.address, "token": device.token, "name": device.name},
    )
    kind = answer.get("type")
    if kind == "create_entry":
        return "created"
    if kind == "abort":
        return str(answer.get("reason"))
    if kind == "form":
        with contextlib.suppress(BootstrapError):
            await ha.request("DELETE", f"/api/config/config_entries/flow/{flow['flow_id']}")
        log(f"{device.name} ({device.address}): the config flow answered {answer.get('errors')}")
        return None
    raise BootstrapError(f"{device.name}: the config flow ended with {answer}")


async def add_devices(
    ha: HomeAssistantClient, devices: list[SimDevice], deadline: Deadline
) -> list[SimDevice]:
    """A config entry for every device without one; the devices that got one now."""
    registered = await registered_dids(ha)
    known = [device for device in devices if device.did in registered]
    if known:
        log(f"{len(known)} of {len(devices)} devices are set up already")
    added: list[SimDevice] = []
    for device in devices:
        if device in known:
            continue
        outcome = await run_config_flow(ha, device)
        if outcome == "created":
            log(f"added {device.name} ({device.model} at {device.address})")
            added.append(device)
        elif outcome is not None:
            # An entry exists (e.g. set up failed at start and is retrying): the flow's own check.
            log(f"{device.name}: not added ({outcome})")
    if added:
        await assign_rooms(ha, added, deadline)
    return added


async def assign_rooms(ha: HomeAssistantClient, added: list[SimDevice], deadline: Deadline) -> None:
    """Put newly added devices in the area named after their room (created if missing)."""
    areas = {
        area["name"].casefold(): area["area_id"]
        for area in await ha.ws({"type": "config/area_registry/list"})
    }
    pending = [device for device in added if device.room]
    while pending:
        registered = await registered_dids(ha)
        waiting = []
        for device in pending:
            entry = registered.get(device.did)
            if entry is None:
                waiting.append(device)
                continue
            assert device.room is not None
            area_id = areas.get(device.room.casefold())
            if area_id is None:
                area = await ha.ws({"type": "config/area_registry/create", "name": device.room})
                area_id = areas[device.room.casefold()] = area["area_id"]
            if entry.get("area_id") is None:
                await ha.ws(
                    {
                        "type": "config/device_registry/update",
                        "device_id": entry["id"],
                        "area_id": area_id,
                    }
                )
        pending = waiting
        if pending and not deadline.left():
            log(
                f"not in Home Assistant's device registry yet, no room: "
                f"{', '.join(device.name for device in pending)}"
            )
            return
        if pending:
            await asyncio.sleep(POLL)


async def drop_broken_onboarding_entries(ha: HomeAssistantClient) -> None:
    """Remove entries that onboarding adds but that cannot load here (no packages: --skip-pip).

    Finishing onboarding's core_config step sets up text-to-speech by Google Translate and Radio
    Browser, whose packages the development environment does not install: their entries would
    fail on every start.
    """
    for domain in ONBOARDING_EXTRAS:
        entries = await ha.request("GET", f"/api/config/config_entries/entry?domain={domain}")
        for entry in entries or []:
            if entry["state"] == "setup_error":
                await ha.request("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
                log(f"removed {entry['title']!r}, which cannot load without its package")


async def report(ha: HomeAssistantClient, devices: list[SimDevice]) -> list[DeviceReport]:
    """Each device's enabled entities and their states (`/api/states`)."""
    registered = await registered_dids(ha)
    by_device: dict[str, list[str]] = {}
    for entity in await ha.ws({"type": "config/entity_registry/list"}):
        if entity.get("platform") == DOMAIN and not entity.get("disabled_by"):
            by_device.setdefault(entity.get("device_id") or "", []).append(entity["entity_id"])
    states = {
        state["entity_id"]: state["state"] for state in await ha.request("GET", "/api/states")
    }
    reports = []
    for device in devices:
        result = DeviceReport(device)
        if (entry := registered.get(device.did)) is not None:
            result.registered = True
            result.entities = sorted(by_device.get(entry["id"], []))
            result.pending = [e for e in result.entities if e not in states]
            result.unavailable = [e for e in result.entities if states.get(e) == UNAVAILABLE]
        reports.append(result)
    return reports


async def wait_until_ready(
    ha: HomeAssistantClient, devices: list[SimDevice], deadline: Deadline
) -> list[DeviceReport]:
    """Poll until every device is ready or the deadline passes; the last reports."""
    while True:
        reports = await report(ha, devices)
        if all(result.ready for result in reports) or not deadline.left():
            return reports
        await asyncio.sleep(POLL)


def print_summary(reports: list[DeviceReport], elapsed: float) -> bool:
    """One line per device; True when all are ready."""
    ready = [result for result in reports if result.ready]
    entities = sum(len(result.entities) for result in reports)
    unavailable = sum(len(result.unavailable) for result in reports)
    log(
        f"{len(ready)}/{len(reports)} devices ready {elapsed:.1f} s after start "
        f"({entities} entities, {unavailable} unavailable)"
    )
    width = max((len(result.device.name) for result in reports), default=0)
    for result in reports:
        device = result.device
        state = f"{len(result.entities)} entities" if result.ready else result.problem()
        mark = "ok  " if result.ready else "FAIL"
        print(
            f"    {mark} {device.name:<{width}}  {device.address:<11} {device.model:<26} {state}",
            flush=True,
        )
    return len(ready) == len(reports)


async def bootstrap(args: argparse.Namespace) -> int:
    """The whole run; the exit status."""
    deadline = Deadline(args.started, args.timeout)
    token_file = args.config / TOKEN_FILE
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        ha = HomeAssistantClient(session, args.url)
        try:
            devices = await simulated_devices(session, args.admin)
            if not devices:
                raise BootstrapError("the simulator has no LAN devices")
            await wait_until_up(ha, deadline, args.ha_pid)
            log(f"Home Assistant answers at {ha.url} ({deadline.elapsed():.1f} s)")
            await get_token(ha, token_file)
            await wait_until_running(ha, deadline)
            await add_devices(ha, devices, deadline)
            reports = await wait_until_ready(ha, devices, deadline)
            await drop_broken_onboarding_entries(ha)
            ok = print_summary(reports, deadline.elapsed())
        except BootstrapError as err:
            print(f"demo_bootstrap: {err}", file=sys.stderr, flush=True)
            return 1
        finally:
            await ha.close()
    if not ok and not args.check:
        log("not every device is ready yet; see the log for why (the demo keeps running)")
        return 0
    return 0 if ok else 1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see `script/develop`, which passes all of it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", required=True, help="Home Assistant, e.g. http://127.0.0.1:8123")
    parser.add_argument("--admin", required=True, help="the simulator's admin API URL")
    parser.add_argument("--config", type=Path, required=True, help="Home Assistant's config dir")
    parser.add_argument(
        "--started", type=float, default=time.time(), help="start time (epoch seconds)"
    )
    parser.add_argument(
        "--timeout", type=float, default=90.0, help="seconds from --started for everything"
    )
    parser.add_argument("--ha-pid", type=int, help="Home Assistant's process: stop if it exits")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless every device is ready in time"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    try:
        return asyncio.run(bootstrap(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
