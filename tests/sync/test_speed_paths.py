"""The fast paths of sync say what the careful ones say.

`check` answers well-formed records from a few set lookups and falls back to
`check_carefully` for anything else: it must never accept what the careful
check refuses. The allow-list writes records as JSON text in SQLite: parsed,
each one (and each of its rows) has exactly the fields of its spec.
"""

import copy
import gc
import random

import pytest

from app import sync_allow
from tests.conftest import CANARY_NAME
from tests.sync.test_allow_list import _plant_everything

ODD_VALUES = [None, True, False, 0, 1, -1, 10**16, 1.5, "", "x", "2025-13", "2025-03", "2025-03-10",
              "2025-02-31x", "unknown_code", "Bad Code", CANARY_NAME, "a\n", [], ["x"], [1], [[1]], {}, {"2024": True},
              {"2024": 1}, {"x": True}, [{}], [{"scope": "reporting"}], "1" * 70]


def _allowed_records(session) -> list[tuple[str, dict]]:
    out = []
    with session.store.lock:
        conn = session.store.conn
        for table in sync_allow.SPEC:
            ids = [r[0] for r in conn.execute(f"SELECT id FROM {table}")]
            out += [(table, record) for record in sync_allow.outgoing_many(conn, table, ids).values()]
    return out


def _mutations(record: dict, rng: random.Random):
    """Copies of `record` with one value changed (at the top or inside a row), one key added or one removed."""
    for key in record:
        for value in ODD_VALUES:
            changed = copy.deepcopy(record)
            changed[key] = copy.deepcopy(value)
            yield changed
        if isinstance(record[key], list) and record[key] and isinstance(record[key][0], dict):
            for inner in record[key][0]:
                for value in rng.sample(ODD_VALUES, 8):
                    changed = copy.deepcopy(record)
                    changed[key][0][inner] = copy.deepcopy(value)
                    yield changed
                changed = copy.deepcopy(record)
                del changed[key][0][inner]
                yield changed
            changed = copy.deepcopy(record)
            changed[key][0]["note"] = CANARY_NAME
            yield changed
        changed = copy.deepcopy(record)
        del changed[key]
        yield changed
    changed = copy.deepcopy(record)
    changed["survivor_name"] = CANARY_NAME
    yield changed


def test_the_fast_check_agrees_with_the_careful_one(tree):
    _plant_everything(tree.commune)
    reference = tree.province.reference
    records = _allowed_records(tree.commune)
    assert {t for t, _ in records} == set(sync_allow.SPEC)
    rng = random.Random(5)
    tried = 0
    for table, record in records:
        assert sync_allow.check(table, record, reference) == [], (table, record)
        assert sync_allow.check_carefully(table, record, reference) == []
        for changed in _mutations(record, rng):
            fast = sync_allow.check(table, changed, reference)
            careful = sync_allow.check_carefully(table, changed, reference)
            assert fast == careful, (table, changed)
            tried += 1
    assert tried > 1000


def test_outgoing_records_and_their_rows_have_exactly_their_spec(tree):
    _plant_everything(tree.commune)
    records = _allowed_records(tree.commune)
    assert any(record.get("services") for _, record in records)
    for table, record in records:
        spec = sync_allow.WITHHELD if record.get("withheld") else sync_allow.SPEC[table]
        sent = set(spec) if record.get("withheld") else sync_allow.SENT[table]
        assert set(record) == set(sent), table
        for key, sub in spec.items():
            if sub.kind == "rows" and key in sent:
                assert isinstance(record[key], list)
                for row in record[key]:  # a part row may carry fewer fields than a parent accepts (issue 16)
                    assert set(row) <= set(sub.rows) and set(row) >= {k for k, f in sub.rows.items() if f.required}


def test_outgoing_reads_any_number_of_ids_in_one_go(tree):
    made = _plant_everything(tree.commune)
    ids = [made["case"]["id"]] + [f"missing-{n}" for n in range(3000)]
    with tree.commune.store.lock:
        out = sync_allow.outgoing_many(tree.commune.store.conn, "cases", ids)
    assert list(out) == [made["case"]["id"]]


# --- storing: SQLite building the rows from the records' JSON writes what Python writes -----------------------
def _valid_variants(table: str, record: dict, reference, rng: random.Random):
    """`record` and copies of it that still pass the check: optional fields null or missing, part lists
    empty, null or missing, a part row twice (the same key, other values), the record withheld."""
    spec = sync_allow.SPEC[table]
    yield record
    for key, sub in spec.items():
        if not sub.required and key in record:
            yield {**record, key: None}
            yield {k: v for k, v in record.items() if k != key}
        if sub.kind in ("rows", "codes") and record.get(key):
            yield {**record, key: []}
            twice = copy.deepcopy(record[key]) + copy.deepcopy(record[key][:1])
            if sub.kind == "rows":
                for field_name, field_spec in sub.rows.items():
                    if field_spec.kind == "bool":
                        twice[-1][field_name] = not twice[-1].get(field_name)
                    elif field_spec.kind == "month" and not field_spec.required:
                        twice[-1][field_name] = rng.choice([None, "2024-01"])
            yield {**record, key: twice}
        if sub.kind == "year_flags" and record.get(key):
            yield {**record, key: {**record[key], "2019": False}}
    if table == "cases":
        yield sync_allow.withheld_stub(record)


def _stored(session, table: str, batches: list[list[dict]], **how) -> dict:
    """The rows `store_many` writes for `batches` (one after the other, in one transaction that is undone)."""
    key, parts = sync_allow._PARTS[table]
    with session.store.lock:
        conn = session.store.conn
        conn.execute("BEGIN")
        try:
            for batch in batches:
                held = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
                sync_allow.store_many(conn, table, batch, fresh={r["id"] for r in batch if r["id"] not in held},
                                      **how)
            return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in (table, *parts)}
        finally:
            conn.execute("ROLLBACK")


def test_storing_in_sql_writes_the_rows_python_writes(tree):
    from bench.sync_bench import fill_commune

    _plant_everything(tree.commune)
    fill_commune(tree.commune, 150, seed=3)
    reference = tree.province.reference
    rng = random.Random(11)
    by_table: dict[str, list[dict]] = {}
    for table, record in _allowed_records(tree.commune):
        by_table.setdefault(table, []).append(record)
    assert set(sync_allow._STORE_SQL) <= set(by_table)
    for table in sync_allow._STORE_SQL:
        originals = by_table[table]
        variants = [v for record in originals for v in _valid_variants(table, record, reference, rng)
                    if sync_allow.check(table, v, reference) == []]
        assert len(variants) > 3 * len(originals), table
        # New ids first; then each id again with another version, replacing the copy and its parts.
        first, second = {}, {}
        for n, variant in enumerate(variants):
            renamed = {**variant, "id": f"{variant['id'][:40]}-{n}"}
            first[renamed["id"]] = renamed
            second[renamed["id"]] = {**variants[(n * 7 + 3) % len(variants)], "id": renamed["id"]}
        if table == "cases":  # codes are unique: each id keeps its own
            for batch in (first, second):
                for record_id, record in batch.items():
                    if "code" in record:
                        batch[record_id] = {**record, "code": f"C-{record_id[-40:]}"}
        batches = [list(first.values()), list(second.values())]
        careful = _stored(tree.province, table, batches, carefully=True)
        in_sql = _stored(tree.province, table, batches)
        assert careful == in_sql, table
        assert careful[table], table
        texts = [[sync_allow.orjson.dumps(r, option=sync_allow.orjson.OPT_SORT_KEYS) for r in b] for b in batches]
        with_texts = _stored(tree.province, table, batches[:1]) == _stored(tree.province, table, batches[:1],
                                                                          texts=texts[0])
        assert with_texts, table


# --- applying: the writes go to a second thread a chunk at a time; the state is the same at any chunk size --------
def _package_stream(records: list[tuple[str, dict]], rng: random.Random) -> list[tuple[str, dict]]:
    """The records, with newer copies (other rows, withheld), stale repeats and refused ones mixed in."""
    out = list(records)
    for table, record in records:
        draw = rng.random()
        if draw < 0.3:
            newer = copy.deepcopy(record)
            newer["rev"] += 1
            for key, value in newer.items():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    newer[key] = value[::-1][:max(1, len(value) - 1)]
            out.append((table, newer))
            if table == "cases" and draw < 0.1:
                out.append((table, {**sync_allow.withheld_stub(newer), "rev": newer["rev"] + 1}))
        elif draw < 0.45:
            out.append((table, copy.deepcopy(record)))  # the same again: unchanged
        elif draw < 0.55 and table == "cases":
            out.append((table, {**record, "rev": record["rev"] + 5, "status": "no_such_status"}))  # kept aside
    rng.shuffle(out)
    return out


def _applied(session, sender_id: str, records, chunk: int, monkeypatch, aside_first: dict | None = None):
    from sync import importer

    monkeypatch.setattr(importer, "_CHUNK", chunk)
    result = importer.ImportResult("p-1", {"id": sender_id}, "", "applied", 1, 1)
    tables = [t for table in sync_allow.SPEC for t in (table, *sync_allow._PARTS[table][1])] + ["sync_versions"]
    with session.store.lock:
        conn = session.store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if aside_first:
                importer._keep_aside(conn, "p-0", sender_id, "cases", aside_first, "unknown_code", [])
            importer.apply_records(session, conn, package_id="p-1", sender_id=sender_id,
                                   schema_version=sync_allow.SYNC_SCHEMA, manifest={}, records=records,
                                   result=result)
            rows = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
            # When this node received a record is the clock's, not the package's: the same in every run but for time.
            when = [i for i, c in enumerate(conn.execute("SELECT * FROM annual_reports LIMIT 0").description)
                    if c[0] in ("received_at", "first_received_at")]
            rows["annual_reports"] = [tuple(v for i, v in enumerate(r) if i not in when)
                                      for r in rows["annual_reports"]]
            rows["outbox"] = conn.execute("SELECT table_name, record_id, rev FROM outbox ORDER BY seq").fetchall()
            rows["kept_aside"] = conn.execute("SELECT package_id, table_name, record_id, rev, reason, record,"
                                              " resolved_at IS NULL FROM kept_aside ORDER BY id").fetchall()
        finally:
            conn.execute("ROLLBACK")
    return (result.applied, result.unchanged, result.kept_aside), rows


def test_applying_in_chunks_on_the_writer_thread_ends_in_the_same_state(tree, monkeypatch):
    from bench.sync_bench import fill_commune

    _plant_everything(tree.commune)
    fill_commune(tree.commune, 60, seed=4)
    records = _package_stream(_allowed_records(tree.commune), random.Random(8))
    sender = tree.commune.origin
    first_case = next(r for t, r in records if t == "cases")
    for aside_first in (None, {**first_case, "rev": 1}):
        whole, rows = _applied(tree.province, sender, records, 10**6, monkeypatch, aside_first)
        applied, unchanged, kept = whole
        assert applied > len(records) // 2 and unchanged and kept, whole[:2]
        assert rows["cases"] and rows["case_services"] and rows["sync_versions"]
        for chunk in (1, 2, 7):
            assert _applied(tree.province, sender, records, chunk, monkeypatch, aside_first) == (whole, rows), chunk


def test_a_failed_write_on_the_writer_thread_fails_the_apply_and_stops_the_writes(tree, monkeypatch):
    from sync import importer

    _plant_everything(tree.commune)
    records = _allowed_records(tree.commune) * 3
    calls = []

    def failing(conn, table, batch, **kw):
        calls.append(table)
        raise OSError("disk full")

    monkeypatch.setattr(importer, "store_many", failing)
    monkeypatch.setattr(importer, "_CHUNK", 1)
    result = importer.ImportResult("p-1", {"id": tree.commune.origin}, "", "applied", 1, 1)
    with tree.province.store.lock:
        conn = tree.province.store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            try:
                importer.apply_records(tree.province, conn, package_id="p-1", sender_id=tree.commune.origin,
                                       schema_version=sync_allow.SYNC_SCHEMA, manifest={}, records=records,
                                       result=result)
            except OSError as exc:
                assert str(exc) == "disk full"
            else:
                raise AssertionError("the writer's error was lost")
        finally:
            conn.execute("ROLLBACK")
    assert calls == [calls[0]], "nothing is written after the first failure"


def test_a_value_with_a_trailing_line_break_is_refused_by_both_checks(tree):
    """`$` in a pattern lets one trailing "\\n" through ("2025-03\\n"); every received string value must end where
    its pattern ends."""
    _plant_everything(tree.commune)
    reference = tree.province.reference
    tried = 0
    for table, record in _allowed_records(tree.commune):
        for key, value in record.items():
            if isinstance(value, str) and value:
                changed = {**record, key: value + "\n"}
                assert sync_allow.check(table, changed, reference) != [], (table, key)
                assert sync_allow.check_carefully(table, changed, reference) != [], (table, key)
                tried += 1
    assert tried > 20


def test_the_cycle_collector_is_off_while_a_package_applies_and_as_before_after(tree, monkeypatch):
    from bench.sync_bench import fill_commune
    from sync import importer, package
    from sync.errors import PackageAltered

    fill_commune(tree.commune, 5, seed=3)
    data = package.build(tree.commune)[0].data
    seen = []
    apply_records = importer.apply_records

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return apply_records(*args, **kwargs)

    monkeypatch.setattr(importer, "apply_records", watched)
    assert gc.isenabled()
    altered = data[:-1] + bytes([data[-1] ^ 1])  # the signature no longer holds
    with pytest.raises(PackageAltered):
        importer.import_package(tree.province, altered)
    assert gc.isenabled(), "a refusal turns the collector on again"
    assert importer.import_package(tree.province, data).applied == 5
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        assert importer.import_package(tree.province, data).verdict == "replayed"
        assert not gc.isenabled(), "a collector the caller turned off stays off"
    finally:
        gc.enable()
