"""E-mail transport against real servers on 127.0.0.1: aiosmtpd (STARTTLS, AUTH) and Dovecot (IMAPS)."""

import imaplib
import ssl

import pytest

from sync import package
from sync.errors import TransportNotSetUp, TransportUnavailable
from sync.transports import email as mail

from tests.sync.conftest import add_case
from tests.sync.mail_servers import DOVECOT, Dovecot, Smtp, self_signed
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)

pytestmark = pytest.mark.skipif(DOVECOT is None, reason="Dovecot (dovecot-imapd) is not installed; .ci/run installs it")

USERS = {"tinh": "mk-imap-tinh", "xa": "mk-imap-xa"}
SMTP_ACCOUNTS = {"xa@binhan.test": "mk-smtp-xa", "tinh@binhan.test": "mk-smtp-tinh"}
MAILBOXES = {"tinh@binhan.test": "tinh", "xa@binhan.test": "xa"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    cert, key = self_signed(folder)
    client_tls = ssl.create_default_context(cafile=str(cert))
    dovecot = Dovecot(cert, key, USERS)
    smtp = Smtp(cert, key, dovecot, client_tls, SMTP_ACCOUNTS, MAILBOXES)
    servers = type("Servers", (), {"dovecot": dovecot, "smtp": smtp, "cert": cert, "tls": client_tls})
    yield servers
    smtp.stop()
    dovecot.stop()


@pytest.fixture
def mailboxes(servers):
    """Empty mailboxes and a well-behaved SMTP server for every test."""
    for user, password in USERS.items():
        with imaplib.IMAP4_SSL("127.0.0.1", servers.dovecot.port, ssl_context=servers.tls) as client:
            client.login(user, password)
            _, count = client.select("INBOX")
            if int(count[0]):
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()
    servers.smtp.refuse = set()
    servers.smtp.attempts = 0
    servers.smtp.received.clear()
    return servers


def _set_up(session, servers, *, me: str, mailbox: str, to: str, limit: int = 200_000):
    settings = mail.MailSettings(smtp_host="127.0.0.1", smtp_port=servers.smtp.port, smtp_security="starttls",
                                 smtp_user=me, imap_host="127.0.0.1", imap_port=servers.dovecot.port,
                                 imap_security="ssl", imap_user=mailbox, mail_from=me, mail_to=to, limit=limit,
                                 cafile=str(servers.cert))
    mail.save_settings(session, settings)
    mail.set_password(session, "smtp", SMTP_ACCOUNTS[me])
    mail.set_password(session, "imap", USERS[mailbox])
    return settings


@pytest.fixture
def mailed(tree, mailboxes):
    _set_up(tree.commune, mailboxes, me="xa@binhan.test", mailbox="xa", to="tinh@binhan.test")
    _set_up(tree.province, mailboxes, me="tinh@binhan.test", mailbox="tinh", to="xa@binhan.test")
    return tree


FAST = {"pause": 0.0, "timeout": 10}


def test_a_package_mailed_in_parts_is_fetched_imported_and_answered_by_mail(mailed, mailboxes):
    t = mailed
    cases = [add_case(t.commune) for _ in range(6)]
    sent = mail.send(t.commune, part_limit=3_000, **FAST)
    assert sent.parts > 1 and sent.messages == sent.parts and sent.records == len(cases)
    assert all(len(raw) <= 200_000 for raw in mailboxes.smtp.received)
    fetched = mail.fetch(t.province, reply=True, **FAST)
    assert fetched.messages == sent.parts and not fetched.refused and fetched.replies == 1
    assert t.province.store.scalar("SELECT count(*) FROM cases") == len(cases)
    answered = mail.fetch(t.commune, **FAST)
    high = t.commune.store.scalar("SELECT max(seq) FROM outbox")
    assert answered.receipts[0]["acknowledged_through"] == high and answered.downs[0].verdict == "applied"
    assert package.acked_seq(t.commune, t.province.origin) == high
    assert mail.fetch(t.province, **FAST).messages == 0  # nothing is fetched twice


def test_smtp_failing_mid_way_resumes_without_loss_or_duplicates(mailed, mailboxes):
    t = mailed
    cases = [add_case(t.commune) for _ in range(6)]
    mailboxes.smtp.refuse = {2, 3}
    with pytest.raises(TransportUnavailable):
        mail.send(t.commune, part_limit=3_000, attempts=2, **FAST)
    first = mail.send(t.commune, part_limit=3_000, **FAST)  # everything not confirmed goes again
    mailboxes.smtp.refuse = {mailboxes.smtp.attempts + 1}  # one transient refusal: retried within the send
    mail.send(t.commune, part_limit=3_000, attempts=3, **FAST)
    fetched = mail.fetch(t.province, **FAST)
    assert first.parts > 1 and not fetched.refused
    assert sum(r.applied for r in fetched.imported) == len(cases)  # each case once; resent copies unchanged
    stored = [r["id"] for r in t.province.store.query("SELECT id FROM cases ORDER BY id")]
    assert stored == sorted(c["id"] for c in cases)


def test_a_fetch_interrupted_before_marking_applies_the_same_files_again_harmlessly(mailed, mailboxes):
    t = mailed
    add_case(t.commune)
    mail.send(t.commune, **FAST)
    mail.fetch(t.province, **FAST)
    before = t.province.store.query("SELECT * FROM cases")
    with imaplib.IMAP4_SSL("127.0.0.1", mailboxes.dovecot.port, ssl_context=mailboxes.tls) as client:
        client.login("tinh", USERS["tinh"])
        client.select("INBOX")
        client.store("1:*", "-FLAGS", f"({mail.DONE})")  # as if the fetch stopped before marking
    again = mail.fetch(t.province, **FAST)
    assert [r.verdict for r in again.imported] == ["replayed"]
    assert t.province.store.query("SELECT * FROM cases") == before
    assert mailboxes.dovecot.count("tinh", mailboxes.tls, "UNSEEN") == 1  # never marked read for the person


def test_mail_passwords_live_in_the_keyring_only(mailed, mailboxes, memory_keyring):
    t = mailed
    stored = t.commune.store.scalar("SELECT value FROM meta WHERE key = ?", (mail.META_KEY,))
    assert SMTP_ACCOUNTS["xa@binhan.test"] not in stored and USERS["xa"] not in stored
    assert SMTP_ACCOUNTS["xa@binhan.test"] in memory_keyring.secrets.values()
    mail.set_password(t.commune, "smtp", "wrong-password")
    add_case(t.commune)  # something to send
    with pytest.raises((TransportNotSetUp, TransportUnavailable)):  # aiosmtpd may hang up instead of answering 535
        mail.send(t.commune, attempts=1, pause=0.0, timeout=3)
    assert t.province.store.scalar("SELECT count(*) FROM sync_inbox") == 0


def test_send_and_fetch_from_the_command_line(mailed, mailboxes, binhan, monkeypatch):  # noqa: F811
    t = mailed
    add_case(t.commune)
    monkeypatch.setenv("MAIL_PW", SMTP_ACCOUNTS["xa@binhan.test"])
    code, out, err = binhan(t.commune.node, "sync", "mail", "--limit", "150000", "--smtp-password-env", "MAIL_PW")
    assert code == 0 and "150000" in out and "MAIL_PW" not in out, err
    code, out, err = binhan(t.commune.node, "sync", "send", "--email")
    assert code == 0 and "tinh@binhan.test" in out, err
    code, out, err = binhan(t.province.node, "sync", "fetch", "--imap", "--reply")
    assert code == 0 and "TN01" in out and "đã nhập" in out, err
    code, out, err = binhan(t.commune.node, "sync", "fetch", "--imap")
    assert code == 0 and "đã xác nhận" in out, err
