"""Accounts: users, roles, password hashes, and slowing down wrong passwords."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.pwhash

from app.accounts.roles import ROLES, allowed  # noqa: F401
from app.store import keyslots


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    display_name: str
    role: str
    point_id: str | None
    active: bool

    @classmethod
    def from_row(cls, row: dict) -> "Account":
        return cls(row["id"], row["username"], row["display_name"], row["role"],
                   row.get("point_id"), bool(row["active"]))


def hash_password(password: str) -> str:
    return nacl.pwhash.argon2id.str(
        password.encode("utf-8"), opslimit=keyslots.KDF_OPSLIMIT, memlimit=keyslots.KDF_MEMLIMIT
    ).decode("ascii")


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return nacl.pwhash.verify(stored_hash.encode("ascii"), password.encode("utf-8"))
    except nacl.exceptions.InvalidkeyError:
        return False


MIN_PASSWORD_LENGTH = 4


class Throttle:
    """Wrong passwords slow down: after 3 failures each next try waits twice as long (max 5 min).

    Kept in a small file beside the database (it must work before the database
    is open); it holds user names and counters only.
    """

    FREE_TRIES = 3
    MAX_WAIT = 300.0

    def __init__(self, path: Path, clock=time.time):
        self.path = Path(path)
        self.clock = clock

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict) -> None:
        keyslots.write_atomic(self.path, json.dumps(state).encode("utf-8"))

    def wait_for(self, username: str) -> float:
        """Seconds before `username` may try again (0 when free to try)."""
        entry = self._load().get(username.lower())
        if not entry or entry["failures"] < self.FREE_TRIES:
            return 0.0
        delay = min(self.MAX_WAIT, 2.0 ** (entry["failures"] - self.FREE_TRIES))
        return max(0.0, entry["last"] + delay - self.clock())

    def failed(self, username: str) -> None:
        state = self._load()
        entry = state.setdefault(username.lower(), {"failures": 0, "last": 0})
        entry["failures"] += 1
        entry["last"] = self.clock()
        self._save(state)

    def succeeded(self, username: str) -> None:
        state = self._load()
        if state.pop(username.lower(), None) is not None:
            self._save(state)
