"""Config flow: a device by address and token, or discovered; reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_NAME,
    CONF_PASSWORD,
    CONF_TOKEN,
    CONF_USERNAME,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo

from .const import (
    CONF_CLOUD_TOKENS,
    CONF_DID,
    CONF_ENTRY_TYPE,
    CONF_HOMES,
    CONF_MAC,
    CONF_MODEL,
    CONF_REGION,
    CONF_SERVER_URL,
    CONF_SPEC_SERVER,
    CONFIG_VERSION,
    DOMAIN,
    ENTRY_TYPE_ACCOUNT,
    LOGGER,
)
from .coordinator import XiaomiConfigEntry
from .miot import (
    MiotAuthenticationError,
    MiotConnectionError,
    MiotDeviceError,
    MiotError,
    MiotSpec,
    MiotValueError,
)
from .miot.cloud import REGIONS, MiotCloud
from .miot.cloud_models import CloudHome
from .miot.device import DeviceInfo, MiotDevice
from .miot.lan import DeviceSession
from .miot.mi_account import MiTokens
from .miot.packet import parse_token
from .options_flow import XiaomiOptionsFlow
from .spec_library import SpecUnavailableError, server_for, spec_library

TOKEN_SCHEMA = vol.Schema({vol.Required(CONF_TOKEN): str})
PASSWORD = TextSelectorConfig(type=TextSelectorType.PASSWORD)
PASSWORD_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): TextSelector(PASSWORD)})
REGION_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=list(REGIONS), mode=SelectSelectorMode.DROPDOWN, translation_key="region"
    )
)
URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
RECONFIGURE_ACCOUNT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_REGION, default="cn"): REGION_SELECTOR,
        vol.Optional(CONF_SERVER_URL): URL_SELECTOR,
        vol.Required(CONF_PASSWORD): TextSelector(PASSWORD),
        vol.Optional(CONF_SPEC_SERVER): URL_SELECTOR,
    }
)
ACCOUNT_SCHEMA = RECONFIGURE_ACCOUNT_SCHEMA.extend({vol.Required(CONF_USERNAME): str})


def account_unique_id(data: Mapping[str, Any]) -> str:
    """One entry per account: the user name at its region or server."""
    where = data.get(CONF_SERVER_URL) or data[CONF_REGION]
    return f"{data[CONF_USERNAME].strip().lower()}@{where}"


class UnsupportedModelError(MiotError):
    """The device works, but no spec for its model can be had."""


class LegacyDeviceError(MiotError):
    """The device speaks the older miIO commands only, not MIoT's get_properties."""


async def probe(
    hass: HomeAssistant, host: str, token: str, spec_server: str | None = None
) -> tuple[str, DeviceInfo, MiotSpec]:
    """Talk to a device: its did, what `miIO.info` says, and its spec, checking that it speaks
    MIoT. Raises the library's errors."""
    session = DeviceSession(host, parse_token(token), retries=1)
    try:
        did = await session.handshake()
        info = DeviceInfo.from_reply(await session.send("miIO.info"))
        try:
            found = await spec_library(hass).async_get(info.model, server_for(hass, spec_server))
        except SpecUnavailableError as err:
            raise UnsupportedModelError(info.model) from err
        await _refuse_legacy(session, found.spec, info.model)
    finally:
        session.close()
    return str(did), info, found.spec


async def _refuse_legacy(session: DeviceSession, spec: MiotSpec, model: str) -> None:
    """Read one property: an older miIO device does not know the method."""
    readable = [prop for prop in spec.properties() if prop.readable]
    wanted = next((p for p in readable if p.service != "device-information"), None)
    wanted = wanted or (readable[0] if readable else None)
    if wanted is None:
        return
    try:
        await MiotDevice(session, spec).read_properties([wanted.key])
    except MiotDeviceError as err:
        if err.unknown_method:
            raise LegacyDeviceError(model) from err


@callback
def account_serving(hass: HomeAssistant, did: str) -> ConfigEntry[Any] | None:
    """The account entry that already has the device, if one has."""
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.data.get(CONF_ENTRY_TYPE) != ENTRY_TYPE_ACCOUNT:
            continue
        runtime = getattr(entry, "runtime_data", None)
        if runtime is not None and did in runtime.coordinators:
            return entry
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if (DOMAIN, did) in device.identifiers:
                return entry
    return None


async def probe_for_errors(
    hass: HomeAssistant,
    host: str,
    token: str,
    errors: dict[str, str],
    placeholders: dict[str, str],
    *,
    spec_server: str | None = None,
) -> tuple[str, DeviceInfo, MiotSpec] | None:
    """Probe a device; on failure, fill `errors` with the form's translation keys."""
    try:
        return await probe(hass, host, token, spec_server)
    except MiotValueError:
        errors[CONF_TOKEN] = "invalid_token_format"
    except MiotAuthenticationError:
        errors[CONF_TOKEN] = "invalid_token"
    except MiotConnectionError:
        errors["base"] = "cannot_connect"
    except UnsupportedModelError as err:
        errors["base"] = "unsupported_model"
        placeholders["model"] = str(err)
    except LegacyDeviceError as err:
        errors["base"] = "legacy_device"
        placeholders["model"] = str(err)
    except MiotError:
        LOGGER.exception("Unexpected answer from %s", host)
        errors["base"] = "unknown"
    return None


class XiaomiConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Xiaomi device on the local network."""

    VERSION = CONFIG_VERSION

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._host: str | None = None
        self._discovered_name: str | None = None
        self._account: dict[str, Any] = {}
        self._homes: list[CloudHome] = []

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: XiaomiConfigEntry) -> XiaomiOptionsFlow:
        """The options flow."""
        return XiaomiOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose: a Xiaomi account, or one device on the network by its token."""
        return self.async_show_menu(step_id="user", menu_options=["account", "local"])

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in to a Xiaomi account."""
        errors: dict[str, str] = {}
        if user_input is not None:
            tokens = await self._sign_in(user_input, errors)
            if tokens is not None:
                username = user_input[CONF_USERNAME].strip()
                await self.async_set_unique_id(account_unique_id(user_input))
                self._abort_if_unique_id_configured()
                self._account = {
                    CONF_ENTRY_TYPE: ENTRY_TYPE_ACCOUNT,
                    CONF_REGION: user_input[CONF_REGION],
                    CONF_SERVER_URL: user_input.get(CONF_SERVER_URL) or None,
                    CONF_USERNAME: username,
                    CONF_CLOUD_TOKENS: asdict(tokens),
                }
                if spec_server := (user_input.get(CONF_SPEC_SERVER) or "").strip():
                    self._account[CONF_SPEC_SERVER] = spec_server
                return await self.async_step_homes()
        return self.async_show_form(
            step_id="account",
            data_schema=self.add_suggested_values_to_schema(ACCOUNT_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_homes(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose the homes whose devices to add."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_HOMES]:
                return self.async_create_entry(
                    title=self._account[CONF_USERNAME],
                    data=self._account,
                    options={CONF_HOMES: user_input[CONF_HOMES]},
                )
            errors[CONF_HOMES] = "no_homes"
        homes = {home.id: home.name for home in self._homes}
        schema = vol.Schema({vol.Required(CONF_HOMES, default=list(homes)): cv.multi_select(homes)})
        return self.async_show_form(step_id="homes", data_schema=schema, errors=errors)

    async def _sign_in(self, user_input: dict[str, Any], errors: dict[str, str]) -> MiTokens | None:
        """Sign in and list the homes; on failure, fill `errors`."""
        cloud = MiotCloud(
            async_get_clientsession(self.hass),
            country=user_input[CONF_REGION],
            via=user_input.get(CONF_SERVER_URL) or None,
        )
        try:
            tokens = await cloud.sign_in(
                user_input[CONF_USERNAME].strip(), user_input[CONF_PASSWORD]
            )
            self._homes = await cloud.get_homes()
        except MiotAuthenticationError:
            errors["base"] = "invalid_auth"
        except MiotConnectionError:
            errors["base"] = "cannot_connect_cloud"
        except MiotError:
            LOGGER.exception("Unexpected answer from the Xiaomi cloud")
            errors["base"] = "unknown"
        else:
            return tokens
        return None

    async def async_step_local(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the address and token of a device."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            host, token = user_input[CONF_HOST].strip(), user_input[CONF_TOKEN].strip()
            spec_server = (user_input.get(CONF_SPEC_SERVER) or "").strip() or None
            found = await probe_for_errors(
                self.hass, host, token, errors, placeholders, spec_server=spec_server
            )
            if found:
                did = found[0]
                # Typing in a device that waits among the discovered ones adds it (and ends
                # that discovery) instead of aborting as "already in progress".
                await self.async_set_unique_id(did, raise_on_progress=False)
                self._abort_if_unique_id_configured()
                self._abort_if_in_account(did)
                return self._create(
                    host, token, found, name=user_input.get(CONF_NAME), spec_server=spec_server
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_HOST): str,
                vol.Required(CONF_TOKEN): str,
                vol.Optional(CONF_NAME): str,
                vol.Optional(CONF_SPEC_SERVER): URL_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="local",
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
        self._abort_if_in_account(did)
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
                did = found[0]
                await self.async_set_unique_id(did)
                self._abort_if_unique_id_configured(updates={CONF_HOST: self._host})
                self._abort_if_in_account(did)
                return self._create(self._host, token, found)
        return self.async_show_form(
            step_id="zeroconf_confirm",
            data_schema=TOKEN_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The device refused its token, or the account its sign-in."""
        if entry_data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT:
            return await self.async_step_reauth_account()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the account's password again."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            tokens = await self._sign_in({**entry.data, **user_input}, errors)
            if tokens is not None:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_CLOUD_TOKENS: asdict(tokens)}
                )
        return self.async_show_form(
            step_id="reauth_account",
            data_schema=PASSWORD_SCHEMA,
            errors=errors,
            description_placeholders={CONF_USERNAME: entry.data[CONF_USERNAME]},
        )

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
                self.hass,
                entry.data[CONF_HOST],
                token,
                errors,
                placeholders,
                spec_server=entry.data.get(CONF_SPEC_SERVER),
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
        """The device moved to another address, or the account to another region or server."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT:
            return await self.async_step_reconfigure_account()
        errors: dict[str, str] = {}
        placeholders = {"name": entry.title}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            found = await probe_for_errors(
                self.hass,
                host,
                entry.data[CONF_TOKEN],
                errors,
                placeholders,
                spec_server=entry.data.get(CONF_SPEC_SERVER),
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

    async def async_step_reconfigure_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in again at another region or server."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            # Exactly where the account will be: a cleared server URL means the region's server,
            # not the one the entry had.
            where = {
                CONF_REGION: user_input[CONF_REGION],
                CONF_SERVER_URL: user_input.get(CONF_SERVER_URL) or None,
                CONF_SPEC_SERVER: (user_input.get(CONF_SPEC_SERVER) or "").strip() or None,
            }
            account = {CONF_USERNAME: entry.data[CONF_USERNAME], **where}
            tokens = await self._sign_in(
                {**account, CONF_PASSWORD: user_input[CONF_PASSWORD]}, errors
            )
            if tokens is not None:
                unique_id = account_unique_id(account)
                if unique_id != entry.unique_id:
                    await self.async_set_unique_id(unique_id)
                    self._abort_if_unique_id_configured()
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=unique_id,
                    data_updates={**where, CONF_CLOUD_TOKENS: asdict(tokens)},
                )
        schema = RECONFIGURE_ACCOUNT_SCHEMA
        return self.async_show_form(
            step_id="reconfigure_account",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input
                or {k: entry.data.get(k) for k in (CONF_REGION, CONF_SERVER_URL, CONF_SPEC_SERVER)},
            ),
            errors=errors,
            description_placeholders={CONF_USERNAME: entry.data[CONF_USERNAME]},
        )

    def _abort_if_in_account(self, did: str) -> None:
        """A device an account entry already serves is not added twice."""
        if (entry := account_serving(self.hass, did)) is not None:
            raise AbortFlow("already_in_account", {"entry": entry.title})

    def _create(
        self,
        host: str,
        token: str,
        found: tuple[str, DeviceInfo, MiotSpec],
        *,
        name: str | None = None,
        spec_server: str | None = None,
    ) -> ConfigFlowResult:
        did, info, spec = found
        return self.async_create_entry(
            title=name or spec.description or info.model,
            data={
                CONF_HOST: host,
                CONF_TOKEN: token,
                CONF_DID: did,
                CONF_MODEL: info.model,
                CONF_MAC: info.mac,
                CONF_NAME: name,
                **({CONF_SPEC_SERVER: spec_server} if spec_server else {}),
            },
        )
