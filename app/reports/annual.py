"""The annual (or half-year, quarterly) report on the plan: báo cáo kết quả thực hiện kế hoạch.

Its body follows the task groups of the provincial plans (Hưng Yên 64/KH-UBND
section II, Thái Bình 13/KH-UBND): leadership and direction; communication;
training and conferences; models; services and cases; inspections;
commendations; budget. Then the plan's targets, the difficulties and the
proposals the officer writes, the recipients and the signature block. The
header, recipients and signature come from the province profile and the
node's report settings, never from code.
"""

from __future__ import annotations

from datetime import date

from app.reports import activities as act
from app.reports.cases import CountedCases, data_notes, suppression
from app.reports.figures import count_table, options
from app.reports.model import Figure, OfficialHeader, Paragraph, Report, Section, Signature, Table
from app.reports.period import period_figures
from app.reports.progress import ProgressFn, Steps, steps_of
from app.reference.periods import plan_reference, profile_for
from app.reports.texts import report_settings, report_texts
from app.targets import Period

COMMUNICATION = ("communication_event", "mass_media", "printed_material", "hotline")
TRAINING = ("training", "conference")
EMPTY_TEXT = "…" * 30  # a line to fill in, where the officer has written nothing yet


def number(value: int | float | None) -> str:
    """A count as Vietnamese writes it: 1.234 (a dot between thousands); "—" for none (as `percent`)."""
    return "—" if value is None else f"{int(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def shown(figure: Figure, label: str) -> str:
    return figure.hidden_text(label) if figure.suppressed else number(figure.value)


def sensitive_count(figure: Figure, threshold: int) -> Figure:
    figure.sensitive = True
    return figure.hide_if_small(threshold)


#: Bodies that head their documents with their own name alone: a People's Committee or Council of any
#: level has no "cơ quan chủ quản trực tiếp" line above it (Decree 30/2020/NĐ-CP, Appendix I: the superior
#: body's name "nếu có"; People's Committees and Councils of all levels are among the bodies written without
#: one — https://lawnet.vn/thong-tin-phap-luat/hanh-chinh/tu-05-3-2020-phai-ghi-ten-co-quan-chu-quan-trong-moi-
#: truong-hop-72813.html, http://haugiang.gov.vn/HtmlView.aspx?pageid=3129&ItemID=54242&mid=7506&siteid=60).
OWN_NAME_ONLY = ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")


def official_header(session, report_date: date) -> OfficialHeader:
    settings = report_settings(session)
    number_text = settings["doc_number"] or "\u00a0" * 8  # left blank for the office to number on signing
    issuing = settings["issuing_body"].upper()
    superior = settings["superior_body"].upper()
    if issuing.startswith(OWN_NAME_ONLY):
        superior = ""  # "UBND TỈNH …" above "ỦY BAN NHÂN DÂN XÃ …" is not the decree's form (and names a past province)
    for body in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
        # "ỦY BAN NHÂN DÂN / XÃ …" on two lines, as the decree's samples print it.
        if issuing.startswith(body) and "\n" not in issuing:
            issuing = body.strip() + "\n" + issuing[len(body):].strip()
    return OfficialHeader(
        superior_body=superior,
        issuing_body=issuing,
        number=f"Số: {number_text}/{settings['doc_symbol']}" if settings["doc_symbol"] else f"Số: {number_text}",
        place=settings["place"],
        on=report_date,
    )


def signature(session) -> Signature:
    s = report_settings(session)
    return Signature(authority=s["signer_authority"].upper(), title=s["signer_title"].upper(), name=s["signer_name"])


def receiving_body(session, profile) -> str | None:
    """Where the report goes: the receiving body of the profile version in force; a province's own report
    goes to the ministry (it is not addressed to itself)."""
    if profile is None:
        return None
    return profile.recipient_for(session.node_info.kind) or None


def recipients(session, period: Period | None = None) -> list[str]:
    s = report_settings(session)
    profile = session.profile if period is None else profile_for(session, period)
    out = []
    body = receiving_body(session, profile)
    if body:
        out.append(body)
    out += [r for r in s["recipients"] if r != body]
    out.append("Lưu: VT")
    return out


def _free(text: str) -> list[Paragraph]:
    if not text.strip():
        return [Paragraph(EMPTY_TEXT, "free")]
    return [Paragraph(part.strip(), "free") for part in text.split("\n") if part.strip()]


def _sentence(text: str, *figures: Figure) -> Paragraph:
    return Paragraph(text, figures=list(figures))


def models_table(session, period: Period) -> Table:
    """Models by kind and their status on the period's last day (from their status history)."""
    end = period.end.isoformat()
    status_at_end = (
        "coalesce((SELECT e.status FROM model_status_events e WHERE e.model_id = m.id AND e.on_date <= ?"
        " ORDER BY e.on_date DESC, e.rowid DESC LIMIT 1),"
        " CASE WHEN NOT EXISTS (SELECT 1 FROM model_status_events e WHERE e.model_id = m.id)"
        " AND (m.established_on IS NULL OR m.established_on <= ?) THEN m.status END)")
    unit = (f"SELECT m.kind AS r, {status_at_end} AS k, 1 AS n FROM models m WHERE m.deleted = 0"
            f" AND {status_at_end} IS NOT NULL")
    return count_table(session.store, key="Mo hinh",
                       title=("Mô hình theo loại và tình trạng cuối kỳ", "Models by kind and status at the end"),
                       unit_sql=unit, params=(end, end, end, end), rows=options(session.reference, "model_kind"),
                       cols=options(session.reference, "model_status"), row_header=("Loại mô hình", "Kind of model"),
                       sensitive=False, keep_empty_rows=False)


#: The steps of the annual report's build, in order (shown while it is built).
ANNUAL_STEPS = ("Đang lập phần: tình hình chung", "Đang lập phần: công tác truyền thông",
                "Đang lập phần: đào tạo, hội nghị", "Đang lập phần: các mô hình",
                "Đang lập phần: dịch vụ hỗ trợ và vụ việc", "Đang lập phần: kiểm tra, giám sát",
                "Đang lập phần: khen thưởng, kinh phí", "Đang lập phần: các chỉ tiêu",
                "Đang lập phần: khó khăn, đề xuất, nơi nhận")


def annual_report(session, period: Period, *, report_date: date | None = None,
                  progress: ProgressFn | Steps | None = None, by_new_commune: bool = False) -> Report:
    """The report on the plan for `period` (a year, half-year or quarter), ready to render.

    `by_new_commune`: at a province, the tables by commune by the new communes of the 2025 arrangement."""
    session.require("report.build")
    steps = steps_of(progress)
    steps.add(len(ANNUAL_STEPS))
    step = iter(ANNUAL_STEPS)
    steps.step(next(step))
    # The counted cases and the activities that may touch the period are read once, for every part.
    with CountedCases(session, period) as counted, act.ActivityWindow(session, period) as window:
        return _annual(session, period, report_date, steps, step, counted, window, by_new_commune)


def _annual(session, period: Period, report_date: date | None, steps: Steps, step, counted: CountedCases,
            window: act.ActivityWindow, by_new_commune: bool = False) -> Report:
    profile = profile_for(session, period)  # the version in force then: a later profile leaves this report as it was
    report_date = report_date or date.today()
    texts = report_texts(session, period)
    settings = report_settings(session)
    threshold, label = suppression(session)
    issuing = settings["issuing_body"]
    ref = session.reference

    if profile is not None and profile.has_plan and not profile.plan_is_baseline:
        subject = f"Kết quả thực hiện Kế hoạch phòng ngừa và ứng phó với bạo lực trên cơ sở giới {period.label()}"
    else:  # no provincial plan covers the period: the work, not a plan that has ended
        subject = f"Kết quả công tác phòng ngừa và ứng phó với bạo lực trên cơ sở giới {period.label()}"
    blocks: list = []
    if profile is not None and profile.has_plan and profile.plan_is_baseline:
        # No provincial plan covers the period: the national baseline, named as what it is.
        blocks.append(Paragraph(
            f"Thực hiện {plan_reference(profile)} ban hành {profile.plan_title_vi}; {issuing} báo cáo kết quả "
            f"thực hiện công tác phòng ngừa và ứng phó với bạo lực trên cơ sở giới {period.label()} (từ ngày "
            f"{period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) như sau:"))
    elif profile is not None and profile.has_plan:
        about = profile.plan_title_vi
        about = about[len("Kế hoạch "):] if about.startswith("Kế hoạch ") else f"về {about}"
        blocks.append(Paragraph(
            f"Thực hiện {plan_reference(profile)} "
            f"{about[0].lower() + about[1:]}; {issuing} báo cáo kết quả "
            f"thực hiện {period.label()} (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) như sau:"))
    else:
        blocks.append(Paragraph(f"{issuing} báo cáo kết quả thực hiện công tác phòng ngừa và ứng phó với bạo lực "
                                f"trên cơ sở giới {period.label()} như sau:"))

    blocks.append(Section("I. TÌNH HÌNH CHUNG", _free(texts["situation"])))

    # --- II. tasks -----------------------------------------------------------------------------------
    tasks = Section("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ, GIẢI PHÁP")
    tasks.blocks.append(Section("1. Công tác lãnh đạo, chỉ đạo", _free(texts["leadership"]), level=2))

    steps.step(next(step))
    data = act.PeriodActivities(session, period, window)

    def kinds(*groups):
        return act.group_kinds(ref, groups)

    comm_events = data.figure(kinds("communication_event"), "activities")
    comm_people = data.figure(kinds("communication_event"), "total")
    comm_female = data.figure(kinds("communication_event"), "female")
    comm_male = data.figure(kinds("communication_event"), "male")
    media = data.figure(kinds("mass_media"), "activities")
    printed = data.figure(kinds("printed_material"), "quantity")
    communication = Section("2. Công tác truyền thông nâng cao nhận thức", level=2)
    communication.blocks.append(_sentence(
        f"Tổ chức {number(comm_events.value)} hoạt động truyền thông trực tiếp với {number(comm_people.value)} "
        f"lượt người tham gia (nữ: {number(comm_female.value)}, nam: {number(comm_male.value)}); "
        f"{number(media.value)} tin, bài, chuyên mục trên phương tiện thông tin đại chúng; phát hành "
        f"{number(printed.value)} bản tài liệu, sản phẩm truyền thông.",
        comm_events, comm_people, comm_female, comm_male, media, printed))
    communication.blocks.append(act.by_kind(session, period, groups=COMMUNICATION, key="Truyen thong",
                                            title=("Hoạt động truyền thông theo loại", "Communication by kind"),
                                            data=data))
    communication.blocks.append(act.by_campaign(session, period, window))
    tasks.blocks.append(communication)

    steps.step(next(step))
    courses = data.figure(kinds("training"), "activities")
    trainees = data.figure(kinds("training"), "total")
    meetings = data.figure(kinds("conference"), "activities")
    training = Section("3. Đào tạo, bồi dưỡng nâng cao năng lực; hội nghị, hội thảo", level=2)
    training.blocks.append(_sentence(
        f"Tổ chức {number(courses.value)} lớp tập huấn, bồi dưỡng với {number(trainees.value)} lượt người tham gia; "
        f"{number(meetings.value)} hội nghị, hội thảo, tọa đàm, học tập kinh nghiệm.", courses, trainees, meetings))
    training.blocks.append(act.by_kind(session, period, groups=TRAINING, key="Tap huan",
                                       title=("Tập huấn, hội nghị theo loại", "Training and conferences by kind"),
                                       data=data))
    tasks.blocks.append(training)

    steps.step(next(step))
    model_acts = data.figure(kinds("model_operation"), "activities")
    models = Section("4. Duy trì, nhân rộng các mô hình", level=2)
    models.blocks.append(_sentence(f"Tổ chức {number(model_acts.value)} hoạt động của các mô hình trong kỳ.",
                                   model_acts))
    models.blocks.append(models_table(session, period))
    tasks.blocks.append(models)

    steps.step(next(step))
    # Every count about people of the period, protected together with the statistics and the Overview.
    protected = period_figures(session, period, counted, window, by_new_commune=by_new_commune)
    total, stats, by_commune = protected.total, protected.stats, protected.by_commune
    services = Section("5. Cung cấp dịch vụ hỗ trợ; tình hình vụ việc", level=2,
                       figures=[q for _, q in protected.quarters])
    services.blocks.append(_sentence(
        f"Trong kỳ tiếp nhận {shown(total, label)} vụ việc bạo lực trên cơ sở giới được thống kê.", total))
    for key in ("Loai bao luc", "Dich vu", "Chuyen tuyen", "Xu ly nguoi gay BL"):
        services.blocks.append(stats[key])
    services.blocks.append(protected.quarter_chart(period))
    for note in data_notes(session, period):
        services.blocks.append(Paragraph(note, "note"))
    # The audit's result goes with the file whatever its format (PDF, Word, Excel), under the figures it proves.
    services.blocks.append(Paragraph(protected.audit.line(), "note"))
    tasks.blocks.append(services)

    steps.step(next(step))
    inspections = data.figure(kinds("inspection"), "activities")
    inspection = Section("6. Kiểm tra, giám sát", level=2)
    inspection.blocks.append(_sentence(
        f"Tổ chức {number(inspections.value)} cuộc kiểm tra, giám sát về phòng ngừa và ứng phó với bạo lực trên "
        "cơ sở giới.", inspections))
    inspection.blocks.append(act.by_kind(session, period, groups=("inspection",), key="Kiem tra",
                                         title=("Kiểm tra, giám sát theo loại", "Inspections by kind"),
                                         measures=act.MEASURES[:1], data=data))
    tasks.blocks.append(inspection)

    steps.step(next(step))
    commendations = data.figure(kinds("commendation"), "activities")
    tasks.blocks.append(Section("7. Biểu dương, khen thưởng", [_sentence(
        f"Tổ chức {number(commendations.value)} hoạt động biểu dương, khen thưởng tập thể, cá nhân điển hình.",
        commendations)], level=2))

    budget = data.figure(kinds(*(o.code for o in ref["activity_group"].options)), "budget")
    budget_table = act.by_group(session, period, measures=(act.MEASURES[0], act.MEASURES[6]), key="Kinh phi", data=data,
                                title=("Kinh phí theo nhóm hoạt động", "Budget by group"))
    tasks.blocks.append(Section("8. Kinh phí thực hiện", [_sentence(
        f"Tổng kinh phí đã sử dụng cho các hoạt động trong kỳ: {number(budget.value)} đồng.", budget),
        budget_table, act.by_funding_source(session, period)], level=2))
    blocks.append(tasks)

    # --- III. targets ---------------------------------------------------------------------------------
    steps.step(next(step))
    results, t_table, t_chart = protected.results, protected.targets, protected.target_chart
    target_blocks: list = []
    for kind, notice_vi, _ in (profile.notices if profile is not None else ()):
        if kind in ("plan", "lineage"):  # the plan the targets follow (or that none does), said plainly
            target_blocks.append(Paragraph(notice_vi, "note"))
    if results:
        target_blocks += [t_table, t_chart]
        for n, r in enumerate(results, start=1):
            target_blocks.append(Paragraph(f"Cách tính chỉ tiêu {n}: {r.definition_vi}", "note"))
            if "every_need_met" in r.extra:
                every = sensitive_count(Figure(r.extra["every_need_met"], r.extra["every_need_met_trace"]), threshold)
                target_blocks.append(_sentence(
                    f"Chỉ tiêu {n} tính vụ việc có ít nhất một nhu cầu được đáp ứng; trong đó số vụ việc mà mọi nhu "
                    f"cầu trợ giúp đều được đáp ứng: {shown(every, label)}.", every))
    elif profile is None:
        target_blocks.append(Paragraph("Đơn vị chưa được gán hồ sơ tỉnh nên chưa có chỉ tiêu để đánh giá."))
    blocks.append(Section("III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", target_blocks))

    steps.step(next(step))
    blocks.append(Section("IV. KHÓ KHĂN, VƯỚNG MẮC", _free(texts["difficulties"])))
    blocks.append(Section("V. ĐỀ XUẤT, KIẾN NGHỊ", _free(texts["proposals"])))
    blocks.append(Paragraph(f"Trên đây là báo cáo kết quả thực hiện công tác phòng ngừa và ứng phó với bạo lực trên "
                            f"cơ sở giới {period.label()} của {issuing}./."))

    annexes = []
    if by_commune:
        annexes.append(Section("PHỤ LỤC: SỐ LIỆU THEO XÃ", [
            Paragraph(f"(Kèm theo báo cáo kết quả thực hiện {period.label()} của {issuing})", "note"),
            Paragraph("Số liệu của từng xã trong kỳ, theo xã mới sau sắp xếp đơn vị hành chính năm 2025 (số liệu "
                      "của các xã cũ được cộng vào xã mới mà chúng hợp thành, như chú thích dưới mỗi bảng); xã không "
                      "có vụ việc hay hoạt động nào trong kỳ không được liệt kê." if protected.by_new_commune else
                      "Số liệu của từng xã trong kỳ, theo đơn vị đã ghi (xã gửi lên qua đồng bộ); xã không có vụ "
                      "việc hay hoạt động nào trong kỳ không được liệt kê."), *by_commune]))
    info = session.node_info
    return Report(
        kind="annual", title="BÁO CÁO", subject=subject, blocks=blocks, period=period,
        header=official_header(session, report_date), recipients=recipients(session, period),
        signature=signature(session),
        produced_on=report_date, produced_by=f"{info.name} ({info.code})",
        notes=[*data_notes(session, period), protected.audit.line()],
        info=[*report_info(session, period, report_date), ("Bảo vệ số liệu nhỏ", protected.audit.line())],
        annexes=annexes, disclosure=protected.audit,
    )


def report_info(session, period: Period, report_date: date) -> list[tuple[str, str]]:
    info = session.node_info
    profile = profile_for(session, period)
    out = [("Đơn vị", f"{info.name} ({info.code})"), ("Kỳ báo cáo", period.label()),
           ("Từ ngày", f"{period.start:%d/%m/%Y}"), ("Đến ngày", f"{period.end:%d/%m/%Y}"),
           ("Ngày lập", f"{report_date:%d/%m/%Y}")]
    if profile is not None:
        if profile.plan_is_baseline:
            plan = f"{profile.plan_number} (chuẩn quốc gia)"
        elif profile.has_plan:
            plan = f"{profile.plan_number} ({profile.plan_issuer_vi})"
        else:
            plan = "Không có kế hoạch áp dụng"
        out += [("Kế hoạch", plan),
                ("Hồ sơ tỉnh", f"{profile.code} phiên bản {profile.version} ({profile.period_text('vi')})"),
                ("Nơi nhận báo cáo", receiving_body(session, profile) or ""),
                ("Hạn gửi báo cáo năm", f"{profile.deadline_for(period.year):%d/%m/%Y}")]
    return out


__all__ = ["annual_report", "report_info", "number", "official_header", "percent", "recipients", "signature"]
