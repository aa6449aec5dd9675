"""`binhan screenshots`: every screen rendered offscreen to PNG, in each language (a small node here, for speed)."""

from pathlib import Path

from tests.conftest import ADMIN_PASSWORD, sample_case
from ui import i18n, tasks
from ui.screenshots import main

PNG = b"\x89PNG\r\n\x1a\n"
EXPECTED = ["wizard-intro", "wizard-node", "wizard-profile", "wizard-admin", "wizard-check", "wizard-recovery-key",
            "login", "overview", "cases", "activities", "reports", "sync", "registries-models",
            "registries-schools", "registries-providers", "settings", "settings-new-recovery-key", "lock-screen",
            "lock-screen-wrong-password", "sync-commune", "sync-province", "sync-fingerprint"]


def small_node(folder: Path):
    from app.node import Node

    node, _ = Node.create(folder / "node", kind="commune", name="Xã Ảnh Chụp", code="AC01", parent_code="TB",
                          profile_code="thai_binh", admin_username="admin", admin_password=ADMIN_PASSWORD,
                          admin_display_name="Quản trị Ảnh", demo=True)
    session = node.login("admin", ADMIN_PASSWORD)
    try:
        session.cases.save(sample_case())
    finally:
        session.close()
    return node, "admin", ADMIN_PASSWORD


def names_in(folder: Path) -> list[str]:
    return [p.stem.split("-", 1)[1] for p in sorted(folder.glob("*.png"))]


def test_screenshots_are_written_for_every_screen_in_both_languages(qtbot, tmp_path, capsys):
    out = tmp_path / "shots"
    assert main(out, make_node=small_node) == 0
    for lang in ("vi", "en"):
        shots = sorted((out / lang).glob("*.png"))
        names = names_in(out / lang)
        for name in EXPECTED:
            assert name in names, f"{lang}: no screenshot of {name}"
        assert [p.name[:2] for p in shots] == [f"{n:02d}" for n in range(1, len(shots) + 1)]
        for path in shots:
            assert path.read_bytes()[:8] == PNG
            assert path.stat().st_size > 2000  # something was drawn
    # The case form is shot section by section when the Cases page can open a case.
    sections = [n for n in names_in(out / "vi") if n.startswith("case-form-")]
    if sections:
        assert len(sections) == 10
    # Nothing stays changed for whoever runs next.
    assert tasks.SYNCHRONOUS is True  # the test's own setting, put back
    assert i18n.language() == "vi"
    assert str(out / "en" / "01-wizard-intro.png") in capsys.readouterr().out


def test_one_language_only(qtbot, tmp_path):
    out = tmp_path / "shots"
    assert main(out, langs=("en",), make_node=small_node) == 0
    assert not (out / "vi").exists()
    assert "login" in names_in(out / "en")


def test_english_screenshots_are_in_english(qtbot, tmp_path):
    from ui.qt import QImage

    out = tmp_path / "shots"
    main(out, langs=("vi", "en"), make_node=small_node)
    vi = QImage(str(next((out / "vi").glob("*-settings.png"))))
    en = QImage(str(next((out / "en").glob("*-settings.png"))))
    assert vi.size() == en.size() and vi != en  # the same screen, drawn with other words
