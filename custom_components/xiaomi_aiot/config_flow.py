"""Config flow: a Xiaomi account (password or QR code), or a device by address and token, or
discovered; reauth, reconfigure, options."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Final

import aiohttp
import voluptuous as vol
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import (
    CONF_CODE,
    CONF_HOST,
    CONF_METHOD,
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
from .errors import UNKNOWN, LegacyDeviceError, Peer, UnsupportedModelError, form_error
from .miot import (
    MiotDeviceError,
    MiotError,
    MiotSpec,
)
from .miot.cloud_models import CloudHome
from .miot.device import DeviceInfo, MiotDevice
from .miot.lan import DeviceSession
from .miot.mi_account import (
    CaptchaAnswer,
    MiAccount,
    MiCaptchaRequiredError,
    MiTokens,
    MiTwoStepRequiredError,
    TwoStepMethod,
    TwoStepVerification,
)
from .miot.mi_api import COUNTRIES, MiAppClient
from .miot.mi_hosts import XiaomiHosts
from .miot.packet import parse_token
from .options_flow import XiaomiOptionsFlow
from .runtime import XiaomiConfigEntry
from .spec_library import SpecUnavailableError, server_for, spec_library

CONF_CAPTCHA: Final = "captcha"
REGION_SEARCH: Final = "search"
"""The region choice that looks for the account's devices in every country."""
REGION_TIMEOUT: Final = 30.0
"""Seconds each country may take to list its devices in a region search."""
QR_TASK_NAME: Final = "xiaomi_aiot QR sign-in"

PURPOSE_USER: Final = "user"
PURPOSE_REAUTH: Final = "reauth"
PURPOSE_RECONFIGURE: Final = "reconfigure"

TOKEN_SCHEMA = vol.Schema({vol.Required(CONF_TOKEN): str})
PASSWORD = TextSelectorConfig(type=TextSelectorType.PASSWORD)
REAUTH_PASSWORD_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): TextSelector(PASSWORD)})
URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))


def region_selector(regions: list[str]) -> SelectSelector:
    """A drop-down of regions, named by the ``region`` selector's translations."""
    return SelectSelector(
        SelectSelectorConfig(
            options=regions, mode=SelectSelectorMode.DROPDOWN, translation_key="region"
        )
    )


WHERE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_REGION, default="cn"): region_selector([*COUNTRIES, REGION_SEARCH]),
        vol.Optional(CONF_SERVER_URL): URL_SELECTOR,
        vol.Optional(CONF_SPEC_SERVER): URL_SELECTOR,
    }
)
PASSWORD_SCHEMA = vol.Schema(
    {vol.Required(CONF_USERNAME): str, vol.Required(CONF_PASSWORD): TextSelector(PASSWORD)}
).extend(WHERE_SCHEMA.schema)
CAPTCHA_SCHEMA = vol.Schema({vol.Required(CONF_CAPTCHA): str})
CODE_SCHEMA = vol.Schema({vol.Required(CONF_CODE): str})


def data_url(image: bytes, content_type: str) -> str:
    """An image as a ``data:`` URL, to be shown in a step's description."""
    return f"data:{content_type};base64,{base64.b64encode(image).decode()}"


def cloud_errors(err: MiotError) -> dict[str, str]:
    """The form errors of a failed sign-in or listing."""
    field, key = form_error(err, Peer.CLOUD)
    if key == UNKNOWN:
        LOGGER.error("Unexpected answer from the Xiaomi cloud: %s", err)
    return {field: key}


def sign_in_error(err: MiotError) -> str:
    """The translation key of a failed sign-in or listing, as an abort reason."""
    (key,) = cloud_errors(err).values()
    return key


async def countries_with_devices(
    session: aiohttp.ClientSession, tokens: MiTokens, via: str | None
) -> list[str]:
    """The countries whose app API lists devices of the account, all asked at once.

    A country that fails or takes longer than `REGION_TIMEOUT` counts as one without devices.
    """

    async def listed(country: str) -> Any:
        client = MiAppClient(session, tokens, country, via=via)
        return await asyncio.wait_for(client.get_devices(), REGION_TIMEOUT)

    answers = dict(
        zip(
            COUNTRIES,
            await asyncio.gather(*(listed(c) for c in COUNTRIES), return_exceptions=True),
            strict=True,
        )
    )
    LOGGER.debug("Region search: %s", {c: type(a).__name__ for c, a in answers.items()})
    return [c for c, answer in answers.items() if isinstance(answer, list) and answer]


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
    except MiotError as err:
        field, key = form_error(err, Peer.DEVICE)
        errors[field] = key
        if isinstance(err, UnsupportedModelError | LegacyDeviceError):
            placeholders["model"] = str(err)
        if key == UNKNOWN:
            LOGGER.exception("Unexpected answer from %s", host)
    return None


class XiaomiConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Xiaomi account (by password or QR code) or one device on the local network."""

    VERSION = CONFIG_VERSION
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered and nobody signed in."""
        self._host: str | None = None
        self._discovered_name: str | None = None
        self._purpose = PURPOSE_USER
        self._username = ""
        self._password = ""
        self._where: dict[str, Any] = {CONF_REGION: "cn", CONF_SERVER_URL: None}
        self._tokens: MiTokens | None = None
        self._captcha_ick = ""
        self._captcha_image = ""
        self._verification: TwoStepVerification | None = None
        self._method: TwoStepMethod | None = None
        self._qr_image = ""
        self._qr_task: asyncio.Task[MiTokens] | None = None
        self._found: list[str] = []
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

    # --- signing in to the account ------------------------------------------------------------

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose how to sign in: with the password, or the Mi Home app's QR code."""
        return self.async_show_menu(step_id="account", menu_options=["password", "qr_where"])

    async def async_step_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in with the user name and password, at a region (or search them all)."""
        errors: dict[str, str] = {}
        if user_input is not None and self._set_where(user_input, errors):
            self._username = user_input[CONF_USERNAME].strip()
            self._password = user_input[CONF_PASSWORD]
            if result := await self._password_sign_in(None, errors):
                return result
        return self.async_show_form(
            step_id="password",
            data_schema=self.add_suggested_values_to_schema(PASSWORD_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_qr_where(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say where the account is (region, server), then show its QR code."""
        errors: dict[str, str] = {}
        if user_input is not None and self._set_where(user_input, errors):
            return await self.async_step_qr()
        return self.async_show_form(
            step_id="qr_where",
            data_schema=self.add_suggested_values_to_schema(WHERE_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_captcha(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Answer the captcha Xiaomi asks for before it checks the password."""
        assert user_input is not None  # the form is shown by the sign-in that asked for it
        errors: dict[str, str] = {}
        answer = CaptchaAnswer(user_input[CONF_CAPTCHA].strip(), self._captcha_ick)
        if result := await self._password_sign_in(answer, errors):
            return result
        return self._captcha_form(errors)

    def _captcha_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="captcha",
            data_schema=CAPTCHA_SCHEMA,
            errors=errors,
            description_placeholders={"captcha_image": self._captcha_image},
        )

    async def _password_sign_in(
        self, captcha: CaptchaAnswer | None, errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Sign in with the password; a captcha or 2-step verification leads to its step.

        On failure, `errors` is filled and None returned.
        """
        account = self._mi_account()
        try:
            try:
                tokens = await account.sign_in(self._username, self._password, captcha=captcha)
            except MiCaptchaRequiredError as asked:
                image = await account.fetch_captcha(asked.captcha_url)
                self._captcha_ick = image.ick
                self._captcha_image = data_url(image.image, image.content_type)
                return self._captcha_form({"base": "wrong_captcha"} if asked.wrong else {})
            except MiTwoStepRequiredError as asked:
                self._verification = await account.start_two_step(asked.notification_url)
                if len(self._verification.methods) > 1:
                    return self._method_form({})
                return await self._send_code(account, self._verification.methods[0])
        except MiotError as err:
            errors.update(cloud_errors(err))
            return None
        return await self._signed_in(tokens)

    async def async_step_two_step_method(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose where the 2-step verification code is sent: by text or by e-mail."""
        assert self._verification is not None
        assert user_input is not None  # the form is shown by the sign-in that asked for it
        errors: dict[str, str] = {}
        method = next(m for m in self._verification.methods if m.kind == user_input[CONF_METHOD])
        try:
            return await self._send_code(self._mi_account(), method)
        except MiotError as err:
            errors.update(cloud_errors(err))
        return self._method_form(errors)

    def _method_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        assert self._verification is not None
        methods = self._verification.methods
        schema = vol.Schema(
            {
                vol.Required(CONF_METHOD, default=methods[0].kind): SelectSelector(
                    SelectSelectorConfig(
                        options=[m.kind for m in methods], translation_key="two_step_method"
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="two_step_method",
            data_schema=schema,
            errors=errors,
            description_placeholders={"targets": ", ".join(m.target for m in methods if m.target)},
        )

    async def _send_code(self, account: MiAccount, method: TwoStepMethod) -> ConfigFlowResult:
        """Have the code sent, then ask for it."""
        assert self._verification is not None
        await account.send_code(self._verification, method)
        self._method = method
        return self._code_form({})

    async def async_step_two_step(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Type the 2-step verification code Xiaomi sent."""
        assert self._verification is not None
        assert self._method is not None
        assert user_input is not None  # the form is shown once the code was sent
        errors: dict[str, str] = {}
        try:
            tokens = await self._mi_account().verify_code(
                self._verification, self._method, user_input[CONF_CODE]
            )
        except MiotError as err:
            errors.update(cloud_errors(err))
        else:
            return await self._signed_in(tokens)
        return self._code_form(errors)

    def _code_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        assert self._method is not None
        return self.async_show_form(
            step_id="two_step",
            data_schema=CODE_SCHEMA,
            errors=errors,
            description_placeholders={"target": self._method.target or self._method.kind},
        )

    async def async_step_qr(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show a QR code to scan with the Mi Home app, and wait until it is confirmed."""
        if self._qr_task is None:
            account = self._mi_account()
            try:
                qr = await account.start_qr()
                image, content_type = await account.fetch_qr_image(qr)
            except MiotError as err:
                return self.async_abort(reason=sign_in_error(err))
            self._qr_image = data_url(image, content_type)
            self._qr_task = self.hass.async_create_task(
                account.wait_qr(qr), name=QR_TASK_NAME, eager_start=False
            )
        if not self._qr_task.done():
            return self.async_show_progress(
                step_id="qr",
                progress_action="qr_scan",
                description_placeholders={"qr_image": self._qr_image},
                progress_task=self._qr_task,
            )
        task, self._qr_task = self._qr_task, None
        try:
            self._tokens = task.result()
        except MiotError:
            return self.async_show_progress_done(next_step_id="qr_expired")
        return self.async_show_progress_done(next_step_id="qr_scanned")

    async def async_step_qr_scanned(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The QR code was confirmed: carry on as after any sign-in."""
        assert self._tokens is not None
        return await self._signed_in(self._tokens)

    async def async_step_qr_expired(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The QR code was not confirmed in time: offer a new one (or the password)."""
        password = "password" if self._purpose == PURPOSE_USER else "reauth_password"
        return self.async_show_menu(step_id="qr_expired", menu_options=["qr", password])

    # --- after signing in ---------------------------------------------------------------------

    async def _signed_in(self, tokens: MiTokens) -> ConfigFlowResult:
        """Check whose account it is, then find its region (when asked to) and homes."""
        self._tokens = tokens
        await self.async_set_unique_id(tokens.user_id)
        if self._purpose == PURPOSE_USER:
            self._abort_if_unique_id_configured()
            self._username = self._username or tokens.user_id
        else:
            entry = self._entry()
            if (entry.unique_id or "").isdigit():
                self._abort_if_unique_id_mismatch(reason="wrong_account")
            else:
                # An account set up before sign-ins kept the user id: any account that is not
                # already another entry is taken as this one.
                self._abort_if_unique_id_configured()
        if self._where[CONF_REGION] == REGION_SEARCH:
            return await self.async_step_region()
        return await self.async_step_region({CONF_REGION: self._where[CONF_REGION]})

    async def async_step_region(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose among the regions that hold the account's devices (after a search)."""
        assert self._tokens is not None
        errors: dict[str, str] = {}
        if user_input is None:
            self._found = await countries_with_devices(
                async_get_clientsession(self.hass), self._tokens, self._where[CONF_SERVER_URL]
            )
            if not self._found:
                errors["base"] = "no_devices_anywhere"
        else:
            self._where[CONF_REGION] = user_input[CONF_REGION]
            try:
                return await self._use_region()
            except MiotError as err:
                errors.update(cloud_errors(err))
        return self._region_form(errors)

    def _region_form(self, errors: dict[str, str]) -> ConfigFlowResult:
        """The regions to choose from: those found holding devices, else every one."""
        regions = self._found or list(COUNTRIES)
        schema = vol.Schema(
            {vol.Required(CONF_REGION, default=regions[0]): region_selector(regions)}
        )
        return self.async_show_form(
            step_id="region",
            data_schema=schema,
            errors=errors,
            description_placeholders={CONF_REGION: self._where[CONF_REGION]},
        )

    async def _use_region(self) -> ConfigFlowResult:
        """Save the sign-in of an entry, or list the new account's homes to choose from."""
        assert self._tokens is not None
        tokens = asdict(self._tokens)
        where = {key: self._where.get(key) for key in (CONF_REGION, CONF_SERVER_URL)}
        if self._purpose == PURPOSE_REAUTH:
            return self.async_update_reload_and_abort(
                self._entry(), unique_id=self.unique_id, data_updates={CONF_CLOUD_TOKENS: tokens}
            )
        if self._purpose == PURPOSE_RECONFIGURE:
            return self.async_update_reload_and_abort(
                self._entry(),
                unique_id=self.unique_id,
                data_updates={
                    **where,
                    CONF_SPEC_SERVER: self._where.get(CONF_SPEC_SERVER),
                    CONF_CLOUD_TOKENS: tokens,
                },
            )
        client = MiAppClient(
            async_get_clientsession(self.hass),
            self._tokens,
            self._where[CONF_REGION],
            via=self._where[CONF_SERVER_URL],
        )
        self._homes = await client.get_homes()
        if not self._homes:
            # Signed in, but the account has nothing in this region: choose another one.
            return self._region_form({"base": "no_homes_in_region"})
        self._account = {
            CONF_ENTRY_TYPE: ENTRY_TYPE_ACCOUNT,
            **where,
            CONF_USERNAME: self._username,
            CONF_CLOUD_TOKENS: tokens,
        }
        if spec_server := self._where.get(CONF_SPEC_SERVER):
            self._account[CONF_SPEC_SERVER] = spec_server
        return await self.async_step_homes()

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

    # --- helpers of the account's sign-in ------------------------------------------------------

    def _set_where(self, user_input: Mapping[str, Any], errors: dict[str, str]) -> bool:
        """Keep the region, server and spec server typed in; False if the server is no URL."""
        server = (user_input.get(CONF_SERVER_URL) or "").strip() or None
        try:
            XiaomiHosts(server)
        except ValueError:
            errors[CONF_SERVER_URL] = "invalid_server_url"
            return False
        self._where = {
            CONF_REGION: user_input[CONF_REGION],
            CONF_SERVER_URL: server,
            CONF_SPEC_SERVER: (user_input.get(CONF_SPEC_SERVER) or "").strip() or None,
        }
        return True

    def _mi_account(self) -> MiAccount:
        """The account server, reached as the entry will reach it (``via`` the server URL)."""
        return MiAccount(async_get_clientsession(self.hass), via=self._where[CONF_SERVER_URL])

    def _entry(self) -> ConfigEntry[Any]:
        """The entry being signed in again or reconfigured."""
        if self._purpose == PURPOSE_REAUTH:
            return self._get_reauth_entry()
        return self._get_reconfigure_entry()

    @callback
    def async_remove(self) -> None:
        """The flow was closed: a QR code still waited for is given up."""
        if self._qr_task is not None:
            self._qr_task.cancel()

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
            self._purpose = PURPOSE_REAUTH
            self._username = entry_data[CONF_USERNAME]
            self._where = {
                CONF_REGION: entry_data[CONF_REGION],
                CONF_SERVER_URL: entry_data.get(CONF_SERVER_URL) or None,
            }
            return await self.async_step_reauth_account()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose how to sign in to the account again: the password or the QR code."""
        return self.async_show_menu(
            step_id="reauth_account",
            menu_options=["reauth_password", "qr"],
            description_placeholders={CONF_USERNAME: self._username},
        )

    async def async_step_reauth_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Type the account's password again."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._password = user_input[CONF_PASSWORD]
            if result := await self._password_sign_in(None, errors):
                return result
        return self.async_show_form(
            step_id="reauth_password",
            data_schema=REAUTH_PASSWORD_SCHEMA,
            errors=errors,
            description_placeholders={CONF_USERNAME: self._username},
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
        """Move the account to another region or server, then sign in again there."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None and self._set_where(user_input, errors):
            self._purpose = PURPOSE_RECONFIGURE
            self._username = entry.data[CONF_USERNAME]
            return await self.async_step_reauth_account()
        return self.async_show_form(
            step_id="reconfigure_account",
            data_schema=self.add_suggested_values_to_schema(
                WHERE_SCHEMA,
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
