"""The signing and RC4 of Xiaomi's app API, as its servers check them (see README.md).

A request carries ``_nonce`` (base64); the signed nonce is base64 of SHA-256 of the decoded
``ssecurity`` and the decoded nonce. In the RC4 form every field is encrypted with RC4 keyed by
the decoded signed nonce (the first 1024 bytes of the key stream dropped), ``rc4_hash__`` is
the SHA-1 signature of the plain fields and ``signature`` that of the encrypted ones; the answer
is encrypted the same way. In the plain form ``signature`` is an HMAC-SHA256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

DROP = 1024


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4 of `data` with `key`, after dropping the first `DROP` bytes of the key stream."""
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) & 0xFF
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for index in range(DROP + len(data)):
        i = (i + 1) & 0xFF
        j = (j + box[i]) & 0xFF
        box[i], box[j] = box[j], box[i]
        if index >= DROP:
            out.append(data[index - DROP] ^ box[(box[i] + box[j]) & 0xFF])
    return bytes(out)


def signed_nonce(ssecurity: str, nonce: str) -> str:
    """Base64 of SHA-256(decoded ssecurity + decoded nonce)."""
    digest = hashlib.sha256(base64.b64decode(ssecurity) + base64.b64decode(nonce)).digest()
    return base64.b64encode(digest).decode()


def encrypt(signed: str, text: str) -> str:
    """A field or answer encrypted with the signed nonce, in base64."""
    return base64.b64encode(rc4(base64.b64decode(signed), text.encode())).decode()


def decrypt(signed: str, payload: str) -> bytes:
    """The bytes of a base64 field encrypted with the signed nonce (`ValueError` if not base64)."""
    return rc4(base64.b64decode(signed), base64.b64decode(payload, validate=True))


def rc4_signature(method: str, path: str, fields: Iterable[tuple[str, str]], signed: str) -> str:
    """SHA-1 signature of the RC4 form: ``METHOD&path&k=v&…&signed nonce``, in base64.

    `path` is the API path without its leading ``/app`` (``/home/device_list``).
    """
    parts = [method.upper(), path, *(f"{key}={value}" for key, value in fields), signed]
    return base64.b64encode(hashlib.sha1("&".join(parts).encode()).digest()).decode()


def hmac_signature(path: str, signed: str, nonce: str, fields: Iterable[tuple[str, str]]) -> str:
    """HMAC-SHA256 signature of the plain form: ``path&signed&nonce&k=v…`` (keys sorted)."""
    parts = [path, signed, nonce, *(f"{key}={value}" for key, value in sorted(fields))]
    key = base64.b64decode(signed)
    return base64.b64encode(
        hmac.new(key, "&".join(parts).encode(), hashlib.sha256).digest()
    ).decode()


def password_hash(password: str) -> str:
    """The ``hash`` a client sends for a password: upper-case hex MD5."""
    return hashlib.md5(password.encode()).hexdigest().upper()


def client_sign(nonce: str, ssecurity: str) -> str:
    """The STS ``clientSign``: base64 of SHA-1 of ``nonce=<nonce>&<ssecurity>``."""
    return base64.b64encode(hashlib.sha1(f"nonce={nonce}&{ssecurity}".encode()).digest()).decode()
