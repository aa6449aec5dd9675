"""Schema versions. One numbered step per version, each in one transaction.

Rules (see STYLE "Storage"): never edit a released step; add a new one. Before
any step runs the file is copied aside. A database newer than this program is
refused, never touched. `tests/data/` keeps a real database of every released
schema and `tests/store/test_migrations.py` upgrades each one.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Callable

from app.errors import NewerDatabase

# Columns every record that travels up the tree carries (DESIGN §4).
SYNCED = """
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
"""


def _step_1(conn) -> None:
    """Node, accounts, audit, outbox and the case record with its parts."""
    run_script(conn, f"""
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

    CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        point_id TEXT,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        username TEXT,
        action TEXT NOT NULL,
        target_table TEXT,
        target_id TEXT,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        table_name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        rev INTEGER NOT NULL,
        changed_at TEXT NOT NULL
    );
    CREATE INDEX outbox_record ON outbox(table_name, record_id);

    CREATE TABLE cases (
        {SYNCED},
        code TEXT NOT NULL UNIQUE,
        point_id TEXT,
        status TEXT NOT NULL,
        reported_on TEXT NOT NULL,
        incident_on TEXT,
        disclosure_channel TEXT,
        referral_source TEXT,
        taken_by TEXT,
        survivor_age INTEGER,
        survivor_age_band TEXT,
        survivor_sex TEXT,
        marital_status TEXT,
        disability TEXT,
        ethnicity TEXT,
        pregnant INTEGER,
        time_of_day TEXT,
        location_type TEXT,
        violence_type TEXT,
        reported_elsewhere INTEGER NOT NULL DEFAULT 0,
        safety_plan INTEGER NOT NULL DEFAULT 0,
        safety_plan_on TEXT,
        closed_on TEXT,
        closure_items TEXT NOT NULL DEFAULT '[]',
        duplicate_of TEXT,
        delay_band TEXT,
        perpetrator_count INTEGER NOT NULL DEFAULT 0,
        ctx_intimate_partner INTEGER NOT NULL DEFAULT 0,
        ctx_child_sexual_abuse INTEGER NOT NULL DEFAULT 0,
        ctx_early_marriage INTEGER NOT NULL DEFAULT 0,
        next_follow_up TEXT,
        created_by TEXT
    );
    CREATE INDEX cases_reported ON cases(deleted, reported_on, id);
    CREATE INDEX cases_status ON cases(status);
    CREATE INDEX cases_type ON cases(violence_type);
    CREATE INDEX cases_point ON cases(point_id);

    -- Identity lives apart from the facts and never leaves the node.
    CREATE TABLE case_identities (
        case_id TEXT PRIMARY KEY REFERENCES cases(id),
        survivor_name TEXT,
        name_norm TEXT,
        address TEXT,
        phone TEXT,
        id_number TEXT,
        perpetrator_names TEXT,
        narrative TEXT,
        safety_notes TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX case_identities_name ON case_identities(name_norm);

    CREATE TABLE case_dv_acts (
        case_id TEXT NOT NULL REFERENCES cases(id),
        act TEXT NOT NULL,
        PRIMARY KEY (case_id, act)
    );
    CREATE TABLE case_perpetrators (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        sex TEXT, age_group TEXT, relationship TEXT,
        count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (case_id, idx)
    );
    CREATE TABLE case_consents (
        case_id TEXT NOT NULL REFERENCES cases(id),
        scope TEXT NOT NULL,
        given INTEGER NOT NULL,
        given_on TEXT,
        withdrawn_on TEXT,
        PRIMARY KEY (case_id, scope)
    );
    CREATE TABLE case_services (
        case_id TEXT NOT NULL REFERENCES cases(id),
        service TEXT NOT NULL,
        status TEXT NOT NULL,
        on_date TEXT,
        provider_id TEXT,
        PRIMARY KEY (case_id, service)
    );
    CREATE TABLE case_referrals (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        service TEXT,
        provider_id TEXT,
        provider_name TEXT,
        referred_on TEXT,
        consent INTEGER NOT NULL DEFAULT 0,
        consent_on TEXT,
        outcome TEXT,
        outcome_on TEXT,
        PRIMARY KEY (case_id, idx)
    );
    CREATE TABLE case_follow_ups (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        due_on TEXT NOT NULL,
        done_on TEXT,
        status TEXT NOT NULL,
        PRIMARY KEY (case_id, idx)
    );
    CREATE TABLE case_perpetrator_actions (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        action TEXT NOT NULL,
        on_date TEXT,
        PRIMARY KEY (case_id, idx)
    );
    """)


def _step_2(conn) -> None:
    """Prevention work: activities, the registries of models, schools and providers, attachments."""
    run_script(conn, f"""
    CREATE TABLE models (
        {SYNCED},
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        established_on TEXT,
        status TEXT NOT NULL,
        notes TEXT
    );
    CREATE TABLE model_status_events (
        model_id TEXT NOT NULL REFERENCES models(id),
        on_date TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (model_id, on_date, status)
    );
    CREATE TABLE schools (
        {SYNCED},
        name TEXT NOT NULL,
        level TEXT NOT NULL,
        notes TEXT
    );
    CREATE TABLE school_integrations (
        school_id TEXT NOT NULL REFERENCES schools(id),
        year INTEGER NOT NULL,
        integrated INTEGER NOT NULL,
        PRIMARY KEY (school_id, year)
    );
    CREATE TABLE providers (
        {SYNCED},
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        phone TEXT,
        address TEXT,
        hotline INTEGER NOT NULL DEFAULT 0,
        notes TEXT
    );
    CREATE TABLE activities (
        {SYNCED},
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        starts_on TEXT NOT NULL,
        ends_on TEXT,
        place TEXT,
        organiser TEXT,
        target_groups TEXT NOT NULL DEFAULT '[]',
        participants_total INTEGER NOT NULL DEFAULT 0,
        participants_female INTEGER NOT NULL DEFAULT 0,
        participants_male INTEGER NOT NULL DEFAULT 0,
        participants_youth INTEGER NOT NULL DEFAULT 0,
        quantity INTEGER,
        model_id TEXT,
        school_id TEXT,
        budget_vnd INTEGER NOT NULL DEFAULT 0,
        notes TEXT,
        title_norm TEXT,
        point_id TEXT,
        created_by TEXT
    );
    CREATE INDEX activities_date ON activities(deleted, starts_on, id);
    CREATE INDEX activities_kind ON activities(kind);
    CREATE INDEX activities_title ON activities(title_norm);

    -- Attachments stay inside the encrypted database; they never leave the node.
    CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        owner_table TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        filename TEXT NOT NULL,
        mime TEXT,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX attachments_owner ON attachments(owner_table, owner_id);
    """)


def _step_3(conn) -> None:
    """Sync: this node's key pairs, its enrolled parent and children, packages out and in, receipts.

    Private keys are stored wrapped under a key derived from the database key (sync/keys.py).
    """
    run_script(conn, """
    CREATE TABLE sync_keys (
        key_id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL,          -- this node, or an identity adopted from a key backup
        purpose TEXT NOT NULL,          -- 'encryption' (X25519) | 'signing' (Ed25519)
        public_key BLOB NOT NULL,
        private_box BLOB NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT                 -- NULL: the key in use (retired keys still open old files)
    );

    CREATE TABLE sync_peers (
        node_id TEXT PRIMARY KEY,
        relation TEXT NOT NULL,         -- 'parent' | 'child' | 'descendant' (reached through a child)
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        parent_code TEXT,
        via TEXT,
        fingerprint TEXT,
        profile TEXT,                   -- parent: the signed profile document received (JSON)
        status TEXT NOT NULL DEFAULT 'active',
        enrolled_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE sync_peer_keys (
        key_id TEXT PRIMARY KEY,
        node_id TEXT NOT NULL REFERENCES sync_peers(node_id),
        purpose TEXT NOT NULL,
        public_key BLOB NOT NULL,
        added_at TEXT NOT NULL,
        retired_at TEXT
    );
    CREATE INDEX sync_peer_keys_node ON sync_peer_keys(node_id);

    -- Child side: what the parent has confirmed, and every package built.
    CREATE TABLE sync_acks (
        parent_id TEXT PRIMARY KEY,
        acked_seq INTEGER NOT NULL,
        receipt_id TEXT,
        confirmed_at TEXT
    );
    CREATE TABLE sync_outgoing (
        package_id TEXT PRIMARY KEY,
        set_id TEXT NOT NULL,
        part INTEGER NOT NULL,
        parts INTEGER NOT NULL,
        to_node TEXT NOT NULL,
        seq_from INTEGER NOT NULL,
        seq_to INTEGER NOT NULL,
        records INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        built_at TEXT NOT NULL,
        sent_at TEXT,
        sent_via TEXT,
        sent_to TEXT,
        received_at TEXT,
        confirmed_at TEXT,
        receipt_id TEXT
    );
    CREATE TABLE sync_receipts_in (
        receipt_id TEXT PRIMARY KEY,
        from_node TEXT NOT NULL,
        acked_seq INTEGER NOT NULL,
        created_at TEXT,
        received_at TEXT NOT NULL,
        detail TEXT NOT NULL
    );

    -- Parent side: packages received, the version of every record received, what was kept aside.
    CREATE TABLE sync_inbox (
        package_id TEXT PRIMARY KEY,
        from_node TEXT NOT NULL,
        set_id TEXT,
        part INTEGER,
        parts INTEGER,
        seq_from INTEGER NOT NULL,
        seq_to INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT,
        received_at TEXT NOT NULL,
        records INTEGER NOT NULL DEFAULT 0,
        applied INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        kept_aside INTEGER NOT NULL DEFAULT 0,
        receipt_id TEXT,
        receipt_at TEXT
    );
    CREATE INDEX sync_inbox_from ON sync_inbox(from_node, seq_from);
    CREATE TABLE sync_versions (
        table_name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        origin TEXT NOT NULL,
        rev INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        digest TEXT NOT NULL,
        withheld INTEGER NOT NULL DEFAULT 0,
        via TEXT NOT NULL,
        package_id TEXT NOT NULL,
        PRIMARY KEY (table_name, record_id)
    );
    CREATE TABLE kept_aside (
        id INTEGER PRIMARY KEY,
        package_id TEXT NOT NULL,
        from_node TEXT NOT NULL,
        table_name TEXT,
        record_id TEXT,
        origin TEXT,
        rev INTEGER,
        reason TEXT NOT NULL,
        detail TEXT,
        record TEXT NOT NULL,
        kept_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (table_name, record_id, rev, reason)
    );
    """)


def _step_4(conn) -> None:
    """Search as you type over case codes at province scale: a small covering index
    instead of a scan of the whole (encrypted) cases table."""
    conn.execute("CREATE INDEX cases_deleted_code ON cases(deleted, code, id)")


def run_script(conn, sql: str) -> None:
    """Run several statements inside the caller's transaction.

    `executescript` would COMMIT first, breaking the one-transaction rule.
    """
    import sqlcipher3

    buffer = ""
    for piece in sql.split(";"):
        buffer += piece + ";"
        if sqlcipher3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if statement.strip(";").strip() and not all(
                line.strip().startswith("--") or not line.strip() for line in statement.splitlines()
            ):
                conn.execute(statement)


def _step_5(conn) -> None:
    """The annual report a commune (or district) finalises and sends up: its figures and its PDF, one record per
    node and year (a later finalising replaces it as a new revision). A parent keeps those it receives here too,
    with when the year's report first arrived (the deadline is judged by that) and when its newest version did."""
    run_script(conn, f"""
    CREATE TABLE annual_reports (
        {SYNCED},
        year INTEGER NOT NULL,
        finalised_on TEXT NOT NULL,     -- the day it was finalised, YYYY-MM-DD
        figures TEXT NOT NULL,          -- JSON: the report's tables as printed (small counts already hidden)
        pdf TEXT NOT NULL,              -- the PDF, base64 (it travels as it is stored)
        finalised_by TEXT,              -- the account that finalised it; never leaves the node
        first_received_at TEXT,         -- parent side: when this node and year's report first arrived here
        received_at TEXT                -- parent side: when its newest version arrived
    );
    CREATE INDEX annual_reports_origin_year ON annual_reports(origin, year);
    """)


def _step_identity_keys(conn) -> None:
    """Identities under identity keys (issue 13): which key sealed a row, a keyed blind index for name and
    phone search instead of the clear folded name, and two account columns (must change password, last log-in).

    The rows themselves are re-encrypted later, at the first log-in of an administrator or officer (only
    they can hold the identity keys): `app.cases.identity.upgrade_node`. Until then nothing changes in who
    can read what. The clear folded-name index goes now (it held every name in the clear)."""
    run_script(conn, """
    ALTER TABLE case_identities ADD COLUMN key_id TEXT;
    DROP INDEX IF EXISTS case_identities_name;
    CREATE TABLE case_search_tokens (
        token BLOB NOT NULL,            -- keyed hash of a folded name word or its prefix, or of phone digits
        case_id TEXT NOT NULL REFERENCES cases(id),
        UNIQUE (token, case_id)
    );
    CREATE INDEX case_search_tokens_case ON case_search_tokens(case_id);
    ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE accounts ADD COLUMN last_login_at TEXT;
    """)


def _step_audit_annex(conn) -> None:
    """Restoring never erases history: the audit entries of the replaced file that the restored backup lacks are
    kept here, as they were (same hashes), one group per restore (`restore_id`, named in that restore's own entry
    of the chain). Append-only like the log itself."""
    run_script(conn, """
    CREATE TABLE audit_annex (
        restore_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        user_id TEXT,
        username TEXT,
        action TEXT NOT NULL,
        target_table TEXT,
        target_id TEXT,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (restore_id, seq)
    );
    CREATE TRIGGER audit_annex_no_update BEFORE UPDATE ON audit_annex
        BEGIN SELECT RAISE(ABORT, 'audit annex is append-only'); END;
    CREATE TRIGGER audit_annex_no_delete BEFORE DELETE ON audit_annex
        BEGIN SELECT RAISE(ABORT, 'audit annex is append-only'); END;
    """)


# Free-text columns a person typed (or a child node sent) that the door now checks (`app.text.bad_character`).
_TYPED_TEXT = {
    "cases": ("taken_by",),
    "case_identities": ("survivor_name", "address", "phone", "id_number", "perpetrator_names", "narrative",
                        "safety_notes"),
    "case_referrals": ("provider_name",),
    "activities": ("title", "place", "organiser", "notes"),
    "models": ("name", "notes"),
    "schools": ("name", "notes"),
    "providers": ("name", "phone", "address", "notes"),
    "attachments": ("filename",),
    "accounts": ("display_name",),
}
# Their folded twins, recomputed when the text changes (a table keeps one only if it has the column).
_FOLDED = {"activities": ("title", "title_norm"), "case_identities": ("survivor_name", "name_norm")}


def _step_clean_text(conn) -> None:
    """Text typed before the door checked it (issue 19): control characters other than line breaks and tabs
    are mended in place — Word's line break (U+000B) becomes a line break, the others go — in every free-text
    column and in the report texts and settings kept in `meta`. Nothing else changes (not a record's revision:
    each node mends its own copy when it upgrades). One audit entry says how many values of which field were
    mended, never what they held. Values that are not text (an encrypted identity is bytes) are left alone."""
    import json

    from app import audit
    from app.text import bad_character, cleaned, fold

    mended: dict[str, int] = {}
    for table, columns in _TYPED_TEXT.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        folded_source, folded_column = _FOLDED.get(table, (None, None))
        for column in columns:
            if column not in present:
                continue
            rows = conn.execute(f"SELECT rowid, {column} FROM {table} WHERE typeof({column}) = 'text'").fetchall()
            for rowid, value in rows:
                if bad_character(value) is None:
                    continue
                value = cleaned(value)
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
                if column == folded_source and folded_column in present:
                    conn.execute(f"UPDATE {table} SET {folded_column} = ? WHERE rowid = ?", (fold(value), rowid))
                mended[f"{table}.{column}"] = mended.get(f"{table}.{column}", 0) + 1
    for key, raw in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'report_text:%' "
                                 "OR key LIKE 'report_setting:%'").fetchall():
        try:
            value = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(value, str) and bad_character(value) is not None:
            value = cleaned(value)
        elif isinstance(value, list) and any(isinstance(v, str) and bad_character(v) for v in value):
            value = [cleaned(v) if isinstance(v, str) else v for v in value]
        else:
            continue
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(value, ensure_ascii=False), key))
        field = "meta.report_text" if key.startswith("report_text:") else f"meta.{key}"
        mended[field] = mended.get(field, 0) + 1
    if mended:
        audit.record(conn, user_id=None, username=None, action="data.clean_text", detail={"mended": mended})


def _step_activity_topic_funding(conn) -> None:
    """Activities as the plans list them (issue 17): what each was about (`topic`, a code of the
    activity_topic list; older activities are about GBV prevention and response in general) and where
    its money came from (`funding_source`, a code of the funding_source list, unknown for older ones)."""
    run_script(conn, """
    ALTER TABLE activities ADD COLUMN topic TEXT;
    ALTER TABLE activities ADD COLUMN funding_source TEXT;
    UPDATE activities SET topic = 'gbv_prevention_response' WHERE topic IS NULL;
    """)


def _step_trust(conn) -> None:
    """Trust in the tree (DESIGN §6, revised 2026-12).

    - A node below a child is admitted only with its acceptance, signed by the parent that accepted it and relayed
      up (`sync_peers.voucher`); its keys are kept in `sync_peer_keys` so that a revocation retires them too.
    - A claim that cannot be admitted (not vouched for, a code or keys already taken, too many new nodes in one
      package) is quarantined: shown to the officer, never applied.
    - The audit-chain head of each child, as its packages report it: a head that goes backwards is flagged.
    """
    run_script(conn, """
    ALTER TABLE sync_peers ADD COLUMN voucher TEXT;
    CREATE TABLE sync_quarantine (
        id INTEGER PRIMARY KEY,
        node_id TEXT NOT NULL,
        kind TEXT,
        code TEXT,
        name TEXT,
        parent_code TEXT,
        via TEXT NOT NULL,              -- the child whose package made the claim
        package_id TEXT,
        reason TEXT NOT NULL,           -- unvouched | code_taken | keys_taken | retired_keys | claimed_elsewhere | too_many_new
        detail TEXT,
        seen_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (node_id, via, reason)
    );
    CREATE TABLE sync_witness (
        node_id TEXT PRIMARY KEY,       -- a child
        audit_seq INTEGER NOT NULL,     -- the highest audit head it has reported
        audit_hash TEXT NOT NULL,
        package_id TEXT,
        built_at TEXT,                  -- when that package was built (the child's clock): older ones arriving late
        seen_at TEXT NOT NULL,          -- are no witness
        problem TEXT,                   -- JSON: the head that went backwards, when it did
        problem_at TEXT
    );
    """)


def _step_disclosure(conn) -> None:
    """Issue 16: a case received from below may carry its month only as a quarter (k-anonymity generalised it
    before it left the commune); the parent keeps how precise `reported_on` is. NULL: as recorded."""
    run_script(conn, """
    ALTER TABLE cases ADD COLUMN reported_precision TEXT;   -- NULL (the month) | 'quarter'
    -- The sender's side: how far each case was widened when it last left (app.sync_allow.generalise). A case
    -- that a later package must widen further is sent again, so that the parent never holds it finer.
    CREATE TABLE case_sent_levels (
        case_id TEXT PRIMARY KEY,
        level INTEGER NOT NULL
    );
    """)


def _step_case_management(conn) -> None:
    """Case management as caseworkers practise it (issue 18). Everything here stays home: the sync allow-list
    reads columns by name, and none of these is on it but `identity_erased_on` (as a month).

    - the caseworker's facts (coded), the privacy notice, the safety plan's parts and the action plan's needs
      and goals, closure's «knows she can come back», reopening, the latest risk level and the person a case
      belongs to (`person_id`, shared by the cases of one person once the officer confirms a match);
    - five more identity fields (safe places, emergency contacts, code word, a safe way and time to contact,
      the survivor's own wishes), sealed like the others;
    - who gave each consent; a referral's legal basis when made without consent; a follow-up's outcome and
      next date;
    - risk assessments, action items and supervisors' reviews, one row each;
    - `identity_erased_on`: the day the identity was erased (Law 91/2025: on request or after retention)."""
    run_script(conn, """
    ALTER TABLE cases ADD COLUMN survivor_occupation TEXT;
    ALTER TABLE cases ADD COLUMN residence_status TEXT;
    ALTER TABLE cases ADD COLUMN nationality TEXT;
    ALTER TABLE cases ADD COLUMN children_count INTEGER;
    ALTER TABLE cases ADD COLUMN children_at_risk TEXT;
    ALTER TABLE cases ADD COLUMN interpreter_need TEXT;
    ALTER TABLE cases ADD COLUMN money_exchanged TEXT;
    ALTER TABLE cases ADD COLUMN abduction TEXT;
    ALTER TABLE cases ADD COLUMN weapon TEXT;
    ALTER TABLE cases ADD COLUMN perpetrator_previous TEXT;
    ALTER TABLE cases ADD COLUMN privacy_notice_on TEXT;
    ALTER TABLE cases ADD COLUMN privacy_notice_by TEXT;
    ALTER TABLE cases ADD COLUMN safety_detail TEXT;        -- JSON: to_take, steps, children, agreed, review_on
    ALTER TABLE cases ADD COLUMN action_needs TEXT;         -- JSON list of service codes
    ALTER TABLE cases ADD COLUMN action_goals TEXT;
    ALTER TABLE cases ADD COLUMN closure_knows_return INTEGER;
    ALTER TABLE cases ADD COLUMN reopened_on TEXT;
    ALTER TABLE cases ADD COLUMN reopen_reason TEXT;
    ALTER TABLE cases ADD COLUMN risk_level TEXT;            -- of the newest assessment
    ALTER TABLE cases ADD COLUMN risk_assessed_on TEXT;
    ALTER TABLE cases ADD COLUMN person_id TEXT;
    ALTER TABLE cases ADD COLUMN identity_erased_on TEXT;
    CREATE INDEX cases_person ON cases(person_id) WHERE person_id IS NOT NULL;
    ALTER TABLE case_identities ADD COLUMN safe_places BLOB;
    ALTER TABLE case_identities ADD COLUMN emergency_contacts BLOB;
    ALTER TABLE case_identities ADD COLUMN code_word BLOB;
    ALTER TABLE case_identities ADD COLUMN contact_way BLOB;
    ALTER TABLE case_identities ADD COLUMN wishes BLOB;
    ALTER TABLE case_consents ADD COLUMN given_by TEXT;     -- survivor | guardian | both
    ALTER TABLE case_referrals ADD COLUMN legal_basis TEXT;  -- sharing_basis code, when made without consent
    ALTER TABLE case_referrals ADD COLUMN basis_reason TEXT;
    ALTER TABLE case_follow_ups ADD COLUMN outcome TEXT;
    ALTER TABLE case_follow_ups ADD COLUMN next_on TEXT;
    CREATE TABLE case_risk_assessments (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        on_date TEXT NOT NULL,
        answers TEXT NOT NULL,          -- JSON: question code -> yes | no | unknown
        score INTEGER NOT NULL,
        level TEXT NOT NULL,
        assessed_by TEXT,
        PRIMARY KEY (case_id, idx)
    );
    CREATE TABLE case_actions (
        case_id TEXT NOT NULL REFERENCES cases(id),
        idx INTEGER NOT NULL,
        what TEXT NOT NULL,
        service TEXT,
        provider_id TEXT,
        person TEXT,
        due_on TEXT,
        status TEXT NOT NULL,
        done_on TEXT,
        PRIMARY KEY (case_id, idx)
    );
    CREATE TABLE case_reviews (      -- a supervisor's review; appended, never rewritten by a save of the case
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        on_date TEXT NOT NULL,
        by_user TEXT,
        by_name TEXT,
        comment TEXT,
        approves_closure INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE INDEX case_reviews_case ON case_reviews(case_id);
    """)


def _step_overview_indexes(conn) -> None:
    """The province's Overview in its time (DESIGN §8): the open and overdue counts, and the year's activities and
    participants by kind, read from an index alone; the schools that integrated the topic found among the year's
    school activities without reading every activity of the year. Indexes only: no record changes."""
    run_script(conn, """
    CREATE INDEX cases_open ON cases(status, deleted, next_follow_up);
    CREATE INDEX activities_school ON activities(deleted, starts_on, kind, ends_on, school_id)
        WHERE school_id IS NOT NULL;
    CREATE INDEX activities_year ON activities(deleted, starts_on, kind, participants_total);
    """)


# Steps 6 on came in one release (issue 13-19): the text is mended while identities are still in the clear,
# before the identity-key step (their encryption follows at an administrator's first log-in).
STEPS: list[Callable] = [_step_1, _step_2, _step_3, _step_4, _step_5, _step_clean_text, _step_identity_keys,
                         _step_audit_annex, _step_activity_topic_funding, _step_trust,
                         _step_disclosure, _step_case_management, _step_overview_indexes]
CURRENT_VERSION = len(STEPS)


def has_identity_keys(store) -> bool:
    """The schema has the identity-key step (a test may run this program with fewer steps)."""
    try:
        return store.user_version >= STEPS.index(_step_identity_keys) + 1
    except ValueError:
        return False


def upgrade(store, *, stop_at: int | None = None, copy_first: bool = True) -> list[int]:
    """Bring `store` to the current schema; return the versions applied.

    `copy_first=False`: no copy aside (a backup being brought up to date is itself the copy)."""
    target = CURRENT_VERSION if stop_at is None else stop_at
    version = store.user_version
    if version > CURRENT_VERSION:
        raise NewerDatabase(
            f"Cơ sở dữ liệu này được tạo bởi phiên bản Bình An mới hơn (lược đồ {version}, "
            f"phiên bản này chỉ đọc đến {CURRENT_VERSION}). Hãy cài phiên bản mới nhất; tệp không bị thay đổi.",
            f"This database was made by a newer Bình An (schema {version}; this version reads up to "
            f"{CURRENT_VERSION}). Install the newest version; the file was not changed.",
        )
    if version >= target:
        return []
    if version > 0 and copy_first:
        copy_aside(store, version)
    applied = []
    for number in range(version + 1, target + 1):
        with store.transaction() as conn:
            STEPS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
        applied.append(number)
    return applied


def copy_aside(store, version: int) -> Path:
    """Copy the whole database file (encrypted as it is) aside before touching its schema."""
    store.checkpoint()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = store.path.with_name(f"{store.path.name}.schema{version}-{stamp}.bak")
    # Under a temporary name until whole: a start killed mid-copy must not leave a half copy that looks usable.
    partial = target.with_name(f".{target.name}.tmp")
    shutil.copy2(store.path, partial)
    os.replace(partial, target)
    return target
