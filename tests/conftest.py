"""Fixtures shared by every test; the shared fixtures of simulated homes come from `harness`."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import pytest_socket
from homeassistant.core import HomeAssistant

from custom_components.xiaomi_aiot.timing import DATA_TIMING, Timing

TEST_TIMING = Timing(account_lan=0.5, local_device=0.5, probe=0.5)
"""The simulated devices answer on loopback within milliseconds: a device that does not answer
in half a second is not going to, even on a loaded machine."""

pytest_plugins = ["harness.fixtures"]


def _guarded_connect(sock: socket.socket, *args: Any) -> Any:
    host = pytest_socket.host_from_connect_args(args)
    if host is not None and not ipaddress.ip_address(host).is_loopback:
        raise pytest_socket.SocketConnectBlockedError(["127.0.0.0/8"], host)
    return pytest_socket._true_connect(sock, *args)


@pytest.fixture(autouse=True)
def loopback_only() -> Iterator[None]:
    """Allow sockets to every loopback address, where the simulated devices live; nothing else.

    Home Assistant's test plugin allows 127.0.0.1 only; each simulated device has its own
    address (127.0.0.2, 127.0.0.3, ...).
    """
    pytest_socket.enable_socket()
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = pytest_socket._true_connect  # type: ignore[method-assign]


@pytest.fixture
def hass(hass: HomeAssistant) -> HomeAssistant:
    """Home Assistant's test instance, waiting `TEST_TIMING` for the simulated devices."""
    hass.data[DATA_TIMING] = TEST_TIMING
    return hass
