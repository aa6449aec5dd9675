"""The `binhan` command line, composed above the rooms: the same core as the window, for scripts, support staff and
benchmarks.

Each room registers its own commands — `app.cli` (the core), `app.reports.cli`, `sync.cli`, `ui.cli` — and
imports its shared helpers downward from `app.cli_support`; nothing below imports this module.

Exit status: 0 done; 2 bad input, wrong password or refused (a message says which, and nothing was written);
1 anything unexpected (no stack trace shown). Passwords come from a prompt or the BINHAN_PASSWORD environment
variable.
"""

from __future__ import annotations

import argparse
import os
import sys

import app
from app import cli as core_cli
from app.cli_support import EXIT_BAD_INPUT, _lang, _say
from app.errors import BinhAnError, ValidationFailed
from app.reports import cli as reports_cli
from sync import cli as sync_cli
from ui import cli as window_cli

#: argparse's own words, as the person reads them: Vietnamese, then English. argparse looks each up through its
#: module-level `_` (gettext) at the moment it prints it, so pointing that name here once makes `binhan --help`,
#: every sub-command's help and every usage error bilingual like the rest of the program.
ARGPARSE_WORDS = {
    "usage: ": "cách dùng / usage: ",
    "options": "tùy chọn / options",
    "positional arguments": "tham số / positional arguments",
    "show this help message and exit": "hiện trợ giúp này rồi thoát / show this help message and exit",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi / error: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "còn thiếu / missing: %s",
    "unrecognized arguments: %s": "không hiểu / not understood: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "không có lựa chọn / no such choice %(value)r (chọn trong / choose from %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ / invalid value (%(type)s): %(value)r",
    "expected one argument": "cần một giá trị / expected one value",
    "expected at least one argument": "cần ít nhất một giá trị / expected at least one value",
    "expected at most one argument": "cần nhiều nhất một giá trị / expected at most one value",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn chưa rõ / ambiguous option: %(option)s (có thể là / could be %(matches)s)",
    "not allowed with argument %s": "không dùng cùng / not allowed with %s",
    "one of the arguments %s is required": "cần một trong / one of these is required: %s",
}


def _argparse_words(text: str) -> str:
    return ARGPARSE_WORDS.get(text, text)


argparse._ = _argparse_words  # type: ignore[attr-defined]  # see ARGPARSE_WORDS


def start(args) -> int:
    """No command: `--self-test` checks this copy on throwaway data; otherwise the window opens."""
    if args.self_test:
        from binhan.selftest import run as self_test

        return self_test()
    return window_cli.cmd_start(args)


def build_parser() -> argparse.ArgumentParser:
    # Given before or after the command: the subcommand's copy must not reset the main one's value.
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--data-dir", help="thư mục dữ liệu của đơn vị / the node's data folder")
    top.add_argument("--user", help="tên đăng nhập / user name")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu / data folder")
    common.add_argument("--user", default=argparse.SUPPRESS, help="tên đăng nhập / user name")

    parser = argparse.ArgumentParser(
        prog="binhan", parents=[top],
        description="Bình An — phòng ngừa và ứng phó với bạo lực trên cơ sở giới. / Bình An — preventing and "
                    "responding to gender-based violence.")
    parser.add_argument("--version", action="version", version=f"{app.NAME} {app.__version__}",
                        help="in phiên bản rồi thoát / print the version and exit")
    parser.add_argument("--demo", action="store_true",
                        help="mở cửa sổ trên dữ liệu mẫu tạm thời / open the window on throwaway demo data")
    parser.add_argument("--self-test", action="store_true",
                        help="tự kiểm tra bản cài trên dữ liệu tạm thời / check this copy works, on throwaway data")
    parser.set_defaults(func=start)
    sub = parser.add_subparsers(dest="command", title="lệnh / commands")
    for room in (core_cli, reports_cli, sync_cli, window_cli):
        room.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValidationFailed as exc:
        print(exc.message(_lang()), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BinhAnError as exc:
        print(exc.message(_lang()), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a stack trace (it could carry a record's values) to the screen
        from app.store.check import explain

        known = explain(exc)
        if known is not None:  # full, read-only or failing drive, damaged page: say which, never "unexpected"
            print(known.message(_lang()), file=sys.stderr)
            return EXIT_BAD_INPUT
        print(_say(f"Lỗi không mong đợi ({type(exc).__name__}). Dữ liệu đã lưu không bị ảnh hưởng.",
                   f"Unexpected error ({type(exc).__name__}). Saved data is not affected."), file=sys.stderr)
        if os.environ.get("BINHAN_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
