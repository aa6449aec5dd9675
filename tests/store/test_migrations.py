import shutil
from pathlib import Path

import pytest

from app.errors import NewerDatabase
from app.node import Node
from app.store import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def v1_node(tmp_path):
    target = tmp_path / "v1"
    shutil.copytree(DATA / "schema_v1", target)
    return Node.open(target)


def test_committed_schema_1_database_upgrades_to_current_and_keeps_its_data(v1_node):
    session = v1_node.login("admin", "schema-v1")
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        case = session.cases.get("c1", with_identity=True)
        assert case["identity"]["name"] == "Đặng Thị Lược Đồ"
        assert case["incident"]["violence_type"] == "physical_assault"
        # the new tables of later steps work on the old file
        assert session.store.scalar("SELECT count(*) FROM activities") == 0
        assert session.verify_audit().ok
    finally:
        session.close()
    copies = list(v1_node.data_dir.glob("binhan.db.schema1-*.bak"))
    assert len(copies) == 1, "the file is copied aside before an upgrade"


def test_every_step_runs_in_one_transaction(v1_node, monkeypatch):
    def broken_step(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut in the middle of a step")

    monkeypatch.setattr(migrations, "STEPS", [migrations.STEPS[0], broken_step])
    with pytest.raises(RuntimeError):
        v1_node.login("admin", "schema-v1")
    monkeypatch.undo()
    session = v1_node.login("admin", "schema-v1")
    try:
        assert session.store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == 0
        assert session.store.user_version == migrations.CURRENT_VERSION
    finally:
        session.close()


def test_database_from_newer_version_is_refused_untouched(session, new_node):
    session.store.execute(f"PRAGMA user_version = {migrations.CURRENT_VERSION + 1}")
    session.close()
    before = new_node.db_path.read_bytes()
    with pytest.raises(NewerDatabase) as caught:
        new_node.login("admin", "mật-khẩu-thử")
    assert "phiên bản Bình An mới hơn" in str(caught.value)
    assert new_node.db_path.read_bytes() == before


def test_schema_4_database_gains_the_annual_reports_table_and_keeps_its_data(node_dir, monkeypatch):
    """A node made by the release before step 5 (its steps only), then opened by this one."""
    from tests.conftest import ADMIN_PASSWORD, sample_case

    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:4])
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 4)
    node, _ = Node.create(node_dir, kind="commune", name="Xã Thử Nghiệm", code="TN01", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    old = node.login("admin", ADMIN_PASSWORD)
    assert old.store.user_version == 4
    assert old.store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'annual_reports'") == 0
    case = old.cases.save(sample_case())
    old.close()
    monkeypatch.undo()

    session = Node.open(node_dir).login("admin", ADMIN_PASSWORD)
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        assert session.cases.get(case["id"])["code"] == case["code"]
        from app.reports import submission
        made = submission.finalise(session, 2025)
        assert [r["year"] for r in submission.finalised(session)] == [2025] and made["rev"] == 1
        assert session.verify_audit().ok
    finally:
        session.close()
    assert len(list(node_dir.glob("binhan.db.schema4-*.bak"))) == 1, "the file is copied aside before an upgrade"


def test_schema_1_database_gains_the_audit_annex_and_its_first_seal(v1_node):
    """A file from before the seal: sealed at its first write, and a restore on it keeps its history."""
    from app import audit
    from app.audit.seal import SEAL_NAME

    assert not (v1_node.data_dir / SEAL_NAME).exists()
    session = v1_node.login("admin", "schema-v1")
    try:
        assert session.store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'audit_annex'") == 1
        session.store.audit_seal.flush()
        assert (v1_node.data_dir / SEAL_NAME).exists()
        assert audit.entries(session.store, action="audit.sealed")
        backup = session.backups.create()
        session.backups.set_every_hours(3)  # an entry the backup lacks
        session.backups.restore(backup)
        assert session.store.scalar("SELECT count(*) FROM audit_annex WHERE action = 'settings.change'") == 1
        assert not list(v1_node.data_dir.glob(".*restore*")), "nothing of the restore's work is left behind"
        assert session.verify_audit().ok
    finally:
        session.close()


def test_activities_made_before_the_topic_step_are_about_gbv_in_general(node_dir, monkeypatch):
    """A node made by the release before the step that gives activities a topic and a funding source."""
    from tests.conftest import ADMIN_PASSWORD

    step = migrations.STEPS.index(migrations._step_activity_topic_funding)
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:step])
    monkeypatch.setattr(migrations, "CURRENT_VERSION", step)
    node, _ = Node.create(node_dir, kind="commune", name="Xã Thử Nghiệm", code="TN01", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD)
    old = node.login("admin", ADMIN_PASSWORD)
    with old.store.transaction() as conn:  # as the release before wrote it: no topic, no funding source
        conn.execute("INSERT INTO activities (id, origin, rev, created_at, updated_at, deleted, kind, title,"
                     " starts_on) VALUES ('a1', 'o', 1, 'x', 'x', 0, 'rally', 'Mít tinh', '2025-06-05')")
    old.close()
    monkeypatch.undo()

    session = Node.open(node_dir).login("admin", ADMIN_PASSWORD)
    try:
        assert session.store.user_version == migrations.CURRENT_VERSION
        row = session.store.query("SELECT topic, funding_source FROM activities WHERE id = 'a1'")[0]
        assert (row["topic"], row["funding_source"]) == ("gbv_prevention_response", None)
    finally:
        session.close()


def test_a_case_saved_after_upgrading_the_schema_1_file_takes_the_next_free_code(v1_node):
    """The committed schema-1 file holds case V1-2025-00001 but no counter: the next code skips it."""
    from tests.conftest import sample_case

    session = v1_node.login("admin", "schema-v1")
    try:
        taken = session.store.scalar("SELECT code FROM cases WHERE id = 'c1'")
        case = sample_case()
        case["intake"]["reported_on"] = f"{taken.split('-')[1]}-03-02"
        case["intake"]["incident_on"] = None
        saved = session.cases.save(case)
        assert saved["code"] != taken and saved["code"].rsplit("-", 1)[0] == taken.rsplit("-", 1)[0]
    finally:
        session.close()


def test_a_schema_1_case_gains_case_management_and_can_be_planned_reviewed_and_erased(v1_node):
    """Issue 18's step on the oldest committed file: the old case reads with empty parts, takes new ones, and
    its identity (sealed at the upgrade) can be erased."""
    session = v1_node.login("admin", "schema-v1")
    try:
        case = session.cases.get("c1", with_identity=True)
        assert case["risk_assessments"] == [] and case["reviews"] == [] and case["identity_erased_on"] is None
        assert case["action_plan"] == {"needs": [], "goals": None, "actions": []}
        assert case["identity"]["code_word"] is None
        case["risk_assessments"] = [{"on": case["intake"]["reported_on"], "answers": {"weapon": "yes"}}]
        case["identity"]["code_word"] = "mua muối"
        saved = session.cases.save(case)
        assert saved["derived"]["risk_level"] == "high" and saved["identity"]["code_word"] == "mua muối"
        session.cases.review("c1", "Đã xem", approves_closure=False)
        session.cases.erase_identity("c1")
        assert session.cases.get("c1", with_identity=True)["identity"]["name"] is None
        assert session.verify_audit().ok
    finally:
        session.close()
