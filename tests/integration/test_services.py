"""The power-user services: reading, writing and calling spec elements by their ids."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xiaomi_aiot.const import DOMAIN
from harness.hass import SetUpDevice, device_id, service_call
from simulator import Simulator

SERVICES_YAML = Path(__file__).parents[2] / "custom_components" / DOMAIN / "services.yaml"


call = partial(service_call, response=True)


async def test_reading_properties_asks_the_device_not_the_last_poll(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Values changed on the device since the last poll come back, with spec names."""
    await set_up_device("living-room-ac")
    sim.devices["living-room-ac"].set(2, 4, 25.5)
    target = device_id(hass, sim, "living-room-ac")

    response = await call(
        hass,
        "read_properties",
        {"device_id": target, "properties": [{"siid": 2, "piid": 4}, {"siid": 4, "piid": 7}]},
    )

    assert response == {
        "properties": [
            {
                "siid": 2,
                "piid": 4,
                "code": 0,
                "value": 25.5,
                "name": "target-temperature",
                "service": "air-conditioner",
            },
            {
                "siid": 4,
                "piid": 7,
                "code": 0,
                "value": 28.5,
                "name": "temperature",
                "service": "environment",
            },
        ]
    }


async def test_reading_a_property_the_device_refuses_answers_its_code(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A property error is data, not a failure: the others still come back."""
    await set_up_device("living-room-ac")
    sim.devices["living-room-ac"].apply_faults({"property_errors": {"8.1": -4004}})

    response = await call(
        hass,
        "read_properties",
        {
            "device_id": device_id(hass, sim, "living-room-ac"),
            "properties": [{"siid": 8, "piid": 1}, {"siid": 4, "piid": 7}],
        },
    )

    assert response is not None
    assert [(p["code"], p["value"]) for p in response["properties"]] == [(-4004, None), (0, 28.5)]


async def test_reading_needs_a_response(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Reading without asking for the response makes no sense, and says so."""
    await set_up_device("study-lamp")
    with pytest.raises(ServiceValidationError):
        await call(
            hass,
            "read_properties",
            {
                "device_id": device_id(hass, sim, "study-lamp"),
                "properties": [{"siid": 2, "piid": 1}],
            },
            response=False,
        )


async def test_writing_a_property_changes_the_device_and_its_entity(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A valid value reaches the device, and the entity shows it at once."""
    await set_up_device("living-room-light")
    target = device_id(hass, sim, "living-room-light")

    response = await call(
        hass, "write_property", {"device_id": target, "siid": 2, "piid": 2, "value": 30}
    )

    assert response == {"siid": 2, "piid": 2, "code": 0, "value": 30}
    assert sim.devices["living-room-light"].get(2, 2) == 30
    state = hass.states.get("light.living_room_ceiling_light")
    assert state is not None
    assert state.attributes["brightness"] == round(30 * 255 / 100)


async def test_writing_without_asking_for_a_response_still_writes(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The response is optional."""
    await set_up_device("study-lamp")
    target = device_id(hass, sim, "study-lamp")

    response = await call(
        hass,
        "write_property",
        {"device_id": target, "siid": 2, "piid": 1, "value": False},
        response=False,
    )

    assert response is None
    assert sim.devices["study-lamp"].get(2, 1) is False


async def refused_offline(
    hass: HomeAssistant, sim: Simulator, device: str, service: str, data: dict[str, Any]
) -> str | None:
    """The translation key of the validation error a call to an offline device is refused
    with: had anything been sent, the error would be a connection error instead."""
    target = device_id(hass, sim, device)
    sim.devices[device].apply_faults({"offline": True})
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, {"device_id": target, **data})
    return err.value.translation_key


@pytest.mark.parametrize(
    ("data", "translation_key"),
    [
        ({"siid": 2, "piid": 2, "value": 300}, "invalid_value"),
        ({"siid": 2, "piid": 2, "value": "bright"}, "invalid_value"),
        ({"siid": 2, "piid": 9, "value": 1}, "unknown_property"),
        ({"siid": 9, "piid": 1, "value": 1}, "unknown_property"),
    ],
)
async def test_a_bad_write_is_refused_before_anything_is_sent(
    hass: HomeAssistant,
    sim: Simulator,
    set_up_device: SetUpDevice,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Checked against the spec first, even with the device offline."""
    await set_up_device("living-room-light")

    refused = await refused_offline(hass, sim, "living-room-light", "write_property", data)

    assert refused == translation_key
    assert sim.devices["living-room-light"].get(2, 2) == 80


async def test_writing_a_read_only_property_is_refused(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The indoor temperature is measured, not set."""
    await set_up_device("living-room-ac")
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "write_property",
            {
                "device_id": device_id(hass, sim, "living-room-ac"),
                "siid": 4,
                "piid": 7,
                "value": 20,
            },
        )
    assert err.value.translation_key == "property_not_writable"
    assert err.value.translation_placeholders == {"property": "4.7 (temperature)"}
    assert sim.devices["living-room-ac"].get(4, 7) == 28.5


async def test_a_write_the_device_refuses_raises_its_code(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The device's error code reaches the user as a translated error."""
    await set_up_device("living-room-light")
    sim.devices["living-room-light"].apply_faults({"property_errors": {"2.2": -4004}})
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "write_property",
            {
                "device_id": device_id(hass, sim, "living-room-light"),
                "siid": 2,
                "piid": 2,
                "value": 10,
            },
        )
    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "device_error"
    assert err.value.translation_placeholders == {"code": "-4004"}
    assert sim.devices["living-room-light"].get(2, 2) == 80


async def test_a_refused_token_during_a_call_asks_for_a_new_one(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """A device reset under a call fails it with a translated error and starts reauth."""
    await set_up_device("study-lamp")
    sim.devices["study-lamp"].apply_faults({"token": "ab" * 16})
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "write_property",
            {"device_id": device_id(hass, sim, "study-lamp"), "siid": 2, "piid": 2, "value": 10},
        )
    assert err.value.translation_key == "invalid_token"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_calling_an_action_with_inputs_reaches_the_device(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The speaker says the text it was given, and the outputs come back."""
    await set_up_device("xiaoai-speaker")
    response = await call(
        hass,
        "call_action",
        {
            "device_id": device_id(hass, sim, "xiaoai-speaker"),
            "siid": 5,
            "aiid": 1,
            "inputs": ["晚饭好了"],
        },
    )
    assert response == {"outputs": []}
    assert list(sim.devices["xiaoai-speaker"].spoken) == ["晚饭好了"]


async def test_an_action_updates_the_entities_it_affects(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Toggling through the service shows on the light entity (the poll after the call)."""
    await set_up_device("living-room-light")
    await call(
        hass,
        "call_action",
        {"device_id": device_id(hass, sim, "living-room-light"), "siid": 2, "aiid": 1},
        response=False,
    )
    await hass.async_block_till_done()
    assert sim.devices["living-room-light"].get(2, 1) is False
    state = hass.states.get("light.living_room_ceiling_light")
    assert state is not None
    assert state.state == STATE_OFF


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"siid": 5, "aiid": 1, "inputs": []}, "invalid_value"),
        ({"siid": 5, "aiid": 1, "inputs": [42]}, "invalid_value"),
        ({"siid": 5, "aiid": 5, "inputs": ["lights off", "yes"]}, "invalid_value"),
        ({"siid": 5, "aiid": 9}, "unknown_action"),
    ],
)
async def test_a_bad_action_call_is_refused_before_anything_is_sent(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice, data: dict[str, Any], key: str
) -> None:
    """Wrong number or type of inputs, or no such action: nothing is said."""
    await set_up_device("xiaoai-speaker")

    assert await refused_offline(hass, sim, "xiaoai-speaker", "call_action", data) == key
    assert list(sim.devices["xiaoai-speaker"].spoken) == []


async def test_a_device_of_another_integration_is_not_found(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Only our devices can be targeted; unknown ids are refused the same way."""
    await set_up_device("study-lamp")
    other = MockConfigEntry(domain="hue")
    other.add_to_hass(hass)
    foreign = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("hue", "lamp-1")}
    )
    for target in (foreign.id, "no-such-device"):
        with pytest.raises(ServiceValidationError) as err:
            await call(
                hass,
                "read_properties",
                {"device_id": target, "properties": [{"siid": 2, "piid": 1}]},
            )
        assert err.value.translation_key == "device_not_found"
        assert err.value.translation_placeholders == {"device_id": target}


async def test_a_device_whose_entry_is_unloaded_is_not_loaded(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """After unloading, the device is still registered but cannot be reached."""
    entry = await set_up_device("study-lamp")
    target = device_id(hass, sim, "study-lamp")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "write_property",
            {"device_id": target, "siid": 2, "piid": 1, "value": False},
        )
    assert err.value.translation_key == "device_not_loaded"
    assert err.value.translation_placeholders == {"device": "Desk Lamp"}
    assert sim.devices["study-lamp"].get(2, 1) is True


async def test_the_services_exist_before_any_device_is_set_up(hass: HomeAssistant) -> None:
    """They are registered with the integration, not with each entry, with the fields that
    services.yaml describes."""
    assert await async_setup_component(hass, DOMAIN, {})
    described = await hass.async_add_executor_job(load_yaml_dict, str(SERVICES_YAML))
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(registered) == {
        "read_properties",
        "write_property",
        "call_action",
        "speak",
        "execute_command",
        "xiaoai_command",
    }
    assert set(described) == set(registered)
    for name, service in registered.items():
        assert service.schema is not None
        assert {str(key) for key in service.schema.schema} == set(described[name]["fields"])
