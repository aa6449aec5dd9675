"""A real first run: a commune set up with no province profile and no parent code records cases and activities
and saves its reports at once; the Sync page says in one sentence what it waits for at each step."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ADMIN_PASSWORD, sample_case
from tests.ui.test_reports_page import ScriptedFiles
from ui.qt import QApplication, Qt


@pytest.fixture
def fresh_commune(qtbot, tmp_path, type_text):
    """The wizard as a new commune fills it: no parent code, the profile left for later."""
    from app.node import Node
    from ui.setup.wizard import SetupWizard

    wizard = SetupWizard(tmp_path / "xa-moi")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    page = wizard.node_page
    assert "Cán bộ phụ trách ở tỉnh" in page.parent_note.text() and "để trống" in page.parent_note.text()
    type_text(page.name_edit, "Xã Mới Lập")
    page.code_edit.setText("XML01")
    wizard.next()
    profile = wizard.profile_page
    profile.profile_combo.setCurrentIndex(profile.profile_combo.count() - 1)  # «Chưa chọn»
    assert profile.profile_code() is None
    wizard.next()
    admin = wizard.admin_page
    admin.username_edit.setText("quantri")
    admin.password_edit.setText(ADMIN_PASSWORD)
    admin.repeat_edit.setText(ADMIN_PASSWORD)
    wizard.next()
    wizard.next()  # create
    assert wizard.currentPage() is wizard.key_page
    wizard.key_page.panel.confirm_box.setChecked(True)
    wizard.accept()
    session = wizard.session
    info = Node.open(tmp_path / "xa-moi").info
    assert (info.parent_code, info.profile_code) == (None, None)
    yield session
    if session.store is not None:
        session.close()


def test_a_new_commune_without_a_profile_records_and_reports(qtbot, fresh_commune, tmp_path):
    from ui.main_window import PAGE_KEYS, MainWindow

    session = fresh_commune
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for key in PAGE_KEYS:
        window.show_page(key)
        QApplication.processEvents()
    saved = session.cases.save(sample_case())
    session.activities.save({"kind": "thematic_talk", "title": "Nói chuyện chuyên đề", "starts_on": "2025-06-10",
                             "ends_on": "2025-06-10", "participants_total": 30, "participants_female": 20,
                             "target_groups": ["community_general"]})
    window.cases_page.model.reload()
    assert window.cases_page.model.case_id(0) == saved["id"]

    reports = window.pages["reports"]
    out = tmp_path / "out"
    out.mkdir()
    for kind, name in (("annual", "bao-cao-nam.pdf"), ("statistics", "thong-ke.xlsx"),
                       ("activities", "hoat-dong.xlsx")):
        reports.choose(kind, year=2025)
        reports.files = ScriptedFiles(out / name)
        qtbot.mouseClick(reports.save_button, Qt.MouseButton.LeftButton)
        assert reports.message.kind == "success", (kind, reports.message.text())
        assert (out / name).is_file()


def test_the_sync_page_says_what_it_waits_for_in_one_sentence(qtbot, fresh_commune, tmp_path, monkeypatch):
    from app.node import Node
    from sync import enrol, importer, package, receipt
    from sync.transports import folder as folder_transport
    from ui.main_window import MainWindow

    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])
    commune = fresh_commune
    window = MainWindow(commune)
    qtbot.addWidget(window)
    window.show_page("sync")
    page = window.pages["sync"]

    def waiting() -> str:
        page.refresh()
        QApplication.processEvents()
        text = page.findChild(type(page.upstream.waiting_label), "syncWaiting").text()
        assert text.endswith(".") and not re.search(r"[.!?]\s", text), text  # one sentence
        return text

    assert waiting().startswith("Đang chờ hồ sơ tỉnh") and "«Nhập hồ sơ tỉnh…»" in waiting()

    province_node, _ = Node.create(tmp_path / "tinh", kind="province", name="Tỉnh Thử", code="TT",
                                   parent_code=None, profile_code="thai_binh", admin_username="admin",
                                   admin_password=ADMIN_PASSWORD, admin_display_name="Tỉnh")
    province = province_node.login("admin", ADMIN_PASSWORD)
    files = tmp_path / "usb"
    files.mkdir()
    enrol.import_profile(commune, enrol.export_profile(province, files))
    assert waiting().startswith("Đang chờ cấp trên chấp nhận đăng ký") and "«Xuất tệp đăng ký…»" in waiting()

    registration = enrol.export_registration(commune, files)
    enrol.import_registration(province, registration,
                              accept_fingerprint=enrol.read_registration(registration)["fingerprint"])
    commune.cases.save(sample_case())
    sent = folder_transport.send_packages(commune, package.build(commune), files / "len")
    assert waiting().startswith("Đang chờ biên nhận của cấp trên")

    results = [importer.import_package(province, path) for path in sent]
    _name, data = receipt.build(province, commune.node_info.id, results)
    receipt.apply(commune, data)
    assert waiting() == "Không chờ gì: mọi thay đổi đã được cấp trên xác nhận."
    commune.cases.save(sample_case())
    assert waiting().startswith("Có 1 thay đổi chưa gửi")
    province.close()
