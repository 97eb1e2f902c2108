"""Robot vacuums: start, pause, stop, return to base, locate, suction, and what they are doing."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.vacuum import StateVacuumEntity, VacuumEntityFeature
from homeassistant.components.vacuum.const import VacuumActivity
from homeassistant.const import Platform

from .coordinator import MiotCoordinator
from .entity import XiaomiRoleEntity, invalid_option, set_up_roles
from .errors import exception_handler
from .mapping import RoleItem

PARALLEL_UPDATES = 1

ACTIVITY_WORDS: Final[tuple[tuple[str, VacuumActivity], ...]] = (
    ("error", VacuumActivity.ERROR),
    ("fault", VacuumActivity.ERROR),
    ("go_charging", VacuumActivity.RETURNING),
    ("back", VacuumActivity.RETURNING),
    ("pause", VacuumActivity.PAUSED),
    ("fullcharge", VacuumActivity.DOCKED),
    ("charg", VacuumActivity.DOCKED),
    ("sweep", VacuumActivity.CLEANING),
    ("mop", VacuumActivity.CLEANING),
    ("clean", VacuumActivity.CLEANING),
    ("remote", VacuumActivity.CLEANING),
    ("rfctrl", VacuumActivity.CLEANING),
    ("go_where", VacuumActivity.CLEANING),
    ("idle", VacuumActivity.IDLE),
    ("sleep", VacuumActivity.IDLE),
    ("dormant", VacuumActivity.IDLE),
    ("shutdown", VacuumActivity.IDLE),
    ("updat", VacuumActivity.IDLE),
    ("upgrad", VacuumActivity.IDLE),
)
"""Words in a status value-list name and the activity they mean, the first match winning:
"charging error" is an error, "findchargerpause" a pause, "go charging" a return."""

COMMANDS: Final[dict[str, tuple[str, ...]]] = {
    "start": ("start-sweep",),
    "stop": ("stop-sweeping",),
    "pause": ("pause-sweeping", "pause"),
    "return_to_base": ("start-charge", "start-charging"),
    "locate": ("identify", "find-robot", "position"),
}
"""Each command and the role's actions that do it, the first the spec has being the one."""

FEATURES: Final = {
    "start": VacuumEntityFeature.START,
    "stop": VacuumEntityFeature.STOP,
    "pause": VacuumEntityFeature.PAUSE,
    "return_to_base": VacuumEntityFeature.RETURN_HOME,
    "locate": VacuumEntityFeature.LOCATE,
}


def activity_of(name: str | None) -> VacuumActivity | None:
    """The activity a status name means; None for a name no word explains."""
    if not name:
        return None
    return next((activity for word, activity in ACTIVITY_WORDS if word in name), None)


class XiaomiVacuum(XiaomiRoleEntity, StateVacuumEntity):
    """A robot vacuum whose commands and suction levels come from its spec."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """Find the actions of each command and the suction levels."""
        super().__init__(coordinator, item)
        self._commands = {
            command: action
            for command, actions in COMMANDS.items()
            if (action := next((a for a in actions if a in item.actions), None))
        }
        features = VacuumEntityFeature.STATE
        for command in self._commands:
            features |= FEATURES[command]
        fan = item.prop("fan-speed")
        if fan is not None and fan.writable and fan.value_list:
            features |= VacuumEntityFeature.FAN_SPEED
            self._attr_fan_speed_list = [choice.name for choice in fan.value_list]
        self._attr_supported_features = features
        # Whether an idle vacuum sits on its dock; not taken, so it stays a sensor as well.
        self._charging = coordinator.spec.find("battery", "charging-state")

    @property
    def activity(self) -> VacuumActivity | None:
        """What its status says it is doing; idle on the dock while charging is docked."""
        activity = activity_of(self.choice_name("status"))
        if activity is VacuumActivity.IDLE and self._charging is not None:
            value = self.coordinator.value(self._charging.key)
            choice = None if value is None else self._charging.choice(int(value))
            if choice is not None and choice.name.startswith("charging"):
                return VacuumActivity.DOCKED
        return activity

    @property
    def fan_speed(self) -> str | None:
        """The suction level's name."""
        return self.choice_name("fan-speed")

    @exception_handler
    async def async_start(self) -> None:
        """Start cleaning."""
        await self._command("start", "sweeping")

    @exception_handler
    async def async_stop(self, **kwargs: Any) -> None:
        """Stop cleaning."""
        await self._command("stop", "idle")

    @exception_handler
    async def async_pause(self) -> None:
        """Pause cleaning."""
        await self._command("pause", "paused")

    @exception_handler
    async def async_return_to_base(self, **kwargs: Any) -> None:
        """Go back to the dock."""
        await self._command("return_to_base", "go_charging")

    @exception_handler
    async def async_locate(self, **kwargs: Any) -> None:
        """Make the vacuum say where it is."""
        await self._command("locate", None)

    @exception_handler
    async def async_set_fan_speed(self, fan_speed: str, **kwargs: Any) -> None:
        """Set the suction level by name."""
        level = self.choice_value("fan-speed", fan_speed)
        if level is None:
            raise invalid_option(fan_speed, self.fan_speed_list)
        await self.write({"fan-speed": level})

    async def _command(self, command: str, status: str | None) -> None:
        """Run a command's action; the status it leads to is shown until the next poll."""
        effects = {}
        if status is not None and (value := self.choice_value("status", status)) is not None:
            effects["status"] = value
        await self.act(self._commands.get(command, command), effects)


async_setup_entry = set_up_roles(Platform.VACUUM, XiaomiVacuum)
