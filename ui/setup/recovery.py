"""Showing a recovery key once: the key in large type, the sheet printed or saved as PDF, and the promise it was kept.

Used by the set-up wizard and by Settings ("Tạo mã khôi phục mới"). The key is
never written anywhere by the window except the PDF a person asks for.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from ui import tasks
from ui.i18n import error_text, language
from ui.qt import (QCheckBox, QDialog, QFileDialog, QFont, QFontDatabase, QFrame, QHBoxLayout, QLabel, QPageLayout,
                   QPageSize, QPrintDialog, QPrinter, QPushButton, Qt, QTextDocument, QVBoxLayout, QWidget, Signal)
from ui.setup.recovery_sheet import SheetFacts, key_lines, sheet_html, write_recovery_sheet

log = logging.getLogger(__name__)


def choose_printer(parent) -> QPrinter | None:
    """The system's print dialog on an A4 printer; None when the person cancels. Tests replace it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_recovery_sheet(printer: QPrinter, facts: SheetFacts) -> None:
    """Print the sheet on `printer`: drawn from memory, no file with the key on the way."""
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    document = QTextDocument()
    document.setHtml(sheet_html(facts))
    document.print_(printer)
    document.clear()


def sheet_file_name(node_code: str) -> str:
    safe = "".join(c for c in node_code if c.isalnum() or c in "-_") or "don-vi"
    return f"to-khoi-phuc-{safe}.pdf"


class RecoveryKeyPanel(QWidget):
    """The key, the button that saves the PDF sheet, and the checkbox without which nothing goes on."""

    confirmed_changed = Signal(bool)

    def __init__(self, recovery_key: str, node_info, node_kind_label: str, parent=None):
        super().__init__(parent)
        self._key = recovery_key
        self._info = node_info
        self._kind_label = node_kind_label
        self.saved_path: Path | None = None

        intro = QLabel(self.tr(
            "Đây là mã khôi phục của đơn vị. Khi quên mật khẩu quản trị viên hoặc máy tính hỏng, chỉ mã "
            "này mở lại được dữ liệu. Mã chỉ hiện một lần này: hãy in tờ khôi phục (hoặc lưu PDF rồi in), "
            "hoặc chép tay cẩn thận, và cất ở nơi an toàn, để riêng với máy tính."))
        intro.setWordWrap(True)

        self.key_label = QLabel("\n".join(key_lines(recovery_key)))
        self.key_label.setObjectName("recoveryKey")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(18.0, font.pointSizeF() * 1.8))
        font.setWeight(QFont.Weight.Bold)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                               | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.key_label.setFrameShape(QFrame.Shape.Box)
        self.key_label.setContentsMargins(16, 12, 16, 12)
        self.key_label.setStyleSheet("QLabel#recoveryKey { background: #fffdf3; border: 2px solid #6b5900; }")

        self.save_button = QPushButton(self.tr("Lưu tờ khôi phục (PDF)…"))
        self.save_button.setObjectName("saveRecoverySheet")
        self.save_button.clicked.connect(self.choose_and_save)
        # Enter belongs to the dialog's own button (Finish, Close), which waits for the checkbox.
        self.save_button.setAutoDefault(False)
        self.print_button = QPushButton(self.tr("In tờ khôi phục…"))
        self.print_button.setObjectName("printRecoverySheet")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_sheet)
        #: Asks for a printer (None: cancelled); tests put a PDF printer here.
        self.choose_printer = choose_printer
        self.saved_label = QLabel()
        self.saved_label.setObjectName("recoverySheetSaved")
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_label.hide()
        save_row = QHBoxLayout()
        save_row.addWidget(self.print_button)
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)

        self.confirm_box = QCheckBox(self.tr("Tôi đã in hoặc lưu mã khôi phục ở nơi an toàn"))
        self.confirm_box.setObjectName("recoveryConfirmed")
        self.confirm_box.toggled.connect(self.confirmed_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.key_label)
        layout.addSpacing(8)
        layout.addLayout(save_row)
        layout.addWidget(self.saved_label)
        layout.addStretch(1)
        layout.addWidget(self.confirm_box)

    @property
    def confirmed(self) -> bool:
        return self.confirm_box.isChecked()

    def _facts(self) -> SheetFacts:
        return SheetFacts(self._info.name, self._info.code, self._kind_label, self._key, date.today())

    def print_sheet(self) -> bool:
        """Ask for a printer and print the sheet there; True when it was sent."""
        printer = self.choose_printer(self)
        if printer is None:
            return False
        print_recovery_sheet(printer, self._facts())
        self.saved_label.setStyleSheet("")
        self.saved_label.setText(self.tr("Đã gửi tờ khôi phục tới máy in. Hãy lấy tờ in ngay, ký tên và cất vào "
                                         "phong bì dán kín."))
        self.saved_label.show()
        return True

    def choose_and_save(self) -> None:
        start = str(Path.home() / sheet_file_name(self._info.code))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu tờ khôi phục"), start,
                                              self.tr("Tệp PDF (*.pdf)"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_sheet(Path(path))

    def save_sheet(self, path: Path) -> None:
        """Write the PDF sheet to `path` off the GUI thread, then say where it is."""
        facts = self._facts()
        self.save_button.setEnabled(False)
        tasks.run_in_background(lambda: write_recovery_sheet(path, facts),
                                on_done=self._saved, on_error=self._save_failed, owner=self)

    def _saved(self, path: Path) -> None:
        self.saved_path = path
        self.save_button.setEnabled(True)
        self.saved_label.setStyleSheet("")
        self.saved_label.setText(self.tr("Đã lưu tờ khôi phục vào {path}. Hãy in ra, rồi xóa tệp này khỏi máy."
                                         ).format(path=path))
        self.saved_label.show()

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, OSError):
            text = self.tr("Không lưu được tệp: {reason}. Hãy chọn thư mục khác.").format(
                reason=error.strerror or type(error).__name__)
        else:
            log.error("recovery sheet failed: %s", type(error).__name__)
            text = error_text(error)
        self.saved_label.setStyleSheet("color: #b00020;")
        self.saved_label.setText(text)
        self.saved_label.show()


class RecoveryKeyDialog(QDialog):
    """A new recovery key made from Settings: shown once; Close waits for the checkbox."""

    def __init__(self, recovery_key: str, node_info, node_kind_label: str, parent=None):
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Mã khôi phục mới"))
        self.setMinimumWidth(620)
        self.panel = RecoveryKeyPanel(recovery_key, node_info, node_kind_label)
        note = QLabel(self.tr("Mã khôi phục cũ đã hết hiệu lực. Hãy hủy tờ khôi phục cũ."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5300;")
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setObjectName("closeRecoveryKey")
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        self.panel.confirmed_changed.connect(self.close_button.setEnabled)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.panel, 1)
        layout.addLayout(row)

    def reject(self) -> None:
        # Esc or the window's close box: only once the person says the key is kept.
        if self.panel.confirmed:
            super().reject()


def node_kind_label(reference, kind: str) -> str:
    return reference["node_kind"].label(kind, language())
