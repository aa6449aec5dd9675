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
- the annual report a commune (or district) finalises leaves whole: its
  figures and its PDF. It is the official aggregate report addressed to the
  parent — the document the plan requires the commune to send up, signed by
  its leader, which the officer would otherwise print and post. It is built
  from the same rules as every report for another body: only consented,
  not-twice-counted incidents; small counts already replaced by the
  profile's label (the figures carry the label, never the value); no
  identities, no case codes, no per-case rows. Its free-text sections
  (situation, difficulties, proposals) are written by the officer *for* the
  province, to be read there. The figures are checked to be tables of numbers
  and short labels, the PDF to be a PDF of bounded size.

- a case carries only the fields some province output needs (`CASE_SENT`;
  the list, with the output that needs each field, is in docs/disclosure.md):
  ethnicity only as "Kinh / dân tộc thiểu số" (`ethnic_minority`); marital
  status, disability, pregnancy, exact ethnicity, time of day, how the case
  came to light, the incident month, safety plan, closure, follow-ups and
  the other working fields stay home (the parent still accepts them from an
  older sender, `CASE_RETIRED`);
- before a case leaves, its quasi-identifiers (unit, month, age band, sex,
  ethnicity group) are checked for k-anonymity over the node's travelling
  cases of the same year (k from the profile, default 3): a case in a smaller
  group goes with its quarter instead of its month (`reported_quarter_only`),
  then without its ethnicity group, its age band, its sex, as far as needed
  (`generalise`). The figures still add up: a case is never left out.

`outgoing()` gives the allowed form of a stored record; `check()` is what a
parent runs on a record that arrives; `store()` writes an accepted one into the
parent's own tables (origin kept, nothing local filled in).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import json
import re
from dataclasses import dataclass, field

import orjson

from app.records import now_utc

SYNC_SCHEMA = 1  # the shape of records below; a parent keeps aside records of a newer shape

SYNCED_TABLES = ("models", "schools", "activities", "cases", "annual_reports")
NEVER_LEAVE = {
    "case_identities": "names, addresses, phones, ID numbers, narratives",
    "providers": "service providers' names, phones and addresses",
    "attachments": "files that may show people",
    "accounts": "users and password hashes",
    "audit_log": "who did what on this node",
}
# Without consent to be counted (or after it is withdrawn), a case travels as a stub only.
REQUIRE_REPORTING_CONSENT = True

# Years 1900–2199 only, and a date must exist on the calendar (never 2026-02-31): see `_real`.
_MONTH = re.compile(r"^(19|2[01])\d\d-(0[1-9]|1[0-2])\Z")
_DATE = re.compile(r"^(19|2[01])\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\Z")


def _real(pattern, v) -> bool:
    """`v` matches `pattern` and, for a date, is a day that exists."""
    if type(v) is not str or pattern.match(v) is None:
        return False
    if pattern is _DATE:
        try:
            datetime.date.fromisoformat(v)
        except ValueError:
            return False
    return True
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}\Z")
_YEAR = re.compile(r"^\d{4}\Z")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")  # reference codes: ASCII snake_case, never free text


def month(value) -> str | None:
    """'2025-03-10' or '2025-03-10T08:00:00+00:00' → '2025-03'; a month stays a month."""
    if value in (None, ""):
        return None
    return str(value)[:7]


# --- the shape of what travels ----------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    kind: str  # id | case_code | code | codes | month | date | int | bool | year_flags | rows | figures | pdf
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
    # Generalised for k-anonymity: `reported_on` is then the first month of the quarter it fell in.
    "reported_quarter_only": _f("bool"),
    "survivor_age_band": _f("code", "age_band"),
    "survivor_sex": _f("code", "sex"),
    "ethnic_minority": _f("bool"),  # "Kinh / dân tộc thiểu số" (Decree 356/2025: ethnic origin is sensitive)
    "location_type": _f("code", "location_type"),
    "violence_type": _f("code", "violence_type"),
    "reported_elsewhere": _f("bool", required=True),
    "delay_band": _f("code", "reporting_delay_band"),
    "perpetrator_count": _f("int", required=True),
    "perpetrators": _f("rows", rows={"sex": _f("code", "sex"), "age_group": _f("code", "age_band"),
                                     "relationship": _f("code", "relationship"),
                                     "count": _f("int", required=True)}),
    "consents": _f("rows", rows={"scope": _f("code", "consent_scope", True), "given": _f("bool", required=True),
                                 "given_on": _f("month"), "withdrawn_on": _f("month")}),
    "services": _f("rows", rows={"service": _f("code", "service", True), "status": _f("code", "service_status", True),
                                 "on": _f("month")}),
    "referrals": _f("rows", rows={"service": _f("code", "service"), "referred_on": _f("month"),
                                  "consent": _f("bool"), "outcome": _f("code", "referral_outcome")}),
    "perpetrator_actions": _f("rows", rows={"action": _f("code", "perpetrator_action", True), "on": _f("month")}),
}
#: What a case carries up (issue 16): only what some province output needs. Part rows carry fewer fields too
#: (`_CASE_SQL`): a perpetrator's age group, the dates of services, referrals and actions, a referral's consent
#: stay home.
# The province's de-duplication of a case another agency reported too (issue 17.6): an id, sent only with
# `reported_elsewhere` (`_CASE_SQL`).
CASE["duplicate_of"] = _f("id")
# The person's identity was erased at home (issue 18.8, Law 91/2025): the month it was, so the parent records the
# erasure as such. Nothing else of case management travels (risk, plans, reviews, consent details stay home).
CASE["identity_erased_on"] = _f("month")
CASE_SENT = frozenset(CASE)
#: Fields an older sender still sends: accepted (checked as before) and stored, never sent from here.
CASE_RETIRED = {
    "incident_on": _f("month"),
    "disclosure_channel": _f("code", "disclosure_channel"),
    "referral_source": _f("code", "disclosure_channel"),
    "marital_status": _f("code", "marital_status"),
    "disability": _f("code", "disability"),
    "ethnicity": _f("code", "ethnicity"),
    "pregnant": _f("bool"),
    "time_of_day": _f("code", "time_of_day"),
    "safety_plan": _f("bool"),
    "closed_on": _f("month"),
    "closure_items": _f("codes", "closure_item"),
    "ctx_intimate_partner": _f("bool"),
    "ctx_child_sexual_abuse": _f("bool"),
    "ctx_early_marriage": _f("bool"),
    "next_follow_up": _f("month"),
    "dv_acts": _f("codes", "dv_act"),
    "follow_ups": _f("rows", rows={"due": _f("month", required=True),
                                   "status": _f("code", "follow_up_status", True)}),
}
CASE = {**CASE, **CASE_RETIRED}
#: An older sender's case carried every retired field (its allow-list wrote each one, null when empty), and these
#: were required. A case that carries any retired field is an older sender's: it must carry these too, and the
#: local save's rules on its retired fields apply to it as before (`older_sender`). A newer sender's case carries
#: none of them; the rules about fields that stayed home are the commune's, kept by its own save.
CASE_RETIRED_REQUIRED = ("safety_plan", "closure_items", "ctx_intimate_partner", "ctx_child_sexual_abuse",
                         "ctx_early_marriage", "dv_acts")
#: Part-row fields that stay home now, and those an older sender's rows always carried.
ROW_RETIRED = {"perpetrators": ("age_group",), "services": ("on",), "referrals": ("referred_on", "consent"),
               "perpetrator_actions": ("on",)}
ROW_RETIRED_REQUIRED = {"referrals": ("consent",)}
_RETIRED_KEYS = frozenset(CASE_RETIRED)


def older_sender(record: dict) -> bool:
    """A case in an older sender's shape: it carries fields that stay home now (`CASE_RETIRED`)."""
    return not _RETIRED_KEYS.isdisjoint(record)


def _older_shape_problems(record: dict) -> list:
    """An older sender's case carries everything its allow-list required (a record with only some retired fields
    is neither shape)."""
    problems = [Problem("malformed", key) for key in CASE_RETIRED_REQUIRED if record.get(key) is None]
    for part, keys in ROW_RETIRED_REQUIRED.items():
        rows = record.get(part)
        if isinstance(rows, list):
            problems += [Problem("malformed", f"{part}[{n}].{key}") for n, row in enumerate(rows)
                         if isinstance(row, dict) for key in keys if row.get(key) is None]
    return problems
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
    "topic": _f("code", "activity_topic"),  # what it was about and who paid: codes only (issue 17)
    "funding_source": _f("code", "funding_source"),
}
MODEL = {
    **META,
    "kind": _f("code", "model_kind", True),
    "status": _f("code", "model_status", True),
    "established_on": _f("date"),
    "history": _f("rows", rows={"on": _f("date", required=True), "status": _f("code", "model_status", True)}),
}
SCHOOL = {**META, "level": _f("code", "school_level", True), "integrations": _f("year_flags")}

# The finalised annual report (app.reports.submission): why it may leave is in the module docstring.
ANNUAL_REPORT = {
    **META,
    "year": _f("int", required=True),
    "finalised_on": _f("date", required=True),
    "figures": _f("figures", required=True),
    "pdf": _f("pdf", required=True),
}

SPEC: dict[str, dict[str, Field]] = {"cases": CASE, "activities": ACTIVITY, "models": MODEL, "schools": SCHOOL,
                                     "annual_reports": ANNUAL_REPORT}
#: What leaves this node, table by table (what a parent accepts, `SPEC`, may be more: older senders' fields).
SENT: dict[str, frozenset] = {table: (CASE_SENT if table == "cases" else frozenset(spec)) for table, spec in SPEC.items()}

# --- the annual report's two free-form fields, checked for shape ----------------------------------------------
# A finalised PDF travels in one package line, which cannot be split: keep it well under a package part
# (sync.package.DEFAULT_PART_LIMIT, 8 MB, itself under e-mail limits). An annual report is a few hundred KB.
MAX_PDF_BYTES = 4 * 1024 * 1024  # app.reports.submission refuses to finalise a larger one
_MAX_PDF_B64 = (MAX_PDF_BYTES + 2) // 3 * 4
_LABEL = re.compile(r"^[^\x00-\x1f\x7f]{0,300}\Z")  # one printed line: no control characters, no line breaks
_FIGURES_KEYS = frozenset({"kind", "period", "tables"})
_TABLE_KEYS = frozenset({"key", "title", "columns", "rows", "total"})


def _label_ok(v) -> bool:
    return type(v) is str and _LABEL.match(v) is not None


def _figure_cell_ok(v) -> bool:
    if v is None or v is True or v is False:
        return True
    if type(v) is int:
        return -10**15 <= v <= 10**15
    if type(v) is float:
        return v == v and abs(v) <= 10**15
    return _label_ok(v)


def _cells_ok(v) -> bool:
    return type(v) is list and len(v) <= 60 and all(_figure_cell_ok(c) for c in v)


def _figures_ok(v) -> bool:
    """The report's tables: short labels and numbers, nothing nested deeper, nothing unbounded."""
    if type(v) is not dict or not v.keys() <= _FIGURES_KEYS or v.get("kind") != "annual":
        return False
    if not (v.get("period") is None or (type(v["period"]) is str and _YEAR.match(v["period"]))):
        return False
    tables = v.get("tables")
    if type(tables) is not list or len(tables) > 100:
        return False
    for t in tables:
        if type(t) is not dict or not t.keys() <= _TABLE_KEYS or not _label_ok(t.get("key")) \
                or not _label_ok(t.get("title")):
            return False
        columns, rows, total = t.get("columns"), t.get("rows"), t.get("total")
        if type(columns) is not list or len(columns) > 60 or not all(_label_ok(c) for c in columns):
            return False
        if type(rows) is not list or len(rows) > 5000 or not all(_cells_ok(r) for r in rows):
            return False
        if total is not None and not _cells_ok(total):
            return False
    return True


def _pdf_ok(v) -> bool:
    """Base64 of a PDF file, of bounded size."""
    if type(v) is not str or not 0 < len(v) <= _MAX_PDF_B64:
        return False
    try:
        head = base64.b64decode(v[:12], validate=True)
        base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        return False
    return head.startswith(b"%PDF-")


_SHAPES = {"figures": _figures_ok, "pdf": _pdf_ok}


# --- leaving: stored record → allowed record ------------------------------------------------------------
# SQLite writes each allowed record as one JSON object, in one query per table for all the ids at once (the
# ids travel as one JSON array, so there is no limit on bound parameters): only the columns named below are
# read, dates are cut to months there. A package carries that text as it is (`outgoing_json_many`); Python
# reads it with orjson where it needs dicts, instead of building them value by value. Every field is listed
# here by name, each table's list is checked against `SPEC` on import, and `outgoing_many` checks every record.
_IDS = "(SELECT value FROM json_each(?))"


def _m(column: str) -> str:
    """`month(column)`: the first seven characters, null for NULL or empty."""
    return f"nullif(substr({column}, 1, 7), '')"


def _b(column: str) -> str:
    """`bool(column)`: NULL and 0 are false."""
    return f"json(iif({column}, 'true', 'false'))"


def _nb(column: str) -> str:
    """`None if column is None else bool(column)`."""
    return f"json(CASE WHEN {column} IS NULL THEN 'null' WHEN {column} THEN 'true' ELSE 'false' END)"


def _list(column: str) -> str:
    """A JSON list stored as text (empty or NULL: [])."""
    return f"json(coalesce(nullif({column}, ''), '[]'))"


def _object(fields: dict[str, str]) -> str:
    return "json_object(" + ", ".join(f"'{key}', {expr}" for key, expr in fields.items()) + ")"


def _part_rows(table: str, key: str, fields: dict[str, str], order: str) -> str:
    """A JSON array of the part table's rows of one record (`fields`: key → SQL), in `order`."""
    return (f"json((SELECT json_group_array({_object(fields)} ORDER BY {order}) FROM {table}"
            f" WHERE {table}.{key} = r.id))")


def _part_values(table: str, key: str, column: str, order: str) -> str:
    return f"json((SELECT json_group_array({column} ORDER BY {order}) FROM {table} WHERE {table}.{key} = r.id))"


_META_SQL = {"id": "r.id", "origin": "r.origin", "rev": "r.rev", "created_at": _m("r.created_at"),
             "updated_at": _m("r.updated_at"), "deleted": _b("r.deleted")}
_WITHHELD_SQL = {**_META_SQL, "withheld": "json('true')"}
_CONSENTED = ("EXISTS (SELECT 1 FROM case_consents AS c WHERE c.case_id = r.id AND c.scope = 'reporting'"
              " AND c.given AND nullif(substr(c.withdrawn_on, 1, 7), '') IS NULL)")

_HEX = "[0-9a-f]"
_UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
_ETHNIC_MINORITY = ("json(CASE WHEN r.ethnicity = 'kinh' THEN 'false'"
                    " WHEN r.ethnicity IS NULL OR r.ethnicity IN ('', 'unknown') THEN 'null' ELSE 'true' END)")
_CASE_SQL = {
    **_META_SQL,
    "code": "r.code", "status": "r.status", "reported_on": _m("r.reported_on"),
    # A case received as a quarter stays a quarter when it goes further up (`generalise` may widen more).
    "reported_quarter_only": "json(iif(r.reported_precision = 'quarter', 'true', 'false'))",
    "survivor_age_band": "r.survivor_age_band", "survivor_sex": "r.survivor_sex", "ethnic_minority": _ETHNIC_MINORITY,
    "location_type": "r.location_type", "violence_type": "r.violence_type",
    "reported_elsewhere": _b("r.reported_elsewhere"), "delay_band": "r.delay_band",
    # The record of the same case the province may hold (another agency's): only an id leaves, and only for a
    # case reported by another agency, for the province's de-duplication (app.targets.countable_cases); a
    # duplicate within the commune needs no link (its status keeps it out of every count), and a value typed by
    # hand before it became a reference, a name or a phone, stays home.
    "duplicate_of": f"CASE WHEN r.reported_elsewhere AND r.duplicate_of GLOB '{_UUID_GLOB}' THEN r.duplicate_of END",
    "identity_erased_on": _m("r.identity_erased_on"),
    "perpetrator_count": "r.perpetrator_count",
    "perpetrators": _part_rows("case_perpetrators", "case_id", {
        "sex": "sex", "relationship": "relationship", "count": "count"}, "idx"),
    "consents": _part_rows("case_consents", "case_id", {
        "scope": "scope", "given": _b("given"), "given_on": _m("given_on"), "withdrawn_on": _m("withdrawn_on")},
        "scope"),
    "services": _part_rows("case_services", "case_id", {"service": "service", "status": "status"}, "service"),
    "referrals": _part_rows("case_referrals", "case_id", {"service": "service", "outcome": "outcome"}, "idx"),
    "perpetrator_actions": _part_rows("case_perpetrator_actions", "case_id", {"action": "action"}, "idx"),
}
_ACTIVITY_SQL = {
    **_META_SQL,
    "kind": "r.kind", "starts_on": "r.starts_on", "ends_on": "r.ends_on", "target_groups": _list("r.target_groups"),
    "participants_total": "r.participants_total", "participants_female": "r.participants_female",
    "participants_male": "r.participants_male", "participants_youth": "r.participants_youth",
    "quantity": "r.quantity", "model_id": "r.model_id", "school_id": "r.school_id", "budget_vnd": "r.budget_vnd",
    "topic": "r.topic", "funding_source": "r.funding_source",
}
_MODEL_SQL = {
    **_META_SQL,
    "kind": "r.kind", "status": "r.status", "established_on": "r.established_on",
    "history": _part_rows("model_status_events", "model_id", {"on": "on_date", "status": "status"},
                          "on_date, status"),
}
_SCHOOL_SQL = {
    **_META_SQL,
    "level": "r.level",
    "integrations": "json((SELECT json_group_object(CAST(year AS TEXT), json(iif(integrated, 'true', 'false')))"
                    " FROM (SELECT year, integrated FROM school_integrations WHERE school_id = r.id"
                    " ORDER BY year)))",
}


def _reader(table: str, fields: dict[str, str]) -> str:
    if fields.keys() != SENT[table]:  # a programming error: refuse to start rather than let a field out
        raise AssertionError(f"allow-list: {table}'s query and SENT differ: {sorted(set(fields) ^ set(SENT[table]))}")
    record = _object(fields)
    if table == "cases" and REQUIRE_REPORTING_CONSENT:
        record = f"CASE WHEN {_CONSENTED} THEN {record} ELSE {_object(_WITHHELD_SQL)} END"
    return f"SELECT r.id, {record} FROM {table} AS r WHERE r.id IN {_IDS}"


_ANNUAL_REPORT_SQL = {
    **_META_SQL,
    "year": "r.year", "finalised_on": "r.finalised_on", "figures": "json(r.figures)", "pdf": "r.pdf",
}


_OUTGOING = {"cases": _reader("cases", _CASE_SQL), "activities": _reader("activities", _ACTIVITY_SQL),
             "models": _reader("models", _MODEL_SQL), "schools": _reader("schools", _SCHOOL_SQL),
             "annual_reports": _reader("annual_reports", _ANNUAL_REPORT_SQL)}
_SPEC_KEYS = SENT
_WITHHELD_KEYS = frozenset(WITHHELD)


def withheld_stub(meta: dict) -> dict:
    return {**{k: meta[k] for k in META}, "withheld": True}


def reporting_consented(consents: list[dict]) -> bool:
    return any(c["scope"] == "reporting" and c["given"] and not c["withdrawn_on"] for c in consents)


def outgoing_json_many(conn, table: str, record_ids: list[str], *, k: int = 3, leaving: bool = False
                       ) -> dict[str, str]:
    """The allowed form of many stored records of one table as JSON text, by id (missing ids are left out).

    What a package carries: the text goes into the package as it is, without a round trip through dicts —
    except cases that k-anonymity generalises (`generalise`, k from the profile). `leaving`: they go into a
    package now (inside its transaction): each case's level is kept, and never lowered afterwards.
    """
    sql = _OUTGOING.get(table)
    if sql is None or not record_ids:
        return {}
    out = dict(conn.execute(sql, (json.dumps(list(record_ids)),)).fetchall())
    if table == "cases" and k > 1:
        _generalise_texts(conn, out, k, leaving)
    return out


# --- k-anonymity of the cases that travel ------------------------------------------------------------------
#: The quasi-identifiers a case carries up (unit, month, age band, sex, ethnicity group), widened level by level:
#: 0 as recorded; 1 the quarter instead of the month; 2 and no ethnicity group; 3 and the age band "unknown"
#: (the reference list has no wider bands); 4 and no sex.
GENERALISATION_LEVELS = 4
_QI_SQL = ("SELECT r.id, r.origin, substr(r.reported_on, 1, 7), r.survivor_age_band, r.survivor_sex,"
           " CASE WHEN r.ethnicity = 'kinh' THEN 0 WHEN r.ethnicity IS NULL OR r.ethnicity IN ('', 'unknown')"
           " THEN NULL ELSE 1 END, r.reported_precision = 'quarter'"
           f" FROM cases AS r WHERE r.deleted = 0 AND {_CONSENTED} AND substr(r.reported_on, 1, 4) IN"
           " (SELECT value FROM json_each(?))")


def _quarter_of(month_text: str | None) -> str | None:
    if not month_text or len(month_text) < 7:
        return month_text
    first = (int(month_text[5:7]) - 1) // 3 * 3 + 1
    return f"{month_text[:4]}-{first:02d}"


def quasi_identifiers(row: tuple, level: int) -> tuple:
    """A case's (unit, month or quarter, age band, sex, ethnicity group) as it leaves at `level`."""
    _, origin, month_text, band, sex, minority, quarter_only = row
    when = month_text if level == 0 and not quarter_only else ("Q", _quarter_of(month_text))
    return (origin, when, band if level < 3 else "unknown", sex if level < 4 else None,
            minority if level < 2 else None)


def generalise(rows: list[tuple], k: int, floor: dict | None = None) -> dict[str, int]:
    """Each case's generalisation level so that every combination of quasi-identifiers that leaves is shared by
    at least k cases (rows: id, origin, month, age band, sex, ethnicity group, received as a quarter).

    Level by level: the cases of a smaller group go up one level; where the group they join there is still
    smaller than k, whole groups that would join it (the smallest first) go up with them, so that none is left
    behind alone. What is still smaller than k at the last level stays there (a unit with that few cases in a
    quarter): the level says so, the figures still count it. `floor`: the level each case already left with
    (a case is never sent finer than before).
    """
    floor = floor or {}
    level = {row[0]: min(floor.get(row[0], 0), GENERALISATION_LEVELS) for row in rows}
    for current in range(GENERALISATION_LEVELS):
        groups: dict = {}
        for row in rows:
            if level[row[0]] == current:
                groups.setdefault(quasi_identifiers(row, current), []).append(row)
        small = [g for g in groups.values() if len(g) < k]
        if not small:
            continue
        for group in small:
            for row in group:
                level[row[0]] = current + 1
        above: dict = {}
        for row in rows:
            if level[row[0]] == current + 1:
                above.setdefault(quasi_identifiers(row, current + 1), []).append(row)
        donors: dict = {}
        for group in groups.values():
            if len(group) >= k:
                donors.setdefault(quasi_identifiers(group[0], current + 1), []).append(group)
        for combination, members in above.items():
            for group in sorted(donors.get(combination, ()), key=len):
                if len(members) >= k:
                    break
                for row in group:
                    level[row[0]] = current + 1
                members += group
    return level


def _generalise_texts(conn, texts: dict[str, str], k: int, leaving: bool = False) -> None:
    """Widen, in place, the cases of `texts` whose quasi-identifiers are shared by fewer than k travelling cases
    of their year at this node (deleted cases leave fully widened: a tombstone needs none of them)."""
    loads, dumps = orjson.loads, orjson.dumps
    stored = conn.execute("SELECT r.id, substr(r.reported_on, 1, 4), r.deleted FROM cases AS r WHERE r.id IN"
                          f" {_IDS}", (json.dumps(list(texts)),)).fetchall()
    years = sorted({year for _, year, _ in stored if year})
    levels = _levels(conn, years, k)
    sent = []
    for case_id, _, deleted in stored:
        level = levels.get(case_id, GENERALISATION_LEVELS if deleted else 0)
        sent.append((case_id, level))
        if level == 0:
            continue  # as recorded: the text leaves untouched
        record = loads(texts[case_id])
        if record.get("withheld"):
            continue
        record["reported_on"] = _quarter_of(record["reported_on"])
        record["reported_quarter_only"] = True
        if level >= 2:
            record["ethnic_minority"] = None
        if level >= 3:
            record["survivor_age_band"] = "unknown"
        if level >= 4:
            record["survivor_sex"] = None
        texts[case_id] = dumps(record).decode("utf-8")
    if leaving and _has_sent_levels(conn):
        conn.executemany("INSERT INTO case_sent_levels (case_id, level) VALUES (?, ?) ON CONFLICT(case_id)"
                         " DO UPDATE SET level = max(level, excluded.level)", sent)


def _has_sent_levels(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_sent_levels'"
                        ).fetchone() is not None


def _levels(conn, years: list[str], k: int) -> dict[str, int]:
    """Each travelling case's level in these years, never below the level it already left with."""
    if not years:
        return {}
    rows = conn.execute(_QI_SQL, (json.dumps(years),)).fetchall()
    floor = dict(conn.execute("SELECT case_id, level FROM case_sent_levels").fetchall()) \
        if _has_sent_levels(conn) else {}
    return generalise([tuple(row) for row in rows], k, floor)


def widen_before_build(conn, k: int, changed_at: str) -> int:
    """Queue again (in the outbox) every case already sent that must now leave wider than it did.

    Groups change after a case has left — new cases take part of a group up to cover a small one, a
    withdrawal or a deletion shrinks one — and the parent must never hold a case finer than its group
    allows. Called before a package is built; returns how many cases were queued.
    """
    if k <= 1 or not _has_sent_levels(conn):
        return 0
    sent = dict(conn.execute("SELECT case_id, level FROM case_sent_levels").fetchall())
    if not sent:
        return 0
    years = [row[0] for row in conn.execute(
        "SELECT DISTINCT substr(reported_on, 1, 4) FROM cases WHERE reported_on IS NOT NULL").fetchall()]
    levels = _levels(conn, sorted(y for y in years if y), k)
    wider = [case_id for case_id, level in levels.items() if case_id in sent and level > sent[case_id]]
    if wider:
        # A new revision: the parent replaces a record only by a newer one (the case itself is unchanged).
        conn.execute(f"UPDATE cases SET rev = rev + 1 WHERE id IN {_IDS}", (json.dumps(wider),))
        revs = dict(conn.execute(f"SELECT id, rev FROM cases WHERE id IN {_IDS}", (json.dumps(wider),)).fetchall())
        conn.executemany("INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES ('cases', ?, ?, ?)",
                         [(case_id, revs[case_id], changed_at) for case_id in wider])
    return len(wider)


def outgoing_many(conn, table: str, record_ids: list[str], *, k: int = 3) -> dict[str, dict]:
    """The allowed form of many stored records of one table, by id (missing ids are left out)."""
    loads = orjson.loads
    out = {record_id: loads(text) for record_id, text in outgoing_json_many(conn, table, record_ids, k=k).items()}
    keys = _SPEC_KEYS.get(table)
    for record in out.values():
        if record.keys() != keys and not (record.get("withheld") is True and record.keys() == _WITHHELD_KEYS):
            # a programming error, never data: refuse rather than let a field out
            spec = WITHHELD if record.get("withheld") else SENT[table]
            raise AssertionError(f"allow-list: {table} would send fields outside its spec: "
                                 f"{sorted(set(record) ^ set(spec))}")
    return out


def outgoing(conn, table: str, record_id: str, *, k: int = 3) -> dict | None:
    """The allowed form of one stored record, or None (a table that never leaves, or no such record)."""
    return outgoing_many(conn, table, [record_id], k=k).get(record_id)


# --- arriving: check a record against the spec and the parent's reference data ---------------------------
@dataclass
class Problem:
    reason: str  # malformed | unknown_code | unexpected_field | invalid (a rule a local save keeps)
    field: str
    code: str | None = None
    vi: str | None = None  # for `invalid`: what the rule says
    en: str | None = None

    def as_dict(self) -> dict:
        out = {"reason": self.reason, "field": self.field, "code": self.code}
        if self.vi:
            out.update(vi=self.vi, en=self.en)
        return out


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
            return _real(pattern, v)
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
            if not isinstance(v, list) or len(v) > MAX_LIST or not all(isinstance(c, str) and _CODE.match(c)
                                                                       for c in v):
                return False
            problems.extend(Problem("unknown_code", path, c) for c in v if c not in codes)
            return True
    elif kind == "year_flags":
        def valid(v, path, problems):
            return _year_flags_ok(v)
    elif kind in _SHAPES:
        shape = _SHAPES[kind]

        def valid(v, path, problems):
            return shape(v)
    elif kind == "rows":
        fields = _compiled_fields(spec.rows, reference)

        def valid(v, path, problems):
            if not isinstance(v, list) or len(v) > MAX_LIST or not all(isinstance(row, dict) for row in v):
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


# The fast path: most records that arrive are well formed, and for those one function written from the
# spec says so, a plain test per field (set lookups for codes, remembered months and dates; no problem list,
# no path, no call per field). It answers
# only "nothing wrong"; anything else, and anything it cannot read, goes the careful way below, which
# names every problem. It never accepts what the careful way would refuse (tests/sync/test_speed_paths.py).
_MAX_INT = 10**15
MAX_LIST = 200  # codes or part rows in one record: far more than a form holds, far less than a flood
_MEMO_LIMIT = 100_000
_VALID: dict[re.Pattern[str], set[str]] = {_MONTH: set(), _DATE: set()}  # month and date strings already seen to match (shared, bounded)
_VALID_OWNERS: set = set()  # the same for owner ids


@dataclass(frozen=True)
class _Plan:
    keys: frozenset
    sets: tuple         # (key, accepted values): codes of a list (and None when optional)
    bools: tuple        # (key, optional)
    ints: tuple         # (key, optional)
    patterns: tuple     # (key, pattern, memo or None, optional): ids, months, dates
    code_lists: tuple   # (key, accepted codes, optional)
    rows: tuple         # (key, plan of a row, optional)
    year_flags: tuple   # (key, optional)
    shapes: tuple       # (key, shape check, optional): the annual report's figures and PDF


def _plan_of(spec: dict[str, Field], reference) -> _Plan:
    groups: dict[str, list] = {g: [] for g in ("sets", "bools", "ints", "patterns", "code_lists", "rows",
                                               "year_flags", "shapes")}
    for key, sub in spec.items():
        optional = not sub.required
        codes = frozenset(c for c in reference[sub.list].codes
                          if isinstance(c, str) and _CODE.match(c)) if sub.list else frozenset()
        if sub.kind == "code":
            groups["sets"].append((key, codes | {None} if optional else codes))
        elif sub.kind == "bool":
            groups["bools"].append((key, optional))
        elif sub.kind == "int":
            groups["ints"].append((key, optional))
        elif sub.kind in ("id", "case_code"):
            # Owners are few and repeat in every record; other ids are mostly seen once.
            groups["patterns"].append((key, _ID, _VALID_OWNERS if key == "origin" else None, optional))
        elif sub.kind in ("month", "date"):
            pattern = _MONTH if sub.kind == "month" else _DATE
            groups["patterns"].append((key, pattern, _VALID[pattern], optional))
        elif sub.kind == "codes":
            groups["code_lists"].append((key, codes, optional))
        elif sub.kind == "rows":
            groups["rows"].append((key, _plan_of(sub.rows, reference), optional))
        elif sub.kind == "year_flags":
            groups["year_flags"].append((key, optional))
        elif sub.kind in _SHAPES:
            groups["shapes"].append((key, _SHAPES[sub.kind], optional))
        else:
            raise ValueError(f"unknown field kind {sub.kind!r}")
    return _Plan(frozenset(spec), **{g: tuple(items) for g, items in groups.items()})


def _memo_match(v, pattern, memo) -> bool:
    if not _real(pattern, v):
        return False
    if len(memo) < _MEMO_LIMIT:
        memo.add(v)
    return True


def _year_flags_ok(v) -> bool:
    return type(v) is dict and len(v) <= MAX_LIST and all(type(k) is str and _YEAR.match(k) and type(f) is bool
                                                          for k, f in v.items())


def _compile_plan(plan: _Plan, names: dict) -> tuple[str, list[str]]:
    """(name, source lines) of a function `(record) -> bool`: True only if every field of `plan` holds, one
    test per field written out (no loops, no calls per field). `names` collects the constants it uses."""
    def const(value) -> str:
        name = f"c{len(names)}"
        names[name] = value
        return name

    fn = f"f{len(names)}"
    names[fn] = None
    out = [f"def {fn}(record):",
           f"    if type(record) is not dict or not record.keys() <= {const(plan.keys)}:",
           "        return False",
           "    get = record.get"]

    def test(key, condition, optional):
        out.append(f"    v = get({key!r})")
        out.append(f"    if not ({'v is None or ' if optional else ''}{condition}):")
        out.append("        return False")

    for key, accepted in plan.sets:
        test(key, f"v in {const(accepted)}", False)
    for key, optional in plan.bools:
        test(key, "v is True or v is False", optional)
    for key, optional in plan.ints:
        test(key, f"(type(v) is int and 0 <= v <= {_MAX_INT})", optional)
    for key, pattern, memo, optional in plan.patterns:
        if memo is None:
            test(key, f"(type(v) is str and {const(pattern)}.match(v) is not None)", optional)
        else:
            test(key, f"(v in {const(memo)} or _memo_match(v, {const(pattern)}, {const(memo)}))", optional)
    for key, accepted, optional in plan.code_lists:
        test(key, f"(type(v) is list and len(v) <= {MAX_LIST} and {const(accepted)}.issuperset(v))", optional)
    for key, sub, optional in plan.rows:
        row_fn, row = _compile_plan(sub, names)
        out[:0] = row  # defined before the function that calls it
        test(key, f"(type(v) is list and len(v) <= {MAX_LIST})", optional)
        out += ["    if v is not None:", "        for row in v:", f"            if not {row_fn}(row):",
                "                return False"]
    for key, optional in plan.year_flags:
        test(key, "_year_flags_ok(v)", optional)
    for key, shape, optional in plan.shapes:
        test(key, f"{const(shape)}(v)", optional)
    out.append("    return True")
    return fn, out


@functools.lru_cache(maxsize=32)
def _planned(table: str, reference):
    """The fast check of `table` ("withheld": a withheld stub) as one function, written for its plan."""
    plan = _plan_of(WITHHELD if table == "withheld" else SPEC[table], reference)
    names: dict = {}
    top, lines = _compile_plan(plan, names)
    source = "\n".join(lines)
    scope = {**{k: v for k, v in names.items() if v is not None}, "_memo_match": _memo_match,
             "_year_flags_ok": _year_flags_ok}
    code = compile(source, f"<sync_allow fast check: {table}>", "exec")
    exec(code, scope)  # noqa: S102 - our own source, written from SPEC; received values are bound as constants
    return scope[top]


def check(table: str, record, reference) -> list[Problem]:
    """What is wrong with an arriving record (empty: it can be stored). Never raises on bad data.

    First its shape (`SPEC`: known fields, codes, real dates, bounded sizes), then, for a well-shaped record,
    the rules a save at the node itself keeps (`check_values`)."""
    if table not in SPEC or not isinstance(record, dict):
        return [Problem("malformed", table)]
    withheld = record.get("withheld") is True
    if withheld and table != "cases":
        return [Problem("malformed", "withheld")]
    name = "withheld" if withheld else table
    try:
        if _planned(name, reference)(record) and not (
                table == "cases" and not withheld and older_sender(record) and _older_shape_problems(record)):
            return [] if withheld else check_values(table, record, reference)
    except TypeError:  # an unhashable value where a code belongs, and the like: the careful way names it
        pass
    return check_carefully(table, record, reference)


def check_carefully(table: str, record, reference) -> list[Problem]:
    """`check` without its fast path: every problem, named."""
    if table not in SPEC or not isinstance(record, dict):
        return [Problem("malformed", table)]
    withheld = record.get("withheld") is True
    if withheld and table != "cases":
        return [Problem("malformed", "withheld")]
    problems: list[Problem] = []
    _check_fields(_compiled("withheld" if withheld else table, reference), record, "", problems)
    if not problems and table == "cases" and not withheld and older_sender(record):
        problems = _older_shape_problems(record)
    if not problems and not withheld:
        problems = check_values(table, record, reference)
    return problems


# --- arriving: the rules of a local save, for the fields that travel ------------------------------------
# A record that passed `SPEC` is rebuilt in the shape the node's own form saves and run through the same
# validator (app.cases.validate.clean_case, app.activities.clean_activity): what a commune could not have
# saved at home (an incident after its report, a closed case with no closing date, more women than people,
# a referral without consent…) is kept aside at the parent too. Months travel instead of days, so a month
# stands for its first day, and what the validator derives (the perpetrator count, the contexts, the next
# follow-up) must be what the record says.
_SLACK_DAYS = 3  # a child's clock a little ahead of the parent's is not an error
MAX_PERPETRATOR_ROWS = 50
_CASE_REF = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _day(month_text):
    return None if month_text is None else f"{month_text}-01"


# A path of the local form → the field that travels (the receipt names the field the commune sent).
_LOCAL_PATHS = {"intake.reported_on": "reported_on", "intake.incident_on": "incident_on",
                "intake.disclosure_channel": "disclosure_channel", "intake.referral_source": "referral_source",
                "survivor.age_band": "survivor_age_band", "survivor.sex": "survivor_sex",
                "survivor.pregnant": "pregnant", "survivor.marital_status": "marital_status",
                "survivor.disability": "disability", "survivor.ethnicity": "ethnicity",
                "incident.violence_type": "violence_type", "incident.dv_acts": "dv_acts",
                "incident.time_of_day": "time_of_day", "incident.location_type": "location_type",
                "incident.reported_elsewhere": "reported_elsewhere", "closure.closed_on": "closed_on",
                "closure.items": "closure_items", "safety_plan.in_place": "safety_plan"}


def _travelling(path: str) -> str:
    if path in _LOCAL_PATHS:
        return _LOCAL_PATHS[path]
    if path.startswith("participants."):
        return "participants_" + path.split(".", 1)[1]
    if path.startswith("consent."):
        return "consents"
    return path


def _invalid(errors) -> list[Problem]:
    return [Problem("invalid", _travelling(e.path), None, e.vi, e.en) for e in errors]


def _any_code(reference, list_name: str) -> str:
    return min(reference[list_name].codes)


def _as_local_case(r: dict, today=None, reference=None) -> dict:
    """The case in the shape the node's own form saves, for the node's own validator.

    A newer sender's case carries none of the fields that stay home (`CASE_RETIRED`, `ROW_RETIRED`), and the
    rules about them are the commune's own (its save keeps them): for the validator's sake they are filled in
    with values no rule refuses (any channel of the list; a closed case closed in the month it was reported,
    with a checklist item; a referral made with consent in the month of the report), never stored. Every field
    that travels is checked as it arrived; an older sender's case is checked whole, as before."""
    consents = {c["scope"]: c for c in r.get("consents") or []}
    older = older_sender(r)
    reported = _day(r["reported_on"])
    channel, items, closed_on = r.get("disclosure_channel"), r.get("closure_items") or [], _day(r.get("closed_on"))
    if not older and reference is not None:
        channel = _any_code(reference, "disclosure_channel")
        if r["status"] == "closed":
            items, closed_on = [_any_code(reference, "closure_item")], reported

    def referral(x):
        referred_on = _day(x.get("referred_on"))
        consent = x.get("consent")
        if "referred_on" not in x and not older:
            referred_on = reported
        if "consent" not in x and not older:
            consent = True
        return {"service": x.get("service"), "referred_on": referred_on, "consent": consent,
                "outcome": x.get("outcome")}
    return {
        "status": r["status"],
        "intake": {"reported_on": reported, "incident_on": _day(r.get("incident_on")),
                   "disclosure_channel": channel, "referral_source": r.get("referral_source")},
        # A case widened as far as its sex (k-anonymity, `generalise`) leaves without it: "unknown" stands for it.
        "survivor": {"age_band": r.get("survivor_age_band"), "sex": r.get("survivor_sex") or (
                         "unknown" if r.get("reported_quarter_only") is True else None),
                     "marital_status": r.get("marital_status"), "disability": r.get("disability"),
                     "ethnicity": r.get("ethnicity"), "pregnant": r.get("pregnant")},
        "incident": {"time_of_day": r.get("time_of_day"), "location_type": r.get("location_type"),
                     "violence_type": r.get("violence_type"), "dv_acts": r.get("dv_acts") or [],
                     "reported_elsewhere": r["reported_elsewhere"]},
        "perpetrators": [dict(p) for p in r.get("perpetrators") or []],
        "consent": {scope: {"given": c["given"], "on": _day(c.get("given_on")),
                            "withdrawn_on": _day(c.get("withdrawn_on"))} for scope, c in consents.items()},
        "services": [{"service": x["service"], "status": x["status"], "on": _day(x.get("on"))}
                     for x in r.get("services") or []],
        "referrals": [referral(x) for x in r.get("referrals") or []],
        # The day a follow-up was done stays home: its due month stands for it.
        "follow_ups": [{"due_on": _day(x["due"]), "status": x["status"],
                        "done_on": _done_on(x["due"], today) if x["status"] == "done" else None}
                       for x in r.get("follow_ups") or []],
        "perpetrator_actions": [{"action": x["action"], "on": _day(x.get("on"))}
                                for x in r.get("perpetrator_actions") or []],
        "safety_plan": {"in_place": bool(r.get("safety_plan"))},
        "closure": {"items": items, "closed_on": closed_on},
        "duplicate_of": r.get("duplicate_of"),
    }


def _done_on(due: str, today) -> str:
    """A follow-up done stands at its due month, or today when that month is still to come (done early)."""
    day = _day(due)
    return day if today is None or day <= today.isoformat() else today.isoformat()


def _case_values(r: dict, reference, today) -> list[Problem]:
    from app.cases.validate import clean_case
    from app.errors import ValidationFailed

    problems = []
    scopes = [c["scope"] for c in r.get("consents") or []]
    if len(scopes) != len(set(scopes)):
        problems.append(Problem("invalid", "consents", None, "Một phạm vi đồng ý ghi hai lần.",
                                "A consent scope is recorded twice."))
    if len(r.get("perpetrators") or []) > MAX_PERPETRATOR_ROWS:
        problems.append(Problem("invalid", "perpetrators", None, "Quá nhiều dòng người gây bạo lực.",
                                "Too many perpetrator rows."))
    if r.get("duplicate_of") is not None and not _CASE_REF.match(r["duplicate_of"]):
        return [Problem("malformed", "duplicate_of")]  # not an id: its value is not kept, even aside
    if r.get("duplicate_of") is not None and r["status"] != "duplicate" and not r.get("reported_elsewhere"):
        problems.append(Problem("invalid", "duplicate_of", None,
                                "Chỉ vụ việc trùng, hoặc đã báo cáo ở cơ quan khác, mới ghi vụ việc gốc.",
                                "Only a duplicate case, or one reported to another agency, names another case."))
    if r.get("duplicate_of") == r["id"]:
        problems.append(Problem("invalid", "duplicate_of", None, "Vụ việc không thể trùng với chính nó.",
                                "A case cannot duplicate itself."))
    try:
        cleaned = clean_case(_as_local_case(r, today, reference), reference, today, with_identity=False)
    except ValidationFailed as failed:
        return problems + _invalid(failed.errors)
    derived = cleaned["derived"]
    contexts = set(derived["contexts"])
    said = {"perpetrator_count": r["perpetrator_count"]}
    if older_sender(r):  # what the validator derives from fields that stay home travelled too: it must agree
        said.update(ctx_intimate_partner=r["ctx_intimate_partner"], ctx_child_sexual_abuse=r["ctx_child_sexual_abuse"],
                    ctx_early_marriage=r["ctx_early_marriage"], next_follow_up=r.get("next_follow_up"))
    computed = {"perpetrator_count": derived["perpetrator_count"],
                "ctx_intimate_partner": "intimate_partner_violence" in contexts,
                "ctx_child_sexual_abuse": "child_sexual_abuse" in contexts,
                "ctx_early_marriage": "early_marriage" in contexts,
                "next_follow_up": month(derived["next_follow_up"])}
    for key, value in said.items():
        if value != computed[key]:
            problems.append(Problem("invalid", key, None,
                                    f"Giá trị không khớp với phần còn lại của vụ việc (ghi {value}, tính ra "
                                    f"{computed[key]}).",
                                    f"Does not agree with the rest of the case (says {value}, works out as "
                                    f"{computed[key]})."))
    return problems


def _activity_values(r: dict, reference, today) -> list[Problem]:
    from app.activities import PARTICIPANT_KEYS, clean_activity
    from app.errors import ValidationFailed

    local = {"kind": r["kind"], "title": "-", "starts_on": r["starts_on"], "ends_on": r.get("ends_on"),
             "target_groups": r["target_groups"], "quantity": r.get("quantity"), "model_id": r.get("model_id"),
             "school_id": r.get("school_id"), "budget_vnd": r["budget_vnd"],
             "participants": {k: r[f"participants_{k}"] for k in PARTICIPANT_KEYS}}
    try:
        cleaned = clean_activity(local, reference, today)
    except ValidationFailed as failed:
        return _invalid(failed.errors)
    problems = []
    for key in PARTICIPANT_KEYS:
        if cleaned["participants"][key] != r[f"participants_{key}"]:
            problems.append(Problem("invalid", f"participants_{key}", None, "Số người tham gia không khớp nhau.",
                                    "The participant counts contradict each other."))
    return problems


def _activity_values_hold(r: dict, today) -> bool:
    """`_activity_values` written out for a record that is right: True only when it would find nothing."""
    from app.activities import MAX_BUDGET_VND, MAX_PEOPLE, MAX_QUANTITY

    starts, ends = r["starts_on"], r.get("ends_on")
    total, female, male, youth = (r["participants_total"], r["participants_female"], r["participants_male"],
                                  r["participants_youth"])
    quantity = r.get("quantity")
    return (starts <= today.isoformat() and (ends is None or ends >= starts)
            and max(total, female, male, youth) <= MAX_PEOPLE and female + male <= total and youth <= total
            and (quantity is None or quantity <= MAX_QUANTITY) and r["budget_vnd"] <= MAX_BUDGET_VND)


def _register_values(table: str, r: dict, today) -> list[Problem]:
    problems = []

    def fail(path, vi, en):
        problems.append(Problem("invalid", path, None, vi, en))
    if table == "models":
        established = r.get("established_on")
        if established and established > today.isoformat():
            fail("established_on", "Ngày thành lập sau hôm nay.", "Established after today.")
        for n, h in enumerate(r.get("history") or []):
            if h["on"] > today.isoformat() or (established and h["on"] < established):
                fail(f"history[{n}].on", "Ngày đổi tình trạng không hợp lệ.", "A status date is not valid.")
    elif table == "schools":
        for year in r.get("integrations") or {}:
            if not 2000 <= int(year) <= today.year + 1:
                fail(f"integrations.{year}", "Năm lồng ghép không hợp lệ.", "An integration year is not valid.")
    elif table == "annual_reports":
        if not 2000 <= r["year"] <= today.year + 1:
            fail("year", "Năm báo cáo không hợp lệ.", "The report year is not valid.")
        if r["finalised_on"] > today.isoformat():
            fail("finalised_on", "Ngày hoàn tất sau hôm nay.", "Finalised after today.")
    return problems


@functools.lru_cache(maxsize=8)
def _case_facts(reference) -> tuple[frozenset, frozenset]:
    """(relationship codes that are an intimate partner, minor age bands) of `reference`."""
    from app.cases.validate import MINOR_BANDS

    intimate = frozenset(o.code for o in reference["relationship"].options if o.extra.get("intimate"))
    return intimate, frozenset(MINOR_BANDS)


def _case_values_hold(r: dict, reference, today) -> bool:
    """The rules of `_case_values`, written out for a record that is (almost always) right: True only when it
    would find nothing. Anything else goes the careful way, which names the problems. It never accepts what the
    careful way refuses (tests/sync/test_strict_import.py mutates records to show it)."""
    from app.cases.validate import SEXUAL_TYPES

    now = today.isoformat()[:7]
    get = r.get
    older = older_sender(r)  # a newer sender's case carries none of the fields below that stay home
    reported, incident, closed = r["reported_on"], get("incident_on"), get("closed_on")
    if reported > now or (incident is not None and (incident > now or incident > reported)):
        return False
    if closed is not None and (closed > now or closed < reported):
        return False
    status = r["status"]
    if (older and status == "closed" and (closed is None or not r["closure_items"])) or (status == "open" and closed):
        return False
    dup = get("duplicate_of")
    if dup is not None and ((status != "duplicate" and not get("reported_elsewhere")) or dup == r["id"]
                            or not _CASE_REF.match(dup)):
        return False
    if (older and get("disclosure_channel") is None) or get("violence_type") is None or (
            get("survivor_sex") is None and get("reported_quarter_only") is not True):
        return False
    if get("pregnant") and r["survivor_sex"] == "male":
        return False
    perpetrators = get("perpetrators") or []
    if len(perpetrators) > MAX_PERPETRATOR_ROWS:
        return False
    total = 0
    for p in perpetrators:
        count = p["count"]
        if p.get("relationship") is None or not 1 <= count <= 50:
            return False
        total += count
    scopes = set()
    for c in get("consents") or []:
        given, on, withdrawn = c["given"], c.get("given_on"), c.get("withdrawn_on")
        since = on if on is not None else (reported if given else None)  # given with no date: since the report
        if c["scope"] in scopes or (on is not None and on > now) or (withdrawn is not None and (
                withdrawn > now or not given or (since is not None and withdrawn < since))):
            return False
        scopes.add(c["scope"])
    services = set()
    for x in get("services") or []:
        if x["service"] in services or (x.get("on") is not None and x["on"] > now):
            return False
        services.add(x["service"])
    for x in get("referrals") or []:
        on = x.get("referred_on") if older or "referred_on" in x else reported
        if x.get("service") is None or on is None or on > now or not (x["consent"] if older or "consent" in x
                                                                       else True):
            return False
    for x in get("perpetrator_actions") or []:
        if x.get("on") is not None and x["on"] > now:
            return False
    planned = [x["due"] for x in get("follow_ups") or [] if x["status"] == "planned"]
    intimate, minor_bands = _case_facts(reference)
    minor = get("survivor_age_band") in minor_bands
    vtype = r["violence_type"]
    if not older:
        return r["perpetrator_count"] == total
    return (r["perpetrator_count"] == total
            and r["ctx_intimate_partner"] == any(p["relationship"] in intimate for p in perpetrators)
            and r["ctx_child_sexual_abuse"] == (minor and vtype in SEXUAL_TYPES)
            and r["ctx_early_marriage"] == (minor and vtype == "forced_marriage")
            and get("next_follow_up") == (min(planned) if planned else None))


def check_values(table: str, record: dict, reference, today: datetime.date | None = None) -> list[Problem]:
    """The rules of a local save for a record already of the right shape (see above). Never raises on bad data."""
    today = (today or datetime.date.today()) + datetime.timedelta(days=_SLACK_DAYS)
    try:
        if table == "cases":
            if _case_values_hold(record, reference, today):
                return []
            return _case_values(record, reference, today) or [Problem("invalid", table)]
        if table == "activities":
            if _activity_values_hold(record, today):
                return []
            return _activity_values(record, reference, today) or [Problem("invalid", table)]
        return _register_values(table, record, today)
    except (KeyError, TypeError, ValueError):
        return [Problem("invalid", table)]


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
    "annual_reports": (None, ()),
}


_BATCH = 500  # ids per query: well under SQLite's limit on bound parameters


def _upsert_many(conn, table: str, rows: list[dict]) -> None:
    if rows:
        names = tuple(rows[0])
        _upsert_tuples(conn, table, names, [tuple(r[k] for k in names) for r in rows])


def _upsert_tuples(conn, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    updates = ", ".join(f"{k} = excluded.{k}" for k in names if k != "id")
    conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
                     f" ON CONFLICT(id) DO UPDATE SET {updates}", rows)


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


# The columns a received case fills, in the order of `_case_row` (identity, exact age, who took it and the
# local point stay empty: they never travel).
_CASE_COLUMNS = (
    "id", "origin", "rev", "created_at", "updated_at", "deleted", "code", "point_id", "status", "reported_on",
    "incident_on", "disclosure_channel", "referral_source", "taken_by", "survivor_age", "survivor_age_band",
    "survivor_sex", "marital_status", "disability", "ethnicity", "pregnant", "time_of_day", "location_type",
    "violence_type", "reported_elsewhere", "safety_plan", "safety_plan_on", "closed_on", "closure_items",
    "duplicate_of", "delay_band", "perpetrator_count", "ctx_intimate_partner", "ctx_child_sexual_abuse",
    "ctx_early_marriage", "next_follow_up", "created_by", "reported_precision", "identity_erased_on",
)


def _ethnicity(rec: dict):
    """The ethnicity kept at the parent: an older sender's code, or the group a newer one sends ("minority")."""
    if rec.get("ethnicity") is not None:
        return rec["ethnicity"]
    minority = rec.get("ethnic_minority")
    return None if minority is None else ("minority" if minority else "kinh")


def _case_row(rec: dict) -> tuple:
    # Fields an older sender still sends are stored; a newer sender's case leaves them empty (issue 16).
    get = rec.get
    return (
        rec["id"], rec["origin"], rec["rev"], get("created_at") or rec["updated_at"], rec["updated_at"],
        int(rec["deleted"]), rec["code"], None, rec["status"], rec["reported_on"], get("incident_on"),
        get("disclosure_channel"), get("referral_source"), None, None, get("survivor_age_band"),
        get("survivor_sex"), get("marital_status"), get("disability"), _ethnicity(rec), _int(get("pregnant")),
        get("time_of_day"), get("location_type"), get("violence_type"), int(rec["reported_elsewhere"]),
        int(get("safety_plan") or 0), None, get("closed_on"), json.dumps(get("closure_items") or []),
        get("duplicate_of"), get("delay_band"), rec["perpetrator_count"], int(get("ctx_intimate_partner") or 0),
        int(get("ctx_child_sexual_abuse") or 0), int(get("ctx_early_marriage") or 0), get("next_follow_up"), None,
        "quarter" if get("reported_quarter_only") else None, get("identity_erased_on"),
    )


def _store_cases(conn, recs: list[dict]) -> None:
    _upsert_tuples(conn, "cases", _CASE_COLUMNS, [_case_row(r) for r in recs])
    acts, perpetrators, consents, services, referrals, follow_ups, actions = [], [], [], [], [], [], []
    for rec in recs:
        case_id = rec["id"]
        acts += [(case_id, act) for act in dict.fromkeys(rec.get("dv_acts") or [])]
        perpetrators += [(case_id, n, x.get("sex"), x.get("age_group"), x.get("relationship"), x["count"])
                         for n, x in enumerate(rec.get("perpetrators") or [])]
        consents += [(case_id, c["scope"], int(c["given"]), c.get("given_on"), c.get("withdrawn_on"))
                     for c in rec.get("consents") or []]
        services += [(case_id, x["service"], x["status"], x.get("on")) for x in rec.get("services") or []]
        referrals += [(case_id, n, x.get("service"), x.get("referred_on"), int(x.get("consent") or 0), x.get("outcome"))
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
        "topic": rec.get("topic"), "funding_source": rec.get("funding_source"),
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


def _store_annual_reports(conn, recs: list[dict]) -> None:
    """A received annual report, with when it arrived here: the first arrival of a node's year stays (the
    deadline is judged by it), the newest version's is noted beside it."""
    now = now_utc()
    names = ("id", "origin", "rev", "created_at", "updated_at", "deleted", "year", "finalised_on", "figures", "pdf",
             "finalised_by", "first_received_at", "received_at")
    rows = []
    for rec in recs:
        meta = _meta_row(rec)
        first = conn.execute("SELECT min(first_received_at) FROM annual_reports WHERE origin = ? AND year = ?",
                             (rec["origin"], rec["year"])).fetchone()[0]
        rows.append((*meta.values(), rec["year"], rec["finalised_on"],
                     json.dumps(rec["figures"], ensure_ascii=False, sort_keys=True), rec["pdf"], None,
                     first or now, now))
    updates = ", ".join(f"{k} = excluded.{k}" for k in names if k not in ("id", "first_received_at"))
    _many(conn, f"INSERT INTO annual_reports ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
          f" ON CONFLICT(id) DO UPDATE SET {updates},"
          " first_received_at = coalesce(annual_reports.first_received_at, excluded.first_received_at)", rows)


_STORE = {"cases": _store_cases, "activities": _store_activities, "models": _store_models, "schools": _store_schools,
          "annual_reports": _store_annual_reports}


# --- storing many at once: SQLite builds the rows from the records' JSON -------------------------------------
# The `_store_*` functions above build a tuple per row in Python and bind it. For a table listed below,
# SQLite builds the same rows itself: the accepted records go in as one JSON array (made JSONB once), and one
# `INSERT … SELECT` per table reads the record's fields (`r`, a record) or its part rows (`p`, a row of one of
# its lists) with `->>`. The JSON is the checked records written out again by orjson (never the text that
# arrived: what SQLite reads is exactly what `check` passed, without, say, a second copy of a key). Every
# field a check lets through is ASCII (ids, codes, months, numbers, yes/no), so nothing is read differently.
# tests/sync/test_speed_paths.py asserts that each table's statements write exactly what its `_store_*`
# writes. A table not listed (a new record type) is stored by its `_store_*` function.
@dataclass(frozen=True)
class _Rows:
    table: str
    columns: dict  # column → SQL over `r.value` (the record) or `p` (one of its part rows)
    source: str | None = None  # the record's field holding the part rows; None: one row per record
    verb: str = "INSERT"  # "INSERT OR REPLACE": the last of two rows with the same key wins, as in `_store_*`
    distinct: bool = False  # a list of codes: each code once


def _r(key: str) -> str:
    return f"r.value->>'{key}'"


def _p(key: str) -> str:
    return f"p.value->>'{key}'"


def _codes_text(key: str) -> str:
    """`json.dumps(codes)` of a checked list of codes: '["a", "b"]' (codes hold no quote or comma)."""
    return f"replace(r.value->>'{key}', '\",\"', '\", \"')"


_SQL_META = {"id": _r("id"), "origin": _r("origin"), "rev": _r("rev"),
             "created_at": f"coalesce(nullif({_r('created_at')}, ''), {_r('updated_at')})",
             "updated_at": _r("updated_at"), "deleted": _r("deleted")}
_SQL_CASE = {column: _r(column) for column in _CASE_COLUMNS}
_SQL_CASE.update(_SQL_META)
_SQL_CASE.update({"point_id": "NULL", "taken_by": "NULL", "survivor_age": "NULL", "safety_plan_on": "NULL",
                  "created_by": "NULL", "closure_items": f"coalesce({_codes_text('closure_items')}, '[]')",
                  # A newer sender leaves these home (issue 16); an older one's values are kept as before.
                  **{column: f"coalesce({_r(column)}, 0)" for column in (
                      "safety_plan", "ctx_intimate_partner", "ctx_child_sexual_abuse", "ctx_early_marriage")},
                  "ethnicity": (f"coalesce({_r('ethnicity')}, CASE {_r('ethnic_minority')} WHEN 1 THEN 'minority'"
                                " WHEN 0 THEN 'kinh' END)"),
                  "reported_precision": f"iif({_r('reported_quarter_only')}, 'quarter', NULL)"})
_CASE_ID = {"case_id": _r("id")}

_STORE_SQL: dict[str, tuple[_Rows, ...]] = {
    "cases": (
        _Rows("cases", _SQL_CASE),
        _Rows("case_dv_acts", {**_CASE_ID, "act": "p.value"}, "dv_acts", distinct=True),
        _Rows("case_perpetrators", {**_CASE_ID, "idx": "p.key", "sex": _p("sex"), "age_group": _p("age_group"),
                                    "relationship": _p("relationship"), "count": _p("count")}, "perpetrators"),
        _Rows("case_consents", {**_CASE_ID, "scope": _p("scope"), "given": _p("given"), "given_on": _p("given_on"),
                                "withdrawn_on": _p("withdrawn_on")}, "consents", "INSERT OR REPLACE"),
        _Rows("case_services", {**_CASE_ID, "service": _p("service"), "status": _p("status"), "on_date": _p("on"),
                                "provider_id": "NULL"}, "services", "INSERT OR REPLACE"),
        _Rows("case_referrals", {**_CASE_ID, "idx": "p.key", "service": _p("service"), "provider_id": "NULL",
                                 "provider_name": "NULL", "referred_on": _p("referred_on"), "consent": f"coalesce({_p('consent')}, 0)",
                                 "consent_on": "NULL", "outcome": _p("outcome"), "outcome_on": "NULL"}, "referrals"),
        _Rows("case_follow_ups", {**_CASE_ID, "idx": "p.key", "due_on": _p("due"), "done_on": "NULL",
                                  "status": _p("status")}, "follow_ups"),
        _Rows("case_perpetrator_actions", {**_CASE_ID, "idx": "p.key", "action": _p("action"),
                                           "on_date": _p("on")}, "perpetrator_actions"),
    ),
}


def _rows_sql(rows: _Rows) -> str:
    names = ", ".join(rows.columns)
    values = ("DISTINCT " if rows.distinct else "") + ", ".join(rows.columns.values())
    if rows.source is None:  # the record's own row: replaces the stored copy (the upsert needs its WHERE)
        updates = ", ".join(f"{k} = excluded.{k}" for k in rows.columns if k != "id")
        return (f"INSERT INTO {rows.table} ({names}) SELECT {values} FROM jsonb_each(?1) AS r WHERE true"
                f" ON CONFLICT(id) DO UPDATE SET {updates}")
    # A missing or null list has no rows (jsonb_each of a null would give one).
    return (f"{rows.verb} INTO {rows.table} ({names}) SELECT {values} FROM jsonb_each(?1) AS r,"
            f" jsonb_each(r.value, '$.{rows.source}') AS p"
            f" WHERE json_type(r.value, '$.{rows.source}') IN ('array', 'object')")


_STORE_STATEMENTS = {table: tuple(_rows_sql(rows) for rows in plan) for table, plan in _STORE_SQL.items()}


def _store_in_sql(conn, table: str, texts: list[bytes]) -> None:
    """Write accepted records, given as their JSON (`orjson.dumps` of the checked record), the SQL way."""
    if not texts:
        return
    array = conn.execute("SELECT jsonb(?)", (b"[" + b",".join(texts) + b"]",)).fetchone()[0]
    for sql in _STORE_STATEMENTS[table]:
        conn.execute(sql, (array,))


def store_many(conn, table: str, records: list[dict], *, fresh: frozenset | set = frozenset(),
               texts: list[bytes] | None = None, carefully: bool = False) -> None:
    """Write accepted records (checked with `check`, one per id) into this node's own tables, replacing copies.

    `fresh`: ids the caller knows have no copy here yet (their parts need no clearing). A withheld
    case removes the copy: nothing about it stays at the parent but its version. `texts`: the records as
    JSON, one per record in the same order, when the caller has them already (`orjson.dumps` of each
    record, or the canonical form). `carefully`: build every row in Python (`_store_*`), never in SQL.
    """
    key, parts = _PARTS[table]
    # A fresh id has no row here, and so no parts either (they reference it): nothing to clear.
    stale = [r["id"] for r in records if r["id"] not in fresh]
    for part in parts:
        _in_batches(conn, f"DELETE FROM {part} WHERE {key} IN ({{ids}})", stale)
    _in_batches(conn, f"DELETE FROM {table} WHERE id IN ({{ids}})",
                [r["id"] for r in records if r.get("withheld") and r["id"] not in fresh])
    if carefully or table not in _STORE_STATEMENTS:
        _STORE[table](conn, [r for r in records if not r.get("withheld")])
        return
    if texts is None:
        texts = [orjson.dumps(r) for r in records]
    _store_in_sql(conn, table, [text for r, text in zip(records, texts, strict=True) if not r.get("withheld")])


def store(conn, table: str, record: dict, *, fresh: bool = False) -> None:
    store_many(conn, table, [record], fresh={record["id"]} if fresh else frozenset())
