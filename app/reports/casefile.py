"""Files for the officer alone: one case's file, and what is held about one person.

Both hold identities, so both are marked "HẠN CHẾ TIẾP CẬN – DỮ LIỆU CÁ NHÂN NHẠY CẢM", need the right
`report.case_file`, and every generation is written in the audit log (with the
case ids, never a name). They are never sent to another body.
"""

from __future__ import annotations

from datetime import date

from app.cases.fields import CONSENT_SCOPES, LABELS
from app.errors import BinhAnError, NotFound
from app.reports.figures import label
from app.reports.model import TEXT, Column, Paragraph, Report, Section, Table, yes_no
from app.reports.progress import ProgressFn, Steps, steps_of
from app.validation import show_date

# Not "MẬT": that is a state-secret grade (Law 29/2018/QH14 on protecting state secrets). These files hold
# sensitive personal data (Law 91/2025/QH15): access is restricted.
CONFIDENTIAL = "HẠN CHẾ TIẾP CẬN – DỮ LIỆU CÁ NHÂN NHẠY CẢM"


class IdentityNotHeld(BinhAnError):
    """A file with identities asked for where none are kept (a district or province)."""

AUDIT_ACTIONS = {
    "case.create": "Tạo hồ sơ vụ việc",
    "case.update": "Sửa hồ sơ vụ việc",
    "case.delete": "Xóa (đánh dấu xóa) vụ việc",
    "identity.read": "Mở thông tin nhận dạng",
    "report.case_file": "In hồ sơ vụ việc",
    "report.person_file": "In thông tin đang lưu giữ về người này",
    "case.review": "Ý kiến giám sát",
    "case.reopen": "Mở lại vụ việc",
    "case.shared_without_consent": "Chuyển tuyến, chia sẻ không có đồng ý (có căn cứ pháp luật)",
    "case.identity_erased": "Xóa thông tin nhận dạng",
    "case.person_linked": "Liên kết các vụ việc của cùng một người",
}


def _kv(key: str, title: str, pairs: list[tuple[str, str | None]]) -> Table:
    return Table(key=key, title_vi=title, title_en=title,
                 columns=[Column("field", "Mục", "Field", TEXT, 34), Column("value", "Nội dung", "Value", TEXT, 70)],
                 rows=[[k, v if v not in (None, "") else "Không ghi nhận"] for k, v in pairs])


def _l(path: str) -> str:
    return LABELS[path][0]


def _rows_table(key: str, title: str, headers: list[str], rows: list[list[str]]) -> Table:
    columns = [Column(f"c{i}", h, h, TEXT) for i, h in enumerate(headers)]
    if not rows:
        rows = [["Không có"] + [""] * (len(headers) - 1)]
    return Table(key=key, title_vi=title, title_en=title, columns=columns, rows=rows)


def case_sections(session, case: dict, *, prefix: str = "") -> list[Section]:
    ref = session.reference

    def lab(list_name, code):
        return label(ref, list_name, code) if code else "Không ghi nhận"

    s, i, intake = case["survivor"], case["incident"], case["intake"]
    sections = [
        Section(f"{prefix}1. Tiếp nhận", [_kv("intake", "Tiếp nhận", [
            ("Mã vụ việc", case["code"]), (_l("status"), lab("case_status", case["status"])),
            (_l("intake.reported_on"), show_date(intake["reported_on"])),
            (_l("intake.incident_on"), show_date(intake["incident_on"])),
            (_l("intake.disclosure_channel"), lab("disclosure_channel", intake["disclosure_channel"])),
            (_l("intake.referral_source"), lab("disclosure_channel", intake["referral_source"])),
            (_l("intake.taken_by"), intake["taken_by"]),
        ])], level=2),
    ]
    identity = case.get("identity") or {}
    sections.append(Section(f"{prefix}2. Người bị bạo lực", [_kv("survivor", "Người bị bạo lực", [
        (_l("identity.name"), identity.get("name")), (_l("identity.address"), identity.get("address")),
        (_l("identity.phone"), identity.get("phone")), (_l("identity.id_number"), identity.get("id_number")),
        (_l("survivor.age"), "" if s["age"] is None else str(s["age"])),
        (_l("survivor.age_band"), lab("age_band", s["age_band"])), (_l("survivor.sex"), lab("sex", s["sex"])),
        (_l("survivor.marital_status"), lab("marital_status", s["marital_status"])),
        (_l("survivor.disability"), lab("disability", s["disability"])),
        (_l("survivor.ethnicity"), lab("ethnicity", s["ethnicity"])),
        (_l("survivor.pregnant"), yes_no(s["pregnant"])),
        (_l("survivor.occupation"), lab("occupation", s.get("occupation"))),
        (_l("survivor.residence_status"), lab("residence_status", s.get("residence_status"))),
        (_l("survivor.nationality"), lab("nationality", s.get("nationality"))),
        (_l("survivor.children_count"), "" if s.get("children_count") is None else str(s["children_count"])),
        (_l("survivor.children_at_risk"), lab("yes_no_unknown", s.get("children_at_risk"))),
        (_l("survivor.interpreter"), lab("interpreter_need", s.get("interpreter"))),
        (_l("identity.contact_way"), identity.get("contact_way")),
        (_l("identity.wishes"), identity.get("wishes")),
    ])], level=2))
    sections.append(Section(f"{prefix}3. Sự việc", [_kv("incident", "Sự việc", [
        (_l("incident.violence_type"), lab("violence_type", i["violence_type"])),
        (_l("incident.dv_acts"), "; ".join(lab("dv_act", a) for a in i["dv_acts"])),
        (_l("incident.time_of_day"), lab("time_of_day", i["time_of_day"])),
        (_l("incident.location_type"), lab("location_type", i["location_type"])),
        (_l("incident.reported_elsewhere"), yes_no(i["reported_elsewhere"])),
        (_l("incident.money_exchanged"), lab("yes_no_unknown", i.get("money_exchanged"))),
        (_l("incident.abduction"), lab("abduction_status", i.get("abduction"))),
        (_l("incident.weapon"), lab("weapon", i.get("weapon"))),
        (_l("incident.perpetrator_previous"), lab("yes_no_unknown", i.get("perpetrator_previous"))),
        ("Thời gian đến khi trình báo", lab("reporting_delay_band", case["derived"]["delay_band"])),
        ("Bối cảnh", "; ".join(lab("case_context", c) for c in case["derived"]["contexts"])),
        (_l("identity.narrative"), identity.get("narrative")),
    ])], level=2))
    sections.append(Section(f"{prefix}4. Người gây bạo lực", [
        _kv("perp_names", "Tên", [(_l("identity.perpetrator_names"), identity.get("perpetrator_names"))]),
        _rows_table("perpetrators", "Người gây bạo lực", ["Giới tính", "Nhóm tuổi", "Quan hệ", "Số người"],
                    [[lab("sex", p["sex"]), lab("age_band", p["age_group"]), lab("relationship", p["relationship"]),
                      str(p["count"])] for p in case["perpetrators"]]),
        _rows_table("actions", "Xử lý người gây bạo lực", ["Biện pháp xử lý", "Ngày"],
                    [[lab("perpetrator_action", a["action"]), show_date(a["on"])]
                     for a in case["perpetrator_actions"]]),
    ], level=2))
    notice = case.get("privacy_notice") or {}
    sections.append(Section(f"{prefix}5. Sự đồng ý", [_rows_table(
        "consent", "Sự đồng ý", ["Phạm vi", "Đồng ý", "Người đồng ý", "Ngày đồng ý", "Ngày rút đồng ý"],
        [[lab("consent_scope", scope), yes_no(case["consent"][scope]["given"]),
          lab("consent_giver", case["consent"][scope].get("given_by")) if case["consent"][scope]["given"] else "",
          show_date(case["consent"][scope]["on"]), show_date(case["consent"][scope]["withdrawn_on"])]
         for scope in CONSENT_SCOPES]),
        _kv("privacy_notice", "Giải thích việc lưu giữ thông tin", [
            (_l("privacy_notice.on"), show_date(notice.get("on"))), (_l("privacy_notice.by"), notice.get("by"))]),
    ], level=2))
    sections.append(Section(f"{prefix}6. Dịch vụ, chuyển tuyến, theo dõi", [
        _rows_table("services", "Dịch vụ hỗ trợ", ["Dịch vụ", "Tình trạng", "Ngày"],
                    [[lab("service", v["service"]), lab("service_status", v["status"]), show_date(v["on"])]
                     for v in case["services"]]),
        _rows_table("referrals", "Chuyển tuyến", ["Dịch vụ", "Nơi nhận", "Ngày chuyển", "Đồng ý hoặc căn cứ",
                                                  "Kết quả"],
                    [[lab("service", r["service"]), r["provider_name"] or "", show_date(r["referred_on"]),
                      yes_no(r["consent"]) if r["consent"] or not r.get("legal_basis") else
                      f"{lab('sharing_basis', r['legal_basis'])}: {r.get('basis_reason') or ''}",
                      lab("referral_outcome", r["outcome"])] for r in case["referrals"]]),
        _rows_table("follow_ups", "Theo dõi", ["Ngày hẹn", "Ngày thực hiện", "Tình trạng", "Kết quả", "Hẹn tiếp"],
                    [[show_date(f["due_on"]), show_date(f["done_on"]), lab("follow_up_status", f["status"]),
                      lab("follow_up_outcome", f.get("outcome")) if f.get("outcome") else "",
                      show_date(f.get("next_on"))] for f in case["follow_ups"]]),
    ], level=2))
    answers_text = lambda a: "; ".join(  # noqa: E731
        f"{label(ref, 'risk_question', q)}: {label(ref, 'yes_no_unknown', v)}" for q, v in a["answers"].items())
    sections.append(Section(f"{prefix}6a. Đánh giá nguy cơ", [_rows_table(
        "risk", "Đánh giá nguy cơ", ["Ngày", "Mức độ", "Điểm", "Người đánh giá", "Câu trả lời"],
        [[show_date(a["on"]), lab("risk_level", a["level"]), str(a["score"]), a.get("by") or "", answers_text(a)]
         for a in case.get("risk_assessments") or []])], level=2))
    plan = case.get("action_plan") or {"needs": [], "goals": None, "actions": []}
    sections.append(Section(f"{prefix}6b. Kế hoạch hỗ trợ và giám sát", [
        _kv("action_plan", "Nhu cầu và mục tiêu", [
            (_l("action_plan.needs"), "; ".join(lab("service", n) for n in plan["needs"])),
            (_l("action_plan.goals"), plan["goals"])]),
        _rows_table("action_items", "Việc cần làm", ["Việc", "Người, nơi phụ trách", "Hạn", "Tình trạng", "Ngày xong"],
                    [[a["what"], a.get("person") or a.get("provider_id") or "", show_date(a["due_on"]),
                      lab("action_status", a["status"]), show_date(a["done_on"])] for a in plan["actions"]]),
        _rows_table("reviews", "Ý kiến giám sát", ["Ngày", "Người giám sát", "Ý kiến", "Duyệt kết thúc"],
                    [[show_date(v["on"]), v["by"] or "", v["comment"] or "", yes_no(v["approves_closure"])]
                     for v in case.get("reviews") or []]),
    ], level=2))
    sp = case["safety_plan"]
    reopen = case.get("reopen") or {}
    person = case.get("person") or {}
    sections.append(Section(f"{prefix}7. Kế hoạch an toàn và kết thúc", [_kv("closure", "Kết thúc", [
        (_l("safety_plan.in_place"), yes_no(sp["in_place"])),
        (_l("safety_plan.on"), show_date(sp["on"])),
        (_l("identity.safe_places"), identity.get("safe_places")),
        (_l("identity.emergency_contacts"), identity.get("emergency_contacts")),
        (_l("identity.code_word"), identity.get("code_word")),
        (_l("safety_plan.to_take"), "; ".join(lab("safety_item", c) for c in sp.get("to_take") or [])),
        (_l("safety_plan.steps"), "; ".join(lab("safety_step", c) for c in sp.get("steps") or [])),
        (_l("safety_plan.children"), lab("child_safety", sp.get("children"))),
        (_l("safety_plan.agreed"), yes_no(sp.get("agreed"))),
        (_l("safety_plan.review_on"), show_date(sp.get("review_on"))),
        (_l("identity.safety_notes"), identity.get("safety_notes")),
        (_l("closure.items"), "; ".join(lab("closure_item", c) for c in case["closure"]["items"])),
        (_l("closure.knows_can_return"), yes_no(case["closure"].get("knows_can_return"))),
        (_l("closure.closed_on"), show_date(case["closure"]["closed_on"])),
        (_l("reopen.on"), show_date(reopen.get("on"))),
        (_l("reopen.reason"), lab("reopen_reason", reopen.get("reason")) if reopen.get("reason") else ""),
        ("Các lần trước của cùng người", "; ".join(f"{x['code']} ({show_date(x['reported_on'])})"
                                                  for x in person.get("incidents") or [])),
        ("Thông tin nhận dạng đã xóa ngày", show_date(case.get("identity_erased_on"))),
    ])], level=2))
    return sections


def _refuse_where_no_identity(session, what_vi: str, what_en: str) -> None:
    """A district or province holds no identity (records arrive de-identified): say so plainly."""
    if session.node_info.kind in ("district", "province"):
        raise IdentityNotHeld(
            f"{what_vi} chỉ in được tại xã hoặc điểm đã tiếp nhận vụ việc: {session.node_info.name} không lưu "
            "thông tin nhận dạng (số liệu từ cấp dưới gửi lên đã bỏ thông tin nhận dạng).",
            f"{what_en} can only be printed at the commune or point that took the case: {session.node_info.name} "
            "holds no identities (figures from below arrive without them).")


def _confidential_report(session, kind: str, subject: str, blocks: list, report_date: date) -> Report:
    info = session.node_info
    return Report(kind=kind, title="HỒ SƠ" if kind == "case_file" else "THÔNG TIN ĐANG LƯU GIỮ", subject=subject,
                  blocks=blocks, confidential=CONFIDENTIAL, produced_on=report_date,
                  produced_by=f"{info.name} ({info.code})",
                  notes=[f"Tài liệu hạn chế tiếp cận – dữ liệu cá nhân nhạy cảm: chứa thông tin nhận dạng. In bởi {session.user.display_name} "
                         f"ngày {report_date:%d/%m/%Y}. Không gửi cho cơ quan, đơn vị khác; cất giữ nơi có khóa."])


def case_file(session, case_id: str, *, report_date: date | None = None,
              progress: ProgressFn | Steps | None = None) -> Report:
    """One case's whole file, identity included, for the officer (refused at a district or province)."""
    session.require("report.case_file")
    _refuse_where_no_identity(session, "Hồ sơ vụ việc", "A case file")
    steps = steps_of(progress)
    steps.add(1)
    steps.step("Đang lập hồ sơ vụ việc")
    case = session.cases.get(case_id, with_identity=True)  # itself audited as identity.read
    report_date = report_date or date.today()
    with session.store.transaction() as conn:
        session.audit(conn, "report.case_file", table="cases", target=case_id, detail={"code": case["code"]})
    return _confidential_report(session, "case_file", f"Vụ việc {case['code']}",
                                case_sections(session, case), report_date)


def person_file(session, case_ids: list[str], *, report_date: date | None = None,
                progress: ProgressFn | Steps | None = None) -> Report:
    """What the node holds about one person (a request under the Law on Personal Data Protection).

    The officer picks the person's cases; the file lists every fact and identity
    field kept, the consents with their dates, and (for a role that may read the
    audit log) who opened or changed the records and when.
    """
    session.require("report.case_file")
    _refuse_where_no_identity(session, "Thông tin đang lưu giữ về một người", "What is held about one person")
    if not case_ids:
        raise NotFound("Hãy chọn ít nhất một vụ việc của người này.", "Choose at least one of the person's cases.")
    steps = steps_of(progress)
    steps.add(len(case_ids) + 1)
    steps.step("Đang đọc các vụ việc của người này")
    report_date = report_date or date.today()
    cases = [session.cases.get(case_id, with_identity=True) for case_id in case_ids]
    with session.store.transaction() as conn:
        for case in cases:
            session.audit(conn, "report.person_file", table="cases", target=case["id"],
                          detail={"code": case["code"], "cases": len(cases)})
    blocks: list = [Paragraph(
        "Theo yêu cầu của người có thông tin, đơn vị cung cấp toàn bộ thông tin đang lưu giữ về người này trong phần "
        "mềm Bình An: thông tin nhận dạng, thông tin về sự việc, các dịch vụ hỗ trợ, sự đồng ý và thời điểm đồng ý "
        "hoặc rút lại sự đồng ý. Thông tin nhận dạng chỉ được lưu tại đơn vị, không gửi lên cấp trên; số liệu "
        "thống kê chỉ tính khi người này đồng ý được thống kê. Người có thông tin có quyền rút lại sự đồng ý bất kỳ "
        "lúc nào; từ ngày rút, thông tin không được tiếp tục chia sẻ hoặc tính vào báo cáo.")]
    for n, case in enumerate(cases, start=1):
        steps.step(f"Đang lập phần: vụ việc {case['code']}")
        blocks.append(Section(f"Vụ việc {n}: {case['code']}", case_sections(session, case, prefix=f"{n}."), level=1))
    if session.can("audit.read"):
        marks = ",".join("?" for _ in case_ids)
        log = session.store.query(
            f"SELECT at, username, action, target_id FROM audit_log WHERE target_id IN ({marks}) ORDER BY seq",
            tuple(case_ids))
        codes = {c["id"]: c["code"] for c in cases}
        blocks.append(Section("Lịch sử truy cập và xử lý thông tin", [_rows_table(
            "access", "Lịch sử", ["Thời điểm (UTC)", "Người dùng", "Thao tác", "Vụ việc"],
            [[r["at"][:19].replace("T", " "), r["username"] or "", AUDIT_ACTIONS.get(r["action"], r["action"]),
              codes.get(r["target_id"], "")] for r in log])]))
    else:
        blocks.append(Paragraph("Lịch sử truy cập và xử lý thông tin: quản trị viên in kèm từ nhật ký hệ thống.",
                                "note"))
    return _confidential_report(session, "person_file", "Về một người (theo yêu cầu của người có thông tin)",
                                blocks, report_date)
