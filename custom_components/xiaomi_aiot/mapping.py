"""What a device's spec becomes in Home Assistant: declarative tables, no per-model code.

A spec's services are matched against `ROLES`: a light service makes a light entity, an
air-conditioner service a climate entity, a location service a device tracker, and so on; each
role names the properties and actions its entity represents. A role entity whose service is
what the device is (an air conditioner's air-conditioner service) carries the device's name;
one that is a part of the device (a car's lock, its cabin climate) is named by its translation
key. Every other property becomes a generic entity chosen by its format and access (sensor,
binary sensor, switch, number, select), every other action without inputs a button, and every
event an event entity. `TRAITS` adds what the spec cannot say: translation keys, device and
state classes, categories, and what is disabled by default.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from typing import Final

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    DEGREE,
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfPressure,
    UnitOfSpeed,
    UnitOfTemperature,
    UnitOfTime,
)

from .miot.spec import INTEGER_BOUNDS, MiotAction, MiotEvent, MiotProperty, MiotSpec, Value

type SpecName = tuple[str, str]
"""(service name, element name) as in the spec's type URNs."""


@dataclass(frozen=True, kw_only=True)
class Role:
    """A service that becomes one rich entity, and the spec elements that entity represents."""

    platform: Platform
    service: str
    translation_key: str
    properties: tuple[SpecName, ...]
    actions: tuple[SpecName, ...] = ()
    needs_action: bool = False
    """Whether the entity exists only where the spec has one of the actions (a lock that can
    lock or unlock); without them, the service's properties are generic entities."""
    required: tuple[str, ...] = ()
    """Names of `properties` the entity cannot be without (a light's on): a service lacking
    one (a gateway's light whose power has iid 0) makes generic entities instead."""
    main_for: frozenset[str] = frozenset()
    """Device types, beside the service's own, that the entity is: it carries their name."""
    stand_ins: tuple[tuple[SpecName, str], ...] = ()
    """Properties taken, under a role property's name, only where the spec lacks that one: a
    humidifier without a mode list offers its fan levels as its modes."""
    not_on: frozenset[str] = frozenset()
    """Device types where the service is a part that is no such entity (a vacuum's voice
    prompts are no media player): there its properties stay generic entities."""


PLAYBACK_ACTIONS: Final = tuple(
    ("play-control", name) for name in ("play", "pause", "next", "previous")
)
ROLES: Final = (
    Role(
        platform=Platform.LIGHT,
        service="light",
        translation_key="light",
        properties=tuple(
            ("light", name) for name in ("on", "brightness", "color-temperature", "color", "mode")
        ),
        actions=(("light", "toggle"),),
        required=("on",),
    ),
    Role(
        platform=Platform.CLIMATE,
        service="air-conditioner",
        translation_key="air_conditioner",
        properties=(
            ("air-conditioner", "on"),
            ("air-conditioner", "mode"),
            ("air-conditioner", "target-temperature"),
            ("fan-control", "fan-level"),
            ("fan-control", "vertical-swing"),
            ("fan-control", "horizontal-swing"),
        ),
    ),
    # A television's speaker is part of the television, so it comes before "speaker".
    Role(
        platform=Platform.MEDIA_PLAYER,
        service="television",
        translation_key="television",
        properties=(
            ("television", "on"),
            ("television", "input-control"),
            ("speaker", "volume"),
            ("speaker", "mute"),
            ("play-control", "playing-state"),
        ),
        # Xiaomi's TVs have no power property: off by an action, on (where they can be) by
        # their Bluetooth control service's.
        actions=(("television", "turn-off"), ("ble-control", "turn-on"), *PLAYBACK_ACTIONS),
    ),
    Role(
        platform=Platform.MEDIA_PLAYER,
        service="speaker",
        translation_key="speaker",
        properties=(
            ("speaker", "volume"),
            ("speaker", "mute"),
            ("play-control", "playing-state"),
        ),
        actions=PLAYBACK_ACTIONS,
        not_on=frozenset({"vacuum"}),
    ),
    # Curtains and airers are driven by a write-only motor-control property: its value list
    # holds the open / close / pause commands.
    *(
        Role(
            platform=Platform.COVER,
            service=service,
            translation_key=service,
            properties=tuple(
                (service, name)
                for name in ("motor-control", "current-position", "target-position", "status")
            ),
        )
        for service in ("curtain", "airer")
    ),
    Role(
        platform=Platform.VACUUM,
        service="vacuum",
        translation_key="vacuum",
        properties=(("vacuum", "status"),),
        actions=(
            ("vacuum", "start-sweep"),
            ("vacuum", "stop-sweeping"),
            ("vacuum", "pause-sweeping"),
            ("custom", "pause"),
            ("vacuum", "start-charge"),
            ("battery", "start-charge"),
            ("go-charging", "start-charging"),
            ("identify", "identify"),
            ("custom", "find-robot"),
            ("audio", "position"),
        ),
        # The suction, the first the spec has: where the vacuum service has a fan level, its
        # mode is a cleaning mode.
        stand_ins=tuple(
            (candidate, "fan-speed")
            for candidate in (
                ("vacuum", "fan-level"),
                ("sweep", "suction-state"),
                ("vacuum", "mode"),
                ("clean", "mode"),
            )
        ),
    ),
    Role(
        platform=Platform.LOCK,
        service="lock",
        translation_key="lock",
        properties=(("lock", "status"),),
        actions=(("lock", "lock"), ("lock", "unlock")),
        # Xiaomi's door locks report their status and operations but have no action to lock
        # or unlock: no lock entity offers what they cannot do. The car has both.
        needs_action=True,
    ),
    Role(
        platform=Platform.WATER_HEATER,
        service="water-heater",
        translation_key="water_heater",
        properties=tuple(
            ("water-heater", name) for name in ("on", "target-temperature", "temperature", "mode")
        ),
    ),
    # Space heaters: on/off and a target temperature; the room's temperature comes from the
    # environment service.
    Role(
        platform=Platform.CLIMATE,
        service="heater",
        translation_key="heater",
        properties=(
            ("heater", "on"),
            ("heater", "mode"),
            ("heater", "target-temperature"),
            ("fan-control", "fan-level"),
        ),
    ),
    # A bath heater has no power switch: its mode list says idle, dry or heat. Its light is a
    # light of its own.
    Role(
        platform=Platform.CLIMATE,
        service="ptc-bath-heater",
        translation_key="bath_heater",
        main_for=frozenset({"bath-heater"}),
        properties=(
            ("ptc-bath-heater", "mode"),
            ("ptc-bath-heater", "target-temperature"),
        ),
    ),
    # Fans and air purifiers: speed as a percentage of a stepless speed (a range), else of the
    # fan levels; presets from the mode list. A fan's motor-control is a pair of buttons.
    Role(
        platform=Platform.FAN,
        service="fan",
        translation_key="fan",
        properties=tuple(
            ("fan", name) for name in ("on", "fan-level", "speed-level", "mode", "horizontal-swing")
        ),
        actions=(("fan", "toggle"),),
        required=("on",),
        stand_ins=(
            (("custom-service", "speed-level"), "speed-level"),
            (("custom-service", "stepless-fan-level"), "speed-level"),
        ),
    ),
    Role(
        platform=Platform.FAN,
        service="air-purifier",
        translation_key="air_purifier",
        properties=tuple(
            ("air-purifier", name) for name in ("on", "fan-level", "speed-level", "mode")
        ),
        actions=(("air-purifier", "toggle"),),
        required=("on",),
    ),
    # Humidifiers and dehumidifiers: their modes from the mode list, else from the fan levels.
    *(
        Role(
            platform=Platform.HUMIDIFIER,
            service=service,
            translation_key=service,
            properties=tuple((service, name) for name in ("on", "target-humidity", "mode")),
            actions=((service, "toggle"),),
            required=("on",),
            stand_ins=(((service, "fan-level"), "mode"),),
        )
        for service in ("humidifier", "dehumidifier")
    ),
    # A car's climate: on/off and a target temperature, without a mode list.
    Role(
        platform=Platform.CLIMATE,
        service="cabin-climate",
        translation_key="cabin_climate",
        properties=(("cabin-climate", "on"), ("cabin-climate", "target-temperature")),
    ),
    Role(
        platform=Platform.DEVICE_TRACKER,
        service="location",
        translation_key="location",
        properties=(
            ("location", "latitude"),
            ("location", "longitude"),
            ("location", "accuracy"),
        ),
    ),
)


class Datum(StrEnum):
    """The geodetic datum of a device's positions."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    """China's datum: WGS-84 with a deliberate non-linear offset, required of maps there."""


DATUMS: Final[dict[str, Datum]] = {"vehicle": Datum.GCJ02, "phone": Datum.GCJ02}
"""Device types whose positions are not WGS-84: Xiaomi's cars and phones report GCJ-02."""


@dataclass(frozen=True, kw_only=True)
class Traits:
    """What Home Assistant needs to know about a spec element beyond the spec itself."""

    translation_key: str | None = None
    device_class: SensorDeviceClass | BinarySensorDeviceClass | None = None
    """A sensor's class for a number or enumeration, a binary sensor's for a two-state value."""
    state_class: SensorStateClass | None = None
    category: EntityCategory | None = None
    enabled: bool = True


WHEELS: Final = ("front-left", "front-right", "rear-left", "rear-right")
"""The corners of a car, as its doors' and tyres' property names begin."""

TRAITS: Final[dict[SpecName, Traits]] = {
    # Real air conditioners publish their fault as text (xiaomi.aircondition.ma2) as often as
    # a value list; a value list makes an enumeration by itself.
    ("air-conditioner", "fault"): Traits(
        translation_key="fault", category=EntityCategory.DIAGNOSTIC
    ),
    ("air-conditioner", "eco"): Traits(translation_key="eco"),
    ("air-conditioner", "heater"): Traits(translation_key="heater"),
    ("air-conditioner", "dryer"): Traits(translation_key="dryer"),
    ("air-conditioner", "sleep-mode"): Traits(translation_key="sleep_mode"),
    ("air-conditioner", "soft-wind"): Traits(translation_key="soft_wind"),
    ("heater", "fault"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC),
    ("water-heater", "fault"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC),
    ("water-heater", "status"): Traits(translation_key="water_heater_status"),
    ("motion-sensor", "no-motion-duration"): Traits(translation_key="no_motion_duration"),
    # A bath heater's functions, each a switch beside its climate entity's modes.
    ("ptc-bath-heater", "heating"): Traits(translation_key="heating"),
    ("ptc-bath-heater", "blow"): Traits(translation_key="blow"),
    ("ptc-bath-heater", "ventilation"): Traits(translation_key="ventilation"),
    ("ptc-bath-heater", "stop-working"): Traits(translation_key="stop_working"),
    ("ptc-bath-heater", "temperature"): Traits(
        device_class=SensorDeviceClass.TEMPERATURE, state_class=SensorStateClass.MEASUREMENT
    ),
    ("indicator-light", "on"): Traits(
        translation_key="indicator_light", category=EntityCategory.CONFIG, enabled=False
    ),
    ("alarm", "alarm"): Traits(
        translation_key="beep", category=EntityCategory.CONFIG, enabled=False
    ),
    ("physical-controls-locked", "physical-controls-locked"): Traits(
        translation_key="child_lock", category=EntityCategory.CONFIG
    ),
    ("environment", "temperature"): Traits(
        device_class=SensorDeviceClass.TEMPERATURE, state_class=SensorStateClass.MEASUREMENT
    ),
    ("environment", "relative-humidity"): Traits(
        device_class=SensorDeviceClass.HUMIDITY, state_class=SensorStateClass.MEASUREMENT
    ),
    ("power-consumption", "power-consumption"): Traits(
        device_class=SensorDeviceClass.ENERGY, state_class=SensorStateClass.TOTAL_INCREASING
    ),
    ("door", "status"): Traits(translation_key="door_status", device_class=SensorDeviceClass.ENUM),
    ("door", "exception-occurred"): Traits(translation_key="door_event"),
    ("lock", "status"): Traits(translation_key="lock_status"),
    ("battery", "battery-level"): Traits(
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        category=EntityCategory.DIAGNOSTIC,
    ),
    ("intelligent-speaker", "wake-up"): Traits(translation_key="wake_up"),
    # Yeelight's relative steps: -100..100 % of brightness or colour temperature at once.
    # Home Assistant's own brightness step does the first from the light entity.
    **{
        (service, f"{quantity}-delta"): Traits(translation_key=f"{key}_step", enabled=False)
        for service in ("light-extension", "yeelight")
        for quantity, key in (("brightness", "brightness"), ("ct", "color_temperature"))
    },
    ("intelligent-speaker", "play-music"): Traits(translation_key="play_music"),
    ("intelligent-speaker", "play-radio"): Traits(translation_key="play_radio"),
    ("microphone", "mute"): Traits(translation_key="microphone_mute"),
    ("clock", "stop-alarm"): Traits(translation_key="stop_alarm"),
    ("lock", "lock-event"): Traits(translation_key="lock_event"),
    ("lock", "lock-opened"): Traits(translation_key="lock_opened"),
    ("lock", "exception-occurred"): Traits(translation_key="lock_alarm"),
    ("lock", "lock-locked"): Traits(translation_key="lock_locked"),
    ("lock", "back-locking"): Traits(translation_key="back_locking"),
    ("battery", "low-battery"): Traits(translation_key="low_battery"),
    ("door", "door-knocked"): Traits(translation_key="door_knocked"),
    # A lock's door-state is the lock's: locked, unlocked, left open (lumi.lock.mcn002).
    ("door", "door-state"): Traits(translation_key="door_lock_state"),
    ("doorbell", "doorbell-ring"): Traits(translation_key="doorbell"),
    ("magnet-sensor", "open"): Traits(translation_key="door_opened"),
    ("magnet-sensor", "close"): Traits(translation_key="door_closed"),
    ("magnet-sensor", "door-not-closed"): Traits(translation_key="door_left_open"),
    ("switch-sensor", "click"): Traits(translation_key="click"),
    ("switch-sensor", "double-click"): Traits(translation_key="double_click"),
    ("switch-sensor", "long-press"): Traits(translation_key="long_press"),
    # Fans, air purifiers, humidifiers and dehumidifiers: what their own entity leaves over.
    **{
        (service, "fault"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC)
        for service in ("fan", "air-purifier", "humidifier", "dehumidifier", "motor-controller")
    },
    **{
        (service, name): Traits(translation_key="off_delay", category=EntityCategory.CONFIG)
        for service, name in (
            ("fan", "off-delay-time"),
            ("fan", "off-delay"),
            ("off-delay-time", "off-delay-time"),
            ("countdown", "countdown-time"),
        )
    },
    # How wide a fan swings; dmaker.fan.p5 has both, its horizontal angle a write-only nudge.
    ("fan", "horizontal-swing-included-angle"): Traits(
        translation_key="swing_angle", category=EntityCategory.CONFIG
    ),
    ("fan", "horizontal-angle"): Traits(
        translation_key="horizontal_angle", category=EntityCategory.CONFIG
    ),
    ("fan", "vertical-swing"): Traits(translation_key="vertical_swing"),
    ("fan", "vertical-angle"): Traits(
        translation_key="vertical_swing_angle", category=EntityCategory.CONFIG
    ),
    ("fan", "status"): Traits(
        translation_key="status", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    # Fans keep their beep and indicator light in the fan service.
    ("fan", "alarm"): Traits(translation_key="beep", category=EntityCategory.CONFIG, enabled=False),
    ("fan", "brightness"): Traits(
        translation_key="indicator_light", category=EntityCategory.CONFIG, enabled=False
    ),
    **{
        (service, "anion"): Traits(translation_key="ionizer") for service in ("fan", "air-purifier")
    },
    ("indicator-light", "brightness"): Traits(
        translation_key="indicator_brightness", category=EntityCategory.CONFIG
    ),
    ("screen", "brightness"): Traits(
        translation_key="screen_brightness", category=EntityCategory.CONFIG
    ),
    ("physical-controls-locked", "current-physical-control-lock"): Traits(
        category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    ("filter", "filter-life-level"): Traits(
        translation_key="filter_life", state_class=SensorStateClass.MEASUREMENT
    ),
    ("filter", "filter-left-time"): Traits(
        translation_key="filter_left_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("filter", "filter-used-time"): Traits(
        translation_key="filter_used_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    ("filter", "reset-filter-life"): Traits(
        translation_key="filter_reset", category=EntityCategory.CONFIG
    ),
    ("humidifier", "water-level"): Traits(
        translation_key="water_level", state_class=SensorStateClass.MEASUREMENT
    ),
    ("humidifier", "dry"): Traits(translation_key="dry"),
    ("humidifier", "low-water-level"): Traits(translation_key="low_water"),
    **{
        (service, "fan-level"): Traits(translation_key="fan_level")
        for service in ("humidifier", "dehumidifier")
    },
    # A stepless motor speed beside the fan levels, a humidifier's operating time, buttons
    # pressed on the device, a Fahrenheit copy of the temperature: for the curious.
    **{
        element: Traits(category=EntityCategory.DIAGNOSTIC, enabled=False)
        for element in (
            ("humidifier", "speed-level"),
            ("humidifier", "use-time"),
            ("humidifier", "button-pressed"),
            ("environment", "fahrenheit"),
            ("button", "button-pressed"),
            ("button", "toggle"),
            ("button", "toggle-mode"),
            ("button", "child-lock-trigger"),
            ("button", "cild-lock-trigger"),
        )
    },
    ("custom", "water-shortage-fault"): Traits(
        translation_key="water_shortage", device_class=BinarySensorDeviceClass.PROBLEM
    ),
    ("custom", "the-tank-filed"): Traits(
        translation_key="water_tank", category=EntityCategory.DIAGNOSTIC
    ),
    ("custom-service", "favorite-level"): Traits(
        translation_key="favorite_level", category=EntityCategory.CONFIG
    ),
    # The car.
    ("vehicle", "driving-range"): Traits(
        translation_key="driving_range",
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("vehicle", "odometer"): Traits(
        translation_key="odometer",
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    ("vehicle", "flash-lights"): Traits(translation_key="flash_lights"),
    ("vehicle", "find-car"): Traits(translation_key="find_car"),
    ("charging", "charging-state"): Traits(
        translation_key="charging_state", device_class=SensorDeviceClass.ENUM
    ),
    ("charging", "charging-power"): Traits(
        translation_key="charging_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("charging", "time-to-full"): Traits(
        translation_key="time_to_full", device_class=SensorDeviceClass.DURATION
    ),
    ("charging", "charge-limit"): Traits(
        translation_key="charge_limit", device_class=SensorDeviceClass.BATTERY
    ),
    ("charging", "plug-connected"): Traits(
        translation_key="charging_plug", device_class=BinarySensorDeviceClass.PLUG
    ),
    **{
        ("doors", f"{door}-door-open"): Traits(
            translation_key=f"{door.replace('-', '_')}_door",
            device_class=BinarySensorDeviceClass.DOOR,
        )
        for door in WHEELS
    },
    ("doors", "trunk-open"): Traits(
        translation_key="trunk", device_class=BinarySensorDeviceClass.OPENING
    ),
    ("doors", "windows-open"): Traits(
        translation_key="windows", device_class=BinarySensorDeviceClass.WINDOW
    ),
    ("cabin-climate", "temperature"): Traits(
        translation_key="cabin_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    **{
        ("tyres", f"{wheel}-pressure"): Traits(
            translation_key=f"{wheel.replace('-', '_')}_tire_pressure",
            device_class=SensorDeviceClass.PRESSURE,
            state_class=SensorStateClass.MEASUREMENT,
        )
        for wheel in WHEELS
    },
    # Polled every half minute, a car's heading and speed are a rough trace, not a live gauge.
    # No state class for the heading: the mean of 359° and 1° is not 180°.
    ("location", "heading"): Traits(
        translation_key="heading", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    ("location", "speed"): Traits(
        device_class=SensorDeviceClass.SPEED,
        state_class=SensorStateClass.MEASUREMENT,
        category=EntityCategory.DIAGNOSTIC,
    ),
    # People: phones and wearables.
    ("battery", "charging-state"): Traits(
        translation_key="charging_state", device_class=SensorDeviceClass.ENUM
    ),
    ("phone", "ring-phone"): Traits(translation_key="ring_phone"),
    # A daily count that starts again at midnight: a decrease is a reset.
    ("activity", "step-count"): Traits(
        translation_key="steps", state_class=SensorStateClass.TOTAL_INCREASING
    ),
    ("health", "heart-rate"): Traits(
        translation_key="heart_rate", state_class=SensorStateClass.MEASUREMENT
    ),
    ("health", "spo2"): Traits(
        translation_key="blood_oxygen", state_class=SensorStateClass.MEASUREMENT
    ),
    ("sleep", "sleep-duration"): Traits(
        translation_key="sleep_duration",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("wearing", "worn"): Traits(translation_key="worn"),
}

VENDOR_SERVICES: Final = frozenset(
    {
        "aqi",
        "custom-service",
        "dm",
        "filter-time",
        "motor-speed",
        "other",
        "others",
        "rfid",
        "use-time",
    }
)
"""Vendors' own services of maintenance data and factory settings (a purifier's motor speeds
per level, air-quality sampling state, RFID of its filter, reboot causes): their elements are
diagnostic and disabled by default, unless `TRAITS` names them."""

VENDOR_TRAITS: Final = Traits(category=EntityCategory.DIAGNOSTIC, enabled=False)

_RARE_SETTING: Final = Traits(category=EntityCategory.CONFIG, enabled=False)

CONSUMABLES: Final = (
    ("brush-cleaner", "brush-life-level", "brush-left-time", "brush"),
    ("filter", "filter-life-level", "filter-left-time", "filter"),
    ("sweep", "side-brush-life", "side-brush-hours", "side_brush"),
    ("sweep", "main-brush-life", "main-brush-hours", "main_brush"),
    ("sweep", "hypa-life", "hypa-hours", "filter"),
    ("sweep", "mop-life", "mop-hours", "mop"),
)
"""A vacuum's consumables: (service, life left in %, time left, the consumable's key)."""


def _consumable_traits() -> dict[SpecName, Traits]:
    """Each consumable's life and time left, as diagnostics named by the consumable."""
    found: dict[SpecName, Traits] = {}
    for service, life, left, key in CONSUMABLES:
        found[service, life] = Traits(
            translation_key=f"{key}_life",
            state_class=SensorStateClass.MEASUREMENT,
            category=EntityCategory.DIAGNOSTIC,
        )
        found[service, left] = Traits(
            translation_key=f"{key}_left_time",
            device_class=SensorDeviceClass.DURATION,
            state_class=SensorStateClass.MEASUREMENT,
            category=EntityCategory.DIAGNOSTIC,
        )
    return found


VACUUM_TRAITS: Final[dict[SpecName, Traits]] = {
    ("vacuum", "fault"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC),
    **_consumable_traits(),
    ("brush-cleaner", "reset-brush-life"): Traits(
        translation_key="reset_brush_life", category=EntityCategory.CONFIG
    ),
    ("filter", "reset-filter-life"): Traits(
        translation_key="reset_filter_life", category=EntityCategory.CONFIG
    ),
    ("vacuum", "mode"): Traits(translation_key="cleaning_mode"),
    ("vacuum", "sweep-type"): Traits(translation_key="sweep_type"),
    ("vacuum", "target-water-level"): Traits(translation_key="water_level"),
    ("vacuum", "start-mop"): Traits(translation_key="start_mop"),
    ("vacuum", "start-sweep-mop"): Traits(translation_key="start_sweep_mop"),
    ("vacuum", "start-only-sweep"): Traits(translation_key="start_only_sweep"),
    ("speaker", "volume"): Traits(translation_key="voice_volume", category=EntityCategory.CONFIG),
    ("speaker", "mute"): Traits(translation_key="voice_mute", category=EntityCategory.CONFIG),
    ("alarm", "volume"): Traits(translation_key="voice_volume", category=EntityCategory.CONFIG),
    ("audio", "volume"): Traits(translation_key="voice_volume", category=EntityCategory.CONFIG),
    ("audio", "play-sound"): _RARE_SETTING,
    ("do-not-disturb", "enable"): Traits(
        translation_key="do_not_disturb", category=EntityCategory.CONFIG
    ),
    ("language", "not-disturb-switch"): Traits(
        translation_key="do_not_disturb", category=EntityCategory.CONFIG
    ),
    ("language", "language"): replace(_RARE_SETTING, translation_key="voice_language"),
    **{
        (service, name): Traits(category=EntityCategory.DIAGNOSTIC, enabled=False)
        for service, name in (
            ("clean-logs", "first-clean-time"),
            ("clean-logs", "total-clean-time"),
            ("clean-logs", "total-clean-times"),
            ("clean-logs", "total-clean-area"),
            ("clean", "total-clean-time"),
            ("clean", "total-clean-times"),
            ("clean", "total-clean-area"),
            ("clean", "clean-log-start-time"),
            ("clean", "button-led"),
            ("clean", "work-mode"),
            ("vacuum-extend", "work-mode"),
            ("vacuum-extend", "task-status"),
            ("vacuum-extend", "serial-number"),
            ("vacuum-extend", "nation-matched"),
            ("vacuum-extend", "relocation-status"),
            ("vacuum-extend", "keep-sweeper-time"),
            ("vacuum-extend", "faults"),
            ("clean-record", "total-clean-area"),
            ("clean-record", "total-clean-time"),
            ("clean-record", "total-clean-count"),
            ("custom", "total-clean-time"),
            ("custom", "total-clean-areas"),
            ("custom", "clean-counts"),
            ("custom", "uid"),
            ("custom", "station-type"),
            ("custom", "voice-conf"),
            ("custom", "current-audio"),
            ("custom", "progress"),
            ("time", "time-zone"),
            ("map", "mult-map-info"),
            ("map", "map-view"),
        )
    },
}
"""A robot vacuum's other entities: consumables are diagnostics, resets and settings are
configuration, and its logs and internals are disabled until someone wants them."""

_CURTAIN_TRAITS: Final[dict[SpecName, Traits]] = {
    (service, name): traits
    for service in ("curtain", "airer")
    for name, traits in (
        ("fault", Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC)),
        ("mode", _RARE_SETTING),
        ("motor-reverse", replace(_RARE_SETTING, translation_key="motor_reverse")),
    )
} | {
    # Aqara's curtain settings: calibration-like switches set once at installation.
    ("curtain-cfg", "manual-enabled"): Traits(category=EntityCategory.CONFIG),
    ("curtain-cfg", "polarity"): _RARE_SETTING,
    ("curtain-cfg", "pos-limit"): _RARE_SETTING,
    ("curtain-cfg", "en-night-tip-light"): _RARE_SETTING,
    ("curtain-cfg", "run-time"): Traits(category=EntityCategory.DIAGNOSTIC, enabled=False),
}

DEVICE_TRAITS: Final[dict[tuple[str, SpecName], Traits]] = {
    **{
        (device_type, ("battery", "battery-level")): Traits(
            device_class=SensorDeviceClass.BATTERY, state_class=SensorStateClass.MEASUREMENT
        )
        for device_type in ("vehicle", "phone", "watch", "vacuum")
    },
    **{("vacuum", name): traits for name, traits in VACUUM_TRAITS.items()},
    **{
        (device_type, name): traits
        for device_type in ("curtain", "airer")
        for name, traits in _CURTAIN_TRAITS.items()
    },
}
"""Traits that depend on the device type, by (device type, spec name); they win over `TRAITS`.

A lock's battery is maintenance, a diagnostic; a car's, a phone's or a watch's is what its
owner looks at first.
"""

_INTERNALS: Final = Traits(category=EntityCategory.DIAGNOSTIC, enabled=False)

SERVICE_TRAITS: Final[dict[tuple[str, str], Traits]] = {
    **{
        ("vacuum", service): _INTERNALS
        for service in (
            "map",
            "order",
            "point-zone",
            "language",
            "remote",
            "remote-control",
            "time",
            "generic-rpc",
            "warn",
            "consumable",
            "vslam-extend",
            "robot-config",
        )
    },
    ("vacuum", "disturb"): _RARE_SETTING,
    ("vacuum", "annoy"): _RARE_SETTING,
    ("vacuum", "clean-logs"): Traits(category=EntityCategory.DIAGNOSTIC),
    ("vacuum", "clean-record"): Traits(category=EntityCategory.DIAGNOSTIC),
}
"""Traits of every element of a service the tables do not name, by (device type, service): a
robot vacuum's maps, schedules, remote control and voice downloads are its app's business."""


@dataclass(frozen=True, kw_only=True)
class TwoStates:
    """A read-only property that is a two-state sensor: its device class, and what means on."""

    device_class: BinarySensorDeviceClass
    on: frozenset[str | bool] = frozenset({True})
    """The values that mean on: value-list names, or True / False for a boolean."""


TWO_STATES: Final[dict[SpecName, TwoStates]] = {
    # A magnet in contact with its sensor is a closed door: contact is "off" for HA's door.
    ("magnet-sensor", "contact-state"): TwoStates(
        device_class=BinarySensorDeviceClass.DOOR, on=frozenset({False})
    ),
    ("motion-sensor", "motion-state"): TwoStates(device_class=BinarySensorDeviceClass.MOTION),
    ("magnet-sensor", "illumination"): TwoStates(
        device_class=BinarySensorDeviceClass.LIGHT, on=frozenset({"strong"})
    ),
    ("motion-sensor", "illumination"): TwoStates(
        device_class=BinarySensorDeviceClass.LIGHT, on=frozenset({"strong"})
    ),
    # A smoke sensor's "busy" is its alarm.
    ("smoke-sensor", "status"): TwoStates(
        device_class=BinarySensorDeviceClass.SMOKE, on=frozenset({"busy"})
    ),
    ("washer", "door-state"): TwoStates(
        device_class=BinarySensorDeviceClass.DOOR, on=frozenset({"open"})
    ),
    ("battery-service", "status-low-energy"): TwoStates(
        device_class=BinarySensorDeviceClass.BATTERY, on=frozenset({"low_energy"})
    ),
}
"""Properties whose two states are a binary sensor with a device class, by spec name."""


@dataclass(frozen=True, kw_only=True)
class EventStates:
    """A sensor that says what it senses only by events: the events that turn it on and off."""

    device_class: BinarySensorDeviceClass
    on: frozenset[str]
    off: frozenset[str] = frozenset()
    off_after: timedelta | None = None
    """For a sensor that reports only the start (motion): how long it is on after each."""


EVENT_STATES: Final[dict[str, EventStates]] = {
    # Aqara's leak sensor has no property: it reports water and its drying off as events.
    "submersion-sensor": EventStates(
        device_class=BinarySensorDeviceClass.MOISTURE,
        on=frozenset({"submersion-detected"}),
        off=frozenset({"no-submersion"}),
    ),
    # Aqara's motion sensor reports motion, never its end; two minutes is the shortest
    # "no motion for" it knows.
    "motion-sensor": EventStates(
        device_class=BinarySensorDeviceClass.MOTION,
        on=frozenset({"motion-detected"}),
        off_after=timedelta(minutes=2),
    ),
}
"""Services whose events are a binary sensor's state, by service name."""

UNITS: Final[dict[str, str]] = {
    "celsius": UnitOfTemperature.CELSIUS,
    "fahrenheit": UnitOfTemperature.FAHRENHEIT,
    "kelvin": UnitOfTemperature.KELVIN,
    "percentage": PERCENTAGE,
    "kWh": UnitOfEnergy.KILO_WATT_HOUR,
    "watt": UnitOfPower.WATT,
    "kW": UnitOfPower.KILO_WATT,
    "kPa": UnitOfPressure.KPA,
    "bar": UnitOfPressure.BAR,
    "km": UnitOfLength.KILOMETERS,
    "meters": UnitOfLength.METERS,
    "km/h": UnitOfSpeed.KILOMETERS_PER_HOUR,
    "seconds": UnitOfTime.SECONDS,
    "minutes": UnitOfTime.MINUTES,
    "hours": UnitOfTime.HOURS,
    "hour": UnitOfTime.HOURS,
    "days": UnitOfTime.DAYS,
    "lux": LIGHT_LUX,
    "arcdegrees": DEGREE,
    "bpm": "bpm",  # Home Assistant has no constant for beats per minute; its integrations use this
}
"""MIoT unit names and the Home Assistant units they stand for."""

EVENT_ATTRIBUTES: Final[dict[str, str]] = {
    "operation-method": "method",
    "operation-id": "key_id",
}
"""Event arguments and the attribute names they are published under."""

STATE_ARGUMENTS: Final[frozenset[SpecName]] = frozenset({("battery", "battery-level")})
"""Event arguments that are the device's state as well (a low-battery event's level).

They keep their own entity, and a change of them between polls is no event.
"""

TRIGGERS: Final[dict[SpecName, str]] = {
    ("lock", "lock-opened"): "lock_opened",
    ("lock", "lock-locked"): "lock_locked",
    ("lock", "back-locking"): "back_locking",
    ("lock", "lock-event"): "lock_event",
    ("lock", "exception-occurred"): "lock_alarm",
    ("door", "exception-occurred"): "door_event",
    ("door", "door-knocked"): "door_knocked",
    ("doorbell", "doorbell-ring"): "doorbell_ring",
    ("magnet-sensor", "open"): "door_opened",
    ("magnet-sensor", "close"): "door_closed",
    ("magnet-sensor", "door-not-closed"): "door_left_open",
    ("switch-sensor", "click"): "click",
    ("switch-sensor", "double-click"): "double_click",
    ("switch-sensor", "long-press"): "long_press",
}
"""Spec events that are device triggers (lock operations, door events, button presses), and
their trigger types, translated in strings.json's `device_automation`."""

LOCK_EVENTS: Final[dict[SpecName, bool]] = {
    ("lock", "lock-opened"): False,
    ("lock", "lock-locked"): True,
    ("lock", "back-locking"): True,
}
"""Events after which a lock is locked (True) or unlocked (False)."""

LOCK_ACTIONS: Final[dict[str, bool]] = {
    "lock": True,
    "unlock": False,
    "lifted_up_the_door_handle_from_outside_to_lock": True,
    "locked_from_inside": True,
    "released_lock_from_inside": False,
}
"""Value names of a lock event's `lock-action` after which the lock is locked (True) or
unlocked (False); its other values (child lock, away mode) leave the lock as it was."""

EVENT_TYPE_ARGUMENTS: Final = ("lock-action",)
"""Event arguments that say what happened, so their value names the event type.

An event with none of them takes its type from its first argument with a value list.
"""


COMMANDS: Final[dict[SpecName, dict[str, str]]] = {
    (service, "motor-control"): {"left": "move_left", "right": "move_right"}
    for service in ("fan", "motor-controller")
}
"""Write-only properties that are commands: each value named here (by its value-list name, in
lower case) becomes a button writing it, with this translation key. A fan turns left or right."""

ACTION_INPUTS: Final[dict[SpecName, dict[str, Value]]] = {
    ("filter", "reset-filter-life"): {"filter-used-time": 0},
}
"""Actions with inputs that are buttons all the same: their inputs' values, by property name.

Some purifiers' filter reset takes the filter's used time, which a reset sets to zero.
"""


@dataclass(frozen=True, slots=True)
class PropertyItem:
    """A property that becomes an entity of a generic platform."""

    platform: Platform
    prop: MiotProperty
    traits: Traits


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action that becomes a button: one without inputs, or whose inputs are known."""

    action: MiotAction
    traits: Traits
    inputs: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class CommandItem:
    """One value of a write-only command property, which becomes a button writing it."""

    prop: MiotProperty
    value: int
    translation_key: str


@dataclass(frozen=True, slots=True)
class EventItem:
    """A spec event that becomes an event entity."""

    event: MiotEvent
    arguments: tuple[MiotProperty, ...]
    kind: MiotProperty | None
    """The argument whose value names the event type; None when no argument has a list."""
    traits: Traits
    polled: bool
    """Whether a change of its arguments between polls is the event: none is state of its own."""
    trigger: str | None = None
    """Its device trigger's type; None when it is no device trigger."""


@dataclass(frozen=True, slots=True)
class EventSensorItem:
    """A service whose events are a binary sensor's state, with their ids."""

    siid: int
    states: EventStates
    on: frozenset[int]
    off: frozenset[int]
    """The events' eiids that turn the sensor on, and off."""


@dataclass(frozen=True, slots=True)
class RoleItem:
    """A service that became a rich entity, with the spec elements it found."""

    role: Role
    siid: int
    properties: dict[str, MiotProperty]
    actions: dict[str, MiotAction]
    main: bool
    """Whether the service is what the device is, so the entity carries the device's name."""

    def prop(self, name: str) -> MiotProperty | None:
        """A property the role represents, by its name; None when the spec lacks it."""
        return self.properties.get(name)


@dataclass(frozen=True, slots=True)
class DevicePlan:
    """Every entity a device's spec makes."""

    roles: tuple[RoleItem, ...] = ()
    properties: tuple[PropertyItem, ...] = ()
    buttons: tuple[ActionItem, ...] = ()
    commands: tuple[CommandItem, ...] = ()
    events: tuple[EventItem, ...] = ()
    event_sensors: tuple[EventSensorItem, ...] = ()
    lock_events: tuple[EventItem, ...] = ()
    """The events that say whether a lock without a lock entity is locked."""
    platforms: frozenset[Platform] = field(default_factory=frozenset)

    def role_items(self, platform: Platform) -> list[RoleItem]:
        """The rich entities of a platform."""
        return [item for item in self.roles if item.role.platform == platform]

    def property_items(self, platform: Platform) -> list[PropertyItem]:
        """The generic entities of a platform."""
        return [item for item in self.properties if item.platform == platform]


def traits_of(service: str, name: str, device_type: str = "") -> Traits:
    """The traits of a spec element; defaults for elements the tables do not know."""
    return (
        DEVICE_TRAITS.get((device_type, (service, name)))
        or TRAITS.get((service, name))
        or SERVICE_TRAITS.get((device_type, service))
        or (VENDOR_TRAITS if service in VENDOR_SERVICES else Traits())
    )


def two_states_of(prop: MiotProperty) -> TwoStates | None:
    """The two states a read-only boolean or value-list property is; None for others (a
    gateway's illumination in lux is a measurement, not Weak / Strong)."""
    if prop.writable or (prop.format != "bool" and not prop.value_list):
        return None
    return TWO_STATES.get((prop.service, prop.name))


def property_traits(prop: MiotProperty, device_type: str = "") -> Traits:
    """The traits of a property; a two-state sensor's device class where no table gives one."""
    traits = command_traits(prop, device_type)
    two_states = two_states_of(prop)
    if two_states is None or traits.device_class is not None:
        return traits
    return replace(traits, device_class=two_states.device_class)


def event_sensor_items(spec: MiotSpec) -> Iterator[EventSensorItem]:
    """The binary sensors a spec's events make: one per service of `EVENT_STATES`."""
    for service in spec.services.values():
        states = EVENT_STATES.get(service.name)
        if states is None:
            continue
        events = service.events.values()
        on = frozenset(event.eiid for event in events if event.name in states.on)
        off = frozenset(event.eiid for event in events if event.name in states.off)
        if on:
            yield EventSensorItem(service.siid, states, on, off)


def generic_platform(prop: MiotProperty) -> Platform | None:
    """The platform of a property no role represents, by its format and access."""
    if not prop.readable:
        return command_platform(prop)
    if two_states_of(prop) is not None:
        return Platform.BINARY_SENSOR
    if prop.format == "bool":
        return Platform.SWITCH if prop.writable else Platform.BINARY_SENSOR
    if prop.value_list:
        return Platform.SELECT if prop.writable else Platform.SENSOR
    numeric = prop.format == "float" or prop.format in INTEGER_BOUNDS
    if numeric and prop.writable and prop.value_range is not None:
        return Platform.NUMBER
    return Platform.SENSOR


def command_platform(prop: MiotProperty) -> Platform | None:
    """The platform of a write-only property, a command: a flag is a button that sends true;
    a list a select, a step (a light's brightness-delta) a number, each showing what was sent
    last. Free text (a map's JSON, a schedule) is an action's parameter, not a command."""
    if not prop.writable:
        return None
    if prop.format == "bool":
        return Platform.BUTTON
    if prop.value_list:
        return Platform.SELECT
    if prop.value_range is not None and prop.format != "string":
        return Platform.NUMBER
    return None


def command_traits(prop: MiotProperty, device_type: str) -> Traits:
    """A property's traits; a write-only one the tables do not know is disabled by default
    (commands meant for other voice assistants or the vendor's app, rarely a user's)."""
    traits = traits_of(prop.service, prop.name, device_type)
    if prop.readable or (prop.service, prop.name) in TRAITS:
        return traits
    return replace(traits, enabled=False)


def event_item(spec: MiotSpec, event: MiotEvent) -> EventItem:
    """An event entity's plan: its arguments, and the one whose value names the event type."""
    arguments = tuple(spec.property(event.siid, piid) for piid in event.arguments)
    listed = [prop for prop in arguments if prop.value_list]
    preferred = (prop for name in EVENT_TYPE_ARGUMENTS for prop in listed if prop.name == name)
    kind = next(preferred, next(iter(listed), None))
    traits = traits_of(event.service, event.name, spec.device_type)
    polled = not any((prop.service, prop.name) in STATE_ARGUMENTS for prop in arguments)
    trigger = TRIGGERS.get((event.service, event.name))
    return EventItem(event, arguments, kind, traits, polled, trigger)


def action_inputs(spec: MiotSpec, action: MiotAction) -> tuple[Value, ...] | None:
    """The inputs a button passes to an action; None when they are not all known."""
    known = ACTION_INPUTS.get((action.service, action.name), {})
    names = [spec.property(action.siid, piid).name for piid in action.inputs]
    if not all(name in known for name in names):
        return None
    return tuple(known[name] for name in names)


def command_items(prop: MiotProperty) -> tuple[CommandItem, ...]:
    """The buttons of a write-only command property, one per value the table names."""
    keys = COMMANDS.get((prop.service, prop.name), {})
    return tuple(
        CommandItem(prop, choice.value, keys[choice.name.lower()])
        for choice in prop.value_list
        if choice.name.lower() in keys
    )


def plan_device(spec: MiotSpec) -> DevicePlan:
    """Decide every entity a spec makes."""
    roles: list[RoleItem] = []
    taken_properties: set[SpecName] = set()
    taken_actions: set[SpecName] = set()
    taken_services: set[str] = set()
    services = {service.name for service in spec.services.values()}
    for role in ROLES:
        if (
            role.service not in services
            or role.service in taken_services
            or spec.device_type in role.not_on
        ):
            continue
        actions = {
            name: action
            for action in spec.actions()
            for service, name in role.actions
            if (action.service, action.name) == (service, name)
        }
        if role.needs_action and not actions:
            continue
        found = {
            name: prop
            for service, name in role.properties
            if (prop := spec.find(service, name)) is not None
            and (service, name) not in taken_properties
        }
        for (service, name), stands_for in role.stand_ins:
            if stands_for not in found and (prop := spec.find(service, name)) is not None:
                found[stands_for] = prop
        if any(name not in found for name in role.required):
            continue
        siid = next(s.siid for s in spec.services.values() if s.name == role.service)
        main = spec.device_type in {role.service, *role.main_for}
        roles.append(RoleItem(role, siid, found, actions, main))
        taken_properties.update((p.service, p.name) for p in found.values())
        taken_services.update(service for service, _ in role.properties)
        taken_actions.update((a.service, a.name) for a in actions.values())

    events = tuple(event_item(spec, event) for event in spec.events())
    taken_properties.update(
        (p.service, p.name)
        for item in events
        for p in item.arguments
        if (p.service, p.name) not in STATE_ARGUMENTS
    )

    # A write-only property that an action takes is that action's parameter (a schedule's
    # hour), not a command of its own.
    parameters = {
        prop.key
        for action in spec.actions()
        for piid in action.inputs
        if not (prop := spec.property(action.siid, piid)).readable
    }
    properties = tuple(
        PropertyItem(platform, prop, property_traits(prop, spec.device_type))
        for prop in spec.properties()
        if prop.service != "device-information"
        and (prop.service, prop.name) not in taken_properties
        and prop.key not in parameters
        and (prop.service, prop.name) not in COMMANDS
        and (platform := generic_platform(prop)) is not None
    )
    buttons = tuple(
        ActionItem(action, traits_of(action.service, action.name, spec.device_type), inputs)
        for action in spec.actions()
        if (action.service, action.name) not in taken_actions
        and (inputs := action_inputs(spec, action)) is not None
    )
    commands = tuple(
        item
        for prop in spec.properties()
        if (prop.service, prop.name) not in taken_properties
        for item in command_items(prop)
    )
    event_sensors = tuple(event_sensor_items(spec))
    platforms = {item.role.platform for item in roles} | {item.platform for item in properties}
    lock_events = () if Platform.LOCK in platforms else tuple(filter(tells_lock_state, events))
    if event_sensors or lock_events:
        platforms.add(Platform.BINARY_SENSOR)
    if buttons or commands:
        platforms.add(Platform.BUTTON)
    if events:
        platforms.add(Platform.EVENT)
    return DevicePlan(
        roles=tuple(roles),
        properties=properties,
        buttons=buttons,
        commands=commands,
        events=events,
        event_sensors=event_sensors,
        lock_events=lock_events,
        platforms=frozenset(platforms),
    )


def tells_lock_state(item: EventItem) -> bool:
    """Whether an event says the lock is locked or unlocked: by what it is or its lock-action."""
    event = item.event
    return (event.service, event.name) in LOCK_EVENTS or (
        item.kind is not None and any(c.name in LOCK_ACTIONS for c in item.kind.value_list)
    )


def lock_state_after(item: EventItem, values: dict[int, Value]) -> bool | None:
    """Whether the lock is locked after an event with these arguments (by piid); None when
    the event does not say."""
    known = LOCK_EVENTS.get((item.event.service, item.event.name))
    if known is not None:
        return known
    kind = item.kind
    value = None if kind is None else values.get(kind.piid)
    if kind is None or not isinstance(value, int):
        return None
    choice = kind.choice(value)
    return LOCK_ACTIONS.get(choice.name) if choice else None
