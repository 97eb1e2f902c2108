"""Where requests for Xiaomi's host names go: to Xiaomi, or all to one server in its place.

Xiaomi's sign-in moves between several hosts (``account.xiaomi.com``, ``sts.api.io.mi.com``,
the long-polling host of a QR code, ``<country>.api.io.mi.com``), each named by the previous
answer. A `XiaomiHosts` with ``via`` set (a proxy, or the simulator in tests and the demo) sends
every one of them to that server instead, with the original name kept in ``Host`` and the path
and query unchanged, so the server can tell them apart as Xiaomi's own front ends do. Without
``via`` every URL goes where it says.
"""

from __future__ import annotations

from typing import Final

from yarl import URL

XIAOMI_SUFFIXES: Final = (".xiaomi.com", ".mi.com", ".mijia.tech")


def is_xiaomi_host(host: str) -> bool:
    """Whether a host name is one of Xiaomi's (or a subdomain of one)."""
    host = host.lower().rstrip(".")
    return any(f".{host}".endswith(suffix) for suffix in XIAOMI_SUFFIXES)


class XiaomiHosts:
    """Rewrites Xiaomi URLs to go through ``via`` (when it is set)."""

    __slots__ = ("via",)

    def __init__(self, via: str | None = None) -> None:
        """Send Xiaomi's hosts to ``via`` (``http://host:port``), or nowhere else if None."""
        if via:
            url = URL(via)
            if url.scheme not in ("http", "https") or not url.host:
                raise ValueError(f"not an http(s) server URL: {via!r}")
            self.via: URL | None = url.with_path("/").with_query(None).with_fragment(None)
        else:
            self.via = None

    def route(self, url: str | URL) -> tuple[URL, dict[str, str]]:
        """The URL to request for ``url`` and the headers that go with it (``Host``)."""
        target = url if isinstance(url, URL) else URL(url, encoded=True)
        host = target.host or ""
        if self.via is None or not is_xiaomi_host(host):
            return target, {}
        routed = self.via.join(URL(target.raw_path_qs, encoded=True))
        name = host if target.is_default_port() else f"{host}:{target.port}"
        return routed, {"Host": name}
