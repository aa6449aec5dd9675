"""What the window shows about sync: per package and per record, built → sent → received → confirmed.

Read-only; every function here is a query.
"""

from __future__ import annotations

import json

from app.sync_allow import SYNCED_TABLES
from sync import enrol

_SYNCED = ",".join(f"'{t}'" for t in SYNCED_TABLES)


def _package_state(row: dict) -> str:
    for state, column in (("confirmed", "confirmed_at"), ("received", "received_at"), ("sent", "sent_at")):
        if row.get(column):
            return state
    return "built"


def summary(session) -> dict:
    """The child's side: its parent, the confirmed mark, and how many records wait to go or to be confirmed."""
    up = enrol.parent(session)
    parent_id = up["node_id"] if up else None
    acked = session.store.scalar("SELECT acked_seq FROM sync_acks WHERE parent_id = ?", (parent_id,)) or 0
    high = session.store.scalar("SELECT coalesce(max(seq), 0) FROM outbox") or 0
    sent_to = session.store.scalar("SELECT coalesce(max(seq_to), 0) FROM sync_outgoing WHERE to_node = ?"
                                   " AND sent_at IS NOT NULL", (parent_id,)) or 0
    per_record = (f"SELECT count(*) FROM (SELECT table_name, record_id, max(seq) AS last FROM outbox"
                  f" WHERE table_name IN ({_SYNCED}) GROUP BY table_name, record_id) WHERE last > ?")
    waiting = session.store.scalar(per_record, (acked,)) or 0
    unsent = session.store.scalar(per_record, (max(acked, sent_to),)) or 0
    return {
        "parent": None if up is None else {"id": up["node_id"], "code": up["code"], "name": up["name"],
                                           "fingerprint": up["fingerprint"]},
        "acknowledged_through": acked, "latest_change": high,
        "records_unsent": unsent, "records_awaiting_receipt": waiting - unsent,
        "last_receipt_at": session.store.scalar("SELECT max(received_at) FROM sync_receipts_in"),
        "kept_by_parent": kept_summary(kept_by_parent(session)),
    }


def kept_by_parent(session) -> list[dict]:
    """The records the parent's latest receipt lists as kept aside there (not applied), each {table, record_id,
    rev, reason, detail}: what the officer here should look at (a restore's own catching up is left out)."""
    up = enrol.parent(session)
    if up is None:
        return []
    row = session.store.query("SELECT detail FROM sync_receipts_in WHERE from_node = ? ORDER BY received_at DESC,"
                              " rowid DESC LIMIT 1", (up["node_id"],))
    if not row:
        return []
    try:
        kept = json.loads(row[0]["detail"]).get("kept_aside") or []
    except (ValueError, AttributeError):
        return []
    return [k for k in kept if isinstance(k, dict) and k.get("reason") != "stale_revision"
            and isinstance(k.get("table"), str) and isinstance(k.get("record_id"), str)]


def kept_summary(kept: list[dict]) -> dict:
    """{count, reasons: {reason: how many}}."""
    reasons: dict[str, int] = {}
    for k in kept:
        reasons[str(k.get("reason"))] = reasons.get(str(k.get("reason")), 0) + 1
    return {"count": len(kept), "reasons": reasons}


def record_state(session, table: str, record_id: str) -> str:
    """'local' (never leaves), 'unsent', 'built', 'sent', 'received', 'kept_aside' (the parent's last receipt says
    it was not applied there) or 'confirmed' for one record."""
    if table not in SYNCED_TABLES:
        return "local"
    last = session.store.scalar("SELECT max(seq) FROM outbox WHERE table_name = ? AND record_id = ?",
                                (table, record_id))
    if last is None:
        return "unsent"
    up = enrol.parent(session)
    if up is None:
        return "unsent"
    acked = session.store.scalar("SELECT acked_seq FROM sync_acks WHERE parent_id = ?", (up["node_id"],)) or 0
    if last <= acked:
        if any(k["table"] == table and k["record_id"] == record_id for k in kept_by_parent(session)):
            return "kept_aside"
        return "confirmed"
    rows = session.store.query("SELECT * FROM sync_outgoing WHERE to_node = ? AND seq_from <= ? AND seq_to >= ?"
                               " ORDER BY built_at DESC", (up["node_id"], last, last))
    states = [_package_state(r) for r in rows]
    for state in ("received", "sent", "built"):
        if state in states:
            return state
    return "unsent"


def outgoing(session, limit: int = 100) -> list[dict]:
    rows = session.store.query("SELECT * FROM sync_outgoing ORDER BY built_at DESC, part LIMIT ?", (limit,))
    return [{**r, "state": _package_state(r)} for r in rows]


def inbox(session, limit: int = 200) -> list[dict]:
    """Packages received here, newest first, with the sender's code and name."""
    return session.store.query(
        "SELECT i.*, p.code AS from_code, p.name AS from_name FROM sync_inbox i"
        " LEFT JOIN sync_peers p ON p.node_id = i.from_node ORDER BY i.received_at DESC LIMIT ?", (limit,))


def registry(session) -> list[dict]:
    """Every node below this one: fingerprint, how it is reached, its last package and receipt."""
    out = []
    for peer in enrol.children(session):
        last = session.store.query(
            "SELECT max(received_at) AS received, max(receipt_at) AS receipt, count(*) AS packages,"
            " coalesce(sum(records), 0) AS records FROM sync_inbox WHERE from_node = ?", (peer["node_id"],))[0]
        kept = session.store.scalar("SELECT count(*) FROM kept_aside WHERE from_node = ? AND resolved_at IS NULL",
                                    (peer["node_id"],))
        out.append({"id": peer["node_id"], "code": peer["code"], "name": peer["name"], "kind": peer["kind"],
                    "relation": peer["relation"], "via": peer["via"], "fingerprint": peer["fingerprint"],
                    "status": peer["status"], "enrolled_at": peer["enrolled_at"],
                    "last_package_at": last["received"], "last_receipt_at": last["receipt"],
                    "packages": last["packages"], "records": last["records"], "kept_aside": kept})
    return out


def own_annual_reports(session) -> list[dict]:
    """This node's finalised annual reports, newest year first, each with its sync state (see `record_state`):
    {id, year, rev, finalised_on, updated_at, state}."""
    rows = session.store.query(
        "SELECT id, year, rev, finalised_on, updated_at FROM annual_reports WHERE origin = ? AND deleted = 0"
        " ORDER BY year DESC", (session.node_info.id,))
    return [{**r, "state": record_state(session, "annual_reports", r["id"])} for r in rows]


def annual_reports_received(session) -> list[dict]:
    """Per node below this one (as `registry` lists them), the annual reports received from it, newest year
    first: {id, code, name, kind, annual_reports: [{year, rev, finalised_on, received_at, latest_at}]}.

    `received_at` is when the year's report first arrived here (a deadline is judged by it); `latest_at` when its
    newest version did.
    """
    by_origin: dict[str, list[dict]] = {}
    for r in session.store.query(
            "SELECT origin, year, max(rev) AS rev, max(finalised_on) AS finalised_on,"
            " min(first_received_at) AS received_at, max(received_at) AS latest_at FROM annual_reports"
            " WHERE origin != ? AND deleted = 0 GROUP BY origin, year ORDER BY origin, year DESC",
            (session.node_info.id,)):
        by_origin.setdefault(r.pop("origin"), []).append(r)
    return [{"id": peer["node_id"], "code": peer["code"], "name": peer["name"], "kind": peer["kind"],
             "annual_reports": by_origin.get(peer["node_id"], [])} for peer in enrol.children(session)]
