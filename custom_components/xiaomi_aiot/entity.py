"""The base of every Xiaomi AIoT entity."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any

from homeassistant.const import Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, MANUFACTURERS
from .coordinator import MiotCoordinator
from .errors import exception_handler
from .mapping import (
    ActionItem,
    EventItem,
    NameSource,
    PropertyItem,
    RoleItem,
    entity_name,
    spec_element,
)
from .miot import (
    MiotProperty,
)
from .miot.spec import MiotAction, MiotEvent, Value
from .miot.specsource import translation_key
from .runtime import XiaomiConfigEntry, new_device_signal


def device_info(coordinator: MiotCoordinator) -> DeviceInfo:
    """The device registry entry of a coordinator's device."""
    model = coordinator.device.spec.description or None
    info = coordinator.info
    model_id = info.model if info else None
    vendor = (model_id or "").split(".", 1)[0]
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.did)},
        connections={(CONNECTION_NETWORK_MAC, info.mac.lower())} if info and info.mac else set(),
        manufacturer=MANUFACTURERS.get(vendor, "Xiaomi"),
        model=model,
        model_id=model_id,
        name=coordinator.name,
        suggested_area=coordinator.room,
        sw_version=info.firmware if info else None,
        hw_version=info.hardware if info else None,
    )


class XiaomiEntity(CoordinatorEntity[MiotCoordinator]):
    """An entity of one device, named by translation key, identified by did and spec ids."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: MiotCoordinator, key: str) -> None:
        """`key` names the entity within its device (spec ids, e.g. ``p-2-1``)."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.did}-{key}"
        self._attr_device_info = device_info(coordinator)


def spec_name(coordinator: MiotCoordinator, element: MiotProperty | MiotAction | MiotEvent) -> str:
    """A name no translation key gives: the spec server's, in the user's language, else the
    document's description, else the element's type name."""
    match element:
        case MiotProperty():
            key = translation_key(element.siid, "property", element.piid)
        case MiotAction():
            key = translation_key(element.siid, "action", element.aiid)
        case MiotEvent():
            key = translation_key(element.siid, "event", element.eiid)
    return coordinator.names.get(key) or element.description or element.name


def name_entity(entity: XiaomiEntity, item: PropertyItem | ActionItem | EventItem) -> None:
    """Name an entity as its plan says: by translation key, device class or spec text, with
    its number where the name repeats on its device."""
    name = entity_name(item)
    placeholders = {} if name.index is None else {"index": str(name.index)}
    if name.source == NameSource.SPEC:
        text = spec_name(entity.coordinator, spec_element(item))
        if name.index is None:
            entity._attr_name = text
        else:
            placeholders["name"] = text
    if name.translation_key:
        entity._attr_translation_key = name.translation_key
    if placeholders:
        entity._attr_translation_placeholders = placeholders


class XiaomiPropertyEntity(XiaomiEntity):
    """An entity showing one property, named and classed by the mapping's traits."""

    def __init__(self, coordinator: MiotCoordinator, item: PropertyItem) -> None:
        """Take the name from the traits' translation key, else from the spec."""
        prop = item.prop
        super().__init__(coordinator, f"p-{prop.siid}-{prop.piid}")
        self.prop: MiotProperty = prop
        traits = item.traits
        name_entity(self, item)
        self._attr_entity_category = traits.category
        self._attr_entity_registry_enabled_default = traits.enabled

    @property
    def raw_value(self) -> Value | None:
        """The property's last value; None when unknown."""
        value: Value | None = self.coordinator.value(self.prop.key)
        return value

    async def write(self, value: Value) -> None:
        """Write the property, a number on its nearest step."""
        await self.coordinator.async_write({self.prop.key: self.prop.snap(value)})


def add_device_entities(
    hass: HomeAssistant,
    entry: XiaomiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[MiotCoordinator], Iterable[Entity]],
) -> None:
    """Add a platform's entities for every device now, and for each device that appears later."""
    async_add_entities(
        entity
        for coordinator in entry.runtime_data.coordinators.values()
        for entity in build(coordinator)
    )

    @callback
    def device_added(coordinator: MiotCoordinator) -> None:
        async_add_entities(build(coordinator))

    entry.async_on_unload(
        async_dispatcher_connect(hass, new_device_signal(entry.entry_id), device_added)
    )


type PlatformSetup = Callable[
    [HomeAssistant, XiaomiConfigEntry, AddConfigEntryEntitiesCallback], Coroutine[Any, Any, None]
]


def set_up_entities(build: Callable[[MiotCoordinator], Iterable[Entity]]) -> PlatformSetup:
    """A platform's `async_setup_entry`: the entities `build` makes of each device, now and
    for each device that appears later."""

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: XiaomiConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        """Add the platform's entities of every device."""
        add_device_entities(hass, entry, async_add_entities, build)

    return async_setup_entry


def set_up_roles(
    platform: Platform, entity: Callable[[MiotCoordinator, RoleItem], Entity]
) -> PlatformSetup:
    """A role platform's `async_setup_entry`: one entity for each of its role items."""
    return set_up_entities(
        lambda coordinator: [
            entity(coordinator, item) for item in coordinator.plan.role_items(platform)
        ]
    )


def set_up_properties(
    platform: Platform, entity: Callable[[MiotCoordinator, PropertyItem], Entity]
) -> PlatformSetup:
    """A generic platform's `async_setup_entry`: one entity for each of its property items."""
    return set_up_entities(
        lambda coordinator: [
            entity(coordinator, item) for item in coordinator.plan.property_items(platform)
        ]
    )


class XiaomiRoleEntity(XiaomiEntity):
    """A rich entity made of several properties and actions of a role."""

    def __init__(self, coordinator: MiotCoordinator, item: RoleItem) -> None:
        """The device's main entity carries the device's name; a part is named by its key."""
        super().__init__(coordinator, f"{item.role.platform}-{item.siid}")
        self.role = item
        self._attr_translation_key = item.role.translation_key
        if item.main:
            self._attr_name = None

    def value(self, name: str) -> Value | None:
        """The last value of one of the role's properties; None when unknown or absent."""
        prop = self.role.prop(name)
        return None if prop is None else self.coordinator.value(prop.key)

    def flag(self, name: str) -> bool | None:
        """The value of one of the role's boolean properties; None when unknown or absent."""
        value = self.value(name)
        return None if value is None else bool(value)

    def number(self, prop: MiotProperty | None) -> float | None:
        """The value of a numeric property, the role's or another's (a room's humidity)."""
        value = None if prop is None else self.coordinator.value(prop.key)
        return None if value is None else float(value)

    def choice_name(self, name: str) -> str | None:
        """The value-list name of one of the role's properties."""
        prop = self.role.prop(name)
        value = self.value(name)
        if prop is None or value is None:
            return None
        choice = prop.choice(int(value))
        return choice.name if choice else None

    def choice_value(self, name: str, choice_name: str) -> int | None:
        """The value of a value-list entry of one of the role's properties, by its name."""
        prop = self.role.prop(name)
        if prop is None:
            return None
        return next((c.value for c in prop.value_list if c.name == choice_name), None)

    async def write(self, values: Mapping[str, Value]) -> None:
        """Write several of the role's properties in one request, numbers on their steps."""
        props = self.role.properties
        await self.coordinator.async_write(
            {props[name].key: props[name].snap(value) for name, value in values.items()}
        )

    async def act(self, action: str, effects: Mapping[str, Value] | None = None) -> None:
        """Call one of the role's actions; `effects` are the property values it causes.

        An action the spec lacks is refused with a translated error, not attempted.
        """
        target = self.role.actions.get(action)
        if target is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_action",
                translation_placeholders={"action": action},
            )
        await self.coordinator.async_action(
            target.siid,
            target.aiid,
            effects={
                self.role.properties[name].key: value
                for name, value in (effects or {}).items()
                if name in self.role.properties
            },
        )


def temperature_unit(prop: MiotProperty | None) -> str:
    """The unit of a temperature property: Fahrenheit where the spec says so, else Celsius."""
    if prop is not None and prop.unit == "fahrenheit":
        return UnitOfTemperature.FAHRENHEIT
    return UnitOfTemperature.CELSIUS


def invalid_option(option: str, options: Iterable[str]) -> ServiceValidationError:
    """The translated error for a choice the device does not offer."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="invalid_option",
        translation_placeholders={"option": option, "options": ", ".join(options)},
    )


class XiaomiPoweredEntity(XiaomiRoleEntity):
    """A role entity switched on and off through its role's `on` property."""

    @exception_handler
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Power on."""
        await self.write({"on": True})

    @exception_handler
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Power off."""
        await self.write({"on": False})
