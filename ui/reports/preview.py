"""The preview beside the report's choices: rendered pages one under another, or the report as text."""

from __future__ import annotations

from ui.qt import (
    QFrame,
    QImage,
    QLabel,
    QPixmap,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)


class PreviewPane(QWidget):
    """Shows `show_pages(png_bytes, total)`, `show_text(text)` or a hint; pages are scaled to the pane's width."""

    MARGIN = 16
    MIN_PAGE_WIDTH = 240

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reportPreview")
        self.note = QLabel()
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)

        self.hint = QLabel(self.tr("Chọn báo cáo và kỳ báo cáo, rồi bấm «Xem trước» để xem các trang trước khi lưu."))
        self.hint.setObjectName("previewHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #555; padding: 24px;")

        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setContentsMargins(self.MARGIN, self.MARGIN, self.MARGIN, self.MARGIN)
        self.pages_layout.setSpacing(self.MARGIN)
        self.pages_layout.addStretch(1)  # pages are inserted above it, so they stay at the top
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("previewScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.pages_widget)
        self.scroll_area.setStyleSheet("QScrollArea { background: #8a8f96; } #previewPages { background: #8a8f96; }")

        self.text = QPlainTextEdit()
        self.text.setObjectName("previewText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.scroll_area)
        self.stack.addWidget(self.text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        self._images: list[QImage] = []
        self.page_labels: list[QLabel] = []
        self.note.hide()

    # --- what it shows ---------------------------------------------------------------------------
    def show_hint(self, text: str | None = None) -> None:
        if text:
            self.hint.setText(text)
        self._clear_pages()
        self.note.hide()
        self.stack.setCurrentWidget(self.hint)

    def show_pages(self, images: list[bytes], total: int) -> None:
        self._clear_pages()
        for data in images:
            image = QImage.fromData(data)  # PNG, from our own renderer: Qt reads the format from it
            if image.isNull():
                continue
            self._images.append(image)
            label = QLabel()
            label.setObjectName("previewPage")
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("QLabel { background: white; border: 1px solid #5c6168; }")
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.page_labels.append(label)
            self.pages_layout.insertWidget(self.pages_layout.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
        shown = len(self._images)
        if total > shown:
            self.set_note(self.tr("Đang xem {shown} trang đầu trong tổng số {total} trang.").format(
                shown=shown, total=total))
        else:
            self.set_note(self.tr("Báo cáo có {total} trang.").format(total=max(total, shown)))
        self.stack.setCurrentWidget(self.scroll_area)
        self._scale_pages()
        self.scroll_area.verticalScrollBar().setValue(0)

    def show_text(self, text: str, note: str | None = None) -> None:
        self._clear_pages()
        self.text.setPlainText(text)
        self.set_note(note or self.tr("Nội dung báo cáo dạng chữ (bảng tính không có trang in để xem trước)."))
        self.stack.setCurrentWidget(self.text)

    def set_note(self, text: str, *, stale: bool = False) -> None:
        self.note.setStyleSheet("color: #8a5a00;" if stale else "color: #333;")
        self.note.setText(text)
        self.note.show()

    def add_note_line(self, text: str) -> None:
        """One more line under the note (the small-cell audit's result)."""
        if text:
            self.set_note(f"{self.note.text()}\n{text}" if self.note.text() else text)

    def mark_stale(self) -> None:
        """The choices changed since the preview was made."""
        if self.stack.currentWidget() is not self.hint:
            self.set_note(self.tr("Bạn đã đổi lựa chọn: bấm «Xem trước» để cập nhật bản xem trước."), stale=True)

    # --- scaling ------------------------------------------------------------------------------------
    def _clear_pages(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        self._images = []

    def _scale_pages(self) -> None:
        # The viewport less the margins and room for the vertical scroll bar, shown or not yet.
        bar = 0 if self.scroll_area.verticalScrollBar().isVisible() else self.scroll_area.verticalScrollBar().sizeHint().width()
        width = max(self.MIN_PAGE_WIDTH, self.scroll_area.viewport().width() - 2 * self.MARGIN - bar - 4)
        for image, label in zip(self._images, self.page_labels, strict=True):
            target = min(width, image.width())
            pixmap = QPixmap.fromImage(image).scaledToWidth(target, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.width() + 2, pixmap.height() + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._images:
            self._scale_pages()
