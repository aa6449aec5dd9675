"""The command-line contract that later issues and scripts rely on."""

import json
import subprocess
import sys

import pytest

import app
from binhan.cli import main
from tests.conftest import ADMIN_PASSWORD, CANARY_NAME, sample_case


@pytest.fixture
def cli(new_node, monkeypatch, capsys):
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", "vi")

    def run(*args):
        code = main(["--data-dir", str(new_node.data_dir), "--user", "admin", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_version_names_the_app():
    out = subprocess.run([sys.executable, "-m", "binhan", "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == f"{app.NAME} {app.__version__}"


def test_case_add_accepts_what_case_show_prints(cli, tmp_path):
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case(), ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("case", "add", "--json", str(source))
    assert code == 0 and "TN01-2025-00001" in out
    code, shown, _ = cli("case", "show", "TN01-2025-00001", "--json", "--identity")
    assert code == 0
    case = json.loads(shown)
    assert case["identity"]["name"] == CANARY_NAME
    again = tmp_path / "again.json"
    again.write_text(shown, encoding="utf-8")
    code, out, _ = cli("case", "add", "--json", str(again))
    assert code == 0 and "rev 1" in out  # the same case, unchanged: no second case, no new revision
    code, listed, _ = cli("case", "list", "--json")
    assert [r["code"] for r in json.loads(listed)] == ["TN01-2025-00001"]


def test_bad_case_input_exits_2_says_why_and_writes_nothing(cli, tmp_path, new_node):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_case(survivor={"age": 200, "sex": "female"})), encoding="utf-8")
    code, _, err = cli("case", "add", "--json", str(bad))
    assert code == 2 and "Tuổi phải từ 0 đến 120" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = cli("case", "add", "--json", str(broken))
    assert code == 2 and "không phải JSON hợp lệ" in err
    code, listed, _ = cli("case", "list", "--json")
    assert json.loads(listed) == []


def test_a_file_of_cases_is_saved_whole_or_not_at_all(cli, tmp_path):
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([sample_case(), sample_case(incident={"violence_type": "nonsense"})]),
                     encoding="utf-8")
    code, _, err = cli("case", "add", "--json", str(batch))
    assert code == 2
    code, listed, _ = cli("case", "list", "--json")
    assert json.loads(listed) == []


def test_wrong_password_exits_2(cli, monkeypatch):
    monkeypatch.setenv("BINHAN_PASSWORD", "wrong")
    code, _, err = cli("case", "list")
    assert code == 2 and "Sai tên đăng nhập hoặc mật khẩu" in err


def test_audit_verify_backup_and_restore(cli, new_node, tmp_path):
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case()), encoding="utf-8")
    cli("case", "add", "--json", str(source))
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "chuỗi băm đúng" in out
    code, out, _ = cli("backup")
    assert code == 0
    backup = out.strip().split(": ", 1)[1]
    cli("case", "add", "--json", str(source))
    code, out, _ = cli("restore", backup)
    assert code == 0 and "Đã khôi phục" in out
    code, listed, _ = cli("case", "list", "--json")
    assert len(json.loads(listed)) == 1


def test_init_prints_the_recovery_key_once_and_says_which_slots_exist(tmp_path, monkeypatch, capsys, no_keyring):
    monkeypatch.setenv("BINHAN_PASSWORD", "abcd1234-trau-den")
    code = main(["init", "--data-dir", str(tmp_path / "n"), "--name", "Xã Mới", "--code", "XM01",
                 "--profile", "hung_yen"])
    out = capsys.readouterr().out
    assert code == 0
    assert "MÃ KHÔI PHỤC" in out and "kho khóa" in out
    key_line = out.strip().splitlines()[-1].strip()
    assert len(key_line.split("-")) == 8
    code = main(["init", "--data-dir", str(tmp_path / "n"), "--name", "Xã Mới", "--code", "XM01"])
    assert code == 2, "never overwrite an existing node"


def test_init_with_bad_fields_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BINHAN_PASSWORD", "abcd1234-trau-den")
    code = main(["init", "--data-dir", str(tmp_path / "n"), "--name", " ", "--code", "có dấu cách",
                 "--profile", "atlantis"])
    err = capsys.readouterr().err
    assert code == 2
    assert "tên đơn vị" in err and "Mã đơn vị" in err and "atlantis" in err
    assert not (tmp_path / "n" / "binhan.db").exists()


def test_activity_add_and_list_round_trip(cli, tmp_path):
    activity = {"kind": "thematic_talk", "title": "Nói chuyện chuyên đề về phòng, chống bạo lực gia đình",
                "starts_on": "25/11/2025", "target_groups": ["residential_areas"],
                "participants": {"total": 80, "female": 50, "male": 30, "youth": 12}, "budget_vnd": 1500000}
    source = tmp_path / "activity.json"
    source.write_text(json.dumps(activity, ensure_ascii=False), encoding="utf-8")
    code, out, _ = cli("activity", "add", "--json", str(source))
    assert code == 0 and "2025-11-25" in out
    code, listed, _ = cli("activity", "list", "--json")
    rows = json.loads(listed)
    assert len(rows) == 1 and rows[0]["derived"]["day_25_11"] and rows[0]["participants"]["female"] == 50
    again = tmp_path / "again.json"
    again.write_text(json.dumps(rows[0], ensure_ascii=False), encoding="utf-8")
    assert cli("activity", "add", "--json", str(again))[0] == 0
    code, listed, _ = cli("activity", "list", "--json")
    assert len(json.loads(listed)) == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(activity, participants={"total": 5, "female": 9})), encoding="utf-8")
    code, _, err = cli("activity", "add", "--json", str(bad))
    assert code == 2 and err.strip()


def test_starting_without_a_node_opens_the_set_up_wizard(tmp_path, monkeypatch):
    import ui.cli as cli_module

    opened = []
    monkeypatch.setattr(cli_module, "_start_window", lambda data_dir, session=None: opened.append(data_dir) or 0)
    assert main(["--data-dir", str(tmp_path / "none")]) == 0
    assert opened == [tmp_path / "none"]


def test_init_with_a_profile_file_from_the_province_uses_it(tmp_path, monkeypatch, capsys):
    from app.node import Node
    from app.paths import reference_dir

    source = (reference_dir() / "profiles" / "hung_yen.toml").read_text(encoding="utf-8")
    handed = tmp_path / "tinh-moi.toml"
    handed.write_text(source.replace('code = "hung_yen"', 'code = "tinh_moi"')
                      .replace('report_deadline = "12-10"', 'report_deadline = "12-05"'), encoding="utf-8")
    monkeypatch.setenv("BINHAN_PASSWORD", "abcd1234-trau-den")
    code = main(["init", "--data-dir", str(tmp_path / "n"), "--name", "Xã Mới", "--code", "XM01",
                 "--profile-file", str(handed)])
    assert code == 0, capsys.readouterr().err
    session = Node.open(tmp_path / "n").login("admin", "abcd1234-trau-den")
    try:
        assert session.profile.code == "tinh_moi"
        assert session.profile.deadline_for(2026).isoformat() == "2026-12-05"
    finally:
        session.close()
    broken = tmp_path / "broken.toml"
    broken.write_text("code = ", encoding="utf-8")
    code = main(["init", "--data-dir", str(tmp_path / "m"), "--name", "Xã Khác", "--code", "XK01",
                 "--profile-file", str(broken)])
    assert code == 2 and "hồ sơ tỉnh không hợp lệ" in capsys.readouterr().err
    assert not (tmp_path / "m" / "binhan.db").exists()


def test_the_throwaway_demo_never_writes_the_real_keyring(monkeypatch, memory_keyring):
    import ui.cli as cli_module
    from app.store import keyslots

    keyslots.set_keyring_backend(None)  # as on a real PC: the test's keyring is not installed
    seen = {}

    def window(data_dir, session=None):
        seen["backend"] = keyslots.usable_keyring()
        seen["slots"] = session.node.slot_kinds()
        session.close()
        return 0

    monkeypatch.setattr(cli_module, "_start_window", window)
    assert main(["--demo"]) == 0
    assert type(seen["backend"]).__name__ == "MemoryKeyring"
    assert "keyring" in seen["slots"]
    assert keyslots._keyring_override is None, "the real keyring is back after the demo"
