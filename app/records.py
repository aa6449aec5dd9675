"""What every record that travels carries: time-ordered ids, revisions, the outbox."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import date, datetime, UTC

_last_ms = 0
_id_lock = threading.Lock()


def new_id() -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness.

    Ids stay strictly increasing within one process even if the clock steps back,
    so the order of creation is never lost.
    """
    global _last_ms
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms + 1
        _last_ms = ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= (rand >> 68 & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))


def id_clock() -> int:
    """The millisecond time of the newest id made in this process (0 before the first)."""
    with _id_lock:
        return _last_ms


def raise_id_floor(ms: int) -> None:
    """Never make an id older than `ms` (the newest id time a node stored): ordering survives a clock set back
    between two runs of the program, not only within one."""
    global _last_ms
    with _id_lock:
        _last_ms = max(_last_ms, int(ms))


def now_utc() -> str:
    """Timestamps are stored in UTC, ISO 8601, millisecond precision."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def today() -> date:
    return date.today()


def append_outbox(conn, table: str, record_id: str, rev: int, at: str) -> int:
    """Record a change for sync. Call inside the same transaction as the change itself."""
    cur = conn.execute(
        "INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES (?, ?, ?, ?)",
        (table, record_id, rev, at),
    )
    return cur.lastrowid
