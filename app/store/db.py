"""The encrypted SQLite connection of one node.

SQLCipher (through `sqlcipher3`) encrypts every page of the database and of
its WAL. The raw 256-bit key is handed to SQLCipher directly (no passphrase
derivation inside SQLCipher: the key slots already did that).

Writes go through `Store.transaction()`, one `BEGIN IMMEDIATE … COMMIT` per
unit of work, so nothing is ever half-saved. Do not use sqlite-utils' own
write helpers inside a transaction: they commit on their own.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

import sqlcipher3
import sqlite_utils

from app.errors import DatabaseDamaged, WrongSecret

DB_NAME = "binhan.db"
# 32 MiB page cache: SQLCipher decrypts every page it reads, so a small cache (its default is 2 MiB) makes scans
# ~4x slower. Measured at province scale (bench/RESULTS.md): 32, 40 and 48 MiB read the annual report, the
# Overview and a search equally fast (same process, cold cache each time: 1.9 / 2.1 / 1.8 s for the report's model,
# 4.8 / 5.0 / 4.7 s for the Overview), while the window with the whole data set open needs the room
# (DESIGN §8: 300 MB; 64 MiB: 312 MiB, 48 MiB: 296-304 MiB).
CACHE_KIB = 32768

DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError


def connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    """Open `path` with `key`; raise WrongSecret if the key does not fit, DatabaseDamaged if broken."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr noise
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise WrongSecret(
                "Khóa không mở được cơ sở dữ liệu này (sai mật khẩu hoặc sai tệp). Tệp không bị thay đổi.",
                "The key does not open this database (wrong password or wrong file). The file was not changed.",
            ) from exc
        raise DatabaseDamaged(
            f"Cơ sở dữ liệu bị hỏng: {exc}. Hãy khôi phục từ bản sao lưu gần nhất.",
            f"The database is damaged: {exc}. Restore the newest backup.",
        ) from exc
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit reported to the person survives a power cut.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    # Deleted or replaced content is overwritten with zeros (an identity replaced by its ciphertext leaves
    # no clear copy in a free page; issue 13).
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


class Store:
    """One open node database. Thread-safe: every use takes the store's lock."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection):
        self.path = Path(path)
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.lock = threading.RLock()
        self._depth = 0
        #: Called with the store after each outermost COMMIT, the lock still held (the audit seal).
        self.after_commit: list = []
        self.audit_seal = None      # app.audit.seal.AuditSeal of a node's live database
        self.audit_at_open = None   # app.audit.seal.AtOpen: the chain as it was when opened

    @classmethod
    def open(cls, path: Path, key: bytes, *, migrate: bool = True) -> Store:
        from app.store import migrations

        conn = connect(path, key)
        store = cls(path, conn)
        if Path(path).name == DB_NAME:
            from app.audit import seal

            seal.attach(store, key)  # before anything is written: what verify judges
        if migrate:
            try:
                migrations.upgrade(store)
            except BaseException:
                conn.close()
                raise
        return store

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """One unit of work: all of it is saved, or none of it. Nested calls join the outer one."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self._depth = 0
                self.conn.execute("ROLLBACK")
                raise
            else:
                self._depth = 0
                self.conn.execute("COMMIT")
                for hook in self.after_commit:
                    hook(self)

    def execute(self, sql: str, params=()) -> sqlcipher3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    def query(self, sql: str, params=()) -> list[dict]:
        with self.lock:
            cur = self.conn.execute(sql, params)
            names = [d[0] for d in cur.description] if cur.description else []
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params=()):
        with self.lock:
            row = self.conn.execute(sql, params).fetchone()
            return row[0] if row else None

    @property
    def user_version(self) -> int:
        return self.scalar("PRAGMA user_version")

    def checkpoint(self) -> None:
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def take_over(self, other: Store) -> None:
        """Continue on `other`'s connection (after a restore): services holding this Store keep working."""
        with self.lock:
            self.path, self.conn, self.db = other.path, other.conn, other.db
            self.after_commit, self.audit_seal = other.after_commit, other.audit_seal
            self.audit_at_open = other.audit_at_open

    def close(self) -> None:
        with self.lock:
            if self.audit_seal is not None:
                self.audit_seal.close()  # the last seal is on disk before the process may end
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.Error:
                pass
            self.conn.close()
