"""`binhan serve` stays up: silent and crawling connections are closed, many at once do not stop it answering
others, bodies and headers are bounded, and each request leaves one log line with no personal data."""

import logging
import socket
import threading
import time
import urllib.request

import pytest

from sync import package
from sync.transports import http
from tests.conftest import CANARY_NAME
from tests.sync.conftest import add_case
from tests.sync.test_http import FAST, serve  # noqa: F401  (fixture)


def _idle(url: str, count: int) -> list[socket.socket]:
    port = int(url.rsplit(":", 1)[1])
    out = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        out.append(s)
    return out


def _ping(url: str) -> bytes:
    with urllib.request.urlopen(url + "/v1/ping", timeout=15) as answer:
        return answer.read()


def test_a_hundred_idle_connections_do_not_stop_it_answering_others(serve):  # noqa: F811
    s = serve(idle_timeout=600)  # the idle ones are not closed meanwhile: the answer comes regardless
    idle = _idle(s.url, 100)
    slow = _idle(s.url, 20)
    for sock in slow:
        sock.sendall(b"POST /v1/packages HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")  # and stops
    try:
        for _ in range(5):
            assert _ping(s.url) == b"binhan"
    finally:
        for sock in idle + slow:
            sock.close()


def test_a_silent_or_crawling_connection_is_closed(serve):  # noqa: F811
    s = serve(idle_timeout=1)
    silent, crawling = _idle(s.url, 2)
    crawling.sendall(b"GET /v1/ping HTTP/1.1\r\nHost:")  # half a request, then nothing
    for sock in (silent, crawling):
        sock.settimeout(30)
        deadline = time.monotonic() + 30
        data = b"x"
        while data and time.monotonic() < deadline:
            data = sock.recv(1024)
        assert data == b"", "the server never closed the connection"
        sock.close()
    assert _ping(s.url) == b"binhan"


def test_more_connections_than_the_cap_wait_and_are_answered_once_others_close(serve):  # noqa: F811
    s = serve(idle_timeout=1, max_connections=10)
    crowd = _idle(s.url, 30)
    try:
        assert _ping(s.url) == b"binhan"  # answered once the silent ones are closed (after a second)
    finally:
        for sock in crowd:
            sock.close()


def test_a_body_above_the_cap_or_huge_headers_are_refused_unread(serve):  # noqa: F811
    s = serve(max_body=10_000)
    port = int(s.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"POST /v1/packages HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n" + b"a" * 1000)
        assert sock.recv(100).split(b"\r\n")[0].split()[1] == b"413"
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"GET /v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
        first = sock.recv(100)
        assert first == b"" or first.split()[1] in (b"400", b"431")
    assert _ping(s.url) == b"binhan"


def test_one_log_line_per_request_and_no_personal_data(tree, serve, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="binhan.serve")
    case = add_case(tree.commune)
    s = serve()
    built = package.build(tree.commune)[0]
    http._request(s.url + "/v1/packages", method="POST", body=built.data, **FAST)
    _ping(s.url)
    lines = [r.getMessage() for r in caplog.records if r.name == "binhan.serve"]
    assert lines == ["POST /v1/packages 200 TN01", "GET /v1/ping 200 -"]
    assert all(case["code"] not in line and CANARY_NAME not in line for line in lines)


@pytest.fixture(autouse=True)
def _quiet_waitress(caplog):
    caplog.set_level(logging.ERROR, logger="waitress")


def _trickle(sock: socket.socket, data: bytes, every: float, stop: threading.Event) -> None:
    """Send `data` a byte at a time, one every `every` seconds, until done, stopped or closed by the server."""
    for i in range(len(data)):
        if stop.wait(every):
            return
        try:
            sock.sendall(data[i:i + 1])
        except OSError:
            return


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True once the server closes `sock` (end of stream or reset) within `seconds`."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if sock.recv(1024) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:
            return True
    return False


def test_a_request_trickling_in_is_closed_though_each_byte_beats_the_idle_timer(serve, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="binhan.serve")
    # The idle timer (5 s) never fires: a byte comes every 0.3 s. The request's deadline (1.5 s, plus a second
    # per 1000 bytes received) does.
    s = serve(idle_timeout=5, request_grace=1.5, min_rate=1000)
    port = int(s.url.rsplit(":", 1)[1])
    request = (b"POST /v1/packages HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
               + CANARY_NAME.encode() * 200)
    stop = threading.Event()
    tricklers = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(5)]
    threads = [threading.Thread(target=_trickle, args=(sock, request, 0.3, stop), daemon=True) for sock in tricklers]
    for thread in threads:
        thread.start()
    try:
        assert _ping(s.url) == b"binhan"  # others are answered while they trickle
        started = time.monotonic()
        assert all(_closed_within(sock, 15) for sock in tricklers), "a trickling connection was kept"
        assert time.monotonic() - started < 15
        assert _ping(s.url) == b"binhan"
    finally:
        stop.set()
        for sock in tricklers:
            sock.close()
    closed = [r.getMessage() for r in caplog.records if r.name == "binhan.serve" and "too_slow" in r.getMessage()]
    assert len(closed) == 5
    assert all(line.startswith("- - closed - too_slow ") and CANARY_NAME not in line and "packages" not in line
               and "127.0.0.1" not in line for line in closed)


def test_an_honest_upload_on_a_slow_link_goes_on_past_the_grace(serve):  # noqa: F811
    s = serve(idle_timeout=5, request_grace=1, min_rate=2000)
    port = int(s.url.rsplit(":", 1)[1])
    body = b"a" * 24_000
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(b"POST /v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body))
        for start in range(0, len(body), 2_000):  # 8 KB/s for 3 s: well above the minimum rate
            sock.sendall(body[start:start + 2_000])
            time.sleep(0.25)
        assert sock.recv(100).split(b"\r\n")[0].split()[1] == b"404"  # read whole, then answered


def test_the_deadline_grows_with_what_has_arrived():
    assert http.request_deadline(0) == http.REQUEST_GRACE
    # An upload on a poor 3G link (64 kbit/s) is never cut, however far it has got: a full 8 MB package part
    # takes about 18 minutes there.
    rate = 64_000 / 8
    for received in range(0, package.DEFAULT_PART_LIMIT + 1, 100_000):
        assert received / rate < http.request_deadline(received)
    # A byte every five seconds is cut after about a minute.
    assert http.request_deadline(13) < 13 * 5
