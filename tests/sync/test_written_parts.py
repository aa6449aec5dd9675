"""Nothing free crosses: finalising the annual report checks its written parts against the identities stored
here (names, addresses, phones, ID numbers) and phone and ID patterns; a hit stops it and names the words."""

import json

import pytest

from app.errors import ValidationFailed
from app.reports.submission import IdentityInText, finalise
from app.reports.texts import _key, save_report_text
from app.targets import Period
from tests.conftest import CANARY_NAME
from tests.sync.conftest import add_case


@pytest.mark.parametrize("typed, found", [
    (f"Trong năm có vụ của chị {CANARY_NAME.upper()} được hỗ trợ.", CANARY_NAME.upper()),
    ("Gia đình ở thôn canary đã được thăm hỏi.", "thôn canary"),
    ("Liên hệ 0912 345 678 khi cần.", "0912 345 678"),
    ("Số CCCD 034190001234 đã được xác minh.", "034190001234"),
    ("Gọi +84 98 765 4321 (không có trong hồ sơ).", "+84 98 765 4321"),
])
def test_a_written_part_that_names_or_reaches_a_person_stops_finalising(tree, typed, found):
    add_case(tree.commune)
    # As a text saved before the door checked it (or typed by a leader, who holds no identity key) is stored:
    # saving now refuses the recorded names and phones at once (app.cases.identity.check_free_text).
    with tree.commune.store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (_key(Period.of(2025), "situation"), json.dumps(typed, ensure_ascii=False)))
    with pytest.raises(IdentityInText) as stopped:
        finalise(tree.commune, 2025)
    assert found in stopped.value.hits["situation"]
    assert "Tình hình chung" in stopped.value.message("vi")
    assert tree.commune.store.scalar("SELECT count(*) FROM annual_reports") == 0


def test_plain_written_parts_finalise(tree):
    add_case(tree.commune)
    save_report_text(tree.commune, Period.of(2025), "situation",
                     "Xã tổ chức 12 buổi truyền thông, 340 lượt người tham gia; phối hợp với trạm y tế.")
    assert finalise(tree.commune, 2025)["rev"] == 1


def test_a_recorded_name_typed_into_a_written_part_is_refused_at_the_door(tree):
    add_case(tree.commune)
    with pytest.raises(ValidationFailed):
        save_report_text(tree.commune, Period.of(2025), "situation",
                         f"Trong năm có vụ của chị {CANARY_NAME.upper()} được hỗ trợ.")


def test_the_refusal_says_where_each_word_is_in_the_text_checked(tree):
    """The window highlights exactly these places: the core finds them, the window does not guess them."""
    import unicodedata

    from app.reports.submission import check_written_parts

    add_case(tree.commune)
    decomposed = unicodedata.normalize("NFD", "Xuân.Canary.Quỳnh")  # typed "tổ hợp", joined by dots
    texts = {"situation": f"Chị {decomposed} ở thôn Đông; gọi 098 765 4321.",
             "difficulties": "Thiếu kinh phí.",
             "proposals": "Số cũ: 0912.345.678."}
    with pytest.raises(IdentityInText) as stopped:
        check_written_parts(tree.commune, texts)
    found = stopped.value.spans
    assert set(found) == {"situation", "proposals"}
    assert [texts["situation"][a:b] for a, b in found["situation"]] == [decomposed, "098 765 4321"]
    assert [texts["proposals"][a:b] for a, b in found["proposals"]] == ["0912.345.678"]
    assert stopped.value.hits == {"situation": [decomposed, "098 765 4321"], "proposals": ["0912.345.678"]}
    check_written_parts(tree.commune, {"situation": "Xã tổ chức 12 buổi truyền thông."})  # nothing: no error
