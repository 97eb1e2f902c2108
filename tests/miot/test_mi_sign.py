"""Xiaomi's signing: our code against micloud 0.6's own functions, and against fixed vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from micloud import miutils

from custom_components.xiaomi_aiot.miot import MiotProtocolError, mi_sign

SSECURITY = base64.b64encode(bytes(range(16))).decode()
NONCE = mi_sign.make_nonce(b"\x8a\x01\x02\x03\x04\x05\x06\x07", 1_764_768_000_000)
URL = "https://de.api.io.mi.com/app/home/device_list"
PATH = "/home/device_list"
DATA = '{"getVirtualModel":true,"getHuamiDevices":1}'


def rc4_by_the_book(key: bytes, data: bytes, drop: int = 1024) -> bytes:
    """RC4 from its definition (key scheduling, then the keystream), independent of ours."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for n in range(drop + len(data)):
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        k = s[(s[i] + s[j]) % 256]
        if n >= drop:
            out.append(data[n - drop] ^ k)
    return bytes(out)


def test_password_hash_is_upper_case_hex_md5() -> None:
    assert mi_sign.password_hash("password") == "5F4DCC3B5AA765D61D8327DEB882CF99"


def test_nonce_is_eight_random_bytes_then_the_minutes() -> None:
    raw = base64.b64decode(NONCE)
    assert raw[:8] == b"\x8a\x01\x02\x03\x04\x05\x06\x07"
    assert int.from_bytes(raw[8:], "big") == 1_764_768_000_000 // 60000
    assert len(base64.b64decode(miutils.gen_nonce())) == len(base64.b64decode(mi_sign.make_nonce()))


def test_signed_nonce_agrees_with_micloud_and_with_sha256() -> None:
    ours = mi_sign.signed_nonce(SSECURITY, NONCE)
    assert ours == miutils.signed_nonce(SSECURITY, NONCE)
    expected = hashlib.sha256(bytes(range(16)) + base64.b64decode(NONCE)).digest()
    assert base64.b64decode(ours) == expected


@pytest.mark.parametrize("text", ["", "x", '{"code":0,"result":{"list":[]}}', "é" * 700])
def test_rc4_agrees_with_micloud_and_with_the_algorithm(text: str) -> None:
    signed = mi_sign.signed_nonce(SSECURITY, NONCE)
    ours = mi_sign.encrypt_rc4(signed, text)
    assert ours == miutils.encrypt_rc4(signed, text)
    assert base64.b64decode(ours) == rc4_by_the_book(base64.b64decode(signed), text.encode())
    assert mi_sign.decrypt_rc4(signed, ours) == text.encode()
    assert miutils.decrypt_rc4(signed, ours) == text.encode()


def test_a_fixed_rc4_vector_written_out() -> None:
    # RFC 6229's key 0x0102030405 keystream at offset 1024 (no drop applied by the vector).
    keystream = rc4_by_the_book(bytes([1, 2, 3, 4, 5]), bytes(16), drop=1024)
    assert keystream.hex() == "30abbcc7c20b01609f23ee2d5f6bb7df"
    plain = mi_sign.decrypt_rc4(base64.b64encode(bytes([1, 2, 3, 4, 5])).decode(), "")
    assert plain == b""
    ours = mi_sign.encrypt_rc4(base64.b64encode(bytes([1, 2, 3, 4, 5])).decode(), "\0" * 16)
    assert base64.b64decode(ours) == keystream


def test_encrypted_params_agree_with_micloud_for_a_fixed_nonce() -> None:
    signed = mi_sign.signed_nonce(SSECURITY, NONCE)
    theirs = miutils.generate_enc_params(URL, "POST", signed, NONCE, {"data": DATA}, SSECURITY)
    ours = mi_sign.encrypt_params("POST", PATH, SSECURITY, {"data": DATA}, NONCE)
    assert ours == theirs
    assert list(ours) == ["data", "rc4_hash__", "signature", "ssecurity", "_nonce"]


def test_rc4_hash_is_sha1_of_the_fields_written_out() -> None:
    signed = mi_sign.signed_nonce(SSECURITY, NONCE)
    expected = hashlib.sha1(f"POST&{PATH}&data={DATA}&{signed}".encode()).digest()
    assert mi_sign.rc4_signature("post", PATH, signed, {"data": DATA}) == (
        base64.b64encode(expected).decode()
    )
    fields = mi_sign.encrypt_params("POST", PATH, SSECURITY, {"data": DATA}, NONCE)
    key = base64.b64decode(signed)
    assert rc4_by_the_book(key, base64.b64decode(fields["data"])) == DATA.encode()
    assert rc4_by_the_book(key, base64.b64decode(fields["rc4_hash__"])) == (
        base64.b64encode(expected)
    )


def test_plain_hmac_signature_agrees_with_micloud_and_hmac() -> None:
    signed = mi_sign.signed_nonce(SSECURITY, NONCE)
    params = {"data": DATA, "b": "2"}
    ours = mi_sign.hmac_signature(PATH, signed, NONCE, params)
    assert ours == miutils.gen_signature("https://api.io.mi.com" + PATH, signed, NONCE, params)
    message = f"{PATH}&{signed}&{NONCE}&b=2&data={DATA}".encode()
    expected = hmac.new(base64.b64decode(signed), message, hashlib.sha256).digest()
    assert ours == base64.b64encode(expected).decode()
    form = mi_sign.sign_plain(PATH, SSECURITY, params, NONCE)
    assert form == {**params, "signature": ours, "_nonce": NONCE}


def test_our_decoder_reads_an_answer_micloud_encrypted() -> None:
    answer = json.dumps({"code": 0, "message": "ok", "result": {"list": [{"did": "1"}]}})
    payload = miutils.encrypt_rc4(miutils.signed_nonce(SSECURITY, NONCE), answer)
    assert mi_sign.decrypt_answer(SSECURITY, NONCE, payload) == answer


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("<html>502 Bad Gateway</html>", id="html"),
        pytest.param("not base64!!", id="bad-base64"),
        pytest.param(
            base64.b64encode(rc4_by_the_book(b"wrong key", b'{"code":0}')).decode(),
            id="another-key",
        ),
    ],
)
def test_an_answer_that_does_not_decode_is_a_protocol_error(payload: str) -> None:
    with pytest.raises(MiotProtocolError):
        mi_sign.decrypt_answer(SSECURITY, NONCE, payload)


def test_client_sign_is_sha1_of_nonce_and_ssecurity() -> None:
    expected = hashlib.sha1(f"nonce=123&{SSECURITY}".encode()).digest()
    assert mi_sign.client_sign("123", SSECURITY) == base64.b64encode(expected).decode()
