"""The 2025 reform: several old communes merged into one bring their nodes' data into the new commune's node.

    binhan node merge FOLDER --from-user admin     (at the new commune; the old node's password asked for)

Every record of the old node comes over as it is — same ids, same owner (`origin`: the old node), same case
codes — so earlier years can still be reported per old unit (its own row in the per-commune tables). The old
node's identities come too: the same people are served by the new commune. Nothing is re-owned and nothing is
renumbered.

Up the tree, the new node now speaks for the old one. Its packages carry a *merge statement*, signed by the old
node's own current key (the merging officer holds the old node's data, so its key too): "node O is merged into
N". The parent takes it only while that key is still in use there, then retires it (the old computer never
sends again), and from then on takes O's records through N. A claim without such a statement is quarantined
like any other (`sync.vouch`).
"""

from __future__ import annotations

import json
from pathlib import Path

from app.records import append_outbox, now_utc
from sync import keys as node_keys
from sync.codec import sign_document
from sync.errors import EnrolmentRefused

MERGE_FORMAT = "binhan-merge"
# Copied as they are: the records that travel and their parts, identities and attachments (all of the old node).
_TABLES = ("cases", "case_identities", "case_dv_acts", "case_perpetrators", "case_consents", "case_services",
           "case_referrals", "case_follow_ups", "case_perpetrator_actions", "models", "model_status_events",
           "schools", "school_integrations", "activities", "attachments", "annual_reports")
_SYNCED = ("cases", "activities", "models", "schools", "annual_reports")


def statement(old_session, into: dict) -> dict:
    """The old node's signed word that it is merged into `into` ({id, code})."""
    info = old_session.node_info
    signer = node_keys.current(old_session, node_keys.SIGNING)
    document = {"node": {"id": info.id, "kind": info.kind, "code": info.code, "name": info.name,
                         "parent_code": info.parent_code},
                "merged_into": {"id": into["id"], "code": into["code"]}, "issued_at": now_utc()}
    return sign_document(MERGE_FORMAT, document, [(signer.key_id, signer.signing_key)])


def merge(session, old_folder: Path, username: str, password: str) -> dict:
    """Bring the old node at `old_folder` into this one. Returns {code, records: {table: rows copied}}."""
    from app.node import Node

    session.require("settings.manage")
    info = session.node_info
    old_session = Node.open(Path(old_folder)).login(username, password)
    try:
        old = old_session.node_info
        if old.id == info.id:
            raise EnrolmentRefused(vi="Đây là chính đơn vị này.", en="This is this very node.")
        if old.kind != info.kind or info.kind not in ("commune", "district"):
            raise EnrolmentRefused(vi=f"Chỉ gộp {old.kind} vào đơn vị cùng cấp; đơn vị này là {info.kind}.",
                                   en=f"Only a node of the same level merges in; this is a {info.kind}, "
                                      f"that a {old.kind}.")
        signed = statement(old_session, {"id": info.id, "code": info.code})
        rows = {table: old_session.store.query(f"SELECT * FROM {table}") for table in _TABLES}
    finally:
        old_session.close()
    copied: dict[str, int] = {}
    now = now_utc()
    with session.store.transaction() as conn:
        for table, found in rows.items():
            if not found:
                continue
            here = {r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()}
            columns = [c for c in found[0] if c in here]
            before = conn.total_changes
            conn.executemany(f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES"
                             f" ({', '.join('?' for _ in columns)})", [tuple(r[c] for c in columns) for r in found])
            copied[table] = conn.total_changes - before
        for table in _SYNCED:
            for r in rows[table]:
                append_outbox(conn, table, r["id"], r["rev"], now)
        conn.execute(
            "INSERT INTO sync_peers (node_id, relation, kind, code, name, parent_code, voucher, status, enrolled_at,"
            " updated_at) VALUES (?, 'merged', ?, ?, ?, ?, ?, 'active', ?, ?) ON CONFLICT(node_id) DO UPDATE SET"
            " relation = 'merged', voucher = excluded.voucher, status = 'active', updated_at = excluded.updated_at",
            (old.id, old.kind, old.code, old.name, old.parent_code, json.dumps({"merged": signed}), now, now))
        session.audit(conn, "node.merge", table="sync_peers", target=old.id,
                      detail={"code": old.code, "records": copied})
    return {"code": old.code, "name": old.name, "records": copied}
