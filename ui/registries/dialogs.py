"""Small forms for the registers: a model, its change of status, a school, a service provider.

Like the case and activity forms they decide nothing: they gather what was
typed into the dict the core's `save_*` takes and show its answer, each
message beside the field its path names ("model.name", "provider.phone").
A record carries its id, so pressing Save twice never makes two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.errors import BinhAnError, ValidationFailed
from ui import tasks
from ui.cases.form_widgets import (FORM_STYLE, CheckField, ChoiceCombo, DateField, FieldBox, FormButton, FormField,
                                   NoteField, TextField, code_combo)
from ui.i18n import error_text, format_date, language, translate
from ui.qt import QAction, QDialog, QFormLayout, QHBoxLayout, QKeySequence, QLabel, Qt, QVBoxLayout, Signal

log = logging.getLogger(__name__)

BANNER_STYLES = {
    "error": "background: #fdecea; color: #8b0000; border: 1px solid #e3a7a1;",
    "notice": "background: #eef3fb; color: #1f3b63; border: 1px solid #b3c6e6;",
}


class RecordDialog(QDialog):
    """One register record: fields by the core's paths, Save (Ctrl+S), Close (Esc).

    Subclasses add their fields with `add_field(path, label, widget)` and say in
    `values()` what the core gets; `save_call(data)` is the core's save.
    """

    #: The record was saved; carries what the core stored.
    saved = Signal(object)

    def __init__(self, session, title: str, save_call: Callable[[dict], dict], record: dict | None = None,
                 parent=None):
        super().__init__(parent)
        self.session = session
        self.lang = language()
        self.record = record
        self._save_call = save_call
        self._saving = False
        self.boxes: dict[str, FieldBox] = {}
        self.setStyleSheet(FORM_STYLE)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)

        heading = QLabel(title)
        heading.setObjectName("recordDialogTitle")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("recordDialogBanner")
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(8, 6, 8, 6)
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(8)

        self.save_button = FormButton(self.tr("Lưu (Ctrl+S)"))
        self.save_button.setObjectName("saveRecord")
        self.save_button.clicked.connect(self.save)
        self.close_button = FormButton(self.tr("Đóng (Esc)"))
        self.close_button.setObjectName("closeRecord")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.save_action = QAction(self.tr("Lưu"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.finished.connect(self.deleteLater)

    def add_field(self, path: str, label: str, field: FormField) -> FormField:
        field.setObjectName(path.replace(".", "_"))
        box = FieldBox(field)
        self.boxes[path] = box
        caption = QLabel(label)
        caption.setWordWrap(True)
        caption.setBuddy(field)
        self.form.addRow(caption, box)
        return field

    def field(self, path: str):
        return self.boxes[path].field

    def values(self) -> dict:
        """The record as typed, for the core to check: each dialog (model, status, school, provider) defines it."""
        raise NotImplementedError("each record dialog gathers its own fields")

    def collect(self) -> dict:
        data = self.values()
        if self.record is not None:
            data["id"] = self.record["id"]
            data["rev"] = self.record["rev"]
            data["origin"] = self.record["origin"]
        return data

    def save(self) -> None:
        if self._saving:
            return
        data = self.collect()
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_action.setEnabled(False)
        call = self._save_call
        tasks.run_in_background(lambda: call(data), on_done=self._saved, on_error=self._failed, owner=self)

    def _saved(self, record: dict) -> None:
        self._saving = False
        self.record = record
        self.saved.emit(record)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.save_action.setEnabled(True)
        for box in self.boxes.values():
            box.clear_error()
        if isinstance(error, ValidationFailed):
            elsewhere: list[str] = []
            for problem in error.errors:
                problem_box = self.boxes.get(problem.path)
                if problem_box is None:
                    elsewhere.append(problem.message(self.lang))
                else:
                    problem_box.set_error(problem.message(self.lang))
            text = self.tr("Chưa lưu: có chỗ chưa hợp lệ, đã đánh dấu đỏ bên dưới.")
            if elsewhere:
                text += "\n" + "\n".join(f"• {m}" for m in elsewhere)
            self.show_banner("error", text)
            first = next((b for b in self.boxes.values() if b.error), None)
            if first is not None:
                first.field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if not isinstance(error, BinhAnError):
            log.error("saving a register record failed: %s", type(error).__name__)
        self.show_banner("error", error_text(error))

    def field_errors(self) -> dict[str, str]:
        return {path: box.error for path, box in self.boxes.items() if box.error}

    def show_banner(self, kind: str, text: str) -> None:
        self.banner.setStyleSheet(f"QLabel#recordDialogBanner {{ {BANNER_STYLES[kind]} border-radius: 4px; }}")
        self.banner.setText(text)
        self.banner.show()


class ModelDialog(RecordDialog):
    """A prevention model: kind, name, date established, notes (and its first status when new)."""

    def __init__(self, session, model: dict | None = None, parent=None):
        registries = session.registries
        title = translate("ModelDialog", "Sửa mô hình") if model else translate("ModelDialog", "Thêm mô hình")
        super().__init__(session, title, registries.save_model, model, parent)
        self.setObjectName("modelDialog")
        ref = session.reference
        self.add_field("model.kind", self.tr("Loại mô hình"), code_combo(ref["model_kind"], self.lang))
        self.add_field("model.name", self.tr("Tên mô hình"), TextField())
        self.add_field("model.established_on", self.tr("Ngày thành lập (dd/mm/yyyy)"), DateField())
        if model is None:
            self.add_field("model.status", self.tr("Tình trạng"), code_combo(ref["model_status"], self.lang))
            self.field("model.status").set_value("active")
        self.add_field("model.notes", self.tr("Ghi chú"), NoteField(lines=3))
        if model is not None:
            for key in ("kind", "name", "established_on", "notes"):
                self.field(f"model.{key}").set_value(model.get(key))
            hint = QLabel(self.tr("Đổi tình trạng bằng nút “Đổi tình trạng…” để lịch sử ghi lại ngày đổi."))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            self.form.addRow(hint)
        self.field("model.kind").setFocus()

    def values(self) -> dict:
        data = {key: self.field(f"model.{key}").value() for key in ("kind", "name", "established_on", "notes")}
        if "model.status" in self.boxes:  # a new model: its status is chosen here
            data["status"] = self.field("model.status").value()
        elif self.record is not None:  # a stored one keeps its own (changed with its own dialog)
            data["status"] = self.record["status"]
        return data


class StatusDialog(RecordDialog):
    """A model's change of status, with the date it happened (default today); the history keeps every change."""

    def __init__(self, session, model: dict, parent=None):
        registries = session.registries
        title = translate("StatusDialog", "Đổi tình trạng: {name}").format(name=model["name"])
        super().__init__(session, title, registries.save_model, model, parent)
        self.setObjectName("statusDialog")
        ref = session.reference
        current = ref["model_status"].label(model["status"], self.lang)
        since = format_date(model["history"][-1]["on"]) if model["history"] else ""
        now = QLabel(self.tr("Hiện nay: {status} (từ {day})").format(status=current, day=since) if since
                     else self.tr("Hiện nay: {status}").format(status=current))
        self.form.addRow(now)
        self.add_field("model.status", self.tr("Tình trạng mới"),
                       ChoiceCombo((o.code, o.label(self.lang), None) for o in ref["model_status"]
                                   if o.code != model["status"]))
        self.add_field("model.status_on", self.tr("Từ ngày (dd/mm/yyyy)"), DateField())
        self.field("model.status_on").set_value(registries.today().isoformat())
        self.field("model.status").setFocus()

    def values(self) -> dict:
        model = self.record
        if model is None:  # the dialog is opened on a stored model only
            raise RuntimeError("a change of status needs its model")
        data = {key: model.get(key) for key in ("kind", "name", "established_on", "notes")}
        data["status"] = self.field("model.status").value()
        data["status_on"] = self.field("model.status_on").value()
        if data["status"] is None:
            data["status"] = ""  # the core names the missing choice
        return data


class SchoolDialog(RecordDialog):
    """A school: name, level, notes. Its yearly marks are ticked in the list."""

    def __init__(self, session, school: dict | None = None, parent=None):
        title = translate("SchoolDialog", "Sửa trường") if school else translate("SchoolDialog", "Thêm trường")
        super().__init__(session, title, session.registries.save_school, school, parent)
        self.setObjectName("schoolDialog")
        ref = session.reference
        self.add_field("school.name", self.tr("Tên trường"), TextField())
        self.add_field("school.level", self.tr("Cấp học"), code_combo(ref["school_level"], self.lang))
        self.add_field("school.notes", self.tr("Ghi chú"), NoteField(lines=3))
        if school is not None:
            for key in ("name", "level", "notes"):
                self.field(f"school.{key}").set_value(school.get(key))
        self.field("school.name").setFocus()

    def values(self) -> dict:
        return {key: self.field(f"school.{key}").value() for key in ("name", "level", "notes")}


class ProviderDialog(RecordDialog):
    """A service provider or hotline: kind, name, phone, address, whether it is a hotline, notes."""

    def __init__(self, session, provider: dict | None = None, parent=None):
        title = (translate("ProviderDialog", "Sửa cơ quan cung cấp dịch vụ") if provider
                 else translate("ProviderDialog", "Thêm cơ quan cung cấp dịch vụ"))
        super().__init__(session, title, session.registries.save_provider, provider, parent)
        self.setObjectName("providerDialog")
        ref = session.reference
        self.add_field("provider.kind", self.tr("Loại cơ quan"), code_combo(ref["provider_kind"], self.lang))
        self.add_field("provider.name", self.tr("Tên cơ quan"), TextField())
        self.add_field("provider.phone", self.tr("Số điện thoại"), TextField(max_width=260))
        self.add_field("provider.hotline", self.tr("Đường dây nóng"), CheckField(self.tr("Là đường dây nóng")))
        self.add_field("provider.address", self.tr("Địa chỉ"), TextField())
        self.add_field("provider.notes", self.tr("Ghi chú"), NoteField(lines=3))
        if provider is not None:
            for key in ("kind", "name", "phone", "hotline", "address", "notes"):
                self.field(f"provider.{key}").set_value(provider.get(key))
        self.field("provider.kind").setFocus()

    def values(self) -> dict:
        return {key: self.field(f"provider.{key}").value()
                for key in ("kind", "name", "phone", "hotline", "address", "notes")}


__all__ = ["ModelDialog", "ProviderDialog", "RecordDialog", "SchoolDialog", "StatusDialog"]
