"""Commune codes after the 2025 arrangement: which former communes each new commune took in.

One file a province, `data/commune_maps/<province>.toml` (see the shipped one
for its fields): from `effective` on, the communes listed under `old` are part
of `new_code`. Reports of earlier years can then be made per former commune
(as the records were kept) or for the new commune (`report_unit`).

Pure Python, `tomllib` only.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CommuneMap", "Merge", "load_all_commune_maps", "load_commune_map", "maps_root"]


@dataclass(frozen=True)
class Merge:
    new_code: str
    new_name_vi: str
    old: tuple[str, ...]  # former communes taken in whole (or, for a divided one, whose main successor this is)
    old_names: tuple[str, ...] = ()  # their names, in the same order (may be empty)
    parts: tuple[str, ...] = ()  # divided former communes of which only a part came here (reported elsewhere)


@dataclass(frozen=True)
class CommuneMap:
    province: str
    version: int
    effective: _dt.date
    confirmed: bool
    merges: tuple[Merge, ...] = ()
    _by_old: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for merge in self.merges:
            for code in merge.old:
                if code in self._by_old:
                    raise ValueError(f"commune map {self.province}: {code!r} is merged twice")
                self._by_old[code] = merge

    def new_code(self, code: str, on: _dt.date) -> str:
        """The code `code` reports under on `on`: the new commune's from the arrangement on, else itself."""
        merge = self._by_old.get(code)
        return merge.new_code if merge is not None and on >= self.effective else code

    def old_codes(self, new_code: str) -> tuple[str, ...]:
        """The former communes a new commune took in (empty for a commune that took in none)."""
        return next((m.old for m in self.merges if m.new_code == new_code), ())

    def report_unit(self, code: str, period_start: _dt.date, *, as_new: bool) -> str:
        """The unit a record of commune `code` is reported under for a period: the former commune as the
        records were kept (`as_new=False`), or the new commune for every year (`as_new=True`)."""
        if as_new:
            merge = self._by_old.get(code)
            return merge.new_code if merge is not None else code
        return self.new_code(code, period_start)


def maps_root() -> Path:
    from app import paths

    return paths.reference_dir() / "commune_maps"


def _date(value, path: Path) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    raise ValueError(f"{path}: 'effective' must be a date such as 2025-07-01")


def load_commune_map(province: str, root: Path | None = None) -> CommuneMap | None:
    """The province's map, or None when it has none."""
    path = (maps_root() if root is None else Path(root)) / f"{province}.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    if data.get("province") != province:
        raise ValueError(f"{path}: 'province' must be {province!r}")
    merges = []
    for number, raw in enumerate(data.get("merge", []), start=1):
        old = raw.get("old")
        if not isinstance(raw.get("new_code"), str) or not isinstance(old, list) or not old \
                or not all(isinstance(c, str) and c.strip() for c in old):
            raise ValueError(f"{path}: merge {number} needs 'new_code' and a list 'old' of codes")
        names = raw.get("old_names", [])
        parts = raw.get("parts", [])
        if not isinstance(names, list) or (names and len(names) != len(old)) \
                or not isinstance(parts, list) or not all(isinstance(c, str) and c.strip() for c in parts):
            raise ValueError(f"{path}: merge {number}: 'old_names' must name each of 'old', 'parts' be codes")
        merges.append(Merge(raw["new_code"].strip(), str(raw.get("new_name_vi", "")).strip(),
                            tuple(c.strip() for c in old), tuple(str(n).strip() for n in names),
                            tuple(c.strip() for c in parts)))
    new_codes = [m.new_code for m in merges]
    if len(set(new_codes)) != len(new_codes):
        raise ValueError(f"{path}: a new commune is listed twice")
    return CommuneMap(province=province, version=int(data.get("version", 1)),
                      effective=_date(data.get("effective"), path), confirmed=bool(data.get("confirmed", False)),
                      merges=tuple(merges))


def load_all_commune_maps(root: Path | None = None) -> list[CommuneMap]:
    """Every province's map (old commune codes are unique nationwide, so they never collide)."""
    folder = maps_root() if root is None else Path(root)
    if not folder.is_dir():
        return []
    return [m for m in (load_commune_map(p.stem, folder) for p in sorted(folder.glob("*.toml"))) if m is not None]
