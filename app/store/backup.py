"""Backups: encrypted with the node's own key, made with SQLite's backup API, rotated.

A backup is `backups/binhan-<code>-<UTC stamp>.db` plus a copy of the key slots
beside it (`….keyslots.json`), so a backup can be opened even if the live
slots file is lost: any password or the recovery key valid when it was made
opens it.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlcipher3

from app.errors import BackupError, WrongSecret
from app.records import now_utc
from app.store import keyslots
from app.store.db import DB_NAME, Store, connect

KEEP = 14
AUTO_EVERY = timedelta(hours=24)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


class Backups:
    def __init__(self, session):
        self.session = session
        self.folder = session.node.backups_dir

    def list(self) -> list[Path]:
        if not self.folder.exists():
            return []
        return sorted(self.folder.glob("binhan-*.db"), reverse=True)

    def create(self, *, reason: str = "manual") -> Path:
        """Make a backup now. Written under a temporary name and renamed when complete."""
        session = self.session
        if reason == "manual":
            session.require("backup.create")
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"binhan-{session.node_info.code}-{_stamp()}.db"
        final = self.folder / name
        tmp = self.folder / f".{name}.tmp"
        try:
            with session.store.transaction() as conn:
                session.audit(conn, "backup.create", detail={"file": name, "reason": reason})
            with session.store.lock:
                target = sqlcipher3.connect(str(tmp), isolation_level=None)
                try:
                    target.execute(f"PRAGMA key = \"x'{session._key().hex()}'\"")
                    session.store.conn.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            shutil.copyfile(session.node.slots_path, self.folder / f".{name}.keyslots.tmp")
            os.replace(self.folder / f".{name}.keyslots.tmp", self.folder / f"{name}.keyslots.json")
            os.replace(tmp, final)
        except (OSError, sqlcipher3.OperationalError) as exc:  # SQLite says "database or disk is full" its own way
            for leftover in (tmp, self.folder / f".{name}.keyslots.tmp"):
                leftover.unlink(missing_ok=True)
            why = getattr(exc, "strerror", None) or exc
            raise BackupError(
                f"Không sao lưu được: {why}. Dữ liệu hiện tại không bị ảnh hưởng; "
                "hãy kiểm tra chỗ trống trên ổ đĩa rồi thử lại.",
                f"The backup failed: {why}. Your data is unaffected; check free disk space and try again.",
            ) from exc
        with session.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_backup', ?)",
                         (json.dumps({"at": now_utc(), "file": name, "outbox": self._outbox_head()}),))
        self.rotate()
        return final

    def _outbox_head(self) -> int:
        return self.session.store.scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox") or 0

    def last(self) -> dict | None:
        raw = self.session.store.scalar("SELECT value FROM meta WHERE key = 'last_backup'")
        return json.loads(raw) if raw else None

    def due(self) -> bool:
        last = self.last()
        if last is None:
            return True
        if last.get("outbox", 0) != self._outbox_head():
            return True
        at = datetime.fromisoformat(last["at"])
        return datetime.now(timezone.utc) - at > AUTO_EVERY

    def auto(self) -> Path | None:
        """The automatic backup: made when something changed since the last one, or a day passed."""
        if not self.due():
            return None
        try:
            return self.create(reason="auto")
        except BackupError:
            return None  # an automatic backup never stops work; the next one tries again

    def rotate(self, keep: int = KEEP) -> None:
        for old in self.list()[keep:]:
            old.unlink(missing_ok=True)
            old.with_name(old.name + ".keyslots.json").unlink(missing_ok=True)

    def restore(self, file: Path, *, force: bool = False, password: str | None = None) -> Path:
        """Replace the live database with `file`. The current file is kept aside; returns its new path.

        A backup from another node is refused unless `force`; it is then opened
        with its own key slots and `password` of the current user.
        """
        session = self.session
        session.require("backup.restore")
        file = Path(file)
        if not file.is_file():
            raise BackupError(f"Không tìm thấy tệp {file}.", f"File not found: {file}.")
        key = session._key()
        sidecar = file.with_name(file.name + ".keyslots.json")
        try:
            probe = connect(file, key)
        except WrongSecret:
            if not force:
                raise BackupError(
                    "Tệp sao lưu này không thuộc đơn vị hiện tại (khóa khác). Không khôi phục. "
                    "Nếu chắc chắn, dùng tùy chọn --force cùng mật khẩu của tệp đó.",
                    "This backup belongs to another node (different key). Nothing was restored. "
                    "If you are sure, use --force with that node's password.",
                ) from None
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
        except sqlcipher3.DatabaseError as exc:
            raise BackupError(f"Tệp sao lưu bị hỏng ({exc}). Hãy chọn bản sao lưu khác.",
                              f"The backup is damaged ({exc}). Choose another backup.") from exc
        finally:
            probe.close()
        backup_node = json.loads(node_row[0]) if node_row else None
        if backup_node != session.node_info.id and not force:
            raise BackupError(
                "Tệp sao lưu này là của một đơn vị khác. Không khôi phục (dùng --force nếu chắc chắn).",
                "This backup is from another node. Nothing was restored (use --force if you are sure).",
            )
        with session.store.transaction() as conn:
            session.audit(conn, "backup.restore", detail={"file": file.name, "forced": force})
        node = session.node
        session.store.close()
        aside = node.db_path.with_name(f"{DB_NAME}.before-restore-{_stamp()}")
        tmp = node.db_path.with_name(f".{DB_NAME}.restore.tmp")
        shutil.copyfile(file, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # Copied aside, not moved: a power cut at any moment leaves a whole database under the real name.
        # The WAL was emptied by the checkpoint in close(), so removing it loses nothing.
        shutil.copyfile(node.db_path, aside)
        for suffix in ("-wal", "-shm"):
            node.db_path.with_name(DB_NAME + suffix).unlink(missing_ok=True)
        os.replace(tmp, node.db_path)
        if key != session._key():
            # The restored file has another node's key: its slots come with it.
            shutil.copyfile(node.slots_path, aside.with_name(aside.name + ".keyslots.json"))
            shutil.copyfile(sidecar, node.slots_path)
            node.__dict__.pop("slots", None)
            session._db_key = key
        session.store.take_over(Store.open(node.db_path, key))
        session.__dict__.pop("node_info", None)
        with session.store.transaction() as conn:
            session.audit(conn, "backup.restored", detail={"file": file.name, "previous": aside.name})
        return aside
