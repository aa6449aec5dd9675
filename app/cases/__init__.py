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
from app.cases.fields import CONSENT_SCOPES, IDENTITY_COLUMNS, IDENTITY_FIELDS
from app.cases.validate import clean_case
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.records import append_outbox, new_id, now_utc
from app.text import fold

NOT_FOUND = ("Không tìm thấy vụ việc (hoặc bạn không được phép xem).", "Case not found (or you may not see it).")
CHILD_TABLES = ("case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                "case_follow_ups", "case_perpetrator_actions")
LIST_COLUMNS = ("id", "code", "reported_on", "violence_type", "status", "survivor_age_band", "services",
                "next_follow_up", "point_id", "origin")


@dataclass
class CaseFilter:
    status: str | None = None
    violence_type: str | None = None
    year: int | None = None
    overdue: bool = False
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
                          find_case=self._reference_to)
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
            if errors:
                raise ValidationFailed(errors)
            now = now_utc()
            self._write(conn, case_id, case, rev=rev, code=code, created_at=created_at, updated_at=now)
            append_outbox(conn, "cases", case_id, rev, now)
            detail = {"code": code, "rev": rev}
            if stored is not None:
                detail["sections"] = sorted(k for k in _facts(case, like=stored)
                                            if _facts(case, like=stored)[k] != _facts(stored).get(k))
            session.audit(conn, action, table="cases", target=case_id, detail=detail)
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
        if stored["origin"] != self.session.origin:
            raise PermissionDenied("Vụ việc này do đơn vị khác sở hữu; chỉ đơn vị đó được sửa.",
                                   "This case is owned by another node; only that node may edit it.")

    def _in_scope(self, stored: dict) -> bool:
        user = self.session.user
        return user.role != "cadre" or stored.get("point_id") == user.point_id

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

    def _write(self, conn, case_id, case, *, rev, code, created_at, updated_at) -> None:
        s, i, d, intake = case["survivor"], case["incident"], case["derived"], case["intake"]
        contexts = set(d["contexts"])
        row = {
            "id": case_id, "origin": self.session.origin, "rev": rev, "created_at": created_at,
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
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in ("id", "created_by"))
        conn.execute(f"INSERT INTO cases ({columns}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
                     tuple(row.values()))
        for table in CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        conn.executemany("INSERT INTO case_dv_acts (case_id, act) VALUES (?, ?)",
                         [(case_id, act) for act in i["dv_acts"]])
        conn.executemany(
            "INSERT INTO case_perpetrators (case_id, idx, sex, age_group, relationship, count) VALUES (?, ?, ?, ?, ?, ?)",
            [(case_id, n, p["sex"], p["age_group"], p["relationship"], p["count"])
             for n, p in enumerate(case["perpetrators"])])
        conn.executemany(
            "INSERT INTO case_consents (case_id, scope, given, given_on, withdrawn_on) VALUES (?, ?, ?, ?, ?)",
            [(case_id, scope, int(c["given"]), c["on"], c["withdrawn_on"])
             for scope, c in case["consent"].items()])
        conn.executemany(
            "INSERT INTO case_services (case_id, service, status, on_date, provider_id) VALUES (?, ?, ?, ?, ?)",
            [(case_id, v["service"], v["status"], v["on"], v["provider_id"]) for v in case["services"]])
        conn.executemany(
            "INSERT INTO case_referrals (case_id, idx, service, provider_id, provider_name, referred_on, consent,"
            " consent_on, outcome, outcome_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(case_id, n, r["service"], r["provider_id"], r["provider_name"], r["referred_on"], int(r["consent"]),
              r["consent_on"], r["outcome"], r["outcome_on"]) for n, r in enumerate(case["referrals"])])
        conn.executemany(
            "INSERT INTO case_follow_ups (case_id, idx, due_on, done_on, status) VALUES (?, ?, ?, ?, ?)",
            [(case_id, n, f["due_on"], f["done_on"], f["status"]) for n, f in enumerate(case["follow_ups"])])
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

    def _schema(self) -> bool:
        session = self.session
        if getattr(session, "_identity_schema", None) is None:
            from app.store import migrations

            session._identity_schema = migrations.has_identity_keys(self.store)
        return session._identity_schema

    def _write_identity(self, conn, case_id, point_id, values: dict, updated_at: str) -> None:
        if not self._schema() or (not self._sealed() and not self.session.identity.keys):
            # An old node before its first administrator's log-in: as before, until the upgrade seals it all.
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
                         "pregnant": None if r["pregnant"] is None else bool(r["pregnant"])},
            "incident": {"time_of_day": r["time_of_day"], "location_type": r["location_type"],
                         "violence_type": r["violence_type"],
                         "dv_acts": [x["act"] for x in rows("SELECT act FROM case_dv_acts WHERE case_id = ? ORDER BY act")],
                         "reported_elsewhere": bool(r["reported_elsewhere"])},
            "perpetrators": [{"sex": p["sex"], "age_group": p["age_group"], "relationship": p["relationship"],
                              "count": p["count"]}
                             for p in rows("SELECT * FROM case_perpetrators WHERE case_id = ? ORDER BY idx")],
            "consent": {scope: {"given": bool(consents[scope]["given"]), "on": consents[scope]["given_on"],
                                "withdrawn_on": consents[scope]["withdrawn_on"]} if scope in consents
                        else {"given": False, "on": None, "withdrawn_on": None}
                        for scope in CONSENT_SCOPES},
            "services": [{"service": v["service"], "status": v["status"], "on": v["on_date"],
                          "provider_id": v["provider_id"]}
                         for v in rows("SELECT * FROM case_services WHERE case_id = ? ORDER BY rowid")],
            "referrals": [{"service": x["service"], "provider_id": x["provider_id"],
                           "provider_name": x["provider_name"], "referred_on": x["referred_on"],
                           "consent": bool(x["consent"]), "consent_on": x["consent_on"], "outcome": x["outcome"],
                           "outcome_on": x["outcome_on"]}
                          for x in rows("SELECT * FROM case_referrals WHERE case_id = ? ORDER BY idx")],
            "follow_ups": [{"due_on": f["due_on"], "done_on": f["done_on"], "status": f["status"]}
                           for f in rows("SELECT * FROM case_follow_ups WHERE case_id = ? ORDER BY idx")],
            "perpetrator_actions": [{"action": a["action"], "on": a["on_date"]}
                                    for a in rows("SELECT * FROM case_perpetrator_actions WHERE case_id = ? ORDER BY idx")],
            "safety_plan": {"in_place": bool(r["safety_plan"]), "on": r["safety_plan_on"]},
            "closure": {"items": json.loads(r["closure_items"]), "closed_on": r["closed_on"]},
            "derived": {"delay_band": r["delay_band"], "perpetrator_count": r["perpetrator_count"],
                        "contexts": contexts, "next_follow_up": r["next_follow_up"]},
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


def _facts(case: dict, like: dict | None = None) -> dict:
    """The parts of a case a person edits, for comparing two versions."""
    keys = ("status", "point_id", "duplicate_of", "intake", "survivor", "incident", "perpetrators", "consent",
            "services", "referrals", "follow_ups", "perpetrator_actions", "safety_plan", "closure")
    facts = {k: case.get(k) for k in keys}
    if "identity" in case:
        facts["identity"] = case["identity"]
    if like is not None and "identity" not in like:
        facts.pop("identity", None)
    if like is not None and facts["intake"] and not facts["intake"].get("taken_by"):
        facts["intake"] = dict(facts["intake"], taken_by=like["intake"].get("taken_by"))
    return facts
