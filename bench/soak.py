"""Fault soak benchmark: a 50-device home on a hostile network for minutes, through Home Assistant.

The long form of tests/integration/test_soak.py, with the same scenario (the code is in
harness/soak/). Home Assistant runs in this process, built by
pytest-homeassistant-custom-component's test harness (`async_test_home_assistant`, on a
temporary configuration folder, with the event loop out of debug mode); the simulated home
(38 LAN devices on loopback addresses and a cloud with 12 more) runs on the same event loop.
The integration reaches the home through its account path.

Phases: a baseline of one poll interval, then `--minutes` of faults (per-device loss, 500 ms
delays, duplicates, corrupted, malformed and garbage packets; reboots; offline periods; cloud
5xx with one full outage and expired tokens), commands through Home Assistant's services at
a steady rate all along, then every fault off and the time until every device is back.

Prints the figures and the targets, writes them as JSON, and exits 1 when a target is missed.

    .venv/bin/python -m bench.soak [--minutes 5] [--poll-interval 10] [--quick] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import logging
import platform
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.harness import in_process_home_assistant
from custom_components.xiaomi_aiot.const import DOMAIN
from harness.net import first_address
from harness.soak.home import HostileNetwork, running_home
from harness.soak.run import SoakFigures, SoakPlan, run_soak

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"


async def soak(plan: SoakPlan) -> SoakFigures:
    """Run Home Assistant and the simulated home, set up the account, run the soak."""
    async with (
        in_process_home_assistant("soak-") as hass,
        running_home(first_address(), seed=plan.seed, token_lifetime=plan.token_lifetime) as (
            sim,
            cloud,
        ),
    ):
        network = HostileNetwork(sim, cloud, plan.poll_interval, random.Random(plan.seed))
        print(
            f"home: {len(sim.devices)} devices, LAN from {sim.first_address}, "
            f"cloud {cloud.url}; the account, a baseline of "
            f"{plan.baseline_seconds:.0f} s, {plan.fault_seconds:.0f} s of faults, "
            "then recovery ...",
            flush=True,
        )
        figures = await run_soak(hass, network, plan)
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)
    return figures


def _kib(value: float) -> str:
    return f"{value / 1024:+,.0f} KiB"


def _mib(value: float) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def table(report: dict[str, Any]) -> list[str]:
    """The figures as a markdown table."""
    commands = report["commands"]
    phases = ("baseline", "faults")

    def both(*keys: str) -> str:
        return " / ".join(str(sum(commands[phase][key] for key in keys)) for phase in phases)

    refused = commands["faults"]["refused_by_reason"]
    recovery = report["recovery"]
    logs = report["logs"]
    memory = report["memory"]
    before, after = memory["before_faults"], memory["after_recovery"]
    faults = report["faults"]
    return [
        "| figure | value | target |",
        "|---|--:|---|",
        f"| commands issued (baseline / faults) | {both('issued')} | |",
        f"| acknowledged | {both('acknowledged')} | |",
        f"| acknowledged but lost | {both('acknowledged_lost')} | 0 |",
        f"| skipped by Home Assistant (entity unavailable) | {both('skipped_unavailable')} | |",
        f"| refused with a Home Assistant error | {both('refused')} "
        f"({_counts(refused)}) | none in the baseline |",
        f"| crashed or hung | {both('crashed', 'hung')} | 0 |",
        f"| acknowledged latency under faults, median / max "
        f"| {_seconds(commands['faults']['latency_p50_s'])} / "
        f"{_seconds(commands['faults']['latency_max_s'])} | |",
        f"| time until available again, slowest | {recovery['available_slowest_s']:.1f} s "
        f"| ≤ {recovery['limit_s']:.1f} s (poll interval {report['plan']['poll_interval_s']} s "
        "+ margin) |",
        f"| time until the state shown is the device's, slowest / median "
        f"| {recovery['shown_slowest_s']:.1f} s / {recovery['shown_median_s']:.1f} s "
        f"| ≤ {recovery['limit_s']:.1f} s |",
        f"| slowest by role | "
        f"{', '.join(f'{k} {v:.1f} s' for k, v in recovery['slowest_by_role'].items())} | |",
        f"| devices not showing their state by {recovery['deadline_s']:.0f} s "
        f"| {len(recovery['never_shown'])} | 0 |",
        f"| LAN devices (automatic route) still on the cloud after recovery "
        f"| {recovery['lan_devices_still_on_cloud']} | |",
        f"| unhandled exceptions in the log | {logs['unhandled_exceptions']} | 0 |",
        f"| warnings of the integration | {logs['our_warnings']} | 0 |",
        f'| lines "unavailable" / outages; "back" / recoveries | '
        f"{logs['unavailable_lines']} / {logs['outages']}; "
        f"{logs['back_lines']} / {logs['recoveries']} | at most one line each |",
        f'| lines "goes off and on line often"; most lines for one device | '
        f"{logs['flapping_lines']}; {logs['availability_lines_max_per_device']} | |",
        f"| other warnings | {_counts(logs['other_warnings_by_logger'])} | |",
        f"| re-authentication asked | {report['sign_in_asked']} | 0 |",
        f"| memory ({memory['measure']}), last third - first third of the faults | "
        f"{_kib(memory['growth'])} ({memory['samples']} samples) | |",
        f"| memory ({memory['measure']}), last third - middle third (after warm-up) | "
        f"{_kib(memory['settled_growth'])} (slope {_kib(memory['settled_slope_per_minute'])}"
        f"/min, noise {_kib(memory['noise'])}) | no growth beyond noise |",
        f"| traced after recovery - before faults | {_kib(after['traced'] - before['traced'])} | |",
        f"| RSS before faults / after recovery | {_mib(before['rss'])} / {_mib(after['rss'])} | |",
        f"| file descriptors / tasks, before faults → after recovery "
        f"| {before['fds']} → {after['fds']} / {before['tasks']} → {after['tasks']} "
        "| no growth |",
        f"| faults: reboots / offline periods / cloud outages / token expiries | "
        f"{faults['reboots']} / {faults['offline_periods']} / {faults['cloud_outages']} / "
        f"{faults['token_expiries']} | |",
        f"| devices with each wire fault | {_counts(faults['devices_with_wire_fault'])} | |",
    ]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "-"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def print_report(report: dict[str, Any]) -> bool:
    """Print the table and the targets; True when every target is met."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    home = report["home"]
    print(
        f"\n## Fault soak: {home['devices']} devices ({home['lan_devices']} LAN, "
        f"{home['cloud_only_devices']} cloud only; routes {home['routes']})\n"
    )
    print(f"{now}; Python {platform.python_version()}; wall {report['wall_s']:.0f} s\n")
    print("\n".join(table(report)))
    print()
    failed = [check for check in report["checks"] if not check["passed"]]
    for check in report["checks"]:
        print(f"{'PASS' if check['passed'] else 'FAIL'} {check['name']}: {check['detail']}")
    for phase, tally in report["commands"].items():
        for example in tally["examples"]:
            print(f"  {phase}: {example}")
    for example in report["logs"]["unhandled_examples"] + report["logs"]["our_warning_examples"]:
        print(f"  log: {example}")
    for name, why in report["recovery"]["late"].items():
        print(f"  late: {name}: {why}")
    if sites := report["memory"]["growth_sites"]:
        print("\nMemory held at the end of the faults and not a third into them, by line:")
        for site in sites:
            print(f"  {site}")
    if failed:
        banner = "!" * 72
        print(f"\n{banner}\nTARGET FAILED: {len(failed)} of {len(report['checks'])}\n{banner}")
        names = "; ".join(check["name"] for check in failed)
        print(f"TARGET FAILED: {names}", file=sys.stderr, flush=True)
    return not failed


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--minutes", type=float, help="minutes of faults (default 5; --quick: 0.75)"
    )
    parser.add_argument(
        "--poll-interval", type=int, help="seconds between polls (default 10; --quick: 5)"
    )
    parser.add_argument(
        "--rate", type=float, default=4.0, help="commands started per second (default 4)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of every choice (default 1)")
    parser.add_argument("--quick", action="store_true", help="45 s of faults, 5 s polls")
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="sample the RSS instead of tracing allocations (faster, coarser)",
    )
    parser.add_argument(
        "--json", type=Path, help="where to write the figures (default: bench/results/)"
    )
    args = parser.parse_args(argv)
    if args.minutes is None:
        args.minutes = 0.75 if args.quick else 5.0
    if args.poll_interval is None:
        args.poll_interval = 5 if args.quick else 10
    if args.poll_interval < 5 or args.minutes <= 0 or args.rate <= 0:
        parser.error("--poll-interval must be at least 5, --minutes and --rate positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the soak; exit 1 when a target is missed."""
    args = parse_args(argv)
    interval = args.poll_interval
    plan = SoakPlan(
        poll_interval=interval,
        baseline_cycles=1,
        fault_cycles=max(2, round(args.minutes * 60 / interval)),
        commands_per_second=args.rate,
        seed=args.seed,
        token_lifetime=6.0 * interval,
        trace_memory=not args.no_tracemalloc,
    )
    # The soak counts every record; only errors are also printed as they come.
    errors = logging.StreamHandler()
    errors.setLevel(logging.ERROR)
    logging.basicConfig(level=logging.WARNING, handlers=[errors])
    figures = asyncio.run(soak(plan))
    report = figures.as_dict()
    path = args.json
    if path is None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        path = RESULTS / f"soak-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    passed = print_report(report)
    print(f"\nfigures: {path}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
