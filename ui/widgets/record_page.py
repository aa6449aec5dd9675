"""The base of the record pages (Cases, Activities): search, filters, a count, the long list, and its forms.

A page gives its model (a `ui.widgets.record_list.RecordListModel`), the names
and sample widths of its columns, its filters (`build_filters`, `current_filter`),
the words of its count and how it opens a record (`open_record`); the rest —
search as you type, sorting by the columns the core can sort, the menu actions
and their shortcuts, the year filter, the open forms for locking and logging
out, the message when a record cannot be opened — is here, once.

Hooks for the main window: `menu_actions`; `open_forms()`, `has_unsaved_forms()`,
`close_forms()` for locking and logging out; `focus_search()`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.errors import BinhAnError
from ui import style, tasks
from ui.i18n import error_text, translate
from ui.qt import (QAction, QComboBox, QHBoxLayout, QHeaderView, QKeySequence, QLabel, QLineEdit, QMessageBox,
                   QPushButton, Qt, QTableView, QTimer, QVBoxLayout, QWidget)
from ui.widgets import a11y
from ui.widgets.table import read_only_list

log = logging.getLogger(__name__)


def everything() -> str:
    """The first entry of every filter: no filtering."""
    return translate("RecordListPage", "Tất cả")


class RecordListPage(QWidget):
    #: Milliseconds of quiet typing before the search runs.
    SEARCH_DELAY_MS = 250
    #: Filled by the page: object names of its widgets ({"search", "count", "table", "open_error"}).
    NAMES: dict[str, str] = {}
    #: Made by each page with its filters (a page that offers a year).
    year_filter: QComboBox

    def __init__(self, session, model, parent=None, *, samples: dict[int, str], stretch: int,
                 numeric: tuple[int, ...] = (), placeholder: str):
        super().__init__(parent)
        self.session = session
        self.model = model
        self._forms: dict[str, QWidget] = {}
        self.error_box: QMessageBox | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName(self.NAMES["search"])
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(placeholder)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)

        self.count_label = QLabel()
        self.count_label.setObjectName(self.NAMES["count"])
        self.table = self._build_table(samples, stretch, numeric)

        self.clear_filters_button = QPushButton(translate("RecordListPage", "Bỏ lọc"))
        self.clear_filters_button.setObjectName("clearFilters")
        self.clear_filters_button.clicked.connect(self.clear_filters)

    def _build_table(self, samples: dict[int, str], stretch: int, numeric: tuple[int, ...]) -> QTableView:
        table = read_only_list(QTableView(), self.NAMES["table"], self.model)
        header = table.horizontalHeader()
        metrics = self.fontMetrics()
        # Wide enough for the heading (and its sort arrow) and a typical value; longer labels are elided, the
        # tooltip has them whole. Numbers need less room than words.
        for column, sample in samples.items():
            heading = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(heading) + 24)
            table.setColumnWidth(column, width + (10 if column in numeric else 20))
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_changed)
        table.activated.connect(self._activated)
        return table

    def lay_out(self, new_button: QPushButton, filters: list[tuple[QLabel, QWidget]], extra: list[QWidget],
                notes: Sequence[QWidget] = ()) -> None:
        """Search, count and the new button on top; the filters below; then any notes, then the list."""
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(new_button)
        row = QHBoxLayout()
        row.setSpacing(6)
        for caption, widget in filters:
            row.addWidget(caption)
            row.addWidget(widget)
            row.addSpacing(10)
        for widget in (*extra, self.clear_filters_button):
            row.addWidget(widget)
            row.addSpacing(10)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row)
        for note in notes:
            layout.addWidget(note)
        layout.addWidget(self.table, 1)
        self.model.loading.connect(self._show_loading)
        self.model.reloaded.connect(self._show_count)
        self.model.load_failed.connect(self._load_failed)

    # --- filters ------------------------------------------------------------------------------------------
    def filter_combo(self, name: str, entries, *, shortest: int = 12) -> QComboBox:
        """A filter: «Tất cả» then `entries` (value, label); choosing one applies it at once."""
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(everything(), None)
        for value, label in entries:
            combo.addItem(label, value)
        # Long labels are elided in the box and read whole in the popup and the tooltip.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(shortest)
        widen_popup(combo)
        combo.currentIndexChanged.connect(lambda index: combo.setToolTip(combo.itemText(index)))
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    @staticmethod
    def caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def current_filter(self):
        """What the search box and the filters above the list ask for now."""
        raise NotImplementedError("each record page reads its own filters")

    def clear_filters(self) -> None:
        raise NotImplementedError("each record page clears its own filters")

    # --- the menu's actions -------------------------------------------------------------------------------
    def build_actions(self, new_text: str, new_name: str, new_slot, may_write: bool, find_text: str,
                      find_name: str, others: Sequence[QAction] = ()) -> QAction:
        """The new-record action (Ctrl+N), `others`, then the find action (Ctrl+F): `menu_actions`."""
        new_action = QAction(new_text, self)
        new_action.setObjectName(new_name)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(new_slot)
        new_action.setEnabled(may_write)
        new_action.setVisible(may_write)
        self.find_action = QAction(find_text, self)
        self.find_action.setObjectName(find_name)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        #: For the main window's menu. Their shortcuts work while the page has the focus; a window
        #: that wants them everywhere sets `setShortcutContext(Qt.ShortcutContext.WindowShortcut)`.
        self.menu_actions = [new_action, *others, self.find_action]
        for action in self.menu_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return new_action

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._yield_shortcuts_to_window()
        super().showEvent(event)

    def _yield_shortcuts_to_window(self) -> None:
        """Drop a page shortcut the window already has (its menu's Ctrl+N): two would cancel each other out."""
        window = self.window()
        if window is self:
            return
        taken = {action.shortcut().toString() for action in window.findChildren(QAction)
                 if action not in self.menu_actions and not action.shortcut().isEmpty()}
        for action in self.menu_actions:
            if action in self.actions() and action.shortcut().toString() in taken:
                self.removeAction(action)

    # --- searching and sorting ------------------------------------------------------------------------------
    def apply_search(self) -> None:
        self._search_timer.stop()
        if self.search_edit.text().strip() == self.model.filter.search:
            return
        self.model.set_filter(self.current_filter())

    def apply_filters(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.filter:
            self.model.set_filter(flt)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def load_years(self) -> None:
        """Fill the year filter with the years that have records (and this year), newest first."""
        tasks.run_in_background(self.years_reader(), on_done=self._show_years, on_error=self._load_failed,
                                owner=self)

    def years_reader(self):
        """A function for the worker that returns the years to offer (no widget in it)."""
        raise NotImplementedError("each record page reads its own years")

    def _show_years(self, years: list[int]) -> None:
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        while self.year_filter.count() > 1:
            self.year_filter.removeItem(1)
        for year in sorted(set(years) | ({chosen} if chosen else set()), reverse=True):
            self.year_filter.addItem(str(year), year)
        self.year_filter.setCurrentIndex(max(self.year_filter.findData(chosen), 0) if chosen else 0)
        self.year_filter.blockSignals(False)

    def _sort_changed(self, column: int, order) -> None:
        if column not in self.model.SORT_KEYS:
            # Not sortable: put the arrow back where the list really is sorted.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(),
                                    Qt.SortOrder.DescendingOrder if self.model.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        self.model.sort(column, order)

    def _activated(self, index) -> None:
        record_id = self.model.record_id(index.row())
        if record_id:
            self.open_record(record_id)

    # --- forms ------------------------------------------------------------------------------------------------
    def open_record(self, record_id: str) -> None:
        raise NotImplementedError("each record page opens its own form")

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        record_id = self.model.record_id(index.row()) if index.isValid() else None
        if record_id:
            self.open_record(record_id)

    def bring_forward(self, record_id: str) -> bool:
        """Show the form already open for `record_id`, if there is one."""
        form = self._forms.get(record_id)
        if form is None:
            return False
        present(form)
        return True

    def _forget_form(self, form) -> None:
        for record_id, open_form in list(self._forms.items()):
            if open_form is form:
                del self._forms[record_id]

    def open_failed_box(self, error: BaseException, title: str) -> None:
        """The core's words on why a record did not open, in a box of its own (not a form)."""
        if not isinstance(error, BinhAnError):
            log.error("opening a record failed: %s", type(error).__name__)
        box = QMessageBox(self)
        box.setObjectName(self.NAMES["open_error"])
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(error_text(error))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        box.addButton(translate("RecordListPage", "Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.finished.connect(box.deleteLater)
        self.error_box = box
        box.open()

    def open_forms(self) -> list:
        """Every form open now (the lock hides them; logging out closes them)."""
        return list(self._forms.values())

    def has_unsaved_forms(self) -> bool:
        return any(form.is_dirty() for form in self.open_forms())

    def close_forms(self) -> None:
        """Close every form without asking (the caller has asked the person already, or must not wait)."""
        for form in self.open_forms():
            form.discard_and_close()

    # --- what the person sees ---------------------------------------------------------------------------------
    def count_text(self, count: int) -> str:
        raise NotImplementedError("each record page says its own count")

    def _show_loading(self) -> None:
        """Until the ids arrive the count says so (an empty table alone would read as «nothing here»)."""
        self.count_label.setStyleSheet("")
        a11y.set_live_text(self.count_label, self.tr("đang tải…"))

    def _show_count(self, count: int) -> None:
        self.count_label.setStyleSheet("")
        self.count_label.setText(self.count_text(count))

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setStyleSheet(style.text_colour(style.ERROR))
        a11y.set_live_text(self.count_label, f"{style.WARNING_SIGN} {error_text(error)}")


def widen_popup(combo: QComboBox) -> None:
    """A filter's popup as wide as its longest entry (the box itself may elide)."""
    widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    combo.view().setMinimumWidth(widest + 40)


def present(form: QWidget) -> None:
    form.show()
    form.raise_()
    form.activateWindow()


__all__ = ["RecordListPage", "everything", "present", "widen_popup"]
