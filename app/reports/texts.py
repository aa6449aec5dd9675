"""What the officer writes for a report, kept in the node's `meta` table.

* Free-text parts of the annual report, per period:
  `report_text:<year>:<period>:<section>` with period "year", "H1", "H2", "Q1".."Q4";
  sections `TEXT_SECTIONS` (situation, leadership, difficulties, proposals).
* Report settings (header and signature): `report_setting:<name>`, names `SETTINGS`.

The texts may name people (an officer may forget); they are the node's own and
printed only in what the officer chooses to send. The audit log records that a
text was saved, never its content.
"""

from __future__ import annotations

import json
import unicodedata

from app.errors import ValidationFailed, FieldError
from app.targets import Period
from app.validation import check_text

TEXT_SECTIONS: dict[str, tuple[str, str]] = {
    "situation": ("Tình hình chung", "General situation"),
    "leadership": ("Công tác lãnh đạo, chỉ đạo", "Leadership and direction"),
    "difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "proposals": ("Đề xuất, kiến nghị", "Proposals"),
}
MAX_TEXT = 20_000

# name -> (Vietnamese label, English label)
SETTINGS: dict[str, tuple[str, str]] = {
    "superior_body": ("Cơ quan chủ quản", "Superior body"),
    "issuing_body": ("Cơ quan ban hành", "Issuing body"),
    "place": ("Địa danh", "Place name"),
    "doc_symbol": ("Ký hiệu văn bản", "Document symbol"),
    "doc_number": ("Số văn bản", "Document number"),
    "signer_authority": ("Thẩm quyền ký", "Signing authority"),
    "signer_title": ("Chức vụ người ký", "Signer's title"),
    "signer_name": ("Họ tên người ký", "Signer's name"),
    "recipients": ("Nơi nhận (thêm)", "Other recipients"),
}

_NODE_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ", "huyện ", "quận ", "thị xã ", "thành phố ", "tỉnh ")


def _key(period: Period, section: str) -> str:
    return f"report_text:{period.year}:{period.text_key}:{section}"


def _check_section(section: str) -> None:
    if section not in TEXT_SECTIONS:
        raise ValidationFailed([FieldError("section", f"Không có mục '{section}' trong báo cáo.",
                                           f"The report has no part '{section}'.")])


def report_texts(session, period: Period) -> dict[str, str]:
    """Every free-text part of the period's report (empty string where nothing is written)."""
    session.require("report.build")
    found = {row["key"]: row["value"] for row in session.store.query(
        "SELECT key, value FROM meta WHERE key LIKE ?", (f"report_text:{period.year}:{period.text_key}:%",))}
    return {name: json.loads(found[_key(period, name)]) if _key(period, name) in found else ""
            for name in TEXT_SECTIONS}


def report_text(session, period: Period, section: str) -> str:
    _check_section(section)
    return report_texts(session, period)[section]


def save_report_text(session, period: Period, section: str, text: str | None) -> None:
    """Keep the officer's text for one part of the period's report (empty text removes it)."""
    session.require("report.build")
    _check_section(section)
    check_text(section, text or "", *TEXT_SECTIONS[section])
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed([FieldError(section, f"Nội dung quá dài (tối đa {MAX_TEXT} ký tự).",
                                           f"The text is too long (at most {MAX_TEXT} characters).")])
    from app.cases.identity import check_free_text

    found = check_free_text(session, section, text)  # a name or phone recorded in a case (issue 13.8)
    if found:
        raise ValidationFailed(found)
    with session.store.transaction() as conn:
        if text:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (_key(period, section), json.dumps(text, ensure_ascii=False)))
        else:
            conn.execute("DELETE FROM meta WHERE key = ?", (_key(period, section),))
        session.audit(conn, "report.text", detail={"period": period.code, "section": section,
                                                   "length": len(text)})


def default_settings(session) -> dict:
    info = session.node_info
    name = info.name.strip()
    place = name
    for prefix in _NODE_PREFIXES:
        if place.lower().startswith(prefix):
            place = place[len(prefix):]
            break
    issuing = name
    if info.kind in ("commune", "district", "province"):
        # "Xã Thử Nghiệm" -> "Ủy ban nhân dân xã Thử Nghiệm" (the header prints it in capitals).
        lowered = name[:1].lower() + name[1:] if place != name else name
        issuing = f"Ủy ban nhân dân {lowered}"
    # A People's Committee heads its documents with its own name alone (Decree 30/2020/NĐ-CP; see
    # app.reports.annual.OWN_NAME_ONLY): no line for the province above it. Other bodies (a point run by a
    # mass organisation) write their superior body here themselves.
    superior = ""
    return {
        "superior_body": superior,
        "issuing_body": issuing,
        "place": place,
        "doc_symbol": "BC-UBND",
        "doc_number": "",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "",
        "recipients": [],
    }


def report_settings(session) -> dict:
    """The header and signature settings: what is saved, else sensible defaults from the node."""
    values = default_settings(session)
    for row in session.store.query("SELECT key, value FROM meta WHERE key LIKE 'report_setting:%'"):
        name = row["key"].split(":", 1)[1]
        if name in SETTINGS:
            values[name] = json.loads(row["value"])
    return values


def save_report_settings(session, **values) -> dict:
    session.require("report.build")
    errors = [FieldError(name, f"Không có cài đặt '{name}'.", f"There is no setting '{name}'.")
              for name in values if name not in SETTINGS]
    for name, value in values.items():
        if name in SETTINGS:
            for item in value if name == "recipients" and isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, str):
                    try:
                        check_text(name, item, *SETTINGS[name])
                    except ValidationFailed as failed:
                        errors += failed.errors
                        break
    if errors:
        raise ValidationFailed(errors)
    with session.store.transaction() as conn:
        for name, value in values.items():
            if name == "recipients":
                value = [unicodedata.normalize("NFC", str(v)).strip() for v in (value or []) if str(v).strip()]
            else:
                value = unicodedata.normalize("NFC", str(value or "")).strip()
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (f"report_setting:{name}", json.dumps(value, ensure_ascii=False)))
        session.audit(conn, "report.settings", detail={"changed": sorted(values)})
    return report_settings(session)
