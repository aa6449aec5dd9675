"""The Reports page: choose a report, its period and format; write the free-text parts; preview; save.

Everything is done by the core (`app.reports`): this page gathers the choices,
runs the build on the background worker with a progress dialog that can be
cancelled, and shows what came out. The dialog shows the core's own steps
("Đang lập bảng 3/9: theo nhóm tuổi…"); Cancel stops the core at its next step.
The core writes the file under a temporary name and renames it into place only
when the build finished, then audits it: a cancelled save leaves no file, keeps
an earlier one as it was, and is not audited. A report that has both a PDF and an
Excel form offers "PDF và Excel": one build, the two files side by side (the save
dialog names the PDF; the .xlsx takes the same name beside it).

Hooks for the main window: `save()` (Ctrl+S saves the free-text parts),
`has_unsaved_texts()`, `last_saved` (the path of the last saved report).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from app import reports as report_core
from app.errors import BinhAnError
from app.reports import submission
from app.reports.texts import SETTINGS, TEXT_SECTIONS
from app.targets import Period
from ui import tasks
from ui.i18n import error_text, language
from ui.qt import (
    QCheckBox,
    QColor,
    QComboBox,
    QDesktopServices,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    Qt,
    QTabWidget,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QUrl,
    QVBoxLayout,
    QWidget,
    qt_object_alive,
)
from ui.reports import work
from ui.reports.preview import PreviewPane
from ui.widgets.confirm import confirm
from ui.widgets.files import FileDialogs, home_folder
from ui.widgets.message import MessageLine
from ui.widgets.progress import Cancelled, Progress, ProgressDialog

log = logging.getLogger(__name__)

#: Kinds that print one case or one person's data (officer only, marked restricted sensitive personal data).
PER_CASE = ("case_file", "person_file")
#: The file name offered when saving, before the period and the extension.
FILE_STEMS = {"annual": "bao-cao-ket-qua", "statistics": "thong-ke-vu-viec", "activities": "tong-hop-hoat-dong",
              "register": "so-dang-ky-vu-viec", "case_data": "du-lieu-vu-viec", "case_file": "ho-so-vu-viec",
              "person_file": "thong-tin-ca-nhan"}
REPORT_SUFFIXES = (".pdf", ".xlsx", ".docx")
#: The format combo's entry for a report that has both: the PDF and the Excel file side by side, from one build.
PDF_AND_EXCEL = "pdf+xlsx"
#: How a word that names or reaches a person is marked in a written part: dark text on amber, underlined in red
#: (seen without colour too), until the part is edited.
HIT_BACKGROUND = "#ffc94d"
HIT_UNDERLINE = "#b3261e"


def _qt_position(text: str, index: int) -> int:
    """A Python string position in `text` as a position in a Qt document (counted in UTF-16 units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _scrolled(widget: QWidget) -> QScrollArea:
    """A tab's content in its own scroll area, so a small screen scrolls it instead of squeezing it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class ReportsPage(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setObjectName("reportsPage")
        self.session = session
        self.files = FileDialogs()
        self.progress_dialog: ProgressDialog | None = None
        self.last_saved: Path | None = None
        self.replace_box: QMessageBox | None = None  # open while asking to replace the file saved beside
        self._last_folder = home_folder()
        self._texts_period: Period | None = None
        self._texts_dirty = False
        self._loading_texts = False
        self._settings_dirty = False
        lang = language()

        # --- the choice ---------------------------------------------------------------------------
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("reportKind")
        kinds = [("annual", self.tr("Báo cáo kết quả thực hiện kế hoạch năm")),
                 ("statistics", self.tr("Thống kê vụ việc (Excel)")),
                 ("activities", self.tr("Tổng hợp hoạt động")),
                 ("register", self.tr("Sổ đăng ký vụ việc (đã ẩn danh)"))]
        if session.node_info.kind not in ("district", "province"):  # a commune's report: its DV acts stay home
            kinds.append(("dv_statistics", self.tr("Thông tin về phòng, chống bạo lực gia đình (ngành văn hóa)")))
        if session.can("case.read"):  # per-case rows: a restricted working document of its own (issue 16)
            kinds.append(("case_data", self.tr("Dữ liệu vụ việc (hạn chế tiếp cận, Excel)")))
        # A district or province holds no identity: the officer's files are printed where the case was taken.
        if session.can("report.case_file") and session.node_info.kind not in ("district", "province"):
            kinds += [("case_file", self.tr("Hồ sơ một vụ việc (hạn chế tiếp cận)")),
                      ("person_file", self.tr("Thông tin đang lưu về một người (hạn chế tiếp cận)"))]
        for kind, label in kinds:
            self.kind_combo.addItem(label, kind)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_combo.setMinimumContentsLength(18)
        widest = max(self.kind_combo.fontMetrics().horizontalAdvance(label) for _, label in kinds)
        self.kind_combo.view().setMinimumWidth(widest + 40)

        today = date.today()
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("reportYear")
        self.year_spin.setRange(2000, today.year + 1)
        # Early in the year the report still to write is last year's.
        self.year_spin.setValue(today.year if today.month >= 3 else today.year - 1)
        self.year_spin.setAccelerated(True)

        self.period_combo = QComboBox()
        self.period_combo.setObjectName("reportPeriod")
        for part, label in ((None, self.tr("Cả năm")), ("H1", self.tr("6 tháng đầu năm")),
                            ("H2", self.tr("6 tháng cuối năm")), ("Q1", self.tr("Quý I")), ("Q2", self.tr("Quý II")),
                            ("Q3", self.tr("Quý III")), ("Q4", self.tr("Quý IV"))):
            self.period_combo.addItem(label, part)

        self.format_combo = QComboBox()
        self.format_combo.setObjectName("reportFormat")

        self.case_edit = QLineEdit()
        self.case_edit.setObjectName("reportCases")
        self.case_label = QLabel()
        # In place of the free-text tabs for the files that hold identities.
        self.case_note = QLabel(self.tr(
            "Tệp này có thông tin nhận dạng, được đánh dấu «Hạn chế tiếp cận – dữ liệu cá nhân nhạy cảm» và chỉ dành cho cán bộ phụ trách. Mỗi lần in được ghi "
            "vào nhật ký. Không gửi tệp qua thư điện tử hay mạng xã hội; cất bản in ở nơi có khóa."))
        self.case_note.setObjectName("caseFileNote")
        self.case_note.setWordWrap(True)
        self.case_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.case_note.setStyleSheet("color: #5a1d12; padding: 4px;")

        choice = QGroupBox(self.tr("Chọn báo cáo"))
        form = QFormLayout(choice)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Báo cáo:"), self.kind_combo)
        self.year_label = QLabel(self.tr("Năm:"))
        form.addRow(self.year_label, self.year_spin)
        self.period_label = QLabel(self.tr("Kỳ báo cáo:"))
        form.addRow(self.period_label, self.period_combo)
        form.addRow(self.tr("Định dạng:"), self.format_combo)
        form.addRow(self.case_label, self.case_edit)
        # At a province: the tables by commune by the new communes of the 2025 arrangement (earlier years).
        self.new_communes_check = QCheckBox(self.tr("Bảng theo xã: gộp theo xã mới (2025)"))
        self.new_communes_check.setObjectName("reportByNewCommune")
        self.new_communes_check.setToolTip(self.tr(
            "Không chọn: mỗi xã cũ một dòng, như khi ghi số liệu. Chọn: số liệu các xã cũ được cộng vào xã mới mà "
            "chúng hợp thành (theo việc gộp đơn vị và danh mục xã của tỉnh)."))
        self.new_communes_check.setAccessibleDescription(self.new_communes_check.toolTip())
        form.addRow("", self.new_communes_check)
        self._holds_communes = session.node_info.kind in ("district", "province")
        self.choice_form = form

        # --- the officer's texts and the header settings ------------------------------------------------
        self.text_edits: dict[str, QPlainTextEdit] = {}
        texts_tab = QWidget()
        texts_layout = QVBoxLayout(texts_tab)
        self.texts_caption = QLabel()
        self.texts_caption.setObjectName("textsCaption")
        self.texts_caption.setWordWrap(True)
        texts_layout.addWidget(self.texts_caption)
        for section, labels in TEXT_SECTIONS.items():
            caption = QLabel(labels[1] if lang == "en" else labels[0])
            caption.setStyleSheet("font-weight: 600;")
            edit = QPlainTextEdit()
            edit.setObjectName(f"text_{section}")
            edit.setTabChangesFocus(True)
            # About six lines each: all four parts fit a laptop screen, and each box scrolls on its own.
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 6 + 12)
            edit.textChanged.connect(self._texts_changed)
            edit.textChanged.connect(lambda edit=edit: self._clear_hits(edit))
            caption.setBuddy(edit)
            texts_layout.addWidget(caption)
            texts_layout.addWidget(edit)
            self.text_edits[section] = edit
        self.save_texts_button = QPushButton(self.tr("Lưu phần tự viết"))
        self.save_texts_button.setObjectName("saveTexts")
        self.save_texts_button.clicked.connect(self.save_texts)
        self.texts_state = QLabel()
        self.texts_state.setObjectName("textsState")
        self.texts_scroll: QScrollArea | None = None
        row = QHBoxLayout()
        row.addWidget(self.texts_state, 1)
        row.addWidget(self.save_texts_button)
        texts_layout.addLayout(row)
        texts_layout.addStretch(1)

        self.setting_edits: dict[str, QPlainTextEdit | QLineEdit] = {}
        settings_tab = QWidget()
        settings_layout = QVBoxLayout(settings_tab)
        self.receiving_label = QLabel()
        self.receiving_label.setObjectName("receivingBody")
        self.receiving_label.setWordWrap(True)
        settings_layout.addWidget(self.receiving_label)
        settings_form = QFormLayout()
        settings_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        settings_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, labels in SETTINGS.items():
            setting: QPlainTextEdit | QLineEdit
            if name == "recipients":
                lines = QPlainTextEdit()
                lines.setPlaceholderText(self.tr("Mỗi dòng một nơi nhận"))
                lines.setMinimumHeight(60)
                lines.setTabChangesFocus(True)
                lines.textChanged.connect(self._settings_changed)
                setting = lines
            else:
                line = QLineEdit()
                line.textEdited.connect(self._settings_changed)
                setting = line
            setting.setObjectName(f"setting_{name}")
            settings_form.addRow((labels[1] if lang == "en" else labels[0]) + ":", setting)
            self.setting_edits[name] = setting
        settings_layout.addLayout(settings_form)
        self.save_settings_button = QPushButton(self.tr("Lưu tiêu đề và chữ ký"))
        self.save_settings_button.setObjectName("saveSettings")
        self.save_settings_button.clicked.connect(self.save_settings)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_settings_button)
        settings_layout.addLayout(row)
        settings_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.texts_scroll = _scrolled(texts_tab)
        self.tabs.addTab(self.texts_scroll, self.tr("Phần tự viết"))
        self.tabs.addTab(_scrolled(settings_tab), self.tr("Tiêu đề, chữ ký"))

        # --- actions -------------------------------------------------------------------------------
        self.preview_button = QPushButton(self.tr("Xem trước"))
        self.preview_button.setObjectName("previewReport")
        self.preview_button.clicked.connect(self.preview)
        self.save_button = QPushButton(self.tr("Lưu báo cáo…"))
        self.save_button.setObjectName("saveReport")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_report)
        self.open_button = QPushButton(self.tr("Mở tệp"))
        self.open_button.setObjectName("openReport")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_saved)
        # Finalising the year's annual report (as on the Sync page), here where its written parts are: a word in
        # them that names or reaches a person stops it and is highlighted where it is.
        self.finalise_button = QPushButton(self.tr("Hoàn tất báo cáo năm…"))
        self.finalise_button.setObjectName("finaliseAnnualReport")
        self.finalise_button.setToolTip(self.tr(
            "Kiểm tra phần tự viết, lập báo cáo năm, lưu lại và gửi lên cấp trên trong gói tiếp theo. Chỉ hoàn tất "
            "cho cả năm."))
        self.finalise_button.clicked.connect(self.ask_finalise)
        self.finalise_box: QMessageBox | None = None
        self._can_finalise = (session.can("report.finalise")
                              and session.node_info.kind in submission.SENDING_KINDS)
        self.message = MessageLine()

        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.finalise_button)
        buttons.addStretch(1)

        left = QWidget()
        left.setObjectName("reportChoices")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(choice)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.tabs, 1)
        left_layout.addWidget(self.case_note, 1)
        left.setMinimumWidth(380)

        self.preview_pane = PreviewPane()
        self.new_communes_check.toggled.connect(lambda _on: self.preview_pane.mark_stale())
        self.preview_pane.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("reportsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 600])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.year_spin.valueChanged.connect(self._period_changed)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.format_combo.currentIndexChanged.connect(lambda _i: self.preview_pane.mark_stale())
        self.case_edit.textChanged.connect(lambda _t: self.preview_pane.mark_stale())
        self._kind_changed()
        self.load_settings()
        self.load_texts()
        self._show_profile_in_force()

    # --- the choice ------------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind_combo.currentData()

    def current_period(self) -> Period | None:
        if self.current_kind() in PER_CASE:
            return None
        return Period.of(self.year_spin.value(), self.period_combo.currentData())

    def current_format(self) -> str:
        """"pdf", "xlsx", "docx", or PDF_AND_EXCEL for both."""
        return self.format_combo.currentData()

    def current_formats(self) -> list[str]:
        """The files the chosen format writes, the first being the one the save dialog names."""
        return self.current_format().split("+")

    def case_codes(self) -> list[str]:
        text = self.case_edit.text().replace(";", ",").replace("\n", ",")
        return [code.strip() for code in text.split(",") if code.strip()]

    def choose(self, kind: str, *, year: int | None = None, part: str | None = None, fmt: str | None = None) -> None:
        """Set the choice as a person would pick it (menus, tests)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        if year is not None:
            self.year_spin.setValue(year)
        if kind not in PER_CASE:
            self.period_combo.setCurrentIndex(self.period_combo.findData(part))
        if fmt is not None:
            self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def _kind_changed(self, _index: int | None = None) -> None:
        kind = self.current_kind()
        labels = {"pdf": self.tr("PDF (để in, gửi)"), "xlsx": self.tr("Excel (.xlsx)"),
                  "docx": self.tr("Word (.docx, để sửa trước khi ký)"), PDF_AND_EXCEL: self.tr("PDF và Excel")}
        chosen = self.format_combo.currentData()
        self.format_combo.blockSignals(True)
        self.format_combo.clear()
        formats = list(report_core.FORMATS[kind])
        if {"pdf", "xlsx"} <= set(formats):
            formats.append(PDF_AND_EXCEL)
        for fmt in formats:
            self.format_combo.addItem(labels[fmt], fmt)
        index = self.format_combo.findData(chosen)
        self.format_combo.setCurrentIndex(index if index >= 0 else 0)
        self.format_combo.blockSignals(False)
        self.format_combo.setEnabled(self.format_combo.count() > 1)

        per_case = kind in PER_CASE
        self.choice_form.setRowVisible(self.year_spin, not per_case)
        self.choice_form.setRowVisible(self.period_combo, not per_case)
        self.choice_form.setRowVisible(self.case_edit, per_case)
        self.choice_form.setRowVisible(self.new_communes_check,
                                       self._holds_communes and kind in work.BY_COMMUNE_KINDS)
        if kind == "case_file":
            self.case_label.setText(self.tr("Mã vụ việc:"))
            self.case_edit.setPlaceholderText(self.tr("ví dụ TN01-2025-00012"))
        elif kind == "person_file":
            self.case_label.setText(self.tr("Các vụ việc của người đó:"))
            self.case_edit.setPlaceholderText(self.tr("mã vụ việc, cách nhau bằng dấu phẩy"))
        # The free-text parts print in the annual report only.
        self.tabs.setTabEnabled(0, kind == "annual")
        self.tabs.setTabEnabled(1, kind not in PER_CASE)
        if kind != "annual" and kind not in PER_CASE:
            self.tabs.setCurrentIndex(1)
        elif kind == "annual":
            self.tabs.setCurrentIndex(0)
        self.tabs.setVisible(kind not in PER_CASE)
        self.case_note.setVisible(per_case)
        self._show_finalise()
        self.preview_pane.mark_stale()

    def _by_new_commune(self, kind: str) -> bool:
        return self._holds_communes and kind in work.BY_COMMUNE_KINDS and self.new_communes_check.isChecked()

    def _show_finalise(self) -> None:
        """The finalise button: for the annual report, where this person may finalise; usable for the whole year."""
        self.finalise_button.setVisible(self._can_finalise and self.current_kind() == "annual")
        self.finalise_button.setEnabled(self.period_combo.currentData() is None)

    def _period_changed(self, _value=None) -> None:
        self._show_finalise()
        self.preview_pane.mark_stale()
        self.load_texts()
        self._show_profile_in_force()

    def _show_profile_in_force(self) -> None:
        """The receiving body and plan of the version in force for the chosen period; said plainly when no plan
        of the province covers it (the national baseline then)."""
        from app.reference.periods import profile_for

        period = self.current_period() or Period.of(self.year_spin.value())
        profile = profile_for(self.session, period)
        lang = language()
        receiving = profile.recipient_for(self.session.node_info.kind, lang) if profile is not None else ""
        text = (self.tr("Nơi nhận chính (theo hồ sơ tỉnh): {body}").format(body=receiving) if receiving
                else self.tr("Chưa có hồ sơ tỉnh: hãy ghi nơi nhận vào ô «Nơi nhận (thêm)»."))
        notices = [en if lang == "en" else vi for _kind, vi, en in (profile.notices if profile else ())]
        self.receiving_label.setText("\n".join([text, *notices]))

    # --- free-text parts ---------------------------------------------------------------------------------
    def _texts_changed(self) -> None:
        if self._loading_texts:
            return
        self._texts_dirty = True
        self.texts_state.setText(self.tr("Có thay đổi chưa lưu"))
        self.preview_pane.mark_stale()

    def has_unsaved_texts(self) -> bool:
        return self._texts_dirty or self._settings_dirty

    def typed_texts(self) -> dict[str, str]:
        return {section: edit.toPlainText() for section, edit in self.text_edits.items()}

    def _texts_to_save(self) -> tuple[Period | None, dict[str, str] | None]:
        """The period the texts on screen belong to and the texts, if they changed since loading."""
        if not self._texts_dirty or self._texts_period is None:
            return self._texts_period, None
        return self._texts_period, self.typed_texts()

    def load_texts(self) -> None:
        """Show the texts kept for the chosen period (the ones on screen are kept first if changed)."""
        period = Period.of(self.year_spin.value(), self.period_combo.currentData())
        old_period, pending = self._texts_to_save()
        session = self.session

        def load() -> dict[str, str]:
            if pending is not None and old_period is not None:
                work.save_texts(session, old_period, pending)
            return report_core.report_texts(session, period)

        self._texts_dirty = False
        self._texts_period = period
        self.texts_caption.setText(self.tr("Phần do cán bộ viết cho báo cáo {period}; được lưu riêng cho từng kỳ.")
                                   .format(period=period.label(language())))
        def failed(error: BaseException) -> None:
            if pending is not None:
                # The old period's texts were not kept: they stay on screen, still theirs, still unsaved.
                self._texts_period, self._texts_dirty = old_period, True
                self.texts_state.setText(self.tr("Có thay đổi chưa lưu"))
            self._failed(error)

        tasks.run_in_background(load, on_done=lambda texts: self._show_texts(period, texts), on_error=failed,
                                owner=self)

    def _show_texts(self, period: Period, texts: dict[str, str]) -> None:
        if period != self._texts_period:
            return  # the person has moved to another period meanwhile
        self._loading_texts = True
        try:
            for section, edit in self.text_edits.items():
                edit.setPlainText(texts.get(section, ""))
        finally:
            self._loading_texts = False
        self._texts_dirty = False
        self.texts_state.setText("")

    def save_texts(self) -> None:
        period, pending = self._texts_period, self.typed_texts()
        if period is None:
            return
        session = self.session
        tasks.run_in_background(lambda: work.save_texts(session, period, pending),
                                on_done=lambda _r: self._texts_saved(period, pending), on_error=self._failed,
                                owner=self)

    def _texts_saved(self, period: Period | None, texts: dict[str, str]) -> None:
        if period == self._texts_period and texts == self.typed_texts():
            self._texts_dirty = False
            self.texts_state.setText(self.tr("Đã lưu"))

    def save(self) -> None:
        """Ctrl+S from the window: keep what was typed (texts and header settings)."""
        if self._texts_dirty:
            self.save_texts()
        if self._settings_dirty:
            self.save_settings()

    # --- header and signature --------------------------------------------------------------------------
    def _settings_changed(self, *_args) -> None:
        self._settings_dirty = True
        self.preview_pane.mark_stale()

    def load_settings(self) -> None:
        session = self.session
        tasks.run_in_background(lambda: report_core.report_settings(session), on_done=self._show_settings,
                                on_error=self._failed, owner=self)

    def _show_settings(self, values: dict) -> None:
        for name, edit in self.setting_edits.items():
            value = values.get(name)
            if isinstance(edit, QPlainTextEdit):
                edit.blockSignals(True)
                edit.setPlainText("\n".join(value or []))
                edit.blockSignals(False)
            else:
                edit.setText(value or "")
                edit.setCursorPosition(0)
        self._settings_dirty = False

    def typed_settings(self) -> dict:
        values: dict[str, str | list[str]] = {}
        for name, edit in self.setting_edits.items():
            if isinstance(edit, QPlainTextEdit):
                values[name] = [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]
            else:
                values[name] = edit.text().strip()
        return values

    def save_settings(self) -> None:
        values = self.typed_settings()
        session = self.session

        def saved(result: dict) -> None:
            self._show_settings(result)
            self.message.success(self.tr("Đã lưu tiêu đề, nơi nhận và chữ ký."))

        tasks.run_in_background(lambda: report_core.save_report_settings(session, **values), on_done=saved,
                                on_error=self._failed, owner=self)

    def _settings_to_save(self) -> dict | None:
        return self.typed_settings() if self._settings_dirty else None

    # --- preview ---------------------------------------------------------------------------------------
    def _steps(self) -> dict[str, str]:
        return {"build": self.tr("Đang tính số liệu từ cơ sở dữ liệu…"), "render": self.tr("Đang dựng các trang…")}

    def _start(self, text: str) -> Progress | None:
        if self.progress_dialog is not None and qt_object_alive(self.progress_dialog):
            return None  # one job at a time from this page
        progress = Progress()
        self.progress_dialog = ProgressDialog(progress, text, self, title=self.tr("Báo cáo"), steps=self._steps())
        self.progress_dialog.open()
        self._set_busy(True)
        return progress

    def _end(self) -> None:
        if self.progress_dialog is not None and qt_object_alive(self.progress_dialog):
            self.progress_dialog.finish()
        self.progress_dialog = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.preview_button, self.save_button, self.kind_combo):
            widget.setEnabled(not busy)
        if busy:
            self.finalise_button.setEnabled(False)
        else:
            self._show_finalise()

    def _check_cases(self) -> list[str] | None:
        """The case codes for the per-case kinds, or None (with a message) when none were typed."""
        if self.current_kind() not in PER_CASE:
            return []
        codes = self.case_codes()
        if not codes:
            self.message.error(self.tr("Hãy nhập mã vụ việc cần in."))
            self.case_edit.setFocus()
            return None
        if self.current_kind() == "case_file" and len(codes) != 1:
            self.message.error(self.tr("Hồ sơ vụ việc chỉ in cho một vụ việc: hãy nhập đúng một mã."))
            self.case_edit.setFocus()
            return None
        return codes

    def preview(self) -> None:
        codes = self._check_cases()
        if codes is None:
            return
        kind, period = self.current_kind(), self.current_period()
        texts_period, texts = self._texts_to_save()
        settings = self._settings_to_save()
        progress = self._start(self.tr("Đang chuẩn bị bản xem trước…"))
        if progress is None:
            return
        session, lang = self.session, language()
        by_new = self._by_new_commune(kind)

        def job():
            if settings is not None:
                report_core.save_report_settings(session, **settings)
            if texts is not None:
                work.save_texts(session, texts_period, texts)
            ids, missing = work.missing_cases(session, codes) if codes else (None, [])
            if missing:
                return missing
            return work.render_preview(session, kind, period, ids, progress, lang=lang, by_new_commune=by_new)

        def done(result) -> None:
            self._end()
            if texts is not None:
                self._texts_saved(texts_period, texts)
            if settings is not None:
                self._settings_dirty = False
            if progress.cancelled:
                self.message.say(self.tr("Đã dừng xem trước."))
                return
            if isinstance(result, list):
                self._say_missing(result)
                return
            self.message.clear_message()
            if result.images:
                self.preview_pane.show_pages(result.images, result.pages)
            elif not work.page_renderer_available() and "pdf" in report_core.FORMATS[kind]:
                self.preview_pane.show_text(result.text or "", self.tr(
                    "Máy này không dựng được trang PDF để xem trước, nên chỉ xem được nội dung dạng chữ."))
            else:
                self.preview_pane.show_text(result.text or "")
            self.preview_pane.add_note_line(result.disclosure)

        tasks.run_in_background(job, on_done=done, on_error=lambda error: self._job_failed(error, progress),
                                owner=self)

    def _say_missing(self, codes: list[str]) -> None:
        self.message.error(self.tr("Không tìm thấy vụ việc mã {codes} (hoặc bạn không được xem). Hãy kiểm tra lại "
                                   "mã.").format(codes=", ".join(codes)))

    # --- saving the report -------------------------------------------------------------------------------
    def suggested_name(self) -> str:
        kind, fmt = self.current_kind(), self.current_formats()[0]
        period = self.current_period()
        stem = FILE_STEMS[kind]
        if period is not None:
            stem += f"-{period.code}"
        elif self.case_codes():
            stem += f"-{self.case_codes()[0]}"
        return f"{stem}.{fmt}"

    def save_report(self) -> None:
        codes = self._check_cases()
        if codes is None:
            return
        kind, period, formats = self.current_kind(), self.current_period(), self.current_formats()
        fmt = formats[0]  # with PDF_AND_EXCEL the dialog names the PDF; the Excel file goes beside it
        filters = {"pdf": self.tr("Tệp PDF (*.pdf)"), "xlsx": self.tr("Bảng tính Excel (*.xlsx)"),
                   "docx": self.tr("Văn bản Word (*.docx)")}[fmt]
        chosen = self.files.save_file(self, self.tr("Lưu báo cáo"),
                                      str(Path(self._last_folder) / self.suggested_name()), filters)
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != f".{fmt}":
            target = (target.with_suffix("") if target.suffix.lower() in REPORT_SUFFIXES else target)
            target = target.with_name(f"{target.name}.{fmt}")
        targets = {name: target.with_suffix(f".{name}") for name in formats}
        self._last_folder = str(target.parent)
        # The dialog asked about replacing the file it named, not about the one saved beside it.
        beside = [path for path in targets.values() if path != target and path.exists()]
        if beside:
            self.ask_replace(beside[0], lambda: self._write(kind, period, codes, targets))
            return
        self._write(kind, period, codes, targets)

    def ask_replace(self, path: Path, write) -> QMessageBox:
        """Ask before the file saved beside the chosen one replaces an earlier file; `write()` on yes."""
        def answered(yes: bool) -> None:
            self.replace_box = None
            if yes:
                write()

        self.replace_box = confirm(
            self, name="replaceReportBox", title=self.tr("Lưu báo cáo"),
            text=self.tr("Thư mục này đã có tệp {name}. Thay bằng tệp mới?").format(name=path.name),
            info=self.tr("Tệp Excel được lưu cạnh tệp PDF, cùng tên."), yes=self.tr("Thay tệp"),
            no=self.tr("Không lưu"), answered=answered)
        return self.replace_box

    def _write(self, kind: str, period: Period | None, codes: list[str], targets: dict[str, Path]) -> None:
        """Build the report once and write it to each of `targets` ({format: path}) on the worker."""
        target = next(iter(targets.values()))
        texts_period, texts = self._texts_to_save()
        settings = self._settings_to_save()
        progress = self._start(self.tr("Đang lập báo cáo, xin chờ…"))
        if progress is None:
            return
        session = self.session
        by_new = self._by_new_commune(kind)

        def job():
            if settings is not None:
                report_core.save_report_settings(session, **settings)
            if texts is not None:
                work.save_texts(session, texts_period, texts)
            ids, missing = work.missing_cases(session, codes) if codes else (None, [])
            if missing:
                return missing  # a list of codes; the paths written come as a tuple
            # The core builds once, writes the files atomically, reports its steps to the dialog, stops (no
            # file, nothing audited) when the person pressed Cancel, and audits each file once all are in place.
            return work.export_to(session, kind, period, targets, ids, progress, by_new_commune=by_new)

        def done(result) -> None:
            if not qt_object_alive(self):
                return
            self._end()
            if texts is not None:
                self._texts_saved(texts_period, texts)
            if settings is not None:
                self._settings_dirty = False
            if isinstance(result, list):
                self._say_missing(result)
            else:
                # Saved, even if Cancel came too late to stop it: the files are there and audited.
                self.last_saved = result[0]  # "Mở tệp" opens the first (the PDF of the pair)
                self.open_button.setEnabled(True)
                if len(result) == 1:
                    self.message.success(self.tr("Đã lưu báo cáo vào {path}").format(path=result[0]))
                else:
                    self.message.success(self.tr("Đã lưu báo cáo vào hai tệp: {first} và {second}")
                                         .format(first=result[0], second=result[1]))

        def failed(error: BaseException) -> None:
            if not qt_object_alive(self):
                return
            if isinstance(error, report_core.Cancelled | Cancelled) or progress.cancelled:
                self._end()
                self.message.say(error_text(report_core.Cancelled()))  # the core's words: no file was written
            elif isinstance(error, OSError) and not isinstance(error, BinhAnError):
                self._end()
                self.message.error(self.tr("Không ghi được tệp vào {folder}. Hãy chọn nơi lưu khác (ổ đĩa có thể đầy "
                                           "hoặc chỉ cho đọc).").format(folder=target.parent))
            else:
                self._job_failed(error, progress)

        tasks.run_in_background(job, on_done=done, on_error=failed, owner=self)

    def open_saved(self) -> None:
        """Open the last saved report in the system's viewer (PDF reader, Excel, Word)."""
        if self.last_saved is None:
            return
        if not self.last_saved.exists():
            self.message.error(self.tr("Không còn tệp {path}: có thể đã bị xóa hoặc chuyển đi.")
                               .format(path=self.last_saved))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_saved))):
            self.message.error(self.tr("Máy này không có chương trình mở được tệp này. Tệp ở: {path}")
                               .format(path=self.last_saved))

    # --- finalising the annual report --------------------------------------------------------------------------
    def ask_finalise(self) -> QMessageBox | None:
        """Ask before finalising: the report goes to the parent and cannot be called back, only replaced."""
        if self.progress_dialog is not None and qt_object_alive(self.progress_dialog):
            return None
        year = self.year_spin.value()

        def answered(yes: bool) -> None:
            self.finalise_box = None
            if yes:
                self.finalise(year)

        self.finalise_box = confirm(
            self, name="finaliseReportBox", title=self.tr("Hoàn tất báo cáo năm"),
            text=self.tr("Hoàn tất và gửi báo cáo năm {year}?").format(year=year),
            info=self.tr("Phần tự viết được kiểm tra: không được có tên, địa chỉ, số điện thoại hay số giấy tờ của "
                         "ai. Báo cáo được lập từ số liệu hiện có, lưu lại và gửi lên cấp trên trong gói tiếp theo; "
                         "hoàn tất lại thì bản mới thay bản cũ."),
            yes=self.tr("Hoàn tất"), no=self.tr("Chưa"), answered=answered, icon=QMessageBox.Icon.Question)
        return self.finalise_box

    def finalise(self, year: int) -> None:
        """Check the written parts on screen, keep them, and finalise the year's annual report (on the worker)."""
        period = Period.of(year)
        if self._texts_period != period:
            return  # the texts on screen belong to another period (the button is off then)
        texts, dirty = self.typed_texts(), self._texts_dirty
        settings = self._settings_to_save()
        progress = self._start(self.tr("Đang lập và hoàn tất báo cáo năm {year}…").format(year=year))
        if progress is None:
            return
        session = self.session

        def job() -> dict:
            # The texts as on screen, so that what the core finds is where it is in the editors.
            submission.check_written_parts(session, texts)
            if settings is not None:
                report_core.save_report_settings(session, **settings)
            if dirty:
                work.save_texts(session, period, texts)
            progress.update(text="build")
            return submission.finalise(session, year, progress=work.report_progress(progress))

        def done(made: dict) -> None:
            if not qt_object_alive(self):
                return
            self._end()
            if dirty:
                self._texts_saved(period, texts)
            if settings is not None:
                self._settings_dirty = False
            text = self.tr("Đã hoàn tất báo cáo năm {year}; báo cáo sẽ đi trong gói gửi lên tiếp theo.").format(
                year=made["year"])
            if made["rev"] > 1:
                text += " " + self.tr("Bản này thay bản hoàn tất trước (lần {rev}).").format(rev=made["rev"])
            self.message.success(text)

        def failed(error: BaseException) -> None:
            if not qt_object_alive(self):
                return
            if isinstance(error, submission.IdentityInText):
                self._end()
                self.message.error(error_text(error))  # the core's words: which part, which words
                self.show_hits(error, texts)
            else:
                self._job_failed(error, progress)

        tasks.run_in_background(job, on_done=done, on_error=failed, owner=self)

    def show_hits(self, error: submission.IdentityInText, checked: dict[str, str]) -> None:
        """Highlight the words the core found (`error.spans`, places in the `checked` texts) in the written parts
        still showing those texts; put the cursor on the first and scroll to it."""
        first: tuple[QPlainTextEdit, int] | None = None
        for section, places in error.spans.items():
            edit = self.text_edits.get(section)
            if edit is None:
                continue
            text = edit.toPlainText()
            if text != checked.get(section):
                continue  # edited meanwhile: the places no longer point at the words
            selections = []
            for start, end in places:
                mark = QTextEdit.ExtraSelection()
                cursor = QTextCursor(edit.document())
                cursor.setPosition(_qt_position(text, start))
                cursor.setPosition(_qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
                mark.cursor = cursor
                look = QTextCharFormat()
                look.setBackground(QColor(HIT_BACKGROUND))
                look.setForeground(QColor("#000000"))
                look.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                look.setUnderlineColor(QColor(HIT_UNDERLINE))
                mark.format = look
                selections.append(mark)
            edit.setExtraSelections(selections)
            words = ", ".join(f"«{w}»" for w in error.hits.get(section, []))
            said = self.tr("Cần bỏ: {words}").format(words=words)
            edit.setToolTip(said)
            edit.setAccessibleDescription(said)
            if first is None and places:
                first = (edit, _qt_position(text, places[0][0]))
        if first is None:
            return
        edit, position = first
        self.tabs.setCurrentIndex(0)
        cursor = edit.textCursor()
        cursor.setPosition(position)
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()
        if self.texts_scroll is not None:
            self.texts_scroll.ensureWidgetVisible(edit)
        edit.setFocus()

    def _clear_hits(self, edit: QPlainTextEdit) -> None:
        """Editing a written part takes its highlight away (the words may be gone; finalising checks again)."""
        if edit.extraSelections():
            edit.setExtraSelections([])
            edit.setToolTip("")
            edit.setAccessibleDescription("")

    # --- failures ------------------------------------------------------------------------------------------
    def _job_failed(self, error: BaseException, progress: Progress) -> None:
        self._end()
        if isinstance(error, Cancelled) or progress.cancelled:
            self.message.say(self.tr("Đã hủy. Báo cáo chưa được lưu, không có tệp nào được ghi."))
            return
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, BinhAnError):
            log.error("reports page: %s", type(error).__name__)
        self.message.error(error_text(error))
