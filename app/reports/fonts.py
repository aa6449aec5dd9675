"""Every character a PDF is given is drawn: Tinos first, then a fallback that has it, else its code.

Tinos (the decree's Times metrics) covers Latin, Vietnamese, Greek and Cyrillic.
For anything else — an emoji pasted into a note, a name in Arabic, Thai or
Chinese — `markup` wraps the run of characters in a `<font>` of a fallback
font that has them:

1. DejaVu Sans, shipped in `resources/fonts/` (emoji such as 😀, Arabic, Hebrew,
   Lao, Georgian, Armenian, many symbols), so the same file prints the same on
   every computer;
2. the computer's own TrueType fonts (Noto first), read only the first time a
   character neither has turns up;
3. none: the character is printed as its code, "[U+4E2D]" — visible, never
   silently dropped.

Invisible format characters (zero-width joiner, variation selectors, bidi
marks) in a text Tinos does not cover whole are left out: reportlab neither
joins nor reorders, and some fonts draw them as boxes.

Each font file is registered under a name of its own (never two files under one
name): "BinhAnFallback" / "BinhAnFallback-Bold" for DejaVu, "BinhAnSys-<file>-<hash
of its path>" for a system font. Right-to-left text is drawn in the order it is stored
(reportlab does not reorder it without HarfBuzz): legible letter by letter,
not typeset.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.paths import resources_dir

FALLBACK, FALLBACK_BOLD = "BinhAnFallback", "BinhAnFallback-Bold"
SHIPPED_FALLBACK = {FALLBACK: "DejaVuSans.ttf", FALLBACK_BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_primary: frozenset[str] | None = None  # characters Tinos draws (its four files cover the same)
_chain: list[tuple[str, dict]] = []  # (registered family name, its charToGlyph), in order of preference
_found: dict[str, str | None] = {}  # character -> family that draws it (None: no font does)
_system_index: dict[int, Path] | None = None  # code point -> the preferred system font file that has it


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()  # 4 digits in the BMP, a surrogate pair (8) beyond


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode map, with a character beyond U+FFFF written as UTF-16 (a surrogate pair), as the
    PDF reference asks: reportlab writes "<1F600>", which readers cut to U+1F60, so 😀 is copied as "ὠ"."""
    original = _ORIGINAL_CMAP(fontname, subset)
    head, _, _ = original.partition(f"{len(subset)} beginbfchar")
    lines = [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    return "\n".join([head.rstrip("\n"), f"{len(subset)} beginbfchar", *lines, "endbfchar", "endcmap",
                      "CMapName currentdict /CMap defineresource pop", "end", "end"])


_ORIGINAL_CMAP = _ttfonts.makeToUnicodeCMap
if _ttfonts.makeToUnicodeCMap.__module__ == _ttfonts.__name__:
    _ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _register(name: str, path: Path) -> dict:
    """Register one file under `name` (refusing a second file under a name already taken); its cmap."""
    if name in pdfmetrics.getRegisteredFontNames():
        taken = pdfmetrics.getFont(name)
        if not isinstance(taken, TTFont):  # one of reportlab's standard fonts: no file, no cmap
            raise ValueError(f"font name {name} is a standard font, not {path}")
        if Path(getattr(taken.face, "filename", path)).resolve() != Path(path).resolve():
            raise ValueError(f"font name {name} already holds {taken.face.filename}, not {path}")
        return taken.face.charToGlyph
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font.face.charToGlyph


def setup(primary_name: str) -> None:
    """Read Tinos's coverage and register the shipped fallback (once per process)."""
    global _primary
    with _lock:
        if _primary is not None:
            return
        folder = resources_dir() / "fonts"
        cmaps = {name: _register(name, folder / filename) for name, filename in SHIPPED_FALLBACK.items()}
        pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK_BOLD, italic=FALLBACK,
                                      boldItalic=FALLBACK_BOLD)
        _chain.append((FALLBACK, cmaps[FALLBACK]))
        primary = pdfmetrics.getFont(primary_name)
        if not isinstance(primary, TTFont):
            raise ValueError(f"{primary_name} is not a TrueType font registered from a file")
        _primary = frozenset(chr(c) for c in primary.face.charToGlyph)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def _font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        return [windir / "Fonts", local]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    data = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data / "fonts", Path.home() / ".fonts"]


def _preference(path: Path) -> tuple:
    name = path.stem.lower()
    styled = any(word in name for word in ("bold", "italic", "oblique", "light", "thin", "black", "condensed"))
    family = 0 if name.startswith("notosans") else 1 if name.startswith("dejavusans") else \
        2 if name.startswith("noto") else 3
    return (styled, family, name)


def _system_fonts() -> dict[int, Path]:
    """Code point -> the preferred TrueType (glyf) file of the computer's fonts that has it; built once."""
    global _system_index
    if _system_index is not None:
        return _system_index
    from fontTools.ttLib import TTFont as ToolsFont

    files = []
    for folder in _font_dirs():
        if folder.is_dir():
            files += [p for p in folder.rglob("*") if p.suffix.lower() == ".ttf"]
    index: dict[int, Path] = {}
    for path in sorted(set(files), key=_preference):
        try:
            font = ToolsFont(str(path), lazy=True)
            if "glyf" not in font:  # reportlab embeds TrueType outlines only
                continue
            for code in font.getBestCmap() or {}:
                index.setdefault(code, path)
            font.close()
        except Exception:  # noqa: BLE001, S112 - a damaged or exotic font file is skipped, never fatal
            continue
    _system_index = index
    return index


def _system_font_for(ch: str) -> str | None:
    path = _system_fonts().get(ord(ch))
    if path is None:
        return None
    # One name per file: two folders may hold files of the same name.
    tag = hashlib.sha1(str(path).encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()[:6]
    name = f"BinhAnSys-{re.sub(r'[^A-Za-z0-9]', '', path.stem)[:32]}-{tag}"
    try:
        cmap = _register(name, path)
    except (TTFError, ValueError, OSError):
        return None
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    if not any(family == name for family, _ in _chain):
        _chain.append((name, cmap))
    return name


def _family_for(ch: str) -> str | None:
    """The fallback family that draws `ch` (registering a system font if need be); None if none does."""
    if ch in _found:
        return _found[ch]
    with _lock:
        code = ord(ch)
        family = next((name for name, cmap in _chain if code in cmap), None)
        if family is None:
            family = _system_font_for(ch)
        _found[ch] = family
    return family


def covered(text: str) -> bool:
    """True when Tinos draws every character of `text` (the usual case, checked at the speed of a set)."""
    if _primary is None:
        raise RuntimeError("call setup() first")
    return set(text) <= _primary


def markup(text: str) -> str:
    """`text` (already NFC and clean) as reportlab paragraph markup: XML-escaped, line breaks as <br/>,
    each run Tinos lacks in a fallback font, a character no font has as its code."""
    if covered(text):
        return escape(text).replace("\n", "<br/>")
    primary = _primary
    if primary is None:  # covered() above has raised already; said again for the type checker
        raise RuntimeError("call setup() first")
    out: list[str] = []
    run_family: str | None = None
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        body = escape("".join(run)).replace("\n", "<br/>")
        out.append(f'<font name="{run_family}">{body}</font>' if run_family else body)
        run.clear()

    for ch in text:
        if _invisible(ch):
            continue  # reportlab neither joins nor reorders: a font would draw these as boxes, if at all
        if ch in primary or ch.isspace():
            family = None
        else:
            family = _family_for(ch)
            if family is None:
                flush()
                run_family = None
                out.append(escape(f"[U+{ord(ch):04X}]"))
                continue
        if family != run_family:
            flush()
            run_family = family
        run.append(ch)
    flush()
    return "".join(out)
