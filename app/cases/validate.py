"""Validation and derivation of one case. Pure: no database, no Qt.

`clean_case(data, reference, today)` returns the cleaned case (same shape as
`case show --json`) with its derived part filled in, or raises
ValidationFailed naming every field at fault.
"""

from __future__ import annotations

import re
from datetime import date

from app.cases.fields import CONSENT_SCOPES, IDENTITY_FIELDS, LABELS, LONG_IDENTITY_FIELDS
from app.validation import Checker

_PHONE = re.compile(r"^\+?[0-9 .\-]{8,15}$")
_ID_NUMBER = re.compile(r"^([0-9]{9}|[0-9]{12})$")
# «Trùng với vụ việc» holds the id of one of the node's own cases (a UUID), never text typed by hand: a name or
# a phone number typed there would travel up the tree.
CASE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MINOR_BANDS = {"age_0_11", "age_12_17"}  # listed in app/reference/used.py
SEXUAL_TYPES = {"rape", "sexual_assault"}


def age_band_for(age: int, reference) -> str | None:
    for option in reference["age_band"].options:
        low, high = option.extra.get("min_age"), option.extra.get("max_age")
        if low is not None and high is not None and low <= age <= high:
            return option.code
    return None


def delay_band_for(days: int, reference) -> str | None:
    for option in reference["reporting_delay_band"].options:
        low, high = option.extra.get("min_days"), option.extra.get("max_days")
        if low is not None and days >= low and (high is None or days <= high):
            return option.code
    return None


def _case_reference(chk: Checker, value, find_case) -> str | None:
    """The id of the case this one repeats: an id (or, with `find_case`, a code) of one of the node's cases."""
    if value in (None, ""):
        return None
    found = value.strip().lower() if isinstance(value, str) and CASE_ID.match(value.strip().lower()) else None
    if find_case is not None and isinstance(value, str):
        found = find_case(value.strip())
    if found is None or not CASE_ID.match(found):
        chk.fail("duplicate_of", "Hãy chọn vụ việc gốc bằng mã của một vụ việc đã ghi ở đơn vị này (không ghi chữ "
                                 "tự do).",
                 "Choose the original case by the code of a case recorded at this node (not free text).")
        return None
    return found


def clean_case(data: dict, reference, today: date, *, with_identity: bool = True, find_case=None,
               full: bool = False) -> dict:
    """`find_case(id_or_code) -> id | None`, when given, checks that «duplicate_of» is one of the node's cases.

    `full`: the case is saved at home by a person (CaseService.save), so the rules of case management that
    need a person's answer apply (who consented for a child, a follow-up's next date). A record arriving
    from a child node is checked without them (strict import): the parts of issue 18 never travel, and an
    older sender never had them."""
    if not isinstance(data, dict):
        chk = Checker(reference, LABELS, today)
        chk.fail("case", "Dữ liệu vụ việc phải là một đối tượng JSON.", "A case must be a JSON object.")
        chk.raise_if_any()
    chk = Checker(reference, LABELS, today)
    out: dict = {}

    # --- intake -------------------------------------------------------------------
    intake = chk.section(data, "intake")
    reported_on = chk.take_date("intake.reported_on", intake.get("reported_on"), required=True)
    incident_on = chk.take_date("intake.incident_on", intake.get("incident_on"))
    if reported_on and incident_on and incident_on > reported_on:
        chk.fail("intake.incident_on", "Ngày xảy ra không thể sau ngày tiếp nhận.",
                 "The incident cannot be after the date it was first reported.")
    out["intake"] = {
        "reported_on": reported_on,
        "incident_on": incident_on,
        "disclosure_channel": chk.take_code("intake.disclosure_channel", intake.get("disclosure_channel"),
                                            "disclosure_channel", required=True),
        "referral_source": chk.take_code("intake.referral_source", intake.get("referral_source"),
                                         "disclosure_channel"),
        "taken_by": chk.take_text("intake.taken_by", intake.get("taken_by"), max_len=100),
    }

    # --- survivor -------------------------------------------------------------------
    survivor = chk.section(data, "survivor")
    age = chk.take_int("survivor.age", survivor.get("age"), low=0, high=120)
    band = chk.take_code("survivor.age_band", survivor.get("age_band"), "age_band")
    if age is not None:
        derived_band = age_band_for(age, reference)
        if band and band != "unknown" and band != derived_band:
            chk.fail("survivor.age_band", "Nhóm tuổi không khớp với tuổi đã nhập.",
                     "The age group does not match the age entered.")
        band = derived_band
    sex = chk.take_code("survivor.sex", survivor.get("sex"), "sex", required=True)
    pregnant = chk.take_bool("survivor.pregnant", survivor.get("pregnant"), default=None)
    if pregnant and sex == "male":
        chk.fail("survivor.pregnant", "Không thể ghi 'đang mang thai' khi giới tính là nam.",
                 "'Pregnant' cannot be recorded when the sex is male.")
    out["survivor"] = {
        "age": age,
        "age_band": band or "unknown",
        "sex": sex,
        "marital_status": chk.take_code("survivor.marital_status", survivor.get("marital_status"), "marital_status"),
        "disability": chk.take_code("survivor.disability", survivor.get("disability"), "disability"),
        "ethnicity": chk.take_code("survivor.ethnicity", survivor.get("ethnicity"), "ethnicity"),
        "pregnant": pregnant,
        # The caseworker's facts (issue 18.9): coded, optional.
        "occupation": chk.take_code("survivor.occupation", survivor.get("occupation"), "occupation"),
        "residence_status": chk.take_code("survivor.residence_status", survivor.get("residence_status"),
                                          "residence_status"),
        "nationality": chk.take_code("survivor.nationality", survivor.get("nationality"), "nationality"),
        "children_count": chk.take_int("survivor.children_count", survivor.get("children_count"), low=0, high=30),
        "children_at_risk": chk.take_code("survivor.children_at_risk", survivor.get("children_at_risk"),
                                          "yes_no_unknown"),
        "interpreter": chk.take_code("survivor.interpreter", survivor.get("interpreter"), "interpreter_need"),
    }
    if out["survivor"]["children_count"] == 0 and out["survivor"]["children_at_risk"] == "yes":
        chk.fail("survivor.children_at_risk", "Đã ghi không có con trong gia đình thì không thể có trẻ em gặp nguy cơ.",
                 "No children in the household were recorded, so none can be at risk.")

    # --- identity (kept apart; present only when the caller may write it) ------------
    if with_identity and "identity" in data and data["identity"] is not None:
        identity = chk.section(data, "identity")
        cleaned = {}
        for name in IDENTITY_FIELDS:
            limit = 4000 if name in LONG_IDENTITY_FIELDS else 200
            cleaned[name] = chk.take_text(f"identity.{name}", identity.get(name), max_len=limit)
        if cleaned["phone"] and not _PHONE.match(cleaned["phone"]):
            chk.fail("identity.phone", "Số điện thoại chỉ gồm chữ số (8–15 số), có thể có dấu + ở đầu.",
                     "A phone number holds 8–15 digits, optionally starting with +.")
        if cleaned["id_number"] and not _ID_NUMBER.match(cleaned["id_number"].replace(" ", "")):
            chk.fail("identity.id_number", "Số định danh cá nhân gồm 12 chữ số (giấy tờ cũ 9 chữ số vẫn được nhận cho hồ sơ đã ghi).",
                     "A personal identification number has 12 digits (an old 9-digit card number is kept for records made before).")
        out["identity"] = cleaned

    # --- incident --------------------------------------------------------------------
    incident = chk.section(data, "incident")
    violence_type = chk.take_code("incident.violence_type", incident.get("violence_type"), "violence_type",
                                  required=True)
    out["incident"] = {
        "time_of_day": chk.take_code("incident.time_of_day", incident.get("time_of_day"), "time_of_day"),
        "location_type": chk.take_code("incident.location_type", incident.get("location_type"), "location_type"),
        "violence_type": violence_type,
        "dv_acts": sorted(chk.take_codes("incident.dv_acts", incident.get("dv_acts"), "dv_act")),
        "reported_elsewhere": chk.take_bool("incident.reported_elsewhere", incident.get("reported_elsewhere")),
        "money_exchanged": chk.take_code("incident.money_exchanged", incident.get("money_exchanged"),
                                         "yes_no_unknown"),
        "abduction": chk.take_code("incident.abduction", incident.get("abduction"), "abduction_status"),
        "weapon": chk.take_code("incident.weapon", incident.get("weapon"), "weapon"),
        "perpetrator_previous": chk.take_code("incident.perpetrator_previous", incident.get("perpetrator_previous"),
                                              "yes_no_unknown"),
    }

    # --- perpetrators ----------------------------------------------------------------
    perpetrators = []
    for i, row in enumerate(chk.rows(data, "perpetrators")):
        p = f"perpetrators[{i}]"
        perpetrators.append({
            "sex": chk.take_code(f"{p}.sex", row.get("sex"), "sex"),
            "age_group": chk.take_code(f"{p}.age_group", row.get("age_group"), "age_band"),
            "relationship": chk.take_code(f"{p}.relationship", row.get("relationship"), "relationship",
                                          required=True),
            "count": chk.take_int(f"{p}.count", row.get("count", 1), low=1, high=50) or 1,
        })
    out["perpetrators"] = perpetrators

    # --- consent -----------------------------------------------------------------------
    consent_in = chk.section(data, "consent")
    consent = {}
    for scope in CONSENT_SCOPES:
        raw = consent_in.get(scope) or {}
        if not isinstance(raw, dict):
            chk.fail(f"consent.{scope}.given", "Đồng ý phải ghi dạng {given, on, withdrawn_on}.",
                     "Consent must be {given, on, withdrawn_on}.")
            raw = {}
        given = chk.take_bool(f"consent.{scope}.given", raw.get("given"), default=False)
        on = chk.take_date(f"consent.{scope}.on", raw.get("on"))
        withdrawn = chk.take_date(f"consent.{scope}.withdrawn_on", raw.get("withdrawn_on"))
        if given and not on:
            on = reported_on
        if withdrawn and not given:
            chk.fail(f"consent.{scope}.withdrawn_on", "Chỉ ghi ngày rút khi trước đó đã đồng ý.",
                     "A withdrawal date needs a consent given before it.")
        if withdrawn and on and withdrawn < on:
            chk.fail(f"consent.{scope}.withdrawn_on", "Ngày rút đồng ý không thể trước ngày đồng ý.",
                     "Consent cannot be withdrawn before it was given.")
        given_by = chk.take_code(f"consent.{scope}.given_by", raw.get("given_by"), "consent_giver")
        if given:
            problem = consent_giver_problem(out["survivor"], given_by, full=full)
            if problem:
                chk.fail(f"consent.{scope}.given_by", *problem)
        consent[scope] = {"given": bool(given), "on": on if given else None, "withdrawn_on": withdrawn,
                          "given_by": given_by if given else None}
    out["consent"] = consent
    notice = chk.section(data, "privacy_notice")
    notice_on = chk.take_date("privacy_notice.on", notice.get("on"))
    out["privacy_notice"] = {"on": notice_on,
                             "by": chk.take_text("privacy_notice.by", notice.get("by"), max_len=100)
                             if notice_on else None}

    # --- services ---------------------------------------------------------------------
    services, seen = [], set()
    for i, row in enumerate(chk.rows(data, "services")):
        p = f"services[{i}]"
        service = chk.take_code(f"{p}.service", row.get("service"), "service", required=True)
        if service and service in seen:
            chk.fail(f"{p}.service", "Mỗi dịch vụ chỉ ghi một dòng.", "Record each service once.")
        seen.add(service)
        services.append({
            "service": service,
            "status": chk.take_code(f"{p}.status", row.get("status"), "service_status", required=True),
            "on": chk.take_date(f"{p}.on", row.get("on")),
            "provider_id": chk.take_text(f"{p}.provider_id", row.get("provider_id"), max_len=64),
        })
    out["services"] = services

    # --- referrals ----------------------------------------------------------------------
    referrals = []
    for i, row in enumerate(chk.rows(data, "referrals")):
        p = f"referrals[{i}]"
        referred_on = chk.take_date(f"{p}.referred_on", row.get("referred_on"), required=True)
        agreed = chk.take_bool(f"{p}.consent", row.get("consent"), default=False)
        basis = chk.take_code(f"{p}.legal_basis", row.get("legal_basis"), "sharing_basis")
        reason = chk.take_text(f"{p}.basis_reason", row.get("basis_reason"), max_len=500)
        if agreed:
            basis = reason = None  # consent given: no basis needed, none kept
        elif basis is None:
            chk.fail(f"{p}.consent",
                     "Hãy ghi sự đồng ý chuyển tuyến, hoặc căn cứ pháp luật cho phép chuyển khi không có đồng ý "
                     "(báo cáo xâm hại trẻ em, tình huống khẩn cấp đe dọa tính mạng, sức khỏe) kèm lý do.",
                     "Record the consent to this referral, or the legal basis for referring without it (reporting "
                     "child abuse, an emergency threatening life or health) with a reason.")
        else:
            if not reason:
                chk.fail(f"{p}.basis_reason", "Chuyển tuyến không có đồng ý thì phải ghi lý do.",
                         "A referral without consent needs its reason.")
            if basis == "child_abuse_report" and not _child_involved(out["survivor"]):
                chk.fail(f"{p}.legal_basis",
                         "Căn cứ báo cáo xâm hại trẻ em chỉ dùng khi người bị bạo lực là trẻ em (dưới 16 tuổi) hoặc "
                         "trẻ em trong gia đình gặp nguy cơ.",
                         "Reporting child abuse applies when the survivor is a child (under 16) or children of "
                         "the household are at risk.")
        outcome_on = chk.take_date(f"{p}.outcome_on", row.get("outcome_on"))
        if outcome_on and referred_on and outcome_on < referred_on:
            chk.fail(f"{p}.outcome_on", "Ngày có kết quả không thể trước ngày chuyển.",
                     "The outcome cannot come before the referral.")
        referrals.append({
            "service": chk.take_code(f"{p}.service", row.get("service"), "service", required=True),
            "provider_id": chk.take_text(f"{p}.provider_id", row.get("provider_id"), max_len=64),
            "provider_name": chk.take_text(f"{p}.provider_name", row.get("provider_name"), max_len=200),
            "referred_on": referred_on,
            "consent": bool(agreed),
            "consent_on": chk.take_date(f"{p}.consent_on", row.get("consent_on")) or (referred_on if agreed else None),
            "outcome": chk.take_code(f"{p}.outcome", row.get("outcome"), "referral_outcome") or "pending",
            "outcome_on": outcome_on,
            "legal_basis": basis,
            "basis_reason": reason,
        })
    out["referrals"] = referrals

    # --- follow-ups ----------------------------------------------------------------------
    follow_ups = []
    for i, row in enumerate(chk.rows(data, "follow_ups")):
        p = f"follow_ups[{i}]"
        due_on = chk.take_date(f"{p}.due_on", row.get("due_on"), required=True, not_future=False)
        done_on = chk.take_date(f"{p}.done_on", row.get("done_on"))
        follow_up_status = chk.take_code(f"{p}.status", row.get("status"), "follow_up_status") or (
            "done" if done_on else "planned")
        if follow_up_status == "done" and not done_on:
            chk.fail(f"{p}.done_on", "Đã theo dõi thì hãy ghi ngày theo dõi.", "A follow-up done needs its date.")
        outcome = chk.take_code(f"{p}.outcome", row.get("outcome"), "follow_up_outcome")
        next_on = chk.take_date(f"{p}.next_on", row.get("next_on"), not_future=False)
        if next_on and done_on and next_on <= done_on:
            chk.fail(f"{p}.next_on", "Ngày theo dõi tiếp phải sau ngày đã theo dõi.",
                     "The next follow-up must come after this one.")
        follow_ups.append({"due_on": due_on, "done_on": done_on, "status": follow_up_status, "outcome": outcome,
                           "next_on": next_on})
    if full:
        # A follow-up done sets the next one: it is planned on that date, once.
        planned = {f["due_on"] for f in follow_ups}
        for f in list(follow_ups):
            if f["status"] != "planned" and f["next_on"] and f["next_on"] not in planned:
                follow_ups.append({"due_on": f["next_on"], "done_on": None, "status": "planned", "outcome": None,
                                   "next_on": None})
                planned.add(f["next_on"])
    out["follow_ups"] = follow_ups

    # --- perpetrator actions ----------------------------------------------------------------
    actions = []
    for i, row in enumerate(chk.rows(data, "perpetrator_actions")):
        p = f"perpetrator_actions[{i}]"
        actions.append({
            "action": chk.take_code(f"{p}.action", row.get("action"), "perpetrator_action", required=True),
            "on": chk.take_date(f"{p}.on", row.get("on")),
        })
    out["perpetrator_actions"] = actions

    # --- safety plan ----------------------------------------------------------------------
    plan = chk.section(data, "safety_plan")
    in_place = chk.take_bool("safety_plan.in_place", plan.get("in_place"), default=False)
    out["safety_plan"] = {
        "in_place": bool(in_place),
        "on": chk.take_date("safety_plan.on", plan.get("on")) if in_place else None,
        "to_take": chk.take_codes("safety_plan.to_take", plan.get("to_take"), "safety_item"),
        "steps": chk.take_codes("safety_plan.steps", plan.get("steps"), "safety_step"),
        "children": chk.take_code("safety_plan.children", plan.get("children"), "child_safety"),
        "agreed": chk.take_bool("safety_plan.agreed", plan.get("agreed"), default=None),
        "review_on": chk.take_date("safety_plan.review_on", plan.get("review_on"), not_future=False),
    }

    # --- risk assessments (repeated over time) ----------------------------------------------
    assessments = []
    for i, row in enumerate(chk.rows(data, "risk_assessments")):
        p = f"risk_assessments[{i}]"
        answers_in = row.get("answers") or {}
        if not isinstance(answers_in, dict):
            chk.fail(f"{p}.answers", "Câu trả lời phải ghi dạng {mã câu hỏi: yes | no | unknown}.",
                     "Answers must be {question code: yes | no | unknown}.")
            answers_in = {}
        answers = {}
        for code, answer in answers_in.items():
            if code not in reference["risk_question"].codes:
                chk.fail(f"{p}.answers", f"Không có câu hỏi '{code}' trong danh mục đánh giá nguy cơ.",
                         f"There is no question '{code}' in the risk assessment.")
                continue
            if answer in (None, ""):
                continue
            answers[code] = chk.take_code(f"{p}.answers.{code}", answer, "yes_no_unknown")
        if not answers:
            chk.fail(f"{p}.answers", "Hãy trả lời ít nhất một câu hỏi đánh giá nguy cơ.",
                     "Answer at least one risk question.")
        score, level = score_risk(answers, reference)
        assessments.append({
            "on": chk.take_date(f"{p}.on", row.get("on"), required=True),
            "answers": {k: answers[k] for k in sorted(answers) if answers[k]},
            "score": score, "level": level,
            "by": chk.take_text(f"{p}.by", row.get("by"), max_len=100),
        })
    assessments.sort(key=lambda a: str(a["on"] or ""))
    out["risk_assessments"] = assessments

    # --- action plan ------------------------------------------------------------------------
    action_plan = chk.section(data, "action_plan")
    actions = []
    for i, row in enumerate(chk.rows(action_plan, "actions")):
        p = f"action_plan.actions[{i}]"
        status_code = chk.take_code(f"{p}.status", row.get("status"), "action_status") or "planned"
        done = chk.take_date(f"{p}.done_on", row.get("done_on"))
        if status_code == "done" and not done:
            chk.fail(f"{p}.done_on", "Việc đã xong thì hãy ghi ngày xong.", "An action done needs its date.")
        actions.append({
            "what": chk.take_text(f"{p}.what", row.get("what"), max_len=200, required=True),
            "service": chk.take_code(f"{p}.service", row.get("service"), "service"),
            "provider_id": chk.take_text(f"{p}.provider_id", row.get("provider_id"), max_len=64),
            "person": chk.take_text(f"{p}.person", row.get("person"), max_len=100),
            "due_on": chk.take_date(f"{p}.due_on", row.get("due_on"), not_future=False),
            "status": status_code,
            "done_on": done,
        })
    out["action_plan"] = {
        "needs": chk.take_codes("action_plan.needs", action_plan.get("needs"), "service"),
        "goals": chk.take_text("action_plan.goals", action_plan.get("goals"), max_len=1000),
        "actions": actions,
    }

    # --- status and closure -------------------------------------------------------------
    closure = chk.section(data, "closure")
    items = chk.take_codes("closure.items", closure.get("items"), "closure_item")
    closed_on = chk.take_date("closure.closed_on", closure.get("closed_on"))
    status = chk.take_code("status", data.get("status") or "open", "case_status", required=True)
    if closed_on and reported_on and closed_on < reported_on:
        chk.fail("closure.closed_on", "Ngày kết thúc không thể trước ngày tiếp nhận.",
                 "A case cannot be closed before it was first reported.")
    if status == "closed":
        if not closed_on:
            chk.fail("closure.closed_on", "Vụ việc đã kết thúc thì cần ngày kết thúc.",
                     "A closed case needs its closing date.")
        if not items:
            chk.fail("closure.items", "Hãy đánh dấu ít nhất một mục trong danh mục kết thúc.",
                     "Tick at least one item of the closure checklist.")
    elif status == "open" and closed_on:
        chk.fail("closure.closed_on", "Vụ việc còn mở thì chưa có ngày kết thúc; hãy đổi trạng thái thành 'Đã kết thúc'.",
                 "An open case has no closing date; set the status to 'closed'.")
    out["closure"] = {"items": items, "closed_on": closed_on,
                      "knows_can_return": chk.take_bool("closure.knows_can_return", closure.get("knows_can_return"),
                                                        default=None)}
    reopen = chk.section(data, "reopen")
    reopen_reason = chk.take_code("reopen.reason", reopen.get("reason"), "reopen_reason")
    reopen_on = chk.take_date("reopen.on", reopen.get("on"))
    if reopen_reason and not reopen_on:
        reopen_on = today.isoformat()
    if reopen_on and not reopen_reason:
        chk.fail("reopen.reason", "Hãy chọn lý do mở lại vụ việc.", "Choose why the case is reopened.")
    out["reopen"] = {"on": reopen_on, "reason": reopen_reason}
    out["status"] = status
    out["point_id"] = chk.take_text("point_id", data.get("point_id"), max_len=64)
    # A duplicate names the record it repeats; a case also reported by another agency may name that agency's
    # record of it, so that the node holding both counts it once (app.targets.countable_cases). Either way a
    # reference to one of this node's own cases (an id), never free text (issue 15.4).
    out["duplicate_of"] = _case_reference(chk, data.get("duplicate_of"), find_case) \
        if status == "duplicate" or out["incident"]["reported_elsewhere"] else None

    chk.raise_if_any()
    out["derived"] = derive(out, reference)
    return out


def derive(case: dict, reference) -> dict:
    """What is computed on save: reporting-delay band, perpetrator count, contexts, next follow-up."""
    intake = case["intake"]
    delay = None
    if intake["reported_on"] and intake["incident_on"]:
        days = (date.fromisoformat(intake["reported_on"]) - date.fromisoformat(intake["incident_on"])).days
        delay = delay_band_for(days, reference)
    intimate = {o.code for o in reference["relationship"].options if o.extra.get("intimate")}
    minor = case["survivor"]["age_band"] in MINOR_BANDS
    vtype = case["incident"]["violence_type"]
    contexts = []
    if any(p["relationship"] in intimate for p in case["perpetrators"]):
        contexts.append("intimate_partner_violence")
    if minor and vtype in SEXUAL_TYPES:
        contexts.append("child_sexual_abuse")
    if minor and vtype == "forced_marriage":
        contexts.append("early_marriage")
    pending = sorted(f["due_on"] for f in case["follow_ups"] if f["status"] == "planned" and f["due_on"])
    assessments = case.get("risk_assessments") or []
    return {
        "delay_band": delay,
        "perpetrator_count": sum(p["count"] for p in case["perpetrators"]),
        "contexts": contexts,
        "next_follow_up": pending[0] if pending else None,
        "risk_level": assessments[-1]["level"] if assessments else None,
        "risk_assessed_on": assessments[-1]["on"] if assessments else None,
    }


# --- consent as the law has it (issue 18.7) ------------------------------------------------------------
# Law on Children 102/2016/QH13: a child is under 16. Law 91/2025/QH15 with it: a child aged 7 or over consents
# together with a parent or guardian; a younger child's parent or guardian consents (data/reference/consent_giver).
CHILD_UNDER = 16
CHILD_CONSENTS_FROM = 7
# A survivor of 16 or over whose parent or guardian may consent for her: one under guardianship for a mental
# or intellectual disability (Civil Code 2015, art. 22–23, 47).
GUARDED_DISABILITIES = {"intellectual", "psychosocial", "multiple"}


def _is_child(survivor: dict) -> bool | None:
    """True under 16, False at 16 or over, None when only the band is known and it spans 16."""
    age = survivor.get("age")
    if age is not None:
        return age < CHILD_UNDER
    band = survivor.get("age_band")
    if band == "age_0_11":
        return True
    if band == "age_12_17":
        return None
    return False if band not in (None, "unknown") else None


def _child_involved(survivor: dict) -> bool:
    return _is_child(survivor) is not False or survivor.get("children_at_risk") == "yes"


def consent_giver_problem(survivor: dict, given_by: str | None, *, full: bool = True) -> tuple[str, str] | None:
    """Why `given_by` cannot have given a consent for this survivor (Vietnamese, English), or None."""
    age, band = survivor.get("age"), survivor.get("age_band")
    child = _is_child(survivor)
    if given_by is None:
        if full and child is not False and band not in (None, "unknown"):
            return ("Người bị bạo lực là trẻ em (hoặc chưa rõ đủ 16 tuổi chưa): hãy ghi ai đã đồng ý (trẻ từ đủ 7 tuổi: "
                    "cả trẻ và cha, mẹ hoặc người giám hộ).",
                    "The survivor is a child (or not known to be 16 yet): record who consented (from age 7: the child "
                    "and a parent or guardian together).")
        return None
    if child is None:
        if band == "age_12_17" and given_by != "both":
            return ("Người bị bạo lực 12–17 tuổi, chưa ghi tuổi: cần cả trẻ và cha, mẹ hoặc người giám hộ cùng đồng ý "
                    "(hoặc ghi tuổi, nếu đã đủ 16 tuổi).",
                    "A survivor aged 12–17 with no age recorded: the child and a parent or guardian consent together "
                    "(or record the age, if 16 or over).")
        return None
    if child:
        if age is None and band == "age_0_11":  # 0–11, age not recorded: at least a parent or guardian
            if given_by == "survivor":
                return ("Trẻ dưới 12 tuổi (chưa ghi tuổi): cần cha, mẹ hoặc người giám hộ đồng ý (từ đủ 7 tuổi: cùng "
                        "với trẻ).",
                        "A child under 12 (age not recorded): a parent or guardian consents (from age 7: with the "
                        "child).")
            return None
        if age is not None and age < CHILD_CONSENTS_FROM:
            if given_by == "survivor":
                return ("Trẻ dưới 7 tuổi: cha, mẹ hoặc người giám hộ đồng ý thay trẻ.",
                        "A child under 7: a parent or guardian consents for the child.")
            return None
        if given_by != "both":
            return ("Trẻ từ đủ 7 tuổi đến dưới 16 tuổi: cần cả trẻ và cha, mẹ hoặc người giám hộ cùng đồng ý "
                    "(Luật 91/2025/QH15, Luật Trẻ em). Nếu không thể hỏi được, hãy ghi căn cứ pháp luật ở phần "
                    "chuyển tuyến thay vì ghi đồng ý.",
                    "A child aged 7 to 15: the child and a parent or guardian consent together (Law 91/2025, Law on "
                    "Children). If that cannot be asked, record the legal basis on the referral instead of a consent.")
        return None
    if given_by == "guardian" and survivor.get("disability") not in GUARDED_DISABILITIES:
        return ("Người từ đủ 16 tuổi tự đồng ý; người giám hộ chỉ đồng ý thay khi người đó được giám hộ (khuyết tật "
                "trí tuệ, tâm thần).",
                "A person of 16 or over consents herself; a guardian consents for her only under guardianship "
                "(intellectual or psychosocial disability).")
    return None


def score_risk(answers: dict, reference) -> tuple[int, str]:
    """The score and level of a risk assessment, by the rule written in data/reference/risk_level.toml."""
    questions = reference["risk_question"]
    levels = reference["risk_level"].options
    score, red_flag = 0, False
    for code, answer in answers.items():
        question = questions.get(code)
        if question is None or answer != "yes":
            continue
        score += int(question.extra.get("weight", 0))
        red_flag = red_flag or bool(question.extra.get("red_flag"))
    level = levels[0].code
    for option in levels:
        if score >= int(option.extra.get("min_score", 0)):
            level = option.code
    unknown = sum(1 for a in answers.values() if a == "unknown")
    for option in levels:
        share = option.extra.get("unknown_share_floor")
        if share is not None and len(questions) and unknown / len(questions) > float(share) \
                and _rank(levels, level) < _rank(levels, option.code):
            level = option.code
    if red_flag:
        flagged = [o.code for o in levels if o.extra.get("red_flag")]
        if flagged:
            level = flagged[0]
    return score, level


def _rank(levels, code: str) -> int:
    return next(n for n, o in enumerate(levels) if o.code == code)
