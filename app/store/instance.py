"""One window per node: an operating-system lock on `binhan.lock` beside the database.

The window takes the lock for its whole session (`Node.login(..., exclusive=True)`);
a second window on the same node waits briefly, then is told plainly who has
the data open. The lock is the kernel's (`fcntl.flock` on POSIX,
`msvcrt.locking` on Windows), held through an open file, so a process that
dies — power cut, kill — releases it: a lock left by a dead process is simply
taken over. The file's text (user, host, pid, start time) is only there to be
read out in the message.

Command-line commands do not take this lock: SQLite's own locking (WAL,
`busy_timeout`, `BEGIN IMMEDIATE`) serialises their writes.
"""

from __future__ import annotations

import json
import os
import sys
import socket
import time
from datetime import datetime, UTC
from pathlib import Path

from app.errors import BinhAnError

LOCK_NAME = "binhan.lock"
# Windows locks byte ranges and a locked range cannot be read: lock one byte far past the text.
_WIN_LOCK_OFFSET = 1 << 30


class DataInUse(BinhAnError):
    """The node is open in another window."""

    def __init__(self, holder: dict | None):
        self.holder = holder or {}
        user = self.holder.get("user") or "?"
        host = self.holder.get("host") or "?"
        since = _local_time(self.holder.get("started"))
        super().__init__(
            f"Dữ liệu đang được mở bởi {user} trên máy {host} từ {since}. "
            "Hãy đóng cửa sổ Bình An đó (hoặc chờ người đó đăng xuất) rồi thử lại.",
            f"The data is open by {user} on {host} since {since}. "
            "Close that Bình An window (or wait until they log out) and try again.",
        )


def _local_time(stamp: str | None) -> str:
    if not stamp:
        return "?"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M %d/%m/%Y")
    except ValueError:
        return stamp


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # as os.name == "nt", in the spelling mypy narrows on
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def holder(data_dir: Path) -> dict | None:
    """Who wrote the lock file last (the holder, while it is held). None when unreadable."""
    try:
        text = (Path(data_dir) / LOCK_NAME).read_text(encoding="utf-8")
        return json.loads(text.strip("\0").strip() or "null")
    except (OSError, ValueError):
        return None


class InstanceLock:
    """The exclusive lock of one window session. Keep it until the session closes."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, user: str, *, wait: float = 2.0) -> None:
        """Take the lock, waiting up to `wait` seconds; raise DataInUse naming the holder."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise DataInUse(holder(self.path.parent))
            time.sleep(0.1)
        info = {"user": user, "host": socket.gethostname(), "pid": os.getpid(),
                "started": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
            os.fsync(fd)
        except OSError:
            pass  # the lock holds without its note; the message then just says "?"
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            _unlock(fd)
        finally:
            os.close(fd)
