"""Who a device sends push reports to, and how those reports fared.

A subscription is keyed by the sender's UDP address, as a real device keys it: reports go to
the address the ``miIO.sub`` came from. This module holds no I/O; `simulator.push` sends the
reports and keeps these records up to date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

type Address = tuple[str, int]

MAX_SUBSCRIBERS = 4
MAX_MISSES = 3


@dataclass(slots=True)
class Subscriber:
    """One subscription: where reports go, and how many in a row went unacknowledged."""

    address: Address
    did: str
    update_ts: int
    misses: int = 0

    def as_json(self) -> dict[str, Any]:
        """The subscription as the admin API shows it."""
        host, port = self.address
        return {"address": f"{host}:{port}", "did": self.did, "update_ts": self.update_ts}


@dataclass(slots=True)
class ReportCounts:
    """Reports of a device since it was built (a reboot does not reset them).

    `sent` counts first sends, one per report and subscriber; `retried` the sends again.
    """

    sent: int = 0
    retried: int = 0
    acknowledged: int = 0
    given_up: int = 0

    def as_json(self) -> dict[str, int]:
        """The counts as the admin API shows them."""
        return {
            "sent": self.sent,
            "retried": self.retried,
            "acknowledged": self.acknowledged,
            "given_up": self.given_up,
        }


class Subscriptions:
    """A device's subscribers, oldest first, at most `MAX_SUBSCRIBERS`."""

    def __init__(self) -> None:
        """Start with no subscriber."""
        self._by_address: dict[Address, Subscriber] = {}
        self.counts = ReportCounts()

    def __iter__(self) -> Iterator[Subscriber]:
        """The subscribers, oldest first."""
        return iter(list(self._by_address.values()))

    def __len__(self) -> int:
        """How many subscribers there are."""
        return len(self._by_address)

    def get(self, address: Address) -> Subscriber | None:
        """The subscription of an address."""
        return self._by_address.get(address)

    def subscribe(self, address: Address, did: str, update_ts: int) -> Subscriber:
        """Add a subscription, or renew the one of the same address; the oldest makes room."""
        subscriber = self._by_address.pop(address, None)
        if subscriber is None:
            subscriber = Subscriber(address, did, update_ts)
        else:
            # Renewed in place, so reports already on their way to it keep being retried.
            subscriber.did, subscriber.update_ts, subscriber.misses = did, update_ts, 0
        while len(self._by_address) >= MAX_SUBSCRIBERS:
            del self._by_address[next(iter(self._by_address))]
        self._by_address[address] = subscriber
        return subscriber

    def unsubscribe(self, address: Address) -> Subscriber | None:
        """Drop the subscription of an address; the one dropped, if any."""
        return self._by_address.pop(address, None)

    def is_current(self, subscriber: Subscriber) -> bool:
        """Whether this very subscription still stands (not dropped, not replaced)."""
        return self._by_address.get(subscriber.address) is subscriber

    def missed(self, subscriber: Subscriber) -> None:
        """A report to `subscriber` was given up; too many in a row drop the subscription."""
        subscriber.misses += 1
        if subscriber.misses >= MAX_MISSES and self.is_current(subscriber):
            del self._by_address[subscriber.address]

    def clear(self) -> None:
        """Forget every subscription (the counts stay)."""
        self._by_address.clear()

    def as_json(self) -> list[dict[str, Any]]:
        """The subscriptions as the admin API shows them, oldest first."""
        return [subscriber.as_json() for subscriber in self]
