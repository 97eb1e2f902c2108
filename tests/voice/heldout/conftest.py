"""A real-named home (param: its file's stem) simulated, signed in through its account."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from harness.hass import HOMES, loaded_entry, sign_in
from harness.homes import enable_event_loop_debug  # noqa: F401  (fixture: no asyncio debug mode)
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from harness.simulated import simulated_home
from simulator import Simulator
from simulator.cloud import CloudServer

HOME_LANGUAGE = {"real_zh": "zh-Hans", "real_en": "en"}
"""Each home, and the language its household runs Home Assistant in and speaks."""


async def sign_in_household(
    hass: HomeAssistant, sim: Simulator, cloud: CloudServer, name: str
) -> ConfigEntry:
    """Sign in to a home's cloud through the config flow, as its household would.

    Home Assistant runs in the household's language; Assist is set up first, as in a default
    configuration; the car's lock is exposed to Assist (Home Assistant exposes no lock by
    default, and a household that locks its car by voice has exposed it).
    """
    await hass.config.async_update(language=HOME_LANGUAGE[name])
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    account = sim.home.account
    result = await sign_in(hass, cloud, username=account.username, password=account.password)
    entry = loaded_entry(hass, result)
    for state in hass.states.async_all("lock"):
        async_expose_entity(hass, "conversation", state.entity_id, True)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def real_home(
    hass: HomeAssistant, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[str, Simulator]]:
    """The home named by the parameter, loaded: its name and its simulator."""
    name: str = request.param
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip(ABSENT)
    async with simulated_home(HOMES / f"{name}.yaml", seed=7) as (sim, cloud):
        entry = await sign_in_household(hass, sim, cloud, name)
        yield name, sim
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
