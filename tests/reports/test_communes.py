"""Province reports: figures by commune, the fast reading path against a recount, month-level dates.

A small generated province (3 communes, 2 years: `app.demo`, province scale) is
built once; each test works on its own copy. `month_level` turns its dates
into what a province really holds after sync: "YYYY-MM" for everything about
a case, no activity titles, communes named in `sync_peers`.
"""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from datetime import date

import nacl.pwhash
import pytest
from openpyxl import load_workbook

from app.reports import build, export
from app.reports.activities import ActivityWindow
from app.reports.cases import CountedCases
from app.reports.communes import UNKNOWN, cases_by_commune, holds_communes, origin_trace, roster, targets_over
from app.reports.model import Figure
from app.store import keyslots
from app.targets import Period, gbv_types, targets_for
from tests.conftest import MemoryKeyring
from tests.reports.conftest import needs_poppler, pdf_text

YEAR = date.today().year


@pytest.fixture(scope="module")
def _province(tmp_path_factory):
    from app.demo import create_demo_node

    saved = keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT
    keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.set_keyring_backend(MemoryKeyring())
    try:
        folder = tmp_path_factory.mktemp("province") / "node"
        node, _ = create_demo_node(folder, scale="province", communes=3, years=2, seed=5, check_every=25)
        node.login("admin", "demo").store.close()
    finally:
        keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT = saved
        keyslots.set_keyring_backend(None)
    return folder


@pytest.fixture
def province(_province, tmp_path):
    from app.node import Node

    folder = tmp_path / "province"
    shutil.copytree(_province, folder, ignore=shutil.ignore_patterns("backups"))
    session = Node.open(folder).login("admin", "demo")
    yield session
    session.store.close()


MONTH_COLUMNS = {
    "cases": ("reported_on", "incident_on", "closed_on", "next_follow_up", "safety_plan_on", "created_at",
              "updated_at"),
    "case_consents": ("given_on", "withdrawn_on"),
    "case_services": ("on_date",),
    "case_referrals": ("referred_on",),
    "case_perpetrator_actions": ("on_date",),
    "case_follow_ups": ("due_on",),
}


@pytest.fixture
def month_level(province):
    """The province as sync leaves it: month-level case dates, empty titles, communes named by `sync_peers`."""
    with province.store.transaction() as conn:
        for table, columns in MONTH_COLUMNS.items():
            for column in columns:
                conn.execute(f"UPDATE {table} SET {column} = substr({column}, 1, 7) WHERE {column} IS NOT NULL")
        conn.execute("UPDATE activities SET title = '', place = NULL, notes = NULL")
        units = roster(province)[1:]
        for unit in units[:2]:  # two enrolled the way sync does; the third only known to the demo roster
            conn.execute("INSERT INTO sync_peers (node_id, relation, kind, code, name, parent_code, via, status,"
                         " enrolled_at, updated_at) VALUES (?, 'child', 'commune', ?, ?, 'TB', NULL, 'active',"
                         " '2025-01-01', '2025-01-01')", (unit.origin, unit.code, f"Xã Đồng Bộ {unit.code[-1]}"))
    return province


def recount(session, year: int) -> dict[str, list[dict]]:
    """The counted cases of `year` by origin, from raw rows and the written rules (full or month dates)."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    gbv = set(gbv_types(session.reference))
    consents = {r["case_id"]: r for r in session.store.query(
        "SELECT case_id, given, given_on, withdrawn_on FROM case_consents WHERE scope = 'reporting'")}
    out: dict[str, list[dict]] = {}
    everything = {c["id"]: c for c in session.store.query("SELECT * FROM cases")}
    for c in everything.values():
        k = consents.get(c["id"])
        other = everything.get(c["duplicate_of"]) if c["duplicate_of"] else None
        held_elsewhere = (c["reported_elsewhere"] == 1 and other is not None and other["deleted"] == 0
                          and other["origin"] != c["origin"])
        consented = (k is not None and k["given"] == 1 and (k["given_on"] or "") <= end
                     and (k["withdrawn_on"] is None or k["withdrawn_on"] > end))
        if (c["deleted"] == 0 and c["status"] != "duplicate" and c["violence_type"] in gbv
                and not held_elsewhere and start[:7] <= c["reported_on"] <= end and consented):
            out.setdefault(c["origin"], []).append(c)
    return out


def every_traced_figure(report):
    for figure in report.figures():
        if isinstance(figure, Figure) and figure.trace is not None:
            yield figure


def test_a_commune_node_has_no_breakdown(session, year_of_data):
    assert not holds_communes(session)
    report = build(session, "annual", Period.of(2025))
    assert report.annexes == []
    assert "Theo xa" not in {t.key for t in build(session, "statistics", Period.of(2025)).tables()}


@pytest.mark.parametrize("dates", ["full", "month"])
def test_fast_targets_agree_with_targets_for_and_add_up_by_commune(province, request, dates):
    session = request.getfixturevalue("month_level") if dates == "month" else province
    for year in (YEAR - 1, YEAR):
        period = Period.of(year)
        with CountedCases(session, period) as counted, ActivityWindow(session, period) as window:
            results, by_origin = targets_over(session, period, counted, window)
            assert targets_over(session, period, counted)[0] == results  # without the activities' table too
            whole, none = targets_over(session, period, counted, by_unit=False)  # the Overview's cards: totals only
            assert whole == results and none == {}
        assert results == targets_for(session, period)
        assert any(r.denominator for r in results)
        for result in results:
            parts = by_origin.get(result.code, {})
            assert sum(n for n, _ in parts.values()) == result.numerator
            assert sum(d for _, d in parts.values()) == result.denominator
            for origin, (num, den) in parts.items():  # each commune's share, recomputed by its own query
                assert origin_trace(result.numerator_trace, origin).run(session.store) == num
                assert origin_trace(result.denominator_trace, origin).run(session.store) == den


@pytest.mark.parametrize("dates", ["full", "month"])
def test_every_figure_of_the_province_reports_matches_its_own_query(province, request, dates):
    """The fast path (temporary table, grouped reads) against each figure's full query, on generated data."""
    session = request.getfixturevalue("month_level") if dates == "month" else province
    checked = 0
    for kind in ("annual", "statistics"):
        report = build(session, kind, Period.of(YEAR - 1))
        for figure in every_traced_figure(report):
            want = figure.trace.run(session.store)
            if isinstance(figure.value, float) or isinstance(want, float):
                assert want is None and figure.value is None or abs(want - figure.value) < 1e-9
            else:
                assert int(want or 0) == int(figure.value or 0), figure.trace.sql
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("dates", ["full", "month"])
def test_cases_by_commune_match_a_recount_from_raw_rows(province, request, dates):
    session = request.getfixturevalue("month_level") if dates == "month" else province
    year = YEAR - 1
    expected = recount(session, year)
    assert len(expected) == 3 and sum(map(len, expected.values())) > 300
    with CountedCases(session, Period.of(year)) as counted:
        table = cases_by_commune(session, Period.of(year), counted)
    names = {u.origin: u.label() for u in roster(session)}
    types = [c.key[2:] for c in table.columns[1:-1]]
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {names[o] for o in expected}
    for origin, cases in expected.items():
        by_type = Counter(c["violence_type"] for c in cases)
        row = rows[names[origin]]
        assert [int(f) for f in row[1:-1]] == [by_type.get(t, 0) for t in types]
        assert int(row[-1]) == len(cases)
    assert int(table.total[-1]) == sum(map(len, expected.values()))
    if dates == "month":
        assert any(name.startswith("Xã Đồng Bộ") for name in rows)  # named as sync_peers names them


def test_small_cells_by_commune_are_hidden_in_both_tables(province):
    # Keep a handful of one commune's cases counted, so its row is small.
    unit = roster(province)[1]
    year = YEAR - 1
    keep = [c["id"] for c in recount(province, year)[unit.origin][:3]]
    with province.store.transaction() as conn:
        conn.execute(f"UPDATE cases SET deleted = 1 WHERE origin = ? AND id NOT IN ({','.join('?' * len(keep))})",
                     (unit.origin, *keep))
    report = build(province, "annual", Period.of(year))
    key, by_type = [t for t in report.tables() if t.key in ("Chi tieu theo xa", "Theo xa")]
    small = next(r for r in by_type.rows if r[0] == unit.label())
    assert small[-1].value == 3 and small[-1].suppressed
    assert all(f.suppressed for f in small[1:] if 0 < f.value < 5)
    key_row = next(r for r in key.rows if r[0] == unit.label())
    assert key_row[1].value == 3 and key_row[1].suppressed
    hidden = [r[1] for r in key.rows if r[1].suppressed]
    assert len(hidden) != 1 or key.total[1].suppressed  # never the only hidden entry of a column with its total


def test_unknown_origin_is_named_as_such(province):
    with province.store.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'demo_communes'")
    with CountedCases(province, Period.of(YEAR - 1)) as counted:
        table = cases_by_commune(province, Period.of(YEAR - 1), counted)
    assert table.rows and all(row[0].startswith(UNKNOWN[0]) for row in table.rows)
    assert len({row[0] for row in table.rows}) == len(table.rows) == 3  # still told apart


@needs_poppler
def test_annual_report_at_a_province_prints_the_annex_after_the_signature(month_level, tmp_path):
    session = month_level
    pdf = export(session, "annual", Period.of(YEAR - 1), "pdf", tmp_path / "bao-cao.pdf")
    text = pdf_text(pdf)
    annex = text.index("PHỤ LỤC: SỐ LIỆU THEO XÃ")
    assert text.index("Nơi nhận") < annex
    assert "Kết quả chính theo xã" in text[annex:] and "Xã Đồng Bộ" in text[annex:]
    assert "Vụ việc được thống kê theo xã và loại bạo lực" in text[annex:]
    docx = export(session, "annual", Period.of(YEAR - 1), "docx", tmp_path / "bao-cao.docx")
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert body.index("Nơi nhận") < body.index("PHỤ LỤC: SỐ LIỆU THEO XÃ") < body.index("Kết quả chính theo xã")


def test_statistics_workbook_at_a_province_has_a_sheet_by_commune(month_level, tmp_path):
    session = month_level
    year = YEAR - 1
    path = export(session, "statistics", Period.of(year), "xlsx", tmp_path / "thong-ke.xlsx")
    wb = load_workbook(path)
    assert "Theo xa" in wb.sheetnames
    rows = [list(r) for r in wb["Theo xa"].iter_rows(values_only=True)]
    assert rows[0][0] == "Vụ việc được thống kê theo xã và loại bạo lực"
    expected = recount(session, year)
    names = {u.origin: u.label() for u in roster(session)}
    by_name = {r[0]: r for r in rows[2:] if r[0]}
    for origin, cases in expected.items():  # a commune's total is printed, or hidden as its size says
        printed = by_name[names[origin]][-1]
        assert printed == len(cases) or printed == ("<5" if len(cases) < 5 else "x")
    assert by_name["Tổng số"][-1] == sum(map(len, expected.values()))
    assert "Du lieu" not in wb.sheetnames  # no per-case rows beside protected tables
    data = []
    path = export(session, "case_data", Period.of(year), "xlsx", tmp_path / "du-lieu.xlsx")
    for row in load_workbook(path)["Du lieu"].iter_rows(min_row=3, values_only=True):
        if row[1] is None:
            break  # the blank row before the note
        assert row[0] is None  # no case code of another unit: it would name the commune
        data.append(row)
    assert len(data) == sum(map(len, expected.values()))
    assert all(r[1].day == 1 and r[1].year == year for r in data)  # month-level dates read as the month


@pytest.mark.parametrize("dates", ["full", "month"])
def test_data_sheet_rows_agree_with_one_query_per_field(province, request, dates):
    """The data sheet reads each case's parts in one look-up a table; check them against a query a field."""
    from app.reports.cases import _services_in_order, data_sheet
    from app.reports.figures import label

    session = request.getfixturevalue("month_level") if dates == "month" else province
    ref, store = session.reference, session.store
    sheet = data_sheet(session, Period.of(YEAR - 1))
    keys = [c.key for c in sheet.columns]
    rows = list(sheet.rows)
    assert len(rows) == sum(map(len, recount(session, YEAR - 1).values()))
    with_perpetrator = with_services = 0
    # Rows in the sheet's order (by month, then, for cases of other units, by id: their codes are not shown).
    from app.targets import countable_cases

    counted, params = countable_cases(session, Period.of(YEAR - 1))
    own = session.node_info.id
    ids = [r["id"] for r in store.query(
        f"SELECT c.id, c.origin, c.code FROM cases c WHERE c.id IN ({counted})"
        " ORDER BY c.reported_on, CASE WHEN c.origin = ? THEN c.code ELSE c.id END", (*params, own))]
    origins = dict(store.execute("SELECT id, origin FROM cases").fetchall())
    for row, case_id in zip(rows, ids, strict=True):
        assert (row[0] is None) == (origins[case_id] != own)
        first = store.query("SELECT sex, age_group, relationship FROM case_perpetrators WHERE case_id = ?"
                            " ORDER BY idx LIMIT 1", (case_id,))
        first = first[0] if first else {"sex": None, "age_group": None, "relationship": None}
        assert row[keys.index("perp_sex")] == label(ref, "sex", first["sex"])
        assert row[keys.index("perp_age")] == label(ref, "age_band", first["age_group"])
        assert row[keys.index("relationship")] == label(ref, "relationship", first["relationship"])
        with_perpetrator += first["sex"] is not None
        for code in _services_in_order(ref):
            status = store.scalar("SELECT status FROM case_services WHERE case_id = ? AND service = ?",
                                  (case_id, code))
            assert row[keys.index(f"service_{code}")] == label(ref, "service_status", status)
            with_services += status is not None
    assert with_perpetrator > 100 and with_services > 100


def test_a_unit_without_a_name_is_shown_by_its_code(province):
    unit = roster(province)[1]
    with province.store.transaction() as conn:
        conn.execute("INSERT INTO sync_peers (node_id, relation, kind, code, name, status, enrolled_at, updated_at)"
                     " VALUES (?, 'child', 'commune', ?, '', 'active', '2025-01-01', '2025-01-01')",
                     (unit.origin, unit.code))
    with CountedCases(province, Period.of(YEAR - 1)) as counted:
        table = cases_by_commune(province, Period.of(YEAR - 1), counted)
    assert f"Đơn vị ({unit.code})" in [row[0] for row in table.rows]


def test_the_domestic_violence_statistics_are_a_communes_report_never_built_at_a_province(province):
    """Its acts of domestic violence stay at the commune (docs/disclosure.md §5): a province's copy would count only
    what older versions sent, so it refuses, saying why."""
    from app.reports import ReportError, build

    with pytest.raises(ReportError) as refused:
        build(province, "dv_statistics", Period.of(YEAR))
    assert "xã" in refused.value.vi
