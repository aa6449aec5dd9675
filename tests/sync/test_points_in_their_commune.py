"""A trusted-address point is part of its commune: its records count in the commune's row of every per-commune
table (never a row of its own), and it never owes an annual report."""

from datetime import date

from app.reports.communes import cases_by_commune, key_figures_by_commune, roster, targets_over
from app.reports.cases import CountedCases
from app.targets import Period
from sync import importer, package
from tests.sync.conftest import add_case
from tests.sync.test_vouching import by_commune, declaring, forged_case


def test_a_point_s_cases_count_in_its_commune_s_row(tree, monkeypatch):
    point, _ = by_commune(tree.commune, code="TN01-D1")
    declaring(monkeypatch, tree.commune, [point])
    add_case(tree.commune)
    forged_case(tree.commune, point["id"])  # recorded at the point's own node, relayed by its commune
    add_case(tree.commune2)
    for commune in (tree.commune, tree.commune2):
        importer.import_package(tree.province, package.build(commune)[0].data)
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE origin = ?", (point["id"],)) == 1

    assert [u.code for u in roster(tree.province)] == ["TB", "TN01", "TN02"]  # no row for the point
    period = Period(date(2025, 1, 1), date(2025, 12, 31), "2025")
    with CountedCases(tree.province, period) as counted:
        table = cases_by_commune(tree.province, period, counted)
        results, by_origin = targets_over(tree.province, period, counted)
        key = key_figures_by_commune(tree.province, period, counted, results, by_origin, table)
    rows = {row[0]: row for row in table.rows}
    commune_row = next(label for label in rows if "TN01" in label)
    assert not any("TN01-D1" in label or "chưa rõ" in label for label in rows)
    assert sum(f.value for f in rows[commune_row][1:] if hasattr(f, "value") and f.value) == 2 * 2  # row + total
    key_row = next(row for row in key.rows if "TN01" in row[0])
    assert key_row[1].value == 2
    # Each figure's own query recomputes it alone, the point's case included.
    assert tree.province.store.scalar(key_row[1].trace.sql, key_row[1].trace.params) == 2


def test_points_never_owe_an_annual_report(tree, monkeypatch):
    from ui.sync import work

    point, _ = by_commune(tree.commune, code="TN01-D1")
    declaring(monkeypatch, tree.commune, [point])
    add_case(tree.commune)
    importer.import_package(tree.province, package.build(tree.commune)[0].data)
    shot = work.snapshot(tree.province, today=date(2027, 6, 1))
    by_code = {row["code"]: row["submission"]["state"] for row in shot.registry}
    assert by_code["TN01-D1"] == "not_owed" and by_code["TN01"] != "not_owed"
