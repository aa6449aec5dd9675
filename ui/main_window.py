"""The main window: navigation on the left, one page at a time on the right.

The window owns the session it is given: closing the window closes the
session, exactly once. It decides nothing itself; what a person may see or do
is asked of the session (`session.can`).
"""

from __future__ import annotations

import logging

import app
from app.cases import CaseFilter
from app.errors import BinhAnError
from ui import tasks
from ui.cases.page import CasesPage
from ui.i18n import error_text, format_count, language
from ui.qt import (QAction, QCloseEvent, QFrame, QGridLayout, QHBoxLayout, QKeySequence, QLabel, QListWidget,
                   QMainWindow, QMessageBox, QStackedWidget, Qt, QVBoxLayout, QWidget)

log = logging.getLogger(__name__)

# The pages in the order of the navigation list; code names stay English.
PAGE_KEYS = ("overview", "cases", "activities", "reports", "sync", "registries", "settings")


class PlaceholderPage(QWidget):
    """A page not built yet: says so in one plain sentence."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.message = QLabel(self.tr("Trang này sẽ có trong phiên bản sau."))
        self.message.setObjectName("placeholderMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message, 1)


class OverviewPage(QWidget):
    """A few real numbers from the core; refreshed whenever the page is shown."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.total_value = self._number_label("overviewTotal")
        self.open_value = self._number_label("overviewOpen")
        self.overdue_value = self._number_label("overviewOverdue")
        self.error_label = QLabel()
        self.error_label.setObjectName("overviewError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        cards = ((self.total_value, self.tr("Tổng số vụ việc")),
                 (self.open_value, self.tr("Đang theo dõi, hỗ trợ")),
                 (self.overdue_value, self.tr("Quá hạn theo dõi")))
        for column, (value, caption) in enumerate(cards):
            grid.addWidget(self._card(value, caption), 0, column)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    def _number_label(self, name: str) -> QLabel:
        label = QLabel("—")
        label.setObjectName(name)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        label.setFont(font)
        return label

    def _card(self, value: QLabel, caption: str) -> QFrame:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(card)
        box.setContentsMargins(16, 12, 16, 12)
        box.addWidget(value)
        text = QLabel(caption)
        text.setWordWrap(True)
        box.addWidget(text)
        return card

    def refresh(self) -> None:
        if not self.session.can("case.read"):
            return
        cases = self.session.cases
        tasks.run_in_background(
            lambda: (cases.count(CaseFilter()), cases.count(CaseFilter(status="open")),
                     cases.count(CaseFilter(overdue=True))),
            on_done=self._show_numbers, on_error=self._show_error, owner=self)

    def _show_numbers(self, numbers: tuple[int, int, int]) -> None:
        total, open_, overdue = numbers
        self.error_label.hide()
        self.total_value.setText(format_count(total))
        self.open_value.setText(format_count(open_))
        self.overdue_value.setText(format_count(overdue))
        self.overdue_value.setStyleSheet("color: #c62828;" if overdue else "")

    def _show_error(self, error: BaseException) -> None:
        self.error_label.setText(error_text(error))
        self.error_label.show()


class MainWindow(QMainWindow):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._session_closed = False
        lang = language()
        info = session.node_info
        user = session.user
        role = session.reference["role"].label(user.role, lang)

        title = self.tr("{app} — {node} — {user} ({role})").format(
            app=app.NAME, node=info.name, user=user.display_name, role=role)
        if info.demo:
            title += " " + self.tr("[DỮ LIỆU MẪU / DEMO]")
        self.setWindowTitle(title)
        self.resize(1120, 700)
        self.setMinimumSize(800, 500)

        # --- pages ---------------------------------------------------------------------------------
        titles = {
            "overview": self.tr("Tổng quan"),
            "cases": self.tr("Vụ việc"),
            "activities": self.tr("Hoạt động"),
            "reports": self.tr("Báo cáo"),
            "sync": self.tr("Đồng bộ"),
            "registries": self.tr("Danh mục"),
            "settings": self.tr("Cài đặt"),
        }
        self.overview_page = OverviewPage(session)
        self.cases_page = CasesPage(session) if session.can("case.read") else None
        built = {"overview": self.overview_page, "cases": self.cases_page}
        self.pages: dict[str, QWidget] = {key: built.get(key) or PlaceholderPage() for key in PAGE_KEYS}

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        for key in PAGE_KEYS:
            self.navigation.addItem(titles[key])
            self.stack.addWidget(self._framed(titles[key], self.pages[key]))
        font = self.navigation.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.navigation.setFont(font)
        self.navigation.setStyleSheet("QListWidget { outline: 0; } QListWidget::item { padding: 6px 10px; }")
        widest = max(self.navigation.fontMetrics().horizontalAdvance(t) for t in titles.values())
        self.navigation.setFixedWidth(widest + 64)
        self.navigation.currentRowChanged.connect(self._page_changed)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # --- status bar ------------------------------------------------------------------------------
        status = self.statusBar()
        self.status_node = QLabel(self.tr("Đơn vị: {node} ({code})").format(node=info.name, code=info.code))
        self.status_user = QLabel(self.tr("Người dùng: {user}").format(user=user.display_name))
        self.status_role = QLabel(self.tr("Vai trò: {role}").format(role=role))
        for label in (self.status_node, self.status_user, self.status_role):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)
        if info.demo:
            demo = QLabel(self.tr("DỮ LIỆU MẪU — không phải hồ sơ thật"))
            demo.setStyleSheet("color: #8a5300; font-weight: bold;")
            demo.setContentsMargins(8, 0, 8, 0)
            status.addWidget(demo)

        # --- menus -----------------------------------------------------------------------------------
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        self.quit_action = QAction(self.tr("&Thoát"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        self.about_action = QAction(self.tr("&Giới thiệu"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

        # Ctrl+1 … Ctrl+7 go straight to a page.
        for number, key in enumerate(PAGE_KEYS, start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda checked=False, k=key: self.show_page(k))
            self.addAction(action)

        self.navigation.setCurrentRow(0)
        self.navigation.setFocus()

    def _framed(self, title: str, page: QWidget) -> QWidget:
        frame = QWidget()
        heading = QLabel(title)
        heading.setObjectName("pageHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(heading)
        layout.addWidget(page, 1)
        return frame

    # --- pages ------------------------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(PAGE_KEYS.index(key))

    def current_page_key(self) -> str:
        return PAGE_KEYS[self.stack.currentIndex()]

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        if PAGE_KEYS[row] == "overview":
            self.overview_page.refresh()

    # --- help ------------------------------------------------------------------------------------------
    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Giới thiệu {app}").format(app=app.NAME))
        box.setText(self.tr("{app}, phiên bản {version}").format(app=app.NAME, version=app.__version__))
        box.setInformativeText(self.tr(
            "Phần mềm hỗ trợ phòng ngừa, ứng phó với bạo lực trên cơ sở giới ở cơ sở. "
            "Dữ liệu được mã hóa và lưu trên máy này."))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.open()
        return box

    # --- closing ----------------------------------------------------------------------------------------
    def close_session(self) -> None:
        """Close the session once: wait for running jobs, drop their callbacks, log out."""
        if self._session_closed:
            return
        self._session_closed = True
        tasks.wait_for_jobs()
        tasks.discard_callbacks()
        try:
            self.session.close()
        except BinhAnError as error:
            QMessageBox.warning(self, self.tr("Đóng phiên làm việc"), error_text(error))
        except Exception as error:  # noqa: BLE001 - a person gets a message, not a stack trace
            log.error("closing the session failed: %s", type(error).__name__)
            QMessageBox.warning(self, self.tr("Đóng phiên làm việc"), error_text(error))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_session()
        event.accept()
