"""Real encrypted nodes in temporary folders, enrolled the way people do it.

`tree` builds a province with two communes enrolled directly; `district_tree`
adds a district between the province and a third commune.
"""

from __future__ import annotations

import nacl.pwhash
import pytest

from app.node import Node
from sync import enrol
from sync import keys as node_keys
from tests.conftest import ADMIN_PASSWORD, sample_case


@pytest.fixture(autouse=True)
def _cheap_backup_kdf(monkeypatch):
    monkeypatch.setattr(node_keys, "BACKUP_OPSLIMIT", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(node_keys, "BACKUP_MEMLIMIT", nacl.pwhash.argon2id.MEMLIMIT_MIN)


class Tree:
    def __init__(self, root):
        self.root = root
        self.sessions = []
        self.files = root / "files"
        self.files.mkdir()

    def node(self, code: str, *, kind: str, name: str, parent: str | None, profile: str = "thai_binh"):
        node, _ = Node.create(self.root / code, kind=kind, name=name, code=code, parent_code=parent,
                              profile_code=profile, admin_username="admin", admin_password=ADMIN_PASSWORD)
        session = node.login("admin", ADMIN_PASSWORD)
        self.sessions.append(session)
        return session

    def enrol(self, parent, child):
        """Profile down, registration up, fingerprint confirmed as if read out on the phone."""
        profile = enrol.export_profile(parent, self.files / f"{parent.node_info.code}-{child.node_info.code}.profile")
        enrol.import_profile(child, profile)
        registration = enrol.export_registration(child, self.files / f"{child.node_info.code}.registration")
        said_on_phone = enrol.read_registration(registration)["fingerprint"]
        enrol.import_registration(parent, registration, accept_fingerprint=said_on_phone)

    def close(self):
        for s in self.sessions:
            if s.store is not None:
                s.close()


@pytest.fixture
def tree(tmp_path):
    t = Tree(tmp_path)
    t.province = t.node("TB", kind="province", name="Tỉnh Thái Bình", parent=None)
    t.commune = t.node("TN01", kind="commune", name="Xã Thử Nghiệm", parent="TB")
    t.commune2 = t.node("TN02", kind="commune", name="Xã Bên Cạnh", parent="TB")
    t.enrol(t.province, t.commune)
    t.enrol(t.province, t.commune2)
    yield t
    t.close()


@pytest.fixture
def district_tree(tree):
    tree.district = tree.node("D01", kind="district", name="Huyện Thử", parent="TB")
    tree.commune3 = tree.node("TN03", kind="commune", name="Xã Dưới Huyện", parent="D01")
    tree.enrol(tree.province, tree.district)
    tree.enrol(tree.district, tree.commune3)
    return tree


def dump(session) -> dict:
    """Every row of every table, to prove a refused file changed nothing."""
    conn = session.store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def add_case(session, **overrides):
    return session.cases.save(sample_case(**overrides))
