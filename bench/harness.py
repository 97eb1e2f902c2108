"""Home Assistant in this process, as the benchmarks that share its event loop start it."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from unittest.mock import patch

from aiohttp.resolver import AsyncResolver
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from pytest_homeassistant_custom_component.common import async_test_home_assistant


@asynccontextmanager
async def in_process_home_assistant(prefix: str) -> AsyncIterator[HomeAssistant]:
    """pytest-homeassistant-custom-component's test Home Assistant on a temporary folder.

    As the test harness does: no zeroconf behind aiohttp's resolver (the clouds are on
    127.0.0.1), and custom_components/ loaded from the repository. Stopped on the way out.
    """
    resolver = patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver", return_value=AsyncResolver()
    )
    with tempfile.TemporaryDirectory(prefix=prefix) as config_dir, resolver:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            frame.async_setup(hass)
            try:
                yield hass
            finally:
                await hass.async_stop(force=True)
