"""The province's HTTP endpoint (a real waitress server on 127.0.0.1) and the commune's push."""

import logging
import os
import subprocess
import sys
import threading

import pytest

from sync import package
from sync.errors import TransportRefused, TransportUnavailable
from sync.transports import http

from tests.conftest import ADMIN_PASSWORD, CANARY_NAME
from tests.sync.conftest import add_case
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)


class Serving:
    """A real server in a thread; `wrap` may stand between it and the endpoint (to lose answers)."""

    def __init__(self, session, wrap=None, **kw):
        self.server = http.make_server(session, "127.0.0.1", 0, **kw)
        if wrap is not None:
            self.server.application = wrap(self.server.application)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self):
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture
def serve(tree):
    running = []

    def start(session=None, **kw):
        s = Serving(session or tree.province, **kw)
        running.append(s)
        return s
    yield start
    for s in running:
        s.close()


FAST = {"pause": 0.0, "timeout": 10}


def _count(session, sql):
    return session.store.scalar(sql)


def test_push_imports_answers_a_receipt_and_brings_the_down_package(tree, serve, caplog):
    caplog.set_level(logging.INFO, logger="binhan.serve")
    case = add_case(tree.commune)
    s = serve()
    result = http.push(tree.commune, s.url, **FAST)
    high = _count(tree.commune, "SELECT max(seq) FROM outbox")
    assert result.parts == 1 and result.records == 1 and result.receipt["acknowledged_through"] == high
    assert result.down.verdict == "applied"
    assert tree.province.cases.get(case["id"])["origin"] == tree.commune.origin
    assert package.acked_seq(tree.commune, tree.province.origin) == high
    logged = caplog.text
    assert "POST /v1/packages 200 TN01" in logged and case["code"] not in logged and CANARY_NAME not in logged


def test_the_same_package_posted_twice_changes_nothing_the_second_time(tree, serve):
    add_case(tree.commune)
    s = serve()
    built = package.build(tree.commune)[0]
    http._request(s.url + "/v1/packages", method="POST", body=built.data, **FAST)
    cases = tree.province.store.query("SELECT * FROM cases")
    again = http._request(s.url + "/v1/packages", method="POST", body=built.data, **FAST)
    assert b"binhan-receipt" in again
    assert tree.province.store.query("SELECT * FROM cases") == cases
    assert _count(tree.province, "SELECT count(*) FROM sync_inbox") == 1


def _losing_answers(lose: set[int]):
    """Handle every request, but answer the n-th POSTs of `lose` with 503: the work was done, the answer lost."""
    seen = {"posts": 0}

    def wrap(app):
        def wrapped(environ, start_response):
            if environ["REQUEST_METHOD"] != "POST":
                return app(environ, start_response)
            seen["posts"] += 1
            body = app(environ, lambda *a, **k: None)
            if seen["posts"] in lose:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"lost"]
            start_response("200 OK", [("Content-Type", "application/json")])
            return body
        return wrapped
    return wrap


def test_a_push_broken_half_way_resumes_without_loss_or_duplicates(tree, serve):
    cases = [add_case(tree.commune) for _ in range(8)]
    broken = serve(wrap=_losing_answers({2, 3}))
    with pytest.raises(TransportUnavailable):
        http.push(tree.commune, broken.url, part_limit=3_000, attempts=2, **FAST)
    confirmed = package.acked_seq(tree.commune, tree.province.origin)
    assert 0 < confirmed < _count(tree.commune, "SELECT max(seq) FROM outbox")
    result = http.push(tree.commune, serve().url, part_limit=3_000, **FAST)
    assert result.receipt["acknowledged_through"] == _count(tree.commune, "SELECT max(seq) FROM outbox")
    stored = tree.province.store.query("SELECT id FROM cases ORDER BY id")
    assert [r["id"] for r in stored] == sorted(c["id"] for c in cases)


def test_a_lost_answer_is_retried_within_the_same_push(tree, serve):
    add_case(tree.commune)
    s = serve(wrap=_losing_answers({1}))
    result = http.push(tree.commune, s.url, attempts=3, **FAST)
    assert len(result.attempts) == 1 and "503" in result.attempts[0]
    assert result.receipt["acknowledged_through"] == _count(tree.commune, "SELECT max(seq) FROM outbox")


def test_down_and_receipt_need_a_fresh_request_signed_by_that_child(tree, serve):
    s = serve()
    path = f"/v1/children/{tree.commune.origin}/down"
    url = s.url + path
    with pytest.raises(TransportRefused):
        http._request(url, method="GET", attempts=1, **FAST)
    headers = http.sign_request(tree.commune, "GET", path)
    assert http._request(url, method="GET", headers=headers, attempts=1, **FAST).startswith(package.MAGIC)
    with pytest.raises(TransportRefused):  # the same request again: a replay
        http._request(url, method="GET", headers=headers, attempts=1, **FAST)
    stale = http.sign_request(tree.commune, "GET", path, now=0)
    with pytest.raises(TransportRefused):
        http._request(url, method="GET", headers=stale, attempts=1, **FAST)
    other = http.sign_request(tree.commune2, "GET", path)  # commune 2 asking for commune 1's files
    with pytest.raises(TransportRefused):
        http._request(url, method="GET", headers=other, attempts=1, **FAST)
    receipt_path = f"/v1/children/{tree.commune.origin}/receipt"
    answer = http._request(s.url + receipt_path, method="GET", headers=http.sign_request(tree.commune, "GET",
                                                                                           receipt_path), **FAST)
    assert b"binhan-receipt" in answer


def test_a_body_over_the_limit_is_refused_before_it_is_read(tree, serve):
    s = serve(max_body=10_000)
    with pytest.raises(TransportRefused):
        http._request(s.url + "/v1/packages", method="POST", body=b"x" * 20_000, attempts=1, **FAST)
    with pytest.raises(TransportRefused) as refused:
        http._request(s.url + "/v1/packages", method="POST", body=b"not a package", attempts=1, **FAST)
    assert "không phải gói" in refused.value.message("vi")


def test_binhan_serve_and_sync_send_from_the_command_line(tree, binhan):  # noqa: F811
    add_case(tree.commune)
    env = {**os.environ, "BINHAN_PASSWORD": ADMIN_PASSWORD, "BINHAN_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys, binhan.cli; sys.exit(binhan.cli.main())", "--data-dir",
         str(tree.province.node.data_dir), "--user", "admin", "serve", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = server.stdout.readline()
        url = line.split("at ", 1)[1].split(" ", 1)[0]
        code, out, err = binhan(tree.commune.node, "sync", "send", "--http", url)
        assert code == 0, err
        assert "đã xác nhận" in out and "gói xuống 1" in out
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 1


def test_the_saved_address_is_used_when_sync_send_names_none(tree, serve, binhan):  # noqa: F811
    add_case(tree.commune)
    code, _, err = binhan(tree.commune.node, "sync", "send", "--http")
    assert code != 0 and "binhan sync endpoint" in err
    code, _, err = binhan(tree.commune.node, "sync", "endpoint", "ftp://tinh")
    assert code != 0 and http.load_endpoint(tree.commune) is None
    s = serve()
    code, out, err = binhan(tree.commune.node, "sync", "endpoint", s.url)
    assert code == 0 and out.strip() == s.url, err
    code, out, err = binhan(tree.commune.node, "sync", "send", "--http")
    assert code == 0, err
    assert tree.province.store.scalar("SELECT count(*) FROM cases") == 1
    code, out, _ = binhan(tree.commune.node, "sync", "endpoint", "--clear")
    assert code == 0 and out.strip() == "" and http.load_endpoint(tree.commune) is None
