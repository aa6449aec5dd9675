"""Every command, option and argument of `binhan` explains itself in Vietnamese first, then English (issue 14.6):
a commune officer reading `binhan … --help` on the office PC reads her own language."""

import argparse
import re

from binhan.cli import build_parser

_VIETNAMESE = re.compile("[ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


def _bilingual(text) -> bool:
    return bool(text) and " / " in text and bool(_VIETNAMESE.search(text.split(" / ")[0]))


def _unexplained(parser: argparse.ArgumentParser, path: str):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                shown = next((c for c in action._choices_actions if c.dest == name), None)
                if not _bilingual(shown.help if shown else None):
                    yield f"{path} {name}"
                yield from _unexplained(child, f"{path} {name}")
        elif action.help is not argparse.SUPPRESS and not _bilingual(action.help):
            yield f"{path} {'/'.join(action.option_strings) or action.dest}"


def test_every_command_and_option_has_a_vietnamese_then_english_help():
    assert list(_unexplained(build_parser(), "binhan")) == []


def test_the_checker_sees_a_missing_or_english_only_help():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    child = sub.add_parser("thing", help="làm việc / do a thing")
    child.add_argument("--plain", help="only English")
    child.add_argument("--bare")
    assert sorted(_unexplained(parser, "x")) == ["x thing --bare", "x thing --plain"]


def test_argparse_own_words_are_bilingual_too(capsys):
    parser = build_parser()
    try:
        parser.parse_args(["case", "--help"])
    except SystemExit:
        pass
    shown = capsys.readouterr().out
    assert "cách dùng / usage" in shown and "tùy chọn / options" in shown
