"""Long work with a progress dialog and a Cancel button.

    progress = Progress()
    dialog = ProgressDialog(progress, self.tr("Đang lập báo cáo…"), parent=self)
    dialog.open()
    tasks.run_in_background(lambda: work(progress), on_done=…, on_error=…)
    # in on_done / on_error: dialog.finish(); then look at progress.cancelled

The job reports through `Progress`, a plain object guarded by a lock, never
through a widget: the dialog reads it on a timer on the GUI thread. Cancel
only asks; the job stops at its next `progress.check()`, or where the core
takes a progress function of its own (reports: `ui.reports.work.report_progress`)
at the core's next step, the function raising the core's own cancel error.
"""

from __future__ import annotations

import threading

from ui.qt import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, Qt, QTimer, QVBoxLayout


class Cancelled(Exception):
    """Raised by `Progress.check()` in a job once the person has pressed Cancel."""


class Progress:
    """What a background job has done so far, and whether the person asked it to stop. Safe from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._text = ""
        self._cancel = threading.Event()

    def update(self, done: int | None = None, total: int | None = None, text: str | None = None) -> None:
        with self._lock:
            if done is not None:
                self._done = done
            if total is not None:
                self._total = total
            if text is not None:
                self._text = text

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._done, self._total, self._text

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here (raise `Cancelled`) if the person pressed Cancel."""
        if self._cancel.is_set():
            raise Cancelled()


class ProgressDialog(QDialog):
    """Shows a job's progress; Cancel (or Esc, or closing the dialog) asks the job to stop.

    The dialog stays until the caller's callback calls `finish()`, so the person
    sees when the job has really stopped.
    """

    POLL_MS = 150

    def __init__(self, progress: Progress, text: str, parent=None, *, title: str | None = None,
                 steps: dict[str, str] | None = None):
        super().__init__(parent)
        #: The job reports step keys ("build"); these are the words shown for them.
        self.steps = dict(steps or {})
        self.setObjectName("progressDialog")
        self.progress = progress
        self.setWindowTitle(title or self.tr("Đang xử lý"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)

        self.text_label = QLabel(text)
        self.text_label.setObjectName("progressText")
        self.text_label.setWordWrap(True)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("progressDetail")
        self.detail_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the job says how much there is
        self.bar.setTextVisible(False)
        self.bar.setFormat("%v/%m")
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.setObjectName("progressCancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.request_cancel)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._finished = False

    def refresh(self) -> None:
        done, total, text = self.progress.snapshot()
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            # "3/10" for files, but no count for a single step (the bar alone says it).
            self.bar.setTextVisible(total > 1)
        if text and not self.progress.cancelled:
            self.detail_label.setText(self.steps.get(text, text))

    def request_cancel(self) -> None:
        if self.progress.cancelled or self._finished:
            return
        self.progress.cancel()
        self.cancel_button.setEnabled(False)
        self.detail_label.setText(self.tr("Đang dừng, xin chờ giây lát…"))

    def reject(self) -> None:  # Esc and the window's close button ask to stop; finish() closes
        self.request_cancel()

    def finish(self) -> None:
        """The job has ended (done, failed or stopped): close the dialog."""
        self._finished = True
        self._timer.stop()
        self.done(QDialog.DialogCode.Accepted)
        self.deleteLater()
