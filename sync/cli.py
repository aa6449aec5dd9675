"""`binhan keys|profile|register|sync …`: the sync commands, added to the main parser by `register()`.

Same rules as binhan/cli.py: exit 0 done; 2 refused or bad input (a message in the
person's language says which, and nothing was changed); passwords and
passphrases from the environment (BINHAN_PASSWORD, BINHAN_KEY_PASSPHRASE) or a
prompt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

EXIT_BAD_INPUT = 2


def _cli():
    import app.cli_support as cli  # the shared helpers: _session, _say, _lang, _secret, UsageError

    return cli


def _say(vi: str, en: str) -> str:
    return _cli()._say(vi, en)


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _with_session(run):
    """Open a session for the command, run it, always close it."""
    def command(args) -> int:
        session = _cli()._session(args)
        try:
            return run(session, args)
        finally:
            session.close()
    return command


def _passphrase(confirm: bool) -> str:
    cli = _cli()
    value = cli._secret("BINHAN_KEY_PASSPHRASE", _say("Mật khẩu tệp sao lưu khóa: ", "Key backup passphrase: "))
    if confirm and "BINHAN_KEY_PASSPHRASE" not in os.environ:
        again = cli._secret("BINHAN_KEY_PASSPHRASE", _say("Nhập lại: ", "Again: "))
        if again != value:
            raise cli.UsageError("Hai lần nhập không giống nhau.", "The two entries differ.")
    return value


# --- keys -----------------------------------------------------------------------------------------------
def _keys_fingerprint(session, args) -> int:
    from sync import keys as node_keys

    fingerprint = node_keys.own_fingerprint(session)
    info = session.node_info
    if args.json:
        _print_json({"node": info.as_dict(), "fingerprint": fingerprint, "keys": node_keys.public_keys(session)})
    else:
        print(_say(f"Mã đối chiếu của {info.name} ({info.code}):", f"Fingerprint of {info.name} ({info.code}):"))
        print(f"    {fingerprint}")
        print(_say("Đọc mã này qua điện thoại cho người ở cấp trên/cấp dưới để đối chiếu.",
                   "Read it out by phone to the person at the other node to compare."))
    return 0


def _keys_rotate(session, args) -> int:
    from sync import keys as node_keys

    node_keys.rotate(session)
    print(_say(f"Đã tạo khóa mới. Mã đối chiếu mới: {node_keys.own_fingerprint(session)}. Hãy gửi tệp đăng ký "
               "mới cho cấp trên (và hồ sơ mới cho cấp dưới, nếu có).",
               f"New keys created. New fingerprint: {node_keys.own_fingerprint(session)}. Send the parent a new "
               "registration file (and the children a new profile, if any)."))
    return 0


def _keys_backup(session, args) -> int:
    from sync import keys as node_keys

    path = node_keys.export_backup(session, Path(args.file), _passphrase(confirm=True))
    print(_say(f"Đã sao lưu khóa vào {path}. Cất tệp và mật khẩu ở hai nơi an toàn khác nhau.",
               f"Keys backed up to {path}. Keep the file and the passphrase in two separate safe places."))
    return 0


def _keys_restore(session, args) -> int:
    from sync import keys as node_keys

    summary = node_keys.import_backup(session, Path(args.file), _passphrase(confirm=False))
    node = summary["node"]
    print(_say(f"Đã khôi phục {summary['keys_restored']} khóa của {node['name']} ({node['code']}).",
               f"Restored {summary['keys_restored']} keys of {node['name']} ({node['code']})."))
    if summary["adopted"]:
        print(_say("Đơn vị này sẽ nhận các gói gửi cho đơn vị cũ đó.",
                   "This node will accept packages addressed to that former node."))
    return 0


# --- profile and registration ------------------------------------------------------------------------------------
def _profile_export(session, args) -> int:
    from sync import enrol

    path = enrol.export_profile(session, Path(args.out) if args.out else None)
    print(path)
    print(_say(f"Mã đối chiếu của đơn vị này: {_own_fp(session)}", f"This node's fingerprint: {_own_fp(session)}"))
    return 0


def _own_fp(session) -> str:
    from sync import keys as node_keys

    return node_keys.own_fingerprint(session)


def _profile_import(session, args) -> int:
    from sync import enrol

    shown = enrol.import_profile(session, Path(args.file), accept_fingerprint=args.accept, replace=args.replace)
    node = shown["node"]
    print(_say(f"Đã nhận hồ sơ của {node['name']} ({node['code']}).",
               f"Profile of {node['name']} ({node['code']}) imported."))
    print(_say("Mã đối chiếu (đối chiếu qua điện thoại):", "Fingerprint (compare by phone):"))
    print(f"    {shown['fingerprint']}")
    if shown["keys_changed"]:
        print(_say("Cấp trên đã đổi khóa.", "The parent has changed its keys."))
    if shown.get("lineage_warning"):
        print(_say(*shown["lineage_warning"]))
    return 0


def _profile_list(session, args) -> int:
    from app.reference.periods import profile_list

    rows = profile_list(session)
    if args.json:
        import json
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{'*' if row['in_force'] else ' '} {row['code']} v{row['version']}  {row['governs']}  "
              f"{row['plan'] or _say('(không có kế hoạch)', '(no plan)')}  [{row['source']}]")
        for source in row["sources"]:
            print(f"      {source}")
    print(_say("* phiên bản áp dụng hôm nay", "* the version in force today"))
    return 0


def _register_export(session, args) -> int:
    from sync import enrol

    path = enrol.export_registration(session, Path(args.out) if args.out else None)
    print(path)
    print(_say(f"Đọc mã đối chiếu này cho cán bộ cấp trên qua điện thoại: {_own_fp(session)}",
               f"Read this fingerprint to the parent's officer by phone: {_own_fp(session)}"))
    return 0


def _register_import(session, args) -> int:
    from sync import enrol
    from sync.errors import FingerprintRequired

    try:
        shown = enrol.import_registration(session, Path(args.file), accept_fingerprint=args.accept)
    except FingerprintRequired as exc:
        print(exc.message(_cli()._lang()), file=sys.stderr)
        print(_say("Sau khi đối chiếu, chạy lại với --accept \"MÃ\".",
                   "Once compared, run again with --accept \"CODE\"."), file=sys.stderr)
        return EXIT_BAD_INPUT
    node = shown["node"]
    print(_say(f"Đã đăng ký {node['name']} ({node['code']}). Mã đối chiếu: {shown['fingerprint']}",
               f"Registered {node['name']} ({node['code']}). Fingerprint: {shown['fingerprint']}"))
    return 0


def _register_revoke(session, args) -> int:
    from sync import enrol

    child = enrol.revoke_child(session, args.code)
    print(_say(f"Đã thu hồi đăng ký của {child['name']} ({child['code']}): gói của đơn vị này sẽ bị từ chối.",
               f"Revoked the registration of {child['name']} ({child['code']}): its packages will be refused."))
    return 0


# --- sync ----------------------------------------------------------------------------------------------------------
def _sync_export(session, args) -> int:
    """Up: the package for the parent (if any). Down: a down-package for each enrolled child (if any)."""
    from sync import down, enrol, package
    from sync.errors import NoParent
    from sync.transports import folder

    has_parent = enrol.parent(session) is not None
    downs = down.build_all(session)
    if not has_parent and not downs:
        raise NoParent()
    if has_parent:
        built = package.build(session, part_limit=args.part_limit or package.DEFAULT_PART_LIMIT)
        paths = folder.send_packages(session, built, Path(args.out))
        for p, path in zip(built, paths, strict=True):
            print(f"{path}\t{p.records}\t{p.seq_from}-{p.seq_to}")
        records = sum(p.records for p in built)
        if built:
            print(_say(f"Đã tạo {len(built)} tệp gói với {records} bản ghi.", f"Wrote {len(built)} package file(s) "
                       f"with {records} record(s)."), file=sys.stderr)
        else:
            print(_say("Không có thay đổi nào chưa được cấp trên xác nhận: không tạo gói.",
                       "Nothing the parent has not confirmed: no package was built."), file=sys.stderr)
    for b, path in zip(downs, down.write(downs, Path(args.out)), strict=True):
        print(f"{path}\t{b.child['code']}\tdown {b.down_seq}")
    if downs:
        print(_say(f"Đã tạo {len(downs)} gói xuống cho cấp dưới.", f"Wrote {len(downs)} down-package(s) for the "
                   "children."), file=sys.stderr)
    return 0


def _package_files(items: list[str]) -> list[Path]:
    from sync import down
    from sync.transports import folder

    files = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files.extend(folder.incoming_packages(path))
            files.extend(sorted(p for p in path.glob(f"*{down.SUFFIX}") if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files


def _print_down(path: Path, result) -> None:
    verdict = _say({"applied": "đã nhập", "replayed": "đã nhập trước đây", "older": "cũ hơn gói đã nhập, bỏ qua"}
                   [result.verdict], {"applied": "applied", "replayed": "already imported",
                                      "older": "older than one already applied, nothing changed"}[result.verdict])
    print(f"{path.name}\t{result.sender.get('code')}\t{_say('gói xuống', 'down')} {result.down_seq}\t{verdict}")
    for u in result.reference_updated:
        print(_say(f"  danh mục {u['list']}: phiên bản {u['from_version']} → {u['version']}",
                   f"  list {u['list']}: version {u['from_version']} → {u['version']}"))
    if result.profile == "updated":
        print(_say("  hồ sơ tỉnh (chỉ tiêu, hạn báo cáo) đã cập nhật", "  province profile (targets, deadline) updated"))
    elif result.profile == "needs_fingerprint":
        print(_say("  cấp trên đã đổi khóa: hãy nhập tệp hồ sơ mới và so khớp mã đối chiếu qua điện thoại",
                   "  the parent changed its keys: import its new profile file and compare fingerprints by phone"))
    if result.receipt is not None:
        print(_say(f"  cấp trên đã xác nhận đến số thứ tự {result.receipt['acknowledged_through']}",
                   f"  the parent confirmed up to sequence {result.receipt['acknowledged_through']}"))


def _sync_import(session, args) -> int:
    from sync import down, importer, receipt
    from sync.errors import PackageError
    from sync.transports import folder

    lang = _cli()._lang()
    by_sender: dict[str, list] = defaultdict(list)
    first_file: dict[str, Path] = {}
    refused = 0
    scanned = {Path(p) for item in args.files if Path(item).is_dir() for p in _package_files([item])}
    for path in _package_files(args.files):
        data = None
        try:
            data = path.read_bytes()
            if path in scanned and _own_outgoing(session, data):
                continue  # this node's own package for its parent, lying on the same drive
            if down.is_down(data):
                if path in scanned and not _down_for_me(session, data):
                    # A down-package for a node below (this node's own, to be carried down), on the same drive.
                    print(_say(f"{path.name}: gói xuống cho đơn vị khác, để nguyên trên ổ.",
                               f"{path.name}: a down-package for another node, left on the drive."))
                    continue
                _print_down(path, down.apply(session, data))
                continue
            result = importer.import_package(session, data, name=path.name)
        except PackageError as exc:
            refused += 1
            print(f"{path.name}: {exc.message(lang)}", file=sys.stderr)
            continue
        except OSError as exc:
            refused += 1
            print(f"{path}: {exc.strerror}", file=sys.stderr)
            continue
        sender = result.sender
        by_sender[sender["id"]].append(result)
        first_file.setdefault(sender["id"], path)
        kept = len(result.kept_aside)
        verdict = _say({"applied": "đã nhập", "replayed": "đã nhập trước đây"}[result.verdict],
                       {"applied": "applied", "replayed": "already imported"}[result.verdict])
        print(f"{path.name}\t{sender.get('code')}\t{verdict}\t{result.applied}/{result.records}"
              + (f"\t{_say('để riêng', 'kept aside')}: {kept}" if kept else ""))
    for sender_id, results in by_sender.items():
        name, data = receipt.build(session, sender_id, results)
        target = Path(args.receipt_out) if args.receipt_out else first_file[sender_id].parent
        written = folder.write_receipt(name, data, target)
        print(_say(f"Biên nhận: {written}", f"Receipt: {written}"))
    return EXIT_BAD_INPUT if refused else 0


def _down_for_me(session, data: bytes) -> bool:
    from sync import package
    from sync import keys as node_keys

    header = package.parse(data).header
    to = header.get("to")
    return isinstance(to, dict) and to.get("id") in node_keys.identities(session)


def _own_outgoing(session, data: bytes) -> bool:
    from sync import package
    from sync.errors import PackageError

    try:
        sender = package.parse(data).header.get("from")
    except PackageError:
        return False
    return isinstance(sender, dict) and sender.get("id") == session.origin


def _sync_receipt(session, args) -> int:
    from sync import receipt
    from sync.errors import ReceiptError
    from sync.transports import folder

    files = []
    for item in args.files:
        path = Path(item)
        files.extend(folder.incoming_receipts(path) if path.is_dir() else [path])
    refused = 0
    for path in files:
        if not path.is_file():
            refused += 1
            print(_say(f"{path}: không có tệp này.", f"{path}: no such file."), file=sys.stderr)
            continue
        try:
            shown = receipt.apply(session, path)
        except ReceiptError as exc:
            refused += 1
            print(f"{path.name}: {exc.message(_cli()._lang())}", file=sys.stderr)
            continue
        print(_say(f"{path.name}: cấp trên đã xác nhận đến số thứ tự {shown['acknowledged_through']}.",
                   f"{path.name}: the parent confirmed up to sequence {shown['acknowledged_through']}."))
        for c in shown.get("codes_changed", []):
            print(_say(f"  mã {c['from']} cấp trên đã dùng cho vụ việc khác (máy đã khôi phục bản sao lưu cũ):"
                       f" vụ việc này nay mang mã {c['to']}.",
                       f"  code {c['from']} is another case's at the parent (an old backup was restored):"
                       f" this case is now {c['to']}."))
        for k in shown["kept_aside"]:
            print(_say(f"  để riêng ở cấp trên: {k['table']} {k['record_id']} ({k['reason']})",
                       f"  kept aside at the parent: {k['table']} {k['record_id']} ({k['reason']})"))
    return EXIT_BAD_INPUT if refused else 0


def _sync_send(session, args) -> int:
    if args.http is not None:
        from sync.transports import http

        url = args.http or http.load_endpoint(session)
        if not url:
            raise _cli().UsageError("Chưa lưu địa chỉ máy chủ của cấp trên: ghi --http URL hoặc chạy "
                                    "binhan sync endpoint URL.",
                                    "No parent address saved: give --http URL or run binhan sync endpoint URL.")
        result = http.push(session, url, part_limit=args.part_limit)
        _print_pushed(result, url)
        return 0
    from sync.transports import email as mail

    sent = mail.send(session, _mail_settings(session, args), part_limit=args.part_limit)
    if not sent.parts:
        print(_say("Không có thay đổi nào chưa được cấp trên xác nhận: không gửi thư.",
                   "Nothing the parent has not confirmed: no mail was sent."))
        return 0
    print(_say(f"Đã gửi {sent.parts} tệp gói ({sent.records} bản ghi) tới {sent.to} qua {sent.messages} thư.",
               f"Sent {sent.parts} package file(s) ({sent.records} records) to {sent.to} in {sent.messages} "
               "message(s)."))
    return 0


def _sync_endpoint(session, args) -> int:
    from sync.transports import http

    if args.clear or args.url:
        http.save_endpoint(session, None if args.clear else args.url)
    print(http.load_endpoint(session) or "")
    return 0


def _print_pushed(result, where: str) -> None:
    print(_say(f"Đã gửi {result.parts} tệp gói ({result.records} bản ghi) tới {where}.",
               f"Sent {result.parts} package file(s) ({result.records} records) to {where}."))
    if result.receipt is not None:
        print(_say(f"Cấp trên đã xác nhận đến số thứ tự {result.receipt['acknowledged_through']}.",
                   f"The parent confirmed up to sequence {result.receipt['acknowledged_through']}."))
    if result.down is not None:
        _print_down(Path(where), result.down)


_MAIL_FIELDS = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "imap_host", "imap_port", "imap_security",
                "imap_user", "imap_folder", "mail_from", "mail_to", "limit", "cafile")


def _mail_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--smtp-host", help="máy chủ gửi thư (SMTP) / the SMTP server")
    p.add_argument("--smtp-port", type=int, help="cổng SMTP / SMTP port")
    p.add_argument("--smtp-security", choices=["starttls", "ssl"], help="mã hóa đường truyền SMTP / SMTP encryption")
    p.add_argument("--smtp-user", help="tài khoản SMTP / SMTP account")
    p.add_argument("--imap-host", help="máy chủ nhận thư (IMAP) / the IMAP server")
    p.add_argument("--imap-port", type=int, help="cổng IMAP / IMAP port")
    p.add_argument("--imap-security", choices=["starttls", "ssl"], help="mã hóa đường truyền IMAP / IMAP encryption")
    p.add_argument("--imap-user", help="tài khoản IMAP / IMAP account")
    p.add_argument("--imap-folder", help="thư mục thư đến (mặc định INBOX) / mailbox folder (INBOX by default)")
    p.add_argument("--mail-from", help="địa chỉ gửi / sender address")
    p.add_argument("--mail-to", help="hộp thư của cấp trên / the parent's mailbox")
    p.add_argument("--limit", type=int, help="byte tối đa mỗi thư / max bytes a message")
    p.add_argument("--cafile", help="chứng chỉ CA tin cậy thêm / extra CA certificate to trust")


def _mail_settings(session, args):
    from sync.transports import email as mail

    settings = mail.load_settings(session)
    for name in _MAIL_FIELDS:
        value = getattr(args, name, None)
        if value is not None:
            setattr(settings, name, value)
    return settings


def _sync_mail(session, args) -> int:
    from dataclasses import asdict

    from sync.transports import email as mail

    settings = _mail_settings(session, args)
    if not args.show:
        passwords = [(which, var) for which, var in (("smtp", args.smtp_password_env),
                                                     ("imap", args.imap_password_env)) if var]
        for _, var in passwords:  # checked first: a command that fails saves nothing
            if var not in os.environ:
                raise _cli().UsageError(f"Chưa đặt biến môi trường {var}.", f"{var} is not set.")
        mail.save_settings(session, settings)
        for which, var in passwords:
            mail.set_password(session, which, os.environ[var])
    _print_json(asdict(settings))
    return 0


def _sync_fetch(session, args) -> int:
    from sync.transports import email as mail

    result = mail.fetch(session, _mail_settings(session, args), reply=args.reply)
    for r in result.imported:
        verdict = _say({"applied": "đã nhập", "replayed": "đã nhập trước đây"}[r.verdict],
                       {"applied": "applied", "replayed": "already imported"}[r.verdict])
        print(f"{r.sender.get('code')}\t{r.seq_from}-{r.seq_to}\t{verdict}\t{r.applied}/{r.records}")
    for d in result.downs:
        _print_down(Path("mail"), d)
    for shown in result.receipts:
        print(_say(f"cấp trên đã xác nhận đến số thứ tự {shown['acknowledged_through']}",
                   f"the parent confirmed up to sequence {shown['acknowledged_through']}"))
    for name, refusal in result.refused:
        print(f"{name}: {refusal.message(_cli()._lang())}", file=sys.stderr)
    print(_say(f"{result.messages} thư mới; đã gửi {result.replies} thư biên nhận.",
               f"{result.messages} new message(s); {result.replies} receipt message(s) sent."), file=sys.stderr)
    if result.reply_failed:
        print(_say("Chưa gửi được biên nhận bằng thư; lần nhận sau sẽ gửi lại.",
                   "The receipts could not be mailed; the next fetch sends them again."), file=sys.stderr)
    return EXIT_BAD_INPUT if result.refused else 0


def _serve(session, args) -> int:
    from sync.transports import http

    session.require("sync.run")

    def announce(url: str) -> None:
        print(_say(f"Đang nhận gói tại {url} (Ctrl+C để dừng)", f"Receiving packages at {url} (Ctrl+C to stop)"),
              flush=True)

    http.serve_forever(session, args.host, args.port, max_body=args.max_body or http.DEFAULT_MAX_BODY,
                       announce=announce, request_grace=args.request_grace or http.REQUEST_GRACE,
                       min_rate=args.min_rate or http.MIN_RATE)
    return 0


def _sync_status(session, args) -> int:
    from sync import status

    received = {r["id"]: r["annual_reports"] for r in status.annual_reports_received(session)}
    from sync import importer, vouch

    value = {"summary": status.summary(session), "outgoing": status.outgoing(session, 20),
             "quarantined": vouch.quarantined(session), "audit_went_back": importer.witness_problems(session),
             "annual_reports": status.own_annual_reports(session),
             "registry": [{**r, "annual_reports": received.get(r["id"], [])} for r in status.registry(session)]}
    _print_json(value)
    return 0


# --- the annual report -----------------------------------------------------------------------------------------
def _annual_finalise(session, args) -> int:
    from app.reports import submission

    made = submission.finalise(session, args.year)
    print(_say(f"Đã hoàn tất báo cáo năm {made['year']} (lần {made['rev']}, PDF {made['pdf_bytes'] // 1024} KB). "
               "Báo cáo đi trong gói gửi lên tiếp theo (binhan sync export).",
               f"Finalised the annual report for {made['year']} (version {made['rev']}, PDF "
               f"{made['pdf_bytes'] // 1024} KB). It goes up in the next package (binhan sync export)."))
    return 0


def _annual_list(session, args) -> int:
    """This node's own finalised reports (a commune, a district) and those received from below (a province,
    a district): one line each, or JSON."""
    from sync import status

    own = status.own_annual_reports(session)
    received = status.annual_reports_received(session)
    if args.json:
        _print_json({"own": own, "received": received})
        return 0
    for r in own:
        print("\t".join([_say("đơn vị này", "this node"), str(r["year"]), r["finalised_on"], str(r["rev"]),
                         r["state"]]))
    for child in received:
        if not child["annual_reports"]:
            print("\t".join([child["code"], "—", _say("chưa nhận báo cáo năm", "no annual report received")]))
        for r in child["annual_reports"]:
            print("\t".join([child["code"], str(r["year"]), r["finalised_on"], str(r["rev"]), r["received_at"] or ""]))
    if not own and not received:
        print(_say("Chưa có báo cáo năm nào.", "No annual reports yet."), file=sys.stderr)
    return 0


def _annual_save(session, args) -> int:
    from app.reports import submission
    from sync import enrol

    child = next((c for c in enrol.children(session) if c["code"] == args.sender), None)
    if child is None:
        raise _cli().UsageError(f"Không có đơn vị cấp dưới mã '{args.sender}'.",
                                f"No unit below this one has the code '{args.sender}'.")
    path = submission.save_received_pdf(session, child["node_id"], args.year, args.out)
    print(_say(f"Đã ghi {path}", f"Written: {path}"))
    return 0


def _sync_retry(session, args) -> int:
    from sync import importer, receipt

    applied = importer.retry_kept_aside(session) if session.store.scalar(
        "SELECT 1 FROM kept_aside WHERE resolved_at IS NULL LIMIT 1") else 0
    resent = receipt.resend_kept(session)
    left = session.store.scalar("SELECT count(*) FROM kept_aside WHERE resolved_at IS NULL"
                                " AND reason != 'stale_revision'") or 0
    print(_say(f"Đã nhập thêm {applied} bản ghi để riêng; còn {left} bản ghi để riêng.",
               f"{applied} records kept aside were applied; {left} remain aside."))
    if resent:
        print(_say(f"{resent} bản ghi cấp trên để riêng sẽ được gửi lại trong gói sau.",
                   f"{resent} records the parent kept aside will go again in the next package."))
    return 0


def _profile_publish(session, args) -> int:
    from sync import publish

    done = publish.profile(session, Path(args.file))
    print(_say(f"Đã ban hành hồ sơ {done['code']} phiên bản {done['version']} (trước: {done['previous']}); thay đổi: "
               f"{', '.join(done['changed']) or 'không'}. Gói gửi xuống tiếp theo mang hồ sơ này cho mọi đơn vị "
               "cấp dưới.",
               f"Published profile {done['code']} version {done['version']} (was {done['previous']}); changed: "
               f"{', '.join(done['changed']) or 'nothing'}. The next down-packages carry it to every node below."))
    return 0


def _reference_publish(session, args) -> int:
    from sync import publish

    done = publish.reference(session, Path(args.folder))
    for item in done["published"]:
        print(_say(f"Danh mục {item['list']}: phiên bản {item['from_version']} → {item['version']}",
                   f"List {item['list']}: version {item['from_version']} → {item['version']}"))
    if done["applied"]:
        print(_say(f"{done['applied']} bản ghi để riêng nay đã nhập.",
                   f"{done['applied']} records kept aside now applied."))
    return 0


def _node_merge(session, args) -> int:
    from sync import merge

    password = _cli()._secret("BINHAN_MERGE_PASSWORD", _say(f"Mật khẩu của {args.from_user} ở đơn vị cũ: ",
                                                            f"Password of {args.from_user} at the old node: "))
    done = merge.merge(session, Path(args.folder), args.from_user, password)
    total = sum(done["records"].values())
    print(_say(f"Đã gộp {done['name']} ({done['code']}): {total} dòng dữ liệu, giữ nguyên mã cũ. Gói gửi lên tiếp theo "
               "mang các bản ghi đó cùng lời xác nhận gộp của đơn vị cũ.",
               f"Merged {done['name']} ({done['code']}): {total} rows, old codes kept. The next package carries its "
               "records with the old node's own statement of the merge."))
    if done.get("warning"):
        print(_say(*done["warning"]))
    return 0


def _sync_drives(args) -> int:
    from sync.transports import folder

    for drive in folder.removable_drives():
        print(f"{drive.path}\t{drive.label}")
    return 0


# --- the parser ------------------------------------------------------------------------------------------------------
def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `keys`, `profile`, `register` and `sync` to the main parser's subcommands."""
    keys = subparsers.add_parser("keys", help="khóa đồng bộ / sync keys").add_subparsers(
        dest="keys_command", required=True)
    p = keys.add_parser("fingerprint", parents=[common], help="mã đối chiếu / fingerprint")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.set_defaults(func=_with_session(_keys_fingerprint))
    p = keys.add_parser("rotate", parents=[common], help="tạo khóa mới / new key pairs")
    p.set_defaults(func=_with_session(_keys_rotate))
    p = keys.add_parser("backup", parents=[common], help="sao lưu khóa bí mật / back up private keys")
    p.add_argument("file", help="tệp sao lưu khóa (có mật khẩu) / the key backup file (passphrase-protected)")
    p.set_defaults(func=_with_session(_keys_backup))
    p = keys.add_parser("restore", parents=[common], help="khôi phục khóa / restore keys")
    p.add_argument("file", help="tệp sao lưu khóa / the key backup file")
    p.set_defaults(func=_with_session(_keys_restore))

    profile = subparsers.add_parser("profile", help="hồ sơ tỉnh / province profile").add_subparsers(
        dest="profile_command", required=True)
    p = profile.add_parser("export", parents=[common],
                           help="xuất hồ sơ tỉnh cho cấp dưới / export the profile for the nodes below")
    p.add_argument("--out", help="thư mục hoặc tên tệp / folder or file name")
    p.set_defaults(func=_with_session(_profile_export))
    p = profile.add_parser("list", parents=[common],
                           help="mọi phiên bản hồ sơ tỉnh, thời kỳ và nguồn / every profile version, period, source")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.set_defaults(func=_with_session(_profile_list))
    p = profile.add_parser("import", parents=[common], help="nhập hồ sơ của cấp trên / import the parent's profile")
    p.add_argument("file", help="tệp hồ sơ cấp trên gửi / the profile file from the parent")
    p.add_argument("--accept", metavar="FINGERPRINT", help="mã đối chiếu đã đối chiếu / fingerprint compared")
    p.add_argument("--replace", action="store_true", help="đổi sang cấp trên mới / switch to a new parent")
    p.set_defaults(func=_with_session(_profile_import))

    p = profile.add_parser("publish", parents=[common],
                           help="tỉnh ban hành phiên bản hồ sơ mới / the province publishes a new profile version")
    p.add_argument("file", help="tệp hồ sơ (.toml) / the profile file (.toml)")
    p.set_defaults(func=_with_session(_profile_publish))
    reference = subparsers.add_parser("reference", help="danh mục / option lists").add_subparsers(
        dest="reference_command", required=True)
    p = reference.add_parser("publish", parents=[common],
                             help="tỉnh ban hành phiên bản danh mục mới / the province publishes new list versions")
    p.add_argument("folder", help="thư mục tệp danh mục (.toml) / folder of list files (.toml)")
    p.set_defaults(func=_with_session(_reference_publish))

    reg = subparsers.add_parser("register", help="đăng ký với cấp trên / registration").add_subparsers(
        dest="register_command", required=True)
    p = reg.add_parser("export", parents=[common],
                       help="xuất tệp đăng ký gửi cấp trên / export the registration for the parent")
    p.add_argument("--out", help="thư mục hoặc tên tệp / folder or file name")
    p.set_defaults(func=_with_session(_register_export))
    p = reg.add_parser("import", parents=[common], help="nhập tệp đăng ký của cấp dưới / import a child's registration")
    p.add_argument("file", help="tệp đăng ký / the registration file")
    p.add_argument("--accept", metavar="FINGERPRINT",
                   help="mã đối chiếu đọc qua điện thoại / fingerprint read by phone")
    p.set_defaults(func=_with_session(_register_import))
    p = reg.add_parser("revoke", parents=[common], help="thu hồi đăng ký của một đơn vị cấp dưới / revoke a child")
    p.add_argument("code", help="mã đơn vị / the node's code")
    p.set_defaults(func=_with_session(_register_revoke))

    sync = subparsers.add_parser("sync", help="gói đồng bộ / sync packages").add_subparsers(
        dest="sync_command", required=True)
    p = sync.add_parser("export", parents=[common], help="tạo gói gửi cấp trên / build the package for the parent")
    p.add_argument("--out", required=True, help="thư mục, ví dụ ổ USB / folder, e.g. a USB drive")
    p.add_argument("--part-limit", type=int, default=None, help="kích thước tối đa mỗi tệp (byte) / max bytes per file")
    p.set_defaults(func=_with_session(_sync_export))
    p = sync.add_parser("import", parents=[common], help="nhập gói của cấp dưới / import children's packages")
    p.add_argument("files", nargs="+", metavar="FILE", help="tệp gói hoặc thư mục / package files or folders")
    p.add_argument("--receipt-out", help="thư mục ghi biên nhận / folder for the receipts")
    p.set_defaults(func=_with_session(_sync_import))
    p = sync.add_parser("receipt", parents=[common], help="nhập biên nhận của cấp trên / import the parent's receipt")
    p.add_argument("files", nargs="+", metavar="FILE", help="tệp biên nhận / receipt files")
    p.set_defaults(func=_with_session(_sync_receipt))
    p = sync.add_parser("send", parents=[common], help="gửi gói cho cấp trên qua mạng hoặc thư điện tử / "
                                                        "send the package to the parent by network or e-mail")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--http", metavar="URL", nargs="?", const="",
                     help="địa chỉ máy chủ của tỉnh; bỏ trống để dùng địa chỉ đã lưu / the province endpoint; "
                          "none given: the saved one (binhan sync endpoint)")
    how.add_argument("--email", action="store_true", help="qua thư điện tử (SMTP) / by e-mail (SMTP)")
    p.add_argument("--part-limit", type=int, default=None, help="kích thước tối đa mỗi tệp (byte) / max bytes per file")
    _mail_options(p)
    p.set_defaults(func=_with_session(_sync_send))
    p = sync.add_parser("fetch", parents=[common], help="nhận gói từ hộp thư (IMAP) / fetch packages by IMAP")
    p.add_argument("--imap", action="store_true", required=True, help="nhận qua IMAP / fetch by IMAP")
    p.add_argument("--reply", action="store_true", help="gửi biên nhận lại bằng thư / mail the receipts back")
    _mail_options(p)
    p.set_defaults(func=_with_session(_sync_fetch))
    p = sync.add_parser("endpoint", parents=[common], help="địa chỉ máy chủ của cấp trên / the parent's address")
    p.add_argument("url", nargs="?", help="http(s)://…; bỏ trống để xem / none: show the saved one")
    p.add_argument("--clear", action="store_true", help="xóa địa chỉ đã lưu / forget the saved address")
    p.set_defaults(func=_with_session(_sync_endpoint))
    p = sync.add_parser("mail", parents=[common], help="cài đặt thư điện tử / e-mail settings")
    p.add_argument("--show", action="store_true", help="xem cài đặt đã lưu / show the saved settings")
    _mail_options(p)
    p.add_argument("--smtp-password-env", metavar="VAR",
                   help="lưu mật khẩu SMTP (lấy từ biến môi trường VAR) vào kho khóa / keyring: SMTP password from VAR")
    p.add_argument("--imap-password-env", metavar="VAR",
                   help="lưu mật khẩu IMAP (lấy từ biến môi trường VAR) vào kho khóa / keyring: IMAP password from VAR")
    p.set_defaults(func=_with_session(_sync_mail))

    node = subparsers.add_parser("node", help="đơn vị / this node").add_subparsers(dest="node_command", required=True)
    p = node.add_parser("merge", parents=[common],
                        help="gộp dữ liệu của đơn vị cũ (sáp nhập) / bring a merged old node's data into this one")
    p.add_argument("folder", help="thư mục dữ liệu của đơn vị cũ / the old node's data folder")
    p.add_argument("--from-user", required=True, help="tài khoản quản trị ở đơn vị cũ / the old node's admin")
    p.set_defaults(func=_with_session(_node_merge))

    p = subparsers.add_parser("serve", parents=[common], help="máy chủ nhận gói của tỉnh / province endpoint")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe / address to listen on")
    p.add_argument("--port", type=int, default=8470, help="cổng / port")
    p.add_argument("--max-body", type=int, default=None, help="byte tối đa mỗi yêu cầu / max bytes a request")
    p.add_argument("--request-grace", type=int, default=None,
                   help="giây cho một yêu cầu, cộng thêm theo tốc độ tối thiểu (mặc định 60) / seconds a request "
                        "may take, plus its bytes at the minimum rate (default 60)")
    p.add_argument("--min-rate", type=int, default=None,
                   help="byte/giây tối thiểu khi nhận một yêu cầu (mặc định 2048) / the slowest a request may "
                        "arrive, in bytes a second (default 2048)")
    p.set_defaults(func=_with_session(_serve))

    p = sync.add_parser("status", parents=[common], help="tình trạng đồng bộ / sync status (JSON)")
    p.set_defaults(func=_with_session(_sync_status))
    p = sync.add_parser("retry", parents=[common],
                        help="nhập lại bản ghi để riêng; gửi lại bản ghi cấp trên để riêng / retry records kept aside")
    p.set_defaults(func=_with_session(_sync_retry))
    p = sync.add_parser("drives", parents=[common], help="ổ USB đang cắm / removable drives")
    p.set_defaults(func=_sync_drives)

    annual = sync.add_parser("annual", help="báo cáo năm gửi cấp trên / the annual report sent up").add_subparsers(
        dest="annual_command", required=True)
    p = annual.add_parser("finalise", parents=[common],
                          help="hoàn tất báo cáo năm để gửi lên / finalise the annual report to send it up")
    p.add_argument("--year", type=int, required=True, help="năm báo cáo / the report's year")
    p.set_defaults(func=_with_session(_annual_finalise))
    p = annual.add_parser("list", parents=[common], help="báo cáo năm đã hoàn tất và đã nhận / finalised and received")
    p.add_argument("--json", action="store_true", help="in dạng JSON / print as JSON")
    p.set_defaults(func=_with_session(_annual_list))
    p = annual.add_parser("save", parents=[common], help="lưu PDF báo cáo năm của cấp dưới / save a child's PDF")
    p.add_argument("--from", dest="sender", required=True, metavar="CODE", help="mã đơn vị / the unit's code")
    p.add_argument("--year", type=int, required=True, help="năm báo cáo / the report's year")
    p.add_argument("--out", required=True, metavar="FILE", help="tệp PDF sẽ ghi / the PDF file to write")
    p.set_defaults(func=_with_session(_annual_save))
