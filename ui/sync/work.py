"""What the Sync page runs on the background worker. No widgets here, no Qt at all.

Each function calls `sync/` the way `sync/cli.py` does and returns plain
values; refusals come back as the core's exceptions (the page words them with
`error_text`). Long loops check `progress` between files; a file being
imported or written is always finished whole (the core makes each one atomic).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import BinhAnError
from app.reports import submission
from sync import down, enrol, importer, package, receipt, refusals, status, vouch
from sync import keys as node_keys
from sync.transports import folder as folder_transport

if TYPE_CHECKING:  # the mail module loads only when mail is used
    from sync.transports.email import MailSettings
from ui.widgets.progress import Progress

#: How many received packages the inbox table shows, newest first.
INBOX_SHOWN = 200


def is_parent_kind(kind: str) -> bool:
    return kind in ("province", "district")


def to_local(stamp: str | None) -> datetime | None:
    """A stored UTC timestamp as local time (None for none or unreadable)."""
    if not stamp:
        return None
    try:
        value = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.astimezone() if value.tzinfo else value


def format_time(stamp: str | None) -> str:
    """dd/mm/yyyy hh:mm in local time; empty for none."""
    value = to_local(stamp)
    return "" if value is None else value.strftime("%d/%m/%Y %H:%M")


# --- what the page shows ------------------------------------------------------------------------------
@dataclass
class Snapshot:
    kind: str
    name: str
    code: str
    own_fingerprint: str | None
    can_run: bool
    summary: dict | None = None  # the child's side (sync.status.summary)
    outgoing: list[dict] = field(default_factory=list)
    registry: list[dict] = field(default_factory=list)  # with "annual_reports" and "submission" (`_submission`)
    inbox: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # packages refused here (sync.refusals), newest first
    deadline: date | None = None
    year: int = 0
    drives: list = field(default_factory=list)
    wires: Wires | None = None  # e-mail settings and the parent's server address
    annual_reports: list[dict] = field(default_factory=list)  # this node's own finalised ones, with sync state
    can_finalise: bool = False
    kept_aside: int = 0  # records from below kept aside here, not applied (a parent)
    quarantined: list[dict] = field(default_factory=list)  # claims on nodes below not admitted (sync.vouch)
    audit_went_back: list[dict] = field(default_factory=list)  # children whose audit-log head went backwards


def snapshot(session, *, today: date | None = None) -> Snapshot:
    info = session.node_info
    can_run = session.can("sync.run")
    today = today or date.today()
    # Reading the fingerprint creates the key pairs on first use, which only a sync role may do.
    own = node_keys.own_fingerprint(session) if can_run else None
    shot = Snapshot(kind=info.kind, name=info.name, code=info.code, own_fingerprint=own, can_run=can_run,
                    year=today.year)
    if info.kind != "province":
        shot.summary = status.summary(session)
        shot.outgoing = status.outgoing(session, 100)
    if info.kind in submission.SENDING_KINDS:
        shot.annual_reports = status.own_annual_reports(session)
        shot.can_finalise = session.can("report.finalise")
    shot.registry = status.registry(session)
    if shot.registry or is_parent_kind(info.kind):
        from app.reference.periods import profile_for

        # Each year's deadline from the profile version in force that year (app.reference.periods).
        profile, last_profile = profile_for(session, today.year), profile_for(session, today.year - 1)
        shot.deadline = profile.deadline_for(today.year) if profile is not None else None
        shot.inbox = status.inbox(session, INBOX_SHOWN)
        received = {row["id"]: row["annual_reports"] for row in status.annual_reports_received(session)}
        shot.refused = refusals.recent(session, 200)
        shot.kept_aside = session.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL"
                                               " AND reason != 'stale_revision'") or 0
        shot.quarantined = vouch.quarantined(session)
        shot.audit_went_back = importer.witness_problems(session)
        for row in shot.registry:
            row["annual_reports"] = received.get(row["id"], [])
            if row.get("kind") == "point":  # a point is part of its commune: it never owes an annual report
                row["submission"] = {"state": "not_owed"}
                continue
            row["submission"] = _submission(
                row["annual_reports"], today, shot.deadline,
                last_deadline=last_profile.deadline_for(today.year - 1) if last_profile is not None else None,
                enrolled_at=row.get("enrolled_at"))
    shot.drives = folder_transport.removable_drives()
    shot.wires = wires(session)
    return shot


def _submission(annual_reports: list[dict], today: date, deadline: date | None, *,
                last_deadline: date | None = None, enrolled_at: str | None = None) -> dict:
    """Whether a child's annual report for the deadline's year arrived in time: state and the day it arrived.

    `annual_reports`: the child's received reports (`sync.status.annual_reports_received`), whose `received_at`
    is when that year's report first arrived here. Packages without it (cases, activities) do not count: the
    profile's deadline is for the annual report.

    state: "on_time" (the year's report arrived by the deadline), "late_sent" (only after it), "late" (the
    deadline passed, no report for the year), "waiting" (not yet due), "unknown" (no deadline), and
    "missing": until this year's deadline, a child that was enrolled by last year's deadline (`last_deadline`,
    `enrolled_at`) and whose report for last year never arrived is still owed it ("year", "days" since that
    deadline) — in January last year's missing report must not turn into "not yet due".
    """
    if deadline is None:
        return {"state": "unknown", "on": None}

    def first_arrival(year: int) -> date | None:
        arrived = [d for d in (to_local(r["received_at"]) for r in annual_reports if r["year"] == year)
                   if d is not None]
        return min(arrived).date() if arrived else None

    first = first_arrival(deadline.year)
    if first is not None:
        return {"state": "on_time" if first <= deadline else "late_sent", "on": first}
    if today > deadline:
        return {"state": "late", "on": None, "days": (today - deadline).days}
    enrolled = to_local(enrolled_at) if enrolled_at else None
    if (last_deadline is not None and enrolled is not None and enrolled.date() <= last_deadline < today
            and first_arrival(last_deadline.year) is None):
        return {"state": "missing", "on": None, "year": last_deadline.year, "days": (today - last_deadline).days}
    return {"state": "waiting", "on": None, "days": (deadline - today).days}


# --- enrolment ---------------------------------------------------------------------------------------------
def export_profile(session, target: Path) -> tuple[Path, str]:
    path = enrol.export_profile(session, target)
    return path, node_keys.own_fingerprint(session)


def import_profile(session, path: Path) -> dict:
    return enrol.import_profile(session, path)


def export_registration(session, target: Path) -> tuple[Path, str, dict]:
    path = enrol.export_registration(session, target)
    return path, node_keys.own_fingerprint(session), enrol.require_parent(session)


def revoke_child(session, code: str) -> dict:
    return enrol.revoke_child(session, code)


def read_registration(path: Path) -> dict:
    return enrol.read_registration(path)


def accept_registration(session, path: Path, fingerprint: str) -> dict:
    return enrol.import_registration(session, path, accept_fingerprint=fingerprint)


# --- the child: build and send, take receipts ----------------------------------------------------------------
@dataclass
class Sent:
    files: list[Path]
    parts: int
    records: int
    stopped: bool = False


def build_to_folder(session, target: Path, progress: Progress) -> Sent:
    """Build the package for the parent and write its parts into `target` (a USB drive or a folder).

    Cancel stops between parts: parts already written are whole files, noted as sent;
    the rest go in the next package (a package always repeats what is not confirmed).
    """
    progress.update(text="build")
    built = package.build(session)
    progress.update(done=0, total=len(built), text="write")
    written: list[Path] = []
    for n, part in enumerate(built, start=1):
        if progress.cancelled:
            return Sent(written, len(built), sum(p.records for p in built), stopped=True)
        written += folder_transport.send_packages(session, [part], target)
        progress.update(done=n)
    return Sent(written, len(built), sum(p.records for p in built))


@dataclass
class FromParent:
    name: str
    kind: str  # "receipt" | "profile" | "down"
    shown: dict | down.DownResult | None = None
    error: BaseException | None = None


def import_from_parent(session, paths: list[Path], progress: Progress) -> list[FromParent]:
    """Down-packages, receipts and profile files from the parent, each applied on its own (one refused does not
    stop the rest). Down-packages go first, oldest number first, as the core expects them."""
    progress.update(done=0, total=len(paths))
    out = []
    for n, path in enumerate(paths, start=1):
        if progress.cancelled:
            break
        name = path.name
        kind = "profile" if name.endswith(enrol.PROFILE_SUFFIX) else "receipt"
        try:
            data = path.read_bytes()
            if down.is_down(data):
                kind = "down"
                out.append(FromParent(name, kind, down.apply(session, data)))
            elif kind == "profile":
                out.append(FromParent(name, kind, enrol.import_profile(session, data)))
            else:
                # Anything else is tried as a receipt: the core says plainly if it is not one.
                out.append(FromParent(name, kind, receipt.apply(session, data)))
        except (BinhAnError, OSError) as error:
            out.append(FromParent(name, kind, error=error))
        progress.update(done=n)
    return out


def parent_files(items: list[Path]) -> list[Path]:
    """The parent's files among chosen files and folders (a folder gives what waits in it for this node)."""
    found: list[Path] = []
    for item in items:
        if item.is_dir():
            found += sorted(p for suffix in (down.SUFFIX, receipt.SUFFIX) for p in item.glob(f"*{suffix}")
                            if p.is_file() and not p.name.startswith("."))
        else:
            found.append(item)
    return found


def build_down(session, target: Path, progress: Progress) -> list[Path]:
    """A down-package (profile, option lists, receipt) for every enrolled child, written into `target`."""
    progress.update(text="down")
    return down.write(down.build_all(session), target)


def finalise_annual(session, year: int, progress: Progress) -> dict:
    """Finalise the annual report for `year` (the core builds it, renders the PDF, stores it and queues it for the
    next package). Cancel stops at the build's next step, with nothing stored."""
    def report(done: int, total: int, what_vi: str) -> None:
        progress.check()
        progress.update(done, total, what_vi)

    progress.check()
    return submission.finalise(session, year, progress=report)


# --- the parent: import packages, answer with receipts ----------------------------------------------------------
@dataclass
class Imported:
    name: str
    result: importer.ImportResult | None = None
    error: BaseException | None = None


@dataclass
class ImportRun:
    files: list[Imported]
    receipts: list[Path]
    stopped: bool = False


def package_files(items: list[Path]) -> list[Path]:
    """Package files from chosen files and folders (a folder gives the packages waiting in it)."""
    found: list[Path] = []
    for item in items:
        found.extend(folder_transport.incoming_packages(item) if item.is_dir() else [item])
    return found


def import_packages(session, items: list[Path], receipt_folder: Path, progress: Progress) -> ImportRun:
    """Import each package (each whole or not at all), then write one receipt per sender into `receipt_folder`.

    Cancel stops between files; receipts are still written for what was applied.
    """
    paths = package_files(items)
    progress.update(done=0, total=len(paths), text="import")
    run = ImportRun([], [])
    by_sender: dict[str, list[importer.ImportResult]] = defaultdict(list)
    for n, path in enumerate(paths, start=1):
        if progress.cancelled:
            run.stopped = True
            break
        try:
            result = importer.import_package(session, path)  # a refusal goes in the log beside the database
        except (BinhAnError, OSError) as error:
            run.files.append(Imported(path.name, error=error))
        else:
            run.files.append(Imported(path.name, result=result))
            by_sender[result.sender["id"]].append(result)
        progress.update(done=n)
    progress.update(text="receipts")
    for sender_id, results in by_sender.items():
        name, data = receipt.build(session, sender_id, results)
        run.receipts.append(folder_transport.write_receipt(name, data, receipt_folder))
    return run


def save_annual_pdf(session, origin: str, year: int, target: Path) -> Path:
    """Write the PDF of the annual report `origin` sent for `year` to `target` (audited by the core)."""
    return submission.save_received_pdf(session, origin, year, target)


# --- e-mail and network ---------------------------------------------------------------------------------------
@dataclass
class Wires:
    """How this node reaches its parent (and, at a parent, its mailbox) besides a USB drive."""
    mail: MailSettings
    endpoint: str | None

    @property
    def can_mail(self) -> bool:
        return bool(self.mail.smtp_host and self.mail.mail_from and self.mail.mail_to)

    @property
    def can_fetch(self) -> bool:
        return bool(self.mail.imap_host and self.mail.imap_user)


def wires(session) -> Wires:
    from sync.transports import email as mail
    from sync.transports import http

    return Wires(mail.load_settings(session), http.load_endpoint(session))


def save_wires(session, settings, endpoint: str | None, passwords: dict[str, str]) -> Wires:
    """Save the mail settings, the parent's address and any password typed (kept in the OS keyring only)."""
    from sync.transports import email as mail
    from sync.transports import http

    http.save_endpoint(session, endpoint)  # first: it refuses an address that is not one, before anything is saved
    mail.save_settings(session, settings)
    for which, password in passwords.items():
        if password:
            mail.set_password(session, which, password)
    return wires(session)


def send_by_mail(session, progress: Progress):
    """Build the package and mail it to the parent, one part a message (sync.transports.email.send)."""
    from sync.transports import email as mail

    progress.update(text="mail")
    return mail.send(session)


def push(session, progress: Progress):
    """Push the package to the parent's server, take its receipts and its down-package."""
    from sync.transports import http

    url = http.load_endpoint(session)
    if not url:
        raise http.TransportNotSetUp(vi="Chưa lưu địa chỉ máy chủ của cấp trên.", en="No parent address saved.")
    progress.update(text="push")
    return http.push(session, url)


def fetch_mail(session, progress: Progress, *, reply: bool):
    """Read the mailbox: packages from below (receipts mailed back when `reply`), receipts and down-packages from
    above."""
    from sync.transports import email as mail

    progress.update(text="fetch")
    return mail.fetch(session, reply=reply)
