"""What writing a property does to a simulated real device: a curtain moves, then stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.real_specs import ABSENT, REAL_SPEC_FILES
from simulator import Simulator, VirtualDevice, load_home
from simulator.rpc import set_properties

pytestmark = pytest.mark.skipif(not REAL_SPEC_FILES.is_dir(), reason=ABSENT)


def real_device(model: str, tmp_path: Path) -> VirtualDevice:
    """A simulated device of a real model, not started: its state and RPC only."""
    shutil.copy(REAL_SPEC_FILES / f"{model}.json", tmp_path / f"{model}.json")
    config = {"id": "it", "kind": "device", "name": "It", "model": model}
    home = load_home({"devices": [config]}, tmp_path)
    return Simulator(home, seed=1).devices["it"]


def write(device: VirtualDevice, siid: int, piid: int, value: int) -> None:
    """Write one property over the device's RPC, as a client does; it must be accepted."""
    (answer,) = set_properties(device, [{"siid": siid, "piid": piid, "value": value}])
    assert answer["code"] == 0


@pytest.mark.parametrize(("command", "position"), [(1, 100), (2, 0)])
def test_a_curtains_motor_control_opens_and_closes_it(
    tmp_path: Path, command: int, position: int
) -> None:
    """lumi.curtain.hagl05: 1 is Open, 2 Close; the curtain and its target get to the end."""
    device = real_device("lumi.curtain.hagl05", tmp_path)

    write(device, 2, 2, command)

    assert (device.get(2, 3), device.get(2, 7)) == (position, position)


def test_a_curtain_told_to_pause_stays_and_one_given_a_target_gets_there(tmp_path: Path) -> None:
    """Pause moves nothing; a target position is reached at once."""
    device = real_device("lumi.curtain.hagl05", tmp_path)
    write(device, 2, 7, 30)
    assert device.get(2, 3) == 30

    write(device, 2, 2, 0)

    assert device.get(2, 3) == 30


def test_an_airer_goes_up_on_both_of_its_positions_where_they_fit(tmp_path: Path) -> None:
    """mrbond.airer.m1t has two current positions (0..2 and 0..100 %): "Up" tops both."""
    device = real_device("mrbond.airer.m1t", tmp_path)

    write(device, 2, 2, 1)

    assert (device.get(2, 3), device.get(2, 11), device.get(2, 13)) == (2, 100, 100)
    write(device, 2, 13, 50)
    assert (device.get(2, 3), device.get(2, 11)) == (2, 50)
