"""The home file: rooms and devices, validated into dataclasses.

Every problem raises `HomeFileError` whose message starts with the offending key path, e.g.
``devices[2].state.brightness: 300 is outside 1..100``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from custom_components.xiaomi_aiot.miot.spec import MiotSpec, Value

from .cloud_faults import two_step_setting
from .faults import FaultChange, FaultError, parse_fault_change
from .kinds import KIND_STATE, KINDS, LIGHT_FEATURES, Kind, light_model
from .plausible import plausible_state
from .specs import SpecLibrary, spec_library
from .state import StateError, StateKey, initial_state, parse_cloud_state, parse_state
from .yamlload import YamlError, load_yaml

HOME_KEYS = ("home_name", "account", "rooms", "devices", "specs")
ACCOUNT_KEYS = ("username", "password", "captcha", "two_step", "country")
COUNTRIES = ("cn", "de", "us", "ru", "tw", "sg", "in", "i2")
"""The countries of Xiaomi's app API (``<country>.api.io.mi.com``; cn is ``api.io.mi.com``)."""
DEFAULT_HOME_NAME = "My Home"
DEVICE_KEYS = (
    *("id", "kind", "name", "room", "person", "model", "token", "did"),
    *("features", "state", "faults"),
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TOKEN = re.compile(r"^[0-9a-fA-F]{32}$")
# Any model of the spec library, its device type whatever the document says: a LAN device.
DEVICE_KIND = Kind("device", lan=True)
_KINDS = {**KINDS, DEVICE_KIND.name: DEVICE_KIND}


class HomeFileError(ValueError):
    """The home file is not valid; the message names the offending key path."""


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """One device of the home file, validated, with its full initial state."""

    id: str
    kind: str
    name: str
    did: int
    token: str
    model: str | None = None
    room: str | None = None
    person: str | None = None
    features: frozenset[str] | None = None
    state: Mapping[StateKey, Value] = field(default_factory=dict)
    cloud_state: Mapping[str, Any] = field(default_factory=dict)
    faults: FaultChange = field(default_factory=FaultChange)
    specs: Path | None = None

    @property
    def lan(self) -> bool:
        """Whether the device is a miIO LAN endpoint (else it is cloud only)."""
        return _KINDS[self.kind].lan

    @property
    def spec(self) -> MiotSpec | None:
        """The spec of the device's model, from the home's spec folder or the bundled ones."""
        return spec_library(self.specs).spec(self.model) if self.model else None


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """The Xiaomi account the simulated cloud accepts."""

    username: str = "demo"
    password: str = field(default="demo", repr=False)
    captcha: bool = False  # Xiaomi's sign-in asks for a captcha first
    two_step: bool | str = False  # a right password leads to 2-step verification (phone, email)
    country: str = "cn"  # the only country whose app API lists the account's homes and devices


@dataclass(frozen=True, slots=True)
class Home:
    """A whole home: its rooms and its devices, in file order; its name and account."""

    rooms: tuple[str, ...]
    devices: tuple[DeviceConfig, ...]
    name: str = DEFAULT_HOME_NAME
    account: AccountConfig = field(default_factory=AccountConfig)
    specs: Path | None = None  # the folder of real spec documents, if any


def load_home(source: Path | str | Mapping[str, Any], specs: Path | str | None = None) -> Home:
    """Load a home from a YAML file path, YAML text (a `str` with a newline) or a mapping.

    `specs` is a folder of spec documents (``--specs``); it wins over the home file's
    ``specs:``, which is relative to the home file's folder. This reads files (the home file
    and specs): call it outside the event loop.
    """
    base = Path.cwd()
    if isinstance(source, Mapping):
        return parse_home(source, specs, base)
    if isinstance(source, str) and "\n" in source:
        text, origin = source, "home"
    else:
        path = Path(source)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise HomeFileError(f"{path}: cannot read the home file ({err})") from err
        origin = str(path)
        base = path.parent
    try:
        data = load_yaml(text)
    except YamlError as err:
        raise HomeFileError(f"{origin}: {err}") from err
    return parse_home(data, specs, base)


def parse_home(data: Any, specs: Path | str | None = None, base: Path | None = None) -> Home:
    """Validate a parsed home document; `specs` overrides its ``specs:`` (see `load_home`)."""
    if not isinstance(data, Mapping):
        raise HomeFileError("home: expected a mapping with rooms and devices")
    _no_unknown_keys(data, HOME_KEYS, "")
    folder = _specs_folder(data, specs, base or Path.cwd())
    name = _text(data, "home_name", "home") or DEFAULT_HOME_NAME
    account = _account(data.get("account"))
    rooms = _rooms(data.get("rooms", []))
    raw_devices = data.get("devices")
    if raw_devices is None:
        raise HomeFileError("devices: required (a list of devices)")
    if not isinstance(raw_devices, list | tuple):
        raise HomeFileError("devices: expected a list of devices")
    devices: list[DeviceConfig] = []
    ids: set[str] = set()
    dids: dict[int, str] = {}
    for index, raw in enumerate(raw_devices):
        path = f"devices[{index}]"
        device = _device(raw, path, rooms, folder)
        if device.id in ids:
            raise HomeFileError(f"{path}.id: duplicate id {device.id!r}")
        if device.did in dids:
            raise HomeFileError(f"{path}.did: {device.did} is already used by {dids[device.did]!r}")
        ids.add(device.id)
        dids[device.did] = device.id
        devices.append(device)
    return Home(rooms, tuple(devices), name, account, folder)


def parse_device(
    raw: Any, rooms: tuple[str, ...], path: str = "device", specs: Path | None = None
) -> DeviceConfig:
    """Validate one device definition (as in the home file's `devices`), e.g. added at run time.

    Reads specs (cached after the first use of a model); `specs` is the home's spec folder.
    """
    return _device(raw, path, rooms, specs)


def _specs_folder(data: Mapping[str, Any], override: Path | str | None, base: Path) -> Path | None:
    """The spec folder: the override (``--specs``, from the working folder), else ``specs:``."""
    if override is not None:
        where, folder = "--specs", Path(override)
    elif data.get("specs") is not None:
        where, raw = "specs", data["specs"]
        if not isinstance(raw, str) or not raw.strip():
            raise HomeFileError(f"specs: {raw!r} is not a folder name")
        folder = base / raw
    else:
        return None
    if not folder.is_dir():
        raise HomeFileError(f"{where}: {str(folder)!r} is not a folder")
    return folder.resolve()


def _account(raw: Any) -> AccountConfig:
    if raw is None:
        return AccountConfig()
    if not isinstance(raw, Mapping):
        raise HomeFileError("account: expected a mapping with username and password")
    _no_unknown_keys(raw, ACCOUNT_KEYS, "account")
    username = _text(raw, "username", "account", required=True)
    password = _text(raw, "password", "account", required=True)
    assert username is not None
    assert password is not None
    captcha = raw.get("captcha", False)
    if not isinstance(captcha, bool):
        raise HomeFileError(f"account.captcha: {captcha!r} is not true or false")
    try:
        two_step = two_step_setting("account.two_step", raw.get("two_step", False))
    except FaultError as err:
        raise HomeFileError(str(err)) from err
    country = raw.get("country", "cn")
    if country not in COUNTRIES:
        raise HomeFileError(f"account.country: {country!r} is not one of {', '.join(COUNTRIES)}")
    return AccountConfig(username, password, captcha, two_step, country)


def _no_unknown_keys(data: Mapping[Any, Any], known: tuple[str, ...], path: str) -> None:
    for key in data:
        if key not in known:
            where = f"{path}.{key}" if path else str(key)
            raise HomeFileError(f"{where}: unknown key (known: {', '.join(known)})")


def _rooms(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise HomeFileError("rooms: expected a list of room names")
    rooms: list[str] = []
    for index, room in enumerate(raw):
        if not isinstance(room, str) or not room.strip():
            raise HomeFileError(f"rooms[{index}]: {room!r} is not a room name")
        if room in rooms:
            raise HomeFileError(f"rooms[{index}]: duplicate room {room!r}")
        rooms.append(room)
    return tuple(rooms)


def _text(raw: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise HomeFileError(f"{path}.{key}: required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise HomeFileError(f"{path}.{key}: {value!r} is not a non-empty string")
    return value


def _device(raw: Any, path: str, rooms: tuple[str, ...], specs: Path | None) -> DeviceConfig:
    if not isinstance(raw, Mapping):
        raise HomeFileError(f"{path}: expected a mapping")
    _no_unknown_keys(raw, DEVICE_KEYS, path)
    device_id = _text(raw, "id", path, required=True)
    assert device_id is not None
    if not _ID.match(device_id):
        raise HomeFileError(
            f"{path}.id: {device_id!r} must be 1-64 letters, digits, '-', '_' or '.'"
        )
    kind_name = _text(raw, "kind", path, required=True)
    kind = _KINDS.get(kind_name or "")
    if kind is None:
        raise HomeFileError(f"{path}.kind: {kind_name!r} is not one of {', '.join(_KINDS)}")
    name = _text(raw, "name", path, required=True)
    assert name is not None
    room, person = _placement(raw, path, kind, rooms)
    features = _features(raw, path, kind)
    library = spec_library(specs)
    model = _model(raw, path, kind, features, library)
    did = _did(raw, path, device_id)
    token = _token(raw, path)
    spec = library.spec(model) if model else None
    state: dict[StateKey, Value] = {}
    cloud_state: dict[str, Any] = {}
    try:
        if spec is not None and model is not None:
            starting = plausible_state if library.real(model) else initial_state
            state = starting(spec, model, did)
            state.update(_kind_state(kind, spec))
            state.update(parse_state(raw.get("state"), spec))
        else:
            cloud_state = parse_cloud_state(raw.get("state"))
    except StateError as err:
        where = f"{path}.state" if err.key is None else f"{path}.state.{err.key}"
        raise HomeFileError(f"{where}: {err}") from err
    faults = FaultChange()
    if raw.get("faults") is not None:
        try:
            faults = parse_fault_change(raw["faults"], spec)
        except FaultError as err:
            message = str(err)
            where = "" if message.startswith("faults:") else "faults."
            raise HomeFileError(f"{path}.{where}{message}") from err
    return DeviceConfig(
        *(device_id, kind.name, name, did, token, model, room, person, features),
        state=state,
        cloud_state=cloud_state,
        faults=faults,
        specs=specs,
    )


def _kind_state(kind: Kind, spec: MiotSpec) -> dict[StateKey, Value]:
    """The kind's starting values that the model's spec has."""
    names = {prop.name for prop in spec.properties()}
    wanted = {name: value for name, value in KIND_STATE.get(kind.name, {}).items() if name in names}
    return parse_state(wanted, spec)


def _placement(
    raw: Mapping[str, Any], path: str, kind: Kind, rooms: tuple[str, ...]
) -> tuple[str | None, str | None]:
    room = _text(raw, "room", path)
    person = _text(raw, "person", path)
    if room is not None:
        if not kind.room:
            raise HomeFileError(f"{path}.room: a {kind.name} has a person, not a room")
        if room not in rooms:
            known = ", ".join(rooms) or "none"
            raise HomeFileError(f"{path}.room: {room!r} is not one of the rooms ({known})")
    if person is not None and kind.person == "no":
        raise HomeFileError(f"{path}.person: a {kind.name} has a room, not a person")
    if person is None and kind.person == "required":
        raise HomeFileError(f"{path}.person: required for a {kind.name}")
    return room, person


def _features(raw: Mapping[str, Any], path: str, kind: Kind) -> frozenset[str] | None:
    value = raw.get("features")
    if value is None:
        return LIGHT_FEATURES if kind.name == "light" else None
    if kind.name != "light":
        raise HomeFileError(f"{path}.features: only lights take features")
    if not isinstance(value, list):
        raise HomeFileError(f"{path}.features: expected a list, e.g. [brightness, color_temp]")
    for index, feature in enumerate(value):
        if not isinstance(feature, str) or feature not in LIGHT_FEATURES:
            known = ", ".join(sorted(LIGHT_FEATURES))
            raise HomeFileError(f"{path}.features[{index}]: {feature!r} is not one of {known}")
    return frozenset(value)


def _model(
    raw: Mapping[str, Any],
    path: str,
    kind: Kind,
    features: frozenset[str] | None,
    library: SpecLibrary,
) -> str | None:
    model = _text(raw, "model", path)
    if model is None:
        if kind.name == "light":
            return light_model(features if features is not None else LIGHT_FEATURES)
        if kind.default_model is None:
            raise HomeFileError(f"{path}.model: required for a {kind.name}")
        return kind.default_model
    if model not in library:
        if library.folder is None:
            known = ", ".join(sorted(library.models))
            raise HomeFileError(f"{path}.model: {model!r} has no bundled spec (known: {known})")
        raise HomeFileError(
            f"{path}.model: {model!r} has no spec in {str(library.folder)!r} nor a bundled one"
        )
    try:
        device_type = library.spec(model).device_type
    except MiotSpecError as err:
        raise HomeFileError(f"{path}.model: {err}") from err
    if kind.device_type is not None and device_type != kind.device_type:
        raise HomeFileError(f"{path}.model: {model!r} is a {device_type}, not a {kind.name}")
    return model


def default_did(device_id: str) -> int:
    """The 9-digit device id derived from a home-file id."""
    digest = int(hashlib.md5(device_id.encode("utf-8")).hexdigest(), 16)
    return 100_000_000 + digest % 900_000_000


def _did(raw: Mapping[str, Any], path: str, device_id: str) -> int:
    value = raw.get("did")
    if value is None:
        return default_did(device_id)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 0xFFFFFFFF:
        raise HomeFileError(f"{path}.did: {value!r} is not an integer in 1..4294967294")
    return value


def _token(raw: Mapping[str, Any], path: str) -> str:
    value = raw.get("token")
    if value is None:
        return secrets.token_hex(16)
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise HomeFileError(
            f"{path}.token: {value!r} is not 32 hexadecimal characters (quote it in YAML)"
        )
    return value.lower()
