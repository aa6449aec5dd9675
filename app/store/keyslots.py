"""Key slots: the database key wrapped several ways, as LUKS does, and the identity keys granted per account.

The database key is 32 random bytes that never touch the disk in the clear.
`keyslots.json` beside the database holds it wrapped (libsodium SecretBox)
under keys derived from: each user's password (Argon2id), the recovery key
(Argon2id), and a random key kept in the operating system's keyring where a
real backend exists. Any one slot opens the database; losing the keyring
entry loses nothing as long as a password or the recovery key is known.

Format 2 adds a second level (issue 13): identity fields are encrypted under
*identity keys* (one for the node, one per point; their ids and scopes are
listed here, never the keys). Each password slot and the recovery slot also
wraps an X25519 private key of its own, with the public key in the clear; an
identity key is *granted* to a slot by sealing it to that public key (SealedBox),
so whoever holds an identity key can grant it without knowing the other
person's password. A slot's right to be granted keys (its user, role, point and
public key) is MAC'd under a key derived from the node's identity key, so
changing a role in the database or swapping a public key in this file earns
no grant. The keyring slot opens the database only, never identities.

Every change is a read-modify-write under an operating-system lock on
`keyslots.json.lock` (`KeySlots.change`): the file is read afresh under the
lock, the one change applied, the version counter raised and the file
replaced. A session whose copy is stale therefore never writes it back.
Wrong-password counters live here too (`failures`), under the same lock.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import secrets
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nacl.bindings
import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils

from app.errors import BinhAnError, DatabaseDamaged, WrongSecret

SLOTS_FORMAT = 2
READABLE_FORMATS = (1, 2)
KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
KEYRING_SERVICE = "binhan"
LOCK_WAIT = 15.0  # seconds a writer waits for another one to finish (a write takes milliseconds)

# Argon2id cost. Interactive limits: ~0.1 s and 64 MiB on a 2-core office PC.
# Tests lower these (tests/conftest.py); each slot records the cost it was made with.
KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE

# Recovery key alphabet: Crockford base32 (no I, L, O, U), easy to read aloud and retype.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_GROUPS = 8
_RECOVERY_GROUP_LEN = 5  # 40 symbols x 5 bits = 200 bits

# Roles whose slots receive identity keys: which scopes (see `scopes_for`).
IDENTITY_ROLES = ("admin", "officer", "cadre")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_database_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_recovery_key() -> str:
    symbols = [secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUPS * _RECOVERY_GROUP_LEN)]
    groups = ["".join(symbols[i : i + _RECOVERY_GROUP_LEN]) for i in range(0, len(symbols), _RECOVERY_GROUP_LEN)]
    return "-".join(groups)


def normalise_recovery_key(text: str) -> str:
    """Accept what a person types: any case, spaces or dashes, O for 0, I/L for 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return cleaned


def _derive(secret: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES, secret.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit
    )


def subkey(key: bytes, purpose: bytes) -> bytes:
    """A key for one purpose derived from `key` (BLAKE2b keyed, personalised): never the key itself."""
    return nacl.hash.blake2b(b"", digest_size=32, key=key, person=purpose[:16].ljust(16, b"\0"),
                             encoder=nacl.encoding.RawEncoder)


def identity_key_id(key: bytes, scope: str) -> str:
    """An identity key's id: a keyed hash of its scope under the key itself. Whoever holds the key can check
    the scope the file claims for it, so relabelling keys in the file (a point's key as the node's) is seen."""
    return "ik-" + nacl.hash.blake2b(scope.encode("utf-8"), digest_size=8, key=key,
                                     encoder=nacl.encoding.HexEncoder).decode("ascii")


def scopes_for(role: str | None, point: str | None, all_scopes: list[str]) -> set[str]:
    """The identity-key scopes an account of `role` (at `point`) holds."""
    if role in ("admin", "officer", "recovery"):
        return set(all_scopes)
    if role == "cadre" and point:
        return {f"point:{point}"} & set(all_scopes)
    return set()


@dataclass
class Slot:
    id: str
    kind: str  # "password" | "recovery" | "keyring"
    box: str  # base64 SecretBox(nonce + ciphertext) of the database key
    user: str | None = None
    salt: str | None = None
    opslimit: int | None = None
    memlimit: int | None = None
    account: str | None = None  # keyring account name
    public: str | None = None  # X25519 public key (base64) of this slot
    private_box: str | None = None  # its private key, SecretBox under the same wrapping key as `box`
    grants: dict | None = None  # identity key id -> SealedBox(identity key) to `public`
    role: str | None = None  # what `seal` vouches for
    point: str | None = None
    seal: str | None = None  # MAC over (user, role, point, public) under the node identity key

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _wrapping_key(slot: Slot, secret: str) -> bytes:
    """The key a password or recovery slot is wrapped under. A slot without its Argon2id salt and limits (a
    damaged or edited file) is refused as damaged, never fed to the KDF as None."""
    if slot.salt is None or slot.opslimit is None or slot.memlimit is None:
        raise DatabaseDamaged(
            "Tệp khóa bị hỏng: một khóa thiếu tham số. Hãy khôi phục tệp này từ bản sao lưu (thư mục backups) "
            "hoặc liên hệ quản trị viên.",
            "The key-slot file is damaged: a slot lacks its parameters. Restore it from the backups folder or "
            "contact your administrator.")
    return _derive(secret, _unb64(slot.salt), slot.opslimit, slot.memlimit)


@dataclass
class Opened:
    """What a secret opened: the database key and, for format-2 slots, the identity keys granted to it."""

    db_key: bytes
    private_key: bytes | None
    identity_keys: dict[str, bytes]
    slot: Slot


@dataclass
class KeySlots:
    """The slots file of one node. Holds no secret in the clear."""

    path: Path
    node: dict = field(default_factory=dict)
    slots: list[Slot] = field(default_factory=list)
    identity_keys: list[dict] = field(default_factory=list)  # [{"id", "scope", "created"}]
    failures: dict = field(default_factory=dict)  # username -> {"n", "last", "locked_until"}
    version: int = 0
    stamp: bytes | None = None  # hash of the file's bytes this copy was read from

    # --- loading and saving -------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            data = Path(path).read_bytes()
            raw = json.loads(data.decode("utf-8"))
            if raw.get("format") not in READABLE_FORMATS:
                raise ValueError("format")
            slots = [Slot(**s) for s in raw["slots"]]
            return cls(path=Path(path), node=dict(raw.get("node", {})), slots=slots,
                       identity_keys=list(raw.get("identity_keys", [])), failures=dict(raw.get("failures", {})),
                       version=int(raw.get("version", 0)), stamp=_stamp(data))
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise DatabaseDamaged(
                f"Tệp khóa {path.name} bị hỏng hoặc không đọc được. "
                "Hãy khôi phục tệp này từ bản sao lưu (thư mục backups) hoặc liên hệ quản trị viên.",
                f"The key-slot file {path.name} is damaged or unreadable. "
                "Restore it from the backups folder or contact your administrator.",
            ) from exc

    def stale(self) -> bool:
        """True when the file on disk is not the one this copy was read from."""
        try:
            return _stamp(self.path.read_bytes()) != self.stamp
        except OSError:
            return True

    def _payload(self) -> bytes:
        payload = {
            "format": SLOTS_FORMAT,
            "version": self.version,
            "note": "Bình An key slots: the database key wrapped per password, recovery key and keyring; identity "
                    "keys sealed to the accounts that may read identities. No secret is stored in the clear.",
            "node": self.node,
            "identity_keys": self.identity_keys,
            "slots": [s.as_dict() for s in self.slots],
            "failures": self.failures,
        }
        return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")

    def save(self) -> None:
        """Write this copy as a whole: only for a new node's first file (use `change` for every edit)."""
        with file_lock(self.path):
            if self.path.exists():
                on_disk = KeySlots.load(self.path)
                if on_disk.version != self.version or on_disk.stamp != self.stamp:
                    raise StaleSlots()
            self.version += 1
            data = self._payload()
            write_atomic(self.path, data)
            self.stamp = _stamp(data)

    def change(self, edit):
        """Apply `edit(slots)` to the file as it is now, under the lock; return what `edit` returned.

        The file is read afresh under the lock, so a change made by another process since this copy
        was read is kept; this copy then holds the new state.
        """
        with file_lock(self.path):
            fresh = KeySlots.load(self.path)
            result = edit(fresh)
            fresh.version += 1
            data = fresh._payload()
            write_atomic(self.path, data)
            fresh.stamp = _stamp(data)
        self._take(fresh)
        return result

    def reload(self) -> KeySlots:
        self._take(KeySlots.load(self.path))
        return self

    def _take(self, other: KeySlots) -> None:
        self.node, self.slots, self.identity_keys = other.node, other.slots, other.identity_keys
        self.failures, self.version, self.stamp = other.failures, other.version, other.stamp

    # --- adding slots ---------------------------------------------------------
    def _wrap(self, wrapping_key: bytes, db_key: bytes) -> str:
        return _b64(bytes(nacl.secret.SecretBox(wrapping_key).encrypt(db_key)))

    def password_slot(self, user: str) -> Slot | None:
        for s in self.slots:
            if s.kind == "password" and s.user == user:
                return s
        return None

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == "recovery"), None)

    def add_password(self, user: str, password: str, db_key: bytes, *, private_key: bytes | None = None) -> Slot:
        """Add (or replace) the slot of `user`, with a key pair of its own.

        `private_key`: keep this key pair (a password change: its grants stay valid). Otherwise a new
        key pair is made and the old slot's grants are dropped (whoever gives the password grants anew).
        """
        old = self.password_slot(user)
        self.slots = [s for s in self.slots if not (s.kind == "password" and s.user == user)]
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        wrapping = _derive(password, salt, KDF_OPSLIMIT, KDF_MEMLIMIT)
        private = nacl.public.PrivateKey(private_key) if private_key else nacl.public.PrivateKey.generate()
        public = _b64(bytes(private.public_key))
        slot = Slot(
            id=uuid.uuid4().hex, kind="password", user=user, salt=_b64(salt),
            opslimit=KDF_OPSLIMIT, memlimit=KDF_MEMLIMIT, box=self._wrap(wrapping, db_key),
            public=public, private_box=self._wrap(wrapping, bytes(private)), grants={},
        )
        if old is not None and old.public == public:
            slot.grants, slot.role, slot.point, slot.seal = dict(old.grants or {}), old.role, old.point, old.seal
        self.slots.append(slot)
        return slot

    def remove_password(self, user: str) -> None:
        self.slots = [s for s in self.slots if not (s.kind == "password" and s.user == user)]

    def add_recovery(self, db_key: bytes, identity_keys: dict[str, bytes] | None = None,
                     node_key: bytes | None = None) -> str:
        """Replace the recovery slot; return the new recovery key, to be shown once.

        The new slot gets a key pair and every identity key given (a session's), sealed to it.
        """
        key = new_recovery_key()
        self.slots = [s for s in self.slots if s.kind != "recovery"]
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        wrapping = _derive(normalise_recovery_key(key), salt, KDF_OPSLIMIT, KDF_MEMLIMIT)
        private = nacl.public.PrivateKey.generate()
        slot = Slot(
            id=uuid.uuid4().hex, kind="recovery", salt=_b64(salt),
            opslimit=KDF_OPSLIMIT, memlimit=KDF_MEMLIMIT, box=self._wrap(wrapping, db_key),
            public=_b64(bytes(private.public_key)), private_box=self._wrap(wrapping, bytes(private)), grants={},
        )
        self.slots.append(slot)
        for key_id, value in (identity_keys or {}).items():
            self.grant(slot, key_id, value)
        if node_key is not None:
            self.vouch(slot, "recovery", None, node_key)
        return key

    def add_keyring(self, db_key: bytes) -> bool:
        """Put a random wrapping key in the OS keyring. False when no usable backend exists."""
        backend = usable_keyring()
        if backend is None:
            return False
        account = f"node-{self.node.get('id', 'unknown')}-{uuid.uuid4().hex[:8]}"
        wrapping = nacl.utils.random(KEY_BYTES)
        try:
            backend.set_password(KEYRING_SERVICE, account, _b64(wrapping))
        except Exception:  # a keyring that refuses is the same as no keyring
            return False
        self.slots = [s for s in self.slots if s.kind != "keyring"]
        self.slots.append(Slot(id=uuid.uuid4().hex, kind="keyring", account=account,
                               box=self._wrap(wrapping, db_key)))
        return True

    # --- identity keys ------------------------------------------------------------
    def scopes(self) -> dict[str, str]:
        """Identity key id -> scope ("node" or "point:<id>")."""
        return {k["id"]: k["scope"] for k in self.identity_keys}

    def key_id_for(self, scope: str) -> str | None:
        return next((k["id"] for k in self.identity_keys if k["scope"] == scope), None)

    def new_identity_key(self, scope: str) -> tuple[str, bytes]:
        """List a new identity key for `scope`; return its id and the key (to be granted by the caller)."""
        if self.key_id_for(scope) is not None:
            raise ValueError(f"an identity key for {scope} exists")
        key = nacl.utils.random(KEY_BYTES)
        key_id = identity_key_id(key, scope)
        self.identity_keys.append({"id": key_id, "scope": scope,
                                   "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        return key_id, key

    def grant(self, slot: Slot, key_id: str, identity_key: bytes) -> None:
        if not slot.public:
            return
        sealed = nacl.public.SealedBox(nacl.public.PublicKey(_unb64(slot.public))).encrypt(identity_key)
        slot.grants = dict(slot.grants or {}, **{key_id: _b64(bytes(sealed))})

    def revoke(self, slot: Slot, keep: set[str] | frozenset[str] = frozenset()) -> None:
        slot.grants = {k: v for k, v in (slot.grants or {}).items() if k in keep}

    def _seal_mac(self, slot: Slot, role: str | None, point: str | None, node_key: bytes) -> str:
        body = json.dumps([slot.kind, slot.user, role, point, slot.public], ensure_ascii=False).encode("utf-8")
        return _b64(nacl.hash.blake2b(body, digest_size=32, key=subkey(node_key, b"binhan-slotseal"),
                                      encoder=nacl.encoding.RawEncoder))

    def vouch(self, slot: Slot, role: str | None, point: str | None, node_key: bytes) -> None:
        """Record that `slot` (its user and public key) is entitled to the keys of `role` at `point`."""
        slot.role, slot.point = role, point
        slot.seal = self._seal_mac(slot, role, point, node_key)

    def vouched(self, slot: Slot, node_key: bytes, *, pending: bool = False) -> bool:
        """The slot's seal holds for its role, point and public key (`pending`: or for no public key yet)."""
        if not slot.seal:
            return False
        if secrets.compare_digest(slot.seal, self._seal_mac(slot, slot.role, slot.point, node_key)):
            return True
        if pending and slot.public:
            bare = Slot(**dict(slot.__dict__, public=None))
            return secrets.compare_digest(slot.seal, self._seal_mac(bare, slot.role, slot.point, node_key))
        return False

    # --- opening ----------------------------------------------------------------
    def kinds(self) -> list[str]:
        """Which kinds of slot exist, for the window to say ("password", "recovery", "keyring")."""
        return sorted({s.kind for s in self.slots})

    def users(self) -> list[str]:
        return [s.user for s in self.slots if s.kind == "password" and s.user]

    def _unwrap(self, slot: Slot, wrapping: bytes) -> bytes:
        try:
            return bytes(nacl.secret.SecretBox(wrapping).decrypt(_unb64(slot.box)))
        except (nacl.exceptions.CryptoError, ValueError) as exc:
            raise WrongSecret("Sai mật khẩu.", "Wrong password.") from exc

    def _opened(self, slot: Slot, wrapping: bytes) -> Opened:
        db_key = self._unwrap(slot, wrapping)
        private = None
        keys: dict[str, bytes] = {}
        if slot.private_box:
            try:
                private = bytes(nacl.secret.SecretBox(wrapping).decrypt(_unb64(slot.private_box)))
            except (nacl.exceptions.CryptoError, ValueError):
                private = None
        if private is not None and bytes(nacl.public.PrivateKey(private).public_key) == _unb64(slot.public or ""):
            box = nacl.public.SealedBox(nacl.public.PrivateKey(private))
            listed = self.scopes()
            for key_id, sealed in (slot.grants or {}).items():
                if key_id not in listed:
                    continue
                try:
                    keys[key_id] = bytes(box.decrypt(_unb64(sealed)))
                except (nacl.exceptions.CryptoError, ValueError):
                    continue  # a grant sealed to another key (a planted one) opens nothing
        else:
            private = None
        return Opened(db_key, private, keys, slot)

    def open_password_slot(self, user: str, password: str) -> Opened:
        slot = self.password_slot(user)
        if slot is not None:
            return self._opened(slot, _wrapping_key(slot, password))
        # Same message as a wrong password: do not tell a stranger which user names exist.
        raise WrongSecret("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password.")

    def open_with_password(self, user: str, password: str) -> bytes:
        return self.open_password_slot(user, password).db_key

    def open_recovery_slot(self, recovery_key: str) -> Opened:
        slot = self.recovery_slot()
        if slot is None:
            raise WrongSecret("Đơn vị này không có mã khôi phục.", "This node has no recovery key.")
        wrapping = _wrapping_key(slot, normalise_recovery_key(recovery_key))
        try:
            return self._opened(slot, wrapping)
        except WrongSecret:
            raise WrongSecret(
                "Mã khôi phục không đúng. Hãy kiểm tra lại từng nhóm ký tự trên tờ giấy đã in.",
                "The recovery key is not right. Check each group against the printed sheet.",
            ) from None

    def open_with_recovery(self, recovery_key: str) -> bytes:
        return self.open_recovery_slot(recovery_key).db_key

    def open_with_keyring(self) -> bytes | None:
        """The database key through the keyring slot, or None when that slot is absent or lost."""
        backend = usable_keyring()
        for slot in self.slots:
            if slot.kind == "keyring" and backend is not None:
                try:
                    stored = backend.get_password(KEYRING_SERVICE, slot.account)
                except Exception:
                    return None
                if not stored:
                    return None
                try:
                    return self._unwrap(slot, _unb64(stored))
                except (WrongSecret, ValueError):
                    return None
        return None

    def add_key_pair(self, user: str, password: str) -> bytes | None:
        """Give an old (format 1) password slot a key pair, its password being known now. Returns the private key."""
        slot = self.password_slot(user)
        if slot is None or slot.public:
            return None
        wrapping = _wrapping_key(slot, password)
        self._unwrap(slot, wrapping)  # the password must open the slot it adds to
        private = nacl.public.PrivateKey.generate()
        slot.public = _b64(bytes(private.public_key))
        slot.private_box = self._wrap(wrapping, bytes(private))
        slot.grants = {}
        return bytes(private)

    def copy(self) -> KeySlots:
        return copy.deepcopy(self)


class StaleSlots(BinhAnError):
    def __init__(self):
        super().__init__("Tệp khóa đã được thay đổi ở nơi khác; thay đổi này chưa được ghi. Hãy thử lại.",
                         "The key-slot file was changed elsewhere; this change was not written. Try again.")


def _stamp(data: bytes) -> bytes:
    """What a copy was read from: the file's bytes, hashed (file times are too coarse to tell two quick writes)."""
    return nacl.hash.blake2b(data, digest_size=16, encoder=nacl.encoding.RawEncoder)


@contextmanager
def file_lock(path: Path, wait: float = LOCK_WAIT):
    """The operating system's exclusive lock on `<path>.lock` for one read-modify-write of `path`."""
    from app.store.instance import _try_lock, _unlock

    lock_path = Path(path).with_name(Path(path).name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise BinhAnError(
                    "Tệp khóa đang được một chương trình Bình An khác ghi quá lâu. Hãy đóng các cửa sổ Bình An "
                    "khác rồi thử lại; chưa có gì bị thay đổi.",
                    "Another Bình An program has been writing the key-slot file for too long. Close the other "
                    "Bình An windows and try again; nothing was changed.")
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


class MemoryKeyring:
    """A keyring that lives in memory: throwaway nodes (the demo window, the self-test) never write the real one."""

    priority = 1

    def __init__(self):
        self.values = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        self.values.pop((service, username), None)


_keyring_override = None


def set_keyring_backend(backend) -> None:
    """Tests install an in-memory backend here; never a plaintext file."""
    global _keyring_override
    _keyring_override = backend


def usable_keyring():
    """The keyring backend if a real one exists, else None (headless Linux, CI)."""
    if _keyring_override is not None:
        return _keyring_override
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring):
        return None
    # chainer/null/plaintext backends are not acceptable homes for a key.
    name = type(backend).__module__ + "." + type(backend).__name__
    if any(bad in name.lower() for bad in ("null", "plaintext", "fail")):
        return None
    if getattr(backend, "priority", 0) <= 0:
        return None
    return backend


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name, flush to disk, then rename into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = [
    "KeySlots", "Slot", "Opened", "file_lock", "subkey", "scopes_for", "new_database_key", "new_recovery_key", "normalise_recovery_key",
    "MemoryKeyring", "set_keyring_backend", "usable_keyring", "write_atomic", "BinhAnError",
]
