"""«Trùng với vụ việc» is a reference to one of the node's own cases (an id, chosen by its code), never free text:
a name or a phone typed there is refused at home, never leaves, and is not kept even aside at the parent."""

import pytest

from app import sync_allow
from app.cases.validate import clean_case
from app.errors import ValidationFailed
from sync import importer, package
from tests.conftest import sample_case
from tests.sync.conftest import add_case
from tests.sync.test_strict_import import forging

TYPED = "Nguyen.Thi.Hoa-0912345678"


def as_duplicate(original_id):
    return sample_case(status="duplicate", duplicate_of=original_id, follow_ups=[])


def test_free_text_is_refused_at_home_and_an_id_or_a_known_code_is_taken(tree):
    session = tree.commune
    original = add_case(session)
    unknown = "01a250b9-0000-7000-8000-000000000000"  # shaped like an id, but no case of this node
    for typed in (TYPED, "Nguyễn Thị Hoa 0912 345 678", "0912345678", unknown, original["code"] + "9"):
        with pytest.raises(ValidationFailed) as refused:
            session.cases.save(as_duplicate(typed))
        assert "duplicate_of" in refused.value.by_field()
    saved = session.cases.save(as_duplicate(original["id"]))
    assert saved["duplicate_of"] == original["id"]
    # The form names the original by its code (spaces around it trimmed): the case's id is what is stored.
    by_code = session.cases.save(as_duplicate(original["code"] + " "))
    assert by_code["duplicate_of"] == original["id"]

    def find_case(text):
        found = session.cases.find_by_code(text)
        return found["id"] if found else None
    cleaned = clean_case(as_duplicate(original["code"]), session.reference, session.cases.today(),
                         find_case=find_case)
    assert cleaned["duplicate_of"] == original["id"]
    with pytest.raises(ValidationFailed):
        clean_case(as_duplicate("XX-2025-99999"), session.reference, session.cases.today(), find_case=find_case)


def test_a_value_typed_before_it_became_a_reference_stays_home(tree):
    case = add_case(tree.commune)
    tree.commune.store.execute("UPDATE cases SET status = 'duplicate', duplicate_of = ? WHERE id = ?",
                               (TYPED, case["id"]))
    with tree.commune.store.lock:
        assert sync_allow.outgoing(tree.commune.store.conn, "cases", case["id"])["duplicate_of"] is None
    data = package.build(tree.commune)[0].data
    importer.import_package(tree.province, data)
    assert tree.province.store.scalar("SELECT count(*) FROM cases WHERE duplicate_of IS NOT NULL") == 0


def test_a_typed_value_arriving_is_kept_aside_without_its_value(tree, monkeypatch):
    case = add_case(tree.commune)
    tree.commune.cases.save({**tree.commune.cases.get(case["id"]), "status": "duplicate", "follow_ups": []})
    forging(monkeypatch, "cases", lambda r: r.update(duplicate_of=TYPED))
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["malformed"]
    stored = tree.province.store.query("SELECT record, detail FROM kept_aside")
    assert TYPED not in stored[0]["record"] and "0912345678" not in stored[0]["detail"]


def test_the_form_field_turns_a_code_into_the_case_s_id(qtbot, tree):
    from ui.cases.form_widgets import CaseReferenceField

    original = add_case(tree.commune)
    field = CaseReferenceField(tree.commune.cases)
    qtbot.addWidget(field)
    qtbot.keyClicks(field, original["code"])
    assert field.value() == original["id"]
    field.set_value(original["id"])
    assert field.text() == original["code"]
    field.clear()
    qtbot.keyClicks(field, TYPED)
    assert field.value() == TYPED  # handed to the core as typed, which refuses it (never stored)
