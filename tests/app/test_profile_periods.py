"""Profiles by period: the version in force for each period, kept side by side (issue 17, item 1)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from app.reference import load_profile_versions
from app.reference.periods import keep_received, profile_for, profile_list, versions
from app.reports import annual
from app.targets import Period, targets
from tests.app.test_targets import make_case


def shipped(code: str, version: int):
    return next(p for p in load_profile_versions() if (p.code, p.version) == (code, version))


def receive(session, data: dict) -> None:
    """A profile version as the parent's import keeps it (sync.enrol.import_profile calls keep_received)."""
    with session.store.transaction() as conn:
        assert keep_received(conn, data, received_at="2026-12-01T00:00:00Z", sender="HY")
    session.refresh_profile()


def hung_yen_2026_plan() -> dict:
    """The merged province issues its own 2026–2030 plan: version 3, governing from 01/01/2026."""
    from sync.enrol import jsonable

    data = dict(jsonable(shipped("thai_binh", 1).raw))
    data.update(code="hung_yen", version=3, province_vi="Tỉnh Hưng Yên", province_en="Hung Yen province",
                issuing_body_vi="Ủy ban nhân dân tỉnh Hưng Yên", plan_number="99/KH-UBND", plan_date="2026-02-01",
                plan_title_vi="Kế hoạch phòng ngừa và ứng phó với bạo lực trên cơ sở giới giai đoạn 2026-2030",
                period_start=2026, period_end=2030, governs_from="2026-01-01", receiving_body_vi="Sở Nội vụ tỉnh Hưng Yên",
                receiving_body_en="Hung Yen Department of Home Affairs", report_deadline="12-01",
                absorbs=["thai_binh"], sources=["Kế hoạch 99/KH-UBND (thử)"])
    data.pop("governs_to", None)
    for target in data["target"]:
        target["code"] = target["code"].replace("tb_", "hy26_")
    return data


def test_each_period_follows_the_version_in_force_on_its_first_day(session):
    p2024, p2025 = profile_for(session, 2024), profile_for(session, 2025)
    assert (p2024.code, p2024.version, p2024.plan_number) == ("thai_binh", 1, "13/KH-UBND")
    assert (p2025.code, p2025.plan_number) == ("thai_binh", "13/KH-UBND")
    assert "Lao động" in p2025.receiving_body_vi  # as it was then: the 2025 report is unchanged
    h2 = profile_for(session, Period.of(2025, "H2"))
    # after the merger: the merged province's header and receiving body, the former province's plan to its end
    assert (h2.code, h2.version, h2.plan_code, h2.plan_number) == ("hung_yen", 2, "thai_binh", "13/KH-UBND")
    assert h2.receiving_body_vi == "Sở Nội vụ tỉnh Hưng Yên" and not h2.receiving_body_confirmed
    p2026 = profile_for(session, 2026)
    assert (p2026.code, p2026.version) == ("hung_yen", 2)
    assert p2026.plan_is_baseline and p2026.plan_number == "28/NQ-CP"
    assert [t.code for t in p2026.targets] == ["nat_survivors_reached_service", "nat_perpetrators_counselled"]
    kinds = [kind for kind, _, _ in p2026.notices]
    assert "plan" in kinds and "receiving_body" in kinds
    plan_notice = next(vi for kind, vi, _ in p2026.notices if kind == "plan")
    assert "Không có kế hoạch nào của tỉnh cho năm 2026" in plan_notice and "28/NQ-CP" in plan_notice
    assert "Lao động" not in p2026.receiving_body_vi and "13/KH" not in plan_notice


def test_an_old_hung_yen_commune_keeps_its_own_plan_until_it_ends(tmp_path):
    from app.node import Node
    from tests.conftest import ADMIN_PASSWORD

    node, _ = Node.create(tmp_path / "hy", kind="commune", name="Xã Cũ", code="HY9", parent_code="HY",
                          profile_code="hung_yen", admin_username="admin", admin_password=ADMIN_PASSWORD)
    s = node.login("admin", ADMIN_PASSWORD)
    try:
        assert profile_for(s, 2024).plan_number == "64/KH-UBND"
        h2 = profile_for(s, Period.of(2025, "H2"))
        assert (h2.version, h2.plan_code, h2.plan_number) == (2, "hung_yen", "64/KH-UBND")
        assert profile_for(s, 2026).plan_is_baseline
    finally:
        s.close()


def _text(report) -> list:
    """What a reader sees in the report: every paragraph, table cell and the header, recipients, info."""
    from app.reports.model import Paragraph, Table

    out = [report.subject, dataclasses.asdict(report.header), report.recipients, report.info]
    for block in report.walk(Paragraph):
        out.append(block.text)
    for table in report.walk(Table):
        out.append([[cell if not hasattr(cell, "value") else (cell.value, cell.suppressed) for cell in row]
                    for row in table.rows])
    return out


def test_a_2025_report_built_after_a_2026_profile_arrives_is_unchanged(session):
    make_case(session, "2025-03-10")
    make_case(session, "2025-09-10", actions=["detected"])
    make_case(session, "2026-03-10")
    day = dt.date(2026, 12, 7)
    before = _text(annual.annual_report(session, Period.of(2025), report_date=day))
    before_targets = [r.as_dict() for r in targets(session, 2025)]
    old_2026 = _text(annual.annual_report(session, Period.of(2026), report_date=day))

    receive(session, hung_yen_2026_plan())
    assert ("hung_yen", 3) in {v.key for v in versions(session)}
    assert _text(annual.annual_report(session, Period.of(2025), report_date=day)) == before
    assert [r.as_dict() for r in targets(session, 2025)] == before_targets
    new_2026 = _text(annual.annual_report(session, Period.of(2026), report_date=day))
    assert new_2026 != old_2026
    assert [r.code for r in targets(session, 2026)][0].startswith("hy26_")
    assert any("99/KH-UBND" in str(part) for part in new_2026)


def test_the_2026_report_names_neither_the_ended_plan_nor_the_dissolved_department(session):
    make_case(session, "2026-03-10")
    report = annual.annual_report(session, Period.of(2026), report_date=dt.date(2026, 12, 7))
    text = json.dumps(_text(report), ensure_ascii=False, default=str)
    for old in ("13/KH-UBND", "64/KH-UBND", "Lao động", "2021-2025", "2021–2025", "THÁI BÌNH", "Thái Bình"):
        assert old not in text, old
    assert "28/NQ-CP" in text and report.recipients[0] == "Sở Nội vụ tỉnh Hưng Yên"
    assert report.subject.startswith("Kết quả công tác")  # not "thực hiện Kế hoạch": no provincial plan covers it
    header = report.header
    assert header.superior_body == "" and header.issuing_body.startswith("ỦY BAN NHÂN DÂN\n")


def test_a_province_report_goes_to_the_ministry_not_to_itself(tmp_path):
    from app.node import Node
    from tests.conftest import ADMIN_PASSWORD

    node, _ = Node.create(tmp_path / "p", kind="province", name="Tỉnh Hưng Yên", code="HY", parent_code=None,
                          profile_code="hung_yen", admin_username="admin", admin_password=ADMIN_PASSWORD)
    s = node.login("admin", ADMIN_PASSWORD)
    try:
        r2026 = annual.annual_report(s, Period.of(2026), report_date=dt.date(2026, 12, 7))
        assert r2026.recipients[0] == "Bộ Nội vụ"
        assert all("Hưng Yên" not in r for r in r2026.recipients[:-1])
        assert r2026.header.superior_body == "" and r2026.header.issuing_body == "ỦY BAN NHÂN DÂN\nTỈNH HƯNG YÊN"
    finally:
        s.close()


def test_a_saved_superior_line_is_not_printed_above_a_peoples_committee(session):
    from app.reports.texts import save_report_settings

    save_report_settings(session, superior_body="UBND Tỉnh Thái Bình")
    header = annual.official_header(session, dt.date(2026, 12, 7))
    assert header.superior_body == ""
    save_report_settings(session, issuing_body="Chi hội Phụ nữ thôn Đông", superior_body="Hội LHPN xã Bình An")
    assert annual.official_header(session, dt.date(2026, 12, 7)).superior_body == "HỘI LHPN XÃ BÌNH AN"


def test_profile_list_shows_every_version_with_its_period_and_source(session):
    receive(session, hung_yen_2026_plan())
    rows = {(r["code"], r["version"]): r for r in profile_list(session)}
    assert {("thai_binh", 1), ("hung_yen", 1), ("hung_yen", 2), ("hung_yen", 3), ("national_2026_2030", 1)} <= set(rows)
    assert rows["hung_yen", 3]["source"] == "received" and rows["thai_binh", 1]["source"] == "shipped"
    assert rows["thai_binh", 1]["governs"] == "01/01/2021 – 30/06/2025"
    assert rows["hung_yen", 2]["governs_to"] is None and rows["hung_yen", 2]["receiving_body_confirmed"] is False
    assert rows["national_2026_2030", 1]["sources"] and "28/NQ-CP" in rows["national_2026_2030", 1]["sources"][0]
    assert sum(r["in_force"] for r in rows.values()) == 1


def test_a_received_version_is_kept_once_and_a_damaged_one_not_at_all(session):
    data = hung_yen_2026_plan()
    receive(session, data)
    with session.store.transaction() as conn:
        assert not keep_received(conn, dict(data, plan_number="changed"), received_at="x")  # kept as first received
        assert not keep_received(conn, {"code": "hung_yen", "version": "broken"}, received_at="x")
    assert profile_for(session, 2026).plan_number == "99/KH-UBND"


def test_a_commune_enrolled_under_another_province_is_warned_not_replanned(tmp_path):
    from tests.sync.conftest import Tree

    t = Tree(tmp_path)
    try:
        province = t.node("TB", kind="province", name="Tỉnh Thái Bình", parent=None, profile="thai_binh")
        commune = t.node("XA01", kind="commune", name="Xã Hưng Cũ", parent="TB", profile="hung_yen")
        t.enrol(province, commune)
        assert commune.profile.code == "thai_binh"  # the parent's document is what it holds now
        p2024 = profile_for(commune, 2024)
        assert (p2024.code, p2024.plan_number) == ("hung_yen", "64/KH-UBND"), "not silently re-planned"
        warning = next(vi for kind, vi, _ in p2024.notices if kind == "lineage")
        assert "Tỉnh Thái Bình" in warning and "hung_yen" in warning
        assert ("thai_binh", 1) in {v.key for v in versions(commune) if v.source == "received"}
        from app.reference.periods import lineage_warning
        assert "Tỉnh Thái Bình" in lineage_warning(commune)[0]
    finally:
        t.close()


def test_a_former_thai_binh_commune_enrolled_under_the_merged_province_is_not_warned(tmp_path):
    from app.reference.periods import lineage_warning
    from tests.sync.conftest import Tree

    t = Tree(tmp_path)
    try:
        province = t.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
        commune = t.node("XA02", kind="commune", name="Xã Thái Cũ", parent="HY", profile="thai_binh")
        t.enrol(province, commune)
        assert lineage_warning(commune) is None  # the merged province absorbed Thái Bình
        assert profile_for(commune, 2025).plan_number == "13/KH-UBND"
        assert (profile_for(commune, 2026).code, profile_for(commune, 2026).version) == ("hung_yen", 2)
    finally:
        t.close()
