"""A node's key pairs: X25519 to receive encrypted files, Ed25519 to sign the files it sends.

Every key has an id (the first 16 hex digits of a BLAKE2b hash of its public
key) so keys can be rotated: a new pair gets a new id, old pairs are kept
(retired) to open files made for them. Private keys never leave the database
in the clear: each is wrapped with SecretBox under a key derived from the
database key, so they are exactly as safe as the records.

People compare keys by phone with a *fingerprint*: five groups of four
digits, computed from the node id and both public keys (digits are easy to
read aloud in Vietnamese; 20 digits leave no practical room for a look-alike).

A province's private keys can be exported to a passphrase-protected backup
file (Argon2id + SecretBox), because a lost province key means communes'
packages can no longer be opened. Importing a backup made on another
installation *adopts* that identity: packages addressed to it are accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.signing
import nacl.utils

from app.records import now_utc
from app.store.keyslots import write_atomic
from sync.codec import b64, canonical, unb64
from sync.errors import DocumentInvalid, KeyBackupWrongPassphrase, WeakPassphrase

ENCRYPTION = "encryption"
SIGNING = "signing"
PURPOSES = (ENCRYPTION, SIGNING)

BACKUP_FORMAT = "binhan-key-backup"
BACKUP_SUFFIX = ".keys.binhan"
MIN_BACKUP_PASSPHRASE = 12
# A backup file can be attacked offline for years: cost well above the login slots.
# Tests lower these (tests/sync/conftest.py); the file records the cost it was made with.
BACKUP_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
BACKUP_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE


def _hash(data: bytes, person: bytes, *, key: bytes = b"", size: int = 32) -> bytes:
    return nacl.hash.blake2b(data, digest_size=size, key=key, person=person, encoder=nacl.encoding.RawEncoder)


def key_id(public_key: bytes) -> str:
    return _hash(public_key, b"binhan.keyid").hex()[:16]


def fingerprint(node_id: str, signing_public: bytes, encryption_public: bytes) -> str:
    """Five groups of four digits that two people read to each other by phone."""
    digest = _hash(node_id.encode("utf-8") + b"\x00" + signing_public + encryption_public, b"binhan.fpr")
    digits = f"{int.from_bytes(digest[:16], 'big') % 10**20:020d}"
    return " ".join(digits[i:i + 4] for i in range(0, 20, 4))


def normalise_fingerprint(text: str | None) -> str:
    """What a person typed, as bare digits ('1234-5678 …' → '12345678…')."""
    return "".join(ch for ch in (text or "") if ch.isdigit())


@dataclass(frozen=True)
class KeyPair:
    key_id: str
    node_id: str
    purpose: str
    public: bytes
    private: nacl.signing.SigningKey | nacl.public.PrivateKey

    def public_dict(self) -> dict:
        return {"key_id": self.key_id, "public": b64(self.public)}

    @property
    def signing_key(self) -> nacl.signing.SigningKey:
        """The Ed25519 key of a signing pair (TypeError for an encryption pair: a caller picked the wrong one)."""
        if not isinstance(self.private, nacl.signing.SigningKey):
            raise TypeError(f"key {self.key_id} is a {self.purpose} key, not a signing key")
        return self.private

    @property
    def box_key(self) -> nacl.public.PrivateKey:
        """The X25519 key of an encryption pair (TypeError for a signing pair)."""
        if not isinstance(self.private, nacl.public.PrivateKey):
            raise TypeError(f"key {self.key_id} is a {self.purpose} key, not an encryption key")
        return self.private


def _wrapping_box(session) -> nacl.secret.SecretBox:
    """The key that wraps private keys: derived from, never equal to, the database key."""
    return nacl.secret.SecretBox(_hash(b"sync private keys v1", b"binhan.synckeys", key=session._key()))


def _wrap(box: nacl.secret.SecretBox, kid: str, private: bytes) -> bytes:
    # The key id travels inside the box, so a row copied onto another key's row does not open.
    return bytes(box.encrypt(kid.encode("ascii") + b"\x00" + private))


def _unwrap(box: nacl.secret.SecretBox, kid: str, sealed: bytes) -> bytes:
    plain = box.decrypt(sealed)
    prefix = kid.encode("ascii") + b"\x00"
    if not plain.startswith(prefix):
        raise nacl.exceptions.CryptoError("key row does not match its id")
    return plain[len(prefix):]


def _pair(purpose: str, raw_private: bytes, kid: str, node_id: str) -> KeyPair:
    if purpose == SIGNING:
        signing = nacl.signing.SigningKey(raw_private)
        return KeyPair(kid, node_id, purpose, bytes(signing.verify_key), signing)
    private = nacl.public.PrivateKey(raw_private)
    return KeyPair(kid, node_id, purpose, bytes(private.public_key), private)


def _new_pair(purpose: str, node_id: str) -> KeyPair:
    if purpose == SIGNING:
        signing = nacl.signing.SigningKey.generate()
        public = bytes(signing.verify_key)
        return KeyPair(key_id(public), node_id, purpose, public, signing)
    private = nacl.public.PrivateKey.generate()
    public = bytes(private.public_key)
    return KeyPair(key_id(public), node_id, purpose, public, private)


def _insert(conn, box, pair: KeyPair, created_at: str, retired_at: str | None = None) -> None:
    conn.execute(
        "INSERT INTO sync_keys (key_id, node_id, purpose, public_key, private_box, created_at, retired_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (pair.key_id, pair.node_id, pair.purpose, pair.public, _wrap(box, pair.key_id, bytes(pair.private)),
         created_at, retired_at))


def _load(session, row) -> KeyPair:
    raw = _unwrap(_wrapping_box(session), row["key_id"], row["private_box"])
    return _pair(row["purpose"], raw, row["key_id"], row["node_id"])


# --- this node's keys ------------------------------------------------------------------------------
def ensure_keys(session) -> bool:
    """Create this node's key pairs if it has none. Returns True when it created them."""
    own = session.origin
    with session.store.transaction() as conn:
        have = {r[0] for r in conn.execute(
            "SELECT purpose FROM sync_keys WHERE node_id = ? AND retired_at IS NULL", (own,)).fetchall()}
        missing = [p for p in PURPOSES if p not in have]
        if not missing:
            return False
        box = _wrapping_box(session)
        now = now_utc()
        created = []
        for purpose in missing:
            pair = _new_pair(purpose, own)
            _insert(conn, box, pair, now)
            created.append(pair.key_id)
        session.audit(conn, "sync.keys.create", table="sync_keys", detail={"key_ids": created})
    return True


def current(session, purpose: str, node_id: str | None = None) -> KeyPair:
    """The key pair in use for `purpose` (of this node, or of an identity adopted from a backup)."""
    node_id = node_id or session.origin
    if node_id == session.origin:
        ensure_keys(session)
    rows = session.store.query(
        "SELECT * FROM sync_keys WHERE node_id = ? AND purpose = ? AND retired_at IS NULL"
        " ORDER BY created_at DESC LIMIT 1", (node_id, purpose))
    if not rows:
        raise LookupError(f"no current {purpose} key for {node_id}")
    return _load(session, rows[0])


def by_id(session, kid: str, purpose: str) -> KeyPair | None:
    """Any of this node's key pairs, current or retired, by id."""
    rows = session.store.query("SELECT * FROM sync_keys WHERE key_id = ? AND purpose = ?", (kid, purpose))
    return _load(session, rows[0]) if rows else None


def retired_signers(session, node_id: str | None = None) -> list[KeyPair]:
    """Retired signing keys, newest first: they endorse documents so peers can follow a rotation."""
    rows = session.store.query(
        "SELECT * FROM sync_keys WHERE node_id = ? AND purpose = ? AND retired_at IS NOT NULL"
        " ORDER BY retired_at DESC", (node_id or session.origin, SIGNING))
    return [_load(session, r) for r in rows]


def identities(session) -> set[str]:
    """Node ids this installation answers to: its own, and any adopted from a key backup."""
    ids = {r["node_id"] for r in session.store.query("SELECT DISTINCT node_id FROM sync_keys")}
    return ids | {session.origin}


def public_keys(session, node_id: str | None = None) -> dict:
    return {SIGNING: current(session, SIGNING, node_id).public_dict(),
            ENCRYPTION: current(session, ENCRYPTION, node_id).public_dict()}


def own_fingerprint(session) -> str:
    return fingerprint(session.origin, current(session, SIGNING).public, current(session, ENCRYPTION).public)


def rotate(session) -> dict:
    """New key pairs with new ids; the old ones are retired but kept to open older files.

    After a rotation the node sends its parent a new registration (endorsed by the
    old signing key) and, if it is a parent, its children a new profile.
    """
    session.require("settings.manage")
    ensure_keys(session)
    now = now_utc()
    with session.store.transaction() as conn:
        old = [r[0] for r in conn.execute("SELECT key_id FROM sync_keys WHERE node_id = ? AND retired_at IS NULL",
                                          (session.origin,)).fetchall()]
        conn.execute("UPDATE sync_keys SET retired_at = ? WHERE node_id = ? AND retired_at IS NULL",
                     (now, session.origin))
        box = _wrapping_box(session)
        new = []
        for purpose in PURPOSES:
            pair = _new_pair(purpose, session.origin)
            _insert(conn, box, pair, now)
            new.append(pair.key_id)
        session.audit(conn, "sync.keys.rotate", table="sync_keys", detail={"retired": old, "created": new})
    return public_keys(session)


# --- backup of the private keys ------------------------------------------------------------------
def export_backup(session, path: Path, passphrase: str) -> Path:
    """Write every key pair of this node (and the enrolled peers' public keys) to a protected file."""
    session.require("settings.manage")
    if len(passphrase or "") < MIN_BACKUP_PASSPHRASE:
        raise WeakPassphrase(minimum=MIN_BACKUP_PASSPHRASE)
    ensure_keys(session)
    keys = []
    for row in session.store.query("SELECT * FROM sync_keys ORDER BY created_at, key_id"):
        pair = _load(session, row)
        keys.append({"key_id": pair.key_id, "node_id": pair.node_id, "purpose": pair.purpose,
                     "private": b64(bytes(pair.private)), "created_at": row["created_at"],
                     "retired_at": row["retired_at"]})
    peers = [dict(r) for r in session.store.query("SELECT * FROM sync_peers ORDER BY node_id")]
    peer_keys = [{**r, "public_key": b64(r["public_key"])}
                 for r in session.store.query("SELECT * FROM sync_peer_keys ORDER BY key_id")]
    info = session.node_info
    secret = {"node": {"id": info.id, "kind": info.kind, "code": info.code, "name": info.name},
              "keys": keys, "peers": peers, "peer_keys": peer_keys}
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    ops, mem = BACKUP_OPSLIMIT, BACKUP_MEMLIMIT
    box = nacl.secret.SecretBox(nacl.pwhash.argon2id.kdf(32, passphrase.encode("utf-8"), salt,
                                                         opslimit=ops, memlimit=mem))
    envelope = {
        "format": BACKUP_FORMAT, "version": 1, "created": now_utc(),
        "node": secret["node"],
        "kdf": {"alg": "argon2id13", "salt": b64(salt), "opslimit": ops, "memlimit": mem},
        "box": b64(bytes(box.encrypt(canonical(secret)))),
    }
    path = Path(path)
    write_atomic(path, json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8"))
    with session.store.transaction() as conn:
        session.audit(conn, "sync.keys.backup", table="sync_keys", detail={"keys": len(keys)})
    return path


_PEER_COLUMNS = ("node_id", "relation", "kind", "code", "name", "parent_code", "via", "fingerprint", "profile",
                 "status", "enrolled_at", "updated_at")


def _bad_backup(why: str, why_en: str) -> DocumentInvalid:
    return DocumentInvalid(what="sao lưu khóa", what_en="key backup", why=why, why_en=why_en)


def import_backup(session, path: Path, passphrase: str) -> dict:
    """Restore key pairs from a backup. Keys already present are left as they are.

    A backup of this very node brings back its keys (the backup's current keys are
    current again: they are what the children know). A backup of another node is
    adopted: packages addressed to that node are opened and answered here.
    """
    session.require("settings.manage")
    try:
        envelope = json.loads(Path(path).read_bytes().decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("format") != BACKUP_FORMAT:
            raise ValueError
        kdf = envelope["kdf"]
        salt, sealed = unb64(kdf["salt"]), unb64(envelope["box"])
        ops, mem = int(kdf["opslimit"]), int(kdf["memlimit"])
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _bad_backup("không phải tệp sao lưu khóa Bình An", "not a Bình An key backup") from None
    try:
        key = nacl.pwhash.argon2id.kdf(32, (passphrase or "").encode("utf-8"), salt, opslimit=ops, memlimit=mem)
        secret = json.loads(nacl.secret.SecretBox(key).decrypt(sealed).decode("utf-8"))
    except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError, ValueError):
        raise KeyBackupWrongPassphrase() from None
    box = _wrapping_box(session)
    now = now_utc()
    restored = 0
    with session.store.transaction() as conn:
        for k in secret["keys"]:
            pair = _pair(k["purpose"], unb64(k["private"]), k["key_id"], k["node_id"])
            if pair.key_id != key_id(pair.public):
                raise _bad_backup("khóa không khớp mã khóa", "a key does not match its id")
            if conn.execute("SELECT 1 FROM sync_keys WHERE key_id = ?", (pair.key_id,)).fetchone():
                continue
            if k["retired_at"] is None and pair.node_id == session.origin:
                conn.execute("UPDATE sync_keys SET retired_at = ? WHERE node_id = ? AND purpose = ?"
                             " AND retired_at IS NULL", (now, pair.node_id, pair.purpose))
            _insert(conn, box, pair, k["created_at"], k["retired_at"])
            restored += 1
        for p in secret.get("peers", []):
            if p["node_id"] == session.origin:
                continue
            row = {c: p.get(c) for c in _PEER_COLUMNS}
            conn.execute(f"INSERT OR IGNORE INTO sync_peers ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                         tuple(row.values()))
        for pk in secret.get("peer_keys", []):
            conn.execute("INSERT OR IGNORE INTO sync_peer_keys (key_id, node_id, purpose, public_key, added_at,"
                         " retired_at) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS"
                         " (SELECT 1 FROM sync_peers WHERE node_id = ?)",
                         (pk["key_id"], pk["node_id"], pk["purpose"], unb64(pk["public_key"]), pk["added_at"],
                          pk["retired_at"], pk["node_id"]))
        session.audit(conn, "sync.keys.restore", table="sync_keys",
                      detail={"from_node": secret["node"]["id"], "keys": restored})
    return {"node": secret["node"], "keys_restored": restored,
            "adopted": secret["node"]["id"] != session.origin}
