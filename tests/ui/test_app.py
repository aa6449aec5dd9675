import os
import platform
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD
from ui import tasks
from ui.app import apply_vietnamese_font, limit_malloc_arenas, run_window, screenshot
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.qt import QApplication, QFontDatabase, QTimer

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


_LOOKING = []  # the lookers of the running test, stopped when it ends (a leftover timer must not end a later test)


@pytest.fixture(autouse=True)
def _stop_looking():
    yield
    for look in _LOOKING:
        look.left = -1
    _LOOKING.clear()


def when_shown(kind, then, tries=3000):
    """Call `then(widget)` as soon as a NEW top-level widget of `kind` is visible (from inside exec()).

    Only widgets made after this call count: a window an earlier failed test left open must not be taken for
    the one under test (closing it would leave the real one open and exec() waiting for ever)."""
    before = list(QApplication.topLevelWidgets())  # held, so no new widget can reuse one's id

    def look():
        if look.left < 0:
            return
        for widget in QApplication.topLevelWidgets():
            if not any(widget is old for old in before) and isinstance(widget, kind) and widget.isVisible():
                then(widget)
                return
        if look.left > 0:
            look.left -= 1
            QTimer.singleShot(10, look)
        else:  # never shown: end the event loop so the test fails instead of waiting for ever
            QApplication.exit(99)
    look.left = tries
    _LOOKING.append(look)
    QTimer.singleShot(0, look)


def test_run_window_with_a_session_shows_the_window_and_closes_the_session(qtbot, session, node_dir):
    seen = []
    when_shown(MainWindow, lambda w: (seen.append(w.windowTitle()), w.close()))
    assert run_window(node_dir, session=session) == 0
    assert seen and "Xã Thử Nghiệm" in seen[0]
    assert session.store is None


def test_run_window_logs_in_first(qtbot, new_node, node_dir):
    sessions = []

    def log_in(dialog):
        dialog.username_edit.setText("admin")
        dialog.password_edit.setText(ADMIN_PASSWORD)
        dialog.login_button.click()
        sessions.append(dialog.session)
        when_shown(MainWindow, lambda w: w.close())

    when_shown(LoginDialog, log_in)
    assert run_window(node_dir) == 0
    assert sessions and sessions[0].store is None  # logged in, then out when the window closed


def test_cancelling_the_login_returns_1(qtbot, new_node, node_dir):
    when_shown(LoginDialog, lambda d: d.reject())
    assert run_window(node_dir) == 1


def test_no_node_opens_the_set_up_wizard_and_cancelling_it_returns_1(qtbot, tmp_path):
    from ui.setup.wizard import SetupWizard

    seen = []
    when_shown(SetupWizard, lambda w: (seen.append(w.windowTitle()), w.reject()))
    assert run_window(tmp_path / "nowhere") == 1
    assert seen == ["Thiết lập Bình An"]
    assert not (tmp_path / "nowhere" / "keyslots.json").exists()


def test_an_unreadable_node_gives_a_message_and_returns_1(qtbot, new_node, node_dir, monkeypatch):
    from ui.qt import QMessageBox

    (node_dir / "keyslots.json").write_text("{ not json", encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    assert run_window(node_dir) == 1
    assert shown and "Traceback" not in shown[0]


def test_screenshot_saves_a_png(qtbot, main_window, tmp_path):
    path = screenshot(main_window, tmp_path / "shots" / "main.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_chosen_font_covers_vietnamese(qapp):
    family = apply_vietnamese_font(qapp)
    if family is None:
        pytest.skip("neither Noto Sans nor DejaVu Sans is installed here")
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)
    assert qapp.font().family() == family


def test_only_ui_qt_imports_pyside6():
    offenders = [p.relative_to(UI_DIR).as_posix() for p in UI_DIR.rglob("*.py")
                 if p.name != "qt.py" and ("import PySide6" in (text := p.read_text("utf-8"))
                                          or "from PySide6" in text or "shiboken6" in text)]
    assert offenders == []


# --- the background worker ---------------------------------------------------------------------------

def test_a_job_runs_off_the_gui_thread_and_reports_on_it(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    gui = threading.get_ident()
    ran_on, done_on, results = [], [], []

    def job():
        ran_on.append(threading.get_ident())
        return 42

    tasks.run_in_background(job, on_done=lambda r: (done_on.append(threading.get_ident()), results.append(r)))
    qtbot.waitUntil(lambda: results == [42], timeout=3000)
    assert ran_on[0] != gui
    assert done_on == [gui]
    assert not tasks.busy()


def test_a_failing_job_reports_its_error_on_the_gui_thread(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    gui = threading.get_ident()
    errors = []

    def job():
        raise ValueError("hỏng")

    tasks.run_in_background(job, on_done=lambda r: errors.append("done?"),
                            on_error=lambda e: errors.append((threading.get_ident(), str(e))))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert errors == [(gui, "hỏng")]


def test_jobs_run_one_at_a_time_in_order(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    order = []
    for n in range(5):
        tasks.run_in_background(lambda n=n: n, on_done=order.append)
    qtbot.waitUntil(lambda: len(order) == 5, timeout=3000)
    assert order == [0, 1, 2, 3, 4]


def test_callbacks_of_a_destroyed_owner_are_skipped(qtbot, monkeypatch):
    from ui.qt import QObject

    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    owner, kept = QObject(), QObject()
    got = []
    release = threading.Event()
    tasks.run_in_background(lambda: release.wait(3) and "gone", on_done=got.append, owner=owner)
    tasks.run_in_background(lambda: "kept", on_done=got.append, owner=kept)
    owner.deleteLater()
    qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: got == ["kept"], timeout=3000)


def test_discarded_callbacks_never_run(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    got = []
    tasks.run_in_background(lambda: "late", on_done=got.append)
    assert tasks.wait_for_jobs(3000)
    tasks.discard_callbacks()  # what the window does before closing the session
    qtbot.wait(50)
    assert got == [] and not tasks.busy()


def test_synchronous_mode_calls_back_before_returning():
    got = []
    tasks.run_in_background(lambda: "xong", on_done=got.append)
    assert got == ["xong"]


def test_crash_output_names_where_but_never_the_message(capsys):
    from ui.app import _quiet_excepthook

    try:
        raise KeyError("Xuân Canary Quỳnh 0912345678")
    except KeyError as error:
        _quiet_excepthook(type(error), error, error.__traceback__)
    err = capsys.readouterr().err
    assert "unexpected KeyError" in err and "test_app.py" in err
    assert "Canary" not in err and "0912345678" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_the_window_s_threads_share_two_malloc_arenas_on_glibc():
    assert limit_malloc_arenas() is True


# --- no display -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("display", [None, ":77"], ids=["no DISPLAY", "a DISPLAY nobody answers"])
def test_the_demo_without_a_display_says_so_in_one_line_and_leaves_no_folder(tmp_path, display):
    import subprocess

    if not sys.platform.startswith("linux"):
        pytest.skip("the display variables are X11's and Wayland's")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update({"TMPDIR": str(tmp_path), "BINHAN_LANG": "en"}, **({"DISPLAY": display} if display else {}))
    done = subprocess.run([sys.executable, "-m", "binhan", "--demo"], capture_output=True, text=True,
                          timeout=120, env=env, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("Cannot open the window: this machine has no display")
    assert list(tmp_path.iterdir()) == []  # no throwaway demo folder left behind


def test_with_a_display_nothing_is_said_and_the_application_is_made():
    import subprocess

    script = ("from ui.app import no_display_message\n"
              "from ui.qt import QApplication\n"
              "assert no_display_message() is None\n"
              "assert QApplication.instance() is not None\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-800:]
