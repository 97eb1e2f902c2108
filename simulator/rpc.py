"""The miIO methods a virtual device answers: ``miIO.info``, ``get_properties``,
``set_properties``, ``action``, and on the LAN ``miIO.sub`` and ``miIO.unsub``.

`handle` returns the reply body without its id: ``{"result": ...}`` or ``{"error": ...}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from custom_components.xiaomi_aiot.miot.codes import MiotCode
from custom_components.xiaomi_aiot.miot.errors import MIOT_METHODS, MiotSpecError, MiotValueError

from .device import VirtualDevice
from .state import StateError, coerce_value
from .subscriptions import Address


class RpcError(Exception):
    """A whole request fails with a JSON-RPC style error."""

    def __init__(self, code: int, message: str) -> None:
        """Keep the code and message."""
        super().__init__(message)
        self.code = code
        self.message = message


def error(code: int, message: str) -> dict[str, Any]:
    """An error reply body."""
    return {"error": {"code": code, "message": message}}


def handle(
    device: VirtualDevice, method: Any, params: Any, sender: Address | None = None
) -> dict[str, Any]:
    """Answer one request; `sender` (the UDP address it came from) enables subscriptions."""
    if not isinstance(method, str):
        return error(MiotCode.INVALID_REQUEST, "Invalid request")
    try:
        if sender is not None and method in _SENDER_METHODS and not device.faults.no_push:
            return {"result": _SENDER_METHODS[method](device, params, sender)}
        handler = _METHODS.get(method)
        if device.faults.legacy and method in MIOT_METHODS:
            # An older miIO device: it knows its own commands only, not MIoT's.
            handler = None
        if handler is None:
            return error(MiotCode.METHOD_NOT_FOUND, "Method not found")
        if device.faults.busy and method in MIOT_METHODS:
            # The Wi-Fi module answers for a controller that did not (Xiaomi's miIO SDK:
            # MIIO_USER_ERR_CODE_ACK_TIMEOUT, "user ack timeout").
            return error(MiotCode.USER_ACK_TIMEOUT, "user ack timeout")
        return {"result": handler(device, params)}
    except RpcError as err:
        return error(err.code, err.message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _property_items(device: VirtualDevice, params: Any) -> list[Mapping[str, Any]]:
    if not isinstance(params, list) or not all(
        isinstance(item, Mapping) and _is_int(item.get("siid")) and _is_int(item.get("piid"))
        for item in params
    ):
        raise RpcError(MiotCode.INVALID_PARAMS, "Invalid params")
    limit = device.faults.batch_limit
    if limit is not None and len(params) > limit:
        raise RpcError(MiotCode.TOO_MANY_PROPERTIES, "too many properties")
    return params


def _entry(device: VirtualDevice, item: Mapping[str, Any]) -> dict[str, Any]:
    return {"did": item.get("did", str(device.did)), "siid": item["siid"], "piid": item["piid"]}


def _forced_code(device: VirtualDevice, siid: int, piid: int) -> int | None:
    try:
        device.property(siid, piid)
    except MiotSpecError:
        return MiotCode.DOES_NOT_EXIST
    return device.faults.property_errors.get((siid, piid))


def get_properties(device: VirtualDevice, params: Any) -> list[dict[str, Any]]:
    """Read properties; each answers code 0 and a value, or an error code."""
    results = []
    for item in _property_items(device, params):
        entry = _entry(device, item)
        siid, piid = entry["siid"], entry["piid"]
        code = _forced_code(device, siid, piid)
        if code is None and not device.property(siid, piid).readable:
            code = MiotCode.NOT_READABLE
        if code is None:
            entry.update(code=0, value=device.get(siid, piid))
        else:
            entry["code"] = code
        results.append(entry)
    return results


def set_properties(device: VirtualDevice, params: Any) -> list[dict[str, Any]]:
    """Write properties; each answers code 0 or an error code."""
    results = []
    for item in _property_items(device, params):
        entry = _entry(device, item)
        siid, piid = entry["siid"], entry["piid"]
        code = _forced_code(device, siid, piid)
        if code is None:
            prop = device.property(siid, piid)
            if not prop.writable:
                code = MiotCode.NOT_WRITABLE
            elif "value" not in item:
                code = MiotCode.INVALID_VALUE
            else:
                try:
                    device.write(prop, coerce_value(prop, item["value"]))
                    code = 0
                except StateError:
                    code = MiotCode.INVALID_VALUE
        entry["code"] = code
        results.append(entry)
    return results


def action(device: VirtualDevice, params: Any) -> dict[str, Any]:
    """Run an action; answers code 0 and its outputs, or an error code."""
    if isinstance(params, list) and len(params) == 1:
        params = params[0]
    if (
        not isinstance(params, Mapping)
        or not _is_int(params.get("siid"))
        or not _is_int(params.get("aiid"))
        or not isinstance(params.get("in", []), list)
    ):
        raise RpcError(MiotCode.INVALID_PARAMS, "Invalid params")
    siid, aiid = params["siid"], params["aiid"]
    result: dict[str, Any] = {"did": params.get("did", str(device.did)), "siid": siid, "aiid": aiid}
    try:
        outputs = device.run_action(siid, aiid, list(params.get("in", [])))
    except MiotSpecError:
        result["code"] = MiotCode.DOES_NOT_EXIST
    except (MiotValueError, StateError):
        result["code"] = MiotCode.INVALID_VALUE
    else:
        result.update(code=0, out=outputs)
    return result


def info(device: VirtualDevice, params: Any) -> dict[str, Any]:
    """``miIO.info``: model, firmware, network (never the token)."""
    del params
    return device.info()


def _subscription(params: Any) -> tuple[str, int]:
    """The subscriber id and update_ts of ``miIO.sub`` / ``miIO.unsub`` params."""
    if (
        not isinstance(params, Mapping)
        or not isinstance(params.get("did"), str)
        or not isinstance(params.get("sub_method"), str)
        or not _is_int(params.get("update_ts", 0))
    ):
        raise RpcError(MiotCode.INVALID_PARAMS, "Invalid params")
    return params["did"], params.get("update_ts", 0)


def subscribe(device: VirtualDevice, params: Any, sender: Address) -> dict[str, Any]:
    """``miIO.sub``: push reports go to `sender` from now on (renewed if it was there)."""
    did, update_ts = _subscription(params)
    device.subscriptions.subscribe(sender, did, update_ts)
    return {"code": 0}


def unsubscribe(device: VirtualDevice, params: Any, sender: Address) -> dict[str, Any]:
    """``miIO.unsub``: no more push reports to `sender`."""
    _subscription(params)
    device.subscriptions.unsubscribe(sender)
    return {"code": 0}


_SENDER_METHODS: dict[str, Callable[[VirtualDevice, Any, Address], Any]] = {
    "miIO.sub": subscribe,
    "miIO.unsub": unsubscribe,
}

_METHODS: dict[str, Callable[[VirtualDevice, Any], Any]] = {
    "miIO.info": info,
    "get_properties": get_properties,
    "set_properties": set_properties,
    "action": action,
}
