"""Small encodings shared by every sync file: canonical JSON, base64, signed documents.

A signed document is a JSON file a person can open and read:

    {"format": "binhan-profile", "version": 1, "document": {...},
     "signatures": [{"key_id": "…", "signature": "base64"}]}

Each signature is Ed25519 over `format` + NUL + the canonical JSON of `document`,
so a signature made for one kind of file never verifies as another kind.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

import nacl.exceptions
import nacl.signing
import orjson


def canonical(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_record(value) -> bytes:
    """`canonical(value)` for a record (text, integers, booleans, null, lists, objects), several times faster.

    orjson writes the same bytes as `canonical` for such values (tests/sync/test_codec.py); anything it
    will not write (an integer beyond 64 bits, a non-text key) goes the slow way. Signed documents keep
    using `canonical`: a float may be written differently, and their bytes must never change.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return canonical(value)


_LONG_NUMBER = re.compile(rb"[:\[,]\s*-?\d{19}")  # a number (not text) of 19 digits or more
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def record_reader(blob: bytes):
    """A function that reads one line of `blob` exactly as `json.loads` would, the fast way when it can.

    orjson refuses NaN and escaped lone surrogates (those lines go the slow way) and reads an integer
    beyond 64 bits as a float: a blob with a number of 19 digits or more is read the slow way throughout.
    """
    # Digits all made "0" first (bytes.translate runs at memory speed): only a run of 19 can be such a
    # number, and only then is the slower pattern asked whether it really is one (not text).
    if blob.translate(_DIGITS_AS_ZERO).find(b"0" * 19) != -1 and _LONG_NUMBER.search(blob) is not None:
        return _slow_load

    def load(line: bytes):
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            return _slow_load(line)
    return load


def _slow_load(line: bytes):
    return json.loads(line.decode("utf-8"))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text) -> bytes:
    """Strict base64; raises ValueError on anything else."""
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not base64") from exc


def signed_message(file_format: str, document: dict) -> bytes:
    return file_format.encode("ascii") + b"\x00" + canonical(document)


def sign_document(file_format: str, document: dict, signers: list[tuple[str, nacl.signing.SigningKey]]) -> dict:
    message = signed_message(file_format, document)
    return {
        "format": file_format,
        "version": 1,
        "document": document,
        "signatures": [{"key_id": key_id, "signature": b64(key.sign(message).signature)}
                       for key_id, key in signers],
    }


def read_document(data: bytes, file_format: str) -> tuple[dict, dict[str, bytes]]:
    """The document and its signatures by key id. Raises ValueError when it is not such a file."""
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(envelope, dict) or envelope.get("format") != file_format:
        raise ValueError("wrong format")
    if envelope.get("version") != 1:
        raise ValueError("unknown version")
    document = envelope.get("document")
    signatures = envelope.get("signatures")
    if not isinstance(document, dict) or not isinstance(signatures, list) or not signatures:
        raise ValueError("missing document or signatures")
    found = {}
    for entry in signatures:
        if not isinstance(entry, dict) or not isinstance(entry.get("key_id"), str):
            raise ValueError("bad signature entry")
        found[entry["key_id"]] = unb64(entry.get("signature"))
    return document, found


def verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
        return True
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError, ValueError):
        return False
