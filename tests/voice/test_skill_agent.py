"""The Xiao Ai skill end to end: a signed request over real HTTP, our agent, the simulated home.

The demo home is signed in through the account (tests/voice/conftest.py); the skill's key is in
the account entry's options, and each query goes to that entry's Xiao Ai conversation entity.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.components import conversation
from homeassistant.components.lock import LockState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import (
    CONF_ALLOW_UNLOCK_BY_VOICE,
    CONF_SKILL_KEY_ID,
    CONF_SKILL_SECRET,
)
from custom_components.xiaomi_aiot.voice import agent
from harness.hass import AGENT, entity_id
from harness.skill import KEY_ID, SECRET, encode, signed_headers, skill_request
from simulator import Simulator

LIGHT = "light.living_room_ceiling_light"
CAR_LOCK = "lock.xiaomi_su7_door_lock"  # the front door has no lock entity
TURN_ON_THE_LIGHT = "小爱同学，打开客厅的灯"  # noqa: RUF001 - the full-width comma as typed
OPEN_THE_DOOR = "小爱同学，把门打开"  # noqa: RUF001


def _device_value(sim: Simulator, device_id: str, name: str) -> Any:
    device = sim.devices[device_id]
    prop = device.resolve(name)
    return device.get(prop.siid, prop.piid)


@pytest.fixture
async def skill_home(
    hass: HomeAssistant, client: TestClient, home: MockConfigEntry
) -> MockConfigEntry:
    """The account entry holding the skill's key in its options (the entry reloads)."""
    hass.config_entries.async_update_entry(
        home, options={**home.options, CONF_SKILL_KEY_ID: KEY_ID, CONF_SKILL_SECRET: SECRET}
    )
    await hass.async_block_till_done()
    assert home.options[CONF_SKILL_KEY_ID] == KEY_ID
    assert not home.options.get(CONF_ALLOW_UNLOCK_BY_VOICE, False)
    return home


@pytest.fixture
def ask(client: TestClient, skill_home: MockConfigEntry) -> Any:
    """Send a signed skill request with a query; return the JSON answer."""
    count = 0

    async def send(hass: HomeAssistant, query: str) -> dict[str, Any]:
        nonlocal count
        count += 1
        path = f"/api/xiaomi_aiot/xiaoai/{skill_home.entry_id}"
        body = encode(skill_request(query, request_id=f"req-{count}"))
        response = await client.post(path, data=body, headers=signed_headers(path, body))
        await hass.async_block_till_done()
        assert response.status == 200, await response.text()
        answer: dict[str, Any] = await response.json()
        return answer

    return send


def spoken(answer: dict[str, Any]) -> str:
    """What Xiao Ai is to say."""
    text: str = answer["response"]["to_speak"]["text"]
    return text


def state(hass: HomeAssistant, entity: str) -> str:
    """An entity's state."""
    current = hass.states.get(entity)
    assert current is not None, entity
    return current.state


def chinese(text: str) -> bool:
    """Whether a text has Chinese characters."""
    return agent.CHINESE.search(text) is not None


async def test_the_skill_turns_on_the_light_through_our_agent(
    hass: HomeAssistant, sim: Simulator, skill_home: MockConfigEntry, ask: Any
) -> None:
    """Wake word, "turn on the living room light": the light turns on, the answer is ours."""
    # The query goes to the Xiao Ai agent, not Home Assistant's.
    assert agent.xiaoai_agent_id(hass) == AGENT

    light = entity_id(hass, LIGHT)
    await hass.services.async_call("light", "turn_off", {"entity_id": light}, blocking=True)
    await hass.async_block_till_done()
    assert _device_value(sim, "living-room-light", "light.on") is False
    assert state(hass, light) == STATE_OFF

    answer = await ask(hass, TURN_ON_THE_LIGHT)

    assert _device_value(sim, "living-room-light", "light.on") is True
    assert state(hass, light) == STATE_ON
    assert answer["is_session_end"] is True
    assert spoken(answer)
    assert chinese(spoken(answer)), spoken(answer)

    # Only our agent knows the car: its answer carries the simulator's battery level.
    battery = _device_value(sim, "su7", "battery.battery-level")
    answer = await ask(hass, "车还有多少电")
    assert chinese(spoken(answer)), spoken(answer)
    assert str(battery) in spoken(answer), (battery, spoken(answer))
    default = await conversation.async_converse(
        hass, "车还有多少电", None, Context(), "zh-cn", agent_id=conversation.HOME_ASSISTANT_AGENT
    )
    assert str(battery) not in default.response.speech.get("plain", {}).get("speech", "")


async def test_unlocking_through_the_skill_is_refused_and_the_door_stays_locked(
    hass: HomeAssistant, sim: Simulator, ask: Any
) -> None:
    """Asked to open the door: the spoken reason, nothing sent to any lock (not the car's)."""
    lock = entity_id(hass, CAR_LOCK)
    assert state(hass, lock) == LockState.LOCKED
    before = _device_value(sim, "front-door-lock", "lock.status")

    for query in (OPEN_THE_DOOR, "解锁大门"):
        answer = await ask(hass, query)
        assert "安全" in spoken(answer), spoken(answer)
        assert "语音开锁" in spoken(answer), spoken(answer)

    assert _device_value(sim, "front-door-lock", "lock.status") == before
    assert state(hass, lock) == LockState.LOCKED
