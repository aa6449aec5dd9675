"""Domestic-violence statistics (issue 17, item 10): every cell recomputed from the raw rows in Python."""

from __future__ import annotations

from app.reports import build
from app.reports.dv_statistics import settings
from app.targets import Period
from tests.app.test_targets import expected_counted, make_case


def person_case(session, day, age, sex, acts, **kw):
    case = make_case(session, day, **kw)
    stored = session.cases.get(case["id"])
    stored["survivor"].update(age=age, sex=sex, age_band=None)
    stored["incident"]["dv_acts"] = acts
    if age is not None and age < 16:  # a child consents with a parent or guardian (issue 18.7)
        for consent in stored["consent"].values():
            consent["given_by"] = ("both" if age >= 7 else "guardian") if consent["given"] else None
    return session.cases.save(stored)


def test_cells_match_an_independent_count(session):
    for n in range(6):
        person_case(session, f"2025-02-{n + 1:02d}", 30 + n, "female", ["physical_abuse_threat", "insult_humiliation"],
                    actions=["counselled"])
    for n in range(5):
        person_case(session, f"2025-03-{n + 1:02d}", 70, "male", ["insult_humiliation"], actions=[])
    person_case(session, "2025-04-01", 12, "female", [], actions=[])  # no DV act: not a DV case
    person_case(session, "2025-04-02", 40, "female", ["confinement"], reporting={
        "services": {"given": True, "on": "2025-04-02"}, "reporting": {"given": False}, "sharing": {"given": False}})
    report = build(session, "dv_statistics", Period.of(2025))
    q = session.store.query
    counted = expected_counted(session, "2025-01-01", "2025-12-31")
    acts = {}
    for r in q("SELECT * FROM case_dv_acts"):
        if r["case_id"] in counted:
            acts.setdefault(r["act"], set()).add(r["case_id"])
    dv = set().union(*acts.values())
    assert len(dv) == 11
    tables = {t.key: t for t in report.tables()}
    by_act = {row[0]: row[1] for row in tables["Hanh vi BLGD"].rows}
    assert by_act["a) Hành hạ, ngược đãi, đánh đập, đe dọa hoặc hành vi cố ý khác xâm hại đến sức khỏe, tính mạng"
                  ].value == 6 == len(acts["physical_abuse_threat"])
    assert by_act["b) Lăng mạ, chì chiết hoặc hành vi cố ý khác xúc phạm danh dự, nhân phẩm"].value == 11
    assert by_act["p) Cô lập, giam cầm thành viên gia đình"].value == 0  # not consented to be counted
    people = {row[0]: row for row in tables["Nguoi bi BLGD"].rows}
    cases = {r["id"]: r for r in q("SELECT * FROM cases")}
    assert people["Từ 16 đến dưới 60 tuổi"][1].value == sum(
        1 for c in dv if 16 <= cases[c]["survivor_age"] < 60 and cases[c]["survivor_sex"] == "female") == 6
    assert people["Từ đủ 60 tuổi trở lên"][2].value == 5
    measures = {row[0]: row[1] for row in tables["Xu ly BLGD"].rows}
    assert measures["Được tư vấn, tham vấn"].value == sum(
        1 for r in q("SELECT * FROM case_perpetrator_actions") if r["case_id"] in dv and r["action"] == "counselled")
    for figure in report.figures():
        if figure.trace is not None:
            assert figure.trace.run(session.store) == figure.value
    text = " ".join(p.text for p in report.walk(__import__("app.reports.model", fromlist=["Paragraph"]).Paragraph))
    assert "07/2017/TT-BVHTTDL" in text and "11 vụ bạo lực gia đình" in text
    assert report.recipients[0].startswith("Sở Văn hóa, Thể thao và Du lịch")
    assert "replaced_checked" in settings() and settings()["recipient_confirmed"] is False


def test_small_counts_are_hidden_in_the_report_for_the_culture_sector(session):
    person_case(session, "2025-02-01", 30, "female", ["physical_abuse_threat"])
    report = build(session, "dv_statistics", Period.of(2025))
    first = next(iter(report.tables())).rows[0][1]
    assert first.value == 1 and first.suppressed
