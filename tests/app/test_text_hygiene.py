"""Text hygiene at the door: control characters other than line breaks and tabs, and lone surrogates, are refused
in every field that takes text, with a message naming the field; at the command line, exit 2 and nothing saved."""

import json

import pytest

from binhan.cli import main
from app.errors import ValidationFailed
from app.reports import report_settings, report_text, save_report_settings, save_report_text
from app.targets import Period
from app.text import bad_character, printable
from tests.app.test_activities import sample_activity
from tests.conftest import ADMIN_PASSWORD, sample_case

HOSTILE = ["\x0b", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\udfff"]


@pytest.mark.parametrize("ch", HOSTILE)
def test_refused_characters_are_found_where_they_are(ch):
    assert bad_character(f"Nguyễn{ch}Thị") == (7, ch)


def test_line_breaks_tabs_and_other_scripts_pass():
    assert bad_character("Dòng 1\r\nDòng 2\tcột 😀 עברית مرحبا ‮") is None


def test_printable_keeps_line_breaks_and_shows_a_lone_surrogate():
    assert printable("a\x0bb\x0cc\x00d\ud800e") == "a\nb\nc" + "d\ufffde"
    assert printable("Nguye\u0302\u0303n") == "Nguyễn"  # NFD in, NFC out


def _paths(caught) -> dict[str, str]:
    return {e.path: e.vi for e in caught.value.errors}


@pytest.mark.parametrize("ch", ["\x0b", "\x00", "\ud800"])
def test_case_fields_refuse_control_characters_and_lone_surrogates(session, ch):
    case = sample_case()
    case["identity"]["narrative"] = f"Bị đánh{ch}nhiều lần"
    case["intake"]["taken_by"] = f"Cán bộ{ch}"
    case["referrals"][0]["provider_name"] = f"Trạm y tế{ch}"
    with pytest.raises(ValidationFailed) as caught:
        session.cases.save(case)
    paths = _paths(caught)
    assert {"identity.narrative", "intake.taken_by", "referrals[0].provider_name"} <= set(paths)
    assert paths["identity.narrative"].startswith("Diễn biến sự việc: ")
    assert f"U+{ord(ch):04X}" in paths["identity.narrative"]
    assert session.store.scalar("SELECT count(*) FROM cases") == 0


def test_a_case_with_line_breaks_and_tabs_saves(session):
    case = sample_case()
    case["identity"]["narrative"] = "Dòng 1\nDòng 2\tcột"
    saved = session.cases.save(case)
    assert session.cases.get(saved["id"], with_identity=True)["identity"]["narrative"] == "Dòng 1\nDòng 2\tcột"


def test_activity_and_registry_fields_refuse_them(session):
    with pytest.raises(ValidationFailed) as caught:
        session.activities.save(sample_activity(title="Hội thảo\x0b", notes="ghi chú\x00"))
    assert {"title", "notes"} <= set(_paths(caught))
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_provider({"kind": "health", "name": "Trạm\x1b y tế"})
    assert "provider.name" in _paths(caught)
    with pytest.raises(ValidationFailed) as caught:
        session.registries.save_model({"kind": "club", "name": "CLB", "status": "active", "notes": "a\ud800"})
    assert "model.notes" in _paths(caught)


def test_report_texts_and_settings_refuse_them_and_keep_what_was_there(session):
    period = Period.of(2025)
    save_report_text(session, period, "situation", "Tình hình ổn định.")
    with pytest.raises(ValidationFailed) as caught:
        save_report_text(session, period, "situation", "Tình hình\x0bổn định.")
    assert "Tình hình chung" in _paths(caught)["situation"]
    assert report_text(session, period, "situation") == "Tình hình ổn định."
    with pytest.raises(ValidationFailed) as caught:
        save_report_settings(session, signer_name="Nguyễn Văn A\x0b", issuing_body="UBND\ud800")
    assert set(_paths(caught)) == {"signer_name", "issuing_body"}
    with pytest.raises(ValidationFailed) as caught:
        save_report_settings(session, recipients=["Sở Y tế", "Lưu: VT\x07"])
    assert "Nơi nhận" in _paths(caught)["recipients"]
    assert report_settings(session)["signer_name"] == ""


@pytest.fixture
def cli(new_node, monkeypatch, capsys):
    monkeypatch.setenv("BINHAN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("BINHAN_LANG", "vi")

    def run(*args):
        code = main(["--data-dir", str(new_node.data_dir), "--user", "admin", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.mark.parametrize("ch", ["\\u000b", "\\u0000", "\\ud800"])
def test_cli_refuses_them_with_exit_2_naming_the_field_and_saves_nothing(cli, tmp_path, ch):
    case = json.dumps(sample_case(), ensure_ascii=False).replace("Canary", f"Can{ch}ary", 1)
    source = tmp_path / "case.json"
    source.write_text(case, encoding="utf-8")
    code, _, err = cli("case", "add", "--json", str(source))
    assert code == 2
    assert "Họ và tên: có ký tự không được phép" in err and "U+" in err
    code, listed, _ = cli("case", "list", "--json")
    assert json.loads(listed) == []
    activity = tmp_path / "activity.json"
    activity.write_text(json.dumps(sample_activity(), ensure_ascii=False).replace("Hội thảo", f"Hội{ch}thảo"),
                        encoding="utf-8")
    code, _, err = cli("activity", "add", "--json", str(activity))
    assert code == 2 and "U+" in err
