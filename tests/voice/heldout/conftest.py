"""A real-named home (param: its file's stem) simulated, signed in through its account."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component

from harness.hass import sign_in
from harness.net import first_address
from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import Simulator, load_home
from simulator.cloud import CloudServer

HOMES = Path(__file__).parents[3] / "simulator" / "homes"
HOME_LANGUAGE = {"real_zh": "zh-Hans", "real_en": "en"}
"""Each home, and the language its household runs Home Assistant in and speaks."""


def home_path(name: str) -> Path:
    """The home file of a home's name (`real_zh`)."""
    return HOMES / f"{name}.yaml"


async def set_up_home(hass: HomeAssistant, name: str) -> tuple[Simulator, CloudServer, ConfigEntry]:
    """Simulate a home, sign in to its cloud through the config flow, as its household would.

    Home Assistant runs in the household's language; Assist is set up first, as in a default
    configuration; the car's lock is exposed to Assist (Home Assistant exposes no lock by
    default, and a household that locks its car by voice has exposed it).
    """
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip(ABSENT)
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, home_path(name))
    sim = Simulator(home, first_address=first_address(), seed=7)
    await sim.start()
    cloud = CloudServer(sim)
    await cloud.start(port=0)
    await hass.config.async_update(language=HOME_LANGUAGE[name])
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    result = await sign_in(
        hass, cloud, username=home.account.username, password=home.account.password
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = hass.config_entries.async_get_entry(result["result"].entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    for state in hass.states.async_all("lock"):
        async_expose_entity(hass, "conversation", state.entity_id, True)
    await hass.async_block_till_done()
    return sim, cloud, entry


@pytest.fixture
async def real_home(
    hass: HomeAssistant, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[str, Simulator]]:
    """The home named by the parameter, loaded: its name and its simulator."""
    name: str = request.param
    sim, cloud, entry = await set_up_home(hass, name)
    yield name, sim
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    await cloud.stop()
    await sim.stop()
