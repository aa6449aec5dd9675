"""The core's commands (`binhan init`, `case`, `activity`, `user`, `audit`, `backup`, …), registered by `binhan.cli`.

Exit status: 0 done; 2 bad input, wrong password or refused (a message says
which, and nothing was written); 1 anything unexpected (no stack trace shown).
Passwords come from a prompt or the BINHAN_PASSWORD environment variable.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from app.cli_support import (  # noqa: F401
    EXIT_BAD_INPUT,
    UsageError,
    _data_dir,
    _label,
    _lang,
    _open_node,
    _print_json,
    _read_json,
    _say,
    _secret,
    _session,
)
from app.errors import BinhAnError, ValidationFailed


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


def _find_case(session, key: str) -> str:
    # The same message for a case that does not exist and one of another point (issue 13.8).
    return session.cases.resolve(key)


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


def cmd_audit_accept(args) -> int:
    """The administrator records in the log what verify found about the file as a whole, and reseals."""
    from app import audit

    session = _session(args)
    try:
        verdict = audit.accept(session)
    finally:
        session.close()
    print(_say(f"Đã ghi nhận vào nhật ký: {verdict.reason_vi} Dấu niêm phong được đặt lại.",
               f"Recorded in the log: {verdict.reason_en} The seal was set again."))
    return 0


def cmd_check(args) -> int:
    """Full check without logging in (nothing is written): database, audit chain, outbox, backups."""
    from app.store import check
    from app.store.db import DatabaseError, Store

    if not args.user:
        raise UsageError("Lệnh này cần --user TÊN_ĐĂNG_NHẬP.", "This command needs --user USERNAME.")
    node = _open_node(args)
    db_key = node.test_password(args.user, _secret("BINHAN_PASSWORD", _say("Mật khẩu: ", "Password: "))).db_key
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
        if args.every is not None:
            hours = session.backups.set_every_hours(args.every)
            print(_say(f"Sao lưu tự động: khi có thay đổi, cách nhau ít nhất {hours:g} giờ.",
                       f"Automatic backups: after a change, at least {hours:g} hours apart."))
            return 0
        if args.list:
            for info in session.backups.list():
                print("\t".join([info.made_at or "?", f"{info.size}", info.node_code or "?",
                                 info.made_by or "?", info.reason or "?", str(info.path)]))
            return 0
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


def _new_password_checked(username: str, prompt_vi: str, prompt_en: str, demo: bool = False) -> str:
    """The new password from BINHAN_NEW_PASSWORD or a prompt, refused (exit 2, nothing written) when weak."""
    from app.accounts import password_problems

    password = _secret("BINHAN_NEW_PASSWORD", _say(prompt_vi, prompt_en))
    problems = [] if demo else password_problems(password, username=username, path="password")
    if problems:
        raise ValidationFailed(problems)
    return password


def cmd_user_add(args) -> int:
    from app.node import Node

    demo = bool(Node.open(_data_dir(args)).info.demo)
    new_password = _new_password_checked(args.username, "Mật khẩu cho người dùng mới: ", "New user's password: ",
                                         demo)
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
        rows = session.accounts()
    finally:
        session.close()
    if args.json:
        _print_json([dict(r.__dict__) for r in rows])
        return 0
    for a in rows:
        state = [] if a.active else [_say("vô hiệu hóa", "disabled")]
        if a.locked:
            state.append(_say("bị khóa", "locked"))
        if a.must_change_password:
            state.append(_say("phải đổi mật khẩu", "must change password"))
        print("\t".join([a.username, a.role, a.point_name or a.point_id or "", a.display_name,
                         a.last_login or "", ", ".join(state)]))
    return 0


def cmd_user_disable(args) -> int:
    session = _session(args)
    try:
        session.disable_user(args.username)
    finally:
        session.close()
    print(_say(f"Đã vô hiệu hóa tài khoản {args.username}; khóa của tài khoản này đã bị gỡ.",
               f"Account {args.username} disabled; its keys were removed."))
    return 0


def _print_one_time(username: str, password: str) -> None:
    print(_say(f"Mật khẩu dùng một lần của {username} (chỉ hiện một lần; phải đổi ở lần đăng nhập tới):",
               f"One-time password of {username} (shown once; must be changed at the next log-in):"))
    print(f"    {password}")


def cmd_user_enable(args) -> int:
    session = _session(args)
    try:
        password = session.enable_user(args.username)
    finally:
        session.close()
    _print_one_time(args.username, password)
    return 0


def cmd_user_unlock(args) -> int:
    session = _session(args)
    try:
        session.unlock_user(args.username)
    finally:
        session.close()
    print(_say(f"Đã mở khóa tài khoản {args.username}.", f"Account {args.username} unlocked."))
    return 0


def cmd_user_role(args) -> int:
    session = _session(args)
    try:
        session.set_role(args.username, args.role, args.point)
    finally:
        session.close()
    print(_say(f"Đã đổi vai trò của {args.username} thành {args.role}.",
               f"The role of {args.username} is now {args.role}."))
    return 0


def cmd_user_passwd(args) -> int:
    from app.node import Node

    if args.reset:
        session = _session(args)
        try:
            password = session.reset_password(args.reset)
        finally:
            session.close()
        _print_one_time(args.reset, password)
        return 0
    if not args.user:
        raise UsageError("Lệnh này cần --user TÊN_ĐĂNG_NHẬP.", "This command needs --user USERNAME.")
    demo = bool(Node.open(_data_dir(args)).info.demo)
    new_password = _new_password_checked(args.user, "Mật khẩu mới: ", "New password: ", demo)
    session = _session(args)
    try:
        session.change_password(os.environ.get("BINHAN_PASSWORD") or "", new_password) \
            if os.environ.get("BINHAN_PASSWORD") is not None else session.change_password(
                getpass.getpass(_say("Mật khẩu hiện tại (nhập lại): ", "Current password (again): ")), new_password)
    finally:
        session.close()
    print(_say("Đã đổi mật khẩu.", "Password changed."))
    return 0


def cmd_slots(args) -> int:
    from app.node import Node

    if args.new_recovery_key:
        session = _session(args)
        try:
            key = session.new_recovery_key()
        finally:
            session.close()
        print(_say("MÃ KHÔI PHỤC MỚI (chỉ hiện một lần — in ra và cất giữ an toàn; mã cũ hết hiệu lực):",
                   "NEW RECOVERY KEY (shown once — print it and lock it away; the old one stops working):"))
        print(f"    {key}")
        return 0
    node = Node.open(_data_dir(args))
    print(", ".join(node.slot_kinds()))
    return 0


def cmd_recover(args) -> int:
    node = _open_node(args)
    recovery = _secret("BINHAN_RECOVERY_KEY", _say("Mã khôi phục: ", "Recovery key: "))
    new_password = _secret("BINHAN_NEW_PASSWORD", _say("Mật khẩu mới: ", "New password: "))
    session = node.recover(recovery, args.user, new_password)
    for vi, en in session.notices:
        print(_say(vi, en), file=sys.stderr)
    session.close()
    print(_say(f"Đã đặt mật khẩu mới cho {args.user}.", f"New password set for {args.user}."))
    return 0


# --- parser --------------------------------------------------------------------------------
def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the core's commands to the `binhan` parser (`binhan.cli` composes every room's)."""
    from app.accounts.roles import ROLES

    p = sub.add_parser("init", parents=[common], help="thiết lập đơn vị / set up a node")
    p.add_argument("--kind", default="commune", choices=["point", "commune", "district", "province"],
                   help="loại đơn vị (mặc định: xã) / the kind of node (default: commune)")
    p.add_argument("--name", required=True, help="tên đơn vị, ví dụ «UBND xã …» / the node's name")
    p.add_argument("--code", required=True, help="mã đơn vị (chữ, số, - và _) / the node's code (letters, digits, - _)")
    p.add_argument("--parent", help="mã của cấp trên, nếu đã biết / the parent's code, if known")
    p.add_argument("--profile", default="thai_binh", help="hồ sơ tỉnh có sẵn / a shipped province profile")
    p.add_argument("--profile-file", help="tệp hồ sơ tỉnh (TOML) do tỉnh gửi / a profile file from the province")
    p.add_argument("--admin", default="admin", help="tên đăng nhập của quản trị viên / the administrator's user name")
    p.add_argument("--admin-name", help="họ tên quản trị viên / the administrator's full name")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", parents=[common], help="tạo đơn vị mẫu / create a demo node")
    p.add_argument("--scale", choices=["commune", "province"], default="commune",
                   help="cỡ dữ liệu mẫu: một xã hoặc cả tỉnh / demo size: one commune or a whole province")
    p.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (cùng số, cùng dữ liệu) / random seed")
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
    p = act.add_parser("add", parents=[common], help="ghi hoạt động từ tệp JSON / record activities from JSON")
    p.add_argument("--json", required=True, metavar="FILE",
                   help="tệp JSON (hoặc - để đọc từ đầu vào chuẩn) / JSON file (or - for standard input)")
    p.set_defaults(func=cmd_activity_add)
    p = act.add_parser("list", parents=[common], help="danh sách hoạt động / list activities")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.add_argument("--kind", help="mã loại hoạt động / activity kind code")
    p.add_argument("--year", type=int, help="năm / year")
    p.add_argument("--search", help="tìm theo tên (không cần dấu) / search titles (accents optional)")
    p.add_argument("--limit", type=int, help="số dòng tối đa / at most this many rows")
    p.set_defaults(func=cmd_activity_list)
    p = act.add_parser("show", parents=[common], help="xem một hoạt động / show one activity")
    p.add_argument("id", help="mã hoạt động / the activity's id")
    p.set_defaults(func=cmd_activity_show)

    aud = sub.add_parser("audit", help="nhật ký / audit log").add_subparsers(dest="audit_command", required=True)
    p = aud.add_parser("verify", parents=[common],
                       help="kiểm tra chuỗi nhật ký và dấu niêm phong / verify the chain and its seal")
    p.set_defaults(func=cmd_audit_verify)
    p = aud.add_parser("accept", parents=[common],
                       help="quản trị viên ghi nhận tệp đã bị thay (vd. chép bản sao lưu bằng tay) / the administrator "
                            "records that the file was replaced (a backup copied in by hand)")
    p.set_defaults(func=cmd_audit_accept)

    p = sub.add_parser("check", parents=[common], help="kiểm tra toàn vẹn dữ liệu / check the data is whole")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="sao lưu / back up")
    p.add_argument("--list", action="store_true",
                   help="liệt kê: ngày, cỡ, đơn vị, người tạo, lý do, tệp / list: date, size, node, who, why, file")
    p.add_argument("--every", type=float, metavar="HOURS",
                   help="sao lưu tự động cách nhau ít nhất ngần này giờ (mặc định 6) / "
                        "automatic backups at least this many hours apart (default 6)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help="khôi phục / restore")
    p.add_argument("file", help="tệp sao lưu / the backup file")
    p.add_argument("--force", action="store_true",
                   help="khôi phục cả bản sao lưu của đơn vị khác / restore a backup of another node too")
    p.set_defaults(func=cmd_restore)

    user = sub.add_parser("user", help="tài khoản / accounts",
                          description="Quản lý tài khoản (quản trị viên) / manage accounts (administrator)"
                          ).add_subparsers(dest="user_command", required=True)
    p = user.add_parser("list", parents=[common], help="danh sách tài khoản / list the accounts",
                        description="Danh sách tài khoản: vai trò, điểm, lần đăng nhập cuối, bị khóa hay vô hiệu hóa. / "
                                    "The accounts: role, point, last log-in, locked or disabled.")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.set_defaults(func=cmd_user_list)
    p = user.add_parser("add", parents=[common], help="thêm tài khoản / add an account",
                        description="Thêm tài khoản; mật khẩu lấy từ BINHAN_NEW_PASSWORD hoặc được hỏi, ít nhất 10 ký "
                                    "tự và khó đoán. / Add an account; its password comes from BINHAN_NEW_PASSWORD or "
                                    "a prompt, at least 10 characters and hard to guess.")
    p.add_argument("username", help="tên đăng nhập mới / the new user name")
    p.add_argument("--role", required=True, choices=list(ROLES), help="vai trò / role")
    p.add_argument("--name", help="họ tên hiển thị / display name")
    p.add_argument("--point", help="mã điểm (bắt buộc với cadre) / point id (required for a cadre)")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("disable", parents=[common], help="vô hiệu hóa tài khoản / disable an account",
                        description="Vô hiệu hóa tài khoản: khóa của tài khoản bị gỡ ngay. / Disable an account: its "
                                    "keys are removed at once.")
    p.add_argument("username", help="tên đăng nhập / user name")
    p.set_defaults(func=cmd_user_disable)
    p = user.add_parser("enable", parents=[common], help="bật lại tài khoản / enable an account",
                        description="Bật lại tài khoản đã vô hiệu hóa; in mật khẩu dùng một lần. / Enable a disabled "
                                    "account; prints a one-time password.")
    p.add_argument("username", help="tên đăng nhập / user name")
    p.set_defaults(func=cmd_user_enable)
    p = user.add_parser("passwd", parents=[common], help="đổi mật khẩu / change a password",
                        description="Đổi mật khẩu của chính mình (mật khẩu mới từ BINHAN_NEW_PASSWORD hoặc được hỏi), "
                                    "hoặc --reset TÊN: quản trị viên cấp mật khẩu dùng một lần. / Change your own "
                                    "password (the new one from BINHAN_NEW_PASSWORD or a prompt), or --reset NAME: "
                                    "an administrator gives a one-time password.")
    p.add_argument("--reset", metavar="NAME", help="cấp mật khẩu dùng một lần cho NAME / give NAME a one-time password")
    p.set_defaults(func=cmd_user_passwd)
    p = user.add_parser("unlock", parents=[common], help="mở khóa tài khoản / unlock an account",
                        description="Mở khóa tài khoản bị khóa do nhập sai mật khẩu nhiều lần. / Unlock an account "
                                    "locked after too many wrong passwords.")
    p.add_argument("username", help="tên đăng nhập / user name")
    p.set_defaults(func=cmd_user_unlock)
    p = user.add_parser("role", parents=[common], help="đổi vai trò / change a role",
                        description="Đổi vai trò (và điểm) của tài khoản; khóa thông tin nhận dạng được cấp lại theo "
                                    "vai trò mới. / Change an account's role (and point); identity keys follow.")
    p.add_argument("username", help="tên đăng nhập / user name")
    p.add_argument("--role", required=True, choices=list(ROLES), help="vai trò / role")
    p.add_argument("--point", help="mã điểm (với cadre) / point id (for a cadre)")
    p.set_defaults(func=cmd_user_role)

    p = sub.add_parser("slots", parents=[common], help="các khe khóa / key slots")
    p.add_argument("--new-recovery-key", action="store_true",
                   help="tạo mã khôi phục mới (quản trị viên, cần --user) / make a new recovery key (administrator)")
    p.set_defaults(func=cmd_slots)
    p = sub.add_parser("recover", parents=[common], help="mở bằng mã khôi phục / use the recovery key")
    p.set_defaults(func=cmd_recover)
