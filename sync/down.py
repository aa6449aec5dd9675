"""Down the tree: the parent's package to one child (DESIGN §6, "Down the tree").

The same file format as a package up (`sync.package`: readable header, payload
key sealed to the child, authenticated chunks, the parent's signature over
all of it), with header kind "down" and the suffix `.down.binhan`. Its payload
lines carry the parent's current state for the child, whole each time:

    profile    the parent's signed profile (plan, targets, deadlines, receiving
               body, reference versions, keys), applied as `enrol.import_profile`
               applies a profile file: signatures, same parent, version never lower
    reference  every option list in force at the parent (`sync.reference`): the
               child stores a list only if it is newer than the one it uses
    receipt    the parent's receipt for the child as of now (`sync.receipt`)

Each down-package to a child has a number one higher than the last (counter
`sync.down_seq:<child>` at the parent). The child applies a number once and
never an older one after a newer (`sync.down_in:<parent>`), so a down-package
replayed, duplicated or arriving late changes nothing: the later one already
carried everything. A refused file changes nothing; applying is one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import app
from app.records import new_id, now_utc
from app.store.migrations import CURRENT_VERSION
from sync import enrol, importer, package, receipt
from sync import keys as node_keys
from sync import reference as received_reference
from sync.codec import canonical, canonical_record, sign_document, verifies
from sync.errors import (DownNotFromParent, DownUnknownKey, EnrolmentRefused, FingerprintRequired,
                         PackageAltered, PackageContentInvalid, PackageError, PackageMisaddressed,
                         PackageNotForThisKey, PackageResigned, PackageRetiredKey, ReceiptError)

KIND = "down"
SUFFIX = ".down.binhan"
DOWN_SCHEMA = 1
_SENT = "sync.down_seq:"      # counters, at the parent: the last number built for a child
_APPLIED = "sync.down_in:"    # counters, at the child: the last number applied from the parent


@dataclass
class BuiltDown:
    package_id: str
    child: dict
    down_seq: int
    data: bytes = field(repr=False)
    header: dict = field(repr=False)

    @property
    def file_name(self) -> str:
        h = self.header
        return f"{h['from']['code']}-{h['to']['code']}-down-{self.down_seq}-{self.package_id[-8:]}{SUFFIX}"


@dataclass
class DownResult:
    package_id: str
    sender: dict
    down_seq: int
    verdict: str  # "applied" | "replayed" | "older"
    profile: str = "unchanged"  # "updated" | "unchanged" | "kept_newer" | "needs_fingerprint"
    profile_changes: list[str] = field(default_factory=list)  # the parts of the profile a new version changed
    reference_updated: list[dict] = field(default_factory=list)
    reference_kept: list[dict] = field(default_factory=list)  # older than the list in use: not taken
    receipt: dict | None = None
    receipt_refused: str | None = None
    kept_aside_retried: int = 0
    kept_aside_resent: int = 0  # this node's records the parent kept aside, queued to go again


def is_down(data: bytes) -> bool:
    """Whether these bytes are a down-package (a whole, parseable package whose header says so)."""
    try:
        return package.parse(data).header.get("kind") == KIND
    except PackageError:
        return False


# --- at the parent -------------------------------------------------------------------------------------
def _children(session) -> list[dict]:
    return session.store.query("SELECT * FROM sync_peers WHERE relation = 'child' AND status = 'active'"
                               " ORDER BY code")


def build(session, child_id: str) -> BuiltDown:
    """The down-package for one enrolled child: profile, reference lists and a receipt, as of now."""
    session.require("sync.run")
    child = enrol.peer(session, child_id)
    if child is None or child["relation"] != "child" or child["status"] != "active":
        raise ValueError("not an enrolled child")
    child_key = enrol.peer_key(session, child_id, node_keys.ENCRYPTION)
    if child_key is None:
        raise ValueError("the child has no encryption key in use")
    signer = node_keys.current(session, node_keys.SIGNING)
    info = session.node_info
    profile = sign_document(enrol.PROFILE_FORMAT, enrol.profile_document(session), enrol._signers(session))
    lists = received_reference.effective(session)
    _, receipt_bytes = receipt.build(session, child_id)
    lines = [canonical_record({"table": "profile", "record": {"envelope": profile}})]
    lines += [canonical_record({"table": "reference", "record": received_reference.list_to_json(lists[name])})
              for name in lists]
    lines.append(canonical_record({"table": "receipt", "record": {"envelope": json.loads(receipt_bytes)}}))
    with session.store.transaction() as conn:
        name = _SENT + child_id
        conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (name,))
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        down_seq = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]
        package_id = new_id()
        header = {
            "kind": KIND, "format": package.FORMAT, "package_id": package_id, "set_id": package_id,
            "part": 1, "parts": 1,
            "from": {"id": info.id, "kind": info.kind, "code": info.code, "name": info.name},
            "to": {"id": child_id, "code": child["code"], "name": child["name"]},
            "sender_key_id": signer.key_id, "recipient_key_id": child_key["key_id"],
            "seq_from": down_seq, "seq_to": down_seq, "schema_version": DOWN_SCHEMA,
            "db_schema": CURRENT_VERSION, "created": now_utc(), "app_version": app.__version__,
            "compression": package.COMPRESSION,
        }
        manifest = {key: header[key] for key in package.HEADER_IDENTITY}
        manifest.update({"from": info.id, "to": child_id, "counts": _counts(lines)})
        payload = package.zlib.compress(package.encode_payload(manifest, lines), 6)
        data = package.seal(header, payload, signer.signing_key, child_key["public_key"])
        session.audit(conn, "sync.down.build", target=package_id,
                      detail={"to": child["code"], "down_seq": down_seq, "lists": len(lists)})
    return BuiltDown(package_id, child, down_seq, data, package.parse(data).header)


def _counts(lines: list[bytes]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        table = json.loads(line)["table"]
        counts[table] = counts.get(table, 0) + 1
    return counts


def build_all(session) -> list[BuiltDown]:
    """A down-package for every enrolled child (none at a node without children)."""
    return [build(session, child["node_id"]) for child in _children(session)]


def write(built: list[BuiltDown], folder) -> list[Path]:
    from app.store.keyslots import write_atomic

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for b in built:
        write_atomic(folder / b.file_name, b.data)
        paths.append(folder / b.file_name)
    return paths


# --- at the child ----------------------------------------------------------------------------------------
def verify(session, data: bytes) -> package.Parsed:
    """A down-package from this node's parent, addressed here, signature intact. Nothing decrypted yet."""
    parsed = package.parse(data)
    header = parsed.header
    importer._check_header(header)
    if header.get("kind") != KIND:
        raise PackageContentInvalid(what="not a down-package")
    if header["to"]["id"] not in node_keys.identities(session):
        raise PackageMisaddressed(to=importer._peer_label(header["to"]))
    up = enrol.parent(session)
    if up is None or up["node_id"] != header["from"]["id"]:
        raise DownNotFromParent(sender=importer._peer_label(header["from"]))
    key = enrol.signing_key(session, up["node_id"], header["sender_key_id"])
    if key is None:
        raise DownUnknownKey(sender=f"{up['name']} ({up['code']})")
    if key["retired_at"] is not None:
        raise PackageRetiredKey(sender=f"{up['name']} ({up['code']})")
    if not verifies(key["public_key"], parsed.signed, parsed.signature):
        raise PackageAltered()
    return parsed


def _open(session, parsed: package.Parsed) -> tuple[dict, list[tuple[str, dict]]]:
    header = parsed.header
    pair = node_keys.by_id(session, header["recipient_key_id"], node_keys.ENCRYPTION)
    if pair is None or pair.node_id != header["to"]["id"]:
        raise PackageNotForThisKey()
    manifest, lines = package.decode_payload(package.inflate(header, package.decrypt(parsed, pair.box_key)))
    for key in package.HEADER_IDENTITY:
        inner, outer = manifest.get(key), header.get(key)
        if key in ("from", "to"):
            outer = outer.get("id") if isinstance(outer, dict) else outer
        if inner != outer:
            raise PackageResigned()
    return manifest, lines


def applied_seq(session, parent_id: str) -> int:
    return session.store.scalar("SELECT value FROM counters WHERE name = ?", (_APPLIED + parent_id,)) or 0


def apply(session, source) -> DownResult:
    """Verify, decrypt and apply a down-package (path or bytes). A refused one raises and changes nothing."""
    session.require("sync.run")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    parsed = verify(session, data)
    header = parsed.header
    down_seq = header["seq_to"]
    result = DownResult(header["package_id"], header["from"], down_seq, "applied")
    manifest, lines = _open(session, parsed)
    if header["schema_version"] > DOWN_SCHEMA:
        raise PackageContentInvalid(what=f"down schema {header['schema_version']}")
    parent_id = header["from"]["id"]
    last = applied_seq(session, parent_id)
    if down_seq <= last:
        result.verdict = "replayed" if down_seq == last else "older"
        return result
    now = now_utc()
    with session.store.transaction() as conn:
        for table, record in lines:
            if table == "profile":
                result.profile = _apply_profile(session, record, result)
            elif table == "reference":
                _apply_list(session, conn, record, parent_id, now, result)
            elif table == "receipt":
                _apply_receipt(session, record, result)
            # a later release may send more kinds of line: an older child leaves them alone
        conn.execute("INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (_APPLIED + parent_id, down_seq))
        session.audit(conn, "sync.down.apply", target=header["package_id"],
                      detail={"from": header["from"].get("code"), "down_seq": down_seq, "profile": result.profile,
                              "lists": [f"{u['list']} {u['from_version']}→{u['version']}"
                                        for u in result.reference_updated],
                              "receipt": None if result.receipt is None else result.receipt["acknowledged_through"]})
    if result.reference_updated and session.store.scalar(
            "SELECT 1 FROM kept_aside WHERE resolved_at IS NULL LIMIT 1"):
        # Records kept aside below for codes unknown here may fit the newer lists.
        result.kept_aside_retried = importer.retry_kept_aside(session)
    if result.reference_updated or result.profile == "updated":
        # What the parent kept aside may fit its lists now (or be mended here with the new codes): send it again.
        result.kept_aside_resent = receipt.resend_kept(session)
    return result


def _apply_profile(session, record: dict, result: DownResult) -> str:
    envelope = record.get("envelope") if isinstance(record, dict) else None
    if not isinstance(envelope, dict):
        raise PackageContentInvalid(what="profile")
    up = enrol.parent(session)
    stored = json.loads(up["profile"]) if up and up["profile"] else {}
    document = envelope.get("document")
    if isinstance(document, dict) and _same(document, stored):
        return "unchanged"
    try:
        shown = enrol.import_profile(session, canonical(envelope))
        result.profile_changes = [k for k in shown.get("changed") or [] if k != "version"]
    except FingerprintRequired:
        return "needs_fingerprint"  # new keys not endorsed by the old ones: the profile file and a phone call
    except EnrolmentRefused:
        return "kept_newer"
    return "updated"


def _same(document: dict, stored: dict) -> bool:
    def strip(d):
        return {k: v for k, v in d.items() if k != "issued_at"}
    return strip(document) == strip(stored)


def _apply_list(session, conn, record, parent_id: str, now: str, result: DownResult) -> None:
    try:
        lst = received_reference.list_from_json(record)
    except ValueError as exc:
        raise PackageContentInvalid(what=f"reference list ({exc})") from None
    in_use = received_reference.effective(session)
    current = in_use[lst.name].version if lst.name in in_use else 0
    if lst.version > current:
        received_reference.store(conn, lst.name, record, parent_id, now)
        session.refresh_reference()  # forms and validation see the new codes from now on
        result.reference_updated.append({"list": lst.name, "from_version": current, "version": lst.version})
    elif lst.version < current:
        result.reference_kept.append({"list": lst.name, "version": current, "offered": lst.version})


def _apply_receipt(session, record: dict, result: DownResult) -> None:
    envelope = record.get("envelope") if isinstance(record, dict) else None
    if not isinstance(envelope, dict):
        raise PackageContentInvalid(what="receipt")
    try:
        result.receipt = receipt.apply(session, canonical(envelope))
    except ReceiptError as exc:
        # Only a verified receipt moves the mark; the rest of the package still counts.
        result.receipt_refused = exc.reason
