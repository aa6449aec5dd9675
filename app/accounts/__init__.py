"""Accounts: users, roles, password hashes, and slowing down wrong passwords."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.pwhash

from app.accounts.passwords import MIN_LENGTH, password_problems  # noqa: F401
from app.accounts.roles import ROLES, allowed  # noqa: F401
from app.errors import AccountLocked, BinhAnError, LoginThrottled
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
    def from_row(cls, row: dict) -> Account:
        return cls(row["id"], row["username"], row["display_name"], row["role"],
                   row.get("point_id"), bool(row["active"]))


@dataclass(frozen=True)
class AccountRow:
    """One line of the accounts page."""

    id: str
    username: str
    display_name: str
    role: str
    point_id: str | None
    point_name: str | None
    active: bool
    locked: bool
    last_login: str | None  # ISO time of the last log-in, None if never
    must_change_password: bool


def hash_password(password: str) -> str:
    return nacl.pwhash.argon2id.str(
        password.encode("utf-8"), opslimit=keyslots.KDF_OPSLIMIT, memlimit=keyslots.KDF_MEMLIMIT
    ).decode("ascii")


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return nacl.pwhash.verify(stored_hash.encode("ascii"), password.encode("utf-8"))
    except nacl.exceptions.InvalidkeyError:
        return False


MIN_PASSWORD_LENGTH = MIN_LENGTH

LOCK_AFTER = 10  # wrong passwords in a row before the account locks (profile: login_lock_after)
LOCK_MINUTES = 60  # how long it stays locked unless an administrator unlocks it (profile: login_lock_minutes)


def lockout_policy(profile_path: Path | None, profile_code: str | None) -> tuple[int, int]:
    """(failures before locking, minutes locked) from the province profile in the node's folder or the
    shipped one of its code; the defaults when neither says. Read before anyone logs in."""
    import tomllib

    candidates = []
    if profile_path is not None:
        candidates.append(Path(profile_path))
    if profile_code:
        from app.reference import default_profiles_root

        candidates.append(default_profiles_root() / f"{profile_code}.toml")
    for path in candidates:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, ValueError):
            continue
        after, minutes = data.get("login_lock_after", LOCK_AFTER), data.get("login_lock_minutes", LOCK_MINUTES)
        if isinstance(after, int) and after >= 3 and isinstance(minutes, int) and minutes >= 0:
            return after, minutes
        return LOCK_AFTER, LOCK_MINUTES
    return LOCK_AFTER, LOCK_MINUTES


class Throttle:
    """Wrong passwords slow down, then lock the account.

    After 3 failures each next try waits twice as long (max 5 min); after `limit` failures
    in a row the account is locked until an administrator unlocks it or `lock_minutes` pass.
    The counters live in the key-slot file (`failures`), changed under its lock: deleting
    another file resets nothing, and a locked account is refused before its password is
    even tested. Counters are kept only for user names that have a slot (and the recovery
    key, under "#recovery"), so typing random names cannot grow the file.
    """

    FREE_TRIES = 3
    MAX_WAIT = 300.0
    RECOVERY = "#recovery"

    def __init__(self, slots_path: Path, clock=time.time, policy=lambda: (LOCK_AFTER, LOCK_MINUTES)):
        self.path = Path(slots_path)
        self.clock = clock
        self.policy = policy

    def _load(self) -> dict:
        try:
            return keyslots.KeySlots.load(self.path).failures
        except (OSError, BinhAnError):
            return {}

    def _update(self, edit) -> None:
        keyslots.KeySlots(self.path).change(lambda slots: edit(slots.failures, slots))

    def entry(self, username: str) -> dict | None:
        return self._load().get(username.lower())

    def locked_until(self, username: str) -> float | None:
        """When the lock of `username` ends (a time), or None when not locked."""
        entry = self._load().get(username.lower())
        until = entry.get("locked_until") if entry else None
        if until is None or until <= self.clock():
            return None
        return until

    def wait_for(self, username: str) -> float:
        """Seconds before `username` may try again (0 when free to try)."""
        entry = self._load().get(username.lower())
        if not entry or entry["failures"] < self.FREE_TRIES:
            return 0.0
        delay = min(self.MAX_WAIT, 2.0 ** (entry["failures"] - self.FREE_TRIES))
        return max(0.0, entry["last"] + delay - self.clock())

    def check(self, username: str) -> None:
        """Raise AccountLocked or LoginThrottled when `username` may not try a password now."""
        until = self.locked_until(username)
        if until is not None:
            raise AccountLocked(until)
        wait = self.wait_for(username)
        if wait > 0:
            raise LoginThrottled(wait)

    def failed(self, username: str) -> None:
        now = self.clock()
        limit, minutes = self.policy()
        name = username.lower()

        def edit(state, slots):
            if name != self.RECOVERY and name not in {u.lower() for u in slots.users()}:
                return
            entry = state.setdefault(name, {"failures": 0, "last": 0})
            if entry.get("locked_until") and entry["locked_until"] <= now:
                entry.update(failures=0, locked_until=None)  # the lock ran out: count afresh
            entry["failures"] += 1
            entry["last"] = now
            if entry["failures"] >= limit:
                entry["locked_until"] = now + (minutes * 60 if minutes else 10 * 365 * 86400)

        self._update(edit)

    def succeeded(self, username: str) -> None:
        if username.lower() in self._load():
            self.unlock(username)

    def unlock(self, username: str) -> None:
        self._update(lambda state, slots: state.pop(username.lower(), None))
