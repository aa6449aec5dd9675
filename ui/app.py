"""Starting the window.

    run_window(data_dir)                    # log in (or set up the node first), then the main window
    run_window(data_dir, session=session)   # already logged in (binhan --demo)

With no node in `data_dir` yet, the set-up wizard creates one and the window
opens logged in as its administrator. `run_window` returns the exit code for
the command line: 0 after a normal close, 1 when the person cancels the set-up
or the login, or the node cannot be opened.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import app
from app.errors import BinhAnError
from app.node import Node
from ui import i18n, text_size
from ui.i18n import error_text, translate
from ui.login import LoginDialog
from ui.main_window import MainWindow, pause_preloading, preload_pages, resume_preloading
from ui.qt import QApplication, QFont, QFontDatabase, QMessageBox, QWidget
from ui.settings import saved_language
from ui.widgets import a11y

log = logging.getLogger(__name__)

#: Families tried in order; the first installed one that covers Vietnamese is used.
PREFERRED_FONTS = ("Noto Sans", "DejaVu Sans")
FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"


def ensure_application() -> QApplication:
    """The running QApplication, or a new one set up for Bình An."""
    existing = QApplication.instance()
    if existing is not None and not isinstance(existing, QApplication):
        raise RuntimeError("a Qt application without widgets is running: the window cannot open in it")
    qapp = existing
    if qapp is None:
        qapp = QApplication(sys.argv[:1])
        qapp.setApplicationName(app.APP_ID)
        qapp.setApplicationVersion(app.__version__)
        if not os.environ.get("BINHAN_LANG"):  # the environment wins over what Settings remembered
            remembered = saved_language()
            if remembered:
                i18n.set_language(remembered)
    i18n.install_translators(qapp)
    apply_vietnamese_font(qapp)
    if text_size.current() == text_size.MIN_PERCENT:
        text_size.apply(text_size.saved(), qapp)  # the last size chosen here, for the login; the user's follows
    a11y.install(qapp)
    return qapp


def no_display_message() -> str | None:
    """Open the application's connection to the screen now; a line saying why it cannot, or None.

    Without a display Qt does not raise: it prints a screenful about platform plugins and aborts
    the process, so nothing after it runs (a throwaway demo folder would stay behind). So this is
    asked before anything is made: a Linux machine with no DISPLAY or WAYLAND_DISPLAY is told at
    once, and a display Qt cannot open (no X server there, a library missing) is caught in Qt's
    own fatal message and said in one line, and the process ends with status 1.
    """
    lang = i18n.language()
    line = ("Không mở được cửa sổ: máy này không có màn hình (DISPLAY hay WAYLAND_DISPLAY chưa đặt, hoặc Qt "
            "không kết nối được). Chạy trên máy có màn hình, hoặc thử «binhan --self-test»."
            if lang != "en" else
            "Cannot open the window: this machine has no display (DISPLAY or WAYLAND_DISPLAY unset, or Qt "
            "cannot connect to it). Run it where there is a screen, or try «binhan --self-test».")
    if QApplication.instance() is not None:
        return None
    platform = (os.environ.get("QT_QPA_PLATFORM") or "").split(":")[0]
    needs_screen = platform in ("", "xcb", "wayland", "wayland-egl")
    if (needs_screen and sys.platform.startswith(("linux", "freebsd", "openbsd"))
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        return line
    from ui.qt import QtMsgType, qInstallMessageHandler

    def fatal_in_one_line(kind, _context, message) -> None:
        if kind == QtMsgType.QtFatalMsg:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
            os._exit(1)
        if kind != QtMsgType.QtDebugMsg and "platform plugin" not in message:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(fatal_in_one_line)
    try:
        ensure_application()
    finally:
        qInstallMessageHandler(previous)
    return None


def apply_vietnamese_font(qapp: QApplication) -> str | None:
    """Use a font with full Vietnamese coverage if one is available; returns its family.

    Fonts shipped under resources/fonts/ are registered first, so a bundled
    Noto Sans wins on machines that lack one.
    """
    if FONTS_DIR.is_dir():
        for path in sorted(FONTS_DIR.glob("*.[ot]tf")):
            QFontDatabase.addApplicationFont(str(path))
    families = set(QFontDatabase.families())
    for family in PREFERRED_FONTS:
        if family in families and QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family):
            font = QFont(qapp.font())
            font.setFamily(family)
            qapp.setFont(font)
            return family
    return None


#: glibc's M_ARENA_MAX (malloc.h); how many malloc arenas the window's threads share.
_M_ARENA_MAX = -8
MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """On Linux with glibc, let every thread share `arenas` malloc arenas; True when it was set.

    glibc gives each thread that allocates its own arena and keeps what was freed
    there: the database worker's big reads (200 000 ids, report queries) left
    ~25 MB resident for good at province scale (DESIGN §8: ≤ 300 MB). The window's
    Python threads take turns under the GIL anyway, so sharing costs nothing seen.
    Call before the first thread starts. Elsewhere (Windows, macOS, musl) nothing happens.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


def _quiet_excepthook(kind, error, trace) -> None:
    """Crash output without the exception's message: a message may carry a record's values
    (a name, a phone number). Where it happened (files, lines, functions) is enough for support."""
    import traceback

    frames = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in traceback.extract_tb(trace))
    sys.stderr.write(f"Bình An: unexpected {kind.__name__}\n{frames}")


def run_window(data_dir: Path, *, session=None) -> int:
    """Show the window for the node in `data_dir` until it is closed; returns the exit code.

    With `session` (already logged in) the login is skipped; the window then
    owns the session and closes it. With no node in `data_dir`, the set-up
    wizard makes one first.
    """
    limit_malloc_arenas()
    previous = sys.excepthook
    if not os.environ.get("BINHAN_DEBUG"):
        sys.excepthook = _quiet_excepthook  # slots' uncaught errors land here (PySide6 calls it)
    try:
        return _run_window(data_dir, session)
    finally:
        sys.excepthook = previous


def _run_window(data_dir: Path, session) -> int:
    problem = no_display_message()
    if problem:
        sys.stderr.write(problem + "\n")
        return 1
    qapp = ensure_application()
    if session is None:
        data_dir = Path(data_dir)
        if not Node.exists(data_dir):
            session = _set_up(data_dir)
            if session is None:
                return 1
    if session is None:
        try:
            node = Node.open(Path(data_dir))
            _ = node.info  # the key-slot file must be readable before we ask for a password
        except BinhAnError as error:
            QMessageBox.critical(None, app.NAME, error_text(error))
            return 1
        preload_pages()  # while the password is typed
        session = _log_in(node)
        if session is None:
            return 1
    current = [MainWindow(session)]

    def follow(successor: MainWindow) -> None:
        # Switching user or language gives a new window; the last one's session is closed at the end.
        current[0] = successor
        successor.replaced.connect(follow)

    current[0].replaced.connect(follow)
    current[0].show()
    try:
        code = qapp.exec()
    finally:
        current[0].close_session()
    return int(code)


def _log_in(node):
    dialog = LoginDialog(node)
    # While the log-in runs and the window is built, the preloading waits (the window resumes it).
    dialog.busy_changed.connect(
        lambda busy: pause_preloading() if busy else resume_preloading() if dialog.session is None else None)
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.session is None:
        return None
    return dialog.session


def _set_up(data_dir: Path):
    """Run the set-up wizard; the administrator's session, or None when the set-up was cancelled."""
    from ui.setup.wizard import SetupWizard

    wizard = SetupWizard(data_dir)
    if wizard.exec() != SetupWizard.DialogCode.Accepted or wizard.node is None:
        return None
    # The first login happens inside the wizard; should it have failed, ask for it like any other day.
    return wizard.session if wizard.session is not None else _log_in(wizard.node)


def screenshot(widget: QWidget, path: Path) -> Path:
    """Save what `widget` shows (shown or not) as a PNG; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.ensurePolished()
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(translate("Screenshot", "Không lưu được ảnh chụp màn hình vào {path}.").format(path=path))
    return path
