"""JSON for messages: orjson where it is installed (it is, with Home Assistant), else stdlib."""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - Home Assistant always ships orjson

    def dumps(value: Any) -> bytes:
        """Compact JSON as UTF-8 bytes."""
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()

    def loads(data: bytes | str) -> Any:
        """Parse JSON; malformed input raises ValueError."""
        return json.loads(data)

else:

    def dumps(value: Any) -> bytes:
        """Compact JSON as UTF-8 bytes."""
        return orjson.dumps(value)

    def loads(data: bytes | str) -> Any:
        """Parse JSON; malformed input raises ValueError."""
        return orjson.loads(data)
