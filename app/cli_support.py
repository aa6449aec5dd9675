"""What every room's commands share: messages in the person's language, the node and session of --data-dir and
--user, secrets from the environment or a prompt, JSON in and out, and the usage error (exit 2).

The command line is composed above the rooms (`binhan.cli`); `app.cli`, `app.reports.cli`, `sync.cli` and
`ui.cli` each register their commands there and import these helpers from here, downward.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from app.errors import BinhAnError

EXIT_BAD_INPUT = 2


def _lang() -> str:
    return "en" if os.environ.get("BINHAN_LANG", "vi").lower().startswith("en") else "vi"


def _say(vi: str, en: str) -> str:
    return en if _lang() == "en" else vi


class UsageError(BinhAnError):
    pass


def _data_dir(args) -> Path:
    from app.paths import default_data_dir

    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"Thiếu mật khẩu: đặt biến môi trường {env} hoặc chạy trong cửa sổ lệnh để nhập.",
                         f"No password: set {env} or run in a terminal to type it.")
    return getpass.getpass(prompt)


def _open_node(args):
    """The node of --data-dir; what its opening made private is said on standard error (DESIGN §5)."""
    from app.node import Node
    from app.store.privacy import messages

    node = Node.open(_data_dir(args))
    for line in messages(node.folder_repairs, _lang()):
        print(line, file=sys.stderr)
    return node


def _session(args):
    if not args.user:
        raise UsageError("Lệnh này cần --user TÊN_ĐĂNG_NHẬP.", "This command needs --user USERNAME.")
    node = _open_node(args)
    password = _secret("BINHAN_PASSWORD", _say("Mật khẩu: ", "Password: "))
    session = node.login(args.user, password)
    for vi, en in session.notices:
        print(_say(vi, en), file=sys.stderr)
    return session


def _read_json(path: str):
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Không đọc được tệp {path}: {exc.strerror}.", f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"Tệp {path} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}.",
                         f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}.") from exc


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _label(session, list_name: str, code) -> str:
    return session.reference[list_name].label(code, _lang()) if code else ""


__all__ = ["EXIT_BAD_INPUT", "UsageError", "_data_dir", "_label", "_lang", "_open_node", "_print_json",
           "_read_json", "_say", "_secret", "_session"]
