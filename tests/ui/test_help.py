"""The user guide: opened with F1 or the Help menu, in the window's language, whole (sections, pictures, links),
and naming only buttons and messages the program really shows."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import app
from ui import i18n
from ui.help import GuideWindow, guide_dir, guide_path, heading_anchor
from ui.qt import QApplication, QTextDocument, Qt, QUrl

ROOT = Path(__file__).resolve().parents[2]
GUIDES = {lang: ROOT / "docs" / "guide" / f"{lang}.md" for lang in ("vi", "en")}
TITLES = {"vi": "Hướng dẫn sử dụng Bình An", "en": "Bình An user guide"}

# What issue #7 asks the guide to cover, and the heading that covers it in each language.
REQUIRED_SECTIONS = {
    "set-up": ("Thiết lập lần đầu", "First set-up"),
    "cases": ("Ghi và theo dõi vụ việc", "Recording and following up cases"),
    "activities": ("Ghi hoạt động", "Recording activities"),
    "reports": ("Lập báo cáo", "Making reports"),
    "sending data": ("Gửi số liệu lên cấp trên", "Sending data up"),
    "province": ("Công việc ở tỉnh", "Work at the province"),
    "backup and recovery key": ("Sao lưu và mã khôi phục", "Backups and the recovery key"),
    "forgotten password": ("Quên mật khẩu", "A forgotten password"),
    "lost USB stick": ("Mất USB hoặc USB bị rút giữa chừng",
                       "A lost USB stick, or one pulled out too early"),
    "disk full": ("Ổ đĩa đầy", "A full disk"),
    "refused package": ("Khi gói bị từ chối", "When a package is refused"),
    "who to call": ("Ai giúp bạn", "Who helps you"),
}

IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(#([^)]+)\)")
WINDOW_WORDS = re.compile(r"«([^»]+)»")   # exactly what the window shows
MESSAGE_WORDS = re.compile(r"“([^”]+)”")  # the beginning of a message the program gives


def guide_text(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


def headings(lang: str) -> list[str]:
    return [line.lstrip("#").strip() for line in guide_text(lang).splitlines() if re.match(r"#{1,3} ", line)]


# --- the words the program uses ----------------------------------------------------------------------------
def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("&", "")).strip()


def _python_strings(folder: Path) -> list[str]:
    """Every string written in the code under `folder`; an f-string's fixed parts joined by {}."""
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                found.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
    return found


def _reference_labels() -> list[str]:
    labels = []

    def walk(value):
        if isinstance(value, str):
            labels.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    # The option lists' labels, and the forms' words (issue 18.10: sections, headings, "+ Thêm …" are data).
    for path in [*(ROOT / "data" / "reference").glob("*.toml"), *(ROOT / "data" / "forms").glob("*.toml")]:
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    # A form numbers its sections as it draws them ("1. Hoạt động"): the numbered titles are shown too.
    for path in (ROOT / "data" / "forms").glob("*.toml"):
        for number, section in enumerate(tomllib.loads(path.read_text(encoding="utf-8")).get("section", []), 1):
            labels += [f"{number}. {title}" for title in section.get("title", {}).values()]
    return labels


def _english_window_strings() -> list[str]:
    tree = ET.parse(ROOT / "resources" / "translations" / "binhan_en.ts")
    return [m.text or "" for m in tree.iter("translation")]


@pytest.fixture(scope="module")
def program_words() -> dict[str, list[str]]:
    """The window's strings in each language, the core's messages and the option lists' labels."""
    messages = _python_strings(ROOT / "app") + _python_strings(ROOT / "sync") + _reference_labels()
    window_vi = _python_strings(ROOT / "ui")
    words = {"vi": window_vi + messages, "en": _english_window_strings() + messages}
    return {lang: [_normal(s.replace("{app}", app.NAME)) for s in texts] for lang, texts in words.items()}


def _shown(quote: str, texts: list[str]) -> bool:
    """The quotation's pieces (the guide writes … where the program fills in a name or number) occur, in order,
    in one of `texts`, where {} or … may stand for what the program fills in."""
    pieces = [p.strip(" .") for p in _normal(quote).split("…")]
    pieces = [p for p in pieces if p]
    for text in texts:
        at = 0
        for piece in pieces:
            at = text.find(piece, at)
            if at < 0:
                break
            at += len(piece)
        else:
            return True
    return False


# --- the files -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_picture_the_guide_shows_is_there_and_small(lang):
    pictures = IMAGE.findall(guide_text(lang))
    assert len(pictures) >= 12
    for picture in pictures:
        assert picture.startswith(f"images/{lang}/"), picture  # each language shows its own window
        path = GUIDES[lang].parent / picture
        assert path.is_file(), picture
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture
        assert path.stat().st_size < 400_000, picture


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_guide_has_every_section_the_issue_asks_for(lang):
    found = headings(lang)
    column = 0 if lang == "vi" else 1
    for topic, titles in REQUIRED_SECTIONS.items():
        assert titles[column] in found, f"{lang}: no section on {topic}"


def test_the_english_guide_mirrors_the_vietnamese_one():
    assert len(headings("en")) == len(headings("vi"))
    for shape in (r"^ *\d+\. ", r"^\|", r"^ *- "):  # numbered steps, table rows, list items
        counts = {lang: len(re.findall(shape, guide_text(lang), re.MULTILINE)) for lang in GUIDES}
        assert counts["en"] == counts["vi"], (shape, counts)
    assert [p.split("/")[-1] for p in IMAGE.findall(guide_text("en"))] == \
        [p.split("/")[-1] for p in IMAGE.findall(guide_text("vi"))]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_links_inside_the_guide_reach_a_heading(lang):
    anchors = {heading_anchor(h) for h in headings(lang)}
    links = LINK.findall(guide_text(lang))
    assert links
    for link in links:
        assert link in anchors, link


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_button_page_and_message_the_guide_quotes_is_what_the_program_shows(lang, program_words):
    text = guide_text(lang)
    quotes = WINDOW_WORDS.findall(text) + MESSAGE_WORDS.findall(text)
    assert len(quotes) > 80
    # Words in quotes that are the person's own, not the program's: what is typed into the search box.
    typed = {"nguyen", "Nguyễn"}
    missing = [q for q in quotes if q not in typed and not _shown(q, program_words[lang])]
    assert not missing, f"{lang}: the program never shows {missing}"


def test_the_quote_check_catches_words_the_program_does_not_use(program_words):
    assert _shown("Tạo gói gửi lên", program_words["vi"])
    assert _shown("Gói ghi là của … nhưng được ký bằng khóa của đơn vị khác", program_words["vi"])
    assert not _shown("Gửi gói ngay", program_words["vi"])
    assert not _shown("nhưng được ký bằng khóa của đơn vị khác … Gói ghi là của",
                      program_words["vi"])  # the pieces in another order


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_refusal_of_a_package_or_receipt_is_explained(lang):
    """Each refusal met on importing a package (province) or a receipt or down-package (commune) has its row."""
    from sync import errors

    refusals = [cls for cls in vars(errors).values()
                if isinstance(cls, type) and issubclass(cls, (errors.PackageError, errors.ReceiptError))
                and "template_vi" in vars(cls)]
    assert len(refusals) >= 15
    quoted = MESSAGE_WORDS.findall(guide_text(lang))
    for cls in refusals:
        template = _normal(cls.template_vi if lang == "vi" else cls.template_en)
        assert any(_shown(q, [template]) for q in quoted), f"{lang}: no row for {cls.__name__}"


# --- where the guide is found ------------------------------------------------------------------------------------
def test_the_guide_is_found_in_the_installer_bundle_too(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert guide_dir() == tmp_path / "docs" / "guide"


def test_a_language_without_a_guide_falls_back_to_vietnamese():
    assert guide_path("vi") == GUIDES["vi"]
    assert guide_path("en") == GUIDES["en"]
    assert guide_path("fr") == GUIDES["vi"]


def test_the_build_ships_the_guide_and_its_pictures():
    spec = (ROOT / "build_installer.spec").read_text(encoding="utf-8")
    assert '"docs" / "guide"' in spec and "docs/guide/images/" in spec


# --- in the window -------------------------------------------------------------------------------------------------
def _guide_of(window) -> GuideWindow:
    guide = window.findChild(GuideWindow, "guideWindow")
    assert guide is not None
    return guide


def test_f1_opens_the_guide_in_vietnamese_with_its_pictures(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)
    assert main_window.guide_action.shortcut().toString() == "F1"
    main_window.guide_action.trigger()
    guide = _guide_of(main_window)
    assert guide.isVisible()
    assert guide.title_text() == TITLES["vi"]
    assert guide.windowTitle().startswith("Hướng dẫn sử dụng")
    assert guide.headings() == [h for h in headings("vi")[1:]]
    document = guide.browser.document()
    first = IMAGE.findall(guide_text("vi"))[0]
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(first))
    assert image is not None and not image.isNull()  # read from the path relative to the guide
    # F1 again brings the same window forward rather than opening a second one.
    main_window.guide_action.trigger()
    assert len(main_window.findChildren(GuideWindow)) == 1


def test_pressing_f1_in_the_window_opens_the_guide(qtbot, main_window):
    main_window.show()
    qtbot.waitExposed(main_window)

    def active() -> bool:  # offscreen, a window left by an earlier test may keep the focus: ask again until given
        if QApplication.activeWindow() is main_window:
            return True
        main_window.activateWindow()
        main_window.windowHandle().requestActivate()
        return False

    qtbot.waitUntil(active)
    qtbot.keyClick(main_window.navigation, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: main_window.guide_window is not None and main_window.guide_window.isVisible())
    assert main_window.guide_window.title_text() == TITLES["vi"]


def test_the_help_menu_lists_the_guide_then_about(main_window):
    help_menu = main_window.menuBar().actions()[-1].menu()
    entries = [a.text().replace("&", "") for a in help_menu.actions() if not a.isSeparator()]
    assert entries == ["Hướng dẫn sử dụng", "Giới thiệu"]


def test_the_english_window_shows_the_english_guide(qtbot, session):
    from ui.main_window import MainWindow

    i18n.set_language("en")
    i18n.install_translators(QApplication.instance())
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        guide = window.show_guide()
        assert guide.title_text() == TITLES["en"]
        assert "Sending data up" in guide.headings()
        window.close()
    finally:
        i18n._language = None
        i18n.install_translators(QApplication.instance())


def test_a_link_to_a_heading_scrolls_there_and_keeps_the_guide(qtbot, main_window):
    guide = main_window.show_guide()
    guide.resize(900, 600)
    qtbot.waitExposed(guide)
    bar = guide.browser.verticalScrollBar()
    assert bar.value() == 0
    guide.follow_link(QUrl("#" + heading_anchor("Khi gói bị từ chối")))
    assert bar.value() > 0
    assert guide.title_text() == TITLES["vi"]  # still the rendered guide, not its Markdown as plain text
    assert not guide.browser.toPlainText().startswith("#")


def test_the_contents_list_jumps_to_a_section(qtbot, main_window):
    guide = main_window.show_guide()
    guide.resize(900, 600)
    qtbot.waitExposed(guide)
    row = guide.headings().index("Phần dành cho cán bộ kỹ thuật")
    qtbot.mouseClick(guide.contents.viewport(), Qt.MouseButton.LeftButton,
                     pos=guide.contents.visualItemRect(guide.contents.item(row)).center())
    assert guide.browser.verticalScrollBar().value() > 0
    assert guide.browser.textCursor().block().text() == "Phần dành cho cán bộ kỹ thuật"


def test_searching_the_guide_finds_words_and_says_when_there_are_none(qtbot, main_window):
    guide = main_window.show_guide()
    qtbot.keyClicks(guide.search_edit, "USB")
    qtbot.keyClick(guide.search_edit, Qt.Key.Key_Return)
    assert guide.browser.textCursor().selectedText() == "USB"
    guide.search_edit.setText("không-có-trong-hướng-dẫn")
    assert guide.find_next() is False
    assert "không-có-trong-hướng-dẫn" in guide.search_status.text()


def test_a_missing_guide_is_said_plainly(qtbot, monkeypatch, tmp_path):
    import ui.help as help_module

    monkeypatch.setattr(help_module, "guide_dir", lambda: tmp_path)
    guide = GuideWindow()
    qtbot.addWidget(guide)
    assert "Không tìm thấy tệp hướng dẫn sử dụng" in guide.browser.toPlainText()
    assert guide.headings() == []


def test_about_names_the_licences_of_the_program_and_its_fonts(qtbot, main_window):
    box = main_window.show_about()
    details = box.informativeText()
    assert "GPL-3.0-or-later" in details
    assert "Noto Sans" in details and "Tinos" in details and "SIL Open Font License 1.1" in details
    assert app.__version__ in box.text()
    box.close()


def test_every_topic_other_windows_open_is_a_heading_of_each_guide():
    from ui.help import TOPICS

    for topic, by_language in TOPICS.items():
        for lang, heading in by_language.items():
            assert heading in headings(lang), f"{topic}: {lang}"


def test_f1_on_the_login_opens_the_guide_at_the_forgotten_password(qtbot, new_node):
    from ui.login import LoginDialog

    dialog = LoginDialog(new_node)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    f1 = next(a for a in dialog.actions() if a.shortcut().toString() == "F1")
    f1.trigger()  # the F1 key (a window shortcut: offscreen windows are never active, so it is triggered here)
    guide = dialog.guide_window
    assert guide is not None and guide.isVisible()
    assert guide.title_text() == TITLES["vi"]
    bar = guide.browser.verticalScrollBar()
    assert bar.value() > 0
    top = guide.browser.cursorForPosition(guide.browser.viewport().rect().topLeft()).block()
    assert "Quên mật khẩu" in {top.text(), top.next().text(), top.previous().text()}
    assert dialog.isVisible()  # the login stays, waiting


def _shown_picture_widths(guide) -> list[int]:
    document = guide.browser.document()
    widths = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                shown = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(fmt.toImageFormat().name()))
                widths.append(shown.width())
            it += 1
        block = block.next()
    return widths


def test_pictures_fit_the_text_width_and_follow_a_resize(qtbot, main_window):
    guide = main_window.show_guide()
    qtbot.waitExposed(guide)
    guide.resize(800, 600)
    qtbot.waitUntil(lambda: max(_shown_picture_widths(guide)) <= guide.browser.viewport().width() - 100)
    narrow = max(_shown_picture_widths(guide))
    assert len(_shown_picture_widths(guide)) == len(IMAGE.findall(guide_text("vi")))
    guide.resize(1300, 800)
    qtbot.waitUntil(lambda: max(_shown_picture_widths(guide)) > narrow)
    assert max(_shown_picture_widths(guide)) <= 800  # never wider than IMAGE_WIDTH
