"""Starting the window.

    run_window(data_dir)                    # log in, then the main window
    run_window(data_dir, session=session)   # already logged in (binhan --demo)

`run_window` returns the exit code for the command line: 0 after a normal
close, 1 when the person cancels the login or there is no node to open.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import app
from app.errors import BinhAnError
from app.node import Node
from ui import i18n
from ui.i18n import error_text, translate
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.qt import QApplication, QFont, QFontDatabase, QMessageBox, QWidget

log = logging.getLogger(__name__)

#: Families tried in order; the first installed one that covers Vietnamese is used.
PREFERRED_FONTS = ("Noto Sans", "DejaVu Sans")
FONTS_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"


def ensure_application() -> QApplication:
    """The running QApplication, or a new one set up for Bình An."""
    qapp = QApplication.instance()
    if qapp is None:
        qapp = QApplication(sys.argv[:1])
        qapp.setApplicationName(app.APP_ID)
        qapp.setApplicationVersion(app.__version__)
    i18n.install_translators(qapp)
    apply_vietnamese_font(qapp)
    return qapp


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


def run_window(data_dir: Path, *, session=None) -> int:
    """Show the window for the node in `data_dir` until it is closed; returns the exit code.

    With `session` (already logged in) the login is skipped; the window then
    owns the session and closes it.
    """
    qapp = ensure_application()
    if session is None:
        try:
            node = Node.open(Path(data_dir))
            node.info  # the key-slot file must be readable before we ask for a password
        except BinhAnError as error:
            QMessageBox.critical(None, app.NAME, error_text(error))
            return 1
        dialog = LoginDialog(node)
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.session is None:
            return 1
        session = dialog.session
    window = MainWindow(session)
    window.show()
    try:
        code = qapp.exec()
    finally:
        window.close_session()
    return int(code)


def screenshot(widget: QWidget, path: Path) -> Path:
    """Save what `widget` shows (shown or not) as a PNG; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.ensurePolished()
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(translate("Screenshot", "Không lưu được ảnh chụp màn hình vào {path}.").format(path=path))
    return path
