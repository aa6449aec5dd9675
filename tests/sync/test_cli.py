"""The sync commands, driven as support staff would: province and commune on one machine, a USB folder between."""

import json
import re

import pytest

from app.node import Node
from binhan.cli import main
from tests.conftest import ADMIN_PASSWORD, sample_case


@pytest.fixture
def binhan(monkeypatch, capsys):
    """`binhan …` as support staff type it (the sync commands registered by the composition root)."""
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", "vi")

    def run(node, *args):
        code = main(["--data-dir", str(node.data_dir), "--user", "admin", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _node(tmp_path, code, kind, parent):
    node, _ = Node.create(tmp_path / code, kind=kind, name=f"Đơn vị {code}", code=code, parent_code=parent,
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    return node


def test_enrol_send_import_and_confirm_from_the_command_line(binhan, tmp_path):
    province = _node(tmp_path, "TB", "province", None)
    commune = _node(tmp_path, "TN01", "commune", "TB")
    usb = tmp_path / "usb"

    code, out, _ = binhan(province, "profile", "export", "--out", str(tmp_path))
    assert code == 0
    profile_file = out.splitlines()[0]
    code, out, _ = binhan(commune, "profile", "import", profile_file)
    assert code == 0 and "(TB)" in out
    code, out, _ = binhan(commune, "register", "export", "--out", str(tmp_path))
    registration = out.splitlines()[0]
    fingerprint = re.search(r"(\d{4} \d{4} \d{4} \d{4} \d{4})", out).group(1)

    code, _, err = binhan(province, "register", "import", registration)
    assert code == 2 and fingerprint in err and "--accept" in err
    code, _, err = binhan(province, "register", "import", registration, "--accept", "1111 2222 3333 4444 5555")
    assert code == 2 and "không khớp" in err
    code, out, _ = binhan(province, "register", "import", registration, "--accept", fingerprint.replace(" ", "-"))
    assert code == 0 and "Đã đăng ký" in out

    session = commune.login("admin", ADMIN_PASSWORD)
    session.cases.save(sample_case())
    session.close()
    code, out, _ = binhan(commune, "sync", "export", "--out", str(usb))
    assert code == 0 and len(list(usb.glob("*.pkg.binhan"))) == 1

    code, out, err = binhan(province, "sync", "import", str(usb))
    assert code == 0, err
    receipts = list(usb.glob("*.receipt.binhan"))
    assert len(receipts) == 1
    code, out, _ = binhan(commune, "sync", "receipt", str(receipts[0]))
    assert code == 0 and "đã xác nhận" in out
    code, out, _ = binhan(commune, "sync", "status")
    summary = json.loads(out)["summary"]
    assert summary["records_unsent"] == 0 and summary["records_awaiting_receipt"] == 0
    assert summary["acknowledged_through"] == summary["latest_change"]

    # Down: the province writes a down-package for each child onto the same drive; the commune imports the
    # drive, leaving its own package there alone.
    code, out, err = binhan(province, "sync", "export", "--out", str(usb))
    assert code == 0 and "TN01" in out and len(list(usb.glob("*.down.binhan"))) == 1, err
    code, out, err = binhan(commune, "sync", "import", str(usb))
    assert code == 0 and "gói xuống 1" in out and "đã nhập" in out, err
    code, out, err = binhan(commune, "sync", "import", str(usb))
    assert code == 0 and "đã nhập trước đây" in out, err

    code, out, _ = binhan(province, "keys", "fingerprint", "--json")
    assert code == 0 and len(json.loads(out)["fingerprint"]) == 24


def test_refused_package_exits_2_with_its_message(binhan, tmp_path):
    province = _node(tmp_path, "TB", "province", None)
    bogus = tmp_path / "x.pkg.binhan"
    bogus.write_bytes(b"BINHANPK\x01\x00\x00")
    code, _, err = binhan(province, "sync", "import", str(bogus))
    assert code == 2 and "thiếu phần cuối" in err


def test_key_backup_and_restore_from_the_command_line(binhan, tmp_path, monkeypatch):
    province = _node(tmp_path, "TB", "province", None)
    monkeypatch.setenv("BINHAN_KEY_PASSPHRASE", "một câu rất dài để bảo vệ khóa")
    import nacl.pwhash

    from sync import keys as node_keys
    monkeypatch.setattr(node_keys, "BACKUP_OPSLIMIT", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(node_keys, "BACKUP_MEMLIMIT", nacl.pwhash.argon2id.MEMLIMIT_MIN)
    code, _, _ = binhan(province, "keys", "backup", str(tmp_path / "tb.keys.binhan"))
    assert code == 0
    code, out, _ = binhan(province, "keys", "restore", str(tmp_path / "tb.keys.binhan"))
    assert code == 0 and "0 khóa" in out  # all already present
    monkeypatch.setenv("BINHAN_KEY_PASSPHRASE", "sai mật khẩu hoàn toàn")
    code, _, err = binhan(province, "keys", "restore", str(tmp_path / "tb.keys.binhan"))
    assert code == 2 and "không đúng" in err


def test_annual_report_finalised_sent_listed_and_saved_from_the_command_line(binhan, tmp_path):
    import base64

    from sync import enrol

    province = _node(tmp_path, "TB", "province", None)
    commune = _node(tmp_path, "TN01", "commune", "TB")
    usb = tmp_path / "usb"
    p, c = province.login("admin", ADMIN_PASSWORD), commune.login("admin", ADMIN_PASSWORD)
    enrol.import_profile(c, enrol.export_profile(p, tmp_path))
    registration = enrol.export_registration(c, tmp_path)
    enrol.import_registration(p, registration, accept_fingerprint=enrol.read_registration(registration)["fingerprint"])
    p.close()
    c.close()

    code, out, err = binhan(commune, "sync", "annual", "finalise", "--year", "2025")
    assert code == 0 and "Đã hoàn tất báo cáo năm 2025 (lần 1" in out, err
    code, out, _ = binhan(commune, "sync", "annual", "list")
    assert code == 0 and out.split("\t")[:2] == ["đơn vị này", "2025"] and out.strip().endswith("unsent")
    code, out, _ = binhan(province, "sync", "annual", "list")
    assert code == 0 and "TN01\t—\tchưa nhận báo cáo năm" in out

    assert binhan(commune, "sync", "export", "--out", str(usb))[0] == 0
    assert binhan(province, "sync", "import", str(usb))[0] == 0
    code, out, _ = binhan(province, "sync", "annual", "list", "--json")
    (child,) = json.loads(out)["received"]
    assert child["code"] == "TN01" and [r["year"] for r in child["annual_reports"]] == [2025]
    code, out, _ = binhan(province, "sync", "status")
    (row,) = json.loads(out)["registry"]
    assert row["code"] == "TN01" and [r["year"] for r in row["annual_reports"]] == [2025]
    code, out, _ = binhan(commune, "sync", "status")
    assert [(r["year"], r["state"]) for r in json.loads(out)["annual_reports"]] == [(2025, "sent")]

    target = tmp_path / "TN01-2025.pdf"
    code, out, _ = binhan(province, "sync", "annual", "save", "--from", "TN01", "--year", "2025", "--out", str(target))
    assert code == 0 and str(target) in out
    session = commune.login("admin", ADMIN_PASSWORD)
    own = session.store.query("SELECT pdf FROM annual_reports")[0]["pdf"]
    session.close()
    assert target.read_bytes() == base64.b64decode(own)

    code, _, err = binhan(province, "sync", "annual", "save", "--from", "XX99", "--year", "2025", "--out",
                          str(target))
    assert code == 2 and "XX99" in err
    code, _, err = binhan(province, "sync", "annual", "save", "--from", "TN01", "--year", "2024", "--out",
                          str(tmp_path / "none.pdf"))
    assert code == 2 and "Chưa nhận được báo cáo năm 2024" in err and not (tmp_path / "none.pdf").exists()
    code, _, err = binhan(province, "sync", "annual", "finalise", "--year", "2025")
    assert code == 2 and "Chỉ xã" in err
