"""Newer option lists received from the parent reach the forms and the validation."""

import json

import pytest

from app.errors import ValidationFailed
from app.reference import load_reference
from app.reference.received import META_PREFIX
from tests.conftest import sample_case


def _receive(session, list_name: str, version: int, extra_option: dict) -> None:
    shipped = load_reference()[list_name]
    options = [{"code": o.code, "vi": o.vi, "en": o.en, "extra": dict(o.extra)} for o in shipped.options]
    options.append(extra_option)
    data = {"name": list_name, "version": version, "title_vi": shipped.title_vi, "title_en": shipped.title_en,
            "options": options}
    with session.store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (META_PREFIX + list_name, json.dumps({"list": data, "from": "province", "received_at": "x"})))
    session.refresh_reference()


NEW_CHANNEL = {"code": "zalo_group", "vi": "Nhóm Zalo của thôn", "en": "Village chat group", "extra": {}}


def test_a_newer_received_list_brings_its_new_code_into_use(session):
    with pytest.raises(ValidationFailed):
        session.cases.save(sample_case(intake={"reported_on": "2025-03-10", "disclosure_channel": "zalo_group"}))
    _receive(session, "disclosure_channel", load_reference()["disclosure_channel"].version + 1, NEW_CHANNEL)
    saved = session.cases.save(sample_case(intake={"reported_on": "2025-03-10", "disclosure_channel": "zalo_group"}))
    assert saved["intake"]["disclosure_channel"] == "zalo_group"
    assert session.reference["disclosure_channel"].label("zalo_group") == "Nhóm Zalo của thôn"


def test_an_older_or_equal_received_list_changes_nothing(session):
    _receive(session, "disclosure_channel", load_reference()["disclosure_channel"].version, NEW_CHANNEL)
    assert "zalo_group" not in session.reference["disclosure_channel"].codes


def test_a_damaged_received_list_leaves_the_shipped_one_in_force(session):
    with session.store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                     (META_PREFIX + "sex", json.dumps({"list": {"name": "sex", "version": 99, "options": []}})))
    session.refresh_reference()
    assert session.reference["sex"].codes == load_reference()["sex"].codes
