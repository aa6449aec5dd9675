"""What may leave a node: the sync allow-list. Deny by default.

This module is the only place that decides which parts of a stored record go
up the tree. It reads columns *by name*: a column added to a table later stays
at home until someone adds it here (and to `SPEC`, which the parent uses to
check what arrives). The rules:

- ids, owner, revision and tombstone; codes from the reference lists; counts;
  yes/no facts; age *bands* (never an exact age);
- dates about a survivor at month level ("2025-03"), and the record's own
  timestamps at month level too (a save time would give away the day the
  person came, undoing the month rule);
- never identity (`case_identities`), who took the case or saved it, points
  (local places), provider names or ids, free text (titles, places,
  organisers, notes, narratives), attachments;
- a case whose survivor has not consented to be counted in reports, or has
  withdrawn that consent, leaves only as a *withheld* stub (id, owner,
  revision): the parent removes any copy it had and counts nothing
  (GBVIMS practice; Law 91/2025/QH15: withdrawal stops further sharing);
- activities are not about survivors: their days stay, but title, place,
  organiser and notes (free text that can name people) do not leave;
- registers: prevention models leave as kind, status, date established and
  status history; schools as level and yearly integration marks. Their names
  stay home: a trusted-address model is often named after the household
  that shelters women, which is exactly what must not travel. Service
  providers (names, phones, addresses) never leave.

`outgoing()` gives the allowed form of a stored record; `check()` is what a
parent runs on a record that arrives; `store()` writes an accepted one into the
parent's own tables (origin kept, nothing local filled in).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

SYNC_SCHEMA = 1  # the shape of records below; a parent keeps aside records of a newer shape

SYNCED_TABLES = ("models", "schools", "activities", "cases")
NEVER_LEAVE = {
    "case_identities": "names, addresses, phones, ID numbers, narratives",
    "providers": "service providers' names, phones and addresses",
    "attachments": "files that may show people",
    "accounts": "users and password hashes",
    "audit_log": "who did what on this node",
}
# Without consent to be counted (or after it is withdrawn), a case travels as a stub only.
REQUIRE_REPORTING_CONSENT = True

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_YEAR = re.compile(r"^\d{4}$")


def month(value) -> str | None:
    """'2025-03-10' or '2025-03-10T08:00:00+00:00' → '2025-03'; a month stays a month."""
    if value in (None, ""):
        return None
    return str(value)[:7]


# --- the shape of what travels ----------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    kind: str  # id | case_code | code | codes | month | date | int | bool | year_flags | rows
    list: str | None = None
    required: bool = False
    rows: dict = field(default_factory=dict)


def _f(kind, list_name=None, required=False, rows=None) -> Field:
    return Field(kind, list_name, required, rows or {})


META = {
    "id": _f("id", required=True), "origin": _f("id", required=True), "rev": _f("int", required=True),
    "created_at": _f("month"), "updated_at": _f("month", required=True), "deleted": _f("bool", required=True),
}
WITHHELD = {**META, "withheld": _f("bool", required=True)}

CASE = {
    **META,
    "code": _f("case_code", required=True),
    "status": _f("code", "case_status", True),
    "reported_on": _f("month", required=True),
    "incident_on": _f("month"),
    "disclosure_channel": _f("code", "disclosure_channel"),
    "referral_source": _f("code", "disclosure_channel"),
    "survivor_age_band": _f("code", "age_band"),
    "survivor_sex": _f("code", "sex"),
    "marital_status": _f("code", "marital_status"),
    "disability": _f("code", "disability"),
    "ethnicity": _f("code", "ethnicity"),
    "pregnant": _f("bool"),
    "time_of_day": _f("code", "time_of_day"),
    "location_type": _f("code", "location_type"),
    "violence_type": _f("code", "violence_type"),
    "reported_elsewhere": _f("bool", required=True),
    "safety_plan": _f("bool", required=True),
    "closed_on": _f("month"),
    "closure_items": _f("codes", "closure_item", True),
    # Another case's id: lets the parent leave duplicates out of its figures.
    "duplicate_of": _f("id"),
    "delay_band": _f("code", "reporting_delay_band"),
    "perpetrator_count": _f("int", required=True),
    "ctx_intimate_partner": _f("bool", required=True),
    "ctx_child_sexual_abuse": _f("bool", required=True),
    "ctx_early_marriage": _f("bool", required=True),
    "next_follow_up": _f("month"),
    "dv_acts": _f("codes", "dv_act", True),
    "perpetrators": _f("rows", rows={"sex": _f("code", "sex"), "age_group": _f("code", "age_band"),
                                     "relationship": _f("code", "relationship"),
                                     "count": _f("int", required=True)}),
    "consents": _f("rows", rows={"scope": _f("code", "consent_scope", True), "given": _f("bool", required=True),
                                 "given_on": _f("month"), "withdrawn_on": _f("month")}),
    "services": _f("rows", rows={"service": _f("code", "service", True), "status": _f("code", "service_status", True),
                                 "on": _f("month")}),
    "referrals": _f("rows", rows={"service": _f("code", "service"), "referred_on": _f("month"),
                                  "consent": _f("bool", required=True), "outcome": _f("code", "referral_outcome")}),
    "follow_ups": _f("rows", rows={"due": _f("month", required=True),
                                   "status": _f("code", "follow_up_status", True)}),
    "perpetrator_actions": _f("rows", rows={"action": _f("code", "perpetrator_action", True), "on": _f("month")}),
}
ACTIVITY = {
    **META,
    "kind": _f("code", "activity_kind", True),
    "starts_on": _f("date", required=True),
    "ends_on": _f("date"),
    "target_groups": _f("codes", "target_group", True),
    "participants_total": _f("int", required=True),
    "participants_female": _f("int", required=True),
    "participants_male": _f("int", required=True),
    "participants_youth": _f("int", required=True),
    "quantity": _f("int"),
    "model_id": _f("id"),
    "school_id": _f("id"),
    "budget_vnd": _f("int", required=True),
}
MODEL = {
    **META,
    "kind": _f("code", "model_kind", True),
    "status": _f("code", "model_status", True),
    "established_on": _f("date"),
    "history": _f("rows", rows={"on": _f("date", required=True), "status": _f("code", "model_status", True)}),
}
SCHOOL = {**META, "level": _f("code", "school_level", True), "integrations": _f("year_flags")}

SPEC: dict[str, dict[str, Field]] = {"cases": CASE, "activities": ACTIVITY, "models": MODEL, "schools": SCHOOL}


# --- leaving: stored record → allowed record ------------------------------------------------------------
def _row(conn, sql: str, params) -> dict | None:
    cur = conn.execute(sql, params)
    found = cur.fetchone()
    return None if found is None else dict(zip([d[0] for d in cur.description], found))


def _rows(conn, sql: str, params) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _meta(r: dict) -> dict:
    return {"id": r["id"], "origin": r["origin"], "rev": r["rev"], "created_at": month(r["created_at"]),
            "updated_at": month(r["updated_at"]), "deleted": bool(r["deleted"])}


def _bool(value) -> bool | None:
    return None if value is None else bool(value)


def withheld_stub(meta: dict) -> dict:
    return {**{k: meta[k] for k in META}, "withheld": True}


def reporting_consented(consents: list[dict]) -> bool:
    return any(c["scope"] == "reporting" and c["given"] and not c["withdrawn_on"] for c in consents)


def _case(conn, case_id: str) -> dict | None:
    r = _row(conn, "SELECT * FROM cases WHERE id = ?", (case_id,))
    if r is None:
        return None
    consents = _rows(conn, "SELECT scope, given, given_on, withdrawn_on FROM case_consents WHERE case_id = ?"
                           " ORDER BY scope", (case_id,))
    if REQUIRE_REPORTING_CONSENT and not reporting_consented(consents):
        return withheld_stub(_meta(r))
    return {
        **_meta(r),
        "code": r["code"], "status": r["status"],
        "reported_on": month(r["reported_on"]), "incident_on": month(r["incident_on"]),
        "disclosure_channel": r["disclosure_channel"], "referral_source": r["referral_source"],
        "survivor_age_band": r["survivor_age_band"], "survivor_sex": r["survivor_sex"],
        "marital_status": r["marital_status"], "disability": r["disability"], "ethnicity": r["ethnicity"],
        "pregnant": _bool(r["pregnant"]), "time_of_day": r["time_of_day"], "location_type": r["location_type"],
        "violence_type": r["violence_type"], "reported_elsewhere": bool(r["reported_elsewhere"]),
        "safety_plan": bool(r["safety_plan"]), "closed_on": month(r["closed_on"]),
        "closure_items": list(json.loads(r["closure_items"] or "[]")), "duplicate_of": r["duplicate_of"],
        "delay_band": r["delay_band"], "perpetrator_count": r["perpetrator_count"],
        "ctx_intimate_partner": bool(r["ctx_intimate_partner"]),
        "ctx_child_sexual_abuse": bool(r["ctx_child_sexual_abuse"]),
        "ctx_early_marriage": bool(r["ctx_early_marriage"]),
        "next_follow_up": month(r["next_follow_up"]),
        "dv_acts": [x["act"] for x in _rows(conn, "SELECT act FROM case_dv_acts WHERE case_id = ? ORDER BY act",
                                            (case_id,))],
        "perpetrators": [{"sex": p["sex"], "age_group": p["age_group"], "relationship": p["relationship"],
                          "count": p["count"]}
                         for p in _rows(conn, "SELECT sex, age_group, relationship, count FROM case_perpetrators"
                                              " WHERE case_id = ? ORDER BY idx", (case_id,))],
        "consents": [{"scope": c["scope"], "given": bool(c["given"]), "given_on": month(c["given_on"]),
                      "withdrawn_on": month(c["withdrawn_on"])} for c in consents],
        "services": [{"service": s["service"], "status": s["status"], "on": month(s["on_date"])}
                     for s in _rows(conn, "SELECT service, status, on_date FROM case_services WHERE case_id = ?"
                                          " ORDER BY service", (case_id,))],
        "referrals": [{"service": x["service"], "referred_on": month(x["referred_on"]), "consent": bool(x["consent"]),
                       "outcome": x["outcome"]}
                      for x in _rows(conn, "SELECT service, referred_on, consent, outcome FROM case_referrals"
                                           " WHERE case_id = ? ORDER BY idx", (case_id,))],
        "follow_ups": [{"due": month(f["due_on"]), "status": f["status"]}
                       for f in _rows(conn, "SELECT due_on, status FROM case_follow_ups WHERE case_id = ?"
                                            " ORDER BY idx", (case_id,))],
        "perpetrator_actions": [{"action": a["action"], "on": month(a["on_date"])}
                                for a in _rows(conn, "SELECT action, on_date FROM case_perpetrator_actions"
                                                     " WHERE case_id = ? ORDER BY idx", (case_id,))],
    }


def _activity(conn, activity_id: str) -> dict | None:
    r = _row(conn, "SELECT * FROM activities WHERE id = ?", (activity_id,))
    if r is None:
        return None
    return {**_meta(r), "kind": r["kind"], "starts_on": r["starts_on"], "ends_on": r["ends_on"],
            "target_groups": list(json.loads(r["target_groups"] or "[]")),
            "participants_total": r["participants_total"], "participants_female": r["participants_female"],
            "participants_male": r["participants_male"], "participants_youth": r["participants_youth"],
            "quantity": r["quantity"], "model_id": r["model_id"], "school_id": r["school_id"],
            "budget_vnd": r["budget_vnd"]}


def _model(conn, model_id: str) -> dict | None:
    r = _row(conn, "SELECT * FROM models WHERE id = ?", (model_id,))
    if r is None:
        return None
    history = _rows(conn, "SELECT on_date, status FROM model_status_events WHERE model_id = ?"
                          " ORDER BY on_date, status", (model_id,))
    return {**_meta(r), "kind": r["kind"], "status": r["status"], "established_on": r["established_on"],
            "history": [{"on": h["on_date"], "status": h["status"]} for h in history]}


def _school(conn, school_id: str) -> dict | None:
    r = _row(conn, "SELECT * FROM schools WHERE id = ?", (school_id,))
    if r is None:
        return None
    marks = _rows(conn, "SELECT year, integrated FROM school_integrations WHERE school_id = ? ORDER BY year",
                  (school_id,))
    return {**_meta(r), "level": r["level"], "integrations": {str(m["year"]): bool(m["integrated"]) for m in marks}}


_OUTGOING = {"cases": _case, "activities": _activity, "models": _model, "schools": _school}


def outgoing(conn, table: str, record_id: str) -> dict | None:
    """The allowed form of one stored record, or None (a table that never leaves, or no such record)."""
    reader = _OUTGOING.get(table)
    if reader is None:
        return None
    record = reader(conn, record_id)
    if record is not None:
        spec = WITHHELD if record.get("withheld") else SPEC[table]
        extra = set(record) - set(spec)
        if extra:  # a programming error, never data: refuse rather than let it out
            raise AssertionError(f"allow-list: {table} would send fields outside its spec: {sorted(extra)}")
    return record


# --- arriving: check a record against the spec and the parent's reference data ---------------------------
@dataclass
class Problem:
    reason: str  # malformed | unknown_code | unexpected_field
    field: str
    code: str | None = None

    def as_dict(self) -> dict:
        return {"reason": self.reason, "field": self.field, "code": self.code}


def _check_value(path: str, spec: Field, value, reference, problems: list[Problem]) -> None:
    if value is None:
        if spec.required:
            problems.append(Problem("malformed", path))
        return
    kind = spec.kind
    if kind in ("id", "case_code"):
        ok = isinstance(value, str) and _ID.match(value) is not None
    elif kind == "month":
        ok = isinstance(value, str) and _MONTH.match(value) is not None
    elif kind == "date":
        ok = isinstance(value, str) and _DATE.match(value) is not None
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**15
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "code":
        ok = isinstance(value, str) and len(value) <= 64
        if ok and value not in reference[spec.list]:
            problems.append(Problem("unknown_code", path, value))
    elif kind == "codes":
        ok = isinstance(value, list) and all(isinstance(v, str) and len(v) <= 64 for v in value)
        if ok:
            for v in value:
                if v not in reference[spec.list]:
                    problems.append(Problem("unknown_code", path, v))
    elif kind == "year_flags":
        ok = isinstance(value, dict) and all(isinstance(k, str) and _YEAR.match(k) and isinstance(v, bool)
                                             for k, v in value.items())
    elif kind == "rows":
        ok = isinstance(value, list) and all(isinstance(row, dict) for row in value)
        if ok:
            for n, row in enumerate(value):
                for key in row:
                    if key not in spec.rows:
                        problems.append(Problem("unexpected_field", f"{path}[{n}].{key}"))
                for key, sub in spec.rows.items():
                    _check_value(f"{path}[{n}].{key}", sub, row.get(key), reference, problems)
    else:
        ok = False
    if not ok:
        problems.append(Problem("malformed", path))


def check(table: str, record, reference) -> list[Problem]:
    """What is wrong with an arriving record (empty: it can be stored). Never raises on bad data."""
    if table not in SPEC or not isinstance(record, dict):
        return [Problem("malformed", table)]
    spec = WITHHELD if record.get("withheld") is True else SPEC[table]
    if spec is WITHHELD and table != "cases":
        return [Problem("malformed", "withheld")]
    problems = [Problem("unexpected_field", key) for key in record if key not in spec]
    for key, sub in spec.items():
        _check_value(key, sub, record.get(key), reference, problems)
    return problems


def keep_only_allowed(table: str, record) -> dict:
    """An arriving record cut down to known fields: what may be stored aside without storing more."""
    if table not in SPEC or not isinstance(record, dict):
        return {}
    spec = WITHHELD if record.get("withheld") is True else SPEC[table]
    out = {}
    for key, sub in spec.items():
        if key not in record:
            continue
        value = record[key]
        if sub.kind == "rows" and isinstance(value, list):
            value = [{k: v for k, v in row.items() if k in sub.rows} for row in value if isinstance(row, dict)]
        out[key] = value
    return out


# --- storing an accepted record at the parent ---------------------------------------------------------------
def _upsert(conn, table: str, row: dict) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{k} = excluded.{k}" for k in row if k != "id")
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
                 tuple(row.values()))


def _meta_row(rec: dict) -> dict:
    return {"id": rec["id"], "origin": rec["origin"], "rev": rec["rev"],
            "created_at": rec.get("created_at") or rec["updated_at"], "updated_at": rec["updated_at"],
            "deleted": int(rec["deleted"])}


def _int(value) -> int | None:
    return None if value is None else int(value)


def _store_case(conn, rec: dict) -> None:
    case_id = rec["id"]
    row = {
        **_meta_row(rec), "code": rec["code"], "point_id": None, "status": rec["status"],
        "reported_on": rec["reported_on"], "incident_on": rec.get("incident_on"),
        "disclosure_channel": rec.get("disclosure_channel"), "referral_source": rec.get("referral_source"),
        "taken_by": None, "survivor_age": None, "survivor_age_band": rec.get("survivor_age_band"),
        "survivor_sex": rec.get("survivor_sex"), "marital_status": rec.get("marital_status"),
        "disability": rec.get("disability"), "ethnicity": rec.get("ethnicity"), "pregnant": _int(rec.get("pregnant")),
        "time_of_day": rec.get("time_of_day"), "location_type": rec.get("location_type"),
        "violence_type": rec.get("violence_type"), "reported_elsewhere": int(rec["reported_elsewhere"]),
        "safety_plan": int(rec["safety_plan"]), "safety_plan_on": None, "closed_on": rec.get("closed_on"),
        "closure_items": json.dumps(rec["closure_items"]), "duplicate_of": rec.get("duplicate_of"),
        "delay_band": rec.get("delay_band"), "perpetrator_count": rec["perpetrator_count"],
        "ctx_intimate_partner": int(rec["ctx_intimate_partner"]),
        "ctx_child_sexual_abuse": int(rec["ctx_child_sexual_abuse"]),
        "ctx_early_marriage": int(rec["ctx_early_marriage"]),
        "next_follow_up": rec.get("next_follow_up"), "created_by": None,
    }
    _remove_case_parts(conn, case_id)
    _upsert(conn, "cases", row)
    conn.executemany("INSERT INTO case_dv_acts (case_id, act) VALUES (?, ?)",
                     [(case_id, act) for act in dict.fromkeys(rec["dv_acts"])])
    conn.executemany("INSERT INTO case_perpetrators (case_id, idx, sex, age_group, relationship, count)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     [(case_id, n, p.get("sex"), p.get("age_group"), p.get("relationship"), p["count"])
                      for n, p in enumerate(rec.get("perpetrators") or [])])
    conn.executemany("INSERT OR REPLACE INTO case_consents (case_id, scope, given, given_on, withdrawn_on)"
                     " VALUES (?, ?, ?, ?, ?)",
                     [(case_id, c["scope"], int(c["given"]), c.get("given_on"), c.get("withdrawn_on"))
                      for c in rec.get("consents") or []])
    conn.executemany("INSERT OR REPLACE INTO case_services (case_id, service, status, on_date, provider_id)"
                     " VALUES (?, ?, ?, ?, NULL)",
                     [(case_id, s["service"], s["status"], s.get("on")) for s in rec.get("services") or []])
    conn.executemany("INSERT INTO case_referrals (case_id, idx, service, provider_id, provider_name, referred_on,"
                     " consent, consent_on, outcome, outcome_on) VALUES (?, ?, ?, NULL, NULL, ?, ?, NULL, ?, NULL)",
                     [(case_id, n, x.get("service"), x.get("referred_on"), int(x["consent"]), x.get("outcome"))
                      for n, x in enumerate(rec.get("referrals") or [])])
    conn.executemany("INSERT INTO case_follow_ups (case_id, idx, due_on, done_on, status) VALUES (?, ?, ?, NULL, ?)",
                     [(case_id, n, f["due"], f["status"]) for n, f in enumerate(rec.get("follow_ups") or [])])
    conn.executemany("INSERT INTO case_perpetrator_actions (case_id, idx, action, on_date) VALUES (?, ?, ?, ?)",
                     [(case_id, n, a["action"], a.get("on"))
                      for n, a in enumerate(rec.get("perpetrator_actions") or [])])


def _remove_case_parts(conn, case_id: str) -> None:
    for table in ("case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                  "case_follow_ups", "case_perpetrator_actions"):
        conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))


def _store_activity(conn, rec: dict) -> None:
    _upsert(conn, "activities", {
        **_meta_row(rec), "kind": rec["kind"], "title": "", "starts_on": rec["starts_on"],
        "ends_on": rec.get("ends_on"), "place": None, "organiser": None,
        "target_groups": json.dumps(rec["target_groups"]), "participants_total": rec["participants_total"],
        "participants_female": rec["participants_female"], "participants_male": rec["participants_male"],
        "participants_youth": rec["participants_youth"], "quantity": rec.get("quantity"),
        "model_id": rec.get("model_id"), "school_id": rec.get("school_id"), "budget_vnd": rec["budget_vnd"],
        "notes": None, "title_norm": "", "point_id": None, "created_by": None,
    })


def _store_model(conn, rec: dict) -> None:
    _upsert(conn, "models", {**_meta_row(rec), "kind": rec["kind"], "name": "", "status": rec["status"],
                             "established_on": rec.get("established_on"), "notes": None})
    conn.execute("DELETE FROM model_status_events WHERE model_id = ?", (rec["id"],))
    conn.executemany("INSERT OR IGNORE INTO model_status_events (model_id, on_date, status) VALUES (?, ?, ?)",
                     [(rec["id"], h["on"], h["status"]) for h in rec.get("history") or []])


def _store_school(conn, rec: dict) -> None:
    _upsert(conn, "schools", {**_meta_row(rec), "name": "", "level": rec["level"], "notes": None})
    conn.execute("DELETE FROM school_integrations WHERE school_id = ?", (rec["id"],))
    conn.executemany("INSERT INTO school_integrations (school_id, year, integrated) VALUES (?, ?, ?)",
                     [(rec["id"], int(y), int(v)) for y, v in (rec.get("integrations") or {}).items()])


_STORE = {"cases": _store_case, "activities": _store_activity, "models": _store_model, "schools": _store_school}


def store(conn, table: str, record: dict) -> None:
    """Write an accepted record (checked with `check`) into this node's own tables, replacing its copy.

    A withheld case removes the copy: nothing about it stays at the parent but its version.
    """
    if record.get("withheld"):
        remove(conn, table, record["id"])
        return
    _STORE[table](conn, record)


def remove(conn, table: str, record_id: str) -> None:
    if table == "cases":
        _remove_case_parts(conn, record_id)
        conn.execute("DELETE FROM case_identities WHERE case_id = ?", (record_id,))
    elif table == "models":
        conn.execute("DELETE FROM model_status_events WHERE model_id = ?", (record_id,))
    elif table == "schools":
        conn.execute("DELETE FROM school_integrations WHERE school_id = ?", (record_id,))
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))


def conflicts(conn, table: str, record: dict) -> str | None:
    """A reason the record cannot be stored as it is here (another record holds its case code)."""
    if table == "cases" and not record.get("withheld"):
        other = conn.execute("SELECT id FROM cases WHERE code = ? AND id != ?", (record["code"], record["id"])).fetchone()
        if other:
            return "code_conflict"
    return None
