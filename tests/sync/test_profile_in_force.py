"""The profile the parent sends is the one in force at the child: targets, deadline, receiving body."""

import json
import types

from app.node import Node
from sync import down, enrol
from tests.sync.conftest import ADMIN_PASSWORD


def test_a_child_uses_the_profile_its_parent_sent(tmp_path):
    from tests.sync.conftest import Tree

    t = Tree(tmp_path)
    try:
        province = t.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
        commune = t.node("XA01", kind="commune", name="Xã Chọn Nhầm", parent="HY", profile="thai_binh")
        assert commune.profile.code == "thai_binh"  # chosen at set-up
        t.enrol(province, commune)
        assert commune.profile.code == "hung_yen", "the parent's profile is the one in force"
        assert commune.profile.deadline_for(2026).isoformat() == "2026-12-10"
        # and it stays so across a new login
        node = commune.node
        commune.close()
        again = Node.open(node.data_dir).login("admin", ADMIN_PASSWORD)
        t.sessions.append(again)
        assert [tg.code for tg in again.profile.targets] == [tg.code for tg in province.profile.targets]
    finally:
        t.close()


def test_a_newer_deadline_sent_down_is_used_at_once(tree):
    raw = dict(enrol.jsonable(tree.province.profile.raw), version=tree.province.profile.version + 1,
               report_deadline="12-05")
    tree.province.__dict__["profile"] = types.SimpleNamespace(raw=raw, code=raw["code"])
    result = down.apply(tree.commune, down.build(tree.province, tree.commune.origin).data)
    assert result.profile == "updated"
    assert tree.commune.profile.deadline_for(2026).isoformat() == "2026-12-05"


def test_a_damaged_received_profile_leaves_the_shipped_one_in_force(tree):
    with tree.commune.store.transaction() as conn:
        conn.execute("UPDATE sync_peers SET profile = ? WHERE relation = 'parent'",
                     (json.dumps({"profile": {"code": "thai_binh", "version": "broken"}}),))
    tree.commune.refresh_profile()
    assert tree.commune.profile.code == "thai_binh" and tree.commune.profile.targets
