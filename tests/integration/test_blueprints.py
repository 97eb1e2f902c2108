"""The automation blueprints, loaded by Home Assistant and run against the demo home.

Each blueprint is copied into the configuration's `blueprints/` folder, an automation is made
from it with `use_blueprint`, and its trigger happens in the simulated home: the car drives into
the home zone, the phones leave it, someone says good night. The effect is checked on the
simulated devices.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.components import conversation
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models as blueprint_models
from homeassistant.components.lock import LockState
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_UNLOCK, STATE_HOME, STATE_NOT_HOME, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import selector
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.miot.geo import gcj02_to_wgs84
from harness.hass import entity_id, later, sign_in
from simulator import Simulator, VirtualDevice
from simulator.cloud import CloudServer

ROOT = Path(__file__).parents[2]
BLUEPRINTS = ROOT / "blueprints"
AUTOMATIONS = BLUEPRINTS / "automation" / DOMAIN
NAMES = ("car_arriving_home.yaml", "lock_when_everyone_leaves.yaml", "good_night.yaml")
REPOSITORY = "https://github.com/xiaomi-aiot/xiaomi_aiot"

HOME_GCJ02 = (39.983424, 116.322987)
"""Home, in GCJ-02 as the car and the phones report it (Zhongguancun)."""
AWAY_GCJ02 = (39.909187, 116.397451)
"""Somewhere else in Beijing, about 11 km away (near Tiananmen)."""

CAR_START_GCJ02 = (39.990419, 116.311598)
"""Where the demo car is parked (Haidian), about 1.3 km from home."""

CAR, PHONES = "su7", ("alice-phone", "bob-phone")
CAR_LOCK = "lock.xiaomi_su7_door_lock"
"""The demo home's only lock entity: its front door lock cannot be locked remotely."""


def place(device: VirtualDevice, position: tuple[float, float]) -> None:
    """Move a car or a phone in the simulator (its location properties, GCJ-02)."""
    for name, value in zip(("latitude", "longitude"), position, strict=True):
        device.set(*device.resolve(name).key, value)


def value(device: VirtualDevice, name: str) -> Any:
    """A property of a simulated device; a value-list entry by its name."""
    prop = device.resolve(name)
    current = device.get(*prop.key)
    for choice in prop.value_list:
        if choice.value == current:
            return choice.name
    return current


@pytest.fixture
async def demo(hass: HomeAssistant, sim: Simulator, cloud: CloudServer) -> MockConfigEntry:
    """Blueprints in the configuration, zones around the family's address, everyone home.

    Home Assistant's zones are WGS-84: home is the converted point the devices report, and a
    3 km zone around it is where the car starts. Assist is set up before the account signs in,
    as in a default configuration.
    """
    await hass.async_add_executor_job(
        lambda: shutil.copytree(BLUEPRINTS, hass.config.path("blueprints"), dirs_exist_ok=True)
    )
    hass.config.latitude, hass.config.longitude = gcj02_to_wgs84(*HOME_GCJ02)
    near_home = {
        "name": "Near home",
        "latitude": hass.config.latitude,
        "longitude": hass.config.longitude,
        "radius": 3000,
    }
    assert await async_setup_component(hass, "zone", {"zone": [near_home]})
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    for phone in PHONES:
        place(sim.devices[phone], HOME_GCJ02)
    return await sign_in(hass, cloud)


@pytest.fixture(autouse=True)
def private_config_dir(hass: HomeAssistant, tmp_path: Path) -> None:
    """Every test writes its blueprints under its own temporary folder."""
    hass.config.config_dir = str(tmp_path / "config")


async def use_blueprint(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> str:
    """Make an automation from one of the blueprints; return its entity id once it is on."""
    config = {"use_blueprint": {"path": f"{DOMAIN}/{name}", "input": inputs}}
    assert await async_setup_component(hass, "automation", {"automation": [config]})
    await hass.async_block_till_done()
    automations = hass.states.async_all("automation")
    assert len(automations) == 1
    assert automations[0].state == STATE_ON, automations[0].attributes
    return automations[0].entity_id


def state(hass: HomeAssistant, written: str) -> str:
    """The state of an entity named as 2025.4 names it."""
    current = hass.states.get(entity_id(hass, written))
    assert current is not None, written
    return current.state


# --- the files --------------------------------------------------------------------------------


def test_there_are_the_three_blueprints() -> None:
    """Nothing else in the folder, nothing missing."""
    assert sorted(p.name for p in AUTOMATIONS.iterdir()) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_blueprint_is_valid_for_home_assistant(name: str) -> None:
    """Home Assistant's own blueprint schema, valid selectors, this integration's entities."""
    path = AUTOMATIONS / name
    data = yaml_util.load_yaml_dict(path)
    blueprint = blueprint_models.Blueprint(
        data,
        path=f"{DOMAIN}/{name}",
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.metadata["source_url"] == f"{REPOSITORY}/blob/main/{path.relative_to(ROOT)}"
    assert blueprint.metadata["description"].strip()
    for key, spec in blueprint.inputs.items():
        assert spec is not None, key
        assert spec.get("name"), key
        selector.validate_selector(spec["selector"])
        entity = spec["selector"].get("entity")
        if entity is not None:
            for item in entity["filter"]:
                assert item["domain"]
                assert item.get("integration", DOMAIN) == DOMAIN, key


@pytest.mark.parametrize("name", NAMES)
def test_a_blueprint_is_plain_yaml_apart_from_its_inputs(name: str) -> None:
    """A safe loader that knows only `!input` reads it: no other custom tags."""

    class Loader(yaml.SafeLoader):
        """Safe YAML with `!input`."""

    Loader.add_constructor("!input", lambda loader, node: f"<{loader.construct_scalar(node)}>")
    data = yaml.load((AUTOMATIONS / name).read_text("utf-8"), Loader=Loader)
    assert data["blueprint"]["domain"] == "automation"
    assert data["triggers"]
    assert data["actions"]


# --- the car comes home -----------------------------------------------------------------------


async def test_the_car_arriving_home_turns_on_the_light_and_the_air_conditioner(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry
) -> None:
    """The car's tracker enters the home zone; the light goes on, the AC cools to 26 °C."""
    car, light, ac = sim.devices[CAR], sim.devices["bedroom-light"], sim.devices["bedroom-ac"]
    tracker = entity_id(hass, "device_tracker.xiaomi_su7_location")
    assert state(hass, tracker) == "Near home"
    assert (value(light, "on"), value(ac, "on")) == (False, False)
    await use_blueprint(
        hass,
        "car_arriving_home.yaml",
        {
            "car_tracker": tracker,
            "hallway_light": [entity_id(hass, "light.bedside_lamp")],
            "air_conditioner": [entity_id(hass, "climate.bedroom_air_conditioner")],
            "hvac_mode": "cool",
            "temperature": 26,
        },
    )

    await later(hass)  # a poll while the car is still away changes nothing
    assert value(light, "on") is False

    place(car, HOME_GCJ02)
    await later(hass)
    assert state(hass, tracker) == STATE_HOME
    assert value(light, "on") is True
    assert (value(ac, "on"), value(ac, "mode"), value(ac, "target-temperature")) == (
        True,
        "cool",
        26,
    )


async def test_a_larger_zone_starts_the_house_earlier(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry
) -> None:
    """A 3 km zone around home: the car coming into it, still short of home, starts the AC."""
    ac = sim.devices["living-room-ac"]
    await use_blueprint(
        hass,
        "car_arriving_home.yaml",
        {
            "car_tracker": entity_id(hass, "device_tracker.xiaomi_su7_location"),
            "home_zone": "zone.near_home",
            "hallway_light": [entity_id(hass, "light.bedside_lamp")],
            "air_conditioner": [entity_id(hass, "climate.living_room_air_conditioner")],
            "hvac_mode": "heat",
            "temperature": 23.5,
        },
    )
    tracker = entity_id(hass, "device_tracker.xiaomi_su7_location")
    assert state(hass, tracker) == "Near home"  # where it starts, about 1.3 km away
    await later(hass)
    assert value(ac, "target-temperature") == 24  # already inside: not entering
    place(sim.devices[CAR], AWAY_GCJ02)
    await later(hass)
    assert state(hass, tracker) == STATE_NOT_HOME
    place(sim.devices[CAR], CAR_START_GCJ02)
    await later(hass)
    assert state(hass, tracker) == "Near home"
    assert (value(ac, "mode"), value(ac, "target-temperature")) == ("heat", 23.5)


# --- everyone leaves --------------------------------------------------------------------------


async def test_the_door_is_locked_when_the_last_phone_leaves(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry
) -> None:
    """Bob leaves: nothing. Alice leaves too: the unlocked car locks, and they are told."""
    notifications = async_mock_service(hass, "notify", "family")
    lock = entity_id(hass, CAR_LOCK)
    phones = [
        entity_id(hass, f"device_tracker.{p}_location") for p in ("alice_s_phone", "bob_s_phone")
    ]
    assert [state(hass, p) for p in phones] == [STATE_HOME, STATE_HOME]
    await hass.services.async_call("lock", SERVICE_UNLOCK, {ATTR_ENTITY_ID: lock}, blocking=True)
    assert state(hass, lock) == LockState.UNLOCKED
    await use_blueprint(
        hass,
        "lock_when_everyone_leaves.yaml",
        {
            "phones": phones,
            "door_lock": lock,
            "away_for": 0,
            "notify_service": "notify.family",
            "message": "门已锁好",
        },
    )

    place(sim.devices["bob-phone"], AWAY_GCJ02)
    await later(hass)
    assert [state(hass, p) for p in phones] == [STATE_HOME, STATE_NOT_HOME]
    assert value(sim.devices[CAR], "lock.status") == "unlocked"
    assert notifications == []

    place(sim.devices["alice-phone"], AWAY_GCJ02)
    await later(hass)
    assert [state(hass, p) for p in phones] == [STATE_NOT_HOME, STATE_NOT_HOME]
    assert value(sim.devices[CAR], "lock.status") == "locked"
    await later(hass)
    assert state(hass, lock) == LockState.LOCKED
    assert [call.data for call in notifications] == [
        {"title": "Door locked", "message": "门已锁好"}
    ]


async def test_a_locked_door_stays_as_it_is_and_no_notify_service_is_fine(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry
) -> None:
    """The car was locked already: no lock command goes out; no notification is configured."""
    lock = entity_id(hass, CAR_LOCK)
    assert state(hass, lock) == LockState.LOCKED
    phone = entity_id(hass, "device_tracker.bob_s_phone_location")
    await use_blueprint(
        hass,
        "lock_when_everyone_leaves.yaml",
        {"phones": [phone], "door_lock": lock, "away_for": 0},
    )
    calls = async_mock_service(hass, "lock", "lock")
    place(sim.devices["bob-phone"], AWAY_GCJ02)
    await later(hass)
    assert state(hass, phone) == STATE_NOT_HOME
    assert calls == []


# --- good night -------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", ["小爱同学，晚安", "晚安", "good night", "Good night!"])  # noqa: RUF001
async def test_good_night_turns_off_locks_and_puts_the_acs_to_sleep(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry, sentence: str
) -> None:
    """Said to Home Assistant's own agent, which handles conversation triggers."""
    lock = entity_id(hass, CAR_LOCK)
    await hass.services.async_call("lock", SERVICE_UNLOCK, {ATTR_ENTITY_ID: lock}, blocking=True)
    lamp, ceiling = sim.devices["study-lamp"], sim.devices["living-room-light"]
    bedroom_ac = sim.devices["bedroom-ac"]
    assert (value(lamp, "on"), value(ceiling, "on")) == (True, True)
    assert value(bedroom_ac, "sleep-mode") is False
    await use_blueprint(
        hass,
        "good_night.yaml",
        {
            "lights": [
                entity_id(hass, "light.desk_lamp"),
                entity_id(hass, "light.living_room_ceiling_light"),
            ],
            "locks": [lock],
            "sleep_switches": [entity_id(hass, "switch.bedroom_air_conditioner_sleep_mode")],
            "air_conditioners": [entity_id(hass, "climate.living_room_air_conditioner")],
            "sleep_temperature": 27,
        },
    )

    result = await conversation.async_converse(
        hass, sentence, None, Context(), agent_id=conversation.HOME_ASSISTANT_AGENT
    )
    await hass.async_block_till_done()

    assert result.response.speech["plain"]["speech"] == "晚安，好梦"  # noqa: RUF001
    assert (value(lamp, "on"), value(ceiling, "on")) == (False, False)
    assert value(sim.devices[CAR], "lock.status") == "locked"
    assert value(bedroom_ac, "sleep-mode") is True
    assert value(sim.devices["living-room-ac"], "target-temperature") == 27
    assert state(hass, lock) == LockState.LOCKED


async def test_good_night_with_only_the_lights_leaves_the_rest_alone(
    hass: HomeAssistant, sim: Simulator, demo: MockConfigEntry
) -> None:
    """Every group is optional; another sentence does not trigger it."""
    await use_blueprint(hass, "good_night.yaml", {"lights": [entity_id(hass, "light.desk_lamp")]})
    lamp = sim.devices["study-lamp"]
    await conversation.async_converse(
        hass, "早上好", None, Context(), agent_id=conversation.HOME_ASSISTANT_AGENT
    )
    await hass.async_block_till_done()
    assert value(lamp, "on") is True
    await conversation.async_converse(
        hass, "晚安", None, Context(), agent_id=conversation.HOME_ASSISTANT_AGENT
    )
    await hass.async_block_till_done()
    assert value(lamp, "on") is False
    assert value(sim.devices["living-room-ac"], "target-temperature") == 24
    assert value(sim.devices[CAR], "lock.status") == "locked"
