"""The province publishes new versions of its profile and option lists (versions only rise); they go down in
every down-package, and each node below takes them and says what changed."""

import re

import pytest

from app.reference import default_reference_root
from sync import down, importer, package, publish
from sync.errors import EnrolmentRefused
from tests.sync.conftest import add_case
from tests.sync.test_cli import binhan  # noqa: F401  (fixture)
from tests.sync.test_kept_aside import _give_unknown_code


def profile_file(tmp_path, version, deadline="10-31"):
    from app.reference import default_reference_root as root  # noqa: F401
    source = (default_reference_root().parent / "profiles" / "thai_binh.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version = \d+", f"version = {version}", source)
    text = re.sub(r'(?m)^report_deadline = "[^"]*"', f'report_deadline = "{deadline}"', text)
    path = tmp_path / f"thai_binh-v{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def list_folder(tmp_path, version, extra_code):
    folder = tmp_path / f"lists-v{version}"
    folder.mkdir(parents=True)
    source = (default_reference_root() / "violence_type.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version = \d+", f"version = {version}", source, count=1)
    text += f'\n[[option]]\ncode = "{extra_code}"\nvi = "Loại mới"\nen = "A new type"\n'
    (folder / "violence_type.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_new_profile_version_goes_down_and_the_commune_sees_what_changed(tree, tmp_path):
    before = tree.province.profile.version
    done = publish.profile(tree.province, profile_file(tmp_path, before + 1))
    assert done["version"] == before + 1 and "report_deadline" in done["changed"]
    assert tree.province.profile.version == before + 1
    applied = down.apply(tree.commune, down.build(tree.province, tree.commune.origin).data)
    assert applied.profile == "updated" and "report_deadline" in applied.profile_changes
    assert tree.commune.profile.version == before + 1
    with pytest.raises(EnrolmentRefused):  # versions only rise
        publish.profile(tree.province, profile_file(tmp_path, before + 1, "12-15"))
    with pytest.raises(EnrolmentRefused):  # a commune does not publish: it receives
        publish.profile(tree.commune, profile_file(tmp_path, before + 5))


def test_new_list_versions_go_down_and_what_was_kept_aside_for_their_codes_is_applied(tree, tmp_path):
    case = add_case(tree.commune)
    _give_unknown_code(tree.commune, case["id"], code="cyber_violence")
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    assert [k["reason"] for k in result.kept_aside] == ["unknown_code"]
    current = tree.province.reference["violence_type"].version
    done = publish.reference(tree.province, list_folder(tmp_path, current + 1, "cyber_violence"))
    assert done["published"] == [{"list": "violence_type", "from_version": current, "version": current + 1}]
    assert done["applied"] == 1
    assert tree.province.cases.get(case["id"])["incident"]["violence_type"] == "cyber_violence"
    applied = down.apply(tree.commune2, down.build(tree.province, tree.commune2.origin).data)
    assert {u["list"]: u["version"] for u in applied.reference_updated} == {"violence_type": current + 1}
    assert "cyber_violence" in tree.commune2.reference["violence_type"].codes
    with pytest.raises(EnrolmentRefused):
        publish.reference(tree.province, list_folder(tmp_path / "again", current + 1, "other"))


def test_publishing_from_the_command_line(tree, tmp_path, binhan):  # noqa: F811
    version = tree.province.profile.version
    code, out, err = binhan(tree.province.node, "profile", "publish", str(profile_file(tmp_path, version + 1)))
    assert code == 0, err
    assert f"phiên bản {version + 1}" in out
    current = tree.province.reference["violence_type"].version
    code, out, err = binhan(tree.province.node, "reference", "publish",
                            str(list_folder(tmp_path, current + 1, "cyber_violence")))
    assert code == 0, err
    assert f"violence_type: phiên bản {current} → {current + 1}" in out
    code, _, err = binhan(tree.province.node, "reference", "publish",
                          str(list_folder(tmp_path / "x", current, "older")))
    assert code == 2 and "phiên bản chỉ" in err


def test_the_province_publishes_from_its_window(qtbot, tree, tmp_path, monkeypatch):
    from sync.transports import folder as folder_transport
    from ui.qt import Qt
    from ui.sync.page import SyncPage

    monkeypatch.setattr(folder_transport, "removable_drives", lambda: [])
    version = tree.province.profile.version
    chosen = profile_file(tmp_path, version + 1)
    page = SyncPage(tree.province)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.snapshot is not None)
    monkeypatch.setattr(page.files, "open_file", lambda *a, **k: str(chosen))
    button = page.downstream.publish_profile_button
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy() and page.message.kind == "success", timeout=10_000)
    assert tree.province.profile.version == version + 1
    commune_page = SyncPage(tree.commune)
    qtbot.addWidget(commune_page)
    assert commune_page.downstream is None  # a commune without points below has nothing to publish
