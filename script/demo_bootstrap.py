"""Connect the demo Home Assistant to the simulated Xiaomi account, then report (or check) it.

Run by `script/develop` once Home Assistant and the simulator (with its cloud) are started:

1. waits for Home Assistant's HTTP server;
2. gets an access token: the long-lived one saved in `<config>/.demo-token` if it still works;
   otherwise onboards (creates the demo user through `/api/onboarding/users`, exchanges the
   auth code at `/auth/token`, finishes `core_config`, `analytics` and `integration`), or, when
   onboarding was already done, logs the demo user in through `/auth/login_flow`; then creates
   a long-lived token over the WebSocket API and saves it;
3. waits until Home Assistant is running, then connects the integration to the simulated Xiaomi
   account the way a person does in the UI, through the config flow's REST API
   (`/api/config/config_entries/flow`):
   - every entry of the integration is looked at through its reconfigure flow (which tells an
     account from a single device, and shows the account's server URL); entries of single
     devices (an older demo added each LAN device on its own) and other accounts are removed,
     so that the account's entry is the only one;
   - no account entry: the "Xiaomi account" path of the menu, region `cn`, the simulator's cloud
     URL as server, `demo`/`demo`, and every home;
   - an account entry whose server URL is not the simulator's cloud (another `--cloud-port`):
     its reconfigure flow, with the new URL and the password;
   - an account entry the cloud refused (the simulator forgets its tokens when it stops, so this
     is the normal case on a restart): its re-authentication flow, with the password;
   the integration then reaches the LAN devices on the LAN (the cloud's device list carries
   their addresses and tokens) and the car, phones and watch through the cloud, and puts the
   devices in areas named after their rooms;
4. waits until every device of the simulated home (its admin API) is in Home Assistant with
   enabled entities that all have a state other than `unavailable` (`/api/states`, the device
   and entity registries), and until there is an area for every room, then prints a summary.
   With `--check`, anything not ready by the deadline fails the run (exit status 1).

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

from harness.processes import alive

DOMAIN = "xiaomi_aiot"
DEMO_NAME = "Demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the demo's published login, like its device tokens
TOKEN_FILE = ".demo-token"  # noqa: S105 - a file name
CLIENT_NAME = "xiaomi_aiot demo (script/develop)"
CLOUD_REGION = "cn"
CLOUD_USERNAME = "demo"  # the account of simulator/homes/demo.yaml (published there)
CLOUD_PASSWORD = "demo"  # noqa: S105
UNAVAILABLE = "unavailable"
POLL = 0.5
REAUTH_GRACE = 5.0
"""Seconds an account entry may sit in `setup_error` before a re-authentication flow shows up."""
ONBOARDING_EXTRAS = ("google_translate", "radio_browser")
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
LOADED = "loaded"
SETTLING_STATES = ("not_loaded", "setup_in_progress", "setup_retry", "unload_in_progress")


class BootstrapError(Exception):
    """Something the demo cannot go on without; the message says what."""


def log(message: str) -> None:
    """One progress line, in the style of the other scripts."""
    print(f"==> {message}", flush=True)


@dataclass(frozen=True)
class SimDevice:
    """A device of the simulated home, as the simulator's admin API describes it."""

    id: str
    did: str
    name: str
    kind: str
    model: str
    room: str | None
    address: str | None  # None: reached through the cloud only (car, phones, watch)

    @classmethod
    def from_admin(cls, item: dict[str, Any]) -> SimDevice:
        """From one item of `GET /devices`."""
        return cls(
            id=item["id"],
            did=str(item["did"]),
            name=item["name"],
            kind=item["kind"],
            model=item["model"],
            room=item.get("room"),
            address=item.get("address"),
        )

    @property
    def path(self) -> str:
        """How the integration should reach it."""
        return f"LAN {self.address}" if self.address else "cloud"


@dataclass
class DeviceReport:
    """How one device looks in Home Assistant."""

    device: SimDevice
    registered: bool = False
    in_entry: bool = False  # the device belongs to the account's entry
    area: str | None = None  # the name of the device's area
    room_area: bool = True  # an area named after its room exists (True when it has no room)
    entities: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # enabled, but no state yet
    unavailable: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """In the account's entry and in its room, with entities, all available."""
        return (
            self.registered
            and self.in_entry
            and self.room_area
            and (self.device.room is None or self.area is not None)
            and bool(self.entities)
            and not self.pending
            and not self.unavailable
        )

    def problem(self) -> str:
        """What is wrong, for the summary."""
        if not self.registered:
            return "no device in Home Assistant"
        if not self.in_entry:
            return "not a device of the account's entry"
        parts = []
        if not self.room_area:
            parts.append(f"no area {self.device.room!r}")
        elif self.device.room is not None and self.area is None:
            parts.append(f"in no area (room {self.device.room!r})")
        if not self.entities:
            parts.append("no entities")
        if self.unavailable:
            parts.append(f"unavailable: {', '.join(self.unavailable)}")
        if self.pending:
            parts.append(f"no state yet: {', '.join(self.pending)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class EntryInfo:
    """One config entry of the integration, as its reconfigure flow shows it."""

    entry_id: str
    title: str
    state: str
    disabled_by: str | None
    kind: str  # "account", "device" (one device on the LAN), "ignored" or "unknown"
    username: str | None = None
    server_url: str | None = None


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
    return pid is None or alive(pid)


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


async def registered_dids(ha: HomeAssistantClient) -> dict[str, dict[str, Any]]:
    """The integration's devices in Home Assistant's device registry, by did."""
    devices = await ha.ws({"type": "config/device_registry/list"})
    found: dict[str, dict[str, Any]] = {}
    for device in devices:
        for domain, identifier in device.get("identifiers", []):
            if domain == DOMAIN:
                found[str(identifier)] = device
    return found


async def simulated_home(
    session: aiohttp.ClientSession, admin_url: str
) -> tuple[list[SimDevice], str]:
    """The simulated home's devices (LAN and cloud-only), and its account's user name."""
    base = admin_url.rstrip("/")
    async with session.get(base + "/devices") as response:
        response.raise_for_status()
        items = await response.json()
    async with session.get(base + "/cloud") as response:
        response.raise_for_status()
        cloud = await response.json()
    return [SimDevice.from_admin(item) for item in items], cloud.get("username") or CLOUD_USERNAME


FLOW = "/api/config/config_entries/flow"


async def flow_step(ha: HomeAssistantClient, flow_id: str, body: dict[str, Any]) -> Any:
    """Answer the current step of a config flow; the next step (or its end)."""
    return await ha.request("POST", f"{FLOW}/{flow_id}", json_body=body)


async def abort_flow(ha: HomeAssistantClient, flow_id: str) -> None:
    """Close a config flow (as closing its dialog does); gone already is fine."""
    with contextlib.suppress(BootstrapError):
        await ha.request("DELETE", f"{FLOW}/{flow_id}", expect=(200, 404))


def schema_field(form: dict[str, Any], name: str) -> dict[str, Any]:
    """One field of a form's (serialized) schema; empty if the form has none of that name."""
    return next((f for f in form.get("data_schema") or [] if f.get("name") == name), {})


def is_form(answer: Any, step_id: str) -> bool:
    """Whether a flow's answer is the form of that step."""
    return (
        isinstance(answer, dict) and answer.get("type") == "form" and answer["step_id"] == step_id
    )


async def integration_entries(ha: HomeAssistantClient) -> list[dict[str, Any]]:
    """The integration's config entries (REST: title, state, reason, disabled_by, ...)."""
    return list(await ha.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}") or [])


async def inspect_entry(ha: HomeAssistantClient, entry: dict[str, Any]) -> EntryInfo:
    """Tell an account's entry from a device's by the form its reconfigure flow opens with.

    The account's form suggests the stored server URL and names the user; the flow is closed
    again without changing anything.
    """
    if entry.get("source") == "ignore":  # a discovery someone chose to ignore: no flow
        kind, username, server_url = "ignored", None, None
    else:
        kind, username, server_url = await reconfigure_form(ha, entry)
    return EntryInfo(
        entry_id=entry["entry_id"],
        title=entry["title"],
        state=entry["state"],
        disabled_by=entry.get("disabled_by"),
        kind=kind,
        username=username,
        server_url=server_url,
    )


async def reconfigure_form(
    ha: HomeAssistantClient, entry: dict[str, Any]
) -> tuple[str, str | None, str | None]:
    """Kind, user name and server URL of an entry, from its reconfigure flow (closed again)."""
    kind, username, server_url = "unknown", None, None
    try:
        flow = await ha.request(
            "POST", FLOW, json_body={"handler": DOMAIN, "entry_id": entry["entry_id"]}
        )
    except BootstrapError as err:
        log(f"{entry['title']!r}: its reconfigure flow did not start ({err})")
    else:
        if is_form(flow, "reconfigure_account"):
            kind = "account"
            username = (flow.get("description_placeholders") or {}).get("username")
            description = schema_field(flow, "server_url").get("description") or {}
            server_url = description.get("suggested_value") or None
        elif is_form(flow, "reconfigure"):
            kind = "device"
        if flow.get("type") == "form":
            await abort_flow(ha, flow["flow_id"])
    return kind, username, server_url


async def add_account(ha: HomeAssistantClient, cloud_url: str, username: str) -> str:
    """The config flow's account path, as in the UI: menus, the password, homes. The new
    entry's id."""
    flow = await ha.request("POST", FLOW, json_body={"handler": DOMAIN})
    for step, option in (("user", "account"), ("account", "password")):
        if flow.get("type") == "menu" and flow.get("step_id") == step:
            if option not in (flow.get("menu_options") or []):
                raise BootstrapError(f"the config flow's menu has no {option} path: {flow}")
            flow = await flow_step(ha, flow["flow_id"], {"next_step_id": option})
    if not is_form(flow, "password"):
        raise BootstrapError(f"unexpected start of the account's config flow: {flow}")
    flow_id = flow["flow_id"]
    answer = await flow_step(
        ha,
        flow_id,
        {
            "region": CLOUD_REGION,
            "server_url": cloud_url,
            "spec_server": cloud_url,
            "username": username,
            "password": CLOUD_PASSWORD,
        },
    )
    if is_form(answer, "password"):
        await abort_flow(ha, flow_id)
        raise BootstrapError(f"signing in at {cloud_url} failed: {answer.get('errors')}")
    if not is_form(answer, "homes"):
        raise BootstrapError(f"the account's config flow answered the sign-in with {answer}")
    options = schema_field(answer, "homes").get("options") or {}
    homes = dict(options) if isinstance(options, dict) else {str(k): str(v) for k, v in options}
    if not homes:
        await abort_flow(ha, flow_id)
        raise BootstrapError(f"the account at {cloud_url} has no homes")
    answer = await flow_step(ha, flow_id, {"homes": list(homes)})
    if answer.get("type") != "create_entry":
        raise BootstrapError(f"the account's config flow ended with {answer}")
    log(
        f"signed in to the Xiaomi account {username!r} at {cloud_url} (region {CLOUD_REGION}) "
        f"and added its homes: {', '.join(homes.values())}"
    )
    return str(answer["result"]["entry_id"])


async def reconfigure_account(ha: HomeAssistantClient, entry_id: str, cloud_url: str) -> None:
    """The account's reconfigure flow: this server URL, signed in afresh (then reloaded)."""
    flow = await ha.request("POST", FLOW, json_body={"handler": DOMAIN, "entry_id": entry_id})
    if not is_form(flow, "reconfigure_account"):
        raise BootstrapError(f"unexpected start of the account's reconfigure flow: {flow}")
    where = {"region": CLOUD_REGION, "server_url": cloud_url, "spec_server": cloud_url}
    answer = await flow_step(ha, flow["flow_id"], where)
    if answer.get("type") == "menu":  # how to sign in again there: with the password
        answer = await flow_step(ha, flow["flow_id"], {"next_step_id": "reauth_password"})
        answer = await flow_step(ha, flow["flow_id"], {"password": CLOUD_PASSWORD})
    if answer.get("type") != "abort" or answer.get("reason") != "reconfigure_successful":
        await abort_flow(ha, flow["flow_id"])
        raise BootstrapError(f"reconfiguring the account at {cloud_url} failed: {answer}")


async def reauth_flow(ha: HomeAssistantClient, entry_id: str) -> str | None:
    """The id of the entry's re-authentication flow in progress, if any."""
    for flow in await ha.ws({"type": "config_entries/flow/progress"}):
        context = flow.get("context") or {}
        if (
            flow.get("handler") == DOMAIN
            and context.get("source") == "reauth"
            and context.get("entry_id") == entry_id
        ):
            return str(flow["flow_id"])
    return None


async def reauthenticate(ha: HomeAssistantClient, flow_id: str) -> None:
    """Answer the re-authentication flow with the password (then the entry is reloaded)."""
    answer = await flow_step(ha, flow_id, {"next_step_id": "reauth_password"})
    answer = await flow_step(ha, flow_id, {"password": CLOUD_PASSWORD})
    if answer.get("type") != "abort" or answer.get("reason") != "reauth_successful":
        await abort_flow(ha, flow_id)
        raise BootstrapError(f"signing in to the account again failed: {answer}")


async def entry_state(ha: HomeAssistantClient, entry_id: str) -> tuple[str, str | None]:
    """An entry's state and the reason for it (None when it has none)."""
    for entry in await integration_entries(ha):
        if entry["entry_id"] == entry_id:
            return str(entry["state"]), entry.get("reason")
    raise BootstrapError("the account's config entry is gone")


async def connect_account(
    ha: HomeAssistantClient, cloud_url: str, username: str, deadline: Deadline
) -> str:
    """Make the account's entry the integration's only one, at this cloud; its entry id."""
    entries = [await inspect_entry(ha, entry) for entry in await integration_entries(ha)]
    accounts = [
        entry
        for entry in entries
        if entry.kind == "account" and (entry.username or "").casefold() == username.casefold()
    ]
    accounts.sort(key=lambda entry: entry.server_url != cloud_url)  # the one at this cloud first
    keep = accounts[0] if accounts else None
    for entry in entries:
        if entry is keep:
            continue
        await ha.request("DELETE", f"/api/config/config_entries/entry/{entry.entry_id}")
        what = {
            "device": "one LAN device, which the account covers: an older demo made those",
            "account": f"the account {entry.username!r} at {entry.server_url}",
            "ignored": "an ignored discovery",
        }.get(entry.kind, "not an account")
        log(f"removed the entry {entry.title!r} ({what})")
    if keep is None:
        return await add_account(ha, cloud_url, username)
    log(f"the account {username!r} is set up already ({keep.state})")
    await bring_up(ha, keep, cloud_url, deadline, reload=len(entries) > 1)
    return keep.entry_id


async def bring_up(
    ha: HomeAssistantClient, entry: EntryInfo, cloud_url: str, deadline: Deadline, *, reload: bool
) -> None:
    """Get an existing account entry loaded, as a person would in the UI.

    Enable it if disabled; point it at this cloud (its reconfigure flow) if it has another
    server; answer its re-authentication flow with the password when the cloud refused its
    tokens; reload it if entries it shared devices with were just removed. Returns when it is
    loaded, or with a note when it cannot be (the summary then shows what is missing).
    """
    entry_id = entry.entry_id
    if entry.disabled_by is not None:
        await ha.ws({"type": "config_entries/disable", "entry_id": entry_id, "disabled_by": None})
        log(f"enabled the account's entry (disabled by {entry.disabled_by})")
    if entry.server_url != cloud_url:
        await reconfigure_account(ha, entry_id, cloud_url)
        log(f"pointed the account's entry at {cloud_url} (it had {entry.server_url})")
        reload = False
    signed_in = False
    failing_since: float | None = None
    while deadline.left():
        state, reason = await entry_state(ha, entry_id)
        flow_id = None if signed_in else await reauth_flow(ha, entry_id)
        if flow_id is not None:
            await reauthenticate(ha, flow_id)
            log("signed in to the account again (its cloud forgot the tokens: a new simulator)")
            signed_in, reload, failing_since = True, False, time.monotonic()
        elif state == LOADED:
            if reload:
                await ha.request("POST", f"/api/config/config_entries/entry/{entry_id}/reload")
                log("reloaded the account's entry, now the only one")
            return
        elif state == "setup_error":
            # A re-authentication flow starts just after the failure; give it a moment.
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since >= REAUTH_GRACE:
                if signed_in:
                    log(f"the account's entry does not load: {reason}")
                    return
                await reconfigure_account(ha, entry_id, cloud_url)
                log(f"signed in to the account again ({reason})")
                signed_in, reload, failing_since = True, False, time.monotonic()
        elif state not in SETTLING_STATES:
            log(f"the account's entry is {state}: {reason}")
            return
        await asyncio.sleep(POLL)
    log("the account's entry was not loaded by the deadline")


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


@dataclass
class Status:
    """The whole picture: each device, the rooms without an area, the other entries."""

    devices: list[DeviceReport]
    missing_areas: list[str]
    other_entries: list[str]  # titles of the integration's entries besides the account's
    entry_state: str

    @property
    def ready(self) -> bool:
        """Every device ready, an area for every room, the account's entry the only one."""
        return (
            all(result.ready for result in self.devices)
            and not self.missing_areas
            and not self.other_entries
        )


async def report(ha: HomeAssistantClient, devices: list[SimDevice], entry_id: str) -> Status:
    """The devices, areas and entries as Home Assistant has them now."""
    registered = await registered_dids(ha)
    areas = {
        area["area_id"]: area["name"] for area in await ha.ws({"type": "config/area_registry/list"})
    }
    area_names = {name.casefold() for name in areas.values()}
    by_device: dict[str, list[str]] = {}
    for entity in await ha.ws({"type": "config/entity_registry/list"}):
        if entity.get("platform") == DOMAIN and not entity.get("disabled_by"):
            by_device.setdefault(entity.get("device_id") or "", []).append(entity["entity_id"])
    states = {
        state["entity_id"]: state["state"] for state in await ha.request("GET", "/api/states")
    }
    results = []
    for device in devices:
        result = DeviceReport(device)
        result.room_area = device.room is None or device.room.casefold() in area_names
        if (entry := registered.get(device.did)) is not None:
            result.registered = True
            result.in_entry = entry_id in (entry.get("config_entries") or [])
            result.area = areas.get(entry.get("area_id") or "")
            result.entities = sorted(by_device.get(entry["id"], []))
            result.pending = [e for e in result.entities if e not in states]
            result.unavailable = [e for e in result.entities if states.get(e) == UNAVAILABLE]
        results.append(result)
    rooms = dict.fromkeys(device.room for device in devices if device.room)
    entries = await integration_entries(ha)
    return Status(
        devices=results,
        missing_areas=[room for room in rooms if room.casefold() not in area_names],
        other_entries=[e["title"] for e in entries if e["entry_id"] != entry_id],
        entry_state=next(
            (
                f"{e['state']}" + (f" ({e['reason']})" if e.get("reason") else "")
                for e in entries
                if e["entry_id"] == entry_id
            ),
            "gone",
        ),
    )


async def wait_until_ready(
    ha: HomeAssistantClient, devices: list[SimDevice], entry_id: str, deadline: Deadline
) -> Status:
    """Poll until everything is ready or the deadline passes; the last status."""
    while True:
        status = await report(ha, devices, entry_id)
        if status.ready or not deadline.left():
            return status
        await asyncio.sleep(POLL)


def lan_fallbacks(config: Path) -> int:
    """How often the integration fell back from the LAN to the cloud since Home Assistant started.

    Read from Home Assistant's log (a new one each start; the integration logs at debug level
    in the demo): LAN devices should be reached on the LAN, so this should be 0.
    """
    try:
        with (config / "home-assistant.log").open(encoding="utf-8", errors="replace") as file:
            return sum(1 for line in file if "LAN failed (" in line)
    except FileNotFoundError:
        return 0


def print_summary(status: Status, elapsed: float, fallbacks: int) -> bool:
    """One line per device, then areas and entries; True when all is ready."""
    reports = status.devices
    ready = [result for result in reports if result.ready]
    entities = sum(len(result.entities) for result in reports)
    unavailable = sum(len(result.unavailable) for result in reports)
    lan = sum(1 for result in reports if result.device.address)
    log(
        f"{len(ready)}/{len(reports)} devices ready {elapsed:.1f} s after start "
        f"({lan} on the LAN, {len(reports) - lan} through the cloud; "
        f"{entities} entities, {unavailable} unavailable)"
    )
    name_width = max((len(result.device.name) for result in reports), default=0)
    path_width = max((len(result.device.path) for result in reports), default=0)
    model_width = max((len(result.device.model) for result in reports), default=0)
    for result in reports:
        device = result.device
        mark = "ok  " if result.ready else "FAIL"
        area = result.area or "-"
        state = f"{len(result.entities)} entities" if result.ready else result.problem()
        print(
            f"    {mark} {device.name:<{name_width}}  {device.path:<{path_width}}  "
            f"{device.model:<{model_width}}  {area:<12} {state}",
            flush=True,
        )
    rooms = dict.fromkeys(result.device.room for result in reports if result.device.room)
    if status.missing_areas:
        log(f"FAIL no area for the rooms: {', '.join(status.missing_areas)}")
    else:
        log(f"areas for the {len(rooms)} rooms: {', '.join(r for r in rooms if r)}")
    if status.other_entries:
        log(f"FAIL other entries besides the account's: {', '.join(status.other_entries)}")
    else:
        log(f"one config entry: the Xiaomi account ({status.entry_state})")
    if fallbacks:
        log(f"note: {fallbacks} LAN requests went to the cloud instead (home-assistant.log)")
    return status.ready


async def bootstrap(args: argparse.Namespace) -> int:
    """The whole run; the exit status."""
    deadline = Deadline(args.started, args.timeout)
    token_file = args.config / TOKEN_FILE
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        ha = HomeAssistantClient(session, args.url)
        try:
            devices, username = await simulated_home(session, args.admin)
            if not devices:
                raise BootstrapError("the simulated home has no devices")
            await wait_until_up(ha, deadline, args.ha_pid)
            log(f"Home Assistant answers at {ha.url} ({deadline.elapsed():.1f} s)")
            await get_token(ha, token_file)
            await wait_until_running(ha, deadline)
            entry_id = await connect_account(ha, args.cloud, username, deadline)
            status = await wait_until_ready(ha, devices, entry_id, deadline)
            elapsed = deadline.elapsed()
            await drop_broken_onboarding_entries(ha)
            ok = print_summary(status, elapsed, lan_fallbacks(args.config))
        except BootstrapError as err:
            print(f"demo_bootstrap: {err}", file=sys.stderr, flush=True)
            return 1
        except (aiohttp.ClientError, TimeoutError) as err:
            print(
                f"demo_bootstrap: lost Home Assistant or the simulator: {err!r}",
                file=sys.stderr,
                flush=True,
            )
            return 1
        finally:
            await ha.close()
    if not ok and not args.check:
        log("not everything is ready yet; see the log for why (the demo keeps running)")
        return 0
    return 0 if ok else 1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see `script/develop`, which passes all of it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", required=True, help="Home Assistant, e.g. http://127.0.0.1:8123")
    parser.add_argument("--admin", required=True, help="the simulator's admin API URL")
    parser.add_argument("--cloud", required=True, help="the simulator's cloud URL (server URL)")
    parser.add_argument("--config", type=Path, required=True, help="Home Assistant's config dir")
    parser.add_argument(
        "--started", type=float, default=time.time(), help="start time (epoch seconds)"
    )
    parser.add_argument(
        "--timeout", type=float, default=90.0, help="seconds from --started for everything"
    )
    parser.add_argument("--ha-pid", type=int, help="Home Assistant's process: stop if it exits")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless everything is ready in time"
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
