"""Options: poll intervals; for an account also its homes and how each device is reached."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import (
    CONF_ALLOW_UNLOCK_BY_VOICE,
    CONF_CLOUD_SCAN_INTERVAL,
    CONF_ENTRY_TYPE,
    CONF_HOMES,
    CONF_ROUTES,
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


class XiaomiOptionsFlow(OptionsFlow):
    """How often to poll; for an account, which homes and which route per device."""

    def __init__(self) -> None:
        """Start with no answers."""
        self._options: dict[str, Any] = {}

    @property
    def _is_account(self) -> bool:
        return self.config_entry.data.get(CONF_ENTRY_TYPE) == ENTRY_TYPE_ACCOUNT

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the poll intervals (and an account's homes)."""
        options = self.config_entry.options
        if user_input is not None:
            self._options = {**options, **user_input}
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
            account = self.config_entry.runtime_data.account
            homes = {home.id: home.name for home in account.homes} if account else {}
            fields[vol.Required(CONF_HOMES, default=options.get(CONF_HOMES, list(homes)))] = (
                cv.multi_select(homes)
            )
            fields[
                vol.Required(
                    CONF_ALLOW_UNLOCK_BY_VOICE,
                    default=options.get(CONF_ALLOW_UNLOCK_BY_VOICE, False),
                )
            ] = cv.boolean
        return self.async_show_form(step_id="init", data_schema=vol.Schema(fields))

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
        """Devices of the account that have a LAN address, by did, with their names."""
        account = self.config_entry.runtime_data.account
        if account is None or not account.data:
            return {}
        return {did: device.name for did, device in account.data.items() if device.local_ip}
