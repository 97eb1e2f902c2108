"""The library stands alone: importing it, or starting the simulator, loads no Home Assistant.

Each check runs in a fresh interpreter (this one has Home Assistant loaded) from the repository
root, as the simulator and the benchmarks are run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Prints, as JSON, the top-level packages and our own modules loaded once `code` has run
# (even if it ends with SystemExit, as `--help` does).
REPORT = """
import json, sys
def report():
    loaded = sorted(sys.modules)
    print(json.dumps({
        "top": sorted({name.split(".")[0] for name in loaded}),
        "ours": [name for name in loaded if name.startswith("custom_components")],
    }))
try:
    exec(compile(CODE, "<check>", "exec"))
except SystemExit:
    pass
report()
"""

EVERY_MODULE = """
import pkgutil
import custom_components.xiaomi_aiot.miot as miot
for module in pkgutil.walk_packages(miot.__path__, miot.__name__ + "."):
    __import__(module.name)
"""

SIMULATOR_HELP = """
import runpy, sys
sys.argv = ["simulator", "--help"]
runpy.run_module("simulator", run_name="__main__", alter_sys=True)
"""


def loaded_after(code: str) -> dict[str, list[str]]:
    """The packages a fresh interpreter has loaded after running `code`."""
    done = subprocess.run(
        [sys.executable, "-c", f"CODE = {code!r}\n{REPORT}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import custom_components.xiaomi_aiot.miot", id="import the library"),
        pytest.param(EVERY_MODULE, id="import every module of the library"),
        pytest.param(SIMULATOR_HELP, id="python -m simulator --help"),
    ],
)
def test_no_home_assistant_is_loaded(code: str) -> None:
    """Not one `homeassistant` module; the check itself sees a package it knows is there."""
    loaded = loaded_after(code)
    assert "homeassistant" not in loaded["top"]
    assert "custom_components" in loaded["top"]


def test_the_library_imports_nothing_else_of_the_integration() -> None:
    """Of the integration, only its package (the library's parent) is loaded, not its modules."""
    ours = loaded_after(EVERY_MODULE)["ours"]
    others = [name for name in ours if not name.startswith("custom_components.xiaomi_aiot.miot")]
    assert others == ["custom_components", "custom_components.xiaomi_aiot"]


def test_home_assistant_still_finds_its_hooks_after_importing_the_integration() -> None:
    """The check above would pass on a package that lost them: they are all still there."""
    loaded = loaded_after(
        "import custom_components.xiaomi_aiot as c, sys\n"
        "hooks = ['CONFIG_SCHEMA', 'async_setup', 'async_setup_entry', 'async_unload_entry',"
        " 'async_migrate_entry', 'async_remove_entry', 'async_remove_config_entry_device']\n"
        "assert all(callable(getattr(c, hook)) for hook in hooks)\n"
        "assert not hasattr(c, 'setup') and not hasattr(c, 'PLATFORM_SCHEMA')\n"
    )
    assert "homeassistant" not in loaded["top"]
