"""`binhan targets` and `binhan report …`: the plan's targets and the reports from the command line.

Registered by `binhan.cli.build_parser()` with `register(sub, common)`. Errors are
raised as BinhAnError (exit 2 with the message, in `binhan.cli.main`).

    binhan targets [--year Y] [--period H1|H2|Q1..Q4] [--json]
    binhan report annual|statistics|activities|register|dv-statistics|case-data --year Y [--period P] --format pdf|xlsx|docx --out FILE
    binhan report annual --year Y --format pdf,xlsx --out bao-cao           (one build: bao-cao.pdf, bao-cao.xlsx)
    binhan report case-file --case CODE --out FILE          (officer only; restricted)
    binhan report person-file --case CODE [--case CODE…] --out FILE
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.errors import BinhAnError

PERIODS = ("H1", "H2", "Q1", "Q2", "Q3", "Q4")
FILE_FORMATS = ("pdf", "xlsx", "docx")
REPORT_KINDS = ("annual", "statistics", "activities", "register", "dv-statistics", "case-data", "case-file", "person-file")


class ReportUsageError(BinhAnError):
    pass


def _cli():
    import app.cli_support as cli  # the shared helpers, imported downward
    return cli


def _period(args):
    from app.targets import Period

    year = args.year if args.year is not None else date.today().year
    return Period.of(year, args.period)


def _value(result) -> str:
    return "—" if result.value is None else f"{result.value:.1f}%"


def cmd_targets(args) -> int:
    cli = _cli()
    from app.reference.periods import profile_for
    from app.targets import targets_for

    period = _period(args)
    session = cli._session(args)
    try:
        results = targets_for(session, period)
        profile = profile_for(session, period)
    finally:
        session.close()
    lang = cli._lang()
    if args.json:
        cli._print_json([r.as_dict() for r in results])
        return 0
    # Which plan the targets follow, said plainly (none, or the national baseline when no provincial plan covers it).
    for _kind, vi, en in (profile.notices if profile is not None else ()):
        print(cli._say(vi, en))
    if not results:
        if profile is None:
            print(cli._say("Đơn vị chưa có hồ sơ tỉnh nên chưa có chỉ tiêu.",
                           "This node has no province profile, so it has no targets."))
        return 0
    print(cli._say(f"Chỉ tiêu {period.label('vi')}", f"Targets, {period.label('en')}"))
    for r in results:
        numbers = "—" if r.denominator is None else f"{r.numerator}/{r.denominator}"
        print("\t".join([r.code, numbers, _value(r), r.goal_text, r.status_label(lang), r.label(lang)]))
    return 0


def _formats(text: str) -> tuple[str, ...]:
    """`--format pdf,xlsx`: the formats in the order given, each once."""
    formats: list[str] = []
    for part in text.split(","):
        fmt = part.strip().lower().lstrip(".")
        if fmt not in FILE_FORMATS:
            raise argparse.ArgumentTypeError(
                f"không có dạng '{part.strip()}' (chọn trong: {', '.join(FILE_FORMATS)}) / "
                f"no format '{part.strip()}' (choose from: {', '.join(FILE_FORMATS)})")
        if fmt not in formats:
            formats.append(fmt)
    return tuple(formats)


def _outs(out: str, formats: tuple[str, ...]) -> dict[str, Path]:
    """{format: path}: `out` itself for one format; for several, `out` with its extension replaced by each format's."""
    path = Path(out)
    if len(formats) == 1:
        return {formats[0]: path}
    stem = path.with_suffix("") if path.suffix.lower() in tuple(f".{f}" for f in FILE_FORMATS) else path
    return {fmt: stem.with_name(f"{stem.name}.{fmt}") for fmt in formats}


def _case_ids(session, keys: list[str]) -> list[str]:
    from app.errors import NotFound

    ids = []
    for key in keys:
        found = session.store.query("SELECT id FROM cases WHERE id = ? OR code = ?", (key, key))
        if not found:
            raise NotFound(f"Không có vụ việc '{key}'.", f"No case '{key}'.")
        ids.append(found[0]["id"])
    return ids


def cmd_report(args) -> int:
    cli = _cli()
    from app.reports import FORMATS, export_many

    kind = args.kind.replace("-", "_")
    formats = args.format or (FORMATS[kind][0],)
    if any(fmt not in FORMATS[kind] for fmt in formats):
        raise ReportUsageError(f"Báo cáo '{args.kind}' chỉ xuất được dạng: {', '.join(FORMATS[kind])}.",
                               f"The report '{args.kind}' can only be written as: {', '.join(FORMATS[kind])}.")
    per_case = kind in ("case_file", "person_file")
    if per_case and not args.case:
        raise ReportUsageError("Lệnh này cần --case MÃ_VỤ_VIỆC.", "This command needs --case CASE_CODE.")
    if not per_case and args.year is None:
        raise ReportUsageError("Lệnh này cần --year NĂM.", "This command needs --year YEAR.")
    period = None if per_case else _period(args)
    session = cli._session(args)
    try:
        case_ids = _case_ids(session, args.case) if per_case else None
        paths = export_many(session, kind, period, _outs(args.out, formats), case_ids=case_ids,
                            by_new_commune=args.by_new_commune)
    finally:
        session.close()
    for path in paths:
        print(cli._say(f"Đã ghi {path}", f"Written: {path}"))
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `targets` and `report` to the `binhan` command line."""
    p = subparsers.add_parser("targets", parents=[common], help="chỉ tiêu kế hoạch / the plan's targets")
    p.add_argument("--year", type=int, help="năm (mặc định: năm nay) / year (default: this year)")
    p.add_argument("--period", type=str.upper, choices=PERIODS, help="6 tháng hoặc quý / half or quarter")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.set_defaults(func=cmd_targets)

    p = subparsers.add_parser("report", parents=[common], help="lập báo cáo / write a report")
    p.add_argument("kind", choices=REPORT_KINDS, help="loại báo cáo / the kind of report")
    p.add_argument("--year", type=int, help="năm (mặc định: năm nay) / year (default: this year)")
    p.add_argument("--period", type=str.upper, choices=PERIODS,
                   help="6 tháng hoặc quý (mặc định: cả năm) / half year or quarter (default: the whole year)")
    p.add_argument("--format", type=_formats, metavar="pdf|xlsx|docx[,…]",
                   help="một dạng, hoặc nhiều dạng cách nhau bằng dấu phẩy (ví dụ pdf,xlsx: số liệu chỉ tính một lần); "
                        "mặc định: dạng thường dùng của báo cáo / one format, or several separated by commas (e.g. "
                        "pdf,xlsx: the figures are computed once); default: the report's usual format")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="tệp cần ghi; với nhiều dạng, đây là tên chung và phần đuôi được thay theo từng dạng "
                        "(--out bao-cao ghi bao-cao.pdf và bao-cao.xlsx) / the file to write; with several formats, "
                        "a common name whose extension is replaced for each format (--out report writes report.pdf "
                        "and report.xlsx)")
    p.add_argument("--case", action="append", metavar="CODE",
                   help="mã vụ việc (case-file, person-file) / case code")
    p.add_argument("--by-new-commune", action="store_true",
                   help="ở tỉnh: các bảng theo xã lập theo xã mới sau sắp xếp năm 2025 (gộp số liệu các xã cũ), thay vì "
                        "theo đơn vị đã ghi (annual, statistics) / at a province: the tables by commune by the new "
                        "communes of the 2025 arrangement (the former communes added up), instead of by the unit that "
                        "kept the records (annual, statistics)")
    p.set_defaults(func=cmd_report)
