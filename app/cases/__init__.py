"""Cases: one GBV incident and the response to it.

A case is saved whole (facts, its parts and, apart, its identity) in one
transaction, with an outbox entry and an audit entry. The JSON shape that
`get()` returns is the shape `save()` accepts (and `binhan case show --json` /
`case add --json` use).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from app.cases import identity
from app.cases.fields import CONSENT_SCOPES, IDENTITY_COLUMNS, IDENTITY_FIELDS, LABELS
from app.cases.validate import clean_case
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.records import append_outbox, new_id, now_utc
from app.text import fold

NOT_FOUND = ("Không tìm thấy vụ việc (hoặc bạn không được phép xem).", "Case not found (or you may not see it).")
# The columns of `cases` before the case-management step (issue 18).
_OLD_CASE_COLUMNS = frozenset((
    "id", "origin", "rev", "created_at", "updated_at", "deleted", "code", "point_id", "status", "reported_on",
    "incident_on", "disclosure_channel", "referral_source", "taken_by", "survivor_age", "survivor_age_band",
    "survivor_sex", "marital_status", "disability", "ethnicity", "pregnant", "time_of_day", "location_type",
    "violence_type", "reported_elsewhere", "safety_plan", "safety_plan_on", "closed_on", "closure_items",
    "duplicate_of", "delay_band", "perpetrator_count", "ctx_intimate_partner", "ctx_child_sexual_abuse",
    "ctx_early_marriage", "next_follow_up", "created_by"))
CHILD_TABLES = ("case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                "case_follow_ups", "case_perpetrator_actions", "case_risk_assessments", "case_actions")
DUE_AHEAD_DAYS = 7  # the due list shows what falls due within a week, and everything overdue
DEFAULT_RETENTION_YEARS = 5  # when the profile sets none (`identity_retention_years`)
ERASED = "—"  # what free text that could describe the person reads as after her identity is erased
LIST_COLUMNS = ("id", "code", "reported_on", "violence_type", "status", "survivor_age_band", "services",
                "next_follow_up", "point_id", "origin")


@dataclass
class CaseFilter:
    status: str | None = None
    violence_type: str | None = None
    year: int | None = None
    overdue: bool = False
    due: bool = False  # cases with something due within a week or overdue (`CaseService.due`)
    search: str = ""
    include_deleted: bool = False


class CaseService:
    def __init__(self, session):
        self.session = session
        self.store = session.store

    def today(self) -> date:
        return date.today()

    # --- writing ------------------------------------------------------------------------
    def save(self, data: dict) -> dict:
        """Validate and save the whole case. Returns the stored case (with identity if given).

        Saving the same form twice never makes two cases: the form carries its id,
        and a save whose content equals what is stored changes nothing.
        """
        session = self.session
        session.require("case.write")
        may_identity = session.can("identity.write")
        case = clean_case(data, session.reference, self.today(), with_identity=may_identity,
                          find_case=self._reference_to, full=True)
        if session.user.role == "cadre":
            if case["point_id"] not in (None, session.user.point_id):
                raise PermissionDenied("Bạn chỉ ghi được vụ việc của điểm mình.",
                                       "You can only record cases of your own point.")
            case["point_id"] = session.user.point_id
        case_id = data.get("id") or new_id()
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is not None and self._in_scope(stored) and "identity" in case:
                stored = self._load(conn, case_id, with_identity=True)
            if stored is None:
                if data.get("origin") not in (None, session.origin):
                    raise PermissionDenied("Vụ việc này do đơn vị khác sở hữu; chỉ đơn vị đó được sửa.",
                                           "This case is owned by another node; only that node may edit it.")
                rev = 1
                code = self._next_code(conn, case["intake"]["reported_on"])
                created_at = now_utc()
                case["intake"]["taken_by"] = case["intake"]["taken_by"] or session.user.display_name
                action = "case.create"
            else:
                self._check_may_edit(stored)
                if _facts(stored) == _facts(case, like=stored):
                    return self._load_existing(conn, case_id, with_identity="identity" in case)
                if data.get("rev") is not None and data["rev"] != stored["rev"]:
                    raise Conflict(
                        "Vụ việc này đã được sửa ở nơi khác sau khi bạn mở. Hãy mở lại để xem bản mới nhất; "
                        "thay đổi của bạn chưa được lưu.",
                        "This case was changed elsewhere after you opened it. Reopen it to see the newest "
                        "version; your changes were not saved.",
                    )
                rev = stored["rev"] + 1
                code = stored["code"]
                created_at = stored["created_at"]
                action = "case.update"
            errors = []
            for n, referral in enumerate(case["referrals"]):  # free text that is not an identity field
                errors += identity.check_free_text(session, f"referrals[{n}].provider_name", referral["provider_name"])
                errors += identity.check_free_text(session, f"referrals[{n}].basis_reason", referral["basis_reason"])
            errors += identity.check_free_text(session, "action_plan.goals", case["action_plan"]["goals"])
            for n, item in enumerate(case["action_plan"]["actions"]):
                errors += identity.check_free_text(session, f"action_plan.actions[{n}].what", item["what"])
            errors += self._management_rules(conn, case_id, case, stored)
            if errors:
                raise ValidationFailed(errors)
            now = now_utc()
            # A merged node's case keeps its owner (its old unit), and its code: only the revision moves on.
            self._write(conn, case_id, case, rev=rev, code=code, created_at=created_at, updated_at=now,
                        origin=None if stored is None else stored["origin"])
            append_outbox(conn, "cases", case_id, rev, now)
            detail = {"code": code, "rev": rev}
            if stored is not None:
                detail["sections"] = sorted(k for k in _facts(case, like=stored)
                                            if _facts(case, like=stored)[k] != _facts(stored).get(k))
            session.audit(conn, action, table="cases", target=case_id, detail=detail)
            self._audit_management(conn, case_id, code, case, stored)
            return self._load_existing(conn, case_id, with_identity="identity" in case)

    def delete(self, case_id: str) -> None:
        """Tombstone: the case stays, marked deleted, and the deletion travels up like any change."""
        self.session.require("case.delete")
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is None:
                raise NotFound(*NOT_FOUND)
            self._check_may_edit(stored)
            if stored["deleted"]:
                return
            now = now_utc()
            rev = stored["rev"] + 1
            conn.execute("UPDATE cases SET deleted = 1, rev = ?, updated_at = ? WHERE id = ?", (rev, now, case_id))
            append_outbox(conn, "cases", case_id, rev, now)
            self.session.audit(conn, "case.delete", table="cases", target=case_id, detail={"code": stored["code"]})

    def _check_may_edit(self, stored: dict) -> None:
        if not self._in_scope(stored):  # the same words as a case that does not exist (issue 13.8)
            raise NotFound(*NOT_FOUND)
        if not self.session.owns(stored["origin"]):
            raise PermissionDenied("Vụ việc này do đơn vị khác sở hữu; chỉ đơn vị đó được sửa.",
                                   "This case is owned by another node; only that node may edit it.")

    def _in_scope(self, stored: dict) -> bool:
        user = self.session.user
        return user.role != "cadre" or stored.get("point_id") == user.point_id

    def take_code_above(self, conn, case_id: str, taken: str, highest: str | None = None) -> str | None:
        """The parent holds `taken` (and codes up to `highest`) for another case of this node, one a restored
        backup forgot here: this case, which numbered itself again from below, takes the next code above them
        all. Inside the caller's transaction; audited. Returns the new code, or None when the case is not this
        node's own numbering under `taken` (nothing changes)."""
        import re

        row = conn.execute("SELECT code, rev, origin FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None or row[0] != taken or not self.session.owns(row[2]):
            return None
        prefix, _, number = taken.rpartition("-")
        year = prefix.rpartition("-")[2]
        if prefix != f"{self.session.node_info.code}-{year}" or not re.fullmatch(r"\d{4}", year):
            return None
        top = int(number) if number.isdigit() else 0
        if highest and re.fullmatch(re.escape(prefix) + r"-\d{5,6}", highest):
            top = max(top, int(highest.rpartition("-")[2]))
        name = f"case_code_{year}"
        conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (name,))
        conn.execute("UPDATE counters SET value = max(value, ?) WHERE name = ?", (top, name))
        code = self._next_code(conn, f"{year}-01-01")
        rev = row[1] + 1
        conn.execute("UPDATE cases SET code = ?, rev = ? WHERE id = ?", (code, rev, case_id))
        append_outbox(conn, "cases", case_id, rev, now_utc())
        self.session.audit(conn, "case.recoded", table="cases", target=case_id, detail={"from": taken, "to": code})
        return code

    def _next_code(self, conn, reported_on: str) -> str:
        year = reported_on[:4]
        name = f"case_code_{year}"
        conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (name,))
        # A counter behind the codes in use (a file from an older release kept none; a restore, a merge) skips
        # the codes already taken rather than refusing the save.
        while True:
            conn.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
            number = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
            code = f"{self.session.node_info.code}-{year}-{number:05d}"
            if conn.execute("SELECT 1 FROM cases WHERE code = ?", (code,)).fetchone() is None:
                return code

    def _write(self, conn, case_id, case, *, rev, code, created_at, updated_at, origin=None) -> None:
        s, i, d, intake = case["survivor"], case["incident"], case["derived"], case["intake"]
        contexts = set(d["contexts"])
        row = {
            "id": case_id, "origin": origin or self.session.origin, "rev": rev, "created_at": created_at,
            "updated_at": updated_at, "deleted": 0, "code": code, "point_id": case["point_id"],
            "status": case["status"], "reported_on": intake["reported_on"], "incident_on": intake["incident_on"],
            "disclosure_channel": intake["disclosure_channel"], "referral_source": intake["referral_source"],
            "taken_by": intake["taken_by"], "survivor_age": s["age"], "survivor_age_band": s["age_band"],
            "survivor_sex": s["sex"], "marital_status": s["marital_status"], "disability": s["disability"],
            "ethnicity": s["ethnicity"], "pregnant": None if s["pregnant"] is None else int(s["pregnant"]),
            "time_of_day": i["time_of_day"], "location_type": i["location_type"],
            "violence_type": i["violence_type"], "reported_elsewhere": int(bool(i["reported_elsewhere"])),
            "safety_plan": int(case["safety_plan"]["in_place"]), "safety_plan_on": case["safety_plan"]["on"],
            "closed_on": case["closure"]["closed_on"], "closure_items": json.dumps(case["closure"]["items"]),
            "duplicate_of": case["duplicate_of"], "delay_band": d["delay_band"],
            "perpetrator_count": d["perpetrator_count"],
            "ctx_intimate_partner": int("intimate_partner_violence" in contexts),
            "ctx_child_sexual_abuse": int("child_sexual_abuse" in contexts),
            "ctx_early_marriage": int("early_marriage" in contexts),
            "next_follow_up": d["next_follow_up"], "created_by": self.session.user.id,
            # case management (issue 18): stays home
            "survivor_occupation": s["occupation"], "residence_status": s["residence_status"],
            "nationality": s["nationality"], "children_count": s["children_count"],
            "children_at_risk": s["children_at_risk"], "interpreter_need": s["interpreter"],
            "money_exchanged": i["money_exchanged"], "abduction": i["abduction"], "weapon": i["weapon"],
            "perpetrator_previous": i["perpetrator_previous"],
            "privacy_notice_on": case["privacy_notice"]["on"], "privacy_notice_by": case["privacy_notice"]["by"],
            "safety_detail": json.dumps({k: case["safety_plan"][k]
                                         for k in ("to_take", "steps", "children", "agreed", "review_on")}),
            "action_needs": json.dumps(case["action_plan"]["needs"]), "action_goals": case["action_plan"]["goals"],
            "closure_knows_return": None if case["closure"]["knows_can_return"] is None
            else int(case["closure"]["knows_can_return"]),
            "reopened_on": case["reopen"]["on"], "reopen_reason": case["reopen"]["reason"],
            "risk_level": d["risk_level"], "risk_assessed_on": d["risk_assessed_on"],
        }
        mgmt = self._management()
        if not mgmt:  # a database before the case-management step (a test running fewer steps)
            row = {k: v for k, v in row.items() if k in _OLD_CASE_COLUMNS}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in ("id", "created_by"))
        conn.execute(f"INSERT INTO cases ({columns}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
                     tuple(row.values()))
        for table in CHILD_TABLES if mgmt else CHILD_TABLES[:7]:
            conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        conn.executemany("INSERT INTO case_dv_acts (case_id, act) VALUES (?, ?)",
                         [(case_id, act) for act in i["dv_acts"]])
        conn.executemany(
            "INSERT INTO case_perpetrators (case_id, idx, sex, age_group, relationship, count) VALUES (?, ?, ?, ?, ?, ?)",
            [(case_id, n, p["sex"], p["age_group"], p["relationship"], p["count"])
             for n, p in enumerate(case["perpetrators"])])
        conn.executemany(
            "INSERT INTO case_consents (case_id, scope, given, given_on, withdrawn_on, given_by) VALUES (?, ?, ?, ?, ?, ?)"
            if mgmt else "INSERT INTO case_consents (case_id, scope, given, given_on, withdrawn_on) VALUES (?, ?, ?, ?, ?)",
            [(case_id, scope, int(c["given"]), c["on"], c["withdrawn_on"], c["given_by"])[:6 if mgmt else 5]
             for scope, c in case["consent"].items()])
        conn.executemany(
            "INSERT INTO case_services (case_id, service, status, on_date, provider_id) VALUES (?, ?, ?, ?, ?)",
            [(case_id, v["service"], v["status"], v["on"], v["provider_id"]) for v in case["services"]])
        conn.executemany(
            "INSERT INTO case_referrals (case_id, idx, service, provider_id, provider_name, referred_on, consent,"
            " consent_on, outcome, outcome_on" + (", legal_basis, basis_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                                  if mgmt else ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            [(case_id, n, r["service"], r["provider_id"], r["provider_name"], r["referred_on"], int(r["consent"]),
              r["consent_on"], r["outcome"], r["outcome_on"], r["legal_basis"], r["basis_reason"])[:12 if mgmt else 10]
             for n, r in enumerate(case["referrals"])])
        conn.executemany(
            "INSERT INTO case_follow_ups (case_id, idx, due_on, done_on, status" +
            (", outcome, next_on) VALUES (?, ?, ?, ?, ?, ?, ?)" if mgmt else ") VALUES (?, ?, ?, ?, ?)"),
            [(case_id, n, f["due_on"], f["done_on"], f["status"], f["outcome"], f["next_on"])[:7 if mgmt else 5]
             for n, f in enumerate(case["follow_ups"])])
        if not mgmt:
            return self._write_actions_and_identity(conn, case_id, case, updated_at)
        conn.executemany(
            "INSERT INTO case_risk_assessments (case_id, idx, on_date, answers, score, level, assessed_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(case_id, n, a["on"], json.dumps(a["answers"], sort_keys=True), a["score"], a["level"], a["by"])
             for n, a in enumerate(case["risk_assessments"])])
        conn.executemany(
            "INSERT INTO case_actions (case_id, idx, what, service, provider_id, person, due_on, status, done_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(case_id, n, a["what"], a["service"], a["provider_id"], a["person"], a["due_on"], a["status"],
              a["done_on"]) for n, a in enumerate(case["action_plan"]["actions"])])
        self._write_actions_and_identity(conn, case_id, case, updated_at)

    def _write_actions_and_identity(self, conn, case_id, case, updated_at) -> None:
        conn.executemany(
            "INSERT INTO case_perpetrator_actions (case_id, idx, action, on_date) VALUES (?, ?, ?, ?)",
            [(case_id, n, a["action"], a["on"]) for n, a in enumerate(case["perpetrator_actions"])])
        if "identity" in case:
            ident = case["identity"]
            values = {IDENTITY_COLUMNS[k]: ident.get(k) for k in IDENTITY_FIELDS}
            self._write_identity(conn, case_id, case["point_id"], values, updated_at)
        else:
            self._move_identity(conn, case_id, case["point_id"], updated_at)

    def _sealed(self) -> bool:
        """Identities on this node are sealed under identity keys (False only on an old node not yet upgraded)."""
        session = self.session
        if getattr(session, "_identities_sealed", None) is None:
            session._identities_sealed = bool(self.store.scalar(
                "SELECT value FROM meta WHERE key = 'identities_sealed'"))
        return session._identities_sealed

    def _management(self) -> bool:
        session = self.session
        if getattr(session, "_case_management_schema", None) is None:
            session._case_management_schema = migrations_ready(self.store)
        return session._case_management_schema

    def _schema(self) -> bool:
        session = self.session
        if getattr(session, "_identity_schema", None) is None:
            from app.store import migrations

            session._identity_schema = migrations.has_identity_keys(self.store)
        return session._identity_schema

    def _write_identity(self, conn, case_id, point_id, values: dict, updated_at: str) -> None:
        if self._schema() and not self._sealed() and not self.session.identity.keys:
            # An old node before its first administrator's log-in: as before, until the upgrade seals it all.
            columns = identity.COLUMNS
            conn.execute(
                f"INSERT OR REPLACE INTO case_identities (case_id, {', '.join(columns)}, name_norm, updated_at)"
                f" VALUES (?, {', '.join('?' for _ in columns)}, ?, ?)",
                (case_id, *(values[c] for c in columns), fold(values["survivor_name"]), updated_at))
            return
        if not self._schema():
            conn.execute(
                "INSERT OR REPLACE INTO case_identities (case_id, survivor_name, name_norm, address, phone,"
                " id_number, perpetrator_names, narrative, safety_notes, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, values["survivor_name"], fold(values["survivor_name"]), values["address"],
                 values["phone"], values["id_number"], values["perpetrator_names"], values["narrative"],
                 values["safety_notes"], updated_at))
            return
        identity.write(conn, self.session.identity, case_id, point_id, values, updated_at,
                       ensure_key=self.session.ensure_identity_key)

    def _move_identity(self, conn, case_id, point_id, updated_at: str) -> None:
        """A case moved to another point: its identity goes under that point's key (when this person holds both)."""
        if not self._schema():
            return
        cur = conn.execute("SELECT * FROM case_identities WHERE case_id = ?", (case_id,))
        found = cur.fetchone()
        if found is None:
            return
        row = dict(zip([d[0] for d in cur.description], found, strict=True))
        if row["key_id"] is None or self.session.identity.scopes.get(row["key_id"]) == identity.scope_of(point_id):
            return
        try:
            values = identity.read(self.session.identity, row)
            self._write_identity(conn, case_id, point_id, values, updated_at)
        except identity.IdentityLocked:
            raise PermissionDenied(
                "Không chuyển được vụ việc sang điểm khác vì bạn không giữ khóa thông tin nhận dạng của nó.",
                "The case cannot move to another point: you do not hold the key to its identity.") from None

    # --- case management (issue 18) ------------------------------------------------------------
    def _management_rules(self, conn, case_id: str, case: dict, stored: dict | None) -> list:
        """The rules of a save that depend on what was stored before or on who saves. Fills what a person
        need not type (who told her what is kept, who assessed). Returns FieldErrors."""
        from app.errors import FieldError

        session = self.session
        errors = []
        name = session.user.display_name
        if case["privacy_notice"]["on"] and not case["privacy_notice"]["by"]:
            case["privacy_notice"]["by"] = name
        for assessment in case["risk_assessments"]:
            assessment["by"] = assessment["by"] or name
        before_status = stored["status"] if stored else None
        if stored is not None and stored.get("identity_erased_on") and "identity" in case \
                and any(v for v in case["identity"].values()):
            errors.append(FieldError(
                "identity.name", "Thông tin nhận dạng của vụ việc này đã bị xóa theo quyền của người đó; không ghi lại.",
                "This case's identity was erased at the person's right; it is not recorded again."))
        if stored is not None and stored.get("identity_erased_on"):
            case.pop("identity", None)
        # A follow-up newly done says what it found.
        was_done = {(f["due_on"], f["done_on"]) for f in (stored or {}).get("follow_ups", []) if f["done_on"]}
        for n, f in enumerate(case["follow_ups"]):
            if f["done_on"] and (f["due_on"], f["done_on"]) not in was_done and not f["outcome"]:
                errors.append(FieldError(f"follow_ups[{n}].outcome", "Hãy ghi kết quả của lần theo dõi này.",
                                         "Record what this follow-up found."))
        # Reopening a closed case needs its reason, given now.
        if before_status == "closed" and case["status"] != "closed":
            if not case["reopen"]["reason"] or case["reopen"] == (stored or {}).get("reopen"):
                errors.append(FieldError("reopen.reason", "Mở lại vụ việc đã kết thúc thì hãy chọn lý do.",
                                         "Choose why the closed case is reopened."))
        elif case["status"] != "closed" and stored is not None:
            case["reopen"] = stored.get("reopen") or case["reopen"]
        # Closing needs a supervisor's approval given since the case was last (re)opened.
        if case["status"] == "closed" and before_status != "closed" and self._management():
            approved = self._closure_approved(conn, case_id)
            if not approved and not session.can("case.supervise"):
                errors.append(FieldError(
                    "closure.items",
                    "Kết thúc vụ việc cần ý kiến đồng ý của người giám sát (lãnh đạo hoặc cán bộ có quyền giám sát). "
                    "Hãy lưu danh mục kết thúc khi vụ việc còn mở và nhờ người giám sát duyệt.",
                    "Closing a case needs a supervisor's approval (a leader or an officer with the supervisor right). "
                    "Save the closure checklist while the case is open and ask the supervisor to approve it."))
        return errors

    def _audit_management(self, conn, case_id: str, code: str, case: dict, stored: dict | None) -> None:
        """Sharing without consent is written in the audit log, once per referral (basis and service, never the
        reason's words); so are a closure approved by the person closing, and a reopening."""
        session = self.session
        before = {(r["service"], r["referred_on"], r.get("legal_basis")) for r in (stored or {}).get("referrals", [])}
        for referral in case["referrals"]:
            key = (referral["service"], referral["referred_on"], referral["legal_basis"])
            if referral["legal_basis"] and key not in before:
                session.audit(conn, "case.shared_without_consent", table="cases", target=case_id,
                              detail={"code": code, "basis": referral["legal_basis"], "service": referral["service"]})
        before_status = stored["status"] if stored else None
        if case["status"] == "closed" and before_status != "closed" and session.can("case.supervise") \
                and self._management():
            if not self._closure_approved(conn, case_id):
                self._add_review(conn, case_id, code, "", True)
        if before_status == "closed" and case["status"] != "closed":
            session.audit(conn, "case.reopen", table="cases", target=case_id,
                          detail={"code": code, "reason": case["reopen"]["reason"]})

    @staticmethod
    def _closure_approved(conn, case_id: str) -> bool:
        """A supervisor approved closing the case since it was last reopened (an approval is for one closure)."""
        return conn.execute(
            "SELECT 1 FROM case_reviews v WHERE v.case_id = ? AND v.approves_closure = 1 AND v.at > coalesce(("
            "SELECT max(a.at) FROM audit_log a WHERE a.action = 'case.reopen' AND a.target_id = v.case_id), '')"
            " LIMIT 1", (case_id,)).fetchone() is not None

    def review(self, case_id: str, comment: str | None = None, *, approves_closure: bool = False) -> dict:
        """A supervisor's review of a case (a leader, or an officer with the supervisor right): dated, with a
        comment, and, when she says so, her approval of the case's closure. Never changes the case's facts."""
        from app.validation import Checker

        session = self.session
        session.require("case.supervise")
        chk = Checker(session.reference, LABELS, self.today())
        comment = chk.take_text("review.comment", comment, max_len=1000)
        chk.raise_if_any()
        errors = identity.check_free_text(session, "review.comment", comment)
        if errors:
            raise ValidationFailed(errors)
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is None or not self._in_scope(stored):
                raise NotFound(*NOT_FOUND)
            self._add_review(conn, case_id, stored["code"], comment, approves_closure)
        return self.get(case_id)

    def _add_review(self, conn, case_id: str, code: str, comment: str | None, approves_closure: bool) -> None:
        session = self.session
        conn.execute("INSERT INTO case_reviews (case_id, on_date, by_user, by_name, comment, approves_closure, at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (case_id, self.today().isoformat(), session.user.id, session.user.display_name, comment or None,
                      int(bool(approves_closure)), now_utc()))
        session.audit(conn, "case.review", table="cases", target=case_id,
                      detail={"code": code, "approves_closure": bool(approves_closure)})

    # --- one person across incidents -------------------------------------------------------------
    def person_matches(self, case_id: str) -> list[dict]:
        """Earlier (or later) cases that may be of the same person, through the blind index: the same folded
        full name, and the same phone or ID number or a birth year within one of hers. Proposed only: linked
        when the officer confirms (`link_person`). Needs the identity key of both cases."""
        session = self.session
        session.require("identity.read")
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is None or not self._in_scope(stored) or not self._schema():
                return []
            row = conn.execute("SELECT * FROM case_identities WHERE case_id = ?", (case_id,))
            names = [d[0] for d in row.description]
            found = row.fetchone()
            if found is None:
                return []
            try:
                values = identity.read(session.identity, dict(zip(names, found, strict=True)))
            except identity.IdentityLocked:
                return []
            full = identity.words(values.get("survivor_name"))
            if not full:
                return []
            name_tokens, number_tokens = [], []
            for key in session.identity.index_keys():
                name_tokens.append(identity._h(key, b"f", " ".join(full)))
                for column in ("phone", "id_number"):
                    number = identity.digits(values.get(column))
                    if len(number) >= 6:
                        number_tokens.append(identity._h(key, b"d", number))
            marks = ",".join("?" for _ in name_tokens)
            scope_sql, scope_params = session.case_scope()
            candidates = conn.execute(
                f"SELECT id, code, reported_on, survivor_age, violence_type, status, person_id FROM cases"
                f" WHERE id != ? AND deleted = 0 AND {scope_sql} AND id IN"
                f" (SELECT case_id FROM case_search_tokens WHERE token IN ({marks}))",
                (case_id, *scope_params, *name_tokens)).fetchall()
            numbers = set()
            if number_tokens and candidates:
                nmarks = ",".join("?" for _ in number_tokens)
                numbers = {r[0] for r in conn.execute(
                    f"SELECT DISTINCT case_id FROM case_search_tokens WHERE token IN ({nmarks})", number_tokens)}
        born = _birth_year(stored["intake"]["reported_on"], stored["survivor"]["age"])
        matches = []
        for other_id, code, reported_on, age, vtype, status, person_id in candidates:
            if stored["person"]["id"] and person_id == stored["person"]["id"]:
                continue  # already linked
            other_born = _birth_year(reported_on, age)
            same_number = other_id in numbers
            near_year = born is not None and other_born is not None and abs(born - other_born) <= 1
            if same_number or near_year:
                matches.append({"id": other_id, "code": code, "reported_on": reported_on, "violence_type": vtype,
                                "status": status, "same_phone_or_id": same_number, "birth_year_agrees": near_year})
        return sorted(matches, key=lambda m: m["reported_on"])

    def link_person(self, case_id: str, other_id: str) -> str:
        """The officer confirms that two cases are of the same person: both (and every case already linked to
        either) share one person id. Stays home; audited. Returns the person id."""
        session = self.session
        session.require("case.write")
        session.require("identity.read")
        with self.store.transaction() as conn:
            loaded = [self._load(conn, x) for x in (case_id, other_id)]
            found = [c for c in loaded if c is not None and self._in_scope(c)]
            if len(found) != 2 or case_id == other_id:
                raise NotFound(*NOT_FOUND)
            person = found[0]["person"]["id"] or found[1]["person"]["id"] or new_id()
            old = [c["person"]["id"] for c in found if c["person"]["id"] and c["person"]["id"] != person]
            conn.execute(f"UPDATE cases SET person_id = ? WHERE id IN (?, ?)"
                         f" OR person_id IN ({','.join('?' for _ in old) or 'NULL'})", (person, case_id, other_id, *old))
            session.audit(conn, "case.person_linked", table="cases", target=case_id,
                          detail={"codes": [c["code"] for c in found]})
        return person

    def unlink_person(self, case_id: str) -> None:
        session = self.session
        session.require("case.write")
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is None or not self._in_scope(stored):
                raise NotFound(*NOT_FOUND)
            conn.execute("UPDATE cases SET person_id = NULL WHERE id = ?", (case_id,))
            session.audit(conn, "case.person_unlinked", table="cases", target=case_id, detail={"code": stored["code"]})

    # --- what is due ---------------------------------------------------------------------------------
    def due(self, *, ahead_days: int = DUE_AHEAD_DAYS) -> list[dict]:
        """What is due or overdue for the person logged in, within her case scope: planned follow-ups, open
        action items, safety-plan reviews; for a supervisor, closures waiting for approval; for whoever may
        erase, identities past the retention period. A case at high risk comes first, then the overdue, then
        by date. Each item: case_id, code, kind, due_on, overdue, risk_level."""
        from datetime import timedelta

        session = self.session
        session.require("case.read")
        if not migrations_ready(self.store):
            return []
        today = self.today()
        horizon = (today + timedelta(days=ahead_days)).isoformat()
        scope_sql, scope_params = session.case_scope()
        scope_c = scope_sql.replace("point_id", "c.point_id")
        # Only cases worked on here: this node's own and a merged old node's (each numbered under its own code,
        # which the index on codes finds at once). A parent holds its children's cases too (200 000 at a
        # province), but their follow-ups, plans and closures are the children's work.
        owners = [(session.node_info.code, session.origin), *self.store.execute(
            "SELECT code, node_id FROM sync_peers WHERE relation = 'merged' AND status = 'active'").fetchall()]
        mine = " OR ".join("(c.deleted = 0 AND c.code > ? AND c.code < ? AND c.origin = ?)" for _ in owners)
        open_case = f"({mine}) AND c.status = 'open' AND ({scope_c})"
        scope_params = (*(v for code, origin in owners for v in (f"{code}-", f"{code}-~", origin)), *scope_params)
        open_actions = [o.code for o in session.reference["action_status"].options if o.extra.get("open")]
        # Follow-ups, actions and reviews of the plan are the caseworker's (who may write cases); approving a
        # closure the supervisor's; the retention review whoever may erase.
        queries = [] if not session.can("case.write") else [
            ("follow_up", f"SELECT c.id, c.code, f.due_on, c.risk_level FROM cases c JOIN case_follow_ups f"
                          f" ON f.case_id = c.id WHERE {open_case} AND f.status = 'planned' AND f.due_on <= ?",
             (*scope_params, horizon)),
            ("action", f"SELECT c.id, c.code, a.due_on, c.risk_level FROM cases c JOIN case_actions a"
                       f" ON a.case_id = c.id WHERE {open_case} AND a.due_on IS NOT NULL AND a.due_on <= ?"
                       f" AND a.status IN ({','.join('?' for _ in open_actions) or 'NULL'})",
             (*scope_params, horizon, *open_actions)),
            ("safety_review", f"SELECT c.id, c.code, c.safety_detail ->> '$.review_on', c.risk_level FROM cases c"
                              f" WHERE {open_case} AND c.safety_detail ->> '$.review_on' <= ?",
             (*scope_params, horizon)),
        ]
        if session.can("case.supervise"):
            queries.append(("closure_approval",
                            f"SELECT c.id, c.code, c.updated_at, c.risk_level FROM cases c WHERE {open_case}"
                            " AND c.closure_items != '[]' AND NOT EXISTS (SELECT 1 FROM case_reviews v"
                            " WHERE v.case_id = c.id AND v.approves_closure = 1 AND v.at > coalesce((SELECT max(a.at)"
                            " FROM audit_log a WHERE a.action = 'case.reopen' AND a.target_id = c.id), ''))",
                            scope_params))
        items = []
        for kind, sql, params in queries:
            for case_id, code, due_on, risk in self.store.execute(sql, params).fetchall():
                due_on = (due_on or today.isoformat())[:10]
                items.append({"case_id": case_id, "code": code, "kind": kind, "due_on": due_on,
                              "overdue": due_on < today.isoformat(), "risk_level": risk})
        if session.can("case.delete"):
            for row in self.retention_due():
                items.append({"case_id": row["id"], "code": row["code"], "kind": "retention",
                              "due_on": row["erase_from"], "overdue": row["erase_from"] < today.isoformat(),
                              "risk_level": None})
        first = {o.code for o in session.reference["risk_level"].options if o.extra.get("due_first")}
        items.sort(key=lambda d: (d["risk_level"] not in first, not d["overdue"], d["due_on"], d["code"]))
        return items

    # --- the person's rights (Law 91/2025) ---------------------------------------------------------------
    def retention_years(self) -> int:
        profile = getattr(self.session, "profile", None)
        value = (getattr(profile, "raw", None) or {}).get("identity_retention_years")
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 \
            else DEFAULT_RETENTION_YEARS

    def retention_due(self) -> list[dict]:
        """Closed cases whose identity is still held past the profile's retention period after closure: the
        officer reviews them and erases (or records why one is kept)."""
        session = self.session
        session.require("case.read")
        if not migrations_ready(self.store):
            return []
        years = self.retention_years()
        today = self.today()
        try:
            limit = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            limit = today.replace(year=today.year - years, day=28)
        scope_sql, scope_params = session.case_scope()
        rows = self.store.query(
            # From the identities held (few at a parent, whose cases mostly came without them), then their cases.
            f"SELECT id, code, closed_on FROM case_identities i CROSS JOIN cases ON cases.id = i.case_id"
            f" WHERE deleted = 0 AND status = 'closed' AND closed_on IS NOT NULL AND closed_on <= ?"
            f" AND identity_erased_on IS NULL AND origin = ? AND {scope_sql} ORDER BY closed_on",
            (limit.isoformat(), session.origin, *scope_params))
        out = []
        for r in rows:
            closed = date.fromisoformat(r["closed_on"][:10])
            try:
                erase_from = closed.replace(year=closed.year + years)
            except ValueError:
                erase_from = closed.replace(year=closed.year + years, day=28)
            out.append({"id": r["id"], "code": r["code"], "closed_on": r["closed_on"],
                        "erase_from": erase_from.isoformat()})
        return out

    def erase_identity(self, case_id: str, *, reason: str = "request") -> dict:
        """Erase the identity of one case, on the person's request or after the retention period: its identity
        row and search tokens are deleted (secure_delete overwrites the freed pages), the free text that could
        describe her is blanked, the link to her other cases goes, then the file is compacted and checkpointed so
        no page keeps a trace. The de-identified facts stay and still count. The erasure is audited and travels
        up as such (`identity_erased_on`, a month)."""
        session = self.session
        session.require("case.delete")
        session.require("identity.write")
        if reason not in ("request", "retention"):
            raise ValueError(reason)
        with self.store.transaction() as conn:
            stored = self._load(conn, case_id)
            if stored is None:
                raise NotFound(*NOT_FOUND)
            self._check_may_edit(stored)
            if stored["identity_erased_on"]:
                return stored
            now = now_utc()
            rev = stored["rev"] + 1
            conn.execute("DELETE FROM case_search_tokens WHERE case_id = ?", (case_id,))
            conn.execute("DELETE FROM case_identities WHERE case_id = ?", (case_id,))
            conn.execute("UPDATE case_referrals SET provider_name = NULL, basis_reason = CASE WHEN basis_reason"
                         " IS NULL THEN NULL ELSE ? END WHERE case_id = ?", (ERASED, case_id))
            conn.execute("UPDATE case_actions SET what = ?, person = NULL WHERE case_id = ?", (ERASED, case_id))
            conn.execute("UPDATE case_reviews SET comment = NULL WHERE case_id = ?", (case_id,))
            conn.execute("UPDATE cases SET identity_erased_on = ?, action_goals = NULL, person_id = NULL, rev = ?,"
                         " updated_at = ? WHERE id = ?", (self.today().isoformat(), rev, now, case_id))
            append_outbox(conn, "cases", case_id, rev, now)
            session.audit(conn, "case.identity_erased", table="cases", target=case_id,
                          detail={"code": stored["code"], "reason": reason})
        self._compact()
        self._erase_in_copies(case_id)
        return self.get(case_id)

    def _erase_in_copies(self, case_id: str) -> None:
        """The older copies of the file (backups, copies set aside before a schema step or a restore) lose the
        erased identity too: deleted there and each copy compacted. A copy that does not open with this node's
        key is not ours; one that cannot be changed is named in the audit log (an officer deletes it)."""
        import sqlcipher3

        session = self.session
        done, failed = [], []
        for path in identity._copies(session):
            try:
                conn = sqlcipher3.connect(str(path), isolation_level=None)
                try:
                    conn.execute("PRAGMA cipher_log_level = NONE")
                    conn.execute(f"PRAGMA key = \"x'{session._key().hex()}'\"")
                    try:
                        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                    except sqlcipher3.DatabaseError:
                        continue  # another node's file
                    conn.execute("PRAGMA secure_delete = ON")
                    conn.execute("BEGIN IMMEDIATE")
                    changed = 0
                    for table in ("case_search_tokens", "case_identities"):
                        if table in names:
                            changed += conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,)).rowcount
                    conn.execute("COMMIT")
                    if changed:
                        conn.execute("VACUUM")
                        done.append(path.name)
                finally:
                    conn.close()
            except (OSError, sqlcipher3.Error):
                failed.append(path.name)
        if done or failed:
            with self.store.transaction() as conn:
                session.audit(conn, "case.identity_erased_in_copies", table="cases", target=case_id,
                              detail={"files": done, "failed": failed})

    def _compact(self) -> None:
        """No freed page of the file, nor of its WAL, keeps an erased value."""
        store = self.store
        store.checkpoint()
        with store.lock:
            store.conn.execute("VACUUM")
        store.checkpoint()

    # --- reading ----------------------------------------------------------------------------
    def get(self, case_id: str, *, with_identity: bool = False) -> dict:
        """One case. Asking for its identity needs the right and is written in the audit log."""
        self.session.require("case.read")
        if with_identity:
            self.session.require("identity.read")
        with self.store.transaction() as conn:
            case = self._load(conn, case_id)
            if case is None or not self._in_scope(case):
                raise NotFound(*NOT_FOUND)
            if with_identity:
                case = self._load_existing(conn, case_id, with_identity=True)
            if with_identity:
                self.session.audit(conn, "identity.read", table="cases", target=case_id,
                                   detail={"code": case["code"]})
        return case

    def _reference_to(self, id_or_code: str) -> str | None:
        """The id of one of this node's cases that this person may see, named by id or code («Trùng với vụ việc»)."""
        scope_sql, scope_params = self.session.case_scope()
        row = self.store.query(f"SELECT id FROM cases WHERE (id = ? OR code = ?) AND {scope_sql}",
                               (id_or_code, id_or_code, *scope_params))
        return row[0]["id"] if row else None

    def identity_terms(self):
        """The stored identities this person's keys open, in the clear, one dict of columns a case (for checking
        free text that leaves the node; never shown, never logged). Rows under a key she lacks are skipped."""
        rows = self.store.query(f"SELECT * FROM {identity.TABLE}")
        for row in rows:
            try:
                yield identity.read(self.session.identity, row)
            except identity.IdentityLocked:
                continue

    def find_by_code(self, code: str) -> dict | None:
        """The case of this code among those this person may see; None when absent *or* out of her scope."""
        self.session.require("case.read")
        scope_sql, scope_params = self.session.case_scope()
        row = self.store.query(f"SELECT id FROM cases WHERE code = ? AND {scope_sql}", (code, *scope_params))
        return self.get(row[0]["id"]) if row else None

    def resolve(self, key: str) -> str:
        """The id of the case whose id or code is `key`, among those this person may see.

        A case of another point and a case that does not exist give the same message: a cadre learns
        nothing about the codes of other points."""
        self.session.require("case.read")
        scope_sql, scope_params = self.session.case_scope()
        found = self.store.query(f"SELECT id FROM cases WHERE (id = ? OR code = ?) AND {scope_sql}",
                                 (key, key, *scope_params))
        if not found:
            raise NotFound(f"Không có vụ việc '{key}' (hoặc bạn không được phép xem).",
                           f"No case '{key}' (or you may not see it).")
        return found[0]["id"]

    def _load_existing(self, conn, case_id: str, *, with_identity: bool = False) -> dict:
        """A case that must be there (read or written earlier in this transaction): NotFound if it is not."""
        case = self._load(conn, case_id, with_identity=with_identity)
        if case is None:
            raise NotFound(*NOT_FOUND)
        return case

    def _load(self, conn, case_id: str, *, with_identity: bool = False) -> dict | None:
        cur = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        if found is None:
            return None
        r = dict(zip(names, found, strict=True))

        def rows(sql):
            c = conn.execute(sql, (case_id,))
            cols = [d[0] for d in c.description]
            return [dict(zip(cols, v, strict=True)) for v in c.fetchall()]

        contexts = [name for name, col in (("intimate_partner_violence", "ctx_intimate_partner"),
                                           ("child_sexual_abuse", "ctx_child_sexual_abuse"),
                                           ("early_marriage", "ctx_early_marriage")) if r[col]]
        consents = {c["scope"]: c for c in rows("SELECT * FROM case_consents WHERE case_id = ?")}
        management = "risk_level" in r  # a database before the case-management step has none of it
        safety: dict = {"to_take": [], "steps": [], "children": None, "agreed": None, "review_on": None}
        safety.update(json.loads(r.get("safety_detail") or "{}"))
        assessments = rows("SELECT * FROM case_risk_assessments WHERE case_id = ? ORDER BY idx") if management else []
        actions = rows("SELECT * FROM case_actions WHERE case_id = ? ORDER BY idx") if management else []
        reviews = rows("SELECT * FROM case_reviews WHERE case_id = ? ORDER BY id") if management else []
        incidents = []
        if r.get("person_id"):
            scope_sql, scope_params = self.session.case_scope()
            found = conn.execute(
                f"SELECT id, code, reported_on, violence_type, status FROM cases WHERE person_id = ? AND id != ?"
                f" AND deleted = 0 AND {scope_sql} ORDER BY reported_on", (r["person_id"], case_id, *scope_params))
            incidents = [dict(zip(("id", "code", "reported_on", "violence_type", "status"), x, strict=True))
                         for x in found.fetchall()]
        case = {
            "id": r["id"], "code": r["code"], "origin": r["origin"], "rev": r["rev"],
            "created_at": r["created_at"], "updated_at": r["updated_at"], "deleted": bool(r["deleted"]),
            "status": r["status"], "point_id": r["point_id"], "duplicate_of": r["duplicate_of"],
            "intake": {"reported_on": r["reported_on"], "incident_on": r["incident_on"],
                       "disclosure_channel": r["disclosure_channel"], "referral_source": r["referral_source"],
                       "taken_by": r["taken_by"]},
            "survivor": {"age": r["survivor_age"], "age_band": r["survivor_age_band"], "sex": r["survivor_sex"],
                         "marital_status": r["marital_status"], "disability": r["disability"],
                         "ethnicity": r["ethnicity"],
                         "pregnant": None if r["pregnant"] is None else bool(r["pregnant"]),
                         "occupation": r.get("survivor_occupation"), "residence_status": r.get("residence_status"),
                         "nationality": r.get("nationality"), "children_count": r.get("children_count"),
                         "children_at_risk": r.get("children_at_risk"), "interpreter": r.get("interpreter_need")},
            "incident": {"time_of_day": r["time_of_day"], "location_type": r["location_type"],
                         "violence_type": r["violence_type"],
                         "dv_acts": [x["act"] for x in rows("SELECT act FROM case_dv_acts WHERE case_id = ? ORDER BY act")],
                         "reported_elsewhere": bool(r["reported_elsewhere"]),
                         "money_exchanged": r.get("money_exchanged"), "abduction": r.get("abduction"),
                         "weapon": r.get("weapon"), "perpetrator_previous": r.get("perpetrator_previous")},
            "perpetrators": [{"sex": p["sex"], "age_group": p["age_group"], "relationship": p["relationship"],
                              "count": p["count"]}
                             for p in rows("SELECT * FROM case_perpetrators WHERE case_id = ? ORDER BY idx")],
            "consent": {scope: {"given": bool(consents[scope]["given"]), "on": consents[scope]["given_on"],
                                "withdrawn_on": consents[scope]["withdrawn_on"],
                                "given_by": consents[scope].get("given_by")} if scope in consents
                        else {"given": False, "on": None, "withdrawn_on": None, "given_by": None}
                        for scope in CONSENT_SCOPES},
            "privacy_notice": {"on": r.get("privacy_notice_on"), "by": r.get("privacy_notice_by")},
            "services": [{"service": v["service"], "status": v["status"], "on": v["on_date"],
                          "provider_id": v["provider_id"]}
                         for v in rows("SELECT * FROM case_services WHERE case_id = ? ORDER BY rowid")],
            "referrals": [{"service": x["service"], "provider_id": x["provider_id"],
                           "provider_name": x["provider_name"], "referred_on": x["referred_on"],
                           "consent": bool(x["consent"]), "consent_on": x["consent_on"], "outcome": x["outcome"],
                           "outcome_on": x["outcome_on"], "legal_basis": x.get("legal_basis"),
                           "basis_reason": x.get("basis_reason")}
                          for x in rows("SELECT * FROM case_referrals WHERE case_id = ? ORDER BY idx")],
            "follow_ups": [{"due_on": f["due_on"], "done_on": f["done_on"], "status": f["status"],
                            "outcome": f.get("outcome"), "next_on": f.get("next_on")}
                           for f in rows("SELECT * FROM case_follow_ups WHERE case_id = ? ORDER BY idx")],
            "perpetrator_actions": [{"action": a["action"], "on": a["on_date"]}
                                    for a in rows("SELECT * FROM case_perpetrator_actions WHERE case_id = ? ORDER BY idx")],
            "safety_plan": {"in_place": bool(r["safety_plan"]), "on": r["safety_plan_on"], **safety},
            "risk_assessments": [{"on": a["on_date"], "answers": json.loads(a["answers"]), "score": a["score"],
                                  "level": a["level"], "by": a["assessed_by"]} for a in assessments],
            "action_plan": {"needs": json.loads(r.get("action_needs") or "[]"), "goals": r.get("action_goals"),
                            "actions": [{k: a[k] for k in ("what", "service", "provider_id", "person", "due_on",
                                                           "status", "done_on")} for a in actions]},
            "closure": {"items": json.loads(r["closure_items"]), "closed_on": r["closed_on"],
                        "knows_can_return": None if r.get("closure_knows_return") is None
                        else bool(r["closure_knows_return"])},
            "reopen": {"on": r.get("reopened_on"), "reason": r.get("reopen_reason")},
            "derived": {"delay_band": r["delay_band"], "perpetrator_count": r["perpetrator_count"],
                        "contexts": contexts, "next_follow_up": r["next_follow_up"],
                        "risk_level": r.get("risk_level"), "risk_assessed_on": r.get("risk_assessed_on")},
            # Read only: written by `review`, `link_person` and `erase_identity`, never by a save.
            "reviews": [{"on": v["on_date"], "by": v["by_name"], "comment": v["comment"],
                         "approves_closure": bool(v["approves_closure"])} for v in reviews],
            "person": {"id": r.get("person_id"), "incidents": incidents},
            "identity_erased_on": r.get("identity_erased_on"),
        }
        if with_identity:
            ident = rows("SELECT * FROM case_identities WHERE case_id = ?")
            src = identity.read(self.session.identity, ident[0] if ident else None)
            case["identity"] = {k: src.get(IDENTITY_COLUMNS[k]) for k in IDENTITY_FIELDS}
        return case

    # --- lists ---------------------------------------------------------------------------------
    def _where(self, flt: CaseFilter) -> tuple[str, list]:
        scope_sql, scope_params = self.session.case_scope()
        clauses, params = [scope_sql], list(scope_params)
        if not flt.include_deleted:
            clauses.append("deleted = 0")
        if flt.status:
            clauses.append("status = ?")
            params.append(flt.status)
        if flt.violence_type:
            clauses.append("violence_type = ?")
            params.append(flt.violence_type)
        if flt.year:
            clauses.append("reported_on >= ? AND reported_on < ?")
            params += [f"{flt.year:04d}-01-01", f"{flt.year + 1:04d}-01-01"]
        if flt.overdue:
            clauses.append("status = 'open' AND next_follow_up IS NOT NULL AND next_follow_up < ?")
            params.append(self.today().isoformat())
        if flt.due:
            due = sorted({d["case_id"] for d in self.due()})
            clauses.append(f"id IN ({','.join('?' for _ in due) or 'NULL'})")
            params += due
        text = fold(flt.search)
        if text:
            # Codes always; names and phones only for roles that may see identities, through the blind
            # index under the identity keys this person holds (a cadre: her point's only).
            like = f"%{text}%"
            parts = ["code LIKE ?"]  # codes are ASCII: LIKE ignores their case
            params.append(like)
            if self.session.can("identity.read"):
                groups = identity.query_groups(self.session.identity, flt.search) if self._schema() else []
                if groups:
                    part = " AND ".join(
                        f"id IN (SELECT case_id FROM case_search_tokens WHERE token IN ({','.join('?' for _ in g)}))"
                        for g in groups)
                    parts.append(f"({part})")
                    for g in groups:
                        params += g
                if not self._schema():  # a database before the identity-key step
                    parts.append("id IN (SELECT case_id FROM case_identities WHERE name_norm LIKE ?)")
                    params.append(like)
                elif not self._sealed():  # an old node not yet upgraded: its clear names, as before
                    parts.append("id IN (SELECT case_id FROM case_identities WHERE key_id IS NULL AND name_norm LIKE ?)")
                    params.append(like)
                self._audit_search(flt.search)
            clauses.append("(" + " OR ".join(parts) + ")")
        return " AND ".join(clauses), params

    def _audit_search(self, text: str) -> None:
        """A name or phone search is written in the audit log once per session, as a keyed hash only."""
        digest = identity.audit_hash(self.session.identity, text)
        if digest is None or digest["search"] in self.session._searched:
            return
        with self.store.transaction() as conn:
            self.session.audit(conn, "identity.search", table="cases", detail=digest)
        self.session._searched.add(digest["search"])

    def count(self, flt: CaseFilter | None = None) -> int:
        self.session.require("case.read")
        where, params = self._where(flt or CaseFilter())
        return self.store.scalar(f"SELECT count(*) FROM cases WHERE {where}", params)

    def open_and_overdue(self) -> tuple[int, int]:
        """(open cases, open cases whose next follow-up is past): `count(CaseFilter(status="open"))` and
        `count(CaseFilter(overdue=True))` in one pass over the open cases only (through the status index,
        not the index that starts with `deleted`, which would visit every case)."""
        self.session.require("case.read")
        scope_sql, scope_params = self.session.case_scope()
        row = self.store.execute(
            "SELECT count(*), count(CASE WHEN next_follow_up IS NOT NULL AND next_follow_up < ? THEN 1 END)"
            f" FROM cases WHERE ({scope_sql}) AND +deleted = 0 AND status = 'open'",
            [self.today().isoformat(), *scope_params]).fetchone()
        return int(row[0]), int(row[1])

    def ids(self, flt: CaseFilter | None = None, *, order: str = "reported_on", descending: bool = True,
            limit: int | None = None) -> list[str]:
        """Matching ids in order: the list model holds these and fetches rows on demand.

        With `limit`, only the first ids: a list can show its first page at once and
        fetch the rest (200 000 ids take ~0.15 s) in the background.
        """
        self.session.require("case.read")
        where, params = self._where(flt or CaseFilter())
        sortable = {"reported_on", "code", "status", "violence_type", "survivor_age_band", "next_follow_up"}
        column = order if order in sortable else "reported_on"
        direction = "DESC" if descending else "ASC"
        # While searching, let SQLite filter on the small code index and sort the few matches
        # ("+column" stops it walking the whole date index instead).
        sort = f"+{column}" if (flt and flt.search.strip()) else column
        sql = f"SELECT id FROM cases WHERE {where} ORDER BY {sort} {direction}, id {direction}"
        if limit is not None:
            sql += " LIMIT ?"
            params = list(params) + [int(limit)]
        rows = self.store.execute(sql, params).fetchall()
        return [r[0] for r in rows]

    def years(self) -> list[int]:
        """The years of first report among the cases this user may see, newest first (for the year filter)."""
        self.session.require("case.read")
        scope_sql, scope_params = self.session.case_scope()
        found = self.store.execute(
            f"SELECT DISTINCT substr(reported_on, 1, 4) FROM cases WHERE deleted = 0 AND {scope_sql}"
            " ORDER BY 1 DESC", scope_params).fetchall()
        return [int(r[0]) for r in found if r[0] and r[0].isdigit()]

    def rows(self, ids: list[str]) -> list[dict]:
        """List rows (facts only, never identity) for the given ids, in the same order."""
        self.session.require("case.read")
        if not ids:
            return []
        marks = ",".join("?" for _ in ids)
        scope_sql, scope_params = self.session.case_scope()
        found = self.store.query(
            f"SELECT c.id, c.code, c.reported_on, c.violence_type, c.status, c.survivor_age_band, c.next_follow_up,"
            f" c.point_id, c.origin, (SELECT group_concat(service, ',') FROM case_services s WHERE s.case_id = c.id)"
            f" AS services FROM cases c WHERE c.id IN ({marks}) AND {scope_sql}", list(ids) + list(scope_params))
        by_id = {r["id"]: r for r in found}
        return [by_id[i] for i in ids if i in by_id]

    def list(self, flt: CaseFilter | None = None, *, limit: int | None = None) -> list[dict]:
        ids = self.ids(flt)
        return self.rows(ids[:limit] if limit else ids)


def _birth_year(reported_on: str | None, age: int | None) -> int | None:
    """The year of birth a recorded age implies (give or take one)."""
    if age is None or not reported_on:
        return None
    return int(reported_on[:4]) - age


def migrations_ready(store) -> bool:
    """The schema has the case-management step (a test may run this program with fewer steps)."""
    from app.store import migrations

    try:
        return store.user_version >= migrations.STEPS.index(migrations._step_case_management) + 1
    except ValueError:
        return False


def _facts(case: dict, like: dict | None = None) -> dict:
    """The parts of a case a person edits, for comparing two versions."""
    keys = ("status", "point_id", "duplicate_of", "intake", "survivor", "incident", "perpetrators", "consent",
            "services", "referrals", "follow_ups", "perpetrator_actions", "safety_plan", "closure",
            "privacy_notice", "risk_assessments", "action_plan", "reopen")
    facts = {k: case.get(k) for k in keys}
    if "identity" in case:
        facts["identity"] = case["identity"]
    if like is not None and "identity" not in like:
        facts.pop("identity", None)
    if like is not None and facts["intake"] and not facts["intake"].get("taken_by"):
        facts["intake"] = dict(facts["intake"], taken_by=like["intake"].get("taken_by"))
    return facts
