"""A device's availability in the log: info once each way, errors only with a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from custom_components.xiaomi_aiot.const import LOGGER
from custom_components.xiaomi_aiot.coordinator import FLAP_CHANGES, availability_logger


class _Kept(logging.Handler):
    """Every record that reaches the integration's logger, whatever its level."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kept() -> Iterator[_Kept]:
    """The records of the integration's logger, at INFO; its level put back afterwards."""
    handler = _Kept()
    level = LOGGER.level
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    yield handler
    LOGGER.removeHandler(handler)
    LOGGER.setLevel(level)


def test_a_failed_poll_is_logged_at_info_and_a_crash_as_an_error(kept: _Kept) -> None:
    """Home Assistant's 'Error fetching' goes out at info; an exception keeps its level."""
    logger = availability_logger("Lamp")
    logger.error("Error fetching %s data: %s", "Lamp", "timed out")
    try:
        raise RuntimeError("bug")
    except RuntimeError:
        logger.exception("Unexpected error fetching %s data", "Lamp")
    assert [(r.levelno, r.levelname) for r in kept.records] == [
        (logging.INFO, "INFO"),
        (logging.ERROR, "ERROR"),
    ]


def test_a_failed_poll_is_not_logged_where_info_is_not_wanted(kept: _Kept) -> None:
    """At warning, the failure (an error made info) is dropped, not passed on as info."""
    LOGGER.setLevel(logging.WARNING)
    availability_logger("Lamp").error("Error fetching %s data: %s", "Lamp", "timed out")
    assert kept.records == []


def test_a_flapping_device_says_so_once_then_goes_to_debug(kept: _Kept) -> None:
    """After `FLAP_CHANGES` quick changes: one notice at info, the changes at debug."""
    LOGGER.setLevel(logging.DEBUG)
    logger = availability_logger("Lamp")
    for _ in range(FLAP_CHANGES + 1):
        logger.error("Error fetching %s data: %s", "Lamp", "timed out")
    levels = [r.levelno for r in kept.records]
    assert levels == [logging.INFO] * FLAP_CHANGES + [logging.DEBUG] * 2
    assert "goes off and on line often" in kept.records[FLAP_CHANGES - 1].getMessage()
