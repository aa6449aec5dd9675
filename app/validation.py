"""A small checker that collects every field error of a record at once.

Rules live in the core; the window shows each message next to the field named
by its path ("survivor.age", "perpetrators[1].relationship").
"""

from __future__ import annotations

import re
from datetime import date, datetime

from app.errors import FieldError, ValidationFailed
from app.text import bad_character, describe_bad, nfc

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_date(value) -> date | None:
    """ISO (2025-03-31) or dd/mm/yyyy (31/03/2025); None for empty; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(value.strip())


def show_date(value: str | None) -> str:
    """ISO date as a person reads it: dd/mm/yyyy."""
    if not value:
        return ""
    d = date.fromisoformat(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class Checker:
    """Collects errors; each `take_*` returns the cleaned value (or None when at fault)."""

    def __init__(self, reference, labels: dict[str, tuple[str, str]], today: date):
        self.reference = reference
        self.labels = labels
        self.today = today
        self.errors: list[FieldError] = []

    def label(self, path: str) -> tuple[str, str]:
        key = re.sub(r"\[\d+\]", "[]", path)
        vi, en = self.labels.get(key, (path, path))
        index = re.findall(r"\[(\d+)\]", path)
        if index:
            n = int(index[0]) + 1
            vi, en = f"{vi} (dòng {n})", f"{en} (row {n})"
        return vi, en

    def fail(self, path: str, vi: str, en: str) -> None:
        if not any(e.path == path for e in self.errors):
            self.errors.append(FieldError(path, vi, en))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    # --- field kinds ---------------------------------------------------------------
    def take_code(self, path: str, value, list_name: str, *, required: bool = False) -> str | None:
        vi, en = self.label(path)
        if value in (None, ""):
            if required:
                self.fail(path, f"Hãy chọn {_lower_first(vi)}.", f"Choose the {_lower_first(en)}.")
            return None
        options = self.reference[list_name]
        if not isinstance(value, str) or value not in options.codes:
            allowed = ", ".join(sorted(options.codes))
            self.fail(path, f"{vi}: giá trị '{value}' không có trong danh mục. Giá trị được phép: {allowed}.",
                      f"{en}: '{value}' is not in the list. Allowed: {allowed}.")
            return None
        return value

    def take_codes(self, path: str, values, list_name: str) -> list[str]:
        if values in (None, ""):
            return []
        if not isinstance(values, list):
            vi, en = self.label(path)
            self.fail(path, f"{vi}: phải là một danh sách.", f"{en}: must be a list.")
            return []
        cleaned = []
        for value in values:
            code = self.take_code(path, value, list_name)
            if code and code not in cleaned:
                cleaned.append(code)
        return cleaned

    def take_date(self, path: str, value, *, required: bool = False, not_future: bool = True) -> str | None:
        vi, en = self.label(path)
        try:
            parsed = parse_date(value)
        except (ValueError, TypeError):
            self.fail(path, f"{vi}: '{value}' không phải ngày hợp lệ (dd/mm/yyyy).",
                      f"{en}: '{value}' is not a valid date (dd/mm/yyyy).")
            return None
        if parsed is None:  # None or "": nothing entered
            if required:
                self.fail(path, f"Hãy nhập {_lower_first(vi)} (dd/mm/yyyy).", f"Enter the {_lower_first(en)} (dd/mm/yyyy).")
            return None
        if parsed.year < 1900:
            self.fail(path, f"{vi}: năm {parsed.year} không hợp lệ.", f"{en}: year {parsed.year} is not valid.")
            return None
        if not_future and parsed > self.today:
            self.fail(path, f"{vi} không được sau hôm nay ({show_date(self.today.isoformat())}).",
                      f"The {_lower_first(en)} cannot be after today ({show_date(self.today.isoformat())}).")
            return None
        return parsed.isoformat()

    def take_int(self, path: str, value, *, low: int, high: int, required: bool = False) -> int | None:
        vi, en = self.label(path)
        if value in (None, ""):
            if required:
                self.fail(path, f"Hãy nhập {_lower_first(vi)}.", f"Enter the {_lower_first(en)}.")
            return None
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
            self.fail(path, f"{vi} phải là số nguyên từ {low} đến {high}.",
                      f"The {_lower_first(en)} must be a whole number from {low} to {high}.")
            return None
        number = int(value)
        if not low <= number <= high:
            self.fail(path, f"{vi} phải từ {low} đến {high} (đã nhập {number}).",
                      f"The {_lower_first(en)} must be from {low} to {high} (got {number}).")
            return None
        return number

    def take_bool(self, path: str, value, *, default: bool | None = False) -> bool | None:
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if value in (0, 1):
            return bool(value)
        vi, en = self.label(path)
        self.fail(path, f"{vi}: chỉ nhận Có hoặc Không.", f"{en}: yes or no only.")
        return default

    def take_text(self, path: str, value, *, max_len: int = 200, required: bool = False) -> str | None:
        vi, en = self.label(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path, f"Hãy nhập {_lower_first(vi)}.", f"Enter the {_lower_first(en)}.")
            return None
        if not isinstance(value, str):
            self.fail(path, f"{vi} phải là chữ.", f"The {_lower_first(en)} must be text.")
            return None
        found = bad_character(value)
        if found is not None:
            self.fail(path, *describe_bad(vi, en, found))
            return None
        text = nfc(value.strip())
        if len(text) > max_len:
            self.fail(path, f"{vi} dài quá {max_len} ký tự.", f"The {_lower_first(en)} is longer than {max_len} characters.")
            return None
        return text

    def section(self, data: dict, name: str) -> dict:
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(name, f"Phần '{name}' phải là một nhóm trường.", f"Section '{name}' must be an object.")
            return {}
        return value

    def rows(self, data: dict, name: str) -> list[dict]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(name, f"Phần '{name}' phải là một danh sách.", f"Section '{name}' must be a list.")
            return []
        return value


def check_text(path: str, value: str, label_vi: str, label_en: str) -> None:
    """Raise ValidationFailed naming the field when `value` holds a character no text field may hold
    (`app.text.bad_character`): for text kept outside a `Checker` (report texts, settings)."""
    found = bad_character(value) if isinstance(value, str) else None
    if found is not None:
        raise ValidationFailed([FieldError(path, *describe_bad(label_vi, label_en, found))])


def _lower_first(label: str) -> str:
    """"Loại bạo lực (GBVIMS)" -> "loại bạo lực (GBVIMS)": keep acronyms as they are."""
    return label[:1].lower() + label[1:] if label else label
