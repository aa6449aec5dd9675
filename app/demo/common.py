"""Small helpers shared by the demo generators: weighted choices over reference codes, dates, ids.

Every random draw goes through a `random.Random` handed in by the caller, so one
seed always gives the same facts. Weights name codes of the reference lists;
a code the loaded list does not have is skipped, never invented.
"""

from __future__ import annotations

import bisect
import itertools
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone, UTC
from typing import Generic, TypeVar

Code = TypeVar("Code")  # a reference code (str), or another value to draw (the demo's delays are ints)


class Weighted(Generic[Code]):
    """A weighted choice among the codes of one reference list (codes missing from the list are dropped)."""

    __slots__ = ("codes", "cum", "total")

    def __init__(self, options, weights: Mapping[Code, float]):
        known = options.codes if hasattr(options, "codes") else frozenset(options)
        pairs = [(code, w) for code, w in weights.items() if code in known and w > 0]
        if not pairs:
            raise ValueError(f"no code of {sorted(weights, key=str)} is in the reference list")
        self.codes = [code for code, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng) -> Code:
        return self.codes[bisect.bisect_right(self.cum, rng.random() * self.total)]


def codes_of(options, wanted) -> list[str]:
    """The codes of `wanted` that the list has, in the order given."""
    return [c for c in wanted if c in options.codes]


def clamp(day: date, low: date, high: date) -> date:
    return low if day < low else high if day > high else day


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stamp(rng, day: date, now: datetime) -> str:
    """A plausible office-hours UTC timestamp on `day` (08:00–17:00 in Vietnam), never after `now`."""
    local_minutes = rng.randint(8 * 60, 17 * 60 - 1)
    moment = datetime.combine(day, time(local_minutes // 60, local_minutes % 60, rng.randint(0, 59)),
                              tzinfo=timezone(timedelta(hours=7))).astimezone(UTC)
    moment = moment.replace(microsecond=rng.randint(0, 999) * 1000)
    return min(moment, now).isoformat(timespec="milliseconds")


def uuid7(rng, moment: datetime | str) -> str:
    """A UUIDv7 (as `app.records.new_id` makes) for a given moment, its random bits drawn from `rng`."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    ms = int(moment.timestamp() * 1000)
    rand = rng.getrandbits(74)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (rand >> 62 & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def round_vnd(amount: float, step: int = 100_000) -> int:
    return int(round(amount / step)) * step


def poisson_count(rng, mean: float) -> int:
    """A count around `mean` (normal approximation, never negative)."""
    if mean <= 0:
        return 0
    return max(0, int(round(rng.gauss(mean, mean ** 0.5))))
