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


def as_older_sender(session, record: dict) -> dict:
    """`record` (a case as this version sends it) in the shape an older version sent: every field that stays home
    now (`sync_allow.CASE_RETIRED`, the part rows' dates and consent) read back from the stored case, exact
    ethnicity instead of its group, the month as recorded (older versions did not widen)."""
    import json

    if record.get("withheld"):
        return record
    q = session.store.query
    (row,) = q("SELECT * FROM cases WHERE id = ?", (record["id"],))

    def m(v):
        return None if v in (None, "") else str(v)[:7]
    out = {k: v for k, v in record.items() if k not in ("ethnic_minority", "reported_quarter_only")}
    out.update(
        reported_on=m(row["reported_on"]), incident_on=m(row["incident_on"]),
        survivor_sex=row["survivor_sex"], survivor_age_band=row["survivor_age_band"],
        disclosure_channel=row["disclosure_channel"], referral_source=row["referral_source"],
        marital_status=row["marital_status"], disability=row["disability"], ethnicity=row["ethnicity"],
        pregnant=None if row["pregnant"] is None else bool(row["pregnant"]), time_of_day=row["time_of_day"],
        safety_plan=bool(row["safety_plan"]), closed_on=m(row["closed_on"]),
        closure_items=json.loads(row["closure_items"] or "[]"),
        ctx_intimate_partner=bool(row["ctx_intimate_partner"]),
        ctx_child_sexual_abuse=bool(row["ctx_child_sexual_abuse"]), ctx_early_marriage=bool(row["ctx_early_marriage"]),
        next_follow_up=m(row["next_follow_up"]),
        dv_acts=[r["act"] for r in q("SELECT act FROM case_dv_acts WHERE case_id = ? ORDER BY act", (record["id"],))],
        follow_ups=[{"due": m(r["due_on"]), "status": r["status"]} for r in q(
            "SELECT due_on, status FROM case_follow_ups WHERE case_id = ? ORDER BY idx", (record["id"],))],
        perpetrators=[{"sex": r["sex"], "age_group": r["age_group"], "relationship": r["relationship"],
                       "count": r["count"]} for r in q(
            "SELECT * FROM case_perpetrators WHERE case_id = ? ORDER BY idx", (record["id"],))],
        services=[{"service": r["service"], "status": r["status"], "on": m(r["on_date"])} for r in q(
            "SELECT * FROM case_services WHERE case_id = ? ORDER BY service", (record["id"],))],
        referrals=[{"service": r["service"], "referred_on": m(r["referred_on"]), "consent": bool(r["consent"]),
                    "outcome": r["outcome"]} for r in q(
            "SELECT * FROM case_referrals WHERE case_id = ? ORDER BY idx", (record["id"],))],
        perpetrator_actions=[{"action": r["action"], "on": m(r["on_date"])} for r in q(
            "SELECT * FROM case_perpetrator_actions WHERE case_id = ? ORDER BY idx", (record["id"],))],
    )
    return out
