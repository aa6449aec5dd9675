"""Identities under identity keys (issue 13): field-by-field encryption, a keyed blind index, the upgrade.

Each identity field of a case (`case_identities`: name, address, phone, ID number, perpetrator names,
narrative, safety notes) is stored as XChaCha20-Poly1305 ciphertext (libsodium through PyNaCl) under
the identity key of the case's point (or the node's key for a case of no point), with associated data
binding it to the table, the case id, the field and the key id: a value moved to another record or
field does not open. The key id is stored with the row.

Search by name and phone goes through a keyed blind index (`case_search_tokens`): BLAKE2b-keyed
hashes, under a key derived from each identity key, of the folded words of the survivor's name and
their prefixes, of the phone's digits and their prefixes, and of the whole name, phone and ID number
(those last three let `find_identities_in` spot an identity pasted into a free-text field). A person
computes the query's hashes under each identity key she holds, so she finds only what she may read.

A node made before this issue keeps its identities in the clear (`key_id` NULL) until an administrator
or officer logs in: `upgrade_node` then makes the identity keys, grants them, backs up, re-encrypts every
row in one transaction, checks every value reads back, rewrites the older copies (backups, copies set
aside) the same way and VACUUMs so no clear page is left behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nacl.bindings
import nacl.encoding
import nacl.hash
import nacl.utils

from app.cases.fields import IDENTITY_COLUMNS, IDENTITY_FIELDS
from app.errors import BinhAnError, FieldError
from app.store.keyslots import identity_key_id, scopes_for, subkey
from app.text import fold

TABLE = "case_identities"
COLUMNS = tuple(IDENTITY_COLUMNS[f] for f in IDENTITY_FIELDS)
_NONCE = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
MIN_PHONE_PREFIX = 3
MAX_NAME_WORDS = 6  # longest run of words checked as a name in free text


class IdentityLocked(BinhAnError):
    """The identity of a case is sealed under a key this session does not hold."""

    def __init__(self):
        super().__init__(
            "Tài khoản này chưa có khóa để mở thông tin nhận dạng của vụ việc này. Hãy nhờ quản trị viên "
            "đăng nhập một lần (khóa được cấp khi đó), rồi đăng nhập lại.",
            "This account does not hold the key to this case's identity yet. Ask the administrator to log in "
            "once (the key is granted then), then log in again.",
        )


def scope_of(point_id: str | None) -> str:
    return f"point:{point_id}" if point_id else "node"


@dataclass
class IdentityKeys:
    """The identity keys one session holds: id -> key, and the scope of every key the node lists."""

    keys: dict[str, bytes] = field(default_factory=dict)
    scopes: dict[str, str] = field(default_factory=dict)  # id -> scope, for every key listed (held or not)

    def held(self, scope: str) -> tuple[str, bytes] | None:
        for key_id, s in self.scopes.items():
            if s == scope and key_id in self.keys and identity_key_id(self.keys[key_id], scope) == key_id:
                return key_id, self.keys[key_id]
        return None

    @property
    def node_key(self) -> bytes | None:
        found = self.held("node")
        return found[1] if found else None

    def index_keys(self) -> list[bytes]:
        return [subkey(k, b"binhan-index") for _, k in sorted(self.keys.items())]

    def audit_key(self) -> tuple[str, bytes] | None:
        """The key searches are hashed under in the audit log: the node's if held, else the first held."""
        found = self.held("node") or (sorted(self.keys.items())[0] if self.keys else None)
        return (found[0], subkey(found[1], b"binhan-auditq")) if found else None

    def clear(self) -> None:
        self.keys.clear()


# --- one value ----------------------------------------------------------------------------------------------
def _ad(case_id: str, column: str, key_id: str) -> bytes:
    return f"binhan-identity|{TABLE}|{case_id}|{column}|{key_id}".encode()


def seal(key: bytes, key_id: str, case_id: str, column: str, value: str | None) -> bytes | None:
    if value is None:
        return None
    nonce = nacl.utils.random(_NONCE)
    return nonce + nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        value.encode("utf-8"), _ad(case_id, column, key_id), nonce, key)


def unseal(key: bytes, key_id: str, case_id: str, column: str, blob) -> str | None:
    if blob is None:
        return None
    blob = bytes(blob)
    plain = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
        blob[_NONCE:], _ad(case_id, column, key_id), blob[:_NONCE], key)
    return plain.decode("utf-8")


# --- the blind index -----------------------------------------------------------------------------------------
def _h(index_key: bytes, kind: bytes, text: str) -> bytes:
    return nacl.hash.blake2b(kind + b"|" + text.encode("utf-8"), digest_size=16, key=index_key,
                             encoder=nacl.encoding.RawEncoder)


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", fold(text or ""))


def digits(text: str | None) -> str:
    found = "".join(ch for ch in (text or "") if ch.isdigit())
    if (text or "").strip().startswith("+84") and found.startswith("84"):
        found = "0" + found[2:]
    return found


def index_tokens(index_key: bytes, identity: dict) -> set[bytes]:
    """The index entries of one case's identity under one key."""
    tokens = set()
    name_words = words(identity.get("survivor_name"))
    for word in name_words:
        for end in range(1, len(word) + 1):
            tokens.add(_h(index_key, b"n", word[:end]))
    if name_words:
        tokens.add(_h(index_key, b"f", " ".join(name_words)))
    phone = digits(identity.get("phone"))
    for end in range(MIN_PHONE_PREFIX, len(phone) + 1):
        tokens.add(_h(index_key, b"p", phone[:end]))
    for column in ("phone", "id_number"):
        number = digits(identity.get(column))
        if len(number) >= 6:
            tokens.add(_h(index_key, b"d", number))
    return tokens


def query_groups(identity_keys: IdentityKeys, text: str) -> list[list[bytes]]:
    """For each word of a search, the tokens (one per key held) any of which a matching case has."""
    groups = []
    index_keys = identity_keys.index_keys()
    if not index_keys:
        return []
    number = digits(text)
    if number and len(number) >= MIN_PHONE_PREFIX and not re.search(r"[^\d\s.+\-()]", text):
        return [[_h(k, b"p", number) for k in index_keys]]
    for word in words(text):
        groups.append([_h(k, b"n", word) for k in index_keys])
    return groups


def audit_hash(identity_keys: IdentityKeys, text: str) -> dict | None:
    """What the audit log keeps of a search: a keyed hash of the folded text, never the text."""
    found = identity_keys.audit_key()
    if found is None:
        return None
    key_id, key = found
    digest = nacl.hash.blake2b(fold(text).encode("utf-8"), digest_size=16, key=key,
                               encoder=nacl.encoding.HexEncoder).decode("ascii")
    return {"search": digest, "key": key_id}


# --- writing and reading a case's identity --------------------------------------------------------------------
def present_columns(conn) -> tuple[str, ...]:
    """The identity columns this database has (one made before the case-management step lacks the last five)."""
    have = {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}
    return tuple(c for c in COLUMNS if c in have)


def write(conn, identity_keys: IdentityKeys, case_id: str, point_id: str | None, values: dict, updated_at: str,
          *, ensure_key=None) -> None:
    """Store one case's identity (column -> clear value) sealed under its point's key, with its index."""
    scope = scope_of(point_id)
    held = identity_keys.held(scope)
    if held is None and ensure_key is not None:
        held = ensure_key(scope)
    if held is None:
        raise IdentityLocked()
    key_id, key = held
    columns = present_columns(conn)
    sealed = [seal(key, key_id, case_id, c, values.get(c)) for c in columns]
    conn.execute(
        f"INSERT OR REPLACE INTO {TABLE} (case_id, {', '.join(columns)}, name_norm, key_id, updated_at)"
        f" VALUES (?, {', '.join('?' for _ in columns)}, NULL, ?, ?)",
        (case_id, *sealed, key_id, updated_at))
    conn.execute("DELETE FROM case_search_tokens WHERE case_id = ?", (case_id,))
    conn.executemany("INSERT OR IGNORE INTO case_search_tokens (token, case_id) VALUES (?, ?)",
                     [(t, case_id) for t in index_tokens(subkey(key, b"binhan-index"), values)])


def read(identity_keys: IdentityKeys, row: dict | None) -> dict:
    """Column -> clear value of one stored row (a row from before the upgrade is still clear)."""
    if not row:
        return {c: None for c in COLUMNS}
    key_id = row.get("key_id")
    if key_id is None:
        return {c: row.get(c) for c in COLUMNS}
    key = identity_keys.keys.get(key_id)
    if key is None:
        raise IdentityLocked()
    return {c: unseal(key, key_id, row["case_id"], c, row.get(c)) for c in COLUMNS}


def find_identities_in(session, text: str | None) -> list[str]:
    """The words of `text` that are a whole name, phone or ID number stored on this node (as far as the
    identity keys this person holds can tell), in the text's own spelling. Empty when none."""
    if not text or not text.strip():
        return []
    identity_keys = getattr(session, "identity", None)
    index_keys = identity_keys.index_keys() if identity_keys else []
    if not index_keys:
        return []
    if getattr(session, "_identity_schema", None) is None:
        from app.store import migrations

        session._identity_schema = migrations.has_identity_keys(session.store)
    if not session._identity_schema:
        return []  # a database before the identity-key step has no index to look in
    spans = [(m.group(0), fold(m.group(0))) for m in re.finditer(r"\w+", text)]
    candidates: dict[bytes, str] = {}
    for n in range(2, MAX_NAME_WORDS + 1):
        for i in range(0, len(spans) - n + 1):
            run = spans[i:i + n]
            if any(not f or f.isdigit() for _, f in run):
                continue
            original = " ".join(o for o, _ in run)
            folded = " ".join(f for _, f in run)
            for k in index_keys:
                candidates[_h(k, b"f", folded)] = original
    for m in re.finditer(r"\+?\d[\d .\-]{4,}\d", text):
        number = digits(m.group(0))
        if len(number) >= 6:
            for k in index_keys:
                candidates[_h(k, b"d", number)] = m.group(0).strip()
    found: list[str] = []
    tokens = list(candidates)
    for start in range(0, len(tokens), 500):
        chunk = tokens[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        for (token,) in session.store.execute(
                f"SELECT DISTINCT token FROM case_search_tokens WHERE token IN ({marks})", chunk).fetchall():
            word = candidates[bytes(token)]
            if word not in found:
                found.append(word)
    return found


def check_free_text(session, path: str, text: str | None) -> list[FieldError]:
    """A FieldError for a free-text field (not an identity field) that holds a stored name or phone."""
    found = find_identities_in(session, text)
    if not found:
        return []
    shown = ", ".join(f"“{w}”" for w in found[:5])
    return [FieldError(
        path,
        f"Ô này có thông tin nhận dạng của một người đã được ghi ({shown}). Hãy xóa đi, hoặc ghi vào phần "
        "thông tin nhận dạng của vụ việc (phần này được mã hóa riêng).",
        f"This field holds identifying details of a recorded person ({shown}). Remove them, or record them "
        "in the case's identity part (which is encrypted on its own).",
    )]


# --- which keys an account holds -------------------------------------------------------------------------------
def expected_scopes(role: str, point_id: str | None, all_scopes: list[str]) -> set[str]:
    return scopes_for(role, point_id, all_scopes)


# --- the upgrade of a node made before identity keys --------------------------------------------------------
def _notice_recovery(session) -> None:
    if any(vi.startswith("Mã khôi phục hiện tại chỉ mở được") for vi, _ in session.notices):
        return  # told once (a recovery with the old key also runs the upgrade, which tells it)
    session.notices.append((
        "Mã khôi phục hiện tại chỉ mở được cơ sở dữ liệu, không mở được thông tin nhận dạng (nó được tạo trước khi "
        "thông tin nhận dạng được mã hóa riêng). Hãy tạo mã khôi phục mới ngay (Cài đặt → Tạo mã khôi phục mới, "
        "hoặc binhan recover) rồi in và cất giữ; mã cũ sẽ hết hiệu lực.",
        "The current recovery key opens the database but not the identities (it was made before identities were "
        "encrypted on their own). Make a new recovery key now (Settings → New recovery key), print it and lock "
        "it away; the old one stops working.",
    ))


def _make_keys(session) -> None:
    """An old node's first identity keys: the node's and one per point in use, granted by role."""
    from app.accounts import grants

    store = session.store
    points = {r[0] for r in store.execute("SELECT DISTINCT point_id FROM cases WHERE point_id IS NOT NULL")}
    points |= {r[0] for r in store.execute(
        "SELECT DISTINCT point_id FROM accounts WHERE role = 'cadre' AND point_id IS NOT NULL")}
    rows = session._account_rows()

    def edit(slots):
        if slots.identity_keys:
            return None  # another session made them meanwhile
        made = {}
        node_id, node_key = slots.new_identity_key("node")
        made[node_id] = node_key
        for point in sorted(points):
            key_id, key = slots.new_identity_key(f"point:{point}")
            made[key_id] = key
        for slot in slots.slots:
            if slot.kind == "password":
                row = rows.get(slot.user)
                if row and row["active"]:
                    point = row["point_id"] if row["role"] == "cadre" else None
                    grants.grant_role(slots, slot, row["role"], point, made, node_key)
            elif slot.kind == "recovery" and slot.public:
                grants.grant_role(slots, slot, "recovery", None, made, node_key)
        recovery = slots.recovery_slot()
        return {"keys": len(made), "recovery_stale": recovery is not None and not recovery.public}

    made = session.node.slots.change(edit)
    session._refresh_keys()
    if made is None:
        return
    with store.transaction() as conn:
        session.audit(conn, "identity.keys_created", detail={"keys": made["keys"]})
        if made["recovery_stale"]:
            session.audit(conn, "recovery.needs_replacing")
    if made["recovery_stale"]:
        _notice_recovery(session)


def _reseal_rows(conn, identity_keys: IdentityKeys, ensure_key) -> int:
    """Seal every clear row in this connection's database; check each reads back. Returns the count."""
    columns = present_columns(conn)
    cur = conn.execute(f"SELECT ci.case_id, {', '.join('ci.' + c for c in columns)}, c.point_id"
                       f" FROM {TABLE} ci LEFT JOIN cases c ON c.id = ci.case_id WHERE ci.key_id IS NULL")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    now = _now()
    for row in rows:
        values = {c: row.get(c) for c in COLUMNS}
        write(conn, identity_keys, row["case_id"], row["point_id"], values, now, ensure_key=ensure_key)
    for row in rows:
        cur = conn.execute(f"SELECT * FROM {TABLE} WHERE case_id = ?", (row["case_id"],))
        stored = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
        if read(identity_keys, stored) != {c: row.get(c) for c in COLUMNS}:
            raise BinhAnError("Mã hóa lại thông tin nhận dạng không khớp; chưa có gì bị thay đổi.",
                              "Re-encrypting the identities did not read back; nothing was changed.")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('identities_sealed', '1')")
    return len(rows)


def _now() -> str:
    from app.records import now_utc

    return now_utc()


def upgrade_node(session) -> None:
    """At an administrator's or officer's log-in: make the identity keys of an old node and seal every
    identity still in the clear (after an automatic backup, in one transaction, checked, then VACUUM);
    then rewrite the older copies of the file the same way. Does nothing on a node already done."""
    from app.errors import BackupError, DatabaseDamaged

    store = session.store
    if not session.node.slots.identity_keys:
        if store.scalar("SELECT value FROM meta WHERE key = 'identities_sealed'") or store.scalar(
                f"SELECT 1 FROM {TABLE} WHERE key_id IS NOT NULL LIMIT 1"):
            raise DatabaseDamaged(
                "Tệp khóa keyslots.json không còn các khóa thông tin nhận dạng mà cơ sở dữ liệu cần. Hãy khôi phục "
                "tệp keyslots.json từ bản sao lưu (thư mục backups); chưa có gì bị thay đổi.",
                "The key-slot file keyslots.json lacks the identity keys the database needs. Restore keyslots.json "
                "from a backup (the backups folder); nothing was changed.")
        _make_keys(session)
    sealed = store.scalar("SELECT value FROM meta WHERE key = 'identities_sealed'")
    pending = store.scalar("SELECT value FROM meta WHERE key = 'identities_copies_pending'")
    if sealed and not pending:
        return
    if session.identity.node_key is None:
        return  # this officer's grant is still pending: the next administrator's log-in does it
    if not sealed:
        clear = store.scalar(f"SELECT count(*) FROM {TABLE} WHERE key_id IS NULL")
        if clear:
            try:
                session.backups.create(reason="identity-upgrade")
            except BackupError:
                session.notices.append((
                    "Chưa mã hóa lại được thông tin nhận dạng vì không sao lưu được trước (ổ đĩa đầy?). Sẽ thử lại ở "
                    "lần đăng nhập sau.",
                    "The identities were not re-encrypted yet because the backup before it failed (disk full?). It "
                    "is tried again at the next log-in."))
                return
        try:
            with store.transaction() as conn:
                count = _reseal_rows(conn, session.identity, session.ensure_identity_key)
                if clear:
                    # Cleared only once the file is compacted and every older copy sealed (a kill in between:
                    # the next administrator's log-in finishes it).
                    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('identities_copies_pending', '1')")
                session.audit(conn, "identity.sealed", detail={"rows": count})
        except Exception as exc:  # rolled back whole: nothing changed; the log-in goes on, the next one retries
            _unfinished(session, "seal", exc)
            return
        if not clear:
            return
    try:
        with store.lock:
            store.conn.execute("VACUUM")  # no page of the file keeps a clear identity
        store.checkpoint()  # nor the WAL
        scrub_copies(session)
        with store.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = 'identities_copies_pending'")
    except Exception as exc:  # a full disk, a locked copy: tried again at the next administrator's log-in
        _unfinished(session, "copies", exc)


def _unfinished(session, step: str, exc: BaseException) -> None:
    session.notices.append((
        "Chưa hoàn tất việc mã hóa riêng thông tin nhận dạng (sẽ thử lại ở lần đăng nhập sau của quản trị viên). "
        "Nếu thông báo này lặp lại, hãy chạy 'binhan check' và liên hệ hỗ trợ.",
        "Sealing the identities under their own keys is not finished (it is tried again at the administrator's "
        "next log-in). If this message comes back, run 'binhan check' and contact support."))
    try:
        with session.store.transaction() as conn:
            session.audit(conn, "identity.upgrade_unfinished", detail={"step": step, "error": type(exc).__name__})
    except Exception:  # noqa: S110 - the notice above tells it already; a failed audit write must not hide it
        pass


def _copies(session) -> list:
    node = session.node
    found = list(node.backups_dir.glob("binhan-*.db")) if node.backups_dir.is_dir() else []
    for path in node.data_dir.glob(node.db_path.name + ".*"):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", ".json", ".tmp")):
            found.append(path)
    return sorted(found)


def scrub_copies(session) -> list:
    """Seal the identities in every older copy of the database (backups, copies set aside before a schema
    step or a restore) the same way, and VACUUM each: no copy keeps a clear identity that the database
    key alone opens. A copy that does not open with this node's key (another node's) is left alone."""
    import sqlcipher3

    done, failed = [], []
    for path in _copies(session):
        try:
            if _scrub_one(session, path):
                done.append(path.name)
        except (OSError, sqlcipher3.Error):
            failed.append(path.name)
    if done or failed:
        with session.store.transaction() as conn:
            session.audit(conn, "identity.copies_sealed", detail={"files": done, "failed": failed})
    if failed:
        raise BinhAnError("Một số bản sao chưa mã hóa lại được: " + ", ".join(failed),
                          "Some copies could not be sealed: " + ", ".join(failed))
    return done


def _scrub_one(session, path) -> bool:
    """Seal one copy; True when it held clear identities."""
    import shutil

    import sqlcipher3

    from app.store import migrations
    from app.store.db import Store

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{session._key().hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            return False  # another node's key: not ours to touch
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = OFF")
        copy = Store(path, conn)
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone():
            return False
        migrations.upgrade(copy, copy_first=False)
        if not conn.execute(f"SELECT 1 FROM {TABLE} WHERE key_id IS NULL LIMIT 1").fetchone():
            return False
        with copy.transaction() as tx:
            _reseal_rows(tx, session.identity, session.ensure_identity_key)
        conn.execute("VACUUM")
    finally:
        conn.close()
    sidecar = path.with_name(path.name + ".keyslots.json")
    if sidecar.exists():
        shutil.copyfile(session.node.slots_path, sidecar)
    return True
