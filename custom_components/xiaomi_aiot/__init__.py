"""The Xiaomi AIoT integration."""

from __future__ import annotations

DOMAIN = "xiaomi_aiot"
