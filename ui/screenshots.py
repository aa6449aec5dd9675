"""Screenshots for review: every screen of the window, offscreen, on demo data, in each language.

    main(Path("shots"))                 # shots/vi/01-wizard-intro.png … shots/en/…
    main(Path("shots"), langs=("en",))
    main(Path("shots"), size=(1366, 768), text_percent=125)   # a laptop's screen, the text at 125 %

With `size` the windows are fitted to a screen of that size (less a task bar), as
they would be on it; with `text_percent` the window's text size is that (as the
View menu sets it). The system's display scaling is Qt's own: run the command
with QT_SCALE_FACTOR=1.25 (`binhan screenshots --scale 1.25`).

A throwaway demo node is made in a temporary folder (`app.demo`), the window
logs in as its administrator and each screen is rendered to `<lang>/<NN-name>.png`:
the set-up wizard's pages, the login dialog, each page of the main window (each
tab of the Registries), a case form section by section, an activity form, the
settings' new-recovery-key dialog and the lock screen. Then the Sync page
as it looks once data has travelled: a throwaway province node enrols the demo
commune, imports its package and answers with a receipt, and the shots show
the commune's Sync page, the province's (with a damaged copy of the package
refused) and the fingerprint check. Nothing is written anywhere else: the
demo nodes' keys go to a keyring that lives in memory.

The user guide (`docs/guide/`) takes its pictures from here: `docs/guide/update_images.py`.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ui import i18n, tasks, text_size

log = logging.getLogger(__name__)

WINDOW_SIZE = (1366, 768)  # the screens of many commune PCs
#: What a task bar takes off the screen's height.
TASK_BAR = 40
SAMPLE_KEY = "7Q4KD-M2XWH-9PTNC-3VGRE-B8ZSA-K61YF-TJ0MQ-5HDXW"


def _memory_keyring():
    from keyring.backend import KeyringBackend

    class ThrowawayKeyring(KeyringBackend):
        """The demo node's keyring slot, forgotten when the screenshots are done."""

        priority = 1

        def __init__(self):
            super().__init__()
            self.secrets = {}

        def get_password(self, service, username):
            return self.secrets.get((service, username))

        def set_password(self, service, username, password):
            self.secrets[(service, username)] = password

        def delete_password(self, service, username):
            self.secrets.pop((service, username), None)

    return ThrowawayKeyring()


def demo_node(folder: Path):
    """The demo commune (app.demo); returns (node, user name, password)."""
    from app.demo import DEMO_PASSWORD, create_demo_node

    node, _summary = create_demo_node(folder / "node")
    return node, "admin", DEMO_PASSWORD


class _Shooter:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.number = 0
        self.written: list[Path] = []

    def settle(self, rounds: int = 4) -> None:
        from ui.qt import QApplication

        for _ in range(rounds):
            QApplication.processEvents()

    def save(self, widget, name: str, pixmap=None) -> Path:
        from ui.app import screenshot

        self.settle()
        self.number += 1
        path = self.out_dir / f"{self.number:02d}-{name}.png"
        if pixmap is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not pixmap.save(str(path), "PNG"):
                raise OSError(f"cannot write {path}")
        else:
            screenshot(widget, path)
        self.written.append(path)
        return path


def _wizard(shoot: _Shooter, folder: Path, lang: str) -> None:
    from ui.setup.wizard import SetupWizard

    wizard = SetupWizard(folder / "wizard-preview")
    if text_size.SCREEN_OVERRIDE is None:
        wizard.resize(760, 600)
    wizard.show()
    page = wizard.node_page
    page.name_edit.setText("Xã Đông Hưng" if lang == "vi" else "Dong Hung commune")
    page.code_edit.setText("34101")
    page.parent_edit.setText("HY")
    admin = wizard.admin_page
    admin.username_edit.setText("quantri")
    admin.display_edit.setText("Nguyễn Thị Lan" if lang == "vi" else "Nguyen Thi Lan")
    admin.password_edit.setText("một câu dài dễ nhớ")
    admin.repeat_edit.setText("một câu dài dễ nhớ")
    names = {wizard.INTRO: "wizard-intro", wizard.NODE: "wizard-node", wizard.PROFILE: "wizard-profile",
             wizard.ADMIN: "wizard-admin", wizard.CREATE: "wizard-check"}
    for page_id in (wizard.INTRO, wizard.NODE, wizard.PROFILE, wizard.ADMIN, wizard.CREATE):
        shoot.save(wizard, names[page_id])
        if page_id != wizard.CREATE:
            wizard.next()
    # The key page as it looks once the node exists, with a made-up key: nothing is created here.
    wizard.sample_key_for_screenshots(SAMPLE_KEY)
    wizard.setStartId(wizard.KEY)
    wizard.restart()
    shoot.save(wizard, "wizard-recovery-key")
    wizard.hide()
    wizard.deleteLater()


def _main_window(shoot: _Shooter, node, session) -> None:
    from ui.login import LoginDialog
    from ui.main_window import PAGE_KEYS, MainWindow
    from ui.qt import QApplication
    from ui.setup.recovery import RecoveryKeyDialog, node_kind_label

    login = LoginDialog(node)
    login.username_edit.setText("admin")
    login.show()
    shoot.save(login, "login")
    login.hide()
    login.deleteLater()

    window = MainWindow(session)
    window.resize(*_window_size())
    window.show()
    for key in PAGE_KEYS:
        window.show_page(key)
        page = window.pages[key]
        for slot in getattr(page, "chart_slots", list)():
            slot.chart()  # the Overview makes its charts after its first paint; the picture shows them
        tabs = getattr(page, "TAB_KEYS", None)
        if tabs and hasattr(page, "show_tab"):
            for tab in tabs:
                page.show_tab(tab)
                shoot.save(window, f"{key}-{tab}")
            page.show_tab(tabs[0])
        else:
            shoot.save(window, key)

    # A case form, section by section, on the newest case.
    cases_page = window.cases_page
    case_ids = session.cases.ids() if cases_page is not None else []
    if case_ids and hasattr(cases_page, "open_case"):
        window.open_case(case_ids[0])
        shoot.settle()
        forms = cases_page.open_forms() if hasattr(cases_page, "open_forms") else []
        for form in forms[:1]:
            if text_size.SCREEN_OVERRIDE is None:
                form.resize(max(form.width(), 1100), 780)
            for index, key in enumerate(getattr(form, "SECTION_KEYS", ())):
                if hasattr(form, "grab_section"):
                    shoot.save(form, f"case-form-{index + 1:02d}-{key}", form.grab_section(index))
            form.discard_and_close() if hasattr(form, "discard_and_close") else form.close()

    activities_page = window.activities_page
    if activities_page is not None and hasattr(activities_page, "open_activity"):
        activity_ids = session.activities.ids()
        if activity_ids:
            window.show_page("activities")
            activities_page.open_activity(activity_ids[0])
            shoot.settle()
            for form in activities_page.open_forms()[:1]:
                shoot.save(form, "activity-form")
                form.discard_and_close() if hasattr(form, "discard_and_close") else form.close()

    if session.can("user.manage"):
        _account_dialogs(shoot, node, session, window)
        info = session.node_info
        dialog = RecoveryKeyDialog(SAMPLE_KEY, info, node_kind_label(session.reference, info.kind), window)
        dialog.show()
        shoot.save(dialog, "settings-new-recovery-key")
        dialog.panel.confirm_box.setChecked(True)
        dialog.accept()

    window.show_page("cases")
    window.lock()
    shoot.save(window, "lock-screen")
    window.lock_screen.password_edit.setText("sai mật khẩu")
    window.lock_screen.try_unlock()
    shoot.save(window, "lock-screen-wrong-password")
    window._owns_session = False  # the caller closes the session once every language is done
    window.close()
    window.close_session()
    QApplication.processEvents()


def _account_dialogs(shoot: _Shooter, node, session, window) -> None:
    """The Accounts page's dialogs, one's own password, and the log-in's recovery: nothing is changed."""
    from ui.accounts.dialogs import AccountDialog, OneTimePasswordDialog
    from ui.accounts.password import ChangePasswordDialog
    from ui.accounts.recover import RecoveryDialog

    page = window.pages["accounts"]
    dialog = AccountDialog(session, session.reference["role"], page._load_points(), window)
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("cadre"))
    dialog.username_edit.setText("lan.nguyen")
    dialog.display_edit.setText("Nguyễn Thị Lan")
    dialog.show()
    shoot.save(dialog, "accounts-add")
    dialog.reject()
    shown = OneTimePasswordDialog("canbo", "Cán bộ Mẫu Lan", "k7m2-q9tx-4hrw", window)
    shown.show()
    shoot.save(shown, "accounts-one-time-password")
    shown.reject()
    change = ChangePasswordDialog(session, "", window)
    change.show()
    shoot.save(change, "login-new-password")
    change.reject()
    recovery = RecoveryDialog(node)
    recovery.key_edit.setText(SAMPLE_KEY)
    recovery.show()
    shoot.save(recovery, "login-recovery-key")
    recovery._key_accepted(SAMPLE_KEY, sorted(node.slots.users()))  # as after a right key; nothing is opened
    shoot.save(recovery, "login-recovery-password")
    recovery._key = ""
    recovery.reject()
    recovery.deleteLater()


class _ScriptedFiles:
    """Answers the Sync page's file questions with paths given in advance (no dialog is shown)."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def _next(self):
        return self.answers.pop(0)

    def open_file(self, parent, caption, folder="", filters=""):
        return str(self._next())

    def open_files(self, parent, caption, folder="", filters=""):
        return [str(p) for p in self._next()]

    def save_file(self, parent, caption, suggested="", filters=""):
        return str(self._next())

    def folder(self, parent, caption, folder=""):
        return str(self._next())


class _RoundTrip:
    """A province that has enrolled the demo commune and applied one package from it; the receipt taken back."""

    def __init__(self, folder: Path, commune, password: str):
        from app.demo import PROVINCE_CODE
        from app.node import Node
        from sync import enrol, importer, package, receipt
        from sync.transports import folder as folder_transport

        self.files = folder / "usb"
        self.files.mkdir()
        code = commune.node_info.parent_code or PROVINCE_CODE
        province_node, _recovery = Node.create(
            folder / "province", kind="province", name="Tỉnh Thái Bình (dữ liệu mẫu)", code=code,
            parent_code=None, profile_code="thai_binh", admin_username="admin", admin_password=password,
            admin_display_name="Cán bộ tỉnh Mẫu", demo=True)
        self.province = province_node.login("admin", password)
        enrol.import_profile(commune, enrol.export_profile(self.province, self.files))
        self.registration = enrol.export_registration(commune, self.files)
        enrol.import_registration(self.province, self.registration,
                                  accept_fingerprint=enrol.read_registration(self.registration)["fingerprint"])
        sent = folder_transport.send_packages(commune, package.build(commune), self.files / "len-tinh")
        results = [importer.import_package(self.province, path) for path in sent]
        name, data = receipt.build(self.province, commune.node_info.id, results)
        receipt.apply(commune, data)
        # A copy spoilt on the way (one byte changed): the province refuses it, and the shot shows how.
        self.damaged = self.files / "hong" / sent[0].name
        self.damaged.parent.mkdir(parents=True)
        spoilt = bytearray(sent[0].read_bytes())
        spoilt[-10] ^= 0xFF
        self.damaged.write_bytes(bytes(spoilt))

    def close(self) -> None:
        self.province.close()


def _sync_pages(shoot: _Shooter, commune, trip: _RoundTrip) -> None:
    from sync import refusals
    from sync.transports import folder as folder_transport
    from ui.main_window import MainWindow
    from ui.qt import QApplication
    from ui.sync.fingerprint import FingerprintDialog
    from ui.sync.work import read_registration

    real_drives = folder_transport.removable_drives
    folder_transport.removable_drives = lambda: []  # this machine's own USB drives stay out of the pictures
    try:
        for session, name in ((commune, "sync-commune"), (trip.province, "sync-province")):
            window = MainWindow(session)
            window.resize(*_window_size())
            window.show()
            window.show_page("sync")
            page = window.pages["sync"]
            if session is trip.province and getattr(page, "downstream", None) is not None:
                # The province of this throwaway trip refuses the spoilt copy once a language: each picture
                # shows its own one refusal, not the last language's too.
                (Path(session.node.data_dir) / refusals.LOG_NAME).unlink(missing_ok=True)
                page.files = _ScriptedFiles([trip.damaged], trip.files / "ve-xa")
                page.downstream.import_files_button.click()
            shoot.save(window, name)
            if session is trip.province:
                dialog = FingerprintDialog(read_registration(trip.registration), window)
                dialog.show()
                shoot.save(dialog, "sync-fingerprint")
                dialog.reject()
            window._owns_session = False  # closed by main() once every language is done
            window.close()
            window.close_session()
            QApplication.processEvents()
    finally:
        folder_transport.removable_drives = real_drives


def _window_size() -> tuple[int, int]:
    """The main window's size: the screen given (all of it, as a maximised window), else WINDOW_SIZE."""
    area = text_size.SCREEN_OVERRIDE
    return (area.width(), area.height()) if area is not None else WINDOW_SIZE


def main(out_dir: Path, langs=("vi", "en"), *, make_node: Callable[[Path], tuple] | None = None,
         size: tuple[int, int] | None = None, text_percent: int = 100) -> int:
    """Render every screen to `out_dir/<lang>/NN-name.png`; returns 0 when all were written, else 1.

    `make_node(folder)` returns (node, user name, password); the default is the demo commune.
    `size`: the screen's size in pixels (the windows fitted to it); `text_percent`: the text size.
    """
    from app.store import keyslots
    from ui.app import ensure_application

    out_dir = Path(out_dir)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qapp = ensure_application()
    was_screen, was_percent = text_size.SCREEN_OVERRIDE, text_size.current()
    if size is not None:
        from ui.qt import QRect

        ratio = qapp.primaryScreen().devicePixelRatio() if qapp.primaryScreen() is not None else 1.0
        text_size.SCREEN_OVERRIDE = QRect(0, 0, round(size[0] / ratio), round(size[1] / ratio) - TASK_BAR)
    folder = Path(tempfile.mkdtemp(prefix="binhan-shots-"))
    was_synchronous, was_language = tasks.SYNCHRONOUS, i18n._language
    was_keyring = keyslots._keyring_override
    keyslots.set_keyring_backend(_memory_keyring())
    tasks.SYNCHRONOUS = True  # each screen is drawn with its data loaded, in a known order
    session = trip = None
    written: list[Path] = []
    try:
        node, username, password = (make_node or demo_node)(folder)
        session = node.login(username, password)
        if session.can("backup.create"):
            session.backups.create()  # the Backups page shows a made-by-hand backup beside the automatic one
        text_size.remember(text_percent, session)  # the window applies its user's size
        text_size.apply(text_percent, qapp)
        shooters = {}
        for lang in langs:
            i18n.set_language(lang)
            i18n.install_translators(qapp)
            shoot = shooters[lang] = _Shooter(out_dir / lang)
            _wizard(shoot, folder, lang)
            _main_window(shoot, node, session)
        if session.node_info.kind == "commune":
            trip = _RoundTrip(folder, session, password)
            for lang in langs:
                i18n.set_language(lang)
                i18n.install_translators(qapp)
                _sync_pages(shooters[lang], session, trip)
        for lang in langs:
            written.extend(shooters[lang].written)
    finally:
        if trip is not None:
            trip.close()
        if session is not None and session.store is not None:
            session.close()
        tasks.SYNCHRONOUS = was_synchronous
        i18n._language = was_language
        i18n.install_translators(qapp)
        keyslots.set_keyring_backend(was_keyring)
        text_size.SCREEN_OVERRIDE = was_screen
        text_size.apply(was_percent, qapp)
        shutil.rmtree(folder, ignore_errors=True)
    for path in written:
        print(path)
    return 0 if written else 1
