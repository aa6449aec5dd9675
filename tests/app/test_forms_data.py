"""The forms described in data/forms (issue 18.10): every field a real field of the core's, every list in the
reference data, every condition on a field of the same form; and the check itself finds what is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import forms
from app.activities import LABELS as ACTIVITY_LABELS
from app.cases.fields import LABELS as CASE_LABELS
from app.forms import check_form, load_form
from app.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
FORMS = {"case": CASE_LABELS, "activity": ACTIVITY_LABELS}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_path_list_and_condition_of_the_shipped_forms_is_the_core_s(name):
    spec = load_form(name)
    assert spec.sections and spec.paths()
    assert check_form(spec, FORMS[name], load_reference(), kinds=None) == []
    for path in spec.paths():
        vi, en = FORMS[name][path]
        assert vi.strip() and en.strip(), path
    for section in spec.sections:
        assert section.title[0].strip() and section.title[1].strip(), section.key


def test_every_field_of_the_case_has_a_place_on_the_case_form():
    # A field the core records but no one can type would be a field added to the core and forgotten here.
    not_typed = {"risk_assessments[].by"}  # filled by the core with whoever assesses
    assert set(CASE_LABELS) - set(load_form("case").paths()) == not_typed


def test_required_fields_are_those_the_core_refuses_to_save_without():
    from app.cases.validate import clean_case
    from app.errors import ValidationFailed
    from datetime import date

    with pytest.raises(ValidationFailed) as failed:
        clean_case({"intake": {}, "survivor": {}, "incident": {}}, load_reference(), date(2025, 6, 1))
    refused = {error.path for error in failed.value.errors}
    assert set(load_form("case").required_paths()) <= refused
    assert {"kind", "title"} <= set(load_form("activity").required_paths())


def _copy(tmp_path) -> Path:
    root = tmp_path / "forms"
    shutil.copytree(ROOT / "data" / "forms", root)
    return root


def test_the_check_finds_a_path_a_list_a_kind_and_a_condition_that_are_not_there(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    with (root / "case.toml").open("a", encoding="utf-8") as out:
        out.write('\n[[section.item]]\npath = "closure.wishes"\nkind = "choice"\nlist = "no_such_list"\n'
                  'shown_when = { path = "survivor.shoe_size", in = [1] }\n'
                  '\n[[section.item]]\npath = "status"\nkind = "slider"\n')
    monkeypatch.setattr(forms, "FORMS_ROOT", root)  # what load_form reads when not told
    problems = check_form(load_form("case"), CASE_LABELS, load_reference(), kinds=forms.FIELD_KINDS)
    assert "closure.wishes: not a field of the core's" in problems
    assert "closure.wishes: no reference list 'no_such_list'" in problems
    assert "closure.wishes: shown when 'survivor.shoe_size', not a field of this form" in problems
    assert "status: no one draws the kind 'slider'" in problems
    assert "field 'status' appears twice" in problems


def test_words_must_be_given_in_both_languages(tmp_path):
    root = _copy(tmp_path)
    text = (root / "activity.toml").read_text(encoding="utf-8")
    (root / "activity.toml").write_text(text.replace('en = "Activity" }', 'english = "Activity" }', 1),
                                        encoding="utf-8")
    with pytest.raises(ValueError, match="vi"):
        load_form("activity", root)
