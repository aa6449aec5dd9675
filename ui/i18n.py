"""Language of the window: Vietnamese by default, English second.

Every visible string goes through Qt's translation, either `self.tr("…")` in a
QObject subclass or `translate("Context", "…")` elsewhere, so that
`pyside6-lupdate` can collect them into `.ts` files. The source strings are
Vietnamese (the default language needs no translation file of ours); an English
`binhan_en.qm` under `resources/translations/` is loaded when English is chosen.
Qt's own words (standard buttons, context menus, file and print dialogs) come
from Qt's catalogue in English and from our `qtbase_vi.qm` in Vietnamese.
Placeholders are named (`{count}`), filled with `str.format` after translation.

Labels of codes come from the core's reference data in the same language
(`language()`), and so do the core's error messages (`error_text`).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from app.paths import resources_dir
from ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
# The checkout's resources/, or the installer bundle's.
TRANSLATIONS_DIR = resources_dir() / "translations"

_language: str | None = None
# Installed translators must outlive the call that installed them.
_translators: list[QTranslator] = []


def language() -> str:
    """"vi" or "en": set_language(), else the BINHAN_LANG environment variable, else Vietnamese."""
    if _language is not None:
        return _language
    wanted = (os.environ.get("BINHAN_LANG") or DEFAULT_LANGUAGE).strip().lower()
    return "en" if wanted.startswith("en") else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _language
    _language = "en" if lang.lower().startswith("en") else DEFAULT_LANGUAGE


def install_translators(app: QCoreApplication) -> None:
    """Load the window's and Qt's own translations for `language()`, where the files exist.

    Settings change the language at once by calling this again and rebuilding the window.
    """
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    lang = language()
    QLocale.setDefault(QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Vietnamese,
                               QLocale.Country.UnitedKingdom if lang == "en" else QLocale.Country.Vietnam))
    if lang == DEFAULT_LANGUAGE:
        # Our strings are Vietnamese already; Qt's own (standard buttons, context menus, file and print
        # dialogs) are English in Qt and Qt ships no Vietnamese: ours is `qtbase_vi` (qt_update.py).
        candidates = [(TRANSLATIONS_DIR, f"qtbase_{lang}")]
    else:
        candidates = [(TRANSLATIONS_DIR, f"binhan_{lang}"),
                      (Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{lang}")]
    for folder, name in candidates:
        translator = QTranslator()
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            _translators.append(translator)


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Qt's translation outside a QObject; keep `context` and `text` literal so lupdate finds them."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def error_text(error: BaseException) -> str:
    """What to tell a person about a failure: the core's message, never a stack trace."""
    message = getattr(error, "message", None)
    if callable(message):
        return message(language())
    return translate("Errors", "Đã xảy ra lỗi không mong muốn. Hãy thử lại; nếu vẫn lỗi, hãy báo cho "
                               "cán bộ hỗ trợ kỹ thuật.")


def format_date(value: str | date | None) -> str:
    """ISO date (as the core stores it) to dd/mm/yyyy; empty for none; unreadable text as it is."""
    if not value:
        return ""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_count(number: int) -> str:
    """Whole numbers grouped by thousands with a space: 1234 -> "1 234" (Vietnamese and English alike)."""
    return f"{number:,}".replace(",", " ")
