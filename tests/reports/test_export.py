"""Exports: audited without names, written atomically, refused to roles without the right; officer's texts."""

from __future__ import annotations

import json

import pytest

from app.errors import BinhAnError, PermissionDenied, ValidationFailed
from app.reports import (FORMATS, build, export, report_settings, report_texts, save_report_settings,
                         save_report_text)
from app.targets import Period
from tests.conftest import CANARY_NAME

OTHER_PASSWORD = "mật-khẩu-khác"


def audit(session, action):
    return session.store.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq", (action,))


@pytest.mark.parametrize("kind", ["annual", "statistics", "activities", "register", "case_data"])
def test_every_export_is_audited_with_kind_period_and_format_only(session, year_of_data, tmp_path, kind):
    fmt = FORMATS[kind][0]
    out = tmp_path / f"{CANARY_NAME}.{fmt}"  # even a file name naming someone stays out of the log
    export(session, kind, Period.of(2025, "H1"), fmt, out)
    entry = audit(session, "report.export")[-1]
    detail = json.loads(entry["detail"])
    audited = detail.pop("disclosure", None)  # the small-cell audit's result, stored with the export
    assert detail == {"kind": kind, "format": fmt, "period": "2025-H1"}
    assert (audited is not None) == (kind in ("annual", "statistics"))
    if audited is not None:
        assert audited["ok"] and audited["hidden"] > 0 and audited["narrowest"] >= audited["required"]
    assert entry["username"] == "admin"
    assert not any(CANARY_NAME in (e["detail"] or "") for e in session.store.query("SELECT detail FROM audit_log"))


def test_a_failed_build_leaves_the_earlier_file_and_no_partial_file(session, year_of_data, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "thong-ke.xlsx"
    export(session, "statistics", Period.of(2025), "xlsx", out)
    good = out.read_bytes()
    exports = len(audit(session, "report.export"))

    import openpyxl.workbook.workbook as wb_module

    original = wb_module.Workbook.save

    def broken_save(self, filename):
        original(self, filename)  # the temporary file is written whole…
        raise OSError("disk full")  # …and then the disk fills before it is renamed

    monkeypatch.setattr(wb_module.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        export(session, "statistics", Period.of(2025), "xlsx", out)
    assert out.read_bytes() == good
    assert [p.name for p in folder.iterdir()] == ["thong-ke.xlsx"]
    assert len(audit(session, "report.export")) == exports  # nothing exported, nothing logged


def test_wrong_format_and_missing_folder_are_refused_with_a_message(session, tmp_path):
    with pytest.raises(BinhAnError) as err:
        export(session, "statistics", Period.of(2025), "pdf", tmp_path / "x.pdf")
    assert "xlsx" in str(err.value)
    with pytest.raises(BinhAnError) as err:
        export(session, "annual", Period.of(2025), "pdf", tmp_path / "không-có" / "x.pdf")
    assert "Không có thư mục" in str(err.value)
    with pytest.raises(BinhAnError):
        build(session, "nonsense", Period.of(2025))


def test_leaders_build_reports_but_never_open_a_case_file(session, new_node, year_of_data, tmp_path):
    session.add_user("lanhdao", OTHER_PASSWORD, "leader", "Chủ tịch xã")
    session.add_user("canbo", OTHER_PASSWORD, "cadre", "Cán bộ điểm", point_id="P1")
    leader = new_node.login("lanhdao", OTHER_PASSWORD)
    cadre = new_node.login("canbo", OTHER_PASSWORD)
    try:
        assert export(leader, "annual", Period.of(2025), "pdf", tmp_path / "a.pdf").exists()
        with pytest.raises(PermissionDenied):
            export(leader, "case_file", None, "pdf", tmp_path / "c.pdf", case_ids=[year_of_data["counted"][0]["id"]])
        with pytest.raises(PermissionDenied):
            build(cadre, "statistics", Period.of(2025))
    finally:
        leader.close()
        cadre.close()
    assert not (tmp_path / "c.pdf").exists()


def test_free_text_is_kept_per_period_and_section(session):
    year, h1 = Period.of(2025), Period.of(2025, "H1")
    save_report_text(session, year, "situation", "  Tình hình năm ổn định.\r\nKhông có vụ nghiêm trọng.  ")
    save_report_text(session, h1, "situation", "Sáu tháng đầu năm.")
    assert report_texts(session, year)["situation"] == "Tình hình năm ổn định.\nKhông có vụ nghiêm trọng."
    assert report_texts(session, h1)["situation"] == "Sáu tháng đầu năm."
    assert report_texts(session, Period.of(2024))["situation"] == ""
    assert session.store.scalar("SELECT count(*) FROM meta WHERE key = 'report_text:2025:H1:situation'") == 1
    save_report_text(session, h1, "situation", "")
    assert report_texts(session, h1)["situation"] == ""
    entries = audit(session, "report.text")
    assert len(entries) == 3 and "ổn định" not in "".join(e["detail"] for e in entries)
    with pytest.raises(ValidationFailed):
        save_report_text(session, year, "nonsense", "x")


def test_the_officers_text_and_settings_reach_the_report(session, year_of_data):
    save_report_text(session, Period.of(2025), "situation", "Tình hình an ninh trật tự ổn định.")
    settings = save_report_settings(session, signer_name="Trần Thị Ký", signer_title="Phó Chủ tịch",
                                    signer_authority="KT. Chủ tịch", doc_number="7")
    assert settings["signer_name"] == "Trần Thị Ký" and report_settings(session)["doc_number"] == "7"
    report = build(session, "annual", Period.of(2025))
    first = report.blocks[1]
    assert first.title == "I. TÌNH HÌNH CHUNG" and first.blocks[0].text == "Tình hình an ninh trật tự ổn định."
    assert report.signature.name == "Trần Thị Ký" and report.signature.title == "PHÓ CHỦ TỊCH"
    assert report.header.number.startswith("Số: 7/")
    with pytest.raises(ValidationFailed):
        save_report_settings(session, colour="red")


def test_default_header_comes_from_the_node_and_profile(session):
    s = report_settings(session)
    assert s["issuing_body"] == "Ủy ban nhân dân xã Thử Nghiệm" and s["place"] == "Thử Nghiệm"
    assert s["superior_body"] == ""  # a People's Committee writes its own name alone (Decree 30)
    report = build(session, "annual", Period.of(2025))
    assert report.header.issuing_body == "ỦY BAN NHÂN DÂN\nXÃ THỬ NGHIỆM" and report.header.superior_body == ""
    assert report.recipients[0] == session.profile.receiving_body_vi and report.recipients[-1] == "Lưu: VT"
