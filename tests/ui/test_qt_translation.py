"""Qt's own words in Vietnamese: our qtbase_vi catalogue is complete for the Qt we run, keeps its placeholders,
is compiled, and really replaces the English of standard buttons, context menus and Qt's file and print dialogs."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.ui.test_translations import ENGLISH_WORDS, placeholders, visible_texts
from ui import i18n
from ui.qt import (QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPlainTextEdit,
                   QTranslator, QWidget)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "resources" / "translations"))
import qt_update  # noqa: E402

ENGLISH = re.compile(r"(?<![\w&])(" + "|".join(ENGLISH_WORDS) + r")(?![\w])")


def english_in(text: str) -> bool:
    return bool(ENGLISH.search(text.replace("&", "")))


@pytest.fixture
def vietnamese(qapp):
    i18n.set_language("vi")
    i18n.install_translators(qapp)
    yield
    i18n._language = None
    i18n.install_translators(qapp)


def test_every_qt_string_we_translate_is_finished():
    assert qt_update.unfinished() == []


def test_the_catalogue_covers_every_string_of_its_contexts_in_the_qt_we_run():
    ours = set(qt_update.read_ts())
    missing = [m for m in qt_update.qt_sources() if m not in ours]
    assert missing == [], "run: uv run python resources/translations/qt_update.py, then translate"
    assert len(ours) > 250


def test_the_qm_reader_finds_qts_own_strings():
    sources = {(c, s) for c, s, _ in qt_update.qm_sources(qt_update.qt_translations_dir() / "qtbase_de.qm")}
    assert ("QPlatformTheme", "Cancel") in sources and ("QLineEdit", "&Paste") in sources


def test_placeholders_and_line_breaks_survive_translation():
    wrong = [(c, s, t) for (c, s, _), t in qt_update.read_ts().items()
             if placeholders(s) != placeholders(t) or s.count("\n") != t.count("\n")]
    assert wrong == []


def test_translations_are_vietnamese_not_english_left_over():
    left = [(c, s, t) for (c, s, _), t in qt_update.read_ts().items() if english_in(t)]
    assert left == []


def test_the_compiled_qm_matches_the_ts(qapp):
    translator = QTranslator()
    assert translator.load(str(qt_update.QM))
    stale = [(c, s) for (c, s, comment), t in qt_update.read_ts().items()
             if translator.translate(c, s, comment or None) != t]
    assert stale == [], "qtbase_vi.qm is older than qtbase_vi.ts: run resources/translations/qt_update.py"


def test_standard_buttons_speak_vietnamese(qtbot, vietnamese):
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    box = QMessageBox(QMessageBox.Icon.Question, "x", "x",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Có"
    assert box.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Không"


def test_english_keeps_qts_english(qtbot, qapp):
    i18n.set_language("en")
    i18n.install_translators(qapp)
    try:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(buttons)
        assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    finally:
        i18n._language = None
        i18n.install_translators(qapp)


@pytest.mark.parametrize("kind", [QLineEdit, QPlainTextEdit])
def test_the_context_menu_of_a_text_box_speaks_vietnamese(qtbot, vietnamese, kind):
    edit = kind()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert "&Dán" in texts and "Chọn tất cả" in texts
    assert [t for t in texts if english_in(t)] == []
    menu.deleteLater()


def test_qts_own_file_dialog_speaks_vietnamese(qtbot, vietnamese, tmp_path):
    dialog = QFileDialog(None, "Lưu", str(tmp_path), "Tệp PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [(what, text.replace(str(tmp_path), "")) for what, text in visible_texts(dialog)]
    assert any(text == "&Tên tệp:" for _what, text in texts)
    assert [(what, text) for what, text in texts if english_in(text)] == []
    for view in dialog.findChildren(QWidget):
        model = getattr(view, "model", lambda: None)()
        if model is not None and hasattr(model, "headerData") and model.columnCount() >= 4:
            from ui.qt import Qt

            headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
            assert headers[0] == "Tên" and "Size" not in headers
            break
    dialog.reject()


def test_qts_own_print_dialog_speaks_vietnamese(qtbot, vietnamese):
    from ui.qt import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = visible_texts(dialog)
    assert [(what, text) for what, text in texts if english_in(text) and text != "PDF"] == []
    dialog.reject()


def test_a_qt_string_left_untranslated_would_be_seen(qtbot, vietnamese):
    assert english_in("Cancel") and english_in("File &name:") and not english_in("Hủy")
