"""Config flow: a device by address and token, or discovered; reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_SCAN_INTERVAL, CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

from .const import (
    CONF_DID,
    CONF_MAC,
    CONF_MODEL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .coordinator import XiaomiConfigEntry
from .miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotError,
    MiotValueError,
    load_bundled_spec,
)
from .miot.bundle import bundled_models
from .miot.device import DeviceInfo
from .miot.lan import DeviceSession
from .miot.packet import parse_token

TOKEN_SCHEMA = vol.Schema({vol.Required(CONF_TOKEN): str})


class UnsupportedModelError(MiotError):
    """The device works, but no spec for its model ships with the integration."""


async def probe(hass: HomeAssistant, host: str, token: str) -> tuple[str, DeviceInfo]:
    """Talk to a device: its did and what `miIO.info` says. Raises the library's errors."""
    session = DeviceSession(host, parse_token(token), retries=1)
    try:
        did = await session.handshake()
        info = DeviceInfo.from_reply(await session.send("miIO.info"))
    finally:
        session.close()
    if info.model not in await hass.async_add_executor_job(bundled_models):
        raise UnsupportedModelError(info.model)
    return str(did), info


async def probe_for_errors(
    hass: HomeAssistant,
    host: str,
    token: str,
    errors: dict[str, str],
    placeholders: dict[str, str],
) -> tuple[str, DeviceInfo] | None:
    """Probe a device; on failure, fill `errors` with the form's translation keys."""
    try:
        return await probe(hass, host, token)
    except MiotValueError:
        errors[CONF_TOKEN] = "invalid_token_format"
    except MiotAuthenticationError:
        errors[CONF_TOKEN] = "invalid_token"
    except MiotConnectionError:
        errors["base"] = "cannot_connect"
    except UnsupportedModelError as err:
        errors["base"] = "unsupported_model"
        placeholders["model"] = str(err)
    except MiotError:
        LOGGER.exception("Unexpected answer from %s", host)
        errors["base"] = "unknown"
    return None


class XiaomiConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Xiaomi device on the local network."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._host: str | None = None
        self._discovered_name: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: XiaomiConfigEntry) -> XiaomiOptionsFlow:
        """The options flow."""
        return XiaomiOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address and token of a device."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            host, token = user_input[CONF_HOST].strip(), user_input[CONF_TOKEN].strip()
            found = await probe_for_errors(self.hass, host, token, errors, placeholders)
            if found:
                did, info = found
                # Typing in a device that waits among the discovered ones adds it (and ends
                # that discovery) instead of aborting as "already in progress".
                await self.async_set_unique_id(did, raise_on_progress=False)
                self._abort_if_unique_id_configured()
                return await self._create(host, token, did, info, user_input.get(CONF_NAME))
        schema = vol.Schema(
            {
                vol.Required(CONF_HOST): str,
                vol.Required(CONF_TOKEN): str,
                vol.Optional(CONF_NAME): str,
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_zeroconf(self, discovery_info: ZeroconfServiceInfo) -> ConfigFlowResult:
        """A device announced itself: update a known one's address, or offer to add it."""
        name = discovery_info.name.split(".", 1)[0]
        model_part, _, did = name.rpartition("_miio")
        if not did.isdigit() or not model_part:
            return self.async_abort(reason="not_xiaomi_miio")
        await self.async_set_unique_id(did)
        self._abort_if_unique_id_configured(updates={CONF_HOST: discovery_info.host})
        self._host = discovery_info.host
        self._discovered_name = model_part.replace("-", ".")
        self.context["title_placeholders"] = {"name": self._discovered_name}
        return await self.async_step_zeroconf_confirm()

    async def async_step_zeroconf_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask only for the token of a discovered device."""
        assert self._host is not None
        errors: dict[str, str] = {}
        placeholders = {"host": self._host, "name": self._discovered_name or ""}
        if user_input is not None:
            token = user_input[CONF_TOKEN].strip()
            found = await probe_for_errors(self.hass, self._host, token, errors, placeholders)
            if found:
                did, info = found
                await self.async_set_unique_id(did)
                self._abort_if_unique_id_configured(updates={CONF_HOST: self._host})
                return await self._create(self._host, token, did, info, None)
        return self.async_show_form(
            step_id="zeroconf_confirm",
            data_schema=TOKEN_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The device refused its token."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the device's new token."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        placeholders = {"name": entry.title, "host": entry.data[CONF_HOST]}
        if user_input is not None:
            token = user_input[CONF_TOKEN].strip()
            found = await probe_for_errors(
                self.hass, entry.data[CONF_HOST], token, errors, placeholders
            )
            if found:
                await self.async_set_unique_id(found[0])
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(entry, data_updates={CONF_TOKEN: token})
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=TOKEN_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The device moved to another address."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        placeholders = {"name": entry.title}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            found = await probe_for_errors(
                self.hass, host, entry.data[CONF_TOKEN], errors, placeholders
            )
            if CONF_TOKEN in errors:
                # This form has no token field: the device there is another one, or was reset.
                errors = {"base": "host_refuses_token"}
            if found:
                await self.async_set_unique_id(found[0])
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(entry, data_updates={CONF_HOST: host})
        schema = vol.Schema({vol.Required(CONF_HOST): str})
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {CONF_HOST: entry.data[CONF_HOST]}
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _create(
        self, host: str, token: str, did: str, info: DeviceInfo, name: str | None
    ) -> ConfigFlowResult:
        spec = await self.hass.async_add_executor_job(load_bundled_spec, info.model)
        return self.async_create_entry(
            title=name or spec.description or info.model,
            data={
                CONF_HOST: host,
                CONF_TOKEN: token,
                CONF_DID: did,
                CONF_MODEL: info.model,
                CONF_MAC: info.mac,
                CONF_NAME: name,
            },
        )


class XiaomiOptionsFlow(OptionsFlow):
    """How often to poll."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the poll interval."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        current = self.config_entry.options.get(
            CONF_SCAN_INTERVAL, int(DEFAULT_SCAN_INTERVAL.total_seconds())
        )
        schema = vol.Schema(
            {
                vol.Required(CONF_SCAN_INTERVAL, default=current): vol.All(
                    vol.Coerce(int), vol.Range(min=MIN_SCAN_INTERVAL, max=MAX_SCAN_INTERVAL)
                )
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
