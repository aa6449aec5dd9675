"""A demo commune filled through the real core API (cases, activities, registries, accounts)."""

from __future__ import annotations

import bisect
import itertools
from datetime import date, timedelta

from app.demo import names
from app.demo.activities import ActivityFactory, Context, Model, School
from app.demo.cases import CaseFactory
from app.demo.common import day_range, iso, poisson_count

# provider kind, name, phone, hotline — names and numbers obviously fictional
PROVIDERS = (
    ("health", "Trạm Y tế xã Bình An (mẫu)", "0900000101", False),
    ("police", "Công an xã Bình An (mẫu)", "0900000113", False),
    ("legal_aid", "Trung tâm Trợ giúp pháp lý tỉnh (mẫu)", "0900000102", False),
    ("social_protection", "Trung tâm Công tác xã hội tỉnh (mẫu)", "0900000103", False),
    ("shelter", "Nhà tạm lánh Hội Phụ nữ (mẫu)", "0900000104", False),
    ("hotline", "Đường dây nóng phòng, chống bạo lực gia đình (mẫu)", "0900000900", True),
    ("mass_organisation", "Hội Liên hiệp Phụ nữ xã Bình An (mẫu)", "0900000105", False),
    ("justice", "Tòa án nhân dân khu vực (mẫu)", "0900000106", False),
    ("education", "Phòng tư vấn học đường Trường THCS Bình An (mẫu)", None, False),
)
# which provider a referred service goes to
SERVICE_PROVIDER = {"health_care": "health", "police_security": "police", "emergency_help": "police",
                    "legal_aid": "legal_aid", "psychosocial_counselling": "social_protection",
                    "safe_shelter": "shelter", "livelihood": "mass_organisation", "education": "education",
                    "other": "social_protection"}
SCHOOLS = (
    ("Trường Mầm non Bình An (mẫu)", "preschool"),
    ("Trường Tiểu học Bình An (mẫu)", "primary"),
    ("Trường THCS Bình An (mẫu)", "lower_secondary"),
    ("Trường THPT Bình An (mẫu)", "upper_secondary"),
    ("Trung tâm GDNN – GDTX Bình An (mẫu)", "continuing_education"),
    ("Trường Trung cấp nghề Bình An (mẫu)", "vocational"),
)


def case_days(rng, factory: ActivityFactory, first: date, last: date, year: int, per_year: float) -> list[date]:
    """Days on which cases are first reported: about `per_year` a whole year, a little more in campaigns
    (people come forward when the loudspeakers talk about it)."""
    days = day_range(first, last)
    if not days:
        return []

    def weight(d):
        return 1.25 if factory.campaign_on(d) else 1.0

    whole = sum(weight(d) for d in day_range(date(year, 1, 1), date(year, 12, 31)))
    weights = list(itertools.accumulate(weight(d) for d in days))
    count = poisson_count(rng, per_year * weights[-1] / whole)
    return sorted(days[bisect.bisect_right(weights, rng.random() * weights[-1])] for _ in range(count))


def build(session, rng, today: date, years: int, progress=None) -> dict:
    ref = session.reference
    first_year = today.year - years + 1
    start = date(first_year, 1, 1)
    reg = session.registries

    # --- registries ------------------------------------------------------------------------------
    providers_by_kind = {}
    for kind, name, phone, hotline in PROVIDERS:
        if kind in ref["provider_kind"].codes:
            saved = reg.save_provider({"kind": kind, "name": name, "phone": phone, "hotline": hotline,
                                       "address": names.COMMUNE_NAME})
            providers_by_kind[kind] = (saved["id"], saved["name"])
    providers = {svc: providers_by_kind[kind] for svc, kind in SERVICE_PROVIDER.items()
                 if kind in providers_by_kind and svc in ref["service"].codes}

    model_plan = [
        ("trusted_address", f"Địa chỉ tin cậy – nhà tạm lánh {names.village(1)}", start - timedelta(days=900), "active"),
        ("trusted_address", f"Địa chỉ tin cậy – nhà tạm lánh {names.village(7)}", start - timedelta(days=400), "active"),
        ("safe_commune", "Xã an toàn, thân thiện với phụ nữ và trẻ em gái (mẫu)", start - timedelta(days=700), "active"),
        ("club", f"CLB phòng, chống bạo lực gia đình {names.village(2)}", start - timedelta(days=1200), "active"),
        ("club", f"CLB phòng, chống bạo lực gia đình {names.village(5)}", start - timedelta(days=300), "active"),
        ("club_disability", "CLB phụ nữ và trẻ em gái khuyết tật (mẫu)", start - timedelta(days=500), "active"),
        ("men_pioneers", f"Nhóm nam giới tiên phong {names.village(3)}", min(start + timedelta(days=75), today),
         "active"),
        ("safe_school", "Trường học an toàn, không bạo lực – Trường THCS Bình An (mẫu)",
         start - timedelta(days=200), "active"),
        ("workplace_harassment_prevention", "Phòng, chống quấy rối tình dục tại xưởng may Thôn Mẫu (dự kiến)",
         None, "planned"),
    ]
    models: list[Model] = []
    for kind, name, established, status in model_plan:
        if kind not in ref["model_kind"].codes:
            continue
        saved = reg.save_model({"kind": kind, "name": name, "established_on": iso(established), "status": status})
        if status == "active" and established is not None:  # every active model has its date
            models.append(Model(saved["id"], kind, saved["name"], established))
    points = [m for m in models if m.kind == "trusted_address"]

    levels = ref["school_level"]
    schools: list[School] = []
    for name, level in SCHOOLS:
        if level not in levels.codes:
            continue
        counted = bool(levels.get(level).get("target_integration"))
        marks = {}
        for year in range(first_year, today.year + 1):
            # the vocational school misses the first year: the target shows not met once
            marks[year] = (not (level == "vocational" and year == first_year)) if counted else rng.random() < .6
        saved = reg.save_school({"name": name, "level": level, "integrations": {str(y): v for y, v in marks.items()}})
        schools.append(School(saved["id"], saved["name"], level, marks))

    # --- people who log in ---------------------------------------------------------------------------
    session.add_user("canbo", "demo", "cadre", display_name="Cán bộ Mẫu Lan (địa chỉ tin cậy)",
                     point_id=points[0].id if points else None)
    session.add_user("lanhdao", "demo", "leader", display_name="Lãnh đạo Mẫu (UBND xã)")

    # --- what happened: planned first (deterministic), then saved ------------------------------------
    cases_f = CaseFactory(ref, today)
    acts_f = ActivityFactory(ref, session.profile, today)
    ctx = Context(models=models, schools=schools)
    # The first two points get weights; a node with more points leaves the rest unweighted (a demo has two).
    point_weights = [(p.id, w) for p, w in zip(points, (45, 25), strict=False)] + [(None, 30)]
    point_ids, weights = [p for p, _ in point_weights], [w for _, w in point_weights]
    serial = 0

    def new_case(day, **force):
        nonlocal serial
        serial += 1
        point_id = rng.choices(point_ids, weights=weights)[0]
        staff = names.STAFF_NAMES[1] if point_id else names.STAFF_NAMES[2]
        return cases_f.make(rng, day, points=((point_id, 1),), providers=providers, serial=serial, staff=staff,
                            **force)

    cases: list[dict] = []
    duplicates: dict[int, dict] = {}  # id() of a duplicate -> the case it repeats
    activity_plan: list[dict] = []
    days: list[date] = []
    for year in range(first_year, today.year + 1):
        first, last = date(year, 1, 1), min(date(year, 12, 31), today)
        days += day_range(first, last)
        for day in case_days(rng, acts_f, first, last, year, rng.randint(75, 115)):
            case = new_case(day)
            cases.append(case)
            if rng.random() < .015:
                again = cases_f.duplicate_of(rng, case, "")
                duplicates[id(again)] = case
                cases.append(again)
        activity_plan += acts_f.year(rng, year, first, last, rng.randint(160, 240), ctx)

    # A demo must show every kind of figure, so the rare ones are made sure of.
    def count(test):
        return sum(1 for c in cases if c.get("status") != "duplicate" and test(c))

    for vtype, minor, wanted in (("forced_marriage", True, 2), ("sexual_assault", True, 2), ("rape", True, 1)):
        for _ in range(wanted - count(lambda c, vtype=vtype: c["incident"]["violence_type"] == vtype
                                      and (c["survivor"]["age"] or 99) < 18)):
            cases.append(new_case(rng.choice(days), violence_type=vtype, minor=minor))
    cases.sort(key=lambda c: c["intake"]["reported_on"])  # stable: a duplicate stays after its original
    originals = [c for c in cases if c.get("status") != "duplicate"]
    for _ in range(3 - count(lambda c: c["incident"]["reported_elsewhere"])):
        rng.choice(originals)["incident"]["reported_elsewhere"] = True
    withdrawable = [c for c in originals if c["consent"]["reporting"]["given"]
                    and c["intake"]["reported_on"] < iso(today - timedelta(days=10))]
    for _ in range(3 - count(lambda c: c["consent"]["reporting"].get("withdrawn_on"))):
        case = rng.choice(withdrawable)
        reported = date.fromisoformat(case["intake"]["reported_on"])
        case["consent"]["reporting"]["withdrawn_on"] = iso(min(reported + timedelta(days=rng.randint(5, 60)),
                                                               today))

    total = len(cases) + len(activity_plan)
    done = 0
    saved_ids: dict[int, str] = {}
    for case in cases:
        original = duplicates.get(id(case))
        payload = case if original is None else dict(case, duplicate_of=saved_ids[id(original)])
        saved_ids[id(case)] = session.cases.save(payload)["id"]
        done += 1
        if progress:
            progress(done, total)
    for activity in activity_plan:
        session.activities.save(activity)
        done += 1
        if progress:
            progress(done, total)

    return {
        "cases": len(cases),
        "duplicates": len(duplicates),
        "activities": len(activity_plan),
        "models": len(models) + sum(1 for *_, s in model_plan if s != "active"),
        "trusted_address_points": len(points),
        "schools": len(schools),
        "providers": len(providers_by_kind),
        "users": 3,
        "years": f"{first_year}–{today.year}",
    }
