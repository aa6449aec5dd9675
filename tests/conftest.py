"""Shared test fixtures.

Every test gets: the offscreen Qt platform, cheap Argon2 cost (the slots record
the cost they were made with, so this changes no rule), an in-memory keyring
that never touches the real one, and a fresh encrypted node in a temp folder.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("BINHAN_LANG", "vi")

import nacl.pwhash
import pytest
from keyring.backend import KeyringBackend

from app.store import keyslots

CANARY_NAME = "Xuân Canary Quỳnh"
ADMIN_PASSWORD = "mật-khẩu-thử"


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that lives in memory for one test."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch):
    monkeypatch.setattr(keyslots, "KDF_OPSLIMIT", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(keyslots, "KDF_MEMLIMIT", nacl.pwhash.argon2id.MEMLIMIT_MIN)


@pytest.fixture(autouse=True)
def memory_keyring():
    backend = MemoryKeyring()
    keyslots.set_keyring_backend(backend)
    yield backend
    keyslots.set_keyring_backend(None)


@pytest.fixture
def no_keyring(memory_keyring, monkeypatch):
    """Headless Linux as it really is: no keyring backend at all."""
    monkeypatch.setattr(keyslots, "usable_keyring", lambda: None)


@pytest.fixture
def node_dir(tmp_path):
    return tmp_path / "node"


@pytest.fixture
def new_node(node_dir):
    from app.node import Node

    node, recovery = Node.create(
        node_dir, kind="commune", name="Xã Thử Nghiệm", code="TN01", parent_code="TB",
        profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD,
        admin_display_name="Quản trị thử",
    )
    node.recovery_key_for_tests = recovery
    return node


@pytest.fixture
def session(new_node):
    s = new_node.login("admin", ADMIN_PASSWORD)
    yield s
    if s.store is not None:
        s.close()


def sample_case(**overrides) -> dict:
    """A valid case as the form or `case add --json` would send it."""
    case = {
        "status": "open",
        "intake": {"reported_on": "2025-03-10", "incident_on": "2025-03-08", "disclosure_channel": "self",
                   "referral_source": "family"},
        "survivor": {"age": 34, "sex": "female", "marital_status": "married", "disability": "none",
                     "ethnicity": "kinh"},
        "identity": {"name": CANARY_NAME, "address": "Thôn Canary, xã Thử Nghiệm", "phone": "0912345678",
                     "id_number": "034190001234", "narrative": f"{CANARY_NAME} bị chồng đánh.",
                     "perpetrator_names": "Trần Văn Canary", "safety_notes": None},
        "incident": {"time_of_day": "evening_night", "location_type": "shared_home",
                     "violence_type": "physical_assault", "dv_acts": [], "reported_elsewhere": False},
        "perpetrators": [{"sex": "male", "age_group": "age_26_40", "relationship": "intimate_partner", "count": 1}],
        "consent": {"services": {"given": True, "on": "2025-03-10"},
                    "reporting": {"given": True, "on": "2025-03-10"},
                    "sharing": {"given": False}},
        "services": [{"service": "health_care", "status": "referred", "on": "2025-03-10"},
                     {"service": "psychosocial_counselling", "status": "provided", "on": "2025-03-11"}],
        "referrals": [{"service": "health_care", "provider_name": "Trạm y tế xã", "referred_on": "2025-03-10",
                       "consent": True, "outcome": "received", "outcome_on": "2025-03-12"}],
        "follow_ups": [{"due_on": "2025-04-10", "status": "planned"}],
        "perpetrator_actions": [{"action": "detected", "on": "2025-03-10"},
                                {"action": "counselled", "on": "2025-03-15"}],
        "safety_plan": {"in_place": True, "on": "2025-03-11"},
        "closure": {"items": [], "closed_on": None},
    }
    for key, value in overrides.items():
        case[key] = value
    return case
