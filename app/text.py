"""Text rules: NFC everywhere, and a folded form for accent-insensitive search."""

from __future__ import annotations

import unicodedata

# đ/Đ is a letter of its own, not d with a mark: NFD does not split it.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def fold(text: str | None) -> str:
    """Lower case, no diacritics, single spaces: "Nguyễn  Thị Đào" -> "nguyen thi dao"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
