"""Errors the core raises. Each carries a message for people in Vietnamese and English.

The window and the command line show `str(error)` (Vietnamese) or `error.message("en")`;
neither ever shows a stack trace to a person.
"""

from __future__ import annotations


class BinhAnError(Exception):
    """Base of every error meant for a person."""

    def __init__(self, vi: str, en: str | None = None):
        super().__init__(vi)
        self.vi = vi
        self.en = en or vi

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class WrongSecret(BinhAnError):
    """A password, recovery key or keyring key that does not open the database."""


class LoginThrottled(BinhAnError):
    def __init__(self, seconds: float):
        wait = max(1, int(seconds + 0.999))
        super().__init__(
            f"Đã nhập sai mật khẩu nhiều lần. Vui lòng chờ {wait} giây rồi thử lại.",
            f"Too many wrong passwords. Please wait {wait} seconds and try again.",
        )
        self.seconds = seconds


class AccountLocked(BinhAnError):
    """Too many wrong passwords: the account is locked until an administrator unlocks it or `until` passes."""

    def __init__(self, until: float | None = None):
        self.until = until
        if until is None:
            super().__init__(
                "Tài khoản này đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy nhờ quản trị viên mở khóa.",
                "This account is locked after too many wrong passwords. Ask the administrator to unlock it.",
            )
            return
        from datetime import datetime

        at = datetime.fromtimestamp(until).astimezone().strftime("%H:%M %d/%m/%Y")
        super().__init__(
            f"Tài khoản này đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy nhờ quản trị viên mở khóa, "
            f"hoặc chờ đến {at}.",
            f"This account is locked after too many wrong passwords. Ask the administrator to unlock it, "
            f"or wait until {at}.",
        )


class NodeNotFound(BinhAnError):
    pass


class NewerDatabase(BinhAnError):
    pass


class DatabaseDamaged(BinhAnError):
    pass


class PermissionDenied(BinhAnError):
    pass


class NotFound(BinhAnError):
    pass


class Conflict(BinhAnError):
    """The record changed since it was opened; saving would overwrite someone's work."""


class BackupError(BinhAnError):
    pass


class FieldError:
    """One field at fault: `path` names it the way the form does (e.g. `survivor.age`)."""

    __slots__ = ("path", "vi", "en")

    def __init__(self, path: str, vi: str, en: str):
        self.path = path
        self.vi = vi
        self.en = en

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def as_dict(self) -> dict:
        return {"field": self.path, "vi": self.vi, "en": self.en}

    def __repr__(self) -> str:
        return f"FieldError({self.path!r}, {self.vi!r})"


class ValidationFailed(BinhAnError):
    """The record is not valid; nothing was saved."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        vi = "Chưa lưu được vì có thông tin chưa hợp lệ:\n" + "\n".join(
            f"- {e.vi}" for e in self.errors
        )
        en = "Not saved: some information is not valid:\n" + "\n".join(
            f"- {e.en}" for e in self.errors
        )
        super().__init__(vi, en)

    def by_field(self) -> dict[str, FieldError]:
        return {e.path: e for e in self.errors}
