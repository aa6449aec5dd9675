"""Clock trouble: a PC clock set back, or years wrong, breaks neither ordering, sync nor the audit chain."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, UTC

import pytest

from app import records
from app.node import Node
from app.store import check
from tests.conftest import ADMIN_PASSWORD, sample_case

A_YEAR_NS = 365 * 24 * 3600 * 10**9


@pytest.fixture
def set_clock_back(monkeypatch):
    """set_clock_back(years): the PC's clock (ids and timestamps) runs `years` behind from now on."""
    real_ns = time.time_ns
    real_datetime = records.datetime

    def apply(years: float):
        shift = int(years * A_YEAR_NS)

        class ShiftedDatetime(real_datetime):
            @classmethod
            def now(cls, tz=None):
                return real_datetime.now(tz) - timedelta(microseconds=shift // 1000)

        monkeypatch.setattr(records.time, "time_ns", lambda: real_ns() - shift)
        monkeypatch.setattr(records, "datetime", ShiftedDatetime)

    return apply


def test_ids_stay_ordered_across_runs_when_the_clock_moves_back(new_node, set_clock_back, monkeypatch):
    session = new_node.login("admin", ADMIN_PASSWORD)
    first = session.cases.save(sample_case())["id"]
    session.close()
    set_clock_back(2)
    monkeypatch.setattr(records, "_last_ms", 0)  # a new run of the program: nothing remembered in memory
    session = new_node.login("admin", ADMIN_PASSWORD)
    try:
        second = session.cases.save(sample_case())["id"]
        assert second > first
        assert session.verify_audit().ok  # the chain is by sequence, not by time
        assert check.clock_trouble(session.store, now=records.datetime.now(UTC)) is not None
    finally:
        session.close()


def test_window_is_warned_when_the_clock_is_behind_the_last_change_or_years_off(session):
    session.cases.save(sample_case())
    assert check.clock_trouble(session.store) is None
    behind = datetime.now(UTC) - timedelta(days=400)
    warning = check.clock_trouble(session.store, now=behind)
    assert warning is not None and "chỉnh lùi" in warning.vi
    warning = check.clock_trouble(session.store, now=datetime(2009, 1, 1, tzinfo=UTC))
    assert warning is not None and "năm 2009" in warning.vi


def test_an_edit_made_with_the_clock_set_back_still_wins_at_the_parent(tmp_path, set_clock_back):
    """Sync compares revisions (then time): the newer revision is applied although its timestamp is older."""
    from sync import importer, package
    from tests.faults import harness

    world = harness.World(tmp_path / "world")
    with harness.cheap_costs():
        commune = Node.open(world.commune_dir).login("admin", harness.PASSWORD)
        case_id = sorted(world.sent_case_ids)[0]
        set_clock_back(3)
        edited = commune.cases.get(case_id, with_identity=True)
        edited["survivor"]["age"] += 1
        saved = commune.cases.save(edited)
        assert saved["rev"] == 2
        built = package.build(commune)
        package.mark_sent(commune, built, via="folder")
        commune.close()
        province = Node.open(world.province_dir).login("admin", harness.PASSWORD)
        try:
            for p in sorted(world.incoming.glob("*.pkg.binhan")):
                importer.import_package(province, p)
            for p in built:
                importer.import_package(province, p.data)
            row = province.store.query("SELECT rev, updated_at FROM cases WHERE id = ?", (case_id,))[0]
            assert row["rev"] == 2 and saved["updated_at"].startswith(row["updated_at"])  # 3 years "earlier"
            assert province.verify_audit().ok
        finally:
            province.close()
