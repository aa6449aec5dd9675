"""Old → new commune codes after the 2025 arrangement (issue 17, item 4)."""

import datetime as dt

import pytest

from app.reference.communes import load_commune_map


def test_the_shipped_map_loads_and_awaits_the_province(tmp_path):
    shipped = load_commune_map("hung_yen")
    assert shipped is not None and shipped.effective == dt.date(2025, 7, 1) and not shipped.confirmed
    assert load_commune_map("nowhere") is None


def test_earlier_years_report_per_former_commune_or_for_the_new_one(tmp_path):
    (tmp_path / "tinh.toml").write_text(
        'province = "tinh"\nversion = 1\neffective = 2025-07-01\n'
        '[[merge]]\nnew_code = "XM"\nnew_name_vi = "Xã Mới"\nold = ["A", "B"]\n', encoding="utf-8")
    m = load_commune_map("tinh", tmp_path)
    assert m.new_code("A", dt.date(2025, 6, 30)) == "A" and m.new_code("A", dt.date(2025, 7, 1)) == "XM"
    assert m.new_code("C", dt.date(2026, 1, 1)) == "C" and m.old_codes("XM") == ("A", "B")
    assert m.report_unit("B", dt.date(2024, 1, 1), as_new=False) == "B"
    assert m.report_unit("B", dt.date(2024, 1, 1), as_new=True) == "XM"


def test_a_commune_merged_twice_is_refused(tmp_path):
    (tmp_path / "tinh.toml").write_text(
        'province = "tinh"\neffective = 2025-07-01\n[[merge]]\nnew_code = "X"\nold = ["A"]\n'
        '[[merge]]\nnew_code = "Y"\nold = ["A"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="merged twice"):
        load_commune_map("tinh", tmp_path)
