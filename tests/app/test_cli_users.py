"""`binhan user list|add|disable|enable|passwd|unlock|role` (issues 13.6 and 14.2)."""

from __future__ import annotations

import json

import pytest

from binhan.cli import build_parser, main
from app.node import Node
from tests.conftest import ADMIN_PASSWORD

BOB = "bob-trâu-đen-ăn-cỏ-non"


@pytest.fixture
def cli(new_node, monkeypatch, capsys):
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", "vi")

    def run(*args, user="admin", new_password=None):
        if new_password is None:
            monkeypatch.delenv("BINHAN_NEW_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("BINHAN_NEW_PASSWORD", new_password)
        code = main(["--data-dir", str(new_node.data_dir), "--user", user, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _files(node) -> dict:
    return {p.name: p.read_bytes() for p in node.data_dir.iterdir() if p.is_file() and p.suffix in (".json", ".db")}


def test_a_weak_password_exits_2_and_writes_nothing(cli, new_node):
    before = (new_node.slots_path.read_bytes(), new_node.db_path.read_bytes())
    for weak, why in (("ngan", "ít nhất 10 ký tự"), ("password123", "quá dễ đoán")):
        code, _, err = cli("user", "add", "bob", "--role", "officer", new_password=weak)
        assert code == 2 and why in err
    assert (new_node.slots_path.read_bytes(), new_node.db_path.read_bytes()) == before
    code, _, err = cli("user", "passwd", new_password="1234567890")
    assert code == 2 and "quá dễ đoán" in err
    assert new_node.slots_path.read_bytes() == before[0]


def test_add_list_disable_enable_reset_unlock(cli, new_node, monkeypatch):
    assert cli("user", "add", "bob", "--role", "officer", "--name", "Bob", new_password=BOB)[0] == 0
    code, out, _ = cli("user", "list", "--json")
    rows = {r["username"]: r for r in json.loads(out)}
    assert rows["bob"]["role"] == "officer" and rows["bob"]["active"] and not rows["bob"]["locked"]
    assert rows["admin"]["last_login"]
    assert cli("user", "disable", "bob")[0] == 0
    assert "bob" not in Node.open(new_node.data_dir).slots.users()
    code, out, _ = cli("user", "list")
    assert "vô hiệu hóa" in out
    code, out, _ = cli("user", "enable", "bob")
    one_time = out.strip().splitlines()[-1].strip()
    assert code == 0 and len(one_time) == 17
    session = Node.open(new_node.data_dir).login("bob", one_time)
    assert session.must_change_password
    session.close()
    code, out, _ = cli("user", "passwd", "--reset", "bob")
    second = out.strip().splitlines()[-1].strip()
    assert code == 0 and second != one_time
    monkeypatch.setenv("BINHAN_PASSWORD", second)
    assert cli("user", "passwd", user="bob", new_password=BOB)[0] == 0
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    code, out, _ = cli("user", "list", "--json")
    assert not {r["username"]: r for r in json.loads(out)}["bob"]["must_change_password"]
    assert cli("user", "unlock", "bob")[0] == 0
    assert cli("user", "role", "bob", "--role", "leader")[0] == 0
    assert Node.open(new_node.data_dir).slots.password_slot("bob").grants == {}
    code, _, err = cli("user", "disable", "admin")
    assert code == 2 and "tự vô hiệu hóa" in err


def test_every_user_subcommand_has_bilingual_help():
    parser = build_parser()
    sub = next(a for a in parser._subparsers._group_actions if a.dest == "command")
    users = sub.choices["user"]
    user_sub = next(a for a in users._subparsers._group_actions if a.dest == "user_command")
    assert {"list", "add", "disable", "enable", "passwd", "unlock"} <= set(user_sub.choices)
    for name, p in user_sub.choices.items():
        p.format_help()
        assert " / " in p.description, name
        for action in p._actions:
            if action.dest not in ("help", "data_dir", "user"):
                assert action.help and " / " in action.help, (name, action.dest)
