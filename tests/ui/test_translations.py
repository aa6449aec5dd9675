"""Languages: every window string has a finished English translation with the same placeholders, the
compiled .qm matches the .ts, English pages show no Vietnamese, and Vietnamese pages show no English."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, sample_case
from ui import i18n
from ui.qt import (QAbstractButton, QApplication, QComboBox, QGroupBox, QLabel, QLineEdit,
                   QListWidget, QMainWindow, QPlainTextEdit, QTabWidget, QTableView, QTextEdit,
                   QTranslator, QWidget, Qt)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "binhan_en.ts"
QM = ROOT / "resources" / "translations" / "binhan_en.qm"

# Letters only Vietnamese uses among the languages we show (a, e, i, o, u, y with Vietnamese marks, đ).
VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ"
                         "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                         "ÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ")
# Proper names that keep their letters in every language.
NAMES_KEPT = ("Bình An", "Tiếng Việt")
# English words that must never reach a Vietnamese page: they would mean a string that skipped tr().
ENGLISH_WORDS = ("Save", "Cancel", "Close", "Delete", "File", "Edit", "View", "Help", "Settings", "Search",
                 "Next", "Back", "Finish", "Yes", "No", "OK", "Open", "Apply", "Reset", "Case", "Cases",
                 "Activity", "Activities", "User", "Password", "Login", "Quit", "Report", "Reports", "Overview",
                 "Loading", "Error", "Warning", "Name", "Date", "Status", "Type", "New", "Add", "Remove",
                 "Select", "Choose", "the", "and", "of", "not")  # not "to": Vietnamese for "big" («chữ to hơn»)

PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^}]*)?\}|%(\d+|n)")


# --- the .ts file -------------------------------------------------------------------------------------------------

def messages(ts: Path):
    """(context, source, [translations], finished) for every live message of a .ts file."""
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            forms = [f.text or "" for f in translation.findall("numerusform")] or [translation.text or ""]
            yield name, message.findtext("source"), forms, translation.get("type") != "unfinished"


def lupdate() -> str | None:
    found = shutil.which("pyside6-lupdate") or shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    return found


@pytest.mark.skipif(lupdate() is None, reason="pyside6-lupdate is not installed")
def test_every_window_string_has_a_finished_english_translation(tmp_path):
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([lupdate(), *sources, "-ts", str(fresh), "-no-obsolete"], check=True, capture_output=True)
    committed = {(context, source): (forms, finished) for context, source, forms, finished in messages(TS)}
    missing = []
    for context, source, _forms, _finished in messages(fresh):
        forms, finished = committed.get((context, source), ([], False))
        if not finished or not all(f.strip() for f in forms):
            missing.append(f"[{context}] {source}")
    assert missing == [], ("untranslated (run: uv run python resources/translations/update.py, then translate):\n"
                           + "\n".join(missing))


def placeholders(text: str) -> list[str]:
    return sorted(m.group(1) if m.group(1) is not None else "%" + m.group(2) for m in PLACEHOLDER.finditer(text))


def test_placeholders_are_the_same_in_source_and_translation():
    wrong = []
    for context, source, forms, _finished in messages(TS):
        for form in forms:
            if placeholders(form) != placeholders(source):
                wrong.append(f"[{context}] {source!r} -> {form!r}")
    assert wrong == []


def test_the_placeholder_check_catches_a_renamed_or_lost_placeholder():
    assert placeholders("{count} vụ việc") != placeholders("{n} cases")
    assert placeholders("Chưa gửi: {count} thay đổi") != placeholders("Unsent: changes")
    assert placeholders("ngày {day:02d}/{month:02d}") == placeholders("{day:02d}/{month:02d}")


def test_translations_carry_no_vietnamese_letters():
    wrong = [f"[{context}] {forms}" for context, _source, forms, _ in messages(TS)
             if any(c in VIETNAMESE_LETTERS for f in forms for c in f.replace("Bình An", ""))]
    assert wrong == []


def test_the_compiled_qm_matches_the_ts(qapp):
    translator = QTranslator()
    assert translator.load(str(QM))
    stale = []
    for context, source, forms, _finished in messages(TS):
        if len(forms) == 1 and translator.translate(context, source) != forms[0]:
            stale.append(f"[{context}] {source}")
    assert stale == [], "binhan_en.qm is older than binhan_en.ts: run resources/translations/update.py"


# --- the pages, walked ------------------------------------------------------------------------------------------

def visible_texts(top: QWidget) -> list[tuple[str, str]]:
    """(what, text) for every text a person can read in `top` now, tabs of every visible tab bar included."""
    texts: list[tuple[str, str]] = []

    def add(widget, text):
        if text and text.strip():
            texts.append((f"{type(widget).__name__}#{widget.objectName()}", text))

    def walk():
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton):
                add(widget, widget.text())
            if isinstance(widget, QAbstractButton) or isinstance(widget, QLabel):
                add(widget, widget.toolTip())
            if isinstance(widget, QLineEdit):
                add(widget, widget.placeholderText())
            if isinstance(widget, QPlainTextEdit | QTextEdit):
                add(widget, widget.placeholderText())
            if isinstance(widget, QGroupBox):
                add(widget, widget.title())
            if isinstance(widget, QComboBox):
                for i in range(widget.count()):
                    add(widget, widget.itemText(i))
            if isinstance(widget, QListWidget):
                for i in range(widget.count()):
                    add(widget, widget.item(i).text())
            if isinstance(widget, QTableView) and widget.model() is not None:
                model = widget.model()
                for column in range(model.columnCount()):
                    add(widget, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for row in range(min(model.rowCount(), 20)):
                    for column in range(model.columnCount()):
                        add(widget, str(model.index(row, column).data() or ""))
            if isinstance(widget, QTabWidget):
                for i in range(widget.count()):
                    add(widget, widget.tabText(i))
            if widget.isWindow():
                add(widget, widget.windowTitle())
            if isinstance(widget, QMainWindow):
                for menu_action in widget.menuBar().actions():
                    add(widget, menu_action.text())
                    for action in menu_action.menu().actions():
                        add(widget, action.text())

    walk()
    for tabs in [t for t in top.findChildren(QTabWidget) if t.isVisible()]:
        current = tabs.currentIndex()
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            QApplication.processEvents()
            walk()
        tabs.setCurrentIndex(current)
    return texts


def every_screen(qtbot, session, node) -> dict[str, list[tuple[str, str]]]:
    """The texts of every page of the main window, its lock screen, the login dialog and the set-up wizard."""
    from ui.login import LoginDialog
    from ui.main_window import PAGE_KEYS, MainWindow
    from ui.setup.wizard import SetupWizard

    screens = {}
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    for key in PAGE_KEYS:
        window.show_page(key)
        qtbot.wait(30)
        screens[key] = visible_texts(window)
    if window.cases_page is not None and hasattr(window.cases_page, "new_case"):
        window.new_case()
        forms = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window
                 and window.isAncestorOf(w) is False and w.objectName() == "caseForm"]
        for form in forms:
            for index in range(len(getattr(form, "SECTION_KEYS", ()))):
                form.go_to_section(index, focus=False)
                QApplication.processEvents()
                screens[f"case form {index}"] = visible_texts(form)
            form.discard_and_close() if hasattr(form, "discard_and_close") else form.close()
    window.lock()
    screens["lock"] = visible_texts(window)
    window.close()

    login = LoginDialog(node)
    qtbot.addWidget(login)
    login.show()
    screens["login"] = visible_texts(login)
    login.close()

    wizard = SetupWizard(Path(node.data_dir).parent / "chua-tao")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.node_page.name_edit.setText("Test Commune")
    wizard.node_page.code_edit.setText("TC01")
    wizard.admin_page.username_edit.setText("admin")
    wizard.admin_page.display_edit.setText("Test Admin")
    for page_id in wizard.pageIds():
        if page_id == wizard.KEY:
            wizard.sample_key_for_screenshots("ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH")
            while wizard.currentId() != wizard.KEY:
                wizard.setStartId(wizard.KEY)
                wizard.restart()
        screens[f"wizard {page_id}"] = visible_texts(wizard)
        if page_id < wizard.CREATE:
            wizard.admin_page.password_edit.setText(ADMIN_PASSWORD)
            wizard.admin_page.repeat_edit.setText(ADMIN_PASSWORD)
            wizard.next()
    wizard.setStartId(wizard.INTRO)
    wizard.close()
    return screens


@pytest.fixture
def english():
    i18n.set_language("en")
    i18n.install_translators(QApplication.instance())
    yield
    i18n._language = None
    i18n.install_translators(QApplication.instance())


@pytest.fixture
def ascii_node(tmp_path):
    """A node whose own names are ASCII, so that any Vietnamese letter on an English page is the window's."""
    from app.node import Node

    node, _ = Node.create(tmp_path / "ascii", kind="commune", name="Test Commune", code="TC01", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD,
                          admin_display_name="Test Admin")
    session = node.login("admin", ADMIN_PASSWORD)
    ascii_identity = {"name": "Test Person", "address": "Village 1", "phone": "0900000001", "id_number": None,
                      "narrative": "Test.", "perpetrator_names": "Test Other", "safety_notes": None}
    session.cases.save(sample_case(identity=ascii_identity, referrals=[]))
    yield node, session
    if session.store is not None:
        session.close()


def vietnamese_in(text: str) -> bool:
    if re.fullmatch(r"[a-zđ]\)", text.strip()):
        return False  # a point of the law (Article 3(1) a) … đ) …) is cited by its own letter
    for name in NAMES_KEPT:
        text = text.replace(name, "")
    return any(c in VIETNAMESE_LETTERS for c in text)


def test_english_pages_show_no_vietnamese(qtbot, english, ascii_node):
    node, session = ascii_node
    screens = every_screen(qtbot, session, node)
    assert "overview" in screens and "lock" in screens and "login" in screens
    found = sorted({f"{screen}: {what}: {text!r}" for screen, texts in screens.items()
                    for what, text in texts if vietnamese_in(text)})
    assert found == [], "\n".join(found)


def test_vietnamese_pages_show_no_english(qtbot, ascii_node):
    node, session = ascii_node
    screens = every_screen(qtbot, session, node)
    words = re.compile(r"(?<![\w&])(" + "|".join(ENGLISH_WORDS) + r")(?![\w])")
    data = (str(Path(node.data_dir).parent), "Test Commune", "Test Admin", "Test Person", "Test Other",
            "Village 1")
    found = []
    for screen, texts in screens.items():
        for what, text in texts:
            clean = text
            for value in data:
                clean = clean.replace(value, "")
            if words.search(clean.replace("&", "")):
                found.append(f"{screen}: {what}: {text!r}")
    assert sorted(set(found)) == [], "\n".join(sorted(set(found)))


def test_the_walk_would_notice_an_untranslated_string(qtbot, english, ascii_node):
    node, session = ascii_node
    widget = QWidget()
    qtbot.addWidget(widget)
    QLabel("Chưa dịch", widget)
    widget.show()
    assert any(vietnamese_in(text) for _what, text in visible_texts(widget))


def test_english_is_really_loaded(qtbot, english, ascii_node):
    from ui.main_window import MainWindow

    _node, session = ascii_node
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Bình An — Test Commune — Test Admin (Administrator)"
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Help"]
    assert window.navigation.item(0).text() == "Overview"
