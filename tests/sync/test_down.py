"""Down the tree: profile, reference lists and receipts from the parent; versions only rise."""

import dataclasses
import types

import pytest

from app.reference import Option, Reference
from sync import down, enrol, importer, package
from sync import reference as received_reference
from sync.errors import DownNotFromParent, PackageAltered, PackageMisaddressed

from tests.sync.conftest import add_case, dump


def _issue_newer_list(session, code="economic_violence_online", version_step=1):
    """What a newer release at the province brings: violence_type one version up, with one more code."""
    shipped = session.reference
    old = shipped["violence_type"]
    newer = dataclasses.replace(old, version=old.version + version_step,
                                options=old.options + (Option(code=code, vi="Bạo lực kinh tế qua mạng",
                                                              en="Online economic violence"),))
    session.__dict__["reference"] = Reference({**{n: shipped[n] for n in shipped}, "violence_type": newer},
                                              root=shipped.root)
    return newer


def _issue_profile(session, version, deadline):
    raw = dict(enrol.jsonable(session.profile.raw), version=version, report_deadline=deadline)
    session.__dict__["profile"] = types.SimpleNamespace(raw=raw)


def test_down_package_confirms_what_arrived_and_changes_nothing_else(tree):
    add_case(tree.commune)
    results = [importer.import_package(tree.province, p.data) for p in package.build(tree.commune)]
    built = {b.child["code"]: b for b in down.build_all(tree.province)}
    assert set(built) == {"TN01", "TN02"} and built["TN01"].file_name.endswith(down.SUFFIX)
    result = down.apply(tree.commune, built["TN01"].data)
    assert result.verdict == "applied" and result.profile == "unchanged" and not result.reference_updated
    assert result.receipt["acknowledged_through"] == results[0].seq_to
    assert package.acked_seq(tree.commune, tree.province.origin) == results[0].seq_to


def test_newer_reference_and_profile_go_down_and_never_back(tree):
    newer = _issue_newer_list(tree.province)
    _issue_profile(tree.province, 2, "12-10")
    first = down.build(tree.province, tree.commune.origin)
    result = down.apply(tree.commune, first.data)
    assert result.reference_updated == [{"list": "violence_type", "from_version": newer.version - 1,
                                         "version": newer.version}]
    assert result.profile == "updated"
    assert "economic_violence_online" in received_reference.effective(tree.commune)["violence_type"]
    assert enrol.received_profile(tree.commune)["report_deadline"] == "12-10"
    # The province goes back to the shipped list and the old profile: the commune keeps the newer ones.
    tree.province.__dict__.pop("reference")
    _issue_profile(tree.province, 1, "11-30")
    second = down.apply(tree.commune, down.build(tree.province, tree.commune.origin).data)
    assert second.reference_kept == [{"list": "violence_type", "version": newer.version,
                                      "offered": newer.version - 1}]
    assert second.profile == "kept_newer"
    assert received_reference.effective(tree.commune)["violence_type"].version == newer.version
    assert enrol.received_profile(tree.commune)["version"] == 2
    # Replayed, or arriving after a later one: nothing changes.
    before = dump(tree.commune)
    assert down.apply(tree.commune, first.data).verdict == "older"
    assert dump(tree.commune) == before


def test_district_passes_newer_lists_down_and_retries_what_it_kept_aside(district_tree):
    t = district_tree
    _issue_newer_list(t.province)
    _issue_newer_list(t.commune3)  # the commune was updated first and already uses the new code
    case = add_case(t.commune3)
    case["incident"]["violence_type"] = "economic_violence_online"
    t.commune3.cases.save(case)
    result = importer.import_package(t.district, package.build(t.commune3)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["unknown_code"]
    applied = down.apply(t.district, down.build(t.province, t.district.origin).data)
    assert applied.kept_aside_retried == 1
    assert t.district.store.scalar("SELECT violence_type FROM cases WHERE id = ?", (case["id"],)) \
        == "economic_violence_online"
    to_commune = down.apply(t.commune3, down.build(t.district, t.commune3.origin).data)
    assert to_commune.reference_updated == [] and to_commune.receipt["acknowledged_through"] > 0


def test_refused_down_packages_change_nothing(tree, district_tree):
    for_other = down.build(tree.province, tree.commune2.origin)
    from_district = down.build(district_tree.district, district_tree.commune3.origin)
    mine = bytearray(down.build(tree.province, tree.commune.origin).data)
    mine[len(mine) // 2] ^= 1
    before = dump(tree.commune)
    with pytest.raises(PackageMisaddressed):
        down.apply(tree.commune, for_other.data)
    with pytest.raises((DownNotFromParent, PackageMisaddressed)):
        down.apply(tree.commune, from_district.data)
    with pytest.raises(PackageAltered):
        down.apply(tree.commune, bytes(mine))
    assert dump(tree.commune) == before


def test_a_down_package_given_to_the_parent_importer_is_refused(tree):
    built = down.build(tree.province, tree.commune.origin)
    with pytest.raises(PackageMisaddressed):
        importer.import_package(tree.province, built.data)
