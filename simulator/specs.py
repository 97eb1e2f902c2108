"""The spec library: the MIoT spec documents a simulated device can be, and what serves them.

Without a folder the library is the bundled specs. With one (``--specs DIR``, the home file's
``specs:``) it is every ``DIR/<model>.json`` — real documents exactly as miot-spec.org publishes
them — and then the bundled specs for models the folder lacks. Next to the documents,
``DIR/<model>.i18n.json`` is a model's multi-language answer, and
``DIR/../instances_status_all.json`` Xiaomi's list of models and URNs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from custom_components.xiaomi_aiot.miot import bundle
from custom_components.xiaomi_aiot.miot.errors import MiotSpecError
from custom_components.xiaomi_aiot.miot.spec import MiotSpec

BUNDLED_FOLDER = Path(bundle.__file__).parent / "specs"
INSTANCES_FILE = "instances_status_all.json"
I18N_SUFFIX = ".i18n.json"
EMPTY_TRANSLATIONS = b'{"data":{}}'


def urn_version(urn: str) -> int:
    """The version of a device type URN: its 7th colon-separated field (0 if it has none)."""
    fields = urn.split(":")
    try:
        return int(fields[6])
    except (IndexError, ValueError):
        return 0


class SpecLibrary:
    """The documents of a folder (if any) over the bundled ones; the folder wins for a model.

    Blocking file I/O: documents are read on first use and kept.
    """

    def __init__(self, folder: Path | None = None) -> None:
        """Index the folder's file names (documents are read when asked for)."""
        self.folder = folder
        self._files = _documents(BUNDLED_FOLDER)
        if folder is not None:
            self._files.update(_documents(folder))

    def __contains__(self, model: object) -> bool:
        """Whether a model has a document."""
        return model in self._files

    @property
    def models(self) -> frozenset[str]:
        """Every model with a document."""
        return frozenset(self._files)

    def real(self, model: str) -> bool:
        """Whether the model's document comes from the folder (a real one), not the bundle."""
        path = self._files.get(model)
        return path is not None and path.parent != BUNDLED_FOLDER

    def spec(self, model: str) -> MiotSpec:
        """The parsed spec of a model; `MiotSpecError` if it has none or it does not parse."""
        path = self._files.get(model)
        if path is None:
            raise MiotSpecError(f"no spec for model {model!r}")
        return _parse(path)

    @cached_property
    def _by_urn(self) -> dict[str, tuple[str, Path]]:
        index: dict[str, tuple[str, Path]] = {}
        for model, path in self._files.items():
            urn = _urn_of(path)
            if urn and (urn not in index or self.real(model)):
                index[urn] = (model, path)
        return index

    def document(self, urn: str) -> bytes | None:
        """The document whose type is `urn`, byte for byte as in its file; None if unknown."""
        found = self._by_urn.get(urn)
        return found[1].read_bytes() if found is not None else None

    def translations(self, urn: str) -> bytes:
        """The multi-language answer of a type: its model's ``.i18n.json``, else an empty one."""
        found = self._by_urn.get(urn)
        if found is not None:
            path = found[1].with_name(found[0] + I18N_SUFFIX)
            if path.is_file():
                return path.read_bytes()
        return EMPTY_TRANSLATIONS

    def instances(self, status: str | None = None) -> bytes:
        """The list of models and their URNs (``status`` other than ``all``: only those).

        Xiaomi's own list when the folder's parent has it, else one made from the documents.
        """
        listed = self.folder.parent / INSTANCES_FILE if self.folder is not None else None
        if listed is not None and listed.is_file():
            if status in (None, "", "all"):
                return listed.read_bytes()
            entries = json.loads(listed.read_bytes()).get("instances", [])
        else:
            entries = self._made_instances()
        if status not in (None, "", "all"):
            entries = [entry for entry in entries if entry.get("status") == status]
        return json.dumps({"instances": entries}, ensure_ascii=False).encode("utf-8")

    def _made_instances(self) -> list[dict[str, Any]]:
        return [
            {
                "status": "released",
                "model": model,
                "version": urn_version(urn),
                "type": urn,
                "ts": int(path.stat().st_mtime),
            }
            for urn, (model, path) in sorted(self._by_urn.items(), key=lambda item: item[1][0])
        ]


def _documents(folder: Path) -> dict[str, Path]:
    return {
        path.name.removesuffix(".json"): path
        for path in sorted(folder.glob("*.json"))
        if not path.name.endswith(I18N_SUFFIX) and path.name != INSTANCES_FILE
    }


def _urn_of(path: Path) -> str | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    urn = data.get("type") if isinstance(data, Mapping) else None
    return urn if isinstance(urn, str) else None


@cache
def _parse(path: Path) -> MiotSpec:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        raise MiotSpecError(f"cannot read {path.name}: {err}") from err
    return MiotSpec.from_dict(data)


@cache
def spec_library(folder: Path | None = None) -> SpecLibrary:
    """The library of a folder (None: the bundled specs only), made once per folder."""
    return SpecLibrary(folder.resolve() if folder is not None else None)
