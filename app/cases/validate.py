"""Validation and derivation of one case. Pure: no database, no Qt.

`clean_case(data, reference, today)` returns the cleaned case (same shape as
`case show --json`) with its derived part filled in, or raises
ValidationFailed naming every field at fault.
"""

from __future__ import annotations

import re
from datetime import date

from app.cases.fields import CONSENT_SCOPES, IDENTITY_FIELDS, LABELS
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


def clean_case(data: dict, reference, today: date, *, with_identity: bool = True, find_case=None) -> dict:
    """`find_case(id_or_code) -> id | None`, when given, checks that «duplicate_of» is one of the node's cases."""
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
    }

    # --- identity (kept apart; present only when the caller may write it) ------------
    if with_identity and "identity" in data and data["identity"] is not None:
        identity = chk.section(data, "identity")
        cleaned = {}
        for name in IDENTITY_FIELDS:
            limit = 4000 if name in ("narrative", "safety_notes") else 200
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
        consent[scope] = {"given": bool(given), "on": on if given else None, "withdrawn_on": withdrawn}
    out["consent"] = consent

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
        if not agreed:
            chk.fail(f"{p}.consent", "Chỉ chuyển tuyến khi người bị bạo lực đồng ý; hãy ghi sự đồng ý.",
                     "Refer only with the survivor's consent; record it.")
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
        follow_ups.append({"due_on": due_on, "done_on": done_on, "status": follow_up_status})
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
    out["safety_plan"] = {"in_place": bool(in_place),
                          "on": chk.take_date("safety_plan.on", plan.get("on")) if in_place else None}

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
    out["closure"] = {"items": items, "closed_on": closed_on}
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
    return {
        "delay_band": delay,
        "perpetrator_count": sum(p["count"] for p in case["perpetrators"]),
        "contexts": contexts,
        "next_follow_up": pending[0] if pending else None,
    }
