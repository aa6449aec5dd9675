"""Qt's own words in Vietnamese: refresh `qtbase_vi.ts` from the Qt we run, then compile it.

    uv run python resources/translations/qt_update.py           # merge, lrelease, then list what is unfinished
    uv run python resources/translations/qt_update.py --check   # only list what is unfinished (exit 1 if any)

Qt ships no Vietnamese catalogue, so the buttons, context menus and dialogs Qt
draws itself («Cancel», «&Paste», the file dialog's «File &name:») would stay in
English in a Vietnamese window. We translate the Qt contexts a person meets
(`CONTEXTS`) in `qtbase_vi.ts`; `ui/i18n.py` installs the compiled `qtbase_vi.qm`
as a second translator.

Which source strings those contexts hold is read from the installed Qt's own
German catalogue (`qtbase_de.qm`, the fullest Qt ships; only its source texts are
used): a new Qt with new strings shows them here as unfinished, strings Qt dropped
are dropped. Translate the unfinished ones (any editor, or
`uv run pyside6-linguist resources/translations/qtbase_vi.ts`), keep every %1 and
&-accelerator sense, then run this again. tests/ui/test_qt_translation.py fails
while anything is unfinished.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "qtbase_vi.ts"
QM = HERE / "qtbase_vi.qm"

#: The Qt contexts whose words a person of ours can meet: standard buttons, message boxes, the line edits' and
#: text boxes' context menus, spin boxes, scroll bars, the set-up wizard's buttons, the file dialogs (Qt's own
#: where the system has none) and the print dialog (the recovery sheet). Key names in menus (QShortcut: "Ctrl+N")
#: stay as printed on the keyboard.
CONTEXTS = (
    "QAbstractSpinBox", "QComboBox", "QDialog", "QDialogButtonBox", "QFileDialog", "QFileSystemModel",
    "QInputDialog", "QLineEdit", "QMessageBox", "QPlatformTheme", "QProgressDialog", "QScrollBar", "QTabBar",
    "QUnicodeControlCharacterMenu", "QWidgetTextControl", "QWizard",
    "QPrintDialog", "QPageSetupWidget", "QPrintPropertiesDialog", "QPrintPropertiesWidget", "QPrintSettingsOutput",
    "QPrintWidget", "QCupsJobWidget", "QCupsPrinterSupport",
)

_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_MESSAGES, _END, _TRANSLATION, _OBSOLETE1, _SOURCE, _CONTEXT, _COMMENT = 0x69, 1, 3, 5, 6, 7, 8


def qt_translations_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def qm_sources(path: Path) -> list[tuple[str, str, str]]:
    """(context, source, comment) of every message of a compiled .qm file (its source texts, not translations)."""
    data = path.read_bytes()
    if data[:16] != _QM_MAGIC:
        raise ValueError(f"{path} is not a Qt .qm file")
    pos, block = 16, b""
    while pos + 5 <= len(data):
        tag, length = data[pos], struct.unpack(">I", data[pos + 1:pos + 5])[0]
        if tag == _MESSAGES:
            block = data[pos + 5:pos + 5 + length]
        pos += 5 + length
    found, current, pos = [], {}, 0
    while pos < len(block):
        tag = block[pos]
        pos += 1
        if tag == _END:
            if "source" in current:
                found.append((current.get("context", ""), current["source"], current.get("comment", "")))
            current = {}
            continue
        if tag == _OBSOLETE1:
            continue
        length = struct.unpack(">I", block[pos:pos + 4])[0]
        pos += 4
        if length == 0xFFFFFFFF:
            continue
        raw, pos = block[pos:pos + length], pos + length
        if tag == _SOURCE:
            current["source"] = raw.decode("utf-8")
        elif tag == _CONTEXT:
            current["context"] = raw.decode("utf-8")
        elif tag == _COMMENT:
            current["comment"] = raw.decode("utf-8")
    return found


def qt_sources() -> list[tuple[str, str, str]]:
    """The source strings of `CONTEXTS` in the Qt we run, in a stable order, each once."""
    wanted = set(CONTEXTS)
    seen = {m for m in qm_sources(qt_translations_dir() / "qtbase_de.qm") if m[0] in wanted}
    return sorted(seen, key=lambda m: (CONTEXTS.index(m[0]), m[1], m[2]))


def read_ts(path: Path = TS) -> dict[tuple[str, str, str], str | None]:
    """(context, source, comment) -> finished translation (None when unfinished) of our .ts."""
    if not path.exists():
        return {}
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            key = (name, message.findtext("source"), message.findtext("comment") or "")
            finished = translation.get("type") != "unfinished" and bool((translation.text or "").strip())
            found[key] = translation.text if finished else None
    return found


def write_ts(messages: dict[tuple[str, str, str], str | None], path: Path = TS) -> None:
    root = ET.Element("TS", version="2.1", language="vi_VN", sourcelanguage="en")
    by_context: dict[str, ET.Element] = {}
    for (context, source, comment), text in messages.items():
        if context not in by_context:
            element = by_context[context] = ET.SubElement(root, "context")
            ET.SubElement(element, "name").text = context
        message = ET.SubElement(by_context[context], "message")
        ET.SubElement(message, "source").text = source
        if comment:
            ET.SubElement(message, "comment").text = comment
        translation = ET.SubElement(message, "translation")
        if text is None:
            translation.set("type", "unfinished")
        else:
            translation.text = text
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def unfinished(path: Path = TS) -> list[tuple[str, str]]:
    return [(context, source) for (context, source, _c), text in read_ts(path).items() if text is None]


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        kept = read_ts()
        write_ts({key: kept.get(key) for key in qt_sources()})
        subprocess.run(["pyside6-lrelease", str(TS.relative_to(ROOT)), "-qm", str(QM.relative_to(ROOT))],
                       cwd=ROOT, check=True)
    missing = unfinished()
    for context, source in missing:
        print(f"unfinished: [{context}] {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
