"""The text-size choice for the Settings page: a box of sizes, 100–150 %, the one in use chosen.

    box = TextSizeBox()
    box.text_size_chosen.connect(window.change_text_size)   # remembered for the user, the window rebuilt

The View menu offers the same sizes (Xem → Cỡ chữ, Ctrl+= / Ctrl+-).
"""

from __future__ import annotations

from ui import text_size
from ui.qt import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, Signal


class TextSizeBox(QGroupBox):
    #: The person chose a size (percent); the window applies and remembers it.
    text_size_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(self.tr("Cỡ chữ"), parent)
        self.setObjectName("textSizeBox")
        self.combo = QComboBox()
        self.combo.setObjectName("textSizeChoice")
        for percent in text_size.CHOICES:
            self.combo.addItem(f"{percent} %", percent)
        self.combo.setCurrentIndex(max(self.combo.findData(text_size.current()), 0))
        self.combo.currentIndexChanged.connect(lambda _i: self.text_size_chosen.emit(self.combo.currentData()))
        note = QLabel(self.tr("Chữ trong mọi cửa sổ to hơn theo tỉ lệ này (cộng thêm tỉ lệ hiển thị của hệ điều "
                              "hành). Được nhớ riêng cho từng người dùng. Phím tắt: Ctrl+= và Ctrl+-."))
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.combo)
        row.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("Cỡ chữ:"), row)
        form.addRow(note)


__all__ = ["TextSizeBox"]
