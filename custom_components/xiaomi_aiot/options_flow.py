"""Options: poll intervals; for an account also its homes and how each device is reached."""

from __future__ import annotations

from collections import Counter
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .account import AccountCoordinator
from .const import (
    CONF_ALLOW_UNLOCK_BY_VOICE,
    CONF_CLOUD_SCAN_INTERVAL,
    CONF_ENTRY_TYPE,
    CONF_HOMES,
    CONF_ROUTES,
    CONF_SKILL_KEY_ID,
    CONF_SKILL_SECRET,
    DEFAULT_CLOUD_SCAN_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    ENTRY_TYPE_ACCOUNT,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .miot.route import Route

INTERVAL = vol.All(vol.Coerce(int), vol.Range(min=MIN_SCAN_INTERVAL, max=MAX_SCAN_INTERVAL))
ROUTE_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=[route.value for route in Route],
        mode=SelectSelectorMode.DROPDOWN,
        translation_key="route",
    )
)
SKILL_FIELDS = (CONF_SKILL_KEY_ID, CONF_SKILL_SECRET)
"""Options of the Xiao Ai skill endpoint; left empty, the endpoint refuses every request."""


class XiaomiOptionsFlow(OptionsFlow):
    """How often to poll; for an account, which homes and which route per device."""

    def __init__(self) -> None:
        """Start with no answers."""
        self._options: dict[str, Any] = {}

    @property
    def _is_account(self) -> bool:
        return self.config_entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT

    @property
    def _account(self) -> AccountCoordinator | None:
        """The loaded account; None while it is not set up (its homes are then unknown)."""
        if self.config_entry.state is not ConfigEntryState.LOADED:
            return None
        account: AccountCoordinator | None = self.config_entry.runtime_data.account
        return account

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the poll intervals (and an account's homes)."""
        options = self.config_entry.options
        errors: dict[str, str] = {}
        if user_input is not None and user_input.get(CONF_HOMES) == []:
            errors[CONF_HOMES] = "no_homes"
        elif user_input is not None:
            # A cleared optional field is absent from the answer: drop the old value with it.
            kept = {key: value for key, value in options.items() if key not in SKILL_FIELDS}
            self._options = {**kept, **user_input}
            if self._is_account and self._routable():
                return await self.async_step_routes()
            return self.async_create_entry(data=self._options)
        fields: dict[Any, Any] = {
            vol.Required(
                CONF_SCAN_INTERVAL,
                default=options.get(CONF_SCAN_INTERVAL, int(DEFAULT_SCAN_INTERVAL.total_seconds())),
            ): INTERVAL
        }
        if self._is_account:
            fields[
                vol.Required(
                    CONF_CLOUD_SCAN_INTERVAL,
                    default=options.get(
                        CONF_CLOUD_SCAN_INTERVAL, int(DEFAULT_CLOUD_SCAN_INTERVAL.total_seconds())
                    ),
                )
            ] = INTERVAL
            if account := self._account:
                homes = {home.id: home.name for home in account.homes}
                # A home gone from the account is no longer offered, nor kept as chosen.
                chosen = [home for home in options.get(CONF_HOMES, homes) if home in homes]
                fields[vol.Required(CONF_HOMES, default=chosen)] = cv.multi_select(homes)
            fields[
                vol.Required(
                    CONF_ALLOW_UNLOCK_BY_VOICE,
                    default=options.get(CONF_ALLOW_UNLOCK_BY_VOICE, False),
                )
            ] = cv.boolean
        fields[
            vol.Optional(
                CONF_SKILL_KEY_ID, description={"suggested_value": options.get(CONF_SKILL_KEY_ID)}
            )
        ] = TextSelector()
        fields[
            vol.Optional(
                CONF_SKILL_SECRET, description={"suggested_value": options.get(CONF_SKILL_SECRET)}
            )
        ] = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(vol.Schema(fields), user_input),
            errors=errors,
        )

    async def async_step_routes(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask how each device on the network is reached: automatically, LAN only, or cloud."""
        devices = self._routable()
        routes: dict[str, str] = dict(self.config_entry.options.get(CONF_ROUTES, {}))
        if user_input is not None:
            routes.update({did: user_input[name] for did, name in devices.items()})
            return self.async_create_entry(data={**self._options, CONF_ROUTES: routes})
        schema = vol.Schema(
            {
                vol.Required(name, default=routes.get(did, Route.AUTO.value)): ROUTE_SELECTOR
                for did, name in devices.items()
            }
        )
        return self.async_show_form(step_id="routes", data_schema=schema)

    def _routable(self) -> dict[str, str]:
        """Devices of the account that have a LAN address, by did, with their form labels.

        A label is the device's name; names that several devices share get the did too, since
        the label is also the field's key.
        """
        account = self._account
        if account is None:
            return {}
        names = {did: device.name for did, device in account.data.items() if device.local_ip}
        shared = {name for name, count in Counter(names.values()).items() if count > 1}
        return {did: f"{name} ({did})" if name in shared else name for did, name in names.items()}
