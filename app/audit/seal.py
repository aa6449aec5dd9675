"""The audit chain's head, sealed outside the database.

A hash chain inside the database shows an altered or removed entry in the
middle, but not a database file put back by a plain copy of an older one, nor
the newest entries cut together with the head kept in `meta`. So after every
commit that added entries, the chain's head (entry count and hash) is written
to `audit-head.json` beside the database, with a MAC under a key derived from
the database key (BLAKE2b, keyed and personalised through PyNaCl).

The rule that makes it hold: the seal only moves forward along the chain. It is
rewritten only when the database's entry number N (the sealed count) exists and
carries the sealed hash; a database behind its seal, or on another chain, never
moves the seal, so `verify` keeps naming the break however much is written
after it. A seal that lags behind the database (a crash between the commit and
the seal's write) is fine: the chain passes through it. A legitimate restore
rewrites the seal itself (`app.store.backup`), and its audit entry names the
head it replaced, so a crash between the file's replacement and the seal's
write is recognised too.

What was true when the database was opened — the chain's tail, the head in
`meta`, the seal — is kept on the store (`AtOpen`) before anything is written,
so `binhan audit verify` judges the file as it was, not after its own log-in
entry.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nacl.hash
from nacl.encoding import RawEncoder

from app.records import now_utc

log = logging.getLogger(__name__)

SEAL_NAME = "audit-head.json"
FORMAT = 1
#: meta key: the first seal was written (a missing seal file is then a finding, not a fresh start)
SEALED_META = "audit_sealed"
SEALED_ACTION = "audit.sealed"
GENESIS = "0" * 64


def mac_key(db_key: bytes) -> bytes:
    """The seal's MAC key: never the database key itself."""
    return nacl.hash.blake2b(b"audit head seal", key=db_key, person=b"binhan-auditkey",
                             digest_size=32, encoder=RawEncoder)


def _mac(key: bytes, count: int, digest: str, at: str) -> str:
    body = json.dumps([FORMAT, count, digest, at], separators=(",", ":")).encode("utf-8")
    return nacl.hash.blake2b(body, key=key, person=b"binhan-audithd", digest_size=32).decode("ascii")


@dataclass(frozen=True)
class SealState:
    """What the seal file says. `problem` is None, "missing", "unreadable" or "forged"."""

    count: int = 0
    hash: str = GENESIS
    at: str = ""
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class AuditSeal:
    """The seal file of one node database, with its MAC key."""

    def __init__(self, path: Path, db_key: bytes):
        self.path = Path(path)
        self._key = mac_key(db_key)
        self._last: tuple[int, str] | None = None  # the head this process last sealed or asked to seal
        self._busy = False
        # The writes themselves (a file flushed to disk: ~5-10 ms) happen on a thread of their own, so a save
        # never waits for its seal; a crash before the write only leaves the seal behind, which is allowed.
        self._cond = threading.Condition()
        self._pending: tuple[int, str] | None = None
        self._writing = False
        self._stopped = False
        self._thread: threading.Thread | None = None

    # --- the file -------------------------------------------------------------------------------
    def read(self) -> SealState:
        raw = None
        for attempt in range(5):
            try:
                raw = self.path.read_bytes()
                break
            except FileNotFoundError:
                return SealState(problem="missing")
            except PermissionError:
                time.sleep(0.02 * (attempt + 1))  # Windows: another process is renaming a new seal into place
            except OSError:
                break
        if raw is None:
            return SealState(problem="unreadable")
        try:
            data = json.loads(raw)
            count, digest, at, mac = int(data["count"]), str(data["hash"]), str(data["at"]), str(data["mac"])
        except (ValueError, KeyError, TypeError):
            return SealState(problem="unreadable")
        if data.get("format") != FORMAT or not hmac.compare_digest(_mac(self._key, count, digest, at), mac):
            return SealState(count, digest, at, problem="forged")
        return SealState(count, digest, at)

    def write(self, count: int, digest: str) -> None:
        from app.store.privacy import write_private

        at = now_utc()
        body = {"format": FORMAT, "count": count, "hash": digest, "at": at, "mac": _mac(self._key, count, digest, at)}
        write_private(self.path, json.dumps(body).encode("utf-8"))
        self._last = (count, digest)

    def request(self, count: int, digest: str) -> None:
        """Seal this head soon, on the seal's own thread (the newest request wins)."""
        self._last = (count, digest)
        with self._cond:
            if self._stopped:
                return
            self._pending = (count, digest)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="binhan-audit-seal", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopped:
                    self._cond.wait()
                if self._pending is None:
                    return
                head, self._pending = self._pending, None
                self._writing = True
            try:
                self.write(*head)
            except OSError as exc:
                log.warning("the audit seal was not written: %s", type(exc).__name__)
            finally:
                with self._cond:
                    self._writing = False
                    self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every requested seal is on disk."""
        with self._cond:
            self._cond.wait_for(lambda: self._pending is None and not self._writing, timeout)

    def close(self) -> None:
        """Write what is pending and stop the thread (the store is closing)."""
        self.flush()
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- after each commit --------------------------------------------------------------------
    def after_commit(self, store) -> None:
        """Move the seal to the database's head if the chain passes through the sealed entry.

        Runs after every outermost COMMIT (the store's lock held). Never raises: a seal that
        cannot be written only lags, and a lagging seal is not a finding.
        """
        if self._busy:
            return
        self._busy = True
        try:
            self._advance(store)
        except Exception as exc:  # noqa: BLE001 - a committed save is never turned into an error by its seal
            log.warning("the audit seal was not updated: %s", type(exc).__name__)
        finally:
            self._busy = False

    def _advance(self, store) -> None:
        from app.audit import head

        tail = head(store.conn)
        if tail == self._last or tail[0] == 0:
            return
        state = self.read()
        if state.problem == "missing":
            if sealed_before(store):
                return  # someone removed it: verify says so; a new seal would hide it
            self._first_seal(store, tail)
            return
        if not state.ok and not sealed_before(store):
            self._first_seal(store, tail)  # a stray file (a set-up that failed half-way): this database never sealed
            return
        if not state.ok or state.count > tail[0]:
            return
        if state.count == tail[0] and state.hash == tail[1]:
            self._last = tail
            return
        if hash_at(store.conn, state.count) != state.hash and not restored_over(store.conn, state):
            return
        self.request(*tail)

    def _first_seal(self, store, tail: tuple[int, str]) -> None:
        """The first seal of this database: sealed, then recorded in the chain, then sealed again."""
        from app.audit import head, record

        self.write(*tail)
        with store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SEALED_META, now_utc()))
            record(conn, user_id=None, username=None, action=SEALED_ACTION,
                   detail={"file": self.path.name, "count": tail[0]})
        self.write(*head(store.conn))


@dataclass(frozen=True)
class AtOpen:
    """The audit chain as it was when the store was opened, before this process wrote anything."""

    tail: tuple[int, str]
    meta_head: str | None
    seal: SealState | None      # None: this store has no seal (not a node's live database)
    sealed_before: bool


def hash_at(conn, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def sealed_before(store) -> bool:
    """True when this database says its head was sealed (so a missing seal file is a finding)."""
    if store.conn.execute("SELECT 1 FROM meta WHERE key = ?", (SEALED_META,)).fetchone():
        return True
    return store.conn.execute("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", (SEALED_ACTION,)).fetchone() \
        is not None


def restored_over(conn, state: SealState) -> bool:
    """True when the newest restore replaced a file whose chain held the sealed entry (a crash before the reseal).

    The sealed entry is then the head that restore replaced, or one of the entries it kept in its annex.
    """
    row = conn.execute("SELECT detail FROM audit_log WHERE action = 'backup.restored' ORDER BY seq DESC LIMIT 1"
                       ).fetchone()
    if not row or not row[0]:
        return False
    try:
        detail = json.loads(row[0])
        replaced = detail.get("replaced_head")
        if replaced and int(replaced[0]) == state.count and replaced[1] == state.hash:
            return True
        annex = detail.get("annex")
    except (ValueError, TypeError, AttributeError):
        return False
    return bool(annex) and conn.execute(
        "SELECT 1 FROM audit_annex WHERE restore_id = ? AND seq = ? AND hash = ?", (annex, state.count, state.hash)
    ).fetchone() is not None


def _has_audit_table(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").fetchone() \
        is not None


def attach(store, db_key: bytes) -> None:
    """Give a node's live database its seal: note the chain as it is now, seal after each commit."""
    from app.audit import head

    seal = AuditSeal(store.path.with_name(SEAL_NAME), db_key)
    store.audit_seal = seal
    if _has_audit_table(store.conn):
        meta = store.conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        store.audit_at_open = AtOpen(head(store.conn), meta[0] if meta else None, seal.read(), sealed_before(store))
    else:
        store.audit_at_open = AtOpen((0, GENESIS), None, seal.read(), False)
    store.after_commit.append(seal.after_commit)
