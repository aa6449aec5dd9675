"""The table reports for other bodies: case statistics, activity summary, de-identified register."""

from __future__ import annotations

from datetime import date

from app.reports import activities as act
from app.reports.annual import number, official_header, recipients, report_info, signature
from app.reports.cases import CountedCases, data_notes, data_sheet, register_table, statistics_tables, suppression
from app.reports.communes import cases_by_commune, holds_communes
from app.reports.model import Paragraph, Report
from app.reports.texts import report_settings
from app.reports.progress import ProgressFn, Steps, steps_of
from app.targets import Period


def statistics_report(session, period: Period, *, report_date: date | None = None,
                      progress: ProgressFn | Steps | None = None) -> Report:
    """Case statistics: one table a sheet, then the de-identified data sheet (GBVIMS column order)."""
    session.require("report.build")
    steps = steps_of(progress)
    steps.add(3)
    report_date = report_date or date.today()
    threshold, label = suppression(session)
    steps.step("Đang đếm các vụ việc được thống kê")
    with CountedCases(session, period) as counted:  # the counting rules run once for every table
        total = counted.total().hide_if_small(threshold)
        steps.step("Đang lập các bảng thống kê")
        tables = statistics_tables(session, period, counted)
        if holds_communes(session):
            tables.append(cases_by_commune(session, period, counted))
    steps.step("Đang lập bảng: dữ liệu đã bỏ thông tin nhận dạng")
    data = data_sheet(session, period)
    info = report_info(session, period, report_date)
    info.append(("Số vụ việc được thống kê", total.hidden_text(label) if total.suppressed else str(total.value)))
    return Report(kind="statistics", title="THỐNG KÊ",
                  subject=f"Số liệu vụ việc bạo lực trên cơ sở giới {period.label()}",
                  blocks=[Paragraph("", figures=[total]), *tables, data], period=period,
                  header=official_header(session, report_date), produced_on=report_date,
                  produced_by=info[0][1], notes=data_notes(session, period), info=info)


def activity_report(session, period: Period, *, report_date: date | None = None,
                    progress: ProgressFn | Steps | None = None) -> Report:
    """Activities by kind, month and target group, with participants by sex."""
    session.require("report.build")
    steps = steps_of(progress)
    parts = [
        ("Đang lập bảng: theo loại hoạt động", lambda: act.by_kind(session, period, data=data)),
        ("Đang lập bảng: theo tháng", lambda: act.by_month(session, period)),
        ("Đang lập bảng: theo đối tượng", lambda: act.by_target_group(session, period)),
        ("Đang lập bảng: theo chủ đề", lambda: act.by_topic(session, period)),
        ("Đang lập bảng: theo nguồn kinh phí", lambda: act.by_funding_source(session, period)),
        ("Đang lập bảng: theo đợt cao điểm", lambda: act.by_campaign(session, period)),
        ("Đang lập bảng: theo nhóm hoạt động", lambda: act.by_group(session, period, data=data)),
    ]
    steps.add(1 + len(parts))
    steps.step("Đang đếm các hoạt động trong kỳ")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    data = act.PeriodActivities(session, period)
    total = data.figure_all("activities")
    blocks: list = [Paragraph(f"Tổng số hoạt động trong kỳ: {number(total.value)}.", figures=[total])]
    for what, make in parts:
        steps.step(what)
        blocks.append(make())
    header = official_header(session, report_date)
    note = "Hoạt động được tính theo ngày bắt đầu nằm trong kỳ; hoạt động đã xóa không được tính."
    blocks.append(Paragraph(note, "note"))
    issuing = report_settings(session)["issuing_body"]
    blocks.append(Paragraph(f"Trên đây là tổng hợp hoạt động phòng ngừa và ứng phó với bạo lực trên cơ sở giới "
                            f"{period.label()} của {issuing}./."))
    # A document sent to another body: an administrative report with its recipients and signature (Decree 30).
    return Report(kind="activities", title="BÁO CÁO", subject=f"Tổng hợp hoạt động phòng ngừa và ứng phó với bạo lực "
                  f"trên cơ sở giới {period.label()}", blocks=blocks, period=period, header=header,
                  recipients=recipients(session), signature=signature(session), produced_on=report_date,
                  produced_by=info[0][1], notes=[note], info=info)


def register_report(session, period: Period, *, report_date: date | None = None,
                    progress: ProgressFn | Steps | None = None) -> Report:
    session.require("report.build")
    steps = steps_of(progress)
    steps.add(1)
    steps.step("Đang lập sổ theo dõi vụ việc")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    table = register_table(session, period)
    return Report(kind="register", title="SỔ THEO DÕI",
                  subject=f"Sổ theo dõi vụ việc bạo lực trên cơ sở giới (đã bỏ thông tin nhận dạng) {period.label()}",
                  blocks=[table], period=period, header=official_header(session, report_date),
                  produced_on=report_date, produced_by=info[0][1], notes=data_notes(session, period), info=info)
