"""The case form's input widgets, each holding one value in the shape the core's case dict uses.

Every input has `value()`, `set_value(v)`, `set_read_only(flag)` and an `edited`
signal that fires on a person's edits only (never on `set_value`). None of them
checks anything: what is valid is the core's business (`CaseService.save`), and
its messages come back through `FieldBox.set_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from app.errors import BinhAnError
from ui import style
from ui.i18n import format_date, translate
from ui.qt import (QCheckBox, QComboBox, QEvent, QFrame, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit,
                   QPlainTextEdit, QPushButton, QRegularExpression, QRegularExpressionValidator, QSizePolicy, Qt,
                   QVBoxLayout, QWidget, Signal)
from ui.widgets import a11y

ERROR_COLOUR = style.ERROR
#: The form's style: fields the core found fault with are outlined in red.
FORM_STYLE = f"""
QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] {{
    border: 2px solid {ERROR_COLOUR}; border-radius: 3px; padding: 1px 3px; }}
QFrame#checklist[invalid="true"] {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px; }}
QCheckBox[invalid="true"] {{ color: {ERROR_COLOUR}; }}
QLabel[fieldError="true"] {{ color: {ERROR_COLOUR}; }}
QLabel[fieldHint="true"] {{ color: {style.MUTED}; }}
QFrame#identityBox {{ background: #fff8e1; border: 1px solid #e0c46c; border-radius: 4px; }}
QFrame#identityBox QLabel {{ background: transparent; }}
QFrame#rowCard {{ border: 1px solid #c8c8c8; border-radius: 4px; }}
"""


def repolish(widget: QWidget) -> None:
    """Apply a changed dynamic property to the style sheet."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class FormButton(QPushButton):
    """A push button that Enter presses too (the dialog's default-button rules are switched off)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setAutoDefault(False)
        self.setDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.click()
            return
        super().keyPressEvent(event)


# --- single inputs -------------------------------------------------------------------------------------------
class TextField(QLineEdit):
    edited = Signal()

    def __init__(self, parent=None, *, max_width: int | None = None):
        super().__init__(parent)
        self.textEdited.connect(self.edited)
        if max_width:
            self.setMaximumWidth(max_width)

    def value(self) -> str | None:
        text = self.text().strip()
        return text or None

    def set_value(self, value) -> None:
        self.setText("" if value is None else str(value))

    def set_read_only(self, flag: bool) -> None:
        self.setReadOnly(flag)


class CaseReferenceField(TextField):
    """«Trùng với vụ việc»: one of this node's own cases, typed by its code. Its value is that case's id, never
    the text typed (the core refuses anything else, so a name or a phone typed here is never saved)."""

    def __init__(self, cases, parent=None, *, max_width: int | None = None):
        super().__init__(parent, max_width=max_width)
        self.cases = cases
        self.setPlaceholderText(translate("CaseForm", "Mã vụ việc, ví dụ TN01-2025-00012"))

    def value(self) -> str | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            found = self.cases.rows([text]) or [r for r in [self.cases.find_by_code(text)] if r]
        except BinhAnError:  # a case this account may not see is not one it can point to
            found = []
        return found[0]["id"] if found else text

    def set_value(self, value) -> None:
        shown = self.cases.rows([value]) if value else []
        self.setText(shown[0]["code"] if shown else ("" if value is None else str(value)))


class NumberField(TextField):
    """Whole numbers as typed; the core says which are allowed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00000") + 24)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy (digits only; the slashes are there already). Empty means no date.

    The text goes to the core as typed ("31/02/2025" included): the core parses it
    and says what is wrong, so the form never has its own idea of a valid date.
    """

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setInputMask("99/99/9999;_")
        self.textEdited.connect(self.edited)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 24)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip(translate("DateField", "Ngày, tháng, năm: dd/mm/yyyy"))

    def value(self) -> str | None:
        text = self.text().strip()
        return text if any(c.isdigit() for c in text) else None

    def set_value(self, value) -> None:
        """ISO (as the core stores it) or dd/mm/yyyy (as typed)."""
        if not value:
            self.setText("")
        elif "-" in str(value):
            self.setText(format_date(value))
        else:
            self.setText(str(value))

    def set_read_only(self, flag: bool) -> None:
        self.setReadOnly(flag)


if TYPE_CHECKING:  # to the checker the mixin is the widget it is mixed into (super() reaches Qt's handlers)
    _InputBase = QWidget
else:
    _InputBase = object


class _ReadOnlyInput(_InputBase):
    """Mixin for pickers and tick boxes that can be read-only yet stay readable (a disabled one is greyed out).

    While read-only, the mouse and the keys that would change the value do nothing;
    Tab still moves on and Esc still reaches the form.
    """

    _read_only = False

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self.setProperty("readOnly", flag)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().keyReleaseEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._read_only:
            event.ignore()
            return
        super().wheelEvent(event)


class ChoiceCombo(_ReadOnlyInput, QComboBox):
    """A choice among (value, label, tooltip) entries, with "none chosen" first.

    A stored value that is not (or no longer) among the entries is shown as itself,
    so an old record keeps its value until a person changes it.
    """

    edited = Signal()

    def __init__(self, entries: Iterable[tuple[object, str, str | None]], parent=None, *, none_text: str = ""):
        super().__init__(parent)
        self.addItem(none_text or translate("ChoiceCombo", "— chưa chọn —"), None)
        for value, label, tip in entries:
            self.addItem(label, value)
            if tip:
                self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMaximumWidth(560)
        # The popup may be wider than the box: long labels are read whole there.
        widest = max((self.fontMetrics().horizontalAdvance(self.itemText(i)) for i in range(self.count())),
                     default=0)
        self.view().setMinimumWidth(min(widest + 40, 720))
        self.activated.connect(lambda _index: self.edited.emit())
        self.currentIndexChanged.connect(self._show_tip)

    def _show_tip(self, index: int) -> None:
        # The whole label, for a box too narrow to show it.
        self.setToolTip(self.itemText(index) if index > 0 else "")

    def value(self):
        return self.currentData()

    def set_value(self, value) -> None:
        index = self.findData(value) if value is not None else 0
        if index < 0:
            self.addItem(str(value), value)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        if not self._read_only:
            super().showPopup()


def code_combo(options, lang: str, *, with_definitions: bool = False) -> ChoiceCombo:
    """A combo over one reference list (codes, labels in `lang`)."""
    return ChoiceCombo((o.code, o.label(lang), o.definition(lang) if with_definitions else None) for o in options)


class YesNoCombo(ChoiceCombo):
    """Yes, no, or not known (None)."""

    def __init__(self, parent=None):
        super().__init__([(True, translate("YesNoCombo", "Có"), None),
                          (False, translate("YesNoCombo", "Không"), None)], parent,
                         none_text=translate("YesNoCombo", "— không rõ —"))
        self.setMinimumContentsLength(10)
        self.setMaximumWidth(220)


class TickBox(_ReadOnlyInput, QCheckBox):
    """A check box that can be read-only without being greyed out."""


class CheckField(TickBox):
    edited = Signal()

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.clicked.connect(lambda _checked: self.edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value) -> None:
        self.setChecked(bool(value))


class NoteField(QPlainTextEdit):
    """Free text over several lines; Tab moves on, as everywhere else in the form."""

    edited = Signal()

    def __init__(self, parent=None, *, lines: int = 4):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)
        self._filling = False
        self.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._filling:
            self.edited.emit()

    def value(self) -> str | None:
        text = self.toPlainText().strip()
        return text or None

    def set_value(self, value) -> None:
        self._filling = True
        try:
            self.setPlainText("" if value is None else str(value))
        finally:
            self._filling = False

    def set_read_only(self, flag: bool) -> None:
        self.setReadOnly(flag)


class _WrapLabel(QLabel):
    """A long option text beside its check box; clicking it ticks the box, as a check box's own text would."""

    def __init__(self, text: str, box: QCheckBox):
        super().__init__(text)
        self.setWordWrap(True)
        self._box = box
        self.setBuddy(box)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._box.isEnabled() and not self._box.property("readOnly"):
            self._box.click()
        event.accept()


class Checklist(QFrame):
    """Tick boxes over one reference list; the value is the list of ticked codes, in the list's order.

    With `letter_key`, the box shows that extra key (the law's point letter, "a", "đ"…)
    and the label wraps beside it, for options as long as the law's wording.
    """

    edited = Signal()

    def __init__(self, options, lang: str, parent=None, *, letter_key: str | None = None, columns: int = 1):
        super().__init__(parent)
        self.setObjectName("checklist")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.boxes: dict[str, TickBox] = {}
        for n, option in enumerate(options):
            if letter_key:
                box = TickBox(f"{option.get(letter_key, '')})")
                cell = QWidget()
                row = QHBoxLayout(cell)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                label = _WrapLabel(option.label(lang), box)
                row.addWidget(label, 1)
                box.setAccessibleName(option.label(lang))
                box.setToolTip(option.label(lang))
            else:
                box = TickBox(option.label(lang))
                cell = box
            box.setProperty("code", option.code)
            box.clicked.connect(lambda _checked: self.edited.emit())
            box.installEventFilter(self)
            self.boxes[option.code] = box
            grid.addWidget(cell, n // columns, n % columns)
        self._columns = max(1, columns)
        self._extra: list[str] = []

    # The keyboard: the arrow keys move between the boxes (Space ticks), one Tab leaves the list.
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or obj not in self.boxes.values():
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        boxes = list(self.boxes.values())
        here = boxes.index(obj)
        step = {Qt.Key.Key_Down: self._columns, Qt.Key.Key_Up: -self._columns,
                Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}.get(event.key())
        if step is not None:
            there = here + step
            if 0 <= there < len(boxes):
                boxes[there].setFocus(Qt.FocusReason.TabFocusReason)
            return True  # at the first or last box the keyboard stays where it is
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            forward = event.key() == Qt.Key.Key_Tab
            target = _beyond(boxes[-1] if forward else boxes[0], forward, set(boxes))
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return True
        return False

    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()] + list(self._extra)

    def set_value(self, codes) -> None:
        codes = list(codes or [])
        for code, box in self.boxes.items():
            box.setChecked(code in codes)
        # Codes the list no longer has are kept as they were, not dropped.
        self._extra = [c for c in codes if c not in self.boxes]

    def set_read_only(self, flag: bool) -> None:
        for box in self.boxes.values():
            box.set_read_only(flag)

    def setFocus(self, reason=Qt.FocusReason.OtherFocusReason) -> None:  # noqa: N802 - Qt's name
        first = next(iter(self.boxes.values()), None)
        if first is not None:
            first.setFocus(reason)


def _beyond(widget: QWidget, forward: bool, skip: set) -> QWidget | None:
    """The next (or previous) widget after `widget` in the window's Tab order that takes the keyboard,
    passing over those in `skip`."""
    candidate = widget
    for _ in range(2000):
        following = candidate.nextInFocusChain() if forward else candidate.previousInFocusChain()
        if following is None or following is widget:
            return None
        candidate = following
        if candidate in skip:
            continue
        if (candidate.focusPolicy().value & Qt.FocusPolicy.TabFocus.value and candidate.isEnabled()
                and candidate.isVisibleTo(candidate.window()) and not candidate.isWindow()
                and candidate.window() is widget.window()):
            return candidate
    return None


# --- a field with its error line --------------------------------------------------------------------------
# What a FieldBox holds: one of our inputs, each with value(), set_value(), set_read_only() and `edited`.
FormField = TextField | DateField | ChoiceCombo | CheckField | NoteField | Checklist


class FieldBox(QWidget):
    """One input with the core's message for it underneath (hidden while there is none).

    For screen readers the message is part of the field's description (`a11y.set_field_error`),
    read with the field when the keyboard gets there; a hint shown with the field is the rest of it.
    """

    def __init__(self, field: FormField, parent=None, *, extra: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if extra is None:
            column.addWidget(field)
        else:
            column.addWidget(field)
            column.addWidget(extra)
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setProperty("fieldError", True)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        column.addWidget(self.error_label)
        self._error: str | None = None
        field.edited.connect(self.clear_error)
        hints = [extra] if isinstance(extra, QLabel) else extra.findChildren(QLabel) if extra is not None else []
        hint = " ".join(label.text() for label in hints if label.text())
        if hint:
            for target in self.focus_targets():
                a11y.describe(target, hint)

    def focus_targets(self) -> list[QWidget]:
        """The widgets that take the keyboard for this field (a checklist's boxes, else the field)."""
        boxes = getattr(self.field, "boxes", None)
        return list(boxes.values()) if isinstance(boxes, dict) else [self.field]

    @property
    def error(self) -> str | None:
        return self._error

    def set_error(self, message: str) -> None:
        self._error = message
        # The sign and the red outline catch the eye; the words say what is wrong.
        self.error_label.setText(f"{style.WARNING_SIGN} {message}")
        self.error_label.show()
        self.field.setProperty("invalid", True)
        repolish(self.field)
        for target in self.focus_targets():
            a11y.set_field_error(target, message)

    def clear_error(self) -> None:
        if self._error is None:
            return
        self._error = None
        self.error_label.clear()
        self.error_label.hide()
        self.field.setProperty("invalid", False)
        repolish(self.field)
        for target in self.focus_targets():
            a11y.set_field_error(target, None)


class RiskAnswers(QFrame):
    """The risk assessment's questions (data/reference/risk_question), each answered yes / no / not known;
    the value is {question code: answer code} for the questions answered. The level is the core's to work out."""

    edited = Signal()

    def __init__(self, questions, answers, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("riskAnswers")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(3)
        self.combos: dict[str, ChoiceCombo] = {}
        for n, question in enumerate(questions):
            combo = code_combo(answers, lang)
            combo.setMinimumContentsLength(8)
            combo.setMaximumWidth(200)
            combo.setProperty("code", question.code)
            combo.edited.connect(self.edited.emit)
            label = field_label(question.label(lang) + (" ⚑" if question.get("red_flag") else ""), combo)
            if question.get("red_flag"):
                label.setToolTip(translate("RiskAnswers", "Trả lời «Có» ở câu này: nguy cơ cao."))
            grid.addWidget(label, n, 0)
            grid.addWidget(combo, n, 1)
            self.combos[question.code] = combo
        grid.setColumnStretch(0, 1)

    def value(self) -> dict:
        return {code: combo.value() for code, combo in self.combos.items() if combo.value()}

    def set_value(self, answers) -> None:
        answers = dict(answers or {})
        for code, combo in self.combos.items():
            combo.set_value(answers.get(code))

    def set_read_only(self, flag: bool) -> None:
        for combo in self.combos.values():
            combo.set_read_only(flag)

    def setFocus(self, reason=Qt.FocusReason.OtherFocusReason) -> None:  # noqa: N802 - Qt's name
        first = next(iter(self.combos.values()), None)
        if first is not None:
            first.setFocus(reason)


class ShownText(QLabel):
    """A value the core works out (a risk level), shown, never typed; collected as None, so the core decides."""

    edited = Signal()

    def __init__(self, show: Callable[[object], str], parent=None):
        super().__init__(parent)
        self._show = show
        self.setWordWrap(True)

    def value(self):
        return None

    def set_value(self, value) -> None:
        self.setText(self._show(value) if value else "—")

    def set_read_only(self, flag: bool) -> None:
        pass


def field_label(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


# --- rows: perpetrators, services, referrals, follow-ups, actions ----------------------------------------------
class RowCard(QFrame):
    """One row of a repeated part, drawn as a small card: its fields in a grid, labels above them."""

    remove_requested = Signal(object)

    def __init__(self, title: str, fields: list[tuple], *, columns: int, remove_text: str, removable: bool):
        super().__init__()
        self.setObjectName("rowCard")
        self.title_label = QLabel(title)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.boxes: dict[str, FieldBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        row = column = 0
        for key, label_text, field, *options in fields:
            wide = "wide" in options
            box = FieldBox(field)
            self.boxes[key] = box
            cell = QWidget()
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(field_label(label_text, field))
            stack.addWidget(box)
            stack.addStretch(1)
            if wide and column:
                row, column = row + 1, 0
            grid.addWidget(cell, row, column, 1, columns if wide else 1)
            column = columns if wide else column + 1
            if column >= columns:
                row, column = row + 1, 0
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addLayout(grid)
        self.remove_button = FormButton(remove_text)
        self.remove_button.setObjectName("removeRow")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.remove_button.setVisible(removable)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        layout.addLayout(bottom)

    def value(self) -> dict:
        return {key: box.field.value() for key, box in self.boxes.items()}

    def set_value(self, row: dict) -> None:
        for key, box in self.boxes.items():
            box.field.set_value(row.get(key))

    def first_field(self) -> QWidget:
        return next(iter(self.boxes.values())).field


class RowList(QWidget):
    """A repeated part of the case (`name` as in the case dict): cards, an add button, remove on each card.

    `make_fields()` returns, for one new row, [(key, label, input widget), …]
    in visual order; an entry with a fourth item "wide" takes a whole line. Rows keep the order of the core's list, so the core's
    "perpetrators[1].relationship" is the second card's relationship.
    """

    #: Rows were added or removed (the form redoes its tab order).
    rows_changed = Signal()
    #: A person changed something in a row, or added or removed one.
    edited = Signal()

    def __init__(self, name: str, make_fields: Callable[[], list[tuple[str, str, QWidget]]], *,
                 row_title: Callable[[int], str], add_text: str, remove_text: str, empty_text: str,
                 columns: int = 2, parent=None):
        super().__init__(parent)
        self.name = name
        self._make_fields = make_fields
        self._row_title = row_title
        self._remove_text = remove_text
        self._read_only = False
        self.cards: list[RowCard] = []
        self._columns = columns
        self.empty_label = QLabel(empty_text)
        self.empty_label.setObjectName("emptyRows")
        self.empty_label.setStyleSheet(style.text_colour(style.MUTED))
        self.add_button = FormButton(add_text)
        self.add_button.setObjectName("addRow")
        self.add_button.clicked.connect(self._add_clicked)
        self._cards_layout = QVBoxLayout()
        self._cards_layout.setSpacing(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._cards_layout)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _add_clicked(self) -> None:
        card = self.add_row()
        self.edited.emit()
        card.first_field().setFocus(Qt.FocusReason.TabFocusReason)

    def add_row(self, row: dict | None = None) -> RowCard:
        card = RowCard(self._row_title(len(self.cards) + 1), self._make_fields(), columns=self._columns,
                       remove_text=self._remove_text, removable=not self._read_only)
        for box in card.boxes.values():
            box.field.edited.connect(self.edited)
            box.field.set_read_only(self._read_only)
        if row:
            card.set_value(row)
        card.remove_requested.connect(self._remove_clicked)
        self.cards.append(card)
        self._cards_layout.addWidget(card)
        # A layout shows a new child only on the next event loop turn; the keyboard needs it at once.
        card.show()
        a11y.name_fields(card)
        self._renumber()
        self.rows_changed.emit()
        return card

    def _remove_clicked(self, card: RowCard) -> None:
        index = self.cards.index(card)
        self.remove_row(index)
        self.edited.emit()
        # Keep the keyboard where the person was: the next card, else the add button.
        target = self.cards[index].first_field() if index < len(self.cards) else self.add_button
        if target.isEnabled() and target.isVisible():
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def remove_row(self, index: int) -> None:
        card = self.cards.pop(index)
        self._cards_layout.removeWidget(card)
        card.hide()
        card.deleteLater()
        self._renumber()
        self.rows_changed.emit()

    def _renumber(self) -> None:
        for n, card in enumerate(self.cards, start=1):
            card.title_label.setText(self._row_title(n))
        self.empty_label.setVisible(not self.cards)

    def value(self) -> list[dict]:
        return [card.value() for card in self.cards]

    def set_value(self, rows) -> None:
        rows = list(rows or [])
        while len(self.cards) > len(rows):
            self.remove_row(len(self.cards) - 1)
        for n, row in enumerate(rows):
            if n < len(self.cards):
                self.cards[n].set_value(row)
            else:
                self.add_row(row)

    def box(self, index: int, key: str) -> FieldBox | None:
        if 0 <= index < len(self.cards):
            return self.cards[index].boxes.get(key)
        return None

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self.add_button.setVisible(not flag)
        for card in self.cards:
            card.remove_button.setVisible(not flag)
            for box in card.boxes.values():
                box.field.set_read_only(flag)
