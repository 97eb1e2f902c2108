"""Televisions and speakers: power, volume, mute, sources and playback, from the spec.

A television whose spec has no power property (Xiaomi's) is turned off and on by actions; its
power is then what it was last told, until it is unreachable and back again.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.media_player import MediaPlayerDeviceClass, MediaPlayerEntity
from homeassistant.components.media_player.const import MediaPlayerEntityFeature, MediaPlayerState
from homeassistant.const import Platform
from homeassistant.core import callback

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, invalid_option, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem

PARALLEL_UPDATES = 1

PLAYING_STATES: Final = {
    "playing": MediaPlayerState.PLAYING,
    "pause": MediaPlayerState.PAUSED,
    "paused": MediaPlayerState.PAUSED,
}
ACTION_FEATURES: Final = {
    "play": MediaPlayerEntityFeature.PLAY,
    "pause": MediaPlayerEntityFeature.PAUSE,
    "next": MediaPlayerEntityFeature.NEXT_TRACK,
    "previous": MediaPlayerEntityFeature.PREVIOUS_TRACK,
    "turn-off": MediaPlayerEntityFeature.TURN_OFF,
    "turn-on": MediaPlayerEntityFeature.TURN_ON,
}
POWER_ACTIONS: Final = ("turn-off", "turn-on")


class XiaomiMediaPlayer(XiaomiRoleEntity, MediaPlayerEntity):
    """A television or a speaker."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Offer what the spec's properties and actions allow."""
        super().__init__(coordinator, item)
        television = item.role.service == "television"
        self._attr_device_class = (
            MediaPlayerDeviceClass.TV if television else MediaPlayerDeviceClass.SPEAKER
        )
        features = MediaPlayerEntityFeature(0)
        for action, feature in ACTION_FEATURES.items():
            if action in item.actions:
                features |= feature
        if (on := item.prop("on")) and on.writable:
            features |= MediaPlayerEntityFeature.TURN_ON | MediaPlayerEntityFeature.TURN_OFF
        volume = item.prop("volume")
        self._volume_min, self._volume_max = 0, 100.0
        if volume and volume.value_range:
            features |= MediaPlayerEntityFeature.VOLUME_SET | MediaPlayerEntityFeature.VOLUME_STEP
            self._volume_min = int(volume.value_range.min)
            self._volume_max = volume.value_range.max
        if item.prop("mute"):
            features |= MediaPlayerEntityFeature.VOLUME_MUTE
        if source := item.prop("input-control"):
            features |= MediaPlayerEntityFeature.SELECT_SOURCE
            self._sources = {choice.description: choice.value for choice in source.value_list}
            self._attr_source_list = list(self._sources)
        self._attr_supported_features = features
        # Without a power property: whether last turned on; None without power actions.
        self._powered: bool | None = (
            True if any(action in item.actions for action in POWER_ACTIONS) else None
        )
        self._reachable = coordinator.last_update_success

    @property
    def state(self) -> MediaPlayerState | None:
        """Off when powered off; else playing, paused, or on/idle."""
        if self.value("on") is False or (self.role.prop("on") is None and self._powered is False):
            return MediaPlayerState.OFF
        playing = PLAYING_STATES.get(self.choice_name("playing-state") or "")
        if playing:
            return playing
        return (
            MediaPlayerState.ON if self.role.prop("on") or self._powered else MediaPlayerState.IDLE
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        """A TV answering again after it was unreachable was turned on (by its remote)."""
        reachable = self.coordinator.last_update_success
        if reachable and not self._reachable and self._powered is False:
            self._powered = True
        self._reachable = reachable
        super()._handle_coordinator_update()

    @property
    def volume_level(self) -> float | None:
        """Volume on a 0..1 scale."""
        value = self.value("volume")
        return None if value is None else float(value) / self._volume_max

    @property
    def is_volume_muted(self) -> bool | None:
        """Whether it is muted."""
        value = self.value("mute")
        return None if value is None else bool(value)

    @property
    def source(self) -> str | None:
        """The input source."""
        prop = self.role.prop("input-control")
        value = self.value("input-control")
        choice = None if prop is None or value is None else prop.choice(int(value))
        return choice.description if choice else None

    @exception_handler
    async def async_turn_on(self) -> None:
        """Power on, by property where it is writable, else by action."""
        await self._power(on=True)

    @exception_handler
    async def async_turn_off(self) -> None:
        """Power off, by property where it is writable, else by action."""
        await self._power(on=False)

    async def _power(self, *, on: bool) -> None:
        if (power := self.role.prop("on")) and power.writable:
            await self.write({"on": on})
            return
        await self.act("turn-on" if on else "turn-off", {"on": on})
        if self._powered is not None:
            self._powered = on
            self.async_write_ha_state()

    @exception_handler
    async def async_set_volume_level(self, volume: float) -> None:
        """Set the volume; below the spec's lowest step (a speaker's 6 %), its lowest."""
        await self.write({"volume": max(self._volume_min, round(volume * self._volume_max))})

    @exception_handler
    async def async_mute_volume(self, mute: bool) -> None:
        """Mute or unmute."""
        await self.write({"mute": mute})

    @exception_handler
    async def async_select_source(self, source: str) -> None:
        """Switch the input source."""
        if source not in self._sources:
            raise invalid_option(source, self._sources)
        await self.write({"input-control": self._sources[source]})

    @exception_handler
    async def async_media_play(self) -> None:
        """Play."""
        await self.act("play", self._playing_effect("playing"))

    @exception_handler
    async def async_media_pause(self) -> None:
        """Pause."""
        await self.act("pause", self._playing_effect("pause"))

    @exception_handler
    async def async_media_next_track(self) -> None:
        """Next track or channel."""
        await self.act("next")

    @exception_handler
    async def async_media_previous_track(self) -> None:
        """Previous track or channel."""
        await self.act("previous")

    def _playing_effect(self, name: str) -> dict[str, int]:
        value = self.choice_value("playing-state", name)
        return {} if value is None else {"playing-state": value}


async_setup_entry = set_up_roles(Platform.MEDIA_PLAYER, XiaomiMediaPlayer)
"""Add a media player for each television or speaker service."""
