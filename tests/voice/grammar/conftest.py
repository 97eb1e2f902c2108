"""A real-named home (simulator/homes/real_zh.yaml or real_en.yaml) signed in, no aliases.

The speaking user is linked to a person (妈妈 / Mom), as Home Assistant's users are.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component

from simulator import Simulator, load_home
from simulator.cloud import CloudServer
from tests.integration.conftest import (  # noqa: F401  (fixtures)
    auto_enable_custom_integrations,
    first_address,
    sign_in,
)
from tests.real_specs import ABSENT, REAL_SPEC_FILES
from tests.voice.conftest import expose_all

HOMES = Path(__file__).parents[3] / "simulator" / "homes"
SPEAKER: dict[str, str] = {"zh-Hans": "妈妈", "en": "Mom"}
"""The person linked to the user who speaks, in each home."""

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)


@dataclass(frozen=True, slots=True)
class RealHome:
    """A real-named home loaded in Home Assistant, and who speaks to it."""

    sim: Simulator
    context: Context


def home_file(language: str) -> Path:
    """The home a language's cases speak to."""
    return HOMES / ("real_zh.yaml" if language == "zh-Hans" else "real_en.yaml")


async def start_home(
    hass: HomeAssistant,
    language: str,
    *,
    zones: list[dict[str, Any]] | None = None,
    expose: bool = True,
) -> AsyncIterator[RealHome]:
    """Simulate the home, sign in to its account, link the speaking user to a person.

    `expose`: every entity exposed to Assist, else Home Assistant's default exposure.
    """
    home = await asyncio.get_running_loop().run_in_executor(None, load_home, home_file(language))
    sim = Simulator(home, first_address=first_address(), seed=1)
    await sim.start()
    server = CloudServer(sim)
    await server.start(port=0)
    try:
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(hass, "conversation", {})
        if zones:
            assert await async_setup_component(hass, "zone", {"zone": zones})
        user = await hass.auth.async_create_user(SPEAKER[language])
        person = {"id": "speaker", "name": SPEAKER[language], "user_id": user.id}
        assert await async_setup_component(hass, "person", {"person": [person]})
        result = await sign_in(
            hass, server, username=home.account.username, password=home.account.password
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result
        entry = hass.config_entries.async_get_entry(result["result"].entry_id)
        assert entry is not None
        assert entry.state is ConfigEntryState.LOADED
        await hass.async_block_till_done()
        if expose:
            expose_all(hass, entry.entry_id)
        await hass.async_block_till_done()
        yield RealHome(sim, Context(user_id=user.id))
    finally:
        await server.stop()
        await sim.stop()
