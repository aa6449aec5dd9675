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

import functools
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
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # reference codes: ASCII snake_case, never free text


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
_BATCH = 500  # ids per query: well under SQLite's limit on bound parameters


def _rows(conn, sql: str, params) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _grouped(conn, sql: str, ids: list[str], key: str) -> dict[str, list[dict]]:
    """Rows of a part table for many owners at once, grouped by owner id (`sql` has one `{ids}`)."""
    out: dict[str, list[dict]] = {}
    for row in _rows(conn, sql.format(ids=",".join("?" for _ in ids)), ids):
        out.setdefault(row[key], []).append(row)
    return out


def _meta(r: dict) -> dict:
    return {"id": r["id"], "origin": r["origin"], "rev": r["rev"], "created_at": month(r["created_at"]),
            "updated_at": month(r["updated_at"]), "deleted": bool(r["deleted"])}


def _bool(value) -> bool | None:
    return None if value is None else bool(value)


def withheld_stub(meta: dict) -> dict:
    return {**{k: meta[k] for k in META}, "withheld": True}


def reporting_consented(consents: list[dict]) -> bool:
    return any(c["scope"] == "reporting" and c["given"] and not c["withdrawn_on"] for c in consents)


def _cases(conn, ids: list[str]) -> dict[str, dict]:
    marks = "{ids}"
    parts = {
        "consents": _grouped(conn, f"SELECT case_id, scope, given, given_on, withdrawn_on FROM case_consents"
                                   f" WHERE case_id IN ({marks}) ORDER BY case_id, scope", ids, "case_id"),
        "dv_acts": _grouped(conn, f"SELECT case_id, act FROM case_dv_acts WHERE case_id IN ({marks})"
                                  f" ORDER BY case_id, act", ids, "case_id"),
        "perpetrators": _grouped(conn, f"SELECT case_id, sex, age_group, relationship, count FROM case_perpetrators"
                                       f" WHERE case_id IN ({marks}) ORDER BY case_id, idx", ids, "case_id"),
        "services": _grouped(conn, f"SELECT case_id, service, status, on_date FROM case_services"
                                   f" WHERE case_id IN ({marks}) ORDER BY case_id, service", ids, "case_id"),
        "referrals": _grouped(conn, f"SELECT case_id, service, referred_on, consent, outcome FROM case_referrals"
                                    f" WHERE case_id IN ({marks}) ORDER BY case_id, idx", ids, "case_id"),
        "follow_ups": _grouped(conn, f"SELECT case_id, due_on, status FROM case_follow_ups"
                                     f" WHERE case_id IN ({marks}) ORDER BY case_id, idx", ids, "case_id"),
        "actions": _grouped(conn, f"SELECT case_id, action, on_date FROM case_perpetrator_actions"
                                  f" WHERE case_id IN ({marks}) ORDER BY case_id, idx", ids, "case_id"),
    }
    out = {}
    for r in _rows(conn, f"SELECT * FROM cases WHERE id IN ({','.join('?' for _ in ids)})", ids):
        case_id = r["id"]
        consents = parts["consents"].get(case_id, [])
        if REQUIRE_REPORTING_CONSENT and not reporting_consented(consents):
            out[case_id] = withheld_stub(_meta(r))
            continue
        out[case_id] = {
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
            "dv_acts": [x["act"] for x in parts["dv_acts"].get(case_id, [])],
            "perpetrators": [{"sex": x["sex"], "age_group": x["age_group"], "relationship": x["relationship"],
                              "count": x["count"]} for x in parts["perpetrators"].get(case_id, [])],
            "consents": [{"scope": c["scope"], "given": bool(c["given"]), "given_on": month(c["given_on"]),
                          "withdrawn_on": month(c["withdrawn_on"])} for c in consents],
            "services": [{"service": x["service"], "status": x["status"], "on": month(x["on_date"])}
                         for x in parts["services"].get(case_id, [])],
            "referrals": [{"service": x["service"], "referred_on": month(x["referred_on"]),
                           "consent": bool(x["consent"]), "outcome": x["outcome"]}
                          for x in parts["referrals"].get(case_id, [])],
            "follow_ups": [{"due": month(x["due_on"]), "status": x["status"]}
                           for x in parts["follow_ups"].get(case_id, [])],
            "perpetrator_actions": [{"action": x["action"], "on": month(x["on_date"])}
                                    for x in parts["actions"].get(case_id, [])],
        }
    return out


def _activities(conn, ids: list[str]) -> dict[str, dict]:
    return {r["id"]: {**_meta(r), "kind": r["kind"], "starts_on": r["starts_on"], "ends_on": r["ends_on"],
                      "target_groups": list(json.loads(r["target_groups"] or "[]")),
                      "participants_total": r["participants_total"], "participants_female": r["participants_female"],
                      "participants_male": r["participants_male"], "participants_youth": r["participants_youth"],
                      "quantity": r["quantity"], "model_id": r["model_id"], "school_id": r["school_id"],
                      "budget_vnd": r["budget_vnd"]}
            for r in _rows(conn, f"SELECT * FROM activities WHERE id IN ({','.join('?' for _ in ids)})", ids)}


def _models(conn, ids: list[str]) -> dict[str, dict]:
    history = _grouped(conn, "SELECT model_id, on_date, status FROM model_status_events WHERE model_id IN ({ids})"
                             " ORDER BY model_id, on_date, status", ids, "model_id")
    return {r["id"]: {**_meta(r), "kind": r["kind"], "status": r["status"], "established_on": r["established_on"],
                      "history": [{"on": h["on_date"], "status": h["status"]} for h in history.get(r["id"], [])]}
            for r in _rows(conn, f"SELECT * FROM models WHERE id IN ({','.join('?' for _ in ids)})", ids)}


def _schools(conn, ids: list[str]) -> dict[str, dict]:
    marks = _grouped(conn, "SELECT school_id, year, integrated FROM school_integrations WHERE school_id IN ({ids})"
                           " ORDER BY school_id, year", ids, "school_id")
    return {r["id"]: {**_meta(r), "level": r["level"],
                      "integrations": {str(m["year"]): bool(m["integrated"]) for m in marks.get(r["id"], [])}}
            for r in _rows(conn, f"SELECT * FROM schools WHERE id IN ({','.join('?' for _ in ids)})", ids)}


_OUTGOING = {"cases": _cases, "activities": _activities, "models": _models, "schools": _schools}


def outgoing_many(conn, table: str, record_ids: list[str]) -> dict[str, dict]:
    """The allowed form of many stored records of one table, by id (missing ids are left out)."""
    reader = _OUTGOING.get(table)
    if reader is None:
        return {}
    out: dict[str, dict] = {}
    for i in range(0, len(record_ids), _BATCH):
        out.update(reader(conn, record_ids[i:i + _BATCH]))
    for record in out.values():
        spec = WITHHELD if record.get("withheld") else SPEC[table]
        if len(record) != len(spec) or any(key not in spec for key in record):
            # a programming error, never data: refuse rather than let a field out
            raise AssertionError(f"allow-list: {table} would send fields outside its spec: "
                                 f"{sorted(set(record) ^ set(spec))}")
    return out


def outgoing(conn, table: str, record_id: str) -> dict | None:
    """The allowed form of one stored record, or None (a table that never leaves, or no such record)."""
    return outgoing_many(conn, table, [record_id]).get(record_id)


# --- arriving: check a record against the spec and the parent's reference data ---------------------------
@dataclass
class Problem:
    reason: str  # malformed | unknown_code | unexpected_field
    field: str
    code: str | None = None

    def as_dict(self) -> dict:
        return {"reason": self.reason, "field": self.field, "code": self.code}


def _checker(spec: Field, reference):
    """A function (value, path, problems) for one field, with its reference codes looked up once."""
    kind = spec.kind
    codes = reference[spec.list].codes if spec.list else frozenset()
    if kind in ("id", "case_code"):
        def valid(v, path, problems):
            return isinstance(v, str) and _ID.match(v) is not None
    elif kind in ("month", "date"):
        pattern = _MONTH if kind == "month" else _DATE

        def valid(v, path, problems):
            return isinstance(v, str) and pattern.match(v) is not None
    elif kind == "int":
        def valid(v, path, problems):
            return type(v) is int and 0 <= v <= 10**15
    elif kind == "bool":
        def valid(v, path, problems):
            return v is True or v is False
    elif kind == "code":
        def valid(v, path, problems):
            if not isinstance(v, str) or _CODE.match(v) is None:
                return False
            if v not in codes:
                problems.append(Problem("unknown_code", path, v))
            return True
    elif kind == "codes":
        def valid(v, path, problems):
            if not isinstance(v, list) or not all(isinstance(c, str) and _CODE.match(c) for c in v):
                return False
            problems.extend(Problem("unknown_code", path, c) for c in v if c not in codes)
            return True
    elif kind == "year_flags":
        def valid(v, path, problems):
            return isinstance(v, dict) and all(isinstance(k, str) and _YEAR.match(k) and isinstance(f, bool)
                                               for k, f in v.items())
    elif kind == "rows":
        fields = _compiled_fields(spec.rows, reference)

        def valid(v, path, problems):
            if not isinstance(v, list) or not all(isinstance(row, dict) for row in v):
                return False
            for n, row in enumerate(v):
                _check_fields(fields, row, f"{path}[{n}].", problems)
            return True
    else:
        raise ValueError(f"unknown field kind {kind!r}")
    required = spec.required

    def check_one(v, path, problems):
        if v is None:
            if required:
                problems.append(Problem("malformed", path))
        elif not valid(v, path, problems):
            problems.append(Problem("malformed", path))
    return check_one


def _compiled_fields(spec: dict[str, Field], reference) -> dict:
    return {key: _checker(sub, reference) for key, sub in spec.items()}


@functools.lru_cache(maxsize=32)
def _compiled(table: str, reference) -> dict:
    return _compiled_fields(WITHHELD if table == "withheld" else SPEC[table], reference)


def _check_fields(fields: dict, record: dict, prefix: str, problems: list[Problem]) -> None:
    for key in record:
        if key not in fields:
            problems.append(Problem("unexpected_field", prefix + key))
    get = record.get
    for key, check_one in fields.items():
        check_one(get(key), prefix + key, problems)


def check(table: str, record, reference) -> list[Problem]:
    """What is wrong with an arriving record (empty: it can be stored). Never raises on bad data."""
    if table not in SPEC or not isinstance(record, dict):
        return [Problem("malformed", table)]
    withheld = record.get("withheld") is True
    if withheld and table != "cases":
        return [Problem("malformed", "withheld")]
    problems: list[Problem] = []
    _check_fields(_compiled("withheld" if withheld else table, reference), record, "", problems)
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


# --- storing accepted records at the parent ---------------------------------------------------------------
_PARTS = {
    "cases": ("case_id", ("case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                          "case_follow_ups", "case_perpetrator_actions", "case_identities")),
    "models": ("model_id", ("model_status_events",)),
    "schools": ("school_id", ("school_integrations",)),
    "activities": (None, ()),
}


def _upsert_many(conn, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    names = list(rows[0])
    updates = ", ".join(f"{k} = excluded.{k}" for k in names if k != "id")
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
                     f" ON CONFLICT(id) DO UPDATE SET {updates}", [tuple(r[k] for k in names) for r in rows])


def _in_batches(conn, sql: str, ids: list[str]) -> None:
    """Run `sql` (one `{ids}` placeholder list) over ids, a batch at a time."""
    for i in range(0, len(ids), _BATCH):
        chunk = ids[i:i + _BATCH]
        conn.execute(sql.format(ids=",".join("?" for _ in chunk)), chunk)


def _meta_row(rec: dict) -> dict:
    return {"id": rec["id"], "origin": rec["origin"], "rev": rec["rev"],
            "created_at": rec.get("created_at") or rec["updated_at"], "updated_at": rec["updated_at"],
            "deleted": int(rec["deleted"])}


def _many(conn, sql: str, rows: list) -> None:
    if rows:
        conn.executemany(sql, rows)


def _int(value) -> int | None:
    return None if value is None else int(value)


def _case_row(rec: dict) -> dict:
    return {
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


def _store_cases(conn, recs: list[dict]) -> None:
    _upsert_many(conn, "cases", [_case_row(r) for r in recs])
    acts, perpetrators, consents, services, referrals, follow_ups, actions = [], [], [], [], [], [], []
    for rec in recs:
        case_id = rec["id"]
        acts += [(case_id, act) for act in dict.fromkeys(rec["dv_acts"])]
        perpetrators += [(case_id, n, x.get("sex"), x.get("age_group"), x.get("relationship"), x["count"])
                         for n, x in enumerate(rec.get("perpetrators") or [])]
        consents += [(case_id, c["scope"], int(c["given"]), c.get("given_on"), c.get("withdrawn_on"))
                     for c in rec.get("consents") or []]
        services += [(case_id, x["service"], x["status"], x.get("on")) for x in rec.get("services") or []]
        referrals += [(case_id, n, x.get("service"), x.get("referred_on"), int(x["consent"]), x.get("outcome"))
                      for n, x in enumerate(rec.get("referrals") or [])]
        follow_ups += [(case_id, n, x["due"], x["status"]) for n, x in enumerate(rec.get("follow_ups") or [])]
        actions += [(case_id, n, x["action"], x.get("on")) for n, x in enumerate(rec.get("perpetrator_actions") or [])]
    _many(conn, "INSERT INTO case_dv_acts (case_id, act) VALUES (?, ?)", acts)
    _many(conn, "INSERT INTO case_perpetrators (case_id, idx, sex, age_group, relationship, count)"
          " VALUES (?, ?, ?, ?, ?, ?)", perpetrators)
    _many(conn, "INSERT OR REPLACE INTO case_consents (case_id, scope, given, given_on, withdrawn_on)"
          " VALUES (?, ?, ?, ?, ?)", consents)
    _many(conn, "INSERT OR REPLACE INTO case_services (case_id, service, status, on_date, provider_id)"
          " VALUES (?, ?, ?, ?, NULL)", services)
    _many(conn, "INSERT INTO case_referrals (case_id, idx, service, provider_id, provider_name, referred_on,"
          " consent, consent_on, outcome, outcome_on) VALUES (?, ?, ?, NULL, NULL, ?, ?, NULL, ?, NULL)", referrals)
    _many(conn, "INSERT INTO case_follow_ups (case_id, idx, due_on, done_on, status) VALUES (?, ?, ?, NULL, ?)",
          follow_ups)
    _many(conn, "INSERT INTO case_perpetrator_actions (case_id, idx, action, on_date) VALUES (?, ?, ?, ?)", actions)


def _store_activities(conn, recs: list[dict]) -> None:
    _upsert_many(conn, "activities", [{
        **_meta_row(rec), "kind": rec["kind"], "title": "", "starts_on": rec["starts_on"],
        "ends_on": rec.get("ends_on"), "place": None, "organiser": None,
        "target_groups": json.dumps(rec["target_groups"]), "participants_total": rec["participants_total"],
        "participants_female": rec["participants_female"], "participants_male": rec["participants_male"],
        "participants_youth": rec["participants_youth"], "quantity": rec.get("quantity"),
        "model_id": rec.get("model_id"), "school_id": rec.get("school_id"), "budget_vnd": rec["budget_vnd"],
        "notes": None, "title_norm": "", "point_id": None, "created_by": None,
    } for rec in recs])


def _store_models(conn, recs: list[dict]) -> None:
    _upsert_many(conn, "models", [{**_meta_row(r), "kind": r["kind"], "name": "", "status": r["status"],
                                   "established_on": r.get("established_on"), "notes": None} for r in recs])
    _many(conn, "INSERT OR IGNORE INTO model_status_events (model_id, on_date, status) VALUES (?, ?, ?)",
          [(r["id"], h["on"], h["status"]) for r in recs for h in r.get("history") or []])


def _store_schools(conn, recs: list[dict]) -> None:
    _upsert_many(conn, "schools", [{**_meta_row(r), "name": "", "level": r["level"], "notes": None} for r in recs])
    _many(conn, "INSERT INTO school_integrations (school_id, year, integrated) VALUES (?, ?, ?)",
          [(r["id"], int(y), int(v)) for r in recs for y, v in (r.get("integrations") or {}).items()])


_STORE = {"cases": _store_cases, "activities": _store_activities, "models": _store_models, "schools": _store_schools}


def store_many(conn, table: str, records: list[dict], *, fresh: frozenset | set = frozenset()) -> None:
    """Write accepted records (checked with `check`, one per id) into this node's own tables, replacing copies.

    `fresh`: ids the caller knows have no copy here yet (their parts need no clearing). A withheld
    case removes the copy: nothing about it stays at the parent but its version.
    """
    key, parts = _PARTS[table]
    stale = [r["id"] for r in records if r["id"] not in fresh or r.get("withheld")]
    for part in parts:
        _in_batches(conn, f"DELETE FROM {part} WHERE {key} IN ({{ids}})", stale)
    _in_batches(conn, f"DELETE FROM {table} WHERE id IN ({{ids}})",
                [r["id"] for r in records if r.get("withheld")])
    _STORE[table](conn, [r for r in records if not r.get("withheld")])


def store(conn, table: str, record: dict, *, fresh: bool = False) -> None:
    store_many(conn, table, [record], fresh={record["id"]} if fresh else frozenset())
