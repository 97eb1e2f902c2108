"""The result codes of MIoT and miIO: what a device answers, or Xiaomi's cloud for it.

A code is the ``code`` of one item of a ``get_properties`` / ``set_properties`` / ``action``
answer (0 is success), the ``error.code`` of a whole miIO reply, or the ``code`` of a whole
answer of Xiaomi's app API. Each one is defined here only; the library, the integration and the
simulator name them from here.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class MiotCode(IntEnum):
    """A MIoT or miIO result code, and what it means."""

    OK = 0
    """Done: the item's value or outputs are in the answer."""

    # The codes of one MIoT item: the error codes of Xiaomi's MIoT-Spec v2 device protocol
    # (iot.mi.com, the developer platform's spec protocol pages).
    NOT_READABLE = -4001
    """The property cannot be read (it has no ``read`` access)."""
    NOT_WRITABLE = -4002
    """The property cannot be written (it has no ``write`` access)."""
    DOES_NOT_EXIST = -4003
    """No such property or action on the device. `CloudTransport` answers it too for a device
    the account does not have."""
    OPERATION_FAILED = -4004
    """The device could not carry the item out: ``MIIO_USER_ERR_PROP_CODE`` of Xiaomi's miIO
    device SDK, which a device's firmware answers for a property it failed to read or set."""
    INVALID_VALUE = -4005
    """The value does not fit the property (format, range, step, list), or an action's inputs
    do not fit the action."""

    # The codes a device's own firmware answers, -10000..-5000 (``MIIO_USER_ERR_CODE_MIN`` /
    # ``_MAX`` of Xiaomi's miIO device SDK).
    TOO_MANY_PROPERTIES = -5001
    """More items in one request than the device takes (``MIIO_USER_ERR_CODE_L(1)``)."""
    USER_ACK_TIMEOUT = -9999
    """The device's controller did not answer its Wi-Fi module: ``MIIO_USER_ERR_CODE_ACK_TIMEOUT``
    ("user ack timeout") of the miIO SDK; python-miio retries it (``RECOVERABLE_ERRORS``)."""

    # Whole-reply codes of the miIO protocol, -32767..-30000 (``MIIO_OT_ERR_CODE_*`` of the
    # miIO SDK; the last three are JSON-RPC 2.0's).
    CHECKSUM_ERROR = -30001
    """The request did not verify with the device's token: ``MIIO_OT_ERR_CODE_RESP_INVALID``,
    sent in a frame with id 0; python-miio retries it (``RECOVERABLE_ERRORS``)."""
    INVALID_REQUEST = -32600
    """The request is not one (no string ``method``): JSON-RPC's "Invalid Request"."""
    METHOD_NOT_FOUND = -32601
    """The device does not know the method: JSON-RPC's "Method not found". An older miIO
    device answers it to the MIoT methods (`MIOT_METHODS`)."""
    INVALID_PARAMS = -32602
    """The method's params are not in its shape: JSON-RPC's "Invalid params"."""

    # Codes of Xiaomi's cloud for a device it relays to: the error table of Xiaomi's
    # ha_xiaomi_home (``miot/i18n/zh-Hans.json``: "设备离线", "设备操作超时").
    DEVICE_OFFLINE = -704042011
    """The cloud cannot reach the device: it is offline (a whole answer, or one item)."""
    DEVICE_TIMEOUT = -704053036
    """The device did not answer the cloud in time."""


@unique
class CloudCode(IntEnum):
    """A code of a whole answer of Xiaomi's app API (``{"code": ..., "message": ...}``)."""

    OK = 0
    """The ``result`` is in the answer."""
    AUTH_ERROR = 3
    """The service token is expired or unknown ("auth err"): hass-xiaomi-miot's
    ``async_check_auth`` signs in again for it."""
