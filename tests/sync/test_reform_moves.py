"""The 2025 reform: a commune whose district is dissolved moves to the province with a new registration,
keeping its history; the province revokes any node below, however deep."""

from sync import enrol, importer, package, receipt, vouch
from tests.sync.conftest import add_case


def relay(t):
    importer.import_package(t.district, package.build(t.commune3)[0].data)
    return importer.import_package(t.province, package.build(t.district)[0].data)


def test_a_commune_under_a_dissolved_district_moves_to_the_province_keeping_its_history(district_tree):
    t = district_tree
    old = add_case(t.commune3)
    relay(t)
    assert enrol.peer(t.province, t.commune3.origin)["relation"] == "descendant"

    # The district is dissolved: the commune takes the province's profile (replacing its parent) …
    profile = enrol.export_profile(t.province, t.files / "TB-for-TN03.profile")
    moved = enrol.import_profile(t.commune3, profile, replace=True)
    assert moved["replaced"] and t.commune3.node_info.parent_code == "TB"
    assert t.commune3.node.info.parent_code == "TB"  # what the login screen reads, too
    # … and registers there, the fingerprint read out by phone.
    registration = enrol.export_registration(t.commune3, t.files / "TN03.moved")
    said = enrol.read_registration(registration)["fingerprint"]
    enrol.import_registration(t.province, registration, accept_fingerprint=said)
    peer = enrol.peer(t.province, t.commune3.origin)
    assert (peer["relation"], peer["via"], peer["status"]) == ("child", None, "active")

    # Its history stays where it was; what it sends now goes straight to the province.
    new = add_case(t.commune3)
    result = importer.import_package(t.province, package.build(t.commune3)[0].data)
    assert result.kept_aside == [] and result.applied == 1 and result.unchanged == 1
    assert {r["id"] for r in t.province.store.query("SELECT id FROM cases WHERE origin = ?",
                                                     (t.commune3.origin,))} == {old["id"], new["id"]}
    _, data = receipt.build(t.province, t.commune3.origin, [result])
    assert receipt.apply(t.commune3, data)["acknowledged_through"] >= 1

    # The old district still relaying what it had changes nothing and leaves nothing waiting.
    add_case(t.district)
    late = importer.import_package(t.province, package.build(t.district)[0].data)
    assert late.applied == 1
    assert t.province.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL") == 0
    assert enrol.peer(t.province, t.commune3.origin)["relation"] == "child"
    assert vouch.quarantined(t.province) == []


def test_without_the_replace_option_the_commune_is_told_to_use_it(district_tree):
    import pytest

    from sync.errors import EnrolmentRefused

    t = district_tree
    profile = enrol.export_profile(t.province, t.files / "TB.profile")
    with pytest.raises(EnrolmentRefused) as refused:
        enrol.import_profile(t.commune3, profile)
    assert "D01" in refused.value.message("vi")
    assert t.commune3.node_info.parent_code == "D01"
