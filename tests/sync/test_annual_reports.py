"""A commune's finalised annual report goes up in its package; the province keeps it per sender, knows when it
arrived, and can save the PDF exactly as the commune made it. Through a district too."""

import base64
import shutil
import subprocess

import pytest

from app import sync_allow
from app.reports import submission
from sync import importer, package, receipt, status
from sync.transports import folder

from tests.sync.conftest import add_case, dump


def _send(child, parent, tmp_path, **kw):
    built = package.build(child, **kw)
    out = folder.send_packages(child, built, tmp_path / "usb")
    return built, [importer.import_package(parent, path) for path in out]


def _own_pdf(session, year) -> bytes:
    row = session.store.query("SELECT pdf FROM annual_reports WHERE origin = ? AND year = ?", (session.origin, year))
    return base64.b64decode(row[0]["pdf"])


def test_finalised_report_arrives_at_the_province_with_the_same_pdf(tree, tmp_path):
    add_case(tree.commune)
    made = submission.finalise(tree.commune, 2025)
    built, results = _send(tree.commune, tree.province, tmp_path)
    assert results[0].applied == 2 and results[0].kept_aside == []
    got = submission.received(tree.province)
    assert [(r["origin"], r["year"], r["rev"]) for r in got] == [(tree.commune.origin, 2025, 1)]
    assert got[0]["first_received_at"] and got[0]["received_at"]
    assert got[0]["finalised_on"] == made["finalised_on"].isoformat()
    assert submission.received_pdf(tree.province, tree.commune.origin, 2025) == _own_pdf(tree.commune, 2025)
    out = submission.save_received_pdf(tree.province, tree.commune.origin, 2025, tmp_path / "TN01-2025.pdf")
    assert out.read_bytes() == _own_pdf(tree.commune, 2025) and out.read_bytes().startswith(b"%PDF-")
    saved = tree.province.store.query("SELECT action, detail FROM audit_log WHERE action = 'report.received.save'")
    assert len(saved) == 1 and "TN01-2025.pdf" not in saved[0]["detail"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_received_pdf_reads_as_vietnamese_text(tree, tmp_path):
    submission.finalise(tree.commune, 2025)
    _send(tree.commune, tree.province, tmp_path)
    out = submission.save_received_pdf(tree.province, tree.commune.origin, 2025, tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO" in text and "Kết quả thực hiện" in text and "Xã Thử Nghiệm".upper() in text.upper()


def test_refinalising_replaces_the_report_at_the_province_but_keeps_its_first_arrival(tree, tmp_path):
    submission.finalise(tree.commune, 2025)
    _send(tree.commune, tree.province, tmp_path)
    first = submission.received(tree.province)[0]
    add_case(tree.commune)
    again = submission.finalise(tree.commune, 2025)
    assert again["rev"] == 2 and again["id"] == first["id"]
    _send(tree.commune, tree.province, tmp_path)
    got = submission.received(tree.province)
    assert len(got) == 1 and got[0]["rev"] == 2
    assert got[0]["first_received_at"] == first["first_received_at"]
    assert got[0]["received_at"] >= first["received_at"]
    assert submission.received_pdf(tree.province, tree.commune.origin, 2025) == _own_pdf(tree.commune, 2025)


def test_an_older_version_arriving_late_does_not_replace_the_newer(tree, tmp_path):
    submission.finalise(tree.commune, 2025)
    old = package.build(tree.commune)
    submission.finalise(tree.commune, 2025)
    _send(tree.commune, tree.province, tmp_path)
    before = dump(tree.province)["annual_reports"]
    importer.import_package(tree.province, old[0].data)
    assert dump(tree.province)["annual_reports"] == before
    assert submission.received(tree.province)[0]["rev"] == 2


def test_district_forwards_its_communes_reports_and_the_province_knows_whose(district_tree, tmp_path):
    t = district_tree
    submission.finalise(t.commune3, 2025)
    submission.finalise(t.district, 2025)
    _send(t.commune3, t.district, tmp_path / "a")
    assert [r["origin"] for r in submission.received(t.district)] == [t.commune3.origin]
    _send(t.district, t.province, tmp_path / "b")
    got = {r["origin"]: r for r in submission.received(t.province)}
    assert set(got) == {t.commune3.origin, t.district.origin}
    assert submission.received_pdf(t.province, t.commune3.origin, 2025) == _own_pdf(t.commune3, 2025)
    by_code = {row["code"]: row for row in status.annual_reports_received(t.province)}
    assert [r["year"] for r in by_code["TN03"]["annual_reports"]] == [2025]
    assert [r["year"] for r in by_code["D01"]["annual_reports"]] == [2025]


def test_own_report_shows_sent_then_confirmed(tree, tmp_path):
    submission.finalise(tree.commune, 2025)
    assert [(r["year"], r["state"]) for r in status.own_annual_reports(tree.commune)] == [(2025, "unsent")]
    built, results = _send(tree.commune, tree.province, tmp_path)
    assert status.own_annual_reports(tree.commune)[0]["state"] == "sent"
    _, data = receipt.build(tree.province, tree.commune.origin, results)
    receipt.apply(tree.commune, data)
    assert status.own_annual_reports(tree.commune)[0]["state"] == "confirmed"


def test_a_report_that_is_not_a_pdf_is_kept_aside(tree, tmp_path):
    made = submission.finalise(tree.commune, 2025)
    with tree.commune.store.transaction() as conn:
        conn.execute("UPDATE annual_reports SET pdf = ? WHERE id = ?",
                     (base64.b64encode(b"<html>not a pdf</html>").decode(), made["id"]))
    built, results = _send(tree.commune, tree.province, tmp_path)
    assert [k["reason"] for k in results[0].kept_aside] == ["malformed"]
    assert tree.province.store.scalar("SELECT count(*) FROM annual_reports") == 0


def test_figures_carry_the_suppression_label_never_a_small_value(tree):
    add_case(tree.commune)  # one case: every count of it is small
    submission.finalise(tree.commune, 2025)
    with tree.commune.store.lock:
        record = sync_allow.outgoing(tree.commune.store.conn, "annual_reports",
                                     submission.finalised(tree.commune)[0]["id"])
    assert sync_allow.check("annual_reports", record, tree.province.reference) == []
    cells = [c for t in record["figures"]["tables"] for row in t["rows"] + [t["total"] or []] for c in row]
    assert "<5" in cells
    kinds = [t for t in record["figures"]["tables"] if t["key"] == "Loai bao luc"][0]
    assert 1 not in [c for row in kinds["rows"] for c in row[1:]]


def test_a_package_split_into_parts_carries_the_report_whole(tree, tmp_path):
    for _ in range(30):
        add_case(tree.commune)
    made = submission.finalise(tree.commune, 2025)
    limit = 64 * 1024
    assert made["pdf_bytes"] > limit  # the report alone weighs more than a part may
    built, results = _send(tree.commune, tree.province, tmp_path, part_limit=limit)
    assert len(built) > 1 and all(r.kept_aside == [] for r in results)
    # A record is never cut: the report travels alone in its part, every other part keeps to the limit.
    heavy = [p for p in built if len(p.data) > limit]
    assert len(heavy) == 1 and heavy[0].records == 1 and len(heavy[0].data) < made["pdf_bytes"] * 1.5
    assert tree.province.cases.count() == 30
    assert submission.received_pdf(tree.province, tree.commune.origin, 2025) == _own_pdf(tree.commune, 2025)
