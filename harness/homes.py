"""Homes the tests share: small ones for the simulator's cloud, real-named ones for Assist."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component

from harness.hass import HOMES, expose_all, loaded_entry, sign_in
from harness.net import first_address
from simulator import Simulator, load_home
from simulator.cloud import CloudServer

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
        entry = loaded_entry(hass, result)
        await hass.async_block_till_done()
        if expose:
            expose_all(hass, entry.entry_id)
        await hass.async_block_till_done()
        yield RealHome(sim, Context(user_id=user.id))
    finally:
        await server.stop()
        await sim.stop()
