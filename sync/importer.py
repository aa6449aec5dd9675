"""Import at the parent: verify, then decrypt, then apply — all of it or nothing.

Order of checks (each refusal has its own message, and a refused package
changes nothing in the database):

1. the file is a Bình An package, whole (foreign / newer format / cut short);
2. it is addressed to this node (misaddressed);
3. it comes from an enrolled child, signed with that child's key (unknown
   sender / signed with another node's key / unknown key), and the Ed25519
   signature holds (altered) — all *before* anything is decrypted;
4. it is encrypted for a key this node holds; the same package id was not
   imported before with other bytes (a byte-identical replay is a no-op);
5. it decrypts (damaged / cut-short stream), and the manifest inside names
   the same sender, recipient, package, range and keys as the header (re-signed).

Then every record is applied in one transaction. A record replaces the stored
copy only if it is newer: higher revision, then later `updated_at`, then the
larger SHA-256 of its content — a total order, so any delivery order converges
to the same state. A record with an unknown code, a newer shape, an
unexpected field or a clash is kept aside (table `kept_aside`) and reported in
the receipt, never dropped. Records applied here are appended to this node's
outbox, so a district passes its communes' records on up.
"""

from __future__ import annotations

import gc
import hashlib
import json
import queue
import sys
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.records import now_utc
from app.sync_allow import SPEC, SYNC_SCHEMA, check, keep_only_allowed, store_many
from sync import enrol
from sync import keys as node_keys
from sync import reference as received_reference
from sync.codec import canonical, canonical_record, verifies
from sync import refusals, vouch
from sync.errors import (PackageAltered, PackageError, PackageMisaddressed, PackageNotForThisKey,
                         PackageReplayedChanged, PackageResigned, PackageRetiredKey, PackageRevoked, PackageUnknownKey,
                         PackageUnknownSender, PackageWrongSigner)
from sync.package import HEADER_IDENTITY, Parsed, decode_payload, decrypt, inflate, parse


_BATCH = 500  # ids per query


@dataclass
class ImportResult:
    package_id: str
    sender: dict
    recipient_id: str
    verdict: str  # "applied" | "replayed"
    seq_from: int
    seq_to: int
    records: int = 0
    applied: int = 0
    unchanged: int = 0
    kept_aside: list[dict] = field(default_factory=list)
    part: int = 1
    parts: int = 1
    retried: int = 0  # records kept aside earlier that fit once this package was applied


def _text(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _check_header(header: dict) -> None:
    """The header fields the checks rely on, well-formed (an ill-formed header is an altered file)."""
    try:
        ok = (_text(header["package_id"]) and _text(header["set_id"]) and _text(header["from"]["id"])
              and _text(header["from"]["code"]) and _text(header["to"]["id"]) and _text(header["sender_key_id"])
              and _text(header["recipient_key_id"]))
        for key in ("seq_from", "seq_to", "part", "parts", "schema_version"):
            ok = ok and isinstance(header[key], int) and not isinstance(header[key], bool)
        ok = ok and header["seq_from"] >= 1 and header["seq_to"] >= header["seq_from"] - 1
        ok = ok and 1 <= header["part"] <= header["parts"]
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise PackageAltered()


def _peer_label(header_node: dict) -> str:
    name, code = header_node.get("name"), header_node.get("code")
    return f"{name} ({code})" if name else str(code)


def verify(session, data: bytes) -> Parsed:
    """Steps 1–3: a package from an enrolled child, addressed here, signature intact. Nothing decrypted."""
    parsed = parse(data)
    header = parsed.header
    _check_header(header)
    if header["to"]["id"] not in node_keys.identities(session):
        raise PackageMisaddressed(to=_peer_label(header["to"]))
    sender = enrol.peer(session, header["from"]["id"])
    if sender is not None and sender["relation"] == "child" and sender["status"] == "revoked":
        raise PackageRevoked(sender=f"{sender['name']} ({sender['code']})")
    if sender is None or sender["relation"] != "child" or sender["status"] != "active":
        raise PackageUnknownSender(sender=_peer_label(header["from"]))
    label = f"{sender['name']} ({sender['code']})"
    key = session.store.query("SELECT node_id, public_key, retired_at FROM sync_peer_keys WHERE key_id = ?"
                              " AND purpose = ?", (header["sender_key_id"], node_keys.SIGNING))
    if not key:
        if session.store.scalar("SELECT 1 FROM sync_keys WHERE key_id = ?", (header["sender_key_id"],)):
            raise PackageWrongSigner(sender=label)
        raise PackageUnknownKey(sender=label)
    if key[0]["node_id"] != sender["node_id"]:
        raise PackageWrongSigner(sender=label)
    if key[0]["retired_at"] is not None:
        raise PackageRetiredKey(sender=label)  # rotated away or revoked: never verifies anything again
    if not verifies(key[0]["public_key"], parsed.signed, parsed.signature):
        raise PackageAltered()
    return parsed


def open_payload(session, parsed: Parsed) -> tuple[dict, list[tuple[str, dict]]]:
    """Step 5: decrypt and check the inner identity against the header."""
    header = parsed.header
    pair = node_keys.by_id(session, header["recipient_key_id"], node_keys.ENCRYPTION)
    if pair is None or pair.node_id != header["to"]["id"]:
        raise PackageNotForThisKey()
    manifest, records = decode_payload(inflate(header, decrypt(parsed, pair.box_key)))
    for key in HEADER_IDENTITY:
        inner, outer = manifest.get(key), header.get(key)
        if key in ("from", "to"):
            outer = outer.get("id") if isinstance(outer, dict) else outer
        if inner != outer:
            raise PackageResigned()
    return manifest, records


def _newer(candidate: tuple, stored: tuple | None) -> bool:
    return stored is None or candidate > stored


_ASIDE = ("INSERT OR IGNORE INTO kept_aside (package_id, from_node, table_name, record_id, origin, rev, reason,"
          " detail, record, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _aside(package_id: str, sender_id: str, table: str, record, reason: str, detail,
           malformed: Sequence[str] = ()) -> tuple[dict, tuple]:
    """(the receipt's entry, the `kept_aside` row) of a record that cannot be applied, cut to its allowed
    fields; a malformed value is not kept (it could be anything, even free text), only the fact that it was
    there."""
    clean = keep_only_allowed(table, record)
    for path in malformed:
        field = path.split("[")[0].split(".")[0]
        if field in clean:
            clean[field] = None
    entry = {"table": table, "record_id": clean.get("id"), "origin": clean.get("origin"), "rev": clean.get("rev"),
             "reason": reason, "detail": detail}
    row = (package_id, sender_id, table, entry["record_id"], entry["origin"],
           entry["rev"] if isinstance(entry["rev"], int) else None, reason,
           json.dumps(detail, ensure_ascii=False), canonical(clean).decode("utf-8"), now_utc())
    return entry, row


def _keep_aside(conn, package_id: str, sender_id: str, table: str, record, reason: str, detail,
                malformed: Sequence[str] = ()) -> dict:
    """Store a record that cannot be applied (see `_aside`) and return the receipt's entry."""
    entry, row = _aside(package_id, sender_id, table, record, reason, detail, malformed)
    conn.execute(_ASIDE, row)
    return entry


class _Writer:
    """The writes of one apply, run in order on a second thread while the caller goes on checking records.

    SQLite lets go of Python's lock while it writes, so on two cores the checking of the next records and
    the writing of the last ones overlap. Until `stop`, only this thread touches the connection (the caller
    holds the store's lock and its transaction throughout, and hands every write over with `submit`). The
    first error stops the writing; `submit` and `raise_error` raise it again in the caller, whose
    transaction is then rolled back whole.
    """

    def __init__(self, conn):
        self.conn = conn
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.abandon = False
        self.thread = threading.Thread(target=self._run, name="sync-apply-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None and not self.abandon:
                try:
                    job[0](self.conn, *job[1:])
                except BaseException as exc:  # handed to the caller (`raise_error`), never swallowed
                    self.error = exc

    def submit(self, fn, *args) -> None:
        self.raise_error()
        self.jobs.put((fn, *args))

    def stop(self, *, abandon: bool = False) -> None:
        """Wait until every write handed over is done (or, `abandon`: until the one under way is)."""
        self.abandon = self.abandon or abandon
        self.jobs.put(None)
        self.thread.join()

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error


def _write_aside(conn, row: tuple) -> None:
    conn.execute(_ASIDE, row)


def _write_accepted(conn, batch: list[tuple[str, dict, bytes, bool]]) -> None:
    """Store accepted records, (table, record, canonical JSON, fresh) each, a table at a time."""
    by_table: dict[str, list[tuple[dict, bytes, bool]]] = {}
    for table, record, text, fresh in batch:
        by_table.setdefault(table, []).append((record, text, fresh))
    for table, items in by_table.items():
        store_many(conn, table, [record for record, _, _ in items], texts=[text for _, text, _ in items],
                   fresh={record["id"] for record, _, fresh in items if fresh})


def _write_resolved(conn, now: str, table: str, record_id: str, rev: int) -> None:
    conn.execute("UPDATE kept_aside SET resolved_at = ? WHERE table_name = ? AND record_id = ? AND rev <= ?"
                 " AND resolved_at IS NULL", (now, table, record_id, rev))


def _write_versions(conn, version_rows: list[tuple], outbox_rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO sync_versions (table_name, record_id, origin, rev, updated_at, digest, withheld, via,"
        " package_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(table_name, record_id) DO UPDATE SET"
        " rev = excluded.rev, updated_at = excluded.updated_at, digest = excluded.digest,"
        " withheld = excluded.withheld, via = excluded.via, package_id = excluded.package_id", version_rows)
    # Records applied here travel on up with this node's next package (a district passes its communes' on).
    conn.executemany("INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES (?, ?, ?, ?)", outbox_rows)


def _preload(conn, records: list[tuple[str, dict]]) -> tuple[dict, dict, dict, dict[str, str]]:
    """What is stored here for the package's records, in a few queries: versions, owners, case codes."""
    ids: dict[str, set] = {}
    codes: set = set()
    for table, record in records:
        if table in SPEC and isinstance(record, dict) and isinstance(record.get("id"), str):
            ids.setdefault(table, set()).add(record["id"])
            if table == "cases" and isinstance(record.get("code"), str):
                codes.add(record["code"])
    versions: dict = {}
    owners: dict = {}
    holders: dict[str, str] = {}
    for table, wanted_ids in ids.items():
        wanted = sorted(wanted_ids)
        for i in range(0, len(wanted), _BATCH):
            chunk = wanted[i:i + _BATCH]
            marks = ",".join("?" for _ in chunk)
            for row in conn.execute("SELECT record_id, rev, updated_at, digest, origin FROM sync_versions"
                                    f" WHERE table_name = ? AND record_id IN ({marks})", (table, *chunk)):
                versions[(table, row[0])] = tuple(row[1:])
            for row in conn.execute(f"SELECT id, origin FROM {table} WHERE id IN ({marks})", chunk):
                owners[(table, row[0])] = row[1]
    code_list = sorted(codes)
    for i in range(0, len(code_list), _BATCH):
        chunk = code_list[i:i + _BATCH]
        for code, case_id in conn.execute(f"SELECT code, id FROM cases WHERE code IN ({','.join('?' for _ in chunk)})",
                                          chunk):
            holders[code] = case_id
    # For a code another case holds here: the highest code held under the same prefix (node, year), so a child
    # that restored a backup and numbered a new case again from below takes a code above all of them at once.
    highest: dict[str, str] = {}
    for prefix in sorted({code.rsplit("-", 1)[0] for code in holders}):
        top = conn.execute("SELECT max(code) FROM cases WHERE deleted IN (0, 1) AND code > ? AND code < ?",
                           (prefix + "-", prefix + "-:")).fetchone()[0]
        if top is not None:
            highest[prefix] = top
    return versions, owners, holders, highest


_CHUNK = 1000  # accepted records handed to the writer at a time
_SWITCH_INTERVAL = 0.0005  # seconds: how long the writer may wait for Python's lock (see `apply_records`)


def apply_records(session, conn, *, package_id: str, sender_id: str, schema_version: int, manifest: dict,
                  records: list[tuple[str, dict]], result: ImportResult, origins: set[str] | None = None) -> None:
    """Apply inside the caller's transaction. See the module docstring for the rules.

    Every record is decided here, in order; the writes go, in the same order, to a `_Writer`, a chunk of
    accepted records at a time. A record accepted again later in the same package (a newer copy) replaces
    the one still waiting, or, once that was written, is written again over it.
    """
    reference = received_reference.effective(session)
    own = node_keys.identities(session)
    if origins is None:  # a package: admit the nodes it vouches for below its sender (`sync.vouch`)
        sender = enrol.peer(session, sender_id)
        if sender is None:  # the package's signature was checked against this enrolled sender's key before
            raise ValueError("the sender is not enrolled")
        origins = vouch.admit(session, conn, sender, manifest, package_id)
    now = now_utc()
    if not 1 <= schema_version <= SYNC_SCHEMA:  # a shape this node does not know (0, −7, or a newer one)
        reason = "newer_schema" if schema_version > SYNC_SCHEMA else "unknown_schema"
        for table, record in records:
            result.kept_aside.append(_keep_aside(conn, package_id, sender_id, table, record, reason,
                                                 {"schema_version": schema_version}))
        return
    versions, owners, holders, highest = _preload(conn, records)
    anything_aside = conn.execute("SELECT 1 FROM kept_aside WHERE resolved_at IS NULL LIMIT 1").fetchone() is not None
    # Each time SQLite finishes a statement the writer needs Python's lock back, and by default waits up to
    # 5 ms for this thread to hand it over: with ~10 statements a chunk that is most of a second lost on
    # 10 000 records. A shorter switch interval while both run (restored after) keeps the writer busy.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, _SWITCH_INTERVAL))
    writer = _Writer(conn)
    try:
        _decide(writer, records, package_id=package_id, sender_id=sender_id, reference=reference, own=own,
                origins=origins, now=now, versions=versions, owners=owners, holders=holders, highest=highest,
                anything_aside=anything_aside, result=result, reconcile=manifest.get("reconcile") is True)
    except BaseException:
        writer.stop(abandon=True)
        raise
    finally:
        sys.setswitchinterval(interval)
    writer.stop()
    writer.raise_error()


def _decide(writer: _Writer, records, *, package_id, sender_id, reference, own, origins, now, versions, owners,
            holders, anything_aside, result, reconcile=False, highest=None) -> None:
    codes_held: dict[str, list[str]] = {}  # case id → the codes it holds here (holders, the other way round)
    for code, held in holders.items():
        codes_held.setdefault(held, []).append(code)
    stored = set(owners)  # ids with a copy here (before this package, or written by it already)
    waiting: dict[tuple[str, str], tuple[str, dict, bytes, bool]] = {}  # accepted, not yet handed over
    version_rows, outbox_rows = [], []

    def aside(table, record, reason, detail, malformed=()):
        entry, row = _aside(package_id, sender_id, table, record, reason, detail, malformed)
        result.kept_aside.append(entry)
        writer.submit(_write_aside, row)

    def hand_over():
        batch = list(waiting.values())
        waiting.clear()
        stored.update((table, record["id"]) for table, record, _, _ in batch)
        writer.submit(_write_accepted, batch)

    for table, record in records:
        problems = check(table, record, reference)
        if problems:
            reasons = [p.reason for p in problems]
            reason = next(r for r in ("unknown_code", "unexpected_field", "malformed", "invalid") if r in reasons)
            aside(table, record, reason, [p.as_dict() for p in problems],
                  [p.field for p in problems if p.reason == "malformed"])
            continue
        record_id, origin = record["id"], record["origin"]
        if origin in own or origin not in origins:
            held = versions.get((table, record_id))
            if origin not in own and held is not None and held[3] == origin and record["rev"] <= held[0]:
                # A copy relayed by a former parent at a revision already held from its owner: nothing new. By the
                # revision alone: the former parent's rendering of it may differ (it generalises what it passes
                # on), and the owner's own copy is the one that counts.
                result.unchanged += 1
                continue
            aside(table, record, "foreign_origin", {"origin": origin})
            continue
        key = (table, record_id)
        version, owner = versions.get(key), owners.get(key)
        if (owner is not None and version is None) or (version is not None and version[3] != origin):
            # The id is taken here by a record of another owner: never overwrite it.
            aside(table, record, "id_taken", {"origin": origin})
            continue
        text = canonical_record(record)
        digest = hashlib.sha256(text).hexdigest()
        candidate = (record["rev"], record["updated_at"], digest)
        if not _newer(candidate, None if version is None else version[:3]):
            if version is not None and digest != version[2] and (reconcile or record["rev"] == version[0]):
                # Not older than ours by its revision alone, yet different: the child restored a backup. Tell it
                # the revision held here (the receipt lists it), so it lifts its own above and both converge.
                aside(table, record, "stale_revision", {"held_rev": version[0]})
                continue
            result.unchanged += 1
            if anything_aside:  # a copy kept aside (relayed by a former parent, say) is no longer waiting
                writer.submit(_write_resolved, now, table, record_id, version[0])
            continue
        withheld = bool(record.get("withheld"))
        if table == "cases" and not withheld and holders.get(record["code"], record_id) != record_id:
            detail = {"code": record["code"]}
            top = (highest or {}).get(record["code"].rsplit("-", 1)[0])
            if top is not None:
                detail["highest_held"] = top  # the sender takes a code above it (`sync.receipt`)
            aside(table, record, "code_conflict", detail)
            continue
        waiting.pop(key, None)
        waiting[key] = (table, record, text, key not in stored)
        versions[key] = (*candidate, origin)
        if withheld:
            owners.pop(key, None)
            if table == "cases":
                for code in codes_held.pop(record_id, ()):
                    if holders.get(code) == record_id:
                        del holders[code]
        else:
            owners[key] = origin
            if table == "cases":
                holders[record["code"]] = record_id
                codes_held.setdefault(record_id, []).append(record["code"])
        version_rows.append((table, record_id, origin, record["rev"], record["updated_at"], digest, int(withheld),
                             sender_id, package_id))
        outbox_rows.append((table, record_id, record["rev"], now))
        if anything_aside:
            writer.submit(_write_resolved, now, table, record_id, record["rev"])
        result.applied += 1
        if len(waiting) >= _CHUNK:
            hand_over()
    hand_over()
    writer.submit(_write_versions, version_rows, outbox_rows)


@contextmanager
def _collector_paused():
    """Python's cycle collector off while a package is read and applied, on again after (if it was on).

    A package of 10 000 cases is read into about a million dicts, lists and tuples, none of them in a cycle.
    With the collector on, every 700 new ones started a pass, and its full passes walked every object alive,
    these records too (~0.3 s of ~1.7 s of CPU in bench/sync_bench.py). Nothing is put off: what the import
    leaves behind is freed by reference counting as before, and the collector finds any cycle at its next pass.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def import_package(session, source, *, name: str | None = None, via: str = "folder") -> ImportResult:
    """Verify, decrypt and apply one package file (path or bytes). Raises a PackageError and changes nothing
    when the package is refused; the refusal is written in the log beside the database (`sync.refusals`)
    under `name` (the file's own name for a path) and `via` (how it came: folder, email, http)."""
    session.require("sync.run")
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        with _collector_paused():
            result = _import(session, data)
    except PackageError as refusal:
        refusals.record(session, name or (Path(source).name if not isinstance(source, bytes) else via), refusal,
                        data=data, via=via)
        raise
    if result.verdict == "applied" and session.store.scalar(
            "SELECT 1 FROM kept_aside WHERE from_node = ? AND resolved_at IS NULL AND package_id != ?"
            " AND reason != 'stale_revision' LIMIT 1", (result.sender["id"], result.package_id)):
        # What this child sent before and was kept aside may fit now (a node admitted, a newer record stored).
        result.retried = retry_kept_aside(session, from_node=result.sender["id"],
                                          exclude_package=result.package_id, limit=AUTO_RETRY_LIMIT)
    return result


def _import(session, data: bytes) -> ImportResult:
    parsed = verify(session, data)
    header = parsed.header
    result = ImportResult(package_id=header["package_id"], sender=header["from"], recipient_id=header["to"]["id"],
                          verdict="applied", seq_from=header["seq_from"], seq_to=header["seq_to"],
                          part=header["part"], parts=header["parts"])
    seen = session.store.query("SELECT sha256, records FROM sync_inbox WHERE package_id = ?", (header["package_id"],))
    if seen:
        if seen[0]["sha256"] != parsed.sha256:
            raise PackageReplayedChanged(package_id=header["package_id"])
        result.verdict = "replayed"
        result.records = seen[0]["records"]
        return result
    manifest, records = open_payload(session, parsed)
    result.records = len(records)
    sender_id = header["from"]["id"]
    with session.store.transaction() as conn:
        # Another process may have imported it since the look above (two imports at once): ask again under the lock.
        seen = conn.execute("SELECT sha256, records FROM sync_inbox WHERE package_id = ?",
                            (header["package_id"],)).fetchone()
        if seen:
            if seen[0] != parsed.sha256:
                raise PackageReplayedChanged(package_id=header["package_id"])
            result.verdict, result.records = "replayed", seen[1]
            return result
        apply_records(session, conn, package_id=header["package_id"], sender_id=sender_id,
                      schema_version=header["schema_version"], manifest=manifest, records=records, result=result)
        _witness(conn, sender_id, header, manifest.get("audit_head"))
        conn.execute(
            "INSERT INTO sync_inbox (package_id, from_node, set_id, part, parts, seq_from, seq_to, sha256, size,"
            " created_at, received_at, records, applied, unchanged, kept_aside)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (header["package_id"], sender_id, header["set_id"], header["part"], header["parts"], header["seq_from"],
             header["seq_to"], parsed.sha256, len(data), header.get("created"), now_utc(), len(records),
             result.applied, result.unchanged, len(result.kept_aside)))
        session.audit(conn, "sync.package.import", table="sync_inbox", target=header["package_id"],
                      detail={"from": header["from"]["code"], "seq_from": header["seq_from"],
                              "seq_to": header["seq_to"], "records": len(records), "applied": result.applied,
                              "kept_aside": len(result.kept_aside)})
    return result


def _witness(conn, sender_id: str, header: dict, reported) -> None:
    """Keep the child's audit-chain head as its packages report it. A newer package (by when it was built) whose
    head has fewer entries, or as many with another hash, means the child's log was cut or its database rolled
    back (a restore): noted as a problem for the officer, and the witness keeps the furthest head seen."""
    if not isinstance(reported, dict):
        return
    seq, digest, built = reported.get("seq"), reported.get("hash"), header.get("created")
    if type(seq) is not int or not 0 <= seq < 2**62 or not isinstance(digest, str) or len(digest) != 64 \
            or not isinstance(built, str):
        return
    now = now_utc()
    row = conn.execute("SELECT audit_seq, audit_hash, built_at FROM sync_witness WHERE node_id = ?",
                       (sender_id,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO sync_witness (node_id, audit_seq, audit_hash, package_id, built_at, seen_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (sender_id, seq, digest, header["package_id"], built, now))
        return
    if row[2] is not None and built < row[2]:
        return  # an older package arriving late says nothing about now
    if seq < row[0] or (seq == row[0] and digest != row[1]):
        problem = {"had": {"seq": row[0], "hash": row[1]}, "now": {"seq": seq, "hash": digest},
                   "package_id": header["package_id"]}
        conn.execute("UPDATE sync_witness SET problem = ?, problem_at = ?, built_at = ? WHERE node_id = ?",
                     (json.dumps(problem), now, built, sender_id))
        return
    conn.execute("UPDATE sync_witness SET audit_seq = ?, audit_hash = ?, package_id = ?, built_at = ?, seen_at = ?"
                 " WHERE node_id = ?", (seq, digest, header["package_id"], built, now, sender_id))


def witness_problems(session) -> list[dict]:
    """Children whose audit-chain head went backwards: {node_id, code, name, had, now, at}."""
    out = []
    for r in session.store.query("SELECT w.node_id, w.problem, w.problem_at, p.code, p.name FROM sync_witness w"
                                 " LEFT JOIN sync_peers p ON p.node_id = w.node_id WHERE w.problem IS NOT NULL"
                                 " ORDER BY w.problem_at DESC"):
        problem = json.loads(r["problem"])
        out.append({"node_id": r["node_id"], "code": r["code"], "name": r["name"], "had": problem["had"],
                    "now": problem["now"], "at": r["problem_at"]})
    return out


def contiguous_high(session, child_id: str) -> int:
    """The highest sequence N such that every sequence 1..N of the child arrived here."""
    high = 0
    for row in session.store.query("SELECT seq_from, seq_to FROM sync_inbox WHERE from_node = ?"
                                   " ORDER BY seq_from, seq_to", (child_id,)):
        if row["seq_from"] > high + 1:
            break
        high = max(high, row["seq_to"])
    return high


AUTO_RETRY_LIMIT = 5000  # records retried after a package: a child cannot make every import re-read a flood


def retry_kept_aside(session, *, from_node: str | None = None, exclude_package: str | None = None,
                     limit: int | None = None) -> int:
    """Apply again the records kept aside (newer reference data arrived, a node was admitted since): each sender's
    in one pass, in the order they came. Returns how many now fit; the rest stay aside with their reason.

    Only what an active child sent is retried (a revoked child's records stay aside), and never a
    `stale_revision` (that one waits for the child's next revision)."""
    session.require("sync.run")
    sql = ("SELECT k.* FROM kept_aside k JOIN sync_peers p ON p.node_id = k.from_node AND p.relation = 'child'"
           " AND p.status = 'active' WHERE k.resolved_at IS NULL AND k.reason != 'stale_revision'")
    params: list = []
    if from_node is not None:
        sql += " AND k.from_node = ?"
        params.append(from_node)
    if exclude_package is not None:
        sql += " AND k.package_id != ?"
        params.append(exclude_package)
    if limit is not None:
        sql += " ORDER BY k.id DESC LIMIT ?"  # the newest: what just became possible is most likely there
        params.append(limit)
    rows = sorted(session.store.query(sql, params) if limit is not None else
                  session.store.query(sql + " ORDER BY k.id", params), key=lambda r: r["id"])
    by_sender: dict[str, list[dict]] = {}
    for row in rows:
        by_sender.setdefault(row["from_node"], []).append(row)
    applied = 0
    with session.store.transaction() as conn:
        now = now_utc()
        for sender_id, kept in by_sender.items():
            retry_id = f"retry-{now}"
            result = ImportResult(retry_id, {"id": sender_id}, "", "retry", 0, 0)
            apply_records(session, conn, package_id=retry_id, sender_id=sender_id, schema_version=SYNC_SCHEMA,
                          manifest={}, records=[(r["table_name"], json.loads(r["record"])) for r in kept],
                          result=result, origins=vouch.allowed_origins(conn, sender_id))
            still = {(k["table"], k["record_id"], k["rev"]) for k in result.kept_aside}
            conn.execute("DELETE FROM kept_aside WHERE package_id = ?", (retry_id,))  # the same again, not new
            done = [r["id"] for r in kept if (r["table_name"], r["record_id"], r["rev"]) not in still]
            conn.executemany("UPDATE kept_aside SET resolved_at = ? WHERE id = ?", [(now, i) for i in done])
            applied += result.applied
        if rows:
            session.audit(conn, "sync.kept_aside.retry", detail={"tried": len(rows), "applied": applied})
    return applied
