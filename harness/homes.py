"""Homes the tests share: small ones for the simulator's cloud, real-named ones for Assist."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component

from harness.hass import HOMES, expose_all, loaded_entry, sign_in
from harness.simulated import simulated_home
from simulator import Simulator

CLOUD_HOME: dict[str, Any] = {
    "home_name": "Cloud Home",
    "account": {"username": "bob", "password": "hunter2"},
    "rooms": ["Hall", "Garage"],
    "devices": [
        {"id": "lamp", "kind": "light", "name": "Lamp", "room": "Hall", "features": []},
        {"id": "car", "kind": "vehicle", "name": "SU7", "room": "Garage", "person": "Bob"},
        {"id": "phone", "kind": "phone", "name": "Phone", "person": "Bob"},
    ],
}

# The cloud tests' home (a lamp in the hall, a car in the garage), with an e-mail user name.
MICLOUD_HOME: dict[str, Any] = {
    **CLOUD_HOME,
    "account": {"username": "bob@example.com", "password": "hunter2"},
    "devices": CLOUD_HOME["devices"][:2],
}


SPEAKER: dict[str, str] = {"zh-Hans": "妈妈", "en": "Mom"}
"""The person linked to the user who speaks, in each home."""


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
    async with simulated_home(home_file(language), seed=1) as (sim, server):
        account = sim.home.account
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(hass, "conversation", {})
        if zones:
            assert await async_setup_component(hass, "zone", {"zone": zones})
        user = await hass.auth.async_create_user(SPEAKER[language])
        person = {"id": "speaker", "name": SPEAKER[language], "user_id": user.id}
        assert await async_setup_component(hass, "person", {"person": [person]})
        result = await sign_in(hass, server, username=account.username, password=account.password)
        entry = loaded_entry(hass, result)
        await hass.async_block_till_done()
        if expose:
            expose_all(hass, entry.entry_id)
        await hass.async_block_till_done()
        yield RealHome(sim, Context(user_id=user.id))


@pytest.fixture
def enable_event_loop_debug() -> None:
    """The event loop out of debug mode, where Home Assistant's test plugin puts it.

    In debug mode asyncio records the stack at every future, task and callback: half of what a
    corpus case costs, as each starts Home Assistant and a home afresh. A corpus's conftest
    imports this fixture to replace the plugin's; the integration's tests run the same set-up
    in debug mode, the corpora test what is understood and answered.
    """
