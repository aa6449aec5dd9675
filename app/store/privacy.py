"""The node folder is private to the account that runs Bình An.

On POSIX the folder (and every folder inside it) is 0700 and every file 0600:
the database and its -wal/-shm, the key slots, the log-in counters, backups,
packages, the refusal log, key backups, the audit seal, and anything else
found there. `make_private` checks this at each start (`Node.open`, the
window's start) and repairs what it finds, returning one `Repair` per thing it
changed so the command line can print it, the window can show it, and the
session can audit it once opened.

Files are created private in the first place: `private_umask()` sets the
process's umask to 077 once a node folder is in use (SQLite, the key slots,
sync and reports then create their files 0600 / 0700), and the files this
module writes (`write_private`) pass an explicit mode as well.

On Windows none of this applies: the folder lives under the user's own
profile (%LOCALAPPDATA%\\binhan), whose NTFS access list — inherited by
everything created beneath it — grants the user, SYSTEM and Administrators
only. Other ordinary accounts on the PC cannot open it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
#: A folder holding one of these is a node's folder (app.node: the database and the key slots).
NODE_FILES = ("binhan.db", "keyslots.json")
#: Audit action of the entry recording a repair (app.node.Session writes it once logged in).
AUDIT_ACTION = "folder.private"


@dataclass(frozen=True)
class Repair:
    path: str       # relative to the node folder ("." for the folder itself)
    before: int     # permission bits found
    after: int      # permission bits set

    def message(self, lang: str = "vi") -> str:
        if lang == "en":
            return (f"Warning: {self.path} could be read by other accounts on this computer "
                    f"(mode {self.before:o}); it was made private ({self.after:o}).")
        return (f"Cảnh báo: {self.path} có thể bị tài khoản khác trên máy này đọc được "
                f"(quyền {self.before:o}); đã sửa thành riêng tư ({self.after:o}).")

    def as_dict(self) -> dict:
        return {"path": self.path, "before": f"{self.before:o}", "after": f"{self.after:o}"}


def applies() -> bool:
    """True where file modes protect the folder (POSIX); on Windows the profile's access list does."""
    return os.name == "posix"


def private_umask() -> None:
    """From now on this process creates files 0600 and folders 0700 (POSIX; a no-op elsewhere)."""
    if applies():
        os.umask(UMASK)


def make_private(folder: Path) -> list[Repair]:
    """Check the node folder and everything under it; make it private. Returns what was repaired.

    Symbolic links are neither followed nor changed (a link could point anywhere). A file that
    cannot be changed (another owner) is reported with `after` equal to `before`.
    """
    folder = Path(folder)
    if not applies() or not folder.is_dir():
        return []
    repairs: list[Repair] = []

    def fix(path: Path, want: int) -> None:
        try:
            info = path.lstat()
        except OSError:
            return  # gone meanwhile (a -shm removed at close)
        if stat.S_ISLNK(info.st_mode):
            return
        have = stat.S_IMODE(info.st_mode)
        if have & ~want & 0o7777 == 0:
            return
        relative = "." if path == folder else str(path.relative_to(folder))
        try:
            os.chmod(path, want)
            repairs.append(Repair(relative, have, want))
        except OSError:
            repairs.append(Repair(relative, have, have))

    fix(folder, DIR_MODE)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            fix(Path(root) / name, DIR_MODE)
        for name in files:
            fix(Path(root) / name, FILE_MODE)
    return repairs


def messages(repairs: list[Repair], lang: str = "vi") -> list[str]:
    """One line for each repair, at most ten, then how many more (a whole folder made public says so once)."""
    lines = [r.message(lang) for r in repairs[:10]]
    if len(repairs) > 10:
        more = len(repairs) - 10
        lines.append(f"… and {more} more files." if lang == "en" else f"… và {more} tệp khác.")
    return lines


def write_private(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write `data` to `path` through a temporary name created 0600, then rename it into place.

    `sync`: flush the file to disk before the rename, so a power cut leaves the old or the new
    content, never an empty file.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def secure(folder: Path) -> list[Repair]:
    """At each start: create private from now on, and make the node folder private. What was repaired."""
    private_umask()
    folder = Path(folder)
    if not any((folder / name).exists() for name in NODE_FILES):
        return []  # not (yet) a node's folder: a mistyped --data-dir (a home folder) is never touched
    try:
        return make_private(folder)
    except OSError:
        return []  # an unreadable folder is met again, with its own message, when the node opens


def audit_repairs(session) -> list[Repair]:
    """Write what `secure` repaired at this node's opening into the audit log, once; return it for the window."""
    repairs = list(getattr(session.node, "folder_repairs", None) or [])
    if not repairs:
        return []
    with session.store.transaction() as conn:
        session.audit(conn, AUDIT_ACTION, detail={"repaired": [r.as_dict() for r in repairs[:50]],
                                                  "count": len(repairs)})
    session.node.folder_repairs = []
    return repairs
