"""Package of 10 000 changes: build at the commune, apply at the province (DESIGN §8: ≤ 1 s / ≤ 2 s).

    uv run python -m bench.sync_bench                   # 10 000 cases, 5 runs each
    uv run python -m bench.sync_bench --changes 2000 --repeat 3
    uv run python -m bench.sync_bench --profile build   # cProfile of one build (or: apply)
    SORT=tottime uv run python -m bench.sync_bench --profile apply   # … sorted by own time

A commune and a province are created in a temporary folder and enrolled as
people do it. The commune is filled with valid cases written in bulk the way
`app.demo.province` writes them (the core's own cleaning decides every row),
each with its outbox entry, so the package carries `--changes` records.

*build* is `sync.package.build` (read, allow-list, encode, compress, encrypt,
sign). *apply* is `sync.importer.import_package` on a fresh copy of the
enrolled province each run (verify, decrypt, check, write, in one
transaction; the writes run on a second thread while the next records are
checked, so apply uses both cores). *raw* is a plain `executemany` of the same
case rows into a fresh copy of the same schema, in one transaction: the floor
apply stands on. The cpu column is this process's CPU time, both threads.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, UTC
from pathlib import Path

import nacl.pwhash

from bench.__main__ import machine

BUILD_BUDGET_MS = 1000
APPLY_BUDGET_MS = 2000
PASSWORD = "mật-khẩu-đo-tốc-độ"


def _cheap_logins() -> None:
    # Log-in cost is not what is measured here; the slots record the cost they were made with.
    from app.store import keyslots

    keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN


def _node(folder: Path, code: str, kind: str, parent: str | None):
    from app.node import Node

    Node.create(folder, kind=kind, name=f"Đo tốc độ {code}", code=code, parent_code=parent,
                profile_code="thai_binh", admin_username="admin", admin_password=PASSWORD)
    return _login(folder)


def _login(folder: Path):
    from app.node import Node

    return Node.open(folder).login("admin", PASSWORD)


def _enrol(parent, child, files: Path) -> None:
    from sync import enrol

    profile = enrol.export_profile(parent, files / "p.profile.binhan")
    enrol.import_profile(child, profile)
    registration = enrol.export_registration(child, files / "c.registration.binhan")
    enrol.import_registration(parent, registration,
                              accept_fingerprint=enrol.read_registration(registration)["fingerprint"])


def fill_commune(session, changes: int, seed: int = 7) -> None:
    """`changes` valid cases of this commune, written in bulk with one outbox entry each."""
    from app.demo.cases import CaseFactory
    from app.demo.common import stamp, uuid7
    from app.demo.province import INSERTS, case_rows, last_event, normalise_case

    rng = random.Random(seed)
    today = date.today()
    factory = CaseFactory(session.reference, today)
    now = datetime.now(UTC)
    origin, code = session.origin, session.node_info.code
    rows: dict[str, list] = {table: [] for table in INSERTS}
    outbox = []
    first = today - timedelta(days=4 * 365)
    for n in range(1, changes + 1):
        day = first + timedelta(days=rng.randrange((today - first).days))
        cleaned = normalise_case(factory.make(rng, day, with_identity=False), session.reference)
        created = stamp(rng, date.fromisoformat(cleaned["intake"]["reported_on"]), now)
        updated = max(created, stamp(rng, date.fromisoformat(last_event(cleaned)), now))
        case_id = uuid7(rng, created)
        for table, values in case_rows(case_id, origin, f"{code}-{day.year}-{n:05d}", cleaned, created,
                                       updated).items():
            rows[table].extend(values)
        outbox.append(("cases", case_id, 1, updated))
    with session.store.transaction() as conn:
        for table, values in rows.items():
            if values:
                conn.executemany(INSERTS[table], values)
        conn.executemany("INSERT INTO outbox (table_name, record_id, rev, changed_at) VALUES (?, ?, ?, ?)", outbox)


RECORD_TABLES = ("cases", "case_dv_acts", "case_perpetrators", "case_consents", "case_services", "case_referrals",
                 "case_follow_ups", "case_perpetrator_actions")


def stored_rows(session) -> dict[str, tuple[list[str], list[tuple]]]:
    """The record rows an import wrote, table by table: what the raw insert writes again."""
    out = {}
    for table in RECORD_TABLES:
        cur = session.store.conn.execute(f"SELECT * FROM {table}")
        out[table] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def raw_insert(session, rows: dict[str, tuple[list[str], list[tuple]]]) -> None:
    with session.store.transaction() as conn:
        for table, (names, values) in rows.items():
            if values:
                conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                 values)


def timed(fn, cpu: list[float]) -> float:
    """Wall-clock ms of `fn()`; its CPU ms (this process) go to `cpu` — steadier on a shared machine."""
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def _row(what: str, times: list[float], cpu: list[float], budget: float | None) -> str:
    med = statistics.median(times)
    verdict = "" if budget is None else ("ok" if med <= budget else "OVER")
    return (f"{what:<32}{med:>8.0f}{min(times):>8.0f}{max(times):>8.0f}{statistics.median(cpu):>8.0f}"
            f"{'' if budget is None else budget:>8}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_bench")
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", choices=["build", "apply"], help="print a cProfile of one run instead")
    parser.add_argument("--keep", action="store_true", help="leave the temporary nodes on disk")
    args = parser.parse_args(argv)

    _cheap_logins()
    from sync import importer, package

    root = Path(tempfile.mkdtemp(prefix="binhan-sync-bench-"))
    sessions = []
    try:
        files = root / "files"
        files.mkdir()
        province = _node(root / "province", "TB", "province", None)
        commune = _node(root / "commune", "TN01", "commune", "TB")
        sessions += [province, commune]
        _enrol(province, commune, files)
        province.close()
        sessions.remove(province)
        started = time.perf_counter()
        fill_commune(commune, args.changes)
        print(f"{args.changes} cases written at the commune in {time.perf_counter() - started:.1f} s")

        fresh_runs = iter(range(10_000))

        def fresh_province():
            target = root / f"province-{next(fresh_runs)}"
            shutil.copytree(root / "province", target)
            session = _login(target)
            sessions.append(session)
            return session

        if args.profile:
            built = package.build(commune)
            target = fresh_province()
            profiler = cProfile.Profile()
            profiler.enable()
            if args.profile == "build":
                package.build(commune)
            else:
                importer.import_package(target, built[0].data)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(35)
            return 0

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        builds, applies, raws = [], [], []
        cpu = {"build": [], "apply": [], "raw": []}
        built = None
        for _ in range(args.repeat):
            holder = {}
            builds.append(timed(lambda holder=holder: holder.update(built=package.build(commune)), cpu["build"]))
            built = holder["built"]
        assert len(built) == 1 and built[0].records == args.changes, "one package with every change expected"
        rows = None
        for _ in range(args.repeat):
            target = fresh_province()
            holder = {}
            applies.append(timed(lambda holder=holder, target=target: holder.update(
                result=importer.import_package(target, built[0].data)), cpu["apply"]))
            assert holder["result"].applied == args.changes, "every change applied expected"
            rows = rows or stored_rows(target)
            target.close()
            sessions.remove(target)
            raw_target = fresh_province()
            raws.append(timed(lambda raw_target=raw_target, rows=rows: raw_insert(raw_target, rows), cpu["raw"]))
            raw_target.close()
            sessions.remove(raw_target)

        print(machine())
        print(f"package: {len(built[0].data) / 1024:.0f} KiB for {args.changes} cases")
        after = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        print(f"load average before / after the runs: {load:.2f} / {after:.2f} (other work on the machine slows"
              " every figure; on 2 cores a load above 1 also takes the second core apply writes on)")
        print(f"{'ms':<32}{'median':>8}{'min':>8}{'max':>8}{'cpu':>8}{'budget':>8}")
        print(_row(f"build, {args.changes} changes", builds, cpu["build"], BUILD_BUDGET_MS))
        print(_row(f"apply, {args.changes} changes", applies, cpu["apply"], APPLY_BUDGET_MS))
        print(_row("raw executemany, same rows", raws, cpu["raw"], None))
        print(f"apply / raw executemany: {statistics.median(applies) / statistics.median(raws):.1f}× wall, "
              f"{statistics.median(cpu['apply']) / statistics.median(cpu['raw']):.1f}× cpu")
        return 0
    finally:
        for s in sessions:
            if s.store is not None:
                s.close()
        if args.keep:
            print(f"nodes kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
