"""The simulated cloud's OAuth2 tokens: access tokens that expire, refresh tokens that rotate."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, Literal

DEFAULT_LIFETIME = 3600.0

type TokenState = Literal["valid", "expired", "unknown"]


class TokenStore:
    """Issues and checks tokens; `clock` is Unix time (seconds), injectable for tests."""

    def __init__(
        self, lifetime: float = DEFAULT_LIFETIME, clock: Callable[[], float] = time.time
    ) -> None:
        """Start with no tokens; access tokens live `lifetime` seconds."""
        if not lifetime > 0:
            raise ValueError(f"token lifetime {lifetime} is not positive")
        self.lifetime = lifetime
        self._clock = clock
        self._access: dict[str, float] = {}  # access token -> expiry
        self._refresh: set[str] = set()

    def __len__(self) -> int:
        """The number of access tokens that are still valid."""
        now = self._clock()
        return sum(1 for expiry in self._access.values() if expiry > now)

    def issue(self) -> dict[str, Any]:
        """A new token pair, as the ``/oauth2/token`` answer."""
        now = self._clock()
        # forget access tokens that expired long ago, so the store does not grow forever
        self._access = {t: e for t, e in self._access.items() if e > now - self.lifetime}
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self._access[access] = now + self.lifetime
        self._refresh.add(refresh)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.lifetime,
            "token_type": "Bearer",
        }

    def refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """New tokens for a refresh token, which is used up; None if it is not known."""
        if refresh_token not in self._refresh:
            return None
        self._refresh.discard(refresh_token)
        return self.issue()

    def check(self, access_token: str) -> TokenState:
        """Whether an access token is valid, expired, or was never issued."""
        expiry = self._access.get(access_token)
        if expiry is None:
            return "unknown"
        return "valid" if expiry > self._clock() else "expired"

    def expire_all(self) -> None:
        """Every access token issued so far expires now (refresh tokens stay good)."""
        now = self._clock()
        self._access = {token: min(expiry, now) for token, expiry in self._access.items()}
