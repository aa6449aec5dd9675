"""Fixtures for window tests: jobs run at once, a demo node, cases with known names and dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import ADMIN_PASSWORD, sample_case
from ui import tasks


@pytest.fixture(autouse=True)
def synchronous_tasks(monkeypatch):
    """Background jobs run inside the call, so a test sees their result at once."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)


@pytest.fixture
def demo_node(tmp_path):
    from app.node import Node

    node, _ = Node.create(
        tmp_path / "demo", kind="commune", name="Xã Mẫu Đông Hưng", code="DEMO01", parent_code="TB",
        profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD,
        admin_display_name="Cán bộ mẫu", demo=True,
    )
    return node


def future_day(days: int = 60) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def three_cases(session):
    """An overdue open case (Nguyễn Thị Đào), an open case followed up later, and a closed case.

    Returns their codes by name: {"overdue": …, "later": …, "closed": …}.
    """
    overdue = session.cases.save(sample_case(
        identity={"name": "Nguyễn Thị Đào"},
        intake={"reported_on": "2025-03-10", "incident_on": "2025-03-08", "disclosure_channel": "self"},
        follow_ups=[{"due_on": "2025-04-10", "status": "planned"}]))
    later = session.cases.save(sample_case(
        identity={"name": "Lê Thị Mai"},
        intake={"reported_on": "2025-05-02", "incident_on": "2025-05-01", "disclosure_channel": "self"},
        incident={"time_of_day": "morning", "location_type": "shared_home", "violence_type": "psychological_abuse",
                  "dv_acts": [], "reported_elsewhere": False},
        follow_ups=[{"due_on": future_day(), "status": "planned"}]))
    closed = session.cases.save(sample_case(
        identity={"name": "Phạm Thị Hoa"},
        intake={"reported_on": "2025-01-20", "incident_on": "2025-01-19", "disclosure_channel": "self"},
        status="closed", closure={"items": ["needs_met"], "closed_on": "2025-06-01"},
        follow_ups=[{"due_on": "2025-02-01", "status": "planned"}]))
    return {"overdue": overdue["code"], "later": later["code"], "closed": closed["code"]}


@pytest.fixture
def main_window(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def type_text(qtbot):
    """Type text as a person would, Vietnamese letters included.

    QTest's keyClicks only knows ASCII (it aborts on "đ"); letters with marks
    arrive the way an input method (Unikey, the OS keyboard) delivers them: a
    key event that carries the text.
    """
    from ui.qt import QApplication, QEvent, QKeyEvent, Qt

    def type_into(widget, text: str) -> None:
        for ch in text:
            if ch.isascii():
                qtbot.keyClicks(widget, ch)
                continue
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    return type_into


@pytest.fixture(autouse=True)
def window_preferences(tmp_path, monkeypatch):
    """Preferences (language, text size) go to a file of the test's own; the text size is put back after."""
    import ui.settings as settings
    from ui import text_size

    monkeypatch.setattr(settings, "PREFERENCES_PATH", tmp_path / "preferences" / "window.json")
    yield
    if text_size.current() != text_size.MIN_PERCENT:
        text_size.apply(text_size.MIN_PERCENT)


@pytest.fixture(autouse=True)
def accessibility_helper(qapp):
    """The window-wide helper the application installs (names, Return on buttons, tables, the focus ring)."""
    from ui.widgets import a11y

    return a11y.install(qapp)
