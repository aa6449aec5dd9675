"""Issue 13.6 and 14.1: lock-out that no deleted file resets, and slot changes that never undo each other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import AccountLocked, LoginThrottled, WrongSecret
from app.node import Node
from tests.conftest import ADMIN_PASSWORD

REPO = Path(__file__).resolve().parents[2]
BOB_PASSWORD = "bob-trâu-đen-ăn-cỏ-non"


def _fail(node, user, times, password="sai-mật-khẩu-rồi"):
    """Wrong passwords, stepping the throttle's clock past each wait."""
    for _ in range(times):
        later = node.throttle.clock() + 400
        node.throttle.clock = lambda later=later: later
        with pytest.raises(WrongSecret):
            node.login(user, password)


def test_ten_wrong_passwords_lock_the_account_and_deleting_files_resets_nothing(new_node):
    _fail(new_node, "admin", 10)
    with pytest.raises(AccountLocked) as locked:
        new_node.login("admin", ADMIN_PASSWORD)  # even the right password: refused before it is tested
    assert "quản trị viên" in str(locked.value) and "chờ đến" in str(locked.value)
    for name in os.listdir(new_node.data_dir):  # every other file: counters, lock files, WAL…
        path = new_node.data_dir / name
        if path.is_file() and name not in ("keyslots.json", "binhan.db"):
            path.unlink()
    for node in (new_node, Node.open(new_node.data_dir)):
        node.throttle.clock = new_node.throttle.clock
        with pytest.raises(AccountLocked):
            node.login("admin", ADMIN_PASSWORD)


def test_a_lock_ends_when_its_time_passes_or_an_administrator_lifts_it(new_node):
    session = new_node.login("admin", ADMIN_PASSWORD)
    session.add_user("bob", BOB_PASSWORD, "officer")
    _fail(new_node, "bob", 10)
    with pytest.raises(AccountLocked):
        new_node.login("bob", BOB_PASSWORD)
    assert [a.locked for a in session.accounts() if a.username == "bob"] == [True]
    session.unlock_user("bob")
    new_node.login("bob", BOB_PASSWORD).close()
    _fail(new_node, "bob", 10)
    start = new_node.throttle.clock()
    new_node.throttle.clock = lambda: start + 61 * 60  # the profile's default: one hour
    new_node.login("bob", BOB_PASSWORD).close()
    assert "user.unlock" in [r["action"] for r in session.store.query("SELECT action FROM audit_log")]
    session.close()


def test_every_path_that_tests_a_password_goes_through_the_lock(new_node, monkeypatch, capsys):
    session = new_node.login("admin", ADMIN_PASSWORD)
    _fail(new_node, "admin", 10)
    with pytest.raises(AccountLocked):
        session.unlock(ADMIN_PASSWORD)  # the idle lock
    with pytest.raises(AccountLocked):
        session.change_password(ADMIN_PASSWORD, "một-mật-khẩu-mới-dài-hơn")
    from binhan.cli import main

    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    for command in (["case", "list"], ["check"]):
        assert main(["--data-dir", str(new_node.data_dir), "--user", "admin", *command]) == 2
        assert "bị khóa" in capsys.readouterr().err
    # The recovery key: it unlocks the account it gives a new password to.
    recovered = new_node.recover(new_node.recovery_key_for_tests, "admin", "một-mật-khẩu-mới-dài-hơn")
    recovered.close()
    session.close()
    new_node.login("admin", "một-mật-khẩu-mới-dài-hơn").close()


def test_wrong_recovery_keys_slow_down_too(new_node):
    bad = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH"
    for _ in range(3):
        with pytest.raises(WrongSecret):
            new_node.recover(bad, "admin", "một-mật-khẩu-mới-dài-hơn")
    with pytest.raises(LoginThrottled):
        new_node.recover(new_node.recovery_key_for_tests, "admin", "một-mật-khẩu-mới-dài-hơn")


def _python(code: str, node_dir: Path, **env) -> subprocess.Popen:
    full = {**os.environ, "PYTHONPATH": str(REPO), "BINHAN_LANG": "en", **env}
    prelude = ("import nacl.pwhash\nfrom app.store import keyslots\n"
               "keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN\n"
               "keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN\n"
               "keyslots.usable_keyring = lambda: None\n"
               "from pathlib import Path\nfrom app.node import Node\n"
               f"DIR = Path({str(node_dir)!r})\n")
    return subprocess.Popen([sys.executable, "-c", prelude + code], cwd=REPO, env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_user_add_while_an_earlier_session_replaces_the_recovery_key(new_node, monkeypatch):
    """The window (this process) opened first; `binhan user add bob` runs in another process; then the
    window makes a new recovery key. Bob's slot survives and his password works; so does the new key."""
    window = new_node.login("admin", ADMIN_PASSWORD, exclusive=True)
    cli = subprocess.run(
        [sys.executable, "-c", "import sys, nacl.pwhash\nfrom app.store import keyslots\n"
         "keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN\n"
         "keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN\n"
         "keyslots.usable_keyring = lambda: None\n"
         "from binhan.cli import main\nsys.exit(main(sys.argv[1:]))",
         "--data-dir", str(new_node.data_dir), "--user", "admin", "user", "add", "bob", "--role", "officer"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), "BINHAN_PASSWORD": ADMIN_PASSWORD,
                       "BINHAN_NEW_PASSWORD": BOB_PASSWORD, "BINHAN_LANG": "en"},
        capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    new_key = window.new_recovery_key()
    window.close()
    node = Node.open(new_node.data_dir)
    assert "bob" in node.slots.users()
    bob = node.login("bob", BOB_PASSWORD)
    try:
        assert bob.identity.node_key is not None, "bob's identity keys survived too"
    finally:
        bob.close()
    node.recover(new_key, "admin", "một-mật-khẩu-mới-dài-hơn").close()


def test_a_session_adds_a_user_while_another_process_replaces_the_recovery_key(new_node):
    """The other order: another process replaces the recovery key while this session is open, then this
    session adds a user. The new recovery key keeps working; the new user's slot is there."""
    session = new_node.login("admin", ADMIN_PASSWORD)
    other = _python("s = Node.open(DIR).login('admin', " + repr(ADMIN_PASSWORD) + ")\n"
                    "print(s.new_recovery_key())\ns.close()\n", new_node.data_dir)
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    new_key = out.strip().splitlines()[-1]
    session.add_user("bob", BOB_PASSWORD, "officer")
    session.close()
    node = Node.open(new_node.data_dir)
    node.login("bob", BOB_PASSWORD).close()
    again = node.recover(new_key, "admin", "một-mật-khẩu-mới-dài-hơn")
    try:
        assert again.identity.node_key is not None
    finally:
        again.close()


def test_two_processes_writing_the_slots_at_once_lose_nothing(new_node):
    """Two processes each add five users as fast as they can: all ten slots are there afterwards."""
    code = ("s = Node.open(DIR).login('admin', " + repr(ADMIN_PASSWORD) + ")\n"
            "import sys\n"
            "for i in range(5):\n"
            "    s.add_user(f'{sys.argv[1]}{i}', 'trâu-đen-ăn-cỏ-non-' + sys.argv[1], 'officer')\n"
            "s.close()\n")
    procs = []
    for prefix in ("an", "binh"):
        full = {**os.environ, "PYTHONPATH": str(REPO)}
        prelude = ("import nacl.pwhash\nfrom app.store import keyslots\n"
                   "keyslots.KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN\n"
                   "keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MIN\n"
                   "keyslots.usable_keyring = lambda: None\n"
                   "from pathlib import Path\nfrom app.node import Node\n"
                   f"DIR = Path({str(new_node.data_dir)!r})\n")
        procs.append(subprocess.Popen([sys.executable, "-c", prelude + code, prefix], cwd=REPO, env=full,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        _out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    users = set(Node.open(new_node.data_dir).slots.users())
    assert {f"{p}{i}" for p in ("an", "binh") for i in range(5)} <= users
