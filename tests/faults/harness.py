"""Kill harness: real `binhan` processes killed with SIGKILL at seeded random moments.

A commune and its province are set up in a temporary folder (in this process,
with cheap Argon2: each key slot records its own cost, so the child processes
open them as quickly). Then, run after run, one real command is started —
save a file of cases (one transaction), build a package, import packages at
the province, write a report, back up, restore — and killed at a random moment
(or let finish, when the moment falls after its end). After every run both
databases are opened and checked:

- the database opens and `PRAGMA integrity_check` says ok, `foreign_key_check` is empty;
- every save a command reported done is there, and every file of cases is there whole or not at all;
- every case's current revision has its outbox entry; the audit chain verifies;
- every package, backup and report under its final name is complete (temporary names are fine);
- the province holds each imported case once, and all of them once an import has finished.

    uv run python -m tests.faults.harness --runs 300 [--seed 1]

Prints the figures (runs, kills, records checked, lost). `tests/FAULTS.md` keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "mật-khẩu-thử"
CASES_PER_FILE = 5
OPERATIONS = ("case_add", "case_add", "export", "import", "report", "backup", "restore")


@contextmanager
def cheap_costs():
    """Cheap Argon2 and no OS keyring while the nodes are made (the slots keep the cost they were made with)."""
    import nacl.pwhash

    from app.store import keyslots
    from sync import keys as node_keys

    saved = (keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT, keyslots.usable_keyring,
             node_keys.BACKUP_OPSLIMIT, node_keys.BACKUP_MEMLIMIT)
    keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.usable_keyring = lambda: None
    node_keys.BACKUP_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN
    node_keys.BACKUP_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN
    try:
        yield
    finally:
        (keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT, keyslots.usable_keyring,
         node_keys.BACKUP_OPSLIMIT, node_keys.BACKUP_MEMLIMIT) = saved


def case_batch(batch: int) -> list[dict]:
    """A file of cases; each carries its batch in the narrative, so a half-saved file would show."""
    from tests.conftest import sample_case

    cases = []
    for i in range(CASES_PER_FILE):
        case = sample_case()
        case["identity"] = dict(case["identity"], narrative=f"batch {batch} case {i}")
        case["survivor"] = dict(case["survivor"], age=20 + i)
        cases.append(case)
    return cases


@dataclass
class Figures:
    runs: int = 0
    kills: int = 0
    finished: int = 0
    records_checked: int = 0
    files_checked: int = 0
    lost: int = 0
    by_operation: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def line(self) -> str:
        return (f"runs: {self.runs}  kills: {self.kills}  finished before the kill: {self.finished}  "
                f"records checked: {self.records_checked}  files checked: {self.files_checked}  "
                f"lost: {self.lost}  problems: {len(self.problems)}")


class World:
    """A province and one enrolled commune on disk, plus what the commands reported done."""

    def __init__(self, root: Path):
        from app.node import Node
        from sync import enrol, package
        from sync.transports import folder

        self.root = root
        self.commune_dir = root / "TN01"
        self.province_dir = root / "TB"
        self.incoming = root / "incoming"      # packages the province imports (made at set-up)
        self.exports = root / "exports"        # packages the commune builds during runs
        self.reports = root / "reports"
        self.case_files = root / "case-files"
        for d in (self.incoming, self.exports, self.reports, self.case_files):
            d.mkdir(parents=True)
        with cheap_costs():
            province, _ = Node.create(self.province_dir, kind="province", name="Tỉnh Thái Bình", code="TB",
                                      parent_code=None, profile_code="thai_binh", admin_username="admin",
                                      admin_password=PASSWORD)
            commune, _ = Node.create(self.commune_dir, kind="commune", name="Xã Thử Nghiệm", code="TN01",
                                     parent_code="TB", profile_code="thai_binh", admin_username="admin",
                                     admin_password=PASSWORD)
            p = province.login("admin", PASSWORD)
            c = commune.login("admin", PASSWORD)
            try:
                profile = enrol.export_profile(p, root / "TB.profile")
                enrol.import_profile(c, profile)
                registration = enrol.export_registration(c, root / "TN01.registration")
                enrol.import_registration(p, registration,
                                          accept_fingerprint=enrol.read_registration(registration)["fingerprint"])
                # Three packages waiting for the province, five cases each.
                self.sent_case_ids: set[str] = set()
                for batch in range(3):
                    with c.store.transaction():
                        for case in case_batch(1000 + batch):
                            self.sent_case_ids.add(c.cases.save(case)["id"])
                    folder.send_packages(c, package.build(c), self.incoming)
            finally:
                c.close()
                p.close()
            opened = commune.slots.open_password_slot("admin", PASSWORD)
            self.commune_key = opened.db_key
            from app.cases.identity import IdentityKeys

            self.commune_identity = IdentityKeys(opened.identity_keys, commune.slots.scopes())
            self.province_key = province.slots.open_with_password("admin", PASSWORD)
        self.confirmed_case_ids: set[str] = set(self.sent_case_ids)
        self.import_finished = False
        self.next_batch = 0
        self.checked_files: set[tuple[str, int]] = set()

    # --- running one command ---------------------------------------------------------
    def command(self, operation: str) -> tuple[Path, list[str], dict]:
        """The node folder, the arguments and what the run is about, for one operation."""
        if operation == "case_add":
            batch = self.next_batch
            self.next_batch += 1
            path = self.case_files / f"batch-{batch}.json"
            path.write_text(json.dumps(case_batch(batch), ensure_ascii=False), encoding="utf-8")
            return self.commune_dir, ["case", "add", "--json", str(path)], {"batch": batch}
        if operation == "export":
            return self.commune_dir, ["sync", "export", "--out", str(self.exports)], {}
        if operation == "import":
            return self.province_dir, ["sync", "import", str(self.incoming),
                                       "--receipt-out", str(self.root / "receipts")], {}
        if operation == "report":
            out = self.reports / f"statistics-{self.next_batch}-{time.monotonic_ns()}.xlsx"
            return self.commune_dir, ["report", "statistics", "--year", "2025", "--format", "xlsx",
                                      "--out", str(out)], {}
        if operation == "backup":
            return self.commune_dir, ["backup"], {}
        if operation == "restore":
            # The newest backup is made (and finishes) first, so it holds every save reported done.
            proc = run_binhan(self.commune_dir, ["backup"])
            out, err = proc.communicate(timeout=120)
            if proc.returncode != 0:
                raise RuntimeError(f"backup before restore failed: {err}")
            newest = sorted((self.commune_dir / "backups").glob("binhan-*.db"))[-1]
            return self.commune_dir, ["restore", str(newest)], {}
        raise ValueError(operation)

    def finished(self, operation: str, stdout: str, about: dict) -> None:
        """Note what a command that ran to its end reported done."""
        if operation == "case_add":
            ids = [line.split("\t")[1] for line in stdout.splitlines() if line.count("\t") == 2]
            if len(ids) != CASES_PER_FILE:
                raise AssertionError(f"case add reported {len(ids)} cases: {stdout!r}")
            self.confirmed_case_ids.update(ids)
        elif operation == "import":
            self.import_finished = True

    # --- checking -------------------------------------------------------------------------
    def check(self, figures: Figures) -> list[str]:
        problems = []
        problems += self._check_commune(figures)
        problems += self._check_province(figures)
        problems += self._check_files(figures)
        return problems

    def _open(self, node_dir: Path, key: bytes):
        from app.store.db import DB_NAME, Store

        return Store.open(node_dir / DB_NAME, key)

    def _check_database(self, store, figures: Figures, where: str) -> list[str]:
        from app import audit

        problems = []
        result = store.scalar("PRAGMA integrity_check")
        if result != "ok":
            problems.append(f"{where}: integrity_check: {result}")
        orphans = store.query("PRAGMA foreign_key_check")
        if orphans:
            problems.append(f"{where}: rows without their parent: {orphans[:3]}")
        missing_outbox = store.query(
            "SELECT c.id, c.rev FROM cases c WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.table_name = 'cases'"
            " AND o.record_id = c.id AND o.rev = c.rev)")
        if missing_outbox:
            problems.append(f"{where}: {len(missing_outbox)} case revisions without their outbox entry")
        dangling = store.scalar(
            "SELECT count(*) FROM outbox o WHERE o.table_name = 'cases' AND NOT EXISTS"
            " (SELECT 1 FROM cases c WHERE c.id = o.record_id AND c.rev >= o.rev)")
        if dangling:
            problems.append(f"{where}: {dangling} outbox entries for case revisions that are not there")
        verdict = audit.verify(store)
        if not verdict.ok:
            problems.append(f"{where}: audit chain: {verdict.reason_en}")
        figures.records_checked += store.scalar("SELECT count(*) FROM cases") + verdict.entries
        return problems

    def _check_commune(self, figures: Figures) -> list[str]:
        try:
            store = self._open(self.commune_dir, self.commune_key)
        except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
            return [f"commune: database does not open: {type(exc).__name__}: {exc}"]
        try:
            problems = self._check_database(store, figures, "commune")
            ids = {r["id"] for r in store.query("SELECT id FROM cases")}
            lost = self.confirmed_case_ids - ids
            if lost:
                figures.lost += len(lost)
                problems.append(f"commune: {len(lost)} cases reported saved are missing")
            batches: dict[str, int] = {}
            from app.cases import identity

            for row in store.query("SELECT * FROM case_identities"):
                batch = identity.read(self.commune_identity, row)["narrative"].rsplit(" case ", 1)[0]
                batches[batch] = batches.get(batch, 0) + 1
            halves = {b: n for b, n in batches.items() if n != CASES_PER_FILE}
            if halves:
                problems.append(f"commune: files of cases saved in part: {halves}")
            if len(ids) != store.scalar("SELECT count(*) FROM case_identities"):
                problems.append("commune: cases and identities differ in number")
            return problems
        finally:
            store.close()

    def _check_province(self, figures: Figures) -> list[str]:
        try:
            store = self._open(self.province_dir, self.province_key)
        except Exception as exc:  # noqa: BLE001
            return [f"province: database does not open: {type(exc).__name__}: {exc}"]
        try:
            problems = self._check_database(store, figures, "province")
            ids = [r["id"] for r in store.query("SELECT id FROM cases")]
            if len(ids) != len(set(ids)):
                problems.append("province: a case is held twice")
            if set(ids) - self.sent_case_ids:
                problems.append("province: holds cases nobody sent")
            if self.import_finished:
                lost = self.sent_case_ids - set(ids)
                if lost:
                    figures.lost += len(lost)
                    problems.append(f"province: {len(lost)} imported cases are missing")
            return problems
        finally:
            store.close()

    def _check_files(self, figures: Figures) -> list[str]:
        """Every file under its final name is whole. Temporary names (a leading dot) are allowed."""
        from sync import package

        problems = []
        candidates = [(p, "package") for p in self.exports.glob("*") if not p.name.startswith(".")]
        candidates += [(p, "report") for p in self.reports.glob("*") if not p.name.startswith(".")]
        candidates += [(p, "backup") for p in (self.commune_dir / "backups").glob("binhan-*.db")]
        for path, kind in candidates:
            if not path.is_file():
                continue
            mark = (str(path), path.stat().st_size)
            if mark in self.checked_files:
                continue
            try:
                if kind == "package":
                    if path.name.endswith(package.SUFFIX):
                        package.parse(path.read_bytes())
                elif kind == "report":
                    with zipfile.ZipFile(path) as z:
                        bad = z.testzip()
                        if bad:
                            raise ValueError(f"damaged member {bad}")
                else:
                    from app.store.db import connect

                    conn = connect(path, self.commune_key)
                    try:
                        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
                    finally:
                        conn.close()
                    if result != "ok":
                        raise ValueError(result)
                    if not path.with_name(path.name + ".keyslots.json").exists():
                        raise ValueError("its key-slot copy is missing")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{kind} {path.name} is not whole: {type(exc).__name__}: {exc}")
                continue
            self.checked_files.add(mark)
            figures.files_checked += 1
        return problems


def run_binhan(node_dir: Path, args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, BINHAN_PASSWORD=PASSWORD, BINHAN_LANG="en", PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "binhan", "--data-dir", str(node_dir), "--user", "admin", *args],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(runs: int, seed: int, *, root: Path | None = None, log=print) -> Figures:
    """Do `runs` seeded runs; return the figures (problems listed in `figures.problems`)."""
    rng = random.Random(seed)
    figures = Figures()
    own_root = root is None
    root = Path(tempfile.mkdtemp(prefix="binhan-faults-")) if own_root else root
    try:
        world = World(root / "world")
        durations: dict[str, float] = {}
        for n in range(runs):
            operation = rng.choice(OPERATIONS)
            node_dir, args, about = world.command(operation)
            started = time.monotonic()
            proc = run_binhan(node_dir, args)
            expected = durations.get(operation)
            # The first run of each kind goes to its end, to learn how long it takes; later ones die within it.
            deadline = None if expected is None else rng.uniform(0.2, 1.3) * expected
            try:
                out, err = proc.communicate(timeout=deadline if deadline is not None else 300)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                out, err = proc.communicate()
            elapsed = time.monotonic() - started
            figures.runs += 1
            tally = figures.by_operation.setdefault(operation, {"runs": 0, "kills": 0})
            tally["runs"] += 1
            if proc.returncode == -signal.SIGKILL:
                figures.kills += 1
                tally["kills"] += 1
            elif proc.returncode == 0:
                figures.finished += 1
                durations[operation] = max(durations.get(operation, 0.0), elapsed)
                world.finished(operation, out, about)
            else:
                figures.problems.append(f"run {n} {operation}: exit {proc.returncode}: {err.strip()[-300:]}")
            problems = world.check(figures)
            for problem in problems:
                figures.problems.append(f"run {n} {operation} ({'killed' if proc.returncode < 0 else 'done'}"
                                        f" after {elapsed:.2f} s): {problem}")
            if problems and log:
                log("\n".join(figures.problems[-len(problems):]))
            if log and (n + 1) % 25 == 0:
                log(f"… {figures.line()}")
        return figures
    finally:
        if own_root:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.harness", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BINHAN_FAULT_RUNS", "20")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.monotonic()
    figures = run(args.runs, args.seed)
    print(figures.line())
    print(f"seed: {args.seed}  time: {time.monotonic() - started:.0f} s  by operation: "
          + ", ".join(f"{k} {v['runs']}/{v['kills']} killed" for k, v in sorted(figures.by_operation.items())))
    for problem in figures.problems:
        print("PROBLEM:", problem)
    return 0 if not figures.problems and figures.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
