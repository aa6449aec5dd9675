"""A province-scale benchmark data set: many communes' cases and activities, as if received from them.

Rows are written straight into the schema with `executemany`, in large
transactions, instead of one `save()` per record. The derived columns are
computed with the core's own `derive` and `age_band_for` (which uses
`delay_band_for`), and one record in `check_every` also goes through the
core's whole `clean_case` / `clean_activity` and must come out identical, so
the data is what the core itself would have stored (a generator that drifts
from the core's rules fails loudly instead of writing bad rows).

What a commune sends up carries no identity, so no `case_identities` rows are
written, and neither free text (taken by, provider names) nor exact ages
(the age band stays). The province does not append outbox entries for other
nodes' records.
"""

from __future__ import annotations

import functools
import json
import random
from datetime import date, datetime, timedelta, UTC
from typing import Any

from app.activities import clean_activity
from app.cases.validate import age_band_for, clean_case, derive
from app.demo import names
from app.demo.activities import ActivityFactory, Context, Model, School
from app.demo.cases import CaseFactory
from app.demo.commune import case_days
from app.demo.common import iso, stamp, uuid7
from app.text import fold

CASES_PER_COMMUNE_YEAR = 205
ACTIVITIES_PER_COMMUNE_YEAR = 410

CASE_COLUMNS = (
    "id", "origin", "rev", "created_at", "updated_at", "deleted", "code", "point_id", "status", "reported_on",
    "incident_on", "disclosure_channel", "referral_source", "taken_by", "survivor_age", "survivor_age_band",
    "survivor_sex", "marital_status", "disability", "ethnicity", "pregnant", "time_of_day", "location_type",
    "violence_type", "reported_elsewhere", "safety_plan", "safety_plan_on", "closed_on", "closure_items",
    "duplicate_of", "delay_band", "perpetrator_count", "ctx_intimate_partner", "ctx_child_sexual_abuse",
    "ctx_early_marriage", "next_follow_up", "created_by",
)
ACTIVITY_COLUMNS = (
    "id", "origin", "rev", "created_at", "updated_at", "deleted", "kind", "title", "starts_on", "ends_on", "place",
    "organiser", "target_groups", "participants_total", "participants_female", "participants_male",
    "participants_youth", "quantity", "model_id", "school_id", "budget_vnd", "notes", "title_norm", "point_id",
    "created_by", "topic", "funding_source",
)
MODEL_COLUMNS = ("id", "origin", "rev", "created_at", "updated_at", "deleted", "kind", "name", "established_on",
                 "status", "notes")
SCHOOL_COLUMNS = ("id", "origin", "rev", "created_at", "updated_at", "deleted", "name", "level", "notes")

INSERTS = {
    "cases": f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})",
    "case_dv_acts": "INSERT INTO case_dv_acts (case_id, act) VALUES (?, ?)",
    "case_perpetrators": "INSERT INTO case_perpetrators (case_id, idx, sex, age_group, relationship, count)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
    "case_consents": "INSERT INTO case_consents (case_id, scope, given, given_on, withdrawn_on) VALUES (?, ?, ?, ?, ?)",
    "case_services": "INSERT INTO case_services (case_id, service, status, on_date, provider_id) VALUES (?, ?, ?, ?, ?)",
    "case_referrals": "INSERT INTO case_referrals (case_id, idx, service, provider_id, provider_name, referred_on,"
                      " consent, consent_on, outcome, outcome_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "case_follow_ups": "INSERT INTO case_follow_ups (case_id, idx, due_on, done_on, status) VALUES (?, ?, ?, ?, ?)",
    "case_perpetrator_actions": "INSERT INTO case_perpetrator_actions (case_id, idx, action, on_date)"
                                " VALUES (?, ?, ?, ?)",
    "activities": f"INSERT INTO activities ({', '.join(ACTIVITY_COLUMNS)})"
                  f" VALUES ({', '.join('?' * len(ACTIVITY_COLUMNS))})",
    "models": f"INSERT INTO models ({', '.join(MODEL_COLUMNS)}) VALUES ({', '.join('?' * len(MODEL_COLUMNS))})",
    "model_status_events": "INSERT INTO model_status_events (model_id, on_date, status) VALUES (?, ?, ?)",
    "schools": f"INSERT INTO schools ({', '.join(SCHOOL_COLUMNS)}) VALUES ({', '.join('?' * len(SCHOOL_COLUMNS))})",
    "school_integrations": "INSERT INTO school_integrations (school_id, year, integrated) VALUES (?, ?, ?)",
}


def case_rows(case_id: str, origin: str, code: str, c: dict, created_at: str, updated_at: str) -> dict[str, list]:
    """The rows of one cleaned case, as `CaseService._write` lays them out (less identity and free text)."""
    s, i, d, intake = c["survivor"], c["incident"], c["derived"], c["intake"]
    contexts = set(d["contexts"])
    row = (
        case_id, origin, 1, created_at, updated_at, 0, code, c["point_id"], c["status"], intake["reported_on"],
        intake["incident_on"], intake["disclosure_channel"], intake["referral_source"], None, None,
        s["age_band"], s["sex"], s["marital_status"], s["disability"], s["ethnicity"],
        None if s["pregnant"] is None else int(s["pregnant"]), i["time_of_day"], i["location_type"],
        i["violence_type"], int(bool(i["reported_elsewhere"])), int(c["safety_plan"]["in_place"]),
        c["safety_plan"]["on"], c["closure"]["closed_on"], json.dumps(c["closure"]["items"]), c["duplicate_of"],
        d["delay_band"], d["perpetrator_count"], int("intimate_partner_violence" in contexts),
        int("child_sexual_abuse" in contexts), int("early_marriage" in contexts), d["next_follow_up"], None,
    )
    return {
        "cases": [row],
        "case_dv_acts": [(case_id, act) for act in i["dv_acts"]],
        "case_perpetrators": [(case_id, n, p["sex"], p["age_group"], p["relationship"], p["count"])
                              for n, p in enumerate(c["perpetrators"])],
        "case_consents": [(case_id, scope, int(v["given"]), v["on"], v["withdrawn_on"])
                          for scope, v in c["consent"].items()],
        "case_services": [(case_id, v["service"], v["status"], v["on"], None) for v in c["services"]],
        "case_referrals": [(case_id, n, r["service"], None, None, r["referred_on"], int(r["consent"]),
                            r["consent_on"], r["outcome"], r["outcome_on"]) for n, r in enumerate(c["referrals"])],
        "case_follow_ups": [(case_id, n, f["due_on"], f["done_on"], f["status"])
                            for n, f in enumerate(c["follow_ups"])],
        "case_perpetrator_actions": [(case_id, n, a["action"], a["on"])
                                     for n, a in enumerate(c["perpetrator_actions"])],
    }


class GeneratorDrift(AssertionError):
    """The demo generator produced a record the core would store differently."""


def normalise_case(raw: dict, reference) -> dict:
    """What `clean_case(raw, …, with_identity=False)` returns for a well-formed generated case, computed
    without re-validating every field (the derived part by the core's own `derive`)."""
    intake, survivor, incident = raw["intake"], raw["survivor"], raw["incident"]
    age = survivor.get("age")
    out: dict[str, Any] = {
        "intake": {"reported_on": intake["reported_on"], "incident_on": intake.get("incident_on"),
                   "disclosure_channel": intake["disclosure_channel"],
                   "referral_source": intake.get("referral_source"), "taken_by": intake.get("taken_by")},
        "survivor": {"age": age,
                     "age_band": (age_band_for(age, reference) if age is not None else survivor.get("age_band"))
                     or "unknown",
                     "sex": survivor["sex"], "marital_status": survivor.get("marital_status"),
                     "disability": survivor.get("disability"), "ethnicity": survivor.get("ethnicity"),
                     "pregnant": survivor.get("pregnant"), **dict.fromkeys(
                         ("occupation", "residence_status", "nationality", "children_count", "children_at_risk",
                          "interpreter"))},
        "incident": {"time_of_day": incident.get("time_of_day"), "location_type": incident.get("location_type"),
                     "violence_type": incident["violence_type"], "dv_acts": sorted(incident.get("dv_acts") or []),
                     "reported_elsewhere": bool(incident.get("reported_elsewhere")),
                     **dict.fromkeys(("money_exchanged", "abduction", "weapon", "perpetrator_previous"))},
        "perpetrators": [{"sex": p.get("sex"), "age_group": p.get("age_group"), "relationship": p["relationship"],
                          "count": p.get("count", 1) or 1} for p in raw["perpetrators"]],
        "consent": {},
        "services": [{"service": v["service"], "status": v["status"], "on": v.get("on"),
                      "provider_id": v.get("provider_id")} for v in raw["services"]],
        "referrals": [{"service": r["service"], "provider_id": r.get("provider_id"),
                       "provider_name": r.get("provider_name"), "referred_on": r["referred_on"],
                       "consent": bool(r["consent"]), "consent_on": r.get("consent_on") or r["referred_on"],
                       "outcome": r.get("outcome") or "pending", "outcome_on": r.get("outcome_on"),
                       "legal_basis": None, "basis_reason": None}
                      for r in raw["referrals"]],
        "follow_ups": [{"due_on": f["due_on"], "done_on": f.get("done_on"),
                        "status": f.get("status") or ("done" if f.get("done_on") else "planned"),
                        "outcome": None, "next_on": None}
                       for f in raw["follow_ups"]],
        "perpetrator_actions": [{"action": a["action"], "on": a.get("on")} for a in raw["perpetrator_actions"]],
        "safety_plan": {"in_place": bool(raw["safety_plan"]["in_place"]),
                        "on": raw["safety_plan"].get("on") if raw["safety_plan"]["in_place"] else None,
                        "to_take": [], "steps": [], "children": None, "agreed": None, "review_on": None},
        "risk_assessments": [],
        "action_plan": {"needs": [], "goals": None, "actions": []},
        "closure": {"items": list(raw["closure"]["items"]), "closed_on": raw["closure"].get("closed_on"),
                    "knows_can_return": None},
        "reopen": {"on": None, "reason": None},
        "privacy_notice": {"on": None, "by": None},
        "status": raw.get("status") or "open",
        "point_id": raw.get("point_id"),
    }
    for scope, c in raw["consent"].items():
        given = bool(c.get("given"))
        out["consent"][scope] = {"given": given, "on": (c.get("on") or intake["reported_on"]) if given else None,
                                 "withdrawn_on": c.get("withdrawn_on"), "given_by": None}
    out["duplicate_of"] = raw.get("duplicate_of") if out["status"] == "duplicate" else None
    out["derived"] = derive(out, reference)
    return out


def normalise_activity(raw: dict, reference) -> dict:
    """What `clean_activity(raw, …)` returns for a well-formed generated activity."""
    chosen = set(raw["target_groups"])
    out = {k: raw.get(k) for k in ("kind", "title", "starts_on", "ends_on", "place", "organiser", "quantity",
                                   "model_id", "school_id", "budget_vnd", "notes", "point_id", "topic",
                                   "funding_source")}
    out["target_groups"] = [o.code for o in reference["target_group"].options if o.code in chosen]
    out["participants"] = dict(raw["participants"])
    return out


def checked(made: dict, clean, what: str) -> dict:
    """`made` if the core's own cleaning agrees with it; GeneratorDrift otherwise."""
    cleaned = clean()
    if cleaned != made:
        diff = {k: (made.get(k), cleaned.get(k)) for k in set(made) | set(cleaned) if made.get(k) != cleaned.get(k)}
        raise GeneratorDrift(f"demo {what} differs from what the core stores: {diff}")
    return made


def last_event(c: dict) -> str:
    """The latest date recorded in a case (its last edit at the commune was then)."""
    dates = [c["intake"]["reported_on"], c["closure"]["closed_on"], c["safety_plan"]["on"]]
    dates += [f["done_on"] for f in c["follow_ups"]]
    dates += [r["outcome_on"] for r in c["referrals"]]
    dates += [a["on"] for a in c["perpetrator_actions"]]
    dates += [v["withdrawn_on"] for v in c["consent"].values()]
    return max(d for d in dates if d)


def _first(row: tuple):
    return row[0]


class Writer:
    """Buffers rows per table and writes them in one transaction per batch."""

    def __init__(self, store, batch: int):
        self.store = store
        self.batch = batch
        self.buffers: dict[str, list] = {name: [] for name in INSERTS}
        self.pending = 0
        self.counts: dict[str, int] = {name: 0 for name in INSERTS}

    def add(self, rows: dict[str, list], weight: int = 1) -> None:
        for table, values in rows.items():
            self.buffers[table].extend(values)
        self.pending += weight
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not any(self.buffers.values()):
            return
        with self.store.transaction() as conn:
            for table, values in self.buffers.items():
                if values:
                    # in key order: each batch lands in neighbouring pages of the tables' b-trees
                    values.sort(key=_first)
                    conn.executemany(INSERTS[table], values)
                    self.counts[table] += len(values)
        self.buffers = {name: [] for name in INSERTS}
        self.pending = 0


def build(session, seed: int, today: date, years: int, communes: int, progress=None, batch: int = 20_000,
          cases_per_year: float = CASES_PER_COMMUNE_YEAR,
          activities_per_year: float = ACTIVITIES_PER_COMMUNE_YEAR, check_every: int = 50) -> dict:
    """Fill the province node of `session`. `check_every`: pass one record in so many through the core's
    whole validation as well (1: every record)."""
    ref = session.reference
    fold_title = functools.lru_cache(maxsize=65536)(fold)
    made_cases = made_activities = 0
    now = datetime.now(UTC)
    first_year = today.year - years + 1
    start = date(first_year, 1, 1)
    cases_f = CaseFactory(ref, today)
    acts_f = ActivityFactory(ref, session.profile, today)
    writer = Writer(session.store, batch)
    levels = ref["school_level"]
    model_kinds = ref["model_kind"].codes
    roster = []
    communes_state = []

    # --- the communes and their registers (models, schools), as they sent them ----------------------------
    for n in range(1, communes + 1):
        rng = random.Random(seed * 1_000_003 + n)
        enrolled = datetime.combine(start - timedelta(days=30 + n), datetime.min.time(), tzinfo=UTC)
        origin = uuid7(rng, enrolled)
        code = f"MAU{n:03d}"
        commune_name = f"Xã Mẫu số {n:03d}"
        roster.append({"id": origin, "code": code, "name": commune_name})
        size = rng.uniform(.6, 1.4)

        reg_rows: dict[str, list] = {"models": [], "model_status_events": [], "schools": [], "school_integrations": []}
        models: list[Model] = []
        plan = [("trusted_address", f"Địa chỉ tin cậy {names.village(1)} – {commune_name}")]
        if rng.random() < .6:
            plan.append(("trusted_address", f"Địa chỉ tin cậy {names.village(4)} – {commune_name}"))
        plan.append(("club", f"CLB phòng, chống bạo lực gia đình – {commune_name}"))
        if rng.random() < .5:
            plan.append(("men_pioneers", f"Nhóm nam giới tiên phong – {commune_name}"))
        if rng.random() < .3:
            plan.append(("safe_commune", f"Địa phương an toàn cho phụ nữ và trẻ em gái – {commune_name}"))
        for kind, name in plan:
            if kind not in model_kinds:
                continue
            established = start - timedelta(days=rng.randint(30, 1500)) if rng.random() < .8 else \
                min(start + timedelta(days=rng.randint(0, 365 * years)), today)
            created = stamp(rng, established, now)
            model = Model(uuid7(rng, created), kind, name, established)
            models.append(model)
            reg_rows["models"].append((model.id, origin, 1, created, created, 0, kind, name, iso(established),
                                       "active", None))
            reg_rows["model_status_events"].append((model.id, iso(established), "active"))
        schools: list[School] = []
        school_plan = [("primary", "Trường Tiểu học"), ("lower_secondary", "Trường THCS")]
        if rng.random() < .6:
            school_plan.insert(0, ("preschool", "Trường Mầm non"))
        if rng.random() < .35:
            school_plan.append(("upper_secondary", "Trường THPT"))
        if rng.random() < .1:
            school_plan.append(("vocational", "Trường Trung cấp nghề"))
        for level, prefix in school_plan:
            if level not in levels.codes:
                continue
            counted = bool(levels.get(level).get("target_integration"))
            marks = {y: rng.random() < (.9 if counted else .6) for y in range(first_year, today.year + 1)}
            created = stamp(rng, start - timedelta(days=rng.randint(1, 60)), now)
            school = School(uuid7(rng, created), f"{prefix} {commune_name}", level, marks)
            schools.append(school)
            reg_rows["schools"].append((school.id, origin, 1, created, created, 0, school.name, level, None))
            reg_rows["school_integrations"] += [(school.id, y, int(v)) for y, v in marks.items()]
        writer.add(reg_rows, weight=0)

        points = [m for m in models if m.kind == "trusted_address"]
        ctx = Context(place_name=commune_name, models=models, schools=schools)
        communes_state.append((rng, origin, code, size, points, ctx))

    # --- cases and activities: year by year for all communes, so ids (time-ordered) mostly grow ----------
    steps, step = years * communes, 0
    for year in range(first_year, today.year + 1):
        first, last = date(year, 1, 1), min(date(year, 12, 31), today)
        for rng, origin, code, size, points, ctx in communes_state:
            number = 0
            prior: str | None = None
            for day in case_days(rng, acts_f, first, last, year, cases_per_year * size):
                weights = [(p.id, 60 if k == 0 else 25) for k, p in enumerate(points) if p.established_on <= day]
                case = cases_f.make(rng, day, points=tuple(weights) + ((None, 30),), with_identity=False)
                batch_cases = [case]
                if rng.random() < .015:
                    batch_cases.append(cases_f.duplicate_of(rng, case, "00000000-0000-7000-8000-000000000000"))
                for k, raw in enumerate(batch_cases):
                    number += 1
                    made_cases += 1
                    cleaned = normalise_case(raw, ref)
                    if made_cases % check_every == 1 or check_every == 1:
                        checked(cleaned, lambda raw=raw: clean_case(raw, ref, today, with_identity=False), "case")
                    created = stamp(rng, date.fromisoformat(cleaned["intake"]["reported_on"]), now)
                    updated = max(created, stamp(rng, date.fromisoformat(last_event(cleaned)), now))
                    case_id = uuid7(rng, created)
                    if k == 1:
                        cleaned["duplicate_of"] = prior
                    prior = case_id
                    writer.add(case_rows(case_id, origin, f"{code}-{year}-{number:05d}", cleaned, created, updated))
            for raw in acts_f.year(rng, year, first, last, activities_per_year * size, ctx):
                made_activities += 1
                a = normalise_activity(raw, ref)
                if made_activities % check_every == 1 or check_every == 1:
                    checked(a, lambda raw=raw: clean_activity(raw, ref, today), "activity")
                created = stamp(rng, date.fromisoformat(a["starts_on"]), now)
                p = a["participants"]
                row = (uuid7(rng, created), origin, 1, created, created, 0, a["kind"], a["title"], a["starts_on"],
                       a["ends_on"], a["place"], a["organiser"], json.dumps(a["target_groups"]), p["total"],
                       p["female"], p["male"], p["youth"], a["quantity"], a["model_id"], a["school_id"],
                       a["budget_vnd"], a["notes"], fold_title(a["title"]), a["point_id"], None, a["topic"],
                       a["funding_source"])
                writer.add({"activities": [row]})
            step += 1
            if progress:
                progress(step, steps)
    writer.flush()
    with session.store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('demo_communes', ?)",
                     (json.dumps(roster, ensure_ascii=False),))
        session.audit(conn, "demo.generate", detail={"scale": "province", "communes": communes, "years": years,
                                                     "cases": writer.counts["cases"],
                                                     "activities": writer.counts["activities"]})
    counts = writer.counts
    return {
        "communes": communes,
        "years": f"{first_year}–{today.year}",
        "cases": counts["cases"],
        "activities": counts["activities"],
        "models": counts["models"],
        "schools": counts["schools"],
        "case_child_rows": sum(v for k, v in counts.items() if k.startswith("case_")),
    }
