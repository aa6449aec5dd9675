"""The node's registers: prevention models, schools, service providers.

Each register record is synced like an activity (id, origin, rev, tombstone,
outbox). Its parts travel with it: a model's status history and a school's
yearly integration marks are rewritten with their parent, whose revision
rises, so the parent's outbox entry carries them up.

    reg = session.registries
    model = reg.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Đông",
                            "established_on": "2022-03-08", "status": "active"})
    reg.set_model_status(model["id"], "suspended", "2025-06-01")
    reg.set_school_integration(school_id, 2025, True)
    reg.providers(hotline=True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from collections.abc import Callable

from app.errors import Conflict, NotFound, PermissionDenied
from app.records import append_outbox, new_id, now_utc
from app.text import fold
from app.validation import Checker, show_date

FIRST_YEAR = 2000
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]*$")

LABELS: dict[str, tuple[str, str]] = {
    "model.kind": ("Loại mô hình", "Kind of model"),
    "model.name": ("Tên mô hình", "Model name"),
    "model.established_on": ("Ngày thành lập", "Date established"),
    "model.status": ("Tình trạng mô hình", "Model status"),
    "model.status_on": ("Ngày đổi tình trạng", "Date of the status change"),
    "model.notes": ("Ghi chú", "Notes"),
    "school.name": ("Tên trường", "School name"),
    "school.level": ("Cấp học", "School level"),
    "school.notes": ("Ghi chú", "Notes"),
    "school.integrations": ("Lồng ghép tuyên truyền theo năm", "Integration by year"),
    "provider.kind": ("Loại cơ quan", "Kind of provider"),
    "provider.name": ("Tên cơ quan", "Provider name"),
    "provider.phone": ("Số điện thoại", "Phone number"),
    "provider.address": ("Địa chỉ", "Address"),
    "provider.hotline": ("Là đường dây nóng", "Is a hotline"),
    "provider.notes": ("Ghi chú", "Notes"),
}


@dataclass(frozen=True)
class _Register:
    """What differs between the three registers; the save and delete rules are shared."""
    table: str
    action: str  # audit prefix: model.create, school.update, provider.delete …
    vi: str      # "mô hình", for messages
    en: str
    group_column: str  # a name is unique within its kind (models, providers) or level (schools)


MODELS = _Register("models", "model", "mô hình", "model", "kind")
SCHOOLS = _Register("schools", "school", "trường", "school", "level")
PROVIDERS = _Register("providers", "provider", "cơ quan cung cấp dịch vụ", "service provider", "kind")


class RegistryService:
    def __init__(self, session):
        self.session = session
        self.store = session.store

    def today(self) -> date:
        return date.today()

    def _checker(self) -> Checker:
        return Checker(self.session.reference, LABELS, self.today())

    # --- models ----------------------------------------------------------------------------
    def save_model(self, data: dict) -> dict:
        """Save a model; a changed status adds a history entry dated `status_on` (default today)."""

        def clean(chk: Checker, stored: dict | None) -> tuple[dict, dict]:
            facts = {
                "kind": chk.take_code("model.kind", data.get("kind"), "model_kind", required=True),
                "name": chk.take_text("model.name", data.get("name"), max_len=200, required=True),
                "established_on": chk.take_date("model.established_on", data.get("established_on")),
                "status": chk.take_code("model.status", data.get("status") or "active", "model_status",
                                        required=True),
                "notes": chk.take_text("model.notes", data.get("notes"), max_len=4000),
            }
            status_on = chk.take_date("model.status_on", data.get("status_on"))
            changed = facts["status"] and (stored is None or facts["status"] != stored["status"])
            event = None
            if changed:
                on = status_on or (facts["established_on"] if stored is None else None) or self.today().isoformat()
                if facts["established_on"] and on < facts["established_on"]:
                    chk.fail("model.status_on", "Ngày đổi tình trạng không thể trước ngày thành lập mô hình.",
                             "The status cannot change before the model was established.")
                last = stored["history"][-1]["on"] if stored and stored["history"] else None
                if last and on < last:
                    chk.fail("model.status_on",
                             f"Ngày đổi tình trạng không thể trước lần đổi gần nhất ({show_date(last)}).",
                             f"The status change cannot be dated before the last one ({show_date(last)}).")
                event = {"on": on, "status": facts["status"]}
            return facts, {"event": event}

        def write(conn, model_id, facts, parts) -> None:
            event = parts["event"]
            if event:
                # Re-inserting moves a same-day repeat (A→B→A) to the end of the history.
                conn.execute("DELETE FROM model_status_events WHERE model_id = ? AND on_date = ? AND status = ?",
                             (model_id, event["on"], event["status"]))
                conn.execute("INSERT INTO model_status_events (model_id, on_date, status) VALUES (?, ?, ?)",
                             (model_id, event["on"], event["status"]))

        return self._save(MODELS, data, clean, write, self._load_model)

    def get_model(self, model_id: str) -> dict:
        return self._get(MODELS, model_id, self._load_model)

    def models(self, kind: str | None = None, include_deleted: bool = False) -> list[dict]:
        self.session.require("registry.read")
        rows = self._rows(MODELS, {"kind": kind}, include_deleted, ("kind", "name"))
        history: dict[str, list] = {}
        for e in self.store.query("SELECT model_id, on_date, status FROM model_status_events ORDER BY on_date, rowid"):
            history.setdefault(e["model_id"], []).append({"on": e["on_date"], "status": e["status"]})
        return [_model(r, history.get(r["id"], [])) for r in rows]

    def set_model_status(self, model_id: str, status: str, on=None) -> dict:
        """Record that the model changed to `status` on `on` (a date, ISO or dd/mm/yyyy; default today)."""
        stored = self.get_model(model_id)
        if isinstance(on, date):
            on = on.isoformat()
        return self.save_model(dict(stored, status=status, status_on=on))

    def delete_model(self, model_id: str) -> None:
        self._delete(MODELS, model_id, self._load_model)

    def _load_model(self, conn, model_id: str) -> dict | None:
        row = _one(conn, "SELECT * FROM models WHERE id = ?", (model_id,))
        if row is None:
            return None
        events = conn.execute("SELECT on_date, status FROM model_status_events WHERE model_id = ?"
                              " ORDER BY on_date, rowid", (model_id,)).fetchall()
        return _model(row, [{"on": on, "status": status} for on, status in events])

    # --- schools ----------------------------------------------------------------------------
    def save_school(self, data: dict) -> dict:
        """Save a school. `integrations` ({"2025": true, …}) replaces the stored marks when given."""

        def clean(chk: Checker, stored: dict | None) -> tuple[dict, dict]:
            facts: dict[str, object] = {
                "name": chk.take_text("school.name", data.get("name"), max_len=200, required=True),
                "level": chk.take_code("school.level", data.get("level"), "school_level", required=True),
                "notes": chk.take_text("school.notes", data.get("notes"), max_len=4000),
            }
            if "integrations" not in data and stored is not None:
                facts["integrations"] = dict(stored["integrations"])
            else:
                facts["integrations"] = self._integrations(chk, data.get("integrations"))
            return facts, {}

        def write(conn, school_id, facts, parts) -> None:
            conn.execute("DELETE FROM school_integrations WHERE school_id = ?", (school_id,))
            conn.executemany("INSERT INTO school_integrations (school_id, year, integrated) VALUES (?, ?, ?)",
                             [(school_id, int(y), int(v)) for y, v in facts["integrations"].items()])

        return self._save(SCHOOLS, data, clean, write, self._load_school)

    def _integrations(self, chk: Checker, value) -> dict[str, bool]:
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            chk.fail("school.integrations", "Lồng ghép theo năm phải ghi dạng {năm: có/không}.",
                     "Integration by year must be {year: true/false}.")
            return {}
        marks = {}
        this_year = self.today().year
        for year, integrated in value.items():
            path = f"school.integrations.{year}"
            try:
                number = int(year)
            except (TypeError, ValueError):
                number = None
            if number is None or isinstance(year, bool) or not FIRST_YEAR <= number <= this_year:
                chk.fail(path, f"Năm lồng ghép '{year}' không hợp lệ (từ {FIRST_YEAR} đến {this_year}).",
                         f"Integration year '{year}' is not valid ({FIRST_YEAR} to {this_year}).")
                continue
            if not isinstance(integrated, bool) and integrated not in (0, 1):
                chk.fail(path, f"Lồng ghép năm {number}: chỉ nhận Có hoặc Không.",
                         f"Integration in {number}: yes or no only.")
                continue
            marks[str(number)] = bool(integrated)
        return dict(sorted(marks.items()))

    def get_school(self, school_id: str) -> dict:
        return self._get(SCHOOLS, school_id, self._load_school)

    def schools(self, level: str | None = None, include_deleted: bool = False) -> list[dict]:
        self.session.require("registry.read")
        rows = self._rows(SCHOOLS, {"level": level}, include_deleted, ("name",))
        marks: dict[str, dict] = {}
        for m in self.store.query("SELECT school_id, year, integrated FROM school_integrations ORDER BY year"):
            marks.setdefault(m["school_id"], {})[str(m["year"])] = bool(m["integrated"])
        return [_school(r, marks.get(r["id"], {})) for r in rows]

    def set_school_integration(self, school_id: str, year: int, integrated: bool) -> dict:
        """Mark whether the school integrated GBV communication in `year`."""
        stored = self.get_school(school_id)
        return self.save_school(dict(stored, integrations={**stored["integrations"], str(year): integrated}))

    def delete_school(self, school_id: str) -> None:
        self._delete(SCHOOLS, school_id, self._load_school)

    def _load_school(self, conn, school_id: str) -> dict | None:
        row = _one(conn, "SELECT * FROM schools WHERE id = ?", (school_id,))
        if row is None:
            return None
        marks = conn.execute("SELECT year, integrated FROM school_integrations WHERE school_id = ? ORDER BY year",
                             (school_id,)).fetchall()
        return _school(row, {str(y): bool(v) for y, v in marks})

    # --- providers ----------------------------------------------------------------------------
    def save_provider(self, data: dict) -> dict:
        def clean(chk: Checker, stored: dict | None) -> tuple[dict, dict]:
            phone = chk.take_text("provider.phone", data.get("phone"), max_len=40)
            # Hotlines can be short: 111 is the national child-protection line.
            if phone and (not _PHONE.match(phone) or not 3 <= sum(c.isdigit() for c in phone) <= 15):
                chk.fail("provider.phone", "Số điện thoại chỉ gồm chữ số (3–15 số), có thể có dấu + ở đầu.",
                         "A phone number holds 3–15 digits, optionally starting with +.")
            facts = {
                "kind": chk.take_code("provider.kind", data.get("kind"), "provider_kind", required=True),
                "name": chk.take_text("provider.name", data.get("name"), max_len=200, required=True),
                "phone": phone,
                "address": chk.take_text("provider.address", data.get("address"), max_len=300),
                "hotline": bool(chk.take_bool("provider.hotline", data.get("hotline"), default=False)),
                "notes": chk.take_text("provider.notes", data.get("notes"), max_len=4000),
            }
            if facts["hotline"] and not phone:
                chk.fail("provider.phone", "Đường dây nóng cần có số điện thoại.", "A hotline needs its phone number.")
            return facts, {}

        return self._save(PROVIDERS, data, clean, None, self._load_provider)

    def get_provider(self, provider_id: str) -> dict:
        return self._get(PROVIDERS, provider_id, self._load_provider)

    def providers(self, kind: str | None = None, hotline: bool | None = None,
                  include_deleted: bool = False) -> list[dict]:
        self.session.require("registry.read")
        where = {"kind": kind, "hotline": None if hotline is None else int(bool(hotline))}
        return [_provider(r) for r in self._rows(PROVIDERS, where, include_deleted, ("kind", "name"))]

    def delete_provider(self, provider_id: str) -> None:
        self._delete(PROVIDERS, provider_id, self._load_provider)

    def _load_provider(self, conn, provider_id: str) -> dict | None:
        row = _one(conn, "SELECT * FROM providers WHERE id = ?", (provider_id,))
        return None if row is None else _provider(row)

    # --- shared rules ----------------------------------------------------------------------------
    def _save(self, reg: _Register, data: dict, clean: Callable, write_parts: Callable | None,
              load: Callable) -> dict:
        """One register record, whole, in one transaction with its outbox and audit entries.

        Same content twice is a no-op; a save from a stale form that would overwrite another
        change is refused (Conflict).
        """
        session = self.session
        session.require("registry.write")
        chk = self._checker()
        if not isinstance(data, dict):
            chk.fail(reg.action, f"Dữ liệu {reg.vi} phải là một đối tượng JSON.", f"A {reg.en} must be a JSON object.")
            chk.raise_if_any()
        record_id = data.get("id") or new_id()
        with self.store.transaction() as conn:
            stored = load(conn, record_id)
            facts, parts = clean(chk, stored)
            self._check_unique_name(conn, chk, reg, record_id, facts)
            chk.raise_if_any()
            if stored is None:
                if data.get("origin") not in (None, session.origin):
                    raise PermissionDenied(*_other_owner(reg))
                rev, created_at, action = 1, now_utc(), f"{reg.action}.create"
            else:
                self._check_may_edit(reg, stored)
                if {k: stored[k] for k in facts} == facts:
                    return stored
                if stored["deleted"]:
                    raise Conflict(f"Bản ghi {reg.vi} này đã bị xóa nên không sửa được nữa.",
                                   f"This {reg.en} was deleted and can no longer be edited.")
                if data.get("rev") is not None and data["rev"] != stored["rev"]:
                    raise Conflict(
                        f"Bản ghi {reg.vi} này đã được sửa ở nơi khác sau khi bạn mở. Hãy mở lại để xem bản mới "
                        "nhất; thay đổi của bạn chưa được lưu.",
                        f"This {reg.en} was changed elsewhere after you opened it. Reopen it to see the newest "
                        "version; your changes were not saved.")
                rev, created_at, action = stored["rev"] + 1, stored["created_at"], f"{reg.action}.update"
            now = now_utc()
            columns = {k: (int(v) if isinstance(v, bool) else v) for k, v in facts.items() if k != "integrations"}
            row = {"id": record_id, "origin": session.origin if stored is None else stored["origin"], "rev": rev, "created_at": created_at,
                   "updated_at": now, "deleted": 0, **columns}
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            updates = ", ".join(f"{k} = excluded.{k}" for k in row if k != "id")
            conn.execute(f"INSERT INTO {reg.table} ({names}) VALUES ({marks})"
                         f" ON CONFLICT(id) DO UPDATE SET {updates}", tuple(row.values()))
            if write_parts is not None:
                write_parts(conn, record_id, facts, parts)
            append_outbox(conn, reg.table, record_id, rev, now)
            detail: dict[str, object] = {"rev": rev}
            if stored is not None:
                detail["fields"] = sorted(k for k in facts if facts[k] != stored[k])
            session.audit(conn, action, table=reg.table, target=record_id, detail=detail)
            return load(conn, record_id)

    def _check_unique_name(self, conn, chk: Checker, reg: _Register, record_id: str, facts: dict) -> None:
        """Two live records of one kind with the same name are almost always one entered twice."""
        name, group = facts.get("name"), facts.get(reg.group_column)
        if not name or not group:
            return
        others = conn.execute(f"SELECT id, name FROM {reg.table} WHERE {reg.group_column} = ? AND deleted = 0"
                              " AND id != ?", (group, record_id)).fetchall()
        if any(fold(other) == fold(name) for _, other in others):
            chk.fail(f"{reg.action}.name", f"Đã có {reg.vi} tên '{name}' cùng loại. Hãy mở bản đã có để sửa, "
                     "hoặc đặt tên khác.",
                     f"A {reg.en} named '{name}' of the same kind already exists. Open that one to edit it, "
                     "or choose another name.")

    def _check_may_edit(self, reg: _Register, stored: dict) -> None:
        if not self.session.owns(stored["origin"]):  # its own, or a merged old node's (issue 15.7)
            raise PermissionDenied(*_other_owner(reg))

    def _delete(self, reg: _Register, record_id: str, load: Callable) -> None:
        """Tombstone: the record stays, marked deleted, and the deletion travels up like any change."""
        self.session.require("registry.write")
        with self.store.transaction() as conn:
            stored = load(conn, record_id)
            if stored is None:
                raise NotFound(f"Không tìm thấy {reg.vi}.", f"{reg.en.capitalize()} not found.")
            self._check_may_edit(reg, stored)
            if stored["deleted"]:
                return
            now = now_utc()
            rev = stored["rev"] + 1
            conn.execute(f"UPDATE {reg.table} SET deleted = 1, rev = ?, updated_at = ? WHERE id = ?",
                         (rev, now, record_id))
            append_outbox(conn, reg.table, record_id, rev, now)
            self.session.audit(conn, f"{reg.action}.delete", table=reg.table, target=record_id, detail={"rev": rev})

    def _get(self, reg: _Register, record_id: str, load: Callable) -> dict:
        self.session.require("registry.read")
        with self.store.lock:
            found = load(self.store.conn, record_id)
        if found is None:
            raise NotFound(f"Không tìm thấy {reg.vi}.", f"{reg.en.capitalize()} not found.")
        return found

    def _rows(self, reg: _Register, where: dict, include_deleted: bool, order: tuple[str, ...]) -> list[dict]:
        """Rows matching every non-None value of `where` (column -> value; columns are ours, never input)."""
        clauses, params = ["1"], []
        for column, value in where.items():
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if not include_deleted:
            clauses.append("deleted = 0")
        rows = self.store.query(f"SELECT * FROM {reg.table} WHERE {' AND '.join(clauses)}", params)
        # Folded names sort as a Vietnamese reader expects (Đ beside D, not after Z).
        return sorted(rows, key=lambda r: (*(fold(r[c]) for c in order), r["id"]))


def _one(conn, sql: str, params) -> dict | None:
    cur = conn.execute(sql, params)
    found = cur.fetchone()
    return None if found is None else dict(zip([d[0] for d in cur.description], found, strict=True))


def _meta(row: dict) -> dict:
    return {"id": row["id"], "origin": row["origin"], "rev": row["rev"], "created_at": row["created_at"],
            "updated_at": row["updated_at"], "deleted": bool(row["deleted"])}


def _model(row: dict, history: list[dict]) -> dict:
    return {**_meta(row), "kind": row["kind"], "name": row["name"], "established_on": row["established_on"],
            "status": row["status"], "notes": row["notes"], "history": history}


def _school(row: dict, integrations: dict[str, bool]) -> dict:
    return {**_meta(row), "name": row["name"], "level": row["level"], "notes": row["notes"],
            "integrations": integrations}


def _provider(row: dict) -> dict:
    return {**_meta(row), "kind": row["kind"], "name": row["name"], "phone": row["phone"],
            "address": row["address"], "hotline": bool(row["hotline"]), "notes": row["notes"]}


def _other_owner(reg: _Register) -> tuple[str, str]:
    return (f"Bản ghi {reg.vi} này do đơn vị khác sở hữu; chỉ đơn vị đó được sửa.",
            f"This {reg.en} is owned by another node; only that node may edit it.")


__all__ = ["LABELS", "RegistryService"]
