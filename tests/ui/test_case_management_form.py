"""The case form's case-management parts (issue 18), filled as a person fills them: clicks, typing, arrow keys."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import CANARY_NAME, sample_case
from tests.ui.test_case_form import (activate, choose, field, fill_valid, login_as, open_page, opened_form,
                                     stored_case)  # noqa: F401 - a fixture
from ui.cases.form import CaseForm
from ui.overview.page import OverviewPage, load_overview
from ui.qt import QApplication, QMessageBox, Qt


def click(qtbot, widget) -> None:
    """Tick a box or press a button from the keyboard (it may be scrolled out of the form's view)."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def pick(qtbot, combo, value) -> None:
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    choose(qtbot, combo, value)


_typist = []


@pytest.fixture(autouse=True)
def _typing(type_text):
    _typist[:] = [type_text]  # letters with Vietnamese marks arrive as an input method sends them
    yield
    _typist.clear()


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    _typist[0](widget, text)


def test_a_childs_case_is_filled_part_by_part_and_every_part_is_stored(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    # The caseworker's facts and the ways to reach her safely.
    type_into(qtbot, field(form, "survivor.age"), "12")
    pick(qtbot, field(form, "survivor.occupation"), "student")
    pick(qtbot, field(form, "survivor.residence_status"), "temporary_resident")
    pick(qtbot, field(form, "survivor.interpreter"), "sign_language")
    type_into(qtbot, field(form, "identity.contact_way"), "Qua cô giáo chủ nhiệm, giờ ra chơi")
    pick(qtbot, field(form, "incident.weapon"), "blunt_object")
    pick(qtbot, field(form, "incident.perpetrator_previous"), "yes")
    # Consent: a child of 12 consents with her guardian.
    click(qtbot, field(form, "consent.services.given"))
    pick(qtbot, field(form, "consent.services.given_by"), "survivor")
    type_into(qtbot, field(form, "privacy_notice.on"), "10032025")
    form.save()
    assert "consent.services.given_by" in form.field_errors(), (form.banner.text(), form.collect()["survivor"],
                                                                form.collect()["consent"])
    pick(qtbot, field(form, "consent.services.given_by"), "both")
    # A risk assessment: one red flag.
    risks = form.row_lists["risk_assessments"]
    click(qtbot, risks.add_button)
    card = risks.cards[0]
    type_into(qtbot, card.boxes["on"].field, "10032025")
    pick(qtbot, card.boxes["answers"].field.combos["threat_to_kill"], "yes")
    pick(qtbot, card.boxes["answers"].field.combos["isolation"], "no")
    # The safety plan's parts, its places kept as identity.
    click(qtbot, field(form, "safety_plan.in_place"))
    click(qtbot, field(form, "safety_plan.to_take").boxes["id_papers"])
    click(qtbot, field(form, "safety_plan.steps").boxes["escape_route"])
    pick(qtbot, field(form, "safety_plan.children"), "in_plan")
    type_into(qtbot, field(form, "safety_plan.review_on"), "10042025")
    type_into(qtbot, field(form, "identity.code_word"), "mua muối")
    type_into(qtbot, field(form, "identity.safe_places"), f"Nhà bác {CANARY_NAME}")
    # The action plan: a need, a goal, one action with its date.
    click(qtbot, field(form, "action_plan.needs").boxes["psychosocial_counselling"])
    type_into(qtbot, field(form, "action_plan.goals"), "Em được an toàn ở trường và ở nhà")
    actions = form.row_lists["action_plan.actions"]
    click(qtbot, actions.add_button)
    type_into(qtbot, actions.cards[0].boxes["what"].field, "Tư vấn tâm lý tại trường")
    type_into(qtbot, actions.cards[0].boxes["due_on"].field, "20032025")
    form.save()
    assert form.field_errors() == {}, form.banner.text()

    stored = session.cases.get(form.case_id, with_identity=True)
    assert stored["survivor"]["occupation"] == "student" and stored["survivor"]["interpreter"] == "sign_language"
    assert stored["incident"]["weapon"] == "blunt_object"
    assert stored["consent"]["services"]["given_by"] == "both"
    assert stored["privacy_notice"] == {"on": "2025-03-10", "by": "Quản trị thử"}
    assert stored["risk_assessments"][0]["level"] == "high"
    assert stored["safety_plan"]["to_take"] == ["id_papers"] and stored["safety_plan"]["children"] == "in_plan"
    assert stored["identity"]["code_word"] == "mua muối"
    assert stored["identity"]["contact_way"] == "Qua cô giáo chủ nhiệm, giờ ra chơi"
    assert stored["action_plan"]["actions"][0]["what"] == "Tư vấn tâm lý tại trường"
    assert stored["action_plan"]["needs"] == ["psychosocial_counselling"]
    # The level the core worked out is shown on the assessment's card.
    assert form.row_lists["risk_assessments"].cards[0].boxes["level"].field.text() == "Cao"


def test_a_referral_without_consent_is_saved_with_its_legal_basis(qtbot, session):
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    referrals = form.row_lists["referrals"]
    click(qtbot, referrals.add_button)
    card = referrals.cards[0]
    pick(qtbot, card.boxes["service"].field, "health_care")
    type_into(qtbot, card.boxes["referred_on"].field, "10032025")
    form.save()
    assert "referrals[0].consent" in form.field_errors()
    pick(qtbot, card.boxes["legal_basis"].field, "emergency_life_health")
    type_into(qtbot, card.boxes["basis_reason"].field, "Bất tỉnh khi được đưa đến")
    form.save()
    assert form.field_errors() == {}, form.banner.text()
    stored = session.cases.get(form.case_id)
    assert stored["referrals"][0]["legal_basis"] == "emergency_life_health"
    assert stored["referrals"][0]["consent"] is False


def test_a_follow_up_done_asks_for_its_outcome_and_plans_the_next(qtbot, session, stored_case):
    page = open_page(qtbot, session)
    form = opened_form(qtbot, page, lambda: page.open_case(stored_case["id"]))
    activate(qtbot, form)
    card = form.row_lists["follow_ups"].cards[0]
    type_into(qtbot, card.boxes["done_on"].field, "10042025")
    pick(qtbot, card.boxes["status"].field, "done")
    form.save()
    assert "follow_ups[0].outcome" in form.field_errors()
    pick(qtbot, card.boxes["outcome"].field, "progress")
    type_into(qtbot, card.boxes["next_on"].field, "10052025")
    form.save()
    assert form.field_errors() == {}, form.banner.text()
    assert len(form.row_lists["follow_ups"].cards) == 2  # the next one, planned by the core, is shown
    assert session.cases.get(stored_case["id"])["derived"]["next_follow_up"] == "2025-05-10"


def test_a_leader_approves_the_closure_in_the_form_and_the_cadre_then_closes(qtbot, session, new_node):
    case = session.cases.save(sample_case(point_id="p1"))
    leader = login_as(session, new_node, "lanhdao", "leader")
    cadre = login_as(session, new_node, "canbo", "cadre", point_id="p1")
    try:
        form = CaseForm(leader, leader.cases.get(case["id"]))
        qtbot.addWidget(form)
        activate(qtbot, form)
        assert not form.save_button.isVisible()  # read only for a leader, but she may review
        type_into(qtbot, form.review_comment, "Nhu cầu đã đáp ứng; đồng ý kết thúc.")
        click(qtbot, form.review_approves)
        click(qtbot, form.review_button)
        assert "Nhu cầu đã đáp ứng" in form.reviews_label.text() and "đồng ý kết thúc" in form.reviews_label.text()

        form = CaseForm(cadre, cadre.cases.get(case["id"]))
        qtbot.addWidget(form)
        activate(qtbot, form)
        assert form.review_button is None  # a cadre does not supervise
        assert "Nhu cầu đã đáp ứng" in form.reviews_label.text()
        pick(qtbot, field(form, "status"), "closed")
        click(qtbot, field(form, "closure.items").boxes["needs_met"])
        type_into(qtbot, field(form, "closure.closed_on"), "30042025")
        pick(qtbot, field(form, "closure.knows_can_return"), True)
        form.save()
        assert form.field_errors() == {}, form.banner.text()
        stored = cadre.cases.get(case["id"])
        assert stored["status"] == "closed" and stored["closure"]["knows_can_return"] is True
    finally:
        leader.close()
        cadre.close()


def test_a_second_case_of_the_same_person_is_proposed_and_linked_when_the_officer_says_so(qtbot, session):
    first = session.cases.save(sample_case())
    form = CaseForm(session)
    qtbot.addWidget(form)
    activate(qtbot, form)
    fill_valid(form)
    field(form, "identity.name").set_value(None)
    type_into(qtbot, field(form, "identity.name"), CANARY_NAME)
    type_into(qtbot, field(form, "identity.phone"), "0912345678")
    form.save()
    assert form.field_errors() == {}, form.banner.text()
    qtbot.waitUntil(lambda: getattr(form, "same_person_box", None) is not None, timeout=2000)
    box = form.same_person_box
    assert first["code"] in box.informativeText()
    assert session.cases.get(form.case_id)["person"]["id"] is None  # nothing linked before the answer
    link = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    click(qtbot, link)
    qtbot.waitUntil(lambda: first["code"] in form.person_label.text(), timeout=2000)
    assert session.cases.get(form.case_id)["person"]["incidents"][0]["id"] == first["id"]


def test_the_overview_puts_the_high_risk_case_first_and_opens_it(qtbot, session):
    today = date.today().isoformat()
    calm = session.cases.save(sample_case(follow_ups=[{"due_on": "2025-04-10", "status": "planned"}]))
    risky = session.cases.save(sample_case(
        follow_ups=[{"due_on": today, "status": "planned"}],
        risk_assessments=[{"on": "2025-03-10", "answers": {"weapon": "yes"}}]))
    page = OverviewPage(session)
    qtbot.addWidget(page)
    page.show()
    page._show(load_overview(session, date.today().year, quarters=False))
    items = [page.due_list.item(i) for i in range(page.due_list.count())]
    assert items[0].text().startswith(risky["code"]) and "Cao" in items[0].text()
    assert items[1].text().startswith(calm["code"]) and "QUÁ HẠN" in items[1].text()
    opened = []
    page.open_case_requested.connect(opened.append)
    page.due_list.setCurrentRow(0)
    page.due_list.setFocus()
    qtbot.keyClick(page.due_list, Qt.Key.Key_Return)
    assert opened == [risky["id"]]
    QApplication.processEvents()


def test_an_erased_identity_is_said_in_the_form(qtbot, session, stored_case):
    session.cases.erase_identity(stored_case["id"])
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    assert "đã được xóa" in form.person_label.text()
    qtbot.mouseClick(form.identity_button, Qt.MouseButton.LeftButton)
    assert field(form, "identity.name").text() == ""
    assert field(form, "survivor.age").text() == "34"  # the facts stay


def test_the_officer_erases_an_identity_from_the_form_after_saying_so(qtbot, session, stored_case):
    form = CaseForm(session, session.cases.get(stored_case["id"]))
    qtbot.addWidget(form)
    activate(qtbot, form)
    click(qtbot, form.erase_button)
    box = form.erase_box
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    click(qtbot, keep)  # «Không xóa»: nothing happens
    assert session.cases.get(stored_case["id"])["identity_erased_on"] is None
    click(qtbot, form.erase_button)
    box = form.erase_box
    erase = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    click(qtbot, erase)
    assert session.cases.get(stored_case["id"])["identity_erased_on"] is not None
    assert "đã được xóa" in form.person_label.text() and not form.is_dirty()
    form.save()  # saving afterwards keeps it erased, and changes nothing
    assert session.cases.get(stored_case["id"], with_identity=True)["identity"]["name"] is None


def test_a_cadre_has_no_erase_button(qtbot, session, new_node):
    case = session.cases.save(sample_case(point_id="p1"))
    cadre = login_as(session, new_node, "canbo", "cadre", point_id="p1")
    try:
        form = CaseForm(cadre, cadre.cases.get(case["id"]))
        qtbot.addWidget(form)
        assert form.erase_button is None
    finally:
        cadre.close()
