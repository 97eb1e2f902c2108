"""Televisions and speakers: power, volume, mute, sources and playback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_INPUT_SOURCE_LIST,
    ATTR_MEDIA_VOLUME_LEVEL,
    ATTR_MEDIA_VOLUME_MUTED,
    SERVICE_SELECT_SOURCE,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.components.media_player import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_ENTITY_ID,
    ATTR_FRIENDLY_NAME,
    ATTR_SUPPORTED_FEATURES,
    SERVICE_MEDIA_NEXT_TRACK,
    SERVICE_MEDIA_PAUSE,
    SERVICE_MEDIA_PLAY,
    SERVICE_MEDIA_PREVIOUS_TRACK,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    SERVICE_VOLUME_DOWN,
    SERVICE_VOLUME_MUTE,
    SERVICE_VOLUME_SET,
    SERVICE_VOLUME_UP,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from harness.hass import SetUpDevice
from harness.platforms import (
    MatchSnapshots,
    next_poll,
    spy_on_actions,
    translated_error,
)
from simulator import Simulator

TV = "media_player.living_room_tv"  # HDMI 1, volume 25 of 50; no power property
SPEAKER = "media_player.xiao_ai_speaker"  # volume 40, paused
TV_INPUT, TV_VOLUME, TV_MUTE = (2, 1), (4, 1), (4, 2)
TV_TURN_OFF, TV_TURN_ON, TV_PLAY, TV_PAUSE = (2, 2), (6, 1), (3, 1), (3, 2)
SPEAKER_VOLUME, SPEAKER_MUTE, SPEAKER_PLAYING = (2, 1), (2, 2), (3, 1)


@pytest.fixture(autouse=True)
def only_media_players() -> Iterator[None]:
    """Set up the media player platform only."""
    with patch("custom_components.xiaomi_aiot.integration.PLATFORMS", [Platform.MEDIA_PLAYER]):
        yield


async def call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> None:
    """Call a media player service and wait for it."""
    await hass.services.async_call(
        MEDIA_PLAYER_DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def test_television_and_speaker_match_their_snapshots(
    devices_match_snapshots: MatchSnapshots,
) -> None:
    """A TV and a speaker, each named after its device, with their device classes."""
    await devices_match_snapshots("living-room-tv", "xiaoai-speaker")


async def test_television_offers_power_sources_and_playback(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """The TV's spec gives power actions, volume 0..50, mute, its inputs, play and pause."""
    await set_up_device("living-room-tv")

    state = hass.states.get(TV)
    assert state.attributes[ATTR_FRIENDLY_NAME] == "Living Room TV"
    assert state.attributes[ATTR_DEVICE_CLASS] == "tv"
    assert state.state == MediaPlayerState.ON
    assert state.attributes[ATTR_INPUT_SOURCE_LIST] == ["TV", "DTMB", "AV", "HDMI 1", "HDMI 2"]
    assert state.attributes[ATTR_INPUT_SOURCE] == "HDMI 1"
    assert state.attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.5
    features = MediaPlayerEntityFeature(state.attributes[ATTR_SUPPORTED_FEATURES])
    for feature in (
        MediaPlayerEntityFeature.TURN_ON,
        MediaPlayerEntityFeature.TURN_OFF,
        MediaPlayerEntityFeature.VOLUME_SET,
        MediaPlayerEntityFeature.VOLUME_STEP,
        MediaPlayerEntityFeature.VOLUME_MUTE,
        MediaPlayerEntityFeature.SELECT_SOURCE,
        MediaPlayerEntityFeature.PLAY,
        MediaPlayerEntityFeature.PAUSE,
    ):
        assert feature in features
    # The spec has neither next nor previous.
    assert MediaPlayerEntityFeature.NEXT_TRACK not in features
    assert MediaPlayerEntityFeature.PREVIOUS_TRACK not in features


async def test_speaker_has_no_power_switch_but_everything_else(
    hass: HomeAssistant, set_up_device: SetUpDevice
) -> None:
    """A speaker without an on property shows its playing state, and cannot be turned off."""
    await set_up_device("xiaoai-speaker")

    state = hass.states.get(SPEAKER)
    assert state.attributes[ATTR_DEVICE_CLASS] == "speaker"
    assert state.state == MediaPlayerState.PAUSED
    features = MediaPlayerEntityFeature(state.attributes[ATTR_SUPPORTED_FEATURES])
    assert MediaPlayerEntityFeature.TURN_OFF not in features
    assert MediaPlayerEntityFeature.SELECT_SOURCE not in features
    assert MediaPlayerEntityFeature.VOLUME_SET in features


async def test_television_turns_off_and_on(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """No power property: off is the TV's turn-off action, on its Bluetooth control's turn-on."""
    await set_up_device("living-room-tv")
    actions = spy_on_actions(sim.devices["living-room-tv"])

    await call(hass, SERVICE_TURN_OFF, TV)
    assert actions == [(*TV_TURN_OFF, [])]
    assert hass.states.get(TV).state == MediaPlayerState.OFF

    await call(hass, SERVICE_TURN_ON, TV)
    assert actions == [(*TV_TURN_OFF, []), (*TV_TURN_ON, [])]
    assert hass.states.get(TV).state == MediaPlayerState.ON


async def test_a_television_back_on_the_network_was_turned_on(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Turned off, the TV leaves the network; answering again, it was turned on by its remote."""
    await set_up_device("living-room-tv")
    device = sim.devices["living-room-tv"]
    await call(hass, SERVICE_TURN_OFF, TV)

    device.apply_faults({"offline": True})
    await next_poll(hass)
    assert hass.states.get(TV).state == STATE_UNAVAILABLE

    device.apply_faults({"offline": False})
    await next_poll(hass)
    assert hass.states.get(TV).state == MediaPlayerState.ON


@pytest.mark.parametrize(
    ("entity_id", "device_id", "volume", "on_device"),
    [(TV, "living-room-tv", TV_VOLUME, 30), (SPEAKER, "xiaoai-speaker", SPEAKER_VOLUME, 60)],
)
async def test_volume_is_set_in_percent_of_the_spec_range(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    *,
    entity_id: str,
    device_id: str,
    volume: tuple[int, int],
    on_device: int,
) -> None:
    """HA's 0..1 volume is the spec's range on the device: 0..50 on the TV, % on the speaker."""
    await set_up_device(device_id)

    await call(hass, SERVICE_VOLUME_SET, entity_id, **{ATTR_MEDIA_VOLUME_LEVEL: 0.6})

    assert sim.devices[device_id].get(*volume) == on_device
    assert hass.states.get(entity_id).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.6


async def test_volume_below_the_speakers_lowest_is_its_lowest(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The speaker's spec starts its volume at 6 %: asked for 0 or 3 %, it goes to 6 %."""
    await set_up_device("xiaoai-speaker")

    for level in (0.0, 0.03):
        await call(hass, SERVICE_VOLUME_SET, SPEAKER, **{ATTR_MEDIA_VOLUME_LEVEL: level})
        assert sim.devices["xiaoai-speaker"].get(*SPEAKER_VOLUME) == 6


async def test_volume_up_and_down_step_by_a_tenth(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """From 25 of 50: up to 30, down twice to 20."""
    await set_up_device("living-room-tv")
    device = sim.devices["living-room-tv"]

    await call(hass, SERVICE_VOLUME_UP, TV)
    assert device.get(*TV_VOLUME) == 30

    await call(hass, SERVICE_VOLUME_DOWN, TV)
    await call(hass, SERVICE_VOLUME_DOWN, TV)
    assert device.get(*TV_VOLUME) == 20
    assert hass.states.get(TV).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.4


@pytest.mark.parametrize(
    ("entity_id", "device_id", "mute"),
    [(TV, "living-room-tv", TV_MUTE), (SPEAKER, "xiaoai-speaker", SPEAKER_MUTE)],
)
async def test_mute_and_unmute(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    *,
    entity_id: str,
    device_id: str,
    mute: tuple[int, int],
) -> None:
    """Mute writes the mute property, and unmute clears it."""
    await set_up_device(device_id)
    device = sim.devices[device_id]

    await call(hass, SERVICE_VOLUME_MUTE, entity_id, **{ATTR_MEDIA_VOLUME_MUTED: True})
    assert device.get(*mute) is True
    assert hass.states.get(entity_id).attributes[ATTR_MEDIA_VOLUME_MUTED] is True

    await call(hass, SERVICE_VOLUME_MUTE, entity_id, **{ATTR_MEDIA_VOLUME_MUTED: False})
    assert device.get(*mute) is False


async def test_source_switches_the_tv_input(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Sources are the spec's input names; "HDMI 2" is input 5."""
    await set_up_device("living-room-tv")

    await call(hass, SERVICE_SELECT_SOURCE, TV, **{ATTR_INPUT_SOURCE: "HDMI 2"})

    assert sim.devices["living-room-tv"].get(*TV_INPUT) == 5
    assert hass.states.get(TV).attributes[ATTR_INPUT_SOURCE] == "HDMI 2"


async def test_a_source_the_tv_lacks_is_refused_with_a_translated_error(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """An unknown source names the ones there are; the input stays."""
    await set_up_device("living-room-tv")

    error = await translated_error(
        call(hass, SERVICE_SELECT_SOURCE, TV, **{ATTR_INPUT_SOURCE: "Chromecast"}),
        ServiceValidationError,
    )

    assert error.translation_key == "invalid_option"
    assert "HDMI 2" in str(error)
    assert sim.devices["living-room-tv"].get(*TV_INPUT) == 4


async def test_play_and_pause(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Play and pause run the speaker's actions; its playing state follows."""
    await set_up_device("xiaoai-speaker")
    device = sim.devices["xiaoai-speaker"]

    await call(hass, SERVICE_MEDIA_PLAY, SPEAKER)
    assert device.get(*SPEAKER_PLAYING) == 1
    assert hass.states.get(SPEAKER).state == MediaPlayerState.PLAYING

    await call(hass, SERVICE_MEDIA_PAUSE, SPEAKER)
    assert device.get(*SPEAKER_PLAYING) == 0
    assert hass.states.get(SPEAKER).state == MediaPlayerState.PAUSED


@pytest.mark.parametrize(
    ("entity_id", "device_id", "services", "expected"),
    [
        # The TV has no playing state: play and pause are its play-control actions 1 and 2.
        (TV, "living-room-tv", (SERVICE_MEDIA_PLAY, SERVICE_MEDIA_PAUSE), (TV_PLAY, TV_PAUSE)),
        (
            SPEAKER,
            "xiaoai-speaker",
            (SERVICE_MEDIA_NEXT_TRACK, SERVICE_MEDIA_PREVIOUS_TRACK),
            ((3, 3), (3, 4)),
        ),
    ],
)
async def test_playback_controls_run_the_spec_actions(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    *,
    entity_id: str,
    device_id: str,
    services: tuple[str, ...],
    expected: tuple[tuple[int, int], ...],
) -> None:
    """Each control reaches the device as its play-control action, without inputs."""
    await set_up_device(device_id)
    actions = spy_on_actions(sim.devices[device_id])

    for service in services:
        await call(hass, service, entity_id)

    assert actions == [(*action, []) for action in expected]


async def test_playback_started_on_the_speaker_shows_at_the_next_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Asked by voice to play music, the speaker plays; HA sees it at its next poll."""
    await set_up_device("xiaoai-speaker")
    device = sim.devices["xiaoai-speaker"]

    device.set(*SPEAKER_PLAYING, 1)
    device.set(*SPEAKER_VOLUME, 70)
    await next_poll(hass)

    state = hass.states.get(SPEAKER)
    assert state.state == MediaPlayerState.PLAYING
    assert state.attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.7


async def test_volume_shows_at_once_and_the_next_poll_confirms_the_device(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A second change within seconds shows its written value until the next poll."""
    await set_up_device("living-room-tv")
    device = sim.devices["living-room-tv"]
    await call(hass, SERVICE_VOLUME_MUTE, TV, **{ATTR_MEDIA_VOLUME_MUTED: False})

    await call(hass, SERVICE_VOLUME_SET, TV, **{ATTR_MEDIA_VOLUME_LEVEL: 0.8})
    assert device.get(*TV_VOLUME) == 40
    device.set(*TV_VOLUME, 10)
    assert hass.states.get(TV).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.8

    await next_poll(hass)
    assert hass.states.get(TV).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.2
