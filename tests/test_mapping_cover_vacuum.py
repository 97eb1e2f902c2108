"""Every real curtain, airer and robot vacuum: its platform entity, and what its commands send."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

import pytest
from homeassistant.components.cover import CoverEntityFeature
from homeassistant.components.vacuum import VacuumEntityFeature
from homeassistant.components.vacuum.const import VacuumActivity
from homeassistant.const import EntityCategory, Platform
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.cover import COMMANDS, XiaomiCover
from custom_components.xiaomi_aiot.mapping import plan_device
from custom_components.xiaomi_aiot.miot import MiotSpec
from custom_components.xiaomi_aiot.vacuum import XiaomiVacuum
from harness.mapping import fake_coordinator, role
from harness.real_specs import REAL_SPEC_FILES, real_document, real_models

COVER_MODELS = [m for m in real_models() if m is None or ".curtain." in m or ".airer." in m]
VACUUM_MODELS = [m for m in real_models() if m is None or ".vacuum." in m]


def real_spec(model: str) -> MiotSpec:
    """The spec of a real document."""
    return MiotSpec.from_dict(real_document(model))


def cover_of(model: str, **values: Any) -> XiaomiCover:
    """The cover of a real model whose role properties have the given values."""
    spec = real_spec(model)
    item = role(plan_device(spec), Platform.COVER)
    keyed = {item.properties[name.replace("_", "-")].key: v for name, v in values.items()}
    return XiaomiCover(fake_coordinator(spec, keyed), item)


def vacuum_of(model: str, values: dict[tuple[int, int], Any] | None = None) -> XiaomiVacuum:
    """The vacuum of a real model, its device holding `values` by (siid, piid)."""
    spec = real_spec(model)
    coordinator = fake_coordinator(spec, values or {})
    coordinator.async_action = AsyncMock(return_value=[])
    return XiaomiVacuum(coordinator, role(plan_device(spec), Platform.VACUUM))


def writes(entity: XiaomiCover | XiaomiVacuum) -> list[dict[tuple[int, int], Any]]:
    """Every write the entity asked its coordinator for."""
    return [call.args[0] for call in entity.coordinator.async_write.call_args_list]


def actions(entity: XiaomiVacuum) -> list[tuple[int, int]]:
    """Every action the entity asked its coordinator to call."""
    return [call.args[:2] for call in entity.coordinator.async_action.call_args_list]


def test_the_real_documents_are_here_to_be_tested() -> None:
    """Seven curtains and airers and eleven vacuums, where the folder is."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    assert (len(COVER_MODELS), len(VACUUM_MODELS)) == (7, 11)


@pytest.mark.parametrize("model", COVER_MODELS)
async def test_every_real_curtain_opens_closes_and_stops_by_its_motor_control(model: str) -> None:
    """The motor-control value whose name is the command is written, nothing else."""
    cover = cover_of(model)
    motor = cover.role.properties["motor-control"]
    assert not motor.readable
    features = cover.supported_features
    assert features & CoverEntityFeature.OPEN
    assert features & CoverEntityFeature.CLOSE
    assert features & CoverEntityFeature.STOP

    await cover.async_open_cover()
    await cover.async_close_cover()
    await cover.async_stop_cover()

    assert all(list(write) == [motor.key] for write in writes(cover))
    sent = [motor.choice(write[motor.key]) for write in writes(cover)]
    assert [
        choice.name in COMMANDS[command]
        for choice, command in zip(sent, ("open", "close", "stop"), strict=True)
        if choice is not None
    ] == [True, True, True]


@pytest.mark.parametrize("model", COVER_MODELS)
async def test_every_real_curtain_goes_to_a_position_on_its_target(model: str) -> None:
    """30 % is written to target-position, within its range."""
    cover = cover_of(model)
    target = cover.role.properties["target-position"]
    assert cover.supported_features & CoverEntityFeature.SET_POSITION

    await cover.async_set_cover_position(position=30)

    (write,) = writes(cover)
    assert write == {target.key: 30}


@pytest.mark.parametrize("model", COVER_MODELS)
def test_every_real_curtain_shows_its_position(model: str) -> None:
    """Fully closed at the bottom of the range, open above it."""
    closed = cover_of(model, current_position=0)
    half = cover_of(model, current_position=1)

    assert closed.is_closed is True
    assert half.is_closed is False


def test_an_airers_position_outside_percent_is_scaled() -> None:
    """Mr Bond's airer reports its position as 0..2: shown as 0..100; it is no curtain."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    airer = cover_of("mrbond.airer.m1t", current_position=1)
    assert airer.current_cover_position == 50
    assert airer.device_class is None


@pytest.mark.parametrize("model", VACUUM_MODELS)
def test_every_real_vacuums_status_is_an_activity(model: str) -> None:
    """Each named status of every real vacuum means one of Home Assistant's activities."""
    status = vacuum_of(model).role.properties["status"]
    shown = {
        choice.name: vacuum_of(model, {status.key: choice.value}).activity
        for choice in status.value_list
    }
    assert [name for name, activity in shown.items() if activity is None] == []


@pytest.mark.parametrize("model", VACUUM_MODELS)
async def test_every_real_vacuum_starts_stops_and_goes_home_by_its_actions(model: str) -> None:
    """Start sweeping, stop sweeping and start charging, wherever the vendor put them."""
    vacuum = vacuum_of(model)
    features = vacuum.supported_features
    for feature in (
        VacuumEntityFeature.START,
        VacuumEntityFeature.STOP,
        VacuumEntityFeature.RETURN_HOME,
    ):
        assert features & feature

    await vacuum.async_start()
    await vacuum.async_stop()
    await vacuum.async_return_to_base()

    spec = vacuum.coordinator.spec
    names = [spec.action(siid, aiid).name for siid, aiid in actions(vacuum)]
    assert names[:2] == ["start-sweep", "stop-sweeping"]
    assert names[2] in ("start-charge", "start-charging")


@pytest.mark.parametrize("model", VACUUM_MODELS)
async def test_every_real_vacuums_other_commands_work_or_are_refused_translated(
    model: str,
) -> None:
    """Pause, locate and a fan speed: done where the spec can, else a translated refusal."""
    vacuum = vacuum_of(model)
    calls = [vacuum.async_pause(), vacuum.async_locate()]
    if vacuum.supported_features & VacuumEntityFeature.FAN_SPEED:
        calls.append(vacuum.async_set_fan_speed(vacuum.fan_speed_list[-1]))
    calls.append(vacuum.async_set_fan_speed("turbo"))
    refusals = []
    for call in calls:
        try:
            await call
        except HomeAssistantError as err:
            refusals.append((err.translation_domain, err.translation_key))
    assert refusals
    assert {domain for domain, _ in refusals} == {DOMAIN}
    assert {key for _, key in refusals} <= {"unknown_action", "invalid_option"}


@pytest.mark.parametrize("model", ["roborock.vacuum.a15"])
async def test_a_vacuum_without_pause_refuses_it_translated(model: str) -> None:
    """Roborock's document has no pause: none is offered, and one asked for is refused."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    vacuum = vacuum_of(model)
    assert not vacuum.supported_features & VacuumEntityFeature.PAUSE

    with pytest.raises(ServiceValidationError) as caught:
        await vacuum.async_pause()

    assert (caught.value.translation_domain, caught.value.translation_key) == (
        DOMAIN,
        "unknown_action",
    )
    assert actions(vacuum) == []


def test_an_idle_vacuum_that_charges_is_docked() -> None:
    """Idle with its battery charging is on the dock."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    spec = real_spec("roborock.vacuum.s5")
    status = spec.find("vacuum", "status")
    charging = spec.find("battery", "charging-state")
    assert status is not None
    assert charging is not None
    idle = next(c.value for c in status.value_list if c.name == "idle")

    on_dock = vacuum_of("roborock.vacuum.s5", {status.key: idle, charging.key: 1})
    off_dock = vacuum_of("roborock.vacuum.s5", {status.key: idle, charging.key: 2})

    assert on_dock.activity is VacuumActivity.DOCKED
    assert off_dock.activity is VacuumActivity.IDLE


def test_a_vacuums_speaker_is_its_voice_settings_not_a_media_player() -> None:
    """Roidmi's vacuum has a speaker service: its volume and mute are configuration."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    plan = plan_device(real_spec("roidmi.vacuum.v60"))

    assert plan.role_items(Platform.MEDIA_PLAYER) == []
    shown = {
        (item.platform, item.traits.translation_key, item.traits.category)
        for item in plan.properties
        if item.prop.service == "speaker"
    }
    assert shown == {
        (Platform.NUMBER, "voice_volume", EntityCategory.CONFIG),
        (Platform.SWITCH, "voice_mute", EntityCategory.CONFIG),
    }


@pytest.mark.parametrize("model", VACUUM_MODELS)
def test_every_real_vacuums_consumables_are_diagnostics(model: str) -> None:
    """Brush and filter life and time left sit with the diagnostics, with their units."""
    plan = plan_device(real_spec(model))
    consumables = [
        item
        for item in plan.properties
        if item.prop.service in ("brush-cleaner", "filter")
        and item.prop.name.endswith(("-life-level", "-left-time"))
    ]
    for item in consumables:
        assert item.traits.category is EntityCategory.DIAGNOSTIC, item.prop.name
        assert item.traits.translation_key, item.prop.name


@pytest.mark.parametrize(
    ("model", "moving"),
    [
        ("lumi.curtain.hagl05", {"opening": "opening", "closing": "closing", "stopped": None}),
        ("lumi.curtain.acn002", {"rising": "opening", "declining": "closing", "pause": None}),
        ("mrbond.airer.m1t", {"up": "opening", "dowm": "closing", "stop": None}),
    ],
)
def test_a_curtain_says_which_way_it_moves_from_its_status_names(
    model: str, moving: dict[str, str | None]
) -> None:
    """Real documents' words for moving, typos included; anything else is standing still."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    status = real_spec(model).find(model.split(".")[1], "status")
    assert status is not None
    for name, way in moving.items():
        value = next(c.value for c in status.value_list if c.name == name)
        cover = cover_of(model, status=value)
        shown = "opening" if cover.is_opening else "closing" if cover.is_closing else None
        assert shown == way, name


async def test_a_curtain_without_a_motor_command_or_target_refuses_it_translated() -> None:
    """A curtain whose spec cannot stop refuses to stop in words and writes nothing."""
    if not REAL_SPEC_FILES.is_dir():
        pytest.skip("no real documents")
    data = real_document("lumi.curtain.hagl05")
    (curtain,) = (s for s in data["services"] if s["type"].split(":")[3] == "curtain")
    (motor,) = (p for p in curtain["properties"] if p["type"].split(":")[3] == "motor-control")
    motor["value-list"] = [v for v in motor["value-list"] if v["description"] != "Pause"]
    spec = MiotSpec.from_dict(data)
    cover = XiaomiCover(fake_coordinator(spec, {}), role(plan_device(spec), Platform.COVER))
    assert not cover.supported_features & CoverEntityFeature.STOP

    with pytest.raises(ServiceValidationError) as caught:
        await cover.async_stop_cover()

    assert (caught.value.translation_domain, caught.value.translation_key) == (
        DOMAIN,
        "unknown_action",
    )
    assert writes(cover) == []
