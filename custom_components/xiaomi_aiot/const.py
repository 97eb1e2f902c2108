"""Constants of the Xiaomi AIoT integration."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

DOMAIN: Final = "xiaomi_aiot"
LOGGER = logging.getLogger(__package__)

CONF_DID: Final = "did"
CONF_MAC: Final = "mac"
CONF_MODEL: Final = "model"

DEFAULT_SCAN_INTERVAL: Final = timedelta(seconds=30)
MIN_SCAN_INTERVAL: Final = 5
MAX_SCAN_INTERVAL: Final = 600

MANUFACTURERS: Final = {
    "chuangmi": "Chuangmi",
    "dmaker": "Dreame",
    "loock": "Loock",
    "lumi": "Aqara",
    "xiaomi": "Xiaomi",
    "yeelink": "Yeelight",
    "zhimi": "Smartmi",
}
"""Vendors by the first part of a model name; anything else is shown as Xiaomi."""
