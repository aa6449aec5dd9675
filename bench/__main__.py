"""Measure the core against DESIGN §8's budgets and print a table.

    uv run python -m bench                 # province-scale data set (generated once under bench/data/)
    uv run python -m bench --scale commune # quick run on a commune demo node

Times are medians over repeated runs, with min and max. Budgets are checked here,
never as timed assertions in tests. Record results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from app.cases import CaseFilter

HERE = Path(__file__).resolve().parent


def measure(fn, repeat: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=["commune", "province"], default="province")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from app.demo import create_demo_node
    from app.node import Node

    folder = HERE / "data" / args.scale
    if not Node.exists(folder):
        print(f"generating the {args.scale} data set in {folder} (once) …")
        create_demo_node(folder, scale=args.scale)
    node = Node.open(folder)
    session = node.login("admin", "demo")
    rows = []
    try:
        total = session.cases.count()

        def open_list():
            # what the list model does first: the first page's ids and their rows
            ids = session.cases.ids(CaseFilter(), limit=200)
            session.cases.rows(ids[:100])

        rows.append(("case list: open, first rows", *measure(open_list, args.repeat), 150))

        def all_ids():
            # then, in the background, every id (the scroll bar's full length)
            session.cases.ids(CaseFilter())

        rows.append(("case list: all ids (background)", *measure(all_ids, args.repeat), None))

        def keystroke():
            # what the list does on each keystroke: the matching ids, then the first rows
            ids = session.cases.ids(CaseFilter(search="nguyen"))
            session.cases.rows(ids[:100])

        rows.append(("search, one keystroke", *measure(keystroke, args.repeat), 50))

        if args.scale == "commune":
            from tests.conftest import sample_case

            def save_one():
                session.cases.save(sample_case())

            rows.append(("save one case", *measure(save_one, args.repeat), 30))
    finally:
        session.store.close()  # not session.close(): no automatic backup of the data set
    print(f"\n{machine()}\n{total} cases in the data set\n")
    print(f"{'what':40} {'median':>9} {'min':>9} {'max':>9} {'budget':>8}  verdict")
    for name, med, low, high, budget in rows:
        if budget is None:
            print(f"{name:40} {med:8.1f}ms {low:8.1f}ms {high:8.1f}ms {'—':>8}  (no budget)")
            continue
        verdict = "pass" if med <= budget else "FAIL"
        print(f"{name:40} {med:8.1f}ms {low:8.1f}ms {high:8.1f}ms {budget:6d}ms  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
