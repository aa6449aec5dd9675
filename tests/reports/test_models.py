"""Report models: every figure traceable, recomputed independently, small counts hidden."""

from __future__ import annotations

from collections import Counter

import pytest

from app.reports import build
from app.reports.model import MASKED, PRIMARY, SECONDARY, Figure
from app.targets import Period
from tests.app.test_targets import expected_counted


def table(report, key):
    return next(t for t in report.tables() if t.key == key)


def cells(t):
    """{(row label, column key): Figure} of a small table, total row included."""
    out = {}
    for line in list(t.rows) + ([t.total] if t.total else []):
        for column, cell in zip(t.columns, line, strict=True):
            if isinstance(cell, Figure):
                out[(line[0], column.key)] = cell
    return out


@pytest.mark.parametrize("kind", ["annual", "statistics", "activities"])
def test_every_figure_recomputes_from_its_own_query(session, year_of_data, kind):
    report = build(session, kind, Period.of(2025))
    figures = list(report.figures())
    assert len(figures) > 20
    for figure in figures:
        assert figure.trace is not None
        again = figure.trace.run(session.store)
        if figure.value is None:
            assert again is None
        else:
            assert again == pytest.approx(figure.value)


def test_cases_by_type_and_sex_match_an_independent_count(session, year_of_data):
    counted = expected_counted(session, "2025-01-01", "2025-12-31")
    assert len(counted) == 13
    raw = {r["id"]: r for r in session.store.query("SELECT id, violence_type, survivor_sex FROM cases")}
    expected = Counter((raw[c]["violence_type"], raw[c]["survivor_sex"]) for c in counted)
    report = build(session, "statistics", Period.of(2025))
    by_type = cells(table(report, "Loai bao luc"))
    ref = session.reference
    for (vtype, sex), n in expected.items():
        assert by_type[(ref.label("violence_type", vtype), f"c_{sex}")].value == n
    grand = by_type[("Tổng số", "total")]
    assert grand.value == 13 and not grand.suppressed
    rape = by_type[("Hiếp dâm", "c_female")]
    # Printed "<5", or "x" where the label itself would help narrow it down (the audit masks it).
    assert rape.value == 2 and rape.suppressed and rape.reason in (PRIMARY, MASKED)
    # Women: 8 assaults + 2 rapes = 10. Showing 8 and 10 would give the 2 away, so 8 is hidden too,
    # and then the assault row's total (8 = its only count), and the women's total: hidden, not small.
    for key in (("Bạo lực thể chất", "c_female"), ("Bạo lực thể chất", "total"), ("Tổng số", "c_female")):
        assert by_type[key].suppressed and by_type[key].reason == SECONDARY and by_type[key].value >= 8
    assert report.disclosure.ok


def test_no_row_or_column_with_a_total_hides_just_one_count(session, year_of_data):
    report = build(session, "statistics", Period.of(2025))
    threshold = session.profile.small_cell_threshold
    for t in report.tables():
        if t.big or t.total is None:
            continue
        grid = [[c for c in line if isinstance(c, Figure)] for line in t.rows]
        for figure in (f for line in grid for f in line):
            if 0 < figure.value < threshold:
                assert figure.suppressed, t.key
        has_row_totals = t.columns[-1].key == "total"
        lines = [line for line in grid] if has_row_totals else []
        lines += [[line[j] for line in grid] + [t.total[j + 1]] for j in range(len(t.total) - 1)]
        for line in lines:  # (a zero hidden to cover a count elsewhere may stand alone: it protects nothing itself)
            hidden = [f for f in line if f.suppressed]
            assert len(hidden) != 1 or hidden[0].value == 0, t.key


def test_withdrawn_consent_and_double_reporting_change_the_statistics(session, year_of_data):
    before = cells(table(build(session, "statistics", Period.of(2025)), "Loai bao luc"))[("Tổng số", "total")].value
    first = session.cases.get(year_of_data["counted"][0]["id"])
    first["consent"]["reporting"]["withdrawn_on"] = "2025-12-01"
    session.cases.save(first)
    second = session.cases.get(year_of_data["counted"][1]["id"])
    second["incident"]["reported_elsewhere"] = True
    session.cases.save(second)
    after = cells(table(build(session, "statistics", Period.of(2025)), "Loai bao luc"))[("Tổng số", "total")].value
    # reported by another agency too: it stays in this node's own figures (only the withdrawal counts)
    assert after == before - 1 == len(expected_counted(session, "2025-01-01", "2025-12-31"))
    # The withdrawal of 01/12 leaves the first half's figures as they were.
    h1 = cells(table(build(session, "statistics", Period.of(2025, "H1")), "Loai bao luc"))[("Tổng số", "total")]
    assert h1.value == len(expected_counted(session, "2025-01-01", "2025-06-30"))


def test_data_sheet_has_one_de_identified_row_per_counted_case_in_gbvims_order(session, year_of_data):
    report = build(session, "case_data", Period.of(2025))
    assert report.confidential == "HẠN CHẾ TIẾP CẬN"
    sheet = table(report, "Du lieu")
    assert sheet.big
    rows = list(sheet.rows)
    codes = {r["code"] for r in session.store.query("SELECT code, id FROM cases")
             if r["id"] in expected_counted(session, "2025-01-01", "2025-12-31")}
    assert {row[0] for row in rows} == codes
    keys = [c.key for c in sheet.columns]
    assert keys[:11] == ["code", "reported", "incident", "age_band", "sex", "ethnicity", "marital", "disability",
                         "time_of_day", "location", "type"]
    assert keys.index("elsewhere") < keys.index("perp_count") < keys.index("relationship") < keys.index(
        "referral_source") < keys.index("service_safe_shelter") < keys.index("consent_reporting")
    assert not any(k in keys for k in ("name", "address", "phone", "id_number", "narrative"))
    assert list(sheet.rows) == rows  # streamed again, same rows


def test_register_numbers_its_rows_and_marks_perpetrator_handling(session, year_of_data):
    report = build(session, "register", Period.of(2025))
    rows = list(report.blocks[0].rows)
    assert [r[0] for r in rows] == list(range(1, 14))
    handled = {r["code"] for r in session.store.query(
        "SELECT DISTINCT c.code FROM cases c JOIN case_perpetrator_actions a ON a.case_id = c.id")}
    keys = [c.key for c in report.blocks[0].columns]
    for r in rows:
        assert r[keys.index("perp_handled")] is (r[1] in handled)


def test_activity_figures_match_an_independent_sum(session, year_of_data):
    report = build(session, "activities", Period.of(2025))
    by_kind = cells(table(report, "Theo loai"))
    raw = session.store.query("SELECT kind, participants_female, participants_total, deleted, starts_on"
                              " FROM activities")
    live = [r for r in raw if r["deleted"] == 0 and r["starts_on"].startswith("2025")]
    talks = [r for r in live if r["kind"] == "thematic_talk"]
    label = session.reference.label("activity_kind", "thematic_talk")
    assert by_kind[(label, "activities")].value == len(talks) == 2
    assert by_kind[(label, "female")].value == sum(r["participants_female"] for r in talks) == 90
    assert by_kind[("Tổng số", "total")].value == sum(r["participants_total"] for r in live)
    campaigns = cells(table(report, "Thang hanh dong"))
    month = next(k for k in campaigns if k[0].startswith("Tháng hành động vì bình đẳng giới") and k[1] == "activities")
    assert campaigns[month].value == 2  # the talk of 20/11 and the commendation of 01/12
    june = next(k for k in campaigns if k[0].startswith("Tháng hành động quốc gia") and k[1] == "activities")
    assert campaigns[june].value == 1  # the rally of 10/06; the deleted one of 11/06 does not count


def test_annual_report_targets_are_the_core_targets(session, year_of_data):
    from app.targets import targets

    report = build(session, "annual", Period.of(2025))
    rows = list(table(report, "Chi tieu").rows)
    results = targets(session, 2025)
    assert [r[1] for r in rows] == [t.label_vi for t in results]
    for row, result in zip(rows, results, strict=True):
        assert (row[3].value, row[4].value) == (result.numerator, result.denominator)
        assert row[5].value == result.value
    schools = rows[2]
    assert (schools[3].value, schools[4].value) == (2, 2) and not schools[3].suppressed


def test_models_are_counted_by_their_status_at_the_period_end(session, year_of_data):
    q1 = cells(table(build(session, "annual", Period.of(2025, "Q1")), "Mo hinh"))
    year = cells(table(build(session, "annual", Period.of(2025)), "Mo hinh"))
    trusted = session.reference.label("model_kind", "trusted_address")
    assert q1[(trusted, "c_active")].value == 1 and q1[(trusted, "c_suspended")].value == 0
    assert year[(trusted, "c_active")].value == 0 and year[(trusted, "c_suspended")].value == 1


def test_activities_by_topic_and_by_funding_source_add_up(session, year_of_data):
    from app.reports import activities as act

    session.activities.save({"kind": "other", "title": "Hoạt động khác có nguồn", "starts_on": "2025-05-05",
                             "topic": "school_violence", "funding_source": "project", "budget_vnd": 3_000_000})
    period = Period.of(2025)
    topics, funding = act.by_topic(session, period), act.by_funding_source(session, period)
    rows = session.store.query("SELECT topic, funding_source, budget_vnd FROM activities WHERE deleted = 0"
                               " AND starts_on BETWEEN '2025-01-01' AND '2025-12-31'")
    by_topic = {r[0]: r[1].value for r in topics.rows}
    assert by_topic["Phòng, chống bạo lực học đường"] == sum(1 for r in rows if r["topic"] == "school_violence")
    assert sum(by_topic.values()) == len(rows) == topics.total[1].value
    money = {r[0]: r[2].value for r in funding.rows}
    assert money["Chương trình, dự án, tài trợ (kể cả tổ chức quốc tế)"] == sum(
        r["budget_vnd"] for r in rows if r["funding_source"] == "project") >= 3_000_000
    for table in (topics, funding):
        for row in table.rows:
            for figure in row[1:]:
                assert figure.trace.run(session.store) == figure.value


def test_per_case_lists_are_restricted_working_documents(session, year_of_data, tmp_path):
    from openpyxl import load_workbook

    from app.reports import export

    for kind in ("register", "case_data"):
        report = build(session, kind, Period.of(2025))
        assert report.confidential == "HẠN CHẾ TIẾP CẬN" and report.disclosure is None
        assert any("Hạn chế tiếp cận" in note for note in report.notes)
        cover = load_workbook(export(session, kind, Period.of(2025), "xlsx", tmp_path / f"{kind}.xlsx"))["Thong tin"]
        assert cover["A1"].value == "HẠN CHẾ TIẾP CẬN"
    # The statistics workbook holds protected tables, and so no per-case rows.
    assert not any(t.big for t in build(session, "statistics", Period.of(2025)).tables())
