"""Integrity checks: cheap at start-up, full on request (`binhan check`).

`quick(store)` is SQLite's `quick_check` (pages and their structure, no index
cross-check): the window runs it when it opens a node. `full(store)` adds
`integrity_check`, foreign keys, the audit chain and the outbox against the
records. `backups(folder, key)` says which backup files are whole, newest
first, so a damaged database can name the backup to restore.

Each finding carries what happened and what to do next, in both languages.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from app import audit
from app.errors import BinhAnError
from datetime import UTC

# The window has no backup page yet: the command line is the way to restore (see the README).
RESTORE_HINT = ("Hãy khôi phục bản sao lưu tốt gần nhất (lệnh binhan restore TỆP; nhờ cán bộ hỗ trợ nếu cần).",
                "Restore the newest good backup (the command binhan restore FILE; ask support if needed).")


@dataclass(frozen=True)
class Finding:
    what: str  # "database", "foreign_keys", "audit", "outbox", "backup"
    vi: str
    en: str

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def lines(self, lang: str = "vi") -> list[str]:
        if self.ok:
            return ["Mọi kiểm tra đều đạt: " + ", ".join(self.checked) + "." if lang != "en"
                    else "All checks passed: " + ", ".join(self.checked) + "."]
        return [f.message(lang) for f in self.findings]


def damaged(detail: str) -> Finding:
    return Finding("database", f"Cơ sở dữ liệu bị hỏng ({detail}). {RESTORE_HINT[0]}",
                   f"The database is damaged ({detail}). {RESTORE_HINT[1]}")


def _sqlite_check(store, pragma: str) -> list[str]:
    try:
        rows = store.query(f"PRAGMA {pragma}")
    except sqlcipher3.DatabaseError as exc:
        return [str(exc)]
    problems = [next(iter(r.values())) for r in rows]
    return [] if problems == ["ok"] else problems


def quick(store) -> CheckReport:
    """The cheap start-up check: pages readable and well-formed."""
    report = CheckReport(checked=["quick_check"])
    problems = _sqlite_check(store, "quick_check")
    if problems:
        report.findings.append(damaged("; ".join(problems[:3])))
    return report


def full(store) -> CheckReport:
    """Everything: integrity, foreign keys, the audit chain, the outbox against the records."""
    report = CheckReport(checked=["integrity_check", "foreign_key_check", "audit", "outbox"])
    problems = _sqlite_check(store, "integrity_check")
    if problems:
        report.findings.append(damaged("; ".join(problems[:3])))
        return report  # on a damaged file the other checks would only repeat it
    try:
        orphans = store.query("PRAGMA foreign_key_check")
        if orphans:
            tables = sorted({r["table"] for r in orphans})
            report.findings.append(Finding(
                "foreign_keys",
                f"{len(orphans)} dòng trong {', '.join(tables)} không còn bản ghi cha. {RESTORE_HINT[0]}",
                f"{len(orphans)} rows in {', '.join(tables)} have lost their parent record. {RESTORE_HINT[1]}"))
        verdict = audit.verify(store)
        if not verdict.ok:
            report.findings.append(Finding(
                "audit", f"{verdict.reason_vi} Hãy báo quản trị viên; giữ nguyên tệp để điều tra.",
                f"{verdict.reason_en} Tell your administrator; keep the file as it is for investigation."))
        missing = store.scalar(
            "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.table_name = 'cases'"
            " AND o.record_id = c.id AND o.rev = c.rev)")
        if missing:
            report.findings.append(Finding(
                "outbox",
                f"{missing} vụ việc có thay đổi chưa được ghi vào hàng gửi lên cấp trên. {RESTORE_HINT[0]}",
                f"{missing} cases have changes missing from the queue to the parent. {RESTORE_HINT[1]}"))
    except sqlcipher3.DatabaseError as exc:
        report.findings.append(damaged(str(exc)))
    return report


def backup_whole(path: Path, key: bytes) -> str | None:
    """None when the backup opens with `key` and passes integrity_check; else what is wrong."""
    from app.errors import BinhAnError
    from app.store.db import connect

    try:
        conn = connect(path, key)
    except BinhAnError as exc:
        return exc.message("en")
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return None if result == "ok" else result
    except sqlcipher3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def backups(folder: Path, key: bytes) -> tuple[Path | None, list[Finding]]:
    """The newest whole backup in `folder` (None if none), and a finding for each damaged one."""
    newest_good = None
    findings = []
    for path in sorted(Path(folder).glob("binhan-*.db"), reverse=True) if Path(folder).is_dir() else []:
        problem = backup_whole(path, key)
        if problem is None:
            newest_good = newest_good or path
        else:
            findings.append(Finding(
                "backup", f"Bản sao lưu {path.name} bị hỏng ({problem}); đừng dùng nó, hãy chọn bản khác.",
                f"The backup {path.name} is damaged ({problem}); do not use it, choose another."))
    return newest_good, findings


# --- writes that the disk refused -------------------------------------------------------------------------
class DiskProblem(BinhAnError):
    """A write the file system refused (full, read-only, no permission). Nothing was half-saved."""


_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def _nearly_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def explain_write_failure(exc: BaseException, folder: Path | None = None) -> DiskProblem | None:
    """The person's message for a failed write, or None when `exc` is not about the disk.

    `folder`: where the write went, to tell a full disk from a failing one.
    """
    text = str(exc).lower()
    where = f" ({folder})" if folder else ""
    full = ((isinstance(exc, OSError) and exc.errno in _FULL) or "disk is full" in text
            or ("disk i/o error" in text and _nearly_full(folder)))
    if full:
        return DiskProblem(
            f"Ổ đĩa đã đầy{where}, không ghi được. Việc vừa làm chưa được lưu; dữ liệu đã lưu trước đó vẫn nguyên vẹn. "
            "Hãy xóa bớt tệp hoặc chọn ổ khác rồi thử lại.",
            f"The disk is full{where}; nothing could be written. What you just did was not saved; data saved "
            "earlier is intact. Free some space or choose another drive and try again.")
    read_only = (isinstance(exc, OSError) and exc.errno in _READ_ONLY) or "readonly database" in text \
        or "read-only" in text
    if read_only:
        return DiskProblem(
            f"Ổ đĩa hoặc thư mục chỉ đọc / không có quyền ghi{where}. Chưa có gì được ghi; dữ liệu vẫn nguyên vẹn. "
            "Hãy mở khóa chống ghi của USB hoặc chọn thư mục khác rồi thử lại.",
            f"The drive or folder is read-only / not writable{where}. Nothing was written; your data is intact. "
            "Unlock the USB stick's write protection or choose another folder and try again.")
    if "disk i/o error" in text or (isinstance(exc, OSError) and exc.errno == errno.EIO):
        return DiskProblem(
            f"Lỗi đọc/ghi ổ đĩa{where}. Ổ có thể đầy hoặc hỏng, hoặc USB vừa bị rút. Chưa có gì bị ghi dở. "
            "Hãy kiểm tra ổ đĩa rồi thử lại; đừng khôi phục bản sao lưu trước khi chạy 'binhan check'.",
            f"Disk read/write error{where}. The drive may be full or failing, or a USB stick was pulled. Nothing was "
            "half-written. Check the drive and try again; do not restore a backup before running 'binhan check'.")
    return None


# --- the PC's clock ------------------------------------------------------------------------------------------
EARLIEST_PLAUSIBLE_YEAR = 2024


def clock_trouble(store, now=None) -> Finding | None:
    """A warning for the window when the PC's clock looks wrong: before the newest audit entry (set back) or
    years off. Ordering never depends on it (ids are floored, sync compares revisions and sequences), but
    dates typed as "today" and report periods do."""
    from datetime import datetime

    now = now or datetime.now(UTC)
    # The newest time this node has seen: the last audit entry, or the id clock kept at each log-out (the
    # entries written since the clock went back carry the wrong, earlier time).
    newest = store.scalar("SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1")
    id_clock = store.scalar("SELECT value FROM meta WHERE key = 'id_clock'")
    if id_clock:
        from_ids = datetime.fromtimestamp(int(id_clock) / 1000, UTC).isoformat()
        newest = max(newest or from_ids, from_ids)
    if now.year < EARLIEST_PLAUSIBLE_YEAR:
        return Finding("clock", f"Đồng hồ máy tính đang chỉ năm {now.year}, có vẻ sai. Hãy chỉnh ngày giờ của máy "
                                "trước khi nhập liệu: ngày 'hôm nay' và kỳ báo cáo dựa vào nó.",
                       f"The PC's clock says the year {now.year}, which looks wrong. Set the date and time before "
                       "entering data: 'today' and report periods depend on it.")
    if newest:
        last = datetime.fromisoformat(newest)
        if now < last and (last - now).total_seconds() > 300:
            shown = last.astimezone().strftime("%H:%M %d/%m/%Y")
            return Finding("clock", f"Đồng hồ máy tính đang chậm hơn lần ghi gần nhất ({shown}): có thể đã bị chỉnh "
                                    "lùi. Dữ liệu vẫn đúng thứ tự, nhưng hãy chỉnh lại ngày giờ của máy.",
                           f"The PC's clock is behind the last saved change ({shown}): it may have been set back. "
                           "Your data stays in order, but please correct the date and time.")
    return None


def explain(exc: BaseException, folder: Path | None = None) -> BinhAnError | None:
    """The person's message for a failure met mid-work: a refused write, or a damaged page read. None otherwise."""
    # A damaged page read first makes SQLCipher refuse writes after it ("readonly database"): the damage,
    # found anywhere in the chain of errors, is what the person must hear.
    link: BaseException | None = exc
    seen = 0
    while link is not None and seen < 10:
        text = str(link).lower()
        if isinstance(link, sqlcipher3.DatabaseError) and ("malformed" in text or "not a database" in text):
            finding = damaged(str(link))
            return BinhAnError(finding.vi + " Lệnh 'binhan check' cho biết bản sao lưu tốt gần nhất.",
                               finding.en + " 'binhan check' names the newest good backup.")
        link, seen = link.__context__, seen + 1
    return explain_write_failure(exc, folder)
