"""The user guide, opened from the Help menu (F1).

The guide is Markdown in `docs/guide/<lang>.md` with its pictures under
`docs/guide/images/<lang>/`, shipped beside `data/` and `resources/` (the
checkout's folder, or the installer bundle's: `app.paths.install_root`). It is
shown inside the program, offline, in the window's language; a list of its
headings on the left jumps to each part, and a search box finds words in it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import app
from app.paths import install_root
from ui.i18n import DEFAULT_LANGUAGE, language
from ui.qt import (QDesktopServices, QDialog, QEvent, QHBoxLayout, QImage, QLabel, QLineEdit, QListWidget,
                   QListWidgetItem, QPushButton, QSplitter, Qt, QTextBrowser, QTextCharFormat, QTextCursor,
                   QTextDocument, QTextImageFormat, QUrl, QVBoxLayout)
from ui.widgets.screen import fit_to_screen

log = logging.getLogger(__name__)

#: No picture is shown wider than this (the files are about 1000 px wide).
IMAGE_WIDTH = 800


#: Parts of the guide other windows open it at, by the heading's text in each language.
TOPICS = {
    "forgotten_password": {"vi": "Quên mật khẩu", "en": "A forgotten password"},
}


def heading_anchor(text: str) -> str:
    """The name a link to a heading uses, as GitHub makes it: "Lần đầu: đăng ký" → "lần-đầu-đăng-ký"."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def guide_dir() -> Path:
    """`docs/guide` of the checkout or of the installer bundle (build_installer.spec ships it)."""
    return install_root() / "docs" / "guide"


def guide_path(lang: str | None = None) -> Path:
    """The guide in `lang` (the window's language by default); the Vietnamese one when that is missing."""
    wanted = guide_dir() / f"{lang or language()}.md"
    return wanted if wanted.is_file() else guide_dir() / f"{DEFAULT_LANGUAGE}.md"


class GuideWindow(QDialog):
    """The user guide, read inside the program. Not modal: the person can follow it while working."""

    def __init__(self, parent=None, lang: str | None = None):
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)  # its own window, with minimise and maximise
        self.setWindowTitle(self.tr("Hướng dẫn sử dụng — {app}").format(app=app.NAME))
        fit_to_screen(self, 1100, 700)  # fits the 1366 × 768 screens of many commune PCs
        self.path = guide_path(lang)
        self._pictures: dict[str, QImage | None] = {}
        self._picture_names: dict[str, str] = {}  # a narrowed picture's name -> the picture's own name
        self._room = 0  # the width the pictures were last fitted to

        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        # Links are followed here: a heading of the guide is scrolled to (QTextBrowser would reload the page as
        # plain text), a web address goes to the system's browser, anything else is ignored.
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.setSearchPaths([str(self.path.parent)])
        self.browser.viewport().installEventFilter(self)
        self.browser.document().setDocumentMargin(14)

        self.contents = QListWidget()
        self.contents.setObjectName("guideContents")
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.itemActivated.connect(self._jump)
        self.contents.itemClicked.connect(self._jump)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("guideSearch")
        self.search_edit.setPlaceholderText(self.tr("Tìm trong hướng dẫn…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.find_next)
        self.find_button = QPushButton(self.tr("Tìm tiếp"))
        self.find_button.clicked.connect(self.find_next)
        self.search_status = QLabel()
        self.search_status.setObjectName("guideSearchStatus")
        close_button = QPushButton(self.tr("Đóng"))
        close_button.clicked.connect(self.close)

        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 840])
        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.find_button)
        bar.addWidget(self.search_status)
        bar.addStretch(1)
        bar.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.load()

    def load(self) -> None:
        """Read the guide file again (it is rendered from Markdown; pictures from paths relative to it)."""
        self.contents.clear()
        self._pictures.clear()
        self._picture_names.clear()
        self._room = 0
        if not self.path.is_file():
            log.warning("the user guide is missing: %s", self.path)
            self.browser.setPlainText(self.tr(
                "Không tìm thấy tệp hướng dẫn sử dụng ({path}). Bản cài có thể thiếu tệp; hãy báo cho cán bộ hỗ "
                "trợ kỹ thuật.").format(path=self.path))
            return
        self.browser.setSource(QUrl.fromLocalFile(str(self.path)), QTextDocument.ResourceType.MarkdownResource)
        self._fit_images()
        self._list_headings()
        self.browser.document().setModified(False)

    def title_text(self) -> str:
        """The guide's first heading, as shown."""
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 1:
                return block.text()
            block = block.next()
        return ""

    def _fit_images(self) -> None:
        """Show each picture at its own size, or narrower to fit the text's width (and never wider than
        IMAGE_WIDTH), keeping its proportions; called again when the window changes size.

        A narrowed picture is scaled smoothly here and given to the document under its own name: the text
        layout would otherwise shrink it pixel by pixel and the words in the screenshot would not be readable.
        """
        document = self.browser.document()
        room = max(240, min(IMAGE_WIDTH, self.browser.viewport().width() - 110))  # room for a list's indent
        if abs(room - self._room) < 24:
            return  # a scroll bar coming or going must not set the pictures' sizes swinging
        self._room = room
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_format = fmt.toImageFormat()
                    name = self._picture_names.get(image_format.name(), image_format.name())
                    picture = self._picture(name)
                    if picture is not None:
                        shown_name = name
                        if picture.width() > room:
                            shown_name = f"{name}?width={room}"
                            if shown_name not in self._picture_names:
                                narrowed = picture.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
                                # Looked up as the document resolves names: against the guide file's address.
                                document.addResource(QTextDocument.ResourceType.ImageResource,
                                                     document.baseUrl().resolved(QUrl(shown_name)), narrowed)
                                self._picture_names[shown_name] = name
                        if shown_name != image_format.name():
                            fitted = QTextImageFormat(image_format)
                            fitted.setName(shown_name)
                            cursor.setPosition(fragment.position())
                            cursor.setPosition(fragment.position() + fragment.length(),
                                               QTextCursor.MoveMode.KeepAnchor)
                            cursor.setCharFormat(fitted)
                it += 1
            block = block.next()

    def _picture(self, name: str):
        """The picture `name` (a path relative to the guide) at its own size, or None when it cannot be read."""
        if name not in self._pictures:
            loaded = self.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
            if hasattr(loaded, "toImage"):
                loaded = loaded.toImage()
            self._pictures[name] = loaded if isinstance(loaded, QImage) and not loaded.isNull() else None
        return self._pictures[name]

    def eventFilter(self, watched, event) -> bool:
        # The text's width is known once its viewport has its size, after the window's own resize.
        if watched is self.browser.viewport() and event.type() == QEvent.Type.Resize and self.path.is_file():
            self._fit_images()
        return super().eventFilter(watched, event)

    def _list_headings(self) -> None:
        """Fill the contents list, and name each heading so that links like `(#khi-gói-bị-từ-chối)` reach it."""
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                anchor = QTextCharFormat()
                anchor.setAnchor(True)
                anchor.setAnchorNames([heading_anchor(block.text())])
                cursor.mergeCharFormat(anchor)
            if level in (2, 3) and block.text().strip():
                item = QListWidgetItem(("    " if level == 3 else "") + block.text().strip())
                item.setData(Qt.ItemDataRole.UserRole, block.position())
                if level == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.contents.addItem(item)
            block = block.next()

    def headings(self) -> list[str]:
        return [self.contents.item(row).text().strip() for row in range(self.contents.count())]

    def _jump(self, item: QListWidgetItem) -> None:
        """Show the heading at the top of the text."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(int(item.data(Qt.ItemDataRole.UserRole)))
        self.browser.setTextCursor(cursor)
        block_top = self.browser.document().documentLayout().blockBoundingRect(cursor.block()).top()
        self.browser.verticalScrollBar().setValue(int(block_top))

    def show_topic(self, topic: str) -> None:
        """Scroll to one of TOPICS, in the guide's language."""
        headings = TOPICS[topic]
        heading = headings.get(self.path.stem, headings[DEFAULT_LANGUAGE])
        self.browser.scrollToAnchor(heading_anchor(heading))

    def follow_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and (not url.path() or url.fileName() == self.path.name):
            self.browser.scrollToAnchor(url.fragment())

    def find_next(self) -> bool:
        """The next place the search text occurs, from the top again after the last one."""
        text = self.search_edit.text().strip()
        self.search_status.clear()
        if not text:
            return False
        if self.browser.find(text):
            return True
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        if self.browser.find(text):
            return True
        self.search_status.setText(self.tr("Không thấy «{text}».").format(text=text))
        return False

