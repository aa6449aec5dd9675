"""Accepting a registration: the fingerprint in the file against the one read out on the phone.

The dialog never decides: it hands the fingerprint the person typed (or, when
they ticked that they compared it group by group, the one in the file) to the
core, which refuses a mismatch; the refusal is shown here and the dialog stays
open for another try.
"""

from __future__ import annotations

from ui.i18n import language
from ui.qt import (
    QCheckBox,
    QDialog,
    QFont,
    QFontDatabase,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    Signal,
)


def kind_label(kind: str) -> str:
    from ui.i18n import translate

    labels = {"point": translate("SyncPage", "điểm"), "commune": translate("SyncPage", "xã"),
              "district": translate("SyncPage", "huyện"), "province": translate("SyncPage", "tỉnh")}
    return labels.get(kind, kind)


class FingerprintDialog(QDialog):
    #: The person confirmed; carries the fingerprint to hand to the core.
    confirmed = Signal(str)

    def __init__(self, shown: dict, parent=None):
        super().__init__(parent)
        self.setObjectName("fingerprintDialog")
        self.setWindowTitle(self.tr("So khớp mã đối chiếu"))
        self.setMinimumWidth(520)
        self.file_fingerprint = shown["fingerprint"]
        node = shown["node"]
        _ = language()

        intro = QLabel(self.tr("{name} (mã {code}, cấp {kind}) xin đăng ký gửi dữ liệu lên đơn vị này.").format(
            name=node["name"], code=node["code"], kind=kind_label(node["kind"])))
        intro.setObjectName("registrationIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet("font-weight: 600;")

        self.fingerprint_label = QLabel(self.file_fingerprint)
        self.fingerprint_label.setObjectName("fileFingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.4)
        mono.setWeight(QFont.Weight.Bold)
        self.fingerprint_label.setFont(mono)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        steps = QLabel(self.tr(
            "Gọi điện cho cán bộ của {name} theo số điện thoại bạn đã biết (không dùng số ghi trong tệp hay thư "
            "gửi kèm). Đề nghị họ mở trang Đồng bộ và đọc mã đối chiếu của đơn vị họ. Gõ lại mã họ đọc vào ô "
            "dưới, hoặc so từng nhóm bốn chữ số rồi đánh dấu ô xác nhận. Nếu mã khác, đừng chấp nhận: tệp có thể "
            "không phải do họ gửi.").format(name=node["name"]))
        steps.setWordWrap(True)

        self.typed_edit = QLineEdit()
        self.typed_edit.setObjectName("typedFingerprint")
        self.typed_edit.setPlaceholderText("0000 0000 0000 0000 0000")
        self.typed_edit.textChanged.connect(self._update)
        self.match_check = QCheckBox(self.tr("Tôi đã so từng nhóm chữ số: mã đọc qua điện thoại trùng với mã trên."))
        self.match_check.setObjectName("fingerprintMatches")
        self.match_check.toggled.connect(self._update)

        self.error_label = QLabel()
        self.error_label.setObjectName("fingerprintError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a11d12;")
        self.error_label.hide()

        self.accept_button = QPushButton(self.tr("Chấp nhận đăng ký"))
        self.accept_button.setObjectName("acceptRegistration")
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self._confirm)
        self.cancel_button = QPushButton(self.tr("Không chấp nhận"))
        self.cancel_button.setObjectName("refuseRegistration")
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("Mã đối chiếu trong tệp:"), self.fingerprint_label)
        form.addRow(self.tr("Mã đọc qua điện thoại:"), self.typed_edit)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.accept_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(steps)
        layout.addLayout(form)
        layout.addWidget(self.match_check)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self._update()

    def chosen_fingerprint(self) -> str | None:
        """What the core checks: the typed fingerprint, else (ticked) the file's, else nothing yet."""
        typed = self.typed_edit.text().strip()
        if typed:
            return typed
        return self.file_fingerprint if self.match_check.isChecked() else None

    def _update(self, *_args) -> None:
        self.accept_button.setEnabled(self.chosen_fingerprint() is not None)
        # Typing takes over from the tick: what was typed is what the core checks.
        self.match_check.setEnabled(not self.typed_edit.text().strip())

    def _confirm(self) -> None:
        fingerprint = self.chosen_fingerprint()
        if fingerprint is None:
            return
        self.error_label.hide()
        self.accept_button.setEnabled(False)
        self.confirmed.emit(fingerprint)

    def show_refusal(self, text: str) -> None:
        """The core refused (the fingerprints differ): say so and let the person try again or give up."""
        self.error_label.setText(text)
        self.error_label.show()
        self.typed_edit.selectAll()
        self.typed_edit.setFocus()
        self._update()
