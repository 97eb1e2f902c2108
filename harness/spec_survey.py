"""What the integration's mapping makes of Xiaomi's real spec documents, device by device.

Used by the tests over the shared folder and by `script/spec_summary`, which prints the table.
No Home Assistant instance is needed: this reads `mapping.plan_device`, the same plan the
platforms build their entities from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from homeassistant.const import EntityCategory, Platform

from custom_components.xiaomi_aiot.mapping import DevicePlan, name_source, plan_device
from custom_components.xiaomi_aiot.miot.spec import MiotSpec

NATURAL: Final[dict[str, frozenset[Platform]]] = {
    device_type: frozenset(platforms)
    for types, platforms in (
        (("light",), {Platform.LIGHT}),
        (("air-conditioner", "air-condition-outlet", "heater", "bath-heater"), {Platform.CLIMATE}),
        (("television", "speaker", "tv-box"), {Platform.MEDIA_PLAYER}),
        (("fan", "air-purifier"), {Platform.FAN}),
        (("humidifier", "dehumidifier"), {Platform.HUMIDIFIER}),
        (("curtain", "airer"), {Platform.COVER}),
        (("vacuum",), {Platform.VACUUM}),
        (("water-heater",), {Platform.WATER_HEATER}),
        (("outlet", "switch"), {Platform.SWITCH}),
        # Xiaomi's locks report, they cannot be locked from afar: their operations are events.
        (("lock",), {Platform.LOCK, Platform.EVENT}),
        (
            ("magnet-sensor", "motion-sensor", "smoke-sensor", "submersion-sensor"),
            {Platform.BINARY_SENSOR},
        ),
        (("temperature-humidity-sensor", "air-monitor"), {Platform.SENSOR}),
        # Home Assistant has no platform for these appliances: their state is sensors, their
        # settings switches, selects and numbers, as in Home Assistant's own appliance
        # integrations.
        (
            ("cooker", "kettle", "fridge", "washer", "pet-feeder"),
            {Platform.SENSOR, Platform.SELECT, Platform.SWITCH, Platform.NUMBER},
        ),
    )
    for device_type in types
}
"""The platforms a device type's own service is expected on (one of them)."""

GENERIC_TYPES: Final = frozenset({"camera", "gateway"})
"""Device types left on generic entities (see the README's limitations)."""

COMPACT_TYPES: Final = frozenset({"air-purifier", "fan", "humidifier", "dehumidifier"})
"""Device types held to at most `COMPACT_LIMIT` entities outside the diagnostic category."""
COMPACT_LIMIT: Final = 15


@dataclass(frozen=True, slots=True)
class DeviceSurvey:
    """One real document's device, as the mapping plans it."""

    model: str
    device_type: str
    primary: frozenset[Platform]
    """The platforms of the entities made from the device's own service."""
    entities: int
    visible: int
    """Entities outside the diagnostic category."""
    names: Counter[str] = field(default_factory=Counter)
    """How many entities are named by: "device", "key", "class", "spec" (raw spec text)."""

    @property
    def natural(self) -> bool:
        """Whether the device's own service is on its natural platform."""
        expected = NATURAL.get(self.device_type)
        return expected is None or bool(expected & self.primary)


def _primary_siids(spec: MiotSpec) -> set[int]:
    """The device's own services: those named as its type that have properties, else the
    first other (an air monitor's own service is empty: its environment service measures)."""
    own = {
        s.siid
        for s in spec.services.values()
        if s.name == spec.device_type and (s.properties or s.actions or s.events)
    }
    if own:
        return own
    rest = [
        s.siid
        for s in spec.services.values()
        if s.name not in ("device-information", spec.device_type)
    ]
    return set(rest[:1])


def primary_platforms(spec: MiotSpec, plan: DevicePlan) -> frozenset[Platform]:
    """The platforms of the device's rich entities and of its own service's entities."""
    own = _primary_siids(spec)
    # A rich entity made from another service is what the device is as well (a TV box's
    # player is its speaker service's; an AC outlet's climate its air-conditioner's).
    found = {item.role.platform for item in plan.roles}
    found |= {item.platform for item in plan.properties if item.prop.siid in own}
    if any(item.event.siid in own for item in plan.events):
        found.add(Platform.EVENT)
    if any(item.siid in own for item in plan.event_sensors):
        found.add(Platform.BINARY_SENSOR)
    if any(item.action.siid in own for item in plan.buttons):
        found.add(Platform.BUTTON)
    if plan.lock_events:  # a lock's state, from its events
        found.add(Platform.BINARY_SENSOR)
    return frozenset(found)


def name_sources(plan: DevicePlan) -> Counter[str]:
    """Where each planned entity's name comes from (`mapping.name_source`)."""
    sources = Counter(
        str(name_source(item))
        for group in (plan.roles, plan.properties, plan.buttons, plan.events)
        for item in group
    )
    sources["class"] += len(plan.event_sensors)
    sources["key"] += len(plan.commands)
    if plan.lock_events:
        sources["key"] += 1
    return sources


def survey(model: str, document: object) -> DeviceSurvey:
    """What the mapping makes of one real document."""
    spec = MiotSpec.from_dict(document)
    plan = plan_device(spec)
    diagnostic = sum(
        1 for item in plan.properties if item.traits.category is EntityCategory.DIAGNOSTIC
    ) + sum(
        1
        for item in (*plan.buttons, *plan.events)
        if item.traits.category is EntityCategory.DIAGNOSTIC
    )
    names = name_sources(plan)
    total = sum(names.values())
    return DeviceSurvey(
        model=model,
        device_type=spec.device_type,
        primary=primary_platforms(spec, plan),
        entities=total,
        visible=total - diagnostic,
        names=names,
    )


def _table(surveys: list[DeviceSurvey]) -> list[str]:
    """The summary table, by device type, and the totals."""
    by_type: dict[str, list[DeviceSurvey]] = {}
    for item in surveys:
        by_type.setdefault(item.device_type, []).append(item)
    lines = [
        "| type | devices | own service on | natural | entities/device (max) "
        "| outside diagnostic (max) | named by key or class |",
        "|---|---|---|---|---|---|---|",
    ]
    for device_type, items in sorted(by_type.items()):
        platforms = sorted({p.value for item in items for p in item.primary})
        natural = sum(item.natural for item in items)
        names = sum((item.names for item in items), Counter())
        lines.append(
            f"| {device_type} | {len(items)} | {', '.join(platforms) or '-'} "
            f"| {natural}/{len(items)}{' (generic)' if device_type in GENERIC_TYPES else ''} "
            f"| {_spread([i.entities for i in items])} | {_spread([i.visible for i in items])} "
            f"| {_share(names, 'key', 'class', 'device')} |"
        )
    names = sum((item.names for item in surveys), Counter())
    natural = [i for i in surveys if i.device_type not in GENERIC_TYPES]
    lines += [
        "",
        f"devices: {len(surveys)}; entities: {sum(names.values())}",
        f"own service on its natural platform: {sum(i.natural for i in natural)}"
        f" of {len(natural)} (cameras and gateways are generic)",
        f"names from raw spec text: {names['spec']} ({_share(names, 'spec')})",
    ]
    return lines


def _spread(counts: list[int]) -> str:
    return f"{sum(counts) / len(counts):.1f} ({max(counts)})"


def _share(names: Counter[str], *sources: str) -> str:
    total = sum(names.values())
    return f"{100 * sum(names[s] for s in sources) / total:.0f} %" if total else "-"


def main(argv: list[str]) -> int:
    """Print the table for the documents of a folder (the shared real specs by default)."""
    import json
    from pathlib import Path

    from harness.real_specs import REAL_SPEC_FILES

    folder = Path(argv[0]) if argv else REAL_SPEC_FILES
    if not folder.is_dir():
        print(f"no spec documents at {folder}")
        return 1
    surveys = [
        survey(path.stem, json.loads(path.read_text("utf-8")))
        for path in sorted(folder.glob("*.json"))
    ]
    print("\n".join(_table(surveys)))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
