"""Demo and benchmark data: a node full of obviously fictional, plausible data.

    node, summary = create_demo_node(Path("demo"))                      # a commune, two years
    node, summary = create_demo_node(Path("bench"), scale="province")  # 200 communes × 5 years

* **commune** (default): a commune node filled through the real core API
  (`session.cases.save`, `session.activities.save`, the registries): the
  current year and the one before, ~60–120 cases and ~150–250 activities a
  year, two trusted-address points, other models, six schools, providers with
  a hotline, and the users `admin`, `canbo` (cadre of the first point) and
  `lanhdao` (leader), all with the password "demo". Every name carries "Mẫu",
  every address is "Thôn Mẫu số N", every phone number is 0900000NNN.
* **province**: a province node holding the cases and activities of many
  fictional communes (origin = each commune's node id) as if received from
  them — no identities — written in bulk for benchmarks (DESIGN §8).

The same seed gives the same facts (ids and timestamps of the commune scale
may differ). Dates are never after today, except follow-ups planned ahead.
"""

from __future__ import annotations

import random
import time
from datetime import date
from pathlib import Path

from app.demo import names

DEMO_PASSWORD = "demo"  # noqa: S105 - the throwaway demo node's, shown on its login screen; guards nothing real
DEMO_CODE = "DEMO01"
PROVINCE_CODE = "DEMOTINH"
SCALES = ("commune", "province")


def create_demo_node(data_dir: Path, *, scale: str = "commune", seed: int = 1, years: int | None = None,
                     progress=None, communes: int = 200, check_every: int | None = None):
    """Create a demo node in `data_dir` and fill it. Returns (node, summary of counts and timings).

    `years`: how many calendar years up to this one (default 2 for a commune, 5 for a province).
    `communes`: how many communes a province-scale node holds (default 200).
    `progress(done, total)` is called as the work advances.
    `check_every`: province scale passes one record in so many through the core's whole validation too
    (default: every record for a small run of ≤ 10 communes, one in 50 otherwise).
    """
    from app.node import Node

    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    today = date.today()
    years = years or (2 if scale == "commune" else 5)
    if years < 1:
        raise ValueError("years must be at least 1")
    started = time.perf_counter()
    is_province = scale == "province"
    node, _recovery = Node.create(
        Path(data_dir), kind="province" if is_province else "commune",
        name=names.PROVINCE_NAME if is_province else names.COMMUNE_NAME,
        code=PROVINCE_CODE if is_province else DEMO_CODE, parent_code=None if is_province else PROVINCE_CODE,
        profile_code="thai_binh", admin_username="admin", admin_password=DEMO_PASSWORD,
        admin_display_name="Quản trị Mẫu", demo=True,
    )
    session = node.login("admin", DEMO_PASSWORD)
    try:
        if is_province:
            from app.demo import province

            summary = province.build(session, seed, today, years, communes, progress,
                                     check_every=check_every or (1 if communes <= 10 else 50))
        else:
            from app.demo import commune

            summary = commune.build(session, random.Random(seed), today, years, progress)
    finally:
        session.close()
    summary = {"scale": scale, "seed": seed, **summary, "seconds": round(time.perf_counter() - started, 1)}
    return node, summary
