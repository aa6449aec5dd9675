"""Domestic-violence statistics for the culture sector: the DV acts recorded on cases, tabulated.

What the report follows (the circular in force, its age groups, where it goes)
is data: `data/reports/dv_statistics.toml`, with its sources. A *domestic-violence
case* is a counted case (`app.targets.countable_cases`: consent to be counted,
not a duplicate, first reported in the period) with at least one act of the
Law on Domestic Violence Prevention and Control recorded on it (`case_dv_acts`).

Tables: cases by act (a case with several acts is in several rows), people
harmed by the circular's age groups and sex, people who used violence by sex
and age group, the support the people harmed received, and the measures taken
against the people who used violence. The report leaves the commune's chain of
government (the culture sector), so small cells are hidden as in every report
for another body.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from typing import TypedDict

from app.reference.periods import profile_for
from app.reports.annual import official_header, report_info, sensitive_count, shown, signature
from app.reports.cases import data_notes, suppression
from app.reports.figures import count_table, options
from app.reports.model import Figure, Paragraph, Report
from app.reports.progress import ProgressFn, Steps, steps_of
from app.reports.texts import report_settings
from app.targets import Period, Trace, countable_cases

__all__ = ["dv_cases", "dv_statistics_report", "settings"]


@functools.lru_cache(maxsize=1)
def settings() -> dict:
    from app import paths

    with (paths.reference_dir() / "reports" / "dv_statistics.toml").open("rb") as fh:
        return tomllib.load(fh)


def dv_cases(session, period: Period) -> tuple[str, tuple]:
    """`SELECT c.id …`: the counted cases of the period with at least one act of domestic violence."""
    counted, params = countable_cases(session, period)
    return (f"{counted} AND EXISTS (SELECT 1 FROM case_dv_acts d WHERE d.case_id = c.id)", params)


def _age_group_sql(groups: list[dict]) -> str:
    """The circular's age group of a case's survivor: from the exact age, else from a band that lies wholly
    inside one group; NULL (not recorded) when neither tells."""
    exact = " ".join(f"WHEN c.survivor_age BETWEEN {int(g['min_age'])} AND {int(g['max_age'])} THEN '{g['code']}'"
                     for g in groups)
    bands = []
    for code, low, high in (("age_0_11", 0, 11), ("age_12_17", 12, 17), ("age_18_25", 18, 25),
                            ("age_26_40", 26, 40), ("age_41_60", 41, 60), ("age_61_plus", 61, 130)):
        inside = [g for g in groups if int(g["min_age"]) <= low and high <= int(g["max_age"])]
        if inside:
            bands.append(f"WHEN c.survivor_age_band = '{code}' THEN '{inside[0]['code']}'")
    return f"CASE {exact} ELSE (CASE {' '.join(bands)} ELSE NULL END) END" if bands else f"CASE {exact} END"


class _Suppression(TypedDict):
    """What every count table of the report is given alike."""

    threshold: int
    suppress_label: str


def dv_statistics_report(session, period: Period, *, report_date: date | None = None,
                         progress: ProgressFn | Steps | None = None) -> Report:
    session.require("report.build")
    from app.reports.communes import holds_communes

    if holds_communes(session):
        # A commune's report to the culture sector (issue 17.10), built where the cases are recorded: the acts of
        # domestic violence, a perpetrator's age group and the survivor's exact age stay at the commune (issue 16,
        # docs/disclosure.md §5), so a province's or district's copy would count only what older versions sent.
        from app.reports import ReportError

        raise ReportError("Thông tin về phòng, chống bạo lực gia đình do từng xã lập và gửi ngành văn hóa: các hành vi "
                          "bạo lực gia đình không được gửi lên tỉnh, huyện nên không lập được ở đây.",
                          "The domestic-violence statistics are made by each commune and sent to the culture sector: "
                          "the acts of domestic violence are not sent up, so they cannot be made here.")
    steps = steps_of(progress)
    steps.add(6)
    conf = settings()
    ref, store = session.reference, session.store
    threshold, label = suppression(session)
    common: _Suppression = {"threshold": threshold, "suppress_label": label}
    report_date = report_date or date.today()
    steps.step("Đang đếm các vụ bạo lực gia đình")
    cases_sql, params = dv_cases(session, period)
    unit = f"FROM cases c WHERE c.id IN ({cases_sql})"
    total = store.scalar(f"SELECT count(*) {unit}", params)
    sexes = options(ref, "sex")
    groups = conf.get("age_group", [])

    steps.step("Đang lập bảng: theo hành vi bạo lực gia đình")
    tables = [count_table(
        store, key="Hanh vi BLGD", title=("Vụ bạo lực gia đình theo hành vi", "Domestic-violence cases by act"),
        unit_sql=f"SELECT d.act AS r, NULL AS k, 1 AS n FROM case_dv_acts d WHERE d.case_id IN ({cases_sql})",
        params=params, rows=[(o.code, f"{o.get('point')}) {o.vi}" if o.get("point") else o.vi, o.en)
                             for o in ref["dv_act"].options],
        row_header=("Hành vi (Luật 13/2022/QH15, Điều 3 khoản 1)", "Act (Law 13/2022/QH15, Art. 3(1))"),
        count_header=("Số vụ", "Cases"), totals=False,
        note=("Một vụ có thể có nhiều hành vi nên các dòng không cộng dồn.",
              "A case may hold several acts, so the rows do not add up."), **common)]
    steps.step("Đang lập bảng: người bị bạo lực gia đình")
    tables.append(count_table(
        store, key="Nguoi bi BLGD", title=("Người bị bạo lực gia đình theo nhóm tuổi và giới tính",
                                           "People harmed by domestic violence by age group and sex"),
        unit_sql=f"SELECT {_age_group_sql(groups)} AS r, c.survivor_sex AS k, 1 AS n {unit}", params=params,
        rows=[(g["code"], g["vi"], g["en"]) for g in groups], cols=sexes,
        row_header=("Nhóm tuổi", "Age group"),
        note=("Nhóm tuổi theo Thông tư 07/2017/TT-BVHTTDL; tuổi chỉ ghi theo khoảng 12–17 không xếp được vào nhóm nào.",
              "Age groups of Circular 07/2017/TT-BVHTTDL; an age recorded only as 12–17 fits no group."), **common))
    steps.step("Đang lập bảng: người gây bạo lực gia đình")
    tables.append(count_table(
        store, key="Nguoi gay BLGD", title=("Người gây bạo lực gia đình theo nhóm tuổi và giới tính",
                                            "People who used domestic violence by age group and sex"),
        unit_sql=(f"SELECT p.age_group AS r, p.sex AS k, p.count AS n FROM case_perpetrators p"
                  f" WHERE p.case_id IN ({cases_sql})"), params=params, rows=options(ref, "age_band"), cols=sexes,
        row_header=("Nhóm tuổi", "Age group"),
        note=("Tuổi người gây bạo lực được ghi theo nhóm GBVIMS (0–11, 12–17, …, 61+).",
              "Perpetrators' ages are recorded in GBVIMS groups (0–11, 12–17, …, 61+)."), **common))
    steps.step("Đang lập bảng: hỗ trợ người bị bạo lực")
    helped = [o.code for o in ref["service_status"].options if o.extra.get("helped")]
    received = [o.code for o in ref["referral_outcome"].options if o.extra.get("helped")]
    marks = ",".join("?" for _ in helped) or "NULL"
    rmarks = ",".join("?" for _ in received) or "NULL"
    support_unit = (f"SELECT s.service AS r, NULL AS k, 1 AS n FROM case_services s WHERE s.case_id IN ({cases_sql})"
                    f" AND (s.status IN ({marks}) OR EXISTS (SELECT 1 FROM case_referrals x WHERE x.case_id = s.case_id"
                    f" AND x.service = s.service AND x.outcome IN ({rmarks})))")
    tables.append(count_table(
        store, key="Ho tro BLGD", title=("Hỗ trợ người bị bạo lực gia đình", "Support to people harmed"),
        unit_sql=support_unit, params=(*params, *helped, *received), rows=options(ref, "service"),
        row_header=("Dịch vụ đã nhận", "Service received"), count_header=("Số vụ", "Cases"), totals=False,
        note=("Dịch vụ đã cung cấp, đã được hỗ trợ ở nơi khác, hoặc chuyển tuyến đã được tiếp nhận.",
              "Services provided, received elsewhere, or referred and received."), **common))
    steps.step("Đang lập bảng: xử lý người gây bạo lực")
    tables.append(count_table(
        store, key="Xu ly BLGD", title=("Biện pháp xử lý người gây bạo lực gia đình",
                                        "Measures against people who used domestic violence"),
        unit_sql=(f"SELECT a.action AS r, NULL AS k, 1 AS n FROM case_perpetrator_actions a"
                  f" WHERE a.case_id IN ({cases_sql})"), params=params, rows=options(ref, "perpetrator_action"),
        row_header=("Biện pháp", "Measure"), count_header=("Số lần áp dụng", "Times applied"), totals=False,
        **common))

    profile = profile_for(session, period)
    province = profile.province_vi[:1].lower() + profile.province_vi[1:] if profile is not None else ""
    recipient = conf["recipient_vi"].format(province=province).strip()
    issuing = report_settings(session)["issuing_body"]
    cases = sensitive_count(Figure(total, Trace(f"SELECT count(*) {unit}", params, "domestic-violence cases")),
                            threshold)
    blocks = [
        Paragraph(f"Thực hiện {conf['basis_vi']}; {issuing} báo cáo thông tin về phòng, chống bạo lực gia đình "
                  f"{period.label()} (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) như sau:"),
        Paragraph(f"Trong kỳ ghi nhận {shown(cases, label)} vụ bạo lực gia đình (vụ việc được thống kê có ít nhất "
                  "một hành vi bạo lực gia đình theo Điều 3 khoản 1 Luật Phòng, chống bạo lực gia đình).",
                  figures=[cases]),
        *tables,
    ]
    if not conf.get("recipient_confirmed", False):
        blocks.append(Paragraph(f"Nơi nhận báo cáo ({recipient}) chưa được tỉnh xác nhận.", "note"))
    info = report_info(session, period, report_date)
    return Report(kind="dv_statistics", title="BÁO CÁO",
                  subject=f"Thông tin về phòng, chống bạo lực gia đình {period.label()}", blocks=blocks,
                  period=period, header=official_header(session, report_date),
                  recipients=[recipient, "Lưu: VT"], signature=signature(session), produced_on=report_date,
                  produced_by=info[0][1], notes=data_notes(session, period), info=info)
