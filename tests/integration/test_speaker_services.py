"""Speakers and automations: a speaker says or carries out a text; a text runs through Xiao Ai."""

from __future__ import annotations

import pytest
import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import DOMAIN
from harness.hass import SetUpDevice, device_id, service_call
from simulator import Simulator

SPEAKER = "xiaoai-speaker"


@pytest.fixture(autouse=True)
async def core(hass: HomeAssistant) -> None:
    """Home Assistant's core integration, which the conversation agents rely on."""
    assert await async_setup_component(hass, "homeassistant", {})


async def test_a_speaker_says_the_text(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """speak goes through the spec's play-text action."""
    await set_up_device(SPEAKER)
    await service_call(
        hass, "speak", {"device_id": device_id(hass, sim, SPEAKER), "text": "晚饭好了"}
    )
    assert list(sim.devices[SPEAKER].spoken) == ["晚饭好了"]


@pytest.mark.parametrize("silent", [False, True])
async def test_a_speaker_carries_out_a_command_aloud_or_silently(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, silent: bool
) -> None:
    """execute_command goes through execute-text-directive with the silent flag as asked."""
    await set_up_device(SPEAKER)
    await service_call(
        hass,
        "execute_command",
        {"device_id": device_id(hass, sim, SPEAKER), "text": "打开客厅的灯", "silent": silent},
    )
    speaker = sim.devices[SPEAKER]
    assert list(speaker.spoken) == ["打开客厅的灯"]
    assert speaker.get(5, 2) is silent


async def test_a_command_is_said_aloud_unless_asked_otherwise(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """silent defaults to false."""
    await set_up_device(SPEAKER)
    sim.devices[SPEAKER].set(5, 2, True)
    await service_call(
        hass, "execute_command", {"device_id": device_id(hass, sim, SPEAKER), "text": "几点了"}
    )
    assert sim.devices[SPEAKER].get(5, 2) is False


@pytest.mark.parametrize("service", ["speak", "execute_command"])
async def test_a_device_that_is_not_a_speaker_is_refused(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, service: str
) -> None:
    """A lamp has no text actions: a translated validation error, and nothing is sent."""
    await set_up_device("study-lamp")
    with pytest.raises(ServiceValidationError) as err:
        await service_call(
            hass, service, {"device_id": device_id(hass, sim, "study-lamp"), "text": "hi"}
        )
    assert err.value.translation_key == "not_a_speaker"
    assert err.value.translation_placeholders == {"device": "Desk Lamp"}


async def test_an_empty_text_is_refused_by_the_schema(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The schema wants some text."""
    await set_up_device(SPEAKER)
    with pytest.raises(vol.Invalid):
        await service_call(hass, "speak", {"device_id": device_id(hass, sim, SPEAKER), "text": ""})
    assert list(sim.devices[SPEAKER].spoken) == []


async def test_an_unreachable_speaker_is_a_translated_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The speaker is offline: the call fails with a translated error."""
    await set_up_device(SPEAKER)
    target = device_id(hass, sim, SPEAKER)
    sim.devices[SPEAKER].apply_faults({"offline": True})
    with pytest.raises(HomeAssistantError) as err:
        await service_call(hass, "speak", {"device_id": target, "text": "晚饭好了"})
    assert err.value.translation_domain == DOMAIN
    assert list(sim.devices[SPEAKER].spoken) == []


@pytest.fixture
async def light(hass: HomeAssistant, set_up_device: SetUpDevice) -> MockConfigEntry:
    """The living-room light set up by address, Assist set up first: the Xiao Ai agent is there."""
    assert await async_setup_component(hass, "conversation", {})
    return await set_up_device("living-room-light")


async def test_a_xiaoai_command_acts_and_returns_the_answer(
    hass: HomeAssistant, sim: Simulator, light: MockConfigEntry
) -> None:
    """A device added by address has the Xiao Ai agent too: it answers and acts."""
    response = await service_call(
        hass,
        "xiaoai_command",
        {"text": "turn off the living room ceiling light", "config_entry_id": light.entry_id},
        response=True,
    )
    assert response is not None
    assert response["answer"]
    assert response["response_type"] == "action_done"
    assert response["agent_id"] == "conversation.xiao_ai"
    assert sim.devices["living-room-light"].get(2, 1) is False


async def test_without_a_loaded_entry_home_assistants_agent_answers(
    hass: HomeAssistant, sim: Simulator, light: MockConfigEntry
) -> None:
    """With no entry of ours loaded there is no Xiao Ai agent: Home Assistant's own answers."""
    assert await hass.config_entries.async_unload(light.entry_id)
    await hass.async_block_till_done()
    response = await service_call(
        hass, "xiaoai_command", {"text": "what time is it"}, response=True
    )
    assert response is not None
    assert response["agent_id"] == "conversation.home_assistant"


async def test_a_xiaoai_command_may_name_its_agent(
    hass: HomeAssistant, sim: Simulator, light: MockConfigEntry
) -> None:
    """An agent given by id answers; one that does not exist is a translated error."""
    response = await service_call(
        hass,
        "xiaoai_command",
        {
            "text": "turn off the living room ceiling light",
            "agent_id": "conversation.home_assistant",
        },
        response=True,
    )
    assert response is not None
    assert response["agent_id"] == "conversation.home_assistant"
    assert sim.devices["living-room-light"].get(2, 1) is False

    with pytest.raises(ServiceValidationError) as err:
        await service_call(
            hass,
            "xiaoai_command",
            {"text": "turn on the living room ceiling light", "agent_id": "conversation.nobody"},
            response=True,
        )
    assert err.value.translation_key == "agent_not_found"
    assert err.value.translation_placeholders == {"agent_id": "conversation.nobody"}
    assert sim.devices["living-room-light"].get(2, 1) is False


async def test_a_xiaoai_command_for_an_unknown_entry_is_refused(
    hass: HomeAssistant, sim: Simulator, light: MockConfigEntry
) -> None:
    """Only our entries name a Xiao Ai agent."""
    other = MockConfigEntry(domain="hue")
    other.add_to_hass(hass)
    for entry_id in (other.entry_id, "no-such-entry"):
        with pytest.raises(ServiceValidationError) as err:
            await service_call(
                hass,
                "xiaoai_command",
                {"text": "turn off the living room ceiling light", "config_entry_id": entry_id},
                response=True,
            )
        assert err.value.translation_key == "entry_not_found"
    assert sim.devices["living-room-light"].get(2, 1) is True


async def test_a_xiaoai_command_returns_a_response_only(
    hass: HomeAssistant, light: MockConfigEntry
) -> None:
    """Its answer is the point: calling it without asking for the response is refused."""
    with pytest.raises(ServiceValidationError):
        await service_call(hass, "xiaoai_command", {"text": "what time is it"})
