"""The ten sections of the case form, built in the order of the work.

Each `build_<section>(form, section)` adds its fields to `section` and registers
them with the form under the core's field paths, labelled from the core's
`LABELS` so that the form and the core's messages name a field the same way.
Strings of our own go through `translate("CaseForm", …)`.
"""

from __future__ import annotations

from app.cases.fields import CONSENT_SCOPES, LABELS
from ui.cases.form_widgets import (CaseReferenceField, CheckField, ChoiceCombo, Checklist, DateField, FieldBox,
                                   NoteField, NumberField, RowList, TextField, YesNoCombo, code_combo, field_label)
from ui import text_size
from ui.i18n import translate
from ui.qt import QFormLayout, QFrame, QLabel, Qt, QVBoxLayout, QWidget

LABEL_WIDTH = 230


def section_title(key: str) -> str:
    return {
        "intake": translate("CaseForm", "Tiếp nhận"),
        "survivor": translate("CaseForm", "Người bị bạo lực"),
        "incident": translate("CaseForm", "Sự việc và phân loại"),
        "perpetrators": translate("CaseForm", "Người gây bạo lực"),
        "consent": translate("CaseForm", "Sự đồng ý"),
        "services": translate("CaseForm", "Dịch vụ và chuyển tuyến"),
        "follow_ups": translate("CaseForm", "Theo dõi"),
        "perpetrator_actions": translate("CaseForm", "Xử lý người gây bạo lực"),
        "safety_plan": translate("CaseForm", "Kế hoạch an toàn"),
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
    for scope in CONSENT_SCOPES:
        section.body.addWidget(sub_heading(scopes.label(scope, form.lang)))
        layout = new_form_layout()
        add_field(form, layout, f"consent.{scope}.given", CheckField())
        add_field(form, layout, f"consent.{scope}.on", DateField())
        add_field(form, layout, f"consent.{scope}.withdrawn_on", DateField())
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
                ("outcome_on", label_of(form, "referrals[].outcome_on"), DateField())]

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
                ("status", label_of(form, "follow_ups[].status"), _options(form, "follow_up_status"))]

    rows = RowList("follow_ups", fields,
                   row_title=lambda n: translate("CaseForm", "Lần theo dõi {n}").format(n=n),
                   add_text=translate("CaseForm", "+ Thêm lần theo dõi"),
                   remove_text=translate("CaseForm", "Xóa dòng này"),
                   empty_text=translate("CaseForm", "Chưa hẹn lần theo dõi nào."), columns=3)
    form.register_rows(rows)
    section.body.addWidget(rows)


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
    layout = new_form_layout()
    add_field(form, layout, "safety_plan.in_place", CheckField())
    add_field(form, layout, "safety_plan.on", DateField())
    section.body.addLayout(layout)
    identity_frame(form, section, [("identity.safety_notes", NoteField(lines=4))])


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
    add_field(form, layout, "closure.closed_on", DateField())
    add_field(form, layout, "duplicate_of", CaseReferenceField(form.session.cases, max_width=300),
              extra=hint(translate("CaseForm", "Chỉ ghi khi trạng thái là trùng lặp: mã của vụ việc đã ghi trước.")))
    section.body.addLayout(layout)
