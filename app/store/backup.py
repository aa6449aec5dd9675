"""Backups: encrypted with the node's own key, made with SQLite's backup API, rotated, restorable.

A backup is `backups/binhan-<code>-<UTC stamp>.db` with two files beside it:
`….keyslots.json`, a copy of the key slots, so a backup can be opened even if
the live slots file is lost (any password or the recovery key valid when it
was made opens it); and `….info.json`, what the list shows without opening the
backup — when, which node, who made it and why, its size and its audit head.

The copy reads a snapshot of the database on a connection of its own, a few
megabytes a step, so the window stays usable, progress can be shown, and the
person can cancel (the `progress` function raises; nothing is left behind).

Automatic backups (at log-out) are made only when something changed since the
last backup AND the last one is at least `every_hours()` old (6 h unless the
administrator set another): at a province the database is ~800 MB, and a copy
at every command's log-out used to cost more than the command's own work.
A restore always makes a backup of the current file first.

A restore never erases history: the audit entries of the replaced file that the
backup lacks are kept in `audit_annex`, and the restore's own entry names the
file, its date, its head and the head it replaced (see app.audit.seal).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from pathlib import Path

import sqlcipher3

from app import audit
from app.errors import BackupError, FieldError, ValidationFailed, WrongSecret
from app.records import new_id, now_utc
from app.store import keyslots
from app.store.db import DB_NAME, Store, connect
from app.store.privacy import FILE_MODE, write_private

KEEP = 14
DEFAULT_EVERY_HOURS = 6
EVERY_KEY = "backup_every_hours"  # meta: the administrator's choice
MAX_EVERY_HOURS = 24 * 7
SLOTS_SUFFIX = ".keyslots.json"
INFO_SUFFIX = ".info.json"
#: Pages copied between two progress reports (SQLCipher pages are 4 KiB: 8 MiB a step).
STEP_PAGES = 2048
COPY_CHUNK = 8 << 20
#: Audit actions that change nothing a backup would keep: they do not make a backup due.
NOT_CHANGES = ("login", "logout", "login.failed", "backup.create", "backup.restore", "audit.sealed",
               "folder.private", "audit.verify")

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called from the working thread as work goes on; raising stops the work.
Steps: "backup" (pages), "copy" (bytes of the restored file)."""


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class BackupInfo:
    """One backup as the list shows it."""

    path: Path
    made_at: str | None        # ISO UTC
    size: int
    node_id: str | None
    node_code: str | None
    node_name: str | None
    made_by: str | None        # the account's user name
    made_by_name: str | None   # its display name
    reason: str                # "manual", "auto", "before-restore", or "" when unknown
    audit_head: tuple[int, str] | None
    schema: int | None
    other_node: bool           # made by another node than the one open (a restore is refused)

    @property
    def name(self) -> str:
        return self.path.name


class Backups:
    def __init__(self, session):
        self.session = session
        self.folder = session.node.backups_dir

    # --- the list ----------------------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The backup files, newest first."""
        if not self.folder.exists():
            return []
        return sorted(self.folder.glob("binhan-*.db"), reverse=True)

    def list(self) -> list[BackupInfo]:
        """Every backup, newest first, with what is known of it without opening it."""
        own = self.session.node_info
        return [describe(path, own.id) for path in self.files()]

    # --- making one -----------------------------------------------------------------------------
    def create(self, *, reason: str = "manual", progress: Progress | None = None, rotate: bool = True) -> Path:
        """Make a backup now. Written under temporary names and renamed when complete.

        `progress(step, done, total)` may raise to stop: the half-made backup is removed, the
        exception goes on to the caller, and the database is untouched.
        """
        session = self.session
        if reason == "manual":
            session.require("backup.create")
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        made = datetime.now(UTC)
        name = f"binhan-{session.node_info.code}-{_stamp(made)}.db"
        final = self.folder / name
        tmp = self.folder / f".{name}.tmp"
        leftovers = [tmp, tmp.with_name(tmp.name + "-journal"), self.folder / f".{name}{SLOTS_SUFFIX}.tmp"]
        try:
            with session.store.transaction() as conn:
                session.audit(conn, "backup.create", detail={"file": name, "reason": reason})
            head, schema = self._copy(tmp, progress)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            info = {
                "format": 1, "made_at": made.isoformat(timespec="seconds"), "reason": reason,
                "node_id": session.node_info.id, "node_code": session.node_info.code,
                "node_name": session.node_info.name, "made_by": session.user.username,
                "made_by_name": session.user.display_name, "audit_head": list(head), "schema": schema,
                "size": tmp.stat().st_size,
            }
            write_private(self.folder / f"{name}{INFO_SUFFIX}", json.dumps(info, ensure_ascii=False).encode())
            write_private(self.folder / f"{name}{SLOTS_SUFFIX}", session.node.slots_path.read_bytes())
            os.replace(tmp, final)
        except (OSError, sqlcipher3.OperationalError) as exc:  # SQLite says "database or disk is full" its own way
            self._remove(name, leftovers)
            why = getattr(exc, "strerror", None) or exc
            raise BackupError(
                f"Không sao lưu được: {why}. Dữ liệu hiện tại không bị ảnh hưởng; "
                "hãy kiểm tra chỗ trống trên ổ đĩa rồi thử lại.",
                f"The backup failed: {why}. Your data is unaffected; check free disk space and try again.",
            ) from exc
        except BaseException:
            self._remove(name, leftovers)  # cancelled (or interrupted): nothing half-made stays
            raise
        self._note_backup(name, made)
        if rotate:
            self.rotate()
        return final

    def _copy(self, target_path: Path, progress: Progress | None) -> tuple[tuple[int, str], int]:
        """Copy a snapshot of the live database into `target_path` (same key); its audit head and schema."""
        key = self.session._key()
        source = connect(self.session.node.db_path, key)
        try:
            source.execute("BEGIN")  # one snapshot for the whole copy, whatever is saved meanwhile
            head = audit.head(source)
            schema = source.execute("PRAGMA user_version").fetchone()[0]
            fd = os.open(target_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
            os.close(fd)
            target = sqlcipher3.connect(str(target_path), isolation_level=None)
            try:
                target.execute(f"PRAGMA key = \"x'{key.hex()}'\"")

                def step(_status, remaining, total):
                    if progress is not None:
                        progress("backup", total - remaining, total)

                source.backup(target, pages=STEP_PAGES, progress=step)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            source.execute("COMMIT")
        finally:
            source.close()
        return head, schema

    def _remove(self, name: str, leftovers: Sequence[Path]) -> None:
        for leftover in [*leftovers, self.folder / f"{name}{INFO_SUFFIX}", self.folder / f"{name}{SLOTS_SUFFIX}"]:
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass

    def _note_backup(self, name: str, made: datetime) -> None:
        with self.session.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_backup', ?)",
                         (json.dumps({"at": made.isoformat(timespec="milliseconds"), "file": name,
                                      "outbox": self._outbox_head(), "audit": audit.head(conn)[0]}),))

    def _outbox_head(self) -> int:
        return self.session.store.scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox") or 0

    # --- automatic backups --------------------------------------------------------------------------
    def last(self) -> dict | None:
        raw = self.session.store.scalar("SELECT value FROM meta WHERE key = 'last_backup'")
        return json.loads(raw) if raw else None

    def every_hours(self) -> float:
        """At most one automatic backup in this many hours (the administrator's setting, 6 by default)."""
        raw = self.session.store.scalar("SELECT value FROM meta WHERE key = ?", (EVERY_KEY,))
        try:
            hours = float(raw) if raw is not None else DEFAULT_EVERY_HOURS
        except ValueError:
            hours = DEFAULT_EVERY_HOURS
        return min(max(hours, 0.0), MAX_EVERY_HOURS)

    def set_every_hours(self, hours: float) -> float:
        """Keep the automatic backups' spacing (0 to a week; 0: at every log-out after a change). Audited."""
        self.session.require("settings.manage")
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            hours = -1.0
        if not 0 <= hours <= MAX_EVERY_HOURS:
            raise ValidationFailed([FieldError(
                "every_hours", f"Khoảng cách giữa hai lần sao lưu tự động phải từ 0 đến {MAX_EVERY_HOURS} giờ.",
                f"The time between automatic backups must be 0 to {MAX_EVERY_HOURS} hours.")])
        with self.session.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (EVERY_KEY, repr(hours)))
            self.session.audit(conn, "settings.change", detail={"key": EVERY_KEY, "value": hours})
        return hours

    def changed_since_last(self) -> bool:
        """Something a backup would keep changed since the last backup (not just log-ins and log-outs)."""
        last = self.last()
        if last is None:
            return True
        if last.get("outbox", 0) != self._outbox_head():
            return True
        since = last.get("audit")
        if since is None:
            return True
        marks = ",".join("?" * len(NOT_CHANGES))
        return self.session.store.scalar(
            f"SELECT 1 FROM audit_log WHERE seq > ? AND action NOT IN ({marks}) LIMIT 1",
            (since, *NOT_CHANGES)) is not None

    def due(self, now: datetime | None = None) -> bool:
        """An automatic backup is due: something changed, and the last backup is old enough."""
        last = self.last()
        if last is None:
            return True
        if not self.changed_since_last():
            return False
        try:
            at = datetime.fromisoformat(last["at"])
        except (KeyError, ValueError):
            return True
        now = now or datetime.now(UTC)
        return now - at >= timedelta(hours=self.every_hours())

    def auto(self) -> Path | None:
        """The automatic backup (at log-out): made only when `due()`."""
        if not self.due():
            return None
        try:
            return self.create(reason="auto")
        except BackupError:
            return None  # an automatic backup never stops work; the next one tries again

    def rotate(self, keep: int = KEEP) -> None:
        for old in self.files()[keep:]:
            old.unlink(missing_ok=True)
            for suffix in (SLOTS_SUFFIX, INFO_SUFFIX):
                old.with_name(old.name + suffix).unlink(missing_ok=True)

    # --- restoring ----------------------------------------------------------------------------------
    def restore(self, file: Path, *, force: bool = False, password: str | None = None,
                progress: Progress | None = None) -> Path:
        """Replace the live database with `file`; returns the backup of the current file made first.

        A backup from another node is refused unless `force`; it is then opened with its own key
        slots and `password` of the current user. `progress` may raise to stop, up to the moment
        the new file is put in place; until then nothing has changed but the backup made first.
        """
        session = self.session
        session.require("backup.restore")
        file = Path(file)
        if not file.is_file():
            raise BackupError(f"Không tìm thấy tệp {file}.", f"File not found: {file}.")
        key, backup_node, backup_head = self._probe(file, force=force, password=password)
        info = describe(file, session.node_info.id)
        with session.store.transaction() as conn:
            session.audit(conn, "backup.restore", detail={"file": file.name, "forced": force})
        before = self.create(reason="before-restore", progress=progress, rotate=False)
        node = session.node
        tmp = node.db_path.with_name(f".{DB_NAME}.restore.tmp")
        try:
            _copy_file(file, tmp, progress)
            restored = Store.open(tmp, key)
            try:
                replaced_head = audit.head(session.store)
                with restored.transaction() as conn:
                    restore_id, kept = _keep_history(session.store.conn, conn)
                    detail = {"file": file.name, "backup_made_at": info.made_at, "backup_head": list(backup_head),
                              "replaced_head": list(replaced_head), "kept_aside": before.name,
                              "annex": restore_id if kept else None, "annex_entries": kept, "forced": force}
                    audit.record(conn, user_id=session.user.id, username=session.user.username,
                                 action="backup.restored", detail=detail)
                    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_backup', ?)",
                                 (json.dumps({"at": now_utc(), "file": before.name, "audit": audit.head(conn)[0],
                                              "outbox": conn.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox")
                                              .fetchone()[0]}),))
                new_head = audit.head(restored)
            finally:
                restored.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        except BaseException:
            for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
                leftover.unlink(missing_ok=True)
            raise
        # From here on nothing stops: the current file is in `before`, the new one whole under `tmp`.
        session.store.close()
        for suffix in ("-wal", "-shm"):  # emptied by the checkpoint in close(): removing them loses nothing
            node.db_path.with_name(DB_NAME + suffix).unlink(missing_ok=True)
        os.replace(tmp, node.db_path)
        from app.audit.seal import SEAL_NAME, AuditSeal

        try:
            AuditSeal(node.db_path.with_name(SEAL_NAME), key).write(*new_head)
        except OSError:
            pass  # the restore entry names the head it replaced: the seal catches up at the next write
        if key != session._key():
            # The restored file has another node's key: its slots come with it (the old ones are beside `before`).
            write_private(node.slots_path, file.with_name(file.name + SLOTS_SUFFIX).read_bytes())
            node.__dict__.pop("slots", None)
            session._db_key = key
        session.store.take_over(Store.open(node.db_path, key))
        session.__dict__.pop("node_info", None)
        for copy in node.data_dir.glob(f"{tmp.name}.schema*.bak"):  # the upgrade's copy of the backup it came from
            copy.unlink(missing_ok=True)
        self.rotate()
        return before

    def _probe(self, file: Path, *, force: bool, password: str | None) -> tuple[bytes, str | None, tuple[int, str]]:
        """The key that opens `file`, its node and its audit head; refuses a damaged or foreign backup."""
        session = self.session
        key = session._key()
        sidecar = file.with_name(file.name + SLOTS_SUFFIX)
        try:
            probe = connect(file, key)
        except WrongSecret:
            if not force:
                raise BackupError(*foreign_messages(describe(file, session.node_info.id))) from None
            if not sidecar.exists() or password is None:
                raise BackupError("Không có tệp khóa đi kèm bản sao lưu này nên không mở được.",
                                  "The key-slot file of this backup is missing, so it cannot be opened.") from None
            key = keyslots.KeySlots.load(sidecar).open_with_password(session.user.username, password)
            probe = connect(file, key)
        try:
            check = probe.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"Tệp sao lưu bị hỏng ({check}). Hãy chọn bản sao lưu khác.",
                                  f"The backup is damaged ({check}). Choose another backup.")
            node_row = probe.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()
            head = audit.head(probe)
        except sqlcipher3.DatabaseError as exc:
            raise BackupError(f"Tệp sao lưu bị hỏng ({exc}). Hãy chọn bản sao lưu khác.",
                              f"The backup is damaged ({exc}). Choose another backup.") from exc
        finally:
            probe.close()
        backup_node = json.loads(node_row[0]) if node_row else None
        if backup_node != session.node_info.id and not force:
            raise BackupError(*foreign_messages(describe(file, session.node_info.id)))
        return key, backup_node, head


def foreign_messages(info: BackupInfo) -> tuple[str, str]:
    """The plain explanation when a backup belongs to another node."""
    who_vi = f" ({info.node_name}, mã {info.node_code})" if info.node_code else ""
    who_en = f" ({info.node_name}, code {info.node_code})" if info.node_code else ""
    return (
        f"Tệp sao lưu này không thuộc đơn vị hiện tại: nó là của một đơn vị khác{who_vi}, mở bằng khóa khác. "
        "Khôi phục nó sẽ thay toàn bộ dữ liệu của đơn vị này bằng dữ liệu của đơn vị kia, nên không có gì bị thay "
        "đổi. Nếu bạn thật sự muốn chuyển dữ liệu của đơn vị kia sang máy này, người quản trị dùng lệnh "
        "binhan restore TỆP --force với mật khẩu của đơn vị đó.",
        f"This backup belongs to another node{who_en}, opened with another key. Restoring it would replace all "
        "of this node's data with that node's, so nothing was changed. If you really mean to move that node's "
        "data onto this computer, an administrator can run binhan restore FILE --force with that node's password.",
    )


def describe(path: Path, own_node_id: str | None) -> BackupInfo:
    """What the list shows of one backup file: its info file, or what its name tells (older backups)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    try:
        data = json.loads(path.with_name(path.name + INFO_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    code = data.get("node_code")
    made_at = data.get("made_at")
    if not data:
        stem = path.name[len("binhan-"):-len(".db")] if path.name.startswith("binhan-") else path.stem
        code, _, stamp = stem.rpartition("-")
        try:
            made_at = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC).isoformat(
                timespec="seconds")
        except ValueError:
            made_at = None
        code = code or None
    head = data.get("audit_head")
    node_id = data.get("node_id")
    return BackupInfo(
        path=path, made_at=made_at, size=size, node_id=node_id, node_code=code, node_name=data.get("node_name"),
        made_by=data.get("made_by"), made_by_name=data.get("made_by_name"), reason=data.get("reason", ""),
        audit_head=(int(head[0]), str(head[1])) if head else None, schema=data.get("schema"),
        other_node=bool(node_id and own_node_id and node_id != own_node_id),
    )


def _copy_file(source: Path, target: Path, progress: Progress | None) -> None:
    total = source.stat().st_size
    done = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
        while True:
            chunk = src.read(COPY_CHUNK)
            if not chunk:
                break
            dst.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress("copy", done, total)
        dst.flush()
        os.fsync(dst.fileno())


def _common_prefix(current, restored) -> int:
    """The last entry both chains share (hashes chain, so equal at N means equal up to N)."""
    cur_n, _ = audit.head(current)
    res_n, res_hash = audit.head(restored)

    def same(seq: int) -> bool:
        if seq == 0:
            return True
        a = current.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        b = restored.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        return a is not None and b is not None and a[0] == b[0]

    top = min(cur_n, res_n)
    if same(top):
        return top
    low, high = 0, top  # same(low) holds, same(high) does not
    while high - low > 1:
        mid = (low + high) // 2
        if same(mid):
            low = mid
        else:
            high = mid
    return low


def _keep_history(current, restored) -> tuple[str, int]:
    """Copy into `restored`'s annex the entries of `current` it lacks, and `current`'s own annexes.

    Returns the new annex group's id and how many entries went into it. Runs inside `restored`'s transaction.
    """
    restore_id = new_id()
    prefix = _common_prefix(current, restored)
    columns = "seq, at, user_id, username, action, target_table, target_id, detail, prev_hash, hash"
    rows = current.execute(f"SELECT {columns} FROM audit_log WHERE seq > ? ORDER BY seq", (prefix,)).fetchall()
    restored.executemany(f"INSERT INTO audit_annex (restore_id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(restore_id, *row) for row in rows])
    has_annex = current.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_annex'").fetchone()
    if has_annex:
        earlier = current.execute(f"SELECT restore_id, {columns} FROM audit_annex").fetchall()
        restored.executemany(f"INSERT OR IGNORE INTO audit_annex (restore_id, {columns})"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", earlier)
    return restore_id, len(rows)
