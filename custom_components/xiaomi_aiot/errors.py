"""The one place library errors become Home Assistant errors.

- `update_failure`: what a coordinator's failed refresh raises (the devices' and the account's).
- `translated_errors`: around an entity's action or a service's device call, the translated
  `HomeAssistantError` (a `ServiceValidationError` for a value or element the spec refuses);
  a refused token or account starts a reauthentication. `exception_handler` is it as a
  decorator of entity actions.
- `FORM_ERRORS` and `form_error`: the config flow's form error for a failed probe or sign-in.
- `spec_not_ready`: the set-up of a device whose spec cannot be had, retried later.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, runtime_checkable

from homeassistant.const import CONF_CODE, CONF_TOKEN
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotError,
    MiotSpecError,
    MiotValueError,
)
from .miot.mi_account import MiRateLimitedError, MiWrongCodeError

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .spec_library import SpecUnavailableError

BASE: Final = "base"
"""The form error not tied to one field."""
UNKNOWN: Final = "unknown"
"""The form error of a library error no row of `FORM_ERRORS` names."""


class UnsupportedModelError(MiotError):
    """The device works, but no spec for its model can be had."""


class LegacyDeviceError(MiotError):
    """The device speaks the older miIO commands only, not MIoT's get_properties."""


def update_failure(
    err: MiotError, *, in_account: bool, device_list: bool = False, reauth: bool = True
) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a coordinator raises for a failed refresh: a device's, or an account's device list.

    A refused token (a local device's) or account (`in_account`) is `ConfigEntryAuthFailed`:
    Home Assistant then asks to authenticate again. Any other failure, or a refusal that does
    not call for it (not `reauth`), is `UpdateFailed` with the error, which marks the entities
    unavailable until a refresh works.
    """
    if reauth and isinstance(err, MiotAuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="account_refused" if in_account else "invalid_token",
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="cloud_unavailable" if device_list else "cannot_connect",
        translation_placeholders={"error": str(err)},
    )


type Element = tuple[Literal["property", "action"], str]
"""A spec element asked for by a service: its kind and its label (``2.1 (on)``)."""


def _action_error(err: MiotError, element: Element | None) -> HomeAssistantError:
    """The translated error of a failed action or service call."""
    if isinstance(err, MiotValueError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_value",
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, MiotSpecError) and element is not None:
        kind, label = element
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_property" if kind == "property" else "unknown_action",
            translation_placeholders={kind: label},
        )
    if isinstance(err, MiotDeviceError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="device_error",
            translation_placeholders={"code": str(err.code)},
        )
    if isinstance(err, MiotAuthenticationError):
        return HomeAssistantError(translation_domain=DOMAIN, translation_key="invalid_token")
    if isinstance(err, MiotConnectionError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="unexpected_error",
        translation_placeholders={"error": str(err)},
    )


class _Entry(Protocol):
    """What starts a reauthentication: a coordinator's Home Assistant and entry."""

    hass: HomeAssistant
    config_entry: ConfigEntry


@contextmanager
def translated_errors(
    coordinator: _Entry | None = None, *, element: Element | None = None
) -> Iterator[None]:
    """Library errors raised inside become translated Home Assistant errors.

    With a `coordinator`, a refused token or account also starts its entry's reauthentication;
    with an `element`, a spec that lacks it is that element's validation error.
    """
    try:
        yield
    except MiotError as err:
        if coordinator is not None and isinstance(err, MiotAuthenticationError):
            coordinator.config_entry.async_start_reauth(coordinator.hass)
        raise _action_error(err, element) from err


@runtime_checkable
class _DeviceEntity(Protocol):
    @property
    def coordinator(self) -> _Entry: ...


def exception_handler[**P](
    func: Callable[P, Coroutine[Any, Any, Any]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Decorate an entity's action: its library errors become translated HA errors."""

    @functools.wraps(func)
    async def handler(*args: P.args, **kwargs: P.kwargs) -> None:
        entity = args[0]
        with translated_errors(entity.coordinator if isinstance(entity, _DeviceEntity) else None):
            await func(*args, **kwargs)

    return handler


class Peer(StrEnum):
    """What a config flow step talked to."""

    DEVICE = "device"
    """A device on the LAN, probed by address and token."""
    CLOUD = "cloud"
    """Xiaomi's account server or app API: a sign-in, or the lists after it."""


FORM_ERRORS: Final[tuple[tuple[Peer, type[MiotError], str, str], ...]] = (
    # peer, library error (a subclass before its base), form field, translation key
    (Peer.DEVICE, MiotValueError, CONF_TOKEN, "invalid_token_format"),
    (Peer.DEVICE, MiotAuthenticationError, CONF_TOKEN, "invalid_token"),
    (Peer.DEVICE, MiotConnectionError, BASE, "cannot_connect"),
    (Peer.DEVICE, UnsupportedModelError, BASE, "unsupported_model"),
    (Peer.DEVICE, LegacyDeviceError, BASE, "legacy_device"),
    (Peer.CLOUD, MiWrongCodeError, CONF_CODE, "wrong_code"),
    (Peer.CLOUD, MiRateLimitedError, BASE, "rate_limited"),
    (Peer.CLOUD, MiotAuthenticationError, BASE, "invalid_auth"),
    (Peer.CLOUD, MiotConnectionError, BASE, "cannot_connect_cloud"),
)
"""The config flow's form errors: the first row of the peer whose error class matches."""


def form_error(err: MiotError, peer: Peer) -> tuple[str, str]:
    """The form field and translation key of a library error; (`BASE`, `UNKNOWN`) for one
    no row names."""
    for row_peer, error, field, key in FORM_ERRORS:
        if row_peer is peer and isinstance(err, error):
            return field, key
    return BASE, UNKNOWN


def spec_not_ready(err: SpecUnavailableError) -> ConfigEntryNotReady:
    """A device's set-up without a spec: Home Assistant retries it with a growing back-off."""
    return ConfigEntryNotReady(
        translation_domain=DOMAIN,
        translation_key="spec_unavailable",
        translation_placeholders={"model": err.model, "reason": err.reason},
    )
