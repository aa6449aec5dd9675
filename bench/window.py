"""The window as a person starts it, in a fresh process, timed and measured by `python -m bench`.

    python -m bench.window overview DATA_DIR   # start → login → window → the Overview's figures painted
    python -m bench.window cases DATA_DIR      # start → login → window → Ctrl+2 → first case rows painted
    python -m bench.window memory DATA_DIR     # the Overview, the case list scrolled to its end, the Overview again
    python -m bench.window year DATA_DIR       # the Overview's figures painted, then the year before: painted again

Run by `bench.__main__` in a subprocess (offscreen), one process a run, so
interpreter start, imports, fonts and the first query are counted as a person
waits for them. The shipped app has no hook for this: this module builds the
same objects `ui.app.run_window` builds (QApplication, LoginDialog, MainWindow),
types the demo data set's password into the real login dialog and presses its
button (the real background login, key derivation included), and quits once
the window shows what it should. Nothing here is reachable from `binhan`.

Each milestone is one line on standard output, `mark NAME EPOCH_SECONDS VmRSS_kB`; the
parent subtracts the epoch at which it started the process. The last line is
`done` (and, for memory, `rss VmRSS_kB VmHWM_kB` first).

The overview and memory runs quit only once the overview was loaded *and*
painted; the Overview is the page the window opens on. Its charts are made
after its figures are painted (`ui.overview.chart_slot`): the overview run
marks `charts` once those in view are drawn, then quits.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def mark(name: str) -> None:
    print(f"mark {name} {time.time():.6f} {memory_kb()[0]}", flush=True)


def memory_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in kB, from /proc (Linux)."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def main(argv: list[str]) -> int:
    mode, data_dir = argv[0], Path(argv[1])
    password = os.environ.get("BINHAN_BENCH_PASSWORD", "demo")  # the demo data sets' password
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    # What `binhan` imports on its way to the window (binhan.cli, then ui.app).
    import binhan.cli  # noqa: F401
    import ui.app
    from ui import tasks
    from ui.qt import QApplication, QEvent, QObject, QTimer

    mark("imported")
    state = {"window": None}

    class Painted(QObject):
        """Calls `then()` once, right after `widget` has painted while `ready()` holds."""

        fired = True  # until set up: Qt may ask before __init__ has finished

        def __init__(self, widget, ready, then):
            super().__init__(widget)
            self.ready, self.then = ready, then
            self.fired = False
            widget.installEventFilter(self)

        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if not self.fired and event.type() == QEvent.Type.Paint and self.ready():
                self.fired = True
                QTimer.singleShot(0, self.then)  # after this paint event has been handled
            return False

    class BenchLogin(ui.app.LoginDialog):
        """The real dialog; once painted, the password is typed into it and its button pressed."""

        def __init__(self, node, parent=None):
            super().__init__(node, parent)
            Painted(self, lambda: True, self._type_password)

        def _type_password(self) -> None:
            mark("login_shown")
            self.username_edit.setText("admin")
            self.password_edit.setText(password)
            self.login_button.click()

        def _login_failed(self, error) -> None:
            print(f"login failed: {type(error).__name__}", flush=True)
            QApplication.instance().exit(1)

    class BenchWindow(ui.app.MainWindow):
        """The real main window, watched."""

        def __init__(self, session, parent=None):
            super().__init__(session, parent)
            state["window"] = self
            Painted(self, lambda: True, window_painted)
            overview = self.overview_page
            overview.loaded.connect(lambda _data: Painted(overview, lambda: True, overview_painted))
            self.page_built.connect(self._watch_page)

        def _watch_page(self, key, page) -> None:
            if key == "cases":  # built once the Overview's figures are painted, or at Ctrl+2
                page.model.reloaded.connect(lambda count: state.update(all_ids=count))

    def quit_now() -> None:
        window = state["window"]
        tasks.wait_for_jobs()
        tasks.discard_callbacks()
        # Not session.close(): its logout would back the throwaway copy up first.
        window._session_closed = True
        window.session.store.close()
        if window.session.instance_lock is not None:
            window.session.instance_lock.release()
        print("done", flush=True)
        QApplication.instance().exit(0)

    def window_painted() -> None:
        mark("window")
        window = state["window"]
        if mode == "cases":
            # The case list (Ctrl+2) as soon as the window is there: its first rows painted.
            page = window.cases_page
            Painted(page.table.viewport(), lambda: page.model.rowCount() > 0,
                    lambda: (mark("rows"), quit_now()))
            window.show_page("cases")

    def overview_painted() -> None:
        if mode == "year" and "year_chosen" in state:
            return  # the figures of the year chosen: marked by their own watcher below
        mark("overview")
        if mode == "overview":
            charts_drawn(then=quit_now)
            return
        if mode == "year":
            # The person picks the year before in the Overview's year box: its figures painted again.
            page = state["window"].overview_page
            index = page.year_combo.currentIndex() + 1
            if index >= page.year_combo.count():
                index = page.year_combo.currentIndex() - 1
            wanted = page.year_combo.itemData(index)
            page.loaded.connect(lambda data: Painted(page, lambda: True, lambda: (mark("year_switched"), quit_now()))
                                if getattr(data, "year", None) == wanted else None)
            mark("year_chosen")
            state["year_chosen"] = True
            page.year_combo.setCurrentIndex(index)
            return
        if mode != "memory":
            return
        window = state["window"]
        page = window.cases_page
        model = page.model

        def scrolled() -> None:
            mark("scrolled")
            window.overview_page.loaded.connect(lambda _data: QTimer.singleShot(0, measured))
            window.show_page("overview")

        def all_ids(_count=None) -> None:
            page.table.scrollToBottom()
            Painted(page.table.viewport(), lambda: True, scrolled)
            page.table.viewport().update()

        window.show_page("cases")
        if "all_ids" in state:  # every id was read while the Overview loaded
            all_ids()
        else:
            model.reloaded.connect(all_ids)

    def charts_drawn(then) -> None:
        """Mark `charts` once every chart of the Overview in view is made and drawn (they follow the figures)."""
        page = state["window"].overview_page

        viewport = page.scroll_area.viewport()

        def in_view(slot) -> bool:
            if not slot.isVisible():
                return False
            top_left = slot.mapTo(viewport, slot.rect().topLeft())
            return viewport.rect().intersects(slot.rect().translated(top_left))

        def drawn(slot) -> bool:
            return slot.is_made and not getattr(slot.chart(), "_stale", False)

        def check() -> None:
            if all(drawn(slot) for slot in page.chart_slots() if in_view(slot)):
                mark("charts")
                then()
            else:
                QTimer.singleShot(5, check)

        check()

    def measured() -> None:
        mark("overview_again")
        rss, hwm = memory_kb()
        print(f"rss {rss} {hwm}", flush=True)
        quit_now()

    # The shipped start, with the two classes watched: binhan → binhan.cli → ui.cli → ui.app.run_window.
    ui.app.LoginDialog = BenchLogin
    ui.app.MainWindow = BenchWindow
    return ui.app.run_window(data_dir)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
