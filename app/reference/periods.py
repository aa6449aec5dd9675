"""Profile versions by period: which version governs a report, and which plan sets its targets.

A node keeps every version of its province profile it has ever had: the ones
this release ships (`data/profiles/`, several versions of one code side by
side), every one received from the parent (kept in `meta` as
`profile_version:<code>:<version>`, never overwritten), and the file handed
over at set-up. Each version governs dates (`governs_from`..`governs_to`);
its plan serves the plan's years. For a reporting period:

* the **version in force** is the one governing the period's first day, among
  the versions of the node's own profile (the one chosen at set-up) and of
  every profile that absorbed it (a merged province: `absorbs`); when several
  do, the one governing from the latest date, then the highest version. A
  newer version that governs later dates therefore never changes an earlier
  period's report.
* its **plan** is the version's own when it covers the period's year; else the
  plan of the node's own profile, then of the version's profile, that covers
  the year (a former province's plan runs to its end after a merger); else the
  national baseline whose years cover it (`kind = "national"`); else none.

A profile received from a parent of another lineage (a commune set up under
one province and enrolled under another) is used only for periods no version
of the node's own lineage governs, and the reader is told so: the node is
warned, never silently re-planned.

The Profile returned for a period is the version in force with the plan's
targets laid in, and `notices` (Vietnamese, English) to show beside it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from dataclasses import dataclass

from app.reference import Profile, load_profile_versions, profile_from_data

__all__ = ["ProfileVersion", "home_code", "keep_received", "lineage_warning", "plan_reference", "profile_for",
           "profile_list", "profile_on", "versions"]

META_PREFIX = "profile_version:"


@dataclass(frozen=True)
class ProfileVersion:
    """One version a node knows, and where it came from: "shipped", "received" or "handed"."""

    profile: Profile
    source: str
    received_at: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.profile.code, self.profile.version


# --- keeping what arrives ---------------------------------------------------------------------------------
def keep_received(conn, data, *, received_at: str, sender: str | None = None) -> bool:
    """Keep a profile version received from the parent beside the others (called inside the import's
    transaction). A version already kept is left as it is; a damaged one is not kept. True when kept."""
    if not isinstance(data, dict):
        return False
    try:
        profile = profile_from_data(data, "received profile")
    except (ValueError, TypeError):
        return False
    key = f"{META_PREFIX}{profile.code}:{profile.version}"
    entry = {"profile": data, "received_at": received_at, "from": sender}
    cursor = conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                          (key, json.dumps(entry, ensure_ascii=False, default=str)))
    return cursor.rowcount == 1


def _received(store) -> list[ProfileVersion]:
    """Every version received, the parent's current one included; a version keeps the content it first
    arrived with (a later copy under the same number does not rewrite the periods it governs)."""
    out: dict[tuple[str, int], ProfileVersion] = {}
    # The parent's profile as stored with the parent (it may predate the kept versions).
    try:
        rows = store.query("SELECT profile, updated_at FROM sync_peers WHERE relation = 'parent'"
                           " AND status = 'active'")
    except Exception:  # a database from before sync (schema < 3) has no peers
        rows = []
    for row in rows:
        try:
            data = json.loads(row["profile"]).get("profile")
            version = ProfileVersion(profile_from_data(data, "received profile"), "received", row["updated_at"])
            out[version.key] = version
        except (ValueError, TypeError, AttributeError):
            continue
    for row in store.query("SELECT key, value FROM meta WHERE key LIKE ?", (META_PREFIX + "%",)):
        try:
            entry = json.loads(row["value"])
            version = ProfileVersion(profile_from_data(entry["profile"], row["key"]), "received",
                                     entry.get("received_at"))
            out[version.key] = version
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # a damaged row is skipped: the other versions stay in force
    return list(out.values())


def versions(session) -> list[ProfileVersion]:
    """Every profile version this node knows, one per (code, version): a received or handed copy of a
    version also shipped replaces the shipped one (it is what the province sent)."""
    cache = session.__dict__.setdefault("_profile_versions_cache", {})
    token = _token(session)
    if cache.get("token") == token:
        return cache["versions"]
    found: dict[tuple[str, int], ProfileVersion] = {}
    for profile in load_profile_versions():
        found[(profile.code, profile.version)] = ProfileVersion(profile, "shipped")
    handed_path = session.node.profile_path
    if handed_path.exists():
        from app.reference import load_profile_file
        try:
            handed = load_profile_file(handed_path)
            found[(handed.code, handed.version)] = ProfileVersion(handed, "handed")
        except (ValueError, OSError):
            pass  # a damaged copy: the shipped versions stay in force
    for version in _received(session.store):
        found[version.key] = version
    out = sorted(found.values(), key=lambda v: (v.profile.code, v.profile.version))
    cache.update(token=token, versions=out)
    return out


def _token(session) -> tuple:
    """Changes whenever a version is kept, the parent's profile changes, or a shipped file does."""
    kept = session.store.query("SELECT count(*) AS n, max(key) AS k FROM meta WHERE key LIKE ?", (META_PREFIX + "%",))
    try:
        parent = session.store.query("SELECT updated_at, length(profile) AS n FROM sync_peers"
                                     " WHERE relation = 'parent' AND status = 'active'")
    except Exception:  # a database from before sync
        parent = []
    handed = session.node.profile_path
    return ((kept[0]["n"], kept[0]["k"]), tuple((r["updated_at"], r["n"]) for r in parent),
            handed.stat().st_mtime_ns if handed.exists() else None, len(load_profile_versions()))


def home_code(session) -> str | None:
    """The profile the node was set up with (its own lineage), else the one in force."""
    code = session.node_info.profile_code
    if code:
        return code
    profile = session.profile
    return profile.code if profile is not None else None


def _lineage(all_versions: list[ProfileVersion], home: str) -> dict[str, _dt.date]:
    """`home` and every profile code that absorbed it, directly or through another merger, each with the
    date from which it speaks for the node (an absorbing code's earlier versions governed other places)."""
    since: dict[str, _dt.date] = {home: _dt.date.min}
    grew = True
    while grew:
        grew = False
        for v in all_versions:
            p = v.profile
            if set(p.absorbs) & set(since) and _start(p) < since.get(p.code, _dt.date.max):
                since[p.code] = _start(p)
                grew = True
    return since


def _in_lineage(profile: Profile, lineage: dict[str, _dt.date]) -> bool:
    return profile.code in lineage and _start(profile) >= lineage[profile.code]


def _start(profile: Profile) -> _dt.date:
    return profile.governs_from or _dt.date(profile.period_start, 1, 1)


def _newest_governing(candidates: list[Profile], day: _dt.date) -> Profile | None:
    governing = [p for p in candidates if p.governs(day)]
    return max(governing, key=lambda p: (_start(p), p.version), default=None)


def _plan_for(year: int, admin: Profile, home: str, all_profiles: list[Profile]) -> Profile | None:
    if admin.plan_covers(year):
        return admin
    for code in dict.fromkeys((home, admin.code)):
        covering = [p for p in all_profiles if p.code == code and p.kind == "province" and p.plan_covers(year)]
        if covering:
            return max(covering, key=lambda p: (_start(p), p.version))
    national = [p for p in all_profiles if p.kind == "national" and p.plan_covers(year)]
    return max(national, key=lambda p: (p.period_start, p.version), default=None)


def profile_on(session, day: _dt.date, *, year: int | None = None) -> Profile | None:
    """The profile for a period starting on `day` (its plan chosen for `year`, by default day's year)."""
    all_versions = versions(session)
    home = home_code(session)
    if home is None:
        return None
    year = day.year if year is None else year
    profiles = [v.profile for v in all_versions]
    lineage = _lineage(all_versions, home)
    notices: list[tuple[str, str, str]] = []  # (kind, Vietnamese, English); kinds: lineage, plan, receiving_body, deadline
    admin = _newest_governing([p for p in profiles if _in_lineage(p, lineage)], day)
    if admin is None:
        # A parent of another lineage (enrolled under another province) governs only what no version of
        # the node's own lineage does, and the reader is told.
        foreign = _newest_governing([v.profile for v in all_versions
                                     if v.source == "received" and not _in_lineage(v.profile, lineage)], day)
        if foreign is not None:
            admin = foreign
            notices.append(("lineage",
                f"Đơn vị được thiết lập theo hồ sơ «{home}» nhưng cấp trên gửi hồ sơ của {foreign.province_vi} "
                f"(«{foreign.code}»); kỳ này theo hồ sơ cấp trên vì hồ sơ của đơn vị không áp dụng cho kỳ này. "
                "Hãy kiểm tra với cấp trên.",
                f"The node was set up under the profile “{home}” but its parent sent {foreign.province_en}'s "
                f"(“{foreign.code}”); this period follows the parent's because the node's own profile does not "
                "govern it. Check with the parent."))
    if admin is None:
        # Nothing governs the day: the last version of the lineage that governed before it, said plainly.
        earlier = [p for p in profiles if _in_lineage(p, lineage) and _start(p) <= day]
        admin = max(earlier, key=lambda p: (_start(p), p.version), default=None)
        if admin is None:
            return None
        notices.append(("lineage",
            f"Không có phiên bản hồ sơ tỉnh nào áp dụng cho kỳ bắt đầu ngày {day:%d/%m/%Y}; dùng phiên bản "
            f"{admin.version} của «{admin.code}» ({admin.period_text('vi')}) cho đến khi tỉnh gửi phiên bản mới.",
            f"No version of the province profile governs the period starting {day:%d/%m/%Y}; version "
            f"{admin.version} of “{admin.code}” ({admin.period_text('en')}) is used until the province sends a "
            "newer one."))
    foreign_parent = next((v.profile for v in all_versions if v.source == "received"
                           and not _in_lineage(v.profile, lineage)), None)
    if foreign_parent is not None and _in_lineage(admin, lineage):
        notices.append(("lineage",
            f"Cấp trên đã gửi hồ sơ của {foreign_parent.province_vi} («{foreign_parent.code}»), khác hồ sơ "
            f"«{home}» lúc thiết lập; các kỳ mà hồ sơ «{home}» còn áp dụng vẫn theo hồ sơ đó.",
            f"The parent sent {foreign_parent.province_en}'s profile (“{foreign_parent.code}”), not the "
            f"profile “{home}” the node was set up with; periods the latter governs still follow it."))

    plan = _plan_for(year, admin, home, profiles)
    if plan is None:
        notices.append(("plan",
            f"Không có kế hoạch nào áp dụng cho năm {year}: chưa có chỉ tiêu để đánh giá.",
            f"No plan covers {year}: there are no targets to assess."))
    elif plan.kind == "national":
        notices.append(("plan",
            f"Không có kế hoạch nào của tỉnh cho năm {year}: các chỉ tiêu theo chuẩn quốc gia — "
            f"{plan.plan_document_vi} số {plan.plan_number} ngày {plan.plan_date:%d/%m/%Y} của {plan.plan_issuer_vi} "
            f"({plan.plan_title_vi}).",
            f"No provincial plan covers {year}: the targets follow the national baseline — "
            f"{plan.plan_number} of {plan.plan_date:%d/%m/%Y} ({plan.plan_title_en})."))
    if not admin.receiving_body_confirmed:
        notices.append(("receiving_body", f"Nơi nhận báo cáo ({admin.receiving_body_vi}) chưa được tỉnh xác nhận.",
                        f"The receiving body ({admin.receiving_body_en}) is not yet confirmed by the province."))
    if not admin.deadline_confirmed:
        notices.append(("deadline", "Hạn gửi báo cáo năm chưa được tỉnh xác nhận.",
                        "The annual report's deadline is not yet confirmed by the province."))
    return _compose(admin, plan, tuple(notices))


def _compose(admin: Profile, plan: Profile | None, notices: tuple) -> Profile:
    if plan is None:
        return dataclasses.replace(admin, targets=(), has_plan=False, plan_number="", plan_date=None,
                                   plan_title_vi="", plan_title_en="", plan_issuer_vi="", plan_code=None, plan_version=None, plan_is_baseline=False,
                                   notices=notices)
    return dataclasses.replace(
        admin, targets=plan.targets, has_plan=True, plan_number=plan.plan_number, plan_date=plan.plan_date,
        plan_title_vi=plan.plan_title_vi, plan_title_en=plan.plan_title_en, plan_document_vi=plan.plan_document_vi,
        plan_issuer_vi=plan.plan_issuer_vi, period_start=plan.period_start, period_end=plan.period_end,
        campaigns=admin.campaigns or plan.campaigns, plan_code=plan.code, plan_version=plan.version,
        plan_is_baseline=plan.kind == "national", notices=notices)


def plan_reference(profile: Profile, lang: str = "vi") -> str:
    """"Kế hoạch số 13/KH-UBND ngày 18/01/2021 của Ủy ban nhân dân tỉnh Thái Bình": the plan a
    profile for a period follows (its own, or the baseline's); empty when it has none."""
    if not profile.has_plan or profile.plan_date is None:
        return ""
    if lang.lower().startswith("en"):
        return f"{profile.plan_number} of {profile.plan_date:%d/%m/%Y} ({profile.plan_title_en})"
    return (f"{profile.plan_document_vi} số {profile.plan_number} ngày {profile.plan_date:%d/%m/%Y} "
            f"của {profile.plan_issuer_vi}")


def profile_for(session, period) -> Profile | None:
    """The profile for a reporting period (`app.targets.Period`, or a year): the version in force on
    its first day, with the targets of the plan covering its year."""
    if isinstance(period, int):
        return profile_on(session, _dt.date(period, 1, 1))
    return profile_on(session, period.start, year=period.start.year)


def profile_list(session) -> list[dict]:
    """Every version the node knows, as `binhan profile list` shows it: code, version, the dates it
    governs, its plan, where the version came from (shipped, received, handed) and its cited sources."""
    today = profile_on(session, _dt.date.today())
    out = []
    for v in versions(session):
        p = v.profile
        out.append({
            "code": p.code, "version": p.version, "kind": p.kind, "governs": p.period_text("vi"),
            "governs_from": (p.governs_from or _dt.date(p.period_start, 1, 1)).isoformat(),
            "governs_to": None if "to" not in _bounds(p) else _bounds(p)["to"].isoformat(),
            "plan": f"{p.plan_number} ({p.period_start}–{p.period_end})" if p.has_plan else None,
            "absorbs": list(p.absorbs), "source": v.source, "received_at": v.received_at,
            "receiving_body": p.receiving_body_vi, "receiving_body_confirmed": p.receiving_body_confirmed,
            "sources": list(p.sources),
            "in_force": today is not None and (p.code, p.version) == (today.code, today.version),
        })
    return out


def _bounds(p: Profile) -> dict:
    end = p.governs_to if p.governs_to is not None else (
        _dt.date(p.period_end, 12, 31) if p.has_plan and "governs_from" not in p.raw else None)
    return {} if end is None else {"to": end}


def lineage_warning(session) -> tuple[str, str] | None:
    """(Vietnamese, English) when the parent sent the profile of another province than the one the node was
    set up with (and that did not absorb it): the node is warned, and keeps its own plan where it governs."""
    home = home_code(session)
    if home is None:
        return None
    all_versions = versions(session)
    lineage = _lineage(all_versions, home)
    foreign = next((v.profile for v in all_versions if v.source == "received" and not _in_lineage(v.profile, lineage)),
                   None)
    if foreign is None:
        return None
    return (f"Cảnh báo: cấp trên gửi hồ sơ của {foreign.province_vi} («{foreign.code}»), không phải hồ sơ «{home}» "
            "đơn vị chọn lúc thiết lập. Các kỳ mà hồ sơ của đơn vị còn áp dụng vẫn theo kế hoạch cũ; hãy kiểm tra "
            "với cấp trên.",
            f"Warning: the parent sent {foreign.province_en}'s profile (“{foreign.code}”), not the profile “{home}” "
            "the node was set up with. Periods the node's own profile governs keep its plan; check with the parent.")
