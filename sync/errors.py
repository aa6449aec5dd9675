"""Why a sync file was refused, in words a commune officer can act on.

Every refusal is its own class so the window (and the tests) can tell them
apart; `reason` is a stable code for logs. A refused file changes nothing.
"""

from __future__ import annotations

from app.errors import BinhAnError


class SyncError(BinhAnError):
    """Base of every sync refusal. Subclasses set `reason`, `vi` and `en` templates."""

    reason = "sync"
    template_vi = "Không xử lý được tệp đồng bộ."
    template_en = "The sync file could not be processed."

    def __init__(self, **detail):
        self.detail = detail
        super().__init__(self.template_vi.format(**detail), self.template_en.format(**detail))


# --- packages ---------------------------------------------------------------------------------
class PackageError(SyncError):
    reason = "package"


class PackageForeign(PackageError):
    reason = "foreign"
    template_vi = ("Tệp này không phải gói đồng bộ Bình An (hoặc là loại tệp khác). Không có gì được nhập. "
                   "Hãy chọn đúng tệp gói (.pkg.binhan) mà xã gửi lên.")
    template_en = ("This file is not a Bình An sync package (or is another kind of file). Nothing was imported. "
                   "Choose the package file (.pkg.binhan) the commune sent.")


class PackageNewerFormat(PackageError):
    reason = "newer_format"
    template_vi = ("Gói này được tạo bởi phiên bản Bình An mới hơn (định dạng {found}, máy này đọc đến {known}). "
                   "Hãy cập nhật Bình An rồi nhập lại. Không có gì được nhập.")
    template_en = ("This package was made by a newer Bình An (format {found}; this one reads up to {known}). "
                   "Update Bình An and import it again. Nothing was imported.")


class PackageTruncated(PackageError):
    reason = "truncated"
    template_vi = ("Gói bị thiếu phần cuối (tệp bị cắt cụt, có thể do rút USB hoặc tải tệp chưa xong). "
                   "Không có gì được nhập. Hãy chép lại tệp hoặc đề nghị xã gửi lại.")
    template_en = ("The package is missing its end (the file was cut short, perhaps a USB drive pulled out or a "
                   "download not finished). Nothing was imported. Copy the file again or ask the commune to resend.")


class PackageAltered(PackageError):
    reason = "altered"
    template_vi = ("Chữ ký của gói không khớp: tệp đã bị sửa đổi hoặc hỏng trên đường chuyển. Không có gì được "
                   "nhập. Hãy đề nghị xã gửi lại gói.")
    template_en = ("The package's signature does not match: the file was changed or damaged on the way. Nothing "
                   "was imported. Ask the commune to send the package again.")


class PackageDamaged(PackageError):
    reason = "damaged"
    template_vi = ("Nội dung mã hóa của gói bị hỏng hoặc bị xáo trộn nên không giải mã được. Không có gì được "
                   "nhập. Hãy đề nghị xã tạo và gửi lại gói.")
    template_en = ("The package's encrypted content is damaged or out of order and cannot be decrypted. Nothing "
                   "was imported. Ask the commune to build and send the package again.")


class PackageMisaddressed(PackageError):
    reason = "misaddressed"
    template_vi = ("Gói này gửi cho đơn vị khác ({to}), không phải đơn vị này. Không có gì được nhập. "
                   "Hãy chuyển tệp cho đúng nơi nhận.")
    template_en = ("This package is addressed to another node ({to}), not this one. Nothing was imported. "
                   "Pass the file to its real recipient.")


class PackageUnknownSender(PackageError):
    reason = "unknown_sender"
    template_vi = ("Gói đến từ một đơn vị chưa đăng ký với đơn vị này ({sender}). Không có gì được nhập. "
                   "Hãy nhận tệp đăng ký của đơn vị đó và xác nhận mã đối chiếu qua điện thoại trước.")
    template_en = ("The package comes from a node not registered here ({sender}). Nothing was imported. "
                   "Import that node's registration file and confirm its fingerprint by phone first.")


class PackageRevoked(PackageError):
    reason = "revoked_sender"
    template_vi = ("Đăng ký của {sender} đã bị thu hồi nên gói này không được nhập. Không có gì được nhập. Nếu đơn "
                   "vị đó đã có máy mới hoặc khóa mới, hãy nhận tệp đăng ký mới và so khớp mã đối chiếu qua điện "
                   "thoại.")
    template_en = ("{sender}'s registration was revoked, so this package is not imported. Nothing was imported. If "
                   "that node has a new computer or new keys, import its new registration file and confirm the "
                   "fingerprint by phone.")


class PackageWrongSigner(PackageError):
    reason = "wrong_signer"
    template_vi = ("Gói ghi là của {sender} nhưng được ký bằng khóa của đơn vị khác. Không có gì được nhập. "
                   "Đây có thể là gói bị giả mạo; hãy liên hệ xã để kiểm tra.")
    template_en = ("The package claims to come from {sender} but is signed with another node's key. Nothing was "
                   "imported. It may be forged; contact the commune to check.")


class PackageUnknownKey(PackageError):
    reason = "unknown_key"
    template_vi = ("Gói của {sender} được ký bằng một khóa mà đơn vị này chưa biết (có thể xã đã đổi khóa). "
                   "Không có gì được nhập. Hãy nhận tệp đăng ký mới của xã rồi nhập lại gói.")
    template_en = ("{sender}'s package is signed with a key not known here (the commune may have changed its "
                   "keys). Nothing was imported. Import the commune's new registration file, then the package.")


class PackageRetiredKey(PackageError):
    reason = "retired_key"
    template_vi = ("Gói của {sender} được ký bằng một khóa đã thôi dùng (đã đổi khóa hoặc đã thu hồi đăng ký). "
                   "Khóa đã thôi dùng không bao giờ còn được tin. Không có gì được nhập. Hãy đề nghị đơn vị đó "
                   "tạo gói mới bằng khóa hiện tại.")
    template_en = ("{sender}'s package is signed with a retired key (its keys were changed or its registration "
                   "revoked). A retired key is never trusted again. Nothing was imported. Ask that node to build "
                   "a new package with its current key.")


class PackageNotForThisKey(PackageError):
    reason = "not_for_this_key"
    template_vi = ("Gói được mã hóa cho một khóa mà đơn vị này không có (xã có thể đang dùng hồ sơ cũ). "
                   "Không có gì được nhập. Hãy gửi hồ sơ tỉnh mới cho xã rồi đề nghị xã gửi lại.")
    template_en = ("The package is encrypted for a key this node does not hold (the commune may use an old "
                   "profile). Nothing was imported. Send the commune the new profile and ask it to resend.")


class PackageResigned(PackageError):
    reason = "resigned"
    template_vi = ("Thông tin bên trong gói không khớp với phần đầu gói (gói của đơn vị khác đã bị ký lại). "
                   "Không có gì được nhập. Hãy báo cho cán bộ phụ trách an toàn dữ liệu.")
    template_en = ("The package's inner identity does not match its header (another node's package was "
                   "re-signed). Nothing was imported. Tell the person responsible for data security.")


class PackageReplayedChanged(PackageError):
    reason = "replayed_changed"
    template_vi = ("Gói mang mã {package_id} đã được nhập trước đây với nội dung khác. Không có gì được nhập. "
                   "Hãy đề nghị xã tạo gói mới.")
    template_en = ("A package with id {package_id} was imported before with different content. Nothing was "
                   "imported. Ask the commune to build a new package.")


class PackageContentInvalid(PackageError):
    reason = "content_invalid"
    template_vi = ("Nội dung gói không đúng cấu trúc ({what}). Không có gì được nhập. Hãy đề nghị xã tạo gói mới "
                   "và báo lỗi cho bộ phận hỗ trợ.")
    template_en = ("The package's content is malformed ({what}). Nothing was imported. Ask the commune to build "
                   "a new package and report the fault to support.")


# --- set-up documents (profile, registration, key backup) -----------------------------------
class DocumentInvalid(SyncError):
    reason = "document_invalid"
    template_vi = "Tệp {what} không hợp lệ hoặc đã bị sửa đổi ({why}). Không có gì thay đổi."
    template_en = "The {what_en} file is not valid or was altered ({why_en}). Nothing was changed."


class FingerprintRequired(SyncError):
    reason = "fingerprint_required"
    template_vi = ("Hãy gọi điện cho {name} ({code}) để so khớp mã đối chiếu {fingerprint}, rồi nhập mã đó để "
                   "xác nhận. Chưa đăng ký đơn vị này.")
    template_en = ("Call {name} ({code}) to compare the fingerprint {fingerprint}, then enter it to confirm. "
                   "The node was not registered.")


class FingerprintMismatch(SyncError):
    reason = "fingerprint_mismatch"
    template_vi = ("Mã đối chiếu đã nhập không khớp với tệp đăng ký của {name} ({code}). Không đăng ký. "
                   "Tệp có thể đã bị tráo: hãy đề nghị đơn vị đó gửi lại và đối chiếu lại qua điện thoại.")
    template_en = ("The fingerprint entered does not match {name}'s ({code}) registration file. Not registered. "
                   "The file may have been swapped: ask that node to send it again and compare by phone again.")


class EnrolmentRefused(SyncError):
    reason = "enrolment_refused"
    template_vi = "{vi}"
    template_en = "{en}"


class NoParent(SyncError):
    reason = "no_parent"
    template_vi = ("Đơn vị này chưa nhận hồ sơ của cấp trên (tỉnh hoặc huyện). Hãy nhập tệp hồ sơ tỉnh trước "
                   "khi tạo gói hoặc tệp đăng ký.")
    template_en = ("This node has not imported its parent's (province or district) profile. Import the profile "
                   "file before building packages or a registration.")


class KeyBackupWrongPassphrase(SyncError):
    reason = "key_backup_passphrase"
    template_vi = "Mật khẩu của tệp sao lưu khóa không đúng (hoặc tệp đã bị sửa đổi). Không có gì thay đổi."
    template_en = "The key backup's passphrase is wrong (or the file was altered). Nothing was changed."


class WeakPassphrase(SyncError):
    reason = "weak_passphrase"
    template_vi = "Mật khẩu bảo vệ tệp sao lưu khóa phải có ít nhất {minimum} ký tự."
    template_en = "The key backup passphrase must have at least {minimum} characters."


# --- receipts -------------------------------------------------------------------------------------
class ReceiptError(SyncError):
    reason = "receipt"


class ReceiptInvalid(ReceiptError):
    reason = "receipt_invalid"
    template_vi = "Tệp này không phải biên nhận Bình An hợp lệ ({why}). Mốc đã xác nhận không thay đổi."
    template_en = "This file is not a valid Bình An receipt ({why_en}). The confirmed mark did not change."


class ReceiptForged(ReceiptError):
    reason = "receipt_forged"
    template_vi = ("Biên nhận không được ký bởi cấp trên của đơn vị này (có thể bị giả mạo hoặc bị sửa). "
                   "Mốc đã xác nhận không thay đổi; dữ liệu sẽ được gửi lại trong gói sau.")
    template_en = ("The receipt is not signed by this node's parent (it may be forged or altered). The "
                   "confirmed mark did not change; the data will be sent again in the next package.")


class ReceiptRetiredKey(ReceiptError):
    reason = "receipt_retired_key"
    template_vi = ("Biên nhận được ký bằng một khóa cũ mà cấp trên đã thôi dùng. Mốc đã xác nhận không thay đổi; "
                   "hãy lấy biên nhận mới từ cấp trên.")
    template_en = ("The receipt is signed with an old key the parent no longer uses. The confirmed mark did not "
                   "change; get a new receipt from the parent.")


class ReceiptMisaddressed(ReceiptError):
    reason = "receipt_misaddressed"
    template_vi = "Biên nhận này dành cho đơn vị khác ({to}). Mốc đã xác nhận không thay đổi."
    template_en = "This receipt is for another node ({to}). The confirmed mark did not change."


class ReceiptBeyondSent(ReceiptError):
    reason = "receipt_beyond_sent"
    template_vi = ("Biên nhận xác nhận đến số thứ tự {acked}, nhưng đơn vị này mới có đến {high}. "
                   "Biên nhận không khớp với dữ liệu máy này nên không được dùng.")
    template_en = ("The receipt confirms up to sequence {acked}, but this node has only reached {high}. "
                   "It does not match this machine's data and was not used.")


# --- down-packages (parent → child) -------------------------------------------------------------------
class DownNotFromParent(PackageError):
    reason = "down_not_from_parent"
    template_vi = ("Gói xuống này đến từ {sender}, không phải cấp trên của đơn vị này. Không có gì thay đổi. "
                   "Chỉ nhập gói xuống do chính cấp trên đã đăng ký gửi.")
    template_en = ("This down-package comes from {sender}, not this node's parent. Nothing was changed. "
                   "Import only down-packages sent by the parent this node is registered with.")


class DownUnknownKey(PackageError):
    reason = "down_unknown_key"
    template_vi = ("Gói xuống của {sender} được ký bằng một khóa mà đơn vị này chưa biết (có thể cấp trên đã đổi "
                   "khóa). Không có gì thay đổi. Hãy nhập tệp hồ sơ mới của cấp trên rồi nhập lại gói.")
    template_en = ("{sender}'s down-package is signed with a key not known here (the parent may have changed its "
                   "keys). Nothing was changed. Import the parent's new profile file, then the package again.")


# --- transports (e-mail, HTTP) ----------------------------------------------------------------------------
class TransportError(SyncError):
    reason = "transport"


class TransportUnavailable(TransportError):
    reason = "transport_unavailable"
    template_vi = ("Không kết nối được tới {where} sau {attempts} lần thử ({why}). Không có gì bị mất: những gì "
                   "chưa được xác nhận sẽ được gửi lại ở lần sau. Hãy kiểm tra mạng rồi thử lại, hoặc gửi bằng USB.")
    template_en = ("Could not reach {where} after {attempts} attempts ({why}). Nothing is lost: whatever was not "
                   "confirmed is sent again next time. Check the connection and try again, or send by USB.")


class TransportRefused(TransportError):
    reason = "transport_refused"
    template_vi = "{where} từ chối: {vi}"
    template_en = "{where} refused: {en}"


class TransportNotSetUp(TransportError):
    reason = "transport_not_set_up"
    template_vi = "{vi}"
    template_en = "{en}"
