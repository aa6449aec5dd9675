"""The ten sections of the case form, built in the order of the work.

Each `build_<section>(form, section)` adds its fields to `section` and registers
them with the form under the core's field paths, labelled from the core's
`LABELS` so that the form and the core's messages name a field the same way.
Strings of our own go through `translate("CaseForm", …)`.
"""

from __future__ import annotations

from app.cases.fields import CONSENT_SCOPES, LABELS
from ui.cases.form_widgets import (CaseReferenceField, CheckField, ChoiceCombo, Checklist, DateField, FieldBox,
                                   FormButton, NoteField, NumberField, RiskAnswers, RowList, ShownText, TextField,
                                   YesNoCombo, code_combo, field_label)
from ui import text_size
from ui.i18n import translate
from ui.qt import QFormLayout, QFrame, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget

LABEL_WIDTH = 230


def section_title(key: str) -> str:
    return {
        "intake": translate("CaseForm", "Tiếp nhận"),
        "survivor": translate("CaseForm", "Người bị bạo lực"),
        "incident": translate("CaseForm", "Sự việc và phân loại"),
        "perpetrators": translate("CaseForm", "Người gây bạo lực"),
        "consent": translate("CaseForm", "Sự đồng ý"),
        "services": translate("CaseForm", "Dịch vụ và chuyển tuyến"),
        "follow_ups": translate("CaseForm", "Theo dõi và kế hoạch hỗ trợ"),
        "perpetrator_actions": translate("CaseForm", "Xử lý người gây bạo lực"),
        "safety_plan": translate("CaseForm", "Nguy cơ và kế hoạch an toàn"),
        "closure": translate("CaseForm", "Kết thúc"),
    }[key]


def label_of(form, path: str) -> str:
    vi, en = LABELS[path]
    return en if form.lang == "en" else vi


def new_form_layout() -> QFormLayout:
    layout = QFormLayout()
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    layout.setHorizontalSpacing(16)
    layout.setVerticalSpacing(8)
    return layout


def add_field(form, layout: QFormLayout, path: str, field, *, extra: QWidget | None = None,
              label: str | None = None, label_width: int = LABEL_WIDTH) -> FieldBox:
    """One labelled field under the core's path; a check box carries its label itself."""
    box = FieldBox(field, extra=extra)
    text = label if label is not None else label_of(form, path)
    if isinstance(field, CheckField):
        field.setText(text)
        layout.addRow(box)
    else:
        title = field_label(text, field)
        title.setFixedWidth(text_size.scaled(label_width))  # the labels grow with the text size
        layout.addRow(title, box)
    form.register(path, box)
    return box


def sub_heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("subHeading")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 6, 0, 0)
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setProperty("fieldHint", True)  # its colour: FORM_STYLE
    label.setWordWrap(True)
    return label


class IdentityFrame(QFrame):
    """Identity fields kept apart, on a tinted ground; hidden until the person asks to see them."""

    #: Left margin inside the frame (its border included): the labels inside are narrower by this,
    #: so the fields line up with the fields outside.
    INDENT = 11

    def __init__(self):
        super().__init__()
        self.setObjectName("identityBox")
        column = QVBoxLayout(self)
        column.setContentsMargins(self.INDENT - 1, 8, 10, 10)
        caption = QLabel(translate("CaseForm", "Thông tin nhận dạng — chỉ lưu trên máy này, không bao giờ gửi đi"))
        caption.setObjectName("identityCaption")
        caption.setWordWrap(True)
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        self.hidden_note = QLabel(translate(
            "CaseForm", "Đang ẩn. Bấm «Hiện thông tin nhận dạng» ở đầu trang để xem; mỗi lần mở xem được ghi "
                        "vào nhật ký."))
        self.hidden_note.setObjectName("identityHiddenNote")
        self.hidden_note.setWordWrap(True)
        self.fields = QWidget()
        self.layout_ = new_form_layout()
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.fields.setLayout(self.layout_)
        column.addWidget(caption)
        column.addWidget(self.hidden_note)
        column.addWidget(self.fields)

    def set_revealed(self, flag: bool) -> None:
        self.fields.setVisible(flag)
        self.hidden_note.setVisible(not flag)


def identity_frame(form, section, paths: list[tuple[str, TextField | NoteField]]) -> IdentityFrame | None:
    """The identity fields of one section, or nothing at all for a role that may not see identities."""
    if not form.identity_allowed:
        return None
    frame = IdentityFrame()
    for path, field in paths:
        add_field(form, frame.layout_, path, field, label_width=LABEL_WIDTH - IdentityFrame.INDENT)
        if not form.identity_editable:
            field.set_read_only(True)
    form.identity_frames.append(frame)
    section.body.addWidget(frame)
    return frame


def _options(form, name: str, *, definitions: bool = False) -> ChoiceCombo:
    return code_combo(form.session.reference[name], form.lang, with_definitions=definitions)


def _providers(form) -> ChoiceCombo:
    kinds = form.session.reference["provider_kind"] if "provider_kind" in form.session.reference else None
    entries = []
    for provider in form.providers:
        kind = kinds.label(provider["kind"], form.lang) if kinds is not None and provider.get("kind") else None
        entries.append((provider["id"], provider["name"], kind))
    return ChoiceCombo(entries)


# --- 1. intake --------------------------------------------------------------------------------------------------
def build_intake(form, section) -> None:
    layout = new_form_layout()
    add_field(form, layout, "intake.reported_on", DateField())
    add_field(form, layout, "intake.incident_on", DateField())
    add_field(form, layout, "intake.disclosure_channel", _options(form, "disclosure_channel"))
    add_field(form, layout, "intake.referral_source", _options(form, "disclosure_channel"))
    add_field(form, layout, "intake.taken_by", TextField(max_width=420))
    # Someone who belongs to a point records for that point (the core sees to it); others choose.
    if form.session.user.point_id is None:
        points = ChoiceCombo(((p["id"], p["name"], None) for p in form.points),
                             none_text=translate("CaseForm", "— Không thuộc điểm nào (xã trực tiếp) —"))
        add_field(form, layout, "point_id", points)
    section.body.addLayout(layout)


# --- 2. survivor -------------------------------------------------------------------------------------------------
def build_survivor(form, section) -> None:
    identity_frame(form, section, [("identity.name", TextField(max_width=420)),
                                   ("identity.address", TextField()),
                                   ("identity.phone", TextField(max_width=260)),
                                   ("identity.id_number", TextField(max_width=260))])
    layout = new_form_layout()
    age = NumberField()
    add_field(form, layout, "survivor.age", age)
    band = _options(form, "age_band")
    add_field(form, layout, "survivor.age_band", band,
              extra=hint(translate("CaseForm", "Khi đã nhập tuổi, nhóm tuổi được tính từ tuổi.")))
    # A new age makes the old group stale; the core works the group out from the age.
    age.edited.connect(lambda: band.set_value(None))
    add_field(form, layout, "survivor.sex", _options(form, "sex"))
    add_field(form, layout, "survivor.marital_status", _options(form, "marital_status"))
    add_field(form, layout, "survivor.disability", _options(form, "disability"))
    add_field(form, layout, "survivor.ethnicity", _options(form, "ethnicity"))
    add_field(form, layout, "survivor.pregnant", YesNoCombo())
    section.body.addLayout(layout)
    # What a caseworker needs to know to help (issue 18.9).
    section.body.addWidget(sub_heading(translate("CaseForm", "Hoàn cảnh")))
    layout = new_form_layout()
    add_field(form, layout, "survivor.occupation", _options(form, "occupation"))
    add_field(form, layout, "survivor.residence_status", _options(form, "residence_status"))
    add_field(form, layout, "survivor.nationality", _options(form, "nationality"))
    add_field(form, layout, "survivor.children_count", NumberField())
    add_field(form, layout, "survivor.children_at_risk", _options(form, "yes_no_unknown"))
    add_field(form, layout, "survivor.interpreter", _options(form, "interpreter_need"))
    section.body.addLayout(layout)
    identity_frame(form, section, [("identity.contact_way", TextField()),
                                   ("identity.wishes", NoteField(lines=3))])


# --- 3. incident and classification ------------------------------------------------------------------------------
def build_incident(form, section) -> None:
    layout = new_form_layout()
    add_field(form, layout, "incident.time_of_day", _options(form, "time_of_day"))
    add_field(form, layout, "incident.location_type", _options(form, "location_type"))
    types = form.session.reference["violence_type"]
    combo = _options(form, "violence_type", definitions=True)
    definition = QLabel()
    definition.setObjectName("violenceTypeDefinition")
    definition.setWordWrap(True)
    definition.setStyleSheet("color: #333333; background: #f3f6fa; border-left: 3px solid #8fa9cc; padding: 4px 8px;")
    guidance = hint(translate("CaseForm", "Nếu sự việc thuộc nhiều loại, chọn loại đứng trước trong danh sách "
                                          "(cụ thể hơn). Việc phân loại chỉ để thống kê, không quyết định việc "
                                          "hỗ trợ."))
    holder = QWidget()
    stack = QVBoxLayout(holder)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.setSpacing(4)
    stack.addWidget(definition)
    stack.addWidget(guidance)

    def show_definition(_index: int = 0) -> None:
        option = types.get(combo.value()) if combo.value() else None
        text = option.definition(form.lang) if option is not None else None
        definition.setText(text or translate("CaseForm", "Chọn một loại để xem định nghĩa ngắn."))

    combo.currentIndexChanged.connect(show_definition)
    show_definition()
    form.violence_type_definition = definition
    add_field(form, layout, "incident.violence_type", combo, extra=holder)
    add_field(form, layout, "incident.reported_elsewhere", CheckField())
    add_field(form, layout, "incident.weapon", _options(form, "weapon"))
    add_field(form, layout, "incident.abduction", _options(form, "abduction_status"))
    add_field(form, layout, "incident.money_exchanged", _options(form, "yes_no_unknown"))
    add_field(form, layout, "incident.perpetrator_previous", _options(form, "yes_no_unknown"))
    section.body.addLayout(layout)

    acts = Checklist(form.session.reference["dv_act"], form.lang, letter_key="point")
    acts_box = FieldBox(acts)
    form.register("incident.dv_acts", acts_box)
    section.body.addWidget(sub_heading(form.session.reference["dv_act"].title(form.lang)))
    section.body.addWidget(hint(translate("CaseForm", "Đánh dấu các hành vi đã xảy ra (nếu là bạo lực gia đình).")))
    section.body.addWidget(acts_box)

    identity_frame(form, section, [("identity.narrative", NoteField(lines=5))])


# --- 4. perpetrators -----------------------------------------------------------------------------------------------
def build_perpetrators(form, section) -> None:
    identity_frame(form, section, [("identity.perpetrator_names", TextField())])

    def fields():
        count = NumberField()
        count.set_value(1)
        # The relationship's labels are the longest: it gets a whole line.
        return [("relationship", label_of(form, "perpetrators[].relationship"), _options(form, "relationship"),
                 "wide"),
                ("sex", label_of(form, "perpetrators[].sex"), _options(form, "sex")),
                ("age_group", label_of(form, "perpetrators[].age_group"), _options(form, "age_band")),
                ("count", label_of(form, "perpetrators[].count"), count)]

    rows = RowList("perpetrators", fields,
                   row_title=lambda n: translate("CaseForm", "Người gây bạo lực {n}").format(n=n),
                   add_text=translate("CaseForm", "+ Thêm người gây bạo lực"),
                   remove_text=translate("CaseForm", "Xóa dòng này"),
                   empty_text=translate("CaseForm", "Chưa ghi người gây bạo lực nào."), columns=3)
    form.register_rows(rows)
    section.body.addWidget(rows)


# --- 5. consent -------------------------------------------------------------------------------------------------------
def build_consent(form, section) -> None:
    scopes = form.session.reference["consent_scope"]
    section.body.addWidget(hint(translate(
        "CaseForm", "Ghi ngày người bị bạo lực đồng ý; nếu họ rút lại sự đồng ý, ghi ngày rút. Từ ngày rút, "
                    "không chia sẻ và không thống kê thêm theo sự đồng ý đó.")))
    section.body.addWidget(hint(translate(
        "CaseForm", "Trẻ em dưới 7 tuổi: cha, mẹ hoặc người giám hộ đồng ý. Từ đủ 7 đến dưới 16 tuổi: cả trẻ và cha, "
                    "mẹ hoặc người giám hộ. Không hỏi được (khẩn cấp, người giám hộ là người gây bạo lực)? Đừng đánh "
                    "dấu đồng ý: ghi căn cứ pháp luật ở phần chuyển tuyến.")))
    for scope in CONSENT_SCOPES:
        section.body.addWidget(sub_heading(scopes.label(scope, form.lang)))
        layout = new_form_layout()
        add_field(form, layout, f"consent.{scope}.given", CheckField())
        add_field(form, layout, f"consent.{scope}.given_by", _options(form, "consent_giver"))
        add_field(form, layout, f"consent.{scope}.on", DateField())
        add_field(form, layout, f"consent.{scope}.withdrawn_on", DateField())
        section.body.addLayout(layout)
    section.body.addWidget(sub_heading(translate("CaseForm", "Giải thích việc lưu giữ thông tin")))
    section.body.addWidget(hint(translate(
        "CaseForm", "Đã nói với người bị bạo lực những thông tin nào được lưu, để làm gì, ai được xem, và quyền "
                    "xem, sửa, xóa, rút lại đồng ý (Luật 91/2025/QH15).")))
    layout = new_form_layout()
    add_field(form, layout, "privacy_notice.on", DateField())
    add_field(form, layout, "privacy_notice.by", TextField(max_width=420),
              extra=hint(translate("CaseForm", "Để trống: người đang đăng nhập.")))
    section.body.addLayout(layout)


# --- 6. services and referrals ----------------------------------------------------------------------------------------
def build_services(form, section) -> None:
    def service_fields():
        return [("service", label_of(form, "services[].service"), _options(form, "service")),
                ("status", label_of(form, "services[].status"), _options(form, "service_status")),
                ("on", label_of(form, "services[].on"), DateField()),
                ("provider_id", label_of(form, "services[].provider_id"), _providers(form))]

    services = RowList("services", service_fields,
                       row_title=lambda n: translate("CaseForm", "Dịch vụ {n}").format(n=n),
                       add_text=translate("CaseForm", "+ Thêm dịch vụ"),
                       remove_text=translate("CaseForm", "Xóa dòng này"),
                       empty_text=translate("CaseForm", "Chưa ghi dịch vụ nào."))
    form.register_rows(services)
    section.body.addWidget(sub_heading(form.session.reference["service"].title(form.lang)))
    section.body.addWidget(services)

    def referral_fields():
        return [("service", label_of(form, "referrals[].service"), _options(form, "service")),
                ("provider_id", label_of(form, "referrals[].provider_id"), _providers(form)),
                ("provider_name", label_of(form, "referrals[].provider_name"), TextField()),
                ("referred_on", label_of(form, "referrals[].referred_on"), DateField()),
                ("consent", label_of(form, "referrals[].consent"),
                 CheckField(translate("CaseForm", "Có, người bị bạo lực đồng ý"))),
                ("consent_on", label_of(form, "referrals[].consent_on"), DateField()),
                ("outcome", label_of(form, "referrals[].outcome"), _options(form, "referral_outcome")),
                ("outcome_on", label_of(form, "referrals[].outcome_on"), DateField()),
                ("legal_basis", label_of(form, "referrals[].legal_basis"), _options(form, "sharing_basis"), "wide"),
                ("basis_reason", label_of(form, "referrals[].basis_reason"), TextField(), "wide")]

    referrals = RowList("referrals", referral_fields,
                        row_title=lambda n: translate("CaseForm", "Chuyển tuyến {n}").format(n=n),
                        add_text=translate("CaseForm", "+ Thêm chuyển tuyến"),
                        remove_text=translate("CaseForm", "Xóa dòng này"),
                        empty_text=translate("CaseForm", "Chưa có chuyển tuyến nào."))
    form.register_rows(referrals)
    section.body.addWidget(sub_heading(translate("CaseForm", "Chuyển tuyến")))
    section.body.addWidget(referrals)


# --- 7. follow-ups ----------------------------------------------------------------------------------------------------
def build_follow_ups(form, section) -> None:
    def fields():
        return [("due_on", label_of(form, "follow_ups[].due_on"), DateField()),
                ("done_on", label_of(form, "follow_ups[].done_on"), DateField()),
                ("status", label_of(form, "follow_ups[].status"), _options(form, "follow_up_status")),
                ("outcome", label_of(form, "follow_ups[].outcome"), _options(form, "follow_up_outcome")),
                ("next_on", label_of(form, "follow_ups[].next_on"), DateField())]

    section.body.addWidget(hint(translate(
        "CaseForm", "Mỗi lần đã theo dõi: ghi kết quả và ngày theo dõi tiếp; lần tiếp theo được hẹn sẵn khi lưu.")))
    rows = RowList("follow_ups", fields,
                   row_title=lambda n: translate("CaseForm", "Lần theo dõi {n}").format(n=n),
                   add_text=translate("CaseForm", "+ Thêm lần theo dõi"),
                   remove_text=translate("CaseForm", "Xóa dòng này"),
                   empty_text=translate("CaseForm", "Chưa hẹn lần theo dõi nào."), columns=3)
    form.register_rows(rows)
    section.body.addWidget(rows)

    # The action plan (issue 18.3): needs, goals, who does what by when.
    section.body.addWidget(sub_heading(translate("CaseForm", "Kế hoạch hỗ trợ")))
    needs = Checklist(form.session.reference["service"], form.lang, columns=2)
    needs_box = FieldBox(needs)
    form.register("action_plan.needs", needs_box)
    section.body.addWidget(QLabel(label_of(form, "action_plan.needs")))
    section.body.addWidget(needs_box)
    layout = new_form_layout()
    add_field(form, layout, "action_plan.goals", NoteField(lines=2))
    section.body.addLayout(layout)

    def action_fields():
        return [("what", label_of(form, "action_plan.actions[].what"), TextField(), "wide"),
                ("service", label_of(form, "action_plan.actions[].service"), _options(form, "service")),
                ("provider_id", label_of(form, "action_plan.actions[].provider_id"), _providers(form)),
                ("person", label_of(form, "action_plan.actions[].person"), TextField()),
                ("due_on", label_of(form, "action_plan.actions[].due_on"), DateField()),
                ("status", label_of(form, "action_plan.actions[].status"), _options(form, "action_status")),
                ("done_on", label_of(form, "action_plan.actions[].done_on"), DateField())]

    actions = RowList("action_plan.actions", action_fields,
                      row_title=lambda n: translate("CaseForm", "Việc cần làm {n}").format(n=n),
                      add_text=translate("CaseForm", "+ Thêm việc cần làm"),
                      remove_text=translate("CaseForm", "Xóa dòng này"),
                      empty_text=translate("CaseForm", "Chưa có việc cần làm nào."), columns=3)
    form.register_rows(actions)
    section.body.addWidget(actions)

    # The supervisor's reviews: read here; written by a supervisor (a leader or an officer), apart from the save.
    section.body.addWidget(sub_heading(translate("CaseForm", "Ý kiến giám sát")))
    form.reviews_label = QLabel()
    form.reviews_label.setObjectName("caseReviews")
    form.reviews_label.setWordWrap(True)
    section.body.addWidget(form.reviews_label)
    form.review_comment = form.review_approves = form.review_button = None
    if form.session.can("case.supervise"):
        form.review_comment = NoteField(lines=2)
        form.review_comment.setObjectName("reviewComment")
        form.review_approves = CheckField(translate("CaseForm", "Đồng ý kết thúc vụ việc"))
        form.review_approves.setObjectName("reviewApprovesClosure")
        form.review_button = FormButton(translate("CaseForm", "Ghi ý kiến giám sát"))
        form.review_button.setObjectName("addReview")
        form.review_button.clicked.connect(lambda: add_review(form))
        layout = new_form_layout()
        layout.addRow(field_label(label_of(form, "review.comment"), form.review_comment), form.review_comment)
        layout.addRow(form.review_approves)
        section.body.addLayout(layout)
        row = QHBoxLayout()
        row.addWidget(form.review_button)
        row.addStretch(1)
        section.body.addLayout(row)


def add_review(form) -> None:
    """A supervisor's review, written at once (not with the case's save): the core checks the right."""
    from ui import tasks
    from ui.i18n import error_text

    if form.case_id is None:
        form.show_banner("error", translate("CaseForm", "Hãy lưu vụ việc trước khi ghi ý kiến giám sát."))
        return
    cases, case_id = form.session.cases, form.case_id
    comment, approves = form.review_comment.value(), form.review_approves.value()

    def done(case: dict) -> None:
        form.review_comment.set_value(None)
        form.review_approves.set_value(False)
        fill_management(form, case)
        form.show_banner("info", translate("CaseForm", "Đã ghi ý kiến giám sát."))

    tasks.run_in_background(lambda: cases.review(case_id, comment, approves_closure=approves), on_done=done,
                            on_error=lambda error: form.show_banner("error", error_text(error)), owner=form)


def fill_management(form, case: dict) -> None:
    """What a save does not write but the form shows: reviews, the person's other incidents, an erasure."""
    from app.validation import show_date

    reviews = case.get("reviews") or []
    if getattr(form, "reviews_label", None) is not None:
        lines = []
        for review in reviews:
            text = f"{show_date(review['on'])} — {review['by'] or ''}: {review['comment'] or ''}"
            if review["approves_closure"]:
                text += " " + translate("CaseForm", "(đồng ý kết thúc)")
            lines.append(text)
        form.reviews_label.setText("\n".join(lines) or translate("CaseForm", "Chưa có ý kiến giám sát."))
    if getattr(form, "person_label", None) is not None:
        incidents = (case.get("person") or {}).get("incidents") or []
        form.person_label.setText(
            "; ".join(f"{x['code']} ({show_date(x['reported_on'])})" for x in incidents)
            or translate("CaseForm", "Chưa liên kết với vụ việc nào khác của người này."))
        if case.get("identity_erased_on"):
            form.person_label.setText(translate("CaseForm", "Thông tin nhận dạng đã được xóa ngày {day}.").format(
                day=show_date(case["identity_erased_on"])))


# --- 8. perpetrator actions -------------------------------------------------------------------------------------------
def build_perpetrator_actions(form, section) -> None:
    def fields():
        return [("action", label_of(form, "perpetrator_actions[].action"), _options(form, "perpetrator_action")),
                ("on", label_of(form, "perpetrator_actions[].on"), DateField())]

    rows = RowList("perpetrator_actions", fields,
                   row_title=lambda n: translate("CaseForm", "Biện pháp {n}").format(n=n),
                   add_text=translate("CaseForm", "+ Thêm biện pháp xử lý"),
                   remove_text=translate("CaseForm", "Xóa dòng này"),
                   empty_text=translate("CaseForm", "Chưa ghi biện pháp xử lý nào."))
    form.register_rows(rows)
    section.body.addWidget(rows)


# --- 9. safety plan ---------------------------------------------------------------------------------------------------
def build_safety_plan(form, section) -> None:
    ref = form.session.reference
    levels = ref["risk_level"]
    section.body.addWidget(sub_heading(translate("CaseForm", "Đánh giá nguy cơ")))
    section.body.addWidget(hint(translate(
        "CaseForm", "Đánh giá khi tiếp nhận và đánh giá lại khi tình hình thay đổi. Mức độ được tính khi lưu theo "
                    "quy tắc trong danh mục (⚑: trả lời «Có» là nguy cơ cao); nguy cơ cao được đưa lên đầu danh "
                    "sách việc đến hạn.")))

    def risk_fields():
        return [("on", label_of(form, "risk_assessments[].on"), DateField()),
                ("level", label_of(form, "risk_assessments[].level"),
                 ShownText(lambda code: levels.label(code, form.lang))),
                ("answers", label_of(form, "risk_assessments[].answers"),
                 RiskAnswers(ref["risk_question"], ref["yes_no_unknown"], form.lang), "wide")]

    risks = RowList("risk_assessments", risk_fields,
                    row_title=lambda n: translate("CaseForm", "Lần đánh giá {n}").format(n=n),
                    add_text=translate("CaseForm", "+ Thêm lần đánh giá nguy cơ"),
                    remove_text=translate("CaseForm", "Xóa dòng này"),
                    empty_text=translate("CaseForm", "Chưa đánh giá nguy cơ."), columns=2)
    form.register_rows(risks)
    section.body.addWidget(risks)

    section.body.addWidget(sub_heading(translate("CaseForm", "Kế hoạch an toàn")))
    layout = new_form_layout()
    add_field(form, layout, "safety_plan.in_place", CheckField())
    add_field(form, layout, "safety_plan.on", DateField())
    add_field(form, layout, "safety_plan.agreed", YesNoCombo())
    add_field(form, layout, "safety_plan.children", _options(form, "child_safety"))
    add_field(form, layout, "safety_plan.review_on", DateField())
    section.body.addLayout(layout)
    for path, name in (("safety_plan.to_take", "safety_item"), ("safety_plan.steps", "safety_step")):
        items = Checklist(ref[name], form.lang, columns=2)
        box = FieldBox(items)
        form.register(path, box)
        section.body.addWidget(QLabel(label_of(form, path)))
        section.body.addWidget(box)
    identity_frame(form, section, [("identity.safe_places", NoteField(lines=2)),
                                   ("identity.emergency_contacts", NoteField(lines=2)),
                                   ("identity.code_word", TextField(max_width=260)),
                                   ("identity.safety_notes", NoteField(lines=4))])


# --- 10. closure ------------------------------------------------------------------------------------------------------
def build_closure(form, section) -> None:
    layout = new_form_layout()
    add_field(form, layout, "status", _options(form, "case_status"))
    section.body.addLayout(layout)
    items = Checklist(form.session.reference["closure_item"], form.lang)
    items_box = FieldBox(items)
    form.register("closure.items", items_box)
    section.body.addWidget(sub_heading(label_of(form, "closure.items")))
    section.body.addWidget(items_box)
    layout = new_form_layout()
    add_field(form, layout, "closure.knows_can_return", YesNoCombo(),
              extra=hint(translate("CaseForm", "Đã nói với người bị bạo lực rằng có thể quay lại xin hỗ trợ bất cứ "
                                               "lúc nào.")))
    add_field(form, layout, "closure.closed_on", DateField(),
              extra=hint(translate("CaseForm", "Kết thúc vụ việc cần ý kiến đồng ý của người giám sát (phần Theo dõi "
                                               "và kế hoạch hỗ trợ).")))
    add_field(form, layout, "duplicate_of", CaseReferenceField(form.session.cases, max_width=300),
              extra=hint(translate("CaseForm", "Chỉ ghi khi trạng thái là trùng lặp: mã của vụ việc đã ghi trước.")))
    section.body.addLayout(layout)
    section.body.addWidget(sub_heading(translate("CaseForm", "Mở lại vụ việc đã kết thúc")))
    layout = new_form_layout()
    add_field(form, layout, "reopen.reason", _options(form, "reopen_reason"))
    add_field(form, layout, "reopen.on", DateField())
    section.body.addLayout(layout)
    section.body.addWidget(sub_heading(translate("CaseForm", "Các vụ việc khác của cùng người")))
    form.person_label = QLabel()
    form.person_label.setObjectName("personIncidents")
    form.person_label.setWordWrap(True)
    section.body.addWidget(form.person_label)
    # The person's right to erasure (Law 91/2025): for whoever may delete cases and write identities.
    form.erase_button = None
    if form.session.can("case.delete") and form.session.can("identity.write"):
        section.body.addWidget(sub_heading(translate("CaseForm", "Quyền của người có thông tin")))
        section.body.addWidget(hint(translate(
            "CaseForm", "Khi người đó yêu cầu, hoặc đã quá thời hạn lưu giữ sau khi kết thúc: xóa hẳn thông tin "
                        "nhận dạng (cả trong các bản sao lưu). Số liệu không nhận dạng vẫn được giữ và vẫn được "
                        "thống kê.")))
        form.erase_button = FormButton(translate("CaseForm", "Xóa thông tin nhận dạng…"))
        form.erase_button.setObjectName("eraseIdentity")
        form.erase_button.clicked.connect(lambda: ask_erase(form))
        row = QHBoxLayout()
        row.addWidget(form.erase_button)
        row.addStretch(1)
        section.body.addLayout(row)


def ask_erase(form) -> None:
    """Ask once, plainly, then erase the identity on the worker; the form shows what is left."""
    from ui import tasks
    from ui.i18n import error_text
    from ui.qt import QMessageBox

    if form.case_id is None:
        return
    box = QMessageBox(form)
    box.setObjectName("eraseIdentityBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("CaseForm", "Xóa thông tin nhận dạng"))
    box.setText(translate("CaseForm", "Xóa hẳn họ tên, địa chỉ, số điện thoại, diễn biến và mọi thông tin nhận dạng "
                                      "của vụ việc {code}? Không thể khôi phục.").format(code=form.code))
    erase = box.addButton(translate("CaseForm", "Xóa hẳn"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(translate("CaseForm", "Không xóa"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    cases, case_id = form.session.cases, form.case_id

    def erased(case: dict) -> None:
        form.rev = case["rev"]
        for path, field_box in form.boxes.items():
            if path.startswith("identity."):
                field_box.field.set_value(None)
        fill_management(form, case)
        form.refresh_snapshot()
        form.show_banner("info", translate("CaseForm", "Đã xóa thông tin nhận dạng; số liệu vẫn được giữ."))

    def answered(_result) -> None:
        if box.clickedButton() is erase:
            tasks.run_in_background(lambda: cases.erase_identity(case_id), on_done=erased,
                                    on_error=lambda error: form.show_banner("error", error_text(error)), owner=form)
        box.deleteLater()

    box.finished.connect(answered)
    form.erase_box = box
    box.open()
