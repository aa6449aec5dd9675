"""The Backups page: the list of backups, «Back up now», «Restore…», and how often automatic backups run.

Making and restoring a backup copy the whole database (hundreds of megabytes at a
province), so both run on the background worker (ui.tasks) behind a progress
dialog with a Cancel button; the core (app.store.backup) stops at its next step
and leaves nothing half-made. A restore asks first (ui.widgets.confirm), keeps
the current data as a backup of its own, and then the window is rebuilt on the
restored data (`restored`).

Who may do what is the core's: backup.create (administrator, officer) to back up,
backup.restore (administrator) to restore, settings.manage to set the hours.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from app.store.backup import BackupInfo, foreign_messages
from ui import tasks
from ui.i18n import error_text, language
from ui.qt import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget, Signal
from ui.widgets.confirm import confirm
from ui.widgets.files import FileDialogs
from ui.widgets.message import MessageLine
from ui.widgets.progress import Cancelled, Progress, ProgressDialog
from ui.widgets.table import Column, RowsModel, rows_view

log = logging.getLogger(__name__)

COL_WHEN, COL_SIZE, COL_NODE, COL_BY, COL_WHY, COL_FILE = range(6)


def local_time(stamp: str | None) -> str:
    if not stamp:
        return "?"
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M  %d/%m/%Y")
    except ValueError:
        return stamp


def size_text(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MiB"
    return f"{max(1, size // 1024)} KiB"


class BackupsPage(QWidget):
    # The live data was replaced by a backup: the window rebuilds its pages on it (carries the message to show).
    restored = Signal(str)
    # A backup was made (the status bar may want to know).
    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.files = FileDialogs()
        self.progress: Progress | None = None
        self.progress_dialog: ProgressDialog | None = None
        self.restore_box: QMessageBox | None = None
        self.infos: list[BackupInfo] = []
        self.may_create = session.can("backup.create")
        self.may_restore = session.can("backup.restore")

        self.intro = QLabel()
        self.intro.setObjectName("backupsIntro")
        self.intro.setWordWrap(True)
        self.message = MessageLine()

        self.model = RowsModel([
            Column(self.tr("Thời điểm"), lambda info: local_time(info.made_at)),
            Column(self.tr("Kích thước"), lambda info: size_text(info.size), align_right=True),
            Column(self.tr("Đơn vị"), self._node_text),
            Column(self.tr("Người tạo"), lambda info: info.made_by_name or info.made_by or self.tr("không rõ")),
            Column(self.tr("Lý do"), self._reason_text),
            Column(self.tr("Tệp"), lambda info: info.name, tooltip=lambda info: str(info.path)),
        ], tone=lambda info: "warn" if info.other_node else None)
        self.table = rows_view(self.model, "backupsTable",
                               widths={COL_WHEN: "00:00  00/00/0000", COL_SIZE: "999.9 MiB",
                                       COL_BY: "Quản trị viên xã", COL_WHY: self.tr("Trước khi khôi phục"),
                                       COL_FILE: "binhan-XA0001-20261207T120043758547Z.db"},
                               stretch=COL_NODE)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty_label = QLabel(self.tr("Chưa có bản sao lưu nào."))
        self.empty_label.setObjectName("backupsEmpty")
        self.empty_label.hide()

        self.backup_button = self._button("backupNow", self.tr("Sao lưu ngay"), self.back_up_now)
        self.restore_button = self._button("restoreBackup", self.tr("Khôi phục…"), self.restore_selected)
        self.restore_file_button = self._button("restoreFromFile", self.tr("Khôi phục từ tệp khác…"),
                                                self.restore_from_file)
        self.refresh_button = self._button("refreshBackups", self.tr("Làm mới"), self.refresh)
        self.backup_button.setVisible(self.may_create)
        self.restore_button.setVisible(self.may_restore)
        self.restore_file_button.setVisible(self.may_restore)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)

        # --- automatic backups --------------------------------------------------------------------
        self.every_spin = QSpinBox()
        self.every_spin.setObjectName("backupEveryHours")
        self.every_spin.setRange(0, 24 * 7)
        self.every_spin.setSuffix(self.tr(" giờ"))
        self.every_save = self._button("backupEverySave", self.tr("Lưu"), self.save_every)
        self.every_spin.setEnabled(session.can("settings.manage"))
        self.every_save.setVisible(session.can("settings.manage"))
        every_row = QHBoxLayout()
        every_label = QLabel(self.tr("Sao lưu tự động khi đăng xuất nếu có thay đổi, cách nhau ít nhất:"))
        every_label.setBuddy(self.every_spin)  # its name for a screen reader (ui.widgets.a11y)
        every_row.addWidget(every_label)
        every_row.addWidget(self.every_spin)
        every_row.addWidget(self.every_save)
        every_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(every_row)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        if not (self.may_create or self.may_restore):
            self.intro.setText(self.tr("Vai trò của bạn không sao lưu hay khôi phục được dữ liệu."))
            for widget in (self.table, self.refresh_button, self.every_spin, self.every_save):
                widget.setEnabled(False)
            return
        self.refresh()

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _node_text(self, info: BackupInfo) -> str:
        if info.node_name and info.node_code:
            text = f"{info.node_name} ({info.node_code})"
        else:
            text = info.node_code or "?"
        return text + (self.tr(" — đơn vị khác") if info.other_node else "")

    def _reason_text(self, info: BackupInfo) -> str:
        return {"manual": self.tr("Sao lưu ngay"), "auto": self.tr("Tự động"),
                "before-restore": self.tr("Trước khi khôi phục")}.get(info.reason, self.tr("không rõ"))

    # --- reading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        backups = self.session.backups
        tasks.run_in_background(lambda: (backups.list(), backups.every_hours(), backups.last()),
                                on_done=self._show, on_error=self._failed, owner=self)

    def _show(self, result) -> None:
        infos, every, last = result
        self.infos = infos
        self.model.set_rows(infos)
        self.empty_label.setVisible(not infos)
        self.every_spin.setValue(round(every))
        when = local_time(last["at"]) if last else self.tr("chưa có")
        self.intro.setText(self.tr(
            "Bản sao lưu được mã hóa bằng khóa của đơn vị và nằm trong thư mục dữ liệu (backups); giữ {keep} bản "
            "gần nhất. Lần sao lưu gần nhất: {when}. Nên chép định kỳ một bản ra USB cất ở nơi khác.").format(
                keep=14, when=when))
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._finish_progress()
        if isinstance(error, Cancelled):
            self.message.say(self.tr("Đã hủy. Không có gì thay đổi."))
            return
        self.message.error(error_text(error))
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        busy = self.progress_dialog is not None
        self.backup_button.setEnabled(self.may_create and not busy)
        self.restore_button.setEnabled(self.may_restore and not busy and self.selected() is not None)
        self.restore_file_button.setEnabled(self.may_restore and not busy)

    # --- long work ------------------------------------------------------------------------------------
    def _start_progress(self, text: str) -> Progress:
        self.progress = Progress()
        self.progress_dialog = ProgressDialog(self.progress, text, self, steps={
            "backup": self.tr("Đang sao chép dữ liệu hiện tại…"), "copy": self.tr("Đang chép bản sao lưu vào…")})
        self.progress_dialog.open()
        self._update_buttons()
        return self.progress

    def _finish_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.finish()
            self.progress_dialog = None
        self._update_buttons()

    @staticmethod
    def _reporter(progress: Progress):
        def report(step: str, done: int, total: int) -> None:  # the worker thread: no widgets here
            progress.update(done, total, step)
            progress.check()
        return report

    # --- back up now ------------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        if not self.may_create or self.progress_dialog is not None:
            return
        self.message.clear_message()
        progress = self._start_progress(self.tr("Đang sao lưu…"))
        backups, report = self.session.backups, self._reporter(progress)
        tasks.run_in_background(lambda: backups.create(progress=report), on_done=self._backed_up,
                                on_error=self._failed, owner=self)

    def _backed_up(self, path: Path) -> None:
        self._finish_progress()
        self.message.success(self.tr("Đã sao lưu: {file}").format(file=Path(path).name))
        self.changed.emit()
        self.refresh()

    # --- restore ------------------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.ask_restore(info)

    def restore_from_file(self) -> None:
        chosen = self.files.open_file(self, self.tr("Chọn bản sao lưu"), str(self.session.node.backups_dir),
                                      self.tr("Bản sao lưu Bình An (*.db)"))
        if chosen:
            from app.store.backup import describe

            self.ask_restore(describe(Path(chosen), self.session.node_info.id))

    def ask_restore(self, info: BackupInfo) -> None:
        """Explain a backup of another node; ask before replacing the data with any other."""
        if not self.may_restore or self.progress_dialog is not None:
            return
        if info.other_node:
            vi, en = foreign_messages(info)
            self.message.error(en if language() == "en" else vi)
            return
        when = local_time(info.made_at)
        self.restore_box = confirm(
            self, name="restoreBackupBox", title=self.tr("Khôi phục bản sao lưu"),
            text=self.tr("Khôi phục dữ liệu về bản sao lưu lúc {when}?").format(when=when),
            info=self.tr("Dữ liệu hiện tại được sao lưu trước (lý do «Trước khi khôi phục»), rồi được thay bằng bản "
                         "này: những gì ghi sau {when} sẽ không còn trong dữ liệu đang dùng, nhưng vẫn nằm trong bản "
                         "sao lưu vừa tạo. Nhật ký giữ lại mọi mục và ghi lần khôi phục này. Cửa sổ được dựng lại "
                         "sau khi khôi phục: hãy lưu những gì đang nhập dở trước.").format(when=when),
            yes=self.tr("Khôi phục"), no=self.tr("Không khôi phục"),
            answered=lambda yes: self._restore(info) if yes else None)

    def _restore(self, info: BackupInfo) -> None:
        self.restore_box = None
        self.message.clear_message()
        progress = self._start_progress(self.tr("Đang khôi phục…"))
        backups, report = self.session.backups, self._reporter(progress)
        tasks.run_in_background(lambda: backups.restore(info.path, progress=report),
                                on_done=lambda before: self._restored(info, before), on_error=self._failed,
                                owner=self)

    def _restored(self, info: BackupInfo, before: Path) -> None:
        self._finish_progress()
        text = self.tr("Đã khôi phục bản sao lưu lúc {when}. Dữ liệu trước đó được giữ trong bản sao lưu {file}.").format(
            when=local_time(info.made_at), file=Path(before).name)
        self.message.success(text)
        self.refresh()
        self.restored.emit(text)

    # --- automatic backups' hours ---------------------------------------------------------------------
    def save_every(self) -> None:
        backups, hours = self.session.backups, self.every_spin.value()
        tasks.run_in_background(lambda: backups.set_every_hours(hours),
                                on_done=lambda kept: self.message.success(
                                    self.tr("Đã lưu: sao lưu tự động cách nhau ít nhất {hours} giờ.").format(
                                        hours=f"{kept:g}")),
                                on_error=self._failed, owner=self)
