"""The sync package: one file, the same for every transport (DESIGN §6).

Layout (all lengths big-endian):

    magic "BINHANPK" · format (1 byte) · header length (4) · header (JSON, readable)
    · payload key sealed to the recipient's X25519 key (SealedBox, 80 bytes)
    · secretstream header (24) · chunks, each: length (4) + XChaCha20-Poly1305 ciphertext
      (the last chunk carries TAG_FINAL, so a cut-short stream is detected)
    · Ed25519 signature (64) over every byte before it

The header says who sent it to whom with which keys, the sequence range, the
payload schema and the body length (a cut-short file is named as such before
anything else is tried). The payload is JSON lines: a manifest first (sender,
recipient, package id, range, key ids — repeated from the header so that no
other node can re-sign it as its own — plus counts and a SHA-256 of the record
lines), then one line per record, in its allowed form (`app.sync_allow`).

A package carries the latest allowed state of every record changed since the
last sequence the parent acknowledged, so resending is the normal case. Above
`part_limit` bytes it is split into parts; each part is a complete signed
package naming part i of n and its own sub-range of sequences.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field

import nacl.bindings as sodium
import nacl.exceptions
import nacl.public
import nacl.utils

import app
from app.audit import head as audit_head
from app.records import new_id, now_utc
from app.store.migrations import CURRENT_VERSION
from app.reports.disclosure import settings_of
from app.sync_allow import SYNC_SCHEMA, outgoing_json_many, widen_before_build, withheld_stub
from sync import enrol, vouch
from sync import keys as node_keys
from sync.codec import canonical, canonical_record, record_reader
from sync.errors import (PackageAltered, PackageContentInvalid, PackageDamaged, PackageForeign,
                         PackageNewerFormat, PackageTruncated)

MAGIC = b"BINHANPK"
FORMAT = 1
SUFFIX = ".pkg.binhan"
CHUNK_SIZE = 64 * 1024
DEFAULT_PART_LIMIT = 8 * 1024 * 1024  # under common e-mail attachment limits once base64-encoded
COMPRESSION = "zlib"
# Whatever a package inflates to, the importer reads at most this much (a 300 KB "bomb" that would inflate to
# 300 MB stops here and is refused), and at most MAX_RECORDS lines: with the records read into memory, an import
# stays within about 256 MB (payloads built to make the most Python objects of 16 MB peak near 200 MB). The builder never writes a part that inflates to more (see `build`).
MAX_PAYLOAD = 16 * 1024 * 1024
MAX_RECORDS = 100_000
# Lists and objects in the record lines (each costs ~70 bytes once read, for 2 on the wire): a case has about 15.
MAX_CONTAINERS = 1_000_000
_LINES_BUDGET = MAX_PAYLOAD - 4 * 1024 * 1024  # record lines per part; the manifest (nodes, vouchers) has the rest
_PREFIX = len(MAGIC) + 1 + 4
_SIG = 64
_SEALED = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES + sodium.crypto_box_SEALBYTES
_SS_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL

HEADER_IDENTITY = ("package_id", "set_id", "part", "parts", "from", "to", "sender_key_id", "recipient_key_id",
                   "seq_from", "seq_to", "schema_version")


# --- the file format -----------------------------------------------------------------------------------
def seal(header: dict, payload: bytes, signing_key, recipient_public: bytes, *,
         chunk_size: int | None = None) -> bytes:
    """Encrypt `payload` for `recipient_public`, sign, and return the package bytes."""
    chunk_size = chunk_size or CHUNK_SIZE
    key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
    sealed_key = nacl.public.SealedBox(nacl.public.PublicKey(recipient_public)).encrypt(key)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    stream_header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    pieces = [payload[i:i + chunk_size] for i in range(0, len(payload), chunk_size)] or [b""]
    chunks = []
    for n, piece in enumerate(pieces):
        tag = TAG_FINAL if n == len(pieces) - 1 else TAG_MESSAGE
        chunks.append(sodium.crypto_secretstream_xchacha20poly1305_push(state, piece, None, tag))
    body = bytes(sealed_key) + stream_header + b"".join(len(c).to_bytes(4, "big") + c for c in chunks)
    header = {**header, "body_length": len(body), "chunk_size": chunk_size}
    header_bytes = canonical(header)
    signed = MAGIC + bytes([FORMAT]) + len(header_bytes).to_bytes(4, "big") + header_bytes + body
    return signed + signing_key.sign(signed).signature


@dataclass
class Parsed:
    header: dict
    signed: bytes     # every byte the signature covers
    body: bytes       # sealed key + stream header + chunks
    signature: bytes
    sha256: str = ""


def parse(data: bytes) -> Parsed:
    """Split a package into its parts, naming a foreign, newer-format or cut-short file. Nothing is trusted yet."""
    if len(data) < len(MAGIC):
        if data == MAGIC[:len(data)]:
            raise PackageTruncated()
        raise PackageForeign()
    if data[:len(MAGIC)] != MAGIC:
        raise PackageForeign()
    if len(data) < _PREFIX:
        raise PackageTruncated()
    version = data[len(MAGIC)]
    if version > FORMAT:
        raise PackageNewerFormat(found=version, known=FORMAT)
    if version != FORMAT:
        raise PackageAltered()
    header_length = int.from_bytes(data[len(MAGIC) + 1:_PREFIX], "big")
    if header_length > 1_000_000:
        raise PackageAltered()
    if len(data) < _PREFIX + header_length:
        raise PackageTruncated()
    try:
        header = json.loads(data[_PREFIX:_PREFIX + header_length].decode("utf-8"))
        body_length = header["body_length"]
        if not isinstance(header, dict) or not isinstance(body_length, int) or body_length < 0:
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise PackageAltered() from None
    end_of_body = _PREFIX + header_length + body_length
    if len(data) < end_of_body + _SIG:
        raise PackageTruncated()
    if len(data) > end_of_body + _SIG:
        raise PackageAltered()
    return Parsed(header=header, signed=data[:end_of_body], body=data[_PREFIX + header_length:end_of_body],
                  signature=data[end_of_body:], sha256=hashlib.sha256(data).hexdigest())


def decrypt(parsed: Parsed, private_key: nacl.public.PrivateKey) -> bytes:
    """The payload. Call only after the signature was verified."""
    body = parsed.body
    if len(body) < _SEALED + _SS_HEADER:
        raise PackageDamaged()
    try:
        key = nacl.public.SealedBox(private_key).decrypt(body[:_SEALED])
    except nacl.exceptions.CryptoError:
        raise PackageDamaged() from None
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, body[_SEALED:_SEALED + _SS_HEADER], key)
    except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError):
        raise PackageDamaged() from None
    offset = _SEALED + _SS_HEADER
    out = []
    final = False
    while offset < len(body):
        if final:
            raise PackageDamaged()  # bytes after the final chunk
        if offset + 4 > len(body):
            raise PackageDamaged()
        length = int.from_bytes(body[offset:offset + 4], "big")
        offset += 4
        if length < _ABYTES or offset + length > len(body):
            raise PackageDamaged()
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, body[offset:offset + length], None)
        except (nacl.exceptions.CryptoError, nacl.exceptions.RuntimeError, nacl.exceptions.ValueError):
            raise PackageDamaged() from None
        offset += length
        out.append(plain)
        final = tag == TAG_FINAL
    if not final:
        raise PackageTruncated()  # every chunk genuine, but the last one never came
    return b"".join(out)


# --- the payload ------------------------------------------------------------------------------------------
def encode_payload(manifest: dict, lines: list[bytes]) -> bytes:
    records = b"".join(line + b"\n" for line in lines)
    manifest = {**manifest, "records": len(lines), "sha256": hashlib.sha256(records).hexdigest()}
    return canonical(manifest) + b"\n" + records


def decode_payload(payload: bytes) -> tuple[dict, list[tuple[str, dict]]]:
    """(manifest, [(table, record)]). Raises PackageContentInvalid on anything malformed."""
    head, sep, records = payload.partition(b"\n")
    try:
        manifest = json.loads(head.decode("utf-8"))
        if not isinstance(manifest, dict) or not sep:
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        raise PackageContentInvalid(what="manifest") from None
    if hashlib.sha256(records).hexdigest() != manifest.get("sha256"):
        raise PackageContentInvalid(what="sha256")
    if records.count(b"\n") > MAX_RECORDS or records.count(b"[") + records.count(b"{") > MAX_CONTAINERS:
        raise PackageContentInvalid(what="records")  # more objects than any package of records makes
    out = []
    load = record_reader(records)
    for line in records.split(b"\n")[:-1] if records else []:
        try:
            item = load(line)
            table, record = item["table"], item["record"]
            if not isinstance(table, str) or not isinstance(record, dict):
                raise ValueError
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise PackageContentInvalid(what="record line") from None
        out.append((table, record))
    if manifest.get("records") != len(out):
        raise PackageContentInvalid(what="count")
    counts: dict[str, int] = {}
    for table, _ in out:
        counts[table] = counts.get(table, 0) + 1
    if manifest.get("counts") != counts:
        raise PackageContentInvalid(what="counts")
    return manifest, out


# --- building at the child -----------------------------------------------------------------------------------
@dataclass
class BuiltPackage:
    package_id: str
    set_id: str
    part: int
    parts: int
    seq_from: int
    seq_to: int
    records: int
    data: bytes = field(repr=False)
    header: dict = field(repr=False)

    @property
    def file_name(self) -> str:
        h = self.header
        part = f"-p{self.part}of{self.parts}" if self.parts > 1 else ""
        route = f"{h['from']['code']}-{h['to']['code']}-{self.seq_from}-{self.seq_to}"
        return f"{route}{part}-{self.package_id[-8:]}{SUFFIX}"


def shown_name(kind: str, name: str, code: str) -> str:
    """The name a readable header (or an e-mail) carries: a point's is its code. A trusted-address point is often
    named after the household that shelters women, which must not travel in the clear."""
    return code if kind == "point" else name


def acked_seq(session, parent_id: str) -> int:
    return session.store.scalar("SELECT acked_seq FROM sync_acks WHERE parent_id = ?", (parent_id,)) or 0


def _forwarded_stub(conn, table: str, record_id: str) -> dict | None:
    """A withheld case received from below and passed on up (its copy was never kept here)."""
    row = conn.execute("SELECT origin, rev, updated_at FROM sync_versions WHERE table_name = ? AND record_id = ?"
                       " AND withheld = 1", (table, record_id)).fetchone()
    if row is None:
        return None
    return withheld_stub({"id": record_id, "origin": row[0], "rev": row[1], "created_at": None,
                          "updated_at": row[2], "deleted": False})


def _split(lines: list, budget: int) -> list[list]:
    groups: list[list] = [[]]
    size = 0
    for item in lines:
        if groups[-1] and size + len(item[2]) + 1 > budget:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item[2]) + 1
    return groups


def inflate(header: dict, data: bytes) -> bytes:
    """The payload as the sender encoded it, before compression."""
    compression = header.get("compression")
    if compression is None:
        return data
    if compression != COMPRESSION:
        raise PackageContentInvalid(what=f"compression {compression!r}")
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_PAYLOAD)
    except zlib.error:
        raise PackageContentInvalid(what="zlib") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise PackageContentInvalid(what="zlib size")
    return out


def build(session, *, part_limit: int = DEFAULT_PART_LIMIT) -> list[BuiltPackage]:
    """Build the package (or its parts) for the parent: everything changed since its last receipt."""
    session.require("sync.run")
    up = enrol.require_parent(session)
    recipient = enrol.peer_key(session, up["node_id"], node_keys.ENCRYPTION)
    if recipient is None:
        raise enrol.NoParent()
    signer = node_keys.current(session, node_keys.SIGNING)
    info = session.node_info
    acked = acked_seq(session, up["node_id"])
    now = now_utc()
    built: list[BuiltPackage] = []
    k = settings_of(session).k_anonymity
    with session.store.transaction() as conn:
        # A case sent before that its year's groups now require wider goes again (app.sync_allow).
        widen_before_build(conn, k, now)
        high = conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]
        high = max(high, acked)
        entries = conn.execute(
            "SELECT table_name, record_id, max(seq) AS last FROM outbox WHERE seq > ?"
            " GROUP BY table_name, record_id ORDER BY last", (acked,)).fetchall()
        if not entries:
            return []  # nothing changed since the last receipt: no empty package is built (or mailed)
        by_table: dict[str, list[str]] = {}
        for table, record_id, _ in entries:
            by_table.setdefault(table, []).append(record_id)
        # The allowed records come as JSON text from the allow-list and go into their lines as they are.
        # Cases are widened for k-anonymity (k from the profile) before they leave (app.sync_allow.generalise).
        allowed = {table: outgoing_json_many(conn, table, ids, k=k, leaving=True) for table, ids in by_table.items()}
        lines: list[tuple[int, str, bytes]] = []
        for table, record_id, last in entries:
            text = allowed[table].get(record_id)
            if text is not None:
                lines.append((last, table, b'{"record":' + text.encode("utf-8") + b',"table":'
                              + canonical_record(table) + b"}"))
                continue
            record = _forwarded_stub(conn, table, record_id) if table == "cases" else None
            if record is None:
                continue  # a table that never leaves (providers…)
            lines.append((last, table, canonical_record({"table": table, "record": record})))
        nodes = vouch.subtree(conn, info, signer)
        reconcile = conn.execute("SELECT 1 FROM meta WHERE key = 'sync.reconcile'").fetchone() is not None
        audit_seq, audit_hash = audit_head(conn)  # the parent witnesses it: a cut or rolled-back log shows
        set_id = new_id()

        def seal_all(groups) -> list[BuiltPackage]:
            out, seq_from = [], acked + 1
            for n, group in enumerate(groups, start=1):
                seq_to = high if n == len(groups) else group[-1][0]
                package_id = new_id()
                header = {
                    "kind": "package", "format": FORMAT, "package_id": package_id, "set_id": set_id,
                    "part": n, "parts": len(groups),
                    "from": {"id": info.id, "kind": info.kind, "code": info.code,
                             "name": shown_name(info.kind, info.name, info.code)},
                    "to": {"id": up["node_id"], "code": up["code"], "name": up["name"]},
                    "sender_key_id": signer.key_id, "recipient_key_id": recipient["key_id"],
                    "seq_from": seq_from, "seq_to": seq_to, "schema_version": SYNC_SCHEMA,
                    "db_schema": CURRENT_VERSION, "created": now, "app_version": app.__version__,
                    "compression": COMPRESSION,
                }
                counts: dict[str, int] = {}
                for _, table, _ in group:
                    counts[table] = counts.get(table, 0) + 1
                manifest = {key: header[key] for key in HEADER_IDENTITY}
                manifest.update({"from": info.id, "to": up["node_id"], "counts": counts, "nodes": nodes})
                manifest["audit_head"] = {"seq": audit_seq, "hash": audit_hash}
                if reconcile:
                    manifest["reconcile"] = True  # after a restore here: see sync.receipt
                payload = zlib.compress(encode_payload(manifest, [line for _, _, line in group]), 6)
                data = seal(header, payload, signer.signing_key, recipient["public_key"])
                out.append(BuiltPackage(package_id, set_id, n, len(groups), seq_from, seq_to, len(group), data,
                                        parse(data).header))
                seq_from = seq_to + 1
            return out

        # JSON lines shrink about tenfold: split on an estimate, then halve any part that still weighs too much.
        groups = _split(lines, min(_LINES_BUDGET, max(2048, (part_limit - 4096) * 4)))
        while True:
            built = seal_all(groups)
            heavy = {i for i, p in enumerate(built) if (len(p.data) > part_limit or len(groups[i]) > MAX_RECORDS)
                     and len(groups[i]) > 1}
            if not heavy:
                break
            groups = [half for i, g in enumerate(groups)
                      for half in ((g[:len(g) // 2], g[len(g) // 2:]) if i in heavy else (g,))]
        for p in built:
            conn.execute(
                "INSERT INTO sync_outgoing (package_id, set_id, part, parts, to_node, seq_from, seq_to, records, size,"
                " sha256, built_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (p.package_id, set_id, p.part, p.parts, up["node_id"], p.seq_from, p.seq_to, p.records, len(p.data),
                 hashlib.sha256(p.data).hexdigest(), now))
        session.audit(conn, "sync.package.build", table="sync_outgoing", target=set_id,
                      detail={"parts": len(built), "records": sum(p.records for p in built),
                              "seq_from": acked + 1, "seq_to": high, "to": up["code"]})
    return built


def mark_sent(session, packages: list[BuiltPackage], *, via: str, to: str | None = None) -> None:
    """Note that the files left this machine (written to a drive, mailed, pushed)."""
    with session.store.transaction() as conn:
        now = now_utc()
        for p in packages:
            conn.execute("UPDATE sync_outgoing SET sent_at = ?, sent_via = ?, sent_to = ? WHERE package_id = ?",
                         (now, via, to, p.package_id))
        session.audit(conn, "sync.package.sent", detail={"via": via, "packages": [p.package_id for p in packages]})
