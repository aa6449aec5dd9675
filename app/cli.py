"""The `binhan` command line: the same core as the window, for scripts, support staff and benchmarks.

Exit status: 0 done; 2 bad input, wrong password or refused (a message says
which, and nothing was written); 1 anything unexpected (no stack trace shown).
Passwords come from a prompt or the BINHAN_PASSWORD environment variable.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import app
from app.errors import BinhAnError, ValidationFailed

EXIT_BAD_INPUT = 2


def _lang() -> str:
    return "en" if os.environ.get("BINHAN_LANG", "vi").lower().startswith("en") else "vi"


def _say(vi: str, en: str) -> str:
    return en if _lang() == "en" else vi


class UsageError(BinhAnError):
    pass


# --- helpers -----------------------------------------------------------------------------
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


def _session(args):
    from app.node import Node

    if not args.user:
        raise UsageError("Lệnh này cần --user TÊN_ĐĂNG_NHẬP.", "This command needs --user USERNAME.")
    node = Node.open(_data_dir(args))
    password = _secret("BINHAN_PASSWORD", _say("Mật khẩu: ", "Password: "))
    return node.login(args.user, password)


def _read_json(path: str):
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Không đọc được tệp {path}: {exc.strerror}.", f"Cannot read {path}: {exc.strerror}.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"Tệp {path} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}.",
                         f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}.")


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _label(session, list_name: str, code) -> str:
    return session.reference[list_name].label(code, _lang()) if code else ""


# --- commands ------------------------------------------------------------------------------
def cmd_init(args) -> int:
    from app.node import Node

    password = _secret("BINHAN_PASSWORD", _say("Mật khẩu quản trị viên: ", "Administrator password: "))
    node, recovery = Node.create(
        _data_dir(args), kind=args.kind, name=args.name, code=args.code, parent_code=args.parent,
        profile_code=args.profile, admin_username=args.admin, admin_password=password,
        admin_display_name=args.admin_name, profile_file=Path(args.profile_file) if args.profile_file else None,
    )
    print(_say(f"Đã thiết lập đơn vị {args.name} ({args.code}) tại {node.data_dir}.",
               f"Node {args.name} ({args.code}) set up in {node.data_dir}."))
    print(_say("Các khe khóa: ", "Key slots: ") + ", ".join(node.slot_kinds()))
    if "keyring" not in node.slot_kinds():
        print(_say("Máy này không có kho khóa của hệ điều hành: chỉ mở được bằng mật khẩu hoặc mã khôi phục.",
                   "This machine has no OS keyring: only passwords and the recovery key open the data."))
    print()
    print(_say("MÃ KHÔI PHỤC (chỉ hiện một lần — in ra và cất giữ an toàn):",
               "RECOVERY KEY (shown once — print it and lock it away):"))
    print(f"    {recovery}")
    return 0


def cmd_demo(args) -> int:
    from app.demo import create_demo_node

    data_dir = _data_dir(args)

    def progress(done, total):
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    node, summary = create_demo_node(data_dir, scale=args.scale, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_say(f"Đã tạo đơn vị mẫu tại {data_dir}.", f"Demo node created in {data_dir}."))
    print(_say("Đăng nhập: admin / mật khẩu: demo", "Log in: admin / password: demo"))
    for key, value in summary.items():
        print(f"  {key}: {value}")
    return 0


def cmd_case_add(args) -> int:
    data = _read_json(args.json)
    session = _session(args)
    try:
        records = data if isinstance(data, list) else [data]
        saved = []
        with session.store.transaction():  # a file of several cases is saved whole or not at all
            for record in records:
                saved.append(session.cases.save(record))
    finally:
        session.close()
    for case in saved:
        print(f"{case['code']}\t{case['id']}\trev {case['rev']}")
    return 0


def _case_filter(args):
    from app.cases import CaseFilter

    return CaseFilter(status=args.status, violence_type=args.type, year=args.year, search=args.search or "")


def cmd_case_list(args) -> int:
    session = _session(args)
    try:
        rows = session.cases.list(_case_filter(args), limit=args.limit)
        if args.json:
            _print_json(rows)
        else:
            for r in rows:
                print("\t".join([r["code"], r["reported_on"], _label(session, "violence_type", r["violence_type"]),
                                 _label(session, "case_status", r["status"]), r["next_follow_up"] or ""]))
            print(_say(f"{len(rows)} vụ việc", f"{len(rows)} cases"), file=sys.stderr)
    finally:
        session.close()
    return 0


def _find_case(session, key: str) -> dict:
    from app.errors import NotFound

    found = session.store.query("SELECT id FROM cases WHERE id = ? OR code = ?", (key, key))
    if not found:
        raise NotFound(f"Không có vụ việc '{key}'.", f"No case '{key}'.")
    return found[0]["id"]


def cmd_case_show(args) -> int:
    session = _session(args)
    try:
        case = session.cases.get(_find_case(session, args.id), with_identity=args.identity)
    finally:
        session.close()
    if args.json:
        _print_json(case)
    else:
        for section, value in case.items():
            print(f"{section}: {json.dumps(value, ensure_ascii=False)}")
    return 0


def cmd_case_delete(args) -> int:
    session = _session(args)
    try:
        session.cases.delete(_find_case(session, args.id))
    finally:
        session.close()
    print(_say("Đã xóa (đánh dấu xóa).", "Deleted (tombstoned)."))
    return 0


def cmd_activity_add(args) -> int:
    data = _read_json(args.json)
    session = _session(args)
    try:
        records = data if isinstance(data, list) else [data]
        saved = []
        with session.store.transaction():
            for record in records:
                saved.append(session.activities.save(record))
    finally:
        session.close()
    for activity in saved:
        print(f"{activity['id']}\t{activity['starts_on']}\t{activity['title']}")
    return 0


def cmd_activity_list(args) -> int:
    from app.activities import ActivityFilter

    session = _session(args)
    try:
        flt = ActivityFilter(kind=args.kind, year=args.year, search=args.search or "")
        if args.json:
            _print_json([session.activities.get(i) for i in session.activities.ids(flt)[: args.limit]])
        else:
            rows = session.activities.list(flt, limit=args.limit)
            for r in rows:
                print("\t".join([r["starts_on"], _label(session, "activity_kind", r["kind"]), r["title"],
                                 str(r["participants_total"])]))
            print(_say(f"{len(rows)} hoạt động", f"{len(rows)} activities"), file=sys.stderr)
    finally:
        session.close()
    return 0


def cmd_activity_show(args) -> int:
    session = _session(args)
    try:
        _print_json(session.activities.get(args.id))
    finally:
        session.close()
    return 0


def cmd_audit_verify(args) -> int:
    session = _session(args)
    try:
        verdict = session.verify_audit()
    finally:
        # Closing writes a logout entry; verify first so the verdict is about what was there.
        session.close()
    print(verdict.message(_lang()))
    return 0 if verdict.ok else 3


def cmd_check(args) -> int:
    """Full check without logging in (nothing is written): database, audit chain, outbox, backups."""
    from app.node import Node
    from app.store import check
    from app.store.db import DatabaseError, Store

    if not args.user:
        raise UsageError("Lệnh này cần --user TÊN_ĐĂNG_NHẬP.", "This command needs --user USERNAME.")
    node = Node.open(_data_dir(args))
    db_key = node.slots.open_with_password(args.user, _secret("BINHAN_PASSWORD", _say("Mật khẩu: ", "Password: ")))
    try:
        store = Store.open(node.db_path, db_key, migrate=False)
    except (BinhAnError, DatabaseError) as exc:
        detail = exc.message("en") if isinstance(exc, BinhAnError) else str(exc)
        report = check.CheckReport([check.damaged(detail)], ["open"])
    else:
        try:
            report = check.full(store)
        finally:
            store.close()
    newest, damaged_backups = check.backups(node.backups_dir, db_key)
    for line in report.lines(_lang()):
        print(line)
    for finding in damaged_backups:
        print(finding.message(_lang()))
    if not report.ok:
        if newest is None:
            print(_say("Không có bản sao lưu tốt nào trong thư mục backups. Hãy liên hệ quản trị viên.",
                       "There is no good backup in the backups folder. Contact your administrator."))
        else:
            print(_say(f"Bản sao lưu tốt gần nhất: {newest}. Khôi phục: binhan restore \"{newest}\" — nếu không "
                       "đăng nhập được, chép tệp hỏng sang chỗ khác rồi chép tệp sao lưu này thành binhan.db.",
                       f"Newest good backup: {newest}. Restore: binhan restore \"{newest}\" — if you cannot log "
                       "in, move the damaged file aside and copy this backup to binhan.db."))
    return 0 if report.ok and not damaged_backups else 3


def cmd_backup(args) -> int:
    session = _session(args)
    try:
        path = session.backups.create()
    finally:
        session.close()
    print(_say(f"Đã sao lưu: {path}", f"Backup written: {path}"))
    return 0


def cmd_restore(args) -> int:
    session = _session(args)
    try:
        password = os.environ.get("BINHAN_PASSWORD") if args.force else None
        aside = session.backups.restore(Path(args.file), force=args.force, password=password)
    finally:
        session.close()
    print(_say(f"Đã khôi phục từ {args.file}. Tệp cũ được giữ lại: {aside}",
               f"Restored from {args.file}. The previous file was kept: {aside}"))
    return 0


def cmd_user_add(args) -> int:
    new_password = _secret("BINHAN_NEW_PASSWORD", _say("Mật khẩu cho người dùng mới: ", "New user's password: "))
    session = _session(args)
    try:
        account = session.add_user(args.username, new_password, args.role, args.name, point_id=args.point)
    finally:
        session.close()
    print(_say(f"Đã tạo tài khoản {account.username} ({account.role}).",
               f"Account {account.username} ({account.role}) created."))
    return 0


def cmd_user_list(args) -> int:
    session = _session(args)
    try:
        for a in session.accounts():
            print(f"{a.username}\t{a.role}\t{a.display_name}\t{'' if a.active else 'disabled'}")
    finally:
        session.close()
    return 0


def cmd_slots(args) -> int:
    from app.node import Node

    node = Node.open(_data_dir(args))
    print(", ".join(node.slot_kinds()))
    return 0


def cmd_recover(args) -> int:
    from app.node import Node

    node = Node.open(_data_dir(args))
    recovery = _secret("BINHAN_RECOVERY_KEY", _say("Mã khôi phục: ", "Recovery key: "))
    new_password = _secret("BINHAN_NEW_PASSWORD", _say("Mật khẩu mới: ", "New password: "))
    session = node.recover(recovery, args.user, new_password)
    session.close()
    print(_say(f"Đã đặt mật khẩu mới cho {args.user}.", f"New password set for {args.user}."))
    return 0


def _start_window(data_dir: Path, session=None) -> int:
    try:
        from ui.app import run_window
    except ImportError as exc:  # Qt missing system libraries: say so plainly
        print(_say(f"Không mở được cửa sổ: thiếu thư viện Qt ({exc}). Xem README, mục Linux.",
                   f"Cannot open the window: Qt libraries are missing ({exc}). See the README, Linux section."),
              file=sys.stderr)
        return 1
    return run_window(data_dir, session=session)


def cmd_start(args) -> int:
    """No command: open the window on this node (the demo node with --demo), or run --self-test."""
    if args.self_test:
        from app.selftest import run as self_test

        return self_test()
    if args.demo:
        from app.demo import create_demo_node
        from app.selftest import _MemoryKeyring
        from app.store import keyslots

        # A throwaway node must not leave an entry behind in the person's real keyring.
        keyslots.set_keyring_backend(_MemoryKeyring())
        folder = Path(tempfile.mkdtemp(prefix="binhan-demo-"))
        try:
            print(_say(f"Đang tạo dữ liệu mẫu trong {folder} …", f"Creating demo data in {folder} …"))
            node, _ = create_demo_node(folder / "node")
            session = node.login("admin", "demo")
            return _start_window(node.data_dir, session=session)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            keyslots.set_keyring_backend(None)
    # With no node in the folder yet, the window opens the set-up wizard.
    return _start_window(_data_dir(args))


def cmd_screenshots(args) -> int:
    """Render every page, the case form and the wizard offscreen on a throwaway demo node."""
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # read when the QApplication is made, just below
    try:
        from ui.screenshots import main as screenshots
    except ImportError as exc:
        print(_say(f"Không mở được Qt ({exc}).", f"Cannot load Qt ({exc})."), file=sys.stderr)
        return 1
    langs = (args.lang,) if args.lang else ("vi", "en")
    size = None
    if args.size:
        try:
            width, height = (int(n) for n in args.size.lower().split("x"))
        except ValueError:
            print(_say("--size phải có dạng RỘNGxCAO, ví dụ 1366x768.", "--size must read WIDTHxHEIGHT, e.g. 1366x768."),
                  file=sys.stderr)
            return 2
        size = (width, height)
    return screenshots(Path(args.out), langs=langs, size=size, text_percent=args.text_size)


# --- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    # Given before or after the command: the subcommand's copy must not reset the main one's value.
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--data-dir", help="thư mục dữ liệu của đơn vị / the node's data folder")
    top.add_argument("--user", help="tên đăng nhập / user name")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu / data folder")
    common.add_argument("--user", default=argparse.SUPPRESS, help="tên đăng nhập / user name")

    parser = argparse.ArgumentParser(prog="binhan", parents=[top],
                                     description="Bình An — phòng ngừa và ứng phó với bạo lực trên cơ sở giới.")
    parser.add_argument("--version", action="version", version=f"{app.NAME} {app.__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="mở cửa sổ trên dữ liệu mẫu tạm thời / open the window on throwaway demo data")
    parser.add_argument("--self-test", action="store_true",
                        help="tự kiểm tra bản cài trên dữ liệu tạm thời / check this copy works, on throwaway data")
    parser.set_defaults(func=cmd_start)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", parents=[common], help="thiết lập đơn vị / set up a node")
    p.add_argument("--kind", default="commune", choices=["point", "commune", "district", "province"])
    p.add_argument("--name", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--parent")
    p.add_argument("--profile", default="thai_binh", help="hồ sơ tỉnh có sẵn / a shipped province profile")
    p.add_argument("--profile-file", help="tệp hồ sơ tỉnh (TOML) do tỉnh gửi / a profile file from the province")
    p.add_argument("--admin", default="admin")
    p.add_argument("--admin-name")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[common], help="tạo đơn vị mẫu / create a demo node")
    p.add_argument("--scale", choices=["commune", "province"], default="commune")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_demo)

    case = sub.add_parser("case", help="vụ việc / cases").add_subparsers(dest="case_command", required=True)
    p = case.add_parser("add", parents=[common])
    p.add_argument("--json", required=True, metavar="FILE", help="JSON file (or - for standard input)")
    p.set_defaults(func=cmd_case_add)
    p = case.add_parser("list", parents=[common])
    p.add_argument("--json", action="store_true")
    p.add_argument("--status")
    p.add_argument("--type")
    p.add_argument("--year", type=int)
    p.add_argument("--search")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=cmd_case_list)
    p = case.add_parser("show", parents=[common])
    p.add_argument("id", help="id or code")
    p.add_argument("--json", action="store_true")
    p.add_argument("--identity", action="store_true", help="include identity (audited)")
    p.set_defaults(func=cmd_case_show)
    p = case.add_parser("delete", parents=[common])
    p.add_argument("id")
    p.set_defaults(func=cmd_case_delete)

    act = sub.add_parser("activity", help="hoạt động / activities").add_subparsers(dest="activity_command",
                                                                                   required=True)
    p = act.add_parser("add", parents=[common])
    p.add_argument("--json", required=True, metavar="FILE")
    p.set_defaults(func=cmd_activity_add)
    p = act.add_parser("list", parents=[common])
    p.add_argument("--json", action="store_true")
    p.add_argument("--kind")
    p.add_argument("--year", type=int)
    p.add_argument("--search")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=cmd_activity_list)
    p = act.add_parser("show", parents=[common])
    p.add_argument("id")
    p.set_defaults(func=cmd_activity_show)

    aud = sub.add_parser("audit", help="nhật ký / audit log").add_subparsers(dest="audit_command", required=True)
    p = aud.add_parser("verify", parents=[common])
    p.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("check", parents=[common], help="kiểm tra toàn vẹn dữ liệu / check the data is whole")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="sao lưu / back up")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help="khôi phục / restore")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="restore a backup of another node")
    p.set_defaults(func=cmd_restore)

    user = sub.add_parser("user", help="tài khoản / accounts").add_subparsers(dest="user_command", required=True)
    p = user.add_parser("add", parents=[common])
    p.add_argument("username")
    p.add_argument("--role", required=True)
    p.add_argument("--name")
    p.add_argument("--point")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("list", parents=[common])
    p.set_defaults(func=cmd_user_list)

    # Commands owned by their own rooms. sync/ sits above app/; the command line is the one
    # place that composes both, so it imports sync here and nowhere else in app/.
    from app.reports.cli import register as register_reports
    from sync.cli import register as register_sync

    register_reports(sub, common)
    register_sync(sub, common)

    p = sub.add_parser("screenshots", parents=[common], help="ảnh chụp các trang để rà soát / review screenshots")
    p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG / folder for the PNG files")
    p.add_argument("--lang", choices=["vi", "en"], help="một ngôn ngữ (mặc định: cả hai) / one language")
    p.add_argument("--size", help="cỡ màn hình, ví dụ 1366x768 / the screen's size, e.g. 1366x768")
    p.add_argument("--text-size", type=int, default=100, choices=range(100, 151), metavar="100-150",
                   help="cỡ chữ, phần trăm / text size, percent")
    p.add_argument("--scale", type=float, help="tỉ lệ hiển thị của hệ thống, ví dụ 1.25 (QT_SCALE_FACTOR) / "
                                               "the system's display scaling, e.g. 1.25")
    p.set_defaults(func=cmd_screenshots)

    p = sub.add_parser("slots", parents=[common], help="các khe khóa / key slots")
    p.set_defaults(func=cmd_slots)
    p = sub.add_parser("recover", parents=[common], help="mở bằng mã khôi phục / use the recovery key")
    p.set_defaults(func=cmd_recover)
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
