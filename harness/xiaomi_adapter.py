"""Sends a `requests` client's Xiaomi traffic to one loopback port, keeping ``Host``.

`XiaomiHostsAdapter` is a transport adapter: a request for a Xiaomi host name goes to
``127.0.0.1:<port>`` over plain HTTP with the original name kept in ``Host``; cookies are kept
for the original URL. `routed_sessions` makes every `requests.Session` made while it is active
mount it, which is how a client that makes its own sessions (micloud, mijiaAPI) is pointed at
the simulator without touching its code.

Only `requests` and the standard library are imported: the mijiaAPI driver runs this module in
an environment of its own, without the simulator or Home Assistant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar

XIAOMI_SUFFIXES = (".xiaomi.com", ".mi.com", ".mijia.tech")


def is_xiaomi(host: str) -> bool:
    """Whether a host name is Xiaomi's."""
    return any(f".{host}".endswith(suffix) for suffix in XIAOMI_SUFFIXES)


class XiaomiHostsAdapter(HTTPAdapter):
    """Sends requests for Xiaomi's hosts to `port` on 127.0.0.1, keeping ``Host``."""

    def __init__(self, port: int, **kwargs: Any) -> None:
        """Route to the cloud on `port`."""
        super().__init__(**kwargs)
        self.port = port
        self.hosts: list[str] = []

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Send `request` to the simulator if its host is Xiaomi's, else as it is."""
        url = urlsplit(request.url or "")
        host = url.hostname or ""
        if not is_xiaomi(host):
            return super().send(request, *args, **kwargs)
        self.hosts.append(host)
        routed = request.copy()
        routed.url = urlunsplit(("http", f"127.0.0.1:{self.port}", *url[2:]))
        routed.headers["Host"] = host
        response = super().send(routed, *args, **kwargs)
        response.request, response.url = request, request.url or ""
        response.cookies = RequestsCookieJar()
        extract_cookies_to_jar(response.cookies, request, response.raw)
        return response


@contextmanager
def routed_sessions(port: int) -> Iterator[list[XiaomiHostsAdapter]]:
    """While active, every new `requests` session sends Xiaomi's hosts to `port`.

    Yields the adapters mounted so far (one per session).
    """
    adapters: list[XiaomiHostsAdapter] = []
    original = requests.Session

    class RoutedSession(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Mapping[str, Any]) -> None:
            super().__init__(*args, **kwargs)
            adapter = XiaomiHostsAdapter(port)
            adapters.append(adapter)
            self.mount("https://", adapter)
            self.mount("http://", adapter)

    # `requests.get` and friends make theirs through `requests.sessions.Session`.
    with (
        mock.patch.object(requests, "Session", RoutedSession),
        mock.patch.object(requests.sessions, "Session", RoutedSession),
    ):
        yield adapters
