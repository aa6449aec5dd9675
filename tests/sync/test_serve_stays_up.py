"""`binhan serve` stays up: silent and crawling connections are closed, many at once do not stop it answering
others, bodies and headers are bounded, and each request leaves one log line with no personal data."""

import logging
import socket
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
