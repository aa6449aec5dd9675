"""Accessibility for the whole window, as mechanisms rather than per-widget patches.

    install(qapp)                 # once: names from labels, Return on buttons, tables left with one Tab,
                                  # and a focus ring round whatever has the keyboard
    prepare(page)                 # the same for a page built after its window was shown
    name_fields(widget)           # give every field under `widget` the name of its visible label
    set_field_error(field, text)  # the error becomes part of the field's description (read with it)
    announce(widget, text)        # a screen reader says `text` now (an error banner, "loading…")

Names. Qt gives a field the text of the QLabel whose buddy it is only when the
label and the field share a parent; our fields sit inside wrappers (a field and
its error line), so screen readers heard "edit, blank". `name_fields` puts the
label's text on the field itself: from `QLabel.setBuddy`, else from the row of
a QFormLayout the field is in. It never overwrites a name given on purpose.

Keyboard. Return presses the button that has the keyboard on every page (Qt
does so only in dialogs); a table is crossed with the arrow keys and left with
one Tab (Qt's tables walk cell by cell); the ring shows where the keyboard is
whatever brought it there (Qt draws focus only after Tab, and some styles not
round a combo box at all).
"""

from __future__ import annotations

import logging
import re

from ui import style, text_size
from ui.qt import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSpinBox, QAccessible,
                   QAccessibleAnnouncementEvent, QAccessibleEvent, QApplication, QCheckBox, QColor, QComboBox,
                   QDialog, QEvent, QFormLayout, QGroupBox, QLabel, QLineEdit, QObject, QPainter, QPen,
                   QPlainTextEdit, QPushButton, QRadioButton, QTableView, QTabWidget, QTextEdit,
                   QToolButton, Qt, QWidget, qt_object_alive)

log = logging.getLogger(__name__)

#: Widgets that take text or a choice: the ones a screen reader must name from a label.
FIELD_TYPES = (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView)

_MNEMONIC = re.compile(r"&(?!&)")


def label_text(label: QLabel) -> str:
    """What a label says, as a name: no mnemonic ampersand, no trailing colon, one line."""
    text = _MNEMONIC.sub("", label.text()).replace("&&", "&")
    text = re.sub(r"<[^>]+>", "", text) if label.textFormat() != Qt.TextFormat.PlainText else text
    return " ".join(text.split()).rstrip(":：").strip()


def _focusable(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def first_field(widget: QWidget | None) -> QWidget | None:
    """`widget` itself when it takes the keyboard, else the first widget inside it that does."""
    if widget is None:
        return None
    if _focusable(widget) and not isinstance(widget, QLabel):
        return widget
    for child in widget.findChildren(QWidget):
        if _focusable(child) and not isinstance(child, QLabel) and not child.isWindow():
            return child
    return None


def _name(field: QWidget | None, text: str) -> bool:
    if field is None or not text or field.accessibleName():
        return False
    field.setAccessibleName(text)
    return True


def name_from_label(label: QLabel) -> bool:
    """Name `label`'s buddy (or the field its buddy wraps) from the label's text; True when a name was given."""
    buddy = label.buddy()
    if buddy is None:
        return False
    return _name(first_field(buddy), label_text(label))


def name_fields(root: QWidget, *, fallback: str = "") -> int:
    """Name every unnamed field under `root` from its visible label; returns how many were named.

    In order: a label whose buddy it is; the label of its QFormLayout row; for a text box with
    no label, its placeholder ("Tìm theo mã, tên…"); for a list, a table or a scrolled panel,
    the title of the group box it sits in, else `fallback` (the page's title).
    """
    named = 0
    for label in root.findChildren(QLabel):
        named += name_from_label(label)
    for layout in root.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            label_item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            row_label = label_item.widget() if label_item is not None else None
            if not isinstance(row_label, QLabel) or field_item is None:
                continue
            inner = field_item.layout()
            if field_item.widget() is not None:
                named += _name(first_field(field_item.widget()), label_text(row_label))
            elif inner is not None:
                for i in range(inner.count()):
                    item = inner.itemAt(i)
                    widget = item.widget() if item is not None else None
                    field = first_field(widget) if widget is not None else None
                    if field is not None:
                        named += _name(field, label_text(row_label))
                        break
    for edit in root.findChildren(QLineEdit):
        if not _inside_compound(edit):
            named += _name(edit, " ".join(edit.placeholderText().split()))
    for view in root.findChildren(QAbstractScrollArea):
        if isinstance(view, (QPlainTextEdit, QTextEdit)) or not _focusable(view) or view.accessibleName():
            continue
        group = view.parentWidget()
        while group is not None and not (isinstance(group, QGroupBox) and group.title()):
            group = group.parentWidget() if group is not root else None
        title = _MNEMONIC.sub("", group.title()).strip() if group is not None else fallback
        named += _name(view, title)
    return named


def _inside_compound(widget: QWidget) -> bool:
    """A spin box's or an editable combo box's own line edit: the compound widget carries the name."""
    return isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox))


def describe(field: QWidget, text: str) -> None:
    """The field's description (a hint under it): read after its name. An error shown later comes first."""
    field.setProperty("a11yHint", text)
    _set_description(field)


def _set_description(field: QWidget) -> None:
    parts = [field.property("a11yError") or "", field.property("a11yHint") or ""]
    field.setAccessibleDescription(" ".join(p for p in parts if p))
    _send(QAccessibleEvent(field, QAccessible.Event.DescriptionChanged))


def set_field_error(field: QWidget, message: str | None) -> None:
    """Attach the core's message to `field` (None takes it away): screen readers read it with the field."""
    field.setProperty("a11yError", message or "")
    _set_description(field)


def field_error(field: QWidget) -> str:
    return field.property("a11yError") or ""


def announce(widget: QWidget, text: str, *, assertive: bool = True) -> None:
    """Have a screen reader say `text` now, as coming from `widget` (a banner, a status line)."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    _send(event)


def set_live_text(label: QLabel, text: str) -> None:
    """Change what a status label says and announce it (its accessible name follows its text)."""
    label.setText(text)
    label.setAccessibleName(text)
    _send(QAccessibleEvent(label, QAccessible.Event.NameChanged))
    announce(label, text)


def _send(event) -> None:
    """Hand an accessibility event to Qt (tests replace this to see what was said)."""
    QAccessible.updateAccessibility(event)


# --- the focus ring ------------------------------------------------------------------------------------------
class FocusRing(QWidget):
    """A 2-pixel ring round the widget that has the keyboard, in every style and for every focus reason.

    A child of that widget laid over it (children paint above their parent; the mouse goes through),
    drawn on the widget's own edge: a field fills its wrapper exactly, and anything outside is cut off.
    Qt's QFocusFrame is stacked under the widget in most styles, where the field hides it.
    """

    WIDTH = 2

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._target: QWidget | None = None

    def widget(self) -> QWidget | None:
        return self._target

    def setWidget(self, target: QWidget | None) -> None:  # noqa: N802 - QFocusFrame's name
        if self._target is not None and qt_object_alive(self._target):
            self._target.removeEventFilter(self)
        self._target = target
        if target is None:
            self.hide()
            return
        self.setParent(target)
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        target = self._target
        if target is not None and obj is target and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            self.setGeometry(target.rect())
            self.raise_()
        return False

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        pen = QPen(QColor(style.FOCUS_RING))
        pen.setWidth(self.WIDTH)
        painter.setPen(pen)
        inset = self.WIDTH // 2
        painter.drawRect(self.rect().adjusted(inset, inset, -inset - 1, -inset - 1))
        painter.end()


# --- the application-wide helper ------------------------------------------------------------------------------
def prepare(root: QWidget) -> None:
    """Make everything under `root` reachable and named: fields named from their labels, tab widgets leave the
    keyboard to their tabs, tables are left with one Tab. Called for each window when it first gets the keyboard
    and for each page the main window builds; safe to call again."""
    name_fields(root)
    for tabs in root.findChildren(QTabWidget):
        # Its tabs (the bar) take the keyboard themselves. The widget's own focus goes to the bar, and a bar
        # hidden by setTabBarAutoHide (one tab) kept Tab in the widget before it: a trap (the Sync page, Ctrl+5).
        tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for table in root.findChildren(QTableView):
        table.setTabKeyNavigation(False)


class KeyboardAndNames(QObject):
    """Installed once on the application (`install`). It listens to two signals, not to every event
    (a Python filter on every event of the application made a form's building 70 % slower):

    - a window gets the keyboard the first time: `prepare(window)`, and a window larger than the
      screen is made to fit it (`text_size.keep_on_screen`);
    - the keyboard moves to a widget: the ring follows; a table there is left with one Tab; a push or
      tool button outside a dialog gets Return and Enter (a small filter on that button alone); a field that
      came after its window was prepared (a new row) is named.
    """

    def __init__(self, qapp: QApplication):
        super().__init__(qapp)
        self.ring: FocusRing | None = None
        qapp.focusChanged.connect(self._focus_changed)
        qapp.focusWindowChanged.connect(self._window_focused)

    def _window_focused(self, handle) -> None:
        if handle is None:
            return
        # The active window first; the others only if it is not the one (a window being torn down may still be
        # listed among the top-level widgets: its wrapper is checked before it is touched).
        active = QApplication.activeWindow()
        candidates = [active] if active is not None else []
        candidates += [w for w in QApplication.topLevelWidgets() if w is not active]
        for window in candidates:
            if not qt_object_alive(window):
                continue
            if window.windowHandle() is handle:
                if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                    return
                if not window.property("a11yPrepared"):
                    window.setProperty("a11yPrepared", True)
                    prepare(window)
                text_size.keep_on_screen(window)
                return

    # Return on a button: an event filter on each button the keyboard reaches.
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress:
            return self._key_pressed(obj, event)
        return False

    @staticmethod
    def _key_pressed(obj, event) -> bool:
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if not (obj.hasFocus() and obj.isEnabled() and obj.isVisible()):
            return False
        if event.isAutoRepeat():
            return True  # a held key presses once
        obj.click()
        return True

    def _focus_changed(self, _old, new) -> None:
        if new is None or new.isWindow() or not _focusable(new) \
                or new.window().windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            if self.ring is not None and qt_object_alive(self.ring):
                self.ring.setWidget(None)
            return
        # In a dialog Return is the dialog's: its default button, or the focused one if it is an auto-default
        # (Qt's rule, which forms and wizards rely on). Elsewhere Qt does nothing with it: the button is pressed.
        if isinstance(new, (QPushButton, QToolButton)) and not isinstance(new, (QCheckBox, QRadioButton)) \
                and not isinstance(new.window(), QDialog) and not new.property("a11yReturn"):
            new.setProperty("a11yReturn", True)
            new.installEventFilter(self)
        elif isinstance(new, QTableView):
            new.setTabKeyNavigation(False)
        if not new.accessibleName() and not isinstance(new, QAbstractButton):
            name_fields(new.window())
        if self.ring is None or not qt_object_alive(self.ring):
            self.ring = FocusRing(new)  # never a window of its own, even for a moment
            self.ring.setObjectName("focusRing")
        self.ring.setWidget(new)


_installed: KeyboardAndNames | None = None


def install(qapp: QApplication) -> KeyboardAndNames:
    """Install the window-wide accessibility helper once; returns it."""
    global _installed
    if _installed is None or not qt_object_alive(_installed):
        _installed = KeyboardAndNames(qapp)
    return _installed


def unnamed_fields(root: QWidget) -> list[QWidget]:
    """Widgets under `root` (visible, taking the keyboard) that a screen reader could not name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _focusable(widget) or not widget.isVisibleTo(root.window()) or widget.isWindow():
            continue
        if isinstance(widget, QAbstractButton) and _MNEMONIC.sub("", widget.text()).strip():
            continue
        if widget.accessibleName().strip():
            continue
        parent = widget.parentWidget()
        if _inside_compound(widget) and parent is not None and parent.accessibleName().strip():
            continue
        missing.append(widget)
    return missing


__all__ = ["FIELD_TYPES", "FocusRing", "KeyboardAndNames", "announce", "describe", "field_error", "first_field",
           "install", "label_text", "prepare", "name_fields", "name_from_label", "set_field_error", "set_live_text",
           "unnamed_fields"]
