"""What someone with a copy of the node folder and one password can read, using only the raw libraries.

No import from app/: the key-slot file is read as JSON, the database key and the slot's private key
unwrapped with PyNaCl (Argon2id + SecretBox), the identity keys granted to that slot opened with
SealedBox, and every table, every page of the database, its WAL and every backup decrypted with
sqlcipher3 and AES (`cryptography`), free pages included.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.pwhash
import nacl.secret
import sqlcipher3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of each page


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def unwrap(slots_file: Path, user: str | None, secret: str, kind: str = "password") -> tuple[bytes, dict]:
    """The database key and the identity keys (id -> key) one secret opens."""
    raw = json.loads(Path(slots_file).read_text(encoding="utf-8"))
    slot = next(s for s in raw["slots"] if s["kind"] == kind and (user is None or s.get("user") == user))
    wrapping = nacl.pwhash.argon2id.kdf(32, secret.encode("utf-8"), _b(slot["salt"]),
                                        opslimit=slot["opslimit"], memlimit=slot["memlimit"])
    db_key = nacl.secret.SecretBox(wrapping).decrypt(_b(slot["box"]))
    keys = {}
    if slot.get("private_box"):
        private = nacl.public.PrivateKey(nacl.secret.SecretBox(wrapping).decrypt(_b(slot["private_box"])))
        for key_id, sealed in (slot.get("grants") or {}).items():
            keys[key_id] = nacl.public.SealedBox(private).decrypt(_b(sealed))
    return db_key, keys


def tables(path: Path, db_key: bytes) -> dict:
    """Every row of every table of one encrypted database file (a WAL beside it is read too)."""
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}
    finally:
        conn.close()


def _pages(data: bytes, db_key: bytes, offset: int = 0, stride: int = PAGE, first_is_page1: bool = True):
    for start in range(offset, len(data) - PAGE + 1, stride):
        page = data[start + stride - PAGE:start + stride] if stride != PAGE else data[start:start + PAGE]
        iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
        body_from = 16 if (first_is_page1 and start == offset) else 0
        body = page[body_from:PAGE - RESERVE]
        dec = Cipher(algorithms.AES(db_key), modes.CBC(iv)).decryptor()
        yield dec.update(body) + dec.finalize()


def decrypted_pages(path: Path, db_key: bytes) -> bytes:
    """Every page of a database file, decrypted, free pages included (what a forensic reader sees)."""
    data = Path(path).read_bytes()
    return b"".join(_pages(data, db_key))


def decrypted_wal(path: Path, db_key: bytes) -> bytes:
    """Every frame of a WAL file, decrypted (32-byte header, then 24-byte frame headers before each page)."""
    data = Path(path).read_bytes() if Path(path).exists() else b""
    out = []
    pos = 32
    while pos + 24 + PAGE <= len(data):
        page_no = int.from_bytes(data[pos:pos + 4], "big")
        page = data[pos + 24:pos + 24 + PAGE]
        iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
        body = page[16 if page_no == 1 else 0:PAGE - RESERVE]
        dec = Cipher(algorithms.AES(db_key), modes.CBC(iv)).decryptor()
        out.append(dec.update(body) + dec.finalize())
        pos += 24 + PAGE
    return b"".join(out)


def try_open_identities(path: Path, db_key: bytes, keys: dict) -> list[str]:
    """Every identity value the given identity keys open in one database file."""
    opened = []
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        cur = conn.execute("SELECT * FROM case_identities")
        cols = [d[0] for d in cur.description]
        for row in cur.fetchall():
            r = dict(zip(cols, row, strict=True))
            for col, value in r.items():
                if not isinstance(value, bytes):
                    continue
                for key_id, key in keys.items():
                    ad = f"binhan-identity|case_identities|{r['case_id']}|{col}|{key_id}".encode()
                    try:
                        opened.append(nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
                            value[24:], ad, value[:24], key).decode("utf-8"))
                    except (nacl.exceptions.CryptoError, UnicodeDecodeError):  # not this key's
                        pass
    finally:
        conn.close()
    return opened


def everything(folder: Path, user: str, password: str) -> tuple[str, bytes, list[str]]:
    """(every table of every database file as text, every decrypted page and WAL frame, identities opened)."""
    db_key, keys = unwrap(folder / "keyslots.json", user, password)
    text, pages, opened = [], [], []
    files = [p for p in Path(folder).rglob("*") if p.is_file() and (p.name.endswith(".db") or ".db." in p.name)
             and not p.name.endswith((".json", "-wal", "-shm"))]
    for path in files:
        try:
            text.append(repr(tables(path, db_key)))
        except sqlcipher3.DatabaseError:
            continue  # not this node's key
        pages.append(decrypted_pages(path, db_key))
        pages.append(decrypted_wal(path.with_name(path.name + "-wal"), db_key))
        opened += try_open_identities(path, db_key, keys)
    return "\n".join(text), b"".join(pages), opened
