"""The case form's sections: described in `data/forms/case.toml`, drawn by the form engine (issue 18.10).

What the data cannot say is here, registered with the engine by name: the inputs of kinds only the case
form has (`WIDGETS`: the point, a case code, the type of violence with its definition, a provider, the risk
level and answers), the identity frame (`FRAMES`), and the parts built in code (`BUILDERS`: the supervisor's
reviews, the person's other incidents, the erasure). Fields are registered with the form under the core's field paths,
labelled from the core's `LABELS`, so that the form and the core's messages name a field the same way.
Strings of our own go through `translate("CaseForm", …)`.
"""

from __future__ import annotations

from app.cases.fields import LABELS
from app.forms import FormItem, FormSpec, load_form
from ui.cases.form_widgets import (CaseReferenceField, CheckField, ChoiceCombo, FieldBox, FormButton, NoteField,
                                   RiskAnswers, ShownText, TextField, code_combo, field_label)
from ui.forms.engine import LABEL_WIDTH, FormEngine, hint, new_form_layout, sub_heading
from ui.i18n import translate
from ui.qt import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


def case_form_spec() -> FormSpec:
    return load_form("case")


def make_engine(form, spec: FormSpec) -> FormEngine:
    return FormEngine(spec, lang=form.lang, reference=form.session.reference, labels=LABELS, widgets=WIDGETS,
                      builders=BUILDERS, frames=FRAMES)


def build_section(form, section) -> None:
    """Section `section.key`'s fields and parts, in the order the data gives."""
    form.engine.build_section(form, section.key, section.body)


def label_of(form, path: str) -> str:
    vi, en = LABELS[path]
    return en if form.lang == "en" else vi


def add_field(form, layout, path: str, field, *, extra: QWidget | None = None, label: str | None = None,
              label_width: int = LABEL_WIDTH) -> FieldBox:
    """One labelled field under the core's path; a check box carries its label itself."""
    from ui import text_size

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


# --- inputs only the case form has (kinds in data/forms/case.toml) ------------------------------------------------
def point_field(form, item: FormItem) -> ChoiceCombo | None:
    """Someone who belongs to a point records for that point (the core sees to it); others choose."""
    if form.session.user.point_id is not None:
        return None
    return ChoiceCombo(((p["id"], p["name"], None) for p in form.points),
                       none_text=translate("CaseForm", "— Không thuộc điểm nào (xã trực tiếp) —"))


def case_reference_field(form, item: FormItem) -> CaseReferenceField:
    return CaseReferenceField(form.session.cases, max_width=item.option("max_width"))


def violence_type_field(form, item: FormItem) -> tuple[ChoiceCombo, QWidget]:
    """The type of violence, with the chosen type's short definition and the rule for choosing under it."""
    types = form.session.reference[item.list or "violence_type"]
    combo = _options(form, item.list or "violence_type", definitions=True)
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
    return combo, holder


def provider_field(form, item: FormItem) -> ChoiceCombo:
    """The registry's providers, each with its kind."""
    return _providers(form)


def risk_level_field(form, item: FormItem) -> ShownText:
    """The level the core works out from the answers: shown, never typed."""
    levels, lang = form.session.reference[item.list or "risk_level"], form.lang
    return ShownText(lambda code: levels.label(code, lang))


def risk_answers_field(form, item: FormItem) -> RiskAnswers:
    ref = form.session.reference
    return RiskAnswers(ref[item.list or "risk_question"], ref["yes_no_unknown"], form.lang)


# --- the parts built in code --------------------------------------------------------------------------------------
def build_reviews(form, section) -> None:
    """The supervisor's reviews: read here; written by a supervisor (a leader or an officer), apart from the save."""
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


def build_person_incidents(form, section) -> None:
    section.body.addWidget(sub_heading(translate("CaseForm", "Các vụ việc khác của cùng người")))
    form.person_label = QLabel()
    form.person_label.setObjectName("personIncidents")
    form.person_label.setWordWrap(True)
    section.body.addWidget(form.person_label)


def build_erasure(form, section) -> None:
    """The person's right to erasure (Law 91/2025): for whoever may delete cases and write identities."""
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


#: What data/forms/case.toml names and only the case form knows how to draw.
WIDGETS = {"point": point_field, "case_reference": case_reference_field, "violence_type": violence_type_field,
           "provider": provider_field, "risk_level": risk_level_field, "risk_answers": risk_answers_field}
FRAMES = {"identity": identity_frame}
BUILDERS = {"reviews": build_reviews, "person_incidents": build_person_incidents, "erasure": build_erasure}
