"""The officer's files print what the form accepts: a 4 000-character narrative and safety notes flow across pages;
at a district or province, which holds no identity, asking for them is refused with a plain message."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from binhan.cli import main
from app.reports import export
from app.reports.casefile import IdentityNotHeld
from tests.reports.conftest import needs_poppler, pdf_text
from tests.reports.test_communes import _province, province  # noqa: F401 - fixtures

# Short lines, as a narrative typed line by line: 4 000 characters of them are taller than a page.
LINE = "Chị bị chồng đánh nhiều lần,\nhàng xóm can ngăn;\nchị sợ hãi,\nđã đến trạm y tế xã ngày 05/03.\n"


def _long(text: str, n: int = 4000) -> str:
    return (text * (n // len(text) + 1))[:n - 3] + "KẾT"


@needs_poppler
@pytest.mark.parametrize("kind", ["case_file", "person_file"])
def test_a_narrative_as_long_as_the_form_allows_flows_across_pages(session, year_of_data, tmp_path, kind):
    case = session.cases.get(year_of_data["counted"][0]["id"], with_identity=True)
    case["identity"]["narrative"] = _long(LINE)
    case["identity"]["safety_notes"] = _long("Tránh gọi điện buổi tối; liên hệ qua chị gái ở thôn Đông. ")
    session.cases.save(case)
    path = export(session, kind, None, "pdf", tmp_path / f"{kind}.pdf", case_ids=[case["id"]])
    text = unicodedata.normalize("NFC", pdf_text(path))
    flat = " ".join(text.split())
    assert flat.count("KẾT") == 2  # both long texts printed to their last word
    # Every sentence of the narrative is there, whatever page it fell on.
    assert flat.count("đã đến trạm y tế xã ngày 05/03.") == 4000 // len(LINE)
    assert int(subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout.split("Pages:")[1]
               .split()[0]) >= 3


def test_province_refuses_the_officers_files_plainly(province):
    case_id = province.store.query("SELECT id FROM cases LIMIT 1")[0]["id"]
    for kind in ("case_file", "person_file"):
        with pytest.raises(IdentityNotHeld) as caught:
            export(province, kind, None, "pdf", "/tmp/never-written.pdf", case_ids=[case_id])
        assert "không lưu thông tin nhận dạng" in caught.value.vi and "holds no identities" in caught.value.en


def test_province_refusal_at_the_command_line_is_exit_2(province, monkeypatch, capsys, tmp_path):
    code = province.store.query("SELECT code FROM cases LIMIT 1")[0]["code"]
    data_dir = province.node.data_dir
    province.store.close()
    monkeypatch.setenv("BINHAN_PASSWORD", "demo")
    out = tmp_path / "hs.pdf"
    status = main(["--data-dir", str(data_dir), "--user", "admin", "report", "case-file", "--case", code,
                   "--out", str(out)])
    assert status == 2 and "không lưu thông tin nhận dạng" in capsys.readouterr().err
    assert not out.exists()


def test_the_reports_page_of_a_province_does_not_offer_the_officers_files(qtbot, province):
    from ui.reports.page import ReportsPage

    page = ReportsPage(province)
    qtbot.addWidget(page)
    kinds = [page.kind_combo.itemData(i) for i in range(page.kind_combo.count())]
    assert "annual" in kinds and "case_file" not in kinds and "person_file" not in kinds
