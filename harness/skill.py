"""Requests to the Xiao Ai skill endpoint, signed as the Xiao Ai Open Platform signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from email.utils import formatdate
from typing import Any

KEY_ID = "skill-key-1"
SECRET = base64.b64encode(b"the skill's secret, 32 bytes long").decode()
HOST = "home.example.com"


def skill_request(query: str, *, request_id: str = "req-1", kind: int = 1) -> dict[str, Any]:
    """A skill request as the Xiao Ai Open Platform sends it."""
    return {
        "version": "1.0",
        "query": query,
        "session": {
            "session_id": "session-1",
            "application": {"app_id": "app-1"},
            "new": kind == 0,
            "user": {"user_id": "user-1", "is_user_login": True},
        },
        "request": {
            "type": kind,
            "request_id": request_id,
            "timestamp": 1700000000000,
            "intent": {"query": query, "score": 0.9, "complete": True, "domain": "app"},
            "slot_info": {"intent_name": "command", "slots": []},
        },
    }


def signed_headers(
    path: str,
    body: bytes,
    *,
    key_id: str = KEY_ID,
    secret: str = SECRET,
    date: str | None = None,
) -> dict[str, str]:
    """The headers of a request signed as the module docstring describes (MIAI-HmacSHA256-V1)."""
    date = date or formatdate(usegmt=True)
    content_md5 = hashlib.md5(body).hexdigest()
    text = "\n".join(["POST", path, "", date, HOST, "application/json", content_md5, ""])
    digest = hmac.new(base64.b64decode(secret), text.encode(), hashlib.sha256).hexdigest()
    return {
        "Authorization": f"MIAI-HmacSHA256-V1 {key_id}::{digest}",
        "X-Xiaomi-Date": date,
        "Host": HOST,
        "Content-Type": "application/json",
        "Content-MD5": content_md5,
    }


def encode(payload: Any) -> bytes:
    """A JSON body."""
    return json.dumps(payload, ensure_ascii=False).encode()
