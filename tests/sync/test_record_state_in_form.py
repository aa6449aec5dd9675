"""The case form tells the officer where the case stands on its way up: not sent, sent, confirmed."""

from sync import importer, package, receipt
from sync.transports import folder as folder_transport
from tests.sync.conftest import add_case


def _form(qtbot, session, case_id):
    from ui.cases.form import CaseForm

    form = CaseForm(session, session.cases.get(case_id))
    qtbot.addWidget(form)
    return form


def test_the_form_shows_unsent_then_sent_then_confirmed(qtbot, tree, tmp_path):
    case = add_case(tree.commune)
    form = _form(qtbot, tree.commune, case["id"])
    qtbot.waitUntil(lambda: "chưa gửi lên cấp trên" in form.info_label.text())
    assert form.info_label.text() == f"Lần sửa {case['rev']} · chưa gửi lên cấp trên"

    built = package.build(tree.commune)
    folder_transport.send_packages(tree.commune, built, tmp_path)
    sent = _form(qtbot, tree.commune, case["id"])
    qtbot.waitUntil(lambda: "đã gửi, chờ cấp trên nhận" in sent.info_label.text())

    result = importer.import_package(tree.province, built[0].data)
    _, data = receipt.build(tree.province, result.sender["id"], [result])
    receipt.apply(tree.commune, data)
    confirmed = _form(qtbot, tree.commune, case["id"])
    qtbot.waitUntil(lambda: "cấp trên đã xác nhận" in confirmed.info_label.text())

    # At the province the case is someone else's: no state to show, only the revision.
    there = _form(qtbot, tree.province, case["id"])
    qtbot.wait(100)
    assert there.info_label.text() == f"Lần sửa {case['rev']}"
