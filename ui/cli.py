"""The window's commands: `binhan` with no command (the window, or --demo, or --self-test) and `binhan screenshots`.

Qt is imported only when a command runs, so `binhan --help` and every other command work on a machine whose Qt
libraries are missing (the window then says so in one line).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.cli_support import _data_dir, _say


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
    """No command: open the window on this node, or on throwaway demo data with --demo."""
    if args.demo:
        from app.demo import create_demo_node
        from app.store import keyslots

        # No screen, no demo: said in one line before the throwaway folder is made (ui.app.no_display_message).
        check: Callable[[], str | None] | None
        try:
            from ui.app import no_display_message

            check = no_display_message
        except ImportError:
            check = None
        problem = check() if check is not None else None
        if problem:
            print(problem, file=sys.stderr)
            return 1
        # A throwaway node must not leave an entry behind in the person's real keyring.
        keyslots.set_keyring_backend(keyslots.MemoryKeyring())
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


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add `binhan screenshots` (the window's start is the parser's default, set by `binhan.cli`)."""
    p = sub.add_parser("screenshots", parents=[common], help="ảnh chụp các trang để rà soát / review screenshots")
    p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG / folder for the PNG files")
    p.add_argument("--lang", choices=["vi", "en"], help="một ngôn ngữ (mặc định: cả hai) / one language")
    p.add_argument("--size", help="cỡ màn hình, ví dụ 1366x768 / the screen's size, e.g. 1366x768")
    p.add_argument("--text-size", type=int, default=100, choices=range(100, 151), metavar="100-150",
                   help="cỡ chữ, phần trăm / text size, percent")
    p.add_argument("--scale", type=float, help="tỉ lệ hiển thị của hệ thống, ví dụ 1.25 (QT_SCALE_FACTOR) / "
                                               "the system's display scaling, e.g. 1.25")
    p.set_defaults(func=cmd_screenshots)
