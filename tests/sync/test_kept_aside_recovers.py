"""Records kept aside recover by themselves when what they waited for arrives (a node vouched for, newer lists),
with a button and `binhan sync retry` as well; the commune sees what the province kept aside and sends it again."""

import pytest

from sync import down, importer, package, receipt, status
from sync.transports import folder as folder_transport
from tests.sync.conftest import add_case
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)
from tests.sync.test_strict_import import forging
from tests.sync.test_vouching import by_commune, declaring, forged_case


@pytest.fixture(autouse=True)
def _no_drives(monkeypatch):
    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])


def test_a_point_s_records_sent_before_the_point_was_vouched_for_apply_once_it_is(tree, monkeypatch):
    point, _ = by_commune(tree.commune)
    case = forged_case(tree.commune, point["id"])  # the point's record, before the point is declared
    first = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert [k["reason"] for k in first.kept_aside] == ["foreign_origin"]
    assert importer.retry_kept_aside(tree.province) == 0  # nothing has changed yet: it stays aside
    _, data = receipt.build(tree.province, tree.commune.origin, [first])
    receipt.apply(tree.commune, data)  # confirmed: the next package does not carry the record again
    declaring(monkeypatch, tree.commune, [point])
    add_case(tree.commune)
    second = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert second.applied == 1 and second.retried == 1
    assert tree.province.store.scalar("SELECT origin FROM cases WHERE id = ?", (case["id"],)) == point["id"]
    assert tree.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0


def test_the_commune_sees_what_the_province_kept_aside_and_never_shows_it_as_confirmed(tree, monkeypatch):
    case = add_case(tree.commune)
    forging(monkeypatch, "cases", lambda r: r.update(perpetrator_count=9))
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    monkeypatch.undo()
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    receipt.apply(tree.commune, data)
    assert status.record_state(tree.commune, "cases", case["id"]) == "kept_aside"
    assert status.summary(tree.commune)["kept_by_parent"] == {"count": 1, "reasons": {"invalid": 1}}
    # A down-package with newer option lists sends the kept records again; so does `sync retry`.
    assert receipt.resend_kept(tree.commune) == 1
    again = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert again.applied == 1  # sent as the commune holds it (the forgery above was on the way only)
    _, data = receipt.build(tree.province, tree.commune.origin, [again])
    receipt.apply(tree.commune, data)
    assert status.record_state(tree.commune, "cases", case["id"]) == "confirmed"


def test_a_down_package_with_newer_lists_sends_the_kept_records_again(tree, monkeypatch):
    from sync import reference as received_reference

    add_case(tree.commune)
    forging(monkeypatch, "cases", lambda r: r.update(perpetrator_count=9))
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    monkeypatch.undo()
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    receipt.apply(tree.commune, data)
    lists = received_reference.effective(tree.province)
    newer = received_reference.list_to_json(lists["violence_type"])
    newer["version"] = lists["violence_type"].version + 1
    with tree.province.store.transaction() as conn:
        received_reference.store(conn, "violence_type", newer, tree.province.origin, "2026-12-01T00:00:00+00:00")
    tree.province.refresh_reference()
    applied = down.apply(tree.commune, down.build(tree.province, tree.commune.origin).data)
    assert applied.reference_updated and applied.kept_aside_resent == 1


def test_sync_retry_from_the_command_line(tree, binhan, monkeypatch):  # noqa: F811
    point, _ = by_commune(tree.commune)
    forged_case(tree.commune, point["id"])
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    code, out, err = binhan(tree.province.node, "sync", "retry")
    assert code == 0, err
    assert "còn 1 bản ghi để riêng" in out
    code, _, err = binhan(tree.commune.node, "sync", "receipt", str(tree.files / "no-such.receipt.binhan"))
    assert code == 2 and "không có tệp này" in err


def test_the_pages_show_what_was_kept_aside_and_the_province_retries_it(qtbot, tree, monkeypatch):
    from ui.qt import QApplication, Qt
    from ui.sync.page import SyncPage

    point, _ = by_commune(tree.commune)
    forged_case(tree.commune, point["id"])
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    receipt.apply(tree.commune, data)

    at_commune = SyncPage(tree.commune)
    qtbot.addWidget(at_commune)
    at_commune.show()
    qtbot.waitUntil(lambda: at_commune.snapshot is not None)
    assert "Cấp trên để riêng 1 bản ghi: đơn vị chưa được xác nhận (1)" in at_commune.upstream.counts_label.text()

    at_province = SyncPage(tree.province)
    qtbot.addWidget(at_province)
    at_province.show()
    qtbot.waitUntil(lambda: at_province.snapshot is not None)
    below = at_province.downstream
    assert below.retry_button.isVisible() and "1 bản ghi từ cấp dưới đang để riêng" in below.trust_label.text()
    declaring(monkeypatch, tree.commune, [point])
    with tree.province.store.transaction() as conn:  # the point is admitted, as its commune's next package does
        from sync import vouch
        sender = tree.province.store.query("SELECT * FROM sync_peers WHERE node_id = ?", (tree.commune.origin,))[0]
        vouch.admit(tree.province, conn, sender, {"nodes": [point]}, "by-hand")
    qtbot.mouseClick(below.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not at_province.busy() and at_province.message.kind == "success", timeout=10_000)
    QApplication.processEvents()
    assert tree.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0
    qtbot.waitUntil(lambda: not below.retry_button.isVisible())
