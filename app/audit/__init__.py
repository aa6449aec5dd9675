"""The append-only audit log.

Each entry stores the hash of the one before it and its own hash over its
contents, so an altered, inserted or removed entry breaks the chain. The
head (last sequence and hash) is also kept in `meta`, so removing the newest
entries shows too. Triggers refuse UPDATE and DELETE on the table.

Never put identity into `detail`: names, phones and narratives stay out of the
log (field names are fine, values are not).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.records import now_utc

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, at: str, user_id, username, action, target_table, target_id, detail) -> str:
    body = json.dumps(
        [seq, at, user_id, username, action, target_table, target_id, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + "|" + body).encode("utf-8")).hexdigest()


def record(conn, *, user_id: str | None, username: str | None, action: str,
           target_table: str | None = None, target_id: str | None = None,
           detail: dict | None = None) -> int:
    """Append one entry. Call inside the transaction of the change it describes."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = now_utc()
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None
    digest = _digest(prev_hash, seq, at, user_id, username, action, target_table, target_id, detail_text)
    conn.execute(
        "INSERT INTO audit_log (seq, at, user_id, username, action, target_table, target_id, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, user_id, username, action, target_table, target_id, detail_text, prev_hash, digest),
    )
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (f"{seq}:{digest}",))
    return seq


def head(conn) -> tuple[int, str]:
    """The last entry's sequence and hash; (0, GENESIS) when the log is empty."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


@dataclass
class Verdict:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason_vi: str = ""
    reason_en: str = ""

    def message(self, lang: str = "vi") -> str:
        if self.ok:
            return (f"Nhật ký kiểm tra toàn vẹn: {self.entries} mục, chuỗi băm đúng." if lang != "en"
                    else f"Audit log intact: {self.entries} entries, hash chain verified.")
        return self.reason_en if lang == "en" else self.reason_vi


def verify(store) -> Verdict:
    """Walk the chain from the first entry; name the first entry that does not fit."""
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    rows = store.execute(
        "SELECT seq, at, user_id, username, action, target_table, target_id, detail, prev_hash, hash"
        " FROM audit_log ORDER BY seq"
    )
    for seq, at, user_id, username, action, table, target, detail, stored_prev, stored_hash in rows:
        if seq != expected_seq:
            return Verdict(False, count, expected_seq,
                           f"Mục nhật ký số {expected_seq} đã bị xóa (mục tiếp theo là số {seq}).",
                           f"Audit entry {expected_seq} was removed (the next entry is {seq}).")
        if stored_prev != prev_hash:
            return Verdict(False, count, seq,
                           f"Mục nhật ký số {seq} không nối đúng với mục trước: mục trước đã bị sửa hoặc xóa.",
                           f"Audit entry {seq} does not chain to the one before: an earlier entry was altered or removed.")
        if _digest(stored_prev, seq, at, user_id, username, action, table, target, detail) != stored_hash:
            return Verdict(False, count, seq,
                           f"Mục nhật ký số {seq} ({action}, {at}) đã bị sửa.",
                           f"Audit entry {seq} ({action}, {at}) was altered.")
        prev_hash = stored_hash
        expected_seq += 1
        count += 1
    head = store.scalar("SELECT value FROM meta WHERE key = 'audit_head'")
    if head:
        head_seq, head_hash = head.split(":", 1)
        if int(head_seq) != count or head_hash != prev_hash:
            missing = count + 1
            return Verdict(False, count, missing,
                           f"Các mục nhật ký cuối (từ số {missing} đến {head_seq}) đã bị xóa.",
                           f"The last audit entries ({missing} to {head_seq}) were removed.")
    elif count:
        return Verdict(False, count, 1, "Thiếu dấu đầu chuỗi nhật ký.", "The audit head marker is missing.")
    return Verdict(True, count)


def entries(store, *, limit: int = 200, action: str | None = None) -> list[dict]:
    sql = "SELECT seq, at, username, action, target_table, target_id, detail FROM audit_log"
    params: tuple = ()
    if action:
        sql += " WHERE action = ?"
        params = (action,)
    sql += " ORDER BY seq DESC LIMIT ?"
    return store.query(sql, params + (limit,))
