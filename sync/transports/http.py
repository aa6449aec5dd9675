"""HTTP transport: the province's endpoint (`binhan serve`) and the commune's push.

The endpoint is a WSGI application served by waitress. It moves the same files
as every other transport and trusts nothing but their signatures:

    POST /v1/packages                 a package file → verified, imported; answer: the signed receipt
    GET  /v1/children/<id>/down       a down-package for that child (profile, lists, receipt)
    GET  /v1/children/<id>/receipt    the child's receipt as of now
    GET  /v1/ping                     "binhan" (to see that the endpoint is up)

A package proves its sender by its own signature, so POST needs nothing more.
The GETs are *signed requests*: the child signs method, path, time, a random
nonce and the body's hash with its enrolled Ed25519 key; the endpoint refuses
an unknown key, a time more than `WINDOW` seconds away, and a nonce seen within
that window (a replayed request). What it answers is sealed to the child anyway.

Bodies above `max_body` are refused (413) before they are read. Nothing here
logs a body or a record: a line per request with method, path, status and the
sender's code.

The client retries a failed request (no connection, time-out, 5xx) a few
times with growing pauses; a refusal (4xx) is final and says why. Sending the
same package twice is harmless (the second is a replay: a no-op with a fresh
receipt), so a push that failed half-way is resumed by pushing again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from sync import down, enrol, importer, package, receipt
from sync import keys as node_keys
from sync.codec import b64, unb64, verifies
from sync.down import DownResult
from sync.errors import PackageError, SyncError, TransportNotSetUp, TransportRefused, TransportUnavailable

log = logging.getLogger("binhan.serve")

PREFIX = "/v1"
WINDOW = 300  # seconds a signed request stays valid either side of the server's clock
DEFAULT_MAX_BODY = 4 * package.DEFAULT_PART_LIMIT
DEFAULT_PORT = 8470
_REQUEST_CONTEXT = b"binhan-http-request-v1\x00"


def request_message(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return _REQUEST_CONTEXT + "\x00".join(
        (method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest())).encode("utf-8")


def sign_request(session, method: str, path: str, body: bytes = b"", *, now: float | None = None) -> dict:
    """The headers that prove this node sent the request."""
    signer = node_keys.current(session, node_keys.SIGNING)
    timestamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    signature = signer.signing_key.sign(request_message(method, path, timestamp, nonce, body)).signature
    return {"X-Binhan-Node": session.origin, "X-Binhan-Key": signer.key_id, "X-Binhan-Time": timestamp,
            "X-Binhan-Nonce": nonce, "X-Binhan-Signature": b64(signature)}


# --- the endpoint ------------------------------------------------------------------------------------------
class _Answer(Exception):
    def __init__(self, status: str, body: bytes, content_type: str = "application/json"):
        super().__init__(status)
        self.status, self.body, self.content_type = status, body, content_type


def _refusal(status: str, reason: str, vi: str, en: str) -> _Answer:
    return _Answer(status, json.dumps({"reason": reason, "vi": vi, "en": en}, ensure_ascii=False).encode("utf-8"))


class ProvinceEndpoint:
    """The WSGI application. One open session; requests take turns on it (imports are not concurrent)."""

    def __init__(self, session, *, max_body: int = DEFAULT_MAX_BODY, clock=time.time):
        self.session = session
        self.max_body = max_body
        self.clock = clock
        self._turn = threading.Lock()
        self._nonces: dict[str, float] = {}

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        who, failed = "-", ""
        try:
            with self._turn:
                who, answer = self._route(environ, method, path)
        except _Answer as exc:
            answer = exc
        except Exception as exc:  # never a traceback (it may hold a record's values) in a log or an answer
            failed = " " + type(exc).__name__
            answer = _refusal("500 Internal Server Error", "server_error", "Lỗi máy chủ; hãy thử lại sau.",
                              "Server error; try again later.")
        # One line per request, nothing from the body: method, path (ids only), status, the sender's code.
        log.info("%s %s %s %s%s", method, path[:200], answer.status.split()[0], who, failed)
        start_response(answer.status, [("Content-Type", answer.content_type),
                                       ("Content-Length", str(len(answer.body))), ("Cache-Control", "no-store")])
        return [answer.body]

    def _route(self, environ, method: str, path: str) -> tuple[str, _Answer]:
        if not path.startswith(PREFIX + "/"):
            raise _refusal("404 Not Found", "not_found", "Không có địa chỉ này.", "No such address.")
        parts = path[len(PREFIX) + 1:].split("/")
        if parts == ["ping"] and method == "GET":
            return "-", _Answer("200 OK", b"binhan", "text/plain")
        if parts == ["packages"]:
            if method != "POST":
                raise _refusal("405 Method Not Allowed", "method", "Chỉ nhận POST.", "POST only.")
            return self._package(self._body(environ))
        if len(parts) == 3 and parts[0] == "children" and parts[2] in ("down", "receipt"):
            if method != "GET":
                raise _refusal("405 Method Not Allowed", "method", "Chỉ nhận GET.", "GET only.")
            child = self._authenticated(environ, method, path, parts[1], self._body(environ))
            if parts[2] == "down":
                built = down.build(self.session, child["node_id"])
                return child["code"], _Answer("200 OK", built.data, "application/octet-stream")
            _, data = receipt.build(self.session, child["node_id"])
            return child["code"], _Answer("200 OK", data)
        raise _refusal("404 Not Found", "not_found", "Không có địa chỉ này.", "No such address.")

    def _body(self, environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            raise _refusal("400 Bad Request", "length", "Thiếu độ dài nội dung.", "Missing content length.")
        if length > self.max_body:
            raise _refusal("413 Payload Too Large", "too_large",
                           f"Tệp quá lớn (tối đa {self.max_body} byte). Hãy tạo gói với giới hạn nhỏ hơn.",
                           f"File too large (at most {self.max_body} bytes). Build the package with a lower limit.")
        body = environ["wsgi.input"].read(length) if length else b""
        if len(body) != length:
            raise _refusal("400 Bad Request", "short_body", "Nội dung bị cắt ngắn.", "The body was cut short.")
        return body

    def _package(self, body: bytes) -> tuple[str, _Answer]:
        try:
            result = importer.import_package(self.session, body, via="http")
        except PackageError as exc:
            raise _refusal("422 Unprocessable Entity", exc.reason, exc.message("vi"), exc.message("en")) from None
        _, data = receipt.build(self.session, result.sender["id"], [result])
        return str(result.sender.get("code")), _Answer("200 OK", data)

    def _authenticated(self, environ, method: str, path: str, node_id: str, body: bytes) -> dict:
        def refuse(why: str):
            return _refusal("401 Unauthorized", why, "Yêu cầu không được xác thực.", "The request is not authenticated.")

        headers = {name: environ.get("HTTP_X_BINHAN_" + name.upper())
                   for name in ("node", "key", "time", "nonce", "signature")}
        if any(not isinstance(v, str) or not v or len(v) > 200 for v in headers.values()):
            raise refuse("unauthenticated")
        if headers["node"] != node_id:
            raise refuse("unauthenticated")
        child = enrol.peer(self.session, node_id)
        if child is None or child["relation"] != "child" or child["status"] != "active":
            raise refuse("unauthenticated")
        # A retired key (rotated away, or the registration revoked) proves nothing.
        key = self.session.store.query("SELECT public_key FROM sync_peer_keys WHERE key_id = ? AND node_id = ?"
                                       " AND purpose = ? AND retired_at IS NULL",
                                       (headers["key"], node_id, node_keys.SIGNING))
        try:
            signature = unb64(headers["signature"])
            stamp = int(headers["time"])
        except ValueError:
            raise refuse("unauthenticated") from None
        message = request_message(method, path, headers["time"], headers["nonce"], body)
        if not key or not verifies(key[0]["public_key"], message, signature):
            raise refuse("unauthenticated")
        now = self.clock()
        if abs(now - stamp) > WINDOW:
            raise refuse("stale_request")
        self._nonces = {n: t for n, t in self._nonces.items() if t > now}
        if headers["nonce"] in self._nonces:
            raise refuse("replayed_request")
        self._nonces[headers["nonce"]] = now + 2 * WINDOW
        return child


IDLE_TIMEOUT = 20  # seconds a connection may stay silent (idle, or sending too slowly) before it is closed
MAX_CONNECTIONS = 500  # open connections at once; beyond, new ones wait in the listen queue
MAX_HEADER = 16 * 1024
#: A request (headers and body) must arrive within REQUEST_GRACE seconds plus one second per MIN_RATE bytes
#: received so far: a client that trickles a byte now and then (each one resetting the idle timer) is closed
#: once the grace is spent, while an honest upload on a weak commune link goes on. MIN_RATE is 2 KB/s (16
#: kbit/s), well under a poor 3G (or EDGE) link; an 8 MB package part may then take up to 70 minutes.
REQUEST_GRACE = 60
MIN_RATE = 2048


def request_deadline(received: int, *, grace: float = REQUEST_GRACE, min_rate: float = MIN_RATE) -> float:
    """Seconds a request may take to arrive, counted from its first byte, once `received` bytes of it came."""
    return grace + received / min_rate


def make_server(session, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, max_body: int = DEFAULT_MAX_BODY,
                threads: int = 4, idle_timeout: int = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS,
                request_grace: float = REQUEST_GRACE, min_rate: float = MIN_RATE):
    """A waitress server for the endpoint (port 0: any free port, see `server.effective_port`). Call
    `run()` to serve and `close()` to stop.

    Waitress's defaults let 100 silent connections fill every slot for two minutes (the connection limit is 100,
    the idle time-out 120 s): here a silent connection is closed after `idle_timeout` seconds, a request that
    crawls in (a byte every few seconds keeps the idle timer from firing) once it has taken longer than
    `request_grace` seconds plus one second per `min_rate` bytes received (`request_deadline`), the cap is far
    above what a province's communes open, and headers and bodies are bounded. Connections are watched with
    poll(), not select(), so many of them cannot break the loop."""
    import waitress.server

    from sync.transports.slow_requests import watch_slow

    server = waitress.server.create_server(
        ProvinceEndpoint(session, max_body=max_body), host=host, port=port, threads=threads,
        max_request_body_size=max_body, max_request_header_size=MAX_HEADER, channel_timeout=idle_timeout,
        cleanup_interval=max(1, min(5, idle_timeout // 2, int(request_grace) // 2)),
        connection_limit=max_connections, asyncore_use_poll=True, ident="binhan", clear_untrusted_proxy_headers=True)
    watch_slow(server, request_grace, min_rate)
    return server


# --- the client (a commune or district pushing to its parent) ------------------------------------------------------
ENDPOINT_KEY = "sync.http"


def load_endpoint(session) -> str | None:
    """The parent's address saved for pushing (`http://…` or `https://…`), if any."""
    return session.store.scalar("SELECT value FROM meta WHERE key = ?", (ENDPOINT_KEY,)) or None


def _check_address(url: str) -> None:
    """Only `http`/`https` with a host: urllib would open `file:` and other schemes as well."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise TransportNotSetUp(vi=f"Địa chỉ máy chủ '{url}' không hợp lệ (ví dụ: https://dongbo.tinh.gov.vn).",
                                en=f"The server address '{url}' is not valid (e.g. https://sync.province.gov.vn).")


def save_endpoint(session, url: str | None) -> None:
    """Remember (or, given nothing, forget) the parent's address. Only `http`/`https` with a host."""
    session.require("settings.manage")
    url = (url or "").strip()
    if url:
        _check_address(url)
    with session.store.transaction() as conn:
        if url:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ENDPOINT_KEY, url))
        else:
            conn.execute("DELETE FROM meta WHERE key = ?", (ENDPOINT_KEY,))
        session.audit(conn, "sync.http.settings", detail={"set": bool(url)})


@dataclass
class PushResult:
    parts: int = 0
    records: int = 0
    receipt: dict | None = None
    down: DownResult | None = None
    attempts: list[str] = field(default_factory=list)


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + PREFIX + path


def _request(url: str, *, method: str, body: bytes | None = None, headers: dict | None = None,
             attempts: int = 4, pause: float = 1.0, timeout: float = 60.0, sleep=time.sleep, log_to=None) -> bytes:
    """The answer's body. Retries what may pass next time; raises TransportRefused on a refusal and
    TransportUnavailable when every attempt failed."""
    _check_address(url)  # every address, saved or given on the command line
    last = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, method=method, headers={  # noqa: S310 - checked above
            "Content-Type": "application/octet-stream", "User-Agent": "binhan", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - http(s) only, checked
                return answer.read()
        except urllib.error.HTTPError as exc:
            text = exc.read()
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                try:
                    said = json.loads(text.decode("utf-8"))
                    vi, en = str(said.get("vi")), str(said.get("en"))
                except (UnicodeDecodeError, ValueError, AttributeError):
                    vi = en = f"HTTP {exc.code}"
                raise TransportRefused(where=url, vi=vi, en=en) from None
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = type(getattr(exc, "reason", exc)).__name__
        if log_to is not None:
            log_to.append(f"{method} {url}: {last}")
        if attempt < attempts:
            sleep(pause * 2 ** (attempt - 1))
    raise TransportUnavailable(where=url, attempts=attempts, why=last)


def push(session, base_url: str, *, part_limit: int | None = None, fetch_down: bool = True, **retry) -> PushResult:
    """Build the package for the parent (everything not yet confirmed), POST each part, apply each receipt;
    then fetch and apply the parent's down-package. Safe to run again after any failure."""
    built = package.build(session, part_limit=part_limit or package.DEFAULT_PART_LIMIT)
    result = PushResult()
    for p in built:
        answer = _request(_url(base_url, "/packages"), method="POST", body=p.data, log_to=result.attempts, **retry)
        package.mark_sent(session, [p], via="http", to=base_url)
        result.receipt = receipt.apply(session, answer)
        result.parts += 1
        result.records += p.records
    if fetch_down:
        result.down = pull_down(session, base_url, log_to=result.attempts, **retry)
    return result


def pull_down(session, base_url: str, **retry) -> DownResult:
    """Fetch this node's down-package from the parent's endpoint and apply it."""
    path = f"{PREFIX}/children/{session.origin}/down"
    headers = sign_request(session, "GET", path)
    data = _request(base_url.rstrip("/") + path, method="GET", headers=headers, **retry)
    return down.apply(session, data)


def serve_forever(session, host: str, port: int, *, max_body: int = DEFAULT_MAX_BODY, announce=print,
                  request_grace: float = REQUEST_GRACE, min_rate: float = MIN_RATE) -> None:
    """Run the endpoint until interrupted (Ctrl+C, or SIGTERM where there is one)."""
    import signal

    server = make_server(session, host, port, max_body=max_body, request_grace=request_grace, min_rate=min_rate)
    if not log.handlers:  # one line per request on the console: method, path, status, the sender's code; no data
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    def stop(*_):
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)
    announce(f"http://{host}:{server.effective_port}")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


__all__ = ["ProvinceEndpoint", "PushResult", "SyncError", "make_server", "pull_down", "push", "serve_forever",
           "sign_request"]
