"""Receipts: the parent's signed answer, encrypted to the child.

A receipt names the highest *contiguous* sequence the parent has applied from
that child (every change 1..N arrived), the packages it saw, and the records
it kept aside. The child moves its acknowledged watermark only after the
receipt is verified: signed by its enrolled parent's key, addressed to it,
inner identity equal to the readable header, and not confirming more than the
child ever had. Anything not confirmed is simply sent again next time.

File (JSON, readable header):

    {"format": "binhan-receipt", "version": 1,
     "header": {receipt_id, from, to, sender_key_id, recipient_key_id, created},
     "sealed": base64(SealedBox to the child's X25519 key of the JSON body),
     "signature": base64(Ed25519 over "binhan-receipt" NUL canonical(header) sealed)}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import nacl.exceptions
import nacl.public

from app.records import new_id, now_utc
from sync import enrol
from sync import keys as node_keys
from sync.codec import b64, canonical, unb64, verifies
from sync.errors import (ReceiptBeyondSent, ReceiptForged, ReceiptInvalid, ReceiptMisaddressed,
                         ReceiptRetiredKey)
from sync.importer import ImportResult, contiguous_high

RECEIPT_FORMAT = "binhan-receipt"
SUFFIX = ".receipt.binhan"
MAX_KEPT_ASIDE_LISTED = 1000
RECENT_LISTED = 20  # package ids of the child's a receipt names
RECONCILE_KEY = "sync.reconcile"  # meta, at a child: the outbox sequence up to which it resent everything
FORGOTTEN_KEY = "sync.forgotten_packages"  # meta, at a child: packages the parent has that a restore erased here


def _signed_bytes(header: dict, sealed: bytes) -> bytes:
    return RECEIPT_FORMAT.encode("ascii") + b"\x00" + canonical(header) + sealed


def build(session, child_id: str, results: Sequence[ImportResult] = (), *,
          as_identity: str | None = None) -> tuple[str, bytes]:
    """The receipt for `child_id` as of now: (file name, bytes). Notes the receipt against the packages."""
    session.require("sync.run")
    child = enrol.peer(session, child_id)
    if child is None or child["relation"] != "child":
        raise ValueError("not an enrolled child")
    child_key = enrol.peer_key(session, child_id, node_keys.ENCRYPTION)
    if child_key is None:
        raise ValueError("the child has no encryption key in use")
    # Answer as the identity the child wrote to (this node, or one adopted from a key backup).
    me = as_identity or next((r.recipient_id for r in results if r.recipient_id), None) or session.origin
    signer = node_keys.current(session, node_keys.SIGNING, me)
    info = session.node_info
    receipt_id = new_id()
    kept = session.store.query(
        "SELECT table_name, record_id, rev, reason, detail FROM kept_aside WHERE from_node = ? AND resolved_at IS NULL"
        " ORDER BY id LIMIT ?", (child_id, MAX_KEPT_ASIDE_LISTED))
    acked = contiguous_high(session, child_id)
    highest = session.store.scalar("SELECT coalesce(max(seq_to), 0) FROM sync_inbox WHERE from_node = ?",
                                   (child_id,)) or 0
    recent = [r["package_id"] for r in session.store.query(
        "SELECT package_id FROM sync_inbox WHERE from_node = ? ORDER BY rowid DESC LIMIT ?", (child_id, RECENT_LISTED))]
    header = {"receipt_id": receipt_id, "from": {"id": me, "code": info.code, "name": info.name},
              "to": {"id": child_id, "code": child["code"], "name": child["name"]},
              "sender_key_id": signer.key_id, "recipient_key_id": child_key["key_id"], "created": now_utc()}
    body = {
        "receipt_id": receipt_id, "from": me, "to": child_id, "acknowledged_through": acked,
        "packages": [{"package_id": r.package_id, "verdict": r.verdict, "seq_from": r.seq_from, "seq_to": r.seq_to,
                      "records": r.records, "applied": r.applied, "unchanged": r.unchanged,
                      "kept_aside": len(r.kept_aside)} for r in results],
        # What lets a child that restored a backup see it (a package it never built) and catch up: see `apply`.
        "highest_seq": highest, "recent_packages": recent,
        # The parent's witness of this child's audit log: the furthest head seen, and any step backwards.
        "audit_witness": _witness(session, child_id),
        "kept_aside": [{"table": k["table_name"], "record_id": k["record_id"], "rev": k["rev"], "reason": k["reason"],
                        "detail": json.loads(k["detail"]) if k["detail"] else None} for k in kept],
    }
    sealed = nacl.public.SealedBox(nacl.public.PublicKey(child_key["public_key"])).encrypt(canonical(body))
    envelope = {"format": RECEIPT_FORMAT, "version": 1, "header": header, "sealed": b64(bytes(sealed)),
                "signature": b64(signer.signing_key.sign(_signed_bytes(header, bytes(sealed))).signature)}
    with session.store.transaction() as conn:
        now = now_utc()
        for r in results:
            conn.execute("UPDATE sync_inbox SET receipt_id = ?, receipt_at = ? WHERE package_id = ?",
                         (receipt_id, now, r.package_id))
        session.audit(conn, "sync.receipt.build", target=receipt_id,
                      detail={"to": child["code"], "acknowledged_through": acked, "kept_aside": len(kept)})
    name = f"{child['code']}-{info.code}-{acked}-{receipt_id[-8:]}{SUFFIX}"
    return name, json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8")


def _witness(session, child_id: str) -> dict | None:
    rows = session.store.query("SELECT audit_seq, audit_hash, problem FROM sync_witness WHERE node_id = ?",
                               (child_id,))
    if not rows:
        return None
    return {"seq": rows[0]["audit_seq"], "hash": rows[0]["audit_hash"],
            "went_back": json.loads(rows[0]["problem"]) if rows[0]["problem"] else None}


def _invalid(why: str, why_en: str) -> ReceiptInvalid:
    return ReceiptInvalid(why=why, why_en=why_en)


def verify(session, data: bytes) -> dict:
    """The receipt's body, once it is proven to come from this node's parent and to be meant for it."""
    try:
        envelope = json.loads(data.decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("format") != RECEIPT_FORMAT:
            raise ValueError
        header, sealed, signature = envelope["header"], unb64(envelope["sealed"]), unb64(envelope["signature"])
        to_id, from_id, key_id = header["to"]["id"], header["from"]["id"], header["sender_key_id"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise _invalid("không đúng định dạng biên nhận", "not in the receipt format") from None
    if envelope.get("version") != 1:
        raise _invalid("phiên bản biên nhận không hỗ trợ", "unsupported receipt version")
    if to_id != session.origin:
        to = header["to"]
        raise ReceiptMisaddressed(to=f"{to.get('name')} ({to.get('code')})" if isinstance(to, dict) else to_id)
    parent = enrol.require_parent(session)
    key = enrol.signing_key(session, parent["node_id"], key_id)
    if from_id != parent["node_id"] or key is None or not verifies(key["public_key"], _signed_bytes(header, sealed),
                                                                    signature):
        raise ReceiptForged()
    if key["retired_at"] is not None:
        raise ReceiptRetiredKey()
    pair = node_keys.by_id(session, header.get("recipient_key_id"), node_keys.ENCRYPTION)
    if pair is None:
        raise _invalid("mã hóa cho khóa mà máy này không có", "encrypted for a key this machine does not hold")
    try:
        body = json.loads(nacl.public.SealedBox(pair.box_key).decrypt(sealed).decode("utf-8"))
        acked = body["acknowledged_through"]
        if not isinstance(acked, int) or isinstance(acked, bool) or acked < 0:
            raise ValueError
    except (nacl.exceptions.CryptoError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise _invalid("nội dung hỏng", "the content is damaged") from None
    if body.get("receipt_id") != header.get("receipt_id") or body.get("from") != from_id or body.get("to") != to_id:
        raise ReceiptForged()
    return body


def apply(session, source) -> dict:
    """Verify a receipt and move the watermark. Returns what to show (new mark, packages, kept aside)."""
    session.require("sync.run")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    body = verify(session, data)
    parent_id = body["from"]
    acked = body["acknowledged_through"]
    now = now_utc()
    with session.store.transaction() as conn:
        rolled_back = _rolled_back(conn, body, parent_id)
        if rolled_back:
            _resend_everything(session, conn, body, now)
        # The highest sequence this node ever numbered (after a restore: lifted above the parent's, see below).
        high = conn.execute("SELECT max((SELECT coalesce(max(seq), 0) FROM outbox), coalesce((SELECT seq FROM"
                            " sqlite_sequence WHERE name = 'outbox'), 0))").fetchone()[0]
        if acked > high:
            raise ReceiptBeyondSent(acked=acked, high=high)
        lifted = _lift_revisions(conn, body.get("kept_aside"), now)
        recoded = _take_free_codes(session, conn, body.get("kept_aside"))
        previous = conn.execute("SELECT acked_seq FROM sync_acks WHERE parent_id = ?", (parent_id,)).fetchone()
        previous = previous[0] if previous else 0
        mark = max(previous, acked)
        conn.execute("INSERT INTO sync_acks (parent_id, acked_seq, receipt_id, confirmed_at) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT(parent_id) DO UPDATE SET acked_seq = excluded.acked_seq,"
                     " receipt_id = excluded.receipt_id, confirmed_at = excluded.confirmed_at",
                     (parent_id, mark, body["receipt_id"], now))
        conn.execute("INSERT OR IGNORE INTO sync_receipts_in (receipt_id, from_node, acked_seq, created_at,"
                     " received_at, detail) VALUES (?, ?, ?, ?, ?, ?)",
                     (body["receipt_id"], parent_id, acked, None, now,
                      json.dumps({"packages": body.get("packages", []), "kept_aside": body.get("kept_aside", [])},
                                 ensure_ascii=False)))
        for p in body.get("packages", []) or []:
            if isinstance(p, dict) and isinstance(p.get("package_id"), str):
                conn.execute("UPDATE sync_outgoing SET received_at = coalesce(received_at, ?) WHERE package_id = ?",
                             (now, p["package_id"]))
        conn.execute("UPDATE sync_outgoing SET confirmed_at = ?, receipt_id = ? WHERE to_node = ? AND seq_to <= ?"
                     " AND confirmed_at IS NULL", (now, body["receipt_id"], parent_id, mark))
        reconcile = conn.execute("SELECT value FROM meta WHERE key = ?", (RECONCILE_KEY,)).fetchone()
        if reconcile is not None and not rolled_back and mark >= int(reconcile[0]):
            conn.execute("DELETE FROM meta WHERE key = ?", (RECONCILE_KEY,))  # the resent records arrived
        session.audit(conn, "sync.receipt.apply", target=body["receipt_id"],
                      detail={"acknowledged_through": acked, "previous": previous, "mark": mark,
                              "kept_aside": len(body.get("kept_aside", []) or []), "rolled_back": rolled_back,
                              "revisions_lifted": lifted, "codes_changed": recoded})
    moved = {c["record_id"] for c in recoded}
    return {"acknowledged_through": mark, "previous": previous, "packages": body.get("packages", []),
            "kept_aside": [k for k in body.get("kept_aside", []) or []
                           if isinstance(k, dict) and k.get("reason") != "stale_revision"
                           and not (k.get("reason") == "code_conflict" and k.get("record_id") in moved)],
            "rolled_back": rolled_back, "revisions_lifted": lifted, "codes_changed": recoded}


# --- after a restore at the child ----------------------------------------------------------------------------
# A child that restored a backup has forgotten what it sent since: its sequence numbers and revisions start
# again below what the parent holds. It sees it in a receipt — a package the parent received that this machine
# never built, or a confirmed sequence beyond its own — and then (1) numbers its changes from above everything
# the parent has seen, (2) queues every record again, and (3) says so in its next package (`reconcile`): the
# parent answers, for each record whose copy there differs and is not older, the revision it holds (kept aside
# as `stale_revision`), and (4) the child lifts its own revision above that one, so its record wins and both
# sides hold the same again. Records it did not touch converge the same way; nothing is silently different.
def _rolled_back(conn, body: dict, parent_id: str) -> bool:
    high = conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
    recent = body.get("recent_packages") or []
    recent = [p for p in recent[:RECENT_LISTED] if isinstance(p, str)] if isinstance(recent, list) else []
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (FORGOTTEN_KEY,)).fetchone()
    forgotten = json.loads(row[0]) if row else []
    unknown = [p for p in recent if p not in forgotten and conn.execute(
        "SELECT 1 FROM sync_outgoing WHERE package_id = ?", (p,)).fetchone() is None]
    if not unknown and body["acknowledged_through"] <= high:
        return False
    # Packages built before the restore: seen once, never a reason to start again.
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                 (FORGOTTEN_KEY, json.dumps((forgotten + unknown)[-200:])))
    return True


def _resend_everything(session, conn, body: dict, now: str) -> None:
    from app.sync_allow import SYNCED_TABLES

    highest = body.get("highest_seq")
    floor = max(highest if type(highest) is int and 0 <= highest < 2**62 else 0, body["acknowledged_through"],
                conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
    if conn.execute("SELECT 1 FROM sqlite_sequence WHERE name = 'outbox'").fetchone():
        conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'", (floor,))
    else:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (floor,))
    for table in SYNCED_TABLES:
        conn.execute(f"INSERT INTO outbox (table_name, record_id, rev, changed_at) SELECT ?, id, rev, ? FROM {table}"
                     " ORDER BY id", (table, now))
    last = max(floor, conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (RECONCILE_KEY, str(last)))
    session.audit(conn, "sync.reconcile.start", detail={"from_seq": floor + 1, "to_seq": last})


def _take_free_codes(session, conn, kept) -> list[dict]:
    """A case of this node kept aside at the parent because another case holds its code there (numbered again
    from below after a restore) takes a code above every one the parent holds, and goes up again."""
    changed = []
    for entry in kept if isinstance(kept, list) else []:
        if not isinstance(entry, dict) or entry.get("reason") != "code_conflict" or entry.get("table") != "cases":
            continue
        detail = entry.get("detail")
        if not isinstance(detail, dict):
            continue
        code, highest = detail.get("code"), detail.get("highest_held")
        if not isinstance(entry.get("record_id"), str) or not isinstance(code, str):
            continue
        new = session.cases.take_code_above(conn, entry["record_id"], code,
                                            highest if isinstance(highest, str) else None)
        if new is not None:
            changed.append({"record_id": entry["record_id"], "from": code, "to": new})
    return changed


def _lift_revisions(conn, kept, now: str) -> int:
    """Lift each record the parent holds at a revision not below this one's (`stale_revision`) above it."""
    from app.records import append_outbox
    from app.sync_allow import SYNCED_TABLES

    lifted = 0
    for entry in kept if isinstance(kept, list) else []:
        if not isinstance(entry, dict) or entry.get("reason") != "stale_revision":
            continue
        table, record_id, detail = entry.get("table"), entry.get("record_id"), entry.get("detail")
        held = detail.get("held_rev") if isinstance(detail, dict) else None
        if table not in SYNCED_TABLES or not isinstance(record_id, str) or type(held) is not int:
            continue
        row = conn.execute(f"SELECT rev FROM {table} WHERE id = ?", (record_id,)).fetchone()
        if row is None or row[0] > held:
            continue
        conn.execute(f"UPDATE {table} SET rev = ? WHERE id = ?", (held + 1, record_id))
        append_outbox(conn, table, record_id, held + 1, now)
        lifted += 1
    return lifted


def reconciling(session) -> bool:
    """Whether this node is resending everything after a restore (its next package says so)."""
    return session.store.scalar("SELECT 1 FROM meta WHERE key = ?", (RECONCILE_KEY,)) is not None


def reset_watermark(session) -> None:
    """Send everything again next time (after the parent restored an old backup). Harmless: replays are no-ops."""
    session.require("settings.manage")
    parent = enrol.require_parent(session)
    with session.store.transaction() as conn:
        conn.execute("DELETE FROM sync_acks WHERE parent_id = ?", (parent["node_id"],))
        session.audit(conn, "sync.watermark.reset", detail={"parent": parent["code"]})


def resend_kept(session) -> int:
    """Queue again the records the parent's latest receipt lists as kept aside there (after this node's option
    lists changed, or when asked: `binhan sync retry`), so the next package carries them. Returns how many."""
    from app.records import append_outbox
    from app.sync_allow import SYNCED_TABLES
    from sync import status

    kept = [k for k in status.kept_by_parent(session) if k["table"] in SYNCED_TABLES]
    if not kept:
        return 0
    queued = 0
    with session.store.transaction() as conn:
        now = now_utc()
        for k in kept:
            row = conn.execute(f"SELECT rev FROM {k['table']} WHERE id = ?", (k["record_id"],)).fetchone()
            if row is not None:
                append_outbox(conn, k["table"], k["record_id"], row[0], now)
                queued += 1
        session.audit(conn, "sync.kept_aside.resend", detail={"records": queued})
    return queued
