"""What the app API answers: homes, devices and property results, and their parsers.

Every parser takes untrusted data (an HTTP status and body, or the ``result`` of an answer) and
raises only `MiotError` subclasses: a reply of the wrong shape is a `MiotProtocolError`.

An answer of the API is ``{"code": 0, "message": "ok", "result": ...}``. Codes other than 0:
`MiotCode.DEVICE_OFFLINE` and `MiotCode.DEVICE_TIMEOUT` for a device that is offline or did not
answer the cloud in time. An expired or unknown service token is HTTP 401 (micloud 0.6 raises
``MiCloudAccessDenied`` for it), or `CloudCode.AUTH_ERROR` in the answer; either is an
`AccessTokenExpiredError`, and the client renews its service token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeIs

from . import jsonio
from .codes import CloudCode, MiotCode
from .errors import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotDeviceOfflineError,
    MiotProtocolError,
)
from .spec import Value


class AccessTokenExpiredError(MiotAuthenticationError):
    """The service token was refused as expired or unknown: renew it and try again."""


@dataclass(frozen=True, slots=True)
class CloudRoom:
    """A room of a home, with the devices in it."""

    id: str
    name: str
    dids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CloudHome:
    """A home of the account: its rooms, and the devices that are in no room."""

    id: str
    name: str
    rooms: tuple[CloudRoom, ...]
    dids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CloudDevice:
    """A device of the account as the cloud lists it; `token` is its miIO LAN token."""

    did: str
    name: str
    model: str
    spec_type: str | None
    token: str | None = field(repr=False)
    local_ip: str | None
    online: bool
    home_id: str | None
    room_id: str | None


@dataclass(frozen=True, slots=True)
class DevicePage:
    """One page of the device list."""

    devices: tuple[CloudDevice, ...]
    has_more: bool
    next_start_did: str | None


class CloudProperty(NamedTuple):
    """One property as read or written through the cloud: a code, and a value when read."""

    did: str
    siid: int
    piid: int
    code: int
    value: Value | None = None

    @property
    def ok(self) -> bool:
        """Whether the device answered with success."""
        return self.code == 0


def parse_envelope(status: int, body: bytes) -> Any:
    """The ``result`` of an API answer, or the typed error its HTTP status or code means."""
    if status == 401:
        raise AccessTokenExpiredError("the cloud refused the service token (HTTP 401)")
    if status == 403:
        raise MiotAuthenticationError("the cloud refused access (HTTP 403)")
    if status >= 500:
        raise MiotConnectionError(f"the cloud failed (HTTP {status})")
    if status != 200:
        raise MiotProtocolError(f"unexpected HTTP status {status} from the cloud")
    answer = _json_object(body)
    code = answer.get("code")
    if not _is_int(code):
        raise MiotProtocolError("cloud answer has no integer code")
    if code == 0:
        return answer.get("result")
    message = answer.get("message")
    message = message if isinstance(message, str) else ""
    if code == CloudCode.AUTH_ERROR:
        raise AccessTokenExpiredError(f"the cloud refused the service token ({message or code})")
    if code == MiotCode.DEVICE_OFFLINE:
        raise MiotDeviceOfflineError(f"the device is offline ({message or code})")
    if code == MiotCode.DEVICE_TIMEOUT:
        raise MiotConnectionError(f"the device did not answer the cloud in time ({code})")
    raise MiotDeviceError(code, message)


def parse_homes(result: Any) -> list[CloudHome]:
    """The homes of a ``homeroom/gethome`` result."""
    homes = _list(_object(result, "homes result").get("homelist"), "homelist")
    parsed: list[CloudHome] = []
    for raw in homes:
        home = _object(raw, "home")
        rooms = tuple(
            CloudRoom(
                _id(room.get("id"), "room id"),
                _str(room.get("name"), "room name"),
                _dids(room.get("dids", [])),
            )
            for room in (_object(r, "room") for r in _list(home.get("roomlist", []), "roomlist"))
        )
        parsed.append(
            CloudHome(
                _id(home.get("id"), "home id"),
                _str(home.get("name"), "home name"),
                rooms,
                _dids(home.get("dids", [])),
            )
        )
    return parsed


def parse_device_page(result: Any) -> DevicePage:
    """A page of ``home/device_list_page``."""
    page = _object(result, "device page")
    devices = tuple(_device(item) for item in _list(page.get("list"), "device list"))
    has_more = page.get("has_more", False)
    if not isinstance(has_more, bool):
        raise MiotProtocolError("device page has_more is not a boolean")
    next_start = page.get("next_start_did")
    next_did = None if next_start in (None, "") else _id(next_start, "next_start_did")
    if has_more and next_did is None:
        raise MiotProtocolError("device page has more but no next_start_did")
    return DevicePage(devices, has_more, next_did)


def _device(raw: Any) -> CloudDevice:
    item = _object(raw, "device")
    online = item.get("isOnline", True)
    if not isinstance(online, bool):
        raise MiotProtocolError("device isOnline is not a boolean")
    return CloudDevice(
        did=_id(item.get("did"), "did"),
        name=_str(item.get("name"), "device name"),
        model=_str(item.get("model"), "device model"),
        spec_type=_optional_str(item.get("spec_type"), "spec_type"),
        token=_optional_str(item.get("token"), "token"),
        local_ip=_optional_str(item.get("localip"), "localip"),
        online=online,
        home_id=_optional_id(item.get("home_id"), "home_id"),
        room_id=_optional_id(item.get("room_id"), "room_id"),
    )


def parse_properties(result: Any) -> list[CloudProperty]:
    """The items of a ``miotspec/prop/get`` or ``prop/set`` result."""
    parsed: list[CloudProperty] = []
    for raw in _list(result, "property result"):
        item = _object(raw, "property item")
        siid, piid, code = item.get("siid"), item.get("piid"), item.get("code", 0)
        if not (_is_int(siid) and _is_int(piid) and _is_int(code)):
            raise MiotProtocolError("property item lacks integer siid, piid or code")
        value = item.get("value")
        if value is not None and not isinstance(value, bool | int | float | str):
            raise MiotProtocolError("property value is not a plain value")
        parsed.append(CloudProperty(_id(item.get("did"), "did"), siid, piid, code, value))
    return parsed


def parse_action(result: Any) -> tuple[int, list[Value]]:
    """The code and outputs of a ``miotspec/action`` result."""
    answer = _object(result, "action result")
    code = answer.get("code", 0)
    if not _is_int(code):
        raise MiotProtocolError("action result code is not an integer")
    out = answer.get("out", [])
    if out is None:
        out = []
    if not isinstance(out, list) or not all(isinstance(v, bool | int | float | str) for v in out):
        raise MiotProtocolError("action outputs are not a list of plain values")
    return code, out


def _json_object(body: bytes) -> Mapping[str, Any]:
    try:
        data = jsonio.loads(body)
    except (ValueError, RecursionError) as err:
        raise MiotProtocolError("the cloud's answer is not JSON") from err
    return _object(data, "answer")


def _is_int(value: Any) -> TypeIs[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise MiotProtocolError(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise MiotProtocolError(f"{what} is not a list")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise MiotProtocolError(f"{what} is not a string")
    return value


def _optional_str(value: Any, what: str) -> str | None:
    return None if value in (None, "") else _str(value, what)


def _id(value: Any, what: str) -> str:
    """An identifier: the cloud sends them as strings, sometimes as numbers."""
    if _is_int(value):
        return str(value)
    if not isinstance(value, str) or not value:
        raise MiotProtocolError(f"{what} is not an identifier")
    return value


def _optional_id(value: Any, what: str) -> str | None:
    return None if value in (None, "") else _id(value, what)


def _dids(value: Any) -> tuple[str, ...]:
    return tuple(_id(did, "did") for did in _list(value, "dids"))
