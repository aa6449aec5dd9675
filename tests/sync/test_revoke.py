"""A lost or stolen commune computer: the province revokes the registration, and nothing signed by it is taken."""

import pytest

from sync import down, enrol, importer, package, status
from sync import keys as node_keys
from sync.errors import EnrolmentRefused, FingerprintRequired, PackageRevoked
from tests.sync.conftest import add_case, dump
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)


def test_a_revoked_child_s_packages_are_refused_and_it_gets_no_down_package(tree):
    add_case(tree.commune)
    first = package.build(tree.commune)[0].data
    importer.import_package(tree.province, first)
    add_case(tree.commune)
    later = package.build(tree.commune)[0].data

    revoked = enrol.revoke_child(tree.province, "TN01")
    assert revoked["status"] == "revoked"
    before = dump(tree.province)
    with pytest.raises(PackageRevoked) as refused:
        importer.import_package(tree.province, later)
    assert "Xã Thử Nghiệm (TN01)" in refused.value.message("vi") and "thu hồi" in refused.value.message("vi")
    assert dump(tree.province) == before
    assert tree.province.cases.count() == 1  # what it sent before stays
    assert [b.child["code"] for b in down.build_all(tree.province)] == ["TN02"]
    row = next(r for r in status.registry(tree.province) if r["code"] == "TN01")
    assert row["status"] == "revoked"
    audit = tree.province.store.query("SELECT action FROM audit_log WHERE action = 'sync.register.revoke'")
    assert len(audit) == 1
    with pytest.raises(EnrolmentRefused):
        enrol.revoke_child(tree.province, "TN01")  # already revoked: nothing to revoke


def test_the_stolen_keys_cannot_re_enrol_by_themselves_only_a_phone_checked_registration_can(tree):
    enrol.revoke_child(tree.province, "TN01")
    # Whoever holds the old computer rotates its keys and sends a registration endorsed by the old key…
    node_keys.rotate(tree.commune)
    registration = enrol.export_registration(tree.commune, tree.files / "after-theft")
    with pytest.raises(FingerprintRequired):
        enrol.import_registration(tree.province, registration)
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "revoked"
    # …the real commune, on the phone, reads its fingerprint: registered again, and its packages are taken.
    said_on_phone = enrol.read_registration(registration)["fingerprint"]
    enrol.import_registration(tree.province, registration, accept_fingerprint=said_on_phone)
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "active"
    add_case(tree.commune)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert result.verdict == "applied"


def test_revoking_from_the_command_line(tree, binhan):  # noqa: F811
    code, out, err = binhan(tree.province.node, "register", "revoke", "TN02")
    assert code == 0, err
    assert "Xã Bên Cạnh" in out and enrol.peer(tree.province, tree.commune2.origin)["status"] == "revoked"
    code, _, err = binhan(tree.province.node, "register", "revoke", "XX99")
    assert code != 0 and "XX99" in err


def test_the_province_page_revokes_after_asking(qtbot, tree, monkeypatch):
    from sync.transports import folder as folder_transport
    from ui.qt import Qt
    from ui.sync.page import SyncPage

    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])
    page = SyncPage(tree.province)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.snapshot is not None)
    below = page.downstream
    assert not below.revoke_button.isEnabled()  # nothing chosen yet
    row = next(i for i, r in enumerate(below.registry_model.rows) if r["code"] == "TN01")
    below.registry_table.selectRow(row)
    assert below.revoke_button.isEnabled()

    qtbot.mouseClick(below.revoke_button, Qt.MouseButton.LeftButton)
    box = below.revoke_box
    assert box is not None and "Xã Thử Nghiệm (mã TN01)" in box.text()
    no = next(b for b in box.buttons() if b.text() == "Không")
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "active"

    below.registry_table.selectRow(row)
    qtbot.mouseClick(below.revoke_button, Qt.MouseButton.LeftButton)
    yes = next(b for b in below.revoke_box.buttons() if b.text() == "Thu hồi")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy() and page.message.kind == "success", timeout=10_000)
    assert enrol.peer(tree.province, tree.commune.origin)["status"] == "revoked"
    qtbot.waitUntil(lambda: any("(đã thu hồi đăng ký)" in below.registry_model.cell(i, 1)
                                for i in range(below.registry_model.rowCount())))
