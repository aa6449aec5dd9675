"""The table reports for other bodies: case statistics, activity summary, de-identified register."""

from __future__ import annotations

from datetime import date

from app.reports import activities as act
from app.reports.annual import report_info, official_header
from app.reports.cases import counted_total, data_notes, data_sheet, register_table, statistics_tables, suppression
from app.reports.model import Paragraph, Report
from app.targets import Period


def statistics_report(session, period: Period, *, report_date: date | None = None) -> Report:
    """Case statistics: one table a sheet, then the de-identified data sheet (GBVIMS column order)."""
    session.require("report.build")
    report_date = report_date or date.today()
    threshold, label = suppression(session)
    total = counted_total(session, period)
    total.suppressed = 0 < total.value < threshold
    tables = statistics_tables(session, period)
    info = report_info(session, period, report_date)
    info.append(("Số vụ việc được thống kê", label if total.suppressed else str(total.value)))
    return Report(kind="statistics", title="THỐNG KÊ",
                  subject=f"Số liệu vụ việc bạo lực trên cơ sở giới {period.label()}",
                  blocks=[Paragraph("", figures=[total]), *tables, data_sheet(session, period)], period=period,
                  header=official_header(session, report_date), produced_on=report_date,
                  produced_by=info[0][1], notes=data_notes(session, period), info=info)


def activity_report(session, period: Period, *, report_date: date | None = None) -> Report:
    """Activities by kind, month and target group, with participants by sex."""
    session.require("report.build")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    data = act.PeriodActivities(session, period)
    total = data.figure_all("activities")
    blocks = [
        Paragraph(f"Tổng số hoạt động trong kỳ: {total.value}.", figures=[total]),
        act.by_kind(session, period, data=data),
        act.by_month(session, period),
        act.by_target_group(session, period),
        act.by_campaign(session, period),
        act.by_group(session, period, data=data),
    ]
    return Report(kind="activities", title="BÁO CÁO", subject=f"Tổng hợp hoạt động phòng ngừa và ứng phó với bạo lực "
                  f"trên cơ sở giới {period.label()}", blocks=blocks, period=period,
                  header=official_header(session, report_date), produced_on=report_date, produced_by=info[0][1],
                  notes=["Hoạt động được tính theo ngày bắt đầu nằm trong kỳ; hoạt động đã xóa không được tính."],
                  info=info)


def register_report(session, period: Period, *, report_date: date | None = None) -> Report:
    session.require("report.build")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    return Report(kind="register", title="SỔ THEO DÕI",
                  subject=f"Sổ theo dõi vụ việc bạo lực trên cơ sở giới (đã bỏ thông tin nhận dạng) {period.label()}",
                  blocks=[register_table(session, period)], period=period, header=official_header(session, report_date),
                  produced_on=report_date, produced_by=info[0][1], notes=data_notes(session, period), info=info)
