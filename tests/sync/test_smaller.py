"""The smaller points of the trust issue: no empty package is built or mailed, e-mail settings are saved only by
a command that succeeds, a district's USB folder holding its own down-package imports at the province, and a
point's name never travels in a readable header or an e-mail."""

import json

from sync import down, enrol, importer, package, receipt
from sync.transports import email as mail
from sync.transports import folder
from tests.sync.conftest import add_case
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)


def test_nothing_unconfirmed_builds_no_package_and_mails_nothing(tree):
    add_case(tree.commune)
    results = [importer.import_package(tree.province, p.data) for p in package.build(tree.commune)]
    _, data = receipt.build(tree.province, tree.commune.origin, results)
    receipt.apply(tree.commune, data)
    assert package.build(tree.commune) == []
    assert tree.commune.store.scalar("SELECT count(*) FROM sync_outgoing") == 1
    # No connection is even tried: the server named here does not exist.
    unreachable = mail.MailSettings(smtp_host="127.0.0.1", smtp_port=9, mail_from="xa@binhan.test",
                                    mail_to="tinh@binhan.test")
    assert mail.send(tree.commune, unreachable, attempts=1, pause=0).parts == 0


def test_mail_settings_are_not_saved_by_a_command_that_fails(tree, binhan, monkeypatch):  # noqa: F811
    monkeypatch.delenv("NO_SUCH_PASSWORD", raising=False)
    node = tree.commune.node
    code, _, err = binhan(node, "sync", "mail", "--smtp-host", "smtp.example.org", "--smtp-password-env",
                          "NO_SUCH_PASSWORD")
    assert code == 2 and "NO_SUCH_PASSWORD" in err
    assert mail.load_settings(tree.commune).smtp_host != "smtp.example.org"


def test_a_district_s_usb_folder_with_its_own_down_package_imports_at_the_province(district_tree, binhan):  # noqa: F811
    t = district_tree
    usb = t.root / "usb"
    add_case(t.commune3)
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    folder.send_packages(t.district, package.build(t.district), usb)
    down.write([down.build(t.province, t.district.origin)], usb)  # what the province gave it last time
    down.write([down.build(t.district, t.commune3.origin)], usb)  # and its own for its commune
    code, out, err = binhan(t.province.node, "sync", "import", str(usb))
    assert code == 0, err
    assert "để nguyên trên ổ" in out and t.province.store.scalar("SELECT count(*) FROM cases") == 1


def test_a_point_s_name_stays_home(tree):
    point = tree.node("TN01-D1", kind="point", name="Nhà bà Canary", parent="TN01")
    tree.enrol(tree.commune, point)
    add_case(point)
    built = package.build(point)[0]
    assert built.header["from"]["name"] == "TN01-D1" and b"Canary" not in built.data[:4096]
    importer.import_package(tree.commune, built.data)
    relayed = package.build(tree.commune)[0]
    assert b"Canary" not in relayed.data[:4096]
    importer.import_package(tree.province, relayed.data)
    peer = enrol.peer(tree.province, point.origin)
    assert peer["name"] == "TN01-D1" and "Canary" not in json.dumps(peer["voucher"])
