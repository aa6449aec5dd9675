"""Every role x every action, asked of the core (the window only asks)."""

import pytest

from app.accounts.roles import PERMISSIONS, ROLES, allowed
from app.errors import PermissionDenied
from tests.conftest import sample_case

# What DESIGN §5 says each role may do. Written out in full so that a change to
# PERMISSIONS has to be made twice, on purpose.
EXPECTED = {
    "admin": set(PERMISSIONS),
    "officer": {"case.read", "case.write", "case.delete", "case.supervise", "identity.read", "identity.write", "activity.read",
                "activity.write", "registry.read", "registry.write", "report.build", "report.finalise", "report.case_file",
                "backup.create", "audit.verify", "sync.run"},
    "cadre": {"case.read", "case.write", "identity.read", "identity.write", "activity.read", "activity.write",
              "registry.read"},
    "leader": {"case.read", "case.supervise", "activity.read", "registry.read", "report.build", "report.finalise", "audit.verify"},
    "province_officer": {"case.read", "activity.read", "registry.read", "report.build", "report.finalise",
                         "sync.run"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_role_action_matrix(role, action):
    assert allowed(role, action) == (action in EXPECTED[role])


def test_identity_is_never_for_leader_or_province():
    for role in ("leader", "province_officer"):
        assert not allowed(role, "identity.read")
        assert not allowed(role, "identity.write")


def test_unknown_action_is_denied_to_everyone():
    assert not any(allowed(role, "launch.rockets") for role in ROLES)


@pytest.mark.parametrize("role,point", [("leader", None), ("province_officer", None)])
def test_roles_without_write_cannot_save_a_case(session, role, point):
    session.add_user("u-" + role, "pass-12345-trau-den", role, point_id=point)
    other = session.node.login("u-" + role, "pass-12345-trau-den")
    try:
        with pytest.raises(PermissionDenied) as caught:
            other.cases.save(sample_case())
        assert "không được phép" in str(caught.value)
        assert other.cases.count() == 0
    finally:
        other.close()


def test_only_admin_manages_users(session):
    session.add_user("canbo", "pass-12345-trau-den", "officer")
    officer = session.node.login("canbo", "pass-12345-trau-den")
    try:
        with pytest.raises(PermissionDenied):
            officer.add_user("x", "pass-12345-trau-den", "admin")
    finally:
        officer.close()
