"""One installation: its folder, its key slots, and the sessions of its users.

    node = Node.open(data_dir)
    session = node.login("admin", "…")      # throttled, audited
    session.cases.save({...})
    session.close()

Everything the window can do goes through a `Session`; the window never
touches the database itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from app import audit
from app.accounts import (Account, AccountRow, Throttle, allowed, hash_password, lockout_policy,
                          password_problems)
from app.accounts import grants
from app.accounts.roles import ACTION_LABELS, ROLES
from app.cases.identity import IdentityKeys
from app.errors import (BinhAnError, DatabaseDamaged, NodeNotFound, NotFound, PermissionDenied,
                        ValidationFailed, FieldError, WrongSecret)
from app import records
from app.records import new_id, now_utc
from app.store import keyslots, migrations, privacy
from app.store.db import DB_NAME, Store
from app.store.keyslots import KeySlots

if TYPE_CHECKING:  # imported where the lock is taken: only the window asks for one
    from app.store.instance import InstanceLock

SLOTS_NAME = "keyslots.json"
THROTTLE_NAME = "logins.json"
PROFILE_NAME = "profile.toml"
NODE_KINDS = ("point", "commune", "district", "province")


@dataclass(frozen=True)
class NodeInfo:
    id: str
    kind: str
    name: str
    code: str
    parent_code: str | None
    profile_code: str | None
    demo: bool

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Node:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.slots_path = self.data_dir / SLOTS_NAME
        self.backups_dir = self.data_dir / "backups"
        self.profile_path = self.data_dir / PROFILE_NAME  # a profile file handed over at set-up, if any
        # Wrong-password counters and lock-outs live in the key-slot file, under its lock.
        self.throttle = Throttle(self.slots_path, policy=self._lock_policy)
        self._slots: KeySlots | None = None
        self.folder_repairs = privacy.secure(self.data_dir)  # 0700/0600, repaired with a warning (DESIGN §5)

    def _lock_policy(self) -> tuple[int, int]:
        try:
            code = self.slots.node.get("profile_code")
        except (OSError, BinhAnError):
            code = None
        return lockout_policy(self.profile_path if self.profile_path.exists() else None, code)

    # --- finding and creating ------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (Path(data_dir) / SLOTS_NAME).exists() and (Path(data_dir) / DB_NAME).exists()

    @classmethod
    def open(cls, data_dir: Path) -> Node:
        node = cls(data_dir)
        if not cls.exists(data_dir):
            raise NodeNotFound(
                f"Chưa có đơn vị nào được thiết lập ở thư mục {data_dir}. Hãy chạy thiết lập (binhan init).",
                f"No node is set up in {data_dir}. Run the set-up first (binhan init).",
            )
        return node

    @classmethod
    def create(cls, data_dir: Path, *, kind: str, name: str, code: str, parent_code: str | None,
               profile_code: str | None, admin_username: str, admin_password: str,
               admin_display_name: str | None = None, demo: bool = False,
               profile_file: Path | None = None) -> tuple[Node, str]:
        """Set up a new node and its administrator. Returns the node and the recovery key (show it once).

        `profile_file`: a province profile (TOML) the province handed over, kept in the node's folder
        and used instead of a shipped one (its code becomes `profile_code`).
        """
        privacy.private_umask()  # the folder and every file below it are created private
        profile_bytes = None
        if profile_file is not None:
            from app.reference import load_profile_file

            try:
                profile_code = load_profile_file(Path(profile_file)).code
                profile_bytes = Path(profile_file).read_bytes()
            except (ValueError, OSError) as exc:
                raise ValidationFailed([FieldError(
                    "profile", f"Tệp hồ sơ tỉnh không hợp lệ hoặc không đọc được: {exc}",
                    f"The province profile file is not valid or cannot be read: {exc}")]) from None
        errors = check_node_fields(kind, name, code, profile_code, admin_username, admin_password,
                                   profile_in_file=profile_bytes is not None, demo=demo)
        if errors:
            raise ValidationFailed(errors)
        data_dir = Path(data_dir)
        if (data_dir / DB_NAME).exists() or (data_dir / SLOTS_NAME).exists():
            raise BinhAnError(
                f"Thư mục {data_dir} đã có dữ liệu của một đơn vị. Không ghi đè.",
                f"{data_dir} already holds a node's data. Nothing was overwritten.",
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        node = cls(data_dir)
        if profile_bytes is not None:
            keyslots.write_atomic(node.profile_path, profile_bytes)
        info = NodeInfo(new_id(), kind, name.strip(), code.strip(), parent_code or None,
                        profile_code or None, demo)
        db_key = keyslots.new_database_key()
        slots = KeySlots(node.slots_path, node=info.as_dict())
        # The node's identity key, granted to the administrator and the recovery key (issue 13).
        node_key_id, node_key = slots.new_identity_key("node")
        admin_slot = slots.add_password(admin_username, admin_password, db_key)
        slots.grant(admin_slot, node_key_id, node_key)
        slots.vouch(admin_slot, "admin", None, node_key)
        recovery = slots.add_recovery(db_key, {node_key_id: node_key}, node_key)
        slots.add_keyring(db_key)
        # The slots file is written first: a database nobody can open would be lost data.
        slots.save()
        try:
            store = Store.open(node.db_path, db_key)
            try:
                now = now_utc()
                admin_id = new_id()
                with store.transaction() as conn:
                    for key, value in info.as_dict().items():
                        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                                     (f"node_{key}", json.dumps(value)))
                    conn.execute("INSERT INTO meta (key, value) VALUES ('identities_sealed', '1')")
                    conn.execute(
                        "INSERT INTO accounts (id, username, display_name, role, point_id, password_hash,"
                        " active, created_at, updated_at) VALUES (?, ?, ?, 'admin', NULL, ?, 1, ?, ?)",
                        (admin_id, admin_username, admin_display_name or admin_username,
                         hash_password(admin_password), now, now),
                    )
                    audit.record(conn, user_id=admin_id, username=admin_username, action="node.create",
                                 detail={"kind": kind, "code": code, "slots": slots.kinds()})
            finally:
                store.close()
        except BaseException:
            for leftover in (node.db_path, node.slots_path, node.profile_path,
                             node.db_path.with_name(DB_NAME + "-wal"), node.db_path.with_name(DB_NAME + "-shm")):
                leftover.unlink(missing_ok=True)
            raise
        return node, recovery

    # --- facts readable before login ---------------------------------------------
    @property
    def slots(self) -> KeySlots:
        """The key slots as the file holds them now (read again when another process changed it)."""
        if self._slots is None or self._slots.stale():
            self._slots = KeySlots.load(self.slots_path)
        return self._slots

    @property
    def info(self) -> NodeInfo:
        raw = self.slots.node
        return NodeInfo(raw["id"], raw["kind"], raw["name"], raw["code"], raw.get("parent_code"),
                        raw.get("profile_code"), bool(raw.get("demo")))

    def slot_kinds(self) -> list[str]:
        return self.slots.kinds()

    # --- opening ----------------------------------------------------------------------
    def login(self, username: str, password: str, *, exclusive: bool = False) -> Session:
        """Open the node as `username`. Wrong passwords slow down (LoginThrottled).

        `exclusive` (the window): hold the node's instance lock for the whole session; a second
        window is refused with DataInUse naming who has it open. Commands leave it False and rely
        on SQLite's own locking.
        """
        username = (username or "").strip()
        opened = self.test_password(username, password)
        db_key = opened.db_key
        instance_lock = None
        if exclusive:
            from app.store.instance import InstanceLock

            instance_lock = InstanceLock(self.data_dir)
            instance_lock.acquire(username)
        try:
            store = self._open_store(db_key)
        except BaseException:
            if instance_lock is not None:
                instance_lock.release()
            raise
        try:
            row = store.query("SELECT * FROM accounts WHERE username = ?", (username,))
            if not row or not row[0]["active"]:
                raise PermissionDenied("Tài khoản này đã bị khóa.", "This account is disabled.")
            account = Account.from_row(row[0])
            failures = (self.throttle.entry(username) or {}).get("failures", 0)
            with store.transaction() as conn:
                if failures:
                    audit.record(conn, user_id=account.id, username=username, action="login.failed",
                                 detail={"failures_before": failures})
                audit.record(conn, user_id=account.id, username=username, action="login")
                if migrations.has_identity_keys(store):
                    conn.execute("UPDATE accounts SET last_login_at = ? WHERE id = ?", (now_utc(), account.id))
            self.throttle.succeeded(username)
            session = Session(self, store, account, db_key)
            session.must_change_password = bool(row[0].get("must_change_password"))
            session._take_keys(opened)
            session._after_login(password)
        except BaseException:
            store.close()
            if instance_lock is not None:
                instance_lock.release()
            raise
        session.instance_lock = instance_lock
        return session

    def test_password(self, username: str, password: str):
        """Open `username`'s slot with `password`, through the lock-out rules (every password test goes here).

        A locked account is refused (AccountLocked) before its password is tested; a wrong password
        counts (LoginThrottled, then AccountLocked). Returns the opened slot (`keyslots.Opened`)."""
        username = (username or "").strip()
        self.throttle.check(username)
        try:
            return self.slots.open_password_slot(username, password)
        except WrongSecret:
            self.throttle.failed(username)
            raise WrongSecret("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password.") from None

    def _open_store(self, db_key: bytes) -> Store:
        """Open the database with a key a slot has just vouched for: a file that refuses it is damaged.

        The window's start-up check is not here: it reads the whole file, so the window runs
        `Session.start_up_check` on a thread of its own once it is open.
        """
        from app.store import check as checks
        from app.store.db import DatabaseError

        try:
            store = Store.open(self.db_path, db_key)
        except WrongSecret:
            raise DatabaseDamaged(*_damaged_messages("the key fits but the file does not open")) from None
        except (DatabaseDamaged, DatabaseError) as exc:
            # A full or failing disk is not a damaged file: telling someone to restore a backup would lose work.
            disk = checks.explain_write_failure(exc.__cause__ or exc, self.data_dir)
            if disk is not None:
                raise disk from exc
            if isinstance(exc, DatabaseDamaged):
                raise
            raise DatabaseDamaged(*_damaged_messages(str(exc))) from exc
        stored_clock = store.scalar("SELECT value FROM meta WHERE key = 'id_clock'")
        if stored_clock:
            records.raise_id_floor(int(stored_clock))  # a clock set back since the last run keeps ids in order
        return store

    def recover(self, recovery_key: str, username: str, new_password: str) -> Session:
        """Open with the recovery key and give `username` a new password (its slot is rewritten).

        Wrong recovery keys count and lock like wrong passwords (under "#recovery"); a good one also
        unlocks `username`. The new slot receives the identity keys of the account's role from the
        recovery slot.
        """
        self.throttle.check(Throttle.RECOVERY)
        demo = bool(self.slots.node.get("demo"))
        problems = [] if demo else password_problems(new_password, username=username, path="new_password")
        if problems:
            raise ValidationFailed(problems)
        try:
            opened = self.slots.open_recovery_slot(recovery_key)
        except WrongSecret:
            if self.slots.recovery_slot() is not None:
                self.throttle.failed(Throttle.RECOVERY)
            raise
        self.throttle.succeeded(Throttle.RECOVERY)
        db_key = opened.db_key
        store = self._open_store(db_key)
        try:
            row = store.query("SELECT * FROM accounts WHERE username = ?", (username,))
            if not row:
                raise NotFound(f"Không có tài khoản {username}.", f"No account {username}.")
            if not row[0]["active"]:
                raise PermissionDenied("Tài khoản này đã bị vô hiệu hóa; hãy chọn tài khoản khác.",
                                       "This account is disabled; choose another one.")
            account = Account.from_row(row[0])
            held = opened.identity_keys
            node_key = IdentityKeys(dict(held), self.slots.scopes()).node_key

            def edit(slots):
                slot = slots.add_password(username, new_password, db_key)
                grants.grant_role(slots, slot, account.role, account.point_id, held, node_key)
                return slot

            self.slots.change(edit)
            with store.transaction() as conn:
                conn.execute("UPDATE accounts SET password_hash = ?, must_change_password = 0, updated_at = ?,"
                             " last_login_at = ? WHERE id = ?",
                             (hash_password(new_password), now_utc(), now_utc(), account.id))
                audit.record(conn, user_id=account.id, username=username, action="recovery.used")
            self.throttle.unlock(username)
            session = Session(self, store, account, db_key)
            session._take_keys(self.slots.open_password_slot(username, new_password))
            session._after_login(new_password)
            if not opened.slot.public and account.role in ("admin", "officer", "cadre"):
                from app.cases.identity import _notice_recovery

                _notice_recovery(session)  # an old recovery key: the database, not the identities
        except BaseException:
            store.close()
            raise
        return session

    def open_with_keyring(self) -> Store | None:
        """The store through the keyring slot (background backups), or None when that slot is unusable."""
        db_key = self.slots.open_with_keyring()
        return Store.open(self.db_path, db_key) if db_key else None


def _damaged_messages(detail: str) -> tuple[str, str]:
    return (f"Cơ sở dữ liệu bị hỏng ({detail}). Hãy khôi phục bản sao lưu tốt gần nhất; "
            "lệnh 'binhan check' cho biết đó là tệp nào. Chưa có gì bị ghi đè.",
            f"The database is damaged ({detail}). Restore the newest good backup; "
            "'binhan check' names it. Nothing was overwritten.")


def check_node_fields(kind, name, code, profile_code, admin_username, admin_password, *,
                      profile_in_file: bool = False, demo: bool = False) -> list[FieldError]:
    """Every field of a new node at fault, for `Node.create` and the set-up wizard alike."""
    from app.reference import load_profiles

    errors = []
    if kind not in NODE_KINDS:
        errors.append(FieldError("kind", f"Loại đơn vị phải là một trong: {', '.join(NODE_KINDS)}.",
                                 f"Node kind must be one of: {', '.join(NODE_KINDS)}."))
    if not (name or "").strip():
        errors.append(FieldError("name", "Hãy nhập tên đơn vị.", "Enter the node's name."))
    if not (code or "").strip() or not all(c.isalnum() or c in "-_" for c in code.strip()):
        errors.append(FieldError("code", "Mã đơn vị chỉ gồm chữ, số, dấu - và _ (không dấu cách).",
                                 "The node code may hold letters, digits, - and _ only (no spaces)."))
    if profile_code and not profile_in_file and profile_code not in load_profiles():
        errors.append(FieldError("profile", f"Không có hồ sơ tỉnh '{profile_code}'.",
                                 f"There is no province profile '{profile_code}'."))
    if not (admin_username or "").strip():
        errors.append(FieldError("admin_username", "Hãy nhập tên đăng nhập.", "Enter a user name."))
    if demo:  # a demo node keeps its published password "demo" (app/accounts/passwords.py)
        if not admin_password:
            errors.append(FieldError("admin_password", "Hãy nhập mật khẩu.", "Enter a password."))
    else:
        errors += password_problems(admin_password, username=admin_username, path="admin_password",
                                    inputs=tuple(x for x in (name, code) if x))
    return errors


class Session:
    """One logged-in user on one node. Not for use after `close()`."""

    def __init__(self, node: Node, store: Store, user: Account, db_key: bytes):
        self.node = node
        self.store = store
        self.user = user
        self._db_key = db_key
        #: the identity keys this account holds (issue 13); empty for leaders and province officers
        self.identity = IdentityKeys()
        self._private_key: bytes | None = None
        #: the logged-in account must set a new password now (a one-time password was given)
        self.must_change_password = False
        #: things the administrator must be told once, (vi, en) pairs (e.g. "make a new recovery key")
        self.notices: list[tuple[str, str]] = []
        self._searched: set[str] = set()
        self.locked = False
        self.instance_lock: InstanceLock | None = None  # the window's hold on the node (app/store/instance.py), if it asked
        #: None, or "running" / "whole" / "damaged": the window's start-up check (start_up_check)
        self.start_up_check_state: str | None = None
        self.folder_repairs = privacy.audit_repairs(self)  # what was made private at Node.open, now audited

    def start_up_check(self):
        """The window's start-up check: SQLite's quick_check of every page, on a connection of its own.

        It reads and decrypts the whole file (≈ 0.3 s for a commune of 10 000 cases, ≈ 10 s for a
        province), so the window runs it on a thread of its own once it is open rather than before.
        Safe from any thread: it never touches the session's connection. Returns a
        `app.store.check.CheckReport`; a file that will not open for it is reported as damaged.
        """
        from app.store import check as checks
        from app.store.db import DatabaseError

        key = self._db_key
        if not key:
            return checks.CheckReport()  # the session closed meanwhile: nothing to check with
        self.start_up_check_state = "running"
        report = None
        try:
            try:
                store = Store.open(self.node.db_path, key, migrate=False)
            except (BinhAnError, DatabaseError) as exc:
                report = checks.CheckReport(findings=[checks.damaged(type(exc).__name__)], checked=["quick_check"])
                return report
            try:
                # Each page is read once: a page cache would only hold memory (the session's has 48 MiB).
                store.conn.execute("PRAGMA cache_size = -1024")
                report = checks.quick(store)
                return report
            finally:
                store.close()
        finally:
            self.start_up_check_state = "whole" if report is not None and report.ok else "damaged"

    # --- who may do what -------------------------------------------------------
    def can(self, action: str) -> bool:
        return allowed(self.user.role, action)

    def require(self, action: str) -> None:
        if not self.can(action):
            vi, en = ACTION_LABELS.get(action, (action, action))
            raise PermissionDenied(
                f"Vai trò của bạn không được phép {vi}.",
                f"Your role is not allowed to {en}.",
            )

    def case_scope(self) -> tuple[str, tuple]:
        """SQL condition limiting the cases this user may see (a cadre: her own point only)."""
        if self.user.role == "cadre":
            return "point_id IS ?", (self.user.point_id,)
        return "1", ()

    def audit(self, conn, action: str, *, table: str | None = None, target: str | None = None,
              detail: dict | None = None) -> None:
        audit.record(conn, user_id=self.user.id, username=self.user.username, action=action,
                     target_table=table, target_id=target, detail=detail)

    # --- the node -----------------------------------------------------------------
    @cached_property
    def node_info(self) -> NodeInfo:
        values = {row["key"][5:]: json.loads(row["value"])
                  for row in self.store.query("SELECT key, value FROM meta WHERE key LIKE 'node_%'")}
        return NodeInfo(**values)

    @property
    def origin(self) -> str:
        return self.node_info.id

    def owns(self, origin: str | None) -> bool:
        """Whether this node may change records of `origin`: its own, and those of an old node merged into it
        (`binhan node merge`, issue 15.7: the old node is retired, the new one serves the same people and
        speaks for it up the tree). The records keep their origin and code, so earlier years are still
        reported per old unit."""
        if origin == self.origin:
            return True
        if not origin:
            return False
        return self.store.scalar("SELECT count(*) FROM sync_peers WHERE node_id = ? AND relation = 'merged'"
                                 " AND status = 'active'", (origin,)) > 0

    @cached_property
    def reference(self):
        """The option lists in force here: shipped, each replaced by a newer one received from the parent."""
        from app.reference import load_reference
        from app.reference.received import effective
        return effective(self.store, load_reference())

    def refresh_reference(self) -> None:
        """Call after newer lists were stored (a down-package): the next read sees them."""
        self.__dict__.pop("reference", None)

    def refresh_profile(self) -> None:
        """Call after a profile from the parent was stored: targets and deadlines come from it from now on."""
        self.__dict__.pop("profile", None)

    @cached_property
    def profile(self):
        """The province profile in force: the one the parent sent, else the shipped one chosen at set-up."""
        from app.reference import load_profiles
        from app.reference.received import received_profile
        shipped = load_profiles()
        received = received_profile(self.store, shipped)
        if received is not None:
            return received
        code = self.node_info.profile_code
        own = shipped.get(code) if code else None
        if self.node.profile_path.exists():
            from app.reference import load_profile_file
            try:
                handed = load_profile_file(self.node.profile_path)
            except (ValueError, OSError):
                handed = None  # a damaged copy: the shipped profile of that code, if any, stays in force
            if handed is not None and (own is None or handed.version >= own.version):
                return handed
        return own

    # --- services ------------------------------------------------------------------
    @cached_property
    def cases(self):
        from app.cases import CaseService
        return CaseService(self)

    @cached_property
    def activities(self):
        from app.activities import ActivityService
        return ActivityService(self)

    @cached_property
    def registries(self):
        from app.activities.registries import RegistryService
        return RegistryService(self)

    @cached_property
    def backups(self):
        from app.store.backup import Backups
        return Backups(self)

    # --- identity keys -----------------------------------------------------------------
    def _take_keys(self, opened) -> None:
        self._private_key = opened.private_key
        self.identity = IdentityKeys(dict(opened.identity_keys), self.node.slots.scopes())

    def _refresh_keys(self) -> None:
        """Read the slots again and open this account's grants (keys granted by another session since)."""
        slots = self.node.slots
        slot = slots.password_slot(self.user.username)
        keys = dict(self.identity.keys)
        if slot is not None and self._private_key is not None:
            import nacl.public
            from app.store.keyslots import _unb64

            box = nacl.public.SealedBox(nacl.public.PrivateKey(self._private_key))
            for key_id, sealed in (slot.grants or {}).items():
                if key_id in keys:
                    continue
                try:
                    keys[key_id] = bytes(box.decrypt(_unb64(sealed)))
                except Exception:  # noqa: S112 - a grant this key cannot open is not this person's: skipped
                    continue
        self.identity = IdentityKeys(keys, slots.scopes())

    def _account_rows(self) -> dict[str, dict]:
        return {r["username"]: r for r in self.store.query("SELECT username, role, point_id, active FROM accounts")}

    def _after_login(self, password: str) -> None:
        """Key pair for an old slot, the identity upgrade of an old node, grants owed to others."""
        from app.cases import identity as ident

        if not migrations.has_identity_keys(self.store):
            return
        slot = self.node.slots.password_slot(self.user.username)
        if slot is not None and not slot.public:
            self._private_key = self.node.slots.change(lambda s: s.add_key_pair(self.user.username, password))
            self._refresh_keys()
        if self.user.role in ("admin", "officer"):
            ident.upgrade_node(self)
            if self.identity.node_key is not None:
                rows = self._account_rows()
                held, node_key = dict(self.identity.keys), self.identity.node_key
                # Written only when someone is owed something (a dry run on a copy first).
                if grants.fulfil(self.node.slots.copy(), held, node_key, rows):
                    self.node.slots.change(lambda s: grants.fulfil(s, held, node_key, rows))
        elif self.user.role == "cadre":
            self._refresh_keys()

    def ensure_identity_key(self, scope: str) -> tuple[str, bytes] | None:
        """The identity key of `scope`, made (and granted to everyone entitled) if none exists yet.

        Only a session holding the node's key (administrator, officer) can make one; None otherwise.
        """
        held = self.identity.held(scope)
        if held is not None:
            return held
        self._refresh_keys()
        held = self.identity.held(scope)
        if held is not None or self.identity.node_key is None:
            return held
        node_key = self.identity.node_key
        rows = self._account_rows()

        def edit(slots):
            existing = slots.key_id_for(scope)
            if existing is not None:
                return None  # made meanwhile by another session: it was granted to us too
            return grants.new_scope_key(slots, scope, node_key, rows)

        made = self.node.slots.change(edit)
        if made is not None:
            self.identity.keys[made[0]] = made[1]
            self.identity.scopes[made[0]] = scope
            return made
        self._refresh_keys()
        return self.identity.held(scope)

    # --- accounts ----------------------------------------------------------------------
    def _demo(self) -> bool:
        return bool(self.node_info.demo)

    def _password_rules(self, password: str, username: str, path: str, display_name: str | None = None) -> list:
        if self._demo():
            return [] if password else [FieldError(path, "Hãy nhập mật khẩu.", "Enter a password.")]
        return password_problems(password, username=username, path=path,
                                 inputs=tuple(x for x in (display_name,) if x))

    def _account(self, username: str) -> dict:
        row = self.store.query("SELECT * FROM accounts WHERE username = ?", ((username or "").strip(),))
        if not row:
            raise NotFound(f"Không có tài khoản '{username}'.", f"There is no account '{username}'.")
        return row[0]

    def _not_self(self, username: str, vi: str, en: str) -> None:
        if (username or "").strip() == self.user.username:
            raise PermissionDenied(vi, en)

    def _check_role(self, role: str, point_id: str | None) -> list:
        errors = []
        if role not in ROLES:
            errors.append(FieldError("role", f"Vai trò phải là một trong: {', '.join(ROLES)}.",
                                     f"The role must be one of: {', '.join(ROLES)}."))
        if role == "cadre" and not point_id:
            errors.append(FieldError("point_id", "Cán bộ địa chỉ tin cậy phải gắn với một điểm.",
                                     "A trusted-address cadre must belong to a point."))
        return errors

    def _give_slot(self, username: str, password: str, role: str, point_id: str | None) -> None:
        """A new password slot for `username` with the identity keys of its role (made if missing)."""
        if role == "cadre" and point_id:
            self.ensure_identity_key(f"point:{point_id}")
        held, node_key = dict(self.identity.keys), self.identity.node_key

        def edit(slots):
            slot = slots.add_password(username, password, self._db_key)
            grants.grant_role(slots, slot, role, point_id if role == "cadre" else None, held, node_key)

        self.node.slots.change(edit)

    def accounts(self) -> list[AccountRow]:
        self.require("user.manage")
        points = {r["id"]: r["name"] for r in self.store.query("SELECT id, name FROM models")}
        out = []
        for r in self.store.query("SELECT * FROM accounts ORDER BY username"):
            out.append(AccountRow(
                r["id"], r["username"], r["display_name"], r["role"], r["point_id"],
                points.get(r["point_id"]) if r["point_id"] else None, bool(r["active"]),
                self.node.throttle.locked_until(r["username"]) is not None, r.get("last_login_at"),
                bool(r.get("must_change_password"))))
        return out

    def add_user(self, username: str, password: str, role: str, display_name: str | None = None,
                 point_id: str | None = None) -> Account:
        self.require("user.manage")
        username = (username or "").strip()
        point_id = point_id or None
        errors = []
        if not username or any(c.isspace() for c in username) or username.startswith("#"):
            errors.append(FieldError("username", "Tên đăng nhập không được trống, không có dấu cách.",
                                     "The user name must not be empty or contain spaces."))
        errors += self._check_role(role, point_id)
        errors += self._password_rules(password, username, "password", display_name)
        if self.store.scalar("SELECT 1 FROM accounts WHERE username = ?", (username,)):
            errors.append(FieldError("username", f"Tên đăng nhập '{username}' đã có.",
                                     f"The user name '{username}' is taken."))
        if errors:
            raise ValidationFailed(errors)
        now = now_utc()
        point_id = point_id if role == "cadre" else point_id
        account = Account(new_id(), username, display_name or username, role, point_id, True)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO accounts (id, username, display_name, role, point_id, password_hash, active,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (account.id, username, account.display_name, role, point_id, hash_password(password), now, now),
            )
            self.audit(conn, "user.add", table="accounts", target=account.id,
                       detail={"username": username, "role": role, "point_id": point_id})
            self._give_slot(username, password, role, point_id)
        return account

    def disable_user(self, username: str) -> None:
        """The account can no longer log in: its key slot and identity-key grants are removed at once."""
        self.require("user.manage")
        self._not_self(username, "Bạn không thể tự vô hiệu hóa tài khoản của mình.",
                       "You cannot disable your own account.")
        row = self._account(username)
        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET active = 0, updated_at = ? WHERE id = ?", (now_utc(), row["id"]))
            self.audit(conn, "user.disable", table="accounts", target=row["id"], detail={"username": row["username"]})
            self.node.slots.change(lambda s: s.remove_password(row["username"]))

    def _one_time_password(self) -> str:
        from app.store.keyslots import new_recovery_key

        return "-".join(new_recovery_key().split("-")[:3])  # 75 random bits, easy to read out

    def enable_user(self, username: str) -> str:
        """Enable a disabled account; returns a one-time password it must change at the next log-in."""
        self.require("user.manage")
        row = self._account(username)
        if row["active"]:
            raise ValidationFailed([FieldError("username", "Tài khoản này đang hoạt động.",
                                               "This account is already enabled.")])
        return self._give_one_time(row, "user.enable", active=True)

    def reset_password(self, username: str) -> str:
        """Give another person a one-time password (shown once) that must be changed at the next log-in."""
        self.require("user.manage")
        self._not_self(username, "Hãy dùng 'Đổi mật khẩu' cho tài khoản của chính bạn.",
                       "Use 'Change password' for your own account.")
        row = self._account(username)
        if not row["active"]:
            raise ValidationFailed([FieldError("username", "Tài khoản này đang bị vô hiệu hóa; hãy bật lại trước.",
                                               "This account is disabled; enable it first.")])
        return self._give_one_time(row, "user.reset_password")

    def _give_one_time(self, row: dict, action: str, active: bool = False) -> str:
        password = self._one_time_password()
        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET password_hash = ?, must_change_password = 1, active = 1,"
                         " updated_at = ? WHERE id = ?", (hash_password(password), now_utc(), row["id"]))
            self.audit(conn, action, table="accounts", target=row["id"], detail={"username": row["username"]})
            self._give_slot(row["username"], password, row["role"], row["point_id"])
        self.node.throttle.unlock(row["username"])
        return password

    def unlock_user(self, username: str) -> None:
        """Lift the lock-out of an account locked by wrong passwords."""
        self.require("user.manage")
        row = self._account(username)
        with self.store.transaction() as conn:
            self.audit(conn, "user.unlock", table="accounts", target=row["id"], detail={"username": row["username"]})
            self.node.throttle.unlock(row["username"])

    def set_role(self, username: str, role: str, point_id: str | None = None) -> None:
        """Change an account's role (and point): its identity-key grants are rewrapped at once."""
        self.require("user.manage")
        self._not_self(username, "Bạn không thể tự đổi vai trò của mình.", "You cannot change your own role.")
        row = self._account(username)
        point_id = (point_id or None) if role == "cadre" else None
        errors = self._check_role(role, point_id)
        if errors:
            raise ValidationFailed(errors)
        if role == "cadre":
            self.ensure_identity_key(f"point:{point_id}")
        held, node_key = dict(self.identity.keys), self.identity.node_key

        def edit(slots):
            slot = slots.password_slot(row["username"])
            if slot is not None:
                grants.grant_role(slots, slot, role, point_id, held, node_key)

        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET role = ?, point_id = ?, updated_at = ? WHERE id = ?",
                         (role, point_id, now_utc(), row["id"]))
            self.audit(conn, "user.role", table="accounts", target=row["id"],
                       detail={"username": row["username"], "from": row["role"], "to": role, "point_id": point_id})
            self.node.slots.change(edit)

    def change_password(self, old_password: str, new_password: str) -> None:
        """Set a new password (the strength rules apply); clears 'must change password'."""
        try:
            self.node.test_password(self.user.username, old_password)
        except WrongSecret:
            raise WrongSecret("Mật khẩu hiện tại không đúng.", "The current password is wrong.") from None
        problems = self._password_rules(new_password, self.user.username, "new_password", self.user.display_name)
        if not problems and new_password == old_password:
            problems = [FieldError("new_password", "Mật khẩu mới phải khác mật khẩu cũ.",
                                   "The new password must differ from the old one.")]
        if problems:
            raise ValidationFailed(problems)
        private = self._private_key
        held, node_key = dict(self.identity.keys), self.identity.node_key
        user = self.user

        def edit(slots):
            slot = slots.add_password(user.username, new_password, self._db_key, private_key=private)
            if private is None:
                grants.grant_role(slots, slot, user.role, user.point_id, held, node_key)
            return slot

        with self.store.transaction() as conn:
            conn.execute("UPDATE accounts SET password_hash = ?, must_change_password = 0, updated_at = ?"
                         " WHERE id = ?", (hash_password(new_password), now_utc(), self.user.id))
            self.audit(conn, "user.password")
            self.node.slots.change(edit)
        self.node.throttle.succeeded(self.user.username)
        self.must_change_password = False
        if private is None:
            self._take_keys(self.node.slots.open_password_slot(self.user.username, new_password))

    def new_recovery_key(self) -> str:
        """Replace the recovery key (the old one stops working). Show the result once.

        The new recovery slot gets every identity key this session holds (an administrator holds all)."""
        self.require("user.manage")
        held, node_key = dict(self.identity.keys), self.identity.node_key
        with self.store.transaction() as conn:
            self.audit(conn, "recovery.replaced", detail={"identity_keys": len(held)})
            key = self.node.slots.change(lambda s: s.add_recovery(self._db_key, held, node_key))
        return key

    # --- lock --------------------------------------------------------------------------
    def lock(self) -> None:
        self.locked = True

    def unlock(self, password: str) -> None:
        # The key slot is the secret that counts (the password hash in the database is editable by anyone
        # holding the database key); the lock-out rules apply as at log-in.
        try:
            self.node.test_password(self.user.username, password)
        except WrongSecret:
            raise WrongSecret("Sai mật khẩu.", "Wrong password.") from None
        self.node.throttle.succeeded(self.user.username)
        self.locked = False

    def verify_audit(self):
        self.require("audit.verify")
        return audit.verify(self.store)

    def close(self) -> None:
        if self.store is None:
            return
        try:
            with self.store.transaction() as conn:
                self.audit(conn, "logout")
                conn.execute("INSERT INTO meta (key, value) VALUES ('id_clock', ?) ON CONFLICT(key) DO UPDATE"
                             " SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                             (str(records.id_clock()),))
            # No automatic backup of a file found damaged, or not yet checked: it would push out a good one.
            if self.start_up_check_state not in ("running", "damaged"):
                self.backups.auto()
        finally:
            self.store.close()
            # Closed: `store is None` is how a caller tells (the window, the self-test); the rest never touches a
            # closed session, and typing `store` as optional everywhere would hide nothing but this sentinel.
            self.store = None  # type: ignore[assignment]
            self._db_key = b""
            self.identity.clear()
            self._private_key = None
            if self.instance_lock is not None:
                self.instance_lock.release()
                self.instance_lock = None

    # A database key is needed by backups (same key) and later by sync (key encryption).
    def _key(self) -> bytes:
        return self._db_key

