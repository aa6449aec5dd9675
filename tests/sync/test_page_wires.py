"""The Sync page sends by e-mail and over the network, through real servers on 127.0.0.1.

The commune fills the mail and server settings in the page's dialog (passwords
go to the keyring), sends by mail and by push; the province reads its mailbox
from its own page and mails the receipt back; the commune reads the receipt.
"""

from __future__ import annotations

import pytest

from sync import package
from sync.transports import email as mail
from sync.transports import http
from sync.transports import folder as folder_transport
from tests.sync.conftest import add_case
from tests.sync.mail_servers import DOVECOT
from tests.sync.test_email import SMTP_ACCOUNTS, USERS, _set_up, mailboxes, servers  # noqa: F401  (fixtures)
from tests.sync.test_http import serve  # noqa: F401  (fixture)
from ui.qt import QApplication, Qt


@pytest.fixture(autouse=True)
def _no_drives(monkeypatch):
    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])


def _page(qtbot, session):
    from ui.sync.page import SyncPage

    page = SyncPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.snapshot is not None)
    return page


def _click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)


def _settle(qtbot, page):
    qtbot.waitUntil(lambda: not page.busy(), timeout=30_000)
    QApplication.processEvents()


@pytest.mark.skipif(DOVECOT is None, reason="Dovecot (dovecot-imapd) is not installed; .ci/run installs it")
def test_mail_settings_typed_in_the_page_send_the_package_and_bring_the_receipt_back(qtbot, tree, mailboxes):
    # Only what a technical person sets once (the test server's own certificate) is set outside the window.
    mail.save_settings(tree.commune, mail.MailSettings(cafile=str(mailboxes.cert), limit=200_000))
    _set_up(tree.province, mailboxes, me="tinh@binhan.test", mailbox="tinh", to="xa@binhan.test")
    at_commune = _page(qtbot, tree.commune)
    up = at_commune.upstream
    assert not up.mail_button.isEnabled() and "Cài đặt thư và mạng" in up.mail_button.toolTip()

    _click(qtbot, up.wires_button)
    dialog = at_commune.wires_dialog
    assert dialog is not None and dialog.isVisible()
    _type(qtbot, dialog.smtp_host, "127.0.0.1")
    dialog.smtp_port.setValue(mailboxes.smtp.port)
    dialog.smtp_security.setCurrentIndex(dialog.smtp_security.findData("starttls"))
    _type(qtbot, dialog.smtp_user, "xa@binhan.test")
    _type(qtbot, dialog.smtp_password, SMTP_ACCOUNTS["xa@binhan.test"])
    _type(qtbot, dialog.mail_from, "xa@binhan.test")
    _type(qtbot, dialog.mail_to, "tinh@binhan.test")
    _type(qtbot, dialog.imap_host, "127.0.0.1")
    dialog.imap_port.setValue(mailboxes.dovecot.port)
    dialog.imap_security.setCurrentIndex(dialog.imap_security.findData("ssl"))
    _type(qtbot, dialog.imap_user, "xa")
    _type(qtbot, dialog.imap_password, USERS["xa"])
    _click(qtbot, dialog.save_button)
    _settle(qtbot, at_commune)
    assert not dialog.isVisible()
    assert at_commune.message.kind == "success", at_commune.message.text()
    saved = mail.load_settings(tree.commune)
    assert (saved.smtp_host, saved.smtp_port, saved.mail_to, saved.imap_user) == ("127.0.0.1", mailboxes.smtp.port,
                                                                                 "tinh@binhan.test", "xa")
    assert saved.cafile == str(mailboxes.cert)  # kept: the dialog does not show it
    assert SMTP_ACCOUNTS["xa@binhan.test"] not in str(tree.commune.store.query("SELECT * FROM meta"))

    cases = [add_case(tree.commune) for _ in range(2)]
    at_commune.refresh()
    qtbot.waitUntil(lambda: up.mail_button.isEnabled())
    _click(qtbot, up.mail_button)
    _settle(qtbot, at_commune)
    assert at_commune.message.kind == "success", at_commune.message.text()
    assert "tới tinh@binhan.test" in at_commune.message.text()
    via = next(i for i, c in enumerate(up.history_model.columns) if c.title == "Gửi qua")
    qtbot.waitUntil(lambda: up.history_model.rowCount() == 1)
    assert up.history_model.cell(0, via) == "Thư điện tử: tinh@binhan.test"

    # The province reads its mailbox from its page: the package is applied and the receipt mailed back.
    at_province = _page(qtbot, tree.province)
    below = at_province.downstream
    _click(qtbot, below.fetch_button)
    _settle(qtbot, at_province)
    assert at_province.message.kind == "success", at_province.message.text()
    assert "đã nhập 1 gói" in at_province.message.text()
    assert "Đã gửi 1 thư biên nhận" in at_province.message.text()
    assert all(tree.province.cases.get(c["id"]) is not None for c in cases)

    # The commune reads the receipt from its mailbox.
    _click(qtbot, up.fetch_button)
    _settle(qtbot, at_commune)
    assert at_commune.message.kind == "success", at_commune.message.text()
    assert "Cấp trên đã xác nhận đến thay đổi số" in at_commune.message.text()
    high = tree.commune.store.scalar("SELECT max(seq) FROM outbox")
    assert package.acked_seq(tree.commune, tree.province.origin) == high


def test_the_page_pushes_to_the_saved_server_and_takes_its_receipt(qtbot, tree, serve):
    server = serve()
    at_commune = _page(qtbot, tree.commune)
    up = at_commune.upstream
    assert not up.push_button.isEnabled()

    _click(qtbot, up.wires_button)
    dialog = at_commune.wires_dialog
    _type(qtbot, dialog.endpoint, "dongbo tinh")  # not an address: refused, the dialog stays open
    _click(qtbot, dialog.save_button)
    _settle(qtbot, at_commune)
    assert dialog.isVisible() and "không hợp lệ" in dialog.error_label.text()
    assert http.load_endpoint(tree.commune) is None
    _type(qtbot, dialog.endpoint, server.url)
    _click(qtbot, dialog.save_button)
    _settle(qtbot, at_commune)
    assert not dialog.isVisible()
    assert http.load_endpoint(tree.commune) == server.url

    add_case(tree.commune)
    qtbot.waitUntil(lambda: up.push_button.isEnabled())
    _click(qtbot, up.push_button)
    _settle(qtbot, at_commune)
    assert at_commune.message.kind == "success", at_commune.message.text()
    text = at_commune.message.text()
    assert "Đã gửi 1 tệp gói (1 bản ghi)" in text and "Cấp trên đã xác nhận đến thay đổi số" in text
    state = next(i for i, c in enumerate(up.history_model.columns) if c.title == "Tình trạng")
    qtbot.waitUntil(lambda: up.history_model.rowCount() == 1)
    assert up.history_model.cell(0, state) == "Đã xác nhận"
    assert tree.province.cases.count() == 1
