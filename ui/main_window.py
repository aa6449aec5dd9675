"""The main window: navigation on the left, one page at a time on the right.

The window owns the session it is given: closing the window closes the
session, exactly once. It decides nothing itself; what a person may see or do
is asked of the session (`session.can`).

It locks (ui.lock) after the node's idle time or on Ctrl+L, and it can hand
over to another window: "Đổi người dùng" closes this session and opens a new
window for whoever logs in next; a change of language builds a new window on
the same session. Either way `replaced` carries the new window, so whoever
started this one (run_window) follows it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

import app
from app.cases import CaseFilter
from app.errors import BinhAnError
from app.paths import resources_dir
from ui import style, tasks, text_size
from ui.cases.page import CasesPage
from ui import i18n
from ui.i18n import error_text, format_count, format_date, language
from ui.lock import IdleWatcher, LockScreen
from ui.login import LoginDialog
from ui.qt import (QAction, QApplication, QCloseEvent, QEvent, QFrame, QGridLayout, QHBoxLayout, QKeySequence, QLabel,
                   QListWidget, QMainWindow, QMessageBox, QObject, QScrollArea, QStackedWidget, Qt, QTimer,
                   QVBoxLayout, QWidget, Signal, qt_object_alive)
from ui.settings import idle_lock_minutes, save_preference, sync_status
from ui.settings.page import SettingsPage
from ui.widgets import a11y

log = logging.getLogger(__name__)

# The pages in the order of the navigation list; code names stay English.
PAGE_KEYS = ("overview", "cases", "activities", "reports", "sync", "registries", "accounts", "backups",
             "settings")

# Pages that live in their own folder (`ui/<page>/page.py`). A release without one shows a
# placeholder that says so; the Overview falls back to the few numbers below.
PAGE_MODULES = {
    "overview": ("ui.overview.page", "OverviewPage"),
    "activities": ("ui.activities.page", "ActivitiesPage"),
    "reports": ("ui.reports.page", "ReportsPage"),
    "sync": ("ui.sync.page", "SyncPage"),
    "registries": ("ui.registries.page", "RegistriesPage"),
    "accounts": ("ui.accounts.page", "AccountsPage"),
    "backups": ("ui.backups.page", "BackupsPage"),
}


#: What the pages import that is slow and never touches Qt: matplotlib's core (~0.5 s; its Qt backend and
#: our widgets are imported on the GUI thread, since creating Qt classes on two threads at once crashes).
PRELOADED_MODULES = ("numpy", "matplotlib", "matplotlib.font_manager", "matplotlib.figure",
                     "matplotlib.backends.backend_agg", "matplotlib.lines", "matplotlib.patches",
                     "matplotlib.ticker")


#: Cleared while a log-in runs and the window is built: the preloading waits (see `preload_pages`).
_PRELOAD_MAY_RUN = threading.Event()
_PRELOAD_MAY_RUN.set()


def preload_pages() -> threading.Thread:
    """Load what the pages need and is slow to load on a background thread; return it (already started).

    The Overview's charts bring in matplotlib, and the shipped reference lists are
    thirty TOML files to parse. Started while the login dialog waits for a password,
    this is done by the time the person has typed it. Only modules that never touch
    Qt (`PRELOADED_MODULES`) and the shipped lists (a cache shared by every session)
    are loaded here: no Qt class, no widget, no database.

    Someone who logs in at once would otherwise wait for it: importing holds
    Python's lock, and the window's build would queue behind it (0.3 s of the
    start, DESIGN §8). So it stops between two modules while `pause_preloading()`
    holds (from the log-in until the window's first figures are painted), and
    goes on after `resume_preloading()`; the charts that need it are made after
    those figures in any case.
    """
    def load() -> None:
        try:
            from app.reference import load_reference

            load_reference()
        except Exception as error:  # noqa: BLE001 - the session meets it again and says what is wrong
            log.debug("preloading the reference lists failed: %s", type(error).__name__)
        for module_name in PRELOADED_MODULES:
            _PRELOAD_MAY_RUN.wait()
            try:
                importlib.import_module(module_name)
            except Exception as error:  # noqa: BLE001 - the page's own import meets it again and decides
                log.debug("preloading %s failed: %s", module_name, type(error).__name__)

    thread = threading.Thread(target=load, name="binhan-preload", daemon=True)
    thread.start()
    return thread


def pause_preloading() -> None:
    """Let `preload_pages`' thread stop after the module it is loading (a log-in started)."""
    _PRELOAD_MAY_RUN.clear()


def resume_preloading() -> None:
    _PRELOAD_MAY_RUN.set()


def page_class(key: str):
    """The class of the page `key` from its own module, or None when this release has no such module."""
    module_name, class_name = PAGE_MODULES[key]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            return None
        raise
    return getattr(module, class_name)


#: Pages built the first time they are shown rather than with the window: they read nothing the window
#: needs before then, and building them took ~0.3 s of the start (DESIGN §8: a usable window in 1.5 s).
BUILT_WHEN_FIRST_SHOWN = ("reports", "sync", "registries", "accounts", "backups")
#: Pages built once the Overview has painted its first figures (or when first used, if sooner): the
#: window opens on the Overview, and their first reads would otherwise run beside its figures' drawing.
BUILT_AFTER_FIRST_FIGURES = ("cases", "activities", "settings")


class _Pages(dict):
    """Page key -> page. A page not built yet is built when first asked for; `values()` and `items()`
    give the pages built so far (a page never shown holds no unsaved work)."""

    def __init__(self, build, keys):
        super().__init__()
        self._build, self._keys = build, tuple(keys)

    def __missing__(self, key):
        if key not in self._keys:
            raise KeyError(key)
        page = self[key] = self._build(key)
        return page

    def __contains__(self, key) -> bool:
        return key in self._keys

    def is_built(self, key: str) -> bool:
        return dict.__contains__(self, key)


class _AfterNextPaint(QObject):
    """Once armed, calls `then()` one event-loop turn after `widget` next paints, once."""

    def __init__(self, widget: QWidget, then):
        super().__init__(widget)
        self._then = then
        self._armed = self._done = False
        widget.installEventFilter(self)

    def arm(self, *_args) -> None:
        if not self._done:
            self._armed = True
            widget = self.parent()
            if isinstance(widget, QWidget):  # made with the widget it watches as its parent
                widget.update()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if self._armed and not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


class _StartUpCheckRelay(QObject):
    """Carries the start-up check's report from its thread to the window (a queued signal)."""

    checked = Signal(object)


class PlaceholderPage(QWidget):
    """A page not built yet: says so in one plain sentence."""

    def __init__(self, text: str | None = None, parent=None):
        super().__init__(parent)
        self.message = QLabel(text or self.tr("Trang này sẽ có trong phiên bản sau."))
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
        self.error_label.setStyleSheet(style.text_colour(style.ERROR))
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
        # Red and a warning sign: the colour never says it alone.
        shown = format_count(overdue)
        self.overdue_value.setText(f"{style.WARNING_SIGN} {shown}" if overdue else shown)
        self.overdue_value.setStyleSheet(style.text_colour(style.ERROR) if overdue else "")

    def _show_error(self, error: BaseException) -> None:
        self.error_label.setText(error_text(error))
        self.error_label.show()


class MainWindow(QMainWindow):
    #: This window handed over to a new one (switch user, language); carries the new window.
    replaced = Signal(object)
    #: The window locked (True) or unlocked (False).
    lock_changed = Signal(bool)
    #: A page was built (its key, the page): pages are built after the window opens or when first used.
    page_built = Signal(str, object)

    #: How often the status bar counts unsent changes again.
    STATUS_REFRESH_MS = 60_000

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        # The user's text size, before any widget takes its font from the application's.
        text_size.apply(text_size.saved(session))
        self._session_closed = False
        self._owns_session = True
        self.is_locked = False
        self.login_dialog: LoginDialog | None = None
        self.successor: MainWindow | None = None
        self._hidden_windows: list[QWidget] = []
        self.guide_window: QWidget | None = None
        lang = language()
        info = session.node_info
        user = session.user
        role = session.reference["role"].label(user.role, lang)

        title = self.tr("{app} — {node} — {user} ({role})").format(
            app=app.NAME, node=info.name, user=user.display_name, role=role)
        if info.demo:
            title += " " + self.tr("[DỮ LIỆU MẪU / DEMO]")
        self.setWindowTitle(title)
        self.setMinimumSize(800, 500)
        text_size.fit_on_screen(self, 1120, 700)

        # Read on this thread before the Overview's first read holds the connection (it waits otherwise).
        self._idle_minutes = idle_lock_minutes(session)
        from app.store.check import clock_trouble

        trouble = clock_trouble(session.store)

        # --- pages ---------------------------------------------------------------------------------
        self.page_titles = {
            "overview": self.tr("Tổng quan"),
            "cases": self.tr("Vụ việc"),
            "activities": self.tr("Hoạt động"),
            "reports": self.tr("Báo cáo"),
            "sync": self.tr("Đồng bộ"),
            "registries": self.tr("Danh mục"),
            "accounts": self.tr("Tài khoản"),
            "backups": self.tr("Sao lưu"),
            "settings": self.tr("Cài đặt"),
        }
        titles = self.page_titles
        self._frames = {key: self._framed(titles[key]) for key in PAGE_KEYS}
        self.pages = _Pages(self._make_page, PAGE_KEYS)
        # The page the window opens on is built now and reads first, on the worker, while the rest is built.
        self.overview_page = self.pages["overview"]
        if hasattr(self.overview_page, "open_list_requested"):
            self.overview_page.open_list_requested.connect(self.open_list)
        if hasattr(self.overview_page, "open_case_requested"):
            self.overview_page.open_case_requested.connect(self.open_due_case)
        if hasattr(self.overview_page, "loaded"):
            self._figures_painted = _AfterNextPaint(self.overview_page, self._build_pages_after_figures)
            self.overview_page.loaded.connect(self._figures_painted.arm)
        else:
            QTimer.singleShot(0, self._build_pages_after_figures)
        if hasattr(self.overview_page, "prefetch"):
            self.overview_page.prefetch()

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Các trang"))
        self.stack = QStackedWidget()
        for key in PAGE_KEYS:
            self.navigation.addItem(titles[key])
            self.stack.addWidget(self._frames[key])
        font = self.navigation.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.navigation.setFont(font)
        self.navigation.setStyleSheet("QListWidget { outline: 0; } QListWidget::item { padding: 6px 10px; }")
        widest = max(self.navigation.fontMetrics().horizontalAdvance(t) for t in titles.values())
        self.navigation.setFixedWidth(widest + 64)
        self.navigation.currentRowChanged.connect(self._page_changed)

        # Everything with data sits in `content`; locking swaps it for the lock screen, so none of it is shown.
        self.content = QWidget()
        self.content.setObjectName("windowContent")
        row = QHBoxLayout(self.content)
        row.setContentsMargins(6, 6, 6, 6)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.lock_screen = LockScreen(session)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.switch_user_requested.connect(self.switch_user)
        self.root = QStackedWidget()
        self.root.setObjectName("windowRoot")
        self.root.addWidget(self.content)
        self.root.addWidget(self.lock_screen)
        self.setCentralWidget(self.root)

        # --- status bar ------------------------------------------------------------------------------
        status = self.statusBar()
        self.status_node = QLabel(self.tr("Đơn vị: {node} ({code})").format(node=info.name, code=info.code))
        self.status_user = QLabel(self.tr("Người dùng: {user}").format(user=user.display_name))
        self.status_role = QLabel(self.tr("Vai trò: {role}").format(role=role))
        self.status_unsent = QLabel(self.tr("Chưa gửi: …"))
        self.status_unsent.setObjectName("statusUnsent")
        self.status_receipt = QLabel(self.tr("Biên nhận gần nhất: chưa có"))
        self.status_receipt.setObjectName("statusReceipt")
        for label in (self.status_node, self.status_user, self.status_role, self.status_unsent,
                      self.status_receipt):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)
        # A province sends nothing up: what it received from below is not "unsent", and no receipt comes to it.
        self._sends_up = info.kind != "province"
        self.status_unsent.setVisible(self._sends_up)
        self.status_receipt.setVisible(self._sends_up)
        if info.demo:
            demo = QLabel(self.tr("DỮ LIỆU MẪU — không phải hồ sơ thật"))
            demo.setStyleSheet(style.text_colour(style.WARNING, bold=True))
            demo.setContentsMargins(8, 0, 8, 0)
            status.addWidget(demo)
        # A PC clock set years wrong or moved back: the core finds it, the window says it (its own words).
        self.clock_warning = None
        if trouble is not None:
            self.clock_warning = QLabel(f"{style.WARNING_SIGN} {trouble.message(language())}")
            self.clock_warning.setObjectName("clockWarning")
            self.clock_warning.setStyleSheet(style.text_colour(style.ERROR, bold=True))
            self.clock_warning.setWordWrap(True)
            self.clock_warning.setContentsMargins(8, 0, 8, 0)
            status.addWidget(self.clock_warning, 1)
        # The node folder was found open to other accounts and made private (app/store/privacy.py).
        self.folder_warning = None
        if getattr(session, "folder_repairs", None):
            from app.store.privacy import messages

            self.folder_warning = QLabel(" ".join(messages(session.folder_repairs, language())[:1]))
            self.folder_warning.setObjectName("folderWarning")
            self.folder_warning.setStyleSheet("color: #b00020; font-weight: bold;")
            self.folder_warning.setWordWrap(True)
            self.folder_warning.setToolTip("\n".join(messages(session.folder_repairs, language())))
            status.addWidget(self.folder_warning, 1)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(self.STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()

        # --- menus -----------------------------------------------------------------------------------
        self._build_menus()

        # --- idle lock -------------------------------------------------------------------------------
        self.idle_watcher = IdleWatcher(self._idle_minutes, parent=self)
        self.idle_watcher.idle.connect(self.lock)
        self.idle_watcher.start()

        self.navigation.setCurrentRow(0)
        self.navigation.setFocus()
        self.refresh_status()
        self._check_start_up()

    @property
    def cases_page(self):
        """The Cases page (built now if it was not yet), or None for a role that cannot read cases."""
        page = self.pages["cases"]
        return page if isinstance(page, CasesPage) else None

    @property
    def activities_page(self):
        """The Activities page (built now if it was not yet), or None in a release without it."""
        page = self.pages["activities"]
        return None if isinstance(page, PlaceholderPage) else page

    @property
    def settings_page(self):
        return self.pages["settings"]

    def _build_pages_after_figures(self) -> None:
        """Build the pages of `BUILT_AFTER_FIRST_FIGURES` not built yet, one an event-loop turn."""
        resume_preloading()  # the figures are on screen: matplotlib may load for the charts
        if self._session_closed:
            return
        for key in BUILT_AFTER_FIRST_FIGURES:
            if not self.pages.is_built(key):
                self.pages[key]
                QTimer.singleShot(0, self._build_pages_after_figures)
                return

    def _make_page(self, key: str) -> QWidget:
        """Build page `key` into its frame on the stack and follow its changes in the status bar."""
        page = self._build_page(key)
        for signal_name in ("changed", "case_saved", "activity_saved"):
            signal = getattr(page, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(self.refresh_status)
        if isinstance(page, SettingsPage):
            page.language_chosen.connect(self.change_language)
            if hasattr(page, "text_size_chosen"):
                page.text_size_chosen.connect(self.change_text_size)
            page.idle_minutes_changed.connect(lambda minutes: self.idle_watcher.set_minutes(minutes))
        # In a scroll area of its own: a page wider or taller than the window (large text, a small screen)
        # scrolls inside rather than making the window larger than the screen.
        scroll = QScrollArea()
        scroll.setObjectName(f"pageScroll_{key}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if hasattr(page, "restored"):  # the data was replaced: every page is built again on it
            page.restored.connect(self._rebuild_after_restore)
        scroll.setWidget(page)
        frame_layout = self._frames[key].layout()
        if not isinstance(frame_layout, QVBoxLayout):  # made by _framed
            raise RuntimeError(f"the frame of page {key} has lost its layout")
        frame_layout.addWidget(scroll, 1)
        # Fields from their labels; a list or a panel with no label of its own is read as the page's title.
        a11y.name_fields(page, fallback=self.page_titles[key])
        a11y.prepare(page)
        self.page_built.emit(key, page)
        return page

    def _build_page(self, key: str) -> QWidget:
        session = self.session
        if key == "cases":
            return CasesPage(session) if session.can("case.read") else PlaceholderPage(
                self.tr("Vai trò của bạn không xem được vụ việc."))
        if key == "settings":
            return SettingsPage(session, idle_minutes=self._idle_minutes)
        cls = page_class(key)
        if cls is None:
            return OverviewPage(session) if key == "overview" else PlaceholderPage()
        return cls(session)

    def _action(self, menu, text: str, slot, shortcut: str | None = None, *, name: str = "",
                data: bool = True) -> QAction:
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda checked=False: slot())
        menu.addAction(action)
        if data:
            self._data_actions.append(action)
        return action

    def _build_menus(self) -> None:
        # Actions that reach data are switched off while the window is locked.
        self._data_actions: list[QAction] = []
        bar = self.menuBar()

        file_menu = bar.addMenu(self.tr("&Tệp"))
        # Ctrl+N and Ctrl+F act on the page shown: a new activity on Activities, a new case elsewhere.
        self.new_case_action = self._action(file_menu, self.tr("&Vụ việc mới"), self.new_item, "Ctrl+N",
                                            name="newItemAction")
        self.new_activity_action = self._action(file_menu, self.tr("&Hoạt động mới"), self.new_activity,
                                                name="newActivityMenuAction")
        self.save_action = self._action(file_menu, self.tr("&Lưu"), self.save_current, "Ctrl+S",
                                        name="saveAction")
        file_menu.addSeparator()
        self.lock_action = self._action(file_menu, self.tr("&Khóa ngay"), self.lock, "Ctrl+L",
                                        name="lockAction", data=False)
        self.switch_user_action = self._action(file_menu, self.tr("Đổi &người dùng…"), self.switch_user,
                                               name="switchUserAction", data=False)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, self.tr("&Thoát"), self.close, "Ctrl+Q", name="quitAction")

        edit_menu = bar.addMenu(self.tr("&Chỉnh sửa"))
        self.find_action = self._action(edit_menu, self.tr("&Tìm vụ việc"), self.find_records, "Ctrl+F",
                                        name="findAction")

        view_menu = bar.addMenu(self.tr("&Xem"))
        self.page_actions: dict[str, QAction] = {}
        for number, key in enumerate(PAGE_KEYS, start=1):
            self.page_actions[key] = self._action(view_menu, self.page_titles[key],
                                                  lambda k=key: self.show_page(k), f"Ctrl+{number}",
                                                  name=f"show_{key}")

        # Text size: 100–150 %, remembered for this user; the window is built again in it.
        size_menu = view_menu.addMenu(self.tr("&Cỡ chữ"))
        size_menu.setObjectName("textSizeMenu")
        self.text_size_actions: dict[int, QAction] = {}
        for percent in text_size.CHOICES:
            action = self._action(size_menu, f"{percent} %", lambda p=percent: self.change_text_size(p),
                                  name=f"textSize{percent}", data=False)
            action.setCheckable(True)
            action.setChecked(percent == text_size.current())
            self.text_size_actions[percent] = action
        size_menu.addSeparator()
        self.larger_text_action = self._action(size_menu, self.tr("Chữ &to hơn"), lambda: self.step_text_size(+1),
                                               "Ctrl+=", name="largerText", data=False)
        self.larger_text_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.smaller_text_action = self._action(size_menu, self.tr("Chữ &nhỏ hơn"),
                                                lambda: self.step_text_size(-1), "Ctrl+-", name="smallerText",
                                                data=False)

        help_menu = bar.addMenu(self.tr("Trợ &giúp"))
        self.guide_action = self._action(help_menu, self.tr("&Hướng dẫn sử dụng"), self.show_guide, "F1",
                                         name="guideAction", data=False)
        help_menu.addSeparator()
        self.about_action = self._action(help_menu, self.tr("&Giới thiệu"), self.show_about, name="aboutAction",
                                         data=False)
        self._update_actions()

    def _on_activities(self) -> bool:
        return (self.stack.currentIndex() == PAGE_KEYS.index("activities")
                and self.activities_page is not None)

    def _has_page(self, key: str) -> bool:
        """Whether page `key` is (or will be, once built) a real page, without building it."""
        if self.pages.is_built(key):
            return not isinstance(self.pages[key], PlaceholderPage)
        if key == "cases":
            return self.session.can("case.read")
        return page_class(key) is not None

    def _update_actions(self) -> None:
        """Enable and name the menu entries for the page shown (none that reach data while locked)."""
        if self.is_locked:
            return
        can = self.session.can
        may_new_case = self._has_page("cases") and can("case.write")
        may_new_activity = self._has_page("activities") and can("activity.write")
        on_activities = self._on_activities()
        self.new_case_action.setText(self.tr("Hoạt động &mới") if on_activities and may_new_activity
                                     else self.tr("&Vụ việc mới"))
        self.new_case_action.setEnabled(may_new_activity if on_activities else may_new_case)
        self.new_activity_action.setEnabled(may_new_activity)
        self.new_activity_action.setVisible(not on_activities)
        self.find_action.setText(self.tr("&Tìm hoạt động") if on_activities else self.tr("&Tìm vụ việc"))
        self.find_action.setEnabled(on_activities or self._has_page("cases"))
        page = self.pages[PAGE_KEYS[max(0, self.stack.currentIndex())]]
        self.save_action.setEnabled(callable(getattr(page, "save", None)))
        for action in self.page_actions.values():
            action.setEnabled(True)

    def _framed(self, title: str) -> QWidget:
        """A page's place on the stack: its heading; the page goes below it when built."""
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
        return frame

    # --- pages ------------------------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(PAGE_KEYS.index(key))

    def current_page_key(self) -> str:
        return PAGE_KEYS[self.stack.currentIndex()]

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_KEYS[row]
        self.pages[key]  # built the first time it is shown
        self.stack.setCurrentIndex(row)
        if key == "overview" and isinstance(self.overview_page, OverviewPage):
            self.overview_page.refresh()  # the Overview in its own folder refreshes itself when shown
        self._update_actions()
        self.refresh_status()

    # --- what the menus do with the pages -------------------------------------------------------------
    def new_item(self) -> None:
        """Ctrl+N: a new activity on the Activities page, a new case anywhere else."""
        if self._on_activities():
            self.new_activity()
        else:
            self.new_case()

    def new_case(self) -> None:
        if self.cases_page is None or not hasattr(self.cases_page, "new_case"):
            return
        self.show_page("cases")
        self.cases_page.new_case()

    def new_activity(self) -> None:
        if self.activities_page is None or not hasattr(self.activities_page, "new_activity"):
            return
        self.show_page("activities")
        self.activities_page.new_activity()

    def open_case(self, case_id: str):
        """Show the Cases page and open one case there (the form the Cases page makes), if it can."""
        if self.cases_page is None or not hasattr(self.cases_page, "open_case"):
            return None
        self.show_page("cases")
        return self.cases_page.open_case(case_id)

    def open_due_case(self, case_id: str) -> None:
        """A due item on the Overview: its case, on the Cases page."""
        if "cases" not in self.pages or self.is_locked:
            return
        self.show_page("cases")
        if self.cases_page is not None:
            self.cases_page.open_case(case_id)

    def open_list(self, key: str, what) -> None:
        """Show page `key` with `what` chosen there: a filter for a list, a tab's name for Registries."""
        if key not in self.pages or self.is_locked:
            return
        self.show_page(key)
        page = self.pages[key]
        if key == "cases" and self.cases_page is not None and hasattr(self.cases_page, "show_filter"):
            self.cases_page.show_filter(what)
        elif key == "cases" and self.cases_page is not None:
            self.cases_page.model.set_filter(what)
        elif hasattr(page, "show_filter") and not isinstance(what, str):
            page.show_filter(what)
        elif hasattr(page, "show_tab") and isinstance(what, str):
            page.show_tab(what)

    def find_records(self) -> None:  # not `find`: QWidget.find(id) is Qt's
        """Ctrl+F: the search box of the Activities page when it is shown, of the Cases page otherwise."""
        page = self.activities_page if self._on_activities() else self.cases_page
        if page is None:
            return
        self.show_page("activities" if page is self.activities_page else "cases")
        if hasattr(page, "focus_search"):
            page.focus_search()
        else:
            page.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.search_edit.selectAll()

    def save_current(self) -> None:
        save = getattr(self.pages[self.current_page_key()], "save", None)
        if callable(save) and not self.is_locked:
            save()

    # --- the start-up check ------------------------------------------------------------------------------
    def _check_start_up(self) -> None:
        """SQLite's quick_check of the whole file, on a thread and a connection of its own.

        It reads every page (a province: ~10 s), so the window is usable meanwhile instead of
        waiting for it. A damaged file is said at once, in the core's words, and the window closes.
        """
        session = self.session
        if tasks.SYNCHRONOUS:
            self._start_up_checked(session.start_up_check())
            return
        relay = _StartUpCheckRelay(self)
        relay.checked.connect(self._start_up_checked)

        def run() -> None:  # its own thread: no widget here
            try:
                report = session.start_up_check()
            except Exception as error:  # noqa: BLE001 - a check that cannot run is not a damaged file
                log.warning("the start-up check did not run: %s", type(error).__name__)
                return
            if qt_object_alive(relay):
                relay.checked.emit(report)

        threading.Thread(target=run, name="binhan-start-up-check", daemon=True).start()

    def _start_up_checked(self, report) -> None:
        if report.ok or self._session_closed:
            return
        QMessageBox.critical(self, app.NAME, report.findings[0].message(language()))
        self.close()

    # --- status bar ---------------------------------------------------------------------------------------
    def refresh_status(self, *_args) -> None:
        """Count unsent changes and find the last receipt again (off the GUI thread)."""
        if self.is_locked or self._session_closed or self.session.store is None or not self._sends_up:
            return
        session = self.session
        tasks.run_in_background(lambda: sync_status(session), on_done=self._show_sync_status,
                                on_error=self._sync_status_failed, owner=self)

    def _show_sync_status(self, status: tuple[int, str | None]) -> None:
        unsent, last_receipt = status
        self.status_unsent.setText(self.tr("Chưa gửi: {count} thay đổi").format(count=format_count(unsent)))
        self.status_receipt.setText(
            self.tr("Biên nhận gần nhất: {date}").format(date=format_date(last_receipt)) if last_receipt
            else self.tr("Biên nhận gần nhất: chưa có"))

    def _sync_status_failed(self, error: BaseException) -> None:
        log.warning("sync status unavailable: %s", type(error).__name__)
        self.status_unsent.setText(self.tr("Chưa gửi: không rõ"))

    # --- locking -------------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Hide every page and dialog of this window behind the lock screen until the password is typed."""
        if self.is_locked:
            return
        self.is_locked = True
        if not self._session_closed:
            self.session.lock()
        self.idle_watcher.stop()
        self._hidden_windows = [w for w in QApplication.topLevelWidgets()
                                if w is not self and w.isVisible() and self._owns_window(w)]
        for window in self._hidden_windows:
            window.hide()
        self.root.setCurrentWidget(self.lock_screen)
        for action in self._data_actions:
            action.setEnabled(False)
        self.lock_screen.reset()
        self.lock_changed.emit(True)

    def _owns_window(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def _unlocked(self) -> None:
        self.is_locked = False
        self.root.setCurrentWidget(self.content)
        for action in self._data_actions:
            action.setEnabled(True)
        self._update_actions()
        for window in self._hidden_windows:
            window.show()
        self._hidden_windows = []
        self.idle_watcher.start()
        self.navigation.setFocus()
        self.refresh_status()
        self.lock_changed.emit(False)

    # --- handing over -----------------------------------------------------------------------------------
    def unsaved_work(self) -> list[QWidget]:
        """Pages and open forms of this window holding changes not yet saved."""
        dirty: list[QWidget] = []
        for page in self.pages.values():
            for check in ("has_unsaved_forms", "has_unsaved_texts"):
                if callable(getattr(page, check, None)) and getattr(page, check)():
                    forms: list[Any] = getattr(page, "open_forms", lambda: [])()
                    dirty.extend([f for f in forms if f.is_dirty()] or [page])
        for window in QApplication.topLevelWidgets():
            is_dirty = getattr(window, "is_dirty", None)  # a form of ours, alone on the screen
            if window is not self and window not in dirty and self._owns_window(window) and callable(is_dirty) \
                    and is_dirty():
                dirty.append(window)
        return dirty

    def _may_leave(self) -> bool:
        """False (and says why) while a case form holds unsaved changes; never asks while locked."""
        if self.is_locked:
            return True  # whoever is at the keyboard now may not see the form to decide about it
        dirty = self.unsaved_work()
        if not dirty:
            return True
        first = dirty[0]
        if first.isWindow():
            first.raise_()
            first.activateWindow()
        else:
            self.show_page(next(k for k, p in self.pages.items() if p is first))
        QMessageBox.information(self, self.tr("Thay đổi chưa lưu"),
                                self.tr("Có nội dung đang nhập dở chưa lưu. Hãy lưu hoặc đóng nó trước."))
        return False

    def _close_forms(self) -> None:
        """Close every form and dialog of this window without asking (logging out, or closing while locked)."""
        for page in self.pages.values():
            if callable(getattr(page, "close_forms", None)):
                page.close_forms()
        for window in self._hidden_windows:
            window.hide()
            window.deleteLater()
        self._hidden_windows = []

    def switch_user(self) -> None:
        """Log this user out and let someone else log in; their window replaces this one."""
        if self.login_dialog is not None or not self._may_leave():
            return
        self.lock()
        self._close_forms()
        node = self.session.node
        self.close_session()
        self.lock_screen.set_signed_out()
        dialog = LoginDialog(node, self)
        dialog.setObjectName("switchUserLogin")
        self.login_dialog = dialog
        dialog.accepted.connect(lambda: self._hand_over(MainWindow(dialog.session)))
        dialog.rejected.connect(self.close)
        dialog.open()

    def change_language(self, lang: str) -> None:
        """Use `lang` from now on: remembered for next time, and this window rebuilt in it at once."""
        if lang == language():
            return
        if not self._may_leave():
            self.settings_page.language_combo.blockSignals(True)
            self.settings_page.language_combo.setCurrentIndex(1 if language() == "en" else 0)
            self.settings_page.language_combo.blockSignals(False)
            return
        try:
            save_preference("language", lang)
        except OSError:
            log.warning("the language preference could not be saved")
        i18n.set_language(lang)
        qapp = QApplication.instance()
        if qapp is not None:  # a window runs inside its application
            i18n.install_translators(qapp)
        self._owns_session = False  # the new window closes it
        successor = MainWindow(self.session)
        successor.show_page("settings")
        self._hand_over(successor)

    def change_text_size(self, percent: int) -> None:
        """Use `percent` text size from now on: remembered for this user, and the window built again in it."""
        percent = text_size.clamp(percent)
        for size, action in self.text_size_actions.items():
            action.setChecked(size == text_size.current())
        if percent == text_size.current() or not self._may_leave():
            return
        text_size.remember(percent, self.session)
        text_size.apply(percent)
        self._owns_session = False  # the new window closes it
        successor = MainWindow(self.session)
        successor.show_page(self.current_page_key())
        self._hand_over(successor)

    def step_text_size(self, direction: int) -> None:
        """Ctrl+= / Ctrl+-: the next larger or smaller size of the menu's."""
        now = text_size.current()
        sizes = [p for p in text_size.CHOICES if (p > now if direction > 0 else p < now)]
        if sizes:
            self.change_text_size(min(sizes) if direction > 0 else max(sizes))


    def _rebuild_after_restore(self, message: str) -> None:
        self._owns_session = False  # the new window closes it
        successor = MainWindow(self.session)
        successor.show_page("backups")
        successor.pages["backups"].message.success(message)
        self._hand_over(successor)

    def _hand_over(self, successor: MainWindow) -> None:
        self.successor = successor
        successor.setGeometry(self.geometry())
        if self.isMaximized():
            successor.showMaximized()
        elif self.isVisible():
            successor.show()
        self.replaced.emit(successor)
        self.close()

    # --- help ------------------------------------------------------------------------------------------
    def show_guide(self):
        """F1: the user guide in the window's language, in its own window (one, brought to the front again)."""
        from ui.help import GuideWindow

        if self.guide_window is None or not qt_object_alive(self.guide_window):
            self.guide_window = GuideWindow(self)
        self.guide_window.show()
        self.guide_window.raise_()
        self.guide_window.activateWindow()
        return self.guide_window

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Giới thiệu {app}").format(app=app.NAME))
        box.setText(self.tr("{app}, phiên bản {version}").format(app=app.NAME, version=app.__version__))
        fonts = self.tr(
            "Phông chữ đi kèm: Noto Sans (chữ trong cửa sổ) và Tinos (chữ trong báo cáo PDF, cùng cỡ chữ với "
            "Times New Roman), cả hai theo Giấy phép Phông chữ Mở SIL 1.1 (SIL Open Font License 1.1); văn bản "
            "giấy phép nằm trong thư mục {folder}.").format(folder=resources_dir() / "fonts")
        box.setInformativeText("\n\n".join([
            self.tr("Phần mềm hỗ trợ phòng ngừa, ứng phó với bạo lực trên cơ sở giới ở cơ sở. "
                    "Dữ liệu được mã hóa và lưu trên máy này."),
            self.tr("Giấy phép: GNU GPL phiên bản 3 trở lên (GPL-3.0-or-later)."),
            fonts,
            self.tr("Cách dùng phần mềm: menu Trợ giúp → Hướng dẫn sử dụng (phím F1)."),
        ]))
        box.setStandardButtons(QMessageBox.StandardButton.NoButton)
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.open()
        return box

    # --- closing ----------------------------------------------------------------------------------------
    def close_session(self) -> None:
        """Close the session once: wait for running jobs, drop their callbacks, log out.

        A window that handed its session to a successor (change of language) leaves it open.
        """
        if self._session_closed:
            return
        self._session_closed = True
        self.idle_watcher.stop()
        self._status_timer.stop()
        if not self._owns_session:
            return
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
        if self.successor is None and not self._session_closed and not self._may_leave():
            event.ignore()
            return
        if self.is_locked or self.successor is not None:
            self._close_forms()
        self.close_session()
        event.accept()
