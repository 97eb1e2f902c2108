"""MiotDevice: a device's spec plus a way to reach it; batched reads, validated writes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple, Protocol

from .errors import MiotDeviceError, MiotProtocolError, MiotValueError
from .spec import MiotSpec, Value

_LOGGER = logging.getLogger(__name__)

BATCH_LIMIT: Final = 15
NO_ANSWER: Final = -1
"""Code given to a property the device left out of its reply."""

type PropertyKey = tuple[int, int]


class Transport(Protocol):
    """What carries commands to a device (the LAN session; the cloud in a later layer)."""

    async def send(self, method: str, params: Any = None) -> Any:
        """Send a command and return its result."""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What `miIO.info` tells about a device."""

    model: str
    firmware: str | None
    hardware: str | None
    mac: str | None

    @classmethod
    def from_reply(cls, reply: Any) -> DeviceInfo:
        """Parse a `miIO.info` result."""
        if not isinstance(reply, dict) or not isinstance(reply.get("model"), str):
            raise MiotProtocolError("miIO.info reply has no model")
        return cls(
            model=reply["model"],
            firmware=_text(reply.get("fw_ver")),
            hardware=_text(reply.get("hw_ver")),
            mac=_text(reply.get("mac")),
        )


class PropertyResult(NamedTuple):
    """One property as read (a value, or the device's error code for it), or as written (the
    device's code and the value sent)."""

    code: int
    value: Value | None = None

    @property
    def ok(self) -> bool:
        """Whether the device returned a value."""
        return self.code == 0


class MiotDevice:
    """A MIoT device: reads, writes and actions validated against its spec."""

    def __init__(self, transport: Transport, spec: MiotSpec, *, did: str | None = None) -> None:
        """Bind a spec to a transport; `did` is echoed in requests (the cloud needs it)."""
        self.transport = transport
        self.spec = spec
        self.did = did
        self.batch_limit = BATCH_LIMIT
        self._read_params_cache: dict[tuple[PropertyKey, ...], list[dict[str, Any]]] = {}

    async def info(self) -> DeviceInfo:
        """The device's model, firmware and MAC address."""
        return DeviceInfo.from_reply(await self.transport.send("miIO.info"))

    async def read_properties(
        self, keys: Iterable[PropertyKey]
    ) -> dict[PropertyKey, PropertyResult]:
        """Read properties in batches of at most `batch_limit`, one request at a time.

        A device that refuses a batch as too large gets smaller batches from then on.
        """
        pending = list(dict.fromkeys(keys))
        results: dict[PropertyKey, PropertyResult] = {}
        while pending:
            batch = tuple(pending[: self.batch_limit])
            try:
                reply = await self.transport.send("get_properties", self._read_params(batch))
            except MiotDeviceError:
                if len(batch) == 1:
                    raise
                self.batch_limit = max(1, len(batch) // 2)
                _LOGGER.debug("batch of %d refused, now %d", len(batch), self.batch_limit)
                continue
            if not isinstance(reply, list):
                raise MiotProtocolError("property reply is not a list")
            wanted = set(batch)
            for item in reply:
                if isinstance(item, dict):
                    key = (item.get("siid"), item.get("piid"))
                    if key in wanted:
                        results[key] = PropertyResult(_code(item), item.get("value"))
            for key in batch:
                results.setdefault(key, PropertyResult(NO_ANSWER))
            del pending[: len(batch)]
        return results

    def _read_params(self, batch: tuple[PropertyKey, ...]) -> list[dict[str, Any]]:
        """The parameters of a read, kept: a coordinator asks for the same batches each poll."""
        params = self._read_params_cache.get(batch)
        if params is None:
            params = [{"did": self._did(s, p), "siid": s, "piid": p} for s, p in batch]
            self._read_params_cache[batch] = params
        return params

    async def write_properties(
        self, values: Mapping[PropertyKey, Any]
    ) -> dict[PropertyKey, PropertyResult]:
        """Validate and write properties; return the device's code for each, with the value
        written (the property's canonical type: a boolean's 1 is True)."""
        checked = {key: self.spec.property(*key).validate(value) for key, value in values.items()}
        for key in checked:
            if not self.spec.property(*key).writable:
                raise MiotValueError(f"property {key[0]}.{key[1]} is not writable")
        items = list(checked.items())
        codes: dict[PropertyKey, PropertyResult] = {}
        for start in range(0, len(items), self.batch_limit):
            batch = items[start : start + self.batch_limit]
            params = [
                {"did": self._did(s, p), "siid": s, "piid": p, "value": v} for (s, p), v in batch
            ]
            answered = _items_by_key(await self.transport.send("set_properties", params))
            for key, value in batch:
                item = answered.get(key)
                codes[key] = PropertyResult(NO_ANSWER if item is None else _code(item), value)
        return codes

    async def write_property(self, siid: int, piid: int, value: Any) -> None:
        """Write one property; a refusal raises `MiotDeviceError` with the device's code."""
        code = (await self.write_properties({(siid, piid): value}))[(siid, piid)].code
        if code < 0:  # 1 means accepted, still in progress
            raise MiotDeviceError(code, f"writing {siid}.{piid} failed")

    async def call_action(self, siid: int, aiid: int, inputs: Sequence[Any] = ()) -> list[Any]:
        """Call an action with validated inputs; return its outputs."""
        values = self.spec.validate_action_inputs(siid, aiid, inputs)
        params = {"did": self._did(siid, aiid), "siid": siid, "aiid": aiid, "in": values}
        reply = await self.transport.send("action", params)
        if not isinstance(reply, dict):
            raise MiotProtocolError("action reply is not an object")
        if (code := _code(reply)) < 0:
            raise MiotDeviceError(code, f"action {siid}.{aiid} failed")
        out = reply.get("out", [])
        return list(out) if isinstance(out, list) else []

    def _did(self, siid: int, iid: int) -> str:
        return self.did if self.did is not None else f"{siid}-{iid}"


def _code(item: Mapping[str, Any]) -> int:
    code = item.get("code", 0)
    return code if isinstance(code, int) and not isinstance(code, bool) else NO_ANSWER


def _key(item: Mapping[str, Any]) -> PropertyKey | None:
    siid, piid = item.get("siid"), item.get("piid")
    return (siid, piid) if isinstance(siid, int) and isinstance(piid, int) else None


def _items_by_key(reply: Any) -> dict[PropertyKey, Mapping[str, Any]]:
    if not isinstance(reply, list):
        raise MiotProtocolError("property reply is not a list")
    return {key: item for item in reply if isinstance(item, dict) and (key := _key(item))}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
