"""Build translations/en.json from strings.json, resolving `[%key:...%]` references.

Home Assistant resolves these references only for its own integrations; a custom integration
ships the resolved English file. Run: .venv/bin/python script/translations.py [--check]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import homeassistant

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / "xiaomi_aiot"
REFERENCE = re.compile(r"\[%key:([a-z0-9_:]+)%\]")


def build() -> dict[str, Any]:
    """The English translations, references resolved."""
    strings = json.loads((COMPONENT / "strings.json").read_text("utf-8"))
    core = json.loads((Path(homeassistant.__file__).parent / "strings.json").read_text("utf-8"))
    sources = {"component": {"xiaomi_aiot": strings}, **core}

    def lookup(key: str) -> str:
        node: Any = sources
        for part in key.split("::"):
            node = node[part]
        if not isinstance(node, str):
            raise KeyError(key)
        return resolve(node)

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, str):
            return REFERENCE.sub(lambda match: lookup(match.group(1)), value)
        return value

    result: dict[str, Any] = resolve(strings)
    return result


def main() -> int:
    """Write en.json, or with --check, fail if it is out of date."""
    text = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    target = COMPONENT / "translations" / "en.json"
    if "--check" in sys.argv:
        if not target.exists() or target.read_text("utf-8") != text:
            print("translations/en.json is out of date: run script/translations.py")
            return 1
        return 0
    target.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
