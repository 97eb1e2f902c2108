"""TVs and speakers: volume, mute, playback, source, and a speaker saying a text."""

from __future__ import annotations

from typing import Final

from homeassistant.components.media_player.const import MediaPlayerEntityFeature
from homeassistant.const import ATTR_SUPPORTED_FEATURES
from homeassistant.core import State
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent

from ..const import DOMAIN, SERVICE_SPEAK  # noqa: TID252
from .handling import Act, call, names, number, slot, slot_text, targets
from .responses import Responses

VOLUME_STEP: Final = 0.1
PLAYBACK: Final = {
    "pause": ("media_pause", MediaPlayerEntityFeature.PAUSE, "media_pause"),
    "resume": ("media_play", MediaPlayerEntityFeature.PLAY, "media_resume"),
    "next": ("media_next_track", MediaPlayerEntityFeature.NEXT_TRACK, "media_next"),
    "previous": ("media_previous_track", MediaPlayerEntityFeature.PREVIOUS_TRACK, "media_previous"),
}
"""A spoken playback command: its service, the feature it needs, its answer."""


def media_targets(intent_obj: intent.Intent) -> list[State]:
    """The players named, else the one playing (or the first)."""
    states = targets(intent_obj, ["media_player"])
    if slot(intent_obj, "name") is None and slot(intent_obj, "area") is None:
        playing = [s for s in states if s.state in ("on", "playing")]
        states = playing[:1] or states[:1]
    return states


def _supports(state: State, feature: MediaPlayerEntityFeature) -> bool:
    return bool(int(state.attributes.get(ATTR_SUPPORTED_FEATURES) or 0) & feature)


async def _set_volume(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = media_targets(intent_obj)
    level = float(slot(intent_obj, "volume"))
    await call(intent_obj.hass, "media_player", "volume_set", states, volume_level=level / 100)
    return responses.render("volume", name=names(states), value=level)


async def _volume_step(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    states = media_targets(intent_obj)
    sign = 1 if slot(intent_obj, "direction") == "up" else -1
    level = 0.0
    for state in states:
        current = number(state, "volume_level") or 0.0
        level = round(max(0.0, min(1.0, current + sign * VOLUME_STEP)), 2)
        await call(intent_obj.hass, "media_player", "volume_set", [state], volume_level=level)
    return responses.render("volume", name=names(states), value=round(level * 100))


async def _speak(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Make a Xiao Ai speaker say a sentence: the speak action finds its spec's play-text."""
    hass = intent_obj.hass
    states = targets(intent_obj, ["media_player"])
    speakers = [s for s in states if s.attributes.get("device_class") == "speaker"]
    states = (speakers or states)[:1]
    message = str(slot_text(intent_obj, "message") or "").strip()
    entry = er.async_get(hass).async_get(states[0].entity_id)
    if entry is None or entry.device_id is None or entry.platform != DOMAIN:
        return responses.render("no_target")
    await hass.services.async_call(
        DOMAIN, SERVICE_SPEAK, {"device_id": entry.device_id, "text": message}, blocking=True
    )
    return responses.render("speak", name=states[0].name, value=message)


async def _playback(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Pause, resume, next, previous: only on players that can."""
    states = media_targets(intent_obj)
    service, feature, key = PLAYBACK[str(slot(intent_obj, "command"))]
    able = [state for state in states if _supports(state, feature)]
    if not able:
        return responses.render("not_supported", name=names(states))
    await call(intent_obj.hass, "media_player", service, able)
    return responses.render(key, name=names(able))


async def _mute(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Mute or unmute."""
    states = media_targets(intent_obj)
    able = [state for state in states if _supports(state, MediaPlayerEntityFeature.VOLUME_MUTE)]
    if not able:
        return responses.render("not_supported", name=names(states))
    mute = slot(intent_obj, "state") != "off"
    await call(intent_obj.hass, "media_player", "volume_mute", able, is_volume_muted=mute)
    return responses.render("muted" if mute else "unmuted", name=names(able))


async def _source(
    intent_obj: intent.Intent, responses: Responses, response: intent.IntentResponse
) -> str:
    """Switch a player to one of its sources."""
    wanted = str(slot(intent_obj, "source")).casefold()
    states = targets(intent_obj, ["media_player"])
    for state in states:
        for source in state.attributes.get("source_list") or ():
            if str(source).casefold() == wanted:
                await call(intent_obj.hass, "media_player", "select_source", [state], source=source)
                return responses.render("source", name=state.name, value=source)
    return responses.render("not_supported", name=names(states))


HANDLERS: Final[dict[str, Act]] = {
    "XiaomiAiotSetVolume": _set_volume,
    "XiaomiAiotVolumeStep": _volume_step,
    "XiaomiAiotSpeak": _speak,
    "XiaomiAiotPlayback": _playback,
    "XiaomiAiotMute": _mute,
    "XiaomiAiotSource": _source,
}
