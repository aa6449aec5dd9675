"""Activities: the prevention work a node logs (communication events, training,
conferences, model operation, inspections, commendations, hotline publicity…).

An activity is saved whole in one transaction with an outbox entry and an
audit entry. The dict `get()` returns is the dict `save()` accepts (and
`binhan activity add --json` / `activity list --json` use). Its `derived` part
(activity group, campaign windows) is computed, never stored, so a corrected
province profile corrects every old activity too.

Attachments (photos, sign-in sheets, scanned minutes) stay inside the
encrypted database and never leave the node. They may show people, so opening
one needs the right to see identities and is written in the audit log.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from app.activities.calendar import campaign_flags
from app.errors import Conflict, DatabaseDamaged, NotFound, PermissionDenied
from app.records import append_outbox, new_id, now_utc
from app.text import fold, nfc
from app.validation import Checker

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_PEOPLE = 10_000_000
MAX_QUANTITY = 100_000_000
MAX_BUDGET_VND = 10**13

# path -> (Vietnamese label, English label)
LABELS: dict[str, tuple[str, str]] = {
    "kind": ("Loại hoạt động", "Kind of activity"),
    "title": ("Tên hoạt động", "Title"),
    "starts_on": ("Ngày bắt đầu", "Start date"),
    "ends_on": ("Ngày kết thúc", "End date"),
    "place": ("Địa điểm", "Place"),
    "organiser": ("Đơn vị tổ chức", "Organiser"),
    "target_groups": ("Nhóm đối tượng", "Target groups"),
    "participants.total": ("Tổng số người tham gia", "Total participants"),
    "participants.female": ("Số người tham gia là nữ", "Female participants"),
    "participants.male": ("Số người tham gia là nam", "Male participants"),
    "participants.youth": ("Số người tham gia là thanh thiếu niên", "Young participants"),
    "quantity": ("Số lượng (bản in, tin bài, lượt phát)", "Quantity (copies, items, posts)"),
    "model_id": ("Mô hình", "Model"),
    "school_id": ("Trường học", "School"),
    "budget_vnd": ("Kinh phí (đồng)", "Budget (VND)"),
    "topic": ("Chủ đề", "Topic"),
    "funding_source": ("Nguồn kinh phí", "Funding source"),
    "notes": ("Ghi chú", "Notes"),
    "point_id": ("Điểm", "Point"),
    "attachment.filename": ("Tên tệp đính kèm", "Attachment file name"),
    "attachment.data": ("Tệp đính kèm", "Attachment"),
}

FACT_KEYS = ("kind", "title", "starts_on", "ends_on", "place", "organiser", "target_groups", "participants",
             "quantity", "model_id", "school_id", "budget_vnd", "notes", "point_id", "topic", "funding_source")
PARTICIPANT_KEYS = ("total", "female", "male", "youth")
LIST_COLUMNS = ("id", "kind", "title", "starts_on", "ends_on", "participants_total", "participants_female",
                "target_groups")
SORTABLE = {"starts_on", "kind", "title_norm", "participants_total", "updated_at", "created_at"}
_SEPARATORS = re.compile(r"[.,\s]")


@dataclass
class ActivityFilter:
    kind: str | None = None
    group: str | None = None
    year: int | None = None
    search: str = ""
    include_deleted: bool = False


# --- validation (pure: the caller hands in how to look up models and schools) -----------------
def clean_activity(data: dict, reference, today: date, *, exists=None) -> dict:
    """The cleaned activity facts (keys FACT_KEYS), or ValidationFailed naming every field at fault.

    `exists(table, id) -> bool` tells whether a model or school may be linked; without it the
    links are not checked.
    """
    chk = Checker(reference, LABELS, today)
    if not isinstance(data, dict):
        chk.fail("activity", "Dữ liệu hoạt động phải là một đối tượng JSON.", "An activity must be a JSON object.")
        chk.raise_if_any()
    out: dict = {}
    out["kind"] = chk.take_code("kind", data.get("kind"), "activity_kind", required=True)
    out["title"] = chk.take_text("title", data.get("title"), max_len=200, required=True)
    out["starts_on"] = chk.take_date("starts_on", data.get("starts_on"), required=True)
    # A campaign logged while it runs may end after today; it cannot end before it starts.
    out["ends_on"] = chk.take_date("ends_on", data.get("ends_on"), not_future=False)
    if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
        chk.fail("ends_on", "Ngày kết thúc không thể trước ngày bắt đầu.", "The end date cannot be before the start date.")
    out["place"] = chk.take_text("place", data.get("place"), max_len=200)
    out["organiser"] = chk.take_text("organiser", data.get("organiser"), max_len=200)
    chosen = set(chk.take_codes("target_groups", data.get("target_groups"), "target_group"))
    out["target_groups"] = [o.code for o in reference["target_group"].options if o.code in chosen]
    out["participants"] = _participants(chk, data)
    out["quantity"] = chk.take_int("quantity", data.get("quantity"), low=0, high=MAX_QUANTITY)
    out["model_id"] = chk.take_text("model_id", data.get("model_id"), max_len=64)
    out["school_id"] = chk.take_text("school_id", data.get("school_id"), max_len=64)
    if exists is not None:
        if out["model_id"] and not exists("models", out["model_id"]):
            chk.fail("model_id", "Mô hình đã chọn không có trong danh sách mô hình (hoặc đã bị xóa). Hãy chọn lại.",
                     "The model chosen is not in the model register (or was deleted). Choose again.")
        if out["school_id"] and not exists("schools", out["school_id"]):
            chk.fail("school_id", "Trường đã chọn không có trong danh sách trường (hoặc đã bị xóa). Hãy chọn lại.",
                     "The school chosen is not in the school register (or was deleted). Choose again.")
    out["budget_vnd"] = _money(chk, "budget_vnd", data.get("budget_vnd"))
    # Every activity has a topic: one saved without says it was about GBV in general (the list's default).
    out["topic"] = chk.take_code("topic", data.get("topic"), "activity_topic") or default_topic(reference)
    out["funding_source"] = chk.take_code("funding_source", data.get("funding_source"), "funding_source")
    out["notes"] = chk.take_text("notes", data.get("notes"), max_len=4000)
    out["point_id"] = chk.take_text("point_id", data.get("point_id"), max_len=64)
    chk.raise_if_any()
    return out


def default_topic(reference) -> str | None:
    """The topic of an activity saved without one (the option marked `default` in activity_topic)."""
    found = reference["activity_topic"].where("default")
    return found[0].code if found else None


def _participants(chk: Checker, data: dict) -> dict:
    section = chk.section(data, "participants")
    counts = {}
    for key in PARTICIPANT_KEYS:
        counts[key] = chk.take_int(f"participants.{key}", section.get(key), low=0, high=MAX_PEOPLE)
    if any(counts[k] is None and section.get(k) not in (None, "") for k in PARTICIPANT_KEYS):
        return {k: counts[k] or 0 for k in PARTICIPANT_KEYS}  # a count at fault is already named
    total, female, male, youth = (counts[k] or 0 for k in PARTICIPANT_KEYS)
    if total == 0 and female + male > 0:
        total = female + male
    if female + male > total:
        label_vi, label_en = chk.label("participants.total")
        chk.fail("participants.total",
                 f"{label_vi} ({total}) ít hơn số nữ ({female}) cộng số nam ({male}). "
                 "Hãy sửa tổng số hoặc số nữ, số nam.",
                 f"{label_en} ({total}) is less than female ({female}) plus male ({male}). "
                 "Correct the total or the female and male counts.")
    if youth > total:
        label_vi, label_en = chk.label("participants.youth")
        chk.fail("participants.youth",
                 f"{label_vi} ({youth}) không thể nhiều hơn tổng số người tham gia ({total}).",
                 f"{label_en} ({youth}) cannot exceed the total participants ({total}).")
    return {"total": total, "female": female, "male": male, "youth": youth}


def _money(chk: Checker, path: str, value) -> int:
    """Whole đồng, ≥ 0; '1.500.000' and '1,500,000' are read as 1500000."""
    if isinstance(value, str):
        value = _SEPARATORS.sub("", value.strip().removesuffix("đ").removesuffix("VND").strip())
    number = chk.take_int(path, value, low=0, high=MAX_BUDGET_VND)
    return number or 0


def derive(activity: dict, reference, profile=None) -> dict:
    """Group of the kind and the campaign windows its dates overlap."""
    option = reference["activity_kind"].get(activity["kind"])
    group = option.extra.get("group") if option is not None else None
    return {"group": group, **campaign_flags(activity["starts_on"], activity["ends_on"], profile)}


# --- the service ----------------------------------------------------------------------------
class ActivityService:
    def __init__(self, session):
        self.session = session
        self.store = session.store

    def today(self) -> date:
        return date.today()

    # --- writing --------------------------------------------------------------------------
    def save(self, data: dict) -> dict:
        """Validate and save the whole activity; returns it as stored.

        The form carries its id: saving the same content twice changes nothing and never makes a
        second activity. A save from a form opened before someone else's change is refused
        (Conflict) rather than overwriting that change.
        """
        session = self.session
        session.require("activity.write")
        activity_id = data.get("id") if isinstance(data, dict) else None
        activity_id = activity_id or new_id()
        with self.store.transaction() as conn:
            stored = self._load(conn, activity_id)
            keep = {} if stored is None else {"models": stored["model_id"], "schools": stored["school_id"]}

            def exists(table, record_id):
                # A link that was already there stays valid even if its model or school was deleted since.
                if keep.get(table) == record_id:
                    return True
                return conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND deleted = 0",
                                    (record_id,)).fetchone() is not None

            activity = clean_activity(data, session.reference, self.today(), exists=exists)
            if session.user.role == "cadre":
                if activity["point_id"] not in (None, session.user.point_id):
                    raise PermissionDenied("Bạn chỉ ghi được hoạt động của điểm mình.",
                                           "You can only record activities of your own point.")
                activity["point_id"] = session.user.point_id
            if stored is None:
                if data.get("origin") not in (None, session.origin):
                    raise PermissionDenied(*_OTHER_OWNER)
                rev, created_at, action = 1, now_utc(), "activity.create"
            else:
                self._check_may_edit(stored)
                if _facts(stored) == activity:
                    return stored
                if stored["deleted"]:
                    raise Conflict("Hoạt động này đã bị xóa nên không sửa được nữa.",
                                   "This activity was deleted and can no longer be edited.")
                if data.get("rev") is not None and data["rev"] != stored["rev"]:
                    raise Conflict(
                        "Hoạt động này đã được sửa ở nơi khác sau khi bạn mở. Hãy mở lại để xem bản mới nhất; "
                        "thay đổi của bạn chưa được lưu.",
                        "This activity was changed elsewhere after you opened it. Reopen it to see the newest "
                        "version; your changes were not saved.")
                rev, created_at, action = stored["rev"] + 1, stored["created_at"], "activity.update"
            _no_identities(session, activity)
            now = now_utc()
            self._write(conn, activity_id, activity, rev=rev, created_at=created_at, updated_at=now,
                        origin=None if stored is None else stored["origin"])
            append_outbox(conn, "activities", activity_id, rev, now)
            detail = {"kind": activity["kind"], "rev": rev}
            if stored is not None:
                detail["fields"] = sorted(k for k in FACT_KEYS if activity[k] != stored[k])
            session.audit(conn, action, table="activities", target=activity_id, detail=detail)
            return self._load_existing(conn, activity_id)

    def delete(self, activity_id: str) -> None:
        """Tombstone: the activity stays, marked deleted, and the deletion travels up like any change."""
        self.session.require("activity.write")
        with self.store.transaction() as conn:
            stored = self._load(conn, activity_id)
            if stored is None:
                raise NotFound("Không tìm thấy hoạt động.", "Activity not found.")
            self._check_may_edit(stored)
            if stored["deleted"]:
                return
            now = now_utc()
            rev = stored["rev"] + 1
            conn.execute("UPDATE activities SET deleted = 1, rev = ?, updated_at = ? WHERE id = ?",
                         (rev, now, activity_id))
            # Its files go with it: nobody can open them from a deleted activity any more.
            conn.execute("UPDATE attachments SET deleted = 1 WHERE owner_table = 'activities' AND owner_id = ?",
                         (activity_id,))
            append_outbox(conn, "activities", activity_id, rev, now)
            self.session.audit(conn, "activity.delete", table="activities", target=activity_id,
                               detail={"kind": stored["kind"], "rev": rev})

    def _check_may_edit(self, stored: dict) -> None:
        if not self.session.owns(stored["origin"]):  # its own, or a merged old node's (issue 15.7)
            raise PermissionDenied(*_OTHER_OWNER)
        user = self.session.user
        if user.role == "cadre" and stored["point_id"] != user.point_id:
            raise PermissionDenied("Bạn chỉ sửa được hoạt động của điểm mình.",
                                   "You can only edit activities of your own point.")

    def _write(self, conn, activity_id, a, *, rev, created_at, updated_at, origin=None) -> None:
        p = a["participants"]
        row = {
            "id": activity_id, "origin": origin or self.session.origin, "rev": rev, "created_at": created_at,
            "updated_at": updated_at, "deleted": 0, "kind": a["kind"], "title": a["title"],
            "starts_on": a["starts_on"], "ends_on": a["ends_on"], "place": a["place"], "organiser": a["organiser"],
            "target_groups": json.dumps(a["target_groups"]), "participants_total": p["total"],
            "participants_female": p["female"], "participants_male": p["male"], "participants_youth": p["youth"],
            "quantity": a["quantity"], "model_id": a["model_id"], "school_id": a["school_id"],
            "budget_vnd": a["budget_vnd"], "notes": a["notes"], "title_norm": fold(a["title"]),
            "point_id": a["point_id"], "created_by": self.session.user.id,
            "topic": a["topic"], "funding_source": a["funding_source"],
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in ("id", "created_by"))
        conn.execute(f"INSERT INTO activities ({columns}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
                     tuple(row.values()))

    # --- reading --------------------------------------------------------------------------
    def get(self, activity_id: str) -> dict:
        self.session.require("activity.read")
        with self.store.lock:
            activity = self._load(self.store.conn, activity_id)
        if activity is None:
            raise NotFound("Không tìm thấy hoạt động.", "Activity not found.")
        return activity

    def _load_existing(self, conn, activity_id: str) -> dict:
        """An activity that must be there (just written in this transaction): NotFound if it is not."""
        activity = self._load(conn, activity_id)
        if activity is None:
            raise NotFound("Không tìm thấy hoạt động.", "Activity not found.")
        return activity

    def _load(self, conn, activity_id: str) -> dict | None:
        cur = conn.execute("SELECT * FROM activities WHERE id = ?", (activity_id,))
        found = cur.fetchone()
        if found is None:
            return None
        r = dict(zip([d[0] for d in cur.description], found, strict=True))
        activity = {
            "id": r["id"], "origin": r["origin"], "rev": r["rev"], "created_at": r["created_at"],
            "updated_at": r["updated_at"], "deleted": bool(r["deleted"]),
            "kind": r["kind"], "title": r["title"], "starts_on": r["starts_on"], "ends_on": r["ends_on"],
            "place": r["place"], "organiser": r["organiser"], "target_groups": json.loads(r["target_groups"]),
            "participants": {"total": r["participants_total"], "female": r["participants_female"],
                             "male": r["participants_male"], "youth": r["participants_youth"]},
            "quantity": r["quantity"], "model_id": r["model_id"], "school_id": r["school_id"],
            "budget_vnd": r["budget_vnd"], "notes": r["notes"], "point_id": r["point_id"],
            "topic": r["topic"], "funding_source": r["funding_source"],
        }
        activity["derived"] = derive(activity, self.session.reference, self.session.profile)
        return activity

    # --- lists ------------------------------------------------------------------------------
    def _where(self, flt: ActivityFilter) -> tuple[str, list]:
        clauses, params = ["1"], []
        if not flt.include_deleted:
            clauses.append("deleted = 0")
        if flt.kind:
            clauses.append("kind = ?")
            params.append(flt.kind)
        if flt.group:
            kinds = [o.code for o in self.session.reference["activity_kind"].options
                     if o.extra.get("group") == flt.group]
            clauses.append(f"kind IN ({','.join('?' for _ in kinds) or 'NULL'})")
            params += kinds
        if flt.year:
            clauses.append("starts_on >= ? AND starts_on < ?")
            params += [f"{flt.year:04d}-01-01", f"{flt.year + 1:04d}-01-01"]
        text = fold(flt.search)
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("title_norm LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        return " AND ".join(clauses), params

    def count(self, flt: ActivityFilter | None = None) -> int:
        self.session.require("activity.read")
        where, params = self._where(flt or ActivityFilter())
        return self.store.scalar(f"SELECT count(*) FROM activities WHERE {where}", params)

    def ids(self, flt: ActivityFilter | None = None, order: str = "starts_on", descending: bool = True) -> list[str]:
        """All matching ids in order: the list model holds these and fetches rows on demand."""
        return [i for batch in self.id_batches(flt, order, descending) for i in batch]

    def id_batches(self, flt: ActivityFilter | None = None, order: str = "starts_on", descending: bool = True,
                   size: int = 10_000) -> Iterator[list[str]]:
        """The ids of `ids`, in the same order, `size` at a time from one query: a province's ~400 000 never
        sit in memory as one list of str (the list model packs them as they come)."""
        self.session.require("activity.read")
        where, params = self._where(flt or ActivityFilter())
        column = {"title": "title_norm"}.get(order, order)
        column = column if column in SORTABLE else "starts_on"
        direction = "DESC" if descending else "ASC"
        cursor = self.store.execute(
            f"SELECT id FROM activities WHERE {where} ORDER BY {column} {direction}, id {direction}", params)
        while batch := cursor.fetchmany(size):
            yield [r[0] for r in batch]

    def rows(self, ids: list[str]) -> list[dict]:
        """List rows for the given ids, in the same order."""
        self.session.require("activity.read")
        if not ids:
            return []
        by_id = {}
        # SQLite caps bound parameters; a list of 400 000 ids is fetched in slices.
        for start in range(0, len(ids), 900):
            chunk = list(ids[start:start + 900])
            marks = ",".join("?" for _ in chunk)
            for r in self.store.query(f"SELECT {', '.join(LIST_COLUMNS)} FROM activities WHERE id IN ({marks})",
                                      chunk):
                r["target_groups"] = json.loads(r["target_groups"])
                by_id[r["id"]] = r
        return [by_id[i] for i in ids if i in by_id]

    def list(self, flt: ActivityFilter | None = None, limit: int | None = None) -> list[dict]:
        found = self.ids(flt)
        return self.rows(found[:limit] if limit else found)

    # --- attachments --------------------------------------------------------------------------
    def add_attachment(self, activity_id: str, filename: str, data: bytes, mime: str | None = None) -> str:
        """Keep a file with the activity, inside the encrypted database. Returns the attachment id."""
        self.session.require("activity.write")
        chk = Checker(self.session.reference, LABELS, self.today())
        name = chk.take_text("attachment.filename", _basename(filename), max_len=200, required=True)
        if name and any(ord(ch) < 32 for ch in name):
            chk.fail("attachment.filename", "Tên tệp có ký tự không hợp lệ.", "The file name holds invalid characters.")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            chk.fail("attachment.data", "Tệp đính kèm phải là dữ liệu nhị phân.", "An attachment must be binary data.")
            data = b""
        data = bytes(data)
        if not data and not chk.errors:
            chk.fail("attachment.data", "Tệp trống, không có gì để đính kèm.", "The file is empty; nothing to attach.")
        if len(data) > MAX_ATTACHMENT_BYTES:
            size_mb = f"{len(data) / 1024 / 1024:.1f}"
            limit_mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
            chk.fail("attachment.data",
                     f"Tệp nặng {size_mb.replace('.', ',')} MB, quá giới hạn {limit_mb} MB. Hãy thu nhỏ tệp "
                     "(ví dụ chụp ảnh ở độ phân giải thấp hơn, hoặc chia thành nhiều tệp) rồi đính kèm lại.",
                     f"The file is {size_mb} MB, over the {limit_mb} MB limit. Make it smaller (for example a "
                     "lower-resolution photo, or several files) and attach it again.")
        chk.raise_if_any()
        mime = mime or mimetypes.guess_type(name or "")[0] or "application/octet-stream"
        digest = hashlib.sha256(data).hexdigest()
        attachment_id = new_id()
        with self.store.transaction() as conn:
            stored = self._load(conn, activity_id)
            if stored is None or stored["deleted"]:
                raise NotFound("Không tìm thấy hoạt động để đính kèm tệp.", "Activity not found to attach the file to.")
            self._check_may_edit(stored)
            conn.execute(
                "INSERT INTO attachments (id, owner_table, owner_id, filename, mime, size, sha256, data, created_at)"
                " VALUES (?, 'activities', ?, ?, ?, ?, ?, ?, ?)",
                (attachment_id, activity_id, name, mime, len(data), digest, data, now_utc()))
            # The file name may name a person: the log keeps size and hash only.
            self.session.audit(conn, "attachment.add", table="attachments", target=attachment_id,
                               detail={"activity": activity_id, "size": len(data), "sha256": digest})
        return attachment_id

    def attachments(self, activity_id: str) -> builtins.list[dict]:  # `list` here is the method above
        """The files kept with an activity (without their contents), oldest first."""
        self.session.require("activity.read")
        return self.store.query(
            "SELECT id, filename, mime, size, sha256, created_at FROM attachments"
            " WHERE owner_table = 'activities' AND owner_id = ? AND deleted = 0 ORDER BY created_at, id",
            (activity_id,))

    def attachment_data(self, attachment_id: str) -> bytes:
        """The file's bytes. Files may show people, so this needs the right to see identities and is logged."""
        self.session.require("activity.read")
        self.session.require("identity.read")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT data, sha256 FROM attachments WHERE id = ? AND deleted = 0",
                               (attachment_id,)).fetchone()
            if row is None:
                raise NotFound("Không tìm thấy tệp đính kèm.", "Attachment not found.")
            data = bytes(row[0])
            if hashlib.sha256(data).hexdigest() != row[1]:
                raise DatabaseDamaged("Tệp đính kèm bị hỏng (mã kiểm tra không khớp). Hãy khôi phục từ bản sao lưu.",
                                      "The attachment is damaged (checksum mismatch). Restore it from a backup.")
            self.session.audit(conn, "attachment.open", table="attachments", target=attachment_id)
        return data

    def remove_attachment(self, attachment_id: str) -> None:
        self.session.require("activity.write")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT owner_id, deleted FROM attachments WHERE id = ? AND owner_table = 'activities'",
                               (attachment_id,)).fetchone()
            if row is None:
                raise NotFound("Không tìm thấy tệp đính kèm.", "Attachment not found.")
            if row[1]:
                return
            stored = self._load(conn, row[0])
            if stored is not None:
                self._check_may_edit(stored)
            conn.execute("UPDATE attachments SET deleted = 1 WHERE id = ?", (attachment_id,))
            self.session.audit(conn, "attachment.remove", table="attachments", target=attachment_id,
                               detail={"activity": row[0]})


_OTHER_OWNER = ("Hoạt động này do đơn vị khác sở hữu; chỉ đơn vị đó được sửa.",
                "This activity is owned by another node; only that node may edit it.")


def _facts(activity: dict) -> dict:
    return {k: activity[k] for k in FACT_KEYS}


def _basename(filename) -> str | None:
    if not isinstance(filename, str):
        return filename
    return nfc(re.split(r"[\\/]", filename.strip())[-1])


__all__ = ["ActivityFilter", "ActivityService", "LABELS", "MAX_ATTACHMENT_BYTES", "clean_activity", "derive"]


def _no_identities(session, activity: dict) -> None:
    """Free text of an activity must not hold a name or phone recorded in a case (issue 13.8)."""
    from app.cases.identity import check_free_text
    from app.errors import ValidationFailed

    errors = []
    for path in ("title", "place", "organiser", "notes"):
        errors += check_free_text(session, path, activity.get(path))
    if errors:
        raise ValidationFailed(errors)
