"""Writing report files: to a temporary name beside the target, flushed, then renamed into place.

A report that fails half-way (power cut, full disk, cancelled build) never
leaves a truncated file under the name the officer chose, and never replaces
a good earlier file with a broken one. Several files from one build
(`app.reports.export_many`) are each written to their temporary name first and
renamed into place only once all of them are written.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator


def temporary_beside(target: Path) -> Path:
    """A new empty file in `target`'s folder (same disk, so the rename is one step), hidden by its dot."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(name)


def flush_to_disk(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target` in one step."""
    target = Path(target)
    temp = temporary_beside(target)
    try:
        yield temp
        flush_to_disk(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
