"""The case form: one case, in sections that follow the work, saved whole through the core.

The form decides nothing about what is valid or who may do what. It gathers
what was typed into the dict `CaseService.save()` takes, and shows the core's
answer: each `FieldError` under the field its path names, a conflict or a
refusal in the banner at the top. What a role may see is asked of the session:
without `identity.read` the identity fields are never built at all.

Keyboard: Tab follows the visual order through every section; Ctrl+PgDown /
Ctrl+PgUp and Alt+1 … Alt+0 move between sections; Ctrl+S saves; Esc closes
(asking first when something is unsaved); F8 / Shift+F8 go to the next /
previous field the core found fault with. The arrow keys cross a checklist and
one Tab leaves it.

Opening: the frame of the form (title, section list, buttons) is shown at once;
the sections are built one an event-loop turn after its first paint, so the
window never freezes while a big form is made (`deferred`). Everything that needs
the fields finishes the building first (`ensure_built`).
"""

from __future__ import annotations

import itertools
import logging
import re

from app.errors import BinhAnError, ValidationFailed
from ui import style, tasks, text_size
from ui.cases import form_sections
from ui.cases.form_widgets import FORM_STYLE, Checklist, FieldBox, FormButton, RowList
from ui.i18n import error_text, language
from ui.qt import (QAbstractButton, QAction, QApplication, QComboBox, QDialog, QFrame, QHBoxLayout, QKeySequence,
                   QLabel, QLineEdit, QListWidget, QMessageBox, QPlainTextEdit, QScrollArea, Qt, QTimer, QVBoxLayout,
                   QWidget, Signal, qt_object_alive)
from ui.widgets import a11y
from ui.widgets.screen import fit_to_screen

log = logging.getLogger(__name__)

_ROW_PATH = re.compile(r"^([\w.]+)\[(\d+)\]\.(\w+)$")  # "follow_ups[0].outcome", "action_plan.actions[1].what"

BANNER_STYLES = {kind: style.banner_style(kind) for kind in ("error", "info", "notice")}


def _set_path(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for name in parents:
        data = data.setdefault(name, {})
    data[last] = value


def _get_path(data: dict | None, path: str):
    for name in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


class FormSection(QFrame):
    """One section: a numbered heading and its fields."""

    def __init__(self, key: str, number: int, title: str):
        super().__init__()
        self.key = key
        self.title = title
        self.setObjectName(f"section_{key}")
        self.heading = QLabel(f"{number}. {title}")
        self.heading.setObjectName("sectionHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(4, 8, 4, 16)
        self.body.setSpacing(8)
        self.body.addWidget(self.heading)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        self.body.addWidget(rule)


class CaseForm(QDialog):
    """One case, new or stored. Open it with `CasesPage.new_case()` / `open_case(id)`.

    `case` is what `session.cases.get(id)` returned (without identity), or None
    for a new case. `providers` and `points` are the registries' rows for the
    pickers (`session.registries.providers()`, `.models(kind="trusted_address")`).
    """

    #: A save went through; carries the case id.
    saved = Signal(str)
    #: Every section is built and filled (at once, or after the first paint when deferred).
    built = Signal()

    #: The sections' keys: data/forms/case.toml's, in its order (set for each form from the data).
    SECTION_KEYS: tuple[str, ...] = ("intake", "survivor", "incident", "perpetrators", "consent", "services",
                                     "follow_ups", "perpetrator_actions", "safety_plan", "closure")

    def __init__(self, session, case: dict | None = None, *, providers=(), points=(), parent=None,
                 deferred: bool | None = None):
        """`deferred`: build the sections after the form's first paint (None: so in the running window,
        at once where jobs run synchronously — tests, screenshots)."""
        super().__init__(parent)
        self.setObjectName("caseForm")
        self.session = session
        self.lang = language()
        self.case_id: str | None = case["id"] if case else None
        self.rev: int | None = case["rev"] if case else None
        self.code: str | None = case["code"] if case else None
        self._origin: str | None = case.get("origin") if case else None
        self._point_id: str | None = case.get("point_id") if case else None
        self.providers = list(providers)
        self.points = list(points)
        # What the sections hold and in what order: data/forms/case.toml, drawn by the form engine.
        self.form_spec = form_sections.case_form_spec()
        self.engine = form_sections.make_engine(self, self.form_spec)
        self.SECTION_KEYS = tuple(section.key for section in self.form_spec.sections)

        self.editable = session.can("case.write")
        # Without the right the identity widgets are never made: nothing to show, nothing to leak.
        self.identity_allowed = session.can("identity.read")
        self.identity_editable = self.identity_allowed and self.editable and session.can("identity.write")
        # A new case has no stored identity to read: its fields start empty and shown.
        self._identity_loaded = case is None
        self._identity_visible = case is None

        self.boxes: dict[str, FieldBox] = {}
        self.row_lists: dict[str, RowList] = {}
        self.identity_frames: list[form_sections.IdentityFrame] = []
        self.sections: list[FormSection] = []
        self._saving = False
        self._close_after_save = False
        self._closing = False
        self._identity_reading = False
        self.unsaved_box: QMessageBox | None = None
        self._snapshot: dict = {}
        self._case = case
        self._pending = list(enumerate(self.SECTION_KEYS, start=1))
        self._built = False
        self._step_scheduled = False
        self._error_index = -1

        self.setStyleSheet(FORM_STYLE)
        self.setMinimumSize(860, 560)
        fit_to_screen(self, 1080, 700)  # a 1366 × 768 screen: the form scrolls inside
        self._build()
        self._update_title()
        self.finished.connect(self.deleteLater)
        if deferred is None:
            deferred = not tasks.SYNCHRONOUS
        if deferred:
            self.banner.setText(self.tr("Đang mở…"))
            self.banner.setStyleSheet(f"QLabel#caseFormBanner {{ {BANNER_STYLES['notice']} border-radius: 4px; }}")
            self.banner.show()
            self.section_list.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.ensure_built()

    def section_title(self, key: str) -> str:
        return self.form_spec.section(key).title_in(self.lang)

    # --- building the sections (at once, or one an event-loop turn after the first paint) ------------------------
    def is_built(self) -> bool:
        return self._built

    def ensure_built(self) -> None:
        """Build what is not built yet, now (anything that needs the fields calls this first)."""
        while self._pending:
            self._build_section(*self._pending.pop(0))
        if not self._built:
            self._finish_building()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._pending and not self._step_scheduled:
            self._step_scheduled = True
            QTimer.singleShot(0, self._build_step)

    def _build_step(self) -> None:
        if not qt_object_alive(self) or self._built:
            return
        if self._pending:
            self._build_section(*self._pending.pop(0))
            QTimer.singleShot(0, self._build_step)
            return
        self._finish_building()

    def _build_section(self, number: int, key: str) -> None:
        boxes_before, rows_before = set(self.boxes), set(self.row_lists)
        section = FormSection(key, number, self.section_title(key))
        self.sections.append(section)
        form_sections.build_section(self, section)
        if self._case is not None:
            # A stored case is filled section by section, so no one turn of the event loop does it all.
            self._fill(self._case, paths=set(self.boxes) - boxes_before, rows=set(self.row_lists) - rows_before)
        self._column.insertWidget(len(self.sections) - 1, section)
        if self.isVisible():
            section.show()  # a layout shows a new child only on the next turn; the keyboard may need it now

    def _finish_building(self) -> None:
        self._built = True
        if self._case is None:
            self._fill_new()
        self._case = None
        self.engine.connect_conditions(self)  # fields shown when another's value says so, from now on
        for rows in self.row_lists.values():
            rows.rows_changed.connect(self.fix_tab_order)
        self.banner.hide()
        if not self.editable:
            self._make_read_only()
        self._snapshot = self.collect()
        self._update_identity_widgets()
        self.fix_tab_order()
        a11y.name_fields(self)
        focus = QApplication.focusWidget()
        if focus is None or focus is self.section_list or not self.isAncestorOf(focus):
            first = self.first_input(0)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.built.emit()

    # --- building ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("caseFormTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.info_label = QLabel()
        self.info_label.setObjectName("caseFormInfo")
        self.info_label.setStyleSheet(style.text_colour(style.MUTED))

        self.identity_button: FormButton | None = None
        if self.identity_allowed:
            self.identity_button = FormButton()
            self.identity_button.setObjectName("showIdentity")
            self.identity_button.clicked.connect(self.toggle_identity)

        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.info_label)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        if self.identity_button is not None:
            top.addWidget(self.identity_button, 0, Qt.AlignmentFlag.AlignTop)

        self.banner = QLabel()
        self.banner.setObjectName("caseFormBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setContentsMargins(8, 6, 8, 6)
        self.banner.hide()

        self.section_list = QListWidget()
        self.section_list.setObjectName("sectionList")
        self.section_list.setAccessibleName(self.tr("Các phần của vụ việc"))
        self.content = QWidget()
        self.content.setObjectName("caseFormContent")
        self._column = column = QVBoxLayout(self.content)
        column.setContentsMargins(8, 0, 16, 24)
        column.setSpacing(4)
        for number, key in enumerate(self.SECTION_KEYS, start=1):
            self.section_list.addItem(f"{number}. {self.section_title(key)}")
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("caseFormScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.content)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        widest = max(self.section_list.fontMetrics().horizontalAdvance(self.section_list.item(i).text())
                     for i in range(self.section_list.count()))
        self.section_list.setFixedWidth(widest + 36)
        self.section_list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.section_list.currentRowChanged.connect(self._section_chosen)
        self.section_list.itemActivated.connect(lambda _item: self.go_to_section(self.section_list.currentRow()))

        body = QHBoxLayout()
        body.addWidget(self.section_list)
        body.addWidget(self.scroll_area, 1)

        self.save_button = FormButton(self.tr("Lưu (Ctrl+S)"))
        self.save_button.setObjectName("saveCase")
        self.save_button.clicked.connect(self.save)
        self.close_button = FormButton(self.tr("Đóng (Esc)"))
        self.close_button.setObjectName("closeCase")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        self.hint_label = QLabel(self.tr("Ctrl+PgDown / Ctrl+PgUp hoặc Alt+1 … Alt+0: chuyển phần · "
                                         "F8: chỗ chưa hợp lệ tiếp theo"))
        self.hint_label.setStyleSheet(style.text_colour(style.MUTED))
        self.hint_label.setWordWrap(True)
        buttons.addWidget(self.hint_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        # --- keyboard ---------------------------------------------------------------------------------------
        self.save_action = QAction(self.tr("Lưu vụ việc"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        next_section = QAction(self.tr("Phần sau"), self)
        next_section.setShortcut(QKeySequence("Ctrl+PgDown"))
        next_section.triggered.connect(lambda: self.go_to_section(self.current_section() + 1))
        previous_section = QAction(self.tr("Phần trước"), self)
        previous_section.setShortcut(QKeySequence("Ctrl+PgUp"))
        previous_section.triggered.connect(lambda: self.go_to_section(self.current_section() - 1))
        self.addAction(next_section)
        self.addAction(previous_section)
        # The fields the core found fault with, one key each way (the banner gives the count).
        self.next_error_action = QAction(self.tr("Chỗ chưa hợp lệ tiếp theo"), self)
        self.next_error_action.setShortcut(QKeySequence("F8"))
        self.next_error_action.triggered.connect(lambda: self.go_to_error(+1))
        self.previous_error_action = QAction(self.tr("Chỗ chưa hợp lệ trước"), self)
        self.previous_error_action.setShortcut(QKeySequence("Shift+F8"))
        self.previous_error_action.triggered.connect(lambda: self.go_to_error(-1))
        self.addAction(self.next_error_action)
        self.addAction(self.previous_error_action)
        for n in range(len(self.SECTION_KEYS)):
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{(n + 1) % 10}"))
            jump.triggered.connect(lambda checked=False, i=n: self.go_to_section(i))
            self.addAction(jump)

        if not self.editable:
            self.save_button.hide()
            self.save_action.setEnabled(False)
        self._update_identity_widgets()

        qapp = QApplication.instance()
        if isinstance(qapp, QApplication):  # the window's application (a form never opens without one)
            qapp.focusChanged.connect(self._focus_moved)
        # The section list and the buttons are named now; the fields when their sections are built.
        a11y.name_fields(self)

    # Called by the section builders ---------------------------------------------------------------------------
    def register(self, path: str, box: FieldBox) -> None:
        self.boxes[path] = box

    def register_rows(self, rows: RowList) -> None:
        # Its changes redo the tab order once the form is built (`_finish_building`), not for each stored row.
        self.row_lists[rows.name] = rows

    # --- values -------------------------------------------------------------------------------------------------
    def _identity_included(self) -> bool:
        return self.identity_editable and self._identity_loaded

    def collect(self) -> dict:
        """What the form holds, as the dict `CaseService.save()` takes."""
        self.ensure_built()
        data: dict = {}
        for path, box in self.boxes.items():
            if path.startswith("identity.") and not self._identity_included():
                continue
            # A field hidden by its condition (data/forms: shown_when) is saved empty, as the core keeps it.
            _set_path(data, path, box.field.value() if self.engine.shown(path) else None)
        for name, rows in self.row_lists.items():
            _set_path(data, name, rows.value())
        if "point_id" not in self.boxes:
            data["point_id"] = self._point_id
        if self.case_id is not None:
            data["id"] = self.case_id
            data["rev"] = self.rev
            data["origin"] = self._origin
        return data

    def _fill(self, case: dict, *, paths=None, rows=None) -> None:
        """Show a stored case (only the fields `paths` and the row lists `rows` when given). Identity fields are
        filled only when the case carries its identity."""
        for path, box in self.boxes.items():
            if (paths is not None and path not in paths) or (path.startswith("identity.") and "identity" not in case):
                continue
            box.field.set_value(_get_path(case, path))
        for name, row_list in self.row_lists.items():
            if rows is None or name in rows:
                row_list.set_value(_get_path(case, name) or [])
        form_sections.fill_management(self, case)  # each label only once its section is built

    def _fill_new(self) -> None:
        today = self.session.cases.today().isoformat()
        self.boxes["intake.reported_on"].field.set_value(today)
        self.boxes["status"].field.set_value("open")
        self.boxes["survivor.sex"].field.set_value("female")
        form_sections.fill_management(self, {})

    def refresh_snapshot(self) -> None:
        """What the form now holds is what is stored (after a change made apart from a save)."""
        self._snapshot = self.collect()

    def is_dirty(self) -> bool:
        return self.editable and self._built and self.collect() != self._snapshot

    def _make_read_only(self) -> None:
        for box in self.boxes.values():
            box.field.set_read_only(True)
        for rows in self.row_lists.values():
            rows.set_read_only(True)
        self.show_banner("notice", self.tr("Chỉ xem: vai trò của bạn không sửa được vụ việc."))

    # --- identity -----------------------------------------------------------------------------------------------
    def toggle_identity(self) -> None:
        """Show (after an audited read, for a stored case) or hide the identity fields."""
        if not self.identity_allowed or self._identity_reading:
            return
        self.ensure_built()
        if self._identity_visible:
            self._identity_visible = False
            self._update_identity_widgets()
            return
        if self._identity_loaded:
            self._identity_visible = True
            self._update_identity_widgets()
            return
        cases, case_id = self.session.cases, self.case_id
        # Not disabled while it reads: a disabled button would send the keyboard elsewhere in the form.
        self._identity_reading = True
        tasks.run_in_background(lambda: cases.get(case_id, with_identity=True),
                                on_done=self._identity_read, on_error=self._identity_failed, owner=self)

    def _identity_read(self, case: dict) -> None:
        identity = case.get("identity") or {}
        for path, box in self.boxes.items():
            if path.startswith("identity."):
                box.field.set_value(identity.get(path.split(".", 1)[1]))
        self._identity_loaded = True
        self._identity_visible = True
        if self._identity_included():
            # What was just read is the starting point, not a change.
            self._snapshot["identity"] = self.collect().get("identity")
        self._identity_reading = False
        self._update_identity_widgets()
        self.fix_tab_order()

    def _identity_failed(self, error: BaseException) -> None:
        self._identity_reading = False
        self.show_banner("error", error_text(error))

    def _update_identity_widgets(self) -> None:
        if self.identity_button is None:
            return
        focus = QApplication.focusWidget()
        self.identity_button.setText(self.tr("Ẩn thông tin nhận dạng") if self._identity_visible
                                     else self.tr("Hiện thông tin nhận dạng"))
        for frame in self.identity_frames:
            frame.set_revealed(self._identity_visible)
        # The keyboard stays on the button (now saying the opposite), and a field being hidden hands it back there.
        if focus is not None and (focus is self.identity_button
                                  or any(frame.isAncestorOf(focus) for frame in self.identity_frames)):
            self.identity_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._built and focus is self.identity_button:
            a11y.announce(self.identity_button, self.tr("Thông tin nhận dạng đang hiện.") if self._identity_visible
                          else self.tr("Thông tin nhận dạng đã ẩn."), assertive=False)

    def identity_visible(self) -> bool:
        return self._identity_visible

    # --- saving -------------------------------------------------------------------------------------------------
    def save(self) -> None:
        """Send the whole case to the core (off the GUI thread). A second call while one runs does nothing."""
        if self._saving or not self.editable:
            return
        self.ensure_built()
        data = self.collect()
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_action.setEnabled(False)
        self.show_banner("notice", self.tr("Đang lưu…"))
        cases = self.session.cases
        tasks.run_in_background(lambda: cases.save(data), on_done=self._saved, on_error=self._save_failed,
                                owner=self)

    def _save_finished(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.save_action.setEnabled(True)

    def _saved(self, case: dict) -> None:
        self._save_finished()
        unchanged = self.case_id is not None and case["rev"] == self.rev
        self.case_id, self.rev, self.code = case["id"], case["rev"], case["code"]
        self._origin, self._point_id = case.get("origin"), case.get("point_id")
        self.clear_errors()
        # Show what was stored (age group worked out from the age, default dates…).
        self._fill(case)
        self._snapshot = self.collect()
        self._update_title()
        if unchanged:
            self.show_banner("info", self.tr("Không có thay đổi nào cần lưu."))
        else:
            self.show_banner("info", self.tr("Đã lưu vụ việc {code} (lần sửa {rev}).").format(
                code=self.code, rev=self.rev))
        self.saved.emit(self.case_id)
        if self._close_after_save:
            self._finish_close()
        elif not unchanged and self._identity_included():
            self._look_for_same_person(self.case_id)

    # --- one person across incidents (issue 18.6) -------------------------------------------------------------
    def _look_for_same_person(self, case_id: str) -> None:
        """After a save: earlier cases that may be the same person's (through the blind index), proposed for the
        officer to confirm; nothing is linked without her answer."""
        cases = self.session.cases
        tasks.run_in_background(lambda: cases.person_matches(case_id), on_done=self._propose_person,
                                on_error=lambda _e: None, owner=self)

    def _propose_person(self, matches: list) -> None:
        if not matches or not qt_object_alive(self):
            return
        from app.validation import show_date

        box = QMessageBox(self)
        box.setObjectName("samePersonBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Có thể là cùng một người"))
        box.setText(self.tr("Người bị bạo lực trong vụ việc này có thể đã được ghi trong vụ việc khác (cùng họ tên, "
                            "và cùng số điện thoại, số định danh hoặc năm sinh):"))
        box.setInformativeText("\n".join(f"• {m['code']} ({show_date(m['reported_on'])})" for m in matches)
                               + "\n\n" + self.tr("Liên kết các vụ việc này là của cùng một người?"))
        link = box.addButton(self.tr("Đúng, liên kết"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Không phải"), QMessageBox.ButtonRole.RejectRole)
        cases, case_id = self.session.cases, self.case_id

        def answered(_result) -> None:
            if box.clickedButton() is link:
                def link_all():
                    for match in matches:
                        cases.link_person(case_id, match["id"])
                    return cases.get(case_id)
                tasks.run_in_background(link_all, on_done=lambda case: form_sections.fill_management(self, case),
                                        on_error=lambda error: self.show_banner("error", error_text(error)),
                                        owner=self)
            box.deleteLater()

        box.finished.connect(answered)
        self.same_person_box = box
        box.open()

    def _save_failed(self, error: BaseException) -> None:
        self._save_finished()
        self._close_after_save = False
        if isinstance(error, ValidationFailed):
            self.show_errors(error.errors)
            return
        if not isinstance(error, BinhAnError):
            log.error("saving a case failed: %s", type(error).__name__)
        # A conflict or a refusal: say so, keep everything the person typed.
        self.show_banner("error", error_text(error))

    # --- errors -------------------------------------------------------------------------------------------------
    def box_for(self, path: str) -> FieldBox | None:
        """The field a core error path names ("survivor.age", "perpetrators[1].relationship")."""
        if path in self.boxes:
            return self.boxes[path]
        match = _ROW_PATH.match(path)
        if match and match.group(1) in self.row_lists:
            return self.row_lists[match.group(1)].box(int(match.group(2)), match.group(3))
        return None

    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.clear_error()
        for rows in self.row_lists.values():
            for card in rows.cards:
                for box in card.boxes.values():
                    box.clear_error()

    def show_errors(self, errors) -> None:
        """Each message under its field, the rest in the banner; then go to the first field at fault."""
        self.ensure_built()
        self.clear_errors()
        placed: list[FieldBox] = []
        elsewhere: list[str] = []
        for error in errors:
            box = self.box_for(error.path)
            message = error.message(self.lang)
            if box is None or (box.field.isHidden() and not box.isVisibleTo(self)):
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
        chain = self.tab_chain()
        position = {id(w): n for n, w in enumerate(chain)}
        self._error_boxes = sorted(placed, key=lambda box: position.get(id(self._focus_target(box)), len(chain)))
        self._error_index = -1
        if placed:
            self.go_to_error(+1)

    def go_to_error(self, step: int = 1) -> QWidget | None:
        """F8 / Shift+F8: the keyboard to the next / previous field at fault, round and round; its message is
        said by a screen reader (it is the field's description too)."""
        boxes = [box for box in getattr(self, "_error_boxes", []) if qt_object_alive(box) and box.error]
        self._error_boxes = boxes
        if not boxes:
            return None
        self._error_index = (self._error_index + step) % len(boxes)
        box = boxes[self._error_index]
        target = self._focus_target(box)
        self.go_to_section(self.section_of(target), focus=False)
        self.scroll_area.ensureWidgetVisible(box, 20, 40)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    @staticmethod
    def _focus_target(box: FieldBox) -> QWidget:
        if isinstance(box.field, Checklist):
            return next(iter(box.field.boxes.values()))
        return box.field

    def field_errors(self) -> dict[str, str]:
        """Every message now shown under a field, by path (for tests and screenshots)."""
        shown = {path: box.error for path, box in self.boxes.items() if box.error}
        for name, rows in self.row_lists.items():
            for n, card in enumerate(rows.cards):
                for key, box in card.boxes.items():
                    if box.error:
                        shown[f"{name}[{n}].{key}"] = box.error
        return shown

    def show_banner(self, kind: str, text: str) -> None:
        """Say `text` at the top of the form, and to a screen reader at once (an error interrupts)."""
        self.banner.setStyleSheet(f"QLabel#caseFormBanner {{ {BANNER_STYLES[kind]} border-radius: 4px; }}")
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)  # its words say what happened; the colour only adds to them
        self.banner.setAccessibleName(text)
        self.banner.show()
        a11y.announce(self.banner, text, assertive=kind == "error")

    def _update_title(self) -> None:
        if self.code:
            title = self.tr("Vụ việc {code}").format(code=self.code)
            self.info_label.setText(self.tr("Lần sửa {rev}").format(rev=self.rev))
            self._load_sync_state()
        else:
            title = self.tr("Vụ việc mới")
            self.info_label.setText(self.tr("Chưa lưu; mã vụ việc được cấp khi lưu lần đầu."))
        self.title_label.setText(title)
        self.setWindowTitle(self.tr("{title} — Bình An").format(title=title))

    def _load_sync_state(self) -> None:
        """Where this revision stands on its way to the parent (DESIGN §6), read on the worker; only for a case
        made here, on a node that sends up."""
        session, case_id, rev = self.session, self.case_id, self.rev
        if case_id is None or session.node_info.kind == "province" or (
                self._origin and not session.owns(self._origin)):
            return
        from sync import status

        tasks.run_in_background(lambda: status.record_state(session, "cases", case_id),
                                on_done=lambda state: self._show_sync_state(rev, state), on_error=lambda _e: None,
                                owner=self)

    def _show_sync_state(self, rev: int | None, state: str) -> None:
        if rev != self.rev:
            return  # saved again meanwhile: a newer answer follows
        words = {"unsent": self.tr("chưa gửi lên cấp trên"), "built": self.tr("đã tạo gói, chưa gửi"),
                 "sent": self.tr("đã gửi, chờ cấp trên nhận"), "received": self.tr("cấp trên đã nhận"),
                 "confirmed": self.tr("cấp trên đã xác nhận"),
                 "kept_aside": self.tr("cấp trên để riêng, chưa nhập (xem trang Đồng bộ)")}
        if state in words:
            self.info_label.setText(self.tr("Lần sửa {rev} · {state}").format(rev=rev, state=words[state]))

    # --- sections and keyboard ------------------------------------------------------------------------------------
    def tab_chain(self) -> list[QWidget]:
        """Every widget Tab can reach, in the order a person reads the form."""
        chain: list[QWidget] = []
        leaves = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QListWidget)

        def walk_layout(layout) -> None:
            for i in range(layout.count()):
                item = layout.itemAt(i)
                if item.widget() is not None:
                    walk_widget(item.widget())
                elif item.layout() is not None:
                    walk_layout(item.layout())

        def walk_widget(widget: QWidget) -> None:
            if isinstance(widget, QScrollArea):
                inside = widget.widget()
                if inside is not None:
                    walk_widget(inside)
                return
            if isinstance(widget, leaves):
                if widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value:
                    chain.append(widget)
                return
            if widget.layout() is not None:
                walk_layout(widget.layout())

        walk_layout(self.layout())
        return chain

    def fix_tab_order(self) -> None:
        chain = self.tab_chain()
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def section_of(self, widget: QWidget | None) -> int:
        for n, section in enumerate(self.sections):
            if widget is not None and (widget is section or section.isAncestorOf(widget)):
                return n
        return -1

    def current_section(self) -> int:
        return max(self.section_list.currentRow(), 0)

    def first_input(self, index: int) -> QWidget | None:
        section = self.sections[index]
        for widget in self.tab_chain():
            if section.isAncestorOf(widget) and widget.isEnabled() and not widget.isHidden() \
                    and widget.isVisibleTo(self):
                return widget
        return None

    def go_to_section(self, index: int, *, focus: bool = True) -> None:
        """Show section `index` at the top of the form; with `focus`, put the keyboard in its first field."""
        self.ensure_built()
        if not 0 <= index < len(self.sections):
            return
        self.section_list.blockSignals(True)
        self.section_list.setCurrentRow(index)
        self.section_list.blockSignals(False)
        self.scroll_area.verticalScrollBar().setValue(self.sections[index].y())
        if focus:
            target = self.first_input(index)
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)

    def _section_chosen(self, row: int) -> None:
        # Arrow keys or a click in the section list: show the section, leave the keyboard in the list.
        # (The list's first current row comes while the sections are still being built: nothing to show yet.)
        if row >= 0 and self._built:
            self.go_to_section(row, focus=False)

    def _focus_moved(self, _old, new) -> None:
        if new is None or not self.isAncestorOf(new):
            return
        index = self.section_of(new)
        if index >= 0 and index != self.section_list.currentRow():
            self.section_list.blockSignals(True)
            self.section_list.setCurrentRow(index)
            self.section_list.blockSignals(False)

    def grab_section(self, index: int):
        """A picture of one section (for screenshots), as it is laid out now."""
        self.go_to_section(index, focus=False)
        return self.grab()

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
        box.setText(self.tr("Vụ việc này có thay đổi chưa lưu."))
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
        # Cancel (or Esc): stay, nothing lost.

    def discard_and_close(self) -> None:
        """Close without asking; unsaved changes are dropped (the caller has asked, or locking must not wait)."""
        if self.unsaved_box is not None:
            self.unsaved_box.deleteLater()
            self.unsaved_box = None
        self._finish_close()

    def _finish_close(self) -> None:
        self._closing = True
        super().reject()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(max(hint.width(), min(text_size.scaled(1080), text_size.available_geometry(self).width())))
        return hint


__all__ = ["CaseForm", "FormSection"]
