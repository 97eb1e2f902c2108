"""Xiaomi's MIoT spec server: a model's type URN, its spec document and translated names.

The server (miot-spec.org, mirrored at spec.miot-spec.com) answers three requests:

- ``GET /miot-spec-v2/instances?status=all``: ``{"instances": [{status, model, version, type},
  ...]}``, every published model with its spec versions (``released``, ``debug``, ``preview``);
- ``GET /miot-spec-v2/instance?type=<urn>``: the spec instance document of one type URN;
- ``GET /instance/v2/multiLanguage?urn=<urn>``: ``{"data": {"zh_cn": {key: name}, "en": ...}}``
  with keys like ``service:002``, ``service:002:property:001`` and
  ``service:002:property:001:valuelist:000``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import aiohttp

from .errors import MiotConnectionError, MiotSpecError, MiotSpecNotFoundError
from .jsonio import loads
from .spec import MiotSpec

_LOGGER = logging.getLogger(__name__)

SPEC_SERVERS: Final = ("https://miot-spec.org", "https://spec.miot-spec.com")
DEFAULT_TIMEOUT: Final = 10.0

type Translations = dict[str, dict[str, str]]
"""Translated names by language (``zh_cn``, ``en``…), then by element key."""


@dataclass(frozen=True, slots=True)
class SpecVersion:
    """One entry of the instances list: a model's spec at one version."""

    model: str
    type: str
    version: int
    status: str


def pick_urn(versions: Iterable[SpecVersion], model: str) -> str | None:
    """The type URN of a model: its highest released version, else its highest other one."""
    mine = [v for v in versions if v.model == model]
    if not mine:
        return None
    released = [v for v in mine if v.status == "released"]
    return max(released or mine, key=lambda v: v.version).type


def parse_instances(data: Any) -> list[SpecVersion]:
    """The entries of an instances answer; malformed entries are left out."""
    if not isinstance(data, Mapping) or not isinstance(data.get("instances"), list):
        raise MiotSpecError("the instances list is not {'instances': [...]}")
    versions = []
    for item in data["instances"]:
        if not isinstance(item, Mapping):
            continue
        model, urn, version = item.get("model"), item.get("type"), item.get("version")
        if isinstance(model, str) and isinstance(urn, str) and isinstance(version, int):
            versions.append(SpecVersion(model, urn, version, str(item.get("status", ""))))
    return versions


def parse_translations(data: Any) -> Translations:
    """The names of a multiLanguage answer, by language; anything else is left out."""
    if not isinstance(data, Mapping) or not isinstance(data.get("data"), Mapping):
        raise MiotSpecError("the translations are not {'data': {language: {...}}}")
    return {
        str(language): {
            str(key): name for key, name in names.items() if isinstance(name, str) and name.strip()
        }
        for language, names in data["data"].items()
        if isinstance(names, Mapping)
    }


def translation_key(
    siid: int, kind: str | None = None, iid: int = 0, value: int | None = None
) -> str:
    """The multiLanguage key of an element, e.g. ``service:002:property:001:valuelist:000``."""
    key = f"service:{siid:03d}"
    if kind is not None:
        key += f":{kind}:{iid:03d}"
    if value is not None:
        key += f":valuelist:{value:03d}"
    return key


class SpecServer:
    """A client of the spec server, on an injected `aiohttp.ClientSession`.

    Each request goes to the first host, then the next. A round in which a host answered but
    failed (a 5xx, a broken answer) is tried again, up to `tries` rounds, with `backoff`
    seconds (doubling) between them; hosts that cannot be reached at all are not asked again
    at once. A host that says it has no such document is believed.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_urls: Sequence[str] = SPEC_SERVERS,
        tries: int = 3,
        backoff: float = 2.0,
        timeout: float = DEFAULT_TIMEOUT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Keep the session and the hosts to ask."""
        if not base_urls:
            raise ValueError("at least one spec server is needed")
        self.session = session
        self.base_urls = tuple(url.rstrip("/") for url in base_urls)
        self.tries = max(1, tries)
        self.backoff = backoff
        self.timeout = timeout
        self._sleep = sleep

    async def instances(self) -> list[SpecVersion]:
        """Every model's spec versions."""
        return parse_instances(await self._get("/miot-spec-v2/instances", {"status": "all"}))

    async def urn_for(self, model: str) -> str:
        """A model's type URN, from the instances list."""
        urn = pick_urn(await self.instances(), model)
        if urn is None:
            raise MiotSpecNotFoundError(f"the spec server lists no model {model!r}")
        return urn

    async def document(self, urn: str) -> dict[str, Any]:
        """The spec instance document of a type URN, checked to parse."""
        data = await self._get("/miot-spec-v2/instance", {"type": urn})
        if not isinstance(data, dict) or "services" not in data:
            raise MiotSpecNotFoundError(f"the spec server has no document for {urn}")
        MiotSpec.from_dict(data)
        return data

    async def translations(self, urn: str) -> Translations:
        """The translated names of a type URN's elements."""
        return parse_translations(await self._get("/instance/v2/multiLanguage", {"urn": urn}))

    async def _get(self, path: str, params: Mapping[str, str]) -> Any:
        failure: Exception | None = None
        for attempt in range(self.tries):
            if attempt:
                await self._sleep(self.backoff * 2 ** (attempt - 1))
            transient = False
            for base in self.base_urls:
                try:
                    return await self._get_from(base, path, params)
                except MiotSpecNotFoundError:
                    raise
                except _ServerFailedError as err:
                    _LOGGER.debug("spec server %s: %s", base, err)
                    failure, transient = err, True
                except MiotConnectionError as err:
                    _LOGGER.debug("spec server %s: %s", base, err)
                    failure = err
            if not transient:
                break
        raise MiotConnectionError(f"no spec server answered {path}: {failure}") from failure

    async def _get_from(self, base: str, path: str, params: Mapping[str, str]) -> Any:
        try:
            async with asyncio.timeout(self.timeout):
                async with self.session.get(f"{base}{path}", params=params) as response:
                    body = await response.read()
                    status = response.status
        except TimeoutError as err:
            raise MiotConnectionError(f"no answer within {self.timeout} s") from err
        except (aiohttp.ClientError, OSError) as err:
            raise MiotConnectionError(str(err) or type(err).__name__) from err
        except Exception as err:
            # A resolver can fail in ways aiohttp does not wrap; for this client any of them
            # means that this host did not answer, and the next one is asked.
            raise MiotConnectionError(f"{type(err).__name__}: {err}") from err
        if status == 404:
            raise MiotSpecNotFoundError(f"{path}: not found")
        if status != 200:
            raise _ServerFailedError(f"HTTP {status}")
        try:
            return loads(body)
        except ValueError as err:
            raise _ServerFailedError(f"{path}: the answer is not JSON") from err


class _ServerFailedError(MiotConnectionError):
    """The host answered, but not with an answer: worth asking again a little later."""
