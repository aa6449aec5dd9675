"""Plausible GBV cases for demo and benchmark data.

`CaseFactory.make(rng, reported_on, …)` returns one case in the shape
`session.cases.save()` accepts. The rates are those a commune in the Red River
delta would plausibly see: mostly physical and psychological abuse by a
husband or partner; some sexual violence, a good part of it against girls;
forced marriage rare; mostly women, some men and boys; reporting delays from
the same day to months; services with GBVIMS statuses, referrals only with
consent, follow-ups (some missed or overdue), action on most perpetrators and
a closure checklist for the cases that are closed.

Only codes of the loaded reference lists are used (see `Weighted`).
"""

from __future__ import annotations

from datetime import date, timedelta

from app.cases.validate import age_band_for
from app.demo import names
from app.demo.common import Weighted, clamp, iso

DOMESTIC = ("intimate_partner", "former_partner", "family_other", "in_law")
SEXUAL = ("rape", "sexual_assault")

# Services by violence type: probability that the service is part of the response.
SERVICE_NEEDS = {
    "physical_assault": {"health_care": .7, "psychosocial_counselling": .75, "legal_aid": .25, "safe_shelter": .12,
                         "police_security": .3, "emergency_help": .15, "livelihood": .05},
    "psychological_abuse": {"psychosocial_counselling": .9, "legal_aid": .2, "police_security": .08,
                            "livelihood": .08},
    "denial_of_resources": {"psychosocial_counselling": .6, "legal_aid": .4, "livelihood": .35, "education": .1},
    "rape": {"health_care": .95, "psychosocial_counselling": .9, "legal_aid": .6, "police_security": .8,
             "safe_shelter": .15, "emergency_help": .3},
    "sexual_assault": {"health_care": .6, "psychosocial_counselling": .85, "legal_aid": .4, "police_security": .6,
                       "emergency_help": .1},
    "forced_marriage": {"psychosocial_counselling": .7, "legal_aid": .6, "police_security": .3, "education": .3},
    "not_gbv": {"psychosocial_counselling": .5, "other": .2},
}
# Services a commune or its trusted-address point usually gives itself.
GIVEN_HERE = {"psychosocial_counselling", "emergency_help", "safe_shelter"}


class CaseFactory:
    def __init__(self, reference, today: date):
        r = reference
        self.ref = r
        self.today = today
        self.violence_type = Weighted(r["violence_type"], {
            "physical_assault": 38, "psychological_abuse": 30, "denial_of_resources": 8, "sexual_assault": 9,
            "rape": 6, "forced_marriage": 2.5, "not_gbv": 3})
        self.rel_domestic = Weighted(r["relationship"], {
            "intimate_partner": 70, "former_partner": 6, "in_law": 8, "family_other": 10,
            "neighbour_family_friend": 3, "community_member": 3})
        self.rel_sexual_minor = Weighted(r["relationship"], {
            "neighbour_family_friend": 25, "family_other": 12, "community_member": 20, "schoolmate": 10,
            "teacher_school_official": 4, "no_relation": 10, "caregiver": 4, "intimate_partner": 10,
            "unknown": 5})
        self.rel_sexual_adult = Weighted(r["relationship"], {
            "intimate_partner": 35, "former_partner": 10, "community_member": 15, "no_relation": 14,
            "employer_supervisor": 8, "neighbour_family_friend": 12, "unknown": 6})
        self.rel_forced_marriage = Weighted(r["relationship"], {"family_other": 70, "in_law": 15,
                                                                "intimate_partner": 15})
        self.rel_not_gbv = Weighted(r["relationship"], {"neighbour_family_friend": 40, "community_member": 40,
                                                        "family_other": 20})
        self.disability = Weighted(r["disability"], {"none": 90, "physical": 3, "sensory": 2, "intellectual": 2,
                                                     "psychosocial": 1.5, "multiple": .5, "unknown": 1})
        self.ethnicity = Weighted(r["ethnicity"], {"kinh": 96, "tay": .8, "muong": .8, "thai": .5, "hoa": .4,
                                                   "nung": .5, "other": .5, "unknown": .5})
        self.time_of_day = Weighted(r["time_of_day"], {"evening_night": 55, "afternoon": 18, "morning": 15,
                                                       "unknown": 12})
        self.channel = Weighted(r["disclosure_channel"], {
            "self": 30, "family": 12, "neighbour_community": 9, "hotline": 6, "trusted_address": 14, "police": 7,
            "health_facility": 5, "school": 2, "village_head": 7, "commune_authority": 2, "mass_organisation": 4,
            "social_worker": 1, "other": 1})
        self.channel_minor = Weighted(r["disclosure_channel"], {
            "family": 30, "school": 20, "self": 8, "hotline": 10, "police": 10, "health_facility": 8,
            "neighbour_community": 6, "social_worker": 4, "village_head": 4})
        self.referral_source = Weighted(r["disclosure_channel"], {
            "police": 25, "health_facility": 20, "trusted_address": 20, "village_head": 15,
            "mass_organisation": 10, "school": 5, "hotline": 5})
        # (low, high) days between the incident and the first report; None: incident date not known.
        self.delay = Weighted(list(range(6)), {0: 52, 1: 10, 2: 13, 3: 10, 4: 10, 5: 5})
        self.delay_ranges = [(0, 3), (4, 5), (6, 14), (15, 30), (31, 400), None]
        self.married_partner = Weighted(r["marital_status"], {"married": 80, "cohabiting": 12, "separated": 8})
        self.former = Weighted(r["marital_status"], {"divorced": 60, "separated": 40})
        self.elderly_marital = Weighted(r["marital_status"], {"widowed": 50, "married": 50})
        self.status_here = {
            "psychosocial_counselling": Weighted(r["service_status"], {
                "provided": 65, "referred": 20, "already_received": 5, "declined": 5, "unavailable": 2}),
            "emergency_help": Weighted(r["service_status"], {"provided": 70, "referred": 25, "declined": 5}),
            "safe_shelter": Weighted(r["service_status"], {"provided": 50, "referred": 35, "declined": 10,
                                                           "unavailable": 5}),
        }
        self.status_elsewhere = Weighted(r["service_status"], {
            "referred": 60, "provided": 10, "already_received": 12, "declined": 8, "unavailable": 5,
            "not_applicable": 3})
        self.outcome = Weighted(r["referral_outcome"], {"received": 75, "pending": 8, "not_received": 5,
                                                        "declined": 6, "unknown": 6})
        self.services = {vt: [(s, p) for s, p in needs.items() if s in r["service"].codes]
                         for vt, needs in SERVICE_NEEDS.items()}
        self.dv = r["dv_act"].codes
        self.perp_bands = Weighted(r["age_band"], {"age_18_25": 15, "age_26_40": 45, "age_41_60": 30,
                                                   "age_61_plus": 5, "unknown": 5})
        self.actions = r["perpetrator_action"].codes
        self.closure = r["closure_item"].codes

    # --- one case --------------------------------------------------------------------------------
    def make(self, rng, reported_on: date, *, points=((None, 1),), providers: dict | None = None,
             with_identity: bool = True, serial: int = 0, staff: str | None = None,
             violence_type: str | None = None, minor: bool | None = None) -> dict:
        """One case first reported on `reported_on`. `violence_type` and `minor` (for sexual violence and
        forced marriage) force those facts instead of drawing them."""
        today = self.today
        providers = providers or {}
        vtype = violence_type or self.violence_type.pick(rng)
        s = self._survivor_and_perpetrators(rng, vtype, minor)
        age, sex, perps, rel = s["age"], s["sex"], s["perpetrators"], s["relationship"]
        minor = age is not None and age < 18

        # dates: the incident some time before the first report
        band = self.delay_ranges[self.delay.pick(rng)]
        incident_on = None
        if band is not None:
            low, high = band
            if minor and vtype in SEXUAL and rng.random() < .4:
                low, high = 15, 400  # children tell late
            incident_on = reported_on - timedelta(days=rng.randint(low, high))

        channel = (self.channel_minor if minor else self.channel).pick(rng)
        referral_source = self.referral_source.pick(rng) if rng.random() < .35 else None

        consent_services = rng.random() < .93
        consent_reporting = rng.random() < .9
        consent = {
            "services": {"given": consent_services, "on": iso(reported_on) if consent_services else None},
            "reporting": {"given": consent_reporting, "on": iso(reported_on) if consent_reporting else None},
            "sharing": {"given": rng.random() < .65},
        }
        if consent["sharing"]["given"]:
            consent["sharing"]["on"] = iso(reported_on)
        if consent_reporting and rng.random() < .03 and reported_on < today:
            consent["reporting"]["withdrawn_on"] = iso(clamp(reported_on + timedelta(days=rng.randint(5, 120)),
                                                             reported_on, today))

        services, referrals = self._services(rng, vtype, minor, reported_on, consent_services, providers)
        actions = self._perpetrator_actions(rng, vtype, reported_on)
        safety = rng.random() < (.55 if rel in DOMESTIC or vtype in SEXUAL else .15)
        safety_plan = {"in_place": safety,
                       "on": iso(clamp(reported_on + timedelta(days=rng.randint(0, 3)), reported_on, today))
                       if safety else None}
        follow_ups = self._follow_ups(rng, reported_on)
        status, closure = self._closure(rng, reported_on, follow_ups, safety)

        point_ids = [p for p, _ in points]
        point_id = rng.choices(point_ids, weights=[w for _, w in points])[0]
        elsewhere_chance = .2 if channel in ("police", "health_facility") else .025
        case = {
            "status": status,
            "point_id": point_id,
            "intake": {"reported_on": iso(reported_on), "incident_on": iso(incident_on),
                       "disclosure_channel": channel, "referral_source": referral_source, "taken_by": staff},
            "survivor": {"age": age, "age_band": "unknown" if age is None else None, "sex": sex,
                         "marital_status": s["marital_status"], "disability": self.disability.pick(rng),
                         "ethnicity": self.ethnicity.pick(rng),
                         "pregnant": (rng.random() < .06) if sex == "female" and age and 18 <= age <= 42 else None},
            "incident": {"time_of_day": self.time_of_day.pick(rng), "location_type": s["location_type"],
                         "violence_type": vtype, "dv_acts": s["dv_acts"],
                         "reported_elsewhere": rng.random() < elsewhere_chance},
            "perpetrators": perps,
            "consent": consent,
            "services": services,
            "referrals": referrals,
            "follow_ups": follow_ups,
            "perpetrator_actions": actions,
            "safety_plan": safety_plan,
            "closure": closure,
        }
        if with_identity:
            vt_label = self.ref["violence_type"].label(vtype)
            rel_label = self.ref["relationship"].label(rel)
            case["identity"] = names.identity(rng, serial, sex, [p["sex"] for p in perps],
                                              f"{vt_label}; người gây bạo lực: {rel_label.lower()}.", safety)
            self.manage(case, serial, staff)
        return case

    # --- case management (issue 18): only for cases kept at home with their identity ------------------
    def manage(self, case: dict, serial: int, staff: str | None) -> dict:
        """Fill the parts a caseworker keeps: her facts, who consented, the privacy notice, risk assessments,
        the safety plan's parts and its identity fields, an action plan, follow-ups' outcomes, closure.
        Drawn from their own generator so that the rest of the demo stays as it was."""
        import random

        ref = self.ref
        today = self.today
        rng = random.Random(f"manage-{serial}-{case['intake']['reported_on']}")
        reported_on = date.fromisoformat(case["intake"]["reported_on"])
        s, i = case["survivor"], case["incident"]
        age = s.get("age")
        child = age is not None and age < 16
        domestic = any(p["relationship"] in DOMESTIC for p in case["perpetrators"])
        pick = lambda lst, weights: rng.choices(lst, weights=weights)[0]  # noqa: E731
        if child:
            occupation = "student" if age >= 6 else "unknown"
        else:
            occupation = pick(["farming_fishing", "factory_worker", "trade_services", "casual_labour", "homemaker",
                               "public_employee", "unemployed", "retired", "unknown"], [30, 18, 14, 12, 10, 4, 5, 3, 4])
        s.update({
            "occupation": occupation,
            "residence_status": pick(["permanent_resident", "temporary_resident", "migrant_worker", "unknown"],
                                     [80, 10, 7, 3]),
            "nationality": "vietnamese" if rng.random() < .99 else "foreign",
            "children_count": None if child else pick([0, 1, 2, 3], [20, 30, 40, 10]),
            "interpreter": "ethnic_language" if s.get("ethnicity") not in (None, "kinh", "unknown") and rng.random() < .3
            else "none",
        })
        s["children_at_risk"] = None if not s["children_count"] else pick(["yes", "no", "unknown"], [25, 60, 15])
        weapon = pick(["none", "blunt_object", "knife_blade", "unknown"], [75, 12, 5, 8]) \
            if i["violence_type"] in ("physical_assault", "rape", "sexual_assault") else "none"
        i.update({"money_exchanged": pick(["no", "unknown"], [90, 10]),
                  "abduction": "none" if rng.random() < .98 else "other_abduction",
                  "weapon": weapon,
                  "perpetrator_previous": pick(["yes", "no", "unknown"], [55, 25, 20]) if domestic else "unknown"})
        giver = "survivor" if not child else ("guardian" if age < 7 else "both")
        for consent in case["consent"].values():
            if consent.get("given"):
                consent["given_by"] = giver
        case["privacy_notice"] = {"on": case["intake"]["reported_on"], "by": staff}
        # Risk: assessed at intake for domestic and sexual violence, again at a later follow-up for some.
        assessments = []
        if domestic or i["violence_type"] in SEXUAL:
            severe = weapon in ("knife_blade",) or rng.random() < .12
            for n, on in enumerate([reported_on] + ([clamp(reported_on + timedelta(days=rng.randint(20, 50)),
                                                          reported_on, today)] if rng.random() < .35 else [])):
                answers = {code: ("yes" if rng.random() < p else "no") for code, p in (
                    ("escalation", .3), ("previous_violence", .6 if i["perpetrator_previous"] == "yes" else .1),
                    ("perpetrator_access", .7 if domestic else .2), ("isolation", .2), ("controlling_jealous", .35),
                    ("alcohol_drugs", .4), ("survivor_afraid", .4), ("threat_to_kill", .1 if severe else 0),
                    ("weapon", .8 if weapon == "knife_blade" else 0), ("strangulation", .05 if severe else 0))}
                answers["pregnant"] = "yes" if s.get("pregnant") else "no"
                answers["children_at_risk"] = {"yes": "yes", "no": "no"}.get(s.get("children_at_risk"), "unknown")
                if n:  # reassessed: most have calmed down
                    answers = {k: ("no" if v == "yes" and rng.random() < .5 else v) for k, v in answers.items()}
                assessments.append({"on": iso(on), "answers": answers, "by": staff})
        case["risk_assessments"] = assessments
        plan = case["safety_plan"]
        if plan["in_place"]:
            plan.update({
                "to_take": sorted(rng.sample(["id_papers", "money_cards", "phone_charger", "medicine", "children_papers",
                                              "clothes"], rng.randint(2, 4))),
                "steps": sorted(rng.sample(["escape_route", "signal_neighbour", "emergency_numbers", "bag_ready",
                                            "stay_safe_place", "protection_order"], rng.randint(2, 3))),
                "children": "no_children" if not s["children_count"] else pick(["in_plan", "not_yet"], [85, 15]),
                "agreed": True,
                "review_on": iso(date.fromisoformat(plan["on"]) + timedelta(days=rng.randint(20, 40))),
            })
        if "identity" in case and plan["in_place"]:
            case["identity"].update({
                "safe_places": "[Dữ liệu mẫu] Nhà chị gái ở thôn bên; trụ sở UBND xã.",
                "emergency_contacts": f"[Dữ liệu mẫu] Chị gái — 0900001{serial % 1000:03d}",
                "code_word": "[Mẫu] «mua muối»",
            })
        if "identity" in case:
            case["identity"]["contact_way"] = rng.choice(["[Dữ liệu mẫu] Gọi sau 20 giờ, khi chồng đi làm ca đêm.",
                                                          "[Dữ liệu mẫu] Nhắn qua chị tổ trưởng phụ nữ, không gọi."])
            case["identity"]["wishes"] = rng.choice(["[Dữ liệu mẫu] Muốn chồng dừng đánh, chưa muốn ly hôn.",
                                                     "[Dữ liệu mẫu] Muốn được tư vấn pháp lý về ly hôn và nuôi con."])
        needed = [v["service"] for v in case["services"] if v["status"] in ("referred", "provided")]
        actions = []
        for v in case["services"]:
            if v["status"] not in ("referred", "provided"):
                continue
            due = date.fromisoformat(v["on"]) + timedelta(days=rng.randint(3, 21))
            done = due <= today and rng.random() < .75
            actions.append({"what": ref["service"].label(v["service"]), "service": v["service"],
                            "provider_id": v.get("provider_id"), "person": None if v.get("provider_id") else staff,
                            "due_on": iso(due), "status": "done" if done else "planned",
                            "done_on": iso(clamp(due, reported_on, today)) if done else None})
        case["action_plan"] = {"needs": sorted(set(needed)), "goals": "[Dữ liệu mẫu] An toàn tại nhà; được tư vấn tâm lý "
                                                                      "và pháp lý." if needed else None,
                               "actions": actions}
        outcomes = ["safe_stable", "progress", "needs_more_help", "risk_increased"]
        for n, f in enumerate(case["follow_ups"]):
            if f["status"] == "done":
                f["outcome"] = pick(outcomes, [40, 35, 18, 7])
                later = case["follow_ups"][n + 1]["due_on"] if n + 1 < len(case["follow_ups"]) else None
                if later and later > f["done_on"]:
                    f["next_on"] = later
        if case["status"] == "closed":
            case["closure"]["knows_can_return"] = True
        return case

    def duplicate_of(self, rng, original: dict, original_id: str) -> dict:
        """The same incident recorded a second time a few days later (marked duplicate, not counted)."""
        first = date.fromisoformat(original["intake"]["reported_on"])
        again = clamp(first + timedelta(days=rng.randint(1, 6)), first, self.today)
        case = {k: v for k, v in original.items() if k not in ("id", "code", "rev", "origin")}
        case["intake"] = dict(original["intake"], reported_on=iso(again), disclosure_channel=self.channel.pick(rng))
        case.update(status="duplicate", duplicate_of=original_id, follow_ups=[],
                    closure={"items": [], "closed_on": None})
        return case

    # --- parts -------------------------------------------------------------------------------------
    def _band(self, age: int) -> str:
        return age_band_for(age, self.ref) or "unknown"

    def _perp(self, rng, sex, band, rel, count=1) -> dict:
        return {"sex": sex, "age_group": band, "relationship": rel, "count": count}

    def _survivor_and_perpetrators(self, rng, vtype: str, want_minor: bool | None = None) -> dict:
        acts: list[str] = []
        if vtype in SEXUAL:
            minor = rng.random() < .4 if want_minor is None else want_minor
            sex = "female" if rng.random() < (.88 if minor else .97) else "male"
            age = (rng.randint(12, 17) if rng.random() < .7 else rng.randint(5, 11)) if minor else \
                int(rng.triangular(18, 50, 24))
            rel = (self.rel_sexual_minor if minor else self.rel_sexual_adult).pick(rng)
            if rel == "schoolmate":
                pband = self._band(min(age + rng.randint(0, 2), 17))
            elif rel == "intimate_partner" and minor:
                pband = self._band(rng.randint(16, 22))
            else:
                pband = self.perp_bands.pick(rng)
            count = rng.randint(2, 3) if vtype == "rape" and rng.random() < .08 else 1
            perps = [self._perp(rng, "male" if rng.random() < .98 else "female", pband, rel, count)]
            if rel in ("intimate_partner", "former_partner") and not minor:
                marital = self.married_partner.pick(rng) if rel == "intimate_partner" else self.former.pick(rng)
                if rel == "intimate_partner" and marital in ("married", "cohabiting"):
                    acts.append("forced_sexual_intercourse")
                location = rng.choice(("shared_home", "shared_home", "perpetrator_home"))
            else:
                marital = "single" if minor or rng.random() < .5 else "married"
                location = {"schoolmate": "school", "teacher_school_official": "school",
                            "employer_supervisor": "workplace", "family_other": "survivor_home",
                            "caregiver": "survivor_home"}.get(rel) or rng.choice(
                    ("perpetrator_home", "public_place", "road", "field_farm", "relative_home", "online", "other"))
                if location == "online" and vtype == "rape":
                    location = "perpetrator_home"
                if rel == "family_other":
                    acts.append("forced_pornography" if rng.random() < .1 else "physical_abuse_threat")
        elif vtype == "forced_marriage":
            sex = "female" if rng.random() < .95 else "male"
            young = rng.random() < .65 if want_minor is None else want_minor
            age = rng.randint(14, 17) if young else rng.randint(18, 22)
            rel = self.rel_forced_marriage.pick(rng)
            perps = [self._perp(rng, rng.choice(("male", "female")),
                                "age_41_60" if rel != "intimate_partner" else self._band(age + rng.randint(2, 10)),
                                rel)]
            marital = "single" if rng.random() < .6 else "cohabiting"
            location = rng.choice(("survivor_home", "relative_home", "perpetrator_home"))
            acts.append("forced_or_obstructed_marriage")
        elif vtype == "not_gbv":
            sex = "female" if rng.random() < .7 else "male"
            age = rng.randint(18, 70)
            rel = self.rel_not_gbv.pick(rng)
            perps = [self._perp(rng, rng.choice(("male", "female")), self.perp_bands.pick(rng), rel)]
            marital = "married" if age > 24 else "single"
            location = rng.choice(("public_place", "road", "field_farm", "survivor_home"))
        else:
            rel = self.rel_domestic.pick(rng)
            sex = "female" if rng.random() < .88 else "male"
            other = "female" if sex == "male" else "male"
            if rel in ("intimate_partner", "former_partner"):
                age = int(rng.triangular(18, 72, 34))
                perps = [self._perp(rng, other, self._band(max(18, age + rng.randint(-3, 8))), rel)]
                marital = self.married_partner.pick(rng) if rel == "intimate_partner" else self.former.pick(rng)
                location = "shared_home" if rel == "intimate_partner" and rng.random() < .85 else \
                    rng.choice(("survivor_home", "perpetrator_home", "road", "relative_home"))
            elif rel == "in_law":
                sex = "female"
                age = rng.randint(20, 45)
                perps = [self._perp(rng, "female" if rng.random() < .6 else "male", self._band(age + rng.randint(22, 30)),
                                    rel)]
                marital = "married"
                location = "shared_home"
            elif rel == "family_other":
                kind = rng.random()
                if kind < .5:  # an older parent abused by a grown child
                    age = rng.randint(60, 85)
                    perps = [self._perp(rng, "male" if rng.random() < .8 else "female",
                                        self._band(age - rng.randint(22, 35)), rel)]
                    marital = self.elderly_marital.pick(rng)
                elif kind < .8:  # a child abused by a parent
                    age = rng.randint(4, 17)
                    perps = [self._perp(rng, "male" if rng.random() < .7 else "female",
                                        self._band(age + rng.randint(22, 35)), rel)]
                    marital = "single"
                else:
                    age = rng.randint(18, 50)
                    perps = [self._perp(rng, "male", self._band(age + rng.randint(-8, 8)), rel)]
                    marital = "married" if age > 24 else "single"
                location = "survivor_home" if rng.random() < .7 else "shared_home"
            else:
                age = rng.randint(18, 65)
                perps = [self._perp(rng, "male" if rng.random() < .8 else "female", self.perp_bands.pick(rng), rel)]
                marital = "married" if age > 24 else "single"
                location = rng.choice(("public_place", "road", "field_farm", "survivor_home"))
            if rel in DOMESTIC:
                acts += self._dv_acts(rng, vtype)
        if rng.random() < .03 and want_minor is None:  # age not known at intake
            age = None
        return {"age": age, "sex": sex, "perpetrators": perps, "relationship": rel, "marital_status": marital,
                "location_type": location, "dv_acts": sorted({a for a in acts if a in self.dv})}

    def _dv_acts(self, rng, vtype: str) -> list[str]:
        table = {
            "physical_assault": [("physical_abuse_threat", 1), ("property_seizure_destruction", .2),
                                 ("forced_eviction", .05), ("confinement", .03)],
            "psychological_abuse": [("insult_humiliation", .7), ("isolation_from_relatives", .2),
                                    ("forced_witnessing_violence", .1), ("discrimination", .1),
                                    ("disclosing_private_information", .05)],
            "denial_of_resources": [("forced_labour_financial_control", .6), ("neglect_of_care", .3),
                                    ("obstructing_family_rights", .15),
                                    ("forced_pregnancy_abortion_sex_selection", .05)],
        }.get(vtype, [])
        acts = [a for a, p in table if rng.random() < p]
        if not acts and table:
            acts = [table[0][0]]
        return acts

    def _services(self, rng, vtype, minor, reported_on, consented, providers):
        today = self.today
        wanted = [svc for svc, p in self.services[vtype] if rng.random() < p]
        if minor and vtype != "psychological_abuse" and "education" in self.ref["service"].codes \
                and "education" not in wanted and rng.random() < .2:
            wanted.append("education")
        if not wanted:
            wanted = [self.services[vtype][0][0]]
        services, referrals = [], []
        for svc in wanted:
            on = clamp(reported_on + timedelta(days=rng.choice((0, 0, 0, 1, 2))), reported_on, today)
            if not consented:
                status = "declined"
            else:
                status = (self.status_here.get(svc) or self.status_elsewhere).pick(rng)
            provider_id, provider_name = providers.get(svc, (None, None))
            services.append({"service": svc, "status": status, "on": iso(on),
                             "provider_id": provider_id if status == "referred" else None})
            if status == "referred":
                outcome, outcome_on = "pending", None
                if on < today - timedelta(days=3):
                    outcome = self.outcome.pick(rng)
                    if outcome not in ("pending", "unknown"):
                        outcome_on = clamp(on + timedelta(days=rng.randint(1, 10)), on, today)
                referrals.append({"service": svc, "provider_id": provider_id, "provider_name": provider_name,
                                  "referred_on": iso(on), "consent": True, "consent_on": iso(on),
                                  "outcome": outcome, "outcome_on": iso(outcome_on)})
        return services, referrals

    def _perpetrator_actions(self, rng, vtype, reported_on):
        today = self.today
        if rng.random() >= (.2 if vtype == "not_gbv" else .88):
            return []
        detected = clamp(reported_on + timedelta(days=rng.choice((0, 0, 1, 2))), reported_on, today)
        plan = [("detected", 1), ("counselled", .65),
                ("administrative_sanction", .12 if vtype in ("physical_assault", "psychological_abuse") else .03),
                ("criminal_proceedings", {"rape": .7, "sexual_assault": .3, "physical_assault": .04}.get(vtype, 0)),
                ("behaviour_change_education", .1), ("no_contact_order", .04), ("community_service", .02)]
        actions, on = [], detected
        for action, p in plan:
            if action in self.actions and rng.random() < p:
                actions.append({"action": action, "on": iso(on)})
                on = clamp(on + timedelta(days=rng.randint(1, 20)), detected, today)
        return actions

    def _follow_ups(self, rng, reported_on):
        today = self.today
        follow_ups = []
        due = reported_on + timedelta(days=rng.randint(7, 14))
        for _ in range(rng.choice((1, 2, 2, 3, 3))):
            if due > today - timedelta(days=2):
                follow_ups.append({"due_on": iso(due), "status": "planned"})
                break
            r = rng.random()
            if r < .8:
                follow_ups.append({"due_on": iso(due), "status": "done",
                                   "done_on": iso(clamp(due + timedelta(days=rng.randint(0, 4)), reported_on, today))})
            elif r < .9:
                follow_ups.append({"due_on": iso(due), "status": "missed"})
            else:
                follow_ups.append({"due_on": iso(due), "status": "planned"})  # overdue, still open
                break
            due = due + timedelta(days=rng.randint(14, 45))
        return follow_ups

    def _closure(self, rng, reported_on, follow_ups, safety):
        today = self.today
        none: dict[str, object] = {"items": [], "closed_on": None}
        if any(f["status"] == "planned" for f in follow_ups):
            return "open", none
        age_days = (today - reported_on).days
        if age_days < 45 or rng.random() >= (.9 if age_days > 150 else .7):
            if rng.random() < .5:  # an open case with its next contact planned: some overdue, some ahead
                last = max(date.fromisoformat(f["due_on"]) for f in follow_ups) if follow_ups else reported_on
                due = last + timedelta(days=rng.randint(20, 60))
                if due < today - timedelta(days=45):
                    due = today + timedelta(days=rng.randint(-30, 30))
                follow_ups.append({"due_on": iso(due), "status": "planned"})
            return "open", none
        last = max([date.fromisoformat(f.get("done_on") or f["due_on"]) for f in follow_ups] or [reported_on])
        closed_on = clamp(max(last, reported_on + timedelta(days=30)) + timedelta(days=rng.randint(0, 10)),
                          reported_on, today)
        r = rng.random()
        if r < .05 and "transferred" in self.closure:
            return "transferred", {"items": ["transferred"], "closed_on": iso(closed_on)}
        if follow_ups and follow_ups[-1]["status"] == "missed" and "no_contact_30_days" in self.closure:
            items = ["no_contact_30_days"]
        elif r < .2:
            items = ["survivor_request"]
        elif r < .28:
            items = ["moved_away"]
        else:
            items = ["needs_met"]
        if safety and rng.random() < .8:
            items.append("safety_plan_reviewed")
        return "closed", {"items": [i for i in items if i in self.closure] or ["needs_met"],
                          "closed_on": iso(closed_on)}
