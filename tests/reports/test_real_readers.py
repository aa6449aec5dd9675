"""Real readers: every kind of .xlsx and .docx the app writes (with hostile text in it) opens in LibreOffice
headless and converts to PDF without an error, and passes the Office Open XML schema checks of Microsoft's Open XML
SDK (through openxml-audit, a port of its validator). Microsoft Office itself is not available here.

CI installs LibreOffice and sets BINHAN_REQUIRE_LIBREOFFICE=1, so there a missing LibreOffice fails instead of
skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest

from app.reports import FORMATS, export
from app.targets import Period
from tests.reports.conftest import pdf_text
from tests.reports.test_hostile_text import FORMULAS, hostile  # noqa: F401 - fixture

OFFICE_KINDS = [(kind, fmt) for kind, formats in FORMATS.items() for fmt in formats if fmt in ("xlsx", "docx")]


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("BINHAN_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("LibreOffice (soffice) is required here (BINHAN_REQUIRE_LIBREOFFICE=1) but not installed")
    return found


@pytest.fixture
def office_files(hostile, tmp_path):
    out = tmp_path / "files"
    out.mkdir()
    return {(kind, fmt): export(hostile, kind, Period.of(2025), fmt, out / f"{kind}-{fmt}.{fmt}",
                                report_date=date(2026, 2, 3)) for kind, fmt in OFFICE_KINDS}


def test_every_kind_of_office_file_is_covered():
    assert set(OFFICE_KINDS) == {("annual", "xlsx"), ("annual", "docx"), ("statistics", "xlsx"),
                                 ("activities", "xlsx"), ("register", "xlsx"), ("dv_statistics", "xlsx"),
                                 ("case_data", "xlsx")}


def test_libreoffice_converts_every_xlsx_and_docx_without_an_error(office_files, tmp_path):
    tool = soffice()
    if tool is None:
        pytest.skip("LibreOffice not installed")
    converted = tmp_path / "converted"
    profile = tmp_path / "lo-profile"
    files = [str(path) for path in office_files.values()]
    run = subprocess.run([tool, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                          "--convert-to", "pdf", "--outdir", str(converted), *files],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stdout + run.stderr, run.stdout + run.stderr
    for (kind, fmt), path in office_files.items():
        pdf = converted / f"{path.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, f"{kind}.{fmt} was not converted"
        text = unicodedata.normalize("NFC", pdf_text(pdf))
        assert "Thử Nghiệm" in text or "THỬ NGHIỆM" in text, f"{kind}.{fmt}: Vietnamese not read back"
    for stem in ("annual-xlsx", "annual-docx"):
        text = unicodedata.normalize("NFC", pdf_text(converted / f"{stem}.pdf"))
        assert FORMULAS["situation"] in text, stem  # a formula-looking text printed as text, not computed
        assert FORMULAS["signer_name"].replace(" ", "") in "".join(text.split()), stem
        assert "Err:" not in text and "#NAME?" not in text and "#VALUE!" not in text, stem


def test_every_xlsx_and_docx_passes_the_open_xml_sdk_schema_checks(office_files):
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator(max_errors=50)
    for (kind, fmt), path in office_files.items():
        result = validator.validate(str(path))
        assert result.is_valid, f"{kind}.{fmt}: " + "\n".join(str(e) for e in result.errors[:10])
