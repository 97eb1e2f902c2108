"""Services: read, write and call spec elements of a device; speakers; Xiao Ai commands."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Final

import voluptuous as vol
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, SERVICE_SPEAK
from .coordinator import MiotCoordinator
from .errors import translated_errors
from .mapping import EXECUTE_TEXT, PLAY_TEXT, SPEAKER_SERVICE
from .miot import MiotProperty
from .miot.spec import MiotAction
from .runtime import XiaomiConfigEntry
from .voice.agent import UnknownAgentError, async_ask_agent, spoken_answer, xiaoai_agent_id

SERVICE_READ_PROPERTIES: Final = "read_properties"
SERVICE_WRITE_PROPERTY: Final = "write_property"
SERVICE_CALL_ACTION: Final = "call_action"
SERVICE_EXECUTE_COMMAND: Final = "execute_command"
SERVICE_XIAOAI_COMMAND: Final = "xiaoai_command"

ATTR_DEVICE_ID: Final = "device_id"
ATTR_PROPERTIES: Final = "properties"
ATTR_SIID: Final = "siid"
ATTR_PIID: Final = "piid"
ATTR_AIID: Final = "aiid"
ATTR_VALUE: Final = "value"
ATTR_INPUTS: Final = "inputs"
ATTR_TEXT: Final = "text"
ATTR_SILENT: Final = "silent"
ATTR_LANGUAGE: Final = "language"
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_AGENT_ID: Final = "agent_id"

TEXT_INPUT: Final = "text-content"
SILENT_INPUT: Final = "silent-execution"
"""Spec names of a Xiao Ai speaker's text actions and their inputs."""

IID: Final = vol.All(vol.Coerce(int), vol.Range(min=1))
SCALAR: Final = vol.Any(bool, int, float, str)
"""A MIoT value: the spec decides later which of these a property takes."""

READ_PROPERTIES_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_PROPERTIES): vol.All(
            cv.ensure_list,
            [vol.Schema({vol.Required(ATTR_SIID): IID, vol.Required(ATTR_PIID): IID})],
            vol.Length(min=1),
        ),
    }
)
WRITE_PROPERTY_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_SIID): IID,
        vol.Required(ATTR_PIID): IID,
        vol.Required(ATTR_VALUE): SCALAR,
    }
)
CALL_ACTION_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_SIID): IID,
        vol.Required(ATTR_AIID): IID,
        vol.Optional(ATTR_INPUTS, default=list): vol.All(cv.ensure_list, [SCALAR]),
    }
)
SPEAK_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_TEXT): vol.All(cv.string, vol.Length(min=1)),
    }
)
EXECUTE_COMMAND_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_TEXT): vol.All(cv.string, vol.Length(min=1)),
        vol.Optional(ATTR_SILENT, default=False): cv.boolean,
    }
)
XIAOAI_COMMAND_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_TEXT): vol.All(cv.string, vol.Length(min=1)),
        vol.Optional(ATTR_LANGUAGE): cv.string,
        # Older automations name an entry: there is one agent now, the entry must still exist.
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_AGENT_ID): cv.string,
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's services."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_READ_PROPERTIES,
        _async_read_properties,
        schema=READ_PROPERTIES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_WRITE_PROPERTY,
        _async_write_property,
        schema=WRITE_PROPERTY_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CALL_ACTION,
        _async_call_action,
        schema=CALL_ACTION_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(DOMAIN, SERVICE_SPEAK, _async_speak, schema=SPEAK_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_EXECUTE_COMMAND, _async_execute_command, schema=EXECUTE_COMMAND_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_XIAOAI_COMMAND,
        _async_xiaoai_command,
        schema=XIAOAI_COMMAND_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )


async def _async_read_properties(call: ServiceCall) -> ServiceResponse:
    """Read properties from the device itself, not from the last poll."""
    coordinator = _coordinator(call)
    props = [
        _property(coordinator, item[ATTR_SIID], item[ATTR_PIID])
        for item in call.data[ATTR_PROPERTIES]
    ]
    results = await _guarded(coordinator, coordinator.device.read_properties(p.key for p in props))
    return {
        "properties": [
            {
                "siid": prop.siid,
                "piid": prop.piid,
                "code": results[prop.key].code,
                "value": results[prop.key].value,
                "name": prop.name,
                "service": prop.service,
            }
            for prop in props
        ]
    }


async def _async_write_property(call: ServiceCall) -> ServiceResponse:
    """Write one property (the library checks the value against the spec); a refusal raises."""
    coordinator = _coordinator(call)
    prop = _property(coordinator, call.data[ATTR_SIID], call.data[ATTR_PIID])
    if not prop.writable:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="property_not_writable",
            translation_placeholders={"property": _label(prop.siid, prop.piid, prop.name)},
        )
    written = await _guarded(
        coordinator, coordinator.async_write({prop.key: call.data[ATTR_VALUE]})
    )
    return {"siid": prop.siid, "piid": prop.piid, "code": 0, "value": written[prop.key]}


async def _async_call_action(call: ServiceCall) -> ServiceResponse:
    """Call an action (the library checks its inputs against the spec); answer its outputs."""
    coordinator = _coordinator(call)
    action = _action(coordinator, call.data[ATTR_SIID], call.data[ATTR_AIID])
    outputs = await _guarded(
        coordinator, coordinator.async_action(action.siid, action.aiid, call.data[ATTR_INPUTS])
    )
    return {"outputs": outputs}


async def _async_speak(call: ServiceCall) -> None:
    """A speaker says a text, through its spec's play-text action."""
    await _async_speaker_action(call, PLAY_TEXT, {TEXT_INPUT: call.data[ATTR_TEXT]})


async def _async_execute_command(call: ServiceCall) -> None:
    """A speaker carries out a text command as if it had heard it, aloud or silently."""
    await _async_speaker_action(
        call,
        EXECUTE_TEXT,
        {TEXT_INPUT: call.data[ATTR_TEXT], SILENT_INPUT: call.data[ATTR_SILENT]},
    )


async def _async_speaker_action(call: ServiceCall, name: str, values: dict[str, Any]) -> None:
    """Call a speaker's text action by its spec name, inputs matched by their names."""
    coordinator = _coordinator(call)
    spec = coordinator.spec
    action = next(
        (a for a in spec.actions() if a.service == SPEAKER_SERVICE and a.name == name), None
    )
    inputs = [spec.property(action.siid, piid).name for piid in action.inputs] if action else []
    if action is None or set(inputs) != set(values):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_a_speaker",
            translation_placeholders={"device": coordinator.name},
        )
    given = [values[input_name] for input_name in inputs]
    await _guarded(coordinator, coordinator.async_action(action.siid, action.aiid, given))


async def _async_xiaoai_command(call: ServiceCall) -> ServiceResponse:
    """Run a text through the Xiao Ai agent (or the one given); answer what it said."""
    hass = call.hass
    agent_id: str | None = call.data.get(ATTR_AGENT_ID)
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_found",
                translation_placeholders={"entry_id": entry_id},
            )
    if agent_id is None:
        agent_id = xiaoai_agent_id(hass)
    agent_id = agent_id or conversation.HOME_ASSISTANT_AGENT
    try:
        result = await async_ask_agent(
            hass,
            call.data[ATTR_TEXT],
            context=call.context,
            language=call.data.get(ATTR_LANGUAGE),
            agent_id=agent_id,
        )
    except UnknownAgentError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="agent_not_found",
            translation_placeholders={"agent_id": str(err)},
        ) from err
    return {
        "answer": spoken_answer(result),
        "response_type": result.response.response_type.value,
        "agent_id": agent_id,
        "conversation_id": result.conversation_id,
    }


def _coordinator(call: ServiceCall) -> MiotCoordinator:
    """The coordinator of the device a call targets, by its device registry id."""
    device_id: str = call.data[ATTR_DEVICE_ID]
    device = dr.async_get(call.hass).async_get(device_id)
    identifiers = device.identifiers if device is not None else set()
    did = next((ident for domain, ident in identifiers if domain == DOMAIN), None)
    if device is None or did is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="device_not_found",
            translation_placeholders={"device_id": device_id},
        )
    for entry_id in device.config_entries:
        entry: XiaomiConfigEntry | None = call.hass.config_entries.async_get_entry(entry_id)
        if (
            entry is not None
            and entry.domain == DOMAIN
            and entry.state is ConfigEntryState.LOADED
            and (coordinator := entry.runtime_data.coordinators.get(did)) is not None
        ):
            return coordinator
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="device_not_loaded",
        translation_placeholders={"device": device.name_by_user or device.name or device_id},
    )


def _property(coordinator: MiotCoordinator, siid: int, piid: int) -> MiotProperty:
    with translated_errors(element=("property", _label(siid, piid))):
        return coordinator.spec.property(siid, piid)


def _action(coordinator: MiotCoordinator, siid: int, aiid: int) -> MiotAction:
    with translated_errors(element=("action", _label(siid, aiid))):
        return coordinator.spec.action(siid, aiid)


def _label(siid: int, iid: int, name: str | None = None) -> str:
    return f"{siid}.{iid} ({name})" if name else f"{siid}.{iid}"


async def _guarded[T](coordinator: MiotCoordinator, call: Awaitable[T]) -> T:
    """Await a device call; library errors become translated errors, a refused token reauth."""
    with translated_errors(coordinator):
        return await call
