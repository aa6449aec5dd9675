"""The activity form: one activity of any kind, saved whole through the core.

The form decides nothing about what is valid or who may do what. It gathers
what was typed into the dict `ActivityService.save()` takes and shows the
core's answer: each `FieldError` beside the field its path names
("participants.female"), a conflict or a refusal in the banner at the top.

A new activity gets its id when the form opens, so however often Save is
pressed (twice in a hurry included) there is one activity. Files are kept with
the activity inside the encrypted database: added or removed at once for a
stored activity, and for a new one right after its first save. Opening a file
needs the right to see identities (photos and sign-in sheets show people); the
core enforces it and logs every opening.

Keyboard: Tab follows the visual order; Ctrl+S saves; Esc closes (asking first
when something is unsaved); F8 / Shift+F8 go to the next / previous field the
core found fault with; the arrow keys cross the target groups, one Tab leaves them.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from app.activities import LABELS
from app.activities.calendar import campaign_flags
from app.errors import BinhAnError, ValidationFailed
from app.forms import load_form
from app.records import new_id
from app.validation import parse_date
from ui import style, tasks, text_size
from ui.activities.list_model import CAMPAIGN_FLAGS, campaign_mark
from ui.cases.form_widgets import FORM_STYLE, ChoiceCombo, DateField, FieldBox, FormButton, TextField
from ui.forms.engine import FormEngine
from ui.i18n import error_text, format_count, format_date, language, translate
from ui.qt import (QAction, QDialog, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QKeySequence, QLabel, QListWidget,
                   QLineEdit, QListWidgetItem, QMessageBox, QPixmap, QRegularExpression, QRegularExpressionValidator,
                   QScrollArea, QSizePolicy, QStandardItemModel, Qt, QVBoxLayout, QWidget, Signal)
from ui.widgets import a11y
from ui.widgets.confirm import confirm
from ui.widgets.screen import fit_to_screen

log = logging.getLogger(__name__)

#: Activity groups whose work is counted in copies, items or broadcasts rather than (only) in people
#: (the quantity is shown for them: data/forms/activity.toml says so, tests/ui/test_form_engine.py checks both agree).
QUANTITY_GROUPS = ("mass_media", "printed_material", "hotline", "commendation")

BANNER_STYLES = {kind: style.banner_style(kind) for kind in ("error", "info", "notice")}


# --- inputs of this form ------------------------------------------------------------------------------
class CountField(TextField):
    """A count of people or items, as typed (digits only); the core says what is allowed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,9}"), self))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("000 000 000") + 24)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)


class MoneyField(TextField):
    """An amount in đồng, grouped by thousands once typed ("1500000" reads "1 500 000").

    The text goes to the core with its separators; the core reads "1.500.000", "1,500,000" and "1 500 000" alike.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9 .,]{0,24}"), self))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00 000 000 000 000") + 24)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.editingFinished.connect(self._group)

    def _group(self) -> None:
        digits = "".join(c for c in self.text() if c.isdigit())
        if digits and len(digits) <= 15:
            self.setText(format_count(int(digits)))

    def set_value(self, value) -> None:
        self.setText(format_count(int(value)) if value not in (None, "", 0) else "")


class KindCombo(ChoiceCombo):
    """The kinds of activity under their groups; a group's name is a heading, not a choice."""

    def __init__(self, reference, lang: str, parent=None):
        super().__init__([], parent, none_text=translate("ActivityForm", "— chọn loại hoạt động —"))
        kinds = reference["activity_kind"].options
        for group in reference["activity_group"].options:
            members = [o for o in kinds if o.get("group") == group.code]
            if not members:
                continue
            self.addItem(group.label(lang).upper(), None)
            model = self.model()
            heading = model.item(self.count() - 1) if isinstance(model, QStandardItemModel) else None
            if heading is not None:  # a combo box's own model: a heading item not to be chosen, in bold
                heading.setEnabled(False)
                heading.setSelectable(False)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
            for option in members:
                self.addItem(option.label(lang), option.code)
                self.setItemData(self.count() - 1, option.label(lang), Qt.ItemDataRole.ToolTipRole)
        widest = max(self.fontMetrics().horizontalAdvance(self.itemText(i)) for i in range(self.count()))
        self.view().setMinimumWidth(min(widest + 60, 760))
        self.setMinimumContentsLength(30)

    def select_kind(self, code: str) -> None:
        self.setCurrentIndex(max(self.findData(code), 0))


class PickerCombo(ChoiceCombo):
    """A model or a school from the registers; one linked before it was deleted stays shown as such."""

    def __init__(self, entries, none_text: str, parent=None):
        super().__init__(entries, parent, none_text=none_text)
        self.setMinimumContentsLength(30)


# --- the form --------------------------------------------------------------------------------------------
class ActivityForm(QDialog):
    """One activity, new or stored. Open it with `ActivitiesPage.new_activity()` / `open_activity(id)`.

    `activity` is what `session.activities.get(id)` returned, or None for a new one.
    `models` and `schools` are the registers' rows for the pickers (deleted ones
    included, so an old link still reads as a name); `attachments` the stored
    activity's files (`session.activities.attachments(id)`).
    """

    #: A save went through; carries the activity id.
    saved = Signal(str)
    #: The activity was deleted; carries its id.
    deleted = Signal(str)

    def __init__(self, session, activity: dict | None = None, *, models=(), schools=(), attachments=(),
                 parent=None):
        super().__init__(parent)
        self.setObjectName("activityForm")
        self.session = session
        self.lang = language()
        self.reference = session.reference
        self.stored = activity is not None
        self.activity_id: str = activity["id"] if activity else new_id()
        self.rev: int | None = activity["rev"] if activity else None
        self._origin: str | None = activity.get("origin") if activity else None
        self._point_id: str | None = activity.get("point_id") if activity else None
        self.title_text: str = activity["title"] if activity else ""
        # A deleted model or school is offered only where this activity is linked to it already.
        linked = {activity.get("model_id"), activity.get("school_id")} - {None} if activity else set()
        self.models = [m for m in models if not m.get("deleted") or m["id"] in linked]
        self.schools = [s for s in schools if not s.get("deleted") or s["id"] in linked]
        self.editable = session.can("activity.write")
        self.may_open_files = session.can("identity.read")

        self.boxes: dict[str, FieldBox] = {}
        self._row_labels: list[QWidget] = []
        self.attachments: list[dict] = list(attachments)
        self.pending_files: list[Path] = []
        self._saving = False
        self._close_after_save = False
        self._closing = False
        self.unsaved_box: QMessageBox | None = None
        self.delete_box: QMessageBox | None = None
        self.viewer: QDialog | None = None
        self.file_dialog: QFileDialog | None = None

        self._error_boxes: list[FieldBox] = []
        self._error_index = -1

        self.setStyleSheet(FORM_STYLE)
        self.setMinimumSize(760, 520)
        fit_to_screen(self, 920, 700)  # a 1366 × 768 screen: the form scrolls inside
        self._build()
        if activity is not None:
            self._fill(activity)
        else:
            self._fill_new()
        if not self.editable:
            self._make_read_only()
        # Fields shown when another's value says so (the quantity, by the kind's group), from now on.
        self.engine.connect_conditions(self)
        self._snapshot = self.collect()
        self._show_attachments()
        self._update_title()
        self.finished.connect(self.deleteLater)
        a11y.name_fields(self)
        self.boxes["kind"].field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        lang = self.lang
        self.title_label = QLabel()
        self.title_label.setObjectName("activityFormTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.info_label = QLabel()
        self.info_label.setObjectName("activityFormInfo")
        self.info_label.setStyleSheet(style.text_colour(style.MUTED))

        self.banner = QLabel()
        self.banner.setObjectName("activityFormBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setContentsMargins(8, 6, 8, 6)
        self.banner.hide()

        content = QWidget()
        content.setObjectName("activityFormContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(8, 0, 16, 16)
        column.setSpacing(6)

        # The sections and their fields: data/forms/activity.toml, drawn by the form engine.
        self.form_spec = load_form("activity")
        # (The form's own functions, not bound methods: the engine holds no reference back to the form.)
        form = type(self)
        self.engine = FormEngine(self.form_spec, lang=lang, reference=self.reference, labels=LABELS,
                                 widgets={"activity_kind": form._kind_field, "count": lambda _form, _item: CountField(),
                                          "model": form._model_field, "school": form._school_field},
                                 builders={"dates": form._build_dates, "participants": form._build_participants,
                                           "budget": form._build_budget, "files": form._build_files},
                                 place_row=_row_in(self._row_labels), new_layout=self._new_layout)
        for number, section in enumerate(self.form_spec.sections, start=1):
            self._heading(column, f"{number}. {section.title_in(lang)}")
            self.engine.build_section(self, section.key, column)
        self.quantity_box = self.boxes["quantity"]
        column.addStretch(1)
        # One label column for every section, so the fields line up down the whole form.
        label_width = min(max(label.sizeHint().width() for label in self._row_labels), text_size.scaled(210))
        for label in self._row_labels:
            label.setFixedWidth(label_width)

        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("activityFormScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        self.save_button = FormButton(self.tr("Lưu (Ctrl+S)"))
        self.save_button.setObjectName("saveActivity")
        self.save_button.clicked.connect(self.save)
        self.delete_button = FormButton(self.tr("Xóa hoạt động…"))
        self.delete_button.setObjectName("deleteActivity")
        self.delete_button.clicked.connect(self.ask_delete)
        self.close_button = FormButton(self.tr("Đóng (Esc)"))
        self.close_button.setObjectName("closeActivity")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.info_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)

        self.save_action = QAction(self.tr("Lưu hoạt động"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        # The fields the core found fault with, one key each way (the banner gives the count).
        self.next_error_action = QAction(self.tr("Chỗ chưa hợp lệ tiếp theo"), self)
        self.next_error_action.setShortcut(QKeySequence("F8"))
        self.next_error_action.triggered.connect(lambda: self.go_to_error(+1))
        self.previous_error_action = QAction(self.tr("Chỗ chưa hợp lệ trước"), self)
        self.previous_error_action.setShortcut(QKeySequence("Shift+F8"))
        self.previous_error_action.triggered.connect(lambda: self.go_to_error(-1))
        self.addAction(self.next_error_action)
        self.addAction(self.previous_error_action)
        if not self.editable:
            self.save_button.hide()
            self.save_action.setEnabled(False)
        self.delete_button.setVisible(self.editable and self.stored)

    def _heading(self, column: QVBoxLayout, title: str) -> None:
        heading = QLabel(title)
        heading.setObjectName("sectionHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        heading.setFont(font)
        column.addSpacing(6)
        column.addWidget(heading)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        column.addWidget(rule)

    @staticmethod
    def _new_layout() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        return form

    # --- what data/forms/activity.toml names and only this form draws ------------------------------------------
    def _kind_field(self, _item) -> KindCombo:
        self.kind_combo = KindCombo(self.reference, self.lang)
        return self.kind_combo

    def _model_field(self, _item) -> PickerCombo:
        kinds = self.reference["model_kind"]
        return PickerCombo(
            [(m["id"], self._deleted_mark(f"{m['name']} ({kinds.label(m['kind'], self.lang)})", m), None)
             for m in self.models], self.tr("— không gắn với mô hình —"))

    def _school_field(self, _item) -> PickerCombo:
        levels = self.reference["school_level"]
        return PickerCombo(
            [(s["id"], self._deleted_mark(f"{s['name']} ({levels.label(s['level'], self.lang)})", s), None)
             for s in self.schools], self.tr("— không gắn với trường —"))

    def _build_dates(self, context) -> None:
        dates = QWidget()
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        start, end = DateField(), DateField()
        start.setObjectName("startsOn")
        end.setObjectName("endsOn")
        self.boxes["starts_on"] = FieldBox(start)
        self.boxes["ends_on"] = FieldBox(end)
        dates_row.addWidget(self.boxes["starts_on"], 0, Qt.AlignmentFlag.AlignTop)
        to_label = QLabel(self.tr("đến ngày"))
        to_label.setBuddy(end)
        _beside(to_label, end)
        dates_row.addWidget(to_label, 0, Qt.AlignmentFlag.AlignTop)
        dates_row.addWidget(self.boxes["ends_on"], 0, Qt.AlignmentFlag.AlignTop)
        self.campaign_label = QLabel()
        self.campaign_label.setObjectName("campaignHint")
        self.campaign_label.setStyleSheet(style.text_colour(style.CAMPAIGN, bold=True))
        self.campaign_label.setWordWrap(True)
        self.campaign_label.setMinimumHeight(start.sizeHint().height())
        dates_row.addWidget(self.campaign_label, 1, Qt.AlignmentFlag.AlignTop)
        start_label = QLabel(self.tr("Từ ngày (dd/mm/yyyy)"))
        start_label.setBuddy(start)
        self._row(context.layout(), start_label, dates)
        for field in (start, end):
            field.textChanged.connect(self._show_campaigns)

    def _build_participants(self, context) -> None:
        people = QWidget()
        people_grid = QHBoxLayout(people)
        people_grid.setContentsMargins(0, 0, 0, 0)
        people_grid.setSpacing(12)
        for key, text in (("total", self.tr("Tổng số")), ("female", self.tr("Nữ")), ("male", self.tr("Nam")),
                          ("youth", self.tr("Thanh thiếu niên"))):
            count_field = CountField()
            count_field.setObjectName(f"participants_{key}")
            box = FieldBox(count_field)
            self.boxes[f"participants.{key}"] = box
            cell = QWidget()
            # Equal columns: a message under one count wraps in its column instead of pushing the others away.
            cell.setFixedWidth(count_field.width() + 60)
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            caption = QLabel(text)
            caption.setBuddy(count_field)
            stack.addWidget(caption)
            stack.addWidget(box)
            stack.addStretch(1)
            people_grid.addWidget(cell, 0, Qt.AlignmentFlag.AlignTop)
        people_grid.addStretch(1)
        people_label = QLabel(self.tr("Số người tham gia"))
        self._row(context.layout(), people_label, people)

    def _build_budget(self, context) -> None:
        money = MoneyField()
        money_row = QWidget()
        money_layout = QHBoxLayout(money_row)
        money_layout.setContentsMargins(0, 0, 0, 0)
        self.boxes["budget_vnd"] = FieldBox(money)
        money_layout.addWidget(self.boxes["budget_vnd"])
        money_layout.addWidget(_beside(QLabel(self.tr("đồng")), money), 0, Qt.AlignmentFlag.AlignTop)
        money_layout.addStretch(1)
        money_label = QLabel(self.tr("Kinh phí đã chi"))
        money_label.setBuddy(money)
        self._row(context.layout(), money_label, money_row)

    def _build_files(self, context) -> None:
        self.attachment_list = QListWidget()
        self.attachment_list.setObjectName("attachmentList")
        self.attachment_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.attachment_list.itemActivated.connect(lambda _item: self.open_selected_attachment())
        self.add_file_button = FormButton(self.tr("Thêm tệp…"))
        self.add_file_button.setObjectName("addAttachment")
        self.add_file_button.clicked.connect(self.choose_files)
        self.open_file_button = FormButton(self.tr("Xem tệp"))
        self.open_file_button.setObjectName("openAttachment")
        self.open_file_button.clicked.connect(self.open_selected_attachment)
        if not self.may_open_files:
            self.open_file_button.setEnabled(False)
            self.open_file_button.setToolTip(self.tr("Vai trò của bạn không được mở tệp đính kèm "
                                                     "(tệp có thể có hình ảnh, tên người)."))
        self.remove_file_button = FormButton(self.tr("Gỡ tệp"))
        self.remove_file_button.setObjectName("removeAttachment")
        self.remove_file_button.clicked.connect(self.remove_selected_attachment)
        self.files_note = QLabel()
        self.files_note.setObjectName("attachmentNote")
        self.files_note.setStyleSheet(style.text_colour(style.MUTED))
        self.files_note.setWordWrap(True)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_file_button)
        file_buttons.addWidget(self.open_file_button)
        file_buttons.addWidget(self.remove_file_button)
        file_buttons.addStretch(1)
        file_column = QVBoxLayout()
        file_column.addWidget(self.attachment_list)
        file_column.addLayout(file_buttons)
        file_column.addWidget(self.files_note)
        files_widget = QWidget()
        files_widget.setLayout(file_column)
        file_column.setContentsMargins(0, 0, 0, 0)
        self._row(context.layout(), QLabel(self.tr("Các tệp")), files_widget)

    def register(self, path: str, box: FieldBox) -> None:
        """The form engine's fields, under the core's paths."""
        self.boxes[path] = box

    def _row(self, form: QFormLayout, label: QWidget, field: QWidget) -> None:
        _row_in(self._row_labels)(form, label, field)

    def _deleted_mark(self, text: str, record: dict) -> str:
        return self.tr("{name} (đã xóa)").format(name=text) if record.get("deleted") else text

    # --- values -----------------------------------------------------------------------------------------------
    def collect(self) -> dict:
        """What the form holds, as the dict `ActivityService.save()` takes."""
        data: dict = {"participants": {}}
        for path, box in self.boxes.items():
            value = box.field.value() if self.engine.shown(path) else None
            if path.startswith("participants."):
                data["participants"][path.split(".", 1)[1]] = value
            else:
                data[path] = value
        if data.get("target_groups") is None:
            data["target_groups"] = []
        data["id"] = self.activity_id
        data["point_id"] = self._point_id
        if self.stored:
            data["rev"] = self.rev
            data["origin"] = self._origin
        return data

    def _fill(self, activity: dict) -> None:
        for path, box in self.boxes.items():
            if path.startswith("participants."):
                value = (activity.get("participants") or {}).get(path.split(".", 1)[1])
                box.field.set_value(value if value else None)
            else:
                box.field.set_value(activity.get(path))
        title = self.boxes["title"].field
        if isinstance(title, QLineEdit):  # a TextField: the start of a long title shown
            title.setCursorPosition(0)
        self._show_campaigns()

    def _fill_new(self) -> None:
        self.boxes["starts_on"].field.set_value(self.session.activities.today().isoformat())
        from app.activities import default_topic

        self.boxes["topic"].field.set_value(default_topic(self.reference))  # every activity has a topic

    def is_dirty(self) -> bool:
        return self.editable and (self.collect() != self._snapshot or bool(self.pending_files))

    def _make_read_only(self) -> None:
        for box in self.boxes.values():
            box.field.set_read_only(True)
        self.add_file_button.hide()
        self.remove_file_button.hide()
        self.show_banner("notice", self.tr("Chỉ xem: vai trò của bạn không sửa được hoạt động."))

    # --- what depends on the kind and the dates ------------------------------------------------------------
    def kind_group(self) -> str | None:
        option = self.reference["activity_kind"].get(self.kind_combo.value() or "")
        return option.get("group") if option is not None else None

    def quantity_shown(self) -> bool:
        """Copies, items and broadcasts are asked for where the kind is counted that way, or already recorded
        (data/forms/activity.toml: the quantity's shown_when)."""
        return self.quantity_box.isVisibleTo(self)

    def _show_campaigns(self, *_args) -> None:
        try:
            start = parse_date(self.boxes["starts_on"].field.value())
            end = parse_date(self.boxes["ends_on"].field.value())
        except ValueError:
            start = end = None
        if start is None:
            self.campaign_label.clear()
            return
        flags = campaign_flags(start, end if end and end >= start else None, self.session.profile)
        marks = [campaign_mark(flag) for flag in CAMPAIGN_FLAGS if flags.get(flag)]
        self.campaign_label.setText(self.tr("Thuộc đợt: {marks}").format(marks=" · ".join(marks)) if marks else "")

    # --- saving -----------------------------------------------------------------------------------------------
    def save(self) -> None:
        """Send the whole activity to the core (off the GUI thread). A second call while one runs does nothing."""
        if self._saving or not self.editable:
            return
        data = self.collect()
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_action.setEnabled(False)
        self.show_banner("notice", self.tr("Đang lưu…"))
        activities = self.session.activities
        tasks.run_in_background(lambda: activities.save(data), on_done=self._saved, on_error=self._save_failed,
                                owner=self)

    def _save_finished(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.save_action.setEnabled(True)

    def _saved(self, activity: dict) -> None:
        self._save_finished()
        unchanged = self.stored and activity["rev"] == self.rev
        self.stored = True
        self.activity_id, self.rev = activity["id"], activity["rev"]
        self._origin, self._point_id = activity.get("origin"), activity.get("point_id")
        self.title_text = activity["title"]
        self.clear_errors()
        self._fill(activity)
        self._snapshot = self.collect()
        self._update_title()
        self.delete_button.setVisible(self.editable)
        if unchanged:
            self.show_banner("info", self.tr("Không có thay đổi nào cần lưu."))
        else:
            self.show_banner("info", self.tr("Đã lưu hoạt động (lần sửa {rev}).").format(rev=self.rev))
        self.saved.emit(self.activity_id)
        if self.pending_files:
            self._attach_pending()
        elif self._close_after_save:
            self._finish_close()

    def _save_failed(self, error: BaseException) -> None:
        self._save_finished()
        self._close_after_save = False
        if isinstance(error, ValidationFailed):
            self.show_errors(error.errors)
            return
        if not isinstance(error, BinhAnError):
            log.error("saving an activity failed: %s", type(error).__name__)
        # A conflict or a refusal: say so, keep everything the person typed.
        self.show_banner("error", error_text(error))

    # --- errors -------------------------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.clear_error()

    def show_errors(self, errors) -> None:
        """Each message beside its field, the rest in the banner; then go to the first field at fault."""
        self.clear_errors()
        placed: list[FieldBox] = []
        elsewhere: list[str] = []
        for error in errors:
            box = self.boxes.get(error.path)
            message = error.message(self.lang)
            if box is None or not box.isVisibleTo(self):
                elsewhere.append(message)
                continue
            box.set_error(message)
            placed.append(box)
        count = len(errors)
        text = self.tr("Chưa lưu: có {count} chỗ chưa hợp lệ, đã đánh dấu đỏ bên dưới.", None, count).format(
            count=count)
        if placed:
            text += " " + self.tr("F8: chỗ tiếp theo, Shift+F8: chỗ trước.")
        if elsewhere:
            text += "\n" + "\n".join(f"• {m}" for m in elsewhere)
        self.show_banner("error", text)
        order = list(self.boxes.values())
        self._error_boxes = sorted(placed, key=order.index)
        self._error_index = -1
        if placed:
            self.go_to_error(+1)

    def go_to_error(self, step: int = 1) -> QWidget | None:
        """F8 / Shift+F8: the keyboard to the next / previous field at fault, round and round."""
        self._error_boxes = [box for box in self._error_boxes if box.error]
        if not self._error_boxes:
            return None
        self._error_index = (self._error_index + step) % len(self._error_boxes)
        box = self._error_boxes[self._error_index]
        self.scroll_area.ensureWidgetVisible(box, 20, 40)
        target = box.focus_targets()[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def field_errors(self) -> dict[str, str]:
        """Every message now shown beside a field, by path (for tests and screenshots)."""
        return {path: box.error for path, box in self.boxes.items() if box.error}

    def show_banner(self, kind: str, text: str) -> None:
        self.banner.setStyleSheet(f"QLabel#activityFormBanner {{ {BANNER_STYLES[kind]} border-radius: 4px; }}")
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        self.banner.show()
        a11y.announce(self.banner, text, assertive=kind == "error")

    def _update_title(self) -> None:
        if self.stored:
            title = self.tr("Hoạt động: {title}").format(title=self.title_text)
            self.info_label.setText(self.tr("Lần sửa {rev}").format(rev=self.rev))
        else:
            title = self.tr("Hoạt động mới")
            self.info_label.setText(self.tr("Chưa lưu."))
        self.title_label.setText(title)
        self.setWindowTitle(self.tr("{title} — Bình An").format(title=title))

    # --- files ----------------------------------------------------------------------------------------------------
    def _show_attachments(self) -> None:
        self.attachment_list.clear()
        for attachment in self.attachments:
            text = self.tr("{name} ({size}, thêm ngày {day})").format(
                name=attachment["filename"], size=_size(attachment["size"]), day=format_date(attachment["created_at"]))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, attachment["id"])
            self.attachment_list.addItem(item)
        for path in self.pending_files:
            item = QListWidgetItem(self.tr("{name} (sẽ đính kèm khi lưu)").format(name=path.name))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setData(Qt.ItemDataRole.UserRole + 1, "pending")
            self.attachment_list.addItem(item)
        if not self.attachments and not self.pending_files:
            self.files_note.setText(self.tr("Chưa có tệp nào."))
        elif self.pending_files:
            self.files_note.setText(self.tr("Tệp mới được đính kèm ngay sau khi lưu hoạt động."))
        else:
            self.files_note.setText(self.tr("Tệp được giữ trong cơ sở dữ liệu đã mã hóa, không gửi lên cấp trên."))
        self.attachment_list.setVisible(self.attachment_list.count() > 0)
        has_files = self.attachment_list.count() > 0
        self.open_file_button.setVisible(bool(self.attachments))
        self.remove_file_button.setVisible(self.editable and has_files)

    def choose_files(self) -> QFileDialog:
        """Ask for files (without blocking the window); the chosen ones go to `add_files`."""
        dialog = QFileDialog(self, self.tr("Chọn tệp đính kèm"))
        dialog.setObjectName("chooseAttachments")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters([self.tr("Ảnh và tài liệu (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx)"),
                               self.tr("Mọi tệp (*)")])
        dialog.filesSelected.connect(self.add_files)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def add_files(self, paths) -> None:
        """Attach files: at once to a stored activity, after the first save to a new one."""
        if not self.editable:
            return
        paths = [Path(p) for p in paths]
        if not self.stored:
            self.pending_files.extend(paths)
            self._show_attachments()
            return
        self._attach(paths)

    def _attach(self, paths: list[Path]) -> None:
        activities, activity_id = self.session.activities, self.activity_id

        def attach_all() -> tuple[list[dict], list[str]]:
            problems = []
            for path in paths:
                try:
                    data = path.read_bytes()
                except OSError:
                    problems.append(translate("ActivityForm", "Không đọc được tệp {name}.").format(name=path.name))
                    continue
                try:
                    activities.add_attachment(activity_id, path.name, data, mimetypes.guess_type(path.name)[0])
                except ValidationFailed as error:
                    problems += [f"{path.name}: {e.message(language())}" for e in error.errors]
                except BinhAnError as error:
                    problems.append(f"{path.name}: {error_text(error)}")
            return activities.attachments(activity_id), problems

        self.add_file_button.setEnabled(False)
        tasks.run_in_background(attach_all, on_done=self._attached, on_error=self._file_failed, owner=self)

    def _attach_pending(self) -> None:
        paths, self.pending_files = self.pending_files, []
        self._attach(paths)

    def _attached(self, result: tuple[list[dict], list[str]]) -> None:
        self.attachments, problems = result
        self.add_file_button.setEnabled(True)
        self._show_attachments()
        if problems:
            self.show_banner("error", self.tr("Có tệp chưa đính kèm được:") + "\n" +
                             "\n".join(f"• {p}" for p in problems))
        elif self._close_after_save:
            self._finish_close()

    def _file_failed(self, error: BaseException) -> None:
        self.add_file_button.setEnabled(True)
        if not isinstance(error, BinhAnError):
            log.error("an attachment operation failed: %s", type(error).__name__)
        self.show_banner("error", error_text(error))

    def _selected_file(self) -> tuple[str, bool] | None:
        item = self.attachment_list.currentItem()
        if item is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), item.data(Qt.ItemDataRole.UserRole + 1) == "pending"

    def remove_selected_attachment(self) -> None:
        chosen = self._selected_file()
        if chosen is None or not self.editable:
            return
        key, pending = chosen
        if pending:
            self.pending_files = [p for p in self.pending_files if str(p) != key]
            self._show_attachments()
            return
        activities, activity_id = self.session.activities, self.activity_id

        def remove() -> tuple[list[dict], list[str]]:
            activities.remove_attachment(key)
            return activities.attachments(activity_id), []

        tasks.run_in_background(remove, on_done=self._attached, on_error=self._file_failed, owner=self)

    def open_selected_attachment(self) -> None:
        """Show a picture in the window; offer to save a copy of any other file. Both are logged by the core."""
        chosen = self._selected_file()
        if chosen is None or chosen[1]:
            return
        attachment = next((a for a in self.attachments if a["id"] == chosen[0]), None)
        if attachment is None:
            return
        activities = self.session.activities
        tasks.run_in_background(lambda: activities.attachment_data(attachment["id"]),
                                on_done=lambda data: self._show_file(attachment, data),
                                on_error=self._file_failed, owner=self)

    def _show_file(self, attachment: dict, data: bytes) -> None:
        if (attachment.get("mime") or "").startswith("image/"):
            pixmap = QPixmap()
            if pixmap.loadFromData(data):
                self.viewer = AttachmentViewer(attachment["filename"], pixmap, self)
                self.viewer.open()
                return
        # Not a picture the window can show: the person chooses where a copy goes (and knows it leaves the database).
        dialog = QFileDialog(self, self.tr("Lưu bản sao tệp"))
        dialog.setObjectName("saveAttachmentCopy")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(attachment["filename"])
        dialog.fileSelected.connect(lambda path: self._write_copy(path, data))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def _write_copy(self, path: str, data: bytes) -> None:
        try:
            Path(path).write_bytes(data)
        except OSError:
            self.show_banner("error", self.tr("Không lưu được tệp vào {path}.").format(path=path))

    # --- deleting -------------------------------------------------------------------------------------------------
    def ask_delete(self) -> QMessageBox | None:
        if not (self.editable and self.stored):
            return None
        self.delete_box = confirm(
            self, name="deleteActivityBox", title=self.tr("Xóa hoạt động"),
            text=self.tr("Xóa hoạt động “{title}”?").format(title=self.title_text),
            info=self.tr("Hoạt động và tệp đính kèm sẽ không còn trong danh sách và báo cáo."),
            yes=self.tr("Xóa"), no=self.tr("Không xóa"), answered=self._delete_answered,
            yes_role=QMessageBox.ButtonRole.DestructiveRole)
        return self.delete_box

    def _delete_answered(self, confirmed: bool) -> None:
        self.delete_box = None
        if not confirmed:
            return
        activities, activity_id = self.session.activities, self.activity_id
        tasks.run_in_background(lambda: activities.delete(activity_id), on_done=lambda _r: self._was_deleted(),
                                on_error=self._file_failed, owner=self)

    def _was_deleted(self) -> None:
        self.deleted.emit(self.activity_id)
        self._finish_close()

    # --- closing --------------------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc, the Close button and the window's close box all come here."""
        if self._closing or not self.is_dirty():
            self._finish_close()
            return
        self.ask_unsaved()

    def ask_unsaved(self) -> QMessageBox:
        if self.unsaved_box is not None:
            self.unsaved_box.raise_()
            return self.unsaved_box
        box = QMessageBox(self)
        box.setObjectName("unsavedChangesBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Thay đổi chưa lưu"))
        box.setText(self.tr("Hoạt động này có thay đổi chưa lưu."))
        box.setInformativeText(self.tr("Bạn muốn lưu trước khi đóng không?"))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        self.unsaved_save = box.addButton(self.tr("Lưu"), QMessageBox.ButtonRole.AcceptRole)
        self.unsaved_discard = box.addButton(self.tr("Không lưu"), QMessageBox.ButtonRole.DestructiveRole)
        self.unsaved_cancel = box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.unsaved_save)
        box.setEscapeButton(self.unsaved_cancel)
        box.finished.connect(lambda _result: self._unsaved_answered(box.clickedButton()))
        self.unsaved_box = box
        box.open()
        return box

    def _unsaved_answered(self, button) -> None:
        box, self.unsaved_box = self.unsaved_box, None
        if box is not None:
            box.deleteLater()
        if button is self.unsaved_save:
            self._close_after_save = True
            self.save()
        elif button is self.unsaved_discard:
            self._finish_close()

    def discard_and_close(self) -> None:
        """Close without asking; unsaved changes are dropped (the caller has asked, or locking must not wait)."""
        if self.unsaved_box is not None:
            self.unsaved_box.deleteLater()
            self.unsaved_box = None
        self._finish_close()

    def _finish_close(self) -> None:
        self._closing = True
        super().reject()


class AttachmentViewer(QDialog):
    """A picture kept with an activity, shown inside the window (never written to disk)."""

    def __init__(self, name: str, pixmap: QPixmap, parent=None):
        super().__init__(parent)
        self.setObjectName("attachmentViewer")
        self.setWindowTitle(name)
        image = QLabel()
        image.setObjectName("attachmentImage")
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image.setPixmap(pixmap.scaled(900, 640, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
                        if pixmap.width() > 900 or pixmap.height() > 640 else pixmap)
        close = FormButton(self.tr("Đóng (Esc)"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(image, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.finished.connect(self.deleteLater)


def _row_in(labels: list[QWidget]):
    """Put a labelled row in a form layout, its label kept in `labels` (one label column for the whole form)."""
    def place(form: QFormLayout, label: QWidget, field: QWidget) -> None:
        if isinstance(label, QLabel):
            label.setWordWrap(True)
        labels.append(label)
        form.addRow(label, field)
    return place


def _beside(label: QLabel, field: QWidget) -> QLabel:
    """A word after a field, on the field's middle line (the field's error line may follow below)."""
    label.setFixedHeight(field.sizeHint().height())
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", "," if language() == "vi" else ".")
    return f"{max(size // 1024, 1)} kB"


__all__ = ["ActivityForm", "AttachmentViewer", "KindCombo", "MoneyField", "QUANTITY_GROUPS"]
