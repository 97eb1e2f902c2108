"""What the soak watches besides commands: the log, the event loop's errors, and memory.

The log watch counts, rather than keeps, what it sees: unhandled exceptions (errors with a
traceback, "Error doing job", "Task exception was never retrieved", "Unexpected error"...),
warnings and errors of the integration's own logger, other loggers' warnings by logger, and
the integration's availability lines per device. `OutageCounter` counts each device's
outages (its updates start failing) and recoveries as they happen: a device that says it is
unavailable more often than it goes, or back more often than it comes back, floods the log.
The memory probe samples, after a garbage collection, the memory traced since it
started (`tracemalloc`), the resident set, open file descriptors and asyncio tasks.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import statistics
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from homeassistant.core import callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from custom_components.xiaomi_aiot.const import LOGGER

EXAMPLES: Final = 10
ROOT: Final = Path(__file__).resolve().parents[2]
UNHANDLED_MARKERS: Final = (
    "Error doing job",
    "Task exception was never retrieved",
    "Unexpected error",
    "Unexpected exception",
    "Exception in callback",
    "Unhandled exception",
)
UNAVAILABLE_LINES: Final = frozenset(
    {
        "Error fetching %s data: %s",
        "Timeout fetching %s data",
        "Error requesting %s data: %s",
        "Authentication failed while fetching %s data: %s",
        "Config entry setup failed while fetching %s data: %s",
    }
)
"""Home Assistant's coordinator lines when a device's updates start failing."""
BACK_LINE: Final = "Fetching %s data recovered"
FLAPPING_LINE: Final = "goes off and on line often"
"""The start of the integration's line for a device whose further changes go to debug."""


@dataclass(slots=True)
class LogFigures:
    """What the log watch counted."""

    unhandled: int = 0
    unhandled_examples: list[str] = field(default_factory=list)
    our_warnings: int = 0
    our_warning_examples: list[str] = field(default_factory=list)
    other_warnings: Counter[str] = field(default_factory=Counter)
    unavailable_lines: Counter[str] = field(default_factory=Counter)
    """Lines saying a device's updates fail, per device name."""
    back_lines: Counter[str] = field(default_factory=Counter)
    """Lines saying a device's updates recovered, per device name."""
    flapping_lines: Counter[str] = field(default_factory=Counter)
    """Lines saying a device goes off and on line often (its changes then go to debug)."""
    loud_availability: int = 0
    """Availability lines above info."""

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "unhandled_exceptions": self.unhandled,
            "unhandled_examples": self.unhandled_examples,
            "our_warnings": self.our_warnings,
            "our_warning_examples": self.our_warning_examples,
            "other_warnings_by_logger": dict(self.other_warnings.most_common()),
            "availability_lines": self.availability_lines,
            "unavailable_lines": self.unavailable_lines.total(),
            "back_lines": self.back_lines.total(),
            "availability_lines_max_per_device": max(
                (self.unavailable_lines + self.back_lines + self.flapping_lines).values(),
                default=0,
            ),
            "flapping_lines": self.flapping_lines.total(),
            "availability_lines_above_info": self.loud_availability,
        }

    @property
    def availability_lines(self) -> int:
        """Availability lines of every device."""
        return (
            self.unavailable_lines.total() + self.back_lines.total() + self.flapping_lines.total()
        )


def _keep(examples: list[str], text: str) -> None:
    if len(examples) < EXAMPLES:
        examples.append(text[:500])


class LogWatch(logging.Handler):
    """A root handler that counts records as they come."""

    def __init__(self, device_names: Iterable[str]) -> None:
        """Attribute availability lines to these devices."""
        super().__init__(logging.DEBUG)
        self.figures = LogFigures()
        self._names = set(device_names)

    def emit(self, record: logging.LogRecord) -> None:
        """Count one record."""
        try:
            message = record.getMessage()
        except Exception:  # a broken record is still a record
            message = str(record.msg)
        figures = self.figures
        ours = record.name == LOGGER.name or record.name.startswith(f"{LOGGER.name}.")
        if (record.levelno >= logging.ERROR and record.exc_info) or any(
            marker in message for marker in UNHANDLED_MARKERS
        ):
            figures.unhandled += 1
            _keep(figures.unhandled_examples, f"{record.name}: {message}")
        elif ours and record.msg in UNAVAILABLE_LINES | {BACK_LINE}:
            self._availability(record, message)
        elif ours and FLAPPING_LINE in str(record.msg):
            figures.flapping_lines[self._device(record)] += 1
        elif ours and record.levelno >= logging.WARNING:
            figures.our_warnings += 1
            _keep(figures.our_warning_examples, f"{record.levelname} {record.name}: {message}")
        elif record.levelno >= logging.WARNING:
            figures.other_warnings[record.name] += 1

    def _device(self, record: logging.LogRecord) -> str:
        name = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        return name if name in self._names else "(other)"

    def _availability(self, record: logging.LogRecord, message: str) -> None:
        name = self._device(record)
        lines = (
            self.figures.back_lines if record.msg == BACK_LINE else self.figures.unavailable_lines
        )
        lines[name] += 1
        if record.levelno > logging.INFO:
            self.figures.loud_availability += 1
            _keep(self.figures.our_warning_examples, f"{record.levelname}: {message}")

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Count an error the event loop reports (an exception nobody retrieved...)."""
        self.figures.unhandled += 1
        _keep(
            self.figures.unhandled_examples,
            f"event loop: {context.get('message')}: {context.get('exception')!r}",
        )


@contextmanager
def watching_logs(device_names: Iterable[str]) -> Iterator[LogWatch]:
    """Watch the log (the integration's at info) and the event loop's errors while inside."""
    watch = LogWatch(device_names)
    root = logging.getLogger()
    ours = logging.getLogger(LOGGER.name)
    level = ours.level
    if ours.getEffectiveLevel() > logging.INFO:
        ours.setLevel(logging.INFO)
    root.addHandler(watch)
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        watch.loop_exception(loop, context)
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handle)
    try:
        yield watch
    finally:
        loop.set_exception_handler(previous)
        root.removeHandler(watch)
        ours.setLevel(level)


class OutageCounter:
    """Counts, per device name, how often its updates start failing and recover.

    A coordinator calls its listeners after every update, failed or not, and after a write.
    """

    def __init__(self, coordinators: Iterable[DataUpdateCoordinator[Any]]) -> None:
        """Listen to every coordinator until `close`."""
        self.outages: Counter[str] = Counter()
        self.recoveries: Counter[str] = Counter()
        self._unsubscribe = [self._follow(coordinator) for coordinator in coordinators]

    def _follow(self, coordinator: DataUpdateCoordinator[Any]) -> Callable[[], None]:
        was_up = coordinator.last_update_success

        @callback
        def updated() -> None:
            nonlocal was_up
            up = coordinator.last_update_success
            if was_up and not up:
                self.outages[coordinator.name] += 1
            elif up and not was_up:
                self.recoveries[coordinator.name] += 1
            was_up = up

        return coordinator.async_add_listener(updated)

    def close(self) -> None:
        """Stop listening."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def by_device(self, logs: LogFigures) -> dict[str, dict[str, int]]:
        """Lines and transitions per device that had any."""
        names = logs.unavailable_lines | logs.back_lines | self.outages | self.recoveries
        return {
            name: {
                "unavailable_lines": logs.unavailable_lines[name],
                "back_lines": logs.back_lines[name],
                "flapping_lines": logs.flapping_lines[name],
                "outages": self.outages[name],
                "recoveries": self.recoveries[name],
            }
            for name in sorted(names)
        }

    def floods(self, logs: LogFigures) -> dict[str, str]:
        """Devices with more availability lines than outages or recoveries, and by how much."""
        flooding: dict[str, str] = {}
        for name in logs.unavailable_lines | logs.back_lines | logs.flapping_lines:
            down, back = logs.unavailable_lines[name], logs.back_lines[name]
            flapping = logs.flapping_lines[name]
            if down > self.outages[name] or back > self.recoveries[name] or flapping > 1:
                flooding[name] = (
                    f"{down} unavailable / {self.outages[name]} outages, "
                    f"{back} back / {self.recoveries[name]} recoveries, {flapping} flapping"
                )
        return flooding


@dataclass(frozen=True, slots=True)
class MemorySample:
    """One sample, after a garbage collection."""

    seconds: float
    traced: int
    rss: int
    fds: int
    tasks: int


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 0


class MemoryProbe:
    """Samples memory; traces allocations from `start` when asked to."""

    def __init__(self, trace: bool) -> None:
        """`trace`: follow allocations with tracemalloc (slower; the RSS is sampled anyway)."""
        self.trace = trace
        self.samples: list[MemorySample] = []
        self._snapshot: tracemalloc.Snapshot | None = None
        self._started = False
        self._origin = 0.0

    def start(self) -> None:
        """Start tracing (if asked) and the clock of the samples."""
        self._origin = asyncio.get_running_loop().time()
        if self.trace and not tracemalloc.is_tracing():
            tracemalloc.start(1)
            self._started = True

    def stop(self) -> None:
        """Stop tracing if this probe started it."""
        if self._started:
            tracemalloc.stop()
            self._started = False

    def mark(self) -> None:
        """Remember the allocations now, for `growth_sites` (when tracing)."""
        if tracemalloc.is_tracing():
            gc.collect()
            self._snapshot = tracemalloc.take_snapshot()

    def growth_sites(self, count: int = EXAMPLES) -> list[str]:
        """The lines that hold the most more memory than at `mark` (when tracing)."""
        if self._snapshot is None or not tracemalloc.is_tracing():
            return []
        gc.collect()
        now = tracemalloc.take_snapshot()
        differences = now.compare_to(self._snapshot, "lineno")
        return [
            f"{stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks: "
            f"{stat.traceback[0].filename.removeprefix(str(ROOT) + '/')}:"
            f"{stat.traceback[0].lineno}"
            for stat in differences[:count]
            if stat.size_diff > 0
        ]

    def sample(self) -> MemorySample:
        """Collect garbage, then sample."""
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        sample = MemorySample(
            seconds=asyncio.get_running_loop().time() - self._origin,
            traced=traced,
            rss=_rss(),
            fds=_fds(),
            tasks=len(asyncio.all_tasks()),
        )
        self.samples.append(sample)
        return sample


@dataclass(frozen=True, slots=True)
class MemoryFigures:
    """Memory over the fault samples, in thirds: the first is the warm-up into the faults.

    `growth` is the last third's mean minus the first's, `settled_growth` the last third's
    minus the middle one's; `slope` is fitted to the last two thirds, and `noise` is the
    middle third's standard deviation, what the samples move by on their own.
    """

    measure: str
    samples: int
    thirds: tuple[float, float, float]
    slope_per_minute: float
    noise: float

    @property
    def growth(self) -> float:
        """Bytes more in the last third than in the first."""
        return self.thirds[2] - self.thirds[0]

    @property
    def settled_growth(self) -> float:
        """Bytes more in the last third than in the middle one."""
        return self.thirds[2] - self.thirds[1]

    @classmethod
    def of(cls, samples: list[MemorySample], traced: bool) -> MemoryFigures:
        """The figures of the traced memory (or the RSS when not tracing)."""
        measure = "traced" if traced else "rss"
        values = [float(getattr(s, measure)) for s in samples]
        minutes = [s.seconds / 60 for s in samples]
        third = max(1, len(values) // 3)
        first, middle, last = values[:third], values[third:-third] or values, values[-third:]
        settled = slice(third, None) if len(values) - third > 1 else slice(None)
        slope = (
            statistics.linear_regression(minutes[settled], values[settled]).slope
            if len(values[settled]) > 1
            else 0.0
        )
        noise = statistics.stdev(middle) if len(middle) > 1 else 0.0
        means = (statistics.fmean(first), statistics.fmean(middle), statistics.fmean(last))
        return cls(measure, len(values), means, slope, noise)

    def as_dict(self) -> dict[str, Any]:
        """As JSON, in bytes."""
        return {
            "measure": self.measure,
            "samples": self.samples,
            "thirds_mean": [round(mean) for mean in self.thirds],
            "growth": round(self.growth),
            "settled_growth": round(self.settled_growth),
            "settled_slope_per_minute": round(self.slope_per_minute),
            "noise": round(self.noise),
        }
