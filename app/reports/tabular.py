"""The table reports for other bodies: case statistics, activity summary, de-identified register."""

from __future__ import annotations

from datetime import date

from app.reports import activities as act
from app.errors import PermissionDenied
from app.reports.annual import number, official_header, recipients, report_info, signature
from app.reports.cases import CountedCases, data_notes, data_sheet, register_table, suppression
from app.reports.communes import holds_communes
from app.reports.model import Paragraph, Report
from app.reports.period import period_figures
from app.reports.texts import report_settings
from app.reports.progress import ProgressFn, Steps, steps_of
from app.targets import Period


def statistics_report(session, period: Period, *, report_date: date | None = None,
                      progress: ProgressFn | Steps | None = None, by_new_commune: bool = False) -> Report:
    """Case statistics: one table a sheet, protected with the period's other outputs.

    No per-case rows: a file of protected tables never holds them (the per-case data is the
    restricted working document `case_data_report`).
    """
    session.require("report.build")
    steps = steps_of(progress)
    steps.add(2)
    report_date = report_date or date.today()
    label = suppression(session)[1]
    steps.step("Đang đếm các vụ việc được thống kê")
    with CountedCases(session, period) as counted, act.ActivityWindow(session, period) as window:
        steps.step("Đang lập các bảng thống kê và kiểm tra bảo vệ số liệu nhỏ")
        protected = period_figures(session, period, counted, window, by_new_commune=by_new_commune)
    total = protected.total
    tables = list(protected.stats.values()) + protected.by_commune[1:]
    info = report_info(session, period, report_date)
    info.append(("Số vụ việc được thống kê", total.hidden_text(label) if total.suppressed else str(total.value)))
    info.append(("Bảo vệ số liệu nhỏ", protected.audit.line()))
    return Report(kind="statistics", title="THỐNG KÊ",
                  subject=f"Số liệu vụ việc bạo lực trên cơ sở giới {period.label()}",
                  blocks=[Paragraph("", figures=[total]), *tables], period=period,
                  header=official_header(session, report_date), produced_on=report_date,
                  produced_by=info[0][1], notes=[*data_notes(session, period), protected.audit.line()], info=info,
                  disclosure=protected.audit)


def activity_report(session, period: Period, *, report_date: date | None = None,
                    progress: ProgressFn | Steps | None = None) -> Report:
    """Activities by kind, month and target group, with participants by sex."""
    session.require("report.build")
    steps = steps_of(progress)
    data: act.PeriodActivities  # made below, after the first step is announced; the parts run after that
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
    """The de-identified case register: a per-case working document (`require_case_list`)."""
    require_case_list(session)
    steps = steps_of(progress)
    steps.add(1)
    steps.step("Đang lập sổ theo dõi vụ việc")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    table = register_table(session, period)
    return Report(kind="register", title="SỔ THEO DÕI",
                  subject=f"Sổ theo dõi vụ việc bạo lực trên cơ sở giới (đã bỏ thông tin nhận dạng) {period.label()}",
                  blocks=[table], period=period, header=official_header(session, report_date),
                  produced_on=report_date, produced_by=info[0][1],
                  notes=[*data_notes(session, period), CASE_LIST_NOTE], info=info, confidential=RESTRICTED)


def case_data_report(session, period: Period, *, report_date: date | None = None,
                     progress: ProgressFn | Steps | None = None) -> Report:
    """The de-identified case data (GBVIMS column order): a per-case working document (`require_case_list`)."""
    require_case_list(session)
    steps = steps_of(progress)
    steps.add(1)
    steps.step("Đang lập bảng: dữ liệu đã bỏ thông tin nhận dạng")
    report_date = report_date or date.today()
    info = report_info(session, period, report_date)
    return Report(kind="case_data", title="DỮ LIỆU VỤ VIỆC",
                  subject=f"Dữ liệu vụ việc bạo lực trên cơ sở giới (đã bỏ thông tin nhận dạng) {period.label()}",
                  blocks=[data_sheet(session, period)], period=period, header=official_header(session, report_date),
                  produced_on=report_date, produced_by=info[0][1],
                  notes=[*data_notes(session, period), CASE_LIST_NOTE], info=info, confidential=RESTRICTED)


#: The mark of a per-case working document (DESIGN §7): not for other bodies, not beside protected tables.
RESTRICTED = "HẠN CHẾ TIẾP CẬN"
CASE_LIST_NOTE = ("Hạn chế tiếp cận: tài liệu làm việc, mỗi dòng một vụ việc, chỉ dành cho người có quyền xem vụ "
                  "việc tại đơn vị; không gửi cho cơ quan khác, không đính kèm với các bảng thống kê. Mã vụ việc chỉ "
                  "ghi với vụ việc do chính đơn vị này ghi nhận.")
#: At a province (or district), who may build a per-case list: the office that holds the data, nobody else.
OFFICE_ROLES = ("admin", "province_officer")


def require_case_list(session) -> None:
    """Per-case lists are working documents for roles that may see cases; at a province, its office alone."""
    session.require("report.build")
    session.require("case.read")
    if holds_communes(session) and session.user.role not in OFFICE_ROLES:
        raise PermissionDenied("Danh sách từng vụ việc ở cấp tỉnh chỉ dành cho cán bộ văn phòng tỉnh.",
                               "At a province, per-case lists are for the province office only.")
