import pytest

from app.accounts import Throttle
from app.errors import LoginThrottled, WrongSecret
from tests.conftest import ADMIN_PASSWORD


def test_wrong_passwords_slow_down_and_a_right_one_resets(new_node):
    for _ in range(3):  # three free tries ...
        with pytest.raises(WrongSecret):
            new_node.login("admin", "wrong")
    with pytest.raises(LoginThrottled) as caught:
        new_node.login("admin", ADMIN_PASSWORD)  # ... then even the right password must wait
    assert caught.value.seconds > 0
    assert "Vui lòng chờ" in str(caught.value)
    later = new_node.throttle.clock() + 2
    new_node.throttle.clock = lambda: later
    new_node.login("admin", ADMIN_PASSWORD).close()
    assert new_node.throttle.wait_for("admin") == 0


def test_throttle_doubles_and_is_capped():
    now = [1000.0]
    t = Throttle.__new__(Throttle)
    state = {}

    class Slots:
        def users(self):
            return ["admin"]

    t._load = lambda: state
    t._update = lambda edit: edit(state, Slots())
    t.policy = lambda: (100, 60)  # no lock-out in this test: only the slowing down
    t.clock = lambda: now[0]
    waits = []
    for _ in range(12):
        t.failed("admin")
        waits.append(round(t.wait_for("admin")))
    assert waits[:3] == [0, 0, 1]
    assert waits[3:6] == [2, 4, 8]
    assert waits[-1] == 300


def test_throttle_survives_a_restart(new_node):
    for _ in range(3):
        with pytest.raises(WrongSecret):
            new_node.login("admin", "wrong")
    fresh = type(new_node)(new_node.data_dir)
    with pytest.raises(LoginThrottled):
        fresh.login("admin", ADMIN_PASSWORD)


def test_failed_logins_are_written_to_the_audit_log_on_next_success(new_node, monkeypatch):
    with pytest.raises(WrongSecret):
        new_node.login("admin", "wrong")
    session = new_node.login("admin", ADMIN_PASSWORD)
    try:
        rows = session.store.query("SELECT detail FROM audit_log WHERE action = 'login.failed'")
        assert rows and '"failures_before": 1' in rows[0]["detail"]
    finally:
        session.close()


def test_lock_hides_until_the_password_is_typed_again(session):
    session.lock()
    assert session.locked
    with pytest.raises(WrongSecret):
        session.unlock("wrong")
    assert session.locked
    session.unlock(ADMIN_PASSWORD)
    assert not session.locked
