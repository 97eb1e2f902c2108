"""Spec documents for every device: kept in Home Assistant's storage, from Xiaomi's spec server.

A document is looked up by its type URN: the account's device list gives it, or the model's
entry in the spec server's instances list (highest released version). The stored copy is used
at once, so a restart never needs the internet, and is refreshed in the background once it is a
month old; a refresh that fails keeps it. Without a stored copy, the spec server is asked; only
when it cannot answer (offline, or it has no such document) does a spec bundled with the library
stand in, and it is replaced by the server's once that answers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER
from .miot import MiotConnectionError, MiotError, MiotSpec, MiotSpecError
from .miot.bundle import bundled_models, load_bundled_spec
from .miot.errors import MiotSpecNotFoundError
from .miot.specsource import SPEC_SERVERS, SpecServer, SpecVersion, Translations, pick_urn

STORAGE_VERSION: Final = 1
STORAGE_KEY: Final = f"{DOMAIN}.specs"
SAVE_DELAY: Final = 5.0
DOCUMENT_REFRESH: Final = timedelta(days=30)
"""A stored document older than this is fetched again in the background."""
MODEL_REFRESH: Final = timedelta(days=7)
"""A model's type URN, found in the instances list, is looked up again after this."""
REFRESH_RETRY: Final = timedelta(hours=6)
"""After a failed background refresh, the next one waits at least this long."""

DATA_SPECS: HassKey[SpecLibrary] = HassKey(f"{DOMAIN}_specs")


class SpecUnavailableError(MiotError):
    """No document for a device: none stored, the server cannot give one, none bundled."""

    def __init__(self, model: str, reason: str) -> None:
        """Keep the model and why."""
        super().__init__(f"no spec for {model}: {reason}")
        self.model = model
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """A device's spec, the translated names of its elements, and where it came from."""

    spec: MiotSpec
    translations: Translations = field(default_factory=dict)
    source: str = "stored"  # "stored", "server" or "bundled"


def server_for(hass: HomeAssistant, base_url: str | None) -> SpecServer:
    """A spec server client: Xiaomi's hosts, or one configured base URL (a proxy, a test)."""
    urls = (base_url,) if base_url else SPEC_SERVERS
    return SpecServer(async_get_clientsession(hass), base_urls=urls)


def spec_library(hass: HomeAssistant) -> SpecLibrary:
    """The one spec library of this Home Assistant."""
    if (library := hass.data.get(DATA_SPECS)) is None:
        library = hass.data[DATA_SPECS] = SpecLibrary(hass)
    return library


class SpecLibrary:
    """Documents by type URN, and models' type URNs, stored in `.storage/xiaomi_aiot.specs`."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing read yet."""
        self.hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, STORAGE_KEY)
        self._data: dict[str, Any] | None = None
        self._load_lock = asyncio.Lock()
        self._instances: list[SpecVersion] | None = None
        self._parsed: dict[str, MiotSpec] = {}
        self._refreshing: set[str] = set()
        self._refresh_failed: dict[str, datetime] = {}
        self._fetching: dict[str, asyncio.Task[DeviceSpec]] = {}
        self._instances_lock = asyncio.Lock()

    async def _stored(self) -> dict[str, Any]:
        async with self._load_lock:
            if self._data is None:
                data = await self._store.async_load() or {}
                self._data = {
                    "models": dict(data.get("models", {})),
                    "documents": dict(data.get("documents", {})),
                }
            return self._data

    def _save(self) -> None:
        self._store.async_delay_save(lambda: self._data or {}, SAVE_DELAY)

    async def async_get(
        self, model: str, server: SpecServer, *, urn: str | None = None
    ) -> DeviceSpec:
        """A device's spec; raises `SpecUnavailableError` when there is none to be had."""
        stored = await self._stored()
        if urn is None:
            urn = await self._urn_of(model, server)
        if urn is not None and (entry := stored["documents"].get(urn)) is not None:
            if _older_than(entry.get("fetched"), DOCUMENT_REFRESH):
                self._refresh_later(model, urn, server)
            return DeviceSpec(self._parse(urn, entry["document"]), entry.get("translations", {}))
        reason = "the spec server does not list it"
        if urn is not None:
            try:
                return await self._fetch_once(urn, server)
            except MiotSpecNotFoundError as err:
                reason = str(err)
            except (MiotConnectionError, MiotSpecError) as err:
                reason = f"the spec server cannot be reached ({err})"
        bundled = await self._bundled(model, urn)
        if bundled is None:
            raise SpecUnavailableError(model, reason)
        LOGGER.debug("%s: the bundled spec stands in (%s)", model, reason)
        return DeviceSpec(bundled, source="bundled")

    async def _urn_of(self, model: str, server: SpecServer) -> str | None:
        """The model's type URN: stored, else from the instances list (refreshed weekly)."""
        stored = await self._stored()
        known = stored["models"].get(model)
        if known is not None and not _older_than(known.get("fetched"), MODEL_REFRESH):
            return str(known["urn"])
        try:
            async with self._instances_lock:
                if self._instances is None:
                    self._instances = await server.instances()
            urn = pick_urn(self._instances, model)
        except MiotError as err:
            LOGGER.debug("%s: the instances list cannot be read (%s)", model, err)
            return str(known["urn"]) if known is not None else None
        if urn is None:
            return str(known["urn"]) if known is not None else None
        stored["models"][model] = {"urn": urn, "fetched": dt_util.utcnow().isoformat()}
        self._save()
        return urn

    async def _fetch_once(self, urn: str, server: SpecServer) -> DeviceSpec:
        """Fetch a document; devices of one model asking at once share one fetch."""
        task = self._fetching.get(urn)
        if task is None:
            task = self._fetching[urn] = self.hass.async_create_task(
                self._fetch(urn, server), f"{DOMAIN} spec fetch {urn}", eager_start=True
            )
            task.add_done_callback(lambda _: self._fetching.pop(urn, None))
        return await asyncio.shield(task)

    async def _fetch(self, urn: str, server: SpecServer) -> DeviceSpec:
        document = await server.document(urn)
        try:
            translations = await server.translations(urn)
        except MiotError as err:
            LOGGER.debug("%s: no translated names (%s)", urn, err)
            translations = {}
        stored = await self._stored()
        stored["documents"][urn] = {
            "fetched": dt_util.utcnow().isoformat(),
            "document": document,
            "translations": translations,
        }
        self._parsed.pop(urn, None)
        self._save()
        return DeviceSpec(self._parse(urn, document), translations, source="server")

    def _parse(self, urn: str, document: Any) -> MiotSpec:
        if (spec := self._parsed.get(urn)) is None:
            spec = self._parsed[urn] = MiotSpec.from_dict(document)
        return spec

    async def _bundled(self, model: str, urn: str | None) -> MiotSpec | None:
        if model not in await self.hass.async_add_executor_job(bundled_models):
            return None
        spec = await self.hass.async_add_executor_job(load_bundled_spec, model)
        return spec if urn is None or spec.type == urn else None

    def _refresh_later(self, model: str, urn: str, server: SpecServer) -> None:
        failed = self._refresh_failed.get(urn)
        if urn in self._refreshing or (failed and dt_util.utcnow() - failed < REFRESH_RETRY):
            return
        self._refreshing.add(urn)
        self.hass.async_create_background_task(
            self._refresh(model, urn, server), f"{DOMAIN} spec refresh {urn}"
        )

    async def _refresh(self, model: str, urn: str, server: SpecServer) -> None:
        """Fetch a stored document again; on failure the stored one stays."""
        try:
            await self._fetch(urn, server)
            self._refresh_failed.pop(urn, None)
        except MiotError as err:
            self._refresh_failed[urn] = dt_util.utcnow()
            LOGGER.debug("%s: spec refresh failed, the stored one is kept (%s)", model, err)
        finally:
            self._refreshing.discard(urn)


def _older_than(when: Any, age: timedelta) -> bool:
    moment = dt_util.parse_datetime(when) if isinstance(when, str) else None
    return moment is None or dt_util.utcnow() - moment > age


def names_in_language(hass: HomeAssistant, translations: Translations) -> dict[str, str]:
    """The translated names in Home Assistant's language (zh-Hans from ``zh_cn``)."""
    language = hass.config.language or "en"
    if language.startswith("zh"):
        wanted = "zh_tw" if language in ("zh-Hant", "zh-TW", "zh-HK") else "zh_cn"
    else:
        wanted = language.split("-")[0]
    return dict(translations.get(wanted) or {})


def spec_issue_id(did: str) -> str:
    """The repair issue raised while no spec for a device can be had."""
    return f"spec_unavailable_{did}"


@callback
def async_report_spec(
    hass: HomeAssistant, did: str, name: str, error: SpecUnavailableError | None
) -> None:
    """Raise the device's repair issue while its spec cannot be had; clear it once it can."""
    if error is None:
        ir.async_delete_issue(hass, DOMAIN, spec_issue_id(did))
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        spec_issue_id(did),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="spec_unavailable",
        translation_placeholders={"name": name, "model": error.model, "reason": error.reason},
    )
