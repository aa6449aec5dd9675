"""Hostile text through every report in every format: formulas stay text, control characters that got in before
the door was closed (or from another node) never break a file, other scripts are drawn, never dropped."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from app.reports import FORMATS, export, save_report_settings, save_report_text
from app.targets import Period
from tests.reports.conftest import needs_poppler, pdf_text
from tests.reports.test_communes import YEAR, _province, province  # noqa: F401 - fixtures

FORMULAS = {
    "signer_name": '=HYPERLINK("http://evil.example/","Bấm vào đây")',
    "issuing_body": "=1+1",
    "situation": "+SUM(1,2)",
    "activity": "@SUM(1,2)",
    "provider": "-2+3",
}


@pytest.fixture
def hostile(session, year_of_data):
    save_report_settings(session, signer_name=FORMULAS["signer_name"], issuing_body=FORMULAS["issuing_body"],
                         recipients=["=cmd|' /C calc'!A0", "Lưu: VT"])
    save_report_text(session, Period.of(2025), "situation", FORMULAS["situation"])
    activity = session.store.query("SELECT id FROM activities WHERE deleted = 0 ORDER BY id LIMIT 1")[0]["id"]
    saved = session.activities.get(activity)
    saved["title"] = FORMULAS["activity"]
    session.activities.save(saved)
    # What the door now refuses but an older version kept (or a child node sent): straight into the database.
    with session.store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     ("report_text:2025:year:difficulties", json.dumps("Khó khăn\x0bthứ hai\x00.")))
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     ("report_setting:signer_title", json.dumps("CHỦ TỊCH\x0b")))
        conn.execute("UPDATE activities SET place = ? WHERE id = ?", ("Nhà văn hóa\x0bthôn\x07 Đông", activity))
    return session


def _every_export(session, tmp_path):
    out = []
    for kind, formats in FORMATS.items():
        if kind in ("case_file", "person_file"):
            continue
        for fmt in formats:
            out.append((kind, fmt, export(session, kind, Period.of(2025), fmt, tmp_path / f"{kind}.{fmt}",
                                          report_date=date(2026, 2, 3))))
    return out


def test_every_export_of_hostile_text_is_written_and_no_text_is_a_formula(hostile, tmp_path):
    files = _every_export(hostile, tmp_path)
    xlsx = [path for _, fmt, path in files if fmt == "xlsx"]
    assert len(xlsx) == sum("xlsx" in formats for kind, formats in FORMATS.items()
                            if kind not in ("case_file", "person_file"))  # every report kind that has an Excel form
    seen: set[str] = set()
    for path in xlsx:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    part = archive.read(name).decode("utf-8")
                    assert "<f>" not in part and "<f " not in part, f"{path.name} {name} holds a formula"
                    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", part)
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.lstrip()[:1] in "=+-@":
                        assert cell.data_type == "s", (path.name, ws.title, cell.coordinate, cell.value)
                        assert cell.quotePrefix, (path.name, ws.title, cell.coordinate)
                        seen.add(cell.value)
    assert {FORMULAS["signer_name"], FORMULAS["issuing_body"], FORMULAS["situation"]} <= seen
    docx = next(path for kind, fmt, path in files if fmt == "docx")
    text = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "Khó khăn\nthứ hai." in text


@needs_poppler
def test_the_annual_pdf_prints_the_mended_text(hostile, tmp_path):
    path = export(hostile, "annual", Period.of(2025), "pdf", tmp_path / "a.pdf", report_date=date(2026, 2, 3))
    text = unicodedata.normalize("NFC", pdf_text(path))
    assert "Khó khăn\nthứ hai." in text
    assert FORMULAS["situation"] in text


def _formula_free(path) -> list[str]:
    """The text cells of a workbook that begin like a formula (each checked to be text with the quote prefix)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                part = archive.read(name).decode("utf-8")
                assert "<f>" not in part and "<f " not in part, f"{path.name} {name} holds a formula"
    found = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip()[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, (path.name, ws.title, cell.coordinate)
                    found.append(cell.value)
    return found


def test_commune_names_received_from_below_stay_text_at_a_province(province, tmp_path):
    names = ['=HYPERLINK("http://evil.example/","Xã A")', "+1+2", "@SUM(1,2)"]
    communes = json.loads(province.store.scalar("SELECT value FROM meta WHERE key = 'demo_communes'"))
    for entry, name in zip(communes, names, strict=True):  # as a commune's enrolment would name it in sync_peers
        entry["name"] = name
    with province.store.transaction() as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'demo_communes'", (json.dumps(communes),))
    names = [f"{entry['name']} ({entry['code']})" for entry in communes[:3]]
    period = Period.of(YEAR - 1)
    found = []
    for kind in ("annual", "statistics", "activities"):
        found += _formula_free(export(province, kind, period, "xlsx", tmp_path / f"{kind}.xlsx"))
    assert set(names) <= set(found)
    path = export(province, "annual", period, "docx", tmp_path / "annual.docx")
    assert names[0] in "\n".join(c.text for t in Document(path).tables for r in t.rows for c in r.cells)
