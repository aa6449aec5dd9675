"""Refused packages are remembered beside the database, never in it, by every way a package arrives."""

import io
import json

from sync import package, refusals
from sync.errors import PackageAltered, PackageTruncated
from sync.transports.http import ProvinceEndpoint
from ui.sync import work
from ui.widgets.progress import Progress

from tests.conftest import ADMIN_PASSWORD
from tests.sync.conftest import add_case, dump


def _package(tree) -> bytes:
    add_case(tree.commune)
    return package.build(tree.commune)[0].data


def test_a_refused_file_is_logged_with_its_reason_and_the_database_is_unchanged(tree, tmp_path):
    data = bytearray(_package(tree))
    data[-10] ^= 0x01
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "broken.pkg.binhan").write_bytes(bytes(data))
    before = dump(tree.province)

    run = work.import_packages(tree.province, [tmp_path / "in"], tmp_path / "receipts", Progress())

    assert isinstance(run.files[0].error, PackageAltered)
    assert dump(tree.province) == before
    [entry] = refusals.recent(tree.province)
    assert entry["file"] == "broken.pkg.binhan"
    assert entry["reason"] == PackageAltered.reason
    assert entry["vi"] == run.files[0].error.message("vi") and entry["en"] == run.files[0].error.message("en")
    assert entry["claimed"] == {"code": "TN01", "name": "Xã Thử Nghiệm"}  # from the readable header only
    assert entry["via"] == "folder"


def test_the_log_survives_a_new_session_and_lists_the_newest_first(tree, tmp_path):
    data = _package(tree)
    for n, cut in enumerate((len(data) // 2, len(data) // 3), start=1):
        (tmp_path / f"cut{n}.pkg.binhan").write_bytes(data[:cut])
        work.import_packages(tree.province, [tmp_path / f"cut{n}.pkg.binhan"], tmp_path, Progress())
    tree.province.close()
    session = tree.province.node.login("admin", ADMIN_PASSWORD)
    tree.sessions.append(session)
    entries = refusals.recent(session)
    assert [e["file"] for e in entries] == ["cut2.pkg.binhan", "cut1.pkg.binhan"]
    assert {e["reason"] for e in entries} == {PackageTruncated.reason}


def test_a_line_cut_short_is_skipped_and_the_log_keeps_only_the_newest(tree, monkeypatch):
    monkeypatch.setattr(refusals, "KEEP", 3)
    error = PackageTruncated()
    for n in range(7):
        refusals.record(tree.province, f"f{n}", error)
    path = tree.province.node.data_dir / refusals.LOG_NAME
    assert len(path.read_text().splitlines()) == 3  # the seventh passed 2 × KEEP: trimmed to the newest KEEP
    with open(path, "a", encoding="utf-8") as log:
        log.write('{"at": "2026-')  # a power cut in the middle of a line
    assert [e["file"] for e in refusals.recent(tree.province)] == ["f6", "f5", "f4"]


def test_the_http_endpoint_logs_what_it_refuses(tree):
    endpoint = ProvinceEndpoint(tree.province)
    body = _package(tree)[:-1]
    answers = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/packages", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body)}
    answer = b"".join(endpoint(environ, lambda status, headers: answers.append(status)))
    assert answers[0].startswith("422")
    assert json.loads(answer)["reason"] == refusals.recent(tree.province)[0]["reason"]
    assert refusals.recent(tree.province)[0]["via"] == "http"
