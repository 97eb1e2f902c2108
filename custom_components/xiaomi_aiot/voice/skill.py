"""The Xiao Ai skill endpoint.

A custom skill on the Xiao Ai Open Platform forwards what the user said to an HTTPS address;
this module answers it at ``/api/xiaomi_aiot/xiaoai/{entry_id}`` (one address per config entry,
whose options hold the skill's key). Xiao Ai's servers carry no Home Assistant token, so the view
does not ask Home Assistant for authentication: every request must be signed instead.

Signature (the Open Platform's ``MIAI-HmacSHA256-V1``)::

    Authorization: MIAI-HmacSHA256-V1 <key_id>::<signature>

    string_to_sign = METHOD "\\n" PATH "\\n" QUERY "\\n" X-Xiaomi-Date "\\n" Host "\\n"
                     Content-Type "\\n" Content-MD5 "\\n"
    signature = hex(HMAC-SHA256(key, string_to_sign))

- QUERY is the query string's ``name=value`` pairs sorted and joined by ``&`` (empty when none);
  the other parts are the request's method, path and headers exactly as received.
- ``key`` is the skill secret decoded from base64, as the platform issues it; a secret that is
  not base64 is used as its UTF-8 bytes.
- ``key_id`` must be the configured skill key id; signatures are compared in constant time.

Checks beyond the platform's, so that a signed request cannot be altered or used twice:
- Content-MD5 (hex, or base64 per RFC 1864) must be the MD5 of the body, which binds the body
  to the signature;
- X-Xiaomi-Date (RFC 1123, e.g. ``Tue, 08 Dec 2020 03:26:17 GMT``, or Unix seconds) must be
  within ``SIGNATURE_WINDOW`` of now;
- a signature or a ``request.request_id`` seen before is a replay; each is remembered until its
  request's date leaves the window, so memory is bounded by time.

Refusals do nothing and answer JSON ``{"error": ...}``: 401 for a missing, forged, stale or
replayed request and for an entry without a configured secret; 413 for a body over
``MAX_BODY_SIZE``; 400 for a signed body that is not a skill request.

The request's ``query`` goes to the entry's Xiao Ai conversation agent (Home Assistant's default
agent while the entry has none), in Simplified Chinese when it has Chinese characters; the answer
comes back as ``{"version": "1.0", "is_session_end": ..., "response": {"to_speak": {"type": 0,
"text": ...}, "open_mic": ...}}``. The session stays open only when the agent asks a question.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Final

from aiohttp import web
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.setup import async_when_setup
from homeassistant.util.json import json_loads

# The integration is loaded as custom_components.xiaomi_aiot: only a relative import finds it.
from ..const import CONF_SKILL_KEY_ID, CONF_SKILL_SECRET, DOMAIN, LOGGER  # noqa: TID252
from .agent import async_ask_agent, spoken_answer, xiaoai_agent_id

SKILL_URL: Final = "/api/xiaomi_aiot/xiaoai/{entry_id}"
AUTH_SCHEME: Final = "MIAI-HmacSHA256-V1"
DATE_HEADER: Final = "X-Xiaomi-Date"
MAX_BODY_SIZE: Final = 64 * 1024
SIGNATURE_WINDOW: Final = 300.0
"""Seconds a request's date may be off from now."""

REQUEST_END: Final = 2
"""``request.type`` of the platform's session-end request (0 starts a session, 1 continues)."""
SESSIONS_KEPT: Final = 256


class RefusedRequestError(Exception):
    """A request the endpoint answers with an error status and nothing else."""

    def __init__(self, status: HTTPStatus, error: str) -> None:
        """`error` is the machine-readable reason sent back."""
        super().__init__(error)
        self.status = status
        self.error = error


def unauthorized(reason: str) -> RefusedRequestError:
    """A 401 refusal; the reason is logged, not sent."""
    LOGGER.debug("Xiao Ai skill request refused: %s", reason)
    return RefusedRequestError(HTTPStatus.UNAUTHORIZED, "unauthorized")


def string_to_sign(
    method: str,
    path: str,
    *,
    query: str,
    date: str,
    host: str,
    content_type: str,
    content_md5: str,
) -> str:
    """The text a skill request's signature is computed over."""
    pairs = "&".join(sorted(part for part in query.split("&") if part))
    return "\n".join((method.upper(), path, pairs, date, host, content_type, content_md5, ""))


def signing_key(secret: str) -> bytes:
    """The HMAC key of a skill secret: its base64 decoding, else its UTF-8 bytes."""
    try:
        return base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        return secret.encode()


def signature(secret: str, text: str) -> str:
    """The hex HMAC-SHA256 of a string to sign (headers' non-UTF-8 bytes as received)."""
    return hmac.new(signing_key(secret), as_bytes(text), hashlib.sha256).hexdigest()


def as_bytes(text: str) -> bytes:
    """A header-derived text as its bytes: aiohttp decodes headers with surrogateescape."""
    return text.encode("utf-8", "surrogateescape")


def request_time(value: str) -> float | None:
    """Seconds since the epoch of an X-Xiaomi-Date header; None when it is not a date."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def body_matches_md5(body: bytes, content_md5: str) -> bool:
    """Whether Content-MD5 (hex or base64) is the body's digest."""
    digest = hashlib.md5(body, usedforsecurity=False).digest()
    given = content_md5.strip()
    if not given.isascii():  # compare_digest refuses non-ASCII text
        return False
    return hmac.compare_digest(given.lower(), digest.hex()) or hmac.compare_digest(
        given, base64.b64encode(digest).decode()
    )


class ReplayGuard:
    """Keys of accepted requests, each kept while its request's date would still pass."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self._until: dict[str, float] = {}

    def first_time(self, keys: Iterable[str], now: float, until: float) -> bool:
        """Remember the keys until `until`; False when any is still remembered."""
        self._until = {key: end for key, end in self._until.items() if end >= now}
        keys = [key for key in keys if key]
        if any(key in self._until for key in keys):
            return False
        self._until.update(dict.fromkeys(keys, until))
        return True


class XiaoAiSkillView(HomeAssistantView):
    """Answers Xiao Ai Open Platform skill requests for one config entry."""

    url = SKILL_URL
    name = "api:xiaomi_aiot:xiaoai"
    requires_auth = False

    def __init__(self) -> None:
        """One replay guard per entry; conversations by Xiao Ai session."""
        self._guards: dict[str, ReplayGuard] = {}
        self._conversations: dict[str, str] = {}

    async def post(self, request: web.Request, entry_id: str) -> web.Response:
        """Check the request, run its query through the agent, answer in the skill format."""
        hass: HomeAssistant = request.app[KEY_HASS]
        try:
            body = await self._read_body(request)
            payload = self._verify(hass, request, entry_id, body)
        except RefusedRequestError as refused:
            return self.json({"error": refused.error}, refused.status)
        return self.json(await self._answer(hass, entry_id, payload))

    async def _read_body(self, request: web.Request) -> bytes:
        """The body, refused once it is known or seen to be over the limit."""
        if (request.content_length or 0) > MAX_BODY_SIZE:
            raise RefusedRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large")
        body = bytearray()
        async for chunk in request.content.iter_any():
            body += chunk
            if len(body) > MAX_BODY_SIZE:
                raise RefusedRequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large")
        return bytes(body)

    def _verify(
        self, hass: HomeAssistant, request: web.Request, entry_id: str, body: bytes
    ) -> dict[str, Any]:
        """The skill request of a signed, fresh, first-seen body; refusals raise."""
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise unauthorized("no such entry")
        key_id = entry.options.get(CONF_SKILL_KEY_ID) or ""
        secret = entry.options.get(CONF_SKILL_SECRET) or ""
        if not key_id or not secret:
            raise unauthorized("no skill secret configured")
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        given_key_id, _, given_signature = credentials.strip().partition("::")
        if scheme != AUTH_SCHEME or not given_signature:
            raise unauthorized("no signature")
        if not hmac.compare_digest(as_bytes(given_key_id), key_id.encode()):
            raise unauthorized("another key id")
        headers = request.headers
        date = headers.get(DATE_HEADER, "")
        content_md5 = headers.get("Content-MD5", "")
        text = string_to_sign(
            request.method,
            request.path,
            query=request.query_string,
            date=date,
            host=headers.get("Host", ""),
            content_type=headers.get("Content-Type", ""),
            content_md5=content_md5,
        )
        if not hmac.compare_digest(
            as_bytes(given_signature.lower()), signature(secret, text).encode()
        ):
            raise unauthorized("forged signature")
        now = time.time()
        sent = request_time(date)
        if sent is None or abs(now - sent) > SIGNATURE_WINDOW:
            raise unauthorized("stale or missing date")
        if not body_matches_md5(body, content_md5):
            raise unauthorized("body does not match Content-MD5")
        payload = self._parse(body)
        guard = self._guards.setdefault(entry_id, ReplayGuard())
        request_id = str(payload["request"].get("request_id") or "")
        keys = (f"sig:{given_signature.lower()}", f"id:{request_id}" if request_id else "")
        if not guard.first_time(keys, now, until=sent + SIGNATURE_WINDOW):
            raise unauthorized("replayed")
        return payload

    @staticmethod
    def _parse(body: bytes) -> dict[str, Any]:
        """The skill request in a body; 400 when it is not one."""
        try:
            payload = json_loads(body)
        except ValueError as err:
            raise RefusedRequestError(HTTPStatus.BAD_REQUEST, "malformed_json") from err
        if not isinstance(payload, dict) or not isinstance(payload.get("request"), dict):
            raise RefusedRequestError(HTTPStatus.BAD_REQUEST, "not_a_skill_request")
        return payload

    async def _answer(
        self, hass: HomeAssistant, entry_id: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """Run the query through the agent; the answer in the skill response format."""
        skill_request: dict[str, Any] = payload["request"]
        session = payload.get("session") if isinstance(payload.get("session"), dict) else {}
        session_id = str((session or {}).get("session_id") or "")
        intent = skill_request.get("intent")
        query = payload.get("query") or (intent.get("query") if isinstance(intent, dict) else "")
        if skill_request.get("type") == REQUEST_END or not isinstance(query, str) or not query:
            self._conversations.pop(session_id, None)
            return {"version": "1.0", "is_session_end": True, "response": {"open_mic": False}}
        result = await async_ask_agent(
            hass,
            query,
            context=Context(),
            agent_id=xiaoai_agent_id(hass),
            conversation_id=self._conversations.get(session_id),
        )
        ask = result.continue_conversation
        if session_id and ask and result.conversation_id:
            self._conversations[session_id] = result.conversation_id
            while len(self._conversations) > SESSIONS_KEPT:
                del self._conversations[next(iter(self._conversations))]
        else:
            self._conversations.pop(session_id, None)
        return {
            "version": "1.0",
            "is_session_end": not ask,
            "response": {"to_speak": {"type": 0, "text": spoken_answer(result)}, "open_mic": ask},
        }


@callback
def async_register_skill_view(hass: HomeAssistant) -> None:
    """Serve the skill endpoint once Home Assistant's HTTP server is set up."""

    async def register(hass: HomeAssistant, _component: str) -> None:
        hass.http.register_view(XiaoAiSkillView())

    async_when_setup(hass, "http", register)
