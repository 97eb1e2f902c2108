"""The signing of Xiaomi's account and app API, as the Mi Home app does it.

Facts (the same in micloud 0.6, python-miio and hass-xiaomi-miot):

- the password travels as its upper-case hex MD5 (`password_hash`);
- a nonce is 8 random bytes then the minutes since the epoch, big-endian, base64 (`make_nonce`);
- the signed nonce is base64(SHA-256(b64decode(ssecurity) + b64decode(nonce))) (`signed_nonce`);
- the plain form signs ``path&signed_nonce&nonce&k=v…`` (keys sorted) with HMAC-SHA256 keyed
  by the decoded signed nonce (`hmac_signature`);
- the RC4 form (`encrypt_params`) adds ``rc4_hash__`` = base64(SHA-1(``METHOD&path&k=v…&signed
  nonce``)) over the plain fields in order, RC4-encrypts every field (key: the decoded signed
  nonce, the first 1024 bytes of keystream dropped, base64), signs the encrypted fields the same
  way into ``signature`` and adds ``ssecurity`` and ``_nonce``; the answer is base64 RC4 text
  under the same key (`decrypt_answer`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from typing import Final

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher

from .errors import MiotProtocolError

RC4_DROP: Final = 1024
"""Bytes of keystream thrown away before use, as Xiaomi's servers do."""


def password_hash(password: str) -> str:
    """The password as the account server takes it: upper-case hex MD5 of its UTF-8."""
    return hashlib.md5(password.encode()).hexdigest().upper()


def make_nonce(random_bytes: bytes | None = None, millis: int | None = None) -> str:
    """A fresh nonce: 8 random bytes, then the minutes since the epoch (4 bytes), base64."""
    head = os.urandom(8) if random_bytes is None else random_bytes
    now = int(time.time() * 1000) if millis is None else millis
    minutes = now // 60000
    return base64.b64encode(
        head + minutes.to_bytes((minutes.bit_length() + 7) // 8, "big")
    ).decode()


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise MiotProtocolError("not base64") from err


def signed_nonce(ssecurity: str, nonce: str) -> str:
    """base64(SHA-256(decoded ssecurity + decoded nonce)): the key of one request."""
    digest = hashlib.sha256(_b64decode(ssecurity) + _b64decode(nonce)).digest()
    return base64.b64encode(digest).decode()


def hmac_signature(path: str, signed: str, nonce: str, params: Mapping[str, str]) -> str:
    """The plain form's ``signature``: HMAC-SHA256 of ``path&signed&nonce&k=v…`` (keys sorted)."""
    parts = [path, signed, nonce, *(f"{key}={params[key]}" for key in sorted(params))]
    digest = hmac.new(_b64decode(signed), "&".join(parts).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_plain(path: str, ssecurity: str, params: Mapping[str, str], nonce: str) -> dict[str, str]:
    """The plain HMAC form of a request's fields: the fields, ``signature`` and ``_nonce``."""
    signed = signed_nonce(ssecurity, nonce)
    return {**params, "signature": hmac_signature(path, signed, nonce, params), "_nonce": nonce}


def _rc4(key: bytes, data: bytes) -> bytes:
    # RC4 is symmetric: one function encrypts and decrypts.
    cipher = Cipher(ARC4(key), mode=None).encryptor()
    cipher.update(bytes(RC4_DROP))
    return cipher.update(data) + cipher.finalize()


def encrypt_rc4(signed: str, text: str) -> str:
    """base64 of the RC4 encryption of ``text`` under the signed nonce (1024 bytes dropped)."""
    return base64.b64encode(_rc4(_b64decode(signed), text.encode())).decode()


def decrypt_rc4(signed: str, payload: str) -> bytes:
    """The bytes under a base64 RC4 ``payload``; `MiotProtocolError` if it is not base64."""
    return _rc4(_b64decode(signed), _b64decode(payload.strip()))


def rc4_signature(method: str, path: str, signed: str, params: Mapping[str, str]) -> str:
    """base64(SHA-1(``METHOD&path&k=v…&signed``)), fields in their order: ``rc4_hash__``."""
    parts = [method.upper(), path, *(f"{key}={value}" for key, value in params.items()), signed]
    return base64.b64encode(hashlib.sha1("&".join(parts).encode()).digest()).decode()


def encrypt_params(
    method: str, path: str, ssecurity: str, params: Mapping[str, str], nonce: str
) -> dict[str, str]:
    """The RC4 form of a request's fields (``path`` is the part after ``/app``)."""
    signed = signed_nonce(ssecurity, nonce)
    fields = dict(params)
    fields["rc4_hash__"] = rc4_signature(method, path, signed, fields)
    encrypted = {key: encrypt_rc4(signed, value) for key, value in fields.items()}
    encrypted["signature"] = rc4_signature(method, path, signed, encrypted)
    encrypted["ssecurity"] = ssecurity
    encrypted["_nonce"] = nonce
    return encrypted


def decrypt_answer(ssecurity: str, nonce: str, payload: str) -> str:
    """The text of an RC4-form answer; `MiotProtocolError` if it is not base64 RC4 UTF-8 text."""
    plain = decrypt_rc4(signed_nonce(ssecurity, nonce), payload)
    try:
        return plain.decode()
    except UnicodeDecodeError as err:
        raise MiotProtocolError("the answer does not decrypt under this request's key") from err


def client_sign(nonce: str, ssecurity: str) -> str:
    """``clientSign`` added to the sign-in ``location``: base64(SHA-1(``nonce=…&ssecurity``))."""
    digest = hashlib.sha1(f"nonce={nonce}&{ssecurity}".encode()).digest()
    return base64.b64encode(digest).decode()
