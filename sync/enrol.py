"""Trust set-up between a node and its parent: the profile file down, the registration file up.

1. The parent (province, or a district) exports its signed *profile*: node id,
   code, name, public keys, the province profile (plan, targets, deadline,
   receiving body) and the versions of its reference lists.
2. The child imports it: the file must be signed by the key it carries, and
   the fingerprint is shown to be compared by phone. The parent's keys are
   stored; packages will be encrypted to it and receipts checked against it.
3. The child exports its signed *registration*: node id, code, name, kind,
   parent, public keys.
4. The parent imports the registration only with the fingerprint the person
   read out on the phone (`accept_fingerprint`). The child is then enrolled.

A later file from the same node with new keys (a rotation) is accepted without
a phone call when one of its signatures is by a key already known for that node.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from pathlib import Path

import app
from app.reference import periods as profile_versions
from app.records import now_utc
from app.store.keyslots import write_atomic
from sync import keys as node_keys
from sync.codec import canonical, read_document, sign_document, signed_message, unb64, verifies
from sync.errors import (DocumentInvalid, EnrolmentRefused, FingerprintMismatch, FingerprintRequired, NoParent)

PROFILE_FORMAT = "binhan-profile"
REGISTRATION_FORMAT = "binhan-registration"
PROFILE_SUFFIX = ".profile.binhan"
REGISTRATION_SUFFIX = ".registration.binhan"

SIGNING_PURPOSE = node_keys.SIGNING
RANK = {"point": 0, "commune": 1, "district": 2, "province": 3}
KIND_VI = {"point": "điểm", "commune": "xã", "district": "huyện", "province": "tỉnh"}


def jsonable(value):
    """A profile's TOML data as plain JSON values (read-only mappings, tuples and dates included)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    return value


# --- reading peers ------------------------------------------------------------------------------
def parent(session) -> dict | None:
    rows = session.store.query("SELECT * FROM sync_peers WHERE relation = 'parent' AND status = 'active'")
    return rows[0] if rows else None


def require_parent(session) -> dict:
    found = parent(session)
    if found is None:
        raise NoParent()
    return found


def peer(session, node_id: str) -> dict | None:
    rows = session.store.query("SELECT * FROM sync_peers WHERE node_id = ?", (node_id,))
    return rows[0] if rows else None


def children(session) -> list[dict]:
    """Enrolled children and the nodes below them, for the province's registry of communes."""
    return session.store.query(
        "SELECT * FROM sync_peers WHERE relation IN ('child', 'descendant') ORDER BY relation, code")


def peer_key(session, node_id: str, purpose: str) -> dict | None:
    """The peer's key in use for `purpose`."""
    rows = session.store.query(
        "SELECT * FROM sync_peer_keys WHERE node_id = ? AND purpose = ? AND retired_at IS NULL"
        " ORDER BY added_at DESC LIMIT 1", (node_id, purpose))
    return rows[0] if rows else None


def signing_key(session, node_id: str, key_id) -> dict | None:
    """A peer's signing key by id, current or retired (the caller refuses a retired one: `retired_at`)."""
    rows = session.store.query("SELECT key_id, public_key, retired_at FROM sync_peer_keys WHERE key_id = ?"
                               " AND node_id = ? AND purpose = ?", (key_id, node_id, SIGNING_PURPOSE))
    return rows[0] if rows else None


def received_profile(session) -> dict | None:
    """The province profile data received from the parent (the TOML tables as JSON), if any."""
    found = parent(session)
    if not found or not found["profile"]:
        return None
    return json.loads(found["profile"]).get("profile")


# --- checking documents ---------------------------------------------------------------------------
def _invalid(what: str, what_en: str, why: str, why_en: str) -> DocumentInvalid:
    return DocumentInvalid(what=what, what_en=what_en, why=why, why_en=why_en)


def _read_signed(path_or_bytes, file_format: str, what: str, what_en: str) -> tuple[dict, dict, dict]:
    """(document, its keys as {purpose: (key_id, public bytes)}, signatures). Self-signature checked."""
    try:
        data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    except OSError as exc:
        raise _invalid(what, what_en, f"không đọc được tệp: {exc.strerror}", f"cannot read: {exc.strerror}") from None
    try:
        document, signatures = read_document(data, file_format)
        node = document["node"]
        for field in ("id", "kind", "code", "name"):
            if not isinstance(node.get(field), str) or not node[field].strip():
                raise ValueError(field)
        if node["kind"] not in RANK:
            raise ValueError("kind")
        found = {}
        for purpose in node_keys.PURPOSES:
            entry = document["keys"][purpose]
            public = unb64(entry["public"])
            if len(public) != 32 or entry["key_id"] != node_keys.key_id(public):
                raise ValueError("key")
            found[purpose] = (entry["key_id"], public)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _invalid(what, what_en, "không đúng cấu trúc", "malformed") from None
    signing_id, signing_public = found[node_keys.SIGNING]
    message = signed_message(file_format, document)
    if signing_id not in signatures or not verifies(signing_public, message, signatures[signing_id]):
        raise _invalid(what, what_en, "chữ ký không khớp với khóa trong tệp",
                       "the signature does not match the key it carries")
    return document, found, signatures


def _endorsed_by_known_key(session, node_id: str, file_format: str, document: dict, signatures: dict) -> bool:
    """Whether a key already enrolled for `node_id` signed this document (a rotation needs no phone call)."""
    message = signed_message(file_format, document)
    for key_id, signature in signatures.items():
        rows = session.store.query("SELECT public_key FROM sync_peer_keys WHERE key_id = ? AND node_id = ?"
                                   " AND purpose = ? AND retired_at IS NULL", (key_id, node_id, node_keys.SIGNING))
        if rows and verifies(rows[0]["public_key"], message, signature):
            return True
    return False


def _fingerprint_of(document: dict, found: dict) -> str:
    return node_keys.fingerprint(document["node"]["id"], found[node_keys.SIGNING][1], found[node_keys.ENCRYPTION][1])


def _check_fingerprint(document: dict, expected: str, accept: str | None, *, required: bool) -> None:
    node = document["node"]
    if accept is None:
        if required:
            raise FingerprintRequired(name=node["name"], code=node["code"], fingerprint=expected)
        return
    if node_keys.normalise_fingerprint(accept) != node_keys.normalise_fingerprint(expected):
        raise FingerprintMismatch(name=node["name"], code=node["code"])


def _store_peer(conn, document: dict, found: dict, *, relation: str, fingerprint: str,
                profile_json: str | None = None) -> dict:
    """Insert or update the peer and its keys; keys it no longer lists are retired, never deleted."""
    node = document["node"]
    now = now_utc()
    existing = conn.execute("SELECT node_id FROM sync_peers WHERE node_id = ?", (node["id"],)).fetchone()
    values = (relation, node["kind"], node["code"], node["name"], node.get("parent_code"), fingerprint,
              profile_json, now)
    if existing:
        conn.execute("UPDATE sync_peers SET relation = ?, kind = ?, code = ?, name = ?, parent_code = ?, via = NULL,"
                     " fingerprint = ?, profile = coalesce(?, profile), status = 'active', updated_at = ?"
                     " WHERE node_id = ?", (*values, node["id"]))
    else:
        conn.execute("INSERT INTO sync_peers (relation, kind, code, name, parent_code, fingerprint, profile,"
                     " updated_at, node_id, enrolled_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
                     (*values, node["id"], now))
    current_ids = {kid for kid, _ in found.values()}
    changed = False
    for purpose, (kid, public) in found.items():
        if conn.execute("SELECT 1 FROM sync_peer_keys WHERE key_id = ?", (kid,)).fetchone() is None:
            conn.execute("INSERT INTO sync_peer_keys (key_id, node_id, purpose, public_key, added_at)"
                         " VALUES (?, ?, ?, ?, ?)", (kid, node["id"], purpose, public, now))
            changed = True
        # A key already known stays as it is: a retired one is never brought back (`refuse_retired_keys`).
    marks = ",".join("?" for _ in current_ids)
    conn.execute(f"UPDATE sync_peer_keys SET retired_at = ? WHERE node_id = ? AND retired_at IS NULL"
                 f" AND key_id NOT IN ({marks})", (now, node["id"], *current_ids))
    return {"new": existing is None, "keys_changed": changed and existing is not None}


def refuse_retired_keys(session, document: dict, found: dict) -> None:
    """A key retired here (by a rotation or a revocation), or known as another node's, never comes back."""
    node = document["node"]
    for kid, _ in found.values():
        rows = session.store.query("SELECT node_id, retired_at FROM sync_peer_keys WHERE key_id = ?", (kid,))
        if rows and rows[0]["retired_at"] is not None:
            raise EnrolmentRefused(
                vi=f"Tệp của {node['name']} ({node['code']}) mang khóa đã thôi dùng (đã đổi khóa hoặc đã thu hồi "
                   "đăng ký). Khóa đã thôi dùng không bao giờ được tin lại: đơn vị đó phải tạo khóa mới "
                   "(«binhan-cli keys rotate --user admin») rồi gửi tệp mới. Không có gì thay đổi.",
                en=f"{node['name']}'s ({node['code']}) file carries a retired key (its keys were changed or its "
                   "registration revoked). A retired key is never trusted again: that node must make new keys "
                   "(«binhan-cli keys rotate --user admin») and send a new file. Nothing was changed.")
        if rows and rows[0]["node_id"] != node["id"]:
            raise EnrolmentRefused(
                vi=f"Tệp của {node['name']} ({node['code']}) mang khóa của một đơn vị khác. Không có gì thay đổi.",
                en=f"{node['name']}'s ({node['code']}) file carries another node's key. Nothing was changed.")


def _signers(session) -> list:
    signers = [node_keys.current(session, node_keys.SIGNING)] + node_keys.retired_signers(session)
    return [(k.key_id, k.signing_key) for k in signers]


def _write(document_envelope: dict, folder_or_file: Path | None, default_name: str) -> Path:
    target = Path(folder_or_file) if folder_or_file else Path.cwd()
    if target.is_dir():
        target = target / default_name
    write_atomic(target, json.dumps(document_envelope, ensure_ascii=False, indent=1).encode("utf-8"))
    return target


# --- the profile (parent → child) -------------------------------------------------------------------
def profile_document(session) -> dict:
    info = session.node_info
    if RANK.get(info.kind, 0) < RANK["commune"]:
        raise EnrolmentRefused(vi="Chỉ tỉnh, huyện hoặc xã có cấp dưới mới xuất được hồ sơ cho cấp dưới.",
                               en="Only a province, district or a commune with points below it exports a profile.")
    data, code = None, info.profile_code
    upstream = parent(session)
    if upstream and upstream["profile"]:
        received = json.loads(upstream["profile"])
        data, code = received.get("profile"), received.get("profile_code") or code
    elif session.profile is not None:
        data = jsonable(session.profile.raw)
    deadline = None
    receiving = None
    if isinstance(data, dict):
        deadline = data.get("report_deadline")
        receiving = {"vi": data.get("receiving_body_vi"), "en": data.get("receiving_body_en")}
    return {
        "node": {"id": info.id, "kind": info.kind, "code": info.code, "name": info.name},
        "keys": node_keys.public_keys(session),
        "profile_code": code,
        "profile": data,
        "reference_versions": dict(session.reference.version),
        "deadlines": {"annual_report": deadline},
        "receiving_body": receiving,
        "upstream": None if upstream is None else {"id": upstream["node_id"], "kind": upstream["kind"],
                                                   "code": upstream["code"], "name": upstream["name"]},
        "issued_at": now_utc(),
        "app_version": app.__version__,
    }


def export_profile(session, target: Path | None = None) -> Path:
    """Write this node's signed profile file (into a folder, or to a file name)."""
    session.require("sync.run")
    envelope = sign_document(PROFILE_FORMAT, profile_document(session), _signers(session))
    path = _write(envelope, target, f"{session.node_info.code}{PROFILE_SUFFIX}")
    with session.store.transaction() as conn:
        session.audit(conn, "sync.profile.export", detail={"file": path.name})
    return path


def import_profile(session, path, *, accept_fingerprint: str | None = None, replace: bool = False) -> dict:
    """Take the parent's profile. Returns what to show: the parent, its fingerprint, what changed."""
    session.require("sync.run")
    document, found, signatures = _read_signed(path, PROFILE_FORMAT, "hồ sơ tỉnh", "province profile")
    info = session.node_info
    node = document["node"]
    refuse = EnrolmentRefused
    if node["id"] == info.id:
        raise refuse(vi="Đây là hồ sơ của chính đơn vị này, không phải của cấp trên.",
                     en="This is this node's own profile, not its parent's.")
    if RANK[node["kind"]] <= RANK.get(info.kind, 0):
        raise refuse(vi=f"Hồ sơ này của một {KIND_VI[node['kind']]}, không thể là cấp trên của một "
                        f"{KIND_VI.get(info.kind, info.kind)}.",
                     en=f"This profile is of a {node['kind']}, which cannot be the parent of a {info.kind}.")
    if info.parent_code and info.parent_code != node["code"] and not replace:
        raise refuse(vi=f"Hồ sơ này của {node['name']} (mã {node['code']}), nhưng cấp trên của đơn vị này có mã "
                        f"{info.parent_code}. Không nhập.",
                     en=f"This profile is {node['name']}'s (code {node['code']}) but this node's parent has code "
                        f"{info.parent_code}. Not imported.")
    refuse_retired_keys(session, document, found)
    fingerprint = _fingerprint_of(document, found)
    _check_fingerprint(document, fingerprint, accept_fingerprint, required=False)
    current = parent(session)
    if current is not None and current["node_id"] != node["id"] and not replace:
        raise refuse(vi=f"Đơn vị này đang báo cáo cho {current['name']} ({current['code']}). Chỉ chuyển sang "
                        f"{node['name']} khi có quyết định (dùng tùy chọn thay cấp trên).",
                     en=f"This node reports to {current['name']} ({current['code']}). Switch to {node['name']} "
                        "only when so decided (use the replace option).")
    keys_changed = False
    changed: list[str] = []
    if current is not None and current["node_id"] == node["id"]:
        known = {r["key_id"] for r in session.store.query("SELECT key_id FROM sync_peer_keys WHERE node_id = ?",
                                                             (node["id"],))}
        keys_changed = not {kid for kid, _ in found.values()} <= known
        if keys_changed and not _endorsed_by_known_key(session, node["id"], PROFILE_FORMAT, document, signatures):
            _check_fingerprint(document, fingerprint, accept_fingerprint, required=True)
        old = json.loads(current["profile"] or "{}")
        old_version = (old.get("profile") or {}).get("version") if isinstance(old.get("profile"), dict) else None
        new_version = (document.get("profile") or {}).get("version") if isinstance(document.get("profile"), dict) \
            else None
        old_data, new_data = old.get("profile"), document.get("profile")
        if isinstance(old_data, dict) and isinstance(new_data, dict):  # what the parent's new version changed
            changed = sorted(k for k in set(old_data) | set(new_data) if old_data.get(k) != new_data.get(k))
        if isinstance(old_version, int) and isinstance(new_version, int) and new_version < old_version:
            raise refuse(vi=f"Hồ sơ này cũ hơn hồ sơ đang dùng (phiên bản {new_version} < {old_version}). Không nhập.",
                         en=f"This profile is older than the one in use (version {new_version} < {old_version}). "
                            "Not imported.")
    with session.store.transaction() as conn:
        if current is not None and current["node_id"] != node["id"]:
            conn.execute("UPDATE sync_peers SET relation = 'former_parent', status = 'replaced', updated_at = ?"
                         " WHERE node_id = ?", (now_utc(), current["node_id"]))
        outcome = _store_peer(conn, document, found, relation="parent", fingerprint=fingerprint,
                              profile_json=canonical(document).decode("utf-8"))
        # Every version received is kept beside the others: a report for a past period keeps its own.
        profile_versions.keep_received(conn, document.get("profile"), received_at=now_utc(), sender=node["code"])
        moved = replace and info.parent_code != node["code"]
        if moved:  # the 2025 reform: this node now answers to another parent (its district dissolved, …)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('node_parent_code', ?)",
                         (json.dumps(node["code"]),))
        session.audit(conn, "sync.profile.import", table="sync_peers", target=node["id"],
                      detail={"code": node["code"], "fingerprint": fingerprint,
                              "replaced": current is not None and current["node_id"] != node["id"],
                              "moved_from": info.parent_code if moved else None})
    if moved:
        session.__dict__.pop("node_info", None)
        # What the login screen shows, before the database is open; changed under the slot file's lock.
        session.node.slots.change(lambda slots: slots.node.update(parent_code=node["code"]))
    session.refresh_profile()  # targets, deadlines and the receiving body now come from the parent
    return {"node": node, "fingerprint": fingerprint, "profile_code": document.get("profile_code"),
            "new": outcome["new"], "keys_changed": keys_changed, "changed": changed,
            "lineage_warning": profile_versions.lineage_warning(session),  # another province's plan: warned
            "replaced": current is not None and current["node_id"] != node["id"]}


# --- the registration (child → parent) ----------------------------------------------------------------
def registration_document(session) -> dict:
    up = require_parent(session)
    info = session.node_info
    return {
        "node": {"id": info.id, "kind": info.kind, "code": info.code, "name": info.name,
                 "parent_code": info.parent_code},
        "keys": node_keys.public_keys(session),
        "parent": {"id": up["node_id"], "code": up["code"]},
        "issued_at": now_utc(),
        "app_version": app.__version__,
    }


def export_registration(session, target: Path | None = None) -> Path:
    session.require("sync.run")
    envelope = sign_document(REGISTRATION_FORMAT, registration_document(session), _signers(session))
    path = _write(envelope, target, f"{session.node_info.code}{REGISTRATION_SUFFIX}")
    with session.store.transaction() as conn:
        session.audit(conn, "sync.register.export", detail={"file": path.name})
    return path


def read_registration(path) -> dict:
    """What the province shows before accepting: the node and its fingerprint (nothing is stored)."""
    document, found, _ = _read_signed(path, REGISTRATION_FORMAT, "đăng ký", "registration")
    return {"node": document["node"], "fingerprint": _fingerprint_of(document, found),
            "parent": document.get("parent")}


def import_registration(session, path, *, accept_fingerprint: str | None = None) -> dict:
    """Enrol a child. A new child (or new keys without endorsement) needs the phone-checked fingerprint."""
    session.require("sync.run")
    document, found, signatures = _read_signed(path, REGISTRATION_FORMAT, "đăng ký", "registration")
    info = session.node_info
    node = document["node"]
    refuse = EnrolmentRefused
    addressed = document.get("parent") or {}
    if addressed.get("id") not in node_keys.identities(session):
        raise refuse(vi=f"Tệp đăng ký của {node['name']} gửi cho đơn vị khác (mã {addressed.get('code')}), "
                        "không phải đơn vị này. Không đăng ký.",
                     en=f"{node['name']}'s registration is addressed to another node (code "
                        f"{addressed.get('code')}), not this one. Not registered.")
    if node["id"] == info.id or RANK[node["kind"]] >= RANK.get(info.kind, 0):
        raise refuse(vi=f"Một {KIND_VI[node['kind']]} không thể là cấp dưới của {KIND_VI.get(info.kind, info.kind)}"
                        " này.",
                     en=f"A {node['kind']} cannot be below this {info.kind}.")
    if node.get("parent_code") not in (None, "", info.code):
        raise refuse(vi=f"{node['name']} ({node['code']}) ghi cấp trên là mã {node['parent_code']}, không phải đơn vị "
                        f"này ({info.code}). Một đơn vị chỉ đăng ký qua đúng cấp trên của mình; nếu đã chuyển cấp trên, "
                        "đơn vị đó nhập hồ sơ của cấp trên mới trước (tùy chọn thay cấp trên). Không đăng ký.",
                     en=f"{node['name']} ({node['code']}) names code {node['parent_code']} as its parent, not this "
                        f"node ({info.code}). A node registers only through its own parent; after a move it imports "
                        "the new parent's profile first (the replace option). Not registered.")
    clash = session.store.query("SELECT node_id, name, relation FROM sync_peers WHERE code = ? AND node_id != ?"
                                " AND relation IN ('child', 'descendant') AND status = 'active'",
                                (node["code"], node["id"]))
    # A code claimed only by a node relayed from below yields to a registration the officer checks by phone here:
    # that claim is quarantined (shown, never applied) instead of blocking the genuine unit.
    disputed = [c for c in clash if c["relation"] == "descendant"]
    clash = [c for c in clash if c["relation"] == "child"]
    if clash:
        raise refuse(vi=f"Mã {node['code']} đã thuộc về {clash[0]['name']}. Hai đơn vị không được trùng mã; "
                        "hãy kiểm tra lại mã của đơn vị đăng ký.",
                     en=f"Code {node['code']} already belongs to {clash[0]['name']}. Two nodes cannot share a "
                        "code; check the registering node's code.")
    refuse_retired_keys(session, document, found)
    fingerprint = _fingerprint_of(document, found)
    existing = peer(session, node["id"])
    # A revoked child's old keys endorse nothing: whoever holds them (a stolen laptop) must not re-enrol by them.
    endorsed = (existing is not None and existing["relation"] == "child" and existing["status"] == "active"
                and _endorsed_by_known_key(session, node["id"], REGISTRATION_FORMAT, document, signatures))
    _check_fingerprint(document, fingerprint, accept_fingerprint, required=not endorsed)
    with session.store.transaction() as conn:
        now = now_utc()
        for claim in disputed:
            row = conn.execute("SELECT node_id, kind, code, name, parent_code, via FROM sync_peers WHERE node_id = ?",
                               (claim["node_id"],)).fetchone()
            conn.execute("UPDATE sync_peers SET status = 'detached', updated_at = ? WHERE node_id = ?",
                         (now, claim["node_id"]))
            conn.execute("INSERT OR REPLACE INTO sync_quarantine (node_id, kind, code, name, parent_code, via, reason,"
                         " detail, seen_at) VALUES (?, ?, ?, ?, ?, ?, 'code_taken', ?, ?)",
                         (*tuple(row), json.dumps({"held_by": node["id"]}), now))
        outcome = _store_peer(conn, document, found, relation="child", fingerprint=fingerprint)
        session.audit(conn, "sync.register.accept", table="sync_peers", target=node["id"],
                      detail={"code": node["code"], "kind": node["kind"], "fingerprint": fingerprint,
                              "rotation": endorsed})
    return {"node": node, "fingerprint": fingerprint, "new": outcome["new"], "keys_changed": outcome["keys_changed"]}


def revoke_child(session, code: str) -> dict:
    """Stop accepting anything from a node below, however deep (a lost or stolen computer, a unit closed): its
    packages are refused from now on (a child's), nothing more is taken for it through anyone (a descendant's),
    it gets no down-package, and its keys are retired, never to verify anything again. The nodes a revoked child
    vouched for are detached: nothing is taken for them until a registered node vouches for them again. What it
    sent before stays. Undone only by a new registration with new keys, checked by phone."""
    session.require("sync.run")
    rows = session.store.query("SELECT * FROM sync_peers WHERE code = ? AND relation IN ('child', 'descendant')"
                               " AND status IN ('active', 'detached') ORDER BY relation = 'child' DESC", (code,))
    if not rows:
        raise EnrolmentRefused(vi=f"Không có đơn vị cấp dưới nào đang đăng ký với mã {code}.",
                               en=f"No registered node below has the code {code}.")
    child = rows[0]
    now = now_utc()
    with session.store.transaction() as conn:
        conn.execute("UPDATE sync_peers SET status = 'revoked', updated_at = ? WHERE node_id = ?",
                     (now, child["node_id"]))
        conn.execute("UPDATE sync_peer_keys SET retired_at = ? WHERE node_id = ? AND retired_at IS NULL",
                     (now, child["node_id"]))
        detached = conn.execute("UPDATE sync_peers SET status = 'detached', updated_at = ? WHERE via = ?"
                                " AND relation = 'descendant' AND status = 'active'", (now, child["node_id"])).rowcount
        session.audit(conn, "sync.register.revoke", table="sync_peers", target=child["node_id"],
                      detail={"code": child["code"], "kind": child["kind"], "relation": child["relation"],
                              "detached": detached})
    return {**child, "status": "revoked", "updated_at": now}
