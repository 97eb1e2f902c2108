"""What a device's spec becomes in Home Assistant: declarative tables, no per-model code.

A spec's services are matched against `ROLES`: a light service makes a light entity, an
air-conditioner service a climate entity, a location service a device tracker, and so on; each
role names the properties and actions its entity represents. A role entity whose service is
what the device is (an air conditioner's air-conditioner service) carries the device's name;
one that is a part of the device (a car's lock, its cabin climate) is named by its translation
key. Every other property becomes a generic entity chosen by its format and access (sensor,
binary sensor, switch, number, select), every other action without inputs a button, and every
event an event entity. `TRAITS` adds what the spec cannot say: translation keys, device and
state classes, categories, and what is disabled by default, by (service, name) or, for names
Xiaomi's documents share, by name in any service (`ANY`). A sensor's classes the tables do not
give come from its unit and name (`sensor_classes`). A name that would repeat on a device (a
switch's gangs) is numbered through translation placeholders; `name_source` tells where each
planned entity's name comes from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from typing import Final

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.number import NumberDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.components.sensor.const import DEVICE_CLASS_UNITS
from homeassistant.const import (
    CONCENTRATION_MICROGRAMS_PER_CUBIC_METER,
    DEGREE,
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfPressure,
    UnitOfSpeed,
    UnitOfTemperature,
    UnitOfTime,
    UnitOfVolume,
)

from .miot.spec import INTEGER_BOUNDS, MiotAction, MiotEvent, MiotProperty, MiotSpec, Value

PARTS_PER_MILLION: Final = "ppm"
MILLIGRAMS_PER_CUBIC_METER: Final = "mg/m³"
"""Units whose constants Home Assistant renamed after 2025.4 (UnitOfRatio, UnitOfDensity):
the same strings, spelled out so that no release warns about them."""

# Translation keys that other parts of the integration look entities up by: the voice agent
# finds the car, people's devices and locks by them.
KEY_LOCK: Final = "lock"
KEY_LOCK_STATUS: Final = "lock_status"
KEY_DOOR_LOCK_STATE: Final = "door_lock_state"
KEY_CABIN_CLIMATE: Final = "cabin_climate"
KEY_LOCATION: Final = "location"
KEY_DRIVING_RANGE: Final = "driving_range"
KEY_ODOMETER: Final = "odometer"
KEY_CHARGING_STATE: Final = "charging_state"
KEY_CABIN_TEMPERATURE: Final = "cabin_temperature"
KEY_RING_PHONE: Final = "ring_phone"
KEY_STEPS: Final = "steps"
KEY_HEART_RATE: Final = "heart_rate"
KEY_SLEEP_DURATION: Final = "sleep_duration"
SPEAKER_SERVICE: Final = "intelligent-speaker"
"""The spec service whose actions make a Xiao Ai speaker speak or run a command."""
PLAY_TEXT: Final = "play-text"
"""The speaker's action that says a text aloud."""
EXECUTE_TEXT: Final = "execute-text-directive"
"""The speaker's action that carries out a text command as if it had heard it."""

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
        translation_key=KEY_LOCK,
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
        translation_key=KEY_CABIN_CLIMATE,
        properties=(("cabin-climate", "on"), ("cabin-climate", "target-temperature")),
    ),
    Role(
        platform=Platform.DEVICE_TRACKER,
        service="location",
        translation_key=KEY_LOCATION,
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
    unit: str | None = None
    """The Home Assistant unit where the spec gives none (Xiaomi's PM2.5 often has none)."""


ANY: Final = "*"
"""The service of a `TRAITS` key that matches an element name in any service."""


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
    # Xiaomi's plugs count energy without a unit: kilowatt-hours, as the energy dashboard takes.
    ("power-consumption", "power-consumption"): Traits(
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        unit=UnitOfEnergy.KILO_WATT_HOUR,
    ),
    ("door", "status"): Traits(translation_key="door_status", device_class=SensorDeviceClass.ENUM),
    ("door", "exception-occurred"): Traits(translation_key="door_event"),
    ("lock", "status"): Traits(translation_key=KEY_LOCK_STATUS),
    ("battery", "battery-level"): Traits(
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        category=EntityCategory.DIAGNOSTIC,
    ),
    # A battery's voltage is in millivolts where the spec says none (the mains' in volts).
    **{
        (service, "voltage"): Traits(
            translation_key="voltage",
            device_class=SensorDeviceClass.VOLTAGE,
            state_class=SensorStateClass.MEASUREMENT,
            unit=UnitOfElectricPotential.MILLIVOLT,
            category=EntityCategory.DIAGNOSTIC,
        )
        for service in ("battery", "battery-service")
    },
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
    ("door", "door-state"): Traits(translation_key=KEY_DOOR_LOCK_STATE),
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
        translation_key=KEY_DRIVING_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("vehicle", "odometer"): Traits(
        translation_key=KEY_ODOMETER,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    ("vehicle", "flash-lights"): Traits(translation_key="flash_lights"),
    ("vehicle", "find-car"): Traits(translation_key="find_car"),
    ("charging", "charging-state"): Traits(
        translation_key=KEY_CHARGING_STATE, device_class=SensorDeviceClass.ENUM
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
        translation_key=KEY_CABIN_TEMPERATURE,
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
        translation_key=KEY_CHARGING_STATE, device_class=SensorDeviceClass.ENUM
    ),
    ("phone", "ring-phone"): Traits(translation_key=KEY_RING_PHONE),
    # A daily count that starts again at midnight: a decrease is a reset.
    ("activity", "step-count"): Traits(
        translation_key=KEY_STEPS, state_class=SensorStateClass.TOTAL_INCREASING
    ),
    ("health", "heart-rate"): Traits(
        translation_key=KEY_HEART_RATE, state_class=SensorStateClass.MEASUREMENT
    ),
    ("health", "spo2"): Traits(
        translation_key="blood_oxygen", state_class=SensorStateClass.MEASUREMENT
    ),
    ("sleep", "sleep-duration"): Traits(
        translation_key=KEY_SLEEP_DURATION,
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    ("wearing", "worn"): Traits(translation_key="worn"),
    # Names Xiaomi's documents share: a property, action or event name means the same in
    # whichever service it is (a fault, a mode, a filter's life), so most are keyed by name alone.
    # A temperature is not: an outlet's, a kettle's water's, a fridge chamber's are named by
    # the spec server, with their device class from their unit.
    ("brush-cleaner", "exception-occurred"): Traits(
        translation_key="brush_alert", category=EntityCategory.DIAGNOSTIC
    ),
    ("filter", "exception-occurred"): Traits(
        translation_key="filter_alert", category=EntityCategory.DIAGNOSTIC
    ),
    ("switch", "on"): Traits(translation_key="switch"),
    ("temperature-humidity-sensor", "temperature"): Traits(
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "toggle"): Traits(translation_key="toggle"),
    (ANY, "start-charge"): Traits(translation_key="start_charge"),
    (ANY, "start-sweep"): Traits(translation_key="start_sweep"),
    (ANY, "stop-sweeping"): Traits(translation_key="stop_sweeping"),
    (ANY, "identify"): Traits(translation_key="identify", category=EntityCategory.DIAGNOSTIC),
    (ANY, "reset-filter-life"): Traits(
        translation_key="reset_filter_life", category=EntityCategory.CONFIG
    ),
    (ANY, "format"): Traits(
        translation_key="format_memory_card", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "pop-up"): Traits(
        translation_key="eject_memory_card", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "start-p2p-stream"): Traits(
        translation_key="start_stream", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "stop-stream"): Traits(
        translation_key="stop_stream", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "toggle-mode"): Traits(translation_key="next_mode"),
    (ANY, "reset-brush-life"): Traits(
        translation_key="reset_brush_life", category=EntityCategory.CONFIG
    ),
    (ANY, "get-stream-configuration"): Traits(
        translation_key="stream_configuration", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "stop-clean"): Traits(translation_key="stop_sweeping"),
    (ANY, "position"): Traits(translation_key="locate"),
    (ANY, "play-sound"): Traits(
        translation_key="play_sound", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "start-sweep-mop"): Traits(translation_key="start_sweep_mop"),
    (ANY, "start-mop"): Traits(translation_key="start_mop"),
    (ANY, "turn-off"): Traits(translation_key="turn_off"),
    (ANY, "stop"): Traits(translation_key="stop"),
    (ANY, "set-default"): Traits(
        translation_key="save_as_default", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "ct-increase"): Traits(translation_key="color_temperature_up", enabled=False),
    (ANY, "ct-decrease"): Traits(translation_key="color_temperature_down", enabled=False),
    (ANY, "toggle-fan-leve"): Traits(translation_key="next_fan_level"),
    (ANY, "low-battery"): Traits(translation_key="low_battery"),
    (ANY, "childlock-trigger"): Traits(
        translation_key="child_lock_pressed", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "child-lock-trigger"): Traits(
        translation_key="child_lock_pressed", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "back-locking"): Traits(translation_key="back_locking"),
    (ANY, "fault-motor-stuck"): Traits(
        translation_key="motor_stuck", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "door-opened"): Traits(translation_key="door_opened"),
    (ANY, "filter-exhausted"): Traits(translation_key="filter_exhausted"),
    (ANY, "finish-clean"): Traits(translation_key="cleaning_finished"),
    (ANY, "lock-locked"): Traits(translation_key="lock_locked"),
    (ANY, "error"): Traits(translation_key="error", category=EntityCategory.DIAGNOSTIC),
    (ANY, "status-report"): Traits(
        translation_key="status_report", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "statusreport"): Traits(
        translation_key="status_report", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "lack-of-water"): Traits(translation_key="out_of_water"),
    (ANY, "bring-water-tank"): Traits(translation_key="water_tank_needed"),
    (ANY, "cleanup-completed"): Traits(translation_key="cleaning_finished"),
    (ANY, "finish-withwaternox"): Traits(translation_key="cleaning_finished_with_water_tank"),
    (ANY, "event-unbind"): Traits(
        translation_key="unbound", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "filtertest"): Traits(
        translation_key="filter_test", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "examine-result"): Traits(
        translation_key="self_test_result", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "clean-result"): Traits(
        translation_key="cleaning_result", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "button-pressed"): Traits(translation_key="button_pressed"),
    (ANY, "button-released"): Traits(translation_key="button_released"),
    (ANY, "running-duration"): Traits(
        translation_key="running_time", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "filter-reset"): Traits(
        translation_key="filter_was_reset", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "aqi-sensor-error"): Traits(
        translation_key="air_quality_sensor_error", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "top-grille"): Traits(translation_key="top_grille", category=EntityCategory.DIAGNOSTIC),
    (ANY, "filter-door-opened"): Traits(translation_key="filter_door_opened"),
    (ANY, "eeprom-exce"): Traits(
        translation_key="memory_error", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "on"): Traits(translation_key="power"),
    (ANY, "mode"): Traits(translation_key="mode"),
    (ANY, "status"): Traits(translation_key="status"),
    (ANY, "fault"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC),
    (ANY, "faults"): Traits(translation_key="fault", category=EntityCategory.DIAGNOSTIC),
    (ANY, "fan-level"): Traits(translation_key="fan_level"),
    (ANY, "brightness"): Traits(translation_key="brightness"),
    (ANY, "filter-life-level"): Traits(
        translation_key="filter_life", state_class=SensorStateClass.MEASUREMENT, unit=PERCENTAGE
    ),
    (ANY, "pm2.5-density"): Traits(
        translation_key="pm25",
        device_class=SensorDeviceClass.PM25,
        state_class=SensorStateClass.MEASUREMENT,
        unit=CONCENTRATION_MICROGRAMS_PER_CUBIC_METER,
    ),
    (ANY, "pm10-density"): Traits(
        translation_key="pm10",
        device_class=SensorDeviceClass.PM10,
        state_class=SensorStateClass.MEASUREMENT,
        unit=CONCENTRATION_MICROGRAMS_PER_CUBIC_METER,
    ),
    (ANY, "co2-density"): Traits(
        translation_key="co2",
        device_class=SensorDeviceClass.CO2,
        state_class=SensorStateClass.MEASUREMENT,
        unit=PARTS_PER_MILLION,
    ),
    (ANY, "tvoc-density"): Traits(translation_key="tvoc", state_class=SensorStateClass.MEASUREMENT),
    (ANY, "hcho-density"): Traits(
        translation_key="formaldehyde",
        state_class=SensorStateClass.MEASUREMENT,
        unit=MILLIGRAMS_PER_CUBIC_METER,
    ),
    (ANY, "horizontal-swing"): Traits(translation_key="oscillation"),
    (ANY, "filter-left-time"): Traits(
        translation_key="filter_time_left",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "volume"): Traits(translation_key="volume", category=EntityCategory.CONFIG),
    (ANY, "target-temperature"): Traits(translation_key="target_temperature"),
    (ANY, "current-position"): Traits(translation_key="current_position"),
    (ANY, "target-position"): Traits(translation_key="target_position"),
    (ANY, "filter-used-time"): Traits(
        translation_key="filter_used_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "start-time"): Traits(translation_key="start_time", category=EntityCategory.CONFIG),
    (ANY, "end-time"): Traits(translation_key="end_time", category=EntityCategory.CONFIG),
    (ANY, "off-delay-time"): Traits(translation_key="off_delay", category=EntityCategory.CONFIG),
    (ANY, "alarm"): Traits(translation_key="beep", category=EntityCategory.CONFIG, enabled=False),
    (ANY, "horizontal-angle"): Traits(
        translation_key="horizontal_angle", category=EntityCategory.CONFIG
    ),
    (ANY, "speed-level"): Traits(translation_key="speed_level"),
    (ANY, "brush-life-level"): Traits(
        translation_key="brush_life", state_class=SensorStateClass.MEASUREMENT, unit=PERCENTAGE
    ),
    (ANY, "aqi-updata-heartbeat"): Traits(
        translation_key="air_quality_interval", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "time-zone"): Traits(
        translation_key="time_zone", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "image-rollover"): Traits(
        translation_key="image_rotation", category=EntityCategory.CONFIG
    ),
    (ANY, "night-shot"): Traits(translation_key="night_vision", category=EntityCategory.CONFIG),
    (ANY, "recording-mode"): Traits(
        translation_key="recording_mode", category=EntityCategory.CONFIG
    ),
    (ANY, "time-watermark"): Traits(
        translation_key="time_watermark", category=EntityCategory.CONFIG
    ),
    (ANY, "electric-power"): Traits(
        translation_key="electric_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        unit=UnitOfPower.WATT,
    ),
    (ANY, "brush-left-time"): Traits(
        translation_key="brush_time_left",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "timer"): Traits(translation_key="timer", category=EntityCategory.CONFIG),
    (ANY, "total-clean-time"): Traits(
        translation_key="total_cleaning_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "country-code"): Traits(
        translation_key="country_code", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "use-time"): Traits(
        translation_key="use_time", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "voltage"): Traits(
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        unit=UnitOfElectricPotential.VOLT,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "electric-current"): Traits(
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        unit=UnitOfElectricCurrent.MILLIAMPERE,
    ),
    (ANY, "relative-humidity"): Traits(
        translation_key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "stream-status"): Traits(
        translation_key="stream_status", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "total-clean-area"): Traits(
        translation_key="total_cleaning_area",
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "illumination"): Traits(
        translation_key="illuminance",
        device_class=SensorDeviceClass.ILLUMINANCE,
        state_class=SensorStateClass.MEASUREMENT,
        unit=LIGHT_LUX,
    ),
    (ANY, "water-level"): Traits(translation_key="water_level"),
    (ANY, "moto-speed-rpm"): Traits(
        translation_key="motor_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "motor-speed"): Traits(
        translation_key="motor_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "favorite-speed"): Traits(
        translation_key="favorite_speed", category=EntityCategory.CONFIG
    ),
    (ANY, "buttom-door"): Traits(translation_key="bottom_door", category=EntityCategory.DIAGNOSTIC),
    (ANY, "reboot-cause"): Traits(
        translation_key="reboot_cause", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "manual-level"): Traits(translation_key="manual_level"),
    (ANY, "purify-volume"): Traits(
        translation_key="purified_volume", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "average-aqi"): Traits(translation_key="average_aqi"),
    (ANY, "aqi-state"): Traits(
        translation_key="aqi_state", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "rfid-tag"): Traits(
        translation_key="rfid_tag", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "rfid-factory-id"): Traits(
        translation_key="rfid_factory_id", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "rfid-product-id"): Traits(
        translation_key="rfid_product_id", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "rfid-time"): Traits(
        translation_key="rfid_time", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "rfid-serial-num"): Traits(
        translation_key="rfid_serial_number", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "wdr-mode"): Traits(translation_key="wdr", category=EntityCategory.CONFIG),
    (ANY, "glimmer-full-color"): Traits(
        translation_key="low_light_color", category=EntityCategory.CONFIG
    ),
    (ANY, "motion-tracking"): Traits(
        translation_key="motion_tracking", category=EntityCategory.CONFIG
    ),
    (ANY, "storage-total-space"): Traits(
        translation_key="storage_total", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "storage-free-space"): Traits(
        translation_key="storage_free", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "storage-used-space"): Traits(
        translation_key="storage_used", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "default-power-on-state"): Traits(
        translation_key="power_on_behavior", category=EntityCategory.CONFIG
    ),
    (ANY, "left-time"): Traits(translation_key="time_left"),
    (ANY, "target-humidity"): Traits(translation_key="target_humidity"),
    (ANY, "countdown-time"): Traits(translation_key="countdown", category=EntityCategory.CONFIG),
    (ANY, "motor-reverse"): Traits(translation_key="motor_reverse", category=EntityCategory.CONFIG),
    (ANY, "total-clean-times"): Traits(
        translation_key="total_cleaning_count",
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "enable"): Traits(translation_key="enabled", category=EntityCategory.CONFIG),
    (ANY, "door-state"): Traits(translation_key="door"),
    (ANY, "ac-state"): Traits(translation_key="mains_power", category=EntityCategory.DIAGNOSTIC),
    (ANY, "fan-percent"): Traits(translation_key="fan_speed"),
    (ANY, "anion"): Traits(translation_key="ionizer"),
    (ANY, "motor-set-speed"): Traits(
        translation_key="motor_target_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "iic-error-count"): Traits(
        translation_key="bus_error_count", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "i2c-error-count"): Traits(
        translation_key="bus_error_count", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "battery-level"): Traits(
        translation_key="battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        unit=PERCENTAGE,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "motion-detection"): Traits(
        translation_key="motion_detection", category=EntityCategory.CONFIG
    ),
    (ANY, "alarm-interval"): Traits(
        translation_key="alarm_interval", category=EntityCategory.CONFIG
    ),
    (ANY, "detection-sensitivity"): Traits(
        translation_key="detection_sensitivity", category=EntityCategory.CONFIG
    ),
    (ANY, "motion-detection-start-time"): Traits(
        translation_key="detection_start_time", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motion-detection-end-time"): Traits(
        translation_key="detection_end_time", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "working-time"): Traits(translation_key="working_time"),
    (ANY, "work-mode"): Traits(translation_key="work_mode"),
    (ANY, "mop-mode"): Traits(translation_key="mop_mode"),
    (ANY, "waterbox-status"): Traits(translation_key="water_tank"),
    (ANY, "task-status"): Traits(translation_key="task_status", category=EntityCategory.DIAGNOSTIC),
    (ANY, "break-point-restart"): Traits(
        translation_key="resume_after_charge", category=EntityCategory.CONFIG
    ),
    (ANY, "carpet-press"): Traits(translation_key="carpet_boost", category=EntityCategory.CONFIG),
    (ANY, "serial-number"): Traits(
        translation_key="serial_number", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "clean-rags-tip"): Traits(
        translation_key="mop_reminder", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "keep-sweeper-time"): Traits(
        translation_key="sweeper_time", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "nation-matched"): Traits(
        translation_key="region_matched", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "relocation-status"): Traits(
        translation_key="relocation_status", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "mult-map-state"): Traits(
        translation_key="multiple_maps", category=EntityCategory.CONFIG
    ),
    (ANY, "mult-map-info"): Traits(
        translation_key="map_info", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "voice-packet-id"): Traits(
        translation_key="voice_pack", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "voice-change-state"): Traits(
        translation_key="voice_pack_state", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "timer-clean"): Traits(
        translation_key="scheduled_cleaning", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "first-clean-time"): Traits(
        translation_key="first_cleaning", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "cleaning-time"): Traits(translation_key="cleaning_time"),
    (ANY, "clean-time"): Traits(translation_key="cleaning_time"),
    (ANY, "cleaning-area"): Traits(translation_key="cleaned_area"),
    (ANY, "clean-area"): Traits(translation_key="cleaned_area"),
    (ANY, "sweep-type"): Traits(translation_key="sweep_type"),
    (ANY, "effective-time"): Traits(
        translation_key="active_period", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "progress"): Traits(
        translation_key="progress", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "timing"): Traits(translation_key="timer", category=EntityCategory.CONFIG),
    (ANY, "electricity"): Traits(
        translation_key="energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        unit=UnitOfEnergy.KILO_WATT_HOUR,
    ),
    (ANY, "elec-count"): Traits(
        translation_key="energy_count", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "clean"): Traits(translation_key="self_clean"),
    (ANY, "play-loop-mode"): Traits(translation_key="loop_mode"),
    (ANY, "ringtone"): Traits(translation_key="ringtone", category=EntityCategory.CONFIG),
    (ANY, "init-power-opt"): Traits(
        translation_key="power_on_behavior", category=EntityCategory.CONFIG
    ),
    (ANY, "save-state"): Traits(translation_key="remember_state", category=EntityCategory.CONFIG),
    (ANY, "night-time"): Traits(
        translation_key="night_light_period", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "miio-lib-version"): Traits(
        translation_key="library_version", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "favorite-level"): Traits(
        translation_key="favorite_level", category=EntityCategory.CONFIG
    ),
    (ANY, "filter-max-time"): Traits(
        translation_key="filter_lifetime", category=EntityCategory.CONFIG
    ),
    (ANY, "favorite-fan-level"): Traits(
        translation_key="favorite_fan_level", category=EntityCategory.CONFIG
    ),
    (ANY, "average-aqi-cnt"): Traits(
        translation_key="average_aqi_count", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "aqi-zone"): Traits(
        translation_key="aqi_zone", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "sensor-state"): Traits(
        translation_key="sensor_state", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "aqi-goodh"): Traits(
        translation_key="aqi_good_threshold", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "aqi-runstate"): Traits(
        translation_key="aqi_run_state", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "main-channel"): Traits(
        translation_key="main_channel", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "slave-channel"): Traits(
        translation_key="secondary_channel", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "cola"): Traits(
        translation_key="cola", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "hw-version"): Traits(
        translation_key="hardware_version", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "surge-power"): Traits(
        translation_key="surge_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        unit=UnitOfPower.WATT,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "atmospheric-pressure"): Traits(
        translation_key="atmospheric_pressure",
        device_class=SensorDeviceClass.ATMOSPHERIC_PRESSURE,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "smoke-concentration"): Traits(translation_key="smoke_density"),
    (ANY, "tds-out"): Traits(translation_key="tds_out"),
    (ANY, "water-consumption"): Traits(
        translation_key="water_consumption", state_class=SensorStateClass.TOTAL_INCREASING
    ),
    (ANY, "power-consumption"): Traits(
        translation_key="energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        unit=UnitOfEnergy.KILO_WATT_HOUR,
    ),
    (ANY, "saturability"): Traits(translation_key="saturation"),
    (ANY, "desiccant-left-time"): Traits(
        translation_key="desiccant_time_left",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    (ANY, "remaining-time"): Traits(translation_key="time_left"),
    (ANY, "input-water-temp"): Traits(translation_key="inlet_water_temperature"),
    (ANY, "on-off-count"): Traits(
        translation_key="switch_count", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "mac"): Traits(translation_key="mac", category=EntityCategory.DIAGNOSTIC, enabled=False),
    (ANY, "firmware-version"): Traits(
        translation_key="firmware_version", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "physical-controls-locked"): Traits(
        translation_key="child_lock", category=EntityCategory.CONFIG
    ),
    (ANY, "dnd-enable"): Traits(translation_key="do_not_disturb", category=EntityCategory.CONFIG),
    (ANY, "total-clean-count"): Traits(
        translation_key="total_cleaning_count",
        state_class=SensorStateClass.TOTAL_INCREASING,
        category=EntityCategory.DIAGNOSTIC,
    ),
    (ANY, "total-clean-areas"): Traits(
        translation_key="total_cleaning_area", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "clean-counts"): Traits(
        translation_key="total_cleaning_count", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "station-type"): Traits(
        translation_key="station_type", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "side-brush-life"): Traits(translation_key="side_brush_life"),
    (ANY, "side-brush-hours"): Traits(translation_key="side_brush_time_left"),
    (ANY, "main-brush-life"): Traits(translation_key="main_brush_life"),
    (ANY, "main-brush-hours"): Traits(translation_key="main_brush_time_left"),
    (ANY, "mop-life"): Traits(translation_key="mop_life"),
    (ANY, "mop-hours"): Traits(translation_key="mop_time_left"),
    (ANY, "hypa-life"): Traits(translation_key="hepa_filter_life"),
    (ANY, "hypa-hours"): Traits(translation_key="hepa_filter_time_left"),
    (ANY, "suction-state"): Traits(translation_key="suction"),
    (ANY, "water-state"): Traits(translation_key="water_flow"),
    (ANY, "repeat-state"): Traits(
        translation_key="repeat_cleaning", category=EntityCategory.CONFIG
    ),
    (ANY, "cloth-state"): Traits(translation_key="mop_state"),
    (ANY, "cleaning-mode"): Traits(translation_key="cleaning_mode"),
    (ANY, "life-sieve"): Traits(translation_key="filter_life"),
    (ANY, "life-brush-side"): Traits(translation_key="side_brush_life"),
    (ANY, "life-brush-main"): Traits(translation_key="main_brush_life"),
    (ANY, "auto-collect"): Traits(translation_key="auto_empty", category=EntityCategory.CONFIG),
    (ANY, "light-mode"): Traits(translation_key="light_mode"),
    (ANY, "sleep-mode"): Traits(translation_key="sleep_mode"),
    (ANY, "vertical-swing"): Traits(translation_key="vertical_swing"),
    (ANY, "dryer"): Traits(translation_key="dryer"),
    (ANY, "heater"): Traits(translation_key="heater"),
    (ANY, "eco"): Traits(translation_key="eco"),
    (ANY, "color-temperature"): Traits(translation_key="color_temperature"),
    (ANY, "delay"): Traits(translation_key="delay", category=EntityCategory.CONFIG),
    (ANY, "press-back"): Traits(translation_key="press_back"),
    (ANY, "press-down"): Traits(translation_key="press_down"),
    (ANY, "press-home"): Traits(translation_key="press_home"),
    (ANY, "press-left"): Traits(translation_key="press_left"),
    (ANY, "press-menu"): Traits(translation_key="press_menu"),
    (ANY, "press-ok"): Traits(translation_key="press_ok"),
    (ANY, "press-pause"): Traits(translation_key="press_pause"),
    (ANY, "press-play"): Traits(translation_key="press_play"),
    (ANY, "press-play-pause"): Traits(translation_key="press_play_pause"),
    (ANY, "press-right"): Traits(translation_key="press_right"),
    (ANY, "press-settings"): Traits(translation_key="press_settings"),
    (ANY, "press-up"): Traits(translation_key="press_up"),
    (ANY, "press-volume-down"): Traits(translation_key="press_volume_down"),
    (ANY, "press-volume-up"): Traits(translation_key="press_volume_up"),
    (ANY, "state-playing"): Traits(translation_key="playing"),
    (ANY, "back-to-dock-nearby"): Traits(translation_key="docked_nearby"),
    (ANY, "back-to-origin-fail"): Traits(translation_key="return_to_start_failed"),
    (ANY, "back-to-origin-succ"): Traits(translation_key="returned_to_start"),
    (ANY, "bin-full"): Traits(translation_key="dustbin_full"),
    (ANY, "charge-dust-collect"): Traits(translation_key="dust_collection_on_charge"),
    (ANY, "clean-completed"): Traits(translation_key="cleaning_finished"),
    (ANY, "clean-with-new-map"): Traits(translation_key="cleaning_with_new_map"),
    (ANY, "consumable-reminder"): Traits(translation_key="consumable_reminder"),
    (ANY, "fan-power-downgraded"): Traits(translation_key="suction_lowered"),
    (ANY, "low-power-back"): Traits(translation_key="low_battery_return"),
    (ANY, "schedule-canceled"): Traits(translation_key="schedule_canceled"),
    (ANY, "schedule-completed"): Traits(translation_key="schedule_completed"),
    (ANY, "schedule-started"): Traits(translation_key="schedule_started"),
    (ANY, "seg-clean-completed"): Traits(translation_key="room_cleaning_finished"),
    (ANY, "seg-clean-failed"): Traits(translation_key="room_cleaning_failed"),
    (ANY, "seg-clean-part-done"): Traits(translation_key="room_cleaning_partly_done"),
    (ANY, "water-short-reminder"): Traits(translation_key="water_low"),
    (ANY, "zone-clean-completed"): Traits(translation_key="zone_cleaning_finished"),
    (ANY, "zone-clean-failed"): Traits(translation_key="zone_cleaning_failed"),
    (ANY, "zone-clean-part-done"): Traits(translation_key="zone_cleaning_partly_done"),
    (ANY, "click"): Traits(translation_key="click"),
    (ANY, "double-click"): Traits(translation_key="double_click"),
    (ANY, "long-press"): Traits(translation_key="long_press"),
    (ANY, "motion-detected"): Traits(translation_key="motion_detected"),
    (ANY, "no-submersion"): Traits(translation_key="no_leak"),
    (ANY, "submersion-detected"): Traits(translation_key="leak_detected"),
    (ANY, "open"): Traits(translation_key="opened"),
    (ANY, "close"): Traits(translation_key="closed"),
    (ANY, "door-not-closed"): Traits(translation_key="door_left_open"),
    (ANY, "high-concentration-of-smoke-detected"): Traits(translation_key="smoke_detected"),
    (ANY, "door-knocked"): Traits(translation_key="door_knocked"),
    (ANY, "doorbell-ring"): Traits(translation_key="doorbell"),
    (ANY, "low-water-level"): Traits(translation_key="water_low"),
    (ANY, "network-changed"): Traits(
        translation_key="network_changed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "cooking-finished"): Traits(translation_key="cooking_finished"),
    (ANY, "preheat-finished"): Traits(translation_key="preheating_finished"),
    (ANY, "wash-end"): Traits(translation_key="washing_finished"),
    (ANY, "clean-finished"): Traits(translation_key="cleaning_finished"),
    (ANY, "clean-end"): Traits(translation_key="cleaning_finished"),
    (ANY, "collect-dust-done"): Traits(translation_key="dust_collection_finished"),
    (ANY, "collect-dust-full"): Traits(translation_key="dust_bag_full"),
    (ANY, "collect-dust-no-bag"): Traits(translation_key="dust_bag_missing"),
    (ANY, "collect-dust-start"): Traits(translation_key="dust_collection_started"),
    (ANY, "low-bat-warn"): Traits(translation_key="low_battery"),
    (ANY, "mop-plug-in"): Traits(translation_key="mop_inserted"),
    (ANY, "mop-plug-out"): Traits(translation_key="mop_removed"),
    (ANY, "take-down-mop"): Traits(translation_key="remove_mop"),
    (ANY, "water-box-off"): Traits(translation_key="water_tank_removed"),
    (ANY, "reboot"): Traits(
        translation_key="rebooted", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "shutdown"): Traits(
        translation_key="shut_down", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "resume-task"): Traits(translation_key="task_resumed"),
    (ANY, "warn-brush-main"): Traits(
        translation_key="main_brush_alert", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "warn-brush-side"): Traits(
        translation_key="side_brush_alert", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "warn-duster"): Traits(
        translation_key="duster_alert", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "warn-sensor"): Traits(
        translation_key="sensor_alert", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "warn-sieve"): Traits(translation_key="filter_alert", category=EntityCategory.DIAGNOSTIC),
    (ANY, "filter-eof"): Traits(translation_key="filter_exhausted"),
    (ANY, "stuck"): Traits(translation_key="motor_stuck", category=EntityCategory.DIAGNOSTIC),
    (ANY, "temp-exce"): Traits(translation_key="overheat", category=EntityCategory.DIAGNOSTIC),
    (ANY, "temperature-exce"): Traits(
        translation_key="overheat", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "over-day-push"): Traits(translation_key="daily_energy_exceeded"),
    (ANY, "over-month-push"): Traits(translation_key="monthly_energy_exceeded"),
    (ANY, "power-alarm-prompt"): Traits(
        translation_key="power_alarm", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "temp-alarm-prompt"): Traits(
        translation_key="temperature_alarm", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "baby-cry"): Traits(translation_key="baby_crying"),
    (ANY, "event-motion"): Traits(translation_key="motion_detected"),
    (ANY, "people-motion"): Traits(translation_key="person_detected"),
    (ANY, "map-change"): Traits(
        translation_key="map_changed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "map-update"): Traits(
        translation_key="map_updated", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "using-water"): Traits(translation_key="water_in_use"),
    (ANY, "stop-using-water"): Traits(translation_key="water_use_stopped"),
    (ANY, "timer-cancel"): Traits(translation_key="schedule_canceled"),
    (ANY, "pause-sweeping"): Traits(translation_key="pause_cleaning"),
    (ANY, "pause"): Traits(translation_key="pause"),
    (ANY, "start-only-sweep"): Traits(translation_key="start_sweep_only"),
    (ANY, "start-clean"): Traits(translation_key="start_sweep"),
    (ANY, "start-charging"): Traits(translation_key="start_charge"),
    (ANY, "stop-charging"): Traits(translation_key="stop_charging"),
    (ANY, "find-robot"): Traits(translation_key="locate"),
    (ANY, "continue-sweep"): Traits(translation_key="resume_cleaning"),
    (ANY, "start-collect"): Traits(translation_key="empty_dustbin"),
    (ANY, "start-dust"): Traits(translation_key="empty_dustbin"),
    (ANY, "reset-map"): Traits(
        translation_key="reset_map", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "reset-desiccant-life"): Traits(
        translation_key="reset_desiccant", category=EntityCategory.CONFIG
    ),
    (ANY, "cancel-cooking"): Traits(translation_key="cancel_cooking"),
    (ANY, "stop-working"): Traits(translation_key="stop"),
    (ANY, "brightness-up"): Traits(translation_key="brightness_up"),
    (ANY, "brightness-down"): Traits(translation_key="brightness_down"),
    (ANY, "bright-increase"): Traits(translation_key="brightness_up", enabled=False),
    (ANY, "bright-decrease"): Traits(translation_key="brightness_down", enabled=False),
    (ANY, "brightness-decrease"): Traits(translation_key="brightness_down", enabled=False),
    (ANY, "birghtness-increase"): Traits(translation_key="brightness_up", enabled=False),
    (ANY, "bright-add"): Traits(translation_key="brightness_up", enabled=False),
    (ANY, "bright-less"): Traits(translation_key="brightness_down", enabled=False),
    (ANY, "brightness-cycle"): Traits(translation_key="next_brightness", enabled=False),
    (ANY, "bright-circle"): Traits(translation_key="next_brightness", enabled=False),
    (ANY, "ct-cycle"): Traits(translation_key="next_color_temperature", enabled=False),
    (ANY, "ct-circle"): Traits(translation_key="next_color_temperature", enabled=False),
    (ANY, "fan-gears-cycle"): Traits(translation_key="next_fan_level"),
    (ANY, "loop-gear"): Traits(translation_key="next_fan_level"),
    (ANY, "restart-device"): Traits(
        translation_key="restart", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "reset"): Traits(translation_key="reset", category=EntityCategory.CONFIG, enabled=False),
    (ANY, "reset-carbon-dioxide"): Traits(
        translation_key="calibrate_co2", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "tv-switchon"): Traits(translation_key="turn_on"),
    (ANY, "upload-video"): Traits(
        translation_key="upload_video", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "no-motion-duration"): Traits(translation_key="no_motion_time"),
    (ANY, "current-physical-control-lock"): Traits(
        translation_key="child_lock", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "pet-food-left-level"): Traits(translation_key="food_level"),
    (ANY, "target-water-level"): Traits(translation_key="water_flow"),
    (ANY, "spin-speed"): Traits(translation_key="spin_speed"),
    (ANY, "rinsh-times"): Traits(translation_key="rinse_count"),
    (ANY, "drying-time"): Traits(translation_key="drying_time"),
    (ANY, "hot-water-recirculation"): Traits(translation_key="hot_water_recirculation"),
    (ANY, "blow"): Traits(translation_key="blow"),
    (ANY, "heating"): Traits(translation_key="heating"),
    (ANY, "ventilation"): Traits(translation_key="ventilation"),
    (ANY, "auto-keep-warm"): Traits(translation_key="auto_keep_warm"),
    (ANY, "temperature-display-unit"): Traits(
        translation_key="temperature_unit", category=EntityCategory.CONFIG
    ),
    (ANY, "temperature-unit"): Traits(
        translation_key="temperature_unit", category=EntityCategory.CONFIG
    ),
    (ANY, "tempature-unit"): Traits(
        translation_key="temperature_unit", category=EntityCategory.CONFIG
    ),
    (ANY, "language"): Traits(translation_key="language", category=EntityCategory.CONFIG),
    (ANY, "wifi-ssid"): Traits(
        translation_key="wifi_ssid", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "device-serial-number"): Traits(
        translation_key="serial_number", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "current-color-mode"): Traits(
        translation_key="color_mode", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "flow"): Traits(translation_key="color_flow"),
    (ANY, "flex-switch"): Traits(translation_key="flex_switch", category=EntityCategory.CONFIG),
    (ANY, "off-delay"): Traits(translation_key="off_delay", category=EntityCategory.CONFIG),
    (ANY, "vertical-angle"): Traits(
        translation_key="vertical_angle", category=EntityCategory.CONFIG
    ),
    (ANY, "horizontal-swing-included-angle"): Traits(
        translation_key="oscillation_angle", category=EntityCategory.CONFIG
    ),
    (ANY, "fahrenheit"): Traits(
        translation_key="temperature_fahrenheit", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "mop-status"): Traits(translation_key="mop_state"),
    (ANY, "sweep-mode"): Traits(translation_key="sweep_type"),
    (ANY, "mop-route"): Traits(translation_key="mop_route", category=EntityCategory.CONFIG),
    (ANY, "map-memory"): Traits(translation_key="map_memory", category=EntityCategory.CONFIG),
    (ANY, "remember-state"): Traits(translation_key="map_memory", category=EntityCategory.CONFIG),
    (ANY, "edge-sweep"): Traits(translation_key="edge_cleaning", category=EntityCategory.CONFIG),
    (ANY, "double-clean"): Traits(
        translation_key="double_cleaning", category=EntityCategory.CONFIG
    ),
    (ANY, "auto-boost"): Traits(translation_key="carpet_boost", category=EntityCategory.CONFIG),
    (ANY, "led-switch"): Traits(
        translation_key="indicator_light", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "station-led"): Traits(
        translation_key="station_light", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "area"): Traits(translation_key="cleaned_area"),
    (ANY, "not-disturb-switch"): Traits(
        translation_key="do_not_disturb", category=EntityCategory.CONFIG
    ),
    (ANY, "dry"): Traits(translation_key="dry"),
    (ANY, "heat-preservation"): Traits(translation_key="keep_warm"),
    (ANY, "indicator-brightness"): Traits(
        translation_key="indicator_brightness", category=EntityCategory.CONFIG
    ),
    (ANY, "monitoring-frequency"): Traits(
        translation_key="monitoring_frequency", category=EntityCategory.CONFIG
    ),
    (ANY, "screen-off"): Traits(translation_key="screen_off", category=EntityCategory.CONFIG),
    (ANY, "device-off"): Traits(translation_key="auto_off", category=EntityCategory.CONFIG),
    (ANY, "screensaver-time"): Traits(
        translation_key="screensaver_time", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "screensaver-type"): Traits(
        translation_key="screensaver_type", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "auto-slideing-time"): Traits(
        translation_key="slide_interval", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "arming-mode"): Traits(translation_key="arming_mode"),
    (ANY, "target-arming-mode"): Traits(
        translation_key="target_arming_mode", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-volume-away"): Traits(
        translation_key="alarm_volume_away", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-volume-basic"): Traits(
        translation_key="alarm_volume_basic", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-volume-home"): Traits(
        translation_key="alarm_volume_home", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-volume-sleep"): Traits(
        translation_key="alarm_volume_sleep", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-duration-away"): Traits(
        translation_key="alarm_duration_away", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-duration-basic"): Traits(
        translation_key="alarm_duration_basic", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-duration-home"): Traits(
        translation_key="alarm_duration_home", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "alarm-duration-sleep"): Traits(
        translation_key="alarm_duration_sleep", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "delay-time-away"): Traits(
        translation_key="arming_delay_away", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "delay-time-basic"): Traits(
        translation_key="arming_delay_basic", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "delay-time-home"): Traits(
        translation_key="arming_delay_home", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "delay-time-sleep"): Traits(
        translation_key="arming_delay_sleep", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-favorite"): Traits(
        translation_key="motor_speed_favorite", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-high"): Traits(
        translation_key="motor_speed_high", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-low"): Traits(
        translation_key="motor_speed_low", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-med"): Traits(
        translation_key="motor_speed_medium", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-med-l"): Traits(
        translation_key="motor_speed_medium_low", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-silent"): Traits(
        translation_key="motor_speed_silent", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor-strong"): Traits(
        translation_key="motor_speed_strong", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "motor1-speed"): Traits(
        translation_key="motor_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "motor1-set-speed"): Traits(
        translation_key="motor_target_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "stepless-fan-level"): Traits(translation_key="fan_speed"),
    (ANY, "fan-speed"): Traits(translation_key="fan_speed"),
    (ANY, "h-swing-back"): Traits(
        translation_key="horizontal_swing_return", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "v-swing-back"): Traits(
        translation_key="vertical_swing_return", category=EntityCategory.CONFIG, enabled=False
    ),
    (ANY, "speed-now"): Traits(
        translation_key="motor_speed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "battery-state"): Traits(
        translation_key="battery_installed", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "charging-status"): Traits(
        translation_key="charging_state", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "status-low-energy"): Traits(
        translation_key="battery_low", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "dnd-start-hour"): Traits(
        translation_key="dnd_start_hour", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "dnd-start-minute"): Traits(
        translation_key="dnd_start_minute", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "dnd-end-hour"): Traits(
        translation_key="dnd_end_hour", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "dnd-end-minute"): Traits(
        translation_key="dnd_end_minute", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "stop-time"): Traits(translation_key="end_time", category=EntityCategory.CONFIG),
    (ANY, "delay-time"): Traits(translation_key="delay", category=EntityCategory.CONFIG),
    (ANY, "delay-off-enable"): Traits(translation_key="delay_off", category=EntityCategory.CONFIG),
    (ANY, "sleep-delay-off"): Traits(
        translation_key="sleep_off_delay", category=EntityCategory.CONFIG
    ),
    (ANY, "fan-init-power-opt"): Traits(
        translation_key="fan_power_on_behavior", category=EntityCategory.CONFIG
    ),
    (ANY, "smart-switch-en"): Traits(
        translation_key="smart_switch", category=EntityCategory.CONFIG
    ),
    (ANY, "scene-mode"): Traits(translation_key="scene"),
    (ANY, "brightness-with-zero"): Traits(translation_key="brightness"),
    (ANY, "quick-cool-enable"): Traits(translation_key="quick_cool"),
    (ANY, "ac-mode"): Traits(translation_key="ac_mode"),
    (ANY, "ac-work-mode"): Traits(translation_key="ac_mode"),
    (ANY, "power-enable"): Traits(
        translation_key="power_on_enabled", category=EntityCategory.CONFIG
    ),
    (ANY, "task-switch"): Traits(translation_key="timer_enabled", category=EntityCategory.CONFIG),
    (ANY, "on-duration"): Traits(translation_key="on_duration", category=EntityCategory.CONFIG),
    (ANY, "off-duration"): Traits(translation_key="off_duration", category=EntityCategory.CONFIG),
    (ANY, "countdown"): Traits(translation_key="countdown", category=EntityCategory.CONFIG),
    (ANY, "countdown-info"): Traits(
        translation_key="countdown_active", category=EntityCategory.DIAGNOSTIC
    ),
    (ANY, "duration"): Traits(translation_key="duration", category=EntityCategory.CONFIG),
    (ANY, "protect-time"): Traits(
        translation_key="protection_time", category=EntityCategory.CONFIG
    ),
    (ANY, "over-ele-day"): Traits(
        translation_key="daily_energy_limit", category=EntityCategory.CONFIG
    ),
    (ANY, "over-ele-month"): Traits(
        translation_key="monthly_energy_limit", category=EntityCategory.CONFIG
    ),
    (ANY, "off-memory"): Traits(translation_key="remember_state", category=EntityCategory.CONFIG),
    (ANY, "babycry-switch"): Traits(
        translation_key="baby_cry_detection", category=EntityCategory.CONFIG
    ),
    (ANY, "baby-wake-switch"): Traits(
        translation_key="baby_wake_detection", category=EntityCategory.CONFIG
    ),
    (ANY, "voice-packets"): Traits(
        translation_key="voice_pack", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "water-pump-volt"): Traits(
        translation_key="pump_voltage", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "discharge-water"): Traits(
        translation_key="discharge_water", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "firmware-upgrade"): Traits(
        translation_key="firmware_upgrade", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "button-press"): Traits(
        translation_key="last_button", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "key-value"): Traits(
        translation_key="last_button", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "key-time"): Traits(
        translation_key="button_press_time", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "model"): Traits(
        translation_key="model", category=EntityCategory.DIAGNOSTIC, enabled=False
    ),
    (ANY, "boost-value"): Traits(translation_key="boost"),
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
            translation_key=f"{key}_time_left",
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
    "pascal": UnitOfPressure.PA,
    "L": UnitOfVolume.LITERS,
    "mv": UnitOfElectricPotential.MILLIVOLT,
    "mV": UnitOfElectricPotential.MILLIVOLT,
    "ppm": PARTS_PER_MILLION,
    # Xiaomi writes the Greek letter mu; Home Assistant the micro sign.
    "\u03bcg/m3": CONCENTRATION_MICROGRAMS_PER_CUBIC_METER,
    "\u00b5g/m3": CONCENTRATION_MICROGRAMS_PER_CUBIC_METER,
    "mg/m3": MILLIGRAMS_PER_CUBIC_METER,
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
    index: int | None = None
    """Its number among the device's entities that would otherwise have its name."""


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action that becomes a button: one without inputs, or whose inputs are known."""

    action: MiotAction
    traits: Traits
    inputs: tuple[Value, ...] = ()
    index: int | None = None
    """Its number among the device's entities that would otherwise have its name."""


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
    index: int | None = None
    """Its number among the device's entities that would otherwise have its name."""


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
    """The traits of a spec element; defaults for elements the tables do not know.

    The most precise entry wins: by device type, by (service, name), by name in any service.
    A vendor's own service, or a service a device type keeps out of sight (a vacuum's maps),
    stays a disabled diagnostic, named by the shared name if any.
    """
    precise = DEVICE_TRAITS.get((device_type, (service, name))) or TRAITS.get((service, name))
    if precise is not None:
        return precise
    hidden = SERVICE_TRAITS.get((device_type, service)) or (
        VENDOR_TRAITS if service in VENDOR_SERVICES else None
    )
    shared = TRAITS.get((ANY, name))
    if shared is None:
        return hidden or Traits()
    if hidden is None:
        return shared
    return replace(shared, category=hidden.category, enabled=hidden.enabled)


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
    if prop.readable or (prop.service, prop.name) in TRAITS or (ANY, prop.name) in TRAITS:
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


UNIT_CLASSES: Final[dict[str, SensorDeviceClass]] = {
    **dict.fromkeys(("celsius", "fahrenheit", "kelvin"), SensorDeviceClass.TEMPERATURE),
    **dict.fromkeys(("seconds", "minutes", "hours", "hour", "days"), SensorDeviceClass.DURATION),
    **dict.fromkeys(("watt", "kW"), SensorDeviceClass.POWER),
    **dict.fromkeys(("pascal", "kPa", "bar"), SensorDeviceClass.PRESSURE),
    **dict.fromkeys(("mv", "mV"), SensorDeviceClass.VOLTAGE),
    "kWh": SensorDeviceClass.ENERGY,
    "lux": SensorDeviceClass.ILLUMINANCE,
    "L": SensorDeviceClass.VOLUME_STORAGE,
    "km": SensorDeviceClass.DISTANCE,
    "km/h": SensorDeviceClass.SPEED,
}
"""Device classes a sensor's unit implies where the tables give none."""

UNMEASURED_UNITS: Final = frozenset({"arcdegrees"})
"""Units whose values have no meaningful mean: the mean of 359° and 1° is not 180°."""

COUNTER_NAMES: Final = (("total-",), ("-count", "-counts", "-times", "-used-time", "use-time"))
"""Name prefixes and suffixes of counters: they only grow, until the device resets them."""

COUNTING_CLASSES: Final = frozenset({SensorDeviceClass.ENERGY, SensorDeviceClass.WATER})
"""Device classes whose values are totals, never a measurement."""


@dataclass(frozen=True, slots=True)
class SensorClasses:
    """A sensor's device class, state class and unit."""

    device_class: SensorDeviceClass | None = None
    state_class: SensorStateClass | None = None
    unit: str | None = None


def numeric(prop: MiotProperty) -> bool:
    """Whether a property holds a number (not a value list)."""
    return not prop.value_list and (prop.format == "float" or prop.format in INTEGER_BOUNDS)


def sensor_classes(prop: MiotProperty, traits: Traits) -> SensorClasses:
    """What a sensor is: the tables' classes, else what its unit and name say.

    Every numeric, read-only property with a range and a unit that measures gets a state
    class, mapped or not: counters are `total_increasing`, the rest `measurement`.
    """
    if prop.value_list:
        return SensorClasses(SensorDeviceClass.ENUM)
    if not numeric(prop):
        return SensorClasses()
    unit = UNITS.get(prop.unit or "") or traits.unit
    device_class = (
        SensorDeviceClass(traits.device_class)
        if traits.device_class
        else UNIT_CLASSES.get(prop.unit or "")
    )
    if device_class is not None and unit not in DEVICE_CLASS_UNITS.get(device_class, {unit}):
        # A unit the class does not take (or none where it needs one): Home Assistant would
        # warn of the class; the value stays, without it.
        device_class = None
    state_class = SensorStateClass(traits.state_class) if traits.state_class else None
    if state_class is None and prop.value_range is not None and not prop.writable:
        prefixes, suffixes = COUNTER_NAMES
        if (
            device_class in COUNTING_CLASSES
            or prop.name.startswith(prefixes)
            or (prop.name.endswith(suffixes))
        ):
            state_class = SensorStateClass.TOTAL_INCREASING
        elif unit is not None and (prop.unit or "") not in UNMEASURED_UNITS:
            state_class = SensorStateClass.MEASUREMENT
    return SensorClasses(device_class, state_class, unit)


class NameSource(StrEnum):
    """Where an entity's name comes from."""

    DEVICE = "device"
    """The device's own name: the entity is what the device is."""
    TRANSLATION_KEY = "key"
    DEVICE_CLASS = "class"
    """Home Assistant's name of the entity's device class."""
    SPEC = "spec"
    """The spec's own text: the spec server's translated name, else the document's."""


NUMBERED: Final = "numbered"
"""The translation key of a spec-named entity whose name repeats on its device."""
NUMBERED_SUFFIX: Final = "_numbered"
"""Added to a translation key whose name repeats on a device: its string takes `{index}`."""

NAMED_BY_CLASS: Final = frozenset({Platform.SENSOR, Platform.BINARY_SENSOR, Platform.NUMBER})
"""Platforms whose entities Home Assistant names by their device class when nothing else does."""


@dataclass(frozen=True, slots=True)
class EntityName:
    """How an entity is named: its source, translation key and number on its device."""

    source: NameSource
    translation_key: str | None = None
    index: int | None = None


type PlannedItem = RoleItem | PropertyItem | ActionItem | EventItem


def _base_name(item: PlannedItem) -> EntityName:
    match item:
        case RoleItem():
            if item.main:
                return EntityName(NameSource.DEVICE)
            return EntityName(NameSource.TRANSLATION_KEY, item.role.translation_key)
        case _ if item.traits.translation_key:
            return EntityName(NameSource.TRANSLATION_KEY, item.traits.translation_key)
        case PropertyItem() if (
            item.platform in NAMED_BY_CLASS
            and item.traits.device_class not in (None, SensorDeviceClass.ENUM)
            and not (item.platform == Platform.SENSOR and item.prop.value_list)
        ):
            return EntityName(NameSource.DEVICE_CLASS)
    return EntityName(NameSource.SPEC)


def spec_element(
    item: PropertyItem | ActionItem | EventItem,
) -> MiotProperty | MiotAction | MiotEvent:
    """The spec element a generic entity shows, calls or reports."""
    match item:
        case PropertyItem():
            return item.prop
        case ActionItem():
            return item.action
        case EventItem():
            return item.event


def _spec_text(item: PropertyItem | ActionItem | EventItem) -> str:
    element = spec_element(item)
    return element.description or element.name


def name_identity(item: PlannedItem) -> tuple[str, str]:
    """What two entities of a device must not share: the name they would show.

    A device class's name counts as the translation key of the same name ("temperature").
    """
    base = _base_name(item)
    if base.source == NameSource.DEVICE:
        return (str(NameSource.DEVICE), "")
    if base.source == NameSource.SPEC:
        assert not isinstance(item, RoleItem)
        return (str(NameSource.SPEC), _spec_text(item))
    return (str(NameSource.TRANSLATION_KEY), _name_key(item, base))


def _name_key(item: PlannedItem, base: EntityName) -> str:
    if base.source == NameSource.DEVICE_CLASS and not isinstance(item, RoleItem):
        return str(item.traits.device_class)
    return base.translation_key or ""


def entity_name(item: PlannedItem) -> EntityName:
    """How a planned entity is named; one whose name repeats on its device is numbered."""
    base = _base_name(item)
    index = None if isinstance(item, RoleItem) else item.index
    if index is None:
        return base
    if base.source == NameSource.SPEC:
        return EntityName(NameSource.SPEC, NUMBERED, index)
    # A device class's name repeated is numbered by a translation key of the class's name.
    return EntityName(
        NameSource.TRANSLATION_KEY, f"{_name_key(item, base)}{NUMBERED_SUFFIX}", index
    )


def name_source(item: PlannedItem) -> NameSource:
    """Where a planned entity's name comes from: the device, a translation key, a device
    class, or the spec's text (the spec server's translated names count as spec text)."""
    return entity_name(item).source


def _numbered[T: (PropertyItem, ActionItem, EventItem)](
    items: tuple[T, ...], counts: Counter[tuple[str, str]], seen: Counter[tuple[str, str]]
) -> tuple[T, ...]:
    """Number the items whose name repeats on the device; `seen` counts across groups."""
    numbered = []
    for item in items:
        identity = name_identity(item)
        if counts[identity] > 1:
            seen[identity] += 1
        numbered.append(replace(item, index=seen[identity]) if counts[identity] > 1 else item)
    return tuple(numbered)


def fitted_traits(platform: Platform, prop: MiotProperty, traits: Traits) -> Traits:
    """Traits as a platform can take them: a read-only entity is no configuration.

    A writable setting no writable platform can show (a text) is a diagnostic sensor.
    """
    read_only = platform in (Platform.SENSOR, Platform.BINARY_SENSOR)
    if read_only and (
        traits.category == EntityCategory.CONFIG or (prop.writable and traits.category is None)
    ):
        traits = replace(traits, category=EntityCategory.DIAGNOSTIC)
    classes = {
        Platform.SENSOR: SensorDeviceClass,
        Platform.BINARY_SENSOR: BinarySensorDeviceClass,
        Platform.NUMBER: NumberDeviceClass,
    }.get(platform)
    if traits.device_class and (
        classes is None or traits.device_class not in {str(c) for c in classes}
    ):
        # A name shared across services may land on a platform its device class is not of
        # (an illumination in lux, or Weak / Strong): a two-state sensor is then named and
        # classed by its two states ("Light").
        two_states = two_states_of(prop) if platform == Platform.BINARY_SENSOR else None
        if two_states is None:
            return replace(traits, device_class=None)
        return replace(traits, device_class=two_states.device_class, translation_key=None)
    return traits


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
        PropertyItem(
            platform,
            prop,
            fitted_traits(platform, prop, property_traits(prop, spec.device_type)),
        )
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
    counts = Counter(
        name_identity(item) for group in (roles, properties, buttons, events) for item in group
    )
    seen: Counter[tuple[str, str]] = Counter()
    properties = _numbered(properties, counts, seen)
    buttons = _numbered(buttons, counts, seen)
    events = _numbered(events, counts, seen)
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
