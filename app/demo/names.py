"""Obviously fictional identities for demo data.

Every person's name carries the word "Mẫu" (sample), every address is
"Thôn Mẫu số N", every phone number is 0900000NNN and every ID number starts
with nine zeros. Nobody reading a demo screen can take it for a real person,
and the Vietnamese diacritics let accent-insensitive search be shown
("nguyen mau" finds "Nguyễn Thị Mẫu Hoa").
"""

from __future__ import annotations

MARKER = "Mẫu"
DEMO_SUFFIX = "(dữ liệu mẫu)"
COMMUNE_NAME = "Xã Bình An (dữ liệu mẫu)"
PROVINCE_NAME = "Tỉnh Bình An (dữ liệu mẫu)"

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
FEMALE_GIVEN = ("Hoa", "Lan", "Huệ", "Mai", "Hương", "Thảo", "Nhung", "Đào", "Yến", "Ngọc", "Thúy", "Hằng")
MALE_GIVEN = ("Nam", "Hùng", "Dũng", "Tuấn", "Cường", "Minh", "Quân", "Đức")
STAFF_NAMES = ("Cán bộ Mẫu Lan (Hội Phụ nữ)", "Cán bộ Mẫu Hạnh (địa chỉ tin cậy)",
               "Công chức Mẫu Bình (văn hóa – xã hội)")
VILLAGES = 12


def person_name(rng, sex: str | None) -> str:
    surname = rng.choice(SURNAMES)
    if sex == "male":
        return f"{surname} {rng.choice(('Văn', 'Đức', 'Quang'))} {MARKER} {rng.choice(MALE_GIVEN)}"
    return f"{surname} Thị {MARKER} {rng.choice(FEMALE_GIVEN)}"


def village(n: int) -> str:
    return f"Thôn {MARKER} số {n}"


def address(rng) -> str:
    return f"{village(rng.randint(1, VILLAGES))}, {COMMUNE_NAME}"


def phone(serial: int) -> str:
    return f"0900000{serial % 1000:03d}"


def id_number(serial: int) -> str:
    return f"000000000{serial % 1000:03d}"


def identity(rng, serial: int, sex: str | None, perpetrator_sexes: list[str | None], summary: str,
             safety_plan: bool) -> dict:
    """The identity part of a case (kept apart from the facts, never leaves the node)."""
    name = person_name(rng, sex)
    perpetrators = ", ".join(person_name(rng, s) for s in perpetrator_sexes) or None
    return {
        "name": name,
        "address": address(rng),
        "phone": phone(serial) if rng.random() < 0.7 else None,
        "id_number": id_number(serial) if rng.random() < 0.4 else None,
        "perpetrator_names": perpetrators,
        "narrative": f"[Dữ liệu mẫu] {name}: {summary}",
        "safety_notes": "[Dữ liệu mẫu] Đã thống nhất nơi lánh tạm và số điện thoại khẩn cấp." if safety_plan else None,
    }
