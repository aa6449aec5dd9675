"""The Sync page: sending data up the tree and, on a province or district, receiving it from below.

A commune sees its parent (or the way to enrol with one), how many changes
wait to go, a button that writes the package to a USB drive or folder, the
import of receipts and profile updates, the annual reports it finalised (sent
up in the next package) and the history of its packages: built, sent,
received, confirmed. A province sees its registry of communes (fingerprints,
last package and receipt, the annual report received and whether it came by
the profile's deadline; its PDF can be saved),
the registration import with the fingerprint check, and the inbox of packages
with their verdicts. A district sees both.

All the work is done by `sync/` on the background worker (`ui.sync.work`);
long work shows a progress dialog with Cancel.

Hooks for the main window: `refresh()`; `changed` is emitted after anything
that changes what the status bar counts (a package built, a receipt taken).
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.errors import BinhAnError
from ui import tasks
from ui.i18n import error_text
from ui.qt import QTabWidget, QVBoxLayout, QWidget, Signal, qt_object_alive
from ui.sync import work
from ui.sync.downstream import DownstreamPanel
from ui.sync.upstream import UpstreamPanel
from ui.sync.wires import WiresDialog
from ui.widgets.files import FileDialogs, home_folder
from ui.widgets.message import MessageLine
from ui.widgets.progress import Cancelled, Progress, ProgressDialog

log = logging.getLogger(__name__)


class SyncPage(QWidget):
    #: Something changed what waits to be sent or what is confirmed (the window recounts its status bar).
    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.session = session
        self.files = FileDialogs()
        self.last_folder = home_folder()
        self.progress_dialog: ProgressDialog | None = None
        self.snapshot: work.Snapshot | None = None
        self.wires_dialog: WiresDialog | None = None
        kind = session.node_info.kind

        self.message = MessageLine()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.tabs.setTabBarAutoHide(True)
        self.upstream: UpstreamPanel | None = None
        self.downstream: DownstreamPanel | None = None
        if kind != "province":
            self.upstream = UpstreamPanel(self)
            self.tabs.addTab(self.upstream, self.tr("Gửi lên cấp trên"))
        if work.is_parent_kind(kind):
            self._add_downstream()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def _add_downstream(self) -> None:
        self.downstream = DownstreamPanel(self)
        self.tabs.addTab(self.downstream, self.tr("Cấp dưới gửi lên"))

    # --- what the page shows ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the sync state again (off the GUI thread)."""
        session = self.session
        tasks.run_in_background(lambda: work.snapshot(session), on_done=self._show, on_error=self.failed, owner=self)

    def _show(self, shot: work.Snapshot) -> None:
        self.snapshot = shot
        if self.downstream is None and shot.registry:
            self._add_downstream()  # a commune with trusted-address points enrolled below it
        for panel in (self.upstream, self.downstream):
            if panel is not None:
                panel.show_snapshot(shot)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.snapshot is not None and not self.busy():
            self.refresh()

    # --- long work -----------------------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.progress_dialog is not None and qt_object_alive(self.progress_dialog)

    def run_job(self, text: str, job, on_done, *, steps: dict[str, str] | None = None, on_error=None) -> None:
        """Run `job(progress)` on the worker with a progress dialog; then `on_done(result, progress)`.

        A failure goes to `on_error(error)` if given, else to the message line. The page refreshes afterwards.
        """
        if self.busy():
            return
        progress = Progress()
        self.progress_dialog = ProgressDialog(progress, text, self, title=self.tr("Đồng bộ"), steps=steps)
        self.progress_dialog.open()

        def done(result) -> None:
            self._end_job()
            on_done(result, progress)
            self.refresh()
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self._end_job()
            if isinstance(error, Cancelled):
                self.message.say(self.tr("Đã dừng. Không có gì thay đổi."))
            elif on_error is not None:
                on_error(error)
            else:
                self.failed(error)
            self.refresh()

        tasks.run_in_background(lambda: job(progress), on_done=done, on_error=failed, owner=self)

    def _end_job(self) -> None:
        dialog = self.progress_dialog
        if dialog is not None and qt_object_alive(dialog):  # busy()
            dialog.finish()
        self.progress_dialog = None

    def failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError | OSError):
            log.error("sync page: %s", type(error).__name__)
        self.message.error(self.describe(error))

    def describe(self, error: BaseException) -> str:
        """A refusal or failure in words: the core's message, or for a file error what to do about it."""
        if isinstance(error, OSError) and not isinstance(error, BinhAnError):
            where = getattr(error, "filename", None) or ""
            return self.tr("Không đọc/ghi được tệp hoặc thư mục {where}. Hãy kiểm tra ổ USB còn cắm, còn chỗ trống "
                           "và không bị khóa ghi, rồi thử lại.").format(where=where)
        return error_text(error)

    def edit_wires(self) -> None:
        """The e-mail and server settings: saved on the worker; the dialog stays open until they are."""
        wires = self.snapshot.wires if self.snapshot is not None and self.snapshot.wires is not None else None
        if wires is None or self.busy():
            return
        dialog = WiresDialog(wires, sends=self.session.node_info.kind != "province", parent=self)
        self.wires_dialog = dialog
        session = self.session

        def save() -> None:
            settings, endpoint, passwords = dialog.settings(), dialog.endpoint_url(), dialog.passwords()

            def done(_wires, _progress) -> None:
                dialog.saved()
                self.message.success(self.tr("Đã lưu cài đặt thư điện tử và máy chủ."))

            self.run_job(self.tr("Đang lưu cài đặt…"), lambda _p: work.save_wires(session, settings, endpoint,
                                                                                  passwords),
                         done, on_error=lambda error: dialog.show_error(self.describe(error)))

        dialog.save_requested.connect(save)
        dialog.open()

    def remember_folder(self, path: str | Path) -> None:
        path = Path(path)
        self.last_folder = str(path if path.is_dir() else path.parent)
