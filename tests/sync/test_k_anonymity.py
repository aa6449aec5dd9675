"""k-anonymity of what leaves a commune (issue 16): measured on what a province holds after the packages.

The quasi-identifiers a case carries up — unit, month, age band, sex, ethnicity group — must be shared by at
least k cases of the same year (k from the profile, default 3). A case in a smaller group leaves widened (its
quarter for its month, then without its ethnicity group, age band, sex); no case is ever left out, so the
province's figures still add up.
"""

from __future__ import annotations

import json

from collections import Counter
from datetime import date

from hypothesis import given, settings, strategies as st

from app import sync_allow
from app.reports import build
from app.targets import Period
from sync import importer, package

K = 3


def released(rows, levels):
    return Counter(sync_allow.quasi_identifiers(row, levels[row[0]]) for row in rows)


rows_strategy = st.lists(st.tuples(st.sampled_from(["u1", "u2"]), st.sampled_from(["2025-01", "2025-02", "2025-05"]),
                                   st.sampled_from(["age_18_25", "age_26_40", "age_0_11"]),
                                   st.sampled_from(["female", "male"]), st.sampled_from([0, 1, None])),
                         min_size=0, max_size=40)


@settings(max_examples=80, deadline=None)
@given(rows_strategy)
def test_every_group_that_leaves_has_k_cases_or_is_widened_all_the_way(raw):
    rows = [(f"c{n}", unit, month, band, sex, minority, False) for n, (unit, month, band, sex, minority) in
            enumerate(raw)]
    levels = sync_allow.generalise(rows, K)
    assert set(levels) == {row[0] for row in rows}  # nobody left out
    groups = released(rows, levels)
    for row in rows:
        if groups[sync_allow.quasi_identifiers(row, levels[row[0]])] < K:
            assert levels[row[0]] == sync_allow.GENERALISATION_LEVELS, row
    # A case whose group was large enough as recorded keeps its month, unless it gave cover to a smaller group.
    as_recorded = Counter(sync_allow.quasi_identifiers(row, 0) for row in rows)
    if all(n >= K for n in as_recorded.values()):
        assert set(levels.values()) <= {0}


def _province_groups(province) -> tuple[Counter, list]:
    rows = province.store.query(
        "SELECT id, origin, substr(reported_on, 1, 4) AS year, reported_on, reported_precision, survivor_age_band,"
        " survivor_sex, ethnicity FROM cases WHERE deleted = 0")
    groups = Counter()
    for r in rows:
        when = ("Q", r["reported_on"]) if r["reported_precision"] == "quarter" else r["reported_on"]
        groups[(r["origin"], r["year"], when, r["survivor_age_band"], r["survivor_sex"], r["ethnicity"])] += 1
    return groups, rows


def test_a_province_built_from_communes_holds_no_group_smaller_than_k(tree):
    from bench.sync_bench import fill_commune

    fill_commune(tree.commune, 400, seed=3)
    fill_commune(tree.commune2, 60, seed=4)
    for commune in (tree.commune, tree.commune2):
        for built in package.build(commune):
            importer.import_package(tree.province, built.data)
    groups, rows = _province_groups(tree.province)
    consented = ("SELECT count(*) FROM cases WHERE deleted = 0 AND EXISTS (SELECT 1 FROM case_consents k"
                 " WHERE k.case_id = cases.id AND k.scope = 'reporting' AND k.given = 1 AND k.withdrawn_on IS NULL)")
    assert len(rows) == tree.commune.store.scalar(consented) + tree.commune2.store.scalar(consented)
    small = {g: n for g, n in groups.items() if n < K}
    # Only fully widened cases may stand in a smaller group: a unit with that few cases in a quarter.
    assert all(g[3] == "unknown" and g[4] is None and g[5] is None and g[2][0] == "Q" for g in small), small
    widened = sum(1 for r in rows if r["reported_precision"] == "quarter")
    measured = {"cases": len(rows), "groups": len(groups), "smaller than k": sum(small.values()),
                "sent as a quarter": widened}
    print(f"k-anonymity at the province (k = {K}): {measured}")
    assert widened < len(rows)  # most keep their month
    # Ethnicity only as Kinh / minority; nothing a province output does not need.
    assert {r["ethnicity"] for r in rows} <= {"kinh", "minority", None}
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE marital_status IS NOT NULL"
                                      " OR disability IS NOT NULL OR pregnant IS NOT NULL"
                                      " OR incident_on IS NOT NULL OR time_of_day IS NOT NULL") == 0


def test_the_provinces_figures_still_add_up_after_widening(tree):
    from bench.sync_bench import fill_commune

    fill_commune(tree.commune, 120, seed=9)
    for built in package.build(tree.commune):
        importer.import_package(tree.province, built.data)
    year = tree.commune.store.scalar("SELECT max(substr(reported_on, 1, 4)) FROM cases")
    period = Period.of(int(year))
    at_commune = build(tree.commune, "statistics", period)
    at_province = build(tree.province, "statistics", period)

    def grand(report, key):
        return next(t for t in report.tables() if t.key == key).total[-1].value

    for key in ("Loai bao luc", "Tuoi gioi tinh", "Thang loai BL", "Dan toc"):
        assert grand(at_province, key) == grand(at_commune, key), key
    months = next(t for t in at_province.tables() if t.key == "Thang loai BL")
    assert any("không rõ tháng" in row[0] for row in months.rows) or not tree.province.store.scalar(
        "SELECT count(*) FROM cases WHERE reported_precision = 'quarter'")


def test_k_comes_from_the_profile(tree, monkeypatch):
    from app.reports import disclosure

    case_rows = [("a", "u", "2025-03", "age_18_25", "female", 1, False)] * 1
    assert sync_allow.generalise(case_rows, 1) == {"a": 0}
    assert sync_allow.generalise(case_rows, 3) == {"a": sync_allow.GENERALISATION_LEVELS}
    import dataclasses

    profile = tree.commune.profile
    stricter = dataclasses.replace(profile, raw={**profile.raw, "k_anonymity": 5})
    monkeypatch.setattr(type(tree.commune), "profile", property(lambda self: stricter))
    assert disclosure.settings_of(tree.commune).k_anonymity == 5


def test_the_list_of_travelling_fields_in_the_docs_is_the_allow_list():
    """docs/disclosure.md §5 names every field a case carries up, with the output that needs it."""
    import re
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("docs", "disclosure.md").read_text(encoding="utf-8")
    section = text.split("## 5.")[1].split("Stay at the commune")[0]
    listed, parts = set(), {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        for name, rows in re.findall(r"`(\w+)(?:\[\]`: ([^|]*))?", cell):
            listed.add(name)
            if rows:
                parts[name] = set(re.findall(r"`(\w+)`", rows))
    assert listed == set(sync_allow.SENT["cases"])
    sent = sync_allow._CASE_SQL
    for name, fields in parts.items():
        keys = set(re.findall(r"'(\w+)', ", sent[name].split("json_object(")[1])) - {"true", "false", "null"}
        assert fields == keys, name


def test_a_database_before_the_disclosure_step_gains_reported_precision_and_keeps_its_cases(tmp_path, monkeypatch):
    from app.node import Node
    from app.store import migrations
    from tests.conftest import ADMIN_PASSWORD, sample_case

    step = migrations.STEPS.index(migrations._step_disclosure)
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:step])
    monkeypatch.setattr(migrations, "CURRENT_VERSION", step)
    node, _ = Node.create(tmp_path / "node", kind="commune", name="Xã Thử", code="TN09", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    old = node.login("admin", ADMIN_PASSWORD)
    case = old.cases.save(sample_case())
    old.close()
    monkeypatch.undo()
    session = Node.open(tmp_path / "node").login("admin", ADMIN_PASSWORD)
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        assert session.store.scalar("SELECT reported_precision FROM cases WHERE id = ?", (case["id"],)) is None
        assert session.cases.get(case["id"])["code"] == case["code"]
    finally:
        session.close()


def test_a_case_sent_before_goes_again_wider_when_its_group_must_widen(tree):
    """Sent in March among three alike; two of them withdraw consent: the one left must not stay at the parent
    as a March case of its kind alone — it is queued again and leaves as a quarter."""
    from bench.sync_bench import fill_commune

    fill_commune(tree.commune, 200, seed=21)
    for built in package.build(tree.commune):
        importer.import_package(tree.province, built.data)
    store = tree.commune.store
    levels = dict(store.execute("SELECT case_id, level FROM case_sent_levels").fetchall())
    rows = [tuple(r) for r in store.execute(sync_allow._QI_SQL, (json.dumps(
        sorted({r[0] for r in store.execute("SELECT substr(reported_on, 1, 4) FROM cases").fetchall()})),))]
    by_class: dict = {}
    for row in rows:
        by_class.setdefault(sync_allow.quasi_identifiers(row, levels[row[0]]), []).append(row[0])
    group = next(ids for combination, ids in by_class.items() if len(ids) == K and combination[1][0] != "Q"
                 and levels[ids[0]] == 0)
    for case_id in group[:2]:  # two of three withdraw their consent to be counted
        case = tree.commune.cases.get(case_id)
        case["consent"]["reporting"]["withdrawn_on"] = date.today().isoformat()
        tree.commune.cases.save(case)
    for built in package.build(tree.commune):
        importer.import_package(tree.province, built.data)
    assert store.scalar("SELECT level FROM case_sent_levels WHERE case_id = ?", (group[2],)) >= 1
    assert tree.province.store.scalar("SELECT reported_precision FROM cases WHERE id = ?", (group[2],)) == "quarter"
    groups, _ = _province_groups(tree.province)
    assert all(n >= K or g[3] == "unknown" and g[4] is None for g, n in groups.items())
