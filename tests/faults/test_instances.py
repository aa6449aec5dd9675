"""Two instances on one node: a second window is told who has the data open; commands never corrupt."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from app.store.db import DB_NAME, Store
from app.store.instance import DataInUse, holder
from tests.conftest import ADMIN_PASSWORD
from tests.faults import harness


def test_second_window_is_told_who_has_the_data_open(new_node):
    first = new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
    try:
        with pytest.raises(DataInUse) as refused:
            new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
        message = str(refused.value)
        assert message.startswith("Dữ liệu đang được mở bởi admin trên máy ")
        assert socket.gethostname() in message
        assert holder(new_node.data_dir)["pid"] == os.getpid()
    finally:
        first.close()
    again = new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
    again.close()


def test_commands_still_work_while_a_window_is_open(new_node):
    window = new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
    try:
        command = new_node.login("admin", ADMIN_PASSWORD)
        assert command.store.scalar("SELECT count(*) FROM accounts") == 1
        command.close()
    finally:
        window.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_lock_left_by_a_killed_window_is_taken_over(new_node):
    holder_script = textwrap.dedent(f"""
        import sys, time
        from app.store.instance import InstanceLock
        InstanceLock({str(new_node.data_dir)!r}).acquire("lan")
        print("held", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder_script], cwd=harness.REPO, stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, PYTHONPATH=str(harness.REPO)))
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(DataInUse) as refused:
            new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
        assert "lan" in str(refused.value)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert holder(new_node.data_dir)["pid"] == proc.pid  # the dead window's note is still there …
    session = new_node.login("admin", ADMIN_PASSWORD, exclusive=True)  # … and its lock is taken over
    try:
        assert holder(new_node.data_dir)["pid"] == os.getpid()
    finally:
        session.close()


def test_two_imports_at_once_leave_one_copy_of_each_record(tmp_path):
    world = harness.World(tmp_path / "world")
    started = time.monotonic()
    procs = [harness.run_binhan(world.province_dir, ["sync", "import", str(world.incoming),
                                                     "--receipt-out", str(tmp_path / f"receipts-{n}")])
             for n in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert time.monotonic() - started < 60
    store = Store.open(world.province_dir / DB_NAME, world.province_key)
    try:
        ids = [r["id"] for r in store.query("SELECT id FROM cases")]
        assert sorted(ids) == sorted(world.sent_case_ids)
        assert store.scalar("PRAGMA integrity_check") == "ok"
        outbox = store.query("SELECT record_id, rev, count(*) AS n FROM outbox WHERE table_name = 'cases'"
                             " GROUP BY record_id, rev")
        assert {r["n"] for r in outbox} == {1}
    finally:
        store.close()
    verdicts = sorted(line.split("\t")[2] for out, _ in results for line in out.splitlines() if "\t" in line
                      and line.count("\t") >= 3)
    assert verdicts.count("applied") == 3 and verdicts.count("already imported") == 3, results
