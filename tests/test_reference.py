"""Reference data (data/reference, data/profiles) and its loader app.reference."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
import textwrap
import tomllib
import unicodedata
from pathlib import Path

import pytest

from app import paths
from app.reference import (
    KNOWN_FORMULAS,
    Option,
    Profile,
    Reference,
    ReferenceList,
    Target,
    is_code,
    load_profile_file,
    load_profiles,
    load_reference,
    load_reference_file,
)

DATA = paths.reference_dir()
REFERENCE_DIR = DATA / "reference"
PROFILES_DIR = DATA / "profiles"

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# Letters only Vietnamese uses (beyond plain ASCII): a label with one of these
# proves the diacritics survived the round trip.
VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {
    c for c in "áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
}

# The codes the core depends on: each list must contain at least these.
REQUIRED_CODES: dict[str, list[str]] = {
    "violence_type": ["rape", "sexual_assault", "physical_assault", "forced_marriage",
                      "denial_of_resources", "psychological_abuse", "not_gbv"],
    "sex": ["female", "male", "other", "unknown"],
    "age_band": ["age_0_11", "age_12_17", "age_18_25", "age_26_40", "age_41_60",
                 "age_61_plus", "unknown"],
    "marital_status": ["single", "married", "cohabiting", "separated", "divorced",
                       "widowed", "unknown"],
    "disability": ["none", "physical", "sensory", "intellectual", "psychosocial",
                   "multiple", "unknown"],
    "ethnicity": ["kinh", "tay", "thai", "muong", "khmer", "hoa", "nung", "hmong", "dao",
                  "other", "unknown"],
    "time_of_day": ["morning", "afternoon", "evening_night", "unknown"],
    "location_type": ["survivor_home", "perpetrator_home", "shared_home", "relative_home",
                      "school", "workplace", "health_facility", "public_place", "road",
                      "field_farm", "online", "other", "unknown"],
    "relationship": ["intimate_partner", "former_partner", "family_other", "in_law",
                     "caregiver", "employer_supervisor", "teacher_school_official",
                     "schoolmate", "neighbour_family_friend", "community_member",
                     "no_relation", "unknown"],
    "disclosure_channel": ["self", "family", "hotline", "trusted_address", "police",
                           "health_facility", "school", "village_head", "mass_organisation",
                           "social_worker", "other", "unknown"],
    "service": ["emergency_help", "health_care", "psychosocial_counselling", "legal_aid",
                "safe_shelter", "police_security", "livelihood", "education", "other"],
    "service_status": ["referred", "provided", "already_received", "not_applicable",
                       "declined", "unavailable"],
    "referral_outcome": ["pending", "received", "not_received", "declined", "unknown"],
    "follow_up_status": ["planned", "done", "missed", "cancelled"],
    "perpetrator_action": ["detected", "counselled", "administrative_sanction",
                           "criminal_proceedings"],
    "case_status": ["open", "closed", "transferred", "duplicate"],
    "closure_item": ["needs_met", "no_contact_30_days", "survivor_request", "moved_away",
                     "transferred", "safety_plan_reviewed"],
    "reporting_delay_band": ["days_0_3", "days_4_5", "days_6_14", "weeks_2_to_month",
                             "over_month"],
    "consent_scope": ["services", "reporting", "sharing"],
    "case_context": ["intimate_partner_violence", "child_sexual_abuse", "early_marriage"],
    "activity_group": ["communication_event", "mass_media", "printed_material", "training",
                       "conference", "model_operation", "inspection", "commendation",
                       "hotline"],
    "activity_kind": ["club_meeting", "thematic_talk", "rally", "seminar", "conference_event",
                      "exchange_dialogue", "contest", "art_sport_event", "newspaper_column",
                      "radio_tv_item", "social_media_post", "printed_material",
                      "training_officials", "training_collaborators",
                      "training_service_providers", "training_trainers",
                      "training_survivors_at_risk", "training_perpetrators_at_risk",
                      "conference_workshop", "study_visit", "model_operation",
                      "inspection_interdisciplinary", "inspection_thematic",
                      "inspection_unscheduled", "commendation", "hotline_publicity"],
    "target_group": ["schools", "enterprises_industrial_zones", "residential_areas",
                     "high_risk_vulnerable", "officials", "community_general"],
    "model_kind": ["trusted_address", "safe_school", "safe_commune", "men_pioneers", "club",
                   "club_disability", "workplace_harassment_prevention", "other"],
    "model_status": ["planned", "active", "suspended", "closed"],
    "school_level": ["primary", "lower_secondary", "upper_secondary", "continuing_education",
                     "vocational", "college", "university"],
    "provider_kind": ["health", "police", "legal_aid", "social_protection", "shelter",
                      "hotline", "mass_organisation", "justice", "other"],
    "node_kind": ["point", "commune", "district", "province"],
    "role": ["admin", "officer", "cadre", "leader", "province_officer"],
}
REQUIRED_LISTS = set(REQUIRED_CODES) | {"dv_act"}

# Activity kinds and the group each must belong to.
REQUIRED_KIND_GROUPS = {
    **dict.fromkeys(["club_meeting", "thematic_talk", "rally", "seminar", "conference_event",
                     "exchange_dialogue", "contest", "art_sport_event"], "communication_event"),
    **dict.fromkeys(["newspaper_column", "radio_tv_item", "social_media_post"], "mass_media"),
    "printed_material": "printed_material",
    **dict.fromkeys(["training_officials", "training_collaborators",
                     "training_service_providers", "training_trainers",
                     "training_survivors_at_risk", "training_perpetrators_at_risk"], "training"),
    **dict.fromkeys(["conference_workshop", "study_visit"], "conference"),
    "model_operation": "model_operation",
    **dict.fromkeys(["inspection_interdisciplinary", "inspection_thematic",
                     "inspection_unscheduled"], "inspection"),
    "commendation": "commendation",
    "hotline_publicity": "hotline",
}

# Points of Article 3(1), Law 13/2022/QH15, in Vietnamese legal lettering.
DV_POINTS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q"]


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    """The two seed plans (the 2021–2025 versions), by code, and the national baseline."""
    from app.reference import load_profile_versions

    found = {(p.code, p.version): p for p in load_profile_versions()}
    return {"thai_binh": found["thai_binh", 1], "hung_yen": found["hung_yen", 1],
            "national_2026_2030": found["national_2026_2030", 1]}


def has_vietnamese_letter(text: str) -> bool:
    return any(c in VIETNAMESE_LETTERS for c in text)


# --- the shipped lists ------------------------------------------------------


def test_every_required_list_loads(ref):
    assert REQUIRED_LISTS <= set(ref.names), REQUIRED_LISTS - set(ref.names)
    files = {p.stem for p in REFERENCE_DIR.glob("*.toml")}
    assert set(ref.names) == files
    for name in ref.names:
        lst = ref[name]
        assert isinstance(lst, ReferenceList)
        assert lst.name == name
        assert isinstance(lst.version, int) and lst.version >= 1
        assert ref.version[name] == lst.version
        assert lst.title("vi").strip() and lst.title("en").strip()
        assert len(lst) >= 2


def test_every_option_has_vietnamese_and_english_labels(ref):
    for lst in ref.lists():
        for option in lst:
            where = f"{lst.name}.{option.code}"
            assert isinstance(option, Option)
            assert option.vi.strip() and option.en.strip(), where
            assert option.vi == option.vi.strip() and option.en == option.en.strip(), where
            assert unicodedata.is_normalized("NFC", option.vi), where
            assert not has_vietnamese_letter(option.en), where  # not a copy of the vi label
            assert option.label("vi") == option.vi and option.label("en") == option.en


def test_vietnamese_titles_are_vietnamese(ref):
    for lst in ref.lists():
        assert has_vietnamese_letter(lst.title_vi), lst.name


def test_codes_are_unique_ascii_snake_case(ref):
    # Read the raw files too: the loader would hide a duplicate behind an error.
    for path in sorted(REFERENCE_DIR.glob("*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        assert raw["list"] == path.stem
        codes = [o["code"] for o in raw["option"]]
        assert len(codes) == len(set(codes)), f"{path.name}: duplicate codes"
        for code in codes:
            assert SNAKE.match(code) and code.isascii(), f"{path.name}: {code!r}"
            assert is_code(code)


@pytest.mark.parametrize("name", sorted(REQUIRED_CODES))
def test_required_codes_exist(ref, name):
    lst = ref[name]
    missing = [c for c in REQUIRED_CODES[name] if c not in lst]
    assert not missing, f"{name} lacks {missing}"
    # required codes keep their relative order
    positions = [lst.options.index(lst.get(c)) for c in REQUIRED_CODES[name]]
    assert positions == sorted(positions), name


def test_violence_types_in_gbvims_order_with_definitions(ref):
    vt = ref["violence_type"]
    assert [o.code for o in vt] == REQUIRED_CODES["violence_type"]
    for option in vt:
        for lang, key in (("vi", "definition_vi"), ("en", "definition_en")):
            text = option.get(key)
            assert isinstance(text, str) and len(text) > 20, (option.code, key)
            assert text.endswith("."), (option.code, key)
            assert option.definition(lang) == text
        assert has_vietnamese_letter(option.get("definition_vi"))
    assert vt.label("rape") == "Hiếp dâm"
    assert {o.code for o in vt.where("sexual")} == {"rape", "sexual_assault"}


def test_dv_acts_follow_article_3_clause_1(ref):
    acts = ref["dv_act"]
    assert len(acts) == 16
    assert [o.get("point") for o in acts] == DV_POINTS
    for option in acts:
        assert option.get("law_ref") == f"13/2022/QH15, Điều 3 khoản 1 điểm {option.get('point')}"
        assert has_vietnamese_letter(option.vi)
    assert acts.get("physical_abuse_threat").vi.startswith("Hành hạ, ngược đãi, đánh đập")
    assert acts.options[-1].vi == "Cưỡng ép thành viên gia đình ra khỏi chỗ ở hợp pháp trái pháp luật"


def test_age_bands_are_contiguous(ref):
    bands = [o for o in ref["age_band"] if o.code != "unknown"]
    assert bands[0].get("min_age") == 0
    for before, after in itertools.pairwise(bands):
        assert after.get("min_age") == before.get("max_age") + 1
    assert ref["age_band"].get("age_61_plus").get("max_age") == 130
    unknown = ref["age_band"].get("unknown")
    assert unknown.get("min_age") is None and unknown.get("max_age") is None
    for band in bands:
        assert isinstance(band.get("min_age"), int) and isinstance(band.get("max_age"), int)


def test_reporting_delay_bands(ref):
    bands = ref["reporting_delay_band"].options
    expected = [(0, 3), (4, 5), (6, 14), (15, 30), (31, None)]
    assert [(b.get("min_days"), b.get("max_days")) for b in bands] == expected


def test_only_partners_are_intimate(ref):
    rel = ref["relationship"]
    assert {o.code for o in rel.where("intimate")} == {"intimate_partner", "former_partner"}
    assert all(o.get("intimate") in (None, True) for o in rel)


def test_activity_kinds_belong_to_groups(ref):
    groups = ref["activity_group"]
    kinds = ref["activity_kind"]
    for kind in kinds:
        assert kind.get("group") in groups, kind.code
    for code, group in REQUIRED_KIND_GROUPS.items():
        assert kinds.get(code).get("group") == group, code
    for group in groups:
        assert kinds.where("group", group.code), f"group {group.code} has no kind"


def test_school_levels_counted_by_thai_binh_target(ref):
    levels = ref["school_level"]
    assert {o.code for o in levels.where("target_integration")} == {
        "upper_secondary", "vocational", "college", "university"}


def test_service_status_need_and_help_flags(ref):
    st = ref["service_status"]
    assert {o.code for o in st.where("helped")} == {"provided", "already_received"}
    assert {o.code for o in st.where("needed")} == {
        "referred", "provided", "already_received", "unavailable"}
    assert {o.code for o in ref["referral_outcome"].where("helped")} == {"received"}


def test_node_kind_levels_rise(ref):
    levels = [o.get("level") for o in ref["node_kind"]]
    assert levels == sorted(levels) and len(set(levels)) == len(levels)


def test_vietnamese_labels_keep_their_diacritics(ref):
    assert ref["role"].label("admin") == "Quản trị viên"
    assert ref["role"].label("officer") == "Công chức văn hóa – xã hội"
    assert ref["role"].label("cadre") == "Cán bộ Hội Phụ nữ (địa chỉ tin cậy)"
    assert ref["role"].label("leader") == "Lãnh đạo UBND"
    assert ref["role"].label("province_officer") == "Cán bộ tỉnh"
    assert ref["role"].label("admin", "en") == "Administrator"
    assert ref["model_kind"].label("trusted_address") == "Địa chỉ tin cậy – nhà tạm lánh cộng đồng"
    assert ref["sex"].label("female") == "Nữ"
    assert ref["ethnicity"].label("muong") == "Mường"
    # Vietnamese lists whose labels are words (not numbers or proper names) all carry diacritics
    for name in ("violence_type", "service", "relationship", "location_type", "activity_kind"):
        for option in ref[name]:
            assert has_vietnamese_letter(option.vi), f"{name}.{option.code}: {option.vi!r}"


def test_unknown_code_label_falls_back_to_the_code(ref):
    assert ref["violence_type"].label("retired_code_2019") == "retired_code_2019"
    assert ref["sex"].label("nope", "en") == "nope"
    assert ref["sex"].get("nope") is None
    assert "nope" not in ref["sex"]
    assert ref.label("sex", "male", "en") == "Male"


def test_check_and_unknown_list(ref):
    assert ref.check("violence_type", "rape")
    assert not ref.check("violence_type", "robbery")
    assert not ref.check("sex", "")
    with pytest.raises(KeyError, match="no_such_list"):
        ref["no_such_list"]
    with pytest.raises(KeyError):
        ref.check("no_such_list", "x")


def test_codes_property_and_language_tags(ref):
    assert ref["sex"].codes == frozenset({"female", "male", "other", "unknown"})
    assert ref["sex"].get("male").label("en_GB") == "Male"
    assert ref["sex"].get("male").label("vi-VN") == "Nam"


def test_reference_is_cached_per_root(ref, tmp_path):
    assert load_reference() is ref
    assert load_reference(REFERENCE_DIR) is ref
    write_list(tmp_path, "sex", OPTION_FEMALE)
    other = load_reference(tmp_path)
    assert other is not ref
    assert load_reference(tmp_path) is other
    assert other.names == ("sex",)


def test_import_has_no_qt():
    code = ("import sys, app.reference as r; r.load_reference(); r.load_profiles();"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=paths.install_root())


# --- malformed data ---------------------------------------------------------

OPTION_FEMALE = '[[option]]\ncode = "female"\nvi = "Nữ"\nen = "Female"\n'
OPTION_MALE = '[[option]]\ncode = "male"\nvi = "Nam"\nen = "Male"\n'


def write_list(folder: Path, name: str, options: str, *, version: str = "1",
               header_name: str | None = None) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f'list = "{header_name or name}"\nversion = {version}\n'
        f'title_vi = "Giới tính"\ntitle_en = "Sex"\n\n{options}',
        encoding="utf-8",
    )
    return path


def test_well_formed_file_loads(tmp_path):
    lst = load_reference_file(write_list(tmp_path, "sex", OPTION_FEMALE + OPTION_MALE))
    assert [o.code for o in lst] == ["female", "male"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('[[option]]\ncode = "female"\nen = "Female"\n', r"option 'female'.*'vi'"),
        ('[[option]]\ncode = "female"\nvi = "Nữ"\n', r"option 'female'.*'en'"),
        ('[[option]]\ncode = "female"\nvi = "  "\nen = "Female"\n', r"option 'female'.*'vi'"),
        (OPTION_FEMALE + OPTION_FEMALE, r"option 'female'.*duplicate"),
        ('[[option]]\ncode = "Female"\nvi = "Nữ"\nen = "Female"\n', r"option 1.*snake_case"),
        ('[[option]]\ncode = "nữ"\nvi = "Nữ"\nen = "Female"\n', r"option 1.*snake_case"),
        ('[[option]]\nvi = "Nữ"\nen = "Female"\n', r"option 1.*snake_case"),
        ("", r"no \[\[option\]\]"),
    ],
)
def test_malformed_options_are_refused(tmp_path, options, message):
    path = write_list(tmp_path, "sex", options)
    with pytest.raises(ValueError, match=message) as err:
        load_reference_file(path)
    assert "sex.toml" in str(err.value)


@pytest.mark.parametrize("version", ["0", "-1", '"1"', "true", "1.5"])
def test_bad_version_is_refused(tmp_path, version):
    path = write_list(tmp_path, "sex", OPTION_FEMALE, version=version)
    with pytest.raises(ValueError, match=r"sex\.toml.*version"):
        load_reference_file(path)


def test_list_name_must_match_file_name(tmp_path):
    path = write_list(tmp_path, "sex", OPTION_FEMALE, header_name="gender")
    with pytest.raises(ValueError, match=r"'list' must be 'sex'"):
        load_reference_file(path)


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "sex.toml"
    path.write_text('list = "sex"\nversion = \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"sex\.toml.*not valid TOML"):
        load_reference_file(path)


def test_malformed_file_fails_the_whole_folder(tmp_path):
    write_list(tmp_path, "sex", OPTION_FEMALE)
    write_list(tmp_path, "role", '[[option]]\ncode = "admin"\nen = "Administrator"\n')
    with pytest.raises(ValueError, match=r"role\.toml"):
        load_reference(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_reference(tmp_path / "absent")


def test_labels_are_normalised_to_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Quản trị viên")
    assert decomposed != "Quản trị viên"
    path = write_list(tmp_path, "role", f'[[option]]\ncode = "admin"\nvi = "{decomposed}"\n'
                                        f'en = "Administrator"\nnote = "{decomposed}"\n')
    lst = load_reference_file(path)
    assert lst.label("admin") == "Quản trị viên"
    assert lst.get("admin").get("note") == "Quản trị viên"


def test_loaded_data_is_read_only(ref):
    option = ref["age_band"].get("age_0_11")
    with pytest.raises(TypeError):
        option.extra["min_age"] = 5  # type: ignore[index]
    with pytest.raises(AttributeError):
        option.vi = "x"  # type: ignore[misc]


# --- province profiles ------------------------------------------------------


def test_both_profiles_load(profiles):
    assert set(load_profiles()) == {"thai_binh", "hung_yen", "national_2026_2030"}
    assert load_profiles()["hung_yen"].version == 2  # the newest version of each code
    tb, hy = profiles["thai_binh"], profiles["hung_yen"]
    assert (tb.plan_number, tb.plan_date) == ("13/KH-UBND", dt.date(2021, 1, 18))
    assert (hy.plan_number, hy.plan_date) == ("64/KH-UBND", dt.date(2021, 5, 5))
    for p in (tb, hy):
        assert (p.period_start, p.period_end) == (2021, 2025)
        assert p.version >= 1
        assert (p.small_cell_threshold, p.small_cell_label) == (5, "<5")
        assert "bạo lực trên cơ sở giới" in p.plan_title_vi
        assert has_vietnamese_letter(p.province_vi) and p.receiving_body_en
    assert tb.province_vi == "Tỉnh Thái Bình" and hy.province_vi == "Tỉnh Hưng Yên"
    assert "Sở Lao động – Thương binh và Xã hội" in hy.receiving_body_vi
    assert "Ủy ban nhân dân tỉnh Thái Bình" in tb.receiving_body_vi


def test_profile_deadlines(profiles):
    assert profiles["thai_binh"].report_deadline == (11, 30)
    assert profiles["hung_yen"].report_deadline == (12, 10)
    assert profiles["thai_binh"].deadline_for(2024) == dt.date(2024, 11, 30)
    assert profiles["hung_yen"].deadline_for(2025) == dt.date(2025, 12, 10)


def test_thai_binh_targets(profiles):
    tb = profiles["thai_binh"]
    got = [(t.goal, t.comparison, t.formula) for t in tb.targets if t.computed]
    assert got == [
        (100.0, ">=", "cases_needing_help_helped"),
        (80.0, ">=", "perpetrators_handled"),
        (100.0, ">=", "schools_integrating"),
    ]
    handled = tb.target("tb_perpetrators_handled")
    assert handled.vi.startswith("Đảm bảo ít nhất 80% số người gây bạo lực trên cơ sở giới")
    assert handled.is_met(80.0) and not handled.is_met(79.9) and handled.is_met(None) is None


def test_hung_yen_targets(profiles):
    hy = profiles["hung_yen"]
    got = [(t.goal, t.comparison, t.formula) for t in hy.targets if t.computed]
    assert got == [(50.0, ">=", "survivors_seeking_help"), (100.0, ">=", "cases_needing_help_helped")]
    assert hy.target("hy_survivors_seeking_help").vi == (
        "Tối thiểu 50% người bị bạo lực trên cơ sở giới tìm sự trợ giúp từ cơ quan cung cấp dịch vụ")


def test_every_target_is_well_defined(profiles):
    assert KNOWN_FORMULAS == {"cases_needing_help_helped", "perpetrators_counselled", "perpetrators_handled",
                              "schools_integrating", "survivors_reached_service", "survivors_seeking_help"}
    for profile in profiles.values():
        codes = [t.code for t in profile.targets]
        assert len(codes) == len(set(codes))
        for t in profile.targets:
            assert isinstance(t, Target)
            if t.computed:
                assert t.formula in KNOWN_FORMULAS, (profile.code, t.code)
            assert t.unit == "percent" and 0 < t.goal <= 100, t.code
            assert "Tử số" in t.definition_vi and "Mẫu số" in t.definition_vi, t.code
            assert "Numerator" in t.definition_en and "Denominator" in t.definition_en, t.code
            assert has_vietnamese_letter(t.vi)


def test_campaign_windows(profiles):
    hy = profiles["hung_yen"]
    on_25_nov = {c.code for c in hy.campaigns_on(dt.date(2024, 11, 25))}
    assert on_25_nov == {"action_month_gender_equality", "day_eliminate_violence_women"}
    assert {c.code for c in hy.campaigns_on(dt.date(2024, 6, 10))} == {"action_month_domestic_violence"}
    assert hy.campaigns_on(dt.date(2024, 12, 16)) == ()


PROFILE = textwrap.dedent("""\
    code = "demo"
    version = 1
    province_vi = "Tỉnh Mẫu"
    province_en = "Demo province"
    plan_number = "1/KH-UBND"
    plan_date = 2021-01-01
    plan_title_vi = "Kế hoạch mẫu"
    period_start = 2021
    period_end = 2025
    receiving_body_vi = "Sở Nội vụ"
    receiving_body_en = "Department of Home Affairs"
    report_deadline = "{deadline}"
    small_cell_threshold = 5
    small_cell_label = "<5"

    [[target]]
    code = "demo_target"
    vi = "Chỉ tiêu mẫu"
    en = "Demo target"
    goal = {goal}
    comparison = ">="
    unit = "percent"
    period = "year"
    formula = "perpetrators_handled"
    definition_vi = "Tử số / mẫu số."
    definition_en = "Numerator / denominator."
    """)


def write_profile(folder: Path, *, deadline: str = "12-10", goal: str = "80", extra: str = "") -> Path:
    path = folder / "demo.toml"
    path.write_text(PROFILE.format(deadline=deadline, goal=goal) + extra, encoding="utf-8")
    return path


def test_well_formed_profile_loads(tmp_path):
    profile = load_profile_file(write_profile(tmp_path))
    assert profile.deadline_for(2030) == dt.date(2030, 12, 10)
    assert profile.targets[0].computed is True and profile.targets[0].goal == 80.0
    assert load_profiles(tmp_path) == {"demo": profile}


def test_leap_day_deadline_falls_back(tmp_path):
    profile = load_profile_file(write_profile(tmp_path, deadline="02-29"))
    assert profile.deadline_for(2024) == dt.date(2024, 2, 29)
    assert profile.deadline_for(2025) == dt.date(2025, 2, 28)


@pytest.mark.parametrize("deadline", ["13-01", "11-31", "1130", "30/11", ""])
def test_bad_deadline_is_refused(tmp_path, deadline):
    with pytest.raises(ValueError, match=r"demo\.toml.*report_deadline"):
        load_profile_file(write_profile(tmp_path, deadline=deadline))


@pytest.mark.parametrize("goal", ['"80"', "true"])
def test_bad_goal_is_refused(tmp_path, goal):
    with pytest.raises(ValueError, match=r"demo\.toml.*target 'demo_target'.*goal"):
        load_profile_file(write_profile(tmp_path, goal=goal))


def test_duplicate_target_is_refused(tmp_path):
    duplicate = PROFILE.format(deadline="12-10", goal="80").split("[[target]]")[1]
    with pytest.raises(ValueError, match=r"target 'demo_target'.*duplicate"):
        load_profile_file(write_profile(tmp_path, extra="\n[[target]]" + duplicate))


def test_every_profile_version_cites_its_sources_and_flags_what_is_unconfirmed():
    from app.reference import load_profile_versions

    versions = {(p.code, p.version): p for p in load_profile_versions()}
    for profile in versions.values():
        assert profile.sources, (profile.code, profile.version)
    merged = versions["hung_yen", 2]
    assert merged.absorbs == ("thai_binh",) and merged.governs_from == dt.date(2025, 7, 1)
    assert not merged.has_plan and not merged.targets
    assert not merged.receiving_body_confirmed and "Nội vụ" in merged.receiving_body_vi
    assert versions["thai_binh", 1].governs_to == dt.date(2025, 6, 30)
    baseline = versions["national_2026_2030", 1]
    assert baseline.kind == "national" and (baseline.period_start, baseline.period_end) == (2026, 2030)
    assert [t.goal for t in baseline.targets] == [90.0, 70.0]
    assert "28/NQ-CP" in baseline.sources[0]


def test_law_13_2022_lists_are_checked_and_cited(ref):
    acts = ref["dv_act"]
    assert [o.get("point") for o in acts] == list("abcd") + ["đ"] + list("eghiklmnopq")
    assert all(isinstance(o.get("checked"), bool) for o in acts)
    assert acts.get("forced_or_obstructed_marriage").vi == \
        "Cưỡng ép tảo hôn, kết hôn, ly hôn hoặc cản trở kết hôn, ly hôn hợp pháp"
    actions = ref["perpetrator_action"]
    for code in ("ordered_to_stop", "summoned_to_commune_police", "community_criticism", "counselled"):
        assert actions.get(code) is not None
    assert actions.get("counselled").vi != actions.get("community_criticism").vi
    assert not actions.get("detected").get("handling")
    assert [o.code for o in actions.where("counselling")] == ["counselled"]
