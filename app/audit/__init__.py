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
from datetime import datetime

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
    """The last entry's sequence number and hash; (0, GENESIS) when the log is empty.

    `conn`: a database connection or a `Store`. Sync puts this in every package so the
    parent keeps a witness of the child's head.
    """
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), row[1]) if row else (0, GENESIS)


@dataclass
class Verdict:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason_vi: str = ""
    reason_en: str = ""
    #: what was found: "altered", "removed", "cut", "rolled_back", "replaced", "seal_missing",
    #: "seal_forged", "annex_altered", "head_inconsistent"; "" when whole
    kind: str = ""
    #: whole, with a note worth showing (the seal lagged behind, a restore was recognised); English and Vietnamese
    note_vi: str = ""
    note_en: str = ""

    def message(self, lang: str = "vi") -> str:
        if self.ok:
            text = (f"Nhật ký kiểm tra toàn vẹn: {self.entries} mục, chuỗi băm đúng." if lang != "en"
                    else f"Audit log intact: {self.entries} entries, hash chain verified.")
            note = self.note_en if lang == "en" else self.note_vi
            return f"{text} {note}" if note else text
        return self.reason_en if lang == "en" else self.reason_vi


def _broken(count: int, seq: int | None, kind: str, vi: str, en: str) -> Verdict:
    return Verdict(False, count, seq, vi, en, kind)


def _check_chain(rows, what_vi: str = "Mục nhật ký", what_en: str = "Audit entry", *, kind_removed="removed",
                 kind_altered="altered", first_seq: int = 1, prev_hash: str = GENESIS):
    """Walk `rows` (seq, at, user_id, username, action, table, target, detail, prev, hash) in order.

    Returns (count, last hash, Verdict or None for the first entry that does not fit).
    """
    expected_seq = first_seq
    count = 0
    for seq, at, user_id, username, action, table, target, detail, stored_prev, stored_hash in rows:
        if seq != expected_seq:
            return count, prev_hash, _broken(
                count, expected_seq, kind_removed,
                f"{what_vi} số {expected_seq} đã bị xóa (mục tiếp theo là số {seq}).",
                f"{what_en} {expected_seq} was removed (the next entry is {seq}).")
        if stored_prev != prev_hash:
            return count, prev_hash, _broken(
                count, seq, kind_altered,
                f"{what_vi} số {seq} không nối đúng với mục trước: mục trước đã bị sửa hoặc xóa.",
                f"{what_en} {seq} does not chain to the one before: an earlier entry was altered or removed.")
        if _digest(stored_prev, seq, at, user_id, username, action, table, target, detail) != stored_hash:
            return count, prev_hash, _broken(
                count, seq, kind_altered,
                f"{what_vi} số {seq} ({action}, {at}) đã bị sửa.",
                f"{what_en} {seq} ({action}, {at}) was altered.")
        prev_hash = stored_hash
        expected_seq += 1
        count += 1
    return count, prev_hash, None


_COLUMNS = "seq, at, user_id, username, action, target_table, target_id, detail, prev_hash, hash"


def _local(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M %d/%m/%Y")
    except (TypeError, ValueError):
        return stamp or "?"


def verify(store) -> Verdict:
    """Check the whole audit log; name the first thing that does not fit.

    In order: every entry chains to the one before and hashes to what it says (an altered or
    removed entry); the head kept in `meta` matches the chain's end as the file was opened (the
    newest entries cut); the sealed head outside the file (app.audit.seal) lies on the chain (a
    file put back by an older copy, or another file); the restore annexes. Reads only.
    """
    with store.lock:
        count, last_hash, broken = _check_chain(store.conn.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq"))
        if broken:
            return broken
        at_open = getattr(store, "audit_at_open", None)
        current_meta = store.conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        current = ((count, last_hash), current_meta[0] if current_meta else None)
        # Judge the file as it was opened, before this session's own log-in could hide a cut: as long as
        # the chain still passes through the entry that was its end then.
        opened = at_open if (at_open is not None and at_open.tail[0] <= count
                             and _hash_at(store.conn, at_open.tail[0]) == at_open.tail[1]) else None
        for tail, meta_head in ((opened.tail, opened.meta_head), current) if opened is not None else (current,):
            verdict = _check_meta_head(tail, meta_head, count)
            if verdict is not None:
                return verdict
        tail = opened.tail if opened is not None else current[0]
        seal_note = ("", "")
        seal = getattr(store, "audit_seal", None)
        if seal is not None:
            if opened is not None and opened.seal is not None:
                state, sealed = opened.seal, opened.sealed_before
            else:
                state, sealed = seal.read(), _sealed_before(store)
            verdict, seal_note = _check_seal(store, state, sealed, tail, count)
            if verdict is not None:
                return verdict
        verdict = _check_annexes(store.conn, count)
        if verdict is not None:
            return verdict
    return Verdict(True, count, note_vi=seal_note[0], note_en=seal_note[1])


def _hash_at(conn, seq: int) -> str | None:
    from app.audit.seal import hash_at

    return hash_at(conn, seq)


def _sealed_before(store) -> bool:
    from app.audit.seal import sealed_before

    return sealed_before(store)


def _check_meta_head(tail: tuple[int, str], meta_head: str | None, count: int) -> Verdict | None:
    """The head kept in `meta` beside the chain, as the file was opened: a cut tail leaves it ahead."""
    seq, digest = tail
    if meta_head is None:
        if seq:
            return _broken(count, seq + 1, "cut",
                           f"Các mục nhật ký cuối (sau mục số {seq}) đã bị xóa cùng với dấu đầu chuỗi trong tệp.",
                           f"The last audit entries (after entry {seq}) were removed together with the head "
                           "marker inside the file.")
        return None
    try:
        head_text, head_hash = meta_head.split(":", 1)
        head_seq = int(head_text)
    except ValueError:
        return _broken(count, None, "head_inconsistent", "Dấu đầu chuỗi nhật ký trong tệp bị hỏng.",
                       "The audit head marker inside the file is damaged.")
    if head_seq > seq or (head_seq == seq and head_hash != digest):
        first = min(seq + 1, head_seq)
        return _broken(count, first, "cut",
                       f"Các mục nhật ký cuối (từ số {first} đến {head_seq}) đã bị xóa: "
                       f"dấu đầu chuỗi trong tệp vẫn ghi {head_seq} mục.",
                       f"The last audit entries ({first} to {head_seq}) were removed: the head marker inside "
                       f"the file still says {head_seq} entries.")
    if head_seq < seq:
        return _broken(count, head_seq + 1, "head_inconsistent",
                       f"Các mục nhật ký từ số {head_seq + 1} được thêm vào ngoài phần mềm "
                       "(dấu đầu chuỗi trong tệp không ghi nhận chúng).",
                       f"Audit entries from {head_seq + 1} on were added outside the program "
                       "(the head marker inside the file does not know them).")
    return None


def _check_seal(store, state, sealed: bool, tail: tuple[int, str], count: int) -> tuple[Verdict | None, tuple[str, str]]:
    from app.audit.seal import SEAL_NAME, restored_over

    seq, _digest_ = tail
    if state.problem == "missing":
        if sealed:
            return _broken(count, None, "seal_missing",
                           f"Tệp niêm phong đầu chuỗi nhật ký ({SEAL_NAME}) đã bị xóa, dù cơ sở dữ liệu ghi là "
                           "đã niêm phong. Không thể biết tệp dữ liệu có bị thay bằng bản cũ hay không.",
                           f"The audit head seal ({SEAL_NAME}) was deleted although the database says it was "
                           "sealed. Whether the database file was put back by an older copy cannot be told."), ("", "")
        return None, ("", "")
    if state.problem is not None and sealed:
        return _broken(count, None, "seal_forged",
                       f"Tệp niêm phong đầu chuỗi nhật ký ({SEAL_NAME}) bị sửa, hỏng hoặc của đơn vị khác "
                       "(mã xác thực không đúng).",
                       f"The audit head seal ({SEAL_NAME}) was altered, is damaged or belongs to another node "
                       "(its MAC does not match)."), ("", "")
    if state.problem is not None:
        return None, ("", "")  # a stray file: this database never sealed its head (it is sealed at the next write)
    sealed_at = _local(state.at)
    if state.count > seq:
        return _broken(count, seq + 1, "rolled_back",
                       f"Tệp cơ sở dữ liệu đã bị thay bằng một bản sao cũ hơn: tệp chỉ có {seq} mục nhật ký, "
                       f"nhưng dấu niêm phong lúc {sealed_at} ghi {state.count} mục. "
                       f"Các mục từ số {seq + 1} đến {state.count} (và mọi dữ liệu ghi cùng lúc) không còn trong tệp. "
                       "Nếu chính quản trị viên đã chép bản sao lưu vào bằng tay, hãy chạy binhan audit accept để ghi "
                       "nhận việc đó vào nhật ký.",
                       f"The database file was put back by an older copy: it holds {seq} audit entries, but "
                       f"the seal made at {sealed_at} says {state.count}. Entries {seq + 1} to {state.count} "
                       "(and whatever was saved with them) are not in the file. If an administrator copied a backup in "
                       "by hand, run binhan audit accept to record that in the log."), ("", "")
    if _hash_at(store.conn, state.count) != state.hash:
        if restored_over(store.conn, state):
            return None, ("Lần khôi phục gần nhất chưa kịp niêm phong lại; chuỗi vẫn đúng.",
                          "The newest restore had not resealed the head yet; the chain is whole.")
        return _broken(count, state.count, "replaced",
                       f"Tệp cơ sở dữ liệu đã bị thay bằng một bản khác: mục nhật ký số {state.count} không khớp "
                       f"với dấu niêm phong lúc {sealed_at} (tệp là một bản cũ hơn đã được ghi tiếp, "
                       "hoặc của nơi khác).",
                       f"The database file was replaced by another copy: audit entry {state.count} does not "
                       f"match the seal made at {sealed_at} (an older copy written to since, or another file)."), ("", "")
    if state.count < seq:
        return None, (f"Dấu niêm phong đi sau {seq - state.count} mục (lần ghi cuối chưa kịp niêm phong); chuỗi "
                      "đi qua đúng mục đã niêm phong.",
                      f"The seal lags {seq - state.count} entries behind (the last write was not sealed yet); "
                      "the chain passes through the sealed entry.")
    return None, ("", "")


def _check_annexes(conn, count: int) -> Verdict | None:
    """Entries a restore kept from the file it replaced: each group still chains and hashes as it did."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_annex'").fetchone():
        return None
    groups = conn.execute("SELECT restore_id, min(seq) FROM audit_annex GROUP BY restore_id").fetchall()
    for restore_id, first_seq in groups:
        first_prev = conn.execute("SELECT prev_hash FROM audit_annex WHERE restore_id = ? AND seq = ?",
                                  (restore_id, first_seq)).fetchone()[0]
        rows = conn.execute(f"SELECT {_COLUMNS} FROM audit_annex WHERE restore_id = ? ORDER BY seq", (restore_id,))
        _n, _last, broken = _check_chain(rows, "Mục nhật ký được giữ lại khi khôi phục",
                                         "Audit entry kept at a restore", kind_removed="annex_altered",
                                         kind_altered="annex_altered", first_seq=first_seq, prev_hash=first_prev)
        if broken:
            broken.entries = count
            return broken
    return None


#: What an administrator may accept (the file as a whole was replaced or cut, the chain in it is whole), and
#: what never (an entry inside the chain altered or removed: keep the file as it is for investigation).
ACCEPTABLE = ("cut", "rolled_back", "replaced", "seal_missing", "seal_forged")
ACCEPTED_ACTION = "audit.break_accepted"


def accept(session) -> Verdict:
    """The administrator accepts what verify found about the file as a whole (a copy put back by hand, say).

    The finding is written into the chain (its kind, its words, the seal as it was), then the head is sealed
    again where the chain now ends, so verify passes from here on while the history says what happened.
    Refused for a break inside the chain. Returns the verdict that was accepted.
    """
    from app.audit.seal import SEALED_META, AtOpen
    from app.errors import BinhAnError

    session.require("backup.restore")
    store = session.store
    verdict = verify(store)
    if verdict.ok:
        raise BinhAnError("Nhật ký không có gì sai để ghi nhận.", "The audit log has nothing wrong to accept.")
    if verdict.kind not in ACCEPTABLE:
        raise BinhAnError(
            f"Không thể ghi nhận: {verdict.reason_vi} Chuỗi nhật ký bị hỏng bên trong; hãy giữ nguyên tệp để điều tra.",
            f"Cannot be accepted: {verdict.reason_en} The chain itself is broken; keep the file as it is for "
            "investigation.")
    seal = store.audit_seal
    if seal is None:
        raise BinhAnError("Cơ sở dữ liệu này không có dấu niêm phong.", "This database has no seal.")
    found = seal.read()
    with store.transaction() as conn:
        session.audit(conn, ACCEPTED_ACTION, detail={
            "kind": verdict.kind, "finding": verdict.reason_en,
            "seal": {"count": found.count, "hash": found.hash, "at": found.at, "problem": found.problem},
            "chain_end": list(head(conn))})
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SEALED_META, now_utc()))
    seal.flush()
    now = head(store)
    seal.write(*now)
    meta = store.scalar("SELECT value FROM meta WHERE key = 'audit_head'")
    store.audit_at_open = AtOpen(now, meta, seal.read(), True)
    return verdict


def entries(store, *, limit: int = 200, action: str | None = None) -> list[dict]:
    sql = "SELECT seq, at, username, action, target_table, target_id, detail FROM audit_log"
    params: tuple = ()
    if action:
        sql += " WHERE action = ?"
        params = (action,)
    sql += " ORDER BY seq DESC LIMIT ?"
    return store.query(sql, params + (limit,))
