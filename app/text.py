"""Text rules: NFC everywhere, a folded form for accent-insensitive search, and the characters text may hold.

Hygiene at the door (`bad_character`, used by `app.validation.Checker.take_text`
and every other place that keeps text typed by a person): a text field holds
no control character other than the line break (\\n, \\r) and the tab, and no
lone surrogate. One such character (Word's Shift+Enter is U+000B) breaks the
Excel and Word files a report is written to, and a lone surrogate cannot even
be stored. Hygiene at the exit (`printable`): what is written into a file is
passed through it anyway, for data received from another node or kept before
the door was closed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import overload

# đ/Đ is a letter of its own, not d with a mark: NFD does not split it.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})

ALLOWED_CONTROLS = frozenset("\n\r\t")
# Vertical tab (Word's Shift+Enter), form feed (a page break pasted from Word), and the Unicode line and
# paragraph separators: a line break for whoever wrote them.
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}

# A few a person may meet, named in the message; the others by their code point alone.
_NAMES = {
    "\x00": ("ký tự rỗng (NUL)", "the null character (NUL)"),
    "\x0b": ("ngắt dòng của Word (Shift+Enter)", "Word's line break (Shift+Enter)"),
    "\x0c": ("ngắt trang", "a page break"),
    "\x1b": ("ký tự ESC", "the ESC character"),
}


@overload
def nfc(text: str) -> str: ...


@overload
def nfc(text: None) -> None: ...


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def fold(text: str | None) -> str:
    """Lower case, no diacritics, single spaces: "Nguyễn  Thị Đào" -> "nguyen thi dao"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# Category Cc less \t \n \r, and category Cs (surrogates): what `bad_character` refuses.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MENDED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def bad_character(text: str) -> tuple[int, str] | None:
    """(1-based position, character) of the first character a text field may not hold, or None.

    Refused: control characters (Unicode category Cc: C0, DEL and C1) other than \\n, \\r and \\t,
    and lone surrogates (category Cs; Python lets them into a str, no file or database can hold them).
    """
    found = _REFUSED.search(text)
    return None if found is None else (found.start() + 1, found.group())


def describe_bad(label_vi: str, label_en: str, found: tuple[int, str]) -> tuple[str, str]:
    """The message for a field holding a refused character (Vietnamese, English), naming the field."""
    n, ch = found
    code = f"U+{ord(ch):04X}"
    name_vi, name_en = _NAMES.get(ch, ("", ""))
    if unicodedata.category(ch) == "Cs":
        name_vi, name_en = "nửa cặp ký tự thay thế (surrogate) bị lẻ", "a lone surrogate"
    what_vi = f"{name_vi}, {code}" if name_vi else code
    what_en = f"{name_en}, {code}" if name_en else code
    hint_vi = " (xuống dòng bằng Enter, không dùng Shift+Enter)" if ch == "\x0b" else ""
    hint_en = " (break lines with Enter, not Shift+Enter)" if ch == "\x0b" else ""
    return (f"{label_vi}: có ký tự không được phép ({what_vi}) ở vị trí {n}. Hãy xóa ký tự đó{hint_vi} rồi lưu lại.",
            f"{label_en}: holds a character that is not allowed ({what_en}) at position {n}. Remove it{hint_en} "
            "and save again.")


def _mend(match: re.Match) -> str:
    ch = match.group()
    if ch in _LINE_BREAKS:
        return _LINE_BREAKS[ch]
    return "\ufffd" if "\ud800" <= ch <= "\udfff" else ""  # a lone surrogate stays visible: something was there


def printable(text: str) -> str:
    """`text` as it may be written into a file: refused characters gone, Word's line breaks as \\n, NFC.

    For the exit (report files); the door (`bad_character`) refuses them instead.
    """
    return unicodedata.normalize("NFC", _MENDED.sub(_mend, text))


def cleaned(text: str) -> str:
    """`text` mended for storage (the migration of data kept before the door closed): Word's line breaks
    become \\n, a lone surrogate U+FFFD, other control characters go."""
    return printable(text)
