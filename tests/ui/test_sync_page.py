"""The Sync page driven as people do it: a province and a commune, each a real encrypted node in its own folder.

Profile down and registration up through the pages (a wrong fingerprint is
refused), the commune's package written to a "USB" folder, imported at the
province, and its receipt taken back at the commune.
"""

from __future__ import annotations

import base64
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.node import Node
from sync import enrol
from sync import keys as node_keys
from sync.transports import folder as folder_transport
from tests.conftest import ADMIN_PASSWORD, sample_case
from ui.qt import QApplication, Qt


class ScriptedFiles:
    """Stands in for the file dialogs: answers each question with the next path the test gave."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.asked: list[str] = []

    def _next(self, caption):
        self.asked.append(caption)
        assert self.answers, f"the page asked for a file the test did not expect: {caption}"
        return self.answers.pop(0)

    def open_file(self, parent, caption, folder="", filters=""):
        return str(self._next(caption))

    def open_files(self, parent, caption, folder="", filters=""):
        return [str(p) for p in self._next(caption)]

    def save_file(self, parent, caption, suggested="", filters=""):
        return str(self._next(caption))

    def folder(self, parent, caption, folder=""):
        return str(self._next(caption))


def _node(root: Path, code: str, kind: str, name: str, parent: str | None):
    node, _ = Node.create(root / code, kind=kind, name=name, code=code, parent_code=parent, profile_code="thai_binh",
                          admin_username="admin", admin_password=ADMIN_PASSWORD)
    return node.login("admin", ADMIN_PASSWORD)


@pytest.fixture
def no_drives(monkeypatch):
    """The test machine's own USB drives must not appear in the list."""
    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])


@pytest.fixture
def province(tmp_path):
    session = _node(tmp_path, "TB", "province", "Tỉnh Thái Bình", None)
    yield session
    session.close()


@pytest.fixture
def commune(tmp_path):
    session = _node(tmp_path, "TN01", "commune", "Xã Thử Nghiệm", "TB")
    yield session
    session.close()


def _enrolled(province, commune, tmp_path: Path) -> Path:
    """The commune enrolled with the province by files (the fingerprint accepted as read out); the folder used."""
    files = tmp_path / "files"
    files.mkdir()
    enrol.import_profile(commune, enrol.export_profile(province, files))
    registration = enrol.export_registration(commune, files)
    enrol.import_registration(province, registration,
                              accept_fingerprint=enrol.read_registration(registration)["fingerprint"])
    return files


def _click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _shoot(widget, name: str, tmp_path: Path) -> Path:
    """A PNG of the page as the person sees it (kept under BINHAN_SCREENSHOTS when set, for looking at)."""
    QApplication.processEvents()
    path = tmp_path / name
    assert widget.grab().save(str(path))
    keep = os.environ.get("BINHAN_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def _column(model, title: str) -> int:
    return next(i for i, c in enumerate(model.columns) if c.title == title)


def test_province_and_commune_enrol_send_import_and_confirm_through_the_pages(qtbot, tmp_path, province, commune,
                                                                              no_drives):
    from ui.sync.page import SyncPage

    usb = tmp_path / "usb"
    usb.mkdir()
    at_province, at_commune = SyncPage(province), SyncPage(commune)
    for page in (at_province, at_commune):
        qtbot.addWidget(page)
        page.resize(1000, 640)
        page.show()
    assert at_province.upstream is None and at_province.downstream is not None
    assert at_commune.upstream is not None and at_commune.downstream is None

    # The province writes its profile; its fingerprint is shown to be read out on the phone.
    at_province.files = ScriptedFiles(usb / "TB.profile.binhan")
    _click(qtbot, at_province.downstream.export_profile_button)
    assert (usb / "TB.profile.binhan").is_file()
    province_fingerprint = node_keys.own_fingerprint(province)
    assert province_fingerprint in at_province.message.text()

    # The commune has no parent yet: it can only import the profile.
    up = at_commune.upstream
    assert up.parent_label.text() == "Chưa nhận hồ sơ tỉnh"
    assert not up.build_button.isEnabled() and not up.export_registration_button.isEnabled()
    at_commune.files = ScriptedFiles(usb / "TB.profile.binhan")
    _click(qtbot, up.import_profile_button)
    assert "Tỉnh Thái Bình" in up.parent_label.text() and "TB" in up.parent_label.text()
    assert province_fingerprint in up.parent_fingerprint.text()
    assert at_commune.message.kind == "success"

    # …and write its registration, with its own fingerprint to read out.
    at_commune.files = ScriptedFiles(usb / "TN01")  # the person typed no extension
    _click(qtbot, up.export_registration_button)
    registration = usb / "TN01.registration.binhan"
    assert registration.is_file()
    commune_fingerprint = node_keys.own_fingerprint(commune)
    assert commune_fingerprint in up.own_fingerprint.text()
    assert commune_fingerprint in at_commune.message.text()

    # The province reads the registration; nothing is accepted before the fingerprint is confirmed.
    down = at_province.downstream
    at_province.files = ScriptedFiles(registration)
    _click(qtbot, down.import_registration_button)
    dialog = down.fingerprint_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.fingerprint_label.text() == commune_fingerprint
    assert "Xã Thử Nghiệm" in dialog.findChild(type(dialog.fingerprint_label), "registrationIntro").text()
    assert not dialog.accept_button.isEnabled()

    qtbot.keyClicks(dialog.typed_edit, "1111 2222 3333 4444 5555")  # misheard, or a swapped file
    _click(qtbot, dialog.accept_button)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and "không khớp" in dialog.error_label.text()
    assert enrol.children(province) == []
    assert down.registry_model.rowCount() == 0

    dialog.typed_edit.clear()
    qtbot.keyClicks(dialog.typed_edit, commune_fingerprint.replace(" ", "-"))  # read out with dashes
    _click(qtbot, dialog.accept_button)
    assert not dialog.isVisible()
    assert [c["code"] for c in enrol.children(province)] == ["TN01"]
    assert down.registry_model.rowCount() == 1
    assert down.registry_model.cell(0, _column(down.registry_model, "Mã")) == "TN01"
    assert down.registry_model.cell(0, _column(down.registry_model, "Mã đối chiếu")) == commune_fingerprint
    assert "Đã đăng ký Xã Thử Nghiệm" in at_province.message.text()

    # The commune records a case and writes its package to the USB drive.
    commune.cases.save(sample_case())
    at_commune.refresh()
    assert "Thay đổi chưa gửi: 0 " not in up.counts_label.text()
    assert up.drive_combo.currentData() == ""  # no drive found: a folder is asked for
    at_commune.files = ScriptedFiles(usb / "len-tinh")
    _click(qtbot, up.build_button)
    packages = sorted((usb / "len-tinh").glob("*.pkg.binhan"))
    assert len(packages) == 1
    assert up.history_model.rowCount() == 1
    state = _column(up.history_model, "Tình trạng")
    assert up.history_model.cell(0, state) == "Đã gửi"
    assert up.history_model.cell(0, _column(up.history_model, "Gửi qua")).startswith("USB/thư mục")
    assert "Thay đổi chưa gửi: 0 " in up.counts_label.text()

    # The province imports the folder; a damaged copy of the package is refused with its reason.
    damaged = usb / "hong"
    damaged.mkdir()
    data = bytearray(packages[0].read_bytes())
    data[-10] ^= 0xFF
    (damaged / ("x" + packages[0].name)).write_bytes(bytes(data))
    at_province.files = ScriptedFiles([damaged / ("x" + packages[0].name), packages[0]], usb / "ve-xa")
    _click(qtbot, down.import_files_button)
    inbox = down.inbox_model
    verdict = _column(inbox, "Kết quả")
    verdicts = [inbox.cell(r, verdict) for r in range(inbox.rowCount())]
    assert any(v.startswith("Từ chối: Chữ ký của gói không khớp") for v in verdicts), verdicts
    assert any(v.startswith("Đã nhập 1 bản ghi") for v in verdicts), verdicts
    assert at_province.message.kind == "error"  # one file was refused: the message says which
    receipts = sorted((usb / "ve-xa").glob("*.receipt.binhan"))
    assert len(receipts) == 1
    row = next(r for r in range(inbox.rowCount()) if inbox.cell(r, verdict).startswith("Đã nhập"))
    assert inbox.cell(row, _column(inbox, "Từ")) == "TN01 Xã Thử Nghiệm"
    assert inbox.cell(row, _column(inbox, "Biên nhận")) not in ("", "Chưa lập")
    assert down.registry_model.cell(0, _column(down.registry_model, "Gói gần nhất")) != ""
    assert province.cases.count() == 1

    _shoot(at_province, "sync-province.png", tmp_path)

    # The refusal is remembered beside the database, not in it: the page opened again still lists it, with the
    # sender only as the damaged file claims it.
    again = SyncPage(province)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.downstream.inbox_model.rowCount() == 2)
    later = again.downstream.inbox_model
    refused_row = next(r for r in range(2) if later.cell(r, _column(later, "Kết quả")).startswith("Từ chối: Chữ ký"))
    assert later.cell(refused_row, _column(later, "Gói")) == "x" + packages[0].name
    assert later.cell(refused_row, _column(later, "Từ")) == "TN01 Xã Thử Nghiệm (tự khai, chưa kiểm chứng)"

    # Back at the commune, the receipt confirms the package.
    at_commune.files = ScriptedFiles([receipts[0]])
    _click(qtbot, up.import_button)
    assert at_commune.message.kind == "success", at_commune.message.text()
    assert up.history_model.cell(0, state) == "Đã xác nhận"
    assert up.history_model.cell(0, _column(up.history_model, "Xác nhận")) != ""
    assert "Biên nhận gần nhất" in up.counts_label.text()

    _shoot(at_commune, "sync-commune.png", tmp_path)


def test_commune_cannot_enrol_with_a_registration_file_in_place_of_the_profile(qtbot, tmp_path, province, commune,
                                                                               no_drives):
    from ui.sync.page import SyncPage

    page = SyncPage(commune)
    qtbot.addWidget(page)
    wrong = tmp_path / "not-a-profile.profile.binhan"
    wrong.write_text('{"format": "something-else"}', encoding="utf-8")
    page.files = ScriptedFiles(wrong)
    _click(qtbot, page.upstream.import_profile_button)
    assert page.message.kind == "error"
    assert "không hợp lệ" in page.message.text()
    assert page.upstream.parent_label.text() == "Chưa nhận hồ sơ tỉnh"
    assert enrol.parent(commune) is None


def test_cancelling_the_package_import_stops_between_files_and_still_answers_with_a_receipt(
        qtbot, tmp_path, province, commune, no_drives, monkeypatch):
    from sync import importer, package
    from ui.sync.page import SyncPage

    files = _enrolled(province, commune, tmp_path)
    commune.cases.save(sample_case())
    first = folder_transport.send_packages(commune, package.build(commune), files / "a")
    commune.cases.save(sample_case())
    second = folder_transport.send_packages(commune, package.build(commune), files / "b")

    page = SyncPage(province)
    qtbot.addWidget(page)
    real_import = importer.import_package

    def import_then_cancel(session, path):
        result = real_import(session, path)
        qtbot.mouseClick(page.progress_dialog.cancel_button, Qt.MouseButton.LeftButton)  # pressed during the first
        return result

    monkeypatch.setattr(importer, "import_package", import_then_cancel)
    page.files = ScriptedFiles([first[0], second[0]], files / "receipts")
    _click(qtbot, page.downstream.import_files_button)
    assert province.store.scalar("SELECT count(*) FROM sync_inbox") == 1
    assert "Đã dừng" in page.message.text()
    assert len(list((files / "receipts").glob("*.receipt.binhan"))) == 1
    assert page.progress_dialog is None


def test_late_communes_are_judged_by_their_annual_reports_arrival_against_the_profiles_deadline():
    from ui.sync.work import _submission

    deadline = date(2026, 11, 30)
    on_time = [{"year": 2026, "received_at": "2026-11-02T03:00:00.000+00:00"}]
    after = [{"year": 2026, "received_at": "2026-12-05T03:00:00.000+00:00"}]
    last_years = [{"year": 2025, "received_at": "2026-11-02T03:00:00.000+00:00"}]
    assert _submission(on_time, date(2026, 12, 10), deadline) == {"state": "on_time", "on": date(2026, 11, 2)}
    assert _submission(after, date(2026, 12, 10), deadline) == {"state": "late_sent", "on": date(2026, 12, 5)}
    # last year's report, even when it arrived this year, is not this year's
    assert _submission(last_years, date(2026, 12, 10), deadline) == {"state": "late", "on": None, "days": 10}
    assert _submission([], date(2026, 11, 20), deadline) == {"state": "waiting", "on": None, "days": 10}
    assert _submission(on_time, date(2026, 12, 10), None)["state"] == "unknown"


def test_in_january_last_year_s_missing_annual_report_is_still_owed():
    from ui.sync.work import _submission

    this_year, last_year = date(2027, 11, 30), date(2026, 11, 30)
    january = date(2027, 1, 15)
    enrolled = "2026-03-01T02:00:00.000+00:00"
    owed = {"state": "missing", "on": None, "year": 2026, "days": 46}
    assert _submission([], january, this_year, last_deadline=last_year, enrolled_at=enrolled) == owed
    # Sent last year (or late, in January): this year's report is simply not due yet.
    sent = [{"year": 2026, "received_at": "2027-01-05T03:00:00.000+00:00"}]
    assert _submission(sent, january, this_year, last_deadline=last_year,
                       enrolled_at=enrolled) == {"state": "waiting", "on": None, "days": 319}
    # Enrolled after last year's deadline: nothing was owed through Bình An then.
    assert _submission([], january, this_year, last_deadline=last_year,
                       enrolled_at="2026-12-20T02:00:00.000+00:00")["state"] == "waiting"
    # Once this year's deadline has passed, this year's report is the one judged.
    assert _submission([], date(2027, 12, 3), this_year, last_deadline=last_year,
                       enrolled_at=enrolled) == {"state": "late", "on": None, "days": 3}


def test_packages_without_the_annual_report_do_not_meet_the_deadline(tmp_path, province, commune):
    """A commune that sent cases every month but never its annual report is late; the report's arrival counts."""
    from app.reports import submission
    from sync import importer, package
    from ui.sync import work

    _enrolled(province, commune, tmp_path)
    commune.cases.save(sample_case())
    importer.import_package(province, package.build(commune)[0].data)
    from app.reference.periods import profile_for

    deadline = profile_for(province, 2026).deadline_for(2026)  # the version in force for 2026
    after_deadline = deadline + timedelta(days=10)
    (row,) = work.snapshot(province, today=after_deadline).registry
    assert row["last_package_at"] and row["annual_reports"] == []
    assert row["submission"] == {"state": "late", "on": None, "days": (after_deadline - deadline).days}

    submission.finalise(commune, 2026)
    importer.import_package(province, package.build(commune)[0].data)
    province.store.execute("UPDATE annual_reports SET first_received_at = '2026-11-20T02:00:00.000+00:00'")
    (row,) = work.snapshot(province, today=after_deadline).registry
    assert row["submission"] == {"state": "on_time", "on": date(2026, 11, 20)}
    late = deadline + timedelta(days=3)
    province.store.execute(f"UPDATE annual_reports SET first_received_at = '{late.isoformat()}T02:00:00.000+00:00'")
    (row,) = work.snapshot(province, today=after_deadline).registry
    assert row["submission"] == {"state": "late_sent", "on": late}


def test_a_leader_sees_the_state_but_cannot_send(qtbot, tmp_path, commune, no_drives):
    from ui.sync.page import SyncPage

    commune.add_user("lanhdao", ADMIN_PASSWORD, "leader", "Chủ tịch xã")
    leader = Node.open(commune.node.data_dir).login("lanhdao", ADMIN_PASSWORD)
    try:
        page = SyncPage(leader)
        qtbot.addWidget(page)
        up = page.upstream
        assert not up.import_profile_button.isEnabled() and not up.build_button.isEnabled()
        assert "chỉ xem được" in up.counts_label.text()
    finally:
        leader.close()


def test_down_package_from_the_province_confirms_the_communes_package(qtbot, tmp_path, province, commune, no_drives):
    from sync import importer, package
    from ui.sync.page import SyncPage

    files = _enrolled(province, commune, tmp_path)
    commune.cases.save(sample_case())
    for path in folder_transport.send_packages(commune, package.build(commune), files / "up"):
        importer.import_package(province, path)

    at_province, at_commune = SyncPage(province), SyncPage(commune)
    for page in (at_province, at_commune):
        qtbot.addWidget(page)
    at_province.files = ScriptedFiles(files / "down")
    _click(qtbot, at_province.downstream.build_down_button)
    downs = sorted((files / "down").glob("*.down.binhan"))
    assert len(downs) == 1 and downs[0].name.startswith("TB-TN01-down-1-")
    assert at_province.message.kind == "success"

    up = at_commune.upstream
    state = _column(up.history_model, "Tình trạng")
    assert up.history_model.cell(0, state) == "Đã gửi"
    at_commune.files = ScriptedFiles(downs)
    _click(qtbot, up.import_button)
    assert at_commune.message.kind == "success", at_commune.message.text()
    assert "gói xuống số 1" in at_commune.message.text()
    assert up.history_model.cell(0, state) == "Đã xác nhận"

    at_commune.files = ScriptedFiles([downs[0]])  # the same file again changes nothing
    _click(qtbot, up.import_button)
    assert "đã nhập từ trước" in at_commune.message.text()


def test_commune_finalises_its_annual_report_and_the_province_sees_it_received_and_saves_its_pdf(
        qtbot, tmp_path, province, commune, no_drives):
    from app.reports import submission
    from sync import importer
    from ui.sync.page import SyncPage

    files = _enrolled(province, commune, tmp_path)
    commune.cases.save(sample_case())

    at_commune = SyncPage(commune)
    qtbot.addWidget(at_commune)
    up = at_commune.upstream
    assert up.annual_box.isVisibleTo(at_commune) and up.annual_model.rowCount() == 0
    year = date.today().year
    assert up.annual_year.currentData() == year

    # Asked first; "Chưa" finalises nothing.
    _click(qtbot, up.finalise_button)
    box = up.finalise_box
    assert box is not None and str(year) in box.text()
    box.buttons()[[b.text() for b in box.buttons()].index("Chưa")].click()
    assert commune.store.scalar("SELECT count(*) FROM annual_reports") == 0

    _click(qtbot, up.finalise_button)
    box = up.finalise_box
    box.buttons()[[b.text() for b in box.buttons()].index("Hoàn tất")].click()
    qtbot.waitUntil(lambda: up.annual_model.rowCount() == 1)
    assert at_commune.message.kind == "success", at_commune.message.text()
    assert f"Đã hoàn tất báo cáo năm {year}" in at_commune.message.text()
    assert up.annual_model.cell(0, _column(up.annual_model, "Năm")) == str(year)
    assert up.annual_model.cell(0, _column(up.annual_model, "Tình trạng")) == "Chờ gửi trong gói tiếp theo"

    # Finalising the same year again says so before, and replaces it after.
    _click(qtbot, up.finalise_button)
    box = up.finalise_box
    assert "bản mới sẽ thay" in box.informativeText()
    box.buttons()[[b.text() for b in box.buttons()].index("Hoàn tất")].click()
    qtbot.waitUntil(lambda: up.annual_model.cell(0, _column(up.annual_model, "Lần hoàn tất")) == "2")
    assert up.annual_model.rowCount() == 1

    at_commune.files = ScriptedFiles(files / "len-tinh")
    _click(qtbot, up.build_button)
    assert up.annual_model.cell(0, _column(up.annual_model, "Tình trạng")) == "Đã gửi"
    for path in sorted((files / "len-tinh").glob("*.pkg.binhan")):
        importer.import_package(province, path)

    at_province = SyncPage(province)
    qtbot.addWidget(at_province)
    down = at_province.downstream
    model = down.registry_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    received = model.cell(0, _column(model, "Báo cáo năm đã nhận"))
    assert received == f"Năm {year} ({date.today():%d/%m/%Y})"
    from app.reference.periods import profile_for

    expected = "Đúng hạn" if date.today() <= profile_for(province, year).deadline_for(year) else "Gửi muộn"
    assert model.cell(0, _column(model, "Hạn gửi năm nay")).startswith(expected)

    assert not down.save_annual_button.isEnabled()  # no commune chosen yet
    down.registry_table.selectRow(0)
    target = files / "tu-xa.pdf"
    at_province.files = ScriptedFiles(target)
    _click(qtbot, down.save_annual_button)
    assert at_province.message.kind == "success", at_province.message.text()
    own = commune.store.query("SELECT pdf FROM annual_reports")[0]["pdf"]
    assert target.read_bytes() == base64.b64decode(own) and target.read_bytes().startswith(b"%PDF-")
    assert submission.received(province)[0]["rev"] == 2


def test_the_province_sees_in_january_who_never_sent_last_year_s_report(qtbot, tmp_path, province, commune):
    from ui.sync import work
    from ui.sync.page import SyncPage

    _enrolled(province, commune, tmp_path)
    # Enrolled in March 2026; the province looks in January 2027 and no 2026 report ever came.
    province.store.execute("UPDATE sync_peers SET enrolled_at = '2026-03-02T02:00:00.000+00:00'")
    january = date(2027, 1, 15)
    from app.reference.periods import profile_for

    days = (january - profile_for(province, 2026).deadline_for(2026)).days
    (row,) = work.snapshot(province, today=january).registry
    assert row["submission"] == {"state": "missing", "on": None, "year": 2026, "days": days}
    page = SyncPage(province)
    qtbot.addWidget(page)
    assert page.downstream._submission_text(row) == f"Thiếu báo cáo năm 2026 (trễ {days} ngày)"
