"""A commune's year of data for report tests: cases covering every counting rule, activities, registers.

Every case carries the canary identity of `tests.conftest.sample_case`, so a
report for another body that leaks an identity shows it.
"""

from __future__ import annotations

import copy
import shutil
import subprocess

import nacl.pwhash
import pytest

from app.store import keyslots
from tests.app.test_targets import consent, make_case
from tests.conftest import ADMIN_PASSWORD, MemoryKeyring

PDF_TOOLS = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils (pdftotext, pdffonts) not installed")


def pdf_text(path, *pages: int) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type… encoding emb sub uni object ID: read from the right, types may hold spaces
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def _held_elsewhere(s, case):
    """A case another agency also reported, whose record of it this node holds (as a province holds what
    another node sent): counted once, the agency's record (itself a duplicate here, so never counted)."""
    agency = case("2025-03-11", status="duplicate")
    with s.store.transaction() as conn:
        conn.execute("UPDATE cases SET origin = 'another-agency' WHERE id = ?", (agency["id"],))
    ours = case("2025-03-11", reported_elsewhere=True)
    ours = s.cases.get(ours["id"])
    ours["duplicate_of"] = agency["id"]
    return s.cases.save(ours)


def person(age: int, sex: str = "female") -> dict:
    return {"age": age, "sex": sex, "marital_status": "married", "disability": "none", "ethnicity": "kinh"}


@pytest.fixture(scope="session")
def _template(tmp_path_factory):
    """The commune's data, built once per test run; each test works on its own copy of the folder."""
    from app.node import Node

    saved = keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT
    keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN
    keyslots.set_keyring_backend(MemoryKeyring())
    try:
        folder = tmp_path_factory.mktemp("reports") / "node"
        node, _ = Node.create(folder, kind="commune", name="Xã Thử Nghiệm", code="TN01", parent_code="TB",
                              profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD,
                              admin_display_name="Quản trị thử")
        s = node.login("admin", ADMIN_PASSWORD)
        made = _fill(s)
        s.close()
    finally:
        keyslots.KDF_OPSLIMIT, keyslots.KDF_MEMLIMIT = saved
        keyslots.set_keyring_backend(None)
    return folder, made


@pytest.fixture
def new_node(_template, tmp_path):
    """Overrides the root fixture: a copy of the prepared commune, not an empty node."""
    from app.node import Node

    folder = tmp_path / "node"
    shutil.copytree(_template[0], folder, ignore=shutil.ignore_patterns("backups"))
    return Node.open(folder)


@pytest.fixture
def year_of_data(_template):
    """2025 in a commune: 13 counted cases and the ones that must not count, activities, registers."""
    return copy.deepcopy(_template[1])


def _fill(s) -> dict:
    made = {"counted": [], "excluded": []}

    def case(reported_on, *, survivor=None, violence_type="physical_assault", **kw):
        data = make_case(s, reported_on, violence_type=violence_type, **kw)
        if survivor is not None:
            full = s.cases.get(data["id"], with_identity=True)
            full["survivor"] = survivor
            if (survivor.get("age") or 99) < 16:  # a child consents with a parent or guardian (issue 18.7)
                for consent in full["consent"].values():
                    consent["given_by"] = "both" if consent["given"] else None
            data = s.cases.save(full)
        return data

    # Eight physical assaults on women 26–40 over the year: a cell big enough to print.
    for month in range(1, 9):
        made["counted"].append(case(f"2025-{month:02d}-05"))
    # Two rapes of girls of 15: a small cell, to be hidden.
    for day in (10, 20):
        made["counted"].append(case(f"2025-04-{day}", violence_type="rape", survivor=person(15),
                                    perpetrators=[{"sex": "male", "age_group": "age_18_25",
                                                   "relationship": "neighbour_family_friend", "count": 1}],
                                    services=[("health_care", "provided"), ("legal_aid", "referred")],
                                    referrals=[("legal_aid", "pending")], actions=["criminal_proceedings"]))
    # Three psychological abuse of men, no service needed.
    for day in (3, 13, 23):
        made["counted"].append(case(f"2025-09-{day:02d}", violence_type="psychological_abuse",
                                    survivor=person(45, "male"), services=[("legal_aid", "declined")],
                                    referrals=[], actions=[]))
    made["withdrawn"] = case("2025-02-14", reporting=consent(given_on="2025-02-14", withdrawn_on="2025-06-30"))
    made["excluded"] += [
        made["withdrawn"],
        _held_elsewhere(s, case),
        case("2025-03-12", status="duplicate"),
        case("2025-03-13", violence_type="not_gbv"),
        case("2025-03-14", reporting=consent(given=False)),
        case("2024-12-30"),
    ]

    act = s.activities.save
    base = {"target_groups": ["residential_areas", "women_members"], "budget_vnd": 1_000_000}
    made["activities"] = [
        act({**base, "kind": "thematic_talk", "title": "Nói chuyện chuyên đề thôn Đông", "starts_on": "2025-03-08",
             "participants": {"total": 80, "female": 50, "male": 30, "youth": 10}}),
        act({**base, "kind": "thematic_talk", "title": "Nói chuyện chuyên đề thôn Tây", "starts_on": "2025-11-20",
             "participants": {"total": 60, "female": 40, "male": 20, "youth": 5}}),
        act({**base, "kind": "rally", "title": "Mít tinh tháng hành động", "starts_on": "2025-06-10",
             "target_groups": ["community_general"], "participants": {"total": 300, "female": 170, "male": 130}}),
        act({"kind": "newspaper_column", "title": "Chuyên mục trên loa xã", "starts_on": "2025-05-02",
             "quantity": 4, "target_groups": ["community_general"], "budget_vnd": 200_000}),
        act({"kind": "printed_material", "title": "Tờ rơi phòng chống bạo lực", "starts_on": "2025-05-03",
             "quantity": 500, "target_groups": ["community_general"], "budget_vnd": 2_500_000}),
        act({"kind": "training_officials", "title": "Tập huấn cán bộ thôn", "starts_on": "2025-07-15",
             "target_groups": ["officials"], "participants": {"total": 25, "female": 15, "male": 10},
             "budget_vnd": 5_000_000}),
        act({"kind": "inspection_thematic", "title": "Kiểm tra chuyên đề", "starts_on": "2025-10-01"}),
        act({"kind": "commendation", "title": "Khen thưởng tổ hòa giải", "starts_on": "2025-12-01"}),
        act({"kind": "thematic_talk", "title": "Hoạt động năm trước", "starts_on": "2024-12-01",
             "participants": {"total": 999, "female": 999}}),
    ]
    gone = act({"kind": "rally", "title": "Nhập nhầm", "starts_on": "2025-06-11",
                "participants": {"total": 7777, "female": 7777}})
    s.activities.delete(gone["id"])

    reg = s.registries
    model = reg.save_model({"kind": "trusted_address", "name": "Địa chỉ tin cậy thôn Đông",
                            "established_on": "2022-03-08", "status": "active"})
    reg.set_model_status(model["id"], "suspended", "2025-09-01")
    reg.save_model({"kind": "club", "name": "Câu lạc bộ thôn Tây", "established_on": "2024-01-01",
                    "status": "active"})
    school = reg.save_school({"name": "THPT Đông Hưng", "level": "upper_secondary"})
    reg.save_school({"name": "THPT Bắc Sơn", "level": "upper_secondary", "integrations": {"2025": True}})
    act({"kind": "contest", "title": "Hội thi tại trường", "starts_on": "2025-04-04", "school_id": school["id"],
         "target_groups": ["schools"], "participants": {"total": 200, "female": 110, "male": 90, "youth": 200}})
    return made
