"""Key slots: the database key wrapped several ways, as LUKS does.

The database key is 32 random bytes that never touch the disk in the clear.
`keyslots.json` beside the database holds it wrapped (libsodium SecretBox)
under keys derived from: each user's password (Argon2id), the recovery key
(Argon2id), and a random key kept in the operating system's keyring where a
real backend exists. Any one slot opens the database; losing the keyring
entry loses nothing as long as a password or the recovery key is known.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from app.errors import BinhAnError, DatabaseDamaged, WrongSecret

SLOTS_FORMAT = 1
KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
KEYRING_SERVICE = "binhan"

# Argon2id cost. Interactive limits: ~0.1 s and 64 MiB on a 2-core office PC.
# Tests lower these (tests/conftest.py); each slot records the cost it was made with.
KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE

# Recovery key alphabet: Crockford base32 (no I, L, O, U), easy to read aloud and retype.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_GROUPS = 8
_RECOVERY_GROUP_LEN = 5  # 40 symbols x 5 bits = 200 bits


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

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class KeySlots:
    """The slots file of one node. Holds no secret in the clear."""

    path: Path
    node: dict = field(default_factory=dict)
    slots: list[Slot] = field(default_factory=list)

    # --- loading and saving -------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> "KeySlots":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != SLOTS_FORMAT:
                raise ValueError("format")
            slots = [Slot(**s) for s in raw["slots"]]
            return cls(path=path, node=dict(raw.get("node", {})), slots=slots)
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise DatabaseDamaged(
                f"Tệp khóa {path.name} bị hỏng hoặc không đọc được. "
                "Hãy khôi phục tệp này từ bản sao lưu (thư mục backups) hoặc liên hệ quản trị viên.",
                f"The key-slot file {path.name} is damaged or unreadable. "
                "Restore it from the backups folder or contact your administrator.",
            ) from exc

    def save(self) -> None:
        payload = {
            "format": SLOTS_FORMAT,
            "note": "Bình An key slots: the database key wrapped per password, recovery key and keyring. No secret is stored in the clear.",
            "node": self.node,
            "slots": [s.as_dict() for s in self.slots],
        }
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))

    # --- adding slots ---------------------------------------------------------
    def _wrap(self, wrapping_key: bytes, db_key: bytes) -> str:
        return _b64(bytes(nacl.secret.SecretBox(wrapping_key).encrypt(db_key)))

    def add_password(self, user: str, password: str, db_key: bytes) -> Slot:
        """Add (or replace) the slot of `user`."""
        self.slots = [s for s in self.slots if not (s.kind == "password" and s.user == user)]
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        wrapping = _derive(password, salt, KDF_OPSLIMIT, KDF_MEMLIMIT)
        slot = Slot(
            id=uuid.uuid4().hex, kind="password", user=user, salt=_b64(salt),
            opslimit=KDF_OPSLIMIT, memlimit=KDF_MEMLIMIT, box=self._wrap(wrapping, db_key),
        )
        self.slots.append(slot)
        return slot

    def remove_password(self, user: str) -> None:
        self.slots = [s for s in self.slots if not (s.kind == "password" and s.user == user)]

    def add_recovery(self, db_key: bytes) -> str:
        """Replace the recovery slot; return the new recovery key, to be shown once."""
        key = new_recovery_key()
        self.slots = [s for s in self.slots if s.kind != "recovery"]
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        wrapping = _derive(normalise_recovery_key(key), salt, KDF_OPSLIMIT, KDF_MEMLIMIT)
        self.slots.append(Slot(
            id=uuid.uuid4().hex, kind="recovery", salt=_b64(salt),
            opslimit=KDF_OPSLIMIT, memlimit=KDF_MEMLIMIT, box=self._wrap(wrapping, db_key),
        ))
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

    def open_with_password(self, user: str, password: str) -> bytes:
        for slot in self.slots:
            if slot.kind == "password" and slot.user == user:
                wrapping = _derive(password, _unb64(slot.salt), slot.opslimit, slot.memlimit)
                return self._unwrap(slot, wrapping)
        # Same message as a wrong password: do not tell a stranger which user names exist.
        raise WrongSecret("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password.")

    def open_with_recovery(self, recovery_key: str) -> bytes:
        for slot in self.slots:
            if slot.kind == "recovery":
                wrapping = _derive(normalise_recovery_key(recovery_key), _unb64(slot.salt),
                                   slot.opslimit, slot.memlimit)
                try:
                    return self._unwrap(slot, wrapping)
                except WrongSecret:
                    raise WrongSecret(
                        "Mã khôi phục không đúng. Hãy kiểm tra lại từng nhóm ký tự trên tờ giấy đã in.",
                        "The recovery key is not right. Check each group against the printed sheet.",
                    ) from None
        raise WrongSecret("Đơn vị này không có mã khôi phục.", "This node has no recovery key.")

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
    "KeySlots", "Slot", "new_database_key", "new_recovery_key", "normalise_recovery_key",
    "set_keyring_backend", "usable_keyring", "write_atomic", "BinhAnError",
]
