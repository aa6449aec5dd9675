"""Finalising the annual report at a commune: one stored record per year, audited, queued for the parent."""

import base64
import json

import pytest

from app.errors import PermissionDenied
from app.reports import submission
from tests.conftest import sample_case


def test_finalising_stores_figures_and_pdf_audits_and_queues_it_in_one_go(session):
    session.cases.save(sample_case())
    before = session.store.scalar("SELECT coalesce(max(seq), 0) FROM outbox")
    made = submission.finalise(session, 2025)
    row = session.store.query("SELECT * FROM annual_reports WHERE id = ?", (made["id"],))[0]
    assert (row["origin"], row["year"], row["rev"], row["finalised_by"]) == (session.origin, 2025, 1, session.user.id)
    assert base64.b64decode(row["pdf"]).startswith(b"%PDF-") and made["pdf_bytes"] > 1000
    figures = json.loads(row["figures"])
    assert figures["kind"] == "annual" and figures["period"] == "2025"
    assert any(t["key"] == "Chi tieu" for t in figures["tables"])
    queued = session.store.query("SELECT table_name, record_id, rev FROM outbox WHERE seq > ?", (before,))
    assert queued == [{"table_name": "annual_reports", "record_id": made["id"], "rev": 1}]
    entry = session.store.query("SELECT * FROM audit_log WHERE action = 'report.finalise'")
    assert len(entry) == 1 and json.loads(entry[0]["detail"]) == {"kind": "annual", "year": 2025, "rev": 1}
    assert session.verify_audit().ok


def test_finalising_a_year_again_is_a_new_revision_of_the_same_record(session):
    first = submission.finalise(session, 2025)
    other = submission.finalise(session, 2024)
    again = submission.finalise(session, 2025)
    assert again["id"] == first["id"] and again["rev"] == 2 and other["id"] != first["id"]
    assert [(r["year"], r["rev"]) for r in submission.finalised(session)] == [(2025, 2), (2024, 1)]
    assert session.store.scalar("SELECT count(*) FROM annual_reports") == 2


def test_a_cadre_may_not_finalise_and_nothing_is_stored(session):
    session.add_user("canbo", "pass-12345-trau-den", "cadre", point_id="point-A")
    cadre = session.node.login("canbo", "pass-12345-trau-den")
    try:
        with pytest.raises(PermissionDenied):
            submission.finalise(cadre, 2025)
    finally:
        cadre.close()
    assert session.store.scalar("SELECT count(*) FROM annual_reports") == 0


def test_a_province_has_no_one_to_send_its_report_to(tree_province):
    with pytest.raises(submission.SubmissionError, match="Chỉ xã"):
        submission.finalise(tree_province, 2025)


def test_a_missing_report_is_said_plainly(session):
    with pytest.raises(submission.SubmissionError, match="Chưa nhận được báo cáo năm 2025"):
        submission.received_pdf(session, "someone", 2025)


@pytest.fixture
def tree_province(tmp_path):
    from app.node import Node
    from tests.conftest import ADMIN_PASSWORD
    node, _ = Node.create(tmp_path / "TB", kind="province", name="Tỉnh Thái Bình", code="TB", parent_code=None,
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    session = node.login("admin", ADMIN_PASSWORD)
    yield session
    session.close()


def test_figures_are_single_line_labels_and_numbers_the_parent_accepts(session):
    from app import sync_allow
    from app.reports.model import PRIMARY, SECONDARY, Column, Figure, Report, Table

    table = Table(key="Chi tieu", title_vi="Kết quả\nthực hiện", title_en="", columns=[Column("a", "Chỉ\ttiêu", "")],
                  rows=[["Dòng một\ndòng hai " + "x" * 400, Figure(3, suppressed=True, reason=PRIMARY), Figure(12),
                         2.5, None, Figure(13, suppressed=True, reason=SECONDARY)]],
                  suppress_label="<5")
    report = Report(kind="annual", title="BÁO CÁO", subject="", blocks=[table])
    figures = submission.figures_of(report)
    (out,) = figures["tables"]
    assert out["title"] == "Kết quả thực hiện" and out["columns"] == ["Chỉ tiêu"]
    label, hidden, shown, ratio, empty, protecting = out["rows"][0]
    assert label.startswith("Dòng một dòng hai x") and len(label) == submission.MAX_TEXT
    assert (hidden, shown, ratio, empty, protecting) == ("<5", 12, 2.5, None, "x")
    assert sync_allow._figures_ok(figures)
    assert not sync_allow._figures_ok({**figures, "tables": [{**out, "title": "hai\ndòng"}]})
