"""The case record's fields: their paths, labels in both languages, and reference lists.

The form, validation messages, exports and the sync allow-list all read this,
so a field is named in one place only.
"""

from __future__ import annotations

# path -> (Vietnamese label, English label)
LABELS: dict[str, tuple[str, str]] = {
    "status": ("Trạng thái", "Status"),
    "point_id": ("Điểm tiếp nhận", "Point"),
    "duplicate_of": ("Trùng với vụ việc", "Duplicate of"),
    "intake.reported_on": ("Ngày tiếp nhận", "Date first reported"),
    "intake.incident_on": ("Ngày xảy ra", "Date of incident"),
    "intake.disclosure_channel": ("Nguồn phát hiện", "How the case came to light"),
    "intake.referral_source": ("Nơi giới thiệu, chuyển gửi đến", "Referral source"),
    "intake.taken_by": ("Người tiếp nhận", "Taken by"),
    "survivor.age": ("Tuổi", "Age"),
    "survivor.age_band": ("Nhóm tuổi", "Age group"),
    "survivor.sex": ("Giới tính", "Sex"),
    "survivor.marital_status": ("Tình trạng hôn nhân", "Marital status"),
    "survivor.disability": ("Khuyết tật", "Disability"),
    "survivor.ethnicity": ("Dân tộc", "Ethnicity"),
    "survivor.pregnant": ("Đang mang thai", "Pregnant"),
    "identity.name": ("Họ và tên", "Full name"),
    "identity.address": ("Địa chỉ", "Address"),
    "identity.phone": ("Số điện thoại", "Phone number"),
    "identity.id_number": ("Số định danh cá nhân", "Personal identification number"),
    "identity.perpetrator_names": ("Tên người gây bạo lực", "Perpetrator names"),
    "identity.narrative": ("Diễn biến sự việc", "Narrative"),
    "identity.safety_notes": ("Ghi chú kế hoạch an toàn", "Safety plan notes"),
    "incident.time_of_day": ("Thời điểm trong ngày", "Time of day"),
    "incident.location_type": ("Nơi xảy ra", "Location type"),
    "incident.violence_type": ("Loại bạo lực (GBVIMS)", "Type of violence (GBVIMS)"),
    "incident.dv_acts": ("Hành vi bạo lực gia đình", "Domestic-violence acts"),
    "incident.reported_elsewhere": ("Đã báo cáo ở cơ quan khác", "Already reported to another agency"),
    "perpetrators[].sex": ("Giới tính người gây bạo lực", "Perpetrator's sex"),
    "perpetrators[].age_group": ("Nhóm tuổi người gây bạo lực", "Perpetrator's age group"),
    "perpetrators[].relationship": ("Quan hệ với người bị bạo lực", "Relationship to survivor"),
    "perpetrators[].count": ("Số người", "Number of people"),
    "consent.services.given": ("Đồng ý nhận dịch vụ", "Consent to services"),
    "consent.services.on": ("Ngày đồng ý nhận dịch vụ", "Date of consent to services"),
    "consent.services.withdrawn_on": ("Ngày rút đồng ý nhận dịch vụ", "Date consent to services withdrawn"),
    "consent.reporting.given": ("Đồng ý được thống kê", "Consent to be counted in reports"),
    "consent.reporting.on": ("Ngày đồng ý được thống kê", "Date of consent to reporting"),
    "consent.reporting.withdrawn_on": ("Ngày rút đồng ý thống kê", "Date consent to reporting withdrawn"),
    "consent.sharing.given": ("Đồng ý chia sẻ thông tin", "Consent to share information"),
    "consent.sharing.on": ("Ngày đồng ý chia sẻ", "Date of consent to share"),
    "consent.sharing.withdrawn_on": ("Ngày rút đồng ý chia sẻ", "Date consent to share withdrawn"),
    "services[].service": ("Dịch vụ", "Service"),
    "services[].status": ("Tình trạng dịch vụ", "Service status"),
    "services[].on": ("Ngày", "Date"),
    "services[].provider_id": ("Nơi cung cấp", "Provider"),
    "referrals[].service": ("Dịch vụ chuyển tuyến", "Referred service"),
    "referrals[].provider_id": ("Nơi nhận chuyển tuyến", "Receiving provider"),
    "referrals[].provider_name": ("Tên nơi nhận", "Receiving provider's name"),
    "referrals[].referred_on": ("Ngày chuyển", "Date referred"),
    "referrals[].consent": ("Đồng ý chuyển tuyến", "Consent to this referral"),
    "referrals[].consent_on": ("Ngày đồng ý chuyển tuyến", "Date of consent to referral"),
    "referrals[].outcome": ("Kết quả chuyển tuyến", "Referral outcome"),
    "referrals[].outcome_on": ("Ngày có kết quả", "Date of outcome"),
    "follow_ups[].due_on": ("Ngày hẹn theo dõi", "Follow-up due date"),
    "follow_ups[].done_on": ("Ngày đã theo dõi", "Follow-up date done"),
    "follow_ups[].status": ("Tình trạng theo dõi", "Follow-up status"),
    "perpetrator_actions[].action": ("Biện pháp xử lý", "Action taken"),
    "perpetrator_actions[].on": ("Ngày xử lý", "Date of action"),
    "safety_plan.in_place": ("Có kế hoạch an toàn", "Safety plan in place"),
    "safety_plan.on": ("Ngày lập kế hoạch an toàn", "Date of safety plan"),
    "closure.items": ("Danh mục kết thúc", "Closure checklist"),
    "closure.closed_on": ("Ngày kết thúc", "Date closed"),
}

IDENTITY_FIELDS = ("name", "address", "phone", "id_number", "perpetrator_names", "narrative", "safety_notes")
IDENTITY_COLUMNS = {
    "name": "survivor_name", "address": "address", "phone": "phone", "id_number": "id_number",
    "perpetrator_names": "perpetrator_names", "narrative": "narrative", "safety_notes": "safety_notes",
}
CONSENT_SCOPES = ("services", "reporting", "sharing")
