"""Plausible prevention activities for demo and benchmark data.

A commune logs some 150–250 activities a year: club meetings and model
operation every month, loudspeaker broadcasts and posts, talks and contests in
schools, training, conferences, inspections, commendations, hotline publicity;
many more in the Action Month (15/11–15/12, peak on 25/11) and in June, the
windows the province profile names. Participants are counted by sex, budgets
are in đồng.

`ActivityFactory.year(rng, year, first, last, expected, ctx)` returns the
activities of one year (dicts in the shape `session.activities.save()`
accepts, sorted by date), covering every activity group of the reference.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.demo import names
from app.demo.common import Weighted, clamp, day_range, iso, poisson_count, round_vnd

BASE_WEIGHTS = {
    "club_meeting": 30, "thematic_talk": 12, "rally": 1.5, "seminar": 5, "conference_event": 3,
    "exchange_dialogue": 4, "contest": 3, "art_sport_event": 3, "communication_campaign": 1.5,
    "newspaper_column": 2, "radio_tv_item": 3, "loudspeaker_broadcast": 35, "social_media_post": 20,
    "printed_material": 8,
    "training_officials": 2, "training_collaborators": 3, "training_service_providers": 1.5,
    "training_trainers": .5, "training_survivors_at_risk": 2, "training_perpetrators_at_risk": 1.5,
    "conference_workshop": 3, "policy_dialogue": 1.5, "study_visit": 1,
    "model_operation": 25, "model_launch": .3, "model_review": 3,
    "inspection_interdisciplinary": 1.5, "inspection_thematic": 1.5, "inspection_unscheduled": 1,
    "inspection_integrated": 2,
    "commendation": 2, "hotline_publicity": 3,
}
CAMPAIGN_BOOST = {"rally": 6, "communication_campaign": 8, "contest": 3, "art_sport_event": 3,
                  "loudspeaker_broadcast": 2, "printed_material": 3, "thematic_talk": 2, "commendation": 2,
                  "hotline_publicity": 2, "social_media_post": 1.5}

TOPICS = (
    "Phòng, chống bạo lực gia đình",
    "Bình đẳng giới trong gia đình",
    "Phòng, chống xâm hại tình dục người dưới 18 tuổi",
    "Kỹ năng nhận biết và ứng phó với bạo lực trên cơ sở giới",
    "Luật Phòng, chống bạo lực gia đình năm 2022",
    "Phòng, chống kết hôn khi dưới 18 tuổi, hôn nhân cận huyết",
    "Phòng, chống bạo lực học đường",
    "Vai trò của nam giới trong phòng ngừa bạo lực",
    "Phòng, chống quấy rối tình dục nơi làm việc",
    "Địa chỉ tin cậy – nơi tìm đến khi bị bạo lực",
)
ORGANISERS = ("UBND xã", "Hội Liên hiệp Phụ nữ xã", "Đoàn Thanh niên xã", "Công an xã", "Trạm Y tế xã",
              "Ủy ban MTTQ xã", "Hội Nông dân xã", "Hội Cựu chiến binh xã", "Công chức văn hóa – xã hội")

# kind -> (participants low, high) or None, female share range, youth share range, days low/high,
#         budget range in million đồng, quantity range or None, target groups
_Range = tuple[float, float]
_Spec = tuple[tuple[int, int] | None, _Range | None, _Range | None, tuple[int, int], _Range, tuple[int, int] | None,
              tuple[str, ...]]
SPEC: dict[str, _Spec] = {
    "club_meeting": ((15, 40), (.75, 1.0), (0, .2), (1, 1), (.3, 1.5), None, ("women_members", "residential_areas")),
    "thematic_talk": ((40, 150), (.55, .8), (0, .3), (1, 1), (1, 5), None, ("community_general", "residential_areas",
                                                                              "women_members", "men")),
    "rally": ((150, 500), (.5, .7), (.2, .5), (1, 1), (10, 40), None, ("community_general", "residential_areas",
                                                                        "officials", "youth")),
    "seminar": ((20, 60), (.5, .8), (0, .3), (1, 1), (2, 8), None, ("officials", "influential_people",
                                                                     "women_members", "men")),
    "conference_event": ((50, 150), (.5, .7), (0, .2), (1, 1), (5, 20), None, ("officials", "community_general")),
    "exchange_dialogue": ((30, 100), (.4, .7), (.1, .5), (1, 1), (2, 10), None, ("youth", "men", "women_members",
                                                                                  "workers")),
    "contest": ((60, 300), (.5, .7), (.4, .8), (1, 1), (5, 25), None, ("youth", "schools", "women_members")),
    "art_sport_event": ((100, 400), (.45, .65), (.3, .7), (1, 1), (5, 30), None, ("community_general", "youth")),
    "communication_campaign": ((200, 1000), (.5, .65), (.2, .4), (7, 30), (10, 50), None,
                               ("community_general", "residential_areas", "enterprises_industrial_zones")),
    "newspaper_column": (None, None, None, (1, 1), (0, 2), (1, 3), ("community_general",)),
    "radio_tv_item": (None, None, None, (1, 1), (0, 2), (1, 4), ("community_general",)),
    "loudspeaker_broadcast": (None, None, None, (1, 7), (0, .5), (4, 30), ("community_general",
                                                                            "residential_areas")),
    "social_media_post": (None, None, None, (1, 1), (0, 0), (1, 5), ("youth", "community_general")),
    "printed_material": (None, None, None, (1, 1), (2, 20), (100, 2000), ("community_general",
                                                                          "residential_areas", "schools")),
    "training_officials": ((20, 60), (.4, .6), (0, .1), (1, 2), (8, 30), None, ("officials",)),
    "training_collaborators": ((20, 50), (.6, .9), (0, .2), (1, 2), (5, 20), None, ("service_providers",
                                                                                    "women_members")),
    "training_service_providers": ((15, 40), (.5, .8), (0, .1), (1, 3), (8, 30), None, ("service_providers",)),
    "training_trainers": ((15, 30), (.5, .7), (0, .1), (2, 3), (15, 40), None, ("officials", "service_providers")),
    "training_survivors_at_risk": ((15, 40), (.85, 1.0), (0, .3), (1, 1), (3, 10), None,
                                   ("high_risk_vulnerable", "women_members")),
    "training_perpetrators_at_risk": ((10, 30), (0, .15), (0, .3), (1, 1), (3, 10), None,
                                      ("high_risk_vulnerable", "men")),
    "conference_workshop": ((30, 120), (.4, .65), (0, .1), (1, 1), (3, 25), None, ("officials",
                                                                                   "service_providers")),
    "policy_dialogue": ((30, 80), (.5, .7), (0, .3), (1, 1), (3, 10), None, ("officials", "women_members",
                                                                               "influential_people")),
    "study_visit": ((10, 30), (.5, .7), (0, .1), (2, 3), (20, 60), None, ("officials", "service_providers")),
    "model_operation": ((10, 40), (.7, .95), (0, .2), (1, 1), (.3, 2), None, ("women_members",
                                                                              "high_risk_vulnerable")),
    "model_launch": ((50, 150), (.5, .7), (.1, .3), (1, 1), (5, 15), None, ("community_general",
                                                                            "residential_areas")),
    "model_review": ((10, 30), (.5, .8), (0, .1), (1, 1), (1, 5), None, ("officials", "service_providers")),
    "inspection_interdisciplinary": ((4, 10), (.3, .6), (0, 0), (1, 3), (0, 3), None, ("officials",)),
    "inspection_thematic": ((3, 8), (.3, .6), (0, 0), (1, 2), (0, 2), None, ("officials",)),
    "inspection_unscheduled": ((3, 6), (.2, .5), (0, 0), (1, 1), (0, 1), None, ("officials",)),
    "inspection_integrated": ((3, 8), (.3, .6), (0, 0), (1, 1), (0, 1), None, ("officials",)),
    "commendation": ((30, 100), (.5, .7), (0, .2), (1, 1), (2, 10), (2, 15), ("community_general",
                                                                               "influential_people")),
    "hotline_publicity": (None, None, None, (1, 1), (.5, 3), (5, 30), ("community_general", "residential_areas")),
}
DEFAULT_SPEC: _Spec = ((20, 60), (.5, .7), (0, .3), (1, 1), (1, 5), None, ("community_general",))
SCHOOL_KINDS = ("thematic_talk", "contest", "seminar", "art_sport_event", "exchange_dialogue")
CLUB_MODELS = ("club", "club_disability", "men_pioneers")


@dataclass
class Model:
    id: str
    kind: str
    name: str
    established_on: date


@dataclass
class School:
    id: str
    name: str
    level: str
    integrated: dict[int, bool] = field(default_factory=dict)


@dataclass
class Context:
    """Where the activities happen: the node's models and schools, and how places are named."""

    place_name: str = names.COMMUNE_NAME
    models: list[Model] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)

    def models_of(self, kinds, on: date) -> list[Model]:
        return [m for m in self.models if (not kinds or m.kind in kinds) and m.established_on <= on]


class ActivityFactory:
    def __init__(self, reference, profile, today: date):
        self.ref = reference
        self.today = today
        kinds = reference["activity_kind"]
        self.kinds = kinds
        self.targets = reference["target_group"].codes
        self.normal = Weighted(kinds, BASE_WEIGHTS)
        self.campaign = Weighted(kinds, {k: w * CAMPAIGN_BOOST.get(k, 1) for k, w in BASE_WEIGHTS.items()})
        self.by_group: dict[str, list[str]] = {}
        for option in kinds.options:
            self.by_group.setdefault(option.get("group"), []).append(option.code)
        self.campaigns = tuple(getattr(profile, "campaigns", ()) or ())
        self.school_kinds = [k for k in SCHOOL_KINDS if k in kinds.codes]

    # --- calendar ---------------------------------------------------------------------------------
    def campaign_on(self, day: date):
        found = [c for c in self.campaigns if c.contains(day)]
        # the single day (25/11) is more specific than the month around it
        return min(found, key=lambda c: (c.end[0] - c.start[0]) * 31 + c.end[1] - c.start[1]) if found else None

    def day_weight(self, day: date) -> float:
        campaign = self.campaign_on(day)
        weight = 1.0
        if campaign is not None:
            weight = 6.0 if campaign.start == campaign.end else (3.0 if campaign.start[0] >= 11 else 2.0)
        return weight * (0.4 if day.weekday() >= 5 else 1.0)

    def year(self, rng, year: int, first: date, last: date, expected: float, ctx: Context) -> list[dict]:
        """The activities of `year` between `first` and `last` (both within the year), about `expected`
        of them over a whole year, fewer over a part of it."""
        whole = day_range(date(year, 1, 1), date(year, 12, 31))
        days = day_range(first, last)
        if not days:
            return []
        weights = [self.day_weight(d) for d in days]
        share = sum(weights) / sum(self.day_weight(d) for d in whole)
        count = poisson_count(rng, expected * share)
        cum = list(itertools.accumulate(weights))
        chosen = sorted(days[bisect.bisect_right(cum, rng.random() * cum[-1])] for _ in range(count))
        out = [self.make(rng, day, ctx) for day in chosen]
        # every group of the reference shows up in every year
        seen = {self.kinds.get(a["kind"]).get("group") for a in out}
        for group, kinds in self.by_group.items():
            if group not in seen:
                out.append(self.make(rng, rng.choice(days), ctx, kind=rng.choice(kinds)))
        # a school marked as integrating GBV communication in a year holds an activity that year
        for school in ctx.schools:
            if school.integrated.get(year) and self.school_kinds and \
                    not any(a.get("school_id") == school.id for a in out):
                out.append(self.make(rng, rng.choice(days), ctx, kind=rng.choice(self.school_kinds), school=school))
        # a model set up in this window is launched with an event on its day
        for model in ctx.models:
            if first <= model.established_on <= last and "model_launch" in self.kinds.codes:
                out.append(self.make(rng, model.established_on, ctx, kind="model_launch", model=model))
        out.sort(key=lambda a: a["starts_on"])
        return out

    # --- one activity ------------------------------------------------------------------------------
    def make(self, rng, day: date, ctx: Context, *, kind: str | None = None, school: School | None = None,
             model: Model | None = None) -> dict:
        campaign = self.campaign_on(day)
        if kind is None:
            kind = (self.campaign if campaign else self.normal).pick(rng)
        people, female_share, youth_share, days, budget_m, quantity_range, groups = SPEC.get(kind, DEFAULT_SPEC)
        month = f"{day.month}/{day.year}"
        topic = rng.choice(TOPICS)
        organiser = rng.choice(ORGANISERS)
        place: str | None = f"Nhà văn hóa {names.village(rng.randint(1, names.VILLAGES))}"
        point_id = None
        model_id = school_id = None

        if kind in self.school_kinds and school is None and rng.random() < .35:
            integrating = [s for s in ctx.schools if s.integrated.get(day.year)]
            school = rng.choice(integrating) if integrating else None
        if school is not None:
            school_id, place = school.id, school.name
            groups = ("schools", "youth")
            youth_share = (.85, 1.0)
            organiser = rng.choice(("Nhà trường", "Đoàn Thanh niên xã", "Hội Liên hiệp Phụ nữ xã"))

        if kind in ("club_meeting", "model_operation", "model_review") and model is None:
            wanted = CLUB_MODELS if kind == "club_meeting" else (("trusted_address",) if kind == "model_operation"
                                                                 and rng.random() < .6 else ())
            candidates = ctx.models_of(wanted, day)
            model = rng.choice(candidates) if candidates else None
        if model is not None:
            model_id = model.id
            if model.kind == "trusted_address":
                point_id = model.id
                place = model.name
            if model.kind == "men_pioneers":
                female_share = (0, .2)
                groups = ("men", "residential_areas")

        if kind == "club_meeting":
            title = f"Sinh hoạt {model.name if model else 'câu lạc bộ phòng, chống bạo lực gia đình'} tháng {month}"
        elif kind == "model_operation":
            title = f"Hoạt động thường xuyên của {model.name if model else 'mô hình'} tháng {month}"
        elif kind == "model_launch":
            title = f"Ra mắt {model.name if model else 'mô hình mới'}"
        elif kind == "model_review":
            title = f"Rà soát, đánh giá hiệu quả {model.name if model else 'các mô hình'} năm {day.year}"
        elif kind == "loudspeaker_broadcast":
            title = f"Phát thanh tuyên truyền: {topic}"
            place = f"Đài truyền thanh {ctx.place_name}"
        elif kind == "hotline_publicity":
            title = f"Công khai số điện thoại đường dây nóng tại {names.village(rng.randint(1, names.VILLAGES))}"
        elif kind == "commendation":
            title = f"Biểu dương gia đình, cá nhân tiêu biểu trong phòng, chống bạo lực gia đình năm {day.year}"
        elif kind.startswith("inspection"):
            title = f"{self.kinds.label(kind)} việc thực hiện công tác phòng, chống bạo lực gia đình"
            place = f"Các thôn, {ctx.place_name}"
        else:
            title = f"{self.kinds.label(kind)}: {topic}"
        if self.kinds.get(kind).get("group") in ("mass_media", "printed_material"):
            place = f"Đài truyền thanh {ctx.place_name}" if kind == "loudspeaker_broadcast" else None
        if school is not None:
            title += f" tại {school.name}"
        if campaign is not None and kind not in ("club_meeting", "model_operation", "inspection_integrated"):
            title += f" – hưởng ứng {campaign.vi}"
        if len(title) > 200:  # the core's limit: cut at a word, never mid-word
            title = title[:201].rsplit(" ", 1)[0].rstrip(" ,–")

        length = rng.randint(*days)
        ends_on = clamp(day + timedelta(days=length - 1), day, self.today) if length > 1 else None
        participants = {"total": 0, "female": 0, "male": 0, "youth": 0}
        if people is not None and female_share is not None and youth_share is not None:  # all three, or none
            total = rng.randint(*people)
            female = int(round(total * rng.uniform(*female_share)))
            male = total - female
            if rng.random() < .1:  # a sign-in sheet not split by sex for some of the people
                male = max(0, male - rng.randint(0, max(1, total // 10)))
            youth = min(total, int(round(total * rng.uniform(*youth_share))))
            participants = {"total": total, "female": female, "male": male, "youth": youth}
        quantity = rng.randint(*quantity_range) if quantity_range else None
        budget = round_vnd(rng.uniform(*budget_m) * 1_000_000, 50_000 if budget_m[1] <= 2 else 100_000)
        target_groups = [g for g in groups if g in self.targets]
        extra = [g for g in ("youth", "men", "influential_people", "workers") if g in self.targets
                 and g not in target_groups and rng.random() < .1]
        return {
            "kind": kind, "title": title, "starts_on": iso(day), "ends_on": iso(ends_on), "place": place,
            "organiser": organiser, "target_groups": target_groups + extra, "participants": participants,
            "quantity": quantity, "model_id": model_id, "school_id": school_id, "budget_vnd": budget,
            "notes": None, "point_id": point_id, **topic_and_funding(title, budget),
        }


#: A demo activity's topic, from the theme its title names (the first that matches).
TITLE_TOPICS = (("Luật", "law_and_services"), ("bạo lực gia đình", "domestic_violence"),
                ("xâm hại tình dục", "child_sexual_abuse"), ("kết hôn khi dưới 18", "underage_marriage"),
                ("bạo lực học đường", "school_violence"), ("Bình đẳng giới", "gender_equality"),
                ("nam giới", "gender_equality"), ("địa chỉ tin cậy", "law_and_services"))
DEMO_FUNDING = ("state_budget", "state_budget", "state_budget", "socialised", "project", "mixed")


def topic_and_funding(title: str, budget: int) -> dict:
    """A topic from the theme the title names and, where money was spent, a funding source picked from the
    title, so that the random stream (and so every other generated figure) stays what it was."""
    import zlib

    topic = next((code for words, code in TITLE_TOPICS if words.lower() in title.lower()), "gbv_prevention_response")
    pick = zlib.crc32(title.encode("utf-8"))
    return {"topic": topic, "funding_source": DEMO_FUNDING[pick % len(DEMO_FUNDING)] if budget else None}
