"""Measure Bình An against every budget of DESIGN §8 and print one table.

    uv run python -m bench                      # everything (~10 min on 2 cores)
    uv run python -m bench --quick              # fewer repeats (~4 min)
    uv run python -m bench --only start,memory  # some of: list, search, save, report, sync, start, memory
    uv run python -m bench --markdown           # the table as Markdown too (for bench/RESULTS.md)

The data sets are generated under bench/data/ the first time (`bench.datasets`:
the province, 200 communes × 5 years; a commune of 10 000 cases) and measured
on throwaway copies in a temporary folder, so every run starts from the same
files. Each line gives the median, min and max of repeated runs; the window's
start and its memory are measured in fresh processes (`bench.window`). Budgets
are checked here, never as timed assertions in tests. Record results in
bench/RESULTS.md with the machine description this prints.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCHES = ("list", "search", "save", "report", "cli", "sync", "start", "year", "memory", "bundle")


# --- results ----------------------------------------------------------------------------------------------
@dataclass
class Row:
    what: str
    values: list[float]
    budget: float | None = None
    unit: str = "ms"  # "ms", "MiB" or "×"
    notes: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def verdict(self) -> str:
        if not self.values:
            return "not measured"
        if self.budget is None:
            return "—"
        return "pass" if self.median <= self.budget else "FAIL"

    def cells(self) -> list[str]:
        def fmt(v: float) -> str:
            if self.unit == "×":
                return f"{v:.2f}×"
            if self.unit == "MiB":
                return f"{v:.0f} MiB"
            return f"{v:,.0f} ms" if v >= 100 else f"{v:.1f} ms"

        if not self.values:
            return [self.what, "—", "—", "—", self._budget(), self.verdict()]
        return [self.what, fmt(self.median), fmt(min(self.values)), fmt(max(self.values)), self._budget(),
                self.verdict()]

    def _budget(self) -> str:
        if self.budget is None:
            return "—"
        return f"≤ {self.budget:.0f} MiB" if self.unit == "MiB" else f"≤ {self.budget:,.0f} ms"


def timed_ms(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


# --- the machine --------------------------------------------------------------------------------------------
def machine() -> str:
    """One line: OS, cores, CPU, Python (what sync_bench prints too)."""
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {_cpu()}, "
            f"Python {platform.python_version()}")


def _cpu() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def machine_lines() -> list[str]:
    lines = [f"cores (nproc): {os.cpu_count()}; CPU: {_cpu()}"]
    try:
        total = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        lines.append(f"RAM: {total / 1024 / 1024:.1f} GiB")
    except (OSError, StopIteration):
        pass
    os_name = f"{platform.system()} {platform.release()}"
    try:
        pretty = next(line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release")
                      if line.startswith("PRETTY_NAME="))
        os_name = f"{pretty} ({os_name})"
    except (OSError, StopIteration):
        pass
    lines.append(f"OS: {os_name}; Python {platform.python_version()}")
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()
    lines.append(f"SQLCipher {cipher[0] if cipher else '?'} (SQLite {conn.execute('SELECT sqlite_version()').fetchone()[0]})")
    conn.close()
    return lines


def load_average() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


# --- the benches --------------------------------------------------------------------------------------------
class Bench:
    def __init__(self, repeat: int, quick: bool):
        self.repeat, self.quick = repeat, quick
        self.tmp = Path(tempfile.mkdtemp(prefix="binhan-bench-"))
        self._copies: dict[str, Path] = {}
        self.facts: list[str] = []

    def copy_of(self, name: str) -> Path:
        """A working copy of data set `name` ("province", "commune-10k"), made once a run."""
        from bench import datasets

        if name not in self._copies:
            source = datasets.province() if name == "province" else datasets.commune()
            self._copies[name] = datasets.working_copy(source, self.tmp)
        return self._copies[name]

    def session(self, name: str):
        from app.node import Node
        from bench.datasets import PASSWORD

        return Node.open(self.copy_of(name)).login("admin", PASSWORD)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- case list and search (province) ---
    def list(self) -> list[Row]:
        from app.cases import CaseFilter

        session = self.session("province")
        try:
            cases = session.cases
            self.facts.append(f"province: {cases.count():,} cases")

            def open_list():
                # what the list model does first: the first page's ids and their rows
                ids = cases.ids(CaseFilter(), limit=200)
                cases.rows(ids[:100])

            def keystroke():
                # each keystroke: the matching ids, then the first rows ("nguyen" finds "Nguyễn")
                ids = cases.ids(CaseFilter(search="nguyen"))
                cases.rows(ids[:100])

            repeat = max(self.repeat, 5)
            return [Row("case list: open, first rows (200 000 cases)", timed_ms(open_list, repeat), 150),
                    Row("case list: every id, in the background", timed_ms(lambda: cases.ids(CaseFilter()), repeat)),
                    Row("search, one keystroke (\"nguyen\")", timed_ms(keystroke, repeat), 50)]
        finally:
            session.store.close()  # not session.close(): no automatic backup of the copy

    # --- name and phone search through the blind index, and saving with identity (commune, 10 000 cases) ---
    def search(self) -> list[Row]:
        import random

        from app.cases import CaseFilter
        from app.demo.cases import CaseFactory

        session = self.session("commune-10k")
        try:
            cases = session.cases
            self.facts.append(f"commune: {cases.count():,} cases, "
                              f"{session.store.scalar('SELECT count(*) FROM case_identities'):,} identities, "
                              f"{session.store.scalar('SELECT count(*) FROM case_search_tokens'):,} index entries")
            typed = ["n", "ng", "ngu", "nguy", "nguye", "nguyen", "nguyen t", "nguyen th", "nguyen thi"]
            step = iter(typed * 50)

            def keystroke():
                # each keystroke as the list does it: the matching ids, then the first rows
                ids = cases.ids(CaseFilter(search=next(step)))
                cases.rows(ids[:100])

            phones = iter(["09", "090", "0900", "09000", "090000", "0900000"] * 50)

            def phone_keystroke():
                ids = cases.ids(CaseFilter(search=next(phones)))
                cases.rows(ids[:100])

            factory = CaseFactory(session.reference, date.today())
            rng = random.Random(31)
            points = [(p["id"], 1) for p in session.registries.models() if p["kind"] == "trusted_address"]
            count = [0]

            def new_case():
                count[0] += 1
                cases.save(factory.make(rng, date.today(), points=points + [(None, 1)], serial=20_000 + count[0]))

            new_case()
            repeat = max(self.repeat * 3, 10)
            return [Row("search a name, one keystroke (10 000 cases with identities, blind index)",
                        timed_ms(keystroke, max(repeat, len(typed))), 50),
                    Row("search a phone, one keystroke (10 000 cases with identities)",
                        timed_ms(phone_keystroke, repeat), 50),
                    Row("save one new case with its identity sealed and indexed (commune)", timed_ms(new_case, repeat), 30)]
        finally:
            session.store.close()

    # --- save one case (province) ---
    def save(self) -> list[Row]:
        import random

        from app.demo.cases import CaseFactory

        session = self.session("province")
        try:
            factory = CaseFactory(session.reference, date.today())
            rng = random.Random(30)
            saved = []

            def new_case():
                saved.append(session.cases.save(factory.make(rng, date.today(), serial=len(saved) + 1)))

            new_case()  # the first save reads the schema and warms the page cache
            new_times = timed_ms(new_case, max(self.repeat * 3, 10))
            edits = iter(saved)

            def edit_case():
                stored = session.cases.get(next(edits)["id"], with_identity=True)
                stored["incident"]["reported_elsewhere"] = not stored["incident"]["reported_elsewhere"]
                session.cases.save(stored)

            edit_times = timed_ms(edit_case, min(len(saved), max(self.repeat * 3, 10)))
            return [Row("save one new case (200 000 cases, identity, audit)", new_times, 30),
                    Row("save an edit of a stored case (read + save)", edit_times, 30)]
        finally:
            session.store.close()

    # --- annual report, Excel and PDF from one build, and the ratio to its raw queries (province) ---
    def report(self) -> list[Row]:
        from app.reports import build, export, export_many
        from app.targets import Period
        from bench.report_queries import check_against_report, raw_annual

        session = self.session("province")
        period = Period.of(date.today().year - 1)  # the last whole year: the most data a report reads
        out = self.tmp / "reports"
        out.mkdir(exist_ok=True)
        try:
            check_against_report(session, period, raw_annual(session, period))  # same figures, else no floor
            repeat = 1 if self.quick else 3
            both, pdf, xlsx, model, raw = [], [], [], [], []
            for _ in range(repeat):
                both += timed_ms(lambda: export_many(session, "annual", period, {"pdf": out / "both.pdf",
                                                                                 "xlsx": out / "both.xlsx"}), 1)
                pdf += timed_ms(lambda: export(session, "annual", period, "pdf", out / "annual.pdf"), 1)
                xlsx += timed_ms(lambda: export(session, "statistics", period, "xlsx", out / "statistics.xlsx"), 1)
                model += timed_ms(lambda: build(session, "annual", period), 1)
                raw += timed_ms(lambda: raw_annual(session, period), 1)
            ratio = [m / r for m, r in zip(model, raw, strict=True)]
            self.facts.append(f"reports: year {period.year} at the province; annual PDF "
                              f"{(out / 'annual.pdf').stat().st_size / 1024:.0f} KiB, annual Excel "
                              f"{(out / 'both.xlsx').stat().st_size / 1024:.0f} KiB, statistics Excel "
                              f"{(out / 'statistics.xlsx').stat().st_size / 1024:.0f} KiB")
            return [Row("annual report, Excel and PDF (one build)", both, 5000),
                    Row(f"annual report PDF alone ({period.year}, province)", pdf),
                    Row("statistics Excel (protected tables; no per-case rows)", xlsx),
                    Row("annual report model only (no rendering)", model),
                    Row("raw aggregate SQL for the same figures", raw),
                    Row("ratio: annual report model / raw SQL", ratio, unit="×")]
        finally:
            session.store.close()

    # --- a CLI command at the province: its time beyond its own work (bench/cli_bench.py) ---
    def cli(self) -> list[Row]:
        from bench import cli_bench, datasets

        return cli_bench.rows(datasets.province(), self.tmp / "cli", repeat=2 if self.quick else 3)

    # --- sync package: build / apply, and apply against a raw executemany ---
    def sync(self) -> list[Row]:
        """The pieces of bench.sync_bench (its helpers, its loop), with our table."""
        from bench import sync_bench as sb

        sb._cheap_logins()  # log-in cost is not measured here (sync_bench does the same)
        from sync import importer, package

        root = self.tmp / "sync"
        files = root / "files"
        files.mkdir(parents=True)
        changes = 10_000
        sessions = []
        try:
            province = sb._node(root / "province", "TB", "province", None)
            commune = sb._node(root / "commune", "TN01", "commune", "TB")
            sessions += [commune]
            sb._enrol(province, commune, files)
            province.close()
            sb.fill_commune(commune, changes)
            repeat = 2 if self.quick else 5
            builds, applies, raws = [], [], []
            holder: dict = {}
            for _ in range(repeat):
                builds += timed_ms(lambda: holder.update(built=package.build(commune)), 1)
            built = holder["built"]
            assert len(built) == 1 and built[0].records == changes, "one package with every change expected"
            rows = None
            for n in range(repeat):
                target_dir = root / f"province-{n}"
                shutil.copytree(root / "province", target_dir)
                target = sb._login(target_dir)
                applies += timed_ms(
                    lambda target=target: holder.update(result=importer.import_package(target, built[0].data)), 1)
                assert holder["result"].applied == changes, "every change applied expected"
                rows = rows or sb.stored_rows(target)
                target.close()
                raw_dir = root / f"province-raw-{n}"
                shutil.copytree(root / "province", raw_dir)
                raw_target = sb._login(raw_dir)
                raws += timed_ms(lambda raw_target=raw_target, rows=rows: sb.raw_insert(raw_target, rows), 1)
                raw_target.close()
            return [Row("package of 10 000 changes: build", builds, sb.BUILD_BUDGET_MS),
                    Row("package of 10 000 changes: apply", applies, sb.APPLY_BUDGET_MS),
                    Row("raw executemany of the same rows", raws),
                    Row("ratio: apply / raw executemany", [a / r for a, r in zip(applies, raws, strict=True)], unit="×")]
        finally:
            for s in sessions:
                if s.store is not None:
                    s.close()

    # --- the window, in fresh processes ---
    def _window(self, mode: str, data_dir: Path) -> dict:
        """One `python -m bench.window MODE DATA_DIR`: {mark: seconds since the process was started}."""
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app runs from compiled bytecode
        started = time.time()
        done = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "bench.window", mode, str(data_dir)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        marks = {}
        for line in done.stdout.splitlines():
            parts = line.split()
            if parts and parts[0] == "mark":
                marks[parts[1]] = float(parts[2]) - started
            elif parts and parts[0] == "rss":
                marks["rss_kb"], marks["hwm_kb"] = int(parts[1]), int(parts[2])
        if "done" not in done.stdout:
            raise RuntimeError(f"the window run ({mode}) did not finish (exit {done.returncode}): {done.stdout[-300:]} {done.stderr[-1500:]}")
        return marks

    def start(self) -> list[Row]:
        data_dir = self.copy_of("commune-10k")
        self._window("overview", data_dir)  # once unmeasured: compiled bytecode written, files in the OS cache
        repeat = 3 if self.quick else 7
        runs = {"overview": [self._window("overview", data_dir) for _ in range(repeat)],
                "cases": [self._window("cases", data_dir) for _ in range(repeat)]}

        def ms(mode, name):
            return [r[name] * 1000 for r in runs[mode]]

        return [Row("start: imports done", ms("overview", "imported")),
                Row("start: login dialog painted", ms("overview", "login_shown")),
                Row("start: main window painted (after login)", ms("overview", "window")),
                Row("start → usable window, Overview's figures painted (10 000 cases)", ms("overview", "overview"),
                    1500),
                Row("start → the Overview's charts in view drawn (they follow the figures)", ms("overview", "charts")),
                Row("start → case list, first rows painted (Ctrl+2 at once)", ms("cases", "rows"), 1500)]

    def year(self) -> list[Row]:
        """The province's Overview (DESIGN §8, added 2026-12): its figures painted after the start, and again after
        the person picks another year in its year box (the window already open)."""
        data_dir = self.copy_of("province")
        self._window("year", data_dir)  # once unmeasured, as for the start
        runs = [self._window("year", data_dir) for _ in range(2 if self.quick else 3)]
        return [Row("province: start → Overview's figures painted (200 000 cases)", [r["overview"] * 1000 for r in runs],
                    1500),
                Row("province: another year chosen → its figures painted", [(r["year_switched"] - r["year_chosen"])
                                                                             * 1000 for r in runs], 1500)]

    def bundle(self) -> list[Row]:
        """The one-folder bundle on disk (DESIGN §8, added 2026-12), built from this checkout into a scratch folder
        exactly as `.ci/run` builds it."""
        with tempfile.TemporaryDirectory(prefix="binhan-bench-bundle-") as scratch:
            subprocess.run([sys.executable, "-m", "PyInstaller", "build_installer.spec", "--noconfirm", "--log-level",
                            "WARN", "--distpath", f"{scratch}/dist", "--workpath", f"{scratch}/build"], cwd=ROOT,
                           check=True, capture_output=True, timeout=1800)
            folder = Path(scratch) / "dist" / "binhan"
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        self.facts.append(f"bundle: {folder.name}/ built for {sys.platform}")
        return [Row("the one-folder bundle on disk", [size / 2**20], 150, unit="MiB")]

    def memory(self) -> list[Row]:
        data_dir = self.copy_of("province")
        repeat = 1 if self.quick else 2
        runs = [self._window("memory", data_dir) for _ in range(repeat)]
        return [Row("memory: VmRSS, province open (list scrolled to the end, Overview)",
                    [r["rss_kb"] / 1024 for r in runs], 300, unit="MiB"),
                Row("memory: peak VmHWM of the same process", [r["hwm_kb"] / 1024 for r in runs], 300, unit="MiB"),
                Row("memory run: start → list scrolled → Overview again", [r["overview_again"] * 1000 for r in runs])]


# --- the command --------------------------------------------------------------------------------------------
def print_table(rows: list[Row], markdown: bool) -> None:
    header = ["what", "median", "min", "max", "budget", "verdict"]
    widths = [max(len(header[i]), *(len(r.cells()[i]) for r in rows)) for i in range(len(header))]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    for row in rows:
        cells = row.cells()
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))))
    if markdown:
        print()
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row.cells()) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", help=f"comma-separated, some of: {', '.join(BENCHES)}")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    args = parser.parse_args(argv)
    chosen = BENCHES if not args.only else tuple(n.strip() for n in args.only.split(",") if n.strip())
    unknown = [n for n in chosen if n not in BENCHES]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)} (choose from {', '.join(BENCHES)})")

    print("\n".join(machine_lines()))
    print(f"load average at the start: {load_average()}", flush=True)
    bench = Bench(repeat=3 if args.quick else 5, quick=args.quick)
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for name in BENCHES:  # always in this order: sync lowers the KDF cost in this process, so it runs late
            if name not in chosen:
                continue
            print(f"… {name}", flush=True)
            try:
                rows += getattr(bench, name)()
            except Exception as error:  # noqa: BLE001 - one failing bench must not hide the others
                print(f"   {name} failed: {type(error).__name__}: {error}", flush=True)
                rows.append(Row(f"{name}: failed ({type(error).__name__})", []))
    finally:
        bench.close()
    print()
    print("\n".join(machine_lines()))
    print(f"load average at the end: {load_average()}; {time.perf_counter() - started:.0f} s in all")
    for fact in bench.facts:
        print(fact)
    print()
    print_table(rows, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
