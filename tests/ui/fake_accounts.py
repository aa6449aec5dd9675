"""Stand-ins for the account core's methods that this branch's core lacks yet (issue 14's contract).

`install(monkeypatch)` adds to `app.node.Session` (and `Node`) only the methods
that are MISSING there, each built on the real store and the real key slots, so a
disabled account really cannot log in and a one-time password really opens the
node. Once the real account core is merged every name exists and nothing here
is used: the page tests then drive the real core unchanged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.accounts import hash_password
from app.errors import NotFound, PermissionDenied, ValidationFailed, FieldError
from app.node import Session
from app.records import now_utc

#: user names whose password is a one-time one (the fake's memory; the real core keeps it in the database).
MUST_CHANGE: set[str] = set()


@dataclass(frozen=True)
class AccountRow:
    id: str
    username: str
    display_name: str
    role: str
    point_id: str | None
    point_name: str | None
    active: bool
    locked: bool
    last_login: str | None
    must_change_password: bool


def _row(session, username: str) -> dict:
    rows = session.store.query("SELECT * FROM accounts WHERE username = ?", (username,))
    if not rows:
        raise NotFound(f"Không có tài khoản {username}.", f"No account {username}.")
    return rows[0]


def _one_time(session, username: str) -> str:
    password = "-".join(secrets.token_hex(2) for _ in range(3))
    with session.store.transaction() as conn:
        conn.execute("UPDATE accounts SET password_hash = ?, active = 1, updated_at = ? WHERE username = ?",
                     (hash_password(password), now_utc(), username))
        session.audit(conn, "user.reset_password", detail={"username": username})
        session.node.slots.add_password(username, password, session._db_key)
        session.node.slots.save()
    MUST_CHANGE.add(username)
    return password


def accounts(self):
    self.require("user.manage")
    points = {m["id"]: m["name"] for m in self.registries.models(kind="trusted_address")}
    throttle = self.node.throttle._load()
    last = {r["username"]: r["at"] for r in self.store.query(
        "SELECT username, max(at) AS at FROM audit_log WHERE action = 'login' GROUP BY username")} \
        if _has_audit_at(self) else {}
    return [AccountRow(r["id"], r["username"], r["display_name"], r["role"], r["point_id"],
                       points.get(r["point_id"]), bool(r["active"]),
                       throttle.get(r["username"].lower(), {}).get("failures", 0) >= self.node.throttle.FREE_TRIES,
                       last.get(r["username"]), r["username"] in MUST_CHANGE)
            for r in self.store.query("SELECT * FROM accounts ORDER BY username")]


def _has_audit_at(session) -> bool:
    columns = {r["name"] for r in session.store.query("PRAGMA table_info(audit_log)")}
    return {"at", "username", "action"} <= columns


def disable_user(self, username: str) -> None:
    self.require("user.manage")
    if username == self.user.username:
        raise PermissionDenied("Không tự vô hiệu hóa tài khoản của mình.", "You cannot disable your own account.")
    _row(self, username)
    with self.store.transaction() as conn:
        conn.execute("UPDATE accounts SET active = 0, updated_at = ? WHERE username = ?", (now_utc(), username))
        self.audit(conn, "user.disable", detail={"username": username})
        self.node.slots.remove_password(username)
        self.node.slots.save()


def enable_user(self, username: str) -> str:
    self.require("user.manage")
    _row(self, username)
    return _one_time(self, username)


def reset_password(self, username: str) -> str:
    self.require("user.manage")
    if not _row(self, username)["active"]:
        raise PermissionDenied("Tài khoản đã bị vô hiệu hóa.", "The account is disabled.")
    return _one_time(self, username)


def unlock_user(self, username: str) -> None:
    self.require("user.manage")
    _row(self, username)
    self.node.throttle.succeeded(username)
    with self.store.transaction() as conn:
        self.audit(conn, "user.unlock", detail={"username": username})


def set_role(self, username: str, role: str, point_id: str | None = None) -> None:
    self.require("user.manage")
    _row(self, username)
    if role == "cadre" and not point_id:
        raise ValidationFailed([FieldError("point_id", "Cán bộ địa chỉ tin cậy phải gắn với một điểm.",
                                           "A trusted-address cadre must belong to a point.")])
    with self.store.transaction() as conn:
        conn.execute("UPDATE accounts SET role = ?, point_id = ?, updated_at = ? WHERE username = ?",
                     (role, point_id, now_utc(), username))
        self.audit(conn, "user.role", detail={"username": username, "role": role})


def must_change_password(self) -> bool:
    return self.user.username in MUST_CHANGE


FAKES = {"accounts": accounts, "disable_user": disable_user, "enable_user": enable_user,
         "reset_password": reset_password, "unlock_user": unlock_user, "set_role": set_role,
         "must_change_password": property(must_change_password)}


def install(monkeypatch) -> list[str]:
    """Put the missing methods on Session; returns the names faked (empty once the real core is here)."""
    MUST_CHANGE.clear()
    faked = []
    for name, fake in FAKES.items():
        real = getattr(Session, name, None)
        if name == "accounts" and real is not None and _returns_rows_with_lock_state():
            continue
        if name == "accounts" or real is None:
            monkeypatch.setattr(Session, name, fake, raising=False)
            faked.append(name)
    if "change_password" not in faked and "must_change_password" in faked:
        original = Session.change_password

        def change_password(self, old, new):
            original(self, old, new)
            MUST_CHANGE.discard(self.user.username)

        monkeypatch.setattr(Session, "change_password", change_password)
    return faked


def _returns_rows_with_lock_state() -> bool:
    """The real `accounts()` already gives AccountRow (with `locked`): the contract's, not today's Account."""
    try:
        from app.accounts import AccountRow as real_row  # noqa: F401
    except ImportError:
        return False
    return True


__all__ = ["install"]
