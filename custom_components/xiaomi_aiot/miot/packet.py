"""The miIO frame: a 32-byte header followed by an AES-128-CBC encrypted JSON payload.

Header (big-endian): magic 0x2131 (2 bytes), total length (2), reserved (4), device id (4),
stamp (4), checksum (16). The checksum is MD5(header[0:16] ‖ token ‖ ciphertext). The key is
MD5(token) and the IV is MD5(key ‖ token); the payload is padded with PKCS#7.
A "hello" is a bare header whose remaining 28 bytes are 0xff; a device answers it with its id
and its clock in the header.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .errors import MiotAuthenticationError, MiotChecksumError, MiotProtocolError, MiotValueError

MAGIC = 0x2131
HEADER = struct.Struct(">HHIII16s")
HEADER_SIZE = HEADER.size
BLOCK_SIZE = 16
HELLO = HEADER.pack(MAGIC, HEADER_SIZE, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, b"\xff" * 16)
_PREFIX = struct.Struct(">HHIII")


def parse_token(token: str | bytes) -> bytes:
    """Return the 16 bytes of a token given as 32 hexadecimal characters (or as bytes)."""
    if isinstance(token, bytes):
        if len(token) != 16:
            raise MiotValueError("a token is 16 bytes")
        return token
    text = token.strip()
    if len(text) != 32:
        raise MiotValueError("a token is 32 hexadecimal characters")
    try:
        return bytes.fromhex(text)
    except ValueError as err:
        raise MiotValueError("a token is 32 hexadecimal characters") from err


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded miIO packet; `payload` is empty for a hello."""

    did: int
    stamp: int
    payload: bytes
    checksum: bytes = b""

    @property
    def is_hello(self) -> bool:
        """Whether this packet is a bare header (a hello or its reply)."""
        return not self.payload


def read_header(data: bytes) -> Frame:
    """Decode the header only; used for hello replies, which carry no payload."""
    if len(data) < HEADER_SIZE:
        raise MiotProtocolError(f"packet of {len(data)} bytes is shorter than a header")
    magic, length, _reserved, did, stamp, checksum = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise MiotProtocolError(f"bad magic 0x{magic:04x}")
    if length < HEADER_SIZE or length > len(data):
        raise MiotProtocolError(f"length field {length} does not fit a {len(data)}-byte packet")
    return Frame(did, stamp, b"", checksum)


class FrameCodec:
    """Encodes and decodes the packets of one device, for one token."""

    __slots__ = ("_cipher", "token")

    def __init__(self, token: str | bytes) -> None:
        """Derive the key and IV from the token."""
        self.token = parse_token(token)
        key = hashlib.md5(self.token).digest()
        iv = hashlib.md5(key + self.token).digest()
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(iv))

    def encrypt(self, plaintext: bytes) -> bytes:
        """Pad with PKCS#7 and encrypt."""
        pad = BLOCK_SIZE - len(plaintext) % BLOCK_SIZE
        encryptor = self._cipher.encryptor()
        return encryptor.update(plaintext + bytes((pad,)) * pad) + encryptor.finalize()

    def decrypt(self, ciphertext: bytes) -> bytes:
        """Decrypt and remove the PKCS#7 padding; a failure means the token is wrong."""
        if not ciphertext or len(ciphertext) % BLOCK_SIZE:
            raise MiotAuthenticationError("ciphertext is not a whole number of blocks")
        decryptor = self._cipher.decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        pad = padded[-1]
        if not 1 <= pad <= BLOCK_SIZE or padded[-pad:] != bytes((pad,)) * pad:
            raise MiotAuthenticationError("payload does not decrypt with this token")
        return padded[:-pad]

    def encode(self, did: int, stamp: int, payload: bytes) -> bytes:
        """Build an encrypted packet for `did` carrying `payload`."""
        ciphertext = self.encrypt(payload)
        prefix = _PREFIX.pack(MAGIC, HEADER_SIZE + len(ciphertext), 0, did, stamp & 0xFFFFFFFF)
        checksum = hashlib.md5(prefix + self.token + ciphertext).digest()
        return prefix + checksum + ciphertext

    def decode(self, data: bytes) -> Frame:
        """Verify and decrypt a packet; trailing NULs of the plaintext are dropped."""
        header = read_header(data)
        length = HEADER.unpack_from(data)[1]
        if length == HEADER_SIZE:
            return header
        ciphertext = data[HEADER_SIZE:length]
        digest = hashlib.md5(data[:16] + self.token + ciphertext).digest()
        if digest != header.checksum:
            raise MiotChecksumError("checksum mismatch")
        return Frame(header.did, header.stamp, self.decrypt(ciphertext).rstrip(b"\x00"), digest)
