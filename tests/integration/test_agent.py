"""One Xiao Ai agent per Home Assistant, whichever way the devices were added.

Devices added by address and token get the agent as an account does; with several entries
there is still one agent; when the entry that holds it goes, another takes it over under the
same entity id; the per-account agent of earlier releases becomes the one agent.
"""

from __future__ import annotations

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.voice.agent import AGENT_UNIQUE_ID, xiaoai_agent_id
from harness.hass import AGENT, SetUpDevice, entity_id, entry_for
from simulator import Simulator


@pytest.fixture(autouse=True)
async def assist(hass: HomeAssistant) -> None:
    """Assist is set up first, as in a default configuration."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


def agents(hass: HomeAssistant) -> list[er.RegistryEntry]:
    """Our conversation entities in the registry."""
    return [
        e
        for e in er.async_get(hass).entities.values()
        if e.platform == DOMAIN and e.domain == conversation.DOMAIN
    ]


async def ask(hass: HomeAssistant, text: str) -> str:
    """What the Xiao Ai agent answers."""
    result = await conversation.async_converse(hass, text, None, Context(), "en", agent_id=AGENT)
    return str(result.response.speech["plain"]["speech"])


async def test_a_device_added_by_address_has_the_agent(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """No account: the agent is there and turns the light on."""
    await set_up_device("living-room-light")
    assert xiaoai_agent_id(hass) == AGENT
    light = entity_id(hass, "light.living_room_ceiling_light")
    await hass.services.async_call("light", "turn_off", {"entity_id": light}, blocking=True)
    answer = await ask(hass, f"turn on the {hass.states.get(light).name}")
    await hass.async_block_till_done()
    assert hass.states.get(light).state == "on", answer


async def test_several_entries_one_agent_that_moves_on_when_its_entry_goes(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Three entries, one agent; removing the holder leaves the agent, same entity id."""
    entries = [await set_up_device(d) for d in ("living-room-light", "bedroom-light", "study-lamp")]
    assert [e.entity_id for e in agents(hass)] == [AGENT]
    holder = agents(hass)[0].config_entry_id
    assert holder == entries[0].entry_id

    assert await hass.config_entries.async_remove(entries[0].entry_id)
    await hass.async_block_till_done()
    assert [e.entity_id for e in agents(hass)] == [AGENT]
    assert agents(hass)[0].config_entry_id in {entries[1].entry_id, entries[2].entry_id}
    assert xiaoai_agent_id(hass) == AGENT

    assert await hass.config_entries.async_unload(entries[1].entry_id)
    assert await hass.config_entries.async_unload(entries[2].entry_id)
    await hass.async_block_till_done()
    assert xiaoai_agent_id(hass) is None
    assert await hass.config_entries.async_setup(entries[2].entry_id)
    await hass.async_block_till_done()
    assert xiaoai_agent_id(hass) == AGENT


async def test_an_accounts_agent_of_an_earlier_release_becomes_the_one_agent(
    hass: HomeAssistant, sim: Simulator
) -> None:
    """The registry's `<entry id>-conversation` agent keeps its entity id and settings."""
    entry: MockConfigEntry = entry_for(sim.devices["living-room-light"])
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    old = registry.async_get_or_create(
        conversation.DOMAIN,
        DOMAIN,
        f"{entry.entry_id}-conversation",
        config_entry=entry,
        suggested_object_id="xiao_ai",
    )
    registry.async_update_entity(old.entity_id, aliases={"小爱"})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    found = agents(hass)
    assert [(e.entity_id, e.unique_id) for e in found] == [(old.entity_id, AGENT_UNIQUE_ID)]
    assert found[0].aliases == {"小爱"}
    assert xiaoai_agent_id(hass) == old.entity_id
