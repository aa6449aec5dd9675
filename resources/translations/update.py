"""Refresh the English translation after window strings changed: collect, then compile.

    uv run python resources/translations/update.py           # lupdate + lrelease, then list what is unfinished
    uv run python resources/translations/update.py --check   # only list what is unfinished (exit 1 if any)

Vietnamese is the source language: every `self.tr("…")` / `translate("Ctx", "…")`
under ui/ is collected into `binhan_en.ts`, keeping the translations already
there. New or changed strings come in as unfinished: translate them (Qt
Linguist, `uv run pyside6-linguist resources/translations/binhan_en.ts`, or
any editor), keep every placeholder ({name}, {count}, %n) exactly as in the
source, then run this again so `binhan_en.qm` is rebuilt. Commit both files;
tests/ui/test_translations.py fails while anything is unfinished.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "binhan_en.ts"
QM = HERE / "binhan_en.qm"


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def unfinished(ts: Path = TS) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
            if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(f and f.strip()
                                                                                         for f in forms):
                if translation.get("type") not in ("vanished", "obsolete"):
                    missing.append((name, message.findtext("source")))
    return missing


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        subprocess.run(["pyside6-lupdate", *ui_sources(), "-ts", str(TS.relative_to(ROOT)), "-no-obsolete",
                        "-locations", "relative", "-source-language", "vi_VN", "-target-language", "en_GB"],
                       cwd=ROOT, check=True)
        subprocess.run(["pyside6-lrelease", str(TS.relative_to(ROOT)), "-qm", str(QM.relative_to(ROOT))],
                       cwd=ROOT, check=True)
    missing = unfinished()
    for context, source in missing:
        print(f"unfinished: [{context}] {source}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
