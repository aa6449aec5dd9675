"""E-mail transport: packages sent by SMTP as attachments, fetched by IMAP.

Settings (servers, ports, TLS mode, user names, addresses, the size limit of
one message) are kept in `meta` under `sync.mail`; passwords only in the
operating system's keyring (`keyring`), never in the database or a file. TLS
always: STARTTLS or implicit TLS ("ssl"), checked against the system's
certificates or a CA file named in the settings.

Sending: the package is built with a part limit that fits one message once
base64-encoded, so a large package goes as several messages, each carrying
one part (itself a complete signed package naming part i of n). A failed
connection is retried; a part sent twice is a replay, a no-op at the parent.

Fetching (`fetch`): every message not yet marked `BinhAnDone` is read without
marking it read (BODY.PEEK); its attachments are applied by kind (packages
from children, sorted by sequence so parts go in order; down-packages and
receipts from the parent); then it is marked `BinhAnDone`. Nothing is
deleted. A crash before the mark means the next fetch applies the same files
again, which changes nothing. With `reply`, each child whose packages arrived
gets its receipt and down-package back by mail.
"""

from __future__ import annotations

import base64
import email
import email.policy
import imaplib
import json
import smtplib
import ssl
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from app.store.keyslots import usable_keyring
from sync import down, importer, package, receipt
from sync.errors import PackageError, ReceiptError, SyncError, TransportNotSetUp, TransportUnavailable

META_KEY = "sync.mail"
KEYRING_SERVICE = "binhan-sync-mail"
DONE = "BinhAnDone"
DEFAULT_LIMIT = 10 * 1024 * 1024  # bytes of one message: under the 10–25 MB most mail servers accept
_OVERHEAD = 64 * 1024  # headers and the short text of a message
SUFFIXES = (package.SUFFIX, down.SUFFIX, receipt.SUFFIX)


@dataclass
class MailSettings:
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str = "starttls"  # "starttls" | "ssl"
    smtp_user: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_security: str = "ssl"  # "ssl" | "starttls"
    imap_user: str | None = None
    imap_folder: str = "INBOX"
    mail_from: str | None = None
    mail_to: str | None = None
    limit: int = DEFAULT_LIMIT
    cafile: str | None = None  # a CA (or self-signed) certificate to trust besides the system's

    def part_limit(self) -> int:
        """The largest package file that fits one message once base64-encoded (4 bytes per 3, and line ends)."""
        return max(16 * 1024, (self.limit - _OVERHEAD) * 3 // 4 * 76 // 78)

    def tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.cafile) if self.cafile else ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


def load_settings(session) -> MailSettings:
    raw = session.store.scalar("SELECT value FROM meta WHERE key = ?", (META_KEY,))
    known = {f.name for f in fields(MailSettings)}
    return MailSettings(**{k: v for k, v in (json.loads(raw) if raw else {}).items() if k in known})


def save_settings(session, settings: MailSettings) -> None:
    session.require("settings.manage")
    for mode, allowed in ((settings.smtp_security, ("starttls", "ssl")), (settings.imap_security, ("starttls", "ssl"))):
        if mode not in allowed:
            raise TransportNotSetUp(vi=f"Chế độ bảo mật '{mode}' không hợp lệ (starttls hoặc ssl).",
                                    en=f"Security mode '{mode}' is not valid (starttls or ssl).")
    with session.store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (META_KEY, json.dumps(asdict(settings), ensure_ascii=False)))
        session.audit(conn, "sync.mail.settings", detail={"smtp": settings.smtp_host, "imap": settings.imap_host})


def _account(session, which: str, user: str, host: str) -> str:
    return f"{session.origin}:{which}:{user}@{host}"


def _keyring():
    backend = usable_keyring()
    if backend is None:
        raise TransportNotSetUp(
            vi="Máy này không có kho khóa của hệ điều hành nên không lưu được mật khẩu thư. Hãy gửi bằng USB.",
            en="This machine has no operating-system keyring to keep the mail password. Send by USB instead.")
    return backend


def set_password(session, which: str, password: str) -> None:
    """Keep the SMTP or IMAP password in the OS keyring (`which`: "smtp" or "imap")."""
    session.require("settings.manage")
    settings = load_settings(session)
    user, host = (settings.smtp_user, settings.smtp_host) if which == "smtp" else (settings.imap_user,
                                                                                  settings.imap_host)
    if not user or not host:
        raise TransportNotSetUp(vi=f"Hãy đặt máy chủ và tên đăng nhập {which.upper()} trước.",
                                en=f"Set the {which.upper()} server and user first.")
    _keyring().set_password(KEYRING_SERVICE, _account(session, which, user, host), password)


def _password(session, which: str, user: str, host: str) -> str:
    secret = _keyring().get_password(KEYRING_SERVICE, _account(session, which, user, host))
    if secret is None:
        raise TransportNotSetUp(vi=f"Chưa lưu mật khẩu {which.upper()} cho {user}. Hãy nhập trong phần cài đặt thư.",
                                en=f"No {which.upper()} password saved for {user}. Enter it in the mail settings.")
    return secret


def _require(settings: MailSettings, *names: str) -> None:
    missing = [n for n in names if not getattr(settings, n)]
    if missing:
        raise TransportNotSetUp(vi=f"Thiếu cài đặt thư: {', '.join(missing)}.", en=f"Mail settings missing: "
                                f"{', '.join(missing)}.")


def _setting(settings: MailSettings, name: str) -> str:
    """One text setting that must be there (as `_require` checks)."""
    _require(settings, name)
    value = getattr(settings, name)
    return str(value)


# --- sending ------------------------------------------------------------------------------------------------
def _smtp(session, settings: MailSettings, timeout: float):
    port = settings.smtp_port or (465 if settings.smtp_security == "ssl" else 587)
    host = _setting(settings, "smtp_host")
    client: smtplib.SMTP
    if settings.smtp_security == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=settings.tls())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
        client.starttls(context=settings.tls())
    if settings.smtp_user:
        password = _password(session, "smtp", settings.smtp_user, host)
        if (settings.smtp_user + password).isascii():
            client.login(settings.smtp_user, password)
        else:
            # smtplib sends credentials as ASCII only; AUTH PLAIN is UTF-8 (RFC 4616): "mật khẩu" must work.
            client.ehlo_or_helo_if_needed()
            token = base64.b64encode(b"\0" + settings.smtp_user.encode() + b"\0" + password.encode()).decode("ascii")
            code, answer = client.docmd("AUTH", "PLAIN " + token)
            if code != 235:
                raise smtplib.SMTPAuthenticationError(code, answer)
    return client


def _message(settings: MailSettings, to: str, subject: str, text: str, name: str, data: bytes,
             headers: dict) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="binhan.invalid")
    for key, value in headers.items():
        message[key] = value
    message.set_content(text)
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message


def _deliver(session, settings: MailSettings, messages: Sequence[tuple[EmailMessage, object]], *, attempts: int,
             pause: float, timeout: float, sleep, on_sent=None) -> None:
    """Send each message; after a broken connection reconnect and go on from the first one not sent."""
    pending = list(messages)
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            client = _smtp(session, settings, timeout)
            try:
                while pending:
                    message, what = pending[0]
                    client.send_message(message)
                    pending.pop(0)
                    if on_sent is not None:
                        on_sent(what)
            finally:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    pass
            return
        except smtplib.SMTPAuthenticationError:
            raise TransportNotSetUp(vi="Máy chủ thư từ chối tên đăng nhập hoặc mật khẩu.",
                                    en="The mail server refused the user name or password.") from None
        except (smtplib.SMTPException, OSError) as exc:
            last = type(exc).__name__
        if attempt < attempts:
            sleep(pause * 2 ** (attempt - 1))
    raise TransportUnavailable(where=f"SMTP {settings.smtp_host}", attempts=attempts, why=last)


@dataclass
class SentResult:
    parts: int = 0
    records: int = 0
    messages: int = 0
    to: str | None = None


def send(session, settings: MailSettings | None = None, *, part_limit: int | None = None, attempts: int = 3,
         pause: float = 2.0, timeout: float = 60.0, sleep=time.sleep) -> SentResult:
    """Build the package for the parent and mail it, one part per message."""
    settings = settings or load_settings(session)
    _require(settings, "smtp_host", "mail_from", "mail_to")
    limit = min(part_limit or settings.part_limit(), settings.part_limit())
    built = package.build(session, part_limit=limit)
    info = session.node_info
    result = SentResult(to=settings.mail_to)
    if not built:
        return result  # nothing to confirm: no empty package is mailed
    messages = []
    for p in built:
        h = p.header
        subject = (f"[Bình An] {h['from']['code']} → {h['to']['code']}: gói {p.seq_from}–{p.seq_to}"
                   + (f" ({p.part}/{p.parts})" if p.parts > 1 else ""))
        text = (f"Gói đồng bộ Bình An của {package.shown_name(info.kind, info.name, info.code)} ({info.code}), phần "
                f"{p.part}/{p.parts}. Tệp đính kèm đã được mã "
                "hóa; hãy nhập bằng Bình An.\n\nA Bình An sync package, encrypted; import it with Bình An.\n")
        messages.append((_message(settings, _setting(settings, "mail_to"), subject, text, p.file_name, p.data,
                                  {"X-Binhan-Package": p.package_id, "X-Binhan-Set": p.set_id,
                                   "X-Binhan-Part": f"{p.part}/{p.parts}"}), p))

    def sent(p):
        package.mark_sent(session, [p], via="email", to=settings.mail_to)
        result.parts += 1
        result.records += p.records
        result.messages += 1

    _deliver(session, settings, messages, attempts=attempts, pause=pause, timeout=timeout, sleep=sleep, on_sent=sent)
    return result


# --- fetching -------------------------------------------------------------------------------------------------
@dataclass
class FetchResult:
    messages: int = 0
    imported: list = field(default_factory=list)   # importer.ImportResult
    refused: list[tuple[str, SyncError]] = field(default_factory=list)  # (file name, the refusal)
    downs: list = field(default_factory=list)      # down.DownResult
    receipts: list[dict] = field(default_factory=list)
    replies: int = 0
    reply_failed: str | None = None


def _imap(session, settings: MailSettings, timeout: float):
    port = settings.imap_port or (993 if settings.imap_security == "ssl" else 143)
    host, user = _setting(settings, "imap_host"), _setting(settings, "imap_user")
    client: imaplib.IMAP4
    if settings.imap_security == "ssl":
        client = imaplib.IMAP4_SSL(host, port, ssl_context=settings.tls(), timeout=timeout)
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
        client.starttls(ssl_context=settings.tls())
    password = _password(session, "imap", user, host)
    if (user + password).isascii():
        client.login(user, password)
    else:  # imaplib's LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
        client.authenticate("PLAIN", lambda _: b"\0" + user.encode() + b"\0" + password.encode())
    return client


def _attachments(raw: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    reply_to = parseaddr(str(message.get("Reply-To") or message.get("From") or ""))[1]
    files = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name.endswith(SUFFIXES) and "/" not in name and "\\" not in name:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                files.append((name, data))
    return reply_to, files


def _seq_from(data: bytes) -> tuple[int, int]:
    try:
        header = package.parse(data).header
        return int(header.get("seq_from", 0)), int(header.get("part", 0))
    except (PackageError, TypeError, ValueError):
        return 0, 0


def fetch(session, settings: MailSettings | None = None, *, reply: bool = False, attempts: int = 3,
          pause: float = 2.0, timeout: float = 60.0, sleep=time.sleep) -> FetchResult:
    """Apply every file mailed here that was not applied before; optionally mail the receipts back."""
    settings = settings or load_settings(session)
    _require(settings, "imap_host", "imap_user")
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            return _fetch_once(session, settings, reply=reply, timeout=timeout, sleep=sleep)
        except imaplib.IMAP4.error as exc:
            if "auth" in str(exc).lower() or "login" in str(exc).lower():
                raise TransportNotSetUp(vi="Máy chủ thư (IMAP) từ chối tên đăng nhập hoặc mật khẩu.",
                                        en="The mail server (IMAP) refused the user name or password.") from None
            last = type(exc).__name__
        except (OSError, imaplib.IMAP4.abort) as exc:
            last = type(exc).__name__
        if attempt < attempts:
            sleep(pause * 2 ** (attempt - 1))
    raise TransportUnavailable(where=f"IMAP {settings.imap_host}", attempts=attempts, why=last)


def _fetch_once(session, settings: MailSettings, *, reply: bool, timeout: float, sleep) -> FetchResult:
    result = FetchResult()
    client = _imap(session, settings, timeout)
    try:
        status, _ = client.select(_quoted(settings.imap_folder))
        if status != "OK":
            raise TransportNotSetUp(vi=f"Không mở được hộp thư {settings.imap_folder}.",
                                    en=f"Cannot open the mail folder {settings.imap_folder}.")
        status, found = client.uid("SEARCH", None, "NOT", "KEYWORD", DONE)
        uids = found[0].split() if status == "OK" and found and found[0] else []
        files: list[tuple[bytes, str, str, bytes]] = []  # (uid, reply address, name, data)
        for uid in uids:
            status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
            if status != "OK" or raw is None:
                continue
            address, attached = _attachments(raw)
            files += [(uid, address, name, blob) for name, blob in attached]
            result.messages += 1
        by_sender: dict[str, list] = {}
        addresses: dict[str, str] = {}
        # Parts of a package, and packages of a child, in sequence order; down-packages and receipts after.
        files.sort(key=lambda f: (not f[2].endswith(package.SUFFIX), _seq_from(f[3])))
        for _uid, address, name, blob in files:
            try:
                if name.endswith(receipt.SUFFIX):
                    result.receipts.append(receipt.apply(session, blob))
                elif down.is_down(blob):
                    result.downs.append(down.apply(session, blob))
                else:
                    imported = importer.import_package(session, blob, name=name, via="email")
                    result.imported.append(imported)
                    by_sender.setdefault(imported.sender["id"], []).append(imported)
                    if address:
                        addresses[imported.sender["id"]] = address
            except (PackageError, ReceiptError) as exc:
                result.refused.append((name, exc))
        if reply and by_sender:
            _reply(session, settings, by_sender, addresses, result, timeout=timeout, sleep=sleep)
        for uid in uids:
            client.uid("STORE", uid, "+FLAGS", f"({DONE})")
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return result


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reply(session, settings: MailSettings, by_sender: dict, addresses: dict, result: FetchResult, *,
           timeout: float, sleep) -> None:
    messages = []
    info = session.node_info
    for sender_id, results in by_sender.items():
        to = addresses.get(sender_id)
        if not to:
            continue
        name, data = receipt.build(session, sender_id, results)
        code = results[0].sender.get("code")
        text = (f"Biên nhận và gói xuống của {info.name} ({info.code}) cho {code}. Hãy nhập bằng Bình An.\n\n"
                "A Bình An receipt and down-package; import them with Bình An.\n")
        message = _message(settings, to, f"[Bình An] {info.code} → {code}: biên nhận", text, name, data, {})
        built = down.build(session, sender_id)
        message.add_attachment(built.data, maintype="application", subtype="octet-stream", filename=built.file_name)
        messages.append((message, sender_id))

    def sent(_):
        result.replies += 1

    try:
        _deliver(session, settings, messages, attempts=3, pause=2.0, timeout=timeout, sleep=sleep, on_sent=sent)
    except (TransportUnavailable, TransportNotSetUp) as exc:
        result.reply_failed = exc.reason  # the files were applied; the next fetch answers again
