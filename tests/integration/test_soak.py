"""The fault soak, short form: 50 devices on a hostile network for a few poll intervals.

The long form, with the figures printed, is `bench/soak.py`. Set ``XIAOMI_AIOT_SOAK_REPORT``
to a file name to have this run's figures written there as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from custom_components.xiaomi_aiot.const import DOMAIN
from custom_components.xiaomi_aiot.timing import DATA_TIMING, DEFAULT_TIMING
from harness.hass import SetUpDevice, entity_id, later
from harness.net import first_address
from harness.soak.home import HostileNetwork, running_home
from harness.soak.run import SHOWN_AGAIN, SoakPlan, run_soak
from simulator import Simulator
from simulator.cloud import CloudServer

PLAN = SoakPlan(
    poll_interval=5,
    baseline_cycles=1,
    fault_cycles=4,
    commands_per_second=4.0,
    seed=1,
    token_lifetime=30.0,
    memory_allowance=2 * 1024 * 1024,
    spare_handles=64,
)
"""About 35 s: the shortest poll interval the options allow, four of them under faults.

Four memory samples cannot tell a slow leak from churn: the allowance only catches a gross one
(file descriptors and tasks are held within 64 of the baseline: in the whole suite under
coverage up to 56 sockets and 31 tasks of the faults' connections were still open after
recovery; a leak of one per poll over its devices passes that). The long form in bench/ samples
30 times and holds file descriptors and tasks exact.
"""


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
async def soak_home() -> AsyncIterator[tuple[Simulator, CloudServer]]:
    """The 50-device home on loopback, with a cloud whose service tokens last 30 s."""
    async with running_home(
        first_address(), seed=PLAN.seed, token_lifetime=PLAN.token_lifetime
    ) as running:
        yield running


async def test_a_home_on_a_hostile_network_loses_no_command_and_is_back_within_a_poll(
    hass: HomeAssistant, soak_home: tuple[Simulator, CloudServer]
) -> None:
    """Loss, delays, duplicates, bad packets, reboots, outages and cloud 5xx: all survived.

    No acknowledged command is lost, refusals are Home Assistant errors, nothing is logged
    as an unhandled exception, availability lines do not repeat, memory does not grow, and
    once the faults end every device is back within one poll interval.
    """
    # The hostile devices' replies come up to 0.5 s late: a home network's timing waits for them.
    hass.data[DATA_TIMING] = DEFAULT_TIMING
    sim, cloud = soak_home
    network = HostileNetwork(sim, cloud, PLAN.poll_interval, random.Random(PLAN.seed))
    figures = await run_soak(hass, network, PLAN)
    report = figures.as_dict()
    if path := os.environ.get("XIAOMI_AIOT_SOAK_REPORT"):
        await hass.async_add_executor_job(_write, Path(path), json.dumps(report, indent=2))
    # A command refused under the faults may still have reached the device; if its report
    # is lost too, the state is right again only at the safety-net poll. Here it is required
    # by then; bench/soak.py holds it to one poll interval.
    missed = [
        f"{check.name}: {check.detail}"
        for check in figures.checks
        if not check.passed and check.name != SHOWN_AGAIN
    ]
    assert not missed, json.dumps({"missed": missed, "commands": report["commands"]}, indent=2)


async def test_a_stray_packet_before_each_reply_does_not_ask_for_a_new_token(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """Garbage in front of every reply is a noisy network, not a token change.

    Half of the simulator's garbage packets carry a miIO header with the device's id, so each
    attempt of a request meets one with even odds; 40 polls are enough for one request to meet
    one on all three attempts.
    """
    await set_up_device("study-lamp")
    sim.devices["study-lamp"].apply_faults({"garbage": 1.0})
    for _ in range(40):
        await later(hass)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []
    state = hass.states.get("light.desk_lamp")
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_a_command_sent_during_a_poll_is_not_undone_when_the_poll_ends(
    hass: HomeAssistant, sim: Simulator, set_up_device: SetUpDevice
) -> None:
    """The air conditioner is read in two requests; a command between them stays shown.

    No fault is needed: the command's request goes out between the poll's two, the device
    reports the change, and then the poll ends with the target temperature it read first.
    """
    entry = await set_up_device("living-room-ac")
    await later(hass)  # a good poll: the device reports its changes from now on
    ac = sim.devices["living-room-ac"]
    coordinator = entry.runtime_data.coordinators[str(ac.did)]
    climate = entity_id(hass, "climate.living_room_air_conditioner")
    poll = asyncio.create_task(coordinator.async_refresh())
    await asyncio.sleep(0)  # the poll's first request is on its way
    await hass.services.async_call(
        "climate", "set_temperature", {"entity_id": climate, "temperature": 27}, blocking=True
    )
    await poll
    await hass.async_block_till_done()
    state = hass.states.get(climate)
    assert state is not None
    assert ac.get(2, 4) == 27
    assert state.attributes["temperature"] == 27
