"""The shipped Hưng Yên commune map (data/commune_maps/hung_yen.toml), read as data: its shape, and a few entries
checked against Resolution 1666/NQ-UBTVQH15 and the public list it was compiled from."""

import datetime as dt
import re
import tomllib

import pytest

from app import paths

CODE = re.compile(r"\d{5}")


@pytest.fixture(scope="module")
def data() -> dict:
    with (paths.reference_dir() / "commune_maps" / "hung_yen.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def by_name(data) -> dict:
    return {m["new_name_vi"]: m for m in data["merge"]}


def _short(old_name: str) -> str:
    """'Xã Thủ Sỹ (Huyện Tiên Lữ)' -> 'Xã Thủ Sỹ'."""
    return old_name.split(" (", 1)[0]


def test_header(data):
    assert data["province"] == "hung_yen" and data["version"] == 2
    assert data["effective"] == dt.date(2025, 7, 1) and data["confirmed"] is False


def test_104_new_communes_each_once_sorted_by_code(data):
    # 104 = the rows of province '33' in the published list of Decision 19/2025/QĐ-TTg: 93 communes, 11 wards.
    merges = data["merge"]
    codes = [m["new_code"] for m in merges]
    assert len(merges) == 104 and len(set(codes)) == 104 and codes == sorted(codes)
    assert len({m["new_name_vi"] for m in merges}) == 104
    assert sum(m["new_name_vi"].startswith("Phường ") for m in merges) == 11
    assert sum(m["new_name_vi"].startswith("Xã ") for m in merges) == 93


def test_codes_are_five_digit_strings_and_names_go_with_them(data):
    for m in data["merge"]:
        assert isinstance(m["new_code"], str) and CODE.fullmatch(m["new_code"]), m
        assert m["old"] and all(isinstance(c, str) and CODE.fullmatch(c) for c in m["old"]), m
        assert all(isinstance(c, str) and CODE.fullmatch(c) for c in m.get("parts", [])), m
        assert len(m["old_names"]) == len(m["old"]), m
        assert all(re.fullmatch(r"(Xã|Phường|Thị trấn) .+ \((Huyện|Thành phố|Thị xã) .+\)", n)
                   for n in m["old_names"]), m
        # a new commune keeps the code of one of its former communes
        assert m["new_code"] in m["old"], m


def test_every_former_commune_is_under_old_exactly_once(data):
    old = [c for m in data["merge"] for c in m["old"]]
    assert len(old) == len(set(old)) == 381  # 139 of the former Hưng Yên, 242 of the former Thái Bình
    assert sum(c < "12433" for c in old) == 139


def test_parts_are_divided_communes_whose_principal_successor_is_another(data):
    home = {c: m["new_code"] for m in data["merge"] for c in m["old"]}
    parts = [(m["new_code"], c) for m in data["merge"] for c in m.get("parts", [])]
    assert parts
    for new_code, code in parts:
        assert code in home and home[code] != new_code
    assert sorted(c for _, c in parts) == ["11989", "12004", "12322"]


def test_resolution_1666_article_1_items_1_and_2(by_name):
    tan_hung = by_name["Xã Tân Hưng"]
    assert sorted(map(_short, tan_hung["old_names"])) == sorted(["Xã Thủ Sỹ", "Xã Phương Nam", "Xã Tân Hưng"])
    assert "parts" not in tan_hung
    hht = by_name["Xã Hoàng Hoa Thám"]
    assert sorted(map(_short, hht["old_names"])) == sorted(
        ["Thị trấn Vương", "Xã Hưng Đạo", "Xã Nhật Tân", "Xã An Viên"])
    assert "parts" not in hht
    # the former xã Hoàng Hoa Thám (Ân Thi) is not the new one: it went to xã Ân Thi
    assert "Xã Hoàng Hoa Thám (Huyện Ân Thi)" in by_name["Xã Ân Thi"]["old_names"]


def test_thai_binh_examples(by_name):
    thai_binh = by_name["Phường Thái Bình"]
    assert thai_binh["new_code"] == "13225"
    assert dict(zip(thai_binh["old"], thai_binh["old_names"], strict=True)) == {
        "12433": "Phường Lê Hồng Phong (Thành phố Thái Bình)",
        "12436": "Phường Bồ Xuyên (Thành phố Thái Bình)",
        "12451": "Phường Tiền Phong (Thành phố Thái Bình)",
        "13207": "Xã Phúc Thành (Huyện Vũ Thư)",
        "13210": "Xã Tân Phong (Huyện Vũ Thư)",
        "13216": "Xã Tân Hòa (Huyện Vũ Thư)",
        "13225": "Xã Tân Bình (Thành phố Thái Bình)",
    }
    tra_ly = by_name["Phường Trà Lý"]
    assert tra_ly["new_code"] == "12817" and sorted(tra_ly["old"]) == ["12457", "12460", "12811", "12817", "12820"]
    assert "Xã Đông Dương (Huyện Đông Hưng)" in tra_ly["old_names"]
    assert by_name["Xã Đông Thụy Anh"]["old"] == ["12832", "12841", "12847", "12862"]  # Thụy Trường, ...


def test_divided_communes(by_name):
    # xã Đình Dù (Văn Lâm): mostly to xã Như Quỳnh, a part to xã Đại Đồng
    assert "12004" in by_name["Xã Như Quỳnh"]["old"] and "12004" in by_name["Xã Đại Đồng"]["parts"]
    # xã Lạc Đạo: mostly to xã Lạc Đạo, a part to xã Đại Đồng
    assert "11989" in by_name["Xã Lạc Đạo"]["old"] and "11989" in by_name["Xã Đại Đồng"]["parts"]
    # xã Ngọc Thanh (Kim Động): mostly to xã Hiệp Cường, a part to phường Sơn Nam
    assert "12322" in by_name["Xã Hiệp Cường"]["old"] and by_name["Phường Sơn Nam"]["parts"] == ["12322"]
