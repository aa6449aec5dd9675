"""Reference data: option lists and province profiles, read from TOML files in `data/`.

Reference data is data, not code. Each option list is one file
`data/reference/<list>.toml`; each province profile (plan, targets, deadline,
receiving body) is one file in `data/profiles/`. A province can issue newer
versions of both down the tree, so codes are stable and an unknown code is
still shown (as itself) rather than rejected when displaying old records.

Pure Python: the standard library's `tomllib` only, no Qt.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeGuard, overload
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "COMPARISONS",
    "KNOWN_FORMULAS",
    "Campaign",
    "Option",
    "Profile",
    "Reference",
    "ReferenceList",
    "Target",
    "default_profiles_root",
    "default_reference_root",
    "is_code",
    "load_profile_file",
    "load_profile_versions",
    "load_profiles",
    "load_reference",
    "load_reference_file",
]

#: Formula names the core computes from case and activity data. A target whose
#: formula is not one of these cannot be computed by this release.
KNOWN_FORMULAS = frozenset(
    {
        "cases_needing_help_helped",
        "perpetrators_counselled",
        "perpetrators_handled",
        "survivors_reached_service",
        "schools_integrating",
        "survivors_seeking_help",
    }
)

COMPARISONS = (">=", ">", "<=", "<", "==")

_CODE_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_MONTH_DAY_RE = re.compile(r"(\d{2})-(\d{2})")
_EMPTY: Mapping[str, object] = MappingProxyType({})

# Keys of an option table that are not "extra".
_OPTION_CORE_KEYS = frozenset({"code", "vi", "en"})


def is_code(value: object) -> TypeGuard[str]:
    """True for a stable ASCII snake_case code such as ``physical_assault``."""
    return isinstance(value, str) and _CODE_RE.fullmatch(value) is not None


def _pick(vi: str, en: str, lang: str) -> str:
    """The English text for ``en`` / ``en_GB`` / ``en-US``; Vietnamese otherwise."""
    return en if lang.lower().startswith("en") else vi


@overload
def _freeze(value: dict) -> Mapping[str, object]: ...


@overload
def _freeze(value: object) -> object: ...


def _freeze(value: object) -> object:
    """NFC-normalise strings and make containers read-only, recursively."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return MappingProxyType({_freeze(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


# ---------------------------------------------------------------------------
# Option lists


@dataclass(frozen=True)
class Option:
    """One choice in a list: a stable code, its Vietnamese and English labels, extra keys."""

    code: str
    vi: str
    en: str
    extra: Mapping[str, object] = field(default_factory=lambda: _EMPTY, hash=False)

    def label(self, lang: str = "vi") -> str:
        return _pick(self.vi, self.en, lang)

    def get(self, key: str, default: object = None) -> object:
        """An extra key of the option (``law_ref``, ``min_age``, ``group``…)."""
        return self.extra.get(key, default)

    def definition(self, lang: str = "vi") -> str | None:
        """The option's plain-language definition, where the list has one."""
        vi = self.extra.get("definition_vi")
        en = self.extra.get("definition_en")
        if vi is None and en is None:
            return None
        return _pick(str(vi or en), str(en or vi), lang)


@dataclass(frozen=True)
class ReferenceList:
    """One versioned option list, options in the order of the file."""

    name: str
    version: int
    title_vi: str
    title_en: str
    options: tuple[Option, ...]
    _index: Mapping[str, Option] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, Option] = {}
        for option in self.options:
            if option.code in index:
                raise ValueError(f"reference list {self.name!r}: duplicate code {option.code!r}")
            index[option.code] = option
        object.__setattr__(self, "_index", MappingProxyType(index))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self._index)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def __iter__(self) -> Iterator[Option]:
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)

    def get(self, code: str) -> Option | None:
        return self._index.get(code)

    def label(self, code: str, lang: str = "vi") -> str:
        """The label of ``code``; an unknown (e.g. retired or newer) code is shown as itself."""
        option = self._index.get(code)
        return code if option is None else option.label(lang)

    def title(self, lang: str = "vi") -> str:
        return _pick(self.title_vi, self.title_en, lang)

    def where(self, key: str, value: object = True) -> tuple[Option, ...]:
        """The options whose extra ``key`` equals ``value`` (e.g. ``where("intimate")``)."""
        return tuple(o for o in self.options if key in o.extra and o.extra[key] == value)


class Reference:
    """All option lists of one reference-data folder."""

    def __init__(self, lists: Mapping[str, ReferenceList], root: Path | None = None) -> None:
        self._lists: Mapping[str, ReferenceList] = MappingProxyType(dict(sorted(lists.items())))
        self.root = root

    def __getitem__(self, name: str) -> ReferenceList:
        try:
            return self._lists[name]
        except KeyError:
            where = f" in {self.root}" if self.root else ""
            raise KeyError(
                f"no reference list named {name!r}{where}; known lists: {', '.join(self._lists)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._lists

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)

    def __repr__(self) -> str:
        return f"Reference({len(self._lists)} lists from {self.root})"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._lists)

    @property
    def version(self) -> dict[str, int]:
        """The version of every list, by list name."""
        return {name: lst.version for name, lst in self._lists.items()}

    def lists(self) -> tuple[ReferenceList, ...]:
        return tuple(self._lists.values())

    def check(self, list_name: str, code: str) -> bool:
        """Whether ``code`` is an option of ``list_name``. An unknown list name raises KeyError."""
        return code in self[list_name]

    def label(self, list_name: str, code: str, lang: str = "vi") -> str:
        return self[list_name].label(code, lang)


def _fail(path: Path, message: str) -> ValueError:
    return ValueError(f"{path}: {message}")


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:  # tomllib wants UTF-8
        raise _fail(path, f"not UTF-8 text: {exc}") from exc


def _version(path: Path, data: Mapping) -> int:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(path, f"'version' must be an integer of 1 or more, not {version!r}")
    return version


def _text(path: Path, data: Mapping, key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"{what}: {key!r} must be non-empty text, not {value!r}")
    return unicodedata.normalize("NFC", value.strip())


def load_reference_file(path: Path) -> ReferenceList:
    """Read and check one option-list file; raise ValueError naming the file and option."""
    path = Path(path)
    data = _read_toml(path)
    name = data.get("list")
    if name != path.stem:
        raise _fail(path, f"'list' must be {path.stem!r} (the file name), not {name!r}")
    version = _version(path, data)
    title_vi = _text(path, data, "title_vi", "list")
    title_en = _text(path, data, "title_en", "list")
    raw_options = data.get("option")
    if not isinstance(raw_options, list) or not raw_options:
        raise _fail(path, "no [[option]] entries")
    options: list[Option] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_options, start=1):
        if not isinstance(raw, dict):
            raise _fail(path, f"option {number} is not a table")
        code = raw.get("code")
        if not is_code(code):
            raise _fail(path, f"option {number}: code {code!r} is not ASCII snake_case")
        where = f"option {code!r}"
        if code in seen:
            raise _fail(path, f"{where}: duplicate code")
        seen.add(code)
        vi = _text(path, raw, "vi", where)
        en = _text(path, raw, "en", where)
        extra = {k: v for k, v in raw.items() if k not in _OPTION_CORE_KEYS}
        options.append(Option(code=code, vi=vi, en=en, extra=_freeze(extra)))
    return ReferenceList(
        name=name,
        version=version,
        title_vi=title_vi,
        title_en=title_en,
        options=tuple(options),
    )


def default_reference_root() -> Path:
    from app import paths

    return paths.reference_dir() / "reference"


@functools.lru_cache(maxsize=8)
def _load_reference_cached(root: Path) -> Reference:
    if not root.is_dir():
        raise FileNotFoundError(f"reference data folder not found: {root}")
    files = sorted(root.glob("*.toml"))
    if not files:
        raise FileNotFoundError(f"no reference lists (*.toml) in {root}")
    lists = {}
    for path in files:
        lst = load_reference_file(path)
        lists[lst.name] = lst
    return Reference(lists, root=root)


def load_reference(root: Path | None = None) -> Reference:
    """All option lists under ``root`` (default: the shipped ``data/reference``), cached per root.

    The result is immutable and shared; after writing newer files into a folder
    call ``load_reference.cache_clear()``.
    """
    root = default_reference_root() if root is None else Path(root)
    return _load_reference_cached(root.resolve())


load_reference.cache_clear = _load_reference_cached.cache_clear  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Province profiles


@dataclass(frozen=True)
class Target:
    """One plan indicator (chỉ tiêu) with its goal and how it is computed."""

    code: str
    vi: str
    en: str
    goal: float
    comparison: str
    unit: str
    period: str
    formula: str
    definition_vi: str
    definition_en: str
    computed: bool = True
    extra: Mapping[str, object] = field(default_factory=lambda: _EMPTY, hash=False, compare=False)

    def label(self, lang: str = "vi") -> str:
        return _pick(self.vi, self.en, lang)

    def definition(self, lang: str = "vi") -> str:
        return _pick(self.definition_vi, self.definition_en, lang)

    def is_met(self, value: float | None) -> bool | None:
        """Whether ``value`` reaches the goal; None when there is no value to judge."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return {
            ">=": value >= self.goal,
            ">": value > self.goal,
            "<=": value <= self.goal,
            "<": value < self.goal,
            "==": value == self.goal,
        }[self.comparison]


@dataclass(frozen=True)
class Campaign:
    """A yearly window (e.g. the Action Month 15/11–15/12) in which activities are reported as such."""

    code: str
    vi: str
    en: str
    start: tuple[int, int]
    end: tuple[int, int]

    def label(self, lang: str = "vi") -> str:
        return _pick(self.vi, self.en, lang)

    def contains(self, day: _dt.date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # window across the new year


@dataclass(frozen=True)
class Profile:
    """A province's plan: targets, reporting deadline, receiving body, small-cell rule.

    One *version* of a profile governs the dates `governs_from`..`governs_to` (the header, the
    receiving body, the deadline); its plan (`has_plan`, targets) serves the plan's years
    `period_start`..`period_end`. `app.reference.periods` picks, for a reporting period, the version
    in force and the plan that covers it; a Profile it returns for a period says where its plan came
    from (`plan_code`, `plan_is_baseline`) and what the reader must be told (`notices`).
    """

    code: str
    version: int
    province_vi: str
    province_en: str
    plan_number: str
    plan_date: _dt.date | None
    plan_title_vi: str
    period_start: int
    period_end: int
    receiving_body_vi: str
    receiving_body_en: str
    report_deadline: tuple[int, int]
    small_cell_threshold: int
    small_cell_label: str
    targets: tuple[Target, ...]
    raw: Mapping[str, object] = field(default_factory=lambda: _EMPTY, hash=False, compare=False, repr=False)
    campaigns: tuple[Campaign, ...] = ()
    governs_from: _dt.date | None = None
    governs_to: _dt.date | None = None
    absorbs: tuple[str, ...] = ()
    has_plan: bool = True
    kind: str = "province"  # "province" | "national" (the baseline every province may use)
    receiving_body_confirmed: bool = True
    deadline_confirmed: bool = True
    province_reports_to_vi: str = ""
    province_reports_to_en: str = ""
    sources: tuple[str, ...] = ()
    plan_document_vi: str = "Kế hoạch"  # "Nghị quyết" for the national strategy
    plan_issuer_vi: str = ""  # who issued the plan (the province's People's Committee, the Government)
    plan_title_en: str = ""
    # Set on the Profile `periods.profile_for` returns: whose plan the targets are.
    plan_code: str | None = None
    plan_version: int | None = None
    plan_is_baseline: bool = False
    notices: tuple[tuple[str, str, str], ...] = ()  # (kind, Vietnamese, English): see app.reference.periods

    def governs(self, day: _dt.date) -> bool:
        """Whether this version governs `day` (its first day included, its last day included)."""
        start = self.governs_from or _dt.date(self.period_start, 1, 1)
        end = self.governs_to if self.governs_to is not None else (
            _dt.date(self.period_end, 12, 31) if self.has_plan and "governs_from" not in self.raw else None)
        return start <= day and (end is None or day <= end)

    def plan_covers(self, year: int) -> bool:
        return self.has_plan and self.period_start <= year <= self.period_end

    def period_text(self, lang: str = "vi") -> str:
        """"01/07/2025 –" or "01/01/2021 – 30/06/2025": the dates this version governs."""
        start = self.governs_from or _dt.date(self.period_start, 1, 1)
        end = self.governs_to if self.governs_to is not None else (
            _dt.date(self.period_end, 12, 31) if self.has_plan and "governs_from" not in self.raw else None)
        tail = f"{end:%d/%m/%Y}" if end else ("(chưa định)" if not lang.lower().startswith("en") else "(open)")
        return f"{start:%d/%m/%Y} – {tail}"

    def deadline_for(self, year: int) -> _dt.date:
        """The date the annual report for ``year`` is due (29/02 falls back to 28/02)."""
        month, day = self.report_deadline
        if (month, day) == (2, 29) and not _is_leap(year):
            day = 28
        return _dt.date(year, month, day)

    def target(self, code: str) -> Target | None:
        return next((t for t in self.targets if t.code == code), None)

    def province(self, lang: str = "vi") -> str:
        return _pick(self.province_vi, self.province_en, lang)

    def receiving_body(self, lang: str = "vi") -> str:
        return _pick(self.receiving_body_vi, self.receiving_body_en, lang)

    def recipient_for(self, node_kind: str, lang: str = "vi") -> str:
        """Where a node of `node_kind` sends its report: the receiving body; a province's own report goes to the
        ministry (it is not addressed to its own department)."""
        if node_kind == "province":
            return _pick(self.province_reports_to_vi, self.province_reports_to_en, lang)
        return self.receiving_body(lang)

    def campaigns_on(self, day: _dt.date) -> tuple[Campaign, ...]:
        return tuple(c for c in self.campaigns if c.contains(day))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_day(path: Path, where: str, value: object) -> tuple[int, int]:
    match = _MONTH_DAY_RE.fullmatch(value) if isinstance(value, str) else None
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            _dt.date(2000, month, day)  # a leap year, so 02-29 is accepted
        except ValueError:
            match = None
    if not match:
        raise _fail(path, f"{where} must be a date as \"MM-DD\", not {value!r}")
    return month, day


def _date(path: Path, data: Mapping, key: str) -> _dt.date | None:
    """An optional date (TOML date, or ISO text as it comes back from JSON); None when absent."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise _fail(path, f"'{key}' must be a date such as 2025-07-01, not {value!r}")
    return value


def _int(path: Path, data: Mapping, key: str, where: str, minimum: int | None = None) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
        floor = f" of {minimum} or more" if minimum is not None else ""
        raise _fail(path, f"{where}: {key!r} must be an integer{floor}, not {value!r}")
    return value


def _target(path: Path, number: int, raw: object) -> Target:
    if not isinstance(raw, dict):
        raise _fail(path, f"target {number} is not a table")
    code = raw.get("code")
    if not is_code(code):
        raise _fail(path, f"target {number}: code {code!r} is not ASCII snake_case")
    where = f"target {code!r}"
    goal = raw.get("goal")
    if isinstance(goal, bool) or not isinstance(goal, int | float) or not math.isfinite(goal):
        raise _fail(path, f"{where}: 'goal' must be a number, not {goal!r}")
    comparison = raw.get("comparison", ">=")
    if comparison not in COMPARISONS:
        raise _fail(path, f"{where}: 'comparison' must be one of {', '.join(COMPARISONS)}, not {comparison!r}")
    formula = raw.get("formula")
    if not is_code(formula):
        raise _fail(path, f"{where}: 'formula' {formula!r} is not ASCII snake_case")
    computed = raw.get("computed", True)
    if not isinstance(computed, bool):
        raise _fail(path, f"{where}: 'computed' must be true or false, not {computed!r}")
    known = {"code", "vi", "en", "goal", "comparison", "unit", "period", "formula",
             "definition_vi", "definition_en", "computed"}
    return Target(
        code=code,
        vi=_text(path, raw, "vi", where),
        en=_text(path, raw, "en", where),
        goal=float(goal),
        comparison=comparison,
        unit=_text(path, raw, "unit", where),
        period=_text(path, raw, "period", where),
        formula=formula,
        definition_vi=_text(path, raw, "definition_vi", where),
        definition_en=_text(path, raw, "definition_en", where),
        computed=computed,
        extra=_freeze({k: v for k, v in raw.items() if k not in known}),
    )


def _campaign(path: Path, number: int, raw: object) -> Campaign:
    if not isinstance(raw, dict):
        raise _fail(path, f"campaign {number} is not a table")
    code = raw.get("code")
    if not is_code(code):
        raise _fail(path, f"campaign {number}: code {code!r} is not ASCII snake_case")
    where = f"campaign {code!r}"
    return Campaign(
        code=code,
        vi=_text(path, raw, "vi", where),
        en=_text(path, raw, "en", where),
        start=_month_day(path, f"{where}: 'start'", raw.get("start")),
        end=_month_day(path, f"{where}: 'end'", raw.get("end")),
    )


def load_profile_file(path: Path) -> Profile:
    """Read and check one province profile; raise ValueError naming the file and target."""
    path = Path(path)
    return profile_from_data(_read_toml(path), path)


def profile_from_data(data: Mapping, path: Path | str = "profile") -> Profile:
    """Check one province profile given as its TOML tables (a file, or the data received from the
    parent); raise ValueError naming `path` and the field at fault."""
    path = Path(str(path))
    data = dict(data)
    code = data.get("code")
    if not is_code(code):
        raise _fail(path, f"profile code {code!r} is not ASCII snake_case")
    where = "profile"
    # A version may carry no plan (a merged province before it issues one): then no plan fields,
    # no targets, and its governed dates say when it applies.
    has_plan = "plan_number" in data
    plan_date = None
    if has_plan:
        plan_date = _date(path, data, "plan_date")
        if plan_date is None:
            raise _fail(path, "'plan_date' must be a date such as 2021-01-18")
    governs_from = _date(path, data, "governs_from")
    governs_to = _date(path, data, "governs_to")
    if has_plan or "period_start" in data:
        period_start = _int(path, data, "period_start", where, 1900)
        period_end = _int(path, data, "period_end", where, 1900)
    else:
        if governs_from is None:
            raise _fail(path, "a profile without a plan must say from when it governs ('governs_from')")
        period_start = governs_from.year
        period_end = governs_to.year if governs_to else 9999
    if period_end < period_start:
        raise _fail(path, f"'period_end' {period_end} is before 'period_start' {period_start}")
    if governs_from and governs_to and governs_to < governs_from:
        raise _fail(path, f"'governs_to' {governs_to} is before 'governs_from' {governs_from}")
    absorbs = data.get("absorbs", [])
    if not isinstance(absorbs, list) or not all(is_code(c) for c in absorbs):
        raise _fail(path, "'absorbs' must be a list of profile codes")
    kind = data.get("kind", "province")
    if kind not in ("province", "national"):
        raise _fail(path, f"'kind' must be \"province\" or \"national\", not {kind!r}")
    flags = {}
    for flag in ("receiving_body_confirmed", "deadline_confirmed"):
        flags[flag] = data.get(flag, True)
        if not isinstance(flags[flag], bool):
            raise _fail(path, f"'{flag}' must be true or false")
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(x, str) and x.strip() for x in sources):
        raise _fail(path, "'sources' must be a list of texts")
    threshold = _int(path, data, "small_cell_threshold", where, 0)
    label = data.get("small_cell_label", f"<{threshold}")
    if not isinstance(label, str) or not label.strip():
        raise _fail(path, f"'small_cell_label' must be non-empty text, not {label!r}")

    raw_targets = data.get("target", [])
    if not isinstance(raw_targets, list):
        raise _fail(path, "'target' must be an array of tables ([[target]])")
    targets = tuple(_target(path, n, raw) for n, raw in enumerate(raw_targets, start=1))
    seen: set[str] = set()
    for target in targets:
        if target.code in seen:
            raise _fail(path, f"target {target.code!r}: duplicate code")
        seen.add(target.code)

    raw_campaigns = data.get("campaign", [])
    if not isinstance(raw_campaigns, list):
        raise _fail(path, "'campaign' must be an array of tables ([[campaign]])")
    campaigns = tuple(_campaign(path, n, raw) for n, raw in enumerate(raw_campaigns, start=1))

    if targets and not has_plan:
        raise _fail(path, "targets need a plan ('plan_number', 'plan_date', 'plan_title_vi')")
    return Profile(
        code=code,
        version=_version(path, data),
        province_vi=_text(path, data, "province_vi", where),
        province_en=_text(path, data, "province_en", where),
        plan_number=_text(path, data, "plan_number", where) if has_plan else "",
        plan_date=plan_date,
        plan_title_vi=_text(path, data, "plan_title_vi", where) if has_plan else "",
        period_start=period_start,
        period_end=period_end,
        receiving_body_vi=_text(path, data, "receiving_body_vi", where),
        receiving_body_en=_text(path, data, "receiving_body_en", where),
        report_deadline=_month_day(path, "'report_deadline'", data.get("report_deadline")),
        small_cell_threshold=threshold,
        small_cell_label=unicodedata.normalize("NFC", label.strip()),
        targets=targets,
        raw=_freeze(data),
        campaigns=campaigns,
        governs_from=governs_from,
        governs_to=governs_to,
        absorbs=tuple(absorbs),
        has_plan=has_plan,
        kind=kind,
        receiving_body_confirmed=flags["receiving_body_confirmed"],
        deadline_confirmed=flags["deadline_confirmed"],
        province_reports_to_vi=str(data.get("province_reports_to_vi") or "").strip(),
        province_reports_to_en=str(data.get("province_reports_to_en") or "").strip(),
        sources=tuple(unicodedata.normalize("NFC", x.strip()) for x in sources),
        plan_document_vi=str(data.get("plan_document_vi") or "Kế hoạch").strip(),
        plan_issuer_vi=str(data.get("issuing_body_vi") or data.get("province_vi") or "").strip(),
        plan_title_en=str(data.get("plan_title_en") or data.get("plan_title_vi") or "").strip(),
    )


def default_profiles_root() -> Path:
    from app import paths

    return paths.reference_dir() / "profiles"


def load_profile_versions(root: Path | None = None) -> list[Profile]:
    """Every version of every province profile under ``root`` (default: the shipped ``data/profiles``).

    Several files may hold versions of one code (versions differ); each governs its own dates.
    """
    root = (default_profiles_root() if root is None else Path(root)).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"province profile folder not found: {root}")
    # Read again only when a file changed (a test or an installer may write newer files).
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(root.glob("*.toml")))
    return list(_load_versions_cached(root, stamp))


@functools.lru_cache(maxsize=16)
def _load_versions_cached(root: Path, stamp: tuple) -> tuple[Profile, ...]:
    seen: dict[tuple[str, int], Path] = {}
    versions = []
    for path in sorted(root.glob("*.toml")):
        profile = load_profile_file(path)
        key = (profile.code, profile.version)
        if key in seen:
            raise _fail(path, f"profile {profile.code!r} version {profile.version} is already in {seen[key].name}")
        seen[key] = path
        versions.append(profile)
    return tuple(versions)


def load_profiles(root: Path | None = None) -> dict[str, Profile]:
    """The newest version of every province profile under ``root`` (default: the shipped
    ``data/profiles``), by code. `app.reference.periods` knows every version and which governs when."""
    profiles: dict[str, Profile] = {}
    for profile in load_profile_versions(root):
        if profile.code not in profiles or profile.version > profiles[profile.code].version:
            profiles[profile.code] = profile
    return profiles
