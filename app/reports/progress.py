"""Progress of a long report build, and stopping it.

`build` and `export` take an optional `progress(done, total, what_vi)`; it is
called once at the start of each step (a section, a table, a sheet, the page
layout, writing the file) with `done` rising by one and never going back. The
total may grow once, when the model is built and the renderers know how many
pieces they have (`export_many` announces every file's steps at once); the
last call has `done == total`. The callable may raise
`Cancelled` to stop: nothing is then written under the chosen name and no
`report.export` entry goes in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from app.errors import BinhAnError

ProgressFn = Callable[[int, int, str], None]


class Cancelled(BinhAnError):
    """The person stopped the build; no file was written."""

    def __init__(self, message_vi: str = "Đã hủy, không ghi tệp nào.",
                 message_en: str = "Cancelled; no file was written.") -> None:
        super().__init__(message_vi, message_en)


class Steps:
    """Counts the steps of one build and passes them to the caller's `progress` (if any)."""

    def __init__(self, progress: ProgressFn | None = None) -> None:
        self.progress = progress
        self.done = 0
        self.total = 0
        self.ahead = 0  # steps announced by `announce` that no `add` has claimed yet

    def announce(self, count: int) -> None:
        """Count now `count` steps that later `add` calls will claim (several files from one build: one total)."""
        count = max(0, count)
        self.total += count
        self.ahead += count

    def add(self, count: int) -> None:
        """Announce `count` more steps to come (those already announced are not counted twice)."""
        count = max(0, count)
        claimed = min(count, self.ahead)
        self.ahead -= claimed
        self.total += count - claimed

    def step(self, what_vi: str) -> None:
        """One more step begins; the caller's progress function may raise `Cancelled` here."""
        self.done += 1
        self.total = max(self.total, self.done)
        if self.progress is not None:
            self.progress(self.done, self.total, what_vi)


def steps_of(progress: ProgressFn | Steps | None) -> Steps:
    return progress if isinstance(progress, Steps) else Steps(progress)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def block_steps(blocks: list) -> list[tuple[object, str | None]]:
    """The top-level blocks of a model, each with the words of its rendering step (None: too small for a step)."""
    from app.reports.model import Chart, Section, Table

    out: list[tuple[object, str | None]] = []
    for block in blocks:
        if isinstance(block, Section):
            out.append((block, f"Đang dựng phần: {block.title}"))
        elif isinstance(block, Table):
            out.append((block, f"Đang lập bảng: {_lower_first(block.title('vi'))}"))
        elif isinstance(block, Chart):
            out.append((block, f"Đang vẽ biểu đồ: {_lower_first(block.title('vi'))}"))
        else:
            out.append((block, None))
    return out
