"""The Sync page's "send up" side: the parent, what waits to go, the package to a drive, receipts, history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.reports.submission import SENDING_KINDS
from sync import down, enrol, receipt
from ui.i18n import format_count, format_date, language
from ui.qt import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.sync import work
from ui.widgets.confirm import confirm
from ui.widgets.table import Column, RowsModel, rows_view


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class UpstreamPanel(QWidget):
    def __init__(self, page):
        super().__init__()
        self.page = page
        self.session = page.session
        self.setObjectName("syncUpstream")

        # --- the parent ---------------------------------------------------------------------------
        self.parent_label = _selectable(QLabel())
        self.parent_label.setObjectName("parentName")
        self.parent_label.setStyleSheet("font-weight: 600;")
        self.parent_fingerprint = _selectable(QLabel())
        self.parent_fingerprint.setObjectName("parentFingerprint")
        self.own_fingerprint = _selectable(QLabel())
        self.own_fingerprint.setObjectName("ownFingerprint")
        self.import_profile_button = QPushButton(self.tr("Nhập hồ sơ tỉnh…"))
        self.import_profile_button.setObjectName("importProfile")
        self.import_profile_button.clicked.connect(self.import_profile)
        self.export_registration_button = QPushButton(self.tr("Xuất tệp đăng ký…"))
        self.export_registration_button.setObjectName("exportRegistration")
        self.export_registration_button.clicked.connect(self.export_registration)

        parent_box = QGroupBox(self.tr("Cấp trên"))
        grid = QGridLayout(parent_box)
        grid.addWidget(self.parent_label, 0, 0)
        grid.addWidget(self.parent_fingerprint, 1, 0)
        grid.addWidget(self.own_fingerprint, 2, 0)
        buttons = QVBoxLayout()
        buttons.addWidget(self.import_profile_button)
        buttons.addWidget(self.export_registration_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 1, 3, 1)
        grid.setColumnStretch(0, 1)

        # --- sending ----------------------------------------------------------------------------------
        self.counts_label = _selectable(QLabel())
        self.counts_label.setObjectName("unsentCount")
        self.drive_combo = QComboBox()
        self.drive_combo.setObjectName("driveChoice")
        self.drive_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.drive_combo.setMinimumContentsLength(22)
        self.drive_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.refresh_drives_button = QPushButton(self.tr("Tìm lại ổ USB"))
        self.refresh_drives_button.setObjectName("refreshDrives")
        self.refresh_drives_button.clicked.connect(self.page.refresh)
        self.build_button = QPushButton(self.tr("Tạo gói gửi lên"))
        self.build_button.setObjectName("buildPackage")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.build_package)
        self.import_button = QPushButton(self.tr("Nhập biên nhận / gói từ cấp trên…"))
        self.import_button.setObjectName("importFromParent")
        self.import_button.clicked.connect(self.import_from_parent)

        self.mail_button = QPushButton(self.tr("Gửi qua thư điện tử"))
        self.mail_button.setObjectName("sendByMail")
        self.mail_button.clicked.connect(self.send_by_mail)
        self.push_button = QPushButton(self.tr("Gửi qua mạng"))
        self.push_button.setObjectName("pushToServer")
        self.push_button.clicked.connect(self.push)
        self.fetch_button = QPushButton(self.tr("Nhận thư từ cấp trên"))
        self.fetch_button.setObjectName("fetchMail")
        self.fetch_button.setToolTip(self.tr("Đọc hộp thư: biên nhận và gói xuống của cấp trên gửi bằng thư."))
        self.fetch_button.clicked.connect(self.fetch_mail)
        self.wires_button = QPushButton(self.tr("Cài đặt thư và mạng…"))
        self.wires_button.setObjectName("editWires")
        self.wires_button.clicked.connect(self.page.edit_wires)

        send_box = QGroupBox(self.tr("Gửi dữ liệu lên"))
        send = QVBoxLayout(send_box)
        send.addWidget(self.counts_label)
        row = QHBoxLayout()
        caption = QLabel(self.tr("Ghi gói vào:"))
        caption.setBuddy(self.drive_combo)
        row.addWidget(caption)
        row.addWidget(self.drive_combo, 1)
        row.addWidget(self.refresh_drives_button)
        send.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.build_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        send.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Khi có mạng:")))
        row.addWidget(self.mail_button)
        row.addWidget(self.push_button)
        row.addWidget(self.fetch_button)
        row.addStretch(1)
        row.addWidget(self.wires_button)
        send.addLayout(row)

        # --- the annual report -------------------------------------------------------------------------
        self.annual_year = QComboBox()
        self.annual_year.setObjectName("annualYear")
        this_year = date.today().year
        for year in range(this_year, this_year - 3, -1):
            self.annual_year.addItem(str(year), year)
        self.finalise_button = QPushButton(self.tr("Hoàn tất và gửi báo cáo năm…"))
        self.finalise_button.setObjectName("finaliseAnnual")
        self.finalise_button.setToolTip(self.tr(
            "Lập báo cáo năm đã chọn (số liệu và bản PDF), lưu lại và gửi lên cấp trên trong gói tiếp theo. "
            "Hoàn tất lại một năm thì bản mới thay bản trước."))
        self.finalise_button.clicked.connect(self.ask_finalise)
        self.finalise_box: QMessageBox | None = None
        annual_states = {"unsent": self.tr("Chờ gửi trong gói tiếp theo"), "built": self.tr("Đã tạo gói, chưa gửi"),
                         "sent": self.tr("Đã gửi"), "received": self.tr("Cấp trên đã nhận"),
                         "confirmed": self.tr("Cấp trên đã xác nhận")}
        self.annual_model = RowsModel([
            Column(self.tr("Năm"), lambda r: str(r["year"])),
            Column(self.tr("Hoàn tất ngày"), lambda r: format_date(r["finalised_on"])),
            Column(self.tr("Lần hoàn tất"), lambda r: str(r["rev"]), align_right=True),
            Column(self.tr("Tình trạng"), lambda r: annual_states.get(r["state"], r["state"])),
        ], self, tone=lambda r: {"confirmed": "good", "unsent": "warn", "built": "warn"}.get(r["state"]))
        self.annual_table = rows_view(self.annual_model, "annualTable", widths={
            0: "0000", 1: "00/00/0000", 2: "Lần hoàn tất", 3: "Chờ gửi trong gói tiếp theo"})
        self.annual_table.setMaximumHeight(120)
        self.annual_box = QGroupBox(self.tr("Báo cáo năm gửi cấp trên"))
        annual = QVBoxLayout(self.annual_box)
        row = QHBoxLayout()
        caption = QLabel(self.tr("Năm báo cáo:"))
        caption.setBuddy(self.annual_year)
        row.addWidget(caption)
        row.addWidget(self.annual_year)
        row.addWidget(self.finalise_button)
        row.addStretch(1)
        annual.addLayout(row)
        annual.addWidget(self.annual_table)
        self.annual_box.setVisible(self.session.node_info.kind in SENDING_KINDS)

        # --- history ----------------------------------------------------------------------------------
        states = {"built": self.tr("Đã tạo, chưa gửi"), "sent": self.tr("Đã gửi"),
                  "received": self.tr("Cấp trên đã nhận"), "confirmed": self.tr("Đã xác nhận")}
        vias = {"folder": self.tr("USB/thư mục"), "email": self.tr("Thư điện tử"), "http": self.tr("Mạng")}

        def package(row: dict) -> str:
            text = self.tr("số {first}–{last}").format(first=row["seq_from"], last=row["seq_to"])
            if row["parts"] > 1:
                text += " · " + self.tr("phần {part}/{parts}").format(part=row["part"], parts=row["parts"])
            return text

        def sent_to(row: dict) -> str:
            if not row.get("sent_via"):
                return ""
            return vias.get(row["sent_via"], row["sent_via"]) + (f": {row['sent_to']}" if row.get("sent_to") else "")

        self.history_model = RowsModel([
            Column(self.tr("Gói"), package),
            Column(self.tr("Bản ghi"), lambda r: format_count(r["records"]), align_right=True),
            Column(self.tr("Tạo lúc"), lambda r: work.format_time(r["built_at"])),
            Column(self.tr("Gửi lúc"), lambda r: work.format_time(r["sent_at"])),
            Column(self.tr("Cấp trên nhận"), lambda r: work.format_time(r["received_at"])),
            Column(self.tr("Xác nhận"), lambda r: work.format_time(r["confirmed_at"])),
            Column(self.tr("Tình trạng"), lambda r: states.get(r["state"], r["state"])),
            Column(self.tr("Gửi qua"), sent_to),
        ], self, tone=lambda r: {"confirmed": "good", "built": "warn"}.get(r["state"]))
        self.history_table = rows_view(self.history_model, "historyTable", widths={
            0: "số 00000–00000", 1: "00 000", 2: "00/00/0000 00:00", 3: "00/00/0000 00:00",
            4: "00/00/0000 00:00", 5: "00/00/0000 00:00", 6: "Cấp trên đã nhận"})
        history_box = QGroupBox(self.tr("Các gói đã tạo"))
        QVBoxLayout(history_box).addWidget(self.history_table)

        # What this node waits for now, and how to get it: one sentence above everything else (issue 14).
        self.waiting_label = _selectable(QLabel())
        self.waiting_label.setObjectName("syncWaiting")
        self.waiting_label.setStyleSheet("QLabel { background: #eef4fb; border: 1px solid #b7cde8; color: #1d3550;"
                                         " border-radius: 3px; padding: 6px 8px; font-weight: 600; }")

        layout = QVBoxLayout(self)
        layout.addWidget(self.waiting_label)
        layout.addWidget(parent_box)
        layout.addWidget(send_box)
        layout.addWidget(self.annual_box)
        layout.addWidget(history_box, 1)
        self._has_parent = False

    # --- what it shows ----------------------------------------------------------------------------------
    def waiting_sentence(self, summary: dict) -> str:
        """What this node is waiting for from above, and how to get it, in one sentence."""
        unsent = summary.get("records_unsent", 0) or 0
        awaiting = summary.get("records_awaiting_receipt", 0) or 0
        if summary.get("parent") is None:
            return self.tr("Đang chờ hồ sơ tỉnh: xin cán bộ phụ trách ở tỉnh tệp hồ sơ (.profile.binhan, qua USB hoặc "
                           "thư điện tử) rồi bấm «Nhập hồ sơ tỉnh…»; trong lúc chờ, vẫn ghi vụ việc, hoạt động và "
                           "lập báo cáo bình thường.")
        if not summary.get("last_receipt_at") and not awaiting:
            return self.tr("Đang chờ cấp trên chấp nhận đăng ký: bấm «Xuất tệp đăng ký…», gửi tệp cho cấp trên "
                           "và đọc mã đối chiếu của đơn vị cho họ qua điện thoại, rồi bấm «Tạo gói gửi lên»; biên "
                           "nhận đầu tiên của cấp trên cho biết đã được chấp nhận.")
        if awaiting:
            return self.tr("Đang chờ biên nhận của cấp trên cho {count} bản ghi đã gửi: khi nhận được tệp biên "
                           "nhận (USB, thư điện tử), bấm «Nhập biên nhận / gói từ cấp trên…»."
                           ).format(count=format_count(awaiting))
        if unsent:
            return self.tr("Có {count} thay đổi chưa gửi: bấm «Tạo gói gửi lên» rồi đưa gói lên cấp trên (USB, thư "
                           "điện tử hoặc mạng).").format(count=format_count(unsent))
        return self.tr("Không chờ gì: mọi thay đổi đã được cấp trên xác nhận.")

    def show_snapshot(self, shot: work.Snapshot) -> None:
        summary = shot.summary or {}
        parent = summary.get("parent")
        self._has_parent = parent is not None
        self.waiting_label.setText(self.waiting_sentence(summary))
        if parent is None:
            self.parent_label.setText(self.tr("Chưa nhận hồ sơ tỉnh"))
            self.parent_fingerprint.setText(self.tr(
                "Nhận tệp hồ sơ (.profile.binhan) từ cán bộ cấp trên, bấm «Nhập hồ sơ tỉnh…», rồi xuất tệp đăng ký "
                "gửi lại cho họ."))
            self.import_profile_button.setText(self.tr("Nhập hồ sơ tỉnh…"))
        else:
            self.parent_label.setText(self.tr("Gửi dữ liệu lên: {name} (mã {code})").format(
                name=parent["name"], code=parent["code"]))
            self.parent_fingerprint.setText(self.tr("Mã đối chiếu của cấp trên: {fingerprint}").format(
                fingerprint=parent["fingerprint"]))
            self.import_profile_button.setText(self.tr("Nhập hồ sơ mới của cấp trên…"))
        self.own_fingerprint.setText(self.tr("Mã đối chiếu của đơn vị này: {fingerprint}").format(
            fingerprint=shot.own_fingerprint) if shot.own_fingerprint else "")
        self.own_fingerprint.setVisible(bool(shot.own_fingerprint))

        if parent is None:
            self.counts_label.setText(self.tr("Thay đổi chờ gửi: {unsent} bản ghi. Chỉ gửi được khi đã có cấp trên.")
                                      .format(unsent=format_count(summary.get("records_unsent", 0))))
        else:
            text = self.tr("Thay đổi chưa gửi: {unsent} bản ghi · Đã gửi, chờ biên nhận: {waiting} bản ghi").format(
                unsent=format_count(summary.get("records_unsent", 0)),
                waiting=format_count(summary.get("records_awaiting_receipt", 0)))
            if summary.get("last_receipt_at"):
                text += " · " + self.tr("Biên nhận gần nhất: {time}").format(
                    time=work.format_time(summary["last_receipt_at"]))
            kept = summary.get("kept_by_parent") or {}
            if kept.get("count"):
                text += "\n" + self.tr("Cấp trên để riêng {count} bản ghi: {reasons}. Sửa các bản ghi đó (hoặc chờ danh "
                                      "mục mới của cấp trên); chúng sẽ được gửi lại.").format(
                    count=format_count(kept["count"]),
                    reasons=", ".join(self._kept_reason(r, n) for r, n in sorted(kept["reasons"].items())))
            self.counts_label.setText(text)

        chosen = self.drive_combo.currentData()
        self.drive_combo.clear()
        for drive in shot.drives:
            self.drive_combo.addItem(self.tr("Ổ USB {label} ({path})").format(label=drive.label, path=drive.path),
                                     str(drive.path))
        self.drive_combo.addItem(self.tr("Chọn thư mục…"), "")
        index = self.drive_combo.findData(chosen) if chosen else -1
        self.drive_combo.setCurrentIndex(index if index >= 0 else 0)

        self.history_model.set_rows(shot.outgoing)
        self.annual_model.set_rows(shot.annual_reports)
        self.finalise_button.setEnabled(shot.can_finalise)
        may = shot.can_run
        self.import_profile_button.setEnabled(may)
        self.export_registration_button.setEnabled(may and self._has_parent)
        self.build_button.setEnabled(may and self._has_parent)
        self.import_button.setEnabled(may and self._has_parent)
        self.drive_combo.setEnabled(may and self._has_parent)
        wires = shot.wires
        ready = {self.mail_button: wires is not None and wires.can_mail,
                 self.push_button: wires is not None and bool(wires.endpoint),
                 self.fetch_button: wires is not None and wires.can_fetch}
        for button, set_up in ready.items():
            button.setEnabled(may and self._has_parent and set_up)
            button.setToolTip("" if set_up else self.tr("Chưa cài đặt: bấm «Cài đặt thư và mạng…»."))
        self.fetch_button.setToolTip(self.tr("Đọc hộp thư: biên nhận và gói xuống của cấp trên gửi bằng thư.")
                                     if ready[self.fetch_button] else self.fetch_button.toolTip())
        self.wires_button.setEnabled(self.session.can("settings.manage"))
        if not may:
            self.counts_label.setText(self.counts_label.text() + "\n" + self.tr(
                "Vai trò của bạn chỉ xem được tình trạng; việc gửi và nhận do cán bộ phụ trách làm."))

    # --- enrolment -------------------------------------------------------------------------------------------
    def import_profile(self) -> None:
        chosen = self.page.files.open_file(self, self.tr("Chọn tệp hồ sơ của cấp trên"), self.page.last_folder,
                                           self.tr("Hồ sơ tỉnh (*.profile.binhan);;Tất cả tệp (*)"))
        if not chosen:
            return
        self.page.remember_folder(chosen)
        session, path = self.session, Path(chosen)

        def done(shown: dict, _progress) -> None:
            node = shown["node"]
            text = self.tr("Đã nhận hồ sơ của {name} (mã {code}). Mã đối chiếu của cấp trên: {fingerprint}. Hãy gọi "
                           "điện cho cán bộ cấp trên để đối chiếu mã này.").format(
                name=node["name"], code=node["code"], fingerprint=shown["fingerprint"])
            if shown.get("new"):
                text += " " + self.tr("Bước tiếp theo: bấm «Xuất tệp đăng ký…» và gửi tệp đó lên cấp trên.")
            if shown.get("keys_changed"):
                text += " " + self.tr("Cấp trên đã đổi khóa.")
            if shown.get("lineage_warning"):  # another province's profile: the core's words, vi / en
                vi, en = shown["lineage_warning"]
                self.page.message.say(text + " " + (en if language() == "en" else vi), "warning")
                return
            self.page.message.success(text)

        self.page.run_job(self.tr("Đang đọc hồ sơ của cấp trên…"), lambda _p: work.import_profile(session, path), done)

    def export_registration(self) -> None:
        code = self.session.node_info.code
        chosen = self.page.files.save_file(self, self.tr("Lưu tệp đăng ký"),
                                           str(Path(self.page.last_folder) / f"{code}{enrol.REGISTRATION_SUFFIX}"),
                                           self.tr("Tệp đăng ký (*.registration.binhan)"))
        if not chosen:
            return
        target = Path(chosen)
        if not target.name.endswith(enrol.REGISTRATION_SUFFIX):
            target = target.with_name(target.name.removesuffix(".binhan") + enrol.REGISTRATION_SUFFIX)
        self.page.remember_folder(target)
        session = self.session

        def done(result, _progress) -> None:
            path, fingerprint, parent = result
            self.page.message.success(self.tr(
                "Đã lưu tệp đăng ký {path}. Gửi tệp này cho {parent}. Khi cán bộ cấp trên gọi điện, đọc cho họ mã "
                "đối chiếu của đơn vị này: {fingerprint}").format(path=path, parent=parent["name"],
                                                                    fingerprint=fingerprint))

        self.page.run_job(self.tr("Đang lập tệp đăng ký…"), lambda _p: work.export_registration(session, target), done)

    # --- sending ----------------------------------------------------------------------------------------------
    def build_package(self) -> None:
        target = self.drive_combo.currentData()
        if not target:
            target = self.page.files.folder(self, self.tr("Chọn thư mục hoặc ổ USB để ghi gói"), self.page.last_folder)
            if not target:
                return
            self.page.last_folder = target
        folder = Path(target)
        session = self.session
        steps = {"build": self.tr("Đang gom các thay đổi, mã hóa và ký gói…"), "write": self.tr("Đang ghi tệp…")}

        def done(sent: work.Sent, _progress) -> None:
            if sent.stopped:
                self.page.message.say(self.tr(
                    "Đã dừng: đã ghi {written}/{parts} tệp vào {folder}. Những gì chưa ghi sẽ đi trong gói sau."
                ).format(written=len(sent.files), parts=sent.parts, folder=folder))
                return
            if not sent.parts:
                self.page.message.say(self.tr("Không có thay đổi nào chưa được cấp trên xác nhận, nên không tạo gói."))
                return
            self.page.message.success(self.tr(
                "Đã ghi {files} tệp gói ({records} bản ghi) vào {folder}. Mang tệp lên cấp trên; khi có biên nhận, "
                "bấm «Nhập biên nhận / gói từ cấp trên…».").format(
                files=len(sent.files), records=format_count(sent.records), folder=folder))

        self.page.run_job(self.tr("Đang tạo gói gửi lên…"), lambda progress: work.build_to_folder(
            session, folder, progress), done, steps=steps)

    def send_by_mail(self) -> None:
        session = self.session

        def done(sent, _progress) -> None:
            self.page.message.success(self.tr(
                "Đã gửi {files} tệp gói ({records} bản ghi) tới {to} qua {messages} thư. Khi cấp trên nhập xong, "
                "biên nhận sẽ về hộp thư: bấm «Nhận thư từ cấp trên».").format(
                files=sent.parts, records=format_count(sent.records), to=sent.to, messages=sent.messages))

        self.page.run_job(self.tr("Đang gửi gói qua thư điện tử…"), lambda progress: work.send_by_mail(
            session, progress), done, steps={"mail": self.tr("Đang gom thay đổi, mã hóa, ký và gửi thư…")})

    def push(self) -> None:
        session = self.session

        def done(pushed, _progress) -> None:
            lines = [self.tr("Đã gửi {files} tệp gói ({records} bản ghi) lên máy chủ của cấp trên.").format(
                files=pushed.parts, records=format_count(pushed.records))]
            if pushed.receipt is not None:
                lines.append(self._receipt_line(None, pushed.receipt))
            if pushed.down is not None:
                lines.append(self._outcome(work.FromParent(self.tr("Gói xuống"), "down", pushed.down)))
            self.page.message.success("\n".join(lines))

        self.page.run_job(self.tr("Đang gửi gói qua mạng…"), lambda progress: work.push(session, progress), done,
                          steps={"push": self.tr("Đang gửi gói và nhận biên nhận của cấp trên…")})

    def fetch_mail(self) -> None:
        session = self.session

        def done(result, _progress) -> None:
            lines = [self._receipt_line(None, shown) for shown in result.receipts]
            lines += [self._outcome(work.FromParent(self.tr("Gói xuống"), "down", d)) for d in result.downs]
            lines += [f"{name}: {self.page.describe(refusal)}" for name, refusal in result.refused]
            if not lines:
                lines = [self.tr("Không có thư mới của cấp trên.")]
            if result.refused:
                self.page.message.error("\n".join(lines))
            else:
                self.page.message.success("\n".join(lines))

        self.page.run_job(self.tr("Đang đọc hộp thư…"), lambda progress: work.fetch_mail(
            session, progress, reply=False), done, steps={"fetch": self.tr("Đang tải thư và kiểm tra từng tệp…")})

    # --- the annual report ------------------------------------------------------------------------------------
    def ask_finalise(self) -> QMessageBox | None:
        """Ask before finalising: the report goes to the parent and cannot be called back, only replaced."""
        if self.page.busy():
            return None
        year = self.annual_year.currentData()
        done_before = next((r for r in self.annual_model.rows if r["year"] == year), None)
        info = self.tr("Báo cáo được lập từ số liệu hiện có (như bản PDF ở trang Báo cáo), lưu lại và gửi lên cấp "
                       "trên trong gói tiếp theo. Hãy xem trước và viết xong các phần lời ở trang Báo cáo.")
        if done_before is not None:
            info += "\n" + self.tr("Năm này đã hoàn tất ngày {day}: bản mới sẽ thay bản đó ở cấp trên.").format(
                day=format_date(done_before["finalised_on"]))

        def answered(yes: bool) -> None:
            self.finalise_box = None
            if yes:
                self.finalise(year)

        self.finalise_box = confirm(
            self, name="finaliseAnnualBox", title=self.tr("Hoàn tất báo cáo năm"),
            text=self.tr("Hoàn tất và gửi báo cáo năm {year}?").format(year=year), info=info,
            yes=self.tr("Hoàn tất"), no=self.tr("Chưa"), answered=answered, icon=QMessageBox.Icon.Question)
        return self.finalise_box

    def finalise(self, year: int) -> None:
        session = self.session

        def done(made: dict, _progress) -> None:
            text = self.tr("Đã hoàn tất báo cáo năm {year}.").format(year=made["year"])
            if made["rev"] > 1:
                text += " " + self.tr("Bản này thay bản hoàn tất trước (lần {rev}).").format(rev=made["rev"])
            if self._has_parent:
                text += " " + self.tr("Báo cáo sẽ đi trong gói gửi lên tiếp theo: bấm «Tạo gói gửi lên».")
            else:
                text += " " + self.tr("Báo cáo sẽ được gửi khi đơn vị đã đăng ký với cấp trên.")
            self.page.message.success(text)

        self.page.run_job(self.tr("Đang lập và hoàn tất báo cáo năm {year}…").format(year=year),
                          lambda progress: work.finalise_annual(session, year, progress), done)

    def import_from_parent(self) -> None:
        chosen = self.page.files.open_files(
            self, self.tr("Chọn gói xuống, biên nhận hoặc hồ sơ của cấp trên"), self.page.last_folder,
            self.tr("Tệp của cấp trên (*{down} *{receipt} *{profile});;Tất cả tệp (*)").format(
                down=down.SUFFIX, receipt=receipt.SUFFIX, profile=enrol.PROFILE_SUFFIX))
        if not chosen:
            return
        self.page.remember_folder(chosen[0])
        session, paths = self.session, work.parent_files([Path(p) for p in chosen])

        def done(results: list[work.FromParent], progress) -> None:
            lines = [self._outcome(item) for item in results]
            if progress.cancelled and len(results) < len(paths):
                lines.append(self.tr("Đã dừng trước khi nhập hết các tệp."))
            if any(item.error is not None for item in results):
                self.page.message.error("\n".join(lines))
            else:
                self.page.message.success("\n".join(lines))

        self.page.run_job(self.tr("Đang nhập tệp của cấp trên…"),
                          lambda progress: work.import_from_parent(session, paths, progress), done)

    def _outcome(self, item: work.FromParent) -> str:
        """One line per file: what the parent's file changed here, or why it was refused."""
        if item.error is not None:
            return f"{item.name}: {self.page.describe(item.error)}"
        shown = item.shown
        if item.kind == "profile" and isinstance(shown, dict):
            return self.tr("{file}: đã cập nhật hồ sơ của {name}.").format(file=item.name,
                                                                           name=shown["node"]["name"])
        if item.kind == "receipt" and isinstance(shown, dict):
            return self._receipt_line(item.name, shown)
        if not isinstance(shown, down.DownResult):  # a down-package's line always carries its result
            raise TypeError(f"{item.name}: a {item.kind} file without what it changed")
        result = shown
        if result.verdict == "replayed":
            return self.tr("{file}: gói xuống số {number} đã nhập từ trước, không thay đổi gì.").format(
                file=item.name, number=result.down_seq)
        if result.verdict == "older":
            return self.tr("{file}: gói xuống số {number} cũ hơn gói đã nhập nên bỏ qua (gói mới hơn đã mang đủ "
                           "nội dung).").format(file=item.name, number=result.down_seq)
        parts = [self.tr("{file}: đã nhận gói xuống số {number} của cấp trên.").format(file=item.name,
                                                                                      number=result.down_seq)]
        if result.profile == "updated" and result.profile_changes:
            parts.append(self.tr("Hồ sơ tỉnh đã cập nhật phiên bản mới; thay đổi: {changed}.").format(
                changed=", ".join(result.profile_changes)))
        elif result.profile == "updated":
            parts.append(self.tr("Hồ sơ tỉnh (chỉ tiêu, hạn báo cáo) đã cập nhật."))
        elif result.profile == "needs_fingerprint":
            parts.append(self.tr("Cấp trên đã đổi khóa: hãy nhập tệp hồ sơ mới của cấp trên và gọi điện so khớp "
                                 "mã đối chiếu."))
        if result.reference_updated:
            parts.append(self.tr("Đã cập nhật {count} danh mục: {lists}.").format(
                count=len(result.reference_updated),
                lists=", ".join(f"{u['list']} {u['from_version']}→{u['version']}" for u in result.reference_updated)))
        if result.receipt is not None:
            parts.append(self._receipt_line(None, result.receipt))
        elif result.receipt_refused:
            parts.append(self.tr("Biên nhận trong gói không dùng được; dữ liệu chưa xác nhận sẽ được gửi lại trong "
                                 "gói sau."))
        return " ".join(parts)

    def _kept_reason(self, reason: str, count: int) -> str:
        words = {"unknown_code": self.tr("mã danh mục cấp trên chưa có"),
                 "malformed": self.tr("dữ liệu sai dạng"), "invalid": self.tr("dữ liệu không hợp lệ"),
                 "unexpected_field": self.tr("trường lạ"), "foreign_origin": self.tr("đơn vị chưa được xác nhận"),
                 "newer_schema": self.tr("phiên bản dữ liệu mới hơn"),
                 "unknown_schema": self.tr("phiên bản dữ liệu không rõ"),
                 "code_conflict": self.tr("mã vụ việc trùng"), "id_taken": self.tr("mã bản ghi trùng")}
        return self.tr("{reason} ({count})").format(reason=words.get(reason, reason), count=format_count(count))

    def _receipt_line(self, name: str | None, shown: dict) -> str:
        line = self.tr("Cấp trên đã xác nhận đến thay đổi số {mark}.").format(mark=shown["acknowledged_through"])
        if name:
            line = f"{name}: {line}"
        kept = len(shown.get("kept_aside") or [])
        if kept:
            line += " " + self.tr("Cấp trên để riêng {count} bản ghi chưa nhập được (xem lại mã danh mục).").format(
                count=kept)
        for changed in shown.get("codes_changed") or []:
            line += " " + self.tr("Mã {old} cấp trên đã dùng cho vụ việc khác (máy đã khôi phục bản sao lưu cũ): vụ "
                                  "việc này nay mang mã {new}.").format(old=changed["from"], new=changed["to"])
        return line
