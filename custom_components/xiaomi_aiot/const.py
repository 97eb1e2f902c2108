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

CONF_ENTRY_TYPE: Final = "entry_type"
CONFIG_VERSION: Final = 2
"""The version of config entries: 2 since accounts sign in as Xiaomi's apps do."""
ENTRY_TYPE_ACCOUNT: Final = "account"
ENTRY_TYPE_LOCAL: Final = "local"
CONF_REGION: Final = "region"
CONF_SERVER_URL: Final = "server_url"
CONF_CLOUD_TOKENS: Final = "tokens"
CONF_HOMES: Final = "homes"
CONF_ROUTES: Final = "routes"
CONF_CLOUD_SCAN_INTERVAL: Final = "cloud_scan_interval"

DEFAULT_CLOUD_SCAN_INTERVAL: Final = timedelta(seconds=60)
DEVICE_LIST_INTERVAL: Final = timedelta(minutes=10)
"""How often an account's device list is read again, to find new and removed devices."""

CONF_SKILL_KEY_ID: Final = "skill_key_id"
CONF_SKILL_SECRET: Final = "skill_secret"  # noqa: S105 - an option name, not a secret
"""The Xiao Ai Open Platform skill's key id and secret, which sign the skill's requests."""
CONF_ALLOW_UNLOCK_BY_VOICE: Final = "allow_unlock_by_voice"
"""Whether the Xiao Ai agent may unlock doors and the car when asked to."""
CONF_SPEC_SERVER: Final = "spec_server"
"""The base URL of the MIoT spec server to ask instead of Xiaomi's (a proxy; the simulator)."""

SERVICE_SPEAK: Final = "speak"
"""The action that makes a Xiao Ai speaker say a text, through its spec's play-text."""

DEVICE_EVENT: Final = f"{DOMAIN}_event"
"""The bus event fired for each spec event that is a device trigger, with the device's id,
the trigger type and the event type (a lock's opening method, say)."""
