"""The 2025 reform: several old communes merged into one bring their nodes' data into the new commune's node.

    binhan node merge FOLDER --from-user admin     (at the new commune; the old node's password asked for)

Every record of the old node comes over as it is — same ids, same owner (`origin`: the old node), same case
codes — so earlier years can still be reported per old unit (its own row in the per-commune tables). Nothing is
re-owned and nothing is renumbered; the old node's local points do not come (they were its own places), so its
cases and activities come under this node as a whole (`point_id` empty).

The old node's identities come too — the same people are served by the new commune — but never under the old
node's keys, which stay on the old computer: the merging administrator opens the old node with its password,
whose slot yields the old identity keys; each identity is read there and sealed again here under this node's own
identity key, with its search tokens made again (`app.cases.identity.write`), and checked to read back before
anything is written. An identity the old account cannot open stops the merge with nothing written.

The new commune owns the merged records from then on (`Session.owns`): it edits them (a follow-up, a closure, a
withdrawn consent), keeping their origin and code; the old node is retired.

Up the tree, the new node now speaks for the old one. Its packages carry a *merge statement*, signed by the old
node's own current key (the merging officer holds the old node's data, so its key too): "node O is merged into
N". The parent takes it only while that key is still in use there, then retires it (the old computer never
sends again), and from then on takes O's records through N. A claim without such a statement is quarantined
like any other (`sync.vouch`).
"""

from __future__ import annotations

import json
from pathlib import Path

from app.cases import identity
from app.errors import BinhAnError
from app.records import append_outbox, now_utc
from sync import keys as node_keys
from sync.codec import sign_document
from sync.errors import EnrolmentRefused

MERGE_FORMAT = "binhan-merge"
# Copied as they are: the records that travel and their parts, identities and attachments (all of the old node).
_TABLES = ("cases", "case_dv_acts", "case_perpetrators", "case_consents", "case_services",
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
        identities = _opened_identities(old_session)
    finally:
        old_session.close()
    if identities and session.identity.held("node") is None:
        raise BinhAnError("Tài khoản này chưa giữ khóa thông tin nhận dạng của đơn vị; hãy gộp bằng tài khoản quản trị.",
                          "This account does not hold the node's identity key; merge as the administrator.")
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
        # The old node's places are not this node's: its cases and activities come under the node as a whole.
        for table in ("cases", "activities"):
            conn.execute(f"UPDATE {table} SET point_id = NULL WHERE origin = ?", (old.id,))
        copied["case_identities"] = _seal_here(session, conn, identities)
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
    return {"code": old.code, "name": old.name, "records": copied, "warning": map_warning(old.code, info.code)}


def map_warning(old_code: str, new_code: str) -> tuple[str, str] | None:
    """(Vietnamese, English) when the province's commune map (`data/commune_maps`) puts the old commune into
    another new commune than this one: the merge is done (the map is the province's to confirm), but said."""
    from app.reference.communes import load_all_commune_maps

    for cmap in load_all_commune_maps():
        home = next((m for m in cmap.merges if old_code in m.old), None)
        if home is None or home.new_code == new_code:
            continue
        if not any(m.new_code == new_code for m in cmap.merges):
            continue  # this node's code is not one of the map's new communes: nothing to compare with
        return (f"Lưu ý: theo danh mục xã của tỉnh, xã cũ mã {old_code} hợp thành {home.new_name_vi} (mã "
                f"{home.new_code}), không phải đơn vị này (mã {new_code}). Hãy kiểm tra lại với tỉnh.",
                f"Note: by the province's commune list, the former commune {old_code} became {home.new_name_vi} "
                f"(code {home.new_code}), not this node (code {new_code}). Check with the province.")
    return None


def _opened_identities(old_session) -> list[tuple[str, dict, str]]:
    """(case id, clear values, updated at) of every identity of the old node, read with the old account's keys."""
    out = []
    for row in old_session.store.query(f"SELECT * FROM {identity.TABLE}"):
        try:
            values = identity.read(old_session.identity, row)
        except identity.IdentityLocked:
            raise BinhAnError(
                "Tài khoản của đơn vị cũ không mở được thông tin nhận dạng của mọi vụ việc; chưa gộp gì. Hãy gộp bằng "
                "tài khoản quản trị của đơn vị cũ.",
                "The old node's account cannot open every case's identity; nothing was merged. Merge with the old "
                "node's administrator account.") from None
        out.append((row["case_id"], values, row.get("updated_at") or now_utc()))
    return out


def _seal_here(session, conn, identities: list[tuple[str, dict, str]]) -> int:
    """Seal the old node's identities under this node's identity key (its cases have no point here), with their
    search tokens; an identity already here (a merge run again) stays as it is. Each must read back."""
    written = 0
    for case_id, values, updated_at in identities:
        if conn.execute(f"SELECT 1 FROM {identity.TABLE} WHERE case_id = ?", (case_id,)).fetchone():
            continue
        identity.write(conn, session.identity, case_id, None, values, updated_at,
                       ensure_key=session.ensure_identity_key)
        cur = conn.execute(f"SELECT * FROM {identity.TABLE} WHERE case_id = ?", (case_id,))
        stored = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
        if identity.read(session.identity, stored) != values:
            raise BinhAnError("Mã hóa lại thông tin nhận dạng không khớp; chưa gộp gì.",
                              "Re-encrypting the identities did not read back; nothing was merged.")
        written += 1
    return written
