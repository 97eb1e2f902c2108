"""What HACS and hassfest check before the integration can be published, checked offline.

`hacs.json` against HACS's schema (`custom_components/hacs/utils/validate.py` in hacs/integration:
only its known keys, `name` required), `manifest.json` against hassfest's schema for custom
integrations (`script/hassfest/manifest.py` in home-assistant/core), every file the two promise,
and the brand images' sizes (brands repository rules: icon 256x256, @2x 512x512; a logo's
shortest side 128 to 256 px, @2x 256 to 512 px).
"""

from __future__ import annotations

import ast
import json
import re
import struct
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import homeassistant.components
import pytest
import yaml
from awesomeversion import AwesomeVersion, AwesomeVersionException, AwesomeVersionStrategy
from packaging.requirements import Requirement

ROOT = Path(__file__).parents[1]
COMPONENT = ROOT / "custom_components" / "xiaomi_aiot"
HA_COMPONENTS = Path(homeassistant.components.__file__).parent

DEVELOPMENT_HA = "2025.4.4"
"""The Home Assistant release the project is developed against (as in test_quality)."""
MINIMUM_HA = "2025.4.0"

HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}
HACS_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "content_in_root": bool,
    "zip_release": bool,
    "filename": str,
    "hide_default_branch": bool,
    "country": (str, list),
    "homeassistant": str,
    "hacs": str,
    "persistent_directory": str,
    "render_readme": bool,
}

MANIFEST_REQUIRED = {
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "documentation",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "requirements",
    "version",
}
MANIFEST_KEYS = MANIFEST_REQUIRED | {
    "after_dependencies",
    "bluetooth",
    "dependencies",
    "dhcp",
    "disabled",
    "homekit",
    "import_executor",
    "loggers",
    "mqtt",
    "quality_scale",
    "single_config_entry",
    "ssdp",
    "usb",
    "zeroconf",
}
"""The keys hassfest's custom-integration schema knows."""
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]
ZEROCONF_KEYS = {"type", "name", "properties", "macaddress", "manufacturer", "model"}
ZEROCONF_TYPE = re.compile(r"^_[a-z0-9-]+\._(tcp|udp)\.local\.$")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@cache
def hacs() -> dict[str, Any]:
    """hacs.json."""
    data: dict[str, Any] = json.loads((ROOT / "hacs.json").read_text("utf-8"))
    return data


@cache
def manifest() -> dict[str, Any]:
    """The integration's manifest.json."""
    data: dict[str, Any] = json.loads((COMPONENT / "manifest.json").read_text("utf-8"))
    return data


def version(value: str) -> AwesomeVersion:
    """A version as hassfest reads it; AwesomeVersionException if it is none of its kinds."""
    return AwesomeVersion(value, ensure_strategy=VERSION_STRATEGIES)


def https_url(value: Any) -> bool:
    """An absolute https URL with a host."""
    parsed = urlparse(value) if isinstance(value, str) else None
    return parsed is not None and parsed.scheme == "https" and bool(parsed.netloc)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    with path.open("rb") as file:
        head = file.read(24)
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    length, kind = struct.unpack(">I4s", head[8:16])
    assert (length, kind) == (13, b"IHDR"), path.name
    width, height = struct.unpack(">II", head[16:24])
    return width, height


# --- hacs.json --------------------------------------------------------------------------------


def test_hacs_json_has_only_keys_hacs_knows_with_their_types() -> None:
    """HACS's schema forbids extra keys and requires a name."""
    data = hacs()
    assert set(data) - HACS_KEYS == set()
    assert isinstance(data.get("name"), str)
    assert data["name"].strip()
    for key, value in data.items():
        assert isinstance(value, HACS_TYPES[key]), key


def test_hacs_json_names_a_release_home_assistant_can_run() -> None:
    """A valid minimum release, at least 2025.4.0 and not newer than the one developed on."""
    minimum = AwesomeVersion(hacs()["homeassistant"])
    assert minimum.valid
    assert AwesomeVersion(MINIMUM_HA) <= minimum <= AwesomeVersion(DEVELOPMENT_HA)


def test_hacs_json_options_fit_together() -> None:
    """zip_release needs a filename; the content lives in custom_components/, not the root."""
    data = hacs()
    if data.get("zip_release"):
        assert data.get("filename", "").endswith(".zip")
    assert not data.get("content_in_root", False)
    if "hacs" in data:
        assert AwesomeVersion(data["hacs"]).valid
    countries = data.get("country", [])
    for country in [countries] if isinstance(countries, str) else countries:
        assert re.fullmatch(r"[A-Z]{2}", country), country


def test_one_integration_in_custom_components() -> None:
    """HACS manages the first directory of custom_components/ only: there must be one."""
    found = [p.name for p in (ROOT / "custom_components").iterdir() if p.name != "__pycache__"]
    assert found == [COMPONENT.name]


# --- manifest.json ----------------------------------------------------------------------------


def test_manifest_has_hassfests_keys_and_only_those() -> None:
    """The required keys of a custom integration, nothing hassfest would reject."""
    data = manifest()
    assert MANIFEST_REQUIRED - set(data) == set()
    assert set(data) - MANIFEST_KEYS == set()
    assert data["domain"] == COMPONENT.name
    assert isinstance(data["name"], str)
    assert data["name"].strip()


def test_manifest_keys_are_in_hassfests_order() -> None:
    """domain, name, then alphabetical: what `hassfest` sorts them to."""
    keys = list(manifest())
    assert keys == sorted(
        keys, key=lambda key: {"domain": ".domain", "name": ".name"}.get(key, key)
    )


def test_manifest_version_is_one_hassfest_and_hacs_accept() -> None:
    """CalVer, SemVer, SimpleVer, BuildVer or PEP 440."""
    value = manifest()["version"]
    assert isinstance(value, str)
    try:
        parsed = version(value)
    except AwesomeVersionException:
        pytest.fail(f"{value!r} is not a valid version")
    assert parsed.valid


@pytest.mark.parametrize("key", ["documentation", "issue_tracker"])
def test_manifest_urls_are_https(key: str) -> None:
    """Absolute https URLs; a custom integration documents itself, not on home-assistant.io."""
    value = manifest()[key]
    assert https_url(value), value
    assert urlparse(value).netloc != "www.home-assistant.io"


def test_manifest_issue_tracker_belongs_to_the_documented_repository() -> None:
    """Issues are filed where the code lives."""
    data = manifest()
    assert data["issue_tracker"].startswith(data["documentation"].rstrip("/") + "/")


def test_manifest_codeowners_are_github_handles() -> None:
    """At least one owner, each `@user` or `@org/team`."""
    owners = manifest()["codeowners"]
    assert isinstance(owners, list)
    assert owners
    for owner in owners:
        assert re.fullmatch(r"@[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?", owner), owner


def test_manifest_classes_are_hassfests() -> None:
    """iot_class and integration_type from hassfest's lists; a config flow really exists."""
    data = manifest()
    assert data["iot_class"] in IOT_CLASSES
    assert data["integration_type"] in INTEGRATION_TYPES
    assert data["config_flow"] is True
    assert (COMPONENT / "config_flow.py").is_file()


def test_manifest_requirements_and_loggers_are_well_formed() -> None:
    """Requirements are pip requirement strings; loggers are logger names."""
    data = manifest()
    assert isinstance(data["requirements"], list)
    for requirement in data["requirements"]:
        Requirement(requirement)
    for logger in data.get("loggers", []):
        assert re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", logger), logger


@pytest.mark.parametrize("key", ["dependencies", "after_dependencies"])
def test_manifest_dependencies_are_home_assistant_integrations(key: str) -> None:
    """Each named integration ships with Home Assistant."""
    names = manifest().get(key, [])
    assert isinstance(names, list)
    for name in names:
        assert (HA_COMPONENTS / name / "manifest.json").is_file(), name
    assert COMPONENT.name not in names


def test_manifest_zeroconf_entries_are_well_formed() -> None:
    """A service type `_x._udp.local.` (or `_tcp`), matchers lowercase, names with a wildcard."""
    for entry in manifest().get("zeroconf", []):
        if isinstance(entry, str):
            assert ZEROCONF_TYPE.match(entry), entry
            continue
        assert isinstance(entry, dict)
        assert set(entry) - ZEROCONF_KEYS == set(), entry
        assert ZEROCONF_TYPE.match(entry["type"]), entry
        for key in ("name", "manufacturer", "model"):
            if key in entry:
                assert entry[key] == entry[key].lower(), entry
        for value in entry.get("properties", {}).values():
            assert value == value.lower(), entry
        if "macaddress" in entry:
            assert entry["macaddress"] == entry["macaddress"].upper()
            assert "*" in entry["macaddress"]


def test_the_zeroconf_type_is_one_the_config_flow_handles() -> None:
    """Announcing a zeroconf match needs an `async_step_zeroconf` to receive it."""
    if not manifest().get("zeroconf"):
        return
    tree = ast.parse((COMPONENT / "config_flow.py").read_text("utf-8"))
    steps = {n.name for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)}
    assert "async_step_zeroconf" in steps


# --- files the manifest and HACS promise ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "LICENSE",
        "hacs.json",
        "brand/icon.png",
        "brand/logo.png",
        "custom_components/xiaomi_aiot/__init__.py",
        "custom_components/xiaomi_aiot/manifest.json",
        "custom_components/xiaomi_aiot/strings.json",
        "custom_components/xiaomi_aiot/translations/en.json",
    ],
)
def test_a_promised_file_exists(path: str) -> None:
    """Not empty either."""
    file = ROOT / path
    assert file.is_file(), path
    assert file.stat().st_size > 0, path


def registered_services() -> set[str]:
    """The services `services.py` registers under the integration's domain.

    Their names are literals or constants of `services.py` or `const.py`.
    """
    tree = ast.parse((COMPONENT / "services.py").read_text("utf-8"))
    modules = [tree, ast.parse((COMPONENT / "const.py").read_text("utf-8"))]
    constants = {
        target.id: node.value.value
        for module in modules
        for node in module.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "async_register"
            and len(node.args) >= 2
        ):
            name = node.args[1]
            if isinstance(name, ast.Constant):
                found.add(name.value)
            elif isinstance(name, ast.Name):
                found.add(constants[name.id])
    return found


def test_every_registered_service_is_described_in_services_yaml() -> None:
    """hassfest's services rule: each registered action has its services.yaml entry."""
    described = yaml.safe_load((COMPONENT / "services.yaml").read_text("utf-8"))
    registered = registered_services()
    assert {"read_properties", "speak"} <= registered  # the scan finds them
    assert registered == set(described)


def test_the_licence_is_apache_2() -> None:
    """README says Apache-2.0; the LICENSE file agrees."""
    assert "Apache License" in (ROOT / "LICENSE").read_text("utf-8")[:400]
    assert "Version 2.0" in (ROOT / "LICENSE").read_text("utf-8")[:400]


# --- brand images -----------------------------------------------------------------------------

BRAND_DIRS = [d for d in (ROOT / "brand", COMPONENT / "brand") if d.is_dir()]


def brand_images() -> list[Path]:
    """Every PNG of every brand folder (the repository's, and the integration's if any)."""
    return sorted(p for d in BRAND_DIRS for p in d.glob("*.png"))


def test_there_is_a_brand_folder_with_an_icon() -> None:
    """HACS wants at least an icon."""
    assert BRAND_DIRS
    for folder in BRAND_DIRS:
        assert (folder / "icon.png").is_file(), folder


@pytest.mark.parametrize("path", brand_images(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_brand_image_has_the_right_size(path: Path) -> None:
    """Icons square at 256 (512 for @2x); logos 128 to 256 px on the short side (@2x doubled)."""
    name = path.name.removeprefix("dark_")
    assert name in {"icon.png", "icon@2x.png", "logo.png", "logo@2x.png"}, path.name
    width, height = png_size(path)
    scale = 2 if name.endswith("@2x.png") else 1
    if name.startswith("icon"):
        assert (width, height) == (256 * scale, 256 * scale)
    else:
        assert 128 * scale <= min(width, height) <= 256 * scale


def test_a_high_resolution_logo_is_the_logo_doubled() -> None:
    """logo@2x has the logo's proportions at twice the size."""
    for folder in BRAND_DIRS:
        if (folder / "logo@2x.png").is_file():
            width, height = png_size(folder / "logo.png")
            assert png_size(folder / "logo@2x.png") == (2 * width, 2 * height)


def test_the_png_reader_reads_a_real_header(tmp_path: Path) -> None:
    """Guard the reader itself on a hand-made header."""
    header = PNG_SIGNATURE + struct.pack(">I4sII", 13, b"IHDR", 300, 120)
    (tmp_path / "x.png").write_bytes(header + b"\x08\x06\x00\x00\x00")
    assert png_size(tmp_path / "x.png") == (300, 120)
