"""Real mail servers on 127.0.0.1 for the e-mail transport's tests.

* a self-signed certificate for 127.0.0.1, made with `cryptography`, that the
  client trusts through the settings' `cafile`;
* SMTP: aiosmtpd with STARTTLS required and AUTH (user/password) after it; each
  accepted message is delivered to the recipient's Dovecot mailbox by IMAP
  APPEND, as a mail server would, unless `refuse` says to answer "451" to it;
* IMAP: Dovecot started in the foreground from a configuration in a temporary
  folder, implicit TLS only, users from a passwd-file.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                         x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


class Dovecot:
    """Dovecot in the foreground, IMAPS on a free port of 127.0.0.1, mailboxes under `folder`."""

    def __init__(self, cert: Path, key: Path, users: dict[str, str]):
        # Its own folder, readable by the unprivileged users Dovecot switches to (pytest's are private to us).
        folder = self.folder = Path(tempfile.mkdtemp(prefix="binhan-dovecot-"))
        folder.chmod(0o755)
        self.port = free_port()
        self.users = users
        mail, run = folder / "mail", folder / "run"
        mail.mkdir(parents=True)
        (folder / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
        # Readable by Dovecot's auth process whatever the umask: a node opened earlier in this process set it to
        # 077 (app.store.privacy), and a users file only we can read fails every log-in "temporarily".
        (folder / "users").chmod(0o644)
        if os.geteuid() == 0:  # Dovecot's login and mail processes refuse to run as root
            internal, login = "dovecot", "dovenull"
            owner = pwd.getpwnam("dovecot")
            shutil.chown(mail, owner.pw_uid, owner.pw_gid)
            uid, gid = owner.pw_uid, owner.pw_gid
        else:
            internal = login = pwd.getpwuid(os.geteuid()).pw_name
            uid, gid = os.geteuid(), os.getegid()
        (folder / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {run}
state_dir = {folder / "state"}
instance_name = binhan-test-{self.port}
log_path = {folder / "dovecot.log"}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder / "users"}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
""")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("dovecot did not start: " + self.process.stderr.read().decode(errors="replace")[-2000:])

    def append(self, user: str, raw: bytes, context: ssl.SSLContext) -> None:
        with imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10) as client:
            client.login(user, self.users[user])
            client.append("INBOX", None, None, raw)

    def count(self, user: str, context: ssl.SSLContext, criteria: str = "ALL") -> int:
        with imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10) as client:
            client.login(user, self.users[user])
            client.select("INBOX")
            _, found = client.search(None, criteria)
            return len(found[0].split()) if found and found[0] else 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


class Smtp:
    """aiosmtpd with STARTTLS and AUTH; delivers each message to its recipients' Dovecot mailboxes."""

    def __init__(self, cert: Path, key: Path, dovecot: Dovecot, client_tls: ssl.SSLContext,
                 accounts: dict[str, str], mailboxes: dict[str, str]):
        self.received: list[bytes] = []
        self.refuse: set[int] = set()  # numbers (1-based) of messages to answer "451 try again"
        self.attempts = 0
        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_tls.load_cert_chain(cert, key)
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.attempts += 1
                if outer.attempts in outer.refuse:
                    return "451 4.3.0 try again later"
                outer.received.append(envelope.content)
                for rcpt in envelope.rcpt_tos:
                    if rcpt in mailboxes:
                        dovecot.append(mailboxes[rcpt], envelope.content, client_tls)
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and accounts.get(data.login.decode()) == data.password.decode()
            return AuthResult(success=ok)

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=server_tls,
                                     require_starttls=True, authenticator=authenticator, auth_require_tls=True)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
