"""Every dialog fits a 1366 × 768 screen: none opens or needs to be taller than 700 px (forms scroll inside)."""

from __future__ import annotations

import pytest

from tests.conftest import sample_case
from ui.qt import QApplication, QGuiApplication
from ui.widgets.screen import MAX_DIALOG_HEIGHT, fit_to_screen

SCREEN = (1366, 768)


def fits(dialog) -> list[str]:
    """What does not fit, after the dialog is shown and laid out (empty when it fits)."""
    dialog.show()
    QApplication.processEvents()
    wrong = []
    for what, size in (("opens at", dialog.size()), ("needs at least", dialog.minimumSizeHint()),
                       ("minimum size", dialog.minimumSize())):
        if size.height() > MAX_DIALOG_HEIGHT or size.width() > SCREEN[0]:
            wrong.append(f"{type(dialog).__name__} {what} {size.width()}×{size.height()}")
    return wrong


def test_fit_to_screen_caps_the_height_and_respects_a_small_screen(qtbot):
    from ui.qt import QDialog

    dialog = QDialog()
    qtbot.addWidget(dialog)
    fit_to_screen(dialog, 900, 900)
    assert dialog.height() <= MAX_DIALOG_HEIGHT
    free = QGuiApplication.primaryScreen().availableGeometry()
    fit_to_screen(dialog, free.width() + 500, 600)
    assert dialog.width() <= free.width()


@pytest.fixture
def window(qtbot, session):
    from ui.main_window import MainWindow

    session.cases.save(sample_case())
    session.activities.save({"kind": "thematic_talk", "title": "Truyền thông thôn Đông",
                             "starts_on": "2025-06-10", "ends_on": "2025-06-10", "participants_total": 40,
                             "participants_female": 25, "target_groups": ["community_general"]})
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    return window


def test_every_dialog_fits_a_1366_by_768_screen(qtbot, window, session, new_node, tmp_path):
    from ui.accounts.dialogs import AccountDialog, OneTimePasswordDialog, RoleDialog
    from ui.accounts.password import ChangePasswordDialog
    from ui.accounts.recover import RecoveryDialog
    from ui.login import LoginDialog
    from ui.registries.dialogs import ModelDialog, ProviderDialog, SchoolDialog
    from ui.setup.recovery import RecoveryKeyDialog, node_kind_label
    from ui.setup.wizard import SetupWizard
    from ui.sync.wires import WiresDialog
    from ui.sync.work import wires
    from ui.widgets.progress import Progress, ProgressDialog

    info = session.node_info
    roles = session.reference["role"]
    account = {"username": "admin", "display_name": "Quản trị thử", "role": "admin", "point_id": None}
    dialogs = [
        LoginDialog(new_node), RecoveryDialog(new_node), SetupWizard(tmp_path / "new"),
        AccountDialog(session, roles, [], window), RoleDialog(session, roles, [], account, window),
        OneTimePasswordDialog("bob", "Bob", "abcd-efgh", window), ChangePasswordDialog(session, "x", window),
        RecoveryKeyDialog("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH", info,
                          node_kind_label(session.reference, info.kind), window),
        ModelDialog(session, None, window), SchoolDialog(session, None, window), ProviderDialog(session, None, window),
        WiresDialog(wires(session), sends=True, parent=window),
        ProgressDialog(Progress(), "…", window),
        window.show_guide(), window.show_about(),
    ]
    window.open_case(session.cases.ids()[0])
    dialogs += window.cases_page.open_forms()
    activity_ids = session.activities.ids()
    if activity_ids:
        window.activities_page.open_activity(activity_ids[0])
        dialogs += window.activities_page.open_forms()
    wrong = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        wrong += fits(dialog)
    assert {type(d).__name__ for d in dialogs} >= {"CaseForm", "SetupWizard", "GuideWindow"}
    assert wrong == []
