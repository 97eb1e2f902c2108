"""Locks: lock and unlock through the spec's actions, state from its status property."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.lock import LockEntity
from homeassistant.const import Platform

from .entity import XiaomiRoleEntity, set_up_roles
from .errors import exception_handler

PARALLEL_UPDATES = 1

LOCKED: Final = "locked"
UNLOCKED: Final = "unlocked"


class XiaomiLock(XiaomiRoleEntity, LockEntity):
    """A lock: a door's, or a car's."""

    @property
    def is_locked(self) -> bool | None:
        """Whether the status says locked."""
        status = self.choice_name("status")
        return None if status not in (LOCKED, UNLOCKED) else status == LOCKED

    @exception_handler
    async def async_lock(self, **kwargs: Any) -> None:
        """Lock."""
        await self.act("lock", self._status_effect(LOCKED))

    @exception_handler
    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock."""
        await self.act("unlock", self._status_effect(UNLOCKED))

    def _status_effect(self, name: str) -> dict[str, Any]:
        value = self.choice_value("status", name)
        return {} if value is None else {"status": value}


async_setup_entry = set_up_roles(Platform.LOCK, XiaomiLock)
"""Add a lock for each lock service."""
