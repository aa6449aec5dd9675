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
        # Earlier cases that may be the same person's: proposed only; the officer links them in the window.
        matches = {c["id"]: session.cases.person_matches(c["id"]) for c in saved
                   if session.can("identity.read")}
    finally:
        session.close()
    for case in saved:
        print(f"{case['code']}\t{case['id']}\trev {case['rev']}")
        for match in matches.get(case["id"]) or []:
            print(_say(f"  có thể cùng người với {match['code']} ({match['reported_on']}): liên kết trong cửa sổ nếu đúng",
                       f"  may be the same person as {match['code']} ({match['reported_on']}): link them in the "
                       "window if so"), file=sys.stderr)
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


def cmd_case_due(args) -> int:
    """What is due or overdue for the person logged in (follow-ups, action items, safety-plan reviews, closures
    to approve, identities past retention), high risk first."""
    session = _session(args)
    try:
        items = session.cases.due()
        if args.json:
            _print_json(items)
            return 0
        kinds = {"follow_up": ("theo dõi", "follow-up"), "action": ("việc cần làm", "action"),
                 "safety_review": ("rà soát kế hoạch an toàn", "safety-plan review"),
                 "closure_approval": ("duyệt kết thúc", "closure to approve"),
                 "retention": ("hết thời hạn lưu giữ nhận dạng", "identity past retention")}
        for item in items:
            flag = _say("QUÁ HẠN", "OVERDUE") if item["overdue"] else ""
            risk = _label(session, "risk_level", item["risk_level"]) if item["risk_level"] else ""
            print("\t".join([item["code"], item["due_on"], _say(*kinds[item["kind"]]), risk, flag]))
        print(_say(f"{len(items)} việc đến hạn", f"{len(items)} items due"), file=sys.stderr)
    finally:
        session.close()
    return 0


def cmd_case_erase_identity(args) -> int:
    """Erase one case's identity (the person's request, or the retention period passed)."""
    session = _session(args)
    try:
        case = session.cases.erase_identity(_find_case(session, args.id), reason=args.reason)
    finally:
        session.close()
    print(_say(f"Đã xóa thông tin nhận dạng của vụ việc {case['code']}; số liệu không nhận dạng vẫn được giữ.",
               f"The identity of case {case['code']} was erased; its de-identified facts are kept."))
    return 0


def cmd_case_retention(args) -> int:
    """Closed cases whose identity is held past the profile's retention period."""
    session = _session(args)
    try:
        rows = session.cases.retention_due()
        years = session.cases.retention_years()
    finally:
        session.close()
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        print("\t".join([r["code"], r["closed_on"], r["erase_from"]]))
    print(_say(f"{len(rows)} vụ việc quá {years} năm sau khi kết thúc còn giữ thông tin nhận dạng",
               f"{len(rows)} cases still hold an identity {years} years after closure"), file=sys.stderr)
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

        # No screen, no demo: said in one line before the throwaway folder is made (ui.app.no_display_message).
        try:
            from ui.app import no_display_message
        except ImportError:
            no_display_message = None
        problem = no_display_message() if no_display_message is not None else None
        if problem:
            print(problem, file=sys.stderr)
            return 1
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
    try:
        from ui.screenshots import main as screenshots
    except ImportError as exc:
        print(_say(f"Không mở được Qt ({exc}).", f"Cannot load Qt ({exc})."), file=sys.stderr)
        return 1
    langs = (args.lang,) if args.lang else ("vi", "en")
    return screenshots(Path(args.out), langs=langs)


# --- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from app.accounts.roles import ROLES

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
    p = case.add_parser("due", parents=[common], help="việc đến hạn / what is due")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_case_due)
    p = case.add_parser("erase-identity", parents=[common],
                        help="xóa thông tin nhận dạng (Luật 91/2025) / erase the identity")
    p.add_argument("id", help="id or code")
    p.add_argument("--reason", choices=["request", "retention"], default="request")
    p.set_defaults(func=cmd_case_erase_identity)
    p = case.add_parser("retention", parents=[common], help="rà soát thời hạn lưu giữ / retention review")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_case_retention)

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
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="restore a backup of another node")
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

    # Commands owned by their own rooms. sync/ sits above app/; the command line is the one
    # place that composes both, so it imports sync here and nowhere else in app/.
    from app.reports.cli import register as register_reports
    from sync.cli import register as register_sync

    register_reports(sub, common)
    register_sync(sub, common)

    p = sub.add_parser("screenshots", parents=[common], help="ảnh chụp các trang để rà soát / review screenshots")
    p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG / folder for the PNG files")
    p.add_argument("--lang", choices=["vi", "en"], help="một ngôn ngữ (mặc định: cả hai) / one language")
    p.set_defaults(func=cmd_screenshots)

    p = sub.add_parser("slots", parents=[common], help="các khe khóa / key slots")
    p.add_argument("--new-recovery-key", action="store_true",
                   help="tạo mã khôi phục mới (quản trị viên, cần --user) / make a new recovery key (administrator)")
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
