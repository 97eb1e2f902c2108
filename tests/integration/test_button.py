"""Buttons: spare actions without inputs, such as waking the Xiao Ai speaker."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import patch

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, ATTR_FRIENDLY_NAME, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    humidifier_device,
    spy_on_actions,
)
from simulator import Simulator

WAKE_UP = "button.xiao_ai_speaker_wake_up"


@pytest.fixture(autouse=True)
def only_buttons() -> Iterator[None]:
    """Set up the button platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.BUTTON]):
        yield


async def test_buttons_match_their_snapshots(devices_match_snapshots: MatchSnapshots) -> None:
    """The speaker's wake-up, music, radio and alarm actions are buttons; those with inputs not."""
    await devices_match_snapshots("xiaoai-speaker")


async def test_only_spare_actions_without_inputs_are_buttons(
    hass: HomeAssistant, set_up_device: SetUpDevice, entity_registry: er.EntityRegistry
) -> None:
    """Play/pause belong to the media player, play-text takes text: the speaker's rest remain."""
    entry = await set_up_device("xiaoai-speaker")
    for device in ("living-room-tv", "front-door-lock", "living-room-light"):
        await set_up_device(device)

    buttons = [
        entity.entity_id
        for entity in entity_registry.entities.values()
        if entity.domain == BUTTON_DOMAIN
    ]
    assert sorted(buttons) == [
        "button.xiao_ai_speaker_play_music",
        "button.xiao_ai_speaker_play_radio",
        "button.xiao_ai_speaker_stop_alarm",
        WAKE_UP,
    ]
    assert entity_registry.async_get(WAKE_UP).config_entry_id == entry.entry_id
    state = hass.states.get(WAKE_UP)
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Xiao Ai Speaker Wake up"
    assert state.state == STATE_UNKNOWN


async def test_pressing_wake_up_runs_the_speakers_wake_up_action(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The press reaches the speaker as intelligent-speaker action 5.3, without inputs."""
    await set_up_device("xiaoai-speaker")
    actions = spy_on_actions(sim.devices["xiaoai-speaker"])

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: WAKE_UP}, blocking=True
    )

    assert actions == [(5, 3, [])]
    assert hass.states.get(WAKE_UP).state != STATE_UNKNOWN  # the time of the last press


async def test_a_model_without_traits_names_its_button_from_the_spec(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """An action the tables do not know is a button named by its spec description."""
    async with humidifier_device(hass) as (device, entry):
        entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        assert [entity.entity_id for entity in entities] == ["button.bedroom_humidifier_toggle"]
        assert entities[0].unique_id == "424242-a-2-1"
        actions = spy_on_actions(device)

        await hass.services.async_call(
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: "button.bedroom_humidifier_toggle"},
            blocking=True,
        )

        assert actions == [(2, 1, [])]
