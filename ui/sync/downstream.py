"""The Sync page's "from below" side (province, district): profile out, registrations in, registry, inbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sync import enrol, importer
from sync.errors import PackageError
from sync.package import SUFFIX as PACKAGE_SUFFIX
from ui.i18n import format_count, format_date, language
from ui.qt import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, Qt, QVBoxLayout, QWidget
from ui.sync import work
from ui.sync.fingerprint import FingerprintDialog, kind_label
from ui.widgets.confirm import confirm
from ui.widgets.table import Column, RowsModel, rows_view


class DownstreamPanel(QWidget):
    def __init__(self, page):
        super().__init__()
        self.page = page
        self.session = page.session
        self.setObjectName("syncDownstream")
        self.fingerprint_dialog: FingerprintDialog | None = None
        #: Files imported again in this sitting (nothing changed, so nothing is stored); refusals are kept by
        #: `sync.refusals` beside the database and come with every snapshot.
        self.recent: list[dict] = []
        info = self.session.node_info

        # --- this node ----------------------------------------------------------------------------------
        self.own_label = QLabel()
        self.own_label.setObjectName("ownIdentity")
        self.own_label.setWordWrap(True)
        self.own_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_profile_button = QPushButton(
            self.tr("Xuất hồ sơ tỉnh…") if info.kind == "province" else self.tr("Xuất hồ sơ cho cấp dưới…"))
        self.export_profile_button.setObjectName("exportProfile")
        self.export_profile_button.clicked.connect(self.export_profile)
        self.import_registration_button = QPushButton(self.tr("Nhập tệp đăng ký…"))
        self.import_registration_button.setObjectName("importRegistration")
        self.import_registration_button.clicked.connect(self.import_registration)
        # The province issues new versions of its profile and option lists; they go down in every down-package.
        self.publish_profile_button = QPushButton(self.tr("Ban hành hồ sơ mới…"))
        self.publish_profile_button.setObjectName("publishProfile")
        self.publish_profile_button.clicked.connect(self.publish_profile)
        self.publish_lists_button = QPushButton(self.tr("Ban hành danh mục mới…"))
        self.publish_lists_button.setObjectName("publishLists")
        self.publish_lists_button.clicked.connect(self.publish_lists)
        own_box = QGroupBox(self.tr("Đơn vị này"))
        row = QHBoxLayout(own_box)
        row.addWidget(self.own_label, 1)
        row.addWidget(self.export_profile_button)
        row.addWidget(self.import_registration_button)
        if info.kind == "province":
            row.addWidget(self.publish_profile_button)
            row.addWidget(self.publish_lists_button)
        else:
            self.publish_profile_button.hide()
            self.publish_lists_button.hide()

        # --- registry ------------------------------------------------------------------------------------
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("deadlineNote")
        self.deadline_label.setWordWrap(True)

        self.registry_model = RowsModel([
            Column(self.tr("Mã"), lambda r: r["code"]),
            Column(self.tr("Tên đơn vị"), lambda r: r["name"] if r.get("status") != "revoked"
                   else self.tr("{name} (đã thu hồi đăng ký)").format(name=r["name"])),
            Column(self.tr("Cấp"), lambda r: kind_label(r["kind"]),
                   tooltip=lambda r: kind_label(r["kind"]) + ("" if r["relation"] == "child" else " " + self.tr(
                       "(gửi qua một đơn vị cấp dưới trực tiếp)"))),
            # What is checked every day first (the annual report, the deadline); the fingerprint, needed at
            # enrolment, last.
            Column(self.tr("Báo cáo năm đã nhận"), self._annual_text, tooltip=self._annual_tooltip),
            Column(self.tr("Hạn gửi năm nay"), self._submission_text),
            Column(self.tr("Gói gần nhất"), lambda r: work.format_time(r["last_package_at"])),
            Column(self.tr("Biên nhận gần nhất"), lambda r: work.format_time(r["last_receipt_at"])),
            Column(self.tr("Để riêng"), lambda r: format_count(r["kept_aside"]) if r["kept_aside"] else "",
                   align_right=True),
            Column(self.tr("Mã đối chiếu"), lambda r: r["fingerprint"] or ""),
        ], self, tone=self._submission_tone)
        self.registry_table = rows_view(self.registry_model, "registryTable", widths={
            0: "TN0000", 1: "Xã Nguyên Xá Đông", 2: "huyện", 3: "Năm 0000 (00/00/0000)",
            4: "Chưa gửi, còn 000 ngày", 5: "00/00/0000 00:00", 6: "00/00/0000 00:00", 7: "Để riêng"})
        self.registry_table.selectionModel().selectionChanged.connect(lambda *_: self._enable_save_annual())
        self.save_annual_button = QPushButton(self.tr("Lưu PDF báo cáo năm…"))
        self.save_annual_button.setObjectName("saveAnnualPdf")
        self.save_annual_button.setToolTip(self.tr(
            "Lưu bản PDF báo cáo năm mới nhất mà đơn vị đang chọn đã gửi lên, đúng như đơn vị đó đã lập."))
        self.save_annual_button.clicked.connect(self.save_annual_pdf)
        registry_box = QGroupBox(self.tr("Các đơn vị cấp dưới đã đăng ký"))
        box = QVBoxLayout(registry_box)
        box.addWidget(self.deadline_label)
        box.addWidget(self.registry_table, 1)
        self.revoke_button = QPushButton(self.tr("Thu hồi đăng ký…"))
        self.revoke_button.setObjectName("revokeChild")
        self.revoke_button.setToolTip(self.tr(
            "Khi máy của đơn vị cấp dưới bị mất hoặc bị lấy cắp: từ nay gói ký bằng khóa của máy đó bị từ chối. "
            "Dữ liệu đã nhận vẫn giữ nguyên."))
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.revoke_box: QMessageBox | None = None
        row = QHBoxLayout()
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        row.addWidget(self.save_annual_button)
        box.addLayout(row)

        # --- inbox ----------------------------------------------------------------------------------------
        self.import_files_button = QPushButton(self.tr("Nhập gói…"))
        self.import_files_button.setObjectName("importPackages")
        self.import_files_button.clicked.connect(self.import_package_files)
        self.import_folder_button = QPushButton(self.tr("Nhập cả thư mục gói…"))
        self.import_folder_button.setObjectName("importPackageFolder")
        self.import_folder_button.clicked.connect(self.import_package_folder)
        self.fetch_button = QPushButton(self.tr("Nhận gói qua thư"))
        self.fetch_button.setObjectName("fetchPackagesByMail")
        self.fetch_button.clicked.connect(self.fetch_mail)
        self.wires_button = QPushButton(self.tr("Cài đặt thư…"))
        self.wires_button.setObjectName("editWiresBelow")
        self.wires_button.clicked.connect(self.page.edit_wires)
        self.build_down_button = QPushButton(self.tr("Tạo gói gửi xuống…"))
        self.build_down_button.setObjectName("buildDown")
        self.build_down_button.setToolTip(self.tr(
            "Một gói cho mỗi đơn vị cấp dưới: hồ sơ tỉnh mới nhất (chỉ tiêu, hạn báo cáo), các danh mục và biên nhận."))
        self.build_down_button.clicked.connect(self.build_down)
        self.retry_button = QPushButton(self.tr("Nhập lại bản ghi để riêng"))
        self.retry_button.setObjectName("retryKeptAside")
        self.retry_button.setToolTip(self.tr(
            "Thử nhập lại những bản ghi trước đây phải để riêng (mã danh mục chưa có, đơn vị chưa được xác nhận…). "
            "Việc này cũng tự chạy khi có danh mục mới hoặc gói mới từ đơn vị đó."))
        self.retry_button.clicked.connect(self.retry_kept_aside)
        self.trust_label = QLabel()
        self.trust_label.setObjectName("trustLabel")
        self.trust_label.setWordWrap(True)
        self.inbox_model = RowsModel([
            Column(self.tr("Nhận lúc"), lambda r: r["when"]),
            Column(self.tr("Từ"), lambda r: r["from"]),
            Column(self.tr("Gói"), lambda r: r["package"]),
            Column(self.tr("Bản ghi"), lambda r: r["records"], align_right=True),
            Column(self.tr("Kết quả"), lambda r: r["verdict"], tooltip=lambda r: r.get("detail") or r["verdict"]),
            Column(self.tr("Để riêng"), lambda r: r["kept"], align_right=True),
            Column(self.tr("Biên nhận"), lambda r: r["receipt"]),
        ], self, tone=lambda r: r.get("tone"))
        self.inbox_table = rows_view(self.inbox_model, "inboxTable", widths={
            0: "00/00/0000 00:00", 1: "TN00 Xã Nguyên Xá", 2: "số 00000–00000 · phần 0/0", 3: "00 000",
            4: "Đã nhập 0000 bản ghi, 0000 không đổi", 5: "Để riêng", 6: "00/00/0000 00:00"})
        inbox_box = QGroupBox(self.tr("Gói đã nhận"))
        box = QVBoxLayout(inbox_box)
        row = QHBoxLayout()
        row.addWidget(self.import_files_button)
        row.addWidget(self.import_folder_button)
        row.addWidget(self.fetch_button)
        row.addWidget(self.wires_button)
        row.addStretch(1)
        row.addWidget(self.build_down_button)
        box.addLayout(row)
        kept_row = QHBoxLayout()
        kept_row.addWidget(self.trust_label, 1)
        kept_row.addWidget(self.retry_button)
        box.addLayout(kept_row)
        box.addWidget(self.inbox_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(registry_box)
        splitter.addWidget(inbox_box)
        layout = QVBoxLayout(self)
        layout.addWidget(own_box)
        layout.addWidget(splitter, 1)
        self._deadline = None
        self._may_save_annual = False
        self._enable_save_annual()

    # --- what it shows --------------------------------------------------------------------------------
    def _refused_row(self, row: dict) -> dict:
        """A refusal from the log: its message in the window's language, the sender as the file claims."""
        text = row.get("en") if language() == "en" and row.get("en") else row.get("vi") or row.get("reason", "")
        claimed = row.get("claimed") or {}
        sender = f"{claimed.get('code', '')} {claimed.get('name', '')}".strip()
        return {"at": _sort_key(row["at"]), "when": work.format_time(row["at"]),
                "from": self.tr("{sender} (tự khai, chưa kiểm chứng)").format(sender=sender) if sender else "",
                "package": row.get("file", ""), "records": "",
                "verdict": self.tr("Từ chối: {reason}").format(reason=text), "detail": text, "kept": "",
                "receipt": "", "tone": "bad", "verdict_code": "refused"}

    def _annual_text(self, row: dict) -> str:
        reports = row.get("annual_reports") or []
        if not reports:
            return self.tr("Chưa nhận")
        newest = reports[0]
        return self.tr("Năm {year} ({day})").format(year=newest["year"], day=format_date(
            work.to_local(newest["received_at"])))

    def _annual_tooltip(self, row: dict) -> str | None:
        reports = row.get("annual_reports") or []
        if not reports:
            return None
        return "\n".join(self.tr("Năm {year}: hoàn tất {finalised}, nhận lần đầu {received}, bản mới nhất nhận "
                                 "{latest}").format(year=r["year"], finalised=format_date(r["finalised_on"]),
                                                    received=work.format_time(r["received_at"]),
                                                    latest=work.format_time(r["latest_at"])) for r in reports)

    def _submission_text(self, row: dict) -> str:
        if row.get("status") == "revoked":
            return self.tr("Đã thu hồi đăng ký")
        found = row.get("submission") or {}
        state = found.get("state")
        if state == "on_time":
            return self.tr("Đúng hạn ({day})").format(day=format_date(found["on"]))
        if state == "late_sent":
            return self.tr("Gửi muộn ({day})").format(day=format_date(found["on"]))
        if state == "late":
            return self.tr("Trễ hạn {days} ngày").format(days=found["days"])
        if state == "missing":
            return self.tr("Thiếu báo cáo năm {year} (trễ {days} ngày)").format(year=found["year"],
                                                                             days=found["days"])
        if state == "waiting":
            return self.tr("Chưa gửi, còn {days} ngày").format(days=found["days"])
        if state == "not_owed":
            return self.tr("Điểm: báo cáo năm do xã gửi")
        return "—"

    @staticmethod
    def _submission_tone(row: dict) -> str | None:
        if row.get("status") == "revoked":
            return "muted"
        state = (row.get("submission") or {}).get("state")
        return {"on_time": "good", "late_sent": "warn", "late": "bad", "missing": "bad"}.get(state or "")

    def show_snapshot(self, shot: work.Snapshot) -> None:
        self.own_label.setText(self.tr("{name} (mã {code}) · Mã đối chiếu: {fingerprint}").format(
            name=shot.name, code=shot.code, fingerprint=shot.own_fingerprint or "—"))
        if shot.deadline is not None:
            self.deadline_label.setText(self.tr(
                "Hạn gửi báo cáo năm {year} theo hồ sơ tỉnh: {day}. Cột «Hạn gửi năm nay» xét ngày báo cáo năm "
                "{year} của đơn vị đến nơi (các gói số liệu khác không tính).").format(
                year=shot.deadline.year, day=format_date(shot.deadline)))
        else:
            self.deadline_label.setText(self.tr("Đơn vị chưa có hồ sơ tỉnh nên chưa biết hạn gửi báo cáo."))
        self.registry_model.set_rows(shot.registry)
        stored = [self._inbox_row(r) for r in shot.inbox] + [self._refused_row(r) for r in shot.refused]
        stored.sort(key=lambda r: r["at"], reverse=True)
        self.inbox_model.set_rows(self.recent + stored)
        for widget in (self.export_profile_button, self.import_registration_button, self.import_files_button,
                       self.import_folder_button):
            widget.setEnabled(shot.can_run)
        for widget in (self.publish_profile_button, self.publish_lists_button):
            widget.setEnabled(self.session.can("settings.manage"))
        self.build_down_button.setEnabled(shot.can_run and bool(shot.registry))
        self.trust_label.setText(self._trust_text(shot))
        self.trust_label.setVisible(bool(shot.kept_aside or shot.quarantined or shot.audit_went_back))
        self.retry_button.setVisible(bool(shot.kept_aside))
        self.retry_button.setEnabled(shot.can_run)
        can_fetch = shot.wires is not None and shot.wires.can_fetch
        self.fetch_button.setEnabled(shot.can_run and can_fetch)
        self.fetch_button.setToolTip(self.tr(
            "Đọc hộp thư nhận gói, nhập từng gói và gửi biên nhận lại bằng thư cho đơn vị đã gửi.") if can_fetch
            else self.tr("Chưa cài đặt: bấm «Cài đặt thư…»."))
        self.wires_button.setEnabled(self.session.can("settings.manage"))

        self._may_save_annual = self.session.can("report.build")
        self._may_revoke = shot.can_run
        self._enable_save_annual()

    def _trust_text(self, shot: work.Snapshot) -> str:
        """Records kept aside here, and the claims on nodes below that were not admitted (never applied)."""
        parts = []
        if shot.kept_aside:
            parts.append(self.tr("{count} bản ghi từ cấp dưới đang để riêng, chưa nhập.").format(
                count=format_count(shot.kept_aside)))
        if shot.quarantined:
            reasons = {"unvouched": self.tr("không có xác nhận của cấp trên trực tiếp"),
                       "code_taken": self.tr("mã đã thuộc đơn vị khác"),
                       "keys_taken": self.tr("khóa của đơn vị khác"),
                       "retired_keys": self.tr("khóa đã thu hồi"),
                       "claimed_elsewhere": self.tr("đã thuộc nhánh khác"),
                       "too_many_new": self.tr("quá nhiều đơn vị mới trong một gói")}
            shown = [self.tr("{code} qua {via}: {reason}").format(
                code=q.get("code") or "?", via=q.get("via_code") or "?",
                reason=reasons.get(q["reason"], q["reason"])) for q in shot.quarantined[:5]]
            more = len(shot.quarantined) - len(shown)
            parts.append(self.tr("Cách ly {count} đơn vị cấp dưới do cấp dưới khai (không nhận số liệu của chúng): "
                                 "{list}").format(count=len(shot.quarantined), list="; ".join(shown))
                         + (self.tr(" và {more} đơn vị khác.").format(more=more) if more > 0 else "."))
        for found in shot.audit_went_back[:5]:
            parts.append(self.tr("Nhật ký kiểm tra của {name} ({code}) đi lùi: từ {had} mục xuống {now} mục (có thể "
                                 "đã khôi phục bản sao lưu cũ hoặc bị cắt bớt); hãy hỏi đơn vị đó.").format(
                name=found.get("name") or "?", code=found.get("code") or "?", had=found["had"]["seq"],
                now=found["now"]["seq"]))
        return " ".join(parts)

    def retry_kept_aside(self) -> None:
        session = self.session

        def done(applied: int, _progress) -> None:
            self.page.message.success(self.tr("Đã nhập thêm {count} bản ghi để riêng; số còn lại vẫn để riêng kèm lý "
                                              "do.").format(count=format_count(applied)))

        self.page.run_job(self.tr("Đang nhập lại bản ghi để riêng…"),
                          lambda progress: importer.retry_kept_aside(session), done)

    def selected_child(self) -> dict | None:
        rows = self.registry_table.selectionModel().selectedRows()
        return self.registry_model.rows[rows[0].row()] if rows else None

    def _enable_save_annual(self) -> None:
        child = self.selected_child()
        self.save_annual_button.setEnabled(self._may_save_annual and bool(child and child.get("annual_reports")))
        self.revoke_button.setEnabled(getattr(self, "_may_revoke", False) and child is not None
                                      and child["relation"] == "child" and child.get("status") == "active")

    def _inbox_row(self, row: dict) -> dict:
        package = self.tr("số {first}–{last}").format(first=row["seq_from"], last=row["seq_to"])
        if (row.get("parts") or 1) > 1:
            package += " · " + self.tr("phần {part}/{parts}").format(part=row["part"], parts=row["parts"])
        verdict = self.tr("Đã nhập {applied} bản ghi, {unchanged} không đổi").format(
            applied=format_count(row["applied"]), unchanged=format_count(row["unchanged"]))
        return {"at": _sort_key(row["received_at"]), "when": work.format_time(row["received_at"]),
                "from": f"{row.get('from_code') or ''} {row.get('from_name') or ''}".strip(),
                "package": package, "records": format_count(row["records"]), "verdict": verdict,
                "kept": format_count(row["kept_aside"]) if row["kept_aside"] else "",
                "receipt": work.format_time(row.get("receipt_at")) or self.tr("Chưa lập"),
                "tone": "warn" if row["kept_aside"] else "good", "verdict_code": "applied"}

    # --- enrolment -------------------------------------------------------------------------------------
    def export_profile(self) -> None:
        code = self.session.node_info.code
        chosen = self.page.files.save_file(self, self.tr("Lưu hồ sơ cho cấp dưới"),
                                           str(Path(self.page.last_folder) / f"{code}{enrol.PROFILE_SUFFIX}"),
                                           self.tr("Hồ sơ tỉnh (*.profile.binhan)"))
        if not chosen:
            return
        target = Path(chosen)
        if not target.name.endswith(enrol.PROFILE_SUFFIX):
            target = target.with_name(target.name.removesuffix(".binhan") + enrol.PROFILE_SUFFIX)
        self.page.remember_folder(target)
        session = self.session

        def done(result, _progress) -> None:
            path, fingerprint = result
            self.page.message.success(self.tr(
                "Đã lưu hồ sơ {path}. Gửi tệp này cho các đơn vị cấp dưới. Khi họ gọi điện, đọc cho họ mã đối chiếu "
                "của đơn vị này: {fingerprint}").format(path=path, fingerprint=fingerprint))

        self.page.run_job(self.tr("Đang lập hồ sơ…"), lambda _p: work.export_profile(session, target), done)

    def publish_profile(self) -> None:
        from sync import publish

        chosen = self.page.files.open_file(self, self.tr("Chọn tệp hồ sơ tỉnh phiên bản mới"), self.page.last_folder,
                                           self.tr("Hồ sơ tỉnh (*.toml);;Tất cả tệp (*)"))
        if not chosen:
            return
        self.page.remember_folder(chosen)
        session, path = self.session, Path(chosen)

        def done(shown: dict, _progress) -> None:
            self.page.message.success(self.tr(
                "Đã ban hành hồ sơ phiên bản {version} (trước: {previous}); thay đổi: {changed}. Bấm «Tạo gói gửi "
                "xuống…» để gửi cho các đơn vị cấp dưới.").format(
                version=shown["version"], previous=shown["previous"], changed=", ".join(shown["changed"]) or "—"))

        self.page.run_job(self.tr("Đang ban hành hồ sơ…"), lambda _p: publish.profile(session, path), done)

    def publish_lists(self) -> None:
        from sync import publish

        chosen = self.page.files.folder(self, self.tr("Chọn thư mục chứa các danh mục phiên bản mới (.toml)"),
                                        self.page.last_folder)
        if not chosen:
            return
        self.page.last_folder = chosen
        session, folder = self.session, Path(chosen)

        def done(shown: dict, _progress) -> None:
            lists = ", ".join(f"{p['list']} {p['from_version']}→{p['version']}" for p in shown["published"])
            self.page.message.success(self.tr(
                "Đã ban hành danh mục: {lists}. {applied} bản ghi để riêng nay đã nhập. Bấm «Tạo gói gửi xuống…» để "
                "gửi cho các đơn vị cấp dưới.").format(lists=lists, applied=shown["applied"]))

        self.page.run_job(self.tr("Đang ban hành danh mục…"), lambda _p: publish.reference(session, folder), done)

    def import_registration(self) -> None:
        chosen = self.page.files.open_file(self, self.tr("Chọn tệp đăng ký của cấp dưới"), self.page.last_folder,
                                           self.tr("Tệp đăng ký (*.registration.binhan);;Tất cả tệp (*)"))
        if not chosen:
            return
        self.page.remember_folder(chosen)
        path = Path(chosen)
        self.page.run_job(self.tr("Đang đọc tệp đăng ký…"), lambda _p: work.read_registration(path),
                          lambda shown, _progress: self._ask_fingerprint(path, shown))

    def _ask_fingerprint(self, path: Path, shown: dict) -> None:
        dialog = FingerprintDialog(shown, self)
        dialog.confirmed.connect(lambda fingerprint: self._accept(dialog, path, fingerprint))
        dialog.finished.connect(dialog.deleteLater)
        self.fingerprint_dialog = dialog
        dialog.open()

    def _accept(self, dialog: FingerprintDialog, path: Path, fingerprint: str) -> None:
        session = self.session

        def done(shown: dict, _progress) -> None:
            dialog.accept()
            node = shown["node"]
            if shown.get("new"):
                text = self.tr("Đã đăng ký {name} (mã {code}). Từ nay nhận được gói của đơn vị này.")
            else:
                text = self.tr("Đã cập nhật đăng ký của {name} (mã {code}).")
            self.page.message.success(text.format(name=node["name"], code=node["code"]))

        def refused(error: BaseException) -> None:
            dialog.show_refusal(self.page.describe(error))

        self.page.run_job(self.tr("Đang đăng ký…"), lambda _p: work.accept_registration(session, path, fingerprint),
                          done, on_error=refused)

    # --- packages ------------------------------------------------------------------------------------------
    def import_package_files(self) -> None:
        chosen = self.page.files.open_files(self, self.tr("Chọn các tệp gói của cấp dưới"), self.page.last_folder,
                                            self.tr("Gói đồng bộ (*{suffix});;Tất cả tệp (*)").format(
                                                suffix=PACKAGE_SUFFIX))
        if chosen:
            self._import([Path(p) for p in chosen])

    def import_package_folder(self) -> None:
        chosen = self.page.files.folder(self, self.tr("Chọn thư mục (hoặc ổ USB) chứa các gói"), self.page.last_folder)
        if chosen:
            self._import([Path(chosen)])

    def _import(self, items: list[Path]) -> None:
        first = items[0]
        self.page.remember_folder(first)
        start = str(first if first.is_dir() else first.parent)
        receipts = self.page.files.folder(self, self.tr("Chọn nơi ghi biên nhận (ví dụ ổ USB mang về cho xã)"), start)
        if not receipts:
            self.page.message.say(self.tr("Chưa nhập gói nào: cần chọn nơi ghi biên nhận để gửi lại cho cấp dưới."))
            return
        session, receipt_folder = self.session, Path(receipts)
        steps = {"import": self.tr("Đang kiểm tra chữ ký, giải mã và nhập từng gói…"),
                 "receipts": self.tr("Đang lập biên nhận…")}

        def done(run: work.ImportRun, _progress) -> None:
            applied = [f for f in run.files if f.result is not None and f.result.verdict == "applied"]
            replayed = [(f, f.result) for f in run.files if f.result is not None and f.result.verdict == "replayed"]
            refused = [f for f in run.files if f.error is not None]
            now = datetime.now().strftime("%d/%m/%Y %H:%M")
            fresh = []
            for f in refused:
                if isinstance(f.error, PackageError):
                    continue  # in the refusal log; the refresh after this shows it
                text = self.page.describe(f.error)
                fresh.append({"when": now, "from": "", "package": f.name, "records": "",
                              "verdict": self.tr("Từ chối: {reason}").format(reason=text), "detail": text,
                              "kept": "", "receipt": "", "tone": "bad", "verdict_code": "refused"})
            for f, result in replayed:
                sender = result.sender
                fresh.append({"when": now, "from": f"{sender.get('code', '')} {sender.get('name', '')}".strip(),
                              "package": f.name, "records": format_count(result.records),
                              "verdict": self.tr("Đã nhập từ trước, không thay đổi gì"), "kept": "",
                              "receipt": self.tr("Lập lại"), "tone": "muted", "verdict_code": "replayed"})
            self.recent = fresh + self.recent
            if not run.files:
                self.page.message.say(self.tr("Không thấy tệp gói (*{suffix}) nào ở nơi đã chọn.").format(
                    suffix=PACKAGE_SUFFIX))
                return
            lines = [self.tr("Đã nhập {applied} gói, {replayed} gói đã có từ trước, từ chối {refused} gói.").format(
                applied=len(applied), replayed=len(replayed), refused=len(refused))]
            lines += [f"{f.name}: {self.page.describe(f.error)}" for f in refused]
            if run.receipts:
                lines.append(self.tr("Biên nhận đã ghi vào {folder}: {files}. Gửi biên nhận về cho cấp dưới.").format(
                    folder=receipt_folder, files=", ".join(p.name for p in run.receipts)))
            if run.stopped:
                lines.append(self.tr("Đã dừng trước khi nhập hết; các gói còn lại nhập sau cũng được."))
            if refused:
                self.page.message.error("\n".join(lines))
            else:
                self.page.message.success("\n".join(lines))

        self.page.run_job(self.tr("Đang nhập gói…"), lambda progress: work.import_packages(
            session, items, receipt_folder, progress), done, steps=steps)

    def fetch_mail(self) -> None:
        session = self.session

        def done(result, _progress) -> None:
            applied = [r for r in result.imported if r.verdict == "applied"]
            lines = [self.tr("{messages} thư mới: đã nhập {applied} gói, {replayed} gói đã có từ trước, từ chối "
                             "{refused} gói.").format(messages=result.messages, applied=len(applied),
                                                      replayed=len(result.imported) - len(applied),
                                                      refused=len(result.refused))]
            lines += [f"{name}: {self.page.describe(refusal)}" for name, refusal in result.refused]
            if result.replies:
                lines.append(self.tr("Đã gửi {count} thư biên nhận về các đơn vị.").format(count=result.replies))
            if result.reply_failed:
                lines.append(self.tr("Chưa gửi được thư biên nhận; lần nhận thư sau sẽ gửi lại."))
            if result.refused or result.reply_failed:
                self.page.message.error("\n".join(lines))
            else:
                self.page.message.success("\n".join(lines))

        self.page.run_job(self.tr("Đang đọc hộp thư nhận gói…"), lambda progress: work.fetch_mail(
            session, progress, reply=True), done, steps={"fetch": self.tr("Đang tải thư, nhập từng gói và gửi biên "
                                                                          "nhận…")})

    # --- revoking a child ---------------------------------------------------------------------------------------
    def ask_revoke(self) -> QMessageBox | None:
        """Ask first: after this, nothing from the child is accepted until it registers again by phone check."""
        child = self.selected_child()
        if child is None or self.page.busy():
            return None
        session, code = self.session, child["code"]

        def answered(yes: bool) -> None:
            self.revoke_box = None
            if yes:
                self.page.run_job(self.tr("Đang thu hồi đăng ký…"), lambda _p: work.revoke_child(session, code),
                                  lambda revoked, _p: self.page.message.success(self.tr(
                                      "Đã thu hồi đăng ký của {name} (mã {code}). Gói của đơn vị này từ nay bị từ "
                                      "chối.").format(name=revoked["name"], code=revoked["code"])))

        self.revoke_box = confirm(
            self, name="revokeChildBox", title=self.tr("Thu hồi đăng ký"),
            text=self.tr("Thu hồi đăng ký của {name} (mã {code})?").format(name=child["name"], code=child["code"]),
            info=self.tr(
                "Làm việc này khi máy tính của đơn vị đó bị mất, bị lấy cắp hoặc đơn vị thôi hoạt động. Từ nay mọi gói "
                "ký bằng khóa của máy đó đều bị từ chối và đơn vị đó không nhận gói gửi xuống. Số liệu đã nhận vẫn giữ "
                "nguyên. Muốn nhận lại, đơn vị đó phải đăng ký lại và hai bên so khớp mã đối chiếu qua điện thoại."),
            yes=self.tr("Thu hồi"), no=self.tr("Không"), answered=answered,
            yes_role=QMessageBox.ButtonRole.DestructiveRole)
        return self.revoke_box

    # --- received annual reports ------------------------------------------------------------------------------
    def save_annual_pdf(self) -> None:
        child = self.selected_child()
        if not child or not child.get("annual_reports"):
            self.page.message.say(self.tr("Chọn một đơn vị đã gửi báo cáo năm trong bảng trên."))
            return
        year = child["annual_reports"][0]["year"]
        chosen = self.page.files.save_file(self, self.tr("Lưu PDF báo cáo năm của cấp dưới"),
                                           str(Path(self.page.last_folder) / f"bao-cao-nam-{year}-{child['code']}.pdf"),
                                           self.tr("Tệp PDF (*.pdf)"))
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self.page.remember_folder(target)
        session, origin = self.session, child["id"]

        def done(path: Path, _progress) -> None:
            self.page.message.success(self.tr("Đã lưu báo cáo năm {year} của {name} vào {path}.").format(
                year=year, name=child["name"], path=path))

        self.page.run_job(self.tr("Đang lưu báo cáo năm…"),
                          lambda _p: work.save_annual_pdf(session, origin, year, target), done)

    def build_down(self) -> None:
        chosen = self.page.files.folder(self, self.tr("Chọn thư mục hoặc ổ USB để ghi gói gửi xuống"),
                                        self.page.last_folder)
        if not chosen:
            return
        self.page.last_folder = chosen
        session, target = self.session, Path(chosen)

        def done(paths: list[Path], _progress) -> None:
            if not paths:
                self.page.message.say(self.tr("Chưa có đơn vị cấp dưới nào đăng ký, nên không có gói để gửi xuống."))
                return
            self.page.message.success(self.tr(
                "Đã ghi {count} gói gửi xuống vào {folder}: {files}. Mỗi đơn vị nhập gói của mình bằng nút «Nhập "
                "biên nhận / gói từ cấp trên…».").format(count=len(paths), folder=target,
                                                         files=", ".join(p.name for p in paths)))

        self.page.run_job(self.tr("Đang tạo gói gửi xuống…"), lambda progress: work.build_down(
            session, target, progress), done, steps={"down": self.tr("Đang lập hồ sơ, danh mục và biên nhận…")})


def _sort_key(stamp: str | None) -> str:
    """Stored UTC stamps in one comparable form (the inbox and the refusal log write them differently)."""
    value = work.to_local(stamp)
    return "" if value is None else value.astimezone().isoformat()
