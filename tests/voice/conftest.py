"""The demo home signed in through the account, with the names a Chinese household uses."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from harness.hass import entity_id, expose_all

AREA_ALIASES = {
    "living_room": ["客厅"],
    "bedroom": ["卧室", "主卧"],
    "study": ["书房"],
    "hallway": ["玄关", "门口"],
}
ENTITY_ALIASES = {
    "light.living_room_ceiling_light": ["吸顶灯", "客厅灯", "ceiling light"],
    "light.bedside_lamp": ["床头灯", "bedside light"],
    "light.desk_lamp": ["台灯", "书桌灯"],
    "climate.living_room_air_conditioner": ["客厅空调", "living room ac"],
    "climate.bedroom_air_conditioner": ["卧室空调", "bedroom ac"],
    "media_player.living_room_tv": ["电视", "客厅电视", "tv"],
    "media_player.xiao_ai_speaker": ["小爱音箱", "音箱", "speaker"],
    # The front door's lock has no lock entity (it cannot be locked remotely): its status is.
    "sensor.front_door_lock_lock_status": ["门锁", "大门", "front door"],
}


@pytest.fixture(autouse=True)
async def assist(hass: HomeAssistant) -> None:
    """Assist is set up before the account, as in a default Home Assistant configuration."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()


@pytest.fixture
async def home(hass: HomeAssistant, account: MockConfigEntry) -> MockConfigEntry:
    """The demo account loaded, areas and entities given their Chinese names as aliases."""
    areas = ar.async_get(hass)
    for area_id, aliases in AREA_ALIASES.items():
        areas.async_update(area_id, aliases=set(aliases))
    entities = er.async_get(hass)
    for written, aliases in ENTITY_ALIASES.items():
        target = entity_id(hass, written)
        entry = entities.async_get(target)
        assert entry is not None, written
        # Newer releases keep the entity's own name among its aliases (as None, in an ordered
        # list): add to the aliases rather than replace them, or the name stops matching.
        current = entry.aliases
        added = [*current, *aliases] if isinstance(current, list) else {*current, *aliases}
        entities.async_update_entity(target, aliases=added)
    expose_all(hass, account.entry_id)
    await hass.async_block_till_done()
    return account
