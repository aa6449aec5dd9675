"""Vouching: a node speaks only for its own registered subtree (DESIGN §6, "Trust in the tree").

When a parent accepts a registration it vouches for the child: an *acceptance*, a document naming the child
(id, kind, code, name, parent code) and its public keys, signed by the parent that accepted it. A node's
packages carry, in the manifest's `nodes`, an acceptance for each of its own children (signed as the package
is built, with its current key) and the acceptances it received from them for the nodes further down, as they
were signed. The parent admits a node below its child only when the chain of acceptances reaches the child:

    the child's key  ─signs→  acceptance of a grandchild  ─whose keys sign→  acceptance of the next one …

and each link is consistent (the node names the acceptor as its parent; a lower rank than the acceptor).
A code belongs to the first node admitted with it; a later claim on it, on keys already known, on a node
already claimed through another child, or on a node that is not vouched for, is *quarantined*: kept in
`sync_quarantine` with its reason and shown to the officer, and the records of that node are kept aside
(never applied) until the claim holds. A package admits at most `MAX_NEW_NODES` new nodes; the rest wait
for the next package (their records are kept aside meanwhile and applied when they are admitted).
"""

from __future__ import annotations

import json

from app.records import now_utc
from sync import keys as node_keys
from sync.codec import b64, read_document, sign_document, signed_message, unb64, verifies
from sync.errors import PackageContentInvalid

ACCEPTANCE_FORMAT = "binhan-acceptance"
RANK = {"point": 0, "commune": 1, "district": 2, "province": 3}
MAX_NEW_NODES = 200      # new nodes a single package may introduce (a district's communes and their points)
MAX_DECLARED_NODES = 5000  # nodes a package may list at all; more and the package is refused whole
MAX_QUARANTINED_PER_PACKAGE = 100  # claims noted per package (the rest are not admitted either, just not listed)


def _text(value, limit: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) and len(value) <= limit


# --- at the node that accepted its children ------------------------------------------------------------
def acceptance(peer: dict, keys: dict, acceptor: dict, issued_at: str) -> dict:
    """The document a parent signs for a child it accepted (`keys`: purpose → {key_id, public})."""
    return {
        "node": {"id": peer["node_id"], "kind": peer["kind"], "code": peer["code"], "name": peer["name"],
                 "parent_code": peer["parent_code"]},
        "keys": keys,
        "accepted_by": {"id": acceptor["id"], "kind": acceptor["kind"], "code": acceptor["code"]},
        "issued_at": issued_at,
    }


def subtree(conn, info, signer) -> list[dict]:
    """The manifest's `nodes`: every active node below this one, each with its acceptance.

    Its own children's acceptances are signed now by `signer` (this node's current signing key pair); those
    of nodes further down are relayed as received."""
    now = now_utc()
    out = []
    rows = conn.execute("SELECT node_id, relation, kind, code, name, parent_code, via, voucher FROM sync_peers"
                        " WHERE relation IN ('child', 'descendant', 'merged') AND status = 'active'"
                        " ORDER BY code").fetchall()
    for node_id, relation, kind, code, name, parent_code, via, voucher in rows:
        name = code if kind == "point" else name  # a point's name stays home (it may name a household)
        entry = {"id": node_id, "kind": kind, "code": code, "name": name, "parent_code": parent_code, "via": via}
        stored = json.loads(voucher) if voucher else None
        if isinstance(stored, dict) and "merged" in stored:
            entry["merged"] = stored["merged"]  # an old node merged into this one (or below): its own statement
            out.append(entry)
            continue
        if relation == "child":
            keys = {purpose: {"key_id": kid, "public": b64(public)} for kid, purpose, public in conn.execute(
                "SELECT key_id, purpose, public_key FROM sync_peer_keys WHERE node_id = ? AND retired_at IS NULL"
                " ORDER BY added_at", (node_id,)).fetchall()}
            if set(keys) != set(node_keys.PURPOSES):
                continue
            document = acceptance({"node_id": node_id, "kind": kind, "code": code, "name": name,
                                   "parent_code": parent_code}, keys,
                                  {"id": info.id, "kind": info.kind, "code": info.code}, now)
            entry["voucher"] = sign_document(ACCEPTANCE_FORMAT, document, [(signer.key_id, signer.signing_key)])
        elif voucher:
            entry["voucher"] = json.loads(voucher)
        else:
            continue  # admitted before acceptances existed: vouched for again once its parent sends one
        out.append(entry)
    return out


# --- at the parent: admitting what a child declares below it -------------------------------------------------
class _Claim:
    def __init__(self, document: dict, envelope: dict, keys: dict):
        node = document["node"]
        self.id, self.kind, self.code, self.name = node["id"], node["kind"], node["code"], node["name"]
        self.parent_code = node.get("parent_code")
        self.acceptor = document["accepted_by"]["id"]
        self.document, self.envelope, self.keys = document, envelope, keys  # keys: purpose → (key_id, public)


def _read(entry) -> tuple[_Claim | None, dict | None, str]:
    """(the claim, its signatures, why not) of one declared node; a claim only if its acceptance is well formed."""
    envelope = entry.get("voucher") if isinstance(entry, dict) else None
    if not isinstance(envelope, dict):
        return None, None, "unvouched"
    try:
        document, signatures = read_document(json.dumps(envelope).encode("utf-8"), ACCEPTANCE_FORMAT)
        node, by = document["node"], document["accepted_by"]
        if not all(_text(node.get(k)) for k in ("id", "kind", "code", "name")) or node["kind"] not in RANK:
            raise ValueError
        if not (node.get("parent_code") is None or _text(node["parent_code"])) or not _text(by.get("id")):
            raise ValueError
        keys = {}
        for purpose in node_keys.PURPOSES:
            public = unb64(document["keys"][purpose]["public"])
            kid = document["keys"][purpose]["key_id"]
            if len(public) != 32 or kid != node_keys.key_id(public):
                raise ValueError
            keys[purpose] = (kid, public)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None, "unvouched"
    return _Claim(document, envelope, keys), signatures, ""


def admit(session, conn, sender: dict, manifest: dict, package_id: str) -> set[str]:
    """Admit the nodes the sender's package declares below it, where the chain of acceptances holds; quarantine
    the rest. Returns the origins whose records this package may carry: the sender's and its admitted
    descendants'. Raises PackageContentInvalid when `nodes` is not a list or lists more than MAX_DECLARED_NODES."""
    declared = manifest.get("nodes") or []
    if not isinstance(declared, list) or len(declared) > MAX_DECLARED_NODES:
        raise PackageContentInvalid(what="nodes")
    sender_id = sender["node_id"]
    own = node_keys.identities(session)
    now = now_utc()
    keys_of = {sender_id: [r[0] for r in conn.execute(
        "SELECT public_key FROM sync_peer_keys WHERE node_id = ? AND purpose = ? AND retired_at IS NULL",
        (sender_id, node_keys.SIGNING)).fetchall()]}
    rank_code = {sender_id: (RANK.get(sender["kind"], 0), sender["code"])}
    quarantined: list[tuple] = []

    def quarantine(claim_or_entry, reason: str, detail=None) -> None:
        if len(quarantined) >= MAX_QUARANTINED_PER_PACKAGE:
            return
        if isinstance(claim_or_entry, _Claim):
            c = claim_or_entry
            row: tuple[str | None, ...] = (c.id, c.kind, c.code, c.name, c.parent_code)
        else:
            e = claim_or_entry if isinstance(claim_or_entry, dict) else {}
            row = tuple(v if isinstance(v := e.get(k), str) and len(v) <= 200 else None
                        for k in ("id", "kind", "code", "name", "parent_code"))
            if row[0] is None:
                return
        quarantined.append((*row, sender_id, package_id, reason, json.dumps(detail or {}, ensure_ascii=False), now))

    # Follow the chains from the sender down: a claim is vouched for once its acceptor is (ranks bound the depth).
    pending = []
    merged = [e for e in declared if isinstance(e, dict) and "merged" in e]
    for entry in declared:
        if isinstance(entry, dict) and "merged" in entry:
            continue  # an old node merged into one of these (sync.merge): after the chains, below
        claim, signatures, why = _read(entry)
        if claim is None or signatures is None:  # both None together
            quarantine(entry, why)
        elif claim.id in own or claim.id == sender_id:
            continue  # this node, or the sender itself: nothing to admit
        else:
            pending.append((claim, signatures))
    vouched: list[_Claim] = []
    seen: set[str] = set()
    for _ in range(len(RANK)):
        waiting = []
        for claim, signatures in pending:
            acceptor = claim.acceptor
            if acceptor not in keys_of:
                waiting.append((claim, signatures))
                continue
            rank, code = rank_code[acceptor]
            message = signed_message(ACCEPTANCE_FORMAT, claim.document)
            signed = any(verifies(public, message, sig) for sig in signatures.values() for public in keys_of[acceptor])
            if not signed:
                quarantine(claim, "unvouched", {"accepted_by": acceptor})
            elif claim.parent_code != code or RANK[claim.kind] >= rank:
                quarantine(claim, "unvouched", {"accepted_by": acceptor, "parent_code": claim.parent_code})
            elif claim.id in seen:
                continue
            else:
                seen.add(claim.id)
                vouched.append(claim)
                keys_of[claim.id] = [claim.keys[node_keys.SIGNING][1]]
                rank_code[claim.id] = (RANK[claim.kind], claim.code)
        if len(waiting) == len(pending):
            break
        pending = waiting
    for claim, _ in pending:
        quarantine(claim, "unvouched", {"accepted_by": claim.acceptor})

    new = 0
    for claim in vouched:
        row = conn.execute("SELECT relation, via, status FROM sync_peers WHERE node_id = ?", (claim.id,)).fetchone()
        if row is not None and row[0] not in ("descendant",):
            if row[0] != "child":  # a parent of this node, or a former one: never a node below
                quarantine(claim, "claimed_elsewhere", {"relation": row[0]})
            continue  # enrolled here directly: what its own registration says holds
        if row is not None and row[1] != sender_id and row[2] == "active":
            quarantine(claim, "claimed_elsewhere", {"via": row[1]})
            continue
        if row is not None and row[1] == sender_id and row[2] == "revoked":
            continue  # revoked here: its records stay refused
        key_rows = {kid: conn.execute("SELECT node_id, retired_at FROM sync_peer_keys WHERE key_id = ?",
                                      (kid,)).fetchone() for kid, _ in claim.keys.values()}
        if any(r is not None and r[1] is not None for r in key_rows.values()):
            quarantine(claim, "retired_keys")
            continue
        if any(r is not None and r[0] != claim.id for r in key_rows.values()):
            quarantine(claim, "keys_taken")
            continue
        clash = conn.execute("SELECT node_id FROM sync_peers WHERE code = ? AND node_id != ? AND status = 'active'"
                             " AND relation IN ('child', 'descendant')", (claim.code, claim.id)).fetchone()
        if clash is not None:
            quarantine(claim, "code_taken", {"held_by": clash[0]})
            continue
        if row is None or row[1] != sender_id or row[2] != "active":
            if new >= MAX_NEW_NODES:
                quarantine(claim, "too_many_new", {"limit": MAX_NEW_NODES})
                continue
            new += 1
        voucher = json.dumps(claim.envelope, ensure_ascii=False, sort_keys=True)
        conn.execute(
            "INSERT INTO sync_peers (node_id, relation, kind, code, name, parent_code, via, voucher, status,"
            " enrolled_at, updated_at) VALUES (?, 'descendant', ?, ?, ?, ?, ?, ?, 'active', ?, ?)"
            " ON CONFLICT(node_id) DO UPDATE SET kind = excluded.kind, code = excluded.code, name = excluded.name,"
            " parent_code = excluded.parent_code, via = excluded.via, voucher = excluded.voucher,"
            " status = 'active', updated_at = excluded.updated_at",
            (claim.id, claim.kind, claim.code, claim.name, claim.parent_code, sender_id, voucher, now, now))
        current = {kid for kid, _ in claim.keys.values()}
        for purpose, (kid, public) in claim.keys.items():
            conn.execute("INSERT OR IGNORE INTO sync_peer_keys (key_id, node_id, purpose, public_key, added_at)"
                         " VALUES (?, ?, ?, ?, ?)", (kid, claim.id, purpose, public, now))
        marks = ",".join("?" for _ in current)
        conn.execute(f"UPDATE sync_peer_keys SET retired_at = ? WHERE node_id = ? AND retired_at IS NULL"
                     f" AND key_id NOT IN ({marks})", (now, claim.id, *current))
        conn.execute("UPDATE sync_quarantine SET resolved_at = ? WHERE node_id = ? AND via = ?"
                     " AND resolved_at IS NULL", (now, claim.id, sender_id))
    admitted_merged = _admit_merged(conn, merged, sender_id, keys_of, quarantine, now)

    # A node the sender no longer vouches for (it revoked it, or the node moved away) is detached: kept, with
    # its history, but nothing more is taken for it through this child until it is vouched for again.
    admitted = [c.id for c in vouched] + admitted_merged
    marks = ",".join("?" for _ in admitted)
    conn.execute(f"UPDATE sync_peers SET status = 'detached', updated_at = ? WHERE relation = 'descendant'"
                 f" AND via = ? AND status = 'active' AND node_id NOT IN ({marks})", (now, sender_id, *admitted))
    conn.executemany(
        "INSERT INTO sync_quarantine (node_id, kind, code, name, parent_code, via, package_id, reason, detail,"
        " seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(node_id, via, reason) DO UPDATE SET"
        " kind = excluded.kind, code = excluded.code, name = excluded.name, parent_code = excluded.parent_code,"
        " package_id = excluded.package_id, detail = excluded.detail, seen_at = excluded.seen_at,"
        " resolved_at = NULL", quarantined)
    return allowed_origins(conn, sender_id)


def _admit_merged(conn, entries: list[dict], sender_id: str, vouched: dict, quarantine, now: str) -> list[str]:
    """Old nodes merged into a node of this chain (`sync.merge`): taken on the old node's own signed statement,
    checked with its key while that key is in use here; the key is then retired (the old node never sends
    again) and the old node is reached through the sender from now on."""
    from sync.merge import MERGE_FORMAT

    admitted = []
    for entry in entries:
        try:
            document, signatures = read_document(json.dumps(entry["merged"]).encode("utf-8"), MERGE_FORMAT)
            node, into = document["node"], document["merged_into"]["id"]
            if not _text(node.get("id")) or not _text(node.get("code")) or not _text(into):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            quarantine(entry, "unvouched", {"merged": True})
            continue
        if into not in vouched:
            quarantine(entry, "unvouched", {"merged_into": into})
            continue
        row = conn.execute("SELECT relation, via, status, voucher FROM sync_peers WHERE node_id = ?",
                           (node["id"],)).fetchone()
        if row is None or row[0] not in ("child", "descendant"):
            quarantine(entry, "unvouched", {"merged": True})  # a node this one never knew: nothing to check by
            continue
        if row[0] == "descendant" and row[1] == sender_id and row[2] == "active" and row[3] and '"merged"' in row[3]:
            admitted.append(node["id"])  # taken before
            continue
        message = signed_message(MERGE_FORMAT, document)
        keys = [r[0] for r in conn.execute("SELECT public_key FROM sync_peer_keys WHERE node_id = ? AND purpose = ?"
                                           " AND retired_at IS NULL", (node["id"], node_keys.SIGNING)).fetchall()]
        if not any(verifies(k, message, sig) for sig in signatures.values() for k in keys):
            quarantine(entry, "unvouched", {"merged": True})
            continue
        conn.execute("UPDATE sync_peers SET relation = 'descendant', via = ?, voucher = ?, status = 'active',"
                     " updated_at = ? WHERE node_id = ?",
                     (sender_id, json.dumps({"merged": entry["merged"]}, ensure_ascii=False, sort_keys=True), now,
                      node["id"]))
        conn.execute("UPDATE sync_peer_keys SET retired_at = ? WHERE node_id = ? AND retired_at IS NULL",
                     (now, node["id"]))
        conn.execute("UPDATE sync_quarantine SET resolved_at = ? WHERE node_id = ? AND resolved_at IS NULL",
                     (now, node["id"]))
        admitted.append(node["id"])
    return admitted


def allowed_origins(conn, sender_id: str) -> set[str]:
    """The sender and the nodes admitted below it (active): whose records its packages may carry."""
    return {sender_id} | {r[0] for r in conn.execute(
        "SELECT node_id FROM sync_peers WHERE relation = 'descendant' AND via = ? AND status = 'active'",
        (sender_id,)).fetchall()}


def quarantined(session) -> list[dict]:
    """Claims not admitted, newest first, for the officer: {node_id, code, name, kind, via_code, reason, …}."""
    return session.store.query(
        "SELECT q.*, p.code AS via_code, p.name AS via_name FROM sync_quarantine q"
        " LEFT JOIN sync_peers p ON p.node_id = q.via WHERE q.resolved_at IS NULL ORDER BY q.seen_at DESC, q.id")
