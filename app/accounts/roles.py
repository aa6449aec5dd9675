"""Who may do what. The window asks here; it never decides on its own.

Row rules (a cadre sees only the cases of her own point) live in the services
that read rows, through `Session.case_scope()`.
"""

from __future__ import annotations

ROLES = ("admin", "officer", "cadre", "leader", "province_officer")

# action -> roles allowed. Deny by default: an action not listed is refused to all.
PERMISSIONS: dict[str, frozenset[str]] = {
    "case.read": frozenset({"admin", "officer", "cadre", "leader", "province_officer"}),
    "case.write": frozenset({"admin", "officer", "cadre"}),
    "case.delete": frozenset({"admin", "officer"}),
    # A supervisor reviews cases and approves their closure (issue 18.3): the commune leader, and the officer,
    # who supervises the trusted-address cadres. She needs no identity key: a review reads facts only.
    "case.supervise": frozenset({"admin", "officer", "leader"}),
    "identity.read": frozenset({"admin", "officer", "cadre"}),
    "identity.write": frozenset({"admin", "officer", "cadre"}),
    "activity.read": frozenset({"admin", "officer", "cadre", "leader", "province_officer"}),
    "activity.write": frozenset({"admin", "officer", "cadre"}),
    "registry.read": frozenset({"admin", "officer", "cadre", "leader", "province_officer"}),
    "registry.write": frozenset({"admin", "officer"}),
    "report.build": frozenset({"admin", "officer", "leader", "province_officer"}),
    # Finalising sends the annual report up: whoever may build (and so export) it may finalise it.
    "report.finalise": frozenset({"admin", "officer", "leader", "province_officer"}),
    "report.case_file": frozenset({"admin", "officer"}),
    "user.manage": frozenset({"admin"}),
    "backup.create": frozenset({"admin", "officer"}),
    "backup.restore": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    "audit.verify": frozenset({"admin", "officer", "leader"}),
    "sync.run": frozenset({"admin", "officer", "province_officer"}),
    "settings.manage": frozenset({"admin"}),
}

ACTION_LABELS = {
    "case.read": ("xem danh sách vụ việc", "view cases"),
    "case.write": ("ghi vụ việc", "record cases"),
    "case.delete": ("xóa vụ việc", "delete cases"),
    "case.supervise": ("giám sát và duyệt kết thúc vụ việc", "supervise cases and approve their closure"),
    "identity.read": ("xem thông tin nhận dạng", "view identities"),
    "identity.write": ("ghi thông tin nhận dạng", "record identities"),
    "activity.read": ("xem hoạt động", "view activities"),
    "activity.write": ("ghi hoạt động", "record activities"),
    "registry.read": ("xem danh mục", "view registries"),
    "registry.write": ("sửa danh mục", "edit registries"),
    "report.build": ("lập báo cáo", "build reports"),
    "report.finalise": ("hoàn tất và gửi báo cáo năm", "finalise and send the annual report"),
    "report.case_file": ("in hồ sơ một vụ việc", "print a case file"),
    "user.manage": ("quản lý tài khoản", "manage accounts"),
    "backup.create": ("sao lưu", "make backups"),
    "backup.restore": ("khôi phục từ bản sao lưu", "restore backups"),
    "audit.read": ("xem nhật ký", "read the audit log"),
    "audit.verify": ("kiểm tra nhật ký", "verify the audit log"),
    "sync.run": ("gửi và nhận dữ liệu", "send and receive data"),
    "settings.manage": ("thay đổi cài đặt", "change settings"),
}


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())
