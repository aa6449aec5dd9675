"""The benchmark data sets under bench/data/, generated once by the project's own generator.

    province   200 communes × 5 years, ~200 000 cases, ~400 000 activities, no identities (DESIGN §8)
    commune    a commune of 10 000 cases with their identities, saved one by one through the core

The bench measures on copies (`working_copy`): logging in writes an audit
entry, saving writes a case, and a data set that changes from run to run
would make the runs incomparable.
"""

from __future__ import annotations

import random
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PASSWORD = "demo"  # app.demo.DEMO_PASSWORD: the data sets are demo nodes
COMMUNE_CASES = 10_000


def _say(text: str) -> None:
    print(text, flush=True)


def province(folder: Path = DATA / "province") -> Path:
    """The province data set, generated first when absent (~3 min on 2 cores)."""
    from app.demo import create_demo_node
    from app.node import Node

    if not Node.exists(folder):
        _say(f"generating the province data set in {folder} (once, a few minutes) …")
        _, summary = create_demo_node(folder, scale="province")
        _say(f"  {summary}")
    return folder


def commune(folder: Path = DATA / "commune-10k") -> Path:
    """A commune node holding 10 000 cases with identities, generated first when absent.

    The demo commune (registries, users, two points, five years of activities and
    its ~500 cases, all through the core API) and then more cases through
    `session.cases.save` until there are 10 000: every row, identity and audit
    entry is what the window itself would have written. Built in a side folder and
    renamed into place, so an interrupted run leaves no half data set.
    """
    from app.demo import create_demo_node
    from app.demo.cases import CaseFactory
    from app.node import Node

    if Node.exists(folder):
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    _say(f"generating the commune data set ({COMMUNE_CASES} cases) in {folder} (once, several minutes) …")
    started = time.perf_counter()
    node, _ = create_demo_node(partial, scale="commune", years=5)
    session = node.login("admin", PASSWORD)
    try:
        rng = random.Random(10_000)
        today = session.cases.today()
        factory = CaseFactory(session.reference, today)
        points = [(p["id"], 1) for p in session.registries.models() if p["kind"] == "trusted_address"]
        providers = {}
        for provider in session.registries.providers():
            providers.setdefault(provider["kind"], (provider["id"], provider["name"]))
        first = date(today.year - 4, 1, 1)
        span = (today - first).days
        serial = session.cases.count()
        while serial < COMMUNE_CASES:
            serial += 1
            day = first + timedelta(days=rng.randrange(span + 1))
            session.cases.save(factory.make(rng, day, points=points + [(None, 1)], serial=serial,
                                            providers=_service_providers(providers, session.reference)))
            if serial % 1000 == 0:
                _say(f"  {serial} cases ({time.perf_counter() - started:.0f} s)")
    finally:
        session.store.close()  # no automatic backup of a data set
    partial.rename(folder)
    _say(f"  done in {time.perf_counter() - started:.0f} s")
    return folder


def _service_providers(by_kind: dict, reference) -> dict:
    from app.demo.commune import SERVICE_PROVIDER

    return {svc: by_kind[kind] for svc, kind in SERVICE_PROVIDER.items()
            if kind in by_kind and svc in reference["service"].codes}


def working_copy(folder: Path, into: Path) -> Path:
    """A copy of the node in `folder` (database, key slots and audit seal; not its backups) under `into`."""
    target = into / folder.name
    target.mkdir(parents=True)
    for name in ("binhan.db", "keyslots.json", "audit-head.json"):
        if (folder / name).exists():  # a data set made before the seal has none
            shutil.copy2(folder / name, target / name)
    (target / "backups").mkdir()
    return target
