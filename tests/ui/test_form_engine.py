"""One form engine draws the case form and the activity form from data/forms (issue 18.10): a field added to
the data is on the form, labelled and named; `shown_when` follows what a person types; required fields are
marked on the screen and to a screen reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import forms
from app.cases.fields import LABELS
from app.forms import check_form, load_form
from ui.activities.form import QUANTITY_GROUPS, ActivityForm
from ui.cases import form_sections
from ui.cases.form import CaseForm
from ui.forms.engine import REQUIRED_MARK
from ui.qt import QApplication, QComboBox, QLabel, Qt, QWidget

ROOT = Path(__file__).resolve().parents[2]


def case_form(qtbot, session, case=None) -> CaseForm:
    form = CaseForm(session, case)
    qtbot.addWidget(form)
    return form


def label_for(form, path: str) -> QLabel:
    """The label a person sees beside the field at `path`."""
    field = form.boxes[path].field
    labels = [label for label in form.findChildren(QLabel) if label.buddy() is field]
    assert len(labels) == 1, path
    return labels[0]


def required_mark(form, path: str) -> QLabel | None:
    """The mark after the label of a required field, or None."""
    holder = label_for(form, path).parentWidget()
    if holder is None or holder.objectName() != "requiredLabel":
        return None
    return holder.findChild(QLabel, "requiredMark")


def focused() -> QWidget:
    return QApplication.focusWidget()


def choose(qtbot, combo: QComboBox, value) -> None:
    """Pick an entry with the arrow keys, as a person would."""
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentData() == value


# --- the data and what the window registers ---------------------------------------------------------------------
def test_every_kind_and_builder_the_case_data_names_is_one_the_window_draws(qtbot, session):
    form = case_form(qtbot, session)
    spec = load_form("case")
    assert check_form(spec, LABELS, session.reference, kinds=form.engine.kinds(),
                      builders=frozenset(form_sections.BUILDERS)) == []
    assert form.SECTION_KEYS == tuple(section.key for section in spec.sections)
    assert [form.section_list.item(i).text() for i in range(form.section_list.count())] == [
        f"{n}. {section.title[0]}" for n, section in enumerate(spec.sections, start=1)]
    # Every field the data describes is on the form under its path (the identity ones too, for this role).
    for item in spec.items():
        if item.kind == "rows":
            assert item.path in form.row_lists, item.path
        elif item.path and "[]" not in item.path and item.kind not in ("heading", "hint", "custom", "group"):
            assert item.path in form.boxes, item.path


def test_the_activity_form_is_drawn_from_its_data_too(qtbot, session):
    from app.activities import LABELS as ACTIVITY_LABELS

    form = ActivityForm(session)
    qtbot.addWidget(form)
    spec = load_form("activity")
    assert check_form(spec, ACTIVITY_LABELS, session.reference, kinds=form.engine.kinds(),
                      builders=frozenset(form.engine.builders)) == []
    assert set(spec.paths()) == set(form.boxes)
    assert form.boxes["target_groups"].field.objectName() == "target_groups"
    assert label_for(form, "organiser").text() == "Đơn vị tổ chức"
    # The quantity's condition is the groups counted in copies, items or broadcasts.
    (condition,) = spec.section("who").items[2].shown_when
    assert set(condition.values) == set(QUANTITY_GROUPS)


# --- a field added to the data ------------------------------------------------------------------------------------
def test_a_field_added_to_the_data_is_on_the_form_with_its_label_and_its_name(qtbot, session, tmp_path,
                                                                              monkeypatch, type_text):
    root = tmp_path / "forms"
    shutil.copytree(ROOT / "data" / "forms", root)
    text = (root / "case.toml").read_text(encoding="utf-8")
    new_item = ('[[section.item]]\npath = "intake.place_note"\nkind = "text"\nrequired = true\n\n'
                '[[section.item]]  # only for someone who belongs to no point')
    (root / "case.toml").write_text(text.replace("[[section.item]]  # only for someone who belongs to no point",
                                                 new_item, 1), encoding="utf-8")
    monkeypatch.setattr(forms, "FORMS_ROOT", root)
    # The core's field comes first (its label; here without its check and migration: the form only).
    monkeypatch.setitem(LABELS, "intake.place_note", ("Nơi tiếp nhận cụ thể", "Exact place of intake"))

    form = case_form(qtbot, session)
    assert "intake.place_note" in form.boxes
    field = form.boxes["intake.place_note"].field
    label = label_for(form, "intake.place_note")
    assert label.text() == "Nơi tiếp nhận cụ thể"
    assert required_mark(form, "intake.place_note").text() == REQUIRED_MARK
    assert field.accessibleName() == "Nơi tiếp nhận cụ thể"
    assert "Bắt buộc" in field.accessibleDescription()
    assert form.section_of(field) == 0
    # In the order the data gives: after «Người tiếp nhận», before the point.
    paths = [p for p in form.boxes if p.startswith(("intake.", "point_id"))]
    assert paths.index("intake.place_note") == paths.index("intake.taken_by") + 1
    field.setFocus()
    type_text(field, "Trạm y tế xã")
    assert form.collect()["intake"]["place_note"] == "Trạm y tế xã"


def test_a_field_added_to_a_repeated_part_is_in_each_new_row(qtbot, session, tmp_path, monkeypatch, type_text):
    root = tmp_path / "forms"
    shutil.copytree(ROOT / "data" / "forms", root)
    text = (root / "case.toml").read_text(encoding="utf-8")
    count = '    { path = "perpetrators[].count", kind = "number", default = 1 },\n'
    assert count in text
    (root / "case.toml").write_text(text.replace(count, count + '    { path = "perpetrators[].note", kind = "text" },\n'),
                                    encoding="utf-8")
    monkeypatch.setattr(forms, "FORMS_ROOT", root)
    monkeypatch.setitem(LABELS, "perpetrators[].note", ("Ghi chú về người gây bạo lực", "Note on the perpetrator"))

    form = case_form(qtbot, session)
    rows = form.row_lists["perpetrators"]
    rows.add_button.click()
    card = rows.cards[-1]
    assert list(card.boxes) == ["relationship", "sex", "age_group", "count", "note"]
    note = card.boxes["note"].field
    assert note.accessibleName() == "Ghi chú về người gây bạo lực"
    assert card.boxes["count"].field.value() == "1"  # the data's default for a new row
    note.setFocus()
    type_text(note, "Anh rể")
    assert form.collect()["perpetrators"][-1]["note"] == "Anh rể"


def test_without_the_data_file_the_form_says_so(qtbot, session, tmp_path, monkeypatch):
    monkeypatch.setattr(forms, "FORMS_ROOT", tmp_path)
    with pytest.raises(FileNotFoundError):
        CaseForm(session)


# --- shown when ----------------------------------------------------------------------------------------------------
def test_a_field_is_shown_as_a_person_changes_the_field_it_depends_on_and_hidden_saved_empty(qtbot, session):
    form = case_form(qtbot, session)
    form.show()
    qtbot.waitExposed(form)
    duplicate = form.boxes["duplicate_of"]
    assert not duplicate.isVisibleTo(form)  # an open case, not reported elsewhere
    assert not form.engine.shown("duplicate_of")

    choose(qtbot, form.boxes["status"].field, "duplicate")
    assert duplicate.isVisibleTo(form)
    assert label_for(form, "duplicate_of").isVisibleTo(form)
    duplicate.field.setFocus()
    qtbot.keyClicks(duplicate.field, "TN01-2025-00012")
    assert form.collect()["duplicate_of"] == "TN01-2025-00012"

    choose(qtbot, form.boxes["status"].field, "open")
    assert not duplicate.isVisibleTo(form)
    assert not label_for(form, "duplicate_of").isVisibleTo(form)
    assert form.collect()["duplicate_of"] is None  # hidden: nothing stale is saved

    # The other condition: a case also reported to another agency names that agency's record of it.
    elsewhere = form.boxes["incident.reported_elsewhere"].field
    elsewhere.setFocus()
    qtbot.keyClick(elsewhere, Qt.Key.Key_Space)
    assert elsewhere.value() is True
    assert duplicate.isVisibleTo(form)
    assert form.collect()["duplicate_of"] == "TN01-2025-00012"


def test_the_activity_s_quantity_follows_the_kind_chosen(qtbot, session):
    form = ActivityForm(session)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    kinds = session.reference["activity_kind"]
    counted = next(o.code for o in kinds if o.get("group") in QUANTITY_GROUPS)
    not_counted = next(o.code for o in kinds if o.get("group") not in QUANTITY_GROUPS)
    assert not form.quantity_shown()
    choose(qtbot, form.kind_combo, counted)
    assert form.quantity_shown()
    choose(qtbot, form.kind_combo, not_counted)
    assert not form.quantity_shown()


# --- required ------------------------------------------------------------------------------------------------------
def test_required_fields_are_marked_on_the_screen_and_to_a_screen_reader(qtbot, session):
    form = case_form(qtbot, session)
    for path in ("intake.reported_on", "intake.disclosure_channel", "survivor.sex", "incident.violence_type"):
        assert label_for(form, path).text() == LABELS[path][0], path  # the core's words, as before
        mark = required_mark(form, path)
        assert mark is not None and mark.text() == REQUIRED_MARK, path
        assert mark.isVisibleTo(form)
        field = form.boxes[path].field
        assert field.accessibleName() == LABELS[path][0], path  # the name is the label's words, no mark
        assert "Bắt buộc" in field.accessibleDescription(), path
    for path in ("intake.incident_on", "survivor.age"):
        assert label_for(form, path).text() == LABELS[path][0]
        assert required_mark(form, path) is None
        assert "Bắt buộc" not in form.boxes[path].field.accessibleDescription()
    # A hint and the mark together: both said.
    violence = form.boxes["incident.violence_type"].field.accessibleDescription()
    assert "chọn loại đứng trước" in violence

    activity = ActivityForm(session)
    qtbot.addWidget(activity)
    assert label_for(activity, "kind").text() == "Loại hoạt động"
    assert required_mark(activity, "kind") is not None
    assert required_mark(activity, "topic") is None
    assert activity.boxes["kind"].field.accessibleName() == "Loại hoạt động"
    assert "Bắt buộc" in activity.boxes["title"].field.accessibleDescription()
