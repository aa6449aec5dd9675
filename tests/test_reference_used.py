"""Every code used anywhere exists in the reference data, with both labels."""

from pathlib import Path

import pytest

from app.accounts.roles import ROLES
from app.cases.fields import CONSENT_SCOPES
from app.cases.validate import MINOR_BANDS, SEXUAL_TYPES
from app.node import NODE_KINDS
from app.reference import load_profiles, load_reference
from app.reference.used import CODES_USED_BY_CORE

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("list_name", sorted(CODES_USED_BY_CORE))
def test_codes_named_by_the_core_exist(list_name):
    ref = load_reference()
    missing = CODES_USED_BY_CORE[list_name] - ref[list_name].codes
    assert not missing, f"{list_name}: {sorted(missing)} used by the core but absent from data/"


def test_core_constants_are_registered():
    used = CODES_USED_BY_CORE
    assert MINOR_BANDS <= used["age_band"]
    assert SEXUAL_TYPES <= used["violence_type"]
    assert set(CONSENT_SCOPES) == used["consent_scope"]
    assert set(ROLES) == used["role"]
    assert set(NODE_KINDS) == used["node_kind"]


def test_relationships_marked_intimate_are_the_ones_the_core_expects():
    ref = load_reference()
    intimate = {o.code for o in ref["relationship"].options if o.extra.get("intimate")}
    assert intimate == {"intimate_partner", "former_partner"}


def test_every_label_in_every_list_has_both_languages():
    ref = load_reference()
    for name in ref.names:
        for option in ref[name].options:
            assert option.vi.strip() and option.en.strip(), f"{name}.{option.code}"


def test_profiles_name_only_existing_files_and_formulas():
    for code, profile in load_profiles().items():
        assert (ROOT / "data" / "profiles" / f"{code}.toml").exists()
        for target in profile.targets:
            assert target.vi and target.en and target.definition_vi and target.definition_en
