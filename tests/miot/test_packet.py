"""The miIO frame codec against known answers computed without the project's code.

The vectors come from `tests/miot/known_answers.sh`, which derives key and IV with md5sum,
encrypts with `openssl enc -aes-128-cbc` and builds header and checksum with xxd. Rerun it with
the arguments in each case's comment to reproduce a vector.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.xiaomi_aiot.miot.errors import (
    MiotAuthenticationError,
    MiotChecksumError,
    MiotError,
    MiotProtocolError,
    MiotValueError,
)
from custom_components.xiaomi_aiot.miot.packet import (
    HELLO,
    FrameCodec,
    parse_token,
    read_header,
)

KNOWN_ANSWERS = [
    # known_answers.sh 00112233445566778899aabbccddeeff 4660 100 '{"id":1}'
    (
        "00112233445566778899aabbccddeeff",
        4660,
        100,
        b'{"id":1}',
        "21310030000000000000123400000064a1409379cb01ee39d260c2b1163c5b20"
        "3baa18ebabcb3604b73e6580bb2fa605",
    ),
    # known_answers.sh ffffffffffffffffffffffffffffffff 123456789 3600 '<payload>'
    (
        "ffffffffffffffffffffffffffffffff",
        123456789,
        3600,
        b'{"id":4242,"method":"get_properties","params":[{"did":"2-1","siid":2,"piid":1}]}',
        "2131008000000000075bcd1500000e101c3b7f73862c8a4215e8866862842ffe"
        "0110daf2d1887bd2c051ae94df19288912dc1343998882a8d6c02a2982b8925b"
        "6e0b5f198e89fb54d0e4561440d87f7e72ec6f2c529ae6c4dfb773a59e2622e6"
        "dd20959f38b817ba6124e68cc08e193dcf3486943eacb4c82405ecfe436cfac3",
    ),
    # known_answers.sh 0123456789abcdef0123456789abcdef 305419896 4294967295 '<payload>'
    (
        "0123456789abcdef0123456789abcdef",
        305419896,
        4294967295,
        b'{"id":7,"result":[{"did":"2-1","siid":2,"piid":1,"code":0,"value":true}],"exe_time":20}',
        "213100800000000012345678ffffffffdfc20e25028fa33afb4910cc0f9ffaa7"
        "37193c6efb8f3ff9fea16f28418dad3670b3de46b099414f7cfb74e4fd82382b"
        "87359940bf5518eecc379744253e7cbdfd0870e2a665e44c17e63cc805f46eb2"
        "a1b623b1726973f5dfcf77e15c59f841ef1b5854bdb57dc410b43964ca45b5e2",
    ),
]


@pytest.mark.parametrize(("token", "did", "stamp", "payload", "packet"), KNOWN_ANSWERS)
def test_encoding_matches_known_answer(
    token: str, did: int, stamp: int, payload: bytes, packet: str
) -> None:
    """Encoding gives exactly the bytes openssl and md5sum give."""
    assert FrameCodec(token).encode(did, stamp, payload).hex() == packet


@pytest.mark.parametrize(("token", "did", "stamp", "payload", "packet"), KNOWN_ANSWERS)
def test_decoding_known_answer_recovers_payload(
    token: str, did: int, stamp: int, payload: bytes, packet: str
) -> None:
    """Decoding a known packet gives back its device id, stamp and payload."""
    frame = FrameCodec(token).decode(bytes.fromhex(packet))
    assert (frame.did, frame.stamp, frame.payload) == (did, stamp, payload)


def test_trailing_nuls_of_the_plaintext_are_dropped() -> None:
    """Devices often end their JSON with NUL bytes; they are not part of the message."""
    codec = FrameCodec("00112233445566778899aabbccddeeff")
    frame = codec.decode(codec.encode(1, 2, b'{"id":1}\x00\x00'))
    assert frame.payload == b'{"id":1}'


def test_hello_is_a_bare_header_of_ff() -> None:
    """The hello packet is the magic, a length of 32 and 28 bytes of 0xff."""
    assert HELLO.hex() == "21310020" + "ff" * 28
    frame = read_header(HELLO)
    assert frame.is_hello
    assert frame.did == 0xFFFFFFFF


def test_a_packet_made_with_another_token_fails_its_checksum() -> None:
    """A reply encrypted with the device's real token does not verify with a wrong one."""
    packet = FrameCodec("00112233445566778899aabbccddeeff").encode(1, 2, b"{}")
    with pytest.raises(MiotChecksumError):
        FrameCodec("ffeeddccbbaa99887766554433221100").decode(packet)


def test_a_correct_checksum_over_undecryptable_data_is_an_authentication_error() -> None:
    """Ciphertext that does not decrypt to valid padding is refused."""
    token = bytes.fromhex("00112233445566778899aabbccddeeff")
    codec = FrameCodec(token)
    ciphertext = bytes(16)
    prefix = struct.pack(">HHIII", 0x2131, 48, 0, 1, 2)
    packet = prefix + hashlib.md5(prefix + token + ciphertext).digest() + ciphertext
    with pytest.raises(MiotAuthenticationError):
        codec.decode(packet)


@pytest.mark.parametrize(
    "packet",
    [
        b"",
        b"\x21\x31",
        bytes.fromhex("21320020") + b"\xff" * 28,
        bytes.fromhex("21310040") + b"\xff" * 28,
        bytes.fromhex("21310010") + b"\xff" * 28,
    ],
    ids=["empty", "short", "bad-magic", "length-beyond-data", "length-below-header"],
)
def test_malformed_packets_are_protocol_errors(packet: bytes) -> None:
    """Short packets, wrong magic and impossible lengths are refused as protocol errors."""
    with pytest.raises(MiotProtocolError):
        FrameCodec("00112233445566778899aabbccddeeff").decode(packet)


@pytest.mark.parametrize("token", ["", "0011", "zz112233445566778899aabbccddeeff", b"short"])
def test_malformed_tokens_are_refused(token: str | bytes) -> None:
    """A token is exactly 32 hexadecimal characters (or 16 bytes)."""
    with pytest.raises(MiotValueError):
        parse_token(token)


@given(st.binary(max_size=200))
def test_decoder_only_raises_typed_errors_on_random_input(data: bytes) -> None:
    """Whatever arrives from the network, decoding returns a frame or raises a miot error."""
    with contextlib.suppress(MiotError):
        FrameCodec("00112233445566778899aabbccddeeff").decode(data)


@given(st.binary(max_size=300))
def test_decoder_only_raises_typed_errors_on_packets_with_a_valid_checksum(body: bytes) -> None:
    """Packets that pass the checksum but carry arbitrary ciphertext never crash the decoder."""
    token = bytes.fromhex("00112233445566778899aabbccddeeff")
    prefix = struct.pack(">HHIII", 0x2131, 32 + len(body), 0, 1, 2)
    data = prefix + hashlib.md5(prefix + token + body).digest() + body
    with contextlib.suppress(MiotError):
        FrameCodec("00112233445566778899aabbccddeeff").decode(data)


@given(st.binary(max_size=500), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_any_payload_survives_a_round_trip(payload: bytes, did: int, stamp: int) -> None:
    """Encoding then decoding gives back the payload (without trailing NULs)."""
    codec = FrameCodec("0123456789abcdef0123456789abcdef")
    frame = codec.decode(codec.encode(did, stamp, payload))
    assert (frame.did, frame.stamp, frame.payload) == (did, stamp, payload.rstrip(b"\x00"))
